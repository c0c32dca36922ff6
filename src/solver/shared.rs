//! What both backends share on the host: per frequency, the coefficient tables and the
//! bounds the tracer and the evaluation need ([`prepare`]); a region's shape on a grid;
//! the region-level pruning of the evaluation; and the one tracing loop ([`Shared::run`]:
//! every transmitter in parallel, traced with the energy criterion, each generation added
//! to its maps by an [`Evaluator`], the host's or the device's).

use super::beams::{self, BeamSet, HalfPlane, Iso, Region, SpanBound, TraceLimits, TraceStats, Walls};
use super::energy::EnergyCut;
use super::path::PathContext;
use super::vertical::{VerticalPath, vertical_paths};
use super::{Job, RunStats, SolverError, TxMaps};
use crate::geometry::clip_polygon;
use crate::materials::SPEED_OF_LIGHT;
use crate::scene::Grid;
use crate::scene::Scene;
use crate::scene::tables::CoefficientTable;
use nalgebra::{Point2, Vector2};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

type P = Point2<f64>;

/// Per frequency: tables and the bounds the tracer and the evaluation need.
pub(super) struct Prepared {
    pub(super) table: CoefficientTable,
    pub(super) spans: Vec<Vec<SpanBound>>,
    /// Per wall line: the largest |R|² of its slab types over cos θ ≥ i / N, shared
    /// between the lines of the same slab types.
    pub(super) line_reflection_max: Vec<Arc<[f32]>>,
    pub(super) plane_reflection_max: Vec<Vec<f32>>,
    /// Per slab plane: the largest |T|² of its slab types over cos θ ≥ i / N, at index i
    /// (N the table's intervals) [1].
    pub(super) plane_transmission_max: Vec<Vec<f32>>,
    /// Per slab plane: the largest |T|² of its slab types at sample i [1].
    pub(super) plane_transmission_at: Vec<Vec<f32>>,
    pub(super) plane_max_t: Vec<f64>,
    pub(super) plane_max_r: Vec<f64>,
}

/// Largest |R|² of a table sample.
fn reflection_power(v: &[f32; 8]) -> f32 {
    (v[0] * v[0] + v[1] * v[1]).max(v[2] * v[2] + v[3] * v[3])
}

/// Largest |T|² of a table sample.
fn transmission_power(v: &[f32; 8]) -> f32 {
    (v[4] * v[4] + v[5] * v[5]).max(v[6] * v[6] + v[7] * v[7])
}

/// Turns per-sample values into the largest value at any sample from i up.
fn suffix_max(values: &mut [f32]) {
    for i in (0..values.len().saturating_sub(1)).rev() {
        values[i] = values[i].max(values[i + 1]);
    }
}

