//! Plane geometry on nalgebra points shared by the plan checks and the scene: segment
//! intersection and simple-polygon queries, one query per file.

mod polygon;
mod segment;

pub use polygon::{point_in_outline, point_in_polygon, polygon_area, polygon_self_intersection, segment_distance};
pub use segment::segments_intersect;

/// A point of the plane [m].
pub type P2 = nalgebra::Point2<f64>;
