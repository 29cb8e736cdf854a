//! Consolidation: lineage on every row, issues with Excel cell references, snapshot merging.

use super::*;
use crate::model::{Deadline, Precision, Status};
use crate::read::ReadError;
use crate::schema::column;

const ACTION_ID: Col = column("actions", "action_id");
const DEADLINE: Col = column("actions", "deadline");
const TITLE: Col = column("actions", "title");
use crate::test_support::{consolidated, file};
use chrono::NaiveDate;

const HEADER: &[&str] = &[
    "Actie-ID",
    "Omschrijving",
    "Directie",
    "Deadline",
    "Status",
    "Datum afgewerkt",
    "Rapportdatum",
    "Opmerking",
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn ids(cons: &Consolidated) -> Vec<String> {
    let t = cons.table("actions").unwrap();
    (0..t.rows.len())
        .map(|r| t.get(r, ACTION_ID).as_text().unwrap().to_string())
        .collect()
}

#[test]
fn rows_keep_their_lineage_and_extra_columns() {
    let cons = consolidated(
        vec![file(
            "in/a.xlsx",
            &[
                &["Scorebord 2025"],
                &[],
                HEADER,
                &["A1", "t", "P", "maart 2025", "Lopend", "", "", "let op"],
            ],
        )],
        &Settings::default(),
    );
    let t = cons.table("actions").unwrap();
    assert_eq!(t.rows.len(), 1);
    let row = &t.rows[0];
    assert_eq!(
        (&*row.origin.file, &*row.origin.sheet, row.origin.row),
        ("in/a.xlsx", "Scorebord", 4)
    );
    assert_eq!(t.extra_columns, vec!["Opmerking".to_string()]);
    assert_eq!(row.extras, vec!["let op".to_string()]);
    assert_eq!(
        t.get(0, DEADLINE),
        &Value::Deadline(Deadline::Date(d(2025, 3, 31), Precision::Month))
    );
    assert_eq!(row.cell_ref(t.kind.column_index("deadline").unwrap()), "D4");
}

#[test]
fn bad_cells_become_issues_with_their_cell_reference() {
    let cons = consolidated(
        vec![file(
            "in/a.xlsx",
            &[
                HEADER,
                &["", "zonder id", "P", "maart 2025", "Lopend", "", "", ""],
                &["A2", "t", "P", "asap", "Lopend", "", "", ""],
                &[
                    "A3",
                    "t",
                    "P",
                    "maart 2025",
                    "bijna klaar",
                    "31/02/2025",
                    "",
                    "",
                ],
                &["Totaal", "", "", "", "", "", "", "3"],
            ],
        )],
        &Settings::default(),
    );
    let found: Vec<(String, Severity)> = cons
        .issues
        .iter()
        .map(|i| (i.cell.clone(), i.severity))
        .collect();
    assert!(
        found.contains(&("A2".into(), Severity::Error)),
        "missing id drops the row: {found:?}"
    );
    assert!(
        found.contains(&("D3".into(), Severity::Warning)),
        "bad deadline keeps the row: {found:?}"
    );
    assert!(
        found.contains(&("E4".into(), Severity::Warning)),
        "unknown status: {found:?}"
    );
    assert!(
        found.contains(&("F4".into(), Severity::Warning)),
        "impossible date: {found:?}"
    );
    assert!(
        found.contains(&("5".into(), Severity::Info)),
        "total row noted: {found:?}"
    );
    assert_eq!(ids(&cons), vec!["A2", "A3"]);
    assert_eq!(cons.actions[1].status, Status::Unknown);
    assert_eq!(
        cons.sheets[0].rows,
        RowCounts {
            read: 4,
            kept: 2,
            rejected: 1,
            skipped: 1
        },
        "the title above the header is not a row read"
    );
}

#[test]
fn a_file_with_no_table_is_an_error_and_our_own_workbook_a_note() {
    let cons = consolidated(
        vec![
            file("in/notes.xlsx", &[&["Toelichting"], &["zie bijlage"]]),
            file(
                "in/KPI_2025-02.xlsx",
                &[&["action_id", "source_file", "source_sheet", "source_row"]],
            ),
        ],
        &Settings::default(),
    );
    let file_level: Vec<(&str, Severity)> = cons
        .issues
        .iter()
        .filter(|i| i.sheet.is_empty())
        .map(|i| (i.file.as_str(), i.severity))
        .collect();
    assert_eq!(
        file_level,
        vec![
            ("in/notes.xlsx", Severity::Error),
            ("in/KPI_2025-02.xlsx", Severity::Info)
        ]
    );
    assert_eq!(cons.sheets[0].rows, RowCounts::default());
}

#[test]
fn later_snapshot_wins_and_older_only_actions_stay() {
    let cons = consolidated(
        vec![
            file(
                "in/x_2025-02.xlsx",
                &[
                    HEADER,
                    &["A1", "oud", "P", "28/02/2025", "Lopend", "", "", ""],
                    &[
                        "A2",
                        "alleen feb",
                        "P",
                        "januari 2025",
                        "Lopend",
                        "",
                        "",
                        "",
                    ],
                ],
            ),
            file(
                "in/x_2025-03.xlsx",
                &[
                    HEADER,
                    &[
                        "a1 ",
                        "nieuw",
                        "P",
                        "30/04/2025",
                        "Afgewerkt",
                        "10/04/2025",
                        "",
                        "",
                    ],
                ],
            ),
        ],
        &Settings::default(),
    );
    assert_eq!(
        ids(&cons),
        vec!["a1", "A2"],
        "ids compare trimmed and case-insensitively"
    );
    let t = cons.table("actions").unwrap();
    assert_eq!(t.get(0, TITLE).as_text(), Some("nieuw"));
    assert_eq!(cons.superseded, 1);
    let a1 = &cons.actions[0];
    assert_eq!(
        a1.judged_deadline,
        Some(Deadline::Date(d(2025, 2, 28), Precision::Day)),
        "first agreed deadline"
    );
    assert!(a1.rescheduled);
    assert_eq!(
        (a1.snapshots, a1.report_date, a1.first_report),
        (2, Some(d(2025, 3, 31)), Some(d(2025, 2, 28)))
    );
    assert!(cons
        .issues
        .iter()
        .any(|i| i.file == "in/x_2025-02.xlsx" && i.reason.contains("superseded")));
}

#[test]
fn report_date_column_beats_the_file_name_and_undated_files_lose() {
    let cons = consolidated(
        vec![
            file(
                "in/z_undated.xlsx",
                &[
                    HEADER,
                    &["A1", "undated", "P", "maart 2025", "Lopend", "", "", ""],
                ],
            ),
            file(
                "in/a_2025-01.xlsx",
                &[
                    HEADER,
                    &[
                        "A1",
                        "column says april",
                        "P",
                        "maart 2025",
                        "Lopend",
                        "",
                        "15/04/2025",
                        "",
                    ],
                ],
            ),
            file(
                "in/b_2025-03.xlsx",
                &[
                    HEADER,
                    &[
                        "A1",
                        "march by name",
                        "P",
                        "maart 2025",
                        "Lopend",
                        "",
                        "",
                        "",
                    ],
                ],
            ),
        ],
        &Settings::default(),
    );
    assert_eq!(
        cons.table("actions").unwrap().get(0, TITLE).as_text(),
        Some("column says april")
    );
    assert_eq!(cons.superseded, 2);
}

#[test]
fn equal_report_dates_with_different_contents_warn_and_the_last_path_wins() {
    let cons = consolidated(
        vec![
            file(
                "in/b.xlsx",
                &[
                    HEADER,
                    &[
                        "A1",
                        "from b",
                        "P",
                        "maart 2025",
                        "Lopend",
                        "",
                        "31/03/2025",
                        "",
                    ],
                ],
            ),
            file(
                "in/a.xlsx",
                &[
                    HEADER,
                    &[
                        "A1",
                        "from a",
                        "P",
                        "maart 2025",
                        "Lopend",
                        "",
                        "31/03/2025",
                        "",
                    ],
                ],
            ),
        ],
        &Settings::default(),
    );
    assert_eq!(
        cons.table("actions").unwrap().get(0, TITLE).as_text(),
        Some("from b")
    );
    let warning = cons
        .issues
        .iter()
        .find(|i| i.reason.contains("reported twice"))
        .expect("a warning names both rows");
    assert!(
        warning.reason.contains("in/a.xlsx row 2") && warning.reason.contains("in/b.xlsx row 2"),
        "{}",
        warning.reason
    );
}

#[test]
fn baseline_column_is_the_agreed_deadline() {
    let header: &[&str] = &["Actie-ID", "Deadline", "Oorspronkelijke deadline", "Status"];
    let cons = consolidated(
        vec![file(
            "in/a.xlsx",
            &[header, &["A1", "30/04/2025", "31/01/2025", "Lopend"]],
        )],
        &Settings::default(),
    );
    assert_eq!(
        cons.actions[0].judged_deadline,
        Some(Deadline::Date(d(2025, 1, 31), Precision::Day))
    );
    assert!(cons.actions[0].rescheduled);
}

#[test]
fn unreadable_file_is_reported_and_the_batch_goes_on() {
    let broken = FileRead {
        path: "in/broken.xlsx".into(),
        result: std::sync::Arc::new(Err(ReadError::Encrypted)),
    };
    let cons = consolidated(
        vec![
            broken,
            file(
                "in/ok.xlsx",
                &[HEADER, &["A1", "t", "P", "2025", "Lopend", "", "", ""]],
            ),
        ],
        &Settings::default(),
    );
    assert_eq!((cons.files_read, cons.files_failed), (1, 1));
    let issue = cons
        .issues
        .iter()
        .find(|i| i.file == "in/broken.xlsx")
        .unwrap();
    assert_eq!(issue.severity, Severity::Error);
    assert!(issue.reason.contains("password"));
    assert_eq!(ids(&cons), vec!["A1"]);
}

#[test]
fn every_kind_imports_into_its_own_table() {
    let cons = consolidated(
        vec![
            file(
                "in/abs.xlsx",
                &[
                    &["Directie", "Maand", "VTE", "Ziektedagen"],
                    &["DEL", "2025-03", "10,5", "12"],
                ],
            ),
            file(
                "in/ind.xlsx",
                &[
                    &["Indicator", "Periode", "Resultaat", "Streefwaarde"],
                    &["Wachttijd", "Q1 2025", "18", "20"],
                ],
            ),
            file(
                "in/prop.xlsx",
                &[
                    &["Voorstel-ID", "Ingediend op", "SMART"],
                    &["OPT-1", "05/03/2025", "ja"],
                ],
            ),
        ],
        &Settings::default(),
    );
    let abs = cons.table("absence_monthly").unwrap();
    assert_eq!(
        abs.get(0, column("absence_monthly", "fte")),
        &Value::Number(10.5)
    );
    assert_eq!(
        abs.get(0, column("absence_monthly", "month")),
        &Value::Period(crate::model::Period {
            start: d(2025, 3, 1),
            grain: crate::model::Grain::Month
        })
    );
    assert_eq!(cons.table("indicators").unwrap().rows.len(), 1);
    assert_eq!(
        cons.table("proposals")
            .unwrap()
            .get(0, column("proposals", "smart")),
        &Value::Bool(true)
    );
}