pub(super) fn prepare(scene: &Scene, f_ghz: f64, intervals: usize) -> Result<Prepared, SolverError> {
    let table = CoefficientTable::build(scene, f_ghz, intervals)?;
    let samples = |st: u32| &table.values[st as usize * (intervals + 1)..(st as usize + 1) * (intervals + 1)];
    let mut spans = Vec::with_capacity(scene.lines.len());
    let mut line_reflection_max = Vec::with_capacity(scene.lines.len());
    // A campus has thousands of wall lines but a handful of slab-type combinations: the
    // bound of each combination is made once (this loop was most of a small job's set-up).
    let mut by_types: BTreeMap<Vec<u32>, Arc<[f32]>> = BTreeMap::new();
    for l in &scene.lines {
        let mut bounds = Vec::new();
        let mut types = Vec::new();
        for (k, s) in scene.spans[l.span_start as usize..(l.span_start + l.span_count) as usize].iter().enumerate() {
            let layers = &scene.layers[s.layer_start as usize..(s.layer_start + s.layer_count) as usize];
            let contiguous = !layers.is_empty() && layers.windows(2).all(|w| w[1].z0 <= w[0].z1);
            let cover = if contiguous {
                (f64::from(layers[0].z0), f64::from(layers[layers.len() - 1].z1))
            } else {
                (f64::INFINITY, f64::NEG_INFINITY)
            };
            let max_t =
                layers.iter().map(|x| f64::from(table.max_transmission[x.slab_type as usize])).fold(0.0, f64::max);
            let index = l.span_start + k as u32;
            bounds.push(SpanBound { u0: f64::from(s.u0), u1: f64::from(s.u1), max_t, cover, index });
            types.extend(layers.iter().map(|x| x.slab_type));
        }
        types.sort_unstable();
        types.dedup();
        let refl = by_types
            .entry(types)
            .or_insert_with_key(|types| {
                let mut refl = vec![0f32; intervals + 1];
                for &st in types {
                    for (r, v) in refl.iter_mut().zip(samples(st)) {
                        *r = r.max(reflection_power(v));
                    }
                }
                // The largest |R|² at any cosine from sample i up.
                suffix_max(&mut refl);
                refl.into()
            })
            .clone();
        spans.push(bounds);
        line_reflection_max.push(refl);
    }
    let (mut plane_max_t, mut plane_max_r, mut plane_reflection_max) = (Vec::new(), Vec::new(), Vec::new());
    let (mut plane_transmission_max, mut plane_transmission_at) = (Vec::new(), Vec::new());
    for k in 0..scene.planes.len() {
        // A crossing may miss every footprint of its plane (another building's roof at
        // that altitude), where nothing attenuates: a crossing's bound is 1.
        let (mt, mut mr) = (1f64, 0f64);
        let mut refl = vec![0f32; intervals + 1];
        let mut trans = vec![0f32; intervals + 1];
        for p in scene.plane_polygons(k) {
            mr = mr.max(f64::from(table.max_reflection[p.slab_type as usize]));
            for ((r, t), v) in refl.iter_mut().zip(trans.iter_mut()).zip(samples(p.slab_type)) {
                *r = r.max(reflection_power(v));
                *t = t.max(transmission_power(v));
            }
        }
        plane_transmission_at.push(trans.clone());
        suffix_max(&mut trans);
        plane_transmission_max.push(trans);
        plane_max_t.push(mt);
        plane_max_r.push(mr);
        plane_reflection_max.push(refl);
    }
    Ok(Prepared {
        table,
        spans,
        line_reflection_max,
        plane_reflection_max,
        plane_transmission_max,
        plane_transmission_at,
        plane_max_t,
        plane_max_r,
    })
}

/// The region as half-planes {n·p − c ≥ 0} (closed versions of its tests).
fn region_planes(r: &Region) -> Vec<(Vector2<f64>, f64)> {
    let mut out = Vec::with_capacity(4);
    let nr = Vector2::new(-r.right.y, r.right.x);
    out.push((nr, nr.dot(&r.apex.coords)));
    let nl = Vector2::new(r.left.y, -r.left.x);
    out.push((nl, nl.dot(&r.apex.coords)));
    if let Some(HalfPlane { n, c }) = r.start {
        out.push((n, c));
    }
    if let Some(HalfPlane { n, c }) = r.end {
        out.push((-n, -c));
    }
    out
}

/// A region clipped to a grid: its polygon and the rows [lo, hi) its cell centres may
/// occupy.
pub(super) struct Shape {
    pub(super) poly: Vec<P>,
    pub(super) rows: std::ops::Range<usize>,
}

/// The shape of `region` on `grid`, or `None` when it misses the grid.
pub(super) fn shape_of(region: &Region, grid: &Grid) -> Option<Shape> {
    let eps = 1e-9 * grid.cell;
    let (x0, y0) = (grid.xmin - eps, grid.ymin - eps);
    let (x1, y1) = (grid.xmin + grid.nx as f64 * grid.cell + eps, grid.ymin + grid.ny as f64 * grid.cell + eps);
    let mut poly = vec![P::new(x0, y0), P::new(x1, y0), P::new(x1, y1), P::new(x0, y1)];
    for (n, c) in region_planes(region) {
        poly = clip_polygon(&poly, n, c);
        if poly.len() < 3 {
            return None;
        }
    }
    let (lo, hi) = poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.y), b.max(p.y)));
    let first = (((lo - grid.ymin) / grid.cell - 0.5).ceil() - 1.0).max(0.0) as usize;
    let last = ((((hi - grid.ymin) / grid.cell - 0.5).floor() + 2.0).max(0.0) as usize).min(grid.ny);
    (first < last).then_some(Shape { poly, rows: first..last })
}

