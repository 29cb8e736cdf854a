//! One `Data – <kind>` sheet per table kind found: the consolidated rows with typed cells, the
//! extra columns, and the lineage columns. Large tables are streamed (constant memory), and the
//! sheets are filled on threads of their own while the KPIs are computed (see [`parts`] and
//! [`Filling`]).

use super::styles::Styles;
use super::table::{table_headers, Out, Widths};
use crate::consolidate::{ActionLineage, Consolidated, Table, TypedRow};
use crate::i18n::Labels;
use crate::model::{Deadline, Value};
use crate::schema::{ValueType, LINEAGE_COLUMNS, MERGE_COLUMNS};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    ColNum, RowNum, Table as XlTable, TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::sync::Arc;

/// Above this many rows a data sheet is streamed to disk instead of held in memory (rows go to
/// a temporary file). The largest such sheet stores its repeated text (units, source files…)
/// once in the shared string table, as Excel does (rust_xlsxwriter's low-memory mode); the
/// others write it inline (constant-memory mode), see [`parts`].
pub(super) const STREAM_ABOVE_ROWS: usize = 20_000;
/// Rows looked at to fit column widths.
pub(super) const WIDTH_SAMPLE_ROWS: usize = 500;

/// One cell of a data sheet, borrowed from the consolidated row where it can be: the one
/// description of a row's columns, from which the sheet both fits its widths and writes.
pub(super) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    /// A number, unformatted (General).
    Number(f64),
    /// A count or row number, unformatted; its width is its digits.
    Int(f64),
    /// A date in the date format; none leaves the cell empty.
    Date(Option<NaiveDate>),
}

impl Cell<'_> {
    /// The cell as the report tables describe it, to fit column widths by their rules.
    fn out(&self) -> Out {
        match self {
            Cell::Empty => Out::Empty,
            Cell::Text(t) => Out::text(t.as_ref()),
            Cell::Number(n) => Out::Num(*n),
            Cell::Int(n) => Out::Int(*n),
            Cell::Date(d) => Out::Date(*d),
        }
    }

    /// Writes the cell: text and numbers unformatted (as a data table shows them), dates in
    /// the date format — the column's own when `dated_column` (see [`dated_columns`]), else
    /// the cell's.
    fn write(
        &self,
        ws: &mut Worksheet,
        styles: &Styles,
        row: RowNum,
        col: ColNum,
        dated_column: bool,
    ) -> Result<(), XlsxError> {
        match self {
            Cell::Empty | Cell::Date(None) => {}
            Cell::Text(t) => super::write_text(ws, row, col, t, None)?,
            Cell::Number(n) | Cell::Int(n) => {
                ws.write_number(row, col, *n)?;
            }
            // An unformatted cell takes its column's format when the sheet is written: the
            // same style on the cell as `write_date_with_format`, without looking the format up
            // (rust_xlsxwriter hashes the whole Format for every formatted cell: 2 million
            // date cells in the benchmark's spells sheet).
            Cell::Date(Some(d)) if dated_column => {
                ws.write_datetime(row, col, *d)?;
            }
            Cell::Date(Some(d)) => {
                ws.write_date_with_format(row, col, *d, &styles.date)?;
            }
        }
        Ok(())
    }
}

/// A typed value as the Data sheet shows it, in the chosen language: statuses as the template's
/// list writes them (`Lopend`), polarities, yes/no and deadlines that are no date in words;
/// periods stay `2025-03`, a value to sort and filter on (the Parquet dataset keeps the machine
/// names).
fn value_cell<'a>(l: &'a Labels, v: &'a Value) -> Cell<'a> {
    match v {
        Value::Empty => Cell::Empty,
        Value::Text(t) => Cell::Text(Cow::Borrowed(t)),
        Value::Number(n) => Cell::Number(*n),
        Value::Date(d) | Value::Deadline(Deadline::Date(d, _)) => Cell::Date(Some(*d)),
        Value::Deadline(other) => Cell::Text(Cow::Owned(l.deadline(other.kind_name()))),
        Value::Period(p) => Cell::Text(Cow::Owned(p.to_string())),
        Value::Status(s) => Cell::Text(Cow::Borrowed(l.action_status(*s))),
        Value::Polarity(p) => Cell::Text(Cow::Borrowed(l.polarity_word(*p))),
        Value::Bool(b) => Cell::Text(Cow::Borrowed(if *b { &l.yes } else { &l.no })),
    }
}

