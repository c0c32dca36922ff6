//! Cable runs: from each AP to the nearest wiring closet of its building (`closet: true`
//! rooms; else the nearest stair core) along a Manhattan route in the building's frame,
//! plus the vertical run between floors and a fixed allowance for the drops at both
//! ends. Copper Ethernet runs beyond 90 m are flagged.

use crate::plan::{RoomKind, Site};
use serde::Serialize;

/// Copper Ethernet's limit [m].
pub const COPPER_LIMIT_M: f64 = 90.0;
/// Drops from the ceiling path at both ends, and the patch at the rack [m].
pub const DROP_ALLOWANCE_M: f64 = 4.0;

/// Where an AP's cable ends and how long it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CableRun {
    /// Room the run ends in (a closet or a stair core), `None` without either.
    pub to: Option<String>,
    /// Floor of that room.
    pub floor: Option<String>,
    /// Estimated length [m].
    pub length_m: Option<f64>,
    /// Whether the run exceeds the copper limit or has nowhere to go.
    pub flagged: bool,
}

/// The cable run of an AP at `position` (building frame) on floor `floor` of building
/// `building`.
pub fn cable_run(site: &Site, building: usize, floor: usize, position: (f64, f64)) -> CableRun {
    let b = &site.buildings[building];
    let here = b.floors[floor].elevation;
    let centre = |o: &[(f64, f64)]| {
        let n = o.len() as f64;
        (o.iter().map(|p| p.0).sum::<f64>() / n, o.iter().map(|p| p.1).sum::<f64>() / n)
    };
    let nearest = |pick: &dyn Fn(&crate::plan::Room) -> bool| {
        let mut best: Option<(f64, String, String)> = None;
        for f in &b.floors {
            for r in f.rooms.iter().filter(|r| pick(r)) {
                let c = centre(&r.outline);
                let length =
                    (c.0 - position.0).abs() + (c.1 - position.1).abs() + (f.elevation - here).abs() + DROP_ALLOWANCE_M;
                if best.as_ref().is_none_or(|x| length < x.0) {
                    best = Some((length, r.name.clone(), f.name.clone()));
                }
            }
        }
        best
    };
    let found = nearest(&|r| r.closet).or_else(|| nearest(&|r| r.kind == RoomKind::Stair));
    match found {
        Some((length, to, floor)) => {
            CableRun { to: Some(to), floor: Some(floor), length_m: Some(length), flagged: length > COPPER_LIMIT_M }
        }
        None => CableRun { to: None, floor: None, length_m: None, flagged: true },
    }
}
