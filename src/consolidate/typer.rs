//! One file's rows typed as they stream from its reader: each sheet's first rows are held until
//! its header row is found (it lies among the first [`HEADER_SEARCH_ROWS`]), then every later
//! row is typed on arrival and its raw cells let go. Files are typed on their own — in parallel,
//! in the read stage's threads — and [`super::merge`] joins them in file order.

use super::{
    file_without_table, shorten, total_label, type_row, typed_value, RowCounts, SheetOutcome,
    Table, TypedRow, MAX_EXTRA_COLUMNS,
};
use crate::config::Settings;
use crate::model::{Arg, CellFix, ColumnName, Issue, Origin, Place, Reason, Severity, Value};
use crate::read::{
    Format, RawCell, RawRow, RawSheet, RawWorkbook, ReadEvent, ReadNote, ReadSink, SkippedSheet,
};
use crate::schema::{
    ColumnDef, KindDef, Layout, Near, Recognition, Schema, ValueType, HEADER_SEARCH_ROWS,
    OUR_OUTPUT,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// What one file's rows became: its issues in the order found, the fate of each sheet, and its
/// typed rows by table kind. Merged with the other files' by [`super::merge`].
#[derive(Debug, Clone, Default)]
pub struct TypedFile {
    /// Issues of the file: read notes and skipped sheets first, then each sheet's.
    pub issues: Vec<Issue>,
    /// Every sheet of the file, with its fate.
    pub sheets: Vec<SheetOutcome>,
    /// Typed rows by kind, in the order the kinds were first met in the file.
    pub(super) tables: Vec<TableBuilder>,
}

impl TypedFile {
    /// What the file's typing produced, comparably: its issues as text, the fate of each
    /// sheet, each table (kind, extra columns, rows: an empty table left behind shows) and each
    /// row with its kind, lineage, values and extra columns. Two typings of the same file
    /// (whole, or streamed in any chunks) must give the same.
    pub fn summary(&self) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
        let issues = self
            .issues
            .iter()
            .map(|i| format!("{} {} {} {:?}", i.sheet, i.cell, i.reason, i.value))
            .collect();
        let sheets = self
            .sheets
            .iter()
            .map(|s| format!("{} {:?} {:?} {:?}", s.sheet, s.kind, s.rows, s.note))
            .collect();
        let tables = self
            .tables
            .iter()
            .map(|t| {
                format!(
                    "{} {:?} {} row(s)",
                    t.table.kind.name,
                    t.table.extra_columns,
                    t.table.rows.len()
                )
            })
            .collect();
        let rows = self
            .tables
            .iter()
            .flat_map(|t| t.table.rows.iter().map(move |r| (t, r)))
            .map(|(t, r)| {
                format!(
                    "{} {} {:?} {:?} {:?}",
                    t.table.kind.name, r.origin.row, r.values, r.extras, t.table.extra_columns
                )
            })
            .collect();
        (issues, sheets, tables, rows)
    }
}

/// A first pass over a sheet that a restart takes back, as [`FileTyper::type_streamed`] sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    /// The sheet's own first rows, as a reader that restarts sends them.
    Prefix(usize),
    /// A table the sheet may not hold at all: a header naming every column of the `n`-th table
    /// kind (modulo their number) and an extra column, then rows of unreadable cells past the
    /// header search area (so they are typed before the restart). Whatever it typed — a table
    /// of a kind the file has nowhere else, rows, issues — must be taken back.
    Decoy(usize),
}

const KINDS_LEN: usize = crate::schema::KINDS.len();

/// The rows of [`Withdrawn::Decoy`] for `kind`.
fn decoy_rows(kind: &crate::schema::KindDef) -> Vec<RawRow> {
    let row = |index: u32, cell: &dyn Fn(usize) -> String| RawRow {
        index,
        cells: (0..=kind.columns.len())
            .map(|c| (c as u32, RawCell::Text(cell(c))))
            .collect(),
    };
    let header = row(0, &|c| {
        kind.columns
            .get(c)
            .and_then(|col| col.aliases.header(crate::model::Lang::Nl))
            .map_or("Lokvogel".to_string(), str::to_string)
    });
    std::iter::once(header)
        .chain((1..HEADER_SEARCH_ROWS + 5).map(|i| row(i, &|c| format!("?{c}"))))
        .collect()
}

/// The rows of one kind from one file, and the extra columns met so far.
#[derive(Debug, Clone)]
pub(super) struct TableBuilder {
    pub(super) table: Table,
    /// The key (normalised header, ` (2)` for a repeat) of each extra column, by index.
    pub(super) extra_keys: Vec<String>,
    extra_index: HashMap<String, usize>,
}

