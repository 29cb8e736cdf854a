//! One sheet as CSV: UTF-8 (optionally with a BOM), the chosen separator, CRLF line ends
//! (RFC 4180, what Excel writes), quoting by the csv crate, and text cells that a spreadsheet
//! would run as a formula defused with a leading `'` (spec 7) unless `--raw`.

use super::sheet::{cell_text, Table};
use super::{ConvertError, ConvertOptions};
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
    if options.bom {
        out.write_all("\u{FEFF}".as_bytes())
            .map_err(ConvertError::io)?;
    }
    let mut csv = csv::WriterBuilder::new()
        .delimiter(options.sep)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    if table.header.is_some() {
        csv.write_record(table.columns.iter().map(|c| defuse(&c.name, options.raw)))
            .map_err(ConvertError::io)?;
    }
    let mut record = vec![String::new(); table.columns.len()];
    let mut rows = 0u64;
    table.for_each_data_row(|row| {
        record.iter_mut().for_each(String::clear);
        for (col, cell) in &row.cells {
            if let Some(field) = record.get_mut((col - table.first_col) as usize) {
                *field = match cell {
                    RawCell::Text(t) => defuse(t, options.raw),
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

/// A text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return
/// first: OWASP's CSV injection list) gets a leading `'`, unless `raw`.
pub(super) fn defuse(text: &str, raw: bool) -> String {
    if !raw && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_defused_unless_raw() {
        for (text, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+32 2 555 01 01", "'+32 2 555 01 01"),
            ("-", "'-"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Plan 2025 = ok", "Plan 2025 = ok"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(defuse(text, false), safe, "{text:?}");
            assert_eq!(defuse(text, true), text, "{text:?}");
        }
    }
}
