//! Heatmaps of one floor: a metric's cells in colour bands (grey outside the rooms), the
//! floor's walls by material class with their doors and windows, room names, the APs with
//! name and channel (no label over another: [`super::labels`]), a legend with units, a
//! scale bar and a title. North is up.

use super::labels::{Labels, PixelBox, Placed, room_forms};
use super::{RenderError, font, png};
use crate::geometry::{P2, point_in_polygon, polygon_centroid};
use crate::lang::{Lang, Msg};
use crate::plan::{OpeningKind, RoomKind, Site};
use crate::radiomap::PlaneEntry;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colour of cells outside every room (and of the legend's "outside rooms" swatch).
pub const OUTSIDE: [u8; 3] = [225, 225, 225];
const MARGIN: u32 = 16;
const TITLE_HEIGHT: u32 = 52;
const LEGEND_WIDTH: u32 = 210;
const SCALE_BAR_HEIGHT: u32 = 40;

/// How values map to colours, and the legend that says so.
#[derive(Debug, Clone, PartialEq)]
pub struct ColourScale {
    /// Legend title with the unit, e.g. "RSSI [dBm]"; one line per `\n`.
    pub title: String,
    /// Legend entries, top to bottom.
    pub entries: Vec<ScaleEntry>,
    /// Whether entries are categories (exact values) rather than bands.
    pub categorical: bool,
}

/// One band or category.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleEntry {
    /// Fill colour (RGB).
    pub colour: [u8; 3],
    /// Legend text.
    pub label: String,
    /// Bands: the lowest value of the band (−∞ for the last); categories: the value.
    pub value: f32,
}

fn viridis(h: f64) -> [u8; 3] {
    let c = ViridisRGB::get_color(h.clamp(0.0, 1.0));
    [c.0, c.1, c.2]
}

/// Trims a number for a label: no trailing ".0", a proper minus sign.
pub fn number(v: f64) -> String {
    let s = if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v}") };
    s.replace('-', "−")
}

/// [`number`] in `lang`: the decimal comma in French.
pub fn number_in(v: f64, lang: Lang) -> String {
    lang.decimal_mark(number(v))
}

impl ColourScale {
    /// Bands cut at `thresholds` (descending), coloured from viridis' bright end (the
    /// highest band) to its dark end; the last band holds everything below, −∞ included.
    /// Labels in `lang`.
    pub fn bands(title: &str, thresholds: &[f64], lang: Lang) -> ColourScale {
        let n = thresholds.len();
        let number = |v: f64| number_in(v, lang);
        let mut entries = Vec::with_capacity(n + 1);
        for (k, &t) in thresholds.iter().enumerate() {
            let label = if k == 0 {
                format!("≥ {}", number(t))
            } else {
                format!("{} … {}", number(t), number(thresholds[k - 1]))
            };
            entries.push(ScaleEntry { colour: viridis(1.0 - k as f64 / n as f64), label, value: t as f32 });
        }
        let last = thresholds.last().map_or(lang.t(Msg::AllValues).to_string(), |&t| format!("< {}", number(t)));
        entries.push(ScaleEntry { colour: viridis(0.0), label: last, value: f32::NEG_INFINITY });
        ColourScale { title: title.to_string(), entries, categorical: false }
    }

    /// One colour per value, from a colour-blind-safe qualitative palette (Okabe–Ito,
    /// then Tol's muted).
    pub fn categories(title: &str, values: &[(f32, String)]) -> ColourScale {
        const PALETTE: [[u8; 3]; 15] = [
            [230, 159, 0],
            [86, 180, 233],
            [0, 158, 115],
            [240, 228, 66],
            [0, 114, 178],
            [213, 94, 0],
            [204, 121, 167],
            [51, 34, 136],
            [136, 204, 238],
            [68, 170, 153],
            [17, 119, 51],
            [153, 153, 51],
            [221, 204, 119],
            [204, 102, 119],
            [136, 34, 85],
        ];
        let entries = values
            .iter()
            .enumerate()
            .map(|(k, (v, label))| ScaleEntry { colour: PALETTE[k % PALETTE.len()], label: label.clone(), value: *v })
            .collect();
        ColourScale { title: title.to_string(), entries, categorical: true }
    }

