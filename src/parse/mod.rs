//! Pure value parsers: text or a spreadsheet cell in, a typed value out.
//! No I/O, no issues: callers decide what an unreadable value means for their row.

mod dates;
mod numbers;
#[cfg(test)]
mod properties;
mod vocab;

pub use dates::{
    excel_serial_to_date, month_from_name, parse_date_text, parse_deadline_text,
    parse_numeric_date, parse_period_text, period_from_file_name, DeadlineText,
};
pub use numbers::{parse_number_text, parse_percent_text, percent_to_fraction, ParsedNumber};
pub use vocab::{parse_polarity, parse_status, parse_yes_no, NO_OPINION};

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Normalises a header or vocabulary word: case-folded, accents removed, punctuation and
/// whitespace (line breaks included) collapsed to one space, a trailing `:` or `*` dropped.
///
/// `"Échéance :"` and `"echeance"` normalise alike; `"Actie-ID*"` becomes `"actie id"`.
pub fn normalize(text: &str) -> String {
    let trimmed = text.trim().trim_end_matches([':', '*', ' ']);
    let mut out = String::with_capacity(trimmed.len());
    let mut pending_space = false;
    for c in trimmed.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for lower in c.to_lowercase() {
                // Ligatures do not decompose: `Mise en œuvre` must match `mise en oeuvre`.
                match lower {
                    'œ' => out.push_str("oe"),
                    'æ' => out.push_str("ae"),
                    'ß' => out.push_str("ss"),
                    other => out.push(other),
                }
            }
        } else {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalize_folds_case_accents_punctuation_and_line_breaks() {
        let cases = [
            ("Échéance :", "echeance"),
            ("Actie-ID*", "actie id"),
            (
                "  Verantwoordelijke\ndirectie ",
                "verantwoordelijke directie",
            ),
            ("N° action", "n action"),
            ("Date de réalisation", "date de realisation"),
            ("% complete", "complete"),
            ("Économie prévue (€)", "economie prevue"),
            ("Mise en Œuvre", "mise en oeuvre"),
            ("mise en œuvre", "mise en oeuvre"),
            ("Cæsar", "caesar"),
            ("Straße", "strasse"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input {input:?}");
        }
    }
}
