//! The GPU backend against the CPU reference: the same path gains on every plan of
//! `floorplans/` and on the Sionna scenes, within 0.05 dB on ≥ 99.9 % of the cells and
//! 0.5 dB on all; the shader validated by naga; `auto` and `gpu` without an adapter.
//!
//! The tests share one device and run one at a time. They run on whatever adapter wgpu
//! finds (lavapipe included) and skip with the reason without one — unless
//! `WIFIPLAN_REQUIRE_GPU=1`, where a missing adapter fails.

mod common;

use common::{stderr, stdout};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};
use wifiplan::band::Band;
use wifiplan::plan::{self, Site};
use wifiplan::radio::{AccessPoint, AccessPoints};
use wifiplan::scene::GridSpec;
use wifiplan::site::simulate::{SimulateOptions, Simulation, simulate};
use wifiplan::solver::{CpuBackend, GpuBackend, Settings};

/// The shared device (or why there is none) and the lock that serialises the tests.
fn device() -> Option<(&'static GpuBackend, MutexGuard<'static, ()>)> {
    static DEVICE: OnceLock<Result<GpuBackend, String>> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    match DEVICE.get_or_init(|| GpuBackend::any().map_err(|e| e.to_string())) {
        Ok(gpu) => {
            eprintln!("GPU tests on {}", gpu.adapter_name());
            Some((gpu, guard))
        }
        Err(e) if std::env::var("WIFIPLAN_REQUIRE_GPU").is_ok_and(|v| v == "1") => {
            panic!("WIFIPLAN_REQUIRE_GPU=1 but no GPU adapter: {e}")
        }
        Err(e) => {
            eprintln!("skipped: {e}");
            None
        }
    }
}

fn ap(name: &str, building: &str, floor: &str, x: f64, y: f64, height: f64, channel: u32) -> AccessPoint {
    common::ap_at(name, (building, floor), (x, y), height, Some(channel), 14.0)
}

fn options(cell: f64, rx_height: f64, bounds: Option<[f64; 4]>, max_reflections: u32) -> SimulateOptions {
    SimulateOptions {
        band: Band::G5,
        frequency_ghz: None,
        grid: GridSpec { cell, rx_height, margin: 2.0, bounds },
        settings: Settings { max_reflections, ..Settings::default() },
        per_ap: true,
        scope: wifiplan::site::simulate::Scope::Campus,
    }
}

/// Agreement of two simulations' per-AP path gains: (cells, share within 0.05 dB,
/// largest difference [dB]). Cells −∞ in both agree; −∞ in one only counts as infinite.
fn agreement(cpu: &Simulation, gpu: &Simulation) -> (usize, f64, f64) {
    let (mut cells, mut close, mut worst) = (0usize, 0usize, 0f64);
    for (a, b) in cpu.gains.iter().zip(&gpu.gains) {
        for (pa, pb) in a.iter().zip(b) {
            for (&x, &y) in pa.iter().zip(pb) {
                cells += 1;
                let d = if x == y { 0.0 } else { f64::from((x - y).abs()) };
                let d = if d.is_nan() { f64::INFINITY } else { d };
                close += usize::from(d <= 0.05);
                worst = worst.max(d);
            }
        }
    }
    (cells, close as f64 / cells as f64, worst)
}

fn check(name: &str, site: &Site, aps: Vec<AccessPoint>, opts: &SimulateOptions) {
    let Some((gpu, _guard)) = device() else { return };
    let aps = AccessPoints(aps);
    let cpu_sim = simulate(site, &aps, opts, &CpuBackend, &|_, _| {}).unwrap();
    let gpu_sim = simulate(site, &aps, opts, gpu, &|_, _| {}).unwrap();
    assert_eq!(gpu_sim.maps.backend, "gpu");
    assert_eq!(gpu_sim.maps.adapter.as_deref(), Some(gpu.adapter_name().as_str()), "the adapter is recorded");
    let (cells, share, worst) = agreement(&cpu_sim, &gpu_sim);
    eprintln!("{name}: {cells} cells, {:.4} % within 0.05 dB, worst {worst:.4} dB", 100.0 * share);
    assert!(share >= 0.999, "{name}: only {:.4} % of {cells} cells within 0.05 dB", 100.0 * share);
    assert!(worst <= 0.5, "{name}: a cell differs by {worst} dB");
}

