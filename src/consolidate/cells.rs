//! One raw cell + its column's value type → a typed value, or the reason it cannot be read.
//! The parsers are in `parse`; this file only knows how each cell type meets each column type.

use crate::excel_text::cut_to_cell;
use crate::model::{Deadline, Grain, Period, Precision, Reason, Status, Value};
use crate::parse::{
    excel_serial_to_date, parse_date_text, parse_deadline_text, parse_number_text,
    parse_percent_text, parse_period_text, parse_polarity, parse_status, parse_yes_no,
    DeadlineText,
};
use crate::read::RawCell;
use crate::schema::ValueType;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// The typed value of a cell and, when something was wrong, why (in plain language).
/// A failed read gives `Value::Empty` with a reason; an unknown status gives `Status::Unknown`.
pub fn typed_value(cell: &RawCell, ty: ValueType, date_1904: bool) -> (Value, Option<Reason>) {
    if let RawCell::Error(e) = cell {
        return (
            Value::Empty,
            Some(Reason::new("cell_error_value").arg("error", e)),
        );
    }
    if cell.is_blank() {
        return (Value::Empty, None);
    }
    // `what` names the expected value: a phrase key of the catalogue (`expected_date`, …).
    let fail = |what: &'static str| {
        (
            Value::Empty,
            Some(
                Reason::new("cell_unreadable")
                    .arg("value", cell.display())
                    .phrase("what", Reason::new(what)),
            ),
        )
    };
    match ty {
        ValueType::Id => match cell {
            RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                (Value::Text(format!("{}", *n as i64).into()), None)
            }
            other => (Value::Text(trimmed(other).into()), None),
        },
        ValueType::Text => {
            let text = trimmed(cell);
            // Kept whole here (exports carry it); the workbook can show only Excel's maximum.
            let reason = cut_to_cell(&text).map(|_| Reason::new("text_too_long"));
            (Value::Text(arcstr::ArcStr::from(&*text)), reason)
        }
        ValueType::Date => match date_of(cell, date_1904) {
            Some(d) => (Value::Date(d), None),
            None => fail("expected_date"),
        },
        ValueType::Deadline => match cell {
            RawCell::Number(n) if is_year(*n) => {
                let end = NaiveDate::from_ymd_opt(*n as i32, 12, 31);
                end.map_or_else(
                    || fail("expected_deadline"),
                    |d| (Value::Deadline(Deadline::Date(d, Precision::Year)), None),
                )
            }
            RawCell::Text(t) => match parse_deadline_text(t) {
                DeadlineText::Deadline(d) => (Value::Deadline(d), None),
                DeadlineText::Empty => (Value::Empty, None),
                DeadlineText::Invalid => fail("expected_deadline_forms"),
            },
            other => match date_of(other, date_1904) {
                Some(d) => (Value::Deadline(Deadline::Date(d, Precision::Day)), None),
                None => fail("expected_deadline"),
            },
        },
        ValueType::Period => match period_of(cell, date_1904) {
            Some(p) => (Value::Period(p), None),
            None => fail("expected_period"),
        },
        ValueType::Number => match cell {
            RawCell::Number(n) | RawCell::Duration(n) => (Value::Number(*n), None),
            // A number column cell formatted as a date still holds its serial.
            RawCell::Date(_) | RawCell::DateTime(_) | RawCell::Time(_) => {
                match excel_serial(cell, date_1904) {
                    Some(n) => (Value::Number(n), None),
                    None => fail("expected_number"),
                }
            }
            RawCell::Text(t) => match parse_number_text(t) {
                Some(p) if p.percent_sign => (Value::Number(p.value / 100.0), None),
                Some(p) => (Value::Number(p.value), None),
                None => fail("expected_number"),
            },
            _ => fail("expected_number"),
        },
        ValueType::Percent => match cell {
            RawCell::Number(n) => (
                Value::Number(crate::parse::percent_to_fraction(*n, false)),
                None,
            ),
            RawCell::Text(t) => match parse_percent_text(t).or_else(|| parse_ratio(t)) {
                Some(f) => (Value::Number(f), None),
                None => fail("expected_percentage"),
            },
            _ => fail("expected_percentage"),
        },
        ValueType::Status => match cell {
            RawCell::Text(t) => match parse_status(t) {
                Some(s) => (Value::Status(s), None),
                None => (
                    Value::Status(Status::Unknown),
                    Some(Reason::new("status_unknown").arg("value", t.trim())),
                ),
            },
            other => (
                Value::Status(Status::Unknown),
                Some(Reason::new("status_unknown").arg("value", other.display())),
            ),
        },
        ValueType::Polarity => match parse_polarity(&cell.display()) {
            Some(p) => (Value::Polarity(p), None),
            None => fail("expected_polarity"),
        },
        ValueType::YesNo => match cell {
            RawCell::Bool(b) => (Value::Bool(*b), None),
            other => match parse_yes_no(&other.display()) {
                Ok(Some(b)) => (Value::Bool(b), None),
                Ok(None) => (Value::Empty, None),
                Err(()) => fail("expected_yes_no"),
            },
        },
    }
}

