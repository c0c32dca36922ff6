//! The one path a site takes: plan → place → assess → outputs. `place` and `heatmap` run
//! one stage each, the region batch runs them all ([`plan_site`]); every stage's options,
//! bill of materials and outputs are decided here once.
//!
//! Outputs of a planned site folder: `aps.ron`, `placement.json` and the installer's
//! `aps.csv` (placement), `maps/` (the best-server map of the assessment), `heatmaps/`
//! (images and their index), `report.html`, `bom.csv` (its bill of materials) and
//! `report.json` (the report's contents, from which [`reprice`] redoes the last two
//! under another cost model without planning again).

use super::assess::{self, AssessError, AssessOptions, Assessment};
use super::installer;
use super::simulate::{self, Scope, SimulateOptions, Simulation};
use crate::atomic::write_atomic;
use crate::band::Band;
use crate::costs::Costs;
use crate::coverage::Requirement;
use crate::lang::Msg;
use crate::placement::{self, BuildingCache, PlaceError, Placement};
use crate::plan::Site;
use crate::radio::AccessPoints;
use crate::render::report::{self, BandRow, ReportData};
use crate::requirements::Requirements;
use crate::solver::Backend;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Margin of the radio maps around each building [m]: enough for the façade's outside
/// cells, which no requirement reads.
pub const MAP_MARGIN_M: f64 = 2.0;

/// `report.json`: what a report needs to be priced again. Written from a borrowed
/// report (`R = &ReportData`: its images stay where they are), read into an owned one.
#[derive(Debug, Serialize, Deserialize)]
struct Priced<R> {
    /// APs assessed.
    aps: usize,
    /// Their cable runs, summed [m].
    cable_total_m: f64,
    /// The report, images by file name.
    report: R,
}

/// A site's APs assessed, and the report page made of it.
#[derive(Debug, Clone)]
pub struct Assessed {
    /// Maps, metrics, coverage and images.
    pub assessment: Assessment,
    /// The report's contents.
    pub report: ReportData,
}

/// Draws a simulation of `aps` made with [`AssessOptions::simulation`] and makes the
/// report, whose bill of materials prices the assessed APs and their cable runs.
pub fn assess(
    site: &Site,
    aps: &AccessPoints,
    sim: Simulation,
    options: &AssessOptions,
    costs: &Costs,
) -> Result<Assessed, AssessError> {
    let assessment = assess::draw(site, aps, sim, options)?;
    let bill = costs.bill(assessment.aps.len(), assessment.cable_total_m, options.lang);
    let report = assess::report_data(site, &assessment, bill);
    Ok(Assessed { assessment, report })
}

impl Assessed {
    /// Writes the images and `heatmaps.json` into `images`, then the report page at
    /// `page`, its bill of materials as `bom.csv` and its contents as `report.json`
    /// beside it, each atomically.
    pub fn write(&self, site: &Site, images: &Path, page: &Path) -> Result<(), PipelineError> {
        assess::write_images(images, site, &self.assessment.images)?;
        let priced = Priced {
            aps: self.assessment.aps.len(),
            cable_total_m: self.assessment.cable_total_m,
            report: &self.report,
        };
        write_report(page, &priced)
    }
}

/// Writes the report page at `page`, then `bom.csv` and `report.json` beside it.
fn write_report(page: &Path, priced: &Priced<&ReportData>) -> Result<(), PipelineError> {
    write_atomic(page, report::html(priced.report).as_bytes())
        .map_err(|e| PipelineError::Write(format!("{}: cannot write: {e}", page.display())))?;
    write_file(&page.with_file_name("bom.csv"), installer::bom_csv(&priced.report.bill, priced.report.lang))?;
    let path = page.with_file_name("report.json");
    let json = serde_json::to_string_pretty(priced).map_err(|e| PipelineError::Write(e.to_string()))?;
    write_atomic(&path, json.as_bytes())
        .map_err(|e| PipelineError::Write(format!("{}: cannot write: {e}", path.display())))
}

