//! The outputs: the monthly KPI workbook (one file per sheet family, formats in `styles`), the
//! KPI table exports, and the atomic save. Reads nothing but the report it is given.

mod absence_sheet;
mod actions_sheet;
mod dashboard;
mod data_dir;
mod data_sheets;
mod early;
mod exports;
mod issues_sheet;
mod kpi_sheet;
mod outcomes_sheets;
mod save;
mod styles;
mod table;
mod text;

pub use data_dir::{partition_file, write_data_dir, ISSUES_TABLE, KPI_TABLE, PARTITION_KEY};
pub use data_sheets::DataView;
pub use early::EarlySheet;
pub use exports::write_kpi_export;
pub use save::save_atomically;
use save::save_atomically_with;
pub(crate) use text::write_text;
pub use text::{cut_to_cell, EXCEL_MAX_TEXT_CHARS};

use crate::engine::RunResult;
use crate::error::RunError;
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
    /// What its data sheets show.
    pub fn data_view(&self) -> DataView<'_> {
        DataView {
            cons: &self.cons,
            labels: self.labels,
            rows_per_sheet: self.rows_per_data_sheet,
        }
    }

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
        l.month(&report.month),
        l.as_of,
        l.date(report.periods.as_of)
    );
    ws.write_string_with_format(1, 0, sub, &styles.subtitle)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(ws)
}

/// The workbook's document properties, with the custom property that marks it as written by
/// scoreboard (so it is never read back as data). The creation time is the as-of date at 00:00 (not the
/// clock), so the same inputs, options and as-of date give the same bytes, run after run.
fn properties(report: &Report) -> DocProperties {
    let props = DocProperties::new()
        .set_title(&report.labels.title)
        .set_subject(format!(
            "{}: {}",
            report.labels.reporting_month,
            report.labels.month(&report.month)
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

/// Builds the whole workbook in memory: Dashboard, Actions, Absenteeism, Indicators, Satisfaction, Proposals,
/// Plan quality (each when its data exists), KPI, one Data sheet per table kind found, Issues
/// (always present).
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn build_workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    workbook(report, None, None)?.save_to_buffer()
}

/// Builds the workbook: `begun`, its data sheets, filled while the KPIs were computed
/// ([`begin_workbook`]); `kpi_sheets`, its other sheets, built once the KPIs were known
/// ([`kpi_sheets`]); what is missing (or was built for another view of the run) is built here.
/// The workbook holds its cells: the run's rows may go before [`save_workbook`] zips it.
///
/// # Errors
/// [`RunError::Workbook`] when a sheet cannot be built.
pub fn assemble_workbook(
    report: &Report,
    begun: Option<BegunWorkbook>,
    kpi_sheets: Option<KpiSheets>,
) -> Result<Workbook, RunError> {
    let mut watch = crate::engine::Stopwatch::start();
    let wb = workbook(report, begun, kpi_sheets)?;
    watch.lap("  sheets");
    Ok(wb)
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

/// What a part of the workbook was built for: the language, the rows per data sheet, and
/// whether there are data sheets (the report sheets link to them).
#[derive(Clone, Copy)]
struct BuiltFor {
    labels: &'static Labels,
    rows_per_sheet: usize,
    data_sheets: bool,
}

impl BuiltFor {
    fn of(report: &Report) -> Self {
        BuiltFor {
            labels: report.labels,
            rows_per_sheet: report.rows_per_data_sheet,
            data_sheets: report.data_sheets,
        }
    }

    /// Whether a part built for `self` is the one `report` shows.
    fn fits(self, report: &Report) -> bool {
        let other = BuiltFor::of(report);
        std::ptr::eq(self.labels, other.labels)
            && self.rows_per_sheet == other.rows_per_sheet
            && self.data_sheets == other.data_sheets
    }
}

/// A workbook begun before the KPIs are known: its data sheets, filled from the consolidated
/// tables. [`assemble_workbook`] puts the report sheets before them and the Issues sheet after.
pub struct BegunWorkbook {
    wb: Workbook,
    data: Vec<rust_xlsxwriter::Worksheet>,
    built_for: BuiltFor,
    /// Whether one of its data sheets was filled during the read ([`EarlySheet`]).
    pub filled_early: bool,
}

/// Begins the workbook: fills its data sheets (none when `data_sheets` is false), each on a
/// thread of its own. They need the consolidated tables only, so a run fills them while its
/// KPIs are computed (`engine::run_beside`): on the benchmark's inputs the million-row spells
/// sheet is the longest single task of the run (docs/performance.md). Threads of their own, not
/// rayon's pool: the KPIs' rayon joins would wait behind a sheet of a million rows.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn begin_workbook(view: DataView, data_sheets: bool) -> Result<BegunWorkbook, XlsxError> {
    begin_workbook_with(view, data_sheets, None)
}

/// [`begin_workbook`], with the data sheet `early` filled during the read when it is one of
/// them (see [`early`]).
///
/// # Errors
/// As [`begin_workbook`].
pub fn begin_workbook_with(
    view: DataView,
    data_sheets: bool,
    early: Option<&EarlySheet>,
) -> Result<BegunWorkbook, XlsxError> {
    let styles = Styles::new();
    let filled = early.and_then(EarlySheet::take);
    let (wb, mut parts) = if data_sheets {
        data_sheets::parts(&view, filled)?
    } else {
        (Workbook::new(), Vec::new())
    };
    std::thread::scope(|s| {
        let filling: Vec<_> = parts
            .iter_mut()
            .map(|part| s.spawn(|| data_sheets::fill(part, &styles, &view)))
            .collect();
        filling
            .into_iter()
            .try_for_each(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })?;
    let filled_early = parts.iter().any(|p| p.filled);
    Ok(BegunWorkbook {
        wb,
        filled_early,
        data: parts.into_iter().map(|p| p.sheet).collect(),
        built_for: BuiltFor {
            labels: view.labels,
            rows_per_sheet: view.rows_per_sheet,
            data_sheets,
        },
    })
}

/// The sheets that show the KPIs — the report sheets and the Issues sheet — built once the
/// KPIs are known, while the data sheets may still be filling ([`kpi_sheets`]).
pub struct KpiSheets {
    report: Vec<rust_xlsxwriter::Worksheet>,
    issues: rust_xlsxwriter::Worksheet,
    built_for: BuiltFor,
}

/// Builds the report sheets and the Issues sheet of `report`, apart from the data sheets.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn kpi_sheets(report: &Report) -> Result<KpiSheets, XlsxError> {
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
        built_for: BuiltFor::of(report),
    })
}

