//! Turning raw drawing geometry into a floor: clean-up (snap endpoints, drop
//! zero-length pieces, merge collinear overlapping ones), doors and windows set into
//! their host walls (or bridging the gap the drawing left for them), walls and
//! circulation derived from room outlines when the drawing has no walls ([`super::space`]),
//! rooms named and typed from their labels.

use super::ImportError;
use super::config::{ImportConfig, LabelKeyword};
use crate::geometry::{P2, point_in_polygon, polygon_area, polygon_self_intersection};
use crate::plan::{Building, Floor, Opening, OpeningKind, Room, RoomKind, Site, Wall, validate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A piece of wall in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Start [m].
    pub a: P2,
    /// End [m].
    pub b: P2,
    /// Material.
    pub material: String,
    /// Thickness [m].
    pub thickness: f64,
}

/// A door or window, as the extent it covers [m].
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningPiece {
    /// One end [m].
    pub a: P2,
    /// The other end [m].
    pub b: P2,
    /// Door or window.
    pub kind: OpeningKind,
    /// Material.
    pub material: String,
    /// Thickness [m].
    pub thickness: f64,
}

/// Geometry taken from a drawing, in metres.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extract {
    /// Wall pieces.
    pub walls: Vec<Piece>,
    /// Doors and windows.
    pub openings: Vec<OpeningPiece>,
    /// Closed room outlines.
    pub outlines: Vec<Vec<P2>>,
    /// Closed façade contours (the building's outer face).
    pub contours: Vec<Vec<P2>>,
    /// Texts and where they stand.
    pub labels: Vec<(P2, String)>,
}

/// What the import did, for the user.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// Endpoints moved onto a neighbour within the snap tolerance.
    pub snapped: usize,
    /// Collinear pieces merged into others.
    pub merged: usize,
    /// Pieces dropped for being shorter than the snap tolerance.
    pub dropped: usize,
    /// Pairs of parallel wall faces turned into one centre line.
    pub faces_paired: usize,
    /// Walls derived from room outlines.
    pub derived: usize,
    /// Of those, walls between outlines facing each other across a gap.
    pub facing: usize,
    /// The outlines were read as rooms' inner faces (a space plan).
    pub space_plan: bool,
    /// Corridor and hall rooms made of the area no outline covers.
    pub circulation: usize,
    /// Wiring closets found by their labels.
    pub closets: usize,
    /// The plan's walls per material: (count, length [m]).
    pub walls: BTreeMap<String, (usize, f64)>,
    /// Floors made (IFC: one per storey).
    pub floors: usize,
    /// Walls left out, and why (IFC).
    pub walls_left_out: Vec<String>,
    /// BIM material names no rule maps, with how many elements use each (IFC).
    pub unknown_materials: BTreeMap<String, usize>,
    /// Doors and windows set into a wall.
    pub openings: usize,
    /// Doors and windows that bridged a gap in a wall.
    pub bridged: usize,
    /// Doors and windows with no wall near them, kept as walls of their own material.
    pub standalone: usize,
    /// Rooms made.
    pub rooms: usize,
    /// Rooms given a default capacity for their kind.
    pub default_capacity: usize,
    /// Outlines left out, and why.
    pub skipped_outlines: Vec<String>,
    /// Layers (or colours) nothing in the config maps, with their entity (or pixel) counts.
    pub unmapped: BTreeMap<String, usize>,
}

