//! Who sent what: the directorates each file's actions name and the date it reports, and the
//! report dates of each directorate — taken before the snapshot merge keeps one row per action,
//! so that a file whose every action was superseded still says whom it came from.

use super::snapshots::ReportDates;
use super::Table;
use crate::config::ExpectedSettings;
use crate::model::Value;
use crate::parse::fold_key;
use crate::schema::{column, Col};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const OWNER: Col = column("actions", "owner");

/// The senders of the actions, by file and by directorate.
#[derive(Debug, Clone, Default)]
pub struct Senders {
    /// Per file (as shown): the directorates its action rows name, in the order met, and the
    /// latest report date of its rows (the `report_date` column, else its name's month).
    pub files: BTreeMap<String, (Vec<String>, Option<NaiveDate>)>,
    /// Per directorate: the report dates of its action rows on or before the as-of date.
    pub reports: BTreeMap<String, BTreeSet<NaiveDate>>,
}

impl Senders {
    /// Reads the senders off the actions table before the merge (group values already
    /// written one way). Rows reported after `as_of` are not this report's: they are left out
    /// of `reports`, as the merge leaves them out.
    pub(super) fn of(actions: &Table, as_of: Option<NaiveDate>) -> Senders {
        let mut out = Senders::default();
        let mut dates = ReportDates::default();
        let mut last: Option<(&str, &str)> = None;
        for row in &actions.rows {
            let owner = match row.values.get(OWNER.index) {
                Some(Value::Text(t)) => t.as_str(),
                _ => "",
            };
            let date = dates.of(actions.kind, row);
            let file = row.origin.file();
            let entry = out.files.entry(file.to_string()).or_default();
            entry.1 = entry.1.max(date);
            if last == Some((file, owner)) {
                // A file's rows name the same directorate one after another: known already.
            } else if !owner.is_empty() && !entry.0.iter().any(|o| o == owner) {
                entry.0.push(owner.to_string());
            }
            last = Some((file, owner));
            if let (false, Some(d)) = (owner.is_empty(), date) {
                if as_of.is_none_or(|a| d <= a) {
                    out.reports.entry(owner.to_string()).or_default().insert(d);
                }
            }
        }
        out
    }
}

/// An expected directorate whose scoreboard of the month is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The directorate.
    pub directorate: String,
    /// Its latest report date on or before the as-of date (its rows of then still count), or
    /// none: nothing of it at all.
    pub latest: Option<NaiveDate>,
}

/// Who was expected to report this month and has not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// Whether the expected directorates are the config's `[expected]` list (else: those that
    /// reported in the three months before the reporting month).
    pub configured: bool,
    /// Expected directorates that sent nothing for the month, or only an older snapshot.
    pub missing: Vec<Missing>,
}

impl Senders {
    /// The expected directorates missing in the month of `as_of`: those `settings` lists, else
    /// those that reported in the three months before that month; each one whose latest report
    /// falls before the month (its older rows still count) or that never reported.
    pub fn expected(&self, as_of: NaiveDate, settings: &ExpectedSettings) -> Expected {
        let Some(month_start) = as_of.with_day(1) else {
            return Expected::default();
        };
        let latest_of = |name: &str| -> Option<NaiveDate> {
            let key = fold_key(name);
            self.reports
                .iter()
                .filter(|(owner, _)| fold_key(owner) == key)
                .filter_map(|(_, dates)| dates.range(..=as_of).next_back().copied())
                .max()
        };
        let configured = !settings.directorates.is_empty();
        let expected: Vec<String> = if configured {
            settings.directorates.clone()
        } else {
            let since = month_start
                .checked_sub_months(Months::new(3))
                .unwrap_or(month_start);
            self.reports
                .iter()
                .filter(|(_, dates)| dates.range(since..month_start).next().is_some())
                .map(|(owner, _)| owner.clone())
                .collect()
        };
        let missing = expected
            .into_iter()
            .filter_map(|directorate: String| {
                let latest = latest_of(&directorate);
                latest.is_none_or(|d| d < month_start).then_some(Missing {
                    directorate,
                    latest,
                })
            })
            .collect();
        Expected {
            configured,
            missing,
        }
    }
}
