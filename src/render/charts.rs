//! Charts of a rollout: a Gantt chart of installation windows per département, a region
//! map of the sites coloured by wave and sized by pupils, and the budget burn-down.

use super::{RenderError, font, png};
use crate::geometry::{KM_PER_DEGREE, P2, polygon_area, polygon_centroid};
use crate::lang::{Lang, Msg};
use chrono::NaiveDate;
use plotters::coord::ranged1d::{IntoSegmentedCoord, SegmentValue};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colours of the waves (ColorBrewer Dark2), then grey for the unscheduled.
pub const WAVE_COLOURS: [RGBColor; 8] = [
    RGBColor(27, 158, 119),
    RGBColor(217, 95, 2),
    RGBColor(117, 112, 179),
    RGBColor(231, 41, 138),
    RGBColor(102, 166, 30),
    RGBColor(230, 171, 2),
    RGBColor(166, 118, 29),
    RGBColor(31, 120, 180),
];
/// Colour of what is unscheduled.
pub const GREY: RGBColor = RGBColor(150, 150, 150);

/// The colour of wave `k` (`None`: unscheduled).
pub fn wave_colour(k: Option<usize>) -> RGBColor {
    k.map_or(GREY, |k| WAVE_COLOURS[k % WAVE_COLOURS.len()])
}

/// One bar of the Gantt chart.
#[derive(Debug, Clone, PartialEq)]
pub struct GanttBar {
    /// Row index.
    pub row: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
    /// Wave index (colour).
    pub wave: usize,
    /// Text drawn in the bar where it fits.
    pub label: String,
}

/// One site on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    /// Latitude [°].
    pub latitude: f64,
    /// Longitude [°].
    pub longitude: f64,
    /// Pupils (area of the disc).
    pub pupils: u32,
    /// Wave index, or `None` when unscheduled.
    pub wave: Option<usize>,
    /// Drawn hollow: the position is approximate.
    pub approximate: bool,
}

fn day(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d)
}

/// A date axis label: month and year over long spans, the day too over short ones.
fn date_labeller(span_days: i32, lang: Lang) -> impl Fn(&i32) -> String {
    move |x| {
        NaiveDate::from_num_days_from_ce_opt(*x)
            .map_or(String::new(), |d| if span_days > 400 { lang.month(d) } else { lang.day(d) })
    }
}

fn err<E: std::fmt::Debug>(what: &'static str) -> impl Fn(E) -> RenderError {
    move |e| RenderError::new(what, format!("{e:?}"))
}

/// Draws the series' legend boxed at `position`.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()
}

/// Fills the canvas white and starts a chart on it with the title and label areas
/// (x, y) [px].
fn builder<'a, 'b>(
    root: &'a DrawingArea<BitMapBackend<'b>, plotters::coord::Shift>,
    title: &'a str,
    (x, y): (u32, u32),
) -> Result<
    ChartBuilder<'a, 'b, BitMapBackend<'b>>,
    DrawingAreaErrorKind<<BitMapBackend<'b> as DrawingBackend>::ErrorType>,
> {
    root.fill(&WHITE)?;
    let mut b = ChartBuilder::on(root);
    b.caption(title, ("sans-serif", 22)).margin(12).x_label_area_size(x).y_label_area_size(y);
    Ok(b)
}

/// Renders a Gantt chart: `rows` (e.g. départements) down, time across.
pub fn gantt(
    title: &str,
    rows: &[String],
    waves: &[String],
    bars: &[GanttBar],
    lang: Lang,
) -> Result<Vec<u8>, RenderError> {
    font()?;
    let (w, h) = (1200u32, 120 + 60 * rows.len().max(1) as u32);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    let x0 = bars.iter().map(|b| day(b.start)).min().unwrap_or(0) - 20;
    // Room on the right for the legend.
    let last = bars.iter().map(|b| day(b.end)).max().unwrap_or(1);
    let x1 = last + 20 + (last - x0) / 8;
    {
        let e = || err("the Gantt chart");
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let mut chart = builder(&root, title, (36, 130))
            .map_err(e())?
            .build_cartesian_2d(x0..x1, (0..rows.len().max(1) - 1).into_segmented())
            .map_err(e())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(12)
            .x_label_formatter(&date_labeller(x1 - x0, lang))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => rows.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 14))
            .draw()
            .map_err(e())?;
        for (k, name) in waves.iter().enumerate() {
            let c = wave_colour(Some(k));
            let these: Vec<&GanttBar> = bars.iter().filter(|b| b.wave == k).collect();
            chart
                .draw_series(these.iter().map(|b| {
                    let mut r = Rectangle::new(
                        [(day(b.start), SegmentValue::Exact(b.row)), (day(b.end) + 1, SegmentValue::Exact(b.row + 1))],
                        c.filled(),
                    );
                    r.set_margin(8, 8, 0, 0);
                    r
                }))
                .map_err(e())?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
        }
        let px_per_day = f64::from(w - 160) / f64::from(x1 - x0);
        for b in bars {
            let width = f64::from(day(b.end) + 1 - day(b.start)) * px_per_day;
            if width >= 7.5 * b.label.chars().count() as f64 {
                chart
                    .draw_series(std::iter::once(Text::new(
                        b.label.clone(),
                        (day(b.start) + 1, SegmentValue::CenterOf(b.row)),
                        ("sans-serif", 13).into_font().color(&WHITE),
                    )))
                    .map_err(e())?;
            }
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight).map_err(e())?;
        root.present().map_err(e())?;
    }
    png("the Gantt chart", w, h, buf)
}