impl ImportReport {
    /// One line per fact worth telling.
    pub fn lines(&self) -> Vec<String> {
        let walls = format!(
            "walls by material: {}",
            self.walls.iter().map(|(m, (n, l))| format!("{m} {n} ({l:.1} m)")).collect::<Vec<_>>().join(", ")
        );
        if self.floors > 0 {
            // A BIM model: no drawing clean-up to report.
            let mut out = vec![
                format!(
                    "storeys: {} floors; openings: {} set into walls; rooms: {} ({} wiring closets)",
                    self.floors, self.openings, self.rooms, self.closets
                ),
                walls,
            ];
            out.extend(self.walls_left_out.iter().map(|s| format!("left out: {s}")));
            out.extend(self.unknown_materials.iter().map(|(m, n)| {
                format!("material \"{m}\" ({n} elements) is not known: the default used; map it in `materials`")
            }));
            return out;
        }
        let mut out = vec![format!(
            "clean-up: {} endpoints snapped, {} collinear pieces merged, {} zero-length pieces dropped, {} pairs of wall faces made centre lines{}",
            self.snapped,
            self.merged,
            self.dropped,
            self.faces_paired,
            if self.derived > 0 {
                format!(", {} walls derived from room outlines", self.derived)
            } else {
                String::new()
            }
        )];
        if self.derived > 0 {
            out.push(format!(
                "outlines read as {}: {} walls between facing outlines (as thick as the gap), {} circulation rooms",
                if self.space_plan { "rooms' inner faces (space plan)" } else { "shared edges" },
                self.facing,
                self.circulation
            ));
        }
        out.push(format!(
            "openings: {} set into walls, {} bridging a gap, {} standing alone; rooms: {} ({} with a default capacity, {} wiring closets)",
            self.openings, self.bridged, self.standalone, self.rooms, self.default_capacity, self.closets
        ));
        out.push(walls);
        out.extend(self.skipped_outlines.iter().map(|s| format!("outline left out: {s}")));
        out.extend(self.unmapped.iter().map(|(layer, n)| format!("not mapped by the config: {layer} ({n} entities)")));
        out
    }

    /// Counts the site's walls per material, for [`ImportReport::walls`].
    pub fn count_walls(&mut self, site: &Site) {
        for w in site.buildings.iter().flat_map(|b| &b.floors).flat_map(|f| &f.walls) {
            let e = self.walls.entry(w.material.clone()).or_default();
            e.0 += 1;
            e.1 += w.length();
        }
    }
}

/// Snaps endpoints within `tol` of each other to the first one seen; returns how many moved.
fn snap(walls: &mut [Piece], tol: f64) -> usize {
    let mut reps: Vec<P2> = Vec::new();
    let mut grid: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    let key = |p: &P2| ((p.x / tol).floor() as i64, (p.y / tol).floor() as i64);
    let mut moved = 0;
    let mut find = |p: P2| -> P2 {
        let (kx, ky) = key(&p);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = grid.get(&(kx + dx, ky + dy)) {
                    for &i in list {
                        if (reps[i] - p).norm() <= tol {
                            if reps[i] != p {
                                moved += 1;
                            }
                            return reps[i];
                        }
                    }
                }
            }
        }
        reps.push(p);
        grid.entry((kx, ky)).or_default().push(reps.len() - 1);
        p
    };
    for w in walls.iter_mut() {
        w.a = find(w.a);
        w.b = find(w.b);
    }
    moved
}

/// Merges collinear pieces of the same material and thickness that overlap or touch;
/// returns the pieces and how many were merged away.
fn merge_collinear(walls: Vec<Piece>, tol: f64) -> (Vec<Piece>, usize) {
    // Per (material, thickness, direction, offset): intervals along the line.
    type Line = (String, u64, i64, i64);
    type Interval = (f64, f64, P2, nalgebra::Vector2<f64>);
    let mut groups: BTreeMap<Line, Vec<Interval>> = BTreeMap::new();
    for w in &walls {
        let mut d = (w.b - w.a).normalize();
        if d.x < -1e-12 || (d.x.abs() <= 1e-12 && d.y < 0.0) {
            d = -d;
        }
        let angle = d.y.atan2(d.x);
        let offset = -d.y * w.a.x + d.x * w.a.y;
        let key =
            (w.material.clone(), w.thickness.to_bits(), (angle * 1e3).round() as i64, (offset / tol).round() as i64);
        let base = P2::new(-d.y, d.x) * offset;
        let (ua, ub) = ((w.a - base).dot(&d), (w.b - base).dot(&d));
        groups.entry(key).or_default().push((ua.min(ub), ua.max(ub), base, d));
    }
    let mut out = Vec::new();
    let mut merged = 0;
    for ((material, thickness, _, _), mut list) in groups {
        list.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut current = list[0];
        for next in list.into_iter().skip(1) {
            if next.0 <= current.1 + tol {
                current.1 = current.1.max(next.1);
                merged += 1;
            } else {
                out.push((current, material.clone(), f64::from_bits(thickness)));
                current = next;
            }
        }
        out.push((current, material, f64::from_bits(thickness)));
    }
    let pieces = out
        .into_iter()
        .map(|((u0, u1, base, d), material, thickness)| Piece {
            a: base + d * u0,
            b: base + d * u1,
            material,
            thickness,
        })
        .collect();
    (pieces, merged)
}

