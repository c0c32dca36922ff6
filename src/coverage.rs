//! The one coverage evaluation: rooms checked against the requirements, cell by cell.
//! Placement's check (`placement.json`), the report's coverage rows and failing rooms,
//! and the batch's `coverage_pct` are all views of a [`Coverage`] built here.
//!
//! A check is a metric at or above a threshold on a share of a room's cells. Two sets
//! exist on purpose: [`Check::design`] is what placement designs for (best-server RSSI
//! at the primary threshold, where the SNR floor is folded in, and a second AP; or the
//! circulation RSSI), and [`Check::detailed`] is what the report shows (RSSI, SNR and
//! second AP apart, so a reader sees which binds). A room meets a check when at least
//! [`cells_needed`] of its cells do; the same count decides everywhere.

use crate::plan::RoomKind;
use crate::radiomap::Metric;
use crate::requirements::{Class, Requirements};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a room is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// Best-server RSSI at the design threshold, the SNR floor folded in (placement).
    Primary,
    /// Best-server RSSI alone (report).
    Rssi,
    /// Best-server SNR (report).
    Snr,
    /// Second-strongest AP's RSSI (roaming).
    Secondary,
    /// RSSI in corridors, halls, canteen, gym, dormitories.
    Circulation,
    /// APs inside the room against ⌈occupants / clients per radio⌉.
    Capacity,
}

impl Requirement {
    /// The key written in `placement.json`.
    pub fn key(self) -> &'static str {
        match self {
            Requirement::Primary => "primary",
            Requirement::Rssi => "rssi",
            Requirement::Snr => "snr",
            Requirement::Secondary => "secondary",
            Requirement::Circulation => "circulation",
            Requirement::Capacity => "capacity",
        }
    }
}

impl std::fmt::Display for Requirement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A metric at or above a threshold on a share of a room's cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    /// What it checks.
    pub requirement: Requirement,
    /// The metric read per cell.
    pub metric: Metric,
    /// Threshold, margin included [dBm, or dB for SNR].
    pub threshold: f64,
    /// Share of the room's cells that must reach it [0–1].
    pub fraction: f64,
}

impl Check {
    /// What placement designs for, per class.
    pub fn design(class: Class, req: &Requirements) -> Vec<Check> {
        let t = req.thresholds();
        let checks = match class {
            Class::Primary => vec![
                Check {
                    requirement: Requirement::Primary,
                    metric: Metric::Rssi,
                    threshold: t.primary_dbm,
                    fraction: req.primary_fraction,
                },
                Check {
                    requirement: Requirement::Secondary,
                    metric: Metric::Secondary,
                    threshold: t.secondary_dbm,
                    fraction: req.secondary_fraction,
                },
            ],
            Class::Circulation => vec![Check {
                requirement: Requirement::Circulation,
                metric: Metric::Rssi,
                threshold: t.circulation_dbm,
                fraction: req.circulation_fraction,
            }],
        };
        Self::required(checks)
    }

    /// The checks that require something (a share of 0 is no requirement).
    fn required(mut checks: Vec<Check>) -> Vec<Check> {
        checks.retain(|c| c.fraction > 0.0);
        checks
    }

    /// What the report shows, per class: RSSI, SNR and second AP apart.
    pub fn detailed(class: Class, req: &Requirements) -> Vec<Check> {
        let m = req.margin_db;
        let checks = match class {
            Class::Primary => vec![
                Check {
                    requirement: Requirement::Rssi,
                    metric: Metric::Rssi,
                    threshold: req.primary_rssi_dbm + m,
                    fraction: req.primary_fraction,
                },
                Check {
                    requirement: Requirement::Snr,
                    metric: Metric::Snr,
                    threshold: req.min_snr_db + m,
                    fraction: req.primary_fraction,
                },
                Check {
                    requirement: Requirement::Secondary,
                    metric: Metric::Secondary,
                    threshold: req.secondary_rssi_dbm + m,
                    fraction: req.secondary_fraction,
                },
            ],
            Class::Circulation => vec![Check {
                requirement: Requirement::Circulation,
                metric: Metric::Rssi,
                threshold: req.circulation_rssi_dbm + m,
                fraction: req.circulation_fraction,
            }],
        };
        Self::required(checks)
    }
}

/// Cells of `n` that a share `fraction` needs (a hair under an exact product rounds down).
pub fn cells_needed(fraction: f64, n: usize) -> usize {
    (fraction * n as f64 - 1e-9).ceil().max(0.0) as usize
}

