//! Where a slab plane holds a slab: whether a convex polygon lies on a plane's footprints
//! everywhere, in time proportional to the cells of the plane's grid it covers.
//!
//! The union of a plane's footprints has its outline from `i_overlay` (edges shared by
//! two rooms cancel there, so a polygon across the wall between two rooms is on the
//! slab). Each cell of the plane's lookup grid is *inside* (no outline edge comes within
//! [`MARGIN`] of it and its centre is on a footprint, [`Scene::slab_at`]), *outside*
//! (likewise, centre off every footprint) or *near* (the outline edges within its margin
//! listed). A polygon is on the slab when it meets no outside cell, no outline edge
//! comes within [`TOUCH`] of it, and its centroid is on a footprint: every point of it
//! then lies inside the union, at least [`TOUCH`] from the outline. A point on the
//! outline itself is left out on purpose: the lookup there follows a half-open rule and
//! the `f32` storage of the footprints, so a path crossing a slab exactly at a façade
//! (a reflection on the façade wall at the height of the slab, which a regular grid
//! meets on whole rows of cells) may find no slab.

use super::{NONE, Scene};
use crate::geometry::{P2, strip_x_extent};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::single::SingleFloatOverlay;
use nalgebra::Vector2;

/// How near an outline edge may come to a cell for the cell to count as inside or
/// outside [m]: far above the overlay's rounding (~1e-8 m) and the `f32` storage.
pub const MARGIN: f64 = 1e-3;

/// How near an outline edge may come to a polygon on the slab [m]: above the `f32`
/// storage of site coordinates (~1e-5 m at a few hundred metres), below [`MARGIN`].
pub const TOUCH: f64 = 1e-4;

const INSIDE: u8 = 0;
const NEAR: u8 = 1;
const OUTSIDE: u8 = 2;

/// Per slab plane of a scene, its covered cells.
#[derive(Debug, Clone, Default)]
pub struct SlabCover {
    planes: Vec<PlaneCover>,
}

#[derive(Debug, Clone)]
struct PlaneCover {
    origin: [f64; 2],
    cell: f64,
    nx: usize,
    ny: usize,
    /// Per cell: [`INSIDE`], [`NEAR`] or [`OUTSIDE`].
    state: Vec<u8>,
    /// Per row, nx + 1 running counts of the cells not inside.
    not_inside: Vec<u32>,
    /// Per cell, the range of `near` listing the outline edges within its margin.
    near_start: Vec<u32>,
    near: Vec<u32>,
    /// The outline's edges [m].
    edges: Vec<[P2; 2]>,
}

impl SlabCover {
    /// The covered cells of every plane of `scene`.
    pub fn build(scene: &Scene) -> SlabCover {
        SlabCover { planes: (0..scene.planes.len()).map(|k| PlaneCover::build(scene, k)).collect() }
    }

