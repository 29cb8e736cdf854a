//! One `Data – <kind>` sheet per table kind found: the consolidated rows with typed cells, the
//! extra columns, and the lineage columns. Large tables are streamed (constant memory).

use super::styles::Styles;
use super::table::{write_cell, Out, Widths};
use super::Report;
use crate::consolidate::Table;
use crate::i18n::Labels;
use crate::model::{Deadline, Value};
use rust_xlsxwriter::{
    ColNum, RowNum, Table as XlTable, TableColumn, TableStyle, Workbook, XlsxError,
};

/// Above this many rows a data sheet is streamed to disk instead of held in memory.
const STREAM_ABOVE_ROWS: usize = 20_000;
/// Rows looked at to fit column widths.
const WIDTH_SAMPLE_ROWS: usize = 500;

/// A typed value as the Data sheet shows it: statuses and polarities by their canonical machine
/// names (as in the KPI export), yes/no and deadlines that are no date in the chosen language.
fn value_cell(l: &Labels, v: &Value) -> Out {
    match v {
        Value::Empty => Out::Empty,
        Value::Text(t) => Out::text(t.clone()),
        Value::Number(n) => Out::Num(*n),
        Value::Date(d) => Out::Date(Some(*d)),
        Value::Deadline(Deadline::Date(d, _)) => Out::Date(Some(*d)),
        Value::Deadline(other) => Out::text(l.deadline(other.kind_name())),
        Value::Period(p) => Out::text(p.to_string()),
        Value::Status(s) => Out::text(s.as_str()),
        Value::Polarity(p) => Out::text(p.as_str()),
        Value::Bool(b) => Out::text(if *b { l.yes.as_str() } else { l.no.as_str() }),
    }
}

fn row_cells(report: &Report, table: &Table, r: usize) -> Vec<Out> {
    let row = &table.rows[r];
    let l = report.labels;
    let mut cells: Vec<Out> = row.values.iter().map(|v| value_cell(l, v)).collect();
    cells.extend(
        (0..table.extra_columns.len())
            .map(|i| Out::text(row.extras.get(i).cloned().unwrap_or_default())),
    );
    if table.kind.name == "actions" {
        if let Some(lineage) = report.cons.actions.get(r) {
            cells.push(Out::text(lineage.status.as_str()));
            cells.push(
                lineage
                    .judged_deadline
                    .map_or(Out::Empty, |d| value_cell(l, &Value::Deadline(d))),
            );
            cells.push(Out::text(if lineage.rescheduled {
                l.yes.as_str()
            } else {
                l.no.as_str()
            }));
            cells.push(Out::Date(lineage.report_date));
            cells.push(Out::Int(lineage.snapshots as f64));
        }
    }
    cells.push(Out::text(row.origin.file.to_string()));
    cells.push(Out::text(row.origin.sheet.to_string()));
    cells.push(Out::Int(f64::from(row.origin.row)));
    cells
}

/// Where row `i` of the table of `kind` stands: its data sheet (`Data – kind`, then
/// `Data – kind (2)`… every [`Report::rows_per_data_sheet`] rows) and its Excel row (1-based,
/// under the header).
pub fn place(report: &Report, kind: &str, i: usize) -> (String, usize) {
    let per_sheet = report.rows_per_data_sheet;
    (sheet_name(report, kind, i / per_sheet), i % per_sheet + 2)
}

/// The name of the `part`-th (0-based) data sheet of `kind`.
fn sheet_name(report: &Report, kind: &str, part: usize) -> String {
    let base = format!(
        "{}{}",
        report.labels.sheet_data_prefix,
        report.labels.kind(kind)
    );
    if part == 0 {
        base
    } else {
        format!("{base} ({})", part + 1)
    }
}

/// Writes every data sheet; a table longer than a sheet holds continues on the next one.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    for table in &report.cons.tables {
        let mut headers: Vec<String> = table
            .kind
            .columns
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        headers.extend(table.extra_columns.iter().cloned());
        if table.kind.name == "actions" {
            headers.extend(
                [
                    "status_used",
                    "judged_deadline",
                    "rescheduled",
                    "report_date_used",
                    "snapshots",
                ]
                .map(String::from),
            );
        }
        headers.extend(["source_file", "source_sheet", "source_row"].map(String::from));
        // Excel table headers must be unique: a repeated extra header gets a suffix.
        let mut seen = std::collections::HashSet::new();
        for h in headers.iter_mut() {
            let base = h.clone();
            let mut n = 2;
            while !seen.insert(h.to_lowercase()) {
                *h = format!("{base} ({n})");
                n += 1;
            }
        }
        let per_sheet = report.rows_per_data_sheet;
        let parts = table.rows.len().div_ceil(per_sheet).max(1);
        for part in 0..parts {
            let rows = part * per_sheet..((part + 1) * per_sheet).min(table.rows.len());
            write_part(wb, styles, report, table, &headers, part, rows)?;
        }
    }
    Ok(())
}

/// One data sheet: the header and the table's `rows`, as an Excel table.
fn write_part(
    wb: &mut Workbook,
    styles: &Styles,
    report: &Report,
    table: &Table,
    headers: &[String],
    part: usize,
    rows: std::ops::Range<usize>,
) -> Result<(), XlsxError> {
    let ws = if rows.len() > STREAM_ABOVE_ROWS {
        wb.add_worksheet_with_constant_memory()?
    } else {
        wb.add_worksheet()
    };
    ws.set_name(sheet_name(report, table.kind.name, part))?;
    let mut widths = Widths::default();
    for (c, h) in headers.iter().enumerate() {
        widths.fit(c as ColNum, h.chars().count());
    }
    for r in rows.clone().take(WIDTH_SAMPLE_ROWS) {
        for (c, cell) in row_cells(report, table, r).iter().enumerate() {
            widths.fit(c as ColNum, cell.width());
        }
    }
    widths.apply(ws)?;
    let columns: Vec<TableColumn> = headers
        .iter()
        .map(|h| {
            TableColumn::new()
                .set_header(h)
                .set_header_format(&styles.header)
        })
        .collect();
    let last_row = rows.len().max(1) as RowNum;
    let name = match part {
        0 => format!("Data_{}", table.kind.name),
        _ => format!("Data_{}_{}", table.kind.name, part + 1),
    };
    let xl = XlTable::new()
        .set_name(name)
        .set_columns(&columns)
        .set_style(TableStyle::Light9);
    ws.add_table(
        0,
        0,
        last_row,
        headers.len().saturating_sub(1) as ColNum,
        &xl,
    )?;
    // The table writes its header row itself. It comes before the data rows because a
    // streamed (constant memory) sheet has flushed row 0 once row 1 is written, and
    // rust_xlsxwriter then prints "Ignoring write to previously written row 0 in 'constant
    // memory' mode." on stderr for every header cell the table writes.
    for (n, r) in rows.clone().enumerate() {
        for (c, cell) in row_cells(report, table, r).iter().enumerate() {
            write_cell(ws, styles, (n + 1) as RowNum, c as ColNum, cell)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    // Printed, a data sheet is as wide as the page and repeats its header on every page.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
