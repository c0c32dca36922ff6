//! ETSI channels: centre frequencies (IEEE numbering), the channels a plan may use per
//! band, width and DFS choice, overlap between channels, and EIRP limits (DESIGN.md §5).

use crate::band::Band;

/// A radio heard at or above this contends for airtime with the others of its channel
/// (the 802.11 preamble-detect level, −82 dBm at 20 MHz) [dBm].
pub const CONTENTION_DBM: f64 = -82.0;

/// 5 GHz 20 MHz channels without DFS.
const G5_FREE: [u32; 4] = [36, 40, 44, 48];
/// 5 GHz 20 MHz channels with DFS (52–64; 100–140 without the weather-radar 120–128).
const G5_DFS: [u32; 12] = [52, 56, 60, 64, 100, 104, 108, 112, 116, 132, 136, 140];

/// Centre frequency of channel `channel` of `band` [GHz] (IEEE 802.11 numbering), or
/// `None` when the number is outside the band.
pub fn channel_centre_ghz(band: Band, channel: u32) -> Option<f64> {
    let mhz = match band {
        Band::G2_4 if (1..=13).contains(&channel) => 2407 + 5 * channel,
        Band::G5 if (32..=177).contains(&channel) => 5000 + 5 * channel,
        Band::G6 if (1..=233).contains(&channel) => 5950 + 5 * channel,
        _ => return None,
    };
    let ghz = f64::from(mhz) / 1000.0;
    let (lo, hi) = band.range_ghz();
    (lo..=hi).contains(&ghz).then_some(ghz)
}

/// Whether `channel` names a channel of `width_mhz` in `band` (for bonded channels, the
/// number of the bonded channel's centre, e.g. 38 for 36 + 40).
pub fn is_channel(band: Band, channel: u32, width_mhz: u32) -> bool {
    let lowest = match (band, width_mhz) {
        (Band::G2_4, 20) => return (1..=13).contains(&channel),
        (Band::G2_4, 40) => return (3..=11).contains(&channel),
        (Band::G5, 20) => 36,
        (Band::G5, 40) => 38,
        (Band::G5, 80) => 42,
        (Band::G5, 160) => 50,
        (Band::G6, 20) => 1,
        (Band::G6, 40) => 3,
        (Band::G6, 80) => 7,
        (Band::G6, 160) => 15,
        _ => return false,
    };
    let step = width_mhz / 5;
    channel >= lowest && (channel - lowest).is_multiple_of(step) && channel_centre_ghz(band, channel).is_some()
}

/// The width of channel `channel` of `band` [MHz]: in the 5 and 6 GHz bands a channel's
/// number (its centre) names its width, as the 20, 40, 80 and 160 MHz rasters never share
/// a number; at 2.4 GHz (planned at 20 MHz only) and for a number on no raster, 20.
pub fn width_of(band: Band, channel: u32) -> u32 {
    if band == Band::G2_4 {
        return 20;
    }
    [20, 40, 80, 160].into_iter().find(|&w| is_channel(band, channel, w)).unwrap_or(20)
}

/// The 20 MHz channels a bonded channel covers.
fn covered(band: Band, channel: u32, width_mhz: u32) -> std::ops::RangeInclusive<u32> {
    let half = (width_mhz / 5 - 4) / 2;
    match band {
        Band::G2_4 => channel.saturating_sub(2 * (width_mhz / 20 - 1))..=channel + 2 * (width_mhz / 20 - 1),
        _ => channel - half..=channel + half,
    }
}

/// Channels a plan may assign in `band` at `width_mhz` under ETSI rules: 5 GHz 36–48, and
/// with `dfs` 52–64 and 100–140 without 120–128; 2.4 GHz 1, 5, 9, 13; 6 GHz the LPI part
/// (5.945–6.425 GHz); none that covers one of the 20 MHz channels `excluded`.
pub fn plan_channels(band: Band, width_mhz: u32, dfs: bool, excluded: &[u32]) -> Vec<u32> {
    let allowed20: Vec<u32> = match band {
        Band::G2_4 => {
            return if width_mhz == 20 {
                [1, 5, 9, 13].into_iter().filter(|c| !excluded.contains(c)).collect()
            } else {
                Vec::new()
            };
        }
        Band::G5 => G5_FREE.iter().chain(if dfs { &G5_DFS[..] } else { &[] }).copied().collect(),
        Band::G6 => (1..=93).step_by(4).collect(),
    };
    let candidates: Vec<u32> = match band {
        Band::G5 => (32..=177).collect(),
        _ => (1..=233).collect(),
    };
    candidates
        .into_iter()
        .filter(|&c| is_channel(band, c, width_mhz))
        .filter(|&c| covered(band, c, width_mhz).step_by(4).all(|s| allowed20.contains(&s) && !excluded.contains(&s)))
        .collect()
}

