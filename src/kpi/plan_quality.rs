//! Plan quality (spec 5.6, seed 000): is every action SMART enough to be followed — a title,
//! something to measure, an owner, a deadline? Counted with polars per scope.

use super::{Figure, Kpi, KpiRow, Periods, NO_KEY};
use crate::consolidate::{Consolidated, Table};
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

/// Checks the four elements of every action (cancelled ones included: they are still in the
/// plan), then counts the complete ones with polars, for the plan and per directorate.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(cons: &Consolidated, periods: Periods) -> PolarsResult<PlanQuality> {
    let Some(table) = cons.table("actions") else {
        return Ok(PlanQuality::default());
    };
    let checks: Vec<[bool; 4]> = (0..table.rows.len())
        .map(|r| elements(table, cons, r))
        .collect();
    let incomplete = checks
        .iter()
        .enumerate()
        .filter(|(_, flags)| flags.contains(&false))
        .map(|(r, flags)| incomplete_action(table, r, flags))
        .collect();
    let (all, by_owner) = rates(table, &checks)?;
    Ok(PlanQuality {
        period: periods.as_of_label(),
        all,
        by_owner,
        incomplete,
    })
}

/// Whether action `r` is specific (a title), measurable (a measure point or indicator), owned
/// (a directorate) and time-bound (a deadline resolved, or continuous).
fn elements(table: &Table, cons: &Consolidated, r: usize) -> [bool; 4] {
    let present = |c: Col| {
        table
            .get(r, c)
            .as_text()
            .is_some_and(|t| !t.trim().is_empty())
    };
    [
        present(TITLE),
        present(MEASURE_POINT) || present(INDICATOR),
        present(OWNER),
        cons.actions
            .get(r)
            .is_some_and(|l| l.judged_deadline.is_some() || l.reported_deadline.is_some()),
    ]
}

/// Action `r` as the Plan quality sheet lists it, with the elements it misses.
fn incomplete_action(table: &Table, r: usize, flags: &[bool; 4]) -> IncompleteAction {
    let text = |c: Col| table.get(r, c).as_text().unwrap_or_default().to_string();
    let names = ["title", "measure point", "owner", "deadline"];
    let row = &table.rows[r];
    IncompleteAction {
        id: text(ACTION_ID),
        title: text(TITLE),
        owner: text(OWNER),
        missing: names
            .iter()
            .zip(flags)
            .filter(|(_, f)| !**f)
            .map(|(n, _)| *n)
            .collect(),
        // The action id's cell, as the Actions sheet gives it: no word to translate.
        source: format!(
            "{} › {} › {}",
            row.origin.file(),
            row.origin.sheet(),
            row.cell_ref(ACTION_ID.index)
        ),
    }
}

/// The SMART-complete share of the plan, and of each directorate in key order.
type Rates = (Option<Figure>, Vec<(String, Figure)>);

/// The SMART-complete share of the plan and of each directorate (in key order), with polars.
fn rates(table: &Table, checks: &[[bool; 4]]) -> PolarsResult<Rates> {
    let owners: Vec<Option<String>> = (0..table.rows.len())
        .map(|r| table.get(r, OWNER).as_text().map(str::to_string))
        .collect();
    let column = |name: &str, i: usize| {
        Column::new(name.into(), checks.iter().map(|c| c[i]).collect::<Vec<_>>())
    };
    let df = DataFrame::new(
        table.rows.len(),
        vec![
            Column::new("owner".into(), owners),
            column("specific", 0),
            column("measurable", 1),
            column("owned", 2),
            column("time_bound", 3),
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
    let all = df.clone().lazy().select(aggs.clone()).collect()?;
    let by_owner = df
        .lazy()
        .with_column(col("owner").fill_null(lit(NO_KEY)))
        .group_by([col("owner")])
        .agg(aggs)
        .sort(["owner"], SortMultipleOptions::default())
        .collect()?;
    let figures = |frame: &DataFrame| -> PolarsResult<Vec<Figure>> {
        let (smart, n) = (frame.column("smart")?.u32()?, frame.column("n")?.u32()?);
        Ok((0..frame.height())
            .map(|i| Figure::rate(smart.get(i).unwrap_or(0), n.get(i).unwrap_or(0), None))
            .collect())
    };
    let keys = by_owner.column("owner")?.str()?.clone();
    let by_owner = figures(&by_owner)?
        .into_iter()
        .enumerate()
        .map(|(i, f)| (keys.get(i).unwrap_or(NO_KEY).to_string(), f))
        .collect();
    Ok((figures(&all)?.into_iter().next(), by_owner))
}

#[cfg(test)]
#[path = "plan_quality_tests.rs"]
mod tests;
