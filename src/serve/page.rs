//! The page of `scoreboard serve`, rendered on the server (maud) in the chosen language: the
//! drop zone, each file's verdict, the issues grid, the month's dashboard and the downloads.
//! The parts that change with each rebuild ([`Parts`]) are rendered once per build; the page's
//! script (assets/page.js) swaps them in without a reload and filters and sorts the grid.
//! Nothing is loaded from elsewhere: the script and style are served by the binary itself.

use super::build::{Built, Phase};
use crate::commands::check::CheckReport;
use crate::engine::RunResult;
use crate::i18n::Labels;
use crate::model::Lang;
use crate::received::FileStatus;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The page's style and script, embedded in the binary.
pub const STYLE: &str = include_str!("assets/page.css");
/// See [`STYLE`].
pub const SCRIPT: &str = include_str!("assets/page.js");

/// The page's own policy: its script and style from itself, the dashboard in a frame from
/// itself, nothing from anywhere else.
pub const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                          img-src 'self' data:; connect-src 'self'; frame-src 'self'; \
                          form-action 'self'; base-uri 'none'";

/// Issues shown in the grid; the workbook's Issues sheet and `/api/check` have them all.
pub const GRID_ROWS: usize = 2000;

/// The rows behind the issues, as read, by (file, sheet, cell).
pub type Rows = HashMap<(String, String, String), String>;

/// The parts of the page one build renders.
#[derive(Debug, Default, Clone)]
pub struct Parts {
    /// Each file's verdict.
    pub files: String,
    /// The issues grid's rows.
    pub issues: String,
    /// The issues grid's filter choices.
    pub filters: String,
    /// How many issues the run has.
    pub issue_count: usize,
    /// The months files report (`YYYY-MM`), newest first, for the month picker.
    pub months: Vec<String>,
}

impl Parts {
    /// The parts of an inbox without files: it says so.
    pub fn empty(l: &Labels) -> Self {
        Parts {
            files: html! { p.empty { (l.page.no_files) } }.into_string(),
            ..Parts::default()
        }
    }

    /// The parts of a build: verdicts from `report`, the notes of recent drops by file name,
    /// and the rows behind the issues where they were read (`rows`).
    pub fn new(
        l: &Labels,
        report: &CheckReport,
        result: &RunResult,
        notes: &BTreeMap<String, String>,
        rows: &Rows,
    ) -> Self {
        let kinds: HashMap<(&str, &str), &str> = report
            .files
            .iter()
            .flat_map(|f| {
                f.sheets
                    .iter()
                    .filter_map(move |s| Some(((f.file.as_str(), s.sheet), s.kind?)))
            })
            .collect();
        let months: BTreeSet<String> = report
            .files
            .iter()
            .filter_map(|f| f.report_date.as_deref())
            .filter_map(|d| d.get(..7))
            .map(str::to_string)
            .chain(std::iter::once(result.month.clone()))
            .collect();
        Parts {
            files: files(l, report, notes).into_string(),
            issues: issue_rows(l, report, &kinds, rows).into_string(),
            filters: filters(l, report, &kinds).into_string(),
            issue_count: report.issues.len(),
            months: months.into_iter().rev().collect(),
        }
    }
}

/// How bad a file's verdict is: 0 errors (or nothing of it used), 1 warnings, 2 clean.
fn worst(f: &crate::commands::check::FileCheck) -> usize {
    let unused = matches!(f.status, FileStatus::Unreadable | FileStatus::NoTable);
    if f.issues.error > 0 || unused {
        0
    } else if f.issues.warning > 0 {
        1
    } else {
        2
    }
}

