//! Architects' DXF (ASCII R12–2018, binary DXB as the `dxf` crate reads it): entities
//! flattened into segments in metres — LINE, LWPOLYLINE and POLYLINE (bulges become arcs,
//! arcs become segments within a sagitta tolerance), ARC, CIRCLE (columns), INSERT (block
//! references with translation, scale, rotation, arrays, nested blocks; entities on
//! layer "0" take the reference's layer), TEXT and MTEXT — then sorted by layer into
//! walls, doors, windows, room outlines, façade contours and labels.

use super::ImportError;
use super::assemble::{Extract, OpeningPiece, Piece};
use super::config::{ImportConfig, LayerMaterial, matches};
use crate::geometry::P2;
use crate::plan::OpeningKind;
use dxf::entities::{Entity, EntityType};
use dxf::enums::Units;
use dxf::{Drawing, Point};
use std::collections::BTreeMap;

/// Deepest block nesting followed.
const MAX_NESTING: usize = 16;
/// Most primitives a drawing may expand to (guards against exploding block arrays).
const MAX_PRIMITIVES: usize = 500_000;

/// A 2D affine map p ↦ (m00 x + m01 y + tx, m10 x + m11 y + ty).
#[derive(Debug, Clone, Copy)]
struct Affine {
    m: [[f64; 2]; 2],
    t: [f64; 2],
}

impl Affine {
    fn scale(s: f64) -> Affine {
        Affine { m: [[s, 0.0], [0.0, s]], t: [0.0, 0.0] }
    }

    fn apply(&self, x: f64, y: f64) -> P2 {
        P2::new(self.m[0][0] * x + self.m[0][1] * y + self.t[0], self.m[1][0] * x + self.m[1][1] * y + self.t[1])
    }

    /// `self ∘ other`.
    fn then(&self, other: &Affine) -> Affine {
        let m = |i: usize, j: usize| self.m[i][0] * other.m[0][j] + self.m[i][1] * other.m[1][j];
        Affine {
            m: [[m(0, 0), m(0, 1)], [m(1, 0), m(1, 1)]],
            t: [
                self.m[0][0] * other.t[0] + self.m[0][1] * other.t[1] + self.t[0],
                self.m[1][0] * other.t[0] + self.m[1][1] * other.t[1] + self.t[1],
            ],
        }
    }

    /// How much lengths grow (mean of the axes' scales).
    fn gain(&self) -> f64 {
        let sx = self.m[0][0].hypot(self.m[1][0]);
        let sy = self.m[0][1].hypot(self.m[1][1]);
        0.5 * (sx + sy)
    }
}

/// A primitive in metres, with its layer.
enum Primitive {
    Polyline { points: Vec<P2>, closed: bool },
    Text { at: P2, text: String },
}

/// Metres per drawing unit from `$INSUNITS`, `None` when unitless or exotic.
fn unit_metres(units: Units) -> Option<f64> {
    Some(match units {
        Units::Millimeters => 0.001,
        Units::Centimeters => 0.01,
        Units::Decimeters => 0.1,
        Units::Meters => 1.0,
        Units::Inches => 0.0254,
        Units::Feet => 0.3048,
        Units::Yards => 0.9144,
        _ => return None,
    })
}

/// The points of an arc of centre `c` and radius `r` from `a0` to `a1` [rad]; a full
/// circle (`closed`) without its repeated last point.
fn arc(c: (f64, f64), r: f64, (a0, a1): (f64, f64), tol: f64, closed: bool) -> Vec<P2> {
    let mut pts = Vec::new();
    arc_points(P2::new(c.0, c.1), r, a0, a1, tol, &mut pts);
    if closed {
        pts.pop();
    }
    pts
}

/// Points of an arc from angle `a0` to `a1` [rad] counter-clockwise, flattened.
fn arc_points(c: P2, r: f64, a0: f64, mut a1: f64, tol: f64, out: &mut Vec<P2>) {
    while a1 <= a0 {
        a1 += std::f64::consts::TAU;
    }
    let sweep = a1 - a0;
    let step = if r > tol { 2.0 * (1.0 - tol / r).clamp(-1.0, 1.0).acos() } else { sweep };
    let n = ((sweep / step.max(1e-3)).ceil() as usize).clamp(1, 720);
    for i in 0..=n {
        let a = a0 + sweep * i as f64 / n as f64;
        out.push(P2::new(c.x + r * a.cos(), c.y + r * a.sin()));
    }
}

