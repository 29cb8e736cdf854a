//! `scoreboard check`: everything `report` does up to the KPIs, then a list of what would be
//! rejected and why. Writes nothing.

use super::summary;
use crate::cli::CheckArgs;
use crate::config::RunConfig;
use crate::engine;
use crate::error::RunError;
use crate::model::Severity;
use std::io::Write;

/// Runs the check and prints the issues; returns the exit code (0 clean, 1 rejected rows).
/// A closed standard output (`scoreboard check inbox | head`) ends the listing quietly.
///
/// # Errors
/// [`RunError`] for bad usage.
pub fn run(args: &CheckArgs) -> Result<u8, RunError> {
    let config = RunConfig::for_check(args)?;
    let result = engine::run(&config, None)?;
    let code = if result.count(Severity::Error) > 0 {
        1
    } else {
        0
    };
    let mut out = std::io::stdout().lock();
    for i in result
        .issues
        .iter()
        .filter(|i| i.severity != Severity::Info)
    {
        let place = [i.file.as_str(), i.sheet.as_str(), i.cell.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" › ");
        let value = if i.value.is_empty() {
            String::new()
        } else {
            format!(" [{}]", i.value)
        };
        let line = writeln!(out, "{}: {place}{value}: {}", i.severity.as_str(), i.reason);
        if line.is_err() {
            // The reader of our output has gone (a pipe into `head`): nothing left to tell it.
            return Ok(code);
        }
    }
    if out.flush().is_err() {
        return Ok(code);
    }
    eprintln!("{}", summary(&result));
    Ok(code)
}
