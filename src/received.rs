//! What each file gave — its directorates and report date, each sheet's kind and rows, its
//! issues, why it was not used — and which expected directorates sent nothing this month or only
//! an older snapshot. Read off a run's result; shown by `check` and the Received files sheet.

use crate::consolidate::{Expected, RowCounts, SheetOutcome};
use crate::engine::RunResult;
use crate::model::{Issue, Reason, Severity};
use crate::parse::period_from_file_name;
use chrono::NaiveDate;
use serde::Serialize;

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
    /// The counts as the catalogues' placeholders name them (`{errors}`, `{warnings}`,
    /// `{notes}`), for `Labels::fill`.
    pub fn placeholders(&self) -> [(&'static str, String); 3] {
        [
            ("errors", self.error.to_string()),
            ("warnings", self.warning.to_string()),
            ("notes", self.info.to_string()),
        ]
    }

    /// The issues counted.
    pub fn of<'i>(issues: impl Iterator<Item = &'i Issue>) -> Self {
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

/// What became of a file; serialised as `read`, `no_data`, `no_table`, `unreadable`,
/// `scoreboard_output`, `skipped`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// At least one of its rows is in a table.
    Read,
    /// Read, its tables recognised, but no row of it is used: a blank template, or data only in
    /// a sheet rejected for a missing column.
    NoData,
    /// Read, but no sheet holds a known table: an error issue, the file is rejected.
    NoTable,
    /// Corrupt, encrypted, not a spreadsheet: an error issue.
    Unreadable,
    /// A workbook written by scoreboard itself: skipped on purpose.
    ScoreboardOutput,
    /// A text file without a table, a read-me left in the folder: skipped on purpose.
    Skipped,
}

/// One sheet of a received file (a CSV file is one sheet named after the file).
#[derive(Debug, Clone)]
pub struct ReceivedSheet<'a> {
    /// The sheet's fate as consolidation recorded it.
    pub outcome: &'a SheetOutcome,
    /// Its issues by severity.
    pub issues: SeverityCounts,
}

impl ReceivedSheet<'_> {
    /// A table sheet without any row (an untouched sheet of the input template).
    pub fn is_empty_table(&self) -> bool {
        self.outcome.kind.is_some() && self.outcome.rows.read == 0
    }
}

/// One input file, as received.
#[derive(Debug, Clone)]
pub struct ReceivedFile<'a> {
    /// The path as shown in issues.
    pub file: &'a str,
    /// The directorates its actions name.
    pub directorates: &'a [String],
    /// The date it reports: its action rows' latest report date, else its name's month.
    pub report_date: Option<NaiveDate>,
    /// What became of it.
    pub status: FileStatus,
    /// Its sheets in workbook order (none when unreadable).
    pub sheets: Vec<ReceivedSheet<'a>>,
    /// Its sheets' rows added up.
    pub rows: RowCounts,
    /// Its issues (its sheets' included) by severity.
    pub issues: SeverityCounts,
    /// Why nothing of it is used, when nothing is: the file's own issue, else the first error
    /// of a sheet.
    pub why_not_used: Option<&'a Reason>,
}

/// The files of a run and who has not sent.
#[derive(Debug, Clone)]
pub struct Received<'a> {
    /// Every input file, in the order read.
    pub files: Vec<ReceivedFile<'a>>,
    /// The expected directorates that sent nothing for the month, or only an older snapshot.
    pub expected: &'a Expected,
}

impl<'a> Received<'a> {
    /// Reads the files and the missing directorates off a run.
    pub fn of(result: &'a RunResult) -> Self {
        Received {
            files: files_of(result),
            expected: &result.expected,
        }
    }

    /// The files of which nothing is used, with the reason.
    pub fn not_used(&self) -> impl Iterator<Item = &ReceivedFile<'a>> {
        self.files.iter().filter(|f| f.is_not_used())
    }
}

impl ReceivedFile<'_> {
    /// Whether nothing of the file is used (a workbook of ours is left out on purpose).
    pub fn is_not_used(&self) -> bool {
        !matches!(
            self.status,
            FileStatus::Read | FileStatus::ScoreboardOutput | FileStatus::Skipped
        )
    }
}

/// Every input file of a run, as received.
pub fn files_of(result: &RunResult) -> Vec<ReceivedFile<'_>> {
    let cons = &result.cons;
    result
        .files
        .iter()
        .map(|file| {
            let outcomes: Vec<&SheetOutcome> =
                cons.sheets.iter().filter(|s| s.file == *file).collect();
            let of_file = || result.issues.iter().filter(|i| i.file == *file);
            let unreadable = outcomes.iter().any(|s| s.sheet.is_empty());
            let sheets: Vec<ReceivedSheet> = outcomes
                .iter()
                .filter(|s| !s.sheet.is_empty())
                .map(|s| ReceivedSheet {
                    outcome: s,
                    issues: SeverityCounts::of(of_file().filter(|i| i.sheet == s.sheet)),
                })
                .collect();
            let mut rows = RowCounts::default();
            for s in &sheets {
                rows += s.outcome.rows;
            }
            let status = if unreadable {
                FileStatus::Unreadable
            } else if outcomes.iter().any(|s| s.is_our_output()) {
                FileStatus::ScoreboardOutput
            } else if rows.kept > 0 {
                FileStatus::Read
            } else if sheets.iter().any(|s| s.outcome.kind.is_some()) || rows.rejected > 0 {
                FileStatus::NoData
            } else {
                FileStatus::NoTable
            };
            let why_not_used = match status {
                FileStatus::Read | FileStatus::ScoreboardOutput => None,
                _ => of_file()
                    .find(|i| i.severity != Severity::Info && i.sheet.is_empty())
                    .or_else(|| of_file().find(|i| i.severity == Severity::Error))
                    .map(|i| &i.reason),
            };
            let sent = cons.senders.files.get(file.as_str());
            ReceivedFile {
                file,
                directorates: sent.map_or(&[][..], |(d, _)| d.as_slice()),
                report_date: sent
                    .and_then(|(_, d)| *d)
                    .or_else(|| period_from_file_name(file)),
                status,
                issues: SeverityCounts::of(of_file()),
                sheets,
                rows,
                why_not_used,
            }
        })
        .collect()
}
