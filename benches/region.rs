//! Region speed: the batch's placement of one generated lycée with an empty building
//! cache and with one that holds its buildings (as when an identical building stood in
//! an earlier site), the batch's coverage simulation of one lycée (each AP over the
//! whole campus, or in its own building with the others as shells, side by side), the
//! wave solver on synthetic regions of 1,000 and 10,000 lycées (to a 0.1 % gap) and on
//! the bundled region's size (exact).

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;
use wifiplan::placement::{BuildingCache, place_cached};
use wifiplan::plan;
use wifiplan::plan::generate::{SchoolType, generate};
use wifiplan::radio::AccessPoints;
use wifiplan::region::Calendar;
use wifiplan::region::batch::batch_requirements;
use wifiplan::region::batch::run::{SIMULATION_CELL_M, SIMULATION_REFLECTIONS};
use wifiplan::region::waves::{Problem, solve, synthetic};
use wifiplan::site::pipeline::simulate_options;
use wifiplan::site::simulate::{Scope, simulate};
use wifiplan::solver::{CpuBackend, Settings};

fn problem(n: usize) -> Problem {
    let (items, departements, config) = synthetic::region(n, "bench", 1.0);
    let windows = config.windows(&Calendar::bundled()).unwrap();
    Problem::new(&config, windows, items, departements)
}

fn waves(c: &mut Criterion) {
    let mut group = c.benchmark_group("waves");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    let region = problem(129);
    group.bench_function("129 sites, exact", |b| b.iter(|| solve(&region, 60.0, 0.0)));
    let thousand = problem(1_000);
    group.bench_function("1,000 sites, gap 0.1 %", |b| b.iter(|| solve(&thousand, 60.0, 0.1)));
    let large = problem(10_000);
    group.measurement_time(Duration::from_secs(120));
    group.bench_function("10,000 sites, gap 0.1 %", |b| b.iter(|| solve(&large, 60.0, 0.1)));
    group.finish();
}

fn coverage(c: &mut Criterion) {
    let mut group = c.benchmark_group("coverage");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = plan::load(&root.join("floorplans/lycee-demo.ron")).unwrap();
    let aps = AccessPoints::load(&root.join("floorplans/lycee-demo.aps.ron")).unwrap();
    let settings = Settings { max_reflections: SIMULATION_REFLECTIONS, ..Settings::default() };
    for (name, scope) in [("campus", Scope::Campus), ("own building", Scope::OwnBuilding)] {
        let opts = simulate_options(&batch_requirements(), SIMULATION_CELL_M, settings, scope);
        group.bench_function(format!("lycee-demo 50 APs, {name}"), |b| {
            b.iter(|| simulate(&site, &aps, &opts, &CpuBackend, &|_, _| {}).unwrap())
        });
    }
    group.finish();
}

fn placement(c: &mut Criterion) {
    let mut group = c.benchmark_group("placement");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    // A lycée of the region's median size.
    let site = generate(650, SchoolType::Legt, "0140013N").unwrap();
    let req = batch_requirements();
    group.bench_function("generated LEGT 650 pupils, empty cache", |b| {
        b.iter(|| place_cached(&site, &req, &CpuBackend, &BuildingCache::default(), &|_, _| {}).unwrap())
    });
    let warm = BuildingCache::default();
    place_cached(&site, &req, &CpuBackend, &warm, &|_, _| {}).unwrap();
    group.bench_function("generated LEGT 650 pupils, its buildings cached", |b| {
        b.iter(|| place_cached(&site, &req, &CpuBackend, &warm, &|_, _| {}).unwrap())
    });
    group.finish();
}

criterion_group!(benches, placement, coverage, waves);
criterion_main!(benches);
