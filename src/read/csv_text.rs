//! Delimited text as Belgian Excel writes it: `;` separators, Windows-1252, decimal commas —
//! and every other combination of `,` `;` tab, UTF-8 (with or without BOM) and UTF-16.

use super::source::Emit;
use super::{Format, RawCell, RawRow, ReadError, ReadNote, SheetSource};
use chrono::NaiveTime;
use std::path::Path;

/// A CSV field typed as a spreadsheet would hold it, so that CSV and workbook inputs meet the
/// column parsers alike: a number when the text is one written plainly (`12`, `-3,5`, `0.75`)
/// and reads back to the same text; a date, date-time or time of day when it is one written
/// with digits (`15/03/2025`, `2025-03-15`, `15.03.2025 08:30`, `08:30`), as Excel types them
/// when it opens a CSV in Belgium. Anything else — ids with leading zeros (`007`), `1.10`,
/// thousands separators, percentages, `maart 2025` — stays text, for the column's own parser.
pub(super) fn typed_text_cell(field: &str) -> RawCell {
    // The `'` a CSV writer (ours: `options::guard_text`) puts before text that a spreadsheet
    // would otherwise run as a formula or turn into a date: the text is what follows.
    if let Some(text) = field
        .strip_prefix('\'')
        .filter(|t| crate::options::spreadsheet_would_change(t))
    {
        return RawCell::Text(text.to_string());
    }
    let t = field.trim();
    // No number or date is this long; a long text (a 100 MB line) is not scanned twice more.
    if t.len() > 64 {
        return RawCell::Text(field.to_string());
    }
    if let Some(p) = crate::parse::parse_number_text(t) {
        let plain = format_plain(p.value);
        if !p.percent_sign && (plain == t || plain.replace('.', ",") == t) {
            return RawCell::Number(p.value);
        }
    }
    temporal_cell(t).unwrap_or_else(|| RawCell::Text(field.to_string()))
}

/// A date (`15/03/2025`, `2025-03-15`), a date and a time (`15/03/2025 08:30`,
/// `2025-03-15T08:30:00`) or a time of day (`08:30`, `08:30:15`).
fn temporal_cell(text: &str) -> Option<RawCell> {
    let time = |t: &str| {
        ["%H:%M:%S%.f", "%H:%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(t, f).ok())
    };
    // Four-digit years only: `01.02.03` is more likely a plan number than a date.
    let date = |t: &str| {
        t.split(['-', '/', '.'])
            .any(|part| part.len() == 4)
            .then(|| crate::parse::parse_numeric_date(t))
            .flatten()
    };
    match text.split_once(['T', ' ']) {
        Some((day, at)) => {
            let day = date(day)?;
            let at = time(at.trim())?;
            Some(RawCell::DateTime(day.and_time(at)))
        }
        None if text.contains(':') => time(text).map(RawCell::Time),
        None => date(text).map(RawCell::Date),
    }
}

fn format_plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A CSV file as a source of one sheet named after the file: decoded, its separator found,
/// its rows streamed with Excel's row numbers.
pub(super) struct CsvSource {
    name: String,
    text: String,
    delimiter: u8,
    row_offset: u32,
    notes: Vec<ReadNote>,
}

impl CsvSource {
    /// Decodes the bytes and finds the separator.
    pub(super) fn new(path: &Path, bytes: &[u8]) -> Self {
        let mut notes = Vec::new();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb" | "ods") {
            notes.push(ReadNote::TextNamedAsWorkbook(extension));
        }
        let (mut text, encoding) = decode(bytes);
        if encoding != "UTF-8" {
            notes.push(ReadNote::Encoding(encoding.to_string()));
        }
        let nuls = text.matches('\0').count();
        if nuls > 0 {
            // Excel drops them too; they are never data.
            text.retain(|c| c != '\0');
            notes.push(ReadNote::NulsRemoved(nuls));
        }
        let (text, hinted) = match text.strip_prefix("sep=") {
            // Excel's own hint line: `sep=;`
            Some(rest) if rest.len() > 1 => {
                let sep = rest.as_bytes()[0];
                let body = rest.split_once('\n').map_or("", |(_, b)| b);
                (body.to_string(), Some((sep, 1u32)))
            }
            _ => (text, None),
        };
        let tab_first = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
        let (delimiter, row_offset) = hinted.unwrap_or((detect_delimiter(&text, tab_first), 0));
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("csv")
            .to_string();
        Self {
            name,
            text,
            delimiter,
            row_offset,
            notes,
        }
    }
}

impl SheetSource for CsvSource {
    fn format(&self) -> Format {
        Format::Csv
    }

