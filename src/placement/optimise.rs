//! Minimising the AP count: greedy set cover on the deficit (capacity first, then
//! coverage; ties go to the candidate that adds most secondary coverage, then reaches
//! most cells, then to the lower index), then local search — drop every AP the others
//! make redundant, and replace pairs of APs by one — never increasing the deficit.

use super::PlaceError;
use super::model::{CAPACITY_WEIGHT, MapSource, Model};
use crate::requirements::Class;
use std::cmp::Reverse;

/// Most local-search evaluations of whole solutions.
const SEARCH_BUDGET: usize = 20_000;

/// A greedy candidate's worth: deficit it removes, secondary cells it adds, cells it
/// reaches. Non-decreasing in every gain of its map.
type Worth = (u64, u64, usize);

/// The running state of the greedy.
struct Cover {
    best: Vec<f32>,
    second: Vec<f32>,
    inside: Vec<u32>,
    /// Per room: cells still missing at its threshold and at the secondary one.
    missing: Vec<(usize, usize)>,
    room_threshold: Vec<f32>,
    /// The lowest threshold of all [dBm]: a cell a candidate reaches below it can
    /// neither be covered nor secured by it.
    floor: f32,
    /// Per candidate, the cells (offsets in its gains) it reaches at `floor` or above at
    /// the greedy's power: the only ones its worth depends on, a few percent of its
    /// building's (the greedy spent a sixth of placement scanning all of them).
    relevant: Vec<Vec<u32>>,
    /// Scratch: per room, cells a candidate would add, and the rooms touched.
    per_room: Vec<(usize, usize)>,
    touched: Vec<usize>,
}

impl Cover {
    /// Recomputes candidate `c`'s relevant cells from its gains at `p` [dBm].
    fn refresh(&mut self, model: &Model, c: usize, p: f32) {
        let floor = self.floor;
        self.relevant[c] =
            model.gains[c].iter().enumerate().filter(|(_, g)| **g + p >= floor).map(|(i, _)| i as u32).collect();
    }

    /// What candidate `c` at `p` [dBm] would add; `None` when nothing.
    fn worth(&mut self, model: &Model, c: usize, p: f32) -> Option<Worth> {
        let d = model.demand;
        let ts = model.thresholds.secondary_dbm as f32;
        let mut reach = 0usize;
        let gains = &model.gains[c];
        let start = model.ranges[c].start;
        for &i in &self.relevant[c] {
            let k = start + i as usize;
            let ri = d.cells[k].room as usize;
            let r = gains[i as usize] + p;
            let t = self.room_threshold[ri];
            let mut added = (0, 0);
            if r >= t {
                reach += 1;
                if self.best[k] < t {
                    added.0 = 1;
                }
            }
            if d.rooms[ri].class == Class::Primary && self.second[k] < ts {
                let new_second = if r > self.best[k] { self.best[k] } else { r.max(self.second[k]) };
                if new_second >= ts {
                    added.1 = 1;
                }
            }
            if added != (0, 0) {
                let slot = &mut self.per_room[ri];
                if *slot == (0, 0) {
                    self.touched.push(ri);
                }
                slot.0 += added.0;
                slot.1 += added.1;
            }
        }
        let (mut gain_cells, mut gain_secondary) = (0u64, 0u64);
        for ri in self.touched.drain(..) {
            let (a, b) = std::mem::take(&mut self.per_room[ri]);
            gain_cells += a.min(self.missing[ri].0) as u64;
            gain_secondary += b.min(self.missing[ri].1) as u64;
        }
        let room = model.candidates[c].room;
        if self.inside[room] < d.rooms[room].capacity_need {
            gain_cells += CAPACITY_WEIGHT;
        }
        (gain_cells > 0).then_some((gain_cells, gain_secondary, reach))
    }
}

