//! The school calendar: Zone B pupils' holidays (Normandie) and French public holidays,
//! and the day counts the schedule needs — working days inside a window (weekdays that
//! are not public holidays nor in the summer closure) and school days (weekdays outside
//! every holiday).

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// A holiday of the pupils: classes stop before `start` and resume on `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// School year, e.g. "2021-2022".
    pub school_year: String,
    /// Name, e.g. "Vacances de la Toussaint".
    pub description: String,
    /// First day without classes.
    pub start: NaiveDate,
    /// Day classes resume.
    pub end: NaiveDate,
}

/// Holidays and public holidays.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    /// Pupils' holidays, by start date.
    pub holidays: Vec<Holiday>,
    /// Public holidays.
    pub public: BTreeSet<NaiveDate>,
}

/// The bundled Zone B holidays 2020-21 to 2023-24 (`data/vacances-zone-b.csv`).
pub const BUNDLED_HOLIDAYS: &str = include_str!("../../data/vacances-zone-b.csv");
/// The bundled French public holidays 2021–2024 (`data/jours-feries.csv`).
pub const BUNDLED_PUBLIC_HOLIDAYS: &str = include_str!("../../data/jours-feries.csv");

/// Parses an ISO date.
pub fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// Parses the two CSV files (`school_year,description,start,end` and `date,name`).
    pub fn parse(holidays: &str, public: &str) -> Result<Calendar, String> {
        let mut out = Vec::new();
        for (i, r) in csv::Reader::from_reader(holidays.as_bytes()).records().enumerate() {
            let r = r.map_err(|e| format!("holidays line {}: {e}", i + 2))?;
            let field = |k: usize| r.get(k).ok_or_else(|| format!("holidays line {}: missing column {}", i + 2, k + 1));
            out.push(Holiday {
                school_year: field(0)?.to_string(),
                description: field(1)?.to_string(),
                start: date(field(2)?).map_err(|e| format!("holidays line {}: {e}", i + 2))?,
                end: date(field(3)?).map_err(|e| format!("holidays line {}: {e}", i + 2))?,
            });
        }
        out.sort_by_key(|h| h.start);
        let mut days = BTreeSet::new();
        for (i, r) in csv::Reader::from_reader(public.as_bytes()).records().enumerate() {
            let r = r.map_err(|e| format!("public holidays line {}: {e}", i + 2))?;
            days.insert(date(r.get(0).unwrap_or("")).map_err(|e| format!("public holidays line {}: {e}", i + 2))?);
        }
        Ok(Calendar { holidays: out, public: days })
    }

    /// The bundled calendar.
    pub fn bundled() -> Calendar {
        Calendar::parse(BUNDLED_HOLIDAYS, BUNDLED_PUBLIC_HOLIDAYS).expect("the bundled calendar parses")
    }

    /// The holiday of a school year with this name.
    pub fn holiday(&self, school_year: &str, description: &str) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.school_year == school_year && h.description == description)
    }

    /// Whether pupils have classes on `d`.
    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        is_weekday(d) && !self.public.contains(&d) && !self.holidays.iter().any(|h| h.start <= d && d < h.end)
    }

    /// School days in [from, to).
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> usize {
        from.iter_days().take_while(|d| *d < to).filter(|d| self.is_school_day(*d)).count()
    }

    /// Working days in [start, end): weekdays that are not public holidays nor in the
    /// summer closure (month, day) … (month, day) inclusive.
    pub fn working_days(&self, start: NaiveDate, end: NaiveDate, closure: ((u32, u32), (u32, u32))) -> Vec<NaiveDate> {
        let closed = |d: NaiveDate| {
            let md = (d.month(), d.day());
            closure.0 <= md && md <= closure.1
        };
        start
            .iter_days()
            .take_while(|d| *d < end)
            .filter(|d| is_weekday(*d) && !self.public.contains(d) && !closed(*d))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_calendar_knows_zone_b_and_public_holidays() {
        let c = Calendar::bundled();
        let summer = c.holiday("2020-2021", "Vacances d'Été").unwrap();
        assert_eq!((summer.start, summer.end), (date("2021-07-06").unwrap(), date("2021-09-02").unwrap()));
        assert!(c.public.contains(&date("2022-05-26").unwrap()), "Ascension 2022");
        assert!(c.public.contains(&date("2023-04-10").unwrap()), "Easter Monday 2023");
        // Summer 2021: 42 weekdays 6 July – 1 September, minus 14 July, minus the 15
        // weekdays of 1–20 August (15 August is a Sunday).
        let days = c.working_days(summer.start, summer.end, ((8, 1), (8, 20)));
        assert_eq!(days.len(), 42 - 1 - 15);
        assert!(!c.is_school_day(date("2021-11-01").unwrap()) && c.is_school_day(date("2021-11-09").unwrap()));
    }
}
