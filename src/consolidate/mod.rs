//! Raw sheets → typed rows with lineage, or Issues; snapshots of actions merged (latest report
//! wins). The only place that builds polars frames. Nothing here computes a KPI.

mod cells;
mod frames;
mod names;
mod rules;
mod senders;
mod snapshots;
mod typer;

pub use cells::typed_value;
pub use frames::{actions_frame, actions_kpi_frame, table_frame};
pub use senders::{Expected, Missing, Senders};
pub use snapshots::ActionLineage;
pub use typer::{likeliest_column, FileTyper, TypedFile, Withdrawn};

use typer::TableBuilder;

use crate::config::Settings;
use crate::model::{ColumnName, Issue, Origin, Reason, Severity, Value};
use crate::parse::normalize;
use crate::read::{FileRead, RawCell, RawRow};
use crate::schema::{Col, IfEmpty, KindDef, Layout, Schema, KINDS, OUR_OUTPUT};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::sync::Arc;
use thin_vec::ThinVec;

/// One consolidated row: typed values in the kind's column order, lineage, extra columns.
/// Kept small (40 bytes and its values), as a file may hold millions of rows.
#[derive(Debug, Clone)]
pub struct TypedRow {
    /// File, sheet and Excel row it came from; the sheet's place says which sheet column held
    /// each kind column (for cell references).
    pub origin: Origin,
    /// One value per column of the kind.
    pub values: Box<[Value]>,
    /// Values of the table's extra columns, by index into `Table::extra_columns` ("" if absent;
    /// shorter than the list when later files added columns). A thin vector (one pointer, no
    /// allocation when empty): most tables have no extra column.
    pub extras: ThinVec<String>,
}

impl TypedRow {
    /// The sheet column (0-based) that held kind column `i`, if known.
    pub fn sheet_column(&self, i: usize) -> Option<u32> {
        self.origin.sheet_column(i)
    }

    /// Excel reference of the cell holding kind column `i` (the row number alone if unknown).
    pub fn cell_ref(&self, i: usize) -> String {
        self.origin.cell_ref(i)
    }
}

/// All rows of one table kind, from every file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The kind.
    pub kind: &'static KindDef,
    /// Headers of columns the kind does not know, in order of first appearance.
    pub extra_columns: Vec<String>,
    /// The rows (for actions: only the winning snapshot of each action).
    pub rows: Vec<TypedRow>,
}

impl Table {
    /// Value of a column in row `r` (`Value::Empty` past the last row).
    pub fn get(&self, r: usize, col: Col) -> &Value {
        static EMPTY: Value = Value::Empty;
        debug_assert_eq!(col.kind, self.kind.name, "a column handle of another kind");
        self.rows
            .get(r)
            .and_then(|row| row.values.get(col.index))
            .unwrap_or(&EMPTY)
    }

    /// The sheet column (0-based) that held kind column `col` in row `r`, if known.
    pub fn sheet_column(&self, r: usize, col: Col) -> Option<u32> {
        self.rows.get(r).and_then(|row| row.sheet_column(col.index))
    }
}

/// The rows of one sheet below its header row, by what became of them. `read` = `kept` +
/// `rejected` + `skipped`; rows above the header (titles, logos) are not counted.
/// Serialised as is in `check --format json` (docs/check.md): rename nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RowCounts {
    /// Non-empty rows below the header row.
    pub read: usize,
    /// Rows typed into the consolidated table (a later stage may still leave one out of a KPI,
    /// with an error issue: a spell that ends before it starts, a period that is no month).
    pub kept: usize,
    /// Rows left out here, each with an error issue (a required value missing or unreadable).
    pub rejected: usize,
    /// Rows skipped without loss, each with an info issue (total rows, notes under the table).
    pub skipped: usize,
}

