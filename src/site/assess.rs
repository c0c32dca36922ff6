//! The assessment (the `heatmap` command): a plan and its APs in; per floor and metric a
//! PNG heatmap, and the site report's contents (AP list, coverage per requirement and
//! room kind, failing rooms) out. It simulates every AP's map, derives the metrics
//! ([`crate::radiomap::metrics`]), evaluates the rooms through [`crate::coverage`] and
//! draws the maps ([`crate::render::heatmap`]).

use super::simulate::{SimulateError, SimulateOptions, Simulation};
use crate::band::Band;
use crate::costs::BillLine;
use crate::coverage::{Check, Coverage, FailingRoom, Requirement, RoomCoverage, Tally};
use crate::error::JobError;
use crate::lang::{Lang, Msg};
use crate::placement::cable_run;
use crate::plan::Site;
use crate::radio::{AccessPoints, Radio, mcs};
use crate::radiomap::metrics::{self, PlaneMetrics, ServingRadio};
use crate::radiomap::{Metric, file_safe, room_cells};
use crate::render::RenderError;
use crate::render::heatmap::{ApMark, ColourScale, FloorView, Layout, floor_png, number_in};
use crate::render::report::{ApRow, CoverageRow, Figure, RadioRow, ReportData, requirement_text};
use crate::requirements::{Class, Requirements, class_of};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// The simulation (every AP's map is kept whatever `per_ap` says: see
    /// [`AssessOptions::simulation`]).
    pub simulate: SimulateOptions,
    /// Metrics drawn, one image per floor each.
    pub metrics: Vec<Metric>,
    /// Image scale [px/m].
    pub px_per_m: f64,
    /// Thresholds of the colour bands and of the coverage tables.
    pub requirements: Requirements,
    /// Language of the images and the report.
    pub lang: Lang,
}

/// Why heatmaps could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The simulation refused (bad APs, options) or failed.
    #[error(transparent)]
    Simulate(#[from] SimulateError),
    /// Bad options.
    #[error("{0}")]
    Options(String),
    /// Drawing failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The outputs could not be written.
    #[error("{0}")]
    Write(String),
}

impl JobError for AssessError {
    fn is_bad_input(&self) -> bool {
        match self {
            AssessError::Simulate(e) => e.is_bad_input(),
            AssessError::Options(_) => true,
            AssessError::Render(_) | AssessError::Write(_) => false,
        }
    }
}

/// One image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    /// File name, `<building>-<floor>.<metric>.png`.
    pub file: String,
    /// Building.
    pub building: String,
    /// Floor.
    pub floor: String,
    /// Metric key.
    pub metric: String,
    /// Where the map lies in the image.
    pub layout: Layout,
    /// PNG bytes.
    #[serde(skip)]
    pub png: Vec<u8>,
}

/// The heatmaps and the report's contents of one site.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Band drawn.
    pub band: Band,
    /// Images, plane by plane, metric by metric.
    pub images: Vec<Image>,
    /// The simulation drawn.
    pub simulation: Simulation,
    /// Metrics per plane.
    pub metrics: Vec<PlaneMetrics>,
    /// AP rows.
    pub aps: Vec<ApRow>,
    /// The rooms against the requirements.
    pub coverage: Coverage,
    /// Sum of the cable runs [m].
    pub cable_total_m: f64,
    /// Language of the images and the report.
    pub lang: Lang,
}

impl AssessOptions {
    /// The simulation an assessment draws: every AP's map kept.
    pub fn simulation(&self) -> SimulateOptions {
        SimulateOptions { per_ap: true, ..self.simulate.clone() }
    }

    /// Refuses a scale out of 1–200 px/m, no metric, or unusable requirements.
    pub fn check(&self) -> Result<(), AssessError> {
        if !(self.px_per_m.is_finite() && self.px_per_m >= 1.0 && self.px_per_m <= 200.0) {
            return Err(AssessError::Options(format!("--scale {}: must lie in 1 to 200 px/m", self.px_per_m)));
        }
        if self.metrics.is_empty() {
            return Err(AssessError::Options("no metric to draw".into()));
        }
        let problems = self.requirements.problems();
        if !problems.is_empty() {
            return Err(AssessError::Options(problems.join("; ")));
        }
        Ok(())
    }
}

