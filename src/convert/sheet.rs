//! One sheet on its way out: its rows streamed from the source to a spool file (constant
//! memory whatever the sheet's size), put in row order when the file had none, then shaped as
//! a table for csv and parquet (header row, column range, names, one type per column).

use super::{ConvertError, ConvertOptions, HeaderRow};
use crate::read::{CellBudget, RawCell, RawRow, RawSheet, ReadError, SheetBuilder, SheetSource};
use crate::schema::{Recognition, Schema, HEADER_SEARCH_ROWS};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// A sheet's rows in a temporary file, in row order.
pub(super) struct Spooled {
    file: File,
    /// Number of rows.
    pub rows: u64,
    /// The rows above [`HEADER_SEARCH_ROWS`], where `report` looks for a header row.
    pub head: Vec<RawRow>,
}

/// Streams one sheet of `source` into a spool file in `dir`. Rows come in file order; the rare
/// hand-made file whose rows go back is sorted in memory once (as `report` reads it), so that
/// every writer — and rust_xlsxwriter's constant-memory mode — sees rows in order.
///
/// # Errors
/// The source's read error, or an I/O error of the spool.
pub(super) fn spool(
    source: &mut dyn SheetSource,
    sheet: &str,
    dir: &Path,
    budget: &mut CellBudget,
) -> Result<Spooled, ConvertError> {
    let mut writer = SpoolWriter::new(dir)?;
    let mut failed: Option<std::io::Error> = None;
    let mut ordered = true;
    let mut last: Option<u32> = None;
    let streamed = source.stream_rows(sheet, &mut |row| {
        if last.is_some_and(|l| row.index <= l) {
            ordered = false;
        }
        last = Some(row.index);
        budget.spend(row.cells.len())?;
        writer.push(&row).map_err(|e| {
            let stop = ReadError::Io(crate::read::IoProblem::Other(e.to_string()));
            failed = Some(e);
            stop
        })
    });
    if let Some(e) = failed {
        return Err(ConvertError::io(e));
    }
    streamed?;
    let spooled = writer.finish()?;
    if ordered {
        return Ok(spooled);
    }
    let mut builder = SheetBuilder::default();
    spooled.for_each(|row| {
        builder.push(row);
        Ok(())
    })?;
    let mut writer = SpoolWriter::new(dir)?;
    for row in builder.finish(sheet.to_string(), false).rows {
        writer.push(&row).map_err(ConvertError::io)?;
    }
    writer.finish()
}

struct SpoolWriter {
    out: BufWriter<File>,
    rows: u64,
    head: Vec<RawRow>,
    encoded: Vec<u8>,
}

impl SpoolWriter {
    fn new(dir: &Path) -> Result<Self, ConvertError> {
        Ok(SpoolWriter {
            out: BufWriter::new(tempfile::tempfile_in(dir).map_err(ConvertError::io)?),
            rows: 0,
            head: Vec::new(),
            encoded: Vec::new(),
        })
    }

    fn push(&mut self, row: &RawRow) -> std::io::Result<()> {
        if row.index < HEADER_SEARCH_ROWS && self.head.last().is_none_or(|l| l.index < row.index) {
            self.head.push(row.clone());
        }
        self.encoded.clear();
        self.encoded = postcard::to_extend(row, std::mem::take(&mut self.encoded))
            .map_err(std::io::Error::other)?;
        self.out
            .write_all(&(self.encoded.len() as u64).to_le_bytes())?;
        self.out.write_all(&self.encoded)?;
        self.rows += 1;
        Ok(())
    }

    fn finish(self) -> Result<Spooled, ConvertError> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| ConvertError::io(e.error()))?;
        Ok(Spooled {
            file,
            rows: self.rows,
            head: self.head,
        })
    }
}

