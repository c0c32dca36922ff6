//! A procedural French public lycée: from its number of pupils and its type, a campus of
//! the 1960s–1990s — teaching blocks of 2 to 4 storeys (double-loaded corridors, concrete
//! stair cores at both ends, a wiring closet per floor), a canteen, a gym, workshops for
//! vocational lycées, and a boarding house for some — deterministic for a seed text.
//!
//! Sizing follows how lycées use their rooms: about one teaching room per 20–25 pupils
//! (classes of ~35 use their room 60–70 % of the week; add half-group rooms, labs and
//! workshops), so that the seats of the teaching rooms add up to 1.2–1.8× the pupils.
//! Classrooms are 8 × 7 m (56 m², 35 seats), half-group rooms 5 × 7 m, labs 10 × 7 m,
//! workshops 12 × 14 m halls with machines (metal blocks 1.8 m high).

use super::{Building, Floor, Opening, OpeningKind, Room, RoomKind, Site, Slab, Wall};
use crate::seed::{below, chance, rng, uniform};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Type of a French public lycée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SchoolType {
    /// Lycée d'enseignement général et technologique.
    Legt,
    /// Lycée polyvalent (general and vocational).
    Lpo,
    /// Lycée professionnel.
    Lp,
    /// Établissement régional d'enseignement adapté.
    Erea,
}

impl FromStr for SchoolType {
    type Err = String;
    fn from_str(s: &str) -> Result<SchoolType, String> {
        match s.trim().to_ascii_uppercase().as_str() {
            "LEGT" => Ok(SchoolType::Legt),
            "LPO" => Ok(SchoolType::Lpo),
            "LP" => Ok(SchoolType::Lp),
            "EREA" => Ok(SchoolType::Erea),
            other => Err(format!("unknown lycée type {other:?}: expected LEGT, LPO, LP or EREA")),
        }
    }
}

impl fmt::Display for SchoolType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchoolType::Legt => "LEGT",
            SchoolType::Lpo => "LPO",
            SchoolType::Lp => "LP",
            SchoolType::Erea => "EREA",
        })
    }
}

/// Largest number of pupils the generator accepts.
pub const MAX_PUPILS: u32 = 5000;

/// Why a lycée could not be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GenerateError {
    /// The number of pupils is out of range.
    #[error("{0} pupils: a lycée needs between 1 and {MAX_PUPILS}")]
    Pupils(u32),
}

impl crate::error::JobError for GenerateError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

/// Storey height of every building but halls [m].
const STOREY: f64 = 3.5;
/// Depth of a row of rooms [m].
const ROW: f64 = 7.0;
/// Corridor width [m].
const CORRIDOR: f64 = 2.0;

const CONCRETE_FACADE: (&str, f64) = ("concrete", 0.3);
const CONCRETE_CORE: (&str, f64) = ("concrete", 0.2);
const BRICK: (&str, f64) = ("brick", 0.2);

/// A room to lay out along a corridor.
#[derive(Debug, Clone, PartialEq)]
struct Spec {
    name: String,
    kind: RoomKind,
    occupants: u32,
    width: f64,
}

fn spec(name: impl Into<String>, kind: RoomKind, occupants: u32, width: f64) -> Spec {
    Spec { name: name.into(), kind, occupants, width }
}

/// What a campus holds, before layout.
struct Programme {
    teaching: Vec<Spec>,
    admin: Vec<Spec>,
    workshops: Vec<Spec>,
    canteen_seats: u32,
    gym_halls: u32,
    boarders: u32,
}

