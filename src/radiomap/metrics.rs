//! The metrics an engineer reads off a design, per receiver cell, from every AP's path
//! gain: best-server and second-best RSSI, SNR, SINR against the co-channel APs of the
//! plan, the 802.11ax data rate, the serving channel, how many APs a client hears, and
//! how many of them share the serving channel (the channel-overlap view).

use crate::band::Band;
use crate::lang::{Lang, Msg};
use crate::radio::{channels, mcs};
use rayon::prelude::*;

/// RSSI above which an AP counts as heard for roaming [dBm].
pub const HEARD_DBM: f64 = -75.0;

/// One metric of a plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Metric {
    /// Best-server RSSI [dBm].
    Rssi,
    /// Second-strongest AP's RSSI [dBm].
    Secondary,
    /// Best server's signal over the noise floor [dB].
    Snr,
    /// Best server's signal over noise + every AP on an overlapping channel [dB].
    Sinr,
    /// 802.11ax PHY rate the SINR supports for a 2×2 client [Mbit/s].
    Rate,
    /// Channel of the best server.
    Channel,
    /// APs heard at or above [`HEARD_DBM`].
    ApCount,
    /// APs on channels overlapping the best server's heard at or above
    /// [`channels::CONTENTION_DBM`], the best server included (1: the channel is clean).
    CoChannel,
}

impl Metric {
    /// Every metric, in the order of `--metric all`.
    pub const ALL: [Metric; 8] = [
        Metric::Rssi,
        Metric::Secondary,
        Metric::Snr,
        Metric::Sinr,
        Metric::Rate,
        Metric::Channel,
        Metric::ApCount,
        Metric::CoChannel,
    ];

    /// Name on the command line and in file names.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Rssi => "rssi",
            Metric::Secondary => "secondary",
            Metric::Snr => "snr",
            Metric::Sinr => "sinr",
            Metric::Rate => "rate",
            Metric::Channel => "channel",
            Metric::ApCount => "ap-count",
            Metric::CoChannel => "co-channel",
        }
    }

    /// The metric named `key`.
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Metrics named by keys (`all` for every one), sorted and without repeats; the error
    /// names the first unknown key.
    pub fn parse_list(keys: &[String]) -> Result<Vec<Metric>, String> {
        let mut metrics = Vec::new();
        for key in keys {
            match (key.as_str(), Metric::from_key(key)) {
                ("all", _) => metrics.extend(Metric::ALL),
                (_, Some(m)) => metrics.push(m),
                _ => {
                    return Err(format!(
                        "--metric {key}: expected rssi, secondary, snr, sinr, rate, channel, ap-count, co-channel or all"
                    ));
                }
            }
        }
        metrics.sort_unstable();
        metrics.dedup();
        Ok(metrics)
    }

    /// Title in images and the report.
    pub fn title(self, lang: Lang) -> &'static str {
        lang.t(match self {
            Metric::Rssi => Msg::MetricRssi,
            Metric::Secondary => Msg::MetricSecondary,
            Metric::Snr => Msg::MetricSnr,
            Metric::Sinr => Msg::MetricSinr,
            Metric::Rate => Msg::MetricRate,
            Metric::Channel => Msg::MetricChannel,
            Metric::ApCount => Msg::MetricApCount,
            Metric::CoChannel => Msg::MetricCoChannel,
        })
    }

    /// Unit of the values, empty for none.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Rssi | Metric::Secondary => "dBm",
            Metric::Snr | Metric::Sinr => "dB",
            Metric::Rate => "Mbit/s",
            Metric::Channel | Metric::ApCount | Metric::CoChannel => "",
        }
    }
}

/// What a metric needs of each AP's radio in the simulated band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServingRadio {
    /// Channel number; `None` when the radio has none set.
    pub channel: Option<u32>,
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// Transmit power + antenna gain [dBm].
    pub eirp_dbm: f64,
}

