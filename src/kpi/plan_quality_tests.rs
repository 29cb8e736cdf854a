//! Hand-computed cases for `plan_smart_rate` (docs/kpis.md, "Plan quality"). The four elements,
//! as `compute` reads them from the consolidated actions table:
//!
//! - **title** — the `title` column (*Omschrijving*) holds text;
//! - **measure point** — the `measure_point` column (*Meetpunt*) **or** the `indicator` column
//!   (*Indicator*) holds text;
//! - **owner** — the `owner` column (*Directie*) holds text;
//! - **deadline** — the action has a judged or a reported deadline: a date, a coarse period, or
//!   continuous / recurring / end of mandate; an empty or unreadable deadline is missing.
//!
//! The reference plan (as of 31/03/2025, one snapshot):
//!
//! | id  | title | measure point   | owner  | deadline        | status      | missing                        |
//! |-----|-------|-----------------|--------|-----------------|-------------|--------------------------------|
//! | S1  | t     | MP 1            | P      | 31/03/2025      | in progress | —                              |
//! | S2  | t     | (indicator) KPI | P      | doorlopend      | in progress | —                              |
//! | S3  |       | MP 1            | P      | Q2 2025         | in progress | title                          |
//! | S4  | t     |                 | P      | 2025            | in progress | measure point                  |
//! | S5  | t     | MP 1            |        | maandelijks     | in progress | owner                          |
//! | S6  | t     | MP 1            | P      | asap (unread.)  | in progress | deadline                       |
//! | S7  | t     | MP 1            | Q      | (empty)         | in progress | deadline                       |
//! | S8  | t     | MP 1            | Q      | 31/01/2025      | cancelled   | —                              |
//! | S9  |       | MP 1            |        | 31/01/2025      | cancelled   | title, owner                   |
//! | S10 | t     | MP 1            | Q      | einde mandaat   | in progress | —                              |
//! | S11 |       |                 |        | (empty)         | in progress | title, measure point, owner, deadline |
//!
//! SMART: S1, S2, S8, S10 → all: 4 / 11 = 0.3636…
//! Owner P: S1–S4, S6 → S1, S2 complete → 2 / 5 = 0.4.
//! Owner Q: S7, S8, S10 → S8, S10 complete → 2 / 3 = 0.6667.
//! No owner (`(none)`): S5, S9, S11 → 0 / 3 = 0.
//! The mean of the three owner rates would be (0.4 + 0.6667 + 0) / 3 = 0.3556: not the rate.

use super::*;
use crate::config::Settings;
use crate::read::FileRead;
use crate::test_support::{consolidated, file};
use chrono::NaiveDate;

const HEADER: &[&str] = &[
    "Actie-ID",
    "Omschrijving",
    "Meetpunt",
    "Indicator",
    "Directie",
    "Deadline",
    "Status",
];

fn reference_plan() -> Vec<FileRead> {
    vec![file(
        "in/scorebord_2025-03.xlsx",
        &[
            HEADER,
            &["S1", "t", "MP 1", "", "P", "31/03/2025", "Lopend"],
            &["S2", "t", "", "KPI 7", "P", "doorlopend", "Lopend"],
            &["S3", "", "MP 1", "", "P", "Q2 2025", "Lopend"],
            &["S4", "t", "", "", "P", "2025", "Lopend"],
            &["S5", "t", "MP 1", "", "", "maandelijks", "Lopend"],
            &["S6", "t", "MP 1", "", "P", "asap", "Lopend"],
            &["S7", "t", "MP 1", "", "Q", "", "Lopend"],
            &["S8", "t", "MP 1", "", "Q", "31/01/2025", "Geannuleerd"],
            &["S9", "", "MP 1", "", "", "31/01/2025", "Geannuleerd"],
            &["S10", "t", "MP 1", "", "Q", "einde mandaat", "Lopend"],
            &["S11", "", "", "", "", "", "Lopend"],
        ],
    )]
}