/// Each file's verdict, the worst first: its status, directorates and report date, its rows
/// and issues, the sheets with their table kind, and why nothing of it is used.
fn files(l: &Labels, report: &CheckReport, notes: &BTreeMap<String, String>) -> Markup {
    let p = &l.page;
    let rows = |r: &crate::consolidate::RowCounts| l.fill(&p.rows_line, &r.placeholders());
    let issues = |i: &crate::received::SeverityCounts| l.fill(&p.issues_line, &i.placeholders());
    let mut order: Vec<&crate::commands::check::FileCheck> = report.files.iter().collect();
    order.sort_by_key(|f| worst(f));
    html! {
        @if report.files.is_empty() {
            p.empty { (p.no_files) }
        }
        @for f in order {
            @let worst = ["error", "warning", "ok"][worst(f)];
            @let tables = f.sheets.iter().filter(|s| s.kind.is_some() && s.rows.read > 0).count();
            article class=(format!("file verdict-{worst}")) data-file=(f.file) data-status=(format!("{:?}", f.status)) {
                header {
                    h3 { span.mark aria-hidden="true" { (mark(worst)) } " " (f.file) }
                    form.remove method="post" action="/remove" {
                        input type="hidden" name="file" value=(f.file);
                        button type="submit" { (p.remove) }
                    }
                }
                @if let Some(note) = notes.get(&f.file) { p.drop-note { (note) } }
                @let who = who(l, f);
                @if !who.is_empty() { p.who { (who) } }
                @match f.status {
                    FileStatus::Read | FileStatus::NoData => {
                        p.counts { (rows(&f.rows)) }
                        p.counts { (issues(&f.issues)) }
                    }
                    FileStatus::Unreadable => p.why { (l.fill(&l.check_not_read, &[("errors", f.issues.error.to_string())])) },
                    FileStatus::ScoreboardOutput => p.muted { (l.check_our_output) },
                    FileStatus::Skipped => p.muted { (l.check_skipped) },
                    FileStatus::NoTable => p.why { (l.check_no_table) },
                }
                @if !f.sheets.is_empty() {
                    ul.sheets {
                        @for s in &f.sheets {
                            li {
                                @match s.kind {
                                    Some(kind) => {
                                        (l.fill(&p.sheet_kind, &[("sheet", s.sheet.to_string()), ("kind", l.kind(kind))]))
                                        @if tables > 1 { span.muted { " — " (rows(&s.rows)) } }
                                    }
                                    None if s.rows.rejected > 0 => {
                                        strong.why { (s.sheet) } " — "
                                        (l.fill(&l.check_rejected, &[("note", rows(&s.rows))])) " "
                                        a.map href=(map_href(&f.file, s.sheet)) { (p.map) }
                                    }
                                    None => {
                                        span.muted { (s.sheet) " — " (l.fill(&l.check_ignored, &[("note", s.note.clone())])) } " "
                                        // Only where mapping is what stands between the file and the run.
                                        @if f.status == FileStatus::NoTable {
                                            a.map href=(map_href(&f.file, s.sheet)) { (p.map) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !f.not_used.is_empty() { p.why { (f.not_used) } }
            }
        }
    }
}

/// `ICT · 31/03/2025`: the directorates a file names and its report date.
fn who(l: &Labels, f: &crate::commands::check::FileCheck) -> String {
    let mut who: Vec<String> = f.directorates.to_vec();
    who.extend(
        f.report_date
            .as_deref()
            .and_then(|d| d.parse().ok())
            .map(|d| l.date(d)),
    );
    who.join(" · ")
}

/// `✗`, `!` or `✓`: a verdict is never told by colour alone.
fn mark(worst: &str) -> &'static str {
    match worst {
        "error" => "✗",
        "warning" => "!",
        "info" => "i",
        _ => "✓",
    }
}

/// The grid's rows: file, sheet, cell, severity, reason, the value and the row as read.
fn issue_rows(
    l: &Labels,
    report: &CheckReport,
    kinds: &HashMap<(&str, &str), &str>,
    rows: &Rows,
) -> Markup {
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    html! {
        @for (n, i) in report.issues.iter().take(GRID_ROWS).enumerate() {
            @let kind = kinds.get(&(i.file, i.sheet)).copied().unwrap_or("");
            @let row = rows.get(&(i.file.to_string(), i.sheet.to_string(), i.cell.to_string()));
            tr class=(format!("sev-{}", i.severity)) data-file=(i.file) data-severity=(i.severity)
                data-kind=(kind) data-n=(n) {
                td data-sort=(i.file) { (i.file) }
                td data-sort=(i.sheet) { (i.sheet) }
                td data-sort=(format!("{:09}", i.row.unwrap_or(0))) { (i.shown_cell) }
                td data-sort=(rank(i.severity)) {
                    span class=(format!("sev sev-{}", i.severity)) {
                        span aria-hidden="true" { (mark(i.severity)) } " "
                        (l.severity(i.severity))
                    }
                }
                td data-sort=(i.reason) { (i.reason) }
                td data-sort=(i.value) { code { (i.value) } }
                td.row { @if let Some(row) = row { div title=(row) { (row) } } }
                td.fix {
                    @if matches!(i.reason_key, "sheet_near_kind" | "column_may_be" | "column_kept_unused") {
                        a.map href=(map_href(i.file, i.sheet)) { (l.page.map) }
                    } @else {
                        (fix(l, i))
                    }
                }
            }
        }
    }
}

/// A cell's correction: a form to record one on an error or warning at a cell, a button to
/// undo one on the note of a correction.
fn fix(l: &Labels, i: &crate::commands::check::IssueOut) -> Markup {
    let p = &l.page;
    let at_cell = !i.file.is_empty() && !i.sheet.is_empty() && !i.cell.is_empty();
    html! {
        @if at_cell && i.reason_key == "corrected" {
            form.undo method="post" action="/undo" {
                input type="hidden" name="file" value=(i.file);
                input type="hidden" name="sheet" value=(i.sheet);
                input type="hidden" name="cell" value=(i.cell);
                button type="submit" { (p.undo) }
            }
        } @else if at_cell && i.severity != "info" {
            details {
                summary { (p.correct) }
                form.correct method="post" action="/correct" {
                    input type="hidden" name="file" value=(i.file);
                    input type="hidden" name="sheet" value=(i.sheet);
                    input type="hidden" name="cell" value=(i.cell);
                    label { (p.new_value) " " input name="value" value=(i.value) required; }
                    label { (p.why) " " input name="reason" required; }
                    button type="submit" { (p.save) }
                }
            }
        }
    }
}

/// The address of a sheet's mapping page.
pub fn map_href(file: &str, sheet: &str) -> String {
    let query = serde_urlencoded::to_string([("file", file), ("sheet", sheet)]).unwrap_or_default();
    format!("/map?{query}")
}

/// The column mappings of the config, each with a button that undoes it.
pub fn mappings(l: &Labels, settings: &crate::config::Settings, config: &str) -> Markup {
    let p = &l.page;
    let aliases: Vec<(&String, &String, &String)> = settings
        .aliases
        .iter()
        .flat_map(|(kind, columns)| {
            columns
                .iter()
                .flat_map(move |(column, headers)| headers.iter().map(move |h| (kind, column, h)))
        })
        .collect();
    html! {
        p.muted { (l.fill(&p.mappings_hint, &[("config", config.to_string())])) }
        @if aliases.is_empty() && settings.sheets.is_empty() {
            p.muted { (p.no_mappings) }
        } @else {
            ul.mappings {
                @for (kind, column, header) in &aliases {
                    li {
                        (l.fill(&p.mapping_alias, &[("kind", l.kind(kind)), ("header", (*header).clone()), ("column", (*column).clone())])) " "
                        form.unmap method="post" action="/unmap" {
                            input type="hidden" name="kind" value=(kind);
                            input type="hidden" name="column" value=(column);
                            input type="hidden" name="header" value=(header);
                            button type="submit" { (p.undo) }
                        }
                    }
                }
                @for rule in &settings.sheets {
                    @let sheet = rule.sheet.clone().unwrap_or_default();
                    @let columns: Vec<String> = rule.columns.iter().map(|(c, h)| format!("“{h}” → {c}")).collect();
                    @let row = rule.header_row.map(|r| l.fill(&p.mapping_rule_row, &[("row", r.to_string())])).unwrap_or_default();
                    @let listed = if columns.is_empty() { row } else { format!("{row} ({})", columns.join(", ")) };
                    li {
                        (l.fill(&p.mapping_rule, &[("file", rule.file.clone()), ("sheet", sheet.clone()), ("kind", l.kind(&rule.kind)), ("columns", listed)])) " "
                        @if rule.sheet.is_some() {
                            form.unmap method="post" action="/unmap" {
                                input type="hidden" name="file" value=(rule.file);
                                input type="hidden" name="sheet" value=(sheet);
                                button type="submit" { (p.undo) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The files moved aside, newest first, each with a button to put it back.
pub fn removed(l: &Labels, files: &[(String, std::path::PathBuf)]) -> Markup {
    let p = &l.page;
    html! {
        @if files.is_empty() {
            p.muted { (p.no_removed) }
        } @else {
            ul.removed {
                @for (shown, _) in files {
                    li {
                        code { (shown) } " "
                        form.restore method="post" action="/restore" {
                            input type="hidden" name="path" value=(shown);
                            button type="submit" { (p.restore) }
                        }
                    }
                }
            }
        }
    }
}

/// The grid's filters: the files and table kinds that have issues.
fn filters(l: &Labels, report: &CheckReport, kinds: &HashMap<(&str, &str), &str>) -> Markup {
    let p = &l.page;
    let files: BTreeSet<&str> = report
        .issues
        .iter()
        .map(|i| i.file)
        .filter(|f| !f.is_empty())
        .collect();
    let with_kind: BTreeSet<&str> = report
        .issues
        .iter()
        .filter_map(|i| kinds.get(&(i.file, i.sheet)).copied())
        .collect();
    html! {
        label { span.visually-hidden { (p.col_file) }
            select #f-file { option value="" { (p.all_files) } @for f in &files { option value=(f) { (f) } } }
        }
        label { span.visually-hidden { (p.col_severity) }
            select #f-severity {
                option value="" { (p.all_severities) }
                @for s in ["error", "warning", "info"] { option value=(s) { (l.severity(s)) } }
            }
        }
        label { span.visually-hidden { (p.all_kinds) }
            select #f-kind { option value="" { (p.all_kinds) } @for k in &with_kind { option value=(k) { (l.kind(k)) } } }
        }
        label.check { input #f-errors type="checkbox"; " " (p.only_errors) }
    }
}

/// The whole page in `l`'s language, with the state of `built`, the folders and limits of
/// `served`, and the parts read from disk on each visit (files removed, column mappings).
pub fn page(
    l: &Labels,
    built: &Built,
    served: &crate::config::ServeConfig,
    removed: &Markup,
    mappings: &Markup,
) -> Markup {
    let p = &l.page;
    let folder = served.dir.display().to_string();
    let out = served.out_dir.display().to_string();
    let mb = |bytes: u64| (bytes / (1024 * 1024)).to_string();
    let parts = &built.parts;
    let words = serde_json::json!({
        "uploading": p.uploading, "stored": p.stored, "stored_many": p.stored_many, "replaced": p.replaced,
        "refused": p.refused, "removed": p.removed, "remove_confirm": p.remove_confirm, "unmap_confirm": p.unmap_confirm,
        "shown": p.shown, "removed_dir": "removed",
    });
    html! {
        (DOCTYPE)
        html lang=(l.lang.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (p.title) " — scoreboard" }
                link rel="stylesheet" href="/assets/page.css";
                script src="/assets/page.js" defer {}
            }
            body data-generation=(built.generation) data-lang=(l.lang.code())
                data-dashboard=(built.dashboard_generation) {
                header.top {
                    div {
                        h1 { (p.title) }
                        p.folder { (l.fill(&p.folder, &[("folder", folder), ("out", out)])) }
                    }
                    form #choose-lang method="post" action="/choose" {
                        label for="lang" { (p.language) " " }
                        select #lang name="lang" {
                            @for lang in [Lang::Nl, Lang::Fr, Lang::En] {
                                option value=(lang.code()) selected[lang == l.lang] { (lang_name(lang)) }
                            }
                        }
                        noscript { " " button type="submit" { "OK" } }
                    }
                }
                main {
                    section #drop aria-labelledby="drop-title" {
                        h2.visually-hidden #drop-title { (p.title) }
                        form #upload method="post" action="/upload" enctype="multipart/form-data" {
                            label.dropzone for="file-input" {
                                strong { (p.drop_hint) }
                                span.pick { (p.pick) }
                                input #file-input type="file" name="files" multiple
                                    accept=".xlsx,.xlsm,.xlsb,.xls,.ods,.csv,.tsv,.txt";
                            }
                            noscript { button type="submit" { "OK" } }
                        }
                        p.accepted { (l.fill(&p.accepted, &[("mb", mb(served.max_file_bytes)), ("total", mb(served.max_upload_bytes))])) }
                        ul #messages aria-live="polite" {}
                    }
                    section #files aria-labelledby="files-title" {
                        h2 #files-title { (p.files) }
                        p #status role="status" { (status(l, built)) }
                        div #files-body { (PreEscaped(&parts.files)) }
                    }
                    section #issues aria-labelledby="issues-title" {
                        h2 #issues-title { (p.issues) }
                        div.filters #filters { (PreEscaped(&parts.filters)) }
                        p #shown aria-live="polite" data-total=(parts.issue_count) {
                            (l.fill(&p.shown, &[("shown", parts.issue_count.min(GRID_ROWS).to_string()), ("total", parts.issue_count.to_string())]))
                        }
                        div.scroll {
                            table #grid {
                                thead { tr {
                                    @for (i, h) in [&p.col_file, &p.col_sheet, &p.col_cell, &p.col_severity, &p.col_reason, &p.col_value].iter().enumerate() {
                                        th scope="col" { button.sort type="button" data-col=(i) title=(p.sort_hint) { (h) } }
                                    }
                                    th scope="col" { (p.col_row) }
                                    th scope="col" { (p.col_fix) }
                                } }
                                tbody #grid-body { (PreEscaped(&parts.issues)) }
                            }
                        }
                    }
                    section #dashboard aria-labelledby="dashboard-title" {
                        h2 #dashboard-title { (p.dashboard) }
                        form #choose-month method="post" action="/choose" {
                            label for="month" { (p.month) " " }
                            select #month name="month" {
                                option value="" selected[built.choice.month.is_none()] { (p.latest) }
                                @for m in &parts.months {
                                    option value=(m) selected[built.choice.month.as_deref() == Some(m.as_str())] { (l.month(m)) }
                                }
                            }
                            " " button type="submit" { (p.show) }
                            " " a #open-page href="/dashboard" target="_blank" rel="noopener" { (p.open_page) }
                        }
                        iframe #dashboard-frame src=(format!("/dashboard?g={}", built.dashboard_generation)) title=(p.dashboard) sandbox="" {}
                    }
                    section #downloads aria-labelledby="downloads-title" {
                        h2 #downloads-title { (p.downloads) }
                        div #downloads-body { (downloads(l, built)) }
                    }
                    section #mappings aria-labelledby="mappings-title" {
                        h2 #mappings-title { (p.mappings) }
                        div #mappings-body { (mappings) }
                    }
                    section #removed aria-labelledby="removed-title" {
                        h2 #removed-title { (p.removed_files) }
                        div #removed-body { (removed) }
                    }
                }
                script #words type="application/json" { (PreEscaped(words.to_string().replace('<', "\\u003c"))) }
            }
        }
    }
}