fn load(path: &str) -> Site {
    plan::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

#[test]
fn gpu_matches_cpu_on_the_analytic_plans() {
    check(
        "free_space",
        &load("floorplans/free_space.ron"),
        vec![ap("a", "F", "0", 7.0, 9.0, 2.5, 36)],
        &options(0.25, 1.0, None, 3),
    );
    check(
        "single_wall",
        &load("floorplans/single_wall.ron"),
        vec![ap("a", "W", "0", 2.0, 3.0, 2.5, 36)],
        &options(0.25, 1.0, None, 3),
    );
    check(
        "empty_room",
        &load("floorplans/empty_room.ron"),
        vec![ap("a", "R", "0", 3.0, 2.0, 2.5, 36), ap("b", "R", "0", 7.5, 6.0, 2.0, 40)],
        &options(0.25, 1.0, None, 3),
    );
}

#[test]
fn gpu_matches_cpu_on_the_sionna_scenes() {
    for scene in ["free_space", "single_room", "school_corridor", "school_corridor_slabs"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sionna");
        let site = plan::load(&dir.join(format!("{scene}.site.ron"))).unwrap();
        let aps = AccessPoints::load(&dir.join(format!("{scene}.aps.ron"))).unwrap();
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{scene}.simulate.json"))).unwrap())
                .unwrap();
        let g = &meta["grid"];
        let (x0, y0, c) = (g["xmin"].as_f64().unwrap(), g["ymin"].as_f64().unwrap(), g["cell_size"].as_f64().unwrap());
        let bounds = [x0, y0, x0 + c * g["nx"].as_f64().unwrap(), y0 + c * g["ny"].as_f64().unwrap()];
        let mut opts = options(c, g["rx_height_above_floor"].as_f64().unwrap(), Some(bounds), 3);
        opts.frequency_ghz = meta["frequency_ghz"].as_f64();
        check(scene, &site, aps.0, &opts);
    }
}

#[test]
fn gpu_matches_cpu_on_the_demo_lycee() {
    let site = load("floorplans/lycee-demo.ron");
    let aps = AccessPoints::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("floorplans/lycee-demo.aps.ron")).unwrap();
    // Every fifth AP on all four floors at depth 2: the whole demo at depth 3 takes minutes.
    let some: Vec<AccessPoint> = aps.0.into_iter().step_by(5).collect();
    check("lycee-demo", &site, some, &options(0.5, 1.0, None, 2));
}

/// Regression: `rollout --backend auto` took 49.8 s on the H200 against 41.0 s on its
/// CPU, its direct-path placement jobs over the size threshold sent to the GPU.
#[test]
fn auto_keeps_shallow_jobs_on_the_cpu_whatever_their_size() {
    use wifiplan::solver::{AutoBackend, Job, Transmitter};
    let site = load("floorplans/empty_room.ron");
    let scene = wifiplan::scene::Scene::build(&site).unwrap();
    let grid = |nx: usize| wifiplan::scene::Grid {
        building: "A".into(),
        floor: "RDC".into(),
        xmin: 0.0,
        ymin: 0.0,
        cell: 0.05,
        nx,
        ny: 1000,
        z: 1.0,
    };
    let tx = [Transmitter { name: "a".into(), position: [3.0, 2.0, 2.5], f_ghz: 5.18, antenna: None }];
    let (big, small) = ([grid(1000)], [grid(10)]);
    let job = |grids, max_reflections| Job {
        scene: &scene,
        transmitters: &tx,
        grids,
        masks: None,
        settings: Settings { max_reflections, ..Settings::default() },
    };
    // 10⁶ transmitter-cells: the GPU once reflections are followed, never for direct paths.
    assert_eq!(AutoBackend::work(&job(&big, 1)), 1_000_000);
    for (depth, gpu) in [(0, false), (1, true), (2, true), (3, true), (8, true)] {
        assert_eq!(AutoBackend::prefers_gpu(&job(&big, depth)), gpu, "10⁶ transmitter-cells at depth {depth}");
    }
    // 10⁴: the CPU at any depth.
    assert!(!AutoBackend::prefers_gpu(&job(&small, 8)));
}

