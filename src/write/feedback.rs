//! `report --feedback-dir`: one small workbook per source file with at least one error or
//! warning, for the directorate that sent it (spec §9). Its language is its file's: the
//! `[feedback] lang` pattern that matches the file's name, else the language of the file's
//! header rows (the one with the most headers that are its alone), else the run's. Each problem
//! is listed with its sheet, cell, severity, the value, the whole row as the reader read it
//! (each value under the file's own header), the reason in that language (naming the file's own
//! headers) and what to do. The file is read once more for the rows (in the same pool of reader
//! processes as the run); a file that cannot be read gets its feedback all the same, saying why
//! and what to send instead.

use super::styles::Styles;
use super::table::{write_table, Out, Widths};
use crate::config::{FeedbackSettings, Lang};
use crate::error::RunError;
use crate::i18n::{labels, Labels};
use crate::model::{Issue, Severity};
use crate::parse::normalize;
use crate::read::{RawRow, RawWorkbook, Readers};
use crate::schema::{Recognition, Schema};
use chrono::NaiveDate;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the feedback of a run needs besides its issues.
pub struct FeedbackRun<'a> {
    /// The input files: (path on disk, name as shown in issues).
    pub files: Vec<(PathBuf, String)>,
    /// Every issue of the run.
    pub issues: &'a [Issue],
    /// The recognition rules (aliases of the config included).
    pub schema: &'a Schema,
    /// `[feedback]` of the config.
    pub settings: &'a FeedbackSettings,
    /// The config: its `[[sheets]]` rules decide how a sheet is read.
    pub config: &'a crate::config::Settings,
    /// The run's language.
    pub lang: Lang,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The reporting month, `YYYY-MM`.
    pub month: &'a str,
}

/// One file's header rows, as read: per sheet, its header row and its language.
struct Headers {
    sheets: BTreeMap<String, (Option<RawRow>, Option<Lang>)>,
}

/// What `--feedback-dir` wrote.
#[derive(Debug, Default)]
pub struct FeedbackWritten {
    /// The feedback files, in the order of the run's files.
    pub files: Vec<PathBuf>,
    /// Feedback files of an earlier run removed from the folder.
    pub removed: usize,
}

/// Writes the feedback files into `dir` (created if missing), after removing those an earlier
/// run left there.
///
/// # Errors
/// [`RunError::Write`] when the folder or a file cannot be written.
pub fn write_feedback(
    dir: &Path,
    run: &FeedbackRun,
    readers: &Readers,
) -> Result<FeedbackWritten, RunError> {
    std::fs::create_dir_all(dir).map_err(|e| RunError::Write {
        path: dir.to_path_buf(),
        detail: e.to_string(),
    })?;
    let flagged: Vec<&(PathBuf, String)> = run
        .files
        .iter()
        .filter(|(_, name)| problems(run.issues, name).next().is_some())
        .collect();
    let removed = remove_old_feedback(dir);
    let mut names = HashSet::new();
    let mut written = Vec::new();
    for (path, name) in flagged {
        let raw = readers.read(path).ok();
        let headers = raw.as_ref().map(|wb| headers_of(wb, run, name));
        let lang = run
            .settings
            .lang_of(name)
            .or_else(|| headers.as_ref().and_then(|h| file_language(run.schema, h)))
            .unwrap_or(run.lang);
        let l = labels(lang);
        let file_name = unique_name(name, &l.feedback_suffix, &mut names);
        let target = dir.join(&file_name);
        let issues: Vec<&Issue> = problems(run.issues, name).collect();
        let wb = workbook(l, run, name, &issues, raw.as_ref(), headers.as_ref())
            .map_err(RunError::Workbook)?;
        super::save_workbook(wb, &target)?;
        written.push(target);
    }
    Ok(FeedbackWritten {
        files: written,
        removed,
    })
}

/// The rows a run's errors and warnings are about, as read (`Deadline: 31/02/2025 · …`), in
/// `l`'s words, by (file, sheet, cell): each file with one read once more in the pool of
/// reader processes (`serve`'s issues grid shows them).
pub fn rows_as_read(
    run: &FeedbackRun,
    readers: &Readers,
    l: &Labels,
) -> HashMap<(String, String, String), String> {
    let mut rows = HashMap::new();
    for (path, name) in &run.files {
        let issues: Vec<&Issue> = problems(run.issues, name).collect();
        if issues.is_empty() {
            continue;
        }
        let raw = readers.read(path).ok();
        let headers = raw.as_ref().map(|wb| headers_of(wb, run, name));
        for issue in issues {
            let text = row_as_read(l, issue, raw.as_ref(), headers.as_ref());
            if !text.is_empty() {
                let key = (issue.file.clone(), issue.sheet.clone(), issue.cell.clone());
                rows.insert(key, text);
            }
        }
    }
    rows
}

