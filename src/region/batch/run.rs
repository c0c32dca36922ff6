//! The batch runner: every site of a list planned in parallel through the site pipeline
//! (plan read or generated, seeded by UAI; placement; a depth-1 simulation of the result
//! for its coverage, each AP in its own building with the others as shells
//! ([`Scope::OwnBuilding`]); the RSSI heatmaps and `report.html`; cost), each in its own
//! folder `sites/<UAI>/`, then the folder's tables ([`super::record`]). Identical
//! buildings of several sites are placed once ([`BuildingCache`], kept between runs in
//! `--cache DIR`).
//!
//! Crash safety: every file is written atomically and `site.json` last, carrying a
//! fingerprint of everything the site's result depends on (its row, plan file, costs,
//! requirements, program version and engine revision). `--resume` trusts a site only
//! when its `site.json` reads back with the same fingerprint, so a kill loses at most
//! the sites in flight; when only the cost model differs, it keeps the plan and prices
//! it again from the site's `report.json` (a rerun after a change of `costs.ron` takes
//! seconds).

use super::record::{
    BatchError, BatchSummary, ResultRow, Shard, SiteRecord, Status, Timings, site_dir, summarise, write_folder,
    write_json, write_region_bill,
};
use crate::atomic::write_atomic;
use crate::costs::Costs;
use crate::coverage::Requirement;
use crate::error::JobError;
use crate::lang::Lang;
use crate::placement::BuildingCache;
use crate::placement::cache::DEFAULT_BUDGET_BYTES;
use crate::plan::{self, Site, generate::generate};
use crate::radiomap::Metric;
use crate::region::sites::{BadRow, SiteList, SiteRow};
use crate::requirements::Requirements;
use crate::seed::stable_hash;
use crate::site::assess::AssessOptions;
use crate::site::pipeline::{self, SiteOptions};
use crate::site::simulate::Scope;
use crate::solver::{Backend, Settings};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

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

/// A batch's outcome.
#[derive(Debug, Clone)]
pub struct BatchResult {
    /// Rows, in input order.
    pub rows: Vec<ResultRow>,
    /// The summary.
    pub summary: BatchSummary,
    /// Timings.
    pub timings: Timings,
    /// Building cache files ignored or not written.
    pub warnings: Vec<String>,
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
    /// Language of the reports, heatmaps and bills.
    pub lang: Lang,
    /// Folder of the building cache kept between runs ([`BuildingCache::with_dir`]).
    pub cache: Option<PathBuf>,
}

/// Fingerprints of what a site's result depends on: all of it, and all but the cost
/// model (what its plan, maps and coverage depend on).
struct Fingerprints {
    all: String,
    plan: String,
}

fn fingerprints(header: &[String], row: &SiteRow, opts: &BatchOptions) -> Fingerprints {
    let plan_text = row.plan.as_ref().map(|p| std::fs::read(p).map(|b| stable_hash(&String::from_utf8_lossy(&b))).ok());
    let text = format!(
        "{}|{}|{}|{}|{:?}|{}|{:?}|{}|{}",
        env!("CARGO_PKG_VERSION"),
        crate::solver::ENGINE_REVISION,
        header.join("\u{1f}"),
        row.fields.join("\u{1f}"),
        plan_text,
        serde_json::to_string(&opts.requirements).unwrap_or_default(),
        opts.requirements.model_fingerprint(),
        SIMULATION_CELL_M,
        opts.lang.code(),
    );
    let plan = crate::seed::fingerprint(&text);
    let all = crate::seed::fingerprint(&format!("{plan}|{}", serde_json::to_string(&opts.costs).unwrap_or_default()));
    Fingerprints { all, plan }
}

/// What `--resume` may take from a site's previous result.
enum Previous {
    /// All of it.
    Current(SiteRecord),
    /// Its plan, to be priced again under the new cost model.
    Plan(SiteRecord),
}

/// How a site's result was obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reuse {
    Planned,
    Resumed,
    Repriced,
}

/// A site's previous result, if `--resume` may trust it.
fn resumable(dir: &Path, fingerprints: &Fingerprints) -> Option<Previous> {
    let text = std::fs::read_to_string(dir.join("site.json")).ok()?;
    let record: SiteRecord = serde_json::from_str(&text).ok()?;
    let complete = [
        "plan.ron",
        "aps.ron",
        "aps.csv",
        "placement.json",
        "maps/radiomap.json",
        "heatmaps/heatmaps.json",
        "report.html",
        "bom.csv",
    ]
    .iter()
    .all(|f| dir.join(f).is_file());
    if record.status != Status::Ok || !complete {
        None
    } else if record.fingerprint == fingerprints.all {
        Some(Previous::Current(record))
    } else if record.plan_fingerprint == fingerprints.plan && dir.join("report.json").is_file() {
        Some(Previous::Plan(record))
    } else {
        None
    }
}

