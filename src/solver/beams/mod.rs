//! Exact 2D beam tracing from one transmitter over the wall lines.
//!
//! Walls are vertical, so a path's horizontal projection is a 2D polyline whose
//! reflections happen on wall lines, and whatever the heights, its horizontal geometry is
//! that of a 2D image path. A beam is a wedge of directions from an (image) source,
//! starting beyond the line it last met. Expanding a beam splits its wedge at every wall
//! endpoint it sees (and where walls cross), so that in each sub-wedge every ray meets
//! the same first wall; the part of the sub-wedge before that wall is a [`Region`], whose
//! points all share one sequence of interactions (transmissions and reflections, in
//! order). The sub-wedge then goes on through the wall (same source) and, below the
//! reflection limit, reflects off it (mirrored source).
//!
//! Sub-wedges share their boundary directions exactly and regions are half-open (a
//! point on a boundary ray belongs to the wedge on its left; a point on a wall belongs
//! to the region before it), so every point of the plane lies in exactly one region of
//! each interaction sequence: no cell is missed or counted twice, whatever its size.
//! There is no sampling: the approximations are the power floor below which a beam and
//! its descendants are dropped, on a strict upper bound (free space at the beam's
//! nearest point times the transmissions that hold at every altitude), and the
//! [`BranchCut`] a caller may give, which ends branches that carry too little energy
//! where they are (see [`super::energy`] for the criterion and its bound).
//!
//! Chains are stored once, as a tree of [`Node`]s; each region points at its last node.
//! Regions and nodes also carry what cheap upper bounds of their paths need: for each
//! wall crossed, the largest |T|² of the pieces the beam's rays meet and the altitudes
//! where those pieces have no gap; for each reflection, the most grazing horizontal
//! incidence of the beam's rays.

mod split;

use nalgebra::{Matrix2, Point2, Vector2};
use split::{line_plane, split};

type P = Point2<f64>;
type V = Vector2<f64>;

/// Directions closer than this are the same critical direction [rad].
const ANGLE_EPS: f64 = 1e-12;
/// Wall pieces shorter than this after clipping are ignored [m].
const LENGTH_EPS: f64 = 1e-9;

/// A 2D isometry p ↦ M p + t (M orthogonal): from a receiver's real frame to the
/// transmitter's unfolded frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Iso {
    /// Linear part.
    pub m: Matrix2<f64>,
    /// Translation [m].
    pub t: V,
}

impl Iso {
    /// The identity.
    pub fn identity() -> Iso {
        Iso { m: Matrix2::identity(), t: V::zeros() }
    }

    /// The mirror across the line n·p = c (unit n).
    pub fn mirror(n: V, c: f64) -> Iso {
        Iso { m: Matrix2::identity() - 2.0 * n * n.transpose(), t: 2.0 * c * n }
    }

    /// Applies to a point.
    #[inline]
    pub fn apply(&self, p: &P) -> P {
        P::from(self.m * p.coords + self.t)
    }

    /// `self ∘ other`: first `other`, then `self`.
    pub fn then_after(&self, other: &Iso) -> Iso {
        Iso { m: self.m * other.m, t: self.m * other.t + self.t }
    }
}

/// A line n·p = c with unit normal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HalfPlane {
    /// Unit normal.
    pub n: V,
    /// Offset [m].
    pub c: f64,
}

impl HalfPlane {
    /// Signed distance of `p` from the line [m].
    #[inline]
    pub fn side(&self, p: &P) -> f64 {
        self.n.dot(&p.coords) - self.c
    }

    fn flipped(self) -> HalfPlane {
        HalfPlane { n: -self.n, c: -self.c }
    }

    /// Oriented so that `p` lies on its negative side.
    fn facing_away_from(self, p: &P) -> HalfPlane {
        if self.side(p) > 0.0 { self.flipped() } else { self }
    }
}

