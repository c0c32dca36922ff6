//! Energy-based termination: which branches of a transmitter's beam tree are worth
//! tracing, decided against what the cells already receive.
//!
//! # Criterion
//!
//! Beams are traced generation by generation (a generation: the regions with the same
//! number of wall reflections), and each generation is evaluated on the receiver planes
//! before the next one is decided, so that every decision sees what the cells already
//! receive: the direct field first, then every earlier order. With ε = 10^(−dynamic
//! range / 10), at each wall a beam meets:
//! - the branch through the wall is followed while, somewhere in the region the beam
//!   lights before that wall, a strict bound of the beam's own paths is at least ε times
//!   what that cell already receives (a beam without reflection is always followed: it
//!   is the direct field);
//! - the reflected branch, likewise with the bound times the wall's largest |R|² at the
//!   ray's own incidence, once the generation has been evaluated.
//!
//! The region is judged tile by tile (4 × 4 cells): at a tile, the paths start in the
//! direction of the tile centre's unfolded image within the tile's angular size and are
//! at least as long as its nearest point; the bound is free space over that length (with
//! each vertical path's travel), each wall crossed at its largest |T|² where its pieces
//! have no gap over the altitudes that vertical path spans (1 where they have one), each
//! wall reflection's largest |R|² at angles at least as steep as the tile allows, and
//! each vertical path's slab bound, summed over the storey's vertical paths. A level is
//! never below the branch floor (`Settings::branch_floor_db`, −130 dB path gain by
//! default: even at the strongest EIRP allowed at 5 GHz, 6 dB under the noise of a 20 MHz
//! channel), whatever the cells receive: far from the transmitter, behind many walls,
//! cells receive so little that every branch would reach ε times it. A tile whose
//! bound passes its least cell is then checked cell by cell (a tile's least cell often
//! lies across a wall from the region). Regions that miss every plane of the storey are
//! judged at their nearest point against the least the storey receives anywhere. Cells
//! a job's mask leaves out count as receiving nothing, so a beam that crosses only them
//! is followed: a mask changes which cells are evaluated, never their values.
//!
//! # What it guarantees
//!
//! Each cut branch was, where it was cut, below ε times what every cell of the region it
//! was leaving already received; its later legs only lose more (every interaction
//! multiplies by a coefficient ≤ 1 and lengthens the path). Its descendants land
//! elsewhere (beyond the wall, or back after more reflections), where the same locality
//! is assumed rather than proven: a branch weak against the field where it is stays weak
//! against the field where it goes, both being attenuated by the walls between. Measured
//! (see the tests): going from 40 to 60 dB moves no cell of the demo lycée whose path
//! gain is above −115 dB (the noise of a 20 MHz channel for a 14 dBm AP) by more than
//! 0.13 dB, none above −100 dB by more than 0.03 dB (3 reflections, 0.5 m cells); in a
//! closed metal box (|R|² ≈ 1, 8 reflections) the mean error against the image sum is
//! 2.9 / 1.3 / 0.08 / 0.002 dB at 10 / 20 / 30 / 40 dB. The largest moves are at the
//! campus's edges, far below the noise (1.3 dB at −126 dB path gain), where the field is
//! what escaped through windows and slabs after reflections.
//! The branch floor adds the branches whose every path is below −130 dB: measured on the
//! demo lycée (50 APs, 3 reflections, 0.25 m cells, every per-AP map against the same
//! run with the floor at −150 dB), no cell above −100 dB path gain moves by more than
//! 0.012 dB, none above −115 dB by more than 0.10 dB (mean 10⁻⁴ dB); 48 of 2.8 million
//! cells, all below −126 dB, lose the little they had. It saves about a sixth of the
//! demo's time (126.7 → 105.4 s on 2 cores) and a quarter at 5 reflections.
//! The per-path cutoff of the evaluation (a path is skipped where its bound is below ε
//! times its cell's running total) uses the same ε.

use super::SolverError;
use super::beams::{BeamSet, BranchCut, NO_NODE, Node, Region, transmission_along};
use super::shared::{Evaluator, Shared, shape_of};
use super::vertical::VerticalPath;
use crate::geometry::strip_x_extent;
use crate::scene::Grid;

