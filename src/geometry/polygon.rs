//! Simple-polygon queries: signed area and the first pair of crossing edges.

use super::{P2, segments_intersect};

/// Signed area of a polygon given by its vertices (closing edge implied): positive when
/// counter-clockwise [m²].
pub fn polygon_area(vertices: &[P2]) -> f64 {
    let n = vertices.len();
    (0..n)
        .map(|i| {
            let (a, b) = (&vertices[i], &vertices[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum::<f64>()
        / 2.0
}

/// Area centroid of a polygon given by its vertices (closing edge implied; a repeated
/// closing vertex adds nothing); its vertex mean when degenerate.
pub fn polygon_centroid(pts: &[(f64, f64)]) -> (f64, f64) {
    let n = pts.len();
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (pts[i], pts[(i + 1) % n]);
        let cross = p.0 * q.1 - q.0 * p.1;
        a += cross;
        cx += (p.0 + q.0) * cross;
        cy += (p.1 + q.1) * cross;
    }
    if a.abs() < 1e-9 {
        let m = n.max(1) as f64;
        return (pts.iter().map(|p| p.0).sum::<f64>() / m, pts.iter().map(|p| p.1).sum::<f64>() / m);
    }
    (cx / (3.0 * a), cy / (3.0 * a))
}

/// Whether the point (x, y) lies inside the polygon (crossing number; half-open, so that
/// a point on an edge shared by two polygons belongs to exactly one of them).
pub fn point_in_polygon(vertices: &[P2], x: f64, y: f64) -> bool {
    point_in_outline(vertices.len(), |i| (vertices[i].x, vertices[i].y), x, y)
}

/// [`point_in_polygon`] on `n` vertices given by index, for outlines stored in other
/// forms (the scene's `f32` pairs).
pub fn point_in_outline(n: usize, vertex: impl Fn(usize) -> (f64, f64), x: f64, y: f64) -> bool {
    let mut inside = false;
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let ((ax, ay), (bx, by)) = (vertex(i), vertex(j));
        if (ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Distance from (x, y) to the segment [a, b] [m].
pub fn segment_distance(a: &P2, b: &P2, x: f64, y: f64) -> f64 {
    let p = P2::new(x, y);
    let ab = b - a;
    let len2 = ab.norm_squared();
    let t = if len2 > 0.0 { ((p - a).dot(&ab) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (p - (a + ab * t)).norm()
}

/// The first pair of edges (i, j), i < j, that touch although they are not neighbours,
/// or a repeated vertex, making the outline not simple. Edge i runs from vertex i to
/// vertex i + 1 (the last edge closes the outline). `None` for a simple polygon.
pub fn polygon_self_intersection(vertices: &[P2]) -> Option<(usize, usize)> {
    let n = vertices.len();
    if n < 3 {
        return None;
    }
    let edge = |i: usize| (&vertices[i], &vertices[(i + 1) % n]);
    for i in 0..n {
        for j in i + 1..n {
            let neighbours = j == i + 1 || (i == 0 && j == n - 1);
            let (a, b) = edge(i);
            let (c, d) = edge(j);
            if neighbours {
                // Neighbours share one vertex; they must not fold back over each other.
                let (shared, far_i, far_j) = if j == i + 1 { (b, a, d) } else { (a, b, c) };
                let u = far_i - shared;
                let v = far_j - shared;
                let folds = u.x * v.y - u.y * v.x == 0.0 && u.dot(&v) > 0.0;
                if folds || a == b {
                    return Some((i, j));
                }
            } else if segments_intersect(a, b, c, d) {
                return Some((i, j));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poly(pts: &[(f64, f64)]) -> Vec<P2> {
        pts.iter().map(|&(x, y)| P2::new(x, y)).collect()
    }

    #[test]
    fn points_inside_and_on_shared_edges() {
        let left = poly(&[(0., 0.), (4., 0.), (4., 4.), (0., 4.)]);
        let right = poly(&[(4., 0.), (8., 0.), (8., 4.), (4., 4.)]);
        assert!(point_in_polygon(&left, 1.0, 1.0) && !point_in_polygon(&left, 5.0, 1.0));
        assert_eq!(point_in_polygon(&left, 4.0, 2.0) as u8 + point_in_polygon(&right, 4.0, 2.0) as u8, 1);
        assert_eq!(segment_distance(&P2::new(0., 0.), &P2::new(4., 0.), 2.0, 3.0), 3.0);
        assert_eq!(segment_distance(&P2::new(0., 0.), &P2::new(4., 0.), 7.0, 4.0), 5.0);
    }

    #[test]
    fn square_area_and_orientation() {
        let sq = poly(&[(0., 0.), (8., 0.), (8., 7.), (0., 7.)]);
        assert_eq!(polygon_area(&sq), 56.0);
        let cw: Vec<_> = sq.iter().rev().cloned().collect();
        assert_eq!(polygon_area(&cw), -56.0);
        assert_eq!(polygon_self_intersection(&sq), None);
    }

    #[test]
    fn l_shape_is_simple_and_bow_tie_is_not() {
        let l = poly(&[(0., 0.), (4., 0.), (4., 2.), (2., 2.), (2., 4.), (0., 4.)]);
        assert_eq!(polygon_area(&l), 12.0);
        assert_eq!(polygon_self_intersection(&l), None);
        let bow = poly(&[(0., 0.), (2., 2.), (2., 0.), (0., 2.)]);
        assert_eq!(polygon_self_intersection(&bow), Some((0, 2)));
    }

    #[test]
    fn spike_folding_back_and_repeated_vertex_are_not_simple() {
        let spike = poly(&[(0., 0.), (4., 0.), (2., 0.), (2., 3.)]);
        assert!(polygon_self_intersection(&spike).is_some());
        let rep = poly(&[(0., 0.), (4., 0.), (4., 0.), (0., 3.)]);
        assert!(polygon_self_intersection(&rep).is_some());
    }
}
