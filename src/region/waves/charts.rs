//! The schedule's charts, from a solved [`Schedule`] to the render module's inputs.

use super::Schedule;
use crate::lang::{Lang, Msg};
use crate::render::RenderError;
use crate::render::charts::{GanttBar, MapArea, MapPoint, burndown, gantt, region_map};

/// `gantt.png`, `map.png` and `burndown.png`.
pub fn images(plan: &Schedule, lang: Lang) -> Vec<(&'static str, Result<Vec<u8>, RenderError>)> {
    let p = &plan.problem;
    let a = &plan.solution.assignment;
    let mut bars = Vec::new();
    for (w, win) in p.windows.iter().enumerate() {
        for (d, _) in p.departements.iter().enumerate() {
            let here: Vec<&super::ScheduledSite> = plan
                .sites
                .iter()
                .filter(|r| r.departement == p.departements[d] && r.window == win.name && r.start.is_some())
                .collect();
            let (Some(start), Some(end)) =
                (here.iter().filter_map(|r| r.start).min(), here.iter().filter_map(|r| r.end).max())
            else {
                continue;
            };
            let aps: usize = here.iter().map(|r| r.aps).sum();
            bars.push(GanttBar { row: d, start, end, wave: win.wave, label: lang.fill(Msg::GanttBar, &[&aps]) });
        }
        let _ = w;
    }
    let total_aps: usize = plan.sites.iter().filter(|r| r.start.is_some()).map(|r| r.aps).sum();
    let gantt_png = gantt(
        &lang.fill(Msg::GanttTitle, &[&plan.report.scheduled, &lang.number(total_aps as f64, 0)]),
        &p.departements,
        &p.waves,
        &bars,
        lang,
    );
    let points: Vec<MapPoint> = p
        .items
        .iter()
        .enumerate()
        .map(|(s, it)| MapPoint {
            latitude: it.latitude,
            longitude: it.longitude,
            pupils: it.pupils,
            wave: a[s].map(|w| p.windows[w].wave),
            approximate: it.approximated,
        })
        .collect();
    // The bundled outlines of the départements the batch has sites in (none for a list
    // from another region).
    let areas: Vec<MapArea> = crate::region::geo::bundled()
        .into_iter()
        .filter(|d| p.departements.contains(&d.name))
        .map(|d| MapArea { name: d.name, polygons: d.polygons })
        .collect();
    let map_png = region_map(&lang.fill(Msg::MapTitle, &[&p.items.len()]), &p.waves, &points, &areas, lang);
    let spend: Vec<_> = plan.sites.iter().filter_map(|r| r.end.map(|d| (d, r.cost_eur))).collect();
    let windows: Vec<_> = p.windows.iter().filter_map(|w| Some((*w.days.first()?, *w.days.last()?, w.wave))).collect();
    let burn_png = burndown(
        &lang.fill(Msg::BurndownTitle, &[&lang.million_euros(plan.report.cost_eur), &lang.million_euros(p.budget_eur)]),
        p.budget_eur,
        &spend,
        &windows,
        &p.waves,
        lang,
    );
    vec![("gantt.png", gantt_png), ("map.png", map_png), ("burndown.png", burn_png)]
}
