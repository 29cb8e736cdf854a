//! Numbers and percentages written as text by Belgian, French and English spreadsheets.
//! Decimal comma or point, thousands as `.`, space, no-break space or `'`; `€` and `%` allowed.

/// A number read from text, with whether it carried a `%` sign.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParsedNumber {
    /// The value as written (75 for `75 %`).
    pub value: f64,
    /// True when the text had a `%` sign.
    pub percent_sign: bool,
}

/// Reads `1.234,5`, `1 234,5`, `1,234.5`, `12,5 %`, `€ 1.200`, `-3`.
///
/// One separator kind only: a comma is a decimal comma (Belgian default) unless it appears
/// more than once; a point is a decimal point unless it appears more than once or it is
/// followed by exactly three digits after a non-zero integer part (`12.500` is twelve thousand
/// five hundred, as a Belgian writes it; `0.750` stays three quarters).
pub fn parse_number_text(text: &str) -> Option<ParsedNumber> {
    let mut percent_sign = false;
    let mut body = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '%' => percent_sign = true,
            '€' | ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' => {}
            '−' => body.push('-'),
            _ => body.push(c),
        }
    }
    let body = body.trim_start_matches("EUR").trim_end_matches("EUR");
    let (negative, digits) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    if digits.is_empty()
        || !digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let commas = digits.matches(',').count();
    let points = digits.matches('.').count();
    let canonical = match (commas, points) {
        (0, 0) => digits.to_string(),
        (_, 0) if commas > 1 => thousands_only(digits, ',')?,
        (1, 0) => digits.replace(',', "."),
        (0, _) if points > 1 => thousands_only(digits, '.')?,
        (0, 1) => {
            let (int, frac) = digits.split_once('.')?;
            if frac.len() == 3 && !int.trim_start_matches('0').is_empty() {
                format!("{int}{frac}")
            } else {
                digits.to_string()
            }
        }
        _ => {
            // Both kinds: the last one is the decimal separator.
            let last_comma = digits.rfind(',')?;
            let last_point = digits.rfind('.')?;
            let (thousands, decimal) = if last_comma > last_point {
                ('.', ',')
            } else {
                (',', '.')
            };
            if digits.matches(decimal).count() != 1 {
                return None;
            }
            digits.replace(thousands, "").replace(decimal, ".")
        }
    };
    if canonical.starts_with('.') || canonical.ends_with('.') {
        return None;
    }
    let value: f64 = canonical.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    Some(ParsedNumber {
        value: if negative { -value } else { value },
        percent_sign,
    })
}

/// `1.234.567` → `1234567`, checking every group after the first has three digits.
fn thousands_only(digits: &str, sep: char) -> Option<String> {
    let mut groups = digits.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 {
        return None;
    }
    let mut out = first.to_string();
    for g in groups {
        if g.len() != 3 {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

/// Reads a percentage as a fraction 0..1: `75%`, `75 %`, `0,75`, `75` (a value above 1 in a
/// percentage column is read as a percent).
pub fn parse_percent_text(text: &str) -> Option<f64> {
    let n = parse_number_text(text)?;
    Some(percent_to_fraction(n.value, n.percent_sign))
}

/// A number from a percentage column as a fraction: `%` sign or a value above 1 means percent.
pub fn percent_to_fraction(value: f64, percent_sign: bool) -> f64 {
    if percent_sign || value > 1.0 {
        value / 100.0
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_belgian_french_and_english_form() {
        let cases: &[(&str, f64)] = &[
            ("1234", 1234.0),
            ("1.234,5", 1234.5),
            ("1 234,5", 1234.5),
            ("1\u{a0}234,5", 1234.5),
            ("1\u{202f}234,5", 1234.5),
            ("1,234.5", 1234.5),
            ("1'234.5", 1234.5),
            ("12,5", 12.5),
            ("0.75", 0.75),
            ("12.500", 12500.0),
            ("0.750", 0.75),
            ("1.234.567", 1234567.0),
            ("1,234,567", 1234567.0),
            ("€ 1.200", 1200.0),
            ("1.200 €", 1200.0),
            ("EUR 15", 15.0),
            ("-3,5", -3.5),
            ("−3,5", -3.5),
            ("+7", 7.0),
        ];
        for (text, expected) in cases {
            let got = parse_number_text(text).map(|n| n.value);
            assert_eq!(got, Some(*expected), "input {text:?}");
        }
    }

    #[test]
    fn non_numbers_are_rejected() {
        for text in [
            "", "abc", "12a", "1,2,3", "1.2.3", "1,2.3,4", ".", ",5,", "12.", "1..2", "--1", "inf",
            "NaN",
        ] {
            assert_eq!(parse_number_text(text), None, "input {text:?}");
        }
    }

    #[test]
    fn percentages_become_fractions() {
        let cases: &[(&str, f64)] = &[
            ("75%", 0.75),
            ("75 %", 0.75),
            ("0,75", 0.75),
            ("75", 0.75),
            ("100", 1.0),
            ("1", 1.0),
            ("0", 0.0),
            ("12,5%", 0.125),
        ];
        for (text, expected) in cases {
            let got = parse_percent_text(text).unwrap();
            assert!((got - expected).abs() < 1e-12, "input {text:?}: {got}");
        }
    }
}
