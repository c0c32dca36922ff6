//! The scene: a [`Site`](crate::plan::Site) turned into flat arrays in site coordinates,
//! shared unchanged by the CPU and GPU solvers (`#[repr(C)]`, indices instead of
//! pointers, f32 storage).
//!
//! - Walls become [`WallLine`]s: maximal straight segments (collinear walls of every floor
//!   and building that touch are merged, so that junctions along a wall are no edges).
//!   Along a line, [`Span`]s cut it into intervals of constant vertical profile; each span
//!   lists its [`Layer`]s, z intervals with a slab type (wall, door, window) or none (a
//!   hole, or above a partial-height wall).
//! - Floors and roofs become [`SlabPlane`]s: horizontal planes at a site altitude, each
//!   with footprint [`Polygon`]s (a floor's rooms, or its walls' bounding box) and a
//!   uniform grid that finds the polygon under a point; a grid cell whose every point
//!   finds the same slab type stores it (host only), so that most lookups skip the
//!   point-in-polygon test.
//! - [`SlabType`]s pair a material with a thickness; coefficient tables are built per
//!   frequency from them ([`tables`]).
//! - A [`Bvh`] over the lines answers "which walls may a beam meet".
//! - [`cover::SlabCover`] answers "does this polygon lie on a plane's slab everywhere".

mod build;
mod bvh;
pub mod cover;
pub mod grid;
pub mod tables;

pub use build::SceneError;
pub use bvh::{Bvh, BvhNode};
pub use grid::{Grid, GridSpec, grids};

use crate::geometry::point_in_outline;
use crate::materials::Material;
use bytemuck::{Pod, Zeroable};

/// Marker for "no slab type": a hole in a wall profile or no polygon.
pub const NONE: u32 = u32::MAX;

/// Marker for a plane grid cell whose points do not all find the same slab type.
pub const MIXED: u32 = u32::MAX - 1;

/// How far a footprint's outline must stay from a plane grid cell for the cell to be
/// uniform [m]: far above the rounding of the cell a point falls in and of the
/// point-in-outline test.
pub const UNIFORM_MARGIN: f64 = 1e-6;

/// The slab type of the first polygon of `items` (indices into `polygons`, whose
/// vertices are in `vertices`) holding the point (x, y) [m], or [`NONE`].
fn first_footprint(items: &[u32], polygons: &[Polygon], vertices: &[[f32; 2]], x: f64, y: f64) -> u32 {
    for &k in items {
        let poly = &polygons[k as usize];
        let [x0, y0, x1, y1] = poly.bbox.map(f64::from);
        if x < x0 || x > x1 || y < y0 || y > y1 {
            continue;
        }
        let verts = &vertices[poly.vertex_start as usize..(poly.vertex_start + poly.vertex_count) as usize];
        if point_in_outline(verts.len(), |i| (f64::from(verts[i][0]), f64::from(verts[i][1])), x, y) {
            return poly.slab_type;
        }
    }
    NONE
}

/// A straight wall line in the site frame; `u` runs from `a` (0) to `b` (length) [m].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct WallLine {
    /// Start [m].
    pub a: [f32; 2],
    /// End [m].
    pub b: [f32; 2],
    /// First span in [`Scene::spans`].
    pub span_start: u32,
    /// Number of spans.
    pub span_count: u32,
}

/// An interval `[u0, u1)` along a line with one vertical profile.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct Span {
    /// Start along the line [m].
    pub u0: f32,
    /// End along the line [m].
    pub u1: f32,
    /// First layer in [`Scene::layers`].
    pub layer_start: u32,
    /// Number of layers, sorted by `z0`, not overlapping.
    pub layer_count: u32,
}

/// A z interval `[z0, z1)` of a wall profile, of one slab type.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct Layer {
    /// Bottom, site altitude [m].
    pub z0: f32,
    /// Top, site altitude [m].
    pub z1: f32,
    /// Index into [`Scene::slab_types`], or [`NONE`] for a hole.
    pub slab_type: u32,
    /// Padding to 16 bytes.
    pub pad: u32,
}

/// A horizontal plane holding slabs (floors and roofs at one altitude).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct SlabPlane {
    /// Site altitude [m].
    pub z: f32,
    /// Grid cell size [m].
    pub cell: f32,
    /// South-west corner of the lookup grid [m].
    pub origin: [f32; 2],
    /// Grid columns.
    pub nx: u32,
    /// Grid rows.
    pub ny: u32,
    /// First grid cell in [`Scene::plane_cells`] (`nx * ny` cells, row-major from the south).
    pub cells_start: u32,
    /// First footprint polygon of this plane in [`Scene::polygons`].
    pub polygon_start: u32,
    /// Number of its polygons.
    pub polygon_count: u32,
    /// Padding to 40 bytes.
    pub pad: u32,
}

/// A footprint polygon of a slab plane.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct Polygon {
    /// Bounding box xmin, ymin, xmax, ymax [m].
    pub bbox: [f32; 4],
    /// First vertex in [`Scene::vertices`].
    pub vertex_start: u32,
    /// Number of vertices.
    pub vertex_count: u32,
    /// Slab type of this part of the plane.
    pub slab_type: u32,
    /// Padding to 32 bytes.
    pub pad: u32,
}

/// A material and a thickness: the unit of the coefficient tables.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct SlabType {
    /// Index into [`Scene::materials`].
    pub material: u32,
    /// Thickness [m].
    pub thickness: f32,
}

