//! The procedural lycée generator: sizes like real lycées, deterministic per seed, every
//! plan valid, and AP counts after placement in the programme's range.

mod common;

use common::{stderr, wifiplan};
use wifiplan::placement::place;
use wifiplan::plan::generate::{SchoolType, generate, teaching_seats};
use wifiplan::plan::{self, RoomKind, validate};
use wifiplan::requirements::Requirements;
use wifiplan::seed::{below, rng};
use wifiplan::solver::CpuBackend;

const TYPES: [SchoolType; 4] = [SchoolType::Legt, SchoolType::Lpo, SchoolType::Lp, SchoolType::Erea];

#[test]
fn teaching_seats_lie_between_1_2_and_1_8_times_the_pupils() {
    for kind in TYPES {
        for pupils in [60, 150, 300, 700, 1500, 2500] {
            let site = generate(pupils, kind, &format!("{kind}-{pupils}")).unwrap();
            let seats = f64::from(teaching_seats(&site));
            let n = f64::from(pupils);
            assert!((1.2 * n..=1.8 * n).contains(&seats), "{kind} {pupils}: {seats} seats");
            let rooms: Vec<_> =
                site.buildings.iter().flat_map(|b| b.floors.iter().flat_map(|f| f.rooms.iter())).collect();
            let teaching = rooms
                .iter()
                .filter(|r| matches!(r.kind, RoomKind::Classroom | RoomKind::Lab | RoomKind::Workshop))
                .count();
            if kind != SchoolType::Erea && pupils >= 300 {
                let per_room = n / teaching as f64;
                assert!(
                    (17.0..=27.0).contains(&per_room),
                    "{kind} {pupils}: one teaching room per {per_room:.1} pupils"
                );
            }
            let has = |k: RoomKind| rooms.iter().any(|r| r.kind == k);
            assert!(has(RoomKind::Library) && has(RoomKind::Canteen) && has(RoomKind::Gym) && has(RoomKind::Office));
            if matches!(kind, SchoolType::Legt | SchoolType::Lpo) && pupils >= 300 {
                assert!(has(RoomKind::Lab), "{kind} {pupils}: science labs");
            }
            assert!(!has(RoomKind::Lab) || kind != SchoolType::Erea, "{kind} {pupils}");
            assert_eq!(has(RoomKind::Workshop), kind != SchoolType::Legt, "{kind} {pupils}: workshops");
            assert!(rooms.iter().any(|r| r.closet), "every building has a wiring closet");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_plan_and_another_seed_another() {
    let a = generate(700, SchoolType::Lpo, "0141234A").unwrap();
    let b = generate(700, SchoolType::Lpo, "0141234A").unwrap();
    let c = generate(700, SchoolType::Lpo, "0141234B").unwrap();
    assert_eq!(plan::to_ron_string(&a).unwrap(), plan::to_ron_string(&b).unwrap());
    assert_ne!(a, c);
}

#[test]
fn a_thousand_random_plans_all_pass_validation() {
    let mut r = rng("generator validation");
    for i in 0..1000 {
        let pupils = 20 + below(&mut r, 2980) as u32;
        let kind = TYPES[below(&mut r, 4)];
        let seed = format!("seed {i}");
        let site = generate(pupils, kind, &seed).unwrap();
        let problems = validate(&site);
        assert!(problems.is_empty(), "{kind} {pupils} pupils, seed {seed:?}: {problems:#?}");
    }
}

#[test]
fn placed_ap_counts_look_like_real_lycees() {
    for (pupils, range) in [(300, 20..=35), (700, 40..=60), (1500, 80..=120)] {
        let site = generate(pupils, SchoolType::Legt, &format!("LEGT-{pupils}")).unwrap();
        let p = place(&site, &Requirements::default(), &CpuBackend, &|_, _| {}).unwrap();
        println!(
            "{pupils} pupils: {} APs (capacity bound {}, gap {:.1} %)",
            p.report.ap_count, p.report.bounds.capacity, p.report.bounds.gap_pct
        );
        assert!(range.contains(&p.report.ap_count), "{pupils} pupils: {} APs", p.report.ap_count);
    }
}

#[test]
fn the_cli_writes_a_plan_that_check_accepts_and_refuses_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("g.ron");
    let o = wifiplan(&["generate", "--pupils", "450", "--type", "lp", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = wifiplan(&["check", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let default_seed = generate(450, SchoolType::Lp, "LP-450").unwrap();
    assert_eq!(plan::load(&out).unwrap(), default_seed, "the seed defaults to the type and the pupils");
    let o = wifiplan(&["generate", "--pupils", "450", "--type", "LYCEE", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown lycée type"), "{}", stderr(&o));
    let o =
        wifiplan(&["generate", "--pupils", "0", "--type", "LEGT", "-o", dir.path().join("z.ron").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0 pupils: a lycée needs between 1 and 5000"), "{}", stderr(&o));
    assert!(!dir.path().join("z.ron").exists());
}
