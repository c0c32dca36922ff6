//! Propagation solvers: whole batches of transmitters and receiver grids in, path gain
//! grids out. Both backends run one tracing loop on the host (`shared`: tables, region
//! shapes, pruning, every transmitter traced in parallel with the energy criterion) and
//! differ only in who adds each generation of regions to the maps: the CPU backend
//! ([`CpuBackend`], rayon) is the reference; the GPU backend (`GpuBackend`, wgpu, behind
//! the `gpu` feature) runs the same per-cell evaluation in a compute shader, in batches;
//! [`select_backend`] picks one for `--backend auto|cpu|gpu` (`auto`: per job, by size).
//!
//! # Method: exact image paths found by 2D beam tracing, lifted to 3D
//!
//! Walls are vertical and slabs horizontal, so every specular path unfolds into a
//! straight 3D line whose horizontal part is a 2D image path over the wall lines and
//! whose vertical part is a 1D image path over the slab planes; the two are independent.
//! [`beams`] finds, per transmitter, every 2D interaction sequence (transmissions and up
//! to `max_reflections` reflections) and the exact convex region of the plane it covers;
//! [`vertical`] lists the vertical sequences between the transmitter's and each
//! receiver plane's altitude. For each receiver cell, each region containing its centre
//! and each vertical sequence (reflections counted together) give one path, evaluated
//! exactly at the cell centre ([`path`]): free space over the unfolded length, and the
//! P.2040 slab coefficients at the true incidence angle of every wall and slab met
//! (which part of a wall — wall, door, window, nothing — is found from the altitude
//! where the path meets it; which slab, from the footprint under the crossing point).
//! Paths add incoherently.
//!
//! # Error bound
//!
//! Nothing is sampled: regions tile the plane exactly per interaction sequence, so no
//! cell is missed or counted twice, and each path is exact at the cell centre (a cell's
//! value is the point value at its centre, not an average over its area). What remains:
//! 1. coefficient tables interpolated linearly over 2048 intervals of cos θ (doubling the
//!    resolution moves no cell of `lycee-demo.ron` by 0.1 dB: see the tests);
//! 2. paths below the power floor (−150 dB) are dropped;
//! 3. reflections are followed while they carry energy ([`energy`]): with ε =
//!    10^(−`dynamic_range_db`/10) (default 40 dB, ε = 10⁻⁴), a branch of the beam tree
//!    is traced further only while a strict bound of its whole subtree is at least ε
//!    times the direct field where it is, and a path is evaluated only where its bound
//!    is at least ε times its cell's running total (direct path first); nor is a branch
//!    whose bound is below the branch floor (default −130 dB path gain) wherever it
//!    lands; `max_reflections` (default 3) is a hard cap. Measured: going from 40 to
//!    60 dB moves no cell of the demo above −115 dB path gain by more than 0.13 dB at 3
//!    reflections (1.3 dB at −126 dB, far below the noise), the branch floor none above
//!    −115 dB by more than 0.10 dB; in a closed metal box at 8 reflections the map is
//!    within 0.06 dB of the image sum at 40 dB (see the tests);
//! 4. no diffraction or diffuse scattering, and paths add incoherently.
//!
//! The bounds are: free space at the path's exact length; per wall crossed, the largest
//! |T|² of the wall pieces the beam's rays meet (1 where a piece has a gap at the path's
//! altitudes); per wall reflection, the largest |R|² at angles at least as steep as the
//! region's most grazing ray allows; per slab reflection, the largest |R|² at the path's
//! exact angle; per slab crossing, the plane's largest |T|² at the region's most grazing
//! angle where every place the region's paths can cross it lies on its footprints, at
//! least 0.1 mm inside their outline ([`crate::scene::cover`]; else 1, a crossing off
//! every footprint meeting nothing), and per path the same planes' largest |T|² at the
//! path's own angle, before any footprint is looked up. The margin matters: path evaluation looks a point
//! exactly on the outline up half-open, and a regular grid meets whole rows of cells
//! whose paths cross a slab exactly on a façade (a reflection off the façade wall at the
//! slab's altitude). Every bound is above the exact product path evaluation computes, so
//! a path it ends would have ended at its own slab lookups: the maps do not move.

mod antenna;
mod beams;
mod cpu;
mod energy;
#[cfg(feature = "gpu")]
mod gpu;
#[cfg(feature = "gpu")]
mod layout;
mod path;
mod shared;
mod vertical;

