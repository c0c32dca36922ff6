//! The wave solver: maximise pupil-weeks under capacity, budget and yearly envelopes.
//! [`solve`] chooses among four methods, one file each: [`departments`] (exact branch and
//! bound per département, where nothing couples them), [`lagrangian`] (relaxation and
//! repair, the proven bound), [`budget_first`] (where the budget binds) and [`lp`] (the
//! exact MILP and the LP bound). This file holds what they share: the solution, the
//! tie-break, the remaining room of a partial plan and the local search.
//!
//! Two methods share one problem. A Lagrangian relaxation of the coupling constraints
//! (capacity per window and département, budget, envelopes) gives an upper bound — each
//! site then picks its best window alone — minimised by projected subgradient steps
//! (Polyak, rows normalised to 1), while a greedy repair of the multipliers' choices plus
//! local search gives plans; their distance is the proven gap. Where the problem is small
//! enough (the region: 129 sites × 11 windows), the MILP is then solved exactly by
//! branch and bound (good_lp's pure-Rust microlp), which proves the optimum: gap 0.

mod budget_first;
mod departments;
mod lagrangian;
mod lp;

use super::model::{Assignment, Problem};
use budget_first::budget_first;
use departments::by_department;
use lagrangian::lagrangian;
use lp::{lp_bound, milp};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Largest site × window count handed to the exact MILP.
pub const MILP_LIMIT: usize = 600;

/// A solved schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Window of each site (in [`Problem::items`] order), or none.
    pub assignment: Assignment,
    /// Its pupil-weeks.
    pub objective: f64,
    /// Proven upper bound on the pupil-weeks.
    pub bound: f64,
    /// (bound − objective) / bound [%].
    pub gap_pct: f64,
    /// How it was found.
    pub method: String,
    /// Subgradient iterations run.
    pub iterations: usize,
}

/// Tie-break: among equal plans prefer the one that puts the lower UAI earlier; the sum
/// over all sites stays below a thousandth of a pupil-week.
pub(super) fn tie_break(p: &Problem, s: usize, w: usize) -> f64 {
    let n = p.items.len() as f64;
    let k = p.windows.len() as f64;
    1e-3 * (n - s as f64) / (n * n) * (k - w as f64) / k
}

/// The step scale θ of a projected subgradient descent on a dual bound (Polyak steps
/// θ·(bound − target)/‖g‖²): halved after `patience` iterations without a lower bound.
pub(super) struct StepScale {
    /// θ, from 1.
    pub(super) theta: f64,
    /// Lowest bound seen.
    pub(super) best: f64,
    since_better: usize,
    patience: usize,
}

impl StepScale {
    pub(super) fn new(patience: usize) -> StepScale {
        StepScale { theta: 1.0, best: f64::INFINITY, since_better: 0, patience }
    }

    /// Records this iteration's bound.
    pub(super) fn observe(&mut self, bound: f64) {
        if bound < self.best - 1e-9 {
            self.best = bound;
            self.since_better = 0;
        } else {
            self.since_better += 1;
            if self.since_better >= self.patience {
                self.theta /= 2.0;
                self.since_better = 0;
            }
        }
    }
}

/// Windows each site fits alone.
pub(super) fn candidates(p: &Problem) -> Vec<Vec<usize>> {
    (0..p.items.len()).map(|s| (0..p.windows.len()).filter(|&w| p.fits(s, w)).collect()).collect()
}

/// Remaining room of a partial plan.
pub(super) struct Room {
    capacity: Vec<Vec<i64>>,
    budget: f64,
    yearly: BTreeMap<i32, f64>,
}

impl Room {
    pub(super) fn new(p: &Problem) -> Room {
        Room {
            capacity: p.capacity.iter().map(|r| r.iter().map(|&c| i64::from(c)).collect()).collect(),
            budget: p.budget_eur,
            yearly: p.yearly_eur.clone(),
        }
    }

    pub(super) fn fits(&self, p: &Problem, s: usize, w: usize) -> bool {
        let it = &p.items[s];
        self.capacity[w][it.departement] >= i64::from(it.crew_days)
            && self.budget + 1e-6 >= it.cost_eur
            && self.yearly.get(&p.windows[w].year).is_none_or(|b| b + 1e-6 >= it.cost_eur)
    }

    pub(super) fn apply(&mut self, p: &Problem, s: usize, w: usize, sign: f64) {
        let it = &p.items[s];
        self.capacity[w][it.departement] -= sign as i64 * i64::from(it.crew_days);
        self.budget -= sign * it.cost_eur;
        if let Some(b) = self.yearly.get_mut(&p.windows[w].year) {
            *b -= sign * it.cost_eur;
        }
    }
}

