//! `scoreboard watch`: builds the month's workbook from a drop folder, then rebuilds it whenever
//! the folder's input files change, one line per rebuild naming what changed and what failed.
//! Unchanged files are not read again (`ReadCache`); a file still being copied is waited for; a
//! failed rebuild keeps the last good workbook; Ctrl-C ends it at once with code 0.

use super::report::{workbook_builder, write_outputs};
use crate::cli::WatchArgs;
use crate::config::{RunConfig, WatchConfig};
use crate::consolidate::TypedFile;
use crate::engine::RunResult;
use crate::error::RunError;
use crate::i18n::Labels;
use crate::model::Severity;
use crate::progress::Progress;
use crate::read::settle::{settled, snapshot_with, Snapshot};
use crate::read::{display_names, ReadCache};
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// Quiet time the debouncer waits for after a file's last event before reporting it.
const DEBOUNCE: Duration = Duration::from_millis(400);
/// How often the loop looks again while a change waits to settle.
const LOOK_EVERY: Duration = Duration::from_millis(200);
/// Names listed per kind of change on a line; the rest are counted.
const NAMES_SHOWN: usize = 3;

/// Watches until Ctrl-C (or SIGTERM); returns 0.
///
/// # Errors
/// A [`RunError`] for bad arguments or config, an output folder that cannot be made, or a
/// folder the operating system will not watch. Failed rebuilds are reported and waited out.
pub fn run(args: &WatchArgs) -> Result<u8, RunError> {
    let watch = RunConfig::for_watch(args)?;
    std::fs::create_dir_all(&watch.out_dir).map_err(|e| RunError::Write {
        path: watch.out_dir.clone(),
        detail: format!("cannot create the output folder: {e}"),
    })?;
    let cannot_watch = |detail: String| RunError::Watch {
        path: watch.dir.clone(),
        detail,
    };
    let quiet = watch.run.quiet;
    let l = crate::i18n::labels(watch.run.lang);
    let watched = watch.dir.clone();
    // Ctrl-C answers at once, during a rebuild too: its readers were interrupted with it, its
    // temporary files are removed, and the last good workbook stays (every save is a rename).
    crate::interrupt::on_interrupt(move |_| {
        if !quiet {
            let folder = ("folder", watched.display().to_string());
            eprintln!("{}", l.fill(&l.terminal.stopped_watching, &[folder]));
        }
        0
    })
    .map_err(|e| cannot_watch(format!("cannot handle Ctrl-C: {e}")))?;
    let (events, changes) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, events).map_err(|e| cannot_watch(e.to_string()))?;
    debouncer
        .watcher()
        .watch(&watch.dir, RecursiveMode::Recursive)
        .map_err(|e| cannot_watch(e.to_string()))?;
    if !quiet {
        let folder = ("folder", watch.dir.display().to_string());
        let out = ("out", watch.out_dir.display().to_string());
        eprintln!("{}", l.fill(&l.terminal.watching, &[folder, out]));
    }
    let mut cache = ReadCache::new();
    let mut built: Option<Snapshot> = None;
    let mut settling: Option<(Snapshot, Instant)> = None;
    let mut woken = true;
    loop {
        match changes.recv_timeout(LOOK_EVERY) {
            Ok(Ok(_)) => woken = true,
            Ok(Err(e)) => eprintln!("watch: {e}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !woken {
            continue;
        }
        let now = snapshot_with(&watch.dir, crate::corrections::FILE_NAME);
        if built.as_ref() == Some(&now) {
            (woken, settling) = (false, None);
            continue;
        }
        match &settling {
            Some((seen, since)) if *seen == now => {
                if !settled(&now, built.as_ref(), since.elapsed()) {
                    continue;
                }
            }
            _ => {
                settling = Some((now, Instant::now()));
                continue;
            }
        }
        let changed = Changes::between(&watch.dir, built.as_ref(), &now);
        let line = rebuild(&watch, &mut cache, &changed);
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the watch: the workbook is what matters.
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        (built, settling, woken) = (Some(now), None, false);
    }
    drop(debouncer);
    Ok(0)
}

/// The input files added, changed and removed since the last build, as the analyst names
/// them (relative to the watched folder). Empty for the first build.
#[derive(Debug, Default, PartialEq)]
struct Changes {
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
}

impl Changes {
    fn between(dir: &Path, built: Option<&Snapshot>, now: &Snapshot) -> Self {
        let Some(built) = built else {
            return Changes::default();
        };
        let name = |paths: Vec<PathBuf>| display_names(&[dir.to_path_buf()], &paths);
        let added = now.keys().filter(|p| !built.contains_key(*p)).cloned();
        let changed = now
            .iter()
            .filter(|(p, stamp)| built.get(*p).is_some_and(|b| b != *stamp))
            .map(|(p, _)| p.clone());
        let removed = built.keys().filter(|p| !now.contains_key(*p)).cloned();
        Changes {
            added: name(added.collect()),
            changed: name(changed.collect()),
            removed: name(removed.collect()),
        }
    }

    /// `added b.xlsx; changed a.xlsx, c.csv; ` (nothing for the first build).
    fn words(&self, l: &Labels) -> String {
        let t = &l.terminal;
        [
            (&t.added, &self.added),
            (&t.changed, &self.changed),
            (&t.removed, &self.removed),
        ]
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(what, names)| l.fill(what, &[("names", listed(l, names))]))
        .collect()
    }
}

