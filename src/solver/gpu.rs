//! The GPU backend (wgpu, Vulkan): the CPU backend's algorithm with the per-cell path
//! evaluation in a WGSL compute shader (`shaders/paths.wgsl`, reading the records of
//! [`super::layout`]).
//!
//! The host traces every transmitter in parallel (rayon) exactly as the CPU backend does
//! (f64, the energy criterion included): the same loop ([`Shared::run`]), with this
//! module's [`Evaluator`] in place of the host's. Each generation of a transmitter's
//! regions becomes one request per band of rows of each grid: its nodes, regions and
//! chains, the regions binned exactly to 8 × 8-cell tiles (those that may hold one of the
//! tile's cell centres, in region order), per region and vertical path the transmission
//! bound or −1 when the host's region-level pruning drops it, and the cells' totals so
//! far. A device thread takes every request waiting as one batch (one workgroup per tile
//! of every request, so that a batch fills the GPU while the tracing threads go on), and
//! hands back the new totals; the energy criterion then decides the next generation on
//! them, as on the CPU.
//!
//! The shader evaluates every cell in f32, in the CPU's order and with its cutoff, and
//! flags the cell whose result hinges on a comparison within [`EPS_M`] of its threshold
//! (a region edge, a door's edge, a footprint's edge); the host adds that generation's
//! paths to those cells in f64. Bands are small enough for the adapter's binding and
//! workgroup limits, each tile's list is walked in windows (a bounded time per dispatch),
//! and every wait has a deadline.

use super::antenna::GainTable;
use super::beams::{BeamSet, NO_NODE, Region};
use super::cpu::Host;
use super::layout::{BoundRecord, EventRecord, HalfPlaneRecord, LegRecord, NodeRecord, RegionRecord, VerticalRecord};
use super::shared::{Evaluator, Shape, Shared, kept_verticals, shape_of, weakest_cutoff};
use super::vertical::VerticalPath;
use super::{Backend, GpuError, Job, RunStats, SolverError, TxMaps};
use crate::geometry::strip_x_extent;
use crate::scene::{Grid, NONE};
use bytemuck::{Pod, Zeroable};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;
use wgpu::util::DeviceExt;

/// Comparisons closer than this to their threshold are left to the host [m].
pub const EPS_M: f32 = 5e-4;
/// Cells per tile side of the region bins; one workgroup (64 invocations) per tile.
const TILE: usize = 8;
const _: () = assert!(TILE * TILE == 64, "the shader's workgroup is one tile");
/// A region is binned to the tiles holding a cell centre this close to its polygon [m]:
/// more than [`EPS_M`], so that every cell the shader must flag sees the region.
const BIN_MARGIN_M: f64 = 4.0 * EPS_M as f64;
/// Regions of a tile's list per dispatch: with the cells, bounds a dispatch's time.
const WINDOW: usize = 256;
/// Most cells per request (a band of a grid's rows).
const MAX_CELLS_PER_REQUEST: usize = 1 << 16;
/// Longest wait per dispatch (one window of every request of a batch).
const DISPATCH_TIMEOUT: Duration = Duration::from_secs(120);

/// Parameters of one request of a batched dispatch: one band of one grid for one
/// generation of one transmitter (layout of `Params` in the shader; offsets index the
/// batch's concatenated words).
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
    off_nodes: u32,
    off_chains: u32,
    off_tbounds: u32,
    /// First workgroup (tile) of this request in the batch.
    tile_base: u32,
    /// First cell of this request in the batch's gain and flag buffers.
    cell_base: u32,
    off_verticals: u32,
    /// The transmitter's antenna table in S, after its frequency's scene (`NONE`:
    /// isotropic).
    off_antenna: u32,
}

/// What changes between the dispatches of a batch (layout of `Step` in the shader).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
struct Step {
    /// Window [window0, window1) of each tile's list.
    window0: u32,
    window1: u32,
    /// Workgroups of the batch (tiles of every request).
    tiles: u32,
    /// Workgroups per row of the 2D dispatch.
    groups_x: u32,
}