impl RowCounts {
    /// The counts as the catalogues' placeholders name them (`{read}`, `{kept}`, `{rejected}`,
    /// `{skipped}`), for `Labels::fill`.
    pub fn placeholders(&self) -> [(&'static str, String); 4] {
        [
            ("read", self.read.to_string()),
            ("kept", self.kept.to_string()),
            ("rejected", self.rejected.to_string()),
            ("skipped", self.skipped.to_string()),
        ]
    }
}

impl std::ops::AddAssign for RowCounts {
    fn add_assign(&mut self, other: RowCounts) {
        self.read += other.read;
        self.kept += other.kept;
        self.rejected += other.rejected;
        self.skipped += other.skipped;
    }
}

/// What became of one sheet: the table kind it holds, or why it was ignored.
#[derive(Debug, Clone)]
pub struct SheetOutcome {
    /// Source file.
    pub file: String,
    /// Sheet name (empty when the whole file failed).
    pub sheet: String,
    /// Kind found, if any.
    pub kind: Option<&'static str>,
    /// The sheet's rows by fate (all zero when the sheet was ignored or the file failed).
    pub rows: RowCounts,
    /// Reason when ignored or failed.
    pub note: Option<Reason>,
}

impl SheetOutcome {
    /// True for a sheet of a workbook written by scoreboard itself (it has lineage columns).
    pub fn is_our_output(&self) -> bool {
        self.note.as_ref().is_some_and(|n| n.key == OUR_OUTPUT)
    }
}

/// Everything the KPI and write stages need.
#[derive(Debug, Default)]
pub struct Consolidated {
    /// One table per kind found, in declaration order.
    pub tables: Vec<Table>,
    /// For the actions table: snapshot lineage of each row, aligned with its rows.
    pub actions: Vec<ActionLineage>,
    /// Every issue, in the order found.
    pub issues: Vec<Issue>,
    /// Every sheet of every file, with its fate.
    pub sheets: Vec<SheetOutcome>,
    /// Files read.
    pub files_read: usize,
    /// Files that could not be read.
    pub files_failed: usize,
    /// Action rows replaced by a later report of the same action.
    pub superseded: usize,
    /// The cells corrected by the analyst, by row.
    pub corrected: Corrected,
    /// Where each action row the snapshot merge left out came from (replaced by a later
    /// report of its action, or reported after the as-of date): with the tables' rows, every
    /// typed row is accounted for.
    pub merged_away: Vec<Origin>,
    /// Every action row before the merge, to look at the plan as it stood at the end of the
    /// month before the as-of date. Held only when some row is reported in the as-of date's own
    /// month (or no as-of date was given): otherwise the plan at that month's end is the merge
    /// itself, and 200,000 actions would hold a second copy of every row for nothing.
    pub action_history: Option<Table>,
    /// The directorates each file's actions name, and when each directorate reported.
    pub senders: Senders,
}

impl Consolidated {
    /// The table of a kind, if any file had one.
    pub fn table(&self, kind: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.kind.name == kind)
    }
}

const TOTAL_LABELS: &[&str] = &[
    "totaal",
    "total",
    "totaux",
    "som",
    "somme",
    "sum",
    "eindtotaal",
    "grand total",
    "total general",
];

/// Classifies every sheet, types every row, reports every rejected cell and merges snapshots
/// as of `as_of` (action rows reported after it are left out; `None`: every row counts, as when
/// the as-of date is the latest report date). For files read whole; the report types each file
/// as it streams ([`FileTyper`]) and calls [`merge`].
pub fn consolidate(
    files: &[FileRead],
    schema: &Schema,
    settings: &Settings,
    as_of: Option<NaiveDate>,
) -> Consolidated {
    let typed = files
        .iter()
        .map(|read| FileRead {
            path: read.path.clone(),
            name: read.name.clone(),
            result: Arc::new(match read.result.as_ref() {
                Ok(workbook) => Ok(FileTyper::type_workbook(
                    schema,
                    settings,
                    &read.path,
                    &read.shown(),
                    workbook,
                )),
                Err(e) => Err(e.clone()),
            }),
        })
        .collect();
    merge(typed, settings, as_of)
}

