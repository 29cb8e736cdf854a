//! `scoreboard convert`: every input file to xlsx, csv or parquet, each converted in its own
//! child process, files in parallel; one line per input with its result. Orchestration only.

use crate::cli::ConvertArgs;
use crate::config::ConvertConfig;
use crate::convert::names::file_bases;
use crate::convert::outputs::{Placed, Placement};
use crate::convert::{ConvertError, Target};
use crate::error::RunError;
use crate::progress::Progress;
use crate::read::{collect_inputs, display_names, Readers, SamePaths};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs the conversion and prints its summary; returns the exit code: 0 every file converted,
/// 1 some failed, 2 none converted.
///
/// # Errors
/// A [`RunError`] for bad usage (before any file is read), or when the output folder or the
/// worker threads cannot be set up.
pub fn run(args: &ConvertArgs) -> Result<u8, RunError> {
    let started = Instant::now();
    let config = ConvertConfig::for_convert(args)?;
    // Without the handler Ctrl-C still stops the run, only leaving staging folders behind.
    let _ = crate::interrupt::on_interrupt(crate::interrupt::exit_code_of);
    let (files, _) = collect_inputs(&config.inputs);
    if files.is_empty() {
        return Err(RunError::NoInputs);
    }
    let stems: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let bases = file_bases(stems.iter().map(String::as_str));
    if config.options.target == Target::Xlsx {
        // Like report: an output that would replace an input is bad usage, refused up front.
        let inputs = SamePaths::new(&files);
        for base in &bases {
            let out = config.out_dir.join(format!("{base}.xlsx"));
            if inputs.contains(&out) {
                return Err(RunError::OutputIsInput(out));
            }
        }
    }
    std::fs::create_dir_all(&config.out_dir).map_err(|e| RunError::Write {
        path: config.out_dir.clone(),
        detail: e.to_string(),
    })?;
    let readers = Readers::new(&crate::engine::reader_binary()?, &config.read.limits);
    let placement = Placement::new(&config.out_dir, config.force, SamePaths::new(&files));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.read.jobs.unwrap_or(0))
        .build()
        .map_err(|e| RunError::Readers(e.to_string()))?;
    let names = display_names(&config.inputs, &files);
    // The same progress display as report's: files converted so far, hidden off a terminal.
    let progress = Progress::stderr(config.quiet);
    progress.reading(files.len());
    let results: Vec<Result<Placed, ConvertError>> = pool.install(|| {
        files
            .par_iter()
            .zip(bases.par_iter())
            .zip(names.par_iter())
            .map(|((file, base), name)| {
                let placed = placement.convert(&readers, file, base, &config.options);
                progress.file_read(name);
                placed
            })
            .collect()
    });
    progress.finish();
    let converted = results.iter().filter(|r| r.is_ok()).count();
    let lines = report(&names, &results, config.quiet);
    if !lines.is_empty() {
        eprintln!("{lines}");
    }
    let written: usize = results.iter().flatten().map(|p| p.outputs.len()).sum();
    let rows: u64 = results.iter().flatten().map(|p| p.converted.rows()).sum();
    let failed = files.len() - converted;
    if config.quiet {
        return Ok(exit_code(converted, failed));
    }
    eprintln!(
        "{converted} of {} file(s) converted to {} in {:.1} s: {written} file(s) written in {}, {rows} row(s){}",
        files.len(),
        config.options.target.name(),
        started.elapsed().as_secs_f64(),
        config.out_dir.display(),
        if failed > 0 {
            format!("; {failed} failed")
        } else {
            String::new()
        }
    );
    Ok(exit_code(converted, failed))
}

/// 0 every file converted, 1 some failed, 2 none converted.
fn exit_code(converted: usize, failed: usize) -> u8 {
    match (converted, failed) {
        (_, 0) => 0,
        (0, _) => 2,
        _ => 1,
    }
}

/// One block per input, in input order: what was written (sheets, rows, files) or why not;
/// `quiet`, only the files that failed.
fn report(files: &[String], results: &[Result<Placed, ConvertError>], quiet: bool) -> String {
    let mut out = Vec::new();
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(_) if quiet => {}
            Ok(placed) => {
                let c = &placed.converted;
                out.push(format!(
                    "converted {}: {} sheet(s), {} row(s) \u{2192} {}",
                    file,
                    c.sheets.len(),
                    c.rows(),
                    shown(&placed.outputs)
                ));
                for sheet in &c.sheets {
                    if let Some(note) = &sheet.note {
                        out.push(format!("  sheet \u{201c}{}\u{201d}: {note}", sheet.name));
                    }
                }
                for (sheet, why) in &c.skipped {
                    out.push(format!("  sheet \u{201c}{sheet}\u{201d}: {why}"));
                }
                for note in &c.notes {
                    out.push(format!("  {note}"));
                }
            }
            Err(e) => out.push(format!("FAILED    {file}: {e}")),
        }
    }
    out.join("\n")
}

fn shown(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "no file (every sheet is empty)".into();
    }
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or(p.as_path(), Path::new)
                .display()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(", ")
}
