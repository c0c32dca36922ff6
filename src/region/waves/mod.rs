//! `waves`: the batch's planned sites scheduled into the installation waves — the
//! problem ([`model`]), its solver ([`solve`]), the day-by-day crew sequence inside each
//! window and département, the reasons a site stays unscheduled; the outputs
//! (`schedule.csv`, `waves.json`, [`charts`]) are written by [`output`].

pub mod charts;
pub mod config;
pub mod model;
pub mod output;
pub mod solve;
pub mod synthetic;

pub use config::{WavesConfig, Window};
pub use model::{Assignment, Item, Problem};
pub use output::{SCHEDULE_COLUMNS, write};
pub use solve::{Solution, solve};

use super::batch::{BatchError, SiteRecord, Status, read_sites_csv, site_dir};
use super::calendar::Calendar;
use crate::costs::Costs;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Why `waves` could not run.
#[derive(Debug, thiserror::Error)]
pub enum WavesError {
    /// Bad configuration or input.
    #[error("{0}")]
    Input(String),
    /// The batch folder could not be read, or an output written.
    #[error(transparent)]
    Batch(#[from] BatchError),
}

impl crate::error::JobError for WavesError {
    fn is_bad_input(&self) -> bool {
        matches!(self, WavesError::Input(_))
    }
}

/// A site of the batch that is not in the problem, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// UAI (may be empty).
    pub uai: String,
    /// Why.
    pub reason: String,
}

/// A row of the batch as a map shows it, planned or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// UAI (may be empty for an invalid row).
    pub uai: String,
    /// Name.
    pub name: String,
    /// Commune (empty when the list has no such column).
    pub commune: String,
    /// Département.
    pub departement: String,
    /// Pupils, when the row states a whole number.
    pub pupils: Option<i64>,
    /// Latitude [°].
    pub latitude: f64,
    /// Longitude [°].
    pub longitude: f64,
    /// Whether the point is the département's centre, the lycée's own position unknown.
    pub approximate: bool,
    /// Coverage of teaching rooms and offices in the batch's simulation [%].
    pub coverage_pct: Option<f64>,
    /// What the batch did with it.
    pub status: Status,
    /// Why the batch did not plan it.
    pub error: String,
}

/// The problem's input read from a batch folder.
#[derive(Debug, Clone)]
pub struct BatchSites {
    /// Planned sites.
    pub items: Vec<Item>,
    /// Their départements, sorted.
    pub departements: Vec<String>,
    /// Sites the batch did not plan.
    pub skipped: Vec<Skipped>,
    /// Every row whose coordinates read, in the batch's order.
    pub places: Vec<Place>,
}

