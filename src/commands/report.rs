//! `scoreboard report`: the monthly KPI workbook and, with `--kpis`, the KPI table for BI tools.
//! Refuses to overwrite an input; writes atomically; `--strict` writes nothing when rows were rejected.

use super::{pipeline, summary, Stopwatch};
use crate::cli::ReportArgs;
use crate::error::RunError;
use crate::i18n::labels;
use crate::model::Severity;
use crate::read::collect_inputs;
use crate::write::{build_workbook, save_atomically, write_kpi_export, Report};
use std::path::PathBuf;

/// Runs the report; returns the exit code (0 clean, 1 written with rejected rows or files).
///
/// # Errors
/// [`RunError::Usage`] for bad arguments or an output that is an input; [`RunError::Output`]
/// when the workbook cannot be built or saved.
pub fn run(args: &ReportArgs) -> Result<u8, RunError> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        return Err(RunError::Usage(format!(
            "-o {}: the KPI workbook must be an .xlsx file",
            args.output.display()
        )));
    }
    let outputs: Vec<PathBuf> = std::iter::once(args.output.clone())
        .chain(args.kpis.clone())
        .collect();
    refuse_inputs_as_outputs(&args.input.inputs, &outputs)?;
    let computed = pipeline(&args.input, &outputs)?;
    let errors = computed.count(Severity::Error);
    eprintln!("{}", summary(&computed));
    if args.strict && errors > 0 {
        eprintln!("--strict: {errors} error(s) found; nothing written. Run `scoreboard check` to list them.");
        return Ok(1);
    }
    let report = Report {
        month: computed.month.clone(),
        periods: computed.periods,
        cons: &computed.cons,
        kpis: &computed.kpis,
        previous_kpis: &computed.previous_kpis,
        actions: &computed.actions,
        plan: &computed.plan,
        indicators: &computed.indicators,
        proposals: &computed.proposals,
        absence: &computed.absence,
        issues: &computed.issues,
        labels: labels(&args.lang),
    };
    let mut watch = Stopwatch::start();
    let bytes = build_workbook(&report)
        .map_err(|e| RunError::Output(format!("cannot build the workbook: {e}")))?;
    watch.lap("build workbook");
    save_atomically(&args.output, &bytes)
        .map_err(|e| RunError::Output(format!("cannot write {}: {e}", args.output.display())))?;
    eprintln!("wrote {}", args.output.display());
    if let Some(path) = &args.kpis {
        write_kpi_export(path, &computed.kpis).map_err(RunError::Output)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(if errors > 0 { 1 } else { 0 })
}

/// An output path equal to an input file is refused before anything is read.
fn refuse_inputs_as_outputs(inputs: &[PathBuf], outputs: &[PathBuf]) -> Result<(), RunError> {
    let (files, _) = collect_inputs(inputs);
    let canon: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect();
    for out in outputs {
        if let Ok(c) = std::fs::canonicalize(out) {
            if canon.contains(&c) {
                return Err(RunError::Usage(format!(
                    "{} is one of the inputs; choose another output path (inputs are never overwritten)",
                    out.display()
                )));
            }
        }
    }
    Ok(())
}
