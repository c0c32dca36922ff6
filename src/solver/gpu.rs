//! The GPU backend (wgpu, Vulkan): the CPU backend's algorithm with the per-cell path
//! evaluation in a WGSL compute shader (`shaders/paths.wgsl`).
//!
//! The host traces each transmitter's beams and lists its vertical paths exactly as the
//! CPU backend does (f64), bins the regions into tiles of the grid, and uploads the
//! scene once per frequency and each transmitter's regions and interaction tree as flat
//! little-endian words. The shader evaluates every cell in f32, in the CPU's order and
//! with its cutoff, and flags the rare cell whose result hinges on a comparison within
//! [`EPS_M`] of its threshold (a region edge, a door's edge, a footprint's edge) or whose
//! chain is too long; the host evaluates those cells in f64. Grids are dispatched in
//! bands of rows small enough for the adapter's binding and workgroup limits and for a
//! bounded time per dispatch; every wait has a deadline.

use super::beams::{BeamSet, NO_NODE};
use super::cpu::{Shape, Shared, shape_of, to_db};
use super::vertical::VerticalPath;
use super::{Backend, Job, RunStats, SolverError, TxMaps};
use crate::scene::Grid;
use bytemuck::{Pod, Zeroable};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wgpu::util::DeviceExt;

/// Comparisons closer than this to their threshold are left to the host [m].
pub const EPS_M: f32 = 5e-4;
/// Cells per tile side of the region bins.
const TILE: usize = 8;
/// Regions of a tile's list per dispatch: with the cells, bounds a dispatch's time.
const WINDOW: usize = 256;
/// Most cells per dispatch: bounds a dispatch's time (it cannot be cancelled).
const MAX_CELLS_PER_DISPATCH: usize = 1 << 16;
/// Longest wait for one dispatch.
const DISPATCH_TIMEOUT: Duration = Duration::from_secs(120);
/// Words per node, region and vertical path (as in the shader).
const NODE_WORDS: usize = 16;
const REGION_WORDS: usize = 40;
const VERTICAL_WORDS: usize = 8;

/// Why no GPU could be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GpuError {
    /// wgpu found no adapter.
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// Only a CPU-type adapter (such as lavapipe), which `auto` passes over.
    #[error("only a CPU-type Vulkan adapter ({0}), slower than the CPU backend")]
    CpuAdapter(String),
    /// The device could not be created or was lost.
    #[error("GPU device: {0}")]
    Device(String),
}

/// Uniform parameters of one dispatch (layout of `Params` in the shader).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
struct Params {
    xmin: f32,
    ymin: f32,
    cell: f32,
    nx: u32,
    row0: u32,
    rows: u32,
    tiles_x: u32,
    tile: u32,
    n_verticals: u32,
    max_reflections: u32,
    intervals: u32,
    use_mask: u32,
    tx_x: f32,
    tx_y: f32,
    fs2: f32,
    floor: f32,
    relative: f32,
    eps: f32,
    off_layers: u32,
    off_planes: u32,
    off_plane_cells: u32,
    off_plane_items: u32,
    off_polygons: u32,
    off_vertices: u32,
    off_table: u32,
    off_line_refl: u32,
    off_plane_refl: u32,
    off_regions: u32,
    off_events: u32,
    off_legs: u32,
    off_tiles: u32,
    off_items: u32,
    off_mask: u32,
    sweep: u32,
    window0: u32,
    window1: u32,
}

/// The device, its queue and the compiled kernel.
pub struct GpuBackend {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
    limits: wgpu::Limits,
    info: wgpu::AdapterInfo,
    /// One batch at a time on the device.
    busy: Mutex<()>,
    /// Errors wgpu reported outside any scope (device lost, internal errors).
    errors: Arc<Mutex<Vec<String>>>,
}

impl std::fmt::Debug for GpuBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GpuBackend({})", self.adapter_name())
    }
}

impl GpuBackend {
    /// A backend on the first Vulkan adapter wgpu finds, CPU-type adapters included
    /// (lavapipe: what the tests run on without a GPU).
    pub fn any() -> Result<GpuBackend, GpuError> {
        GpuBackend::open(true)
    }

    /// A backend on a real GPU; CPU-type adapters are refused.
    pub fn hardware() -> Result<GpuBackend, GpuError> {
        GpuBackend::open(false)
    }

