//! The Dashboard sheet: title, period and sources, headline tiles with RAG colours, the
//! headline table with the change since last month, and the on-time chart per directorate.

use super::actions_sheet::{OWNER_RATE_COL, OWNER_TABLE_ROW};
use super::styles::{Styles, BLUE};
use super::table::{write_table, Out, Widths};
use super::Report;
use crate::kpi::registry::{headline, unit_of, Family, Unit};
use crate::kpi::KpiRow;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType,
    ChartSolidFill, ChartType, Color, Workbook, XlsxError,
};

/// KPIs shown as tiles (their units come from the registry).
const TILES: &[&str] = &[
    "actions_on_time_rate",
    "actions_overdue",
    "actions_overdue_share",
    "plan_smart_rate",
];

/// Whether a unit reads as a percentage (tiles and changes in points).
fn is_percentage(unit: Unit) -> bool {
    matches!(unit, Unit::Rate | Unit::Ratio)
}

/// A hidden column of the Dashboard that holds the target line's values.
const TARGET_COL: u16 = 30;

/// A tile's label, and under the tile a link to the sheet that details it: the tile's note
/// (`7 of 16`) when it has one, else the sheet's name. (A link in the label itself would take
/// the viewer's link colour on the dark label.)
fn tile_label(
    ws: &mut rust_xlsxwriter::Worksheet,
    styles: &Styles,
    l: &crate::i18n::Labels,
    row: u32,
    col: u16,
    text: &str,
    sheet: &str,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, text, &styles.tile_label)?;
    tile_link(ws, styles, l, row + 2, col, &format!("› {sheet}"), sheet)
}

/// A link to `sheet` at (`row`, `col`), in the style of a tile's note.
fn tile_link(
    ws: &mut rust_xlsxwriter::Worksheet,
    styles: &Styles,
    l: &crate::i18n::Labels,
    row: u32,
    col: u16,
    text: &str,
    sheet: &str,
) -> Result<(), XlsxError> {
    let link = rust_xlsxwriter::Url::new(format!("internal:{}", super::table::place(sheet, 1)));
    ws.write_url_with_options(row, col, link, text, &l.open_sheet, Some(&styles.tile_link))?;
    Ok(())
}