impl TableBuilder {
    fn new(kind: &'static KindDef) -> Self {
        TableBuilder {
            table: Table {
                kind,
                extra_columns: Vec::new(),
                rows: Vec::new(),
            },
            extra_keys: Vec::new(),
            extra_index: HashMap::new(),
        }
    }

    /// The index of an extra column, added when new; `None` past [`MAX_EXTRA_COLUMNS`].
    pub(super) fn extra(&mut self, key: &str, shown: &str) -> Option<usize> {
        if let Some(&i) = self.extra_index.get(key) {
            return Some(i);
        }
        let next = self.extra_keys.len();
        if next >= MAX_EXTRA_COLUMNS {
            return None;
        }
        self.extra_index.insert(key.to_string(), next);
        self.extra_keys.push(key.to_string());
        self.table.extra_columns.push(shown.to_string());
        Some(next)
    }

    /// Forgets the extra columns from index `len` on (a sheet read again).
    fn truncate_extras(&mut self, len: usize) {
        self.extra_keys.truncate(len);
        self.table.extra_columns.truncate(len);
        self.extra_index.retain(|_, i| *i < len);
    }
}

/// Types one file's read events as they arrive (a [`ReadSink`]); [`FileTyper::finish`] gives
/// the [`TypedFile`].
pub struct FileTyper<'a> {
    schema: &'a Schema,
    settings: &'a Settings,
    /// The path as found, for the configured `[[sheets]]` kinds.
    path: String,
    /// The file as the analyst sees it (issues, lineage).
    shown: Arc<str>,
    ours: bool,
    head: Vec<Issue>,
    skipped: Vec<SheetOutcome>,
    out: TypedFile,
    sheet: Option<SheetState>,
    texts: Texts,
    /// Cell corrections of this file's content (docs/corrections.md).
    fixes: Vec<CellFix>,
}

/// The texts of a file's typed values, each held once: a million absence spells name a few
/// thousand employees and a dozen directorates.
#[derive(Default)]
struct Texts(HashSet<arcstr::ArcStr>);

impl Texts {
    /// The one shared copy of the text values of `values`.
    fn share(&mut self, values: &mut [Value]) {
        for value in values {
            if let Value::Text(text) = value {
                match self.0.get(&**text) {
                    Some(held) => *text = held.clone(),
                    None => {
                        self.0.insert(text.clone());
                    }
                }
            }
        }
    }
}

/// Where the current sheet is.
struct SheetState {
    name: String,
    date_1904: bool,
    /// Length of the file's issues when the sheet began (a restart goes back to it).
    issues_mark: usize,
    step: Step,
}

enum Step {
    /// Its first rows, held until the header row can be found.
    Searching(Vec<RawRow>),
    /// Not a table (its reason), or a workbook of ours: rows dropped.
    Ignored(Reason),
    /// A header close to a kind but lacking a required column: its rows are counted, as
    /// rejected, and the sheet ends with one error (or a note when no row came).
    Rejected(Box<NearSheet>),
    /// Typing its rows into `out.tables[table]`.
    Typing(Box<SheetTyper>),
}

/// A sheet whose header comes close to a kind ([`Near`]): the rows below it, counted.
struct NearSheet {
    near: Near,
    counts: RowCounts,
    /// The header of that row the fix proposes for the first missing column, if one fits.
    candidate: Option<String>,
}

impl NearSheet {
    fn count(&mut self, row: &RawRow) {
        if row.cells.iter().any(|(_, c)| !c.is_blank()) {
            self.counts.read += 1;
            self.counts.rejected += 1;
        }
    }

    /// The sheet's issue: an error that names what is missing and how to fix it, or a note
    /// when no data row came.
    fn issue(&self, file: &str, sheet: &str) -> (Issue, Reason) {
        let near = &self.near;
        let named = |column: &'static str, header: Option<String>| ColumnName {
            kind: near.kind.name,
            column,
            header,
            lang: near.lang,
        };
        let missing: Vec<ColumnName> = near.missing.iter().map(|m| named(m, None)).collect();
        let unmatched: Vec<String> = near.unmatched.iter().map(|(_, h)| h.clone()).collect();
        let base = |key| {
            Reason::new(key)
                .arg("row", near.row)
                .kind("kind", near.kind.name)
                .columns("missing", missing.clone())
        };
        if self.counts.read == 0 {
            let reason = base("sheet_near_kind_empty");
            let note = Reason::new("sheet_ignored").phrase("reason", reason.clone());
            return (Issue::at_file(file, sheet, Severity::Info, note), reason);
        }
        let first = near.missing.first().copied().unwrap_or_default();
        let fix = match &self.candidate {
            Some(header) => Reason::new("fix_rename")
                .quoted("header", vec![header.clone()])
                .columns("expected", vec![named(first, None)])
                .arg("section", format!("[aliases.{}]", near.kind.name))
                .arg(
                    "line",
                    format!("{first} = [{}]", toml::Value::String(header.clone())),
                ),
            None => Reason::new("fix_add").columns("expected", missing.clone()),
        };
        let reason = base("sheet_near_kind")
            .count("rows", self.counts.read as u64)
            .quoted("unmatched", unmatched)
            .phrase("fix", fix);
        let mut issue = Issue::at_file(file, sheet, Severity::Error, reason.clone());
        issue.cell = near.row.to_string();
        (issue, reason)
    }
}