    fn open(allow_cpu: bool) -> Result<GpuBackend, GpuError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor {
            backends: wgpu::Backends::VULKAN,
            ..wgpu::InstanceDescriptor::new_without_display_handle()
        });
        let adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::VULKAN));
        let describe = |a: &wgpu::Adapter| {
            let i = a.get_info();
            format!("{} ({:?})", i.name, i.device_type)
        };
        let adapter = match adapters.iter().find(|a| a.get_info().device_type != wgpu::DeviceType::Cpu) {
            Some(a) => a.clone(),
            None => match adapters.first() {
                Some(a) if allow_cpu => a.clone(),
                Some(a) => return Err(GpuError::CpuAdapter(describe(a))),
                None => {
                    return Err(GpuError::NoAdapter(
                        "wgpu found no Vulkan adapter (no driver, or VK_ICD_FILENAMES points nowhere)".into(),
                    ));
                }
            },
        };
        let info = adapter.get_info();
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("wifiplan"),
            required_features: wgpu::Features::empty(),
            required_limits: limits.clone(),
            ..wgpu::DeviceDescriptor::default()
        }))
        .map_err(|e| GpuError::Device(e.to_string()))?;
        // wgpu's default handler panics; errors become results instead.
        let errors: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = errors.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| {
            sink.lock().unwrap_or_else(|p| p.into_inner()).push(e.to_string());
        }));
        let lost = errors.clone();
        device.set_device_lost_callback(move |reason, message| {
            lost.lock().unwrap_or_else(|p| p.into_inner()).push(format!("device lost ({reason:?}): {message}"));
        });
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        // Every loop of the kernel is bounded by its data (counts, and parent links that end
        // at the root), so naga's loop counters are left out: with them llvmpipe stopped
        // long loops early. Bounds checks stay.
        let checks = wgpu::ShaderRuntimeChecks { force_loop_bounding: false, ..wgpu::ShaderRuntimeChecks::checked() };
        // SAFETY: the shader's loops terminate (see above); every other check is kept.
        let module =
            unsafe { device.create_shader_module_trusted(wgpu::include_wgsl!("../../shaders/paths.wgsl"), checks) };
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("paths"),
            layout: None,
            module: &module,
            entry_point: Some("main"),
            compilation_options: wgpu::PipelineCompilationOptions::default(),
            cache: None,
        });
        let layout = pipeline.get_bind_group_layout(0);
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(GpuError::Device(format!("the kernel does not compile on {}: {e}", info.name)));
        }
        Ok(GpuBackend { device, queue, pipeline, layout, limits, info, busy: Mutex::new(()), errors })
    }

    /// "name (backend, device type)".
    pub fn adapter_name(&self) -> String {
        format!("{} ({:?}, {:?})", self.info.name, self.info.backend, self.info.device_type)
    }

    /// Whether the adapter is a CPU implementation (lavapipe).
    pub fn is_cpu_adapter(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    fn storage(&self, label: &str, words: &[u32]) -> wgpu::Buffer {
        // Bindings may not be empty.
        let data: &[u32] = if words.is_empty() { &[0] } else { words };
        self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some(label),
            contents: bytemuck::cast_slice(data),
            usage: wgpu::BufferUsages::STORAGE,
        })
    }

    /// Runs the dispatches `steps` in order over the same `cells` cells (each carries the
    /// running totals of the one before) and reads back (gain, flags).
    fn dispatch(
        &self,
        steps: &[Params],
        scene: &wgpu::Buffer,
        tx: &wgpu::Buffer,
        grid: &wgpu::Buffer,
        cells: usize,
    ) -> Result<(Vec<f32>, Vec<u32>), String> {
        let bytes = (cells * 4) as u64;
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let uniform = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("params"),
            size: std::mem::size_of::<Params>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let make = |label, usage| {
            self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size: bytes,
                usage,
                mapped_at_creation: false,
            })
        };
        let storage = wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC;
        let readback = wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST;
        let (gain, flags) = (make("gain", storage), make("flags", storage));
        let (gain_out, flags_out) = (make("gain out", readback), make("flags out", readback));
        let entries: Vec<wgpu::BindGroupEntry> = [&uniform, scene, tx, grid, &gain, &flags]
            .iter()
            .enumerate()
            .map(|(k, b)| wgpu::BindGroupEntry { binding: k as u32, resource: b.as_entire_binding() })
            .collect();
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("paths"),
            layout: &self.layout,
            entries: &entries,
        });
        let mut last = None;
        for (n, params) in steps.iter().enumerate() {
            // Each write lands before the submission that follows it.
            self.queue.write_buffer(&uniform, 0, bytemuck::bytes_of(params));
            let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
            {
                let mut pass =
                    encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
                pass.set_pipeline(&self.pipeline);
                pass.set_bind_group(0, &bind, &[]);
                pass.dispatch_workgroups(cells.div_ceil(64) as u32, 1, 1);
            }
            if n + 1 == steps.len() {
                encoder.copy_buffer_to_buffer(&gain, 0, &gain_out, 0, bytes);
                encoder.copy_buffer_to_buffer(&flags, 0, &flags_out, 0, bytes);
            }
            let index = self.queue.submit([encoder.finish()]);
            // A deadline per dispatch: a dispatch cannot be cancelled, so none may be long.
            self.device
                .poll(wgpu::PollType::Wait { submission_index: Some(index.clone()), timeout: Some(DISPATCH_TIMEOUT) })
                .map_err(|e| {
                    format!("the GPU did not finish a dispatch within {} s: {e}", DISPATCH_TIMEOUT.as_secs())
                })?;
            last = Some(index);
        }
        gain_out.slice(..).map_async(wgpu::MapMode::Read, |_| {});
        flags_out.slice(..).map_async(wgpu::MapMode::Read, |_| {});
        let waited = self.device.poll(wgpu::PollType::Wait { submission_index: last, timeout: Some(DISPATCH_TIMEOUT) });
        if let Some(e) = pollster::block_on(validation.pop()) {
            return Err(format!("invalid dispatch: {e}"));
        }
        if let Some(e) = pollster::block_on(memory.pop()) {
            return Err(format!("out of GPU memory: {e}"));
        }
        waited.map_err(|e| format!("the GPU did not finish within {} s: {e}", DISPATCH_TIMEOUT.as_secs()))?;
        if let Some(e) = self.errors.lock().unwrap_or_else(|p| p.into_inner()).first() {
            return Err(e.clone());
        }
        let read = |b: &wgpu::Buffer| -> Result<Vec<u8>, String> {
            Ok(b.slice(..).get_mapped_range().map_err(|e| format!("cannot read the results back: {e}"))?.to_vec())
        };
        let g: Vec<f32> = bytemuck::pod_collect_to_vec(&read(&gain_out)?);
        let f: Vec<u32> = bytemuck::pod_collect_to_vec(&read(&flags_out)?);
        Ok((g, f))
    }
}

