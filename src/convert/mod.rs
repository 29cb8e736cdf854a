//! `scoreboard convert`: one input file → an xlsx workbook, or one csv or parquet file per sheet.
//! Runs inside the isolated child that reads the file, streaming rows; never sees table kinds
//! beyond finding a sheet's header row.
//!
//! The child writes into a staging folder the parent gave it and answers with a small
//! [`FileConverted`]; the parent ([`outputs`]) names, checks and renames the files into place.

mod csv_out;
pub mod names;
pub mod outputs;
mod parquet_out;
mod sheet;
mod worker;
mod xlsx_out;

pub use crate::options::{ConvertOptions, HeaderRow, Target};
pub use worker::{convert_isolated, handle_job};

use crate::model::Reason;
use crate::read::{open_source, CellBudget, Format, ReadError, ReadLimits};
use serde::{Deserialize, Serialize};
use std::path::Path;
use thiserror::Error;

/// One sheet of a converted file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetConverted {
    /// The sheet's name in the input.
    pub name: String,
    /// Rows written (for csv and parquet: data rows, below the header).
    pub rows: u64,
    /// The file written for this sheet in the staging folder (csv and parquet), if any.
    pub staged: Option<String>,
    /// What the analyst should know: sheet renamed, empty sheet skipped, texts shortened.
    pub note: Option<String>,
}

/// What the child reports for one converted file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileConverted {
    /// The detected input format.
    pub format: Format,
    /// Every sheet, in workbook order.
    pub sheets: Vec<SheetConverted>,
    /// The workbook written in the staging folder (xlsx).
    pub staged_workbook: Option<String>,
    /// Sheets that hold no cells (chart, dialog and macro sheets), skipped: each name, and why
    /// in the words `check` uses.
    pub skipped: Vec<(String, String)>,
    /// Notes of the read (encoding guessed).
    pub notes: Vec<String>,
}

impl FileConverted {
    /// Rows written over every sheet.
    pub fn rows(&self) -> u64 {
        self.sheets.iter().map(|s| s.rows).sum()
    }
}

/// Why a file was not converted. Each message names the remedy when there is one.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum ConvertError {
    /// The input could not be read.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// An output could not be written.
    #[error("cannot write the output: {0}")]
    Write(String),
    /// A sheet does not fit the output format.
    #[error("sheet \u{201c}{sheet}\u{201d}: {detail}")]
    DoesNotFit {
        /// The sheet.
        sheet: String,
        /// What does not fit and what to do.
        detail: String,
    },
    /// An output exists and `--force` was not given.
    #[error("{0} already exists; use --force to replace it")]
    OutputExists(String),
    /// An output would replace one of the inputs.
    #[error("{0} is one of the inputs; choose another --out-dir (inputs are never overwritten)")]
    OutputIsInput(String),
}

impl ConvertError {
    fn io(e: impl std::fmt::Display) -> Self {
        ConvertError::Write(e.to_string())
    }
}

/// Converts one file in this process, writing into `staging` (an existing folder): the
/// workbook as `workbook.xlsx`, or one `sheet-<n>.csv|parquet` per non-empty sheet. Prefer
/// [`convert_isolated`]: some malformed files make the spreadsheet library abort the process.
///
/// # Errors
/// A [`ConvertError`] when the file cannot be read or an output cannot be written.
pub fn convert_file(
    path: &Path,
    options: &ConvertOptions,
    staging: &Path,
    limits: &ReadLimits,
) -> Result<FileConverted, ConvertError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(crate::read::IoProblem::of(&e)))?;
    let mut source = open_source(path, bytes, limits)?;
    // The reasons come from the catalogue `check` uses, in the run's language.
    let words = crate::i18n::labels(options.lang);
    let mut budget = CellBudget::new(limits);
    let names = source.sheet_names();
    if names.is_empty() {
        return Err(ReadError::Corrupt {
            format: source.format().name().into(),
            detail: "the workbook has no sheets".into(),
        }
        .into());
    }
    let (sheets, staged_workbook) = match options.target {
        Target::Xlsx => {
            let sheets = xlsx_out::write_workbook(source.as_mut(), &names, staging, &mut budget)?;
            (sheets, Some(xlsx_out::STAGED_NAME.to_string()))
        }
        Target::Csv | Target::Parquet => {
            let mut sheets = Vec::with_capacity(names.len());
            for (i, name) in names.iter().enumerate() {
                let spooled = sheet::spool(source.as_mut(), name, staging, &mut budget)?;
                let staged = format!("sheet-{}.{}", i + 1, options.target.name());
                let table = match sheet::Table::shape(spooled, options)? {
                    sheet::Shape::Table(table) => table,
                    shape @ (sheet::Shape::Empty | sheet::Shape::NothingBelowHeader) => {
                        let why = match shape {
                            // The words `check` uses for the same sheet.
                            sheet::Shape::Empty => words.render(&Reason::new("sheet_empty")),
                            _ => "nothing at or below the header row: no file written".into(),
                        };
                        sheets.push(SheetConverted {
                            name: name.clone(),
                            rows: 0,
                            staged: None,
                            note: Some(why),
                        });
                        continue;
                    }
                };
                let rows = if options.target == Target::Csv {
                    csv_out::write(&table, options, &staging.join(&staged))?
                } else {
                    parquet_out::write(&table, &staging.join(&staged))?
                };
                sheets.push(SheetConverted {
                    name: name.clone(),
                    rows,
                    staged: Some(staged),
                    note: None,
                });
            }
            (sheets, None)
        }
    };
    Ok(FileConverted {
        format: source.format(),
        sheets,
        staged_workbook,
        skipped: source
            .skipped()
            .into_iter()
            .map(|s| {
                let why = Reason::new("sheet_skipped").phrase("what", s.what.phrase());
                (s.name, words.render(&why))
            })
            .collect(),
        notes: source
            .notes()
            .iter()
            .map(|n| words.render(&n.reason()))
            .collect(),
    })
}
