//! Writes one list as an Excel table (header, autofilter, banded rows) with typed cells,
//! and keeps track of column widths so every sheet is fitted to its content.

use super::styles::Styles;
use crate::i18n::Labels;
use crate::kpi::registry::Unit;
use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, RowNum, Table, TableColumn, TableStyle, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// A typed output cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// Nothing.
    Empty,
    /// Text from inputs or labels; always written as text, never as a formula.
    Text(String),
    /// A whole number.
    Int(f64),
    /// A decimal number.
    Num(f64),
    /// A rate (fraction) shown as a percentage; `None` is an empty cell.
    Pct(Option<f64>),
    /// A date.
    Date(Option<NaiveDate>),
    /// Long text, wrapped within its column.
    Wrap(String),
    /// A signed change of a count (`+4`).
    Delta(f64),
    /// A change between two rates, in percentage points (0.05 shows as `+5.0 pt`).
    Points(f64),
    /// A KPI value in the format of its unit; `None` is an empty cell.
    Measure(Unit, Option<f64>),
    /// A coloured status cell: (shown text, colour key such as `green` or `error`).
    Status(String, String),
    /// Text that links to a place in the workbook: (shown text, `'Sheet'!A1`, tooltip).
    Link(String, String, String),
    /// Short text aligned right (a basis such as `7 / 16` under numbers).
    Right(String),
}

impl Out {
    /// Text cell from anything displayable.
    pub fn text(s: impl Into<String>) -> Self {
        Out::Text(s.into())
    }

    /// Characters the cell needs to be read without truncation (0 for wrapped text).
    pub fn width(&self) -> usize {
        match self {
            Out::Empty => 0,
            Out::Text(t) | Out::Status(t, _) | Out::Link(t, _, _) | Out::Right(t) => {
                t.lines().map(|l| l.chars().count()).max().unwrap_or(0)
            }
            Out::Wrap(_) => 0,
            Out::Delta(_) => 6,
            Out::Int(n) => format!("{n:.0}").len() + 2,
            Out::Num(_) => 12,
            Out::Pct(_) | Out::Points(_) => 9,
            Out::Measure(_, _) => 11,
            Out::Date(_) => 11,
        }
    }
}

/// Column widths of one sheet, grown as tables are written, applied once at the end.
/// Pinned columns (wrapped text) keep their width, and rows grow to show every line.
#[derive(Debug, Default)]
pub struct Widths {
    fitted: BTreeMap<ColNum, usize>,
    pinned: BTreeMap<ColNum, usize>,
}

impl Widths {
    /// Records content of `chars` characters in column `col`.
    pub fn fit(&mut self, col: ColNum, chars: usize) {
        let w = self.fitted.entry(col).or_insert(6);
        *w = (*w).max(chars.min(60));
    }

    /// Fixes the width of a column that holds wrapped text.
    pub fn pin(&mut self, col: ColNum, chars: usize) {
        self.pinned.insert(col, chars);
    }

    /// Lines a wrapped text needs in its column.
    fn lines(&self, col: ColNum, text: &str) -> usize {
        let width = self.pinned.get(&col).copied().unwrap_or(60).max(8);
        text.lines()
            .map(|l| l.chars().count().div_ceil(width).max(1))
            .sum::<usize>()
            .max(1)
    }

    /// Sets the widths on the sheet (a little padding for the filter button).
    ///
    /// # Errors
    /// A rust_xlsxwriter error.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, w) in &self.fitted {
            if !self.pinned.contains_key(col) {
                ws.set_column_width(*col, (*w as f64) + 3.0)?;
            }
        }
        for (col, w) in &self.pinned {
            ws.set_column_width(*col, *w as f64)?;
        }
        Ok(())
    }
}

/// A place in the workbook for a link: column A of `row` (1-based) of `sheet`, the sheet name
/// quoted as Excel wants it (`'Data – actions'!A12`).
pub fn place(sheet: &str, row: usize) -> String {
    format!("'{}'!A{row}", sheet.replace('\'', "''"))
}

