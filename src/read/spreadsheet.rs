//! xlsx, xlsm, xlsb, xls and ods through calamine, one [`SheetSource`] per format. xlsx and
//! xlsb are streamed cell by cell, so a sheet whose used range is absurd (a cell at
//! `XFD1048576`) costs only its real cells; calamine reads xls and ods sheets whole, and their
//! sources stream the rows of that range.

use super::source::{Emit, RowAssembler, SheetSource};
use super::{
    panic_message, Abort, Format, RawCell, ReadError, SheetKind, SkippedSheet, GENERATOR_PROPERTY,
};
use calamine::{Data, DataType, Ods, Range, Reader, SheetType, Xls, Xlsb, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;

type Bytes = Cursor<Vec<u8>>;

/// Opens a workbook held in memory with the source of its format.
pub(super) fn open(format: Format, bytes: Vec<u8>) -> Result<Box<dyn SheetSource>, ReadError> {
    Ok(match format {
        Format::Xlsx => {
            let ours = has_generator_property(&bytes);
            let (bytes, macro_sheets) = super::macro_sheets::hide_macro_sheets(bytes)?;
            let book = guarded(|| Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error))?;
            let kinds: Vec<Option<SheetKind>> = macro_sheets
                .iter()
                .map(|&m| m.then_some(SheetKind::Macro))
                .collect();
            Box::new(Book::new(book, ours).with_kinds(&kinds))
        }
        Format::Xlsb => {
            let book = guarded(|| Xlsb::new(Cursor::new(bytes)).map_err(xlsb_error))?;
            Box::new(Book::new(book, false))
        }
        Format::Xls => {
            let book = guarded(|| Xls::new(Cursor::new(bytes)).map_err(xls_error))?;
            Box::new(Book::new(book, false))
        }
        Format::Ods => {
            let charts = super::ods_charts::chart_only_tables(&bytes);
            let book = guarded(|| Ods::new(Cursor::new(bytes)).map_err(ods_error))?;
            let kinds: Vec<Option<SheetKind>> = book
                .sheets_metadata()
                .iter()
                .map(|s| charts.contains(&s.name).then_some(SheetKind::Chart))
                .collect();
            Box::new(Book::new(book, false).with_kinds(&kinds))
        }
        Format::Csv => return Err(corrupt(Format::Csv, &"not a workbook")),
    })
}

/// One call into calamine, its panic turned into the reader's crash: some files make it index
/// past a slice or look up a missing key (Apache POI's `Simple.xlsb`: "no entry found for
/// key"). Only calamine's code runs inside, so a crash named here is the reader's, never ours,
/// and `check` and `convert` name it alike ("the spreadsheet reader crashed on it: …").
fn guarded<T>(call: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call))
        .unwrap_or_else(|panic| Err(ReadError::Aborted(Abort::Crashed(panic_message(panic)))))
}

fn corrupt(format: Format, detail: &dyn std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: format.name().into(),
        detail: detail.to_string(),
    }
}

// calamine's errors by kind: a password is a password whatever the format; a sheet of a kind
// the reader does not know is a part it does not support, never damage; the rest is damage,
// with the library's words kept as the detail.
fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        calamine::XlsxError::Unrecognized {
            typ: "sheet:type",
            val,
        } => unsupported(Format::Xlsx, val),
        e => corrupt(Format::Xlsx, &e),
    }
}

fn xlsb_error(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Encrypted,
        calamine::XlsbError::Unrecognized {
            typ: "BoundSheet8:dt",
            val,
        } => unsupported(Format::Xlsb, val),
        e => corrupt(Format::Xlsb, &e),
    }
}

fn unsupported(format: Format, part: String) -> ReadError {
    ReadError::Unsupported {
        format: format.name().into(),
        part,
    }
}

fn xls_error(e: calamine::XlsError) -> ReadError {
    match e {
        calamine::XlsError::Password => ReadError::Encrypted,
        e => corrupt(Format::Xls, &e),
    }
}

fn ods_error(e: calamine::OdsError) -> ReadError {
    match e {
        calamine::OdsError::Password => ReadError::Encrypted,
        calamine::OdsError::CellLimitExceeded { requested, max } => {
            ReadError::OverLimit(super::Over::OdsCells {
                requested: requested as u64,
                max: max as u64,
            })
        }
        e => corrupt(Format::Ods, &e),
    }
}

/// The worksheets of a workbook, and what its other sheets are (skipped: they hold no cells).
/// `known` gives, by place, the kind of the sheets known to be no worksheets whatever calamine
/// says (`macro_sheets.rs`, `ods_charts.rs`).
fn worksheets(
    sheets: &[calamine::Sheet],
    known: &[Option<SheetKind>],
) -> (Vec<String>, Vec<SkippedSheet>) {
    let mut names = Vec::new();
    let mut skipped = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let what = match (known.get(i).copied().flatten(), sheet.typ) {
            (Some(kind), _) => kind,
            (None, SheetType::WorkSheet) => {
                names.push(sheet.name.clone());
                continue;
            }
            (None, SheetType::ChartSheet) => SheetKind::Chart,
            (None, SheetType::DialogSheet) => SheetKind::Dialog,
            (None, SheetType::MacroSheet) => SheetKind::Macro,
            (None, SheetType::Vba) => SheetKind::Vba,
        };
        skipped.push(SkippedSheet {
            name: sheet.name.clone(),
            what,
        });
    }
    (names, skipped)
}