/// The header of `near`'s row that most likely holds its first missing column: the unmatched
/// column whose values below read best as that column's type (at least half of them), else
/// the only unmatched one.
fn fix_candidate(near: &Near, rows: &[RawRow], date_1904: bool) -> Option<String> {
    let missing = near
        .kind
        .columns
        .iter()
        .find(|c| near.missing.first() == Some(&c.name))?;
    let below = rows.get(near.header_pos + 1..).unwrap_or_default();
    let unmatched: Vec<u32> = near.unmatched.iter().map(|(c, _)| *c).collect();
    likeliest_column(missing, &unmatched, below, date_1904)
        .and_then(|col| near.unmatched.iter().find(|(c, _)| *c == col))
        .map(|(_, h)| h.clone())
        .or_else(|| match near.unmatched.as_slice() {
            [(_, only)] => Some(only.clone()),
            _ => None,
        })
}

/// Of the sheet columns `candidates`, the one whose values in `below` read best as `column`'s
/// type (at least half of its filled cells fit; the last on a tie), if any. The error of a
/// sheet close to a kind and the page's mapping both guess a missing column with it.
pub fn likeliest_column(
    column: &ColumnDef,
    candidates: &[u32],
    below: &[RawRow],
    date_1904: bool,
) -> Option<u32> {
    let score = |col: u32| {
        let (mut filled, mut fit) = (0usize, 0usize);
        for cell in below.iter().filter_map(|r| r.get(col)) {
            if cell.is_blank() {
                continue;
            }
            filled += 1;
            if fits(cell, column.value, date_1904) {
                fit += 1;
            }
        }
        (filled > 0 && 2 * fit >= filled).then_some(fit)
    };
    candidates
        .iter()
        .filter_map(|c| score(*c).map(|fit| (fit, *c)))
        .max_by_key(|(fit, _)| *fit)
        .map(|(_, c)| c)
}

/// Whether a cell reads as a value of `ty`, strictly enough to tell a column's type by its
/// values: a plain number is no date (it would pass as an Excel serial), and a percentage is
/// typed with `%` or lies between 0 and 1.
fn fits(cell: &RawCell, ty: ValueType, date_1904: bool) -> bool {
    let plain_number = matches!(cell, RawCell::Number(_));
    match ty {
        ValueType::Date | ValueType::Deadline | ValueType::Period if plain_number => false,
        ValueType::Percent => match cell {
            RawCell::Number(n) => (0.0..=1.0).contains(n),
            RawCell::Text(t) => t.contains('%') && typed_value(cell, ty, date_1904).1.is_none(),
            _ => false,
        },
        ValueType::Text | ValueType::Id => false,
        _ => {
            let (value, problem) = typed_value(cell, ty, date_1904);
            problem.is_none()
                && !value.is_empty()
                && !matches!(value, Value::Status(crate::model::Status::Unknown))
        }
    }
}

impl<'a> FileTyper<'a> {
    /// A typer for the file at `path`, shown to the analyst as `shown`.
    pub fn new(schema: &'a Schema, settings: &'a Settings, path: &Path, shown: &str) -> Self {
        FileTyper {
            schema,
            settings,
            path: path.to_string_lossy().into_owned(),
            shown: Arc::from(shown),
            ours: false,
            head: Vec::new(),
            skipped: Vec::new(),
            out: TypedFile::default(),
            sheet: None,
            texts: Texts::default(),
            fixes: Vec::new(),
        }
    }

    /// The typer with cell corrections: each corrected cell is read as its new value, as if
    /// typed in it, and noted where it is.
    pub fn with_fixes(mut self, fixes: Vec<CellFix>) -> Self {
        self.fixes = fixes;
        self
    }

