//! Minimising the AP count: greedy set cover on the deficit (capacity first, then
//! coverage; ties go to the candidate that adds most secondary coverage, then reaches
//! most cells, then to the lower index), then local search — drop every AP the others
//! make redundant, and replace pairs of APs by one — never increasing the deficit.

use super::model::{CAPACITY_WEIGHT, Model};
use crate::requirements::Class;

/// Most local-search evaluations of whole solutions.
const SEARCH_BUDGET: usize = 20_000;

/// Greedy: adds the candidate that reduces the deficit most until it is zero or nothing
/// helps. Returns the chosen candidates in order.
pub fn greedy(model: &Model, power: f64) -> Vec<usize> {
    let d = model.demand;
    let p = power as f32;
    let ts = model.thresholds.secondary_dbm as f32;
    let n = d.cells.len();
    let (mut best, mut second) = (vec![f32::NEG_INFINITY; n], vec![f32::NEG_INFINITY; n]);
    let mut inside = vec![0u32; d.rooms.len()];
    let mut chosen: Vec<usize> = Vec::new();
    let mut taken = vec![false; model.candidates.len()];
    let room_threshold: Vec<f32> = (0..d.rooms.len()).map(|r| model.threshold(r) as f32).collect();
    let mut per_room = vec![(0usize, 0usize); d.rooms.len()];
    loop {
        // Current missing cells per room.
        let missing: Vec<(usize, usize)> = model
            .counts(&best, &second)
            .into_iter()
            .zip(&model.needs)
            .map(|((covered, secured), &(need, need2))| (need.saturating_sub(covered), need2.saturating_sub(secured)))
            .collect();
        let capacity_missing: u64 =
            d.rooms.iter().zip(&inside).map(|(r, &i)| u64::from(r.capacity_need.saturating_sub(i))).sum();
        let total: u64 = missing.iter().map(|m| m.0 as u64).sum::<u64>() + capacity_missing * CAPACITY_WEIGHT;
        if total == 0 {
            break;
        }
        let mut pick: Option<(u64, u64, usize, usize)> = None; // (gain, secondary gain, reach, candidate)
        for (c, _) in taken.iter().enumerate().filter(|(_, t)| !**t) {
            let mut gain_cells = 0u64;
            let mut reach = 0usize;
            let gains = &model.gains[c];
            let range = model.ranges[c].clone();
            per_room.iter_mut().for_each(|x| *x = (0, 0));
            for (k, cell) in d.cells.iter().enumerate().skip(range.start).take(range.len()) {
                let ri = cell.room as usize;
                let r = gains[k - range.start] + p;
                let t = room_threshold[ri];
                if r >= t {
                    reach += 1;
                    if best[k] < t {
                        per_room[ri].0 += 1;
                    }
                }
                if d.rooms[ri].class == Class::Primary && second[k] < ts {
                    let new_second = if r > best[k] { best[k] } else { r.max(second[k]) };
                    if new_second >= ts {
                        per_room[ri].1 += 1;
                    }
                }
            }
            let mut gain_secondary = 0u64;
            for (ri, (a, b)) in per_room.iter().enumerate() {
                gain_cells += (*a).min(missing[ri].0) as u64;
                gain_secondary += (*b).min(missing[ri].1) as u64;
            }
            let room = model.candidates[c].room;
            if inside[room] < d.rooms[room].capacity_need {
                gain_cells += CAPACITY_WEIGHT;
            }
            if gain_cells == 0 {
                continue;
            }
            if pick.is_none_or(|(g, g2, r, _)| (gain_cells, gain_secondary, reach) > (g, g2, r)) {
                pick = Some((gain_cells, gain_secondary, reach, c));
            }
        }
        let Some((_, _, _, c)) = pick else { break };
        taken[c] = true;
        chosen.push(c);
        inside[model.candidates[c].room] += 1;
        model.add(&mut best, &mut second, c, power);
    }
    chosen
}

/// Local search from a solution: removes redundant APs (latest first), then tries to
/// replace two APs by one candidate; repeats while it helps and the budget lasts. Never
/// increases the deficit.
pub fn improve(model: &Model, mut chosen: Vec<usize>, power: f64) -> Vec<usize> {
    let with_power = |set: &[usize]| set.iter().map(|&c| (c, power)).collect::<Vec<_>>();
    let target = model.evaluate(&with_power(&chosen)).deficit;
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
                let room = model.candidates[chosen[i]].room;
                eval.rooms[room].2 > model.demand.rooms[room].capacity_need
            })
            .collect();
        'pairs: for (ai, &a) in free.iter().enumerate() {
            for &b in &free[ai + 1..] {
                let (ca, cb) = (&model.candidates[chosen[a]], &model.candidates[chosen[b]]);
                if model.demand.rooms[ca.room].grid != model.demand.rooms[cb.room].grid {
                    continue;
                }
                let near = |c: &super::candidates::Candidate, o: &super::candidates::Candidate| {
                    (c.site[0] - o.site[0]).hypot(c.site[1] - o.site[1]) <= 12.0
                };
                for (c, cand) in model.candidates.iter().enumerate() {
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
                    if model.evaluate(&with_power(&trial)).deficit <= target {
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
    chosen
}
