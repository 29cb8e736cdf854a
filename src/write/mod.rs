//! The outputs: the monthly KPI workbook (one file per sheet family, formats in `styles`), the
//! KPI table exports, and the atomic save. Reads nothing but the report it is given.

mod absence_sheet;
mod actions_sheet;
mod dashboard;
mod data_dir;
mod data_sheets;
mod exports;
mod feedback;
pub mod html;
mod issues_sheet;
mod kpi_sheet;
mod outcomes_sheets;
mod received_sheet;
mod save;
mod styles;
mod table;

pub(crate) use crate::excel_text::write_text;
pub use data_dir::{partition_file, write_data_dir, ISSUES_TABLE, KPI_TABLE, PARTITION_KEY};
pub use data_sheets::DataView;
pub use exports::write_kpi_export;
pub use feedback::{rows_as_read, write_feedback, FeedbackRun, FeedbackWritten};

/// Writes the run's HTML page (`report --html`) in `labels`' language, atomically.
///
/// # Errors
/// [`RunError::Write`] when it cannot be saved.
pub fn write_html(
    path: &std::path::Path,
    run: &RunResult,
    labels: &'static Labels,
) -> Result<(), RunError> {
    let page = html::render(&Report::new(run, labels));
    save_atomically(path, page.as_bytes()).map_err(|e| RunError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}
pub use save::save_atomically;
pub use save::save_atomically_with;

use crate::consolidate::Consolidated;
use crate::engine::{RunResult, TableSink};
use crate::error::RunError;
use crate::i18n::Labels;
use rust_xlsxwriter::{DocProperties, Workbook, XlsxError};
use std::ops::Deref;
use std::sync::Arc;
use styles::Styles;

/// What a workbook shows: a run's result, borrowed, and the labels of the chosen language.
/// Sheets reach the result's fields through [`Deref`] (`report.kpis`, `report.cons`, …).
pub struct Report<'a> {
    run: &'a RunResult,
    /// Labels in the chosen language.
    pub labels: &'static Labels,
    /// The organisation named in the document properties (`[output] company`), if any.
    pub company: Option<&'a str>,
    /// Whether the `Data – <kind>` sheets are written (`--no-data` leaves them out).
    pub data_sheets: bool,
    /// Rows of a table per data sheet: Excel's limit under the header, beyond which a table
    /// continues on `Data – <kind> (2)`… (smaller in tests).
    pub rows_per_data_sheet: usize,
}

/// Rows a worksheet holds (Excel's limit).
pub const EXCEL_MAX_ROWS: usize = 1_048_576;

/// Rows of a table per data sheet: all a worksheet holds under the header.
pub const ROWS_PER_DATA_SHEET: usize = EXCEL_MAX_ROWS - 1;

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
            data_sheets: true,
            rows_per_data_sheet: ROWS_PER_DATA_SHEET,
        }
    }

    /// The same view, naming `company` in the workbook's document properties.
    pub fn with_company(self, company: Option<&'a str>) -> Self {
        Report { company, ..self }
    }

    /// The same view, with or without the data sheets.
    pub fn with_data_sheets(self, data_sheets: bool) -> Self {
        Report {
            data_sheets,
            ..self
        }
    }

    /// The same view, splitting data sheets every `rows` rows (tests use a small number).
    pub fn with_rows_per_data_sheet(self, rows: usize) -> Self {
        Report {
            rows_per_data_sheet: rows.clamp(1, EXCEL_MAX_ROWS - 1),
            ..self
        }
    }
}

impl Report<'_> {
    /// The plan of the workbook that shows this view.
    pub fn plan(&self) -> WorkbookPlan {
        WorkbookPlan {
            labels: self.labels,
            data_sheets: self.data_sheets,
            rows_per_data_sheet: self.rows_per_data_sheet,
        }
    }

    /// What its data sheets show.
    pub fn data_view(&self) -> DataView<'_> {
        DataView {
            cons: &self.cons,
            labels: self.labels,
            rows_per_sheet: self.rows_per_data_sheet,
        }
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
    let ws = wb.add_worksheet();
    ws.set_name(title)?;
    ws.write_string_with_format(0, 0, title, &styles.title)?;
    ws.write_string_with_format(1, 0, subtitle(report, false), &styles.subtitle)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(ws)
}

