//! Command-line arguments (clap derive only): one struct per subcommand, with worked examples.
//! Validation beyond syntax happens once, in the command that builds the run configuration.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// Example: scoreboard check inbox/ --format json | jq '.summary.issues'
    Check(CheckArgs),
    /// Watch a drop folder: build the month's workbook, then rebuild it whenever files are
    /// added, changed or removed (one line per rebuild; Ctrl-C stops).
    ///
    /// Example: scoreboard watch inbox/ --out-dir reports/ --month current
    Watch(WatchArgs),
    /// Print a commented scoreboard.toml with every key the configuration accepts.
    ///
    /// Example: scoreboard config --example > scoreboard.toml
    Config(ConfigArgs),
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
    /// Reporting month (or `current`, the month of today); the as-of date is its last day.
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
    /// Largest size a zipped workbook (xlsx, xlsb, ods) may unpack to, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub read_max_unpacked_mb: u64,
    /// Most non-empty cells read from one file.
    #[arg(long, value_name = "N", default_value_t = 50_000_000)]
    pub read_max_cells: u64,
    /// No progress bar and no summary on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
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
    /// Also write every consolidated table and the KPI table as Parquet under this folder,
    /// hive-partitioned by reporting month: DIR/<kind>/report_month=YYYY-MM/part-0.parquet.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
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
    /// Output: `text` for people, `json` for scripts (one document on stdout, see docs/check.md).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// `scoreboard watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The drop folder (one folder, watched recursively), its config, period and read limits.
    /// Without --month or --as-of the month is `current` and follows the clock.
    #[command(flatten)]
    pub input: InputArgs,
    /// Folder of the workbook `KPI_YYYY-MM.xlsx` (created if missing; not inside the watched
    /// folder).
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Also write the KPI table as `kpis_YYYY-MM.<format>` in the output folder.
    #[arg(long, value_name = "FORMAT", value_parser = ["csv", "parquet", "json"])]
    pub kpis: Option<String>,
    /// Label language of the workbook (en; nl and fr are planned).
    #[arg(long, default_value = "en", value_parser = ["en", "nl", "fr"])]
    pub lang: String,
}

/// `scoreboard config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the commented example (docs/scoreboard.example.toml) on stdout.
    #[arg(long, required = true)]
    pub example: bool,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Per file its sheets and counts, then one line per error and warning.
    Text,
    /// One JSON document on stdout.
    Json,
}

/// `scoreboard read-worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Memory cap in MiB.
    #[arg(long)]
    pub memory_mb: u64,
    /// Cap on what a zipped workbook unpacks to, in MiB.
    #[arg(long)]
    pub max_unpacked_mb: u64,
    /// Cap on the non-empty cells of the file.
    #[arg(long)]
    pub max_cells: u64,
    /// The file to read.
    pub path: PathBuf,
}