/// Joins typed files in their order — issues, sheets, each kind's rows (extra columns matched
/// by header) — and merges the snapshots of actions as of `as_of` (see [`consolidate`]). A file
/// that could not be read is an error issue; nothing of it is kept.
pub fn merge(
    files: Vec<FileRead<TypedFile>>,
    settings: &Settings,
    as_of: Option<NaiveDate>,
) -> Consolidated {
    let mut out = Consolidated::default();
    let mut tables: Vec<TableBuilder> = Vec::new();
    for read in files {
        let path = read.shown();
        // Moved when this run holds the only copy; a cached file (watch) is copied.
        let typed = Arc::try_unwrap(read.result).unwrap_or_else(|shared| (*shared).clone());
        let mut file = match typed {
            Ok(file) => file,
            Err(e) => {
                out.files_failed += 1;
                out.issues.push(Issue::at_file(
                    &path,
                    "",
                    Severity::Error,
                    Reason::new("file_not_read").phrase("error", e.reason()),
                ));
                out.sheets.push(SheetOutcome {
                    file: path,
                    sheet: String::new(),
                    kind: None,
                    rows: RowCounts::default(),
                    note: Some(e.reason()),
                });
                continue;
            }
        };
        out.files_read += 1;
        out.issues.append(&mut file.issues);
        out.sheets.append(&mut file.sheets);
        for part in file.tables {
            join(&mut tables, part, &path, &mut out.issues);
        }
    }
    for kind in KINDS {
        if let Some(i) = tables.iter().position(|t| t.table.kind.name == kind.name) {
            out.tables.push(tables.swap_remove(i).table);
        }
    }
    names::join_spellings(&mut out.tables, &settings.names, &mut out.issues);
    if let Some(actions) = out.tables.iter_mut().find(|t| t.kind.name == "actions") {
        out.senders = Senders::of(actions, as_of);
        if as_of.is_none_or(|as_of| reported_this_month(actions, as_of)) {
            out.action_history = Some(actions.clone());
        }
        let merged = snapshots::merge_snapshots(actions, settings, as_of, &mut out.issues);
        out.superseded = merged.superseded;
        out.merged_away = merged.left_out;
        out.actions = merged.lineage;
    }
    out.corrected = Corrected::of(&out.issues);
    out
}

/// The cells corrected by the analyst (`crate::corrections`), by the row they are in, for the
/// `corrections` lineage column of the data sheets and the Parquet lake: per source row number,
/// (file, sheet, `H20: “31/02/2025” → “28/02/2025” (c1)`). Empty without corrections, and the
/// column is then left out.
#[derive(Debug, Default, Clone)]
pub struct Corrected(HashMap<u32, Vec<(String, String, String)>>);

impl Corrected {
    /// The corrections noted among `issues` (each a note with the reason `corrected`).
    pub fn of(issues: &[Issue]) -> Self {
        let mut by_row: HashMap<u32, Vec<(String, String, String)>> = HashMap::new();
        for issue in issues.iter().filter(|i| i.reason.key == "corrected") {
            let Some(row) = issue
                .cell
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .parse::<u32>()
                .ok()
            else {
                continue;
            };
            let id = issue
                .reason
                .args
                .iter()
                .find_map(|(n, a)| match (*n, a) {
                    ("id", crate::model::Arg::Text(id)) => Some(id.as_str()),
                    _ => None,
                })
                .unwrap_or_default();
            let text = format!(
                "{}: “{}” → “{}” ({id})",
                issue.cell, issue.value, issue.parsed
            );
            let entry = by_row.entry(row).or_default();
            match entry
                .iter_mut()
                .find(|(f, s, _)| *f == issue.file && *s == issue.sheet)
            {
                Some((_, _, all)) => {
                    all.push_str("; ");
                    all.push_str(&text);
                }
                None => entry.push((issue.file.clone(), issue.sheet.clone(), text)),
            }
        }
        Corrected(by_row)
    }

    /// Whether any cell was corrected.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The corrections of the row at `origin`, if any.
    pub fn of_row(&self, origin: &Origin) -> Option<&str> {
        self.0.get(&origin.row)?.iter().find_map(|(f, s, text)| {
            (f.as_str() == origin.file() && s.as_str() == origin.sheet()).then_some(text.as_str())
        })
    }
}

/// The last day of the month before the one of `date` (none before year 1): the date the
/// previous month's KPIs are taken at.
pub fn previous_month_end(date: NaiveDate) -> Option<NaiveDate> {
    date.with_day(1).and_then(|d| d.pred_opt())
}

/// Whether some action row is reported after the end of the month before `as_of` and not after
/// `as_of` itself: only then can the plan as it stood at that month's end differ from the merge
/// as of `as_of` (a winner carries the latest report date of its action).
fn reported_this_month(actions: &Table, as_of: NaiveDate) -> bool {
    let Some(end) = previous_month_end(as_of) else {
        return false;
    };
    let mut dates = snapshots::ReportDates::default();
    actions
        .rows
        .iter()
        .filter_map(|row| dates.of(actions.kind, row))
        .any(|d| d > end && d <= as_of)
}