fn words<T: Pod>(v: &[T]) -> &[u32] {
    bytemuck::cast_slice(v)
}

fn f(x: f64) -> u32 {
    (x as f32).to_bits()
}

/// The scene and one frequency's tables as words, with their offsets.
struct SceneWords {
    words: Vec<u32>,
    offsets: [u32; 9],
}

fn scene_words(shared: &Shared, i: usize) -> SceneWords {
    let scene = shared.job.scene;
    let prep = shared.prepared(i);
    let mut w: Vec<u32> = Vec::new();
    let mut offsets = [0u32; 9];
    w.extend_from_slice(words(&scene.spans));
    let mut mark = |w: &mut Vec<u32>, k: usize, data: &[u32]| {
        offsets[k] = w.len() as u32;
        w.extend_from_slice(data);
    };
    mark(&mut w, 0, words(&scene.layers));
    mark(&mut w, 1, words(&scene.planes));
    mark(&mut w, 2, words(&scene.plane_cells));
    mark(&mut w, 3, &scene.plane_items);
    mark(&mut w, 4, words(&scene.polygons));
    mark(&mut w, 5, words(&scene.vertices));
    mark(&mut w, 6, words(&prep.table.values));
    let refl: Vec<f32> = prep.line_reflection_max.iter().flat_map(|r| r.iter()).copied().collect();
    mark(&mut w, 7, words(&refl));
    let refl: Vec<f32> = prep.plane_reflection_max.iter().flatten().copied().collect();
    mark(&mut w, 8, words(&refl));
    SceneWords { words: w, offsets }
}

