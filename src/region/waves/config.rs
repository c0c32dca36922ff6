//! The wave configuration (`waves.ron`): which holidays make up each wave, what eats into
//! their working days, the crews per département, the budget and its yearly envelopes.

use crate::region::calendar::{Calendar, date};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The bundled defaults (`data/waves.ron`).
pub const BUNDLED_WAVES: &str = include_str!("../../../data/waves.ron");

/// One holiday of the Zone B calendar, by school year and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowDef {
    /// School year, e.g. "2021-2022".
    pub school_year: String,
    /// Holiday, as the calendar names it, e.g. "Vacances de la Toussaint".
    pub holiday: String,
}

/// A wave: a name and its holiday windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveDef {
    /// Name, e.g. "W1".
    pub name: String,
    /// Its windows.
    pub windows: Vec<WindowDef>,
}

/// The schedule's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WavesConfig {
    /// The waves, in order.
    pub waves: Vec<WaveDef>,
    /// Summer closure of suppliers and crews, first and last day as "MM-DD".
    pub summer_closure: (String, String),
    /// Working days kept free for go-live tests before the September rentrée.
    pub golive_buffer_days: u32,
    /// The same before pupils return from the shorter holidays.
    pub short_holiday_buffer_days: u32,
    /// APs one crew installs in a working day.
    pub aps_per_crew_day: u32,
    /// Crews per département (one logistics centre each).
    pub crews: BTreeMap<String, u32>,
    /// Crews of a département not listed.
    pub default_crews: u32,
    /// Budget of the programme [€].
    pub budget_eur: f64,
    /// Optional envelope per calendar year, a wave counting in the year of its end [€].
    pub yearly_budget_eur: BTreeMap<i32, f64>,
    /// End of the value horizon: pupil-weeks are counted until this day (the end of
    /// school year 2023–24).
    pub horizon_end: String,
    /// Time limit of the solver [s]; past it the best plan found is kept and the gap
    /// reported.
    pub time_limit_s: f64,
    /// Optimality gap at which the solver may stop [%].
    pub gap_target_pct: f64,
}

fn window(year: &str, holiday: &str) -> WindowDef {
    WindowDef { school_year: year.into(), holiday: holiday.into() }
}

impl Default for WavesConfig {
    fn default() -> WavesConfig {
        let summer = |y: &str| vec![window(y, "Vacances d'Été")];
        let school_year = |y: &str| {
            ["Vacances de la Toussaint", "Vacances de Noël", "Vacances d'Hiver", "Vacances de Printemps"]
                .iter()
                .map(|h| window(y, h))
                .collect()
        };
        WavesConfig {
            waves: vec![
                WaveDef { name: "W1".into(), windows: summer("2020-2021") },
                WaveDef { name: "W2".into(), windows: school_year("2021-2022") },
                WaveDef { name: "W3".into(), windows: summer("2021-2022") },
                WaveDef { name: "W4".into(), windows: school_year("2022-2023") },
                WaveDef { name: "W5".into(), windows: summer("2022-2023") },
            ],
            summer_closure: ("08-01".into(), "08-20".into()),
            golive_buffer_days: 5,
            short_holiday_buffer_days: 1,
            aps_per_crew_day: 8,
            crews: [("Calvados", 2), ("Eure", 2), ("Manche", 1), ("Orne", 1), ("Seine-Maritime", 3)]
                .iter()
                .map(|(d, n)| (d.to_string(), *n))
                .collect(),
            default_crews: 1,
            budget_eur: 6_200_000.0,
            yearly_budget_eur: BTreeMap::new(),
            horizon_end: "2024-07-06".into(),
            time_limit_s: 60.0,
            gap_target_pct: 0.0,
        }
    }
}

/// A holiday window resolved against the calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Wave index.
    pub wave: usize,
    /// Display name, e.g. "Toussaint 2021".
    pub name: String,
    /// First day without classes.
    pub holiday_start: NaiveDate,
    /// Day pupils return: the go-live date.
    pub golive: NaiveDate,
    /// Working days available for installation, in order.
    pub days: Vec<NaiveDate>,
    /// Calendar year its wave counts in.
    pub year: i32,
    /// School weeks from go-live to the horizon [weeks].
    pub weeks: f64,
}

