//! The batch runner: every site of a list planned in parallel — plan (read or generated,
//! seeded by UAI), placement, a depth-1 simulation of the result for its coverage, the
//! RSSI heatmaps and `report.html`, cost — each in its own folder `sites/<UAI>/`, then
//! `sites.csv`, `summary.json` and `timings.json`.
//!
//! Crash safety: every file is written atomically and `site.json` last, carrying a
//! fingerprint of everything the site's result depends on (its row, plan file, costs,
//! requirements, program version). `--resume` trusts a site only when its `site.json`
//! reads back with the same fingerprint, so a kill loses at most the sites in flight.

use super::costs::{Costs, SiteCost};
use super::sites::{BadRow, SiteList, SiteRow};
use crate::atomic::write_atomic;
use crate::band::Band;
use crate::heatmap::{self, HeatmapOptions};
use crate::placement::{self, Class, Requirements, class_of};
use crate::plan::{self, Site, generate::generate};
use crate::radiomap::{GridSpec, Metric, room_cells};
use crate::render;
use crate::seed::stable_hash;
use crate::simulate::{self, SimulateOptions, Simulation};
use crate::solver::{Backend, Settings};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

/// The columns a batch adds to the site list, in order (`line` lets `merge` restore the
/// input order and ties every row to the input line).
pub const ADDED: [&str; 6] = ["aps", "cost_eur", "coverage_pct", "status", "error", "line"];

/// Cell of the coverage simulation [m].
pub const SIMULATION_CELL_M: f64 = 1.0;
/// Cell of the candidates' coverage grid in a batch [m] (`place` uses 0.5 m).
pub const BATCH_PLACEMENT_CELL_M: f64 = 1.0;

/// The placement requirements of a region batch: the defaults on a 1 m grid, which
/// halves the time of the candidates' maps on the largest lycées for about one AP more
/// in eighty.
pub fn batch_requirements() -> Requirements {
    Requirements { cell_m: BATCH_PLACEMENT_CELL_M, ..Requirements::default() }
}
/// Reflections of the coverage simulation.
pub const SIMULATION_REFLECTIONS: u32 = 1;
/// Scale of a batch's heatmaps [px/m] (`heatmap` draws at 20).
pub const HEATMAP_PX_PER_M: f64 = 8.0;

/// A deterministic subset of the rows: those whose data-row index is `k − 1` modulo `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, from 1.
    pub k: usize,
    /// Number of shards.
    pub n: usize,
}

impl Shard {
    /// Whether the row of this data-row index belongs to the shard.
    pub fn selects(&self, index: usize) -> bool {
        index % self.n == self.k - 1
    }
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s:?}: expected K/N with 1 ≤ K ≤ N, e.g. 3/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if k == 0 || k > n { Err(bad()) } else { Ok(Shard { k, n }) }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// What happened to a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Planned.
    Ok,
    /// Its row or plan is unusable.
    Invalid,
    /// Planning failed.
    Failed,
}

impl Status {
    /// The word written in `sites.csv`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Invalid => "invalid",
            Status::Failed => "failed",
        }
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Status, String> {
        match s {
            "ok" => Ok(Status::Ok),
            "invalid" => Ok(Status::Invalid),
            "failed" => Ok(Status::Failed),
            other => Err(format!("unknown status {other:?}")),
        }
    }
}

/// A site's result, as `sites/<UAI>/site.json` holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRecord {
    /// UAI.
    pub uai: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: Status,
    /// Why it is not ok.
    pub error: Option<String>,
    /// Where the plan came from: "generated" or the plan file.
    pub plan: String,
    /// Buildings and rooms of the plan.
    pub buildings: usize,
    /// Rooms of the plan.
    pub rooms: usize,
    /// APs placed.
    pub aps: usize,
    /// Cable [m].
    pub cable_m: f64,
    /// Placement's lower bound on the AP count.
    pub ap_lower_bound: u32,
    /// Share of teaching-room and office area at or above the primary RSSI in the
    /// simulation [%].
    pub coverage_pct: f64,
    /// Cost.
    pub cost: SiteCost,
    /// Fingerprint of the inputs.
    pub fingerprint: String,
}

/// One row of `sites.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRow {
    /// Input line.
    pub line: usize,
    /// The input fields.
    pub fields: Vec<String>,
    /// UAI (may be empty for an invalid row).
    pub uai: String,
    /// APs.
    pub aps: Option<usize>,
    /// Cost [€].
    pub cost_eur: Option<f64>,
    /// Coverage [%].
    pub coverage_pct: Option<f64>,
    /// Status.
    pub status: Status,
    /// Error.
    pub error: String,
}

