//! xlsx, xlsm, xlsb, xls and ods through calamine. xlsx and xlsb are streamed cell by cell,
//! so a sheet whose used range is absurd (a cell at `XFD1048576`) costs only its real cells.

use super::{Format, RawCell, RawRow, RawSheet, RawWorkbook, ReadError};
use calamine::{Data, DataRef, Ods, Range, Reader, Xls, Xlsb, Xlsx};
use std::io::Cursor;

type Source = Cursor<Vec<u8>>;

/// Streams every sheet of an xlsx or xlsb workbook cell by cell (their readers are distinct
/// types with the same shape, hence a macro rather than a generic function).
macro_rules! stream_sheets {
    ($wb:ident, $corrupt:ident) => {{
        let is_1904 = $wb.has_1904_epoch();
        let mut sheets = Vec::new();
        for name in $wb.sheet_names() {
            let mut reader = $wb
                .worksheet_cells_reader(&name)
                .map_err(|e| $corrupt(e.to_string()))?;
            let mut cells = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(|e| $corrupt(e.to_string()))? {
                let (r, c) = cell.get_position();
                push_cell(&mut cells, r, c, from_data_ref(cell.get_value()));
            }
            sheets.push(sheet_from_cells(name, is_1904, cells));
        }
        sheets
    }};
}

/// Reads every sheet of a workbook held in memory.
pub(super) fn read_spreadsheet(format: Format, bytes: Vec<u8>) -> Result<RawWorkbook, ReadError> {
    let corrupt = |detail: String| ReadError::Corrupt {
        format: format.name().into(),
        detail,
    };
    let source = Cursor::new(bytes);
    let sheets = match format {
        Format::Xlsx => {
            let mut wb: Xlsx<Source> = Xlsx::new(source).map_err(|e| corrupt(e.to_string()))?;
            stream_sheets!(wb, corrupt)
        }
        Format::Xlsb => {
            let mut wb: Xlsb<Source> = Xlsb::new(source).map_err(|e| corrupt(e.to_string()))?;
            stream_sheets!(wb, corrupt)
        }
        Format::Xls => {
            let mut wb: Xls<Source> = Xls::new(source).map_err(|e| corrupt(e.to_string()))?;
            let is_1904 = wb.has_1904_epoch();
            let mut sheets = Vec::new();
            for name in wb.sheet_names() {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| corrupt(e.to_string()))?;
                sheets.push(sheet_from_range(name, is_1904, &range));
            }
            sheets
        }
        Format::Ods => {
            let mut wb: Ods<Source> = Ods::new(source).map_err(|e| corrupt(e.to_string()))?;
            let mut sheets = Vec::new();
            for name in wb.sheet_names() {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| corrupt(e.to_string()))?;
                sheets.push(sheet_from_range(name, false, &range));
            }
            sheets
        }
        Format::Csv => return Err(corrupt("not a workbook".into())),
    };
    Ok(RawWorkbook {
        format,
        sheets,
        notes: Vec::new(),
    })
}

fn push_cell(cells: &mut Vec<(u32, u32, RawCell)>, row: u32, col: u32, cell: RawCell) {
    if !cell.is_blank() {
        cells.push((row, col, cell));
    }
}

fn from_data_ref(value: &DataRef<'_>) -> RawCell {
    match value {
        DataRef::Int(i) => RawCell::Number(*i as f64),
        DataRef::Float(f) => RawCell::Number(*f),
        DataRef::String(s) => RawCell::Text(s.clone()),
        DataRef::SharedString(s) => RawCell::Text((*s).to_string()),
        DataRef::Bool(b) => RawCell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_duration() => RawCell::Duration(dt.as_f64()),
        DataRef::DateTime(dt) => RawCell::Date(dt.as_f64()),
        DataRef::DateTimeIso(s) => RawCell::DateIso(s.clone()),
        DataRef::DurationIso(s) => RawCell::Text(s.clone()),
        DataRef::Error(e) => RawCell::Error(e.to_string()),
        DataRef::Empty => RawCell::Empty,
    }
}

fn from_data(value: &Data) -> RawCell {
    match value {
        Data::Int(i) => RawCell::Number(*i as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::String(s) => RawCell::Text(s.clone()),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::DateTime(dt) if dt.is_duration() => RawCell::Duration(dt.as_f64()),
        Data::DateTime(dt) => RawCell::Date(dt.as_f64()),
        Data::DateTimeIso(s) => RawCell::DateIso(s.clone()),
        Data::DurationIso(s) => RawCell::Text(s.clone()),
        Data::Error(e) => RawCell::Error(e.to_string()),
        Data::Empty => RawCell::Empty,
    }
}

fn sheet_from_range(name: String, is_1904: bool, range: &Range<Data>) -> RawSheet {
    // `Range` starts at the first used cell, not A1: shift back to Excel positions.
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, value) in range.used_cells() {
        push_cell(&mut cells, r0 + r as u32, c0 + c as u32, from_data(value));
    }
    sheet_from_cells(name, is_1904, cells)
}

/// Groups (row, column, cell) triples into sparse rows, sorting only when the file was unordered.
fn sheet_from_cells(
    name: String,
    date_1904: bool,
    mut cells: Vec<(u32, u32, RawCell)>,
) -> RawSheet {
    if !cells
        .windows(2)
        .all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1))
    {
        cells.sort_by_key(|(r, c, _)| (*r, *c));
    }
    let mut rows: Vec<RawRow> = Vec::new();
    for (r, c, cell) in cells {
        match rows.last_mut() {
            Some(last) if last.index == r => {
                // A duplicated cell position keeps the last value, as Excel does on load.
                if last.cells.last().is_some_and(|(lc, _)| *lc == c) {
                    last.cells.pop();
                }
                last.cells.push((c, cell));
            }
            _ => rows.push(RawRow {
                index: r,
                cells: vec![(c, cell)],
            }),
        }
    }
    RawSheet {
        name,
        date_1904,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_group_into_sorted_sparse_rows() {
        let cells = vec![
            (3, 1, RawCell::Text("b".into())),
            (0, 0, RawCell::Number(1.0)),
            (3, 0, RawCell::Text("a".into())),
            (1_048_575, 16_383, RawCell::Text("far".into())),
        ];
        let sheet = sheet_from_cells("S".into(), false, cells);
        assert_eq!(sheet.rows.len(), 3);
        assert_eq!(sheet.rows[1].index, 3);
        assert_eq!(sheet.rows[1].get(0), Some(&RawCell::Text("a".into())));
        assert_eq!(sheet.rows[1].get(1), Some(&RawCell::Text("b".into())));
        assert_eq!(
            sheet.rows[2].get(16_383),
            Some(&RawCell::Text("far".into()))
        );
    }
}
