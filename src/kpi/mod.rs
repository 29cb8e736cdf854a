//! KPI families: consolidated frames in, rows of the one KPI table out (spec 5). One file per
//! family; the RAG rule lives here. No reading and no writing of files.

pub mod absence;
pub mod actions;
pub mod calendar;
pub mod indicators;
pub mod plan_quality;
pub mod proposals;
pub mod registry;
pub mod satisfaction;

use crate::config::{Settings, Thresholds};
use crate::consolidate::{previous_month_end, snapshot_view, Consolidated};
use crate::model::Issue;
use chrono::NaiveDate;
use polars::prelude::*;
pub use registry::Kpi;

/// Every KPI family's result for one run, each of its own type, and the one KPI table the
/// exports and the KPI sheet write. Sheets read their family's result, never the table. A new
/// family adds its field, one line in [`compute`] and its rows in [`KpiResults::table`].
#[derive(Debug, Default)]
pub struct KpiResults {
    /// The whole KPI table, family after family, for the exports and the KPI sheet.
    pub kpis: Vec<KpiRow>,
    /// The actions and the plan as they stood at the end of the previous month.
    pub previous: PreviousMonth,
    /// Classified actions.
    pub actions: actions::ActionsResult,
    /// SMART completeness of the plan.
    pub plan: plan_quality::PlanQuality,
    /// Measure points (indicators).
    pub indicators: indicators::IndicatorsResult,
    /// User satisfaction.
    pub satisfaction: satisfaction::SatisfactionResult,
    /// Optimisation proposals.
    pub proposals: proposals::ProposalsResult,
    /// Absenteeism.
    pub absence: absence::AbsenceResult,
    /// Issues found while computing (they depend on the as-of date).
    pub issues: Vec<Issue>,
}

/// The as-of KPIs of the plan at the end of the month before A, for the change since last
/// month.
#[derive(Debug, Default)]
pub struct PreviousMonth {
    /// The actions' tallies then.
    pub actions: Option<actions::ActionTallies>,
    /// The plan's completeness then.
    pub plan: plan_quality::PlanQuality,
}

/// A KPI as the Dashboard shows it for the whole organisation: its value now, the one it is
/// compared with (a month earlier), and the period it is of.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// The KPI.
    pub kpi: Kpi,
    /// Its value now.
    pub now: Figure,
    /// Its value a month earlier, if known.
    pub before: Option<Figure>,
    /// The period the value is of.
    pub period: HeadlinePeriod,
}

/// The period of a headline value, which its label names when it is not the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadlinePeriod {
    /// The as-of date (the actions, the plan).
    AsOf,
    /// The latest month with data, `YYYY-MM` (absence, satisfaction).
    Month(String),
    /// 1 January up to A, `YYYY` (satisfaction).
    YearToDate(String),
    /// The plan year up to A, `YYYY` (proposals).
    PlanYear(String),
}

impl KpiResults {
    /// The KPI table of every family, in the registry's family order, no negative zero.
    fn table(&self) -> Vec<KpiRow> {
        let mut rows: Vec<KpiRow> = self
            .actions
            .tallies
            .as_ref()
            .map(actions::ActionTallies::rows)
            .unwrap_or_default();
        rows.extend(self.absence.rows());
        rows.extend(self.plan.rows());
        rows.extend(self.indicators.kpis.iter().cloned());
        rows.extend(self.satisfaction.rows());
        rows.extend(self.proposals.rows());
        for row in &mut rows {
            row.drop_negative_zero();
        }
        rows
    }