/// A transmitter's interaction tree and regions as words, in its own frame (positions
/// relative to the transmitter).
fn tx_words(set: &BeamSet) -> (Vec<u32>, u32) {
    let tx = set.tx;
    let mut w = Vec::with_capacity(set.nodes.len() * NODE_WORDS + set.regions.len() * REGION_WORDS);
    for n in &set.nodes {
        let o = n.origin - tx;
        w.extend_from_slice(&[
            f(n.normal.x),
            f(n.normal.y),
            f(n.offset),
            f(n.dir.x),
            f(n.dir.y),
            f(n.u_tx),
            f(o.x),
            f(o.y),
            n.spans.0,
            n.spans.1,
            u32::from(n.reflect),
            n.parent,
            f(n.max_t),
            f(n.cover.0.clamp(-1e30, 1e30)),
            f(n.cover.1.clamp(-1e30, 1e30)),
            0,
        ]);
    }
    let off_regions = w.len() as u32;
    for r in &set.regions {
        let apex = r.apex - tx;
        let unit = |v: nalgebra::Vector2<f64>| {
            let n = v.norm();
            if n > 0.0 { v / n } else { v }
        };
        let (right, left) = (unit(r.right), unit(r.left));
        let half = |h: &Option<super::beams::HalfPlane>| match h {
            Some(h) => {
                let n = h.n.norm();
                let (nn, c) = (h.n / n, (h.c - h.n.dot(&tx.coords)) / n);
                [f(nn.x), f(nn.y), f(c), 1]
            }
            None => [0, 0, 0, 0],
        };
        let t = r.to_unfolded.apply(&r.apex) - tx;
        let m = r.to_unfolded.m;
        let mut region = vec![f(apex.x), f(apex.y), f(right.x), f(right.y), f(left.x), f(left.y)];
        region.extend_from_slice(&half(&r.start));
        region.extend_from_slice(&half(&r.end));
        region.extend_from_slice(&[
            f(m[(0, 0)]),
            f(m[(0, 1)]),
            f(m[(1, 0)]),
            f(m[(1, 1)]),
            f(t.x),
            f(t.y),
            r.last,
            r.len,
            r.reflections,
            u32::from(r.holds_apex),
            f(r.min_distance),
            f(r.t_product),
            f(r.t_cover.0.clamp(-1e30, 1e30)),
            f(r.t_cover.1.clamp(-1e30, 1e30)),
        ]);
        for b in &r.reflection_bounds {
            region.extend_from_slice(&[b.line, f(b.cos_min)]);
        }
        region.resize(REGION_WORDS, 0);
        w.extend_from_slice(&region);
    }
    debug_assert!(set.nodes.iter().all(|n| n.parent == NO_NODE || (n.parent as usize) < set.nodes.len()));
    (w, off_regions)
}

/// A band of grid rows as the shader reads it: vertical paths, region bins per tile and
/// the mask, with the offsets of each part.
struct BandWords {
    words: Vec<u32>,
    off_events: u32,
    off_legs: u32,
    off_tiles: u32,
    off_items: u32,
    off_mask: u32,
    tiles_x: usize,
    /// Length of the longest tile list.
    longest: usize,
}

/// Bins every region whose clipped polygon's bounding box meets a tile of rows
/// `rows` of `grid`, in region order.
fn bins(shapes: &[Option<Shape>], grid: &Grid, rows: &std::ops::Range<usize>) -> (Vec<Vec<u32>>, usize) {
    let tiles_x = grid.nx.div_ceil(TILE);
    let mut bins: Vec<Vec<u32>> = vec![Vec::new(); tiles_x * rows.len().div_ceil(TILE)];
    let col = |x: f64| ((x - grid.xmin) / grid.cell - 0.5).floor().clamp(0.0, grid.nx as f64 - 1.0) as usize;
    let row = |y: f64| ((y - grid.ymin) / grid.cell - 0.5).floor().clamp(0.0, grid.ny as f64 - 1.0) as usize;
    for (r, shape) in shapes.iter().enumerate() {
        let Some(shape) = shape else { continue };
        if shape.rows.end <= rows.start || shape.rows.start >= rows.end {
            continue;
        }
        let (x0, x1, y0, y1) = shape
            .poly
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY), |(a, b, c, d), p| {
                (a.min(p.x), b.max(p.x), c.min(p.y), d.max(p.y))
            });
        let (c0, c1) = (col(x0), (col(x1) + 1).min(grid.nx - 1));
        let (r0, r1) = (row(y0).max(rows.start), (row(y1) + 1).min(rows.end - 1));
        if r0 > r1 {
            continue;
        }
        for ty in (r0 - rows.start) / TILE..=(r1 - rows.start) / TILE {
            for tx in c0 / TILE..=c1 / TILE {
                bins[ty * tiles_x + tx].push(r as u32);
            }
        }
    }
    (bins, tiles_x)
}

