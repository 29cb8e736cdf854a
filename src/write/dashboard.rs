//! The Dashboard sheet: title, period and sources, the headline tiles with RAG colours, the
//! headline table with the change since last month, and the charts. Which KPIs it shows, and in
//! what order, the registry says (`kpi::registry::Headline`); their values come from the run's
//! typed results (`KpiResults::headlines`), never from other sheets' cells.

use super::styles::{Styles, BLUE};
use super::table::{write_table, Block, Out, Widths};
use super::Report;
use crate::kpi::registry::{headline, Family, Headline as Shown, Unit};
use crate::kpi::{Headline, HeadlinePeriod, Kpi};
use crate::model::Severity;
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartLegendPosition, ChartLine, ChartLineDashType,
    ChartSolidFill, ChartType, Color, Workbook, Worksheet, XlsxError,
};

/// Whether a unit reads as a percentage (tiles and changes in points).
fn is_percentage(unit: Unit) -> bool {
    matches!(unit, Unit::Rate | Unit::Ratio)
}

/// The first of the Dashboard's hidden columns that hold its charts' series (a chart series
/// reads cells): the directorates, their on-time rates and the target; the absence months,
/// rates and rolling rates; the satisfaction months and rates.
const DATA_COL: u16 = 30;

/// The families whose tiles stand in the first row (the plan and absence); the others in the
/// second, after the indicators' tiles.
const FIRST_ROW: [Family; 3] = [Family::Actions, Family::Plan, Family::Absence];

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
    let ws = wb.add_worksheet();
    title(ws, styles, report)?;
    let table_row = write_tiles(ws, styles, report)?;
    let end = headline_table(ws, styles, report, table_row)?;
    charts(ws, report, end)
}

/// The sheet's name, layout, title and subtitle (period, as-of date, sources).
fn title(ws: &mut Worksheet, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    ws.set_name(&l.sheet_dashboard)?;
    ws.set_screen_gridlines(false);
    ws.set_tab_color(Color::RGB(BLUE));
    ws.set_column_width(0, 2)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    ws.write_string_with_format(0, 1, &l.title, &styles.title)?;
    let subtitle = super::subtitle(report, true);
    ws.write_string_with_format(1, 1, subtitle, &styles.subtitle)
        .map(|_| ())
}

/// The label of a headline value: the KPI's name, with the period it is of when that is not
/// the as-of date (`Absence rate (March 2025)`); a tile names the plan year too.
fn label(report: &Report, h: &Headline, tile: bool) -> String {
    let l = report.labels;
    let name = l.kpi(h.kpi);
    match &h.period {
        HeadlinePeriod::AsOf => name,
        HeadlinePeriod::Month(m) => format!("{name} ({})", l.month(m)),
        HeadlinePeriod::YearToDate(y) => format!("{name} ({} {y})", l.year_to_date),
        HeadlinePeriod::PlanYear(y) if tile => format!("{name} ({y})"),
        HeadlinePeriod::PlanYear(_) => name,
    }
}

/// The sheet that details a family's KPIs.
fn sheet_of<'r>(report: &'r Report, family: Family) -> &'r str {
    let l = report.labels;
    match family {
        Family::Actions => &l.sheet_actions,
        Family::Plan => &l.sheet_plan_quality,
        Family::Absence => &l.sheet_absence,
        Family::Satisfaction => &l.sheet_satisfaction,
        Family::Proposals => &l.sheet_proposals,
        Family::Indicators => &l.sheet_indicators,
    }
}

/// The note under a tile: the basis and target of an as-of rate (`7 of 16 · Target 90%`), the
/// change and trend of absence, the answers of satisfaction.
fn tile_note(report: &Report, h: &Headline) -> Option<String> {
    let l = report.labels;
    match h.kpi.def().family {
        Family::Absence => {
            let change = match (h.now.value, h.before.as_ref().and_then(|b| b.value)) {
                (Some(now), Some(before)) => l.fill(
                    &l.absence_change,
                    &[("change", l.points_change(now - before))],
                ),
                _ => String::new(),
            };
            let trend = report
                .absence
                .all()
                .and_then(|a| a.trend.as_ref())
                .map(|(_, t)| l.fill(&l.absence_trend, &[("trend", l.trend_word(&t.status))]))
                .unwrap_or_default();
            let note = [change, trend]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            (!note.is_empty()).then_some(note)
        }
        Family::Satisfaction => Some(format!(
            "n = {}",
            l.number_grouped(h.now.denominator.unwrap_or(0.0), 2)
        )),
        Family::Proposals => None,
        _ => {
            let den = h.now.denominator?;
            let mut basis = format!(
                "{} {} {}",
                l.number_grouped(h.now.numerator.unwrap_or(0.0), 2),
                l.basis_of,
                l.number_grouped(den, 2)
            );
            if let Some(t) = report.target(h.kpi) {
                basis.push_str(&format!(" · {} {}", l.target, l.percent(t)));
            }
            Some(basis)
        }
    }
}

