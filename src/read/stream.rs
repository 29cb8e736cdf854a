//! A file's read as a stream of events — the workbook opened, a sheet begins, a chunk of its rows,
//! the end — so that no stage has to hold every raw cell of a file at once. The reader process
//! writes the events as length-prefixed frames on its stdout while it reads; the parent hands
//! each to a [`ReadSink`] as it arrives (the consolidation types the rows of a chunk and lets the
//! chunk go). [`RawCollector`] is the sink that keeps everything, for the callers that want the
//! whole [`RawWorkbook`] (convert, tests).

use super::source::{SheetBuilder, SheetSource};
use super::{
    Abort, CellBudget, Format, RawCell, RawRow, RawSheet, RawWorkbook, ReadError, ReadLimits,
    ReadNote, SkippedSheet,
};
use serde::{Deserialize, Serialize};

/// One step of a file's read, in the order the reader meets them: `Opened`, then for each sheet
/// `Sheet` and its `Rows` (possibly a `Restart` and its rows again), and last `Done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadEvent {
    /// The file is open: its format, and whether scoreboard wrote it.
    Opened {
        /// Detected format.
        format: Format,
        /// True for a workbook of scoreboard's own (see [`super::GENERATOR_PROPERTY`]).
        written_by_scoreboard: bool,
    },
    /// A sheet begins; its rows follow until the next `Sheet` or `Done`.
    Sheet {
        /// Its name (the file stem for CSV).
        name: String,
        /// True when plain numbers in date columns count from 1904.
        date_1904: bool,
    },
    /// The next non-empty rows of the current sheet, in row order.
    Rows(Vec<RawRow>),
    /// The current sheet's rows were not stored in order (a hand-made file): forget the rows
    /// given for it so far; all of them follow again, sorted, a row given twice merged.
    Restart,
    /// The read is complete.
    Done {
        /// Notes about the read that lose nothing.
        notes: Vec<ReadNote>,
        /// Sheets skipped because they hold no cells.
        skipped: Vec<SkippedSheet>,
    },
}

/// What consumes a file's read events, one by one, as they arrive.
pub trait ReadSink {
    /// What the sink makes of a whole file.
    type Output;

    /// Takes the next event.
    fn event(&mut self, event: ReadEvent);

    /// What the sink made of the file, once `Done` was given.
    fn finish(self) -> Self::Output;
}

/// The sink that keeps every row: the whole [`RawWorkbook`].
#[derive(Debug)]
pub struct RawCollector {
    workbook: RawWorkbook,
}

impl Default for RawCollector {
    fn default() -> Self {
        RawCollector {
            workbook: RawWorkbook {
                format: Format::Csv,
                sheets: Vec::new(),
                notes: Vec::new(),
                skipped: Vec::new(),
                written_by_scoreboard: false,
            },
        }
    }
}

impl ReadSink for RawCollector {
    type Output = RawWorkbook;

    fn event(&mut self, event: ReadEvent) {
        let wb = &mut self.workbook;
        match event {
            ReadEvent::Opened {
                format,
                written_by_scoreboard,
            } => {
                wb.format = format;
                wb.written_by_scoreboard = written_by_scoreboard;
            }
            ReadEvent::Sheet { name, date_1904 } => wb.sheets.push(RawSheet {
                name,
                date_1904,
                rows: Vec::new(),
            }),
            ReadEvent::Rows(mut rows) => {
                if let Some(sheet) = wb.sheets.last_mut() {
                    sheet.rows.append(&mut rows);
                }
            }
            ReadEvent::Restart => {
                if let Some(sheet) = wb.sheets.last_mut() {
                    sheet.rows.clear();
                }
            }
            ReadEvent::Done { notes, skipped } => {
                wb.notes = notes;
                wb.skipped = skipped;
            }
        }
    }

    fn finish(self) -> RawWorkbook {
        self.workbook
    }
}