/// Cell rows [iy] of `rows` and the columns [ix] of each whose centres may lie in the
/// shape (a conservative scan of its polygon).
pub(super) fn rows_of(shape: &Shape, grid: &Grid, rows: &std::ops::Range<usize>) -> Vec<(usize, usize, usize)> {
    let poly = &shape.poly;
    let mut out = Vec::new();
    for iy in rows.start.max(shape.rows.start)..rows.end.min(shape.rows.end) {
        let yc = grid.ymin + (iy as f64 + 0.5) * grid.cell;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for i in 0..poly.len() {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            if (a.y - yc) * (b.y - yc) <= 0.0 {
                let (xa, xb) = if a.y == b.y {
                    (a.x.min(b.x), a.x.max(b.x))
                } else {
                    let x = a.x + (b.x - a.x) * (yc - a.y) / (b.y - a.y);
                    (x, x)
                };
                lo = lo.min(xa);
                hi = hi.max(xb);
            }
        }
        if lo > hi {
            continue;
        }
        let first = (((lo - grid.xmin) / grid.cell - 0.5).ceil() - 1.0).max(0.0) as usize;
        let last = (((hi - grid.xmin) / grid.cell - 0.5).floor() + 1.0).min(grid.nx as f64 - 1.0);
        if last >= first as f64 {
            out.push((iy, first, last as usize));
        }
    }
    out
}

/// What a region's slab crossings allow for one vertical path
/// ([`Shared::crossing_bounds`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Crossing {
    /// Upper bound of the product of its crossings' |T|² over the region's paths [1].
    pub bound: f64,
    /// Bit j: the path's event j is a crossing that lies on its plane's footprints for
    /// every path of the region (events past the 32nd are never marked).
    pub on_slab: u32,
}

impl Crossing {
    /// Nothing known: every crossing may miss the slab.
    pub const OPEN: Crossing = Crossing { bound: 1.0, on_slab: 0 };
}

/// The vertical paths of `region` worth evaluating (indices into `verticals`), with
/// their transmission bounds, into `kept`: those within the reflection budget whose bound
/// over the whole region is at least `weakest` (the cutoff of the region's weakest cell;
/// 0 keeps them all; never below the power floor). `crossings` holds each vertical
/// path's slab crossing bound ([`Shared::crossing_bounds`]; empty: 1 each). A vertical
/// path left out has every path below the cutoff of every cell of the region.
#[allow(clippy::too_many_arguments)]
pub(super) fn kept_verticals(
    ctx: &PathContext,
    set: &BeamSet,
    region: &Region,
    verticals: &[VerticalPath],
    crossings: &[Crossing],
    max_reflections: u32,
    weakest: f64,
    kept: &mut Vec<(usize, f64)>,
) {
    let fs = ctx.wavelength / (4.0 * std::f64::consts::PI);
    // A path below the power floor is dropped wherever it lands.
    let weakest = weakest.max(ctx.floor);
    kept.clear();
    for (k, v) in verticals.iter().enumerate().filter(|(_, v)| v.reflections + region.reflections <= max_reflections) {
        let t_bound = set.transmission_bound(region, v.z_lo, v.z_hi);
        let l = region.min_distance;
        let d2 = l * l + v.travel * v.travel;
        let horizontal = if d2 > 0.0 { l / d2.sqrt() } else { 1.0 };
        let crossing = crossings.get(k).map_or(1.0, |c| c.bound);
        let bound = fs * fs / d2.max(1e-6) * t_bound * crossing * ctx.reflection_bound(region, v, horizontal, 0.0);
        if bound >= weakest {
            kept.push((k, t_bound));
        }
    }
}

/// The reflecting lines of `region`'s chain in path order, unfolded, each as (n, c) with
/// the transmitter `tx` on the side n·p < c; `None` when the transmitter lies on one.
fn chain_mirrors(set: &BeamSet, region: &Region, tx: &P) -> Option<Vec<(Vector2<f64>, f64)>> {
    let mut mirrors = Vec::with_capacity(region.reflections as usize);
    let mut node = region.last;
    while node != beams::NO_NODE {
        let w = &set.nodes[node as usize];
        if w.reflect {
            let c = w.normal.dot(&w.origin.coords);
            let side = w.normal.dot(&tx.coords) - c;
            if side == 0.0 {
                return None;
            }
            mirrors.push(if side < 0.0 { (w.normal, c) } else { (-w.normal, -c) });
        }
        node = w.parent;
    }
    mirrors.reverse();
    Some(mirrors)
}

