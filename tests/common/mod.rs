//! Running the real `wifiplan` binary from the integration tests.

#![allow(dead_code)]

use std::process::{Command, Output};
use wifiplan::band::Band;
use wifiplan::radio::{AccessPoint, Antenna, Radio};

/// Runs `wifiplan` with `args` in the crate's root.
pub fn wifiplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wifiplan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Its standard output.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Its standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An isotropic 5 GHz AP at (x, y) of a building's floor, `height` above it [m], on
/// `channel` at `tx_power_dbm` [dBm].
pub fn ap_at(
    name: &str,
    (building, floor): (&str, &str),
    (x, y): (f64, f64),
    height: f64,
    channel: Option<u32>,
    tx_power_dbm: f64,
) -> AccessPoint {
    AccessPoint {
        name: name.into(),
        building: building.into(),
        floor: floor.into(),
        position: (x, y),
        height,
        radios: vec![Radio { band: Band::G5, channel, width_mhz: 20, tx_power_dbm, off: false }],
        antenna: Antenna::Isotropic { gain_dbi: 0.0 },
    }
}

/// Writes a test pattern (`.msi`, 5.5 GHz, 0 dBi) to the tests' scratch folder: omni in
/// azimuth, `attenuation(e)` [dB] below the peak at elevation e [°] (positive up).
pub fn write_pattern(name: &str, attenuation: impl Fn(f64) -> f64) -> std::path::PathBuf {
    let mut text = format!("NAME {name}\nFREQUENCY 5500\nGAIN 0 dBi\nHORIZONTAL 360\n");
    text.extend((0..360).map(|a| format!("{a} 0\n")));
    text.push_str("VERTICAL 360\n");
    // The vertical cut turns downward from the front horizon: 90° nadir, 180° the back
    // horizon, 270° zenith.
    text.extend((0..360).map(|a| {
        let e = match a {
            0..=90 => -f64::from(a),
            91..=269 => f64::from(a) - 180.0,
            _ => 360.0 - f64::from(a),
        };
        format!("{a} {:.4}\n", attenuation(e))
    }));
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.msi"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Slab leakage to the floor above with and without antennas weaker toward the zenith, on
/// `backend`, per upstairs cell:
/// 1. `two_floors.ron` (one slab, nothing else: one path per cell), a pattern 10·sin e dB
///    down at elevation e: (expected drop 10·sin e of the cell's direct path, drop) [dB];
/// 2. `two_storey_classrooms.ron` (walls, ground slab, roof; default settings): path gain
///    [dB] isotropic, with the upper half 10 dB down, and with the lower half 10 dB down.
///    Every path leaves either upward or downward, so the two patterned maps add up to
///    1.1 times the isotropic one whatever the reflections.
pub fn zenith_drops(backend: &dyn wifiplan::solver::Backend) -> (Vec<(f64, f64)>, Vec<[f64; 3]>) {
    use wifiplan::radio::AccessPoints;
    use wifiplan::scene::GridSpec;
    use wifiplan::site::simulate::{Scope, SimulateOptions, simulate};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = SimulateOptions {
        band: Band::G5,
        frequency_ghz: None,
        grid: GridSpec { cell: 0.5, rx_height: 1.0, margin: 0.0, bounds: None },
        settings: wifiplan::solver::Settings::default(),
        per_ap: true,
        scope: Scope::Campus,
    };
    // Per upstairs cell: (x, y, receiver altitude) and the path gain [dB] of each antenna.
    let upstairs = |plan_file: &str, building: &str, at: (f64, f64), patterns: &[Option<std::path::PathBuf>]| {
        let site = wifiplan::plan::load(&root.join(plan_file)).unwrap();
        let maps: Vec<_> = patterns
            .iter()
            .map(|pattern| {
                let mut a = ap_at("a", (building, "0"), at, 2.7, Some(100), 14.0);
                if let Some(file) = pattern {
                    a.antenna = Antenna::Pattern { files: vec![file.clone()], azimuth_deg: 0.0 };
                }
                simulate(&site, &AccessPoints(vec![a]), &options, backend, &|_, _| {}).unwrap()
            })
            .collect();
        let k = maps[0].maps.planes.iter().position(|p| p.floor == "1").unwrap();
        let p = &maps[0].maps.planes[k];
        let mut out = Vec::new();
        for iy in 0..p.ny {
            for ix in 0..p.nx {
                let (x, y) = (p.xmin + (ix as f64 + 0.5) * p.cell_size, p.ymin + (iy as f64 + 0.5) * p.cell_size);
                let gains: Vec<f64> = maps.iter().map(|m| f64::from(m.gains[0][k][iy * p.nx + ix])).collect();
                if gains[0].is_finite() {
                    out.push(((x, y, p.rx_z), gains));
                }
            }
        }
        out
    };
    let sine = write_pattern("zenith-sine-10db", |e| 10.0 * e.max(0.0).to_radians().sin());
    let analytic = upstairs("tests/data/two_floors.ron", "T", (10.0, 10.0), &[None, Some(sine)])
        .into_iter()
        .map(|((x, y, z), g)| (10.0 * (z - 2.7).atan2((x - 10.0).hypot(y - 10.0)).sin(), g[0] - g[1]))
        .collect();
    let up = write_pattern("upper-half-10db", |e| if e > 0.0 { 10.0 } else { 0.0 });
    let down = write_pattern("lower-half-10db", |e| if e < 0.0 { 10.0 } else { 0.0 });
    let classrooms = upstairs("tests/data/two_storey_classrooms.ron", "C", (12.0, 3.5), &[None, Some(up), Some(down)])
        .into_iter()
        .map(|(_, g)| [g[0], g[1], g[2]])
        .collect();
    (analytic, classrooms)
}
