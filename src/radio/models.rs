//! AP models (`data/ap-models.ron`, built into the binary, and a user's own file of the
//! same format, `--ap-models FILE`): the radios an AP carries — band, most conducted
//! power, widths, antenna pattern — as placement plans them.
//!
//! A model's radio may transmit at most its own maximum, its channel's ETSI EIRP limit
//! less the antenna's peak gain, and what the requirements' uplink cap allows
//! ([`ApModel::max_conducted_dbm`]).

use super::antenna::Pattern;
use super::aps::Antenna;
use crate::band::Band;
use crate::solver::GainTable;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The models' file, as shipped.
const MODELS_RON: &str = include_str!("../../data/ap-models.ron");

/// The AP models of a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApModels(pub Vec<ApModel>);

/// One AP model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApModel {
    /// Name `ap_model` refers to.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Unit price, for comparing models (costs come from `costs.ron`) [€].
    pub price_eur: f64,
    /// Its radios, one per band.
    pub radios: Vec<ModelRadio>,
}

/// One radio of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRadio {
    /// Band.
    pub band: Band,
    /// Most conducted power [dBm].
    pub max_tx_power_dbm: f64,
    /// Channel widths offered [MHz].
    pub widths_mhz: Vec<u32>,
    /// Antenna pattern: a built-in name ([`super::antenna::BUILT_IN`]) or, in a user's
    /// file, a `.msi` path relative to that file.
    pub pattern: PathBuf,
}

/// The shipped models (parsed once; the tests check that they parse and are valid).
pub fn built_in() -> &'static [ApModel] {
    static MODELS: OnceLock<Vec<ApModel>> = OnceLock::new();
    MODELS.get_or_init(|| {
        crate::ronfile::parse::<ApModels>(MODELS_RON, Path::new("data/ap-models.ron")).map(|m| m.0).unwrap_or_default()
    })
}

/// The shipped model `name`, or why not (naming the known ones).
pub fn find(name: &str) -> Result<&'static ApModel, String> {
    find_in(None, name)
}

/// The model `name` of the user's file `file` (when given) or else a shipped one, or why
/// not (the file's problem, or naming the known models).
pub fn find_in(file: Option<&Path>, name: &str) -> Result<&'static ApModel, String> {
    let user = file.map(from_file).transpose()?.unwrap_or(&[]);
    user.iter().chain(built_in()).find(|m| m.name == name).ok_or_else(|| {
        let names = |ms: &[ApModel]| ms.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
        let mut text = format!("unknown AP model \"{name}\" (data/ap-models.ron has {}", names(built_in()));
        if let Some(f) = file {
            text += &format!("; {} has {}", f.display(), names(user));
        }
        text + ")"
    })
}

/// The models of the user's file at `path` (the format of `data/ap-models.ron`), each
/// radio's pattern a built-in name or a path taken relative to the file; read once per
/// process (the models live as long as it).
pub fn from_file(path: &Path) -> Result<&'static [ApModel], String> {
    static FILES: std::sync::Mutex<Vec<(PathBuf, &'static [ApModel])>> = std::sync::Mutex::new(Vec::new());
    let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, models)) = files.iter().find(|(p, _)| p == path) {
        return Ok(models);
    }
    let ApModels(mut models) = crate::ronfile::read::<ApModels>(path).map_err(|e| e.to_string())?;
    let dir = path.parent().unwrap_or(Path::new(""));
    for r in models.iter_mut().flat_map(|m| &mut m.radios) {
        if !super::antenna::BUILT_IN.iter().any(|(n, _)| Path::new(n) == r.pattern) {
            // Absolute, so that the `aps.ron` a placement writes elsewhere finds it.
            let joined = dir.join(&r.pattern);
            r.pattern = std::fs::canonicalize(&joined).unwrap_or(joined);
        }
    }
    let models: &'static [ApModel] = Vec::leak(models);
    files.push((path.to_path_buf(), models));
    Ok(models)
}

impl ApModel {
    /// A hash of everything placement reads of the model: its definition and its pattern
    /// files' bytes (a built-in pattern by name: the program version covers it), so that
    /// an edited file never reuses plans made with the old one.
    pub fn fingerprint(&self) -> u64 {
        let mut bytes = ron::to_string(self).unwrap_or_default().into_bytes();
        for r in &self.radios {
            bytes.extend(std::fs::read(&r.pattern).unwrap_or_default());
        }
        crate::seed::stable_hash_bytes(&bytes)
    }

