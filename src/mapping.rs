//! Column mappings saved into `scoreboard.toml` (spec §11): a directorate's header text added
//! as an alias of a kind's column, under `[aliases.<kind>]`, with toml_edit so the file keeps
//! its comments and layout. The next run, and next month's file with the same header, are
//! recognised by themselves.

use crate::schema::KINDS;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

/// Why a mapping cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// Not a table kind.
    #[error("“{0}” is not a table kind (actions, absence_monthly, absence_spells, headcount, indicators, satisfaction, satisfaction_scores, proposals)")]
    Kind(String),
    /// Not a column of the kind.
    #[error("“{column}” is not a column of {kind}; its columns: {known}")]
    Column {
        /// The kind.
        kind: String,
        /// The column asked for.
        column: String,
        /// The kind's columns.
        known: String,
    },
    /// An empty header text.
    #[error("the header text for {0} is empty")]
    Empty(String),
    /// A header that would name two columns of the kind.
    #[error("“{header}” cannot name both {column} and {other} of {kind}")]
    Ambiguous {
        /// The header.
        header: String,
        /// The column it was given for.
        column: String,
        /// The column it names already (or is given for too).
        other: String,
        /// The kind.
        kind: String,
    },
    /// The configuration is not TOML, or would not be valid with the mapping.
    #[error("scoreboard.toml: {0}")]
    Config(String),
}

/// The config text as a document toml_edit keeps the comments and layout of.
fn document(text: &str) -> Result<DocumentMut, MappingError> {
    text.parse()
        .map_err(|e: toml_edit::TomlError| MappingError::Config(e.to_string()))
}

/// The kind named, once each `(column, header)` is checked to be one of its columns and a
/// header with something visible in it.
fn checked(
    kind: &str,
    pairs: &[(String, String)],
) -> Result<&'static crate::schema::KindDef, MappingError> {
    let def = KINDS
        .iter()
        .find(|k| k.name == kind)
        .ok_or_else(|| MappingError::Kind(kind.to_string()))?;
    for (column, header) in pairs {
        if !def.columns.iter().any(|c| c.name == column) {
            let known: Vec<&str> = def.columns.iter().map(|c| c.name).collect();
            return Err(MappingError::Column {
                kind: kind.to_string(),
                column: column.clone(),
                known: known.join(", "),
            });
        }
        if crate::parse::normalize(header).is_empty() {
            return Err(MappingError::Empty(column.clone()));
        }
    }
    Ok(def)
}

/// `text` (a `scoreboard.toml`, possibly empty) with each `(column, header)` of `kind` added as
/// an alias, comments and layout kept; a header already there is not added twice. Returns the
/// new text and how many aliases were added.
///
/// # Errors
/// [`MappingError`] for an unknown kind or column, an empty header, a text that is not TOML,
/// or a result the configuration would refuse.
pub fn add_aliases(
    text: &str,
    kind: &str,
    pairs: &[(String, String)],
) -> Result<(String, usize), MappingError> {
    let def = checked(kind, pairs)?;
    // A header names one column of a kind: not two of the mapping, nor another column's own.
    let norm = crate::parse::normalize;
    for (i, (column, header)) in pairs.iter().enumerate() {
        let h = norm(header);
        let twice = pairs[..i]
            .iter()
            .find(|(c, other)| c != column && norm(other) == h);
        let built_in = def
            .columns
            .iter()
            .find(|c| c.name != column && c.aliases.all().any(|(_, a)| norm(a) == h));
        if let Some(other) = twice.map(|(c, _)| c.as_str()).or(built_in.map(|c| c.name)) {
            return Err(MappingError::Ambiguous {
                header: header.trim().to_string(),
                column: column.clone(),
                other: other.to_string(),
                kind: kind.to_string(),
            });
        }
    }
    // A built-in name of the column itself needs no alias.
    let pairs: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(column, header)| {
            let h = norm(header);
            !def.columns.iter().any(|c| {
                c.name == column
                    && (norm(c.name) == h || c.aliases.all().any(|(_, a)| norm(a) == h))
            })
        })
        .collect();
    if pairs.is_empty() {
        return Ok((text.to_string(), 0));
    }
    let mut doc = document(text)?;
    let aliases = doc
        .entry("aliases")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or_else(|| MappingError::Config("`aliases` is not a table".into()))?;
    let table = aliases
        .entry(kind)
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or_else(|| MappingError::Config(format!("`aliases.{kind}` is not a table")))?;
    let mut added = 0;
    for (column, header) in pairs {
        let header = header.trim();
        let entry = table
            .entry(column)
            .or_insert(Item::Value(Value::Array(Array::new())));
        let list = entry.as_array_mut().ok_or_else(|| {
            MappingError::Config(format!("`aliases.{kind}.{column}` is not a list"))
        })?;
        if !list.iter().any(|v| v.as_str() == Some(header)) {
            list.push(header);
            added += 1;
        }
    }
    let out = doc.to_string();
    crate::config::Settings::validated(&out).map_err(MappingError::Config)?;
    Ok((out, added))
}