/// The word of a rate's status: `grey` on nothing to judge says so.
pub fn status_word(l: &crate::i18n::Labels, f: &crate::kpi::Figure) -> String {
    if f.status == "grey" && f.denominator.unwrap_or(0.0) == 0.0 {
        l.status("nothing_to_judge")
    } else {
        l.status(&f.status)
    }
}

/// Whether the value a change is measured from rests on a base far smaller than today's:
/// fewer than half as many actions (or none), so the change says more about who reported than
/// about progress (docs/kpis.md).
fn thin_base(h: &Headline) -> bool {
    let now = h.now.denominator.unwrap_or(0.0);
    let before = h.before.as_ref().and_then(|b| b.denominator).unwrap_or(0.0);
    h.before.is_some() && now > 0.0 && before * 2.0 < now
}

/// Last month's base of a rate beside its change (`0 / 2 (kleine basis)`).
fn previous_base(l: &crate::i18n::Labels, h: &Headline) -> Option<String> {
    let before = h.before.as_ref()?;
    let base = format!(
        "{} / {}",
        l.number_grouped(before.numerator.unwrap_or(0.0), 2),
        l.number_grouped(before.denominator?, 2)
    );
    let mut text = base;
    if thin_base(h) {
        text.push_str(&format!(" ({})", l.thin_base));
    }
    Some(text)
}

/// A tile's big value: a KPI value in its unit's format (`–` when there is none), or text.
#[derive(Debug, Clone, PartialEq)]
pub enum TileValue {
    /// A number, shown as a percentage when `percent`.
    Number {
        /// The value, if any.
        value: Option<f64>,
        /// Whether it reads as a percentage.
        percent: bool,
    },
    /// Text (the issue counts, `3 · 9`).
    Text(String),
}

/// One tile of the Dashboard, as the workbook and the HTML page both show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// The KPI it shows, when it shows one.
    pub kpi: Option<Kpi>,
    /// What it shows (`On time (as of A)`).
    pub label: String,
    /// Its value.
    pub value: TileValue,
    /// Its RAG colour key (`green`, `amber`, `red`, `grey`), empty for a neutral tile.
    pub colour: &'static str,
    /// The line under it (`7 of 16 · Target 90%`).
    pub note: Option<String>,
    /// The sheet that details it.
    pub sheet: Option<String>,
    /// Its status in words, where its colour tells one (the page shows it beside the mark).
    pub status: Option<String>,
}

/// The tile of a headline value: its value in its RAG colour (grey when too few answered, the
/// neutral colour for KPIs without a RAG, absence among them), its note and sheet.
fn kpi_tile(report: &Report, h: &Headline) -> Tile {
    let family = h.kpi.def().family;
    let colour = match h.now.status.as_str() {
        "green" if family != Family::Absence => "green",
        "amber" if family != Family::Absence => "amber",
        "red" if family != Family::Absence => "red",
        "grey" if family != Family::Absence => "grey",
        "low_n" => "grey",
        _ => "",
    };
    Tile {
        kpi: Some(h.kpi),
        label: label(report, h, true),
        value: TileValue::Number {
            value: h.now.value,
            percent: is_percentage(h.kpi.unit()),
        },
        colour,
        note: tile_note(report, h),
        sheet: Some(sheet_of(report, family).to_string()),
        status: (!colour.is_empty()).then(|| report.labels.status(colour)),
    }
}

