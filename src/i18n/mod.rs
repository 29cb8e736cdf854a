//! The catalogue of every word a reader sees — workbook labels, issue reasons, `check`'s text —
//! one TOML file per language (`en.toml`, `nl.toml`, `fr.toml`, embedded at build time and
//! parsed once). Nothing else hard-codes user-facing text; code asks for a field or a key.

use crate::model::Lang;
use crate::model::{Arg, ColumnName, Reason};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// Every word of one language, as `src/i18n/<lang>.toml` writes it. Unknown and missing keys
/// are refused when the file is parsed (a test parses all three), so the languages cannot
/// drift apart silently.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Decimal separator of numbers written into labels (`.` or `,`).
    pub decimal_separator: String,
    /// Thousands separator of whole numbers in sentences (`,` `.` or a no-break space).
    pub thousands_separator: String,
    /// A percentage in a label, `{value}` being the number (`{value} %`).
    pub percent: String,
    /// An amount in euro, `{value}` being the number (`€ {value}`; French `{value} €`).
    pub euro: String,
    /// A difference of percentages in points, `{value}` signed (`{value} pt`).
    pub points: String,
    /// Month names, January first.
    pub month_names: [String; 12],
    /// Short month names, January first (column headers of a month matrix).
    pub month_abbr: [String; 12],
    /// The name of a column that has no header (`Column` 5).
    pub column_word: String,
    /// The data sheets' column of the cells corrected by the analyst (`corrections` in the
    /// Parquet lake), there only when some were.
    pub corrections_column: String,
    /// A text quoted from a file, `{text}` being the text (`“{text}”`, `« {text} »`).
    pub quoted: String,
    /// Between a label and its value (`: `; French sets a space before it, ` : `).
    pub colon: String,
    /// Said of an empty list of texts ("none").
    pub none_word: String,
    /// The language of this catalogue (set when parsed, not written in the file).
    #[serde(skip)]
    pub lang: Lang,
    /// Sheet name.
    pub sheet_dashboard: String,
    /// Sheet name.
    pub sheet_actions: String,
    /// Sheet name.
    pub sheet_absence: String,
    /// Sheet name.
    pub sheet_indicators: String,
    /// Sheet name.
    pub sheet_satisfaction: String,
    /// Sheet name.
    pub sheet_proposals: String,
    /// Sheet name.
    pub sheet_plan_quality: String,
    /// Sheet name.
    pub sheet_kpi: String,
    /// Prefix of data sheets (`Data – actions`).
    pub sheet_data_prefix: String,
    /// Sheet name.
    pub sheet_issues: String,
    /// Dashboard title.
    pub title: String,
    /// "Reporting month".
    pub reporting_month: String,
    /// "As of".
    pub as_of: String,
    /// "Source files".
    pub source_files: String,
    /// "unreadable".
    pub unreadable: String,
    /// Headline section title.
    pub headline: String,
    /// Column headers of the headline table.
    pub headline_columns: [String; 7],
    /// "of" in "7 of 16 assessable actions".
    pub basis_of: String,
    /// "errors", "warnings" (issue counts on the dashboard).
    pub issue_counts: String,
    /// Tile labels for the indicator counts (green, amber, red).
    pub indicator_tiles: [String; 3],
    /// Explanation under the dashboard.
    pub dashboard_note: String,
    /// Chart title: on-time rate per owner.
    pub chart_on_time_by_owner: String,
    /// Shown in an empty list.
    pub nothing: String,
    /// Placeholder for a missing key.
    pub none_key: String,
    /// The group of actions without a directorate.
    pub none_owner: String,
    /// The group of actions without an objective.
    pub none_objective: String,
    /// Tooltip of a link to a sheet ("Open the sheet").
    pub open_sheet: String,
    /// Tooltip of a link from an issue to its row on a data sheet.
    pub open_data_row: String,
    /// "Target" (headline table, tile notes, chart series).
    pub target: String,
    /// Row label of a total.
    pub total: String,
    /// Section: rate per owner.
    pub by_owner: String,
    /// Section: rate per objective.
    pub by_objective: String,
    /// Section: overdue and late actions.
    pub overdue_late: String,
    /// Section: rescheduled actions.
    pub rescheduled: String,
    /// Headers of the per-owner table.
    pub owner_columns: [String; 10],
    /// Headers of the per-objective table.
    pub objective_columns: [String; 10],
    /// Headers of the overdue/late list.
    pub late_columns: [String; 8],
    /// Headers of the rescheduled list.
    pub rescheduled_columns: [String; 8],
    /// Section: SMART completeness per owner.
    pub smart_by_owner: String,
    /// Headers of the SMART per-owner table.
    pub smart_columns: [String; 5],
    /// Section: incomplete actions.
    pub incomplete_actions: String,
    /// Headers of the incomplete list.
    pub incomplete_columns: [String; 4],
    /// "Directorate".
    pub directorate: String,
    /// Section title.
    pub absence_matrix: String,
    /// Column headers of the absence matrix.
    pub rolling_12m: String,
    /// Column header.
    pub vs_year_before: String,
    /// Column header.
    pub trend: String,
    /// Row label for the organisation.
    pub whole_organisation: String,
    /// "Measure".
    pub measure: String,
    /// Note under the organisation table.
    pub absence_note: String,
    /// Chart title.
    pub chart_absence: String,
    /// Headers of the Indicators table.
    pub indicator_columns: [String; 12],
    /// Trend words.
    pub better: String,
    /// Trend words.
    pub worse: String,
    /// Trend words.
    pub same: String,
    /// "Month".
    pub month: String,
    /// "All channels".
    pub all_channels: String,
    /// "Answers".
    pub answers: String,
    /// "Year to date".
    pub year_to_date: String,
    /// Explains greyed rates.
    pub low_n_note: String,
    /// Chart title: satisfaction per month.
    pub chart_satisfaction: String,
    /// Headers of the proposal KPI table.
    pub proposal_kpi_columns: [String; 4],
    /// Headers of the proposal list.
    pub proposal_columns: [String; 8],
    /// "yes".
    pub yes: String,
    /// "no".
    pub no: String,
    /// Headers of the KPI sheet.
    pub kpi_columns: [String; 9],
    /// Headers of the Issues sheet.
    pub issue_columns: [String; 6],
    /// Feedback file: the word its name ends with (`…_meldingen.xlsx`).
    pub feedback_suffix: String,
    /// Feedback file: its title, `{file}` being the file's name.
    pub feedback_title: String,
    /// Feedback file: the line under the title (`{as_of}`, `{month}`, `{errors}`, `{warnings}`).
    pub feedback_subtitle: String,
    /// Feedback file: what an error and a warning mean, and what to do.
    pub feedback_intro: String,
    /// Feedback file: its columns.
    pub feedback_columns: [String; 7],
    /// An issue about a whole row, in a cell column (`row {row}`).
    pub row_ref: String,
    /// Said of a change whose previous base is far smaller than this month's.
    pub thin_base: String,
    /// The absence tile: the change of its rate (`{change} t.o.v. vorige maand`).
    pub absence_change: String,
    /// The absence tile: the trend of the rolling 12 months (`trend 12 maanden: {trend}`).
    pub absence_trend: String,
    /// HTML page: the heading of its table of contents.
    pub html_contents: String,
    /// HTML page: the title of the issue counts per file.
    pub html_issue_summary: String,
    /// HTML page: the columns of the issue counts per file.
    pub html_issue_columns: [String; 4],
    /// HTML page: where every issue is listed, `{sheet}` being the Issues sheet's name.
    pub html_issue_note: String,
    /// HTML page: the legend of the on-time chart's target line, `{target}` its value.
    pub html_target_line: String,
    /// Under a long table of the page: only its first rows are shown, the workbook has all.
    pub html_rows_cut: String,
    /// `check` text: counts.
    pub check_counts: String,
    /// `check` text: not read.
    pub check_not_read: String,
    /// `check` text: our output.
    pub check_our_output: String,
    /// `check` text: no table.
    pub check_no_table: String,
    /// `check` text: a read-me skipped.
    pub check_skipped: String,
    /// `check` text: ignored.
    pub check_ignored: String,
    /// `check` text: read, but no row used.
    pub check_no_data: String,
    /// `check` text: a sheet rejected for a missing column.
    pub check_rejected: String,
    /// `check` text: the untouched table sheets of a template, on one line.
    pub check_empty_sheets: String,
    /// `check` text: heading of the expected directorates missing.
    pub check_expected: String,
    /// An expected directorate that sent nothing.
    pub received_nothing: String,
    /// An expected directorate whose latest scoreboard is older than the month.
    pub received_older: String,
    /// Sheet name.
    pub sheet_received: String,
    /// Section: every file and its sheets.
    pub received_files: String,
    /// Section: expected directorates missing, `{month}` the reporting month.
    pub received_missing: String,
    /// Who is expected: the config's list.
    pub received_basis_config: String,
    /// Who is expected: the recent senders.
    pub received_basis_recent: String,
    /// Every expected directorate sent.
    pub received_all_in: String,
    /// A file of which rows are used.
    pub file_used: String,
    /// A file of which nothing is used.
    pub file_not_used: String,
    /// Headers of the Received files table.
    pub received_columns: [String; 13],
    /// Headers of the expected directorates missing.
    pub received_missing_columns: [String; 3],
    /// KPI display names, by KPI id.
    pub kpi_names: BTreeMap<String, String>,
    /// RAG and status words by machine name.
    pub status_names: BTreeMap<String, String>,
    /// Action class names by machine name.
    pub class_names: BTreeMap<String, String>,
    /// Polarity words by machine name.
    pub polarity_names: BTreeMap<String, String>,
    /// Trend words by machine name.
    pub trend_names: BTreeMap<String, String>,
    /// Severity words by machine name.
    pub severity_names: BTreeMap<String, String>,
    /// Action statuses by machine name (`in_progress`), as the template's list writes them.
    pub action_status_names: BTreeMap<String, String>,
    /// KPI scopes by machine name (`all`, `owner`, …), for the KPI sheet.
    pub scope_names: BTreeMap<String, String>,
    /// Deadlines that are no date, by kind name.
    pub deadline_names: BTreeMap<String, String>,
    /// Elements of a SMART action, by machine name.
    pub smart_elements: BTreeMap<String, String>,
    /// Table kinds, by machine name (in Data sheet names).
    pub kind_names: BTreeMap<String, String>,
    /// Issue reasons and their phrases, by key, with `{name}` placeholders.
    pub reason: BTreeMap<String, String>,
    /// Feedback file: what the sender should do, by reason key; `error` and `warning` for the
    /// reasons without their own.
    pub todo: BTreeMap<String, String>,
    /// What the commands print on the terminal.
    pub terminal: Terminal,
    /// The words of `serve`'s page.
    pub page: Page,
}