/// The device, its queue and the compiled kernel.
pub struct GpuBackend {
    device: wgpu::Device,
    queue: wgpu::Queue,
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
    limits: wgpu::Limits,
    info: wgpu::AdapterInfo,
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
        let source = wgpu::ShaderModuleDescriptor {
            label: Some("paths"),
            source: wgpu::ShaderSource::Wgsl(super::layout::shader_source().into()),
        };
        let module = unsafe { device.create_shader_module_trusted(source, checks) };
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
        Ok(GpuBackend { device, queue, pipeline, layout, limits, info, errors })
    }

    /// "name (backend, device type)".
    pub fn adapter_name(&self) -> String {
        format!("{} ({:?}, {:?})", self.info.name, self.info.backend, self.info.device_type)
    }

    /// The largest storage binding the adapter takes [bytes].
    fn max_binding(&self) -> usize {
        self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size) as usize
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

    /// Runs one batch of requests (same scene): their words concatenated, one
    /// workgroup per tile of every request, as many dispatches as the longest list has
    /// windows; reads back each request's (gain, flags).
    fn run_batch(&self, scene: &wgpu::Buffer, batch: &[Request]) -> Result<Vec<BandResult>, String> {
        let (mut t_words, mut g_words, mut init): (Vec<u32>, Vec<u32>, Vec<f32>) = (Vec::new(), Vec::new(), Vec::new());
        let mut params = Vec::with_capacity(batch.len());
        // A generation's words are shared by its grids' bands: uploaded once.
        let mut t_bases: Vec<(*const Vec<u32>, u32)> = Vec::new();
        let (mut tiles, mut windows) = (0u32, 0usize);
        for r in batch {
            let key = Arc::as_ptr(&r.tx);
            let t_base = match t_bases.iter().find(|(k, _)| *k == key) {
                Some(&(_, b)) => b,
                None => {
                    let b = t_words.len() as u32;
                    t_words.extend_from_slice(&r.tx);
                    t_bases.push((key, b));
                    b
                }
            };
            let g_base = g_words.len() as u32;
            g_words.extend_from_slice(&r.band);
            let p = r.params;
            params.push(Params {
                off_nodes: t_base,
                off_regions: p.off_regions + t_base,
                off_chains: p.off_chains + t_base,
                off_events: p.off_events + g_base,
                off_legs: p.off_legs + g_base,
                off_tiles: p.off_tiles + g_base,
                off_items: p.off_items + g_base,
                off_mask: p.off_mask + g_base,
                off_tbounds: p.off_tbounds + g_base,
                off_verticals: p.off_verticals + g_base,
                tile_base: tiles,
                cell_base: init.len() as u32,
                ..p
            });
            init.extend_from_slice(&r.init);
            tiles += r.tiles as u32;
            windows = windows.max(r.longest.div_ceil(WINDOW));
        }
        let groups_x = tiles.min(self.limits.max_compute_workgroups_per_dimension);
        let groups_y = tiles.div_ceil(groups_x.max(1));
        let bytes = (init.len() * 4) as u64;
        let memory = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let (params_buffer, tx_buffer, grid_buffer) = (
            self.storage("params", words(&params)),
            self.storage("transmitters", &t_words),
            self.storage("bands", &g_words),
        );
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
        let gain = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("gain"),
            contents: bytemuck::cast_slice(&init),
            usage: storage,
        });
        // New buffers read as zeros: no cell is flagged yet.
        let flags = make("flags", storage);
        let (gain_out, flags_out) = (make("gain out", readback), make("flags out", readback));
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        for w in 0..windows {
            let step = Step { window0: (w * WINDOW) as u32, window1: ((w + 1) * WINDOW) as u32, tiles, groups_x };
            let step_buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("step"),
                contents: bytemuck::bytes_of(&step),
                usage: wgpu::BufferUsages::UNIFORM,
            });
            let entries: Vec<wgpu::BindGroupEntry> =
                [&params_buffer, scene, &tx_buffer, &grid_buffer, &gain, &flags, &step_buffer]
                    .iter()
                    .enumerate()
                    .map(|(k, b)| wgpu::BindGroupEntry { binding: k as u32, resource: b.as_entire_binding() })
                    .collect();
            let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("paths"),
                layout: &self.layout,
                entries: &entries,
            });
            let mut pass =
                encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(0, &bind, &[]);
            pass.dispatch_workgroups(groups_x, groups_y, 1);
        }
        encoder.copy_buffer_to_buffer(&gain, 0, &gain_out, 0, bytes);
        encoder.copy_buffer_to_buffer(&flags, 0, &flags_out, 0, bytes);
        let index = self.queue.submit([encoder.finish()]);
        gain_out.slice(..).map_async(wgpu::MapMode::Read, |_| {});
        flags_out.slice(..).map_async(wgpu::MapMode::Read, |_| {});
        // A deadline per batch, its dispatches' together: a dispatch cannot be cancelled, so
        // none may be long.
        let deadline = DISPATCH_TIMEOUT * windows.max(1) as u32;
        let waited = self.device.poll(wgpu::PollType::Wait { submission_index: Some(index), timeout: Some(deadline) });
        if let Some(e) = pollster::block_on(validation.pop()) {
            return Err(format!("invalid dispatch: {e}"));
        }
        if let Some(e) = pollster::block_on(memory.pop()) {
            return Err(format!("out of GPU memory: {e}"));
        }
        waited.map_err(|e| format!("the GPU did not finish within {} s: {e}", deadline.as_secs()))?;
        if let Some(e) = self.errors.lock().unwrap_or_else(|p| p.into_inner()).first() {
            return Err(e.clone());
        }
        let read = |b: &wgpu::Buffer| -> Result<Vec<u8>, String> {
            Ok(b.slice(..).get_mapped_range().map_err(|e| format!("cannot read the results back: {e}"))?.to_vec())
        };
        let g: Vec<f32> = bytemuck::pod_collect_to_vec(&read(&gain_out)?);
        let f: Vec<u32> = bytemuck::pod_collect_to_vec(&read(&flags_out)?);
        let mut out = Vec::with_capacity(batch.len());
        let mut at = 0;
        for r in batch {
            let n = r.init.len();
            out.push((g[at..at + n].to_vec(), f[at..at + n].to_vec()));
            at += n;
        }
        Ok(out)
    }
}

