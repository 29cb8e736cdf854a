//! Indicators of the measure points (spec 5.3): attainment of each measured value against its
//! target, by polarity, with RAG bounds per indicator. Computed with polars.

use super::{floats, rag, strings, KpiRow, Periods};
use crate::config::Settings;
use crate::consolidate::Table;
use crate::consolidate::{table_frame, Consolidated};
use crate::model::{epoch_days, Issue, Reason, Severity, Value};
use crate::schema::{column, Col};
use polars::prelude::*;
use std::collections::HashMap;

const INDICATOR: Col = column("indicators", "indicator");
const PERIOD: Col = column("indicators", "period");
const ACTUAL: Col = column("indicators", "actual");

/// Rows that report an (indicator, period) again: only the last one counts (files sort by path,
/// so the latest report wins); each earlier one is an error row, named where it stands.
fn superseded_measurements(table: &Table, as_of: chrono::NaiveDate) -> Vec<Issue> {
    let mut last: HashMap<(String, String), usize> = HashMap::new();
    let mut keys = Vec::with_capacity(table.rows.len());
    for r in 0..table.rows.len() {
        let key = match (table.get(r, INDICATOR), table.get(r, PERIOD)) {
            // A period listed but not measured yet replaces no measurement.
            _ if table.get(r, ACTUAL).is_empty() => None,
            (name, Value::Period(p)) if p.start <= as_of => {
                name.as_text().map(|n| (n.to_string(), p.to_string()))
            }
            _ => None,
        };
        if let Some(k) = &key {
            last.insert(k.clone(), r);
        }
        keys.push(key);
    }
    let mut issues = Vec::new();
    for (r, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let winner = last[key];
        if winner != r {
            let kept = &table.rows[winner].origin;
            issues.push(Issue::at_row(
                &table.rows[r].origin,
                Severity::Error,
                Reason::new("indicator_reported_again")
                    .arg("indicator", &key.0)
                    .arg("period", &key.1)
                    .arg("file", kept.file())
                    .arg("sheet", kept.sheet())
                    .arg("row", kept.row),
            ));
        }
    }
    issues
}

/// One indicator as the workbook shows it: its latest period and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSummary {
    /// Name as written in the files.
    pub name: String,
    /// Objective, owner and unit of measure of the latest row.
    pub objective: String,
    /// Responsible directorate.
    pub owner: String,
    /// Unit of measure.
    pub unit: String,
    /// `higher` or `lower`.
    pub polarity: String,
    /// Latest period label.
    pub period: String,
    /// Latest actual value.
    pub actual: Option<f64>,
    /// Latest target.
    pub target: Option<f64>,
    /// Latest attainment.
    pub attainment: Option<f64>,
    /// Latest RAG colour.
    pub status: String,
    /// Actual values of every period, oldest first (for the trend sparkline).
    pub history: Vec<f64>,
}

/// KPI rows and per-indicator summaries.
#[derive(Debug, Default)]
pub struct IndicatorsResult {
    /// `indicator_attainment` rows, one per indicator and period.
    pub kpis: Vec<KpiRow>,
    /// One summary per indicator, by name.
    pub summaries: Vec<IndicatorSummary>,
    /// Rows left out because a later row reports the same indicator and period.
    pub issues: Vec<Issue>,
}

/// Attainment: higher → actual / target, lower → target / actual; a missing target gives no
/// value; a zero target (higher) or a zero actual (lower) is met when the other side is ≥ 0.
fn attainment() -> Expr {
    let (a, t) = (|| col("actual"), || col("target"));
    let lower = || col("polarity").eq(lit("lower"));
    when(t().is_null())
        .then(lit(NULL).cast(DataType::Float64))
        .when(lower().and(a().eq(lit(0.0))))
        .then(when(t().gt_eq(lit(0.0))).then(lit(1.0)).otherwise(lit(0.0)))
        .when(lower())
        .then(t() / a())
        .when(t().eq(lit(0.0)))
        .then(when(a().gt_eq(lit(0.0))).then(lit(1.0)).otherwise(lit(0.0)))
        .otherwise(a() / t())
        .alias("attainment")
}