/// An area under the region map (a département): its name and polygons, each an outer
/// ring then its holes, in (longitude, latitude) [°].
#[derive(Debug, Clone, PartialEq)]
pub struct MapArea {
    /// Name, drawn at the centre of its largest polygon.
    pub name: String,
    /// Polygons.
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// Renders the region map in an equirectangular projection true to scale at the map's
/// mean latitude (x east, y north [km]): the areas filled and outlined, their names, the
/// sites as discs by wave (area ∝ pupils), a legend and a scale bar.
pub fn region_map(
    title: &str,
    waves: &[String],
    points: &[MapPoint],
    areas: &[MapArea],
    lang: Lang,
) -> Result<Vec<u8>, RenderError> {
    font()?;
    let (w, h) = (1000u32, 760u32);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    let corners: Vec<(f64, f64)> = areas
        .iter()
        .flat_map(|a| a.polygons.iter().flat_map(|p| p.first().into_iter().flatten().copied()))
        .chain(points.iter().map(|p| (p.longitude, p.latitude)))
        .collect();
    let (lon0, lon1, lat0, lat1) = if corners.is_empty() {
        (-2.0, 2.0, 48.0, 50.0)
    } else {
        let fold =
            |f: fn(&(f64, f64)) -> f64, init: f64, pick: fn(f64, f64) -> f64| corners.iter().map(f).fold(init, pick);
        (
            fold(|c| c.0, f64::MAX, f64::min),
            fold(|c| c.0, f64::MIN, f64::max),
            fold(|c| c.1, f64::MAX, f64::min),
            fold(|c| c.1, f64::MIN, f64::max),
        )
    };
    let (clon, clat) = ((lon0 + lon1) / 2.0, (lat0 + lat1) / 2.0);
    let k = clat.to_radians().cos();
    let project = |(lon, lat): (f64, f64)| ((lon - clon) * k * KM_PER_DEGREE, (lat - clat) * KM_PER_DEGREE);
    // Keep the map's aspect: pad the short side.
    let plot_aspect = f64::from(w - 24) / f64::from(h - 100);
    let mut half_x = ((lon1 - lon0) / 2.0 * k * KM_PER_DEGREE).max(5.0) * 1.04;
    let mut half_y = ((lat1 - lat0) / 2.0 * KM_PER_DEGREE).max(5.0) * 1.04;
    if half_x / half_y > plot_aspect {
        half_y = half_x / plot_aspect;
    } else {
        half_x = half_y * plot_aspect;
    }
    let max_pupils = points.iter().map(|p| p.pupils).max().unwrap_or(1).max(1);
    let land = RGBColor(236, 236, 230);
    let border = RGBColor(120, 120, 120);
    {
        let e = || err("the region map");
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        // Room at the bottom for the footnote, none for axes: the scale bar measures.
        let mut chart = builder(&root, title, (30, 0))
            .map_err(e())?
            .build_cartesian_2d(-half_x..half_x, -half_y..half_y)
            .map_err(e())?;
        for a in areas {
            for polygon in &a.polygons {
                for (i, ring) in polygon.iter().enumerate() {
                    let pts: Vec<(f64, f64)> = ring.iter().map(|&c| project(c)).collect();
                    let fill = if i == 0 { land.filled() } else { WHITE.filled() };
                    chart.draw_series(std::iter::once(Polygon::new(pts.clone(), fill))).map_err(e())?;
                    chart.draw_series(std::iter::once(PathElement::new(pts, border.stroke_width(1)))).map_err(e())?;
                }
            }
        }
        let radius = |p: &MapPoint| (3.0 + 15.0 * (f64::from(p.pupils) / f64::from(max_pupils)).sqrt()) as i32;
        let groups: Vec<(Option<usize>, String)> = (0..waves.len())
            .map(|k| (Some(k), waves[k].clone()))
            .chain(points.iter().any(|p| p.wave.is_none()).then(|| (None, lang.t(Msg::Unscheduled).to_string())))
            .collect();
        for (k, name) in groups {
            let c = wave_colour(k);
            let mut these: Vec<&MapPoint> = points.iter().filter(|p| p.wave == k).collect();
            these.sort_by_key(|p| std::cmp::Reverse(p.pupils));
            chart
                .draw_series(these.iter().map(|p| {
                    let style = if p.approximate { c.stroke_width(2) } else { c.mix(0.75).filled() };
                    Circle::new(project((p.longitude, p.latitude)), radius(p), style)
                }))
                .map_err(e())?
                .label(name)
                .legend(move |(x, y)| Circle::new((x + 6, y), 6, c.filled()));
        }
        let label =
            ("sans-serif", 17).into_font().color(&RGBColor(70, 70, 70)).pos(Pos::new(HPos::Center, VPos::Center));
        for a in areas {
            // The name goes on the largest polygon (the mainland, not an island).
            let area =
                |r: &Vec<(f64, f64)>| polygon_area(&r.iter().map(|&(x, y)| P2::new(x, y)).collect::<Vec<_>>()).abs();
            if let Some(ring) = a.polygons.iter().filter_map(|p| p.first()).max_by(|x, y| area(x).total_cmp(&area(y))) {
                // Above the centre, where the sites placed at the département's centre sit.
                let (x, y) = project(polygon_centroid(ring));
                let at = (x, y + half_y * 0.13);
                chart.draw_series(std::iter::once(Text::new(a.name.clone(), at, label.clone()))).map_err(e())?;
            }
        }
        legend(&mut chart, SeriesLabelPosition::LowerLeft).map_err(e())?;
        // A scale bar of a round length near a fifth of the width, lower right.
        let bar = [10.0, 20.0, 25.0, 50.0, 100.0, 200.0].into_iter().rfind(|&l| l <= half_x * 0.4).unwrap_or(5.0);
        let (x1, y0) = (half_x * 0.94, -half_y * 0.88);
        let ink = BLACK.stroke_width(3);
        chart.draw_series(std::iter::once(PathElement::new(vec![(x1 - bar, y0), (x1, y0)], ink))).map_err(e())?;
        for x in [x1 - bar, x1] {
            let tick = half_y * 0.012;
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, y0 - tick), (x, y0 + tick)], ink)))
                .map_err(e())?;
        }
        let under = ("sans-serif", 14).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{bar:.0} km"),
                (x1 - bar / 2.0, y0 - half_y * 0.02),
                under,
            )))
            .map_err(e())?;
        root.draw(&Text::new(
            lang.fill(Msg::MapNote, &[&lang.number(clat, 1)]),
            (12, (h - 22) as i32),
            ("sans-serif", 13).into_font(),
        ))
        .map_err(e())?;
        root.present().map_err(e())?;
    }
    png("the region map", w, h, buf)
}