fn programme(pupils: u32, kind: SchoolType, r: &mut ChaCha8Rng) -> Programme {
    let n = f64::from(pupils);
    let erea = kind == SchoolType::Erea;
    let (seats_class, seats_half, seats_workshop) = if erea { (16, 10, 12) } else { (35, 18, 16) };
    let per_room = if erea { uniform(r, 8.0, 12.0) } else { uniform(r, 20.0, 25.0) };
    let rooms = ((n / per_room).round() as usize).max(3);
    // Shares of half-group rooms, labs and workshops by type.
    let (half, labs, workshops) = match kind {
        SchoolType::Legt => (uniform(r, 0.15, 0.22), uniform(r, 0.10, 0.15), 0.0),
        SchoolType::Lpo => (uniform(r, 0.10, 0.15), uniform(r, 0.06, 0.10), uniform(r, 0.20, 0.30)),
        SchoolType::Lp => (uniform(r, 0.08, 0.12), uniform(r, 0.0, 0.05), uniform(r, 0.32, 0.42)),
        SchoolType::Erea => (uniform(r, 0.08, 0.12), 0.0, uniform(r, 0.35, 0.45)),
    };
    let count = |share: f64| (share * rooms as f64).round() as usize;
    let (mut n_half, n_labs, n_work) = (count(half), count(labs), count(workshops));
    let mut n_class = rooms.saturating_sub(n_half + n_labs + n_work).max(1);
    let seats = |c: usize, h: usize| (c * seats_class + h * seats_half + n_labs * 24 + n_work * seats_workshop) as f64;
    // Keep the teaching seats within 1.25–1.75× the pupils.
    while seats(n_class, n_half) < 1.25 * n {
        n_class += 1;
    }
    while seats(n_class, n_half) > 1.75 * n && n_class > 1 {
        n_class -= 1;
        n_half += 1;
        if seats(n_class, n_half) > 1.75 * n && n_half > 0 {
            n_half -= 1;
        }
    }
    let mut teaching = Vec::new();
    for i in 0..n_class {
        teaching.push(spec(format!("Salle {}", i + 1), RoomKind::Classroom, seats_class as u32, 8.0));
    }
    for i in 0..n_half {
        teaching.push(spec(format!("Demi-groupe {}", i + 1), RoomKind::Classroom, seats_half as u32, 5.0));
    }
    for i in 0..n_labs {
        teaching.push(spec(format!("Laboratoire {}", i + 1), RoomKind::Lab, 24, 10.0));
    }
    let workshops = (0..n_work)
        .map(|i| spec(format!("Atelier {}", i + 1), RoomKind::Workshop, seats_workshop as u32, 12.0))
        .collect();
    let library_seats = (pupils / 15).clamp(20, 100);
    let library_width = ((f64::from(library_seats) * 2.5 / ROW / 4.0).ceil() * 4.0).max(12.0);
    let admin = vec![
        spec("Hall", RoomKind::Hall, 30, 8.0),
        spec("Direction", RoomKind::Office, 3, 4.0),
        spec("Secrétariat", RoomKind::Office, 3, 4.0),
        spec("Vie scolaire", RoomKind::Office, 4, 4.0),
        spec("Intendance", RoomKind::Office, 3, 4.0),
        spec("Infirmerie", RoomKind::Office, 2, 4.0),
        spec(
            "Salle des professeurs",
            RoomKind::Office,
            (pupils / 20).clamp(10, 60),
            if pupils > 800 { 12.0 } else { 8.0 },
        ),
        spec("CDI", RoomKind::Library, library_seats, library_width),
    ];
    let boarding = erea || chance(r, 0.3);
    let boarders =
        if boarding { (n * if erea { uniform(r, 0.35, 0.5) } else { uniform(r, 0.1, 0.2) }).round() as u32 } else { 0 };
    Programme {
        teaching,
        admin,
        workshops,
        canteen_seats: (pupils / 4).max(30),
        gym_halls: if pupils >= 1000 { 2 } else { 1 },
        boarders,
    }
}

/// A glazed window, sill at 0.9 m, head at 2.5 m.
fn window(offset: f64, width: f64) -> Opening {
    Opening { bottom: Some(0.9), top: Some(2.5), ..opening(OpeningKind::Window, offset, width, ("glass", 0.008)) }
}

/// A wooden door, floor to the wall's top.
fn door(offset: f64, width: f64) -> Opening {
    opening(OpeningKind::Door, offset, width, ("wood", 0.04))
}

fn opening(kind: OpeningKind, offset: f64, width: f64, (material, thickness): (&str, f64)) -> Opening {
    Opening {
        kind,
        offset,
        width,
        material: Some(material.into()),
        thickness: Some(thickness),
        bottom: None,
        top: None,
    }
}

fn wall(from: (f64, f64), to: (f64, f64), (material, thickness): (&str, f64), openings: Vec<Opening>) -> Wall {
    Wall { from, to, material: material.into(), thickness, bottom: None, top: None, openings }
}

fn rect(name: impl Into<String>, kind: RoomKind, occupants: u32, x0: f64, y0: f64, x1: f64, y1: f64) -> Room {
    Room { name: name.into(), kind, occupants, outline: vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closet: false }
}

