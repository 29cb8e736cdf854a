//! Recognises what a sheet is: finds its header row below title rows and matches header cells
//! to the columns of a table kind. Knows nothing of cell values beyond header text.

mod kinds;

pub use kinds::{column, Col, ColumnDef, KindDef, ValueType, KINDS};

use crate::model::Reason;
use crate::parse::normalize;
use crate::read::RawSheet;
use std::collections::HashMap;

/// How many rows from the top the header row may be.
pub const HEADER_SEARCH_ROWS: u32 = 30;

/// The table kinds in force for a run: the built-in declarations plus aliases from the config.
#[derive(Debug, Clone)]
pub struct Schema {
    kinds: Vec<Kind>,
}

#[derive(Debug, Clone)]
struct Kind {
    def: &'static KindDef,
    /// Normalised header text → column index.
    aliases: HashMap<String, usize>,
}

/// Where a recognised table sits in its sheet and how its columns map.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The table kind.
    pub kind: &'static KindDef,
    /// Position of the header row in `RawSheet::rows`.
    pub header_pos: usize,
    /// (sheet column, kind column index) for each recognised column.
    pub columns: Vec<(u32, usize)>,
    /// (sheet column, header text) for each column the kind does not know: kept as extra data.
    pub extras: Vec<(u32, String)>,
    /// (sheet column, kind column index) for each column whose header names a kind column an
    /// earlier column already has: the first is read, the repeat kept as extra data (in
    /// `extras` too) and named with a warning.
    pub repeats: Vec<(u32, usize)>,
}

impl Layout {
    /// (sheet column, canonical column name) of each recognised column, as `convert
    /// --canonical` names them.
    pub fn canonical_names(&self) -> Vec<(u32, &'static str)> {
        self.columns
            .iter()
            .filter_map(|(c, i)| self.kind.columns.get(*i).map(|def| (*c, def.name)))
            .collect()
    }
}

/// What a sheet turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Recognition {
    /// A table of a known kind.
    Table(Layout),
    /// Not a table the tool knows, with the reason shown to the analyst.
    Ignored(Reason),
}

/// Lineage headers the tool writes itself: a sheet carrying them is one of our own outputs.
const OUTPUT_MARKERS: [&str; 3] = ["source file", "source sheet", "source row"];

/// The reason key of a sheet of one of our own outputs (consolidation tells such files apart).
pub const OUR_OUTPUT: &str = "our_output";

impl Schema {
    /// The built-in kinds with extra aliases: (kind, column, alias) triples from the config.
    ///
    /// # Errors
    /// A message naming an unknown kind or column.
    pub fn new(extra_aliases: &[(String, String, String)]) -> Result<Self, String> {
        let mut kinds: Vec<Kind> = KINDS
            .iter()
            .map(|def| {
                let mut aliases = HashMap::new();
                for (i, c) in def.columns.iter().enumerate() {
                    aliases.entry(normalize(c.name)).or_insert(i);
                    for a in c.aliases {
                        aliases.entry(normalize(a)).or_insert(i);
                    }
                }
                Kind { def, aliases }
            })
            .collect();
        for (kind, column, alias) in extra_aliases {
            let k = kinds
                .iter_mut()
                .find(|k| k.def.name == kind)
                .ok_or_else(|| format!("unknown table kind `{kind}` in [aliases]"))?;
            let i = k
                .def
                .columns
                .iter()
                .position(|c| c.name == column)
                .ok_or_else(|| format!("table kind `{kind}` has no column `{column}`"))?;
            // A configured alias overrides a built-in one: the analyst knows their files.
            k.aliases.insert(normalize(alias), i);
        }
        Ok(Schema { kinds })
    }

