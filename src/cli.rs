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
    /// The drop zone in a browser: a local page over a folder where files are dropped, their
    /// verdicts and issues shown as soon as they are read, the month's dashboard, and the
    /// workbook, KPI table, HTML page and feedback files to download (outputs kept in
    /// --out-dir). Listens on 127.0.0.1 only, unless --bind (then with an access token).
    ///
    /// Example: scoreboard serve inbox/ --lang nl
    Serve(ServeArgs),
    /// Record a correction of one cell of an input file, kept beside it (the file itself is
    /// never changed), or undo one. Every command applies it while the file is unchanged.
    ///
    /// Examples:
    ///   scoreboard correct inbox/scorebord_DEL.xlsx 'Scorebord!H20' 28/02/2025 --reason "typo, mail of 3/3"
    ///   scoreboard correct --undo c4 inbox/
    #[command(verbatim_doc_comment)]
    Correct(CorrectArgs),
    /// Save a column mapping into scoreboard.toml (its comments and layout kept): the header a
    /// directorate uses, as an alias of a column of a table kind, so its sheets are recognised
    /// from now on.
    ///
    /// Example: scoreboard map --kind actions --column "deadline=Uiterste datum"
    Map(MapArgs),
    /// List the cell corrections of an inbox folder: applied, made for another version of
    /// their file, or undone; --carry-over applies those of a replaced file to its new version.
    ///
    /// Example: scoreboard corrections inbox/
    Corrections(CorrectionsArgs),
    /// Print a commented scoreboard.toml with every key the configuration accepts.
    ///
    /// Example: scoreboard config --example > scoreboard.toml
    Config(ConfigArgs),
    /// Convert spreadsheets to xlsx, or to csv or parquet (one file per sheet).
    ///
    /// Every format the reader reads (xlsx, xlsm, xlsb, xls, ods, csv/tsv/txt); folders are
    /// walked like report's inputs. Each file is converted in its own process, in parallel:
    /// a damaged file fails alone. Exit code 0: all converted; 1: some failed; 2: none.
    ///
    /// Examples:
    ///   scoreboard convert old/*.xls --to xlsx --out-dir converted/
    ///   scoreboard convert inbox/ --to csv --sep ';' --bom --out-dir csv/
    ///   scoreboard convert inbox/ --to parquet --canonical --out-dir lake/
    #[command(verbatim_doc_comment)]
    Convert(ConvertArgs),
    /// Write an empty input workbook for directorates: one sheet per table kind, the header in
    /// their language, lists for status, polarity and yes/no, and instructions.
    ///
    /// Example: scoreboard template --lang nl -o scorebord_sjabloon.xlsx --kinds actions,indicators
    Template(TemplateArgs),
    /// Write a deterministic, realistic set of inputs for benchmarks and tests: an action plan,
    /// absence spells with their headcount, and a 60-file monthly inbox.
    ///
    /// Example: scoreboard sample --size large -o bench-inputs/
    Sample(SampleArgs),
    /// Print the completion script of a shell on stdout: bash, zsh, fish, powershell or elvish.
    ///
    /// Examples:
    ///   scoreboard completions bash > ~/.local/share/bash-completion/completions/scoreboard
    ///   scoreboard completions zsh > ~/.zfunc/_scoreboard
    ///   scoreboard completions fish > ~/.config/fish/completions/scoreboard.fish
    ///   scoreboard completions powershell >> $PROFILE
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout, or write one page per command into a folder.
    ///
    /// Examples:
    ///   scoreboard manpage | man -l -
    ///   scoreboard manpage --out-dir ~/.local/share/man/man1
    #[command(verbatim_doc_comment)]
    Manpage(ManpageArgs),
    /// Internal: a reader process, reading and converting the files it is sent on stdin.
    #[command(hide = true, name = "worker")]
    Worker(WorkerArgs),
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
    /// Language of the workbook and of the issue reasons: en, nl or fr.
    /// Default: `[output] lang` of the config, else en.
    #[arg(long, value_name = "LANG", value_parser = ["en", "nl", "fr"])]
    pub lang: Option<String>,
    /// No progress bar and no summary on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Parallelism and the limits of each file's read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How files are read: in parallel, each in its own process within limits (docs/reliability.md).
#[derive(Debug, Args, Clone, Copy)]
pub struct ReadArgs {
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
    #[arg(long, value_name = "N", default_value_t = 100_000_000)]
    pub read_max_cells: u64,
}