/// Prices the report written at `page` by [`Assessed::write`] (its images in `images`)
/// with `costs`: rewrites the page, `bom.csv` and `report.json` as a new plan would
/// have, and returns the APs and cable [m] the bill priced. Fails, leaving them as they
/// were, when `report.json` or an image cannot be read.
pub fn reprice(images: &Path, page: &Path, costs: &Costs) -> Result<(usize, f64), PipelineError> {
    let path = page.with_file_name("report.json");
    let text = std::fs::read_to_string(&path).map_err(|e| PipelineError::Write(format!("{}: {e}", path.display())))?;
    let mut priced: Priced<ReportData> =
        serde_json::from_str(&text).map_err(|e| PipelineError::Write(format!("{}: {e}", path.display())))?;
    for figure in &mut priced.report.figures {
        let file = images.join(&figure.file);
        figure.png = std::fs::read(&file).map_err(|e| PipelineError::Write(format!("{}: {e}", file.display())))?;
    }
    priced.report.set_bill(costs.bill(priced.aps, priced.cable_total_m, priced.report.lang));
    write_report(page, &Priced { aps: priced.aps, cable_total_m: priced.cable_total_m, report: &priced.report })?;
    Ok((priced.aps, priced.cable_total_m))
}

/// Writes a placement's `aps.ron` and `placement.json`, then the installer's `aps.csv`,
/// into `dir`.
pub fn write_placement(dir: &Path, site: &Site, placement: &Placement) -> Result<(), PipelineError> {
    placement::write(dir, placement)?;
    write_file(&dir.join("aps.csv"), installer::aps_csv(site, placement))
}

/// What [`plan_site`] runs with.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Placement requirements (their receiver height sets the assessment's too).
    pub requirements: Requirements,
    /// Cost model of the report's bill.
    pub costs: Costs,
    /// The assessment's simulation and drawing.
    pub assess: AssessOptions,
}

/// A site planned by [`plan_site`].
#[derive(Debug, Clone)]
pub struct Planned {
    /// The placement.
    pub placement: Placement,
    /// Its assessment and report.
    pub assessed: Assessed,
}