/// Every metric of one plane, cell by cell (row-major from the south). Cells no AP
/// reaches hold −∞ for RSSI, SNR and SINR, 0 for the rate, the AP count and the channel.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaneMetrics {
    /// Best-server RSSI [dBm].
    pub rssi: Vec<f32>,
    /// Second-best RSSI [dBm].
    pub secondary: Vec<f32>,
    /// SNR [dB].
    pub snr: Vec<f32>,
    /// SINR [dB].
    pub sinr: Vec<f32>,
    /// Data rate [Mbit/s].
    pub rate: Vec<f32>,
    /// Serving channel (0: none).
    pub channel: Vec<f32>,
    /// APs heard.
    pub ap_count: Vec<f32>,
    /// APs on the best server's channel heard above −82 dBm, it included.
    pub co_channel: Vec<f32>,
}

impl PlaneMetrics {
    /// The values of `metric`.
    pub fn get(&self, metric: Metric) -> &[f32] {
        match metric {
            Metric::Rssi => &self.rssi,
            Metric::Secondary => &self.secondary,
            Metric::Snr => &self.snr,
            Metric::Sinr => &self.sinr,
            Metric::Rate => &self.rate,
            Metric::Channel => &self.channel,
            Metric::ApCount => &self.ap_count,
            Metric::CoChannel => &self.co_channel,
        }
    }
}

/// Thermal noise in a channel plus the client's noise figure: −174 dBm/Hz + 10·log10(B)
/// + NF [dBm].
pub fn noise_dbm(width_mhz: u32, noise_figure_db: f64) -> f64 {
    -174.0 + 10.0 * (f64::from(width_mhz) * 1e6).log10() + noise_figure_db
}

/// The metrics of one plane from each AP's path gain there (`gains[i]`: AP i's gain per
/// cell [dB]). SINR sums, as interference, the power of every other AP whose channel
/// overlaps the best server's (whole, even where only part of the channel overlaps —
/// the conservative reading); paths add in power.
pub fn compute(gains: &[&[f32]], radios: &[ServingRadio], band: Band, noise_figure_db: f64) -> PlaneMetrics {
    let cells = gains.first().map_or(0, |g| g.len());
    let n = radios.len();
    // Per AP, the other APs on overlapping channels: the only ones a cell's SINR reads.
    let interferers: Vec<Vec<usize>> = (0..n)
        .map(|i| {
            let a = &radios[i];
            (0..n)
                .filter(|&j| j != i)
                .filter(|&j| {
                    let b = &radios[j];
                    match (a.channel, b.channel) {
                        (Some(x), Some(y)) => channels::overlap(band, x, a.width_mhz, y, b.width_mhz),
                        (None, None) => true,
                        _ => false,
                    }
                })
                .collect()
        })
        .collect();
    let noise_mw: Vec<f64> = radios.iter().map(|r| db_to_mw(noise_dbm(r.width_mhz, noise_figure_db))).collect();
    let per_cell: Vec<[f32; 8]> = (0..cells)
        .into_par_iter()
        .map(|c| {
            let (mut best, mut second, mut who) = (f64::NEG_INFINITY, f64::NEG_INFINITY, usize::MAX);
            let mut heard = 0u32;
            for (i, g) in gains.iter().enumerate() {
                let p = f64::from(g[c]) + radios[i].eirp_dbm;
                heard += u32::from(p >= HEARD_DBM);
                if p > best {
                    (second, best, who) = (best, p, i);
                } else if p > second {
                    second = p;
                }
            }
            if who == usize::MAX || best == f64::NEG_INFINITY {
                let inf = f32::NEG_INFINITY;
                return [inf, inf, inf, inf, 0.0, 0.0, 0.0, 0.0];
            }
            let (mut interference, mut contending) = (0.0, u32::from(best >= channels::CONTENTION_DBM));
            for &j in &interferers[who] {
                let p = f64::from(gains[j][c]) + radios[j].eirp_dbm;
                interference += db_to_mw(p);
                contending += u32::from(p >= channels::CONTENTION_DBM);
            }
            let signal = db_to_mw(best);
            let snr = 10.0 * (signal / noise_mw[who]).log10();
            let sinr = 10.0 * (signal / (noise_mw[who] + interference)).log10();
            [
                best as f32,
                second as f32,
                snr as f32,
                sinr as f32,
                mcs::rate_mbps(sinr, radios[who].width_mhz) as f32,
                radios[who].channel.unwrap_or(0) as f32,
                heard as f32,
                contending as f32,
            ]
        })
        .collect();
    let column = |k: usize| per_cell.iter().map(|v| v[k]).collect::<Vec<f32>>();
    PlaneMetrics {
        rssi: column(0),
        secondary: column(1),
        snr: column(2),
        sinr: column(3),
        rate: column(4),
        channel: column(5),
        ap_count: column(6),
        co_channel: column(7),
    }
}