    /// The Dashboard's lines of a headline KPI (two for satisfaction: its latest month and the
    /// year to date; none when its family has no data).
    pub fn headlines(&self, kpi: Kpi) -> Vec<Headline> {
        let line = |now: &Figure, before: Option<&Figure>, period: HeadlinePeriod| Headline {
            kpi,
            now: now.clean(),
            before: before.map(Figure::clean),
            period,
        };
        let latest_of = |months: &[(&str, &Figure)]| -> Option<Headline> {
            let (last, earlier) = months.split_last()?;
            Some(line(
                last.1,
                earlier.last().map(|m| m.1),
                HeadlinePeriod::Month(last.0.to_string()),
            ))
        };
        match kpi.def().family {
            registry::Family::Actions => {
                let Some(t) = &self.actions.tallies else {
                    return Vec::new();
                };
                let before = self
                    .previous
                    .actions
                    .as_ref()
                    .and_then(|p| p.all.figure(kpi, p.thresholds));
                t.all
                    .figure(kpi, t.thresholds)
                    .map(|now| line(&now, before.as_ref(), HeadlinePeriod::AsOf))
                    .into_iter()
                    .collect()
            }
            registry::Family::Plan => self
                .plan
                .all
                .iter()
                .map(|now| line(now, self.previous.plan.all.as_ref(), HeadlinePeriod::AsOf))
                .collect(),
            registry::Family::Absence => {
                let Some(all) = self.absence.all() else {
                    return Vec::new();
                };
                let months: Vec<(&str, &Figure)> = all
                    .months
                    .iter()
                    .filter_map(|m| {
                        let f = match kpi {
                            Kpi::AbsenceRate => Some(&m.rate),
                            Kpi::AbsenceRate12m => m.rate_12m.as_ref(),
                            _ => None,
                        }?;
                        Some((m.month.as_str(), f))
                    })
                    .collect();
                latest_of(&months).into_iter().collect()
            }
            registry::Family::Satisfaction => {
                let s = &self.satisfaction;
                let months: Vec<(&str, &Figure)> =
                    s.months.iter().map(|(m, f)| (m.as_str(), f)).collect();
                latest_of(&months)
                    .into_iter()
                    .chain(
                        s.ytd
                            .iter()
                            .map(|f| line(f, None, HeadlinePeriod::YearToDate(s.year.clone()))),
                    )
                    .collect()
            }
            registry::Family::Proposals => self
                .proposals
                .totals
                .as_ref()
                .and_then(|t| t.figure(kpi))
                .map(|now| {
                    line(
                        now,
                        None,
                        HeadlinePeriod::PlanYear(self.proposals.year.clone()),
                    )
                })
                .into_iter()
                .collect(),
            registry::Family::Indicators => Vec::new(),
        }
    }
}

/// Computes every KPI family at `periods.as_of`, and the actions and plan KPIs at the end of
/// the previous month from the snapshots reported by then.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(
    cons: &Consolidated,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<KpiResults> {
    let mut watch = crate::engine::Stopwatch::start();
    let frame = actions::frame(cons)?;
    // The previous month runs beside the current figures.
    let (previous, current) = rayon::join(
        || previous_month(cons, frame.clone(), periods, settings),
        || -> PolarsResult<_> {
            let actions = actions::compute_with(cons, frame.clone(), periods, settings)?;
            let plan = plan_quality::compute(cons, periods)?;
            let indicators = indicators::compute(cons, periods, settings)?;
            let satisfaction = satisfaction::compute(cons, periods, settings)?;
            let proposals = proposals::compute(cons, periods)?;
            let absence = absence::compute(cons, periods, settings)?;
            Ok((actions, plan, indicators, satisfaction, proposals, absence))
        },
    );
    let previous = previous?;
    let (mut actions, plan, mut indicators, mut satisfaction, proposals, mut absence) = current?;
    watch.lap("  every family, previous month");
    let mut issues = std::mem::take(&mut actions.issues);
    issues.append(&mut indicators.issues);
    issues.append(&mut satisfaction.issues);
    issues.append(&mut absence.issues);
    let mut results = KpiResults {
        kpis: Vec::new(),
        previous,
        actions,
        plan,
        indicators,
        satisfaction,
        proposals,
        absence,
        issues,
    };
    results.kpis = results.table();
    Ok(results)
}

/// The actions and plan KPIs at the end of the month before `periods.as_of`, from the snapshots
/// reported by then (none before year 1). `frame` is the actions frame of `cons`.
fn previous_month(
    cons: &Consolidated,
    frame: Option<DataFrame>,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<PreviousMonth> {
    let Some(end) = previous_month_end(periods.as_of) else {
        return Ok(PreviousMonth::default());
    };
    let at_end = Periods { as_of: end };
    let merged_again;
    let (view, frame) = if merged_alike_at(cons, end) {
        (cons, frame)
    } else {
        // The merge keeps the history whenever a report falls after `end` (consolidate::merge).
        debug_assert!(
            cons.action_history.is_some(),
            "no action history to look back at"
        );
        merged_again = snapshot_view(cons, settings, end);
        (&merged_again, actions::frame(&merged_again)?)
    };
    Ok(PreviousMonth {
        actions: actions::tallies(frame, at_end, settings)?,
        plan: plan_quality::compute(view, at_end)?,
    })
}

/// Whether the snapshot merge as of `end` keeps the same action rows as the run's own merge, so
/// that the view at `end` is `cons` itself: true when no winning report is dated after `end`.
/// A winner carries the latest date of its action's reports, so then no report of any action
/// is dated after `end`, and none is left out at `end` that the run's merge kept (the run's
/// as-of date is later than `end`).
fn merged_alike_at(cons: &Consolidated, end: NaiveDate) -> bool {
    cons.actions
        .iter()
        .all(|l| l.report_date.is_none_or(|d| d <= end))
}

/// One KPI value of one group and period, as the families give it: what a tile, a cell of a
/// sheet or a line of the page shows, and a row of the KPI table once it is given its id, scope,
/// key and period ([`Figure::row`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    /// Numerator of a rate, or the count.
    pub numerator: Option<f64>,
    /// Denominator of a rate.
    pub denominator: Option<f64>,
    /// The value (a fraction for rates); `None` when it cannot be computed.
    pub value: Option<f64>,
    /// RAG colour or trend label; empty when not applicable.
    pub status: String,
}

