//! The data sheet of a large table filled during the read, while its rows are still arriving.
//!
//! The read is bound by one reader (the largest sheet, parsed by calamine in its reader
//! process), and the second core is half idle while it runs; the data sheet of that table is
//! the longest part of the workbook to fill (a million absence spells: 2–3 s). [`EarlySheet`]
//! is a [`RowTap`]: the first sheet of a non-action table that the typers recognise is
//! followed, and once it has more than [`STREAM_ABOVE_ROWS`] rows its data sheet is written
//! on a thread of its own, row by row as they are typed, in rust_xlsxwriter's low-memory mode
//! (the largest streamed sheet shares its strings, as [`super::data_sheets::parts`] decides).
//!
//! The sheet is a guess made before the run knows its tables: [`Filled::fits`] checks, once
//! they are consolidated, that it is exactly the sheet [`super::data_sheets::fill`] would write
//! — same table, every row from the followed sheet and no other, same columns, the one sheet
//! that shares its strings, one sheet long. Otherwise it is dropped with the workbook it was
//! made in, and every data sheet is filled as before: the guess costs time, never bytes.

use super::data_sheets::{self, Cell, STREAM_ABOVE_ROWS};
use super::styles::Styles;
use crate::consolidate::{RowStream, RowTap, Table, TypedRow};
use crate::i18n::Labels;
use crate::model::Place;
use crate::schema::KindDef;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet, XlsxError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Chunks of rows (a few thousand rows each) waiting for the writer before the typer waits.
const CHUNKS_IN_FLIGHT: usize = 16;

/// Follows the first large non-action table's sheet during the read and fills its data sheet
/// (see the module's documentation). Give it to the read stage as its tap, then to
/// [`super::begin_workbook_with`].
pub struct EarlySheet {
    labels: &'static Labels,
    rows_per_sheet: usize,
    /// A sheet is followed, or was filled: no other is taken.
    busy: Arc<AtomicBool>,
    writers: Mutex<Vec<JoinHandle<Option<Filled>>>>,
}

impl EarlySheet {
    /// A tap that fills a data sheet in the language of `labels`, of at most `rows_per_sheet`
    /// rows (a longer table is cut into several sheets: not filled early).
    pub fn new(labels: &'static Labels, rows_per_sheet: usize) -> Self {
        EarlySheet {
            labels,
            rows_per_sheet,
            busy: Arc::new(AtomicBool::new(false)),
            writers: Mutex::new(Vec::new()),
        }
    }

    /// The sheet filled during the read, if one was, once its writer is done.
    pub(super) fn take(&self) -> Option<Filled> {
        let writers = std::mem::take(&mut *self.writers.lock().unwrap_or_else(|e| e.into_inner()));
        writers
            .into_iter()
            .filter_map(|w| w.join().ok().flatten())
            .next()
    }
}

impl RowTap for EarlySheet {
    fn follow(
        &self,
        kind: &'static KindDef,
        extra_columns: &[String],
        place: &Arc<Place>,
    ) -> Option<Box<dyn RowStream>> {
        // The actions' data sheet shows the merge's columns, known only after the read.
        if kind.name == "actions"
            || self
                .busy
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_err()
        {
            return None;
        }
        let (tx, rx) = sync_channel(CHUNKS_IN_FLIGHT);
        let writer = Writer {
            table: Table {
                kind,
                extra_columns: extra_columns.to_vec(),
                rows: Vec::new(),
            },
            labels: self.labels,
            rows_per_sheet: self.rows_per_sheet,
            place: Arc::clone(place),
        };
        let busy = Arc::clone(&self.busy);
        let spawned = std::thread::Builder::new()
            .name("early data sheet".into())
            .spawn(move || {
                let (filled, free) = writer.run(&rx);
                if free {
                    // Too short, more than a sheet, or its file failed: another may be followed.
                    busy.store(false, Ordering::Release);
                }
                filled
            });
        match spawned {
            Ok(handle) => {
                self.writers
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(handle);
                Some(Box::new(Stream {
                    tx,
                    busy: Arc::clone(&self.busy),
                    given_up: false,
                }))
            }
            Err(_) => {
                self.busy.store(false, Ordering::Release);
                None
            }
        }
    }
}

/// What the typer sends the writer.
enum Message {
    Rows(Vec<TypedRow>),
    Withdraw,
    End,
}

/// The typer's end of a followed sheet. Dropped without [`RowStream::end`] (the read failed),
/// the sheet is given up.
struct Stream {
    tx: SyncSender<Message>,
    busy: Arc<AtomicBool>,
    /// The writer gave up (a table longer than a sheet, a failed write): no more copies.
    given_up: bool,
}

impl RowStream for Stream {
    fn rows(&mut self, rows: &[TypedRow]) {
        if !self.given_up && self.tx.send(Message::Rows(rows.to_vec())).is_err() {
            self.given_up = true;
        }
    }

    fn withdraw(self: Box<Self>) {
        let _ = self.tx.send(Message::Withdraw);
        // At once, not when the writer has read the message: the sheet's rows come again now,
        // and the sheet may be followed again as it is recognised again.
        self.busy.store(false, Ordering::Release);
    }

    fn end(self: Box<Self>) {
        let _ = self.tx.send(Message::End);
    }
}

/// A data sheet filled during the read, in the workbook it was made in.
pub(super) struct Filled {
    wb: Workbook,
    sheet: Worksheet,
    kind: &'static str,
    place: Arc<Place>,
    headers: Vec<String>,
    rows: usize,
    labels: &'static Labels,
    rows_per_sheet: usize,
}

