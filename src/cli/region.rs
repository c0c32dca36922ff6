//! The commands on the region: `batch`, `merge`, `waves` and `rollout` (the two first
//! chained over the bundled region).

use super::args::{BatchArgs, MergeArgs, RolloutArgs, WavesArgs};
use super::{Failure, open_backend, out, read_costs, with_site_progress};
use std::path::Path;
use wifiplan::costs::Costs;
use wifiplan::lang::{Lang, Msg};
use wifiplan::region::batch;
use wifiplan::region::waves::{self, Schedule};
use wifiplan::region::{BatchOptions, BatchResult, Calendar, SiteList, WavesConfig};
use wifiplan::solver::Backend;

/// Exit 1, already reported, when sites failed or stayed unscheduled.
fn outcome(code: u8) -> Result<(), Failure> {
    if code == 0 { Ok(()) } else { Err(Failure::reported()) }
}

/// Runs a batch; `Err` only when it could not run at all. Failed sites are reported and
/// make the outcome 1.
fn run_batch(list: &SiteList, opts: &BatchOptions, backend: &dyn Backend) -> Result<(BatchResult, u8), Failure> {
    let result = with_site_progress(|progress| batch::run(list, opts, backend, progress))?;
    let s = &result.summary;
    let lang = opts.lang;
    let pct = |v: Option<f64>| v.map_or("-".into(), |v| lang.number(v, 2));
    out!(
        "{}",
        lang.fill(
            Msg::BatchSummary,
            &[
                &s.ok,
                &s.sites,
                &lang.number(s.aps as f64, 0),
                &lang.million_euros(s.cost_eur),
                &pct(s.coverage_pct_mean),
                &pct(s.coverage_pct_min)
            ]
        )
    );
    let t = &result.timings;
    let stages = t.stages_s.iter().map(|(k, v)| format!("{k} {} s", lang.number(*v, 1))).collect::<Vec<_>>();
    out!(
        "{}",
        lang.fill(
            Msg::BatchTimings,
            &[
                &t.sites_planned,
                &t.sites_resumed,
                &t.sites_repriced,
                &lang.number(t.wall_s, 1),
                &stages.join(", "),
                &t.building_cache.misses,
                &t.building_cache.hits,
                &lang.number(t.building_cache.hit_pct(), 0)
            ]
        )
    );
    for w in &result.warnings {
        eprintln!("warning: {w}");
    }
    out!("{}", lang.fill(Msg::Wrote, &[&opts.out.join("sites.csv").display()]));
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
        requirements: batch::batch_requirements().with_overrides(&args.radio_plan.overrides()),
        lang: args.lang.lang,
        cache: args.cache.dir.clone(),
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
        Lang::En.million_euros(s.cost_eur)
    );
    out!("wrote {}", args.out.join("sites.csv").display());
    if s.failed + s.invalid > 0 {
        return Err(Failure::failed(format!("{} invalid and {} failed site(s)", s.invalid, s.failed)));
    }
    Ok(())
}