/// Appends one file's rows of a kind to the run's, its extra columns matched to the run's by
/// header (those past [`MAX_EXTRA_COLUMNS`] dropped with a warning).
fn join(tables: &mut Vec<TableBuilder>, part: TableBuilder, file: &str, issues: &mut Vec<Issue>) {
    let Some(run) = tables
        .iter_mut()
        .find(|t| t.table.kind.name == part.table.kind.name)
    else {
        tables.push(part);
        return;
    };
    let map: Vec<Option<usize>> = part
        .extra_keys
        .iter()
        .zip(&part.table.extra_columns)
        .map(|(key, shown)| run.extra(key, shown))
        .collect();
    let dropped = map.iter().filter(|m| m.is_none()).count();
    if dropped > 0 {
        issues.push(Issue::at_file(
            file,
            "",
            Severity::Warning,
            Reason::new("extra_columns_dropped")
                .arg("count", dropped)
                .arg("max", MAX_EXTRA_COLUMNS),
        ));
    }
    let mut rows = part.table.rows;
    if map.iter().enumerate().any(|(i, m)| *m != Some(i)) {
        let width = run.table.extra_columns.len();
        for row in &mut rows {
            let mut extras: ThinVec<String> = (0..width).map(|_| String::new()).collect();
            for (value, to) in std::mem::take(&mut row.extras).into_iter().zip(&map) {
                if let Some(to) = to {
                    extras[*to] = value;
                }
            }
            row.extras = extras;
        }
    }
    if run.table.rows.is_empty() {
        run.table.rows = rows;
    } else {
        run.table.rows.append(&mut rows);
    }
}

/// The actions as they stood at `up_to`: the same merge as a report as of `up_to` (rows
/// reported on or before it, and undated ones), so the previous month seen from a later report
/// equals that month's own report. Used for "change since the previous month"; issues of this
/// view are dropped.
pub fn snapshot_view(cons: &Consolidated, settings: &Settings, up_to: NaiveDate) -> Consolidated {
    let mut view = Consolidated::default();
    if let Some(history) = &cons.action_history {
        let mut table = history.clone();
        let mut ignored = Vec::new();
        view.actions =
            snapshots::merge_snapshots(&mut table, settings, Some(up_to), &mut ignored).lineage;
        view.tables.push(table);
    }
    view
}

/// A file that was read but gave no data: an error when no sheet holds a table (a file left
/// out, exit code 1), so a scoreboard whose headers were renamed never vanishes silently; a
/// warning when its tables are all empty (a blank template sent back). A file whose only data
/// sat in a sheet rejected for a missing column says nothing more: that sheet's error does. A
/// workbook written by scoreboard itself (lineage columns) is left out on purpose: an info note;
/// so is a `.txt` file without a table, a read-me left in the drop folder (`LEESMIJ.txt`) rather
/// than a scoreboard (exports with tables come as `.csv`, or as `.txt` that do hold one).
fn file_without_table(path: &str, sheets: &[SheetOutcome]) -> Option<Issue> {
    if sheets.iter().any(|s| s.kind.is_some() && s.rows.read > 0) {
        return None;
    }
    let text_file = std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if text_file {
        return Some(Issue::at_file(
            path,
            "",
            Severity::Info,
            Reason::new("text_without_table"),
        ));
    }
    if sheets.iter().any(|s| s.is_our_output()) {
        return Some(Issue::at_file(
            path,
            "",
            Severity::Info,
            Reason::new("scoreboard_workbook"),
        ));
    }
    if sheets.iter().any(|s| s.rows.rejected > 0) {
        return None;
    }
    let tables = sheets.iter().filter(|s| s.kind.is_some()).count();
    if tables > 0 {
        return Some(Issue::at_file(
            path,
            "",
            Severity::Warning,
            Reason::new("file_no_data").count("sheets", tables as u64),
        ));
    }
    Some(Issue::at_file(
        path,
        "",
        Severity::Error,
        if sheets.is_empty() {
            Reason::new("file_without_sheet")
        } else {
            Reason::new("file_without_table").arg("sheets", sheets.len())
        },
    ))
}

/// Extra columns one table carries at most: with the kind's own and the lineage columns, a data
/// sheet stays within Excel's 16,384.
const MAX_EXTRA_COLUMNS: usize = 16_000;

/// A value shown on the Issues sheet: enough to find the cell, not a 100 MB copy of it.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(1_000) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn total_label(row: &RawRow) -> Option<String> {
    let (_, RawCell::Text(text)) = row.cells.first()? else {
        return None;
    };
    // Every label starts with t, s, e or g once normalised: most rows (an id, a name) are
    // passed over without normalising their first cell (normalize is the costly part).
    let first = text.chars().find(|c| c.is_alphanumeric())?;
    if first.is_ascii() && !matches!(first.to_ascii_lowercase(), 't' | 's' | 'e' | 'g') {
        return None;
    }
    let n = normalize(text);
    TOTAL_LABELS
        .iter()
        .any(|l| n == *l || n.starts_with(&format!("{l} ")))
        .then(|| text.trim().to_string())
}

