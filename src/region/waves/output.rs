//! A schedule's outputs: `schedule.csv`, `waves.json` and the charts ([`super::charts`]).

use super::{Schedule, charts};
use crate::atomic::write_atomic;
use crate::region::batch::{BatchError, write_json};
use chrono::NaiveDate;
use std::path::Path;

/// The header of `schedule.csv`.
pub const SCHEDULE_COLUMNS: [&str; 15] = [
    "uai",
    "name",
    "departement",
    "pupils",
    "wave",
    "window",
    "start",
    "end",
    "golive",
    "aps",
    "crew_days",
    "cost_eur",
    "cumulative_eur",
    "pupil_weeks",
    "reason",
];

/// Writes `schedule.csv`, `waves.json` and the charts into `out`.
pub fn write(out: &Path, plan: &Schedule) -> Result<(), super::WavesError> {
    std::fs::create_dir_all(out).map_err(|e| BatchError::io(out, e))?;
    let path = out.join("schedule.csv");
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| BatchError::io(&path, e);
    w.write_record(SCHEDULE_COLUMNS).map_err(io)?;
    let day = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    for r in &plan.sites {
        w.write_record([
            r.uai.clone(),
            r.name.clone(),
            r.departement.clone(),
            r.pupils.to_string(),
            r.wave.clone(),
            r.window.clone(),
            day(r.start),
            day(r.end),
            day(r.golive),
            r.aps.to_string(),
            r.crew_days.to_string(),
            format!("{:.0}", r.cost_eur),
            if r.end.is_some() { format!("{:.0}", r.cumulative_eur) } else { String::new() },
            format!("{:.1}", r.pupil_weeks),
            r.reason.clone(),
        ])
        .map_err(io)?;
    }
    let bytes = w.into_inner().map_err(|e| BatchError::io(&path, e))?;
    write_atomic(&path, &bytes).map_err(|e| BatchError::io(&path, e))?;
    write_json(&out.join("waves.json"), &plan.report)?;
    for (name, png) in charts::images(plan) {
        let file = out.join(name);
        let bytes = png.map_err(|e| BatchError::io(&file, e))?;
        write_atomic(&file, &bytes).map_err(|e| BatchError::io(&file, e))?;
    }
    Ok(())
}
