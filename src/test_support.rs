//! Builders for unit tests: in-memory workbooks made of text cells, run through the real
//! recognise and consolidate stages, so KPI tests start from what a file would give.

use crate::config::Settings;
use crate::consolidate::{consolidate, Consolidated};
use crate::read::{FileRead, Format, RawCell, RawRow, RawSheet, RawWorkbook};
use crate::schema::Schema;

/// One sheet of text rows (an empty string is an empty cell), header first.
pub fn sheet(name: &str, rows: &[&[&str]]) -> RawSheet {
    RawSheet {
        name: name.into(),
        date_1904: false,
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, cells)| RawRow {
                index: i as u32,
                cells: cells
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| !t.is_empty())
                    .map(|(c, t)| (c as u32, RawCell::Text(t.to_string())))
                    .collect(),
            })
            .filter(|r| !r.cells.is_empty())
            .collect(),
    }
}

/// A file holding one sheet.
pub fn file(path: &str, rows: &[&[&str]]) -> FileRead {
    FileRead {
        path: path.into(),
        name: path.into(),
        result: std::sync::Arc::new(Ok(RawWorkbook {
            format: Format::Xlsx,
            sheets: vec![sheet("Scorebord", rows)],
            notes: vec![],
            skipped: vec![],
            written_by_scoreboard: false,
        })),
    }
}

/// Consolidates files with the default schema and the given settings, every row counted.
pub fn consolidated(files: Vec<FileRead>, settings: &Settings) -> Consolidated {
    consolidated_as_of(files, settings, None)
}

/// Consolidates files as a report as of `as_of` does (action rows reported later left out).
pub fn consolidated_as_of(
    files: Vec<FileRead>,
    settings: &Settings,
    as_of: Option<chrono::NaiveDate>,
) -> Consolidated {
    consolidate(
        &files,
        &Schema::new(&settings.alias_triples()).expect("schema"),
        settings,
        as_of,
    )
}
