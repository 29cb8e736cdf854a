//! The working-day calendar: Monday to Friday minus the Belgian public holidays of a preset
//! (Easter-based ones computed for any year) and the organisation's own closing days.

use crate::config::CalendarSettings;
pub use crate::config::Preset;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// A working-day calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    preset: Preset,
    closing_days: BTreeSet<NaiveDate>,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl Calendar {
    /// A calendar from a preset and extra closing days.
    pub fn new(preset: Preset, closing_days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            preset,
            closing_days: closing_days.into_iter().collect(),
        }
    }

    /// The calendar a run's `[calendar]` settings describe.
    pub fn from_settings(settings: &CalendarSettings) -> Self {
        Calendar::new(settings.preset, settings.closing_days.iter().copied())
    }

    /// The public holidays of a year, in date order (closing days not included).
    pub fn holidays(&self, year: i32) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = [
            (1, 1),
            (5, 1),
            (7, 21),
            (8, 15),
            (11, 1),
            (11, 11),
            (12, 25),
        ]
        .iter()
        .filter_map(|(m, d)| ymd(year, *m, *d))
        .collect();
        if let Ok(easter) = computus::gregorian_naive(year) {
            // Easter Monday, Ascension Day (Thursday, 39 days after Easter), Whit Monday (+50).
            days.extend(
                [1, 39, 50]
                    .iter()
                    .filter_map(|n| easter.checked_add_days(Days::new(*n))),
            );
        }
        match self.preset {
            Preset::Be => {}
            Preset::BeBrussels => days.extend(ymd(year, 5, 8)),
            Preset::BeFederal => days.extend(
                [(11, 2), (11, 15), (12, 26)]
                    .iter()
                    .filter_map(|(m, d)| ymd(year, *m, *d)),
            ),
        }
        days.sort();
        days.dedup();
        days
    }

    /// Whether a day is worked: a weekday that is neither a holiday nor a closing day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.closing_days.contains(&day)
            && !self.holidays(day.year()).contains(&day)
    }

    /// Every working day from `from` to `to`, both included.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut year = i32::MIN;
        let mut holidays = Vec::new();
        let mut day = from;
        while day <= to {
            if day.year() != year {
                year = day.year();
                holidays = self.holidays(year);
            }
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
                && !holidays.contains(&day)
                && !self.closing_days.contains(&day)
            {
                out.push(day);
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        out
    }

    /// Number of working days in a month.
    pub fn working_days_in_month(&self, year: i32, month: u32) -> u32 {
        let Some(first) = ymd(year, month, 1) else {
            return 0;
        };
        let last = first
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        self.working_days(first, last).len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn belgian_holidays_2024_2025_2026() {
        let be = Calendar::new(Preset::Be, []);
        assert_eq!(
            be.holidays(2024),
            vec![
                d(2024, 1, 1),
                d(2024, 4, 1),
                d(2024, 5, 1),
                d(2024, 5, 9),
                d(2024, 5, 20),
                d(2024, 7, 21),
                d(2024, 8, 15),
                d(2024, 11, 1),
                d(2024, 11, 11),
                d(2024, 12, 25)
            ]
        );
        assert_eq!(
            be.holidays(2025),
            vec![
                d(2025, 1, 1),
                d(2025, 4, 21),
                d(2025, 5, 1),
                d(2025, 5, 29),
                d(2025, 6, 9),
                d(2025, 7, 21),
                d(2025, 8, 15),
                d(2025, 11, 1),
                d(2025, 11, 11),
                d(2025, 12, 25)
            ]
        );
        assert_eq!(
            be.holidays(2026),
            vec![
                d(2026, 1, 1),
                d(2026, 4, 6),
                d(2026, 5, 1),
                d(2026, 5, 14),
                d(2026, 5, 25),
                d(2026, 7, 21),
                d(2026, 8, 15),
                d(2026, 11, 1),
                d(2026, 11, 11),
                d(2026, 12, 25)
            ]
        );
    }

    #[test]
    fn presets_add_their_days() {
        let brussels = Calendar::new(Preset::BeBrussels, []);
        assert!(brussels.holidays(2025).contains(&d(2025, 5, 8)));
        assert_eq!(brussels.holidays(2025).len(), 11);
        let federal = Calendar::new(Preset::BeFederal, []);
        let h = federal.holidays(2025);
        assert!(
            h.contains(&d(2025, 11, 2))
                && h.contains(&d(2025, 11, 15))
                && h.contains(&d(2025, 12, 26))
        );
        assert_eq!(h.len(), 13);
    }

    #[test]
    fn working_days_per_month() {
        let be = Calendar::new(Preset::Be, []);
        // April 2025: 22 weekdays, Easter Monday 21/04 → 21.
        assert_eq!(be.working_days_in_month(2025, 4), 21);
        // May 2025: 22 weekdays, 1 May (Thu), Ascension 29 May (Thu) → 20.
        assert_eq!(be.working_days_in_month(2025, 5), 20);
        // March 2025: 21 weekdays, no holiday.
        assert_eq!(be.working_days_in_month(2025, 3), 21);
        // A closing day on a weekday counts; on a Saturday it changes nothing.
        let closed = Calendar::new(Preset::Be, [d(2025, 3, 14), d(2025, 3, 15)]);
        assert_eq!(closed.working_days_in_month(2025, 3), 20);
        assert!(!closed.is_working_day(d(2025, 3, 14)));
        assert!(be.is_working_day(d(2025, 3, 14)));
    }
}