fn band_words(
    shapes: &[Option<Shape>],
    grid: &Grid,
    verticals: &[VerticalPath],
    mask: Option<&[bool]>,
    rows: &std::ops::Range<usize>,
) -> BandWords {
    let (bins, tiles_x) = bins(shapes, grid, rows);
    let mut g: Vec<u32> = Vec::new();
    let (mut events, mut legs) = (Vec::new(), Vec::new());
    for v in verticals {
        let (ev0, leg0) = (events.len() / 3, legs.len() / 3);
        for e in &v.events {
            events.extend_from_slice(&[e.plane, u32::from(e.reflect), f(e.travel)]);
        }
        for l in v.legs() {
            legs.extend_from_slice(&[f(l.0), f(l.1), f(l.2)]);
        }
        g.extend_from_slice(&[
            f(v.travel),
            v.reflections,
            ev0 as u32,
            v.events.len() as u32,
            leg0 as u32,
            v.legs().len() as u32,
            f(v.z_lo),
            f(v.z_hi),
        ]);
    }
    debug_assert_eq!(g.len(), verticals.len() * VERTICAL_WORDS);
    let off_events = g.len() as u32;
    g.extend_from_slice(&events);
    let off_legs = g.len() as u32;
    g.extend_from_slice(&legs);
    let off_tiles = g.len() as u32;
    let mut start = 0u32;
    for b in &bins {
        g.push(start);
        start += b.len() as u32;
    }
    g.push(start);
    let off_items = g.len() as u32;
    for b in &bins {
        g.extend_from_slice(b);
    }
    let off_mask = g.len() as u32;
    if let Some(m) = mask {
        let mut bits = vec![0u32; m.len().div_ceil(32)];
        for (c, _) in m.iter().enumerate().filter(|(_, on)| **on) {
            bits[c / 32] |= 1 << (c % 32);
        }
        g.extend_from_slice(&bits);
    }
    let longest = bins.iter().map(Vec::len).max().unwrap_or(0);
    BandWords { words: g, off_events, off_legs, off_tiles, off_items, off_mask, tiles_x, longest }
}