impl Figure {
    /// A count (value = numerator = the count).
    pub fn count(n: f64) -> Self {
        Figure {
            numerator: Some(n),
            denominator: None,
            value: Some(n),
            status: String::new(),
        }
    }

    /// A rate: numerator / denominator, empty (and `grey` when rated) if the denominator is 0.
    pub fn rate(num: u32, den: u32, rag_with: Option<Thresholds>) -> Self {
        let value = (den > 0).then(|| f64::from(num) / f64::from(den));
        Figure {
            numerator: Some(num.into()),
            denominator: Some(den.into()),
            value,
            status: rag_with
                .map(|t| rag(value, t).to_string())
                .unwrap_or_default(),
        }
    }

    /// A value the caller computed, with its basis and no status.
    pub fn ratio(numerator: Option<f64>, denominator: Option<f64>, value: Option<f64>) -> Self {
        Figure {
            numerator,
            denominator,
            value,
            status: String::new(),
        }
    }

    /// The same figure with no negative zero (Rust's sum of no `f64` is `-0.0`).
    pub fn clean(&self) -> Figure {
        let clean = |v: Option<f64>| v.map(|v| if v == 0.0 { 0.0 } else { v });
        Figure {
            numerator: clean(self.numerator),
            denominator: clean(self.denominator),
            value: clean(self.value),
            status: self.status.clone(),
        }
    }

    /// The row of the KPI table that holds this figure.
    pub fn row(&self, kpi: Kpi, scope: &'static str, key: &str, period: &str) -> KpiRow {
        KpiRow {
            kpi,
            scope,
            key: key.to_string(),
            period: period.to_string(),
            numerator: self.numerator,
            denominator: self.denominator,
            value: self.value,
            status: self.status.clone(),
        }
    }
}

/// One row of the KPI table: `kpi, scope, key, period, numerator, denominator, value, status`.
/// The table is what the exports and the KPI sheet write; every other sheet reads its family's
/// typed result.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    /// The KPI (its id, `actions_on_time_rate`, is [`Kpi::id`]).
    pub kpi: Kpi,
    /// `all` or the grouping column (`owner`, `objective`, `deadline_month`, …).
    pub scope: &'static str,
    /// The group's value; empty for `all`.
    pub key: String,
    /// `YYYY-MM`, `YYYY` or the as-of date `YYYY-MM-DD`.
    pub period: String,
    /// Numerator of a rate, or the count.
    pub numerator: Option<f64>,
    /// Denominator of a rate.
    pub denominator: Option<f64>,
    /// The value (a fraction for rates); `None` when it cannot be computed.
    pub value: Option<f64>,
    /// RAG colour or trend label; empty when not applicable.
    pub status: String,
}

impl KpiRow {
    /// Writes a zero as `0.0`, never `-0.0`. Rust's `Iterator::sum` of no `f64` is `-0.0`
    /// (so that summing `[-0.0]` stays `-0.0`): a month without a new spell made
    /// `absence_frequency` read `-0.0` in the export. Every row passes here once, in [`compute`].
    pub fn drop_negative_zero(&mut self) {
        for v in [&mut self.numerator, &mut self.denominator, &mut self.value]
            .into_iter()
            .flatten()
        {
            if *v == 0.0 {
                *v = 0.0;
            }
        }
    }

    /// The row's value, basis and status.
    pub fn figure(&self) -> Figure {
        Figure {
            numerator: self.numerator,
            denominator: self.denominator,
            value: self.value,
            status: self.status.clone(),
        }
    }

    /// A count KPI (value = numerator = the count).
    pub fn count(kpi: Kpi, scope: &'static str, key: &str, period: &str, n: u32) -> Self {
        KpiRow {
            kpi,
            scope,
            key: key.to_string(),
            period: period.to_string(),
            numerator: Some(n.into()),
            denominator: None,
            value: Some(n.into()),
            status: String::new(),
        }
    }

    /// A KPI whose value the caller computed, with its basis and no status.
    pub fn ratio(
        kpi: Kpi,
        scope: &'static str,
        key: &str,
        period: String,
        numerator: Option<f64>,
        denominator: Option<f64>,
        value: Option<f64>,
    ) -> Self {
        KpiRow {
            kpi,
            scope,
            key: key.to_string(),
            period,
            numerator,
            denominator,
            value,
            status: String::new(),
        }
    }

