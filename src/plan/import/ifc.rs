//! IFC (BIM) import, IFC2x3 and IFC4 STEP files read with `ifc-lite-core`: each
//! IfcBuildingStorey becomes a floor (its elevation; its height up to the next storey or
//! the roof), each IfcWall / IfcWallStandardCase a wall on the centre line of its body's
//! footprint (thickness across it, or the material layer set's when the body is flat;
//! bottom and top from the body; a wall without an extruded body is reported and left
//! out), its IfcOpeningElements (IfcRelVoidsElement) doors, windows or holes by what
//! fills them (IfcRelFillsElement) with their extent along the wall and their sill and
//! head, each IfcSpace a room (its footprint, its names read for kind and capacity), the
//! IfcSlab whose top is a storey's floor that floor's slab, and the first slab above the
//! top storey the roof. Material names are mapped to the ITU-R P.2040 materials by the
//! configuration's `materials` first, then by French and English words (béton /
//! concrete, brique / brick, plâtre / plaster, verre / glass, bois / wood, acier /
//! steel…).
//!
//! Geometry is read from extruded area solids (rectangle and arbitrary closed profiles,
//! polylines and indexed poly-curves) placed by chains of local placements; lengths are
//! converted from the project's length unit. Walls must stand upright: a wall whose
//! placement tilts is reported and left out.

use super::ImportError;
use super::assemble::{ImportReport, labelled_room};
use super::config::ImportConfig;
use super::micrometres;
use crate::geometry::{P2, polygon_area};
use crate::plan::{Building, Floor, Opening, OpeningKind, Room, Site, Slab, Wall, validate};
use ifc_lite_core::{AttributeValue, DecodedEntity, EntityDecoder, EntityScanner, decode_ifc_string};
use nalgebra::{Matrix4, Point3, Vector3};
use std::collections::{BTreeMap, HashMap};

/// Most entities a file may hold.
const MAX_ENTITIES: usize = 5_000_000;
/// Deepest placement chain followed.
const MAX_DEPTH: usize = 64;

/// A thickness [m] to 0.1 mm: unit conversions leave noise that would split one material
/// and thickness into several.
fn tenth_mm(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// A reader over one file's entities.
struct Model<'a> {
    decoder: EntityDecoder<'a>,
    by_type: HashMap<String, Vec<u32>>,
    /// Metres per file length unit.
    scale: f64,
    placements: HashMap<u32, Matrix4<f64>>,
}

type Res<T> = Result<T, ImportError>;

fn bad(what: impl Into<String>) -> ImportError {
    ImportError::Format(what.into())
}

impl<'a> Model<'a> {
    fn entity(&mut self, id: u32) -> Res<DecodedEntity> {
        self.decoder.decode_by_id(id).map_err(|e| bad(format!("#{id}: {e}")))
    }

    fn ids(&self, ty: &str) -> Vec<u32> {
        self.by_type.get(ty).cloned().unwrap_or_default()
    }

    /// The entity's type, upper case as in the file (IFCWALL).
    fn type_of(e: &DecodedEntity) -> String {
        e.ifc_type.to_string().to_ascii_uppercase()
    }

    fn reference(e: &DecodedEntity, k: usize) -> Option<u32> {
        e.get(k).and_then(AttributeValue::as_entity_ref)
    }

    fn refs(e: &DecodedEntity, k: usize) -> Vec<u32> {
        e.get(k)
            .and_then(AttributeValue::as_list)
            .map_or_else(Vec::new, |l| l.iter().filter_map(AttributeValue::as_entity_ref).collect())
    }

