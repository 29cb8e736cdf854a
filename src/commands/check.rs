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
use crate::progress::Progress;
use crate::received::{FileStatus, Received, SeverityCounts};
use serde::Serialize;
use std::io::Write;

/// Version of the JSON document; raised only when a field changes meaning or disappears.
/// 2: `value` is the cell as typed (a date cell `dd/mm/yyyy`) and `parsed` what it was read as;
/// a file's `status` can be `no_data`; files carry `directorates` and `report_date`; `expected`.
pub const JSON_VERSION: u32 = 3;

/// Runs the check and prints its findings; returns the exit code (0 clean, 1 rejected rows or
/// files, as `report`). A closed standard output (`scoreboard check inbox | head`) ends the
/// listing quietly.
///
/// # Errors
/// [`RunError`] for bad usage (then nothing is printed on stdout).
pub fn run(args: &CheckArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_check(args)?;
    let progress = Progress::stderr(config.quiet, labels(config.lang));
    let result = engine::run(&config, None, &progress, &mut ());
    progress.finish();
    let result = result?;
    let received = Received::of(&result);
    let report = CheckReport::new(&result, &received, labels(config.lang));
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
        eprintln!("{}", summary(&result, labels(config.lang)));
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
    /// The directorates expected this month that sent nothing or only an older snapshot.
    pub expected: ExpectedCheck,
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
    /// The directorates its actions name.
    pub directorates: &'a [String],
    /// The date it reports, `YYYY-MM-DD` (its actions' latest report date, else its name's
    /// month), or null.
    pub report_date: Option<String>,
    /// Why nothing of it is used, when nothing is (empty otherwise).
    pub not_used: String,
    /// The sheets in workbook order (none when the file is unreadable).
    pub sheets: Vec<SheetCheck<'a>>,
    /// The sheets' rows added up.
    pub rows: RowCounts,
    /// Issues of this file, its sheets' included.
    pub issues: SeverityCounts,
}

/// One sheet of a file (a CSV file is one sheet named after the file).
#[derive(Debug, Serialize)]
pub struct SheetCheck<'a> {
    /// Sheet name.
    pub sheet: &'a str,
    /// Table kind found, or `null` when the sheet was ignored or rejected.
    pub kind: Option<&'static str>,
    /// Why the sheet was ignored or rejected (empty when it holds a table).
    pub note: String,
    /// Rows below the header by fate.
    pub rows: RowCounts,
    /// Issues of this sheet.
    pub issues: SeverityCounts,
}

/// The expected directorates missing this month.
#[derive(Debug, Serialize)]
pub struct ExpectedCheck {
    /// Whether the list of expected directorates comes from `[expected]` in the config (else:
    /// those that reported in the three months before the reporting month).
    pub configured: bool,
    /// Each one missing, with its latest report date (`null`: nothing of it at all).
    pub missing: Vec<MissingCheck>,
}

/// An expected directorate without this month's scoreboard.
#[derive(Debug, Serialize)]
pub struct MissingCheck {
    /// The directorate.
    pub directorate: String,
    /// Its latest report date, `YYYY-MM-DD`, or null.
    pub latest: Option<String>,
}