/// The radio of each simulated AP in the band.
fn serving_radios(aps: &AccessPoints, sim: &Simulation, band: Band) -> Vec<ServingRadio> {
    sim.ap_names
        .iter()
        .map(|name| {
            let radio = aps.0.iter().find(|a| &a.name == name).and_then(|a| Radio::of(a, band));
            ServingRadio {
                channel: radio.and_then(|r| r.channel),
                width_mhz: radio.map_or(20, |r| r.width_mhz),
                eirp_dbm: sim.maps.eirp_dbm.get(name).copied().unwrap_or(0.0),
            }
        })
        .collect()
}

/// The colour scale of a metric.
pub fn scale_for(metric: Metric, req: &Requirements, radios: &[ServingRadio], lang: Lang) -> ColourScale {
    let title = |m: Metric| {
        if m.unit().is_empty() { m.title(lang).to_string() } else { format!("{}\n[{}]", m.title(lang), m.unit()) }
    };
    let descending = |mut v: Vec<f64>| {
        v.sort_by(|a, b| b.total_cmp(a));
        v.dedup();
        v
    };
    match metric {
        Metric::Rssi | Metric::Secondary => ColourScale::bands(
            &title(metric),
            &descending(vec![
                -60.0,
                req.primary_rssi_dbm + req.margin_db,
                req.secondary_rssi_dbm + req.margin_db,
                -82.0,
            ]),
            lang,
        ),
        Metric::Snr | Metric::Sinr => ColourScale::bands(
            &title(metric),
            &descending(vec![40.0, 32.0, req.min_snr_db + req.margin_db, 15.0, 5.0]),
            lang,
        ),
        Metric::Rate => {
            let width = radios.iter().map(|r| r.width_mhz).max().unwrap_or(20);
            let top = mcs::rate_mbps(f64::INFINITY, width);
            let cuts: Vec<f64> = [0.75, 0.5, 0.25, 0.1].iter().map(|f| (top * f / 10.0).round() * 10.0).collect();
            let mut s =
                ColourScale::bands(&lang.fill(Msg::RateScale, &[&metric.title(lang), &width]), &descending(cuts), lang);
            if let Some(last) = s.entries.last_mut() {
                last.label = lang.fill(Msg::NoLink, &[&last.label]);
            }
            s
        }
        Metric::Channel => {
            let mut channels: Vec<u32> = radios.iter().filter_map(|r| r.channel).collect();
            channels.sort_unstable();
            channels.dedup();
            let mut values: Vec<(f32, String)> =
                channels.iter().map(|&c| (c as f32, lang.fill(Msg::ChannelN, &[&c]))).collect();
            values.push((0.0, lang.t(Msg::NoSignal).into()));
            let mut s = ColourScale::categories(metric.title(lang), &values);
            if let Some(none) = s.entries.last_mut() {
                none.colour = [90, 90, 90];
            }
            s
        }
        Metric::ApCount | Metric::CoChannel => {
            let mut s = ColourScale::bands(metric.title(lang), &[5.0, 4.0, 3.0, 2.0, 1.0], lang);
            let labels = [lang.t(Msg::FiveOrMore), "4", "3", "2", "1", lang.t(Msg::NoneCount)];
            for (e, label) in s.entries.iter_mut().zip(labels) {
                e.label = label.to_string();
            }
            if metric == Metric::CoChannel {
                // One AP on the channel is the good end here, five the bad one.
                let mut colours: Vec<[u8; 3]> = s.entries[..5].iter().map(|e| e.colour).collect();
                colours.reverse();
                s.entries[..5].iter_mut().zip(colours).for_each(|(e, c)| e.colour = c);
            }
            s
        }
    }
}

