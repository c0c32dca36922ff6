//! The site model as written in plan files (DESIGN.md §3): a site holds buildings, a
//! building holds floors stacked by elevation, a floor holds walls (with openings) and
//! rooms. Coordinates are in the building's local frame [m].

use crate::materials::MaterialDef;
use nalgebra::{Point2, Rotation2};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A point or vector of a building's local frame, or of the site frame [m].
pub type Xy = (f64, f64);

/// One school campus: its buildings and any materials they use beyond ITU-R P.2040.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Display name, e.g. "Lycée Exemple".
    pub name: String,
    /// The school's UAI code (French national establishment identifier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uai: Option<String>,
    /// The buildings, each with its own frame.
    pub buildings: Vec<Building>,
    /// Extra materials by name, beside the ITU-R P.2040 names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub materials: BTreeMap<String, MaterialDef>,
}

/// A building: floors in a local frame placed on the site by `origin`, `rotation` and `ground`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Building {
    /// Name, unique in the site.
    pub name: String,
    /// Site coordinates of the local origin [m].
    pub origin: Xy,
    /// Counter-clockwise rotation of the local frame relative to the site frame [°].
    pub rotation: f64,
    /// Site altitude of the local z = 0 (the ground floor) [m].
    #[serde(default)]
    pub ground: f64,
    /// Roof slab, lying at the top floor's elevation + height.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roof: Option<Slab>,
    /// Floors, stacked by elevation.
    pub floors: Vec<Floor>,
}

/// A horizontal slab (floor or roof) of a material and thickness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slab {
    /// Material name (ITU-R or defined in the site).
    pub material: String,
    /// Slab thickness [m].
    pub thickness: f64,
}

/// One storey of a building.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Floor {
    /// Name, unique in the building, e.g. "RDC", "R+1".
    pub name: String,
    /// Height of the floor level above the building's ground floor [m].
    pub elevation: f64,
    /// Floor-to-floor height [m].
    pub height: f64,
    /// Slab below this floor, at its elevation, covering the floor's footprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slab: Option<Slab>,
    /// Walls of this storey.
    #[serde(default)]
    pub walls: Vec<Wall>,
    /// Rooms of this storey.
    #[serde(default)]
    pub rooms: Vec<Room>,
}

/// A wall: one slab on its centre line from `from` to `to` (half-open at `to`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wall {
    /// Start of the centre line, local frame [m].
    pub from: Xy,
    /// End of the centre line, local frame [m].
    pub to: Xy,
    /// Material name.
    pub material: String,
    /// Slab thickness [m] (a stud wall is its boards, ~0.025 m).
    pub thickness: f64,
    /// Bottom of a partial-height wall above the floor [m]; `None`: the floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<f64>,
    /// Top of a partial-height wall above the floor [m]; `None`: the floor's height.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<f64>,
    /// Doors, windows and holes in this wall.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openings: Vec<Opening>,
}

/// What fills an opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum OpeningKind {
    /// A door: 0–2.1 m above the floor by default.
    Door,
    /// A window: 0.9–2.2 m above the floor by default.
    Window,
    /// A hole with no material: the wall's full height by default.
    Opening,
}

/// A door, window or hole in a wall; above and below it the host wall stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// Door, window or hole.
    pub kind: OpeningKind,
    /// Distance along the wall from its `from` end to the opening's start [m].
    pub offset: f64,
    /// Width along the wall [m].
    pub width: f64,
    /// Material of the leaf or glazing (doors and windows; holes have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// Thickness of the leaf or glazing [m].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thickness: Option<f64>,
    /// Bottom above the floor [m]; default by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<f64>,
    /// Top above the floor [m]; default by kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<f64>,
}

/// What a room is used for; it decides the coverage requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RoomKind {
    /// General teaching room.
    Classroom,
    /// Science laboratory.
    Lab,
    /// Vocational workshop.
    Workshop,
    /// Library (CDI).
    Library,
    /// Administration or staff room.
    Office,
    /// Corridor.
    Corridor,
    /// Staircase.
    Stair,
    /// Entrance hall.
    Hall,
    /// Canteen.
    Canteen,
    /// Sports hall.
    Gym,
    /// Boarding-house bedroom.
    Dormitory,
    /// Plant room, toilets, storage, wiring closet.
    Technical,
    /// Covered outdoor area.
    Outdoor,
}

impl RoomKind {
    /// Every kind, in file order.
    pub const ALL: [RoomKind; 13] = [
        RoomKind::Classroom,
        RoomKind::Lab,
        RoomKind::Workshop,
        RoomKind::Library,
        RoomKind::Office,
        RoomKind::Corridor,
        RoomKind::Stair,
        RoomKind::Hall,
        RoomKind::Canteen,
        RoomKind::Gym,
        RoomKind::Dormitory,
        RoomKind::Technical,
        RoomKind::Outdoor,
    ];
}

/// A room: a simple polygon on its floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Room {
    /// Name, e.g. "A101".
    pub name: String,
    /// Use of the room.
    pub kind: RoomKind,
    /// People in the room at peak (pupils and staff) [1].
    #[serde(default)]
    pub occupants: u32,
    /// Outline vertices in order, local frame [m] (the closing edge is implied).
    pub outline: Vec<Xy>,
    /// Whether this room is a wiring closet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closet: bool,
}

