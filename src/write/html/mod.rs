//! `report --html`: the month's dashboard and KPI sections as one self-contained HTML page
//! (spec §9). It is built from the run's typed result through the same tiles and tables as the
//! workbook (`dashboard::tiles`, `headline_block`, each sheet's `blocks`), never from the
//! workbook, in the run's language. No script, no request: its own Content-Security-Policy
//! forbids every load, styles are inline, charts are inline SVG. A print stylesheet lays it out
//! on A4 landscape, each section on its own page and no table row cut in two. The same run
//! gives the same bytes (no clock, no random ids).

mod charts;

use super::table::{Block, Out};
use super::{absence_sheet, actions_sheet, dashboard, outcomes_sheets, Report};
use crate::i18n::Labels;
use crate::kpi::registry::Unit;
use crate::kpi::Kpi;
use crate::model::Severity;
use charts::{Point, Series};
use dashboard::{Tile, TileValue};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::BTreeMap;

/// The page's style sheet (screen and print), inlined.
const STYLE: &str = include_str!("page.css");

/// Loads nothing from anywhere: styles inline, images as data, no script, no form.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
                      form-action 'none'; base-uri 'none'";

/// The whole page of a run.
pub fn render(report: &Report) -> String {
    let l = report.labels;
    let sections = sections(report);
    let page = html! {
        (DOCTYPE)
        html lang=(l.lang.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="scoreboard";
                title { (l.title) " — " (l.month(&report.month)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (l.title) }
                    p.subtitle { (crate::write::subtitle(report, true)) }
                    nav aria-label=(l.html_contents) {
                        h2.visually-hidden { (l.html_contents) }
                        ol {
                            @for (id, name, _) in &sections {
                                li { a href=(format!("#{id}")) { (name) } }
                            }
                        }
                    }
                }
                main {
                    @for (id, name, body) in &sections {
                        section id=(id) aria-labelledby=(format!("{id}-title")) {
                            h2 id=(format!("{id}-title")) { (name) }
                            (body)
                        }
                    }
                }
            }
        }
    };
    page.into_string()
}

/// The page's sections, in the workbook's sheet order: (anchor, heading, content). A family
/// without data has no section, as it has no sheet.
fn sections(report: &Report) -> Vec<(&'static str, String, Markup)> {
    let l = report.labels;
    let mut out = vec![("dashboard", l.sheet_dashboard.clone(), dashboard(report))];
    let has_actions = report.cons.table("actions").is_some();
    let mut family = |id: &'static str, name: &str, blocks: Vec<Block>, extra: Option<Markup>| {
        let body = html! {
            @for block in &blocks { (table(l, block, name)) }
            @if let Some(extra) = extra { (extra) }
        };
        out.push((id, name.to_string(), body));
    };
    if has_actions {
        family(
            "actions",
            &l.sheet_actions,
            actions_sheet::actions_blocks(report),
            None,
        );
    }
    if !report.absence.months.is_empty() {
        family(
            "absence",
            &l.sheet_absence,
            absence_sheet::blocks(report),
            absence_chart(report),
        );
    }
    if !report.indicators.summaries.is_empty() {
        let mut blocks = outcomes_sheets::indicator_blocks(report);
        // The workbook's last column holds a sparkline; the trend column says it in words.
        for block in &mut blocks {
            block.headers.pop();
            for row in &mut block.rows {
                row.pop();
            }
        }
        family("indicators", &l.sheet_indicators, blocks, None);
    }
    if report.kpis.iter().any(|k| k.kpi == "satisfaction_rate") {
        family(
            "satisfaction",
            &l.sheet_satisfaction,
            outcomes_sheets::satisfaction_blocks(report),
            satisfaction_chart(report),
        );
    }
    if !report.proposals.records.is_empty() {
        family(
            "proposals",
            &l.sheet_proposals,
            outcomes_sheets::proposal_blocks(report),
            None,
        );
    }
    if has_actions {
        family(
            "plan-quality",
            &l.sheet_plan_quality,
            actions_sheet::plan_blocks(report),
            None,
        );
    }
    out.push(("issues", l.sheet_issues.clone(), issue_summary(report)));
    out
}