impl Filled {
    /// Whether the sheet is the one [`data_sheets::fill`] would write as part `part` (rows
    /// `rows`) of `table`, shown with `labels` every `rows_per_sheet` rows, when that part is
    /// the one streamed sheet that shares its strings.
    pub(super) fn fits(
        &self,
        labels: &'static Labels,
        rows_per_sheet: usize,
        table: &Table,
        part: usize,
        rows: &std::ops::Range<usize>,
    ) -> bool {
        std::ptr::eq(self.labels, labels)
            && self.rows_per_sheet == rows_per_sheet
            && table.kind.name == self.kind
            && part == 0
            && rows.len() == table.rows.len()
            && table.rows.len() == self.rows
            && table
                .rows
                .iter()
                .all(|r| Arc::ptr_eq(&r.origin.place, &self.place))
            && data_sheets::headers(table) == self.headers
    }

    /// The workbook the sheet was made in (its shared strings and formats) and the sheet.
    pub(super) fn into_parts(self) -> (Workbook, Worksheet) {
        (self.wb, self.sheet)
    }
}

/// Writes the followed sheet's rows as they come.
struct Writer {
    /// The followed table's kind and extra columns (no rows: they come through the channel).
    table: Table,
    labels: &'static Labels,
    rows_per_sheet: usize,
    place: Arc<Place>,
}

/// The sheet being written, once the table is known to be large.
struct Open {
    wb: Workbook,
    ws: Worksheet,
    styles: Styles,
    headers: Vec<String>,
    dated: Vec<bool>,
    written: usize,
}

impl Writer {
    /// Receives the rows until the sheet ends: the filled sheet, or `None` when the sheet was
    /// short, taken back, longer than a data sheet holds, its file failed or a write failed;
    /// with whether the writer frees the tap for another sheet (a sheet taken back frees it
    /// itself, at once: [`Stream::withdraw`]).
    fn run(&self, rx: &Receiver<Message>) -> (Option<Filled>, bool) {
        let mut held: Vec<TypedRow> = Vec::new();
        let mut open: Option<Open> = None;
        loop {
            let written = match rx.recv() {
                Ok(Message::Rows(rows)) => match open.as_mut() {
                    Some(sheet) => self.write(sheet, &rows),
                    None => {
                        held.extend(rows);
                        if held.len() > STREAM_ABOVE_ROWS {
                            self.open(&held).and_then(|mut sheet| {
                                self.write(&mut sheet, &std::mem::take(&mut held))?;
                                open = Some(sheet);
                                Ok(())
                            })
                        } else {
                            Ok(())
                        }
                    }
                },
                Ok(Message::End) => break,
                Ok(Message::Withdraw) => return (None, false),
                Err(_) => return (None, true),
            };
            if written.is_err() {
                return (None, true);
            }
        }
        let Some(Open {
            wb,
            mut ws,
            headers,
            written,
            ..
        }) = open
        else {
            return (None, true);
        };
        let last_row = written as RowNum;
        let last_col = headers.len().saturating_sub(1) as ColNum;
        if data_sheets::finish(&mut ws, Some((last_row, last_col))).is_err() {
            return (None, true);
        }
        let filled = Filled {
            wb,
            sheet: ws,
            kind: self.table.kind.name,
            place: Arc::clone(&self.place),
            headers,
            rows: written,
            labels: self.labels,
            rows_per_sheet: self.rows_per_sheet,
        };
        (Some(filled), false)
    }

    /// Begins the sheet as [`data_sheets::fill`] begins a large one: widths from the header
    /// and the first rows, the header, the date columns' format.
    fn open(&self, first: &[TypedRow]) -> Result<Open, XlsxError> {
        let mut wb = Workbook::new();
        let mut ws = wb.new_worksheet_with_low_memory()?;
        ws.set_name(data_sheets::sheet_name_in(
            self.labels,
            self.table.kind.name,
            0,
        ))?;
        let styles = Styles::new();
        let headers = data_sheets::headers(&self.table);
        let mut widths = data_sheets::header_widths(&headers);
        let mut cells: Vec<Cell> = Vec::with_capacity(headers.len());
        for row in first.iter().take(data_sheets::WIDTH_SAMPLE_ROWS) {
            data_sheets::row_cells_of(self.labels, &self.table, row, None, &mut cells);
            data_sheets::fit(&mut widths, &cells);
        }
        widths.apply(&mut ws)?;
        data_sheets::write_header(&mut ws, &styles, &headers)?;
        let dated = data_sheets::format_dated_columns(&mut ws, &styles, &self.table)?;
        Ok(Open {
            wb,
            ws,
            styles,
            headers,
            dated,
            written: 0,
        })
    }

    /// Writes the next rows, or fails once the table is longer than one data sheet.
    fn write(&self, sheet: &mut Open, rows: &[TypedRow]) -> Result<(), XlsxError> {
        if sheet.written + rows.len() > self.rows_per_sheet {
            return Err(XlsxError::RowColumnLimitError);
        }
        let mut cells: Vec<Cell> = Vec::with_capacity(sheet.headers.len());
        for row in rows {
            data_sheets::row_cells_of(self.labels, &self.table, row, None, &mut cells);
            sheet.written += 1;
            data_sheets::write_row(
                &mut sheet.ws,
                &sheet.styles,
                &sheet.dated,
                sheet.written as RowNum,
                &cells,
            )?;
        }
        Ok(())
    }
}