/// Windows along a room of a façade: one per 3.5 m, evenly spaced.
fn room_windows(x0: f64, width: f64) -> Vec<Opening> {
    let n = (width / 3.5).floor().max(1.0) as usize;
    let w = (width / n as f64 - 1.0).min(2.4);
    (0..n).map(|i| window(x0 + (i as f64 + 0.5) * width / n as f64 - w / 2.0, w)).collect()
}

/// Splits rooms into rows of at most `length` metres each.
fn rows(rooms: &[Spec], length: f64) -> Vec<Vec<Spec>> {
    let mut out: Vec<Vec<Spec>> = Vec::new();
    let mut used = f64::INFINITY;
    for r in rooms {
        if used + r.width > length + 1e-9 {
            out.push(Vec::new());
            used = 0.0;
        }
        used += r.width;
        out.last_mut().expect("a row").push(r.clone());
    }
    out
}

/// A teaching block: storeys of two rows along a central corridor, a concrete stair core
/// at each end, toilets, a lift and a wiring closet per floor. `floors[i]` = (south
/// row, north row) of storey i.
fn block(name: &str, floors: &[(Vec<Spec>, Vec<Spec>)], partition: (&str, f64)) -> Building {
    let width = |row: &[Spec]| row.iter().map(|r| r.width).sum::<f64>();
    let usable = floors.iter().flat_map(|(s, n)| [width(s), width(n)]).fold(8.0f64, f64::max).ceil();
    let (x_e, total) = (4.0 + usable, 12.0 + usable);
    let (ys, yc0, yc1, yn) = (0.0, ROW, ROW + CORRIDOR, 2.0 * ROW + CORRIDOR);
    let mut storeys = Vec::new();
    for (level, (south, north)) in floors.iter().enumerate() {
        // Pad each row to the usable length: a store room, or a wider last room.
        let pad = |row: &[Spec], side: &str| -> Vec<Spec> {
            let mut row = row.to_vec();
            let gap = usable - width(&row);
            if gap >= 2.0 || row.is_empty() {
                row.push(spec(format!("Rangement {side}{level}"), RoomKind::Technical, 0, gap));
            } else if let Some(last) = row.last_mut() {
                last.width += gap;
            }
            row
        };
        let (south, north) = (pad(south, "S"), pad(north, "N"));
        let mut walls = Vec::new();
        let mut rooms = Vec::new();
        let mut south_windows = vec![window(1.4, 1.2)];
        let mut north_windows = vec![window(1.4, 1.2)];
        let mut south_doors = Vec::new();
        let mut north_doors = Vec::new();
        for (row, windows, doors, y0, y1) in [
            (&south, &mut south_windows, &mut south_doors, ys, yc0),
            (&north, &mut north_windows, &mut north_doors, yc1, yn),
        ] {
            let mut x = 4.0;
            for (i, r) in row.iter().enumerate() {
                windows.extend(room_windows(x, r.width));
                doors.push(door(x - 4.0 + 0.5, 0.9));
                if r.width >= 10.0 {
                    doors.push(door(x - 4.0 + r.width - 1.4, 0.9));
                }
                if i > 0 {
                    walls.push(wall((x, y0), (x, y1), partition, Vec::new()));
                }
                rooms.push(rect(r.name.clone(), r.kind, r.occupants, x, y0, x + r.width, y1));
                x += r.width;
            }
        }
        south_windows.push(window(x_e + 1.4, 1.2));
        north_windows.push(window(total - 2.6, 1.2));
        walls.push(wall((0.0, ys), (total, ys), CONCRETE_FACADE, south_windows));
        walls.push(wall((0.0, yn), (total, yn), CONCRETE_FACADE, north_windows));
        walls.push(wall((0.0, ys), (0.0, yn), CONCRETE_FACADE, vec![window(yc0 + 0.2, 1.6)]));
        walls.push(wall((total, ys), (total, yn), CONCRETE_FACADE, vec![window(yc0 + 0.2, 1.6)]));
        walls.push(wall((0.0, yc0), (4.0, yc0), CONCRETE_CORE, vec![door(1.3, 1.4)]));
        walls.push(wall((4.0, yc0), (x_e, yc0), BRICK, south_doors));
        walls.push(wall((x_e, yc0), (x_e + 4.0, yc0), CONCRETE_CORE, vec![door(1.3, 1.4)]));
        walls.push(wall((x_e + 4.0, yc0), (total, yc0), BRICK, vec![door(1.5, 0.9)]));
        walls.push(wall((0.0, yc1), (4.0, yc1), BRICK, vec![door(1.5, 0.9)]));
        walls.push(wall((4.0, yc1), (x_e, yc1), BRICK, north_doors));
        walls.push(wall((x_e, yc1), (x_e + 4.0, yc1), CONCRETE_CORE, vec![door(1.5, 1.0)]));
        walls.push(wall((x_e + 4.0, yc1), (total, yc1), BRICK, vec![door(1.5, 0.9)]));
        walls.push(wall((4.0, ys), (4.0, yc0), CONCRETE_CORE, Vec::new()));
        walls.push(wall((x_e, ys), (x_e, yc0), CONCRETE_CORE, Vec::new()));
        walls.push(wall((x_e + 4.0, ys), (x_e + 4.0, yc0), CONCRETE_CORE, Vec::new()));
        walls.push(wall((x_e + 4.0, 3.5), (total, 3.5), BRICK, vec![door(1.5, 0.9)]));
        walls.push(wall((4.0, yc1), (4.0, yn), BRICK, Vec::new()));
        walls.push(wall((x_e, yc1), (x_e, yn), CONCRETE_CORE, Vec::new()));
        walls.push(wall((x_e + 4.0, yc1), (x_e + 4.0, yn), CONCRETE_CORE, Vec::new()));
        rooms.push(rect(format!("Circulation {name}{level}"), RoomKind::Corridor, 0, 0.0, yc0, total, yc1));
        rooms.push(rect(format!("Escalier Ouest {name}{level}"), RoomKind::Stair, 0, 0.0, ys, 4.0, yc0));
        rooms.push(rect(format!("Escalier Est {name}{level}"), RoomKind::Stair, 0, x_e, ys, x_e + 4.0, yc0));
        rooms.push(rect(format!("Réserve {name}{level}"), RoomKind::Technical, 0, x_e + 4.0, ys, total, 3.5));
        let mut closet = rect(format!("Local VDI {name}{level}"), RoomKind::Technical, 0, x_e + 4.0, 3.5, total, yc0);
        closet.closet = true;
        rooms.push(closet);
        rooms.push(rect(format!("Sanitaires Ouest {name}{level}"), RoomKind::Technical, 0, 0.0, yc1, 4.0, yn));
        rooms.push(rect(format!("Ascenseur {name}{level}"), RoomKind::Technical, 0, x_e, yc1, x_e + 4.0, yn));
        rooms.push(rect(format!("Sanitaires Est {name}{level}"), RoomKind::Technical, 0, x_e + 4.0, yc1, total, yn));
        storeys.push(Floor {
            name: if level == 0 { "RDC".to_string() } else { format!("R+{level}") },
            elevation: level as f64 * STOREY,
            height: STOREY,
            slab: Some(Slab { material: "concrete".into(), thickness: 0.25 }),
            walls,
            rooms,
        });
    }
    Building {
        name: name.into(),
        origin: (0.0, 0.0),
        rotation: 0.0,
        ground: 0.0,
        roof: Some(Slab { material: "concrete".into(), thickness: 0.25 }),
        floors: storeys,
    }
}

