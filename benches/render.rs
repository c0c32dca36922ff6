//! Rendering speed with the maps already computed: the demo lycée (a 3-storey teaching
//! building and a gym, 50 APs, 0.5 m cells, 20 px/m) — its RSSI heatmaps (4 images), and
//! every metric (28 images), metrics derivation and PNG encoding included; then the
//! report page around them.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;
use wifiplan::band::Band;
use wifiplan::lang::Lang;
use wifiplan::plan;
use wifiplan::radio::AccessPoints;
use wifiplan::radiomap::Metric;
use wifiplan::region::Costs;
use wifiplan::render::report::html;
use wifiplan::requirements::Requirements;
use wifiplan::scene::GridSpec;
use wifiplan::site::assess::{AssessOptions, draw, report_data};
use wifiplan::site::simulate::{SimulateOptions, simulate};
use wifiplan::solver::{CpuBackend, Settings};

fn render(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = plan::load(&root.join("floorplans/lycee-demo.ron")).unwrap();
    let aps = AccessPoints::load(&root.join("floorplans/lycee-demo.aps.ron")).unwrap();
    let sim_options = SimulateOptions {
        band: Band::G5,
        frequency_ghz: None,
        grid: GridSpec { cell: 0.5, rx_height: 1.0, margin: 2.0, bounds: None },
        settings: Settings { max_reflections: 1, ..Settings::default() },
        per_ap: true,
        scope: wifiplan::site::simulate::Scope::Campus,
    };
    let sim = simulate(&site, &aps, &sim_options, &CpuBackend, &|_, _| {}).unwrap();
    let options = |metrics: Vec<Metric>| AssessOptions {
        simulate: sim_options.clone(),
        metrics,
        px_per_m: 20.0,
        requirements: Requirements::default(),
        lang: Lang::Fr,
    };
    let mut group = c.benchmark_group("render");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    for (name, metrics) in [("lycee-demo rssi", vec![Metric::Rssi]), ("lycee-demo all metrics", Metric::ALL.to_vec())] {
        let opts = options(metrics);
        group.bench_function(name, |b| {
            b.iter_batched(|| sim.clone(), |s| draw(&site, &aps, s, &opts).unwrap(), BatchSize::LargeInput)
        });
    }
    let maps = draw(&site, &aps, sim.clone(), &options(vec![Metric::Rssi])).unwrap();
    let bill = Costs::default().bill(maps.aps.len(), maps.cable_total_m, Lang::Fr);
    group.bench_function("lycee-demo report.html", |b| b.iter(|| html(&report_data(&site, &maps, bill.clone()))));
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
