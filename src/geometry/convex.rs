//! Convex polygons: clipping to a half-plane, the x extent of a horizontal strip, and
//! the convex hull of a point set.

use super::P2;
use nalgebra::Vector2;

/// Clips a convex polygon to the closed half-plane {p : n·p − c ≥ 0} ([m]); fewer than
/// three vertices when little or nothing is left.
pub fn clip_polygon(poly: &[P2], n: Vector2<f64>, c: f64) -> Vec<P2> {
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        let (fa, fb) = (n.dot(&a.coords) - c, n.dot(&b.coords) - c);
        if fa >= 0.0 {
            out.push(a);
        }
        if (fa >= 0.0) != (fb >= 0.0) {
            out.push(a + (b - a) * (fa / (fa - fb)));
        }
    }
    out
}

/// The x extent [m] of a convex polygon's part between y0 and y1 [m], or `None` when it
/// has none.
pub fn strip_x_extent(poly: &[P2], y0: f64, y1: f64) -> Option<(f64, f64)> {
    let strip = clip_polygon(&clip_polygon(poly, Vector2::new(0.0, 1.0), y0), Vector2::new(0.0, -1.0), -y1);
    (!strip.is_empty())
        .then(|| strip.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.x), b.max(p.x))))
}

/// The convex hull of `points`, counter-clockwise, without collinear vertices (Andrew's
/// monotone chain); fewer than three points when they are all collinear.
pub fn convex_hull(points: &[P2]) -> Vec<P2> {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: &P2, a: &P2, b: &P2| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut hull: Vec<P2> = Vec::with_capacity(2 * pts.len());
    for pass in 0..2 {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &P2>> =
            if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for p in ordered {
            while hull.len() >= start + 2 && cross(&hull[hull.len() - 2], &hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(*p);
        }
        // The last point of each chain starts the other one.
        hull.pop();
    }
    hull
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hull_of_a_square_and_its_inner_points_is_the_square_counter_clockwise() {
        let pts: Vec<P2> = [(0.0, 0.0), (2.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 2.0), (0.5, 1.5), (1.0, 0.0)]
            .iter()
            .map(|&(x, y)| P2::new(x, y))
            .collect();
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4, "{hull:?}");
        assert!((crate::geometry::polygon_area(&hull) - 4.0).abs() < 1e-12);
        assert!(convex_hull(&pts[..2]).len() < 3);
    }

    #[test]
    fn a_clipped_triangle_keeps_the_half_plane_part() {
        let tri = [P2::new(0.0, 0.0), P2::new(4.0, 0.0), P2::new(0.0, 4.0)];
        // x ≤ 2, i.e. −x + 2 ≥ 0: area 8 − 2 = 6.
        let part = clip_polygon(&tri, Vector2::new(-1.0, 0.0), -2.0);
        assert!((crate::geometry::polygon_area(&part) - 6.0).abs() < 1e-12);
        assert_eq!(strip_x_extent(&tri, 1.0, 2.0), Some((0.0, 3.0)));
        assert_eq!(strip_x_extent(&tri, 5.0, 6.0), None);
    }
}