    fn sheet_names(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    fn stream_rows(&mut self, _sheet: &str, emit: &mut Emit<'_>) -> Result<(), ReadError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.text.as_bytes());
        let mut record = csv::StringRecord::new();
        // Excel shows one row per line, blank lines included (the csv crate skips them), and one
        // row for a record whose quoted field spans several lines.
        // Line of a record = newlines before its first byte (counted incrementally).
        let bytes = self.text.as_bytes();
        let (mut scanned, mut lines_before) = (0usize, 0u64);
        let mut folded_lines = 0u64;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let mut start = record
                        .position()
                        .map_or(scanned, |p| p.byte() as usize)
                        .min(bytes.len());
                    // The reported start includes the blank lines the reader skipped.
                    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                        start += 1;
                    }
                    if start > scanned {
                        lines_before += bytes[scanned..start]
                            .iter()
                            .filter(|b| **b == b'\n')
                            .count() as u64;
                        scanned = start;
                    }
                    let index = (lines_before - folded_lines) as u32 + self.row_offset;
                    folded_lines += record
                        .iter()
                        .map(|f| f.matches('\n').count() as u64)
                        .sum::<u64>();
                    let cells: Vec<(u32, RawCell)> = record
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.trim().is_empty())
                        .map(|(c, v)| (c as u32, typed_text_cell(v)))
                        .collect();
                    if !cells.is_empty() {
                        emit(RawRow { index, cells })?;
                    }
                }
                Err(e) => self.notes.push(ReadNote::RecordSkipped(e.to_string())),
            }
        }
        Ok(())
    }

    fn notes(&self) -> Vec<ReadNote> {
        self.notes.clone()
    }
}

/// Decodes UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252 (Excel's Belgian default)
/// line by line: a file pasted together from two exports keeps its UTF-8 lines (Windows-1252
/// accents are never valid UTF-8, so a line that is valid UTF-8 is UTF-8).
fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "UTF-8");
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut utf8_lines = 0;
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => {
                utf8_lines += usize::from(!s.is_ascii());
                text.push_str(s);
            }
            Err(_) => text.push_str(
                &encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(line)
                    .0,
            ),
        }
    }
    let encoding = if utf8_lines > 0 {
        "Windows-1252, with some lines in UTF-8"
    } else {
        "Windows-1252"
    };
    (text, encoding)
}