    /// `rows` with this sheet's corrections applied (and each noted), or `None` when none
    /// concerns them.
    fn corrected(&mut self, rows: &[RawRow]) -> Option<Vec<RawRow>> {
        if self.fixes.is_empty() {
            return None;
        }
        let sheet = &self.sheet.as_ref()?.name;
        let fixes: Vec<&CellFix> = self
            .fixes
            .iter()
            .filter(|f| &f.sheet == sheet && rows.iter().any(|r| r.index == f.row))
            .collect();
        if fixes.is_empty() {
            return None;
        }
        let mut rows = rows.to_vec();
        for fix in fixes {
            let Some(row) = rows.iter_mut().find(|r| r.index == fix.row) else {
                continue;
            };
            let cell = RawCell::Text(fix.value.clone());
            match row.cells.binary_search_by_key(&fix.col, |(c, _)| *c) {
                Ok(i) => row.cells[i].1 = cell,
                Err(i) => row.cells.insert(i, (fix.col, cell)),
            }
            self.out.issues.push(Issue {
                file: self.shown.to_string(),
                sheet: sheet.clone(),
                cell: crate::model::cell_ref(fix.col, fix.row + 1),
                value: fix.original.clone(),
                parsed: fix.value.clone(),
                severity: Severity::Info,
                reason: fix.note.clone(),
            });
        }
        Some(rows)
    }

    /// Types a workbook already read whole (tests, benchmarks, the fuzz targets).
    pub fn type_workbook(
        schema: &'a Schema,
        settings: &'a Settings,
        path: &Path,
        shown: &str,
        workbook: &RawWorkbook,
    ) -> TypedFile {
        let mut typer = FileTyper::new(schema, settings, path, shown);
        typer.opened(workbook.format, workbook.written_by_scoreboard);
        for sheet in &workbook.sheets {
            typer.begin_sheet(sheet.name.clone(), sheet.date_1904);
            typer.rows(&sheet.rows);
        }
        typer.done(&workbook.notes, &workbook.skipped);
        typer.finish()
    }

    /// Types a workbook already read whole as its reader would stream it: each sheet in chunks
    /// of `chunk` rows, after a first pass that a restart takes back (`None`: no restart).
    /// Gives what [`FileTyper::type_workbook`] gives (tests, fuzzing).
    pub fn type_streamed(
        schema: &'a Schema,
        settings: &'a Settings,
        path: &Path,
        shown: &str,
        workbook: &RawWorkbook,
        chunk: usize,
        withdrawn: Option<Withdrawn>,
    ) -> TypedFile {
        FileTyper::new(schema, settings, path, shown).stream_workbook(workbook, chunk, withdrawn)
    }

    /// Types a workbook already read whole as [`FileTyper::type_streamed`] does, with this
    /// typer.
    pub fn stream_workbook(
        self,
        workbook: &RawWorkbook,
        chunk: usize,
        withdrawn: Option<Withdrawn>,
    ) -> TypedFile {
        let chunk = chunk.max(1);
        let mut typer = self;
        typer.event(ReadEvent::Opened {
            format: workbook.format,
            written_by_scoreboard: workbook.written_by_scoreboard,
        });
        for sheet in &workbook.sheets {
            typer.event(ReadEvent::Sheet {
                name: sheet.name.clone(),
                date_1904: sheet.date_1904,
            });
            if let Some(first) = withdrawn {
                let rows = match first {
                    Withdrawn::Prefix(n) => sheet.rows[..n.min(sheet.rows.len())].to_vec(),
                    Withdrawn::Decoy(k) => decoy_rows(&crate::schema::KINDS[k % KINDS_LEN]),
                };
                for part in rows.chunks(chunk) {
                    typer.event(ReadEvent::Rows(part.to_vec()));
                }
                typer.event(ReadEvent::Restart);
            }
            for part in sheet.rows.chunks(chunk) {
                typer.event(ReadEvent::Rows(part.to_vec()));
            }
        }
        typer.event(ReadEvent::Done {
            notes: workbook.notes.clone(),
            skipped: workbook.skipped.clone(),
        });
        typer.finish()
    }

    fn opened(&mut self, _format: Format, written_by_scoreboard: bool) {
        self.ours = written_by_scoreboard;
    }

    fn begin_sheet(&mut self, name: String, date_1904: bool) {
        self.end_sheet();
        let step = if self.ours {
            // A KPI workbook of an earlier run left in the inbox: its KPI sheet would pass for
            // an indicators table. `file_without_table` notes it once.
            Step::Ignored(Reason::new(OUR_OUTPUT))
        } else {
            Step::Searching(Vec::new())
        };
        self.sheet = Some(SheetState {
            name,
            date_1904,
            issues_mark: self.out.issues.len(),
            step,
        });
    }

