//! The boundary around one file's conversion: `scoreboard convert-worker` (hidden) reads the
//! file and writes its outputs into a staging folder inside a child process with the read
//! stage's memory cap and timeout, so a file that makes calamine abort costs that file only.

use super::{convert_file, ConvertError, ConvertOptions, FileConverted, HeaderRow, Target};
use crate::cli::ConvertWorkerArgs;
use crate::options::separator_name;
use crate::read::{run_isolated, serve_isolated, Abort, ReadError, ReadLimits};
use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;

/// The hidden subcommand the parent starts for each file.
pub const CONVERT_WORKER_COMMAND: &str = "convert-worker";

/// Converts one file in a child process `exe convert-worker … INPUT STAGING`; the outputs are
/// left in `staging` for the parent to put in place.
///
/// # Errors
/// The child's [`ConvertError`], or [`ReadError::Aborted`] when it crashed, ran out of memory
/// or time, or could not be started.
pub fn convert_isolated(
    exe: &Path,
    input: &Path,
    staging: &Path,
    options: &ConvertOptions,
    limits: &ReadLimits,
) -> Result<FileConverted, ConvertError> {
    let mut args: Vec<OsString> = vec![
        CONVERT_WORKER_COMMAND.into(),
        "--memory-mb".into(),
        limits.memory_mb.to_string().into(),
        "--max-unpacked-mb".into(),
        limits.max_unpacked_mb.to_string().into(),
        "--max-cells".into(),
        limits.max_cells.to_string().into(),
        "--to".into(),
        options.target.name().into(),
    ];
    if options.target == Target::Csv {
        // Every CSV option spelt out: the child reads no configuration of its own.
        args.push("--sep".into());
        args.push(separator_name(options.csv.sep).into());
        args.push("--decimal".into());
        args.push(options.csv.decimal.name().into());
    }
    if options.target != Target::Xlsx {
        args.push("--header-row".into());
        args.push(
            match options.header_row {
                HeaderRow::Auto => "auto".to_string(),
                HeaderRow::None => "none".to_string(),
                HeaderRow::Row(n) => n.to_string(),
            }
            .into(),
        );
    }
    for (on, flag) in [
        (options.csv.bom, "--bom"),
        (options.raw, "--raw"),
        (options.canonical, "--canonical"),
    ] {
        if on {
            args.push(flag.into());
        }
    }
    args.push(input.into());
    args.push(staging.into());
    let args: Vec<&std::ffi::OsStr> = args.iter().map(OsString::as_os_str).collect();
    let bytes = run_isolated(exe, &args, limits)?;
    postcard::from_bytes::<Result<FileConverted, ConvertError>>(&bytes).map_err(|e| {
        ConvertError::Read(ReadError::Aborted(Abort::Lost(format!(
            "the converter's answer was unreadable: {e}"
        ))))
    })?
}

/// Body of the child process: cap memory, convert, write the answer to stdout.
pub fn run_convert_worker(args: &ConvertWorkerArgs) -> ExitCode {
    // Parallelism comes from one process per file; one polars thread keeps each child's
    // address space (capped) small on machines with many cores.
    std::env::set_var("POLARS_MAX_THREADS", "1");
    let limits = ReadLimits {
        memory_mb: args.memory_mb,
        max_unpacked_mb: args.max_unpacked_mb,
        max_cells: args.max_cells,
        ..ReadLimits::default()
    };
    serve_isolated(
        args.memory_mb,
        || {
            let options = crate::config::convert_options(&args.format, &Default::default())
                .map_err(|e| ConvertError::Write(e.to_string()))?;
            convert_file(&args.input, &options, &args.staging, &limits)
        },
        |message| {
            Err(ConvertError::Read(ReadError::Aborted(
                Abort::ConverterCrashed(message),
            )))
        },
    )
}
