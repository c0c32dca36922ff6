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

/// How many APs a room needs for its clients (before coverage asks for more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CapacityRule {
    /// By airtime ([`crate::radio::airtime`]): the room's demand over what one AP
    /// carries at the best rate the planned width allows — the SINR a clean channel gives
    /// a teaching room (the DFS channel plan gives the demo's p5 49.9 dB) —, rounded up.
    /// Rooms whose planned SINR falls short of it are reported (`airtime` in
    /// `placement.json`, with the APs they would need).
    Airtime,
    /// ⌈occupants / `clients_per_radio`⌉.
    Occupants,
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
    /// How many APs a room needs for its clients.
    pub capacity: CapacityRule,
    /// Active clients one radio serves at most, for the `Occupants` rule [1].
    pub clients_per_radio: u32,
    /// Raises every threshold [dB].
    pub margin_db: f64,
    /// Band planned.
    pub band: Band,
    /// Channel width every room's coverage and capacity is planned at, and the narrowest
    /// an AP gets [MHz].
    pub width_mhz: u32,
    /// Widest channel the plan may give an AP [MHz]: after the channel and power plan at
    /// `width_mhz`, APs whose neighbours leave room are widened (up to this, within what
    /// the AP model offers) when that raises the teaching cells' shared throughput and
    /// every room's coverage holds at the wider channel's noise. At or below `width_mhz`:
    /// every AP at `width_mhz`.
    pub max_width_mhz: u32,
    /// Allow the DFS channels (5 GHz 52–64 and 100–140, ETSI EN 301 893; on by default,
    /// as indoor APs in France may use them).
    pub dfs: bool,
    /// 20 MHz channel numbers of the planned band the plan must not use (e.g. 120, 124,
    /// 128 near a weather radar); a bonded channel that covers one is left out too.
    pub excluded_channels: Vec<u32>,
    /// The second radio every placed AP carries, at 2.4 GHz, and its plan.
    pub low_band: LowBand,
    /// The 6 GHz radio of a tri-band AP model, and its plan.
    pub six_ghz: SixGhz,
    /// Capacity by airtime: what each room kind's devices ask, and what a channel gives.
    pub airtime: crate::radio::airtime::Airtime,
    /// Transmit power APs are placed at, before the power plan [dBm].
    pub design_tx_power_dbm: f64,
    /// Lowest transmit power the power plan may set [dBm].
    pub min_tx_power_dbm: f64,
    /// Transmit power of a typical client in the planned band [dBm] (a laptop: 15–17 at
    /// 5 GHz): the plan keeps each AP's power at most this plus `uplink_margin_db`, so
    /// that where a client hears its AP, the AP hears it too.
    pub client_tx_power_dbm: f64,
    /// How far above the client's power an AP may transmit [dB] (raise it to lift the
    /// limit).
    pub uplink_margin_db: f64,
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
    /// The AP model placed (`data/ap-models.ron`): its antenna patterns shape the
    /// candidates' maps and its radios' limits the powers; none: an isotropic 0 dBi
    /// antenna.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ap_model: Option<String>,
    /// A file of the user's AP models (the format of `data/ap-models.ron`; patterns by
    /// built-in name or path relative to the file) that `ap_model` may name besides the
    /// shipped ones; in a REQ.ron, relative to the REQ.ron.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ap_models: Option<std::path::PathBuf>,
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
            capacity: CapacityRule::Airtime,
            clients_per_radio: 35,
            margin_db: 0.0,
            band: Band::G5,
            width_mhz: 20,
            max_width_mhz: 20,
            dfs: true,
            excluded_channels: Vec::new(),
            low_band: LowBand::default(),
            six_ghz: SixGhz::default(),
            airtime: Default::default(),
            design_tx_power_dbm: 14.0,
            min_tx_power_dbm: 8.0,
            client_tx_power_dbm: 16.0,
            uplink_margin_db: 3.0,
            noise_figure_db: 7.0,
            candidate_spacing_m: 2.5,
            wall_clearance_m: 0.5,
            cell_m: 0.5,
            rx_height_m: 1.0,
            max_reflections: 1,
            ap_model: None,
            ap_models: None,
        }
    }
}

