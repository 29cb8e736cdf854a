//! `scoreboard check`: everything `report` does up to the KPIs, then per file what was found
//! (sheets, table kinds, rows read/kept/rejected, issues by severity) and the issues, as text
//! for people or one JSON document for scripts. Writes no file.

use super::summary;
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::RunConfig;
use crate::consolidate::RowCounts;
use crate::engine::{self, RunResult};
use crate::error::RunError;
use crate::i18n::{labels, Labels};
use crate::model::{Issue, Severity};
use crate::progress::Progress;
use serde::Serialize;
use std::io::Write;

/// Version of the JSON document; raised only when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 1;

/// Runs the check and prints its findings; returns the exit code (0 clean, 1 rejected rows or
/// files, as `report`). A closed standard output (`scoreboard check inbox | head`) ends the
/// listing quietly.
///
/// # Errors
/// [`RunError`] for bad usage (then nothing is printed on stdout).
pub fn run(args: &CheckArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_check(args)?;
    let progress = Progress::stderr(config.quiet);
    let result = engine::run_with(&config, None, &progress);
    progress.finish();
    let result = result?;
    let report = CheckReport::new(&result, labels(config.lang));
    let code = report.summary.exit_code;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        CheckFormat::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        CheckFormat::Text => report.write_text(&mut out),
    };
    // A failed write means the reader of our output has gone (a pipe into `head`): nothing
    // left to tell it, and the exit code still says what was found.
    if written.and_then(|()| out.flush()).is_ok()
        && args.format == CheckFormat::Text
        && !config.quiet
    {
        eprintln!("{}", summary(&result));
    }
    Ok(code)
}

/// What `check` found, in the shape of the JSON document (docs/check.md); the text output is
/// rendered from the same values.
#[derive(Debug, Serialize)]
pub struct CheckReport<'a> {
    /// [`JSON_VERSION`].
    pub version: u32,
    /// The as-of date the inputs were judged at, `YYYY-MM-DD`.
    pub as_of: String,
    /// Every input file, in the order read.
    pub files: Vec<FileCheck<'a>>,
    /// Every issue of the run (info notes included), in the order found.
    pub issues: Vec<IssueOut<'a>>,
    /// Totals and the exit code.
    pub summary: CheckSummary,
    /// The words of the chosen language (not part of the document).
    #[serde(skip)]
    labels: &'static Labels,
}

/// One input file.
#[derive(Debug, Serialize)]
pub struct FileCheck<'a> {
    /// The path as shown in issues.
    pub file: String,
    /// What became of the file.
    pub status: FileStatus,
    /// The sheets in workbook order (none when the file is unreadable).
    pub sheets: Vec<SheetCheck<'a>>,
    /// The sheets' rows added up.
    pub rows: RowCounts,
    /// Issues of this file, its sheets' included.
    pub issues: SeverityCounts,
}

/// What became of a file; serialised as `read`, `no_table`, `unreadable`, `scoreboard_output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// At least one sheet holds a table.
    Read,
    /// Read, but no sheet holds a known table: an error issue, the file is rejected.
    NoTable,
    /// Corrupt, encrypted, not a spreadsheet: an error issue.
    Unreadable,
    /// A workbook written by scoreboard itself: skipped on purpose.
    ScoreboardOutput,
}

/// One sheet of a file (a CSV file is one sheet named after the file).
#[derive(Debug, Serialize)]
pub struct SheetCheck<'a> {
    /// Sheet name.
    pub sheet: &'a str,
    /// Table kind found, or `null` when the sheet was ignored.
    pub kind: Option<&'static str>,
    /// Why the sheet was ignored (empty when it holds a table).
    pub note: String,
    /// Rows below the header by fate.
    pub rows: RowCounts,
    /// Issues of this sheet.
    pub issues: SeverityCounts,
}

/// Issues counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeverityCounts {
    /// Rows or files left out.
    pub error: usize,
    /// Rows kept with a value blanked or interpreted.
    pub warning: usize,
    /// Deliberate skips that lose nothing.
    pub info: usize,
}

impl SeverityCounts {
    fn of<'i>(issues: impl Iterator<Item = &'i Issue>) -> Self {
        let mut c = SeverityCounts::default();
        for i in issues {
            match i.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }
}

/// One issue, with its severity as `error`, `warning` or `info`.
#[derive(Debug, Serialize)]
pub struct IssueOut<'a> {
    /// Source file (empty for an issue of the whole run).
    pub file: &'a str,
    /// Sheet (empty for an issue of the whole file).
    pub sheet: &'a str,
    /// `F17`, a row number such as `17`, or empty.
    pub cell: &'a str,
    /// The offending value as written (may be empty).
    pub value: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// What is wrong and what the tool did about it.
    pub reason: String,
    /// The reason's catalogue key (`cell_unreadable`, …): stable across languages, for scripts.
    pub reason_key: &'static str,
}

