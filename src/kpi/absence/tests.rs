//! Hand-computed absence cases. Calendar `be`, as of 31/03/2025 unless said otherwise.
//! Working days: February 2025 = 20, March 2025 = 21, April 2025 = 21 (Easter Monday 21/04).

use super::*;
use crate::test_support::{consolidated, file};

fn at(y: i32, m: u32, d: u32) -> Periods {
    Periods {
        as_of: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
    }
}

fn value(r: &AbsenceResult, kpi: &str, scope: &str, key: &str, period: &str) -> Option<f64> {
    r.rows()
        .into_iter()
        .find(|k| k.kpi == kpi && k.scope == scope && k.key == key && k.period == period)
        .and_then(|k| k.value)
}

fn kpi(r: &AbsenceResult, kpi: &str, scope: &str, key: &str, period: &str) -> KpiRow {
    r.rows()
        .into_iter()
        .find(|k| k.kpi == kpi && k.scope == scope && k.key == key && k.period == period)
        .unwrap_or_else(|| panic!("no {kpi}/{scope}/{key}/{period}"))
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

const SPELLS: &[&str] = &[
    "Personeelsnummer",
    "Directie",
    "Begindatum",
    "Einddatum",
    "Fractie",
];
const HEADCOUNT: &[&str] = &["Directie", "Maand", "VTE", "Aantal personeelsleden"];

fn spells_run(spells: &[&[&str]], headcount: &[&[&str]], as_of: Periods) -> AbsenceResult {
    let settings = Settings::default();
    let mut s: Vec<&[&str]> = vec![SPELLS];
    s.extend_from_slice(spells);
    let mut h: Vec<&[&str]> = vec![HEADCOUNT];
    h.extend_from_slice(headcount);
    let cons = consolidated(
        vec![file("in/spells.xlsx", &s), file("in/headcount.xlsx", &h)],
        &settings,
    );
    compute(&cons, as_of, &settings).unwrap()
}

#[test]
fn a_spell_across_a_month_boundary_and_a_weekend_counts_working_days_only() {
    // Thu 27/02 – Tue 04/03/2025: Thu, Fri in February (2); Mon 03, Tue 04 in March (2).
    let r = spells_run(
        &[&["1", "A", "27/02/2025", "04/03/2025", "1"]],
        &[&["A", "2025-02", "1", "1"], &["A", "2025-03", "1", "1"]],
        at(2025, 3, 31),
    );
    assert!(close(
        value(&r, "absence_rate", "unit", "A", "2025-02"),
        2.0 / 20.0
    ));
    assert!(close(
        value(&r, "absence_rate", "unit", "A", "2025-03"),
        2.0 / 21.0
    ));
    let feb = kpi(&r, "absence_rate", "unit", "A", "2025-02");
    assert_eq!((feb.numerator, feb.denominator), (Some(2.0), Some(20.0)));
}

#[test]
fn a_month_with_easter_monday_has_21_working_days() {
    // Mon 14/04 – Fri 25/04/2025 is 10 weekdays, Easter Monday 21/04 among them: 9 sick days.
    let r = spells_run(
        &[&["1", "A", "14/04/2025", "25/04/2025", "1"]],
        &[&["A", "2025-04", "2", "2"]],
        at(2025, 4, 30),
    );
    let apr = kpi(&r, "absence_rate", "unit", "A", "2025-04");
    assert_eq!((apr.numerator, apr.denominator), (Some(9.0), Some(42.0)));
}

#[test]
fn half_time_ongoing_and_overlapping_spells() {
    let r = spells_run(
        &[
            // Half-time from Mon 17/03, still absent: 11 working days up to 31/03 × 0.5 = 5.5.
            &["1", "A", "17/03/2025", "", "50%"],
            // Employee 2: 03/03–07/03 full time, and 05/03–12/03 at 0.5: 05–07 counted once at 1.0.
            &["2", "A", "03/03/2025", "07/03/2025", "1"],
            &["2", "A", "05/03/2025", "12/03/2025", "0,5"],
        ],
        &[&["A", "2025-03", "10", "12"]],
        at(2025, 3, 31),
    );
    // 5.5 + (5 × 1.0) + (10/03, 11/03, 12/03 × 0.5 = 1.5) = 12 sick days over 10 × 21 workable.
    let mar = kpi(&r, "absence_rate", "unit", "A", "2025-03");
    assert_eq!((mar.numerator, mar.denominator), (Some(12.0), Some(210.0)));
    assert!(r
        .issues
        .iter()
        .any(|i| i.severity == Severity::Warning && i.reason.to_string().contains("overlapping")));
    // Three spells start in March, for 10 FTE: frequency 0.3.
    assert!(close(
        value(&r, "absence_frequency", "unit", "A", "2025-03"),
        0.3
    ));
    // Ended in March: 03–07 (5 calendar days) and 05–12 (8): mean 6.5 days; the open one is not over.
    assert!(close(
        value(&r, "absence_avg_duration", "unit", "A", "2025-03"),
        6.5
    ));
    // Persons with a spell this year: 2 of 12 → 10 / 12 without absence.
    assert!(close(
        value(&r, "absence_zero_share", "unit", "A", "2025-03-31"),
        10.0 / 12.0
    ));
}

#[test]
fn a_spell_ending_before_it_starts_is_an_error_row() {
    let r = spells_run(
        &[&["1", "A", "12/03/2025", "05/03/2025", "1"]],
        &[&["A", "2025-03", "1", "1"]],
        at(2025, 3, 31),
    );
    let e = r
        .issues
        .iter()
        .find(|i| i.severity == Severity::Error)
        .expect("error issue");
    assert_eq!(e.cell, "D2");
    assert_eq!(
        value(&r, "absence_rate", "unit", "A", "2025-03"),
        Some(0.0),
        "no absence: 0 %, not missing"
    );
}

#[test]
fn short_medium_and_long_spells_add_up_to_the_rate() {
    let r = spells_run(
        &[
            &["1", "A", "03/03/2025", "07/03/2025", "1"], // 5 days long: short, 5 sick days
            &["2", "A", "01/02/2025", "14/03/2025", "1"], // 42 days: medium, 10 sick days in March
            &["3", "A", "02/01/2024", "", "1"],           // since 2024: long, 21 sick days in March
        ],
        &[&["A", "2025-03", "10", "10"]],
        at(2025, 3, 31),
    );
    let p = "2025-03";
    assert!(close(
        value(&r, "absence_short_rate", "unit", "A", p),
        5.0 / 210.0
    ));
    assert!(close(
        value(&r, "absence_medium_rate", "unit", "A", p),
        10.0 / 210.0
    ));
    assert!(close(
        value(&r, "absence_long_rate", "unit", "A", p),
        21.0 / 210.0
    ));
    assert!(close(
        value(&r, "absence_rate", "unit", "A", p),
        36.0 / 210.0
    ));
}

const MONTHLY: &[&str] = &["Directie", "Maand", "Werkbare dagen", "VTE", "Ziektedagen"];

fn monthly_run(rows: &[&[&str]], as_of: Periods) -> AbsenceResult {
    let settings = Settings::default();
    let mut all: Vec<&[&str]> = vec![MONTHLY];
    all.extend_from_slice(rows);
    let cons = consolidated(vec![file("in/abs.xlsx", &all)], &settings);
    compute(&cons, as_of, &settings).unwrap()
}

#[test]
fn the_all_rate_weights_units_by_their_workable_days() {
    let r = monthly_run(
        &[
            &["Groot", "2025-03", "2000", "", "100"],
            &["Klein", "2025-03", "20", "", "10"],
        ],
        at(2025, 3, 31),
    );
    // 5 % and 50 %: the organisation is (100 + 10) / (2000 + 20) = 5.45 %, not 27.5 %.
    assert!(close(
        value(&r, "absence_rate", "all", "", "2025-03"),
        110.0 / 2020.0
    ));
    assert!(close(
        value(&r, "absence_rate", "unit", "Klein", "2025-03"),
        0.5
    ));
}

#[test]
fn workable_days_from_fte_and_no_fte_gives_no_rate() {
    let r = monthly_run(
        &[
            &["A", "2025-04", "", "2", "4,2"],
            &["B", "2025-04", "", "", "3"],
        ],
        at(2025, 4, 30),
    );
    assert!(close(
        value(&r, "absence_rate", "unit", "A", "2025-04"),
        4.2 / 42.0
    ));
    let b = kpi(&r, "absence_rate", "unit", "B", "2025-04");
    assert_eq!(
        (b.value, b.denominator),
        (None, None),
        "no workable days: empty, never 0 %"
    );
}

fn months(
    from: (i32, u32),
    n: u32,
    skip: Option<&str>,
    sick: impl Fn(u32) -> f64,
) -> Vec<Vec<String>> {
    (0..n)
        .filter_map(|i| {
            let m0 = from.1 - 1 + i;
            let label = format!("{}-{:02}", from.0 + (m0 / 12) as i32, m0 % 12 + 1);
            (Some(label.as_str()) != skip).then(|| {
                vec![
                    "A".into(),
                    label,
                    "100".into(),
                    "".into(),
                    format!("{}", sick(i)),
                ]
            })
        })
        .collect()
}

fn run_rows(rows: &[Vec<String>], as_of: Periods) -> AbsenceResult {
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    monthly_run(&slices, as_of)
}

#[test]
fn rolling_12_months_yoy_and_trend() {
    // January 2024 – March 2025, 100 workable days a month, sick days 10, 9, 8, … falling by 0.5.
    let rows = months((2024, 1), 15, None, |i| 10.0 - 0.5 * f64::from(i));
    let r = run_rows(&rows, at(2025, 3, 31));
    // Rolling 12 months ending 2025-03: months 2024-04 … 2025-03 are i = 3 … 14:
    // Σ sick = Σ (10 − 0.5 i) = 12 × 10 − 0.5 × (3 + … + 14) = 120 − 51 = 69 → 69 / 1200.
    assert!(close(
        value(&r, "absence_rate_12m", "unit", "A", "2025-03"),
        69.0 / 1200.0
    ));
    // No rolling value before 12 months of data exist.
    assert_eq!(value(&r, "absence_rate_12m", "unit", "A", "2024-11"), None);
    // Year over year, March: 3 % (i = 14) − 9 % (i = 2) = −6 points.
    assert!(close(
        value(&r, "absence_rate_yoy", "unit", "A", "2025-03"),
        -0.06
    ));
    // The rate falls 0.005 per month: slope −0.005, improving.
    let t = kpi(&r, "absence_trend", "unit", "A", "2025-03");
    assert!(close(t.value, -0.005) && t.status == "improving", "{t:?}");
    assert_eq!(
        kpi(&r, "absence_trend", "all", "", "2025-03").status,
        "improving"
    );
}

#[test]
fn a_missing_month_breaks_the_rolling_window() {
    let rows = months((2024, 1), 15, Some("2024-08"), |_| 5.0);
    let r = run_rows(&rows, at(2025, 3, 31));
    assert_eq!(
        value(&r, "absence_rate_12m", "unit", "A", "2025-03"),
        None,
        "August 2024 is missing"
    );
    assert_eq!(
        value(&r, "absence_rate_12m", "unit", "A", "2024-07"),
        None,
        "only 7 months by July"
    );
    let t = kpi(&r, "absence_trend", "unit", "A", "2025-03");
    assert!(t.status == "stable" && close(t.value, 0.0), "{t:?}");
}

#[test]
fn fewer_than_six_months_give_no_trend() {
    let rows = months((2025, 1), 3, None, |_| 5.0);
    let r = run_rows(&rows, at(2025, 3, 31));
    assert!(r.rows().iter().all(|k| k.kpi != "absence_trend"));
}

#[test]
fn an_absence_row_left_out_is_an_error_not_a_warning() {
    // Regression: a quarter in a monthly absence sheet dropped the row as a mere warning.
    let r = monthly_run(
        &[
            &["A", "Q1 2025", "100", "", "5"],
            &["A", "2025-03", "100", "", "4"],
        ],
        at(2025, 3, 31),
    );
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].severity, Severity::Error);
    assert_eq!(
        r.issues[0].reason.to_string(),
        "absence needs a month, not 2025-Q1; row left out"
    );
    assert_eq!(r.issues[0].cell, "2");
    assert!(close(
        value(&r, "absence_rate", "unit", "A", "2025-03"),
        0.04
    ));
}