/// The Dashboard: two rows of tiles, the headline table, the charts.
fn dashboard(report: &Report) -> Markup {
    let l = report.labels;
    let (top, below) = dashboard::tiles(report);
    html! {
        div.tiles { @for t in &top { (tile(l, t, anchor_of(l, t))) } }
        @if !below.is_empty() {
            div.tiles { @for t in &below { (tile(l, t, anchor_of(l, t))) } }
        }
        (table(l, &dashboard::headline_block(report), &l.sheet_dashboard))
        div.charts {
            @if let Some(chart) = on_time_chart(report) { (chart) }
            @if let Some(chart) = absence_chart(report) { (chart) }
            @if let Some(chart) = satisfaction_chart(report) { (chart) }
        }
    }
}

/// The mark that goes with a RAG colour, so that no status is told by colour alone.
fn mark(colour: &str) -> &'static str {
    match colour {
        "green" => "✓",
        "amber" => "!",
        "red" => "✗",
        "grey" => "–",
        _ => "",
    }
}

/// The section of the page that details a tile, as its sheet does in the workbook.
fn anchor_of(l: &Labels, t: &Tile) -> Option<&'static str> {
    let sheet = t.sheet.as_deref()?;
    [
        (&l.sheet_actions, "actions"),
        (&l.sheet_absence, "absence"),
        (&l.sheet_indicators, "indicators"),
        (&l.sheet_satisfaction, "satisfaction"),
        (&l.sheet_proposals, "proposals"),
        (&l.sheet_plan_quality, "plan-quality"),
        (&l.sheet_issues, "issues"),
    ]
    .into_iter()
    .find(|(name, _)| name.as_str() == sheet)
    .map(|(_, id)| id)
}

/// One tile: label, value, the status in words (with its mark), the note, and a link to the
/// section with the rows behind it.
fn tile(l: &Labels, t: &Tile, section: Option<&str>) -> Markup {
    let (shown, raw) = match &t.value {
        TileValue::Number {
            value: Some(v),
            percent: true,
        } => (l.percent(*v), Some(*v)),
        TileValue::Number {
            value: Some(v),
            percent: false,
        } => (grouped(l, *v, 0), Some(*v)),
        TileValue::Number { value: None, .. } => ("–".to_string(), None),
        TileValue::Text(text) => (text.clone(), None),
    };
    let class = if t.colour.is_empty() {
        "tile".to_string()
    } else {
        format!("tile rag-{}", t.colour)
    };
    html! {
        div class=(class) data-kpi=[t.kpi.map(Kpi::id)] data-value=[raw.map(|v| v.to_string())] {
            p.tile-label { (t.label) }
            p.tile-value { (shown) }
            @if let (false, Some(status)) = (t.colour.is_empty(), &t.status) {
                p.tile-status { span.mark aria-hidden="true" { (mark(t.colour)) } " " (status) }
            }
            @if let Some(note) = &t.note { p.tile-note { (note) } }
            @if let (Some(id), Some(sheet)) = (section, &t.sheet) {
                p.tile-more { a href=(format!("#{id}")) { "→ " (sheet) } }
            }
        }
    }
}

/// [`Labels::grouped`].
fn grouped(l: &Labels, v: f64, decimals: usize) -> String {
    l.grouped(v, decimals)
}