/// One issue, with its severity as `error`, `warning` or `info`.
#[derive(Debug, Serialize)]
pub struct IssueOut<'a> {
    /// Source file (empty for an issue of the whole run).
    pub file: &'a str,
    /// Sheet (empty for an issue of the whole file).
    pub sheet: &'a str,
    /// An Excel cell reference (`F17`), or empty for an issue about a whole row, sheet or file.
    pub cell: &'a str,
    /// The row the issue is about (1-based, as Excel numbers it), or null for an issue about
    /// a whole sheet or file.
    pub row: Option<u32>,
    /// Where it is, as the text output says it (`F17`, `row 17`).
    #[serde(skip)]
    pub shown_cell: String,
    /// The offending value as the cell shows it: the text as typed, a date cell `dd/mm/yyyy`
    /// (may be empty).
    pub value: &'a str,
    /// What the value was read as (`2024-10-21`, `0.992`), or null.
    pub parsed: Option<&'a str>,
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
    /// Files whose tables gave no row (status `no_data`).
    pub files_without_data: usize,
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
    pub fn new(result: &'a RunResult, received: &Received<'a>, labels: &'static Labels) -> Self {
        let files: Vec<FileCheck<'a>> = received
            .files
            .iter()
            .map(|f| FileCheck {
                file: f.file.to_string(),
                status: f.status,
                directorates: f.directorates,
                report_date: f.report_date.map(|d| d.to_string()),
                not_used: f.why_not_used.map(|r| labels.render(r)).unwrap_or_default(),
                sheets: f
                    .sheets
                    .iter()
                    .map(|s| SheetCheck {
                        sheet: &s.outcome.sheet,
                        kind: s.outcome.kind,
                        note: s
                            .outcome
                            .note
                            .as_ref()
                            .map(|n| labels.render(n))
                            .unwrap_or_default(),
                        rows: s.outcome.rows,
                        issues: s.issues,
                    })
                    .collect(),
                rows: f.rows,
                issues: f.issues,
            })
            .collect();
        let issues = SeverityCounts::of(result.issues.iter());
        let mut rows = RowCounts::default();
        for f in &files {
            rows += f.rows;
        }
        let count = |status| files.iter().filter(|f| f.status == status).count();
        let summary = CheckSummary {
            files: files.len(),
            files_without_table: count(FileStatus::NoTable),
            files_without_data: count(FileStatus::NoData),
            files_unreadable: count(FileStatus::Unreadable),
            rows,
            superseded: result.cons.superseded,
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
                    cell: if i.cell.bytes().all(|b| b.is_ascii_digit()) {
                        ""
                    } else {
                        &i.cell
                    },
                    row: i
                        .cell
                        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                        .parse()
                        .ok(),
                    shown_cell: labels.cell_or_row(&i.cell),
                    value: &i.value,
                    parsed: (!i.parsed.is_empty()).then_some(i.parsed.as_str()),
                    severity: i.severity.as_str(),
                    reason: labels.render(&i.reason),
                    reason_key: i.reason.key,
                })
                .collect(),
            expected: ExpectedCheck {
                configured: received.expected.configured,
                missing: received
                    .expected
                    .missing
                    .iter()
                    .map(|m| MissingCheck {
                        directorate: m.directorate.clone(),
                        latest: m.latest.map(|d| d.to_string()),
                    })
                    .collect(),
            },
            summary,
            labels,
        }
    }

    /// The text form: each file with its sheets and counts and, under it, its errors and
    /// warnings (a template's untouched sheets folded into one line); then the directorates
    /// expected this month that are missing, then the issues of the whole run. Info notes are
    /// left to the JSON and the workbook's Issues sheet.
    ///
    /// # Errors
    /// When the output cannot be written (a closed pipe).
    pub fn write_text(&self, out: &mut impl Write) -> std::io::Result<()> {
        let l = self.labels;
        let counts = |rows: &RowCounts, issues: &SeverityCounts| {
            l.fill(
                &l.check_counts,
                &[&rows.placeholders()[..], &issues.placeholders()[..]].concat(),
            )
        };
        let worth_telling = |i: &&IssueOut| i.severity != "info";
        for f in &self.files {
            let said = match f.status {
                FileStatus::Read => counts(&f.rows, &f.issues),
                FileStatus::Unreadable => {
                    l.fill(&l.check_not_read, &[("errors", f.issues.error.to_string())])
                }
                FileStatus::ScoreboardOutput => l.check_our_output.clone(),
                FileStatus::Skipped => l.check_skipped.clone(),
                FileStatus::NoTable => l.check_no_table.clone(),
                FileStatus::NoData => {
                    format!("{} ({})", l.check_no_data, counts(&f.rows, &f.issues))
                }
            };
            let mut who: Vec<String> = f.directorates.to_vec();
            who.extend(
                f.report_date
                    .as_deref()
                    .and_then(|d| d.parse().ok())
                    .map(|d| l.date(d)),
            );
            let who = if who.is_empty() {
                String::new()
            } else {
                format!(" ({})", who.join(" · "))
            };
            writeln!(out, "{}", l.labelled(format!("{}{who}", f.file), said))?;
            let (empty, sheets): (Vec<&SheetCheck>, Vec<&SheetCheck>) = f
                .sheets
                .iter()
                .partition(|s| s.kind.is_some() && s.rows.read == 0 && f.sheets.len() > 1);
            for s in sheets {
                match s.kind {
                    Some(kind) => writeln!(
                        out,
                        "  {}",
                        l.labelled(
                            format!("{} › {}", s.sheet, l.kind(kind)),
                            counts(&s.rows, &s.issues)
                        )
                    )?,
                    None if s.rows.rejected > 0 => writeln!(
                        out,
                        "  {} › {}",
                        s.sheet,
                        l.fill(&l.check_rejected, &[("note", counts(&s.rows, &s.issues))])
                    )?,
                    None => writeln!(
                        out,
                        "  {} › {}",
                        s.sheet,
                        l.fill(&l.check_ignored, &[("note", s.note.clone())])
                    )?,
                }
            }
            if !empty.is_empty() {
                let names: Vec<&str> = empty.iter().map(|s| s.sheet).collect();
                writeln!(
                    out,
                    "  {}",
                    l.fill(
                        &l.check_empty_sheets,
                        &[
                            ("count", empty.len().to_string()),
                            ("sheets", names.join(", "))
                        ]
                    )
                )?;
            }
            for i in self
                .issues
                .iter()
                .filter(worth_telling)
                .filter(|i| i.file == f.file)
            {
                write_issue(out, l, "    ", i, &[i.sheet, &i.shown_cell])?;
            }
        }
        if !self.expected.missing.is_empty() {
            writeln!(out, "{}", l.check_expected)?;
            for m in &self.expected.missing {
                let line = match m.latest.as_deref().and_then(|d| d.parse().ok()) {
                    Some(d) => l.fill(
                        &l.received_older,
                        &[("directorate", m.directorate.clone()), ("date", l.date(d))],
                    ),
                    None => l.fill(
                        &l.received_nothing,
                        &[("directorate", m.directorate.clone())],
                    ),
                };
                writeln!(out, "  {line}")?;
            }
        }
        let files: Vec<&str> = self.files.iter().map(|f| f.file.as_str()).collect();
        for i in self
            .issues
            .iter()
            .filter(worth_telling)
            .filter(|i| !files.contains(&i.file))
        {
            write_issue(out, l, "", i, &[i.file, i.sheet, &i.shown_cell])?;
        }
        Ok(())
    }
}

/// One error or warning on a line: severity, place, the value as typed, the reason, in the
/// words of `l`.
fn write_issue(
    out: &mut impl Write,
    l: &Labels,
    indent: &str,
    i: &IssueOut,
    place: &[&str],
) -> std::io::Result<()> {
    let place = place
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
    let severity = l.severity(i.severity);
    let said = if place.is_empty() {
        l.labelled(severity, &i.reason)
    } else {
        l.labelled(l.labelled(severity, format!("{place}{value}")), &i.reason)
    };
    writeln!(out, "{indent}{said}")
}
