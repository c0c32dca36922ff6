//! Plane geometry on nalgebra points shared by the plan checks, the scene and the solver:
//! segment intersection, simple-polygon queries and convex polygons, one query per file.

mod convex;
mod polygon;
mod segment;

pub use convex::{clip_polygon, convex_hull, strip_x_extent};
pub use polygon::{
    point_in_outline, point_in_polygon, polygon_area, polygon_centroid, polygon_self_intersection, segment_distance,
};
pub use segment::segments_intersect;

/// Length of a degree of latitude, and of longitude at the equator [km] (mean Earth
/// radius 6,371 km): what maps of longitude and latitude are scaled by.
pub const KM_PER_DEGREE: f64 = 111.195;

/// A point of the plane [m].
pub type P2 = nalgebra::Point2<f64>;
