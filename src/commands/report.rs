//! `scoreboard report`: the monthly KPI workbook and, with `--kpis`, the KPI table for BI tools;
//! with `--data-dir`, every table as Parquet. Refuses to overwrite an input; writes atomically;
//! `--strict` writes nothing when rows were rejected.

use super::{finished, summary};
use crate::cli::ReportArgs;
use crate::config::RunConfig;
use crate::consolidate::TypedFile;
use crate::engine::{self, Stopwatch};
use crate::error::RunError;
use crate::i18n::labels;
use crate::model::Severity;
use crate::progress::Progress;
use crate::read::ReadCache;
use crate::write::{
    assemble_workbook, begin_workbook_with, kpi_sheets, save_workbook, write_data_dir,
    write_kpi_export, BegunWorkbook, DataView, EarlySheet, KpiSheets, Report, ROWS_PER_DATA_SHEET,
};
use rust_xlsxwriter::XlsxError;

/// Runs the report; returns the exit code (0 clean, 1 written with rejected rows or files).
///
/// # Errors
/// A [`RunError`] for bad arguments or config (before anything is read), or when the workbook
/// or an export cannot be built or saved.
pub fn run(args: &ReportArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_report(args)?;
    // Without the handler Ctrl-C still stops the run, only leaving the temporary file behind.
    let _ = crate::interrupt::on_interrupt(crate::interrupt::exit_code_of);
    let progress = Progress::stderr(config.quiet);
    let run = run_building_workbook(&config, None, &progress);
    let (result, built) = run.inspect_err(|_| progress.finish())?;
    let errors = result.count(Severity::Error);
    if config.strict && errors > 0 {
        progress.finish();
        eprintln!("{}", summary(&result));
        eprintln!("--strict: {errors} error(s) found; nothing written. Run `scoreboard check` to list them.");
        return Ok(1);
    }
    // Taken before the outputs, which may let go of the rows it counts.
    let summary = summary(&result);
    let mut outputs = Vec::new();
    let mut result = result;
    let written =
        built.and_then(|built| write_outputs(&config, &mut result, built, &progress, &mut outputs));
    progress.finish();
    written?;
    if !config.quiet {
        eprintln!("{summary}");
        eprintln!("{}", finished(&outputs, progress.elapsed()));
    }
    // The process ends here: its memory goes back to the system at once, without freeing a
    // million rows one by one first (0.2 s on the benchmark's inputs, docs/performance.md).
    std::mem::forget(result);
    Ok(if errors > 0 { 1 } else { 0 })
}

/// The run, with the workbook's parts built during it: the data sheets beside the KPIs
/// ([`begin`]), the other sheets as soon as the KPIs are known ([`build_kpi_sheets`]). The
/// parts' error comes apart from the run's, so a caller that writes nothing (`watch` after
/// Ctrl-C) can leave it.
///
/// # Errors
/// As [`engine::run`].
pub fn run_building_workbook(
    config: &RunConfig,
    cache: Option<&mut ReadCache<TypedFile>>,
    progress: &Progress,
) -> Result<(engine::RunResult, Result<Prebuilt, RunError>), RunError> {
    // The data sheet of the largest table is filled during the read when it can be.
    let early = (config.workbook.is_some() && config.data_sheets)
        .then(|| EarlySheet::new(labels(config.lang), ROWS_PER_DATA_SHEET));
    let (result, data, kpi) = engine::run_tapped(
        config,
        cache,
        progress,
        early.as_ref().map(|e| e as &dyn crate::consolidate::RowTap),
        |cons| begin(config, cons, early.as_ref()),
        |result| build_kpi_sheets(config, result),
    )?;
    Ok((result, Prebuilt::of(data, kpi)))
}

/// The parts of the workbook built during the run: its data sheets ([`begin`]) and its other
/// sheets ([`build_kpi_sheets`]), each when a workbook is asked for.
pub struct Prebuilt {
    data: Option<BegunWorkbook>,
    kpi: Option<KpiSheets>,
}

impl Prebuilt {
    /// Both parts, or the first error met building them.
    fn of(
        data: Option<Result<BegunWorkbook, XlsxError>>,
        kpi: Option<Result<KpiSheets, XlsxError>>,
    ) -> Result<Self, RunError> {
        Ok(Prebuilt {
            data: data.transpose()?,
            kpi: kpi.transpose()?,
        })
    }
}

/// The workbook's view of a run, as the configuration asks.
fn workbook_report<'a>(config: &'a RunConfig, result: &'a engine::RunResult) -> Report<'a> {
    Report::new(result, labels(config.lang))
        .with_company(config.settings.output.company.as_deref())
        .with_data_sheets(config.data_sheets)
}

/// The workbook's report sheets and Issues sheet, built as soon as the KPIs are known, while
/// the data sheets may still be filling (none when no workbook will be written).
fn build_kpi_sheets(
    config: &RunConfig,
    result: &engine::RunResult,
) -> Option<Result<KpiSheets, XlsxError>> {
    config.workbook.as_ref()?;
    if config.strict && result.count(Severity::Error) > 0 {
        return None;
    }
    Some(kpi_sheets(&workbook_report(config, result)))
}

/// The workbook's data sheets, filled from the consolidated tables while the KPIs are computed
/// (none when no workbook is asked for).
fn begin(
    config: &RunConfig,
    cons: &crate::consolidate::Consolidated,
    early: Option<&EarlySheet>,
) -> Option<Result<BegunWorkbook, XlsxError>> {
    config.workbook.as_ref()?;
    let view = DataView {
        cons,
        labels: labels(config.lang),
        rows_per_sheet: ROWS_PER_DATA_SHEET,
    };
    let begun = begin_workbook_with(view, config.data_sheets, early);
    if engine::timings_on() {
        if let Ok(b) = &begun {
            eprintln!(
                "timing: data sheet filled during the read: {}",
                if b.filled_early { "one" } else { "none" }
            );
        }
    }
    Some(begun)
}

/// Writes the workbook (with the parts `built` during the run, if any: see [`Prebuilt`]), the
/// KPI table and the Parquet dataset asked for; records what was written in `outputs` (as shown
/// in the summary). `watch` writes each rebuild with it. Without a Parquet dataset to write,
/// the run's rows are let go of once the workbook's sheets are assembled, before its zip
/// ([`engine::RunResult::let_go_of_rows`]): count them before.
///
/// # Errors
/// [`RunError::Workbook`] or [`RunError::Write`]; outputs written before the failure stay.
pub fn write_outputs(
    config: &RunConfig,
    result: &mut engine::RunResult,
    built: Prebuilt,
    progress: &Progress,
    outputs: &mut Vec<String>,
) -> Result<(), RunError> {
    if let Some(path) = &config.workbook {
        progress.stage("writing the workbook");
        let mut watch = Stopwatch::start();
        let wb = assemble_workbook(&workbook_report(config, result), built.data, built.kpi)?;
        if config.data_dir.is_none() {
            result.let_go_of_rows();
        }
        save_workbook(wb, path)?;
        watch.lap("workbook");
        outputs.push(path.display().to_string());
    }
    if let Some(export) = &config.kpis {
        write_kpi_export(export, &result.kpis)?;
        outputs.push(export.path.display().to_string());
    }
    if let Some(dir) = &config.data_dir {
        progress.stage("writing the Parquet dataset");
        let files = write_data_dir(dir, result, labels(config.lang))?;
        outputs.push(format!(
            "{} ({} Parquet file(s), month {})",
            dir.display(),
            files.len(),
            result.month
        ));
    }
    Ok(())
}
