//! `wifiplan simulate` through the real binary: the output layout outside tools rely on
//! (DESIGN.md §3) and the bad-input errors.

mod common;

use common::{stderr, wifiplan};
use std::path::{Path, PathBuf};
use std::process::Output;
use wifiplan::radiomap::{MapsFile, read_npy_f32};

/// `simulate` of the empty room and its AP into `out`, with `extra` options.
fn simulate_room(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "simulate",
        "floorplans/empty_room.ron",
        "--aps",
        "tests/data/empty_room.aps.ron",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    wifiplan(&args)
}

fn aps_file(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("aps.ron");
    std::fs::write(&path, format!("AccessPoints([{body}])")).unwrap();
    path
}

fn one_ap(building: &str, floor: &str, x: f64, y: f64) -> String {
    format!(
        r#"AccessPoint(name: "bad ap", building: "{building}", floor: "{floor}", position: ({x:.2}, {y:.2}), height: 2.5,
           radios: [Radio(band: G5, channel: 36, width_mhz: 20, tx_power_dbm: 14.0)])"#
    )
}

#[test]
fn writes_the_maps_and_their_index_as_designed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("maps");
    let o = simulate_room(&out, &["--per-ap"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let maps: MapsFile = serde_json::from_str(&std::fs::read_to_string(out.join("radiomap.json")).unwrap()).unwrap();
    assert_eq!((maps.backend.as_str(), maps.frequency_ghz, maps.max_reflections), ("cpu", Some(5.18), 3));
    let p = &maps.planes[0];
    assert_eq!((p.building.as_str(), p.floor.as_str(), p.xmin, p.ymin, p.cell_size), ("R", "0", -2.0, -2.0, 0.25));
    assert_eq!((p.nx, p.ny, p.rx_z), (56, 48, 1.0));
    assert_eq!(p.rssi_file, "R-0.rssi.npy");
    assert_eq!(p.gain_files["ap"], "R-0.ap.gain.npy");
    let (ny, nx, rssi) = read_npy_f32(&std::fs::read(out.join(&p.rssi_file)).unwrap()).unwrap();
    let (_, _, gain) = read_npy_f32(&std::fs::read(out.join(&p.gain_files["ap"])).unwrap()).unwrap();
    assert_eq!((ny, nx), (48, 56));
    // RSSI = 14 dBm + path gain; the strongest cells surround the AP at (3, 2): row 0 is
    // the southern edge, so the AP sits in rows 15–16 and columns 19–20.
    assert!(rssi.iter().zip(&gain).all(|(r, g)| (r - g - 14.0).abs() < 1e-4));
    let best = rssi.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert!([15, 16].contains(&(best / nx)) && [19, 20].contains(&(best % nx)), "best cell {best}");
    // Outside the room, behind 0.2 m of concrete, the signal is far weaker.
    assert!(rssi[(best / nx) * nx + 2] < rssi[best] - 30.0);
}

#[test]
fn a_second_run_replaces_the_files_and_negative_bounds_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("maps");
    for bounds in ["-1,-1,11,9", "-2,-3,12,11"] {
        let o = simulate_room(&out, &["--bounds", bounds, "--cell", "0.5"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let maps: MapsFile = serde_json::from_str(&std::fs::read_to_string(out.join("radiomap.json")).unwrap()).unwrap();
    assert_eq!((maps.planes[0].nx, maps.planes[0].ny, maps.planes[0].ymin), (28, 28, -3.0));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2, "radiomap.json and one RSSI file");
}

/// Runs a simulation that must fail with exit code 2, writing nothing.
fn refused(plan: &str, aps: &Path, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    let mut args = vec!["simulate", plan, "--aps", aps.to_str().unwrap(), "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = wifiplan(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "nothing may be written");
    stderr(&o)
}

#[test]
fn an_ap_outside_its_building_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused("floorplans/empty_room.ron", &aps_file(dir.path(), &one_ap("R", "0", 30.0, 2.0)), &[]);
    assert!(err.contains("AP \"bad ap\": position (30.00, 2.00) lies outside its building \"R\""), "{err}");
}

#[test]
fn an_ap_inside_a_wall_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused("floorplans/empty_room.ron", &aps_file(dir.path(), &one_ap("R", "0", 10.05, 4.0)), &[]);
    assert!(err.contains("AP \"bad ap\": position (10.05, 4.00) lies inside a wall"), "{err}");
}

#[test]
fn an_ap_on_an_unknown_building_or_floor_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = refused("floorplans/empty_room.ron", &aps_file(dir.path(), &one_ap("Z", "0", 3.0, 2.0)), &[]);
    assert!(err.contains("AP \"bad ap\": no building \"Z\" in the plan"), "{err}");
    let err = refused("floorplans/empty_room.ron", &aps_file(dir.path(), &one_ap("R", "R+9", 3.0, 2.0)), &[]);
    assert!(err.contains("AP \"bad ap\": building \"R\" has no floor \"R+9\""), "{err}");
}