/// The 2.4 GHz radio of a dual-band AP: its channels (20 MHz), its powers, and the
/// coverage it must keep in teaching rooms and offices — a requirement of its own, lower
/// than the 5 GHz one (2.4 GHz serves older and low-power devices). The plan switches
/// off the 2.4 GHz radios that only add co-channel interference, as long as this holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LowBand {
    /// Give every placed AP a 2.4 GHz radio and plan it (else 5 GHz only).
    pub plan: bool,
    /// Channels the plan may use, pairwise non-overlapping at 20 MHz (1, 6, 11; ETSI
    /// also allows 1, 5, 9, 13).
    pub channels: Vec<u32>,
    /// Best-server RSSI at 2.4 GHz in teaching rooms and offices [dBm] (raised by the
    /// margin).
    pub rssi_dbm: f64,
    /// Share of their area that must reach it [1].
    pub fraction: f64,
    /// Best-server SNR at 2.4 GHz there [dB] (raises the threshold where stricter).
    pub min_snr_db: f64,
    /// Transmit power of the radios before the power plan [dBm].
    pub tx_power_dbm: f64,
    /// Lowest transmit power the power plan may set [dBm].
    pub min_tx_power_dbm: f64,
    /// Transmit power of a typical client at 2.4 GHz [dBm] (with the requirements'
    /// `uplink_margin_db`, the most an AP's 2.4 GHz radio may transmit).
    pub client_tx_power_dbm: f64,
}

impl Default for LowBand {
    fn default() -> LowBand {
        LowBand {
            plan: true,
            channels: vec![1, 6, 11],
            rssi_dbm: -72.0,
            fraction: 0.9,
            min_snr_db: 20.0,
            tx_power_dbm: 11.0,
            min_tx_power_dbm: 5.0,
            client_tx_power_dbm: 18.0,
        }
    }
}

/// The 6 GHz radio of a tri-band AP model (the LPI band, 5945–6425 MHz, ETSI EN 303 687):
/// a capacity layer for 6E clients, planned on the chosen APs — channels and powers for
/// the best p5 SINR, the coverage at its threshold kept — and reported against a
/// requirement of its own; it never adds an AP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SixGhz {
    /// Channel width [MHz]; none: the width of the model's 6 GHz radio whose plan gives
    /// the teaching cells the most throughput at the 5th percentile (each cell's rate
    /// shared with the co-channel radios it hears: wider channels carry more, but the
    /// LPI band holds 24 channels of 20 MHz and only 6 of 80).
    pub width_mhz: Option<u32>,
    /// Best-server RSSI at 6 GHz in teaching rooms and offices [dBm] (raised by the
    /// margin and the SNR rule).
    pub rssi_dbm: f64,
    /// Share of their area it should reach [1].
    pub fraction: f64,
    /// Best-server SNR at 6 GHz there [dB].
    pub min_snr_db: f64,
    /// Transmit power of the radios before the power plan [dBm].
    pub tx_power_dbm: f64,
    /// Lowest transmit power the power plan may set [dBm].
    pub min_tx_power_dbm: f64,
    /// Transmit power of a typical 6E client [dBm] (with `uplink_margin_db`, the most an
    /// AP's 6 GHz radio may transmit).
    pub client_tx_power_dbm: f64,
}

