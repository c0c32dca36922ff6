//! The commands on the region: `batch`, `merge`, `waves` and `rollout` (the two first
//! chained over the bundled region).

use super::args::{BatchArgs, MergeArgs, RolloutArgs, WavesArgs};
use super::{Failure, open_backend, out, read_costs, with_site_progress};
use std::path::Path;
use wifiplan::costs::Costs;
use wifiplan::region::batch;
use wifiplan::region::waves::{self, Schedule};
use wifiplan::region::{BatchOptions, BatchResult, Calendar, SiteList, WavesConfig};
use wifiplan::solver::Backend;

/// Exit 1, already reported, when sites failed or stayed unscheduled.
fn outcome(code: u8) -> Result<(), Failure> {
    if code == 0 { Ok(()) } else { Err(Failure::reported()) }
}

fn million(eur: f64) -> String {
    format!("{:.2} M€", eur / 1e6)
}

/// Runs a batch; `Err` only when it could not run at all. Failed sites are reported and
/// make the outcome 1.
fn run_batch(list: &SiteList, opts: &BatchOptions, backend: &dyn Backend) -> Result<(BatchResult, u8), Failure> {
    let result = with_site_progress(|progress| batch::run(list, opts, backend, progress))?;
    let s = &result.summary;
    out!(
        "planned {} of {} sites: {} APs, {}; coverage of teaching rooms and offices mean {} % (min {} %)",
        s.ok,
        s.sites,
        s.aps,
        million(s.cost_eur),
        s.coverage_pct_mean.map_or("-".into(), |v| format!("{v:.2}")),
        s.coverage_pct_min.map_or("-".into(), |v| format!("{v:.2}")),
    );
    let t = &result.timings;
    out!(
        "{} sites planned, {} resumed, {} priced again, in {:.1} s (summed over sites: {})",
        t.sites_planned,
        t.sites_resumed,
        t.sites_repriced,
        t.wall_s,
        t.stages_s.iter().map(|(k, v)| format!("{k} {v:.1} s")).collect::<Vec<_>>().join(", ")
    );
    out!("wrote {}", opts.out.join("sites.csv").display());
    for e in &s.errors {
        eprintln!("error: {e}");
    }
    let code = if s.failed + s.invalid > 0 {
        eprintln!("error: {} invalid and {} failed site(s) of {}", s.invalid, s.failed, s.sites);
        1
    } else {
        0
    };
    Ok((result, code))
}

pub fn batch(args: &BatchArgs) -> Result<(), Failure> {
    let list = match &args.sites {
        Some(path) => SiteList::read(path)?,
        None => SiteList::bundled(),
    };
    let backend = open_backend(args.backend)?;
    let opts = BatchOptions {
        out: args.out.clone(),
        shard: args.shard,
        resume: args.resume,
        costs: read_costs(args.costs.as_deref())?,
        requirements: batch::batch_requirements(),
    };
    let (_, code) = run_batch(&list, &opts, backend.as_ref())?;
    outcome(code)
}

pub fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let s = wifiplan::region::merge::merge(&args.shards, &args.out)?;
    out!(
        "merged {} shards: {} sites, {} planned, {} APs, {}",
        args.shards.len(),
        s.sites,
        s.ok,
        s.aps,
        million(s.cost_eur)
    );
    out!("wrote {}", args.out.join("sites.csv").display());
    if s.failed + s.invalid > 0 {
        return Err(Failure::failed(format!("{} invalid and {} failed site(s)", s.invalid, s.failed)));
    }
    Ok(())
}

/// Schedules the batch in `dir` into `out`; prints the plan. Returns the plan and the
/// outcome (1 when sites stay unscheduled).
fn run_waves(
    dir: &std::path::Path,
    out: &std::path::Path,
    config: &WavesConfig,
    costs: Option<&Costs>,
) -> Result<(Schedule, u8, f64), Failure> {
    let calendar = Calendar::bundled();
    let problems = config.problems(&calendar);
    if !problems.is_empty() {
        return Err(Failure::bad_input(problems));
    }
    let sites = waves::read_batch(dir, costs, config.aps_per_crew_day)?;
    let plan = waves::schedule(config, &calendar, sites)?;
    let t = std::time::Instant::now();
    waves::write(out, &plan)?;
    let write_s = t.elapsed().as_secs_f64();
    let r = &plan.report;
    for w in &r.waves {
        out!(
            "{:<4} {:<40} {:>4} sites {:>6} APs {:>10}",
            w.name,
            w.windows.iter().map(|w| w.name.as_str()).collect::<Vec<_>>().join(", "),
            w.sites,
            w.aps,
            million(w.cost_eur)
        );
    }
    out!(
        "scheduled {} of {} sites, {} APs, {} of {} budget; {:.0} pupil-weeks, gap {:.4} % ({}, {:.2} s)",
        r.scheduled,
        r.sites,
        r.aps,
        million(r.cost_eur),
        million(r.budget_eur),
        r.pupil_weeks,
        r.gap_pct,
        r.method,
        plan.solve_s
    );
    out!("wrote {}, waves.json, sites.geojson, gantt.png, map.png, burndown.png", out.join("schedule.csv").display());
    for s in &r.shortfalls {
        eprintln!("warning: {s}");
    }
    for s in &r.not_planned {
        eprintln!("warning: UAI {}: {}", s.uai, s.reason);
    }
    let code = u8::from(r.scheduled < r.sites);
    Ok((plan, code, write_s))
}

fn waves_config(path: Option<&Path>, budget: Option<f64>) -> Result<WavesConfig, Failure> {
    let mut config: WavesConfig = match path {
        Some(p) => wifiplan::ronfile::read(p)?,
        None => WavesConfig::default(),
    };
    if let Some(b) = budget {
        config.budget_eur = b;
    }
    Ok(config)
}

pub fn waves(args: &WavesArgs) -> Result<(), Failure> {
    let config = waves_config(args.config.as_deref(), args.budget)?;
    let costs = args.costs.as_deref().map(|p| read_costs(Some(p))).transpose()?;
    let (_, code, _) = run_waves(&args.batch, &args.out, &config, costs.as_ref())?;
    outcome(code)
}

pub fn rollout(args: &RolloutArgs) -> Result<(), Failure> {
    let t0 = std::time::Instant::now();
    let list = SiteList::bundled();
    let opts = BatchOptions {
        out: args.out.clone(),
        shard: None,
        resume: args.resume,
        costs: Costs::default(),
        requirements: batch::batch_requirements(),
    };
    let backend = open_backend(args.backend)?;
    let (result, batch_code) = run_batch(&list, &opts, backend.as_ref())?;
    let t1 = std::time::Instant::now();
    eprintln!("scheduling the planned sites into the waves…");
    let (plan, waves_code, write_s) = run_waves(&args.out, &args.out, &WavesConfig::default(), None)?;
    let stages = &result.timings.stages_s;
    out!(
        "rollout in {:.1} s: planning the sites {:.1} s (summed over sites: placement {:.1} s, simulation {:.1} s, heatmaps and reports {:.1} s), scheduling {:.2} s, charts {:.2} s",
        t0.elapsed().as_secs_f64(),
        (t1 - t0).as_secs_f64(),
        stages.get("placement").copied().unwrap_or(0.0),
        stages.get("simulation").copied().unwrap_or(0.0),
        stages.get("rendering").copied().unwrap_or(0.0),
        plan.solve_s,
        write_s
    );
    outcome(batch_code.max(waves_code))
}