/// Reads the planned sites of a batch folder; with `costs`, their costs are recomputed
/// from each site's AP count and cable length.
pub fn read_batch(dir: &Path, costs: Option<&Costs>, aps_per_crew_day: u32) -> Result<BatchSites, WavesError> {
    let path = dir.join("sites.csv");
    // An unreadable batch folder is bad input, not a failure.
    let (header, rows) = read_sites_csv(&path).map_err(|e| WavesError::Input(e.to_string()))?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| WavesError::Input(format!("{}: line 1: no column {name:?}", path.display())))
    };
    let (name, dept, pupils, lat, lon) =
        (col("name")?, col("departement")?, col("pupils")?, col("latitude")?, col("longitude")?);
    let coords = header.iter().position(|h| h == "coordinates");
    let commune = header.iter().position(|h| h == "commune");
    let mut items = Vec::new();
    let mut places = Vec::new();
    let mut skipped = Vec::new();
    let mut departements = BTreeSet::new();
    let mut names = Vec::new();
    for r in rows {
        let field = |k: Option<usize>| k.and_then(|k| r.fields.get(k)).cloned().unwrap_or_default();
        let read = |k: usize| r.fields.get(k).and_then(|v| v.parse::<f64>().ok()).filter(|v| v.is_finite());
        if let (Some(latitude), Some(longitude)) = (read(lat), read(lon)) {
            places.push(Place {
                uai: r.uai.clone(),
                name: field(Some(name)),
                commune: field(commune),
                departement: field(Some(dept)),
                pupils: r.fields.get(pupils).and_then(|v| v.trim().parse().ok()),
                latitude,
                longitude,
                approximate: coords.is_some_and(|c| r.fields.get(c).is_some_and(|v| v == "approximated")),
                coverage_pct: r.coverage_pct,
                status: r.status,
                error: r.error.clone(),
            });
        }
        if r.status != Status::Ok {
            skipped.push(Skipped {
                uai: r.uai.clone(),
                reason: format!("not planned by the batch ({}): {}", r.status.as_str(), r.error),
            });
            continue;
        }
        let at = |m: String| WavesError::Input(format!("{}: line {}: UAI {}: {m}", path.display(), r.line, r.uai));
        let number = |k: usize, what: &str| -> Result<f64, WavesError> {
            r.fields[k]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| at(format!("{what} {:?} is not a number", r.fields[k])))
        };
        let aps = r.aps.ok_or_else(|| at("no AP count".into()))?;
        let cost = match costs {
            None => r.cost_eur.ok_or_else(|| at("no cost".into()))?,
            Some(c) => {
                let file = site_dir(dir, &r.uai).join("site.json");
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| WavesError::Input(format!("{}: {e} (needed to recompute costs)", file.display())))?;
                let rec: SiteRecord =
                    serde_json::from_str(&text).map_err(|e| WavesError::Input(format!("{}: {e}", file.display())))?;
                c.site(rec.aps, rec.cable_m).total_eur
            }
        };
        departements.insert(r.fields[dept].clone());
        names.push(r.fields[dept].clone());
        items.push(Item {
            uai: r.uai.clone(),
            name: r.fields[name].clone(),
            departement: 0,
            pupils: number(pupils, "pupils")? as u32,
            aps,
            crew_days: (aps as u32).div_ceil(aps_per_crew_day.max(1)),
            cost_eur: cost,
            latitude: number(lat, "latitude")?,
            longitude: number(lon, "longitude")?,
            approximated: coords.is_some_and(|c| r.fields[c] == "approximated"),
        });
    }
    let departements: Vec<String> = departements.into_iter().collect();
    for (it, d) in items.iter_mut().zip(&names) {
        it.departement = departements.iter().position(|x| x == d).unwrap_or(0);
    }
    Ok(BatchSites { items, departements, skipped, places })
}

/// One line of `schedule.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledSite {
    /// UAI.
    pub uai: String,
    /// Name.
    pub name: String,
    /// Département.
    pub departement: String,
    /// Pupils.
    pub pupils: u32,
    /// Wave name, or "unscheduled".
    pub wave: String,
    /// Window name.
    pub window: String,
    /// First working day of its installation.
    pub start: Option<NaiveDate>,
    /// Last working day.
    pub end: Option<NaiveDate>,
    /// Day pupils find the WiFi.
    pub golive: Option<NaiveDate>,
    /// APs.
    pub aps: usize,
    /// Crew-days.
    pub crew_days: u32,
    /// Cost [€].
    pub cost_eur: f64,
    /// Spend up to and including this site, in order of end date [€].
    pub cumulative_eur: f64,
    /// Pupil-weeks it brings.
    pub pupil_weeks: f64,
    /// Why it is unscheduled.
    pub reason: String,
}

/// Use of one window in one département.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowUse {
    /// Département.
    pub departement: String,
    /// Crews.
    pub crews: u32,
    /// Crew-days available.
    pub crew_days: u32,
    /// Crew-days used.
    pub used_crew_days: u32,
    /// Sites.
    pub sites: usize,
    /// APs installed.
    pub aps: usize,
}