/// Draws the heatmaps of a simulation that kept every AP's map.
pub fn draw(
    site: &Site,
    aps: &AccessPoints,
    sim: Simulation,
    options: &AssessOptions,
) -> Result<Assessment, AssessError> {
    options.check()?;
    if sim.gains.len() != sim.ap_names.len() {
        return Err(AssessError::Options("the simulation did not keep every AP's map".into()));
    }
    let band = options.simulate.band;
    let radios = serving_radios(aps, &sim, band);
    let planes = &sim.maps.planes;
    let metrics: Vec<PlaneMetrics> = (0..planes.len())
        .map(|k| {
            let gains: Vec<&[f32]> = sim.gains.iter().map(|g| g[k].as_slice()).collect();
            metrics::compute(&gains, &radios, band, options.requirements.noise_figure_db)
        })
        .collect();
    let rooms = room_cells(site, planes);

    // Each plane's mask (cells in a room; every cell for a floor without rooms) and APs.
    let mut masks: Vec<Vec<bool>> = planes.iter().map(|p| vec![false; p.nx * p.ny]).collect();
    for r in &rooms {
        for &c in &r.cells {
            masks[r.plane][c as usize] = true;
        }
    }
    let mut located = Vec::with_capacity(planes.len());
    for (k, p) in planes.iter().enumerate() {
        let bi = site.buildings.iter().position(|b| b.name == p.building);
        let fi = bi.and_then(|bi| site.buildings[bi].floors.iter().position(|f| f.name == p.floor));
        let (Some(bi), Some(fi)) = (bi, fi) else {
            return Err(AssessError::Options(format!("plane {}/{} is not in the plan", p.building, p.floor)));
        };
        if site.buildings[bi].floors[fi].rooms.is_empty() {
            masks[k].iter_mut().for_each(|m| *m = true);
        }
        let b = &site.buildings[bi];
        let marks: Vec<ApMark> = aps
            .0
            .iter()
            .filter(|a| a.building == p.building && a.floor == p.floor && sim.ap_names.contains(&a.name))
            .map(|a| {
                let q = b.to_site(a.position);
                ApMark {
                    name: a.name.clone(),
                    position: (q.x, q.y),
                    channel: Radio::of(a, band).and_then(|r| r.channel),
                }
            })
            .collect();
        located.push((bi, fi, marks));
    }

    let mut names = BTreeMap::new();
    let mut jobs = Vec::new();
    for (k, p) in planes.iter().enumerate() {
        for &m in &options.metrics {
            let file = format!("{}-{}.{}.png", file_safe(&p.building), file_safe(&p.floor), m.key());
            if let Some(other) = names.insert(file.clone(), k) {
                let o = &planes[other];
                return Err(AssessError::Options(format!(
                    "{file}: floors {}/{} and {}/{} give the same file name",
                    o.building, o.floor, p.building, p.floor
                )));
            }
            jobs.push((k, m, file));
        }
    }
    let width = radios.iter().map(|r| r.width_mhz).max().unwrap_or(20);
    let lang = options.lang;
    let images: Vec<Image> = jobs
        .into_par_iter()
        .map(|(k, m, file)| {
            let p = &planes[k];
            let (bi, fi, marks) = &located[k];
            let view = FloorView {
                site,
                building: *bi,
                floor: *fi,
                plane: p,
                mask: &masks[k],
                aps: marks,
                title: lang.fill(Msg::HeatmapTitle, &[&site.name, &p.building, &p.floor, &m.title(lang)]),
                subtitle: lang.fill(
                    Msg::HeatmapSubtitle,
                    &[
                        &band,
                        &width,
                        &sim.ap_names.len(),
                        &marks.len(),
                        &number_in(p.cell_size, lang),
                        &sim.maps.max_reflections,
                    ],
                ),
                lang,
                px_per_m: options.px_per_m,
            };
            let scale = scale_for(m, &options.requirements, &radios, lang);
            let (png, layout) = floor_png(&view, metrics[k].get(m), &scale)?;
            Ok(Image {
                file,
                building: p.building.clone(),
                floor: p.floor.clone(),
                metric: m.key().into(),
                layout,
                png,
            })
        })
        .collect::<Result<_, RenderError>>()?;

    let (ap_rows, cable_total_m) = ap_rows(site, aps, &sim);
    let coverage = evaluate(site, &rooms, &metrics, &options.requirements);
    Ok(Assessment { band, images, simulation: sim, metrics, aps: ap_rows, coverage, cable_total_m, lang })
}

