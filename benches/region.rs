//! Region speed: the wave solver on synthetic regions of 1,000 and 10,000 lycées (to a
//! 0.1 % gap) and on the bundled region's size (exact), and the rollout charts.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::Duration;
use wifiplan::region::Calendar;
use wifiplan::region::waves::{Problem, solve, synthetic};

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

criterion_group!(benches, waves);
criterion_main!(benches);
