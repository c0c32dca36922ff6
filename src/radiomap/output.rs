//! Writing radio maps: one `.npy` per plane and metric, and `radiomap.json`, the index
//! readers go through (DESIGN.md §3). Every file is written atomically, the index last.

use super::write_npy_f32;
use crate::atomic::write_atomic;
use crate::scene::Grid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// One plane of `radiomap.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaneEntry {
    /// Building name.
    pub building: String,
    /// Floor name.
    pub floor: String,
    /// West edge [m].
    pub xmin: f64,
    /// South edge [m].
    pub ymin: f64,
    /// Cell size [m].
    pub cell_size: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
    /// Receiver altitude in the site frame [m].
    pub rx_z: f64,
    /// Best-server RSSI file [dBm].
    pub rssi_file: String,
    /// Path gain file per AP [dB] (with `--per-ap`).
    pub gain_files: BTreeMap<String, String>,
}

/// The contents of `radiomap.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapsFile {
    /// Site name.
    pub site: String,
    /// Simulation frequency when every AP uses the same [GHz].
    pub frequency_ghz: Option<f64>,
    /// Simulation frequency per AP [GHz].
    pub frequencies_ghz: BTreeMap<String, f64>,
    /// Transmit power + antenna gain per AP [dBm].
    pub eirp_dbm: BTreeMap<String, f64>,
    /// Solver backend ("cpu" or "gpu").
    pub backend: String,
    /// GPU adapter name, when the GPU ran.
    pub adapter: Option<String>,
    /// Hard cap on reflections per path.
    pub max_reflections: u32,
    /// Dynamic range of the energy criterion [dB] (absent in files of older versions).
    #[serde(default)]
    pub dynamic_range_db: Option<f64>,
    /// Branch floor of the energy criterion [dB path gain] (absent in files of older
    /// versions).
    #[serde(default)]
    pub branch_floor_db: Option<f64>,
    /// Most reflections of a path the energy criterion kept, over every AP.
    #[serde(default)]
    pub deepest_reflections: Option<u32>,
    /// Wall-clock times of the stages [s].
    pub timings_s: BTreeMap<String, f64>,
    /// The planes and their files.
    pub planes: Vec<PlaneEntry>,
}

/// Why maps could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Two names become the same file name.
    #[error("file name collision: {0}")]
    Collision(String),
    /// I/O failure.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

/// A name made file-safe: characters outside `[A-Za-z0-9_+.-]` become `_`.
pub fn file_safe(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || "_+.-".contains(c) { c } else { '_' }).collect()
}

/// File names of every plane (and of every AP per plane with `per_ap`), checked for
/// collisions before anything is written.
pub fn plane_entries(grids: &[Grid], ap_names: &[String], per_ap: bool) -> Result<Vec<PlaneEntry>, WriteError> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut claim = |file: String, what: String| match taken.get(&file) {
        Some(other) => Err(WriteError::Collision(format!("{what} and {other} both become {file}"))),
        None => {
            taken.insert(file.clone(), what);
            Ok(file)
        }
    };
    let mut out = Vec::new();
    for g in grids {
        let stem = format!("{}-{}", file_safe(&g.building), file_safe(&g.floor));
        let what = format!("building \"{}\" floor \"{}\"", g.building, g.floor);
        let rssi_file = claim(format!("{stem}.rssi.npy"), what.clone())?;
        let mut gain_files = BTreeMap::new();
        if per_ap {
            for ap in ap_names {
                let f = claim(format!("{stem}.{}.gain.npy", file_safe(ap)), format!("AP \"{ap}\" on {what}"))?;
                gain_files.insert(ap.clone(), f);
            }
        }
        out.push(PlaneEntry {
            building: g.building.clone(),
            floor: g.floor.clone(),
            xmin: g.xmin,
            ymin: g.ymin,
            cell_size: g.cell,
            nx: g.nx,
            ny: g.ny,
            rx_z: g.z,
            rssi_file,
            gain_files,
        });
    }
    Ok(out)
}

/// Writes the maps into `dir` (created if needed): per plane the best-server RSSI, with
/// `gains` per AP, then `radiomap.json` (`maps.planes` gives the names).
/// `rssi[plane]`, `gains[ap][plane]`.
pub fn write_maps(
    dir: &Path,
    maps: &MapsFile,
    rssi: &[Vec<f32>],
    gains: &[Vec<Vec<f32>>],
    ap_names: &[String],
) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let p = path.display().to_string();
        move |source| WriteError::Io { path: p, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    for (k, plane) in maps.planes.iter().enumerate() {
        let path = dir.join(&plane.rssi_file);
        write_atomic(&path, &write_npy_f32(plane.ny, plane.nx, &rssi[k])).map_err(io(&path))?;
        for (a, name) in ap_names.iter().enumerate() {
            if let Some(file) = plane.gain_files.get(name) {
                let path = dir.join(file);
                write_atomic(&path, &write_npy_f32(plane.ny, plane.nx, &gains[a][k])).map_err(io(&path))?;
            }
        }
    }
    let path = dir.join("radiomap.json");
    let text = serde_json::to_string_pretty(maps)
        .map_err(|e| WriteError::Io { path: path.display().to_string(), source: e.into() })?;
    write_atomic(&path, text.as_bytes()).map_err(io(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_file_safe_and_collisions_are_errors() {
        assert_eq!(file_safe("Salle A/101 é"), "Salle_A_101__");
        let g =
            Grid { building: "A".into(), floor: "R+1".into(), xmin: 0.0, ymin: 0.0, cell: 1.0, nx: 1, ny: 1, z: 1.0 };
        let names = vec!["ap 1".to_string(), "ap_1".to_string()];
        let err = plane_entries(std::slice::from_ref(&g), &names, true).unwrap_err();
        assert!(err.to_string().contains("both become A-R+1.ap_1.gain.npy"), "{err}");
        let ok = plane_entries(&[g], &names, false).unwrap();
        assert_eq!(ok[0].rssi_file, "A-R+1.rssi.npy");
    }
}