impl Spooled {
    /// Replays the rows in order.
    ///
    /// # Errors
    /// An I/O error of the spool, or the first error of `f`.
    pub(super) fn for_each(
        &self,
        mut f: impl FnMut(RawRow) -> Result<(), ConvertError>,
    ) -> Result<(), ConvertError> {
        let mut file = self.file.try_clone().map_err(ConvertError::io)?;
        file.seek(SeekFrom::Start(0)).map_err(ConvertError::io)?;
        let mut input = BufReader::new(file);
        let mut buf = Vec::new();
        for _ in 0..self.rows {
            let mut len = [0u8; 8];
            input.read_exact(&mut len).map_err(ConvertError::io)?;
            buf.resize(u64::from_le_bytes(len) as usize, 0);
            input.read_exact(&mut buf).map_err(ConvertError::io)?;
            let row: RawRow = postcard::from_bytes(&buf).map_err(ConvertError::io)?;
            f(row)?;
        }
        Ok(())
    }
}

/// The type of a csv/parquet column, decided over every data cell of the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ColumnType {
    /// Text, or a mix of types: every cell as its text.
    Text,
    /// Whole numbers within ±2⁵³ only.
    Int,
    /// Numbers only.
    Float,
    /// Booleans only.
    Bool,
    /// Calendar days only.
    Date,
    /// Days and date-times only.
    DateTime,
}

#[derive(Debug, Default, Clone)]
struct Tally {
    cells: u64,
    ints: u64,
    floats: u64,
    bools: u64,
    dates: u64,
    date_times: u64,
}

impl Tally {
    fn add(&mut self, cell: &RawCell) {
        self.cells += 1;
        match cell {
            RawCell::Number(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 => {
                self.ints += 1
            }
            RawCell::Number(n) if n.is_finite() => self.floats += 1,
            RawCell::Bool(_) => self.bools += 1,
            RawCell::Date(_) => self.dates += 1,
            RawCell::DateTime(_) => self.date_times += 1,
            _ => {}
        }
    }

    fn column_type(&self) -> ColumnType {
        let n = self.cells;
        if n == 0 {
            ColumnType::Text
        } else if self.dates == n {
            ColumnType::Date
        } else if self.dates + self.date_times == n {
            ColumnType::DateTime
        } else if self.ints == n {
            ColumnType::Int
        } else if self.ints + self.floats == n {
            ColumnType::Float
        } else if self.bools == n {
            ColumnType::Bool
        } else {
            ColumnType::Text
        }
    }
}

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Column {
    /// Unique (case-insensitively) and never empty.
    pub name: String,
    /// Decided over the data cells.
    pub kind: ColumnType,
}

/// A sheet shaped for csv and parquet: the header row, the columns from the leftmost to the
/// rightmost used one, and the data rows below the header.
pub(super) struct Table {
    spooled: Spooled,
    /// 0-based row index of the header row; `None` with `--header-row none`.
    pub header: Option<u32>,
    /// 0-based sheet column of the first output column.
    pub first_col: u32,
    /// The output columns.
    pub columns: Vec<Column>,
}

/// What a sheet becomes.
pub(super) enum Shape {
    /// A table to write.
    Table(Table),
    /// Nothing to write: the sheet has no cell.
    Empty,
    /// Nothing to write: no row at or below the header row.
    NothingBelowHeader,
}

impl Table {
    /// Finds the header row, the column range and each column's type (one pass over the spool).
    ///
    /// # Errors
    /// An I/O error of the spool.
    pub(super) fn shape(spooled: Spooled, options: &ConvertOptions) -> Result<Shape, ConvertError> {
        if spooled.rows == 0 {
            return Ok(Shape::Empty);
        }
        let (header, canonical) = header_row(&spooled.head, options);
        let mut header_cells: Vec<(u32, RawCell)> = Vec::new();
        let mut tallies: Vec<Tally> = Vec::new();
        let (mut first, mut last): (Option<u32>, u32) = (None, 0);
        spooled.for_each(|row| {
            if header.is_some_and(|h| row.index < h) {
                return Ok(());
            }
            if let (Some((c0, _)), Some((c1, _))) = (row.cells.first(), row.cells.last()) {
                first = Some(first.map_or(*c0, |f| f.min(*c0)));
                last = last.max(*c1);
            }
            if header == Some(row.index) {
                header_cells = row.cells;
                return Ok(());
            }
            for (c, cell) in &row.cells {
                let c = *c as usize;
                if tallies.len() <= c {
                    tallies.resize(c + 1, Tally::default());
                }
                tallies[c].add(cell);
            }
            Ok(())
        })?;
        let Some(first) = first else {
            return Ok(Shape::NothingBelowHeader);
        };
        let mut seen = std::collections::HashSet::new();
        let columns = (first..=last)
            .map(|c| {
                let from_header = canonical
                    .iter()
                    .find(|(col, _)| *col == c)
                    .map(|(_, name)| name.to_string())
                    .or_else(|| {
                        header_cells
                            .iter()
                            .find(|(col, _)| *col == c)
                            .map(|(_, cell)| cell.display().trim().to_string())
                    })
                    .filter(|n| !n.is_empty());
                let letter = rust_xlsxwriter::utility::column_number_to_name(
                    c.min(u32::from(u16::MAX)) as u16,
                );
                let base = from_header.unwrap_or(letter);
                let mut name = base.clone();
                let mut n = 1;
                // DuckDB and Excel compare column names case-insensitively.
                while !seen.insert(name.to_lowercase()) {
                    n += 1;
                    name = format!("{base}_{n}");
                }
                Column {
                    name,
                    kind: tallies
                        .get(c as usize)
                        .map_or(ColumnType::Text, Tally::column_type),
                }
            })
            .collect();
        Ok(Shape::Table(Table {
            spooled,
            header,
            first_col: first,
            columns,
        }))
    }

