//! Whether two closed segments of the plane share a point.

use super::P2;

/// Twice the signed area of the triangle (a, b, c): > 0 when c lies left of a→b [m²].
fn orient(a: &P2, b: &P2, c: &P2) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn on_segment(a: &P2, b: &P2, p: &P2) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// Whether the closed segments [a, b] and [c, d] share at least one point, touching and
/// collinear overlap included.
pub fn segments_intersect(a: &P2, b: &P2, c: &P2, d: &P2) -> bool {
    let d1 = orient(c, d, a);
    let d2 = orient(c, d, b);
    let d3 = orient(a, b, c);
    let d4 = orient(a, b, d);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0)) {
        return true;
    }
    (d1 == 0.0 && on_segment(c, d, a))
        || (d2 == 0.0 && on_segment(c, d, b))
        || (d3 == 0.0 && on_segment(a, b, c))
        || (d4 == 0.0 && on_segment(a, b, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64) -> P2 {
        P2::new(x, y)
    }

    #[test]
    fn crossing_touching_collinear_and_apart() {
        assert!(segments_intersect(&p(0., 0.), &p(2., 2.), &p(0., 2.), &p(2., 0.)));
        assert!(segments_intersect(&p(0., 0.), &p(2., 0.), &p(2., 0.), &p(3., 5.)), "shared end");
        assert!(segments_intersect(&p(0., 0.), &p(2., 0.), &p(1., 0.), &p(3., 0.)), "overlap");
        assert!(!segments_intersect(&p(0., 0.), &p(1., 0.), &p(2., 0.), &p(3., 0.)), "collinear apart");
        assert!(!segments_intersect(&p(0., 0.), &p(1., 1.), &p(0., 1.), &p(0.4, 0.6)), "near miss");
    }
}