#[test]
fn a_grid_too_large_for_memory_is_an_error_with_the_estimate() {
    let err = refused("floorplans/lycee-demo.ron", Path::new("floorplans/lycee-demo.aps.ron"), &["--cell", "0.0005"]);
    assert!(err.contains("the radio maps need about") && err.contains("MiB"), "{err}");
}

#[test]
fn a_frequency_outside_a_material_range_is_an_error() {
    let err = refused("floorplans/lycee-demo.ron", Path::new("floorplans/lycee-demo.aps.ron"), &["--frequency", "45"]);
    assert!(err.contains("material \"brick\" is valid from 1 to 40 GHz, not at 45 GHz"), "{err}");
}

#[test]
fn engine_flags_out_of_range_are_errors_naming_the_flag_and_its_range() {
    let aps = Path::new("tests/data/empty_room.aps.ron");
    let err = refused("floorplans/empty_room.ron", aps, &["--dynamic-range", "5"]);
    assert!(err.contains("--dynamic-range") && err.contains("10..=100 dB"), "{err}");
    let err = refused("floorplans/empty_room.ron", aps, &["--max-reflections", "17"]);
    assert!(err.contains("--max-reflections") && err.contains("0..=16"), "{err}");
}

#[test]
fn the_band_follows_the_frequency_and_a_contradiction_names_both() {
    // Regression: "no AP has a radio in the 5 GHz band" for 2.4 GHz radios at --frequency 2.437.
    let dir = tempfile::tempdir().unwrap();
    let aps = aps_file(
        dir.path(),
        r#"AccessPoint(name: "ap", building: "R", floor: "0", position: (5.0, 4.0), height: 2.5,
           radios: [Radio(band: G2_4, channel: 6, width_mhz: 20, tx_power_dbm: 14.0)])"#,
    );
    let out = dir.path().join("out");
    let o = wifiplan(&[
        "simulate",
        "floorplans/empty_room.ron",
        "--aps",
        aps.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--frequency",
        "2.437",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let maps: MapsFile = serde_json::from_str(&std::fs::read_to_string(out.join("radiomap.json")).unwrap()).unwrap();
    assert_eq!(
        (maps.frequency_ghz, maps.dynamic_range_db, maps.branch_floor_db, maps.max_reflections),
        (Some(2.437), Some(40.0), Some(-130.0), 3)
    );
    assert!(maps.deepest_reflections.is_some_and(|d| (1..=3).contains(&d)), "{:?}", maps.deepest_reflections);
    let err = refused("floorplans/empty_room.ron", &aps, &["--frequency", "2.437", "--band", "5"]);
    assert!(err.contains("--band 5 contradicts --frequency 2.437 (in the 2.4 GHz band)"), "{err}");
}

#[test]
fn an_antenna_pattern_is_found_next_to_its_aps_file_and_a_bad_one_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let ap = |antenna: &str| {
        format!(
            r#"AccessPoint(name: "ap", building: "R", floor: "0", position: (3.0, 2.0), height: 2.5,
               radios: [Radio(band: G5, channel: 36, width_mhz: 20, tx_power_dbm: 14.0)], antenna: {antenna})"#
        )
    };
    // A built-in pattern: the peak gain joins the EIRP, the shape the maps.
    let builtin =
        aps_file(dir.path(), &ap(r#"Pattern(files: ["generic-ceiling-omni-5g", "generic-ceiling-omni-2g4"])"#));
    let out = dir.path().join("maps");
    let o = wifiplan(&[
        "simulate",
        "floorplans/empty_room.ron",
        "--aps",
        builtin.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A file named relative to the aps.ron, with a negative attenuation on its line 7.
    let bad = "NAME bad\nFREQUENCY 5500\nGAIN 3 dBi\nHORIZONTAL 2\n0 0\n180 0\nVERTICAL 2\n0 0\n180 -4\n";
    std::fs::write(dir.path().join("bad.msi"), bad).unwrap();
    let err = refused("floorplans/empty_room.ron", &aps_file(dir.path(), &ap(r#"Pattern(files: ["bad.msi"])"#)), &[]);
    assert!(
        err.contains("AP \"ap\": antenna: ") && err.contains("bad.msi:9: attenuation -4 dB is out of range"),
        "{err}"
    );
    // A pattern of another band only.
    let err = refused(
        "floorplans/empty_room.ron",
        &aps_file(dir.path(), &ap(r#"Pattern(files: ["generic-ceiling-omni-2g4"])"#)),
        &[],
    );
    assert!(err.contains("no pattern of the 5 GHz band among generic-ceiling-omni-2g4"), "{err}");
}
