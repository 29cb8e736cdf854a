//! The run configuration: `scoreboard.toml` (aliases, forced sheet kinds, plan dates, RAG
//! thresholds, calendar) merged with the command line into one [`RunConfig`], validated once
//! before any file is read; nothing downstream re-checks it. Imports nothing above it.

use crate::cli::{
    CheckArgs, ConvertArgs, ConvertFormatArgs, CsvArgs, InputArgs, ReportArgs, ServeArgs, WatchArgs,
};
use crate::error::RunError;
/// The languages of the tool live in [`crate::model`]; re-exported where the config names them.
pub use crate::model::Lang;
use crate::options::{separator_from_name, ConvertOptions, CsvStyle, Decimal, HeaderRow, Target};
use crate::read::{collect_inputs, ReadLimits, SamePaths};
use crate::schema::Schema;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which deadline an action is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DeadlineBasis {
    /// The baseline column, else the deadline of the oldest snapshot (the spec's default).
    #[default]
    Baseline,
    /// The latest reported deadline.
    Current,
}

/// Green and amber lower bounds of a rate; inclusive (a value equal to a bound gets the better colour).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Lowest green value.
    pub green: f64,
    /// Lowest amber value.
    pub amber: f64,
}

/// A sheet whose kind the analyst fixes instead of letting the header decide.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ForcedSheet {
    /// Text the file path must contain (case-insensitive).
    pub file: String,
    /// Sheet name; every sheet of the file when absent.
    pub sheet: Option<String>,
    /// Table kind name.
    pub kind: String,
    /// The header row (1-based), when the header is not to be searched for: a sheet whose
    /// title rows look like a header, or whose header is too generic to find.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u32>,
    /// The kind's columns as this sheet heads them (`deadline = "Datum 2"`): aliases for this
    /// rule's sheets only, for headers too generic to be aliases everywhere.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
}

/// Settings from `scoreboard.toml`; every field has a default. Serialisable so that a test can
/// list every key and check that `docs/scoreboard.example.toml` names each one.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `[plan]`
    #[serde(default)]
    pub plan: PlanSettings,
    /// `[actions]`
    #[serde(default)]
    pub actions: ActionSettings,
    /// `[aliases.<kind>] column = ["Header", …]`
    #[serde(default)]
    pub aliases: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// `[[sheets]]`
    #[serde(default)]
    pub sheets: Vec<ForcedSheet>,
    /// `[indicators]`
    #[serde(default)]
    pub indicators: IndicatorSettings,
    /// `[satisfaction]`
    #[serde(default)]
    pub satisfaction: SatisfactionSettings,
    /// `[calendar]`
    #[serde(default)]
    pub calendar: CalendarSettings,
    /// `[absence]`
    #[serde(default)]
    pub absence: AbsenceSettings,
    /// `[output]`
    #[serde(default)]
    pub output: OutputSettings,
    /// `[names.<what>] "ICT" = ["Dienst ICT", "Dir. ICT"]`: spellings of a directorate
    /// (`owner`), `unit`, `channel`, `indicator` or `objective` that mean the same, under the
    /// name to show.
    #[serde(default)]
    pub names: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// `[expected]`: who is expected to send a scoreboard every month.
    #[serde(default)]
    pub expected: ExpectedSettings,
    /// `[feedback]`: the feedback files of `report --feedback-dir`.
    #[serde(default)]
    pub feedback: FeedbackSettings,
}

/// `[feedback]`: the language of a file's feedback, forced per file-name pattern
/// (`lang = { "tableau_*" = "fr" }`; `*` and `?` as in a shell, case-insensitive, on the file's
/// name without its folder). Without a match, the language of the file's header row decides.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FeedbackSettings {
    /// File-name pattern → language.
    #[serde(default)]
    pub lang: BTreeMap<String, Lang>,
}

impl FeedbackSettings {
    /// The language the config forces for the feedback of file `name`, if a pattern matches
    /// (the first in the patterns' order).
    pub fn lang_of(&self, name: &str) -> Option<Lang> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let options = glob::MatchOptions {
            case_sensitive: false,
            ..glob::MatchOptions::new()
        };
        self.lang
            .iter()
            .find(|(pattern, _)| {
                glob::Pattern::new(pattern).is_ok_and(|p| p.matches_with(base, options))
            })
            .map(|(_, lang)| *lang)
    }
}

/// `[expected]`: the directorates expected to report every month. When none is listed, every
/// directorate that reported in the three months before the reporting month is expected.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ExpectedSettings {
    /// Directorates by name (compared as group keys: case, accents and spaces do not matter).
    #[serde(default)]
    pub directorates: Vec<String>,
}

/// The group columns whose spellings `[names.<what>]` can join.
pub const NAMED_GROUPS: [&str; 5] = ["owner", "unit", "channel", "indicator", "objective"];

/// `[output]`: what the produced files say about who made them, their language, and the
/// dialect of every CSV written (`--sep`, `--bom` and `--decimal` override it).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OutputSettings {
    /// The organisation written as the workbook's *company* document property
    /// (`company = "Actiris"`); none when absent.
    pub company: Option<String>,
    /// Language of the workbook and the issue reasons when `--lang` is not given
    /// (`lang = "nl"`); English when absent.
    pub lang: Option<Lang>,
    /// CSV field separator: `","` (default), `";"`, `"|"` or `"tab"`.
    pub csv_separator: Option<String>,
    /// Start every CSV with a UTF-8 byte-order mark (for Excel).
    pub csv_bom: Option<bool>,
    /// Decimal mark of numbers in CSV, `"comma"` or `"point"`; by default a comma with the `;`
    /// separator, a point otherwise.
    pub csv_decimal: Option<Decimal>,
    /// Also write the HTML page beside the workbook (`KPI.html` beside `KPI.xlsx`), as
    /// `--html` does (`html = true`).
    pub html: Option<bool>,
}

/// `[calendar]`: which public holidays apply and the organisation's own closing days.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    /// `be` (default), `be-brussels` or `be-federal`.
    #[serde(default)]
    pub preset: Preset,
    /// Extra closing days (`closing_days = [2025-12-24, 2025-12-31]`).
    #[serde(
        default,
        deserialize_with = "toml_dates",
        serialize_with = "toml_dates_out"
    )]
    pub closing_days: Vec<NaiveDate>,
}

