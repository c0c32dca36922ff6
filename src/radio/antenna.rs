//! Antenna patterns: the Planet/MSI `.msi` format RF planning tools exchange (a
//! horizontal and a vertical cut, attenuation per degree relative to the peak gain), the
//! patterns bundled with wifiplan, and the 3D gain a mounted AP radiates toward each
//! direction of the site, as the solvers' [`GainTable`].
//!
//! # The format
//!
//! Header lines `KEY value` (keys in any case; `NAME`, `MAKE`, `FREQUENCY` [MHz], `GAIN`
//! [dBd, or dBi when followed by `dBi`], `TILT`, `POLARIZATION`, `COMMENT`, …; unknown
//! keys are vendor extensions and are skipped; a first line that is not a key is the
//! name), then `HORIZONTAL n` and `VERTICAL n`, each followed by n lines `angle
//! attenuation` [°, dB ≥ 0]. The horizontal cut's 0° is the antenna's front and its
//! angles turn clockwise seen from above; the vertical cut's 0° is the front horizon and
//! its angles turn downward (90° nadir, 180° the back horizon, 270° zenith). The cuts may
//! have any number of samples; they are interpolated linearly on the circle.
//!
//! # From two cuts to every direction
//!
//! With A_H, A_V the cuts' attenuations [dB], toward the azimuth φ (clockwise from the
//! front) and elevation e (positive up), and w = (the angle from the front, 0–180°) / 180:
//!
//! A(φ, e) = A_H(φ) + (1 − w)·(A_V(−e) − A_V(0)) + w·(A_V(180° + e) − A_V(180°)),
//!
//! clamped to ≥ 0: the horizontal cut at the horizon, the vertical cut's front half in
//! the front and its back half behind, exact on both cuts wherever they agree where they
//! cross (front and back horizon), and continuous everywhere.
//!
//! # Mounting
//!
//! An AP's pattern is in its own frame, mounted as the AP is (a ceiling unit's pattern
//! describes the unit on the ceiling, its nadir below); the AP's `azimuth_deg` turns its
//! front, counter-clockwise from its building's +x axis, and the building's rotation
//! turns it into the site frame.

use crate::band::Band;
use crate::solver::GainTable;
use std::path::{Path, PathBuf};

/// The patterns wifiplan ships, by the name an `aps.ron` or an AP model uses: generic
/// ceiling-mount omnis, their source in each file's `COMMENT` and in `data/SOURCE.md`.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("generic-ceiling-omni-2g4", include_str!("../../data/antennas/generic-ceiling-omni-2g4.msi")),
    ("generic-ceiling-omni-5g", include_str!("../../data/antennas/generic-ceiling-omni-5g.msi")),
    ("generic-ceiling-omni-6g", include_str!("../../data/antennas/generic-ceiling-omni-6g.msi")),
];

/// Largest attenuation a cut may hold [dB]: beyond, a value is a typo, not a null.
pub const MAX_ATTENUATION_DB: f64 = 100.0;
/// Accepted peak gain [dBi].
pub const GAIN_RANGE_DBI: std::ops::RangeInclusive<f64> = -10.0..=30.0;
/// dBi of 0 dBd.
const DBD_IN_DBI: f64 = 2.15;

/// A pattern file that cannot be used: the file, the line when one is at fault, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PatternError {
    /// The file (or the built-in name).
    pub path: PathBuf,
    /// Line at fault, from 1.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// One antenna pattern: its peak gain and its two cuts.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Name (the file's `NAME`).
    pub name: String,
    /// Frequency the pattern was measured at [MHz].
    pub frequency_mhz: f64,
    /// Peak gain [dBi].
    pub gain_dbi: f64,
    /// Horizontal cut as (angle [°], attenuation [dB]), angles increasing in [0, 360).
    pub horizontal: Vec<(f64, f64)>,
    /// Vertical cut, likewise.
    pub vertical: Vec<(f64, f64)>,
}

