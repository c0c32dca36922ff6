//! Channel and power plan: assigns each AP a channel of the ETSI plan and a transmit
//! power within [minimum, the channel's EIRP limit less the antenna's peak gain, the AP
//! model's maximum and the client's power plus the uplink margin]
//! ([`Requirements::max_conducted_dbm`]), maximising the 5th-percentile SINR
//! over the teaching rooms' cells (SINR counts the APs on overlapping channels) while
//! every coverage requirement stays met; and the seeded random channel assignment it is
//! compared with.
//!
//! With [`Requirements::max_width_mhz`] above the planned width, [`widen`] then gives
//! wider channels to the APs whose neighbours leave room, for the teaching cells' shared
//! throughput, every room's coverage held at each channel's own noise.
//!
//! The 2.4 GHz radios of dual-band APs get the same search on their own channel set,
//! after [`switch_off`] has turned off those that only add co-channel overlap: an AP's
//! 2.4 GHz radio goes off when that lowers the co-channel radios heard above −82 dBm
//! (summed over cells) and the 2.4 GHz coverage requirement still holds. An AP whose
//! radio is off has power −∞ here: it serves and disturbs no cell.

use super::model::Model;
use crate::radio::channels::{overlap, width_of};
use crate::requirements::{Class, Requirements, is_teaching};

/// Co-channel APs that hear each other above this interfere [dBm].
pub const HEARING_DBM: f64 = crate::radio::channels::CONTENTION_DBM;

/// Channels each AP tries per round of the channel search: the least coupled ones.
const TRIED_CHANNELS: usize = 4;

/// Powers the power plan tries [dBm], from the requirements' least (8 at 5 GHz, 5 at 2.4 GHz by
/// default) up to [`Requirements::max_conducted_dbm`].
const POWER_STEPS: [f64; 10] = [5.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 23.0];

/// Channel and power per AP, with its SINR figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelPlan {
    /// Channel of each AP (in the order of the APs given).
    pub channels: Vec<u32>,
    /// Transmit power of each AP [dBm].
    pub powers: Vec<f64>,
    /// SINR percentiles 5, 50, 95 over the teaching cells [dB].
    pub sinr_db: [f64; 3],
    /// Pairs of APs on overlapping channels that hear each other above −82 dBm.
    pub co_channel_pairs: usize,
    /// Teaching cells where two radios on overlapping channels are heard above −82 dBm.
    pub overlap_cells: usize,
    /// Teaching cells evaluated.
    pub cells: usize,
}

/// What SINR evaluation needs: per AP, its path gain at the teaching cells, and at its
/// own nearest demand cell for the hearing test.
pub struct Interference<'a> {
    /// The teaching cells evaluated (demand cell indices), in the order of `heard`.
    pub cells: Vec<usize>,
    model: &'a Model<'a>,
    aps: Vec<usize>,
    /// Per teaching cell, the APs heard there with their path gains [dB] and as a power
    /// ratio (APs of other
    /// buildings and gains below −140 dB left out).
    heard: Vec<Vec<(u32, f64, f64)>>,
    home: Vec<usize>,
    noise_figure_db: f64,
    band: crate::band::Band,
}

fn mw(dbm: f64) -> f64 {
    10f64.powf(dbm / 10.0)
}

/// The channels of one assignment, per distinct channel: which overlap, their widths and
/// noise.
struct ChannelTable {
    /// Each AP's index among the distinct channels.
    slot: Vec<usize>,
    /// Distinct channels.
    k: usize,
    /// Whether two distinct channels overlap (k × k).
    clash: Vec<bool>,
    /// Width of each distinct channel [MHz].
    widths: Vec<u32>,
    /// Noise in each [mW].
    noise_mw: Vec<f64>,
}

impl ChannelTable {
    /// Whether APs `a` and `b` are on overlapping channels.
    fn clash(&self, a: usize, b: usize) -> bool {
        self.clash[self.slot[a] * self.k + self.slot[b]]
    }
}

/// The distinct channels of an assignment, sorted, and each AP's index among them.
fn channel_slots(channels: &[u32]) -> (Vec<u32>, Vec<usize>) {
    let mut distinct: Vec<u32> = channels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let slot = channels.iter().map(|c| distinct.binary_search(c).unwrap_or(0)).collect();
    (distinct, slot)
}

