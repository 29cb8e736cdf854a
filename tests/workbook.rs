//! Reads back every sheet of the KPI workbook the samples produce (`report samples/inbox
//! --config samples/scoreboard.toml --month 2025-03`): title cells, table headers, key values
//! computed by hand from the sample inputs, number formats and Excel table ranges.
//!
//! The hand computations use the sample files as `samples/make_samples.py` writes them (and as
//! `samples/README.md` describes them); each test says where its numbers come from. The as-of
//! date A is 31/03/2025.
//!
//! Action classes at A after merging the snapshots (45 actions; docs/kpis.md, "Classes"):
//!
//! | directorate | on time       | late          | overdue       | open                      | continuous                | other                                   |
//! |-------------|---------------|---------------|---------------|---------------------------|---------------------------|-----------------------------------------|
//! | DEL (17)    | 05, 11        | 06            | 08, 17        | 03, 04, 07, 10, 13        | 01, 02, 09, 12            | 14 unknown, 15 undated, 16 done_undated |
//! | CDD (8)     | 02            | 08            | 05            | 03 (done 02/04 > A), 06   | 01, 04                    | 07 cancelled                            |
//! | GOD (7)     | 03, 04        | —             | 02 (baseline) | 06, 07 (no owner: `(none)`) | 01, 05                  |                                         |
//! | DEB (6)     | 01            | 05            | —             | 06                        | 02, 03, 04                |                                         |
//! | PO (7)      | 03            | 02            | 05            | 04, 07 (done 15/04 > A)   | 01, 06                    |                                         |
//! | total       | 7             | 4             | 5             | 12                        | 13                        | 1 unknown, 1 undated, 1 done_undated, 1 cancelled |
//!
//! On-time rate 7 / (7 + 4 + 5) = 7 / 16 = 0.4375 (red: below 0.75).

mod common;

use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use common::inspect::{cell_name, cell_position, resolve_target, Inspector};
use scoreboard::i18n::labels;
use scoreboard::model::Lang;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

const PERCENT: &str = "0.0%";
const COUNT: &str = "#,##0";
const DATE: &str = "dd/mm/yyyy";
const POINTS: &str = "+0.0\" pt\";-0.0\" pt\";0.0\" pt\"";
const DELTA: &str = "+#,##0;-#,##0;0";
const GENERAL: &str = "General";

const DEL: &str = "Eerste lijn Werkzoekenden";
const CDD: &str = "Contrôle de la disponibilité";
const GOD: &str = "Gespecialiseerde ondersteunende diensten";
const DEB: &str = "Externe Betrekkingen";
const PO: &str = "Personeel & Organisatie";

/// The samples' KPI workbook, read once per test process: calamine for values, the inspector
/// for formats and tables, and the KPI csv of the same run.
struct Book {
    xlsx: Inspector,
    names: Vec<String>,
    sheets: BTreeMap<String, Range<Data>>,
    kpis: Vec<Vec<String>>,
}

/// Runs the samples report once (into a scratch folder that is removed afterwards) and keeps
/// the workbook in memory for every test of this file.
fn samples() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = tempfile::tempdir().expect("scratch folder");
        let (code, stderr) = common::samples_report(dir.path());
        assert_eq!(code, 1, "the samples carry deliberate errors: {stderr}");
        let bytes = std::fs::read(dir.path().join("KPI_2025-03.xlsx")).expect("the workbook");
        let kpis = common::kpi_csv(&dir.path().join("kpis.csv"));
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens it");
        let names = wb.sheet_names();
        let sheets = names
            .iter()
            .map(|n| {
                let range = wb
                    .worksheet_range(n)
                    .unwrap_or_else(|e| panic!("sheet {n}: {e}"));
                (n.clone(), range)
            })
            .collect();
        Book {
            xlsx: Inspector::from_bytes(bytes),
            names,
            sheets,
            kpis,
        }
    })
}

impl Book {
    /// The value of cell `at` (`B14`) of `sheet`; `Data::Empty` when nothing is written there.
    fn cell(&self, sheet: &str, at: &str) -> &Data {
        let range = self
            .sheets
            .get(sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet:?} in {:?}", self.names));
        range.get_value(cell_position(at)).unwrap_or(&Data::Empty)
    }

    /// The text of a cell ("" for an empty cell); panics on a number or a date.
    fn text(&self, sheet: &str, at: &str) -> &str {
        match self.cell(sheet, at) {
            Data::String(s) => s,
            Data::Empty => "",
            other => panic!("{sheet}!{at} holds {other:?}, not text"),
        }
    }

    /// The number in a cell; panics on text, a date or an empty cell.
    fn number(&self, sheet: &str, at: &str) -> f64 {
        match self.cell(sheet, at) {
            Data::Float(f) => *f,
            Data::Int(i) => *i as f64,
            other => panic!("{sheet}!{at} holds {other:?}, not a number"),
        }
    }

    /// The date in a cell (calamine sees a date only through a date number format).
    fn date(&self, sheet: &str, at: &str) -> NaiveDate {
        match self.cell(sheet, at) {
            Data::DateTime(d) => d.as_datetime().expect("a valid date").date(),
            other => panic!("{sheet}!{at} holds {other:?}, not a date"),
        }
    }

    /// Whether nothing is written in a cell.
    fn is_empty(&self, sheet: &str, at: &str) -> bool {
        matches!(self.cell(sheet, at), Data::Empty)
    }

    /// The texts of `n` cells from `at` rightwards (a header row).
    fn texts(&self, sheet: &str, at: &str, n: u32) -> Vec<&str> {
        let (row, col) = cell_position(at);
        (col..col + n)
            .map(|c| self.text(sheet, &cell_name(row, c)))
            .collect()
    }

    /// The number format code of a cell (panics when the cell is not written).
    fn format(&self, sheet: &str, at: &str) -> String {
        self.xlsx
            .number_format(sheet, at)
            .unwrap_or_else(|| panic!("{sheet}!{at} is not written"))
    }

    /// The Excel tables of a sheet as (name, range).
    fn tables(&self, sheet: &str) -> Vec<(String, String)> {
        self.xlsx.table_ranges(sheet)
    }

    /// The Excel row number (1-based) of the first row whose cell in column `col` (`A`) reads
    /// `text`.
    fn row_of(&self, sheet: &str, col: &str, text: &str) -> u32 {
        let (_, c) = cell_position(&format!("{col}1"));
        let range = &self.sheets[sheet];
        let (first, _) = range.start().expect("a non-empty sheet");
        let (last, _) = range.end().expect("a non-empty sheet");
        (first..=last)
            .find(|r| matches!(range.get_value((*r, c)), Some(Data::String(s)) if s == text))
            .map(|r| r + 1)
            .unwrap_or_else(|| panic!("{sheet}: no row with {text:?} in column {col}"))
    }

    /// The row of the KPI sheet holding (kpi, scope, key, period).
    fn kpi_row(&self, kpi: &str, scope: &str, key: &str, period: &str) -> u32 {
        let range = &self.sheets["KPI"];
        let (last, _) = range.end().expect("a non-empty sheet");
        let text = |r: u32, c: u32| match range.get_value((r, c)) {
            Some(Data::String(s)) => s.as_str(),
            _ => "",
        };
        // The sheet shows scope, key and period in words (issue 25, item 7).
        let l = labels(Lang::En);
        let shown_key = match scope {
            "deadline_month" => l.period(key),
            _ => l.group(scope, key),
        };
        let (scope, period) = (l.scope(scope), l.period(period));
        (1..=last)
            .find(|r| {
                text(*r, 0) == kpi
                    && text(*r, 2) == scope
                    && text(*r, 3) == shown_key
                    && text(*r, 4) == period
            })
            .map(|r| r + 1)
            .unwrap_or_else(|| panic!("KPI sheet: no row {kpi}/{scope}/{key}/{period}"))
    }

