//! One file per subcommand: orchestration only. `pipeline` runs the stages every command shares:
//! collect inputs → read (isolated, parallel) → consolidate → KPIs.

pub mod check;
pub mod report;

use crate::cli::InputArgs;
use crate::config::Settings;
use crate::consolidate::{consolidate, snapshot_view, Consolidated, FileRead};
use crate::error::RunError;
use crate::kpi::absence::AbsenceResult;
use crate::kpi::actions::ActionsResult;
use crate::kpi::indicators::IndicatorsResult;
use crate::kpi::plan_quality::PlanQuality;
use crate::kpi::proposals::ProposalsResult;
use crate::kpi::{
    absence, actions, indicators, plan_quality, proposals, satisfaction, KpiRow, Periods,
};
use crate::model::{Issue, Severity};
use crate::read::{collect_inputs, read_isolated, ReadLimits};
use crate::schema::Schema;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Prints how long each stage took when `SCOREBOARD_TIMINGS` is set (for benchmarks and support).
pub struct Stopwatch {
    on: bool,
    last: std::time::Instant,
}

impl Stopwatch {
    /// Starts timing if `SCOREBOARD_TIMINGS` is set.
    pub fn start() -> Self {
        Stopwatch {
            on: std::env::var_os("SCOREBOARD_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    /// Reports the time since the previous lap under a stage name.
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!(
                "timing: {stage:<28} {:>8.3} s",
                self.last.elapsed().as_secs_f64()
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// Everything computed from the inputs, before anything is written.
pub struct Computed {
    /// The input files, sorted.
    pub files: Vec<PathBuf>,
    /// Consolidated tables and issues.
    pub cons: Consolidated,
    /// The run's dates.
    pub periods: Periods,
    /// Reporting month label `YYYY-MM`.
    pub month: String,
    /// The whole KPI table.
    pub kpis: Vec<KpiRow>,
    /// Actions KPIs at the end of the previous month.
    pub previous_kpis: Vec<KpiRow>,
    /// Classified actions.
    pub actions: ActionsResult,
    /// Plan quality.
    pub plan: PlanQuality,
    /// Indicators.
    pub indicators: IndicatorsResult,
    /// Proposals.
    pub proposals: ProposalsResult,
    /// Absenteeism (KPIs are also in `kpis`).
    pub absence: AbsenceResult,
    /// Every issue (consolidation and KPI stages).
    pub issues: Vec<Issue>,
}

impl Computed {
    /// Number of issues of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count()
    }
}

fn parse_month(text: &str) -> Result<NaiveDate, RunError> {
    let bad = || {
        RunError::Usage(format!(
            "--month {text:?}: expected YYYY-MM, for example 2025-03"
        ))
    };
    let (y, m) = text.split_once('-').ok_or_else(bad)?;
    let (y, m): (i32, u32) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(bad)
}

/// Loads the config: the named file, else `scoreboard.toml` in the current folder, else defaults.
fn load_settings(path: Option<&Path>) -> Result<Settings, RunError> {
    match path {
        Some(p) => Settings::load(p).map_err(RunError::Usage),
        None if Path::new("scoreboard.toml").is_file() => {
            Settings::load(Path::new("scoreboard.toml")).map_err(RunError::Usage)
        }
        None => Ok(Settings::default()),
    }
}

/// Runs every stage up to the KPIs.
///
/// # Errors
/// [`RunError::Usage`] for bad arguments, config or no inputs; [`RunError::Output`] if a KPI
/// computation fails.
pub fn pipeline(args: &InputArgs, exclude: &[PathBuf]) -> Result<Computed, RunError> {
    let settings = load_settings(args.config.as_deref())?;
    let schema = Schema::new(&settings.alias_triples()).map_err(RunError::Usage)?;
    for s in &settings.sheets {
        if schema.kind(&s.kind).is_none() {
            return Err(RunError::Usage(format!(
                "config: [[sheets]] names unknown table kind `{}`",
                s.kind
            )));
        }
    }
    let month_end = args.month.as_deref().map(parse_month).transpose()?;
    let as_of_arg = match args.as_of.as_deref() {
        Some(t) => Some(
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| RunError::Usage(format!("--as-of {t:?}: expected YYYY-MM-DD")))?,
        ),
        None => None,
    };
    let (mut files, missing) = collect_inputs(&args.inputs);
    if let Some(m) = missing.first() {
        return Err(RunError::Usage(format!("input not found: {}", m.display())));
    }
    let excluded: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    files.retain(|f| std::fs::canonicalize(f).map_or(true, |c| !excluded.contains(&c)));
    if files.is_empty() {
        return Err(RunError::Usage(
            "no spreadsheet or CSV files found in the inputs".into(),
        ));
    }

    let mut watch = Stopwatch::start();
    let exe = std::env::current_exe()
        .map_err(|e| RunError::Output(format!("cannot locate the scoreboard binary: {e}")))?;
    let limits = ReadLimits {
        memory_mb: args.read_memory_mb,
        timeout: Duration::from_secs(args.read_timeout),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| RunError::Output(format!("cannot start worker threads: {e}")))?;
    let reads: Vec<FileRead> = pool.install(|| {
        files
            .par_iter()
            .map(|f| FileRead {
                path: f.display().to_string(),
                result: read_isolated(&exe, f, &limits),
            })
            .collect()
    });
    watch.lap("read (isolated, parallel)");
    let cons = consolidate(reads, &schema, &settings);
    watch.lap("recognise + consolidate");

    let latest_report = cons.actions.iter().filter_map(|l| l.report_date).max();
    let as_of = as_of_arg
        .or(month_end)
        .or(latest_report)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let periods = Periods { as_of };
    let month = format!("{:04}-{:02}", as_of.year(), as_of.month());
    let failed =
        |e: polars::error::PolarsError| RunError::Output(format!("KPI computation failed: {e}"));
    let actions_result = actions::compute(&cons, periods, &settings).map_err(failed)?;
    let plan = plan_quality::compute(&cons, periods).map_err(failed)?;
    watch.lap("actions + plan KPIs");
    let previous_end = as_of.with_day(1).and_then(|d| d.pred_opt());
    let previous_kpis = match previous_end {
        Some(end) => {
            let view = snapshot_view(&cons, &settings, end);
            let mut rows = actions::compute(&view, Periods { as_of: end }, &settings)
                .map_err(failed)?
                .kpis;
            rows.extend(
                plan_quality::compute(&view, Periods { as_of: end })
                    .map_err(failed)?
                    .kpis,
            );
            rows
        }
        None => Vec::new(),
    };
    watch.lap("previous month view");
    let indicators = indicators::compute(&cons, periods, &settings).map_err(failed)?;
    let satisfaction = satisfaction::compute(&cons, periods, &settings).map_err(failed)?;
    let proposals = proposals::compute(&cons, periods);
    let mut absence = absence::compute(&cons, periods, &settings).map_err(failed)?;
    let mut kpis = actions_result.kpis.clone();
    kpis.extend(absence.kpis.iter().cloned());
    kpis.extend(plan.kpis.iter().cloned());
    kpis.extend(indicators.kpis.iter().cloned());
    kpis.extend(satisfaction.kpis);
    kpis.extend(proposals.kpis.iter().cloned());
    watch.lap("other KPI families");
    let mut issues = cons.issues.clone();
    issues.extend(actions_result.issues.iter().cloned());
    issues.extend(satisfaction.issues);
    issues.append(&mut absence.issues);
    Ok(Computed {
        files,
        cons,
        periods,
        month,
        kpis,
        previous_kpis,
        actions: actions_result,
        plan,
        indicators,
        proposals,
        absence,
        issues,
    })
}

/// One-paragraph summary of a run for the terminal.
pub fn summary(c: &Computed) -> String {
    let mut s = format!("{} file(s) read", c.cons.files_read);
    if c.cons.files_failed > 0 {
        s.push_str(&format!(", {} unreadable", c.cons.files_failed));
    }
    for t in &c.cons.tables {
        s.push_str(&format!("; {} {} row(s)", t.rows.len(), t.kind.name));
    }
    if c.cons.superseded > 0 {
        s.push_str(&format!(
            " ({} superseded snapshot row(s))",
            c.cons.superseded
        ));
    }
    s.push_str(&format!(
        "\nissues: {} error(s), {} warning(s), {} note(s)",
        c.count(Severity::Error),
        c.count(Severity::Warning),
        c.count(Severity::Info)
    ));
    if let Some(r) = c
        .kpis
        .iter()
        .find(|r| r.kpi == "actions_on_time_rate" && r.scope == "all")
    {
        match r.value {
            Some(v) => s.push_str(&format!(
                "\nactions realised on time: {:.1} % ({} of {}) as of {} [{}]",
                v * 100.0,
                r.numerator.unwrap_or(0.0),
                r.denominator.unwrap_or(0.0),
                c.periods.as_of,
                r.status
            )),
            None => s.push_str(&format!(
                "\nactions realised on time: no assessable action as of {}",
                c.periods.as_of
            )),
        }
    }
    s
}