/// Cells per side of a tile of the minimum pyramid.
const TILE: usize = 4;

/// Most reflections a bound walks per chain; beyond, each counts |R|² = 1 (still strict).
const MAX_CHAIN: usize = 32;

/// What one plane already receives, as tile minima: a conservative min over any region.
struct TileMins<'g> {
    grid: &'g Grid,
    tiles_x: usize,
    tiles_y: usize,
    /// Per tile: the least direct gain of its evaluated cells (+∞ when none) [1].
    mins: Vec<f64>,
}

impl<'g> TileMins<'g> {
    /// No cell evaluated yet.
    fn empty(grid: &'g Grid) -> TileMins<'g> {
        TileMins { grid, tiles_x: 0, tiles_y: 0, mins: Vec::new() }
    }

    /// The minima of `map` [1] over every cell, those outside the mask included: they
    /// hold 0 (not evaluated), so that a beam crossing only them is never cut — its
    /// descendants may come back to evaluated cells (a reflection off a neighbour's
    /// façade, a path through a staircase).
    fn new(grid: &'g Grid, map: &[f64]) -> TileMins<'g> {
        let (tiles_x, tiles_y) = (grid.nx.div_ceil(TILE), grid.ny.div_ceil(TILE));
        let mut mins = vec![f64::INFINITY; tiles_x * tiles_y];
        for iy in 0..grid.ny {
            for ix in 0..grid.nx {
                let t = &mut mins[(iy / TILE) * tiles_x + ix / TILE];
                *t = t.min(map[iy * grid.nx + ix]);
            }
        }
        TileMins { grid, tiles_x, tiles_y, mins }
    }

    /// Visits the tiles `region` may cover (a superset of those holding one of its cell
    /// centres) as (tile index, tile centre x, y [m]) until `visit` returns true; `None`
    /// when the region misses the plane, else whether a visit returned true.
    fn any_tile(&self, region: &Region, mut visit: impl FnMut(usize, f64, f64) -> bool) -> Option<bool> {
        if self.mins.is_empty() {
            return None;
        }
        let shape = shape_of(region, self.grid)?;
        let g = self.grid;
        // A region that ends on the plane's edge (a wall along a building's outline) clips
        // to a sliver as wide as the rounding slack of `shape_of`: it holds no cell, and
        // judged on the tiles beside it, it would be cut for what they receive.
        if crate::geometry::polygon_area(&shape.poly).abs() < 1e-6 * g.cell * g.cell {
            return None;
        }
        let size = g.cell * TILE as f64;
        let (lo, hi) = shape.poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.y), b.max(p.y)));
        let ty0 = (((lo - g.ymin) / size).floor().max(0.0) as usize).min(self.tiles_y - 1);
        let ty1 = (((hi - g.ymin) / size).floor().max(0.0) as usize).min(self.tiles_y - 1);
        for ty in ty0..=ty1 {
            let y0 = g.ymin + ty as f64 * size;
            let Some((xl, xh)) = strip_x_extent(&shape.poly, y0, y0 + size) else { continue };
            let tx0 = (((xl - g.xmin) / size).floor().max(0.0) as usize).min(self.tiles_x - 1);
            let tx1 = (((xh - g.xmin) / size).floor().max(0.0) as usize).min(self.tiles_x - 1);
            for tx in tx0..=tx1 {
                let (cx, cy) = (g.xmin + (tx as f64 + 0.5) * size, y0 + 0.5 * size);
                if visit(ty * self.tiles_x + tx, cx, cy) {
                    return Some(true);
                }
            }
        }
        Some(false)
    }
}

