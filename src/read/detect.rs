//! Decides a file's format from its first bytes, not only its extension: an `.xlsx` that is
//! really an OLE container is an encrypted workbook, a renamed `.xls` is still read.

use super::{NotSheet, ReadError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A readable input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// Office Open XML workbook (xlsx, xlsm).
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Delimited text (csv, tsv, txt).
    Csv,
}

impl Format {
    /// Lower-case name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

/// The extensions the tool picks up when it walks a folder.
pub const INPUT_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"];

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format of a file from its content and extension.
///
/// # Errors
/// [`ReadError::Encrypted`] for a password-protected OOXML workbook, [`ReadError::NotASpreadsheet`]
/// for binary content that is no workbook.
pub fn detect_format(path: &Path, bytes: &[u8]) -> Result<Format, ReadError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(match ext.as_str() {
            "ods" | "ots" => Format::Ods,
            "xlsb" => Format::Xlsb,
            _ if contains(bytes, b"content.xml") && contains(bytes, b"mimetype") => Format::Ods,
            _ => Format::Xlsx,
        });
    }
    if bytes.starts_with(OLE_MAGIC) {
        // Excel stores a password-protected xlsx inside an OLE container with these streams.
        if contains(bytes, &utf16(b"EncryptionInfo"))
            || contains(bytes, &utf16(b"EncryptedPackage"))
        {
            return Err(ReadError::Encrypted);
        }
        return Ok(Format::Xls);
    }
    if bytes.is_empty() {
        return Err(ReadError::NotASpreadsheet(NotSheet::Empty));
    }
    if is_old_excel(bytes) {
        return Err(ReadError::OldExcel);
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || looks_like_text(head) {
        return Ok(Format::Csv);
    }
    Err(ReadError::NotASpreadsheet(NotSheet::Binary {
        extension: ext.to_string(),
    }))
}

/// Text without NUL bytes, or text with a few stray ones (a CSV exported by an old system):
/// at most 1 % control bytes other than tab, line breaks and form feed. Binary content has
/// far more (random bytes about 11 %), UTF-16 without a byte-order mark half NUL bytes.
fn looks_like_text(head: &[u8]) -> bool {
    if !head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 100 <= head.len()
}

/// An Excel 2.x, 3.0 or 4.0 worksheet: a bare BIFF2/3/4 stream (no OLE container) that opens
/// with a BOF record (type 0x0009, 0x0209 or 0x0409) whose version field matches.
fn is_old_excel(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0x09, 0x00, 0x04 | 0x06, 0x00, ..] | [0x09, 0x02 | 0x04, 0x06, 0x00, ..]
    )
}

fn utf16(ascii: &[u8]) -> Vec<u8> {
    ascii.iter().flat_map(|b| [*b, 0]).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_over_extensions() {
        let p = Path::new("x.xlsx");
        assert_eq!(detect_format(p, b"PK\x03\x04rest").unwrap(), Format::Xlsx);
        assert_eq!(
            detect_format(Path::new("x.ods"), b"PK\x03\x04rest").unwrap(),
            Format::Ods
        );
        assert_eq!(
            detect_format(Path::new("x.xlsb"), b"PK\x03\x04").unwrap(),
            Format::Xlsb
        );
        assert_eq!(
            detect_format(Path::new("x.xlsx"), OLE_MAGIC).unwrap(),
            Format::Xls
        );
        assert_eq!(
            detect_format(Path::new("x.xls"), b"a;b\n1;2\n").unwrap(),
            Format::Csv
        );
        let mut csv = b"a;b\n".repeat(30);
        csv.push(0);
        assert_eq!(
            detect_format(Path::new("x.csv"), &csv).unwrap(),
            Format::Csv
        );
        let mut encrypted = OLE_MAGIC.to_vec();
        encrypted.extend(utf16(b"EncryptionInfo"));
        assert_eq!(detect_format(p, &encrypted), Err(ReadError::Encrypted));
        assert!(matches!(
            detect_format(p, &[1, 0, 2, 0, 3]),
            Err(ReadError::NotASpreadsheet(_))
        ));
        assert!(matches!(
            detect_format(p, b""),
            Err(ReadError::NotASpreadsheet(_))
        ));
        // BOF records of Excel 2.x (type 9, length 4) and 4.0 (type 0x409, length 6).
        for bof in [
            &[0x09, 0x00, 0x04, 0x00, 0x02, 0x00][..],
            &[0x09, 0x04, 0x06, 0x00, 0, 0],
        ] {
            assert_eq!(
                detect_format(Path::new("old.xls"), bof)
                    .unwrap_err()
                    .to_string(),
                "an Excel 2.x–4.0 workbook (from before 1993), a format scoreboard cannot read; \
                 open it in Excel or LibreOffice and save it as .xlsx"
            );
        }
    }
}
