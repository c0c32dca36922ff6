//! Walls and circulation from room outlines, for drawings that have rooms but no walls:
//! facility-management exports whose rooms share edges (outlines on the walls' centre
//! lines), and estates departments' space plans, whose zones are the rooms' inner faces
//! and face each other across the walls' thickness (10–40 cm).
//!
//! - Edges of two outlines that face each other (antiparallel, at most `max_thickness`
//!   apart, overlapping along their length) are one wall on their centre line, as thick
//!   as the gap, of the material its thickness class names, split where the facing
//!   stops (the nearest facing edge wins along each edge). Edges that coincide are the
//!   configured interior wall.
//! - A room edge facing a façade contour within `max_thickness` is façade, as thick as
//!   the gap; a contour edge no room faces is façade of the configured thickness, its
//!   outer face on the contour.
//! - The rest of a room edge faces circulation (a point just outside it lies inside the
//!   building: an interior wall) or the outside (façade). The building is the contour
//!   when the drawing has one, else the union of the outlines closed over gaps up to
//!   `corridor_width`. In a space plan (some outlines face each other across a gap) these
//!   walls stand outside the room, their face on its outline; in a plan of shared edges,
//!   on the outline.
//! - Walls end where they meet: each end is extended to the nearest crossing wall within
//!   `max_thickness`, and where the wall along one edge steps (one facing stops, another
//!   begins), a short wall closes the step, so that no gap opens at corners and junctions.
//! - Circulation: the building less the rooms and the walls' footprints becomes Corridor
//!   rooms (Hall where wider than [`HALL_WIDTH`]), slivers left out; where the building's
//!   boundary bounds it without a wall (a corridor's open end when no contour is drawn),
//!   a façade wall closes it.

use super::assemble::Piece;
use super::config::DerivedWalls;
use super::micrometres;
use crate::geometry::{P2, point_in_polygon, polygon_area, segment_distance};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use i_overlay::mesh::float::outline::offset::OutlineOffset;
use i_overlay::mesh::float::style::{LineJoin, OutlineStyle};
use nalgebra::Vector2;

/// Circulation wider than this (twice its area over its perimeter) is a Hall [m].
pub const HALL_WIDTH: f64 = 4.0;
/// Circulation pieces smaller than this are left out [m²].
const MIN_CIRCULATION_AREA: f64 = 2.0;
/// Circulation pieces narrower than this (twice area over perimeter) are slivers [m].
const MIN_CIRCULATION_WIDTH: f64 = 0.6;
/// How far outside a room edge the building is probed [m].
const PROBE: f64 = 0.25;
/// Parallel edges: |cos| of their angle at least this.
const PARALLEL: f64 = 0.9995;

/// What the derivation made.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Wall centre lines.
    pub walls: Vec<Piece>,
    /// Circulation outlines (counter-clockwise) and whether each is a hall.
    pub circulation: Vec<(Vec<P2>, bool)>,
    /// Walls between outlines facing each other across a gap.
    pub facing: usize,
    /// Whether the outlines are rooms' inner faces (some face each other across a gap).
    pub space_plan: bool,
}

/// One edge of an outline or a contour, with its unit direction and the normal that
/// points away from the room (for a contour: into the building).
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: P2,
    len: f64,
    u: Vector2<f64>,
    n: Vector2<f64>,
    /// Outline index, or `None` for a contour edge.
    room: Option<usize>,
}

impl Edge {
    fn at(&self, s: f64, offset: f64) -> P2 {
        self.a + self.u * s + self.n * offset
    }
}

/// The edges of a polygon turned so that `n` (the right-hand normal) points outward
/// (`outward`) or inward.
fn edges_of(poly: &[P2], outward: bool, room: Option<usize>, tol: f64, out: &mut Vec<Edge>) {
    let ccw = polygon_area(poly) > 0.0;
    let forward = ccw == outward;
    let n = poly.len();
    for i in 0..n {
        let (a, b) = if forward { (poly[i], poly[(i + 1) % n]) } else { (poly[(i + 1) % n], poly[i]) };
        let d = b - a;
        let len = d.norm();
        if len > tol {
            let u = d / len;
            out.push(Edge { a, len, u, n: Vector2::new(u.y, -u.x), room });
        }
    }
}

