//! Hand-computed cases for spec 5.1. The reference inbox (as of 2025-03-31):
//!
//! | id  | owner | D (judged)  | status, C               | class        | why                              |
//! |-----|-------|-------------|-------------------------|--------------|----------------------------------|
//! | A1  | P     | 31/03/2025  | done 31/03/2025         | on_time      | done exactly on its deadline     |
//! | A2  | P     | 31/01/2025  | in progress (Feb only)  | overdue      | only in the older snapshot       |
//! | A3  | P     | 28/02/2025  | in progress             | overdue      | moved to 30/04 in March: judged  |
//! |     |       |             |                         |              | against the first deadline       |
//! | A4  | P     | 30/06/2025  | in progress             | open         | `Q2 2025`                        |
//! | A5  | P     | 30/06/2025  | done 15/04/2025 (> A)   | open         | completion after A = not done    |
//! | A6  | P     | doorlopend  | in progress             | continuous   |                                  |
//! | A7  | Q     | 15/02/2025  | cancelled               | cancelled    |                                  |
//! | A8  | Q     | 15/02/2025  | done, no date           | done_undated |                                  |
//! | A9  | Q     | 15/01/2025  | done 20/02/2025         | late         | 36 days late                     |
//! | A10 | Q     | 31/01/2025  | done 10/01/2025         | on_time      |                                  |
//! | A11 | Q     | (empty)     | in progress             | undated      |                                  |
//! | A12 | Q     | 31/03/2025  | "vrijwel klaar"         | unknown      |                                  |
//! | A13 | Q     | 30/06/2025  | done 20/03/2025         | on_time      | finished early, D after A        |
//! | A14 | Q     | 10/03/2025  | done 05/03/2025         | on_time      |                                  |
//!
//! on_time 4, late 1, overdue 2 → rate 4/7 = 0.571428…; P: 1/(1+0+2) = 1/3; Q: 3/(3+1+0) = 3/4.
//! The mean of the owner rates would be 0.5417: the rate is a ratio of counts, never a mean.

use super::*;
use crate::config::{DeadlineBasis, Settings};
use crate::test_support::{consolidated, file};

const HEADER: &[&str] = &[
    "Actie-ID",
    "Omschrijving",
    "Directie",
    "Deadline",
    "Status",
    "Datum afgewerkt",
    "Doelstelling",
];

fn inbox() -> Vec<crate::read::FileRead> {
    vec![
        file(
            "in/scorebord_2025-02.xlsx",
            &[
                HEADER,
                &["A1", "t", "P", "31/03/2025", "Lopend", "", "SD1"],
                &["A2", "t", "P", "januari 2025", "Lopend", "", "SD1"],
                &["A3", "t", "P", "28/02/2025", "Lopend", "", "SD2"],
            ],
        ),
        file(
            "in/scorebord_2025-03.xlsx",
            &[
                HEADER,
                &[
                    "A1",
                    "t",
                    "P",
                    "31/03/2025",
                    "Afgewerkt",
                    "31/03/2025",
                    "SD1",
                ],
                &["A3", "t", "P", "30/04/2025", "Lopend", "", "SD2"],
                &["A4", "t", "P", "Q2 2025", "Lopend", "", "SD2"],
                &["A5", "t", "P", "Q2 2025", "Afgewerkt", "15/04/2025", "SD2"],
                &["A6", "t", "P", "doorlopend", "Lopend", "", "SD2"],
                &["A7", "t", "Q", "15/02/2025", "Geannuleerd", "", "SD2"],
                &["A8", "t", "Q", "15/02/2025", "Afgewerkt", "", "SD2"],
                &[
                    "A9",
                    "t",
                    "Q",
                    "15/01/2025",
                    "Afgewerkt",
                    "20/02/2025",
                    "SD2",
                ],
                &[
                    "A10",
                    "t",
                    "Q",
                    "2025-01-31",
                    "Afgewerkt",
                    "10/01/2025",
                    "SD1",
                ],
                &["A11", "t", "Q", "", "Lopend", "", "SD1"],
                &["A12", "t", "Q", "31/03/2025", "vrijwel klaar", "", "SD1"],
                &["A13", "t", "Q", "Q2 2025", "Afgewerkt", "20/03/2025", "SD1"],
                &[
                    "A14",
                    "t",
                    "Q",
                    "10/03/2025",
                    "Afgewerkt",
                    "05/03/2025",
                    "SD1",
                ],
            ],
        ),
    ]
}

fn as_of() -> Periods {
    Periods {
        as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
    }
}

fn run(settings: &Settings) -> ActionsResult {
    let cons = consolidated(inbox(), settings);
    compute(&cons, as_of(), settings).unwrap()
}

