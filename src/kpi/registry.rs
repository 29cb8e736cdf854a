//! Every KPI the tool computes, declared as data: id, family, unit, whether the board sees it in
//! the headline, and its label key. Sheets take number formats and names from here, never from
//! the shape of an id. A new KPI is one more entry (and its label in each catalogue).

/// The family that computes a KPI (one file under `kpi/` each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Actions of the operational plan (`kpi/actions.rs`).
    Actions,
    /// SMART completeness of the plan (`kpi/plan_quality.rs`).
    Plan,
    /// Measure points and their targets (`kpi/indicators.rs`).
    Indicators,
    /// User satisfaction (`kpi/satisfaction.rs`).
    Satisfaction,
    /// Optimisation proposals (`kpi/proposals.rs`).
    Proposals,
    /// Absenteeism (`kpi/absence.rs`).
    Absence,
}

/// What a KPI's value measures, which decides how it is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A share of a whole, 0–1 (shown as a percentage).
    Rate,
    /// A quotient that may exceed 1, such as actual over target (shown as a percentage).
    Ratio,
    /// A whole number of things.
    Count,
    /// A number of days, with decimals (a mean duration).
    Days,
    /// A difference or slope of rates, in fractions (0.004 shows as +0.40 %).
    FractionPoints,
    /// A number per head (spells per FTE), with decimals.
    PerHead,
    /// An amount in euro.
    Money,
}

/// Every KPI the tool computes: a closed set, so that a misspelt id is a build error and a
/// sheet cannot search for a KPI that does not exist. The stable machine name of each is
/// [`Kpi::id`] (the KPI export's `kpi` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kpi {
    /// `actions_on_time_rate`.
    ActionsOnTimeRate,
    /// `actions_overdue`.
    ActionsOverdue,
    /// `actions_overdue_share`.
    ActionsOverdueShare,
    /// `actions_open`.
    ActionsOpen,
    /// `actions_rescheduled`.
    ActionsRescheduled,
    /// `actions_on_time`.
    ActionsOnTime,
    /// `actions_late`.
    ActionsLate,
    /// `actions_continuous`.
    ActionsContinuous,
    /// `actions_cancelled`.
    ActionsCancelled,
    /// `actions_undated`.
    ActionsUndated,
    /// `actions_done_undated`.
    ActionsDoneUndated,
    /// `actions_unknown_status`.
    ActionsUnknownStatus,
    /// `plan_smart_rate`.
    PlanSmartRate,
    /// `absence_rate`.
    AbsenceRate,
    /// `absence_rate_12m`.
    AbsenceRate12m,
    /// `absence_rate_yoy`.
    AbsenceRateYoy,
    /// `absence_trend`.
    AbsenceTrend,
    /// `absence_frequency`.
    AbsenceFrequency,
    /// `absence_avg_duration`.
    AbsenceAvgDuration,
    /// `absence_short_rate`.
    AbsenceShortRate,
    /// `absence_medium_rate`.
    AbsenceMediumRate,
    /// `absence_long_rate`.
    AbsenceLongRate,
    /// `absence_zero_share`.
    AbsenceZeroShare,
    /// `indicator_attainment`.
    IndicatorAttainment,
    /// `satisfaction_rate`.
    SatisfactionRate,
    /// `proposals_submitted`.
    ProposalsSubmitted,
    /// `proposals_smart_rate`.
    ProposalsSmartRate,
    /// `proposals_savings_realised`.
    ProposalsSavingsRealised,
    /// `proposals_savings_rate`.
    ProposalsSavingsRate,
}

impl Kpi {
    /// Every KPI, in the registry's order.
    pub const ALL: [Kpi; 29] = [
        Kpi::ActionsOnTimeRate,
        Kpi::ActionsOverdue,
        Kpi::ActionsOverdueShare,
        Kpi::ActionsOpen,
        Kpi::ActionsRescheduled,
        Kpi::ActionsOnTime,
        Kpi::ActionsLate,
        Kpi::ActionsContinuous,
        Kpi::ActionsCancelled,
        Kpi::ActionsUndated,
        Kpi::ActionsDoneUndated,
        Kpi::ActionsUnknownStatus,
        Kpi::PlanSmartRate,
        Kpi::AbsenceRate,
        Kpi::AbsenceRate12m,
        Kpi::AbsenceRateYoy,
        Kpi::AbsenceTrend,
        Kpi::AbsenceFrequency,
        Kpi::AbsenceAvgDuration,
        Kpi::AbsenceShortRate,
        Kpi::AbsenceMediumRate,
        Kpi::AbsenceLongRate,
        Kpi::AbsenceZeroShare,
        Kpi::IndicatorAttainment,
        Kpi::SatisfactionRate,
        Kpi::ProposalsSubmitted,
        Kpi::ProposalsSmartRate,
        Kpi::ProposalsSavingsRealised,
        Kpi::ProposalsSavingsRate,
    ];