/// Where `f` faces `e` across a gap of at most `max` [m]: (start, end along `e`, gap).
fn facing(e: &Edge, f: &Edge, max: f64, tol: f64) -> Option<(f64, f64, f64)> {
    if e.u.dot(&f.u) > -PARALLEL {
        return None;
    }
    let fb = f.a + f.u * f.len;
    let (g0, g1) = ((f.a - e.a).dot(&e.n), (fb - e.a).dot(&e.n));
    if (g0 - g1).abs() > tol {
        return None;
    }
    let gap = 0.5 * (g0 + g1);
    if gap < -tol || gap > max + tol {
        return None;
    }
    let (p, q) = ((f.a - e.a).dot(&e.u), (fb - e.a).dot(&e.u));
    let (s0, s1) = (p.min(q).max(0.0), p.max(q).min(e.len));
    (s1 - s0 > tol).then_some((s0, s1, gap.max(0.0)))
}

/// A piece of an edge: its extent along the edge and what it faces.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    s0: f64,
    s1: f64,
    /// Gap to the facing edge [m], and whether that edge is a contour's.
    faced: Option<(f64, bool)>,
}

/// Splits `e` into stretches faced by the nearest of `others` and stretches facing
/// nothing within `max`.
fn stretches(e: &Edge, others: &[Edge], skip: impl Fn(&Edge) -> bool, max: f64, tol: f64) -> Vec<Stretch> {
    let mut found: Vec<(f64, f64, f64, bool)> = others
        .iter()
        .filter(|f| !skip(f))
        .filter_map(|f| facing(e, f, max, tol).map(|(s0, s1, g)| (s0, s1, g, f.room.is_none())))
        .collect();
    found.sort_by(|a, b| a.2.total_cmp(&b.2));
    let mut free: Vec<(f64, f64)> = vec![(0.0, e.len)];
    let mut out = Vec::new();
    for (s0, s1, gap, contour) in found {
        let mut next = Vec::new();
        for (f0, f1) in free {
            let (c0, c1) = (f0.max(s0), f1.min(s1));
            if c1 - c0 > tol {
                out.push(Stretch { s0: c0, s1: c1, faced: Some((gap, contour)) });
                if c0 - f0 > tol {
                    next.push((f0, c0));
                }
                if f1 - c1 > tol {
                    next.push((c1, f1));
                }
            } else {
                next.push((f0, f1));
            }
        }
        free = next;
    }
    out.extend(free.into_iter().map(|(s0, s1)| Stretch { s0, s1, faced: None }));
    out.sort_by(|a, b| a.s0.total_cmp(&b.s0));
    out
}

/// Rounds a measured thickness to the millimetre, so that both faces of one wall give
/// the same piece.
fn mm(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}

type Shapes = Vec<Vec<Vec<[f64; 2]>>>;

fn ring(poly: &[P2]) -> Vec<[f64; 2]> {
    let ccw = polygon_area(poly) > 0.0;
    let mut r: Vec<[f64; 2]> = poly.iter().map(|p| [p.x, p.y]).collect();
    if !ccw {
        r.reverse();
    }
    r
}

fn inside(shapes: &Shapes, p: &P2) -> bool {
    shapes.iter().any(|shape| {
        let mut rings = shape.iter().map(|r| r.iter().map(|q| P2::new(q[0], q[1])).collect::<Vec<_>>());
        rings.next().is_some_and(|outer| point_in_polygon(&outer, p.x, p.y))
            && rings.all(|hole| !point_in_polygon(&hole, p.x, p.y))
    })
}

/// The building: the contours, or the outlines closed over gaps up to `width` [m].
fn building(outlines: &[Vec<P2>], contours: &[Vec<P2>], width: f64) -> Shapes {
    if !contours.is_empty() {
        let rings: Vec<Vec<[f64; 2]>> = contours.iter().map(|c| ring(c)).collect();
        return rings.overlay_as::<i64>(&Vec::<Vec<[f64; 2]>>::new(), OverlayRule::Subject, FillRule::NonZero);
    }
    let rings: Vec<Vec<[f64; 2]>> = outlines.iter().map(|o| ring(o)).collect();
    let union = rings.overlay_as::<i64>(&Vec::<Vec<[f64; 2]>>::new(), OverlayRule::Subject, FillRule::NonZero);
    if width <= 0.0 {
        return union;
    }
    let join = LineJoin::Miter(0.05);
    let grown = union.outline_as::<i64>(&OutlineStyle::new(0.5 * width).line_join(join.clone()));
    grown.outline_as::<i64>(&OutlineStyle::new(-0.5 * width).line_join(join))
}

