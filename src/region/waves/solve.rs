//! The wave solver: maximise pupil-weeks under capacity, budget and yearly envelopes.
//!
//! Two methods share one problem. A Lagrangian relaxation of the coupling constraints
//! (capacity per window and département, budget, envelopes) gives an upper bound — each
//! site then picks its best window alone — minimised by projected subgradient steps
//! (Polyak, rows normalised to 1), while a greedy repair of the multipliers' choices plus
//! local search gives plans; their distance is the proven gap. Where the problem is small
//! enough (the region: 129 sites × 11 windows), the MILP is then solved exactly by
//! branch and bound (good_lp's pure-Rust microlp), which proves the optimum: gap 0.

use super::model::{Assignment, Problem};
use good_lp::solvers::microlp::MicroLpProblem;
use good_lp::{Expression, ProblemVariables, Solution as _, SolverModel, Variable, microlp, variable};
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
fn tie_break(p: &Problem, s: usize, w: usize) -> f64 {
    let n = p.items.len() as f64;
    let k = p.windows.len() as f64;
    1e-3 * (n - s as f64) / (n * n) * (k - w as f64) / k
}

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

/// Windows each site fits alone.
fn candidates(p: &Problem) -> Vec<Vec<usize>> {
    (0..p.items.len()).map(|s| (0..p.windows.len()).filter(|&w| p.fits(s, w)).collect()).collect()
}

/// Remaining room of a partial plan.
struct Room {
    capacity: Vec<Vec<i64>>,
    budget: f64,
    yearly: BTreeMap<i32, f64>,
}

impl Room {
    fn new(p: &Problem) -> Room {
        Room {
            capacity: p.capacity.iter().map(|r| r.iter().map(|&c| i64::from(c)).collect()).collect(),
            budget: p.budget_eur,
            yearly: p.yearly_eur.clone(),
        }
    }

    fn fits(&self, p: &Problem, s: usize, w: usize) -> bool {
        let it = &p.items[s];
        self.capacity[w][it.departement] >= i64::from(it.crew_days)
            && self.budget + 1e-6 >= it.cost_eur
            && self.yearly.get(&p.windows[w].year).is_none_or(|b| b + 1e-6 >= it.cost_eur)
    }

