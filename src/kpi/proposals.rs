//! Optimisation proposals of the OPTIris programme (spec 5.5, seed 004 OPTIris KPI 1): how many
//! were submitted this plan year, how many were SMART, and the savings they realised — summed
//! with polars over the proposals of the plan year up to A.

use super::{Figure, Kpi, KpiRow, Periods};
use crate::consolidate::Consolidated;
use crate::schema::{column, Col};
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

const SUBMITTED_ON: Col = column("proposals", "submitted_on");
const PROPOSAL_ID: Col = column("proposals", "proposal_id");
const TITLE: Col = column("proposals", "title");
const SMART: Col = column("proposals", "smart");
const PLANNED: Col = column("proposals", "planned_savings");
const REALISED: Col = column("proposals", "realised_savings");
const STATUS: Col = column("proposals", "status");

/// One proposal as listed on the Proposals sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalRecord {
    /// Proposal id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Submission date.
    pub submitted_on: Option<NaiveDate>,
    /// Marked SMART (empty counts as not SMART).
    pub smart: bool,
    /// Planned savings, if given.
    pub planned: Option<f64>,
    /// Realised savings, if given.
    pub realised: Option<f64>,
    /// Status as written.
    pub status: String,
    /// Whether it counts in this plan year's KPIs.
    pub in_plan_year: bool,
}

/// The four proposal KPIs of the plan year (scope all).
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalTotals {
    /// `proposals_submitted`.
    pub submitted: Figure,
    /// `proposals_smart_rate`: SMART ones among them.
    pub smart_rate: Figure,
    /// `proposals_savings_realised` (€).
    pub savings_realised: Figure,
    /// `proposals_savings_rate`: realised over planned, among those with a planned amount.
    pub savings_rate: Figure,
}

impl ProposalTotals {
    /// The figure of a proposals KPI.
    pub fn figure(&self, kpi: Kpi) -> Option<&Figure> {
        match kpi {
            Kpi::ProposalsSubmitted => Some(&self.submitted),
            Kpi::ProposalsSmartRate => Some(&self.smart_rate),
            Kpi::ProposalsSavingsRealised => Some(&self.savings_realised),
            Kpi::ProposalsSavingsRate => Some(&self.savings_rate),
            _ => None,
        }
    }
}

/// The proposal KPIs and the proposals.
#[derive(Debug, Default)]
pub struct ProposalsResult {
    /// The plan year `YYYY`, the period of the KPIs.
    pub year: String,
    /// The KPIs (none without a proposals table).
    pub totals: Option<ProposalTotals>,
    /// Every proposal, in file order.
    pub records: Vec<ProposalRecord>,
}

impl ProposalsResult {
    /// The rows of the KPI table, in the registry's order.
    pub fn rows(&self) -> Vec<KpiRow> {
        let Some(t) = &self.totals else {
            return Vec::new();
        };
        [
            (Kpi::ProposalsSubmitted, &t.submitted),
            (Kpi::ProposalsSmartRate, &t.smart_rate),
            (Kpi::ProposalsSavingsRealised, &t.savings_realised),
            (Kpi::ProposalsSavingsRate, &t.savings_rate),
        ]
        .into_iter()
        .map(|(kpi, f)| f.row(kpi, "all", "", &self.year))
        .collect()
    }
}

/// Sums the proposals of the plan year (polars): how many, how many SMART, their realised
/// savings, and realised over planned where a plan was given.
fn totals(counted: &[&ProposalRecord]) -> PolarsResult<ProposalTotals> {
    let df = DataFrame::new(
        counted.len(),
        vec![
            Column::new(
                "smart".into(),
                counted.iter().map(|p| p.smart).collect::<Vec<_>>(),
            ),
            Column::new(
                "planned".into(),
                counted.iter().map(|p| p.planned).collect::<Vec<_>>(),
            ),
            Column::new(
                "realised".into(),
                counted.iter().map(|p| p.realised).collect::<Vec<_>>(),
            ),
        ],
    )?;
    let planned = || col("planned").is_not_null();
    let sums = df
        .lazy()
        .select([
            len().cast(DataType::UInt32).alias("n"),
            col("smart").cast(DataType::UInt32).sum().alias("smart"),
            col("realised").sum().alias("realised"),
            col("planned").sum().alias("planned"),
            col("realised")
                .filter(planned())
                .sum()
                .alias("realised_of_planned"),
        ])
        .collect()?;
    let count =
        |name: &str| -> PolarsResult<u32> { Ok(sums.column(name)?.u32()?.get(0).unwrap_or(0)) };
    let sum = |name: &str| -> PolarsResult<f64> {
        Ok(sums
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .get(0)
            .unwrap_or(0.0))
    };
    let (n, smart) = (count("n")?, count("smart")?);
    let (realised, planned, realised_of_planned) = (
        sum("realised")?,
        sum("planned")?,
        sum("realised_of_planned")?,
    );
    Ok(ProposalTotals {
        submitted: Figure::count(n.into()),
        smart_rate: Figure::rate(smart, n, None),
        savings_realised: Figure::ratio(Some(realised), None, Some(realised)),
        savings_rate: Figure::ratio(
            Some(realised_of_planned),
            Some(planned),
            (planned > 0.0).then(|| realised_of_planned / planned),
        ),
    })
}