/// A wall's footprint: its centre line widened by its thickness.
fn footprint(w: &Piece) -> Vec<[f64; 2]> {
    let d = w.b - w.a;
    let n = Vector2::new(-d.y, d.x) / d.norm() * (0.5 * w.thickness);
    [w.a - n, w.b - n, w.b + n, w.a + n].iter().map(|p| [p.x, p.y]).collect()
}

/// Splits shapes with holes into simple polygons (cut across each hole by a vertical
/// line through its middle).
fn simple_polygons(shapes: Shapes) -> Vec<Vec<P2>> {
    let mut todo = shapes;
    let mut out = Vec::new();
    let mut budget = 256;
    while let Some(shape) = todo.pop() {
        if shape.len() == 1 || budget == 0 {
            if let Some(outer) = shape.into_iter().next() {
                // The overlay's integer grid leaves ~1e-8 m of noise.
                out.push(outer.iter().map(|p| P2::new(micrometres(p[0]), micrometres(p[1]))).collect());
            }
            continue;
        }
        budget -= 1;
        let hole = &shape[1];
        let cx = hole.iter().map(|p| p[0]).sum::<f64>() / hole.len() as f64;
        let (y0, y1) = shape[0].iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[1]), b.max(p[1])));
        let (x0, x1) = shape[0].iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[0]), b.max(p[0])));
        for (l, r) in [(x0 - 1.0, cx), (cx, x1 + 1.0)] {
            let half = vec![[l, y0 - 1.0], [r, y0 - 1.0], [r, y1 + 1.0], [l, y1 + 1.0]];
            todo.extend(shape.overlay_as::<i64>(&half, OverlayRule::Intersect, FillRule::NonZero));
        }
    }
    out
}

/// Extends each wall end to the nearest crossing wall's line within `reach` [m], when
/// that crossing lies on the other wall or within `reach` of its ends.
fn extend_to_meet(walls: &mut [Piece], reach: f64, tol: f64) {
    let moves: Vec<(usize, bool, P2)> = (0..walls.len())
        .flat_map(|i| [(i, false), (i, true)])
        .filter_map(|(i, at_b)| {
            let w = &walls[i];
            let (end, other) = if at_b { (w.b, w.a) } else { (w.a, w.b) };
            let d = (end - other).normalize();
            let mut best: Option<f64> = None;
            for (j, v) in walls.iter().enumerate() {
                let e = v.b - v.a;
                let le = e.norm();
                let cross = d.x * e.y - d.y * e.x;
                if j == i || le <= tol || cross.abs() < 0.2 * le {
                    continue;
                }
                // end + d t on v's line: (end + d t − v.a) × e = 0.
                let t = ((v.a - end).x * e.y - (v.a - end).y * e.x) / cross;
                let along = ((end + d * t) - v.a).dot(&e) / le;
                if t >= -tol && t <= reach && along >= -reach && along <= le + reach && best.is_none_or(|b| t < b) {
                    best = Some(t);
                }
            }
            best.filter(|&t| t > tol).map(|t| (i, at_b, end + d * t))
        })
        .collect();
    for (i, at_b, p) in moves {
        if at_b {
            walls[i].b = p;
        } else {
            walls[i].a = p;
        }
    }
}