/// Greedy: adds the candidate that reduces the deficit most until it is zero or nothing
/// helps. Returns the chosen candidates in order.
///
/// Lazy: a candidate without its full map is ranked by its estimated one, and its full
/// map is asked of `source` only when that ranking puts it ahead of every candidate
/// already known; the pick always has its full map. Were every estimate above its
/// full map, the pick would be the one full maps of all candidates give; the estimate
/// is a median, not a bound (see [`super::model::REFLECTION_ALLOWANCE_DB`]), so a
/// candidate underestimated by it can be passed over for one nearly as good (on the
/// region, about 1.3 full maps per AP placed, and the same AP count within one AP on
/// most sites whatever the order in which maps are asked for).
pub fn greedy(model: &mut Model, power: f64, source: &MapSource) -> Result<Vec<usize>, PlaceError> {
    let d = model.demand;
    let p = power as f32;
    let n = d.cells.len();
    let mut cover = Cover {
        best: vec![f32::NEG_INFINITY; n],
        second: vec![f32::NEG_INFINITY; n],
        inside: vec![0u32; d.rooms.len()],
        missing: Vec::new(),
        room_threshold: (0..d.rooms.len()).map(|r| model.threshold(r) as f32).collect(),
        floor: f32::INFINITY,
        relevant: vec![Vec::new(); model.candidates.len()],
        per_room: vec![(0usize, 0usize); d.rooms.len()],
        touched: Vec::new(),
    };
    cover.floor = cover.room_threshold.iter().copied().fold(model.thresholds.secondary_dbm as f32, f32::min);
    for c in 0..model.candidates.len() {
        cover.refresh(model, c, p);
    }
    let mut chosen: Vec<usize> = Vec::new();
    let mut taken = vec![false; model.candidates.len()];
    loop {
        cover.missing = model
            .counts(&cover.best, &cover.second)
            .into_iter()
            .zip(&model.needs)
            .map(|((covered, secured), &(need, need2))| (need.saturating_sub(covered), need2.saturating_sub(secured)))
            .collect();
        let capacity_missing: u64 =
            d.rooms.iter().zip(&cover.inside).map(|(r, &i)| u64::from(r.capacity_need.saturating_sub(i))).sum();
        let total: u64 = cover.missing.iter().map(|m| m.0 as u64).sum::<u64>() + capacity_missing * CAPACITY_WEIGHT;
        if total == 0 {
            break;
        }
        let mut worth: Vec<Option<Worth>> =
            (0..taken.len()).map(|c| if taken[c] { None } else { cover.worth(model, c, p) }).collect();
        // Highest worth first, then the lower index.
        let key = |worth: &[Option<Worth>], c: usize| worth[c].map(|w| (w, Reverse(c)));
        let pick = loop {
            let known = (0..taken.len()).filter(|&c| model.exact[c]).filter_map(|c| key(&worth, c)).max();
            // One map at a time: the candidate ranked first is usually the pick, and
            // each map asked for beside it would be wasted (16 at a time, the whole
            // region's placement computed 28,073 full maps; one at a time, 7,102).
            let ahead = (0..taken.len())
                .filter(|&c| !model.exact[c])
                .filter_map(|c| key(&worth, c))
                .filter(|k| Some(*k) > known)
                .max();
            let Some((_, Reverse(c))) = ahead else {
                break known.map(|(_, Reverse(c))| c);
            };
            model.make_exact(&[c], source)?;
            cover.refresh(model, c, p);
            worth[c] = cover.worth(model, c, p);
        };
        let Some(c) = pick else { break };
        taken[c] = true;
        chosen.push(c);
        cover.inside[model.candidates[c].room] += 1;
        model.add(&mut cover.best, &mut cover.second, c, power);
    }
    Ok(chosen)
}