/// Architects draw a wall as its two faces: pairs of parallel pieces of one material, at
/// most `max_gap` apart and overlapping over half the shorter, become one piece on their
/// centre line. Returns the pieces and the number of pairs.
fn pair_faces(walls: Vec<Piece>, max_gap: f64, tol: f64) -> (Vec<Piece>, usize) {
    let n = walls.len();
    let mut used = vec![false; n];
    let mut out = Vec::new();
    let mut pairs = 0;
    for i in 0..n {
        if used[i] {
            continue;
        }
        let a = &walls[i];
        let da = a.b - a.a;
        let la = da.norm();
        if la <= tol {
            continue;
        }
        let ua = da / la;
        let normal = nalgebra::Vector2::new(-ua.y, ua.x);
        // The nearest parallel face of the same material that overlaps it.
        let mut best: Option<(usize, f64, f64, f64)> = None; // (j, gap, overlap start, end) along a
        for (j, b) in walls.iter().enumerate().skip(i + 1) {
            if used[j] || b.material != a.material {
                continue;
            }
            let db = b.b - b.a;
            let lb = db.norm();
            if lb <= tol || (db / lb).dot(&ua).abs() < 0.9995 {
                continue;
            }
            let gap = (b.a - a.a).dot(&normal);
            let gap_b = (b.b - a.a).dot(&normal);
            if (gap - gap_b).abs() > tol || gap.abs() <= tol || gap.abs() > max_gap {
                continue;
            }
            let (s0, s1) = {
                let (p, q) = ((b.a - a.a).dot(&ua), (b.b - a.a).dot(&ua));
                (p.min(q).max(0.0), p.max(q).min(la))
            };
            if s1 - s0 < 0.5 * la.min(lb) || s1 - s0 <= tol {
                continue;
            }
            if best.is_none_or(|x| gap.abs() < x.1.abs()) {
                best = Some((j, gap, s0, s1));
            }
        }
        let Some((j, gap, _, _)) = best else { continue };
        used[i] = true;
        used[j] = true;
        pairs += 1;
        // The centre line runs between the faces' ends, averaged, so that centre lines
        // meet at corners and junctions as the faces do.
        let b = &walls[j];
        let (p, q) = ((b.a - a.a).dot(&ua), (b.b - a.a).dot(&ua));
        let (start, end) = ((0.0 + p.min(q)) / 2.0, (la + p.max(q)) / 2.0);
        let centre = |u: f64| a.a + ua * u + normal * (gap / 2.0);
        out.push(Piece { a: centre(start), b: centre(end), material: a.material.clone(), thickness: a.thickness });
    }
    out.extend(walls.into_iter().enumerate().filter(|(k, _)| !used[*k]).map(|(_, w)| w));
    (out, pairs)
}

/// A wall from a to b over the floor's whole height, without openings.
fn full_height_wall(a: &P2, b: &P2, material: &str, thickness: f64) -> Wall {
    Wall {
        from: (a.x, a.y),
        to: (b.x, b.y),
        material: material.to_string(),
        thickness,
        bottom: None,
        top: None,
        openings: Vec::new(),
    }
}

/// Lower-case words of a label, accents folded.
pub(super) fn words(text: &str) -> Vec<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Words of a label that name a room kind (accents folded), checked in this order: the
/// first kind with a word in the label wins.
const LABEL_WORDS: [(RoomKind, &[&str]); 13] = [
    (RoomKind::Stair, &["escalier", "escaliers"]),
    (RoomKind::Corridor, &["circulation", "circulations", "couloir", "degagement", "palier"]),
    (
        RoomKind::Technical,
        &[
            "sanitaires",
            "sanitaire",
            "wc",
            "toilettes",
            "rangement",
            "reserve",
            "local",
            "chaufferie",
            "menage",
            "vestiaire",
            "vestiaires",
            "archives",
            "stockage",
            "depot",
        ],
    ),
    (RoomKind::Library, &["cdi", "bibliotheque", "documentation"]),
    (RoomKind::Lab, &["tp", "labo", "laboratoire"]),
    (RoomKind::Workshop, &["atelier", "ateliers"]),
    (RoomKind::Canteen, &["refectoire", "restaurant", "cantine", "self", "cafeteria", "cafet"]),
    (RoomKind::Gym, &["gymnase", "sport", "sports"]),
    (RoomKind::Dormitory, &["chambre", "dortoir"]),
    (RoomKind::Hall, &["hall", "accueil", "foyer"]),
    (
        RoomKind::Office,
        &[
            "bureau",
            "bureaux",
            "direction",
            "secretariat",
            "administration",
            "infirmerie",
            "professeurs",
            "cpe",
            "intendance",
            "reunion",
            "proviseur",
            "gestionnaire",
            "reprographie",
        ],
    ),
    (RoomKind::Classroom, &["salle", "td", "classe", "cours", "amphi", "amphitheatre"]),
    (RoomKind::Outdoor, &["preau", "cour"]),
];