impl Backend for GpuBackend {
    fn name(&self) -> &'static str {
        "gpu"
    }

    fn adapter(&self) -> Option<String> {
        Some(self.adapter_name())
    }

    fn run(&self, job: &Job, sink: &(dyn Fn(usize, TxMaps) + Sync)) -> Result<RunStats, SolverError> {
        let _one_at_a_time = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        let shared = Shared::new(job)?;
        let max_binding = self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size) as usize;
        let max_groups = self.limits.max_compute_workgroups_per_dimension as usize;
        let mut scenes: BTreeMap<u64, (SceneWords, wgpu::Buffer)> = BTreeMap::new();
        let mut stats = RunStats::default();
        for (i, tx) in job.transmitters.iter().enumerate() {
            let (sw, scene_buffer) = match scenes.entry(tx.f_ghz.to_bits()) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    let sw = scene_words(&shared, i);
                    if sw.words.len() * 4 > max_binding {
                        return Err(SolverError::Gpu(format!(
                            "the scene needs {} MiB, over the adapter's binding limit",
                            sw.words.len() >> 18
                        )));
                    }
                    let buffer = self.storage("scene", &sw.words);
                    e.insert((sw, buffer))
                }
            };
            let traced = shared.trace(i, false)?;
            stats = stats.merge(RunStats::of(&traced));
            let set = traced.set;
            let (tw, off_regions) = tx_words(&set);
            // Regions beyond one binding: this transmitter is evaluated on the host.
            let tx_buffer = (tw.len() * 4 <= max_binding).then(|| self.storage("transmitter", &tw));
            let fs = shared.wavelength(i) / (4.0 * std::f64::consts::PI);
            let mut maps: TxMaps = Vec::with_capacity(job.grids.len());
            for (k, grid) in job.grids.iter().enumerate() {
                let mask = job.masks.map(|m| m[k].as_slice());
                let Some(tx_buffer) = &tx_buffer else {
                    maps.push(shared.evaluate(i, &set, k, mask).into_iter().map(to_db).collect());
                    continue;
                };
                let verticals = shared.verticals(i, k);
                let shapes: Vec<_> = set.regions.par_iter().map(|r| shape_of(r, grid)).collect();
                let mut gains = vec![0f64; grid.len()];
                let mut flagged = vec![false; grid.len()];
                // Bands of whole tiles, bounded by the dispatch size and the workgroups.
                let band_rows =
                    ((MAX_CELLS_PER_DISPATCH.min(max_groups * 64) / grid.nx.max(1)) / TILE * TILE).max(TILE);
                for row0 in (0..grid.ny).step_by(band_rows) {
                    let rows = row0..(row0 + band_rows).min(grid.ny);
                    let cells = rows.len() * grid.nx;
                    let band = rows.start * grid.nx..rows.end * grid.nx;
                    let bw = band_words(&shapes, grid, &verticals, mask, &rows);
                    if bw.words.len() * 4 > max_binding {
                        // Too many bins for one binding: the host takes this band.
                        let only: Vec<bool> =
                            (0..grid.len()).map(|c| band.contains(&c) && mask.is_none_or(|m| m[c])).collect();
                        let host = shared.evaluate(i, &set, k, Some(&only));
                        gains[band.clone()].copy_from_slice(&host[band]);
                        continue;
                    }
                    let o = &sw.offsets;
                    let params = Params {
                        xmin: (grid.xmin - set.tx.x) as f32,
                        ymin: (grid.ymin - set.tx.y) as f32,
                        cell: grid.cell as f32,
                        nx: grid.nx as u32,
                        row0: rows.start as u32,
                        rows: rows.len() as u32,
                        tiles_x: bw.tiles_x as u32,
                        tile: TILE as u32,
                        n_verticals: verticals.len() as u32,
                        max_reflections: job.settings.max_reflections,
                        intervals: shared.prepared(i).table.intervals as u32,
                        use_mask: u32::from(mask.is_some()),
                        tx_x: set.tx.x as f32,
                        tx_y: set.tx.y as f32,
                        fs2: (fs * fs) as f32,
                        floor: shared.floor as f32,
                        relative: shared.relative as f32,
                        eps: EPS_M,
                        off_layers: o[0],
                        off_planes: o[1],
                        off_plane_cells: o[2],
                        off_plane_items: o[3],
                        off_polygons: o[4],
                        off_vertices: o[5],
                        off_table: o[6],
                        off_line_refl: o[7],
                        off_plane_refl: o[8],
                        off_regions,
                        off_events: bw.off_events,
                        off_legs: bw.off_legs,
                        off_tiles: bw.off_tiles,
                        off_items: bw.off_items,
                        off_mask: bw.off_mask,
                        sweep: 0,
                        window0: 0,
                        window1: 0,
                    };
                    // Per sweep, windows of each tile's list: bounded work per dispatch (and
                    // llvmpipe computes long loops wrongly).
                    let mut steps = Vec::new();
                    for sweep in 0..2u32 {
                        for w0 in (0..bw.longest.max(1)).step_by(WINDOW) {
                            steps.push(Params { sweep, window0: w0 as u32, window1: (w0 + WINDOW) as u32, ..params });
                        }
                    }
                    let grid_buffer = self.storage("grid band", &bw.words);
                    let (band_gain, band_flags) = self
                        .dispatch(&steps, scene_buffer, tx_buffer, &grid_buffer, cells)
                        .map_err(SolverError::Gpu)?;
                    for (c, (&g, &fl)) in band.zip(band_gain.iter().zip(&band_flags)) {
                        gains[c] = f64::from(g);
                        flagged[c] = fl != 0;
                    }
                }
                if flagged.iter().any(|&x| x) {
                    let host = shared.evaluate(i, &set, k, Some(&flagged));
                    for (c, _) in flagged.iter().enumerate().filter(|(_, on)| **on) {
                        gains[c] = host[c];
                    }
                }
                maps.push(gains.into_iter().map(to_db).collect());
            }
            sink(i, maps);
        }
        Ok(stats)
    }
}
