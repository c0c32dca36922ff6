//! The real `wifiplan` binary: outputs, error lines and exit codes (DESIGN.md §4).

mod common;

use common::{stderr, stdout, wifiplan};
use std::path::Path;

#[test]
fn check_prints_the_summary_of_the_demo_lycee() {
    let o = wifiplan(&["check", "floorplans/lycee-demo.ron"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "site Lycée de démonstration (UAI 0149999X)",
        "building B: origin (72.00, -14.00) m, rotation 25°, ground -0.5 m, roof metal 0.00075 m",
        "  floor R+1      elevation   3.50 m  height  3.50 m",
        "  Classroom          27 rooms     1512.0 m²    945 occupants",
        "  concrete              0.3 m    38.99 dB /   8.09 dB",
        "bounding box (site frame): x 0.00 .. 101.00 m, y -14.00 .. 17.65 m, z -0.50 .. 10.50 m",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn check_json_gives_the_same_numbers() {
    let o = wifiplan(&["check", "floorplans/empty_room.ron", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(v["walls_by_material"][0]["material"], "concrete");
    assert_eq!(v["walls_by_material"][0]["count"], 4);
    assert_eq!(v["walls_by_material"][0]["length_m"], 36.0);
    assert_eq!(v["rooms_by_kind"][0]["kind"], "Classroom");
    assert_eq!(v["rooms_by_kind"][0]["area_m2"], 80.0);
    assert_eq!(v["bounds"]["xmax"], 10.0);
    let t = v["losses"][0]["transmission_loss_db"].as_f64().unwrap();
    assert!((t - 26.48).abs() < 0.01, "concrete 0.2 m at 5.5 GHz: {t} dB");
}

#[test]
fn a_syntax_error_names_file_line_and_column_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ron");
    std::fs::write(
        &path,
        "Site(\n    name: \"x\",\n    buildings: [\n        Building(name: \"A\" origin: (0.0, 0.0)),\n    ],\n)\n",
    )
    .unwrap();
    let o = wifiplan(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), format!("error: {}:4:28: Expected comma\n", path.display()));
    assert!(o.stdout.is_empty());
}

#[test]
fn semantic_errors_are_listed_one_a_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("floorplans/empty_room.ron"))
        .unwrap()
        .replacen("thickness: 0.2", "thickness: 0.0", 1)
        .replacen("\"concrete\"", "\"granite\"", 1)
        .replace("(0.0, 8.0)]", "(0.0, 8.0), (10.0, 0.0)]");
    std::fs::write(&path, text).unwrap();
    let o = wifiplan(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let p = path.display();
    assert_eq!(
        stderr(&o).lines().collect::<Vec<_>>(),
        [
            format!(
                "error: {p}: building \"R\" / floor \"0\" / wall 1: unknown material \"granite\" (neither ITU-R P.2040 nor defined in `materials`)"
            ),
            format!("error: {p}: building \"R\" / floor \"0\" / wall 1: thickness must be a positive length, got 0 m"),
            format!(
                "error: {p}: building \"R\" / floor \"0\" / room 1 \"room\": self-intersecting outline: edge 1–2 meets edge 4–5"
            ),
        ]
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn negative_numbers_are_accepted_as_option_values() {
    // clap must pass "-5" to --frequency rather than read it as an unknown flag: the
    // message is wifiplan's own, about the value.
    let o = wifiplan(&["check", "floorplans/empty_room.ron", "--frequency", "-5"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: --frequency -5: must be a positive frequency in GHz\n");
}

#[test]
fn a_frequency_outside_a_material_range_is_an_error() {
    let o = wifiplan(&["check", "floorplans/lycee-demo.ron", "--frequency", "45"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("floorplans/lycee-demo.ron: material \"brick\" is valid from 1 to 40 GHz, not at 45 GHz"),
        "{err}"
    );
    assert!(err.contains("material \"steel_door\" gives no loss for 45 GHz"), "{err}");
    let ok = wifiplan(&["check", "floorplans/lycee-demo.ron", "--frequency", "2.437"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("slab losses at normal incidence, 2.437 GHz"));
}

#[test]
fn a_missing_file_and_bad_usage_exit_2() {
    let o = wifiplan(&["check", "floorplans/nope.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("error: floorplans/nope.ron: cannot read:"), "{}", stderr(&o));
    let o = wifiplan(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let o = wifiplan(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_language_other_than_fr_or_en_is_refused_with_exit_2() {
    for command in [
        vec!["heatmap", "floorplans/empty_room.ron", "--aps", "tests/data/empty_room.aps.ron", "--out", "unused"],
        vec!["batch", "tests/data/sites-small.csv", "--out", "unused"],
        vec!["waves", "unused", "--out", "unused"],
        vec!["rollout", "--out", "unused"],
    ] {
        let mut args = command.clone();
        args.extend(["--lang", "de"]);
        let o = wifiplan(&args);
        assert_eq!(o.status.code(), Some(2), "{command:?}");
        assert!(stderr(&o).contains("--lang") && stderr(&o).contains("de"), "{}", stderr(&o));
        assert!(!std::path::Path::new("unused").exists(), "nothing written");
    }
}

#[test]
fn rollout_refuses_a_bad_cost_model_or_wave_configuration_before_planning_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rollout");
    let costs = tmp.path().join("costs.ron");
    std::fs::write(&costs, "Costs(ap_eur: -1.0)").unwrap();
    let waves = tmp.path().join("waves.ron");
    std::fs::write(&waves, "WavesConfig(budget_eur: -5.0)").unwrap();
    let out_arg = out.to_str().unwrap();
    for (flag, file) in [("--costs", &costs), ("--waves", &waves)] {
        let o = wifiplan(&["rollout", "--out", out_arg, flag, file.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(stderr(&o).contains(file.to_str().unwrap()), "{flag}: {}", stderr(&o));
        assert!(!out.exists(), "{flag}: nothing written");
    }
    let o = wifiplan(&["rollout", "--out", out_arg, "--budget", "-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists());
}
