//! Slab coefficients (ITU-R P.2040-3 §2.2.2.2) against independent reference values.
//!
//! The reference values come from `python3 tests/data/slab_reference.py`, which uses the
//! thin-film characteristic-matrix method instead of the P.2040 closed form, and were
//! cross-checked against Sionna RT 2.2's own implementation:
//! `../shared/peers/sionna/slab_table.py <scene> --angles 0,30,60,80 --pol te|tm` on scenes
//! with the same materials and thicknesses at 2.4, 5.5 and 6.5 GHz; every value printed by
//! Sionna (2 decimals) agreed with these within 0.01 dB.

use wifiplan::materials::{Material, MaterialDef, MaterialError, MaterialLibrary, to_db};

/// Tolerance against the reference values [dB].
const TOL_DB: f64 = 0.05;

fn itu(name: &str) -> Material {
    Material::itu(name).unwrap_or_else(|| panic!("{name} is an ITU material"))
}

/// (material, thickness m, f GHz, |T|² dB, |R|² dB) at normal incidence.
const NORMAL: [(&str, f64, f64, f64, f64); 15] = [
    ("concrete", 0.2, 2.4, -14.5747, -7.8664),
    ("concrete", 0.2, 5.5, -26.4777, -8.0975),
    ("concrete", 0.2, 6.5, -29.9747, -8.0984),
    ("brick", 0.1, 2.4, -3.0256, -10.6139),
    ("brick", 0.1, 5.5, -3.6306, -8.4362),
    ("brick", 0.1, 6.5, -4.0851, -6.5683),
    ("plasterboard", 0.0125, 2.4, -1.0718, -7.9540),
    ("plasterboard", 0.0125, 5.5, -1.0077, -9.8099),
    ("plasterboard", 0.0125, 6.5, -0.7585, -16.0166),
    ("glass", 0.006, 2.4, -1.9055, -4.6771),
    ("glass", 0.006, 5.5, -3.2847, -2.9224),
    ("glass", 0.006, 6.5, -2.8498, -3.4182),
    ("wood", 0.04, 2.4, -0.6127, -19.9969),
    ("wood", 0.04, 5.5, -1.4547, -21.8529),
    ("wood", 0.04, 6.5, -2.0468, -11.0709),
];

