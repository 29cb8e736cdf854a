//! The label catalogue: every user-facing word of the workbook, per language. Nothing else
//! hard-codes text a manager reads; adding Dutch or French is one more `Labels` value.
//! Issue reasons are data ([`Reason`]: a key and arguments) rendered here from `<lang>.toml`.

use crate::config::Lang;
use crate::model::{Arg, Reason};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// The sentences of one language, from the `[reason]` table of `src/i18n/<lang>.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    /// Reason text by key, with `{name}` placeholders.
    reason: BTreeMap<String, String>,
}

/// The English catalogue, embedded at build time.
const EN_TOML: &str = include_str!("en.toml");

/// Parses an embedded catalogue; a broken one is a build defect that every test shows at once.
fn parse<T: serde::de::DeserializeOwned>(text: &str, code: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("src/i18n/{code}.toml is broken: {e}"))
}

/// The sentences of a language, parsed once.
pub fn messages(lang: Lang) -> &'static Messages {
    static EN_MESSAGES: OnceLock<Messages> = OnceLock::new();
    let _ = lang;
    EN_MESSAGES.get_or_init(|| parse(EN_TOML, "en"))
}

impl Messages {
    /// The reason in this language, its arguments substituted (translated phrases rendered in
    /// turn). An unknown key shows as the key and its arguments, never as a panic.
    pub fn render(&self, reason: &Reason) -> String {
        let arg = |name: &str| {
            reason
                .args
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, a)| match a {
                    Arg::Text(t) => t.clone(),
                    Arg::Reason(r) => self.render(r),
                })
        };
        match self.reason.get(reason.key) {
            Some(template) => substitute(template, arg),
            None => {
                let args: Vec<String> = reason
                    .args
                    .iter()
                    .map(|(n, _)| format!("{n}={}", arg(n).unwrap_or_default()))
                    .collect();
                format!("{} ({})", reason.key, args.join(", "))
            }
        }
    }

    /// Every reason key of the catalogue.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.reason.keys().map(String::as_str)
    }
}

/// `template` with each `{name}` replaced by `arg(name)`; braces that name no argument stay.
/// One pass over the template: substituted values are never scanned again.
pub fn substitute(template: &str, arg: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, arg(&after[..close])?)))
        {
            Some((close, value)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// English, as in logs, tests and `ReadError`'s own text.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&messages(Lang::En).render(self))
    }
}