/// Attenuation of a cut at `angle` [°], linear between samples around the circle.
fn on_cut(cut: &[(f64, f64)], angle: f64) -> f64 {
    let a = angle.rem_euclid(360.0);
    let next = cut.partition_point(|s| s.0 <= a);
    let (lo, hi) = match next {
        0 => (cut[cut.len() - 1], cut[0]),
        n if n == cut.len() => (cut[n - 1], cut[0]),
        n => (cut[n - 1], cut[n]),
    };
    let span = (hi.0 - lo.0).rem_euclid(360.0);
    if span == 0.0 {
        return lo.1;
    }
    let t = (a - lo.0).rem_euclid(360.0) / span;
    lo.1 + t * (hi.1 - lo.1)
}

impl Pattern {
    /// Parses `.msi` text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Pattern, PatternError> {
        let err = |line: Option<usize>, message: String| PatternError { path: origin.to_path_buf(), line, message };
        let (mut name, mut frequency, mut gain) = (None, None, None);
        let (mut horizontal, mut vertical) = (None, None);
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
        let mut first = true;
        while let Some((n, line)) = lines.next() {
            let (key, value) = line.split_once(char::is_whitespace).map_or((line, ""), |(k, v)| (k, v.trim()));
            let upper = key.to_ascii_uppercase();
            match upper.as_str() {
                "NAME" => name = Some(value.to_string()),
                "FREQUENCY" => {
                    let v = value.split_whitespace().next().unwrap_or("");
                    let unit = value.split_whitespace().nth(1).map(str::to_ascii_lowercase);
                    let f: f64 =
                        v.parse().map_err(|_| err(Some(n), format!("FREQUENCY \"{value}\" is not a number")))?;
                    let mhz = if unit.as_deref() == Some("ghz") { f * 1000.0 } else { f };
                    if !(mhz.is_finite() && (100.0..=100_000.0).contains(&mhz)) {
                        return Err(err(Some(n), format!("FREQUENCY {value} is not a frequency in MHz")));
                    }
                    frequency = Some(mhz);
                }
                "GAIN" => {
                    let mut parts = value.split_whitespace();
                    let v = parts.next().unwrap_or("");
                    let g: f64 = v.parse().map_err(|_| err(Some(n), format!("GAIN \"{value}\" is not a number")))?;
                    let dbi = match parts.next().map(str::to_ascii_lowercase).as_deref() {
                        Some("dbi") => g,
                        None | Some("dbd") => g + DBD_IN_DBI,
                        Some(u) => return Err(err(Some(n), format!("GAIN unit \"{u}\": expected dBi or dBd"))),
                    };
                    if !GAIN_RANGE_DBI.contains(&dbi) {
                        return Err(err(
                            Some(n),
                            format!(
                                "GAIN {dbi:.2} dBi is out of range ({} to {} dBi)",
                                GAIN_RANGE_DBI.start(),
                                GAIN_RANGE_DBI.end()
                            ),
                        ));
                    }
                    gain = Some(dbi);
                }
                "HORIZONTAL" | "VERTICAL" => {
                    let count: usize = value.parse().ok().filter(|&c| (2..=3600).contains(&c)).ok_or_else(|| {
                        err(Some(n), format!("{upper} \"{value}\": expected a sample count from 2 to 3600"))
                    })?;
                    let mut cut = Vec::with_capacity(count);
                    for k in 0..count {
                        let Some((m, l)) = lines.next() else {
                            return Err(err(None, format!("{upper} cut ends after {k} of its {count} samples")));
                        };
                        let mut parts = l.split_whitespace();
                        let (Some(a), Some(v), None) = (parts.next(), parts.next(), parts.next()) else {
                            return Err(err(
                                Some(m),
                                format!("expected \"angle attenuation\" (sample {} of the {upper} cut)", k + 1),
                            ));
                        };
                        let (Ok(a), Ok(v)) = (a.parse::<f64>(), v.parse::<f64>()) else {
                            return Err(err(Some(m), format!("\"{l}\" is not two numbers")));
                        };
                        if !(a.is_finite() && (0.0..360.0).contains(&a)) {
                            return Err(err(Some(m), format!("angle {a} is outside 0–360°")));
                        }
                        if cut.last().is_some_and(|&(p, _): &(f64, f64)| a <= p) {
                            return Err(err(Some(m), format!("angle {a} does not follow the previous one")));
                        }
                        if !(v.is_finite() && (0.0..=MAX_ATTENUATION_DB).contains(&v)) {
                            return Err(err(
                                Some(m),
                                format!(
                                    "attenuation {v} dB is out of range (0 to {MAX_ATTENUATION_DB} dB below the peak)"
                                ),
                            ));
                        }
                        cut.push((a, v));
                    }
                    let slot = if upper == "HORIZONTAL" { &mut horizontal } else { &mut vertical };
                    if slot.is_some() {
                        return Err(err(Some(n), format!("a second {upper} cut")));
                    }
                    *slot = Some(cut);
                }
                _ if first && !is_key(&upper) => {
                    name = Some(line.to_string());
                }
                _ => {}
            }
            first = false;
        }
        let missing = |what: &str| err(None, format!("no {what}"));
        Ok(Pattern {
            name: name.unwrap_or_default(),
            frequency_mhz: frequency.ok_or_else(|| missing("FREQUENCY line"))?,
            gain_dbi: gain.ok_or_else(|| missing("GAIN line"))?,
            horizontal: horizontal.ok_or_else(|| missing("HORIZONTAL cut"))?,
            vertical: vertical.ok_or_else(|| missing("VERTICAL cut"))?,
        })
    }

    /// A built-in pattern by name ([`BUILT_IN`]), else the `.msi` file at `path`.
    pub fn load(path: &Path) -> Result<Pattern, PatternError> {
        static PARSED: std::sync::OnceLock<Vec<Result<Pattern, PatternError>>> = std::sync::OnceLock::new();
        if let Some(k) = BUILT_IN.iter().position(|(n, _)| Path::new(n) == path) {
            let parsed = PARSED.get_or_init(|| BUILT_IN.iter().map(|(n, t)| Pattern::parse(t, Path::new(n))).collect());
            return parsed[k].clone();
        }
        // A file's pattern is read once per process: AP models ask for their patterns'
        // peak gains in the power plan's inner loops.
        static FILES: std::sync::Mutex<Vec<(PathBuf, Pattern)>> = std::sync::Mutex::new(Vec::new());
        if let Some((_, p)) = FILES.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(p, _)| p == path) {
            return Ok(p.clone());
        }
        let text = std::fs::read_to_string(path).map_err(|e| PatternError {
            path: path.to_path_buf(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        let pattern = Pattern::parse(&text, path)?;
        FILES.lock().unwrap_or_else(|e| e.into_inner()).push((path.to_path_buf(), pattern.clone()));
        Ok(pattern)
    }

    /// The band the pattern was measured in, if any.
    pub fn band(&self) -> Option<Band> {
        Band::containing(self.frequency_mhz / 1000.0)
    }

    /// Attenuation below the peak [dB] toward `azimuth` (clockwise from the front) and
    /// `elevation` (positive up) [°] of the antenna's frame (module header).
    pub fn attenuation_db(&self, azimuth: f64, elevation: f64) -> f64 {
        combine(self.horizontal_terms(azimuth), self.vertical_terms(elevation))
    }

    /// The terms of [`Pattern::attenuation_db`] that depend on the azimuth alone:
    /// A_H(φ) and w.
    fn horizontal_terms(&self, azimuth: f64) -> (f64, f64) {
        let from_front = azimuth.rem_euclid(360.0);
        (on_cut(&self.horizontal, azimuth), from_front.min(360.0 - from_front) / 180.0)
    }

    /// The terms that depend on the elevation alone: the vertical cut's front and back
    /// halves, each relative to its horizon.
    fn vertical_terms(&self, elevation: f64) -> (f64, f64) {
        let front = on_cut(&self.vertical, -elevation) - on_cut(&self.vertical, 0.0);
        let back = on_cut(&self.vertical, 180.0 + elevation) - on_cut(&self.vertical, 180.0);
        (front, back)
    }

    /// The solvers' table for this pattern with its front turned `front_deg`
    /// counter-clockwise from the site's +x axis [°]; the terms are computed once per
    /// column and per row (the table is built for every AP a simulation places).
    pub fn table(&self, front_deg: f64) -> GainTable {
        let columns: Vec<(f64, f64)> =
            (0..crate::solver::GAIN_COLUMNS).map(|c| self.horizontal_terms(front_deg - c as f64)).collect();
        let rows: Vec<(f64, f64)> =
            (0..crate::solver::GAIN_ROWS).map(|r| self.vertical_terms(r as f64 - 90.0)).collect();
        GainTable::from_fn(|az, el| {
            let db = combine(columns[az as usize], rows[(el + 90.0) as usize]);
            10f64.powf(-db / 10.0)
        })
    }
}

/// A(φ, e) from its azimuth terms (A_H(φ), w) and elevation terms (front, back) [dB]
/// (module header).
fn combine((horizontal, w): (f64, f64), (front, back): (f64, f64)) -> f64 {
    (horizontal + (1.0 - w) * front + w * back).max(0.0)
}

/// Whether an upper-cased first token is one of the format's keys.
fn is_key(upper: &str) -> bool {
    matches!(
        upper,
        "NAME"
            | "MAKE"
            | "FREQUENCY"
            | "H_WIDTH"
            | "V_WIDTH"
            | "FRONT_TO_BACK"
            | "GAIN"
            | "TILT"
            | "POLARIZATION"
            | "COMMENT"
            | "HORIZONTAL"
            | "VERTICAL"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msi(h: &[(f64, f64)], v: &[(f64, f64)]) -> String {
        let mut s = String::from("NAME test\nFREQUENCY 5500\nGAIN 3 dBi\n");
        s += &format!("HORIZONTAL {}\n", h.len());
        for (a, g) in h {
            s += &format!("{a} {g}\n");
        }
        s += &format!("VERTICAL {}\n", v.len());
        for (a, g) in v {
            s += &format!("{a} {g}\n");
        }
        s
    }

    fn parse(text: &str) -> Result<Pattern, PatternError> {
        Pattern::parse(text, Path::new("p.msi"))
    }

    #[test]
    fn the_cuts_are_read_back_exactly_and_combine_between_them() {
        // A sector: 0 dB in front, 20 dB behind; vertical: 0 at the front horizon, 12 at
        // nadir, 20 at the back horizon, 30 at zenith (linear in between).
        let h = [(0.0, 0.0), (90.0, 10.0), (180.0, 20.0), (270.0, 10.0)];
        let v = [(0.0, 0.0), (90.0, 12.0), (180.0, 20.0), (270.0, 30.0)];
        let p = parse(&msi(&h, &v)).unwrap();
        assert_eq!(p.gain_dbi, 3.0);
        assert_eq!(p.band(), Some(Band::G5));
        // On the horizontal cut (e = 0): A_H exactly.
        for (a, want) in [(0.0, 0.0), (45.0, 5.0), (180.0, 20.0), (315.0, 5.0)] {
            assert!((p.attenuation_db(a, 0.0) - want).abs() < 1e-12, "{a}");
        }
        // On the vertical cut's front (φ = 0) and back (φ = 180).
        assert!((p.attenuation_db(0.0, -90.0) - 12.0).abs() < 1e-12);
        assert!((p.attenuation_db(0.0, -45.0) - 6.0).abs() < 1e-12);
        assert!((p.attenuation_db(180.0, 45.0) - 25.0).abs() < 1e-12);
        assert!((p.attenuation_db(0.0, 90.0) - 30.0).abs() < 1e-12);
        // Between: φ = 90 (w = ½), e = −45: A_H 10 + ½·(6 − 0) + ½·(16 − 20).
        assert!((p.attenuation_db(90.0, -45.0) - 11.0).abs() < 1e-12);
        // dBd by default.
        let d = parse(&msi(&h, &v).replace("GAIN 3 dBi", "GAIN 3")).unwrap();
        assert!((d.gain_dbi - 5.15).abs() < 1e-12);
    }

    #[test]
    fn the_site_table_turns_with_the_front_and_reads_clockwise_angles() {
        // Front at +y (90° counter-clockwise from +x); 10 dB at the pattern's 90°, which
        // is clockwise from the front: toward +x.
        let h = [(0.0, 0.0), (90.0, 10.0), (180.0, 0.0), (270.0, 0.0)];
        let p = parse(&msi(&h, &[(0.0, 0.0), (180.0, 0.0)])).unwrap();
        let t = p.table(90.0);
        assert!((t.gain(1.0, 0.0, 0.0) - 0.1).abs() < 1e-6, "{}", t.gain(1.0, 0.0, 0.0));
        assert!((t.gain(0.0, 1.0, 0.0) - 1.0).abs() < 1e-6);
        assert!((t.gain(-1.0, 0.0, 0.0) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn bad_files_name_their_line() {
        let good = msi(&[(0.0, 0.0), (180.0, 0.0)], &[(0.0, 0.0), (180.0, 3.0)]);
        let cases = [
            (good.replace("VERTICAL 2\n0 0\n180 3\n", ""), "p.msi: no VERTICAL cut"),
            (good.replace("180 3", "180 -3"), "p.msi:9: attenuation -3 dB is out of range"),
            (good.replace("180 3", "180 300"), "p.msi:9: attenuation 300 dB is out of range"),
            (good.replace("VERTICAL 2", "VERTICAL 3"), "p.msi: VERTICAL cut ends after 2 of its 3 samples"),
            (
                good.replace("180 3", "90 3\n10 3").replace("VERTICAL 2", "VERTICAL 3"),
                "p.msi:10: angle 10 does not follow",
            ),
            (good.replace("GAIN 3 dBi", "GAIN 45 dBi"), "p.msi:3: GAIN 45.00 dBi is out of range"),
            (good.replace("FREQUENCY 5500\n", ""), "p.msi: no FREQUENCY line"),
            (good.replace("180 3", "180 x"), "p.msi:9: \"180 x\" is not two numbers"),
        ];
        for (text, want) in cases {
            let e = parse(&text).unwrap_err().to_string();
            assert!(e.starts_with(want), "{e}\nwanted {want}");
        }
    }

    #[test]
    fn the_built_in_patterns_parse_and_fit_their_bands() {
        for (name, _) in BUILT_IN {
            let p = Pattern::load(Path::new(name)).unwrap();
            assert_eq!((p.horizontal.len(), p.vertical.len()), (360, 360), "{name}");
            assert!(p.band().is_some(), "{name}");
        }
    }

    #[test]
    fn the_shipped_ceiling_omnis_are_the_itu_r_f1336_pattern_they_cite() {
        // Omnidirectional reference pattern (peak side-lobe, k = 0.7) with an electrical
        // downtilt β = 30°: θ_e = 90(θ + β)/(90 + β) above −β, 90(θ + β)/(90 − β) below;
        // G = max(G0 − 12(θ_e/θ3)², G0 − 12 + 10 log10(max(|θ_e|/θ3, 1)^−1.5 + k)),
        // θ3 = 107.6 · 10^(−G0/10) [°]; θ the elevation (positive up).
        for (name, _) in BUILT_IN {
            let p = Pattern::load(Path::new(name)).unwrap();
            let g0 = p.gain_dbi;
            let (beta, k, theta3) = (30.0, 0.7, 107.6 * 10f64.powf(-g0 / 10.0));
            for &(angle, attenuation) in &p.vertical {
                // The vertical cut's angles turn downward: elevation −angle.
                let theta = -(if angle > 180.0 { angle - 360.0 } else { angle });
                let theta = if angle > 90.0 && angle < 270.0 { angle - 180.0 } else { theta };
                let te = if theta + beta >= 0.0 {
                    90.0 * (theta + beta) / (90.0 + beta)
                } else {
                    90.0 * (theta + beta) / (90.0 - beta)
                };
                let g1 = g0 - 12.0 * (te / theta3).powi(2);
                let g2 = g0 - 12.0 + 10.0 * ((te.abs() / theta3).max(1.0).powf(-1.5) + k).log10();
                let want = g0 - g1.max(g2);
                assert!((attenuation - want).abs() < 0.006, "{name} at {angle}°: {attenuation} vs {want}");
            }
            assert!(p.horizontal.iter().all(|&(_, a)| a == 0.0), "{name}: omni");
        }
    }
}