    fn apply(&mut self, p: &Problem, s: usize, w: usize, sign: f64) {
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
fn repair(p: &Problem, cands: &[Vec<usize>], reduced: &dyn Fn(usize, usize) -> f64) -> Assignment {
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
fn improve(p: &Problem, cands: &[Vec<usize>], a: &mut Assignment, room: &mut Room) {
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
fn lagrangian(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Solution {
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
    let mut bound = f64::INFINITY;
    let mut theta = 1.0;
    let mut since_better = 0;
    let mut iterations = 0;
    let gap = |bound: f64, value: f64| if bound > 0.0 { 100.0 * (bound - value).max(0.0) / bound } else { 0.0 };
    while Instant::now() < deadline && theta > 1e-5 {
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
        let l_true = l;
        if l_true < bound - 1e-9 {
            bound = l_true;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 20 {
                theta /= 2.0;
                since_better = 0;
            }
        }
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
        if gap(bound, best_value) <= gap_target_pct {
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
        let step = theta * (l - best_value).max(1e-9 * l.abs().max(1.0)) / norm;
        for (k, gk) in g.iter().enumerate() {
            pi[k] = (pi[k] - step * gk).max(0.0);
        }
    }
    let bound = bound.max(best_value);
    Solution {
        objective: best_value,
        gap_pct: gap(bound, best_value),
        bound,
        assignment: best,
        method: "Lagrangian relaxation + repair".into(),
        iterations,
    }
}

/// The exact MILP, on a thread so that the deadline holds; `None` past it.
fn milp(p: &Problem, deadline: Instant) -> Option<Result<Assignment, String>> {
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

/// One département's problem when nothing couples the départements: the sites ranked
/// by pupils per crew-day, the windows' capacities and weeks of value.
struct Department {
    /// Sites (indices into the problem), by pupils per crew-day, then UAI.
    sites: Vec<usize>,
    q: Vec<u32>,
    p: Vec<f64>,
    /// Window indices by weeks of value, most first.
    windows: Vec<usize>,
    t: Vec<f64>,
}

/// Exact branch and bound over one département. Sites are branched on largest first
/// (packing is decided by the big ones), each into the windows in order of value, then
/// left out. Two bounds prune: the LP relaxation, which for values pupils × weeks is
/// solved greedily (the profit per crew-day, pupils/crew-days × weeks, is a Monge array
/// once sites and windows are sorted, so the densest sites fill the most valuable
/// windows), and where it fails, a few warm-started steps of the knapsack Lagrangian
/// ([`knapsack_bound`]).
struct Search<'a> {
    d: &'a Department,
    /// Branching order: indices into the département's sites, largest first.
    order: Vec<usize>,
    /// Sites not yet decided.
    free: Vec<bool>,
    /// Multipliers of the knapsack bound, warm from the root.
    u: Vec<f64>,
    /// Whether the knapsack bound is cheap enough to use at every node.
    knapsack: bool,
    caps: Vec<u32>,
    choice: Vec<usize>,
    best: Vec<usize>,
    best_value: f64,
    nodes: u64,
    deadline: Instant,
    timed_out: bool,
}

impl Search<'_> {
    /// LP bound of the free sites in the remaining capacities [pupil-weeks].
    fn bound(&self) -> f64 {
        let d = self.d;
        let mut k = 0;
        let mut left = self.caps.first().map_or(0.0, |&c| f64::from(c));
        let mut value = 0.0;
        for i in (0..d.sites.len()).filter(|&i| self.free[i]) {
            let mut need = f64::from(d.q[i]);
            let density = d.p[i] / f64::from(d.q[i]);
            while need > 0.0 && k < self.caps.len() {
                let take = need.min(left);
                value += density * take * d.t[k];
                need -= take;
                left -= take;
                if left <= 0.0 {
                    k += 1;
                    left = self.caps.get(k).map_or(0.0, |&c| f64::from(c));
                }
            }
            if k >= self.caps.len() {
                break;
            }
        }
        value
    }

    fn dfs(&mut self, depth: usize, value: f64) {
        self.nodes += 1;
        if self.nodes.is_multiple_of(1024) && Instant::now() > self.deadline {
            self.timed_out = true;
        }
        if self.timed_out {
            return;
        }
        let d = self.d;
        if depth == self.order.len() {
            if value > self.best_value + 1e-9 {
                self.best_value = value;
                self.best = self.choice.clone();
            }
            return;
        }
        // Values are whole pupil-days (pupils × school days / 5): a branch must beat the
        // incumbent by one.
        let need = self.best_value + 0.2 - 1e-6 - value;
        if self.bound() < need {
            return;
        }
        if self.knapsack {
            let mut u = self.u.clone();
            if knapsack_bound(d, &self.free, &self.caps, &mut u, need, 6, self.deadline) < need {
                return;
            }
        }
        let i = self.order[depth];
        // Of two sites of equal crew-days, the one with more pupils (ranked first) goes
        // no later: swapping them keeps every window's load and cannot lose value.
        let first = match depth.checked_sub(1).map(|k| self.order[k]) {
            Some(j) if d.q[i] == d.q[j] => self.choice[j],
            _ => 0,
        };
        self.free[i] = false;
        for k in first..=d.windows.len() {
            if k < d.windows.len() {
                if self.caps[k] < d.q[i] {
                    continue;
                }
                self.caps[k] -= d.q[i];
                self.choice[i] = k;
                self.dfs(depth + 1, value + d.p[i] * d.t[k]);
                self.caps[k] += d.q[i];
            } else {
                self.choice[i] = k;
                self.dfs(depth + 1, value);
            }
            if self.timed_out {
                break;
            }
        }
        self.free[i] = true;
    }
}

/// A plan of one département: windows in order of value, each taking the subset of the
/// sites left with the most pupils that fits its crew-days (a 0-1 knapsack, exact by
/// dynamic programming). Returns the window position of each site (`windows.len()` for
/// none) and the value.
fn sequential_knapsacks(d: &Department, caps: &[u32]) -> (Vec<usize>, f64) {
    let n = d.sites.len();
    let mut choice = vec![d.windows.len(); n];
    let mut value = 0.0;
    for (k, &cap) in caps.iter().enumerate() {
        let c = cap as usize;
        let mut dp = vec![0.0f64; c + 1];
        let mut take = vec![false; n * (c + 1)];
        for i in 0..n {
            let q = d.q[i] as usize;
            if choice[i] != d.windows.len() || q > c {
                continue;
            }
            for x in (q..=c).rev() {
                // Ties go to the denser site (earlier in the ranking): strict comparison.
                if dp[x - q] + d.p[i] > dp[x] + 1e-9 {
                    dp[x] = dp[x - q] + d.p[i];
                    take[i * (c + 1) + x] = true;
                }
            }
        }
        let mut x = c;
        for i in (0..n).rev() {
            if take[i * (c + 1) + x] {
                choice[i] = k;
                value += d.p[i] * d.t[k];
                x -= d.q[i] as usize;
            }
        }
    }
    (choice, value)
}

/// The Lagrangian bound of one département's free sites with "each site at most once"
/// relaxed: the windows become independent 0-1 knapsacks (profit pupils × weeks −
/// u_site, weight crew-days), solved exactly by dynamic programming; the multipliers u
/// follow projected subgradient steps towards `target`, stopping once the bound is
/// below it. It captures what the LP cannot — that a window's leftover crew-days cannot
/// hold a fraction of a site. [pupil-weeks]
fn knapsack_bound(
    d: &Department,
    free: &[bool],
    caps: &[u32],
    u: &mut [f64],
    target: f64,
    iterations: usize,
    deadline: Instant,
) -> f64 {
    let n = d.sites.len();
    let active: Vec<usize> = (0..n).filter(|&i| free[i]).collect();
    if active.is_empty() {
        return 0.0;
    }
    let mut best = f64::INFINITY;
    let mut theta = 1.0;
    let mut stall = 0;
    let cmax = caps.iter().copied().max().unwrap_or(0) as usize;
    let mut dp = vec![0.0f64; cmax + 1];
    let mut take = vec![false; active.len() * (cmax + 1)];
    let mut g = vec![0.0f64; n];
    for _ in 0..iterations {
        if Instant::now() > deadline {
            break;
        }
        let mut l: f64 = active.iter().map(|&i| u[i]).sum();
        for &i in &active {
            g[i] = 1.0;
        }
        for (k, &cap) in caps.iter().enumerate() {
            let c = cap as usize;
            dp[..=c].fill(0.0);
            take[..active.len() * (c + 1)].fill(false);
            for (a, &i) in active.iter().enumerate() {
                let profit = d.p[i] * d.t[k] - u[i];
                let q = d.q[i] as usize;
                if profit <= 0.0 || q > c {
                    continue;
                }
                for x in (q..=c).rev() {
                    if dp[x - q] + profit > dp[x] {
                        dp[x] = dp[x - q] + profit;
                        take[a * (c + 1) + x] = true;
                    }
                }
            }
            l += dp[c];
            let mut x = c;
            for (a, &i) in active.iter().enumerate().rev() {
                if take[a * (c + 1) + x] {
                    g[i] -= 1.0;
                    x -= d.q[i] as usize;
                }
            }
        }
        if l < best - 1e-9 {
            best = l;
            stall = 0;
        } else {
            stall += 1;
            if stall >= 10 {
                theta /= 2.0;
                stall = 0;
            }
        }
        if best < target || theta < 1e-4 {
            break;
        }
        let mut norm = 0.0;
        for &i in &active {
            if u[i] <= 0.0 && g[i] > 0.0 {
                g[i] = 0.0;
            }
            norm += g[i] * g[i];
        }
        if norm == 0.0 {
            break;
        }
        let step = theta * (l - target).max(1e-6) / norm;
        for &i in &active {
            u[i] = (u[i] - step * g[i]).max(0.0);
        }
    }
    best
}

/// Whether budget and envelopes hold whatever the plan: then départements are independent.
fn decomposes(p: &Problem) -> bool {
    let total: f64 = p.items.iter().map(|i| i.cost_eur).sum();
    total <= p.budget_eur && p.yearly_eur.values().all(|b| total <= *b)
}

/// Exact per-département branch and bound; `None` where the problem does not decompose.
fn by_department(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Option<Solution> {
    if !decomposes(p) {
        return None;
    }
    let mut assignment: Assignment = vec![None; p.items.len()];
    let (mut bound, mut proven, mut nodes) = (0.0, true, 0u64);
    // Smallest first: each takes what time it needs, the largest the rest.
    let mut order: Vec<usize> = (0..p.departements.len()).collect();
    order.sort_by_key(|&d| (p.items.iter().filter(|i| i.departement == d).count(), d));
    for dept in order {
        let mut sites: Vec<usize> = (0..p.items.len()).filter(|&s| p.items[s].departement == dept).collect();
        let density = |s: usize| f64::from(p.items[s].pupils) / f64::from(p.items[s].crew_days.max(1));
        sites.sort_by(|&a, &b| density(b).total_cmp(&density(a)).then(a.cmp(&b)));
        let mut windows: Vec<usize> = (0..p.windows.len()).filter(|&w| p.capacity[w][dept] > 0).collect();
        windows.sort_by(|&a, &b| p.windows[b].weeks.total_cmp(&p.windows[a].weeks).then(a.cmp(&b)));
        let d = Department {
            q: sites.iter().map(|&s| p.items[s].crew_days.max(1)).collect(),
            p: sites.iter().map(|&s| f64::from(p.items[s].pupils)).collect(),
            t: windows.iter().map(|&w| p.windows[w].weeks).collect(),
            sites,
            windows,
        };
        let caps: Vec<u32> = d.windows.iter().map(|&w| p.capacity[w][dept]).collect();
        let mut branching: Vec<usize> = (0..d.sites.len()).collect();
        branching.sort_by(|&a, &b| d.q[b].cmp(&d.q[a]).then(a.cmp(&b)));
        let (seeded, seeded_value) = sequential_knapsacks(&d, &caps);
        let work: u64 = d.sites.len() as u64 * caps.iter().map(|&c| u64::from(c)).sum::<u64>();
        let mut search = Search {
            d: &d,
            order: branching,
            free: vec![true; d.sites.len()],
            u: Vec::new(),
            knapsack: work <= 200_000,
            caps: caps.clone(),
            choice: vec![d.windows.len(); d.sites.len()],
            best: seeded,
            best_value: seeded_value,
            nodes: 0,
            deadline,
            timed_out: false,
        };
        let mut dept_bound = search.bound();
        if search.knapsack {
            let mid = d.t.get(d.t.len() / 2).copied().unwrap_or(0.0);
            let mut u: Vec<f64> = d.p.iter().map(|p| p * mid).collect();
            dept_bound = dept_bound.min(knapsack_bound(&d, &search.free, &caps, &mut u, seeded_value, 400, deadline));
            search.u = u;
        }
        let gap = |bound: f64, value: f64| if bound > 0.0 { 100.0 * (bound - value).max(0.0) / bound } else { 0.0 };
        // Values are whole pupil-days (pupils × school days / 5): a bound less than one
        // pupil-day above the plan proves it optimal.
        let closed = |bound: f64, value: f64| 5.0 * (bound - value) < 1.0 - 1e-6;
        if !closed(dept_bound, search.best_value) && gap(dept_bound, search.best_value) > gap_target_pct {
            search.dfs(0, 0.0);
            nodes += search.nodes;
            if !search.timed_out {
                dept_bound = search.best_value;
            }
        }
        for (i, &k) in search.best.iter().enumerate() {
            assignment[d.sites[i]] = d.windows.get(k).copied();
        }
        proven &= closed(dept_bound, search.best_value);
        bound += dept_bound.max(search.best_value);
    }
    let objective = p.objective(&assignment);
    let gap_pct = if proven || bound <= 0.0 { 0.0 } else { 100.0 * (bound - objective).max(0.0) / bound };
    Some(Solution {
        objective,
        bound: if proven { objective } else { bound.max(objective) },
        gap_pct,
        assignment,
        method: if proven {
            format!("branch and bound per département (the budget does not bind): proven optimal, {nodes} nodes")
        } else {
            format!(
                "branch and bound per département (the budget does not bind), stopped at the gap target or the time limit after {nodes} nodes"
            )
        },
        iterations: 0,
    })
}

/// The LP relaxation's value, a proven upper bound, where the LP is small enough for
/// microlp's simplex.
fn lp_bound(p: &Problem) -> Option<f64> {
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

/// Where the budget binds (and no yearly envelope is set): the sites with the most
/// pupils per euro are chosen while the budget lasts, scheduled exactly per département,
/// then local search trades sites in and out.
fn budget_first(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Solution {
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