    /// Takes the next rows of the current sheet.
    fn rows(&mut self, rows: &[RawRow]) {
        let corrected = self.corrected(rows);
        let rows = corrected.as_deref().unwrap_or(rows);
        let Some(state) = self.sheet.as_mut() else {
            return;
        };
        let mut rest = rows;
        if let Step::Searching(held) = &mut state.step {
            let Some(later) = rows.iter().position(|r| r.index >= HEADER_SEARCH_ROWS) else {
                held.extend_from_slice(rows);
                return;
            };
            // The first row below the search area decides: recognise with it in view (a sheet
            // whose only rows lie below is not empty), then type it with the rest.
            held.extend_from_slice(&rows[..later]);
            held.push(rows[later].clone());
            self.recognise();
            rest = &rows[later + 1..];
        }
        if let Some(SheetState {
            step: Step::Rejected(near),
            ..
        }) = self.sheet.as_mut()
        {
            for row in rest {
                near.count(row);
            }
            return;
        }
        let Some(SheetState {
            step: Step::Typing(typer),
            ..
        }) = self.sheet.as_mut()
        else {
            return;
        };
        let table = &mut self.out.tables[typer.table];
        for row in rest {
            typer.row(table, row, &mut self.out.issues, &mut self.texts);
        }
    }

    /// Recognises the held rows of the current sheet and types those below its header row.
    fn recognise(&mut self) {
        let Some(state) = self.sheet.as_mut() else {
            return;
        };
        let Step::Searching(held) = &mut state.step else {
            return;
        };
        let sheet = RawSheet {
            name: state.name.clone(),
            date_1904: state.date_1904,
            rows: std::mem::take(held),
        };
        state.step = match self.settings.recognise(self.schema, &self.path, &sheet) {
            Recognition::Ignored(reason) => {
                if !sheet.rows.is_empty() {
                    self.out.issues.push(Issue::at_file(
                        &*self.shown,
                        &sheet.name,
                        Severity::Info,
                        Reason::new("sheet_ignored").phrase("reason", reason.clone()),
                    ));
                }
                Step::Ignored(reason)
            }
            Recognition::Near(near) => {
                let candidate = fix_candidate(&near, &sheet.rows, sheet.date_1904);
                let mut rejected = NearSheet {
                    counts: RowCounts::default(),
                    candidate,
                    near,
                };
                for row in &sheet.rows[rejected.near.header_pos + 1..] {
                    rejected.count(row);
                }
                Step::Rejected(Box::new(rejected))
            }
            Recognition::Table(layout) => {
                let (table, created) = match self
                    .out
                    .tables
                    .iter()
                    .position(|t| t.table.kind.name == layout.kind.name)
                {
                    Some(i) => (i, false),
                    None => {
                        self.out.tables.push(TableBuilder::new(layout.kind));
                        (self.out.tables.len() - 1, true)
                    }
                };
                let builder = &mut self.out.tables[table];
                let mut typer = SheetTyper::new(
                    builder,
                    table,
                    &self.shown,
                    &sheet,
                    layout,
                    &mut self.out.issues,
                );
                typer.created_table = created;
                for row in &sheet.rows[typer.layout.header_pos + 1..] {
                    typer.row(builder, row, &mut self.out.issues, &mut self.texts);
                }
                Step::Typing(Box::new(typer))
            }
        };
    }

    /// The current sheet's rows come again from the start.
    fn restart(&mut self) {
        let Some(state) = self.sheet.as_mut() else {
            return;
        };
        if let Step::Typing(typer) = &mut state.step {
            if typer.created_table {
                // The sheet brought its kind into the file: the rows sent again may no longer
                // be recognised as one, and an empty table would still count as that kind.
                // Being the current sheet, its table is the last one made.
                self.out.tables.truncate(typer.table);
            } else {
                let builder = &mut self.out.tables[typer.table];
                builder.table.rows.truncate(typer.rows_mark);
                builder.truncate_extras(typer.extras_mark);
            }
        }
        self.out.issues.truncate(state.issues_mark);
        if !self.ours {
            state.step = Step::Searching(Vec::new());
        }
    }

    /// Ends the current sheet, if any: recognises it if that was still to do, records its fate.
    fn end_sheet(&mut self) {
        if matches!(
            self.sheet,
            Some(SheetState {
                step: Step::Searching(_),
                ..
            })
        ) {
            self.recognise();
        }
        let Some(state) = self.sheet.take() else {
            return;
        };
        let (kind, rows, note) = match state.step {
            Step::Typing(typer) => {
                typer.columns_unused(&mut self.out.issues, state.issues_mark);
                (Some(typer.layout.kind.name), typer.counts, None)
            }
            Step::Rejected(near) => {
                let (issue, reason) = near.issue(&self.shown, &state.name);
                self.out.issues.push(issue);
                (None, near.counts, Some(reason))
            }
            Step::Ignored(reason) => (None, RowCounts::default(), Some(reason)),
            Step::Searching(_) => (None, RowCounts::default(), None),
        };
        self.out.sheets.push(SheetOutcome {
            file: self.shown.to_string(),
            sheet: state.name,
            kind,
            rows,
            note,
        });
    }