/// One interaction of a path with a wall line, in the transmitter's unfolded frame;
/// nodes form a tree (each beam's chain is its parent's plus one node).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    /// Wall line index in the scene.
    pub line: u32,
    /// Reflection (else transmission).
    pub reflect: bool,
    /// The line's start point, unfolded [m].
    pub origin: P,
    /// Unit direction along the line (u grows along it), unfolded.
    pub dir: V,
    /// Unit normal, unfolded.
    pub normal: V,
    /// normal · (origin − transmitter) [m]: a path of unfolded horizontal direction d
    /// meets the line at the fraction `offset / (normal · d)` of its length.
    pub offset: f64,
    /// dir · (transmitter − origin) [m]: where along the line the transmitter projects.
    pub u_tx: f64,
    /// Previous node of the chain, or [`NO_NODE`].
    pub parent: u32,
    /// Transmissions: the largest |T|² of the wall pieces the beam's rays cross there,
    /// valid for paths whose altitude stays within `cover` [1].
    pub max_t: f64,
    /// Transmissions: altitudes [m] where those pieces have no gap.
    pub cover: (f64, f64),
    /// The scene spans the beam's rays meet there: indices [first, last] into
    /// [`crate::scene::Scene::spans`].
    pub spans: (u32, u32),
    /// Reflections: the least |cos| of the horizontal incidence angle over the beam's
    /// rays (1 for transmissions) [1].
    pub cos_min: f64,
}

/// No node: the chain is empty.
pub const NO_NODE: u32 = u32::MAX;

/// The first reflections of a region, for cheap bounds: the line and the smallest
/// horizontal cosine of incidence of the region's rays on it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ReflectionBound {
    /// Wall line.
    pub line: u32,
    /// Least |cos| of the horizontal incidence angle over the region's rays [1].
    pub cos_min: f64,
}

/// How many reflections per region carry a [`ReflectionBound`].
pub const BOUNDED_REFLECTIONS: usize = 4;

/// Per wall line span: its extent along the line and what a transmission through it
/// can let through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpanBound {
    /// Start along the line [m].
    pub u0: f64,
    /// End along the line [m].
    pub u1: f64,
    /// Largest |T|² of its layers over angles and polarisations [1].
    pub max_t: f64,
    /// Altitudes [m] its layers cover without gap (empty when it has none).
    pub cover: (f64, f64),
    /// Its index in [`crate::scene::Scene::spans`].
    pub index: u32,
}

/// A convex region of the receiver plane where every point is reached by the same
/// sequence of interactions.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The (image) source the region's rays leave from, real frame [m].
    pub apex: P,
    /// Right edge direction of the wedge (points with cross(right, p − apex) ≥ 0).
    pub right: V,
    /// Left edge direction (points with cross(left, p − apex) < 0).
    pub left: V,
    /// Points must lie strictly on the positive side of this line (the wall the beam
    /// left from), if any.
    pub start: Option<HalfPlane>,
    /// Points must lie on the non-positive side of this line (the next wall), if any.
    pub end: Option<HalfPlane>,
    /// Real receiver frame → transmitter's unfolded frame.
    pub to_unfolded: Iso,
    /// Last node of the chain ([`NO_NODE`] for none).
    pub last: u32,
    /// Number of nodes in the chain.
    pub len: u32,
    /// Number of reflections in the chain.
    pub reflections: u32,
    /// Product of the transmissions' `max_t` [1], valid for altitudes within `t_cover`.
    pub t_product: f64,
    /// Altitudes [m] every transmission's `cover` holds.
    pub t_cover: (f64, f64),
    /// The first reflections (up to [`BOUNDED_REFLECTIONS`]).
    pub reflection_bounds: [ReflectionBound; BOUNDED_REFLECTIONS],
    /// Lower bound of the unfolded horizontal distance from the transmitter to any
    /// point of the region [m].
    pub min_distance: f64,
    /// Whether the apex itself belongs to the region (the transmitter's own position
    /// belongs to exactly one region).
    pub holds_apex: bool,
}

impl Region {
    /// Whether the point `p` (real frame) lies in the region.
    #[inline]
    pub fn contains(&self, p: &P) -> bool {
        let d = p - self.apex;
        if d.x == 0.0 && d.y == 0.0 {
            return self.holds_apex;
        }
        cross(&self.right, &d) >= 0.0
            && cross(&self.left, &d) < 0.0
            && self.start.is_none_or(|s| s.side(p) > 0.0)
            && self.end.is_none_or(|e| e.side(p) <= 0.0)
    }
}

/// All regions of one transmitter, in a fixed (depth-first) order.
#[derive(Debug, Clone, Default)]
pub struct BeamSet {
    /// Transmitter position [m].
    pub tx: P,
    /// Regions.
    pub regions: Vec<Region>,
    /// The interaction tree the regions' chains point into.
    pub nodes: Vec<Node>,
}

impl BeamSet {
    /// The chain of `region` in path order, as node indices, into `out` (cleared first).
    pub fn chain(&self, region: &Region, out: &mut Vec<u32>) {
        out.clear();
        let mut n = region.last;
        while n != NO_NODE {
            out.push(n);
            n = self.nodes[n as usize].parent;
        }
        out.reverse();
    }

