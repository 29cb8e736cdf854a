//! Any input file → raw sheets whose cells keep their Excel position. Every format quirk
//! (calamine's, CSV encodings, hostile files) stays in this module; nothing here knows table kinds.

mod batch;
mod csv_text;
mod detect;
mod inputs;
mod isolate;
mod limits;
mod macro_sheets;
mod ods_charts;
pub mod settle;
mod source;
mod spreadsheet;
mod stream;

pub use batch::{
    read_files, read_files_into, read_files_observed, FileRead, ReadCache, ReadOutcome,
};
pub use detect::{detect_format, Format, INPUT_EXTENSIONS};
pub use inputs::{collect_inputs, display_names, SamePaths};
pub use isolate::{serve, ReadLimits, Readers, WORKER_COMMAND};
pub use limits::CellBudget;
pub use source::{open_source, read_all, Emit, SheetBuilder, SheetSource};
pub use spreadsheet::has_property;
pub use stream::{stream_source, EmitEvent, RawCollector, ReadEvent, ReadSink};

use crate::model::Reason;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One cell as the file stores it, typed as the spreadsheet types it, before any
/// interpretation by a table kind. CSV fields get the same types (see `csv_text`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RawCell {
    /// Nothing in the cell.
    Empty,
    /// Text.
    Text(String),
    /// A number not formatted as a date.
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// A calendar day (a date-formatted whole serial, an ODS date, a CSV `15/03/2025`).
    Date(#[serde(with = "compact::date")] NaiveDate),
    /// A day and a time of day.
    DateTime(#[serde(with = "compact::date_time")] NaiveDateTime),
    /// A time of day (a date-formatted serial below 1).
    Time(#[serde(with = "compact::time")] NaiveTime),
    /// A number formatted as a duration (`[h]:mm`), in days.
    Duration(f64),
    /// An error value such as `#N/A` (the cached value of a failed formula).
    Error(String),
}

impl RawCell {
    /// True for an empty cell or blank text.
    pub fn is_blank(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the analyst would read it, for headers and the Issues sheet: dates in
    /// ISO 8601 (`2025-03-15`, `2025-03-15 08:30:00`), whatever the file's display format.
    pub fn display(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Text(t) | RawCell::Error(t) => t.clone(),
            RawCell::Number(n) | RawCell::Duration(n) => format_number(*n),
            RawCell::Bool(b) => b.to_string(),
            RawCell::Date(d) => d.to_string(),
            RawCell::DateTime(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            RawCell::Time(t) => t.format("%H:%M:%S").to_string(),
        }
    }

    /// The cell as its sender sees it, for quoting in issues: as [`RawCell::display`], but a
    /// date as Belgian Excel shows one (`21/10/2024`, `21/10/2024 08:30`), not in ISO 8601.
    pub fn as_typed(&self) -> String {
        match self {
            RawCell::Date(d) => d.format("%d/%m/%Y").to_string(),
            RawCell::DateTime(t) => t.format("%d/%m/%Y %H:%M").to_string(),
            other => other.display(),
        }
    }
}

/// Dates and times as numbers between the reader process and the parent (chrono's own serde
/// form is an ISO string, formatted and parsed again for every date cell of a million rows).
mod compact {
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub mod date {
        use super::*;
        use chrono::{Datelike, NaiveDate};

        pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
            d.num_days_from_ce().serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
            let days = i32::deserialize(d)?;
            NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| D::Error::custom("bad date"))
        }
    }

    pub mod time {
        use super::*;
        use chrono::{NaiveTime, Timelike};

        pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
            (t.num_seconds_from_midnight(), t.nanosecond()).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
            let (secs, nanos) = <(u32, u32)>::deserialize(d)?;
            NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
                .ok_or_else(|| D::Error::custom("bad time"))
        }
    }

    pub mod date_time {
        use super::*;
        use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

        pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
            let (d, t) = (t.date(), t.time());
            (
                d.num_days_from_ce(),
                t.num_seconds_from_midnight(),
                t.nanosecond(),
            )
                .serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
            let (days, secs, nanos) = <(i32, u32, u32)>::deserialize(d)?;
            let date = NaiveDate::from_num_days_from_ce_opt(days);
            let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos);
            date.zip(time)
                .map(|(d, t)| d.and_time(t))
                .ok_or_else(|| D::Error::custom("bad date and time"))
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One non-empty row: its 0-based Excel row index and its cells by 0-based column, sorted.
/// Sparse on purpose: a hostile sheet with one cell at `XFD1048576` costs one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRow {
    /// 0-based row index as Excel numbers it minus one.
    pub index: u32,
    /// Non-empty cells as (0-based column, value), in column order.
    pub cells: Vec<(u32, RawCell)>,
}

