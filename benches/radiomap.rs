//! Radio-map speed of both backends: Sionna's school corridor (3 APs, 0.25 m cells) at
//! depths 1–3, and the demo lycée (4 planes, 50 APs) at depth 1 — the depth placement
//! evaluates candidates at. Depth 3 of the whole demo (minutes) is timed by hand in the
//! notes rather than sampled here. The GPU rows run on whatever Vulkan adapter wgpu
//! finds (lavapipe included) and are left out without one.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;
use wifiplan::band::Band;
use wifiplan::plan;
use wifiplan::radio::AccessPoints;
use wifiplan::scene::GridSpec;
use wifiplan::site::simulate::{SimulateOptions, simulate};
use wifiplan::solver::{Backend, CpuBackend, GpuBackend, Settings};

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
        scope: wifiplan::site::simulate::Scope::Campus,
    }
}

fn radiomap(c: &mut Criterion) {
    let mut group = c.benchmark_group("radiomap");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    // (name, backend, deepest corridor depth, whether the demo runs).
    let mut backends: Vec<(String, Box<dyn Backend>, u32, bool)> = vec![("cpu".into(), Box::new(CpuBackend), 3, true)];
    match GpuBackend::any() {
        // A CPU-type adapter (lavapipe) takes ~25 s per corridor map at depth 3 and ~2 min
        // for the demo: those rows would hold the bench for half an hour.
        Ok(gpu) if gpu.is_cpu_adapter() => {
            eprintln!("GPU rows on a CPU-type adapter ({}): corridor depths 1–2 only", gpu.adapter_name());
            backends.push(("gpu".into(), Box::new(gpu), 2, false));
        }
        Ok(gpu) => backends.push(("gpu".into(), Box::new(gpu), 3, true)),
        Err(e) => eprintln!("no GPU rows: {e}"),
    }
    let (corridor, corridor_aps) =
        load("tests/data/sionna/school_corridor.site.ron", "tests/data/sionna/school_corridor.aps.ron");
    let (demo, demo_aps) = load("floorplans/lycee-demo.ron", "floorplans/lycee-demo.aps.ron");
    for (name, backend, deepest, demo_too) in &backends {
        for depth in 1..=*deepest {
            let opts = options(depth, Some([-2.0, -2.0, 62.0, 19.0]), 1.5);
            group.bench_function(format!("{name}: school_corridor depth {depth}"), |b| {
                b.iter(|| simulate(&corridor, &corridor_aps, &opts, backend.as_ref(), &|_, _| {}).unwrap())
            });
        }
        if !demo_too {
            continue;
        }
        let opts = options(1, None, 1.0);
        group.bench_function(format!("{name}: lycee-demo 50 APs depth 1"), |b| {
            b.iter(|| simulate(&demo, &demo_aps, &opts, backend.as_ref(), &|_, _| {}).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, radiomap);
criterion_main!(benches);
