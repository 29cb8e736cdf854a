//! One sheet as CSV in the run's dialect (`options::CsvStyle`: separator, BOM, decimal mark):
//! UTF-8, CRLF line ends (RFC 4180, what Excel writes), quoting by the csv crate, and text cells
//! that a spreadsheet would run as a formula (spec 7) or turn into a date guarded with a
//! leading `'` unless `--raw`.

use super::sheet::{cell_text, Table};
use super::{ConvertError, ConvertOptions};
use crate::options::guard_text;
use crate::read::RawCell;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes the table to `path`; returns the number of data rows written.
///
/// # Errors
/// An I/O error.
pub(super) fn write(
    table: &Table,
    options: &ConvertOptions,
    path: &Path,
) -> Result<u64, ConvertError> {
    let mut out = BufWriter::new(std::fs::File::create(path).map_err(ConvertError::io)?);
    let style = &options.csv;
    if style.bom {
        out.write_all("\u{FEFF}".as_bytes())
            .map_err(ConvertError::io)?;
    }
    let mut csv = csv::WriterBuilder::new()
        .delimiter(style.sep)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    if table.header.is_some() {
        csv.write_record(table.columns.iter().map(|c| text(&c.name, options.raw)))
            .map_err(ConvertError::io)?;
    }
    let mut record = vec![String::new(); table.columns.len()];
    let mut rows = 0u64;
    table.for_each_data_row(|row| {
        record.iter_mut().for_each(String::clear);
        for (col, cell) in &row.cells {
            if let Some(field) = record.get_mut((col - table.first_col) as usize) {
                *field = match cell {
                    RawCell::Text(t) => text(t, options.raw),
                    RawCell::Number(n) => style.number(&cell_text(&RawCell::Number(*n))).into(),
                    other => cell_text(other),
                };
            }
        }
        rows += 1;
        csv.write_record(&record).map_err(ConvertError::io)
    })?;
    let out = csv.into_inner().map_err(|e| ConvertError::io(e.error()))?;
    let file = out.into_inner().map_err(|e| ConvertError::io(e.error()))?;
    file.sync_all().map_err(ConvertError::io)?;
    Ok(rows)
}

/// A text cell as written: guarded with a leading `'` when a spreadsheet would not show it as
/// that text (`options::guard_text`: a formula, a date), unless `raw`.
fn text(text: &str, raw: bool) -> String {
    if raw {
        text.to_string()
    } else {
        guard_text(text).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_and_date_like_text_is_guarded_unless_raw() {
        for (given, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+32 2 555 01 01", "'+32 2 555 01 01"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("4/5", "'4/5"),
            ("maart 2025", "'maart 2025"),
            ("Plan 2025 = ok", "Plan 2025 = ok"),
            ("Q2 2025", "Q2 2025"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(text(given, false), safe, "{given:?}");
            assert_eq!(text(given, true), given, "{given:?}");
        }
    }
}