/// What the data sheets show: the consolidated tables in one language, cut every
/// `rows_per_sheet` rows. They need no KPI, so they are filled while the KPIs are computed
/// (`super::WorkbookBuilder`).
#[derive(Clone, Copy)]
pub struct DataView<'a> {
    /// The consolidated tables and the merge's lineage of the actions.
    pub cons: &'a Consolidated,
    /// Labels in the chosen language.
    pub labels: &'static Labels,
    /// Rows of a table per data sheet (see `Report::rows_per_data_sheet`).
    pub rows_per_sheet: usize,
}

/// The cells of row `r` of the table, in column order, into `cells` (cleared first): its
/// values, extra columns, the merge's columns for actions, then the lineage.
fn row_cells<'a>(view: &DataView<'a>, table: &'a Table, r: usize, cells: &mut Vec<Cell<'a>>) {
    let merge = (table.kind.name == "actions").then(|| view.cons.actions.get(r));
    let row = &table.rows[r];
    row_cells_of(view.labels, table, row, merge, cells);
    if !view.cons.corrected.is_empty() {
        let text = view.cons.corrected.of_row(&row.origin).unwrap_or("");
        cells.push(Cell::Text(Cow::Borrowed(text)));
    }
}

/// The cells of `row` of `table` (see [`row_cells`]); `merge`, for actions, is the merge's
/// lineage of the row (`Some(None)`: none known, its five cells empty).
pub(super) fn row_cells_of<'a>(
    l: &'a Labels,
    table: &Table,
    row: &'a TypedRow,
    merge: Option<Option<&'a ActionLineage>>,
    cells: &mut Vec<Cell<'a>>,
) {
    cells.clear();
    cells.extend(row.values.iter().map(|v| value_cell(l, v)));
    cells.extend(
        (0..table.extra_columns.len())
            .map(|i| Cell::Text(Cow::Borrowed(row.extras.get(i).map_or("", String::as_str)))),
    );
    match merge {
        None => {}
        Some(Some(lineage)) => {
            cells.push(Cell::Text(Cow::Borrowed(l.action_status(lineage.status))));
            cells.push(match lineage.judged_deadline {
                Some(Deadline::Date(d, _)) => Cell::Date(Some(d)),
                Some(other) => Cell::Text(Cow::Owned(l.deadline(other.kind_name()))),
                None => Cell::Empty,
            });
            cells.push(Cell::Text(Cow::Borrowed(if lineage.rescheduled {
                &l.yes
            } else {
                &l.no
            })));
            cells.push(Cell::Date(lineage.report_date));
            cells.push(Cell::Int(lineage.snapshots as f64));
        }
        Some(None) => cells.extend((0..5).map(|_| Cell::Empty)),
    }
    cells.push(Cell::Text(Cow::Borrowed(row.origin.file())));
    cells.push(Cell::Text(Cow::Borrowed(row.origin.sheet())));
    cells.push(Cell::Int(f64::from(row.origin.row)));
}

/// Where row `i` of the table of `kind` stands: its data sheet (`Data – kind`, then
/// `Data – kind (2)`… every [`DataView::rows_per_sheet`] rows) and its Excel row (1-based,
/// under the header).
pub fn place(view: &DataView, kind: &str, i: usize) -> (String, usize) {
    let per_sheet = view.rows_per_sheet;
    (sheet_name(view, kind, i / per_sheet), i % per_sheet + 2)
}

/// The name of the `part`-th (0-based) data sheet of `kind`.
fn sheet_name(view: &DataView, kind: &str, part: usize) -> String {
    sheet_name_in(view.labels, kind, part)
}