/// Where a read sends its events; an error (the parent went away) stops the read.
pub type EmitEvent<'a> = dyn FnMut(ReadEvent) -> Result<(), ReadError> + 'a;

/// Cells a `Rows` event carries at most (a chunk of a few MiB; the last one of a sheet is smaller).
const CHUNK_CELLS: usize = 64 * 1024;
/// Bytes of text a `Rows` event carries at most, give or take one row: 64 Ki cells of Excel's
/// 32,767 characters (up to 4 bytes each in UTF-8) would make a frame of gigabytes.
const CHUNK_TEXT_BYTES: usize = 16 << 20;

/// Reads every sheet of an opened source as events, refusing the file once it holds more cells
/// than the limit. Rows go out in chunks as they are read; a sheet whose rows turn out not to be
/// in order is read again whole and sorted (announced by [`ReadEvent::Restart`]).
///
/// # Errors
/// The first sheet that cannot be read fails the file; so does an error from `emit`.
pub fn stream_source(
    mut source: Box<dyn SheetSource>,
    limits: &ReadLimits,
    emit: &mut EmitEvent<'_>,
) -> Result<(), ReadError> {
    emit(ReadEvent::Opened {
        format: source.format(),
        written_by_scoreboard: source.written_by_scoreboard(),
    })?;
    let date_1904 = source.date_1904();
    let mut budget = CellBudget::new(limits);
    for name in source.sheet_names() {
        emit(ReadEvent::Sheet {
            name: name.clone(),
            date_1904,
        })?;
        let before = budget.clone();
        if !stream_sheet_in_order(source.as_mut(), &name, &mut budget, emit)? {
            emit(ReadEvent::Restart)?;
            budget = before;
            let mut builder = SheetBuilder::default();
            source.stream_rows(&name, &mut |row| {
                budget.spend(row.cells.len())?;
                builder.push(row);
                Ok(())
            })?;
            let mut chunk = Chunk::default();
            for row in builder.finish(name, date_1904).rows {
                chunk.push(row, emit)?;
            }
            chunk.flush(emit)?;
        }
    }
    emit(ReadEvent::Done {
        notes: source.notes(),
        skipped: source.skipped(),
    })
}

/// Streams one sheet's rows in chunks; `false` (having stopped early) at the first row that is
/// not below the one before it.
fn stream_sheet_in_order(
    source: &mut dyn SheetSource,
    name: &str,
    budget: &mut CellBudget,
    emit: &mut EmitEvent<'_>,
) -> Result<bool, ReadError> {
    let mut chunk = Chunk::default();
    let mut last: Option<u32> = None;
    let mut in_order = true;
    let streamed = source.stream_rows(name, &mut |row| {
        budget.spend(row.cells.len())?;
        if last.is_some_and(|l| l >= row.index) {
            in_order = false;
            // Only stops the stream; told apart below by `in_order`.
            return Err(ReadError::Aborted(Abort::Lost(String::new())));
        }
        last = Some(row.index);
        chunk.push(row, emit)
    });
    if !in_order {
        return Ok(false);
    }
    streamed?;
    chunk.flush(emit)?;
    Ok(true)
}

/// Rows gathered into one `Rows` event.
#[derive(Default)]
struct Chunk {
    rows: Vec<RawRow>,
    cells: usize,
    text_bytes: usize,
}

impl Chunk {
    fn push(&mut self, row: RawRow, emit: &mut EmitEvent<'_>) -> Result<(), ReadError> {
        self.cells += row.cells.len().max(1);
        self.text_bytes += row
            .cells
            .iter()
            .map(|(_, cell)| match cell {
                RawCell::Text(text) => text.len(),
                _ => 0,
            })
            .sum::<usize>();
        self.rows.push(row);
        if self.cells >= CHUNK_CELLS || self.text_bytes >= CHUNK_TEXT_BYTES {
            self.flush(emit)?;
        }
        Ok(())
    }

