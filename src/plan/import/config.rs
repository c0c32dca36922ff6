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

/// Walls derived from room outlines when the drawing has none (see [`super::space`]):
/// facility-management exports whose rooms share edges, and space plans whose zones are
/// the rooms' inner faces, facing each other across the walls' thickness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedWalls {
    /// Edges two rooms share, and room edges facing circulation.
    pub interior: MaterialThickness,
    /// Edges on the outer boundary (its thickness, when no façade contour measures it).
    pub facade: MaterialThickness,
    /// Facing edges of two outlines at most this far apart are one wall, as thick as
    /// the gap [m].
    #[serde(default = "default_max_thickness")]
    pub max_thickness: f64,
    /// Material of a wall between facing outlines, by thickness: the first class whose
    /// `up_to` holds the gap, the last class for thicker ones.
    #[serde(default = "default_classes")]
    pub classes: Vec<ThicknessClass>,
    /// Without a façade contour, the building is the union of the outlines closed over
    /// gaps up to this width [m].
    #[serde(default = "default_corridor_width")]
    pub corridor_width: f64,
    /// The area inside the building that no room covers becomes Corridor (or Hall) rooms.
    #[serde(default = "yes")]
    pub circulation: bool,
}

/// Walls up to a thickness are of a material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThicknessClass {
    /// Thickest wall of the class [m].
    pub up_to: f64,
    /// Material name.
    pub material: String,
}

fn default_max_thickness() -> f64 {
    0.6
}

fn default_corridor_width() -> f64 {
    4.0
}

fn default_classes() -> Vec<ThicknessClass> {
    [(0.12, "plasterboard"), (0.25, "brick"), (0.6, "concrete")]
        .map(|(up_to, material)| ThicknessClass { up_to, material: material.into() })
        .to_vec()
}

impl DerivedWalls {
    /// The material of a wall `thickness` [m] thick between facing outlines.
    pub fn material_of(&self, thickness: f64) -> &str {
        self.classes
            .iter()
            .find(|c| thickness <= c.up_to + 1e-9)
            .or(self.classes.last())
            .map_or(self.interior.material.as_str(), |c| c.material.as_str())
    }
}

/// A BIM material name and the material it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialName {
    /// Words of the name, case and accents folded.
    pub name: String,
    /// Material name.
    pub material: String,
}

/// A label keyword and the room kind it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelKeyword {
    /// One or more words, matched as a phrase, case and accents folded.
    pub words: String,
    /// The room kind.
    pub kind: RoomKind,
    /// The room is a wiring closet.
    #[serde(default)]
    pub closet: bool,
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
    /// The floor the drawing is (DXF and PNG; an IFC file has its storeys).
    #[serde(default)]
    pub floor: Option<FloorSpec>,
    /// BIM material names (words, matched as a phrase) and the materials they stand for,
    /// checked before the built-in French and English words (IFC).
    #[serde(default)]
    pub materials: Vec<MaterialName>,
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
    /// Façade contour layers (closed polylines: the building's outer face), used with
    /// `derived_walls`.
    #[serde(default)]
    pub contour: Vec<String>,
    /// Extra label keywords, checked before the built-in French ones.
    #[serde(default)]
    pub keywords: Vec<LabelKeyword>,
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
        if let Some(f) = &self.floor
            && !(f.height.is_finite() && f.height > 0.0 && f.elevation.is_finite())
        {
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
        if let Some(d) = &self.derived_walls {
            for (what, m) in [("interior", &d.interior), ("facade", &d.facade)] {
                if !(m.thickness.is_finite() && m.thickness > 0.0 && m.thickness <= 2.0) {
                    out.push(format!("derived_walls.{what}: thickness {} must lie in (0, 2] m", m.thickness));
                }
            }
            if !(d.max_thickness.is_finite() && d.max_thickness > 0.0 && d.max_thickness <= 2.0) {
                out.push(format!("derived_walls.max_thickness {} must lie in (0, 2] m", d.max_thickness));
            }
            if !(d.corridor_width.is_finite() && d.corridor_width >= 0.0 && d.corridor_width <= 50.0) {
                out.push(format!("derived_walls.corridor_width {} must lie in [0, 50] m", d.corridor_width));
            }
            if d.classes.is_empty() {
                out.push("derived_walls.classes: give at least one thickness class".into());
            }
            if d.classes.iter().any(|c| !c.up_to.is_finite() || c.up_to <= 0.0)
                || d.classes.windows(2).any(|w| w[0].up_to >= w[1].up_to)
            {
                out.push("derived_walls.classes: `up_to` must be positive and increase from class to class".into());
            }
        }
        if !self.contour.is_empty() && self.derived_walls.is_none() {
            out.push("contour: a façade contour is used with `derived_walls`; set it too".into());
        }
        for k in &self.keywords {
            if !k.words.chars().any(char::is_alphanumeric) {
                out.push(format!("keywords: \"{}\" has no word to match", k.words));
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