    /// A rate KPI: value = numerator / denominator, empty (and `grey` when rated) if the
    /// denominator is 0.
    pub fn rate(
        kpi: Kpi,
        scope: &'static str,
        key: &str,
        period: &str,
        num: u32,
        den: u32,
        rag_with: Option<Thresholds>,
    ) -> Self {
        let value = (den > 0).then(|| f64::from(num) / f64::from(den));
        KpiRow {
            kpi,
            scope,
            key: key.to_string(),
            period: period.to_string(),
            numerator: Some(num.into()),
            denominator: Some(den.into()),
            value,
            status: rag_with
                .map(|t| rag(value, t).to_string())
                .unwrap_or_default(),
        }
    }
}

/// RAG colour of a higher-is-better value; thresholds are inclusive, no value is grey.
pub fn rag(value: Option<f64>, t: Thresholds) -> &'static str {
    match value {
        None => "grey",
        Some(v) if v >= t.green => "green",
        Some(v) if v >= t.amber => "amber",
        Some(_) => "red",
    }
}

/// The run's dates: as-of date A and the plan year (spec 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// As-of date.
    pub as_of: NaiveDate,
}

impl Periods {
    /// A as `YYYY-MM-DD`, the period of as-of KPIs.
    pub fn as_of_label(&self) -> String {
        self.as_of.format("%Y-%m-%d").to_string()
    }
}

/// A text column of a frame as owned values.
///
/// # Errors
/// A polars error if the column is missing or not text.
pub fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    let c = df.column(name)?.str()?.clone();
    Ok((0..df.height())
        .map(|i| c.get(i).map(str::to_string))
        .collect())
}

/// A numeric column of a frame as `f64` values.
///
/// # Errors
/// A polars error if the column is missing or not numeric.
pub fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    let c = c.f64()?;
    Ok((0..df.height()).map(|i| c.get(i)).collect())
}

/// The one group key of rows whose grouping column is empty (no owner, no objective, no unit).
/// A machine key, as in the KPI export: sheets show it through `Labels::group`, and no code
/// groups by a display label.
pub const NO_KEY: &str = "(none)";

/// The KPI table as a polars frame with the contract's column names and order.
///
/// # Errors
/// A polars error if the frame cannot be built.
pub fn kpi_frame(rows: &[KpiRow]) -> PolarsResult<DataFrame> {
    let text = |name: &str, f: &dyn Fn(&KpiRow) -> String| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<String>>())
    };
    let num = |name: &str, f: &dyn Fn(&KpiRow) -> Option<f64>| {
        Column::new(
            name.into(),
            rows.iter().map(f).collect::<Vec<Option<f64>>>(),
        )
    };
    DataFrame::new(
        rows.len(),
        vec![
            text("kpi", &|r| r.kpi.to_string()),
            text("scope", &|r| r.scope.to_string()),
            text("key", &|r| r.key.clone()),
            text("period", &|r| r.period.clone()),
            num("numerator", &|r| r.numerator),
            num("denominator", &|r| r.denominator),
            num("value", &|r| r.value),
            text("status", &|r| r.status.clone()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rag_thresholds_are_inclusive() {
        let t = Thresholds {
            green: 0.9,
            amber: 0.75,
        };
        assert_eq!(rag(Some(0.9), t), "green");
        assert_eq!(rag(Some(0.899_999), t), "amber");
        assert_eq!(rag(Some(0.75), t), "amber");
        assert_eq!(rag(Some(0.749), t), "red");
        assert_eq!(rag(Some(1.0), t), "green");
        assert_eq!(rag(None, t), "grey");
    }

    #[test]
    fn a_zero_is_never_negative_in_a_kpi_row() {
        let no_spell: f64 = std::iter::empty::<f64>().sum();
        assert!(
            no_spell.is_sign_negative(),
            "the cause: an empty sum is -0.0"
        );
        let mut r = KpiRow::ratio(
            Kpi::AbsenceFrequency,
            "all",
            "",
            "2025-01".into(),
            Some(no_spell),
            Some(344.1),
            Some(no_spell / 344.1),
        );
        r.drop_negative_zero();
        assert!(r.numerator.is_some_and(f64::is_sign_positive));
        assert!(r.value.is_some_and(f64::is_sign_positive));
        assert_eq!(r.denominator, Some(344.1));
    }

    #[test]
    fn rate_with_zero_denominator_is_empty_and_grey() {
        let t = Thresholds {
            green: 0.9,
            amber: 0.75,
        };
        let r = KpiRow::rate(
            Kpi::ActionsOnTimeRate,
            "all",
            "",
            "2025-03-31",
            0,
            0,
            Some(t),
        );
        assert_eq!((r.value, r.status.as_str()), (None, "grey"));
        let r = KpiRow::rate(Kpi::ActionsOnTimeRate, "all", "", "2025-03-31", 2, 3, None);
        assert_eq!(r.value, Some(2.0 / 3.0));
        assert_eq!(r.status, "");
    }
}