/// The tile of the issue counts (`errors · warnings`): red with errors, amber with warnings
/// only.
fn issues_tile(report: &Report) -> Tile {
    let l = report.labels;
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    let colour = if errors > 0 {
        "red"
    } else if warnings > 0 {
        "amber"
    } else {
        "green"
    };
    Tile {
        kpi: None,
        label: l.issue_counts.clone(),
        value: TileValue::Text(format!("{errors} · {warnings}")),
        colour,
        note: None,
        sheet: Some(l.sheet_issues.clone()),
        status: Some(match colour {
            "red" => l.html_issue_columns[1].clone(),
            "amber" => l.html_issue_columns[2].clone(),
            _ => l.status("green"),
        }),
    }
}

/// The indicators' tiles: how many measure points are on target, to watch, off target.
fn indicator_tiles(report: &Report) -> Vec<Tile> {
    let l = report.labels;
    let summaries = &report.indicators.summaries;
    ["green", "amber", "red"]
        .into_iter()
        .enumerate()
        .map(|(i, colour)| {
            let n = summaries.iter().filter(|s| s.status == colour).count();
            // No measure point in a colour is no alarm: a zero is neutral.
            let (colour, status) = if n == 0 {
                ("", None)
            } else {
                (colour, Some(l.status(colour)))
            };
            Tile {
                kpi: None,
                label: l.indicator_tiles[i].clone(),
                value: TileValue::Number {
                    value: Some(n as f64),
                    percent: false,
                },
                colour,
                note: None,
                sheet: (!summaries.is_empty()).then(|| l.sheet_indicators.clone()),
                status,
            }
        })
        .collect()
}

/// The Dashboard's two rows of tiles: the registry's tile KPIs of the plan and absence, then
/// the issue counts; below, the indicators and the other families' tile KPIs (no second row
/// when none of them has data).
pub fn tiles(report: &Report) -> (Vec<Tile>, Vec<Tile>) {
    let shown: Vec<Headline> = headline()
        .filter(|d| d.headline == Shown::Tile)
        .filter_map(|d| report.headlines(d.kpi).into_iter().next())
        .collect();
    let (first, second): (Vec<&Headline>, Vec<&Headline>) = shown
        .iter()
        .partition(|h| FIRST_ROW.contains(&h.kpi.def().family));
    let mut top: Vec<Tile> = first.into_iter().map(|h| kpi_tile(report, h)).collect();
    top.push(issues_tile(report));
    if report.indicators.summaries.is_empty() && second.is_empty() {
        return (top, Vec::new());
    }
    let mut below = indicator_tiles(report);
    below.extend(second.into_iter().map(|h| kpi_tile(report, h)));
    (top, below)
}

/// Characters of a tile's note that fit on one line under it.
const NOTE_ON_ONE_LINE: usize = 32;

/// Writes one tile at (`row`, `col`): its label (linked to its sheet), its value, its note.
fn write_tile(
    ws: &mut Worksheet,
    styles: &Styles,
    report: &Report,
    tile: &Tile,
    (row, col): (u32, u16),
) -> Result<(), XlsxError> {
    let l = report.labels;
    match &tile.sheet {
        Some(sheet) => tile_label(ws, styles, l, row, col, &tile.label, sheet)?,
        None => {
            ws.write_string_with_format(row, col, &tile.label, &styles.tile_label)?;
        }
    }
    match &tile.value {
        TileValue::Number { value, percent } => {
            let fmt = styles.tile(*percent, tile.colour);
            match value {
                Some(v) => ws.write_number_with_format(row + 1, col, *v, &fmt)?,
                None => ws.write_string_with_format(row + 1, col, "–", &fmt)?,
            };
        }
        TileValue::Text(text) => {
            ws.write_string_with_format(row + 1, col, text, &styles.tile(false, tile.colour))?;
        }
    }
    match (&tile.note, &tile.sheet) {
        // A link shows on one line; a longer note wraps as text (the label links the sheet).
        (Some(note), Some(sheet)) if note.chars().count() <= NOTE_ON_ONE_LINE => {
            tile_link(ws, styles, l, row + 2, col, note, sheet)?;
        }
        (Some(note), _) => {
            ws.write_string_with_format(row + 2, col, note, &styles.tile_note)?;
        }
        _ => {}
    }
    Ok(())
}

