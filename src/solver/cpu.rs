//! The CPU backend: beam tracing per transmitter, then every receiver cell evaluated
//! against the regions that contain it, in parallel with rayon over transmitters and
//! bands of grid rows. Each cell is summed by one task in a fixed order (regions in
//! tracing order, then vertical paths), so results do not depend on the thread count.

use super::beams::{BeamSet, Region};
use super::path::{Horizontal, PathContext};
use super::shared::{Crossing, Evaluator, Shape, Shared, kept_verticals, least_in, rows_of, shape_of};
use super::vertical::VerticalPath;
use super::{Backend, Job, RunStats, SolverError, TxMaps};
use crate::scene::Grid;
use nalgebra::Point2;
use rayon::prelude::*;

type P = Point2<f64>;

/// Grid rows per parallel task.
const BAND_ROWS: usize = 8;

/// Regions whose shapes and crossing bounds are held at once.
const CHUNK_REGIONS: usize = 16_384;

/// The rayon backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuBackend;

/// Adds every path of every region into the rows `rows` of `grid`.
///
/// Regions without reflection go first (every cell has exactly one, the direct path
/// through walls, with each of its vertical paths); the cell's running total then sets a
/// cutoff, `relative_cutoff` times it, below which a path of the other regions is not
/// worth evaluating. A region is skipped for a vertical path when a bound of its paths
/// over the whole region is below the cutoff of its weakest cell; a path, when its
/// bound at the cell is. Every dropped path is below `relative_cutoff` times the final
/// total of its cell.
#[allow(clippy::too_many_arguments)]
fn evaluate_band(
    ctx: &PathContext,
    regions: &[Region],
    set: &BeamSet,
    grid: &Grid,
    verticals: &[VerticalPath],
    max_reflections: u32,
    relative_cutoff: f64,
    mask: Option<&[bool]>,
    shapes: &[Option<Shape>],
    crossings: &[Vec<Crossing>],
    rows: std::ops::Range<usize>,
    acc: &mut [f64],
) {
    let mut chain = Vec::new();
    let mut kept: Vec<(usize, f64)> = Vec::new();
    let mut horizontal = Horizontal::default();
    for pass in 0..2 {
        for ((region, shape), crossings) in regions.iter().zip(shapes).zip(crossings) {
            if (region.reflections == 0) != (pass == 0) {
                continue;
            }
            let Some(shape) = shape else { continue };
            if shape.rows.end <= rows.start || shape.rows.start >= rows.end {
                continue;
            }
            let spans = rows_of(shape, grid, &rows);
            if spans.is_empty() {
                continue;
            }
            let weakest = if pass == 0 { 0.0 } else { least_in(&spans, acc, grid.nx, rows.start) * relative_cutoff };
            kept_verticals(ctx, set, region, verticals, crossings, max_reflections, weakest, &mut kept);
            if kept.is_empty() {
                continue;
            }
            set.chain(region, &mut chain);
            for (iy, first, last) in spans {
                let row = (iy - rows.start) * grid.nx;
                for ix in first..=last {
                    if mask.is_some_and(|m| !m[iy * grid.nx + ix]) {
                        continue;
                    }
                    let (x, y) = grid.centre(ix, iy);
                    let p = P::new(x, y);
                    if !region.contains(&p) {
                        continue;
                    }
                    // The cutoff follows the cell's running total, direct path first.
                    let mut total = acc[row + ix];
                    ctx.horizontal(set, region, &p, &mut horizontal);
                    for &(k, t_bound) in &kept {
                        let v = &verticals[k];
                        let crossing = crossings.get(k).copied().unwrap_or(Crossing::OPEN);
                        let cutoff = total * relative_cutoff;
                        total += ctx.path_gain(set, region, &chain, &mut horizontal, v, cutoff, t_bound, crossing);
                    }
                    acc[row + ix] = total;
                }
            }
        }
    }
}

impl Shared<'_> {
    /// Adds the paths of `set`'s regions `regions` to the linear gains `acc` of grid
    /// `k`, for the cells of `mask`. Regions without reflection must come before the
    /// others (earlier in `regions`, or in an earlier call), so that each cell's running
    /// total (and with it the cutoff) starts from its direct path.
    pub(super) fn accumulate(
        &self,
        i: usize,
        set: &BeamSet,
        regions: std::ops::Range<usize>,
        k: usize,
        mask: Option<&[bool]>,
        acc: &mut [f64],
    ) {
        self.accumulate_in_chunks(i, set, regions, k, mask, acc, CHUNK_REGIONS);
    }

    /// [`Shared::accumulate`], holding the shapes and crossing bounds of `chunk` regions
    /// at a time.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn accumulate_in_chunks(
        &self,
        i: usize,
        set: &BeamSet,
        regions: std::ops::Range<usize>,
        k: usize,
        mask: Option<&[bool]>,
        acc: &mut [f64],
        chunk: usize,
    ) {
        let grid = &self.job.grids[k];
        let ctx = self.context(i);
        let verticals = self.verticals(i, k);
        // In chunks of regions, so that their shapes and crossing bounds take bounded
        // memory however wide a generation grows. Each cell still takes the regions in
        // order, each judged against the total of those before it: the sums do not move.
        for start in regions.clone().step_by(chunk) {
            let chunk = &set.regions[start..start.saturating_add(chunk).min(regions.end)];
            // Direct regions are judged against the power floor only (their cutoff is 0):
            // their crossing bounds are not worth computing.
            let (shapes, crossings): (Vec<Option<Shape>>, Vec<Vec<Crossing>>) = chunk
                .par_iter()
                .map(|r| {
                    let shape = shape_of(r, grid);
                    let mut crossings = Vec::new();
                    if let Some(s) = shape.as_ref().filter(|_| r.reflections > 0) {
                        self.crossing_bounds(i, set, r, s, &verticals, &mut crossings);
                    }
                    (shape, crossings)
                })
                .unzip();
            acc.par_chunks_mut(BAND_ROWS * grid.nx).enumerate().for_each(|(b, band)| {
                let rows = b * BAND_ROWS..(b * BAND_ROWS + BAND_ROWS).min(grid.ny);
                evaluate_band(
                    &ctx,
                    chunk,
                    set,
                    grid,
                    &verticals,
                    self.job.settings.max_reflections,
                    self.relative,
                    mask,
                    &shapes,
                    &crossings,
                    rows,
                    band,
                );
            });
        }
    }
}

impl Backend for CpuBackend {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn run(&self, job: &Job, sink: &(dyn Fn(usize, TxMaps) + Sync)) -> Result<RunStats, SolverError> {
        Ok(RunStats { backend: "cpu", ..Shared::new(job)?.run(&Host, sink)? })
    }
}

/// The host evaluation (rayon over bands of rows), the reference.
pub(super) struct Host;

impl Evaluator for Host {
    fn accumulate(
        &self,
        shared: &Shared,
        i: usize,
        set: &BeamSet,
        regions: std::ops::Range<usize>,
        maps: &mut [Vec<f64>],
    ) -> Result<(), SolverError> {
        let masks = shared.job.masks;
        for (k, map) in maps.iter_mut().enumerate() {
            shared.accumulate(i, set, regions.clone(), k, masks.map(|m| m[k].as_slice()), map);
        }
        Ok(())
    }
}
