//! `scoreboard sample`: writes a deterministic, realistic set of inputs (action plan, absence
//! spells with headcount, a 60-file monthly inbox) for benchmarks and tests. Reads nothing.

use crate::cli::SampleArgs;
use crate::error::RunError;
use crate::sample::{self, Size};
use std::time::Instant;

/// Generates the inputs of `--size` into `-o DIR`; returns the exit code (0).
///
/// # Errors
/// [`RunError::BadOption`] for an unknown size, [`RunError::Write`] when a file cannot be written.
pub fn run(args: &SampleArgs) -> Result<u8, RunError> {
    let size = Size::from_name(&args.size).ok_or_else(|| RunError::BadOption {
        flag: "--size",
        value: args.size.clone(),
        expected: "small, large or huge",
    })?;
    let started = Instant::now();
    let written = sample::generate(size, &args.output)?;
    if args.quiet {
        return Ok(0);
    }
    let mut shown = None;
    for w in &written {
        let bytes = std::fs::metadata(&w.path).map_or(0, |m| m.len());
        let path = w.path.strip_prefix(&args.output).unwrap_or(&w.path);
        // The spells and the headcount share one xlsx: its size is shown once.
        let size = if shown == Some(&w.path) {
            String::new()
        } else {
            format!(" ({:.2} MB)", bytes as f64 / 1e6)
        };
        if written.len() < 20 || !w.what.contains("snapshot") {
            eprintln!("{}: {} {}{size}", path.display(), w.rows, w.what);
        }
        shown = Some(&w.path);
    }
    let inbox: Vec<_> = written
        .iter()
        .filter(|w| w.what.contains("snapshot"))
        .collect();
    let inbox_bytes: u64 = inbox
        .iter()
        .filter_map(|w| std::fs::metadata(&w.path).ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "inbox: {} files, {} action snapshots ({:.1} MB)",
        inbox.len(),
        inbox.iter().map(|w| w.rows).sum::<u64>(),
        inbox_bytes as f64 / 1e6
    );
    eprintln!(
        "wrote {} in {:.1} s; report it as of {} (--month 2025-12)",
        args.output.display(),
        started.elapsed().as_secs_f64(),
        sample::as_of()
    );
    Ok(0)
}