/// The least gain of `map`'s cells in `spans` (rows [iy] and column ranges from
/// [`rows_of`]), `map` holding rows from `first_row` on, `nx` cells each [1].
pub(super) fn least_in(spans: &[(usize, usize, usize)], map: &[f64], nx: usize, first_row: usize) -> f64 {
    spans
        .iter()
        .flat_map(|&(iy, a, b)| map[(iy - first_row) * nx + a..=(iy - first_row) * nx + b].iter())
        .fold(f64::INFINITY, |m, &g| m.min(g))
}

/// The cutoff of the weakest cell of `shape` on `map` (a whole grid's linear gains):
/// `relative` times the least gain of the cells its scan may hold [1].
#[cfg_attr(not(feature = "gpu"), allow(dead_code, reason = "the GPU backend's pruning"))]
pub(super) fn weakest_cutoff(shape: &Shape, grid: &Grid, map: &[f64], relative: f64) -> f64 {
    least_in(&rows_of(shape, grid, &(0..grid.ny)), map, grid.nx, 0) * relative
}

pub(super) fn to_db(g: f64) -> f32 {
    if g > 0.0 { crate::materials::to_db(g) as f32 } else { f32::NEG_INFINITY }
}

/// What every transmitter of a batch shares: tables per frequency, the wall lines, the
/// slab altitudes and the altitude range paths may span.
pub(super) struct Shared<'a> {
    pub(super) job: &'a Job<'a>,
    pub(super) prepared: BTreeMap<u64, Prepared>,
    pub(super) lines: Vec<([f64; 2], [f64; 2])>,
    pub(super) altitudes: Vec<f64>,
    pub(super) z_range: (f64, f64),
    pub(super) floor: f64,
    /// The level under which a reflected branch is not followed (at least `floor`) [1].
    pub(super) branch_floor: f64,
    pub(super) relative: f64,
}

