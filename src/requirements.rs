//! Coverage and capacity requirements (DESIGN.md §5), as flags or a `REQ.ron` file, and
//! the thresholds they give per room kind.

use crate::band::Band;
use crate::plan::RoomKind;
use serde::{Deserialize, Serialize};

/// What a room of a given kind needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Class {
    /// Teaching rooms and offices: primary, secondary and SNR thresholds.
    Primary,
    /// Corridors, halls, canteen, gym, dormitories: one threshold.
    Circulation,
}

/// The requirement class of a room kind; `None` where no coverage is required.
pub fn class_of(kind: RoomKind) -> Option<Class> {
    use RoomKind::*;
    match kind {
        Classroom | Lab | Workshop | Library | Office => Some(Class::Primary),
        Corridor | Hall | Canteen | Gym | Dormitory => Some(Class::Circulation),
        Stair | Technical | Outdoor => None,
    }
}

/// Whether a room kind is a teaching room (the SINR statistics are taken over them).
pub fn is_teaching(kind: RoomKind) -> bool {
    matches!(kind, RoomKind::Classroom | RoomKind::Lab | RoomKind::Workshop | RoomKind::Library)
}

/// Requirements of a placement; every field has the DESIGN.md default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Requirements {
    /// Best-server RSSI in teaching rooms and offices [dBm].
    pub primary_rssi_dbm: f64,
    /// Share of their area that must reach it [1].
    pub primary_fraction: f64,
    /// Second-strongest AP's RSSI there [dBm].
    pub secondary_rssi_dbm: f64,
    /// Share of their area that must reach it [1].
    pub secondary_fraction: f64,
    /// Best-server SNR there [dB].
    pub min_snr_db: f64,
    /// Best-server RSSI in corridors, halls, canteen, gym, dormitories [dBm].
    pub circulation_rssi_dbm: f64,
    /// Share of their area that must reach it [1].
    pub circulation_fraction: f64,
    /// Active clients one radio serves at most [1].
    pub clients_per_radio: u32,
    /// Raises every threshold [dB].
    pub margin_db: f64,
    /// Band planned.
    pub band: Band,
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// Allow the DFS channels.
    pub dfs: bool,
    /// Transmit power APs are placed at, before the power plan [dBm].
    pub design_tx_power_dbm: f64,
    /// Lowest transmit power the power plan may set [dBm].
    pub min_tx_power_dbm: f64,
    /// Client noise figure [dB].
    pub noise_figure_db: f64,
    /// Spacing of the candidate lattice [m].
    pub candidate_spacing_m: f64,
    /// Candidates keep at least this far from walls [m].
    pub wall_clearance_m: f64,
    /// Cell size of the coverage grid [m].
    pub cell_m: f64,
    /// Receiver height above the floor [m].
    pub rx_height_m: f64,
    /// Reflections per path when evaluating candidates (depth 1 is ~1 dB pessimistic
    /// against depth 3, so requirements met here hold with more reflections).
    pub max_reflections: u32,
}

impl Default for Requirements {
    fn default() -> Requirements {
        Requirements {
            primary_rssi_dbm: -67.0,
            primary_fraction: 0.99,
            secondary_rssi_dbm: -75.0,
            secondary_fraction: 0.85,
            min_snr_db: 25.0,
            circulation_rssi_dbm: -70.0,
            circulation_fraction: 0.95,
            clients_per_radio: 35,
            margin_db: 0.0,
            band: Band::G5,
            width_mhz: 20,
            dfs: false,
            design_tx_power_dbm: 14.0,
            min_tx_power_dbm: 8.0,
            noise_figure_db: 7.0,
            candidate_spacing_m: 2.5,
            wall_clearance_m: 0.5,
            cell_m: 0.5,
            rx_height_m: 1.0,
            max_reflections: 1,
        }
    }
}

/// Thresholds derived from requirements [dBm].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Primary RSSI, raised by the SNR requirement where that is stricter.
    pub primary_dbm: f64,
    /// Secondary RSSI.
    pub secondary_dbm: f64,
    /// Circulation RSSI.
    pub circulation_dbm: f64,
    /// Noise power in the channel [dBm].
    pub noise_dbm: f64,
}