/// Phrases of a label that name a wiring closet (accents folded).
const CLOSET_PHRASES: [&str; 10] = [
    "vdi",
    "baie",
    "brassage",
    "serveur",
    "serveurs",
    "repartiteur",
    "courants faibles",
    "courant faible",
    "local technique informatique",
    "telecom",
];

/// Whether `phrase` (words, accents folded) appears in `words` as consecutive words.
pub(super) fn has_phrase(words: &[String], phrase: &str) -> bool {
    let p = self::words(phrase);
    !p.is_empty() && words.windows(p.len()).any(|w| w == p.as_slice())
}

/// The room kind a label names, whether it is a wiring closet, and the capacity it
/// states; `extra` keywords are checked first.
pub fn read_label(text: &str, extra: &[LabelKeyword]) -> (Option<RoomKind>, bool, Option<u32>) {
    let w = words(text);
    let capacity =
        w.windows(2).find(|p| p[1] == "places" || p[1] == "pl" || p[1] == "place").and_then(|p| p[0].parse().ok());
    if let Some(k) = extra.iter().find(|k| has_phrase(&w, &k.words)) {
        return (Some(k.kind), k.closet, capacity);
    }
    let closet = CLOSET_PHRASES.iter().any(|p| has_phrase(&w, p));
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    let kind =
        if closet { Some(RoomKind::Technical) } else { LABEL_WORDS.iter().find(|(_, l)| has(l)).map(|(k, _)| *k) };
    (kind, closet, capacity)
}

/// An outline without repeated or collinear vertices, or why it cannot be a room.
fn clean_outline(outline: &[P2], tol: f64) -> Result<Vec<P2>, &'static str> {
    let mut pts: Vec<P2> = Vec::new();
    for p in outline {
        if pts.last().is_none_or(|q: &P2| (q - p).norm() > tol) {
            pts.push(*p);
        }
    }
    if pts.len() > 1 && (pts[0] - pts[pts.len() - 1]).norm() <= tol {
        pts.pop();
    }
    let mut i = 0;
    while pts.len() > 3 && i < pts.len() {
        let n = pts.len();
        let (a, b, c) = (pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]);
        let cross = (b - a).x * (c - b).y - (b - a).y * (c - b).x;
        if cross.abs() <= tol * (c - a).norm() {
            pts.remove(i);
        } else {
            i += 1;
        }
    }
    if pts.len() < 3 || polygon_area(&pts).abs() < 0.5 {
        return Err("is degenerate");
    }
    if polygon_self_intersection(&pts).is_some() {
        return Err("crosses itself");
    }
    Ok(pts)
}

/// A room of `outline` [m] named and typed by its label `text` (`default_kind` and
/// `default_name` when it says nothing), its name made unique among `names`; counts its
/// default capacity and closet in `report`.
pub(super) fn labelled_room(
    text: String,
    outline: &[P2],
    default_kind: RoomKind,
    default_name: String,
    keywords: &[LabelKeyword],
    names: &mut BTreeMap<String, usize>,
    report: &mut ImportReport,
) -> Room {
    let (kind, closet, capacity) = read_label(&text, keywords);
    let kind = kind.unwrap_or(default_kind);
    let occupants = capacity.unwrap_or_else(|| {
        let c = default_capacity(kind);
        if c > 0 {
            report.default_capacity += 1;
        }
        c
    });
    report.closets += usize::from(closet);
    let mut name = if text.is_empty() { default_name } else { text };
    let seen = names.entry(name.clone()).or_default();
    *seen += 1;
    if *seen > 1 {
        name = format!("{name} ({seen})");
    }
    Room { name, kind, occupants, outline: outline.iter().map(|p| (p.x, p.y)).collect(), closet }
}

