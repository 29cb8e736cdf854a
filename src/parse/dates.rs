//! Dates, deadlines and periods as Belgian scoreboards write them, in Dutch, French and English.
//! Day-first numeric dates; coarse deadlines (`maart 2025`, `Q2 2025`) resolve to their last day.

use super::normalize;
use crate::model::{Deadline, Grain, Period, Precision};
use chrono::{Datelike, NaiveDate};

/// Month names and abbreviations in Dutch, French and English, normalised (no accents).
const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("janvier", 1),
    ("january", 1),
    ("janv", 1),
    ("jan", 1),
    ("februari", 2),
    ("fevrier", 2),
    ("february", 2),
    ("fevr", 2),
    ("fev", 2),
    ("feb", 2),
    ("maart", 3),
    ("mars", 3),
    ("march", 3),
    ("mrt", 3),
    ("mar", 3),
    ("april", 4),
    ("avril", 4),
    ("avr", 4),
    ("apr", 4),
    ("mei", 5),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("juin", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("juillet", 7),
    ("july", 7),
    ("juil", 7),
    ("jul", 7),
    ("augustus", 8),
    ("aout", 8),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("octobre", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("novembre", 11),
    ("nov", 11),
    ("december", 12),
    ("decembre", 12),
    ("dec", 12),
];

/// Words that open a continuous deadline (`doorlopend vanaf maart 2025` is still continuous).
const CONTINUOUS: &[&str] = &[
    "doorlopend",
    "voortdurend",
    "permanent",
    "permanente",
    "continu",
    "continue",
    "en continu",
    "ongoing",
    "continuous",
    "het hele jaar",
    "heel het jaar",
    "gans het jaar",
    "toute l annee",
    "tout au long de l annee",
    "all year",
    "throughout the year",
    "year round",
];

/// Words that open a recurring schedule, treated like continuous in the on-time rate.
const RECURRING: &[&str] = &[
    "maandelijks",
    "elke maand",
    "iedere maand",
    "wekelijks",
    "driemaandelijks",
    "per kwartaal",
    "twee keer per jaar",
    "tweemaal per jaar",
    "2 keer per jaar",
    "halfjaarlijks",
    "jaarlijks",
    "elk jaar",
    "mensuel",
    "mensuelle",
    "chaque mois",
    "tous les mois",
    "hebdomadaire",
    "trimestriel",
    "trimestrielle",
    "deux fois par an",
    "2 fois par an",
    "semestriel",
    "semestrielle",
    "annuel",
    "annuelle",
    "chaque annee",
    "monthly",
    "every month",
    "weekly",
    "quarterly",
    "twice a year",
    "twice yearly",
    "semi annually",
    "biannually",
    "half yearly",
    "yearly",
    "annually",
    "every year",
];

/// Words that name the end of the manager's mandate.
const END_OF_MANDATE: &[&str] = &[
    "einde mandaat",
    "einde van het mandaat",
    "einde van de mandaat",
    "fin de mandat",
    "fin du mandat",
    "end of mandate",
    "end of the mandate",
    "end of term",
];

/// Leading words that only soften a recurring schedule (`ten minste twee keer per jaar`).
const SOFTENERS: &[&str] = &["ten minste", "minstens", "minimaal", "au moins", "at least"];

/// Leading words that say "by" before a date or period (`tegen eind 2025`, `fin mars 2025`).
const BY_WORDS: &[&str] = &[
    "tegen",
    "uiterlijk",
    "ten laatste",
    "eind",
    "einde",
    "eo",
    "voor",
    "fin",
    "d ici",
    "avant",
    "pour",
    "by",
    "end of",
    "end",
    "before",
];

/// What a deadline cell's text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineText {
    /// Nothing written.
    Empty,
    /// A recognised deadline.
    Deadline(Deadline),
    /// Text that is no deadline.
    Invalid,
}

/// Converts an Excel serial day number to a date, in the 1900 or 1904 date system.
///
/// The 1900 system counts 1900-01-01 as day 1 and keeps Lotus' fictitious 1900-02-29
/// (serial 60), which is read as 1900-02-28. Values outside Excel's range give `None`.
pub fn excel_serial_to_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    // calamine's conversion panics far outside Excel's range (a date-formatted −1e300), and
    // reads serial 0 of the 1900 system as 1899-12-31: guard both before handing over.
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let day = serial.floor();
    if day == 0.0 && !is_1904 {
        return None;
    }
    calamine::ExcelDateTime::new(day, calamine::ExcelDateTimeType::DateTime, is_1904)
        .as_datetime()
        .map(|t| t.date())
}

