//! The coverage model the optimiser works on: every candidate's path gain at every demand
//! cell, and for a set of APs at given powers, the best and second-best RSSI per cell,
//! the covered share of each room against its thresholds, and the deficit — how many
//! cells and in-room APs are still missing.
//!
//! The deficit counts the hard requirements: primary (or circulation) coverage and
//! capacity. Secondary coverage (a second AP for roaming) is counted apart: the
//! optimiser pursues it through positions and powers but never adds an AP for it alone —
//! a classroom behind concrete would otherwise need two APs — and rooms below it are
//! reported.

use super::PlaceError;
use super::candidates::Candidate;
use super::demand::Demand;
use crate::coverage::cells_needed;
use crate::requirements::{Class, Requirements, Thresholds};

/// Weight of one missing in-room AP against one missing cell: capacity comes first.
pub const CAPACITY_WEIGHT: u64 = 1_000_000;

/// What reflections are assumed to add to a candidate's direct field before its full
/// map is computed [dB] (see [`Model::estimate`]): about the median of what one
/// reflection adds at the cells a candidate can cover (2.4–3.3 dB on three lycées of
/// the region). It ranks candidates; it does not bound them (3 dB: 9,219 full maps
/// instead of 7,102 for the region, for 0.2 % fewer APs).
pub const REFLECTION_ALLOWANCE_DB: f32 = 2.0;

/// Computes the full maps of the candidates it is given, in that order.
pub type MapSource<'s> = dyn Fn(&[usize]) -> Result<Vec<Vec<f32>>, PlaceError> + 's;

/// Candidates and their gains at the demand cells.
pub struct Model<'a> {
    /// Demand cells and rooms.
    pub demand: &'a Demand,
    /// Candidates.
    pub candidates: &'a [Candidate],
    /// `gains[c][k - ranges[c].start]`: path gain of candidate c at demand cell k [dB],
    /// for the cells of its own building (elsewhere −∞): its full map where `exact[c]`,
    /// else an estimate of it (see [`Model::estimate`]) or nothing (a site's model after
    /// its buildings were placed keeps full maps only).
    pub gains: Vec<Vec<f32>>,
    /// Whether each candidate's full map is known.
    pub exact: Vec<bool>,
    /// Per candidate, the demand cells its gains cover.
    pub ranges: Vec<std::ops::Range<usize>>,
    /// Thresholds [dBm].
    pub thresholds: Thresholds,
    /// Per room: cells needed at the primary (or circulation) threshold, and at the
    /// secondary one (0 for circulation rooms).
    pub needs: Vec<(usize, usize)>,
    /// Per room: its candidates.
    pub room_candidates: Vec<Vec<usize>>,
}

/// A set of APs evaluated against the requirements.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Best RSSI per demand cell [dBm].
    pub best: Vec<f32>,
    /// Second-best RSSI per demand cell [dBm].
    pub second: Vec<f32>,
    /// Per room: cells at the primary/circulation threshold, at the secondary one, and
    /// APs inside.
    pub rooms: Vec<(usize, usize, u32)>,
    /// Missing cells plus [`CAPACITY_WEIGHT`] per missing in-room AP, over all rooms.
    pub deficit: u64,
    /// Cells missing at the secondary threshold, over all rooms.
    pub secondary_missing: u64,
}