/// All workbook labels of one language.
#[derive(Debug)]
pub struct Labels {
    /// Sheet names.
    pub sheet_dashboard: &'static str,
    /// Sheet name.
    pub sheet_actions: &'static str,
    /// Sheet name.
    pub sheet_plan_quality: &'static str,
    /// Sheet name.
    pub sheet_kpi: &'static str,
    /// Prefix of data sheets (`Data – actions`).
    pub sheet_data_prefix: &'static str,
    /// Sheet name.
    pub sheet_issues: &'static str,
    /// Dashboard title.
    pub title: &'static str,
    /// "Reporting month".
    pub reporting_month: &'static str,
    /// "As of".
    pub as_of: &'static str,
    /// "Source files".
    pub source_files: &'static str,
    /// "unreadable".
    pub unreadable: &'static str,
    /// Headline section title.
    pub headline: &'static str,
    /// Column headers of the headline table.
    pub headline_columns: [&'static str; 5],
    /// KPI display names, by KPI id.
    pub kpi_names: &'static [(&'static str, &'static str)],
    /// RAG and status words by machine name.
    pub status_names: &'static [(&'static str, &'static str)],
    /// Action class names by machine name.
    pub class_names: &'static [(&'static str, &'static str)],
    /// Section: rate per owner.
    pub by_owner: &'static str,
    /// Section: rate per objective.
    pub by_objective: &'static str,
    /// Section: overdue and late actions.
    pub overdue_late: &'static str,
    /// Section: rescheduled actions.
    pub rescheduled: &'static str,
    /// Headers of the per-owner table.
    pub owner_columns: [&'static str; 10],
    /// Headers of the per-objective table.
    pub objective_columns: [&'static str; 10],
    /// Headers of the overdue/late list.
    pub late_columns: [&'static str; 8],
    /// Headers of the rescheduled list.
    pub rescheduled_columns: [&'static str; 8],
    /// "of" in "7 of 16 assessable actions".
    pub basis_of: &'static str,
    /// Section: SMART completeness per owner.
    pub smart_by_owner: &'static str,
    /// Headers of the SMART per-owner table.
    pub smart_columns: [&'static str; 5],
    /// Section: incomplete actions.
    pub incomplete_actions: &'static str,
    /// Headers of the incomplete list.
    pub incomplete_columns: [&'static str; 4],
    /// Headers of the KPI sheet.
    pub kpi_columns: [&'static str; 9],
    /// Headers of the Issues sheet.
    pub issue_columns: [&'static str; 6],
    /// Shown in an empty list.
    pub nothing: &'static str,
    /// Chart title: on-time rate per owner.
    pub chart_on_time_by_owner: &'static str,
    /// Explanation under the dashboard.
    pub dashboard_note: &'static str,
    /// "errors", "warnings" (issue counts on the dashboard).
    pub issue_counts: &'static str,
    /// Placeholder for a missing key.
    pub none_key: &'static str,
    /// Sheet name.
    pub sheet_indicators: &'static str,
    /// Sheet name.
    pub sheet_satisfaction: &'static str,
    /// Sheet name.
    pub sheet_proposals: &'static str,
    /// Headers of the Indicators table.
    pub indicator_columns: [&'static str; 12],
    /// Trend words.
    pub better: &'static str,
    /// Trend words.
    pub worse: &'static str,
    /// Trend words.
    pub same: &'static str,
    /// Polarity words by machine name.
    pub polarity_names: &'static [(&'static str, &'static str)],
    /// "Month".
    pub month: &'static str,
    /// "All channels".
    pub all_channels: &'static str,
    /// "Answers".
    pub answers: &'static str,
    /// "Year to date".
    pub year_to_date: &'static str,
    /// Explains greyed rates.
    pub low_n_note: &'static str,
    /// Chart title: satisfaction per month.
    pub chart_satisfaction: &'static str,
    /// Headers of the proposal KPI table.
    pub proposal_kpi_columns: [&'static str; 4],
    /// Headers of the proposal list.
    pub proposal_columns: [&'static str; 8],
    /// "yes".
    pub yes: &'static str,
    /// "no".
    pub no: &'static str,
    /// Tile labels for the indicator counts (green, amber, red).
    pub indicator_tiles: [&'static str; 3],
    /// Sheet name.
    pub sheet_absence: &'static str,
    /// "Directorate".
    pub directorate: &'static str,
    /// Column headers of the absence matrix.
    pub rolling_12m: &'static str,
    /// Column header.
    pub vs_year_before: &'static str,
    /// Column header.
    pub trend: &'static str,
    /// Row label for the organisation.
    pub whole_organisation: &'static str,
    /// Section title.
    pub absence_matrix: &'static str,
    /// "Measure".
    pub measure: &'static str,
    /// Note under the organisation table.
    pub absence_note: &'static str,
    /// Chart title.
    pub chart_absence: &'static str,
    /// Trend words by machine name.
    pub trend_names: &'static [(&'static str, &'static str)],
}

impl Labels {
    /// Display name of a KPI id, by its registry label key (the id itself when no label exists).
    pub fn kpi(&self, id: &str) -> String {
        let key = crate::kpi::registry::kpi_def(id).map_or(id, |k| k.label_key);
        lookup(self.kpi_names, key)
    }

    /// Display text of a group key: the key itself, or the "no value" label for
    /// [`crate::kpi::NO_KEY`].
    pub fn key(&self, key: &str) -> String {
        if key == crate::kpi::NO_KEY {
            self.none_key.to_string()
        } else {
            key.to_string()
        }
    }

    /// Display word for a RAG colour or status.
    pub fn status(&self, s: &str) -> String {
        lookup(self.status_names, s)
    }

    /// Display word for a trend label.
    pub fn trend_word(&self, t: &str) -> String {
        lookup(self.trend_names, t)
    }

    /// Display word for a polarity.
    pub fn polarity(&self, p: &str) -> String {
        lookup(self.polarity_names, p)
    }

    /// Display name of an action class.
    pub fn class(&self, c: &str) -> String {
        lookup(self.class_names, c)
    }
}

fn lookup(table: &[(&str, &str)], key: &str) -> String {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_string(), |(_, v)| v.to_string())
}

/// English labels.
pub static EN: Labels = Labels {
    sheet_dashboard: "Dashboard",
    sheet_actions: "Actions",
    sheet_plan_quality: "Plan quality",
    sheet_kpi: "KPI",
    sheet_data_prefix: "Data – ",
    sheet_issues: "Issues",
    title: "Operational plan — monthly KPI report",
    reporting_month: "Reporting month",
    as_of: "As of",
    source_files: "Source files",
    unreadable: "unreadable",
    headline: "Headline indicators",
    headline_columns: ["Indicator", "Value", "Status", "vs last month", "Basis"],
    kpi_names: &[
        ("actions_on_time_rate", "Actions realised on time"),
        ("actions_on_time", "Actions done on time"),
        ("actions_late", "Actions done late"),
        ("actions_overdue", "Overdue actions"),
        ("actions_open", "Open actions (deadline not reached)"),
        ("actions_continuous", "Continuous / recurring actions"),
        ("actions_cancelled", "Cancelled actions"),
        ("actions_undated", "Actions without a deadline"),
        ("actions_done_undated", "Done without completion date"),
        ("actions_unknown_status", "Actions with an unknown status"),
        ("actions_rescheduled", "Rescheduled actions"),
        ("actions_overdue_share", "Unfinished actions past their deadline"),
        ("plan_smart_rate", "SMART-complete actions"),
        ("indicator_attainment", "Attainment of the target"),
        ("satisfaction_rate", "Satisfied users"),
        ("proposals_submitted", "Optimisation proposals submitted"),
        ("proposals_smart_rate", "SMART proposals"),
        ("proposals_savings_realised", "Savings realised (€)"),
        ("proposals_savings_rate", "Savings realised / planned"),
        ("absence_rate", "Absence rate"),
        ("absence_rate_12m", "Absence rate, rolling 12 months"),
        ("absence_rate_yoy", "Absence rate vs a year before"),
        ("absence_trend", "Absence trend"),
        ("absence_frequency", "Absence spells per FTE"),
        ("absence_avg_duration", "Mean spell duration (days)"),
        ("absence_short_rate", "Absence rate, spells up to 30 days"),
        ("absence_medium_rate", "Absence rate, spells of 31–365 days"),
        ("absence_long_rate", "Absence rate, spells over a year"),
        ("absence_zero_share", "Staff without absence this year"),
    ],
    status_names: &[("green", "On target"), ("amber", "Watch"), ("red", "Off target"), ("grey", "No data"), ("low_n", "Few answers")],
    class_names: &[
        ("on_time", "On time"),
        ("late", "Late"),
        ("overdue", "Overdue"),
        ("open", "Open"),
        ("continuous", "Continuous"),
        ("undated", "No deadline"),
        ("done_undated", "Done, no date"),
        ("cancelled", "Cancelled"),
        ("unknown", "Unknown status"),
    ],
    by_owner: "Actions realised on time, per directorate",
    by_objective: "Actions realised on time, per objective",
    overdue_late: "Overdue and late actions (most days late first)",
    rescheduled: "Rescheduled actions (deadline moved since first agreed)",
    owner_columns: ["Directorate", "On-time rate", "Status", "On time", "Late", "Overdue", "Open", "Continuous", "No deadline", "Cancelled"],
    objective_columns: ["Objective", "On-time rate", "Status", "On time", "Late", "Overdue", "Open", "Continuous", "No deadline", "Cancelled"],
    late_columns: ["Action", "Directorate", "Agreed deadline", "Reported deadline", "Completed on", "Situation", "Days late", "Source"],
    rescheduled_columns: ["Action", "Directorate", "Agreed deadline", "Reported deadline", "Completed on", "Situation", "Days moved", "Source"],
    basis_of: "of",
    smart_by_owner: "SMART completeness per directorate (title, measure point, owner, deadline)",
    smart_columns: ["Directorate", "Share complete", "Complete", "Actions", "Missing most"],
    incomplete_actions: "Actions missing an element",
    incomplete_columns: ["Action", "Missing", "Directorate", "Source"],
    kpi_columns: ["KPI", "Name", "Scope", "Key", "Period", "Numerator", "Denominator", "Value", "Status"],
    issue_columns: ["File", "Sheet", "Cell", "Value", "Severity", "Reason"],
    nothing: "Nothing to report",
    chart_on_time_by_owner: "Actions realised on time per directorate",
    dashboard_note: "On time = done on or before the deadline first agreed; the rate counts on-time, late and overdue actions (continuous, open and cancelled actions are left out). See docs/kpis.md.",
    issue_counts: "Data issues (errors · warnings)",
    none_key: "(none)",
    sheet_indicators: "Indicators",
    sheet_satisfaction: "Satisfaction",
    sheet_proposals: "Proposals",
    indicator_columns: ["Indicator", "Objective", "Directorate", "Unit", "Latest period", "Actual", "Target", "Direction", "Attainment", "Status", "Last change", "History"],
    better: "better",
    worse: "worse",
    same: "unchanged",
    polarity_names: &[("higher", "higher is better"), ("lower", "lower is better")],
    month: "Month",
    all_channels: "All channels",
    answers: "Answers",
    year_to_date: "Year to date",
    low_n_note: "Grey: fewer answers than needed for a reliable rate, n <",
    chart_satisfaction: "Satisfied users per month (all channels)",
    proposal_kpi_columns: ["Indicator", "Value", "Plan year", "Basis"],
    proposal_columns: ["Proposal", "Title", "Submitted on", "SMART", "Planned savings (€)", "Realised savings (€)", "Status", "Counts this year"],
    yes: "yes",
    no: "no",
    indicator_tiles: ["Indicators on target", "Indicators to watch", "Indicators off target"],
    sheet_absence: "Absenteeism",
    directorate: "Directorate",
    rolling_12m: "12 months",
    vs_year_before: "vs year before",
    trend: "Trend (12 months)",
    whole_organisation: "Whole organisation",
    absence_matrix: "Sick days over workable days, per directorate and month",
    measure: "Measure",
    absence_note: "The organisation's rate is Σ sick days / Σ workable days over all directorates, never a mean of their rates. Working days: Monday–Friday minus Belgian public holidays.",
    chart_absence: "Absence rate per month and over the last 12 months",
    trend_names: &[("improving", "improving"), ("worsening", "worsening"), ("stable", "stable")],
};

/// The labels of a language (`nl` and `fr` fall back to English until their catalogues exist).
pub fn labels(lang: crate::config::Lang) -> &'static Labels {
    let _ = lang;
    &EN
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::registry::KPIS;

    #[test]
    fn reasons_substitute_named_arguments_and_translated_phrases() {
        let r = Reason::new("cell_unreadable")
            .arg("value", "{what} gisteren")
            .phrase("what", Reason::new("expected_date"));
        assert_eq!(
            r.to_string(),
            "cannot read “{what} gisteren” as a date; value left empty"
        );
        assert_eq!(
            Reason::new("no_such_key").arg("n", 3).to_string(),
            "no_such_key (n=3)"
        );
        assert_eq!(
            substitute("{a} {b} {", |n| (n == "a").then(|| "x".into())),
            "x {b} {"
        );
    }

    /// Every key given to `Reason::new` in the sources exists in the catalogue, so no
    /// reader ever sees a bare key.
    #[test]
    fn every_reason_key_in_the_code_is_in_the_catalogue() {
        let en = messages(Lang::En);
        let known: Vec<&str> = en.keys().collect();
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (i, _) in text.match_indices("Reason::new(\"") {
                let rest = &text[i + "Reason::new(\"".len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if key != "no_such_key" && !known.contains(&key) {
                    missing.push(format!("{}: {key}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys without text: {missing:?}");
    }

    #[test]
    fn every_registered_kpi_has_a_display_name() {
        for k in KPIS {
            assert!(
                EN.kpi_names.iter().any(|(key, _)| *key == k.label_key),
                "no label for {}",
                k.id
            );
        }
        assert_eq!(EN.kpi("indicator_attainment"), "Attainment of the target");
    }
}