    /// Whether every point of the convex polygon `poly` (site frame [m]) lies on one of
    /// plane `plane`'s footprints, at least [`TOUCH`] from their outline; `false` when in
    /// doubt.
    pub fn covers(&self, scene: &Scene, plane: usize, poly: &[P2]) -> bool {
        let Some(p) = self.planes.get(plane) else { return false };
        if poly.len() < 3 || p.nx == 0 {
            return false;
        }
        let (lo, hi) = poly.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), q| (a.min(q.y), b.max(q.y)));
        // The cells [first, last] whose closed extents hold [a, b] (a point on the edge
        // between two cells needs only one of them).
        let cells = |a: f64, b: f64, origin: f64| {
            let (a, b) = ((a - origin) / p.cell, (b - origin) / p.cell);
            (a.floor(), (b.ceil() - 1.0).max(a.floor()))
        };
        let (r0, r1) = cells(lo, hi, p.origin[1]);
        if !(r0 >= 0.0 && r1 < p.ny as f64) {
            return false;
        }
        let inward = inward_edges(poly);
        for gy in r0 as usize..=r1 as usize {
            let y0 = p.origin[1] + gy as f64 * p.cell;
            let Some((xl, xh)) = strip_x_extent(poly, y0, y0 + p.cell) else { continue };
            let (c0, c1) = cells(xl, xh, p.origin[0]);
            if !(c0 >= 0.0 && c1 < p.nx as f64) {
                return false;
            }
            let (c0, c1) = (c0 as usize, c1 as usize);
            let counts = &p.not_inside[gy * (p.nx + 1)..(gy + 1) * (p.nx + 1)];
            if counts[c1 + 1] == counts[c0] {
                continue;
            }
            for c in gy * p.nx + c0..=gy * p.nx + c1 {
                match p.state[c] {
                    OUTSIDE => return false,
                    NEAR => {
                        let edges = &p.near[p.near_start[c] as usize..p.near_start[c + 1] as usize];
                        if edges.iter().any(|&e| comes_within(&p.edges[e as usize], &inward, TOUCH)) {
                            return false;
                        }
                    }
                    _ => {}
                }
            }
        }
        // No outline edge comes near the polygon: it is wholly on the slab or wholly off it.
        let n = poly.len() as f64;
        let centroid = poly.iter().fold(P2::origin(), |a, q| a + q.coords / n);
        scene.slab_at(plane, centroid.x, centroid.y) != NONE
    }
}

impl SlabCover {
    /// Whether cell `cell` (row-major from the south) of plane `plane`'s lookup grid is
    /// inside the footprints' union, no outline edge within [`MARGIN`] of it.
    pub fn inside(&self, plane: usize, cell: usize) -> bool {
        self.planes.get(plane).is_some_and(|p| p.state.get(cell) == Some(&INSIDE))
    }
}

/// Cell (gx, gy) of a plane's lookup grid (south-west corner `origin`, cells `cell`
/// wide [m]) as inward edges for [`comes_within`]: its south-west corner's two, then
/// its north-east corner's.
pub(super) fn cell_edges(origin: [f64; 2], cell: f64, gx: usize, gy: usize) -> [(P2, Vector2<f64>); 4] {
    let lo = P2::new(origin[0] + gx as f64 * cell, origin[1] + gy as f64 * cell);
    let hi = lo + Vector2::new(cell, cell);
    [(lo, Vector2::x()), (lo, Vector2::y()), (hi, -Vector2::x()), (hi, -Vector2::y())]
}

/// A convex polygon's edges as (a point of the edge, unit inward normal).
fn inward_edges(poly: &[P2]) -> Vec<(P2, Vector2<f64>)> {
    let sign = if crate::geometry::polygon_area(poly) >= 0.0 { 1.0 } else { -1.0 };
    (0..poly.len())
        .filter_map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
            let d = b - a;
            let len = d.norm();
            (len > 0.0).then(|| (a, Vector2::new(-d.y, d.x) * (sign / len)))
        })
        .collect()
}

