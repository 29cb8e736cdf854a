//! Command-line arguments (clap derive only): one struct per subcommand, with worked examples.
//! Validation beyond syntax happens once, in the command that builds the run configuration.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Consolidate the monthly scoreboards of a public service and compute its KPIs.
#[derive(Debug, Parser)]
#[command(name = "scoreboard", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the monthly KPI workbook (and optionally a KPI table for BI tools).
    ///
    /// Example: scoreboard report inbox/ --month 2025-03 -o KPI_2025-03.xlsx --kpis kpis.csv
    Report(ReportArgs),
    /// Validate only: read and consolidate, list what would be rejected and why; write nothing.
    ///
    /// Example: scoreboard check inbox/
    Check(CheckArgs),
    /// Write a deterministic, realistic set of inputs for benchmarks and tests: an action plan,
    /// absence spells with their headcount, and a 60-file monthly inbox.
    ///
    /// Example: scoreboard sample --size large -o bench-inputs/
    Sample(SampleArgs),
    /// Internal: read one file in an isolated process (used by report and check).
    #[command(hide = true, name = "read-worker")]
    ReadWorker(WorkerArgs),
}

/// Options shared by every command that reads inputs.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files and folders to read (folders are walked recursively; hidden and `~$` lock files skipped).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Configuration file (aliases, forced sheet kinds, mandate end, thresholds).
    /// Default: scoreboard.toml in the current folder, if present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Reporting month; the as-of date is its last day.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// As-of date, overriding the end of --month.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Files read in parallel (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Memory cap of the process that reads one file, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    pub read_memory_mb: u64,
    /// Time limit to read one file, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub read_timeout: u64,
}

/// `scoreboard report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inputs and period.
    #[command(flatten)]
    pub input: InputArgs,
    /// The KPI workbook to write (.xlsx).
    #[arg(short, long, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// Also write the KPI table: .csv, .parquet or .json (by extension).
    #[arg(long, value_name = "FILE")]
    pub kpis: Option<PathBuf>,
    /// Write nothing when any row or file is rejected (exit code 1).
    #[arg(long)]
    pub strict: bool,
    /// Label language of the workbook (en; nl and fr are planned).
    #[arg(long, default_value = "en", value_parser = ["en", "nl", "fr"])]
    pub lang: String,
}

/// `scoreboard check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inputs and period.
    #[command(flatten)]
    pub input: InputArgs,
}

/// `scoreboard sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// small: seconds, for tests; large: 200,000 actions and 1,000,000 absence spells (xlsx);
    /// huge: the large actions and 10,000,000 spells as a Belgian `;` CSV.
    #[arg(long, default_value = "small", value_parser = ["small", "large", "huge"])]
    pub size: String,
    /// The folder to write into (created if missing; files of the same names are replaced).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

/// `scoreboard read-worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Memory cap in MiB.
    #[arg(long)]
    pub memory_mb: u64,
    /// The file to read.
    pub path: PathBuf,
}