impl<'a> Shared<'a> {
    pub(super) fn new(job: &'a Job<'a>) -> Result<Shared<'a>, SolverError> {
        let scene = job.scene;
        let s = &job.settings;
        let mut prepared: BTreeMap<u64, Prepared> = BTreeMap::new();
        for tx in job.transmitters {
            if let std::collections::btree_map::Entry::Vacant(e) = prepared.entry(tx.f_ghz.to_bits()) {
                e.insert(prepare(scene, tx.f_ghz, s.table_intervals)?);
            }
        }
        let lines = scene.lines.iter().map(|l| (l.a.map(f64::from), l.b.map(f64::from))).collect();
        let altitudes = scene.plane_altitudes();
        let z_range = altitudes
            .iter()
            .copied()
            .chain(job.transmitters.iter().map(|t| t.position[2]))
            .chain(job.grids.iter().map(|g| g.z))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), z| (lo.min(z), hi.max(z)));
        Ok(Shared {
            job,
            prepared,
            lines,
            altitudes,
            z_range,
            floor: 10f64.powf(s.power_floor_db / 10.0),
            branch_floor: 10f64.powf(s.power_floor_db.max(s.branch_floor_db) / 10.0),
            relative: 10f64.powf(-s.dynamic_range_db / 10.0),
        })
    }

    /// The tables of transmitter `i`'s frequency.
    pub(super) fn prepared(&self, i: usize) -> &Prepared {
        &self.prepared[&self.job.transmitters[i].f_ghz.to_bits()]
    }

    /// Horizontal position of transmitter `i` [m].
    pub(super) fn tx_point(&self, i: usize) -> P {
        let p = self.job.transmitters[i].position;
        P::new(p[0], p[1])
    }

    /// Wavelength of transmitter `i` [m].
    pub(super) fn wavelength(&self, i: usize) -> f64 {
        SPEED_OF_LIGHT / (self.job.transmitters[i].f_ghz * 1e9)
    }

    /// The walls as transmitter `i`'s tracer sees them.
    fn walls(&self, i: usize) -> Walls<'_> {
        Walls { lines: &self.lines, spans: &self.prepared(i).spans, bvh: &self.job.scene.bvh }
    }

    /// Transmitter `i`'s tracing limits.
    fn limits(&self, i: usize) -> TraceLimits {
        TraceLimits {
            max_reflections: self.job.settings.max_reflections,
            power_floor: self.floor,
            wavelength: self.wavelength(i),
            max_regions: self.job.settings.max_regions,
            z_range: self.z_range,
        }
    }

    /// Traces transmitter `i`'s beams with the energy criterion ([`super::energy`]),
    /// evaluating its maps on every grid generation by generation on the way with
    /// `evaluator` (the regions are dropped as they are evaluated).
    pub(super) fn trace(&self, i: usize, evaluator: &dyn Evaluator) -> Result<Traced, SolverError> {
        let tx = &self.job.transmitters[i];
        let mut cut = EnergyCut::new(self, i, evaluator);
        // The regions are dropped generation by generation: only the stats come back.
        let (_, stats) = beams::trace(self.tx_point(i), &self.walls(i), &self.limits(i), Some(&mut cut))
            .map_err(|source| SolverError::Trace { name: tx.name.clone(), source })?;
        Ok(Traced { stats, maps: cut.into_maps()? })
    }

    /// Traces and evaluates every transmitter of the job, in parallel, handing each one's
    /// maps [dB] to `sink` as soon as they are ready: the one loop of both backends,
    /// which differ only in `evaluator`.
    pub(super) fn run(
        &self,
        evaluator: &dyn Evaluator,
        sink: &(dyn Fn(usize, TxMaps) + Sync),
    ) -> Result<RunStats, SolverError> {
        (0..self.job.transmitters.len())
            .into_par_iter()
            .map(|i| {
                let traced = self.trace(i, evaluator)?;
                let stats = RunStats::of(&traced);
                sink(i, traced.maps.into_iter().map(|m| m.into_iter().map(to_db).collect()).collect());
                Ok(stats)
            })
            .try_reduce(RunStats::default, |a, b| Ok(a.merge(b)))
    }

    /// The planes of transmitter `i`'s storey: no slab plane between their altitude and
    /// the transmitter's, and at least one cell to evaluate (every plane with cells to
    /// evaluate when none is).
    pub(super) fn storey(&self, i: usize) -> Vec<usize> {
        let z = self.job.transmitters[i].position[2];
        let grids = self.job.grids;
        let evaluated: Vec<usize> =
            (0..grids.len()).filter(|&k| self.job.masks.is_none_or(|m| m[k].iter().any(|&c| c))).collect();
        let same: Vec<usize> = evaluated
            .iter()
            .copied()
            .filter(|&k| {
                let (lo, hi) = (z.min(grids[k].z), z.max(grids[k].z));
                !self.altitudes.iter().any(|&a| a > lo + 1e-9 && a < hi - 1e-9)
            })
            .collect();
        if same.is_empty() { evaluated } else { same }
    }

    /// Per vertical path of `verticals`, an upper bound [1] of the product of its slab
    /// crossings' |T|² over the paths of `region` (of transmitter `i`) to the cells of
    /// `shape`, and which of its crossings lie on the slab for all those paths, into
    /// `out` (cleared; left empty when no vertical path crosses a slab).
    ///
    /// A crossing at the fraction f of a path to the receiver U (unfolded) lies at
    /// tx + f (U − tx): over the region's shape and the fractions [f_lo, f_hi] at which
    /// the vertical paths cross a plane, the crossings fill the convex hull of the
    /// shape's two homothetic images. Cut by the chain's reflecting lines (every ray
    /// meets them in chain order) and each piece mapped back to the real frame through
    /// the reflections before it, that hull gives the real places where the crossings can
    /// happen. Where they all lie on the plane's footprints ([`Scene::on_slab`]), the plane
    /// counts its largest |T|² at the most grazing angle the shape allows; elsewhere 1
    /// (a crossing off every footprint meets nothing).
    pub(super) fn crossing_bounds(
        &self,
        i: usize,
        set: &BeamSet,
        region: &Region,
        shape: &Shape,
        verticals: &[VerticalPath],
        out: &mut Vec<Crossing>,
    ) {
        out.clear();
        // Per plane crossed: the least and largest fraction of a path where it happens.
        let mut planes: Vec<(u32, f64, f64)> = Vec::new();
        for v in verticals.iter().filter(|v| v.travel > 0.0) {
            for e in v.events.iter().filter(|e| !e.reflect) {
                let f = e.travel / v.travel;
                match planes.iter_mut().find(|p| p.0 == e.plane) {
                    Some(p) => (p.1, p.2) = (p.1.min(f), p.2.max(f)),
                    None => planes.push((e.plane, f, f)),
                }
            }
        }
        if planes.is_empty() {
            return;
        }
        let tx = self.tx_point(i);
        let unfolded: Vec<P> = shape.poly.iter().map(|p| region.to_unfolded.apply(p)).collect();
        let reach = unfolded.iter().map(|u| (u - tx).norm()).fold(0.0, f64::max);
        let mirrors = chain_mirrors(set, region, &tx);
        let covered: Vec<bool> = planes
            .iter()
            .map(|&(k, lo, hi)| {
                let ends = unfolded.iter().flat_map(|u| [tx + (u - tx) * lo, tx + (u - tx) * hi]);
                let hull = crate::geometry::convex_hull(&ends.collect::<Vec<P>>());
                mirrors.as_ref().is_some_and(|m| self.on_slab(k as usize, hull, m))
            })
            .collect();
        let prep = self.prepared(i);
        let n = prep.table.intervals;
        for v in verticals {
            let mut crossing = Crossing::OPEN;
            if v.travel > 0.0 {
                // The slab cosine V / D is least at the shape's farthest point.
                let cos = v.travel / (reach * reach + v.travel * v.travel).sqrt();
                let index = ((cos * n as f64) as usize).min(n);
                for (j, e) in v.events.iter().enumerate().filter(|(_, e)| !e.reflect) {
                    if planes.iter().zip(&covered).any(|(p, &c)| c && p.0 == e.plane) {
                        crossing.bound *= f64::from(prep.plane_transmission_max[e.plane as usize][index]);
                        if j < 32 {
                            crossing.on_slab |= 1 << j;
                        }
                    }
                }
            }
            out.push(crossing);
        }
    }

    /// Whether every point of the convex polygon `hull` (unfolded frame [m]), each taken
    /// back to the real frame through the mirrors `mirrors` it lies beyond, lies on plane
    /// `plane`'s footprints.
    fn on_slab(&self, plane: usize, hull: Vec<P>, mirrors: &[(Vector2<f64>, f64)]) -> bool {
        if hull.len() < 3 {
            return false;
        }
        let real = |poly: &[P], back: &Iso| poly.iter().map(|p| back.apply(p)).collect::<Vec<P>>();
        let mut back = Iso::identity();
        let mut rest = hull;
        for &(n, c) in mirrors {
            // Closed half-planes: a point on the line is in both pieces.
            let before = clip_polygon(&rest, -n, -c);
            if before.len() >= 3 && !self.job.scene.on_slab(plane, &real(&before, &back)) {
                return false;
            }
            rest = clip_polygon(&rest, n, c);
            if rest.len() < 3 {
                return true;
            }
            back = back.then_after(&Iso::mirror(n, c));
        }
        self.job.scene.on_slab(plane, &real(&rest, &back))
    }

    /// The path context of transmitter `i`.
    pub(super) fn context(&self, i: usize) -> PathContext<'_> {
        let prep = self.prepared(i);
        PathContext {
            scene: self.job.scene,
            table: &prep.table,
            wavelength: self.wavelength(i),
            floor: self.floor,
            line_reflection_max: &prep.line_reflection_max,
            plane_reflection_max: &prep.plane_reflection_max,
            plane_transmission_at: &prep.plane_transmission_at,
            antenna: self.job.transmitters[i].antenna.as_deref(),
        }
    }

    /// Transmitter `i`'s vertical paths to grid `k`, fewest reflections first, so that
    /// each cell's running total (and with it the cutoff) starts from its direct path.
    pub(super) fn verticals(&self, i: usize, k: usize) -> Vec<VerticalPath> {
        let prep = self.prepared(i);
        let mut verticals = vertical_paths(
            &self.altitudes,
            &prep.plane_max_t,
            &prep.plane_max_r,
            self.job.transmitters[i].position[2],
            self.job.grids[k].z,
            self.job.settings.max_reflections,
            self.floor,
            self.wavelength(i),
        );
        verticals.sort_by(|a, b| a.reflections.cmp(&b.reflections).then(a.travel.total_cmp(&b.travel)));
        verticals
    }
}