/// The line under a sheet's title: `Rapporteringsmaand: maart 2025   ·   Stand op: 31/03/2025`,
/// and with `sources` the number of source files read (and unreadable), as the Dashboard and
/// the HTML page show it.
pub(crate) fn subtitle(report: &Report, sources: bool) -> String {
    let l = report.labels;
    let mut parts = vec![
        l.labelled(&l.reporting_month, l.month(&report.month)),
        l.labelled(&l.as_of, l.date(report.periods.as_of)),
    ];
    if sources {
        let cons = &report.cons;
        let mut read = l.labelled(&l.source_files, cons.files_read + cons.files_failed);
        if cons.files_failed > 0 {
            read.push_str(&format!(" ({} {})", cons.files_failed, l.unreadable));
        }
        parts.push(read);
    }
    parts.join("   ·   ")
}

/// The workbook's document properties, with the custom property that marks it as written by
/// scoreboard (so it is never read back as data). The creation time is the as-of date at 00:00 (not the
/// clock), so the same inputs, options and as-of date give the same bytes, run after run.
fn properties(report: &Report) -> DocProperties {
    let props = DocProperties::new()
        .set_title(&report.labels.title)
        .set_subject(report.labels.labelled(
            &report.labels.reporting_month,
            report.labels.month(&report.month),
        ))
        .set_keywords(format!("scoreboard, KPI, {}", report.month))
        .set_creation_datetime(&report.periods.as_of)
        // The mark by which the reader knows a workbook of ours, whatever its language
        // (custom properties survive Excel's and LibreOffice's own saves).
        .set_custom_property(crate::read::GENERATOR_PROPERTY, env!("CARGO_PKG_VERSION"));
    match report.company {
        Some(company) => props.set_company(company),
        None => props,
    }
}

/// What a workbook will show, decided from the configuration before anything is read: its
/// language, whether it has its data sheets, and how many rows a data sheet holds.
#[derive(Debug, Clone, Copy)]
pub struct WorkbookPlan {
    /// Labels in the chosen language.
    pub labels: &'static Labels,
    /// Whether the `Data – <kind>` sheets are written (`--no-data` leaves them out).
    pub data_sheets: bool,
    /// Rows of a table per data sheet ([`ROWS_PER_DATA_SHEET`]; smaller in tests).
    pub rows_per_data_sheet: usize,
}

impl WorkbookPlan {
    /// The plan of a workbook in one language, with its data sheets or without.
    pub fn new(labels: &'static Labels, data_sheets: bool) -> Self {
        WorkbookPlan {
            labels,
            data_sheets,
            rows_per_data_sheet: ROWS_PER_DATA_SHEET,
        }
    }
}

/// A workbook built as its plan says, in two steps that follow the run: its data sheets from
/// the consolidated tables as soon as they are final (it is the run's [`TableSink`]: each sheet
/// fills on a thread of its own while the KPIs are computed), then [`WorkbookBuilder::assemble`]
/// with the run's result: the report sheets before the data sheets, Issues after them.
pub struct WorkbookBuilder {
    plan: WorkbookPlan,
    /// The workbook the data sheets were made in, and each sheet's filling (none before the
    /// tables came, or without data sheets).
    data: Option<(Workbook, Vec<data_sheets::Filling>)>,
    /// A data sheet that could not be begun (a temporary file refused): said at assembly.
    failed: Option<XlsxError>,
}

impl WorkbookBuilder {
    /// A builder that has seen no table yet.
    pub fn new(plan: WorkbookPlan) -> Self {
        WorkbookBuilder {
            plan,
            data: None,
            failed: None,
        }
    }

    /// The whole workbook, ready to save: the Dashboard and the report sheets of `result`, the
    /// data sheets (waiting for those still filling), Issues. The workbook holds its cells:
    /// `result` may go before [`save_workbook`] zips it.
    ///
    /// # Errors
    /// [`RunError::Workbook`] when a sheet cannot be built.
    pub fn assemble(self, result: &RunResult, company: Option<&str>) -> Result<Workbook, RunError> {
        let report = Report::new(result, self.plan.labels)
            .with_company(company)
            .with_data_sheets(self.plan.data_sheets)
            .with_rows_per_data_sheet(self.plan.rows_per_data_sheet);
        self.assemble_report(&report)
    }

