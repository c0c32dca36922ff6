//! Synthetic regions for the solver's scale tests and benches: `n` lycées drawn like
//! Normandy's (pupils, type mix, five départements) with the AP counts and costs the
//! bundled region's batch gives per pupil, and crews scaled so that the programme needs
//! all its waves.

use super::config::WavesConfig;
use super::model::Item;
use crate::costs::Costs;
use crate::seed::{rng, uniform};

/// The five départements and their share of the region's lycées.
const DEPARTEMENTS: [(&str, f64); 5] =
    [("Calvados", 0.19), ("Eure", 0.17), ("Manche", 0.13), ("Orne", 0.09), ("Seine-Maritime", 0.42)];

/// `n` synthetic sites (seeded by `seed`) and a configuration whose crews scale with `n`
/// from the bundled defaults; the budget covers `budget_share` of the total cost.
pub fn region(n: usize, seed: &str, budget_share: f64) -> (Vec<Item>, Vec<String>, WavesConfig) {
    let r = &mut rng(seed);
    let costs = Costs::default();
    let mut config = WavesConfig::default();
    let items: Vec<Item> = (0..n)
        .map(|i| {
            let x = uniform(r, 0.0, 1.0);
            let d = DEPARTEMENTS.iter().scan(0.0, |acc, (_, share)| {
                *acc += share;
                Some(*acc)
            });
            let dept = d.take_while(|acc| *acc < x).count().min(DEPARTEMENTS.len() - 1);
            // Pupils: log-uniform 150–1,500, as the region's lycées.
            let pupils = (150.0 * 10f64.powf(uniform(r, 0.0, 1.0))).round() as u32;
            let aps = (8.0 + 0.058 * f64::from(pupils) * uniform(r, 0.85, 1.15)).round() as usize;
            let cable = aps as f64 * uniform(r, 25.0, 40.0);
            let (lat, lon) = (uniform(r, 48.5, 49.9), uniform(r, -1.8, 1.7));
            Item {
                uai: format!("{:07}S", i),
                name: format!("Lycée synthétique {i}"),
                departement: dept,
                pupils,
                aps,
                crew_days: (aps as u32).div_ceil(config.aps_per_crew_day),
                cost_eur: costs.site(aps, cable).total_eur,
                latitude: lat,
                longitude: lon,
                approximated: false,
            }
        })
        .collect();
    let scale = n as f64 / 129.0;
    for c in config.crews.values_mut() {
        *c = ((f64::from(*c) * scale).round() as u32).max(1);
    }
    config.budget_eur = (items.iter().map(|i| i.cost_eur).sum::<f64>() * budget_share).round();
    (items, DEPARTEMENTS.iter().map(|(d, _)| d.to_string()).collect(), config)
}