/// What tracing a transmitter did, and its maps, evaluated on the way.
pub(super) struct Traced {
    pub(super) stats: TraceStats,
    /// Per grid, the linear gains [1].
    pub(super) maps: Vec<Vec<f64>>,
}

/// How a generation of regions is added to a transmitter's maps: on the host or on a
/// device. Regions without reflection come first (their own call), so that each cell's
/// running total, and with it the cutoff, starts from its direct path.
pub(super) trait Evaluator: Sync {
    /// Adds the paths of `set`'s regions `regions` of transmitter `i` to `maps` (linear
    /// gains per grid of the job), for the cells of the job's masks.
    fn accumulate(
        &self,
        shared: &Shared,
        i: usize,
        set: &BeamSet,
        regions: std::ops::Range<usize>,
        maps: &mut [Vec<f64>],
    ) -> Result<(), SolverError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::NONE;
    use crate::scene::tables::T_TE;
    use crate::solver::{Settings, Transmitter};

    /// Two storeys of a 20 × 8 m metal-walled hall inside a 22 × 10 m building (its
    /// reflections are off the slab's outline, where a crossing would find no slab); the
    /// slab between them has a 2 m wide opening (a stairwell) across the building at
    /// x = 9–11 m, where R+1 has no room.
    fn hall() -> Scene {
        let room = |x0: f64, x1: f64| {
            format!(
                "(name: \"r{x0}\", kind: Classroom, outline: [({x0}, -1.0), ({x1}, -1.0), ({x1}, 9.0), ({x0}, 9.0)])"
            )
        };
        let walls = "[(from: (0.0, 0.0), to: (20.0, 0.0), material: \"metal\", thickness: 0.01), \
                      (from: (20.0, 0.0), to: (20.0, 8.0), material: \"metal\", thickness: 0.01), \
                      (from: (20.0, 8.0), to: (0.0, 8.0), material: \"metal\", thickness: 0.01), \
                      (from: (0.0, 8.0), to: (0.0, 0.0), material: \"metal\", thickness: 0.01)]";
        let text = format!(
            "(name: \"hall\", buildings: [(name: \"B\", origin: (0.0, 0.0), rotation: 0.0, ground: 0.0, floors: [\
             (name: \"R0\", elevation: 0.0, height: 3.0, slab: Some((material: \"concrete\", thickness: 0.2)), \
              rooms: [{}], walls: {walls}), \
             (name: \"R1\", elevation: 3.0, height: 3.0, slab: Some((material: \"concrete\", thickness: 0.2)), \
              rooms: [{}, {}], walls: {walls})])])",
            room(-1.0, 21.0),
            room(-1.0, 9.0),
            room(11.0, 21.0)
        );
        let site: crate::plan::Site = ron::from_str(&text).expect("site");
        Scene::build(&site).expect("scene")
    }