/// Vertices with bulges to points (drawing units), arcs flattened within `tol`.
fn bulged(vertices: &[(f64, f64, f64)], closed: bool, tol: f64) -> Vec<P2> {
    let mut out = Vec::new();
    let n = vertices.len();
    for i in 0..n {
        let (x, y, bulge) = vertices[i];
        let p = P2::new(x, y);
        out.push(p);
        if i + 1 == n && !closed {
            break;
        }
        let (nx, ny, _) = vertices[(i + 1) % n];
        let q = P2::new(nx, ny);
        let chord = (q - p).norm();
        if bulge.abs() < 1e-9 || chord < 1e-12 || !bulge.is_finite() {
            continue;
        }
        let theta = 4.0 * bulge.atan();
        let r = chord / (2.0 * (theta / 2.0).sin().abs());
        let mid = nalgebra::center(&p, &q);
        let normal = nalgebra::Vector2::new(-(q - p).y, (q - p).x) / chord;
        let h = r * (theta / 2.0).cos().abs();
        // Bulge > 0: counter-clockwise arc, centre to the left of p→q for arcs under 180°.
        let side = if (bulge > 0.0) == (theta.abs() < std::f64::consts::PI) { 1.0 } else { -1.0 };
        let c = mid + normal * (h * side);
        let (a0, a1) = ((p.y - c.y).atan2(p.x - c.x), (q.y - c.y).atan2(q.x - c.x));
        let mut pts = Vec::new();
        if bulge > 0.0 {
            arc_points(c, r, a0, a1, tol, &mut pts);
        } else {
            arc_points(c, r, a1, a0, tol, &mut pts);
            pts.reverse();
        }
        // Interior points only: the ends are the vertices.
        out.extend(pts.iter().skip(1).take(pts.len().saturating_sub(2)));
    }
    out
}

struct Flattener<'a> {
    drawing: &'a Drawing,
    /// Sagitta tolerance [m].
    tol_m: f64,
    out: Vec<(String, &'static str, Option<usize>, Primitive)>,
    too_many: bool,
    instances: usize,
    instance: Option<usize>,
}

fn point(p: &Point) -> (f64, f64) {
    (p.x, p.y)
}

impl Flattener<'_> {
    fn push(&mut self, layer: &str, kind: &'static str, p: Primitive) {
        if self.out.len() >= MAX_PRIMITIVES {
            self.too_many = true;
            return;
        }
        self.out.push((layer.to_string(), kind, self.instance, p));
    }

    fn entity(&mut self, e: &Entity, t: &Affine, parent_layer: Option<&str>, depth: usize) {
        let layer = match parent_layer {
            Some(parent) if e.common.layer == "0" => parent.to_string(),
            _ => e.common.layer.clone(),
        };
        // The tolerance in the entity's own units (t maps them to metres).
        let tol = self.tol_m / t.gain().max(1e-12);
        let name: &'static str = match &e.specific {
            EntityType::Line(_) => "LINE",
            EntityType::LwPolyline(_) => "LWPOLYLINE",
            EntityType::Polyline(_) => "POLYLINE",
            EntityType::Arc(_) => "ARC",
            EntityType::Circle(_) => "CIRCLE",
            EntityType::Insert(_) => "INSERT",
            EntityType::Text(_) => "TEXT",
            EntityType::MText(_) => "MTEXT",
            _ => "other",
        };
        let map = |pts: &[P2]| pts.iter().map(|p| t.apply(p.x, p.y)).collect::<Vec<_>>();
        match &e.specific {
            EntityType::Line(l) => {
                let pts = map(&[P2::new(l.p1.x, l.p1.y), P2::new(l.p2.x, l.p2.y)]);
                self.push(&layer, name, Primitive::Polyline { points: pts, closed: false });
            }
            EntityType::LwPolyline(l) => {
                let v: Vec<(f64, f64, f64)> = l.vertices.iter().map(|v| (v.x, v.y, v.bulge)).collect();
                let closed = l.is_closed();
                let pts = map(&bulged(&v, closed, tol));
                self.push(&layer, name, Primitive::Polyline { points: pts, closed });
            }
            EntityType::Polyline(l) => {
                let v: Vec<(f64, f64, f64)> = l.vertices().map(|v| (v.location.x, v.location.y, v.bulge)).collect();
                let closed = l.is_closed();
                let pts = map(&bulged(&v, closed, tol));
                self.push(&layer, name, Primitive::Polyline { points: pts, closed });
            }
            EntityType::Arc(a) => {
                let (a0, a1) = (a.start_angle.to_radians(), a.end_angle.to_radians());
                let pts = arc(point(&a.center), a.radius.abs(), (a0, a1), tol, false);
                self.push(&layer, name, Primitive::Polyline { points: map(&pts), closed: false });
            }
            EntityType::Circle(c) => {
                let r = c.radius.abs();
                let pts = arc(point(&c.center), r, (0.0, std::f64::consts::TAU), tol.max(r * 0.05), true);
                self.push(&layer, name, Primitive::Polyline { points: map(&pts), closed: true });
            }
            EntityType::Text(tx) => {
                let (x, y) = point(&tx.location);
                self.push(&layer, name, Primitive::Text { at: t.apply(x, y), text: tx.value.clone() });
            }
            EntityType::MText(m) => {
                let (x, y) = point(&m.insertion_point);
                let mut text = m.extended_text.concat();
                text.push_str(&m.text);
                self.push(&layer, name, Primitive::Text { at: t.apply(x, y), text: plain_mtext(&text) });
            }
            EntityType::Insert(ins) => {
                if depth >= MAX_NESTING {
                    return;
                }
                let Some(block) = self.drawing.blocks().find(|b| b.name == ins.name) else { return };
                let (sx, sy) = (ins.x_scale_factor, ins.y_scale_factor);
                let (s, c) = ins.rotation.to_radians().sin_cos();
                // A block reference from model space is one instance (a door, a window):
                // its nested blocks belong to it.
                let outer = self.instance;
                let cols = ins.column_count.max(1) as usize;
                let rows = ins.row_count.max(1) as usize;
                if cols * rows > 10_000 {
                    self.too_many = true;
                    return;
                }
                for row in 0..rows {
                    for col in 0..cols {
                        // Array offsets are along the block's rotated axes.
                        let (ox, oy) = (col as f64 * ins.column_spacing, row as f64 * ins.row_spacing);
                        let local = Affine {
                            m: [[c * sx, -s * sy], [s * sx, c * sy]],
                            t: [
                                ins.location.x + c * ox
                                    - s * oy
                                    - (c * sx * block.base_point.x - s * sy * block.base_point.y),
                                ins.location.y + s * ox + c * oy
                                    - (s * sx * block.base_point.x + c * sy * block.base_point.y),
                            ],
                        };
                        let next = t.then(&local);
                        if outer.is_none() {
                            self.instances += 1;
                            self.instance = Some(self.instances);
                        }
                        for be in &block.entities {
                            self.entity(be, &next, Some(&layer), depth + 1);
                        }
                    }
                }
                self.instance = outer;
            }
            _ => {}
        }
    }
}

