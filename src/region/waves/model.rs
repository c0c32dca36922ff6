//! The scheduling problem: sites (crew-days, cost, pupils) × holiday windows (working
//! days, go-live date) with a capacity per window and département, a budget and optional
//! yearly envelopes; and an independent check of any assignment against it.

use super::config::{WavesConfig, Window};
use std::collections::BTreeMap;

/// A site to schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// UAI.
    pub uai: String,
    /// Name.
    pub name: String,
    /// Département index in [`Problem::departements`].
    pub departement: usize,
    /// Pupils [1].
    pub pupils: u32,
    /// APs to install.
    pub aps: usize,
    /// Crew-days its installation takes: ⌈APs / APs per crew-day⌉.
    pub crew_days: u32,
    /// Cost [€].
    pub cost_eur: f64,
    /// Latitude [°].
    pub latitude: f64,
    /// Longitude [°].
    pub longitude: f64,
    /// Whether the coordinates are a département centroid.
    pub approximated: bool,
}

/// The whole problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Wave names.
    pub waves: Vec<String>,
    /// Windows, in date order.
    pub windows: Vec<Window>,
    /// Départements, sorted.
    pub departements: Vec<String>,
    /// Crews per département.
    pub crews: Vec<u32>,
    /// Crew-days per window and département.
    pub capacity: Vec<Vec<u32>>,
    /// APs per crew-day.
    pub aps_per_crew_day: u32,
    /// Sites, in UAI order.
    pub items: Vec<Item>,
    /// Budget [€].
    pub budget_eur: f64,
    /// Yearly envelopes [€].
    pub yearly_eur: BTreeMap<i32, f64>,
}

/// A site's place in the plan: its window, or none.
pub type Assignment = Vec<Option<usize>>;

impl Problem {
    /// Builds the problem; items are sorted by UAI.
    pub fn new(config: &WavesConfig, windows: Vec<Window>, mut items: Vec<Item>, departements: Vec<String>) -> Problem {
        items.sort_by(|a, b| a.uai.cmp(&b.uai));
        let crews: Vec<u32> = departements.iter().map(|d| config.crews_of(d)).collect();
        let capacity = windows.iter().map(|w| crews.iter().map(|c| c * w.days.len() as u32).collect()).collect();
        Problem {
            waves: config.waves.iter().map(|w| w.name.clone()).collect(),
            windows,
            departements,
            crews,
            capacity,
            aps_per_crew_day: config.aps_per_crew_day,
            items,
            budget_eur: config.budget_eur,
            yearly_eur: config.yearly_budget_eur.clone(),
        }
    }

    /// Pupil-weeks of site `s` going live at the end of window `w`.
    pub fn value(&self, s: usize, w: usize) -> f64 {
        f64::from(self.items[s].pupils) * self.windows[w].weeks
    }

    /// Whether site `s` fits window `w` on its own.
    pub fn fits(&self, s: usize, w: usize) -> bool {
        let it = &self.items[s];
        it.crew_days <= self.capacity[w][it.departement]
            && it.cost_eur <= self.budget_eur
            && self.yearly_eur.get(&self.windows[w].year).is_none_or(|b| it.cost_eur <= *b)
    }

    /// Total pupil-weeks of an assignment.
    pub fn objective(&self, a: &Assignment) -> f64 {
        a.iter().enumerate().filter_map(|(s, w)| w.map(|w| self.value(s, w))).sum()
    }

    /// Crew-days used per window and département.
    pub fn used(&self, a: &Assignment) -> Vec<Vec<u32>> {
        let mut used = vec![vec![0; self.departements.len()]; self.windows.len()];
        for (s, w) in a.iter().enumerate() {
            if let Some(w) = w {
                used[*w][self.items[s].departement] += self.items[s].crew_days;
            }
        }
        used
    }

    /// Spend per calendar year [€].
    pub fn spend_by_year(&self, a: &Assignment) -> BTreeMap<i32, f64> {
        let mut out = BTreeMap::new();
        for (s, w) in a.iter().enumerate() {
            if let Some(w) = w {
                *out.entry(self.windows[*w].year).or_insert(0.0) += self.items[s].cost_eur;
            }
        }
        out
    }

    /// Every constraint an assignment breaks, one message each.
    pub fn violations(&self, a: &Assignment) -> Vec<String> {
        let mut out = Vec::new();
        let used = self.used(a);
        for (w, row) in used.iter().enumerate() {
            for (d, u) in row.iter().enumerate() {
                if *u > self.capacity[w][d] {
                    out.push(format!(
                        "{} capacity in {} exceeded: {u} of {} crew-days",
                        self.windows[w].name, self.departements[d], self.capacity[w][d]
                    ));
                }
            }
        }
        let total: f64 = a.iter().enumerate().filter(|(_, w)| w.is_some()).map(|(s, _)| self.items[s].cost_eur).sum();
        if total > self.budget_eur + 0.5 {
            out.push(format!("budget exceeded: {total:.0} € of {:.0} €", self.budget_eur));
        }
        for (y, spent) in self.spend_by_year(a) {
            if let Some(b) = self.yearly_eur.get(&y)
                && spent > b + 0.5
            {
                out.push(format!("{y} envelope exceeded: {spent:.0} € of {b:.0} €"));
            }
        }
        out
    }
}
