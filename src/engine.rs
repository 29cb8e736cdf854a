//! The engine as a library: one call, [`run`], takes a validated [`RunConfig`] through the
//! stages read → recognise/type → consolidate → KPIs and returns a [`RunResult`]. Writes
//! nothing: the commands decide what becomes of the result. A command that writes the tables
//! (the workbook's data sheets) gets them through a [`TableSink`] as soon as they are final,
//! while the KPIs are computed.

use crate::config::RunConfig;
use crate::consolidate::{merge, Consolidated, Expected, FileTyper, TypedFile};
use crate::error::RunError;
use crate::kpi::{self, Kpi, KpiResults, Periods};
use crate::model::{Issue, Severity};
use crate::progress::Progress;
use crate::read::{collect_inputs, display_names, read_files_into, FileRead, ReadCache, SamePaths};
use chrono::{Datelike, NaiveDate};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Consolidated tables and lineage (their issues have moved to `issues`), shared with the
    /// [`TableSink`] that writes them.
    pub cons: Arc<Consolidated>,
    /// The run's dates.
    pub periods: Periods,
    /// Reporting month label `YYYY-MM`.
    pub month: String,
    /// Every KPI family's result (its issues have moved to `issues`).
    pub families: KpiResults,
    /// Every issue: reading and consolidation first, then the KPI stage's.
    pub issues: Vec<Issue>,
    /// Targets of headline KPIs (the lowest green value of their thresholds).
    pub targets: Vec<(Kpi, f64)>,
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
    pub fn target(&self, kpi: Kpi) -> Option<f64> {
        self.targets
            .iter()
            .find(|(k, _)| *k == kpi)
            .map(|(_, t)| *t)
    }

    /// The on-time rate of the whole plan, the run's headline (none without actions).
    pub fn on_time(&self) -> Option<kpi::Figure> {
        let t = self.families.actions.tallies.as_ref()?;
        Some(t.all.on_time_rate(t.thresholds))
    }

    /// Number of issues of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count()
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
    let outputs = SamePaths::new(config.outputs());
    files.retain(|f| !outputs.contains(f));
    if files.is_empty() {
        return Err(RunError::NoInputs);
    }
    Ok(files)
}

/// This binary, which every reader process runs (`scoreboard worker`, see [`crate::read::Readers`]).
///
/// # Errors
/// [`RunError::Readers`] when the binary cannot be located.
pub fn reader_binary() -> Result<PathBuf, RunError> {
    let exe = std::env::current_exe()
        .map_err(|e| RunError::Readers(format!("cannot locate the scoreboard binary: {e}")))?;
    // A long-running `serve` or `watch` whose binary was replaced on disk (an update, a
    // rebuild): the path now names nothing (`… (deleted)`), but the running binary is still
    // there under /proc.
    let running = Path::new("/proc/self/exe");
    if !exe.exists() && running.exists() {
        return Ok(running.to_path_buf());
    }
    Ok(exe)
}

/// Stages 1–2: reads the files, each in an isolated child process of the reader binary `exe`
/// (benchmarks and tests run from another one than the current), in parallel, and types each
/// file's rows as they stream from its reader (recognise the header row, type every cell, keep
/// lineage, raise issues), so no file's raw cells are ever held whole; with a cache, unchanged
/// files are neither read nor typed again.
///
/// # Errors
/// [`RunError::Readers`] when threads cannot start.
pub fn read_with(
    exe: &Path,
    config: &RunConfig,
    files: &[PathBuf],
    cache: Option<&mut ReadCache<TypedFile>>,
) -> Result<Vec<FileRead<TypedFile>>, RunError> {
    let none = crate::corrections::RunCorrections::default();
    read_observed(exe, config, files, cache, &Progress::hidden(), &none)
}

/// A note per correction made for another version of its file: not applied, and how to carry
/// it over.
fn voided_corrections(
    config: &RunConfig,
    files: &[PathBuf],
    corrections: &crate::corrections::RunCorrections,
) -> Vec<Issue> {
    let names = display_names(&config.inputs, files);
    corrections
        .voided
        .iter()
        .map(|(path, c)| {
            let name = files
                .iter()
                .position(|f| f == path)
                .map_or_else(|| c.file.clone(), |i| names[i].clone());
            let mut issue = Issue::at_file(
                &name,
                &c.sheet,
                Severity::Warning,
                crate::model::Reason::new("correction_void")
                    .arg("id", &c.id)
                    .arg("cell", &c.cell)
                    .arg("original", &c.original)
                    .arg("value", &c.value)
                    .arg("user", &c.user),
            );
            issue.cell = c.cell.clone();
            issue.value = c.original.clone();
            issue
        })
        .collect()
}