/// The words of `scoreboard serve`'s page (`[page]` of each catalogue; a test checks that every
/// language has the same placeholders in each).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// The page's title and heading.
    pub title: String,
    /// Under the heading: the folder it serves.
    pub folder: String,
    /// The language picker's label.
    pub language: String,
    /// In the drop zone.
    pub drop_hint: String,
    /// The file picker's button.
    pub pick: String,
    /// Under the drop zone.
    pub accepted: String,
    /// While files are sent.
    pub uploading: String,
    /// A file that landed in the folder.
    pub stored: String,
    /// Several files that landed in the folder, on one line.
    pub stored_many: String,
    /// A file that replaced one of the same name.
    pub replaced: String,
    /// A file not taken.
    pub refused: String,
    /// Why a file was not taken.
    pub too_large: String,
    /// Why a whole drop was not taken.
    pub request_too_large: String,
    /// Heading of the verdicts.
    pub files: String,
    /// When the folder is empty.
    pub no_files: String,
    /// While a build runs.
    pub reading: String,
    /// When the last build ended.
    pub read_at: String,
    /// A build that failed.
    pub failed: String,
    /// The button that moves a file aside.
    pub remove: String,
    /// Asked before a file is moved aside.
    pub remove_confirm: String,
    /// Asked before a mapping is undone.
    pub unmap_confirm: String,
    /// After a file was moved aside.
    pub removed: String,
    /// A file's rows on its verdict.
    pub rows_line: String,
    /// A file's issues on its verdict.
    pub issues_line: String,
    /// A sheet's line: its name and its table kind.
    pub sheet_kind: String,
    /// Heading of the issues grid.
    pub issues: String,
    /// When there is no issue.
    pub no_issues: String,
    /// The filter.
    pub only_errors: String,
    /// The file filter's first choice.
    pub all_files: String,
    /// The severity filter's first choice.
    pub all_severities: String,
    /// The kind filter's first choice.
    pub all_kinds: String,
    /// The grid's count.
    pub shown: String,
    /// Grid column.
    pub col_file: String,
    /// Grid column.
    pub col_sheet: String,
    /// Grid column.
    pub col_cell: String,
    /// Grid column.
    pub col_severity: String,
    /// Grid column.
    pub col_reason: String,
    /// Grid column.
    pub col_value: String,
    /// Grid column: the row as read.
    pub col_row: String,
    /// Title of a sortable column header.
    pub sort_hint: String,
    /// Heading of the dashboard.
    pub dashboard: String,
    /// The month picker's label.
    pub month: String,
    /// The month picker's first choice.
    pub latest: String,
    /// The month picker's button.
    pub show: String,
    /// Link to the dashboard page on its own.
    pub open_page: String,
    /// Heading of the downloads.
    pub downloads: String,
    /// A download.
    pub workbook: String,
    /// A download.
    pub kpis_csv: String,
    /// A download.
    pub kpis_parquet: String,
    /// A download.
    pub html: String,
    /// Heading of the feedback files.
    pub feedback: String,
    /// A download.
    pub feedback_zip: String,
    /// When no file needs feedback.
    pub no_feedback: String,
    /// Heading of the templates.
    pub templates: String,
    /// A download not made yet.
    pub not_ready: String,
    /// The error page of an unknown address.
    pub not_found: String,
    /// The error page of a refused request.
    pub refused_request: String,
    /// The error page of a failure.
    pub server_error: String,
    /// Link back to the page.
    pub back: String,
    /// The button that opens a column mapping.
    pub map: String,
    /// The empty choice of a mapping.
    pub map_none: String,
    /// After a mapping was saved.
    pub mapped_msg: String,
    /// After a mapping was saved as a rule because aliases would not do.
    pub mapped_rule_msg: String,
    /// After a mapping was saved as a rule because aliases would not read the sheet.
    pub mapped_rule_fallback_msg: String,
    /// A header row that holds values (dates, numbers).
    pub map_row_values: String,
    /// A header chosen that is a value.
    pub map_value_header: String,
    /// A mapping that would read the sheet from another row or as another kind.
    pub map_other_row: String,
    /// A header chosen that the sheet would still read as another column.
    pub map_not_taken: String,
    /// A header chosen that the sheet would still not read.
    pub map_not_read: String,
    /// A header that would name two columns everywhere.
    pub map_ambiguous: String,
    /// A rule, named in an undo’s message.
    pub mapping_rule_of: String,
    /// The mapping page's heading.
    pub map_title: String,
    /// Under it: what saving does.
    pub map_intro: String,
    /// Step 1: the header row.
    pub map_rows: String,
    /// Under step 1.
    pub map_rows_hint: String,
    /// A row number's link title.
    pub map_use_row: String,
    /// The chosen header row's mark.
    pub map_header_here: String,
    /// A sheet without rows.
    pub map_no_rows: String,
    /// Step 2: the kind.
    pub map_kinds: String,
    /// A kind and how close the row comes to it.
    pub map_kind_line: String,
    /// The required columns a kind lacks.
    pub map_kind_missing: String,
    /// Step 3: the columns.
    pub map_columns: String,
    /// A required column's mark.
    pub map_required: String,
    /// Where the mapping goes: the choice's legend.
    pub map_scope: String,
    /// Aliases for every file.
    pub map_scope_aliases: String,
    /// A rule for this file-name pattern and sheet.
    pub map_scope_rule: String,
    /// A mapping that would still not make the sheet recognised.
    pub map_not_enough: String,
    /// A mapping with nothing new for a sheet read already.
    pub map_nothing: String,
    /// A file without the sheet asked for.
    pub map_no_sheet: String,
    /// A file that cannot be read for its mapping.
    pub map_unreadable: String,
    /// The main page's section of mappings.
    pub mappings: String,
    /// Under it.
    pub mappings_hint: String,
    /// No mapping in the config.
    pub no_mappings: String,
    /// One alias.
    pub mapping_alias: String,
    /// One rule.
    pub mapping_rule: String,
    /// A rule's header row.
    pub mapping_rule_row: String,
    /// After a mapping was undone.
    pub unmapped_msg: String,
    /// A mapping to undo that is not there.
    pub unmap_gone: String,
    /// The config cannot be read.
    pub config_broken: String,
    /// Why a request was refused: its Host.
    pub refused_host: String,
    /// Why a request was refused: the token.
    pub refused_token: String,
    /// Why a request was refused: its Origin.
    pub refused_origin: String,
    /// Why a request was refused: its form.
    pub refused_form: String,
    /// Why a request was refused: the file.
    pub refused_file: String,
    /// Why a request was refused: the language.
    pub refused_lang: String,
    /// Why a request was refused: the month.
    pub refused_month: String,
    /// Why a drop was cut off.
    pub drop_broken: String,
    /// A refused name: nothing left.
    pub name_empty: String,
    /// A refused name: its extension.
    pub name_extension: String,
    /// A refused name: no extension.
    pub name_no_extension: String,
    /// A refused name: a lock file.
    pub name_lock: String,
    /// Grid column: a correction.
    pub col_fix: String,
    /// The button that opens a correction.
    pub correct: String,
    /// The field of the new value.
    pub new_value: String,
    /// The field of the reason.
    pub why: String,
    /// The button that records a correction.
    pub save: String,
    /// The button that undoes a correction.
    pub undo: String,
    /// After a correction was recorded.
    pub corrected_msg: String,
    /// After a correction was undone.
    pub undone_msg: String,
    /// Heading of the files moved aside.
    pub removed_files: String,
    /// When no file was moved aside.
    pub no_removed: String,
    /// The button that puts a file back.
    pub restore: String,
    /// After a file was put back.
    pub restored_msg: String,
}