/// Prices a previous plan again under `opts.costs`: its report, `bom.csv` and
/// `site.json`; `None` when its report cannot be read back (the site is then planned
/// again).
fn reprice(dir: &Path, mut record: SiteRecord, opts: &BatchOptions, fingerprints: &Fingerprints) -> Option<SiteRecord> {
    let (aps, cable_m) = pipeline::reprice(&dir.join("heatmaps"), &dir.join("report.html"), &opts.costs).ok()?;
    record.cost = opts.costs.site(aps, cable_m);
    record.fingerprint = fingerprints.all.clone();
    let json = serde_json::to_string_pretty(&record).ok()?;
    write_atomic(&dir.join("site.json"), json.as_bytes()).ok()?;
    Some(record)
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
    cache: &BuildingCache,
    fingerprints: &Fingerprints,
    stages: &mut BTreeMap<String, f64>,
) -> Result<SiteRecord, (Status, String)> {
    let failed = |e: String| (Status::Failed, e);
    let t = Instant::now();
    let (site, origin) = site_plan(row).map_err(|e| (Status::Invalid, e))?;
    std::fs::create_dir_all(dir).map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    plan::save(&site, &dir.join("plan.ron")).map_err(|e| failed(e.to_string()))?;
    stages.insert("plan".into(), t.elapsed().as_secs_f64());

    let options = SiteOptions {
        requirements: opts.requirements.clone(),
        costs: opts.costs.clone(),
        assess: AssessOptions {
            simulate: pipeline::simulate_options(
                &opts.requirements,
                SIMULATION_CELL_M,
                Settings { max_reflections: SIMULATION_REFLECTIONS, ..Settings::default() },
                Scope::OwnBuilding,
            ),
            metrics: vec![Metric::Rssi],
            px_per_m: HEATMAP_PX_PER_M,
            requirements: opts.requirements.clone(),
            lang: opts.lang,
        },
    };
    let planned =
        pipeline::plan_site(&site, dir, &options, backend, cache, stages).map_err(|e| failed(e.to_string()))?;
    let coverage = planned.assessed.assessment.coverage.share(Requirement::Primary);
    let r = &planned.placement.report;
    let assessed = &planned.assessed.assessment;
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
        // What the report's bill prices, so that a new price list gives the same.
        cost: opts.costs.site(assessed.aps.len(), assessed.cable_total_m),
        fingerprint: fingerprints.all.clone(),
        plan_fingerprint: fingerprints.plan.clone(),
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

/// Reports the batch's progress: `(done, total, site)` as each site finishes, `site`
/// being its UAI and name.
pub type SiteProgress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// Runs the batch over `list` and writes its folder. `progress` is called as sites
/// finish.
pub fn run(
    list: &SiteList,
    opts: &BatchOptions,
    backend: &dyn Backend,
    progress: SiteProgress<'_>,
) -> Result<BatchResult, BatchError> {
    use rayon::prelude::*;
    let problems: Vec<String> = opts.costs.problems().into_iter().chain(opts.requirements.problems()).collect();
    if !problems.is_empty() {
        return Err(BatchError::Options(problems.join("; ")));
    }
    // Identical buildings of several sites are placed once.
    let cache = match &opts.cache {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| BatchError::Options(format!("{}: cannot use as the cache folder: {e}", dir.display())))?;
            BuildingCache::with_dir(DEFAULT_BUDGET_BYTES, dir)
        }
        None => BuildingCache::default(),
    };
    let t0 = Instant::now();
    std::fs::create_dir_all(opts.out.join("sites")).map_err(|e| BatchError::io(&opts.out, e))?;
    let selected = |index: usize| opts.shard.is_none_or(|s| s.selects(index));
    let rows: Vec<&SiteRow> = list.rows.iter().filter(|r| selected(r.index)).collect();
    let uai_col = list.header.iter().position(|h| h == "uai").unwrap_or(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(ResultRow, BTreeMap<String, f64>, Reuse)> = rows
        .par_iter()
        .map(|row| {
            let dir = site_dir(&opts.out, &row.uai);
            let fp = fingerprints(&list.header, row, opts);
            let previous = match opts.resume.then(|| resumable(&dir, &fp)).flatten() {
                Some(Previous::Current(rec)) => Some((rec, Reuse::Resumed)),
                Some(Previous::Plan(rec)) => reprice(&dir, rec, opts, &fp).map(|rec| (rec, Reuse::Repriced)),
                None => None,
            };
            let out = match previous {
                Some((rec, reuse)) => (ok_row(row, &rec), BTreeMap::new(), reuse),
                None => {
                    let mut stages = BTreeMap::new();
                    let r = match plan_one(row, &dir, opts, backend, &cache, &fp, &mut stages) {
                        Ok(rec) => ok_row(row, &rec),
                        Err((status, error)) => {
                            // A stale record must not survive a failed rerun.
                            let _ = std::fs::remove_file(dir.join("site.json"));
                            let prefix = if status == Status::Invalid {
                                format!("{}: line {}: UAI {}: ", list.origin, row.line, row.uai)
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
                    (r, stages, Reuse::Planned)
                }
            };
            let site = format!("{} {}", row.uai, row.name);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, rows.len(), &site);
            out
        })
        .collect();
    let mut table: Vec<ResultRow> = list
        .bad
        .iter()
        .filter(|b| selected(b.index))
        .map(|b| bad_row(b, &b.fields.get(uai_col).cloned().unwrap_or_default()))
        .collect();
    let mut timings = Timings { building_cache: cache.stats(), ..Timings::default() };
    for (row, stages, reuse) in results {
        match reuse {
            Reuse::Resumed => timings.sites_resumed += 1,
            Reuse::Repriced => timings.sites_repriced += 1,
            Reuse::Planned if row.status == Status::Ok => timings.sites_planned += 1,
            Reuse::Planned => {}
        }
        for (k, v) in stages {
            *timings.stages_s.entry(k).or_insert(0.0) += v;
        }
        table.push(row);
    }
    table.sort_by_key(|r| r.line);
    let summary = summarise(
        &table,
        &list.origin,
        &list.fingerprint,
        list.rows.len() + list.bad.len(),
        opts.shard,
        &opts.costs,
        opts.lang,
    );
    write_folder(&opts.out, &list.header, &table, &summary)?;
    write_region_bill(&opts.out, &table, &opts.costs, opts.lang)?;
    timings.wall_s = t0.elapsed().as_secs_f64();
    write_json(&opts.out.join("timings.json"), &timings)?;
    Ok(BatchResult { rows: table, summary, timings, warnings: cache.take_warnings() })
}
