//! Access points and their radios: the `aps.ron` format (DESIGN.md §3), antennas, and
//! the frequency each radio simulates at.

use super::antenna::{Pattern, PatternError};
use super::channels::{channel_centre_ghz, is_channel};
use crate::band::Band;
use crate::solver::GainTable;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The access points of a plan, as written in `aps.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessPoints(pub Vec<AccessPoint>);

/// One access point, mounted on a floor of a building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessPoint {
    /// Name, unique in the file.
    pub name: String,
    /// Building it is mounted in.
    pub building: String,
    /// Floor it is mounted on.
    pub floor: String,
    /// Position in the building's local frame [m].
    pub position: (f64, f64),
    /// Mounting height above its floor [m].
    pub height: f64,
    /// Its radios, at most one per band.
    pub radios: Vec<Radio>,
    /// Antenna pattern.
    #[serde(default)]
    pub antenna: Antenna,
}

/// One radio of an access point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Radio {
    /// Band of the radio.
    pub band: Band,
    /// Channel number; `None` before channel planning (the band centre is used).
    #[serde(default)]
    pub channel: Option<u32>,
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// Conducted transmit power [dBm].
    pub tx_power_dbm: f64,
    /// Switched off by the plan: the AP carries the radio, nothing is simulated for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub off: bool,
}

/// Antenna pattern of an access point (the client is isotropic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Antenna {
    /// The same gain in every direction, vertically polarised.
    Isotropic {
        /// Gain [dBi].
        gain_dbi: f64,
    },
    /// Measured patterns (`.msi`), one per band the AP radiates in, each found by its
    /// `FREQUENCY`: a built-in name ([`super::antenna::BUILT_IN`]) or a file, relative to
    /// the `aps.ron` that names it.
    Pattern {
        /// The pattern files.
        files: Vec<PathBuf>,
        /// Direction of the patterns' front, counter-clockwise from the building's +x
        /// axis [°].
        #[serde(default)]
        azimuth_deg: f64,
    },
}

impl Default for Antenna {
    fn default() -> Antenna {
        Antenna::Isotropic { gain_dbi: 0.0 }
    }
}

impl Antenna {
    /// The antenna in `band`: its peak gain [dBi] and its pattern (`None`: isotropic).
    pub fn in_band(&self, band: Band) -> Result<(f64, Option<Pattern>), PatternError> {
        match self {
            Antenna::Isotropic { gain_dbi } => Ok((*gain_dbi, None)),
            Antenna::Pattern { files, .. } => {
                for f in files {
                    let p = Pattern::load(f)?;
                    if p.band() == Some(band) {
                        return Ok((p.gain_dbi, Some(p)));
                    }
                }
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                Err(PatternError {
                    path: files.first().cloned().unwrap_or_default(),
                    line: None,
                    message: format!("no pattern of the {band} band among {}", names.join(", ")),
                })
            }
        }
    }

    /// The antenna in `band` as the solvers take it, for an AP whose building is turned
    /// `building_rotation_deg` [°]: its peak gain [dBi] (part of the EIRP) and its gain
    /// table over the site's directions (`None`: isotropic).
    pub fn in_site(&self, band: Band, building_rotation_deg: f64) -> Result<(f64, Option<GainTable>), PatternError> {
        let (peak, pattern) = self.in_band(band)?;
        let azimuth = match self {
            Antenna::Pattern { azimuth_deg, .. } => *azimuth_deg,
            Antenna::Isotropic { .. } => 0.0,
        };
        Ok((peak, pattern.map(|p| p.table(azimuth + building_rotation_deg))))
    }

    /// Pattern files named relative to `base` (the folder of the file naming them), as
    /// paths from the working directory; built-in names and absolute paths stay.
    fn resolve(&mut self, base: &Path) {
        if let Antenna::Pattern { files, .. } = self {
            for f in files.iter_mut() {
                if f.is_relative() && !super::antenna::BUILT_IN.iter().any(|(n, _)| Path::new(n) == f.as_path()) {
                    *f = base.join(&*f);
                }
            }
        }
    }
}

impl Radio {
    /// The radio of `ap` in `band` that is on, if any.
    pub fn of(ap: &AccessPoint, band: Band) -> Option<&Radio> {
        ap.radios.iter().find(|r| r.band == band && !r.off)
    }

    /// The frequency this radio simulates at: its channel's centre, or the band centre
    /// when it has no channel yet [GHz].
    pub fn frequency_ghz(&self) -> f64 {
        self.channel.and_then(|c| channel_centre_ghz(self.band, c)).unwrap_or(self.band.centre_ghz())
    }
}

/// Why an access-point file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ApError {
    /// The file could not be read or is not an AP list.
    #[error(transparent)]
    Input(#[from] crate::ronfile::ReadError),
    /// Problems with individual access points, each naming its AP.
    #[error("{}: {}", path.display(), problems.join("; "))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// One message per problem, each starting with `AP "name"`.
        problems: Vec<String>,
    },
}

impl crate::error::JobError for ApError {
    fn is_bad_input(&self) -> bool {
        true
    }

    /// One line per problem, each starting with the file.
    fn lines(&self) -> Vec<String> {
        match self {
            ApError::Invalid { path, problems } => {
                problems.iter().map(|p| format!("{}: {p}", path.display())).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

impl AccessPoints {
    /// Parses `aps.ron` text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<AccessPoints, ApError> {
        Ok(crate::ronfile::parse(text, origin)?)
    }

    /// Reads and parses an `aps.ron` file, and checks each AP on its own (names, radios,
    /// numbers); placement in the site is checked by the scene.
    pub fn load(path: &Path) -> Result<AccessPoints, ApError> {
        let mut aps: AccessPoints = crate::ronfile::read(path)?;
        let base = path.parent().unwrap_or(Path::new(""));
        for ap in &mut aps.0 {
            ap.antenna.resolve(base);
        }
        let problems = aps.problems();
        if problems.is_empty() { Ok(aps) } else { Err(ApError::Invalid { path: path.to_path_buf(), problems }) }
    }

    /// Everything wrong with the APs taken on their own, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for ap in &self.0 {
            let who = format!("AP \"{}\"", ap.name);
            if !names.insert(ap.name.as_str()) {
                out.push(format!("{who}: duplicate AP name"));
            }
            if !(ap.position.0.is_finite() && ap.position.1.is_finite() && ap.height.is_finite()) {
                out.push(format!("{who}: non-finite position or height"));
            }
            match &ap.antenna {
                Antenna::Isotropic { gain_dbi } if !gain_dbi.is_finite() => {
                    out.push(format!("{who}: non-finite antenna gain"));
                }
                Antenna::Pattern { azimuth_deg, .. } if !azimuth_deg.is_finite() => {
                    out.push(format!("{who}: non-finite antenna azimuth"));
                }
                Antenna::Pattern { .. } => {
                    let bands: std::collections::BTreeSet<Band> = ap.radios.iter().map(|r| r.band).collect();
                    for band in bands {
                        if let Err(e) = ap.antenna.in_band(band) {
                            out.push(format!("{who}: antenna: {e}"));
                        }
                    }
                }
                Antenna::Isotropic { .. } => {}
            }
            if ap.radios.is_empty() {
                out.push(format!("{who}: has no radio"));
            }
            let mut bands = std::collections::BTreeSet::new();
            for r in &ap.radios {
                if !bands.insert(r.band) {
                    out.push(format!("{who}: two radios in the {} band", r.band));
                }
                if let Some(c) = r.channel
                    && !is_channel(r.band, c, r.width_mhz)
                {
                    out.push(format!("{who}: channel {c} is not a {} MHz channel of the {} band", r.width_mhz, r.band));
                }
                if ![20, 40, 80, 160].contains(&r.width_mhz) {
                    out.push(format!("{who}: channel width {} MHz is not 20, 40, 80 or 160", r.width_mhz));
                }
                if !r.tx_power_dbm.is_finite() {
                    out.push(format!("{who}: non-finite transmit power"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_centres_follow_ieee_numbering() {
        assert_eq!(channel_centre_ghz(Band::G5, 36), Some(5.18));
        assert_eq!(channel_centre_ghz(Band::G5, 100), Some(5.5));
        assert_eq!(channel_centre_ghz(Band::G2_4, 1), Some(2.412));
        assert_eq!(channel_centre_ghz(Band::G6, 1), Some(5.955));
        assert_eq!(channel_centre_ghz(Band::G2_4, 14), None);
    }

    #[test]
    fn the_design_example_parses() {
        let text = r#"AccessPoints([
    AccessPoint(name: "A101", building: "A", floor: "RDC", position: (4.0, 4.0), height: 2.8,
                radios: [Radio(band: G5, channel: 36, width_mhz: 20, tx_power_dbm: 14.0)],
                antenna: Isotropic(gain_dbi: 0.0)),
])"#;
        let aps = AccessPoints::parse(text, Path::new("aps.ron")).unwrap();
        assert_eq!(aps.0[0].radios[0].frequency_ghz(), 5.18);
        assert!(aps.problems().is_empty());
    }
}