pub use antenna::{GAIN_COLUMNS, GAIN_ROWS, GainTable};
pub use cpu::CpuBackend;
#[cfg(feature = "gpu")]
pub use gpu::GpuBackend;
#[cfg(feature = "gpu")]
pub use layout::wgsl_constants;
#[cfg(feature = "gpu")]
use std::sync::atomic::{AtomicBool, Ordering};

use crate::materials::MaterialError;
use crate::scene::Grid;
use crate::scene::Scene;

/// One transmitter of a batch: vertically polarised, isotropic unless it has an antenna.
#[derive(Debug, Clone, PartialEq)]
pub struct Transmitter {
    /// Name (for errors).
    pub name: String,
    /// Position in the site frame (x, y, altitude) [m].
    pub position: [f64; 3],
    /// Frequency [GHz].
    pub f_ghz: f64,
    /// Gain relative to the antenna's peak over the site frame's directions; `None`:
    /// isotropic (the peak gain belongs to the EIRP, outside the maps).
    pub antenna: Option<std::sync::Arc<GainTable>>,
}

/// The engine's revision: raised with every change that moves a map, so that results
/// stored by an older engine (a batch folder's sites) are never taken for current ones.
pub const ENGINE_REVISION: u32 = 4;

/// Default hard cap on reflections per path.
pub const DEFAULT_MAX_REFLECTIONS: u32 = 3;
/// Default dynamic range of the energy criterion [dB].
pub const DEFAULT_DYNAMIC_RANGE_DB: f64 = 40.0;
/// Default branch floor [dB path gain]: the thermal noise of a 20 MHz channel with a
/// 7 dB noise figure is −94 dBm, so even the strongest EIRP Europe allows at 5 GHz
/// (30 dBm, 5470–5725 MHz) arrives over such a branch 6 dB below it, and a classroom
/// AP's 14–20 dBm 16–26 dB below.
pub const DEFAULT_BRANCH_FLOOR_DB: f64 = -130.0;
/// Accepted `max_reflections`.
pub const MAX_REFLECTIONS_RANGE: std::ops::RangeInclusive<u32> = 0..=16;
/// Accepted `dynamic_range_db` [dB].
pub const DYNAMIC_RANGE_RANGE_DB: std::ops::RangeInclusive<f64> = 10.0..=100.0;

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Hard cap on reflections per path (walls and slabs together); the energy criterion
    /// ends branches long before it on ordinary plans.
    pub max_reflections: u32,
    /// Paths below this path gain are dropped [dB].
    pub power_floor_db: f64,
    /// Reflected branches of the beam tree whose bound is below this path gain wherever
    /// they land are not followed, whatever their cells receive [dB]; never below
    /// `power_floor_db` ([`energy`]).
    pub branch_floor_db: f64,
    /// Dynamic range [dB]: branches and paths whose strict bound is below the direct
    /// field (or the cell's running total) minus this are not followed ([`energy`]).
    pub dynamic_range_db: f64,
    /// Intervals of the coefficient tables over cos θ.
    pub table_intervals: usize,
    /// Memory guard: most beam regions per transmitter.
    pub max_regions: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            max_reflections: DEFAULT_MAX_REFLECTIONS,
            power_floor_db: -150.0,
            branch_floor_db: DEFAULT_BRANCH_FLOOR_DB,
            dynamic_range_db: DEFAULT_DYNAMIC_RANGE_DB,
            table_intervals: crate::scene::tables::DEFAULT_INTERVALS,
            max_regions: 2_000_000,
        }
    }
}

/// A batch: every transmitter on every grid.
pub struct Job<'a> {
    /// The scene.
    pub scene: &'a Scene,
    /// Transmitters.
    pub transmitters: &'a [Transmitter],
    /// Receiver grids.
    pub grids: &'a [Grid],
    /// Per grid, the cells to evaluate (row-major like the maps); every cell when `None`.
    /// Cells left out come back as −∞.
    pub masks: Option<&'a [Vec<bool>]>,
    /// Settings.
    pub settings: Settings,
}

/// Why a batch failed.
#[derive(Debug, thiserror::Error)]
pub enum SolverError {
    /// A material cannot be evaluated at a transmitter's frequency.
    #[error("{0}")]
    Material(#[from] MaterialError),
    /// The GPU failed (device lost, out of memory, a dispatch that did not finish).
    #[error("GPU backend: {0}")]
    Gpu(String),
    /// Beam tracing gave up for a transmitter.
    #[error("transmitter \"{name}\": {source}")]
    Trace {
        /// Transmitter name.
        name: String,
        /// Why.
        source: beams::TraceError,
    },
}

/// Reports progress as `(done, total)`, from any thread.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Which backend a command asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendChoice {
    /// A real GPU when wgpu finds one, else the CPU.
    Auto,
    /// The rayon CPU reference.
    Cpu,
    /// The GPU backend on whatever Vulkan adapter wgpu finds (lavapipe included).
    Gpu,
}

