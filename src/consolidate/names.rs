//! One directorate, one name: group values (directorates, units, channels, indicators,
//! objectives, action ids) that differ only in case, accents or spaces — or that the config
//! says mean the same — are written one way in every table, so every stage after this one
//! groups them together. Changes spellings only; never a row.

use super::Table;
use crate::model::{ColumnName, Issue, Reason, Severity, Value};
use crate::parse::fold_key;
use arcstr::ArcStr;
use std::collections::{BTreeMap, HashMap};

/// Each group a value belongs to, by the `[names]` key of the config, with the columns that
/// hold it (the same directorate owns actions and indicators; the same unit reports absence
/// and headcount).
const GROUPS: &[(&str, &[(&str, &str)])] = &[
    ("owner", &[("actions", "owner"), ("indicators", "owner")]),
    (
        "objective",
        &[("actions", "objective"), ("indicators", "objective")],
    ),
    (
        "unit",
        &[
            ("absence_monthly", "unit"),
            ("absence_spells", "unit"),
            ("headcount", "unit"),
        ],
    ),
    (
        "channel",
        &[
            ("satisfaction", "channel"),
            ("satisfaction_scores", "channel"),
        ],
    ),
    ("indicator", &[("indicators", "indicator")]),
    ("action_id", &[("actions", "action_id")]),
];

/// The spellings met of one group value, in order of first appearance.
#[derive(Default)]
struct Spellings {
    /// (spelling, rows), first met first.
    seen: Vec<(ArcStr, usize)>,
    /// The name the config gives it, if any.
    configured: Option<ArcStr>,
}

impl Spellings {
    /// The spelling shown: the config's name, else the most frequent (ties: the first met,
    /// files being sorted by path).
    fn shown(&self) -> Option<&ArcStr> {
        self.configured.as_ref().or_else(|| {
            let most = self.seen.iter().map(|(_, n)| *n).max()?;
            self.seen.iter().find(|(_, n)| *n == most).map(|(s, _)| s)
        })
    }
}