#[test]
fn overlapping_spells_are_named_in_the_file_and_row_of_the_spell() {
    // Regression: the warning named the first file of the table, not the spell's.
    let settings = Settings::default();
    let cons = consolidated(
        vec![
            file(
                "in/a_spells.xlsx",
                &[SPELLS, &["E2", "X", "03/03/2025", "04/03/2025", "1"]],
            ),
            file(
                "in/b_spells.xlsx",
                &[
                    SPELLS,
                    &["E1", "X", "03/03/2025", "07/03/2025", "1"],
                    &["E1", "X", "05/03/2025", "10/03/2025", "0,5"],
                ],
            ),
        ],
        &settings,
    );
    let r = compute(&cons, at(2025, 3, 31), &settings).unwrap();
    let overlap: Vec<_> = r
        .issues
        .iter()
        .filter(|i| i.reason.to_string().contains("overlapping"))
        .collect();
    assert_eq!(overlap.len(), 1);
    assert_eq!(
        (overlap[0].file.as_str(), overlap[0].cell.as_str()),
        ("in/b_spells.xlsx", "3")
    );
}

/// The definition, day by day: each employee's working day goes to the spell with the largest
/// fraction (of equal fractions, the one listed first), then days add up per unit, month and
/// class. The sweep in `spell_days` must give the same sums.
fn per_day(
    list: &[Spell],
    calendar: &Calendar,
    as_of: NaiveDate,
) -> BTreeMap<(String, i32, u8), f64> {
    let mut best: BTreeMap<(&str, NaiveDate), usize> = BTreeMap::new();
    for (i, s) in list.iter().enumerate() {
        for d in calendar.working_days(s.start, s.end.unwrap_or(as_of).min(as_of)) {
            let held = best.entry((s.employee(), d)).or_insert(i);
            if s.fraction > list[*held].fraction {
                *held = i;
            }
        }
    }
    let mut out: BTreeMap<(String, i32, u8), f64> = BTreeMap::new();
    for ((_, d), i) in best {
        let s = &list[i];
        *out.entry((s.unit().to_string(), month_index(d), spell_class(s, as_of)))
            .or_default() += s.fraction;
    }
    out
}

