//! Plan quality (spec 5.6, seed 000): is every action SMART enough to be followed — a title,
//! something to measure, an owner, a deadline? Counted with polars per scope.

use super::{Figure, Kpi, KpiRow, Periods, NO_KEY};
use crate::consolidate::Consolidated;
use crate::schema::{column, Col};
use polars::prelude::*;

const ACTION_ID: Col = column("actions", "action_id");
const TITLE: Col = column("actions", "title");
const MEASURE_POINT: Col = column("actions", "measure_point");
const INDICATOR: Col = column("actions", "indicator");
const OWNER: Col = column("actions", "owner");

/// One action that misses at least one element, for the Plan quality sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct IncompleteAction {
    /// Action id.
    pub id: String,
    /// Title (may be empty: that is one of the gaps).
    pub title: String,
    /// Owner (may be empty).
    pub owner: String,
    /// The missing elements, by name: `title`, `measure point`, `owner`, `deadline`.
    pub missing: Vec<&'static str>,
    /// Source file › sheet › cell of the action id.
    pub source: String,
}

/// Plan-quality KPIs and the list of incomplete actions.
#[derive(Debug, Default)]
pub struct PlanQuality {
    /// The as-of date `YYYY-MM-DD`, the period of the rate.
    pub period: String,
    /// `plan_smart_rate` of the whole plan (none without actions).
    pub all: Option<Figure>,
    /// `plan_smart_rate` per directorate, in key order.
    pub by_owner: Vec<(String, Figure)>,
    /// Actions missing something.
    pub incomplete: Vec<IncompleteAction>,
}

impl PlanQuality {
    /// The rows of the KPI table: the whole plan, then each directorate.
    pub fn rows(&self) -> Vec<KpiRow> {
        let p = &self.period;
        self.all
            .iter()
            .map(|f| f.row(Kpi::PlanSmartRate, "all", "", p))
            .chain(
                self.by_owner
                    .iter()
                    .map(|(key, f)| f.row(Kpi::PlanSmartRate, "owner", key, p)),
            )
            .collect()
    }
}

/// Checks the four elements of every action (cancelled ones included: they are still in the plan).
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(cons: &Consolidated, periods: Periods) -> PolarsResult<PlanQuality> {
    let Some(table) = cons.table("actions") else {
        return Ok(PlanQuality::default());
    };
    let present = |r: usize, c: Col| {
        table
            .get(r, c)
            .as_text()
            .is_some_and(|t| !t.trim().is_empty())
    };
    let mut checks: [Vec<bool>; 4] = Default::default();
    let mut incomplete = Vec::new();
    for r in 0..table.rows.len() {
        let flags = [
            present(r, TITLE),
            present(r, MEASURE_POINT) || present(r, INDICATOR),
            present(r, OWNER),
            cons.actions
                .get(r)
                .is_some_and(|l| l.judged_deadline.is_some() || l.reported_deadline.is_some()),
        ];
        for (list, f) in checks.iter_mut().zip(flags) {
            list.push(f);
        }
        if flags.contains(&false) {
            let names = ["title", "measure point", "owner", "deadline"];
            let row = &table.rows[r];
            incomplete.push(IncompleteAction {
                id: table
                    .get(r, ACTION_ID)
                    .as_text()
                    .unwrap_or_default()
                    .to_string(),
                title: table
                    .get(r, TITLE)
                    .as_text()
                    .unwrap_or_default()
                    .to_string(),
                owner: table
                    .get(r, OWNER)
                    .as_text()
                    .unwrap_or_default()
                    .to_string(),
                missing: names
                    .iter()
                    .zip(flags)
                    .filter(|(_, f)| !f)
                    .map(|(n, _)| *n)
                    .collect(),
                // The action id's cell, as the Actions sheet gives it: no word to translate.
                source: format!(
                    "{} › {} › {}",
                    row.origin.file(),
                    row.origin.sheet(),
                    row.cell_ref(ACTION_ID.index)
                ),
            });
        }
    }
    let owners: Vec<Option<String>> = (0..table.rows.len())
        .map(|r| table.get(r, OWNER).as_text().map(str::to_string))
        .collect();
    let [specific, measurable, owned, timed] = checks;
    let df = DataFrame::new(
        table.rows.len(),
        vec![
            Column::new("owner".into(), owners),
            Column::new("specific".into(), specific),
            Column::new("measurable".into(), measurable),
            Column::new("owned".into(), owned),
            Column::new("time_bound".into(), timed),
        ],
    )?;
    let smart = col("specific")
        .and(col("measurable"))
        .and(col("owned"))
        .and(col("time_bound"));
    let aggs = [
        smart.cast(DataType::UInt32).sum().alias("smart"),
        len().cast(DataType::UInt32).alias("n"),
    ];
    let mut out = PlanQuality {
        period: periods.as_of_label(),
        incomplete,
        ..PlanQuality::default()
    };
    let all = df.clone().lazy().select(aggs.clone()).collect()?;
    let by_owner = df
        .lazy()
        .with_column(col("owner").fill_null(lit(NO_KEY)))
        .group_by([col("owner")])
        .agg(aggs)
        .sort(["owner"], SortMultipleOptions::default())
        .collect()?;
    for (scope, frame) in [("all", &all), ("owner", &by_owner)] {
        let smart = frame.column("smart")?.u32()?.clone();
        let n = frame.column("n")?.u32()?.clone();
        for i in 0..frame.height() {
            let key = if scope == "all" {
                String::new()
            } else {
                frame
                    .column("owner")?
                    .str()?
                    .get(i)
                    .unwrap_or(NO_KEY)
                    .to_string()
            };
            let rate = Figure::rate(smart.get(i).unwrap_or(0), n.get(i).unwrap_or(0), None);
            match scope {
                "all" => out.all = Some(rate),
                _ => out.by_owner.push((key, rate)),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "plan_quality_tests.rs"]
mod tests;