impl Default for SixGhz {
    fn default() -> SixGhz {
        SixGhz {
            width_mhz: None,
            rssi_dbm: -67.0,
            fraction: 0.9,
            min_snr_db: 25.0,
            tx_power_dbm: 14.0,
            min_tx_power_dbm: 8.0,
            client_tx_power_dbm: 14.0,
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
pub struct Overrides<'a> {
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
    /// Allow (or forbid) the DFS channels.
    pub dfs: Option<bool>,
    /// 20 MHz channels the plan must not use (added to the file's).
    pub excluded_channels: Option<&'a [u32]>,
    /// Channel width [MHz].
    pub width_mhz: Option<u32>,
    /// Widest channel an AP may get [MHz].
    pub max_width_mhz: Option<u32>,
    /// The AP model placed.
    pub ap_model: Option<&'a str>,
    /// The user's AP models' file.
    pub ap_models: Option<&'a std::path::Path>,
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
        if let Some(n) = flags.clients_per_radio {
            // Naming a client count asks for the rule that uses it.
            self.clients_per_radio = n;
            self.capacity = CapacityRule::Occupants;
        }
        self.band = flags.band.unwrap_or(self.band);
        self.dfs = flags.dfs.unwrap_or(self.dfs);
        self.width_mhz = flags.width_mhz.unwrap_or(self.width_mhz);
        self.max_width_mhz = flags.max_width_mhz.unwrap_or(self.max_width_mhz);
        if let Some(m) = flags.ap_model {
            self.ap_model = Some(m.to_string());
        }
        if let Some(f) = flags.ap_models {
            self.ap_models = Some(f.to_path_buf());
        }
        if let Some(list) = flags.excluded_channels {
            for &c in list {
                if !self.excluded_channels.contains(&c) {
                    self.excluded_channels.push(c);
                }
            }
        }
        self
    }

    /// The channels the plan may assign in the planned band at the planned width: ETSI's
    /// (with DFS when allowed) less the excluded ones.
    pub fn channels(&self) -> Vec<u32> {
        crate::radio::channels::plan_channels(self.band, self.width_mhz, self.dfs, &self.excluded_channels)
    }

    /// The requirements the 2.4 GHz radios are planned and assessed against: the low
    /// band's threshold and SNR in teaching rooms and offices, none elsewhere (fractions
    /// 0), its powers, 20 MHz.
    pub fn low_band_requirements(&self) -> Requirements {
        let low = &self.low_band;
        let powers = [low.tx_power_dbm, low.min_tx_power_dbm, low.client_tx_power_dbm];
        self.other_band(Band::G2_4, 20, (low.rssi_dbm, low.fraction, low.min_snr_db), powers)
    }

    /// These requirements for another radio of the AP: in `band` at `width_mhz`, its
    /// (RSSI [dBm], share [1], SNR [dB]) in teaching rooms and offices and none
    /// elsewhere, its (design, least, client's) powers [dBm], every channel of the band.
    fn other_band(
        &self,
        band: Band,
        width_mhz: u32,
        (rssi, fraction, snr): (f64, f64, f64),
        powers: [f64; 3],
    ) -> Requirements {
        Requirements {
            primary_rssi_dbm: rssi,
            primary_fraction: fraction,
            secondary_fraction: 0.0,
            min_snr_db: snr,
            circulation_fraction: 0.0,
            band,
            width_mhz,
            dfs: false,
            excluded_channels: Vec::new(),
            design_tx_power_dbm: powers[0],
            min_tx_power_dbm: powers[1],
            client_tx_power_dbm: powers[2],
            ..self.clone()
        }
    }

    /// Whether the AP model has a 6 GHz radio to plan.
    pub fn plans_six_ghz(&self) -> bool {
        self.model().is_some_and(|m| m.radio(Band::G6).is_some())
    }

    /// The widths the 6 GHz plan tries: the one set, else every width of the model's
    /// 6 GHz radio that has channels in the LPI band [MHz].
    pub fn six_ghz_widths(&self) -> Vec<u32> {
        if let Some(w) = self.six_ghz.width_mhz {
            return vec![w];
        }
        let offered = self.model().and_then(|m| m.radio(Band::G6)).map_or(&[][..], |r| &r.widths_mhz[..]);
        offered
            .iter()
            .copied()
            .filter(|&w| !crate::radio::channels::plan_channels(Band::G6, w, false, &[]).is_empty())
            .collect()
    }

    /// The requirements the 6 GHz radios are planned and assessed against at `width_mhz`:
    /// the 6 GHz threshold and SNR in teaching rooms and offices, none elsewhere, its
    /// powers, the LPI channels.
    pub fn six_ghz_requirements(&self, width_mhz: u32) -> Requirements {
        let six = &self.six_ghz;
        let powers = [six.tx_power_dbm, six.min_tx_power_dbm, six.client_tx_power_dbm];
        self.other_band(Band::G6, width_mhz, (six.rssi_dbm, six.fraction, six.min_snr_db), powers)
    }

    /// The power APs are placed and planned from [dBm]: `design_tx_power_dbm`, or less
    /// where the AP model's radio, a channel's EIRP limit less the antenna's peak gain or
    /// the uplink cap allow less on some channel of the plan (so that no AP starts above
    /// what its channel allows).
    pub fn design_power_dbm(&self) -> f64 {
        self.channels().iter().map(|&c| self.max_conducted_dbm(c)).fold(self.design_tx_power_dbm, f64::min)
    }

    /// The most an AP may transmit in the planned band for its clients to answer it:
    /// client power plus the uplink margin [dBm].
    pub fn max_tx_power_dbm(&self) -> f64 {
        self.client_tx_power_dbm + self.uplink_margin_db
    }

    /// What the AP model (if any) cannot do of these requirements, one message each.
    fn model_problems(&self) -> Vec<String> {
        let Some(name) = &self.ap_model else { return Vec::new() };
        let model = match crate::radio::models::find_in(self.ap_models.as_deref(), name) {
            Ok(m) => m,
            Err(e) => return vec![format!("ap_model: {e}")],
        };
        let mut out: Vec<String> = model.problems();
        let who = format!("ap_model \"{name}\"");
        match model.radio(self.band) {
            None => out.push(format!("{who} has no {} radio", self.band)),
            Some(r) if !r.widths_mhz.contains(&self.width_mhz) => out.push(format!(
                "width_mhz {}: {who}'s {} radio offers {:?} MHz",
                self.width_mhz, self.band, r.widths_mhz
            )),
            Some(r) if self.max_width_mhz > self.width_mhz && !r.widths_mhz.contains(&self.max_width_mhz) => {
                out.push(format!(
                    "max_width_mhz {}: {who}'s {} radio offers {:?} MHz",
                    self.max_width_mhz, self.band, r.widths_mhz
                ))
            }
            Some(_) => {}
        }
        if self.low_band.plan && model.radio(Band::G2_4).is_none() {
            out.push(format!("{who} has no 2.4 GHz radio (set low_band.plan: false)"));
        }
        if let Some(r) = model.radio(Band::G6) {
            let six = &self.six_ghz;
            match six.width_mhz {
                Some(w) if !r.widths_mhz.contains(&w) => {
                    out.push(format!("six_ghz.width_mhz {w}: {who}'s 6 GHz radio offers {:?} MHz", r.widths_mhz))
                }
                _ if self.six_ghz_widths().is_empty() => out.push(format!(
                    "six_ghz.width_mhz {:?}: no such channel in the 6 GHz LPI band",
                    six.width_mhz.map_or(r.widths_mhz.clone(), |w| vec![w])
                )),
                _ => {}
            }
            if !(six.fraction > 0.0 && six.fraction <= 1.0) {
                out.push(format!("six_ghz.fraction {} must lie in (0, 1]", six.fraction));
            }
            let powers =
                [six.rssi_dbm, six.min_snr_db, six.tx_power_dbm, six.min_tx_power_dbm, six.client_tx_power_dbm];
            if !powers.iter().all(|v| v.is_finite()) {
                out.push("six_ghz thresholds and powers must be finite numbers".into());
            } else if six.min_tx_power_dbm > six.tx_power_dbm
                || six.tx_power_dbm > six.client_tx_power_dbm + self.uplink_margin_db
            {
                out.push(format!(
                    "six_ghz.tx_power_dbm {} must lie between six_ghz.min_tx_power_dbm {} and client_tx_power_dbm {} + uplink_margin_db {}",
                    six.tx_power_dbm, six.min_tx_power_dbm, six.client_tx_power_dbm, self.uplink_margin_db
                ));
            }
        }
        out
    }

    /// The APs a room of `kind` with `occupants` needs by the capacity rule [1].
    pub fn capacity_need(&self, kind: crate::plan::RoomKind, occupants: u32) -> u32 {
        let by_occupants = occupants.div_ceil(self.clients_per_radio.max(1));
        match self.capacity {
            CapacityRule::Occupants => by_occupants,
            CapacityRule::Airtime => {
                self.airtime.room(kind, occupants, f64::INFINITY, self.width_mhz).aps_needed.unwrap_or(by_occupants)
            }
        }
    }

    /// What a plan depends on in the user's AP-model file, when the model comes from one
    /// ([`crate::radio::models::ApModel::fingerprint`]; a shipped model is covered by the
    /// program version).
    pub fn model_fingerprint(&self) -> Option<u64> {
        self.ap_models.as_ref()?;
        self.model().map(|m| m.fingerprint())
    }

    /// The AP model placed, if any (and known: [`Requirements::problems`] names an
    /// unknown one).
    pub fn model(&self) -> Option<&'static crate::radio::models::ApModel> {
        self.ap_model.as_deref().and_then(|m| crate::radio::models::find_in(self.ap_models.as_deref(), m).ok())
    }