fn as_of() -> Periods {
    Periods {
        as_of: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
    }
}

fn quality(files: Vec<FileRead>) -> PlanQuality {
    let settings = Settings::default();
    compute(&consolidated(files, &settings), as_of()).unwrap()
}

fn smart(q: &PlanQuality, scope: &str, key: &str) -> KpiRow {
    q.rows()
        .into_iter()
        .find(|k| k.kpi == "plan_smart_rate" && k.scope == scope && k.key == key)
        .unwrap_or_else(|| panic!("no plan_smart_rate/{scope}/{key} in {:?}", q.rows()))
}

/// (numerator, denominator) of a row, and its value within 1e-12 of `num / den`.
fn assert_rate(row: &KpiRow, num: f64, den: f64) {
    assert_eq!(
        (row.numerator, row.denominator),
        (Some(num), Some(den)),
        "{row:?}"
    );
    let value = row.value.unwrap_or_else(|| panic!("no value: {row:?}"));
    assert!((value - num / den).abs() < 1e-12, "{row:?}");
}

fn missing<'a>(q: &'a PlanQuality, id: &str) -> Option<&'a [&'static str]> {
    q.incomplete
        .iter()
        .find(|a| a.id == id)
        .map(|a| a.missing.as_slice())
}

#[test]
fn each_of_the_four_elements_is_checked_and_named_when_missing() {
    let q = quality(reference_plan());
    for complete in ["S1", "S2", "S8", "S10"] {
        assert_eq!(missing(&q, complete), None, "{complete} has all four");
    }
    let expected: [(&str, &[&str]); 7] = [
        ("S3", &["title"]),
        ("S4", &["measure point"]),
        ("S5", &["owner"]),
        ("S6", &["deadline"]),
        ("S7", &["deadline"]),
        ("S9", &["title", "owner"]),
        ("S11", &["title", "measure point", "owner", "deadline"]),
    ];
    for (id, names) in expected {
        assert_eq!(missing(&q, id), Some(names), "action {id}");
    }
    assert_eq!(q.incomplete.len(), 7, "{:?}", q.incomplete);
}

#[test]
fn an_indicator_stands_in_for_a_measure_point_and_any_resolved_deadline_is_time_bound() {
    // S2: no Meetpunt but an Indicator, deadline `doorlopend`; S5: `maandelijks` (recurring);
    // S10: `einde mandaat` without a configured mandate end (treated as continuous).
    // None of them misses a measure point or a deadline.
    let q = quality(reference_plan());
    assert_eq!(missing(&q, "S2"), None);
    assert_eq!(missing(&q, "S5"), Some(&["owner"][..]));
    assert_eq!(missing(&q, "S10"), None);
}

#[test]
fn smart_rate_is_complete_actions_over_all_actions_in_every_scope() {
    let q = quality(reference_plan());
    let all = smart(&q, "all", "");
    assert_rate(&all, 4.0, 11.0);
    assert_eq!(all.period, "2025-03-31");
    assert_rate(&smart(&q, "owner", "P"), 2.0, 5.0);
    assert_rate(&smart(&q, "owner", "Q"), 2.0, 3.0);
    assert_rate(&smart(&q, "owner", "(none)"), 0.0, 3.0);
    assert_eq!(
        q.rows().len(),
        4,
        "one row for all and one per owner: {:?}",
        q.rows()
    );
    let mean_of_owner_rates = (0.4 + 2.0 / 3.0 + 0.0) / 3.0;
    assert!(
        (all.value.unwrap() - mean_of_owner_rates).abs() > 0.005,
        "a ratio of counts, never a mean of owner rates"
    );
}