/// The terminal's words: summaries, progress stages, `watch`'s and `convert`'s lines, in the
/// run's language (`[terminal]` of each catalogue; a test checks that every language has the
/// same placeholders in each).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Terminal {
    /// `13 file(s) read`.
    pub files_read: String,
    /// `, 2 unreadable` after [`Terminal::files_read`].
    pub unreadable: String,
    /// `; 45 actions row(s)`: one per table.
    pub table_rows: String,
    /// ` (13 superseded snapshot row(s))`.
    pub superseded: String,
    /// The issue counts.
    pub issues: String,
    /// A file of which nothing was used, and why.
    pub not_used: String,
    /// The on-time headline of the summary.
    pub on_time: String,
    /// The same when no action can be judged.
    pub on_time_none: String,
    /// An output written.
    pub wrote: String,
    /// The run's duration.
    pub done: String,
    /// `--strict` found errors.
    pub strict: String,
    /// The Parquet folder written.
    pub parquet_written: String,
    /// The feedback folder written.
    pub feedback_written: String,
    /// The same, with the earlier run's files removed.
    pub feedback_written_removed: String,
    /// Progress bar: `reading`, then the count of `files`.
    pub reading: String,
    /// Progress bar: the unit counted while reading.
    pub files: String,
    /// Progress stages.
    pub stage_consolidating: String,
    /// Progress stage.
    pub stage_kpis: String,
    /// Progress stage.
    pub stage_workbook: String,
    /// Progress stage.
    pub stage_html: String,
    /// Progress stage.
    pub stage_parquet: String,
    /// Progress stage.
    pub stage_feedback: String,
    /// `watch` starts.
    pub watching: String,
    /// `watch` stops (Ctrl-C).
    pub stopped_watching: String,
    /// `serve`'s first line: the address of the page.
    pub serving: String,
    /// When the asked port is taken.
    pub port_taken: String,
    /// The access token of `serve --bind`, printed once.
    pub token_once: String,
    /// When `serve` ends.
    pub stopped_serving: String,
    /// When the browser cannot be opened.
    pub no_browser: String,
    /// One rebuild of `watch`.
    pub watch_line: String,
    /// Files added since the last rebuild.
    pub added: String,
    /// Files changed.
    pub changed: String,
    /// Files removed.
    pub removed: String,
    /// The files that have errors.
    pub errors_in: String,
    /// A file of which nothing was used (in [`Terminal::errors_in`]).
    pub file_not_used: String,
    /// A list cut short.
    pub and_more: String,
    /// `watch`'s on-time rate.
    pub watch_on_time: String,
    /// The same when no action can be judged.
    pub watch_on_time_none: String,
    /// A rebuild failed and the last workbook stays.
    pub rebuild_failed: String,
    /// The first build failed.
    pub not_built: String,
    /// One converted file.
    pub converted: String,
    /// A note about one sheet of a converted file.
    pub converted_sheet: String,
    /// A file that could not be converted.
    pub convert_failed: String,
    /// No output for a file (every sheet empty).
    pub converted_nothing: String,
    /// `convert`'s last line.
    pub convert_done: String,
    /// ... and how many failed.
    pub convert_some_failed: String,
}

