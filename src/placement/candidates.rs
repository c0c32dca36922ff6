//! Candidate AP positions: a lattice inside every room that needs coverage (not in
//! stairs, technical rooms or outdoors), at least the wall clearance from any wall of its
//! floor, mounted just below the ceiling.

use super::demand::Demand;
use crate::geometry::{P2, point_in_polygon, segment_distance};
use crate::plan::Site;
use crate::requirements::Requirements;

/// One candidate position.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Room (index into [`Demand::rooms`]) it stands in.
    pub room: usize,
    /// Position in the building's frame [m].
    pub local: (f64, f64),
    /// Mounting height above its floor [m].
    pub height: f64,
    /// Site position (x, y, altitude) [m].
    pub site: [f64; 3],
}

/// Mounting height for a floor `height` high: 0.3 m below the ceiling, between 2.5 and
/// 4 m (in a gym, a wall bracket rather than the roof) [m].
pub fn mounting_height(floor_height: f64) -> f64 {
    (floor_height - 0.3).clamp(2.5, 4.0).min(floor_height - 0.1)
}

/// Every candidate of the site, room by room.
pub fn candidates(site: &Site, demand: &Demand, req: &Requirements) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (ri, room) in demand.rooms.iter().enumerate() {
        let b = &site.buildings[room.building];
        let f = &b.floors[room.floor];
        let walls: Vec<(P2, P2)> =
            f.walls.iter().map(|w| (P2::new(w.from.0, w.from.1), P2::new(w.to.0, w.to.1))).collect();
        let poly: Vec<P2> = room.outline.iter().map(|&(x, y)| P2::new(x, y)).collect();
        let clearance =
            |x: f64, y: f64| walls.iter().map(|(a, c)| segment_distance(a, c, x, y)).fold(f64::INFINITY, f64::min);
        let (x0, x1) = poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), p| (a.min(p.x), c.max(p.x)));
        let (y0, y1) = poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), p| (a.min(p.y), c.max(p.y)));
        let lattice = |step: f64| {
            let mut pts = Vec::new();
            let mut y = y0 + step / 2.0;
            while y < y1 {
                let mut x = x0 + step / 2.0;
                while x < x1 {
                    if point_in_polygon(&poly, x, y) {
                        pts.push((x, y, clearance(x, y)));
                    }
                    x += step;
                }
                y += step;
            }
            pts
        };
        let mut points: Vec<(f64, f64)> = lattice(req.candidate_spacing_m)
            .into_iter()
            .filter(|p| p.2 >= req.wall_clearance_m)
            .map(|p| (p.0, p.1))
            .collect();
        if points.is_empty() {
            // A small room: its most open point of a finer lattice, if clear enough.
            let best = lattice(req.candidate_spacing_m / 4.0).into_iter().max_by(|a, b| a.2.total_cmp(&b.2));
            points.extend(best.filter(|p| p.2 >= req.wall_clearance_m).map(|p| (p.0, p.1)));
        }
        let height = mounting_height(f.height);
        for (x, y) in points {
            let p = b.to_site((x, y));
            out.push(Candidate { room: ri, local: (x, y), height, site: [p.x, p.y, b.site_z(f.elevation + height)] });
        }
    }
    out
}