    fn text(e: &DecodedEntity, k: usize) -> Option<String> {
        e.get(k)
            .and_then(AttributeValue::as_string)
            .map(|s| decode_ifc_string(s).trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn number(e: &DecodedEntity, k: usize) -> Option<f64> {
        e.get(k).and_then(AttributeValue::as_float).filter(|v| v.is_finite())
    }

    fn numbers(e: &DecodedEntity, k: usize) -> Vec<f64> {
        e.get(k)
            .and_then(AttributeValue::as_list)
            .map_or_else(Vec::new, |l| l.iter().filter_map(AttributeValue::as_float).collect())
    }

    /// A point (in file units, scaled to metres).
    fn point(&mut self, id: u32) -> Res<Vector3<f64>> {
        let e = self.entity(id)?;
        let c = Self::numbers(&e, 0);
        if c.len() < 2 || c.iter().any(|v| !v.is_finite()) {
            return Err(bad(format!("#{id}: not a point")));
        }
        Ok(Vector3::new(c[0], c[1], c.get(2).copied().unwrap_or(0.0)) * self.scale)
    }

    fn direction(&mut self, id: Option<u32>, default: Vector3<f64>) -> Res<Vector3<f64>> {
        let Some(id) = id else { return Ok(default) };
        let c = Self::numbers(&self.entity(id)?, 0);
        let v = Vector3::new(
            c.first().copied().unwrap_or(0.0),
            c.get(1).copied().unwrap_or(0.0),
            c.get(2).copied().unwrap_or(0.0),
        );
        (v.norm() > 1e-12).then(|| v.normalize()).ok_or_else(|| bad(format!("#{id}: a null direction")))
    }

    /// IfcAxis2Placement3D / 2D as a matrix (identity when absent).
    fn axis_placement(&mut self, id: Option<u32>) -> Res<Matrix4<f64>> {
        let Some(id) = id else { return Ok(Matrix4::identity()) };
        let e = self.entity(id)?;
        let origin = match Self::reference(&e, 0) {
            Some(p) => self.point(p)?,
            None => Vector3::zeros(),
        };
        let two_d = Self::type_of(&e).contains("2D");
        let (z, x) = if two_d {
            (Vector3::z(), self.direction(Self::reference(&e, 1), Vector3::x())?)
        } else {
            (
                self.direction(Self::reference(&e, 1), Vector3::z())?,
                self.direction(Self::reference(&e, 2), Vector3::x())?,
            )
        };
        let x = (x - z * x.dot(&z)).try_normalize(1e-9).ok_or_else(|| bad(format!("#{id}: axes are parallel")))?;
        let y = z.cross(&x);
        #[rustfmt::skip]
        let m = Matrix4::new(
            x.x, y.x, z.x, origin.x,
            x.y, y.y, z.y, origin.y,
            x.z, y.z, z.z, origin.z,
            0.0, 0.0, 0.0, 1.0,
        );
        Ok(m)
    }

    /// A product's placement in the world (chains of IfcLocalPlacement).
    fn placement(&mut self, id: Option<u32>, depth: usize) -> Res<Matrix4<f64>> {
        let Some(id) = id else { return Ok(Matrix4::identity()) };
        if let Some(m) = self.placements.get(&id) {
            return Ok(*m);
        }
        if depth > MAX_DEPTH {
            return Err(bad(format!("#{id}: placements nest deeper than {MAX_DEPTH}")));
        }
        let e = self.entity(id)?;
        let parent = self.placement(Self::reference(&e, 0), depth + 1)?;
        let m = parent * self.axis_placement(Self::reference(&e, 1))?;
        self.placements.insert(id, m);
        Ok(m)
    }

    /// A 2D profile's points [m], in the profile's frame.
    fn profile(&mut self, id: u32) -> Res<Vec<P2>> {
        let e = self.entity(id)?;
        let ty = Self::type_of(&e);
        if ty.contains("RECTANGLEPROFILEDEF") {
            let (x, y) = (
                Self::number(&e, 3).unwrap_or(0.0) * self.scale / 2.0,
                Self::number(&e, 4).unwrap_or(0.0) * self.scale / 2.0,
            );
            let m = self.axis_placement(Self::reference(&e, 2))?;
            return Ok([(-x, -y), (x, -y), (x, y), (-x, y)]
                .iter()
                .map(|&(a, b)| {
                    let p = m.transform_point(&Point3::new(a, b, 0.0));
                    P2::new(p.x, p.y)
                })
                .collect());
        }
        if ty.contains("ARBITRARYCLOSEDPROFILEDEF") {
            let curve = Self::reference(&e, 2).ok_or_else(|| bad(format!("#{id}: a profile without its curve")))?;
            return self.curve(curve);
        }
        Err(bad(format!("#{id}: profile {ty} is not read (rectangles and closed polylines are)")))
    }

    /// The points of an IfcPolyline or IfcIndexedPolyCurve [m].
    fn curve(&mut self, id: u32) -> Res<Vec<P2>> {
        let e = self.entity(id)?;
        let ty = Self::type_of(&e);
        let mut pts = Vec::new();
        if ty.contains("INDEXEDPOLYCURVE") {
            let list = Self::reference(&e, 0).ok_or_else(|| bad(format!("#{id}: no point list")))?;
            let l = self.entity(list)?;
            for p in l.get(0).and_then(AttributeValue::as_list).unwrap_or(&[]) {
                let c: Vec<f64> = p.as_list().unwrap_or(&[]).iter().filter_map(AttributeValue::as_float).collect();
                if c.len() >= 2 {
                    pts.push(P2::new(c[0] * self.scale, c[1] * self.scale));
                }
            }
        } else if ty.contains("POLYLINE") {
            for p in Self::refs(&e, 0) {
                let v = self.point(p)?;
                pts.push(P2::new(v.x, v.y));
            }
        } else {
            return Err(bad(format!("#{id}: curve {ty} is not read (polylines are)")));
        }
        if pts.len() > 1 && (pts[0] - pts[pts.len() - 1]).norm() < 1e-9 {
            pts.pop();
        }
        if pts.len() < 3 {
            return Err(bad(format!("#{id}: a profile of fewer than 3 points")));
        }
        Ok(pts)
    }

    /// The corners of a product's body (its first extruded area solid), in the world [m].
    fn body(&mut self, product: &DecodedEntity) -> Res<Option<Vec<Point3<f64>>>> {
        let world = self.placement(Self::reference(product, 5), 0)?;
        let Some(shape) = Self::reference(product, 6) else { return Ok(None) };
        let shape = self.entity(shape)?;
        for rep in Self::refs(&shape, 2) {
            let r = self.entity(rep)?;
            if Self::text(&r, 1).as_deref() != Some("Body") {
                continue;
            }
            for item in Self::refs(&r, 3) {
                let solid = self.entity(item)?;
                if !Self::type_of(&solid).contains("EXTRUDEDAREASOLID") {
                    continue;
                }
                let profile =
                    self.profile(Self::reference(&solid, 0).ok_or_else(|| bad(format!("#{item}: no profile")))?)?;
                let position = self.axis_placement(Self::reference(&solid, 1))?;
                let dir = self.direction(Self::reference(&solid, 2), Vector3::z())?;
                let depth = Self::number(&solid, 3).unwrap_or(0.0) * self.scale;
                let m = world * position;
                let mut corners = Vec::with_capacity(profile.len() * 2);
                for p in &profile {
                    let base = Point3::new(p.x, p.y, 0.0);
                    corners.push(m.transform_point(&base));
                    corners.push(m.transform_point(&(base + dir * depth)));
                }
                return Ok(Some(corners));
            }
        }
        Ok(None)
    }

    /// The material name and the layer set's total thickness [m] associated with each product.
    fn materials(&mut self) -> Res<HashMap<u32, (String, Option<f64>)>> {
        let mut out = HashMap::new();
        for rel in self.ids("IFCRELASSOCIATESMATERIAL") {
            let e = self.entity(rel)?;
            let Some(m) = Self::reference(&e, 5) else { continue };
            let found = self.material_of(m, 0)?;
            if let Some(found) = found {
                for p in Self::refs(&e, 4) {
                    out.insert(p, found.clone());
                }
            }
        }
        Ok(out)
    }

    /// The thickest layer's material name and the total thickness of a material select.
    fn material_of(&mut self, id: u32, depth: usize) -> Res<Option<(String, Option<f64>)>> {
        if depth > 4 {
            return Ok(None);
        }
        let e = self.entity(id)?;
        let ty = Self::type_of(&e);
        Ok(match ty.as_str() {
            "IFCMATERIAL" => Self::text(&e, 0).map(|n| (n, None)),
            "IFCMATERIALLAYERSETUSAGE" => match Self::reference(&e, 0) {
                Some(set) => self.material_of(set, depth + 1)?,
                None => None,
            },
            "IFCMATERIALLAYERSET" => {
                let mut best: Option<(f64, String)> = None;
                let mut total = 0.0;
                for layer in Self::refs(&e, 0) {
                    let l = self.entity(layer)?;
                    let t = Self::number(&l, 1).unwrap_or(0.0) * self.scale;
                    total += t;
                    let name = match Self::reference(&l, 0) {
                        Some(m) => self.material_of(m, depth + 1)?.map(|x| x.0),
                        None => None,
                    };
                    if let Some(name) = name
                        && best.as_ref().is_none_or(|b| t > b.0)
                    {
                        best = Some((t, name));
                    }
                }
                best.map(|(_, n)| (n, (total > 0.0).then_some(total)))
            }
            _ => None,
        })
    }
}

/// The P.2040 material a BIM material name stands for (config first, then words).
fn material_for(name: &str, config: &ImportConfig) -> Option<String> {
    let w = super::assemble::words(name);
    let has = |list: &[&str]| w.iter().any(|x| list.iter().any(|l| x.starts_with(l)));
    if let Some(m) = config.materials.iter().find(|m| super::assemble::has_phrase(&w, &m.name)) {
        return Some(m.material.clone());
    }
    let table: [(&[&str], &str); 7] = [
        (&["verre", "glass", "vitr", "glaz"], "glass"),
        (&["acier", "steel", "metal", "alu", "bardage"], "metal"),
        (&["plaque", "platre", "placo", "plaster", "gypsum", "cloison"], "plasterboard"),
        (&["brique", "brick", "parpaing", "block", "maconnerie", "masonry"], "brick"),
        (&["beton", "concrete", "voile", "pierre", "stone"], "concrete"),
        (&["bois", "wood", "timber"], "wood"),
        (&["marbre", "marble"], "marble"),
    ];
    table.iter().find(|(words, _)| has(words)).map(|(_, m)| m.to_string())
}

/// Reads an IFC file into a site; `name` is the site name when the config gives none.
pub fn import_ifc(
    bytes: &[u8],
    config: &ImportConfig,
    name: &str,
    counts: &mut ImportReport,
) -> Result<Site, ImportError> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_uppercase();
    if !head.starts_with("ISO-10303-21") {
        return Err(bad("not an IFC file (no ISO-10303-21 header)"));
    }
    let schema = head.split("FILE_SCHEMA").nth(1).unwrap_or("");
    if !(schema.contains("IFC2X3") || schema.contains("IFC4")) {
        return Err(bad("unknown IFC schema (IFC2X3 and IFC4 are read)"));
    }
    let mut by_type: HashMap<String, Vec<u32>> = HashMap::new();
    let mut scanner = EntityScanner::new(bytes);
    let mut count = 0usize;
    while let Some((id, ty, _, _)) = scanner.next_entity() {
        count += 1;
        if count > MAX_ENTITIES {
            return Err(bad(format!("more than {MAX_ENTITIES} entities")));
        }
        by_type.entry(ty.to_ascii_uppercase()).or_default().push(id);
    }
    let mut m = Model { decoder: EntityDecoder::new(bytes), by_type, scale: 1.0, placements: HashMap::new() };
    // The decoder takes 1 m when no length unit is declared: refuse that instead.
    let mut units = m.ids("IFCSIUNIT");
    units.extend(m.ids("IFCCONVERSIONBASEDUNIT"));
    let mut has_length_unit = false;
    for id in units {
        has_length_unit |= m.entity(id)?.get(1).and_then(AttributeValue::as_enum) == Some("LENGTHUNIT");
    }
    if !has_length_unit {
        return Err(bad("the file declares no length unit"));
    }
    m.scale = m.decoder.length_unit_scale();
    if !(m.scale.is_finite() && m.scale > 0.0) {
        return Err(bad("the file's length unit is unusable"));
    }

    // Storeys by elevation: (elevation [m], the world altitude its products' heights
    // count from [m], id, name). The elevation is the storey's attribute (else its
    // placement); heights count from its placement (else its elevation), the frame its
    // products are placed in.
    let mut storeys: Vec<(f64, f64, u32, String)> = Vec::new();
    for id in m.ids("IFCBUILDINGSTOREY") {
        let e = m.entity(id)?;
        let placed = match Model::reference(&e, 5) {
            Some(p) => Some(m.placement(Some(p), 0)?[(2, 3)]),
            None => None,
        };
        let elevation = Model::number(&e, 9).map(|z| z * m.scale).or(placed).unwrap_or(0.0);
        let name = Model::text(&e, 2).unwrap_or_else(|| format!("Niveau {}", storeys.len()));
        storeys.push((elevation, placed.unwrap_or(elevation), id, name));
    }
    if storeys.is_empty() {
        return Err(bad("the file has no IfcBuildingStorey"));
    }
    storeys.sort_by(|a, b| a.0.total_cmp(&b.0));
    let storey_of_id: HashMap<u32, usize> = storeys.iter().enumerate().map(|(k, s)| (s.2, k)).collect();
    // Which storey holds which element (containment, and aggregation for spaces).
    let mut holder: HashMap<u32, usize> = HashMap::new();
    for (rel, objects, structure) in [("IFCRELCONTAINEDINSPATIALSTRUCTURE", 4, 5), ("IFCRELAGGREGATES", 5, 4)] {
        for id in m.ids(rel) {
            let e = m.entity(id)?;
            if let Some(&k) = Model::reference(&e, structure).and_then(|s| storey_of_id.get(&s)) {
                for p in Model::refs(&e, objects) {
                    holder.insert(p, k);
                }
            }
        }
    }
    let storey_at = |z: f64| storeys.iter().rposition(|s| s.1 <= z + 0.05).unwrap_or(0);
    let materials = m.materials()?;
    let material = |id: u32, default: &str, counts: &mut ImportReport| -> String {
        match materials.get(&id) {
            Some((n, _)) => material_for(n, config).unwrap_or_else(|| {
                *counts.unknown_materials.entry(n.clone()).or_default() += 1;
                default.to_string()
            }),
            None => default.to_string(),
        }
    };
    let default_wall = config.derived_walls.as_ref().map_or("concrete".to_string(), |d| d.interior.material.clone());

    // Walls: the centre line of the body's footprint along the wall's local x.
    let mut walls: Vec<Vec<(u32, Wall)>> = vec![Vec::new(); storeys.len()];
    let mut heights = vec![0.0f64; storeys.len()];
    let mut wall_ids: Vec<u32> = m.ids("IFCWALL");
    wall_ids.extend(m.ids("IFCWALLSTANDARDCASE"));
    wall_ids.sort_unstable();
    for id in wall_ids {
        let e = m.entity(id)?;
        let label = Model::text(&e, 2).unwrap_or_else(|| format!("#{id}"));
        let world = m.placement(Model::reference(&e, 5), 0)?;
        let z_axis = world.fixed_view::<3, 1>(0, 2).into_owned();
        if z_axis.z < 0.999 {
            counts.walls_left_out.push(format!("wall {label}: its placement is not upright"));
            continue;
        }
        let Some(corners) = m.body(&e)? else {
            counts.walls_left_out.push(format!("wall {label}: no extruded body"));
            continue;
        };
        let origin = world.transform_point(&Point3::origin());
        let u = world.transform_vector(&Vector3::x());
        let u = nalgebra::Vector2::new(u.x, u.y).normalize();
        let n = nalgebra::Vector2::new(-u.y, u.x);
        let (mut a0, mut a1, mut c0, mut c1, mut z0, mut z1) =
            (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for c in &corners {
            let d = nalgebra::Vector2::new(c.x - origin.x, c.y - origin.y);
            (a0, a1) = (a0.min(d.dot(&u)), a1.max(d.dot(&u)));
            (c0, c1) = (c0.min(d.dot(&n)), c1.max(d.dot(&n)));
            (z0, z1) = (z0.min(c.z), z1.max(c.z));
        }
        let layer_thickness = materials.get(&id).and_then(|x| x.1);
        let thickness = if c1 - c0 > 1e-3 { c1 - c0 } else { layer_thickness.unwrap_or(0.0) };
        if !(thickness > 1e-3 && a1 - a0 > 1e-3) {
            counts.walls_left_out.push(format!("wall {label}: no thickness or length"));
            continue;
        }
        let k = holder.get(&id).copied().unwrap_or_else(|| storey_at(z0));
        let base = P2::new(origin.x, origin.y) + n * ((c0 + c1) / 2.0);
        let (from, to) = (base + u * a0, base + u * a1);
        let (from, to) =
            (P2::new(micrometres(from.x), micrometres(from.y)), P2::new(micrometres(to.x), micrometres(to.y)));
        let thickness = tenth_mm(thickness);
        let floor_z = storeys[k].1;
        heights[k] = heights[k].max(z1 - floor_z);
        let wall = Wall {
            from: (from.x, from.y),
            to: (to.x, to.y),
            material: material(id, &default_wall, counts),
            thickness,
            bottom: (z0 - floor_z > 0.01).then_some(z0 - floor_z),
            top: Some(z1 - floor_z),
            openings: Vec::new(),
        };
        walls[k].push((id, wall));
    }

    // Openings in their host walls, typed by what fills them.
    let mut filler: HashMap<u32, OpeningKind> = HashMap::new();
    for id in m.ids("IFCRELFILLSELEMENT") {
        let e = m.entity(id)?;
        if let (Some(opening), Some(element)) = (Model::reference(&e, 4), Model::reference(&e, 5)) {
            let kind = if Model::type_of(&m.entity(element)?) == "IFCWINDOW" {
                OpeningKind::Window
            } else {
                OpeningKind::Door
            };
            filler.insert(opening, kind);
        }
    }
    let hosts: HashMap<u32, (usize, usize)> =
        walls.iter().enumerate().flat_map(|(k, l)| l.iter().enumerate().map(move |(w, x)| (x.0, (k, w)))).collect();
    for id in m.ids("IFCRELVOIDSELEMENT") {
        let e = m.entity(id)?;
        let (Some(host), Some(opening)) = (Model::reference(&e, 4), Model::reference(&e, 5)) else { continue };
        let Some(&(k, w)) = hosts.get(&host) else { continue };
        let o = m.entity(opening)?;
        let Some(corners) = m.body(&o)? else { continue };
        let wall = &walls[k][w].1;
        let (from, to) = (P2::new(wall.from.0, wall.from.1), P2::new(wall.to.0, wall.to.1));
        let len = (to - from).norm();
        let u = (to - from) / len;
        let (mut s0, mut s1, mut z0, mut z1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for c in &corners {
            let s = (P2::new(c.x, c.y) - from).dot(&u);
            (s0, s1, z0, z1) = (s0.min(s), s1.max(s), z0.min(c.z), z1.max(c.z));
        }
        let (s0, s1) = (s0.max(0.0), s1.min(len));
        if s1 - s0 <= 1e-3 {
            continue;
        }
        let floor_z = storeys[k].1;
        let kind = filler.get(&opening).copied().unwrap_or(OpeningKind::Opening);
        // A wooden leaf, double glazing (the DXF fixtures' defaults); a hole has none.
        let (material, thickness) = match kind {
            OpeningKind::Door => (Some("wood".to_string()), Some(0.04)),
            OpeningKind::Window => (Some("glass".to_string()), Some(0.008)),
            OpeningKind::Opening => (None, None),
        };
        walls[k][w].1.openings.push(Opening {
            kind,
            offset: micrometres(s0),
            width: micrometres(s1 - s0),
            material,
            thickness,
            bottom: Some(micrometres((z0 - floor_z).max(0.0))),
            top: Some(micrometres(z1 - floor_z)),
        });
        counts.openings += 1;
    }

    // Slabs: the one whose top is a storey's floor; above the top storey, the roof (the
    // lowest slab at least 2 m above its floor).
    let mut slabs: Vec<Option<Slab>> = vec![None; storeys.len()];
    let mut roof: Option<(f64, Slab)> = None;
    let top_base = storeys[storeys.len() - 1].1;
    for id in m.ids("IFCSLAB") {
        let e = m.entity(id)?;
        let Some(corners) = m.body(&e)? else { continue };
        let (z0, z1) = corners.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| (a.min(c.z), b.max(c.z)));
        let slab = Slab { material: material(id, "concrete", counts), thickness: tenth_mm(z1 - z0) };
        if let Some(k) = storeys.iter().position(|s| (s.1 - z1).abs() <= 0.3) {
            slabs[k] = Some(slab);
        } else if z0 >= top_base + 2.0 && roof.as_ref().is_none_or(|r| z0 < r.0) {
            roof = Some((z0, slab));
        }
    }

    // Spaces: rooms on their storey.
    let mut rooms: Vec<Vec<Room>> = vec![Vec::new(); storeys.len()];
    let mut names: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); storeys.len()];
    for id in m.ids("IFCSPACE") {
        let e = m.entity(id)?;
        let Some(corners) = m.body(&e)? else { continue };
        let z0 = corners.iter().map(|c| c.z).fold(f64::INFINITY, f64::min);
        let mut outline: Vec<P2> = corners
            .iter()
            .filter(|c| (c.z - z0).abs() < 1e-6)
            .map(|c| P2::new(micrometres(c.x), micrometres(c.y)))
            .collect();
        outline.dedup_by(|a, b| (*a - *b).norm() < 1e-6);
        if outline.len() < 3 || polygon_area(&outline).abs() < 0.5 {
            continue;
        }
        let k = holder.get(&id).copied().unwrap_or_else(|| storey_at(z0));
        // Name (often a number) and LongName (the use), once each.
        let text = match (Model::text(&e, 2), Model::text(&e, 7)) {
            (Some(n), Some(l)) if l.contains(&n) => l,
            (Some(n), Some(l)) => format!("{n} {l}"),
            (n, l) => n.or(l).unwrap_or_default(),
        };
        let default_name = format!("Local {}", rooms[k].len() + 1);
        let room =
            labelled_room(text, &outline, config.room_kind, default_name, &config.keywords, &mut names[k], counts);
        rooms[k].push(room);
    }