/// The APs of one cell's `heard` row that reach it at [`HEARING_DBM`] or more at `powers`
/// [dBm] (off radios, at −∞, never do).
fn contending<'r>(row: &'r [(u32, f64, f64)], powers: &'r [f64]) -> impl Iterator<Item = u32> + 'r {
    row.iter().filter(|&&(a, g, _)| g + powers[a as usize] >= HEARING_DBM).map(|&(a, _, _)| a)
}

/// The strongest AP of one cell's `heard` row at `powers` [dBm] (off radios included, at
/// −∞: callers check).
fn best_server<'r>(row: &'r [(u32, f64, f64)], powers: &[f64]) -> Option<&'r (u32, f64, f64)> {
    row.iter().max_by(|x, y| (x.1 + powers[x.0 as usize]).total_cmp(&(y.1 + powers[y.0 as usize])))
}

/// The `q` quantile of sorted `values` (nearest rank); NaN when empty.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[rank(sorted.len(), q)]
}

/// Where the `q` quantile of `len` sorted values lies (nearest rank).
fn rank(len: usize, q: f64) -> usize {
    ((len - 1) as f64 * q).round() as usize
}

/// The 5th percentile (at [`percentile`]'s rank) and the mean of `values`; (0, 0) when
/// empty.
fn p5_and_mean(mut values: Vec<f64>) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    // The element a full sort would put at the percentile's rank, in linear time: the
    // widening evaluates this thousands of times per site.
    let at = rank(values.len(), 0.05);
    let (_, p5, _) = values.select_nth_unstable_by(at, f64::total_cmp);
    (*p5, mean)
}

