//! The summary `wifiplan check` prints: buildings and floors, walls per material, rooms
//! per kind, slab losses of the materials in use, and the site's bounding box.

use super::{OpeningKind, RoomKind, Site};
use crate::materials::{MaterialLibrary, to_db};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// What `check` reports about a valid site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Site name.
    pub site: String,
    /// UAI code, when the plan gives one.
    pub uai: Option<String>,
    /// Buildings in file order.
    pub buildings: Vec<BuildingSummary>,
    /// Walls per material, by name.
    pub walls_by_material: Vec<MaterialWalls>,
    /// Rooms per kind, in the order of [`RoomKind::ALL`], kinds with rooms only.
    pub rooms_by_kind: Vec<KindRooms>,
    /// Frequency of the loss table [GHz].
    pub frequency_ghz: f64,
    /// Normal-incidence slab losses of every (material, thickness) the plan uses.
    pub losses: Vec<SlabLoss>,
    /// Bounding box of walls, rooms and floors in site coordinates.
    pub bounds: Extent,
}

/// One building of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildingSummary {
    /// Name.
    pub name: String,
    /// Site coordinates of the local origin [m].
    pub origin: (f64, f64),
    /// Rotation of the local frame, counter-clockwise [°].
    pub rotation_deg: f64,
    /// Site altitude of the ground floor [m].
    pub ground_m: f64,
    /// Roof as "material thickness", if any.
    pub roof: Option<String>,
    /// Floors, in file order.
    pub floors: Vec<FloorSummary>,
}

/// One floor of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorSummary {
    /// Name.
    pub name: String,
    /// Elevation above the ground floor [m].
    pub elevation_m: f64,
    /// Floor-to-floor height [m].
    pub height_m: f64,
    /// Number of walls.
    pub walls: usize,
    /// Number of rooms.
    pub rooms: usize,
    /// Number of doors.
    pub doors: usize,
    /// Number of windows.
    pub windows: usize,
    /// Number of holes (openings without material).
    pub holes: usize,
    /// Occupants of its rooms.
    pub occupants: u64,
}

/// Walls of one material.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialWalls {
    /// Material name.
    pub material: String,
    /// Number of walls.
    pub count: usize,
    /// Total centre-line length [m].
    pub length_m: f64,
}

/// Rooms of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindRooms {
    /// Room kind.
    pub kind: RoomKind,
    /// Number of rooms.
    pub count: usize,
    /// Total floor area [m²].
    pub area_m2: f64,
    /// Total occupants.
    pub occupants: u64,
    /// Of which wiring closets.
    pub closets: usize,
}

/// Slab loss of one (material, thickness) at normal incidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlabLoss {
    /// Material name.
    pub material: String,
    /// Thickness [m].
    pub thickness_m: f64,
    /// Transmission loss −10·log10|T|² [dB]; `None` when the material is not valid here.
    pub transmission_loss_db: Option<f64>,
    /// Reflection loss −10·log10|R|² [dB]; `None` when the material is not valid here.
    pub reflection_loss_db: Option<f64>,
    /// Why the material cannot be evaluated at this frequency.
    pub error: Option<String>,
}

/// Axis-aligned box in site coordinates [m].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Extent {
    /// West edge [m].
    pub xmin: f64,
    /// South edge [m].
    pub ymin: f64,
    /// East edge [m].
    pub xmax: f64,
    /// North edge [m].
    pub ymax: f64,
    /// Lowest floor level [m].
    pub zmin: f64,
    /// Highest roof level [m].
    pub zmax: f64,
}

impl Extent {
    /// The empty box, which any point grows.
    pub const EMPTY: Extent = Extent {
        xmin: f64::INFINITY,
        ymin: f64::INFINITY,
        xmax: f64::NEG_INFINITY,
        ymax: f64::NEG_INFINITY,
        zmin: f64::INFINITY,
        zmax: f64::NEG_INFINITY,
    };

    /// Grows the horizontal extent to hold `p` [m].
    pub fn grow(&mut self, p: nalgebra::Point2<f64>) {
        self.xmin = self.xmin.min(p.x);
        self.ymin = self.ymin.min(p.y);
        self.xmax = self.xmax.max(p.x);
        self.ymax = self.ymax.max(p.y);
    }
}

