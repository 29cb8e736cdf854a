//! Domain types shared by every stage: where a value came from, what went wrong with it,
//! and the typed values of the plan (deadlines, statuses, periods). No I/O happens here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Where a row came from, as the analyst would find it in Excel (1-based row). Sixteen bytes:
/// the sheet's [`Place`] is shared by all its rows (millions of rows, one place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file and sheet.
    pub place: Arc<Place>,
    /// Row number as Excel shows it (1-based).
    pub row: u32,
}

/// A sheet of an input file, shared by the [`Origin`]s of its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Path of the source file as shown to the analyst (relative to the input folder given).
    pub file: Arc<str>,
    /// Sheet name; the file stem for CSV.
    pub sheet: Arc<str>,
    /// For the rows of a table: the sheet column (0-based) of each column of its kind, if the
    /// sheet has it (for cell references). Empty elsewhere.
    pub columns: Box<[Option<u32>]>,
    /// For the rows of a table: the header of each column of its kind as the file writes it
    /// (`Uiterste datum`), so that messages name columns in the directorate's own words.
    pub headers: Box<[Option<Arc<str>>]>,
}

impl Origin {
    /// Row `row` of a sheet.
    pub fn new(file: &Arc<str>, sheet: &Arc<str>, row: u32) -> Origin {
        Origin {
            place: Arc::new(Place {
                file: file.clone(),
                sheet: sheet.clone(),
                columns: Box::new([]),
                headers: Box::new([]),
            }),
            row,
        }
    }

    /// The file as shown to the analyst.
    pub fn file(&self) -> &str {
        &self.place.file
    }

    /// The sheet name.
    pub fn sheet(&self) -> &str {
        &self.place.sheet
    }

    /// The sheet column (0-based) that held kind column `i` of this row's table, if known.
    pub fn sheet_column(&self, i: usize) -> Option<u32> {
        self.place.columns.get(i).copied().flatten()
    }

    /// Excel reference of the cell holding kind column `i` (the row number alone if unknown).
    pub fn cell_ref(&self, i: usize) -> String {
        match self.sheet_column(i) {
            Some(c) => cell_ref(c, self.row),
            None => self.row.to_string(),
        }
    }

    /// The header of kind column `i` as the file writes it, if known.
    pub fn header(&self, i: usize) -> Option<&str> {
        self.place.headers.get(i).and_then(|h| h.as_deref())
    }
}

/// How serious an issue is: `Error` drops the row (or file), `Warning` keeps it,
/// `Info` records a deliberate skip (a total row, an ignored sheet, a superseded snapshot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// The row or file was left out.
    Error,
    /// The row was kept; a value was blanked or interpreted.
    Warning,
    /// Nothing was lost; the tool tells what it did.
    Info,
}

