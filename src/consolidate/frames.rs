//! Consolidated tables → polars frames for the KPI stage, one typed column per kind column
//! plus the lineage columns. Frames are built here and nowhere else.

use super::{ActionLineage, Table};
use crate::model::epoch_days;
use crate::model::{Deadline, Value};
use crate::schema::ValueType;
use polars::prelude::*;

fn date_column(name: &str, values: Vec<Option<i32>>) -> PolarsResult<Column> {
    Column::new(name.into(), values).cast(&DataType::Date)
}

/// Borrowed texts: polars copies each into its own buffer once, no `String` per cell first.
fn text_column(name: &str, values: Vec<Option<&str>>) -> Column {
    Column::new(name.into(), values)
}

/// One frame per table: typed kind columns, deadline kinds, period labels, and lineage
/// (`source_file`, `source_sheet`, `source_row`).
///
/// # Errors
/// A polars error if a column cannot be built (not expected for consolidated data).
pub fn table_frame(table: &Table) -> PolarsResult<DataFrame> {
    frame_of(table, |_| true, true)
}

/// The frame of `table` with the kind columns that `keep` names, and the lineage columns if
/// `sources`.
fn frame_of(table: &Table, keep: impl Fn(&str) -> bool, sources: bool) -> PolarsResult<DataFrame> {
    let mut columns = Vec::new();
    for (i, def) in table.kind.columns.iter().enumerate() {
        if !keep(def.name) {
            continue;
        }
        let values = table
            .rows
            .iter()
            .map(|r| r.values.get(i).unwrap_or(&Value::Empty));
        match def.value {
            ValueType::Date => columns.push(date_column(
                def.name,
                values.map(|v| v.as_date().map(epoch_days)).collect(),
            )?),
            ValueType::Deadline => {
                let (dates, kinds): (Vec<_>, Vec<_>) = values
                    .map(|v| match v {
                        Value::Deadline(d) => (d.date().map(epoch_days), Some(d.kind_name())),
                        _ => (None, None),
                    })
                    .unzip();
                columns.push(date_column(def.name, dates)?);
                columns.push(text_column(&format!("{}_kind", def.name), kinds));
            }
            ValueType::Period => {
                let (labels, starts): (Vec<_>, Vec<_>) = values
                    .map(|v| match v {
                        Value::Period(p) => (Some(p.to_string()), Some(epoch_days(p.start))),
                        _ => (None, None),
                    })
                    .unzip();
                columns.push(Column::new(def.name.into(), labels));
                columns.push(date_column(&format!("{}_start", def.name), starts)?);
            }
            ValueType::Number | ValueType::Percent => columns.push(Column::new(
                def.name.into(),
                values.map(Value::as_number).collect::<Vec<_>>(),
            )),
            ValueType::YesNo => columns.push(Column::new(
                def.name.into(),
                values
                    .map(|v| {
                        if let Value::Bool(b) = v {
                            Some(*b)
                        } else {
                            None
                        }
                    })
                    .collect::<Vec<_>>(),
            )),
            ValueType::Status => columns.push(text_column(
                def.name,
                values
                    .map(|v| {
                        if let Value::Status(s) = v {
                            Some(s.as_str())
                        } else {
                            None
                        }
                    })
                    .collect(),
            )),
            ValueType::Polarity => columns.push(text_column(
                def.name,
                values
                    .map(|v| {
                        if let Value::Polarity(p) = v {
                            Some(p.as_str())
                        } else {
                            None
                        }
                    })
                    .collect(),
            )),
            ValueType::Id | ValueType::Text => {
                columns.push(text_column(def.name, values.map(Value::as_text).collect()))
            }
        }
    }
    if sources {
        columns.push(text_column(
            "source_file",
            table.rows.iter().map(|r| Some(r.origin.file())).collect(),
        ));
        columns.push(text_column(
            "source_sheet",
            table.rows.iter().map(|r| Some(r.origin.sheet())).collect(),
        ));
        columns.push(Column::new(
            "source_row".into(),
            table
                .rows
                .iter()
                .map(|r| r.origin.row)
                .collect::<Vec<u32>>(),
        ));
    }
    DataFrame::new(table.rows.len(), columns)
}

/// The actions frame with the merge's results: resolved `status`, `judged_deadline` (D) and its
/// kind, `rescheduled`, `report_date_used`, `snapshots`.
///
/// # Errors
/// A polars error if a column cannot be built.
pub fn actions_frame(table: &Table, lineage: &[ActionLineage]) -> PolarsResult<DataFrame> {
    with_lineage(table_frame(table)?, lineage)
}

/// What the actions KPIs read: `owner`, `objective` and `completed_on` with the merge's
/// results (as in [`actions_frame`]). Without the titles, ids, deadlines as reported and the
/// sources that no KPI reads: on 200,000 actions they were 65 MB of text copied into polars.
///
/// # Errors
/// A polars error if a column cannot be built.
pub fn actions_kpi_frame(table: &Table, lineage: &[ActionLineage]) -> PolarsResult<DataFrame> {
    let read = |name: &str| matches!(name, "owner" | "objective" | "completed_on");
    with_lineage(frame_of(table, read, false)?, lineage)
}

/// `df` with the merge's results of its actions.
fn with_lineage(mut df: DataFrame, lineage: &[ActionLineage]) -> PolarsResult<DataFrame> {
    let status: Vec<Option<&str>> = lineage.iter().map(|l| Some(l.status.as_str())).collect();
    df.with_column(text_column("status", status))?;
    let judged: Vec<Option<i32>> = lineage
        .iter()
        .map(|l| l.judged_deadline.and_then(|d| d.date()).map(epoch_days))
        .collect();
    df.with_column(date_column("judged_deadline", judged)?)?;
    let kinds: Vec<Option<&str>> = lineage
        .iter()
        .map(|l| l.judged_deadline.map(|d: Deadline| d.kind_name()))
        .collect();
    df.with_column(text_column("judged_deadline_kind", kinds))?;
    df.with_column(Column::new(
        "rescheduled".into(),
        lineage.iter().map(|l| l.rescheduled).collect::<Vec<_>>(),
    ))?;
    df.with_column(date_column(
        "report_date_used",
        lineage
            .iter()
            .map(|l| l.report_date.map(epoch_days))
            .collect(),
    )?)?;
    df.with_column(Column::new(
        "snapshots".into(),
        lineage
            .iter()
            .map(|l| l.snapshots as u32)
            .collect::<Vec<_>>(),
    ))?;
    Ok(df)
}