/// Why [`plan_site`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Placement failed.
    #[error(transparent)]
    Place(#[from] PlaceError),
    /// Assessment failed.
    #[error(transparent)]
    Assess(#[from] AssessError),
    /// An installer file could not be written.
    #[error("{0}")]
    Write(String),
}

impl crate::error::JobError for PipelineError {
    fn is_bad_input(&self) -> bool {
        match self {
            PipelineError::Place(e) => e.is_bad_input(),
            PipelineError::Assess(e) => e.is_bad_input(),
            PipelineError::Write(_) => false,
        }
    }

    fn lines(&self) -> Vec<String> {
        match self {
            PipelineError::Place(e) => e.lines(),
            PipelineError::Assess(e) => e.lines(),
            PipelineError::Write(e) => vec![e.clone()],
        }
    }
}

/// Places APs on `site` (each building's placement from `cache` when an identical
/// building was placed before), assesses them and writes every output into `dir`; the time of
/// each stage goes into `stages` [s] ("placement", "simulation", "rendering").
pub fn plan_site(
    site: &Site,
    dir: &Path,
    options: &SiteOptions,
    backend: &dyn Backend,
    cache: &BuildingCache,
    stages: &mut BTreeMap<String, f64>,
) -> Result<Planned, PipelineError> {
    let t = Instant::now();
    let placement = placement::place_cached(site, &options.requirements, backend, cache, &|_, _| {})?;
    write_placement(dir, site, &placement)?;
    stages.insert("placement".into(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    options.assess.check()?;
    let sim = simulate::simulate(site, &placement.aps, &options.assess.simulation(), backend, &|_, _| {})
        .map_err(AssessError::from)?;
    stages.insert("simulation".into(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let mut assessed = assess(site, &placement.aps, sim, &options.assess, &options.costs)?;
    radio_facts(&mut assessed.report, &placement.report);
    assessed.report.bands = band_rows(&placement.report);
    assessed.write(site, &dir.join("heatmaps"), &dir.join("report.html"))?;
    stages.insert("rendering".into(), t.elapsed().as_secs_f64());

    // Every AP's map was kept for the metrics; the folder keeps the best server's.
    let sim = &mut assessed.assessment.simulation;
    sim.gains.clear();
    sim.maps.planes.iter_mut().for_each(|p| p.gain_files.clear());
    simulate::write(&dir.join("maps"), sim).map_err(AssessError::from)?;
    Ok(Planned { placement, assessed })
}

/// Adds the plan's other bands to the report's key figures, after the band's: the 2.4 GHz
/// radios on and their coverage, a tri-band model's 6 GHz radios.
fn radio_facts(report: &mut ReportData, placed: &placement::PlacementReport) {
    let lang = report.lang;
    let mut facts = Vec::new();
    if let Some(low) = &placed.low_band {
        let text = lang.fill(
            Msg::LowBandText,
            &[
                &low.radios_on,
                &(low.radios_on + low.radios_off),
                &lang.number(low.coverage.covered_pct, 1),
                &lang.number(low.coverage.threshold_dbm, 0),
                &lang.number(low.plan_db[0], 1),
            ],
        );
        facts.push((lang.t(Msg::LowBandRadios).to_string(), text));
    }
    if let Some(six) = &placed.six_ghz {
        let text = lang.fill(
            Msg::SixGhzText,
            &[
                &placed.ap_count,
                &six.width_mhz,
                &six.channels_used,
                &lang.number(six.coverage.covered_pct, 1),
                &lang.number(six.coverage.threshold_dbm, 0),
                &lang.number(six.plan_db[0], 1),
            ],
        );
        facts.push((lang.t(Msg::SixGhzRadios).to_string(), text));
    }
    let band = lang.t(Msg::Band);
    let at = report.facts.iter().position(|(label, _)| label == band).map_or(report.facts.len(), |i| i + 1);
    report.facts.splice(at..at, facts);
}

/// The report's bands as planned: the planned band's radios (every one on), a dual-band
/// plan's 2.4 GHz radios, a tri-band model's 6 GHz radios, each against its own
/// requirement in teaching rooms and offices.
fn band_rows(placed: &placement::PlacementReport) -> Vec<BandRow> {
    let req = &placed.requirements;
    let distinct = |channels: &mut dyn Iterator<Item = u32>| channels.collect::<std::collections::BTreeSet<_>>().len();
    let mut rows = Vec::new();
    if let Some(primary) = placed.coverage.get("primary") {
        rows.push(BandRow {
            band: req.band,
            radios: placed.ap_count,
            radios_on: placed.ap_count,
            widths: placed.sinr.aps_per_width.clone(),
            channels_used: distinct(&mut placed.aps.iter().map(|a| a.channel)),
            threshold_dbm: primary.threshold_dbm,
            required_pct: primary.required_pct,
            covered_pct: primary.covered_pct,
            rooms_failing: placed.failing_rooms.iter().filter(|f| f.requirement == Requirement::Primary).count(),
            p5_sinr_db: placed.sinr.plan_db[0],
            overlap_pct: placed.sinr.overlap_pct,
        });
    }
    if let Some(low) = &placed.low_band {
        rows.push(BandRow {
            band: Band::G2_4,
            radios: low.radios_on + low.radios_off,
            radios_on: low.radios_on,
            widths: [(20, low.radios_on)].into_iter().filter(|&(_, n)| n > 0).collect(),
            channels_used: distinct(
                &mut placed.aps.iter().filter_map(|a| a.low_band.as_ref()).filter(|r| r.on).map(|r| r.channel),
            ),
            threshold_dbm: low.coverage.threshold_dbm,
            required_pct: low.coverage.required_pct,
            covered_pct: low.coverage.covered_pct,
            rooms_failing: low.rooms_failing,
            p5_sinr_db: low.plan_db[0],
            overlap_pct: low.overlap_pct,
        });
    }
    if let Some(six) = &placed.six_ghz {
        rows.push(BandRow {
            band: Band::G6,
            radios: placed.ap_count,
            radios_on: placed.ap_count,
            widths: [(six.width_mhz, placed.ap_count)].into_iter().collect(),
            channels_used: six.channels_used,
            threshold_dbm: six.coverage.threshold_dbm,
            required_pct: six.coverage.required_pct,
            covered_pct: six.coverage.covered_pct,
            rooms_failing: six.rooms_failing,
            p5_sinr_db: six.plan_db[0],
            overlap_pct: six.overlap_pct,
        });
    }
    rows
}

/// Writes a made CSV file atomically.
fn write_file(path: &Path, made: Result<Vec<u8>, csv::Error>) -> Result<(), PipelineError> {
    let bytes = made.map_err(|e| PipelineError::Write(format!("{}: {e}", path.display())))?;
    write_atomic(path, &bytes).map_err(|e| PipelineError::Write(format!("{}: cannot write: {e}", path.display())))
}

/// The simulation options of an assessment on a grid of `cell` [m] at the
/// requirements' receiver height, with each AP traced in `scope`.
pub fn simulate_options(
    requirements: &Requirements,
    cell: f64,
    settings: crate::solver::Settings,
    scope: Scope,
) -> SimulateOptions {
    SimulateOptions {
        band: requirements.band,
        frequency_ghz: None,
        grid: crate::scene::GridSpec { cell, rx_height: requirements.rx_height_m, margin: MAP_MARGIN_M, bounds: None },
        settings,
        per_ap: true,
        scope,
    }
}
