//! xlsx, xlsm, xlsb, xls and ods through calamine, one [`SheetSource`] per format. xlsx and
//! xlsb are streamed cell by cell, so a sheet whose used range is absurd (a cell at
//! `XFD1048576`) costs only its real cells; calamine reads xls and ods sheets whole, and their
//! sources stream the rows of that range.

use super::source::{Emit, RowAssembler, SheetSource};
use super::{Format, RawCell, ReadError, SheetKind, SkippedSheet, GENERATOR_PROPERTY};
use calamine::{Data, DataType, Ods, Range, Reader, SheetType, Xls, Xlsb, Xlsx};
use chrono::{NaiveDate, NaiveDateTime};
use std::io::Cursor;

type Bytes = Cursor<Vec<u8>>;

/// Opens a workbook held in memory with the source of its format.
pub(super) fn open(format: Format, bytes: Vec<u8>) -> Result<Box<dyn SheetSource>, ReadError> {
    let bytes = Cursor::new(bytes);
    Ok(match format {
        Format::Xlsx => {
            let ours = has_generator_property(bytes.get_ref());
            let mut source = XlsxSource::new(Xlsx::new(bytes).map_err(xlsx_error)?);
            source.ours = ours;
            Box::new(source)
        }
        Format::Xlsb => Box::new(XlsbSource::new(Xlsb::new(bytes).map_err(xlsb_error)?)),
        Format::Xls => Box::new(XlsSource::new(Xls::new(bytes).map_err(xls_error)?)),
        Format::Ods => Box::new(OdsSource(Ods::new(bytes).map_err(ods_error)?)),
        Format::Csv => return Err(corrupt(Format::Csv, &"not a workbook")),
    })
}

fn corrupt(format: Format, detail: &dyn std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        format: format.name().into(),
        detail: detail.to_string(),
    }
}

// calamine's errors by kind: a password is a password whatever the format; the rest is damage,
// with the library's words kept as the detail.
fn xlsx_error(e: calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        e => corrupt(Format::Xlsx, &e),
    }
}

fn xlsb_error(e: calamine::XlsbError) -> ReadError {
    match e {
        calamine::XlsbError::Password => ReadError::Encrypted,
        e => corrupt(Format::Xlsb, &e),
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
        calamine::OdsError::CellLimitExceeded { requested, max } => ReadError::OverLimit {
            what: format!("a sheet declares {requested} cells"),
            limit: format!("{max} cells that the ODS reader accepts"),
            remedy: "save it as .xlsx, which is read cell by cell, or split the sheet".into(),
        },
        e => corrupt(Format::Ods, &e),
    }
}

/// The worksheets of a workbook, and what its other sheets are (skipped: they hold no cells).
fn worksheets(sheets: &[calamine::Sheet]) -> (Vec<String>, Vec<SkippedSheet>) {
    let mut names = Vec::new();
    let mut skipped = Vec::new();
    for sheet in sheets {
        let what = match sheet.typ {
            SheetType::WorkSheet => {
                names.push(sheet.name.clone());
                continue;
            }
            SheetType::ChartSheet => SheetKind::Chart,
            SheetType::DialogSheet => SheetKind::Dialog,
            SheetType::MacroSheet => SheetKind::Macro,
            SheetType::Vba => SheetKind::Vba,
        };
        skipped.push(SkippedSheet {
            name: sheet.name.clone(),
            what,
        });
    }
    (names, skipped)
}

/// xlsx and xlsm, streamed cell by cell.
struct XlsxSource {
    book: Xlsx<Bytes>,
    sheets: Vec<String>,
    skipped: Vec<SkippedSheet>,
    ours: bool,
}

impl XlsxSource {
    fn new(book: Xlsx<Bytes>) -> Self {
        let (sheets, skipped) = worksheets(book.sheets_metadata());
        Self {
            book,
            sheets,
            skipped,
            ours: false,
        }
    }
}

/// True when the workbook's custom document properties (`docProps/custom.xml`) name
/// [`GENERATOR_PROPERTY`].
fn has_generator_property(bytes: &[u8]) -> bool {
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
    xml.contains(&format!("name=\"{GENERATOR_PROPERTY}\""))
}

impl SheetSource for XlsxSource {
    fn format(&self) -> Format {
        Format::Xlsx
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
        self.book.has_1904_epoch()
    }

    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let mut reader = self
            .book
            .worksheet_cells_reader(sheet)
            .map_err(xlsx_error)?;
        let mut rows = RowAssembler::default();
        while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
            let (r, c) = cell.get_position();
            rows.cell(r, c, raw_cell(cell.get_value().clone().into()), emit)?;
        }
        rows.flush(emit)
    }
}

/// xlsb, streamed cell by cell.
struct XlsbSource {
    book: Xlsb<Bytes>,
    sheets: Vec<String>,
    skipped: Vec<SkippedSheet>,
}

impl XlsbSource {
    fn new(book: Xlsb<Bytes>) -> Self {
        let (sheets, skipped) = worksheets(book.sheets_metadata());
        Self {
            book,
            sheets,
            skipped,
        }
    }
}

impl SheetSource for XlsbSource {
    fn format(&self) -> Format {
        Format::Xlsb
    }

    fn sheet_names(&self) -> Vec<String> {
        self.sheets.clone()
    }

    fn skipped(&self) -> Vec<SkippedSheet> {
        self.skipped.clone()
    }

    fn date_1904(&self) -> bool {
        self.book.has_1904_epoch()
    }

    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let mut reader = self
            .book
            .worksheet_cells_reader(sheet)
            .map_err(xlsb_error)?;
        let mut rows = RowAssembler::default();
        while let Some(cell) = reader.next_cell().map_err(xlsb_error)? {
            let (r, c) = cell.get_position();
            rows.cell(r, c, raw_cell(cell.get_value().clone().into()), emit)?;
        }
        rows.flush(emit)
    }
}

/// Legacy xls (BIFF8), read a sheet at a time.
struct XlsSource {
    book: Xls<Bytes>,
    sheets: Vec<String>,
    skipped: Vec<SkippedSheet>,
}

impl XlsSource {
    fn new(book: Xls<Bytes>) -> Self {
        let (sheets, skipped) = worksheets(book.sheets_metadata());
        Self {
            book,
            sheets,
            skipped,
        }
    }
}

impl SheetSource for XlsSource {
    fn format(&self) -> Format {
        Format::Xls
    }

    fn sheet_names(&self) -> Vec<String> {
        self.sheets.clone()
    }

    fn skipped(&self) -> Vec<SkippedSheet> {
        self.skipped.clone()
    }

    fn date_1904(&self) -> bool {
        self.book.has_1904_epoch()
    }

    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let range = self.book.worksheet_range(sheet).map_err(xls_error)?;
        stream_range(&range, emit)
    }
}

/// OpenDocument spreadsheets, read a sheet at a time.
struct OdsSource(Ods<Bytes>);

impl SheetSource for OdsSource {
    fn format(&self) -> Format {
        Format::Ods
    }

    fn sheet_names(&self) -> Vec<String> {
        self.0.sheet_names()
    }

    fn stream_rows(&mut self, sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let range = self.0.worksheet_range(sheet).map_err(ods_error)?;
        stream_range(&range, emit)
    }
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
