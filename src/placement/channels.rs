//! Channel and power plan: assigns each AP a channel of the ETSI plan and a transmit
//! power within [minimum, the channel's EIRP limit], maximising the 5th-percentile SINR
//! over the teaching rooms' cells (SINR counts the APs on overlapping channels) while
//! every coverage requirement stays met; and the seeded random channel assignment it is
//! compared with.

use super::model::Model;
use crate::radio::channels::{max_eirp_dbm, overlap, plan_channels};
use crate::requirements::{Class, Requirements, is_teaching};

/// Co-channel APs that hear each other above this interfere [dBm].
pub const HEARING_DBM: f64 = -82.0;

/// Powers the power plan tries [dBm] (each capped at the channel's EIRP limit).
const POWER_STEPS: [f64; 8] = [8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 23.0];

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
}

/// What SINR evaluation needs: per AP, its path gain at the teaching cells, and at its
/// own nearest demand cell for the hearing test.
pub struct Interference<'a> {
    model: &'a Model<'a>,
    aps: Vec<usize>,
    /// Per teaching cell, the APs heard there with their path gains [dB] and as a power
    /// ratio (APs of other
    /// buildings and gains below −140 dB left out).
    heard: Vec<Vec<(u32, f64, f64)>>,
    home: Vec<usize>,
    noise_mw: f64,
    band: crate::band::Band,
    width: u32,
}

fn mw(dbm: f64) -> f64 {
    10f64.powf(dbm / 10.0)
}