impl RawRow {
    /// The cell at a 0-based column, if any.
    pub fn get(&self, col: u32) -> Option<&RawCell> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// One sheet of a workbook, or a whole CSV file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSheet {
    /// Sheet name as the workbook gives it (the file stem for CSV).
    pub name: String,
    /// True when plain numbers in date columns count from 1904 (old Mac Excel workbooks).
    pub date_1904: bool,
    /// Non-empty rows in order.
    pub rows: Vec<RawRow>,
}

/// Every sheet of one input file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawWorkbook {
    /// Detected format.
    pub format: Format,
    /// Sheets in workbook order.
    pub sheets: Vec<RawSheet>,
    /// Notes about the read that lose nothing (encoding guessed, a broken CSV record).
    pub notes: Vec<ReadNote>,
    /// Sheets that hold no cells to read (chart, dialog and macro sheets, VBA modules), skipped.
    pub skipped: Vec<SkippedSheet>,
    /// True for a workbook written by scoreboard (its custom document property
    /// [`GENERATOR_PROPERTY`]): a KPI workbook left in the inbox, never data.
    pub written_by_scoreboard: bool,
}

/// Name of the custom document property that scoreboard writes into its workbooks (value: its
/// version) and by which the reader recognises them.
pub const GENERATOR_PROPERTY: &str = "scoreboard";

/// A sheet of a workbook that is no worksheet, skipped on purpose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedSheet {
    /// Its name in the workbook.
    pub name: String,
    /// What it is.
    pub what: SheetKind,
}

/// What a sheet that holds no cells is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SheetKind {
    /// A chart sheet.
    Chart,
    /// An Excel 5 dialog sheet.
    Dialog,
    /// An Excel 4 macro sheet.
    Macro,
    /// A VBA module.
    Vba,
}

impl SheetKind {
    /// The phrase naming it ("a chart sheet"), translated where it is written.
    pub fn phrase(self) -> Reason {
        Reason::new(match self {
            SheetKind::Chart => "sheet_kind_chart",
            SheetKind::Dialog => "sheet_kind_dialog",
            SheetKind::Macro => "sheet_kind_macro",
            SheetKind::Vba => "sheet_kind_vba",
        })
    }
}

/// A note about a read that loses nothing, kept as data: it travels from the reader process
/// and is put into words by the parent, in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadNote {
    /// A CSV file decoded from another encoding than UTF-8 (`Windows-1252`).
    Encoding(String),
    /// A CSV record the parser could not read, skipped; the parser's own words.
    RecordSkipped(String),
    /// NUL characters removed from a CSV file (Excel drops them too).
    NulsRemoved(usize),
    /// A text file named as a workbook (`.xlsx`, `.ods`…), read as CSV: a renamed export may
    /// hold data, and when it holds none, the file is named for what it is.
    TextNamedAsWorkbook(String),
}

impl ReadNote {
    /// The note as a catalogue key and arguments.
    pub fn reason(&self) -> Reason {
        match self {
            ReadNote::Encoding(encoding) => {
                Reason::new("read_as_encoding").arg("encoding", encoding)
            }
            ReadNote::RecordSkipped(error) => Reason::new("record_skipped").arg("error", error),
            ReadNote::NulsRemoved(count) => Reason::new("nuls_removed").arg("count", count),
            ReadNote::TextNamedAsWorkbook(extension) => {
                Reason::new(TEXT_NAMED_AS_WORKBOOK).arg("extension", extension)
            }
        }
    }
}

/// The reason key of [`ReadNote::TextNamedAsWorkbook`].
pub const TEXT_NAMED_AS_WORKBOOK: &str = "text_named_as_workbook";