    #[test]
    fn every_crossing_a_region_bound_counts_lies_on_the_slab_and_within_the_bound() {
        // Both bounds: the region's (its most grazing angle) and the per-path one that
        // path evaluation takes from the crossings marked on the slab (the plane's largest
        // |T|² at the two table samples around the path's own angle).
        let scene = hall();
        let grid =
            Grid { building: "B".into(), floor: "R1".into(), xmin: 0.0, ymin: 0.0, cell: 0.5, nx: 40, ny: 16, z: 4.2 };
        let transmitters = [Transmitter { name: "T".into(), position: [4.3, 2.9, 2.0], f_ghz: 5.5, antenna: None }];
        let grids = [grid];
        let job = Job {
            scene: &scene,
            transmitters: &transmitters,
            grids: &grids,
            masks: None,
            settings: Settings { max_reflections: 3, ..Settings::default() },
        };
        let shared = Shared::new(&job).expect("shared");
        let (set, _) = beams::trace(shared.tx_point(0), &shared.walls(0), &shared.limits(0), None).expect("trace");
        let verticals = shared.verticals(0, 0);
        let prep = shared.prepared(0);
        let table = &prep.table;
        let (mut bounded, mut open, mut checked) = (0, 0, 0);
        let mut chain = Vec::new();
        let mut bounds = Vec::new();
        for region in set.regions.iter().filter(|r| r.reflections > 0) {
            let Some(shape) = shape_of(region, &grids[0]) else { continue };
            shared.crossing_bounds(0, &set, region, &shape, &verticals, &mut bounds);
            set.chain(region, &mut chain);
            for (v, &Crossing { bound, on_slab }) in verticals.iter().zip(&bounds) {
                assert_eq!(bound < 1.0, on_slab != 0, "a bound without marked crossings, or the reverse");
                if bound < 1.0 {
                    bounded += 1;
                } else if v.events.iter().any(|e| !e.reflect) {
                    open += 1;
                    continue;
                } else {
                    continue;
                }
                for (ix, iy) in (0..40).flat_map(|ix| (0..16).map(move |iy| (ix, iy))) {
                    let (x, y) = grids[0].centre(ix, iy);
                    let p = P::new(x, y);
                    if !region.contains(&p) {
                        continue;
                    }
                    // The path's crossings, as path evaluation finds them.
                    let d = region.to_unfolded.apply(&p) - set.tx;
                    let cos = v.travel / (d.norm_squared() + v.travel * v.travel).sqrt();
                    let mut actual = 1.0;
                    for (j, e) in v.events.iter().enumerate().filter(|(j, e)| !e.reflect && on_slab >> j & 1 == 1) {
                        let f = e.travel / v.travel;
                        let mut q = set.tx + d * f;
                        for w in chain.iter().map(|&n| &set.nodes[n as usize]).rev() {
                            let t = w.offset / w.normal.dot(&d);
                            if w.reflect && t < f {
                                q -= w.normal * (2.0 * w.normal.dot(&(q - w.origin)));
                            }
                        }
                        let slab = scene.slab_at(e.plane as usize, q.x, q.y);
                        assert_ne!(slab, NONE, "a crossing the bound counts at {q:?} is off the slab");
                        let c = table.lookup(slab, cos, T_TE);
                        let power = (c[0] * c[0] + c[1] * c[1]).max(c[2] * c[2] + c[3] * c[3]);
                        let at = &prep.plane_transmission_at[e.plane as usize];
                        let i = ((cos * table.intervals as f64) as usize).min(table.intervals - 1);
                        let quick = f64::from(at[i].max(at[i + 1]));
                        assert!(power <= quick * (1.0 + 1e-6), "event {j}: {power} > {quick} at {p:?}");
                        actual *= power;
                    }
                    assert!(actual <= bound * (1.0 + 1e-9), "{actual} > {bound} at {p:?}");
                    checked += 1;
                }
            }
        }
        // Both cases occur: paths whose crossings may fall in the opening are left at 1.
        assert!(bounded > 20 && open > 100 && checked > 2_000, "{bounded} {open} {checked}");
    }