/// Which public holidays apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Preset {
    /// The ten legal holidays of Belgium.
    #[default]
    #[serde(rename = "be")]
    Be,
    /// Belgium plus Iris day (8 May), for the Brussels-Capital Region's services.
    #[serde(rename = "be-brussels")]
    BeBrussels,
    /// Belgium plus the federal civil service's days (2 November, 15 November, 26 December).
    #[serde(rename = "be-federal")]
    BeFederal,
}

/// A TOML date (`2025-12-24`, unquoted) as a calendar date; a time or offset is refused.
fn toml_date(d: toml::value::Datetime) -> Result<NaiveDate, String> {
    match (d.date, d.time, d.offset) {
        (Some(date), None, None) => {
            NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
                .ok_or_else(|| format!("{d} is not a calendar date"))
        }
        _ => Err(format!(
            "{d}: expected a date such as 2025-12-24, without a time"
        )),
    }
}

fn toml_dates<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Vec<NaiveDate>, D::Error> {
    let raw: Vec<toml::value::Datetime> = Deserialize::deserialize(de)?;
    raw.into_iter()
        .map(|d| toml_date(d).map_err(serde::de::Error::custom))
        .collect()
}

fn toml_optional_date<'de, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let raw: Option<toml::value::Datetime> = Deserialize::deserialize(de)?;
    raw.map(|d| toml_date(d).map_err(serde::de::Error::custom))
        .transpose()
}

/// A calendar date as a TOML date (unquoted), the way `toml_date` reads it back.
fn toml_date_out(d: NaiveDate) -> toml::value::Datetime {
    use chrono::Datelike;
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: u16::try_from(d.year()).unwrap_or_default(),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

fn toml_dates_out<S: serde::Serializer>(dates: &[NaiveDate], ser: S) -> Result<S::Ok, S::Error> {
    ser.collect_seq(dates.iter().map(|d| toml_date_out(*d)))
}

fn toml_optional_date_out<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    ser: S,
) -> Result<S::Ok, S::Error> {
    date.map(toml_date_out).serialize(ser)
}

/// `[absence]` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceSettings {
    /// Slope (fraction points per month) beyond which the trend is improving or worsening.
    #[serde(default = "default_trend_threshold")]
    pub trend_threshold: f64,
}

impl Default for AbsenceSettings {
    fn default() -> Self {
        AbsenceSettings {
            trend_threshold: default_trend_threshold(),
        }
    }
}

fn default_trend_threshold() -> f64 {
    0.0005
}

/// `[indicators]` settings: RAG bounds of the attainment, by default and per indicator.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSettings {
    /// Bounds for every indicator without its own (green ≥ 1.0, amber ≥ 0.9).
    #[serde(default = "default_indicator_thresholds")]
    pub thresholds: Thresholds,
    /// Bounds per indicator, by its name as written in the files.
    #[serde(default)]
    pub per_indicator: BTreeMap<String, Thresholds>,
}

impl Default for IndicatorSettings {
    fn default() -> Self {
        IndicatorSettings {
            thresholds: default_indicator_thresholds(),
            per_indicator: BTreeMap::new(),
        }
    }
}

impl IndicatorSettings {
    /// The bounds in force for one indicator (its name compared as a group key: case,
    /// accents and spaces do not matter).
    pub fn thresholds_for(&self, indicator: &str) -> Thresholds {
        let key = crate::parse::fold_key(indicator);
        self.per_indicator
            .iter()
            .find(|(name, _)| crate::parse::fold_key(name) == key)
            .map_or(self.thresholds, |(_, t)| *t)
    }
}

fn default_indicator_thresholds() -> Thresholds {
    Thresholds {
        green: 1.0,
        amber: 0.9,
    }
}

/// `[satisfaction]` settings.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionSettings {
    /// Scale of raw scores (5 or 10); detected per sheet when absent (10 if a score exceeds 5).
    pub scale: Option<u8>,
}

/// `[plan]` settings.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// End of the manager's mandate (`mandate_end = 2026-06-30`): resolves `einde mandaat`.
    #[serde(
        default,
        deserialize_with = "toml_optional_date",
        serialize_with = "toml_optional_date_out"
    )]
    pub mandate_end: Option<NaiveDate>,
}

/// `[actions]` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSettings {
    /// `baseline` (default) or `current`.
    #[serde(default)]
    pub deadline: DeadlineBasis,
    /// RAG bounds of `actions_on_time_rate`.
    #[serde(default = "default_on_time_thresholds")]
    pub on_time_thresholds: Thresholds,
}

impl Default for ActionSettings {
    fn default() -> Self {
        ActionSettings {
            deadline: DeadlineBasis::Baseline,
            on_time_thresholds: default_on_time_thresholds(),
        }
    }
}

fn default_on_time_thresholds() -> Thresholds {
    Thresholds {
        green: 0.90,
        amber: 0.75,
    }
}