const CATALOGUES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("en.toml")),
    (Lang::Nl, include_str!("nl.toml")),
    (Lang::Fr, include_str!("fr.toml")),
];

/// Parses an embedded catalogue; a broken one is a build defect that every test shows at once.
fn parse(lang: Lang) -> Labels {
    let text = CATALOGUES
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or("", |(_, t)| t);
    let mut labels: Labels = toml::from_str(text)
        .unwrap_or_else(|e| panic!("src/i18n/{}.toml is broken: {e}", lang.code()));
    labels.lang = lang;
    labels
}

/// The catalogue of a language, parsed once.
pub fn labels(lang: Lang) -> &'static Labels {
    static EN: OnceLock<Labels> = OnceLock::new();
    static NL: OnceLock<Labels> = OnceLock::new();
    static FR: OnceLock<Labels> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN,
        Lang::Nl => &NL,
        Lang::Fr => &FR,
    };
    cell.get_or_init(|| parse(lang))
}

impl Labels {
    /// Display name of a KPI id, by its registry label key (the id itself when no label exists).
    pub fn kpi(&self, kpi: crate::kpi::Kpi) -> String {
        lookup(&self.kpi_names, kpi.def().label_key)
    }

    /// Display text of a group key of a KPI scope: the key itself, or "no directorate" / "no
    /// objective" for [`crate::kpi::NO_KEY`].
    pub fn group(&self, scope: &str, key: &str) -> String {
        match (key == crate::kpi::NO_KEY, scope) {
            (false, _) => key.to_string(),
            (true, "owner") => self.none_owner.clone(),
            (true, "objective") => self.none_objective.clone(),
            (true, _) => self.none_key.clone(),
        }
    }