/// The report's AP rows and the sum of their cable runs [m].
fn ap_rows(site: &Site, aps: &AccessPoints, sim: &Simulation) -> (Vec<ApRow>, f64) {
    let mut total = 0.0;
    let mut rows = Vec::new();
    for a in aps.0.iter().filter(|a| sim.ap_names.contains(&a.name)) {
        let bi = site.buildings.iter().position(|b| b.name == a.building).unwrap_or(0);
        let fi = site.buildings[bi].floors.iter().position(|f| f.name == a.floor).unwrap_or(0);
        let floor = &site.buildings[bi].floors[fi];
        let room = floor
            .rooms
            .iter()
            .find(|r| {
                let pts: Vec<_> = r.outline.iter().map(|&(x, y)| nalgebra::Point2::new(x, y)).collect();
                crate::geometry::point_in_polygon(&pts, a.position.0, a.position.1)
            })
            .map_or("—".to_string(), |r| r.name.clone());
        let cable = cable_run(site, bi, fi, a.position).length_m;
        total += cable.unwrap_or(0.0);
        let radios = a
            .radios
            .iter()
            .map(|r| RadioRow {
                band: r.band,
                channel: r.channel,
                width_mhz: r.width_mhz,
                tx_power_dbm: r.tx_power_dbm,
                on: !r.off,
            })
            .collect();
        rows.push(ApRow {
            name: a.name.clone(),
            building: a.building.clone(),
            floor: a.floor.clone(),
            room,
            radios,
            cable_m: cable,
        });
    }
    (rows, total)
}

/// The one coverage evaluation on the simulated metrics: the report's detailed checks,
/// and for primary rooms the design check that the batch's `coverage_pct` reads.
fn evaluate(
    site: &Site,
    rooms: &[crate::radiomap::RoomCells],
    metrics: &[PlaneMetrics],
    req: &Requirements,
) -> Coverage {
    let rooms = rooms
        .iter()
        .filter(|r| !r.cells.is_empty())
        .filter_map(|r| {
            let class = class_of(r.kind)?;
            let mut checks = Check::detailed(class, req);
            if class == Class::Primary {
                checks.extend(Check::design(class, req).into_iter().filter(|c| c.requirement == Requirement::Primary));
            }
            let values = |m: Metric| {
                let v = metrics[r.plane].get(m);
                r.cells.iter().map(move |&c| v[c as usize])
            };
            let b = &site.buildings[r.building];
            let room = &b.floors[r.floor].rooms[r.room];
            Some(RoomCoverage {
                building: b.name.clone(),
                floor: b.floors[r.floor].name.clone(),
                room: room.name.clone(),
                kind: r.kind,
                area_m2: room.area(),
                best_rssi_dbm: f64::from(values(Metric::Rssi).fold(f32::NEG_INFINITY, f32::max)),
                checks: checks.into_iter().map(|c| (c, Tally::of(values(c.metric), c.threshold))).collect(),
                capacity: None,
            })
        })
        .collect();
    Coverage { rooms }
}