impl<'a> Interference<'a> {
    /// Prepares the evaluation for the chosen candidates `aps`, over the teaching cells
    /// whose grid column and row are multiples of `stride` (1: every one).
    pub fn new(model: &'a Model<'a>, aps: &[usize], req: &Requirements, stride: usize) -> Interference<'a> {
        let d = model.demand;
        let teaching: Vec<usize> = (0..d.cells.len())
            .filter(|&k| {
                let cell = &d.cells[k];
                let room = &d.rooms[cell.room as usize];
                let nx = d.grids[cell.grid as usize].nx;
                let i = cell.index as usize;
                room.class == Class::Primary
                    && is_teaching(room.kind)
                    && (i % nx).is_multiple_of(stride)
                    && (i / nx).is_multiple_of(stride)
            })
            .collect();
        let home = aps
            .iter()
            .map(|&c| {
                let cand = &model.candidates[c];
                let room = &d.rooms[cand.room];
                let grid = &d.grids[room.grid];
                room.cells
                    .clone()
                    .min_by(|&a, &b| {
                        let dist = |k: usize| {
                            let i = d.cells[k].index as usize;
                            let (x, y) = grid.centre(i % grid.nx, i / grid.nx);
                            (x - cand.local.0).hypot(y - cand.local.1)
                        };
                        dist(a).total_cmp(&dist(b))
                    })
                    .unwrap_or(0)
            })
            .collect();
        let heard = teaching
            .iter()
            .map(|&k| {
                aps.iter()
                    .enumerate()
                    .map(|(a, &c)| (a as u32, f64::from(model.gain(c, k))))
                    .filter(|&(_, g)| g > -140.0)
                    .map(|(a, g)| (a, g, mw(g)))
                    .collect()
            })
            .collect();
        Interference {
            cells: teaching,
            model,
            aps: aps.to_vec(),
            heard,
            home,
            noise_figure_db: req.noise_figure_db,
            band: req.band,
        }
    }

    /// Whether two channels of the band overlap, each at its own width.
    fn overlaps(&self, a: u32, b: u32) -> bool {
        overlap(self.band, a, width_of(self.band, a), b, width_of(self.band, b))
    }

    /// SINR percentiles 5, 50, 95 over the teaching cells a radio that is on reaches [dB]
    /// and the mean of log-SINR.
    pub fn sinr(&self, channels: &[u32], powers: &[f64]) -> ([f64; 3], f64) {
        let mut values = self.cell_sinr(channels, powers);
        values.retain(|v| !v.is_nan());
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        values.sort_by(f64::total_cmp);
        ([percentile(&values, 0.05), percentile(&values, 0.5), percentile(&values, 0.95)], mean)
    }

    /// The best server's SINR at each teaching cell ([`Interference::cells`] order) [dB];
    /// NaN where no radio that is on is heard.
    pub fn cell_sinr(&self, channels: &[u32], powers: &[f64]) -> Vec<f64> {
        self.cell_service(channels, powers).into_iter().map(|(sinr, _)| sinr).collect()
    }

    /// At each teaching cell, the best server's SINR [dB] (NaN where no radio that is on
    /// is heard) and its channel's width [MHz]; the noise is the server's channel's.
    pub fn cell_service(&self, channels: &[u32], powers: &[f64]) -> Vec<(f64, u32)> {
        self.service_at(0..self.heard.len(), &self.table(channels), powers)
    }

    /// The channels of an assignment as the per-cell figures read them.
    fn table(&self, channels: &[u32]) -> ChannelTable {
        // Which channels overlap, once per evaluation and per distinct channel: the
        // channel search evaluates thousands of assignments.
        let (distinct, slot) = channel_slots(channels);
        let k = distinct.len();
        let clash: Vec<bool> = (0..k * k).map(|i| self.overlaps(distinct[i / k], distinct[i % k])).collect();
        let widths: Vec<u32> = distinct.iter().map(|&c| width_of(self.band, c)).collect();
        let noise_mw: Vec<f64> =
            widths.iter().map(|&w| mw(crate::radiomap::metrics::noise_dbm(w, self.noise_figure_db))).collect();
        ChannelTable { slot, k, clash, widths, noise_mw }
    }

    /// [`Interference::cell_service`] at the teaching cells `cells` only (indices into
    /// [`Interference::cells`]).
    fn service_at(&self, cells: impl Iterator<Item = usize>, table: &ChannelTable, powers: &[f64]) -> Vec<(f64, u32)> {
        let power_mw: Vec<f64> = powers.iter().map(|&p| mw(p)).collect();
        cells
            .map(|cell| {
                let row = &self.heard[cell];
                let Some(&(s, g, _)) = best_server(row, powers) else {
                    return (f64::NAN, 0);
                };
                let s = s as usize;
                if !powers[s].is_finite() {
                    // No radio on is heard here: no SINR to speak of.
                    return (f64::NAN, 0);
                }
                let interference: f64 = row
                    .iter()
                    .filter(|&&(j, _, _)| j as usize != s && table.clash(s, j as usize))
                    .map(|&(j, _, ratio)| ratio * power_mw[j as usize])
                    .sum();
                let slot = table.slot[s];
                (g + powers[s] - 10.0 * (table.noise_mw[slot] + interference).log10(), table.widths[slot])
            })
            .collect()
    }

    /// The 5th percentile over the teaching cells ([`Interference::sinr`]'s rank) of what
    /// a client gets there: the PHY rate at its best server's SINR and the width, shared
    /// with the radios on channels overlapping the server's that the cell hears above
    /// −82 dBm (they contend for the same airtime), the server included [Mbit/s]; 0 where
    /// no radio is on, and without cells.
    pub fn p5_throughput(&self, channels: &[u32], powers: &[f64]) -> f64 {
        self.throughput(channels, powers).0
    }

    /// The 5th percentile ([`Interference::p5_throughput`]) and the mean of the teaching
    /// cells' shared rates [Mbit/s].
    pub fn throughput(&self, channels: &[u32], powers: &[f64]) -> (f64, f64) {
        p5_and_mean(self.cell_throughput(channels, powers))
    }

    /// Each teaching cell's shared rate of [`Interference::p5_throughput`] [Mbit/s].
    fn cell_throughput(&self, channels: &[u32], powers: &[f64]) -> Vec<f64> {
        self.throughput_at(&(0..self.heard.len()).collect::<Vec<_>>(), channels, powers)
    }

    /// [`Interference::cell_throughput`] at the teaching cells `cells` only (indices into
    /// [`Interference::cells`]).
    fn throughput_at(&self, cells: &[usize], channels: &[u32], powers: &[f64]) -> Vec<f64> {
        let table = self.table(channels);
        let service = self.service_at(cells.iter().copied(), &table, powers);
        let mut loud: Vec<u32> = Vec::new();
        cells
            .iter()
            .map(|&cell| &self.heard[cell])
            .zip(service)
            .map(|(row, (sinr, width))| {
                let Some(&(s, _, _)) = best_server(row, powers) else {
                    return 0.0;
                };
                if sinr.is_nan() {
                    return 0.0;
                }
                loud.clear();
                loud.extend(contending(row, powers));
                let s = s as usize;
                let sharing = loud.iter().filter(|&&j| j as usize != s && table.clash(s, j as usize)).count();
                crate::radio::mcs::rate_mbps(sinr, width) / (1 + sharing) as f64
            })
            .collect()
    }

    /// Pairs of APs on overlapping channels that hear each other above −82 dBm (either
    /// way, at the other's nearest demand cell).
    pub fn co_channel_pairs(&self, channels: &[u32], powers: &[f64]) -> usize {
        let mut n = 0;
        for a in 0..self.aps.len() {
            for b in a + 1..self.aps.len() {
                if !self.overlaps(channels[a], channels[b]) {
                    continue;
                }
                let hears = |x: usize, y: usize| {
                    f64::from(self.model.gain(self.aps[y], self.home[x])) + powers[y] >= HEARING_DBM
                };
                if hears(a, b) || hears(b, a) {
                    n += 1;
                }
            }
        }
        n
    }

    /// Over the teaching cells: those where at least two radios on overlapping channels
    /// are heard above −82 dBm (the "channel overlap" view), and the excess — per cell,
    /// the radios heard there that overlap an earlier one (a channel heard k times counts
    /// k − 1), summed.
    pub fn overlap(&self, channels: &[u32], powers: &[f64]) -> (usize, usize) {
        let mut loud: Vec<u32> = Vec::new();
        let (mut cells, mut excess) = (0, 0);
        for row in &self.heard {
            loud.clear();
            loud.extend(contending(row, powers));
            let here = (0..loud.len())
                .filter(|&i| {
                    let a = loud[i] as usize;
                    loud[..i].iter().any(|&b| self.overlaps(channels[a], channels[b as usize]))
                })
                .count();
            cells += usize::from(here > 0);
            excess += here;
        }
        (cells, excess)
    }

    /// The figures of a given assignment.
    pub fn plan(&self, channels: Vec<u32>, powers: Vec<f64>) -> ChannelPlan {
        let (sinr_db, _) = self.sinr(&channels, &powers);
        let co_channel_pairs = self.co_channel_pairs(&channels, &powers);
        let (overlap_cells, _) = self.overlap(&channels, &powers);
        ChannelPlan { channels, powers, sinr_db, co_channel_pairs, overlap_cells, cells: self.heard.len() }
    }
}

