//! Which cells of the receiver planes lie in which room: the link between radio maps and
//! the plan's rooms, for coverage per room and for the heatmaps' masks.

use super::PlaneEntry;
use crate::geometry::{P2, point_in_polygon};
use crate::plan::{RoomKind, Site};

/// The cells of one room on its floor's plane.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomCells {
    /// Building index in the site.
    pub building: usize,
    /// Floor index in the building.
    pub floor: usize,
    /// Room index on the floor.
    pub room: usize,
    /// Room kind.
    pub kind: RoomKind,
    /// Plane index.
    pub plane: usize,
    /// Cell indices in the plane (row-major from the south) whose centre lies in the room.
    pub cells: Vec<u32>,
}

/// A room's outline in the site frame [m].
pub fn site_outline(site: &Site, building: usize, floor: usize, room: usize) -> Vec<P2> {
    let b = &site.buildings[building];
    b.floors[floor].rooms[room].outline.iter().map(|&p| b.to_site(p)).collect()
}

/// Cells of an `nx` × `ny` grid of `cell` [m] from (`xmin`, `ymin`) whose centres lie in
/// `polygon` (site frame), row-major from the south.
pub fn polygon_cells(polygon: &[P2], (xmin, ymin): (f64, f64), cell: f64, (nx, ny): (usize, usize)) -> Vec<usize> {
    let (x0, x1) = polygon.iter().fold((f64::MAX, f64::MIN), |(a, c), p| (a.min(p.x), c.max(p.x)));
    let (y0, y1) = polygon.iter().fold((f64::MAX, f64::MIN), |(a, c), p| (a.min(p.y), c.max(p.y)));
    let column = |x: f64| ((x - xmin) / cell).floor().clamp(0.0, nx as f64 - 1.0) as usize;
    let row = |y: f64| ((y - ymin) / cell).floor().clamp(0.0, ny as f64 - 1.0) as usize;
    let mut cells = Vec::new();
    for j in row(y0)..=row(y1) {
        for i in column(x0)..=column(x1) {
            let (x, y) = (xmin + (i as f64 + 0.5) * cell, ymin + (j as f64 + 0.5) * cell);
            if point_in_polygon(polygon, x, y) {
                cells.push(j * nx + i);
            }
        }
    }
    cells
}

/// Every room of every plane's floor with its cells.
pub fn room_cells(site: &Site, planes: &[PlaneEntry]) -> Vec<RoomCells> {
    let mut out = Vec::new();
    for (k, plane) in planes.iter().enumerate() {
        let Some(bi) = site.buildings.iter().position(|b| b.name == plane.building) else { continue };
        let Some(fi) = site.buildings[bi].floors.iter().position(|f| f.name == plane.floor) else { continue };
        for (ri, room) in site.buildings[bi].floors[fi].rooms.iter().enumerate() {
            let outline = site_outline(site, bi, fi, ri);
            let cells = polygon_cells(&outline, (plane.xmin, plane.ymin), plane.cell_size, (plane.nx, plane.ny))
                .into_iter()
                .map(|c| c as u32)
                .collect();
            out.push(RoomCells { building: bi, floor: fi, room: ri, kind: room.kind, plane: k, cells });
        }
    }
    out
}