impl Building {
    /// Site coordinates of a point of the local frame [m]: R(rotation)·p + origin.
    pub fn to_site(&self, p: Xy) -> Point2<f64> {
        let r = Rotation2::new(self.rotation.to_radians());
        r * Point2::new(p.0, p.1) + nalgebra::Vector2::new(self.origin.0, self.origin.1)
    }

    /// Site altitude of a height `z` [m] of the local frame.
    pub fn site_z(&self, z: f64) -> f64 {
        self.ground + z
    }

    /// Local elevation of the roof: the top floor's elevation + height [m] (`None` without floors).
    pub fn roof_elevation(&self) -> Option<f64> {
        self.floors.iter().map(|f| f.elevation + f.height).reduce(f64::max)
    }

    /// The building in its own frame: origin, rotation and ground level zeroed, so that
    /// its site coordinates are its local ones. Two buildings equal in this form (names
    /// aside) have the same radio maps in their frames, wherever they stand.
    pub fn in_own_frame(&self) -> Building {
        Building { origin: (0.0, 0.0), rotation: 0.0, ground: 0.0, ..self.clone() }
    }

    /// Bounding box of its walls and room outlines in its own frame, (x0, y0, x1, y1) [m];
    /// `None` without either.
    pub fn local_bbox(&self) -> Option<[f64; 4]> {
        let points = self.floors.iter().flat_map(|f| {
            f.walls.iter().flat_map(|w| [w.from, w.to]).chain(f.rooms.iter().flat_map(|r| r.outline.iter().copied()))
        });
        points.fold(None, |bb, (x, y)| {
            let [x0, y0, x1, y1] = bb.unwrap_or([x, y, x, y]);
            Some([x0.min(x), y0.min(y), x1.max(x), y1.max(y)])
        })
    }

    /// The building as its neighbours' signals see it: every floor keeps its slabs, rooms
    /// and the walls that face outside somewhere ([`Floor::faces_outside`]), their
    /// windows and doors closed; the walls between its rooms are left out. Its façades
    /// still reflect (as their wall material), and what they let in crosses two of them
    /// before it can come out again: without its rooms' walls, a path through the
    /// building must not find an easier way than the real one.
    pub fn shell(&self) -> Building {
        let closed = |w: &Wall| Wall { openings: Vec::new(), ..w.clone() };
        let floors = self
            .floors
            .iter()
            .map(|f| Floor { walls: f.walls.iter().filter(|w| f.faces_outside(w)).map(closed).collect(), ..f.clone() })
            .collect();
        Building { floors, ..self.clone() }
    }
}

impl Floor {
    /// Whether `wall` has, somewhere along it, a side in no room of the floor: sampled
    /// every metre or so, just beyond each face. A floor without rooms has no inside, so
    /// every wall faces outside.
    pub fn faces_outside(&self, wall: &Wall) -> bool {
        let length = wall.length();
        if length <= 0.0 {
            return true;
        }
        let (dx, dy) = ((wall.to.0 - wall.from.0) / length, (wall.to.1 - wall.from.1) / length);
        let off = wall.thickness / 2.0 + 0.05;
        let samples = (length.ceil() as usize).max(2);
        let inside = |x: f64, y: f64| {
            self.rooms.iter().any(|r| crate::geometry::point_in_outline(r.outline.len(), |i| r.outline[i], x, y))
        };
        (0..samples).any(|k| {
            let t = length * (k as f64 + 0.5) / samples as f64;
            let (x, y) = (wall.from.0 + dx * t, wall.from.1 + dy * t);
            !inside(x - dy * off, y + dx * off) || !inside(x + dy * off, y - dx * off)
        })
    }
}

impl Wall {
    /// Centre-line length [m].
    pub fn length(&self) -> f64 {
        (self.to.0 - self.from.0).hypot(self.to.1 - self.from.1)
    }

    /// Bottom and top of the wall above its floor [m], for a floor `floor_height` high.
    pub fn z_range(&self, floor_height: f64) -> (f64, f64) {
        (self.bottom.unwrap_or(0.0), self.top.unwrap_or(floor_height))
    }
}

impl Opening {
    /// Bottom and top above the floor [m]; a hole spans its host wall `wall_z` unless told.
    pub fn z_range(&self, wall_z: (f64, f64)) -> (f64, f64) {
        let (b, t) = match self.kind {
            OpeningKind::Door => (0.0, 2.1),
            OpeningKind::Window => (0.9, 2.2),
            OpeningKind::Opening => wall_z,
        };
        (self.bottom.unwrap_or(b), self.top.unwrap_or(t))
    }
}

impl Room {
    /// Area of the outline [m²] (absolute, whatever the vertex order).
    pub fn area(&self) -> f64 {
        let pts: Vec<_> = self.outline.iter().map(|&(x, y)| Point2::new(x, y)).collect();
        crate::geometry::polygon_area(&pts).abs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rotates_counter_clockwise_then_translates() {
        let b =
            Building { name: "G".into(), origin: (10.0, 5.0), rotation: 90.0, ground: 2.0, roof: None, floors: vec![] };
        let p = b.to_site((3.0, 1.0));
        assert!((p.x - 9.0).abs() < 1e-12 && (p.y - 8.0).abs() < 1e-12, "{p}");
        assert_eq!(b.site_z(1.5), 3.5);
    }
}
