//! The page's rebuilds: one thread owns the read cache and runs the engine whenever the inbox
//! changes or the page asks for another language or month. Each rebuild is published twice
//! through a [`tokio::sync::watch`] channel: once the files are read (the verdicts, issues and
//! dashboard, within a second of a drop), then once the outputs are written (the downloads).
//! Wake-ups that arrive during a rebuild are coalesced into the next one.

use super::page;
use crate::commands::check::CheckReport;
use crate::commands::report::{with_feedback_run, workbook_builder, write_outputs};
use crate::config::{KpiExport, KpiFormat, Lang, ServeConfig, ServeOutputs};
use crate::consolidate::TypedFile;
use crate::engine;
use crate::i18n::labels;
use crate::progress::Progress;
use crate::read::settle::{settled, snapshot_with, Snapshot};
use crate::read::ReadCache;
use crate::received::Received;
use crate::write::{html, rows_as_read, write_kpi_export, Report};
use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the folder is looked at for files copied into it by hand.
const LOOK_EVERY: Duration = Duration::from_millis(250);

/// What the page chose: the language of everything it shows and writes, and the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Language of the page, the workbook, the HTML page and the reasons.
    pub lang: Lang,
    /// `YYYY-MM`, or `None` for the latest report date found.
    pub month: Option<String>,
}

/// Why the builder is woken.
#[derive(Debug)]
pub enum Wake {
    /// The page stored or moved a file: rebuild at once (no settle wait: it was written whole).
    Changed,
    /// The page chose another language or month.
    Choose(Choice),
}

/// Where a rebuild stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading the inbox (what is shown is the previous build's).
    Reading,
    /// Read: verdicts, issues and dashboard are this build's; the outputs are being written.
    Writing,
    /// Everything written.
    Ready,
    /// The build failed (`error` says why); the previous outputs stay.
    Failed,
}

/// One published state of the page.
#[derive(Debug, Clone)]
pub struct Built {
    /// Raised at every publication; the page asks again when it changes.
    pub generation: u64,
    /// Where the rebuild stands.
    pub phase: Phase,
    /// What it was built for.
    pub choice: Choice,
    /// The month shown (`YYYY-MM`), once a build has read.
    pub month: String,
    /// When the last build read the inbox (`HH:MM:SS`).
    pub read_at: String,
    /// Why the last build failed, if it did.
    pub error: Option<String>,
    /// `check --format json`'s document of the build.
    pub check_json: Arc<String>,
    /// The page's parts, rendered in the build's language.
    pub parts: Arc<page::Parts>,
    /// The dashboard page (`report --html`'s bytes).
    pub dashboard: Arc<String>,
    /// The generation that published [`Built::dashboard`] (the page reloads its frame when it
    /// changes).
    pub dashboard_generation: u64,
    /// The outputs written, once [`Phase::Ready`].
    pub outputs: Option<Arc<Written>>,
}

/// Feedback files by name, with their bytes.
pub type Feedback = Vec<(String, Arc<Vec<u8>>)>;

/// The outputs of a finished build, for the downloads.
#[derive(Debug, Clone)]
pub struct Written {
    /// Their paths.
    pub paths: ServeOutputs,
    /// The feedback files written, by file name, with their bytes: held, so a download during
    /// the next rebuild (which replaces the folder's files) still gets this build's.
    pub feedback: Feedback,
}

/// What the page's handlers share with the builder.
#[derive(Debug)]
pub struct Shared {
    /// The validated command line.
    pub config: ServeConfig,
    /// What happened to recent drops, by file name as shown (`replaced …`), for the verdicts.
    pub notes: Mutex<BTreeMap<String, String>>,
}