/// A spell of `employee` in `unit`, its row (where the employee and unit are read) leaked so
/// that the spell may borrow it for the rest of the test.
fn spell(
    employee: u8,
    unit: &'static str,
    start: NaiveDate,
    days: Option<i64>,
    fraction: f64,
) -> Spell<'static> {
    let kind = crate::schema::KINDS
        .iter()
        .find(|k| k.name == "absence_spells")
        .unwrap();
    let mut values = vec![Value::Empty; kind.columns.len()];
    values[SPELL_EMPLOYEE.index] = Value::Text(employee.to_string().into());
    values[SPELL_UNIT.index] = Value::Text(unit.into());
    let row = Box::leak(Box::new(TypedRow {
        origin: crate::model::Origin::new(&"spells.xlsx".into(), &"Spells".into(), 2),
        values: values.into(),
        extras: thin_vec::ThinVec::new(),
    }));
    Spell {
        row,
        start,
        end: days.map(|n| start + chrono::Duration::days(n)),
        fraction,
    }
}

#[test]
fn overlapping_spells_of_different_fractions_count_each_day_once_at_the_largest() {
    // Employee 1: 0.5 from Mon 03/02 to Fri 14/02/2025 (10 working days), 1.0 from Mon 10/02
    // to Fri 21/02 (10) in another unit: 03–07/02 at 0.5 in A (5 days, 2.5), 10–21/02 at 1.0
    // in B (10). A spell of 0.5 inside the full one adds nothing.
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    let list = vec![
        spell(1, "A", d(2, 3), Some(11), 0.5),
        spell(1, "B", d(2, 10), Some(11), 1.0),
        spell(1, "A", d(2, 12), Some(2), 0.5),
    ];
    let calendar = Calendar::from_settings(&Settings::default().calendar);
    let sick = spell_days(&list, &calendar, d(3, 31));
    let feb = month_index(d(2, 1));
    assert_eq!(
        sick.into_iter().collect::<Vec<_>>(),
        vec![(("A", feb, 0), 2.5), (("B", feb, 0), 10.0)]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn the_sweep_gives_the_day_by_day_sums(
        raw in proptest::collection::vec(
            (0u8..4, 0usize..3, 0i64..150, proptest::option::weighted(0.9, 0i64..80), 0usize..4),
            0..24,
        ),
        as_of_offset in 40i64..160,
    ) {
        let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let as_of = base + chrono::Duration::days(as_of_offset);
        let units = ["A", "B", "C"];
        let fractions = [1.0, 0.5, 0.8, 0.2];
        let list: Vec<Spell> = raw
            .iter()
            .map(|(e, u, start, len, f)| {
                spell(*e, units[*u], base + chrono::Duration::days(*start), *len, fractions[*f])
            })
            .filter(|s| s.start <= as_of)
            .collect();
        let calendar = Calendar::from_settings(&Settings::default().calendar);
        let swept: BTreeMap<(String, i32, u8), f64> = spell_days(&list, &calendar, as_of)
            .into_iter()
            .map(|((u, m, c), v)| ((u.to_string(), m, c), v))
            .collect();
        let expected = per_day(&list, &calendar, as_of);
        proptest::prop_assert_eq!(swept.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
        for (k, v) in &expected {
            proptest::prop_assert!((swept[k] - v).abs() < 1e-9, "{:?}: {} vs {}", k, swept[k], v);
        }
    }
}

#[test]
fn a_validated_spell_stays_small() {
    // A million spells are held while their days are counted: a row reference, two dates and
    // a fraction, not a copy of the employee's and unit's text handles.
    assert_eq!(std::mem::size_of::<Spell>(), 24);
}