/// [`read_with`], advancing `progress` as each file is done.
fn read_observed(
    exe: &Path,
    config: &RunConfig,
    files: &[PathBuf],
    mut cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
    corrections: &crate::corrections::RunCorrections,
) -> Result<Vec<FileRead<TypedFile>>, RunError> {
    let names = display_names(&config.inputs, files);
    if let Some(cache) = cache.as_deref_mut() {
        for f in files {
            cache.retag(f, corrections.fingerprint(f));
        }
    }
    let shown: std::collections::HashMap<&Path, &str> = files
        .iter()
        .map(PathBuf::as_path)
        .zip(names.iter().map(String::as_str))
        .collect();
    progress.reading(files.len());
    let on_read = |path: &Path| progress.file_read(shown.get(path).copied().unwrap_or_default());
    let typer = |path: &Path| {
        let name = shown.get(path).copied().unwrap_or_default();
        let fixes = corrections.fixes.get(path).cloned().unwrap_or_default();
        FileTyper::new(&config.schema, &config.settings, path, name).with_fixes(fixes)
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
fn as_of_date(config: &RunConfig, cons: &Consolidated) -> NaiveDate {
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
                .date("as_of", as_of)
                .date("latest", latest),
        )
    })
}

/// Stage 4: every KPI family at the as-of date; assembles the run's result. The tables are
/// final: `cons` only is read from here on (the [`TableSink`] may be writing them).
///
/// # Errors
/// [`RunError::Kpi`] if polars fails (not expected on consolidated data).
pub fn kpi_stage(
    config: &RunConfig,
    files: Vec<String>,
    cons: Arc<Consolidated>,
    mut issues: Vec<Issue>,
) -> Result<RunResult, RunError> {
    let as_of = as_of_date(config, &cons);
    let periods = Periods { as_of };
    issues.extend(beyond_the_data(config, &cons, as_of));
    let mut families = kpi::compute(&cons, periods, &config.settings)?;
    issues.append(&mut families.issues);
    Ok(RunResult {
        files,
        month: format!("{:04}-{:02}", as_of.year(), as_of.month()),
        expected: cons.senders.expected(as_of, &config.settings.expected),
        cons,
        periods,
        families,
        issues,
        targets: vec![(
            Kpi::ActionsOnTimeRate,
            config.settings.actions.on_time_thresholds.green,
        )],
    })
}

/// Where a run's consolidated tables go as soon as they are final, before the KPIs are
/// computed: the report's workbook fills its data sheets from them meanwhile.
pub trait TableSink {
    /// The tables of the run, final (rows, lineage and snapshots will not change again).
    fn tables(&mut self, cons: &Arc<Consolidated>);
}

/// A run whose tables go nowhere but into its result (`check`).
impl TableSink for () {
    fn tables(&mut self, _: &Arc<Consolidated>) {}
}

/// The whole pipeline, in one call: inputs → read → consolidate → (the tables to `sink`) →
/// KPIs, showing the files read and then each stage on `progress`; with a cache, unchanged
/// files are neither read nor typed again (`watch`).
///
/// # Errors
/// A [`RunError`] when nothing can be computed (no inputs, readers cannot start, polars fails);
/// unreadable files and rejected rows are issues in the result, not errors.
pub fn run(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
    sink: &mut dyn TableSink,
) -> Result<RunResult, RunError> {
    let files = input_files(config)?;
    let mut watch = Stopwatch::start();
    let corrections = crate::corrections::for_run(&config.inputs, &files)?;
    let reads = read_observed(
        &reader_binary()?,
        config,
        &files,
        cache,
        progress,
        &corrections,
    )?;
    watch.lap("read + recognise + type");
    let words = &crate::i18n::labels(config.lang).terminal;
    progress.stage(&words.stage_consolidating);
    let names = reads.iter().map(|r| r.name.clone()).collect();
    let mut cons = consolidate_stage(config, reads);
    // Moved, not copied: the result's `issues` is the one list every output reads.
    let mut issues = std::mem::take(&mut cons.issues);
    issues.extend(voided_corrections(config, &files, &corrections));
    let cons = Arc::new(cons);
    watch.lap("consolidate");
    sink.tables(&cons);
    progress.stage(&words.stage_kpis);
    let result = kpi_stage(config, names, cons, issues)?;
    watch.lap("KPIs");
    Ok(result)
}