/// The month number of a Dutch, French or English month name or abbreviation.
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = normalize(word);
    MONTHS.iter().find(|(name, _)| *name == w).map(|(_, m)| *m)
}

/// Reads a calendar date written as text: `2025-03-15`, `15/03/2025`, `15-03-2025`,
/// `15.03.2025`, `15/03/25`, `15 maart 2025`, `1er mars 2025`, `March 15, 2025`,
/// with or without a time part. Numeric dates are day first (Belgium).
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    // ISO with an optional time part, as CSV exports and ODS cells write it.
    let head = text.split(['T', ' ']).next().unwrap_or(text);
    if let Some(d) = parse_numeric_date(head) {
        return Some(d);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '.' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [day, month, year, ..] if month_from_name(month).is_some() => {
            ymd(year_of(year)?, month_from_name(month)?, day_of(day)?)
        }
        [month, day, year, ..] if month_from_name(month).is_some() => {
            ymd(year_of(year)?, month_from_name(month)?, day_of(day)?)
        }
        _ => None,
    }
}

/// A date written with digits only: `2025-03-15`, `15/03/2025`, `15-03-2025`, `15.03.2025`,
/// `15/03/25` (day first, as in Belgium).
pub fn parse_numeric_date(text: &str) -> Option<NaiveDate> {
    let sep = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = text.split(sep).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if parts[0].len() == 4 {
        return ymd(
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        );
    }
    if parts[0].len() > 2 || parts[1].len() > 2 {
        return None;
    }
    let year = match parts[2].len() {
        4 => parts[2].parse().ok()?,
        2 => 2000 + parts[2].parse::<i32>().ok()?,
        _ => return None,
    };
    ymd(year, parts[1].parse().ok()?, parts[0].parse().ok()?)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn year_of(word: &str) -> Option<i32> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        word.parse().ok().filter(|y| (1900..=2200).contains(y))
    } else {
        None
    }
}

fn day_of(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty()
        || !matches!(
            suffix,
            "" | "er" | "e" | "ste" | "de" | "st" | "nd" | "rd" | "th"
        )
    {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

fn starts_with_phrase(text: &str, phrase: &str) -> bool {
    text == phrase
        || text
            .strip_prefix(phrase)
            .is_some_and(|rest| rest.starts_with(' '))
}

fn strip_leading<'a>(text: &'a str, words: &[&str]) -> &'a str {
    let mut rest = text;
    loop {
        let before = rest;
        for w in words {
            if starts_with_phrase(rest, w) {
                rest = rest[w.len()..].trim_start();
            }
        }
        if before == rest {
            return rest;
        }
    }
}

/// Reads a deadline: a date, a month, quarter, half year or year (resolved to its last day),
/// or the special kinds continuous, recurring and end of mandate.
pub fn parse_deadline_text(text: &str) -> DeadlineText {
    if text.trim().is_empty() {
        return DeadlineText::Empty;
    }
    if let Some(d) = parse_date_text(text) {
        return DeadlineText::Deadline(Deadline::Date(d, Precision::Day));
    }
    let n = normalize(text);
    let softened = strip_leading(&n, SOFTENERS);
    for (phrases, kind) in [
        (CONTINUOUS, Deadline::Continuous),
        (RECURRING, Deadline::Recurring),
        (END_OF_MANDATE, Deadline::EndOfMandate),
    ] {
        if phrases.iter().any(|p| starts_with_phrase(softened, p)) {
            return DeadlineText::Deadline(kind);
        }
    }
    let core = strip_leading(&n, BY_WORDS);
    let words: Vec<&str> = core.split(' ').collect();
    match coarse_period(&words) {
        Some((start, precision)) => match period_end(start, precision) {
            Some(end) => DeadlineText::Deadline(Deadline::Date(end, precision)),
            None => DeadlineText::Invalid,
        },
        None => DeadlineText::Invalid,
    }
}

fn period_end(start: NaiveDate, precision: Precision) -> Option<NaiveDate> {
    let months = match precision {
        Precision::Day => return Some(start),
        Precision::Month => 1,
        Precision::Quarter => 3,
        Precision::Half => 6,
        Precision::Year => 12,
    };
    start
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()
}

fn ordinal(word: &str) -> Option<u32> {
    Some(match word {
        "1" | "1e" | "1ste" | "eerste" | "1er" | "1re" | "premier" | "premiere" | "first"
        | "1st" => 1,
        "2" | "2e" | "2de" | "tweede" | "2eme" | "deuxieme" | "second" | "seconde" | "2nd" => 2,
        "3" | "3e" | "3de" | "derde" | "3eme" | "troisieme" | "third" | "3rd" => 3,
        "4" | "4e" | "4de" | "vierde" | "4eme" | "quatrieme" | "fourth" | "4th" => 4,
        _ => return None,
    })
}