/// Picks the separator that splits the most lines into the same number of fields;
/// `;` wins ties because decimal commas make `,` look plausible in Belgian files.
fn detect_delimiter(text: &str, tab_first: bool) -> u8 {
    // The first 64 KiB of each line are enough to count separators (a line may be 100 MB).
    let lines: Vec<&[u8]> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .map(|l| &l.as_bytes()[..l.len().min(64 * 1024)])
        .collect();
    let order: [u8; 3] = if tab_first {
        [b'\t', b';', b',']
    } else {
        [b';', b'\t', b',']
    };
    let mut best = (order[0], 0usize);
    for sep in order {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, sep)).collect();
        let mut freq = std::collections::HashMap::new();
        for &c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(c).or_insert(0usize) += 1;
        }
        let score = freq.values().copied().max().unwrap_or(0);
        if score > best.1 {
            best = (sep, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &[u8], sep: u8) -> usize {
    let mut quoted = false;
    line.iter()
        .filter(|b| {
            if **b == b'"' {
                quoted = !quoted;
            }
            !quoted && **b == sep
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read_all, RawWorkbook};
    use chrono::NaiveDate;

    fn read_csv(path: &Path, bytes: &[u8]) -> RawWorkbook {
        read_all(Box::new(CsvSource::new(path, bytes)), &Default::default()).unwrap()
    }

    fn cells(wb: &RawWorkbook) -> Vec<Vec<String>> {
        wb.sheets[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|(_, c)| c.display()).collect())
            .collect()
    }

    #[test]
    fn belgian_excel_csv_semicolon_windows_1252() {
        // "Échéance;Montant\r\n1,5;Réalisé" in Windows-1252
        let bytes = b"\xc9ch\xe9ance;Montant\r\n1,5;R\xe9alis\xe9\r\n";
        let wb = read_csv(Path::new("x.csv"), bytes);
        assert_eq!(
            cells(&wb),
            vec![vec!["Échéance", "Montant"], vec!["1.5", "Réalisé"]]
        );
        assert_eq!(wb.sheets[0].rows[1].cells[0].1, RawCell::Number(1.5));
        assert_eq!(wb.notes, vec![ReadNote::Encoding("Windows-1252".into())]);
        assert_eq!(wb.notes[0].reason().to_string(), "read as Windows-1252");
    }

    #[test]
    fn csv_fields_are_typed_as_a_spreadsheet_types_them() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let cases = [
            ("12", RawCell::Number(12.0)),
            ("-3,5", RawCell::Number(-3.5)),
            ("0.75", RawCell::Number(0.75)),
            ("0,75", RawCell::Number(0.75)),
            ("007", RawCell::Text("007".into())),
            ("1.10", RawCell::Text("1.10".into())),
            ("1.234", RawCell::Text("1.234".into())),
            ("85%", RawCell::Text("85%".into())),
            ("A-12", RawCell::Text("A-12".into())),
            ("maart 2025", RawCell::Text("maart 2025".into())),
            ("Q2 2025", RawCell::Text("Q2 2025".into())),
            ("2025-03", RawCell::Text("2025-03".into())),
            ("1/2/3", RawCell::Text("1/2/3".into())),
            ("15/03/2025", RawCell::Date(day(2025, 3, 15))),
            ("2025-03-15", RawCell::Date(day(2025, 3, 15))),
            ("15.03.2025", RawCell::Date(day(2025, 3, 15))),
            ("15-03-2025", RawCell::Date(day(2025, 3, 15))),
            ("01.02.03", RawCell::Text("01.02.03".into())),
            ("31/02/2025", RawCell::Text("31/02/2025".into())),
            (
                "15/03/2025 08:30",
                RawCell::DateTime(day(2025, 3, 15).and_hms_opt(8, 30, 0).unwrap()),
            ),
            (
                "2025-03-15T08:30:15",
                RawCell::DateTime(day(2025, 3, 15).and_hms_opt(8, 30, 15).unwrap()),
            ),
            (
                "08:30",
                RawCell::Time(NaiveTime::from_hms_opt(8, 30, 0).unwrap()),
            ),
            ("25:61", RawCell::Text("25:61".into())),
            // The `'` that keeps text as text in a spreadsheet (what `convert` writes) is not
            // part of the text; before anything else it is.
            ("'maart 2025", RawCell::Text("maart 2025".into())),
            ("'4/5", RawCell::Text("4/5".into())),
            ("'08:30", RawCell::Text("08:30".into())),
            ("'=1+1", RawCell::Text("=1+1".into())),
            ("'quoted", RawCell::Text("'quoted".into())),
            ("'12", RawCell::Text("'12".into())),
        ];
        for (field, expected) in cases {
            assert_eq!(typed_text_cell(field), expected, "field {field:?}");
        }
    }

    #[test]
    fn utf8_bom_comma_and_tab_files() {
        let wb = read_csv(Path::new("x.csv"), "\u{feff}a,b\n1,2\n".as_bytes());
        assert_eq!(cells(&wb), vec![vec!["a", "b"], vec!["1", "2"]]);
        let wb = read_csv(Path::new("x.tsv"), b"a\tb;c\n1\t2;3\n");
        assert_eq!(cells(&wb), vec![vec!["a", "b;c"], vec!["1", "2;3"]]);
    }

    #[test]
    fn title_rows_do_not_fool_the_separator() {
        let text = "Scorebord directie, maart 2025\n\nID;Actie;Deadline\nA1;Iets, en meer;maart 2025\nA2;Nog iets;Q2 2025\n";
        let wb = read_csv(Path::new("x.csv"), text.as_bytes());
        assert_eq!(wb.sheets[0].rows[1].cells.len(), 3);
        assert_eq!(
            wb.sheets[0].rows[1].index, 2,
            "row indexes keep the blank line"
        );
    }

    #[test]
    fn excel_sep_hint_line_is_honoured() {
        let wb = read_csv(Path::new("x.csv"), b"sep=,\na,b\n1;2,3\n");
        assert_eq!(cells(&wb), vec![vec!["a", "b"], vec!["1;2", "3"]]);
        assert_eq!(wb.sheets[0].rows[0].index, 1);
    }

    #[test]
    fn quoted_line_breaks_count_as_one_excel_row() {
        let wb = read_csv(Path::new("x.csv"), b"a;b\n\"two\nlines\";x\n\nlast;y\n");
        let rows: Vec<u32> = wb.sheets[0].rows.iter().map(|r| r.index).collect();
        assert_eq!(rows, vec![0, 1, 3]);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "a\tb\n1\t2\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let wb = read_csv(Path::new("x.txt"), &bytes);
        assert_eq!(cells(&wb), vec![vec!["a", "b"], vec!["1", "2"]]);
    }
}