/// The language's own name.
fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Nederlands",
        Lang::Fr => "Français",
        Lang::En => "English",
    }
}

/// `Reading…`, `Read at 10:42:07`, or why the last build failed.
pub fn status(l: &Labels, built: &Built) -> Markup {
    let p = &l.page;
    html! {
        @match (built.phase, &built.error) {
            (Phase::Failed, Some(error)) => span.failed { (l.fill(&p.failed, &[("error", error.clone())])) },
            (Phase::Reading, _) => span.reading { (p.reading) },
            // Nothing read yet: an empty inbox.
            _ if built.read_at.is_empty() => span {},
            _ => span { (l.fill(&p.read_at, &[("time", built.read_at.clone())])) },
        }
    }
}

/// The downloads of the latest finished build.
pub fn downloads(l: &Labels, built: &Built) -> Markup {
    let p = &l.page;
    let name = |path: &std::path::Path| {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    html! {
        @match &built.outputs {
            None if built.phase == Phase::Ready => {},
            None => p.muted { (p.not_ready) },
            Some(w) => {
                ul.downloads {
                    li { a href="/download/workbook" download { (p.workbook) } " " span.muted { (name(&w.paths.workbook)) } }
                    li { a href="/download/kpis.csv" download { (p.kpis_csv) } " " span.muted { (name(&w.paths.kpis_csv)) } }
                    li { a href="/download/kpis.parquet" download { (p.kpis_parquet) } " " span.muted { (name(&w.paths.kpis_parquet)) } }
                    li { a href="/download/page" download { (p.html) } " " span.muted { (name(&w.paths.html)) } }
                }
                h3 { (p.feedback) }
                @if w.feedback.is_empty() {
                    p.muted { (p.no_feedback) }
                } @else {
                    ul.downloads {
                        li { a href="/download/feedback.zip" download { (p.feedback_zip) } }
                        @for (n, _) in &w.feedback {
                            li { a href=(format!("/download/feedback/{}", encode(n))) download { (n) } }
                        }
                    }
                }
            }
        }
        h3 { (p.templates) }
        ul.downloads.inline {
            @for lang in [Lang::Nl, Lang::Fr, Lang::En] {
                li { a href=(format!("/download/template/{}", lang.code())) download { (lang_name(lang)) } }
            }
        }
    }
}

/// A file name as one URL path segment: every byte but letters, digits and `-._~` escaped.
pub fn encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page of one line and nothing else (the dashboard's frame before there is a dashboard).
pub fn bare(l: &Labels, text: &str) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.lang.code()) {
            head { meta charset="utf-8"; link rel="stylesheet" href="/assets/page.css"; }
            body.message { p.muted { (text) } }
        }
    }
    .into_string()
}

/// A page that says why a request was not answered, and nothing about the server's insides.
pub fn message(l: &Labels, text: &str) -> String {
    html! {
        (DOCTYPE)
        html lang=(l.lang.code()) {
            head {
                meta charset="utf-8";
                title { (l.page.title) " — scoreboard" }
                link rel="stylesheet" href="/assets/page.css";
            }
            body.message {
                h1 { (l.page.title) }
                p { (text) }
                p { a href="/" { (l.page.back) } }
            }
        }
    }
    .into_string()
}
