//! Entry points shared by the cargo-fuzz targets (`fuzz/`) and the tests that replay their seeds
//! and crashes: each runs one stage on arbitrary input and checks the stage's promises. No command uses it.

use crate::config::Settings;
use crate::consolidate::{consolidate, Consolidated, FileTyper, Withdrawn};
use crate::model::{Issue, Severity};
use crate::parse::*;
use crate::read::{
    read_bytes, Abort, FileRead, Format, RawCell, RawRow, RawSheet, RawWorkbook, ReadError,
    ReadLimits,
};
use crate::schema::{Recognition, Schema};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Read limits small enough that a fuzzed input is refused before it takes the fuzzer's memory.
pub fn fuzz_limits() -> ReadLimits {
    ReadLimits {
        max_unpacked_mb: 64,
        max_cells: 200_000,
        ..ReadLimits::default()
    }
}

/// Reads `data` as a file named `name` (its extension steers format detection, as for a real
/// file) in this process, checks the rows come out as the reader promises, then consolidates
/// them and checks that nothing was lost ([`nothing_lost`]).
///
/// # Errors
/// A broken promise, in words (the fuzz target panics with it); an unreadable file is not one.
///
/// A panic inside calamine is not a finding: calamine panics on some damaged files (a slice
/// index past the end in `cfb.rs`, an assertion in `utils.rs`), and in a run the reader process
/// catches it and names the file. A panic anywhere else is ours: it is returned as an error.
pub fn read_and_consolidate(name: &str, data: &[u8]) -> Result<(), String> {
    let read =
        std::panic::catch_unwind(|| read_bytes(Path::new(name), data.to_vec(), &fuzz_limits()));
    let workbook = match read {
        Ok(Ok(wb)) => wb,
        // calamine's own panic, caught around each call into it (`read/spreadsheet.rs`).
        Ok(Err(ReadError::Aborted(Abort::Crashed(_)))) => return Ok(()),
        Ok(Err(ReadError::Aborted(e))) => return Err(format!("reader aborted: {e}")),
        Ok(Err(_)) => return Ok(()),
        Err(panic) => {
            let at = PANIC_AT.with(|p| p.take()).unwrap_or_default();
            if at.contains("/calamine-") {
                return Ok(());
            }
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(format!("the reader panicked at {at}: {message}"));
        }
    };
    check_rows(&workbook)?;
    consolidate_checked(name, workbook).map(|_| ())
}

thread_local! {
    /// Where the last panic of this thread happened (`file:line`), for [`read_and_consolidate`].
    static PANIC_AT: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

/// Installs (once) a panic hook that records where a panic happened, for
/// [`read_and_consolidate`] to tell calamine's panics from ours, and hands every other panic
/// to the hook in place before (libFuzzer's aborts: that is a finding). Called by the reader
/// targets and by the tests that replay their inputs.
pub fn record_panic_locations() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let calamine = at.contains("/calamine-");
            PANIC_AT.with(|p| p.set(Some(at)));
            if !calamine {
                before(info);
            }
        }));
    });
}

/// The promises of every [`crate::read::SheetSource`]: rows in increasing index, cells in
/// increasing column, no blank cell, no empty row.
///
/// # Errors
/// The first sheet that breaks one.
pub fn check_rows(workbook: &RawWorkbook) -> Result<(), String> {
    for sheet in &workbook.sheets {
        let name = &sheet.name;
        if !sheet.rows.windows(2).all(|w| w[0].index < w[1].index) {
            return Err(format!("sheet {name}: rows out of order or repeated"));
        }
        for row in &sheet.rows {
            if row.cells.is_empty() {
                return Err(format!("sheet {name}: empty row {}", row.index));
            }
            if !row.cells.windows(2).all(|w| w[0].0 < w[1].0) {
                return Err(format!(
                    "sheet {name}: cells of row {} unordered",
                    row.index
                ));
            }
            if row.cells.iter().any(|(_, c)| c.is_blank()) {
                return Err(format!("sheet {name}: a blank cell in row {}", row.index));
            }
        }
    }
    Ok(())
}

/// Consolidates one workbook with the default settings and checks [`nothing_lost`].
///
/// # Errors
/// What was lost, in words.
pub fn consolidate_checked(name: &str, workbook: RawWorkbook) -> Result<Consolidated, String> {
    let settings = Settings::default();
    let schema = Schema::new(&[]).map_err(|e| e.to_string())?;
    let files = [FileRead {
        path: name.into(),
        name: name.into(),
        result: Arc::new(Ok(workbook)),
    }];
    let cons = consolidate(&files, &schema, &settings, None);
    nothing_lost(&files, &schema, &settings, &cons, &cons.issues)?;
    if let Ok(workbook) = &*files[0].result {
        streamed_as_whole(name, workbook, &schema, &settings)?;
    }
    Ok(cons)
}