    fn done(&mut self, notes: &[ReadNote], skipped: &[SkippedSheet]) {
        self.end_sheet();
        for note in notes {
            self.head.push(Issue::at_file(
                &*self.shown,
                "",
                Severity::Info,
                note.reason(),
            ));
        }
        for sheet in skipped {
            let note = Reason::new("sheet_skipped").phrase("what", sheet.what.phrase());
            self.head.push(Issue::at_file(
                &*self.shown,
                &sheet.name,
                Severity::Info,
                note.clone(),
            ));
            self.skipped.push(SheetOutcome {
                file: self.shown.to_string(),
                sheet: sheet.name.clone(),
                kind: None,
                rows: RowCounts::default(),
                note: Some(note),
            });
        }
    }
}

impl ReadSink for FileTyper<'_> {
    type Output = TypedFile;

    fn event(&mut self, event: ReadEvent) {
        match event {
            ReadEvent::Opened {
                format,
                written_by_scoreboard,
            } => self.opened(format, written_by_scoreboard),
            ReadEvent::Sheet { name, date_1904 } => self.begin_sheet(name, date_1904),
            ReadEvent::Rows(rows) => self.rows(&rows),
            ReadEvent::Restart => self.restart(),
            ReadEvent::Done { notes, skipped } => self.done(&notes, &skipped),
        }
    }

    /// The file's issues (read notes and skipped sheets first, as they concern the whole file,
    /// then each sheet's, then a file without any table), its sheets and its rows.
    fn finish(mut self) -> TypedFile {
        self.end_sheet();
        let mut out = self.out;
        if !self.head.is_empty() {
            self.head.append(&mut out.issues);
            out.issues = self.head;
        }
        // Skipped sheets (charts) do not count among the sheets that hold no table.
        if let Some(mut issue) = file_without_table(&self.shown, &out.sheets) {
            // A text file named .xlsx that gave nothing is called what it is.
            let text = out.issues.iter().find_map(|i| {
                (i.reason.key == crate::read::TEXT_NAMED_AS_WORKBOOK).then(|| i.reason.clone())
            });
            if let (Some(note), Severity::Error) = (text, issue.severity) {
                issue.reason = Reason::new("text_not_a_workbook").phrase("note", note);
            }
            out.issues.push(issue);
        }
        if !self.skipped.is_empty() {
            self.skipped.append(&mut out.sheets);
            out.sheets = self.skipped;
        }
        out
    }
}

/// Types the rows of one sheet below its header row.
struct SheetTyper {
    layout: Layout,
    table: usize,
    /// File, sheet and kind columns, shared by the origins of its rows.
    place: Arc<Place>,
    date_1904: bool,
    /// (sheet column, extra column index) of each extra column kept.
    extras: Vec<(u32, usize)>,
    /// Every sheet column under a header, sorted.
    known: Vec<u32>,
    counts: RowCounts,
    /// Rows and extra columns of the table when the sheet began (a restart goes back to them).
    rows_mark: usize,
    extras_mark: usize,
    /// Whether this sheet made `table` (the file's first sheet of its kind).
    created_table: bool,
    /// The columns the kind does not know, and how their values read.
    unknown: Vec<UnknownColumn>,
    /// The header row's number as Excel shows it.
    header_row: u32,
}

/// A column of the sheet the kind does not know: its header, and how many of its first values
/// read as each column of the kind that the sheet lacks (dates where `completed_on` is absent).
struct UnknownColumn {
    column: u32,
    header: String,
    filled: u32,
    /// (kind column index, values that read as its type).
    fits: Vec<(usize, u32)>,
}

/// Values of an unknown column looked at to tell its type: enough to judge, and a million-row
/// sheet does not parse a million extra cells for it.
const TYPE_SAMPLE: u32 = 200;

/// The types an unknown column may be told to have, most telling first: dates before
/// deadlines (a date is both), percentages before numbers.
const TELLING_TYPES: [ValueType; 8] = [
    ValueType::Date,
    ValueType::Deadline,
    ValueType::Period,
    ValueType::Percent,
    ValueType::Number,
    ValueType::Status,
    ValueType::Polarity,
    ValueType::YesNo,
];

