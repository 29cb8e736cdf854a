//! `scoreboard report`: the monthly KPI workbook and, with `--kpis`, the KPI table for BI tools;
//! with `--data-dir`, every table as Parquet. Refuses to overwrite an input; writes atomically;
//! `--strict` writes nothing when rows were rejected.

use super::{finished, summary};
use crate::cli::ReportArgs;
use crate::config::RunConfig;
use crate::engine::{self, Stopwatch};
use crate::error::RunError;
use crate::i18n::labels;
use crate::model::Severity;
use crate::progress::Progress;
use crate::write::{
    begin_workbook, save_workbook, write_data_dir, write_kpi_export, BegunWorkbook, DataView,
    Report, ROWS_PER_DATA_SHEET,
};

/// Runs the report; returns the exit code (0 clean, 1 written with rejected rows or files).
///
/// # Errors
/// A [`RunError`] for bad arguments or config (before anything is read), or when the workbook
/// or an export cannot be built or saved.
pub fn run(args: &ReportArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_report(args)?;
    let progress = Progress::stderr(config.quiet);
    let run = engine::run_beside(&config, None, &progress, |cons| begin(&config, cons));
    let (result, begun) = run.inspect_err(|_| progress.finish())?;
    let errors = result.count(Severity::Error);
    if config.strict && errors > 0 {
        progress.finish();
        eprintln!("{}", summary(&result));
        eprintln!("--strict: {errors} error(s) found; nothing written. Run `scoreboard check` to list them.");
        return Ok(1);
    }
    let mut outputs = Vec::new();
    let written = begun
        .transpose()
        .map_err(RunError::from)
        .and_then(|begun| write_outputs(&config, &result, begun, &progress, &mut outputs));
    progress.finish();
    written?;
    if !config.quiet {
        eprintln!("{}", summary(&result));
        eprintln!("{}", finished(&outputs, progress.elapsed()));
    }
    let mut watch = Stopwatch::start();
    drop(result);
    watch.lap("free");
    Ok(if errors > 0 { 1 } else { 0 })
}

/// The workbook's data sheets, filled from the consolidated tables while the KPIs are computed
/// (none when no workbook is asked for).
pub fn begin(
    config: &RunConfig,
    cons: &crate::consolidate::Consolidated,
) -> Option<Result<BegunWorkbook, rust_xlsxwriter::XlsxError>> {
    config.workbook.as_ref()?;
    let view = DataView {
        cons,
        labels: labels(config.lang),
        rows_per_sheet: ROWS_PER_DATA_SHEET,
    };
    Some(begin_workbook(view, config.data_sheets))
}

/// Writes the workbook (with the data sheets `begun` beside the KPIs, if any: see [`begin`]),
/// the KPI table and the Parquet dataset asked for; records what was written in `outputs` (as
/// shown in the summary). `watch` writes each rebuild with it.
///
/// # Errors
/// [`RunError::Workbook`] or [`RunError::Write`]; outputs written before the failure stay.
pub fn write_outputs(
    config: &RunConfig,
    result: &engine::RunResult,
    begun: Option<BegunWorkbook>,
    progress: &Progress,
    outputs: &mut Vec<String>,
) -> Result<(), RunError> {
    if let Some(path) = &config.workbook {
        progress.stage("writing the workbook");
        let mut watch = Stopwatch::start();
        let report = Report::new(result, labels(config.lang))
            .with_company(config.settings.output.company.as_deref())
            .with_data_sheets(config.data_sheets);
        save_workbook(&report, begun, path)?;
        watch.lap("workbook");
        outputs.push(path.display().to_string());
    }
    if let Some(export) = &config.kpis {
        write_kpi_export(export, &result.kpis)?;
        outputs.push(export.path.display().to_string());
    }
    if let Some(dir) = &config.data_dir {
        progress.stage("writing the Parquet dataset");
        let files = write_data_dir(dir, result)?;
        outputs.push(format!(
            "{} ({} Parquet file(s), month {})",
            dir.display(),
            files.len(),
            result.month
        ));
    }
    Ok(())
}