/// Checks that typing `workbook` as its reader streams it — in chunks, each sheet after a
/// first pass that a restart withdraws (the sheet's own first rows, then a decoy table of
/// another kind) — gives what typing it whole gives. Chunk size, restart point and decoy kind
/// are drawn from the workbook's size, so the fuzzer varies them too.
///
/// # Errors
/// The first part (issues, sheet fates, tables, rows) that differs, in words.
pub fn streamed_as_whole(
    name: &str,
    workbook: &RawWorkbook,
    schema: &Schema,
    settings: &Settings,
) -> Result<(), String> {
    let path = Path::new(name);
    let whole = FileTyper::type_workbook(schema, settings, path, name, workbook);
    let n: usize = workbook.sheets.iter().map(|s| s.rows.len()).sum();
    let chunk = 1 + n * 7 % 64;
    for withdrawn in [Withdrawn::Prefix(n % 50), Withdrawn::Decoy(n)] {
        let streamed = FileTyper::type_streamed(
            schema,
            settings,
            path,
            name,
            workbook,
            chunk,
            Some(withdrawn),
        );
        let (a, b) = (whole.summary(), streamed.summary());
        for (part, x, y) in [
            ("issues", &a.0, &b.0),
            ("sheets", &a.1, &b.1),
            ("tables", &a.2, &b.2),
            ("rows", &a.3, &b.3),
        ] {
            if x != y {
                let at = x.iter().zip(y).position(|(p, q)| p != q);
                return Err(format!(
                    "typed in chunks of {chunk} after withdrawing {withdrawn:?}, the {part} \
                     differ from typing it whole ({} against {}; first difference at {at:?})",
                    y.len(),
                    x.len()
                ));
            }
        }
    }
    Ok(())
}

/// Checks, for every sheet that holds a table, that each non-empty row below its header is
/// accounted for exactly once — typed into the table, or on the Issues as an error (rejected) or
/// an info note (a total or note row, skipped) — and that the sheet's [`RowCounts`] say the same.
/// Counted from the raw sheets and the issues, not from the counts themselves, so a row that
/// vanished without an issue, or was counted twice, is caught. `issues` is the run's list
/// (`cons.issues`, or a run result's after the KPI stage took it over).
///
/// [`RowCounts`]: crate::consolidate::RowCounts
///
/// # Errors
/// The first sheet where a row is lost or the counts disagree, in words.
pub fn nothing_lost(
    files: &[FileRead],
    schema: &Schema,
    settings: &Settings,
    cons: &Consolidated,
    issues: &[Issue],
) -> Result<(), String> {
    // Every typed row: those in the tables, and the action rows the snapshot merge left out.
    let typed: HashSet<(&str, &str, u32)> = cons
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().map(|r| &r.origin))
        .chain(&cons.merged_away)
        .map(|o| (o.file(), o.sheet(), o.row))
        .collect();
    let issue_rows = |file: &str, sheet: &str, severity: Severity| -> BTreeSet<u32> {
        issues
            .iter()
            .filter(|i| i.file == file && i.sheet == sheet && i.severity == severity)
            .filter_map(|i| {
                let digits = i.cell.trim_start_matches(|c: char| c.is_ascii_alphabetic());
                digits.parse().ok()
            })
            .collect()
    };
    for read in files {
        let Ok(workbook) = read.result.as_ref() else {
            continue;
        };
        // A workbook of ours is never read as data (one info note); nothing of it to account for.
        if workbook.written_by_scoreboard {
            continue;
        }
        let file = read.shown();
        for sheet in &workbook.sheets {
            let outcome = || {
                cons.sheets
                    .iter()
                    .find(|s| s.file == file && s.sheet == sheet.name)
                    .ok_or_else(|| format!("{file} / {}: no outcome recorded", sheet.name))
            };
            let layout = match settings.recognise(schema, &read.path.to_string_lossy(), sheet) {
                Recognition::Table(layout) => layout,
                // A sheet close to a kind: every row below its header is rejected, by one
                // error of the sheet (a note when there is none).
                Recognition::Near(near) => {
                    let below = sheet.rows[near.header_pos + 1..]
                        .iter()
                        .filter(|r| r.cells.iter().any(|(_, c)| !c.is_blank()))
                        .count();
                    let r = outcome()?.rows;
                    if (r.read, r.kept, r.rejected, r.skipped) != (below, 0, below, 0) {
                        return Err(format!(
                            "{file} / {}: {below} row(s) below a header close to {}, recorded {r:?}",
                            sheet.name, near.kind.name
                        ));
                    }
                    let said = issues.iter().any(|i| {
                        i.file == file
                            && i.sheet == sheet.name
                            && i.severity
                                == if below > 0 {
                                    Severity::Error
                                } else {
                                    Severity::Info
                                }
                    });
                    if !said {
                        return Err(format!(
                            "{file} / {}: rows rejected without an issue",
                            sheet.name
                        ));
                    }
                    continue;
                }
                Recognition::Ignored(_) => continue,
            };
            let outcome = outcome()?;
            let below: Vec<u32> = sheet.rows[layout.header_pos + 1..]
                .iter()
                .filter(|r| r.cells.iter().any(|(_, c)| !c.is_blank()))
                .map(|r| r.index + 1)
                .collect();
            let errors = issue_rows(&file, &sheet.name, Severity::Error);
            let notes = issue_rows(&file, &sheet.name, Severity::Info);
            let (mut kept, mut rejected, mut skipped) = (0, 0, 0);
            for row in &below {
                if typed.contains(&(file.as_str(), sheet.name.as_str(), *row)) {
                    kept += 1;
                } else if errors.contains(row) {
                    rejected += 1;
                } else if notes.contains(row) {
                    skipped += 1;
                } else {
                    return Err(format!(
                        "{file} / {} row {row}: neither kept nor on the Issues",
                        sheet.name
                    ));
                }
            }
            let counted = (below.len(), kept, rejected, skipped);
            let r = outcome.rows;
            if counted != (r.read, r.kept, r.rejected, r.skipped) {
                return Err(format!(
                    "{file} / {}: rows read/kept/rejected/skipped counted {counted:?}, recorded {r:?}",
                    sheet.name
                ));
            }
        }
    }
    Ok(())
}

