//! The Absenteeism sheet: the unit × month matrix of absence rates (colour scale, green low to
//! red high), the rolling 12 months, year-over-year change and trend per unit, the organisation's
//! monthly line with its rolling 12-month line.

use super::styles::{Styles, BLUE};
use super::table::{write_table, Out, Widths};
use super::Report;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartType, Color,
    ConditionalFormat3ColorScale, Workbook, XlsxError,
};

/// Header row of the organisation table (months across; rate, rolling 12 months below it),
/// which the Dashboard's chart reads too: title rows, the matrix (units + the organisation), a gap.
pub fn organisation_header_row(units: usize) -> u32 {
    units as u32 + 7
}

/// Writes the Absenteeism sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let a = &report.absence;
    let ws = super::report_sheet(wb, styles, &l.sheet_absence, report)?;
    let last = a.months.last().cloned().unwrap_or_default();
    let value = |kpi: &str, scope: &str, key: &str, period: &str| {
        report.kpi_at(kpi, scope, key, period).and_then(|k| k.value)
    };

    let mut headers: Vec<String> = vec![l.directorate.clone()];
    // Months as `2025-03`: language-neutral and compact for a matrix of up to 24 columns.
    headers.extend(a.months.iter().cloned());
    headers.extend([
        l.rolling_12m.to_string(),
        l.vs_year_before.to_string(),
        l.trend.to_string(),
    ]);
    let line = |scope: &'static str, key: &str, label: &str| {
        let mut row = vec![Out::text(label)];
        row.extend(
            a.months
                .iter()
                .map(|m| Out::Pct(value("absence_rate", scope, key, m))),
        );
        row.push(Out::Pct(value("absence_rate_12m", scope, key, &last)));
        row.push(value("absence_rate_yoy", scope, key, &last).map_or(Out::Empty, Out::Points));
        let trend = report.kpi_at("absence_trend", scope, key, &last);
        row.push(match trend {
            Some(t) => Out::Status(l.trend_word(&t.status), trend_colour(&t.status).into()),
            None => Out::Empty,
        });
        row
    };
    let mut rows: Vec<Vec<Out>> = a.units.iter().map(|u| line("unit", u, u)).collect();
    rows.push(line("all", "", &l.whole_organisation));
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut widths = Widths::default();
    ws.write_string_with_format(2, 0, &l.absence_matrix, &styles.section)?;
    let first = 3;
    let end = write_table(
        ws,
        styles,
        &mut widths,
        "AbsenceByUnit",
        first,
        0,
        &header_refs,
        &rows,
        &l.nothing,
    )?;
    if !a.months.is_empty() {
        // Green for the lowest rates, red for the highest, over the whole matrix.
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color(Color::RGB(0x63BE7B))
            .set_midpoint_color(Color::RGB(0xFFEB84))
            .set_maximum_color(Color::RGB(0xF8696B));
        ws.add_conditional_format(first + 1, 1, end - 1, a.months.len() as u16, &scale)?;
    }

    // The organisation, month by month: the chart reads these rows.
    // The Dashboard's chart reads this table: its position comes from one function.
    let org = organisation_header_row(a.units.len()) - 1;
    debug_assert_eq!(org, end + 1);
    ws.write_string_with_format(org, 0, &l.whole_organisation, &styles.section)?;
    let mut org_headers: Vec<String> = vec![l.measure.clone()];
    org_headers.extend(a.months.iter().cloned());
    let series = |kpi: &str, label: &str| {
        let mut row = vec![Out::text(label)];
        row.extend(a.months.iter().map(|m| {
            if kpi.ends_with("yoy") {
                value(kpi, "all", "", m).map_or(Out::Empty, Out::Points)
            } else {
                Out::Pct(value(kpi, "all", "", m))
            }
        }));
        row
    };
    let org_rows = vec![
        series("absence_rate", l.kpi("absence_rate").as_str()),
        series("absence_rate_12m", l.kpi("absence_rate_12m").as_str()),
        series("absence_rate_yoy", l.kpi("absence_rate_yoy").as_str()),
    ];
    let org_refs: Vec<&str> = org_headers.iter().map(String::as_str).collect();
    let org_end = write_table(
        ws,
        styles,
        &mut widths,
        "AbsenceOrganisation",
        org + 1,
        0,
        &org_refs,
        &org_rows,
        &l.nothing,
    )?;
    ws.write_string_with_format(org_end, 0, &l.absence_note, &styles.note)?;
    widths.fit(0, 30);
    widths.apply(ws)?;
    if !a.months.is_empty() {
        let mut chart = absence_chart(report);
        chart.set_width(760).set_height(320);
        ws.insert_chart(org_end + 2, 0, &chart)?;
    }
    ws.set_freeze_panes(first + 1, 1)?;
    Ok(())
}

/// The organisation's monthly absence rate with its rolling 12-month line (dashed), read from
/// the Absenteeism sheet's organisation table; used there and on the Dashboard.
pub fn absence_chart(report: &Report) -> Chart {
    let l = report.labels;
    let (h, c2) = (
        organisation_header_row(report.absence.units.len()),
        report.absence.months.len() as u16,
    );
    let mut chart = Chart::new(ChartType::Line);
    for (offset, kpi, line) in [
        (
            1,
            "absence_rate",
            ChartLine::new().set_color(Color::RGB(BLUE)).set_width(2.25),
        ),
        (
            2,
            "absence_rate_12m",
            ChartLine::new()
                .set_color(Color::RGB(0xC00000))
                .set_width(2.0)
                .set_dash_type(ChartLineDashType::Dash),
        ),
    ] {
        chart
            .add_series()
            .set_name(l.kpi(kpi).as_str())
            .set_categories((l.sheet_absence.as_str(), h, 1, h, c2))
            .set_values((l.sheet_absence.as_str(), h + offset, 1, h + offset, c2))
            .set_format(ChartFormat::new().set_line(line));
    }
    chart.title().set_name(&l.chart_absence);
    chart.y_axis().set_num_format("0.0%").set_min(0.0);
    chart
}

/// Colour of a trend label: improving is good news.
pub fn trend_colour(label: &str) -> &'static str {
    match label {
        "improving" => "green",
        "worsening" => "red",
        _ => "grey",
    }
}
