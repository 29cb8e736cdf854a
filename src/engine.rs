//! The engine as a library: a validated [`RunConfig`] in, a [`RunResult`] out, through the
//! stages read → recognise/type → consolidate → KPIs, each a function of the configuration.
//! Writes nothing: the commands decide what becomes of the result.

use crate::config::RunConfig;
use crate::consolidate::{merge, Consolidated, Expected, FileTyper, RowTap, TypedFile};
use crate::error::RunError;
use crate::kpi::{self, KpiResults, Periods};
use crate::model::{Issue, Severity};
use crate::progress::Progress;
use crate::read::{collect_inputs, display_names, read_files_into, FileRead, ReadCache};
use chrono::{Datelike, NaiveDate};
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// Prints how long each stage took when `SCOREBOARD_TIMINGS` is set (for benchmarks and support).
pub struct Stopwatch {
    on: bool,
    last: std::time::Instant,
}

impl Stopwatch {
    /// Starts timing if `SCOREBOARD_TIMINGS` is set.
    pub fn start() -> Self {
        Stopwatch {
            on: timings_on(),
            last: std::time::Instant::now(),
        }
    }

    /// Reports the time since the previous lap under a stage name.
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!(
                "timing: {stage:<28} {:>8.3} s{}",
                self.last.elapsed().as_secs_f64(),
                peak_memory().map_or(String::new(), |mib| format!("   peak {mib:>6} MiB"))
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// Whether `SCOREBOARD_TIMINGS` asks for the stages' timings (and other `timing:` lines).
pub fn timings_on() -> bool {
    std::env::var_os("SCOREBOARD_TIMINGS").is_some()
}

/// This process's peak resident memory so far in MiB (Linux: `VmHWM`), for the timings.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Everything one run computed, before anything is written. The workbook and the exports
/// borrow it; its KPI families are reached through [`Deref`] to [`KpiResults`].
#[derive(Debug)]
pub struct RunResult {
    /// The input files, sorted, as shown to the analyst (relative to the input folder given).
    pub files: Vec<String>,
    /// Consolidated tables and lineage (their issues have moved to `issues`).
    pub cons: Consolidated,
    /// The run's dates.
    pub periods: Periods,
    /// Reporting month label `YYYY-MM`.
    pub month: String,
    /// Every KPI family's result (its issues have moved to `issues`).
    pub families: KpiResults,
    /// Every issue: reading and consolidation first, then the KPI stage's.
    pub issues: Vec<Issue>,
    /// Targets of headline KPIs (the lowest green value of their thresholds), by KPI id.
    pub targets: Vec<(&'static str, f64)>,
    /// The expected directorates that sent nothing for the month, or only an older snapshot.
    pub expected: Expected,
}

impl Deref for RunResult {
    type Target = KpiResults;

    fn deref(&self) -> &KpiResults {
        &self.families
    }
}

impl RunResult {
    /// The target of a KPI, if it has thresholds.
    pub fn target(&self, kpi: &str) -> Option<f64> {
        self.targets
            .iter()
            .find(|(k, _)| *k == kpi)
            .map(|(_, t)| *t)
    }

    /// Number of issues of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count()
    }

    /// Lets go of the consolidated rows, the actions' lineage and their records, freed on a
    /// thread of their own (1.2 million rows take 0.2 s to free), for a caller that needs none
    /// of them any more: the workbook, once assembled, holds its own cells, and the zip that
    /// follows then has their memory (docs/performance.md). The tables stay, empty: what counts
    /// their rows ([`crate::commands::summary`]) must run before.
    pub fn let_go_of_rows(&mut self) {
        let rows: Vec<_> = self
            .cons
            .tables
            .iter_mut()
            .map(|t| std::mem::take(&mut t.rows))
            .collect();
        let history = self.cons.action_history.take();
        let lineage = std::mem::take(&mut self.cons.actions);
        let records = std::mem::take(&mut self.families.actions.records);
        let rows = (rows, history, lineage, records);
        // A thread that cannot be started drops its closure, and the rows with it, here.
        let _ = std::thread::Builder::new().spawn(move || drop(rows));
    }
}

/// Stage 0: the input files of the run, sorted, without the run's own outputs (a KPI workbook
/// left in the inbox is not read back as data).
///
/// # Errors
/// [`RunError::InputNotFound`] or [`RunError::NoInputs`].
pub fn input_files(config: &RunConfig) -> Result<Vec<PathBuf>, RunError> {
    let (mut files, missing) = collect_inputs(&config.inputs);
    if let Some(m) = missing.into_iter().next() {
        return Err(RunError::InputNotFound(m));
    }
    let outputs: Vec<PathBuf> = config
        .outputs()
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    files.retain(|f| std::fs::canonicalize(f).map_or(true, |c| !outputs.contains(&c)));
    if files.is_empty() {
        return Err(RunError::NoInputs);
    }
    Ok(files)
}

/// Stages 1–2: reads the files, each in an isolated child process of this binary, in parallel,
/// and types each file's rows as they stream from its reader (recognise the header row, type
/// every cell, keep lineage, raise issues), so no file's raw cells are ever held whole; with a
/// cache, unchanged files are neither read nor typed again.
///
/// # Errors
/// [`RunError::Readers`] when the binary cannot be located or threads cannot start.
pub fn read_stage(
    config: &RunConfig,
    files: &[PathBuf],
    cache: Option<&mut ReadCache<TypedFile>>,
) -> Result<Vec<FileRead<TypedFile>>, RunError> {
    let exe = std::env::current_exe()
        .map_err(|e| RunError::Readers(format!("cannot locate the scoreboard binary: {e}")))?;
    read_with(&exe, config, files, cache)
}

/// [`read_stage`] with an explicit reader binary (benchmarks and tests run from another one).
///
/// # Errors
/// [`RunError::Readers`] when threads cannot start.
pub fn read_with(
    exe: &Path,
    config: &RunConfig,
    files: &[PathBuf],
    cache: Option<&mut ReadCache<TypedFile>>,
) -> Result<Vec<FileRead<TypedFile>>, RunError> {
    read_observed(exe, config, files, cache, &Progress::hidden(), None)
}

/// [`read_with`], advancing `progress` as each file is done and showing the rows of the sheets
/// that begin a table to `tap` as they are typed.
fn read_observed(
    exe: &Path,
    config: &RunConfig,
    files: &[PathBuf],
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
    tap: Option<&dyn RowTap>,
) -> Result<Vec<FileRead<TypedFile>>, RunError> {
    let names = display_names(&config.inputs, files);
    let shown: std::collections::HashMap<&Path, &str> = files
        .iter()
        .map(PathBuf::as_path)
        .zip(names.iter().map(String::as_str))
        .collect();
    progress.reading(files.len());
    let on_read = |path: &Path| progress.file_read(shown.get(path).copied().unwrap_or_default());
    let typer = |path: &Path| {
        let name = shown.get(path).copied().unwrap_or_default();
        FileTyper::new(&config.schema, &config.settings, path, name).with_tap(tap)
    };
    let mut reads = read_files_into(
        exe,
        files,
        &config.read.limits,
        config.read.jobs,
        cache,
        &on_read,
        &typer,
    )
    .map_err(RunError::Readers)?;
    for (read, name) in reads.iter_mut().zip(names) {
        read.name = name;
    }
    Ok(reads)
}

/// Stage 3: joins the typed files in order and merges snapshots as of the configured date
/// (without one, the as-of date is the latest report date, so no row is reported after it).
pub fn consolidate_stage(config: &RunConfig, reads: Vec<FileRead<TypedFile>>) -> Consolidated {
    merge(reads, &config.settings, config.as_of)
}

/// The as-of date: the configured one, else the latest report date among the actions, else
/// today.
pub fn as_of_date(config: &RunConfig, cons: &Consolidated) -> NaiveDate {
    config
        .as_of
        .or_else(|| cons.actions.iter().filter_map(|l| l.report_date).max())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// A warning when the reporting month asked for lies after the month of the newest report date
/// found: the actions are then judged on older snapshots (a `--month` typed a month too far, or
/// the month's files not in yet).
fn beyond_the_data(config: &RunConfig, cons: &Consolidated, as_of: NaiveDate) -> Option<Issue> {
    config.as_of?;
    let latest = cons.senders.files.values().filter_map(|(_, d)| *d).max()?;
    let month = |d: NaiveDate| (d.year(), d.month());
    (month(as_of) > month(latest)).then(|| {
        Issue::at_file(
            "",
            "",
            Severity::Warning,
            crate::model::Reason::new("month_after_data")
                .arg("as_of", as_of)
                .arg("latest", latest),
        )
    })
}

/// Stage 4: every KPI family at the as-of date; assembles the run's result.
///
/// # Errors
/// [`RunError::Kpi`] if polars fails (not expected on consolidated data).
pub fn kpi_stage(
    config: &RunConfig,
    files: Vec<String>,
    cons: Consolidated,
) -> Result<RunResult, RunError> {
    kpi_stage_beside(config, files, cons, |_| (), |_| ()).map(|(result, (), ())| result)
}

/// [`kpi_stage`], running `beside` on the consolidated tables on a thread of its own while the
/// KPIs are computed, and `then` on the result on this thread as soon as the KPIs are known
/// (while `beside` may still run); returns both answers with the result.
///
/// # Errors
/// As [`kpi_stage`] (`beside` is run to its end either way).
pub fn kpi_stage_beside<T: Send, U>(
    config: &RunConfig,
    files: Vec<String>,
    mut cons: Consolidated,
    beside: impl FnOnce(&Consolidated) -> T + Send,
    then: impl FnOnce(&RunResult) -> U,
) -> Result<(RunResult, T, U), RunError> {
    let as_of = as_of_date(config, &cons);
    let periods = Periods { as_of };
    // Moved, not copied: the result's `issues` is the one list every output reads.
    let mut issues = std::mem::take(&mut cons.issues);
    issues.extend(beyond_the_data(config, &cons, as_of));
    let expected = cons.senders.expected(as_of, &config.settings.expected);
    let mut result = RunResult {
        files,
        month: format!("{:04}-{:02}", as_of.year(), as_of.month()),
        cons,
        periods,
        families: KpiResults::default(),
        issues,
        targets: vec![(
            "actions_on_time_rate",
            config.settings.actions.on_time_thresholds.green,
        )],
        expected,
    };
    let (answer, then_answer) = std::thread::scope(|s| -> Result<_, RunError> {
        // `beside` borrows the tables while the families are filled in beside them.
        let cons = &result.cons;
        let aside = s.spawn(move || beside(cons));
        let mut families = kpi::compute(cons, periods, &config.settings)?;
        result.issues.append(&mut families.issues);
        result.families = families;
        let then_answer = then(&result);
        let answer = aside
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        Ok((answer, then_answer))
    })?;
    Ok((result, answer, then_answer))
}

/// The whole pipeline: inputs → read → consolidate → KPIs.
///
/// # Errors
/// A [`RunError`] when nothing can be computed (no inputs, readers cannot start, polars fails);
/// unreadable files and rejected rows are issues in the result, not errors.
pub fn run(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
) -> Result<RunResult, RunError> {
    run_with(config, cache, &Progress::hidden())
}

/// [`run`], showing the files read and then each stage on `progress`.
///
/// # Errors
/// As [`run`].
pub fn run_with(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
) -> Result<RunResult, RunError> {
    run_beside(config, cache, progress, |_| (), |_| ()).map(|(result, (), ())| result)
}

/// [`run_with`], running `beside` on the consolidated tables on a thread of its own while the
/// KPIs are computed, and `then` on the result as soon as the KPIs are known, while `beside`
/// may still run: the report command fills the workbook's data sheets beside (they need the
/// tables, not the KPIs) and builds its other sheets then. Returns both answers with the result.
///
/// # Errors
/// As [`run`].
pub fn run_beside<T: Send, U>(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
    beside: impl FnOnce(&Consolidated) -> T + Send,
    then: impl FnOnce(&RunResult) -> U,
) -> Result<(RunResult, T, U), RunError> {
    run_tapped(config, cache, progress, None, beside, then)
}

/// [`run_beside`], showing the rows of each sheet that begins a table to `tap` as they are
/// typed, during the read: the report command fills the data sheet of the largest table then
/// (`write::EarlySheet`).
///
/// # Errors
/// As [`run`].
pub fn run_tapped<T: Send, U>(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
    tap: Option<&dyn RowTap>,
    beside: impl FnOnce(&Consolidated) -> T + Send,
    then: impl FnOnce(&RunResult) -> U,
) -> Result<(RunResult, T, U), RunError> {
    let files = input_files(config)?;
    let mut watch = Stopwatch::start();
    let exe = std::env::current_exe()
        .map_err(|e| RunError::Readers(format!("cannot locate the scoreboard binary: {e}")))?;
    let reads = read_observed(&exe, config, &files, cache, progress, tap)?;
    watch.lap("read + recognise + type");
    progress.stage("consolidating");
    let names = reads.iter().map(|r| r.name.clone()).collect();
    let cons = consolidate_stage(config, reads);
    watch.lap("consolidate");
    progress.stage("computing the KPIs");
    let done = kpi_stage_beside(config, names, cons, beside, then)?;
    watch.lap("KPIs (and what ran beside)");
    Ok(done)
}
