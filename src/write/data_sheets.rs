//! One `Data – <kind>` sheet per table kind found: the consolidated rows with typed cells, the
//! extra columns, and the lineage columns. Large tables are streamed (constant memory), and the
//! sheets are filled on worker threads (see [`parts`] and [`fill`]).

use super::styles::Styles;
use super::table::{Out, Widths};
use super::Report;
use crate::consolidate::Table;
use crate::i18n::Labels;
use crate::model::{Deadline, Value};
use rust_xlsxwriter::{
    ColNum, RowNum, Table as XlTable, TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
};

/// Above this many rows a data sheet is streamed to disk instead of held in memory
/// (rust_xlsxwriter's low-memory mode: rows go to a temporary file, repeated text such as units
/// and source files is stored once in the shared string table, as Excel stores it).
pub(super) const STREAM_ABOVE_ROWS: usize = 20_000;
/// Rows looked at to fit column widths.
const WIDTH_SAMPLE_ROWS: usize = 500;

/// A typed value as the Data sheet shows it (to fit column widths; [`write_value`] writes it): statuses and polarities by their canonical machine
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

/// One data sheet to fill: rows `rows` of `table`, on its own worksheet, so that the sheets of
/// several tables (and parts of one) are filled on worker threads while the report sheets are
/// built, then added to the workbook in order.
pub struct Part<'r> {
    table: &'r Table,
    headers: std::sync::Arc<Vec<String>>,
    part: usize,
    rows: std::ops::Range<usize>,
    /// The sheet, empty until [`fill`] writes it.
    pub sheet: Worksheet,
}

/// The headers of a table's data sheets: its columns, extra columns, the merge's columns for
/// actions, then the lineage; unique as Excel tables require.
fn headers(table: &Table) -> Vec<String> {
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
    headers
}

/// The data sheets to write, one per table and every [`Report::rows_per_data_sheet`] rows,
/// each with an empty worksheet of the workbook (streamed to disk when large).
///
/// # Errors
/// A rust_xlsxwriter error (the temporary file of a streamed sheet).
pub fn parts<'r>(wb: &mut Workbook, report: &'r Report) -> Result<Vec<Part<'r>>, XlsxError> {
    let mut out = Vec::new();
    for table in &report.cons.tables {
        let headers = std::sync::Arc::new(headers(table));
        let per_sheet = report.rows_per_data_sheet;
        let count = table.rows.len().div_ceil(per_sheet).max(1);
        for part in 0..count {
            let rows = part * per_sheet..((part + 1) * per_sheet).min(table.rows.len());
            let mut sheet = if rows.len() > STREAM_ABOVE_ROWS {
                wb.new_worksheet_with_low_memory()?
            } else {
                Worksheet::new()
            };
            sheet.set_name(sheet_name(report, table.kind.name, part))?;
            out.push(Part {
                table,
                headers: std::sync::Arc::clone(&headers),
                part,
                rows,
                sheet,
            });
        }
    }
    Ok(out)
}

/// Writes the value of one cell straight from the consolidated row: text, numbers and
/// integers unformatted (General, as a data table shows them), dates in the date format.
fn write_value(
    ws: &mut Worksheet,
    styles: &Styles,
    l: &Labels,
    (row, col): (RowNum, ColNum),
    v: &Value,
) -> Result<(), XlsxError> {
    match v {
        Value::Empty => {}
        Value::Text(t) => write_text(ws, row, col, t)?,
        Value::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Value::Date(d) | Value::Deadline(Deadline::Date(d, _)) => {
            ws.write_date_with_format(row, col, *d, &styles.date)?;
        }
        Value::Deadline(other) => write_text(ws, row, col, &l.deadline(other.kind_name()))?,
        Value::Period(p) => write_text(ws, row, col, &p.to_string())?,
        Value::Status(s) => write_text(ws, row, col, s.as_str())?,
        Value::Polarity(p) => write_text(ws, row, col, p.as_str())?,
        Value::Bool(b) => write_text(ws, row, col, if *b { &l.yes } else { &l.no })?,
    }
    Ok(())
}