/// [`sheet_name`] in the language of `labels`.
pub(super) fn sheet_name_in(labels: &Labels, kind: &str, part: usize) -> String {
    let base = format!("{}{}", labels.sheet_data_prefix, labels.kind(kind));
    if part == 0 {
        base
    } else {
        format!("{base} ({})", part + 1)
    }
}

/// One data sheet to fill: rows `rows` of table `table` of the shared tables, on its own
/// worksheet, so that the sheets of several tables (and parts of one) are filled on threads of
/// their own, then added to the workbook in order after the report sheets.
pub struct Part {
    cons: Arc<Consolidated>,
    labels: &'static Labels,
    rows_per_sheet: usize,
    table: usize,
    headers: Arc<Vec<String>>,
    part: usize,
    rows: std::ops::Range<usize>,
    sheet: Worksheet,
}

/// A data sheet being filled on a thread of its own, or why no thread could take it.
pub enum Filling {
    /// Filling on its thread.
    Thread(std::thread::JoinHandle<Result<Worksheet, XlsxError>>),
    /// No thread could be started.
    Failed(Box<XlsxError>),
}

impl Filling {
    /// Starts filling `part` on a thread of its own.
    pub fn start(mut part: Part) -> Filling {
        let work = move || fill(&mut part).map(|()| part.sheet);
        match std::thread::Builder::new().spawn(work) {
            Ok(thread) => Filling::Thread(thread),
            // The closure, and the part with it, went with the error: no sheet to fall back on.
            Err(e) => Filling::Failed(Box::new(XlsxError::IoError(e))),
        }
    }

    /// The filled sheet, once its thread is done.
    ///
    /// # Errors
    /// The sheet's rust_xlsxwriter error.
    pub fn wait(self) -> Result<Worksheet, XlsxError> {
        match self {
            Filling::Thread(t) => t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Filling::Failed(e) => Err(*e),
        }
    }
}

/// Which columns of a table's data sheets hold only dates (or nothing): its date columns and,
/// for actions, the report date the merge used. They get the date format as a column format,
/// and their cells none of their own (see [`Cell::write`]); a deadline column, which also holds
/// words (`doorlopend`), formats each date cell.
fn dated_columns(table: &Table) -> Vec<bool> {
    let mut dated: Vec<bool> = table
        .kind
        .columns
        .iter()
        .map(|c| c.value == ValueType::Date)
        .collect();
    dated.extend(table.extra_columns.iter().map(|_| false));
    if table.kind.name == "actions" {
        // status_used, judged_deadline, rescheduled, report_date_used, snapshots
        dated.extend([false, false, false, true, false]);
    }
    // source_file, source_sheet, source_row, and corrections when there are
    dated.extend([false, false, false, false]);
    dated
}

/// The headers of a table's data sheets, in the language of `l`: its columns as the input
/// template names them (`Actie-ID`), its extra columns as their files did, the merge's columns
/// for actions, then the lineage (`schema::MERGE_COLUMNS`, `LINEAGE_COLUMNS`); unique and of a
/// length Excel tables accept.
pub(super) fn headers(table: &Table, l: &Labels, corrections: bool) -> Vec<String> {
    let mut headers: Vec<String> = table
        .kind
        .columns
        .iter()
        .map(|c| c.aliases.header(l.lang).unwrap_or(c.name).to_string())
        .collect();
    headers.extend(table.extra_columns.iter().cloned());
    if table.kind.name == "actions" {
        headers.extend(MERGE_COLUMNS.iter().map(|c| c.header(l.lang).to_string()));
    }
    headers.extend(LINEAGE_COLUMNS.iter().map(|c| c.header(l.lang).to_string()));
    if corrections {
        headers.push(l.corrections_column.clone());
    }
    table_headers(&headers, &l.column_word)
}