/// `100 · part / whole` [%], 100 for nothing to cover.
pub fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 100.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// Cells at or above a threshold, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cells at or above the threshold.
    pub met: usize,
    /// Cells counted.
    pub cells: usize,
}

impl Tally {
    /// Counts `values` at or above `threshold`.
    pub fn of(values: impl IntoIterator<Item = f32>, threshold: f64) -> Tally {
        let mut t = Tally::default();
        for v in values {
            t.cells += 1;
            t.met += usize::from(f64::from(v) >= threshold);
        }
        t
    }

    /// Share met [%].
    pub fn pct(&self) -> f64 {
        pct(self.met, self.cells)
    }

    /// Whether a room with this tally meets a share `fraction`.
    pub fn meets(&self, fraction: f64) -> bool {
        self.met >= cells_needed(fraction, self.cells)
    }

    fn add(&mut self, other: Tally) {
        self.met += other.met;
        self.cells += other.cells;
    }
}

/// One room, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomCoverage {
    /// Building name.
    pub building: String,
    /// Floor name.
    pub floor: String,
    /// Room name.
    pub room: String,
    /// Kind.
    pub kind: RoomKind,
    /// Area [m²].
    pub area_m2: f64,
    /// Strongest RSSI in the room [dBm].
    pub best_rssi_dbm: f64,
    /// Each check of its class and its tally.
    pub checks: Vec<(Check, Tally)>,
    /// APs inside and APs needed, where capacity is checked.
    pub capacity: Option<(u32, u32)>,
}

/// A room that misses a requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailingRoom {
    /// Building.
    pub building: String,
    /// Floor.
    pub floor: String,
    /// Room.
    pub room: String,
    /// Kind.
    pub kind: RoomKind,
    /// Requirement missed.
    pub requirement: Requirement,
    /// Its threshold, margin included [dBm, or dB for SNR; 0 for capacity].
    pub threshold: f64,
    /// What it reaches: share of cells [%], or APs inside for capacity.
    pub achieved: f64,
    /// What it needs, in the same unit.
    pub needed: f64,
    /// Strongest RSSI anywhere in the room [dBm].
    pub best_rssi_dbm: f64,
}

/// Rooms of one kind against one check.
#[derive(Debug, Clone, PartialEq)]
pub struct KindCheck {
    /// The check.
    pub check: Check,
    /// Cells over the rooms.
    pub tally: Tally,
    /// Rooms that miss it.
    pub failing_rooms: usize,
}

/// The rooms of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindCoverage {
    /// Kind.
    pub kind: RoomKind,
    /// Rooms.
    pub rooms: usize,
    /// Their area [m²].
    pub area_m2: f64,
    /// Per check of the kind's class, in order.
    pub checks: Vec<KindCheck>,
}

/// A site's rooms evaluated against the requirements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// Rooms in plan order.
    pub rooms: Vec<RoomCoverage>,
}

impl Coverage {
    /// The rooms that miss a check, in room order, each room's checks in order and its
    /// capacity last.
    pub fn failing(&self) -> Vec<FailingRoom> {
        let mut out = Vec::new();
        for r in &self.rooms {
            let fail = |requirement, threshold, achieved, needed| FailingRoom {
                building: r.building.clone(),
                floor: r.floor.clone(),
                room: r.room.clone(),
                kind: r.kind,
                requirement,
                threshold,
                achieved,
                needed,
                best_rssi_dbm: r.best_rssi_dbm,
            };
            for (c, t) in &r.checks {
                if !t.meets(c.fraction) {
                    out.push(fail(c.requirement, c.threshold, t.pct(), 100.0 * c.fraction));
                }
            }
            if let Some((inside, need)) = r.capacity
                && inside < need
            {
                out.push(fail(Requirement::Capacity, 0.0, f64::from(inside), f64::from(need)));
            }
        }
        out
    }

    /// Per requirement, its check (the first room's) and the cells over every room.
    pub fn totals(&self) -> BTreeMap<Requirement, (Check, Tally)> {
        let mut out: BTreeMap<Requirement, (Check, Tally)> = BTreeMap::new();
        for (c, t) in self.rooms.iter().flat_map(|r| &r.checks) {
            out.entry(c.requirement).or_insert((*c, Tally::default())).1.add(*t);
        }
        out
    }

    /// Share of cells that meet `requirement` over the rooms checked against it [%].
    pub fn share(&self, requirement: Requirement) -> f64 {
        self.totals().get(&requirement).map_or(100.0, |(_, t)| t.pct())
    }