/// Why no GPU could be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GpuError {
    /// wgpu found no adapter (or the program was built without the `gpu` feature).
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// Only a CPU-type adapter (such as lavapipe), which `auto` passes over.
    #[error("only a CPU-type Vulkan adapter ({0}), slower than the CPU backend")]
    CpuAdapter(String),
    /// The device could not be created or was lost.
    #[error("GPU device: {0}")]
    Device(String),
}

/// The backend for `choice`, with a notice saying what `auto` does (and why). `gpu`
/// fails when no adapter can be opened.
#[cfg(not(feature = "gpu"))]
pub fn select_backend(choice: BackendChoice) -> Result<(Box<dyn Backend>, Option<String>), GpuError> {
    let missing = "this program was built without the `gpu` feature";
    match choice {
        BackendChoice::Cpu => Ok((Box::new(CpuBackend), None)),
        BackendChoice::Gpu => Err(GpuError::NoAdapter(missing.into())),
        BackendChoice::Auto => Ok((Box::new(CpuBackend), Some(format!("using the CPU backend: {missing}")))),
    }
}

/// The backend for `choice`, with a notice saying what `auto` does (and why). `gpu`
/// fails when no adapter can be opened.
#[cfg(feature = "gpu")]
pub fn select_backend(choice: BackendChoice) -> Result<(Box<dyn Backend>, Option<String>), GpuError> {
    match choice {
        BackendChoice::Cpu => Ok((Box::new(CpuBackend), None)),
        BackendChoice::Gpu => Ok((Box::new(GpuBackend::any()?), None)),
        BackendChoice::Auto => match GpuBackend::hardware() {
            Ok(gpu) => {
                let notice = format!(
                    "backend auto: {} for jobs of at least {} transmitter-cells that follow reflections, \
                     the CPU for the others (there the GPU's set-up costs more than it saves: measured on an \
                     H200); --backend gpu or cpu forces one",
                    gpu.adapter_name(),
                    AutoBackend::MIN_GPU_WORK,
                );
                Ok((Box::new(AutoBackend::new(gpu)), Some(notice)))
            }
            Err(e) => Ok((Box::new(CpuBackend), Some(format!("using the CPU backend: {e}")))),
        },
    }
}

/// `--backend auto` with a real GPU: each job on the backend measured faster for its
/// size, and a job whose GPU run fails (device lost, out of memory, a timeout) finished on
/// the CPU, with a warning; the GPU is not tried again in this process.
#[cfg(feature = "gpu")]
pub struct AutoBackend {
    gpu: GpuBackend,
    failed: AtomicBool,
}

#[cfg(feature = "gpu")]
impl AutoBackend {
    /// Jobs with fewer transmitter-cells (transmitters × cells evaluated) run on the CPU.
    /// Measured on an H200 with 16 cores, default accuracy: the demo lycée (50 APs ×
    /// 85,178 cells, 4.3 M) is 1.8–2.1× faster on the GPU, a fifth of its APs (0.85 M)
    /// 2.1×; a region batch's placement jobs (one AP × a building's cells, ~10⁴) cost
    /// ~40 ms each on the GPU (set-up and one round trip per generation), far more than on
    /// the CPU. The threshold sits between, on the CPU's side of the GPU's measured wins.
    pub const MIN_GPU_WORK: u64 = 500_000;
    /// Jobs capped below this many reflections (direct paths only) run on the CPU,
    /// whatever their size: one path per cell and vertical path is evaluated on the CPU
    /// as fast as the GPU's round trips take. Measured on the H200: a region batch whose
    /// 52 direct-path placement jobs of 0.5–2.1 M transmitter-cells went to the GPU took
    /// 49.8 s against 41.0 s on the CPU (its 6,571 one-reflection jobs are all under
    /// 0.34 M); the demo at one reflection (4.3 M) is 0.53 s on the GPU, 1.07 s on the CPU.
    pub const MIN_GPU_REFLECTIONS: u32 = 1;

    /// Auto over `gpu` and the CPU.
    pub fn new(gpu: GpuBackend) -> AutoBackend {
        AutoBackend { gpu, failed: AtomicBool::new(false) }
    }

    /// Whether `job` goes to the GPU: deep enough and large enough.
    pub fn prefers_gpu(job: &Job) -> bool {
        job.settings.max_reflections >= Self::MIN_GPU_REFLECTIONS && Self::work(job) >= Self::MIN_GPU_WORK
    }

