//! Placement speed: the demo lycée end to end (candidates' radio maps, optimiser, bounds,
//! channel and power plan) on the CPU backend — 5 GHz alone, dual-band (the default),
//! and dual-band with an AP model's antenna patterns — measured side by side.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;
use wifiplan::placement::place;
use wifiplan::plan;
use wifiplan::requirements::Requirements;
use wifiplan::solver::CpuBackend;

fn placement(c: &mut Criterion) {
    let site = plan::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("floorplans/lycee-demo.ron")).unwrap();
    let dual = Requirements::default();
    let mut five = Requirements::default();
    five.low_band.plan = false;
    let model = Requirements { ap_model: Some("generic-wifi6-dual".into()), ..Requirements::default() };
    let mut group = c.benchmark_group("placement");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(30));
    for (name, req) in [("5 GHz only", &five), ("dual-band", &dual), ("dual-band, generic-wifi6-dual", &model)] {
        group.bench_function(format!("lycee-demo, {name}"), |b| {
            b.iter(|| place(&site, req, &CpuBackend, &|_, _| {}).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, placement);
criterion_main!(benches);