/// One window in `waves.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowReport {
    /// Name.
    pub name: String,
    /// First and last working day.
    pub first_day: Option<NaiveDate>,
    /// Last working day.
    pub last_day: Option<NaiveDate>,
    /// Go-live (pupils return).
    pub golive: NaiveDate,
    /// Working days.
    pub working_days: usize,
    /// School weeks from go-live to the horizon.
    pub weeks_of_value: f64,
    /// Per département.
    pub departements: Vec<WindowUse>,
}

/// One wave in `waves.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveReport {
    /// Name.
    pub name: String,
    /// Calendar year it counts in.
    pub year: i32,
    /// Sites.
    pub sites: usize,
    /// APs.
    pub aps: usize,
    /// Pupils.
    pub pupils: u64,
    /// Cost [€].
    pub cost_eur: f64,
    /// Windows.
    pub windows: Vec<WindowReport>,
}

/// `waves.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WavesReport {
    /// Budget [€].
    pub budget_eur: f64,
    /// Spend of the plan [€].
    pub cost_eur: f64,
    /// Sites in the problem.
    pub sites: usize,
    /// Sites scheduled.
    pub scheduled: usize,
    /// APs scheduled.
    pub aps: usize,
    /// Pupil-weeks of the plan.
    pub pupil_weeks: f64,
    /// Proven upper bound.
    pub bound_pupil_weeks: f64,
    /// Optimality gap [%].
    pub gap_pct: f64,
    /// Method.
    pub method: String,
    /// Binding constraints and shortfalls, one sentence each.
    pub shortfalls: Vec<String>,
    /// Spend per calendar year [€], with the envelope where one is set.
    pub spend_by_year: BTreeMap<i32, (f64, Option<f64>)>,
    /// Waves.
    pub waves: Vec<WaveReport>,
    /// Sites the batch did not plan.
    pub not_planned: Vec<Skipped>,
    /// Configuration used.
    pub config: WavesConfig,
}

/// A solved schedule with dates.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The problem.
    pub problem: Problem,
    /// The solution.
    pub solution: Solution,
    /// Every site, scheduled ones by end date then UAI, then unscheduled ones by UAI.
    pub sites: Vec<ScheduledSite>,
    /// The report.
    pub report: WavesReport,
    /// Solver time [s].
    pub solve_s: f64,
    /// Every row of the batch with coordinates, for the map layer.
    pub places: Vec<Place>,
}

/// Days of each site's installation: sites of a window and département in UAI order
/// share its crews day by day, several crews on one site where it needs them.
fn sequence(p: &Problem, a: &Assignment) -> Vec<Option<(NaiveDate, NaiveDate)>> {
    let mut out = vec![None; p.items.len()];
    let mut next = vec![vec![0u32; p.departements.len()]; p.windows.len()];
    for (s, w) in a.iter().enumerate() {
        let Some(w) = *w else { continue };
        let it = &p.items[s];
        let crews = p.crews[it.departement].max(1);
        let k = &mut next[w][it.departement];
        let days = &p.windows[w].days;
        let first = (*k / crews) as usize;
        let last = ((*k + it.crew_days.max(1) - 1) / crews) as usize;
        *k += it.crew_days;
        out[s] = Some((days[first.min(days.len() - 1)], days[last.min(days.len() - 1)]));
    }
    out
}