/// The tiles, in two rows from row 3. Returns the row of the headline table.
fn write_tiles(ws: &mut Worksheet, styles: &Styles, report: &Report) -> Result<u32, XlsxError> {
    let (top, below) = tiles(report);
    ws.set_row_height(3, 30)?;
    ws.set_row_height(4, 46)?;
    // Notes of up to three lines under the tiles.
    ws.set_row_height(5, 36)?;
    for (i, tile) in top.iter().enumerate() {
        write_tile(ws, styles, report, tile, (3, 1 + i as u16))?;
    }
    if below.is_empty() {
        return Ok(8);
    }
    ws.set_row_height(7, 30)?;
    ws.set_row_height(8, 46)?;
    ws.set_row_height(9, 36)?;
    for (i, tile) in below.iter().enumerate() {
        write_tile(ws, styles, report, tile, (7, 1 + i as u16))?;
    }
    Ok(12)
}

/// The headline table: every headline KPI of the registry with its value, target, status,
/// change since last month and basis, and the note that explains them.
pub fn headline_block(report: &Report) -> Block {
    let l = report.labels;
    let rows: Vec<Vec<Out>> = headline()
        .flat_map(|d| report.headlines(d.kpi))
        .map(|h| {
            let unit = h.kpi.unit();
            let r = &h.now;
            let status = if r.status.is_empty() {
                Out::Empty
            } else {
                Out::Status(status_word(l, r), r.status.clone())
            };
            let change = match (r.value, h.before.as_ref().and_then(|p| p.value)) {
                (Some(now), Some(before)) if is_percentage(unit) => Out::Points(now - before),
                (Some(now), Some(before)) => Out::Delta(now - before),
                _ => Out::Empty,
            };
            let basis = match (r.numerator, r.denominator) {
                (Some(n), Some(d)) => Out::Right(if h.kpi == Kpi::ProposalsSavingsRate {
                    format!("{} / {}", l.euro(n), l.euro(d))
                } else {
                    format!("{} / {}", l.number_grouped(n, 2), l.number_grouped(d, 2))
                }),
                _ => Out::Empty,
            };
            vec![
                Out::text(label(report, &h, false)),
                Out::Measure(unit, r.value),
                Out::Measure(unit, report.target(h.kpi)),
                status,
                change,
                basis,
                previous_base(l, &h).map_or(Out::Empty, Out::Right),
            ]
        })
        .collect();
    Block::new("Headline", &l.headline_columns, rows)
        .titled(&l.headline)
        .noted(&l.dashboard_note)
}

/// The headline table from `table_row`, in column B. Returns the row of its note.
fn headline_table(
    ws: &mut Worksheet,
    styles: &Styles,
    report: &Report,
    table_row: u32,
) -> Result<u32, XlsxError> {
    let l = report.labels;
    let mut widths = Widths::default();
    let block = headline_block(report);
    let title = block.title.as_deref().unwrap_or_default();
    ws.write_string_with_format(table_row - 1, 1, title, &styles.section)?;
    let end = write_table(
        ws,
        styles,
        &mut widths,
        block.name,
        table_row,
        1,
        &block.headers,
        &block.rows,
        l,
        &l.nothing,
    )?;
    let note = block.note.as_deref().unwrap_or_default();
    ws.write_string_with_format(end, 1, note, &styles.note)?;
    widths.apply(ws)?;
    ws.set_column_width(1, 38)?;
    for c in 2..=7 {
        ws.set_column_width(c, 20)?;
    }
    ws.set_column_width(7, 24)?;
    // The status column holds the longest words (`Streefwaarde niet gehaald`).
    ws.set_column_width(4, 26)?;
    Ok(end)
}