    /// Upper bound of the product of a region's transmission coefficients for a path
    /// whose altitude stays within [z_lo, z_hi] [m].
    pub fn transmission_bound(&self, region: &Region, z_lo: f64, z_hi: f64) -> f64 {
        if region.t_cover.0 <= z_lo && z_hi <= region.t_cover.1 {
            return region.t_product;
        }
        transmission_along(&self.nodes, region.last, z_lo, z_hi)
    }
}

/// Upper bound of the product of the transmission coefficients of the chain ending at
/// node `last` of `nodes`, for a path whose altitude stays within [z_lo, z_hi] [m]: each
/// crossing counts its pieces' largest |T|² where they have no gap there, else 1 [1].
pub fn transmission_along(nodes: &[Node], last: u32, z_lo: f64, z_hi: f64) -> f64 {
    let mut bound = 1.0;
    let mut n = last;
    while n != NO_NODE {
        let node = &nodes[n as usize];
        if !node.reflect && node.cover.0 <= z_lo && z_hi <= node.cover.1 {
            bound *= node.max_t;
        }
        n = node.parent;
    }
    bound
}

/// What the tracer needs of a scene's walls.
pub struct Walls<'a> {
    /// Wall line endpoints [m].
    pub lines: &'a [([f64; 2], [f64; 2])],
    /// Per line: its spans with their transmission bounds, in order along the line.
    pub spans: &'a [Vec<SpanBound>],
    /// The scene's line hierarchy.
    pub bvh: &'a crate::scene::Bvh,
}

/// Tracer settings.
#[derive(Debug, Clone, Copy)]
pub struct TraceLimits {
    /// Most reflections per path.
    pub max_reflections: u32,
    /// Regions whose bound (coefficients × free-space gain at their nearest point) falls
    /// below this are dropped with their descendants [1].
    pub power_floor: f64,
    /// Wavelength [m], for the free-space part of the bound.
    pub wavelength: f64,
    /// Refuse to trace more regions than this (memory guard).
    pub max_regions: usize,
    /// Lowest and highest altitude any path can reach [m] (for the floor bound).
    pub z_range: (f64, f64),
}

/// Energy-based termination: decides, at each wall a beam meets, whether its transmitted
/// and reflected branches are worth following (implemented in [`super::energy`]).
pub trait BranchCut {
    /// Whether the branch whose chain ends at node `last` of `nodes` is worth following,
    /// judged over `region`: the region its beam lights before the wall it now meets
    /// (`last` is the beam's own last node for the branch through that wall, the
    /// reflection's node for the reflected branch); the chain's nodes carry the
    /// transmission bounds and reflection angles the judgement needs.
    fn keep(&self, nodes: &[Node], region: &Region, last: u32) -> bool;

    /// Takes in the regions `regions` of `set` (one whole generation, in order), so that
    /// later decisions count what they add; returns whether the tracer may drop them.
    fn generation(&mut self, set: &BeamSet, regions: std::ops::Range<usize>) -> bool;
}

/// What one trace did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceStats {
    /// Regions traced.
    pub regions: u64,
    /// Branches the [`BranchCut`] ended (transmitted and reflected counted apart).
    pub cut: u64,
    /// Most reflections of a region kept.
    pub deepest: u32,
}

/// Why tracing stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TraceError {
    /// Too many regions for the memory guard.
    #[error("more than {0} beam regions for one access point; raise the power floor or lower --max-reflections")]
    TooManyRegions(usize),
}

#[inline]
pub(super) fn cross(a: &V, b: &V) -> f64 {
    a.x * b.y - a.y * b.x
}

/// A beam waiting to be expanded.
#[derive(Clone)]
struct Beam {
    pub(super) apex: P,
    pub(super) right: V,
    pub(super) left: V,
    start: Option<(usize, HalfPlane)>,
    to_unfolded: Iso,
    last: u32,
    len: u32,
    reflections: u32,
    t_product: f64,
    t_cover: (f64, f64),
    /// Product of transmission bounds that hold at every altitude paths can reach.
    strict: f64,
    reflection_bounds: [ReflectionBound; BOUNDED_REFLECTIONS],
    min_distance: f64,
    holds_apex: bool,
}