/// Horizontal extent of one building in the site frame, with its floors' site altitudes.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingExtent {
    /// Building name.
    pub name: String,
    /// xmin, ymin, xmax, ymax of its walls and rooms in the site frame [m] (`None` if empty).
    pub bbox: Option<[f64; 4]>,
}

/// The whole site as flat arrays.
#[derive(Debug, Clone)]
pub struct Scene {
    /// Wall lines.
    pub lines: Vec<WallLine>,
    /// Spans of all lines.
    pub spans: Vec<Span>,
    /// Layers of all spans.
    pub layers: Vec<Layer>,
    /// Slab planes, sorted by altitude.
    pub planes: Vec<SlabPlane>,
    /// Per plane grid cell: (first index into `plane_items`, count) of candidate polygons.
    pub plane_cells: Vec<[u32; 2]>,
    /// Polygon indices listed by the plane grid cells.
    pub plane_items: Vec<u32>,
    /// Per plane grid cell: the slab type every point of it finds ([`NONE`] off every
    /// footprint), or [`MIXED`] where a footprint's outline comes within
    /// [`UNIFORM_MARGIN`] of the cell (host only: the lookup's shortcut).
    pub plane_uniform: Vec<u32>,
    /// Footprint polygons of all planes.
    pub polygons: Vec<Polygon>,
    /// Polygon vertices [m].
    pub vertices: Vec<[f32; 2]>,
    /// Slab types in use.
    pub slab_types: Vec<SlabType>,
    /// Materials in use (host only).
    pub materials: Vec<Material>,
    /// Acceleration structure over `lines`.
    pub bvh: Bvh,
    /// Per building: extent, for receiver planes and AP checks.
    pub buildings: Vec<BuildingExtent>,
    /// Where each slab plane holds a slab, for bounds ([`Scene::on_slab`]).
    pub cover: cover::SlabCover,
}

impl Scene {
    /// Builds the scene of a validated site.
    pub fn build(site: &crate::plan::Site) -> Result<Scene, SceneError> {
        build::build(site)
    }

    /// The slab type of wall line `line` at `u` along it and altitude `z` [m], or
    /// [`NONE`] where there is no wall (a hole, above a partial wall, beyond its ends).
    pub fn wall_at(&self, line: usize, u: f64, z: f64) -> u32 {
        let l = &self.lines[line];
        let spans = &self.spans[l.span_start as usize..(l.span_start + l.span_count) as usize];
        // Spans are contiguous and sorted: find the last one starting at or before u.
        let i = spans.partition_point(|s| f64::from(s.u0) <= u);
        if i == 0 || u >= f64::from(spans[i - 1].u1) {
            return NONE;
        }
        let s = &spans[i - 1];
        self.layers[s.layer_start as usize..(s.layer_start + s.layer_count) as usize]
            .iter()
            .find(|layer| f64::from(layer.z0) <= z && z < f64::from(layer.z1))
            .map_or(NONE, |layer| layer.slab_type)
    }

    /// [`Scene::wall_at`] restricted to the spans `first..=last` of the line, which a
    /// caller knows hold `u` (out of them: no wall).
    #[inline]
    pub fn wall_in_spans(&self, first: u32, last: u32, u: f64, z: f64) -> u32 {
        for s in &self.spans[first as usize..=last as usize] {
            if u >= f64::from(s.u0) && u < f64::from(s.u1) {
                return self.layers[s.layer_start as usize..(s.layer_start + s.layer_count) as usize]
                    .iter()
                    .find(|layer| f64::from(layer.z0) <= z && z < f64::from(layer.z1))
                    .map_or(NONE, |layer| layer.slab_type);
            }
        }
        NONE
    }

    /// The slab type of plane `plane` under the point (x, y) [m], or [`NONE`] outside
    /// every footprint.
    pub fn slab_at(&self, plane: usize, x: f64, y: f64) -> u32 {
        let p = &self.planes[plane];
        let cell = f64::from(p.cell);
        let gx = (x - f64::from(p.origin[0])) / cell;
        let gy = (y - f64::from(p.origin[1])) / cell;
        if !(gx >= 0.0 && gy >= 0.0 && gx < f64::from(p.nx) && gy < f64::from(p.ny)) {
            return NONE;
        }
        // Non-negative: truncation is the floor (and no call into libm's).
        let cell = p.cells_start as usize + gy as usize * p.nx as usize + gx as usize;
        match self.plane_uniform[cell] {
            MIXED => {
                let [start, count] = self.plane_cells[cell];
                first_footprint(
                    &self.plane_items[start as usize..(start + count) as usize],
                    &self.polygons,
                    &self.vertices,
                    x,
                    y,
                )
            }
            uniform => uniform,
        }
    }

    /// Whether every point of the convex polygon `poly` [m] lies on one of plane
    /// `plane`'s footprints ([`cover::SlabCover::covers`]); `false` when in doubt.
    pub fn on_slab(&self, plane: usize, poly: &[crate::geometry::P2]) -> bool {
        self.cover.covers(self, plane, poly)
    }

    /// Footprint polygons of plane `plane`.
    pub fn plane_polygons(&self, plane: usize) -> &[Polygon] {
        let p = &self.planes[plane];
        &self.polygons[p.polygon_start as usize..(p.polygon_start + p.polygon_count) as usize]
    }

    /// Site altitudes of the slab planes [m], lowest first.
    pub fn plane_altitudes(&self) -> Vec<f64> {
        self.planes.iter().map(|p| f64::from(p.z)).collect()
    }
}