#[test]
fn a_mask_leaves_the_other_cells_empty_on_the_gpu_too() {
    let Some((gpu, _guard)) = device() else { return };
    let site = load("floorplans/empty_room.ron");
    let scene = wifiplan::scene::Scene::build(&site).unwrap();
    let grids =
        wifiplan::scene::grids(&site, &scene, &GridSpec { cell: 0.5, rx_height: 1.0, margin: 2.0, bounds: None });
    let masks: Vec<Vec<bool>> = grids.iter().map(|g| (0..g.len()).map(|c| c % 3 == 0).collect()).collect();
    let tx =
        [wifiplan::solver::Transmitter { name: "a".into(), position: [3.0, 2.0, 2.5], f_ghz: 5.18, antenna: None }];
    let job = wifiplan::solver::Job {
        scene: &scene,
        transmitters: &tx,
        grids: &grids,
        masks: Some(&masks),
        settings: Settings::default(),
    };
    use wifiplan::solver::Backend;
    let (a, b) = (CpuBackend.path_gains(&job).unwrap(), gpu.path_gains(&job).unwrap());
    for (c, (&x, &y)) in a[0][0].iter().zip(&b[0][0]).enumerate() {
        if c % 3 == 0 {
            assert!(x.is_finite() && (x - y).abs() <= 0.05, "cell {c}: {x} vs {y}");
        } else {
            assert_eq!((x, y), (f32::NEG_INFINITY, f32::NEG_INFINITY), "cell {c} is masked out");
        }
    }
}

#[test]
fn every_shader_is_valid_wgsl_with_the_generated_layout() {
    use wgpu::naga;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("shaders");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "wgsl") {
            continue;
        }
        // The record layout is generated from the host's structs and prepended.
        let text = format!("{}\n{}", wifiplan::solver::wgsl_constants(), std::fs::read_to_string(&path).unwrap());
        let module = naga::front::wgsl::parse_str(&text)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.emit_to_string(&text)));
        naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::empty())
            .validate(&module)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.emit_to_string(&text)));
        seen += 1;
    }
    assert!(seen > 0, "no shader in {}", dir.display());
}

/// Runs the binary with Vulkan pointed at no driver.
fn without_vulkan(backend: &str, out: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_wifiplan"))
        .args(["simulate", "floorplans/empty_room.ron", "--aps", "tests/data/empty_room.aps.ron"])
        .args(["--out", out.to_str().unwrap(), "--backend", backend])
        .env("VK_ICD_FILENAMES", "/nonexistent.json")
        .env("VK_DRIVER_FILES", "/nonexistent.json")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

#[test]
fn without_a_vulkan_driver_auto_uses_the_cpu_and_gpu_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = without_vulkan("auto", &dir.path().join("auto"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("notice: using the CPU backend:"), "{}", stderr(&o));
    assert!(stdout(&o).contains("with the cpu backend"), "{}", stdout(&o));
    let o = without_vulkan("gpu", &dir.path().join("gpu"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: --backend gpu: no GPU adapter"), "{}", stderr(&o));
    assert!(!dir.path().join("gpu").exists(), "nothing written");
}

#[test]
fn the_gpu_applies_the_antenna_pattern_as_the_cpu_does() {
    let Some((gpu, _guard)) = device() else { return };
    let (gpu_analytic, gpu_classrooms) = common::zenith_drops(gpu);
    let (cpu_analytic, cpu_classrooms) = common::zenith_drops(&CpuBackend);
    let g: Vec<f64> = gpu_analytic.iter().map(|d| d.1).chain(gpu_classrooms.iter().flatten().copied()).collect();
    let c: Vec<f64> = cpu_analytic.iter().map(|d| d.1).chain(cpu_classrooms.iter().flatten().copied()).collect();
    assert_eq!(g.len(), c.len());
    let worst = g.iter().zip(&c).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    eprintln!("{} values, worst GPU − CPU {worst:.4} dB", g.len());
    assert!(worst < 0.05, "GPU and CPU differ by {worst} dB");
}