    /// Asserts a numeric cell: its value (within 1e-9) and its number format.
    fn assert_number(&self, sheet: &str, at: &str, expected: f64, format: &str) {
        let actual = self.number(sheet, at);
        assert!(
            (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
            "{sheet}!{at}: {actual}, expected {expected}"
        );
        assert_eq!(self.format(sheet, at), format, "{sheet}!{at} number format");
    }

    /// Asserts a date cell: its date and the Belgian `dd/mm/yyyy` format.
    fn assert_date(&self, sheet: &str, at: &str, expected: NaiveDate) {
        assert_eq!(self.date(sheet, at), expected, "{sheet}!{at}");
        assert_eq!(self.format(sheet, at), DATE, "{sheet}!{at} number format");
    }

    /// Asserts the title and the "reporting month · as of" line of a report sheet.
    fn assert_report_title(&self, sheet: &str) {
        assert_eq!(self.text(sheet, "A1"), sheet, "title of {sheet}");
        assert_eq!(
            self.text(sheet, "A2"),
            "Reporting month: March 2025   ·   As of: 31/03/2025",
            "subtitle of {sheet}"
        );
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn tables(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, r)| (n.to_string(), r.to_string()))
        .collect()
}

#[test]
fn the_inspector_resolves_cell_references_and_package_targets() {
    assert_eq!(cell_position("A1"), (0, 0));
    assert_eq!(cell_position("$B$14"), (13, 1));
    assert_eq!(cell_position("AA10"), (9, 26));
    assert_eq!(cell_name(9, 26), "AA10");
    assert_eq!(cell_name(302, 8), "I303");
    assert_eq!(
        resolve_target("xl/worksheets", "../tables/table1.xml"),
        "xl/tables/table1.xml"
    );
    assert_eq!(
        resolve_target("xl", "worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml"
    );
    assert_eq!(
        resolve_target("xl", "/xl/worksheets/sheet2.xml"),
        "xl/worksheets/sheet2.xml"
    );
    // Built-in formats are resolved by id, custom ones from styles.xml: both kinds occur.
    let book = samples();
    assert_eq!(book.format("Dashboard", "C5"), COUNT, "built-in id 3");
    assert_eq!(book.format("Dashboard", "B5"), PERCENT, "custom id ≥ 164");
    assert_eq!(book.format("Dashboard", "B1"), GENERAL, "a text cell");
    assert_eq!(book.xlsx.number_format("Dashboard", "Z99"), None);
    // The one-pass reading agrees with the cell-by-cell one.
    let all = book.xlsx.number_formats("Dashboard");
    assert_eq!(all["F14"], POINTS);
    assert_eq!(all["C5"], COUNT);
    assert!(!all.contains_key("Z99"));
}

#[test]
fn every_sheet_is_there_in_order() {
    // One Data sheet per table kind found in the inbox, in the schema's order; Issues last.
    let book = samples();
    let expected = [
        "Dashboard",
        "Received files",
        "Actions",
        "Absenteeism",
        "Indicators",
        "Satisfaction",
        "Proposals",
        "Plan quality",
        "KPI",
        "Data – actions",
        "Data – absence_monthly",
        "Data – absence_spells",
        "Data – headcount",
        "Data – indicators",
        "Data – satisfaction",
        "Data – satisfaction_scores",
        "Data – proposals",
        "Issues",
    ];
    assert_eq!(book.names, expected);
    assert_eq!(book.xlsx.sheet_names(), expected, "workbook.xml agrees");
}

#[test]
fn dashboard_tiles_and_headline_table() {
    let book = samples();
    let s = "Dashboard";
    assert_eq!(book.text(s, "B1"), "Operational plan — monthly KPI report");
    // 13 files in samples/inbox: 2 DEL snapshots, CDD, GOD, DEB, PO, 3 HR, meetpunten,
    // 2 satisfaction, OPTIris.
    assert_eq!(
        book.text(s, "B2"),
        "Reporting month: March 2025   ·   As of: 31/03/2025   ·   Source files: 13"
    );

    // First row of tiles: on-time 7/16; overdue 5; overdue share 5 / (5 overdue + 12 open);
    // SMART 43/45 (DEL-15 has no readable deadline, GOD-07 no owner nor measure point);
    // absence March 2025 = Σ Ziektedagen / Σ Werkbare dagen of the five directorates
    // = (139.6 + 109.9 + 66.9 + 10.2 + 26) / (2992.5 + 1848 + 1285.2 + 310.8 + 789.6)
    // = 352.6 / 7226.1.
    assert_eq!(
        book.texts(s, "B4", 6),
        [
            "Actions realised on time",
            "Overdue actions",
            "Unfinished actions past their deadline",
            "SMART-complete actions",
            "Absence rate (March 2025)",
            "Data issues (errors · warnings)",
        ]
    );
    book.assert_number(s, "B5", 7.0 / 16.0, PERCENT);
    book.assert_number(s, "C5", 5.0, COUNT);
    book.assert_number(s, "D5", 5.0 / 17.0, PERCENT);
    book.assert_number(s, "E5", 43.0 / 45.0, PERCENT);
    book.assert_number(s, "F5", 352.6 / 7226.1, PERCENT);
    // 3 errors (DEL A21, absence B81, spells D7); 9 warnings (samples/README.md's 7, plus
    // DEL-16 done without a date and the overlapping spells of employee 100231).
    assert_eq!(book.text(s, "G5"), "3 · 9");
    assert_eq!(
        book.texts(s, "B6", 4),
        ["7 of 16 · Target 90.0%", "› Actions", "5 of 17", "43 of 45"]
    );
    // Absence: (352.6/7226.1 − 417.1/6882) × 100 = 4.880 − 6.061 = −1.2 pt; the organisation's
    // 12-month slope is −0.000023 a month, within ±0.0005: stable.
    // Issue 25, item 9: the note says what the change and the trend are.
    assert_eq!(
        book.text(s, "F6"),
        "-1.2 pt vs last month · 12-month trend: stable"
    );

    // Second row: indicators at their latest period (March): waiting time 20/18, satisfaction
    // at the counter 0.86/0.85 and competence reviews 520/500 on target; sick leave
    // 0.065/0.069 = 94 % to watch; pilots have no target. Satisfied users in March: the
    // aggregated 391 + 187 + 457 of 455 + 241 + 602, plus 7 of 10 raw online answers scoring
    // 8 or more on 10 → 1042 / 1308. Proposals submitted in 2025 up to A: 4.
    book.assert_number(s, "B9", 3.0, COUNT);
    book.assert_number(s, "C9", 1.0, COUNT);
    book.assert_number(s, "D9", 0.0, COUNT);
    book.assert_number(s, "E9", 1042.0 / 1308.0, PERCENT);
    assert_eq!(book.text(s, "E10"), "n = 1,308");
    book.assert_number(s, "F9", 4.0, COUNT);

    // Headline table: 6 action and plan rows, satisfaction (month, year to date), absence
    // (month, rolling 12 months), 3 proposal rows = 13 rows under the header at row 13.
    assert_eq!(book.tables(s), tables(&[("Headline", "B13:H26")]));
    assert_eq!(book.text(s, "B12"), "Headline indicators");
    assert_eq!(
        book.texts(s, "B13", 7),
        [
            "Indicator",
            "Value",
            "Target",
            "Status",
            "vs last month",
            "Basis",
            "Basis last month"
        ]
    );
    let labels: Vec<&str> = (14..=26).map(|r| book.text(s, &format!("B{r}"))).collect();
    assert_eq!(
        labels,
        [
            "Actions realised on time",
            "Overdue actions",
            "Unfinished actions past their deadline",
            "Open actions (deadline not reached)",
            "Rescheduled actions",
            "SMART-complete actions",
            "Satisfied users (March 2025)",
            "Satisfied users (Year to date 2025)",
            "Absence rate (March 2025)",
            "Absence rate, rolling 12 months (March 2025)",
            "Optimisation proposals submitted",
            "SMART proposals",
            "Savings realised / planned",
        ]
    );
    book.assert_number(s, "C14", 0.4375, PERCENT);
    // The target beside it: the lowest green value of the on-time thresholds (default 90 %).
    book.assert_number(s, "D14", 0.9, PERCENT);
    assert_eq!(book.text(s, "E14"), "Off target");
    assert_eq!(book.text(s, "G14"), "7 / 16");
    book.assert_number(s, "C15", 5.0, COUNT);
    book.assert_number(s, "C17", 12.0, COUNT);
    // Rescheduled: DEL-07 (30/06/2025 → december 2025) and GOD-02 (baseline 31/01 → 30/04).
    book.assert_number(s, "C18", 2.0, COUNT);
    book.assert_number(s, "C19", 43.0 / 45.0, PERCENT);
    assert_eq!(book.text(s, "G19"), "43 / 45");
    // Year to date: January 914 / 1207, February 692 / 886 (no phone channel), March 1042 / 1308.
    book.assert_number(s, "C21", 2648.0 / 3401.0, PERCENT);
    assert_eq!(book.text(s, "G21"), "2,648 / 3,401");
    assert_eq!(book.text(s, "G22"), "352.6 / 7,226.1");
    // Rolling 12 months, April 2024 – March 2025: workable days 344.1 FTE × 252 working days
    // (21+20+20+23+21+21+23+19+21+22+20+21) = 86,713.2; sick days, month by month for the
    // organisation: 392.3 + 384.3 + 425.8 + 464.6 + 395.1 + 414.9 + 415.7 + 375.9 + 415.3
    // + 483.0 + 417.1 + 352.6 = 4,936.6.
    book.assert_number(s, "C23", 4936.6 / 86713.2, PERCENT);
    assert_eq!(book.text(s, "G23"), "4,936.6 / 86,713.2");
    book.assert_number(s, "C24", 4.0, COUNT);
    // Proposals of 2025: 3 of 4 SMART (OPT-2025-02 "nee"); realised 35,000 over the planned
    // 120,000 + 80,000 + 60,000 (OPT-2025-03 has no plan and is left out).
    book.assert_number(s, "C25", 0.75, PERCENT);
    book.assert_number(s, "C26", 35_000.0 / 260_000.0, PERCENT);
    assert_eq!(book.text(s, "G26"), "€ 35,000 / € 260,000");
    assert!(
        book.text(s, "B27")
            .starts_with("On time = done on or before the deadline first agreed"),
        "note under the table"
    );
}

/// Every registered KPI has its label in each language, its rows on the KPI sheet, and — when
/// the registry puts it on the Dashboard — its line there; its family has its sheet.
#[test]
fn every_registered_kpi_has_a_label_in_each_language_and_a_place_in_the_workbook() {
    use scoreboard::kpi::registry::{Family, Headline, KPIS};
    for lang in [Lang::En, Lang::Nl, Lang::Fr] {
        let l = labels(lang);
        for def in KPIS {
            assert!(
                l.kpi_names.contains_key(def.label_key),
                "{lang:?}: no label for {}",
                def.id
            );
        }
    }
    let book = samples();
    let kpi_sheet: Vec<&str> = (2..=book.kpis.len() as u32 + 1)
        .map(|r| book.text("KPI", &format!("A{r}")))
        .collect();
    let dashboard: Vec<&str> = (14..=26)
        .map(|r| book.text("Dashboard", &format!("B{r}")))
        .collect();
    let l = labels(Lang::En);
    for def in KPIS {
        // Every row of the export is on the KPI sheet (the small sample has the rest: spell
        // classes, tests/sample.rs).
        if book.kpis.iter().any(|r| r[0] == def.id) {
            assert!(
                kpi_sheet.contains(&def.id),
                "{} is not on the KPI sheet",
                def.id
            );
        }
        if def.headline != Headline::No {
            let name = l.kpi(def.kpi);
            assert!(
                dashboard.iter().any(|line| line.starts_with(&name)),
                "{} is not on the Dashboard: {dashboard:?}",
                def.id
            );
        }
        let sheet = match def.family {
            Family::Actions => "Actions",
            Family::Plan => "Plan quality",
            Family::Absence => "Absenteeism",
            Family::Indicators => "Indicators",
            Family::Satisfaction => "Satisfaction",
            Family::Proposals => "Proposals",
        };
        assert!(book.names.iter().any(|n| n == sheet), "{sheet}");
    }
}

#[test]
fn dashboard_change_since_last_month_is_march_minus_february() {
    // docs/kpis.md: the previous value is the plan as reported by the end of the previous month,
    // 28/02/2025: snapshot rows with a report date on or before that day (and undated ones),
    // merged again and classified at 28/02. Report dates come from the file names (last day of
    // the month): only scorebord_DEL_2025-02.xlsx (28/02) qualifies — every other scoreboard is
    // a March report (…_2025-03, mars-2025, and the CSV's Rapportdatum 31/03/2025).
    //
    // February view (14 DEL actions, at 28/02/2025):
    //   DEL-06 "december 2024", done 15/01/2025 → late;
    //   DEL-17 "januari 2025" (31/01), in progress → overdue;
    //   DEL-03 (2025), 04 (Q2), 05 (maart, still in progress then), 07 (30/06), 08 (15/03),
    //   10 (S1), 11 (K1 = 31/03, in progress then), 13 (einde mandaat = 30/06/2026) → open (8);
    //   DEL-01, 02, 09, 12 → continuous.
    //   On-time rate February = 0 / (0 + 1 + 1) = 0.
    // March: 7 / 16 = 0.4375 (see the table at the top of this file).
    // Change = 0.4375 − 0 = +0.4375, shown in percentage points: the cell holds 43.75 and reads
    // "+43.8 pt".
    let book = samples();
    let s = "Dashboard";
    assert_eq!(book.text(s, "B14"), "Actions realised on time");
    assert_eq!(book.text(s, "F13"), "vs last month");
    let march = 7.0 / 16.0;
    let february = 0.0 / 2.0;
    book.assert_number(s, "F14", (march - february) * 100.0, POINTS);

    // The other action rows, from the same two views:
    // overdue 5 − 1 = +4; overdue share 5/17 − 1/(1 + 8) = +18.3 pt; open 12 − 8 = +4;
    // rescheduled 2 − 0 = +2 (one snapshot in February: nothing can have moved);
    // SMART-complete 43/45 − 14/14 = −4.4 pt (all 14 February actions have all four elements).
    book.assert_number(s, "F15", 5.0 - 1.0, DELTA);
    book.assert_number(s, "F16", (5.0 / 17.0 - 1.0 / 9.0) * 100.0, POINTS);
    book.assert_number(s, "F17", 12.0 - 8.0, DELTA);
    book.assert_number(s, "F18", 2.0 - 0.0, DELTA);
    book.assert_number(s, "F19", (43.0 / 45.0 - 14.0 / 14.0) * 100.0, POINTS);
    // Monthly KPIs compare with their own previous month: satisfaction 1042/1308 − 692/886;
    // absence 352.6/7226.1 − 417.1/6882; rolling 12 months (4936.6 − 4993.7)/86713.2, the
    // February window swapping March 2025 (352.6) for March 2024 (409.7), both of 21 working days.
    book.assert_number(s, "F20", (1042.0 / 1308.0 - 692.0 / 886.0) * 100.0, POINTS);
    book.assert_number(s, "F22", (352.6 / 7226.1 - 417.1 / 6882.0) * 100.0, POINTS);
    book.assert_number(s, "F23", (4936.6 - 4993.7) / 86713.2 * 100.0, POINTS);
    // Year to date and proposals have no previous month.
    for at in ["F21", "F24", "F25", "F26"] {
        assert!(book.is_empty(s, at), "{at} has no change");
    }
}

#[test]
fn actions_sheet_rates_lists_and_tables() {
    let book = samples();
    let s = "Actions";
    book.assert_report_title(s);
    assert_eq!(
        book.tables(s),
        tables(&[
            ("OnTimeByOwner", "A4:J11"),
            ("OnTimeByObjective", "A14:J22"),
            ("OverdueAndLate", "A25:H34"),
            ("Rescheduled", "A37:H39"),
        ])
    );
    assert_eq!(
        book.text(s, "A3"),
        "Actions realised on time, per directorate"
    );
    let counts = [
        "On time",
        "Late",
        "Overdue",
        "Open",
        "Continuous",
        "No deadline",
        "Cancelled",
    ];
    let mut owner_header = vec!["Directorate", "On-time rate", "Status"];
    owner_header.extend(counts);
    assert_eq!(book.texts(s, "A4", 10), owner_header);
    // Owners sorted, the group without a directorate first (GOD-07 has no owner: one open action, no rate), Total last.
    // Per directorate (table at the top of this file): on time / late / overdue / open /
    // continuous / undated / cancelled.
    let owners: [(&str, Option<f64>, [f64; 7]); 7] = [
        ("(no directorate)", None, [0., 0., 0., 1., 0., 0., 0.]),
        (CDD, Some(1. / 3.), [1., 1., 1., 2., 2., 0., 1.]),
        (DEL, Some(2. / 5.), [2., 1., 2., 5., 4., 1., 0.]),
        (DEB, Some(1. / 2.), [1., 1., 0., 1., 3., 0., 0.]),
        (GOD, Some(2. / 3.), [2., 0., 1., 1., 2., 0., 0.]),
        (PO, Some(1. / 3.), [1., 1., 1., 2., 2., 0., 0.]),
        ("Total", Some(7. / 16.), [7., 4., 5., 12., 13., 1., 1.]),
    ];
    for (i, (name, rate, n)) in owners.iter().enumerate() {
        let r = 5 + i;
        assert_eq!(book.text(s, &format!("A{r}")), *name);
        match rate {
            Some(v) => book.assert_number(s, &format!("B{r}"), *v, PERCENT),
            None => assert!(book.is_empty(s, &format!("B{r}")), "no rate for {name}"),
        }
        for (k, col) in ["D", "E", "F", "G", "H", "I", "J"].iter().enumerate() {
            book.assert_number(s, &format!("{col}{r}"), n[k], COUNT);
        }
    }
    assert_eq!(
        book.text(s, "C5"),
        "No action to judge",
        "0 / 0 is grey, not 0 %"
    );
    assert_eq!(book.text(s, "C6"), "Off target");

    let mut objective_header = vec!["Objective", "On-time rate", "Status"];
    objective_header.extend(counts);
    assert_eq!(book.texts(s, "A14", 10), objective_header);
    // SD1: DEL-01, DEL-02 only, both continuous → no rate. TD1: DEL-10 open, DEL-11 on time,
    // DEL-14 unknown, DEL-15 undated, DEL-16 done without date → 1 / 1, on target.
    // TD2: DEL-12, PO-01, PO-06 continuous; CDD-05, PO-05 overdue; PO-02 late; PO-03 on time;
    // GOD-06, GOD-07 open → 1 / 4.
    assert_eq!(book.text(s, "A15"), "SD1");
    assert!(book.is_empty(s, "B15"));
    book.assert_number(s, "H15", 2.0, COUNT);
    assert_eq!(book.text(s, "A18"), "TD1");
    book.assert_number(s, "B18", 1.0, PERCENT);
    assert_eq!(book.text(s, "C18"), "On target");
    assert_eq!(book.text(s, "A19"), "TD2");
    book.assert_number(s, "B19", 1.0 / 4.0, PERCENT);
    for (col, n) in [("D", 1.0), ("E", 1.0), ("F", 2.0), ("G", 2.0), ("H", 3.0)] {
        book.assert_number(s, &format!("{col}19"), n, COUNT);
    }

    let list_header = [
        "Action",
        "Directorate",
        "Agreed deadline",
        "Reported deadline",
        "Completed on",
        "Situation",
    ];
    let mut late_header = list_header.to_vec();
    late_header.extend(["Days late", "Source"]);
    assert_eq!(book.texts(s, "A25", 8), late_header);
    // Days late at A (31/03) or at completion: DEL-17, GOD-02 (baseline), PO-05 all due 31/01
    // → 59; CDD-05 28/02 → 31; DEB-05 15/02 → done 03/03: 16; DEL-08 15/03 → 16; DEL-06
    // 31/12/2024 → done 15/01: 15; CDD-08 31/01 → done 10/02: 10; PO-02 28/02 → done 03/03: 3.
    // Most days first, ties by id.
    let order = [
        ("DEL-17", 59.0),
        ("GOD-02", 59.0),
        ("PO-05", 59.0),
        ("CDD-05", 31.0),
        ("DEB-05", 16.0),
        ("DEL-08", 16.0),
        ("DEL-06", 15.0),
        ("CDD-08", 10.0),
        ("PO-02", 3.0),
    ];
    for (i, (id, days)) in order.iter().enumerate() {
        let r = 26 + i;
        assert!(
            book.text(s, &format!("A{r}"))
                .starts_with(&format!("{id} – ")),
            "row {r}: {}",
            book.text(s, &format!("A{r}"))
        );
        book.assert_number(s, &format!("G{r}"), *days, COUNT);
    }
    // DEL-17 is reported only in February: its source is the February file, row 18 (three
    // title rows, the header on row 4, DEL-01 on row 5 … DEL-13 on row 17).
    assert_eq!(book.text(s, "F26"), "Overdue");
    assert_eq!(book.text(s, "B26"), DEL);
    book.assert_date(s, "C26", day(2025, 1, 31));
    assert_eq!(
        book.text(s, "H26"),
        "scorebord_DEL_2025-02.xlsx › Scorebord › A18"
    );
    // GOD-02 is judged against its baseline 31/01/2025, reported 30/04/2025.
    book.assert_date(s, "C27", day(2025, 1, 31));
    book.assert_date(s, "D27", day(2025, 4, 30));
    // DEB-05: late, completed 03/03/2025.
    assert_eq!(book.text(s, "F30"), "Late");
    book.assert_date(s, "E30", day(2025, 3, 3));

    let mut moved_header = list_header.to_vec();
    moved_header.extend(["Days moved", "Source"]);
    assert_eq!(book.texts(s, "A37", 8), moved_header);
    // DEL-07: 30/06/2025 → december 2025 (31/12/2025) = +184 days; GOD-02: 31/01 → 30/04 = +89.
    assert!(book.text(s, "A38").starts_with("DEL-07 – "));
    book.assert_date(s, "C38", day(2025, 6, 30));
    book.assert_date(s, "D38", day(2025, 12, 31));
    assert_eq!(book.text(s, "F38"), "Open");
    book.assert_number(s, "G38", 184.0, DELTA);
    assert!(book.text(s, "A39").starts_with("GOD-02 – "));
    book.assert_number(s, "G39", 89.0, DELTA);
}

#[test]
fn absenteeism_sheet_matrix_and_organisation_lines() {
    let book = samples();
    let s = "Absenteeism";
    book.assert_report_title(s);
    // Matrix: a header, 5 directorates + the organisation (rows 5–10); columns: directorate,
    // 15 months (2024-01 … 2025-03), 12 months, vs year before, trend = 19 (A–S).
    // Organisation table: a header and 3 lines (rate, rolling, year over year), 1 + 15 columns.
    assert_eq!(
        book.tables(s),
        tables(&[
            ("AbsenceByUnit", "A4:S10"),
            ("AbsenceOrganisation", "A13:P16")
        ])
    );
    let mut header = vec!["Directorate".to_string()];
    // Months in short words (issue 25, item 7).
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    header.extend(months.iter().map(|m| format!("{m} 2024")));
    header.extend(months[..3].iter().map(|m| format!("{m} 2025")));
    header.extend(["12 months", "vs year before", "Trend (12 months)"].map(String::from));
    assert_eq!(book.texts(s, "A4", 19), header);
    let units: Vec<&str> = (5..=10).map(|r| book.text(s, &format!("A{r}"))).collect();
    assert_eq!(units, [CDD, DEL, DEB, GOD, PO, "Whole organisation"]);
    // CDD, January 2024: 135.8 sick days / (88 FTE × 22 working days = 1936).
    book.assert_number(s, "B5", 135.8 / 1936.0, PERCENT);
    // DEL, March 2025: 139.6 / (142.5 × 21 = 2992.5); a year before 204.2 / 2992.5 (March 2024
    // has 21 working days too): (139.6 − 204.2) / 2992.5 = −2.16 pt.
    book.assert_number(s, "P6", 139.6 / 2992.5, PERCENT);
    book.assert_number(s, "R6", (139.6 - 204.2) / 2992.5 * 100.0, POINTS);
    // Trends: least-squares slope of the 12 monthly rates April 2024 – March 2025: DEL −0.00072
    // (< −0.0005: improving), CDD +0.00060 (worsening), DEB +0.00006 (stable).
    assert_eq!(book.text(s, "S6"), "improving");
    assert_eq!(book.text(s, "S5"), "worsening");
    assert_eq!(book.text(s, "S7"), "stable");
    // Organisation, March 2025: 352.6 / 7226.1; rolling 12 months 4936.6 / 86713.2 (see the
    // Dashboard test); vs March 2024: (352.6 − 409.7) / 7226.1.
    book.assert_number(s, "P10", 352.6 / 7226.1, PERCENT);
    book.assert_number(s, "Q10", 4936.6 / 86713.2, PERCENT);
    book.assert_number(s, "R10", (352.6 - 409.7) / 7226.1 * 100.0, POINTS);

    assert_eq!(book.text(s, "A12"), "Whole organisation");
    assert_eq!(book.texts(s, "A13", 2), ["Measure", "Jan 2024"]);
    assert_eq!(book.text(s, "P13"), "Mar 2025");
    assert_eq!(
        (14..=16)
            .map(|r| book.text(s, &format!("A{r}")))
            .collect::<Vec<_>>(),
        [
            "Absence rate",
            "Absence rate, rolling 12 months",
            "Absence rate vs a year before"
        ]
    );
    // January 2024: Σ sick 535.2 / Σ workable 344.1 × 22 = 7570.2.
    book.assert_number(s, "B14", 535.2 / 7570.2, PERCENT);
    // The first full 12-month window ends in December 2024 (data start in January 2024):
    // Σ sick 2024 = 5158.1 over 344.1 × 253 working days = 87,057.3; November has no value.
    assert!(book.is_empty(s, "L15"), "11 months only: no rolling rate");
    book.assert_number(s, "M15", 5158.1 / 87057.3, PERCENT);
    // Year over year only from January 2025 (January 2024 is the first month of data).
    assert!(book.is_empty(s, "M16"));
    book.assert_number(s, "P16", (352.6 - 409.7) / 7226.1 * 100.0, POINTS);
}

#[test]
fn indicators_sheet_latest_period_attainment_and_status() {
    let book = samples();
    let s = "Indicators";
    book.assert_report_title(s);
    // Five measure points, three periods each: one row per measure point (its latest period).
    assert_eq!(book.tables(s), tables(&[("Indicators", "A4:L9")]));
    assert_eq!(
        book.texts(s, "A4", 12),
        [
            "Indicator",
            "Objective",
            "Directorate",
            "Unit",
            "Latest period",
            "Actual",
            "Target",
            "Direction",
            "Attainment",
            "Status",
            "Last change",
            "History",
        ]
    );
    let names: Vec<&str> = (5..=9).map(|r| book.text(s, &format!("A{r}"))).collect();
    assert_eq!(
        names,
        [
            "Gemiddelde wachttijd aan het loket",
            "Pilootprojecten langdurig werkzoekenden",
            "Tevredenheid werkzoekenden over het loket",
            "Werkzoekenden met competentiebalans",
            "Ziekteverzuim directie",
        ]
    );
    // Waiting time, March: 18 minutes for a target of 20, lower is better → 20 / 18 = 111 %;
    // it fell from 21: better. Minutes are plain numbers.
    assert_eq!(book.text(s, "E5"), "March 2025");
    book.assert_number(s, "F5", 18.0, GENERAL);
    book.assert_number(s, "G5", 20.0, GENERAL);
    assert_eq!(book.text(s, "H5"), "lower is better");
    book.assert_number(s, "I5", 20.0 / 18.0, PERCENT);
    assert_eq!(book.text(s, "J5"), "On target");
    assert_eq!(book.text(s, "K5"), "▼ better");
    // The history behind the sparkline (hidden columns N–P): 24, 21, 18.
    for (col, v) in [("N", 24.0), ("O", 21.0), ("P", 18.0)] {
        assert_eq!(book.number(s, &format!("{col}5")), v);
    }
    // Pilot projects: no target → no attainment, grey; 1 → 2 is better (higher is better).
    assert!(book.is_empty(s, "G6") && book.is_empty(s, "I6"));
    assert_eq!(book.text(s, "J6"), "No target");
    assert_eq!(book.text(s, "K6"), "▲ better");
    // Satisfaction at the counter, unit "%": 0.86 vs 0.85 shown as percentages → 101.2 %.
    book.assert_number(s, "F7", 0.86, PERCENT);
    book.assert_number(s, "G7", 0.85, PERCENT);
    book.assert_number(s, "I7", 0.86 / 0.85, PERCENT);
    // Competence reviews 520 / 500 = 104 %.
    book.assert_number(s, "I8", 520.0 / 500.0, PERCENT);
    // Sick leave of the directorate, lower is better: 0.065 / 0.069 = 94.2 % → amber (≥ 0.9).
    book.assert_number(s, "F9", 0.069, PERCENT);
    book.assert_number(s, "I9", 0.065 / 0.069, PERCENT);
    assert_eq!(book.text(s, "J9"), "Watch");
}

#[test]
fn satisfaction_sheet_month_by_channel() {
    let book = samples();
    let s = "Satisfaction";
    book.assert_report_title(s);
    // Three months and the year to date; month, all channels, answers, then the three channels
    // in name order.
    assert_eq!(book.tables(s), tables(&[("Satisfaction", "A4:F8")]));
    assert_eq!(
        book.texts(s, "A4", 6),
        [
            "Month",
            "All channels",
            "Answers",
            "Loket",
            "Online",
            "Telefoon"
        ]
    );
    // January: (334 + 199 + 381) / (412 + 265 + 530) = 914 / 1207.
    assert_eq!(book.text(s, "A5"), "January 2025");
    book.assert_number(s, "B5", 914.0 / 1207.0, PERCENT);
    book.assert_number(s, "C5", 1207.0, COUNT);
    book.assert_number(s, "D5", 334.0 / 412.0, PERCENT);
    // February: no phone channel → an empty cell, not 0 %. All: (331 + 361) / (398 + 488).
    book.assert_number(s, "B6", 692.0 / 886.0, PERCENT);
    assert!(book.is_empty(s, "F6"));
    // March, online: 457 of 602 aggregated + 7 of 10 raw answers (9, 8, 10, 7, 6, 9, 8, 4, 10,
    // 8; "geen mening" and the empty score left out; ≥ 8 of 10 is satisfied) = 464 / 612.
    book.assert_number(s, "B7", 1042.0 / 1308.0, PERCENT);
    book.assert_number(s, "C7", 1308.0, COUNT);
    book.assert_number(s, "E7", 464.0 / 612.0, PERCENT);
    book.assert_number(s, "F7", 187.0 / 241.0, PERCENT);
    // Year to date: 2648 / 3401; phone (199 + 187) / (265 + 241).
    assert_eq!(book.text(s, "A8"), "Year to date 2025");
    book.assert_number(s, "B8", 2648.0 / 3401.0, PERCENT);
    book.assert_number(s, "C8", 3401.0, COUNT);
    book.assert_number(s, "F8", 386.0 / 506.0, PERCENT);
    assert_eq!(
        book.text(s, "A9"),
        "Grey: fewer answers than needed for a reliable rate, n < 30"
    );
}

#[test]
fn proposals_sheet_kpis_and_list() {
    let book = samples();
    let s = "Proposals";
    book.assert_report_title(s);
    // 4 KPIs; 5 proposals listed (the 2024 one too, marked as not counting).
    assert_eq!(
        book.tables(s),
        tables(&[("ProposalKpis", "A4:D8"), ("Proposals", "A10:H15")])
    );
    assert_eq!(
        book.texts(s, "A4", 4),
        ["Indicator", "Value", "Plan year", "Basis"]
    );
    // 2025 up to A: OPT-2025-01 … 04 submitted; SMART "ja", "nee", "ja", "x" → 3 of 4;
    // realised 35,000 + 0; planned (only where given) 120,000 + 80,000 + "60.000" = 260,000.
    assert_eq!(book.text(s, "A5"), "Optimisation proposals submitted");
    book.assert_number(s, "B5", 4.0, COUNT);
    assert_eq!(book.text(s, "C5"), "2025");
    book.assert_number(s, "B6", 0.75, PERCENT);
    assert_eq!(book.text(s, "D6"), "3 / 4");
    book.assert_number(s, "B7", 35_000.0, COUNT);
    book.assert_number(s, "B8", 35_000.0 / 260_000.0, PERCENT);
    assert_eq!(book.text(s, "D8"), "€ 35,000 / € 260,000");

    assert_eq!(
        book.texts(s, "A10", 8),
        [
            "Proposal",
            "Title",
            "Submitted on",
            "SMART",
            "Planned savings (€)",
            "Realised savings (€)",
            "Status",
            "Counts this year",
        ]
    );
    assert_eq!(book.text(s, "A11"), "OPT-2024-07");
    book.assert_date(s, "C11", day(2024, 11, 18));
    assert_eq!(book.text(s, "H11"), "no", "submitted in 2024");
    book.assert_number(s, "E11", 45_000.0, COUNT);
    // OPT-2025-03: no planned nor realised savings → empty cells.
    assert_eq!(book.text(s, "A14"), "OPT-2025-03");
    assert!(book.is_empty(s, "E14") && book.is_empty(s, "F14"));
    // OPT-2025-04: "60.000" is Belgian for sixty thousand; SMART "x" means yes.
    assert_eq!(book.text(s, "A15"), "OPT-2025-04");
    book.assert_date(s, "C15", day(2025, 3, 27));
    assert_eq!(book.text(s, "D15"), "yes");
    book.assert_number(s, "E15", 60_000.0, COUNT);
    book.assert_number(s, "F15", 0.0, COUNT);
    assert_eq!(book.text(s, "H15"), "yes");
}

#[test]
fn plan_quality_sheet_smart_per_directorate_and_incomplete_actions() {
    let book = samples();
    let s = "Plan quality";
    book.assert_report_title(s);
    // 6 owner groups (with `(none)`) + Total; 2 incomplete actions.
    assert_eq!(
        book.tables(s),
        tables(&[("SmartByOwner", "A4:E11"), ("IncompleteActions", "A14:D16")])
    );
    assert_eq!(
        book.text(s, "A3"),
        "SMART completeness per directorate (title, measure point, owner, deadline)"
    );
    assert_eq!(
        book.texts(s, "A4", 5),
        [
            "Directorate",
            "Share complete",
            "Complete",
            "Actions",
            "Missing most"
        ]
    );
    // All 45 actions count, cancelled CDD-07 included. DEL-15 ("asap") has no deadline; GOD-07
    // has neither owner nor measure point; every other action has all four.
    let rows: [(&str, f64, f64); 7] = [
        ("(no directorate)", 0.0, 1.0),
        (CDD, 8.0, 8.0),
        (DEL, 16.0, 17.0),
        (DEB, 6.0, 6.0),
        (GOD, 6.0, 6.0),
        (PO, 7.0, 7.0),
        ("Total", 43.0, 45.0),
    ];
    for (i, (name, complete, actions)) in rows.iter().enumerate() {
        let r = 5 + i;
        assert_eq!(book.text(s, &format!("A{r}")), *name);
        book.assert_number(s, &format!("B{r}"), complete / actions, PERCENT);
        book.assert_number(s, &format!("C{r}"), *complete, COUNT);
        book.assert_number(s, &format!("D{r}"), *actions, COUNT);
    }
    assert_eq!(book.text(s, "E7"), "deadline (1)");

    assert_eq!(book.text(s, "A13"), "Actions missing an element");
    assert_eq!(
        book.texts(s, "A14", 4),
        ["Action", "Missing", "Directorate", "Source"]
    );
    assert_eq!(
        book.text(s, "A15"),
        "DEL-15 – Klachtenprocedure loket evalueren"
    );
    assert_eq!(book.text(s, "B15"), "deadline");
    assert_eq!(book.text(s, "C15"), DEL);
    assert!(book.text(s, "A16").starts_with("GOD-07 – "));
    assert_eq!(book.text(s, "B16"), "measure point, owner");
    // The .xls: title on row 1, header on row 3, GOD-01 on row 4 … GOD-07 on row 10 (its id in A10).
    assert_eq!(
        book.text(s, "D16"),
        "scorebord_GOD_2025-03.xls › Acties 2025 › A10"
    );
}

#[test]
fn kpi_sheet_is_the_whole_kpi_table() {
    let book = samples();
    let s = "KPI";
    // No title rows: the table starts on row 1.
    // 302 KPI rows = actions 95 (12 KPIs for all + 12 × 6 owner groups + 8 objectives
    // + 3 deadline months January–March) + absence 166 (rate 6 scopes × 15 months = 90,
    // rolling 6 × 4 (December – March) = 24, year over year 6 × 3 = 18, trend 6, frequency
    // 6 × 3 headcount months = 18, mean duration 4 (all, CDD, DEL, GOD have a spell ending in
    // March), zero-absence share 6) + plan 7 (all + 6 owner groups) + indicators 5 × 3
    // + satisfaction 15 (all 3 months + 8 channel-months + year to date 4) + proposals 4.
    assert_eq!(book.tables(s), tables(&[("KPI", "A1:I303")]));
    assert_eq!(
        book.texts(s, "A1", 9),
        [
            "KPI",
            "Name",
            "Scope",
            "Key",
            "Period",
            "Numerator",
            "Denominator",
            "Value",
            "Status"
        ]
    );
    assert_eq!(
        book.texts(s, "A2", 3),
        [
            "actions_on_time_rate",
            "Actions realised on time",
            "Whole organisation"
        ]
    );
    assert_eq!(book.text(s, "E2"), "31/03/2025");
    book.assert_number(s, "F2", 7.0, COUNT);
    book.assert_number(s, "G2", 16.0, COUNT);
    book.assert_number(s, "H2", 0.4375, PERCENT);
    assert_eq!(book.text(s, "I2"), "Off target");

    let r = book.kpi_row("actions_on_time_rate", "owner", GOD, "2025-03-31");
    book.assert_number(s, &format!("H{r}"), 2.0 / 3.0, PERCENT);
    // 0 / 0 leaves the value empty, grey.
    let r = book.kpi_row("actions_on_time_rate", "owner", "(none)", "2025-03-31");
    assert!(book.is_empty(s, &format!("H{r}")));
    assert_eq!(book.text(s, &format!("I{r}")), "No action to judge");
    let r = book.kpi_row("actions_overdue", "all", "", "2025-03-31");
    book.assert_number(s, &format!("H{r}"), 5.0, COUNT);
    let r = book.kpi_row("plan_smart_rate", "all", "", "2025-03-31");
    book.assert_number(s, &format!("H{r}"), 43.0 / 45.0, PERCENT);
    let r = book.kpi_row("absence_rate", "all", "", "2025-03");
    assert_eq!(book.number(s, &format!("F{r}")), 352.6);
    assert_eq!(book.number(s, &format!("G{r}")), 7226.1);
    book.assert_number(s, &format!("H{r}"), 352.6 / 7226.1, PERCENT);
    let r = book.kpi_row("satisfaction_rate", "channel", "Online", "2025-03");
    book.assert_number(s, &format!("F{r}"), 464.0, COUNT);
    book.assert_number(s, &format!("H{r}"), 464.0 / 612.0, PERCENT);
    let r = book.kpi_row("proposals_savings_realised", "all", "", "2025");
    // Euro keep their cents (the registry's Money unit).
    book.assert_number(s, &format!("H{r}"), 35_000.0, "#,##0.00");
    // Spells of the samples (absence_spells CSV): DEL 26/02–04/03 (7 days) and 03/03–07/03
    // (5 days) end in March: mean 12 / 2 = 6 days; zero-absence share, whole organisation:
    // 387 persons (160 + 99 + 69 + 17 + 42) minus 4 employees with a 2025 spell = 383 / 387.
    let r = book.kpi_row("absence_avg_duration", "unit", DEL, "2025-03");
    assert_eq!(book.number(s, &format!("H{r}")), 6.0);
    let r = book.kpi_row("absence_zero_share", "all", "", "2025-03-31");
    book.assert_number(s, &format!("H{r}"), 383.0 / 387.0, PERCENT);
}

/// The unit of a KPI's value, which decides the number format of the KPI sheet's Value column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    /// A fraction shown as a percentage: `0.0%`.
    Rate,
    /// A difference or slope of rates: a percentage-point format (`… pt`, the cell holding the
    /// fraction × 100) or a percentage format (the cell holding the fraction).
    Points,
    /// A ratio that is no rate (spells per FTE, days): a decimal format with at least one
    /// decimal (`0.00`, `0.0`, `#,##0.0`…), never `%`.
    Decimal,
    /// A count or an amount: `#,##0`.
    Count,
}

/// Every KPI id of docs/kpis.md with its unit.
fn unit_of(kpi: &str) -> Option<Unit> {
    Some(match kpi {
        "actions_on_time_rate"
        | "actions_overdue_share"
        | "plan_smart_rate"
        | "indicator_attainment"
        | "satisfaction_rate"
        | "proposals_smart_rate"
        | "proposals_savings_rate"
        | "absence_rate"
        | "absence_rate_12m"
        | "absence_short_rate"
        | "absence_medium_rate"
        | "absence_long_rate"
        | "absence_zero_share" => Unit::Rate,
        "absence_rate_yoy" | "absence_trend" => Unit::Points,
        "absence_frequency" | "absence_avg_duration" => Unit::Decimal,
        "actions_on_time"
        | "actions_late"
        | "actions_overdue"
        | "actions_open"
        | "actions_continuous"
        | "actions_cancelled"
        | "actions_undated"
        | "actions_done_undated"
        | "actions_unknown_status"
        | "actions_rescheduled"
        | "proposals_submitted" => Unit::Count,
        // Euro, with their cents.
        "proposals_savings_realised" => Unit::Decimal,
        _ => return None,
    })
}

/// Whether a number format shows at least one decimal and is no percentage (`0.00`, `#,##0.0`).
fn shows_a_decimal(format: &str) -> bool {
    format.contains(".0") && !format.contains('%')
}

/// EXPECTED TO FAIL until the KPI sheet formats values by the KPI's unit instead of guessing
/// from the id's suffix (`_rate`/`_share` → %, anything else → `#,##0`).
///
/// The rule, for the Value column (H) of every KPI row that has a value:
/// - rates (`…_rate`, `…_share`, `indicator_attainment`, `absence_rate_12m`) → `0.0%`;
/// - `absence_rate_yoy`, `absence_trend` (differences of rates) → a percentage-point format
///   with the cell holding the fraction × 100, or a percentage format holding the fraction;
/// - `absence_frequency`, `absence_avg_duration` → a decimal format with at least one decimal;
/// - counts and amounts → `#,##0`.
///
/// Today `indicator_attainment`, `absence_rate_12m`, `absence_rate_yoy`, `absence_trend`,
/// `absence_frequency` and `absence_avg_duration` all get `#,##0` (111 % reads "1", a
/// −0.8 pt change reads "-0", 0.0087 spells per FTE reads "0").
#[test]
fn kpi_sheet_number_formats_follow_the_kpi_unit() {
    let book = samples();
    let s = "KPI";
    let range = &book.sheets[s];
    let (last, _) = range.end().expect("a non-empty sheet");
    // kpi id → (rows checked, first wrong cell with what it has and what it needs).
    let mut wrong: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let formats = book.xlsx.number_formats(s);
    let mut checked = 0;
    for r in 1..=last {
        let at = cell_name(r, 7);
        let kpi = book.text(s, &cell_name(r, 0)).to_string();
        if book.is_empty(s, &at) {
            continue; // no value (0 / 0, no target): nothing to format
        }
        checked += 1;
        let format = formats[&at].clone();
        let complaint = match unit_of(&kpi) {
            None => Some(format!("no unit declared for KPI {kpi:?}")),
            Some(Unit::Rate) => (format != PERCENT).then(|| format!("`{format}`, want `0.0%`")),
            Some(Unit::Count) => (format != COUNT).then(|| format!("`{format}`, want `#,##0`")),
            Some(Unit::Decimal) => (!shows_a_decimal(&format))
                .then(|| format!("`{format}`, want a decimal format such as `0.00`")),
            Some(Unit::Points) => {
                // The sheet lists the export's rows in the export's order.
                let row = &book.kpis[r as usize - 1];
                assert_eq!(row[0], kpi, "sheet row {r} and the export's row");
                let fraction: f64 = row[6].parse().expect("a value in the csv too");
                let shown = book.number(s, &at);
                if format.contains("pt") {
                    ((shown - fraction * 100.0).abs() > 1e-9).then(|| {
                        format!(
                            "`{format}` holding {shown}, want the fraction × 100 = {}",
                            fraction * 100.0
                        )
                    })
                } else if format.contains('%') {
                    ((shown - fraction).abs() > 1e-12).then(|| {
                        format!("`{format}` holding {shown}, want the fraction {fraction}")
                    })
                } else {
                    Some(format!(
                        "`{format}`, want a percentage-point (`+0.0\" pt\"`) or percentage format"
                    ))
                }
            }
        };
        if let Some(c) = complaint {
            wrong
                .entry(kpi)
                .or_insert_with(|| (0, format!("{s}!{at}: {c}")))
                .0 += 1;
        }
    }
    // 302 KPI rows less 7 without a value: the on-time rate of `(none)`, SD1, TD3 and TD5
    // (0 / 0) and the three periods of the pilot projects (no target).
    assert_eq!(checked, 295, "KPI rows with a value");
    assert!(
        wrong.is_empty(),
        "KPI sheet values formatted against their unit:\n{}",
        wrong
            .iter()
            .map(|(kpi, (n, first))| format!("  {kpi}: {n} row(s), first {first}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn data_sheets_hold_the_consolidated_rows_with_their_lineage() {
    let book = samples();
    // (sheet, table, range, header): one row per consolidated row under a header on row 1.
    // actions: 45 after merging (58 snapshot rows − 13 superseded; the row without an id left
    // out); 12 kind columns + the extra `Opmerking` + 5 lineage + 3 source columns = 21 (A–U).
    // absence_monthly: 5 directorates × 15 months = 75 (the `13/2024` row left out, `Totaal`
    // skipped). absence_spells: 6 rows of the CSV — including the spell ending before it starts
    // (row 7), which the Issues sheet reports as "row left out" (see the report: it is still
    // listed here). headcount: 5 × 3 months. indicators: 5 × 3. satisfaction: 3 + 2 + 3.
    // satisfaction_scores: 12 answers (no-opinion ones kept as data). proposals: 5.
    // Headers as the English template names the columns, then the merge's and the lineage's
    // (issue 25, item 7).
    let lineage = ["Source file", "Source sheet", "Source row"];
    let sheets: [(&str, &str, &str, Vec<&str>); 8] = [
        (
            "Data – actions",
            "Data_actions",
            "A1:U46",
            vec![
                "Action ID",
                "Description",
                "Operational objective",
                "Measure point",
                "Indicator",
                "Owner",
                "Deadline",
                "Completed on",
                "Status",
                "Progress",
                "Original deadline",
                "Report date",
                "Opmerking",
                "Status used",
                "Deadline judged",
                "Rescheduled",
                "Report date used",
                "Snapshots",
            ],
        ),
        (
            "Data – absence_monthly",
            "Data_absence_monthly",
            "A1:I76",
            vec![
                "Unit",
                "Month",
                "Workable days",
                "FTE",
                "Sick days",
                "Spells",
            ],
        ),
        (
            "Data – absence_spells",
            "Data_absence_spells",
            "A1:I7",
            vec![
                "Employee ID",
                "Unit",
                "Start date",
                "End date",
                "Reason",
                "Work fraction",
            ],
        ),
        (
            "Data – headcount",
            "Data_headcount",
            "A1:G16",
            vec!["Unit", "Month", "FTE", "Headcount"],
        ),
        (
            "Data – indicators",
            "Data_indicators",
            "A1:K16",
            vec![
                "Indicator",
                "Period",
                "Actual",
                "Target",
                "Polarity",
                "Operational objective",
                "Owner",
                "Unit of measure",
            ],
        ),
        (
            "Data – satisfaction",
            "Data_satisfaction",
            "A1:G9",
            vec!["Channel", "Period", "Responses", "Satisfied"],
        ),
        (
            "Data – satisfaction_scores",
            "Data_satisfaction_scores",
            "A1:G13",
            vec!["Period", "Rating", "Channel", "Scale"],
        ),
        (
            "Data – proposals",
            "Data_proposals",
            "A1:J6",
            vec![
                "Proposal ID",
                "Title",
                "Submitted on",
                "SMART",
                "Planned savings",
                "Realised savings",
                "Status",
            ],
        ),
    ];
    for (sheet, table, range, columns) in &sheets {
        assert_eq!(book.tables(sheet), tables(&[(table, range)]), "{sheet}");
        let mut header = columns.clone();
        header.extend(lineage);
        assert_eq!(
            book.texts(sheet, "A1", header.len() as u32),
            header,
            "{sheet}"
        );
        let t = &book.xlsx.tables(sheet)[0];
        assert_eq!(t.columns, header, "{sheet}: the table's own column names");
    }

    let s = "Data – actions";
    // DEL-07: reported in February (30/06/2025) and March ("december 2025"): judged against the
    // first, rescheduled, 2 snapshots, the March report wins (31/03/2025, from the file name).
    let r = book.row_of(s, "A", "DEL-07");
    assert_eq!(book.text(s, &format!("F{r}")), DEL);
    book.assert_date(s, &format!("G{r}"), day(2025, 12, 31));
    book.assert_date(s, &format!("O{r}"), day(2025, 6, 30));
    assert_eq!(book.text(s, &format!("P{r}")), "yes");
    book.assert_date(s, &format!("Q{r}"), day(2025, 3, 31));
    book.assert_number(s, &format!("R{r}"), 2.0, GENERAL);
    assert!(book
        .text(s, &format!("S{r}"))
        .ends_with("scorebord_DEL_2025-03.xlsx"));
    // DEL-17: only in February (report date 28/02/2025), row 18 of that file.
    let r = book.row_of(s, "A", "DEL-17");
    book.assert_date(s, &format!("Q{r}"), day(2025, 2, 28));
    book.assert_number(s, &format!("R{r}"), 1.0, GENERAL);
    assert!(book
        .text(s, &format!("S{r}"))
        .ends_with("scorebord_DEL_2025-02.xlsx"));
    book.assert_number(s, &format!("U{r}"), 18.0, GENERAL);
    // GOD-02: baseline 31/01/2025 in the .xls; DEL-03 progress 0.6 is a plain number.
    let r = book.row_of(s, "A", "GOD-02");
    book.assert_date(s, &format!("K{r}"), day(2025, 1, 31));
    book.assert_date(s, &format!("O{r}"), day(2025, 1, 31));
    let r = book.row_of(s, "A", "DEL-03");
    book.assert_number(s, &format!("J{r}"), 0.6, GENERAL);
    // CDD-01 `en continu`: a continuous deadline shows as its kind, in text.
    let r = book.row_of(s, "A", "CDD-01");
    assert_eq!(book.text(s, &format!("G{r}")), "continuous");

    let s = "Data – absence_monthly";
    // First row: DEL, January 2024, 142.5 FTE × 22 working days = 3135; 263.1 sick days; row 5
    // of the HR file (two title rows, a blank row, the header on row 4).
    assert_eq!(book.texts(s, "A2", 2), [DEL, "2024-01"]);
    book.assert_number(s, "C2", 3135.0, GENERAL);
    book.assert_number(s, "D2", 142.5, GENERAL);
    book.assert_number(s, "E2", 263.1, GENERAL);
    book.assert_number(s, "I2", 5.0, GENERAL);

    let s = "Data – absence_spells";
    // 100502 (CDD): 15/01/2024 – 31/03/2025 at 4/5 = 0.8.
    let r = book.row_of(s, "A", "100502");
    book.assert_date(s, &format!("C{r}"), day(2024, 1, 15));
    book.assert_date(s, &format!("D{r}"), day(2025, 3, 31));
    book.assert_number(s, &format!("F{r}"), 0.8, GENERAL);
    // 100415's spell is open: no end date.
    let r = book.row_of(s, "A", "100415");
    assert!(book.is_empty(s, &format!("D{r}")));

    let s = "Data – headcount";
    // persons = round(FTE × 1.12): 142.5 × 1.12 = 159.6 → 160.
    assert_eq!(book.texts(s, "A2", 2), [DEL, "2025-01"]);
    book.assert_number(s, "D2", 160.0, GENERAL);

    let s = "Data – indicators";
    let r = book.row_of(s, "A", "Gemiddelde wachttijd aan het loket");
    assert_eq!(book.texts(s, &format!("B{r}"), 1), ["2025-01"]);
    assert_eq!(book.text(s, &format!("E{r}")), "lower is better");

    let s = "Data – satisfaction_scores";
    assert_eq!(book.text(s, "B6"), "geen mening");
    assert!(book.is_empty(s, "B10"), "the empty score");

    let s = "Data – proposals";
    let r = book.row_of(s, "A", "OPT-2025-04");
    book.assert_date(s, &format!("C{r}"), day(2025, 3, 27));
    assert_eq!(book.text(s, &format!("D{r}")), "yes");
    book.assert_number(s, &format!("E{r}"), 60_000.0, GENERAL);
}

#[test]
fn issues_sheet_lists_errors_first() {
    let book = samples();
    let s = "Issues";
    // 3 errors + 9 warnings + 7 notes (13 superseded snapshot rows, two `Totaal` rows, the
    // Toelichting sheet, the Windows-1252 CSV, the unused `Opmerking` column of both DEL
    // snapshots) = 19 rows under the header.
    assert_eq!(book.tables(s), tables(&[("Issues", "A1:F20")]));
    assert_eq!(
        book.texts(s, "A1", 6),
        ["File", "Sheet", "Cell", "Value", "Severity", "Reason"]
    );
    let severities: Vec<&str> = (2..=20).map(|r| book.text(s, &format!("E{r}"))).collect();
    let count = |sev: &str| severities.iter().filter(|x| **x == sev).count();
    assert_eq!((count("error"), count("warning"), count("info")), (3, 9, 7));
    assert!(severities.windows(2).all(|w| {
        let rank = |x: &str| ["error", "warning", "info"].iter().position(|s| *s == x);
        rank(w[0]) <= rank(w[1])
    }));
    // Errors, by file path: the DEL row without an id, the month 13/2024, the spell ending
    // before it starts.
    let errors: Vec<(&str, &str)> = (2..=4)
        .map(|r| {
            (
                book.text(s, &format!("C{r}")),
                book.text(s, &format!("D{r}")),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [("A21", ""), ("B81", "13/2024"), ("D7", "05/03/2025")]
    );
    assert!(book.text(s, "A2").ends_with("scorebord_DEL_2025-03.xlsx"));
    assert_eq!(book.text(s, "B3"), "Verzuim");
    // Cells are text; a whole row's issue says "row 22" (issue 25, item 6: the `Totaal` row).
    let r = book.row_of(s, "F", "total row “Totaal” skipped");
    assert_eq!(book.text(s, &format!("C{r}")), "row 22");
    assert_eq!(book.format(s, &format!("C{r}")), GENERAL);
}

#[test]
fn issues_of_kept_rows_link_to_their_row_on_the_data_sheet() {
    let book = samples();
    let links = book.xlsx.internal_links("Issues");
    // An issue about a row that is on a data sheet links to it (warnings about a kept row's
    // cell, and the spell the KPI stage leaves out); rows rejected while reading and
    // file-level notes have no data row to link to.
    assert!(links.len() >= 5, "{links:?}");
    for (cell, location) in &links {
        let issue_row: u32 = cell[1..].parse().unwrap();
        assert!(cell.starts_with('C'), "the Cell column: {cell}");
        let (sheet, target) = location.rsplit_once('!').unwrap();
        let sheet = sheet.trim_matches('\'');
        let data_row: usize = target[1..].parse().unwrap();
        // The data row's lineage (its last three columns) is the issue's file, sheet and row.
        let range = &book.sheets[sheet];
        let width = range.width();
        let lineage: Vec<String> = (width - 3..width)
            .map(|c| {
                range
                    .get((data_row - 1, c))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect();
        let issue_cell = book.text("Issues", &format!("C{issue_row}"));
        // `F17`, or `row 17` for an issue about the whole row.
        let source_row = issue_cell
            .trim_start_matches("row ")
            .trim_start_matches(|c: char| c.is_ascii_alphabetic());
        assert_eq!(
            lineage,
            [
                book.text("Issues", &format!("A{issue_row}")).to_string(),
                book.text("Issues", &format!("B{issue_row}")).to_string(),
                source_row.to_string()
            ],
            "{cell} → {location}"
        );
    }
    // The unknown status `bijna klaar` (DEL 2025-03, G18) is one of them.
    let bijna = (2..=19)
        .find(|r| book.text("Issues", &format!("D{r}")) == "bijna klaar")
        .expect("the bijna klaar warning");
    assert!(links
        .iter()
        .any(|(c, l)| *c == format!("C{bijna}") && l.starts_with("'Data – actions'!A")));
}