/// A file's errors and warnings, and the cells corrected here (so the same mistake does not
/// come back next month), in the run's order.
fn problems<'i>(issues: &'i [Issue], file: &'i str) -> impl Iterator<Item = &'i Issue> {
    issues.iter().filter(move |i| {
        i.file == file && (i.severity != Severity::Info || i.reason.key == CORRECTED)
    })
}

/// The reason key of a cell corrected here (`crate::corrections`).
const CORRECTED: &str = "corrected";

/// The header row and language of each sheet of a file that holds a table or comes close to
/// one.
fn headers_of(wb: &RawWorkbook, run: &FeedbackRun, name: &str) -> Headers {
    let sheets = wb
        .sheets
        .iter()
        .filter_map(|sheet| {
            let (pos, lang) = match run.config.recognise(run.schema, name, sheet) {
                Recognition::Table(layout) => (layout.header_pos, layout.lang),
                Recognition::Near(near) => (near.header_pos, near.lang),
                Recognition::Ignored(_) => return None,
            };
            Some((sheet.name.clone(), (sheet.rows.get(pos).cloned(), lang)))
        })
        .collect();
    Headers { sheets }
}

/// The language of a file's header rows together: the one with the most headers that are its
/// alone; none on a tie or when no header tells.
fn file_language(schema: &Schema, headers: &Headers) -> Option<Lang> {
    let texts: Vec<String> = headers
        .sheets
        .values()
        .filter_map(|(row, _)| row.as_ref())
        .flat_map(|row| row.cells.iter().map(|(_, c)| normalize(&c.display())))
        .collect();
    schema.language_of(texts.iter().map(String::as_str))
}

/// Characters of a file's name kept in its feedback file's name.
const MAX_STEM_CHARS: usize = 60;

/// The custom document property that marks a feedback file (its value: the reporting month),
/// so a later run into the same folder knows which files are its own to replace.
const FEEDBACK_PROPERTY: &str = "scoreboard-feedback";

/// Removes the feedback files an earlier run left in `dir` (files named `…_<suffix>.xlsx` in any
/// language that carry [`FEEDBACK_PROPERTY`]); returns how many. Anything else stays.
fn remove_old_feedback(dir: &Path) -> usize {
    let suffixes: Vec<String> = [Lang::Nl, Lang::Fr, Lang::En]
        .iter()
        .map(|l| format!("_{}.xlsx", labels(*l).feedback_suffix))
        .collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_lowercase();
            suffixes.iter().any(|s| name.ends_with(s.as_str()))
                && e.file_type().is_ok_and(|t| t.is_file())
                && crate::read::has_property(&e.path(), FEEDBACK_PROPERTY)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// `<file>_<suffix>.xlsx`, the file's folders joined by `_` and its extension dropped; the
/// extension kept when two files would share a name.
fn unique_name(shown: &str, suffix: &str, taken: &mut HashSet<String>) -> String {
    // Within what every file system takes (255 bytes), with room for the suffix.
    let short = |text: &str| text.chars().take(MAX_STEM_CHARS).collect::<String>();
    let flat = shown.replace(['/', '\\'], "_");
    let stem = match flat.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => short(stem),
        _ => short(&flat),
    };
    let mut name = format!("{stem}_{suffix}.xlsx");
    if !taken.insert(name.to_lowercase()) {
        name = format!("{}_{suffix}.xlsx", short(&flat.replace('.', "_")));
        taken.insert(name.to_lowercase());
    }
    name
}

/// The 1-based row of a cell reference (`F17`, `17`).
fn row_of(cell: &str) -> Option<u32> {
    cell.trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()
}

