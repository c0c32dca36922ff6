//! A batch folder's format, which `merge` and `waves` read back: `sites.csv` (the input
//! columns plus [`ADDED`]), `summary.json`, `timings.json`, the region's `bom.csv`, and per site
//! `sites/<UAI>/site.json` ([`SiteRecord`]), with the shard, status and error types.

use crate::atomic::write_atomic;
use crate::costs::{Costs, SiteCost};
use crate::lang::Lang;
use crate::site::installer;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The columns a batch adds to the site list, in order (`line` lets `merge` restore the
/// input order and ties every row to the input line).
pub const ADDED: [&str; 6] = ["aps", "cost_eur", "coverage_pct", "status", "error", "line"];

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
    /// Fingerprint of the inputs but the cost model: what the plan depends on.
    #[serde(default)]
    pub plan_fingerprint: String,
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
    /// Language of the sites' reports and bills.
    #[serde(default)]
    pub lang: Lang,
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
    /// Sites taken from an earlier run planned under another cost model, priced again
    /// (`--resume`).
    #[serde(default)]
    pub sites_repriced: usize,
    /// Buildings whose placement an identical building of an earlier site gave
    /// ([`crate::placement::BuildingCache`]), and buildings placed.
    #[serde(default)]
    pub building_cache: crate::placement::CacheStats,
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

impl crate::error::JobError for BatchError {
    fn is_bad_input(&self) -> bool {
        matches!(self, BatchError::Options(_))
    }
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

/// Totals of a table of results.
pub fn summarise(
    rows: &[ResultRow],
    input: &str,
    input_fingerprint: &str,
    input_rows: usize,
    shard: Option<Shard>,
    costs: &Costs,
    lang: Lang,
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
        lang,
        errors: rows.iter().filter(|r| !r.error.is_empty()).map(|r| r.error.clone()).collect(),
    }
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

/// Writes the region's `bom.csv`: the bills of the planned sites of `rows` (from their
/// `site.json`: AP count and cable) summed line by line.
pub fn write_region_bill(out: &Path, rows: &[ResultRow], costs: &Costs, lang: Lang) -> Result<(), BatchError> {
    let mut bills = Vec::new();
    for r in rows.iter().filter(|r| r.status == Status::Ok) {
        let path = site_dir(out, &r.uai).join("site.json");
        let text = std::fs::read_to_string(&path).map_err(|e| BatchError::io(&path, e))?;
        let rec: SiteRecord = serde_json::from_str(&text).map_err(|e| BatchError::io(&path, e))?;
        bills.push(costs.bill(rec.aps, rec.cable_m, lang));
    }
    let path = out.join("bom.csv");
    let bytes = installer::bom_csv(&installer::sum_bills(bills.iter().map(Vec::as_slice)), lang)
        .map_err(|e| BatchError::io(&path, e))?;
    write_atomic(&path, &bytes).map_err(|e| BatchError::io(&path, e))
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