/// One edit of the config at a time in this process: the page's saves and undos read, change
/// and write the whole file, and two at once would lose one.
static EDITING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Reads the config at `path` (empty when missing), lets `edit` change its text, and writes
/// the result when there is one: atomically, where a symbolic link points, keeping the file's
/// mode; one edit at a time in this process. Returns `edit`'s value.
///
/// # Errors
/// `edit`'s error, or an I/O error as text.
pub fn edit_config<T>(
    path: &std::path::Path,
    edit: impl FnOnce(&str) -> Result<(Option<String>, T), String>,
) -> Result<T, String> {
    use std::io::Write;
    let _one_at_a_time = EDITING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.to_string()),
    };
    let (out, value) = edit(&text)?;
    if let Some(out) = out.filter(|o| *o != text) {
        let mode = std::fs::metadata(&target).ok().map(|m| m.permissions());
        crate::write::save_atomically_with(&target, |file| {
            if let Some(mode) = mode {
                file.set_permissions(mode)?;
            }
            file.write_all(out.as_bytes())
        })
        .map_err(|e| e.to_string())?;
    }
    Ok(value)
}

/// A sheet rule: its file-name pattern and sheet, the header row when it is not to be searched
/// for, and the kind's columns as that sheet heads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRule {
    /// Text the file's path contains.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The table kind.
    pub kind: String,
    /// The header row (1-based), if fixed.
    pub header_row: Option<u32>,
    /// (column, header) pairs.
    pub columns: Vec<(String, String)>,
}

