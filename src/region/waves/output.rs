//! A schedule's outputs: `schedule.csv`, `waves.json`, `sites.geojson` (the lycées as
//! points for a GIS) and the charts ([`super::charts`]).

use super::{Schedule, charts};
use crate::atomic::write_atomic;
use crate::region::batch::Status;
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

/// `sites.geojson`: one Point feature per lycée of the batch with coordinates (RFC 7946:
/// WGS 84 longitude, latitude; no `crs` member), so that QGIS opens it as is. Properties:
/// UAI, name, commune, département, pupils, APs, cost [€], wave, window, go-live date,
/// coverage [%], whether the point is only the département's centre, the batch's status,
/// and why a site is left out of the schedule.
pub fn geojson(plan: &Schedule) -> serde_json::Value {
    let scheduled: std::collections::BTreeMap<&str, &super::ScheduledSite> =
        plan.sites.iter().map(|s| (s.uai.as_str(), s)).collect();
    let features: Vec<serde_json::Value> = plan
        .places
        .iter()
        .map(|p| {
            // A duplicate UAI's rejected row is not the planned site of that UAI.
            let s = if p.status == Status::Ok { scheduled.get(p.uai.as_str()) } else { None };
            let reason = match s {
                Some(s) => s.reason.clone(),
                None => format!("not planned by the batch ({}): {}", p.status.as_str(), p.error),
            };
            serde_json::json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [p.longitude, p.latitude] },
                "properties": {
                    "uai": p.uai,
                    "name": p.name,
                    "commune": p.commune,
                    "departement": p.departement,
                    "pupils": p.pupils,
                    "aps": s.map(|s| s.aps),
                    "cost_eur": s.map(|s| s.cost_eur.round()),
                    "wave": s.map(|s| s.wave.as_str()),
                    "window": s.map(|s| s.window.as_str()),
                    "golive": s.and_then(|s| s.golive).map(|d| d.to_string()),
                    "coverage_pct": p.coverage_pct,
                    "position_approximate": p.approximate,
                    "status": p.status.as_str(),
                    "reason": (!reason.is_empty()).then_some(reason),
                }
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features })
}

/// Writes `schedule.csv`, `waves.json`, `sites.geojson` and the charts (in `lang`)
/// into `out`.
pub fn write(out: &Path, plan: &Schedule, lang: crate::lang::Lang) -> Result<(), super::WavesError> {
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
    write_json(&out.join("sites.geojson"), &geojson(plan))?;
    for (name, png) in charts::images(plan, lang) {
        let file = out.join(name);
        let bytes = png.map_err(|e| BatchError::io(&file, e))?;
        write_atomic(&file, &bytes).map_err(|e| BatchError::io(&file, e))?;
    }
    Ok(())
}
