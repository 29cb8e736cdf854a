//! The run configuration: `scoreboard.toml` (aliases, forced sheet kinds, plan dates, RAG
//! thresholds) merged with the command line into one validated value nothing downstream re-checks.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Which deadline an action is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DeadlineBasis {
    /// The baseline column, else the deadline of the oldest snapshot (the spec's default).
    #[default]
    Baseline,
    /// The latest reported deadline.
    Current,
}

/// Green and amber lower bounds of a rate; inclusive (a value equal to a bound gets the better colour).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Thresholds {
    /// Lowest green value.
    pub green: f64,
    /// Lowest amber value.
    pub amber: f64,
}

/// A sheet whose kind the analyst fixes instead of letting the header decide.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ForcedSheet {
    /// Text the file path must contain (case-insensitive).
    pub file: String,
    /// Sheet name; every sheet of the file when absent.
    pub sheet: Option<String>,
    /// Table kind name.
    pub kind: String,
}

/// Settings from `scoreboard.toml`; every field has a default.
#[derive(Debug, Clone, Deserialize, Default)]
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
}

/// `[calendar]`: which public holidays apply and the organisation's own closing days.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    /// `be` (default), `be-brussels` or `be-federal`.
    #[serde(default)]
    pub preset: crate::kpi::calendar::Preset,
    /// Extra closing days (`closing_days = [2025-12-24, 2025-12-31]`).
    #[serde(default)]
    pub closing_days: Vec<toml::value::Datetime>,
}

impl CalendarSettings {
    /// The working-day calendar these settings describe.
    pub fn calendar(&self) -> crate::kpi::calendar::Calendar {
        let days = self
            .closing_days
            .iter()
            .filter_map(|d| d.date)
            .filter_map(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()));
        crate::kpi::calendar::Calendar::new(self.preset, days)
    }
}

/// `[absence]` settings.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Deserialize)]
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
    /// The bounds in force for one indicator.
    pub fn thresholds_for(&self, indicator: &str) -> Thresholds {
        self.per_indicator
            .get(indicator)
            .copied()
            .unwrap_or(self.thresholds)
    }
}

fn default_indicator_thresholds() -> Thresholds {
    Thresholds {
        green: 1.0,
        amber: 0.9,
    }
}

/// `[satisfaction]` settings.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionSettings {
    /// Scale of raw scores (5 or 10); detected per sheet when absent (10 if a score exceeds 5).
    pub scale: Option<u8>,
}

/// `[plan]` settings.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PlanSettings {
    /// End of the manager's mandate (`mandate_end = 2026-06-30`): resolves `einde mandaat`.
    pub mandate_end: Option<toml::value::Datetime>,
}

impl PlanSettings {
    /// The mandate end as a date.
    pub fn mandate_end_date(&self) -> Option<NaiveDate> {
        let d = self.mandate_end?.date?;
        NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
    }
}

/// `[actions]` settings.
#[derive(Debug, Clone, Deserialize)]
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
    /// Reads and validates a `scoreboard.toml`.
    ///
    /// # Errors
    /// A message naming the file and what is wrong in it.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("config {}: {e}", path.display()))
    }

    /// Parses and validates config text.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let settings: Settings = toml::from_str(text).map_err(|e| e.to_string())?;
        if settings.plan.mandate_end.is_some() && settings.plan.mandate_end_date().is_none() {
            return Err("plan.mandate_end must be a date such as 2026-06-30".into());
        }
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
        let file = file.to_lowercase();
        self.sheets
            .iter()
            .find(|s| {
                file.contains(&s.file.to_lowercase())
                    && s.sheet.as_deref().is_none_or(|n| n == sheet)
            })
            .map(|s| s.kind.as_str())
    }
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
        assert_eq!(
            s.plan.mandate_end_date(),
            NaiveDate::from_ymd_opt(2026, 6, 30)
        );
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
}
