//! The result sheets of issue #4: Indicators (latest value per measure point, attainment, RAG,
//! trend sparkline), Satisfaction (month × channel, chart) and Proposals (list and totals).

use super::absence_sheet::ChartRange;
use super::styles::{Styles, BLUE};
use super::table::{write_blocks, Block, Out, Widths};
use super::Report;
use crate::i18n::Labels;
use crate::kpi::registry::Unit;
use crate::kpi::satisfaction::LOW_N;
use crate::kpi::{Figure, Kpi};
use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFormat, ChartSolidFill, ChartType, Color, Sparkline, Workbook,
    XlsxError,
};

fn measured(value: Option<f64>, unit: &str) -> Out {
    match value {
        None => Out::Empty,
        Some(v) if unit.contains('%') => Out::Pct(Some(v)),
        Some(v) => Out::Num(v),
    }
}

/// Direction of the last change, judged by the indicator's polarity: `▲ better`, `▼ worse`, `= same`.
fn trend(s: &crate::kpi::indicators::IndicatorSummary, l: &crate::i18n::Labels) -> String {
    let [.., before, now] = s.history.as_slice() else {
        return String::new();
    };
    let better = if s.polarity == "lower" {
        now < before
    } else {
        now > before
    };
    match now.partial_cmp(before) {
        Some(std::cmp::Ordering::Greater) => {
            format!("▲ {}", if better { &l.better } else { &l.worse })
        }
        Some(std::cmp::Ordering::Less) => {
            format!("▼ {}", if better { &l.better } else { &l.worse })
        }
        _ => format!("= {}", l.same),
    }
}

/// The Indicators sheet's table: each measure point's latest value against its target, its
/// status and trend (its last column holds the sparkline in the workbook).
pub fn indicator_blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let rows: Vec<Vec<Out>> = report
        .indicators
        .summaries
        .iter()
        .map(|s| {
            vec![
                Out::Wrap(s.name.clone()),
                Out::text(s.objective.clone()),
                Out::text(s.owner.clone()),
                Out::text(s.unit.clone()),
                Out::text(l.month(&s.period)),
                measured(s.actual, &s.unit),
                measured(s.target, &s.unit),
                Out::text(l.polarity(&s.polarity)),
                Out::Pct(s.attainment),
                Out::Status(
                    if s.status == "grey" && s.target.is_none() {
                        l.status("no_target")
                    } else {
                        l.status(&s.status)
                    },
                    s.status.clone(),
                ),
                Out::text(trend(s, l)),
                Out::Empty,
            ]
        })
        .collect();
    vec![Block::new("Indicators", &l.indicator_columns, rows)]
}

/// Writes the Indicators sheet; history values sit in hidden columns behind the sparklines.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_indicators(
    wb: &mut Workbook,
    styles: &Styles,
    report: &Report,
) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = super::report_sheet(wb, styles, &l.sheet_indicators, report)?;
    let mut widths = Widths::default();
    widths.pin(0, 44);
    let summaries = &report.indicators.summaries;
    let first = write_blocks(ws, styles, &mut widths, 3, &indicator_blocks(report), l)?[0].header;
    let history_col = l.indicator_columns.len() as u16 + 1;
    for (i, s) in summaries.iter().enumerate() {
        let r = first + 1 + i as u32;
        for (k, v) in s.history.iter().enumerate() {
            ws.write_number(r, history_col + k as u16, *v)?;
        }
        if s.history.len() > 1 {
            let last = history_col + s.history.len() as u16 - 1;
            let sparkline = Sparkline::new()
                .set_range((l.sheet_indicators.as_str(), r, history_col, r, last))
                .show_markers(true)
                // The history sits in hidden columns: Excel draws nothing unless told to use them.
                .show_hidden_data(true)
                .set_sparkline_color(Color::RGB(BLUE));
            ws.add_sparkline(r, l.indicator_columns.len() as u16 - 1, &sparkline)?;
        }
    }
    let longest = summaries.iter().map(|s| s.history.len()).max().unwrap_or(0) as u16;
    for c in history_col..history_col + longest {
        ws.set_column_hidden(c)?;
    }
    widths.fit(l.indicator_columns.len() as u16 - 1, 16);
    widths.apply(ws)?;
    ws.set_freeze_panes(first + 1, 1)?;
    Ok(())
}