/// Local search from a solution: removes redundant APs (latest first), then tries to
/// replace two APs by one candidate; repeats while it helps and the budget lasts. Never
/// increases the deficit.
pub fn improve(
    model: &mut Model,
    mut chosen: Vec<usize>,
    power: f64,
    source: &MapSource,
) -> Result<Vec<usize>, PlaceError> {
    let with_power = |set: &[usize]| set.iter().map(|&c| (c, power)).collect::<Vec<_>>();
    let target = model.evaluate(&with_power(&chosen)).deficit;
    let (candidates, demand) = (model.candidates, model.demand);
    let mut budget = SEARCH_BUDGET;
    loop {
        let mut changed = false;
        // Drop redundant APs.
        let mut i = chosen.len();
        while i > 0 && budget > 0 {
            i -= 1;
            let mut trial = chosen.clone();
            trial.remove(i);
            budget -= 1;
            if model.evaluate(&with_power(&trial)).deficit <= target {
                chosen = trial;
                changed = true;
            }
        }
        // Two for one: APs whose rooms do not hold them for capacity, replaced by a
        // candidate within 12 m of both on the same grid.
        let eval = model.evaluate(&with_power(&chosen));
        let free: Vec<usize> = (0..chosen.len())
            .filter(|&i| {
                let room = candidates[chosen[i]].room;
                eval.rooms[room].2 > demand.rooms[room].capacity_need
            })
            .collect();
        'pairs: for (ai, &a) in free.iter().enumerate() {
            for &b in &free[ai + 1..] {
                let (ca, cb) = (&candidates[chosen[a]], &candidates[chosen[b]]);
                if demand.rooms[ca.room].grid != demand.rooms[cb.room].grid {
                    continue;
                }
                let near = |c: &super::candidates::Candidate, o: &super::candidates::Candidate| {
                    (c.local.0 - o.local.0).hypot(c.local.1 - o.local.1) <= 12.0
                };
                for (c, cand) in candidates.iter().enumerate() {
                    if budget == 0 {
                        break 'pairs;
                    }
                    if chosen.contains(&c) || !near(cand, ca) || !near(cand, cb) {
                        continue;
                    }
                    let mut trial: Vec<usize> =
                        chosen.iter().enumerate().filter(|(i, _)| *i != a && *i != b).map(|(_, &x)| x).collect();
                    trial.push(c);
                    budget -= 1;
                    // The full map, only for a candidate whose estimate makes it.
                    let fits = |model: &Model| model.evaluate(&with_power(&trial)).deficit <= target;
                    if fits(model) && !model.exact[c] {
                        model.make_exact(&[c], source)?;
                    }
                    if fits(model) {
                        chosen = trial;
                        changed = true;
                        break 'pairs;
                    }
                }
            }
        }
        if !changed || budget == 0 {
            break;
        }
    }
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::super::{candidates, demand::Demand, maps::CandidateMaps};
    use super::*;
    use crate::requirements::Requirements;
    use crate::solver::{CpuBackend, Settings};

    /// A splitmix64 step: the seeded noise of the estimates.
    fn next(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn lazy_greedy_picks_what_full_maps_pick_when_every_estimate_bounds_its_map() {
        let demo = crate::plan::load(std::path::Path::new("floorplans/lycee-demo.ron")).unwrap();
        // Its main teaching block, alone in its own frame.
        let site = crate::plan::Site { buildings: vec![demo.buildings[0].in_own_frame()], ..demo };
        let req = Requirements { cell_m: 1.0, ..Requirements::default() };
        let demand = Demand::of(&site, &req);
        let cands = candidates::candidates(&site, &demand, &req);
        let maps = CandidateMaps::new(&site, &demand, &cands, req.band.centre_ghz(), None, &CpuBackend).unwrap();
        let settings = Settings { max_reflections: req.max_reflections, ..Settings::default() };
        let all: Vec<usize> = (0..cands.len()).collect();
        let full = maps.compute(&all, settings, &|_| {}).unwrap();
        let power = req.design_power_dbm();

        let mut eager = Model::new(&demand, &cands, full.clone(), vec![true; cands.len()], &req);
        let never = |_: &[usize]| -> Result<Vec<Vec<f32>>, PlaceError> { panic!("every map is known") };
        let expected = greedy(&mut eager, power, &never).unwrap();

        for seed in [1u64, 2, 3] {
            let mut state = seed;
            // Each estimate above its full map by 0–6 dB, cell by cell.
            let estimates: Vec<Vec<f32>> =
                full.iter().map(|m| m.iter().map(|&g| g + (6.0 * next(&mut state)) as f32).collect()).collect();
            let asked = std::cell::Cell::new(0usize);
            let source = |which: &[usize]| {
                asked.set(asked.get() + which.len());
                Ok(which.iter().map(|&c| full[c].clone()).collect())
            };
            let mut lazy = Model::new(&demand, &cands, estimates, vec![false; cands.len()], &req);
            let got = greedy(&mut lazy, power, &source).unwrap();
            assert_eq!(got, expected, "seed {seed}");
            assert!(got.iter().all(|&c| lazy.exact[c]), "seed {seed}: a pick without its full map");
            println!("seed {seed}: {} full maps of {} candidates for {} APs", asked.get(), cands.len(), got.len());
            assert!(asked.get() < cands.len(), "seed {seed}: every map was asked for");
        }
    }
}
