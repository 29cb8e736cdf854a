//! `scoreboard watch`: builds the month's workbook from a drop folder, then rebuilds it whenever
//! the folder's input files change, one line per rebuild. Unchanged files are not read again
//! (`ReadCache`); a failed rebuild keeps the last good workbook; Ctrl-C ends it with code 0.

use super::report::{workbook_builder, write_outputs};
use crate::cli::WatchArgs;
use crate::config::{RunConfig, WatchConfig};
use crate::consolidate::TypedFile;
use crate::engine::RunResult;
use crate::error::RunError;
use crate::model::Severity;
use crate::progress::Progress;
use crate::read::{collect_inputs, ReadCache};
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Quiet time the debouncer waits for after a file's last event before reporting it.
const DEBOUNCE: Duration = Duration::from_millis(400);
/// How long the input files must keep the same sizes and times before a rebuild: a file still
/// being copied (or saved by Excel in steps) is not read half-written.
const STABLE_FOR: Duration = Duration::from_millis(500);
/// How often the loop looks again while a change waits to settle, and checks for Ctrl-C.
const LOOK_EVERY: Duration = Duration::from_millis(200);

/// The input files of the folder with their size and modification time. Lock files (`~$x`),
/// hidden files and other extensions are left out by the same rules as `report`'s inputs, so
/// they never cause a rebuild.
type Snapshot = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn snapshot(dir: &std::path::Path) -> Snapshot {
    let (files, _) = collect_inputs(&[dir.to_path_buf()]);
    files
        .into_iter()
        .filter_map(|f| {
            let meta = std::fs::metadata(&f).ok()?;
            Some((f, (meta.len(), meta.modified().ok())))
        })
        .collect()
}

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
    let stop = Arc::new(AtomicBool::new(false));
    for sig in signal_hook::consts::TERM_SIGNALS {
        // The first Ctrl-C asks the loop to stop after the current rebuild; a second one, if
        // that rebuild hangs, ends the process at once.
        signal_hook::flag::register_conditional_shutdown(*sig, 130, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(*sig, Arc::clone(&stop)))
            .map_err(|e| cannot_watch(format!("cannot handle Ctrl-C: {e}")))?;
    }
    let (events, changes) = std::sync::mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, events).map_err(|e| cannot_watch(e.to_string()))?;
    debouncer
        .watcher()
        .watch(&watch.dir, RecursiveMode::Recursive)
        .map_err(|e| cannot_watch(e.to_string()))?;
    eprintln!(
        "watching {} → {} (Ctrl-C to stop)",
        watch.dir.display(),
        watch.out_dir.display()
    );
    let mut cache = ReadCache::new();
    let mut built: Option<Snapshot> = None;
    let mut settling: Option<(Snapshot, Instant)> = None;
    let mut woken = true;
    while !stop.load(Ordering::SeqCst) {
        match changes.recv_timeout(LOOK_EVERY) {
            Ok(Ok(_)) => woken = true,
            Ok(Err(e)) => eprintln!("watch: {e}"),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !woken {
            continue;
        }
        let now = snapshot(&watch.dir);
        if built.as_ref() == Some(&now) {
            (woken, settling) = (false, None);
            continue;
        }
        match &settling {
            Some((seen, since)) if *seen == now => {
                if since.elapsed() < STABLE_FOR {
                    continue;
                }
            }
            _ => {
                settling = Some((now, Instant::now()));
                continue;
            }
        }
        let line = rebuild(&watch, &mut cache, &stop);
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let mut out = std::io::stdout().lock();
        // A closed stdout must not stop the watch: the workbook is what matters.
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
        (built, settling, woken) = (Some(now), None, false);
    }
    drop(debouncer);
    eprintln!("stopped watching {}", watch.dir.display());
    Ok(0)
}

/// One rebuild and its line: time, files, errors, workbook, the headline on-time rate; or why
/// it failed and that the last good workbook stays. Writes nothing once Ctrl-C was pressed
/// (the readers, in the same process group, were interrupted too).
fn rebuild(watch: &WatchConfig, cache: &mut ReadCache<TypedFile>, stop: &AtomicBool) -> String {
    let now = chrono::Local::now();
    let time = now.format("%H:%M:%S");
    let config = watch.run_for(now.date_naive());
    let workbook = config.workbook.clone().unwrap_or_default();
    let mut book = workbook_builder(&config);
    let run = crate::engine::run(&config, Some(cache), &Progress::hidden(), &mut book);
    let built = run.and_then(|result| {
        let line = format!(
            "{} file(s), {} error(s)  {}  {}",
            result.files.len(),
            result.count(Severity::Error),
            workbook.display(),
            on_time_headline(&result)
        );
        if !stop.load(Ordering::SeqCst) {
            write_outputs(&config, result, book, &Progress::hidden(), &mut Vec::new())?;
        }
        Ok(line)
    });
    match built {
        Ok(line) => format!("{time}  {line}"),
        Err(e) if workbook.exists() => format!(
            "{time}  rebuild failed: {e}; {} left as it was",
            workbook.display()
        ),
        Err(e) => format!("{time}  not built: {e}"),
    }
}

/// `on time 43.8 % (7 of 16)`, the rate of the Dashboard's first tile.
fn on_time_headline(result: &RunResult) -> String {
    match result.on_time().and_then(|r| Some((r.value?, r))) {
        Some((v, r)) => format!(
            "on time {:.1} % ({} of {})",
            v * 100.0,
            r.numerator.unwrap_or(0.0),
            r.denominator.unwrap_or(0.0)
        ),
        None => "on time: no assessable action".into(),
    }
}