/// The energy criterion of one transmitter (see the module header), and the
/// accumulator of its maps as the generations come.
pub(super) struct EnergyCut<'s, 'a> {
    shared: &'s Shared<'a>,
    tx: usize,
    /// Per grid: the gains accumulated so far [1].
    maps: Vec<Vec<f64>>,
    /// The storey's grids, with their tile minima and vertical paths.
    storey: Vec<(usize, TileMins<'a>, Vec<VerticalPath>)>,
    /// Per wall line, the largest |R|² over cos θ ≥ i / N at index i [1].
    line_reflection_max: &'s [std::sync::Arc<[f32]>],
    /// The hard cap on reflections per path.
    max_reflections: u32,
    /// Least gain over every plane of the storey: the level of regions that miss them
    /// all [1].
    global_min: f64,
    /// (λ / 4π)² [m²].
    fs2: f64,
    /// Adds each generation to the maps.
    evaluator: &'s dyn Evaluator,
    /// The first error of the evaluator: every branch is cut from then on, and the
    /// error comes back from [`EnergyCut::into_maps`].
    failed: Option<SolverError>,
}

impl<'s, 'a> EnergyCut<'s, 'a> {
    /// The criterion of transmitter `tx`, evaluating every grid with `evaluator` as the
    /// generations come (the maps are complete when tracing ends, and the regions are
    /// dropped as they are evaluated).
    pub(super) fn new(shared: &'s Shared<'a>, tx: usize, evaluator: &'s dyn Evaluator) -> EnergyCut<'s, 'a> {
        let grids = shared.job.grids;
        let storey_grids = shared.storey(tx);
        let maps = (0..grids.len()).map(|k| vec![0f64; grids[k].len()]).collect();
        let storey = storey_grids.iter().map(|&k| (k, TileMins::empty(&grids[k]), shared.verticals(tx, k))).collect();
        let fs = shared.wavelength(tx) / (4.0 * std::f64::consts::PI);
        EnergyCut {
            shared,
            tx,
            maps,
            storey,
            line_reflection_max: &shared.prepared(tx).line_reflection_max,
            max_reflections: shared.job.settings.max_reflections,
            global_min: 0.0,
            fs2: fs * fs,
            evaluator,
            failed: None,
        }
    }

    /// The maps accumulated (per grid; 0 where nothing arrives or outside the mask) [1],
    /// or the evaluator's error.
    pub(super) fn into_maps(self) -> Result<Vec<Vec<f64>>, SolverError> {
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.maps),
        }
    }
}

/// A chain's reflections as the bounds need them, latest first.
struct ChainBounds<'n> {
    reflections: [&'n Node; MAX_CHAIN],
    reflections_len: usize,
    /// Reflections in the chain, those past `MAX_CHAIN` included.
    count: u32,
}

impl<'n> ChainBounds<'n> {
    /// The chain ending at `last` (`first`: any node, to fill the array).
    fn walk(nodes: &'n [Node], first: &'n Node, last: u32) -> ChainBounds<'n> {
        let mut c = ChainBounds { reflections: [first; MAX_CHAIN], reflections_len: 0, count: 0 };
        let mut n = last;
        while n != NO_NODE {
            let node = &nodes[n as usize];
            if node.reflect {
                if c.reflections_len < MAX_CHAIN {
                    c.reflections[c.reflections_len] = node;
                    c.reflections_len += 1;
                }
                c.count += 1;
            }
            n = node.parent;
        }
        c
    }

    fn reflections(&self) -> &[&'n Node] {
        &self.reflections[..self.reflections_len]
    }
}

impl EnergyCut<'_, '_> {
    /// Upper bound [1] of the gain of the chain's paths at horizontal unfolded length at
    /// least `length` [m], summed over the vertical paths of one plane, with each
    /// reflection's horizontal cosine at least `cos(node)`; `transmissions` holds each
    /// vertical path's transmission bound.
    fn sum_over_verticals(
        &self,
        verticals: &[VerticalPath],
        transmissions: &[f64],
        chain: &ChainBounds,
        length: f64,
        cos: impl Fn(&Node) -> f64,
    ) -> f64 {
        let table = self.line_reflection_max;
        let intervals = table.first().map_or(1, |t| t.len() - 1) as f64;
        let l2 = length * length;
        let mut sum = 0.0;
        for (v, t) in
            verticals.iter().zip(transmissions).filter(|(v, _)| v.reflections + chain.count <= self.max_reflections)
        {
            let d2 = (l2 + v.travel * v.travel).max(1e-6);
            // The 3D cosine of a wall reflection is the horizontal one times L/D, which
            // grows with L.
            let h = length / d2.sqrt();
            let mut g = self.fs2 / d2 * v.bound * t;
            for node in chain.reflections() {
                let i = ((cos(node) * h * intervals) as usize).min(intervals as usize);
                g *= f64::from(table[node.line as usize][i]);
            }
            sum += g;
        }
        sum
    }
}

