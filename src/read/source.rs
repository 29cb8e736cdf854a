//! One interface over every input format: a [`SheetSource`] lists a file's sheets and streams
//! each sheet's rows. Each format has its own source (`spreadsheet.rs`, `csv_text.rs`); the
//! rest of the program only sees rows of typed cells.

use super::stream::{stream_source, RawCollector, ReadSink};
use super::{
    detect_format, Format, RawRow, RawSheet, RawWorkbook, ReadError, ReadLimits, ReadNote,
    SkippedSheet,
};
use std::path::Path;

/// Where a source sends each row; an error stops the stream.
pub type Emit<'a> = dyn FnMut(RawRow) -> Result<(), ReadError> + 'a;

/// A file opened for reading, whatever its format.
pub trait SheetSource {
    /// The detected format.
    fn format(&self) -> Format;

    /// Sheet names in workbook order (one name, the file stem, for CSV).
    fn sheet_names(&self) -> Vec<String>;

    /// True when the workbook counts dates from 1904 (old Mac Excel): plain numbers in date
    /// columns are then serials of that system. Date-formatted cells are already dates.
    fn date_1904(&self) -> bool {
        false
    }

    /// Streams the non-empty rows of one sheet to `emit`, in file order, each row's cells
    /// sorted by column. Files written by Excel and LibreOffice store rows in order; a
    /// hand-made file may not, and then a row index can come more than once or go back
    /// ([`SheetBuilder`] puts such rows back in order).
    ///
    /// # Errors
    /// A [`ReadError`] when the sheet cannot be read.
    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError>;

    /// Notes about the read that lose nothing (encoding guessed), known after streaming.
    fn notes(&self) -> Vec<ReadNote> {
        Vec::new()
    }

    /// Sheets left out of [`SheetSource::sheet_names`] because they hold no cells (chart,
    /// dialog and macro sheets).
    fn skipped(&self) -> Vec<SkippedSheet> {
        Vec::new()
    }

    /// True for a workbook scoreboard wrote (see [`super::GENERATOR_PROPERTY`]).
    fn written_by_scoreboard(&self) -> bool {
        false
    }
}

/// Opens a file's bytes with the source of its format, after checking from the zip directory
/// that a zipped workbook does not unpack beyond the limit.
///
/// # Errors
/// A [`ReadError`] when the bytes are no spreadsheet, are over a limit, or the library refuses
/// them.
pub fn open_source(
    path: &Path,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> Result<Box<dyn SheetSource>, ReadError> {
    match detect_format(path, &bytes)? {
        Format::Csv => Ok(Box::new(super::csv_text::CsvSource::new(path, &bytes))),
        format => {
            super::limits::check_unpacked_size(format, &bytes, limits)?;
            super::spreadsheet::open(format, bytes)
        }
    }
}

/// Reads every sheet of an opened source into memory, refusing the file once it holds more
/// cells than the limit.
///
/// # Errors
/// The first sheet that cannot be read fails the file.
pub fn read_all(
    source: Box<dyn SheetSource>,
    limits: &ReadLimits,
) -> Result<RawWorkbook, ReadError> {
    let mut collector = RawCollector::default();
    stream_source(source, limits, &mut |event| {
        collector.event(event);
        Ok(())
    })?;
    Ok(collector.finish())
}

/// Collects streamed rows into a [`RawSheet`], restoring row order when the file had none.
#[derive(Debug, Default)]
pub struct SheetBuilder {
    rows: Vec<RawRow>,
    ordered: bool,
}

impl SheetBuilder {
    /// Takes one streamed row.
    pub fn push(&mut self, row: RawRow) {
        if self.rows.is_empty() {
            self.ordered = true;
        } else if self.rows.last().is_some_and(|last| last.index >= row.index) {
            self.ordered = false;
        }
        self.rows.push(row);
    }

    /// The sheet, rows sorted; a row given twice keeps each column's last value, as Excel
    /// does on load.
    pub fn finish(mut self, name: String, date_1904: bool) -> RawSheet {
        if !self.ordered {
            // Stable: for one row index, later pieces stay later.
            self.rows.sort_by_key(|r| r.index);
            let mut merged: Vec<RawRow> = Vec::with_capacity(self.rows.len());
            for row in self.rows {
                match merged.last_mut() {
                    Some(last) if last.index == row.index => {
                        for (c, cell) in row.cells {
                            match last.cells.binary_search_by_key(&c, |(lc, _)| *lc) {
                                Ok(i) => last.cells[i].1 = cell,
                                Err(i) => last.cells.insert(i, (c, cell)),
                            }
                        }
                    }
                    _ => merged.push(row),
                }
            }
            self.rows = merged;
        }
        RawSheet {
            name,
            date_1904,
            rows: self.rows,
        }
    }
}

/// Groups a stream of (row, column, cell) into rows as they come, for readers that give
/// cells one by one. Blank cells are dropped.
#[derive(Debug, Default)]
pub(super) struct RowAssembler {
    current: Option<RawRow>,
}

impl RowAssembler {
    /// Takes one cell; emits the previous row when this cell starts another.
    pub(super) fn cell(
        &mut self,
        row: u32,
        col: u32,
        cell: super::RawCell,
        emit: &mut Emit<'_>,
    ) -> Result<(), ReadError> {
        if cell.is_blank() {
            return Ok(());
        }
        match &mut self.current {
            Some(r) if r.index == row => r.cells.push((col, cell)),
            _ => {
                self.flush(emit)?;
                self.current = Some(RawRow {
                    index: row,
                    cells: vec![(col, cell)],
                });
            }
        }
        Ok(())
    }

    /// Emits the row in progress, its cells sorted by column (a duplicated position keeps
    /// its last value).
    pub(super) fn flush(&mut self, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        if let Some(mut row) = self.current.take() {
            if !row.cells.windows(2).all(|w| w[0].0 < w[1].0) {
                row.cells.reverse();
                row.cells.sort_by_key(|(c, _)| *c); // stable: the last written comes first
                row.cells.dedup_by_key(|(c, _)| *c);
            }
            emit(row)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::RawCell;

    fn text(s: &str) -> RawCell {
        RawCell::Text(s.into())
    }

    #[test]
    fn cells_group_into_sorted_sparse_rows_even_when_the_file_is_unordered() {
        let cells = [
            (3, 1, text("b")),
            (0, 0, RawCell::Number(1.0)),
            (3, 0, text("a")),
            (3, 0, text("a2")),
            (0, 0, RawCell::Number(2.0)),
            (1_048_575, 16_383, text("far")),
            (5, 0, RawCell::Empty),
        ];
        let mut assembler = RowAssembler::default();
        let mut builder = SheetBuilder::default();
        let mut push = |row| {
            builder.push(row);
            Ok(())
        };
        for (r, c, cell) in cells {
            assembler.cell(r, c, cell, &mut push).unwrap();
        }
        assembler.flush(&mut push).unwrap();
        let sheet = builder.finish("S".into(), false);
        let rows: Vec<(u32, Vec<(u32, RawCell)>)> =
            sheet.rows.into_iter().map(|r| (r.index, r.cells)).collect();
        assert_eq!(
            rows,
            vec![
                (0, vec![(0, RawCell::Number(2.0))]),
                (3, vec![(0, text("a2")), (1, text("b"))]),
                (1_048_575, vec![(16_383, text("far"))]),
            ]
        );
    }
}