impl Settings {
    /// Config text checked as every command checks it before a run: [`Settings::parse`], its
    /// aliases as a schema, and its `[[sheets]]` rules. What a mapping writes passes this
    /// first, so a saved config is never one the next run refuses.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn validated(text: &str) -> Result<(Self, Schema), String> {
        let settings = Settings::parse(text)?;
        let schema = Schema::new(&settings.alias_triples())?;
        check_sheet_rules(&settings, &schema)?;
        Ok((settings, schema))
    }

    /// Parses and validates config text.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let settings: Settings = toml::from_str(text).map_err(|e| e.to_string())?;
        let t = settings.actions.on_time_thresholds;
        if !(0.0..=1.0).contains(&t.amber) || !(0.0..=1.0).contains(&t.green) || t.amber > t.green {
            return Err("on_time_thresholds need 0 ≤ amber ≤ green ≤ 1".into());
        }
        let indicator_bounds = std::iter::once(&settings.indicators.thresholds)
            .chain(settings.indicators.per_indicator.values());
        if indicator_bounds
            .into_iter()
            .any(|t| t.amber > t.green || t.amber < 0.0)
        {
            return Err("indicator thresholds need 0 ≤ amber ≤ green".into());
        }
        if settings
            .satisfaction
            .scale
            .is_some_and(|s| s != 5 && s != 10)
        {
            return Err("satisfaction.scale must be 5 or 10".into());
        }
        if let Some(what) = settings
            .names
            .keys()
            .find(|w| !NAMED_GROUPS.contains(&w.as_str()))
        {
            return Err(format!(
                "[names.{what}]: names can be joined for {}",
                NAMED_GROUPS.join(", ")
            ));
        }
        csv_style(&CsvArgs::default(), &settings.output).map_err(|e| match e {
            RunError::BadOption {
                flag,
                value,
                expected,
            } => format!("[output] {flag} = \u{201c}{value}\u{201d}: {expected}"),
            other => other.to_string(),
        })?;
        Ok(settings)
    }

    /// The configured aliases as (kind, column, alias) triples.
    pub fn alias_triples(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for (kind, columns) in &self.aliases {
            for (column, aliases) in columns {
                for a in aliases {
                    out.push((kind.clone(), column.clone(), a.clone()));
                }
            }
        }
        out
    }

    /// The kind forced for a sheet of a file, if the config names one.
    pub fn forced_kind(&self, file: &str, sheet: &str) -> Option<&str> {
        self.sheet_rule(file, sheet).map(|s| s.kind.as_str())
    }

    /// What `sheet` of `file` is, with its `[[sheets]]` rule applied: the kind it forces, its
    /// own column map (aliases for its sheets only) and its header row. The one place a rule
    /// meets a sheet: the run, the feedback files and the page's mapping all recognise through
    /// it.
    pub fn recognise(
        &self,
        schema: &Schema,
        file: &str,
        sheet: &crate::read::RawSheet,
    ) -> crate::schema::Recognition {
        let rule = self.sheet_rule(file, &sheet.name);
        self.schema_for(schema, file, &sheet.name).recognise_at(
            sheet,
            rule.map(|r| r.kind.as_str()),
            rule.and_then(|r| r.header_row),
        )
    }

    /// The schema a sheet is read with: `schema`, with its `[[sheets]]` rule's own column map
    /// added as aliases when it has one.
    pub fn schema_for<'s>(
        &self,
        schema: &'s Schema,
        file: &str,
        sheet: &str,
    ) -> std::borrow::Cow<'s, Schema> {
        let own = self
            .sheet_rule(file, sheet)
            .filter(|r| !r.columns.is_empty())
            .and_then(|r| {
                let mut triples = self.alias_triples();
                triples.extend(
                    r.columns
                        .iter()
                        .map(|(column, header)| (r.kind.clone(), column.clone(), header.clone())),
                );
                Schema::new(&triples).ok()
            });
        match own {
            Some(own) => std::borrow::Cow::Owned(own),
            None => std::borrow::Cow::Borrowed(schema),
        }
    }

    /// The first `[[sheets]]` rule for this file and sheet, if any.
    pub fn sheet_rule(&self, file: &str, sheet: &str) -> Option<&ForcedSheet> {
        let file = file.to_lowercase();
        self.sheets.iter().find(|s| {
            file.contains(&s.file.to_lowercase()) && s.sheet.as_deref().is_none_or(|n| n == sheet)
        })
    }
}

/// File format of the KPI table export, decided by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiFormat {
    /// Comma-separated text with a header.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// A JSON array of objects.
    Json,
}

/// Where and how the KPI table is exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiExport {
    /// The file to write.
    pub path: PathBuf,
    /// Its format.
    pub format: KpiFormat,
    /// The dialect, when the format is CSV.
    pub csv: CsvStyle,
}

/// How the read stage runs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Memory and time budget of one file's isolated read.
    pub limits: ReadLimits,
    /// Files read in parallel; `None` for one per core.
    pub jobs: Option<usize>,
}

/// One validated run: what to read, how to judge it, what to write. Built once from the command
/// line and `scoreboard.toml`; every stage takes what it needs from it and re-checks nothing.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Files and folders to read, as given (each exists).
    pub inputs: Vec<PathBuf>,
    /// `scoreboard.toml`, validated.
    pub settings: Settings,
    /// The table kinds with the config's aliases merged in.
    pub schema: Schema,
    /// The as-of date from `--as-of` or the end of `--month`; `None`: the latest report date
    /// found, else today.
    pub as_of: Option<NaiveDate>,
    /// How files are read.
    pub read: ReadOptions,
    /// Label language.
    pub lang: Lang,
    /// The KPI workbook to write (`report`), `.xlsx`.
    pub workbook: Option<PathBuf>,
    /// The KPI table export, if asked for.
    pub kpis: Option<KpiExport>,
    /// The HTML page (`--html`, or `[output] html = true` beside the workbook), `.html`.
    pub html: Option<PathBuf>,
    /// Folder of the feedback files, one per source file with errors or warnings
    /// (`--feedback-dir`).
    pub feedback_dir: Option<PathBuf>,
    /// Write nothing when a row or file was rejected.
    pub strict: bool,
    /// Whether the workbook has its data sheets (`--no-data` leaves them out).
    pub data_sheets: bool,
    /// Folder of the Parquet dataset (`--data-dir`): a folder or a path to create.
    pub data_dir: Option<PathBuf>,
    /// No progress bar and no summary (`--quiet`).
    pub quiet: bool,
}

/// One validated `scoreboard watch`: the run to repeat and where its outputs go.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    /// The run; its `as_of` is set, its outputs are set per build by [`WatchConfig::run_for`].
    pub run: RunConfig,
    /// The watched folder (the run's one input).
    pub dir: PathBuf,
    /// Where `KPI_YYYY-MM.xlsx` (and the KPI table) go.
    pub out_dir: PathBuf,
    /// Format of the KPI table written beside the workbook, if any.
    pub kpis: Option<KpiFormat>,
    /// The dialect of that table, when it is a CSV.
    pub csv: CsvStyle,
    /// Whether each rebuild writes the HTML page beside the workbook (`--html`, or
    /// `[output] html = true`).
    pub html: bool,
    /// Without `--month YYYY-MM` or `--as-of`, the month is today's and moves with the clock.
    pub follow_current_month: bool,
}

impl WatchConfig {
    /// The run of one rebuild: as of the end of the current month when following the clock,
    /// writing `OUT_DIR/KPI_YYYY-MM.xlsx` and, if asked, `OUT_DIR/kpis_YYYY-MM.<format>`.
    pub fn run_for(&self, today: NaiveDate) -> RunConfig {
        let mut run = self.run.clone();
        if self.follow_current_month {
            run.as_of = month_end_of(today);
        }
        let month = run.as_of.unwrap_or(today).format("%Y-%m").to_string();
        run.workbook = Some(self.out_dir.join(format!("KPI_{month}.xlsx")));
        run.html = self
            .html
            .then(|| self.out_dir.join(format!("KPI_{month}.html")));
        run.kpis = self.kpis.map(|format| KpiExport {
            path: self.out_dir.join(format!(
                "kpis_{month}.{}",
                match format {
                    KpiFormat::Csv => "csv",
                    KpiFormat::Parquet => "parquet",
                    KpiFormat::Json => "json",
                }
            )),
            format,
            csv: self.csv,
        });
        run
    }
}