    /// The colour of a value; categories not in the scale are dark grey.
    pub fn colour(&self, v: f32) -> [u8; 3] {
        if self.categorical {
            return self.entries.iter().find(|e| e.value == v).map_or([90, 90, 90], |e| e.colour);
        }
        self.entries.iter().find(|e| v >= e.value).or(self.entries.last()).map_or([0, 0, 0], |e| e.colour)
    }
}

/// An AP drawn on a floor.
#[derive(Debug, Clone, PartialEq)]
pub struct ApMark {
    /// Name.
    pub name: String,
    /// Position in the site frame [m].
    pub position: (f64, f64),
    /// Channel in the band drawn.
    pub channel: Option<u32>,
}

/// What one floor's heatmap shows besides its values.
#[derive(Debug, Clone)]
pub struct FloorView<'a> {
    /// The site.
    pub site: &'a Site,
    /// Building index.
    pub building: usize,
    /// Floor index.
    pub floor: usize,
    /// The plane's grid.
    pub plane: &'a PlaneEntry,
    /// Cells drawn in colour (inside a room); the others are grey.
    pub mask: &'a [bool],
    /// APs on this floor.
    pub aps: &'a [ApMark],
    /// First title line.
    pub title: String,
    /// Second title line.
    pub subtitle: String,
    /// Language of the legend.
    pub lang: Lang,
    /// Pixels per metre [px/m].
    pub px_per_m: f64,
}

/// Where the map lies in the image: site point (x, y) [m] is at pixel
/// (map_left + (x − xmin)·px_per_m, map_top + (ymax − y)·px_per_m).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// Image width [px].
    pub width: u32,
    /// Image height [px].
    pub height: u32,
    /// Left edge of the map [px].
    pub map_left: u32,
    /// Top edge of the map [px].
    pub map_top: u32,
    /// Map width [px].
    pub map_width: u32,
    /// Map height [px].
    pub map_height: u32,
    /// West edge of the plane [m].
    pub xmin: f64,
    /// North edge of the plane [m].
    pub ymax: f64,
    /// Scale [px/m].
    pub px_per_m: f64,
}

impl Layout {
    /// Pixel position of a site point [px].
    pub fn pixel(&self, x: f64, y: f64) -> (f64, f64) {
        (
            f64::from(self.map_left) + (x - self.xmin) * self.px_per_m,
            f64::from(self.map_top) + (self.ymax - y) * self.px_per_m,
        )
    }

    fn int(&self, x: f64, y: f64) -> (i32, i32) {
        let (a, b) = self.pixel(x, y);
        (a.round() as i32, b.round() as i32)
    }
}

/// Material classes walls are drawn in, with their colours.
const WALL_CLASSES: [(Msg, RGBColor); 6] = [
    (Msg::WallConcrete, RGBColor(40, 40, 40)),
    (Msg::WallBrick, RGBColor(150, 60, 40)),
    (Msg::WallPlaster, RGBColor(150, 120, 80)),
    (Msg::WallGlass, RGBColor(90, 180, 240)),
    (Msg::WallMetal, RGBColor(220, 30, 60)),
    (Msg::WallOther, RGBColor(130, 60, 170)),
];

fn wall_class(material: &str) -> usize {
    let m = material.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if has(&["metal", "steel", "alu", "copper"]) {
        4
    } else if has(&["glass", "glaz", "vitr"]) {
        3
    } else if has(&["brick", "brique"]) {
        1
    } else if has(&["concrete", "beton", "béton", "marble", "stone", "pierre", "block", "parpaing"]) {
        0
    } else if has(&["plaster", "wood", "board", "bois", "placo", "ply", "chip"]) {
        2
    } else {
        5
    }
}

fn err<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError::new("heatmap", format!("{e:?}"))
}

