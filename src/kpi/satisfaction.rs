//! User satisfaction (spec 5.4, seed 004 transversal objective 1 and OPTIris KPI 3): satisfied /
//! responses per month, overall and per channel, and year to date — weighted by responses.

use super::{floats, strings, Figure, Kpi, KpiRow, Periods, NO_KEY};
use crate::config::Settings;
use crate::consolidate::{Consolidated, Table};
use crate::model::epoch_days;
use crate::model::{Grain, Issue, Reason, Severity, Value};
use crate::parse::{normalize, parse_number_text, NO_OPINION};
use crate::schema::{column, Col};
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::collections::HashMap;

const AGG_PERIOD: Col = column("satisfaction", "period");
const AGG_CHANNEL: Col = column("satisfaction", "channel");
const AGG_RESPONSES: Col = column("satisfaction", "responses");
const AGG_SATISFIED: Col = column("satisfaction", "satisfied");
const SCORE_PERIOD: Col = column("satisfaction_scores", "period");
const SCORE_CHANNEL: Col = column("satisfaction_scores", "channel");
const SCORE: Col = column("satisfaction_scores", "score");
const SCORE_SCALE: Col = column("satisfaction_scores", "scale");

/// Below this many answers a rate carries the status `low_n`.
pub const LOW_N: f64 = 30.0;

/// The satisfaction rates, per month and year to date, and the issues found while reading raw
/// scores.
#[derive(Debug, Default)]
pub struct SatisfactionResult {
    /// The whole organisation per month (`YYYY-MM`) up to A, in order.
    pub months: Vec<(String, Figure)>,
    /// Each channel (in key order) and its months.
    pub channels: Vec<(String, Vec<(String, Figure)>)>,
    /// The plan year `YYYY`, the period of the year-to-date rates.
    pub year: String,
    /// The whole organisation since 1 January (none without an answer this year).
    pub ytd: Option<Figure>,
    /// Each channel since 1 January, in key order.
    pub ytd_by_channel: Vec<(String, Figure)>,
    /// Unreadable scores, periods that are no month.
    pub issues: Vec<Issue>,
}

impl SatisfactionResult {
    /// The rows of the KPI table: the months, each channel's months, the year to date.
    pub fn rows(&self) -> Vec<KpiRow> {
        let rate = Kpi::SatisfactionRate;
        let mut rows: Vec<KpiRow> = self
            .months
            .iter()
            .map(|(m, f)| f.row(rate, "all", "", m))
            .collect();
        for (channel, months) in &self.channels {
            rows.extend(
                months
                    .iter()
                    .map(|(m, f)| f.row(rate, "channel", channel, m)),
            );
        }
        rows.extend(self.ytd.iter().map(|f| f.row(rate, "all", "", &self.year)));
        rows.extend(
            self.ytd_by_channel
                .iter()
                .map(|(c, f)| f.row(rate, "channel", c, &self.year)),
        );
        rows
    }

    /// The rate of a channel in a month, if it had answers.
    pub fn channel_month(&self, channel: &str, month: &str) -> Option<&Figure> {
        self.channels
            .iter()
            .find(|(c, _)| c == channel)
            .and_then(|(_, months)| months.iter().find(|(m, _)| m == month))
            .map(|(_, f)| f)
    }
}

/// One month of one channel, before aggregation.
struct Answer {
    month: NaiveDate,
    channel: Option<String>,
    responses: f64,
    satisfied: f64,
}

fn month_of(table: &Table, r: usize, period: Col, issues: &mut Vec<Issue>) -> Option<NaiveDate> {
    match table.get(r, period) {
        Value::Period(p) if p.grain == Grain::Month => Some(p.start),
        Value::Period(p) => {
            let row = &table.rows[r];
            issues.push(Issue::at_column(
                &row.origin,
                period.index,
                p.to_string(),
                Severity::Error,
                Reason::new("satisfaction_needs_month"),
            ));
            None
        }
        _ => None,
    }
}