/// What differs between calamine's readers: the format, the date system, and how a sheet's
/// cells are read (cell by cell for xlsx and xlsb, a sheet at a time for xls and ods).
trait CalamineBook: Reader<Bytes> {
    const FORMAT: Format;

    fn is_1904(&self) -> bool;

    fn read_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError>;
}

/// Any calamine workbook as a [`SheetSource`]: its worksheets, the sheets skipped, and whether
/// scoreboard wrote it.
struct Book<B> {
    book: B,
    sheets: Vec<String>,
    skipped: Vec<SkippedSheet>,
    ours: bool,
}

impl<B: CalamineBook> Book<B> {
    fn new(book: B, ours: bool) -> Self {
        let (sheets, skipped) = worksheets(book.sheets_metadata(), &[]);
        Book {
            book,
            sheets,
            skipped,
            ours,
        }
    }

    /// The same workbook with the sheets at the given places known to be of those kinds.
    fn with_kinds(mut self, kinds: &[Option<SheetKind>]) -> Self {
        if kinds.iter().any(Option::is_some) {
            (self.sheets, self.skipped) = worksheets(self.book.sheets_metadata(), kinds);
        }
        self
    }
}

impl<B: CalamineBook> SheetSource for Book<B> {
    fn format(&self) -> Format {
        B::FORMAT
    }

    fn written_by_scoreboard(&self) -> bool {
        self.ours
    }

    fn sheet_names(&self) -> Vec<String> {
        self.sheets.clone()
    }

    fn skipped(&self) -> Vec<SkippedSheet> {
        self.skipped.clone()
    }

    fn date_1904(&self) -> bool {
        self.book.is_1904()
    }

    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        self.book.read_rows(sheet, emit)
    }
}

/// xlsx and xlsm, streamed cell by cell.
impl CalamineBook for Xlsx<Bytes> {
    const FORMAT: Format = Format::Xlsx;

    fn is_1904(&self) -> bool {
        self.has_1904_epoch()
    }

    fn read_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let mut reader = guarded(|| self.worksheet_cells_reader(sheet).map_err(xlsx_error))?;
        stream_cells(
            || {
                guarded(|| {
                    let cell = reader.next_cell().map_err(xlsx_error)?;
                    Ok(cell.map(|c| (c.get_position(), c.get_value().clone().into())))
                })
            },
            emit,
        )
    }
}

/// xlsb, streamed cell by cell.
impl CalamineBook for Xlsb<Bytes> {
    const FORMAT: Format = Format::Xlsb;

    fn is_1904(&self) -> bool {
        self.has_1904_epoch()
    }

    fn read_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let mut reader = guarded(|| self.worksheet_cells_reader(sheet).map_err(xlsb_error))?;
        stream_cells(
            || {
                guarded(|| {
                    let cell = reader.next_cell().map_err(xlsb_error)?;
                    Ok(cell.map(|c| (c.get_position(), c.get_value().clone().into())))
                })
            },
            emit,
        )
    }
}

/// Legacy xls (BIFF8), read a sheet at a time.
impl CalamineBook for Xls<Bytes> {
    const FORMAT: Format = Format::Xls;

    fn is_1904(&self) -> bool {
        self.has_1904_epoch()
    }

    fn read_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        stream_range(
            &guarded(|| self.worksheet_range(sheet).map_err(xls_error))?,
            emit,
        )
    }
}

/// OpenDocument spreadsheets (always the 1900 date system), read a sheet at a time.
impl CalamineBook for Ods<Bytes> {
    const FORMAT: Format = Format::Ods;

    fn is_1904(&self) -> bool {
        false
    }

    fn read_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        stream_range(
            &guarded(|| self.worksheet_range(sheet).map_err(ods_error))?,
            emit,
        )
    }
}

/// Streams the cells `next` gives, one by one, as rows.
fn stream_cells(
    mut next: impl FnMut() -> Result<Option<((u32, u32), Data)>, ReadError>,
    emit: &mut Emit<'_>,
) -> Result<(), ReadError> {
    let mut rows = RowAssembler::default();
    while let Some(((r, c), value)) = next()? {
        rows.cell(r, c, raw_cell(value), emit)?;
    }
    rows.flush(emit)
}

/// True when the workbook at `path` (read only up to 64 MiB) has the custom document property
/// `name`.
pub fn has_property(path: &std::path::Path, name: &str) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.len() <= 64 << 20 && std::fs::read(path).is_ok_and(|b| custom_property(&b, name))
}

/// True when the workbook's custom document properties (`docProps/custom.xml`) name
/// [`GENERATOR_PROPERTY`].
fn has_generator_property(bytes: &[u8]) -> bool {
    custom_property(bytes, GENERATOR_PROPERTY)
}