/// `summary.json`: totals of a batch folder, free of timings so that equal work gives
/// equal files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    /// The site list.
    pub input: String,
    /// Fingerprint of the site list's text.
    pub input_fingerprint: String,
    /// Data rows in the site list.
    pub input_rows: usize,
    /// The shard of this folder, if it is one.
    pub shard: Option<Shard>,
    /// Rows in this folder.
    pub sites: usize,
    /// Planned.
    pub ok: usize,
    /// Failed.
    pub failed: usize,
    /// Invalid.
    pub invalid: usize,
    /// APs over the planned sites.
    pub aps: usize,
    /// Cost over the planned sites [€].
    pub cost_eur: f64,
    /// Mean coverage over the planned sites [%].
    pub coverage_pct_mean: Option<f64>,
    /// Lowest coverage [%].
    pub coverage_pct_min: Option<f64>,
    /// Costs used.
    pub costs: Costs,
    /// The errors, one line each.
    pub errors: Vec<String>,
}

/// `timings.json`: where the time went [s].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Wall clock of the batch.
    pub wall_s: f64,
    /// Per stage, summed over sites (sites run in parallel, so the sum may exceed the wall).
    pub stages_s: BTreeMap<String, f64>,
    /// Sites planned now.
    pub sites_planned: usize,
    /// Sites taken from an earlier run (`--resume`).
    pub sites_resumed: usize,
}

/// A batch's outcome.
#[derive(Debug, Clone)]
pub struct BatchResult {
    /// Rows, in input order.
    pub rows: Vec<ResultRow>,
    /// The summary.
    pub summary: BatchSummary,
    /// Timings.
    pub timings: Timings,
}

/// What a batch runs with.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Output folder.
    pub out: PathBuf,
    /// Subset to run.
    pub shard: Option<Shard>,
    /// Keep sites whose outputs are complete and current.
    pub resume: bool,
    /// Cost model.
    pub costs: Costs,
    /// Placement requirements.
    pub requirements: Requirements,
}

/// Why a batch could not run or finish writing.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// Bad options.
    #[error("{0}")]
    Options(String),
    /// A file could not be written or read.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl BatchError {
    pub(crate) fn io(path: &Path, e: impl std::fmt::Display) -> BatchError {
        BatchError::Io { path: path.display().to_string(), message: e.to_string() }
    }
}

/// The folder of a site's outputs.
pub fn site_dir(out: &Path, uai: &str) -> PathBuf {
    out.join("sites").join(uai)
}

fn hex(h: u64) -> String {
    format!("{h:016x}")
}

/// Fingerprint of everything a site's result depends on.
fn fingerprint(header: &[String], row: &SiteRow, opts: &BatchOptions) -> String {
    let plan_text = row.plan.as_ref().map(|p| std::fs::read(p).map(|b| stable_hash(&String::from_utf8_lossy(&b))).ok());
    let text = format!(
        "{}|{}|{}|{:?}|{}|{}|{}",
        env!("CARGO_PKG_VERSION"),
        header.join("\u{1f}"),
        row.fields.join("\u{1f}"),
        plan_text,
        serde_json::to_string(&opts.costs).unwrap_or_default(),
        serde_json::to_string(&opts.requirements).unwrap_or_default(),
        SIMULATION_CELL_M,
    );
    hex(stable_hash(&text))
}

/// A site's previous result, if `--resume` may trust it.
fn resumable(dir: &Path, fingerprint: &str) -> Option<SiteRecord> {
    let text = std::fs::read_to_string(dir.join("site.json")).ok()?;
    let record: SiteRecord = serde_json::from_str(&text).ok()?;
    let complete =
        ["plan.ron", "aps.ron", "placement.json", "maps/radiomap.json", "heatmaps/heatmaps.json", "report.html"]
            .iter()
            .all(|f| dir.join(f).is_file());
    (record.status == Status::Ok && record.fingerprint == fingerprint && complete).then_some(record)
}

/// Share of teaching-room and office cells at or above `threshold` [%].
pub fn coverage_pct(site: &Site, sim: &Simulation, threshold_dbm: f64) -> f64 {
    let (mut covered, mut total) = (0usize, 0usize);
    for room in room_cells(site, &sim.maps.planes).iter().filter(|r| class_of(r.kind) == Some(Class::Primary)) {
        let rssi = &sim.rssi[room.plane];
        total += room.cells.len();
        covered += room.cells.iter().filter(|&&c| f64::from(rssi[c as usize]) >= threshold_dbm).count();
    }
    if total == 0 { 100.0 } else { 100.0 * covered as f64 / total as f64 }
}