/// The data sheets to write, one per table and every `rows_per_sheet` rows, each with an
/// empty worksheet of the workbook returned (streamed to disk when large).
///
/// # Errors
/// A rust_xlsxwriter error (the temporary file of a streamed sheet).
pub(super) fn parts(
    cons: &Arc<Consolidated>,
    labels: &'static Labels,
    rows_per_sheet: usize,
) -> Result<(Workbook, Vec<Part>), XlsxError> {
    let per_sheet = rows_per_sheet;
    let ranges: Vec<(usize, usize, std::ops::Range<usize>)> = cons
        .tables
        .iter()
        .enumerate()
        .flat_map(|(t, table)| {
            let count = table.rows.len().div_ceil(per_sheet).max(1);
            (0..count).map(move |part| {
                let end = ((part + 1) * per_sheet).min(table.rows.len());
                (t, part, part * per_sheet..end)
            })
        })
        .collect();
    // The sheets fill in parallel, and a low-memory sheet numbers its text in the workbook's
    // one shared string table as it writes it: two of them filling at once would number their
    // texts in whatever order the threads ran, and the same inputs would give other bytes. So
    // one streamed sheet shares its strings — the largest, where repeated text weighs most
    // (first among equals) — and the others stream with their text inline.
    let shared = ranges
        .iter()
        .enumerate()
        .filter(|(_, (_, _, rows))| rows.len() > STREAM_ABOVE_ROWS)
        .max_by_key(|(i, (_, _, rows))| (rows.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    let mut wb = Workbook::new();
    // A streamed sheet numbers each format in the workbook's one table when it first uses it;
    // two filling at once would number the date and header formats in whatever order their
    // threads ran (seen under load: styles.xml and every date cell differed between two runs).
    // Registered here, before any thread starts, they have the same numbers every run.
    let styles = Styles::new();
    wb.register_format(&styles.date);
    wb.register_format(&styles.header);
    let mut out = Vec::with_capacity(ranges.len());
    let mut headers_of: Option<(usize, Arc<Vec<String>>)> = None;
    for (i, (table, part, rows)) in ranges.into_iter().enumerate() {
        let headers = match &headers_of {
            Some((t, h)) if *t == table => Arc::clone(h),
            _ => {
                let corrections = !cons.corrected.is_empty();
                let h = Arc::new(headers(&cons.tables[table], labels, corrections));
                headers_of = Some((table, Arc::clone(&h)));
                h
            }
        };
        let mut sheet = if Some(i) == shared {
            wb.new_worksheet_with_low_memory()?
        } else if rows.len() > STREAM_ABOVE_ROWS {
            wb.new_worksheet_with_constant_memory()?
        } else {
            Worksheet::new()
        };
        sheet.set_name(sheet_name_in(labels, cons.tables[table].kind.name, part))?;
        out.push(Part {
            cons: Arc::clone(cons),
            labels,
            rows_per_sheet,
            table,
            headers,
            part,
            rows,
            sheet,
        });
    }
    Ok((wb, out))
}

/// Fills one data sheet: the header and its rows, as an Excel table (a filtered range above
/// [`STREAM_ABOVE_ROWS`] rows).
///
/// # Errors
/// A rust_xlsxwriter error.
fn fill(part: &mut Part) -> Result<(), XlsxError> {
    let styles = Styles::new();
    let styles = &styles;
    let Part {
        cons,
        labels,
        rows_per_sheet,
        table,
        headers,
        part,
        rows,
        sheet: ws,
    } = part;
    let view = DataView {
        cons,
        labels,
        rows_per_sheet: *rows_per_sheet,
    };
    let table = &cons.tables[*table];
    let mut cells = Vec::with_capacity(headers.len());
    let mut widths = header_widths(headers);
    for r in rows.clone().take(WIDTH_SAMPLE_ROWS) {
        row_cells(&view, table, r, &mut cells);
        fit(&mut widths, &cells);
    }
    widths.apply(ws)?;
    let last_row = rows.len().max(1) as RowNum;
    let last_col = headers.len().saturating_sub(1) as ColNum;
    let large = rows.len() > STREAM_ABOVE_ROWS;
    if large {
        write_header(ws, styles, headers)?;
    } else {
        let columns: Vec<TableColumn> = headers
            .iter()
            .map(|h| {
                TableColumn::new()
                    .set_header(h)
                    .set_header_format(&styles.header)
            })
            .collect();
        let name = match part {
            0 => format!("Data_{}", table.kind.name),
            _ => format!("Data_{}_{}", table.kind.name, *part + 1),
        };
        let xl = XlTable::new()
            .set_name(name)
            .set_columns(&columns)
            .set_style(TableStyle::Light9);
        // The table writes its header row itself, before the data rows: a streamed sheet has
        // flushed row 0 once row 1 is written.
        ws.add_table(0, 0, last_row, last_col, &xl)?;
    }
    let dated = format_dated_columns(ws, styles, table)?;
    for (n, r) in rows.clone().enumerate() {
        row_cells(&view, table, r, &mut cells);
        write_row(ws, styles, &dated, (n + 1) as RowNum, &cells)?;
    }
    finish(ws, large.then_some((last_row, last_col)))
}

/// Column widths fitted to the headers, before any row.
pub(super) fn header_widths(headers: &[String]) -> Widths {
    let mut widths = Widths::default();
    for (c, h) in headers.iter().enumerate() {
        widths.fit(c as ColNum, h.chars().count());
    }
    widths
}

/// Fits the column widths to one row's cells (the first [`WIDTH_SAMPLE_ROWS`] rows are looked at).
pub(super) fn fit(widths: &mut Widths, cells: &[Cell]) {
    for (c, cell) in cells.iter().enumerate() {
        widths.fit(c as ColNum, cell.out().width());
    }
}

/// The header row of a large sheet: a filtered range, not an Excel table. rust_xlsxwriter's
/// add_table records every cell of a table's range in a hash map to detect overlaps (14 million
/// entries for the benchmark's data sheets: seconds and hundreds of MB), and Excel itself is
/// slow with tables of a million rows. The header looks the same, with the same filter buttons
/// ([`finish`]); no banding.
pub(super) fn write_header(
    ws: &mut Worksheet,
    styles: &Styles,
    headers: &[String],
) -> Result<(), XlsxError> {
    for (c, h) in headers.iter().enumerate() {
        super::write_text(ws, 0, c as ColNum, h, Some(&styles.header))?;
    }
    Ok(())
}

/// Gives the columns of dates only the date format ([`dated_columns`]), after the header: every
/// sheet meets the header's format before the date format, so the workbook numbers its formats
/// in the same order whichever sheet's thread runs first. Returns which columns they are.
pub(super) fn format_dated_columns(
    ws: &mut Worksheet,
    styles: &Styles,
    table: &Table,
) -> Result<Vec<bool>, XlsxError> {
    let dated = dated_columns(table);
    for (c, _) in dated.iter().enumerate().filter(|(_, d)| **d) {
        ws.set_column_format(c as ColNum, &styles.date)?;
    }
    Ok(dated)
}

/// Writes one row's cells at Excel row `row` (0-based; the header is row 0).
pub(super) fn write_row(
    ws: &mut Worksheet,
    styles: &Styles,
    dated: &[bool],
    row: RowNum,
    cells: &[Cell],
) -> Result<(), XlsxError> {
    for (c, cell) in cells.iter().enumerate() {
        let dated_column = dated.get(c).copied().unwrap_or(false);
        cell.write(ws, styles, row, c as ColNum, dated_column)?;
    }
    Ok(())
}

/// After the rows: the filter over a large sheet's header and rows (`filtered`: its last row
/// and column), the frozen header, and the page set-up — printed, a data sheet is as wide as
/// the page and repeats its header on every page.
pub(super) fn finish(
    ws: &mut Worksheet,
    filtered: Option<(RowNum, ColNum)>,
) -> Result<(), XlsxError> {
    if let Some((last_row, last_col)) = filtered {
        ws.autofilter(0, 0, last_row, last_col)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}
