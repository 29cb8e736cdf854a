//! The Issues sheet: every rejected or questionable cell, file and sheet, errors first, with the
//! cell reference to find it. Always present, even when empty.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use super::Report;
use rust_xlsxwriter::{Workbook, XlsxError};

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
    let rows: Vec<Vec<Out>> = issues
        .iter()
        .map(|i| {
            vec![
                Out::text(i.file.clone()),
                Out::text(i.sheet.clone()),
                Out::text(i.cell.clone()),
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
        &l.nothing,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    ws.set_column_width(5, 90)?;
    Ok(())
}
