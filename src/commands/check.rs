//! `scoreboard check`: everything `report` does up to the KPIs, then a list of what would be
//! rejected and why. Writes nothing.

use super::{pipeline, summary};
use crate::cli::CheckArgs;
use crate::error::RunError;
use crate::model::Severity;

/// Runs the check and prints the issues; returns the exit code (0 clean, 1 rejected rows).
///
/// # Errors
/// [`RunError`] for bad usage.
pub fn run(args: &CheckArgs) -> Result<u8, RunError> {
    let computed = pipeline(&args.input, &[])?;
    for i in computed
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
        println!("{}: {place}{value}: {}", i.severity.as_str(), i.reason);
    }
    eprintln!("{}", summary(&computed));
    Ok(if computed.count(Severity::Error) > 0 {
        1
    } else {
        0
    })
}