/// A single-storey hall building: a big room of `width` × `depth` m, and an annex of
/// `annex` metres at its east end with a store, a closet and the given small room.
#[allow(clippy::too_many_arguments)]
fn hall_building(
    name: &str,
    halls: &[Spec],
    depth: f64,
    height: f64,
    facade: (&str, f64),
    roof: Slab,
    annex_room: Spec,
    machines: bool,
) -> Building {
    let length = halls.iter().map(|h| h.width).sum::<f64>();
    let total = length + 8.0;
    let mut walls = Vec::new();
    let mut rooms = Vec::new();
    let mut south = Vec::new();
    let mut north = Vec::new();
    let mut x = 0.0;
    for (i, h) in halls.iter().enumerate() {
        let n = (h.width / 5.0).floor().max(1.0) as usize;
        for k in 0..n {
            let w = 2.4f64.min(h.width / n as f64 - 1.0);
            let off = x + (k as f64 + 0.5) * h.width / n as f64 - w / 2.0;
            south.push(Opening { bottom: Some(1.2), top: Some(3.0), ..window(off, w) });
            north.push(Opening { bottom: Some(1.2), top: Some(3.0), ..window(off, w) });
        }
        if i > 0 {
            walls.push(wall((x, 0.0), (x, depth), BRICK, vec![door(depth / 2.0 - 0.7, 1.4)]));
        }
        if machines {
            // Machine tools: metal blocks 1.8 m high, 3 m long, in two rows.
            for (mx, my) in [(0.3, 0.3), (0.6, 0.3), (0.3, 0.7), (0.6, 0.7)] {
                let (cx, cy) = (x + mx * h.width, my * depth);
                walls.push(Wall {
                    top: Some(1.8),
                    ..wall((cx - 1.5, cy), (cx + 1.5, cy), ("metal", 0.005), Vec::new())
                });
            }
        }
        rooms.push(rect(h.name.clone(), h.kind, h.occupants, x, 0.0, x + h.width, depth));
        x += h.width;
    }
    let mid = depth / 2.0;
    walls.push(wall((0.0, 0.0), (total, 0.0), facade, south));
    walls.push(wall((0.0, depth), (total, depth), facade, north));
    walls.push(wall((0.0, 0.0), (0.0, depth), facade, vec![door(mid - 1.0, 2.0)]));
    walls.push(wall((total, 0.0), (total, depth), facade, vec![door(1.0, 1.4)]));
    walls.push(wall((length, 0.0), (length, depth), BRICK, vec![door(1.0, 1.4), door(depth - 2.4, 1.4)]));
    walls.push(Wall { top: Some(3.0), ..wall((length, mid - 2.0), (total, mid - 2.0), BRICK, vec![door(1.0, 0.9)]) });
    walls.push(Wall { top: Some(3.0), ..wall((length, mid + 2.0), (total, mid + 2.0), BRICK, vec![door(1.0, 0.9)]) });
    walls.push(Wall {
        top: Some(3.0),
        ..wall((length + 5.0, mid - 2.0), (length + 5.0, mid + 2.0), ("plasterboard", 0.025), vec![door(1.5, 0.9)])
    });
    rooms.push(rect(format!("Réserve {name}"), RoomKind::Technical, 0, length, 0.0, total, mid - 2.0));
    rooms.push(rect(
        annex_room.name,
        annex_room.kind,
        annex_room.occupants,
        length,
        mid - 2.0,
        length + 5.0,
        mid + 2.0,
    ));
    let mut closet =
        rect(format!("Local VDI {name}"), RoomKind::Technical, 0, length + 5.0, mid - 2.0, total, mid + 2.0);
    closet.closet = true;
    rooms.push(closet);
    rooms.push(rect(format!("Vestiaires {name}"), RoomKind::Technical, 0, length, mid + 2.0, total, depth));
    Building {
        name: name.into(),
        origin: (0.0, 0.0),
        rotation: 0.0,
        ground: 0.0,
        roof: Some(roof),
        floors: vec![Floor {
            name: "RDC".into(),
            elevation: 0.0,
            height,
            slab: Some(Slab { material: "concrete".into(), thickness: 0.2 }),
            walls,
            rooms,
        }],
    }
}