/// A quarter or half token such as `q2`, `k2`, `t2`, `s1`, `h1`.
fn period_token(word: &str) -> Option<(Precision, u32)> {
    let mut chars = word.chars();
    let letter = chars.next()?;
    let number: u32 = chars.as_str().parse().ok()?;
    match letter {
        'q' | 'k' | 't' if (1..=4).contains(&number) => Some((Precision::Quarter, number)),
        's' | 'h' if (1..=2).contains(&number) => Some((Precision::Half, number)),
        _ => None,
    }
}

fn numbered_start(year: i32, precision: Precision, number: u32) -> Option<(NaiveDate, Precision)> {
    let month = match precision {
        Precision::Quarter => (number - 1) * 3 + 1,
        Precision::Half => (number - 1) * 6 + 1,
        _ => return None,
    };
    Some((NaiveDate::from_ymd_opt(year, month, 1)?, precision))
}

/// A month, quarter, half year or year from normalised words; returns its first day.
fn coarse_period(words: &[&str]) -> Option<(NaiveDate, Precision)> {
    let month_start = |y: i32, m: u32| Some((NaiveDate::from_ymd_opt(y, m, 1)?, Precision::Month));
    match words {
        [y] if year_of(y).is_some() => {
            Some((NaiveDate::from_ymd_opt(year_of(y)?, 1, 1)?, Precision::Year))
        }
        [ym] if ym.len() == 6 && ym.bytes().all(|b| b.is_ascii_digit()) => month_start(
            year_of(&ym[..4])?,
            ym[4..].parse().ok().filter(|m| (1..=12).contains(m))?,
        ),
        [y, m] if year_of(y).is_some() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
            month_start(
                year_of(y)?,
                m.parse().ok().filter(|m| (1..=12).contains(m))?,
            )
        }
        [m, y] if year_of(y).is_some() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
            month_start(
                year_of(y)?,
                m.parse().ok().filter(|m| (1..=12).contains(m))?,
            )
        }
        [m, y] if year_of(y).is_some() && month_from_name(m).is_some() => {
            month_start(year_of(y)?, month_from_name(m)?)
        }
        [p, y] if year_of(y).is_some() && period_token(p).is_some() => {
            let (precision, n) = period_token(p)?;
            numbered_start(year_of(y)?, precision, n)
        }
        [y, p] if year_of(y).is_some() && period_token(p).is_some() => {
            let (precision, n) = period_token(p)?;
            numbered_start(year_of(y)?, precision, n)
        }
        [ord, unit, y] if year_of(y).is_some() && ordinal(ord).is_some() => {
            let precision = match *unit {
                "kwartaal" | "trimestre" | "quarter" => Precision::Quarter,
                "semester" | "semestre" | "half" | "jaarhelft" => Precision::Half,
                _ => return None,
            };
            numbered_start(year_of(y)?, precision, ordinal(ord)?)
        }
        _ => None,
    }
}

/// Reads a reporting period: a date (its month), `2025-03`, `03/2025`, `202503`, a month name
/// with its year, a quarter (`Q1 2025`, `K1 2025`, `T1 2025`) or a year (`2025`).
pub fn parse_period_text(text: &str) -> Option<Period> {
    if let Some(d) = parse_date_text(text) {
        return Some(Period {
            start: d.with_day(1)?,
            grain: Grain::Month,
        });
    }
    let n = normalize(text);
    let words: Vec<&str> = n.split(' ').collect();
    let (start, precision) = coarse_period(&words)?;
    let grain = match precision {
        Precision::Month => Grain::Month,
        Precision::Quarter => Grain::Quarter,
        Precision::Year => Grain::Year,
        Precision::Day | Precision::Half => return None,
    };
    Some(Period { start, grain })
}