/// Text as a string cell, cut at Excel's 32,767 characters (longer input is cut, not refused).
fn write_text(ws: &mut Worksheet, row: RowNum, col: ColNum, t: &str) -> Result<(), XlsxError> {
    // A UTF-8 string of at most 32,767 bytes has at most as many UTF-16 units.
    if t.len() <= 32_767 {
        ws.write_string(row, col, t)?;
    } else {
        ws.write_string(row, col, t.chars().take(32_767).collect::<String>())?;
    }
    Ok(())
}

/// Writes row `r` of the table at Excel row `at`, cell by cell from the values (no
/// intermediate value per cell).
fn write_row(
    ws: &mut Worksheet,
    styles: &Styles,
    report: &Report,
    table: &Table,
    r: usize,
    at: RowNum,
) -> Result<(), XlsxError> {
    let row = &table.rows[r];
    let l = report.labels;
    let mut c: ColNum = 0;
    for v in &row.values {
        write_value(ws, styles, l, (at, c), v)?;
        c += 1;
    }
    for i in 0..table.extra_columns.len() {
        write_text(ws, at, c, row.extras.get(i).map_or("", String::as_str))?;
        c += 1;
    }
    if table.kind.name == "actions" {
        if let Some(lineage) = report.cons.actions.get(r) {
            write_text(ws, at, c, lineage.status.as_str())?;
            if let Some(d) = lineage.judged_deadline {
                write_value(ws, styles, l, (at, c + 1), &Value::Deadline(d))?;
            }
            write_text(
                ws,
                at,
                c + 2,
                if lineage.rescheduled { &l.yes } else { &l.no },
            )?;
            if let Some(d) = lineage.report_date {
                ws.write_date_with_format(at, c + 3, d, &styles.date)?;
            }
            ws.write_number(at, c + 4, lineage.snapshots as f64)?;
        }
        c += 5;
    }
    write_text(ws, at, c, &row.origin.file)?;
    write_text(ws, at, c + 1, &row.origin.sheet)?;
    ws.write_number(at, c + 2, f64::from(row.origin.row))?;
    Ok(())
}

/// Fills one data sheet: the header and its rows, as an Excel table.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn fill(part: &mut Part, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let Part {
        table,
        headers,
        part,
        rows,
        sheet: ws,
    } = part;
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
    let last_row = rows.len().max(1) as RowNum;
    let last_col = headers.len().saturating_sub(1) as ColNum;
    if rows.len() > STREAM_ABOVE_ROWS {
        // A large sheet is a filtered range, not an Excel table: rust_xlsxwriter's add_table
        // records every cell of a table's range in a hash map to detect overlaps (14 million
        // entries for the benchmark's data sheets: seconds and hundreds of MB), and Excel
        // itself is slow with tables of a million rows. The header looks the same, with the
        // same filter buttons; no banding.
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as ColNum, h, &styles.header)?;
        }
        ws.autofilter(0, 0, last_row, last_col)?;
    } else {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| {
                TableColumn::new()
                    .set_header(h)
                    .set_header_format(&styles.header)
            })
            .collect();
        let name = match part {
            0 => format!("Data_{}", table.kind.name),
            _ => format!("Data_{}_{}", table.kind.name, *part + 1),
        };
        let xl = XlTable::new()
            .set_name(name)
            .set_columns(&columns)
            .set_style(TableStyle::Light9);
        // The table writes its header row itself, before the data rows: a streamed sheet has
        // flushed row 0 once row 1 is written.
        ws.add_table(0, 0, last_row, last_col, &xl)?;
    }
    for (n, r) in rows.clone().enumerate() {
        write_row(ws, styles, report, table, r, (n + 1) as RowNum)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    // Printed, a data sheet is as wide as the page and repeats its header on every page.
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
