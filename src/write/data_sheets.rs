//! One `Data – <kind>` sheet per table kind found: the consolidated rows with typed cells, the
//! extra columns, and the lineage columns. Large tables are streamed (constant memory).

use super::styles::Styles;
use super::table::{write_cell, Out, Widths};
use super::Report;
use crate::consolidate::Table;
use crate::model::{Deadline, Value};
use rust_xlsxwriter::{
    ColNum, RowNum, Table as XlTable, TableColumn, TableStyle, Workbook, XlsxError,
};

/// Above this many rows a data sheet is streamed to disk instead of held in memory.
const STREAM_ABOVE_ROWS: usize = 20_000;
/// Rows looked at to fit column widths.
const WIDTH_SAMPLE_ROWS: usize = 500;

fn value_cell(v: &Value) -> Out {
    match v {
        Value::Empty => Out::Empty,
        Value::Text(t) => Out::text(t.clone()),
        Value::Number(n) => Out::Num(*n),
        Value::Date(d) => Out::Date(Some(*d)),
        Value::Deadline(Deadline::Date(d, _)) => Out::Date(Some(*d)),
        Value::Deadline(other) => Out::text(other.kind_name().replace('_', " ")),
        Value::Period(p) => Out::text(p.to_string()),
        Value::Status(s) => Out::text(s.as_str()),
        Value::Polarity(p) => Out::text(p.as_str()),
        Value::Bool(b) => Out::text(if *b { "yes" } else { "no" }),
    }
}

fn row_cells(report: &Report, table: &Table, r: usize) -> Vec<Out> {
    let row = &table.rows[r];
    let mut cells: Vec<Out> = row.values.iter().map(value_cell).collect();
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
                    .map_or(Out::Empty, |d| value_cell(&Value::Deadline(d))),
            );
            cells.push(Out::text(if lineage.rescheduled { "yes" } else { "no" }));
            cells.push(Out::Date(lineage.report_date));
            cells.push(Out::Int(lineage.snapshots as f64));
        }
    }
    cells.push(Out::text(row.origin.file.to_string()));
    cells.push(Out::text(row.origin.sheet.to_string()));
    cells.push(Out::Int(f64::from(row.origin.row)));
    cells
}

/// Writes every data sheet.
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
        let ws = if table.rows.len() > STREAM_ABOVE_ROWS {
            wb.add_worksheet_with_constant_memory()?
        } else {
            wb.add_worksheet()
        };
        ws.set_name(format!(
            "{}{}",
            report.labels.sheet_data_prefix, table.kind.name
        ))?;
        let mut widths = Widths::default();
        for (c, h) in headers.iter().enumerate() {
            widths.fit(c as ColNum, h.chars().count());
        }
        for r in 0..table.rows.len().min(WIDTH_SAMPLE_ROWS) {
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
        let last_row = table.rows.len().max(1) as RowNum;
        let xl = XlTable::new()
            .set_name(format!("Data_{}", table.kind.name))
            .set_columns(&columns)
            .set_style(TableStyle::Light9);
        // The table writes its header row itself, and before the data: in constant-memory mode
        // a row written twice is dropped with a warning printed on stderr.
        ws.add_table(
            0,
            0,
            last_row,
            headers.len().saturating_sub(1) as ColNum,
            &xl,
        )?;
        for r in 0..table.rows.len() {
            for (c, cell) in row_cells(report, table, r).iter().enumerate() {
                write_cell(ws, styles, (r + 1) as RowNum, c as ColNum, cell)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_landscape();
    }
    Ok(())
}