impl SheetTyper {
    /// Reads the header row: kind columns, repeated headers (a warning each), extra columns
    /// (those past the cap dropped with one warning).
    fn new(
        builder: &mut TableBuilder,
        table: usize,
        file: &Arc<str>,
        sheet: &RawSheet,
        layout: Layout,
        issues: &mut Vec<Issue>,
    ) -> Self {
        let kind = layout.kind;
        let header = &sheet.rows[layout.header_pos];
        let mut columns = vec![None; kind.columns.len()];
        for (c, i) in &layout.columns {
            columns[*i] = Some(*c);
        }
        let sheet_name: Arc<str> = Arc::from(sheet.name.as_str());
        let header_origin = Origin::new(file, &sheet_name, header.index + 1);
        for (c, i) in &layout.repeats {
            let first = layout
                .columns
                .iter()
                .find(|(_, j)| j == i)
                .map(|(fc, _)| *fc);
            issues.push(Issue::at_cell(
                &header_origin,
                *c,
                header.get(*c).map(RawCell::display).unwrap_or_default(),
                Severity::Warning,
                Reason::new("header_repeated")
                    .arg("column", kind.columns[*i].name)
                    .arg(
                        "first",
                        first.map(crate::model::column_letters).unwrap_or_default(),
                    ),
            ));
        }
        let (rows_mark, extras_mark) = (builder.table.rows.len(), builder.extra_keys.len());
        // A header that repeats within the sheet becomes `Opmerking (2)`, so both columns are kept.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut dropped: Vec<u32> = Vec::new();
        let extras: Vec<(u32, usize)> = layout
            .extras
            .iter()
            .filter_map(|(c, key)| {
                let shown = header
                    .get(*c)
                    .map(|h| h.display().trim().to_string())
                    .unwrap_or_else(|| key.clone());
                let n = seen.entry(key.as_str()).or_insert(0);
                *n += 1;
                let (key, shown) = match *n {
                    1 => (key.clone(), shown),
                    n => (format!("{key} ({n})"), format!("{shown} ({n})")),
                };
                let i = builder.extra(&key, &shown);
                if i.is_none() {
                    dropped.push(*c);
                }
                i.map(|i| (*c, i))
            })
            .collect();
        if let Some(first) = dropped.first() {
            issues.push(extras_dropped(&header_origin, *first, dropped.len()));
        }
        let mut known: Vec<u32> = layout.columns.iter().map(|(c, _)| *c).collect();
        known.extend(layout.extras.iter().map(|(c, _)| *c));
        known.sort_unstable();
        let shown = |c: u32| {
            header
                .get(c)
                .map(|h| h.display().trim().to_string())
                .unwrap_or_default()
        };
        let headers: Box<[Option<Arc<str>>]> = columns
            .iter()
            .map(|c| c.map(|c| Arc::from(shown(c).as_str())))
            .collect();
        let absent: Vec<usize> = (0..kind.columns.len())
            .filter(|i| columns[*i].is_none() && TELLING_TYPES.contains(&kind.columns[*i].value))
            .collect();
        let unknown = layout
            .extras
            .iter()
            .filter(|(c, _)| !layout.repeats.iter().any(|(r, _)| r == c))
            .map(|(c, _)| UnknownColumn {
                column: *c,
                header: shown(*c),
                filled: 0,
                fits: absent.iter().map(|i| (*i, 0)).collect(),
            })
            .collect();
        SheetTyper {
            table,
            place: Arc::new(Place {
                file: file.clone(),
                sheet: sheet_name,
                columns: columns.into(),
                headers,
            }),
            date_1904: sheet.date_1904,
            extras,
            known,
            counts: RowCounts::default(),
            rows_mark,
            extras_mark,
            created_table: false,
            unknown,
            header_row: header.index + 1,
            layout,
        }
    }

    /// Looks at the values of the unknown columns in a row (their first [`TYPE_SAMPLE`]).
    fn sample_unknown(&mut self, row: &RawRow) {
        let kind = self.layout.kind;
        for u in &mut self.unknown {
            if u.filled >= TYPE_SAMPLE {
                continue;
            }
            let Some(cell) = row.get(u.column).filter(|c| !c.is_blank()) else {
                continue;
            };
            u.filled += 1;
            for (i, n) in &mut u.fits {
                if fits(cell, kind.columns[*i].value, self.date_1904) {
                    *n += 1;
                }
            }
        }
    }