/// Values given on the command line that replace a requirements file's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    /// Best-server RSSI in teaching rooms and offices [dBm].
    pub primary_rssi_dbm: Option<f64>,
    /// Second-strongest AP's RSSI there [dBm].
    pub secondary_rssi_dbm: Option<f64>,
    /// Best-server SNR there [dB].
    pub min_snr_db: Option<f64>,
    /// RSSI in circulation rooms [dBm].
    pub circulation_rssi_dbm: Option<f64>,
    /// Active clients one radio serves at most.
    pub clients_per_radio: Option<u32>,
    /// Band planned.
    pub band: Option<Band>,
    /// Allow the DFS channels (added to the file's choice, never removed).
    pub dfs: bool,
}

impl Requirements {
    /// These requirements with the values `flags` give.
    pub fn with_overrides(mut self, flags: &Overrides) -> Requirements {
        let set = |v: &mut f64, o: Option<f64>| {
            if let Some(o) = o {
                *v = o;
            }
        };
        set(&mut self.primary_rssi_dbm, flags.primary_rssi_dbm);
        set(&mut self.secondary_rssi_dbm, flags.secondary_rssi_dbm);
        set(&mut self.min_snr_db, flags.min_snr_db);
        set(&mut self.circulation_rssi_dbm, flags.circulation_rssi_dbm);
        self.clients_per_radio = flags.clients_per_radio.unwrap_or(self.clients_per_radio);
        self.band = flags.band.unwrap_or(self.band);
        self.dfs |= flags.dfs;
        self
    }

    /// Noise power in one channel: −174 dBm/Hz + 10·log10(B) + NF [dBm].
    pub fn noise_dbm(&self) -> f64 {
        -174.0 + 10.0 * (f64::from(self.width_mhz) * 1e6).log10() + self.noise_figure_db
    }

    /// The thresholds, with the margin.
    pub fn thresholds(&self) -> Thresholds {
        let noise = self.noise_dbm();
        Thresholds {
            primary_dbm: self.primary_rssi_dbm.max(noise + self.min_snr_db) + self.margin_db,
            secondary_dbm: self.secondary_rssi_dbm + self.margin_db,
            circulation_dbm: self.circulation_rssi_dbm + self.margin_db,
            noise_dbm: noise,
        }
    }

    /// Everything wrong with these requirements, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, v) in [
            ("primary_fraction", self.primary_fraction),
            ("secondary_fraction", self.secondary_fraction),
            ("circulation_fraction", self.circulation_fraction),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                out.push(format!("{name} {v} must lie in (0, 1]"));
            }
        }
        let finite = [
            self.primary_rssi_dbm,
            self.secondary_rssi_dbm,
            self.min_snr_db,
            self.circulation_rssi_dbm,
            self.margin_db,
            self.design_tx_power_dbm,
            self.min_tx_power_dbm,
            self.noise_figure_db,
            self.rx_height_m,
        ];
        if finite.iter().any(|v| !v.is_finite()) {
            out.push("every threshold, power and height must be a finite number".into());
        }
        if self.clients_per_radio == 0 {
            out.push("clients_per_radio must be at least 1".into());
        }
        if ![20, 40, 80, 160].contains(&self.width_mhz) {
            out.push(format!("width_mhz {} is not 20, 40, 80 or 160", self.width_mhz));
        } else if crate::radio::channels::plan_channels(self.band, self.width_mhz, self.dfs).is_empty() {
            out.push(format!("no {} MHz channel is allowed in the {} band", self.width_mhz, self.band));
        }
        for (name, v) in [("candidate_spacing_m", self.candidate_spacing_m), ("cell_m", self.cell_m)] {
            if !(v.is_finite() && v > 0.05) {
                out.push(format!("{name} {v} must be a length above 0.05 m"));
            }
        }
        if !(self.wall_clearance_m.is_finite() && self.wall_clearance_m >= 0.0) {
            out.push("wall_clearance_m must be ≥ 0".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_and_thresholds_follow_the_design() {
        let mut r = Requirements::default();
        assert!((r.noise_dbm() + 94.0).abs() < 0.05, "{}", r.noise_dbm());
        assert_eq!(r.thresholds().primary_dbm, -67.0, "−94 + 25 = −69 is weaker than −67");
        r.width_mhz = 40;
        assert!((r.noise_dbm() + 91.0).abs() < 0.05);
        assert!((r.thresholds().primary_dbm + 66.0).abs() < 0.05, "the SNR binds at 40 MHz");
        r.margin_db = 3.0;
        assert_eq!(r.thresholds().circulation_dbm, -67.0);
    }
}
