//! Automatic placement: AP counts on small plans with known answers, the demo lycée
//! checked against every requirement by an independent simulation of the written
//! `aps.ron`, the channel plan against its random baseline, determinism, bad input.

mod common;

use common::{stderr, wifiplan};
use std::path::Path;
use wifiplan::band::Band;
use wifiplan::geometry::{P2, point_in_polygon};
use wifiplan::placement::{self, Placement};
use wifiplan::plan::{self, Site};
use wifiplan::radio::channels::max_eirp_dbm;
use wifiplan::radio::{AccessPoints, Radio};
use wifiplan::requirements::{Class, Requirements, class_of};
use wifiplan::scene::GridSpec;
use wifiplan::site::simulate::{self, SimulateOptions};
use wifiplan::solver::{CpuBackend, Settings};

fn site(path: &str) -> Site {
    plan::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_else(|e| panic!("{e}"))
}

fn place(s: &Site, req: &Requirements) -> Placement {
    placement::place(s, req, &CpuBackend, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_empty_room_gets_one_ap() {
    let p = place(&site("floorplans/empty_room.ron"), &Requirements::default());
    assert_eq!(p.aps.0.len(), 1);
}

#[test]
fn three_classrooms_behind_concrete_get_three_aps_one_in_each() {
    let s = site("tests/data/three_classrooms.ron");
    let p = place(&s, &Requirements::default());
    let mut rooms: Vec<String> = p.report.aps.iter().map(|a| a.room.clone()).collect();
    rooms.sort();
    assert_eq!(rooms, ["C1", "C2", "C3"]);
    assert_eq!((p.report.bounds.capacity, p.report.bounds.best), (3, 3));
}

#[test]
fn a_room_of_70_pupils_gets_two_aps() {
    let p = place(&site("tests/data/big_room.ron"), &Requirements::default());
    assert_eq!(p.aps.0.len(), 2);
    assert!(p.aps.0.iter().all(|a| a.name.starts_with("Amphi-")), "{:?}", p.aps.0);
}

/// Every AP's radio of `band` that is on, simulated per AP over the campus at 0.25 m with
/// two reflections (placement saw one).
fn full_simulation(s: &Site, aps: &AccessPoints, req: &Requirements, band: Band) -> simulate::Simulation {
    let options = SimulateOptions {
        band,
        frequency_ghz: None,
        grid: GridSpec { cell: 0.25, rx_height: req.rx_height_m, margin: 0.0, bounds: None },
        settings: Settings { max_reflections: 2, ..Settings::default() },
        per_ap: true,
        scope: wifiplan::site::simulate::Scope::Campus,
    };
    simulate::simulate(s, aps, &options, &CpuBackend, &|_, _| {}).unwrap()
}

/// Coverage of every room recomputed from the written APs by a full simulation.
fn check_requirements(s: &Site, aps: &AccessPoints, req: &Requirements) -> Vec<String> {
    let sim = full_simulation(s, aps, req, Band::G5);
    let t = req.thresholds();
    let mut failures = Vec::new();
    for (k, p) in sim.maps.planes.iter().enumerate() {
        let b = s.buildings.iter().find(|b| b.name == p.building).unwrap();
        let f = b.floors.iter().find(|f| f.name == p.floor).unwrap();
        for room in &f.rooms {
            let Some(class) = class_of(room.kind) else { continue };
            let poly: Vec<P2> = room.outline.iter().map(|&q| b.to_site(q)).collect();
            let (mut n, mut first, mut second) = (0usize, 0usize, 0usize);
            for iy in 0..p.ny {
                for ix in 0..p.nx {
                    let (x, y) = (p.xmin + (ix as f64 + 0.5) * p.cell_size, p.ymin + (iy as f64 + 0.5) * p.cell_size);
                    if !point_in_polygon(&poly, x, y) {
                        continue;
                    }
                    let mut rssi: Vec<f64> = aps
                        .0
                        .iter()
                        .enumerate()
                        .map(|(a, ap)| f64::from(sim.gains[a][k][iy * p.nx + ix]) + ap.radios[0].tx_power_dbm)
                        .collect();
                    rssi.sort_by(|a, b| b.total_cmp(a));
                    n += 1;
                    let threshold = if class == Class::Primary { t.primary_dbm } else { t.circulation_dbm };
                    first += usize::from(rssi[0] >= threshold);
                    second += usize::from(rssi.get(1).is_some_and(|&r| r >= t.secondary_dbm));
                }
            }
            let share = |c: usize| 100.0 * c as f64 / n.max(1) as f64;
            let (needed, needed2) = match class {
                Class::Primary => (req.primary_fraction, req.secondary_fraction),
                Class::Circulation => (req.circulation_fraction, 0.0),
            };
            if share(first) < 100.0 * needed || share(second) < 100.0 * needed2 {
                failures.push(format!(
                    "{} / {}: {:.1} % / {:.1} % of {n} cells",
                    f.name,
                    room.name,
                    share(first),
                    share(second)
                ));
            }
            let inside = aps
                .0
                .iter()
                .filter(|a| a.building == b.name && a.floor == f.name)
                .filter(|a| {
                    point_in_polygon(
                        &room.outline.iter().map(|&(x, y)| P2::new(x, y)).collect::<Vec<_>>(),
                        a.position.0,
                        a.position.1,
                    )
                })
                .count() as u32;
            if inside < req.capacity_need(room.kind, room.occupants) {
                failures
                    .push(format!("{} / {}: {inside} APs inside for {} occupants", f.name, room.name, room.occupants));
            }
        }
    }
    failures
}

#[test]
fn the_demo_lycee_meets_every_requirement_in_an_independent_simulation() {
    let s = site("floorplans/lycee-demo.ron");
    let req = Requirements::default();
    let p = place(&s, &req);
    let dir = tempfile::tempdir().unwrap();
    placement::write(dir.path(), &p).unwrap();
    let written = AccessPoints::load(&dir.path().join("aps.ron")).unwrap();
    assert_eq!(written, p.aps);
    let failures = check_requirements(&s, &written, &req);
    assert!(failures.is_empty(), "{failures:#?}");
    let r = &p.report;
    println!(
        "demo: {} APs, capacity bound {}, LP {:?}, gap {:.1} %; SINR p5 {:.1} dB vs random {:.1} dB; {} s",
        r.ap_count,
        r.bounds.capacity,
        r.bounds.lp,
        r.bounds.gap_pct,
        r.sinr.plan_db[0],
        r.sinr.baseline_db[0],
        r.runtime_s["total"]
    );
    assert!(r.bounds.gap_pct <= 10.0, "{:?}", r.bounds);
    assert!(r.bounds.lp.is_some_and(|lp| lp <= r.ap_count as f64 + 1e-6));
    // Full maps only where the direct field could not rule a candidate out: every AP has
    // one, most candidates do not.
    println!("demo: {} full maps of {} candidates", r.full_maps, r.candidates);
    assert!(r.full_maps >= r.ap_count && r.full_maps * 2 <= r.candidates, "{} of {}", r.full_maps, r.candidates);
    // The channel plan beats random channels by at least 3 dB at the 5th percentile,
    // and no AP exceeds its channel's EIRP limit.
    assert!(r.sinr.plan_db[0] >= r.sinr.baseline_db[0] + 3.0, "{:?}", r.sinr);
    for ap in &written.0 {
        let radio = &ap.radios[0];
        let limit = max_eirp_dbm(radio.band, radio.channel.unwrap());
        assert!(
            radio.tx_power_dbm + ap.antenna.in_band(radio.band).unwrap().0 <= limit && radio.tx_power_dbm >= 8.0,
            "{}",
            ap.name
        );
        assert!(Requirements::default().channels().contains(&radio.channel.unwrap()), "{}", ap.name);
        assert!(radio.tx_power_dbm <= req.max_tx_power_dbm(), "{}: clients could not answer", ap.name);
    }
    // Every AP has a cable run to a closet on its building, within copper's reach.
    assert!(r.aps.iter().all(|a| a.cable.length_m.is_some_and(|l| l <= 90.0)), "{:?}", r.aps);
}

#[test]
fn placement_is_deterministic_whatever_the_thread_count() {
    let s = site("floorplans/lycee-demo.ron");
    let req = Requirements { candidate_spacing_m: 4.0, cell_m: 1.0, ..Requirements::default() };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| place(&s, &req).aps)
    };
    assert_eq!(run(1), run(3));
}

