//! The KPI sheet: the whole KPI table of spec 5 as one Excel table, each value in the format of
//! its unit from the KPI registry.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use super::Report;
use rust_xlsxwriter::{Workbook, XlsxError};

/// A numerator or denominator: whole counts as integers, sums of days or euro with their decimals.
fn basis(v: Option<f64>) -> Out {
    match v {
        Some(n) if n.fract() == 0.0 => Out::Int(n),
        Some(n) => Out::Num(n),
        None => Out::Empty,
    }
}

/// A KPI's key as a reader reads it: the group's name (`(geen directie)` for none), a deadline
/// month in words.
fn key(l: &crate::i18n::Labels, scope: &str, key: &str) -> String {
    match scope {
        "deadline_month" => l.period(key),
        _ => l.group(scope, key),
    }
}

/// Writes the KPI sheet: the KPI's id (stable, as in the export), its name, scope, key and
/// period in the run's language, its figures in their units.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = wb.add_worksheet();
    ws.set_name(&l.sheet_kpi)?;
    let mut widths = Widths::default();
    let rows: Vec<Vec<Out>> = report
        .kpis
        .iter()
        .map(|r| {
            vec![
                Out::text(r.kpi.id()),
                Out::text(l.kpi(r.kpi)),
                Out::text(l.scope(r.scope)),
                Out::text(key(l, r.scope, &r.key)),
                Out::text(l.period(&r.period)),
                basis(r.numerator),
                basis(r.denominator),
                Out::Measure(r.kpi.unit(), r.value),
                if r.status.is_empty() {
                    Out::Empty
                } else {
                    Out::Status(
                        super::dashboard::status_word(l, &r.figure()),
                        r.status.clone(),
                    )
                },
            ]
        })
        .collect();
    write_table(
        ws,
        styles,
        &mut widths,
        "KPI",
        0,
        0,
        &l.kpi_columns,
        &rows,
        l,
        &l.nothing,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    Ok(())
}