/// A band's new totals (linear gains) and flags, as the device left them.
type BandResult = (Vec<f32>, Vec<u32>);

/// One band of one grid for one generation of one transmitter, waiting for the device.
struct Request {
    /// The scene's frequency (bits of f [GHz]): requests of one batch share a scene.
    scene: u64,
    /// The generation's nodes, regions and chains.
    tx: Arc<Vec<u32>>,
    /// The band's verticals, bins, mask and transmission bounds.
    band: Vec<u32>,
    /// Offsets relative to `tx` and `band`.
    params: Params,
    /// The band's linear gains so far.
    init: Vec<f32>,
    /// Workgroups (tiles) of the band.
    tiles: usize,
    /// Length of the band's longest tile list.
    longest: usize,
    /// Where the band's (gain, flags) go.
    reply: mpsc::Sender<Result<BandResult, String>>,
}

/// Most cells of one batch: bounds its buffers [cells].
const MAX_BATCH_CELLS: usize = 1 << 22;

/// The device's side of a run: takes whatever requests are waiting, as one batch per
/// scene, until every sender is gone. The tracing threads keep tracing while a batch
/// runs, and the next batch holds all they sent meanwhile. A batch stays within
/// [`MAX_BATCH_CELLS`] and, per buffer, within the adapter's binding size.
fn serve(gpu: &GpuBackend, scenes: &BTreeMap<u64, (SceneWords, wgpu::Buffer)>, requests: mpsc::Receiver<Request>) {
    let max_words = gpu.max_binding() / 4;
    let mut next: Option<Request> = None;
    while let Some(first) = next.take().or_else(|| requests.recv().ok()) {
        let (mut cells, mut t_words, mut g_words) = (first.init.len(), first.tx.len(), first.band.len());
        let mut pending = vec![first];
        while let Ok(r) = requests.try_recv() {
            // Transmitter words shared by several requests are counted each time: a bound.
            let fits = cells + r.init.len() <= MAX_BATCH_CELLS
                && t_words + r.tx.len() <= max_words
                && g_words + r.band.len() <= max_words;
            if !fits {
                next = Some(r);
                break;
            }
            (cells, t_words, g_words) = (cells + r.init.len(), t_words + r.tx.len(), g_words + r.band.len());
            pending.push(r);
        }
        let mut by_scene: BTreeMap<u64, Vec<Request>> = BTreeMap::new();
        for r in pending {
            by_scene.entry(r.scene).or_default().push(r);
        }
        for (scene, batch) in by_scene {
            match gpu.run_batch(&scenes[&scene].1, &batch) {
                Ok(results) => {
                    for (r, out) in batch.into_iter().zip(results) {
                        // A requester that gave up has nothing to receive.
                        let _ = r.reply.send(Ok(out));
                    }
                }
                Err(e) => {
                    for r in batch {
                        let _ = r.reply.send(Err(e.clone()));
                    }
                }
            }
        }
    }
}

