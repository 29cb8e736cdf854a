//! Output options that several commands share, as plain data with the rules they imply: the
//! dialect of every CSV the tool writes, and `convert`'s options. Below `config`, `convert` and
//! `write`, which all use them; no I/O, nothing above `parse`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// How a number writes its decimals in CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decimal {
    /// `142.5`: what programs read.
    Point,
    /// `142,5`: what Excel reads as a number in Belgium (nl-BE, fr-BE), where `142.5` is text.
    Comma,
}

impl Decimal {
    /// `point` or `comma`, as `--decimal` and `[output] csv_decimal` name it.
    pub fn name(self) -> &'static str {
        match self {
            Decimal::Point => "point",
            Decimal::Comma => "comma",
        }
    }

    /// The decimal mark named `point` or `comma`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "point" => Some(Decimal::Point),
            "comma" => Some(Decimal::Comma),
            _ => None,
        }
    }
}

/// The dialect of every CSV the tool writes (`convert --to csv`, the `--kpis` CSV), decided
/// once from `--sep`, `--bom`, `--decimal` and `[output]` (`config::csv_style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvStyle {
    /// Field separator.
    pub sep: u8,
    /// Start with a UTF-8 byte-order mark (Excel then reads the file as UTF-8).
    pub bom: bool,
    /// Decimal mark of numbers.
    pub decimal: Decimal,
}

impl Default for CsvStyle {
    /// `,`, no BOM, decimal point: RFC 4180, what programs read.
    fn default() -> Self {
        CsvStyle {
            sep: b',',
            bom: false,
            decimal: Decimal::Point,
        }
    }
}

impl CsvStyle {
    /// The decimal mark that goes with a separator when none is chosen: a comma with `;`
    /// (Excel's CSV in Belgium), a point otherwise.
    pub fn default_decimal(sep: u8) -> Decimal {
        if sep == b';' {
            Decimal::Comma
        } else {
            Decimal::Point
        }
    }

    /// A number's text (`142.5`, `-0.81`, `1.5e-9`) with this dialect's decimal mark.
    pub fn number<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.decimal {
            Decimal::Comma if text.contains('.') => Cow::Owned(text.replace('.', ",")),
            _ => Cow::Borrowed(text),
        }
    }
}

/// The separator named by `--sep` or `[output] csv_separator`: `,` `;` `|` or a tab (`tab`,
/// `\t` or the character itself).
pub fn separator_from_name(name: &str) -> Option<u8> {
    match name {
        "," => Some(b','),
        ";" => Some(b';'),
        "|" => Some(b'|'),
        "\t" | "\\t" | "tab" => Some(b'\t'),
        _ => None,
    }
}

/// The name [`separator_from_name`] reads back (`tab` for a tab).
pub fn separator_name(sep: u8) -> &'static str {
    match sep {
        b';' => ";",
        b'|' => "|",
        b'\t' => "tab",
        _ => ",",
    }
}

/// A text cell as it must be written in CSV to be shown as that text when a spreadsheet opens
/// the file: with a leading `'` when Excel or LibreOffice would run it as a formula or turn it
/// into a date or time ([`spreadsheet_would_change`]); as it is otherwise. The `'` shows in the
/// cell: what the person sees is the text, never a formula's result or another day. Our own
/// CSV reader drops that `'` again (`read::csv_text`).
pub fn guard_text(text: &str) -> Cow<'_, str> {
    if spreadsheet_would_change(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// True for text that a spreadsheet opening a CSV would not keep as that text: a formula
/// ([`runs_as_formula`]) or a date or time ([`reads_as_date`]).
pub fn spreadsheet_would_change(text: &str) -> bool {
    runs_as_formula(text) || reads_as_date(text)
}

/// Text that Excel or LibreOffice would run as a formula: it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return (OWASP's CSV-injection list).
pub fn runs_as_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text that Excel turns into a date or a time when it opens a CSV, in Belgium or elsewhere:
/// numbers joined by `/` or `-` that make a day and month, a month and year or a year and month
/// (`4/5`, `10-20`, `3/2025`, `2025-03`), three numbers joined by `/`, `-` or `.` (`1.2.25`,
/// `15/03/2025`), a month name or abbreviation in Dutch, French or English with a day or a year
/// (`maart 2025`, `4 mei`, `janv-25`, `March 5`), or a time of day (`8:30`, `12:30:15`).
/// `Q2 2025`, `2024-2025`, `1.5` and a month name alone stay text.
pub fn reads_as_date(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() || t.len() > 40 {
        return false;
    }
    is_time_of_day(t) || is_numeric_date(t) || is_named_month_date(t)
}

fn digits(part: &str) -> Option<u32> {
    (!part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse().ok())
        .flatten()
}

fn is_time_of_day(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    match parts.as_slice() {
        [h, m] | [h, m, _] if parts.iter().skip(1).all(|p| p.len() == 2) => {
            let all = parts.iter().all(|p| digits(p).is_some());
            all && h.len() <= 2
                && digits(h).is_some_and(|h| h < 24)
                && digits(m).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

fn is_numeric_date(t: &str) -> bool {
    let Some(sep) = t.chars().find(|c| matches!(c, '/' | '-' | '.')) else {
        return false;
    };
    let parts: Vec<Option<u32>> = t.split(sep).map(digits).collect();
    let month = |n: u32| (1..=12).contains(&n);
    let day = |n: u32| (1..=31).contains(&n);
    let year = |n: u32, len: usize| len <= 2 || (1900..=9999).contains(&n);
    match parts.as_slice() {
        // `4.5` is a number where the point is the decimal mark, never a date.
        [Some(a), Some(b)] if sep != '.' => {
            let (la, lb) = t
                .split_once(sep)
                .map_or((0, 0), |(x, y)| (x.len(), y.len()));
            (day(*a) && month(*b))
                || (month(*a) && day(*b))
                || (month(*a) && year(*b, lb))
                || (la == 4 && year(*a, la) && month(*b))
        }
        [Some(_), Some(_), Some(_)] => true,
        _ => false,
    }
}

fn is_named_month_date(t: &str) -> bool {
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '.' | ','))
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=3).contains(&tokens.len()) {
        return false;
    }
    let months = tokens
        .iter()
        .filter(|w| crate::parse::month_from_name(w).is_some())
        .count();
    let numbers = tokens.iter().filter(|w| digits(w).is_some()).count();
    months == 1 && numbers == tokens.len() - 1
}

/// The output format of a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// One workbook per input, the same sheets.
    Xlsx,
    /// One CSV file per sheet.
    Csv,
    /// One Parquet file per sheet.
    Parquet,
}