/// `text` with a `[[sheets]]` rule for `rule.file` and `rule.sheet` added (or that rule
/// updated: its kind, header row and columns), comments and layout kept. For headers too
/// generic to be aliases everywhere (`Datum`, `Kolom 2`).
///
/// # Errors
/// [`MappingError`] as for [`add_aliases`], and when the result would not be valid.
pub fn add_sheet_rule(text: &str, rule: &SheetRule) -> Result<String, MappingError> {
    checked(&rule.kind, &rule.columns)?;
    let norm = crate::parse::normalize;
    for (i, (column, header)) in rule.columns.iter().enumerate() {
        if let Some((other, _)) = rule.columns[..i]
            .iter()
            .find(|(c, h)| c != column && norm(h) == norm(header))
        {
            return Err(MappingError::Ambiguous {
                header: header.trim().to_string(),
                column: column.clone(),
                other: other.clone(),
                kind: rule.kind.clone(),
            });
        }
    }
    let mut doc = document(text)?;
    let sheets = doc
        .entry("sheets")
        .or_insert_with(|| Item::ArrayOfTables(toml_edit::ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| MappingError::Config("`sheets` is not a list of [[sheets]]".into()))?;
    let same = |t: &Table| {
        t.get("file").and_then(Item::as_str) == Some(rule.file.as_str())
            && t.get("sheet").and_then(Item::as_str) == Some(rule.sheet.as_str())
    };
    let found = sheets.iter().position(same);
    let index = match found {
        Some(i) => i,
        None => {
            // A new rule goes first: the first rule that matches a sheet is the one applied,
            // and the rule made for this file must not lose to a broader one made before.
            let mut t = Table::new();
            t.insert("file", toml_edit::value(rule.file.as_str()));
            t.insert("sheet", toml_edit::value(rule.sheet.as_str()));
            let mut all: Vec<Table> = std::iter::once(t).chain(sheets.iter().cloned()).collect();
            sheets.clear();
            for t in all.drain(..) {
                sheets.push(t);
            }
            0
        }
    };
    let table = sheets
        .get_mut(index)
        .ok_or_else(|| MappingError::Config("[[sheets]]".into()))?;
    table.insert("kind", toml_edit::value(rule.kind.as_str()));
    if let Some(row) = rule.header_row {
        table.insert("header_row", toml_edit::value(i64::from(row)));
    }
    if !rule.columns.is_empty() {
        let columns = table
            .entry("columns")
            .or_insert_with(|| Item::Value(Value::InlineTable(toml_edit::InlineTable::new())))
            .as_table_like_mut()
            .ok_or_else(|| MappingError::Config("`columns` is not a table".into()))?;
        for (column, header) in &rule.columns {
            columns.insert(column, toml_edit::value(header.trim()));
        }
        if let Some(inline) = table.get_mut("columns").and_then(Item::as_inline_table_mut) {
            inline.fmt();
        }
    }
    let out = doc.to_string();
    crate::config::Settings::validated(&out).map_err(MappingError::Config)?;
    Ok(out)
}

/// `text` without the alias `header` of `kind`'s `column` (a list left empty goes, and so
/// does a kind's table left empty), comments and layout kept. Returns the new text and whether
/// the alias was there.
///
/// # Errors
/// [`MappingError::Config`] for a text that is not TOML.
pub fn remove_alias(
    text: &str,
    kind: &str,
    column: &str,
    header: &str,
) -> Result<(String, bool), MappingError> {
    let mut doc = document(text)?;
    let mut found = false;
    if let Some(aliases) = doc.get_mut("aliases").and_then(Item::as_table_like_mut) {
        if let Some(table) = aliases.get_mut(kind).and_then(Item::as_table_like_mut) {
            if let Some(list) = table.get_mut(column).and_then(Item::as_array_mut) {
                let before = list.len();
                list.retain(|v| v.as_str().map(str::trim) != Some(header.trim()));
                found = list.len() < before;
                if list.is_empty() {
                    table.remove(column);
                }
            }
            if table.is_empty() {
                aliases.remove(kind);
            }
        }
        if aliases.is_empty() {
            doc.remove("aliases");
        }
    }
    Ok((doc.to_string(), found))
}

/// `text` without the `[[sheets]]` rule for `file` and `sheet`, comments and layout kept.
/// Returns the new text and whether the rule was there.
///
/// # Errors
/// [`MappingError::Config`] for a text that is not TOML.
pub fn remove_sheet_rule(
    text: &str,
    file: &str,
    sheet: &str,
) -> Result<(String, bool), MappingError> {
    let mut doc = document(text)?;
    let mut found = false;
    if let Some(sheets) = doc.get_mut("sheets").and_then(Item::as_array_of_tables_mut) {
        let before = sheets.len();
        sheets.retain(|t| {
            !(t.get("file").and_then(Item::as_str) == Some(file)
                && t.get("sheet").and_then(Item::as_str) == Some(sheet))
        });
        found = sheets.len() < before;
        if sheets.is_empty() {
            doc.remove("sheets");
        }
    }
    Ok((doc.to_string(), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule for ICT's "Acties" sheet: header in row 3, "Datum" its deadline.
    fn ict_rule() -> SheetRule {
        SheetRule {
            file: "ICT".into(),
            sheet: "Acties".into(),
            kind: "actions".into(),
            header_row: Some(3),
            columns: vec![("deadline".into(), "Datum".into())],
        }
    }

    #[test]
    fn an_alias_is_added_and_the_comments_stay() {
        let text = "# Our service's settings\n[plan]\nmandate_end = 2026-06-30 # end of term\n\n\
                    [aliases.actions]\n# Pôle is the French directorates' word\nowner = [\"Pôle\"]\n";
        let pairs = [
            ("deadline".to_string(), "Uiterste datum".to_string()),
            ("owner".to_string(), "Cel".to_string()),
        ];
        let (out, added) = add_aliases(text, "actions", &pairs).unwrap();
        assert_eq!(added, 2);
        assert!(
            out.starts_with(
                "# Our service's settings\n[plan]\nmandate_end = 2026-06-30 # end of term\n"
            ),
            "{out}"
        );
        assert!(
            out.contains("# Pôle is the French directorates' word\nowner = [\"Pôle\", \"Cel\"]"),
            "{out}"
        );
        assert!(out.contains("deadline = [\"Uiterste datum\"]"), "{out}");
        let (again, added) = add_aliases(&out, "actions", &pairs).unwrap();
        assert_eq!((again.as_str(), added), (out.as_str(), 0), "nothing twice");
        let (fresh, _) =
            add_aliases("", "indicators", &[("target".into(), "Te halen".into())]).unwrap();
        assert_eq!(
            fresh.trim(),
            "[aliases.indicators]\ntarget = [\"Te halen\"]"
        );
    }

    #[test]
    fn a_mapping_is_undone_and_only_it_goes() {
        let text = "# ours\n[plan]\nmandate_end = 2026-06-30\n\n[aliases.actions]\n# kept\nowner = [\"Pôle\"]\n";
        let pairs = [
            ("deadline".to_string(), "Uiterste datum".to_string()),
            ("owner".to_string(), "Cel".to_string()),
            // A built-in name of the column itself: nothing to save.
            ("status".to_string(), "Stand van zaken".to_string()),
        ];
        let (out, added) = add_aliases(text, "actions", &pairs).unwrap();
        assert_eq!(added, 2, "{out}");
        assert!(!out.contains("Stand van zaken"), "{out}");
        let (out, found) = remove_alias(&out, "actions", "deadline", "Uiterste datum").unwrap();
        assert!(found);
        let (out, found) = remove_alias(&out, "actions", "owner", "Cel").unwrap();
        assert!(found);
        assert_eq!(out, text, "back to the text before, comments kept");
        let (same, found) = remove_alias(&out, "actions", "owner", "Cel").unwrap();
        assert!(!found);
        assert_eq!(same, text);
        let (none, _) = remove_alias(&out, "actions", "owner", "Pôle").unwrap();
        assert_eq!(
            none, "# ours\n[plan]\nmandate_end = 2026-06-30\n",
            "an emptied table goes"
        );

        let rule = ict_rule();
        let with = add_sheet_rule(text, &rule).unwrap();
        // A newer rule goes first: it is the one a sheet both match is read with.
        let broader = SheetRule {
            file: "planning".into(),
            ..rule.clone()
        };
        let both = add_sheet_rule(&with, &broader).unwrap();
        let first = both.find("file = \"planning\"").unwrap();
        assert!(first < both.find("file = \"ICT\"").unwrap(), "{both}");
        let (with, _) = remove_sheet_rule(&both, "planning", "Acties").unwrap();
        let (without, found) = remove_sheet_rule(&with, "ICT", "Acties").unwrap();
        assert!(found);
        assert_eq!(without.trim_end(), text.trim_end(), "{without}");
        assert!(!remove_sheet_rule(&without, "ICT", "Acties").unwrap().1);
    }

    #[test]
    fn a_mapping_the_configuration_would_refuse_is_not_saved() {
        let pair = |c: &str, h: &str| vec![(c.to_string(), h.to_string())];
        assert!(matches!(
            add_aliases("", "acties", &pair("deadline", "x")),
            Err(MappingError::Kind(_))
        ));
        assert!(matches!(
            add_aliases("", "actions", &pair("dedline", "x")),
            Err(MappingError::Column { .. })
        ));
        assert!(matches!(
            add_aliases("", "actions", &pair("deadline", " ")),
            Err(MappingError::Empty(_))
        ));
        assert!(matches!(
            add_aliases("[plan", "actions", &pair("deadline", "x")),
            Err(MappingError::Config(_))
        ));
        // One header for two columns of a kind: the schema refuses it.
        let two = vec![
            ("deadline".to_string(), "Datum".to_string()),
            ("completed_on".to_string(), "Datum".to_string()),
        ];
        assert!(matches!(
            add_aliases("", "actions", &two),
            Err(MappingError::Ambiguous { .. })
        ));
        // Nor for a rule; and an invisible header is no header.
        let rule = SheetRule {
            file: "ICT".into(),
            sheet: "Acties".into(),
            kind: "actions".into(),
            header_row: None,
            columns: two,
        };
        assert!(matches!(
            add_sheet_rule("", &rule),
            Err(MappingError::Ambiguous { .. })
        ));
        assert!(matches!(
            add_aliases("", "actions", &pair("deadline", "\u{200b}")),
            Err(MappingError::Empty(_))
        ));
        // What the next run would refuse is refused now: a header row beyond the 30 searched.
        let deep = SheetRule {
            header_row: Some(35),
            columns: vec![("deadline".into(), "Datum".into())],
            ..rule
        };
        assert!(matches!(
            add_sheet_rule("", &deep),
            Err(MappingError::Config(_))
        ));
    }

    #[test]
    fn the_config_is_edited_where_its_link_points_with_its_mode_one_edit_at_a_time() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "# ours\n[plan]\nmandate_end = 2026-06-30\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("scoreboard.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let threads: Vec<_> = (0..12)
            .map(|i| {
                let link = link.clone();
                std::thread::spawn(move || {
                    edit_config(&link, |text| {
                        let pair = [("objective".to_string(), format!("Doel {i}"))];
                        let (out, _) =
                            add_aliases(text, "actions", &pair).map_err(|e| e.to_string())?;
                        Ok((Some(out), ()))
                    })
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap().unwrap();
        }
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        let text = std::fs::read_to_string(&real).unwrap();
        assert!(text.starts_with("# ours\n[plan]\n"), "{text}");
        for i in 0..12 {
            assert!(
                text.contains(&format!("\"Doel {i}\"")),
                "Doel {i} lost: {text}"
            );
        }
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn a_sheet_rule_is_added_then_updated_and_the_comments_stay() {
        let text = "# ours\n[plan]\nmandate_end = 2026-06-30\n";
        let rule = ict_rule();
        let out = add_sheet_rule(text, &rule).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(out.contains("[[sheets]]\nfile = \"ICT\"\nsheet = \"Acties\"\nkind = \"actions\"\nheader_row = 3\ncolumns = { deadline = \"Datum\" }"), "{out}");
        let more = SheetRule {
            header_row: None,
            columns: vec![("completed_on".into(), "Datum 2".into())],
            ..rule
        };
        let again = add_sheet_rule(&out, &more).unwrap();
        assert_eq!(again.matches("[[sheets]]").count(), 1, "{again}");
        assert!(
            again.contains("deadline = \"Datum\", completed_on = \"Datum 2\""),
            "{again}"
        );
        let settings = crate::config::Settings::parse(&again).unwrap();
        assert_eq!(settings.sheets[0].header_row, Some(3));
        assert_eq!(settings.sheets[0].columns.len(), 2);
    }
}
