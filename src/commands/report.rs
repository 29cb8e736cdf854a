//! `scoreboard report`: the monthly KPI workbook and, with `--kpis`, the KPI table for BI tools.
//! Refuses to overwrite an input; writes atomically; `--strict` writes nothing when rows were rejected.

use super::summary;
use crate::cli::ReportArgs;
use crate::config::RunConfig;
use crate::engine::{self, Stopwatch};
use crate::error::RunError;
use crate::i18n::labels;
use crate::model::Severity;
use crate::write::{build_workbook, save_atomically, write_kpi_export, Report};

/// Runs the report; returns the exit code (0 clean, 1 written with rejected rows or files).
///
/// # Errors
/// A [`RunError`] for bad arguments or config (before anything is read), or when the workbook
/// or an export cannot be built or saved.
pub fn run(args: &ReportArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_report(args)?;
    let result = engine::run(&config, None)?;
    let errors = result.count(Severity::Error);
    eprintln!("{}", summary(&result));
    if config.strict && errors > 0 {
        eprintln!("--strict: {errors} error(s) found; nothing written. Run `scoreboard check` to list them.");
        return Ok(1);
    }
    if let Some(path) = &config.workbook {
        let mut watch = Stopwatch::start();
        let report = Report::new(&result, labels(config.lang))
            .with_company(config.settings.output.company.as_deref())
            .with_data_sheets(config.data_sheets);
        let bytes = build_workbook(&report)?;
        watch.lap("build workbook");
        save_atomically(path, &bytes).map_err(|e| RunError::Write {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        eprintln!("wrote {}", path.display());
    }
    if let Some(export) = &config.kpis {
        write_kpi_export(export, &result.kpis)?;
        eprintln!("wrote {}", export.path.display());
    }
    Ok(if errors > 0 { 1 } else { 0 })
}
