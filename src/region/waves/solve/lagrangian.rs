//! The Lagrangian relaxation of the coupling rows (capacity per window and département,
//! budget, envelopes): each site then picks its best window alone, which bounds the
//! optimum; projected subgradient steps (Polyak, rows normalised to 1) lower the bound
//! while [`repair`] turns each step's choices into a plan.

use super::{Solution, StepScale, candidates, repair, tie_break};
use crate::region::waves::model::Problem;
use std::collections::BTreeMap;
use std::time::Instant;

/// The rows coupled by the relaxation.
struct Rows {
    /// Row of (window, département) capacity, if any site fits it.
    capacity: Vec<Vec<Option<usize>>>,
    /// Row of the budget.
    budget: usize,
    /// Row of each envelope year.
    yearly: BTreeMap<i32, usize>,
    count: usize,
}

impl Rows {
    fn new(p: &Problem) -> Rows {
        let mut count = 0;
        let capacity = p
            .capacity
            .iter()
            .map(|row| {
                row.iter()
                    .map(|&c| {
                        (c > 0).then(|| {
                            count += 1;
                            count - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let budget = count;
        count += 1;
        let yearly: BTreeMap<i32, usize> = p.yearly_eur.keys().enumerate().map(|(i, y)| (*y, count + i)).collect();
        count += yearly.len();
        Rows { capacity, budget, yearly, count }
    }

    /// Normalised coefficients (row, a) of site `s` in window `w`.
    fn coefficients(&self, p: &Problem, s: usize, w: usize) -> [(usize, f64); 3] {
        let it = &p.items[s];
        let cap = self.capacity[w][it.departement]
            .map_or((usize::MAX, 0.0), |r| (r, f64::from(it.crew_days) / f64::from(p.capacity[w][it.departement])));
        let budget = (self.budget, if p.budget_eur > 0.0 { it.cost_eur / p.budget_eur } else { 0.0 });
        let year = p.windows[w].year;
        let env = match (self.yearly.get(&year), p.yearly_eur.get(&year)) {
            (Some(&r), Some(&b)) if b > 0.0 => (r, it.cost_eur / b),
            _ => (usize::MAX, 0.0),
        };
        [cap, budget, env]
    }
}

pub(super) fn lagrangian(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Solution {
    let rows = Rows::new(p);
    let cands = candidates(p);
    let n = p.items.len();
    let coeff: Vec<Vec<[(usize, f64); 3]>> =
        (0..n).map(|s| cands[s].iter().map(|&w| rows.coefficients(p, s, w)).collect()).collect();
    let mut pi = vec![0.0; rows.count];
    let reduced_with = |pi: &[f64], s: usize, k: usize, w: usize| {
        let mut r = p.value(s, w) + tie_break(p, s, w);
        for (row, a) in coeff[s][k] {
            if row != usize::MAX {
                r -= pi[row] * a;
            }
        }
        r
    };
    let mut best = repair(p, &cands, &|s, w| p.value(s, w) + tie_break(p, s, w));
    let mut best_value = p.objective(&best);
    let mut scale = StepScale::new(20);
    let mut iterations = 0;
    let gap = |bound: f64, value: f64| if bound > 0.0 { 100.0 * (bound - value).max(0.0) / bound } else { 0.0 };
    while Instant::now() < deadline && scale.theta > 1e-5 {
        iterations += 1;
        let mut l: f64 = pi.iter().sum();
        let mut g = vec![1.0; rows.count];
        for s in 0..n {
            let mut top = (0.0, usize::MAX);
            for (k, &w) in cands[s].iter().enumerate() {
                let r = reduced_with(&pi, s, k, w);
                if r > top.0 {
                    top = (r, k);
                }
            }
            l += top.0;
            if top.1 != usize::MAX {
                for (row, a) in coeff[s][top.1] {
                    if row != usize::MAX {
                        g[row] -= a;
                    }
                }
            }
        }
        // The tie-break is below 1e-3 pupil-week in all: the bound on pupil-weeks alone.
        scale.observe(l);
        if iterations % 10 == 1 {
            let pi_now = pi.clone();
            let plan = repair(p, &cands, &|s, w| {
                let k = cands[s].iter().position(|&x| x == w).unwrap_or(0);
                reduced_with(&pi_now, s, k, w)
            });
            let v = p.objective(&plan);
            if v > best_value {
                best_value = v;
                best = plan;
            }
        }
        if gap(scale.best, best_value) <= gap_target_pct {
            break;
        }
        for (k, gk) in g.iter_mut().enumerate() {
            if pi[k] <= 0.0 && *gk > 0.0 {
                *gk = 0.0;
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-18 {
            break; // The relaxed choice is feasible and complementary: optimal.
        }
        let step = scale.theta * (l - best_value).max(1e-9 * l.abs().max(1.0)) / norm;
        for (k, gk) in g.iter().enumerate() {
            pi[k] = (pi[k] - step * gk).max(0.0);
        }
    }
    let bound = scale.best.max(best_value);
    Solution {
        objective: best_value,
        gap_pct: gap(bound, best_value),
        bound,
        assignment: best,
        method: "Lagrangian relaxation + repair".into(),
        iterations,
    }
}
