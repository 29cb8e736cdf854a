//! `scoreboard report`: the monthly KPI workbook and, with `--kpis`, the KPI table for BI tools;
//! with `--data-dir`, every table as Parquet. Refuses to overwrite an input; writes atomically;
//! `--strict` writes nothing when rows were rejected.

use super::{finished, summary};
use crate::cli::ReportArgs;
use crate::config::RunConfig;
use crate::engine::{self, RunResult, Stopwatch};
use crate::error::RunError;
use crate::i18n::labels;
use crate::model::Severity;
use crate::progress::Progress;
use crate::read::Readers;
use crate::write::{
    save_workbook, write_data_dir, write_feedback, write_html, write_kpi_export, FeedbackRun,
    WorkbookBuilder, WorkbookPlan,
};

/// Runs the report; returns the exit code (0 clean, 1 written with rejected rows or files).
///
/// # Errors
/// A [`RunError`] for bad arguments or config (before anything is read), or when the workbook
/// or an export cannot be built or saved.
pub fn run(args: &ReportArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_report(args)?;
    // Without the handler Ctrl-C still stops the run, only leaving the temporary file behind.
    let _ = crate::interrupt::on_interrupt(crate::interrupt::exit_code_of);
    let l = labels(config.lang);
    let progress = Progress::stderr(config.quiet, l);
    let mut book = workbook_builder(&config);
    let result = engine::run(&config, None, &progress, &mut book);
    let result = result.inspect_err(|_| progress.finish())?;
    let errors = result.count(Severity::Error);
    if config.strict && errors > 0 {
        progress.finish();
        eprintln!("{}", summary(&result, l));
        eprintln!(
            "{}",
            l.fill(&l.terminal.strict, &[("errors", l.count(errors as u64))])
        );
        return Ok(1);
    }
    let summary = summary(&result, l);
    let mut outputs = Vec::new();
    let written = write_outputs(&config, result, book, &progress, &mut outputs);
    progress.finish();
    written?;
    if !config.quiet {
        eprintln!("{summary}");
        eprintln!("{}", finished(l, &outputs, progress.elapsed()));
    }
    Ok(if errors > 0 { 1 } else { 0 })
}

/// The workbook of a run as the configuration plans it — its language, with or without data
/// sheets — to give the run as its table sink.
pub fn workbook_builder(config: &RunConfig) -> WorkbookBuilder {
    WorkbookBuilder::new(WorkbookPlan::new(labels(config.lang), config.data_sheets))
}

/// Writes what the configuration asks for — the workbook (`book`, which saw the run's tables),
/// the KPI table and the Parquet dataset — and records each output in `outputs` (as the summary
/// shows it). The run's result goes once the workbook is assembled and the exports written,
/// before the workbook is zipped, so the zip has the rows' memory. `watch` writes each rebuild
/// with it.
///
/// # Errors
/// [`RunError::Workbook`] or [`RunError::Write`]; outputs written before the failure stay.
pub fn write_outputs(
    config: &RunConfig,
    result: RunResult,
    book: WorkbookBuilder,
    progress: &Progress,
    outputs: &mut Vec<String>,
) -> Result<(), RunError> {
    let l = labels(config.lang);
    let t = &l.terminal;
    let workbook = match &config.workbook {
        Some(path) => {
            progress.stage(&t.stage_workbook);
            let company = config.settings.output.company.as_deref();
            Some((path, book.assemble(&result, company)?))
        }
        None => None,
    };
    if let Some(export) = &config.kpis {
        write_kpi_export(export, &result.kpis)?;
        outputs.push(export.path.display().to_string());
    }
    if let Some(path) = &config.html {
        progress.stage(&t.stage_html);
        let mut watch = Stopwatch::start();
        write_html(path, &result, l)?;
        watch.lap("html");
        outputs.push(path.display().to_string());
    }
    if let Some(dir) = &config.data_dir {
        progress.stage(&t.stage_parquet);
        let files = write_data_dir(dir, &result, l)?;
        outputs.push(l.fill(
            &t.parquet_written,
            &[
                ("folder", dir.display().to_string()),
                ("count", l.count(files.len() as u64)),
                ("month", l.month(&result.month)),
            ],
        ));
    }
    if let Some(dir) = &config.feedback_dir {
        progress.stage(&t.stage_feedback);
        let written = feedback(config, &result, dir)?;
        let folder = ("folder", dir.display().to_string());
        let count = ("count", l.count(written.files.len() as u64));
        outputs.push(if written.removed > 0 {
            let removed = ("removed", l.count(written.removed as u64));
            l.fill(&t.feedback_written_removed, &[folder, count, removed])
        } else {
            l.fill(&t.feedback_written, &[folder, count])
        });
    }
    drop(result);
    if let Some((path, wb)) = workbook {
        let mut watch = Stopwatch::start();
        save_workbook(wb, path)?;
        watch.lap("workbook");
        outputs.insert(0, path.display().to_string());
    }
    Ok(())
}

/// The feedback files of a run in `dir`, each source file read once more (in the pool of
/// reader processes) for the rows its issues are about.
///
/// # Errors
/// [`RunError::Readers`] or [`RunError::Write`].
fn feedback(
    config: &RunConfig,
    result: &RunResult,
    dir: &std::path::Path,
) -> Result<crate::write::FeedbackWritten, RunError> {
    with_feedback_run(config, result, |run, readers| {
        write_feedback(dir, run, readers)
    })?
}

/// Calls `f` with what the feedback of a run needs: its files with their names as shown, its
/// issues, the schema and settings, and a pool of reader processes to read the files again.
///
/// # Errors
/// [`RunError::Readers`] when the inputs cannot be listed or the reader cannot be started.
pub fn with_feedback_run<T>(
    config: &RunConfig,
    result: &RunResult,
    f: impl FnOnce(&FeedbackRun, &Readers) -> T,
) -> Result<T, RunError> {
    let paths = engine::input_files(config)?;
    let names = crate::read::display_names(&config.inputs, &paths);
    let readers = Readers::new(&engine::reader_binary()?, &config.read.limits);
    let run = FeedbackRun {
        files: paths.into_iter().zip(names).collect(),
        issues: &result.issues,
        schema: &config.schema,
        settings: &config.settings.feedback,
        config: &config.settings,
        lang: config.lang,
        as_of: result.periods.as_of,
        month: &result.month,
    };
    Ok(f(&run, &readers))
}
