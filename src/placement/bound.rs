//! Lower bounds on the AP count: capacity (Σ ⌈occupants / clients per radio⌉ over rooms,
//! APs inside a room serving it) and the LP relaxation of the covering problem, solved
//! with a pure-Rust simplex (good_lp + microlp).
//!
//! The LP covers the hard requirements (coverage and capacity, not secondary coverage,
//! which never adds an AP). It keeps every candidate (0 ≤ x ≤ 1) and every room's
//! capacity row, but only a sample of each room's cells (every cell on a 2 m lattice): if a room of n cells may
//! miss n − need of them, at least m − (n − need) of its m sampled cells must be covered.
//! Dropping cells only loosens the problem, so the optimum stays a valid lower bound; so
//! does letting a candidate without a full map cover every cell of its building. A
//! requirement no placement can meet (a room with fewer candidate positions than the APs
//! its occupants need, or whose sampled cells no candidate may reach) is bounded by what
//! placement can do (every position taken) or left out, so the LP is always feasible.

use super::model::Model;
use good_lp::{Expression, SolverModel, Variable, microlp, variable, variables};

/// Sampling lattice of the LP [m].
const SAMPLE_M: f64 = 2.0;

/// The capacity bound: in-room APs every room needs, summed — at most one per candidate
/// position in the room, as placement puts them.
pub fn capacity_bound(model: &Model) -> u32 {
    model.demand.rooms.iter().zip(&model.room_candidates).map(|(r, c)| r.capacity_need.min(c.len() as u32)).sum()
}

/// The LP relaxation's optimum at transmit power `power` [dBm], or why it failed.
pub fn lp_bound(model: &Model, power: f64) -> Result<f64, String> {
    let d = model.demand;
    let mut vars = variables!();
    let x: Vec<Variable> = (0..model.candidates.len()).map(|_| vars.add(variable().min(0.0).max(1.0))).collect();
    let stride = ((SAMPLE_M / d.grids.first().map_or(1.0, |g| g.cell)).round() as usize).max(1);
    let mut rows: Vec<(Vec<Variable>, f64)> = Vec::new(); // Σ vars ≥ rhs
    let mut links: Vec<(Variable, f64, Vec<Variable>)> = Vec::new(); // weight·y ≤ Σ covering x
    let p = power as f32;
    for (ri, room) in d.rooms.iter().enumerate() {
        let grid = &d.grids[room.grid];
        let sample: Vec<usize> = room
            .cells
            .clone()
            .filter(|&k| {
                let i = d.cells[k].index as usize;
                (i % grid.nx).is_multiple_of(stride) && (i / grid.nx).is_multiple_of(stride)
            })
            .collect();
        let n = room.cells.len();
        let need = model.needs[ri].0;
        let t = model.threshold(ri) as f32;
        for (threshold, needed, weight) in [(t, need, 1.0)] {
            let required = sample.len() as f64 - (n - needed) as f64;
            if required <= 0.0 {
                continue;
            }
            let covering: Vec<Vec<Variable>> = sample
                .iter()
                .map(|&k| {
                    (0..model.candidates.len())
                        .filter(|&c| model.may_reach(c, k, threshold - p))
                        .map(|c| x[c])
                        .collect()
                })
                .collect();
            // A room no set of candidates can serve (even by the optimistic reach) fails
            // whatever placement does: its row would only make the LP infeasible.
            if (covering.iter().filter(|c| !c.is_empty()).count() as f64) < required {
                continue;
            }
            let mut ys = Vec::new();
            for c in covering {
                let y = vars.add(variable().min(0.0).max(1.0));
                links.push((y, weight, c));
                ys.push(y);
            }
            rows.push((ys, required));
        }
        // At most one AP per candidate position, as placement puts them: a room needing
        // more than it has positions gets them all.
        let positions = &model.room_candidates[ri];
        let need = room.capacity_need.min(positions.len() as u32);
        if need > 0 {
            rows.push((positions.iter().map(|&c| x[c]).collect(), f64::from(need)));
        }
    }
    let objective: Expression = x.iter().copied().sum();
    let mut problem = vars.minimise(objective.clone()).using(microlp);
    for (vs, rhs) in rows {
        let e: Expression = vs.into_iter().sum();
        problem = problem.with(e.geq(rhs));
    }
    for (y, w, covering) in links {
        let e: Expression = covering.into_iter().sum();
        problem = problem.with((w * y).leq(e));
    }
    let solution = problem.solve().map_err(|e| e.to_string())?;
    Ok(good_lp::Solution::eval(&solution, &objective))
}
