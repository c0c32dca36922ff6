//! Where the budget binds (and no yearly envelope is set): the sites with the most
//! pupils per euro are chosen while the budget lasts, scheduled exactly per département,
//! then local search trades sites in and out.

use super::departments::by_department;
use super::lagrangian::lagrangian;
use super::{Room, Solution, candidates, improve};
use crate::region::waves::model::{Assignment, Problem};
use std::time::Instant;

/// pupils per euro are chosen while the budget lasts, scheduled exactly per département,
/// then local search trades sites in and out.
pub(super) fn budget_first(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Solution {
    let mut ranked: Vec<usize> = (0..p.items.len()).collect();
    let ratio = |s: usize| f64::from(p.items[s].pupils) / p.items[s].cost_eur.max(1.0);
    ranked.sort_by(|&a, &b| ratio(b).total_cmp(&ratio(a)).then(a.cmp(&b)));
    let mut left = p.budget_eur;
    let mut chosen = Vec::new();
    for s in ranked {
        if p.items[s].cost_eur <= left {
            left -= p.items[s].cost_eur;
            chosen.push(s);
        }
    }
    chosen.sort_unstable();
    let sub = Problem { items: chosen.iter().map(|&s| p.items[s].clone()).collect(), ..p.clone() };
    let half = Instant::now() + deadline.saturating_duration_since(Instant::now()) / 2;
    let inner = by_department(&sub, half, gap_target_pct).unwrap_or_else(|| lagrangian(&sub, half, gap_target_pct));
    let mut a: Assignment = vec![None; p.items.len()];
    for (k, &s) in chosen.iter().enumerate() {
        a[s] = inner.assignment[k];
    }
    let cands = candidates(p);
    let mut room = Room::new(p);
    for (s, w) in a.iter().enumerate() {
        if let Some(w) = w {
            room.apply(p, s, *w, 1.0);
        }
    }
    improve(p, &cands, &mut a, &mut room);
    let objective = p.objective(&a);
    Solution {
        objective,
        bound: f64::INFINITY,
        gap_pct: 100.0,
        assignment: a,
        method: "budget binds: the most pupils per euro chosen, scheduled per département, then local search".into(),
        iterations: 0,
    }
}