/// The same report but for its timings, which differ from run to run.
fn without_times(p: &Placement) -> placement::PlacementReport {
    placement::PlacementReport { runtime_s: Default::default(), ..p.report.clone() }
}

#[test]
fn a_building_found_in_the_cache_places_as_one_computed_wherever_it_stands() {
    let s = site("floorplans/lycee-demo.ron");
    let req = Requirements { candidate_spacing_m: 4.0, cell_m: 1.0, ..Requirements::default() };
    let cache = placement::BuildingCache::default();
    let fresh = placement::place_cached(&s, &req, &CpuBackend, &cache, &|_, _| {}).unwrap();
    let n = s.buildings.len();
    assert_eq!(cache.stats(), placement::CacheStats { hits: 0, misses: n, from_disk: 0 });
    // The same site again, every building moved, turned, raised and renamed: every
    // building is found, and the plan is the same in each building's frame.
    let mut moved = s.clone();
    for (i, b) in moved.buildings.iter_mut().enumerate() {
        b.origin = (b.origin.0 + 317.25, b.origin.1 - 41.5);
        b.rotation += 23.0 + i as f64;
        b.ground += 12.0;
        b.name = format!("{}-bis", b.name);
    }
    let again = placement::place_cached(&moved, &req, &CpuBackend, &cache, &|_, _| {}).unwrap();
    assert_eq!(cache.stats(), placement::CacheStats { hits: n, misses: n, from_disk: 0 });
    let frame = |p: &Placement| {
        p.report.aps.iter().map(|a| (a.room.clone(), a.position, a.channel, a.tx_power_dbm)).collect::<Vec<_>>()
    };
    assert_eq!(frame(&again), frame(&fresh));
    // And a cache that keeps nothing computes the same.
    let none = placement::BuildingCache::new(0);
    let computed = placement::place_cached(&moved, &req, &CpuBackend, &none, &|_, _| {}).unwrap();
    assert_eq!(none.stats(), placement::CacheStats { hits: 0, misses: n, from_disk: 0 });
    assert_eq!(without_times(&computed), without_times(&again));
    assert_eq!(computed.aps, again.aps);
}

