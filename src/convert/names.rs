//! Names of converted outputs: file names safe on Windows, macOS and Linux, unique where those
//! systems compare names case-insensitively; sheet names valid for Excel. Pure functions.

use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// Longest part (file stem or sheet) of an output name, in bytes: `<file>__<sheet>.parquet`
/// with a suffix stays below the 255-byte limit of common file systems.
const MAX_PART_BYTES: usize = 110;

/// Windows device names, reserved with any extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Text made safe as (part of) a file name everywhere: NFC (macOS compares names
/// normalisation-insensitively), no `< > : " / \ | ? *` or control characters (Windows), no
/// leading dot (hidden on Unix) or trailing dot or space (Windows drops them), not a Windows
/// device name, at most [`MAX_PART_BYTES`] bytes, never empty.
pub fn safe_part(text: &str) -> String {
    let mut s: String = text
        .nfc()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.len() > MAX_PART_BYTES {
        let mut end = MAX_PART_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    let s = s.trim_start_matches(' ').trim_end_matches(['.', ' ']);
    let mut s = match s.strip_prefix('.') {
        Some(rest) => format!("_{rest}"),
        None => s.to_string(),
    };
    if s.is_empty() {
        s.push('_');
    }
    let stem = s
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end()
        .to_lowercase();
    if RESERVED.contains(&stem.as_str()) {
        s.insert(0, '_');
    }
    s
}

/// The key under which two names are the same file on a case-insensitive file system.
fn key(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase()
}

/// Claims `name` in `taken`, or `name-2`, `name-3`, … when it (case-insensitively) is already.
fn claim(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(key(&name)) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| taken.insert(key(candidate)))
        .unwrap_or(name)
}

/// One base name per input file, from its stem, unique case-insensitively over the batch in
/// input order (`a.xls` and `a.ods` become `a` and `a-2`). A base never contains `__`, which
/// separates it from the sheet in `<file>__<sheet>.csv`: outputs of two inputs never collide.
pub fn file_bases<'a>(stems: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    stems
        .into_iter()
        .map(|stem| {
            let mut base = safe_part(stem);
            while base.contains("__") {
                base = base.replace("__", "_");
            }
            claim(base, &mut taken)
        })
        .collect()
}

/// The output file of one sheet: `<base>__<sheet>.<ext>`, sheet parts unique within the file
/// (case-insensitively; `A/B` and `A:B` both read `A_B` and get `A_B` and `A_B-2`).
pub fn sheet_files(base: &str, sheets: &[&str], ext: &str) -> Vec<String> {
    let mut taken = HashSet::new();
    sheets
        .iter()
        .map(|sheet| format!("{base}__{}.{ext}", claim(safe_part(sheet), &mut taken)))
        .collect()
}

/// Excel sheet names for the given names, in order: `[ ] : * ? / \` replaced, no apostrophe at
/// either end, at most 31 characters (UTF-16 units), never empty, unique case-insensitively.
pub fn excel_sheet_names(names: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let cleaned: String = name
                .chars()
                .map(|c| {
                    if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let cleaned = cleaned.trim_matches('\'');
            let base = if cleaned.is_empty() {
                format!("Sheet{}", i + 1)
            } else {
                cleaned.to_string()
            };
            (1..)
                .map(|n| {
                    let suffix = if n == 1 {
                        String::new()
                    } else {
                        format!(" ({n})")
                    };
                    let room = 31 - suffix.encode_utf16().count();
                    let mut head = String::new();
                    for c in base.chars() {
                        if head.encode_utf16().count() + c.len_utf16() > room {
                            break;
                        }
                        head.push(c);
                    }
                    let head = head.trim_end_matches('\'');
                    format!("{head}{suffix}")
                })
                .find(|candidate| taken.insert(candidate.to_lowercase()))
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_on_every_system() {
        for (text, safe) in [
            ("Acties 2025", "Acties 2025"),
            ("Q1/Q2: plan?", "Q1_Q2_ plan_"),
            ("a<b>c|d\"e*f\\g", "a_b_c_d_e_f_g"),
            ("tab\there", "tab_here"),
            (".hidden", "_hidden"),
            ("trailing. ", "trailing"),
            ("  lead", "lead"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("Com1 ", "_Com1"),
            ("console", "console"),
            ("", "_"),
            ("...", "_"),
            ("Bl\u{61}\u{301}d", "Bl\u{e1}d"),
        ] {
            assert_eq!(safe_part(text), safe, "{text:?}");
        }
        let long = "é".repeat(100);
        let cut = safe_part(&long);
        assert!(cut.len() <= MAX_PART_BYTES && cut.chars().all(|c| c == 'é'));
    }

    #[test]
    fn bases_are_unique_case_insensitively_and_never_hold_the_separator() {
        assert_eq!(
            file_bases(["a", "A", "a-2", "b__c", "b_c", "Café", "Cafe\u{301}"]),
            vec!["a", "A-2", "a-2-2", "b_c", "b_c-2", "Café", "Café-2"]
        );
    }

    #[test]
    fn sheet_files_collide_only_with_a_suffix() {
        assert_eq!(
            sheet_files("tb", &["A/B", "A:B", "a_b", "Blad1"], "csv"),
            vec![
                "tb__A_B.csv",
                "tb__A_B-2.csv",
                "tb__a_b-3.csv",
                "tb__Blad1.csv"
            ]
        );
    }

    #[test]
    fn sheet_names_follow_excel_rules() {
        let names: Vec<String> = [
            "Acties",
            "ACTIES",
            "Q1/Q2 [draft]",
            "'quoted'",
            "",
            "a very long sheet name from an ods file",
            "a very long sheet name from an ods file too",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            excel_sheet_names(&names),
            vec![
                "Acties",
                "ACTIES (2)",
                "Q1_Q2 _draft_",
                "quoted",
                "Sheet5",
                "a very long sheet name from an ",
                "a very long sheet name from (2)",
            ]
        );
        for name in excel_sheet_names(&names) {
            rust_xlsxwriter::utility::check_sheet_name(&name).unwrap();
        }
    }
}