impl Summary {
    /// Summarises a validated site, with slab losses at `f_ghz` [GHz].
    pub fn of(site: &Site, f_ghz: f64) -> Summary {
        let mut walls: BTreeMap<&str, MaterialWalls> = BTreeMap::new();
        let mut kinds: BTreeMap<RoomKind, KindRooms> = BTreeMap::new();
        let mut slabs: BTreeMap<(&str, u64), f64> = BTreeMap::new();
        let mut bounds = Extent::EMPTY;
        let mut buildings = Vec::new();
        for b in &site.buildings {
            let mut floors = Vec::new();
            for f in &b.floors {
                let mut fs = FloorSummary {
                    name: f.name.clone(),
                    elevation_m: f.elevation,
                    height_m: f.height,
                    walls: f.walls.len(),
                    rooms: f.rooms.len(),
                    doors: 0,
                    windows: 0,
                    holes: 0,
                    occupants: 0,
                };
                if let Some(s) = &f.slab {
                    slabs.insert((s.material.as_str(), s.thickness.to_bits()), s.thickness);
                }
                for w in &f.walls {
                    bounds.grow(b.to_site(w.from));
                    bounds.grow(b.to_site(w.to));
                    let e = walls.entry(w.material.as_str()).or_insert_with(|| MaterialWalls {
                        material: w.material.clone(),
                        count: 0,
                        length_m: 0.0,
                    });
                    e.count += 1;
                    e.length_m += w.length();
                    slabs.insert((w.material.as_str(), w.thickness.to_bits()), w.thickness);
                    for o in &w.openings {
                        match o.kind {
                            OpeningKind::Door => fs.doors += 1,
                            OpeningKind::Window => fs.windows += 1,
                            OpeningKind::Opening => fs.holes += 1,
                        }
                        if let (Some(m), Some(t)) = (&o.material, o.thickness) {
                            slabs.insert((m.as_str(), t.to_bits()), t);
                        }
                    }
                }
                for r in &f.rooms {
                    r.outline.iter().for_each(|&p| bounds.grow(b.to_site(p)));
                    let e = kinds.entry(r.kind).or_insert_with(|| KindRooms {
                        kind: r.kind,
                        count: 0,
                        area_m2: 0.0,
                        occupants: 0,
                        closets: 0,
                    });
                    e.count += 1;
                    e.area_m2 += r.area();
                    e.occupants += u64::from(r.occupants);
                    e.closets += usize::from(r.closet);
                    fs.occupants += u64::from(r.occupants);
                }
                bounds.zmin = bounds.zmin.min(b.site_z(f.elevation));
                floors.push(fs);
            }
            if let Some(top) = b.roof_elevation() {
                bounds.zmax = bounds.zmax.max(b.site_z(top));
            }
            if let Some(r) = &b.roof {
                slabs.insert((r.material.as_str(), r.thickness.to_bits()), r.thickness);
            }
            buildings.push(BuildingSummary {
                name: b.name.clone(),
                origin: b.origin,
                rotation_deg: b.rotation,
                ground_m: b.ground,
                roof: b.roof.as_ref().map(|r| format!("{} {} m", r.material, r.thickness)),
                floors,
            });
        }
        let library = MaterialLibrary::new(&site.materials);
        let losses = slabs
            .into_iter()
            .map(|((m, _), t)| {
                let power = library.get(m).and_then(|mat| mat.slab_power(f_ghz, t, 1.0));
                match power {
                    Ok(p) => SlabLoss {
                        material: m.to_string(),
                        thickness_m: t,
                        transmission_loss_db: Some(-to_db(p.t_te)),
                        reflection_loss_db: Some(-to_db(p.r_te)),
                        error: None,
                    },
                    Err(e) => SlabLoss {
                        material: m.to_string(),
                        thickness_m: t,
                        transmission_loss_db: None,
                        reflection_loss_db: None,
                        error: Some(e.to_string()),
                    },
                }
            })
            .collect();
        Summary {
            site: site.name.clone(),
            uai: site.uai.clone(),
            buildings,
            walls_by_material: walls.into_values().collect(),
            rooms_by_kind: RoomKind::ALL.iter().filter_map(|k| kinds.remove(k)).collect(),
            frequency_ghz: f_ghz,
            losses,
            bounds,
        }
    }
}

impl Summary {
    /// Why some materials of the plan cannot be evaluated at the summary's frequency, one
    /// message per (material, thickness); empty when all can.
    pub fn unusable_materials(&self) -> Vec<String> {
        let mut out: Vec<String> = self.losses.iter().filter_map(|l| l.error.clone()).collect();
        out.dedup();
        out
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.uai {
            Some(u) => writeln!(f, "site {} (UAI {u})", self.site)?,
            None => writeln!(f, "site {}", self.site)?,
        }
        for b in &self.buildings {
            writeln!(
                f,
                "building {}: origin ({:.2}, {:.2}) m, rotation {}°, ground {} m, roof {}",
                b.name,
                b.origin.0,
                b.origin.1,
                b.rotation_deg,
                b.ground_m,
                b.roof.as_deref().unwrap_or("none")
            )?;
            for fl in &b.floors {
                let holes = if fl.holes > 0 { format!("  {} holes", fl.holes) } else { String::new() };
                writeln!(
                    f,
                    "  floor {:<8} elevation {:>6.2} m  height {:>5.2} m  {:>3} walls  {:>3} doors  {:>3} windows  {:>3} rooms  {:>5} occupants{holes}",
                    fl.name, fl.elevation_m, fl.height_m, fl.walls, fl.doors, fl.windows, fl.rooms, fl.occupants
                )?;
            }
        }
        writeln!(f, "walls by material:")?;
        for w in &self.walls_by_material {
            writeln!(f, "  {:<16} {:>4} walls  {:>9.1} m", w.material, w.count, w.length_m)?;
        }
        writeln!(f, "rooms by kind:")?;
        for k in &self.rooms_by_kind {
            let closets = if k.closets > 0 { format!("  ({} wiring closets)", k.closets) } else { String::new() };
            writeln!(
                f,
                "  {:<16} {:>4} rooms  {:>9.1} m²  {:>5} occupants{closets}",
                format!("{:?}", k.kind),
                k.count,
                k.area_m2,
                k.occupants
            )?;
        }
        writeln!(f, "slab losses at normal incidence, {} GHz (transmission / reflection):", self.frequency_ghz)?;
        for l in &self.losses {
            match (l.transmission_loss_db, l.reflection_loss_db, &l.error) {
                (Some(t), Some(r), _) => {
                    writeln!(f, "  {:<16} {:>8} m  {:>7.2} dB / {:>6.2} dB", l.material, l.thickness_m, t, r)?
                }
                (_, _, e) => {
                    writeln!(f, "  {:<16} {:>8} m  n/a: {}", l.material, l.thickness_m, e.as_deref().unwrap_or(""))?
                }
            }
        }
        let b = &self.bounds;
        write!(
            f,
            "bounding box (site frame): x {:.2} .. {:.2} m, y {:.2} .. {:.2} m, z {:.2} .. {:.2} m",
            b.xmin, b.xmax, b.ymin, b.ymax, b.zmin, b.zmax
        )
    }
}
