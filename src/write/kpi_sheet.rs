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

/// Writes the KPI sheet.
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
                Out::text(r.scope),
                Out::text(r.key.clone()),
                Out::text(r.period.clone()),
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
        &l.nothing,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    Ok(())
}