/// Schedules the batch in `dir` into `out` with a configuration [`waves_config`]
/// checked; prints the plan. Returns the plan and the outcome (1 when sites stay
/// unscheduled).
fn run_waves(
    dir: &std::path::Path,
    out: &std::path::Path,
    config: &WavesConfig,
    costs: Option<&Costs>,
    lang: Lang,
) -> Result<(Schedule, u8, f64), Failure> {
    let calendar = Calendar::bundled();
    let sites = waves::read_batch(dir, costs, config.aps_per_crew_day)?;
    let plan = waves::schedule(config, &calendar, sites)?;
    let t = std::time::Instant::now();
    waves::write(out, &plan, lang)?;
    let write_s = t.elapsed().as_secs_f64();
    let r = &plan.report;
    for w in &r.waves {
        out!(
            "{:<4} {:<40} {:>4} {} {:>6} {} {:>10}",
            w.name,
            w.windows.iter().map(|w| w.name.as_str()).collect::<Vec<_>>().join(", "),
            w.sites,
            lang.t(Msg::WaveLineSites),
            w.aps,
            lang.t(Msg::WaveLineAps),
            lang.million_euros(w.cost_eur)
        );
    }
    out!(
        "{}",
        lang.fill(
            Msg::WavesSummary,
            &[
                &r.scheduled,
                &r.sites,
                &lang.number(r.aps as f64, 0),
                &lang.million_euros(r.cost_eur),
                &lang.million_euros(r.budget_eur),
                &lang.number(r.pupil_weeks, 0),
                &lang.number(r.gap_pct, 4),
                &r.method,
                &lang.number(plan.solve_s, 2),
            ]
        )
    );
    out!("{}", lang.fill(Msg::WavesWrote, &[&out.join("schedule.csv").display()]));
    for s in &r.shortfalls {
        eprintln!("warning: {s}");
    }
    for s in &r.not_planned {
        eprintln!("warning: UAI {}: {}", s.uai, s.reason);
    }
    let code = u8::from(r.scheduled < r.sites);
    Ok((plan, code, write_s))
}

/// The wave configuration at `path` (the bundled one when `None`) with `budget` [€]
/// instead of its own, refused with every problem it has (named after the file).
fn waves_config(path: Option<&Path>, budget: Option<f64>) -> Result<WavesConfig, Failure> {
    let mut config: WavesConfig = match path {
        Some(p) => wifiplan::ronfile::read(p)?,
        None => WavesConfig::default(),
    };
    if let Some(b) = budget {
        config.budget_eur = b;
    }
    let problems = config.problems(&Calendar::bundled());
    if !problems.is_empty() {
        let named = |p: String| path.map_or(p.clone(), |f| format!("{}: {p}", f.display()));
        return Err(Failure::bad_input(problems.into_iter().map(named).collect()));
    }
    Ok(config)
}

pub fn waves(args: &WavesArgs) -> Result<(), Failure> {
    let config = waves_config(args.config.as_deref(), args.budget)?;
    let costs = args.costs.as_deref().map(|p| read_costs(Some(p))).transpose()?;
    let (_, code, _) = run_waves(&args.batch, &args.out, &config, costs.as_ref(), args.lang.lang)?;
    outcome(code)
}

pub fn rollout(args: &RolloutArgs) -> Result<(), Failure> {
    let t0 = std::time::Instant::now();
    let list = SiteList::bundled();
    // Every input is read before anything is planned: a bad file costs nothing.
    let config = waves_config(args.waves.as_deref(), args.budget)?;
    let opts = BatchOptions {
        out: args.out.clone(),
        shard: None,
        resume: args.resume,
        costs: read_costs(args.costs.as_deref())?,
        requirements: batch::batch_requirements().with_overrides(&args.radio_plan.overrides()),
        lang: args.lang.lang,
        cache: args.cache.dir.clone(),
    };
    let lang = opts.lang;
    let backend = open_backend(args.backend)?;
    let (result, batch_code) = run_batch(&list, &opts, backend.as_ref())?;
    let t1 = std::time::Instant::now();
    eprintln!("{}", lang.t(Msg::RolloutScheduling));
    let (plan, waves_code, write_s) = run_waves(&args.out, &args.out, &config, None, lang)?;
    let stages = &result.timings.stages_s;
    let secs = |v: f64, d: usize| lang.number(v, d);
    let stage = |k: &str| secs(stages.get(k).copied().unwrap_or(0.0), 1);
    out!(
        "{}",
        lang.fill(
            Msg::RolloutTimes,
            &[
                &secs(t0.elapsed().as_secs_f64(), 1),
                &secs((t1 - t0).as_secs_f64(), 1),
                &stage("placement"),
                &stage("simulation"),
                &stage("rendering"),
                &secs(plan.solve_s, 2),
                &secs(write_s, 2),
            ]
        )
    );
    outcome(batch_code.max(waves_code))
}
