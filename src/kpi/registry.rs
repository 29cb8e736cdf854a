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

/// One KPI's declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KpiDef {
    /// Stable machine name, as in the KPI export.
    pub id: &'static str,
    /// The family computing it.
    pub family: Family,
    /// What its value measures.
    pub unit: Unit,
    /// Shown in the Dashboard's headline table.
    pub headline: bool,
    /// Key of its display name in the label catalogues.
    pub label_key: &'static str,
}

const fn def(id: &'static str, family: Family, unit: Unit, headline: bool) -> KpiDef {
    KpiDef {
        id,
        family,
        unit,
        headline,
        label_key: id,
    }
}

use Family::*;
use Unit::*;

/// Every KPI, families in the order of the KPI table; within a family, headline KPIs in the
/// order the board reads them.
pub static KPIS: &[KpiDef] = &[
    def("actions_on_time_rate", Actions, Rate, true),
    def("actions_overdue", Actions, Count, true),
    def("actions_overdue_share", Actions, Rate, true),
    def("actions_open", Actions, Count, true),
    def("actions_rescheduled", Actions, Count, true),
    def("actions_on_time", Actions, Count, false),
    def("actions_late", Actions, Count, false),
    def("actions_continuous", Actions, Count, false),
    def("actions_cancelled", Actions, Count, false),
    def("actions_undated", Actions, Count, false),
    def("actions_done_undated", Actions, Count, false),
    def("actions_unknown_status", Actions, Count, false),
    def("plan_smart_rate", Plan, Rate, true),
    def("absence_rate", Absence, Rate, true),
    def("absence_rate_12m", Absence, Rate, true),
    def("absence_rate_yoy", Absence, FractionPoints, false),
    def("absence_trend", Absence, FractionPoints, false),
    def("absence_frequency", Absence, PerHead, false),
    def("absence_avg_duration", Absence, Days, false),
    def("absence_short_rate", Absence, Rate, false),
    def("absence_medium_rate", Absence, Rate, false),
    def("absence_long_rate", Absence, Rate, false),
    def("absence_zero_share", Absence, Rate, false),
    def("indicator_attainment", Indicators, Ratio, false),
    def("satisfaction_rate", Satisfaction, Rate, true),
    def("proposals_submitted", Proposals, Count, true),
    def("proposals_smart_rate", Proposals, Rate, true),
    def("proposals_savings_realised", Proposals, Money, false),
    def("proposals_savings_rate", Proposals, Ratio, true),
];

/// The declaration of a KPI id.
pub fn kpi_def(id: &str) -> Option<&'static KpiDef> {
    KPIS.iter().find(|k| k.id == id)
}

/// The unit of a KPI id; an undeclared id (a defect the registry test catches) counts as a count.
pub fn unit_of(id: &str) -> Unit {
    kpi_def(id).map_or(Unit::Count, |k| k.unit)
}

/// Headline KPIs of a family, in declaration order.
pub fn headline(family: Family) -> impl Iterator<Item = &'static KpiDef> {
    KPIS.iter()
        .filter(move |k| k.headline && k.family == family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_units_fit_their_names() {
        for (i, k) in KPIS.iter().enumerate() {
            assert!(KPIS[..i].iter().all(|o| o.id != k.id), "{} twice", k.id);
        }
        assert_eq!(unit_of("indicator_attainment"), Unit::Ratio);
        assert_eq!(unit_of("absence_rate_yoy"), Unit::FractionPoints);
        assert_eq!(unit_of("absence_frequency"), Unit::PerHead);
        assert_eq!(unit_of("absence_avg_duration"), Unit::Days);
        assert_eq!(unit_of("actions_overdue_share"), Unit::Rate);
        let actions: Vec<&str> = headline(Family::Actions).map(|k| k.id).collect();
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