/// Walls (and circulation, when asked) from room outlines and façade contours [m].
pub fn derive(outlines: &[Vec<P2>], contours: &[Vec<P2>], config: &DerivedWalls, tol: f64) -> Derived {
    let max = config.max_thickness;
    let mut room_edges = Vec::new();
    for (k, o) in outlines.iter().enumerate() {
        edges_of(o, true, Some(k), tol, &mut room_edges);
    }
    let mut contour_edges = Vec::new();
    for c in contours {
        edges_of(c, false, None, tol, &mut contour_edges);
    }
    let all: Vec<Edge> = room_edges.iter().chain(&contour_edges).copied().collect();
    let room_stretches: Vec<Vec<Stretch>> =
        room_edges.iter().map(|e| stretches(e, &all, |f| f.room.is_some() && f.room == e.room, max, tol)).collect();
    let space_plan = room_stretches.iter().flatten().any(|s| s.faced.is_some_and(|(g, _)| g > tol));
    let shapes = building(outlines, contours, config.corridor_width);
    let mut out = Derived { space_plan, ..Derived::default() };
    let material = |m: &str, thickness: f64, a: P2, b: P2| Piece { a, b, material: m.to_string(), thickness };
    // A piece's identity, whichever face of its wall gave it.
    let key = |p: &Piece| {
        let k = |q: &P2| ((q.x / tol).round() as i64, (q.y / tol).round() as i64);
        let (a, b) = (k(&p.a), k(&p.b));
        (a.min(b), a.max(b), p.material.clone(), p.thickness.to_bits())
    };
    let mut facing = std::collections::BTreeSet::new();
    for (e, list) in room_edges.iter().zip(&room_stretches) {
        // (offset of the centre line from the edge, the piece) per stretch.
        let mut placed: Vec<(f64, Piece)> = Vec::new();
        for s in list {
            let (offset, m, t) = match s.faced {
                Some((g, _)) if g <= tol => (0.0, config.interior.material.as_str(), config.interior.thickness),
                Some((g, true)) => (0.5 * g, config.facade.material.as_str(), mm(g)),
                Some((g, false)) => (0.5 * g, config.material_of(mm(g)), mm(g)),
                None => {
                    let mid = e.at(0.5 * (s.s0 + s.s1), PROBE);
                    let m = if inside(&shapes, &mid) { &config.interior } else { &config.facade };
                    (if space_plan { 0.5 * m.thickness } else { 0.0 }, m.material.as_str(), m.thickness)
                }
            };
            let piece = material(m, t, e.at(s.s0, offset), e.at(s.s1, offset));
            if s.faced.is_some_and(|(g, contour)| g > tol && !contour) {
                facing.insert(key(&piece));
            }
            placed.push((offset, piece));
        }
        // Close the steps where the wall along the edge changes its offset.
        for pair in placed.windows(2) {
            let ((o1, p1), (o2, p2)) = (&pair[0], &pair[1]);
            if (o1 - o2).abs() > tol && (p1.b - p2.a).norm() > tol {
                let thick = if p1.thickness >= p2.thickness { p1 } else { p2 };
                out.walls.push(material(&thick.material, thick.thickness, p1.b, p2.a));
            }
        }
        out.walls.extend(placed.into_iter().map(|(_, p)| p));
    }
    out.facing = facing.len();
    // Contour edges that no room faces: façade, the outer face on the contour.
    for c in &contour_edges {
        let t = config.facade.thickness;
        for s in stretches(c, &room_edges, |_| false, max, tol).into_iter().filter(|s| s.faced.is_none()) {
            out.walls.push(material(&config.facade.material, t, c.at(s.s0, 0.5 * t), c.at(s.s1, 0.5 * t)));
        }
    }
    // Both faces of a wall between two rooms gave it: keep one.
    let mut seen = std::collections::BTreeSet::new();
    out.walls.retain(|p| seen.insert(key(p)));
    extend_to_meet(&mut out.walls, max, tol);
    if config.circulation {
        out.circulation = circulation(&shapes, outlines, &out.walls);
        if contours.is_empty() {
            // A corridor's open end on the building's closed-over boundary: façade.
            let boundary: Vec<(P2, P2)> = shapes
                .iter()
                .flatten()
                .flat_map(|r| (0..r.len()).map(move |i| (r[i], r[(i + 1) % r.len()])))
                .map(|(a, b)| (P2::new(a[0], a[1]), P2::new(b[0], b[1])))
                .collect();
            let t = config.facade.thickness;
            let offset = if space_plan { 0.5 * t } else { 0.0 };
            let mut ends = Vec::new();
            for (poly, _) in &out.circulation {
                let mut edges = Vec::new();
                edges_of(poly, true, None, tol, &mut edges);
                for e in edges {
                    let mid = e.at(0.5 * e.len, 0.0);
                    if boundary.iter().any(|(a, b)| segment_distance(a, b, mid.x, mid.y) <= 10.0 * tol) {
                        ends.push(material(&config.facade.material, t, e.at(0.0, offset), e.at(e.len, offset)));
                    }
                }
            }
            if !ends.is_empty() {
                out.walls.extend(ends);
                extend_to_meet(&mut out.walls, max, tol);
            }
        }
    }
    out
}