    /// The kind declaration with this name.
    pub fn kind(&self, name: &str) -> Option<&'static KindDef> {
        self.kinds
            .iter()
            .find(|k| k.def.name == name)
            .map(|k| k.def)
    }

    /// Finds the header row of a sheet (the first of the top 30 rows that has every required
    /// column of a kind) and maps its columns. `forced` restricts the search to one kind.
    pub fn recognise(&self, sheet: &RawSheet, forced: Option<&str>) -> Recognition {
        let mut closest: Option<(usize, u32, &'static KindDef, Vec<&'static str>)> = None;
        for (pos, row) in sheet.rows.iter().enumerate() {
            if row.index >= HEADER_SEARCH_ROWS {
                break;
            }
            let headers: Vec<(u32, String)> = row
                .cells
                .iter()
                .map(|(c, cell)| (*c, normalize(&cell.display())))
                .filter(|(_, h)| !h.is_empty())
                .collect();
            if OUTPUT_MARKERS
                .iter()
                .all(|m| headers.iter().any(|(_, h)| h == m))
            {
                return Recognition::Ignored(Reason::new(OUR_OUTPUT));
            }
            let mut best: Option<Layout> = None;
            for kind in self
                .kinds
                .iter()
                .filter(|k| forced.is_none_or(|f| f == k.def.name))
            {
                let layout = kind.map_headers(pos, &headers);
                let missing = kind.missing(&layout);
                if missing.is_empty() {
                    if best
                        .as_ref()
                        .is_none_or(|b| layout.columns.len() > b.columns.len())
                    {
                        best = Some(layout);
                    }
                } else if !layout.columns.is_empty()
                    && closest.as_ref().is_none_or(|c| layout.columns.len() > c.0)
                {
                    closest = Some((layout.columns.len(), row.index + 1, kind.def, missing));
                }
            }
            if let Some(layout) = best {
                return Recognition::Table(layout);
            }
        }
        Recognition::Ignored(match closest {
            Some((_, row, kind, missing)) => Reason::new("header_incomplete")
                .arg("rows", HEADER_SEARCH_ROWS)
                .arg("row", row)
                .arg("kind", kind.name)
                .arg("missing", missing.join(", ")),
            None if sheet.rows.is_empty() => Reason::new("sheet_empty"),
            None => Reason::new("no_header").arg("rows", HEADER_SEARCH_ROWS),
        })
    }
}

impl Kind {
    fn map_headers(&self, header_pos: usize, headers: &[(u32, String)]) -> Layout {
        let mut columns: Vec<(u32, usize)> = Vec::new();
        let mut extras = Vec::new();
        let mut repeats = Vec::new();
        for (c, h) in headers {
            match self.aliases.get(h) {
                // The first column with a given meaning wins; a repeat is kept as extra data.
                Some(&i) if !columns.iter().any(|(_, j)| *j == i) => columns.push((*c, i)),
                Some(&i) => {
                    repeats.push((*c, i));
                    extras.push((*c, h.clone()));
                }
                None => extras.push((*c, h.clone())),
            }
        }
        Layout {
            kind: self.def,
            header_pos,
            columns,
            extras,
            repeats,
        }
    }