/// `4/5` (a Belgian part-time regime) as 0.8.
/// The cell as trimmed text: borrowed from a text cell, written out for any other.
fn trimmed(cell: &RawCell) -> Cow<'_, str> {
    match cell {
        RawCell::Text(t) => Cow::Borrowed(t.trim()),
        other => Cow::Owned(other.display().trim().to_string()),
    }
}

fn parse_ratio(text: &str) -> Option<f64> {
    let (a, b) = text.trim().split_once('/')?;
    let (a, b): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b > 0.0 && a >= 0.0 && a <= b).then(|| a / b)
}

/// A whole number that can only be a year (a deadline `2025` typed as a number).
fn is_year(n: f64) -> bool {
    n.fract() == 0.0 && (1900.0..=2100.0).contains(&n)
}

fn date_of(cell: &RawCell, date_1904: bool) -> Option<NaiveDate> {
    match cell {
        RawCell::Date(d) => Some(*d),
        RawCell::DateTime(t) => Some(t.date()),
        // A plain number in a date column is an Excel serial of the workbook's date system.
        RawCell::Number(n) => excel_serial_to_date(*n, date_1904),
        RawCell::Text(t) => parse_date_text(t),
        _ => None,
    }
}

/// The Excel serial behind a date-formatted cell, in the workbook's date system, through
/// rust_xlsxwriter's own conversion.
fn excel_serial(cell: &RawCell, date_1904: bool) -> Option<f64> {
    use chrono::Timelike;
    use rust_xlsxwriter::ExcelDateTime;
    let day = |d: NaiveDate| {
        ExcelDateTime::from_ymd(
            u16::try_from(d.year()).ok()?,
            d.month() as u8,
            d.day() as u8,
        )
        .ok()
    };
    let seconds = |t: chrono::NaiveTime| f64::from(t.second()) + f64::from(t.nanosecond()) / 1e9;
    let serial = match cell {
        RawCell::Date(d) => day(*d)?.to_excel(),
        RawCell::DateTime(t) => day(t.date())?
            .and_hms(t.hour() as u16, t.minute() as u8, seconds(t.time()))
            .ok()?
            .to_excel(),
        RawCell::Time(t) => {
            return ExcelDateTime::from_hms(t.hour() as u16, t.minute() as u8, seconds(*t))
                .ok()
                .map(|x| x.to_excel())
        }
        _ => return None,
    };
    Some(if date_1904 { serial - 1462.0 } else { serial })
}