/// A feasible plan from reduced values: sites in order of their best reduced value take
/// their best window with room; the rest take any window with room; then local search.
pub(super) fn repair(p: &Problem, cands: &[Vec<usize>], reduced: &dyn Fn(usize, usize) -> f64) -> Assignment {
    let n = p.items.len();
    let mut prefs: Vec<(usize, Vec<(f64, usize)>)> = (0..n)
        .map(|s| {
            let mut v: Vec<(f64, usize)> = cands[s].iter().map(|&w| (reduced(s, w), w)).collect();
            v.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            (s, v)
        })
        .collect();
    prefs.sort_by(|a, b| {
        let best = |v: &Vec<(f64, usize)>| v.first().map_or(f64::NEG_INFINITY, |x| x.0);
        best(&b.1).total_cmp(&best(&a.1)).then(a.0.cmp(&b.0))
    });
    let mut room = Room::new(p);
    let mut a: Assignment = vec![None; n];
    for (s, v) in &prefs {
        if let Some(&(_, w)) = v.iter().find(|(r, w)| *r > 0.0 && room.fits(p, *s, *w)) {
            a[*s] = Some(w);
            room.apply(p, *s, w, 1.0);
        }
    }
    improve(p, cands, &mut a, &mut room);
    a
}

/// Local search: move sites to earlier windows with room, insert unscheduled sites, swap
/// pairs of a département between windows, and replace scheduled sites by unscheduled
/// ones worth more — until nothing improves.
pub(super) fn improve(p: &Problem, cands: &[Vec<usize>], a: &mut Assignment, room: &mut Room) {
    let n = p.items.len();
    let by_pupils = {
        let mut v: Vec<usize> = (0..n).collect();
        v.sort_by(|&x, &y| p.items[y].pupils.cmp(&p.items[x].pupils).then(x.cmp(&y)));
        v
    };
    let mut by_dept: Vec<Vec<usize>> = vec![Vec::new(); p.departements.len()];
    for s in 0..n {
        by_dept[p.items[s].departement].push(s);
    }
    for _round in 0..50 {
        let mut changed = false;
        // Insert or move earlier.
        for &s in &by_pupils {
            let current = a[s].map_or(0.0, |w| p.value(s, w));
            if let Some(w) = a[s] {
                room.apply(p, s, w, -1.0);
            }
            let best = cands[s]
                .iter()
                .copied()
                .filter(|&w| room.fits(p, s, w) && p.value(s, w) > current + 1e-9)
                .max_by(|&x, &y| p.value(s, x).total_cmp(&p.value(s, y)).then(y.cmp(&x)));
            if let Some(w) = best {
                a[s] = Some(w);
                changed = true;
            }
            if let Some(w) = a[s] {
                room.apply(p, s, w, 1.0);
            }
        }
        // Swaps within a département: (x in wx, y in wy or unscheduled).
        for sites in &by_dept {
            for i in 0..sites.len() {
                for j in 0..sites.len() {
                    let (x, y) = (sites[i], sites[j]);
                    let Some(wx) = a[x] else { continue };
                    if x == y || !cands[y].contains(&wx) {
                        continue;
                    }
                    let wy = a[y];
                    let before = p.value(x, wx) + wy.map_or(0.0, |w| p.value(y, w));
                    let after_y = p.value(y, wx);
                    let after_x =
                        wy.map_or(0.0, |w| if cands[x].contains(&w) { p.value(x, w) } else { f64::NEG_INFINITY });
                    if after_y + after_x <= before + 1e-9 {
                        continue;
                    }
                    room.apply(p, x, wx, -1.0);
                    if let Some(w) = wy {
                        room.apply(p, y, w, -1.0);
                    }
                    let ok_y = room.fits(p, y, wx);
                    if ok_y {
                        room.apply(p, y, wx, 1.0);
                    }
                    let ok_x = wy.is_none_or(|w| room.fits(p, x, w));
                    if ok_y && ok_x {
                        if let Some(w) = wy {
                            room.apply(p, x, w, 1.0);
                        }
                        a[y] = Some(wx);
                        a[x] = wy;
                        changed = true;
                    } else {
                        if ok_y {
                            room.apply(p, y, wx, -1.0);
                        }
                        room.apply(p, x, wx, 1.0);
                        if let Some(w) = wy {
                            room.apply(p, y, w, 1.0);
                        }
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
}

/// Lagrangian bound and plans; stops at the gap target, the deadline, or when the step
/// vanishes.
/// Solves the problem within `time_limit` [s], stopping early at `gap_target_pct`.
pub fn solve(p: &Problem, time_limit: f64, gap_target_pct: f64) -> Solution {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(time_limit);
    if let Some(sol) = by_department(p, deadline, gap_target_pct) {
        return sol;
    }
    let third = start + Duration::from_secs_f64(time_limit / 3.0);
    // The relaxation gives a bound (and a plan); where no envelope is set, the
    // budget-first plan is usually better.
    let relaxed = lagrangian(p, third, gap_target_pct);
    let mut sol = relaxed.clone();
    if p.yearly_eur.is_empty() {
        let first = budget_first(p, deadline, gap_target_pct);
        if first.objective > sol.objective {
            sol = Solution { method: first.method, objective: first.objective, assignment: first.assignment, ..sol };
        }
    }
    if let Some(lp) = lp_bound(p) {
        sol.bound = sol.bound.min(lp);
    }
    sol.bound = sol.bound.max(sol.objective);
    sol.gap_pct = if sol.bound > 0.0 { 100.0 * (sol.bound - sol.objective) / sol.bound } else { 0.0 };
    if sol.gap_pct > gap_target_pct && p.items.len() * p.windows.len() <= MILP_LIMIT {
        match milp(p, deadline) {
            Some(Ok(a)) if p.violations(&a).is_empty() => {
                let v = p.objective(&a);
                sol = Solution {
                    objective: v,
                    bound: v,
                    gap_pct: 0.0,
                    assignment: a,
                    method: "MILP, branch and bound (microlp): proven optimal".into(),
                    iterations: sol.iterations,
                };
            }
            Some(Ok(_)) => sol.method.push_str("; the MILP's plan broke a constraint and was set aside"),
            Some(Err(e)) => sol.method.push_str(&format!("; the MILP failed: {e}")),
            None => sol.method.push_str("; the exact MILP did not finish within the time limit"),
        }
    }
    sol
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::calendar::Calendar;
    use crate::region::waves::config::WavesConfig;
    use crate::region::waves::model::Item;
    use crate::seed::{below, rng, uniform};

    /// A tiny problem: `n` sites in two départements over the first three windows.
    fn tiny(seed: &str, n: usize, budget_share: f64, yearly: bool) -> Problem {
        let r = &mut rng(seed);
        let mut config = WavesConfig { default_crews: 1, ..WavesConfig::default() };
        config.waves.truncate(2);
        config.crews.clear();
        config.aps_per_crew_day = 1;
        let windows = config.windows(&Calendar::bundled()).unwrap();
        let items: Vec<Item> = (0..n)
            .map(|i| Item {
                uai: format!("{i:03}T"),
                name: String::new(),
                departement: below(r, 2),
                pupils: 100 + below(r, 900) as u32,
                aps: 0,
                crew_days: 3 + below(r, 12) as u32,
                cost_eur: uniform(r, 20_000.0, 90_000.0).round(),
                latitude: 49.0,
                longitude: 0.0,
                approximated: false,
            })
            .collect();
        let total: f64 = items.iter().map(|i| i.cost_eur).sum();
        config.budget_eur = (total * budget_share).round();
        if yearly {
            config.yearly_budget_eur.insert(2021, (total * 0.3).round());
        }
        Problem::new(&config, windows, items, vec!["A".into(), "B".into()])
    }

    fn brute_force(p: &Problem) -> f64 {
        let (n, w) = (p.items.len(), p.windows.len());
        let mut best = 0.0f64;
        let mut a: Assignment = vec![None; n];
        let total = (w + 1).pow(n as u32);
        for code in 0..total {
            let mut c = code;
            for slot in a.iter_mut() {
                let k = c % (w + 1);
                c /= w + 1;
                *slot = (k < w).then_some(k);
            }
            if p.violations(&a).is_empty() {
                best = best.max(p.objective(&a));
            }
        }
        best
    }

    #[test]
    fn the_milp_finds_the_brute_force_optimum_and_the_relaxation_bounds_it() {
        for i in 0..12 {
            let seed = format!("tiny-{i}");
            let p = tiny(&seed, 6, [1.0, 0.6, 0.4][i % 3], i % 4 == 3);
            let optimum = brute_force(&p);
            let sol = solve(&p, 20.0, 0.0);
            assert!(p.violations(&sol.assignment).is_empty(), "seed {seed}: {:?}", p.violations(&sol.assignment));
            assert!((sol.objective - optimum).abs() < 1e-6, "seed {seed}: {} vs brute force {optimum}", sol.objective);
            assert_eq!(sol.gap_pct, 0.0, "seed {seed}: {}", sol.method);
            let relaxed = lagrangian(&p, Instant::now() + Duration::from_secs(2), 0.0);
            assert!(p.violations(&relaxed.assignment).is_empty(), "seed {seed}: the repaired plan is feasible");
            assert!(
                relaxed.bound >= optimum - 1e-6,
                "seed {seed}: bound {} below the optimum {optimum}",
                relaxed.bound
            );
            assert!(relaxed.objective <= optimum + 1e-6, "seed {seed}");
        }
    }

    #[test]
    fn ten_thousand_synthetic_sites_reach_a_proven_gap_of_a_tenth_of_a_percent() {
        let (items, departements, config) = crate::region::waves::synthetic::region(10_000, "scale", 1.0);
        let windows = config.windows(&Calendar::bundled()).unwrap();
        let p = Problem::new(&config, windows, items, departements);
        let sol = solve(&p, 60.0, 0.1);
        assert!(p.violations(&sol.assignment).is_empty());
        assert!(sol.gap_pct <= 0.1, "gap {} % ({})", sol.gap_pct, sol.method);
        assert!(sol.bound >= sol.objective && sol.objective > 0.0);
    }
}