#[test]
fn cancelled_actions_stay_in_the_plan() {
    // C1 complete and in progress; C2 complete and cancelled; C3 cancelled without a measure
    // point. All three are in the denominator: 2 / 3, and C3 is listed as incomplete.
    let q = quality(vec![file(
        "in/scorebord_2025-03.xlsx",
        &[
            HEADER,
            &["C1", "t", "MP 1", "", "P", "30/06/2025", "Lopend"],
            &["C2", "t", "MP 1", "", "P", "30/06/2025", "Geannuleerd"],
            &["C3", "t", "", "", "P", "30/06/2025", "Geannuleerd"],
        ],
    )]);
    assert_rate(&smart(&q, "all", ""), 2.0, 3.0);
    assert_rate(&smart(&q, "owner", "P"), 2.0, 3.0);
    assert_eq!(missing(&q, "C2"), None);
    assert_eq!(missing(&q, "C3"), Some(&["measure point"][..]));
}

#[test]
fn a_missing_owner_is_its_own_group_and_counts_as_a_gap() {
    // O1 owned and complete; O2 with an empty owner cell, O3 with an owner of blanks only:
    // both are grouped under `(none)` (0 / 2) and both miss the owner.
    let q = quality(vec![file(
        "in/scorebord_2025-03.xlsx",
        &[
            HEADER,
            &["O1", "t", "MP 1", "", "P", "30/06/2025", "Lopend"],
            &["O2", "t", "MP 1", "", "", "30/06/2025", "Lopend"],
            &["O3", "t", "MP 1", "", "   ", "30/06/2025", "Lopend"],
        ],
    )]);
    assert_rate(&smart(&q, "all", ""), 1.0, 3.0);
    assert_rate(&smart(&q, "owner", "P"), 1.0, 1.0);
    assert_rate(&smart(&q, "owner", "(none)"), 0.0, 2.0);
    assert_eq!(missing(&q, "O2"), Some(&["owner"][..]));
    assert_eq!(missing(&q, "O3"), Some(&["owner"][..]));
    assert!(
        q.incomplete
            .iter()
            .filter(|a| a.id == "O2" || a.id == "O3")
            .all(|a| a.owner.is_empty()),
        "the listed owner is empty, not blanks: {:?}",
        q.incomplete
    );
}

#[test]
fn an_action_reported_twice_counts_once_with_its_latest_report() {
    // M1 in February without a measure point, in March with one: one action, complete (1 / 1).
    let q = quality(vec![
        file(
            "in/scorebord_2025-02.xlsx",
            &[HEADER, &["M1", "t", "", "", "P", "30/06/2025", "Lopend"]],
        ),
        file(
            "in/scorebord_2025-03.xlsx",
            &[
                HEADER,
                &["M1", "t", "MP 1", "", "P", "30/06/2025", "Lopend"],
            ],
        ),
    ]);
    assert_rate(&smart(&q, "all", ""), 1.0, 1.0);
    assert!(q.incomplete.is_empty(), "{:?}", q.incomplete);
}

#[test]
fn zero_actions_never_give_a_rate_of_0_or_100_percent() {
    // No actions table at all: no plan_smart_rate row and nothing listed as incomplete.
    let q = quality(Vec::new());
    assert!(q.rows().is_empty(), "{:?}", q.rows());
    assert!(q.incomplete.is_empty());
    // A scoreboard with its header and no action row: the table exists with zero actions, so
    // the `all` row is 0 / 0 with an EMPTY value (docs/kpis.md: a rate whose denominator is 0
    // has no value, not 0 %), and there is no owner to make an owner row.
    // (docs/kpis.md also asks for status `grey` there; the row has status "" today — reported,
    // not asserted here.)
    let q = quality(vec![file("in/scorebord_2025-03.xlsx", &[HEADER])]);
    assert_eq!(q.rows().len(), 1, "{:?}", q.rows());
    let all = smart(&q, "all", "");
    assert_eq!(
        (all.numerator, all.denominator, all.value),
        (Some(0.0), Some(0.0), None)
    );
    assert!(q.incomplete.is_empty());
}