impl BranchCut for EnergyCut<'_, '_> {
    fn keep(&self, nodes: &[Node], region: &Region, last: u32) -> bool {
        if self.failed.is_some() {
            return false;
        }
        let Some(first) = nodes.first() else { return true };
        let chain = ChainBounds::walk(nodes, first, last);
        let relative = self.shared.relative;
        // A branch below the branch floor is not followed wherever it lands.
        let floor = self.shared.branch_floor;
        let tx = self.shared.tx_point(self.tx);
        let mut missed = true;
        let mut transmissions = Vec::new();
        for (k, tiles, verticals) in &self.storey {
            transmissions.clear();
            transmissions.extend(verticals.iter().map(|v| transmission_along(nodes, last, v.z_lo, v.z_hi)));
            let grid = tiles.grid;
            let half_diagonal = grid.cell * TILE as f64 * std::f64::consts::FRAC_1_SQRT_2;
            let map = &self.maps[*k];
            let found = tiles.any_tile(region, |t, cx, cy| {
                let level = (relative * tiles.mins[t]).max(floor);
                if !level.is_finite() {
                    return false;
                }
                // The tile's unfolded image: its paths start in the direction of its
                // centre's image, within `delta` [rad], and are at least `length` long.
                let q = region.to_unfolded.apply(&nalgebra::Point2::new(cx, cy)) - tx;
                let r = q.norm();
                let length = (r - half_diagonal).max(region.min_distance).max(1e-3);
                // A tile around the source sees every direction: grazing everywhere.
                let direction = (r > half_diagonal).then(|| (q / r, (half_diagonal / r).asin()));
                let bound = self.sum_over_verticals(verticals, &transmissions, &chain, length, |n| {
                    direction.map_or(0.0, |(k_dir, delta)| (n.normal.dot(&k_dir).abs() - delta).max(0.0))
                });
                if bound < level {
                    return false;
                }
                // The tile's least cell may lie across a wall from the region: compare
                // with the cells of the tile that the region holds.
                let (tx0, ty0) = ((t % tiles.tiles_x) * TILE, (t / tiles.tiles_x) * TILE);
                (ty0..(ty0 + TILE).min(grid.ny)).any(|iy| {
                    (tx0..(tx0 + TILE).min(grid.nx)).any(|ix| {
                        let c = iy * grid.nx + ix;
                        let (x, y) = grid.centre(ix, iy);
                        bound >= (relative * map[c]).max(floor) && region.contains(&nalgebra::Point2::new(x, y))
                    })
                })
            });
            match found {
                Some(true) => return true,
                Some(false) => missed = false,
                None => {}
            }
        }
        if !missed {
            return false;
        }
        // The region misses every plane of the storey: judge it at its nearest point,
        // with its most grazing rays, against the least the storey receives anywhere.
        let bound = self
            .storey
            .iter()
            .map(|(_, _, v)| {
                let transmissions: Vec<f64> =
                    v.iter().map(|v| transmission_along(nodes, last, v.z_lo, v.z_hi)).collect();
                self.sum_over_verticals(v, &transmissions, &chain, region.min_distance.max(1e-3), |n| n.cos_min)
            })
            .fold(0.0, f64::max);
        bound >= (relative * self.global_min).max(floor)
    }

    fn generation(&mut self, set: &BeamSet, regions: std::ops::Range<usize>) -> bool {
        if self.failed.is_some() {
            return true;
        }
        if let Err(e) = self.evaluator.accumulate(self.shared, self.tx, set, regions, &mut self.maps) {
            self.failed = Some(e);
            return true;
        }
        for (k, tiles, _) in &mut self.storey {
            let map = &self.maps[*k];
            *tiles = TileMins::new(tiles.grid, map);
        }
        self.global_min = self.storey.iter().flat_map(|(_, t, _)| t.mins.iter().copied()).fold(f64::INFINITY, f64::min);
        true
    }
}