/// Writes one cell with the format its type calls for.
///
/// # Errors
/// A rust_xlsxwriter error (a cell outside Excel's grid).
pub fn write_cell(
    ws: &mut Worksheet,
    styles: &Styles,
    row: RowNum,
    col: ColNum,
    cell: &Out,
) -> Result<(), XlsxError> {
    match cell {
        Out::Empty | Out::Pct(None) | Out::Date(None) | Out::Measure(_, None) => {}
        Out::Measure(unit, Some(v)) => {
            ws.write_number_with_format(row, col, *v, styles.unit(*unit))?;
        }
        Out::Text(t) => {
            super::write_text(ws, row, col, t, Some(&styles.text))?;
        }
        Out::Int(n) => {
            ws.write_number_with_format(row, col, *n, &styles.integer)?;
        }
        Out::Num(n) => {
            ws.write_number_with_format(row, col, *n, &styles.number)?;
        }
        Out::Pct(Some(v)) => {
            ws.write_number_with_format(row, col, *v, &styles.percent)?;
        }
        Out::Wrap(t) => {
            super::write_text(ws, row, col, t, Some(&styles.wrap))?;
        }
        Out::Delta(n) => {
            ws.write_number_with_format(row, col, *n, &styles.delta)?;
        }
        Out::Points(v) => {
            ws.write_number_with_format(row, col, v * 100.0, &styles.points)?;
        }
        Out::Date(Some(d)) => {
            ws.write_date_with_format(row, col, *d, &styles.date)?;
        }
        Out::Status(text, key) => {
            super::write_text(ws, row, col, text, Some(&styles.status(key)))?;
        }
        Out::Right(t) => {
            super::write_text(ws, row, col, t, Some(&styles.text_right))?;
        }
        Out::Link(text, place, tip) => {
            let link = rust_xlsxwriter::Url::new(format!("internal:{place}"));
            ws.write_url_with_options(row, col, link, text, tip, Some(&styles.link))?;
        }
    }
    Ok(())
}

/// Headers an Excel table accepts, from any text (input values such as channel names or extra
/// column headers become headers): blank ones named `Column N` (`column_word`, `Kolom 5`,
/// `Colonne 5`), at most 255 characters, and
/// unique case-insensitively as Excel requires (`Loket`, `loket` → `Loket`, `loket (2)`).
pub fn table_headers(headers: &[impl AsRef<str>], column_word: &str) -> Vec<String> {
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h: String = h.as_ref().trim().chars().take(245).collect();
            let base = if h.is_empty() {
                format!("{column_word} {}", i + 1)
            } else {
                h
            };
            let mut candidate = base.clone();
            let mut n = 2;
            while !seen.insert(candidate.to_lowercase()) {
                candidate = format!("{base} ({n})");
                n += 1;
            }
            candidate
        })
        .collect()
}

/// One table of a report sheet, as the workbook and the HTML page both show it: the title
/// above it (if any), its name (the Excel table's, the page's anchor), headers, typed rows and
/// the note below it. A sheet's tables are built once, from the run's typed results, by its
/// `blocks` function; [`write_blocks`] stacks them on the sheet, `html` renders them.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The section title above the table.
    pub title: Option<String>,
    /// The table's name: an Excel table name, unique in the workbook.
    pub name: &'static str,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of typed cells.
    pub rows: Vec<Vec<Out>>,
    /// A note under the table.
    pub note: Option<String>,
}

impl Block {
    /// A table without title or note.
    pub fn new(name: &'static str, headers: &[impl AsRef<str>], rows: Vec<Vec<Out>>) -> Self {
        Block {
            title: None,
            name,
            headers: headers.iter().map(|h| h.as_ref().to_string()).collect(),
            rows,
            note: None,
        }
    }

