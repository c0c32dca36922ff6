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