    /// The most an AP may transmit on `channel` of the planned band [dBm]: the uplink cap
    /// and the channel's ETSI EIRP limit less the antenna's peak gain (0 dBi without a
    /// model), and the model's radio's maximum.
    pub fn max_conducted_dbm(&self, channel: u32) -> f64 {
        match self.model() {
            Some(m) => m.max_conducted_dbm(self.band, channel, self.max_tx_power_dbm()),
            None => crate::radio::channels::max_eirp_dbm(self.band, channel).min(self.max_tx_power_dbm()),
        }
    }

    /// Noise power in one channel: −174 dBm/Hz + 10·log10(B) + NF [dBm].
    pub fn noise_dbm(&self) -> f64 {
        crate::radiomap::metrics::noise_dbm(self.width_mhz, self.noise_figure_db)
    }

    /// The widths the plan may give the planned band's APs, narrowest (`width_mhz`) first
    /// [MHz]: up to `max_width_mhz`, those the AP model offers and that have channels.
    pub fn plan_widths(&self) -> Vec<u32> {
        let offered = self.model().and_then(|m| m.radio(self.band)).map(|r| r.widths_mhz.clone());
        [20, 40, 80, 160]
            .into_iter()
            .filter(|&w| w == self.width_mhz || (w > self.width_mhz && w <= self.max_width_mhz))
            .filter(|w| offered.as_ref().is_none_or(|o| o.contains(w)))
            .filter(|&w| {
                !crate::radio::channels::plan_channels(self.band, w, self.dfs, &self.excluded_channels).is_empty()
            })
            .collect()
    }