/// The baseline: channels drawn at random (seeded by `seed`), every AP at the design power.
pub fn random_plan(inter: &Interference, req: &Requirements, seed: &str) -> ChannelPlan {
    let list = req.channels();
    let mut rng = crate::seed::rng(seed);
    let channels = inter.aps.iter().map(|_| list[crate::seed::below(&mut rng, list.len())]).collect();
    inter.plan(channels, vec![req.design_power_dbm(); inter.aps.len()])
}

/// The plan: channels by local search on (p5 SINR, mean log-SINR) from a greedy start,
/// then powers, one AP at a time, kept only while coverage stays met.
pub fn channel_plan(inter: &Interference, req: &Requirements) -> ChannelPlan {
    let powers = vec![req.design_power_dbm(); inter.aps.len()];
    let coverage = |pw: &[f64]| {
        inter.model.evaluate(&inter.aps.iter().copied().zip(pw.iter().copied()).collect::<Vec<_>>()).deficit
    };
    let score = |ch: &[u32], pw: &[f64]| {
        let (s, mean) = inter.sinr(ch, pw);
        (s[0], mean)
    };
    search(inter, req, &req.channels(), powers, &score, Some(&coverage))
}

/// A plan's score, higher is better, compared in order.
type Score<'s> = dyn Fn(&[u32], &[f64]) -> (f64, f64) + 's;

/// A coverage deficit for given powers [dBm], which a power change may not raise.
type Deficit<'s> = dyn Fn(&[f64]) -> u64 + 's;