fn aggregated(table: &Table, out: &mut Vec<Answer>, issues: &mut Vec<Issue>) {
    for r in 0..table.rows.len() {
        let Some(month) = month_of(table, r, AGG_PERIOD, issues) else {
            continue;
        };
        out.push(Answer {
            month,
            channel: table.get(r, AGG_CHANNEL).as_text().map(str::to_string),
            responses: table.get(r, AGG_RESPONSES).as_number().unwrap_or(0.0),
            satisfied: table.get(r, AGG_SATISFIED).as_number().unwrap_or(0.0),
        });
    }
}

/// Raw answers: "no opinion" is left out of the denominator (not an issue); the scale is the row's,
/// else the config's, else 10 when any score of the sheet exceeds 5, else 5 (top-2-box: ≥ 4 or ≥ 8).
fn raw(table: &Table, settings: &Settings, out: &mut Vec<Answer>, issues: &mut Vec<Issue>) {
    let scores: Vec<Option<f64>> = (0..table.rows.len())
        .map(|r| {
            let text = table.get(r, SCORE).as_text().unwrap_or_default();
            let n = normalize(text);
            if n.is_empty() || NO_OPINION.contains(&n.as_str()) {
                return None;
            }
            match parse_number_text(text) {
                Some(p) => Some(p.value),
                None => {
                    let row = &table.rows[r];
                    issues.push(Issue::at_column(
                        &row.origin,
                        SCORE.index,
                        text,
                        Severity::Error,
                        Reason::new("score_unreadable"),
                    ));
                    None
                }
            }
        })
        .collect();
    let mut sheet_scale: HashMap<(&str, &str), f64> = HashMap::new();
    for (r, s) in scores.iter().enumerate() {
        let o = &table.rows[r].origin;
        let e = sheet_scale.entry((o.file(), o.sheet())).or_insert(5.0);
        if s.is_some_and(|v| v > 5.0) {
            *e = 10.0;
        }
    }
    for (r, score) in scores.into_iter().enumerate() {
        let Some(score) = score else { continue };
        let Some(month) = month_of(table, r, SCORE_PERIOD, issues) else {
            continue;
        };
        let o = &table.rows[r].origin;
        let scale = table
            .get(r, SCORE_SCALE)
            .as_number()
            .or(settings.satisfaction.scale.map(f64::from))
            .unwrap_or_else(|| {
                sheet_scale
                    .get(&(o.file(), o.sheet()))
                    .copied()
                    .unwrap_or(5.0)
            });
        if !(0.0..=scale).contains(&score) {
            issues.push(Issue::at_column(
                o,
                SCORE.index,
                score.to_string(),
                Severity::Error,
                Reason::new("score_out_of_scale").arg("scale", scale),
            ));
            continue;
        }
        let top_two = if scale > 5.0 { 8.0 } else { 4.0 };
        out.push(Answer {
            month,
            channel: table.get(r, SCORE_CHANNEL).as_text().map(str::to_string),
            responses: 1.0,
            satisfied: if score >= top_two { 1.0 } else { 0.0 },
        });
    }
}

/// The rates of a frame of sums: (key, period, rate) per row, `low_n` below [`LOW_N`] answers.
fn rates(
    df: &DataFrame,
    key_col: Option<&str>,
    period_col: &str,
) -> PolarsResult<Vec<(String, String, Figure)>> {
    let periods = strings(df, period_col)?;
    let keys = match key_col {
        Some(k) => strings(df, k)?,
        None => vec![None; df.height()],
    };
    let (sat, resp) = (floats(df, "satisfied")?, floats(df, "responses")?);
    Ok((0..df.height())
        .map(|i| {
            let (num, den) = (sat[i].unwrap_or(0.0), resp[i].unwrap_or(0.0));
            let figure = Figure {
                numerator: Some(num),
                denominator: Some(den),
                value: (den > 0.0).then(|| num / den),
                status: if den < LOW_N {
                    "low_n".into()
                } else {
                    String::new()
                },
            };
            (
                keys[i].clone().unwrap_or_default(),
                periods[i].clone().unwrap_or_default(),
                figure,
            )
        })
        .collect())
}

