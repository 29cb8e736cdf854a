//! `report --data-dir`: every consolidated table (typed columns and lineage, each action with
//! its class), the KPI table and the issues as Parquet, hive-partitioned by reporting month, so
//! a year of runs is one dataset for DuckDB, Spark or Trino. Writes only
//! `<table>/report_month=YYYY-MM/part-0.parquet` files under its folder. Each month's partition
//! is that month's whole picture, not what changed since the month before.

use super::save_atomically;
use crate::consolidate::{actions_frame, table_frame, Table};
use crate::engine::RunResult;
use crate::error::RunError;
use crate::i18n::Labels;
use crate::kpi::kpi_frame;
use crate::schema::KINDS;
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// The hive partition key. Not `month`: the absence and headcount tables have a `month` column
/// of their own, and engines replace a file's column by the partition value of the same name
/// (DuckDB does so silently), which would turn every absence month into the reporting month.
pub const PARTITION_KEY: &str = "report_month";

/// The folder that holds the KPI table.
pub const KPI_TABLE: &str = "kpis";

/// The folder that holds the issues.
pub const ISSUES_TABLE: &str = "issues";

/// The file of one table kind (or [`KPI_TABLE`]) for one reporting month.
pub fn partition_file(dir: &Path, table: &str, month: &str) -> PathBuf {
    dir.join(table)
        .join(format!("{PARTITION_KEY}={month}"))
        .join("part-0.parquet")
}

/// Writes one Parquet file per table kind found, one for the KPI table and one for the
/// issues (reasons in `labels`' language beside their stable `reason_key`), for the run's
/// reporting month; a kind written by an earlier run of the same month but absent now is
/// removed, so the month's partition always matches its latest run. Extra (unknown) columns of
/// the inputs stay in the workbook's Data sheets: the dataset keeps one schema per kind.
/// Returns the files written.
///
/// # Errors
/// [`RunError::Write`] when a folder cannot be made or a file encoded or saved.
pub fn write_data_dir(
    dir: &Path,
    run: &RunResult,
    labels: &Labels,
) -> Result<Vec<PathBuf>, RunError> {
    let mut written = Vec::new();
    for kind in KINDS {
        let path = partition_file(dir, kind.name, &run.month);
        match run.cons.table(kind.name) {
            Some(table) if kind.name == "actions" => {
                let frame = actions_frame(table, &run.cons.actions)
                    .and_then(|df| with_classes(df, run))
                    .and_then(|df| with_corrections(df, table, run));
                write_frame(&path, frame)?;
                written.push(path);
            }
            Some(table) => {
                let frame = table_frame(table).and_then(|df| with_corrections(df, table, run));
                write_frame(&path, frame)?;
                written.push(path);
            }
            None if path.exists() => std::fs::remove_file(&path).map_err(|e| RunError::Write {
                path: path.clone(),
                detail: format!("cannot remove the previous run's file: {e}"),
            })?,
            None => {}
        }
    }
    let path = partition_file(dir, KPI_TABLE, &run.month);
    write_frame(&path, kpi_frame(&run.kpis))?;
    written.push(path);
    let path = partition_file(dir, ISSUES_TABLE, &run.month);
    write_frame(&path, issues_frame(run, labels))?;
    written.push(path);
    Ok(written)
}

/// The frame with a `corrections` column (the cells of each row corrected by the analyst,
/// `H20: “31/02/2025” → “28/02/2025” (c1)`) when the run has any; unchanged otherwise.
fn with_corrections(mut df: DataFrame, table: &Table, run: &RunResult) -> PolarsResult<DataFrame> {
    if run.cons.corrected.is_empty() {
        return Ok(df);
    }
    let column: Vec<Option<&str>> = table
        .rows
        .iter()
        .map(|r| run.cons.corrected.of_row(&r.origin))
        .collect();
    df.with_column(Column::new("corrections".into(), column))?;
    Ok(df)
}

/// The actions frame with each action's `class` at the as-of date (`on_time`, `late`,
/// `overdue`, `open`, `continuous`, `cancelled`, `undated`, `done_undated`, `unknown`), the
/// class the Dashboard counts, so that the dashboard can be rebuilt in SQL.
fn with_classes(mut df: DataFrame, run: &RunResult) -> PolarsResult<DataFrame> {
    // The records are the table's rows, in order.
    let records = &run.actions.records;
    let classes: Vec<Option<&str>> = (0..df.height())
        .map(|r| records.get(r).map(|a| a.class.as_str()))
        .collect();
    df.with_column(Column::new("class".into(), classes))?;
    Ok(df)
}

/// Every issue of the run, one row each: `file`, `sheet`, `cell`, `value`, `severity`
/// (`error`, `warning`, `info`), `reason_key` (stable across languages) and `reason`.
fn issues_frame(run: &RunResult, labels: &Labels) -> PolarsResult<DataFrame> {
    let issues = &run.issues;
    let text = |name: &str, values: Vec<&str>| Column::new(name.into(), values);
    let columns = vec![
        text("file", issues.iter().map(|i| i.file.as_str()).collect()),
        text("sheet", issues.iter().map(|i| i.sheet.as_str()).collect()),
        text("cell", issues.iter().map(|i| i.cell.as_str()).collect()),
        text("value", issues.iter().map(|i| i.value.as_str()).collect()),
        text(
            "severity",
            issues.iter().map(|i| i.severity.as_str()).collect(),
        ),
        text("reason_key", issues.iter().map(|i| i.reason.key).collect()),
        Column::new(
            "reason".into(),
            issues
                .iter()
                .map(|i| labels.render(&i.reason))
                .collect::<Vec<String>>(),
        ),
    ];
    DataFrame::new(issues.len(), columns)
}

fn write_frame(path: &Path, frame: PolarsResult<DataFrame>) -> Result<(), RunError> {
    let failed = |detail: String| RunError::Write {
        path: path.to_path_buf(),
        detail,
    };
    let mut df = frame.map_err(|e| failed(format!("cannot build the table: {e}")))?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .finish(&mut df)
        .map_err(|e| failed(format!("cannot encode the table: {e}")))?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|e| failed(format!("cannot create its folder: {e}")))?;
    }
    save_atomically(path, &buf).map_err(|e| failed(e.to_string()))
}
