//! The Absenteeism sheet: the unit × month matrix of absence rates (colour scale, green low to
//! red high), the rolling 12 months, year-over-year change and trend per unit, the organisation's
//! monthly line with its rolling 12-month line.

use super::styles::{Styles, BLUE};
use super::table::{write_blocks, Block, Out, Widths};
use super::Report;
use crate::i18n::Labels;
use crate::kpi::absence::{AbsenceMonth, AbsenceSeries};
use crate::kpi::Kpi;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartType, Color,
    ConditionalFormat3ColorScale, Workbook, XlsxError,
};

/// A range of cells a chart series reads: (sheet, first row, first column, last row, last
/// column).
pub type ChartRange<'a> = (&'a str, u32, u16, u32, u16);

/// The Absenteeism sheet's tables: the unit × month matrix of rates with the rolling 12
/// months, the change on a year before and the trend per unit; the organisation month by month.
pub fn blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let a = &report.absence;
    let last = a.months.last().cloned().unwrap_or_default();

    let mut headers: Vec<String> = vec![l.directorate.clone()];
    // Months in short words (`mrt 2025`): compact for a matrix of up to 24 columns.
    headers.extend(a.months.iter().map(|m| l.month_short(m)));
    headers.extend([
        l.rolling_12m.to_string(),
        l.vs_year_before.to_string(),
        l.trend.to_string(),
    ]);
    let line = |series: Option<&AbsenceSeries>, label: &str| {
        let mut row = vec![Out::text(label)];
        let month = |m: &str| series.and_then(|s| s.month(m));
        row.extend(
            a.months
                .iter()
                .map(|m| Out::Pct(month(m).and_then(|m| m.rate.value))),
        );
        let at_last = month(&last);
        row.push(Out::Pct(
            at_last.and_then(|m| m.rate_12m.as_ref().and_then(|f| f.value)),
        ));
        row.push(
            at_last
                .and_then(|m| m.yoy.as_ref().and_then(|f| f.value))
                .map_or(Out::Empty, Out::Points),
        );
        let trend = series
            .and_then(|s| s.trend.as_ref())
            .filter(|(month, _)| *month == last);
        row.push(match trend {
            Some((_, t)) => Out::Status(l.trend_word(&t.status), trend_colour(&t.status).into()),
            None => Out::Empty,
        });
        row
    };
    let mut rows: Vec<Vec<Out>> = a.units.iter().map(|u| line(a.unit(u), u)).collect();
    rows.push(line(a.all(), &l.whole_organisation));
    // The organisation, month by month; the charts read these rows.
    let mut org_headers: Vec<String> = vec![l.measure.clone()];
    org_headers.extend(a.months.iter().map(|m| l.month_short(m)));
    let all = a.all();
    let series = |kpi: Kpi, value: &dyn Fn(&AbsenceMonth) -> Option<f64>| {
        let mut row = vec![Out::text(l.kpi(kpi))];
        row.extend(a.months.iter().map(|m| {
            let v = all.and_then(|s| s.month(m)).and_then(value);
            if kpi == Kpi::AbsenceRateYoy {
                v.map_or(Out::Empty, Out::Points)
            } else {
                Out::Pct(v)
            }
        }));
        row
    };
    let org_rows = vec![
        series(Kpi::AbsenceRate, &|m| m.rate.value),
        series(Kpi::AbsenceRate12m, &|m| {
            m.rate_12m.as_ref().and_then(|f| f.value)
        }),
        series(Kpi::AbsenceRateYoy, &|m| {
            m.yoy.as_ref().and_then(|f| f.value)
        }),
    ];
    vec![
        Block::new("AbsenceByUnit", &headers, rows).titled(&l.absence_matrix),
        Block::new("AbsenceOrganisation", &org_headers, org_rows)
            .titled(&l.whole_organisation)
            .noted(&l.absence_note),
    ]
}

/// Writes the Absence sheet: its tables, a colour scale on the monthly rates and the chart.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let a = &report.absence;
    let ws = super::report_sheet(wb, styles, &l.sheet_absence, report)?;
    let mut widths = Widths::default();
    let blocks = blocks(report);
    // Both tables are always there (an empty one says so).
    let placed = write_blocks(ws, styles, &mut widths, 2, &blocks, l)?;
    let (units, org) = (placed[0], placed[1]);
    if !a.months.is_empty() {
        // Green for the lowest rates, red for the highest, over the whole matrix.
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum_color(Color::RGB(0x63BE7B))
            .set_midpoint_color(Color::RGB(0xFFEB84))
            .set_maximum_color(Color::RGB(0xF8696B));
        ws.add_conditional_format(
            units.header + 1,
            1,
            units.end - 1,
            a.months.len() as u16,
            &scale,
        )?;
    }
    widths.fit(0, 30);
    widths.apply(ws)?;
    if !a.months.is_empty() {
        let (sheet, h, c2) = (l.sheet_absence.as_str(), org.header, a.months.len() as u16);
        let mut chart = absence_chart(
            l,
            (sheet, h, 1, h, c2),
            (sheet, h + 1, 1, h + 1, c2),
            (sheet, h + 2, 1, h + 2, c2),
        );
        chart.set_width(760).set_height(320);
        ws.insert_chart(org.end + 2, 0, &chart)?;
    }
    ws.set_freeze_panes(units.header + 1, 1)?;
    Ok(())
}

/// The organisation's monthly absence rate with its rolling 12-month line (dashed), reading
/// the months, the rates and the rolling rates from the ranges given; used on this sheet and
/// on the Dashboard.
pub fn absence_chart(
    l: &Labels,
    months: ChartRange,
    rate: ChartRange,
    rolling: ChartRange,
) -> Chart {
    let mut chart = Chart::new(ChartType::Line);
    for (kpi, values, line) in [
        (
            Kpi::AbsenceRate,
            rate,
            ChartLine::new().set_color(Color::RGB(BLUE)).set_width(2.25),
        ),
        (
            Kpi::AbsenceRate12m,
            rolling,
            ChartLine::new()
                .set_color(Color::RGB(0xC00000))
                .set_width(2.0)
                .set_dash_type(ChartLineDashType::Dash),
        ),
    ] {
        chart
            .add_series()
            .set_name(l.kpi(kpi).as_str())
            .set_categories(months)
            .set_values(values)
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