/// `a.xlsx, b.csv, c.ods and 4 more`.
fn listed(l: &Labels, names: &[String]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => l.fill(
            &l.terminal.and_more,
            &[("names", shown), ("count", l.count(more as u64))],
        ),
    }
}

/// One rebuild and its line: time, what changed, files, errors and the files they are in
/// (`(not used)` when nothing of a file was used), workbook, the headline on-time rate; or why
/// it failed and that the last good workbook stays.
fn rebuild(watch: &WatchConfig, cache: &mut ReadCache<TypedFile>, changed: &Changes) -> String {
    let now = chrono::Local::now();
    let time = now.format("%H:%M:%S");
    let config = watch.run_for(now.date_naive());
    let l = crate::i18n::labels(config.lang);
    let t = &l.terminal;
    let workbook = config.workbook.clone().unwrap_or_default();
    let mut book = workbook_builder(&config);
    let run = crate::engine::run(&config, Some(cache), &Progress::hidden(), &mut book);
    let changes = changed.words(l);
    let built = run.and_then(|result| {
        let line = l.fill(
            &t.watch_line,
            &[
                ("time", time.to_string()),
                ("changes", changes.clone()),
                ("files", l.count(result.files.len() as u64)),
                ("errors", l.count(result.count(Severity::Error) as u64)),
                ("errors_in", failed_files(l, &result)),
                ("workbook", workbook.display().to_string()),
                ("on_time", on_time_headline(l, &result)),
            ],
        );
        write_outputs(&config, result, book, &Progress::hidden(), &mut Vec::new())?;
        Ok(line)
    });
    match built {
        Ok(line) => line,
        Err(e) if workbook.exists() => {
            let error = ("error", e.to_string());
            let workbook = ("workbook", workbook.display().to_string());
            let said = l.fill(&t.rebuild_failed, &[error, workbook]);
            format!("{time}  {changes}{said}")
        }
        Err(e) => {
            let said = l.fill(&t.not_built, &[("error", e.to_string())]);
            format!("{time}  {changes}{said}")
        }
    }
}

/// ` in b.xlsx, c.csv (not used)`: the files with errors, in input order; nothing without.
fn failed_files(l: &Labels, result: &RunResult) -> String {
    let errors = result
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error);
    let mut files: Vec<(&str, bool)> = Vec::new();
    for issue in errors {
        let whole_file = issue.sheet.is_empty() && issue.cell.is_empty();
        match files.iter_mut().find(|(f, _)| *f == issue.file) {
            Some((_, not_used)) => *not_used |= whole_file,
            None => files.push((&issue.file, whole_file)),
        }
    }
    if files.is_empty() {
        return String::new();
    }
    let names: Vec<String> = files
        .iter()
        .map(|(f, not_used)| {
            if *not_used {
                l.fill(&l.terminal.file_not_used, &[("file", f.to_string())])
            } else {
                f.to_string()
            }
        })
        .collect();
    l.fill(&l.terminal.errors_in, &[("names", listed(l, &names))])
}

/// `on time 43.8 % (7 of 16)`, the rate of the Dashboard's first tile.
fn on_time_headline(l: &Labels, result: &RunResult) -> String {
    match result.on_time().and_then(|r| Some((r.value?, r))) {
        Some((v, r)) => l.fill(
            &l.terminal.watch_on_time,
            &[
                ("percent", l.percent(v)),
                ("numerator", l.number(r.numerator.unwrap_or(0.0), 1)),
                ("denominator", l.number(r.denominator.unwrap_or(0.0), 1)),
            ],
        ),
        None => l.terminal.watch_on_time_none.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::SystemTime;

    fn stamp(len: u64) -> (u64, Option<SystemTime>) {
        (len, Some(SystemTime::UNIX_EPOCH))
    }

    #[test]
    fn a_line_names_what_was_added_changed_and_removed() {
        let inbox = tempfile::tempdir().unwrap();
        let dir = inbox.path();
        let before: Snapshot = [
            (dir.join("a.xlsx"), stamp(10)),
            (dir.join("b.csv"), stamp(5)),
            (dir.join("sub/c.ods"), stamp(7)),
        ]
        .into();
        let after: Snapshot = [
            (dir.join("a.xlsx"), stamp(11)),
            (dir.join("sub/c.ods"), stamp(7)),
            (dir.join("d.xlsx"), stamp(3)),
        ]
        .into();
        let changes = Changes::between(dir, Some(&before), &after);
        assert_eq!(
            changes,
            Changes {
                added: vec!["d.xlsx".into()],
                changed: vec!["a.xlsx".into()],
                removed: vec!["b.csv".into()],
            }
        );
        assert_eq!(
            changes.words(crate::i18n::labels(crate::model::Lang::En)),
            "added d.xlsx; changed a.xlsx; removed b.csv; "
        );
        let en = crate::i18n::labels(crate::model::Lang::En);
        assert_eq!(Changes::between(dir, None, &after).words(en), "");
        let many: Vec<String> = (1..=5).map(|i| format!("f{i}.csv")).collect();
        assert_eq!(listed(en, &many), "f1.csv, f2.csv, f3.csv and 2 more");
        let nl = crate::i18n::labels(crate::model::Lang::Nl);
        assert_eq!(listed(nl, &many), "f1.csv, f2.csv, f3.csv en 2 meer");
    }
}