/// A cell as the workbook's format shows it, and whether it is a number (right-aligned).
fn cell(l: &Labels, out: &Out) -> (Markup, bool) {
    let text = |s: String, numeric: bool| (html! { (s) }, numeric);
    match out {
        Out::Empty | Out::Pct(None) | Out::Date(None) | Out::Measure(_, None) => (html! {}, false),
        Out::Text(t) | Out::Wrap(t) | Out::Link(t, _, _) => text(t.clone(), false),
        Out::Right(t) => text(t.clone(), true),
        Out::Int(n) => text(grouped(l, *n, 0), true),
        Out::Num(n) => text(l.number(*n, 2), true),
        Out::Pct(Some(v)) => text(l.percent(*v), true),
        Out::Date(Some(d)) => text(l.date(*d), false),
        Out::Delta(n) => text(
            format!("{}{}", if *n > 0.0 { "+" } else { "" }, grouped(l, *n, 0)),
            true,
        ),
        Out::Points(v) => text(l.points_change(*v), true),
        Out::Measure(unit, Some(v)) => {
            let shown = match unit {
                Unit::Rate | Unit::Ratio => l.percent(*v),
                Unit::Count => grouped(l, *v, 0),
                Unit::Days => grouped(l, *v, 1),
                Unit::FractionPoints => {
                    let value = format!("{:+.2}", v * 100.0).replace('.', &l.decimal_separator);
                    l.fill(&l.percent, &[("value", value)])
                }
                Unit::PerHead | Unit::Money => grouped(l, *v, 2),
            };
            text(shown, true)
        }
        Out::Status(shown, colour) => {
            let class = format!("status rag-{colour}");
            (
                html! { span class=(class) { span.mark aria-hidden="true" { (mark(colour)) } " " (shown) } },
                false,
            )
        }
    }
}

/// Rows of a table shown on the page: a board reads the head of a long list (the most days
/// late first); the workbook's sheet has every row, and the page says so under the table.
pub const PAGE_ROWS: usize = 50;