/// Why an unscheduled site found no window, given what the plan leaves.
fn reason(
    p: &Problem,
    a: &Assignment,
    s: usize,
    used: &[Vec<u32>],
    spent: f64,
    by_year: &BTreeMap<i32, f64>,
) -> String {
    let it = &p.items[s];
    let d = it.departement;
    let largest = (0..p.windows.len()).map(|w| p.capacity[w][d]).max().unwrap_or(0);
    if it.crew_days > largest {
        return format!(
            "capacity: needs {} crew-days, more than any window in {} offers ({largest})",
            it.crew_days, p.departements[d]
        );
    }
    let left = p.budget_eur - spent;
    if it.cost_eur > left + 1e-6 {
        return format!("budget: needs {:.0} €, {:.0} € left", it.cost_eur, left.max(0.0));
    }
    let with_room: Vec<usize> =
        (0..p.windows.len()).filter(|&w| p.capacity[w][d] - used[w][d] >= it.crew_days).collect();
    if with_room.is_empty() {
        let most = (0..p.windows.len()).map(|w| p.capacity[w][d] - used[w][d]).max().unwrap_or(0);
        return format!(
            "capacity: every window in {} is full (needs {} crew-days, at most {most} left)",
            p.departements[d], it.crew_days
        );
    }
    let years: BTreeSet<i32> = with_room.iter().map(|&w| p.windows[w].year).collect();
    let blocked: Vec<String> = years
        .iter()
        .filter_map(|y| {
            let b = p.yearly_eur.get(y)?;
            let left = b - by_year.get(y).copied().unwrap_or(0.0);
            (it.cost_eur > left + 1e-6).then(|| format!("{y} envelope ({:.0} € left)", left.max(0.0)))
        })
        .collect();
    let _ = a;
    if !blocked.is_empty() {
        return format!("yearly budget: needs {:.0} €, more than {}", it.cost_eur, blocked.join(", "));
    }
    "not worth a window (solver stopped before proving otherwise)".into()
}

/// Binding constraints of the input: what the whole programme lacks.
fn shortfalls(p: &Problem, a: &Assignment) -> Vec<String> {
    let mut out = Vec::new();
    let total: f64 = p.items.iter().map(|i| i.cost_eur).sum();
    if total > p.budget_eur + 0.5 {
        out.push(format!(
            "budget short by {} € ({} € needed for every site, {} € available)",
            thousands(total - p.budget_eur),
            thousands(total),
            thousands(p.budget_eur)
        ));
    }
    for (d, name) in p.departements.iter().enumerate() {
        let need: u32 = p.items.iter().filter(|i| i.departement == d).map(|i| i.crew_days).sum();
        let have: u32 = (0..p.windows.len()).map(|w| p.capacity[w][d]).sum();
        if need > have {
            out.push(format!(
                "capacity in {name} short by {} APs ({} crew-days needed over the waves, {have} available with {} crew(s))",
                (need - have) * p.aps_per_crew_day,
                need,
                p.crews[d]
            ));
        }
    }
    let by_year = p.spend_by_year(a);
    for (y, b) in &p.yearly_eur {
        let unscheduled_cost: f64 = (0..p.items.len()).filter(|&s| a[s].is_none()).map(|s| p.items[s].cost_eur).sum();
        let spent = by_year.get(y).copied().unwrap_or(0.0);
        if unscheduled_cost > 0.0 && b - spent < 0.02 * b {
            out.push(format!("{y} envelope binds: {} € of {} € spent", thousands(spent), thousands(*b)));
        }
    }
    let unscheduled = a.iter().filter(|w| w.is_none()).count();
    if unscheduled > 0 {
        out.push(format!("{unscheduled} site(s) left unscheduled (see schedule.csv, column reason)"));
    }
    out
}

/// An amount with its thousands grouped by commas, e.g. "1,895,181".
pub fn thousands(v: f64) -> String {
    crate::render::thousands(v, ',')
}