fn month_day(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("summer_closure {text:?}: expected \"MM-DD\"");
    let (m, d) = text.split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

fn short_name(holiday: &str, golive: NaiveDate) -> String {
    let base = holiday
        .trim_start_matches("Vacances ")
        .trim_start_matches("de la ")
        .trim_start_matches("de ")
        .trim_start_matches("d'");
    let year =
        if base == "Été" || base == "Noël" { golive.year() - i32::from(base == "Noël") } else { golive.year() };
    format!("{base} {year}")
}

impl WavesConfig {
    /// Everything wrong with the configuration, one message each.
    pub fn problems(&self, calendar: &Calendar) -> Vec<String> {
        let mut out = Vec::new();
        if self.waves.is_empty() {
            out.push("waves: at least one wave is needed".into());
        }
        for w in &self.waves {
            if w.windows.is_empty() {
                out.push(format!("wave {}: no windows", w.name));
            }
            for win in &w.windows {
                if calendar.holiday(&win.school_year, &win.holiday).is_none() {
                    out.push(format!(
                        "wave {}: the calendar has no holiday {:?} in school year {}",
                        w.name, win.holiday, win.school_year
                    ));
                }
            }
        }
        if self.aps_per_crew_day == 0 {
            out.push("aps_per_crew_day must be at least 1".into());
        }
        if !(self.budget_eur.is_finite() && self.budget_eur >= 0.0) {
            out.push(format!("budget_eur {} must be a finite amount ≥ 0", self.budget_eur));
        }
        for (y, b) in &self.yearly_budget_eur {
            if !(b.is_finite() && *b >= 0.0) {
                out.push(format!("yearly_budget_eur {y}: {b} must be a finite amount ≥ 0"));
            }
        }
        for t in [&self.summer_closure.0, &self.summer_closure.1] {
            if let Err(e) = month_day(t) {
                out.push(e);
            }
        }
        if let Err(e) = date(&self.horizon_end) {
            out.push(format!("horizon_end: {e}"));
        }
        if !(self.time_limit_s.is_finite() && self.time_limit_s > 0.0) {
            out.push(format!("time_limit_s {} must be positive", self.time_limit_s));
        }
        if !(self.gap_target_pct.is_finite() && self.gap_target_pct >= 0.0) {
            out.push(format!("gap_target_pct {} must be ≥ 0", self.gap_target_pct));
        }
        out
    }

    /// Crews of a département.
    pub fn crews_of(&self, departement: &str) -> u32 {
        self.crews.get(departement).copied().unwrap_or(self.default_crews)
    }

    /// The windows, resolved (the configuration must have no problems).
    pub fn windows(&self, calendar: &Calendar) -> Result<Vec<Window>, String> {
        let problems = self.problems(calendar);
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let closure = (month_day(&self.summer_closure.0)?, month_day(&self.summer_closure.1)?);
        let horizon = date(&self.horizon_end)?;
        let mut out = Vec::new();
        for (k, wave) in self.waves.iter().enumerate() {
            let first = out.len();
            for def in &wave.windows {
                let h = calendar.holiday(&def.school_year, &def.holiday).ok_or("unknown holiday")?;
                let summer = h.description.contains("Été");
                let mut days = calendar.working_days(h.start, h.end, closure);
                let buffer = if summer { self.golive_buffer_days } else { self.short_holiday_buffer_days };
                days.truncate(days.len().saturating_sub(buffer as usize));
                out.push(Window {
                    wave: k,
                    name: short_name(&h.description, h.end),
                    holiday_start: h.start,
                    golive: h.end,
                    days,
                    year: 0,
                    weeks: calendar.school_days(h.end, horizon) as f64 / 5.0,
                });
            }
            let year =
                out[first..].iter().map(|w: &Window| w.days.last().map_or(w.golive, |d| *d).year()).max().unwrap_or(0);
            for w in &mut out[first..] {
                w.year = year;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_waves_span_summer_2021_to_summer_2023() {
        let cal = Calendar::bundled();
        let config: WavesConfig = crate::ronfile::parse(BUNDLED_WAVES, std::path::Path::new("data/waves.ron")).unwrap();
        assert_eq!(config, WavesConfig::default(), "data/waves.ron states the defaults");
        let w = config.windows(&cal).unwrap();
        let names: Vec<_> = w.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Été 2021",
                "Toussaint 2021",
                "Noël 2021",
                "Hiver 2022",
                "Printemps 2022",
                "Été 2022",
                "Toussaint 2022",
                "Noël 2022",
                "Hiver 2023",
                "Printemps 2023",
                "Été 2023"
            ]
        );
        // Summer 2021: 26 working days outside 1–20 August, less the 5-day go-live buffer.
        assert_eq!(w[0].days.len(), 21);
        assert_eq!(*w[0].days.last().unwrap(), date("2021-08-25").unwrap());
        // Toussaint 2021: 23 Oct – 7 Nov, 1 November off, one day kept before the return.
        assert_eq!(w[1].days.len(), 10 - 1 - 1);
        assert_eq!((w[0].year, w[1].year, w[4].year, w[10].year), (2021, 2022, 2022, 2023));
        assert!(w.windows(2).all(|p| p[0].weeks > p[1].weeks), "earlier windows are worth more");
        let bad = WavesConfig {
            waves: vec![WaveDef { name: "X".into(), windows: vec![window("2030-2031", "Vacances d'Été")] }],
            ..config
        };
        assert_eq!(
            bad.problems(&cal),
            ["wave X: the calendar has no holiday \"Vacances d'Été\" in school year 2030-2031"]
        );
    }
}