    /// The stable machine name (`actions_on_time_rate`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Kpi::ActionsOnTimeRate => "actions_on_time_rate",
            Kpi::ActionsOverdue => "actions_overdue",
            Kpi::ActionsOverdueShare => "actions_overdue_share",
            Kpi::ActionsOpen => "actions_open",
            Kpi::ActionsRescheduled => "actions_rescheduled",
            Kpi::ActionsOnTime => "actions_on_time",
            Kpi::ActionsLate => "actions_late",
            Kpi::ActionsContinuous => "actions_continuous",
            Kpi::ActionsCancelled => "actions_cancelled",
            Kpi::ActionsUndated => "actions_undated",
            Kpi::ActionsDoneUndated => "actions_done_undated",
            Kpi::ActionsUnknownStatus => "actions_unknown_status",
            Kpi::PlanSmartRate => "plan_smart_rate",
            Kpi::AbsenceRate => "absence_rate",
            Kpi::AbsenceRate12m => "absence_rate_12m",
            Kpi::AbsenceRateYoy => "absence_rate_yoy",
            Kpi::AbsenceTrend => "absence_trend",
            Kpi::AbsenceFrequency => "absence_frequency",
            Kpi::AbsenceAvgDuration => "absence_avg_duration",
            Kpi::AbsenceShortRate => "absence_short_rate",
            Kpi::AbsenceMediumRate => "absence_medium_rate",
            Kpi::AbsenceLongRate => "absence_long_rate",
            Kpi::AbsenceZeroShare => "absence_zero_share",
            Kpi::IndicatorAttainment => "indicator_attainment",
            Kpi::SatisfactionRate => "satisfaction_rate",
            Kpi::ProposalsSubmitted => "proposals_submitted",
            Kpi::ProposalsSmartRate => "proposals_smart_rate",
            Kpi::ProposalsSavingsRealised => "proposals_savings_realised",
            Kpi::ProposalsSavingsRate => "proposals_savings_rate",
        }
    }

    /// The KPI of a machine name.
    pub fn from_id(id: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Its declaration in the registry.
    pub fn def(self) -> &'static KpiDef {
        // Every KPI has its entry (a test checks it); the first entry stands in otherwise.
        KPIS.iter().find(|d| d.kpi == self).unwrap_or(&KPIS[0])
    }

    /// What its value measures.
    pub fn unit(self) -> Unit {
        self.def().unit
    }
}

impl std::fmt::Display for Kpi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl PartialEq<str> for Kpi {
    fn eq(&self, other: &str) -> bool {
        self.id() == other
    }
}

impl PartialEq<&str> for Kpi {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

/// Where the Dashboard shows a KPI (the value of its whole organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// Not on the Dashboard (the family's sheet has it).
    No,
    /// A line of the headline table, with its target and the change since last month.
    Line,
    /// A tile at the top, and a line of the headline table.
    Tile,
}

/// One KPI's declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KpiDef {
    /// The KPI.
    pub kpi: Kpi,
    /// Stable machine name, as in the KPI export ([`Kpi::id`]).
    pub id: &'static str,
    /// The family computing it.
    pub family: Family,
    /// What its value measures.
    pub unit: Unit,
    /// Where the Dashboard shows it.
    pub headline: Headline,
    /// Key of its display name in the label catalogues.
    pub label_key: &'static str,
}

const fn def(kpi: Kpi, family: Family, unit: Unit, headline: Headline) -> KpiDef {
    KpiDef {
        kpi,
        id: kpi.id(),
        family,
        unit,
        headline,
        label_key: kpi.id(),
    }
}

use Family::*;
use Unit::*;