fn kpi(r: &ActionsResult, id: &str, scope: &str, key: &str) -> KpiRow {
    r.rows()
        .into_iter()
        .find(|k| k.kpi == id && k.scope == scope && k.key == key)
        .unwrap_or_else(|| panic!("no {id}/{scope}/{key}"))
}

fn class_of(r: &ActionsResult, id: &str) -> ActionClass {
    r.records
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("no action {id}"))
        .class
}

#[test]
fn every_action_falls_in_its_class() {
    let r = run(&Settings::default());
    let expected = [
        ("A1", ActionClass::OnTime),
        ("A2", ActionClass::Overdue),
        ("A3", ActionClass::Overdue),
        ("A4", ActionClass::Open),
        ("A5", ActionClass::Open),
        ("A6", ActionClass::Continuous),
        ("A7", ActionClass::Cancelled),
        ("A8", ActionClass::DoneUndated),
        ("A9", ActionClass::Late),
        ("A10", ActionClass::OnTime),
        ("A11", ActionClass::Undated),
        ("A12", ActionClass::Unknown),
        ("A13", ActionClass::OnTime),
        ("A14", ActionClass::OnTime),
    ];
    for (id, class) in expected {
        assert_eq!(class_of(&r, id), class, "action {id}");
    }
    assert_eq!(r.records.len(), 14, "A2, only in February, is kept");
}

#[test]
fn on_time_rate_is_a_ratio_of_counts_not_a_mean_of_owner_rates() {
    let r = run(&Settings::default());
    let all = kpi(&r, "actions_on_time_rate", "all", "");
    assert_eq!((all.numerator, all.denominator), (Some(4.0), Some(7.0)));
    assert!((all.value.unwrap() - 4.0 / 7.0).abs() < 1e-12);
    assert_eq!(all.status, "red");
    assert_eq!(all.period, "2025-03-31");
    let p = kpi(&r, "actions_on_time_rate", "owner", "P");
    assert!((p.value.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    let q = kpi(&r, "actions_on_time_rate", "owner", "Q");
    assert!((q.value.unwrap() - 0.75).abs() < 1e-12);
    assert_eq!(
        q.status, "amber",
        "0.75 is exactly the amber threshold: the better colour"
    );
    assert!(((p.value.unwrap() + q.value.unwrap()) / 2.0 - all.value.unwrap()).abs() > 0.02);
}

#[test]
fn counts_per_class_and_overdue_share() {
    let r = run(&Settings::default());
    let count = |id: &str| kpi(&r, id, "all", "").value.unwrap();
    assert_eq!(count("actions_on_time"), 4.0);
    assert_eq!(count("actions_late"), 1.0);
    assert_eq!(count("actions_overdue"), 2.0);
    assert_eq!(count("actions_open"), 2.0);
    assert_eq!(count("actions_continuous"), 1.0);
    assert_eq!(count("actions_cancelled"), 1.0);
    assert_eq!(count("actions_undated"), 1.0);
    assert_eq!(count("actions_done_undated"), 1.0);
    assert_eq!(count("actions_unknown_status"), 1.0);
    assert_eq!(
        count("actions_rescheduled"),
        1.0,
        "A3 moved from 28/02 to 30/04"
    );
    let share = kpi(&r, "actions_overdue_share", "all", "");
    assert_eq!(
        (share.numerator, share.denominator, share.value),
        (Some(2.0), Some(4.0), Some(0.5))
    );
    assert_eq!(kpi(&r, "actions_overdue", "owner", "P").value, Some(2.0));
    assert_eq!(kpi(&r, "actions_cancelled", "owner", "Q").value, Some(1.0));
}

#[test]
fn deadline_month_scope_covers_every_month_of_the_plan_year_up_to_a() {
    let r = run(&Settings::default());
    let rows = r.rows();
    let months: Vec<&str> = rows
        .iter()
        .filter(|k| k.scope == "deadline_month")
        .map(|k| k.key.as_str())
        .collect();
    assert_eq!(months, vec!["2025-01", "2025-02", "2025-03"]);
    // January: A10 on time, A9 late, A2 overdue.
    let jan = kpi(&r, "actions_on_time_rate", "deadline_month", "2025-01");
    assert_eq!((jan.numerator, jan.denominator), (Some(1.0), Some(3.0)));
    // February: A3 overdue (A7 cancelled and A8 done without date are left out).
    let feb = kpi(&r, "actions_on_time_rate", "deadline_month", "2025-02");
    assert_eq!((feb.value, feb.status.as_str()), (Some(0.0), "red"));
    // March: A1 and A14.
    let mar = kpi(&r, "actions_on_time_rate", "deadline_month", "2025-03");
    assert_eq!((mar.value, mar.status.as_str()), (Some(1.0), "green"));
}

#[test]
fn days_late_for_late_and_overdue_actions() {
    let r = run(&Settings::default());
    let days = |id: &str| r.records.iter().find(|a| a.id == id).unwrap().days_late;
    assert_eq!(days("A9"), Some(36));
    assert_eq!(
        days("A3"),
        Some(31),
        "judged against 28/02, not the moved 30/04"
    );
    assert_eq!(days("A2"), Some(59));
    assert_eq!(days("A1"), None);
}

#[test]
fn current_deadline_basis_judges_against_the_latest_report() {
    let mut settings = Settings::default();
    settings.actions.deadline = DeadlineBasis::Current;
    let r = run(&settings);
    assert_eq!(class_of(&r, "A3"), ActionClass::Open, "30/04 is after A");
    let all = kpi(&r, "actions_on_time_rate", "all", "");
    assert_eq!((all.numerator, all.denominator), (Some(4.0), Some(6.0)));
}

#[test]
fn completion_after_as_of_and_done_without_date_are_reported() {
    let settings = Settings::default();
    let cons = consolidated(inbox(), &settings);
    let r = compute(&cons, as_of(), &settings).unwrap();
    // "Done without a date" is raised where the row is typed, "after the as-of date" here.
    let reasons: Vec<(&str, String)> = cons
        .issues
        .iter()
        .chain(&r.issues)
        .map(|i| (i.cell.as_str(), i.reason.to_string()))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(c, why)| *c == "F5" && why.contains("after the as-of date")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(c, why)| *c == "E8"
                && why == "status “Afgewerkt” but “Datum afgewerkt” (completed_on) is empty: left out of the on-time rate"),
        "{reasons:?}"
    );
}

