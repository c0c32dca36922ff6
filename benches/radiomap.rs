//! Radio-map speed of the CPU backend: Sionna's school corridor (3 APs, 0.25 m cells) at
//! depths 1–3, and the demo lycée (4 planes, 50 APs) at depth 1 — the depth placement
//! evaluates candidates at. Depth 3 of the whole demo (minutes) is timed by hand in the
//! notes rather than sampled here.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;
use wifiplan::band::Band;
use wifiplan::plan;
use wifiplan::radio::AccessPoints;
use wifiplan::radiomap::GridSpec;
use wifiplan::simulate::{SimulateOptions, simulate};
use wifiplan::solver::{CpuBackend, Settings};

fn load(site: &str, aps: &str) -> (plan::Site, AccessPoints) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    (plan::load(&root.join(site)).unwrap(), AccessPoints::load(&root.join(aps)).unwrap())
}

fn options(max_reflections: u32, bounds: Option<[f64; 4]>, rx_height: f64) -> SimulateOptions {
    SimulateOptions {
        band: Band::G5,
        frequency_ghz: Some(5.5),
        grid: GridSpec { cell: 0.25, rx_height, margin: 2.0, bounds },
        settings: Settings { max_reflections, ..Settings::default() },
        per_ap: false,
    }
}

fn radiomap(c: &mut Criterion) {
    let mut group = c.benchmark_group("radiomap");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    let (site, aps) = load("tests/data/sionna/school_corridor.site.ron", "tests/data/sionna/school_corridor.aps.ron");
    for depth in 1..=3 {
        let opts = options(depth, Some([-2.0, -2.0, 62.0, 19.0]), 1.5);
        group.bench_function(format!("school_corridor depth {depth}"), |b| {
            b.iter(|| simulate(&site, &aps, &opts, &CpuBackend, &|_, _| {}).unwrap())
        });
    }
    let (site, aps) = load("floorplans/lycee-demo.ron", "floorplans/lycee-demo.aps.ron");
    let opts = options(1, None, 1.0);
    group.bench_function("lycee-demo 50 APs depth 1", |b| {
        b.iter(|| simulate(&site, &aps, &opts, &CpuBackend, &|_, _| {}).unwrap())
    });
    group.finish();
}

criterion_group!(benches, radiomap);
criterion_main!(benches);
