//! The outputs: the monthly KPI workbook (one file per sheet family, formats in `styles`), the
//! KPI table exports, and the atomic save. Reads nothing but the report it is given.

mod absence_sheet;
mod actions_sheet;
mod dashboard;
mod data_dir;
mod data_sheets;
mod exports;
mod issues_sheet;
mod kpi_sheet;
mod outcomes_sheets;
mod save;
mod styles;
mod table;

pub use data_dir::{partition_file, write_data_dir, PARTITION_KEY};
pub use exports::write_kpi_export;
pub use save::save_atomically;

use crate::engine::RunResult;
use crate::i18n::Labels;
use crate::kpi::KpiRow;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};
use std::ops::Deref;
use styles::Styles;

/// What a workbook shows: a run's result, borrowed, and the labels of the chosen language.
/// Sheets reach the result's fields through [`Deref`] (`report.kpis`, `report.cons`, …).
pub struct Report<'a> {
    run: &'a RunResult,
    /// Labels in the chosen language.
    pub labels: &'static Labels,
    /// The organisation named in the document properties (`[output] company`), if any.
    pub company: Option<&'a str>,
}

impl Deref for Report<'_> {
    type Target = RunResult;

    fn deref(&self) -> &RunResult {
        self.run
    }
}

impl<'a> Report<'a> {
    /// The workbook view of a run in one language.
    pub fn new(run: &'a RunResult, labels: &'static Labels) -> Self {
        Report {
            run,
            labels,
            company: None,
        }
    }

    /// The same view, naming `company` in the workbook's document properties.
    pub fn with_company(self, company: Option<&'a str>) -> Self {
        Report { company, ..self }
    }
}

impl Report<'_> {
    /// The KPI row with this id, scope and key.
    pub fn kpi(&self, kpi: &str, scope: &str, key: &str) -> Option<&KpiRow> {
        self.kpis
            .iter()
            .find(|r| r.kpi == kpi && r.scope == scope && r.key == key)
    }

    /// The KPI row with this id, scope, key and period.
    pub fn kpi_at(&self, kpi: &str, scope: &str, key: &str, period: &str) -> Option<&KpiRow> {
        self.kpis
            .iter()
            .find(|r| r.kpi == kpi && r.scope == scope && r.key == key && r.period == period)
    }

    /// The latest monthly value of a KPI (rows with a `YYYY-MM` period), with the one before it.
    pub fn latest_monthly(
        &self,
        kpi: &str,
        scope: &str,
        key: &str,
    ) -> (Option<&KpiRow>, Option<&KpiRow>) {
        let mut rows: Vec<&KpiRow> = self
            .kpis
            .iter()
            .filter(|r| r.kpi == kpi && r.scope == scope && r.key == key && r.period.len() == 7)
            .collect();
        rows.sort_by(|a, b| a.period.cmp(&b.period));
        let last = rows.pop();
        (last, rows.pop())
    }

    /// The same KPI at the previous month's end.
    pub fn previous(&self, kpi: &str, scope: &str, key: &str) -> Option<&KpiRow> {
        self.previous_kpis
            .iter()
            .find(|r| r.kpi == kpi && r.scope == scope && r.key == key)
    }
}

/// Adds a report sheet named `title`: the title, reporting month and as-of date on top, printed
/// landscape, one page wide.
///
/// # Errors
/// A rust_xlsxwriter error.
fn report_sheet<'a>(
    wb: &'a mut Workbook,
    styles: &Styles,
    title: &str,
    report: &Report,
) -> Result<&'a mut rust_xlsxwriter::Worksheet, XlsxError> {
    let l = report.labels;
    let ws = wb.add_worksheet();
    ws.set_name(title)?;
    ws.write_string_with_format(0, 0, title, &styles.title)?;
    let sub = format!(
        "{}: {}   ·   {}: {}",
        l.reporting_month,
        report.month,
        l.as_of,
        report.periods.as_of.format("%d/%m/%Y")
    );
    ws.write_string_with_format(1, 0, sub, &styles.subtitle)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(ws)
}