/// Channels from `list` by local search on `score` from a greedy start, then with a
/// `deficit`, powers, for the APs whose power in `powers` is finite (the others stay
/// off); a power change is kept only while the deficit does not grow.
fn search(
    inter: &Interference,
    req: &Requirements,
    list: &[u32],
    mut powers: Vec<f64>,
    score: &Score,
    deficit: Option<&Deficit>,
) -> ChannelPlan {
    let n = inter.aps.len();
    let pair = pair_coupling(inter, &powers);
    let coupling = |a: usize, ch: u32, channels: &[u32], others: std::ops::Range<usize>| -> f64 {
        coupling(inter, &pair, a, ch, channels, others)
    };
    // Greedy start: each AP takes the channel least coupled to those already assigned.
    let mut channels: Vec<u32> = Vec::with_capacity(n);
    for a in 0..n {
        let best = list
            .iter()
            .copied()
            .min_by(|&x, &y| coupling(a, x, &channels, 0..a).total_cmp(&coupling(a, y, &channels, 0..a)))
            .unwrap_or(list[0]);
        channels.push(best);
    }
    let better = |a: (f64, f64), b: (f64, f64)| a.0 > b.0 + 1e-9 || (a.0 >= b.0 - 1e-9 && a.1 > b.1 + 1e-9);
    let mut current = score(&channels, &powers);
    let on = |a: usize| powers[a].is_finite();
    // Each AP tries the channels least coupled to the others' current ones: with the DFS
    // channels (16 at 20 MHz) trying them all costs 4× for the same plans.
    let choices = |a: usize, channels: &[u32]| -> Vec<u32> {
        if !on(a) {
            return Vec::new();
        }
        let mut ranked: Vec<(f64, u32)> = list.iter().map(|&ch| (coupling(a, ch, channels, 0..n), ch)).collect();
        ranked.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        ranked.into_iter().take(TRIED_CHANNELS).map(|(_, ch)| ch).collect()
    };
    descend(&mut channels, 8, choices, |_, ch| {
        let s = score(ch, &powers);
        let kept = better(s, current);
        if kept {
            current = s;
        }
        kept
    });
    let Some(deficit) = deficit else { return inter.plan(channels, powers) };
    // Powers: keep coverage (the deficit may not grow).
    let target = deficit(&powers);
    let steps = |a: usize| -> Vec<f64> {
        if !powers[a].is_finite() {
            return Vec::new();
        }
        let limit = req.max_conducted_dbm(channels[a]);
        POWER_STEPS.iter().copied().filter(|&p| p >= req.min_tx_power_dbm && p <= limit).collect()
    };
    let steps: Vec<Vec<f64>> = (0..n).map(steps).collect();
    descend(
        &mut powers,
        2,
        |a, _| steps[a].clone(),
        |_, pw| {
            let s = score(&channels, pw);
            let kept = better(s, current) && deficit(pw) <= target;
            if kept {
                current = s;
            }
            kept
        },
    );
    inter.plan(channels, powers)
}

/// Coupling of every pair of APs whose radios are on at `powers` (−∞: off): each one's
/// power ratio at the other's nearest demand cell, summed (n × n, row-major; 0 on the
/// diagonal and for off radios).
fn pair_coupling(inter: &Interference, powers: &[f64]) -> Vec<f64> {
    let n = inter.aps.len();
    (0..n * n)
        .map(|i| {
            let (a, b) = (i / n, i % n);
            if a == b || !powers[a].is_finite() || !powers[b].is_finite() {
                return 0.0;
            }
            mw(f64::from(inter.model.gain(inter.aps[b], inter.home[a])))
                + mw(f64::from(inter.model.gain(inter.aps[a], inter.home[b])))
        })
        .collect()
}

/// AP `a`'s coupling ([`pair_coupling`]) to the APs among `others` whose channel in
/// `channels` overlaps `ch`.
fn coupling(
    inter: &Interference,
    pair: &[f64],
    a: usize,
    ch: u32,
    channels: &[u32],
    others: std::ops::Range<usize>,
) -> f64 {
    let n = inter.aps.len();
    others.filter(|&b| b != a && inter.overlaps(channels[b], ch)).map(|b| pair[a * n + b]).sum()
}

/// Channels each AP tries per wider width when the plan widens APs: the least coupled.
const TRIED_WIDE: usize = 2;