/// (material, thickness m, f GHz, angle °, |T_TE|², |T_TM|², |R_TE|², |R_TM|² all dB).
type ObliqueRow = (&'static str, f64, f64, f64, f64, f64, f64, f64);
const OBLIQUE: [ObliqueRow; 24] = [
    ("concrete", 0.2, 2.4, 30.0, -15.2567, -14.4518, -7.2020, -9.4565),
    ("concrete", 0.2, 2.4, 60.0, -18.2662, -14.2039, -4.1956, -19.2403),
    ("concrete", 0.2, 2.4, 80.0, -25.5215, -15.9114, -1.3875, -8.0457),
    ("concrete", 0.2, 5.5, 30.0, -27.5341, -26.7162, -7.0466, -9.2912),
    ("concrete", 0.2, 5.5, 60.0, -31.2258, -27.1169, -4.1412, -19.2315),
    ("concrete", 0.2, 5.5, 80.0, -38.6012, -29.1153, -1.4550, -8.2159),
    ("brick", 0.1, 2.4, 30.0, -3.0101, -2.6872, -13.5286, -16.4761),
    ("brick", 0.1, 2.4, 60.0, -4.9247, -2.5283, -5.8815, -27.9858),
    ("brick", 0.1, 2.4, 80.0, -12.6998, -4.5016, -1.1101, -6.1589),
    ("brick", 0.1, 5.5, 30.0, -3.3205, -3.0075, -14.3643, -17.3235),
    ("brick", 0.1, 5.5, 60.0, -7.4524, -2.9069, -2.7211, -22.8280),
    ("brick", 0.1, 5.5, 80.0, -13.6286, -5.0187, -1.0686, -5.6968),
    ("glass", 0.006, 2.4, 30.0, -2.3952, -1.3936, -3.8832, -5.8517),
    ("glass", 0.006, 2.4, 60.0, -5.0629, -0.2145, -1.7114, -14.5060),
    ("glass", 0.006, 2.4, 80.0, -12.8310, -1.0918, -0.2634, -6.6884),
    ("glass", 0.006, 5.5, 30.0, -4.1062, -2.5798, -2.2735, -3.7172),
    ("glass", 0.006, 5.5, 60.0, -7.8793, -0.5019, -0.8415, -11.1055),
    ("glass", 0.006, 5.5, 80.0, -16.5315, -2.3383, -0.1201, -4.0917),
    ("plasterboard", 0.0125, 2.4, 30.0, -1.3648, -0.7759, -6.8437, -9.8811),
    ("plasterboard", 0.0125, 2.4, 60.0, -3.1357, -0.2808, -3.5389, -31.7335),
    ("plasterboard", 0.0125, 2.4, 80.0, -9.6432, -2.8264, -0.7279, -3.6829),
    ("plasterboard", 0.0125, 5.5, 30.0, -1.3917, -0.9287, -7.6191, -10.7826),
    ("plasterboard", 0.0125, 5.5, 60.0, -3.8505, -0.6163, -2.9570, -30.8650),
    ("plasterboard", 0.0125, 5.5, 80.0, -11.5011, -4.1300, -0.4872, -2.8867),
];

fn assert_db(what: &str, got: f64, want: f64) {
    assert!((got - want).abs() <= TOL_DB, "{what}: {got:.4} dB, reference {want:.4} dB (tolerance {TOL_DB} dB)");
}

#[test]
fn normal_incidence_matches_the_reference_table() {
    for (name, d, f, t_db, r_db) in NORMAL {
        let p = itu(name).slab_power(f, d, 1.0).unwrap();
        let what = format!("{name} {d} m at {f} GHz");
        assert_db(&format!("{what} |T_TE|²"), to_db(p.t_te), t_db);
        assert_db(&format!("{what} |T_TM|²"), to_db(p.t_tm), t_db);
        assert_db(&format!("{what} |R_TE|²"), to_db(p.r_te), r_db);
        assert_db(&format!("{what} |R_TM|²"), to_db(p.r_tm), r_db);
    }
}

#[test]
fn oblique_incidence_matches_the_reference_table_for_both_polarisations() {
    for (name, d, f, angle, t_te, t_tm, r_te, r_tm) in OBLIQUE {
        let p = itu(name).slab_power(f, d, angle.to_radians().cos()).unwrap();
        let what = format!("{name} {d} m at {f} GHz, {angle}°");
        assert_db(&format!("{what} |T_TE|²"), to_db(p.t_te), t_te);
        assert_db(&format!("{what} |T_TM|²"), to_db(p.t_tm), t_tm);
        assert_db(&format!("{what} |R_TE|²"), to_db(p.r_te), r_te);
        assert_db(&format!("{what} |R_TM|²"), to_db(p.r_tm), r_tm);
    }
}

#[test]
fn concrete_tm_reflection_vanishes_near_the_brewster_angle() {
    let concrete = itu("concrete");
    let (r_min, angle) = (0..9000)
        .map(|k| {
            let angle = f64::from(k) / 100.0;
            (concrete.slab_power(5.5, 0.2, angle.to_radians().cos()).unwrap().r_tm, angle)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    // Reference (slab_reference.py): minimum at 66.45°, −33.103 dB; a lossless interface
    // would have it at atan(√5.24) = 66.40°.
    assert!((angle - 66.45).abs() <= 0.02, "Brewster angle {angle}°");
    assert!((to_db(r_min) + 33.103).abs() <= TOL_DB, "|R_TM|² at Brewster {} dB", to_db(r_min));
    assert!((angle - 5.24f64.sqrt().atan().to_degrees()).abs() < 0.2);
    // TE has no Brewster angle: its reflection grows steadily with the angle.
    let te = |a: f64| concrete.slab_power(5.5, 0.2, a.to_radians().cos()).unwrap().r_te;
    assert!(te(angle) > 100.0 * r_min);
}

#[test]
fn lossy_slabs_never_return_more_power_than_arrives() {
    for name in
        ["concrete", "brick", "plasterboard", "wood", "glass", "ceiling_board", "chipboard", "plywood", "marble"]
    {
        for f in [2.4, 5.5, 6.5] {
            for d in [0.001, 0.0125, 0.04, 0.1, 0.3] {
                for k in 0..=90 {
                    let cos = f64::from(k).to_radians().cos();
                    let p = itu(name).slab_power(f, d, cos).unwrap();
                    for (pol, sum) in [("TE", p.r_te + p.t_te), ("TM", p.r_tm + p.t_tm)] {
                        assert!(sum <= 1.0 + 1e-12, "{name} {d} m {f} GHz {k}° {pol}: |R|²+|T|² = {sum}");
                    }
                }
            }
        }
    }
}

#[test]
fn lossless_slabs_conserve_power() {
    let defs = [("lossless", MaterialDef::Itu { a: 4.0, b: 0.0, c: 0.0, d: 0.0, valid_ghz: None })]
        .into_iter()
        .map(|(n, d)| (n.to_string(), d))
        .collect();
    let lossless = MaterialLibrary::new(&defs).get("lossless").unwrap();
    for f in [2.4, 5.5, 6.5] {
        for d in [0.001, 0.05, 0.3] {
            for k in 0..90 {
                let p = lossless.slab_power(f, d, f64::from(k).to_radians().cos()).unwrap();
                assert!((p.r_te + p.t_te - 1.0).abs() < 1e-6, "TE {f} GHz {d} m {k}°: {}", p.r_te + p.t_te);
                assert!((p.r_tm + p.t_tm - 1.0).abs() < 1e-6, "TM {f} GHz {d} m {k}°: {}", p.r_tm + p.t_tm);
            }
        }
    }
}

#[test]
fn two_millimetres_of_metal_reflect_everything_and_pass_nothing() {
    let metal = itu("metal");
    for f in [2.4, 5.5, 6.5] {
        for k in [0.0f64, 30.0, 60.0, 80.0] {
            let p = metal.slab_power(f, 0.002, k.to_radians().cos()).unwrap();
            for (pol, r, t) in [("TE", p.r_te, p.t_te), ("TM", p.r_tm, p.t_tm)] {
                assert!(to_db(r) >= -0.05, "{f} GHz {k}° {pol}: |R|² {} dB", to_db(r));
                assert!(to_db(t) <= -100.0, "{f} GHz {k}° {pol}: |T|² {} dB", to_db(t));
            }
        }
    }
}

#[test]
fn frequencies_outside_the_validity_range_are_errors() {
    let err = itu("brick").slab_power(45.0, 0.1, 1.0).unwrap_err();
    assert_eq!(err, MaterialError::OutOfRange { material: "brick".into(), f_ghz: 45.0, lo: 1.0, hi: 40.0 });
    assert_eq!(err.to_string(), "material \"brick\" is valid from 1 to 40 GHz, not at 45 GHz");
    assert!(itu("concrete").slab_power(0.9, 0.2, 1.0).is_err());
    assert!(itu("wood").slab_power(0.9, 0.04, 1.0).is_ok(), "wood is valid down to 1 MHz");
}

#[test]
fn fixed_loss_materials_give_their_band_values_and_refuse_other_bands() {
    let def = MaterialDef::FixedLoss {
        db: [("2.4".to_string(), 25.0), ("5".to_string(), 30.0)].into_iter().collect(),
        reflection_db: -3.0,
    };
    assert!(def.problems().is_empty(), "{:?}", def.problems());
    let lib = MaterialLibrary::new(&[("lift_shaft".to_string(), def)].into_iter().collect());
    let m = lib.get("lift_shaft").unwrap();
    let p = m.slab_power(5.18, 0.2, 0.3).unwrap();
    assert!((to_db(p.t_te) + 30.0).abs() < 1e-9 && (to_db(p.t_tm) + 30.0).abs() < 1e-9);
    assert!((to_db(p.r_te) + 3.0).abs() < 1e-9 && (to_db(p.r_tm) + 3.0).abs() < 1e-9);
    assert!((to_db(m.slab_power(2.437, 0.2, 1.0).unwrap().t_te) + 25.0).abs() < 1e-9);
    let err = m.slab_power(6.5, 0.2, 1.0).unwrap_err();
    assert_eq!(err.to_string(), "material \"lift_shaft\" gives no loss for 6.5 GHz (it defines bands 2.4, 5)");
}

#[test]
fn unsound_custom_materials_are_reported() {
    let bad_itu = MaterialDef::Itu { a: 0.5, b: 0.0, c: -1.0, d: f64::NAN, valid_ghz: Some((3.0, 2.0)) };
    let problems = bad_itu.problems();
    assert_eq!(problems.len(), 4, "{problems:?}");
    let bad_fixed = MaterialDef::FixedLoss {
        db: [("5.0".to_string(), 10.0), ("6".to_string(), -1.0), ("2.4".to_string(), 0.1)].into_iter().collect(),
        reflection_db: -1.0,
    };
    let problems = bad_fixed.problems();
    assert!(problems.iter().any(|p| p.contains("unknown band key \"5.0\"")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("loss -1 dB for band \"6\"")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("more power than arrives")), "{problems:?}");
}