    #[test]
    fn evaluating_the_regions_in_chunks_gives_the_same_bits() {
        // Every region of six orders in one range (direct ones first), on both storeys
        // of the metal hall: whole, and seven regions at a time.
        let scene = hall();
        let grids: Vec<Grid> = [("R0", 1.0), ("R1", 4.2)]
            .map(|(floor, z)| Grid {
                building: "B".into(),
                floor: floor.into(),
                xmin: 0.0,
                ymin: 0.0,
                cell: 0.5,
                nx: 40,
                ny: 16,
                z,
            })
            .into();
        let transmitters = [Transmitter { name: "T".into(), position: [4.3, 2.9, 2.0], f_ghz: 5.5, antenna: None }];
        let job = Job {
            scene: &scene,
            transmitters: &transmitters,
            grids: &grids,
            masks: None,
            settings: Settings { max_reflections: 6, ..Settings::default() },
        };
        let shared = Shared::new(&job).expect("shared");
        let (set, _) = beams::trace(shared.tx_point(0), &shared.walls(0), &shared.limits(0), None).expect("trace");
        assert!(set.regions.len() > 300, "{} regions", set.regions.len());
        for (k, grid) in grids.iter().enumerate() {
            let mut whole = vec![0.0; grid.len()];
            let mut chunked = whole.clone();
            shared.accumulate_in_chunks(0, &set, 0..set.regions.len(), k, None, &mut whole, usize::MAX);
            shared.accumulate_in_chunks(0, &set, 0..set.regions.len(), k, None, &mut chunked, 7);
            assert!(whole.iter().all(|&g| g > 0.0), "plane {k}: a cell without a path");
            assert!(whole.iter().zip(&chunked).all(|(a, b)| a.to_bits() == b.to_bits()), "plane {k}: a cell moved");
        }
    }
}
