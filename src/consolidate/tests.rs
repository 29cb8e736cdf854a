//! Consolidation: lineage on every row, issues with Excel cell references, snapshot merging.

use super::*;
use crate::model::{Deadline, Precision, Status};
use crate::read::ReadError;
use crate::schema::column;

const ACTION_ID: Col = column("actions", "action_id");
const DEADLINE: Col = column("actions", "deadline");
const TITLE: Col = column("actions", "title");
use crate::test_support::{consolidated, consolidated_as_of, file};
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
        (row.origin.file(), row.origin.sheet(), row.origin.row),
        ("in/a.xlsx", "Scorebord", 4)
    );
    assert_eq!(t.extra_columns, vec!["Opmerking".to_string()]);
    assert_eq!(&*row.extras, ["let op".to_string()]);
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
                "in/LEESMIJ.txt",
                &[&["Zet hier uw scorebord neer"], &["vóór de vijfde"]],
            ),
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
            ("in/LEESMIJ.txt", Severity::Info),
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
        vec!["A1", "A2"],
        "ids compare trimmed and case-insensitively, and are shown as first written (a tie)"
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
        .any(|i| i.file == "in/x_2025-02.xlsx" && i.reason.to_string().contains("superseded")));
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
        .find(|i| i.reason.to_string().contains("reported twice"))
        .expect("a warning names both rows");
    assert!(
        warning.reason.to_string().contains("in/a.xlsx row 2")
            && warning.reason.to_string().contains("in/b.xlsx row 2"),
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
        name: "in/broken.xlsx".into(),
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
    assert!(issue.reason.to_string().contains("password"));
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

/// Three monthly snapshots of one plan (report dates from the file names) and an undated file.
/// January: A1, A2 in progress, A4 done on time. February: A1 done late, A2's deadline moved
/// from 28/02 to 31/03, A3 new, A5 new and already past its deadline. March: A2 done 05/03, A3
/// done 25/02 (reported only in March), A6 new and done on time. Undated: A7 done on time.
fn three_monthly_snapshots() -> Vec<FileRead> {
    let done =
        |id: &'static str, owner, deadline, on| [id, "t", owner, deadline, "Afgewerkt", on, "", ""];
    let open = |id: &'static str, owner, deadline| [id, "t", owner, deadline, "Lopend", "", "", ""];
    let f = |path: &str, rows: &[[&str; 8]]| {
        let mut all: Vec<&[&str]> = vec![HEADER];
        all.extend(rows.iter().map(|r| &r[..]));
        file(path, &all)
    };
    vec![
        f(
            "in/scorebord_2025-01.xlsx",
            &[
                open("A1", "P", "31/01/2025"),
                open("A2", "P", "28/02/2025"),
                done("A4", "Q", "31/01/2025", "20/01/2025"),
            ],
        ),
        f(
            "in/scorebord_2025-02.xlsx",
            &[
                done("A1", "P", "31/01/2025", "10/02/2025"),
                open("A2", "P", "31/03/2025"),
                open("A3", "Q", "31/03/2025"),
                done("A4", "Q", "31/01/2025", "20/01/2025"),
                open("A5", "Q", "15/02/2025"),
            ],
        ),
        f(
            "in/scorebord_2025-03.xlsx",
            &[
                done("A1", "P", "31/01/2025", "10/02/2025"),
                done("A2", "P", "31/03/2025", "05/03/2025"),
                done("A3", "Q", "31/03/2025", "25/02/2025"),
                done("A4", "Q", "31/01/2025", "20/01/2025"),
                open("A5", "Q", "15/02/2025"),
                done("A6", "P", "31/03/2025", "20/03/2025"),
            ],
        ),
        f(
            "in/plan_zonder_datum.xlsx",
            &[done("A7", "Q", "31/01/2025", "15/01/2025")],
        ),
    ]
}

/// A report as of the end of `month` (2025) over the three snapshots.
fn report_as_of(month: u32) -> (Consolidated, crate::kpi::KpiResults) {
    let settings = Settings::default();
    let as_of = NaiveDate::from_ymd_opt(2025, month + 1, 1)
        .and_then(|d| d.pred_opt())
        .unwrap();
    let cons = consolidated_as_of(three_monthly_snapshots(), &settings, Some(as_of));
    let kpis = crate::kpi::compute(&cons, crate::kpi::Periods { as_of }, &settings).unwrap();
    (cons, kpis)
}

fn basis(rows: &[crate::kpi::KpiRow], kpi: &str, scope: &str, key: &str) -> (f64, f64) {
    let r = rows
        .iter()
        .find(|r| r.kpi == kpi && r.scope == scope && r.key == key)
        .unwrap_or_else(|| panic!("no {kpi} {scope} {key}"));
    (r.numerator.unwrap(), r.denominator.unwrap_or(f64::NAN))
}

#[test]
fn a_past_month_rebuilt_from_a_later_inbox_equals_the_next_reports_previous_month() {
    let (_, january) = report_as_of(1);
    let (_, february) = report_as_of(2);
    let (_, march) = report_as_of(3);
    let plan_kpis = |k: &crate::kpi::KpiResults| -> Vec<crate::kpi::KpiRow> {
        k.kpis
            .iter()
            .filter(|r| r.kpi.id().starts_with("actions_") || r.kpi.id().starts_with("plan_"))
            .cloned()
            .collect()
    };
    let previous = |k: &crate::kpi::KpiResults| -> Vec<crate::kpi::KpiRow> {
        let p = &k.previous;
        let mut rows = p.actions.as_ref().map(|t| t.rows()).unwrap_or_default();
        rows.extend(p.plan.rows());
        rows
    };
    assert_eq!(plan_kpis(&january), previous(&february));
    assert_eq!(plan_kpis(&february), previous(&march));
    // As of April no report is dated after March: the previous month is computed from the
    // run's own merge (no second merge), and must still equal March's own report.
    let (_, april) = report_as_of(4);
    assert_eq!(plan_kpis(&march), previous(&april));

    // January (A = 31/01, January rows and the undated file): A1 (31/01, not past yet) and A2
    // open, A4 and A7 on time → 2 / 2.
    assert_eq!(
        basis(&january.kpis, "actions_on_time_rate", "all", ""),
        (2.0, 2.0)
    );
    // February (A = 28/02; March's rows left out): A1 done 10/02 after 31/01 → late; A2 judged
    // against 28/02 (first agreed), not past on 28/02 → open, and rescheduled (now 31/03); A3
    // open (its March completion is not known yet); A4, A7 on time; A5 (15/02) overdue
    // → 2 / (2 + 1 + 1) = 50 %. P: 0 / 1 (A1); Q: 2 / 3 (A4, A7 of A4, A5, A7).
    let feb = &february.kpis;
    assert_eq!(basis(feb, "actions_on_time_rate", "all", ""), (2.0, 4.0));
    assert_eq!(basis(feb, "actions_on_time_rate", "owner", "P"), (0.0, 1.0));
    assert_eq!(basis(feb, "actions_on_time_rate", "owner", "Q"), (2.0, 3.0));
    assert_eq!(basis(feb, "actions_open", "all", "").0, 2.0);
    assert_eq!(basis(feb, "actions_rescheduled", "all", "").0, 1.0);
    assert_eq!(basis(feb, "actions_overdue_share", "all", ""), (1.0, 3.0));
    // Counting March's reports (the old behaviour) would have made A3 on time and A6 open:
    // 3 / 5 = 60 %, a February that no February report ever showed.
    // March (every row): A1, A2 (05/03 after 28/02) late; A3, A4, A6, A7 on time; A5 overdue
    // → 4 / 7.
    assert_eq!(
        basis(&march.kpis, "actions_on_time_rate", "all", ""),
        (4.0, 7.0)
    );
}

#[test]
fn the_history_is_held_only_when_a_report_falls_in_the_as_of_month_and_every_row_left_out_is_known()
{
    // February (A = 28/02): February's rows are dated 28/02, after 31/01: the plan at the end
    // of January needs the rows before the merge.
    let (february, _) = report_as_of(2);
    assert!(february.action_history.is_some());
    // Left out: March's six rows (reported after A), then January's A1, A2 and A4 (replaced).
    let away: Vec<(&str, u32)> = february
        .merged_away
        .iter()
        .map(|o| (o.file(), o.row))
        .collect();
    let (jan, mar) = ("in/scorebord_2025-01.xlsx", "in/scorebord_2025-03.xlsx");
    assert_eq!(
        away,
        [(mar, 2), (mar, 3), (mar, 4), (mar, 5), (mar, 6), (mar, 7)]
            .into_iter()
            .chain([(jan, 2), (jan, 3), (jan, 4)])
            .collect::<Vec<_>>()
    );
    assert!(report_as_of(3).0.action_history.is_some());
    // April: no report is dated after 31/03, so the plan at the end of March is the run's own
    // merge and no second copy of the rows is kept.
    let (april, _) = report_as_of(4);
    assert!(april.action_history.is_none());
    assert_eq!(
        april.merged_away.len(),
        3 + 5,
        "January's three, February's five"
    );
    // Without an as-of date the history is always kept (the date comes from the reports).
    let undated = consolidated_as_of(three_monthly_snapshots(), &Settings::default(), None);
    assert!(undated.action_history.is_some());
}

#[test]
fn rows_reported_after_the_as_of_date_are_an_info_note_and_never_judged() {
    let (cons, february) = report_as_of(2);
    assert_eq!(ids(&cons), vec!["A1", "A2", "A4", "A3", "A5", "A7"]);
    assert_eq!(cons.superseded, 3, "January's A1, A2, A4");
    let march = "in/scorebord_2025-03.xlsx";
    let notes: Vec<&Issue> = cons
        .issues
        .iter()
        .chain(&february.issues)
        .filter(|i| i.file == march)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].severity, Severity::Info);
    assert_eq!(
        notes[0].reason.to_string(),
        "6 action row(s) reported after the as-of date 28/02/2025 (report date 31/03/2025); left out of this report"
    );
    // The March rows are not judged: no "completed after the as-of date" for A2, A3 or A6.
    assert!(!february
        .issues
        .iter()
        .any(|i| i.reason.to_string().contains("after the as-of date")));
}

