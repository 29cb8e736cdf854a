//! The floor of issue 8: the least any tool must do to turn spreadsheets into a workbook — read
//! every cell with calamine and write it again with rust_xlsxwriter (constant memory), one thread.
//!
//! Run: `cargo run --release --example floor -- [--range] OUT_DIR INPUT...` (xlsx read with
//! calamine's streaming cell reader; CSV with the csv crate, `;` or `,`, UTF-8 or Windows-1252;
//! other formats through calamine's range reader). `--range` reads xlsx through calamine's range
//! reader too (`worksheet_range`, the whole sheet in memory): the floor as issue 8 measured it
//! (440 MiB on its inputs), where the default streamed read holds one cell at a time. Each input becomes `OUT_DIR/<name>.xlsx`; a sheet
//! longer than Excel's 1,048,576 rows continues on the next sheet. `scripts/bench` times it.

use calamine::{open_workbook, open_workbook_auto, Data, DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::error::Error;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Excel's last row index + 1.
const SHEET_ROWS: u32 = 1_048_576;

/// Where the cells of one input go: a constant-memory sheet, the next one when it is full.
struct Sink {
    wb: Workbook,
    date: Format,
    sheets: usize,
    offset: u32,
    cells: u64,
}

impl Sink {
    fn new() -> Self {
        Sink {
            wb: Workbook::new(),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            sheets: 0,
            offset: 0,
            cells: 0,
        }
    }

    /// Starts a new sheet (for a new input sheet or a full one).
    fn sheet(&mut self) -> Result<(), XlsxError> {
        self.sheets += 1;
        let ws = self.wb.add_worksheet_with_constant_memory()?;
        ws.set_name(format!("Sheet{}", self.sheets))?;
        Ok(())
    }
}

fn write_ref(sink: &mut Sink, row: u32, col: u16, v: &DataRef) -> Result<(), XlsxError> {
    if row - sink.offset >= SHEET_ROWS {
        sink.offset += SHEET_ROWS;
        sink.sheet()?;
    }
    let r = row - sink.offset;
    let ws: &mut Worksheet = sink.wb.worksheet_from_index(sink.sheets - 1)?;
    let date = &sink.date;
    match v {
        DataRef::Empty => return Ok(()),
        DataRef::Int(i) => ws.write_number(r, col, *i as f64)?,
        DataRef::Float(f) => ws.write_number(r, col, *f)?,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            ws.write_string(r, col, s)?
        }
        DataRef::SharedString(s) => ws.write_string(r, col, *s)?,
        DataRef::Bool(b) => ws.write_boolean(r, col, *b)?,
        DataRef::DateTime(d) => ws.write_number_with_format(r, col, d.as_f64(), date)?,
        DataRef::Error(e) => ws.write_string(r, col, e.to_string())?,
    };
    sink.cells += 1;
    Ok(())
}

fn copy_xlsx(path: &Path, sink: &mut Sink) -> Result<(), Box<dyn Error>> {
    let mut wb: Xlsx<_> = open_workbook(path)?;
    for name in wb.sheet_names() {
        let mut cells = wb.worksheet_cells_reader(&name)?;
        sink.offset = 0;
        sink.sheet()?;
        while let Some(cell) = cells.next_cell()? {
            let (row, col) = cell.get_position();
            write_ref(sink, row, col as u16, cell.get_value())?;
        }
    }
    Ok(())
}

fn copy_other(path: &Path, sink: &mut Sink) -> Result<(), Box<dyn Error>> {
    let mut wb = open_workbook_auto(path)?;
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name)?;
        let (top, left) = range.start().unwrap_or((0, 0));
        sink.offset = 0;
        sink.sheet()?;
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let v: DataRef = match v {
                    Data::Int(i) => DataRef::Int(*i),
                    Data::Float(f) => DataRef::Float(*f),
                    Data::String(s) => DataRef::SharedString(s),
                    Data::Bool(b) => DataRef::Bool(*b),
                    Data::DateTime(d) => DataRef::DateTime(*d),
                    Data::DateTimeIso(s) | Data::DurationIso(s) => DataRef::SharedString(s),
                    Data::Error(e) => DataRef::Error(e.clone()),
                    Data::Empty => DataRef::Empty,
                };
                write_ref(sink, top + r as u32, (left as usize + c) as u16, &v)?;
            }
        }
    }
    Ok(())
}

fn copy_csv(path: &Path, sink: &mut Sink) -> Result<(), Box<dyn Error>> {
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path)?.read(&mut head)?;
    let sep = if head[..n].iter().filter(|&&b| b == b';').count()
        >= head[..n].iter().filter(|&&b| b == b',').count()
    {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_path(path)?;
    sink.offset = 0;
    sink.sheet()?;
    let mut record = csv::ByteRecord::new();
    let mut row = 0u32;
    while reader.read_byte_record(&mut record)? {
        for (c, field) in record.iter().enumerate() {
            if field.is_empty() {
                continue;
            }
            let text = match std::str::from_utf8(field) {
                Ok(s) => std::borrow::Cow::Borrowed(s),
                Err(_) => encoding_rs::WINDOWS_1252.decode(field).0,
            };
            write_ref(sink, row, c as u16, &DataRef::SharedString(&text))?;
        }
        row += 1;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1).peekable();
    let range = args.next_if(|a| a == "--range").is_some();
    let mut args = args.map(PathBuf::from);
    let Some(out_dir) = args.next() else {
        eprintln!("usage: floor [--range] OUT_DIR INPUT...");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&out_dir)?;
    let mut total = 0u64;
    let started = Instant::now();
    for input in args {
        let t = Instant::now();
        let mut sink = Sink::new();
        match input.extension().and_then(|e| e.to_str()) {
            Some("xlsx" | "xlsm") if !range => copy_xlsx(&input, &mut sink),
            Some("csv" | "txt") => copy_csv(&input, &mut sink),
            _ => copy_other(&input, &mut sink),
        }
        .map_err(|e| format!("{}: {e}", input.display()))?;
        let name = input.file_stem().unwrap_or_default().to_string_lossy();
        let out = out_dir.join(format!("{name}.xlsx"));
        sink.wb.save(&out)?;
        println!(
            "floor: {} cells of {} in {:.2} s",
            sink.cells,
            input.display(),
            t.elapsed().as_secs_f64()
        );
        total += sink.cells;
    }
    println!(
        "floor: {total} cells in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