/// The dialect of the CSV files a command writes: the same options wherever a CSV is written.
#[derive(Debug, Args, Clone, Default)]
pub struct CsvArgs {
    /// CSV field separator: , ; | or tab. Default: `[output] csv_separator` of the config, else ,
    #[arg(long, value_name = "CHAR")]
    pub sep: Option<String>,
    /// Start CSV files with a UTF-8 byte-order mark, so that Excel reads them as UTF-8.
    /// Default: `[output] csv_bom` of the config.
    #[arg(long)]
    pub bom: bool,
    /// Decimal mark of numbers in CSV: comma (142,5: Excel in Belgium reads it as a number) or
    /// point (142.5). Default: `[output] csv_decimal`, else comma with --sep ';' and point
    /// otherwise.
    #[arg(long, value_name = "comma|point")]
    pub decimal: Option<String>,
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
    /// The dialect of the KPI table's CSV (with --kpis FILE.csv).
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Also write the dashboard and the KPI sections as one self-contained HTML page (no
    /// network, no script; prints on A4 landscape).
    #[arg(long, value_name = "FILE.html")]
    pub html: Option<PathBuf>,
    /// Also write one feedback workbook per source file with errors or warnings into this
    /// folder, for the directorate that sent it, in its file's language
    /// (`<file>_meldingen.xlsx`, `<file>_signalements.xlsx`, `<file>_issues.xlsx`).
    #[arg(long, value_name = "DIR")]
    pub feedback_dir: Option<PathBuf>,
    /// Also write every consolidated table and the KPI table as Parquet under this folder,
    /// hive-partitioned by reporting month: DIR/<kind>/report_month=YYYY-MM/part-0.parquet.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Write nothing when any row or file is rejected (exit code 1).
    #[arg(long)]
    pub strict: bool,
    /// Leave the `Data – <kind>` sheets out of the workbook (the KPI sheets stay): for runs with
    /// millions of rows, where a workbook of them helps nobody.
    #[arg(long)]
    pub no_data: bool,
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

/// `scoreboard template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Language of the headers, lists and instructions: nl, fr or en.
    #[arg(long, value_name = "LANG", default_value = "en")]
    pub lang: String,
    /// The workbook to write (.xlsx).
    #[arg(short, long, value_name = "FILE.xlsx")]
    pub output: PathBuf,
    /// Table kinds to include, comma-separated (default: all): actions, absence_monthly,
    /// absence_spells, headcount, indicators, satisfaction, satisfaction_scores, proposals.
    #[arg(long, value_name = "KIND,...", value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors (not the `wrote` line).
    #[arg(short, long)]
    pub quiet: bool,
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
    /// The dialect of the KPI table's CSV (with --kpis csv).
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Also write the HTML page `KPI_YYYY-MM.html` beside the workbook at each rebuild.
    #[arg(long)]
    pub html: bool,
}

/// `scoreboard serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The inbox: files dropped on the page land here, files copied here by hand appear on it
    /// (the folder `report` and `watch` read).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Where each rebuild's workbook, KPI table, HTML page and feedback files are kept.
    /// Default: a `reports` folder beside DIR (never inside it).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Port to listen on; when it is taken, the next free one (said on the terminal).
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (another machine can then reach the page:
    /// a trusted network only, there is no TLS). Every request then needs the access token.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<std::net::IpAddr>,
    /// The access token with --bind (default: a random one, printed once).
    #[arg(long, value_name = "TOKEN", requires = "bind")]
    pub token: Option<String>,
    /// Do not open the page in the browser.
    #[arg(long)]
    pub no_open: bool,
    /// Configuration file. Default: scoreboard.toml beside DIR, if present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Reporting month the page starts on (it has a month picker). Default: the latest report
    /// date found, as `report`.
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Language the page starts in (it has a language picker): en, nl or fr.
    /// Default: `[output] lang` of the config, else en.
    #[arg(long, value_name = "LANG", value_parser = ["en", "nl", "fr"])]
    pub lang: Option<String>,
    /// Largest file the page takes, in MB.
    #[arg(long, value_name = "MB", default_value_t = 50)]
    pub max_file_mb: u64,
    /// Largest drop (all its files together) the page takes, in MB.
    #[arg(long, value_name = "MB", default_value_t = 200)]
    pub max_upload_mb: u64,
    /// Print nothing but errors and the page's address.
    #[arg(short, long)]
    pub quiet: bool,
    /// Parallelism and the limits of each file's read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// `scoreboard correct`.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// The input file (with --undo: the folder or file whose corrections file holds the id;
    /// default the current folder).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The cell: `SHEET!CELL` (for a CSV the sheet is the name `check` gives it, its stem).
    #[arg(value_name = "SHEET!CELL", required_unless_present = "undo")]
    pub cell: Option<String>,
    /// The value to read instead, parsed like any cell of its column.
    #[arg(value_name = "VALUE", required_unless_present = "undo")]
    pub value: Option<String>,
    /// Why (kept with the correction, shown on the Issues sheet).
    #[arg(long, value_name = "TEXT", required_unless_present = "undo")]
    pub reason: Option<String>,
    /// Who (default: the user name of the session).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// The corrections file (default: the nearest `.scoreboard-corrections.jsonl` in the
    /// file's folder or a folder above it, else a new one in the file's folder).
    #[arg(long, value_name = "FILE")]
    pub corrections: Option<PathBuf>,
    /// Undo the correction with this id (it is kept, marked undone).
    #[arg(long, value_name = "ID", conflicts_with_all = ["cell", "value", "reason"])]
    pub undo: Option<String>,
    /// Parallelism and the limits of the file's read.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// `scoreboard map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The table kind: actions, absence_monthly, absence_spells, headcount, indicators,
    /// satisfaction, satisfaction_scores, proposals.
    #[arg(long, value_name = "KIND", required_unless_present = "undo")]
    pub kind: Option<String>,
    /// `COLUMN=HEADER`: the kind's column (as `check` names it in parentheses) and the header
    /// text the directorate uses for it. Repeat for several.
    #[arg(
        long = "column",
        value_name = "COLUMN=HEADER",
        required_unless_present_any = ["header_row", "file"]
    )]
    pub columns: Vec<String>,
    /// Undo a mapping instead: remove the aliases given with --kind and --column, or the rule
    /// for --file and --sheet.
    #[arg(long)]
    pub undo: bool,
    /// Save a rule for this file-name pattern (text its path contains) and --sheet instead of
    /// aliases for every file: for headers too generic to be aliases everywhere.
    #[arg(long, value_name = "PATTERN", requires = "sheet")]
    pub file: Option<String>,
    /// The sheet the rule is for (with --file).
    #[arg(long, value_name = "SHEET", requires = "file")]
    pub sheet: Option<String>,
    /// The rule's header row (1-30), when it is not to be searched for (with --file).
    #[arg(long, value_name = "N", requires = "file")]
    pub header_row: Option<u32>,
    /// The configuration file to write (created if missing). Default: scoreboard.toml in the
    /// current folder.
    #[arg(long, value_name = "FILE", default_value = "scoreboard.toml")]
    pub config: PathBuf,
}

