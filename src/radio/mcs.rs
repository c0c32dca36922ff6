//! The 802.11ax (HE) data rates a client gets: the highest MCS whose minimum SNR the
//! link reaches, at the channel width, for a two-stream WiFi 6 laptop (0.8 µs guard
//! interval).

/// Minimum SINR of HE MCS 0–11 for a 20 MHz channel [dB] (typical receiver
/// sensitivities as vendors publish them; each doubling of the width costs 3 dB, which
/// the noise floor of the wider channel already carries).
pub const MIN_SNR_DB: [f64; 12] = [5.0, 8.0, 11.0, 14.0, 17.0, 21.0, 23.0, 25.0, 29.0, 31.0, 34.0, 37.0];

/// PHY rate of HE MCS 0–11, one spatial stream, 20 MHz, 0.8 µs GI [Mbit/s]
/// (IEEE 802.11ax-2021, 242-tone RU).
pub const RATE_20_MBPS: [f64; 12] = [8.6, 17.2, 25.8, 34.4, 51.6, 68.8, 77.4, 86.0, 103.2, 114.7, 129.0, 143.4];

/// Data subcarriers relative to 20 MHz (234, 468, 980, 1960).
fn width_factor(width_mhz: u32) -> f64 {
    match width_mhz {
        40 => 468.0 / 234.0,
        80 => 980.0 / 234.0,
        160 => 1960.0 / 234.0,
        _ => 1.0,
    }
}

/// Spatial streams of the design client (a 2×2 WiFi 6 laptop).
pub const STREAMS: f64 = 2.0;

/// The MCS a link at `sinr_db` supports, if any.
pub fn mcs(sinr_db: f64) -> Option<usize> {
    MIN_SNR_DB.iter().rposition(|&m| sinr_db >= m)
}

/// The PHY rate at `sinr_db` on a `width_mhz` channel for the design client [Mbit/s]; 0
/// below MCS 0.
pub fn rate_mbps(sinr_db: f64, width_mhz: u32) -> f64 {
    mcs(sinr_db).map_or(0.0, |m| RATE_20_MBPS[m] * width_factor(width_mhz) * STREAMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_follow_the_he_table() {
        assert_eq!(mcs(4.9), None);
        assert_eq!(mcs(25.0), Some(7));
        assert_eq!(rate_mbps(40.0, 20), 286.8);
        // MCS 11, 80 MHz, 2 streams: 1201 Mbit/s.
        assert!((rate_mbps(40.0, 80) - 1201.0).abs() < 1.0, "{}", rate_mbps(40.0, 80));
        assert!((rate_mbps(17.5, 40) - 2.0 * 103.2).abs() < 0.5);
    }
}