/// The report date a file name carries (`scorebord_2025-03.xlsx`, `202503`, `2025_03`,
/// `maart 2025`, `mars-2025`): the last day of that month.
pub fn period_from_file_name(name: &str) -> Option<NaiveDate> {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let words: Vec<String> = stem
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(normalize)
        .collect();
    // Scan from the end: the date is usually the suffix.
    for i in (0..words.len()).rev() {
        let w = words[i].as_str();
        if w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()) {
            if let (Some(y), Ok(m)) = (year_of(&w[..4]), w[4..].parse::<u32>()) {
                if let Some(d) = last_day_of_month(y, m).filter(|_| (1..=12).contains(&m)) {
                    return Some(d);
                }
            }
        }
        if i + 1 < words.len() {
            let next = words[i + 1].as_str();
            if let Some(y) = year_of(w) {
                if next.len() <= 2 {
                    if let Some(d) = next
                        .parse()
                        .ok()
                        .filter(|m| (1..=12).contains(m))
                        .and_then(|m| last_day_of_month(y, m))
                    {
                        return Some(d);
                    }
                }
            }
            if let (Some(m), Some(y)) = (month_from_name(w), year_of(next)) {
                return last_day_of_month(y, m);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_every_listed_form() {
        let cases = [
            "2025-03-15",
            "15/03/2025",
            "15-03-2025",
            "15.03.2025",
            "15/3/2025",
            "15/03/25",
            "15 maart 2025",
            "15 mars 2025",
            "15 March 2025",
            "March 15, 2025",
            "15-mrt-2025",
            "15 mrt. 2025",
            "2025-03-15T00:00:00",
            "2025-03-15 10:30:00",
            "15 MAART 2025",
        ];
        for text in cases {
            assert_eq!(
                parse_date_text(text),
                Some(d(2025, 3, 15)),
                "input {text:?}"
            );
        }
        assert_eq!(parse_date_text("1er mars 2025"), Some(d(2025, 3, 1)));
        assert_eq!(parse_date_text("1 août 2025"), Some(d(2025, 8, 1)));
        assert_eq!(parse_date_text("3 février 2025"), Some(d(2025, 2, 3)));
    }

    #[test]
    fn numeric_dates_are_day_first() {
        assert_eq!(parse_date_text("03/04/2025"), Some(d(2025, 4, 3)));
        assert_eq!(
            parse_date_text("12/31/2025"),
            None,
            "month-first is not Belgian"
        );
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for text in [
            "31/02/2025",
            "2025-13-01",
            "hello",
            "",
            "15 foo 2025",
            "32/01/2025",
            "1/1/1",
            "maart 2025",
        ] {
            assert_eq!(parse_date_text(text), None, "input {text:?}");
        }
    }

    #[test]
    fn excel_serials_in_both_date_systems() {
        assert_eq!(excel_serial_to_date(45731.0, false), Some(d(2025, 3, 15)));
        assert_eq!(excel_serial_to_date(45731.75, false), Some(d(2025, 3, 15)));
        // The same day is 1462 lower in the 1904 system.
        assert_eq!(excel_serial_to_date(44269.0, true), Some(d(2025, 3, 15)));
        assert_eq!(excel_serial_to_date(1.0, false), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial_to_date(59.0, false), Some(d(1900, 2, 28)));
        assert_eq!(excel_serial_to_date(61.0, false), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial_to_date(-1e300, false), None);
        assert_eq!(excel_serial_to_date(f64::NAN, false), None);
        assert_eq!(excel_serial_to_date(1e12, false), None);
    }

    fn deadline(text: &str) -> DeadlineText {
        parse_deadline_text(text)
    }

    fn dated(y: i32, m: u32, day: u32, p: Precision) -> DeadlineText {
        DeadlineText::Deadline(Deadline::Date(d(y, m, day), p))
    }

    #[test]
    fn deadline_month_resolves_to_last_day_of_month() {
        for text in [
            "maart 2025",
            "mars 2025",
            "March 2025",
            "2025-03",
            "03/2025",
            "3/2025",
            "mrt 2025",
            "Mars-2025",
            "eind maart 2025",
            "fin mars 2025",
        ] {
            assert_eq!(
                deadline(text),
                dated(2025, 3, 31, Precision::Month),
                "input {text:?}"
            );
        }
        assert_eq!(
            deadline("december 2024"),
            dated(2024, 12, 31, Precision::Month)
        );
        assert_eq!(
            deadline("februari 2024"),
            dated(2024, 2, 29, Precision::Month)
        );
    }

    #[test]
    fn deadline_quarter_resolves_to_last_day_of_quarter() {
        for text in [
            "Q2 2025",
            "K2 2025",
            "T2 2025",
            "2025-Q2",
            "q2-2025",
            "2e kwartaal 2025",
            "2e trimestre 2025",
        ] {
            assert_eq!(
                deadline(text),
                dated(2025, 6, 30, Precision::Quarter),
                "input {text:?}"
            );
        }
        assert_eq!(deadline("Q4 2025"), dated(2025, 12, 31, Precision::Quarter));
        assert_eq!(deadline("Q1 2025"), dated(2025, 3, 31, Precision::Quarter));
    }

    #[test]
    fn deadline_half_year_and_year() {
        for text in [
            "S1 2025",
            "H1 2025",
            "1e semester 2025",
            "1er semestre 2025",
            "eerste semester 2025",
        ] {
            assert_eq!(
                deadline(text),
                dated(2025, 6, 30, Precision::Half),
                "input {text:?}"
            );
        }
        assert_eq!(deadline("S2 2025"), dated(2025, 12, 31, Precision::Half));
        assert_eq!(deadline("2025"), dated(2025, 12, 31, Precision::Year));
        assert_eq!(
            deadline("tegen eind 2025"),
            dated(2025, 12, 31, Precision::Year)
        );
    }

    #[test]
    fn deadline_special_kinds() {
        for text in [
            "doorlopend",
            "Doorlopend vanaf maart 2025",
            "continu",
            "en continu",
            "permanent",
            "ongoing",
            "Continuous",
            "het hele jaar - afhankelijk van de mogelijkheden",
        ] {
            assert_eq!(
                deadline(text),
                DeadlineText::Deadline(Deadline::Continuous),
                "input {text:?}"
            );
        }
        for text in [
            "maandelijks",
            "elke maand",
            "twee keer per jaar voor de algemene vergaderingen",
            "ten minste twee keer per jaar",
            "halfjaarlijks",
            "jaarlijks",
            "mensuel",
            "deux fois par an",
            "semestriel",
            "annuel",
            "monthly",
            "twice a year",
            "yearly",
        ] {
            assert_eq!(
                deadline(text),
                DeadlineText::Deadline(Deadline::Recurring),
                "input {text:?}"
            );
        }
        for text in ["einde mandaat", "Fin de mandat", "end of mandate"] {
            assert_eq!(
                deadline(text),
                DeadlineText::Deadline(Deadline::EndOfMandate),
                "input {text:?}"
            );
        }
    }

    #[test]
    fn deadline_exact_date_and_bad_text() {
        assert_eq!(deadline("30/06/2025"), dated(2025, 6, 30, Precision::Day));
        assert_eq!(deadline(""), DeadlineText::Empty);
        assert_eq!(deadline("  "), DeadlineText::Empty);
        for text in [
            "asap",
            "Q5 2025",
            "13/2025",
            "volgens het tijdschema",
            "S3 2025",
            "maart",
        ] {
            assert_eq!(deadline(text), DeadlineText::Invalid, "input {text:?}");
        }
    }

    #[test]
    fn periods_in_every_listed_form() {
        let march = Period {
            start: d(2025, 3, 1),
            grain: Grain::Month,
        };
        for text in [
            "2025-03",
            "03/2025",
            "202503",
            "maart 2025",
            "mars 2025",
            "March 2025",
            "15/03/2025",
            "2025-03-31",
        ] {
            assert_eq!(parse_period_text(text), Some(march), "input {text:?}");
        }
        assert_eq!(
            parse_period_text("januari 2025").map(|p| p.to_string()),
            Some("2025-01".into())
        );
        assert_eq!(
            parse_period_text("janvier 2025").map(|p| p.to_string()),
            Some("2025-01".into())
        );
        assert_eq!(
            parse_period_text("Q1 2025").map(|p| p.to_string()),
            Some("2025-Q1".into())
        );
        assert_eq!(
            parse_period_text("K3 2025").map(|p| p.to_string()),
            Some("2025-Q3".into())
        );
        assert_eq!(
            parse_period_text("T4 2025").map(|p| p.to_string()),
            Some("2025-Q4".into())
        );
        assert_eq!(
            parse_period_text("2025").map(|p| p.to_string()),
            Some("2025".into())
        );
        assert_eq!(
            parse_period_text("S1 2025"),
            None,
            "halves are no reporting period"
        );
        assert_eq!(parse_period_text("soon"), None);
    }

    #[test]
    fn file_names_carry_the_report_month() {
        let cases = [
            ("inbox/scorebord_DSE_2025-03.xlsx", d(2025, 3, 31)),
            ("scorebord 202502.xls", d(2025, 2, 28)),
            ("tableau_2025_04.ods", d(2025, 4, 30)),
            ("Scorebord maart 2025.xlsx", d(2025, 3, 31)),
            ("tableau-de-bord-mars-2025.csv", d(2025, 3, 31)),
        ];
        for (name, expected) in cases {
            assert_eq!(period_from_file_name(name), Some(expected), "name {name:?}");
        }
        assert_eq!(period_from_file_name("scorebord_final.xlsx"), None);
        assert_eq!(period_from_file_name("scorebord_2025.xlsx"), None);
    }
}
