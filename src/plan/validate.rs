//! Validation of a parsed site: every problem at once, each with the place it concerns,
//! such as `building "A" / floor "R+1" / wall 12` (walls, openings, rooms and outline
//! vertices are counted from 1, in file order).

use super::{Building, Floor, Opening, OpeningKind, Room, Site, Slab, Wall};
use crate::geometry::{P2, polygon_area, polygon_self_intersection};
use crate::materials::itu_material;
use std::collections::BTreeSet;
use std::fmt;

/// Shortest wall accepted [m]; shorter ones are drawing slips.
pub const MIN_WALL_LENGTH: f64 = 1e-3;
/// Smallest room area accepted [m²].
pub const MIN_ROOM_AREA: f64 = 1e-3;
/// Tolerance for openings reaching their wall's end or top [m].
const FIT_TOLERANCE: f64 = 1e-6;

/// One thing wrong with a site, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defect {
    /// Path to the element, e.g. `building "A" / floor "RDC" / wall 3`; empty for the site.
    pub place: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Every problem of the site (empty when it is sound).
pub fn validate(site: &Site) -> Vec<Defect> {
    let mut v = Validator { site, out: Vec::new() };
    v.site();
    v.out
}

struct Validator<'a> {
    site: &'a Site,
    out: Vec<Defect>,
}