    let floors: Vec<Floor> = storeys
        .iter()
        .enumerate()
        .map(|(k, (z, _, _, name))| {
            let height = match storeys.get(k + 1) {
                Some(next) => next.0 - z,
                None => match &roof {
                    Some((bottom, _)) => bottom - storeys[k].1,
                    None if heights[k] > 0.5 => heights[k],
                    None => 3.0,
                },
            };
            // A wall up to the next storey's slab (or higher) is a full-height wall.
            let ceiling = height - slabs.get(k + 1).and_then(|s| s.as_ref()).map_or(0.0, |s| s.thickness) - 0.01;
            let mut ws: Vec<Wall> = walls[k].drain(..).map(|x| x.1).collect();
            for w in &mut ws {
                w.openings.sort_by(|a, b| a.offset.total_cmp(&b.offset));
                if w.top.is_some_and(|t| t >= ceiling) {
                    w.top = None;
                }
            }
            Floor {
                name: name.clone(),
                elevation: *z,
                height,
                slab: slabs[k].clone(),
                walls: ws,
                rooms: std::mem::take(&mut rooms[k]),
            }
        })
        .collect();
    if floors.iter().all(|f| f.walls.is_empty()) {
        return Err(bad("the file has no wall that can be read (IfcWall with an extruded body)"));
    }
    let building_name = m.ids("IFCBUILDING").first().and_then(|&b| m.entity(b).ok()).and_then(|e| Model::text(&e, 2));
    let site = Site {
        name: config.site.clone().unwrap_or_else(|| name.to_string()),
        uai: config.uai.clone(),
        buildings: vec![Building {
            name: building_name.unwrap_or_else(|| config.building.clone()),
            origin: (0.0, 0.0),
            rotation: 0.0,
            ground: 0.0,
            roof: roof.map(|r| r.1),
            floors,
        }],
        materials: Default::default(),
    };
    let problems = validate(&site);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems.iter().map(|p| p.to_string()).collect()));
    }
    let b = &site.buildings[0];
    counts.floors = b.floors.len();
    counts.rooms = b.floors.iter().map(|f| f.rooms.len()).sum();
    counts.count_walls(&site);
    Ok(site)
}
