//! The Received files sheet: one row per sheet of every file — its directorates, report date,
//! table kind, rows read / kept / rejected / skipped, issues by severity, and why a file or
//! sheet was not used — then the expected directorates that sent nothing this month or only an
//! older snapshot.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use super::Report;
use crate::received::{Received, ReceivedFile, ReceivedSheet};
use rust_xlsxwriter::{Workbook, XlsxError};

/// A count that shows nothing when zero, so the eye finds the rows with problems.
fn count(n: usize) -> Out {
    if n == 0 {
        Out::Empty
    } else {
        Out::Int(n as f64)
    }
}

/// The row of one sheet of a file (or of the file alone when it has no sheet to show).
fn sheet_row(report: &Report, f: &ReceivedFile, s: Option<&ReceivedSheet>) -> Vec<Out> {
    let l = report.labels;
    let date = f.report_date.map_or(Out::Empty, |d| Out::Date(Some(d)));
    let (name, kind, rows, issues) = match s {
        Some(s) => (
            s.outcome.sheet.clone(),
            s.outcome.kind.map(|k| l.kind(k)).unwrap_or_default(),
            s.outcome.rows,
            s.issues,
        ),
        None => (String::new(), String::new(), f.rows, f.issues),
    };
    // Why: the file's when nothing of it is used, else the sheet's own note (ignored, rejected).
    let why = match (f.why_not_used, s.and_then(|s| s.outcome.note.as_ref())) {
        (Some(reason), _) => l.labelled(&l.file_not_used, l.render(reason)),
        (None, Some(note)) => l.render(note),
        (None, None) if s.is_some_and(|s| s.outcome.kind.is_some()) => l.file_used.clone(),
        (None, None) => String::new(),
    };
    let used = if f.is_not_used() {
        Out::Status(why, "error".into())
    } else {
        Out::Wrap(why)
    };
    vec![
        Out::text(f.file),
        Out::text(f.directorates.join(", ")),
        date,
        Out::text(name),
        Out::text(kind),
        count(rows.read),
        count(rows.kept),
        count(rows.rejected),
        count(rows.skipped),
        count(issues.error),
        count(issues.warning),
        count(issues.info),
        used,
    ]
}

/// Writes the Received files sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let received = Received::of(report);
    let ws = super::report_sheet(wb, styles, &l.sheet_received, report)?;
    let mut widths = Widths::default();
    widths.pin(12, 70);
    ws.write_string_with_format(3, 0, &l.received_files, &styles.section)?;
    let rows: Vec<Vec<Out>> = received
        .files
        .iter()
        .flat_map(|f| {
            let sheets: Vec<Vec<Out>> = if f.sheets.is_empty() {
                vec![sheet_row(report, f, None)]
            } else {
                f.sheets
                    .iter()
                    .map(|s| sheet_row(report, f, Some(s)))
                    .collect()
            };
            sheets
        })
        .collect();
    let next = write_table(
        ws,
        styles,
        &mut widths,
        "Received",
        4,
        0,
        &l.received_columns,
        &rows,
        l,
        &l.nothing,
    )?;
    let top = next + 1;
    ws.write_string_with_format(
        top,
        0,
        l.fill(&l.received_missing, &[("month", l.month(&report.month))]),
        &styles.section,
    )?;
    let basis = if received.expected.configured {
        &l.received_basis_config
    } else {
        &l.received_basis_recent
    };
    ws.write_string_with_format(top + 1, 0, basis, &styles.note)?;
    let missing: Vec<Vec<Out>> = received
        .expected
        .missing
        .iter()
        .map(|m| {
            let situation = match m.latest {
                Some(d) => l.fill(
                    &l.received_older,
                    &[("directorate", m.directorate.clone()), ("date", l.date(d))],
                ),
                None => l.fill(
                    &l.received_nothing,
                    &[("directorate", m.directorate.clone())],
                ),
            };
            vec![
                Out::text(m.directorate.clone()),
                m.latest.map_or(Out::Empty, |d| Out::Date(Some(d))),
                Out::Status(situation, "amber".into()),
            ]
        })
        .collect();
    write_table(
        ws,
        styles,
        &mut widths,
        "Expected",
        top + 2,
        0,
        &l.received_missing_columns,
        &missing,
        l,
        &l.received_all_in,
    )?;
    ws.set_freeze_panes(5, 1)?;
    widths.apply(ws)?;
    Ok(())
}