/// `scoreboard corrections`.
#[derive(Debug, Args)]
pub struct CorrectionsArgs {
    /// The inbox folder (its corrections files, subfolders included).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Apply the corrections made for an earlier version of a file to its present version,
    /// each shown with the cell's present value (the earlier one is kept, marked undone).
    #[arg(long)]
    pub carry_over: bool,
    /// Parallelism and the limits of each file's read (for --carry-over).
    #[command(flatten)]
    pub read: ReadArgs,
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

/// `scoreboard sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// small: seconds, for tests; large: 200,000 actions and 1,000,000 absence spells (xlsx);
    /// huge: the large actions and 10,000,000 spells as a Belgian `;` CSV; messy: the large
    /// actions and 20,000 employees with about 50 spells each over three years, most of them
    /// overlapping (xlsx).
    #[arg(long, default_value = "small", value_parser = ["small", "large", "huge", "messy"])]
    pub size: String,
    /// The folder to write into (created if missing; files of the same names are replaced).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Print nothing but errors (not the list of files written).
    #[arg(short, long)]
    pub quiet: bool,
}

/// `scoreboard completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `scoreboard manpage`.
#[derive(Debug, Args)]
pub struct ManpageArgs {
    /// Write `scoreboard.1` and one `scoreboard-<command>.1` per command into this folder
    /// (created if missing) instead of printing `scoreboard.1`.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// `scoreboard worker`: the limits of every file it reads.
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
}

/// `scoreboard convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files and folders to convert (folders are walked recursively; hidden and `~$` lock files skipped).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output format and its options.
    #[command(flatten)]
    pub format: ConvertFormatArgs,
    /// Configuration file, for its `[output]` CSV keys. Default: scoreboard.toml in the
    /// current folder, if present.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the outputs (created if missing): <file>.xlsx, or <file>__<sheet>.csv|parquet.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Replace outputs that already exist.
    #[arg(long)]
    pub force: bool,
    /// Language of the lines on the terminal and of the notes and reasons: en, nl or fr.
    /// Default: `[output] lang` of the config, else en.
    #[arg(long, value_name = "LANG", value_parser = ["en", "nl", "fr"])]
    pub lang: Option<String>,
    /// No progress bar, no line per converted file and no summary on stderr (files that
    /// failed are still named).
    #[arg(short, long)]
    pub quiet: bool,
    /// Parallelism and the limits of each file's conversion.
    #[command(flatten)]
    pub read: ReadArgs,
}

/// What `convert` writes.
#[derive(Debug, Args)]
pub struct ConvertFormatArgs {
    /// Output format.
    #[arg(long, value_name = "FORMAT", value_parser = ["xlsx", "csv", "parquet"])]
    pub to: String,
    /// The CSV dialect (with --to csv).
    #[command(flatten)]
    pub csv: CsvArgs,
    /// CSV: write text as it is (default: text that a spreadsheet would run as a formula, = + - @
    /// first, or turn into a date or time, 4/5, maart 2025, 8:30, gets a leading ').
    #[arg(long)]
    pub raw: bool,
    /// csv/parquet header row: auto (report's header detection, else the first row), a row number, or none.
    #[arg(long, value_name = "auto|N|none")]
    pub header_row: Option<String>,
    /// With --header-row auto, name the columns of a known table kind canonically (action_id, deadline…).
    #[arg(long)]
    pub canonical: bool,
}