/// The row an issue is about, as read: each value under its header (`Deadline: 31/02/2025`),
/// or its column letter where the header row has none.
fn row_as_read(
    l: &Labels,
    issue: &Issue,
    raw: Option<&RawWorkbook>,
    headers: Option<&Headers>,
) -> String {
    let (Some(raw), Some(row)) = (raw, row_of(&issue.cell)) else {
        return String::new();
    };
    let Some(sheet) = raw.sheets.iter().find(|s| s.name == issue.sheet) else {
        return String::new();
    };
    let Some(cells) = sheet.rows.iter().find(|r| r.index + 1 == row) else {
        return String::new();
    };
    let header = headers
        .and_then(|h| h.sheets.get(&issue.sheet))
        .and_then(|(row, _)| row.as_ref())
        .filter(|h| h.index != cells.index);
    cells
        .cells
        .iter()
        .filter(|(_, c)| !c.is_blank())
        .map(|(col, c)| {
            let name = header
                .and_then(|h| h.get(*col))
                .map(|h| h.display())
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| rust_xlsxwriter::utility::column_number_to_name(*col as u16));
            // A number as the sender's Excel shows it in this language (`0,9`).
            let value = match c {
                crate::read::RawCell::Number(n) => l.number(*n, 10),
                other => other.as_typed(),
            };
            l.labelled(name.trim(), value)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What to do about an issue: the catalogue's advice for its reason, else for a reason it
/// wraps (`{column}: {reason}`), else for its severity.
fn todo(l: &Labels, reason: &crate::model::Reason, severity: Severity) -> String {
    fn keys(reason: &crate::model::Reason, out: &mut Vec<&'static str>) {
        out.push(reason.key);
        for (_, arg) in &reason.args {
            if let crate::model::Arg::Reason(inner) = arg {
                keys(inner, out);
            }
        }
    }
    let mut all = Vec::new();
    keys(reason, &mut all);
    all.iter()
        .find_map(|k| l.todo.get(*k).cloned())
        .unwrap_or_else(|| l.todo(severity.as_str(), severity.as_str()))
}

/// The feedback workbook of one file.
fn workbook(
    l: &'static Labels,
    run: &FeedbackRun,
    name: &str,
    issues: &[&Issue],
    raw: Option<&RawWorkbook>,
    headers: Option<&Headers>,
) -> Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(l.fill(&l.feedback_title, &[("file", name.to_string())]))
            .set_creation_datetime(&run.as_of)
            // Dropped back into the inbox, it is known as ours and not read as data.
            .set_custom_property(crate::read::GENERATOR_PROPERTY, env!("CARGO_PKG_VERSION"))
            .set_custom_property(FEEDBACK_PROPERTY, run.month),
    );
    let ws = wb.add_worksheet();
    ws.set_name(&l.sheet_issues)?;
    let count = |s: Severity| issues.iter().filter(|i| i.severity == s).count() as u64;
    ws.write_string_with_format(
        0,
        0,
        l.fill(&l.feedback_title, &[("file", name.to_string())]),
        &styles.title,
    )?;
    let subtitle = l.fill(
        &l.feedback_subtitle,
        &[
            ("as_of", l.date(run.as_of)),
            ("month", l.month(run.month)),
            ("errors", l.count(count(Severity::Error))),
            ("warnings", l.count(count(Severity::Warning))),
        ],
    );
    ws.write_string_with_format(1, 0, subtitle, &styles.subtitle)?;
    ws.write_string_with_format(2, 0, &l.feedback_intro, &styles.note)?;
    let rows: Vec<Vec<Out>> = issues
        .iter()
        .map(|i| {
            vec![
                Out::text(i.sheet.clone()),
                Out::text(l.cell_or_row(&i.cell)),
                Out::Status(l.severity(i.severity.as_str()), i.severity.as_str().into()),
                Out::text(i.value.clone()),
                Out::Wrap(row_as_read(l, i, raw, headers)),
                Out::Wrap(l.render(&i.reason)),
                Out::Wrap(todo(l, &i.reason, i.severity)),
            ]
        })
        .collect();
    let mut widths = Widths::default();
    widths.pin(4, 50);
    widths.pin(5, 70);
    widths.pin(6, 40);
    write_table(
        ws,
        &styles,
        &mut widths,
        "Feedback",
        4,
        0,
        &l.feedback_columns,
        &rows,
        l,
        &l.nothing,
    )?;
    ws.set_freeze_panes(5, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    widths.apply(ws)?;
    Ok(wb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_names_drop_the_extension_and_keep_it_when_two_files_would_clash() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique_name("hr/verzuim.xlsx", "meldingen", &mut taken),
            "hr_verzuim_meldingen.xlsx"
        );
        assert_eq!(
            unique_name("hr/verzuim.csv", "meldingen", &mut taken),
            "hr_verzuim_csv_meldingen.xlsx"
        );
        assert_eq!(unique_name("x", "issues", &mut taken), "x_issues.xlsx");
        let long = format!("{}.csv", "a".repeat(250));
        let name = unique_name(&long, "signalements", &mut taken);
        assert_eq!(name, format!("{}_signalements.xlsx", "a".repeat(60)));
    }

    #[test]
    fn a_cell_reference_gives_its_row() {
        assert_eq!(row_of("F17"), Some(17));
        assert_eq!(row_of("17"), Some(17));
        assert_eq!(row_of(""), None);
    }
}
