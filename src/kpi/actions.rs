//! Actions realised on time (spec 5.1, seed 004 OPTIris KPI 2): each action classified against
//! the deadline first agreed, then counted per scope with polars. Ratio of counts, never a mean.

use super::{Figure, Kpi, KpiRow, Periods, NO_KEY};
use crate::config::{Settings, Thresholds};
use crate::consolidate::{actions_kpi_frame, Consolidated, Table};
use crate::model::epoch_days;
use crate::model::{Deadline, Issue, Origin, Reason, Severity, Status, Value};
use crate::schema::{column, Col};
use arcstr::ArcStr;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

const ACTION_ID: Col = column("actions", "action_id");
const TITLE: Col = column("actions", "title");
const OWNER: Col = column("actions", "owner");
const OBJECTIVE: Col = column("actions", "objective");
const COMPLETED_ON: Col = column("actions", "completed_on");

/// Class of an action at the as-of date, in the spec's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionClass {
    /// Dropped from the plan.
    Cancelled,
    /// Status nobody recognised.
    Unknown,
    /// Continuous, recurring, or end of mandate without a date.
    Continuous,
    /// No readable deadline.
    Undated,
    /// Done, but no completion date.
    DoneUndated,
    /// Done on or before the deadline.
    OnTime,
    /// Done after the deadline.
    Late,
    /// Not done and the deadline has passed.
    Overdue,
    /// Not done, deadline not yet reached.
    Open,
}

impl ActionClass {
    const ALL: [ActionClass; 9] = [
        ActionClass::Cancelled,
        ActionClass::Unknown,
        ActionClass::Continuous,
        ActionClass::Undated,
        ActionClass::DoneUndated,
        ActionClass::OnTime,
        ActionClass::Late,
        ActionClass::Overdue,
        ActionClass::Open,
    ];

    /// Machine name, as in the classified frame.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionClass::Cancelled => "cancelled",
            ActionClass::Unknown => "unknown",
            ActionClass::Continuous => "continuous",
            ActionClass::Undated => "undated",
            ActionClass::DoneUndated => "done_undated",
            ActionClass::OnTime => "on_time",
            ActionClass::Late => "late",
            ActionClass::Overdue => "overdue",
            ActionClass::Open => "open",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// One action after classification, for the workbook's lists. Its texts are the table's own
/// (shared handles, not copies: 200,000 records held 54 MB of copies and their sources).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRecord {
    /// Action id as written.
    pub id: ArcStr,
    /// Title.
    pub title: ArcStr,
    /// Responsible directorate.
    pub owner: ArcStr,
    /// Objective.
    pub objective: ArcStr,
    /// Status after defaults.
    pub status: Status,
    /// Class at A.
    pub class: ActionClass,
    /// D, the deadline judged against.
    pub judged_deadline: Option<NaiveDate>,
    /// The deadline in the latest report.
    pub reported_deadline: Option<Deadline>,
    /// Completion date.
    pub completed_on: Option<NaiveDate>,
    /// Days past D: C − D for late actions, A − D for overdue ones.
    pub days_late: Option<i64>,
    /// The deadline moved since it was first agreed.
    pub rescheduled: bool,
    /// The row the action's latest report came from (its place knows the sheet's columns).
    pub origin: Origin,
}

impl ActionRecord {
    /// Source file, sheet and cell of the action id: `in/dir.xlsx › Acties › A12`.
    pub fn source(&self) -> String {
        let o = &self.origin;
        format!(
            "{} › {} › {}",
            o.file(),
            o.sheet(),
            o.cell_ref(ACTION_ID.index)
        )
    }
}

/// Everything the actions family produces.
#[derive(Debug, Default)]
pub struct ActionsResult {
    /// The actions counted by class, for the whole plan and per group (none without actions).
    pub tallies: Option<ActionTallies>,
    /// Every action, classified, in table order.
    pub records: Vec<ActionRecord>,
    /// Issues that depend on the as-of date.
    pub issues: Vec<Issue>,
}

impl ActionsResult {
    /// The rows of the KPI table of the actions (none without actions).
    pub fn rows(&self) -> Vec<KpiRow> {
        self.tallies
            .as_ref()
            .map(ActionTallies::rows)
            .unwrap_or_default()
    }
}

/// How many actions of one group fell in each class at A.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    by_class: [u32; 9],
    /// Rescheduled actions among those neither cancelled nor of unknown status.
    pub rescheduled: u32,
}