/// A workbook described as text, so that fuzz seeds stay readable: one line per row, cells
/// separated by tabs. A cell is text unless it opens with a type tag: `{n}12.5` number,
/// `{d}2025-03-15` date, `{t}2025-03-15T08:30:00` date-time, `{h}08:30:00` time, `{u}1.5`
/// duration, `{e}#N/A` error, `{b}true` boolean (a tag whose value does not parse gives the
/// text). A line `{row}N` moves the next row to 0-based index N (a row index never goes back);
/// `{sheet}Name` starts another sheet; `{1904}` marks the workbook's dates as counting from 1904.
pub fn workbook_from_text(data: &[u8]) -> RawWorkbook {
    let text = String::from_utf8_lossy(data);
    let mut sheets = vec![RawSheet {
        name: "Sheet1".into(),
        date_1904: false,
        rows: Vec::new(),
    }];
    let mut date_1904 = false;
    let mut index: u32 = 0;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line == "{1904}" {
            date_1904 = true;
            continue;
        }
        if let Some(name) = line.strip_prefix("{sheet}") {
            // Sheet names are unique in a workbook, case-insensitively (Excel refuses a repeat).
            let mut name: String = name.chars().take(31).collect();
            let base = name.clone();
            let mut n = 1;
            while sheets
                .iter()
                .any(|s| s.name.to_lowercase() == name.to_lowercase())
            {
                n += 1;
                name = format!("{base} ({n})");
            }
            sheets.push(RawSheet {
                name,
                date_1904: false,
                rows: Vec::new(),
            });
            index = 0;
            continue;
        }
        if let Some(n) = line.strip_prefix("{row}") {
            if let Ok(n) = n.trim().parse::<u32>() {
                index = index.max(n.min(1_048_575));
            }
            continue;
        }
        let cells: Vec<(u32, RawCell)> = line
            .split('\t')
            .take(16_384)
            .enumerate()
            .map(|(c, field)| (c as u32, tagged_cell(field)))
            .filter(|(_, cell)| !cell.is_blank())
            .collect();
        if !cells.is_empty() {
            if let Some(sheet) = sheets.last_mut() {
                sheet.rows.push(RawRow { index, cells });
            }
        }
        index = (index + 1).min(1_048_575);
        // One row per index: a later line at the cap would repeat it.
        if sheets
            .last()
            .and_then(|s| s.rows.last())
            .is_some_and(|r| r.index == 1_048_575)
        {
            break;
        }
    }
    for sheet in &mut sheets {
        sheet.date_1904 = date_1904;
    }
    RawWorkbook {
        format: Format::Xlsx,
        sheets,
        notes: Vec::new(),
        skipped: Vec::new(),
        written_by_scoreboard: false,
    }
}