/// A scale bar length: the largest of 1, 2, 5 × 10^k metres under a quarter of `span` [m].
fn scale_bar_m(span: f64) -> f64 {
    let target = (span / 4.0).max(1.0);
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|m| m * p).find(|&v| v <= target).unwrap_or(p)
}

/// Lays out a floor's image.
pub fn layout(plane: &PlaneEntry, px_per_m: f64, legend_rows: usize) -> Layout {
    let map_width = ((plane.nx as f64 * plane.cell_size * px_per_m).round() as u32).max(1);
    let map_height = ((plane.ny as f64 * plane.cell_size * px_per_m).round() as u32).max(1);
    let legend_height = 58 + 22 * legend_rows as u32;
    Layout {
        width: MARGIN + map_width + 20 + LEGEND_WIDTH + MARGIN,
        height: (TITLE_HEIGHT + map_height + SCALE_BAR_HEIGHT).max(TITLE_HEIGHT + legend_height) + MARGIN,
        map_left: MARGIN,
        map_top: TITLE_HEIGHT,
        map_width,
        map_height,
        xmin: plane.xmin,
        ymax: plane.ymin + plane.ny as f64 * plane.cell_size,
        px_per_m,
    }
}

/// Draws one floor's heatmap of `values` (one per cell of `view.plane`) and encodes it
/// as PNG; returns the PNG and where the map lies in it.
pub fn floor_png(view: &FloorView, values: &[f32], scale: &ColourScale) -> Result<(Vec<u8>, Layout), RenderError> {
    font()?;
    let plane = view.plane;
    if values.len() != plane.nx * plane.ny || view.mask.len() != values.len() {
        return Err(RenderError::new("heatmap", "values and mask do not match the plane"));
    }
    if !(view.px_per_m.is_finite() && view.px_per_m > 0.0) {
        return Err(RenderError::new("heatmap", format!("scale {} px/m must be positive", view.px_per_m)));
    }
    let building = &view.site.buildings[view.building];
    let floor = &building.floors[view.floor];
    let classes: Vec<usize> = {
        let mut c: Vec<usize> = floor
            .walls
            .iter()
            .map(|w| wall_class(&w.material))
            .chain(floor.walls.iter().flat_map(|w| &w.openings).filter_map(|o| o.material.as_deref().map(wall_class)))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let legend_rows = scale.entries.len() + 1 + classes.len() + 3;
    let lay = layout(plane, view.px_per_m, legend_rows);
    let pixels = u64::from(lay.width) * u64::from(lay.height);
    if pixels > 200_000_000 {
        return Err(RenderError::new(
            "heatmap",
            format!("{} × {} px is too large; lower --scale", lay.width, lay.height),
        ));
    }
    let mut rgb = vec![255u8; (pixels * 3) as usize];

    // Cells: one colour per cell, then each map pixel takes its cell's.
    let cell_colour: Vec<[u8; 3]> =
        values.iter().zip(view.mask).map(|(&v, &inside)| if inside { scale.colour(v) } else { OUTSIDE }).collect();
    let per_cell = plane.cell_size * view.px_per_m;
    let columns: Vec<usize> =
        (0..lay.map_width).map(|px| (((f64::from(px) + 0.5) / per_cell) as usize).min(plane.nx - 1)).collect();
    for py in 0..lay.map_height {
        let row = plane.ny - 1 - (((f64::from(py) + 0.5) / per_cell) as usize).min(plane.ny - 1);
        let start = ((lay.map_top + py) as usize * lay.width as usize + lay.map_left as usize) * 3;
        let line = &mut rgb[start..start + lay.map_width as usize * 3];
        for (px, &col) in line.chunks_exact_mut(3).zip(&columns) {
            px.copy_from_slice(&cell_colour[row * plane.nx + col]);
        }
    }

    {
        let area = BitMapBackend::with_buffer(&mut rgb, (lay.width, lay.height)).into_drawing_area();
        let map_box = [
            (lay.map_left as i32, lay.map_top as i32),
            ((lay.map_left + lay.map_width) as i32, (lay.map_top + lay.map_height) as i32),
        ];
        area.draw(&Rectangle::new(map_box, BLACK.stroke_width(1))).map_err(err)?;

        // Walls, cut around their openings.
        for wall in &floor.walls {
            let (a, b) = (building.to_site(wall.from), building.to_site(wall.to));
            let length = wall.length();
            if length <= 0.0 {
                continue;
            }
            let at = |s: f64| {
                let t = s / length;
                (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
            };
            let width = (wall.thickness * view.px_per_m).max(2.0);
            let colour = WALL_CLASSES[wall_class(&wall.material)].1;
            let mut openings: Vec<_> = wall.openings.iter().collect();
            openings.sort_by(|p, q| p.offset.total_cmp(&q.offset));
            let mut s = 0.0;
            for o in &openings {
                let (o0, o1) = (o.offset.max(0.0), (o.offset + o.width).min(length));
                if o0 > s {
                    strip(&area, &lay, at(s), at(o0), width, colour)?;
                }
                match o.kind {
                    OpeningKind::Window => {
                        let c = o.material.as_deref().map_or(WALL_CLASSES[3].1, |m| WALL_CLASSES[wall_class(m)].1);
                        strip(&area, &lay, at(o0), at(o1), width.max(3.0), c)?;
                    }
                    OpeningKind::Door => strip(&area, &lay, at(o0), at(o1), 1.5, RGBColor(120, 80, 30))?,
                    OpeningKind::Opening => {}
                }
                s = s.max(o1);
            }
            if s < length {
                strip(&area, &lay, at(s), at(length), width, colour)?;
            }
        }

        // Labels: APs' first, then rooms', none over another or over an AP's marker.
        let markers: Vec<(i32, i32)> = view.aps.iter().map(|ap| lay.int(ap.position.0, ap.position.1)).collect();
        let mut labels = Labels::new(
            markers.iter().map(|&(x, y)| PixelBox { x0: x - 7, y0: y - 7, x1: x + 8, y1: y + 8 }).collect(),
        );
        let on_map = |b: &PixelBox| {
            b.x0 >= lay.map_left as i32
                && b.y0 >= lay.map_top as i32
                && b.x1 <= (lay.map_left + lay.map_width) as i32
                && b.y1 <= (lay.map_top + lay.map_height) as i32
        };
        let ap_font = ("sans-serif", 12).into_font().color(&BLACK);
        let room_font = ("sans-serif", 11).into_font().color(&RGBColor(20, 20, 20));
        // The font was registered above; measuring with it does not fail.
        let measure = |font: &TextStyle, text: &str| area.estimate_text_size(text, font).unwrap_or((0, 0));
        let mut ap_labels = Vec::new();
        for (ap, &(x, y)) in view.aps.iter().zip(&markers) {
            let forms = match ap.channel {
                Some(c) => vec![format!("{} · ch {c}", ap.name), ap.name.clone()],
                None => vec![ap.name.clone()],
            };
            let positions = |(w, h): (u32, u32)| {
                let (w, h) = (w as i32, h as i32);
                vec![(x - w / 2, y + 10), (x - w / 2, y - 9 - h), (x + 10, y - h / 2), (x - 10 - w, y - h / 2)]
            };
            ap_labels.extend(labels.place(&forms, |t| measure(&ap_font, t), positions, on_map));
        }
        let mut room_labels = Vec::new();
        for room in &floor.rooms {
            let pts: Vec<(f64, f64)> =
                room.outline.iter().map(|&p| building.to_site(p)).map(|p| lay.pixel(p.x, p.y)).collect();
            let polygon: Vec<P2> = pts.iter().map(|&(x, y)| P2::new(x, y)).collect();
            let (y0, _) = pts.iter().fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.1), h.max(p.1)));
            let (cx, cy) = polygon_centroid(&pts);
            // Halfway between the centre (where APs usually hang) and the top, else the
            // centre, else a little lower.
            let positions = |(w, h): (u32, u32)| {
                let half = f64::from(h) / 2.0;
                [cy - (cy - y0) / 2.0, cy, cy + 2.0 * half + 4.0]
                    .map(|y| ((cx - f64::from(w) / 2.0).round() as i32, (y - half).round() as i32))
                    .to_vec()
            };
            let inside = |b: &PixelBox| on_map(b) && b.corners().iter().all(|&(x, y)| point_in_polygon(&polygon, x, y));
            room_labels.extend(labels.place(&room_forms(&room.name), |t| measure(&room_font, t), positions, inside));
        }
        // A label on a light background (`opacity` of white), within its placed box.
        let draw_label = |p: Placed, font: &TextStyle, opacity: f64| -> Result<(), RenderError> {
            let (x, y) = p.at;
            let corner = (x + p.size.0 as i32 + 2, y + p.size.1 as i32 + 1);
            area.draw(&Rectangle::new([(x - 2, y - 1), corner], WHITE.mix(opacity).filled())).map_err(err)?;
            area.draw(&Text::new(p.text, (x, y), font.clone())).map_err(err)
        };
        for p in room_labels {
            draw_label(p, &room_font, 0.6)?;
        }

        // APs: a white disc ringed in black, the name and channel on a light label.
        for &(x, y) in &markers {
            area.draw(&Circle::new((x, y), 6, WHITE.filled())).map_err(err)?;
            area.draw(&Circle::new((x, y), 6, BLACK.stroke_width(2))).map_err(err)?;
            area.draw(&Circle::new((x, y), 2, BLACK.filled())).map_err(err)?;
        }
        for p in ap_labels {
            draw_label(p, &ap_font, 0.8)?;
        }
        // Title.
        area.draw(&Text::new(view.title.clone(), (MARGIN as i32, 8), ("sans-serif", 18).into_font().color(&BLACK)))
            .map_err(err)?;
        area.draw(&Text::new(
            view.subtitle.clone(),
            (MARGIN as i32, 31),
            ("sans-serif", 13).into_font().color(&RGBColor(70, 70, 70)),
        ))
        .map_err(err)?;

        // North arrow in the map's top right corner.
        let (nx, ny) = ((lay.map_left + lay.map_width) as i32 - 14, lay.map_top as i32 + 6);
        let north = ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new("N", (nx, ny), north.clone())).map_err(err)?;
        area.draw(&Text::new("↑", (nx, ny + 14), north)).map_err(err)?;

        // Scale bar under the map.
        let span = plane.nx as f64 * plane.cell_size;
        let metres = scale_bar_m(span);
        let len = (metres * view.px_per_m).round() as i32;
        let (sx, sy) = (lay.map_left as i32, (lay.map_top + lay.map_height) as i32 + 14);
        area.draw(&Rectangle::new([(sx, sy), (sx + len, sy + 5)], BLACK.filled())).map_err(err)?;
        area.draw(&Rectangle::new([(sx + len / 2, sy), (sx + len, sy + 5)], WHITE.filled())).map_err(err)?;
        area.draw(&Rectangle::new([(sx, sy), (sx + len, sy + 5)], BLACK.stroke_width(1))).map_err(err)?;
        let small = ("sans-serif", 12).into_font().color(&BLACK);
        area.draw(&Text::new(format!("{} m", number(metres)), (sx + len + 6, sy - 4), small.clone())).map_err(err)?;
        // Under it, how many labels found no room.
        if labels.left_out > 0 {
            let note = format!("{} {}", labels.left_out, view.lang.t(Msg::LabelsLeftOut));
            let grey = ("sans-serif", 12).into_font().color(&RGBColor(70, 70, 70));
            area.draw(&Text::new(note, (sx, sy + 10), grey)).map_err(err)?;
        }

        // Legend.
        let lx = (lay.map_left + lay.map_width + 20) as i32;
        let mut ly = lay.map_top as i32;
        for line in scale.title.lines() {
            area.draw(&Text::new(line.to_string(), (lx, ly), ("sans-serif", 14).into_font().color(&BLACK)))
                .map_err(err)?;
            ly += 18;
        }
        ly += 6;
        let swatch = |area: &DrawingArea<BitMapBackend, _>, y: i32, c: RGBColor, text: &str| {
            area.draw(&Rectangle::new([(lx, y), (lx + 28, y + 15)], c.filled()))?;
            area.draw(&Rectangle::new([(lx, y), (lx + 28, y + 15)], RGBColor(60, 60, 60).stroke_width(1)))?;
            area.draw(&Text::new(text.to_string(), (lx + 36, y + 1), small.clone()))
        };
        for e in &scale.entries {
            swatch(&area, ly, RGBColor(e.colour[0], e.colour[1], e.colour[2]), &e.label).map_err(err)?;
            ly += 22;
        }
        let lang = view.lang;
        swatch(&area, ly, RGBColor(OUTSIDE[0], OUTSIDE[1], OUTSIDE[2]), lang.t(Msg::OutsideRooms)).map_err(err)?;
        ly += 30;
        area.draw(&Text::new(lang.t(Msg::Walls), (lx, ly), ("sans-serif", 13).into_font().color(&BLACK)))
            .map_err(err)?;
        ly += 20;
        for &k in &classes {
            area.draw(&Rectangle::new([(lx, ly + 5), (lx + 28, ly + 10)], WALL_CLASSES[k].1.filled())).map_err(err)?;
            area.draw(&Text::new(lang.t(WALL_CLASSES[k].0), (lx + 36, ly + 1), small.clone())).map_err(err)?;
            ly += 22;
        }
        if !view.aps.is_empty() {
            area.draw(&Circle::new((lx + 14, ly + 8), 6, WHITE.filled())).map_err(err)?;
            area.draw(&Circle::new((lx + 14, ly + 8), 6, BLACK.stroke_width(2))).map_err(err)?;
            area.draw(&Text::new(lang.t(Msg::ApChannel), (lx + 36, ly + 1), small.clone())).map_err(err)?;
        }
        area.present().map_err(err)?;
    }
    Ok((png("heatmap", lay.width, lay.height, rgb)?, lay))
}