/// The Satisfaction sheet's table: a month × channel table of rates with the number of
/// answers, and the year to date.
pub fn satisfaction_blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let sat = &report.satisfaction;
    let mut headers: Vec<String> = vec![l.month.clone(), l.all_channels.clone(), l.answers.clone()];
    headers.extend(sat.channels.iter().map(|(c, _)| c.clone()));
    let cell = |k: Option<&Figure>| match k {
        Some(k) if k.status == "low_n" => Out::Status(
            k.value.map(|v| l.percent(v)).unwrap_or_default(),
            "grey".into(),
        ),
        Some(k) => Out::Pct(k.value),
        None => Out::Empty,
    };
    let line = |label: String, all: &Figure, channels: Vec<Option<&Figure>>| {
        let mut row = vec![
            Out::text(label),
            cell(Some(all)),
            all.denominator.map_or(Out::Empty, Out::Int),
        ];
        row.extend(channels.into_iter().map(cell));
        row
    };
    let mut rows: Vec<Vec<Out>> = sat
        .months
        .iter()
        .map(|(m, all)| {
            let channels = sat
                .channels
                .iter()
                .map(|(c, _)| sat.channel_month(c, m))
                .collect();
            line(l.month(m), all, channels)
        })
        .collect();
    if let Some(ytd) = &sat.ytd {
        let channels = sat
            .channels
            .iter()
            .map(|(c, _)| {
                sat.ytd_by_channel
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, f)| f)
            })
            .collect();
        rows.push(line(
            format!("{} {}", l.year_to_date, sat.year),
            ytd,
            channels,
        ));
    }
    vec![Block::new("Satisfaction", &headers, rows).noted(format!("{} {LOW_N}", l.low_n_note))]
}

/// Writes the Satisfaction sheet: its table and a column chart of the monthly rate.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_satisfaction(
    wb: &mut Workbook,
    styles: &Styles,
    report: &Report,
) -> Result<(), XlsxError> {
    let l = report.labels;
    let sat = &report.satisfaction;
    let ws = super::report_sheet(wb, styles, &l.sheet_satisfaction, report)?;
    let mut widths = Widths::default();
    let placed = write_blocks(ws, styles, &mut widths, 3, &satisfaction_blocks(report), l)?;
    let (first, end) = (placed[0].header, placed[0].end);
    widths.apply(ws)?;
    if !sat.months.is_empty() {
        let sheet = l.sheet_satisfaction.as_str();
        let (r1, r2) = (first + 1, first + sat.months.len() as u32);
        let mut chart = satisfaction_chart(l, (sheet, r1, 0, r2, 0), (sheet, r1, 1, r2, 1));
        chart.set_width(640).set_height(300);
        ws.insert_chart(end + 2, 0, &chart)?;
    }
    ws.set_freeze_panes(first + 1, 1)?;
    Ok(())
}

/// Satisfied users per month (all channels), reading the months and rates from the ranges
/// given; used on the Satisfaction sheet and on the Dashboard.
pub fn satisfaction_chart(l: &Labels, months: ChartRange, rates: ChartRange) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name(&l.all_channels)
        .set_categories(months)
        .set_values(rates)
        .set_format(
            ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(BLUE))),
        )
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
    chart.title().set_name(&l.chart_satisfaction);
    chart
        .y_axis()
        .set_num_format("0%")
        .set_min(0.0)
        .set_max(1.0);
    chart.legend().set_hidden();
    chart
}

/// The Proposals sheet's tables: the four KPIs of the plan year, then every proposal.
pub fn proposal_blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let totals = report.proposals.totals.as_ref();
    let summary: Vec<Vec<Out>> = [
        Kpi::ProposalsSubmitted,
        Kpi::ProposalsSmartRate,
        Kpi::ProposalsSavingsRealised,
        Kpi::ProposalsSavingsRate,
    ]
    .into_iter()
    .filter_map(|kpi| Some((kpi, totals?.figure(kpi)?)))
    .map(|(kpi, k)| {
        let value = if matches!(kpi.unit(), Unit::Rate | Unit::Ratio) {
            Out::Pct(k.value)
        } else {
            k.value.map_or(Out::Empty, Out::Int)
        };
        let basis = match (k.numerator, k.denominator) {
            (Some(n), Some(d)) if kpi == Kpi::ProposalsSavingsRate => {
                Out::text(format!("{} / {}", l.euro(n), l.euro(d)))
            }
            (Some(n), Some(d)) => Out::text(format!("{} / {}", l.number(n, 2), l.number(d, 2))),
            _ => Out::Empty,
        };
        vec![
            Out::text(l.kpi(kpi)),
            value,
            Out::text(report.proposals.year.clone()),
            basis,
        ]
    })
    .collect();
    let list: Vec<Vec<Out>> = report
        .proposals
        .records
        .iter()
        .map(|p| {
            vec![
                Out::text(p.id.clone()),
                Out::Wrap(p.title.clone()),
                Out::Date(p.submitted_on),
                Out::text(if p.smart { &l.yes } else { &l.no }),
                p.planned.map_or(Out::Empty, Out::Int),
                p.realised.map_or(Out::Empty, Out::Int),
                Out::text(p.status.clone()),
                Out::text(if p.in_plan_year { &l.yes } else { &l.no }),
            ]
        })
        .collect();
    vec![
        Block::new("ProposalKpis", &l.proposal_kpi_columns, summary),
        Block::new("Proposals", &l.proposal_columns, list),
    ]
}

/// Writes the Proposals sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_proposals(
    wb: &mut Workbook,
    styles: &Styles,
    report: &Report,
) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = super::report_sheet(wb, styles, &l.sheet_proposals, report)?;
    let mut widths = Widths::default();
    widths.pin(1, 50);
    write_blocks(ws, styles, &mut widths, 3, &proposal_blocks(report), l)?;
    widths.apply(ws)?;
    Ok(())
}