/// Totals of the run.
#[derive(Debug, Serialize)]
pub struct CheckSummary {
    /// Input files.
    pub files: usize,
    /// Files that gave no table (status `no_table`).
    pub files_without_table: usize,
    /// Files that could not be read.
    pub files_unreadable: usize,
    /// Rows of every sheet added up.
    pub rows: RowCounts,
    /// Action rows replaced by a later report of the same action.
    pub superseded: usize,
    /// Every issue by severity.
    pub issues: SeverityCounts,
    /// The exit code of this run: 0 no error, 1 some rows or files rejected.
    pub exit_code: u8,
}

impl<'a> CheckReport<'a> {
    /// Gathers the findings of a run, file by file, reasons and notes in the language of
    /// `labels`.
    pub fn new(result: &'a RunResult, labels: &'static Labels) -> Self {
        let cons = &result.cons;
        let files: Vec<FileCheck<'a>> = result
            .files
            .iter()
            .map(|file| {
                let outcomes: Vec<_> = cons.sheets.iter().filter(|s| s.file == *file).collect();
                let of_file = || result.issues.iter().filter(|i| i.file == *file);
                // A file that failed has one outcome without a sheet name.
                let unreadable = outcomes.iter().any(|s| s.sheet.is_empty());
                let sheets: Vec<SheetCheck<'a>> = outcomes
                    .iter()
                    .filter(|s| !s.sheet.is_empty())
                    .map(|s| SheetCheck {
                        sheet: &s.sheet,
                        kind: s.kind,
                        note: s
                            .note
                            .as_ref()
                            .map(|n| labels.render(n))
                            .unwrap_or_default(),
                        rows: s.rows,
                        issues: SeverityCounts::of(of_file().filter(|i| i.sheet == s.sheet)),
                    })
                    .collect();
                let status = if unreadable {
                    FileStatus::Unreadable
                } else if sheets.iter().any(|s| s.kind.is_some()) {
                    FileStatus::Read
                } else if outcomes.iter().any(|s| s.is_our_output()) {
                    FileStatus::ScoreboardOutput
                } else {
                    FileStatus::NoTable
                };
                let mut rows = RowCounts::default();
                for s in &sheets {
                    rows += s.rows;
                }
                FileCheck {
                    issues: SeverityCounts::of(of_file()),
                    file: file.clone(),
                    status,
                    sheets,
                    rows,
                }
            })
            .collect();
        let issues = SeverityCounts::of(result.issues.iter());
        let mut rows = RowCounts::default();
        for f in &files {
            rows += f.rows;
        }
        let summary = CheckSummary {
            files: files.len(),
            files_without_table: files
                .iter()
                .filter(|f| f.status == FileStatus::NoTable)
                .count(),
            files_unreadable: files
                .iter()
                .filter(|f| f.status == FileStatus::Unreadable)
                .count(),
            rows,
            superseded: cons.superseded,
            issues,
            exit_code: u8::from(issues.error > 0),
        };
        CheckReport {
            version: JSON_VERSION,
            as_of: result.periods.as_of.to_string(),
            files,
            issues: result
                .issues
                .iter()
                .map(|i| IssueOut {
                    file: &i.file,
                    sheet: &i.sheet,
                    cell: &i.cell,
                    value: &i.value,
                    severity: i.severity.as_str(),
                    reason: labels.render(&i.reason),
                    reason_key: i.reason.key,
                })
                .collect(),
            summary,
            labels,
        }
    }

    /// The text form: each file with its sheets and counts, then each error and warning with
    /// its place (info notes are left to the JSON and the workbook's Issues sheet).
    ///
    /// # Errors
    /// When the output cannot be written (a closed pipe).
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let l = self.labels;
        let counts = |rows: &RowCounts, issues: &SeverityCounts| {
            l.fill(
                &l.check_counts,
                &[
                    ("read", rows.read.to_string()),
                    ("kept", rows.kept.to_string()),
                    ("rejected", rows.rejected.to_string()),
                    ("skipped", rows.skipped.to_string()),
                    ("errors", issues.error.to_string()),
                    ("warnings", issues.warning.to_string()),
                    ("notes", issues.info.to_string()),
                ],
            )
        };
        for f in &self.files {
            let said = match f.status {
                FileStatus::Read => counts(&f.rows, &f.issues),
                FileStatus::Unreadable => {
                    l.fill(&l.check_not_read, &[("errors", f.issues.error.to_string())])
                }
                FileStatus::ScoreboardOutput => l.check_our_output.clone(),
                FileStatus::NoTable => l.check_no_table.clone(),
            };
            writeln!(out, "{}: {said}", f.file)?;
            for s in &f.sheets {
                match s.kind {
                    Some(kind) => writeln!(
                        out,
                        "  {} › {kind}: {}",
                        s.sheet,
                        counts(&s.rows, &s.issues)
                    )?,
                    None => writeln!(
                        out,
                        "  {} › {}",
                        s.sheet,
                        l.fill(&l.check_ignored, &[("note", s.note.clone())])
                    )?,
                }
            }
        }
        for i in self.issues.iter().filter(|i| i.severity != "info") {
            let place = [i.file, i.sheet, i.cell]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" › ");
            let value = if i.value.is_empty() {
                String::new()
            } else {
                format!(" [{}]", i.value)
            };
            writeln!(out, "{}: {place}{value}: {}", i.severity, i.reason)?;
        }
        Ok(())
    }
}