/// A straight wall piece from `a` to `b` (site frame) `width` pixels wide.
fn strip<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    lay: &Layout,
    a: (f64, f64),
    b: (f64, f64),
    width: f64,
    colour: RGBColor,
) -> Result<(), RenderError> {
    let (p, q) = (lay.pixel(a.0, a.1), lay.pixel(b.0, b.1));
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let len = dx.hypot(dy);
    if len < 1e-9 {
        return Ok(());
    }
    let (nx, ny) = (-dy / len * width / 2.0, dx / len * width / 2.0);
    let corner = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    let poly = vec![
        corner(p.0 + nx, p.1 + ny),
        corner(q.0 + nx, q.1 + ny),
        corner(q.0 - nx, q.1 - ny),
        corner(p.0 - nx, p.1 - ny),
    ];
    area.draw(&Polygon::new(poly, colour.filled())).map_err(|e| RenderError::new("heatmap", format!("{e:?}")))
}

/// Cell of the preview's grid [m].
const PREVIEW_CELL_M: f64 = 0.1;

/// The import preview of one floor: the plan drawn as the heatmaps draw it (walls by
/// material class with their openings, room names, scale bar), the rooms coloured by
/// kind and wiring closets in a colour of their own, so that the engineer can check the
/// scale and the walls before simulating. `px_per_m` [px/m]; returns the PNG and where
/// the map lies in it.
pub fn plan_preview(
    site: &Site,
    building: usize,
    floor: usize,
    px_per_m: f64,
    lang: Lang,
) -> Result<(Vec<u8>, Layout), RenderError> {
    let b = &site.buildings[building];
    let f = &b.floors[floor];
    let points: Vec<P2> = f
        .walls
        .iter()
        .flat_map(|w| [w.from, w.to])
        .chain(f.rooms.iter().flat_map(|r| r.outline.iter().copied()))
        .map(|p| b.to_site(p))
        .collect();
    if points.is_empty() {
        return Err(RenderError::new("import preview", "the floor has no walls and no rooms"));
    }
    let (x0, x1) = points.iter().fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.x), h.max(p.x)));
    let (y0, y1) = points.iter().fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.y), h.max(p.y)));
    let cell = PREVIEW_CELL_M;
    let (xmin, ymin) = (x0 - 1.0, y0 - 1.0);
    let (nx, ny) = (((x1 - x0 + 2.0) / cell).ceil() as usize, ((y1 - y0 + 2.0) / cell).ceil() as usize);
    if nx * ny > 50_000_000 {
        return Err(RenderError::new("import preview", format!("the floor spans {nx} × {ny} cells of 0.1 m")));
    }
    let plane = PlaneEntry {
        building: b.name.clone(),
        floor: f.name.clone(),
        xmin,
        ymin,
        cell_size: cell,
        nx,
        ny,
        rx_z: 0.0,
        rssi_file: String::new(),
        gain_files: Default::default(),
    };
    // A category per kind (its index), closets apart.
    const CLOSET: f32 = -1.0;
    let mut values = vec![f32::NAN; nx * ny];
    let mut mask = vec![false; nx * ny];
    let mut present = std::collections::BTreeSet::new();
    for (ri, room) in f.rooms.iter().enumerate() {
        let v =
            if room.closet { CLOSET } else { RoomKind::ALL.iter().position(|k| *k == room.kind).unwrap_or(0) as f32 };
        present.insert(v.to_bits());
        let outline = crate::radiomap::rooms::site_outline(site, building, floor, ri);
        for c in crate::radiomap::rooms::polygon_cells(&outline, (xmin, ymin), cell, (nx, ny)) {
            values[c] = v;
            mask[c] = true;
        }
    }
    let categories: Vec<(f32, String)> = present
        .into_iter()
        .map(f32::from_bits)
        .map(|v| {
            let label = if v == CLOSET { lang.t(Msg::WiringCloset) } else { lang.room_kind(RoomKind::ALL[v as usize]) };
            (v, label.to_string())
        })
        .collect();
    let scale = ColourScale::categories(lang.t(Msg::RoomsByKind), &categories);
    let closets = f.rooms.iter().filter(|r| r.closet).count();
    let view = FloorView {
        site,
        building,
        floor,
        plane: &plane,
        mask: &mask,
        aps: &[],
        title: lang.fill(Msg::PreviewTitle, &[&site.name, &b.name, &f.name]),
        subtitle: lang.fill(Msg::PreviewSubtitle, &[&f.walls.len(), &f.rooms.len(), &closets]),
        lang,
        px_per_m,
    };
    floor_png(&view, &values, &scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_put_each_value_in_its_band() {
        let s = ColourScale::bands("RSSI [dBm]", &[-67.0, -75.0, -82.0], Lang::En);
        assert_eq!(s.entries.len(), 4);
        assert_eq!(s.colour(-60.0), s.entries[0].colour);
        assert_eq!(s.colour(-67.0), s.entries[0].colour);
        assert_eq!(s.colour(-70.0), s.entries[1].colour);
        assert_eq!(s.colour(-80.0), s.entries[2].colour);
        assert_eq!(s.colour(f32::NEG_INFINITY), s.entries[3].colour);
        assert_eq!(s.entries[1].label, "−75 … −67");
        // Viridis ends: yellow for the best band, purple for the worst.
        assert_eq!(s.entries[3].colour, [68, 1, 84]);
    }

    #[test]
    fn scale_bars_are_round_lengths() {
        assert_eq!(scale_bar_m(100.0), 20.0);
        assert_eq!(scale_bar_m(30.0), 5.0);
        assert_eq!(scale_bar_m(3.0), 1.0);
    }

    #[test]
    fn wall_classes_follow_material_names() {
        assert_eq!(wall_class("concrete"), 0);
        assert_eq!(wall_class("plasterboard"), 2);
        assert_eq!(wall_class("glass"), 3);
        assert_eq!(wall_class("metal"), 4);
        assert_eq!(wall_class("unobtainium"), 5);
    }
}