fn period_of(cell: &RawCell, date_1904: bool) -> Option<Period> {
    let month = |d: NaiveDate| {
        Some(Period {
            start: d.with_day(1)?,
            grain: Grain::Month,
        })
    };
    match cell {
        RawCell::Number(n) if is_year(*n) => Some(Period {
            start: NaiveDate::from_ymd_opt(*n as i32, 1, 1)?,
            grain: Grain::Year,
        }),
        RawCell::Number(n) if n.fract() == 0.0 && (190_001.0..=210_012.0).contains(n) => {
            parse_period_text(&format!("{}", *n as i64))
        }
        RawCell::Number(n) => month(excel_serial_to_date(*n, date_1904)?),
        RawCell::Date(d) => month(*d),
        RawCell::DateTime(t) => month(t.date()),
        RawCell::Text(t) => parse_period_text(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_cells_of_every_origin() {
        let cases = [
            (RawCell::Date(d(2025, 3, 15)), false),
            (RawCell::Date(d(2025, 3, 15)), true),
            (
                RawCell::DateTime(d(2025, 3, 15).and_hms_opt(8, 30, 0).unwrap()),
                false,
            ),
            (RawCell::Number(45731.0), false),
            (RawCell::Number(44269.0), true),
            (RawCell::Text("15/03/2025".into()), false),
            (RawCell::Text("2025-03-15T00:00:00".into()), false),
        ];
        for (cell, is_1904) in cases {
            assert_eq!(
                typed_value(&cell, ValueType::Date, is_1904),
                (Value::Date(d(2025, 3, 15)), None),
                "{cell:?}"
            );
        }
        let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        let (v, why) = typed_value(&RawCell::Time(noon), ValueType::Date, false);
        assert_eq!(v, Value::Empty);
        assert_eq!(
            why.map(|r| r.to_string()).as_deref(),
            Some("cannot read “12:00:00” as a date; value left empty")
        );
        let (v, why) = typed_value(&RawCell::Text("gisteren".into()), ValueType::Date, false);
        assert_eq!(v, Value::Empty);
        assert!(why.unwrap().to_string().contains("gisteren"));
    }

    #[test]
    fn issue_reasons_quote_input_text_plainly_without_debug_escapes() {
        // Regression: reasons showed `"d\u{e9}j\u{e0}\n"`-style Debug escaping.
        let (_, reason) = typed_value(&RawCell::Text("déjà vu\nlà".into()), ValueType::Date, false);
        assert_eq!(
            reason.map(|r| r.to_string()).as_deref(),
            Some("cannot read “déjà vu\nlà” as a date; value left empty")
        );
        let (_, reason) = typed_value(
            &RawCell::Text("\"bijna\" klaar".into()),
            ValueType::Status,
            false,
        );
        assert_eq!(
            reason.map(|r| r.to_string()).as_deref(),
            Some("unknown status “\"bijna\" klaar”; the action is kept but left out of the KPIs")
        );
    }

    #[test]
    fn error_cells_are_issues_and_empty() {
        let (v, why) = typed_value(&RawCell::Error("#N/A".into()), ValueType::Number, false);
        assert_eq!(v, Value::Empty);
        assert!(why.unwrap().to_string().contains("#N/A"));
    }

    #[test]
    fn numeric_deadline_2025_is_a_year_not_a_serial() {
        let (v, _) = typed_value(&RawCell::Number(2025.0), ValueType::Deadline, false);
        assert_eq!(
            v,
            Value::Deadline(Deadline::Date(d(2025, 12, 31), Precision::Year))
        );
        let (v, _) = typed_value(&RawCell::Date(d(2025, 6, 30)), ValueType::Deadline, false);
        assert_eq!(
            v,
            Value::Deadline(Deadline::Date(d(2025, 6, 30), Precision::Day))
        );
    }

    #[test]
    fn numeric_periods() {
        let p = |c: RawCell| match typed_value(&c, ValueType::Period, false).0 {
            Value::Period(p) => p.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(p(RawCell::Number(2025.0)), "2025");
        assert_eq!(p(RawCell::Number(202503.0)), "2025-03");
        assert_eq!(p(RawCell::Date(d(2025, 3, 15))), "2025-03");
        assert_eq!(p(RawCell::Text("maart 2025".into())), "2025-03");
    }

    #[test]
    fn a_date_formatted_cell_in_a_number_column_keeps_its_serial() {
        let n = |c: RawCell, is_1904| typed_value(&c, ValueType::Number, is_1904).0;
        assert_eq!(
            n(RawCell::Date(d(2025, 3, 15)), false),
            Value::Number(45731.0)
        );
        assert_eq!(
            n(RawCell::Date(d(2025, 3, 15)), true),
            Value::Number(44269.0)
        );
        assert_eq!(
            n(
                RawCell::DateTime(d(2025, 3, 15).and_hms_opt(18, 0, 0).unwrap()),
                false
            ),
            Value::Number(45731.75)
        );
        let six = chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap();
        assert_eq!(n(RawCell::Time(six), false), Value::Number(0.25));
        // 1900-01-15 is serial 15: a day count typed into a date-formatted cell.
        assert_eq!(n(RawCell::Date(d(1900, 1, 15)), false), Value::Number(15.0));
    }

    #[test]
    fn percent_cells() {
        let f = |c: RawCell| typed_value(&c, ValueType::Percent, false).0;
        assert_eq!(f(RawCell::Number(0.75)), Value::Number(0.75));
        assert_eq!(f(RawCell::Number(75.0)), Value::Number(0.75));
        assert_eq!(f(RawCell::Text("75 %".into())), Value::Number(0.75));
        assert_eq!(f(RawCell::Text("4/5".into())), Value::Number(0.8));
    }

    #[test]
    fn ids_drop_the_decimals_excel_adds() {
        assert_eq!(
            typed_value(&RawCell::Number(12.0), ValueType::Id, false).0,
            Value::Text("12".into())
        );
        assert_eq!(
            typed_value(&RawCell::Text(" A-12 ".into()), ValueType::Id, false).0,
            Value::Text("A-12".into())
        );
    }

    #[test]
    fn unknown_status_is_kept_as_unknown_with_a_reason() {
        let (v, why) = typed_value(
            &RawCell::Text("bijna klaar".into()),
            ValueType::Status,
            false,
        );
        assert_eq!(v, Value::Status(Status::Unknown));
        assert!(why.is_some());
    }
}