/// Computes `satisfaction_rate` per month up to A (all, channel) and year to date (period `YYYY`).
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(
    cons: &Consolidated,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<SatisfactionResult> {
    let mut answers = Vec::new();
    let mut issues = Vec::new();
    if let Some(t) = cons.table("satisfaction") {
        aggregated(t, &mut answers, &mut issues);
    }
    if let Some(t) = cons.table("satisfaction_scores") {
        raw(t, settings, &mut answers, &mut issues);
    }
    let mut out = SatisfactionResult {
        year: periods.as_of.year().to_string(),
        ..SatisfactionResult::default()
    };
    if answers.is_empty() {
        out.issues = issues;
        return Ok(out);
    }
    let df = DataFrame::new(
        answers.len(),
        vec![
            Column::new(
                "month".into(),
                answers
                    .iter()
                    .map(|a| a.month.format("%Y-%m").to_string())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "start".into(),
                answers
                    .iter()
                    .map(|a| epoch_days(a.month))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "channel".into(),
                answers
                    .iter()
                    .map(|a| a.channel.clone().unwrap_or_else(|| NO_KEY.into()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "responses".into(),
                answers.iter().map(|a| a.responses).collect::<Vec<_>>(),
            ),
            Column::new(
                "satisfied".into(),
                answers.iter().map(|a| a.satisfied).collect::<Vec<_>>(),
            ),
        ],
    )?;
    let year_start = NaiveDate::from_ymd_opt(periods.as_of.year(), 1, 1).unwrap_or(periods.as_of);
    let upto = df
        .lazy()
        .filter(col("start").lt_eq(lit(epoch_days(periods.as_of))));
    let sums = [col("responses").sum(), col("satisfied").sum()];
    let sorted =
        |lf: LazyFrame, by: Vec<&str>| lf.sort(by, SortMultipleOptions::default()).collect();
    let monthly_all = sorted(
        upto.clone().group_by([col("month")]).agg(sums.clone()),
        vec!["month"],
    )?;
    out.months = rates(&monthly_all, None, "month")?
        .into_iter()
        .map(|(_, month, f)| (month, f))
        .collect();
    let monthly_channel = sorted(
        upto.clone()
            .group_by([col("month"), col("channel")])
            .agg(sums.clone()),
        vec!["channel", "month"],
    )?;
    for (channel, month, f) in rates(&monthly_channel, Some("channel"), "month")? {
        match out.channels.last_mut() {
            Some((c, months)) if *c == channel => months.push((month, f)),
            _ => out.channels.push((channel, vec![(month, f)])),
        }
    }
    let ytd = upto
        .filter(col("start").gt_eq(lit(epoch_days(year_start))))
        .with_column(lit(periods.as_of.year().to_string()).alias("year"));
    let ytd_all = sorted(
        ytd.clone().group_by([col("year")]).agg(sums.clone()),
        vec!["year"],
    )?;
    out.ytd = rates(&ytd_all, None, "year")?
        .into_iter()
        .next()
        .map(|(_, _, f)| f);
    let ytd_channel = sorted(
        ytd.group_by([col("year"), col("channel")]).agg(sums),
        vec!["channel"],
    )?;
    out.ytd_by_channel = rates(&ytd_channel, Some("channel"), "year")?
        .into_iter()
        .map(|(channel, _, f)| (channel, f))
        .collect();
    out.issues = issues;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{consolidated, file};

    fn as_of() -> Periods {
        Periods {
            as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        }
    }

    fn find(r: &SatisfactionResult, scope: &str, key: &str, period: &str) -> KpiRow {
        r.rows()
            .into_iter()
            .find(|k| k.scope == scope && k.key == key && k.period == period)
            .unwrap_or_else(|| panic!("no {scope}/{key}/{period}"))
    }

    #[test]
    fn aggregated_rows_are_weighted_by_responses_and_a_month_may_have_one_channel() {
        let settings = Settings::default();
        let cons = consolidated(
            vec![file(
                "in/sat.xlsx",
                &[
                    &["Kanaal", "Maand", "Aantal antwoorden", "Tevreden"],
                    &["Loket", "2025-01", "400", "300"],
                    &["Telefoon", "2025-01", "100", "90"],
                    &["Loket", "2025-02", "20", "15"],
                    &["Loket", "2025-04", "50", "50"],
                ],
            )],
            &settings,
        );
        let r = compute(&cons, as_of(), &settings).unwrap();
        // January: (300 + 90) / (400 + 100) = 0.78 — not the mean of 0.75 and 0.90 (0.825).
        let jan = find(&r, "all", "", "2025-01");
        assert_eq!(
            (jan.numerator, jan.denominator, jan.value),
            (Some(390.0), Some(500.0), Some(0.78))
        );
        assert_eq!(jan.status, "");
        // February: only the counter answered, and only 20 people: low_n.
        let feb = find(&r, "all", "", "2025-02");
        assert_eq!((feb.value, feb.status.as_str()), (Some(0.75), "low_n"));
        assert!(r.channel_month("Telefoon", "2025-02").is_none());
        // Year to date up to March (April is after A): 405 / 520.
        let ytd = find(&r, "all", "", "2025");
        assert_eq!((ytd.numerator, ytd.denominator), (Some(405.0), Some(520.0)));
        assert_eq!(
            find(&r, "channel", "Loket", "2025").denominator,
            Some(420.0)
        );
    }

    #[test]
    fn raw_scores_on_a_ten_point_scale_with_no_opinion_answers() {
        let settings = Settings::default();
        let cons = consolidated(
            vec![file(
                "in/raw.csv",
                &[
                    &["Periode", "Kanaal", "Score"],
                    &["maart 2025", "Online", "9"],
                    &["maart 2025", "Online", "8"],
                    &["maart 2025", "Online", "7"],
                    &["maart 2025", "Online", "10"],
                    &["maart 2025", "Online", "geen mening"],
                    &["maart 2025", "Online", ""],
                    &["maart 2025", "Online", "4"],
                    &["maart 2025", "Online", "super"],
                ],
            )],
            &settings,
        );
        let r = compute(&cons, as_of(), &settings).unwrap();
        // A 9 and a 10 make it a 10-point sheet; top-2-box ≥ 8: 9, 8, 10 of 5 scored answers.
        let mar = find(&r, "channel", "Online", "2025-03");
        assert_eq!(
            (mar.numerator, mar.denominator, mar.value),
            (Some(3.0), Some(5.0), Some(0.6))
        );
        // Regression: a score row left out was only a warning.
        assert_eq!(
            r.issues[0].severity,
            Severity::Error,
            "a row left out is an error"
        );
        assert_eq!(
            r.issues[0].reason.to_string(),
            "score is not a number nor a “no opinion” answer; row left out"
        );
        assert_eq!(
            r.issues.len(),
            1,
            "only `super` is an issue: {:?}",
            r.issues
        );
        assert_eq!(r.issues[0].cell, "C9");
    }

    #[test]
    fn five_point_scale_is_the_default_and_quarters_are_no_month() {
        let settings = Settings::default();
        let cons = consolidated(
            vec![file(
                "in/raw.xlsx",
                &[
                    &["Periode", "Score"],
                    &["2025-03", "4"],
                    &["2025-03", "5"],
                    &["2025-03", "3"],
                    &["Q1 2025", "5"],
                ],
            )],
            &settings,
        );
        let r = compute(&cons, as_of(), &settings).unwrap();
        let mar = find(&r, "all", "", "2025-03");
        assert_eq!((mar.numerator, mar.denominator), (Some(2.0), Some(3.0)));
        assert!(r
            .issues
            .iter()
            .any(|i| i.reason.to_string().contains("needs a month")));
        assert_eq!(
            find(&r, "channel", NO_KEY, "2025-03").denominator,
            Some(3.0)
        );
    }
}