/// Capacity assumed for a room whose label states none.
fn default_capacity(kind: RoomKind) -> u32 {
    match kind {
        RoomKind::Classroom => 35,
        RoomKind::Lab => 24,
        RoomKind::Workshop => 16,
        _ => 0,
    }
}

/// Builds the site from extracted geometry.
pub fn assemble(
    mut x: Extract,
    config: &ImportConfig,
    name: &str,
    report: &mut ImportReport,
) -> Result<Site, ImportError> {
    let tol = config.snap;
    if x.outlines.len() > 5_000 {
        return Err(ImportError::NoGeometry(format!(
            "{} room outlines: more than one floor plan holds (5,000)",
            x.outlines.len()
        )));
    }
    let mut outlines: Vec<(usize, Vec<P2>)> = Vec::new();
    for (k, outline) in x.outlines.iter().enumerate() {
        match clean_outline(outline, tol) {
            Ok(pts) => outlines.push((k, pts)),
            Err(why) => report.skipped_outlines.push(format!("outline {} {why}", k + 1)),
        }
    }
    let mut contours = Vec::new();
    for (k, contour) in x.contours.iter().enumerate() {
        match clean_outline(contour, tol) {
            Ok(pts) => contours.push(pts),
            Err(why) => report.skipped_outlines.push(format!("façade contour {} {why}", k + 1)),
        }
    }
    let mut circulation = Vec::new();
    let derived = match &config.derived_walls {
        Some(derived) if x.walls.is_empty() => {
            let rooms: Vec<Vec<P2>> = outlines.iter().map(|(_, p)| p.clone()).collect();
            let d = super::space::derive(&rooms, &contours, derived, tol);
            x.walls = d.walls;
            report.derived = x.walls.len();
            report.facing = d.facing;
            report.space_plan = d.space_plan;
            circulation = d.circulation;
            true
        }
        _ => false,
    };
    if x.walls.is_empty() {
        return Err(ImportError::NoGeometry(
            "no wall on the mapped layers, and no room outlines to derive walls from (set `derived_walls`)".into(),
        ));
    }
    // Guards against drawings far beyond a floor plan (the clean-up is quadratic in places).
    if x.walls.len() > 100_000 || x.openings.len() > 20_000 || x.outlines.len() > 5_000 {
        return Err(ImportError::NoGeometry(format!(
            "{} wall pieces, {} openings and {} room outlines: more than one floor plan holds (100,000, 20,000, 5,000)",
            x.walls.len(),
            x.openings.len(),
            x.outlines.len()
        )));
    }
    // Derived walls are centre lines already.
    if config.wall_faces && !derived {
        let max_gap = x.walls.iter().map(|w| w.thickness).fold(0.0, f64::max) * 2.0 + 0.15;
        let (paired, pairs) = pair_faces(std::mem::take(&mut x.walls), max_gap, tol);
        x.walls = paired;
        report.faces_paired = pairs;
    }
    report.snapped = snap(&mut x.walls, tol);
    let before = x.walls.len();
    x.walls.retain(|w| (w.b - w.a).norm() > tol);
    report.dropped = before - x.walls.len();
    let (mut walls, merged) = merge_collinear(std::mem::take(&mut x.walls), tol);
    report.merged = merged;
    walls.sort_by(|p, q| {
        (p.a.x, p.a.y, p.b.x, p.b.y).partial_cmp(&(q.a.x, q.a.y, q.b.x, q.b.y)).unwrap_or(std::cmp::Ordering::Equal)
    });

    let mut plan_walls: Vec<Wall> =
        walls.iter().map(|w| full_height_wall(&w.a, &w.b, &w.material, w.thickness)).collect();
    for o in &x.openings {
        let mid = nalgebra::center(&o.a, &o.b);
        let dir = o.b - o.a;
        // The host line: a nearly parallel wall whose line passes within reach of the
        // opening, nearest along the line (0 when the wall holds the opening's middle).
        let host = walls
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let d = (w.b - w.a).normalize();
                if dir.norm() > tol && d.dot(&dir.normalize()).abs() < 0.95 {
                    return None;
                }
                let across = (mid - w.a).dot(&nalgebra::Vector2::new(-d.y, d.x)).abs();
                let along = (mid - w.a).dot(&d);
                let len = (w.b - w.a).norm();
                let outside = if along < 0.0 { -along } else { (along - len).max(0.0) };
                (across <= (w.thickness + o.thickness).max(0.3) && outside <= 2.0).then_some((i, outside, across, w))
            })
            .min_by(|a, b| (a.1, a.2).partial_cmp(&(b.1, b.2)).unwrap_or(std::cmp::Ordering::Equal));
        let Some((i, _, _, w)) = host else {
            plan_walls.push(full_height_wall(&o.a, &o.b, &o.material, o.thickness));
            report.standalone += 1;
            continue;
        };
        let d = (w.b - w.a).normalize();
        let len = (w.b - w.a).norm();
        let (u0, u1) = {
            let (p, q) = ((o.a - w.a).dot(&d), (o.b - w.a).dot(&d));
            (p.min(q), p.max(q))
        };
        let opening = |offset: f64, width: f64| Opening {
            kind: o.kind,
            offset,
            width,
            material: Some(o.material.clone()),
            thickness: Some(o.thickness),
            bottom: None,
            top: None,
        };
        if u0 >= -tol && u1 <= len + tol && u1 - u0 > tol {
            let (start, end) = (u0.max(0.0), u1.min(len));
            let host_wall = &mut plan_walls[i];
            let clash = host_wall.openings.iter().any(|e| start < e.offset + e.width && e.offset < end);
            if !clash {
                host_wall.openings.push(opening(start, end - start));
                report.openings += 1;
                continue;
            }
        }
        // The drawing left a gap for it: bridge the gap with the host's material, from
        // the wall ends that frame it (within 0.3 m) or from its own ends.
        let across = |p: &P2| (p - w.a).dot(&nalgebra::Vector2::new(-d.y, d.x));
        let ends: Vec<f64> = walls
            .iter()
            .filter(|v| v.material == w.material && across(&v.a).abs() <= tol && across(&v.b).abs() <= tol)
            .flat_map(|v| [(v.a - w.a).dot(&d), (v.b - w.a).dot(&d)])
            .collect();
        let e0 = ends.iter().copied().filter(|&e| e <= u0 + tol && e >= u0 - 0.3).fold(u0, f64::min);
        let e1 = ends.iter().copied().filter(|&e| e >= u1 - tol && e <= u1 + 0.3).fold(u1, f64::max);
        let (pa, pb) = (w.a + d * e0, w.a + d * e1);
        if (pb - pa).norm() <= tol {
            report.standalone += 1;
            continue;
        }
        let opening = |offset: f64, width: f64| Opening { offset, width, ..opening(0.0, 0.0) };
        plan_walls.push(Wall {
            from: (pa.x, pa.y),
            to: (pb.x, pb.y),
            material: w.material.clone(),
            thickness: w.thickness,
            bottom: None,
            top: None,
            openings: vec![opening((u0 - e0).max(0.0), (u1 - u0).min(e1 - e0))],
        });
        report.bridged += 1;
    }
    for w in &mut plan_walls {
        w.openings.sort_by(|a, b| a.offset.total_cmp(&b.offset));
    }

    let mut rooms = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let kinds = [RoomKind::Corridor, RoomKind::Hall];
    let labelled = outlines.iter().map(|(k, pts)| (pts, config.room_kind, format!("Local {}", k + 1)));
    let open = circulation.iter().enumerate().map(|(k, (pts, hall))| {
        let kind = kinds[usize::from(*hall)];
        (pts, kind, format!("{} {}", if *hall { "Hall" } else { "Circulation" }, k + 1))
    });
    for (pts, default_kind, default_name) in labelled.chain(open) {
        let mut inside: Vec<&(P2, String)> = x.labels.iter().filter(|(p, _)| point_in_polygon(pts, p.x, p.y)).collect();
        inside.sort_by(|a, b| b.0.y.total_cmp(&a.0.y).then(a.0.x.total_cmp(&b.0.x)));
        let text = inside.iter().map(|(_, t)| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
        rooms.push(labelled_room(text, pts, default_kind, default_name, &config.keywords, &mut names, report));
    }
    report.circulation = circulation.len();
    report.rooms = rooms.len();

    let f = config.floor.as_ref().ok_or_else(|| ImportError::Config("a DXF or PNG plan needs `floor`".into()))?;
    let site = Site {
        name: config.site.clone().unwrap_or_else(|| name.to_string()),
        uai: config.uai.clone(),
        buildings: vec![Building {
            name: config.building.clone(),
            origin: (0.0, 0.0),
            rotation: 0.0,
            ground: 0.0,
            roof: None,
            floors: vec![Floor {
                name: f.name.clone(),
                elevation: f.elevation,
                height: f.height,
                slab: f.slab.clone(),
                walls: plan_walls,
                rooms,
            }],
        }],
        materials: Default::default(),
    };
    report.count_walls(&site);
    let problems = validate(&site);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems.iter().map(|p| p.to_string()).collect()));
    }
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_give_kind_closet_and_capacity() {
        let read_label = |t: &str| read_label(t, &[]);
        assert_eq!(read_label("Salle 104 - 35 places"), (Some(RoomKind::Classroom), false, Some(35)));
        assert_eq!(read_label("Salle des professeurs"), (Some(RoomKind::Office), false, None));
        assert_eq!(read_label("TP Physique 24 pl"), (Some(RoomKind::Lab), false, Some(24)));
        assert_eq!(read_label("Local VDI"), (Some(RoomKind::Technical), true, None));
        assert_eq!(read_label("CDI"), (Some(RoomKind::Library), false, None));
        assert_eq!(read_label("Réfectoire 200 places"), (Some(RoomKind::Canteen), false, Some(200)));
        assert_eq!(read_label("Bureau"), (Some(RoomKind::Office), false, None));
        assert_eq!(read_label("Zone 3"), (None, false, None));
        // Space plans' labels: the capacity after a range, closets by phrase.
        assert_eq!(read_label("A002 Salle TD 50/60 Places 71.25 m²"), (Some(RoomKind::Classroom), false, Some(60)));
        assert_eq!(read_label("F007 Local courants faibles"), (Some(RoomKind::Technical), true, None));
        assert_eq!(read_label("A008bis Salle serveurs"), (Some(RoomKind::Technical), true, None));
        assert_eq!(read_label("Local technique informatique"), (Some(RoomKind::Technical), true, None));
        assert_eq!(read_label("Répartiteur"), (Some(RoomKind::Technical), true, None));
        assert_eq!(read_label("Salle de réunion"), (Some(RoomKind::Office), false, None));
        assert_eq!(read_label("Secrétariat"), (Some(RoomKind::Office), false, None));
        assert_eq!(read_label("Amphi 120 places"), (Some(RoomKind::Classroom), false, Some(120)));
        assert_eq!(read_label("Foyer des élèves"), (Some(RoomKind::Hall), false, None));
        assert_eq!(read_label("Cafétéria"), (Some(RoomKind::Canteen), false, None));
        assert_eq!(read_label("Local faible"), (Some(RoomKind::Technical), false, None), "one word of a phrase");
        // Extra keywords come first and may name a closet.
        let extra = [
            LabelKeyword { words: "salle polyvalente".into(), kind: RoomKind::Hall, closet: false },
            LabelKeyword { words: "SR".into(), kind: RoomKind::Technical, closet: true },
        ];
        assert_eq!(super::read_label("Salle polyvalente", &extra), (Some(RoomKind::Hall), false, None));
        assert_eq!(super::read_label("SR 2", &extra), (Some(RoomKind::Technical), true, None));
    }

    #[test]
    fn collinear_overlapping_pieces_merge_and_short_ones_drop() {
        let p = |x0: f64, y0: f64, x1: f64, y1: f64| Piece {
            a: P2::new(x0, y0),
            b: P2::new(x1, y1),
            material: "brick".into(),
            thickness: 0.2,
        };
        let (merged, n) = merge_collinear(
            vec![p(0.0, 0.0, 5.0, 0.0), p(4.0, 0.0, 9.0, 0.0), p(9.0, 0.0, 12.0, 0.0), p(0.0, 3.0, 5.0, 3.0)],
            0.01,
        );
        assert_eq!(n, 2);
        assert_eq!(merged.len(), 2);
        assert!(merged.iter().any(|w| (w.a.x - 0.0).abs() < 1e-9 && (w.b.x - 12.0).abs() < 1e-9 && w.a.y.abs() < 1e-9));
    }
}