/// The `q` quantile of sorted `values` (nearest rank); NaN when empty.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
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
            model,
            aps: aps.to_vec(),
            heard,
            home,
            noise_mw: mw(req.noise_dbm()),
            band: req.band,
            width: req.width_mhz,
        }
    }

    /// SINR percentiles 5, 50, 95 over the teaching cells [dB] and the mean of log-SINR.
    pub fn sinr(&self, channels: &[u32], powers: &[f64]) -> ([f64; 3], f64) {
        // Which channels overlap, once per evaluation and per distinct channel: the
        // channel search calls this thousands of times.
        let mut distinct: Vec<u32> = channels.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let k = distinct.len();
        let slot: Vec<usize> = channels.iter().map(|c| distinct.binary_search(c).unwrap_or(0)).collect();
        let clash: Vec<bool> =
            (0..k * k).map(|i| overlap(self.band, distinct[i / k], self.width, distinct[i % k], self.width)).collect();
        let power_mw: Vec<f64> = powers.iter().map(|&p| mw(p)).collect();
        let mut values = Vec::with_capacity(self.heard.len());
        for row in &self.heard {
            let Some(&(s, g, _)) =
                row.iter().max_by(|x, y| (x.1 + powers[x.0 as usize]).total_cmp(&(y.1 + powers[y.0 as usize])))
            else {
                continue;
            };
            let s = s as usize;
            let interference: f64 = row
                .iter()
                .filter(|&&(j, _, _)| j as usize != s && clash[slot[s] * k + slot[j as usize]])
                .map(|&(j, _, ratio)| ratio * power_mw[j as usize])
                .sum();
            values.push(g + powers[s] - 10.0 * (self.noise_mw + interference).log10());
        }
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        values.sort_by(f64::total_cmp);
        ([percentile(&values, 0.05), percentile(&values, 0.5), percentile(&values, 0.95)], mean)
    }

    /// Pairs of APs on overlapping channels that hear each other above −82 dBm (either
    /// way, at the other's nearest demand cell).
    pub fn co_channel_pairs(&self, channels: &[u32], powers: &[f64]) -> usize {
        let mut n = 0;
        for a in 0..self.aps.len() {
            for b in a + 1..self.aps.len() {
                if !overlap(self.band, channels[a], self.width, channels[b], self.width) {
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

    /// The figures of a given assignment.
    pub fn plan(&self, channels: Vec<u32>, powers: Vec<f64>) -> ChannelPlan {
        let (sinr_db, _) = self.sinr(&channels, &powers);
        let co_channel_pairs = self.co_channel_pairs(&channels, &powers);
        ChannelPlan { channels, powers, sinr_db, co_channel_pairs }
    }
}

/// The baseline: channels drawn at random (seeded by `seed`), every AP at the design power.
pub fn random_plan(inter: &Interference, req: &Requirements, seed: &str) -> ChannelPlan {
    let list = plan_channels(req.band, req.width_mhz, req.dfs);
    let mut rng = crate::seed::rng(seed);
    let channels = inter.aps.iter().map(|_| list[crate::seed::below(&mut rng, list.len())]).collect();
    inter.plan(channels, vec![req.design_tx_power_dbm; inter.aps.len()])
}

/// The plan: channels by local search on (p5 SINR, mean log-SINR) from a greedy start,
/// then powers, one AP at a time, kept only while coverage stays met.
pub fn channel_plan(inter: &Interference, req: &Requirements) -> ChannelPlan {
    let list = plan_channels(req.band, req.width_mhz, req.dfs);
    let n = inter.aps.len();
    let mut powers = vec![req.design_tx_power_dbm; n];
    // Greedy start: each AP takes the channel least coupled to those already assigned.
    let mut channels: Vec<u32> = Vec::with_capacity(n);
    for a in 0..n {
        let coupling = |ch: u32| -> f64 {
            (0..a)
                .filter(|&b| overlap(req.band, channels[b], req.width_mhz, ch, req.width_mhz))
                .map(|b| {
                    mw(f64::from(inter.model.gain(inter.aps[b], inter.home[a])))
                        + mw(f64::from(inter.model.gain(inter.aps[a], inter.home[b])))
                })
                .sum()
        };
        let best = list.iter().copied().min_by(|&x, &y| coupling(x).total_cmp(&coupling(y))).unwrap_or(list[0]);
        channels.push(best);
    }
    let score = |ch: &[u32], pw: &[f64]| {
        let (s, mean) = inter.sinr(ch, pw);
        (s[0], mean)
    };
    let better = |a: (f64, f64), b: (f64, f64)| a.0 > b.0 + 1e-9 || (a.0 >= b.0 - 1e-9 && a.1 > b.1 + 1e-9);
    let mut current = score(&channels, &powers);
    descend(
        &mut channels,
        8,
        |_| list.clone(),
        |ch| {
            let s = score(ch, &powers);
            let kept = better(s, current);
            if kept {
                current = s;
            }
            kept
        },
    );
    // Powers: keep coverage (the model's deficit may not grow).
    let coverage = |pw: &[f64]| {
        inter.model.evaluate(&inter.aps.iter().copied().zip(pw.iter().copied()).collect::<Vec<_>>()).deficit
    };
    let target = coverage(&powers);
    let steps = |a: usize| -> Vec<f64> {
        let limit = max_eirp_dbm(req.band, channels[a]);
        POWER_STEPS.iter().copied().filter(|&p| p >= req.min_tx_power_dbm && p <= limit).collect()
    };
    descend(&mut powers, 2, steps, |pw| {
        let s = score(&channels, pw);
        let kept = better(s, current) && coverage(pw) <= target;
        if kept {
            current = s;
        }
        kept
    });
    inter.plan(channels, powers)
}

/// Coordinate descent over one value per AP: up to `rounds` passes, each AP trying every
/// value `choices(a)` offers in turn; a change stays when `keep` accepts the new values.
fn descend<T: Copy + PartialEq>(
    values: &mut [T],
    rounds: usize,
    choices: impl Fn(usize) -> Vec<T>,
    mut keep: impl FnMut(&[T]) -> bool,
) {
    for _ in 0..rounds {
        let mut changed = false;
        for a in 0..values.len() {
            for v in choices(a) {
                if v == values[a] {
                    continue;
                }
                let old = values[a];
                values[a] = v;
                if keep(values) {
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