impl Beam {
    /// A beam leaving the transmitter at `apex` between the directions `right` and
    /// `left`: no wall met yet, nothing lost.
    fn from_source(apex: P, right: V, left: V) -> Beam {
        Beam {
            apex,
            right,
            left,
            start: None,
            to_unfolded: Iso::identity(),
            last: NO_NODE,
            len: 0,
            reflections: 0,
            t_product: 1.0,
            t_cover: (f64::NEG_INFINITY, f64::INFINITY),
            strict: 1.0,
            reflection_bounds: [ReflectionBound::default(); BOUNDED_REFLECTIONS],
            min_distance: 0.0,
            holds_apex: false,
        }
    }
}

/// The transmission bound of the pieces of `spans` within [u0, u1], and the range of
/// span indices they cover.
fn piece_bound(spans: &[SpanBound], u0: f64, u1: f64) -> (f64, (f64, f64), (u32, u32)) {
    let mut max_t = 0.0f64;
    let mut cover = (f64::NEG_INFINITY, f64::INFINITY);
    let mut range = (u32::MAX, 0);
    for s in spans.iter().filter(|s| s.u1 > u0 - 1e-6 && s.u0 < u1 + 1e-6) {
        max_t = max_t.max(s.max_t);
        cover = (cover.0.max(s.cover.0), cover.1.min(s.cover.1));
        range = (range.0.min(s.index), range.1.max(s.index));
    }
    if range.0 > range.1 {
        // Rounding left no span: allow the whole line.
        range = (spans.first().map_or(0, |s| s.index), spans.last().map_or(0, |s| s.index));
        max_t = 1.0;
        cover = (f64::INFINITY, f64::NEG_INFINITY);
    }
    (max_t, cover, range)
}

