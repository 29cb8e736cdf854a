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

/// The key under which group values (a directorate, a unit, a channel, an indicator, an
/// action id) are compared (spec §3): trimmed, inner whitespace collapsed, case and accents
/// folded; punctuation kept (`SD 1` and `SD-1` stay two). `Contrôle de la disponibilité`,
/// `CONTROLE DE LA  DISPONIBILITE` → `controle de la disponibilite`.
pub fn fold_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_whitespace() {
            pending_space = true;
            return;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        for lower in c.to_lowercase() {
            match lower {
                'œ' => out.push_str("oe"),
                'æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                other => out.push(other),
            }
        }
    };
    if text.is_ascii() {
        // Most ids and names: no accent to take off, no decomposition to pay for.
        for c in text.chars() {
            push(c, &mut out);
        }
    } else {
        for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
            push(c, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold_key, normalize};

    #[test]
    fn group_keys_fold_case_accents_and_spaces_but_not_punctuation() {
        let cases = [
            ("Werkgevers", "werkgevers"),
            (" werkgevers ", "werkgevers"),
            ("Eerste  lijn", "eerste lijn"),
            ("SD 1", "sd 1"),
            ("sd\u{a0}1", "sd 1"),
            (
                "Contrôle de la disponibilité",
                "controle de la disponibilite",
            ),
            (
                "CONTRÔLE DE LA DISPONIBILITÉ",
                "controle de la disponibilite",
            ),
            (
                "Controle de la disponibilite",
                "controle de la disponibilite",
            ),
            ("HRM  001", "hrm 001"),
            ("SD-1", "sd-1"),
            ("Œuvre", "oeuvre"),
        ];
        for (text, key) in cases {
            assert_eq!(fold_key(text), key, "{text:?}");
        }
    }

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