/// Writes every group value of `tables` in one spelling per group key, and notes (one `info`
/// issue per value written more than one way) what was joined. `names` is the config's
/// `[names]` table: spellings that mean the same, under the name to show.
pub(super) fn join_spellings(
    tables: &mut [Table],
    names: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    issues: &mut Vec<Issue>,
) {
    for (group, columns) in GROUPS {
        // Configured synonyms: the folded key of each spelling → the name to show.
        let mut synonyms: HashMap<String, ArcStr> = HashMap::new();
        for (shown, others) in names.get(*group).into_iter().flatten() {
            let name = ArcStr::from(shown.as_str());
            for spelling in std::iter::once(shown).chain(others) {
                synonyms.insert(fold_key(spelling), name.clone());
            }
        }
        let slots: Vec<(usize, usize)> = columns
            .iter()
            .filter_map(|(kind, column)| {
                let t = tables.iter().position(|t| t.kind.name == *kind)?;
                Some((t, tables[t].kind.column_index(column)?))
            })
            .collect();
        if slots.is_empty() {
            continue;
        }
        // Keys in order of first appearance, so that notes come out in file order.
        let mut order: Vec<String> = Vec::new();
        let mut spellings: HashMap<String, Spellings> = HashMap::new();
        let mut key_of: HashMap<ArcStr, String> = HashMap::new();
        for &(t, c) in &slots {
            for row in &tables[t].rows {
                let Some(Value::Text(text)) = row.values.get(c) else {
                    continue;
                };
                let key = key_of
                    .entry(text.clone())
                    .or_insert_with(|| {
                        let folded = fold_key(text);
                        match synonyms.get(&folded) {
                            Some(name) => format!("\u{0}{}", fold_key(name)),
                            None => folded,
                        }
                    })
                    .clone();
                let entry = spellings.entry(key.clone()).or_insert_with(|| {
                    order.push(key.clone());
                    Spellings {
                        configured: synonyms.get(&fold_key(text)).cloned(),
                        ..Spellings::default()
                    }
                });
                match entry.seen.iter_mut().find(|(s, _)| s == text) {
                    Some((_, n)) => *n += 1,
                    None => entry.seen.push((text.clone(), 1)),
                }
            }
        }
        // The one spelling of each text met, where it differs.
        let mut rewrite: HashMap<ArcStr, ArcStr> = HashMap::new();
        for (text, key) in &key_of {
            if let Some(shown) = spellings.get(key).and_then(Spellings::shown) {
                if shown != text {
                    rewrite.insert(text.clone(), shown.clone());
                }
            }
        }
        if rewrite.is_empty() {
            continue;
        }
        for &(t, c) in &slots {
            for row in &mut tables[t].rows {
                if let Some(Value::Text(text)) = row.values.get_mut(c) {
                    if let Some(shown) = rewrite.get(&*text) {
                        *text = shown.clone();
                    }
                }
            }
        }
        let (kind, column) = columns[0];
        let what = ColumnName {
            kind,
            column,
            header: None,
            lang: None,
        };
        for key in order {
            let Some(found) = spellings.get(&key) else {
                continue;
            };
            let Some(shown) = found.shown() else {
                continue;
            };
            let others: Vec<String> = found
                .seen
                .iter()
                .filter(|(s, _)| s != shown)
                .map(|(s, _)| s.to_string())
                .collect();
            if others.is_empty() {
                continue;
            }
            issues.push(Issue::at_file(
                "",
                "",
                Severity::Info,
                Reason::new("names_folded")
                    .columns("what", vec![what.clone()])
                    .quoted("shown", vec![shown.to_string()])
                    .quoted("others", others),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{consolidated, file};

    fn owners(cons: &super::super::Consolidated) -> Vec<String> {
        let t = cons.table("actions").unwrap();
        let c = t.kind.column_index("owner").unwrap();
        t.rows
            .iter()
            .map(|r| r.values[c].as_text().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn spellings_that_differ_in_case_accents_or_spaces_are_one_directorate() {
        let header: &[&str] = &["Actie-ID", "Directie", "Deadline", "Status"];
        let cons = consolidated(
            vec![file(
                "in/a_2025-03.xlsx",
                &[
                    header,
                    &["A1", "Werkgevers", "2025", "Lopend"],
                    &["A2", "werkgevers", "2025", "Lopend"],
                    &["A3", "Werkgevers", "2025", "Lopend"],
                    &["A4", "Contrôle de la disponibilité", "2025", "Lopend"],
                    &["A5", "CONTROLE DE LA  DISPONIBILITE", "2025", "Lopend"],
                    &["A6", "Dienst ICT", "2025", "Lopend"],
                    &["A7", "ICT", "2025", "Lopend"],
                ],
            )],
            &crate::config::Settings::parse("[names.owner]\n\"ICT\" = [\"Dienst ICT\"]\n").unwrap(),
        );
        assert_eq!(
            owners(&cons),
            [
                "Werkgevers",
                "Werkgevers",
                "Werkgevers",
                "Contrôle de la disponibilité",
                "Contrôle de la disponibilité",
                "ICT",
                "ICT"
            ]
        );
        let notes: Vec<String> = cons
            .issues
            .iter()
            .filter(|i| i.reason.key == "names_folded")
            .map(|i| i.reason.to_string())
            .collect();
        assert_eq!(
            notes,
            [
                "“Owner” (owner) “Werkgevers” is also written “werkgevers”: counted as one",
                "“Owner” (owner) “Contrôle de la disponibilité” is also written “CONTROLE DE LA  DISPONIBILITE”: counted as one",
                "“Owner” (owner) “ICT” is also written “Dienst ICT”: counted as one",
            ]
        );
    }

    #[test]
    fn action_ids_that_differ_in_spaces_are_one_action() {
        let header: &[&str] = &["Actie-ID", "Deadline", "Status"];
        let cons = consolidated(
            vec![
                file(
                    "in/a_2025-02.xlsx",
                    &[header, &["HRM  001", "2025", "Lopend"]],
                ),
                file(
                    "in/a_2025-03.xlsx",
                    &[header, &["HRM 001", "2025", "Afgewerkt"]],
                ),
            ],
            &crate::config::Settings::default(),
        );
        let t = cons.table("actions").unwrap();
        assert_eq!(t.rows.len(), 1, "one action, two snapshots");
        assert_eq!(cons.superseded, 1);
    }
}