    /// Display word for a KPI status: a RAG colour, `low_n`, or the trend label the trend KPIs
    /// carry (`improving`, …).
    pub fn status(&self, s: &str) -> String {
        match self.status_names.get(s) {
            Some(word) => word.clone(),
            None => lookup(&self.trend_names, s),
        }
    }

    /// Display word for a trend label.
    pub fn trend_word(&self, t: &str) -> String {
        lookup(&self.trend_names, t)
    }

    /// Display word for a polarity.
    pub fn polarity(&self, p: &str) -> String {
        lookup(&self.polarity_names, p)
    }

    /// Display name of an action class.
    pub fn class(&self, c: &str) -> String {
        lookup(&self.class_names, c)
    }

    /// A number with its thousands grouped and `decimals` decimals, as this language writes it
    /// (`-1.234,5`).
    pub fn grouped(&self, v: f64, decimals: usize) -> String {
        let text = format!("{:.decimals$}", v.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let whole = self.count(whole.parse().unwrap_or(0));
        let negative = v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        let sign = if negative { "-" } else { "" };
        if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}{}{fraction}", self.decimal_separator)
        }
    }

    /// An amount in euro, thousands grouped, cents only when there are (`€ 35.000`).
    pub fn euro(&self, v: f64) -> String {
        let decimals = if (v - v.round()).abs() < 0.005 { 0 } else { 2 };
        self.fill(&self.euro, &[("value", self.grouped(v, decimals))])
    }

    /// A cell reference as a reader reads it: `F17`, or `row 17` (`rij 17`, `ligne 17`) for an
    /// issue about a whole row, whose reference is its row number alone.
    pub fn cell_or_row(&self, cell: &str) -> String {
        if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
            self.fill(&self.row_ref, &[("row", cell.to_string())])
        } else {
            cell.to_string()
        }
    }

    /// What the sender of a file should do about an issue with reason `key`.
    pub fn todo(&self, key: &str, severity: &str) -> String {
        self.todo
            .get(key)
            .or_else(|| self.todo.get(severity))
            .cloned()
            .unwrap_or_default()
    }

    /// An action status as the template's list writes it (`Lopend` for `in_progress`).
    pub fn action_status(&self, s: crate::model::Status) -> &str {
        self.action_status_names
            .get(s.as_str())
            .map_or(s.as_str(), String::as_str)
    }

    /// A polarity in words (`hoger is beter`), borrowed from the catalogue.
    pub fn polarity_word(&self, p: crate::model::Polarity) -> &str {
        self.polarity_names
            .get(p.as_str())
            .map_or(p.as_str(), String::as_str)
    }

    /// Display name of a KPI scope (`all` → `Hele organisatie`).
    pub fn scope(&self, s: &str) -> String {
        lookup(&self.scope_names, s)
    }

    /// Display word for a severity (`error`, `warning`, `info`).
    pub fn severity(&self, s: &str) -> String {
        lookup(&self.severity_names, s)
    }

    /// Display name of a deadline that is no date (`continuous`, `end_of_mandate`, …).
    pub fn deadline(&self, kind: &str) -> String {
        lookup(&self.deadline_names, kind)
    }

    /// Display name of an element of a SMART action (`measure point`, …).
    pub fn smart_element(&self, e: &str) -> String {
        lookup(&self.smart_elements, e)
    }

    /// Display name of a table kind (`actions`, `absence_monthly`, …).
    pub fn kind(&self, k: &str) -> String {
        lookup(&self.kind_names, k)
    }

    /// The reason in this language, its arguments substituted (translated phrases rendered in
    /// turn). An unknown key shows as the key and its arguments, never as a panic.
    pub fn render(&self, reason: &Reason) -> String {
        let arg = |name: &str| {
            reason
                .args
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, a)| match a {
                    Arg::Text(t) => t.clone(),
                    Arg::Count(n) => self.count(*n),
                    Arg::Tenths(n) => self.tenths(*n),
                    Arg::Reason(r) => self.render(r),
                    Arg::Kind(k) => self.kind(k),
                    Arg::Date(d) => self.date(*d),
                    Arg::Columns(columns) => {
                        let named: Vec<String> =
                            columns.iter().map(|c| self.column_name(c)).collect();
                        named.join(", ")
                    }
                    Arg::Quoted(texts) if texts.is_empty() => self.none_word.clone(),
                    Arg::Quoted(texts) => {
                        let quoted: Vec<String> = texts.iter().map(|t| self.quote(t)).collect();
                        quoted.join(", ")
                    }
                })
        };
        match self.reason.get(reason.key) {
            Some(template) => substitute(template, arg),
            None => {
                let args: Vec<String> = reason
                    .args
                    .iter()
                    .map(|(n, _)| format!("{n}={}", arg(n).unwrap_or_default()))
                    .collect();
                format!("{} ({})", reason.key, args.join(", "))
            }
        }
    }

    /// A label and its value, with this language's colon (`Stand op: 31/03/2025`, `Arrêté au :
    /// 31/03/2025`).
    pub fn labelled(&self, label: impl fmt::Display, value: impl fmt::Display) -> String {
        format!("{label}{}{value}", self.colon)
    }

    /// A text from a file in this language's quotation marks (`“Deadline”`, `« Échéance »`).
    pub fn quote(&self, text: &str) -> String {
        self.fill(&self.quoted, &[("text", text.to_string())])
    }

    /// A column as the sender names it, with its canonical name: `“Datum afgewerkt”
    /// (completed_on)`. A column the file does not have is named by the template's header in
    /// the file's language, else in this one.
    pub fn column_name(&self, c: &ColumnName) -> String {
        let header = c.header.clone().or_else(|| {
            let def = crate::schema::KINDS
                .iter()
                .find(|k| k.name == c.kind)?
                .columns
                .iter()
                .find(|d| d.name == c.column)?;
            def.aliases
                .header(c.lang.unwrap_or(self.lang))
                .map(str::to_string)
        });
        match header {
            Some(h) => format!("{} ({})", self.quote(&h), c.column),
            None => c.column.to_string(),
        }
    }

    /// A catalogue text with its `{name}` placeholders filled in.
    pub fn fill(&self, template: &str, args: &[(&str, String)]) -> String {
        substitute(template, |name| {
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
        })
    }

    /// A number as this language writes it in a label, with at most `decimals` decimals and no
    /// float noise (`86713,2`, `0,5`, `12`).
    pub fn number(&self, v: f64, decimals: usize) -> String {
        let s = format!("{v:.decimals$}");
        let s = if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.')
        } else {
            &s
        };
        let s = if s == "-0" { "0" } else { s };
        s.replace('.', &self.decimal_separator)
    }

    /// [`Labels::number`] with its thousands grouped (`4.936,6`, `1.308`): a count or sum in a
    /// sentence or beside a rate.
    pub fn number_grouped(&self, v: f64, decimals: usize) -> String {
        let text = self.number(v, decimals);
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = match digits.split_once(self.decimal_separator.as_str()) {
            Some((w, f)) => (w, Some(f)),
            None => (digits, None),
        };
        let whole = self.count(whole.parse().unwrap_or(0));
        match fraction {
            Some(f) => format!("{sign}{whole}{}{f}", self.decimal_separator),
            None => format!("{sign}{whole}"),
        }
    }

    /// A whole number with its thousands grouped (`100000000` → `100.000.000` in Dutch).
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() * 2);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.thousands_separator);
            }
            out.push(c);
        }
        out
    }

    /// A number given in tenths, one decimal shown, thousands grouped (`20485` → `2.048,5`).
    pub fn tenths(&self, n: u64) -> String {
        format!("{}{}{}", self.count(n / 10), self.decimal_separator, n % 10)
    }

    /// A fraction as a percentage with one decimal (`0.438` → `43,8 %` in Dutch).
    pub fn percent(&self, fraction: f64) -> String {
        let value = format!("{:.1}", fraction * 100.0).replace('.', &self.decimal_separator);
        self.fill(&self.percent, &[("value", value)])
    }

    /// A difference of two rates in percentage points, signed, one decimal (`+1,2 pt`).
    pub fn points_change(&self, difference: f64) -> String {
        let value = format!("{:+.1}", difference * 100.0).replace('.', &self.decimal_separator);
        self.fill(&self.points, &[("value", value)])
    }

    /// A date in a label: `31/03/2025` (day first, as in Belgium, whatever the language).
    pub fn date(&self, d: NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    /// A month in words: `maart 2025` for the period `2025-03`; any other period as it is.
    pub fn month(&self, period: &str) -> String {
        match month_parts(period) {
            Some((year, m)) => format!("{} {year}", self.month_names[m - 1]),
            None => period.to_string(),
        }
    }

    /// A month in short words for a column header: `mrt 2025` for `2025-03` (any other
    /// period as it is).
    pub fn month_short(&self, period: &str) -> String {
        match month_parts(period) {
            Some((year, m)) => format!("{} {year}", self.month_abbr[m - 1]),
            None => period.to_string(),
        }
    }

    /// A KPI period as a reader reads it: `maart 2025` for a month, `31/03/2025` for a day,
    /// a year as it is.
    pub fn period(&self, period: &str) -> String {
        match NaiveDate::parse_from_str(period, "%Y-%m-%d") {
            Ok(day) => self.date(day),
            Err(_) => self.month(period),
        }
    }

    /// The month of a date in words (`maart 2025`).
    pub fn month_of(&self, d: NaiveDate) -> String {
        self.month(&format!("{:04}-{:02}", d.year(), d.month()))
    }
}