fn finite_all(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

impl Validator<'_> {
    fn report(&mut self, place: &str, message: impl Into<String>) {
        self.out.push(Defect { place: place.to_string(), message: message.into() });
    }

    fn site(&mut self) {
        let site = self.site;
        if site.name.trim().is_empty() {
            self.report("", "the site has no name");
        }
        if site.buildings.is_empty() {
            self.report("", "the site has no building");
        }
        for (name, def) in &site.materials {
            let place = format!("materials / \"{name}\"");
            if itu_material(name).is_some() {
                self.report(&place, "redefines an ITU-R P.2040 material; give it another name");
            }
            for p in def.problems() {
                self.report(&place, p);
            }
        }
        let mut names = BTreeSet::new();
        for b in &site.buildings {
            let place = format!("building \"{}\"", b.name);
            if !names.insert(b.name.as_str()) {
                self.report(&place, "duplicate building name");
            }
            self.building(b, &place);
        }
    }

    fn material(&mut self, place: &str, name: &str) {
        if itu_material(name).is_none() && !self.site.materials.contains_key(name) {
            self.report(
                place,
                format!("unknown material \"{name}\" (neither ITU-R P.2040 nor defined in `materials`)"),
            );
        }
    }

    fn thickness(&mut self, place: &str, t: f64) {
        if !(t.is_finite() && t > 0.0) {
            self.report(place, format!("thickness must be a positive length, got {t} m"));
        }
    }

    fn slab(&mut self, place: &str, s: &Slab) {
        self.material(place, &s.material);
        self.thickness(place, s.thickness);
    }

    fn building(&mut self, b: &Building, place: &str) {
        if b.name.trim().is_empty() {
            self.report(place, "the building has no name");
        }
        if !finite_all(&[b.origin.0, b.origin.1, b.rotation, b.ground]) {
            self.report(place, "non-finite origin, rotation or ground");
        }
        if let Some(roof) = &b.roof {
            self.slab(&format!("{place} / roof"), roof);
        }
        if b.floors.is_empty() {
            self.report(place, "the building has no floor");
        }
        let mut names = BTreeSet::new();
        for f in &b.floors {
            let fplace = format!("{place} / floor \"{}\"", f.name);
            if !names.insert(f.name.as_str()) {
                self.report(&fplace, "duplicate floor name in this building");
            }
            self.floor(f, &fplace);
        }
        let mut spans: Vec<&Floor> =
            b.floors.iter().filter(|f| f.elevation.is_finite() && f.height.is_finite() && f.height > 0.0).collect();
        spans.sort_by(|x, y| x.elevation.total_cmp(&y.elevation));
        for pair in spans.windows(2) {
            let (low, high) = (pair[0], pair[1]);
            if low.elevation + low.height > high.elevation + FIT_TOLERANCE {
                self.report(
                    place,
                    format!(
                        "floors \"{}\" ({} to {} m) and \"{}\" ({} to {} m) overlap in elevation",
                        low.name,
                        low.elevation,
                        low.elevation + low.height,
                        high.name,
                        high.elevation,
                        high.elevation + high.height
                    ),
                );
            }
        }
    }

    fn floor(&mut self, f: &Floor, place: &str) {
        if f.name.trim().is_empty() {
            self.report(place, "the floor has no name");
        }
        if !f.elevation.is_finite() {
            self.report(place, format!("non-finite elevation {}", f.elevation));
        }
        if !(f.height.is_finite() && f.height > 0.0) {
            self.report(place, format!("height must be positive, got {} m", f.height));
        }
        if let Some(s) = &f.slab {
            self.slab(&format!("{place} / slab"), s);
        }
        for (i, w) in f.walls.iter().enumerate() {
            self.wall(w, f.height, &format!("{place} / wall {}", i + 1));
        }
        for (i, r) in f.rooms.iter().enumerate() {
            self.room(r, &format!("{place} / room {} \"{}\"", i + 1, r.name));
        }
    }

    fn wall(&mut self, w: &Wall, floor_height: f64, place: &str) {
        let coords_ok = finite_all(&[w.from.0, w.from.1, w.to.0, w.to.1]);
        if !coords_ok {
            self.report(place, "non-finite coordinates");
        } else if w.length() < MIN_WALL_LENGTH {
            self.report(place, format!("zero-length wall at ({}, {})", w.from.0, w.from.1));
        }
        self.material(place, &w.material);
        self.thickness(place, w.thickness);
        let (bottom, top) = w.z_range(floor_height);
        let z_ok = finite_all(&[bottom, top]);
        if !z_ok {
            self.report(place, "non-finite bottom or top");
        } else if bottom < 0.0 || top <= bottom {
            self.report(place, format!("height range {bottom} to {top} m above the floor is empty or below it"));
        } else if floor_height.is_finite() && top > floor_height + FIT_TOLERANCE {
            self.report(place, format!("top {top} m is above the floor's height {floor_height} m"));
        }
        let mut spans = Vec::new();
        for (j, o) in w.openings.iter().enumerate() {
            let oplace = format!("{place} / opening {}", j + 1);
            if let Some(span) = self.opening(o, w, coords_ok && z_ok, (bottom, top), &oplace) {
                spans.push((j, span));
            }
        }
        for (a, (ia, sa)) in spans.iter().enumerate() {
            for (ib, sb) in &spans[a + 1..] {
                let overlap_along = sa.0 < sb.1 - FIT_TOLERANCE && sb.0 < sa.1 - FIT_TOLERANCE;
                let overlap_up = sa.2 < sb.3 - FIT_TOLERANCE && sb.2 < sa.3 - FIT_TOLERANCE;
                if overlap_along && overlap_up {
                    self.report(place, format!("openings {} and {} overlap", ia + 1, ib + 1));
                }
            }
        }
    }

    /// Checks one opening; returns its (start, end, bottom, top) when it fits its wall.
    fn opening(
        &mut self,
        o: &Opening,
        w: &Wall,
        wall_ok: bool,
        wall_z: (f64, f64),
        place: &str,
    ) -> Option<(f64, f64, f64, f64)> {
        let (bottom, top) = o.z_range(wall_z);
        if !finite_all(&[o.offset, o.width, bottom, top]) {
            self.report(place, "non-finite offset, width, bottom or top");
            return None;
        }
        match (o.kind, &o.material, o.thickness) {
            (OpeningKind::Opening, None, None) => {}
            (OpeningKind::Opening, _, _) => {
                self.report(place, "an Opening is a hole: it takes no material or thickness (use Door or Window)")
            }
            (_, Some(m), Some(t)) => {
                self.material(place, m);
                self.thickness(place, t);
            }
            (kind, _, _) => self.report(place, format!("a {kind:?} needs a material and a thickness")),
        }
        let mut fits = true;
        if o.width <= 0.0 {
            self.report(place, format!("width must be positive, got {} m", o.width));
            fits = false;
        }
        if top <= bottom {
            self.report(place, format!("height range {bottom} to {top} m is empty"));
            fits = false;
        }
        if !wall_ok {
            return None;
        }
        let length = w.length();
        if o.offset < 0.0 || o.offset + o.width > length + FIT_TOLERANCE {
            self.report(
                place,
                format!(
                    "does not fit in its wall: spans {} to {} m along a wall {length:.3} m long",
                    o.offset,
                    o.offset + o.width
                ),
            );
            fits = false;
        }
        if bottom < wall_z.0 - FIT_TOLERANCE || top > wall_z.1 + FIT_TOLERANCE {
            self.report(
                place,
                format!(
                    "does not fit in its wall: spans {bottom} to {top} m above the floor, the wall {} to {} m",
                    wall_z.0, wall_z.1
                ),
            );
            fits = false;
        }
        fits.then_some((o.offset, o.offset + o.width, bottom, top))
    }

    fn room(&mut self, r: &Room, place: &str) {
        if r.outline.len() < 3 {
            let n = r.outline.len();
            let noun = if n == 1 { "vertex" } else { "vertices" };
            self.report(place, format!("outline has {n} {noun}, a room needs at least 3"));
            return;
        }
        if let Some(i) = r.outline.iter().position(|p| !finite_all(&[p.0, p.1])) {
            self.report(place, format!("outline vertex {} is not finite", i + 1));
            return;
        }
        let pts: Vec<P2> = r.outline.iter().map(|&(x, y)| P2::new(x, y)).collect();
        if let Some((i, j)) = polygon_self_intersection(&pts) {
            let n = pts.len();
            self.report(
                place,
                format!(
                    "self-intersecting outline: edge {}–{} meets edge {}–{}",
                    i + 1,
                    (i + 1) % n + 1,
                    j + 1,
                    (j + 1) % n + 1
                ),
            );
        } else if polygon_area(&pts).abs() < MIN_ROOM_AREA {
            self.report(place, "outline has zero area");
        }
    }
}