/// Every sheet of the workbook, ready to save: the report sheets, the data sheets, Issues. What
/// was built beforehand is used when it was built for this view of the run.
fn workbook(
    report: &Report,
    begun: Option<BegunWorkbook>,
    kpi: Option<KpiSheets>,
) -> Result<Workbook, XlsxError> {
    let begun = match begun {
        Some(b) if b.built_for.fits(report) => b,
        _ => begin_workbook(report.data_view(), report.data_sheets)?,
    };
    let kpi = match kpi {
        Some(k) if k.built_for.fits(report) => k,
        _ => kpi_sheets(report)?,
    };
    let BegunWorkbook { mut wb, data, .. } = begun;
    wb.set_properties(&properties(report));
    // zlib's fast level (no lazy matches): the zip is the one single-threaded step at the end.
    // The benchmark's workbook: 60.5 MB and 2.1-2.5 s at level 3, 65.8 MB and 1.5-1.8 s here
    // (docs/performance.md).
    wb.set_zip_compression_level(2);
    for sheet in kpi.report.into_iter().chain(data) {
        wb.push_worksheet(sheet);
    }
    wb.push_worksheet(kpi.issues);
    Ok(wb)
}

/// The report sheets, in order: Dashboard, Actions, Absenteeism, Indicators, Satisfaction,
/// Proposals, Plan quality (each when its data exists), KPI.
fn report_sheets(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let has_actions = report.cons.table("actions").is_some();
    dashboard::write(wb, styles, report)?;
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
            cons,
            periods,
            month: "2025-03".into(),
            families,
            issues: vec![],
            targets: vec![],
        };
        let labels: &'static Labels = Box::leak(Box::new(Labels {
            none_owner: "geen directie".into(),
            ..crate::i18n::labels(crate::config::Lang::En).clone()
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
    use crate::config::Lang;
    use crate::config::Settings;
    use crate::engine::RunResult;
    use crate::i18n::labels;
    use crate::kpi::Periods;
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
            cons,
            periods,
            month: "2025-03".into(),
            families,
            issues: vec![],
            targets: vec![],
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
            assert_eq!(range.get((0, 0)), Some(&Data::String("action_id".into())));
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
        assert_eq!(range.get((0, 0)), Some(&Data::String("action_id".into())));
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
            let (deadline, done) = (col("deadline"), col("completed_on"));
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

    /// A workbook of `n` absence spells, one sheet.
    fn spells(n: usize) -> crate::read::RawWorkbook {
        let ids: Vec<String> = (0..n).map(|i| (100_000 + i).to_string()).collect();
        let mut rows: Vec<[&str; 6]> = vec![crate::sample::absence::SPELL_HEADER];
        for id in &ids {
            rows.push([id, "P", "03/02/2025", "04/02/2025", "0,8", "Ziekte"]);
        }
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        crate::read::RawWorkbook {
            format: crate::read::Format::Xlsx,
            sheets: vec![crate::test_support::sheet("Afwezigheden", &rows)],
            notes: vec![],
            skipped: vec![],
            written_by_scoreboard: false,
        }
    }

    /// The files typed as their readers stream them (in chunks of 1,000 rows; the first sheet
    /// of each file first sent `withdrawn` and restarted), each typer showing its rows to
    /// `tap`, then joined.
    fn typed_with(
        files: &[(&str, &crate::read::RawWorkbook)],
        tap: &EarlySheet,
        withdrawn: Option<crate::consolidate::Withdrawn>,
    ) -> crate::consolidate::Consolidated {
        let settings = Settings::default();
        let schema = crate::schema::Schema::new(&settings.alias_triples()).unwrap();
        let reads = files
            .iter()
            .map(|(path, workbook)| crate::read::FileRead {
                path: (*path).into(),
                name: (*path).into(),
                result: std::sync::Arc::new(Ok(crate::consolidate::FileTyper::new(
                    &schema,
                    &settings,
                    std::path::Path::new(path),
                    path,
                )
                .with_tap(Some(tap))
                .stream_workbook(workbook, 1_000, withdrawn))),
            })
            .collect();
        crate::consolidate::merge(reads, &settings, None)
    }

    /// The data sheet of a large table filled during the read is used only when it is exactly
    /// the sheet filled after the read, and the workbook's bytes are the same either way.
    #[test]
    fn a_data_sheet_filled_during_the_read_is_used_only_when_it_is_the_one_filled_after_it() {
        use crate::consolidate::Withdrawn;
        let rows = data_sheets::STREAM_ABOVE_ROWS + 40;
        let (large, short) = (spells(rows), spells(30));
        let actions = {
            let table: [&[&str]; 2] = [
                &["Actie-ID", "Omschrijving", "Directie", "Deadline", "Status"],
                &["A1", "t", "P", "31/03/2025", "Lopend"],
            ];
            match file("in/a.xlsx", &table).result.as_ref() {
                Ok(workbook) => workbook.clone(),
                Err(e) => panic!("{e:?}"),
            }
        };
        let (en, fr) = (labels(Lang::En), labels(Lang::Fr));
        let whole = ROWS_PER_DATA_SHEET;
        // (case, files, the tap's language and rows per sheet, the view's rows per sheet,
        // rows sent before a restart, used)
        type Case<'a> = (
            &'a str,
            Vec<(&'a str, &'a crate::read::RawWorkbook)>,
            (&'static crate::i18n::Labels, usize),
            usize,
            Option<Withdrawn>,
            bool,
        );
        let cases: Vec<Case> = vec![
            (
                "one large table",
                vec![("a.xlsx", &actions), ("s.xlsx", &large)],
                (en, whole),
                whole,
                None,
                true,
            ),
            (
                "taken back after most rows, then read again",
                vec![("a.xlsx", &actions), ("s.xlsx", &large)],
                (en, whole),
                whole,
                Some(Withdrawn::Prefix(rows - 10)),
                true,
            ),
            (
                "a later file adds to the table",
                vec![("s.xlsx", &large), ("t.xlsx", &short)],
                (en, whole),
                whole,
                None,
                false,
            ),
            (
                "too short to stream",
                vec![("t.xlsx", &short)],
                (en, whole),
                whole,
                None,
                false,
            ),
            (
                "longer than the tap's sheet",
                vec![("s.xlsx", &large)],
                (en, rows - 1),
                whole,
                None,
                false,
            ),
            (
                "another language",
                vec![("s.xlsx", &large)],
                (fr, whole),
                whole,
                None,
                false,
            ),
            (
                "the view cuts the table",
                vec![("s.xlsx", &large)],
                (en, whole),
                rows - 1,
                None,
                false,
            ),
        ];
        for (case, files, (tap_labels, tap_rows), view_rows, withdrawn, used) in cases {
            let tap = EarlySheet::new(tap_labels, tap_rows);
            let run = run_from(typed_with(&files, &tap, withdrawn));
            let report = Report::new(&run, en).with_rows_per_data_sheet(view_rows);
            let begun = begin_workbook_with(report.data_view(), true, Some(&tap)).unwrap();
            assert_eq!(begun.filled_early, used, "{case}");
            let kpi = kpi_sheets(&report).unwrap();
            let bytes = saved(&report, Some(begun), Some(kpi));
            assert!(
                bytes == build_workbook(&report).unwrap(),
                "{case}: the same bytes"
            );
        }
    }

    /// A short sheet followed first, still being read, does not keep a large one read beside
    /// it from being written: a sheet takes the writer only once it is large.
    #[test]
    fn a_short_sheet_read_beside_a_large_one_does_not_keep_it_from_being_written_early() {
        use crate::consolidate::RowTap;
        let rows = data_sheets::STREAM_ABOVE_ROWS + 40;
        let (large, short) = (spells(rows), spells(30));
        let untapped = EarlySheet::new(labels(Lang::En), 0);
        let cons = typed_with(&[("s.xlsx", &large), ("t.xlsx", &short)], &untapped, None);
        assert!(
            untapped.take().is_none(),
            "a tap of sheets of no row writes none"
        );
        let table = &cons.tables[0];
        let (first, second) = table.rows.split_at(rows);
        let tap = EarlySheet::new(labels(Lang::En), ROWS_PER_DATA_SHEET);
        let mut short_stream = tap
            .follow(table.kind, &[], &second[0].origin.place)
            .expect("followed");
        let mut large_stream = tap
            .follow(table.kind, &[], &first[0].origin.place)
            .expect("followed too");
        short_stream.rows(second);
        for chunk in first.chunks(1_000) {
            large_stream.rows(chunk);
        }
        large_stream.end();
        short_stream.end();
        let filled = tap.take().expect("the large sheet was written");
        let whole = crate::consolidate::Table {
            kind: table.kind,
            extra_columns: vec![],
            rows: first.to_vec(),
        };
        assert!(filled.fits(labels(Lang::En), ROWS_PER_DATA_SHEET, &whole, 0, &(0..rows)));
    }

    /// The bytes of `report`'s workbook, with the parts built beforehand given.
    fn saved(report: &Report, begun: Option<BegunWorkbook>, kpi: Option<KpiSheets>) -> Vec<u8> {
        workbook(report, begun, kpi)
            .unwrap()
            .save_to_buffer()
            .unwrap()
    }

    /// The data sheets begun beside the KPIs give the same bytes as a workbook built at once,
    /// and data sheets begun for another view of the tables are not used.
    #[test]
    fn a_workbook_begun_beside_the_kpis_is_the_one_built_at_once() {
        let run = run_of(data_sheets::STREAM_ABOVE_ROWS + 10);
        let report = Report::new(&run, labels(Lang::En));
        let at_once = build_workbook(&report).unwrap();
        let begun = begin_workbook(report.data_view(), true).unwrap();
        let kpi = kpi_sheets(&report).unwrap();
        let beside = saved(&report, Some(begun), Some(kpi));
        assert!(at_once == beside, "the same bytes");

        let cut = Report::new(&run, labels(Lang::En)).with_rows_per_data_sheet(5);
        let begun = begin_workbook(report.data_view(), true).unwrap();
        let bytes = saved(&cut, Some(begun), None);
        let book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert!(
            book.sheet_names()
                .contains(&"Data – actions (2)".to_string()),
            "the data sheets of the report's own view"
        );
        let french = Report::new(&run, labels(Lang::Fr));
        let begun = begin_workbook(report.data_view(), true).unwrap();
        let kpi = kpi_sheets(&report).unwrap();
        let bytes = saved(&french, Some(begun), Some(kpi));
        let names = Xlsx::new(std::io::Cursor::new(bytes))
            .unwrap()
            .sheet_names();
        let french_at_once = build_workbook(&french).unwrap();
        let expected = Xlsx::new(std::io::Cursor::new(french_at_once))
            .unwrap()
            .sheet_names();
        assert_eq!(
            names, expected,
            "the French sheets, not the English ones built before"
        );
        assert!(names.contains(&"Tableau de bord".to_string()));
        assert!(!names.contains(&"Dashboard".to_string()));
    }

    /// A workbook assembled, then zipped after the run let go of its rows, is the workbook
    /// built with them: once assembled it needs nothing of the run.
    #[test]
    fn an_assembled_workbook_needs_no_rows_to_be_saved() {
        let mut run = run_of(data_sheets::STREAM_ABOVE_ROWS + 10);
        let at_once = build_workbook(&Report::new(&run, labels(Lang::En))).unwrap();
        let report = Report::new(&run, labels(Lang::En));
        let begun = begin_workbook(report.data_view(), true).unwrap();
        let kpi = kpi_sheets(&report).unwrap();
        let wb = assemble_workbook(&report, Some(begun), Some(kpi)).unwrap();
        run.let_go_of_rows();
        assert!(run.cons.tables.iter().all(|t| t.rows.is_empty()));
        assert!(run.actions.records.is_empty() && run.cons.actions.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("KPI.xlsx");
        save_workbook(wb, &path).unwrap();
        assert!(std::fs::read(&path).unwrap() == at_once, "the same bytes");
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