/// Whether the segment `e` comes within `grow` [m] of the convex polygon given by its
/// inward edges (Liang–Barsky against the polygon grown by it: its corners grown square,
/// which only errs towards `true`; `grow` 0 is the closed polygon).
pub(super) fn comes_within(e: &[P2; 2], inward: &[(P2, Vector2<f64>)], grow: f64) -> bool {
    let (a, d) = (e[0], e[1] - e[0]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (q, m) in inward {
        // m·(a + t d − q) ≥ −grow.
        let (f, g) = (m.dot(&(a - q)) + grow, m.dot(&d));
        if g == 0.0 {
            if f < 0.0 {
                return false;
            }
        } else if g > 0.0 {
            t0 = t0.max(-f / g);
        } else {
            t1 = t1.min(-f / g);
        }
        if t0 > t1 {
            return false;
        }
    }
    true
}

impl PlaneCover {
    fn build(scene: &Scene, k: usize) -> PlaneCover {
        let plane = &scene.planes[k];
        let (nx, ny) = (plane.nx as usize, plane.ny as usize);
        let origin = plane.origin.map(f64::from);
        let cell = f64::from(plane.cell);
        let rings: Vec<Vec<[f64; 2]>> = scene
            .plane_polygons(k)
            .iter()
            .map(|poly| {
                let v = &scene.vertices[poly.vertex_start as usize..(poly.vertex_start + poly.vertex_count) as usize];
                v.iter().map(|q| q.map(f64::from)).collect()
            })
            .collect();
        let union = rings.overlay_as::<i64>(&Vec::<Vec<[f64; 2]>>::new(), OverlayRule::Subject, FillRule::NonZero);
        let edges: Vec<[P2; 2]> = union
            .iter()
            .flatten()
            .flat_map(|c| (0..c.len()).map(move |i| [c[i], c[(i + 1) % c.len()]]))
            .map(|[a, b]| [P2::new(a[0], a[1]), P2::new(b[0], b[1])])
            .collect();
        // Per cell, the outline edges within its margin.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        for (k, [a, b]) in edges.iter().enumerate() {
            let lo = |d: usize| ((a[d].min(b[d]) - MARGIN - origin[d]) / cell).floor().max(0.0) as usize;
            let hi = |d: usize, n: usize| {
                (((a[d].max(b[d]) + MARGIN - origin[d]) / cell).floor().max(0.0) as usize).min(n.saturating_sub(1))
            };
            for gy in lo(1)..=hi(1, ny) {
                for gx in lo(0)..=hi(0, nx) {
                    // The cell's box grown by the margin (square corners: exactly).
                    if comes_within(&[*a, *b], &cell_edges(origin, cell, gx, gy), MARGIN) {
                        lists[gy * nx + gx].push(k as u32);
                    }
                }
            }
        }
        let (mut state, mut not_inside) = (Vec::with_capacity(nx * ny), Vec::with_capacity(ny * (nx + 1)));
        let (mut near_start, mut near) = (Vec::with_capacity(nx * ny + 1), Vec::new());
        for gy in 0..ny {
            let mut count = 0u32;
            not_inside.push(0);
            for gx in 0..nx {
                let list = &lists[gy * nx + gx];
                near_start.push(near.len() as u32);
                near.extend_from_slice(list);
                let (cx, cy) = (origin[0] + (gx as f64 + 0.5) * cell, origin[1] + (gy as f64 + 0.5) * cell);
                let s = if !list.is_empty() {
                    NEAR
                } else if scene.slab_at(k, cx, cy) == NONE {
                    OUTSIDE
                } else {
                    INSIDE
                };
                count += u32::from(s != INSIDE);
                state.push(s);
                not_inside.push(count);
            }
        }
        near_start.push(near.len() as u32);
        PlaneCover { origin, cell, nx, ny, state, not_inside, near_start, near, edges }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-storey site: two rooms side by side sharing a wall, and a third one 1.5 m
    /// beyond, under a concrete floor.
    fn scene() -> Scene {
        let room = |name: &str, x0: f64, x1: f64| {
            format!(
                "(name: \"{name}\", kind: Classroom, outline: [({x0}, 0.0), ({x1}, 0.0), ({x1}, 8.0), ({x0}, 8.0)])"
            )
        };
        let text = format!(
            "(name: \"cover\", buildings: [(name: \"B\", origin: (0.0, 0.0), rotation: 0.0, ground: 0.0, \
             floors: [(name: \"R0\", elevation: 0.0, height: 3.0, \
             slab: Some((material: \"concrete\", thickness: 0.2)), rooms: [{}, {}, {}], \
             walls: [(from: (0.0, 0.0), to: (30.0, 0.0), material: \"concrete\", thickness: 0.2)])])])",
            room("a", 0.0, 10.0),
            room("b", 10.0, 20.0),
            room("c", 21.5, 30.0)
        );
        let site: crate::plan::Site = ron::from_str(&text).expect("site");
        Scene::build(&site).expect("scene")
    }

    fn tri(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> Vec<P2> {
        vec![P2::new(a.0, a.1), P2::new(b.0, b.1), P2::new(c.0, c.1)]
    }

    #[test]
    fn a_polygon_across_the_wall_between_two_rooms_is_covered_one_across_the_gap_is_not() {
        let scene = scene();
        let cover = SlabCover::build(&scene);
        assert_eq!(scene.planes.len(), 1);
        // Across the shared edge x = 10, 2 m from every outline edge.
        assert!(cover.covers(&scene, 0, &tri((4.0, 2.0), (16.0, 2.0), (10.0, 6.0))));
        // Across the 1.5 m gap between rooms b and c.
        assert!(!cover.covers(&scene, 0, &tri((14.0, 2.0), (26.0, 2.0), (20.0, 6.0))));
        // Beyond the footprint.
        assert!(!cover.covers(&scene, 0, &tri((4.0, 2.0), (16.0, 2.0), (10.0, 12.0))));
        assert!(!cover.covers(&scene, 0, &tri((-4.0, 2.0), (6.0, 2.0), (1.0, 6.0))));
    }

    /// A path crossing the slab exactly on a façade line found no slab there, under a
    /// bound that counted one: a polygon ending on the outline, or within [`TOUCH`] of
    /// it, is not covered; one 2·[`TOUCH`] inside is.
    #[test]
    fn regression_a_polygon_touching_the_facade_is_not_covered() {
        let scene = scene();
        let cover = SlabCover::build(&scene);
        for top in [8.0, 8.0 - 0.5 * TOUCH, 8.0 + 1e-9] {
            assert!(!cover.covers(&scene, 0, &tri((2.0, 4.0), (6.0, 4.0), (4.0, top))), "top {top}");
        }
        let top = 8.0 - 2.0 * TOUCH;
        let quad = [P2::new(2.0, 4.0), P2::new(6.0, 4.0), P2::new(6.0, top), P2::new(2.0, top)];
        assert!(cover.covers(&scene, 0, &quad));
        // Corner on the shared edge x = 10 between rooms a and b: not an outline edge.
        assert!(cover.covers(&scene, 0, &tri((8.0, 4.0), (10.0, 2.0), (10.0, 6.0))));
    }

    #[test]
    fn every_point_of_a_covered_polygon_lies_on_a_footprint() {
        let scene = scene();
        let cover = SlabCover::build(&scene);
        let seed = 20261201;
        let mut rng = crate::seed::rng(&seed.to_string());
        let mut unit = || crate::seed::uniform(&mut rng, 0.0, 1.0);
        let (mut covered, mut tried) = (0, 0);
        while tried < 4000 {
            tried += 1;
            let (cx, cy, r) = (unit() * 34.0 - 2.0, unit() * 12.0 - 2.0, 0.2 + unit() * 6.0);
            let poly: Vec<P2> = (0..5)
                .map(|i| {
                    let a = std::f64::consts::TAU * (i as f64 + unit() * 0.5) / 5.0;
                    P2::new(cx + r * a.cos(), cy + r * a.sin())
                })
                .collect();
            if !cover.covers(&scene, 0, &poly) {
                continue;
            }
            covered += 1;
            for _ in 0..50 {
                // A random convex combination of the vertices.
                let w: Vec<f64> = (0..5).map(|_| unit()).collect();
                let s: f64 = w.iter().sum();
                let p = poly.iter().zip(&w).fold(P2::origin(), |acc, (q, w)| acc + q.coords * (w / s));
                assert_ne!(scene.slab_at(0, p.x, p.y), NONE, "seed {seed}: {p:?} in covered {poly:?}");
            }
        }
        assert!(covered > 100, "seed {seed}: only {covered} of {tried} polygons covered");
    }
}
