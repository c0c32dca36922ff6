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

/// Every room of every plane's floor with its cells.
pub fn room_cells(site: &Site, planes: &[PlaneEntry]) -> Vec<RoomCells> {
    let mut out = Vec::new();
    for (k, plane) in planes.iter().enumerate() {
        let Some(bi) = site.buildings.iter().position(|b| b.name == plane.building) else { continue };
        let Some(fi) = site.buildings[bi].floors.iter().position(|f| f.name == plane.floor) else { continue };
        for (ri, room) in site.buildings[bi].floors[fi].rooms.iter().enumerate() {
            let outline = site_outline(site, bi, fi, ri);
            let (x0, x1) = outline.iter().fold((f64::MAX, f64::MIN), |(a, c), p| (a.min(p.x), c.max(p.x)));
            let (y0, y1) = outline.iter().fold((f64::MAX, f64::MIN), |(a, c), p| (a.min(p.y), c.max(p.y)));
            let column =
                |x: f64| ((x - plane.xmin) / plane.cell_size).floor().clamp(0.0, plane.nx as f64 - 1.0) as usize;
            let row = |y: f64| ((y - plane.ymin) / plane.cell_size).floor().clamp(0.0, plane.ny as f64 - 1.0) as usize;
            let mut cells = Vec::new();
            for j in row(y0)..=row(y1) {
                for i in column(x0)..=column(x1) {
                    let (x, y) = (
                        plane.xmin + (i as f64 + 0.5) * plane.cell_size,
                        plane.ymin + (j as f64 + 0.5) * plane.cell_size,
                    );
                    if point_in_polygon(&outline, x, y) {
                        cells.push((j * plane.nx + i) as u32);
                    }
                }
            }
            out.push(RoomCells { building: bi, floor: fi, room: ri, kind: room.kind, plane: k, cells });
        }
    }
    out
}
