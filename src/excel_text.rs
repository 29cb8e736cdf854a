//! Every cell of text from an input goes through [`write_text`]: the one place that knows
//! Excel's cell length and rust_xlsxwriter's raw rich-text rule. Below every module that
//! types or writes cells (consolidate, convert, write), so none of them reaches into another.

use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};

/// Characters an Excel cell holds: a longer text is cut to them in the workbook.
pub const EXCEL_MAX_TEXT_CHARS: usize = 32_767;

/// The first [`EXCEL_MAX_TEXT_CHARS`] characters of `text`, when it has more (`None`: a cell
/// holds it whole).
pub fn cut_to_cell(text: &str) -> Option<&str> {
    // At most 32,767 bytes is at most as many characters: only longer texts are counted.
    if text.len() <= EXCEL_MAX_TEXT_CHARS {
        return None;
    }
    text.char_indices()
        .nth(EXCEL_MAX_TEXT_CHARS)
        .map(|(at, _)| &text[..at])
}

/// Writes `text` into a string cell, with `format` if any: as given, or its first
/// [`EXCEL_MAX_TEXT_CHARS`] characters when longer (longer input is cut, not refused).
///
/// rust_xlsxwriter 0.102 (`shared_strings.rs`) takes a shared string that starts with `<r>` and
/// ends with `</r>` for rich-text XML of its own and writes it unescaped: a cell reading
/// `<r>R&D</r>` made a workbook Excel and calamine refuse. Such a text is written as a rich
/// string of one plain run instead, which the library escapes: the same characters in the cell,
/// a valid file. Every other text takes the plain path.
pub(crate) fn write_text(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let text = cut_to_cell(text).unwrap_or(text);
    let taken_for_xml = text.starts_with("<r>") && text.ends_with("</r>");
    match (taken_for_xml, format) {
        (false, None) => ws.write_string(row, col, text)?,
        (false, Some(f)) => ws.write_string_with_format(row, col, text, f)?,
        (true, None) => ws.write_rich_string(row, col, &[(&Format::default(), text)])?,
        (true, Some(f)) => {
            ws.write_rich_string_with_format(row, col, &[(&Format::default(), text)], f)?
        }
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use rust_xlsxwriter::Workbook;

    /// What each text reads back as from a saved workbook, one per row of column A.
    fn written(texts: &[&str]) -> Vec<String> {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        for (row, text) in texts.iter().enumerate() {
            write_text(ws, row as RowNum, 0, text, None).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let mut back = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = back.worksheet_range("Sheet1").unwrap();
        range
            .rows()
            .map(|r| match &r[0] {
                Data::String(s) => s.clone(),
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn texts_longer_than_a_cell_are_cut_on_a_character_boundary() {
        let full = "é".repeat(EXCEL_MAX_TEXT_CHARS);
        let longer = format!("{full}€€");
        let rich_looking = format!("<r>{}</r>", "x".repeat(EXCEL_MAX_TEXT_CHARS));
        let back = written(&[&full, &longer, &rich_looking]);
        assert_eq!(back[0], full, "32,767 two-byte characters are kept whole");
        assert_eq!(back[1], full, "the two extra characters are cut");
        assert_eq!(back[2].chars().count(), EXCEL_MAX_TEXT_CHARS);
        assert!(back[2].starts_with("<r>xxx"), "cut, not taken for XML");
    }
}