/// Why a whole file could not be read, in the analyst's words: what is wrong, then what to do.
/// The library's own text is kept only as a detail in brackets. Its text comes from the
/// catalogue ([`ReadError::reason`]), so it reads in the report's language; `Display` is the
/// English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ReadError {
    /// The file could not be opened at all.
    Io(IoProblem),
    /// The file is not a spreadsheet or CSV.
    NotASpreadsheet(NotSheet),
    /// An Excel 2.x–4.0 workbook, from before 1993, a format no reader here reads.
    OldExcel,
    /// A password-protected workbook.
    Encrypted,
    /// The file holds a part the spreadsheet reader does not support (a kind of sheet it does
    /// not know): not damage, and said so.
    Unsupported {
        /// The file's format.
        format: String,
        /// The part, as the reader names it (`xl/macrosheets/sheet1.bin`).
        part: String,
    },
    /// The spreadsheet library refused the file.
    Corrupt {
        /// Format the file claimed to be.
        format: String,
        /// What the reader said.
        detail: String,
    },
    /// The file is over one of the read limits ([`ReadLimits`]).
    OverLimit(Over),
    /// The isolated reader exceeded its memory or time budget, or crashed.
    Aborted(Abort),
}

/// Why the file could not be taken from disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum IoProblem {
    /// It was moved or deleted between the listing of the folder and its read.
    Disappeared,
    /// The account running scoreboard may not read it.
    Denied,
    /// Anything else; the system's own words.
    Other(String),
}

impl IoProblem {
    /// The problem of one failed read from disk.
    pub fn of(e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => IoProblem::Disappeared,
            std::io::ErrorKind::PermissionDenied => IoProblem::Denied,
            _ => IoProblem::Other(e.to_string()),
        }
    }
}

/// Why a file is no spreadsheet at all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NotSheet {
    /// Zero bytes.
    Empty,
    /// Bytes that are neither a known workbook nor text.
    Binary {
        /// The file's extension, as named.
        extension: String,
    },
}

/// Which read limit a file is over, and by how much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Over {
    /// A zipped workbook whose parts unpack (as its zip directory declares) to more than the
    /// limit.
    Unpacked {
        /// What the parts unpack to, in tenths of a MiB, rounded up (so always above the
        /// limit: 1 MiB and one byte shows as 1.1 MiB).
        tenths_mib: u64,
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// More non-empty cells than the limit.
    Cells {
        /// The limit.
        limit: u64,
    },
    /// A sheet declaring more cells than calamine's ODS reader accepts.
    OdsCells {
        /// The cells the sheet declares.
        requested: u64,
        /// What the ODS reader accepts.
        max: u64,
    },
}

/// Why the reader process ended without an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Abort {
    /// It took longer than the limit, in seconds, and was stopped.
    TimedOut {
        /// The limit.
        seconds: u64,
    },
    /// It was killed by a signal: an abort (a failed allocation under the memory cap) or worse.
    Killed {
        /// The signal number.
        signal: i32,
        /// Its memory cap, in MiB.
        memory_mb: u64,
    },
    /// The spreadsheet library panicked on the file; its message.
    Crashed(String),
    /// The converter's process panicked; its message.
    ConverterCrashed(String),
    /// It exited with a failure status.
    Failed {
        /// The exit code (-1 when the system gave none).
        code: i32,
        /// The last line it printed (the library's or system's words).
        last: String,
    },
    /// One row of the file would make a message of more than 1 GiB between the reader and
    /// scoreboard: no genuine scoreboard holds such a row.
    RowTooLarge,
    /// The exchange with it failed (not started, no output, an answer cut short or
    /// unreadable): scoreboard's fault, in English.
    Lost(String),
}

impl ReadError {
    /// The sentence as a catalogue key and arguments, rendered in the report's language.
    pub fn reason(&self) -> Reason {
        match self {
            ReadError::Io(IoProblem::Disappeared) => Reason::new("read_io_disappeared"),
            ReadError::Io(IoProblem::Denied) => Reason::new("read_io_denied"),
            ReadError::Io(IoProblem::Other(detail)) => Reason::new("read_io").arg("detail", detail),
            ReadError::NotASpreadsheet(NotSheet::Empty) => Reason::new("read_empty"),
            ReadError::NotASpreadsheet(NotSheet::Binary { extension }) => {
                Reason::new("read_not_a_spreadsheet").arg("extension", extension)
            }
            ReadError::OldExcel => Reason::new("read_old_excel"),
            ReadError::Encrypted => Reason::new("read_encrypted"),
            ReadError::Unsupported { format, part } => Reason::new("read_unsupported_part")
                .arg("format", format)
                .arg("part", part),
            ReadError::Corrupt { format, detail } => Reason::new("read_corrupt")
                .arg("format", format)
                .arg("detail", detail),
            ReadError::OverLimit(over) => {
                Reason::new("read_over_limit").phrase("detail", over.reason())
            }
            ReadError::Aborted(abort) => {
                Reason::new("read_aborted").phrase("detail", abort.reason())
            }
        }
    }
}

