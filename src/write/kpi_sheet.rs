//! The KPI sheet: the whole KPI table of spec 5 as one Excel table, rates as percentages.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use super::Report;
use rust_xlsxwriter::{Workbook, XlsxError};

/// Whether a KPI id is a rate (shown as a percentage) rather than a count.
pub fn is_rate(kpi: &str) -> bool {
    kpi.ends_with("_rate") || kpi.ends_with("_share")
}

/// Writes the KPI sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = wb.add_worksheet();
    ws.set_name(l.sheet_kpi)?;
    let mut widths = Widths::default();
    let rows: Vec<Vec<Out>> = report
        .kpis
        .iter()
        .map(|r| {
            let number = |v: Option<f64>| v.map_or(Out::Empty, Out::Int);
            vec![
                Out::text(r.kpi),
                Out::text(l.kpi(r.kpi)),
                Out::text(r.scope),
                Out::text(r.key.clone()),
                Out::text(r.period.clone()),
                number(r.numerator),
                number(r.denominator),
                if is_rate(r.kpi) {
                    Out::Pct(r.value)
                } else {
                    number(r.value)
                },
                if r.status.is_empty() {
                    Out::Empty
                } else {
                    Out::Status(r.status.clone(), r.status.clone())
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
        l.nothing,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    Ok(())
}