    /// Replays the data rows (below the header) in order.
    ///
    /// # Errors
    /// An I/O error of the spool, or the first error of `f`.
    pub(super) fn for_each_data_row(
        &self,
        mut f: impl FnMut(&RawRow) -> Result<(), ConvertError>,
    ) -> Result<(), ConvertError> {
        self.spooled.for_each(|row| match self.header {
            Some(h) if row.index <= h => Ok(()),
            _ => f(&row),
        })
    }
}

/// The header row's index and, with `--canonical` on a known table kind, the canonical name
/// of each recognised column.
fn header_row(
    head: &[RawRow],
    options: &ConvertOptions,
) -> (Option<u32>, Vec<(u32, &'static str)>) {
    match options.header_row {
        HeaderRow::None => (None, Vec::new()),
        HeaderRow::Row(n) => (Some(n.saturating_sub(1)), Vec::new()),
        HeaderRow::Auto => {
            let sheet = RawSheet {
                name: String::new(),
                date_1904: false,
                rows: head.to_vec(),
            };
            // The built-in kinds: convert has no scoreboard.toml aliases.
            match Schema::new(&[]).map(|s| s.recognise(&sheet, None)) {
                Ok(Recognition::Table(layout)) => (
                    head.get(layout.header_pos).map(|r| r.index),
                    if options.canonical {
                        layout.canonical_names()
                    } else {
                        Vec::new()
                    },
                ),
                _ => (head.first().map(|r| r.index), Vec::new()),
            }
        }
    }
}

/// A cell as text in csv and in parquet text columns: numbers with `.` and no exponent for
/// ordinary values, dates in ISO 8601 (`2025-03-15`, `2025-03-15T08:30:00`), durations as
/// `h:mm:ss` (hours may pass 24), errors as their text (`#N/A`).
pub(super) fn cell_text(cell: &RawCell) -> String {
    match cell {
        RawCell::Empty => String::new(),
        RawCell::Text(t) | RawCell::Error(t) => t.clone(),
        RawCell::Number(n) => number_text(*n),
        RawCell::Bool(b) => b.to_string(),
        RawCell::Date(d) => d.format("%Y-%m-%d").to_string(),
        RawCell::DateTime(t) => with_millis(t.format("%Y-%m-%dT%H:%M:%S").to_string(), t.time()),
        RawCell::Time(t) => with_millis(t.format("%H:%M:%S").to_string(), *t),
        RawCell::Duration(days) => duration_text(*days),
    }
}

fn with_millis(text: String, time: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    match time.nanosecond() / 1_000_000 {
        0 => text,
        ms => format!("{text}.{ms:03}"),
    }
}

/// `0.1`, `12`, `-3.5`, `1234567.25`; an exponent only below 1e-7 or from 1e21 on, where
/// positional digits would mislead more than they help.
pub(super) fn number_text(n: f64) -> String {
    if n == 0.0 {
        "0".into()
    } else if (1e-7..1e21).contains(&n.abs()) || !n.is_finite() {
        format!("{n}")
    } else {
        format!("{n:e}")
    }
}

fn duration_text(days: f64) -> String {
    let total = (days * 86_400.0).round();
    let sign = if total < 0.0 { "-" } else { "" };
    let total = total.abs() as u64;
    format!(
        "{sign}{}:{:02}:{:02}",
        total / 3600,
        total / 60 % 60,
        total % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn numbers_are_written_with_a_point_and_no_exponent_for_ordinary_values() {
        for (n, text) in [
            (0.0, "0"),
            (-0.0, "0"),
            (12.0, "12"),
            (-3.5, "-3.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1_234_567.25, "1234567.25"),
            (1e15, "1000000000000000"),
            (1e20, "100000000000000000000"),
            (0.000_001, "0.000001"),
            (1e21, "1e21"),
            (1.5e-9, "1.5e-9"),
        ] {
            assert_eq!(number_text(n), text, "{n}");
        }
    }

    #[test]
    fn dates_times_and_durations_are_iso_text() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        let at = day.and_hms_milli_opt(8, 30, 0, 0).unwrap();
        assert_eq!(cell_text(&RawCell::Date(day)), "2025-03-15");
        assert_eq!(cell_text(&RawCell::DateTime(at)), "2025-03-15T08:30:00");
        assert_eq!(
            cell_text(&RawCell::DateTime(
                day.and_hms_milli_opt(8, 30, 0, 250).unwrap()
            )),
            "2025-03-15T08:30:00.250"
        );
        assert_eq!(cell_text(&RawCell::Time(at.time())), "08:30:00");
        assert_eq!(cell_text(&RawCell::Duration(1.5)), "36:00:00");
        assert_eq!(cell_text(&RawCell::Error("#N/A".into())), "#N/A");
        assert_eq!(cell_text(&RawCell::Bool(true)), "true");
    }

    #[test]
    fn a_column_type_needs_every_cell_to_agree() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        let kind = |cells: &[RawCell]| {
            let mut t = Tally::default();
            cells.iter().for_each(|c| t.add(c));
            t.column_type()
        };
        use RawCell::*;
        assert_eq!(kind(&[Number(1.0), Number(2.0)]), ColumnType::Int);
        assert_eq!(kind(&[Number(1.0), Number(2.5)]), ColumnType::Float);
        assert_eq!(kind(&[Number(1e300)]), ColumnType::Float);
        assert_eq!(kind(&[Date(day), Date(day)]), ColumnType::Date);
        assert_eq!(
            kind(&[Date(day), DateTime(day.and_hms_opt(8, 0, 0).unwrap())]),
            ColumnType::DateTime
        );
        assert_eq!(kind(&[Date(day), Text("Q2 2025".into())]), ColumnType::Text);
        assert_eq!(kind(&[Number(1.0), Error("#N/A".into())]), ColumnType::Text);
        assert_eq!(kind(&[Bool(true)]), ColumnType::Bool);
        assert_eq!(kind(&[]), ColumnType::Text);
    }
}