impl Assessment {
    /// The report's coverage rows: per room kind, each detailed check.
    pub fn coverage_rows(&self) -> Vec<CoverageRow> {
        let mut rows = Vec::new();
        for k in self.coverage.by_kind() {
            for c in k.checks.iter().filter(|c| c.check.requirement != Requirement::Primary) {
                rows.push(CoverageRow {
                    kind: self.lang.room_kind(k.kind).to_string(),
                    rooms: k.rooms,
                    area_m2: k.area_m2,
                    requirement: requirement_text(c.check.requirement, c.check.threshold, self.lang),
                    achieved_pct: c.tally.pct(),
                    required_pct: 100.0 * c.check.fraction,
                    failing_rooms: c.failing_rooms,
                });
            }
        }
        rows
    }

    /// The rooms below a detailed check, by room kind, then check, then room.
    pub fn failing(&self) -> Vec<FailingRoom> {
        let mut failing: Vec<FailingRoom> =
            self.coverage.failing().into_iter().filter(|f| f.requirement != Requirement::Primary).collect();
        failing.sort_by_key(|f| (f.kind, f.requirement));
        failing
    }
}

/// The report's figures: every image with its caption in `lang`.
pub fn figures(images: &[Image], lang: Lang) -> Vec<Figure> {
    images
        .iter()
        .map(|i| {
            let title = Metric::from_key(&i.metric).map_or(i.metric.as_str(), |m| m.title(lang));
            Figure {
                caption: lang.fill(Msg::FigureCaption, &[&i.building, &i.floor, &title]),
                file: i.file.clone(),
                png: i.png.clone(),
            }
        })
        .collect()
}

/// The site report of drawn heatmaps, with its bill of materials.
pub fn report_data(site: &Site, maps: &Assessment, bill: Vec<BillLine>) -> ReportData {
    let lang = maps.lang;
    let coverage = maps.coverage_rows();
    let failing = maps.failing();
    let worst = |prefix: &str| {
        coverage
            .iter()
            .filter(|c| c.requirement.starts_with(prefix))
            .map(|c| c.achieved_pct)
            .reduce(f64::min)
            .map_or("—".to_string(), |v| format!("{} %", lang.number(v, 1)))
    };
    let sim = &maps.simulation.maps;
    let cell = sim.planes.first().map_or("—".to_string(), |p| format!("{} m", number_in(p.cell_size, lang)));
    let fact = |m: Msg, v: String| (lang.t(m).to_string(), v);
    let facts = vec![
        fact(Msg::AccessPoints, maps.aps.len().to_string()),
        fact(Msg::Band, maps.band.to_string()),
        fact(Msg::WorstCoverage, worst("RSSI")),
        fact(Msg::RoomsFailingRequirement, failing.len().to_string()),
        fact(Msg::Cable, format!("{} m", lang.number(maps.cable_total_m, 0))),
        fact(Msg::Simulation, lang.fill(Msg::SimulationText, &[&sim.backend, &cell, &sim.max_reflections])),
    ];
    let mut report = ReportData {
        lang,
        site: site.name.clone(),
        uai: site.uai.clone(),
        facts,
        aps: maps.aps.clone(),
        coverage,
        failing,
        bill: Vec::new(),
        figures: figures(&maps.images, lang),
        bands: Vec::new(),
    };
    report.set_bill(bill);
    report
}

/// `heatmaps.json`: the images and where their maps lie, for tools that georeference them.
#[derive(Debug, Serialize)]
struct Index<'a> {
    site: &'a str,
    images: &'a [Image],
}

/// Writes the images, then `heatmaps.json`, into `dir`, each atomically.
pub fn write_images(dir: &Path, site: &Site, images: &[Image]) -> Result<(), AssessError> {
    let io = |p: &Path, e: std::io::Error| AssessError::Write(format!("{}: cannot write: {e}", p.display()));
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    for i in images {
        let path = dir.join(&i.file);
        crate::atomic::write_atomic(&path, &i.png).map_err(|e| io(&path, e))?;
    }
    let index = serde_json::to_string_pretty(&Index { site: &site.name, images })
        .map_err(|e| AssessError::Write(e.to_string()))?;
    let path = dir.join("heatmaps.json");
    crate::atomic::write_atomic(&path, index.as_bytes()).map_err(|e| io(&path, e))
}