/// A table of a sheet (`sheet`, in the workbook): its title, real column headers, its first
/// [`PAGE_ROWS`] rows (an empty table says so), its note.
fn table(l: &Labels, block: &Block, sheet: &str) -> Markup {
    let rows = &block.rows[..block.rows.len().min(PAGE_ROWS)];
    let cut = (block.rows.len() > rows.len()).then(|| {
        l.fill(
            &l.html_rows_cut,
            &[
                ("shown", l.count(rows.len() as u64)),
                ("total", l.count(block.rows.len() as u64)),
                ("sheet", l.quote(sheet)),
            ],
        )
    });
    // A column is numeric when any of its cells is.
    let numeric: Vec<bool> = (0..block.headers.len())
        .map(|i| rows.iter().any(|r| r.get(i).is_some_and(|c| cell(l, c).1)))
        .collect();
    let class = |i: usize| if numeric[i] { "num" } else { "" };
    html! {
        div.block id=(format!("t-{}", block.name)) {
            @if let Some(title) = &block.title { h3 { (title) } }
            div.scroll {
                table {
                    thead { tr { @for (i, h) in block.headers.iter().enumerate() { th scope="col" class=(class(i)) { (h) } } } }
                    tbody {
                        @if rows.is_empty() {
                            tr { td.empty colspan=(block.headers.len()) { (l.nothing) } }
                        }
                        @for row in rows {
                            tr {
                                @for (i, c) in row.iter().enumerate() {
                                    @let (content, _) = cell(l, c);
                                    @if i == 0 {
                                        th scope="row" { (content) }
                                    } @else {
                                        td class=(class(i.min(numeric.len() - 1))) { (content) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(cut) = cut { p.note { (cut) } }
            @if let Some(note) = &block.note { p.note { (note) } }
        }
    }
}

/// A chart in a figure with its visible caption.
fn figure(title: &str, svg: Markup) -> Markup {
    html! {
        figure.chart {
            figcaption { (title) }
            (svg)
        }
    }
}

/// The on-time rate per directorate against its target.
fn on_time_chart(report: &Report) -> Option<Markup> {
    let l = report.labels;
    let t = report.actions.tallies.as_ref()?;
    // As the workbook's chart: a directorate with no action to judge has no bar.
    let points: Vec<Point> = t
        .by_owner
        .iter()
        .filter(|(_, tally)| tally.on_time_rate(t.thresholds).value.is_some())
        .map(|(key, tally)| {
            let value = tally.on_time_rate(t.thresholds).value;
            Point {
                label: l.group("owner", key),
                value,
                shown: value.map(|v| l.percent(v)).unwrap_or_default(),
            }
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let target = report
        .target(Kpi::ActionsOnTimeRate)
        .map(|v| (v, l.fill(&l.html_target_line, &[("target", l.percent(v))])));
    let axis = |v: f64| {
        l.percent(v)
            .replace(&format!("{}0 ", l.decimal_separator), " ")
    };
    let title = &l.chart_on_time_by_owner;
    Some(figure(title, charts::bars(title, &points, target, &axis)))
}

/// The organisation's absence rate per month and over the last 12 months.
fn absence_chart(report: &Report) -> Option<Markup> {
    let l = report.labels;
    let all = report.absence.all().filter(|a| !a.months.is_empty())?;
    // Up to the last month with a value (a month far after the data adds only empty months).
    let last = all.months.iter().rposition(|m| m.rate.value.is_some())?;
    let shown = &all.months[..=last];
    let months: Vec<String> = shown.iter().map(|m| l.month_short(&m.month)).collect();
    let series: Vec<Series> = [
        Series {
            name: l.kpi(Kpi::AbsenceRate),
            values: shown.iter().map(|m| m.rate.value).collect(),
            dashed: false,
        },
        Series {
            name: l.kpi(Kpi::AbsenceRate12m),
            values: shown
                .iter()
                .map(|m| m.rate_12m.as_ref().and_then(|f| f.value))
                .collect(),
            dashed: true,
        },
    ]
    .into_iter()
    .filter(|s| s.values.iter().any(Option::is_some))
    .collect();
    let axis = |v: f64| l.percent(v);
    let title = &l.chart_absence;
    Some(figure(title, charts::lines(title, &months, &series, &axis)))
}

/// Satisfied users per month, all channels.
fn satisfaction_chart(report: &Report) -> Option<Markup> {
    let l = report.labels;
    let sat = &report.satisfaction.months;
    if sat.is_empty() {
        return None;
    }
    let points: Vec<Point> = sat
        .iter()
        .map(|(m, f)| Point {
            label: m.clone(),
            value: f.value,
            shown: f.value.map(|v| l.percent(v)).unwrap_or_default(),
        })
        .collect();
    let axis = |v: f64| {
        l.percent(v)
            .replace(&format!("{}0 ", l.decimal_separator), " ")
    };
    let title = &l.chart_satisfaction;
    Some(figure(title, charts::columns(title, &points, &axis)))
}

/// The issues counted per file and severity, files in the run's order.
fn issue_summary(report: &Report) -> Markup {
    let l = report.labels;
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for issue in &report.issues {
        let slot = match issue.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        counts.entry(issue.file.as_str()).or_default()[slot] += 1;
    }
    // The run's files first, in their order; then issues about no file of the run (the config).
    let mut rows: Vec<Vec<Out>> = Vec::new();
    let mut push = |file: &str, c: &[usize; 3]| {
        let count = |slot: usize, colour: &str| {
            if c[slot] == 0 {
                Out::Int(0.0)
            } else {
                Out::Status(l.count(c[slot] as u64), colour.to_string())
            }
        };
        rows.push(vec![
            Out::text(file),
            count(0, "red"),
            count(1, "amber"),
            Out::Int(c[2] as f64),
        ]);
    };
    for file in &report.files {
        if let Some(c) = counts.remove(file.as_str()) {
            push(file, &c);
        }
    }
    for (file, c) in &counts {
        push(file, c);
    }
    let block = Block::new("IssueSummary", &l.html_issue_columns, rows)
        .titled(&l.html_issue_summary)
        .noted(l.fill(&l.html_issue_note, &[("sheet", l.sheet_issues.clone())]));
    table(l, &block, &l.sheet_issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::labels;
    use crate::model::Lang;

    #[test]
    fn numbers_are_grouped_as_each_language_writes_them() {
        let nl = labels(Lang::Nl);
        assert_eq!(grouped(nl, 1234567.891, 2), "1.234.567,89");
        assert_eq!(grouped(nl, -1234.0, 0), "-1.234");
        assert_eq!(grouped(nl, -0.001, 1), "0,0");
        let fr = labels(Lang::Fr);
        assert_eq!(grouped(fr, 86713.2, 1), "86\u{a0}713,2");
        let en = labels(Lang::En);
        assert_eq!(grouped(en, 86713.25, 2), "86,713.25");
    }

    #[test]
    fn a_status_is_told_by_a_mark_and_a_word_not_by_colour_alone() {
        let l = labels(Lang::En);
        let (markup, numeric) = cell(l, &Out::Status("Off target".into(), "red".into()));
        let html = markup.into_string();
        assert!(!numeric);
        assert!(html.contains("rag-red"), "{html}");
        assert!(html.contains("✗"), "{html}");
        assert!(html.contains("Off target"), "{html}");
    }

    #[test]
    fn a_cell_shows_what_the_workbook_format_shows() {
        let nl = labels(Lang::Nl);
        let shown = |o: Out| cell(nl, &o).0.into_string();
        assert_eq!(shown(Out::Pct(Some(0.4375))), "43,8 %");
        assert_eq!(shown(Out::Measure(Unit::Money, Some(86713.2))), "86.713,20");
        assert_eq!(
            shown(Out::Measure(Unit::FractionPoints, Some(0.004))),
            "+0,40 %"
        );
        assert_eq!(shown(Out::Delta(4.0)), "+4");
        assert_eq!(shown(Out::Points(-0.012)), "-1,2 pt");
        assert_eq!(shown(Out::Text("<b>&".into())), "&lt;b&gt;&amp;");
    }

    #[test]
    fn a_long_table_shows_its_head_and_says_where_the_rest_is() {
        let nl = labels(Lang::Nl);
        let rows = |n: usize| (0..n).map(|i| vec![Out::text(format!("A-{i}"))]).collect();
        let long = table(
            nl,
            &Block::new("Late", &["Actie"], rows(PAGE_ROWS + 7)),
            "Acties",
        );
        let html = long.into_string();
        assert_eq!(
            html.matches("<tr>").count(),
            1 + PAGE_ROWS,
            "header and 50 rows"
        );
        assert!(html.contains("A-49") && !html.contains("A-50"), "{html}");
        assert!(
            html.contains("De eerste 50 van 57 rijen; het blad “Acties” van de werkmap"),
            "{html}"
        );
        let short = table(
            nl,
            &Block::new("Late", &["Actie"], rows(PAGE_ROWS)),
            "Acties",
        );
        assert!(!short.into_string().contains("De eerste"));
    }

    /// WCAG 2 relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Every text colour of the page's style on the fill it is set on passes WCAG AA (4.5:1):
    /// the RAG words on their bands, the table headers, and the ink, muted and blue text on
    /// white and on the table's row band.
    #[test]
    fn every_text_colour_passes_wcag_aa_on_its_fill() {
        let var = |name: &str| {
            let at = STYLE.find(&format!("--{name}: #")).unwrap() + name.len() + 4;
            STYLE[at..at + 7].to_string()
        };
        let colour = |v: &str| {
            let v = v.trim().trim_end_matches(';').trim();
            match v.strip_prefix("var(--") {
                Some(name) => var(name.trim_end_matches(')')),
                // `#fff` is `#ffffff`.
                None if v.len() == 4 => v.chars().flat_map(|c| [c, c]).skip(1).collect(),
                None => v.to_string(),
            }
        };
        let mut pairs = Vec::new();
        for rule in STYLE.split('}') {
            let value = |prop: &str| {
                rule.split([';', '{'])
                    .find_map(|d| d.trim().strip_prefix(prop).map(colour))
            };
            if let (Some(fill), Some(text)) = (value("background:"), value("color:")) {
                pairs.push((text, fill));
            }
        }
        assert!(pairs.len() >= 5, "RAG words and table headers: {pairs:?}");
        for text in ["ink", "muted", "blue"] {
            pairs.push((var(text), "#ffffff".into()));
            pairs.push((var(text), var("band")));
        }
        for (text, fill) in &pairs {
            let ratio = contrast(text, fill);
            assert!(ratio >= 4.5, "{text} on {fill}: {ratio:.2}:1");
        }
    }
}
