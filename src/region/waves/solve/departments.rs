//! Where nothing couples the départements (the budget does not bind and no yearly
//! envelope is set), each département is scheduled exactly on its own by branch and
//! bound over its sites ranked by pupils per crew-day, bounded by knapsacks per window.

use super::{Solution, StepScale};
use crate::region::waves::model::{Assignment, Problem};
use std::time::Instant;

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
    let mut scale = StepScale::new(10);
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
        scale.observe(l);
        if scale.best < target || scale.theta < 1e-4 {
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
        let step = scale.theta * (l - target).max(1e-6) / norm;
        for &i in &active {
            u[i] = (u[i] - step * g[i]).max(0.0);
        }
    }
    scale.best
}

/// Whether budget and envelopes hold whatever the plan: then départements are independent.
fn decomposes(p: &Problem) -> bool {
    let total: f64 = p.items.iter().map(|i| i.cost_eur).sum();
    total <= p.budget_eur && p.yearly_eur.values().all(|b| total <= *b)
}

/// Exact per-département branch and bound; `None` where the problem does not decompose.
pub(super) fn by_department(p: &Problem, deadline: Instant, gap_target_pct: f64) -> Option<Solution> {
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