    fn missing(&self, layout: &Layout) -> Vec<&'static str> {
        let has = |name: &str| {
            layout
                .columns
                .iter()
                .any(|(_, i)| self.def.columns[*i].name == name)
        };
        let mut missing: Vec<&'static str> = self
            .def
            .columns
            .iter()
            .filter(|c| c.required && !has(c.name))
            .map(|c| c.name)
            .collect();
        for group in self.def.one_of {
            if !group.iter().any(|name| has(name)) {
                missing.push(group.first().copied().unwrap_or_default());
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet whose rows sit at the given 0-based indexes (title rows, gaps).
    fn sheet(rows: &[(u32, &[&str])]) -> RawSheet {
        let mut s =
            crate::test_support::sheet("S", &rows.iter().map(|(_, r)| *r).collect::<Vec<_>>());
        for (row, (index, _)) in s.rows.iter_mut().zip(rows) {
            row.index = *index;
        }
        s
    }

    fn kind_of(r: &Recognition) -> &str {
        match r {
            Recognition::Table(l) => l.kind.name,
            Recognition::Ignored(_) => "ignored",
        }
    }

    #[test]
    fn header_row_is_found_below_title_rows() {
        let s = sheet(&[
            (0, &["Scorebord Directie Werkzoekenden"]),
            (1, &["Rapportage maart 2025"]),
            (
                4,
                &[
                    "Actie-ID",
                    "Omschrijving",
                    "Verantwoordelijke\ndirectie",
                    "Deadline",
                    "Stand van zaken",
                    "Opmerking",
                ],
            ),
            (5, &["A1", "x", "y", "maart 2025", "Lopend", ""]),
        ]);
        let schema = Schema::new(&[]).unwrap();
        let Recognition::Table(layout) = schema.recognise(&s, None) else {
            panic!("not recognised")
        };
        assert_eq!(layout.kind.name, "actions");
        assert_eq!(layout.header_pos, 2);
        let names: Vec<_> = layout
            .columns
            .iter()
            .map(|(c, i)| (*c, layout.kind.columns[*i].name))
            .collect();
        assert_eq!(
            names,
            vec![
                (0, "action_id"),
                (1, "title"),
                (2, "owner"),
                (3, "deadline"),
                (4, "status")
            ]
        );
        assert_eq!(layout.extras, vec![(5, "opmerking".to_string())]);
    }

    #[test]
    fn french_and_english_headers() {
        let schema = Schema::new(&[]).unwrap();
        let fr = sheet(&[(
            0,
            &[
                "N° action",
                "Intitulé",
                "Direction responsable",
                "Échéance :",
                "Statut",
                "Date de réalisation",
            ],
        )]);
        assert_eq!(kind_of(&schema.recognise(&fr, None)), "actions");
        let en = sheet(&[(2, &["Action ID", "Title", "Owner", "Due date", "Status"])]);
        assert_eq!(kind_of(&schema.recognise(&en, None)), "actions");
    }

    #[test]
    fn every_kind_is_recognised_by_its_required_columns() {
        let schema = Schema::new(&[]).unwrap();
        let cases: &[(&[&str], &str)] = &[
            (
                &["Directie", "Maand", "Werkbare dagen", "Ziektedagen"],
                "absence_monthly",
            ),
            (
                &["Direction", "Mois", "ETP", "Jours de maladie"],
                "absence_monthly",
            ),
            (&["Directie", "Maand", "VTE"], "headcount"),
            (
                &[
                    "Personeelsnummer",
                    "Directie",
                    "Begindatum",
                    "Einddatum",
                    "Fractie",
                ],
                "absence_spells",
            ),
            (
                &[
                    "Indicator",
                    "Periode",
                    "Resultaat",
                    "Streefwaarde",
                    "Richting",
                ],
                "indicators",
            ),
            (
                &["Kanaal", "Maand", "Aantal antwoorden", "Tevreden"],
                "satisfaction",
            ),
            (&["Période", "Note", "Canal"], "satisfaction_scores"),
            (
                &[
                    "Voorstel-ID",
                    "Titel",
                    "Ingediend op",
                    "SMART",
                    "Geplande besparing",
                ],
                "proposals",
            ),
        ];
        for (headers, expected) in cases {
            let s = sheet(&[(0, headers)]);
            assert_eq!(
                kind_of(&schema.recognise(&s, None)),
                *expected,
                "headers {headers:?}"
            );
        }
    }

    #[test]
    fn absence_without_workable_days_or_fte_is_not_a_table() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(0, &["Directie", "Maand", "Ziektedagen"])]);
        match schema.recognise(&s, None) {
            Recognition::Ignored(reason) => {
                let reason = reason.to_string();
                assert!(reason.contains("workable_days"), "{reason}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn unknown_sheet_is_ignored_with_the_closest_kind_named() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(0, &["Actie-ID", "Omschrijving"])]);
        match schema.recognise(&s, None) {
            Recognition::Ignored(reason) => {
                let reason = reason.to_string();
                assert!(
                    reason.contains("actions")
                        && reason.contains("deadline")
                        && reason.contains("status"),
                    "{reason}"
                )
            }
            other => panic!("unexpected {other:?}"),
        }
        let notes = sheet(&[(0, &["Toelichting"]), (1, &["Zie tabblad Acties"])]);
        assert!(matches!(
            schema.recognise(&notes, None),
            Recognition::Ignored(_)
        ));
    }

    #[test]
    fn header_beyond_row_30_is_not_searched() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(30, &["Actie-ID", "Deadline", "Status"])]);
        assert!(matches!(
            schema.recognise(&s, None),
            Recognition::Ignored(_)
        ));
        let s = sheet(&[(29, &["Actie-ID", "Deadline", "Status"])]);
        assert_eq!(kind_of(&schema.recognise(&s, None)), "actions");
    }

    #[test]
    fn config_aliases_plug_in_without_code() {
        let s = sheet(&[(0, &["Ref", "Pôle", "Timing", "Etat d'avancement"])]);
        let plain = Schema::new(&[]).unwrap();
        assert!(matches!(plain.recognise(&s, None), Recognition::Ignored(_)));
        let aliases = [
            (
                "actions".to_string(),
                "action_id".to_string(),
                "Ref".to_string(),
            ),
            ("actions".into(), "owner".into(), "Pôle".into()),
            ("actions".into(), "deadline".into(), "Timing".into()),
            (
                "actions".into(),
                "status".into(),
                "État d’avancement".into(),
            ),
        ];
        let schema = Schema::new(&aliases).unwrap();
        assert_eq!(kind_of(&schema.recognise(&s, None)), "actions");
        assert!(Schema::new(&[("nope".into(), "x".into(), "y".into())]).is_err());
    }

    #[test]
    fn our_own_output_sheets_are_not_read_back() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(
            0,
            &[
                "action_id",
                "deadline",
                "status",
                "source_file",
                "source_sheet",
                "source_row",
            ],
        )]);
        assert!(matches!(
            schema.recognise(&s, None),
            Recognition::Ignored(_)
        ));
    }
}