/// Traces every region of the transmitter at `tx` [m], generation by generation (a
/// generation: the regions with the same number of reflections; within one, depth-first
/// over transmissions, in a fixed order).
///
/// Without `cut`, every branch above the power floor is followed up to
/// `max_reflections`. With it, branches of beams without reflection are still always
/// followed (they are the direct field); a transmitted branch of a reflected beam is
/// followed while its bound reaches the level of the region it leaves, as the cut sees
/// it then; after each generation the cut is told of its regions
/// ([`BranchCut::generation`]), and only then are the reflected branches of that
/// generation checked, against the levels the cut now gives. When the cut asks, the
/// generation's regions are dropped once it has seen them (`set.regions` then ends
/// empty; the nodes stay).
pub fn trace(
    tx: P,
    walls: &Walls,
    limits: &TraceLimits,
    mut cut: Option<&mut dyn BranchCut>,
) -> Result<(BeamSet, TraceStats), TraceError> {
    let mut set = BeamSet { tx, regions: Vec::new(), nodes: Vec::new() };
    let mut stats = TraceStats::default();
    let axes = [V::new(1.0, 0.0), V::new(0.0, 1.0), V::new(-1.0, 0.0), V::new(0.0, -1.0)];
    let mut generation: Vec<Beam> =
        (0..4).map(|k| Beam { holds_apex: k == 0, ..Beam::from_source(tx, axes[k], axes[(k + 1) % 4]) }).collect();
    let free_space = |d: f64| {
        let x = limits.wavelength / (4.0 * std::f64::consts::PI * d.max(1e-3));
        x * x
    };
    loop {
        let first_region = set.regions.len();
        // Reflected branches of this generation: the beam and the region it leaves (index
        // into `set.regions`).
        let mut reflected: Vec<(Beam, usize)> = Vec::new();
        let mut stack: Vec<Beam> = generation.into_iter().rev().collect();
        while let Some(beam) = stack.pop() {
            if beam.strict * free_space(beam.min_distance) < limits.power_floor {
                continue;
            }
            let subs = split(&beam, walls);
            // Transmitted children go on the stack after the regions so that the
            // traversal stays depth-first in a fixed order; reversed so that the first
            // sub-wedge is expanded first.
            let mut children = Vec::new();
            for (k, sub) in subs.iter().enumerate() {
                let (right, left) = (sub.right, sub.left);
                let end = sub.hit.map(|hit| {
                    let (a, b) = walls.lines[hit.line];
                    line_plane(&P::new(a[0], a[1]), &P::new(b[0], b[1])).facing_away_from(&beam.apex)
                });
                set.regions.push(Region {
                    apex: beam.apex,
                    right,
                    left,
                    start: beam.start.map(|s| s.1),
                    end,
                    to_unfolded: beam.to_unfolded,
                    last: beam.last,
                    len: beam.len,
                    reflections: beam.reflections,
                    t_product: beam.t_product,
                    t_cover: beam.t_cover,
                    reflection_bounds: beam.reflection_bounds,
                    min_distance: beam.min_distance,
                    holds_apex: beam.holds_apex && k == 0,
                });
                stats.regions += 1;
                if stats.regions > limits.max_regions as u64 {
                    return Err(TraceError::TooManyRegions(limits.max_regions));
                }
                stats.deepest = stats.deepest.max(beam.reflections);
                let (Some(hit), Some(end)) = (sub.hit, end) else { continue };
                let region = set.regions.len() - 1;
                // The most grazing ray of the sub-wedge is along one of its edges.
                let cos_min = end.n.dot(&right).abs().min(end.n.dot(&left).abs());
                let keep_t = match cut.as_deref() {
                    Some(c) if beam.reflections > 0 => {
                        let keep = c.keep(&set.nodes, &set.regions[region], beam.last);
                        stats.cut += u64::from(!keep);
                        keep
                    }
                    _ => true,
                };
                let line = hit.line;
                let (a, b) = walls.lines[line];
                let (a, b) = (P::new(a[0], a[1]), P::new(b[0], b[1]));
                let (max_t, cover, spans) = piece_bound(&walls.spans[line], hit.u0, hit.u1);
                let mut node = |reflect: bool, max_t: f64, cover: (f64, f64), cos_min: f64| {
                    let (ua, ub) = (beam.to_unfolded.apply(&a), beam.to_unfolded.apply(&b));
                    let dir = (ub - ua).normalize();
                    let normal = V::new(-dir.y, dir.x);
                    set.nodes.push(Node {
                        line: line as u32,
                        reflect,
                        origin: ua,
                        dir,
                        normal,
                        offset: normal.dot(&(ua - tx)),
                        u_tx: dir.dot(&(tx - ua)),
                        parent: beam.last,
                        max_t,
                        cover,
                        spans,
                        cos_min,
                    });
                    (set.nodes.len() - 1) as u32
                };
                if keep_t {
                    let strict = if cover.0 <= limits.z_range.0 && limits.z_range.1 <= cover.1 { max_t } else { 1.0 };
                    let t_node = node(false, max_t, cover, 1.0);
                    children.push(Beam {
                        // Beyond the wall: its positive side, the apex being on the negative one.
                        start: Some((line, end)),
                        last: t_node,
                        len: beam.len + 1,
                        t_product: beam.t_product * max_t,
                        t_cover: (beam.t_cover.0.max(cover.0), beam.t_cover.1.min(cover.1)),
                        strict: beam.strict * strict,
                        min_distance: hit.distance,
                        holds_apex: false,
                        right,
                        left,
                        ..beam.clone()
                    });
                }
                if beam.reflections < limits.max_reflections {
                    let mirror = Iso::mirror(end.n, end.c);
                    let r_node = node(true, 1.0, (f64::NEG_INFINITY, f64::INFINITY), cos_min);
                    let mut reflection_bounds = beam.reflection_bounds;
                    if let Some(slot) = reflection_bounds.get_mut(beam.reflections as usize) {
                        *slot = ReflectionBound { line: line as u32, cos_min };
                    }
                    let child = Beam {
                        apex: mirror.apply(&beam.apex),
                        // A mirror reverses orientation: the wedge's edges swap.
                        right: mirror.m * left,
                        left: mirror.m * right,
                        // The reflected beam lies on the apex's side of the wall.
                        start: Some((line, end.flipped())),
                        to_unfolded: beam.to_unfolded.then_after(&mirror),
                        last: r_node,
                        len: beam.len + 1,
                        reflections: beam.reflections + 1,
                        reflection_bounds,
                        min_distance: hit.distance,
                        holds_apex: false,
                        ..beam.clone()
                    };
                    reflected.push((child, region));
                }
            }
            stack.extend(children.into_iter().rev());
        }
        let mut next = Vec::with_capacity(reflected.len());
        match cut.as_deref_mut() {
            Some(c) => {
                let drop = c.generation(&set, first_region..set.regions.len());
                for (child, region) in reflected {
                    if c.keep(&set.nodes, &set.regions[region], child.last) {
                        next.push(child);
                    } else {
                        stats.cut += 1;
                    }
                }
                if drop {
                    set.regions.truncate(first_region);
                }
            }
            None => next.extend(reflected.into_iter().map(|r| r.0)),
        }
        if next.is_empty() {
            break;
        }
        generation = next;
    }
    Ok((set, stats))
}