    /// At the end of the sheet, one issue per unknown column with values: a warning when they
    /// read as a column the sheet lacks (naming it, with the alias line to add, and said again
    /// in the row warnings that column's absence caused since `mark`), else a note that it is
    /// kept on the data sheet only.
    fn columns_unused(&self, issues: &mut Vec<Issue>, mark: usize) {
        let kind = self.layout.kind;
        let header_row = self.header_row;
        for u in self.unknown.iter().filter(|u| u.filled > 0) {
            // Nine in ten values at least, of the most telling type any absent column has.
            let fitting = |ty: ValueType| -> Vec<usize> {
                u.fits
                    .iter()
                    .filter(|(i, n)| kind.columns[*i].value == ty && 10 * n >= 9 * u.filled)
                    .map(|(i, _)| *i)
                    .collect()
            };
            let maybe = TELLING_TYPES
                .iter()
                .map(|ty| fitting(*ty))
                .find(|found| !found.is_empty())
                .unwrap_or_default();
            let origin = Origin {
                place: self.place.clone(),
                row: header_row,
            };
            let named = |i: usize| ColumnName {
                kind: kind.name,
                column: kind.columns[i].name,
                header: None,
                lang: self.layout.lang,
            };
            let Some(&first) = maybe.first() else {
                issues.push(Issue::at_cell(
                    &origin,
                    u.column,
                    u.header.clone(),
                    Severity::Info,
                    Reason::new("column_kept_unused").quoted("header", vec![u.header.clone()]),
                ));
                continue;
            };
            issues.push(Issue::at_cell(
                &origin,
                u.column,
                u.header.clone(),
                Severity::Warning,
                Reason::new("column_may_be")
                    .quoted("header", vec![u.header.clone()])
                    .columns("candidates", maybe.iter().map(|i| named(*i)).collect())
                    .columns("expected", vec![named(first)])
                    .arg("section", format!("[aliases.{}]", kind.name))
                    .arg(
                        "line",
                        format!(
                            "{} = [{}]",
                            kind.columns[first].name,
                            toml::Value::String(u.header.clone())
                        ),
                    ),
            ));
            let hint = Reason::new("hint_column").quoted("header", vec![u.header.clone()]);
            for issue in issues[mark..].iter_mut() {
                let about = issue.reason.args.iter().any(|(name, arg)| {
                    *name == "column"
                        && matches!(arg, Arg::Columns(c) if c.iter().any(|c| maybe.iter().any(|i| kind.columns[*i].name == c.column)))
                });
                if !about {
                    continue;
                }
                for (name, arg) in issue.reason.args.iter_mut() {
                    if *name == "hint" {
                        *arg = Arg::Reason(hint.clone());
                    }
                }
            }
        }
    }

    /// Types one row below the header into the table, or says with an issue why not.
    fn row(
        &mut self,
        builder: &mut TableBuilder,
        row: &RawRow,
        issues: &mut Vec<Issue>,
        texts: &mut Texts,
    ) {
        self.counts.read += 1;
        let origin = Origin {
            place: self.place.clone(),
            row: row.index + 1,
        };
        if let Some(label) = total_label(row) {
            issues.push(Issue::at_row(
                &origin,
                Severity::Info,
                Reason::new("total_row").arg("label", label),
            ));
            self.counts.skipped += 1;
            return;
        }
        if self
            .layout
            .columns
            .iter()
            .all(|(c, _)| row.get(*c).is_none_or(|v| v.is_blank()))
        {
            let text: Vec<String> = row.cells.iter().map(|(_, v)| v.as_typed()).collect();
            let mut issue =
                Issue::at_row(&origin, Severity::Info, Reason::new("row_outside_table"));
            issue.value = text.join(" | ");
            issues.push(issue);
            self.counts.skipped += 1;
            return;
        }
        self.sample_unknown(row);
        let layout = &self.layout;
        let outside: Vec<&(u32, RawCell)> = row
            .cells
            .iter()
            .filter(|(c, v)| self.known.binary_search(c).is_err() && !v.is_blank())
            .collect();
        if let Some((c, _)) = outside.first() {
            let text: Vec<String> = outside.iter().map(|(_, v)| v.as_typed()).collect();
            issues.push(Issue::at_cell(
                &origin,
                *c,
                shorten(&text.join(" | ")),
                Severity::Warning,
                Reason::new("values_without_header"),
            ));
        }
        match type_row(layout, row, &origin, self.date_1904, issues) {
            Some(mut values) => {
                texts.share(&mut values);
                let width = builder.table.extra_columns.len();
                let mut extras: thin_vec::ThinVec<String> =
                    (0..width).map(|_| String::new()).collect();
                for (c, i) in &self.extras {
                    if let Some(v) = row.get(*c) {
                        extras[*i] = v.display();
                    }
                }
                builder.table.rows.push(TypedRow {
                    origin,
                    values: values.into_boxed_slice(),
                    extras,
                });
                self.counts.kept += 1;
            }
            None => self.counts.rejected += 1,
        }
    }
}

/// The warning for extra columns left out past [`MAX_EXTRA_COLUMNS`], at the first of them.
pub(super) fn extras_dropped(header: &Origin, first: u32, count: usize) -> Issue {
    Issue::at_cell(
        header,
        first,
        "",
        Severity::Warning,
        Reason::new("extra_columns_dropped")
            .arg("count", count)
            .arg("max", MAX_EXTRA_COLUMNS),
    )
}