/// Runs the builder until `wake` closes: a first build at once, then one after each change.
pub fn run_builder(
    shared: Arc<Shared>,
    wake: Receiver<Wake>,
    publish: tokio::sync::watch::Sender<Built>,
    first: Choice,
) {
    let mut cache = ReadCache::new();
    // The configuration as last read: `scoreboard.toml` is read again when it changes (a
    // mapping saved on the page, or an edit by hand), and then every file is typed again.
    let mut config = shared.config.clone();
    let stamp_of = |path: &std::path::Path| {
        std::fs::metadata(path)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    let mut config_stamp = stamp_of(&config.config_path);
    let mut choice = first;
    let mut built: Option<Snapshot> = None;
    let mut settling: Option<(Snapshot, Instant)> = None;
    let mut chosen = true;
    let mut told = false;
    loop {
        match wake.recv_timeout(LOOK_EVERY) {
            Ok(w) => note(w, &mut choice, &mut chosen, &mut told),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while let Ok(w) = wake.try_recv() {
            note(w, &mut choice, &mut chosen, &mut told);
        }
        let now = inbox_state(&config.dir);
        let stamp = stamp_of(&config.config_path);
        if stamp != config_stamp {
            config_stamp = stamp;
            match config.reloaded() {
                Ok(next) => {
                    config = next;
                    cache = ReadCache::new();
                    chosen = true;
                }
                Err(e) => {
                    failed(&publish, &choice, e.to_string());
                    continue;
                }
            }
        }
        let changed = built.as_ref() != Some(&now);
        if !changed && !chosen {
            settling = None;
            continue;
        }
        if changed && !ready(&now, built.as_ref(), told, &mut settling) {
            continue;
        }
        if !now
            .keys()
            .any(|p| p.file_name() != Some(crate::corrections::FILE_NAME.as_ref()))
        {
            empty(&choice, &publish);
        } else {
            build(&shared, &config, &mut cache, &choice, &publish);
        }
        (built, settling, chosen, told) = (Some(now), None, false, false);
    }
}

/// The inbox's input files and its corrections files (hidden, so not among the inputs, but a
/// correction recorded from the command line changes what the page shows).
fn inbox_state(dir: &std::path::Path) -> Snapshot {
    snapshot_with(dir, crate::corrections::FILE_NAME)
}

fn note(w: Wake, choice: &mut Choice, chosen: &mut bool, told: &mut bool) {
    match w {
        Wake::Changed => *told = true,
        Wake::Choose(c) => {
            *chosen |= *choice != c;
            *choice = c;
        }
    }
}

/// Whether a changed folder can be read now: at once when the page made the change (a
/// dropped file is written whole, even one that is no workbook at all: a half workbook sent as
/// such gets its verdict at once); for a copy by hand, once it has settled as for `watch`. A
/// hand copy still under way while the page makes a change is read again when it ends (the read
/// cache knows it by size and time).
fn ready(
    now: &Snapshot,
    built: Option<&Snapshot>,
    told: bool,
    settling: &mut Option<(Snapshot, Instant)>,
) -> bool {
    if told {
        return true;
    }
    match settling {
        Some((seen, since)) if seen == now => settled(now, built, since.elapsed()),
        _ => {
            *settling = Some((now.clone(), Instant::now()));
            false
        }
    }
}

/// Publishes a failed build: why, the previous build's parts and outputs kept.
fn failed(publish: &tokio::sync::watch::Sender<Built>, choice: &Choice, error: String) {
    publish.send_modify(|b| {
        b.generation += 1;
        b.phase = Phase::Failed;
        b.choice = choice.clone();
        b.error = Some(error);
    });
}

/// An inbox without input files is where every month starts, not a failure: the page says
/// there are no files yet and offers nothing to download but the templates.
fn empty(choice: &Choice, publish: &tokio::sync::watch::Sender<Built>) {
    let parts = page::Parts::empty(labels(choice.lang));
    publish.send_modify(|b| {
        let generation = b.generation + 1;
        *b = Built::before_first(choice.clone());
        b.generation = generation;
        b.dashboard_generation = generation;
        b.phase = Phase::Ready;
        b.parts = Arc::new(parts);
    });
}

/// One rebuild, published when read and when written.
fn build(
    shared: &Shared,
    config: &crate::config::ServeConfig,
    cache: &mut ReadCache<TypedFile>,
    choice: &Choice,
    publish: &tokio::sync::watch::Sender<Built>,
) {
    publish.send_modify(|b| {
        b.generation += 1;
        b.phase = Phase::Reading;
    });
    let l = labels(choice.lang);
    let failed = |error: String| failed(publish, choice, error);
    let run = match config.run_for(choice.lang, choice.month.as_deref()) {
        Ok(run) => run,
        Err(e) => return failed(e.to_string()),
    };
    let mut book = workbook_builder(&run);
    let result = match engine::run(&run, Some(cache), &Progress::hidden(), &mut book) {
        Ok(result) => result,
        Err(e) => return failed(e.to_string()),
    };
    let read_at = chrono::Local::now().format("%H:%M:%S").to_string();
    let notes = shared
        .notes
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let parts = |rows: &page::Rows| {
        let received = Received::of(&result);
        let report = CheckReport::new(&result, &received, l);
        let json = serde_json::to_string(&report).unwrap_or_default();
        (page::Parts::new(l, &report, &result, &notes, rows), json)
    };
    let (first, check_json) = parts(&page::Rows::new());
    let dashboard = Arc::new(html::render(&Report::new(&result, l)));
    let month = result.month.clone();
    publish.send_modify(|b| {
        b.generation += 1;
        b.phase = Phase::Writing;
        b.choice = choice.clone();
        b.month = month.clone();
        b.read_at = read_at;
        b.error = None;
        b.check_json = Arc::new(check_json);
        b.parts = Arc::new(first);
        b.dashboard = Arc::clone(&dashboard);
        b.dashboard_generation = b.generation;
    });
    // The rows behind the issues: the files with errors or warnings read once more.
    let rows = with_feedback_run(&run, &result, |f, readers| rows_as_read(f, readers, l));
    if let Some(rows) = rows.ok().filter(|r| !r.is_empty()) {
        let (with_rows, _) = parts(&rows);
        publish.send_modify(|b| {
            b.generation += 1;
            b.parts = Arc::new(with_rows);
        });
    }
    let paths = config.outputs(&month);
    let run = config.with_outputs(run, &paths);
    let written = write_all(&run, &paths, result, book, &dashboard);
    match written {
        Ok(feedback) => publish.send_modify(|b| {
            b.generation += 1;
            b.phase = Phase::Ready;
            b.outputs = Some(Arc::new(Written { paths, feedback }));
        }),
        Err(e) => failed(e.to_string()),
    }
}

/// Writes the HTML page and the Parquet table, then what `report` writes; returns the
/// feedback files.
fn write_all(
    run: &crate::config::RunConfig,
    paths: &ServeOutputs,
    result: engine::RunResult,
    book: crate::write::WorkbookBuilder,
    page: &str,
) -> Result<Feedback, crate::error::RunError> {
    std::fs::create_dir_all(&paths.feedback_dir).map_err(|e| crate::error::RunError::Write {
        path: paths.feedback_dir.clone(),
        detail: e.to_string(),
    })?;
    crate::write::save_atomically(&paths.html, page.as_bytes()).map_err(|e| {
        crate::error::RunError::Write {
            path: paths.html.clone(),
            detail: e.to_string(),
        }
    })?;
    let parquet = KpiExport {
        path: paths.kpis_parquet.clone(),
        format: KpiFormat::Parquet,
        csv: run.kpis.as_ref().map(|k| k.csv).unwrap_or_default(),
    };
    write_kpi_export(&parquet, &result.kpis)?;
    write_outputs(run, result, book, &Progress::hidden(), &mut Vec::new())?;
    let mut feedback: Feedback = std::fs::read_dir(&paths.feedback_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
                .filter_map(|p| {
                    let name = p.file_name()?.to_string_lossy().into_owned();
                    Some((name, Arc::new(std::fs::read(&p).ok()?)))
                })
                .collect()
        })
        .unwrap_or_default();
    feedback.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(feedback)
}

impl Built {
    /// The state before the first build.
    pub fn before_first(choice: Choice) -> Self {
        Built {
            generation: 0,
            phase: Phase::Reading,
            choice,
            month: String::new(),
            read_at: String::new(),
            error: None,
            check_json: Arc::new(String::new()),
            parts: Arc::new(page::Parts::default()),
            dashboard: Arc::new(String::new()),
            dashboard_generation: 0,
            outputs: None,
        }
    }
}