/// How messages name kind column `i` of a row's table: by the file's header.
fn column_name(layout: &Layout, origin: &Origin, i: usize) -> ColumnName {
    ColumnName {
        kind: layout.kind.name,
        column: layout.kind.columns[i].name,
        header: origin.header(i).map(str::to_string),
        lang: layout.lang,
    }
}

/// Types one row; `None` (with error issues) when a required value is missing or unreadable.
/// An empty required cell costs what its kind says ([`IfEmpty`]): the row by default, a warning
/// or a note where the row stays usable.
fn type_row(
    layout: &Layout,
    row: &RawRow,
    origin: &Origin,
    date_1904: bool,
    issues: &mut Vec<Issue>,
) -> Option<Vec<Value>> {
    let kind = layout.kind;
    let mut values = vec![Value::Empty; kind.columns.len()];
    let mut keep = true;
    // (sheet column, kind column) of each required column whose cell holds nothing.
    let mut blank: Vec<(u32, usize)> = Vec::new();
    for (c, i) in &layout.columns {
        let def = &kind.columns[*i];
        let cell = match row.get(*c) {
            Some(cell) if !cell.is_blank() => cell,
            _ => {
                if def.required {
                    blank.push((*c, *i));
                }
                continue;
            }
        };
        let (value, problem) = typed_value(cell, def.value, date_1904);
        match problem {
            Some(reason) => {
                let strict = def.required && !kind.lenient.contains(&def.name);
                let left_out = strict && value.is_empty();
                keep &= !left_out;
                let (severity, key) = if left_out {
                    (Severity::Error, "column_row_left_out")
                } else {
                    (Severity::Warning, "column_problem")
                };
                issues.push(
                    Issue::at_cell(
                        origin,
                        *c,
                        shorten(&cell.as_typed()),
                        severity,
                        Reason::new(key)
                            .columns("column", vec![column_name(layout, origin, *i)])
                            .phrase("reason", reason),
                    )
                    .parsed_as(value.to_text()),
                );
            }
            // A cell that holds nothing to read (`-` as a deadline) is empty.
            None if value.is_empty() && def.required => blank.push((*c, *i)),
            None => {}
        }
        values[*i] = value;
    }
    for (c, i) in blank {
        let def = &kind.columns[i];
        let named = || vec![column_name(layout, origin, i)];
        let rule = kind.if_empty.iter().find(|(n, _)| *n == def.name);
        match rule.map(|(_, rule)| *rule) {
            None => {
                keep = false;
                issues.push(Issue::at_cell(
                    origin,
                    c,
                    "",
                    Severity::Error,
                    Reason::new("required_empty").columns("column", named()),
                ));
            }
            Some(IfEmpty::Warn { reason, unless }) => {
                let excused = unless
                    .and_then(|u| kind.column_index(u))
                    .is_some_and(|u| !values[u].is_empty());
                if !excused {
                    issues.push(Issue::at_cell(
                        origin,
                        c,
                        "",
                        Severity::Warning,
                        Reason::new(reason).columns("column", named()),
                    ));
                }
            }
            Some(IfEmpty::Note(reason)) => issues.push(Issue::at_cell(
                origin,
                c,
                "",
                Severity::Info,
                Reason::new(reason).columns("column", named()),
            )),
            Some(IfEmpty::Fine) => {}
        }
    }
    // A group of which one column is required (workable days or FTE): a row where every one
    // the sheet has is empty gives no capacity, so it cannot count in a rate.
    for group in kind.one_of {
        let present: Vec<(u32, usize)> = group
            .iter()
            .filter_map(|name| kind.column_index(name))
            .filter_map(|i| {
                layout
                    .columns
                    .iter()
                    .find(|(_, j)| *j == i)
                    .map(|(c, _)| (*c, i))
            })
            .collect();
        if let Some(&(c, _)) = present.first() {
            if keep && present.iter().all(|(_, i)| values[*i].is_empty()) {
                let named = present
                    .iter()
                    .map(|(_, i)| column_name(layout, origin, *i))
                    .collect();
                issues.push(Issue::at_cell(
                    origin,
                    c,
                    "",
                    Severity::Warning,
                    Reason::new("capacity_empty").columns("column", named),
                ));
            }
        }
    }
    if keep {
        rules::check_row(layout, row, origin, &mut values, issues);
    }
    keep.then_some(values)
}

#[cfg(test)]
mod tests;