/// The charts below the table — on-time per directorate, absence per month, satisfaction per
/// month — each reading its series from this sheet's hidden columns, written from the typed
/// result.
fn charts(ws: &mut Worksheet, report: &Report, end: u32) -> Result<(), XlsxError> {
    let owners = on_time_chart(ws, report, end + 2)?;
    let next = end + 4 + (owners.max(3) * 36 + 130) / 20;
    let l = report.labels;
    let sheet = l.sheet_dashboard.as_str();
    if let Some(all) = report.absence.all().filter(|a| !a.months.is_empty()) {
        let (months, rates, rolling) = (DATA_COL + 3, DATA_COL + 4, DATA_COL + 5);
        for (i, m) in all.months.iter().enumerate() {
            let row = i as u32;
            ws.write_string(row, months, l.month_short(&m.month))?;
            write_value(ws, row, rates, m.rate.value)?;
            write_value(ws, row, rolling, m.rate_12m.as_ref().and_then(|f| f.value))?;
        }
        let last = all.months.len() as u32 - 1;
        let mut chart = super::absence_sheet::absence_chart(
            l,
            (sheet, 0, months, last, months),
            (sheet, 0, rates, last, rates),
            (sheet, 0, rolling, last, rolling),
        );
        chart.show_hidden_data();
        chart.set_width(620).set_height(280);
        // Beside the on-time chart.
        ws.insert_chart(end + 2, 4, &chart)?;
    }
    let sat = &report.satisfaction.months;
    if !sat.is_empty() {
        let (months, rates) = (DATA_COL + 6, DATA_COL + 7);
        for (i, (m, f)) in sat.iter().enumerate() {
            ws.write_string(i as u32, months, l.month(m))?;
            write_value(ws, i as u32, rates, f.value)?;
        }
        let last = sat.len() as u32 - 1;
        let mut chart = super::outcomes_sheets::satisfaction_chart(
            l,
            (sheet, 0, months, last, months),
            (sheet, 0, rates, last, rates),
        );
        chart.show_hidden_data();
        chart.set_width(640).set_height(280);
        ws.insert_chart(next, 1, &chart)?;
    }
    for c in DATA_COL..=DATA_COL + 7 {
        ws.set_column_hidden(c)?;
    }
    Ok(())
}

/// A value of a chart series: a number, or an empty cell (a gap in the line).
fn write_value(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number(row, col, v)?;
    }
    Ok(())
}

/// The on-time rate per directorate against its target (a dashed frame); returns the
/// directorates shown.
fn on_time_chart(ws: &mut Worksheet, report: &Report, at: u32) -> Result<u32, XlsxError> {
    let l = report.labels;
    let Some(t) = &report.actions.tallies else {
        return Ok(0);
    };
    // A directorate with no action to judge has no bar (an empty bar reads as 0 %).
    let judged: Vec<_> = t
        .by_owner
        .iter()
        .filter(|(_, tally)| tally.on_time_rate(t.thresholds).value.is_some())
        .collect();
    let owners = judged.len() as u32;
    if owners == 0 {
        return Ok(0);
    }
    let (names, rates, targets) = (DATA_COL, DATA_COL + 1, DATA_COL + 2);
    let last = owners - 1;
    let target = report.target(Kpi::ActionsOnTimeRate);
    for (i, (key, tally)) in judged.iter().enumerate() {
        let row = i as u32;
        ws.write_string(row, names, l.group("owner", key))?;
        write_value(ws, row, rates, tally.on_time_rate(t.thresholds).value)?;
        write_value(ws, row, targets, target)?;
    }
    let sheet = l.sheet_dashboard.as_str();
    let mut chart = Chart::new(ChartType::Bar);
    chart
        .add_series()
        .set_name(l.kpi(Kpi::ActionsOnTimeRate).as_str())
        .set_categories((sheet, 0, names, last, names))
        .set_values((sheet, 0, rates, last, rates))
        .set_format(
            ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(BLUE))),
        )
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"))
        .set_overlap(100)
        .set_gap(60);
    if let Some(target) = target {
        // The target: an outlined bar up to it behind each directorate's bar.
        chart
            .add_series()
            .set_name(format!("{} ({})", l.target, l.percent(target)).as_str())
            .set_categories((sheet, 0, names, last, names))
            .set_values((sheet, 0, targets, last, targets))
            .set_format(
                ChartFormat::new().set_no_fill().set_border(
                    ChartLine::new()
                        .set_color(Color::RGB(0xC00000))
                        .set_width(1.5)
                        .set_dash_type(ChartLineDashType::Dash),
                ),
            );
    }
    chart.show_hidden_data();
    chart.title().set_name(&l.chart_on_time_by_owner);
    chart
        .x_axis()
        .set_num_format("0%")
        .set_min(0.0)
        .set_max(1.0);
    chart.y_axis().set_reverse();
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_width(550).set_height(130 + 36 * owners.max(3));
    ws.insert_chart(at, 1, &chart)?;
    Ok(owners)
}