impl Over {
    /// What is over which limit, and what to do, as a catalogue phrase.
    pub fn reason(&self) -> Reason {
        match self {
            Over::Unpacked {
                tenths_mib,
                limit_mib,
            } => Reason::new("over_unpacked")
                .tenths("size", *tenths_mib)
                .count("limit", *limit_mib),
            Over::Cells { limit } => Reason::new("over_cells").count("limit", *limit),
            Over::OdsCells { requested, max } => Reason::new("over_ods_cells")
                .count("requested", *requested)
                .count("max", *max),
        }
    }
}

impl Abort {
    /// Why the reader stopped, and what to do, as a catalogue phrase.
    pub fn reason(&self) -> Reason {
        match self {
            Abort::TimedOut { seconds } => {
                Reason::new("abort_timed_out").count("seconds", *seconds)
            }
            Abort::Killed { signal, memory_mb } => Reason::new("abort_killed")
                .arg("signal", signal)
                .count("memory", *memory_mb),
            Abort::Crashed(message) => Reason::new("abort_crashed").arg("message", message),
            Abort::ConverterCrashed(message) => {
                Reason::new("abort_converter_crashed").arg("message", message)
            }
            Abort::Failed { code, last } if last.is_empty() => {
                Reason::new("abort_failed_silent").arg("code", code)
            }
            Abort::Failed { code, last } => Reason::new("abort_failed")
                .arg("code", code)
                .arg("last", last),
            Abort::RowTooLarge => Reason::new("abort_row_too_large"),
            Abort::Lost(detail) => Reason::new("abort_lost").arg("detail", detail),
        }
    }
}

/// English, as in logs and tests.
impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.reason().fmt(f)
    }
}

impl std::error::Error for ReadError {}

impl std::fmt::Display for Over {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.reason().fmt(f)
    }
}

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.reason().fmt(f)
    }
}

/// The message of a caught panic (its `&str` or `String` payload).
pub(crate) fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown cause".into())
}

/// Reads every sheet of one file in this process, within the size and cell limits (the memory
/// cap and the timeout are [`Readers`]'). Prefer [`Readers::read`] for files from other
/// people: some malformed files make the spreadsheet library abort the process.
///
/// # Errors
/// A [`ReadError`] saying why the whole file is unreadable.
pub fn read_file(path: &Path, limits: &ReadLimits) -> Result<RawWorkbook, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(IoProblem::of(&e)))?;
    read_bytes(path, bytes, limits)
}