fn words<T: Pod>(v: &[T]) -> &[u32] {
    bytemuck::cast_slice(v)
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

/// A transmitter's interaction tree, its regions `regions` and their chains (node
/// indices from the transmitter on) as words, in its own frame (positions relative to
/// the transmitter), with the offsets of the regions and of the chains.
fn tx_words(set: &BeamSet, regions: &[Region]) -> (Vec<u32>, u32, u32) {
    let tx = set.tx;
    let pair = |x: f64, y: f64| [x as f32, y as f32];
    let nodes: Vec<NodeRecord> = set
        .nodes
        .iter()
        .map(|n| {
            let o = n.origin - tx;
            NodeRecord {
                normal: pair(n.normal.x, n.normal.y),
                offset: n.offset as f32,
                dir: pair(n.dir.x, n.dir.y),
                u_tx: n.u_tx as f32,
                origin: pair(o.x, o.y),
                span_first: n.spans.0,
                span_last: n.spans.1,
                reflect: u32::from(n.reflect),
                parent: n.parent,
                max_t: n.max_t as f32,
                cover: pair(n.cover.0.clamp(-1e30, 1e30), n.cover.1.clamp(-1e30, 1e30)),
                pad: 0,
            }
        })
        .collect();
    let (mut chains, mut chain) = (Vec::new(), Vec::new());
    let mut records = Vec::with_capacity(regions.len());
    for r in regions {
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
                HalfPlaneRecord { n: pair(nn.x, nn.y), c: c as f32, present: 1 }
            }
            None => HalfPlaneRecord::default(),
        };
        let t = r.to_unfolded.apply(&r.apex) - tx;
        let m = r.to_unfolded.m;
        records.push(RegionRecord {
            apex: pair(apex.x, apex.y),
            right: pair(right.x, right.y),
            left: pair(left.x, left.y),
            start: half(&r.start),
            end: half(&r.end),
            m: [m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]].map(|v| v as f32),
            t: pair(t.x, t.y),
            last: r.last,
            len: r.len,
            reflections: r.reflections,
            holds_apex: u32::from(r.holds_apex),
            min_distance: r.min_distance as f32,
            t_product: r.t_product as f32,
            t_cover: pair(r.t_cover.0.clamp(-1e30, 1e30), r.t_cover.1.clamp(-1e30, 1e30)),
            bounds: r.reflection_bounds.map(|b| BoundRecord { line: b.line, cos_min: b.cos_min as f32 }),
            chain: chains.len() as u32,
            pad: [0; 3],
        });
        set.chain(r, &mut chain);
        chains.extend_from_slice(&chain);
    }
    debug_assert!(set.nodes.iter().all(|n| n.parent == NO_NODE || (n.parent as usize) < set.nodes.len()));
    let mut w = Vec::with_capacity(words(&nodes).len() + words(&records).len() + chains.len());
    w.extend_from_slice(words(&nodes));
    let off_regions = w.len() as u32;
    w.extend_from_slice(words(&records));
    let off_chains = w.len() as u32;
    w.extend_from_slice(&chains);
    (w, off_regions, off_chains)
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
    off_tbounds: u32,
    tiles_x: usize,
    /// Length of the longest tile list.
    longest: usize,
}

