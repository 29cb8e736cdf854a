//! The xlsx of a converted file: one constant-memory worksheet per input sheet, in the same
//! order and with the same names (made valid for Excel), cells typed as the input types them,
//! first row frozen. Rows reach the worksheets in order, so nothing is ever written twice.

use super::names::excel_sheet_names;
use super::sheet::{self, cell_text};
use super::{ConvertError, SheetConverted};
use crate::excel_text::{cut_to_cell, write_text, EXCEL_MAX_TEXT_CHARS};
use crate::read::{CellBudget, RawCell, SheetSource};
use chrono::Datelike;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The workbook's name in the staging folder.
pub(super) const STAGED_NAME: &str = "workbook.xlsx";

/// Excel's limits.
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;

struct Formats {
    date: Format,
    date_time: Format,
    time: Format,
    duration: Format,
}

/// What did not survive as it was, counted per sheet for the summary.
#[derive(Default)]
struct Losses {
    shortened: u64,
    dates_as_text: u64,
}

/// Streams every sheet of `source` into `staging/workbook.xlsx`.
///
/// # Errors
/// A read error, [`ConvertError::DoesNotFit`] for a sheet beyond Excel's limits, or a write
/// error.
pub(super) fn write_workbook(
    source: &mut dyn SheetSource,
    names: &[String],
    staging: &Path,
    budget: &mut CellBudget,
) -> Result<Vec<SheetConverted>, ConvertError> {
    let failed = |e: XlsxError| ConvertError::Write(e.to_string());
    let mut workbook = Workbook::new();
    // Constant-memory sheets spool to temporary files: next to the output, not in /tmp.
    workbook.set_tempdir(staging).map_err(failed)?;
    let formats = Formats {
        date: Format::new().set_num_format("yyyy-mm-dd"),
        date_time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
        time: Format::new().set_num_format("hh:mm:ss"),
        duration: Format::new().set_num_format("[h]:mm"),
    };
    let mut sheets = Vec::with_capacity(names.len());
    for (name, excel_name) in names.iter().zip(excel_sheet_names(names)) {
        let spooled = sheet::spool(source, name, staging, budget)?;
        let worksheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(failed)?;
        worksheet.set_name(&excel_name).map_err(failed)?;
        worksheet.set_freeze_panes(1, 0).map_err(failed)?;
        let mut losses = Losses::default();
        spooled.for_each(|row| {
            for (col, cell) in &row.cells {
                if row.index >= MAX_ROWS || *col >= MAX_COLS {
                    return Err(ConvertError::DoesNotFit {
                        sheet: name.clone(),
                        detail: format!(
                            "more than Excel's {MAX_ROWS} rows or {MAX_COLS} columns; convert it to csv or parquet"
                        ),
                    });
                }
                write_cell(worksheet, row.index, *col as u16, cell, &formats, &mut losses)
                    .map_err(failed)?;
            }
            Ok(())
        })?;
        let mut notes = Vec::new();
        if excel_name != *name {
            notes.push(format!(
                "written as sheet \u{201c}{excel_name}\u{201d} (Excel's rules for sheet names)"
            ));
        }
        if losses.shortened > 0 {
            notes.push(format!(
                "{} text(s) cut to Excel's {EXCEL_MAX_TEXT_CHARS} characters",
                losses.shortened
            ));
        }
        if losses.dates_as_text > 0 {
            notes.push(format!(
                "{} date(s) outside Excel's years 1900–9999 written as ISO text",
                losses.dates_as_text
            ));
        }
        sheets.push(SheetConverted {
            name: name.clone(),
            rows: spooled.rows,
            staged: None,
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
    }
    let path = staging.join(STAGED_NAME);
    workbook.save(&path).map_err(failed)?;
    std::fs::File::open(&path)
        .and_then(|f| f.sync_all())
        .map_err(ConvertError::io)?;
    Ok(sheets)
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &RawCell,
    formats: &Formats,
    losses: &mut Losses,
) -> Result<(), XlsxError> {
    let in_excel = |year: i32| (1900..=9999).contains(&year);
    match cell {
        RawCell::Empty => {}
        RawCell::Text(t) => {
            if cut_to_cell(t).is_some() {
                losses.shortened += 1;
            }
            // Always a string (a text starting with `=` stays text, never a formula), cut at
            // Excel's cell length.
            write_text(ws, row, col, t, None)?;
        }
        RawCell::Number(n) if n.is_finite() => {
            ws.write_number(row, col, *n)?;
        }
        RawCell::Number(n) => {
            ws.write_string(row, col, cell_text(&RawCell::Number(*n)))?;
        }
        RawCell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        RawCell::Date(d) if in_excel(d.year()) => {
            ws.write_datetime_with_format(row, col, d, &formats.date)?;
        }
        RawCell::DateTime(t) if in_excel(t.year()) => {
            ws.write_datetime_with_format(row, col, t, &formats.date_time)?;
        }
        RawCell::Date(_) | RawCell::DateTime(_) => {
            losses.dates_as_text += 1;
            ws.write_string(row, col, cell_text(cell))?;
        }
        RawCell::Time(t) => {
            ws.write_datetime_with_format(row, col, t, &formats.time)?;
        }
        RawCell::Duration(days) => {
            ws.write_number_with_format(row, col, *days, &formats.duration)?;
        }
        RawCell::Error(e) => {
            write_text(ws, row, col, e, None)?;
        }
    }
    Ok(())
}