/// A workbook of two sheets: title rows, the header on row 3, 60 actions (some without an id,
/// some with an unreadable deadline, extra column `Opmerking`), a total row and a note below,
/// crossing the 30 rows in which the header is sought; then a sheet that holds no table.
fn streamed_workbook() -> crate::read::RawWorkbook {
    use crate::test_support::sheet;
    let mut rows: Vec<Vec<String>> = vec![vec!["Scorebord".into()], vec![]];
    rows.push(HEADER.iter().map(|h| h.to_string()).collect());
    for i in 0..60 {
        let deadline = if i % 7 == 0 { "asap" } else { "maart 2025" };
        let id = if i % 11 == 0 {
            String::new()
        } else {
            format!("A{i}")
        };
        rows.push(
            [&id, "t", "P", deadline, "Lopend", "", "", &format!("n{i}")]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    }
    rows.push(vec!["Totaal".into(), "60".into()]);
    let mut note = vec![String::new(); 8];
    note.push("losse noot".into());
    rows.push(note);
    let texts: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = texts.iter().map(Vec::as_slice).collect();
    crate::read::RawWorkbook {
        format: crate::read::Format::Xlsx,
        sheets: vec![sheet("Scorebord", &slices), sheet("Leeg", &[&["x"]])],
        notes: vec![crate::read::ReadNote::NulsRemoved(2)],
        skipped: vec![],
        written_by_scoreboard: false,
    }
}

/// Types `workbook` from its events, in chunks of `chunk` rows, each sheet after a first pass
/// that a restart takes back (none: no restart).
fn type_streamed(
    workbook: &crate::read::RawWorkbook,
    chunk: usize,
    withdrawn: Option<Withdrawn>,
) -> TypedFile {
    let settings = Settings::default();
    let schema = Schema::new(&[]).unwrap();
    let path = std::path::Path::new("in/a.xlsx");
    FileTyper::type_streamed(
        &schema,
        &settings,
        path,
        "in/a.xlsx",
        workbook,
        chunk,
        withdrawn,
    )
}

#[test]
fn rows_typed_as_they_stream_equal_the_whole_sheet_typed_at_once_even_after_a_restart() {
    let workbook = streamed_workbook();
    let settings = Settings::default();
    let schema = Schema::new(&[]).unwrap();
    let path = std::path::Path::new("in/a.xlsx");
    let whole = FileTyper::type_workbook(&schema, &settings, path, "in/a.xlsx", &workbook);
    assert_eq!(
        whole.tables[0].table.rows.len(),
        54,
        "60 minus 6 without an id"
    );
    // A first pass that types 40 rows (past the search area) is withdrawn, then chunks of 7.
    let streamed = type_streamed(&workbook, 7, Some(Withdrawn::Prefix(40)));
    assert_eq!(streamed.summary(), whole.summary());
    let (issues, sheets, _, _) = streamed.summary();
    assert!(issues[0].contains("NUL character(s) removed"), "{issues:?}");
    assert_eq!(sheets.len(), 2);
}

#[test]
fn a_restart_that_no_longer_shows_a_table_leaves_no_table_of_that_kind_behind() {
    use crate::read::{ReadEvent, ReadSink};
    // The first pass types 40 rows as actions; the rows sent again (the sheet read whole after
    // all) have lost their header row, so the sheet holds no table.
    let first = streamed_workbook();
    let mut again = first.clone();
    again.sheets[0].rows.retain(|r| r.index != 2);
    again.sheets.truncate(1);
    let settings = Settings::default();
    let schema = Schema::new(&[]).unwrap();
    let path = std::path::Path::new("in/a.xlsx");
    let mut typer = FileTyper::new(&schema, &settings, path, "in/a.xlsx");
    typer.event(ReadEvent::Opened {
        format: first.format,
        written_by_scoreboard: false,
    });
    typer.event(ReadEvent::Sheet {
        name: "Scorebord".into(),
        date_1904: false,
    });
    typer.event(ReadEvent::Rows(first.sheets[0].rows[..40].to_vec()));
    typer.event(ReadEvent::Restart);
    typer.event(ReadEvent::Rows(again.sheets[0].rows.clone()));
    typer.event(ReadEvent::Done {
        notes: vec![],
        skipped: vec![],
    });
    let streamed = typer.finish();
    assert!(
        streamed.tables.is_empty(),
        "an empty actions table was left"
    );
    again.notes.clear();
    let whole = FileTyper::type_workbook(&schema, &settings, path, "in/a.xlsx", &again);
    assert_eq!(streamed.summary(), whole.summary());
    assert_eq!(streamed.sheets[0].kind, None);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the chunk size and wherever a restart falls, streaming types the same rows
    /// and raises the same issues as typing the whole workbook.
    #[test]
    fn any_chunking_and_any_restart_type_the_same_file(
        chunk in 1usize..80,
        withdrawn in proptest::option::of(0usize..70),
        decoy in 0usize..16,
    ) {
        let workbook = streamed_workbook();
        let settings = Settings::default();
        let schema = Schema::new(&[]).unwrap();
        let path = std::path::Path::new("in/a.xlsx");
        let whole = FileTyper::type_workbook(&schema, &settings, path, "in/a.xlsx", &workbook);
        let streamed = type_streamed(&workbook, chunk, withdrawn.map(Withdrawn::Prefix));
        proptest::prop_assert_eq!(streamed.summary(), whole.summary());
        // A first pass that saw a table of any kind, taken back, leaves nothing of it.
        let streamed = type_streamed(&workbook, chunk, Some(Withdrawn::Decoy(decoy)));
        proptest::prop_assert_eq!(streamed.summary(), whole.summary());
    }
}

#[test]
fn typed_rows_stay_small_and_share_their_repeated_texts() {
    // Ten million absence spells must fit in a few GB: a row is its 40 bytes plus its values.
    assert_eq!(std::mem::size_of::<TypedRow>(), 40);
    assert_eq!(std::mem::size_of::<Value>(), 16);
    let cons = consolidated(
        vec![file(
            "in/a.xlsx",
            &[
                HEADER,
                &["A1", "t", "P&O", "maart 2025", "Lopend", "", "", ""],
                &["A2", "t", "P&O", "maart 2025", "Lopend", "", "", ""],
            ],
        )],
        &Settings::default(),
    );
    let t = cons.table("actions").unwrap();
    let directorate = column("actions", "owner");
    let (Value::Text(a), Value::Text(b)) = (t.get(0, directorate), t.get(1, directorate)) else {
        panic!("directorates are text");
    };
    assert_eq!(&**a, "P&O");
    assert!(arcstr::ArcStr::ptr_eq(a, b), "one copy of `P&O`");
    assert!(std::sync::Arc::ptr_eq(
        &t.rows[0].origin.place,
        &t.rows[1].origin.place
    ));
}

#[test]
fn total_rows_are_known_by_their_label_in_any_writing_and_other_rows_are_not() {
    let label = |text: &str| {
        total_label(&RawRow {
            index: 5,
            cells: vec![(0, RawCell::Text(text.into()))],
        })
    };
    for total in [
        "Totaal",
        "  TOTAL:",
        "- Totaal directie",
        "Total général",
        "Grand Total",
        "Som",
        "SOMME",
        "Eindtotaal",
        "Sum*",
    ] {
        assert_eq!(label(total).as_deref(), Some(total.trim()), "{total}");
    }
    for other in [
        "A-12",
        "12",
        "Studie",
        "Evaluatie",
        "Gent",
        "Totaliteit",
        "",
        "—",
    ] {
        assert_eq!(label(other), None, "{other}");
    }
}