/// One validated `scoreboard serve`: the inbox, where its outputs go, who may reach the page.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The run of the inbox as first shown; each rebuild takes the page's language and month.
    pub run: RunConfig,
    /// The month asked for on the command line (`YYYY-MM`), else the latest report date's.
    pub month: Option<String>,
    /// The inbox (absolute).
    pub dir: PathBuf,
    /// Where each rebuild's outputs go.
    pub out_dir: PathBuf,
    /// `scoreboard.toml`, whether it exists yet or not.
    pub config_path: PathBuf,
    /// The KPI table's CSV dialect (`[output]` of the config).
    pub csv: CsvStyle,
    /// The address listened on.
    pub bind: std::net::IpAddr,
    /// The port asked for (the next free one is taken when it is busy).
    pub port: u16,
    /// The access token every request must carry (with `--bind` only).
    pub token: Option<String>,
    /// Whether the page is opened in the browser.
    pub open: bool,
    /// Largest file taken, in bytes.
    pub max_file_bytes: u64,
    /// Largest request (a drop of several files), in bytes.
    pub max_upload_bytes: u64,
}

/// The outputs of one rebuild of `serve`, all in its output folder, named by the month shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOutputs {
    /// `KPI_YYYY-MM.xlsx`.
    pub workbook: PathBuf,
    /// `kpis_YYYY-MM.csv`.
    pub kpis_csv: PathBuf,
    /// `kpis_YYYY-MM.parquet`.
    pub kpis_parquet: PathBuf,
    /// `KPI_YYYY-MM.html`.
    pub html: PathBuf,
    /// `feedback/`: the feedback files of the latest rebuild.
    pub feedback_dir: PathBuf,
}

impl ServeConfig {
    /// The run of one rebuild in `lang`, as of the end of `month` (`YYYY-MM`), else of the
    /// latest report date found.
    ///
    /// # Errors
    /// [`RunError::BadMonth`] for a month that is not `YYYY-MM`.
    pub fn run_for(&self, lang: Lang, month: Option<&str>) -> Result<RunConfig, RunError> {
        let mut run = self.run.clone();
        run.lang = lang;
        run.as_of = month.map(month_end).transpose()?;
        Ok(run)
    }

    /// The outputs of a rebuild that shows `month`.
    pub fn outputs(&self, month: &str) -> ServeOutputs {
        let out = |name: String| self.out_dir.join(name);
        ServeOutputs {
            workbook: out(format!("KPI_{month}.xlsx")),
            kpis_csv: out(format!("kpis_{month}.csv")),
            kpis_parquet: out(format!("kpis_{month}.parquet")),
            html: out(format!("KPI_{month}.html")),
            feedback_dir: out("feedback".into()),
        }
    }

    /// `run` set to write `outputs` as `report -o … --kpis ….csv --feedback-dir …` would (the
    /// HTML page and the Parquet table are written by the page itself).
    pub fn with_outputs(&self, mut run: RunConfig, outputs: &ServeOutputs) -> RunConfig {
        run.workbook = Some(outputs.workbook.clone());
        run.kpis = Some(KpiExport {
            path: outputs.kpis_csv.clone(),
            format: KpiFormat::Csv,
            csv: self.csv,
        });
        run.feedback_dir = Some(outputs.feedback_dir.clone());
        run
    }
}

impl ServeConfig {
    /// The configuration with `scoreboard.toml` read again (aliases saved by a mapping, or the
    /// file edited while the page runs); a file that is not there any more is no settings.
    ///
    /// # Errors
    /// [`RunError::Config`] for a file that cannot be read or is not valid.
    pub fn reloaded(&self) -> Result<ServeConfig, RunError> {
        let settings = if self.config_path.is_file() {
            load_settings(Some(&self.config_path))?
        } else {
            Settings::default()
        };
        let config_error = |detail: String| RunError::Config {
            path: self.config_path.clone(),
            detail,
        };
        let schema = Schema::new(&settings.alias_triples()).map_err(config_error)?;
        check_sheet_rules(&settings, &schema).map_err(config_error)?;
        let mut next = self.clone();
        next.csv = csv_style(&CsvArgs::default(), &settings.output)?;
        next.run.settings = settings;
        next.run.schema = schema;
        Ok(next)
    }
}

/// Each `[[sheets]]` rule names a kind, a header row among the rows searched for a header
/// (1–30), and columns of its kind whose headers, with the configured aliases, name one column
/// each.
fn check_sheet_rules(settings: &Settings, schema: &Schema) -> Result<(), String> {
    for rule in &settings.sheets {
        let Some(kind) = schema.kind(&rule.kind) else {
            return Err(format!(
                "[[sheets]] names unknown table kind `{}`",
                rule.kind
            ));
        };
        if let Some(row) = rule.header_row.filter(|r| !(1..=30).contains(r)) {
            return Err(format!(
                "[[sheets]] for `{}`: header_row = {row}; a header row is one of the first 30",
                rule.file
            ));
        }
        if let Some(column) = rule
            .columns
            .keys()
            .find(|c| !kind.columns.iter().any(|k| k.name == c.as_str()))
        {
            return Err(format!(
                "[[sheets]] for `{}`: `{column}` is not a column of {}",
                rule.file, rule.kind
            ));
        }
        let mut triples = settings.alias_triples();
        triples.extend(
            rule.columns
                .iter()
                .map(|(c, h)| (rule.kind.clone(), c.clone(), h.clone())),
        );
        Schema::new(&triples).map_err(|e| format!("[[sheets]] for `{}`: {e}", rule.file))?;
    }
    Ok(())
}