    /// The same table under `title`.
    #[must_use]
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The same table with `note` under it.
    #[must_use]
    pub fn noted(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Where a block landed: its header row and the first row below its rows (where its note is).
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    /// The header row.
    pub header: RowNum,
    /// The first row below the table.
    pub end: RowNum,
}

/// Stacks `blocks` in column A from row `first` (the first block's title row, or its header
/// row when it has no title), one free row between them; an empty table says so, in the words
/// of `l`.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_blocks(
    ws: &mut Worksheet,
    styles: &Styles,
    widths: &mut Widths,
    first: RowNum,
    blocks: &[Block],
    l: &Labels,
) -> Result<Vec<Placed>, XlsxError> {
    let mut row = first;
    let mut placed = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let Some(title) = &block.title {
            ws.write_string_with_format(row, 0, title, &styles.section)?;
            row += 1;
        }
        let end = write_table(
            ws,
            styles,
            widths,
            block.name,
            row,
            0,
            &block.headers,
            &block.rows,
            l,
            &l.nothing,
        )?;
        if let Some(note) = &block.note {
            ws.write_string_with_format(end, 0, note, &styles.note)?;
        }
        placed.push(Placed { header: row, end });
        row = end + 1;
    }
    Ok(placed)
}

/// Writes headers and rows from (`row`, `col`) as an Excel table named `name`; an empty list
/// gets one row saying so. Returns the first free row below the table.
///
/// # Errors
/// A rust_xlsxwriter error.
#[allow(clippy::too_many_arguments)]
pub fn write_table(
    ws: &mut Worksheet,
    styles: &Styles,
    widths: &mut Widths,
    name: &str,
    row: RowNum,
    col: ColNum,
    headers: &[impl AsRef<str>],
    rows: &[Vec<Out>],
    l: &Labels,
    empty_text: &str,
) -> Result<RowNum, XlsxError> {
    let headers = table_headers(headers, &l.column_word);
    // A column of numbers gets its header right-aligned, above its numbers.
    let header_format = |i: usize| {
        let numeric = rows.iter().any(|cells| {
            matches!(
                cells.get(i),
                Some(
                    Out::Int(_)
                        | Out::Num(_)
                        | Out::Pct(Some(_))
                        | Out::Measure(_, Some(_))
                        | Out::Delta(_)
                        | Out::Points(_)
                        | Out::Right(_)
                )
            )
        });
        if numeric {
            &styles.header_right
        } else {
            &styles.header
        }
    };
    let columns: Vec<TableColumn> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            TableColumn::new()
                .set_header(h)
                .set_header_format(header_format(i))
        })
        .collect();
    for (i, h) in headers.iter().enumerate() {
        // Written before the rows as well as by the table, so streamed sheets keep their header.
        super::write_text(ws, row, col + i as ColNum, h, Some(header_format(i)))?;
        widths.fit(col + i as ColNum, h.chars().count());
    }
    let mut r = row + 1;
    if rows.is_empty() {
        ws.write_string_with_format(r, col, empty_text, &styles.note)?;
        r += 1;
    }
    for cells in rows {
        let mut lines = 1;
        for (i, cell) in cells.iter().enumerate() {
            let c = col + i as ColNum;
            write_cell(ws, styles, r, c, cell)?;
            widths.fit(c, cell.width());
            if let Out::Wrap(t) = cell {
                lines = lines.max(widths.lines(c, t));
            }
        }
        if lines > 1 {
            // Viewers do not all grow rows for wrapped text: set the height it needs.
            ws.set_row_height(r, 15.0 * lines as f64)?;
        }
        r += 1;
    }
    let table = Table::new()
        .set_name(name)
        .set_columns(&columns)
        .set_style(TableStyle::Medium2);
    ws.add_table(
        row,
        col,
        r - 1,
        col + headers.len().saturating_sub(1) as ColNum,
        &table,
    )?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::table_headers;

    #[test]
    fn table_headers_are_unique_case_insensitively_and_never_blank() {
        assert_eq!(
            table_headers(
                &["Month", "Loket", "loket", "LOKET", " ", "Month"],
                "Column"
            ),
            [
                "Month",
                "Loket",
                "loket (2)",
                "LOKET (3)",
                "Column 5",
                "Month (2)"
            ]
        );
        let nl = &crate::i18n::labels(crate::model::Lang::Nl).column_word;
        assert_eq!(table_headers(&["Maand", ""], nl), ["Maand", "Kolom 2"]);
    }
}