impl Severity {
    /// Lower-case name used in the Issues sheet and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A sentence for people, kept as data: a key of the message catalogue (`src/i18n/*.toml`,
/// section `[reason]`) and its named arguments. It is rendered in the reader's language only
/// when written (Issues sheet, `check`); `Display` renders it in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// Catalogue key such as `cell.unreadable`.
    pub key: &'static str,
    /// Named arguments, substituted for `{name}` in the message.
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Reason`]: text shown as is (a cell value, a file name, a number), or a
/// phrase that is itself translated (`a date` in "cannot read … as a date").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// Shown as is, in every language.
    Text(String),
    /// A whole number, its thousands grouped as the language groups them (`100,000` in
    /// English, `100.000` in Dutch).
    Count(u64),
    /// A number given in tenths, shown with one decimal and its thousands grouped (`20485` →
    /// `2,048.5` in English, `2.048,5` in Dutch).
    Tenths(u64),
    /// Rendered by the catalogue, like the reason around it.
    Reason(Reason),
    /// A table kind (`actions`), shown by its name in the reader's language (`acties`).
    Kind(&'static str),
    /// Columns of a table kind, each named as the file names it and by its canonical name:
    /// `“Datum afgewerkt” (completed_on)`, joined by commas.
    Columns(Vec<ColumnName>),
    /// Texts from a file, each in the reader's quotation marks, joined by commas (`none`
    /// when there is none).
    Quoted(Vec<String>),
    /// A day, written as the labels write dates (`31/03/2025`).
    Date(chrono::NaiveDate),
}

/// A column as a message names it to the directorate that sent the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnName {
    /// The table kind.
    pub kind: &'static str,
    /// The kind's column (canonical name, shown in parentheses).
    pub column: &'static str,
    /// The header as the file writes it; when the file has no such column, the template's
    /// header in `lang` (the file's language), else in the reader's.
    pub header: Option<String>,
    /// The language of the file's header row, if it tells.
    pub lang: Option<Lang>,
}

impl Reason {
    /// A reason without arguments.
    pub fn new(key: &'static str) -> Self {
        Reason {
            key,
            args: Vec::new(),
        }
    }

    /// The same reason with `{name}` standing for `value`, shown as is.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// The same reason with `{name}` standing for a day (`31/03/2025` in every language).
    pub fn date(mut self, name: &'static str, d: chrono::NaiveDate) -> Self {
        self.args.push((name, Arg::Date(d)));
        self
    }

    /// The same reason with `{name}` standing for a whole number, grouped by the language.
    pub fn count(mut self, name: &'static str, n: u64) -> Self {
        self.args.push((name, Arg::Count(n)));
        self
    }

    /// The same reason with `{name}` standing for a number given in tenths (one decimal shown).
    pub fn tenths(mut self, name: &'static str, tenths: u64) -> Self {
        self.args.push((name, Arg::Tenths(tenths)));
        self
    }

    /// The same reason with `{name}` standing for a table kind, named in the reader's language.
    pub fn kind(mut self, name: &'static str, kind: &'static str) -> Self {
        self.args.push((name, Arg::Kind(kind)));
        self
    }

    /// The same reason with `{name}` standing for columns named in the file's words.
    pub fn columns(mut self, name: &'static str, columns: Vec<ColumnName>) -> Self {
        self.args.push((name, Arg::Columns(columns)));
        self
    }

    /// The same reason with `{name}` standing for texts from a file, each quoted.
    pub fn quoted(mut self, name: &'static str, texts: Vec<String>) -> Self {
        self.args.push((name, Arg::Quoted(texts)));
        self
    }

    /// The same reason with `{name}` standing for another translated phrase.
    pub fn phrase(mut self, name: &'static str, phrase: Reason) -> Self {
        self.args.push((name, Arg::Reason(phrase)));
        self
    }
}

/// One problem found in the inputs: what, where, how bad. Row problems are data, not errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Source file.
    pub file: String,
    /// Sheet name (empty for file-level issues).
    pub sheet: String,
    /// Cell reference such as `F17`, a row reference such as `17`, or empty.
    pub cell: String,
    /// The offending value as the cell shows it (may be empty): text as typed, a date cell as
    /// `dd/mm/yyyy`.
    pub value: String,
    /// What the tool read the value as (`2024-10-21`, `0.992`), when it read one; else empty.
    pub parsed: String,
    /// Error, warning or info.
    pub severity: Severity,
    /// Plain-language reason, with what the tool did about it, as catalogue key + arguments.
    pub reason: Reason,
}

impl Issue {
    /// An issue about one cell of a row.
    pub fn at_cell(
        origin: &Origin,
        col: u32,
        value: impl Into<String>,
        severity: Severity,
        reason: Reason,
    ) -> Self {
        Issue {
            file: origin.file().to_string(),
            sheet: origin.sheet().to_string(),
            cell: cell_ref(col, origin.row),
            value: value.into(),
            parsed: String::new(),
            severity,
            reason,
        }
    }

    /// An issue about kind column `i` of a row: at its cell when the sheet has the column, else
    /// about the row (never a made-up cell in column A).
    pub fn at_column(
        origin: &Origin,
        i: usize,
        value: impl Into<String>,
        severity: Severity,
        reason: Reason,
    ) -> Self {
        match origin.sheet_column(i) {
            Some(c) => Issue::at_cell(origin, c, value, severity, reason),
            None => Issue {
                value: value.into(),
                ..Issue::at_row(origin, severity, reason)
            },
        }
    }

    /// An issue about a whole row.
    pub fn at_row(origin: &Origin, severity: Severity, reason: Reason) -> Self {
        Issue {
            file: origin.file().to_string(),
            sheet: origin.sheet().to_string(),
            cell: origin.row.to_string(),
            value: String::new(),
            parsed: String::new(),
            severity,
            reason,
        }
    }

    /// An issue about a whole file or sheet.
    pub fn at_file(
        file: impl Into<String>,
        sheet: impl Into<String>,
        severity: Severity,
        reason: Reason,
    ) -> Self {
        Issue {
            file: file.into(),
            sheet: sheet.into(),
            cell: String::new(),
            value: String::new(),
            parsed: String::new(),
            severity,
            reason,
        }
    }

    /// The same issue with the value the tool read from the cell.
    #[must_use]
    pub fn parsed_as(mut self, parsed: impl Into<String>) -> Self {
        self.parsed = parsed.into();
        self
    }
}

/// Label language of the workbook and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Dutch.
    Nl,
    /// French.
    Fr,
}

impl Lang {
    /// The language of an ISO 639-1 code (`en`, `nl`, `fr`), case-insensitive.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }
}

/// Days since 1970-01-01: how polars stores a `Date`.
pub fn epoch_days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

/// Excel column letters for a 0-based column index (0 → `A`, 27 → `AB`; past Excel's last
/// column `XFD`, `XFD`), from rust_xlsxwriter's own utility.
pub fn column_letters(col: u32) -> String {
    rust_xlsxwriter::utility::column_number_to_name(col.min(16_383) as u16)
}

/// Excel cell reference for a 0-based column and a 1-based row (`F17`).
pub fn cell_ref(col: u32, row: u32) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(row.saturating_sub(1), col.min(16_383) as u16)
}

/// How precisely a resolved deadline was given; a coarse period resolves to its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Precision {
    /// A calendar day.
    Day,
    /// A month such as `maart 2025`.
    Month,
    /// A quarter such as `Q2 2025`.
    Quarter,
    /// A half year such as `S1 2025`.
    Half,
    /// A year such as `2025`.
    Year,
}

/// A deadline of the operational plan, as written by a directorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deadline {
    /// A date, possibly the last day of a coarser period.
    Date(NaiveDate, Precision),
    /// `doorlopend`, `continu`, `ongoing`: never late by construction.
    Continuous,
    /// `maandelijks`, `twee keer per jaar`: a recurring schedule, treated as continuous.
    Recurring,
    /// `einde mandaat`: the end of the manager's mandate (a config date, if any).
    EndOfMandate,
}

impl Deadline {
    /// Short machine name of the deadline's kind, used in data sheets and exports.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Deadline::Date(_, Precision::Day) => "date",
            Deadline::Date(_, Precision::Month) => "month",
            Deadline::Date(_, Precision::Quarter) => "quarter",
            Deadline::Date(_, Precision::Half) => "half_year",
            Deadline::Date(_, Precision::Year) => "year",
            Deadline::Continuous => "continuous",
            Deadline::Recurring => "recurring",
            Deadline::EndOfMandate => "end_of_mandate",
        }
    }

    /// The resolved date, if the deadline has one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Deadline::Date(d, _) => Some(*d),
            _ => None,
        }
    }
}

/// Canonical status of an action, whatever language the scoreboard was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Not started yet.
    NotStarted,
    /// Being carried out.
    InProgress,
    /// Finished.
    Done,
    /// Dropped from the plan: left out of every KPI.
    Cancelled,
    /// On hold.
    Postponed,
    /// Text nobody recognised: kept in the data, left out of the KPIs.
    Unknown,
}

impl Status {
    /// Machine name (`not_started`, `done`, …) used in data sheets and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::Postponed => "postponed",
            Status::Unknown => "unknown",
        }
    }
}

/// Direction in which an indicator improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Polarity {
    /// Higher is better (the default).
    Higher,
    /// Lower is better.
    Lower,
}

impl Polarity {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Higher => "higher",
            Polarity::Lower => "lower",
        }
    }
}

/// Granularity of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grain {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    Year,
}

/// A reporting period (month, quarter or year) identified by its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    /// First day of the period.
    pub start: NaiveDate,
    /// Its length.
    pub grain: Grain,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        let (y, m) = (self.start.year(), self.start.month());
        match self.grain {
            Grain::Month => write!(f, "{y:04}-{m:02}"),
            Grain::Quarter => write!(f, "{y:04}-Q{}", (m - 1) / 3 + 1),
            Grain::Year => write!(f, "{y:04}"),
        }
    }
}

/// A typed cell value after its column's parser ran.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing, or a value that could not be read (an issue says which).
    Empty,
    /// Text or an identifier; shared between the rows of a file that hold the same text (an
    /// employee, a directorate), so a million rows do not hold a million copies. A thin
    /// pointer (`ArcStr`, its length beside the text), so that a value is 16 bytes, not 24:
    /// 1.2 million typed rows hold 6.6 million values (docs/performance.md).
    Text(arcstr::ArcStr),
    /// A number, or a percentage as a fraction.
    Number(f64),
    /// A calendar date.
    Date(NaiveDate),
    /// A deadline.
    Deadline(Deadline),
    /// A reporting period.
    Period(Period),
    /// An action status.
    Status(Status),
    /// An indicator polarity.
    Polarity(Polarity),
    /// Yes or no.
    Bool(bool),
}

impl Value {
    /// True for [`Value::Empty`].
    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// The text, for text values.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The date, for date values.
    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// The number, for numeric values.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The deadline, for deadline values.
    pub fn as_deadline(&self) -> Option<Deadline> {
        match self {
            Value::Deadline(d) => Some(*d),
            _ => None,
        }
    }

    /// What the value was read as, language-neutral (`2024-10-21`, `0.992`, `done`,
    /// `2025-Q2`; a deadline by its date or its kind), for `check`'s `parsed` field.
    pub fn to_text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Deadline(d) => d
                .date()
                .map_or_else(|| d.kind_name().to_string(), |d| d.to_string()),
            Value::Period(p) => p.to_string(),
            Value::Status(s) => s.as_str().to_string(),
            Value::Polarity(p) => p.as_str().to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_come_from_rust_xlsxwriter_and_reach_the_last_cell() {
        assert_eq!(cell_ref(0, 1), "A1");
        assert_eq!(cell_ref(5, 17), "F17");
        assert_eq!(cell_ref(27, 3), "AB3");
        assert_eq!(cell_ref(16_383, 1_048_576), "XFD1048576");
        assert_eq!(column_letters(16_383), "XFD");
    }

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(5), "F");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
        assert_eq!(cell_ref(5, 17), "F17");
    }

    #[test]
    fn period_labels() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        assert_eq!(
            Period {
                start: d,
                grain: Grain::Month
            }
            .to_string(),
            "2025-04"
        );
        assert_eq!(
            Period {
                start: d,
                grain: Grain::Quarter
            }
            .to_string(),
            "2025-Q2"
        );
        assert_eq!(
            Period {
                start: d,
                grain: Grain::Year
            }
            .to_string(),
            "2025"
        );
    }
}

/// A cell correction to apply while a file is typed (made by `crate::corrections`): the value
/// read instead of the cell's own, and the note the Issues sheet shows for it.
#[derive(Debug, Clone, PartialEq)]
pub struct CellFix {
    /// The sheet.
    pub sheet: String,
    /// 0-based row index.
    pub row: u32,
    /// 0-based column.
    pub col: u32,
    /// The value read instead, as if typed in the cell.
    pub value: String,
    /// The cell as it was typed.
    pub original: String,
    /// The note: who corrected it, when and why.
    pub note: Reason,
}