/// Widens APs of `base` (a plan at the planned width): each AP, in turn, tries the
/// [`TRIED_WIDE`] least coupled channels of every width [`Requirements::plan_widths`]
/// offers (its power from `base`, capped at the new channel's limit); a change stays when
/// it raises the teaching cells' shared throughput ([`Interference::p5_throughput`] at the
/// 5th percentile, then the mean) while every room's coverage holds with each AP's
/// signal counted [`Requirements::width_penalty_db`] lower for its channel's width (a
/// wider channel has more noise, so a client needs more signal for the same SNR).
/// `base` comes back unchanged when only one width is allowed.
pub fn widen(inter: &Interference, req: &Requirements, base: ChannelPlan) -> ChannelPlan {
    let widths = req.plan_widths();
    if widths.len() < 2 {
        return base;
    }
    let lists: Vec<Vec<u32>> = widths
        .iter()
        .map(|&w| crate::radio::channels::plan_channels(req.band, w, req.dfs, &req.excluded_channels))
        .collect();
    let pair = pair_coupling(inter, &base.powers);
    let planned = &base.powers;
    let split = |st: &[(u32, f64)]| -> (Vec<u32>, Vec<f64>) { st.iter().copied().unzip() };
    // A change of AP a's channel moves only the cells that hear it: their rates are
    // computed again, the others' kept.
    let n = inter.aps.len();
    let mut cells_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (cell, row) in inter.heard.iter().enumerate() {
        for &(a, _, _) in row {
            cells_of[a as usize].push(cell);
        }
    }
    let mut rates = inter.cell_throughput(&base.channels, &base.powers);
    let mut trial: Vec<f64> = Vec::new();
    let deficit = |st: &[(u32, f64)]| {
        let on: Vec<(usize, f64)> = inter
            .aps
            .iter()
            .zip(st)
            .map(|(&c, &(ch, p))| (c, p - req.width_penalty_db(width_of(req.band, ch))))
            .collect();
        inter.model.evaluate(&on).deficit
    };
    let mut state: Vec<(u32, f64)> = base.channels.iter().copied().zip(base.powers.iter().copied()).collect();
    let target = deficit(&state);
    let mut current = p5_and_mean(rates.clone());
    let better = |a: (f64, f64), b: (f64, f64)| a.0 > b.0 + 1e-9 || (a.0 >= b.0 - 1e-9 && a.1 > b.1 + 1e-9);
    let choices = |a: usize, st: &[(u32, f64)]| -> Vec<(u32, f64)> {
        if !planned[a].is_finite() {
            return Vec::new();
        }
        let channels: Vec<u32> = st.iter().map(|&(c, _)| c).collect();
        let mut out = Vec::new();
        for (i, list) in lists.iter().enumerate() {
            let mut ranked: Vec<(f64, u32)> =
                list.iter().map(|&ch| (coupling(inter, &pair, a, ch, &channels, 0..n), ch)).collect();
            ranked.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            // At the planned width only the best other channel: the SINR search chose it.
            let tried = if i == 0 { 1 } else { TRIED_WIDE };
            out.extend(ranked.into_iter().take(tried).map(|(_, ch)| (ch, planned[a].min(req.max_conducted_dbm(ch)))));
        }
        out
    };
    descend(&mut state, 4, choices, |a, st| {
        let (ch, pw) = split(st);
        let local = inter.throughput_at(&cells_of[a], &ch, &pw);
        trial.clone_from(&rates);
        for (&cell, &r) in cells_of[a].iter().zip(&local) {
            trial[cell] = r;
        }
        let s = p5_and_mean(trial.clone());
        let kept = better(s, current) && deficit(st) <= target;
        if kept {
            current = s;
            std::mem::swap(&mut rates, &mut trial);
        }
        kept
    });
    let (channels, powers) = split(&state);
    inter.plan(channels, powers)
}

/// The 2.4 GHz plan of APs whose maps at 2.4 GHz `inter` holds (its model's requirements
/// being [`Requirements::low_band_requirements`]): channels from the low band's set with
/// every radio on, then radios switched off ([`switch_off`]), then channels and powers
/// again for the radios left on. Off radios have power −∞. At 2.4 GHz the search lowers
/// the co-channel excess alone: there the few channels, not the noise, limit the SINR,
/// and a higher power only spreads the overlap (the p5 SINR follows: see the tests).
/// Also returns the figures with every radio on, as the plan's baseline.
pub fn low_band_plan(inter: &Interference, low: &Requirements, channels: &[u32]) -> (ChannelPlan, ChannelPlan) {
    let n = inter.aps.len();
    let deficit = |pw: &[f64]| low_band_deficit(inter, pw);
    let score = |ch: &[u32], pw: &[f64]| (-(inter.overlap(ch, pw).1 as f64), 0.0);
    let all_on = search(inter, low, channels, vec![low.design_power_dbm(); n], &score, None);
    let mut powers = all_on.powers.clone();
    switch_off(inter, &all_on.channels, &mut powers, &deficit);
    (search(inter, low, channels, powers, &score, Some(&deficit)), all_on)
}