/// The count KPIs of a group, in the KPI table's order, with the class each counts.
const COUNTS: [(Kpi, ActionClass); 9] = [
    (Kpi::ActionsOnTime, ActionClass::OnTime),
    (Kpi::ActionsLate, ActionClass::Late),
    (Kpi::ActionsOverdue, ActionClass::Overdue),
    (Kpi::ActionsOpen, ActionClass::Open),
    (Kpi::ActionsContinuous, ActionClass::Continuous),
    (Kpi::ActionsCancelled, ActionClass::Cancelled),
    (Kpi::ActionsUndated, ActionClass::Undated),
    (Kpi::ActionsDoneUndated, ActionClass::DoneUndated),
    (Kpi::ActionsUnknownStatus, ActionClass::Unknown),
];

impl Tally {
    /// The actions of a class.
    pub fn get(&self, c: ActionClass) -> u32 {
        self.by_class[c as usize]
    }

    /// `actions_on_time_rate`: on time / (on time + late + overdue), RAG by `thresholds`.
    pub fn on_time_rate(&self, thresholds: Thresholds) -> Figure {
        let (on_time, late, overdue) = (
            self.get(ActionClass::OnTime),
            self.get(ActionClass::Late),
            self.get(ActionClass::Overdue),
        );
        Figure::rate(on_time, on_time + late + overdue, Some(thresholds))
    }

    /// `actions_overdue_share`: overdue / (overdue + open), the unfinished actions already late.
    pub fn overdue_share(&self) -> Figure {
        let (overdue, open) = (self.get(ActionClass::Overdue), self.get(ActionClass::Open));
        Figure::rate(overdue, overdue + open, None)
    }

    /// The figure of any actions KPI for this group.
    pub fn figure(&self, kpi: Kpi, thresholds: Thresholds) -> Option<Figure> {
        match kpi {
            Kpi::ActionsOnTimeRate => Some(self.on_time_rate(thresholds)),
            Kpi::ActionsOverdueShare => Some(self.overdue_share()),
            Kpi::ActionsRescheduled => Some(Figure::count(self.rescheduled.into())),
            _ => COUNTS
                .iter()
                .find(|(k, _)| *k == kpi)
                .map(|(_, c)| Figure::count(self.get(*c).into())),
        }
    }

    /// The rate row, then every count of this group.
    fn rows(&self, scope: &'static str, key: &str, period: &str, t: Thresholds) -> Vec<KpiRow> {
        let mut rows = vec![self
            .on_time_rate(t)
            .row(Kpi::ActionsOnTimeRate, scope, key, period)];
        rows.extend(
            COUNTS
                .iter()
                .map(|(kpi, c)| KpiRow::count(*kpi, scope, key, period, self.get(*c))),
        );
        rows.push(KpiRow::count(
            Kpi::ActionsRescheduled,
            scope,
            key,
            period,
            self.rescheduled,
        ));
        rows.push(
            self.overdue_share()
                .row(Kpi::ActionsOverdueShare, scope, key, period),
        );
        rows
    }
}

/// The actions counted at A for the whole plan and per directorate, objective and month of
/// the deadline.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionTallies {
    /// The as-of date `YYYY-MM-DD`, the period of every actions KPI.
    pub period: String,
    /// The RAG bounds of the on-time rate.
    pub thresholds: Thresholds,
    /// The whole plan.
    pub all: Tally,
    /// Per directorate, in key order (`(none)` for actions without one).
    pub by_owner: Vec<(String, Tally)>,
    /// Per objective, in key order.
    pub by_objective: Vec<(String, Tally)>,
    /// Per month of the deadline (`YYYY-MM`), every month of the plan year up to A.
    pub by_deadline_month: Vec<(String, Tally)>,
}

impl ActionTallies {
    /// The rows of the KPI table: the whole plan's rate and counts, each directorate's, each
    /// objective's rate, each month's rate.
    pub fn rows(&self) -> Vec<KpiRow> {
        let (period, t) = (&self.period, self.thresholds);
        let mut rows = self.all.rows("all", "", period, t);
        for (key, tally) in &self.by_owner {
            rows.extend(tally.rows("owner", key, period, t));
        }
        for (scope, groups) in [
            ("objective", &self.by_objective),
            ("deadline_month", &self.by_deadline_month),
        ] {
            rows.extend(groups.iter().map(|(key, tally)| {
                tally
                    .on_time_rate(t)
                    .row(Kpi::ActionsOnTimeRate, scope, key, period)
            }));
        }
        rows
    }
}