/// Bins every region into the tiles of rows `rows` of `grid` that hold a cell centre
/// within [`BIN_MARGIN_M`] of its clipped polygon, in region order: exact for convex
/// polygons (a tile row's strip of the polygon is convex, so its x extent meets every
/// tile it spans), so that no invocation walks a region that cannot hold its cell.
fn bins(shapes: &[Option<Shape>], grid: &Grid, rows: &std::ops::Range<usize>) -> (Vec<Vec<u32>>, usize) {
    let tiles_x = grid.nx.div_ceil(TILE);
    let tiles_y = rows.len().div_ceil(TILE);
    let mut bins: Vec<Vec<u32>> = vec![Vec::new(); tiles_x * tiles_y];
    let m = BIN_MARGIN_M;
    for (r, shape) in shapes.iter().enumerate() {
        let Some(shape) = shape else { continue };
        if shape.rows.end <= rows.start || shape.rows.start >= rows.end {
            continue;
        }
        let first = shape.rows.start.max(rows.start) - rows.start;
        let last = shape.rows.end.min(rows.end) - rows.start;
        for ty in first / TILE..last.div_ceil(TILE).min(tiles_y) {
            // The strip of cell centres of this tile row.
            let r0 = rows.start + ty * TILE;
            let r1 = (r0 + TILE).min(rows.end);
            let y0 = grid.ymin + (r0 as f64 + 0.5) * grid.cell - m;
            let y1 = grid.ymin + (r1 as f64 - 0.5) * grid.cell + m;
            let Some((xl, xh)) = strip_x_extent(&shape.poly, y0, y1) else { continue };
            let c0 = ((xl - m - grid.xmin) / grid.cell - 0.5).ceil().max(0.0);
            let c1 = ((xh + m - grid.xmin) / grid.cell - 0.5).floor().min(grid.nx as f64 - 1.0);
            if c0 > c1 {
                continue;
            }
            for tx in c0 as usize / TILE..=c1 as usize / TILE {
                bins[ty * tiles_x + tx].push(r as u32);
            }
        }
    }
    (bins, tiles_x)
}

fn band_words(
    shapes: &[Option<Shape>],
    t_bounds: &[f32],
    grid: &Grid,
    verticals: &[VerticalPath],
    mask: Option<&[bool]>,
    rows: &std::ops::Range<usize>,
) -> BandWords {
    let (bins, tiles_x) = bins(shapes, grid, rows);
    let (mut events, mut legs) = (Vec::new(), Vec::new());
    let records: Vec<VerticalRecord> = verticals
        .iter()
        .map(|v| {
            let (event_start, leg_start) = (events.len() as u32, legs.len() as u32);
            events.extend(v.events.iter().map(|e| EventRecord {
                plane: e.plane,
                reflect: u32::from(e.reflect),
                travel: e.travel as f32,
            }));
            legs.extend(v.legs().iter().map(|l| LegRecord { v: l.0 as f32, z: l.1 as f32, slope: l.2 as f32 }));
            VerticalRecord {
                travel: v.travel as f32,
                reflections: v.reflections,
                event_start,
                event_count: v.events.len() as u32,
                leg_start,
                leg_count: v.legs().len() as u32,
                z_lo: v.z_lo as f32,
                z_hi: v.z_hi as f32,
            }
        })
        .collect();
    let mut g: Vec<u32> = words(&records).to_vec();
    let off_events = g.len() as u32;
    g.extend_from_slice(words(&events));
    let off_legs = g.len() as u32;
    g.extend_from_slice(words(&legs));
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
    let off_tbounds = g.len() as u32;
    g.extend_from_slice(words(t_bounds));
    let longest = bins.iter().map(Vec::len).max().unwrap_or(0);
    BandWords { words: g, off_events, off_legs, off_tiles, off_items, off_mask, off_tbounds, tiles_x, longest }
}