    /// How much higher an AP on a `width_mhz` channel must be heard than one at the
    /// planned width for the primary requirement, RSSI and SNR (the noise grows with the
    /// width) [dB]; 0 at or below the planned width.
    pub fn width_penalty_db(&self, width_mhz: u32) -> f64 {
        let need = |w: u32| self.primary_need_dbm(crate::radiomap::metrics::noise_dbm(w, self.noise_figure_db));
        (need(width_mhz) - need(self.width_mhz)).max(0.0)
    }

    /// The best-server signal the primary requirement asks with `noise_dbm` of noise:
    /// its RSSI, or the noise plus its SNR where that is higher (no margin) [dBm].
    fn primary_need_dbm(&self, noise_dbm: f64) -> f64 {
        self.primary_rssi_dbm.max(noise_dbm + self.min_snr_db)
    }

    /// The thresholds, with the margin.
    pub fn thresholds(&self) -> Thresholds {
        let noise = self.noise_dbm();
        Thresholds {
            primary_dbm: self.primary_need_dbm(noise) + self.margin_db,
            secondary_dbm: self.secondary_rssi_dbm + self.margin_db,
            circulation_dbm: self.circulation_rssi_dbm + self.margin_db,
            noise_dbm: noise,
        }
    }

    /// Everything wrong with these requirements, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(self.primary_fraction > 0.0 && self.primary_fraction <= 1.0) {
            out.push(format!("primary_fraction {} must lie in (0, 1]", self.primary_fraction));
        }
        for (name, v) in
            [("secondary_fraction", self.secondary_fraction), ("circulation_fraction", self.circulation_fraction)]
        {
            if !(0.0..=1.0).contains(&v) {
                out.push(format!("{name} {v} must lie in [0, 1] (0: no such requirement)"));
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
            self.client_tx_power_dbm,
            self.uplink_margin_db,
        ];
        if finite.iter().any(|v| !v.is_finite()) {
            out.push("every threshold, power and height must be a finite number".into());
        }
        if self.design_tx_power_dbm > self.max_tx_power_dbm() {
            out.push(format!(
                "design_tx_power_dbm {} is above what clients answer: client_tx_power_dbm {} + uplink_margin_db {}",
                self.design_tx_power_dbm, self.client_tx_power_dbm, self.uplink_margin_db
            ));
        }
        if self.clients_per_radio == 0 {
            out.push("clients_per_radio must be at least 1".into());
        }
        if ![20, 40, 80, 160].contains(&self.width_mhz) {
            out.push(format!("width_mhz {} is not 20, 40, 80 or 160", self.width_mhz));
        } else if self.channels().is_empty() {
            out.push(format!("no {} MHz channel is allowed in the {} band", self.width_mhz, self.band));
        }
        if ![20, 40, 80, 160].contains(&self.max_width_mhz) {
            out.push(format!("max_width_mhz {} is not 20, 40, 80 or 160", self.max_width_mhz));
        }
        for &c in &self.excluded_channels {
            if !crate::radio::channels::is_channel(self.band, c, 20) {
                out.push(format!("excluded channel {c} is not a 20 MHz channel of the {} band", self.band));
            }
        }
        out.extend(self.low_band.problems());
        out.extend(self.airtime.problems());
        out.extend(self.model_problems());
        let low = &self.low_band;
        if low.plan && low.tx_power_dbm > low.client_tx_power_dbm + self.uplink_margin_db {
            out.push(format!(
                "low_band.tx_power_dbm {} is above what clients answer: low_band.client_tx_power_dbm {} + uplink_margin_db {}",
                low.tx_power_dbm, low.client_tx_power_dbm, self.uplink_margin_db
            ));
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

impl LowBand {
    /// Everything wrong with the 2.4 GHz radio's settings, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.plan {
            return out;
        }
        if self.channels.is_empty() {
            out.push("low_band.channels is empty".into());
        }
        for (i, &a) in self.channels.iter().enumerate() {
            if !(1..=13).contains(&a) {
                out.push(format!("low_band channel {a} is not a 2.4 GHz channel allowed in Europe (1–13)"));
                continue;
            }
            for &b in &self.channels[..i] {
                if (1..=13).contains(&b) && crate::radio::channels::overlap(Band::G2_4, a, 20, b, 20) {
                    out.push(format!("low_band channels {b} and {a} overlap at 20 MHz (use e.g. 1, 6, 11)"));
                }
            }
        }
        if !(self.fraction > 0.0 && self.fraction <= 1.0) {
            out.push(format!("low_band.fraction {} must lie in (0, 1]", self.fraction));
        }
        if ![self.rssi_dbm, self.tx_power_dbm, self.min_tx_power_dbm, self.client_tx_power_dbm]
            .iter()
            .all(|v| v.is_finite())
        {
            out.push("low_band thresholds and powers must be finite numbers".into());
        } else if self.min_tx_power_dbm > self.tx_power_dbm {
            out.push("low_band.min_tx_power_dbm is above low_band.tx_power_dbm".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wider_channel_needs_its_noise_more_signal_and_the_model_bounds_the_widths() {
        // Noise at 20/40/80 MHz with a 7 dB noise figure: −93.99/−90.98/−87.97 dBm; + 25 dB
        // SNR: −68.99/−65.98/−62.97 dBm against the −67 dBm RSSI requirement.
        let req = Requirements { max_width_mhz: 80, ..Requirements::default() };
        assert!((req.width_penalty_db(20)).abs() < 1e-12);
        assert!((req.width_penalty_db(40) - 1.0206).abs() < 1e-3, "{}", req.width_penalty_db(40));
        assert!((req.width_penalty_db(80) - 4.0309).abs() < 1e-3, "{}", req.width_penalty_db(80));
        assert_eq!(req.plan_widths(), [20, 40, 80]);
        assert_eq!(Requirements::default().plan_widths(), [20], "widening is asked for");
        let no_dfs = Requirements { dfs: false, max_width_mhz: 160, ..Requirements::default() };
        assert_eq!(no_dfs.plan_widths(), [20, 40, 80], "36–48 hold one 80 MHz channel and no 160");
        let model = Requirements { ap_model: Some("generic-wifi6-dual".into()), max_width_mhz: 160, ..req.clone() };
        assert!(model.problems().iter().any(|p| p.contains("max_width_mhz 160")), "{:?}", model.problems());
        let wide = Requirements { width_mhz: 40, ..req };
        assert_eq!(wide.plan_widths(), [40, 80]);
        assert!(wide.width_penalty_db(20).abs() < 1e-12);
    }

    #[test]
    fn rooms_are_sized_by_airtime_at_the_best_rate_or_by_occupants_on_request() {
        use crate::plan::RoomKind;
        let air = Requirements::default();
        // 20 MHz at MCS 11: 143.4 × 2 streams × 0.75 MAC × 0.7 ceiling = 150.57 Mbit/s per
        // AP. A 38-pupil classroom asks 38 × 1.3 × 3 = 148.2: one AP (⌈38 / 35⌉ = 2); a
        // 40-pupil one 156: two; a 200-seat canteen 200 × 0.5 × 1 = 100 by airtime but
        // 100 devices, at most 60 an AP: two (⌈200 / 35⌉ = 6); an empty room none.
        assert_eq!(air.capacity_need(RoomKind::Classroom, 38), 1);
        assert_eq!(air.capacity_need(RoomKind::Classroom, 40), 2);
        assert_eq!(air.capacity_need(RoomKind::Canteen, 200), 2);
        assert_eq!(air.capacity_need(RoomKind::Classroom, 0), 0);
        // At 40 MHz one AP's 301 Mbit/s would carry 77 pupils, its 60 devices 46.
        let wide = Requirements { width_mhz: 40, ..Requirements::default() };
        assert_eq!((wide.capacity_need(RoomKind::Classroom, 46), wide.capacity_need(RoomKind::Classroom, 47)), (1, 2));
        // `--clients-per-radio` asks for the occupants rule.
        let flags = Overrides { clients_per_radio: Some(35), ..Overrides::default() };
        let occ = Requirements::default().with_overrides(&flags);
        assert_eq!(occ.capacity, CapacityRule::Occupants);
        assert_eq!((occ.capacity_need(RoomKind::Classroom, 38), occ.capacity_need(RoomKind::Canteen, 200)), (2, 6));
    }

    #[test]
    fn the_low_band_refuses_overlapping_or_foreign_channels() {
        let mut r = Requirements::default();
        assert!(r.problems().is_empty(), "{:?}", r.problems());
        r.low_band.channels = vec![1, 5, 9, 13];
        assert!(r.problems().is_empty(), "ETSI's four-channel plan is allowed");
        r.low_band.channels = vec![1, 3, 14];
        let p = r.problems();
        assert!(p.iter().any(|m| m.contains("channels 1 and 3 overlap")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("channel 14")), "{p:?}");
        r.low_band.plan = false;
        assert!(r.problems().is_empty(), "no 2.4 GHz radio, nothing to check");
    }

    #[test]
    fn excluded_channels_leave_the_plan_and_must_exist() {
        let mut r = Requirements::default();
        assert_eq!(r.channels().len(), 16, "DFS on by default: 36–64, 100–116, 132–140");
        r.excluded_channels = vec![100, 104];
        assert!(!r.channels().contains(&100) && r.channels().len() == 14);
        r.width_mhz = 40;
        assert!(!r.channels().contains(&102), "the 40 MHz channel over 100 + 104 goes too");
        r.excluded_channels = vec![37];
        assert!(r.problems().iter().any(|m| m.contains("excluded channel 37")));
    }

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