/// MTEXT without its formatting codes (`\P` paragraphs, `{\f…;` fonts, `\~` spaces).
fn plain_mtext(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' => match chars.next() {
                Some('P') | Some('~') => out.push(' '),
                Some('\\') => out.push('\\'),
                Some(_) => {
                    // A code with an argument runs to ';'.
                    for d in chars.by_ref() {
                        if d == ';' {
                            break;
                        }
                    }
                }
                None => {}
            },
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Geometry of a DXF drawing (bytes) sorted by the config's layers, and the entity counts
/// of the layers it leaves unmapped.
pub fn extract(bytes: &[u8], config: &ImportConfig) -> Result<(Extract, BTreeMap<String, usize>), ImportError> {
    let drawing = std::panic::catch_unwind(|| Drawing::load(&mut std::io::Cursor::new(bytes)))
        .map_err(|_| ImportError::Format("the DXF reader failed on this file".into()))?
        .map_err(|e| ImportError::Format(format!("not a readable DXF file: {e}")))?;
    let metres = match (config.scale, unit_metres(drawing.header.default_drawing_units)) {
        (Some(s), _) => s,
        (None, Some(m)) => m,
        (None, None) => {
            return Err(ImportError::Config(format!(
                "the drawing gives no usable $INSUNITS ({:?}); set `scale` (metres per drawing unit)",
                drawing.header.default_drawing_units
            )));
        }
    };
    let mut f = Flattener {
        drawing: &drawing,
        tol_m: config.arc_tolerance,
        out: Vec::new(),
        too_many: false,
        instances: 0,
        instance: None,
    };
    let t = Affine::scale(metres);
    for e in drawing.entities() {
        f.entity(e, &t, None, 0);
    }
    if f.too_many {
        return Err(ImportError::Format(format!("the drawing expands to more than {MAX_PRIMITIVES} primitives")));
    }
    let find = |list: &[LayerMaterial], layer: &str| list.iter().find(|l| matches(&[l.layer.as_str()], layer)).cloned();
    let rooms: Vec<&str> = config.rooms.iter().map(String::as_str).collect();
    let contours: Vec<&str> = config.contour.iter().map(String::as_str).collect();
    let labels: Vec<&str> = config.labels.iter().map(String::as_str).collect();
    let ignore: Vec<&str> = config.ignore.iter().map(String::as_str).collect();
    let mut x = Extract::default();
    let mut left: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    let mut layers: BTreeMap<String, usize> = BTreeMap::new();
    // Doors and windows: the polylines of one block instance make one opening.
    type Group = (LayerMaterial, OpeningKind, Vec<Vec<P2>>);
    let mut groups: BTreeMap<(String, usize), Group> = BTreeMap::new();
    let mut loose = 0usize;
    for (layer, kind, instance, prim) in f.out {
        *layers.entry(layer.clone()).or_default() += 1;
        let mapped = match prim {
            Primitive::Polyline { points, closed } => {
                let ring = closed || (points.len() > 2 && points.first() == points.last());
                if let Some(m) = find(&config.walls, &layer) {
                    let n = points.len();
                    let segments = if closed { n } else { n.saturating_sub(1) };
                    for i in 0..segments {
                        x.walls.push(Piece {
                            a: points[i],
                            b: points[(i + 1) % n],
                            material: m.material.clone(),
                            thickness: m.thickness,
                        });
                    }
                    true
                } else if let Some((m, opening)) = find(&config.doors, &layer)
                    .map(|m| (m, OpeningKind::Door))
                    .or_else(|| find(&config.windows, &layer).map(|m| (m, OpeningKind::Window)))
                {
                    let id = instance.unwrap_or_else(|| {
                        loose += 1;
                        usize::MAX - loose
                    });
                    groups.entry((layer.clone(), id)).or_insert((m, opening, Vec::new())).2.push(points);
                    true
                } else if ring && matches(&rooms, &layer) {
                    x.outlines.push(points);
                    true
                } else if ring && matches(&contours, &layer) {
                    x.contours.push(points);
                    true
                } else {
                    false
                }
            }
            Primitive::Text { at, text } => {
                let label = matches(&labels, &layer);
                if label {
                    x.labels.push((at, text));
                }
                label
            }
        };
        if !mapped && !matches(&ignore, &layer) {
            *left.entry(layer).or_default().entry(kind).or_default() += 1;
        }
    }
    for (m, kind, polylines) in groups.into_values() {
        openings_from(&polylines, &m, kind, &mut x);
    }
    let unmapped = left
        .into_iter()
        .map(|(layer, kinds)| {
            let detail = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
            (format!("layer \"{layer}\" ({detail})"), kinds.values().sum())
        })
        .collect();
    if x.walls.is_empty() && x.outlines.is_empty() && x.openings.is_empty() {
        let layers = layers.iter().map(|(l, n)| format!("\"{l}\" ({n})")).collect::<Vec<_>>().join(", ");
        return Err(ImportError::NothingMatched(format!(
            "the config maps none of the drawing's geometry; its layers: {layers}"
        )));
    }
    Ok((x, unmapped))
}