/// Solves and dates the schedule.
pub fn schedule(config: &WavesConfig, calendar: &Calendar, sites: BatchSites) -> Result<Schedule, WavesError> {
    let windows = config.windows(calendar).map_err(WavesError::Input)?;
    let problem = Problem::new(config, windows, sites.items, sites.departements);
    let t = std::time::Instant::now();
    let solution = solve(&problem, config.time_limit_s, config.gap_target_pct);
    let solve_s = t.elapsed().as_secs_f64();
    let p = &problem;
    let a = &solution.assignment;
    let dates = sequence(p, a);
    let used = p.used(a);
    // `+ 0.0`: an empty f64 sum is −0.0.
    let spent: f64 = (0..p.items.len()).filter(|&s| a[s].is_some()).map(|s| p.items[s].cost_eur).sum::<f64>() + 0.0;
    let by_year = p.spend_by_year(a);
    let mut rows: Vec<ScheduledSite> = (0..p.items.len())
        .map(|s| {
            let it = &p.items[s];
            let w = a[s];
            ScheduledSite {
                uai: it.uai.clone(),
                name: it.name.clone(),
                departement: p.departements[it.departement].clone(),
                pupils: it.pupils,
                wave: w.map_or("unscheduled".into(), |w| p.waves[p.windows[w].wave].clone()),
                window: w.map_or(String::new(), |w| p.windows[w].name.clone()),
                start: dates[s].map(|d| d.0),
                end: dates[s].map(|d| d.1),
                golive: w.map(|w| p.windows[w].golive),
                aps: it.aps,
                crew_days: it.crew_days,
                cost_eur: it.cost_eur,
                cumulative_eur: 0.0,
                pupil_weeks: w.map_or(0.0, |w| p.value(s, w)),
                reason: if w.is_some() { String::new() } else { reason(p, a, s, &used, spent, &by_year) },
            }
        })
        .collect();
    rows.sort_by(|x, y| (x.end.is_none(), x.end, &x.uai).cmp(&(y.end.is_none(), y.end, &y.uai)));
    let mut cumulative = 0.0;
    for r in rows.iter_mut().filter(|r| r.end.is_some()) {
        cumulative += r.cost_eur;
        r.cumulative_eur = cumulative;
    }
    let waves = config
        .waves
        .iter()
        .enumerate()
        .map(|(k, wave)| {
            let in_wave = |s: usize| a[s].is_some_and(|w| p.windows[w].wave == k);
            let sites: Vec<usize> = (0..p.items.len()).filter(|&s| in_wave(s)).collect();
            WaveReport {
                name: wave.name.clone(),
                year: p.windows.iter().find(|w| w.wave == k).map_or(0, |w| w.year),
                sites: sites.len(),
                aps: sites.iter().map(|&s| p.items[s].aps).sum(),
                pupils: sites.iter().map(|&s| u64::from(p.items[s].pupils)).sum(),
                cost_eur: sites.iter().map(|&s| p.items[s].cost_eur).sum::<f64>() + 0.0,
                windows: (0..p.windows.len())
                    .filter(|&w| p.windows[w].wave == k)
                    .map(|w| WindowReport {
                        name: p.windows[w].name.clone(),
                        first_day: p.windows[w].days.first().copied(),
                        last_day: p.windows[w].days.last().copied(),
                        golive: p.windows[w].golive,
                        working_days: p.windows[w].days.len(),
                        weeks_of_value: p.windows[w].weeks,
                        departements: (0..p.departements.len())
                            .map(|d| {
                                let here: Vec<usize> = (0..p.items.len())
                                    .filter(|&s| a[s] == Some(w) && p.items[s].departement == d)
                                    .collect();
                                WindowUse {
                                    departement: p.departements[d].clone(),
                                    crews: p.crews[d],
                                    crew_days: p.capacity[w][d],
                                    used_crew_days: used[w][d],
                                    sites: here.len(),
                                    aps: here.iter().map(|&s| p.items[s].aps).sum(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let report = WavesReport {
        budget_eur: p.budget_eur,
        cost_eur: spent,
        sites: p.items.len(),
        scheduled: a.iter().filter(|w| w.is_some()).count(),
        aps: (0..p.items.len()).filter(|&s| a[s].is_some()).map(|s| p.items[s].aps).sum(),
        pupil_weeks: solution.objective.round(),
        bound_pupil_weeks: solution.bound.round(),
        gap_pct: (solution.gap_pct * 1e4).round() / 1e4,
        method: solution.method.clone(),
        shortfalls: shortfalls(p, a),
        spend_by_year: by_year.iter().map(|(y, v)| (*y, (*v, p.yearly_eur.get(y).copied()))).collect(),
        waves,
        not_planned: sites.skipped,
        config: config.clone(),
    };
    Ok(Schedule { problem, solution, sites: rows, report, solve_s, places: sites.places })
}
