//! The exact MILP (binary site × window) solved by branch and bound with good_lp's
//! pure-Rust microlp, and its LP relaxation as a bound.

use super::{candidates, tie_break};
use crate::region::waves::model::{Assignment, Problem};
use good_lp::solvers::microlp::MicroLpProblem;
use good_lp::{Expression, ProblemVariables, Solution as _, SolverModel, Variable, microlp, variable};
use std::collections::BTreeMap;
use std::time::Instant;

/// The exact MILP, on a thread so that the deadline holds; `None` past it.
pub(super) fn milp(p: &Problem, deadline: Instant) -> Option<Result<Assignment, String>> {
    let p = p.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(milp_solve(&p));
    });
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).ok()
}

/// The MILP (binary `x[s][w]`) or its LP relaxation: pupil-weeks with the tie-break,
/// each site at most once, capacity per window and département, budget, envelopes.
fn formulation(p: &Problem, binary: bool) -> (MicroLpProblem, Vec<Vec<(usize, Variable)>>) {
    let cands = candidates(p);
    let mut vars = ProblemVariables::new();
    let kind = || if binary { variable().binary() } else { variable().min(0.0).max(1.0) };
    let x: Vec<Vec<(usize, Variable)>> =
        cands.iter().map(|ws| ws.iter().map(|&w| (w, vars.add(kind()))).collect()).collect();
    let mut objective = Expression::from(0.0);
    let (nw, nd) = (p.windows.len(), p.departements.len());
    let mut cap = vec![vec![Expression::from(0.0); nd]; nw];
    let mut budget = Expression::from(0.0);
    let mut yearly: BTreeMap<i32, Expression> = BTreeMap::new();
    let mut once = Vec::new();
    for (s, xs) in x.iter().enumerate() {
        let it = &p.items[s];
        let mut sum = Expression::from(0.0);
        for &(w, v) in xs {
            objective += (p.value(s, w) + tie_break(p, s, w)) * v;
            sum += v;
            cap[w][it.departement] += f64::from(it.crew_days) * v;
            budget += it.cost_eur * v;
            if p.yearly_eur.contains_key(&p.windows[w].year) {
                *yearly.entry(p.windows[w].year).or_insert_with(|| Expression::from(0.0)) += it.cost_eur * v;
            }
        }
        if !xs.is_empty() {
            once.push(sum);
        }
    }
    let mut model = vars.maximise(objective).using(microlp);
    for e in once {
        model = model.with(e.leq(1.0));
    }
    for (w, row) in cap.into_iter().enumerate() {
        for (d, e) in row.into_iter().enumerate() {
            model = model.with(e.leq(f64::from(p.capacity[w][d])));
        }
    }
    model = model.with(budget.leq(p.budget_eur));
    for (y, e) in yearly {
        model = model.with(e.leq(p.yearly_eur[&y]));
    }
    (model, x)
}

fn milp_solve(p: &Problem) -> Result<Assignment, String> {
    let (model, x) = formulation(p, true);
    let solution = model.solve().map_err(|e| e.to_string())?;
    Ok(x.iter().map(|xs| xs.iter().find(|(_, v)| solution.value(*v) > 0.5).map(|(w, _)| *w)).collect())
}

/// The LP relaxation's value, a proven upper bound, where the LP is small enough for
/// microlp's simplex.
pub(super) fn lp_bound(p: &Problem) -> Option<f64> {
    if candidates(p).iter().map(Vec::len).sum::<usize>() > LP_LIMIT {
        return None;
    }
    let (model, x) = formulation(p, false);
    let solution = model.solve().ok()?;
    // The tie-break adds less than 1e-3 pupil-week: still a bound on pupil-weeks.
    Some(
        x.iter()
            .enumerate()
            .flat_map(|(s, xs)| xs.iter().map(move |&(w, v)| (s, w, v)))
            .map(|(s, w, v)| solution.value(v) * (p.value(s, w) + tie_break(p, s, w)))
            .sum(),
    )
}

/// Largest LP handed to microlp for the bound (site-window pairs).
const LP_LIMIT: usize = 6_000;
