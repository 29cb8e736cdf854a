//! `scoreboard convert`: every input file to xlsx, csv or parquet, each converted in its own
//! child process, files in parallel; one line per input with its result. Orchestration only.

use crate::cli::ConvertArgs;
use crate::config::ConvertConfig;
use crate::convert::names::file_bases;
use crate::convert::outputs::{Placed, Placement};
use crate::convert::{ConvertError, Target};
use crate::error::RunError;
use crate::i18n::Labels;
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
    let l = crate::i18n::labels(config.options.lang);
    let progress = Progress::stderr(config.quiet, l);
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
    let lines = report(l, &names, &results, config.quiet);
    if !lines.is_empty() {
        eprintln!("{lines}");
    }
    let written: usize = results.iter().flatten().map(|p| p.outputs.len()).sum();
    let rows: u64 = results.iter().flatten().map(|p| p.converted.rows()).sum();
    let failed = files.len() - converted;
    if config.quiet {
        return Ok(exit_code(converted, failed));
    }
    let mut done = l.fill(
        &l.terminal.convert_done,
        &[
            ("converted", l.count(converted as u64)),
            ("files", l.count(files.len() as u64)),
            ("format", config.options.target.name().to_string()),
            ("seconds", l.grouped(started.elapsed().as_secs_f64(), 1)),
            ("written", l.count(written as u64)),
            ("folder", config.out_dir.display().to_string()),
            ("rows", l.count(rows)),
        ],
    );
    if failed > 0 {
        let failed = ("failed", l.count(failed as u64));
        done.push_str(&l.fill(&l.terminal.convert_some_failed, &[failed]));
    }
    eprintln!("{done}");
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
/// `quiet`, only the files that failed. In the words of `l`.
fn report(
    l: &Labels,
    files: &[String],
    results: &[Result<Placed, ConvertError>],
    quiet: bool,
) -> String {
    let t = &l.terminal;
    let sheet_note = |sheet: &str, note: &str| {
        let sheet = ("sheet", l.quote(sheet));
        format!(
            "  {}",
            l.fill(&t.converted_sheet, &[sheet, ("note", note.to_string())])
        )
    };
    let mut out = Vec::new();
    for (file, result) in files.iter().zip(results) {
        match result {
            Ok(_) if quiet => {}
            Ok(placed) => {
                let c = &placed.converted;
                out.push(l.fill(
                    &t.converted,
                    &[
                        ("file", file.clone()),
                        ("sheets", l.count(c.sheets.len() as u64)),
                        ("rows", l.count(c.rows())),
                        ("outputs", shown(l, &placed.outputs)),
                    ],
                ));
                for sheet in &c.sheets {
                    if let Some(note) = &sheet.note {
                        out.push(sheet_note(&sheet.name, note));
                    }
                }
                for (sheet, why) in &c.skipped {
                    out.push(sheet_note(sheet, why));
                }
                for note in &c.notes {
                    out.push(format!("  {note}"));
                }
            }
            Err(e) => {
                // A file the reader could not read: the reason `check` gives, in this language.
                let error = match e {
                    ConvertError::Read(read) => l.render(&read.reason()),
                    other => other.to_string(),
                };
                let file = ("file", file.clone());
                out.push(l.fill(&t.convert_failed, &[file, ("error", error)]));
            }
        }
    }
    out.join("\n")
}

fn shown(l: &Labels, paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return l.terminal.converted_nothing.clone();
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