/// Computes the proposal KPIs over proposals submitted from 1 January of A's year up to A.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(cons: &Consolidated, periods: Periods) -> PolarsResult<ProposalsResult> {
    let Some(t) = cons.table("proposals") else {
        return Ok(ProposalsResult::default());
    };
    let year = periods.as_of.year();
    let records: Vec<ProposalRecord> = (0..t.rows.len())
        .map(|r| {
            let submitted_on = t.get(r, SUBMITTED_ON).as_date();
            ProposalRecord {
                id: t
                    .get(r, PROPOSAL_ID)
                    .as_text()
                    .unwrap_or_default()
                    .to_string(),
                title: t.get(r, TITLE).as_text().unwrap_or_default().to_string(),
                submitted_on,
                smart: matches!(t.get(r, SMART), crate::model::Value::Bool(true)),
                planned: t.get(r, PLANNED).as_number(),
                realised: t.get(r, REALISED).as_number(),
                status: t.get(r, STATUS).as_text().unwrap_or_default().to_string(),
                in_plan_year: submitted_on.is_some_and(|d| d.year() == year && d <= periods.as_of),
            }
        })
        .collect();
    let counted: Vec<&ProposalRecord> = records.iter().filter(|p| p.in_plan_year).collect();
    Ok(ProposalsResult {
        year: year.to_string(),
        totals: Some(totals(&counted)?),
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::test_support::{consolidated, file};

    #[test]
    fn plan_year_counts_smart_share_and_savings_with_hand_computed_values() {
        let settings = Settings::default();
        let cons = consolidated(
            vec![file(
                "in/opt.xlsx",
                &[
                    &[
                        "Voorstel-ID",
                        "Titel",
                        "Ingediend op",
                        "SMART",
                        "Geplande besparing",
                        "Gerealiseerde besparing",
                    ],
                    &["P-2024", "vorig jaar", "18/11/2024", "ja", "45000", "12000"],
                    &["P1", "a", "22/01/2025", "ja", "120.000", "35.000"],
                    &["P2", "b", "14/02/2025", "nee", "80000", ""],
                    &["P3", "c", "05/03/2025", "x", "", "5000"],
                    &["P4", "d", "27/03/2025", "", "60000", "0"],
                    &["P5", "after A", "02/04/2025", "ja", "10000", "10000"],
                ],
            )],
            &settings,
        );
        let r = compute(
            &cons,
            Periods {
                as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            },
        )
        .unwrap();
        let rows = r.rows();
        let get = |id: &str| rows.iter().find(|k| k.kpi == id).unwrap();
        // P1–P4: the 2024 proposal and the one after A are outside the plan year up to A.
        assert_eq!(get("proposals_submitted").value, Some(4.0));
        // SMART: P1 (ja), P3 (x); empty P4 is not SMART → 2 / 4.
        assert_eq!(get("proposals_smart_rate").value, Some(0.5));
        // Realised: 35,000 + 5,000 + 0 = 40,000 (P3 has no planned amount but did save).
        assert_eq!(get("proposals_savings_realised").value, Some(40_000.0));
        // Rate over proposals with a planned amount: (35,000 + 0) / (120,000 + 80,000 + 60,000).
        let rate = get("proposals_savings_rate");
        assert_eq!(
            (rate.numerator, rate.denominator),
            (Some(35_000.0), Some(260_000.0))
        );
        assert!((rate.value.unwrap() - 35_000.0 / 260_000.0).abs() < 1e-12);
        assert_eq!(get("proposals_submitted").period, "2025");
        assert_eq!(r.records.iter().filter(|p| p.in_plan_year).count(), 4);
    }
}