    fn flush(&mut self, emit: &mut EmitEvent<'_>) -> Result<(), ReadError> {
        self.cells = 0;
        self.text_bytes = 0;
        if self.rows.is_empty() {
            return Ok(());
        }
        emit(ReadEvent::Rows(std::mem::take(&mut self.rows)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::RawCell;

    /// A source whose one sheet gives its rows in the order listed.
    struct Listed(Vec<RawRow>);

    impl SheetSource for Listed {
        fn format(&self) -> Format {
            Format::Xlsx
        }

        fn sheet_names(&self) -> Vec<String> {
            vec!["S".into()]
        }

        fn stream_rows(
            &mut self,
            _sheet: &str,
            emit: &mut super::super::Emit<'_>,
        ) -> Result<(), ReadError> {
            self.0.iter().cloned().try_for_each(emit)
        }
    }

    fn row(index: u32, text: &str) -> RawRow {
        RawRow {
            index,
            cells: vec![(0, RawCell::Text(text.into()))],
        }
    }

    fn events(rows: Vec<RawRow>) -> Vec<ReadEvent> {
        let mut seen = Vec::new();
        stream_source(Box::new(Listed(rows)), &Default::default(), &mut |e| {
            seen.push(e);
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn rows_in_order_stream_in_chunks_without_a_restart() {
        let rows: Vec<RawRow> = (0..CHUNK_CELLS as u32 + 5).map(|i| row(i, "x")).collect();
        let seen = events(rows.clone());
        let chunks: Vec<usize> = seen
            .iter()
            .filter_map(|e| match e {
                ReadEvent::Rows(r) => Some(r.len()),
                _ => None,
            })
            .collect();
        assert_eq!(chunks, vec![CHUNK_CELLS, 5]);
        assert!(!seen.contains(&ReadEvent::Restart));
        let mut collector = RawCollector::default();
        seen.into_iter().for_each(|e| collector.event(e));
        assert_eq!(collector.finish().sheets[0].rows, rows);
    }

    #[test]
    fn rows_of_long_texts_stream_in_chunks_of_bounded_size() {
        // 1,100 cells of 16,384 characters, 32,767 bytes each in UTF-8 (36 MB): far below the
        // cell count of a chunk, but a chunk closes once it holds 16 MiB of text.
        let long = "é".repeat(16_383) + "x";
        let rows: Vec<RawRow> = (0..1_100).map(|i| row(i, &long)).collect();
        let chunks: Vec<usize> = events(rows)
            .iter()
            .filter_map(|e| match e {
                ReadEvent::Rows(r) => Some(r.len()),
                _ => None,
            })
            .collect();
        // 32,767 bytes a cell: the 513th row takes a chunk past 16 MiB.
        assert_eq!(chunks, vec![513, 513, 74]);
    }

    #[test]
    fn a_sheet_out_of_order_restarts_and_comes_again_sorted_and_merged() {
        // A full chunk goes out before the disorder shows: the sink must forget it.
        let mut rows: Vec<RawRow> = (0..=CHUNK_CELLS as u32).map(|i| row(i, "x")).collect();
        rows.push(row(5, "again"));
        let seen = events(rows);
        let kinds: Vec<String> = seen
            .iter()
            .map(|e| match e {
                ReadEvent::Rows(r) => format!("rows {}", r.len()),
                ReadEvent::Restart => "restart".into(),
                ReadEvent::Opened { .. } => "opened".into(),
                ReadEvent::Sheet { .. } => "sheet".into(),
                ReadEvent::Done { .. } => "done".into(),
            })
            .collect();
        let full = format!("rows {CHUNK_CELLS}");
        assert_eq!(
            kinds,
            ["opened", "sheet", &full, "restart", &full, "rows 1", "done"]
        );
        let mut collector = RawCollector::default();
        seen.into_iter().for_each(|e| collector.event(e));
        let mut expected: Vec<RawRow> = (0..=CHUNK_CELLS as u32).map(|i| row(i, "x")).collect();
        expected[5] = row(5, "again");
        assert_eq!(collector.finish().sheets[0].rows, expected);
    }
}