/// Renders the budget burn-down: what is left of `budget` [€] after each go-live, with
/// the waves' windows shaded.
pub fn burndown(
    title: &str,
    budget: f64,
    spend: &[(NaiveDate, f64)],
    windows: &[(NaiveDate, NaiveDate, usize)],
    waves: &[String],
    lang: Lang,
) -> Result<Vec<u8>, RenderError> {
    font()?;
    let (w, h) = (1100u32, 560u32);
    let mut buf = vec![0u8; (w * h * 3) as usize];
    let x0 = windows.iter().map(|w| day(w.0)).chain(spend.iter().map(|s| day(s.0))).min().unwrap_or(0) - 20;
    let x1 = windows.iter().map(|w| day(w.1)).chain(spend.iter().map(|s| day(s.0))).max().unwrap_or(1) + 30;
    let total: f64 = spend.iter().map(|s| s.1).sum();
    let top = budget.max(total) / 1e6 * 1.05;
    let bottom = (budget - total).min(0.0) / 1e6 * 1.05;
    {
        let e = || err("the burn-down chart");
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let mut chart = builder(&root, title, (36, 60))
            .map_err(e())?
            .build_cartesian_2d(x0..x1, bottom..top.max(0.1))
            .map_err(e())?;
        chart
            .configure_mesh()
            .x_labels(12)
            .x_label_formatter(&date_labeller(x1 - x0, lang))
            .y_desc(lang.t(Msg::BudgetLeftMeur))
            .y_label_formatter(&|v| lang.number(*v, 1))
            .label_style(("sans-serif", 13))
            .draw()
            .map_err(e())?;
        for (k, name) in waves.iter().enumerate() {
            let c = wave_colour(Some(k));
            let these: Vec<_> = windows.iter().filter(|w| w.2 == k).collect();
            chart
                .draw_series(these.iter().map(|(a, b, _)| {
                    Rectangle::new([(day(*a), bottom), (day(*b) + 1, top.max(0.1))], c.mix(0.25).filled())
                }))
                .map_err(e())?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.mix(0.25).filled()));
        }
        let mut left = budget / 1e6;
        let mut line = vec![(x0, left)];
        for (d, cost) in spend {
            line.push((day(*d), left));
            left -= cost / 1e6;
            line.push((day(*d), left));
        }
        line.push((x1, left));
        chart
            .draw_series(LineSeries::new(line, BLACK.stroke_width(2)))
            .map_err(e())?
            .label(lang.t(Msg::BudgetLeft))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLACK.stroke_width(2)));
        chart.draw_series(LineSeries::new(vec![(x0, 0.0), (x1, 0.0)], RED.stroke_width(1))).map_err(e())?;
        legend(&mut chart, SeriesLabelPosition::UpperRight).map_err(e())?;
        root.present().map_err(e())?;
    }
    png("the burn-down chart", w, h, buf)
}
