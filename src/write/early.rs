//! The data sheet of a large table filled during the read, while its rows are still arriving.
//!
//! The read is bound by one reader (the largest sheet, parsed by calamine in its reader
//! process), and the second core is half idle while it runs; the data sheet of that table is
//! the longest part of the workbook to fill (a million absence spells: 2–3 s). [`EarlySheet`]
//! is a [`RowTap`]: every non-action sheet that begins its table is followed, its first rows
//! held, and the first to pass [`STREAM_ABOVE_ROWS`] rows has its data sheet written on a
//! thread of its own, row by row as they are typed, in rust_xlsxwriter's low-memory mode (the
//! largest streamed sheet shares its strings, as [`super::data_sheets::parts`] decides).
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
use std::sync::atomic::{AtomicU64, Ordering};
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
    shared: Arc<Shared>,
    /// Numbers the streams (0 is no stream).
    next_id: AtomicU64,
}

/// What the streams of an [`EarlySheet`] share.
#[derive(Default)]
struct Shared {
    /// The stream whose sheet is being written or was filled, or 0: one sheet at a time, and
    /// only its own stream gives the turn back.
    writing: AtomicU64,
    writers: Mutex<Vec<JoinHandle<Option<Filled>>>>,
}

impl Shared {
    /// Takes the one writer for stream `id`, if no other stream has it.
    fn claim(&self, id: u64) -> bool {
        self.writing
            .compare_exchange(0, id, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Gives the writer back, if stream `id` has it.
    fn release(&self, id: u64) {
        let _ = self
            .writing
            .compare_exchange(id, 0, Ordering::AcqRel, Ordering::Acquire);
    }
}

impl EarlySheet {
    /// A tap that fills a data sheet in the language of `labels`, of at most `rows_per_sheet`
    /// rows (a longer table is cut into several sheets: not filled early).
    pub fn new(labels: &'static Labels, rows_per_sheet: usize) -> Self {
        EarlySheet {
            labels,
            rows_per_sheet,
            shared: Arc::new(Shared::default()),
            next_id: AtomicU64::new(1),
        }
    }

    /// The sheet filled during the read, if one was, once its writer is done. Every stream
    /// has ended by then (the read stage has finished its typers); at most one writer filled a
    /// sheet, since the one that does keeps the turn.
    pub(super) fn take(&self) -> Option<Filled> {
        let writers = std::mem::take(
            &mut *self
                .shared
                .writers
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        writers
            .into_iter()
            .filter_map(|w| w.join().ok().flatten())
            .next()
    }
}

impl RowTap for EarlySheet {
    /// Every non-action sheet that begins its table is followed; its rows are held (copied)
    /// until it has more than [`STREAM_ABOVE_ROWS`], and only then does it take the one writer
    /// — so a short sheet recognised first never keeps a large one from being written.
    fn follow(
        &self,
        kind: &'static KindDef,
        extra_columns: &[String],
        place: &Arc<Place>,
    ) -> Option<Box<dyn RowStream>> {
        // The actions' data sheet shows the merge's columns, known only after the read.
        if kind.name == "actions" {
            return None;
        }
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
        Some(Box::new(Stream {
            shared: Arc::clone(&self.shared),
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            state: State::Holding(Vec::new(), writer),
        }))
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
    shared: Arc<Shared>,
    id: u64,
    state: State,
}

enum State {
    /// The sheet's first rows, held while it is short.
    Holding(Vec<TypedRow>, Writer),
    /// Its writer has them.
    Writing(SyncSender<Message>),
    /// Not written: another sheet has the writer, or the writer gave up (a table longer than
    /// a sheet, a failed write).
    Off,
}

impl Stream {
    /// Hands the held rows to a writer of their own, if no other sheet has the writer.
    fn start(&mut self, held: Vec<TypedRow>, writer: Writer) -> State {
        if !self.shared.claim(self.id) {
            return State::Off;
        }
        let (tx, rx) = sync_channel(CHUNKS_IN_FLIGHT);
        let (shared, id) = (Arc::clone(&self.shared), self.id);
        let spawned = std::thread::Builder::new()
            .name("early data sheet".into())
            .spawn(move || {
                let filled = writer.run(&rx);
                if filled.is_none() {
                    // Taken back, more than a sheet, its file failed: another may be written.
                    shared.release(id);
                }
                filled
            });
        match spawned {
            Ok(handle) => {
                self.shared
                    .writers
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(handle);
                match tx.send(Message::Rows(held)) {
                    Ok(()) => State::Writing(tx),
                    Err(_) => State::Off,
                }
            }
            Err(_) => {
                self.shared.release(self.id);
                State::Off
            }
        }
    }
}

impl RowStream for Stream {
    fn rows(&mut self, rows: &[TypedRow]) {
        self.state = match std::mem::replace(&mut self.state, State::Off) {
            State::Holding(mut held, writer) => {
                held.extend_from_slice(rows);
                if held.len() > STREAM_ABOVE_ROWS {
                    self.start(held, writer)
                } else {
                    State::Holding(held, writer)
                }
            }
            State::Writing(tx) => match tx.send(Message::Rows(rows.to_vec())) {
                Ok(()) => State::Writing(tx),
                Err(_) => State::Off,
            },
            State::Off => State::Off,
        };
    }

    fn withdraw(self: Box<Self>) {
        if let State::Writing(tx) = &self.state {
            let _ = tx.send(Message::Withdraw);
        }
        // At once, not when the writer has read the message: the sheet's rows come again now,
        // and the sheet may be written again as it is recognised again.
        self.shared.release(self.id);
    }

    fn end(self: Box<Self>) {
        // A sheet still held is short: a table, filled after the read with the others.
        if let State::Writing(tx) = &self.state {
            let _ = tx.send(Message::End);
        }
    }
}

/// A data sheet filled during the read, in the workbook it was made in.
pub(super) struct Filled {
    wb: Workbook,
    sheet: Worksheet,
    headers: Vec<String>,
    rows: usize,
    /// What it was written for: the followed sheet's table, language and rows per sheet.
    of: Writer,
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
        std::ptr::eq(self.of.labels, labels)
            && self.of.rows_per_sheet == rows_per_sheet
            && table.kind.name == self.of.table.kind.name
            && part == 0
            && rows.len() == table.rows.len()
            && table.rows.len() == self.rows
            && table
                .rows
                .iter()
                .all(|r| Arc::ptr_eq(&r.origin.place, &self.of.place))
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
    /// Receives the rows until the sheet ends (the first message holds more than
    /// [`STREAM_ABOVE_ROWS`] rows): the filled sheet, or `None` when the sheet was taken back,
    /// is longer than a data sheet holds, its file failed or a write failed.
    fn run(self, rx: &Receiver<Message>) -> Option<Filled> {
        let mut open: Option<Open> = None;
        loop {
            match rx.recv() {
                Ok(Message::Rows(rows)) => {
                    let sheet = match open.as_mut() {
                        Some(sheet) => sheet,
                        None => open.insert(self.open(&rows).ok()?),
                    };
                    self.write(sheet, &rows).ok()?;
                }
                Ok(Message::End) => break,
                Ok(Message::Withdraw) | Err(_) => return None,
            }
        }
        let Open {
            wb,
            mut ws,
            headers,
            written,
            ..
        } = open?;
        let last_row = written as RowNum;
        let last_col = headers.len().saturating_sub(1) as ColNum;
        data_sheets::finish(&mut ws, Some((last_row, last_col))).ok()?;
        Some(Filled {
            wb,
            sheet: ws,
            headers,
            rows: written,
            of: self,
        })
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