#[test]
fn the_bounds_hold_when_a_room_needs_more_aps_than_it_has_positions() {
    // 700 pupils in a 10 × 8 m room need 20 APs; placement can put one per candidate
    // position. The LP was infeasible ("contradictory constraints") and the capacity
    // bound (20) above the APs placed.
    let mut s = site("floorplans/empty_room.ron");
    s.buildings[0].floors[0].rooms[0].occupants = 700;
    let p = place(&s, &Requirements::default());
    let b = &p.report.bounds;
    assert!(b.lp_error.is_none(), "{:?}", b.lp_error);
    let n = p.report.ap_count;
    assert!(n > 1 && b.capacity as usize <= n && b.best as usize <= n, "{n} APs, bounds {b:?}");
    assert!(b.lp.is_some_and(|lp| lp <= n as f64 + 1e-6), "{n} APs, bounds {b:?}");
    assert!(b.gap_pct >= 0.0, "{b:?}");
}

#[test]
fn unmet_requirements_still_write_the_plan_with_a_warning_or_fail_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let o = wifiplan(&["place", "tests/data/metal_box.ron", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: building \"M\" / floor \"0\" / room \"Coffre\": primary requirement not met"),
        "{err}"
    );
    assert!(err.contains("best RSSI -inf dBm") || err.contains("best RSSI -1"), "{err}");
    assert!(out.join("aps.ron").exists() && out.join("placement.json").exists());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("placement.json")).unwrap()).unwrap();
    assert!(report["failing_rooms"].as_array().unwrap().iter().any(|f| f["room"] == "Coffre"));
    let strict = wifiplan(&["place", "tests/data/metal_box.ron", "--out", out.to_str().unwrap(), "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));
}

#[test]
fn a_plan_with_nothing_to_cover_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let o = wifiplan(&["place", "floorplans/free_space.ron", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no room of the plan needs coverage"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn flags_override_the_requirements_file_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("req.ron");
    std::fs::write(&req, "Requirements(primary_rssi_dbm: -60.0, clients_per_radio: 10)").unwrap();
    let out = dir.path().join("plan");
    let o = wifiplan(&[
        "place",
        "tests/data/big_room.ron",
        "--out",
        out.to_str().unwrap(),
        "--requirements",
        req.to_str().unwrap(),
        "--clients-per-radio",
        "35",
        "--target-rssi",
        "-67",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("placement.json")).unwrap()).unwrap();
    assert_eq!(report["requirements"]["clients_per_radio"], 35);
    assert_eq!(report["requirements"]["capacity"], "Occupants", "the flag asks for the rule it sets");
    assert_eq!(report["requirements"]["primary_rssi_dbm"], -67.0);
    assert_eq!(report["ap_count"], 2);
    std::fs::write(&req, "Requirements(primary_fraction: 1.5)").unwrap();
    let o = wifiplan(&[
        "place",
        "tests/data/big_room.ron",
        "--out",
        out.to_str().unwrap(),
        "--requirements",
        req.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("primary_fraction 1.5 must lie in (0, 1]"), "{}", stderr(&o));
    std::fs::write(&req, "Requirements(primary_rsi: -60.0)").unwrap();
    let o = wifiplan(&[
        "place",
        "tests/data/big_room.ron",
        "--out",
        out.to_str().unwrap(),
        "--requirements",
        req.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("req.ron:1:14"), "{}", stderr(&o));
}

/// Per teaching room or office, the share of its cells at the 2.4 GHz threshold [%], from
/// a full simulation (two reflections, campus) of the radios `aps` keeps on at 2.4 GHz.
fn low_band_shares(s: &Site, aps: &AccessPoints, req: &Requirements) -> Vec<(String, f64)> {
    room_shares(s, aps, req, Band::G2_4, &|_| req.low_band.rssi_dbm + req.margin_db)
}

/// Per teaching room or office, the share of its cells where at least one radio of
/// `band` that is on reaches its own `threshold` [dBm] [%], from a full simulation (two
/// reflections, campus).
fn room_shares(
    s: &Site,
    aps: &AccessPoints,
    req: &Requirements,
    band: Band,
    threshold: &dyn Fn(&Radio) -> f64,
) -> Vec<(String, f64)> {
    let sim = full_simulation(s, aps, req, band);
    let radios: Vec<&Radio> =
        sim.ap_names.iter().map(|n| Radio::of(aps.0.iter().find(|a| &a.name == n).unwrap(), band).unwrap()).collect();
    let mut shares = Vec::new();
    for (k, p) in sim.maps.planes.iter().enumerate() {
        let b = s.buildings.iter().find(|b| b.name == p.building).unwrap();
        let f = b.floors.iter().find(|f| f.name == p.floor).unwrap();
        for room in f.rooms.iter().filter(|r| class_of(r.kind) == Some(Class::Primary)) {
            let poly: Vec<P2> = room.outline.iter().map(|&q| b.to_site(q)).collect();
            let (mut n, mut hit) = (0usize, 0usize);
            for iy in 0..p.ny {
                for ix in 0..p.nx {
                    let (x, y) = (p.xmin + (ix as f64 + 0.5) * p.cell_size, p.ymin + (iy as f64 + 0.5) * p.cell_size);
                    if !point_in_polygon(&poly, x, y) {
                        continue;
                    }
                    let reached = radios
                        .iter()
                        .enumerate()
                        .any(|(a, r)| f64::from(sim.gains[a][k][iy * p.nx + ix]) + r.tx_power_dbm >= threshold(r));
                    n += 1;
                    hit += usize::from(reached);
                }
            }
            shares.push((room.name.clone(), 100.0 * hit as f64 / n.max(1) as f64));
        }
    }
    shares
}

#[test]
fn the_2_4_ghz_plan_halves_a_corridors_channel_overlap_and_keeps_its_coverage() {
    let s = site("tests/data/corridor_12_classrooms.ron");
    let req = Requirements::default();
    let p = place(&s, &req);
    let low = p.report.low_band.as_ref().expect("dual-band by default");
    println!("corridor, 2.4 GHz: {low:?}");
    assert_eq!(p.aps.0.len(), 12);
    assert_eq!(low.radios_on + low.radios_off, 12);
    // Overlap: teaching cells hearing two co-channel radios above −82 dBm.
    assert!(low.all_on_overlap_pct > 0.0);
    assert!(low.overlap_pct < 0.5 * low.all_on_overlap_pct, "{low:?}");
    assert_eq!(low.rooms_failing, 0, "{low:?}");
    assert!(low.coverage.covered_pct >= low.coverage.required_pct, "{low:?}");
    // Every AP carries both radios; those switched off are written as such; ETSI's and
    // the uplink's power limits hold.
    for ap in &p.aps.0 {
        let bands: Vec<Band> = ap.radios.iter().map(|r| r.band).collect();
        assert_eq!(bands, [Band::G5, Band::G2_4], "{}", ap.name);
        let r = &ap.radios[1];
        assert!(req.low_band.channels.contains(&r.channel.unwrap()), "{}", ap.name);
        assert!(r.tx_power_dbm <= 20.0 && r.tx_power_dbm <= req.low_band.client_tx_power_dbm + req.uplink_margin_db);
    }
    assert_eq!(p.aps.0.iter().filter(|a| a.radios[1].off).count(), low.radios_off);
    // The coverage holds in an independent simulation of the radios left on (two
    // reflections, where the plan saw one).
    let dir = tempfile::tempdir().unwrap();
    placement::write(dir.path(), &p).unwrap();
    let written = AccessPoints::load(&dir.path().join("aps.ron")).unwrap();
    assert_eq!(written, p.aps);
    for (room, share) in low_band_shares(&s, &written, &req) {
        assert!(share >= 100.0 * req.low_band.fraction, "{room}: {share:.1} % at 2.4 GHz");
    }
    // `heatmap --band 2.4` draws the radios left on against the 2.4 GHz requirement, and
    // says once which radios are off.
    let aps = dir.path().join("aps.ron");
    let out = dir.path().join("h24");
    let args = ["heatmap", "tests/data/corridor_12_classrooms.ron", "--aps", aps.to_str().unwrap(), "--band", "2.4"];
    let o = wifiplan(&[&args[..], &["--metric", "co-channel", "--cell", "1", "--out", out.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(common::stdout(&o).contains(&format!("({} APs); 0 rooms fail", low.radios_on)), "{}", common::stdout(&o));
    let notice = format!("{} APs have their 2.4 GHz radio off", low.radios_off);
    assert_eq!(stderr(&o).matches(&notice).count(), 1, "{}", stderr(&o));
    assert!(out.join("K-0.co-channel.png").exists());
}

#[test]
fn dfs_channels_raise_a_corridors_p5_sinr_and_excluded_channels_stay_unused() {
    let s = site("tests/data/corridor_12_classrooms.ron");
    let with = place(&s, &Requirements::default());
    let without = place(&s, &Requirements { dfs: false, ..Requirements::default() });
    println!("p5 SINR with DFS {:?}, without {:?}", with.report.sinr.plan_db, without.report.sinr.plan_db);
    assert!(with.report.sinr.plan_db[0] > without.report.sinr.plan_db[0] + 3.0);
    assert!(without.aps.0.iter().all(|a| [36, 40, 44, 48].contains(&a.radios[0].channel.unwrap())));
    let used = |p: &Placement| p.aps.0.iter().map(|a| a.radios[0].channel.unwrap()).collect::<Vec<_>>();
    let excluded = vec![36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112];
    let req = Requirements { excluded_channels: excluded.clone(), ..Requirements::default() };
    let p = place(&s, &req);
    assert!(used(&p).iter().all(|c| [116, 132, 136, 140].contains(c)), "{:?}", used(&p));
    assert!(used(&with).iter().any(|c| excluded.contains(c)), "the exclusion changed something");
    // Capacity by airtime: with 16 channels each classroom's own AP carries its 35
    // laptops (136.5 Mbit/s) under the 70 % ceiling; on four channels the co-channel
    // neighbours lower the SINR, and the rate with it.
    let airtime = |p: &Placement| p.report.airtime.clone();
    let (a, b) = (airtime(&with), airtime(&without));
    println!(
        "airtime: DFS {} short (+{}), without {} short (+{})",
        a.rooms_over, a.extra_aps, b.rooms_over, b.extra_aps
    );
    assert_eq!((a.rooms.len(), a.rooms_over, a.extra_aps), (12, 0, 0));
    for r in &a.rooms {
        let u = r.utilisation_pct.unwrap();
        assert!((r.demand_mbps - 136.5).abs() < 1e-9 && r.aps == 1 && u <= 70.0, "{r:?}");
        // One AP: the airtime taken is demand / (rate × 0.75 MAC efficiency).
        let rate = wifiplan::radio::mcs::rate_mbps(r.sinr_db, 20);
        assert!((u - 100.0 * 136.5 / (rate * 0.75)).abs() < 1e-6, "{r:?}");
    }
    let median = |x: &wifiplan::placement::AirtimeReport| {
        let mut v: Vec<f64> = x.rooms.iter().map(|r| r.sinr_db).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    assert!(median(&b) < median(&a), "{} vs {}", median(&b), median(&a));
}

#[test]
fn widths_per_ap_raise_a_corridors_shared_throughput_and_its_coverage_holds_at_each_width() {
    let s = site("tests/data/corridor_12_classrooms.ron");
    let narrow = place(&s, &Requirements::default());
    let req = Requirements { max_width_mhz: 80, ..Requirements::default() };
    let wide = place(&s, &req);
    let (n, w) = (&narrow.report.sinr, &wide.report.sinr);
    println!(
        "20 MHz: {:?}; up to 80 MHz: {:?} {:?}, p5 SINR {:?}",
        n.throughput_mbps, w.aps_per_width, w.throughput_mbps, w.plan_db
    );
    // The same APs and the same plan at 20 MHz before widening.
    assert_eq!(
        narrow.report.aps.iter().map(|a| a.position).collect::<Vec<_>>(),
        wide.report.aps.iter().map(|a| a.position).collect::<Vec<_>>()
    );
    assert_eq!(w.planned_width_throughput_mbps, n.throughput_mbps);
    assert_eq!(n.aps_per_width.get(&20), Some(&12));
    // Some APs widen; the shared rate rises on average and not at the 5th percentile's
    // expense (with 16 channels no cell shares its 20 MHz channel: 286.8 Mbit/s, MCS 11,
    // two streams, everywhere).
    assert!(w.aps_per_width.keys().any(|&k| k > 20), "{:?}", w.aps_per_width);
    assert!((n.throughput_mbps[1] - 286.8).abs() < 1e-6, "{:?}", n.throughput_mbps);
    assert!(w.throughput_mbps[1] > 1.5 * n.throughput_mbps[1], "{:?}", w.throughput_mbps);
    assert!(w.throughput_mbps[0] >= n.throughput_mbps[0] - 1e-9, "{:?}", w.throughput_mbps);
    // Every radio on a channel of its own width, within ETSI's EIRP and the uplink cap.
    let dir = tempfile::tempdir().unwrap();
    placement::write(dir.path(), &wide).unwrap();
    let written = AccessPoints::load(&dir.path().join("aps.ron")).unwrap();
    for (ap, placed) in written.0.iter().zip(&wide.report.aps) {
        let r = &ap.radios[0];
        let ch = r.channel.unwrap();
        assert!(
            wifiplan::radio::channels::is_channel(Band::G5, ch, r.width_mhz),
            "{}: {ch} at {}",
            ap.name,
            r.width_mhz
        );
        assert_eq!((placed.channel, placed.width_mhz), (ch, r.width_mhz));
        assert!(r.tx_power_dbm <= max_eirp_dbm(Band::G5, ch).min(req.max_tx_power_dbm()), "{}", ap.name);
    }
    // An independent simulation of the written plan: every room reaches −67 dBm and
    // SNR 25 dB at its serving radio's own width on 99 % of its area (80 MHz: −63 dBm).
    let need = |r: &Radio| {
        req.primary_rssi_dbm
            .max(wifiplan::radiomap::metrics::noise_dbm(r.width_mhz, req.noise_figure_db) + req.min_snr_db)
    };
    assert!((need(&Radio { width_mhz: 80, ..written.0[0].radios[0].clone() }) - -62.97).abs() < 0.01);
    for (room, share) in room_shares(&s, &written, &req, Band::G5, &need) {
        assert!(share >= 99.0, "{room}: {share:.1} % at its width's threshold");
    }
}

#[test]
fn bad_channel_settings_exit_2_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let run = |extra: &[&str]| {
        let mut args = vec!["place", "tests/data/big_room.ron", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        wifiplan(&args)
    };
    let o = run(&["--exclude-channels", "36,37"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("excluded channel 37 is not a 20 MHz channel of the 5 GHz band"), "{}", stderr(&o));
    let o = run(&["--no-dfs", "--exclude-channels", "36,40,44,48"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no 20 MHz channel is allowed in the 5 GHz band"), "{}", stderr(&o));
    let req = dir.path().join("req.ron");
    std::fs::write(&req, "Requirements(low_band: (channels: [1, 4, 11]))").unwrap();
    let o = run(&["--requirements", req.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("low_band channels 1 and 4 overlap"), "{}", stderr(&o));
    std::fs::write(&req, "Requirements(design_tx_power_dbm: 22.0)").unwrap();
    let o = run(&["--requirements", req.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("design_tx_power_dbm 22 is above what clients answer"), "{}", stderr(&o));
    let o = run(&["--max-width", "30"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("max_width_mhz 30 is not 20, 40, 80 or 160"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn an_ap_model_places_its_patterns_within_its_limits_and_the_plan_holds_in_simulation() {
    let s = site("tests/data/corridor_12_classrooms.ron");
    let req = Requirements { ap_model: Some("generic-wifi6-dual".into()), ..Requirements::default() };
    let p = place(&s, &req);
    let dir = tempfile::tempdir().unwrap();
    placement::write(dir.path(), &p).unwrap();
    let written = AccessPoints::load(&dir.path().join("aps.ron")).unwrap();
    let model = wifiplan::radio::models::find("generic-wifi6-dual").unwrap();
    for ap in &written.0 {
        assert_eq!(ap.antenna, model.antenna(), "{}", ap.name);
        for radio in &ap.radios {
            // Conducted + the pattern's peak gain within ETSI, and within the radio's own.
            let peak = ap.antenna.in_band(radio.band).unwrap().0;
            let limit = max_eirp_dbm(radio.band, radio.channel.unwrap());
            assert!(
                radio.tx_power_dbm + peak <= limit,
                "{} {}: {} dBm + {peak} dBi",
                ap.name,
                radio.band,
                radio.tx_power_dbm
            );
            assert!(radio.tx_power_dbm <= model.radio(radio.band).unwrap().max_tx_power_dbm, "{}", ap.name);
        }
    }
    // The independent simulation of the written plan (patterns included) meets it.
    let failures = check_requirements(&s, &written, &req);
    assert!(failures.is_empty(), "{failures:#?}");
    println!(
        "corridor with {}: {} APs, p5 SINR {:.1} dB; 2.4 GHz {} on",
        model.name,
        p.report.ap_count,
        p.report.sinr.plan_db[0],
        written.0.iter().filter(|a| Radio::of(a, Band::G2_4).is_some()).count()
    );
}

#[test]
fn an_unknown_ap_model_or_a_width_it_lacks_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let req = dir.path().join("req.ron");
    std::fs::write(&req, "Requirements(six_ghz: (width_mhz: 30))").unwrap();
    let req = req.to_str().unwrap();
    for (extra, want) in [
        (&["--ap-model", "acme-9000"][..], "unknown AP model \"acme-9000\" (data/ap-models.ron has generic-wifi6-dual"),
        (
            &["--ap-model", "generic-wifi6-dual", "--width", "160"][..],
            "width_mhz 160: ap_model \"generic-wifi6-dual\"'s 5 GHz radio offers [20, 40, 80] MHz",
        ),
        (
            &["--ap-model", "generic-wifi6-dual", "--max-width", "160"][..],
            "max_width_mhz 160: ap_model \"generic-wifi6-dual\"'s 5 GHz radio offers [20, 40, 80] MHz",
        ),
        (
            &["--ap-model", "generic-wifi6e-tri", "--requirements", req][..],
            "six_ghz.width_mhz 30: ap_model \"generic-wifi6e-tri\"'s 6 GHz radio offers [20, 40, 80, 160] MHz",
        ),
    ] {
        let mut args = vec!["place", "tests/data/big_room.ron", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = wifiplan(&args);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
    }
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_users_ap_model_file_places_its_pattern_and_no_radio_above_its_maximum_and_the_plan_simulates() {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    std::fs::create_dir(&models).unwrap();
    // A vendor's 5 GHz pattern: the shipped one's cuts with a 3 dBi peak.
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/antennas/generic-ceiling-omni-5g.msi"),
    )
    .unwrap();
    std::fs::write(models.join("acme-5g.msi"), shipped.replace("GAIN 5.0 dBi", "GAIN 3.0 dBi")).unwrap();
    let file = models.join("acme.ron");
    std::fs::write(
        &file,
        r#"ApModels([ApModel(name: "acme-ap-1", description: "a vendor's dual-band AP", price_eur: 400.0, radios: [
            ModelRadio(band: G2_4, max_tx_power_dbm: 18.0, widths_mhz: [20], pattern: "generic-ceiling-omni-2g4"),
            ModelRadio(band: G5, max_tx_power_dbm: 12.0, widths_mhz: [20, 40], pattern: "acme-5g.msi"),
        ])])"#,
    )
    .unwrap();
    let out = dir.path().join("plan");
    let place_with = |extra: &[&str]| {
        let mut args = vec!["place", "tests/data/corridor_12_classrooms.ron", "--out", out.to_str().unwrap()];
        args.extend_from_slice(&["--ap-models", file.to_str().unwrap()]);
        args.extend_from_slice(extra);
        wifiplan(&args)
    };
    let o = place_with(&["--ap-model", "acme-ap-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let aps = AccessPoints::load(&out.join("aps.ron")).unwrap();
    for ap in &aps.0 {
        // The model's own maximum (12 dBm) binds before 23 dBm EIRP less 3 dBi, and below
        // the design power of 14 dBm (regression: APs the power plan left alone kept it).
        let r = Radio::of(ap, Band::G5).unwrap();
        assert!(r.tx_power_dbm <= 12.0, "{}: {r:?}", ap.name);
        let (peak, _) = ap.antenna.in_band(Band::G5).unwrap();
        assert_eq!(peak, 3.0, "{}: the vendor's pattern", ap.name);
    }
    // The written plan finds the pattern from another folder.
    let aps_ron = out.join("aps.ron");
    let o = wifiplan(&[
        "simulate",
        "tests/data/corridor_12_classrooms.ron",
        "--aps",
        aps_ron.to_str().unwrap(),
        "--out",
        dir.path().join("sim").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Bad input names the file: an unknown name lists both files' models; a width the
    // radio lacks; a pattern that is not there; a models file that does not parse.
    std::fs::remove_dir_all(&out).unwrap();
    let o = place_with(&["--ap-model", "acme-ap-2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("acme.ron has acme-ap-1)"), "{}", stderr(&o));
    let o = place_with(&["--ap-model", "acme-ap-1", "--width", "80"]);
    assert!(
        stderr(&o).contains("width_mhz 80: ap_model \"acme-ap-1\"'s 5 GHz radio offers [20, 40] MHz"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(models.join("acme-5g.msi")).unwrap();
    let o = place_with(&["--ap-model", "acme-ap-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("acme-5g.msi: cannot read"), "{}", stderr(&o));
    std::fs::write(&file, "ApModels([ApModel(name: 3)])").unwrap();
    let o = place_with(&["--ap-model", "acme-ap-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("acme.ron:1:"), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_tri_band_model_gets_a_6_ghz_radio_per_ap_on_lpi_channels_within_its_eirp() {
    let s = site("tests/data/corridor_12_classrooms.ron");
    let req = Requirements { ap_model: Some("generic-wifi6e-tri".into()), ..Requirements::default() };
    let p = place(&s, &req);
    let six = p.report.six_ghz.as_ref().expect("a 6 GHz plan");
    let lpi = wifiplan::radio::channels::plan_channels(Band::G6, six.width_mhz, false, &[]);
    assert_eq!(six.channels, lpi);
    // Every width of the model tried, the best p5 shared rate kept.
    let tried: Vec<u32> = six.widths_tried.iter().map(|w| w.width_mhz).collect();
    assert_eq!(tried, [20, 40, 80, 160]);
    let best = six.widths_tried.iter().map(|w| w.p5_mbps).fold(0.0, f64::max);
    assert_eq!(six.p5_throughput_mbps, best);
    for ap in &p.aps.0 {
        let r = Radio::of(ap, Band::G6).unwrap_or_else(|| panic!("{}: no 6 GHz radio", ap.name));
        assert!(lpi.contains(&r.channel.unwrap()) && r.width_mhz == six.width_mhz, "{r:?}");
        // EN 303 687 LPI: 23 dBm EIRP with the 5 dBi pattern; the client's 14 + 3 dB.
        let peak = ap.antenna.in_band(Band::G6).unwrap().0;
        assert!(r.tx_power_dbm + peak <= 23.0 && r.tx_power_dbm <= 17.0, "{}: {r:?}", ap.name);
        assert_eq!(ap.radios.len(), 3, "{}", ap.name);
    }
    println!(
        "corridor, 6 GHz at {} MHz ({:?}): {} channels of {}, coverage {:.1} % at {:.0} dBm, p5 SINR {:.1} dB, overlap {:.1} %",
        six.width_mhz,
        six.widths_tried,
        six.channels_used,
        six.channels.len(),
        six.coverage.covered_pct,
        six.coverage.threshold_dbm,
        six.plan_db[0],
        six.overlap_pct
    );
    // Twelve APs, one per classroom, spread over the LPI channels.
    assert!(six.channels_used >= lpi.len().min(p.aps.0.len()) / 2, "{six:?}");
    assert!(six.coverage.covered_pct >= 90.0 && six.rooms_failing == 0, "{six:?}");
    // The written plan simulates at 6 GHz (the patterns' 6 GHz file included).
    let dir = tempfile::tempdir().unwrap();
    placement::write(dir.path(), &p).unwrap();
    let written = AccessPoints::load(&dir.path().join("aps.ron")).unwrap();
    let sim = full_simulation(&s, &written, &req, Band::G6);
    assert_eq!(sim.maps.planes.len(), 1);
}
