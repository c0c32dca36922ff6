//! Splitting a beam's wedge into sub-wedges in each of which every ray meets the same
//! first wall: the wedge is cut at every wall endpoint it sees and where walls cross,
//! then each piece is given the nearest wall it hits.

use super::{ANGLE_EPS, Beam, HalfPlane, LENGTH_EPS, P, V, Walls, cross};
use crate::geometry::segment_distance;

/// A wall clipped to a beam: its line, direction interval and line equation.
struct Candidate {
    line: usize,
    phi0: f64,
    phi1: f64,
    a: P,
    b: P,
    plane: HalfPlane,
}

/// The line through a and b as a half-plane, its left side positive.
pub(super) fn line_plane(a: &P, b: &P) -> HalfPlane {
    let d = (b - a).normalize();
    let n = V::new(-d.y, d.x);
    HalfPlane { n, c: n.dot(&a.coords) }
}

/// Clips the segment [a, b] to {p : f(p) ≥ 0} for every half-plane f given as (n, c)
/// with f(p) = n·p − c; returns the parameter interval kept.
fn clip(a: &P, b: &P, planes: &[HalfPlane]) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for h in planes {
        let fa = h.side(a);
        let fb = h.side(b);
        if fa < 0.0 && fb < 0.0 {
            return None;
        }
        if fa < 0.0 {
            t0 = t0.max(fa / (fa - fb));
        } else if fb < 0.0 {
            t1 = t1.min(fa / (fa - fb));
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// The first wall the rays of a sub-wedge meet.
#[derive(Clone, Copy)]
pub(super) struct Hit {
    pub(super) line: usize,
    /// Shortest distance from the apex to the piece met [m].
    pub(super) distance: f64,
    /// The piece met, along the line from its start [m].
    pub(super) u0: f64,
    pub(super) u1: f64,
}

/// One sub-wedge of a beam: its edges and the first wall its rays meet.
pub(super) struct Sub {
    pub(super) right: V,
    pub(super) left: V,
    pub(super) hit: Option<Hit>,
}

fn rotate(v: &V, phi: f64) -> V {
    let (s, c) = phi.sin_cos();
    V::new(c * v.x - s * v.y, s * v.x + c * v.y)
}

/// Reach of the walls gathered around a beam first [m], beyond its start: most beams
/// meet their first walls within a room or two (on a region site, 8 m left 45 % of
/// the splits to the second pass; 16 m was a little faster; a third, wider pass was
/// not).
const FIRST_REACH_M: f64 = 16.0;

/// The sub-wedges of `beam`, right to left.
///
/// Walls are gathered within a reach of the beam's start first (the wedge cut by a
/// line across its bisector), and without limit only when some ray meets none of them:
/// a wall beyond the reach is farther along every ray than one within it, so it cannot
/// be the first wall met where one within it is. Beams would otherwise gather every
/// wall of the campus in their wedge and cut themselves at walls that nothing of
/// theirs can reach.
pub(super) fn split(beam: &Beam, walls: &Walls) -> Vec<Sub> {
    if let Some((bisector, start)) = start_reach(beam) {
        let far = HalfPlane { n: -bisector, c: -(bisector.dot(&beam.apex.coords) + start + FIRST_REACH_M) };
        if let Some(subs) = split_within(beam, walls, Some(far)) {
            return subs;
        }
    }
    split_within(beam, walls, None).unwrap_or_default()
}

/// The beam's bisector and how far along it from the apex its start line reaches
/// inside the wedge [m] (0 without a start); `None` for a wedge too wide to bound
/// that way, or a start line the edges do not cross ahead.
fn start_reach(beam: &Beam) -> Option<(V, f64)> {
    let bisector = (beam.right + beam.left).try_normalize(1e-12)?;
    if bisector.dot(&beam.right) < 0.1 {
        return None;
    }
    let Some((_, start)) = beam.start else { return Some((bisector, 0.0)) };
    let mut reach = 0.0f64;
    for e in [beam.right, beam.left] {
        let den = start.n.dot(&e);
        if den.abs() < 1e-12 {
            return None;
        }
        let t = (start.c - start.n.dot(&beam.apex.coords)) / den;
        if !(t >= 0.0 && t.is_finite()) {
            return None;
        }
        reach = reach.max(t * bisector.dot(&e));
    }
    Some((bisector, reach))
}

/// The sub-wedges of `beam`, right to left, from the walls on the near side of `far`
/// when given; `None` when some ray of the wedge meets none of those.
fn split_within(beam: &Beam, walls: &Walls, far: Option<HalfPlane>) -> Option<Vec<Sub>> {
    let s = beam.apex;
    let width = cross(&beam.right, &beam.left).atan2(beam.right.dot(&beam.left));
    let angle = |p: &P| {
        let d = p - s;
        cross(&beam.right, &d).atan2(beam.right.dot(&d)).clamp(0.0, width)
    };
    let mut planes = vec![
        HalfPlane { n: V::new(-beam.right.y, beam.right.x), c: 0.0 },
        HalfPlane { n: V::new(beam.left.y, -beam.left.x), c: 0.0 },
    ];
    for h in planes.iter_mut() {
        h.c = h.n.dot(&s.coords);
    }
    if let Some((_, start)) = beam.start {
        planes.push(start);
    }
    planes.extend(far);
    let start_line = beam.start.map(|(l, _)| l);
    let mut candidates = Vec::new();
    walls.bvh.query(
        |lo, hi| {
            let corners = [P::new(lo[0], lo[1]), P::new(hi[0], lo[1]), P::new(hi[0], hi[1]), P::new(lo[0], hi[1])];
            planes.iter().any(|h| corners.iter().all(|c| h.side(c) < 0.0))
        },
        |line| {
            if Some(line) == start_line {
                return;
            }
            let (a, b) = walls.lines[line];
            let (a, b) = (P::new(a[0], a[1]), P::new(b[0], b[1]));
            let plane = line_plane(&a, &b);
            if plane.side(&s).abs() < LENGTH_EPS {
                return; // rays from the apex graze this line
            }
            let Some((t0, t1)) = clip(&a, &b, &planes) else { return };
            let (ca, cb) = (a + (b - a) * t0, a + (b - a) * t1);
            if (cb - ca).norm() < LENGTH_EPS {
                return;
            }
            let (pa, pb) = (angle(&ca), angle(&cb));
            candidates.push(Candidate { line, phi0: pa.min(pb), phi1: pa.max(pb), a: ca, b: cb, plane });
        },
    );
    candidates.sort_by_key(|c| c.line);

    let mut critical: Vec<f64> = vec![0.0, width];
    for c in &candidates {
        critical.extend([c.phi0, c.phi1].into_iter().filter(|&p| p > 0.0 && p < width));
    }
    critical.sort_by(f64::total_cmp);
    critical.dedup_by(|a, b| *a - *b <= ANGLE_EPS);
    if let Some(last) = critical.last_mut() {
        *last = width;
    }

    // First wall along the ray at angle phi, with its distance.
    let first_hit = |phi: f64| -> Option<(usize, f64)> {
        let v = rotate(&beam.right, phi);
        let mut best: Option<(usize, f64)> = None;
        for (k, c) in candidates.iter().enumerate() {
            if phi < c.phi0 || phi > c.phi1 {
                continue;
            }
            let den = c.plane.n.dot(&v);
            if den == 0.0 {
                continue;
            }
            let t = (c.plane.c - c.plane.n.dot(&s.coords)) / den;
            if t > 0.0 && best.is_none_or(|(_, bt)| t < bt) {
                best = Some((k, t));
            }
        }
        best
    };

    // Elementary intervals, refined where the nearest wall crosses another one.
    let mut cuts = critical;
    let mut intervals: Vec<(f64, f64, Option<usize>)> = Vec::new();
    let mut i = 0;
    while i + 1 < cuts.len() {
        let (p0, p1) = (cuts[i], cuts[i + 1]);
        let hit = first_hit(0.5 * (p0 + p1)).map(|(k, _)| k);
        if let Some(k) = hit {
            let h = &candidates[k];
            let crossing = candidates.iter().enumerate().find_map(|(j, c)| {
                if j == k || c.phi1 <= p0 || c.phi0 >= p1 {
                    return None;
                }
                segment_intersection(&h.a, &h.b, &c.a, &c.b)
                    .map(|x| angle(&x))
                    .filter(|&phi| phi > p0 + ANGLE_EPS && phi < p1 - ANGLE_EPS)
            });
            if let Some(phi) = crossing {
                cuts.insert(i + 1, phi);
                continue;
            }
        }
        if hit.is_none() && far.is_some() {
            return None;
        }
        intervals.push((p0, p1, hit));
        i += 1;
    }

    // Merge neighbours with the same first wall; edges computed once per cut.
    let mut subs: Vec<Sub> = Vec::new();
    let mut k = 0;
    while k < intervals.len() {
        let mut m = k + 1;
        while m < intervals.len() && intervals[m].2 == intervals[k].2 {
            m += 1;
        }
        let p1 = intervals[m - 1].1;
        let right = subs.last().map_or(beam.right, |prev| prev.left);
        let left = if m == intervals.len() { beam.left } else { rotate(&beam.right, p1) };
        let hit = intervals[k].2.map(|ci| {
            let c = &candidates[ci];
            // Nearest point of the wall piece seen within [p0, p1].
            let clipped = clip(
                &c.a,
                &c.b,
                &[
                    HalfPlane { n: V::new(-right.y, right.x), c: V::new(-right.y, right.x).dot(&s.coords) },
                    HalfPlane { n: V::new(left.y, -left.x), c: V::new(left.y, -left.x).dot(&s.coords) },
                ],
            );
            let (qa, qb) = clipped.map_or((c.a, c.b), |(t0, t1)| (c.a + (c.b - c.a) * t0, c.a + (c.b - c.a) * t1));
            let (la, lb) = walls.lines[c.line];
            let (la, lb) = (P::new(la[0], la[1]), P::new(lb[0], lb[1]));
            let dir = (lb - la).normalize();
            let (u0, u1) = ((qa - la).dot(&dir), (qb - la).dot(&dir));
            Hit { line: c.line, distance: segment_distance(&qa, &qb, s.x, s.y), u0: u0.min(u1), u1: u0.max(u1) }
        });
        subs.push(Sub { right, left, hit });
        k = m;
    }
    Some(subs)
}

/// Intersection point of two closed segments that cross properly, if any.
fn segment_intersection(a: &P, b: &P, c: &P, d: &P) -> Option<P> {
    let r = b - a;
    let q = d - c;
    let den = cross(&r, &q);
    if den.abs() < 1e-15 {
        return None;
    }
    let t = cross(&(c - a), &q) / den;
    let u = cross(&(c - a), &r) / den;
    (t > 0.0 && t < 1.0 && u > 0.0 && u < 1.0).then(|| a + r * t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{below, chance, rng, uniform};

    /// A beam from `apex` between the directions `a` and `a + width` [rad], starting
    /// beyond `start` when given.
    fn beam(apex: P, a: f64, width: f64, start: Option<(usize, HalfPlane)>) -> Beam {
        let (right, left) = (V::new(a.cos(), a.sin()), V::new((a + width).cos(), (a + width).sin()));
        Beam { start, ..Beam::from_source(apex, right, left) }
    }

    /// Bounding the walls gathered by reach gives the sub-wedges of gathering them all:
    /// the same first walls, edges and nearest distances, on seeded random beams over the
    /// demo lycée (two buildings, 95 walls), with and without a start wall.
    #[test]
    fn gathering_walls_by_reach_splits_a_beam_as_gathering_them_all() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::plan::load(&root.join("floorplans/lycee-demo.ron")).unwrap();
        let scene = crate::scene::Scene::build(&site).unwrap();
        let prepared = crate::solver::shared::prepare(&scene, 5.5, 64).unwrap();
        let lines: Vec<([f64; 2], [f64; 2])> =
            scene.lines.iter().map(|l| (l.a.map(f64::from), l.b.map(f64::from))).collect();
        let walls = Walls { lines: &lines, spans: &prepared.spans, bvh: &scene.bvh };
        let seed = "split-by-reach";
        let mut r = rng(seed);
        let mut bounded = 0;
        for n in 0..400 {
            // Mostly inside the teaching block, where beams meet walls; some across the site.
            let apex = if chance(&mut r, 0.75) {
                P::new(uniform(&mut r, 0.5, 59.5), uniform(&mut r, 0.5, 15.5))
            } else {
                P::new(uniform(&mut r, -10.0, 110.0), uniform(&mut r, -20.0, 30.0))
            };
            let (a, width) = (uniform(&mut r, 0.0, std::f64::consts::TAU), uniform(&mut r, 0.01, 1.5));
            let mut start = None;
            if chance(&mut r, 0.5) {
                let line = below(&mut r, lines.len());
                let (p, q) = lines[line];
                let plane = line_plane(&P::new(p[0], p[1]), &P::new(q[0], q[1]));
                if plane.side(&apex).abs() > 0.1 {
                    start = Some((
                        line,
                        if plane.side(&apex) > 0.0 { HalfPlane { n: -plane.n, c: -plane.c } } else { plane },
                    ));
                }
            }
            let b = beam(apex, a, width, start);
            // Beams whose first pass holds: the ones the reach changes anything for.
            bounded += usize::from(start_reach(&b).is_some_and(|(bisector, start)| {
                let far = HalfPlane { n: -bisector, c: -(bisector.dot(&b.apex.coords) + start + FIRST_REACH_M) };
                split_within(&b, &walls, Some(far)).is_some()
            }));
            let (all, by_reach) = (split_within(&b, &walls, None).unwrap(), split(&b, &walls));
            let what = format!("seed {seed:?}, beam {n}: apex {apex:?}, {a} + {width} rad, start {start:?}");
            assert_eq!(all.len(), by_reach.len(), "{what}");
            for (x, y) in all.iter().zip(&by_reach) {
                assert!((x.right - y.right).norm() < 1e-9 && (x.left - y.left).norm() < 1e-9, "{what}");
                assert_eq!(x.hit.map(|h| h.line), y.hit.map(|h| h.line), "{what}");
                if let (Some(h), Some(k)) = (x.hit, y.hit) {
                    assert!((h.distance - k.distance).abs() < 1e-9, "{what}");
                    assert!((h.u0 - k.u0).abs() < 1e-9 && (h.u1 - k.u1).abs() < 1e-9, "{what}");
                }
            }
        }
        println!("{bounded} of 400 beams split within the first reach");
        assert!(bounded >= 120, "{bounded} of 400 beams split within the first reach");
    }
}