/// Writes the Dashboard sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = wb.add_worksheet();
    ws.set_name(&l.sheet_dashboard)?;
    ws.set_screen_gridlines(false);
    ws.set_tab_color(Color::RGB(BLUE));
    ws.set_column_width(0, 2)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    ws.write_string_with_format(0, 1, &l.title, &styles.title)?;
    let cons = &report.cons;
    let mut sources = format!(
        "{}: {}",
        l.source_files,
        cons.files_read + cons.files_failed
    );
    if cons.files_failed > 0 {
        sources.push_str(&format!(" ({} {})", cons.files_failed, l.unreadable));
    }
    let subtitle = format!(
        "{}: {}   ·   {}: {}   ·   {}",
        l.reporting_month,
        l.month(&report.month),
        l.as_of,
        l.date(report.periods.as_of),
        sources
    );
    ws.write_string_with_format(1, 1, subtitle, &styles.subtitle)?;

    // Tiles: one column each, the same width as the headline table's columns below them.
    let errors = report.count(crate::model::Severity::Error);
    let warnings = report.count(crate::model::Severity::Warning);
    ws.set_row_height(3, 30)?;
    ws.set_row_height(4, 46)?;
    for (i, id) in TILES.iter().enumerate() {
        let c = 1 + i as u16;
        let row = report.kpi(id, "all", "");
        let sheet = if *id == "plan_smart_rate" {
            &l.sheet_plan_quality
        } else {
            &l.sheet_actions
        };
        tile_label(ws, styles, l, 3, c, &l.kpi(id), sheet)?;
        let status = row.map(|r| r.status.as_str()).unwrap_or("grey");
        let fmt = styles.tile(is_percentage(unit_of(id)), status);
        match row.and_then(|r| r.value) {
            Some(v) => ws.write_number_with_format(4, c, v, &fmt)?,
            None => ws.write_string_with_format(4, c, "–", &fmt)?,
        };
        if let Some(r) = row.filter(|r| r.denominator.is_some()) {
            let mut basis = format!(
                "{} {} {}",
                l.number(r.numerator.unwrap_or(0.0), 2),
                l.basis_of,
                l.number(r.denominator.unwrap_or(0.0), 2)
            );
            if let Some(t) = report.target(id) {
                basis.push_str(&format!(" · {} {}", l.target, l.percent(t)));
            }
            tile_link(ws, styles, l, 5, c, &basis, sheet)?;
        }
    }
    let mut c = 1 + TILES.len() as u16;
    let (absence, absence_before) = report.latest_monthly("absence_rate", "all", "");
    if let Some(a) = absence {
        let label = format!("{} ({})", l.kpi("absence_rate"), l.month(&a.period));
        tile_label(ws, styles, l, 3, c, &label, &l.sheet_absence)?;
        let fmt = styles.tile(true, "");
        match a.value {
            Some(v) => ws.write_number_with_format(4, c, v, &fmt)?,
            None => ws.write_string_with_format(4, c, "–", &fmt)?,
        };
        let trend = report
            .kpis
            .iter()
            .find(|k| k.kpi == "absence_trend" && k.scope == "all")
            .map(|t| l.trend_word(&t.status));
        let change = match (a.value, absence_before.and_then(|b| b.value)) {
            (Some(now), Some(before)) => l.points_change(now - before),
            _ => String::new(),
        };
        let note = [change, trend.unwrap_or_default()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        if !note.is_empty() {
            tile_link(ws, styles, l, 5, c, &note, &l.sheet_absence)?;
        }
        c += 1;
    }
    tile_label(ws, styles, l, 3, c, &l.issue_counts, &l.sheet_issues)?;
    let issue_status = if errors > 0 {
        "red"
    } else if warnings > 0 {
        "amber"
    } else {
        "green"
    };
    ws.write_string_with_format(
        4,
        c,
        format!("{errors} · {warnings}"),
        &styles.tile(false, issue_status),
    )?;

    // Second row of tiles: the indicators by colour, satisfaction, proposals.
    let mut table_row = 8;
    if !report.indicators.summaries.is_empty()
        || report
            .latest_monthly("satisfaction_rate", "all", "")
            .0
            .is_some()
    {
        ws.set_row_height(7, 30)?;
        ws.set_row_height(8, 46)?;
        for (i, colour) in ["green", "amber", "red"].iter().enumerate() {
            let c = 1 + i as u16;
            let n = report
                .indicators
                .summaries
                .iter()
                .filter(|s| s.status == *colour)
                .count();
            if report.indicators.summaries.is_empty() {
                ws.write_string_with_format(7, c, &l.indicator_tiles[i], &styles.tile_label)?;
            } else {
                tile_label(
                    ws,
                    styles,
                    l,
                    7,
                    c,
                    &l.indicator_tiles[i],
                    &l.sheet_indicators,
                )?;
            }
            ws.write_number_with_format(8, c, n as f64, &styles.tile(false, colour))?;
        }
        if let (Some(sat), _) = report.latest_monthly("satisfaction_rate", "all", "") {
            let label = format!("{} ({})", l.kpi("satisfaction_rate"), l.month(&sat.period));
            tile_label(ws, styles, l, 7, 4, &label, &l.sheet_satisfaction)?;
            let fmt = styles.tile(true, if sat.status == "low_n" { "grey" } else { "" });
            match sat.value {
                Some(v) => ws.write_number_with_format(8, 4, v, &fmt)?,
                None => ws.write_string_with_format(8, 4, "–", &fmt)?,
            };
            let n = format!("n = {}", l.number(sat.denominator.unwrap_or(0.0), 2));
            tile_link(ws, styles, l, 9, 4, &n, &l.sheet_satisfaction)?;
        }
        if let Some(p) = report.kpi("proposals_submitted", "all", "") {
            let label = format!("{} ({})", l.kpi("proposals_submitted"), l.month(&p.period));
            tile_label(ws, styles, l, 7, 5, &label, &l.sheet_proposals)?;
            ws.write_number_with_format(8, 5, p.value.unwrap_or(0.0), &styles.tile(false, ""))?;
        }
        table_row = 12;
    }

    // Headline table: (label, row now, row a month earlier, shown as a rate).
    let mut widths = Widths::default();
    ws.write_string_with_format(table_row - 1, 1, &l.headline, &styles.section)?;
    // The as-of KPIs of the plan: their change is against the previous month's end.
    let mut lines: Vec<(String, Option<&KpiRow>, Option<&KpiRow>, Unit)> =
        headline(Family::Actions)
            .chain(headline(Family::Plan))
            .map(|k| {
                (
                    l.kpi(k.id),
                    report.kpi(k.id, "all", ""),
                    report.previous(k.id, "all", ""),
                    k.unit,
                )
            })
            .collect();
    let (sat, sat_before) = report.latest_monthly("satisfaction_rate", "all", "");
    if let Some(s) = sat {
        lines.push((
            format!("{} ({})", l.kpi("satisfaction_rate"), l.month(&s.period)),
            sat,
            sat_before,
            Unit::Rate,
        ));
        let year = report.periods.as_of.format("%Y").to_string();
        lines.push((
            format!("{} ({} {year})", l.kpi("satisfaction_rate"), l.year_to_date),
            report.kpi_at("satisfaction_rate", "all", "", &year),
            None,
            Unit::Rate,
        ));
    }
    if let Some(a) = absence {
        lines.push((
            format!("{} ({})", l.kpi("absence_rate"), l.month(&a.period)),
            absence,
            absence_before,
            Unit::Rate,
        ));
        let (rolling, rolling_before) = report.latest_monthly("absence_rate_12m", "all", "");
        if rolling.is_some() {
            lines.push((
                l.kpi("absence_rate_12m"),
                rolling,
                rolling_before,
                Unit::Rate,
            ));
        }
    }
    for k in headline(Family::Proposals) {
        lines.push((l.kpi(k.id), report.kpi(k.id, "all", ""), None, k.unit));
    }
    let rows: Vec<Vec<Out>> = lines
        .into_iter()
        .filter_map(|(label, now, before, unit)| {
            let r = now?;
            let value = Out::Measure(unit, r.value);
            let target = Out::Measure(unit, report.target(r.kpi));
            let status = if r.status.is_empty() {
                Out::Empty
            } else {
                Out::Status(l.status(&r.status), r.status.clone())
            };
            let change = match (r.value, before.and_then(|p| p.value)) {
                (Some(now), Some(before)) if is_percentage(unit) => Out::Points(now - before),
                (Some(now), Some(before)) => Out::Delta(now - before),
                _ => Out::Empty,
            };
            let basis = match (r.numerator, r.denominator) {
                (Some(n), Some(d)) => {
                    Out::Right(format!("{} / {}", l.number(n, 2), l.number(d, 2)))
                }
                _ => Out::Empty,
            };
            Some(vec![Out::text(label), value, target, status, change, basis])
        })
        .collect();
    let end = write_table(
        ws,
        styles,
        &mut widths,
        "Headline",
        table_row,
        1,
        &l.headline_columns,
        &rows,
        &l.nothing,
    )?;
    ws.write_string_with_format(end, 1, &l.dashboard_note, &styles.note)?;
    widths.apply(ws)?;
    ws.set_column_width(1, 38)?;
    for c in 2..=7 {
        ws.set_column_width(c, 20)?;
    }
    // The status column holds the longest words (`Streefwaarde niet gehaald`).
    ws.set_column_width(4, 26)?;

    // Chart of the on-time rate per directorate, read from the Actions sheet's table.
    let owners = report
        .kpis
        .iter()
        .filter(|r| r.kpi == "actions_on_time_rate" && r.scope == "owner")
        .count() as u32;
    if owners > 0 {
        let first = OWNER_TABLE_ROW + 1;
        let last = first + owners - 1;
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(l.kpi("actions_on_time_rate").as_str())
            .set_categories((l.sheet_actions.as_str(), first, 0, last, 0))
            .set_values((
                l.sheet_actions.as_str(),
                first,
                OWNER_RATE_COL,
                last,
                OWNER_RATE_COL,
            ))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(BLUE))),
            )
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"))
            .set_overlap(100)
            .set_gap(60);
        if let Some(target) = report.target("actions_on_time_rate") {
            // The target: an outlined bar up to it behind each directorate's bar, read from a
            // hidden column of this sheet (a chart series reads cells).
            for i in 0..owners {
                ws.write_number(first + i, TARGET_COL, target)?;
            }
            ws.set_column_hidden(TARGET_COL)?;
            chart
                .add_series()
                .set_name(format!("{} ({})", l.target, l.percent(target)).as_str())
                .set_categories((l.sheet_actions.as_str(), first, 0, last, 0))
                .set_values((
                    l.sheet_dashboard.as_str(),
                    first,
                    TARGET_COL,
                    last,
                    TARGET_COL,
                ))
                .set_format(
                    ChartFormat::new().set_no_fill().set_border(
                        ChartLine::new()
                            .set_color(Color::RGB(0xC00000))
                            .set_width(1.5)
                            .set_dash_type(ChartLineDashType::Dash),
                    ),
                );
            chart.show_hidden_data();
        }
        chart.title().set_name(&l.chart_on_time_by_owner);
        chart
            .x_axis()
            .set_num_format("0%")
            .set_min(0.0)
            .set_max(1.0);
        chart.y_axis().set_reverse();
        chart.legend().set_position(ChartLegendPosition::Bottom);
        chart.set_width(550).set_height(130 + 36 * owners.max(3));
        ws.insert_chart(end + 2, 1, &chart)?;
    }
    let next = end + 4 + (owners.max(3) * 36 + 130) / 20;
    if !report.absence.months.is_empty() {
        let mut chart = super::absence_sheet::absence_chart(report);
        chart.set_width(620).set_height(280);
        // Beside the on-time chart.
        ws.insert_chart(end + 2, 4, &chart)?;
    }
    let months = report
        .kpis
        .iter()
        .filter(|k| k.kpi == "satisfaction_rate" && k.scope == "all" && k.period.len() == 7)
        .count() as u32;
    if months > 0 {
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(&l.all_channels)
            .set_categories((l.sheet_satisfaction.as_str(), 4, 0, 3 + months, 0))
            .set_values((l.sheet_satisfaction.as_str(), 4, 1, 3 + months, 1))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(BLUE))),
            )
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
        chart.title().set_name(&l.chart_satisfaction);
        chart
            .y_axis()
            .set_num_format("0%")
            .set_min(0.0)
            .set_max(1.0);
        chart.legend().set_hidden();
        chart.set_width(640).set_height(280);
        ws.insert_chart(next, 1, &chart)?;
    }
    Ok(())
}