/// A door or window drawn as polylines: its extent along its main direction, on the
/// line of its longest segment (the leaf or the frame, drawn in the wall).
fn openings_from(polylines: &[Vec<P2>], m: &LayerMaterial, kind: OpeningKind, x: &mut Extract) {
    let mut longest: Option<(f64, P2, nalgebra::Vector2<f64>)> = None;
    for pl in polylines {
        for w in pl.windows(2) {
            let d = w[1] - w[0];
            if longest.is_none_or(|l| d.norm() > l.0) && d.norm() > 0.0 {
                longest = Some((d.norm(), w[0], d / d.norm()));
            }
        }
    }
    let Some((_, origin, dir)) = longest else { return };
    let (lo, hi) = polylines
        .iter()
        .flatten()
        .map(|p| (p - origin).dot(&dir))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), u| (a.min(u), b.max(u)));
    x.openings.push(OpeningPiece {
        a: origin + dir * lo,
        b: origin + dir * hi,
        kind,
        material: m.material.clone(),
        thickness: m.thickness,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtext_formatting_is_stripped() {
        assert_eq!(plain_mtext("{\\fArial|b1;Salle 12}\\P35 places"), "Salle 12 35 places");
    }

    #[test]
    fn a_half_circle_bulge_becomes_an_arc_through_its_apex() {
        // From (0,0) to (2,0) with bulge 1: a half circle of radius 1, bulging to -y (CCW).
        let pts = bulged(&[(0.0, 0.0, 1.0), (2.0, 0.0, 0.0)], false, 0.001);
        let lowest = pts.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        assert!((lowest + 1.0).abs() < 0.002, "{lowest}");
        assert!(pts.iter().all(|p| ((p.x - 1.0).hypot(p.y) - 1.0).abs() < 1e-9 || p.y == 0.0));
    }
}