    /// [`WorkbookBuilder::assemble`] for a report made with this builder's plan.
    fn assemble_report(mut self, report: &Report) -> Result<Workbook, RunError> {
        let mut watch = crate::engine::Stopwatch::start();
        if self.data.is_none() {
            // A run whose tables never came here (a test's report): they come now.
            self.tables(&report.cons);
        }
        if let Some(e) = self.failed {
            return Err(e.into());
        }
        let kpi = kpi_sheets(report)?;
        let (mut wb, fillings) = self.data.unwrap_or_else(|| (Workbook::new(), Vec::new()));
        let data = fillings
            .into_iter()
            .map(data_sheets::Filling::wait)
            .collect::<Result<Vec<_>, _>>()?;
        wb.set_properties(&properties(report));
        // zlib's fast level (no lazy matches): the zip is the one single-threaded step at the
        // end. The benchmark's workbook: 60.5 MB and 2.1-2.5 s at level 3, 65.8 MB and
        // 1.5-1.8 s here (docs/performance.md).
        wb.set_zip_compression_level(2);
        for sheet in kpi.report.into_iter().chain(data) {
            wb.push_worksheet(sheet);
        }
        wb.push_worksheet(kpi.issues);
        watch.lap("  sheets");
        Ok(wb)
    }
}

impl TableSink for WorkbookBuilder {
    /// Begins the data sheets (none without them): one per table and every
    /// [`WorkbookPlan::rows_per_data_sheet`] rows, each filled on a thread of its own — an OS
    /// thread, not rayon's pool, whose joins the KPIs use — from the shared tables.
    fn tables(&mut self, cons: &Arc<Consolidated>) {
        if !self.plan.data_sheets {
            self.data = Some((Workbook::new(), Vec::new()));
            return;
        }
        match data_sheets::parts(cons, self.plan.labels, self.plan.rows_per_data_sheet) {
            Ok((wb, parts)) => {
                let fillings = parts.into_iter().map(data_sheets::Filling::start).collect();
                self.data = Some((wb, fillings));
            }
            Err(e) => self.failed = Some(e),
        }
    }
}

/// Builds the whole workbook in memory: Dashboard, Received files, Actions, Absenteeism,
/// Indicators, Satisfaction, Proposals, Plan quality (each when its data exists), KPI, one
/// Data sheet per table kind found, Issues (always present).
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn build_workbook(report: &Report) -> Result<Vec<u8>, RunError> {
    let mut wb = WorkbookBuilder::new(report.plan()).assemble_report(report)?;
    wb.save_to_buffer().map_err(RunError::from)
}