    /// Per room kind (in [`RoomKind`] order), its rooms and each check over them.
    pub fn by_kind(&self) -> Vec<KindCoverage> {
        let mut kinds: BTreeMap<RoomKind, KindCoverage> = BTreeMap::new();
        for r in &self.rooms {
            let k = kinds.entry(r.kind).or_insert_with(|| KindCoverage {
                kind: r.kind,
                rooms: 0,
                area_m2: 0.0,
                checks: r
                    .checks
                    .iter()
                    .map(|(c, _)| KindCheck { check: *c, tally: Tally::default(), failing_rooms: 0 })
                    .collect(),
            });
            k.rooms += 1;
            k.area_m2 += r.area_m2;
            for (kc, (c, t)) in k.checks.iter_mut().zip(&r.checks) {
                kc.tally.add(*t);
                kc.failing_rooms += usize::from(!t.meets(c.fraction));
            }
        }
        kinds.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(kind: RoomKind, checks: Vec<(Check, Tally)>) -> RoomCoverage {
        RoomCoverage {
            building: "A".into(),
            floor: "RDC".into(),
            room: format!("{kind:?}"),
            kind,
            area_m2: 10.0,
            best_rssi_dbm: -50.0,
            checks,
            capacity: Some((1, 2)),
        }
    }

    #[test]
    fn a_room_meets_a_share_when_enough_cells_do() {
        assert_eq!(cells_needed(0.99, 100), 99);
        assert_eq!(cells_needed(0.95, 20), 19, "0.95 · 20 = 19.000000000000004 must not need 20");
        assert!(Tally { met: 19, cells: 20 }.meets(0.95));
        assert!(!Tally { met: 18, cells: 20 }.meets(0.95));
        assert!(Tally::default().meets(0.99), "a room without cells needs none");
        let t = Tally::of([-70.0f32, -67.0, -66.9, f32::NEG_INFINITY], -67.0);
        assert_eq!((t.met, t.cells), (2, 4));
    }

    #[test]
    fn the_low_band_requires_its_own_threshold_in_teaching_rooms_only() {
        let low = Requirements::default().low_band_requirements();
        let d = Check::design(Class::Primary, &low);
        assert_eq!(d.len(), 1, "no second AP required at 2.4 GHz: {d:?}");
        assert_eq!((d[0].threshold, d[0].fraction), (-72.0, 0.9), "−94 dBm noise + 20 dB is below −72");
        assert!(Check::design(Class::Circulation, &low).is_empty());
        let shown: Vec<Requirement> = Check::detailed(Class::Primary, &low).iter().map(|c| c.requirement).collect();
        assert_eq!(shown, [Requirement::Rssi, Requirement::Snr]);
        assert!(low.problems().is_empty(), "{:?}", low.problems());
    }

    #[test]
    fn views_agree_with_the_rooms() {
        let req = Requirements::default();
        let d = Check::design(Class::Primary, &req);
        let c = Check::design(Class::Circulation, &req);
        let cov = Coverage {
            rooms: vec![
                room(
                    RoomKind::Classroom,
                    vec![(d[0], Tally { met: 90, cells: 100 }), (d[1], Tally { met: 100, cells: 100 })],
                ),
                room(
                    RoomKind::Classroom,
                    vec![(d[0], Tally { met: 50, cells: 50 }), (d[1], Tally { met: 10, cells: 50 })],
                ),
                room(RoomKind::Corridor, vec![(c[0], Tally { met: 40, cells: 40 })]),
            ],
        };
        assert!((cov.share(Requirement::Primary) - 140.0 / 1.5).abs() < 1e-9);
        assert_eq!(cov.share(Requirement::Snr), 100.0, "a requirement no room has");
        let failing = cov.failing();
        let what: Vec<_> = failing.iter().map(|f| (f.room.as_str(), f.requirement)).collect();
        assert_eq!(
            what,
            [
                ("Classroom", Requirement::Primary),
                ("Classroom", Requirement::Capacity),
                ("Classroom", Requirement::Secondary),
                ("Classroom", Requirement::Capacity),
                ("Corridor", Requirement::Capacity),
            ]
        );
        assert!((failing[0].achieved - 90.0).abs() < 1e-9 && (failing[0].needed - 99.0).abs() < 1e-9);
        let kinds = cov.by_kind();
        assert_eq!(kinds.len(), 2);
        assert_eq!((kinds[0].rooms, kinds[0].checks[0].tally.met, kinds[0].checks[0].failing_rooms), (2, 140, 1));
        assert_eq!(kinds[1].kind, RoomKind::Corridor);
    }
}