impl Target {
    /// The name used by `--to` and as the file extension.
    pub fn name(self) -> &'static str {
        match self {
            Target::Xlsx => "xlsx",
            Target::Csv => "csv",
            Target::Parquet => "parquet",
        }
    }

    /// The target named by `--to`.
    pub fn from_name(name: &str) -> Option<Target> {
        match name.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Target::Xlsx),
            "csv" => Some(Target::Csv),
            "parquet" => Some(Target::Parquet),
            _ => None,
        }
    }
}

/// Which row of a sheet holds the column names (csv and parquet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HeaderRow {
    /// The header row `report` finds when the sheet is a known table kind, else the first
    /// non-empty row.
    Auto,
    /// This 1-based row, as Excel numbers it; rows above it are left out.
    Row(u32),
    /// No header: every row is data, columns are named by their letters (A, B, …).
    None,
}

/// How files are converted, validated once (`config::ConvertConfig`) and handed to each reader
/// process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvertOptions {
    /// Output format.
    pub target: Target,
    /// The CSV dialect (csv only).
    pub csv: CsvStyle,
    /// Write CSV text cells as they are, without the `'` of [`guard_text`].
    pub raw: bool,
    /// Where the header row is (csv and parquet).
    pub header_row: HeaderRow,
    /// With [`HeaderRow::Auto`] on a known table kind: columns get their canonical names.
    pub canonical: bool,
    /// The language of the notes and reasons a conversion gives.
    pub lang: crate::model::Lang,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_excel_turns_into_a_date_or_time_is_told_apart() {
        for date in [
            "4/5",
            "13/5",
            "5/13",
            "10-20",
            "3/2025",
            "12/25",
            "2025-03",
            "1.2.25",
            "1-2-3",
            "15/03/2025",
            "2025-03-15",
            "maart 2025",
            "Maart 2025",
            "mrt-25",
            "4 mei",
            "janv-25",
            "15 mars 2025",
            "March 5, 2025",
            "8:30",
            "12:30:15",
            " 4/5 ",
        ] {
            assert!(reads_as_date(date), "{date}");
            assert_eq!(guard_text(date), format!("'{date}"), "{date}");
        }
        for text in [
            "Q2 2025",
            "S1 2025",
            "2024-2025",
            "25-50",
            "1.5",
            "142.5",
            "maart",
            "doorlopend",
            "einde mandaat",
            "Plan 2025",
            "A-12",
            "4/5 van de acties",
            "24:00",
            "8:5",
            "0/0",
            "",
            "12345/1",
        ] {
            assert!(!reads_as_date(text), "{text}");
        }
        assert_eq!(guard_text("Plan 2025"), "Plan 2025");
        assert_eq!(guard_text("=1+1"), "'=1+1");
        assert_eq!(guard_text("-"), "'-");
    }

    #[test]
    fn numbers_take_the_dialect_decimal_mark() {
        let comma = CsvStyle {
            sep: b';',
            bom: true,
            decimal: Decimal::Comma,
        };
        assert_eq!(comma.number("142.5"), "142,5");
        assert_eq!(comma.number("-0.81"), "-0,81");
        assert_eq!(comma.number("1.5e-9"), "1,5e-9");
        assert_eq!(comma.number("12"), "12");
        assert_eq!(CsvStyle::default().number("142.5"), "142.5");
        assert_eq!(CsvStyle::default_decimal(b';'), Decimal::Comma);
        assert_eq!(CsvStyle::default_decimal(b','), Decimal::Point);
        assert_eq!(CsvStyle::default_decimal(b'\t'), Decimal::Point);
        for sep in [b',', b';', b'|', b'\t'] {
            assert_eq!(separator_from_name(separator_name(sep)), Some(sep));
        }
        assert_eq!(separator_from_name(":"), None);
        assert_eq!(Decimal::from_name("Comma"), Some(Decimal::Comma));
        assert_eq!(Decimal::from_name("dot"), None);
    }
}