/// True when the workbook's custom document properties (`docProps/custom.xml`) name `name`.
fn custom_property(bytes: &[u8], name: &str) -> bool {
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(part) = zip.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut xml = String::new();
    // A few hundred bytes in our workbooks; never more than 64 KiB is looked at.
    if part.take(64 * 1024).read_to_string(&mut xml).is_err() {
        return false;
    }
    xml.contains(&format!("name=\"{name}\""))
}

fn stream_range(range: &Range<Data>, emit: &mut Emit<'_>) -> Result<(), ReadError> {
    // `Range` starts at the first used cell, not A1: shift back to Excel positions.
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = RowAssembler::default();
    for (r, c, value) in range.used_cells() {
        rows.cell(r0 + r as u32, c0 + c as u32, raw_cell(value.clone()), emit)?;
    }
    rows.flush(emit)
}

/// A calamine cell as a typed raw cell. Date-formatted serials become dates, date-times or
/// times of day through calamine's own conversion (which knows the workbook's 1904 system);
/// ISO text from ODS is parsed the same way.
fn raw_cell(value: Data) -> RawCell {
    match value {
        Data::Int(i) => RawCell::Number(i as f64),
        Data::Float(f) => RawCell::Number(f),
        Data::String(s) => RawCell::Text(s),
        Data::Bool(b) => RawCell::Bool(b),
        Data::DateTime(dt) if dt.is_duration() => RawCell::Duration(dt.as_f64()),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            // calamine panics on serials far outside Excel's range: keep those as numbers.
            let moment = (serial.is_finite() && (0.0..2_958_466.0).contains(&serial))
                .then(|| dt.as_datetime())
                .flatten();
            match moment {
                Some(t) if serial < 1.0 => RawCell::Time(t.time()),
                Some(t) if serial.fract() == 0.0 => RawCell::Date(t.date()),
                Some(t) => RawCell::DateTime(t),
                None => RawCell::Number(serial),
            }
        }
        Data::DateTimeIso(s) => iso_cell(&s).unwrap_or(RawCell::Text(s)),
        ref d @ Data::DurationIso(ref s) => d
            .as_duration()
            .map(|span| RawCell::Duration(span.num_milliseconds() as f64 / 86_400_000.0))
            .unwrap_or_else(|| RawCell::Text(s.clone())),
        Data::Error(e) => RawCell::Error(e.to_string()),
        Data::Empty => RawCell::Empty,
    }
}

/// `2025-03-15` or `2025-03-15T08:30:00` (ODS office:date-value).
fn iso_cell(text: &str) -> Option<RawCell> {
    if text.contains('T') {
        let t = text.parse::<NaiveDateTime>().ok()?;
        Some(if t.time() == chrono::NaiveTime::MIN {
            RawCell::Date(t.date())
        } else {
            RawCell::DateTime(t)
        })
    } else {
        text.parse::<NaiveDate>().ok().map(RawCell::Date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    use chrono::NaiveTime;

    fn serial(value: f64, is_1904: bool) -> RawCell {
        raw_cell(Data::DateTime(ExcelDateTime::new(
            value,
            ExcelDateTimeType::DateTime,
            is_1904,
        )))
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_formatted_serials_keep_date_date_time_and_time_apart() {
        assert_eq!(serial(45731.0, false), RawCell::Date(d(2025, 3, 15)));
        // The same day is 1462 lower in the 1904 system.
        assert_eq!(serial(44269.0, true), RawCell::Date(d(2025, 3, 15)));
        assert_eq!(
            serial(45731.5, false),
            RawCell::DateTime(d(2025, 3, 15).and_hms_opt(12, 0, 0).unwrap())
        );
        assert_eq!(
            serial(0.75, false),
            RawCell::Time(NaiveTime::from_hms_opt(18, 0, 0).unwrap())
        );
        assert_eq!(serial(-1e300, false), RawCell::Number(-1e300));
        assert_eq!(
            raw_cell(Data::DateTime(ExcelDateTime::new(
                1.5,
                ExcelDateTimeType::TimeDelta,
                false
            ))),
            RawCell::Duration(1.5)
        );
    }

    #[test]
    fn ods_iso_text_becomes_dates_and_durations() {
        let iso = |s: &str| raw_cell(Data::DateTimeIso(s.into()));
        assert_eq!(iso("2025-03-15"), RawCell::Date(d(2025, 3, 15)));
        assert_eq!(iso("2025-03-15T00:00:00"), RawCell::Date(d(2025, 3, 15)));
        assert_eq!(
            iso("2025-03-15T08:30:00"),
            RawCell::DateTime(d(2025, 3, 15).and_hms_opt(8, 30, 0).unwrap())
        );
        assert_eq!(iso("not a date"), RawCell::Text("not a date".into()));
        assert_eq!(
            raw_cell(Data::DurationIso("PT36H00M00S".into())),
            RawCell::Text("PT36H00M00S".into()),
            "calamine reads ODS durations only below 24 h; longer ones stay as their text"
        );
        assert_eq!(
            raw_cell(Data::DurationIso("PT06H00M00S".into())),
            RawCell::Duration(0.25)
        );
    }
}
