//! Running the real `wifiplan` binary from the integration tests.

#![allow(dead_code)]

use std::process::{Command, Output};

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