/// Every KPI, in the order the board reads them on the Dashboard (the families of the plan,
/// then satisfaction, absence, indicators, proposals); within a family, headline KPIs first.
pub static KPIS: &[KpiDef] = &[
    def(Kpi::ActionsOnTimeRate, Actions, Rate, Headline::Tile),
    def(Kpi::ActionsOverdue, Actions, Count, Headline::Tile),
    def(Kpi::ActionsOverdueShare, Actions, Rate, Headline::Tile),
    def(Kpi::ActionsOpen, Actions, Count, Headline::Line),
    def(Kpi::ActionsRescheduled, Actions, Count, Headline::Line),
    def(Kpi::ActionsOnTime, Actions, Count, Headline::No),
    def(Kpi::ActionsLate, Actions, Count, Headline::No),
    def(Kpi::ActionsContinuous, Actions, Count, Headline::No),
    def(Kpi::ActionsCancelled, Actions, Count, Headline::No),
    def(Kpi::ActionsUndated, Actions, Count, Headline::No),
    def(Kpi::ActionsDoneUndated, Actions, Count, Headline::No),
    def(Kpi::ActionsUnknownStatus, Actions, Count, Headline::No),
    def(Kpi::PlanSmartRate, Plan, Rate, Headline::Tile),
    def(Kpi::SatisfactionRate, Satisfaction, Rate, Headline::Tile),
    def(Kpi::AbsenceRate, Absence, Rate, Headline::Tile),
    def(Kpi::AbsenceRate12m, Absence, Rate, Headline::Line),
    def(Kpi::AbsenceRateYoy, Absence, FractionPoints, Headline::No),
    def(Kpi::AbsenceTrend, Absence, FractionPoints, Headline::No),
    def(Kpi::AbsenceFrequency, Absence, PerHead, Headline::No),
    def(Kpi::AbsenceAvgDuration, Absence, Days, Headline::No),
    def(Kpi::AbsenceShortRate, Absence, Rate, Headline::No),
    def(Kpi::AbsenceMediumRate, Absence, Rate, Headline::No),
    def(Kpi::AbsenceLongRate, Absence, Rate, Headline::No),
    def(Kpi::AbsenceZeroShare, Absence, Rate, Headline::No),
    def(Kpi::IndicatorAttainment, Indicators, Ratio, Headline::No),
    def(Kpi::ProposalsSubmitted, Proposals, Count, Headline::Tile),
    def(Kpi::ProposalsSmartRate, Proposals, Rate, Headline::Line),
    def(
        Kpi::ProposalsSavingsRealised,
        Proposals,
        Money,
        Headline::No,
    ),
    def(Kpi::ProposalsSavingsRate, Proposals, Ratio, Headline::Line),
];

/// The declaration of a KPI id.
pub fn kpi_def(id: &str) -> Option<&'static KpiDef> {
    KPIS.iter().find(|k| k.id == id)
}

/// The unit of a KPI.
pub fn unit_of(kpi: Kpi) -> Unit {
    kpi.unit()
}

/// The KPIs the Dashboard shows, in the order the board reads them: families in the order of
/// the registry.
pub fn headline() -> impl Iterator<Item = &'static KpiDef> {
    KPIS.iter().filter(|k| k.headline != Headline::No)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kpi_is_registered_once_and_units_fit_their_names() {
        for kpi in Kpi::ALL {
            assert_eq!(
                KPIS.iter().filter(|d| d.kpi == kpi).count(),
                1,
                "{kpi} is registered once"
            );
            assert_eq!(Kpi::from_id(kpi.id()), Some(kpi));
        }
        assert_eq!(KPIS.len(), Kpi::ALL.len());
        assert_eq!(unit_of(Kpi::IndicatorAttainment), Unit::Ratio);
        assert_eq!(unit_of(Kpi::AbsenceRateYoy), Unit::FractionPoints);
        assert_eq!(unit_of(Kpi::AbsenceFrequency), Unit::PerHead);
        assert_eq!(unit_of(Kpi::AbsenceAvgDuration), Unit::Days);
        assert_eq!(unit_of(Kpi::ActionsOverdueShare), Unit::Rate);
        let actions: Vec<&str> = headline()
            .filter(|k| k.family == Family::Actions)
            .map(|k| k.id)
            .collect();
        assert_eq!(
            actions,
            [
                "actions_on_time_rate",
                "actions_overdue",
                "actions_overdue_share",
                "actions_open",
                "actions_rescheduled"
            ]
        );
    }
}
