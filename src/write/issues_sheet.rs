//! The Issues sheet: every rejected or questionable cell, file and sheet, errors first, with the
//! cell reference to find it. Always present, even when empty.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use super::Report;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::HashMap;

/// Where the consolidated rows named by issues stand on their data sheets: (file, sheet,
/// source row) → `'Data – kind'!A12` (none without data sheets). Only the rows an issue names
/// get a place: a million-row table with a few thousand warnings formats a few thousand.
fn data_rows<'a>(report: &'a Report) -> HashMap<(&'a str, &'a str, u32), String> {
    let mut places = HashMap::new();
    if !report.data_sheets {
        return places;
    }
    let wanted: std::collections::HashSet<(&str, &str, u32)> = report
        .issues
        .iter()
        .filter_map(|i| Some((i.file.as_str(), i.sheet.as_str(), row_of(&i.cell)?)))
        .collect();
    if wanted.is_empty() {
        return places;
    }
    let view = report.data_view();
    for table in &report.cons.tables {
        for (i, row) in table.rows.iter().enumerate() {
            let key = (row.origin.file(), row.origin.sheet(), row.origin.row);
            if wanted.contains(&key) {
                let (sheet, at) = super::data_sheets::place(&view, table.kind.name, i);
                places.insert(key, super::table::place(&sheet, at));
            }
        }
    }
    places
}

/// The row number of a cell reference (`F17` → 17, `17` → 17).
fn row_of(cell: &str) -> Option<u32> {
    let digits = cell.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    digits.parse().ok()
}

/// Writes the Issues sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = wb.add_worksheet();
    ws.set_name(&l.sheet_issues)?;
    let mut issues: Vec<_> = report.issues.iter().collect();
    issues.sort_by(|a, b| (a.severity, &a.file, &a.sheet).cmp(&(b.severity, &b.file, &b.sheet)));
    let places = data_rows(report);
    let rows: Vec<Vec<Out>> = issues
        .iter()
        .map(|i| {
            // A kept row (a warning about one of its cells) links to its row on the data sheet.
            let place =
                row_of(&i.cell).and_then(|r| places.get(&(i.file.as_str(), i.sheet.as_str(), r)));
            let cell = match place {
                Some(place) => Out::Link(
                    l.cell_or_row(&i.cell),
                    place.clone(),
                    l.open_data_row.clone(),
                ),
                None => Out::text(l.cell_or_row(&i.cell)),
            };
            vec![
                Out::text(i.file.clone()),
                Out::text(i.sheet.clone()),
                cell,
                Out::text(i.value.clone()),
                Out::Status(l.severity(i.severity.as_str()), i.severity.as_str().into()),
                Out::text(l.render(&i.reason)),
            ]
        })
        .collect();
    let mut widths = Widths::default();
    write_table(
        ws,
        styles,
        &mut widths,
        "Issues",
        0,
        0,
        &l.issue_columns,
        &rows,
        l,
        &l.nothing,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    ws.set_column_width(5, 90)?;
    Ok(())
}