/// Classifies every action at A with polars and adds `class` and `days_late` columns.
fn classify(df: DataFrame, as_of: NaiveDate) -> PolarsResult<DataFrame> {
    let a = lit(epoch_days(as_of));
    let d = || col("judged_deadline").cast(DataType::Int32);
    let c = || col("completed_on").cast(DataType::Int32);
    let status = |s: &str| col("status").eq(lit(s.to_string()));
    let kind = |k: &str| col("judged_deadline_kind").eq(lit(k.to_string()));
    // Rule 4: a completion after A is a data error and counts as not done.
    let done_by_a = || status("done").and(c().lt_eq(a.clone()));
    let class = when(status("cancelled"))
        .then(lit("cancelled"))
        .when(status("unknown"))
        .then(lit("unknown"))
        .when(
            kind("continuous")
                .or(kind("recurring"))
                .or(kind("end_of_mandate")),
        )
        .then(lit("continuous"))
        .when(d().is_null())
        .then(lit("undated"))
        .when(status("done").and(c().is_null()))
        .then(lit("done_undated"))
        .when(done_by_a().and(c().lt_eq(d())))
        .then(lit("on_time"))
        .when(done_by_a())
        .then(lit("late"))
        .when(d().lt(a.clone()))
        .then(lit("overdue"))
        .otherwise(lit("open"))
        .alias("class");
    df.lazy()
        .with_column(class)
        .with_column(
            when(col("class").eq(lit("late")))
                .then(c() - d())
                .when(col("class").eq(lit("overdue")))
                .then(a.clone() - d())
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("days_late"),
        )
        .with_column(
            col("judged_deadline")
                .dt()
                .strftime("%Y-%m")
                .alias("deadline_month"),
        )
        .collect()
}

/// Counts per class (and rescheduled) for the whole frame or per value of `by`.
fn tally(df: &DataFrame, by: Option<&str>) -> PolarsResult<Vec<(String, Tally)>> {
    let mut aggs: Vec<Expr> = ActionClass::ALL
        .iter()
        .map(|c| {
            col("class")
                .eq(lit(c.as_str()))
                .cast(DataType::UInt32)
                .sum()
                .alias(c.as_str())
        })
        .collect();
    let counted = col("class")
        .neq(lit("cancelled"))
        .and(col("class").neq(lit("unknown")));
    aggs.push(
        col("rescheduled")
            .and(counted)
            .cast(DataType::UInt32)
            .sum()
            .alias("rescheduled_n"),
    );
    let lf = df.clone().lazy();
    let out = match by {
        None => lf
            .select(aggs)
            .with_column(lit("").alias("key"))
            .collect()?,
        Some(column) => lf
            .with_column(col(column).fill_null(lit(NO_KEY)).alias("key"))
            .group_by([col("key")])
            .agg(aggs)
            .sort(["key"], SortMultipleOptions::default())
            .collect()?,
    };
    let key_column = out.column("key")?.str()?.clone();
    let keys: Vec<String> = (0..out.height())
        .map(|i| key_column.get(i).unwrap_or(NO_KEY).to_string())
        .collect();
    let mut tallies = vec![Tally::default(); out.height()];
    for c in ActionClass::ALL {
        let values = out.column(c.as_str())?.cast(&DataType::UInt32)?;
        let values = values.u32()?;
        for (i, t) in tallies.iter_mut().enumerate() {
            t.by_class[c as usize] = values.get(i).unwrap_or(0);
        }
    }
    let values = out.column("rescheduled_n")?.cast(&DataType::UInt32)?;
    let values = values.u32()?;
    for (i, t) in tallies.iter_mut().enumerate() {
        t.rescheduled = values.get(i).unwrap_or(0);
    }
    Ok(keys.into_iter().zip(tallies).collect())
}

/// Computes every actions KPI of spec 5.1 at the as-of date, with the classified actions.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(
    cons: &Consolidated,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<ActionsResult> {
    compute_with(cons, frame(cons)?, periods, settings)
}