/// 32 random hexadecimal digits (128 bits), the access token of `serve --bind`.
fn random_token() -> String {
    let mut bytes = [0u8; 16];
    // Without the system's randomness there is no safe token: better no server at all.
    getrandom::fill(&mut bytes).expect("the operating system gives no random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl RunConfig {
    /// The configuration of `scoreboard report`: inputs, period, limits, language, outputs.
    ///
    /// # Errors
    /// A [`RunError`] naming the first argument or config entry that is wrong, before any file
    /// is read: a bad month or date, an unknown extension, an output that is an input, …
    pub fn for_report(args: &ReportArgs) -> Result<Self, RunError> {
        let mut config = Self::from_inputs(&args.input)?;
        config.workbook = Some(workbook_path(&args.output)?);
        config.kpis = args.kpis.as_deref().map(kpi_export).transpose()?;
        match &mut config.kpis {
            Some(export) if export.format == KpiFormat::Csv => {
                export.csv = csv_style(&args.csv, &config.settings.output)?;
            }
            _ => refuse_csv_options(&args.csv, "--kpis FILE.csv")?,
        }
        config.html = match &args.html {
            Some(path) => Some(html_path(path)?),
            None if config.settings.output.html == Some(true) => {
                config.workbook.as_ref().map(|w| w.with_extension("html"))
            }
            None => None,
        };
        config.feedback_dir = args
            .feedback_dir
            .as_deref()
            .map(|d| folder_to_write("--feedback-dir", d))
            .transpose()?;
        if let Some(dir) = &config.feedback_dir {
            config.refuse_feedback_dir(dir)?;
        }
        config.strict = args.strict;
        config.data_sheets = !args.no_data;
        config.data_dir = args
            .data_dir
            .as_deref()
            .map(|d| folder_to_write("--data-dir", d))
            .transpose()?;
        config.refuse_inputs_as_outputs()?;
        Ok(config)
    }

    /// The configuration of `scoreboard watch`: one folder, an output folder outside it, and
    /// the month (`current` unless `--month YYYY-MM` or `--as-of` fixes it).
    ///
    /// # Errors
    /// As [`RunConfig::for_report`], and when the input is not one folder or the output folder
    /// is inside it (each write would trigger a rebuild).
    pub fn for_watch(args: &WatchArgs) -> Result<WatchConfig, RunError> {
        let dir = match args.input.inputs.as_slice() {
            [dir] if dir.is_dir() => dir.clone(),
            [other] if !other.exists() => return Err(RunError::InputNotFound(other.clone())),
            inputs => {
                let given: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
                return Err(RunError::WatchNeedsOneFolder(given.join(", ")));
            }
        };
        // `--lang` comes with the shared input options.
        let run = Self::from_inputs(&args.input)?;
        let out_dir = folder_to_write("--out-dir", &args.out_dir)?;
        if let (Ok(watched), Some(out)) = (std::fs::canonicalize(&dir), resolved(&out_dir)) {
            if out.starts_with(&watched) {
                return Err(RunError::OutDirInsideWatched { out: out_dir, dir });
            }
        }
        let kpis = match args.kpis.as_deref() {
            None => None,
            Some(ext) => Some(kpi_export(Path::new(&format!("kpis.{ext}")))?.format),
        };
        if kpis != Some(KpiFormat::Csv) {
            refuse_csv_options(&args.csv, "--kpis csv")?;
        }
        let csv = csv_style(&args.csv, &run.settings.output)?;
        let html = args.html || run.settings.output.html == Some(true);
        let follow_current_month = args.input.as_of.is_none()
            && args.input.month.as_deref().is_none_or(|m| m == "current");
        Ok(WatchConfig {
            run,
            dir,
            out_dir,
            kpis,
            csv,
            html,
            follow_current_month,
        })
    }

    /// The configuration of `scoreboard serve`: the inbox, the output folder beside it (never
    /// inside it), the config beside it, the address and the upload limits.
    ///
    /// # Errors
    /// As [`RunConfig::for_watch`], and for an output folder inside the inbox.
    pub fn for_serve(args: &ServeArgs) -> Result<ServeConfig, RunError> {
        if !args.dir.is_dir() {
            return Err(match args.dir.exists() {
                false => RunError::InputNotFound(args.dir.clone()),
                true => RunError::WatchNeedsOneFolder(args.dir.display().to_string()),
            });
        }
        let dir = std::fs::canonicalize(&args.dir).unwrap_or_else(|_| args.dir.clone());
        let beside = |name: &str| match dir.parent() {
            Some(parent) => parent.join(name),
            None => dir.join(format!(".{name}")),
        };
        let config_path = args
            .config
            .clone()
            .unwrap_or_else(|| beside("scoreboard.toml"));
        let settings = match (&args.config, config_path.is_file()) {
            (None, false) => Settings::default(),
            _ => load_settings(Some(&config_path))?,
        };
        let input = InputArgs {
            inputs: vec![dir.clone()],
            config: Some(config_path.clone()),
            month: args.month.clone(),
            as_of: None,
            lang: args.lang.clone(),
            quiet: args.quiet,
            read: args.read,
        };
        let run = Self::from_inputs_with(&input, settings)?;
        let out_dir = match &args.out_dir {
            Some(out) => folder_to_write("--out-dir", out)?,
            None => beside("reports"),
        };
        if resolved(&out_dir).is_some_and(|out| out.starts_with(&dir)) {
            return Err(RunError::OutDirInsideWatched { out: out_dir, dir });
        }
        let csv = csv_style(&CsvArgs::default(), &run.settings.output)?;
        let (bind, token) = match args.bind {
            None => (std::net::IpAddr::from([127, 0, 0, 1]), None),
            Some(ip) => (ip, Some(args.token.clone().unwrap_or_else(random_token))),
        };
        if token.as_deref().is_some_and(|t| t.len() < 16) {
            return Err(RunError::BadOption {
                flag: "--token",
                value: "(not shown)".into(),
                expected: "at least 16 characters",
            });
        }
        let mb = |n: u64| n.saturating_mul(1024 * 1024);
        Ok(ServeConfig {
            run,
            month: args.month.clone().filter(|m| m != "current"),
            dir,
            out_dir,
            config_path,
            csv,
            bind,
            port: args.port,
            token,
            open: !args.no_open,
            max_file_bytes: mb(args.max_file_mb),
            max_upload_bytes: mb(args.max_upload_mb.max(args.max_file_mb)),
        })
    }

    /// The configuration of `scoreboard check`: inputs, period and limits; no output.
    ///
    /// # Errors
    /// As [`RunConfig::for_report`].
    pub fn for_check(args: &CheckArgs) -> Result<Self, RunError> {
        Self::from_inputs(&args.input)
    }

    /// Every output path of the run.
    pub fn outputs(&self) -> Vec<PathBuf> {
        self.workbook
            .iter()
            .cloned()
            .chain(self.kpis.as_ref().map(|k| k.path.clone()))
            .chain(self.html.iter().cloned())
            .collect()
    }

    fn from_inputs(args: &InputArgs) -> Result<Self, RunError> {
        Self::from_inputs_with(args, load_settings(args.config.as_deref())?)
    }

    fn from_inputs_with(args: &InputArgs, settings: Settings) -> Result<Self, RunError> {
        let config_path = || {
            args.config
                .clone()
                .unwrap_or_else(|| PathBuf::from("scoreboard.toml"))
        };
        let schema = Schema::new(&settings.alias_triples()).map_err(|detail| RunError::Config {
            path: config_path(),
            detail,
        })?;
        check_sheet_rules(&settings, &schema).map_err(|detail| RunError::Config {
            path: config_path(),
            detail,
        })?;
        let month_end = match args.month.as_deref() {
            Some("current") => month_end_of(chrono::Local::now().date_naive()),
            Some(month) => Some(month_end(month)?),
            None => None,
        };
        let as_of = match args.as_of.as_deref() {
            Some(t) => Some(
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| RunError::BadAsOf(t.to_string()))?,
            ),
            None => month_end,
        };
        let read = read_options(&args.read)?;
        let lang = run_lang(args.lang.as_deref(), &settings.output)?;
        if let Some(missing) = args.inputs.iter().find(|p| !p.exists()) {
            return Err(RunError::InputNotFound(missing.clone()));
        }
        Ok(RunConfig {
            inputs: args.inputs.clone(),
            settings,
            schema,
            as_of,
            read,
            lang,
            workbook: None,
            kpis: None,
            html: None,
            feedback_dir: None,
            strict: false,
            data_sheets: true,
            data_dir: None,
            quiet: args.quiet,
        })
    }

    /// The feedback folder is neither another output nor inside an input folder (the next run
    /// would read its files back).
    fn refuse_feedback_dir(&self, dir: &Path) -> Result<(), RunError> {
        let same =
            |a: &Path, b: &Path| a == b || resolved(a).is_some_and(|r| Some(r) == resolved(b));
        if self.outputs().iter().any(|out| same(out, dir)) {
            return Err(RunError::BadOption {
                flag: "--feedback-dir",
                value: dir.display().to_string(),
                expected: "a folder of its own, not the path of another output",
            });
        }
        let inside = resolved(dir);
        for input in self.inputs.iter().filter(|i| i.is_dir()) {
            if let (Some(inside), Ok(input_dir)) = (&inside, std::fs::canonicalize(input)) {
                if inside.starts_with(&input_dir) {
                    return Err(RunError::OutputInsideInput {
                        flag: "--feedback-dir",
                        out: dir.to_path_buf(),
                        dir: input.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// An output path equal to an input file is refused before anything is read.
    fn refuse_inputs_as_outputs(&self) -> Result<(), RunError> {
        let inputs = SamePaths::new(collect_inputs(&self.inputs).0);
        match self.outputs().into_iter().find(|out| inputs.contains(out)) {
            Some(out) => Err(RunError::OutputIsInput(out)),
            None => Ok(()),
        }
    }
}

/// The read stage's budget and parallelism, checked, from the command line's read options.
///
/// # Errors
/// [`RunError::BadOption`] for a limit out of range.
pub fn read_options(args: &crate::cli::ReadArgs) -> Result<ReadOptions, RunError> {
    let crate::cli::ReadArgs {
        jobs,
        read_memory_mb: memory_mb,
        read_timeout: timeout,
        read_max_unpacked_mb: max_unpacked_mb,
        read_max_cells: max_cells,
    } = *args;
    if memory_mb < 64 {
        return Err(RunError::BadOption {
            flag: "--read-memory-mb",
            value: memory_mb.to_string(),
            expected: "at least 64 (MiB)",
        });
    }
    if timeout == 0 {
        return Err(RunError::BadOption {
            flag: "--read-timeout",
            value: "0".into(),
            expected: "at least 1 (second)",
        });
    }
    if max_unpacked_mb == 0 {
        return Err(RunError::BadOption {
            flag: "--read-max-unpacked-mb",
            value: "0".into(),
            expected: "at least 1 (MiB)",
        });
    }
    if max_cells == 0 {
        return Err(RunError::BadOption {
            flag: "--read-max-cells",
            value: "0".into(),
            expected: "at least 1",
        });
    }
    if jobs == Some(0) {
        return Err(RunError::BadOption {
            flag: "--jobs",
            value: "0".into(),
            expected: "at least 1",
        });
    }
    Ok(ReadOptions {
        limits: ReadLimits {
            memory_mb,
            timeout: Duration::from_secs(timeout),
            max_unpacked_mb,
            max_cells,
        },
        jobs,
    })
}

/// One validated `scoreboard convert`: what to convert, into what, where.
#[derive(Debug, Clone)]
pub struct ConvertConfig {
    /// Files and folders to convert, as given (each exists).
    pub inputs: Vec<PathBuf>,
    /// Output format and its options.
    pub options: ConvertOptions,
    /// Folder for the outputs (not a file; created by the command if missing).
    pub out_dir: PathBuf,
    /// Replace existing outputs.
    pub force: bool,
    /// Budget of each file's isolated conversion, and files in parallel.
    pub read: ReadOptions,
    /// No progress bar, no line per converted file, no summary (`--quiet`).
    pub quiet: bool,
}

impl ConvertConfig {
    /// The configuration of `scoreboard convert`.
    ///
    /// # Errors
    /// A [`RunError`] naming the first option that is wrong, before any file is read: an
    /// option of another format (`--sep` with `--to xlsx`), a bad separator or header row, an
    /// input that does not exist, an output folder that is a file.
    pub fn for_convert(args: &ConvertArgs) -> Result<Self, RunError> {
        let settings = load_settings(args.config.as_deref())?;
        let options = convert_options(&args.format, args.lang.as_deref(), &settings.output)?;
        let read = read_options(&args.read)?;
        if let Some(missing) = args.inputs.iter().find(|p| !p.exists()) {
            return Err(RunError::InputNotFound(missing.clone()));
        }
        if args.out_dir.exists() && !args.out_dir.is_dir() {
            return Err(RunError::OutDirNotAFolder(args.out_dir.clone()));
        }
        Ok(ConvertConfig {
            inputs: args.inputs.clone(),
            options,
            out_dir: args.out_dir.clone(),
            force: args.force,
            read,
            quiet: args.quiet,
        })
    }
}

/// The run's language: `--lang`, else `[output] lang`, else English.
fn run_lang(arg: Option<&str>, output: &OutputSettings) -> Result<Lang, RunError> {
    match arg {
        Some(code) => Lang::from_code(code).ok_or_else(|| RunError::BadOption {
            flag: "--lang",
            value: code.to_string(),
            expected: "use en, nl or fr",
        }),
        None => Ok(output.lang.unwrap_or_default()),
    }
}

/// The output options of `convert` (and of its worker, which gets them back as arguments,
/// every CSV option spelt out, with no `[output]` of its own).
///
/// # Errors
/// [`RunError::OptionNeeds`] for an option of another format or header mode,
/// [`RunError::BadOption`] for a bad separator, decimal mark or header row.
pub fn convert_options(
    args: &ConvertFormatArgs,
    lang: Option<&str>,
    output: &OutputSettings,
) -> Result<ConvertOptions, RunError> {
    let target = Target::from_name(&args.to).ok_or(RunError::BadOption {
        flag: "--to",
        value: args.to.clone(),
        expected: "use xlsx, csv or parquet",
    })?;
    if target != Target::Csv {
        refuse_csv_options(&args.csv, "--to csv")?;
        if args.raw {
            return Err(RunError::OptionNeeds {
                flag: "--raw",
                needs: "--to csv",
            });
        }
    }
    if target == Target::Xlsx {
        if args.header_row.is_some() {
            return Err(RunError::OptionNeeds {
                flag: "--header-row",
                needs: "--to csv or --to parquet (an xlsx keeps every row)",
            });
        }
        if args.canonical {
            return Err(RunError::OptionNeeds {
                flag: "--canonical",
                needs: "--to csv or --to parquet",
            });
        }
    }
    let csv = csv_style(&args.csv, output)?;
    let header_row = match args.header_row.as_deref() {
        None | Some("auto") => HeaderRow::Auto,
        Some("none") => HeaderRow::None,
        Some(n) => match n.parse::<u32>() {
            Ok(n @ 1..=1_048_576) => HeaderRow::Row(n),
            _ => {
                return Err(RunError::BadOption {
                    flag: "--header-row",
                    value: n.to_string(),
                    expected: "use auto, none or a row number from 1",
                })
            }
        },
    };
    if args.canonical && header_row != HeaderRow::Auto {
        return Err(RunError::OptionNeeds {
            flag: "--canonical",
            needs: "--header-row auto",
        });
    }
    Ok(ConvertOptions {
        target,
        csv,
        raw: args.raw,
        header_row,
        canonical: args.canonical,
        lang: run_lang(lang, output)?,
    })
}

/// The CSV dialect: `--sep`, `--bom` and `--decimal`, else the config's `[output]` keys, else
/// `,` without a BOM; the decimal mark, unless chosen, goes with the separator (a comma with
/// `;`, as Excel writes CSV in Belgium).
///
/// # Errors
/// [`RunError::BadOption`] for a separator or decimal mark not known, or a decimal comma with
/// the `,` separator (Excel would split every number in two).
pub fn csv_style(args: &CsvArgs, output: &OutputSettings) -> Result<CsvStyle, RunError> {
    let (flag, name) = match (&args.sep, &output.csv_separator) {
        (Some(sep), _) => ("--sep", Some(sep)),
        (None, Some(sep)) => ("csv_separator", Some(sep)),
        (None, None) => ("--sep", None),
    };
    let sep = match name {
        None => b',',
        Some(name) => separator_from_name(name).ok_or_else(|| RunError::BadOption {
            flag,
            value: name.clone(),
            expected: "use , ; | or tab",
        })?,
    };
    let decimal = match (&args.decimal, output.csv_decimal) {
        (Some(name), _) => Decimal::from_name(name).ok_or_else(|| RunError::BadOption {
            flag: "--decimal",
            value: name.clone(),
            expected: "use comma or point",
        })?,
        (None, Some(decimal)) => decimal,
        (None, None) => CsvStyle::default_decimal(sep),
    };
    if decimal == Decimal::Comma && sep == b',' {
        return Err(RunError::BadOption {
            flag: if args.decimal.is_some() || output.csv_decimal.is_none() {
                "--decimal"
            } else {
                "csv_decimal"
            },
            value: decimal.name().into(),
            expected: "a decimal comma needs another separator than , (use --sep ';')",
        });
    }
    Ok(CsvStyle {
        sep,
        bom: args.bom || output.csv_bom.unwrap_or(false),
        decimal,
    })
}

/// CSV options given on the command line where no CSV is written are bad usage, named.
fn refuse_csv_options(args: &CsvArgs, needs: &'static str) -> Result<(), RunError> {
    let given = [
        ("--sep", args.sep.is_some()),
        ("--bom", args.bom),
        ("--decimal", args.decimal.is_some()),
    ];
    match given.iter().find(|(_, given)| *given) {
        Some((flag, _)) => Err(RunError::OptionNeeds { flag, needs }),
        None => Ok(()),
    }
}

/// The last day of a `YYYY-MM` month.
fn month_end(text: &str) -> Result<NaiveDate, RunError> {
    let bad = || RunError::BadMonth(text.to_string());
    let (y, m) = text.split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .ok_or_else(bad)
}

/// The last day of the month of `day`.
fn month_end_of(day: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    NaiveDate::from_ymd_opt(day.year(), day.month(), 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
}

/// A folder the run will write into: one that exists, or a path to create (checked here, made
/// by the writer). Something else at that path is refused.
fn folder_to_write(flag: &'static str, path: &Path) -> Result<PathBuf, RunError> {
    if path.exists() && !path.is_dir() {
        return Err(RunError::NotAFolder {
            flag,
            path: path.to_path_buf(),
        });
    }
    Ok(path.to_path_buf())
}

/// The absolute, symlink-free form of a path that may not exist yet: its longest existing
/// ancestor canonicalised, the rest appended.
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if let Ok(found) = std::fs::canonicalize(existing) {
            return Some(missing.iter().rev().fold(found, |p, part| p.join(part)));
        }
        missing.push(existing.file_name()?.to_os_string());
        existing = match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// An output file whose folder exists: a missing one is named before any input is read, not
/// reported after the whole run as a temporary file's path.
///
/// # Errors
/// [`RunError::OutputFolderMissing`] when the folder does not exist or is not a folder.
pub fn output_file(flag: &'static str, path: &Path) -> Result<PathBuf, RunError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if folder.is_dir() {
        Ok(path.to_path_buf())
    } else {
        Err(RunError::OutputFolderMissing {
            flag,
            path: path.to_path_buf(),
            folder: folder.to_path_buf(),
        })
    }
}

fn workbook_path(path: &Path) -> Result<PathBuf, RunError> {
    if extension(path) == "xlsx" {
        output_file("-o", path)
    } else {
        Err(RunError::OutputExtension {
            flag: "-o",
            path: path.to_path_buf(),
            expected: "the KPI workbook must be an .xlsx file",
        })
    }
}

fn html_path(path: &Path) -> Result<PathBuf, RunError> {
    if matches!(extension(path).as_str(), "html" | "htm") {
        output_file("--html", path)
    } else {
        Err(RunError::OutputExtension {
            flag: "--html",
            path: path.to_path_buf(),
            expected: "the page must be an .html file",
        })
    }
}

fn kpi_export(path: &Path) -> Result<KpiExport, RunError> {
    let format = match extension(path).as_str() {
        "csv" => KpiFormat::Csv,
        "parquet" => KpiFormat::Parquet,
        "json" => KpiFormat::Json,
        _ => {
            return Err(RunError::OutputExtension {
                flag: "--kpis",
                path: path.to_path_buf(),
                expected: "use a .csv, .parquet or .json file",
            })
        }
    };
    Ok(KpiExport {
        path: output_file("--kpis", path)?,
        format,
        csv: CsvStyle::default(),
    })
}

/// Loads the config: the named file, else `scoreboard.toml` in the current folder, else defaults.
fn load_settings(path: Option<&Path>) -> Result<Settings, RunError> {
    let path = match path {
        Some(p) => p,
        None if Path::new("scoreboard.toml").is_file() => Path::new("scoreboard.toml"),
        None => return Ok(Settings::default()),
    };
    let text = std::fs::read_to_string(path).map_err(|e| RunError::Config {
        path: path.to_path_buf(),
        detail: format!("cannot read it: {e}"),
    })?;
    Settings::parse(&text).map_err(|detail| RunError::Config {
        path: path.to_path_buf(),
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let s = Settings::parse(
            r#"
            [plan]
            mandate_end = 2026-06-30
            [actions]
            deadline = "current"
            on_time_thresholds = { green = 0.95, amber = 0.8 }
            [aliases.actions]
            owner = ["Pôle", "Cellule"]
            [indicators]
            thresholds = { green = 1.0, amber = 0.8 }
            per_indicator = { "Wachttijd loket" = { green = 0.95, amber = 0.85 } }
            [satisfaction]
            scale = 10
            [[sheets]]
            file = "dse"
            sheet = "Blad1"
            kind = "actions"
            "#,
        )
        .unwrap();
        assert_eq!(s.plan.mandate_end, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(s.actions.deadline, DeadlineBasis::Current);
        assert_eq!(
            s.actions.on_time_thresholds,
            Thresholds {
                green: 0.95,
                amber: 0.8
            }
        );
        assert_eq!(s.alias_triples().len(), 2);
        assert_eq!(
            s.forced_kind("inbox/DSE_2025-03.xlsx", "Blad1"),
            Some("actions")
        );
        assert_eq!(s.forced_kind("inbox/DSE_2025-03.xlsx", "Blad2"), None);
        assert_eq!(
            s.indicators.thresholds_for("Wachttijd loket"),
            Thresholds {
                green: 0.95,
                amber: 0.85
            }
        );
        assert_eq!(
            s.indicators.thresholds_for("Other"),
            Thresholds {
                green: 1.0,
                amber: 0.8
            }
        );
        assert_eq!(s.satisfaction.scale, Some(10));
    }

    #[test]
    fn defaults_and_bad_values() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s.actions.deadline, DeadlineBasis::Baseline);
        assert_eq!(
            s.actions.on_time_thresholds,
            Thresholds {
                green: 0.9,
                amber: 0.75
            }
        );
        assert!(Settings::parse("[actions]\ndeadline = \"latest\"").is_err());
        assert!(
            Settings::parse("[actions]\non_time_thresholds = { green = 0.5, amber = 0.8 }")
                .is_err()
        );
        assert!(Settings::parse("[nonsense]\nx = 1").is_err());
        assert!(Settings::parse("[satisfaction]\nscale = 7").is_err());
        assert_eq!(
            Settings::default().indicators.thresholds_for("x"),
            Thresholds {
                green: 1.0,
                amber: 0.9
            }
        );
    }

    #[test]
    fn month_end_is_the_last_day_and_bad_months_are_refused() {
        assert_eq!(
            month_end("2025-02").unwrap(),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
        assert_eq!(
            month_end("2024-02").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            month_end("2025-12").unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        for bad in ["2025-13", "2025", "maart", "2025-00", ""] {
            assert!(
                matches!(month_end(bad), Err(RunError::BadMonth(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn calendar_closing_days_must_be_dates() {
        let s =
            Settings::parse("[calendar]\npreset = \"be-brussels\"\nclosing_days = [2025-12-24]")
                .unwrap();
        assert_eq!(s.calendar.preset, Preset::BeBrussels);
        assert_eq!(
            s.calendar.closing_days,
            vec![NaiveDate::from_ymd_opt(2025, 12, 24).unwrap()]
        );
        assert!(Settings::parse("[calendar]\nclosing_days = [2025-12-24T08:00:00]").is_err());
        assert!(Settings::parse("[plan]\nmandate_end = 08:00:00").is_err());
    }

    #[test]
    fn kpi_export_format_comes_from_the_extension() {
        assert_eq!(
            kpi_export(Path::new("k.CSV")).unwrap().format,
            KpiFormat::Csv
        );
        assert_eq!(
            kpi_export(Path::new("k.parquet")).unwrap().format,
            KpiFormat::Parquet
        );
        assert_eq!(
            kpi_export(Path::new("k.json")).unwrap().format,
            KpiFormat::Json
        );
        assert!(matches!(
            kpi_export(Path::new("k.xlsx")),
            Err(RunError::OutputExtension { flag: "--kpis", .. })
        ));
        assert!(workbook_path(Path::new("KPI.XLSX")).is_ok());
        assert!(workbook_path(Path::new("KPI.xls")).is_err());
    }
}
