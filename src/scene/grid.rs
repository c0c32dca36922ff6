//! Receiver grids, the solver's input beside the scene: one horizontal plane per
//! building floor at the receivers' height, over the footprint plus a margin or over
//! fixed bounds.

use super::Scene;
use crate::plan::Site;

/// A horizontal receiver grid in the site frame: cell (ix, iy) has its centre at
/// (xmin + (ix + 0.5)·cell, ymin + (iy + 0.5)·cell); row 0 is the southern edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Building whose floor this plane samples.
    pub building: String,
    /// Floor name.
    pub floor: String,
    /// West edge [m].
    pub xmin: f64,
    /// South edge [m].
    pub ymin: f64,
    /// Cell size [m].
    pub cell: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
    /// Site altitude of the receivers [m].
    pub z: f64,
}

impl Grid {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.nx * self.ny
    }

    /// Whether the grid has no cell.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Centre of cell (ix, iy) [m].
    #[inline]
    pub fn centre(&self, ix: usize, iy: usize) -> (f64, f64) {
        (self.xmin + (ix as f64 + 0.5) * self.cell, self.ymin + (iy as f64 + 0.5) * self.cell)
    }
}

/// How the receiver planes are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridSpec {
    /// Cell size [m].
    pub cell: f64,
    /// Receiver height above each floor [m].
    pub rx_height: f64,
    /// Margin around each building's footprint [m].
    pub margin: f64,
    /// Fixed bounds (xmin, ymin, xmax, ymax) for every plane instead of footprint + margin [m].
    pub bounds: Option<[f64; 4]>,
}

/// Cells along a length: ⌈length / cell⌉, tolerant of rounding noise.
fn cells_along(length: f64, cell: f64) -> usize {
    ((length / cell) - 1e-9).ceil().max(1.0) as usize
}

/// One receiver plane per floor of every building (buildings without walls or rooms get
/// planes only with fixed bounds).
pub fn grids(site: &Site, scene: &Scene, spec: &GridSpec) -> Vec<Grid> {
    let mut out = Vec::new();
    for (b, extent) in site.buildings.iter().zip(&scene.buildings) {
        let bounds = match (spec.bounds, extent.bbox) {
            (Some(bb), _) => bb,
            (None, Some([x0, y0, x1, y1])) => [x0 - spec.margin, y0 - spec.margin, x1 + spec.margin, y1 + spec.margin],
            (None, None) => continue,
        };
        for f in &b.floors {
            out.push(Grid {
                building: b.name.clone(),
                floor: f.name.clone(),
                xmin: bounds[0],
                ymin: bounds[1],
                cell: spec.cell,
                nx: cells_along(bounds[2] - bounds[0], spec.cell),
                ny: cells_along(bounds[3] - bounds[1], spec.cell),
                z: b.site_z(f.elevation + spec.rx_height),
            });
        }
    }
    out
}