/// Generates a lycée of `pupils` pupils of type `kind`, deterministic for `seed`.
pub fn generate(pupils: u32, kind: SchoolType, seed: &str) -> Result<Site, GenerateError> {
    if pupils == 0 || pupils > MAX_PUPILS {
        return Err(GenerateError::Pupils(pupils));
    }
    let r = &mut rng(seed);
    let p = programme(pupils, kind, r);
    let partition = if chance(r, 0.4) { ("plasterboard", 0.025) } else { ("brick", 0.1) };
    let storeys = 2 + below(r, 3);
    let row_length = [40.0, 48.0, 56.0][below(r, 3)];

    // Teaching blocks: the administration and the CDI on the first ground floor.
    let mut all = p.admin.clone();
    all.extend(p.teaching.iter().cloned());
    let teaching_rows = rows(&all, row_length);
    let per_block = 2 * storeys;
    let mut buildings = Vec::new();
    for (b, chunk) in teaching_rows.chunks(per_block).enumerate() {
        let floors: Vec<(Vec<Spec>, Vec<Spec>)> =
            chunk.chunks(2).map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default())).collect();
        buildings.push(block(&char::from(b'A' + (b as u8 % 26)).to_string(), &floors, partition));
    }
    let canteen_width = (f64::from(p.canteen_seats) * 1.3 / 15.0 / 4.0).ceil() * 4.0;
    buildings.push(hall_building(
        "Restauration",
        &[spec("Réfectoire", RoomKind::Canteen, p.canteen_seats, canteen_width.max(16.0))],
        15.0,
        3.5,
        ("concrete", 0.25),
        Slab { material: "concrete".into(), thickness: 0.25 },
        spec("Cuisine bureau", RoomKind::Office, 2, 0.0),
        false,
    ));
    let gyms: Vec<Spec> =
        (0..p.gym_halls).map(|i| spec(format!("Salle de sport {}", i + 1), RoomKind::Gym, 35, 24.0)).collect();
    buildings.push(hall_building(
        "Gymnase",
        &gyms,
        20.0,
        7.5,
        ("concrete", 0.25),
        Slab { material: "metal".into(), thickness: 0.00075 },
        spec("Bureau EPS", RoomKind::Office, 2, 0.0),
        false,
    ));
    if !p.workshops.is_empty() {
        for (i, group) in p.workshops.chunks(6).enumerate() {
            buildings.push(hall_building(
                &format!("Ateliers {}", i + 1),
                group,
                14.0,
                5.0,
                ("concrete", 0.2),
                Slab { material: "metal".into(), thickness: 0.00075 },
                spec(format!("Bureau des ateliers {}", i + 1), RoomKind::Office, 2, 0.0),
                true,
            ));
        }
    }
    if p.boarders > 0 {
        let rooms_needed = p.boarders.div_ceil(4) as usize;
        let mut specs = vec![spec("Foyer", RoomKind::Hall, 30, 8.0), spec("Salle d'étude", RoomKind::Hall, 30, 8.0)];
        specs.extend((0..rooms_needed).map(|i| spec(format!("Chambre {}", i + 1), RoomKind::Dormitory, 0, 4.0)));
        let board_rows = rows(&specs, row_length);
        let floors: Vec<(Vec<Spec>, Vec<Spec>)> =
            board_rows.chunks(2).map(|pair| (pair[0].clone(), pair.get(1).cloned().unwrap_or_default())).collect();
        buildings.push(block("Internat", &floors, ("brick", 0.1)));
    }

    // Campus: buildings in a row, 12–25 m apart, halls turned by up to 20°.
    let mut cursor = 0.0;
    for b in buildings.iter_mut() {
        let halls = b.floors.len() == 1;
        b.rotation = if halls { uniform(r, -20.0, 20.0).round() } else { 0.0 };
        let corners: Vec<(f64, f64)> = b
            .floors
            .iter()
            .flat_map(|f| f.walls.iter().flat_map(|w| [w.from, w.to]))
            .map(|p| {
                let q = Building { origin: (0.0, 0.0), ..b.clone() }.to_site(p);
                (q.x, q.y)
            })
            .collect();
        let xmin = corners.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        let xmax = corners.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max);
        b.origin = (cursor - xmin, uniform(r, -10.0, 10.0).round());
        cursor += xmax - xmin + uniform(r, 12.0, 25.0).round();
    }
    Ok(Site {
        name: format!("Lycée {kind} de {pupils} élèves ({seed})"),
        uai: None,
        buildings,
        materials: Default::default(),
    })
}

/// The seats of a site's teaching rooms (Classroom, Lab, Workshop, Library) [1].
pub fn teaching_seats(site: &Site) -> u32 {
    site.buildings
        .iter()
        .flat_map(|b| b.floors.iter().flat_map(|f| f.rooms.iter()))
        .filter(|r| matches!(r.kind, RoomKind::Classroom | RoomKind::Lab | RoomKind::Workshop))
        .map(|r| r.occupants)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::validate;

    #[test]
    fn a_700_pupil_legt_is_valid_and_sized_like_one() {
        let site = generate(700, SchoolType::Legt, "0140013N").unwrap();
        assert!(validate(&site).is_empty(), "{:#?}", validate(&site));
        let seats = f64::from(teaching_seats(&site));
        assert!((1.2 * 700.0..=1.8 * 700.0).contains(&seats), "{seats}");
    }
}