fn db_to_mw(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn radio(channel: u32, eirp: f64) -> ServingRadio {
        ServingRadio { channel: Some(channel), width_mhz: 20, eirp_dbm: eirp }
    }

    #[test]
    fn two_co_channel_aps_of_equal_power_give_a_sinr_of_zero() {
        let (a, b) = (vec![-80.0f32], vec![-80.0f32]);
        let m = compute(&[&a, &b], &[radio(36, 20.0), radio(36, 20.0)], Band::G5, 7.0);
        assert_eq!(m.rssi[0], -60.0);
        assert_eq!(m.secondary[0], -60.0);
        assert!(m.sinr[0].abs() < 0.01, "{}", m.sinr[0]);
        // Noise in 20 MHz with NF 7: −174 + 73.01 + 7 = −93.99 dBm.
        assert!((m.snr[0] - 33.99).abs() < 0.01, "{}", m.snr[0]);
        assert_eq!(m.ap_count[0], 2.0);
        assert_eq!(m.rate[0], 0.0);
    }

    #[test]
    fn other_channels_do_not_interfere() {
        let (a, b) = (vec![-80.0f32, f32::NEG_INFINITY], vec![-96.0f32, f32::NEG_INFINITY]);
        let m = compute(&[&a, &b], &[radio(36, 20.0), radio(40, 20.0)], Band::G5, 7.0);
        assert_eq!(m.snr[0], m.sinr[0]);
        assert_eq!(m.channel[0], 36.0);
        assert_eq!(m.ap_count[0], 1.0, "−76 dBm is not heard");
        assert_eq!(m.rssi[1], f32::NEG_INFINITY);
        assert_eq!((m.rate[1], m.channel[1], m.ap_count[1]), (0.0, 0.0, 0.0));
        // SNR 33.99 dB → MCS 9 (≥ 31 dB): 114.7 × 2 streams.
        assert!((m.rate[0] - 229.4).abs() < 0.01, "{}", m.rate[0]);
    }

    #[test]
    fn the_co_channel_count_takes_the_serving_channel_above_minus_82_dbm() {
        // At 2.4 GHz, channel 1 serves; 6 is apart, and a second radio on 1 at −81 dBm
        // contends, one on 1 at −83 dBm does not.
        let g = [vec![-70.0f32], vec![-75.0], vec![-101.0], vec![-103.0]];
        let radios = [radio(1, 20.0), radio(6, 20.0), radio(1, 20.0), radio(1, 20.0)];
        let m = compute(&g.iter().map(|v| v.as_slice()).collect::<Vec<_>>(), &radios, Band::G2_4, 7.0);
        assert_eq!((m.channel[0], m.co_channel[0]), (1.0, 2.0));
        assert_eq!(m.ap_count[0], 2.0, "−50 and −55 dBm heard for roaming, whatever their channel");
        let m = compute(&[g[0].as_slice()], &radios[..1], Band::G2_4, 7.0);
        assert_eq!(m.co_channel[0], 1.0, "alone on its channel");
    }
}