/// The frame the actions KPIs start from (`None` without an actions table). Built once when
/// two dates are computed from the same merge ([`compute_with`], [`kpis`]).
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn frame(cons: &Consolidated) -> PolarsResult<Option<DataFrame>> {
    cons.table("actions")
        .map(|table| actions_kpi_frame(table, &cons.actions))
        .transpose()
}

/// [`compute`] from the actions' [`frame`] of `cons`.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute_with(
    cons: &Consolidated,
    frame: Option<DataFrame>,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<ActionsResult> {
    let (Some(table), Some(frame)) = (cons.table("actions"), frame) else {
        return Ok(ActionsResult::default());
    };
    let classified = classify(frame, periods.as_of)?;
    let tallies = tallies_of(&classified, periods, settings)?;
    let (records, issues) = records(table, cons, &classified, periods.as_of)?;
    Ok(ActionsResult {
        tallies: Some(tallies),
        records,
        issues,
    })
}

/// Only the tallies of [`compute`], from the actions' [`frame`]: no records, no issues (none
/// without actions).
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn tallies(
    frame: Option<DataFrame>,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<Option<ActionTallies>> {
    frame
        .map(|frame| tallies_of(&classify(frame, periods.as_of)?, periods, settings))
        .transpose()
}

fn tallies_of(
    classified: &DataFrame,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<ActionTallies> {
    let all = tally(classified, None)?
        .into_iter()
        .next()
        .map(|(_, t)| t)
        .unwrap_or_default();
    let by_month = tally(classified, Some("deadline_month"))?;
    let by_deadline_month = (1..=periods.as_of.month())
        .map(|m| {
            let key = format!("{:04}-{m:02}", periods.as_of.year());
            let t = by_month
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, t)| *t)
                .unwrap_or_default();
            (key, t)
        })
        .collect();
    Ok(ActionTallies {
        period: periods.as_of_label(),
        thresholds: settings.actions.on_time_thresholds,
        all,
        by_owner: tally(classified, Some("owner"))?,
        by_objective: tally(classified, Some("objective"))?,
        by_deadline_month,
    })
}

fn records(
    table: &Table,
    cons: &Consolidated,
    classified: &DataFrame,
    as_of: NaiveDate,
) -> PolarsResult<(Vec<ActionRecord>, Vec<Issue>)> {
    let classes = classified.column("class")?.str()?.clone();
    let days = classified.column("days_late")?.cast(&DataType::Int64)?;
    let days = days.i64()?;
    let text = |r: usize, col: Col| match table.get(r, col) {
        Value::Text(t) => t.clone(),
        _ => ArcStr::new(),
    };
    let mut records = Vec::with_capacity(table.rows.len());
    let mut issues = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let lineage = &cons.actions[r];
        let class = classes
            .get(r)
            .and_then(ActionClass::from_name)
            .unwrap_or(ActionClass::Unknown);
        let completed_on = table.get(r, COMPLETED_ON).as_date();
        // A done action without a date and an empty or unreadable deadline are raised where
        // the row is typed, at the cell, as typed (consolidate): every file's row, not only the
        // winning snapshot's.
        if let (Status::Done, Some(c)) = (lineage.status, completed_on) {
            if c > as_of && !matches!(class, ActionClass::Cancelled | ActionClass::Unknown) {
                let column = crate::model::ColumnName {
                    kind: COMPLETED_ON.kind,
                    column: "completed_on",
                    header: row.origin.header(COMPLETED_ON.index).map(str::to_string),
                    lang: None,
                };
                issues.push(
                    Issue::at_column(
                        &row.origin,
                        COMPLETED_ON.index,
                        c.format("%d/%m/%Y").to_string(),
                        Severity::Warning,
                        Reason::new("completed_after_as_of")
                            .columns("column", vec![column])
                            .date("as_of", as_of),
                    )
                    .parsed_as(c.to_string()),
                );
            }
        }
        records.push(ActionRecord {
            id: text(r, ACTION_ID),
            title: text(r, TITLE),
            owner: text(r, OWNER),
            objective: text(r, OBJECTIVE),
            status: lineage.status,
            class,
            judged_deadline: lineage.judged_deadline.and_then(|d| d.date()),
            reported_deadline: lineage.reported_deadline,
            completed_on,
            days_late: days.get(r),
            rescheduled: lineage.rescheduled,
            origin: row.origin.clone(),
        });
    }
    Ok((records, issues))
}

#[cfg(test)]
mod tests;