impl Backend for GpuBackend {
    fn name(&self) -> &'static str {
        "gpu"
    }

    fn adapter(&self) -> Option<String> {
        Some(self.adapter_name())
    }

    fn run(&self, job: &Job, sink: &(dyn Fn(usize, TxMaps) + Sync)) -> Result<RunStats, SolverError> {
        let shared = Shared::new(job)?;
        // Per frequency, the scene's words and after them every antenna table its
        // transmitters use (each once: APs hung alike share theirs), uploaded once for
        // the whole run rather than with every generation's regions.
        let mut words_of: BTreeMap<u64, SceneWords> = BTreeMap::new();
        let mut antenna_at = vec![NONE; job.transmitters.len()];
        let mut tables: Vec<(u64, &Arc<GainTable>, u32)> = Vec::new();
        for (i, tx) in job.transmitters.iter().enumerate() {
            let f = tx.f_ghz.to_bits();
            let sw = words_of.entry(f).or_insert_with(|| scene_words(&shared, i));
            if let Some(table) = &tx.antenna {
                antenna_at[i] = match tables.iter().find(|(g, t, _)| *g == f && Arc::ptr_eq(t, table)) {
                    Some(&(_, _, at)) => at,
                    None => {
                        let at = sw.words.len() as u32;
                        sw.words.extend_from_slice(words(table.values()));
                        tables.push((f, table, at));
                        at
                    }
                };
            }
        }
        let mut scenes: BTreeMap<u64, (SceneWords, wgpu::Buffer)> = BTreeMap::new();
        for (f, sw) in words_of {
            if sw.words.len() * 4 > self.max_binding() {
                return Err(SolverError::Gpu(format!(
                    "the scene needs {} MiB, over the adapter's binding limit",
                    sw.words.len() >> 18
                )));
            }
            let buffer = self.storage("scene", &sw.words);
            scenes.insert(f, (sw, buffer));
        }
        let (sender, requests) = mpsc::channel();
        let scenes = &scenes;
        std::thread::scope(|scope| {
            scope.spawn(move || serve(self, scenes, requests));
            let device = Device { gpu: self, sender, scenes, antenna_at: &antenna_at };
            let r = shared.run(&device, sink);
            // The device thread ends when the last sender is gone.
            drop(device);
            Ok(RunStats { backend: "gpu", ..r? })
        })
    }
}

/// The device evaluation of a batch: the scene uploaded once per frequency; each
/// generation's regions, from every tracing thread at once, sent to the device thread
/// ([`serve`]), which runs whatever is waiting as one batch.
struct Device<'s> {
    sender: mpsc::Sender<Request>,
    /// Per frequency (bits of f [GHz]): the scene's words and their buffer.
    scenes: &'s BTreeMap<u64, (SceneWords, wgpu::Buffer)>,
    /// Per transmitter, where its antenna table lies in its scene's words (`NONE`:
    /// isotropic).
    antenna_at: &'s [u32],
    gpu: &'s GpuBackend,
}