/// `("2025", 3)` for the period `2025-03`.
fn month_parts(period: &str) -> Option<(&str, usize)> {
    let (year, month) = period.split_once('-')?;
    let m: usize = month.parse().ok()?;
    (year.len() == 4 && month.len() == 2 && (1..=12).contains(&m)).then_some((year, m))
}

fn lookup(table: &BTreeMap<String, String>, key: &str) -> String {
    table.get(key).cloned().unwrap_or_else(|| key.to_string())
}

/// `template` with each `{name}` replaced by `arg(name)`; braces that name no argument stay.
/// One pass over the template: substituted values are never scanned again.
pub fn substitute(template: &str, arg: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, arg(&after[..close])?)))
        {
            Some((close, value)) => {
                out.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// English, as in logs, tests and `ReadError`'s own text.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&labels(Lang::En).render(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::registry::KPIS;

    const LANGS: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

    /// The keys of every table of a catalogue, and the placeholders of each text: the same in
    /// every language (a missing or extra top-level key already fails the parse).
    fn tables(l: &Labels) -> Vec<(&'static str, &BTreeMap<String, String>)> {
        vec![
            ("kpi_names", &l.kpi_names),
            ("status_names", &l.status_names),
            ("class_names", &l.class_names),
            ("polarity_names", &l.polarity_names),
            ("trend_names", &l.trend_names),
            ("severity_names", &l.severity_names),
            ("action_status_names", &l.action_status_names),
            ("scope_names", &l.scope_names),
            ("deadline_names", &l.deadline_names),
            ("smart_elements", &l.smart_elements),
            ("kind_names", &l.kind_names),
            ("reason", &l.reason),
        ]
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn numbers_and_amounts_are_written_as_each_language_writes_them() {
        let (en, nl, fr) = (labels(Lang::En), labels(Lang::Nl), labels(Lang::Fr));
        assert_eq!(nl.number_grouped(4936.6, 2), "4.936,6");
        assert_eq!(nl.number_grouped(1308.0, 2), "1.308");
        assert_eq!(en.number_grouped(-86713.25, 2), "-86,713.25");
        assert_eq!(fr.number_grouped(0.5, 2), "0,5");
        assert_eq!(nl.euro(35000.0), "€ 35.000");
        assert_eq!(
            fr.euro(35000.0),
            format!("35{}000 €", fr.thousands_separator)
        );
        assert_eq!(nl.month_short("2025-03"), "mrt 2025");
        assert_eq!(fr.period("2025-03-31"), "31/03/2025");
        assert_eq!(fr.period("2025"), "2025");
    }

    #[test]
    fn every_key_exists_in_every_language_with_the_same_placeholders() {
        let en = labels(Lang::En);
        for lang in [Lang::Nl, Lang::Fr] {
            let other = labels(lang);
            for ((name, a), (_, b)) in tables(en).into_iter().zip(tables(other)) {
                let (ka, kb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
                assert_eq!(ka, kb, "[{name}] of {}.toml", lang.code());
                for (key, text) in a {
                    assert_eq!(
                        placeholders(text),
                        placeholders(&b[key]),
                        "{name}.{key} in {}.toml",
                        lang.code()
                    );
                }
            }
            for (a, b) in [
                (&en.percent, &other.percent),
                (&en.points, &other.points),
                (&en.check_counts, &other.check_counts),
                (&en.check_not_read, &other.check_not_read),
                (&en.check_ignored, &other.check_ignored),
            ] {
                assert_eq!(placeholders(a), placeholders(b), "{b}");
            }
            let terminal = |l: &Labels| match toml::Value::try_from(&l.terminal) {
                Ok(toml::Value::Table(t)) => t,
                other => panic!("[terminal] is no table: {other:?}"),
            };
            let (a, b) = (terminal(en), terminal(other));
            for (key, text) in &a {
                let (a, b) = (text.as_str().unwrap_or(""), b[key].as_str().unwrap_or(""));
                assert_eq!(placeholders(a), placeholders(b), "terminal.{key}: {b}");
            }
            let page = |l: &Labels| match toml::Value::try_from(&l.page) {
                Ok(toml::Value::Table(t)) => t,
                other => panic!("[page] is no table: {other:?}"),
            };
            let (a, b) = (page(en), page(other));
            for (key, text) in &a {
                let (a, b) = (text.as_str().unwrap_or(""), b[key].as_str().unwrap_or(""));
                assert_eq!(placeholders(a), placeholders(b), "page.{key}: {b}");
            }
        }
    }

    #[test]
    fn every_table_kind_and_registered_kpi_has_a_name_in_every_language() {
        for lang in LANGS {
            let l = labels(lang);
            for kind in crate::schema::KINDS {
                assert!(
                    l.kind_names.contains_key(kind.name),
                    "{}: {}",
                    lang.code(),
                    kind.name
                );
            }
            for k in KPIS {
                assert!(
                    l.kpi_names.contains_key(k.label_key),
                    "{}: {}",
                    lang.code(),
                    k.id
                );
            }
        }
    }

    #[test]
    fn sheet_names_are_valid_excel_names_in_every_language() {
        for lang in LANGS {
            let l = labels(lang);
            let mut names = vec![
                l.sheet_dashboard.clone(),
                l.sheet_actions.clone(),
                l.sheet_absence.clone(),
                l.sheet_indicators.clone(),
                l.sheet_satisfaction.clone(),
                l.sheet_proposals.clone(),
                l.sheet_plan_quality.clone(),
                l.sheet_kpi.clone(),
                l.sheet_issues.clone(),
            ];
            names.extend(
                l.kind_names
                    .values()
                    .map(|k| format!("{}{k}", l.sheet_data_prefix)),
            );
            for name in &names {
                assert!(
                    name.chars().count() <= 31
                        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
                        && !name.starts_with('\'')
                        && !name.ends_with('\''),
                    "{}: sheet name {name:?}",
                    lang.code()
                );
            }
            let mut unique: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
            unique.sort();
            unique.dedup();
            assert_eq!(
                unique.len(),
                names.len(),
                "{}: duplicate sheet names",
                lang.code()
            );
        }
    }

    #[test]
    fn numbers_dates_and_months_follow_the_language() {
        let (en, nl, fr) = (labels(Lang::En), labels(Lang::Nl), labels(Lang::Fr));
        assert_eq!(en.percent(0.438), "43.8%");
        assert_eq!(nl.percent(0.438), "43,8 %");
        assert_eq!(fr.percent(0.438), "43,8 %");
        assert_eq!(nl.points_change(0.012), "+1,2 pt");
        assert_eq!(en.points_change(-0.012), "-1.2 pt");
        assert_eq!(nl.number(86713.2, 2), "86713,2");
        assert_eq!(en.number(12.0, 2), "12");
        assert_eq!(fr.number(-0.0, 2), "0");
        assert_eq!(en.month("2025-03"), "March 2025");
        assert_eq!(nl.month("2025-03"), "maart 2025");
        assert_eq!(fr.month("2025-03"), "mars 2025");
        assert_eq!(fr.month("2025-Q1"), "2025-Q1");
        assert_eq!(fr.month("2025-13"), "2025-13");
        let d = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
        assert_eq!(nl.date(d), "31/03/2025");
        assert_eq!(fr.month_of(d), "mars 2025");
    }

    #[test]
    fn reasons_render_in_the_chosen_language() {
        let r = Reason::new("cell_unreadable")
            .arg("value", "gisteren")
            .phrase("what", Reason::new("expected_date"));
        assert_eq!(
            labels(Lang::Nl).render(&r),
            "“gisteren” is niet te lezen als een datum; waarde leeg gelaten"
        );
        assert_eq!(
            labels(Lang::Fr).render(&r),
            "impossible de lire « gisteren » comme une date ; valeur laissée vide"
        );
    }

    #[test]
    fn reasons_substitute_named_arguments_and_translated_phrases() {
        let r = Reason::new("cell_unreadable")
            .arg("value", "{what} gisteren")
            .phrase("what", Reason::new("expected_date"));
        assert_eq!(
            r.to_string(),
            "cannot read “{what} gisteren” as a date; value left empty"
        );
        assert_eq!(
            Reason::new("no_such_key").arg("n", 3).to_string(),
            "no_such_key (n=3)"
        );
        assert_eq!(
            substitute("{a} {b} {", |n| (n == "a").then(|| "x".into())),
            "x {b} {"
        );
    }

    /// Every key given to `Reason::new` in the sources exists in the catalogue, so no
    /// reader ever sees a bare key.
    #[test]
    fn every_reason_key_in_the_code_is_in_the_catalogue() {
        let en = labels(Lang::En);
        let known: Vec<&str> = en.reason.keys().map(String::as_str).collect();
        let mut missing = Vec::new();
        // The checkout being tested (a shared target dir may hold a build from another clone).
        let root = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
        for entry in walkdir::WalkDir::new(std::path::Path::new(&root).join("src")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (i, _) in text.match_indices("Reason::new(\"") {
                let rest = &text[i + "Reason::new(\"".len()..];
                let key = &rest[..rest.find('"').unwrap()];
                if key != "no_such_key" && !known.contains(&key) {
                    missing.push(format!("{}: {key}", entry.path().display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys without text: {missing:?}");
    }

    #[test]
    fn every_registered_kpi_has_a_display_name() {
        for k in KPIS {
            assert!(
                labels(Lang::En).kpi_names.contains_key(k.label_key),
                "no label for {}",
                k.id
            );
        }
        assert_eq!(
            labels(Lang::En).kpi(crate::kpi::Kpi::IndicatorAttainment),
            "Attainment of the target"
        );
    }
}