/// The building less the rooms and the walls' footprints, as simple polygons, slivers
/// left out; each with whether it is a hall.
fn circulation(shapes: &Shapes, outlines: &[Vec<P2>], walls: &[Piece]) -> Vec<(Vec<P2>, bool)> {
    let mut clip: Vec<Vec<[f64; 2]>> = outlines.iter().map(|o| ring(o)).collect();
    clip.extend(walls.iter().filter(|w| (w.b - w.a).norm() > 0.0).map(footprint));
    let rest = shapes.overlay_as::<i64>(&clip, OverlayRule::Difference, FillRule::NonZero);
    let mut out: Vec<(Vec<P2>, bool)> = simple_polygons(rest)
        .into_iter()
        .filter_map(|poly| {
            let area = polygon_area(&poly).abs();
            let perimeter: f64 = (0..poly.len()).map(|i| (poly[(i + 1) % poly.len()] - poly[i]).norm()).sum();
            let width = 2.0 * area / perimeter.max(1e-9);
            (area >= MIN_CIRCULATION_AREA && width >= MIN_CIRCULATION_WIDTH).then(|| {
                let poly = if polygon_area(&poly) < 0.0 { poly.into_iter().rev().collect() } else { poly };
                (poly, width > HALL_WIDTH)
            })
        })
        .collect();
    // Deterministic order: by the lowest, then leftmost vertex.
    let corner = |p: &[P2]| p.iter().fold((f64::INFINITY, f64::INFINITY), |m, q| (m.0.min(q.y), m.1.min(q.x)));
    out.sort_by(|a, b| corner(&a.0).partial_cmp(&corner(&b.0)).unwrap_or(std::cmp::Ordering::Equal));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::import::config::MaterialThickness;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<P2> {
        vec![P2::new(x0, y0), P2::new(x1, y0), P2::new(x1, y1), P2::new(x0, y1)]
    }

    fn config() -> DerivedWalls {
        ron::from_str(
            "DerivedWalls(interior: MaterialThickness(material: \"brick\", thickness: 0.2), \
             facade: MaterialThickness(material: \"concrete\", thickness: 0.3))",
        )
        .unwrap()
    }

    #[test]
    fn facing_outlines_make_one_wall_on_the_centre_line_as_thick_as_the_gap() {
        // Two rooms 0.1 m apart, a third 0.3 m further on: plasterboard, then concrete.
        let rooms = [rect(0.0, 0.0, 5.0, 4.0), rect(5.1, 0.0, 9.0, 4.0), rect(9.3, 0.0, 12.0, 4.0)];
        let d = derive(&rooms, &[], &config(), 0.01);
        assert!(d.space_plan);
        assert_eq!(d.facing, 2);
        let at = |x: f64| d.walls.iter().find(|w| (w.a.x - x).abs() < 1e-9 && (w.b.x - x).abs() < 1e-9).unwrap();
        let (w1, w2) = (at(5.05), at(9.15));
        assert_eq!((w1.material.as_str(), w1.thickness), ("plasterboard", 0.1));
        assert_eq!((w2.material.as_str(), w2.thickness), ("concrete", 0.3));
        // The partitions reach the façades' centre lines (0.15 m outside the rooms).
        assert!((w1.a.y.min(w1.b.y) + 0.15).abs() < 1e-9 && (w1.a.y.max(w1.b.y) - 4.15).abs() < 1e-9, "{w1:?}");
        let facade: Vec<_> = d.walls.iter().filter(|w| w.material == "concrete" && w.thickness == 0.3).collect();
        assert!(facade.iter().any(|w| (w.a.x + 0.15).abs() < 1e-9 && (w.b.x + 0.15).abs() < 1e-9));
        assert!(d.circulation.is_empty(), "{:?}", d.circulation);
    }

    /// Whether `p` lies in some wall's footprint.
    fn in_a_wall(walls: &[Piece], p: &P2) -> bool {
        walls.iter().any(|w| {
            let d = w.b - w.a;
            let len = d.norm();
            let u = d / len;
            let (along, across) = ((p - w.a).dot(&u), (p - w.a).dot(&Vector2::new(-u.y, u.x)));
            along >= -1e-6 && along <= len + 1e-6 && across.abs() <= 0.5 * w.thickness + 1e-6
        })
    }

    #[test]
    fn every_room_of_a_random_space_plan_is_closed_by_walls_all_round() {
        // Two rows of rooms with random widths, depths and gaps (0.05–0.5 m) either side
        // of a corridor, turned and far from the origin or not, with and without a façade
        // contour: every point 1 cm outside a room, along its edges and beyond its
        // corners, lies in a wall.
        for case in 0..40 {
            let seed = format!("space plan {case}");
            let mut r = crate::seed::rng(&seed);
            let u = |r: &mut rand_chacha::ChaCha8Rng, lo: f64, hi: f64| {
                (crate::seed::uniform(r, lo, hi) * 100.0).round() / 100.0
            };
            let corridor = u(&mut r, 1.5, 3.5);
            let mut rooms = Vec::new();
            for row in 0..2 {
                let mut x = 0.3;
                while x < 30.0 {
                    let w = u(&mut r, 2.5, 9.0);
                    let depth = u(&mut r, 6.0, 7.0);
                    let (y0, y1) = if row == 0 { (7.3 - depth, 7.3) } else { (7.3 + corridor, 7.3 + corridor + depth) };
                    rooms.push(rect(x, y0, x + w, y1));
                    x += w + u(&mut r, 0.05, 0.5);
                }
            }
            let (x1, y0, y1) = (
                rooms.iter().flatten().map(|p| p.x).fold(0.0, f64::max),
                rooms.iter().flatten().map(|p| p.y).fold(f64::INFINITY, f64::min),
                rooms.iter().flatten().map(|p| p.y).fold(0.0, f64::max),
            );
            let mut contour = [rect(0.0, y0 - 0.3, x1 + 0.3, y1 + 0.3)];
            // Three cases in four turned by a random angle and moved to Lambert-93
            // coordinates, as estates departments' drawings often are.
            if case % 4 != 0 {
                let a = crate::seed::uniform(&mut r, 0.0, std::f64::consts::FRAC_PI_2);
                let (sin, cos) = a.sin_cos();
                let turn =
                    |p: &mut P2| *p = P2::new(455_000.0 + cos * p.x - sin * p.y, 6_920_000.0 + sin * p.x + cos * p.y);
                rooms.iter_mut().chain(contour.iter_mut()).flatten().for_each(turn);
            }
            for contours in [&contour[..], &[]] {
                let d = derive(&rooms, contours, &config(), 0.01);
                for (k, room) in rooms.iter().enumerate() {
                    let mut edges = Vec::new();
                    edges_of(room, true, Some(k), 0.01, &mut edges);
                    for e in &edges {
                        let n = (e.len / 0.1) as usize;
                        let mut probes: Vec<P2> = (0..=n).map(|i| e.at(e.len * i as f64 / n as f64, 0.01)).collect();
                        probes.push(e.a + (e.n - e.u) * 0.01);
                        for p in probes {
                            assert!(
                                in_a_wall(&d.walls, &p),
                                "seed \"{seed}\", contour {}: ({:.3}, {:.3}) outside room {k} is in no wall",
                                !contours.is_empty(),
                                p.x,
                                p.y
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_corridor_between_two_rows_becomes_a_room_closed_by_facades_at_its_ends() {
        let rooms = [rect(0.0, 0.0, 10.0, 6.0), rect(0.0, 8.0, 10.0, 14.0)];
        let mut c = config();
        c.interior = MaterialThickness { material: "brick".into(), thickness: 0.2 };
        let d = derive(&rooms, &[], &c, 0.01);
        assert!(!d.space_plan, "no outlines face each other within 0.6 m");
        assert_eq!(d.circulation.len(), 1, "{:?}", d.circulation);
        let (corridor, hall) = &d.circulation[0];
        assert!(!hall);
        // Walls on the outlines (not a space plan): the corridor is 2 m less the walls'
        // halves, 10 m long.
        let area = polygon_area(corridor);
        assert!((area - 10.0 * 1.8).abs() < 1e-6, "{area}");
        let ends = d.walls.iter().filter(|w| w.material == "concrete" && (w.a.x - w.b.x).abs() < 1e-9);
        assert_eq!(ends.filter(|w| w.a.y.min(w.b.y) < 7.0 && w.a.y.max(w.b.y) > 7.0).count(), 2, "{:?}", d.walls);
    }
}