/// A site's plan: its file, or one generated from type and pupils, seeded by UAI.
fn site_plan(row: &SiteRow) -> Result<(Site, String), String> {
    let (mut site, origin) = match &row.plan {
        Some(path) => (plan::load(path).map_err(|e| e.lines().join("; "))?, path.display().to_string()),
        None => (generate(row.pupils, row.kind, &row.uai).map_err(|e| e.to_string())?, "generated".to_string()),
    };
    site.name = row.name.clone();
    site.uai = Some(row.uai.clone());
    Ok((site, origin))
}

/// Plans one site into `dir`; the error says whether the row (invalid) or the planning
/// (failed) is at fault.
fn plan_one(
    row: &SiteRow,
    dir: &Path,
    opts: &BatchOptions,
    backend: &dyn Backend,
    fingerprint: String,
    stages: &mut BTreeMap<String, f64>,
) -> Result<SiteRecord, (Status, String)> {
    let failed = |e: String| (Status::Failed, e);
    let t = Instant::now();
    let (site, origin) = site_plan(row).map_err(|e| (Status::Invalid, e))?;
    std::fs::create_dir_all(dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    plan::save(&site, &dir.join("plan.ron")).map_err(|e| failed(e.to_string()))?;
    stages.insert("plan".into(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let placed = placement::place(&site, &opts.requirements, backend, &|_, _| {}).map_err(|e| failed(e.to_string()))?;
    placement::write(dir, &placed).map_err(|e| failed(e.to_string()))?;
    stages.insert("placement".into(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let options = SimulateOptions {
        band: Band::G5,
        frequency_ghz: None,
        grid: GridSpec { cell: SIMULATION_CELL_M, rx_height: opts.requirements.rx_height_m, margin: 2.0, bounds: None },
        settings: Settings { max_reflections: SIMULATION_REFLECTIONS, ..Settings::default() },
        per_ap: true,
    };
    let sim =
        simulate::simulate(&site, &placed.aps, &options, backend, &|_, _| {}).map_err(|e| failed(e.to_string()))?;
    let coverage = coverage_pct(&site, &sim, opts.requirements.thresholds().primary_dbm);
    stages.insert("simulation".into(), t.elapsed().as_secs_f64());

    let t = Instant::now();
    let drawing = HeatmapOptions {
        simulate: options,
        metrics: vec![Metric::Rssi],
        px_per_m: HEATMAP_PX_PER_M,
        requirements: opts.requirements.clone(),
    };
    let mut maps = heatmap::draw(&site, &placed.aps, sim, &drawing).map_err(|e| failed(e.to_string()))?;
    let r = &placed.report;
    let report = heatmap::report_data(&site, &maps, opts.costs.bill(r.ap_count, r.cable_total_m));
    heatmap::write(&dir.join("heatmaps"), &site, &maps.images, None).map_err(|e| failed(e.to_string()))?;
    write_atomic(&dir.join("report.html"), render::report::html(&report).as_bytes())
        .map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    stages.insert("rendering".into(), t.elapsed().as_secs_f64());

    // Every AP's map was kept for the heatmaps' metrics; the folder keeps the best server's.
    let sim = &mut maps.simulation;
    sim.gains.clear();
    sim.maps.planes.iter_mut().for_each(|p| p.gain_files.clear());
    simulate::write(&dir.join("maps"), sim).map_err(|e| failed(e.to_string()))?;

    let r = &placed.report;
    let record = SiteRecord {
        uai: row.uai.clone(),
        name: row.name.clone(),
        status: Status::Ok,
        error: None,
        plan: origin,
        buildings: site.buildings.len(),
        rooms: site.buildings.iter().flat_map(|b| &b.floors).map(|f| f.rooms.len()).sum(),
        aps: r.ap_count,
        cable_m: (r.cable_total_m * 10.0).round() / 10.0,
        ap_lower_bound: r.bounds.best,
        coverage_pct: (coverage * 100.0).round() / 100.0,
        cost: opts.costs.site(r.ap_count, r.cable_total_m),
        fingerprint,
    };
    let json = serde_json::to_string_pretty(&record).map_err(|e| failed(e.to_string()))?;
    write_atomic(&dir.join("site.json"), json.as_bytes()).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    Ok(record)
}

fn ok_row(row: &SiteRow, rec: &SiteRecord) -> ResultRow {
    ResultRow {
        line: row.line,
        fields: row.fields.clone(),
        uai: row.uai.clone(),
        aps: Some(rec.aps),
        cost_eur: Some(rec.cost.total_eur),
        coverage_pct: Some(rec.coverage_pct),
        status: Status::Ok,
        error: String::new(),
    }
}

fn bad_row(b: &BadRow, uai: &str) -> ResultRow {
    ResultRow {
        line: b.line,
        fields: b.fields.clone(),
        uai: uai.to_string(),
        aps: None,
        cost_eur: None,
        coverage_pct: None,
        status: Status::Invalid,
        error: b.error.clone(),
    }
}

/// Runs the batch over `list` (named `input`, with text fingerprint `input_fingerprint`)
/// and writes its folder. `progress(done, total)` is called as sites finish.
pub fn run(
    list: &SiteList,
    input: &str,
    input_fingerprint: &str,
    opts: &BatchOptions,
    backend: &dyn Backend,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BatchResult, BatchError> {
    use rayon::prelude::*;
    let problems: Vec<String> = opts.costs.problems().into_iter().chain(opts.requirements.problems()).collect();
    if !problems.is_empty() {
        return Err(BatchError::Options(problems.join("; ")));
    }
    let t0 = Instant::now();
    std::fs::create_dir_all(opts.out.join("sites")).map_err(|e| BatchError::io(&opts.out, e))?;
    let selected = |index: usize| opts.shard.is_none_or(|s| s.selects(index));
    let rows: Vec<&SiteRow> = list.rows.iter().filter(|r| selected(r.index)).collect();
    let uai_col = list.header.iter().position(|h| h == "uai").unwrap_or(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(ResultRow, BTreeMap<String, f64>, bool)> = rows
        .par_iter()
        .map(|row| {
            let dir = site_dir(&opts.out, &row.uai);
            let fp = fingerprint(&list.header, row, opts);
            let out = match opts.resume.then(|| resumable(&dir, &fp)).flatten() {
                Some(rec) => (ok_row(row, &rec), BTreeMap::new(), true),
                None => {
                    let mut stages = BTreeMap::new();
                    let r = match plan_one(row, &dir, opts, backend, fp, &mut stages) {
                        Ok(rec) => ok_row(row, &rec),
                        Err((status, error)) => {
                            // A stale record must not survive a failed rerun.
                            let _ = std::fs::remove_file(dir.join("site.json"));
                            let prefix = if status == Status::Invalid {
                                format!("{input}: line {}: UAI {}: ", row.line, row.uai)
                            } else {
                                format!("UAI {} (line {}): ", row.uai, row.line)
                            };
                            ResultRow {
                                status,
                                error: format!("{prefix}{error}"),
                                ..bad_row(
                                    &BadRow {
                                        line: row.line,
                                        index: row.index,
                                        fields: row.fields.clone(),
                                        error: String::new(),
                                    },
                                    &row.uai,
                                )
                            }
                        }
                    };
                    (r, stages, false)
                }
            };
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, rows.len());
            out
        })
        .collect();
    let mut table: Vec<ResultRow> = list
        .bad
        .iter()
        .filter(|b| selected(b.index))
        .map(|b| bad_row(b, &b.fields.get(uai_col).cloned().unwrap_or_default()))
        .collect();
    let mut timings = Timings::default();
    for (row, stages, resumed) in results {
        if resumed {
            timings.sites_resumed += 1;
        } else if row.status == Status::Ok {
            timings.sites_planned += 1;
        }
        for (k, v) in stages {
            *timings.stages_s.entry(k).or_insert(0.0) += v;
        }
        table.push(row);
    }
    table.sort_by_key(|r| r.line);
    let summary =
        summarise(&table, input, input_fingerprint, list.rows.len() + list.bad.len(), opts.shard, &opts.costs);
    write_folder(&opts.out, &list.header, &table, &summary)?;
    timings.wall_s = t0.elapsed().as_secs_f64();
    write_json(&opts.out.join("timings.json"), &timings)?;
    Ok(BatchResult { rows: table, summary, timings })
}

/// Totals of a table of results.
pub fn summarise(
    rows: &[ResultRow],
    input: &str,
    input_fingerprint: &str,
    input_rows: usize,
    shard: Option<Shard>,
    costs: &Costs,
) -> BatchSummary {
    let ok: Vec<&ResultRow> = rows.iter().filter(|r| r.status == Status::Ok).collect();
    let coverage: Vec<f64> = ok.iter().filter_map(|r| r.coverage_pct).collect();
    BatchSummary {
        input: input.to_string(),
        input_fingerprint: input_fingerprint.to_string(),
        input_rows,
        shard,
        sites: rows.len(),
        ok: ok.len(),
        failed: rows.iter().filter(|r| r.status == Status::Failed).count(),
        invalid: rows.iter().filter(|r| r.status == Status::Invalid).count(),
        aps: ok.iter().filter_map(|r| r.aps).sum(),
        cost_eur: ok.iter().filter_map(|r| r.cost_eur).sum::<f64>() + 0.0,
        coverage_pct_mean: (!coverage.is_empty())
            .then(|| (coverage.iter().sum::<f64>() / coverage.len() as f64 * 100.0).round() / 100.0),
        coverage_pct_min: coverage.iter().copied().reduce(f64::min),
        costs: costs.clone(),
        errors: rows.iter().filter(|r| !r.error.is_empty()).map(|r| r.error.clone()).collect(),
    }
}

/// Fingerprint of a site list's text.
pub fn text_fingerprint(text: &str) -> String {
    hex(stable_hash(text))
}

pub(crate) fn write_json(path: &Path, value: &impl Serialize) -> Result<(), BatchError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| BatchError::io(path, e))?;
    write_atomic(path, format!("{text}\n").as_bytes()).map_err(|e| BatchError::io(path, e))
}

fn number(v: Option<f64>, decimals: usize) -> String {
    v.map_or(String::new(), |v| format!("{v:.decimals$}"))
}

/// Writes `sites.csv` and `summary.json`.
pub fn write_folder(
    out: &Path,
    header: &[String],
    rows: &[ResultRow],
    summary: &BatchSummary,
) -> Result<(), BatchError> {
    let path = out.join("sites.csv");
    let keep: Vec<usize> = (0..header.len()).filter(|&i| !ADDED.contains(&header[i].as_str())).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<&str> = keep.iter().map(|&i| header[i].as_str()).collect();
    head.extend(ADDED);
    w.write_record(&head).map_err(|e| BatchError::io(&path, e))?;
    for r in rows {
        let mut rec: Vec<String> = keep.iter().map(|&i| r.fields.get(i).cloned().unwrap_or_default()).collect();
        rec.extend([
            r.aps.map_or(String::new(), |v| v.to_string()),
            number(r.cost_eur, 0),
            number(r.coverage_pct, 2),
            r.status.as_str().to_string(),
            r.error.clone(),
            r.line.to_string(),
        ]);
        w.write_record(&rec).map_err(|e| BatchError::io(&path, e))?;
    }
    let bytes = w.into_inner().map_err(|e| BatchError::io(&path, e))?;
    write_atomic(&path, &bytes).map_err(|e| BatchError::io(&path, e))?;
    write_json(&out.join("summary.json"), summary)
}

/// Reads a batch folder's `sites.csv` back: the input header and the rows.
pub fn read_sites_csv(path: &Path) -> Result<(Vec<String>, Vec<ResultRow>), BatchError> {
    let text = std::fs::read_to_string(path).map_err(|e| BatchError::io(path, e))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().map_err(|e| BatchError::io(path, e))?.iter().map(String::from).collect();
    let n = header.len();
    if n < ADDED.len() || header[n - ADDED.len()..] != ADDED {
        return Err(BatchError::io(
            path,
            format!("line 1: not a batch result (its last columns must be {})", ADDED.join(", ")),
        ));
    }
    let input = header[..n - ADDED.len()].to_vec();
    let uai_col = input.iter().position(|h| h == "uai");
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let at = |m: String| BatchError::io(path, format!("line {}: {m}", i + 2));
        let rec = rec.map_err(|e| at(e.to_string()))?;
        if rec.len() != n {
            return Err(at(format!("{} fields where the header has {n}", rec.len())));
        }
        let f = |k: usize| rec.get(n - ADDED.len() + k).unwrap_or("");
        let num = |k: usize| -> Result<Option<f64>, BatchError> {
            let t = f(k);
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse().map(Some).map_err(|_| at(format!("{} {t:?} is not a number", ADDED[k])))
            }
        };
        rows.push(ResultRow {
            line: f(5).parse().map_err(|_| at(format!("line {:?} is not a line number", f(5))))?,
            fields: (0..n - ADDED.len()).map(|k| rec[k].to_string()).collect(),
            uai: uai_col.map_or(String::new(), |c| rec[c].to_string()),
            aps: num(0)?.map(|v| v as usize),
            cost_eur: num(1)?,
            coverage_pct: num(2)?,
            status: f(3).parse().map_err(at)?,
            error: f(4).to_string(),
        });
    }
    Ok((input, rows))
}