/// Computes `indicator_attainment` for every indicator and period that starts on or before A.
/// When one indicator and period is reported twice, the row read last (files sorted by path) wins.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(
    cons: &Consolidated,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<IndicatorsResult> {
    let Some(table) = cons.table("indicators") else {
        return Ok(IndicatorsResult::default());
    };
    let df = table_frame(table)?
        .lazy()
        .filter(
            col("period_start")
                .cast(DataType::Int32)
                .lt_eq(lit(epoch_days(periods.as_of))),
        )
        // A period listed but not measured yet (a note where it was typed) is no measurement.
        .filter(col("actual").is_not_null())
        .with_column(col("polarity").fill_null(lit("higher")))
        .unique_stable_generic(
            Some(vec![col("indicator"), col("period")]),
            UniqueKeepStrategy::Last,
        )
        .with_column(attainment())
        .sort(
            ["indicator", "period_start"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let names = strings(&df, "indicator")?;
    let labels = strings(&df, "period")?;
    let (actual, target, att) = (
        floats(&df, "actual")?,
        floats(&df, "target")?,
        floats(&df, "attainment")?,
    );
    let (objective, owner, unit, polarity) = (
        strings(&df, "objective")?,
        strings(&df, "owner")?,
        strings(&df, "unit_of_measure")?,
        strings(&df, "polarity")?,
    );
    let mut out = IndicatorsResult {
        issues: superseded_measurements(table, periods.as_of),
        ..IndicatorsResult::default()
    };
    for i in 0..df.height() {
        let name = names[i].clone().unwrap_or_default();
        let thresholds = settings.indicators.thresholds_for(&name);
        let value = att[i].filter(|v| v.is_finite());
        let status = rag(value, thresholds).to_string();
        out.kpis.push(KpiRow {
            kpi: super::Kpi::IndicatorAttainment,
            scope: "indicator",
            key: name.clone(),
            period: labels[i].clone().unwrap_or_default(),
            numerator: actual[i],
            denominator: target[i],
            value,
            status: status.clone(),
        });
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let summary = IndicatorSummary {
            name: name.clone(),
            objective: text(&objective[i]),
            owner: text(&owner[i]),
            unit: text(&unit[i]),
            polarity: text(&polarity[i]),
            period: labels[i].clone().unwrap_or_default(),
            actual: actual[i],
            target: target[i],
            attainment: value,
            status,
            history: Vec::new(),
        };
        // Rows are sorted by indicator then period: the last row of a name is its latest.
        match out.summaries.last_mut() {
            Some(last) if last.name == name => {
                let history = std::mem::take(&mut last.history);
                *last = IndicatorSummary { history, ..summary };
            }
            _ => out.summaries.push(summary),
        }
        if let (Some(last), Some(a)) = (out.summaries.last_mut(), actual[i]) {
            last.history.push(a);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{consolidated, file};
    use chrono::NaiveDate;

    const HEADER: &[&str] = &[
        "Indicator",
        "Periode",
        "Resultaat",
        "Streefwaarde",
        "Richting",
    ];

    fn run(rows: &[&[&str]], settings: &Settings) -> IndicatorsResult {
        let mut all: Vec<&[&str]> = vec![HEADER];
        all.extend_from_slice(rows);
        let cons = consolidated(vec![file("in/ind.xlsx", &all)], settings);
        let as_of = Periods {
            as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        };
        compute(&cons, as_of, settings).unwrap()
    }

    fn row<'a>(r: &'a IndicatorsResult, name: &str, period: &str) -> &'a KpiRow {
        r.kpis
            .iter()
            .find(|k| k.key == name && k.period == period)
            .unwrap_or_else(|| panic!("no {name} {period}"))
    }

    #[test]
    fn duplicate_indicator_period_rows_are_reported_as_errors() {
        // Regression: a second (indicator, period) row was dropped with no issue at all.
        let r = run(
            &[
                &["Wachttijd", "2025-03", "24", "20", "lager is beter"],
                &["Wachttijd", "2025-02", "30", "20", "lager is beter"],
                &["Wachttijd", "2025-03", "18", "20", "lager is beter"],
            ],
            &Settings::default(),
        );
        assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
        let i = &r.issues[0];
        assert_eq!((i.severity, i.cell.as_str()), (Severity::Error, "2"));
        assert_eq!(
            i.reason.to_string(),
            "Wachttijd for 2025-03 is reported again in in/ind.xlsx › Scorebord › row 4; this row is left out, the later one counts"
        );
        // The later row counts: 20 / 18.
        assert_eq!(row(&r, "Wachttijd", "2025-03").value, Some(20.0 / 18.0));
    }

    #[test]
    fn attainment_by_polarity_with_hand_computed_values() {
        let r = run(
            &[
                &["Tevredenheid", "2025-03", "0,86", "0,85", "hoger is beter"],
                &["Wachttijd", "2025-03", "18", "20", "lager is beter"],
                &["Wachttijd", "2025-02", "24", "20", "lager is beter"],
                &["Balansen", "2025-03", "455", "500", "↑"],
                &["Klachten", "2025-03", "0", "0", ""],
                &["Fouten", "2025-03", "0", "5", "lager is beter"],
                &["Pilootprojecten", "2025-03", "2", "", ""],
            ],
            &Settings::default(),
        );
        let close = |k: &KpiRow, v: f64| (k.value.unwrap() - v).abs() < 1e-12;
        let t = row(&r, "Tevredenheid", "2025-03");
        assert!(close(t, 0.86 / 0.85) && t.status == "green");
        // Lower is better, below target: 20 / 18 = 1.111 → green.
        let w = row(&r, "Wachttijd", "2025-03");
        assert!(close(w, 20.0 / 18.0) && w.status == "green");
        // Lower is better, above target: 20 / 24 = 0.833 → red (below 0.9).
        let w = row(&r, "Wachttijd", "2025-02");
        assert!(close(w, 20.0 / 24.0) && w.status == "red");
        // 455 / 500 = 0.91 → amber.
        let b = row(&r, "Balansen", "2025-03");
        assert!(close(b, 0.91) && b.status == "amber");
        // Target 0, higher is better, actual ≥ 0 → 1.0.
        assert!(close(row(&r, "Klachten", "2025-03"), 1.0));
        // Lower is better, actual 0 → 1.0.
        assert!(close(row(&r, "Fouten", "2025-03"), 1.0));
        // No target: grey, no value, the actual still shown.
        let p = row(&r, "Pilootprojecten", "2025-03");
        assert_eq!(
            (p.value, p.status.as_str(), p.numerator),
            (None, "grey", Some(2.0))
        );
    }

    #[test]
    fn periods_keep_their_grain_and_future_periods_wait() {
        let r = run(
            &[
                &["Kwartaal", "Q1 2025", "10", "10", ""],
                &["Jaar", "2025", "5", "10", ""],
                &["Later", "2025-04", "5", "10", ""],
            ],
            &Settings::default(),
        );
        assert_eq!(row(&r, "Kwartaal", "2025-Q1").value, Some(1.0));
        assert_eq!(row(&r, "Jaar", "2025").value, Some(0.5));
        assert!(
            r.kpis.iter().all(|k| k.key != "Later"),
            "April starts after A"
        );
    }

    #[test]
    fn per_indicator_thresholds_and_latest_summary_with_history() {
        let settings = Settings::parse(
            "[indicators]\nper_indicator = { \"Wachttijd\" = { green = 0.8, amber = 0.7 } }",
        )
        .unwrap();
        let r = run(
            &[
                &["Wachttijd", "2025-01", "30", "20", "lager is beter"],
                &["Wachttijd", "2025-02", "24", "20", "lager is beter"],
                &["Wachttijd", "2025-02", "25", "20", "lager is beter"],
            ],
            &settings,
        );
        // February reported twice: the later row (25) wins; 20/25 = 0.8 is green with its own bounds.
        let feb = row(&r, "Wachttijd", "2025-02");
        assert_eq!((feb.numerator, feb.status.as_str()), (Some(25.0), "green"));
        assert_eq!(r.summaries.len(), 1);
        let s = &r.summaries[0];
        assert_eq!(
            (s.period.as_str(), s.history.clone()),
            ("2025-02", vec![30.0, 25.0])
        );
    }
}