    /// Transmitters × cells to evaluate of `job`.
    pub fn work(job: &Job) -> u64 {
        let cells: usize = match job.masks {
            Some(masks) => masks.iter().map(|m| m.iter().filter(|&&c| c).count()).sum(),
            None => job.grids.iter().map(Grid::len).sum(),
        };
        (cells as u64).saturating_mul(job.transmitters.len() as u64)
    }
}

#[cfg(feature = "gpu")]
impl Backend for AutoBackend {
    fn name(&self) -> &'static str {
        "auto"
    }

    fn adapter(&self) -> Option<String> {
        Some(self.gpu.adapter_name())
    }

    fn run(&self, job: &Job, sink: &(dyn Fn(usize, TxMaps) + Sync)) -> Result<RunStats, SolverError> {
        if !Self::prefers_gpu(job) || self.failed.load(Ordering::Relaxed) {
            return CpuBackend.run(job, sink);
        }
        match self.gpu.run(job, sink) {
            Err(SolverError::Gpu(e)) => {
                self.failed.store(true, Ordering::Relaxed);
                eprintln!("warning: {}: {e}; the job is finished on the CPU", self.gpu.adapter_name());
                // Maps the GPU already handed over are replaced, transmitter by transmitter.
                CpuBackend.run(job, sink)
            }
            other => other,
        }
    }
}

/// Path gains of one transmitter: per grid, row-major from the south, [dB] (−∞ where
/// nothing arrives).
pub type TxMaps = Vec<Vec<f32>>;

/// A solver over whole batches.
pub trait Backend: Sync {
    /// "cpu" or "gpu".
    fn name(&self) -> &'static str;
    /// The adapter a GPU backend runs on.
    fn adapter(&self) -> Option<String> {
        None
    }
    /// Computes the batch, handing each transmitter's maps to `sink` (index, maps) as
    /// soon as they are ready, in any order and from any thread.
    fn run(&self, job: &Job, sink: &(dyn Fn(usize, TxMaps) + Sync)) -> Result<RunStats, SolverError>;

    /// Computes the batch and keeps every map: `[tx][grid][cell]`.
    fn path_gains(&self, job: &Job) -> Result<Vec<TxMaps>, SolverError> {
        let out = std::sync::Mutex::new(vec![Vec::new(); job.transmitters.len()]);
        self.run(job, &|i, maps| out.lock().unwrap_or_else(|e| e.into_inner())[i] = maps)?;
        Ok(out.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

/// What a batch did, over its transmitters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    /// The backend that ran it: "cpu", "gpu", or "cpu+gpu" for merged runs of both
    /// ("" for no run).
    pub backend: &'static str,
    /// Most reflections of a path kept (the depth the energy criterion reached).
    pub deepest_reflections: u32,
    /// Beam regions traced.
    pub regions: u64,
    /// Branches the energy criterion ended.
    pub branches_cut: u64,
}

impl RunStats {
    fn of(traced: &shared::Traced) -> RunStats {
        RunStats {
            backend: "",
            deepest_reflections: traced.stats.deepest,
            regions: traced.stats.regions,
            branches_cut: traced.stats.cut,
        }
    }

    /// The stats of two batches run one after the other.
    pub fn merge(self, o: RunStats) -> RunStats {
        let backend = match (self.backend, o.backend) {
            ("", b) | (b, "") => b,
            (a, b) if a == b => a,
            _ => "cpu+gpu",
        };
        RunStats {
            backend,
            deepest_reflections: self.deepest_reflections.max(o.deepest_reflections),
            regions: self.regions + o.regions,
            branches_cut: self.branches_cut + o.branches_cut,
        }
    }
}

/// Runs only in the CPU-only build (`cargo test --no-default-features`, in `.ci/run`).
#[cfg(all(test, not(feature = "gpu")))]
mod tests {
    use super::*;

    #[test]
    fn without_the_gpu_feature_gpu_is_refused_and_auto_says_it_uses_the_cpu() {
        let err = select_backend(BackendChoice::Gpu).err().expect("--backend gpu refused");
        assert_eq!(err.to_string(), "no GPU adapter: this program was built without the `gpu` feature");
        let (backend, notice) = select_backend(BackendChoice::Auto).unwrap();
        assert_eq!(backend.name(), "cpu");
        assert_eq!(notice.as_deref(), Some("using the CPU backend: this program was built without the `gpu` feature"));
        assert!(select_backend(BackendChoice::Cpu).unwrap().1.is_none());
    }
}