#[test]
fn no_assessable_action_gives_an_empty_grey_rate() {
    let settings = Settings::default();
    let cons = consolidated(
        vec![file(
            "x.xlsx",
            &[HEADER, &["B1", "t", "P", "doorlopend", "Lopend", "", ""]],
        )],
        &settings,
    );
    let r = compute(&cons, as_of(), &settings).unwrap();
    let all = kpi(&r, "actions_on_time_rate", "all", "");
    assert_eq!(
        (all.value, all.status.as_str(), all.denominator),
        (None, "grey", Some(0.0))
    );
}

#[test]
fn end_of_mandate_uses_the_configured_date_else_counts_as_continuous() {
    let rows: &[&[&str]] = &[HEADER, &["M1", "t", "P", "einde mandaat", "Lopend", "", ""]];
    let plain = Settings::default();
    let cons = consolidated(vec![file("x.xlsx", rows)], &plain);
    assert!(cons
        .issues
        .iter()
        .any(|i| i.reason.to_string().contains("mandate_end")));
    let r = compute(&cons, as_of(), &plain).unwrap();
    assert_eq!(class_of(&r, "M1"), ActionClass::Continuous);

    let configured = Settings::parse("[plan]\nmandate_end = 2025-02-28").unwrap();
    let cons = consolidated(vec![file("x.xlsx", rows)], &configured);
    let r = compute(&cons, as_of(), &configured).unwrap();
    assert_eq!(class_of(&r, "M1"), ActionClass::Overdue);
}

#[test]
fn empty_status_follows_the_completion_date() {
    let settings = Settings::default();
    let rows: &[&[&str]] = &[
        HEADER,
        &["E1", "t", "P", "31/01/2025", "", "15/01/2025", ""],
        &["E2", "t", "P", "31/01/2025", "", "", ""],
    ];
    let cons = consolidated(vec![file("x.xlsx", rows)], &settings);
    let r = compute(&cons, as_of(), &settings).unwrap();
    assert_eq!(class_of(&r, "E1"), ActionClass::OnTime);
    assert_eq!(
        class_of(&r, "E2"),
        ActionClass::Overdue,
        "empty status without a date is not started"
    );
}

#[test]
fn the_kpis_read_only_what_their_lean_frame_holds() {
    // The KPIs start from a frame without titles, ids, reported deadlines and sources: they
    // must come out as from the frame of every column.
    let settings = Settings::default();
    let cons = consolidated(inbox(), &settings);
    let table = cons.table("actions").unwrap();
    let full = crate::consolidate::actions_frame(table, &cons.actions).unwrap();
    let lean = frame(&cons).unwrap().unwrap();
    assert!(lean.width() < full.width(), "{:?}", lean.get_column_names());
    let from_full = compute_with(&cons, Some(full), as_of(), &settings).unwrap();
    let from_lean = compute_with(&cons, Some(lean), as_of(), &settings).unwrap();
    assert_eq!(from_lean.tallies, from_full.tallies);
    assert_eq!(from_lean.records, from_full.records);
    assert_eq!(
        kpi(&from_lean, "actions_on_time_rate", "owner", "Q").value,
        Some(0.75)
    );
}
