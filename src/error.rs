//! Errors that stop a whole run, typed, each with a plain-language message that names the
//! culprit and the remedy. Row and file problems are not errors but `Issue`s.

use std::path::PathBuf;
use thiserror::Error;

/// Why a run produced no output. Every variant exits with code 2 (spec 3).
#[derive(Debug, Error)]
pub enum RunError {
    /// `--month` is not a month.
    #[error("--month \u{201c}{0}\u{201d}: expected YYYY-MM, for example 2025-03")]
    BadMonth(String),
    /// `--as-of` is not a date.
    #[error("--as-of \u{201c}{0}\u{201d}: expected YYYY-MM-DD, for example 2025-03-31")]
    BadAsOf(String),
    /// The configuration file cannot be read or says something impossible.
    #[error("config {path}: {detail}", path = .path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong in it.
        detail: String,
    },
    /// A command-line option's value is out of range.
    #[error("{flag} {value}: {expected}")]
    BadOption {
        /// The option.
        flag: &'static str,
        /// What was given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
    /// An option that only makes sense with another one.
    #[error("{flag} applies only with {needs}")]
    OptionNeeds {
        /// The option given.
        flag: &'static str,
        /// What it needs.
        needs: &'static str,
    },
    /// The output folder names an existing file.
    #[error("--out-dir {}: is a file, not a folder", .0.display())]
    OutDirNotAFolder(PathBuf),
    /// An output path has an extension the tool cannot write.
    #[error("{flag} {path}: {expected}", path = .path.display())]
    OutputExtension {
        /// The option that names the output.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// What is accepted.
        expected: &'static str,
    },
    /// The folder an output file goes into does not exist (or is a file): refused before any
    /// input is read, not after the whole run.
    #[error("{flag} {path}: the folder {folder} does not exist; create it first or choose another path", path = .path.display(), folder = .folder.display())]
    OutputFolderMissing {
        /// The option that names the output.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// An output path is one of the inputs.
    #[error("{} is one of the inputs; choose another output path (inputs are never overwritten)", .0.display())]
    OutputIsInput(PathBuf),
    /// An input named on the command line does not exist.
    #[error("input not found: {}", .0.display())]
    InputNotFound(PathBuf),
    /// `--data-dir` or `--out-dir` names something that exists and is not a folder.
    #[error("{flag} {path}: exists and is not a folder; name a folder (it is created if missing)", path = .path.display())]
    NotAFolder {
        /// The option.
        flag: &'static str,
        /// The path given.
        path: PathBuf,
    },
    /// `watch` was given something other than one folder to watch.
    #[error(
        "watch needs exactly one folder to watch (given: {0}); for files, use `scoreboard report`"
    )]
    WatchNeedsOneFolder(String),
    /// An output folder is inside an input folder: the next run would read its files as inputs.
    #[error("{flag} {out} is inside the input folder {dir}: the next run would read its files as inputs; choose a folder outside it", out = .out.display(), dir = .dir.display())]
    OutputInsideInput {
        /// The option.
        flag: &'static str,
        /// The output folder.
        out: PathBuf,
        /// The input folder.
        dir: PathBuf,
    },
    /// `watch`'s output folder is inside the watched folder: every write would trigger a rebuild.
    #[error("--out-dir {out} is inside the watched folder {dir}; choose a folder outside it", out = .out.display(), dir = .dir.display())]
    OutDirInsideWatched {
        /// The output folder.
        out: PathBuf,
        /// The watched folder.
        dir: PathBuf,
    },
    /// A corrections file that cannot be read, written or understood.
    #[error("{0}")]
    Corrections(#[from] crate::corrections::CorrectionsError),
    /// `serve` cannot listen or start (no free port, no thread, no runtime).
    #[error("cannot serve the page: {0}")]
    Serve(String),
    /// The folder cannot be watched (the operating system refused a watch).
    #[error("cannot watch {path}: {detail}", path = .path.display())]
    Watch {
        /// The watched folder.
        path: PathBuf,
        /// What the operating system said.
        detail: String,
    },
    /// The inputs hold no file the tool reads.
    #[error("no spreadsheet or CSV files found in the inputs")]
    NoInputs,
    /// The reader processes or threads cannot be started.
    #[error("cannot start the readers: {0}")]
    Readers(String),
    /// A KPI computation failed (a defect: consolidated data is always computable).
    #[error("KPI computation failed: {0}")]
    Kpi(#[from] polars::error::PolarsError),
    /// The workbook could not be assembled.
    #[error("cannot build the workbook: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// An output could not be encoded or saved.
    #[error("cannot write {path}: {detail}", path = .path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
}

impl RunError {
    /// Exit code of the run: 2 for every error (spec 3: bad usage, or no output produced).
    pub fn exit_code(&self) -> u8 {
        2
    }
}