/// Reads every sheet of a file already in memory, in this process, within the size and cell
/// limits; `path` only names the file (its extension and stem). The entry point of the fuzz
/// targets and of their regression tests.
///
/// # Errors
/// A [`ReadError`] saying why the whole file is unreadable.
pub fn read_bytes(
    path: &Path,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> Result<RawWorkbook, ReadError> {
    read_all(open_source(path, bytes, limits)?, limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_display_as_the_analyst_reads_them() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        assert_eq!(RawCell::Date(day).display(), "2025-03-15");
        assert_eq!(
            RawCell::DateTime(day.and_hms_opt(8, 30, 0).unwrap()).display(),
            "2025-03-15 08:30:00"
        );
        assert_eq!(
            RawCell::Time(NaiveTime::from_hms_opt(8, 30, 0).unwrap()).display(),
            "08:30:00"
        );
        assert_eq!(RawCell::Duration(1.5).display(), "1.5");
        assert_eq!(RawCell::Number(12.0).display(), "12");
        assert_eq!(RawCell::Number(0.125).display(), "0.125");
    }

    #[test]
    fn date_cells_cross_the_process_boundary_unchanged() {
        let day = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
        let cells = vec![
            RawCell::Date(day),
            RawCell::Date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap()),
            RawCell::DateTime(day.and_hms_nano_opt(8, 30, 15, 500_000_000).unwrap()),
            RawCell::Time(NaiveTime::from_hms_opt(23, 59, 59).unwrap()),
            RawCell::Text("15/03/2025".into()),
        ];
        let bytes = postcard::to_stdvec(&cells).unwrap();
        assert_eq!(postcard::from_bytes::<Vec<RawCell>>(&bytes).unwrap(), cells);
        // A date is its day number (3 bytes and a tag), not an ISO string.
        assert!(postcard::to_stdvec(&RawCell::Date(day)).unwrap().len() <= 5);
    }

    #[test]
    fn read_errors_read_whole_in_each_language() {
        use crate::i18n::labels;
        use crate::model::Lang;
        let errors = [
            ReadError::Io(IoProblem::Denied),
            ReadError::NotASpreadsheet(NotSheet::Empty),
            ReadError::OldExcel,
            ReadError::Encrypted,
            ReadError::Corrupt {
                format: "xlsx".into(),
                detail: "bad zip".into(),
            },
            ReadError::OverLimit(Over::Unpacked {
                tenths_mib: 20_485,
                limit_mib: 1024,
            }),
            ReadError::OverLimit(Over::Cells { limit: 100_000_000 }),
            ReadError::OverLimit(Over::OdsCells {
                requested: 40_000_000,
                max: 10_000_000,
            }),
            ReadError::Aborted(Abort::TimedOut { seconds: 300 }),
            ReadError::Aborted(Abort::Killed {
                signal: 6,
                memory_mb: 4096,
            }),
            ReadError::Aborted(Abort::Crashed("index out of bounds".into())),
            ReadError::Aborted(Abort::ConverterCrashed("boom".into())),
            ReadError::Aborted(Abort::Failed {
                code: 3,
                last: "oops".into(),
            }),
            ReadError::Aborted(Abort::Lost("reader has no output".into())),
            ReadError::Io(IoProblem::Disappeared),
            ReadError::Io(IoProblem::Other("Input/output error (os error 5)".into())),
            ReadError::NotASpreadsheet(NotSheet::Binary {
                extension: "xlsx".into(),
            }),
            ReadError::Aborted(Abort::Failed {
                code: 101,
                last: String::new(),
            }),
            ReadError::Aborted(Abort::RowTooLarge),
            ReadError::Unsupported {
                format: "xlsb".into(),
                part: "xl/macrosheets/sheet1.bin".into(),
            },
        ];
        for e in &errors {
            let reason = e.reason();
            let mut keys = vec![reason.key];
            keys.extend(reason.args.iter().filter_map(|(_, a)| match a {
                crate::model::Arg::Reason(r) => Some(r.key),
                _ => None,
            }));
            let english = labels(Lang::En).render(&reason);
            for lang in [Lang::En, Lang::Nl, Lang::Fr] {
                let text = labels(lang).render(&reason);
                // Every placeholder filled, and no key shown in place of a missing text.
                assert!(
                    !text.contains('{') && keys.iter().all(|k| !text.contains(k)),
                    "{lang:?}: {text}"
                );
                // Only scoreboard's own internal failures stay English.
                if lang != Lang::En && !matches!(e, ReadError::Aborted(Abort::Lost(_))) {
                    assert_ne!(text, english, "{lang:?}");
                }
            }
        }
        assert_eq!(
            labels(Lang::Nl).render(&errors[0].reason()),
            "geen toestemming om het bestand te lezen; vraag leesrechten of kopieer het naar een \
             map die u kunt lezen"
        );
        assert_eq!(
            labels(Lang::Fr).render(&errors[1].reason()),
            "le fichier est vide (0 octet) ; redemandez-le"
        );
        assert_eq!(
            errors[8].to_string(),
            "reading took longer than 300 s and was stopped; the file may be malformed or too large"
        );
        assert_eq!(
            labels(Lang::Nl).render(&errors[8].reason()),
            "het lezen duurde langer dan 300 s en werd gestopt; het bestand is misschien misvormd \
             of te groot"
        );
        assert_eq!(
            labels(Lang::Fr).render(&errors[5].reason()),
            "le fichier est trop volumineux pour être lu sans risque : ses parties se \
             décompressent en 2\u{a0}048,5 Mio, au-delà de la limite de 1\u{a0}024 Mio ; si le \
             fichier est authentique, relevez la limite avec --read-max-unpacked-mb"
        );
        assert_eq!(
            errors[9].to_string(),
            "the spreadsheet reader aborted (signal 6); the file is malformed or needs more than \
             4,096 MiB (a genuinely large file reads with a higher --read-memory-mb; otherwise, if \
             it opens in Excel or LibreOffice, save it again as .xlsx)"
        );
    }
}