impl Evaluator for Device<'_> {
    fn accumulate(
        &self,
        shared: &Shared,
        i: usize,
        set: &BeamSet,
        regions: std::ops::Range<usize>,
        maps: &mut [Vec<f64>],
    ) -> Result<(), SolverError> {
        let job = shared.job;
        let scene = job.transmitters[i].f_ghz.to_bits();
        let sw = &self.scenes[&scene].0;
        let generation = &set.regions[regions.clone()];
        // A generation's regions share their number of reflections: with none, they are
        // the direct paths (every cell's first), else the cutoff applies.
        let sweep = generation.first().is_some_and(|r| r.reflections > 0);
        let (tw, off_regions, off_chains) = tx_words(set, generation);
        let off_antenna = self.antenna_at[i];
        if tw.len() * 4 > self.gpu.max_binding() || generation.iter().any(|r| (r.reflections > 0) != sweep) {
            // Regions beyond one binding (or a mixed range): evaluated on the host.
            return Host.accumulate(shared, i, set, regions, maps);
        }
        let tw = Arc::new(tw);
        let stopped = || SolverError::Gpu("the device thread stopped".into());
        let mut waiting = Vec::new();
        let fs = shared.wavelength(i) / (4.0 * std::f64::consts::PI);
        for (k, (grid, map)) in job.grids.iter().zip(maps.iter_mut()).enumerate() {
            let mask = job.masks.map(|m| m[k].as_slice());
            if mask.is_some_and(|m| !m.contains(&true)) {
                continue;
            }
            let verticals = shared.verticals(i, k);
            let ctx = shared.context(i);
            let max_reflections = job.settings.max_reflections;
            // A reflected region whose every path is below the cutoff of its weakest cell
            // (as the totals stand before this generation) is not binned: the host's
            // pruning of `evaluate_band`, with totals that can only be lower.
            let n = verticals.len();
            let (shapes, t_bounds): (Vec<_>, Vec<_>) = generation
                .par_iter()
                .map_init(
                    || (Vec::new(), Vec::new()),
                    |(kept, crossings), r| {
                        let mut t_bounds = vec![-1f32; n];
                        let Some(shape) = shape_of(r, grid) else { return (None, t_bounds) };
                        crossings.clear();
                        let weakest = if r.reflections == 0 {
                            0.0
                        } else {
                            shared.crossing_bounds(i, set, r, &shape, &verticals, crossings);
                            weakest_cutoff(&shape, grid, map, shared.relative)
                        };
                        kept_verticals(&ctx, set, r, &verticals, crossings, max_reflections, weakest, kept);
                        for &(v, t) in kept.iter() {
                            t_bounds[v] = t as f32;
                        }
                        ((!kept.is_empty()).then_some(shape), t_bounds)
                    },
                )
                .unzip();
            let t_bounds: Vec<f32> = t_bounds.concat();
            if shapes.iter().all(Option::is_none) {
                continue;
            }
            // Bands of whole tiles (the batch's 2D dispatch takes any number of them).
            let band_rows = ((MAX_CELLS_PER_REQUEST / grid.nx.max(1)) / TILE * TILE).max(TILE);
            for row0 in (0..grid.ny).step_by(band_rows) {
                let rows = row0..(row0 + band_rows).min(grid.ny);
                let band = rows.start * grid.nx..rows.end * grid.nx;
                let bw = band_words(&shapes, &t_bounds, grid, &verticals, mask, &rows);
                if bw.longest == 0 {
                    continue;
                }
                if bw.words.len() * 4 > self.gpu.max_binding() {
                    // Too many bins for one binding: the host takes this band.
                    let only: Vec<bool> =
                        (0..grid.len()).map(|c| band.contains(&c) && mask.is_none_or(|m| m[c])).collect();
                    shared.accumulate(i, set, regions.clone(), k, Some(&only), map);
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
                    sweep: u32::from(sweep),
                    off_nodes: 0,
                    off_chains,
                    off_tbounds: bw.off_tbounds,
                    tile_base: 0,
                    cell_base: 0,
                    off_verticals: 0,
                    off_antenna,
                };
                let (reply, answer) = mpsc::channel();
                self.sender
                    .send(Request {
                        scene,
                        tx: tw.clone(),
                        init: map[band.clone()].iter().map(|&g| g as f32).collect(),
                        tiles: bw.tiles_x * rows.len().div_ceil(TILE),
                        longest: bw.longest,
                        band: bw.words,
                        params,
                        reply,
                    })
                    .map_err(|_| stopped())?;
                waiting.push((k, rows, answer));
            }
        }
        let mut flagged: Vec<Vec<bool>> = vec![Vec::new(); job.grids.len()];
        for (k, rows, answer) in waiting {
            let (gain, flags) = answer.recv().map_err(|_| stopped())?.map_err(SolverError::Gpu)?;
            let grid = &job.grids[k];
            let mask = job.masks.map(|m| m[k].as_slice());
            let band = rows.start * grid.nx..rows.end * grid.nx;
            for (c, (&g, &fl)) in band.zip(gain.iter().zip(&flags)) {
                if mask.is_some_and(|m| !m[c]) {
                    continue;
                }
                // A flagged cell keeps its total from before this generation: the host
                // adds the generation's paths to it in f64.
                if fl != 0 {
                    flagged[k].resize(grid.len(), false);
                    flagged[k][c] = true;
                } else {
                    maps[k][c] = f64::from(g);
                }
            }
        }
        for (k, flagged) in flagged.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
            shared.accumulate(i, set, regions.clone(), k, Some(flagged), &mut maps[k]);
        }
        Ok(())
    }
}