/// Saves an assembled workbook atomically at `path`, zipped straight into the temporary file
/// (no copy of the whole file in memory).
///
/// # Errors
/// [`RunError::Write`] when the file cannot be zipped or saved.
pub fn save_workbook(mut wb: Workbook, path: &std::path::Path) -> Result<(), RunError> {
    let mut watch = crate::engine::Stopwatch::start();
    save_atomically_with(path, |file| {
        wb.save_to_writer(std::io::BufWriter::new(file))
            .map_err(std::io::Error::other)
    })
    .map_err(|e| RunError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    watch.lap("  zip + save");
    Ok(())
}

/// The sheets that show the KPIs — the report sheets and the Issues sheet.
struct KpiSheets {
    report: Vec<rust_xlsxwriter::Worksheet>,
    issues: rust_xlsxwriter::Worksheet,
}

/// Builds the report sheets and the Issues sheet of `report`, apart from the data sheets.
///
/// # Errors
/// A rust_xlsxwriter error.
fn kpi_sheets(report: &Report) -> Result<KpiSheets, XlsxError> {
    let styles = Styles::new();
    // Built in a workbook of their own (the sheet writers add their sheets to a workbook),
    // then taken out of it: worksheets move between workbooks of the same default format.
    let mut scratch = Workbook::new();
    report_sheets(&mut scratch, &styles, report)?;
    issues_sheet::write(&mut scratch, &styles, report)?;
    let mut report_sheets = std::mem::take(scratch.worksheets_mut());
    let issues = report_sheets
        .pop()
        .expect("the Issues sheet was just added");
    Ok(KpiSheets {
        report: report_sheets,
        issues,
    })
}

/// The report sheets, in order: Dashboard, Received files, Actions, Absenteeism, Indicators,
/// Satisfaction, Proposals, Plan quality (each when its data exists), KPI.
fn report_sheets(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let has_actions = report.cons.table("actions").is_some();
    dashboard::write(wb, styles, report)?;
    received_sheet::write(wb, styles, report)?;
    if has_actions {
        actions_sheet::write_actions(wb, styles, report)?;
    }
    if !report.absence.months.is_empty() {
        absence_sheet::write(wb, styles, report)?;
    }
    if !report.indicators.summaries.is_empty() {
        outcomes_sheets::write_indicators(wb, styles, report)?;
    }
    if report.kpis.iter().any(|k| k.kpi == "satisfaction_rate") {
        outcomes_sheets::write_satisfaction(wb, styles, report)?;
    }
    if !report.proposals.records.is_empty() {
        outcomes_sheets::write_proposals(wb, styles, report)?;
    }
    if has_actions {
        actions_sheet::write_plan_quality(wb, styles, report)?;
    }
    kpi_sheet::write(wb, styles, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::engine::RunResult;
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
            cons: Arc::new(cons),
            periods,
            month: "2025-03".into(),
            families,
            issues: vec![],
            targets: vec![],
            expected: Default::default(),
        };
        let labels: &'static Labels = Box::leak(Box::new(Labels {
            none_owner: "geen directie".into(),
            ..crate::i18n::labels(crate::model::Lang::En).clone()
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

#[cfg(test)]
mod data_sheet_tests {
    use super::*;
    use crate::config::Settings;
    use crate::engine::RunResult;
    use crate::i18n::labels;
    use crate::kpi::Periods;
    use crate::model::Lang;
    use crate::test_support::{consolidated, file};
    use calamine::{Data, Reader, Xlsx};

    fn run_of(rows: usize) -> RunResult {
        run_from(actions(rows, |_| ["31/03/2025", "Lopend", ""]))
    }

    /// `rows` actions `A1`… of one file, consolidated; `cells(i)` gives the deadline, status
    /// and completion date of the `i`-th (0-based).
    fn actions(
        rows: usize,
        cells: impl Fn(usize) -> [&'static str; 3],
    ) -> crate::consolidate::Consolidated {
        let ids: Vec<String> = (1..=rows).map(|i| format!("A{i}")).collect();
        let mut table: Vec<[&str; 6]> = vec![[
            "Actie-ID",
            "Omschrijving",
            "Directie",
            "Deadline",
            "Status",
            "Datum afgewerkt",
        ]];
        for (i, id) in ids.iter().enumerate() {
            let [deadline, status, done] = cells(i);
            table.push([id, "t", "P", deadline, status, done]);
        }
        let rows: Vec<&[&str]> = table.iter().map(|r| &r[..]).collect();
        consolidated(vec![file("in/a.xlsx", &rows)], &Settings::default())
    }

    /// The run of the consolidated tables `cons`, as of 31/03/2025.
    fn run_from(cons: crate::consolidate::Consolidated) -> RunResult {
        let settings = Settings::default();
        let periods = Periods {
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        };
        let families = crate::kpi::compute(&cons, periods, &settings).unwrap();
        RunResult {
            files: vec![],
            cons: Arc::new(cons),
            periods,
            month: "2025-03".into(),
            families,
            issues: vec![],
            targets: vec![],
            expected: Default::default(),
        }
    }

    #[test]
    fn a_table_longer_than_a_sheet_continues_on_the_next_data_sheet_and_loses_no_row() {
        let run = run_of(12);
        let report = Report::new(&run, labels(Lang::En)).with_rows_per_data_sheet(5);
        let mut book = Xlsx::new(std::io::Cursor::new(build_workbook(&report).unwrap())).unwrap();
        let names: Vec<String> = book
            .sheet_names()
            .into_iter()
            .filter(|n| n.starts_with("Data"))
            .collect();
        assert_eq!(
            names,
            ["Data – actions", "Data – actions (2)", "Data – actions (3)"]
        );
        let mut ids = Vec::new();
        for (name, expected) in names.iter().zip([5, 5, 2]) {
            let range = book.worksheet_range(name).unwrap();
            assert_eq!(range.get((0, 0)), Some(&Data::String("Action ID".into())));
            assert_eq!(range.height() - 1, expected, "{name}");
            ids.extend(range.rows().skip(1).map(|r| r[0].to_string()));
        }
        let all: Vec<String> = (1..=12).map(|i| format!("A{i}")).collect();
        assert_eq!(ids, all, "every row once, in order");
        // Row 7 of the table (A8) is row 4 of the second sheet.
        assert_eq!(
            data_sheets::place(&report.data_view(), "actions", 7),
            ("Data – actions (2)".to_string(), 4)
        );
    }

    /// The sheet XML of `name` in a saved workbook.
    fn sheet_xml(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let index = book.sheet_names().iter().position(|n| n == name).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{}.xml", index + 1))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn a_large_data_sheet_is_a_filtered_range_with_every_row_and_a_small_one_a_table() {
        let rows = data_sheets::STREAM_ABOVE_ROWS + 1;
        let run = run_of(rows);
        let bytes = build_workbook(&Report::new(&run, labels(Lang::En))).unwrap();
        let xml = sheet_xml(&bytes, "Data – actions");
        let last = rows + 1;
        assert!(
            xml.contains("<autoFilter ref=\"A1:") && xml.contains(&format!("{last}\"/>")),
            "a filter over the header and every row"
        );
        assert!(
            !xml.contains("<tableParts"),
            "no Excel table on a large sheet"
        );
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Data – actions").unwrap();
        assert_eq!(range.height(), rows + 1);
        assert_eq!(range.get((0, 0)), Some(&Data::String("Action ID".into())));
        assert_eq!(
            range.get((rows, 0)),
            Some(&Data::String(format!("A{rows}")))
        );

        let small = run_of(3);
        let bytes = build_workbook(&Report::new(&small, labels(Lang::En))).unwrap();
        let xml = sheet_xml(&bytes, "Data – actions");
        assert!(xml.contains("<tableParts count=\"1\">") && !xml.contains("<autoFilter"));
    }

    /// A data sheet's date cells are dates, streamed or not: a column of dates only carries
    /// the date format as its own (each cell takes it from there), a deadline column, which
    /// also holds words, formats its date cells one by one.
    #[test]
    fn the_date_cells_of_a_data_sheet_are_dates_and_a_dates_only_column_is_formatted_as_one() {
        for rows in [3, data_sheets::STREAM_ABOVE_ROWS + 1] {
            let run = run_from(actions(rows, |i| {
                let deadline = if i == 1 { "doorlopend" } else { "31/03/2025" };
                [deadline, "Afgewerkt", "15/03/2025"]
            }));
            let bytes = build_workbook(&Report::new(&run, labels(Lang::En))).unwrap();
            let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
            let range = book.worksheet_range("Data – actions").unwrap();
            let header: Vec<String> = range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(Data::to_string)
                .collect();
            let col = |name: &str| header.iter().position(|h| h == name).unwrap();
            let (deadline, done) = (col("Deadline"), col("Completed on"));
            let date = |r: usize, c: usize| range.get((r, c)).and_then(calamine::DataType::as_date);
            let (march_15, march_31) = (
                chrono::NaiveDate::from_ymd_opt(2025, 3, 15),
                chrono::NaiveDate::from_ymd_opt(2025, 3, 31),
            );
            for r in 1..=rows {
                assert!(
                    matches!(range.get((r, done)), Some(Data::DateTime(_))),
                    "{rows}: row {r}"
                );
                assert_eq!(date(r, done), march_15, "{rows}: row {r}");
            }
            assert_eq!(date(1, deadline), march_31, "{rows}");
            assert!(
                matches!(range.get((1, deadline)), Some(Data::DateTime(_))),
                "{rows}"
            );
            assert_eq!(
                range.get((2, deadline)),
                Some(&Data::String("continuous".into()))
            );

            let xml = sheet_xml(&bytes, "Data – actions");
            let attr = |element: &str, name: &str| -> Option<String> {
                let at = element.find(&format!(" {name}=\""))? + name.len() + 3;
                Some(element[at..].split('"').next()?.to_string())
            };
            let cell = |reference: &str| -> String {
                let at = xml.find(&format!("<c r=\"{reference}\"")).unwrap();
                xml[at..].split('>').next().unwrap().to_string()
            };
            let column = |c: usize| -> Option<String> {
                let at = xml.find(&format!("<col min=\"{}\"", c + 1))?;
                attr(xml[at..].split('>').next()?, "style")
            };
            let letter = |c: usize| char::from(b'A' + c as u8).to_string();
            let style = attr(&cell(&format!("{}2", letter(done))), "s");
            assert!(style.is_some(), "{rows}: the date cell has a style");
            assert_eq!(
                column(done),
                style,
                "{rows}: the column's format is its cells'"
            );
            assert_eq!(column(deadline), None, "{rows}: a mixed column has none");
            assert_eq!(attr(&cell(&format!("{}2", letter(deadline))), "s"), style);
        }
    }

    /// The workbook a command builds — the tables handed to the builder as the run's sink
    /// before the KPIs, the data sheets filling on their threads while the report sheets are
    /// built — is the workbook built at once, and it is saved after the run's result is gone.
    #[test]
    fn a_workbook_whose_data_sheets_filled_during_the_run_is_the_one_built_at_once() {
        for rows in [3, data_sheets::STREAM_ABOVE_ROWS + 10] {
            let run = run_of(rows);
            let at_once = build_workbook(&Report::new(&run, labels(Lang::En))).unwrap();
            let mut book = WorkbookBuilder::new(WorkbookPlan::new(labels(Lang::En), true));
            book.tables(&run.cons);
            let wb = book.assemble(&run, None).unwrap();
            drop(run);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("KPI.xlsx");
            save_workbook(wb, &path).unwrap();
            assert!(
                std::fs::read(&path).unwrap() == at_once,
                "{rows} rows: the same bytes"
            );
        }
    }

    /// The plan decides the workbook: its language and its data sheets, whatever the run.
    #[test]
    fn the_workbook_follows_its_plan() {
        let run = run_of(7);
        let mut book = WorkbookBuilder::new(WorkbookPlan {
            labels: labels(Lang::Fr),
            data_sheets: true,
            rows_per_data_sheet: 5,
        });
        book.tables(&run.cons);
        let bytes = book.assemble(&run, None).unwrap().save_to_buffer().unwrap();
        let names = Xlsx::new(std::io::Cursor::new(bytes))
            .unwrap()
            .sheet_names();
        assert!(names.contains(&"Tableau de bord".to_string()), "{names:?}");
        assert!(
            names.contains(&"Données – actions (2)".to_string()),
            "{names:?}"
        );
        let mut book = WorkbookBuilder::new(WorkbookPlan::new(labels(Lang::En), false));
        book.tables(&run.cons);
        let bytes = book.assemble(&run, None).unwrap().save_to_buffer().unwrap();
        let names = Xlsx::new(std::io::Cursor::new(bytes))
            .unwrap()
            .sheet_names();
        assert!(!names.iter().any(|n| n.starts_with("Data")), "{names:?}");
    }

    #[test]
    fn without_data_sheets_the_kpi_sheets_stay() {
        let run = run_of(3);
        let report = Report::new(&run, labels(Lang::En)).with_data_sheets(false);
        let book = Xlsx::new(std::io::Cursor::new(build_workbook(&report).unwrap())).unwrap();
        let names = book.sheet_names();
        assert!(!names.iter().any(|n| n.starts_with("Data")), "{names:?}");
        assert!(names.contains(&"KPI".to_string()) && names.contains(&"Issues".to_string()));
    }
}