    /// Its radio in `band`, if it has one.
    pub fn radio(&self, band: Band) -> Option<&ModelRadio> {
        self.radios.iter().find(|r| r.band == band)
    }

    /// The antenna its APs are written with: every radio's pattern, front along +x.
    pub fn antenna(&self) -> Antenna {
        Antenna::Pattern { files: self.radios.iter().map(|r| r.pattern.clone()).collect(), azimuth_deg: 0.0 }
    }

    /// Its radio's pattern in `band`: peak gain [dBi] and the gain table with the front
    /// along +x of the building's frame (placement's frame).
    pub fn pattern(&self, band: Band) -> Result<(f64, Arc<GainTable>), String> {
        let r = self.radio(band).ok_or_else(|| format!("AP model \"{}\" has no {band} radio", self.name))?;
        let p = Pattern::load(&r.pattern).map_err(|e| format!("AP model \"{}\": {e}", self.name))?;
        Ok((p.gain_dbi, Arc::new(p.table(0.0))))
    }

    /// The most its radio in `band` may transmit on `channel` [dBm]: its own maximum, the
    /// channel's ETSI EIRP limit less the antenna's peak gain, and `uplink_cap_dbm`.
    pub fn max_conducted_dbm(&self, band: Band, channel: u32, uplink_cap_dbm: f64) -> f64 {
        let Some(r) = self.radio(band) else { return f64::NEG_INFINITY };
        let peak = Pattern::load(&r.pattern).map_or(0.0, |p| p.gain_dbi);
        r.max_tx_power_dbm.min(super::channels::max_eirp_dbm(band, channel) - peak).min(uplink_cap_dbm)
    }

    /// Everything wrong with the model, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let who = format!("AP model \"{}\"", self.name);
        let mut bands = std::collections::BTreeSet::new();
        for r in &self.radios {
            if !bands.insert(r.band) {
                out.push(format!("{who}: two {} radios", r.band));
            }
            match Pattern::load(&r.pattern) {
                Ok(p) if p.band() != Some(r.band) => {
                    out.push(format!("{who}: pattern {} is not of the {} band", r.pattern.display(), r.band))
                }
                Ok(_) => {}
                Err(e) => out.push(format!("{who}: {e}")),
            }
            if !(r.max_tx_power_dbm.is_finite() && (0.0..=30.0).contains(&r.max_tx_power_dbm)) {
                out.push(format!("{who}: max_tx_power_dbm {} must lie in 0–30 dBm", r.max_tx_power_dbm));
            }
            if r.widths_mhz.is_empty() || r.widths_mhz.iter().any(|w| ![20, 40, 80, 160].contains(w)) {
                out.push(format!("{who}: widths_mhz {:?}: each 20, 40, 80 or 160", r.widths_mhz));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_models_parse_and_are_valid() {
        assert_eq!(built_in().len(), 2, "data/ap-models.ron parses");
        for m in built_in() {
            assert!(m.problems().is_empty(), "{:?}", m.problems());
        }
        assert!(find("generic-wifi6-dual").is_ok());
        assert!(find("nope").unwrap_err().contains("has generic-wifi6-dual, generic-wifi6e-tri"));
    }

    #[test]
    fn a_radio_transmits_under_its_maximum_the_etsi_eirp_less_its_gain_and_the_uplink_cap() {
        let m = find("generic-wifi6e-tri").unwrap();
        // 5 GHz, 5 dBi: channel 36 allows 23 dBm EIRP → 18 dBm; channel 100, 30 → 22
        // (the radio's own maximum), then the uplink cap.
        assert_eq!(m.max_conducted_dbm(Band::G5, 36, 30.0), 18.0);
        assert_eq!(m.max_conducted_dbm(Band::G5, 100, 30.0), 22.0);
        assert_eq!(m.max_conducted_dbm(Band::G5, 100, 19.0), 19.0);
        // 2.4 GHz, 4 dBi under 20 dBm EIRP; 6 GHz LPI, 5 dBi under 23 dBm EIRP.
        assert_eq!(m.max_conducted_dbm(Band::G2_4, 6, 30.0), 16.0);
        assert_eq!(m.max_conducted_dbm(Band::G6, 37, 30.0), 18.0);
        assert_eq!(find("generic-wifi6-dual").unwrap().max_conducted_dbm(Band::G6, 37, 30.0), f64::NEG_INFINITY);
    }
}