fn tagged_cell(field: &str) -> RawCell {
    let text = || RawCell::Text(field.to_string());
    let Some(rest) = field.strip_prefix('{') else {
        return text();
    };
    let Some((tag, value)) = rest.split_once('}') else {
        return text();
    };
    let typed = match tag {
        "n" => value.parse().ok().map(RawCell::Number),
        "u" => value.parse().ok().map(RawCell::Duration),
        "d" => value.parse::<NaiveDate>().ok().map(RawCell::Date),
        "t" => value.parse::<NaiveDateTime>().ok().map(RawCell::DateTime),
        "h" => value.parse::<NaiveTime>().ok().map(RawCell::Time),
        "b" => value.parse().ok().map(RawCell::Bool),
        "e" => Some(RawCell::Error(value.to_string())),
        _ => None,
    };
    typed.unwrap_or_else(text)
}

/// Runs every value parser of [`crate::parse`] on `text` and checks what each promises: dates
/// within 1900–9999, finite numbers, a normalised word without outer spaces; and that what
/// `parse_number_text` reads, written back plainly, reads the same.
///
/// # Errors
/// The broken promise, in words.
pub fn parse_values(text: &str) -> Result<(), String> {
    use chrono::Datelike;
    if let Some(d) = parse_date_text(text) {
        if !(1900..=9999).contains(&d.year()) {
            return Err(format!("{text:?} read as the date {d}"));
        }
    }
    let _ = parse_numeric_date(text);
    let _ = parse_deadline_text(text);
    if let Some(p) = parse_period_text(text) {
        if p.start.day() != 1 {
            return Err(format!("{text:?} read as a period starting {}", p.start));
        }
    }
    if let Some(n) = parse_number_text(text) {
        if !n.value.is_finite() {
            return Err(format!("{text:?} read as {}", n.value));
        }
        // Written back plainly with a decimal comma (Rust never writes an exponent here).
        let plain = n.value.to_string().replace('.', ",");
        let again = parse_number_text(&plain).map(|m| m.value);
        if again != Some(n.value) {
            return Err(format!(
                "{text:?} read as {}, which reads back as {again:?}",
                n.value
            ));
        }
    }
    if let Some(f) = parse_percent_text(text) {
        if !f.is_finite() {
            return Err(format!("{text:?} read as the fraction {f}"));
        }
    }
    let _ = parse_status(text);
    let _ = parse_yes_no(text);
    let _ = parse_polarity(text);
    let _ = month_from_name(text);
    let _ = period_from_file_name(text);
    let n = normalize(text);
    if n.starts_with(' ') || n.ends_with(' ') {
        return Err(format!("{text:?} normalised to {n:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "Actie-ID\tOmschrijving\tDirectie\tDeadline\tStatus\nA1\tt\tP\tdoorlopend\tLopend\n\tno id\tP\tdoorlopend\tLopend\nTotaal\t2\n";

    #[test]
    fn a_row_that_vanishes_or_a_wrong_count_is_caught() {
        let settings = Settings::default();
        let schema = Schema::new(&[]).unwrap();
        let files = [FileRead {
            path: "f.xlsx".into(),
            name: "f.xlsx".into(),
            result: Arc::new(Ok(workbook_from_text(SHEET.as_bytes()))),
        }];
        let mut cons = consolidate(&files, &schema, &settings, None);
        let check = |cons: &Consolidated, issues: &[Issue]| {
            nothing_lost(&files, &schema, &settings, cons, issues)
        };
        assert_eq!(check(&cons, &cons.issues), Ok(()));
        let r = cons.sheets[0].rows;
        assert_eq!((r.read, r.kept, r.rejected, r.skipped), (3, 1, 1, 1));
        // The rejected row's issue gone: the row is lost.
        let without: Vec<Issue> = cons
            .issues
            .iter()
            .filter(|i| i.severity != Severity::Error)
            .cloned()
            .collect();
        assert!(check(&cons, &without)
            .unwrap_err()
            .contains("row 3: neither kept"));
        // A count that does not add up.
        cons.sheets[0].rows.skipped = 0;
        assert!(check(&cons, &cons.issues).unwrap_err().contains("recorded"));
    }

    #[test]
    fn text_workbooks_keep_types_and_row_positions() {
        let wb =
            workbook_from_text(b"{row}4\na\t{n}1.5\t{d}2025-03-15\t{x}y\n\n{e}#N/A\n{sheet}S2\nb");
        assert_eq!(wb.sheets.len(), 2);
        let rows = &wb.sheets[0].rows;
        assert_eq!((rows[0].index, rows[1].index), (4, 6));
        assert_eq!(rows[0].cells[1].1, RawCell::Number(1.5));
        assert!(matches!(rows[0].cells[2].1, RawCell::Date(_)));
        assert_eq!(rows[0].cells[3].1, RawCell::Text("{x}y".into()));
        assert_eq!(rows[1].cells[0].1, RawCell::Error("#N/A".into()));
        assert_eq!(check_rows(&wb), Ok(()));
    }
}