/// Whether two channels of a band overlap in frequency.
pub fn overlap(band: Band, a: u32, width_a: u32, b: u32, width_b: u32) -> bool {
    let span = |c: u32, w: u32| {
        let f = channel_centre_ghz(band, c).unwrap_or(0.0) * 1000.0;
        (f - f64::from(w) / 2.0, f + f64::from(w) / 2.0)
    };
    let ((a0, a1), (b0, b1)) = (span(a, width_a), span(b, width_b));
    a0 < b1 - 1e-6 && b0 < a1 - 1e-6
}

/// Largest EIRP ETSI allows on a channel [dBm]: 20 at 2.4 GHz, 23 below 5.35 GHz, 30 at
/// 5.47–5.725 GHz, 23 in the 6 GHz LPI band.
pub fn max_eirp_dbm(band: Band, channel: u32) -> f64 {
    match band {
        Band::G2_4 => 20.0,
        Band::G5 => {
            if channel_centre_ghz(band, channel).is_some_and(|f| f >= 5.47) {
                30.0
            } else {
                23.0
            }
        }
        Band::G6 => 23.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etsi_5_ghz_channel_sets() {
        assert_eq!(plan_channels(Band::G5, 20, false, &[]), vec![36, 40, 44, 48]);
        let dfs = plan_channels(Band::G5, 20, true, &[]);
        assert_eq!(dfs.len(), 16);
        assert!(!dfs.contains(&120) && !dfs.contains(&124) && !dfs.contains(&128));
        assert_eq!(plan_channels(Band::G5, 40, false, &[]), vec![38, 46]);
        assert_eq!(plan_channels(Band::G5, 40, true, &[]), vec![38, 46, 54, 62, 102, 110, 134]);
        assert_eq!(plan_channels(Band::G5, 80, true, &[]), vec![42, 58, 106]);
        assert_eq!(plan_channels(Band::G5, 80, true, &[60]), vec![42, 106]);
        assert_eq!(plan_channels(Band::G2_4, 20, false, &[]), vec![1, 5, 9, 13]);
        assert_eq!(plan_channels(Band::G6, 20, false, &[]).len(), 24, "LPI 5.945–6.425 GHz: 1–93");
    }

    #[test]
    fn etsi_eirp_limits_per_sub_band_and_the_6_ghz_lpi_band() {
        // EN 300 328 (2.4 GHz), EN 301 893 (5.15–5.35 and 5.47–5.725 GHz), EN 303 687
        // (6 GHz low-power indoor: 23 dBm EIRP, 10 dBm/MHz, which 20 MHz reaches at 23).
        for (band, channel, limit) in [
            (Band::G2_4, 1, 20.0),
            (Band::G2_4, 13, 20.0),
            (Band::G5, 36, 23.0),
            (Band::G5, 64, 23.0),
            (Band::G5, 100, 30.0),
            (Band::G5, 140, 30.0),
            (Band::G6, 1, 23.0),
            (Band::G6, 93, 23.0),
        ] {
            assert_eq!(max_eirp_dbm(band, channel), limit, "{band} channel {channel}");
        }
        // Every 6 GHz channel a plan may use lies whole inside 5.945–6.425 GHz.
        for width in [20, 40, 80, 160] {
            for c in plan_channels(Band::G6, width, false, &[]) {
                let f = channel_centre_ghz(Band::G6, c).unwrap();
                let half = f64::from(width) / 2000.0;
                assert!(f - half >= 5.945 - 1e-9 && f + half <= 6.425 + 1e-9, "{width} MHz channel {c}");
            }
        }
        assert_eq!(plan_channels(Band::G6, 160, false, &[]), vec![15, 47, 79], "three 160 MHz channels fit");
    }

    #[test]
    fn a_channel_number_names_its_width_in_the_5_and_6_ghz_bands() {
        for band in [Band::G5, Band::G6] {
            for width in [20, 40, 80, 160] {
                for c in plan_channels(band, width, true, &[]) {
                    assert_eq!(width_of(band, c), width, "{band} channel {c}");
                }
            }
        }
        assert_eq!((width_of(Band::G5, 36), width_of(Band::G5, 38), width_of(Band::G5, 42)), (20, 40, 80));
        assert_eq!((width_of(Band::G6, 5), width_of(Band::G6, 3), width_of(Band::G6, 7)), (20, 40, 80));
        assert_eq!(width_of(Band::G2_4, 3), 20);
    }

    #[test]
    fn overlap_and_limits() {
        assert!(overlap(Band::G5, 38, 40, 40, 20));
        assert!(!overlap(Band::G5, 36, 20, 40, 20));
        assert!(overlap(Band::G2_4, 1, 20, 3, 20));
        assert!(!overlap(Band::G2_4, 1, 20, 5, 20));
        assert_eq!(max_eirp_dbm(Band::G5, 36), 23.0);
        assert_eq!(max_eirp_dbm(Band::G5, 100), 30.0);
        assert!(is_channel(Band::G5, 46, 40) && !is_channel(Band::G5, 44, 40));
    }
}