/// The workbook's document properties. The creation time is the as-of date at 00:00 (not the
/// clock), so the same inputs, options and as-of date give the same bytes, run after run.
fn properties(report: &Report) -> DocProperties {
    let props = DocProperties::new()
        .set_title(report.labels.title)
        .set_subject(format!(
            "{}: {}",
            report.labels.reporting_month, report.month
        ))
        .set_keywords(format!("scoreboard, KPI, {}", report.month))
        .set_creation_datetime(&report.periods.as_of);
    match report.company {
        Some(company) => props.set_company(company),
        None => props,
    }
}

/// Builds the whole workbook in memory: Dashboard, Actions, Absenteeism, Indicators, Satisfaction, Proposals,
/// Plan quality (each when its data exists), KPI, one Data sheet per table kind found, Issues
/// (always present).
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn build_workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&properties(report));
    let has_actions = report.cons.table("actions").is_some();
    dashboard::write(&mut wb, &styles, report)?;
    if has_actions {
        actions_sheet::write_actions(&mut wb, &styles, report)?;
    }
    if !report.absence.months.is_empty() {
        absence_sheet::write(&mut wb, &styles, report)?;
    }
    if !report.indicators.summaries.is_empty() {
        outcomes_sheets::write_indicators(&mut wb, &styles, report)?;
    }
    if report.kpis.iter().any(|k| k.kpi == "satisfaction_rate") {
        outcomes_sheets::write_satisfaction(&mut wb, &styles, report)?;
    }
    if !report.proposals.records.is_empty() {
        outcomes_sheets::write_proposals(&mut wb, &styles, report)?;
    }
    if has_actions {
        actions_sheet::write_plan_quality(&mut wb, &styles, report)?;
    }
    kpi_sheet::write(&mut wb, &styles, report)?;
    data_sheets::write(&mut wb, &styles, report)?;
    issues_sheet::write(&mut wb, &styles, report)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::engine::RunResult;
    use crate::i18n::EN;
    use crate::kpi::Periods;
    use crate::test_support::{consolidated, file};
    use calamine::{Data, Reader, Xlsx};

    /// Regression: the Actions sheet grouped actions by the *label* of "no directorate", so a
    /// translated label silently zeroed that group's counts.
    #[test]
    fn translating_the_no_directorate_label_keeps_its_counts() {
        let settings = Settings::default();
        let cons = consolidated(
            vec![file(
                "in/scorebord_2025-03.xlsx",
                &[
                    &[
                        "Actie-ID",
                        "Omschrijving",
                        "Directie",
                        "Deadline",
                        "Status",
                        "Datum afgewerkt",
                    ],
                    &["A1", "t", "", "31/03/2025", "Afgewerkt", "10/03/2025"],
                    &["A2", "t", "", "28/02/2025", "Lopend", ""],
                    &["A3", "t", "P", "28/02/2025", "Lopend", ""],
                ],
            )],
            &settings,
        );
        let periods = Periods {
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        };
        let families = crate::kpi::compute(&cons, periods, &settings).unwrap();
        let run = RunResult {
            files: vec![],
            cons,
            periods,
            month: "2025-03".into(),
            families,
            issues: vec![],
        };
        let labels: &'static Labels = Box::leak(Box::new(Labels {
            none_key: "geen directie",
            ..EN
        }));
        let bytes = build_workbook(&Report::new(&run, labels)).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Actions").unwrap();
        let row: Vec<&Data> = sheet
            .rows()
            .find(|r| r.first() == Some(&Data::String("geen directie".into())))
            .expect("a row for the actions without directorate")
            .iter()
            .collect();
        // Name, rate, status, then on time, late, overdue: 1 on time, 1 overdue → 1/2.
        assert_eq!(row[1], &Data::Float(0.5));
        assert_eq!(
            (row[3], row[4], row[5]),
            (&Data::Float(1.0), &Data::Float(0.0), &Data::Float(1.0))
        );
    }
}
