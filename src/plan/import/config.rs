//! The import configuration (`IMPORT.ron`): which DXF layers (exact names or glob
//! patterns, case-insensitive) or which image colours mean walls of which material,
//! doors, windows, room outlines and room labels; the floor the drawing is; the scale.

use crate::plan::{RoomKind, Slab};
use serde::{Deserialize, Serialize};

/// A layer pattern and the material it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerMaterial {
    /// Layer name or glob pattern (`*`, `?`, `[…]`), case-insensitive.
    pub layer: String,
    /// Material name.
    pub material: String,
    /// Slab thickness [m].
    pub thickness: f64,
}

/// A material and thickness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialThickness {
    /// Material name.
    pub material: String,
    /// Slab thickness [m].
    pub thickness: f64,
}

/// Walls derived from room outlines when the drawing has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedWalls {
    /// Edges two rooms share.
    pub interior: MaterialThickness,
    /// Edges on the outer boundary.
    pub facade: MaterialThickness,
}

/// The floor a drawing becomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FloorSpec {
    /// Floor name, e.g. "RDC".
    pub name: String,
    /// Elevation above the ground floor [m].
    #[serde(default)]
    pub elevation: f64,
    /// Floor-to-floor height [m].
    pub height: f64,
    /// Slab below the floor.
    #[serde(default)]
    pub slab: Option<Slab>,
}

/// What a colour of a raster plan stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A wall.
    Wall,
    /// A door in a wall.
    Door,
    /// A window in a wall.
    Window,
}

/// One legend entry of a raster plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegendEntry {
    /// Colour (red, green, blue).
    pub colour: (u8, u8, u8),
    /// Largest difference per channel still taken for this colour.
    #[serde(default = "default_colour_tolerance")]
    pub tolerance: u8,
    /// What it draws.
    #[serde(default = "default_role")]
    pub role: Role,
    /// Material.
    pub material: String,
    /// Slab thickness [m]; measured from the stroke width when absent.
    #[serde(default)]
    pub thickness: Option<f64>,
}

fn default_colour_tolerance() -> u8 {
    40
}

fn default_role() -> Role {
    Role::Wall
}

/// The scale of a raster plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RasterScale {
    /// Pixels per metre.
    PixelsPerMetre(f64),
    /// Two points (pixel coordinates, x right, y down) and the distance between them [m].
    TwoPoints((f64, f64), (f64, f64), f64),
}

/// Raster-specific settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RasterSettings {
    /// Colours and what they mean.
    pub legend: Vec<LegendEntry>,
    /// The scale.
    pub scale: RasterScale,
    /// Images with more pixels than this are refused before decoding.
    #[serde(default = "default_max_pixels")]
    pub max_pixels: u64,
    /// Turn enclosed background regions that fill most of their bounding box into
    /// rectangular rooms of `room_kind`.
    #[serde(default)]
    pub detect_rooms: bool,
}

fn default_max_pixels() -> u64 {
    40_000_000
}

/// The whole import configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// Site name (default: the file's name).
    #[serde(default)]
    pub site: Option<String>,
    /// Site UAI.
    #[serde(default)]
    pub uai: Option<String>,
    /// Building name.
    #[serde(default = "default_building")]
    pub building: String,
    /// The floor the drawing is.
    pub floor: FloorSpec,
    /// Metres per drawing unit, overriding the DXF's `$INSUNITS`.
    #[serde(default)]
    pub scale: Option<f64>,
    /// Wall layers.
    #[serde(default)]
    pub walls: Vec<LayerMaterial>,
    /// Door layers.
    #[serde(default)]
    pub doors: Vec<LayerMaterial>,
    /// Window layers.
    #[serde(default)]
    pub windows: Vec<LayerMaterial>,
    /// Room outline layers (closed polylines).
    #[serde(default)]
    pub rooms: Vec<String>,
    /// Room label layers (TEXT, MTEXT).
    #[serde(default)]
    pub labels: Vec<String>,
    /// Layers knowingly left out (not reported).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Walls from room outlines, when no wall layer gives any.
    #[serde(default)]
    pub derived_walls: Option<DerivedWalls>,
    /// Walls are drawn as their two faces: pair parallel faces into centre lines.
    #[serde(default = "yes")]
    pub wall_faces: bool,
    /// Kind of rooms whose label names none.
    #[serde(default = "default_room_kind")]
    pub room_kind: RoomKind,
    /// Endpoints closer than this are snapped together [m].
    #[serde(default = "default_snap")]
    pub snap: f64,
    /// Arcs are flattened to segments within this sagitta [m].
    #[serde(default = "default_arc_tolerance")]
    pub arc_tolerance: f64,
    /// Raster settings (PNG input).
    #[serde(default)]
    pub raster: Option<RasterSettings>,
}

fn yes() -> bool {
    true
}

fn default_building() -> String {
    "A".into()
}

fn default_room_kind() -> RoomKind {
    RoomKind::Office
}

fn default_snap() -> f64 {
    0.01
}

fn default_arc_tolerance() -> f64 {
    0.02
}

/// Whether `layer` matches any of the patterns (case-insensitive globs).
pub fn matches(patterns: &[&str], layer: &str) -> bool {
    let options = glob::MatchOptions { case_sensitive: false, ..Default::default() };
    patterns.iter().any(|p| match glob::Pattern::new(p) {
        Ok(pattern) => pattern.matches_with(layer, options),
        Err(_) => p.eq_ignore_ascii_case(layer),
    })
}

impl ImportConfig {
    /// Everything wrong with the configuration, one message each.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(self.floor.height.is_finite() && self.floor.height > 0.0 && self.floor.elevation.is_finite()) {
            out.push("floor: height must be positive and elevation finite".into());
        }
        if let Some(s) = self.scale
            && !(s.is_finite() && s > 0.0)
        {
            out.push(format!("scale {s} must be a positive number of metres per drawing unit"));
        }
        for (what, list) in [("walls", &self.walls), ("doors", &self.doors), ("windows", &self.windows)] {
            for l in list.iter() {
                if !(l.thickness.is_finite() && l.thickness > 0.0) {
                    out.push(format!("{what} layer \"{}\": thickness must be positive", l.layer));
                }
            }
        }
        for (what, v) in [("snap", self.snap), ("arc_tolerance", self.arc_tolerance)] {
            if !(v.is_finite() && v > 0.0 && v < 1.0) {
                out.push(format!("{what} {v} must lie in (0, 1) m"));
            }
        }
        if let Some(r) = &self.raster {
            if r.legend.is_empty() {
                out.push("raster: the legend is empty".into());
            }
            let ok = match r.scale {
                RasterScale::PixelsPerMetre(p) => p.is_finite() && p > 0.0,
                RasterScale::TwoPoints(a, b, d) => d.is_finite() && d > 0.0 && (a.0 - b.0).hypot(a.1 - b.1) > 0.0,
            };
            if !ok {
                out.push(
                    "raster: the scale must be positive (pixels per metre, or two distinct points and their distance)"
                        .into(),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_patterns_are_case_insensitive_globs() {
        assert!(matches(&["A-WALL*"], "a-wall-ext"));
        assert!(matches(&["CLOISON"], "Cloison"));
        assert!(!matches(&["A-WALL*"], "A-DOOR"));
        assert!(matches(&["[", "x"], "["), "a bad pattern matches its exact text");
    }
}