/// Cells missing at the low band's threshold over the rooms that need it, for radios at
/// `powers` [dBm] (−∞: off).
fn low_band_deficit(inter: &Interference, powers: &[f64]) -> u64 {
    let model = inter.model;
    let n = model.demand.cells.len();
    let (mut best, mut second) = (vec![f32::NEG_INFINITY; n], vec![f32::NEG_INFINITY; n]);
    for (&c, &p) in inter.aps.iter().zip(powers) {
        if p.is_finite() {
            model.add(&mut best, &mut second, c, p);
        }
    }
    let counts = model.counts(&best, &second);
    counts.iter().zip(&model.needs).map(|(&(covered, _), &(need, _))| need.saturating_sub(covered) as u64).sum()
}

/// Switches radios off (power −∞), one at a time, each time the one whose loss lowers the
/// co-channel excess ([`Interference::overlap`]) most, as long as `deficit` does not
/// grow; stops when no radio's loss lowers it. `channels` must be pairwise equal or
/// apart (the low band's set is checked so): the excess of a cell is then, per channel,
/// the radios heard on it less one, and a radio's loss lowers it by the cells where its
/// channel is heard twice or more, radio included.
fn switch_off(inter: &Interference, channels: &[u32], powers: &mut [f64], deficit: &Deficit) {
    let n = powers.len();
    let (distinct, slot) = channel_slots(channels);
    let k = distinct.len();
    // Per cell, the radios heard above −82 dBm, and how many per channel.
    let loud: Vec<Vec<u32>> = inter.heard.iter().map(|row| contending(row, powers).collect()).collect();
    let mut count = vec![0u32; loud.len() * k];
    for (cell, row) in loud.iter().enumerate() {
        for &a in row {
            count[cell * k + slot[a as usize]] += 1;
        }
    }
    let target = deficit(powers);
    // Fewer radios never cover more: a radio needed once is needed for good.
    let mut needed = vec![false; n];
    loop {
        let mut gain = vec![0usize; n];
        for (cell, row) in loud.iter().enumerate() {
            for &a in row {
                let a = a as usize;
                if powers[a].is_finite() && count[cell * k + slot[a]] >= 2 {
                    gain[a] += 1;
                }
            }
        }
        let mut order: Vec<usize> = (0..n).filter(|&a| gain[a] > 0 && !needed[a]).collect();
        // Largest gain first; ties to the earlier AP.
        order.sort_by(|&x, &y| gain[y].cmp(&gain[x]).then(x.cmp(&y)));
        let mut off = None;
        for a in order {
            let keep = powers[a];
            powers[a] = f64::NEG_INFINITY;
            if deficit(powers) <= target {
                off = Some(a);
                break;
            }
            powers[a] = keep;
            needed[a] = true;
        }
        let Some(a) = off else { return };
        for (cell, row) in loud.iter().enumerate() {
            if row.contains(&(a as u32)) {
                count[cell * k + slot[a]] -= 1;
            }
        }
    }
}

/// Coordinate descent over one value per AP: up to `rounds` passes, each AP trying every
/// value `choices(a, values)` offers in turn; a change of AP `a`'s value stays when
/// `keep(a, values)` accepts the new values.
fn descend<T: Copy + PartialEq>(
    values: &mut [T],
    rounds: usize,
    choices: impl Fn(usize, &[T]) -> Vec<T>,
    mut keep: impl FnMut(usize, &[T]) -> bool,
) {
    for _ in 0..rounds {
        let mut changed = false;
        for a in 0..values.len() {
            for v in choices(a, values) {
                if v == values[a] {
                    continue;
                }
                let old = values[a];
                values[a] = v;
                if keep(a, values) {
                    changed = true;
                } else {
                    values[a] = old;
                }
            }
        }
        if !changed {
            break;
        }
    }
}