impl<'a> Model<'a> {
    /// The model over candidates' maps, `exact` saying which are full maps and which
    /// estimates.
    pub fn new(
        demand: &'a Demand,
        candidates: &'a [Candidate],
        gains: Vec<Vec<f32>>,
        exact: Vec<bool>,
        req: &Requirements,
    ) -> Model<'a> {
        let needs = demand
            .rooms
            .iter()
            .map(|r| {
                let need = |f: f64| cells_needed(f, r.cells.len());
                match r.class {
                    Class::Primary => (need(req.primary_fraction), need(req.secondary_fraction)),
                    Class::Circulation => (need(req.circulation_fraction), 0),
                }
            })
            .collect();
        let mut room_candidates = vec![Vec::new(); demand.rooms.len()];
        for (c, cand) in candidates.iter().enumerate() {
            room_candidates[cand.room].push(c);
        }
        let ranges = candidates.iter().map(|c| demand.building_cells(demand.rooms[c.room].building)).collect();
        Model { demand, candidates, gains, exact, ranges, thresholds: req.thresholds(), needs, room_candidates }
    }

    /// The estimate of a full map from its direct field (no reflection) [dB]: the
    /// direct field raised by [`REFLECTION_ALLOWANCE_DB`]. Not a bound: where walls
    /// block the direct path, reflections add far more (p99 10–13 dB, and cells behind
    /// metal that only reflections reach).
    pub fn estimate(direct: Vec<f32>) -> Vec<f32> {
        direct.into_iter().map(|g| g + REFLECTION_ALLOWANCE_DB).collect()
    }

    /// Makes the maps of candidates `which` exact, asking `source` for those not yet.
    pub fn make_exact(&mut self, which: &[usize], source: &MapSource) -> Result<(), PlaceError> {
        let missing: Vec<usize> = which.iter().copied().filter(|&c| !self.exact[c]).collect();
        if missing.is_empty() {
            return Ok(());
        }
        for (c, g) in missing.iter().zip(source(&missing)?) {
            self.gains[*c] = g;
            self.exact[*c] = true;
        }
        Ok(())
    }

    /// Path gain of candidate `c` at demand cell `k` [dB] (−∞ outside its building, or
    /// where its gains are not kept).
    #[inline]
    pub fn gain(&self, c: usize, k: usize) -> f32 {
        let r = &self.ranges[c];
        if r.contains(&k) {
            self.gains[c].get(k - r.start).copied().unwrap_or(f32::NEG_INFINITY)
        } else {
            f32::NEG_INFINITY
        }
    }

    /// Whether candidate `c`'s path gain at demand cell `k` may reach `gain` [dB]: its
    /// full map says, or without one, any cell of its building may.
    pub fn may_reach(&self, c: usize, k: usize, gain: f32) -> bool {
        if self.exact[c] { self.gain(c, k) >= gain } else { self.ranges[c].contains(&k) }
    }

    /// The threshold of a room's class [dBm].
    pub fn threshold(&self, room: usize) -> f64 {
        match self.demand.rooms[room].class {
            Class::Primary => self.thresholds.primary_dbm,
            Class::Circulation => self.thresholds.circulation_dbm,
        }
    }

    /// Folds candidate `c` at `power` [dBm] into running best and second-best RSSI.
    pub fn add(&self, best: &mut [f32], second: &mut [f32], c: usize, power: f64) {
        let p = power as f32;
        let range = self.ranges[c].clone();
        for ((b, s), &g) in best[range.clone()].iter_mut().zip(second[range].iter_mut()).zip(&self.gains[c]) {
            let r = g + p;
            if r > *b {
                *s = *b;
                *b = r;
            } else if r > *s {
                *s = r;
            }
        }
    }

    /// Per room: cells at its primary (or circulation) threshold and at the secondary one.
    pub fn counts(&self, best: &[f32], second: &[f32]) -> Vec<(usize, usize)> {
        let ts = self.thresholds.secondary_dbm as f32;
        self.demand
            .rooms
            .iter()
            .enumerate()
            .map(|(ri, room)| {
                let t = self.threshold(ri) as f32;
                let covered = best[room.cells.clone()].iter().filter(|&&b| b >= t).count();
                let secured = if room.class == Class::Primary {
                    second[room.cells.clone()].iter().filter(|&&s| s >= ts).count()
                } else {
                    0
                };
                (covered, secured)
            })
            .collect()
    }

    /// Evaluates APs given as (candidate, transmit power [dBm]).
    pub fn evaluate(&self, aps: &[(usize, f64)]) -> Evaluation {
        let n = self.demand.cells.len();
        let (mut best, mut second) = (vec![f32::NEG_INFINITY; n], vec![f32::NEG_INFINITY; n]);
        for &(c, power) in aps {
            self.add(&mut best, &mut second, c, power);
        }
        let mut inside = vec![0u32; self.demand.rooms.len()];
        for &(c, _) in aps {
            inside[self.candidates[c].room] += 1;
        }
        let mut rooms = Vec::with_capacity(self.demand.rooms.len());
        let mut deficit = 0u64;
        let mut secondary_missing = 0u64;
        for (ri, room) in self.demand.rooms.iter().enumerate() {
            let t = self.threshold(ri) as f32;
            let ts = self.thresholds.secondary_dbm as f32;
            let cells = room.cells.clone();
            let covered = best[cells.clone()].iter().filter(|&&b| b >= t).count();
            let secured =
                if room.class == Class::Primary { second[cells].iter().filter(|&&s| s >= ts).count() } else { 0 };
            let (need, need2) = self.needs[ri];
            deficit += need.saturating_sub(covered) as u64
                + u64::from(room.capacity_need.saturating_sub(inside[ri])) * CAPACITY_WEIGHT;
            secondary_missing += need2.saturating_sub(secured) as u64;
            rooms.push((covered, secured, inside[ri]));
        }
        Evaluation { best, second, rooms, deficit, secondary_missing }
    }
}
