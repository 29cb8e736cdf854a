//! Property tests of the parsers (proptest): a date, deadline, period, number or percentage
//! written the Belgian ways — Dutch, French, day first, decimal comma — reads back the same.

use super::*;
use crate::model::{Deadline, Grain, Period, Precision};
use chrono::NaiveDate;
use proptest::prelude::*;

/// Month names (0-based) as the Dutch and French catalogues write them.
fn nl(m: usize) -> &'static str {
    &crate::i18n::labels(crate::model::Lang::Nl).month_names[m]
}

fn fr(m: usize) -> &'static str {
    &crate::i18n::labels(crate::model::Lang::Fr).month_names[m]
}

fn day() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2200, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn last_day(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y + i32::from(m == 12), m % 12 + 1, 1)
        .and_then(|d| d.pred_opt())
        .unwrap()
}

/// `1234567` as `1.234.567` (or with another thousands separator).
fn grouped(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

proptest! {
    #[test]
    fn dates_written_the_belgian_ways_read_back(d in day(), form in 0usize..7) {
        use chrono::Datelike;
        let (y, m, dd) = (d.year(), d.month(), d.day());
        let text = match form {
            0 => format!("{dd:02}/{m:02}/{y}"),
            1 => format!("{dd:02}-{m:02}-{y}"),
            2 => format!("{dd:02}.{m:02}.{y}"),
            3 => format!("{y}-{m:02}-{dd:02}"),
            4 => format!("{dd}/{m}/{y}"),
            5 => format!("{dd} {} {y}", nl(m as usize - 1)),
            _ => format!("{dd} {} {y}", fr(m as usize - 1)),
        };
        prop_assert_eq!(parse_date_text(&text), Some(d), "{}", text);
        prop_assert_eq!(
            parse_deadline_text(&text),
            DeadlineText::Deadline(Deadline::Date(d, Precision::Day)),
            "{}", text
        );
    }

    #[test]
    fn coarse_deadlines_resolve_to_the_last_day_of_their_period(
        y in 1900i32..2200, m in 1u32..=12, q in 1u32..=4, form in 0usize..5
    ) {
        let (text, expected) = match form {
            0 => (format!("{} {y}", nl(m as usize - 1)), Deadline::Date(last_day(y, m), Precision::Month)),
            1 => (format!("{} {y}", fr(m as usize - 1)), Deadline::Date(last_day(y, m), Precision::Month)),
            2 => (format!("Q{q} {y}"), Deadline::Date(last_day(y, q * 3), Precision::Quarter)),
            3 => (format!("tegen eind {} {y}", nl(m as usize - 1)), Deadline::Date(last_day(y, m), Precision::Month)),
            _ => (format!("{y}"), Deadline::Date(last_day(y, 12), Precision::Year)),
        };
        prop_assert_eq!(parse_deadline_text(&text), DeadlineText::Deadline(expected), "{}", text);
    }

    #[test]
    fn periods_written_the_belgian_ways_read_back(
        y in 1900i32..2200, m in 1u32..=12, q in 1u32..=4, form in 0usize..6
    ) {
        let month = Period { start: NaiveDate::from_ymd_opt(y, m, 1).unwrap(), grain: Grain::Month };
        let (text, expected) = match form {
            0 => (format!("{} {y}", nl(m as usize - 1)), month),
            1 => (format!("{} {y}", fr(m as usize - 1)), month),
            2 => (format!("{y}-{m:02}"), month),
            3 => (format!("{m:02}/{y}"), month),
            4 => (
                format!("Q{q} {y}"),
                Period { start: NaiveDate::from_ymd_opt(y, q * 3 - 2, 1).unwrap(), grain: Grain::Quarter },
            ),
            _ => (format!("{y}"), Period { start: NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), grain: Grain::Year }),
        };
        prop_assert_eq!(parse_period_text(&text), Some(expected), "{}", text);
    }

    #[test]
    fn numbers_written_the_belgian_ways_read_back(
        whole in 0u64..1_000_000_000, cents in 0u32..100, negative in any::<bool>(), form in 0usize..5
    ) {
        let sign = if negative { "-" } else { "" };
        let text = match form {
            0 => format!("{sign}{},{cents:02}", grouped(whole, ".")),
            1 => format!("{sign}{},{cents:02}", grouped(whole, " ")),
            2 => format!("{sign}{},{cents:02}", grouped(whole, "\u{a0}")),
            3 => format!("{sign}{whole},{cents:02}"),
            _ => format!("{sign}{}.{cents:02}", grouped(whole, ",")),
        };
        let expected: f64 = format!("{sign}{whole}.{cents:02}").parse().unwrap();
        prop_assert_eq!(parse_number_text(&text).map(|n| n.value), Some(expected), "{}", text);
        prop_assert_eq!(
            parse_number_text(&format!("€ {text}")).map(|n| n.value),
            Some(expected)
        );
    }

    #[test]
    fn percentages_written_the_belgian_ways_read_back(
        whole in 0u32..1000, tenths in 0u32..10, form in 0usize..3
    ) {
        let text = match form {
            0 => format!("{whole},{tenths} %"),
            1 => format!("{whole},{tenths}%"),
            _ => format!("{whole},{tenths}\u{a0}%"),
        };
        let expected = format!("{whole}.{tenths}").parse::<f64>().unwrap() / 100.0;
        prop_assert_eq!(parse_percent_text(&text), Some(expected), "{}", text);
    }
}
