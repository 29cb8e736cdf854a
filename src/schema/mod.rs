//! Recognises what a sheet is: finds its header row below title rows and matches header cells
//! to the columns of a table kind. Knows nothing of cell values beyond header text.

mod kinds;

pub use kinds::{column, Aliases, Col, ColumnDef, IfEmpty, KindDef, ValueType, KINDS};

use crate::model::{Lang, Reason};
use crate::parse::normalize;
use crate::read::RawSheet;
use std::collections::HashMap;

/// How many rows from the top the header row may be.
pub const HEADER_SEARCH_ROWS: u32 = 30;

/// The table kinds in force for a run: the built-in declarations plus aliases from the config.
#[derive(Debug, Clone)]
pub struct Schema {
    kinds: Vec<Kind>,
    /// Normalised built-in alias → the languages it is written in (bits of [`lang_bit`]).
    languages: HashMap<String, u8>,
}

fn lang_bit(lang: Lang) -> u8 {
    match lang {
        Lang::Nl => 1,
        Lang::Fr => 2,
        Lang::En => 4,
    }
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
    /// The language of the header row: the one with the most headers that are its alone
    /// (`None` on a tie or when no header tells).
    pub lang: Option<Lang>,
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
    /// A header row that comes close to a kind but lacks a required column (see [`Near`]):
    /// with data rows below it, the sheet is rejected loudly; without, it is a note.
    Near(Near),
    /// Not a table the tool knows, with the reason shown to the analyst.
    Ignored(Reason),
}

/// A header row *close to* a kind: it names at least two of the kind's columns, among them at
/// least half of its required ones (a `one_of` group counting as one), but not all of them.
/// A looser match (one column, or optional columns only) is no table at all: a notes sheet
/// that mentions "Directie", a summary per status, never a directorate's renamed scoreboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// The kind it comes closest to (most columns matched, then fewest missing; ties: the
    /// first kind, the first row).
    pub kind: &'static KindDef,
    /// Position of the header row in `RawSheet::rows`.
    pub header_pos: usize,
    /// Its row number as Excel shows it.
    pub row: u32,
    /// The required columns it lacks (canonical names).
    pub missing: Vec<&'static str>,
    /// (sheet column, header as written) of each header of that row that matched nothing.
    pub unmatched: Vec<(u32, String)>,
    /// The header row's language, as for [`Layout::lang`].
    pub lang: Option<Lang>,
}

/// How close one header row comes to one kind: which of the sheet's columns name the kind's
/// columns, and which required ones it lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct KindMatch {
    /// The kind.
    pub kind: &'static KindDef,
    /// (sheet column, kind column index) of each column the row names.
    pub columns: Vec<(u32, usize)>,
    /// The required columns it lacks (canonical names; a `one_of` group by its first).
    pub missing: Vec<&'static str>,
}

/// A column a Data sheet adds after its table's own, with its header in each language.
#[derive(Debug, Clone, Copy)]
pub struct AddedColumn {
    /// Canonical name (the Parquet dataset's column).
    pub name: &'static str,
    /// Header in English, Dutch and French.
    pub headers: [&'static str; 3],
}

impl AddedColumn {
    /// The header in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.headers[0],
            Lang::Nl => self.headers[1],
            Lang::Fr => self.headers[2],
        }
    }
}

/// The snapshot merge's columns on the actions' Data sheet.
pub const MERGE_COLUMNS: [AddedColumn; 5] = [
    AddedColumn {
        name: "status_used",
        headers: ["Status used", "Gebruikte status", "Statut retenu"],
    },
    AddedColumn {
        name: "judged_deadline",
        headers: [
            "Deadline judged",
            "Beoordeelde deadline",
            "Échéance évaluée",
        ],
    },
    AddedColumn {
        name: "rescheduled",
        headers: ["Rescheduled", "Herpland", "Replanifiée"],
    },
    AddedColumn {
        name: "report_date_used",
        headers: [
            "Report date used",
            "Gebruikte rapportdatum",
            "Date de rapport retenue",
        ],
    },
    AddedColumn {
        name: "snapshots",
        headers: ["Snapshots", "Momentopnames", "Instantanés"],
    },
];

/// The lineage columns that end every Data sheet. In any language (or as canonical names, as
/// older versions wrote them), all three in one header row mark a sheet as one of the tool's
/// own outputs — a mark that survives where the workbook's document property does not (a sheet
/// copied into another workbook, a CSV saved from it).
pub const LINEAGE_COLUMNS: [AddedColumn; 3] = [
    AddedColumn {
        name: "source_file",
        headers: ["Source file", "Bronbestand", "Fichier source"],
    },
    AddedColumn {
        name: "source_sheet",
        headers: ["Source sheet", "Bronblad", "Feuille source"],
    },
    AddedColumn {
        name: "source_row",
        headers: ["Source row", "Bronrij", "Ligne source"],
    },
];

/// True when `headers` (normalised) hold the three lineage headers of one language.
fn carries_lineage(headers: &[(u32, String)]) -> bool {
    let has = |h: &str| headers.iter().any(|(_, x)| *x == normalize(h));
    (0..3).any(|lang| LINEAGE_COLUMNS.iter().all(|c| has(c.headers[lang])))
        || LINEAGE_COLUMNS.iter().all(|c| has(c.name))
}

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
                    for (_, a) in c.aliases.all() {
                        aliases.entry(normalize(a)).or_insert(i);
                    }
                }
                Kind { def, aliases }
            })
            .collect();
        let mut languages: HashMap<String, u8> = HashMap::new();
        for c in KINDS.iter().flat_map(|k| k.columns) {
            for (lang, a) in c.aliases.all() {
                *languages.entry(normalize(a)).or_default() |= lang_bit(lang);
            }
        }
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
        Ok(Schema { kinds, languages })
    }

    /// The language of a header row (normalised headers): the one with the most headers that
    /// are written in it alone (`Directie` is Dutch; `Status` is Dutch and English and tells
    /// nothing). `None` on a tie or when no header tells.
    pub fn language_of<'h>(&self, headers: impl IntoIterator<Item = &'h str>) -> Option<Lang> {
        let mut counts = [(Lang::Nl, 0usize), (Lang::Fr, 0), (Lang::En, 0)];
        for h in headers {
            let Some(bits) = self.languages.get(h) else {
                continue;
            };
            for (lang, n) in &mut counts {
                if *bits == lang_bit(*lang) {
                    *n += 1;
                }
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        (counts[0].1 > 0 && counts[0].1 > counts[1].1).then_some(counts[0].0)
    }

    /// The kind declaration with this name.
    pub fn kind(&self, name: &str) -> Option<&'static KindDef> {
        self.kinds
            .iter()
            .find(|k| k.def.name == name)
            .map(|k| k.def)
    }

    /// Finds the header row of a sheet (the first of the top 30 rows that has every required
    /// column of a kind) and maps its columns; else the row that comes closest to a kind
    /// ([`Near`]), else why it is no table. `forced` restricts the search to one kind.
    pub fn recognise(&self, sheet: &RawSheet, forced: Option<&str>) -> Recognition {
        self.recognise_at(sheet, forced, None)
    }

    /// The column of `kind` a header names (after normalisation), if any.
    pub fn column_named(&self, kind: &str, header: &str) -> Option<&'static str> {
        let k = self.kinds.iter().find(|k| k.def.name == kind)?;
        let i = *k.aliases.get(&normalize(header))?;
        k.def.columns.get(i).map(|c| c.name)
    }

    /// How close `row`, read as a header row, comes to each kind: the closest first (most
    /// columns named, then fewest required ones missing; ties in the order of [`KINDS`]).
    pub fn closeness(&self, row: &crate::read::RawRow) -> Vec<KindMatch> {
        let headers = header_cells(row);
        let mut out: Vec<KindMatch> = self
            .kinds
            .iter()
            .map(|kind| {
                let layout = kind.map_headers(0, &headers);
                let missing = kind.missing(&layout);
                KindMatch {
                    kind: kind.def,
                    columns: layout.columns,
                    missing,
                }
            })
            .collect();
        // A row that names nothing of any kind keeps the kinds' own order.
        out.sort_by_key(|m| {
            let missing = if m.columns.is_empty() {
                0
            } else {
                m.missing.len()
            };
            (std::cmp::Reverse(m.columns.len()), missing)
        });
        out
    }

    /// [`Schema::recognise`], with the header in row `header_row` (1-based) only, when given.
    pub fn recognise_at(
        &self,
        sheet: &RawSheet,
        forced: Option<&str>,
        header_row: Option<u32>,
    ) -> Recognition {
        // (columns matched, kind, position, missing) of the best partial match: the closest
        // that passes the `Near` rule, else any (for the note).
        let mut near: Option<(usize, &Kind, usize, Vec<&'static str>)> = None;
        let mut partial: Option<(usize, u32, &'static KindDef, Vec<&'static str>)> = None;
        for (pos, row) in sheet.rows.iter().enumerate() {
            if row.index >= HEADER_SEARCH_ROWS && header_row.is_none() {
                break;
            }
            if header_row.is_some_and(|h| row.index + 1 != h) {
                continue;
            }
            let headers = header_cells(row);
            if carries_lineage(&headers) {
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
                let matched = layout.columns.len();
                if missing.is_empty() {
                    if best.as_ref().is_none_or(|b| matched > b.columns.len()) {
                        best = Some(layout);
                    }
                } else if kind.is_near(&layout, &missing)
                    && near
                        .as_ref()
                        .is_none_or(|n| (matched, n.3.len()) > (n.0, missing.len()))
                {
                    near = Some((matched, kind, pos, missing));
                } else if matched > 0 && partial.as_ref().is_none_or(|c| matched > c.0) {
                    partial = Some((matched, row.index + 1, kind.def, missing));
                }
            }
            if let Some(mut layout) = best {
                layout.lang = self.language_of(headers.iter().map(|(_, h)| h.as_str()));
                return Recognition::Table(layout);
            }
        }
        if let Some((_, kind, pos, missing)) = near {
            let row = &sheet.rows[pos];
            let headers = header_cells(row);
            let layout = kind.map_headers(pos, &headers);
            let unmatched = layout
                .extras
                .iter()
                .filter(|(c, _)| !layout.repeats.iter().any(|(r, _)| r == c))
                .map(|(c, _)| {
                    let shown = row.get(*c).map(|cell| cell.display()).unwrap_or_default();
                    (*c, shown.trim().to_string())
                })
                .collect();
            return Recognition::Near(Near {
                kind: kind.def,
                header_pos: pos,
                row: row.index + 1,
                missing,
                unmatched,
                lang: self.language_of(headers.iter().map(|(_, h)| h.as_str())),
            });
        }
        Recognition::Ignored(match partial {
            Some((_, row, kind, missing)) => Reason::new("header_incomplete")
                .arg("rows", HEADER_SEARCH_ROWS)
                .arg("row", row)
                .kind("kind", kind.name)
                .arg("missing", missing.join(", ")),
            None if sheet.rows.is_empty() => Reason::new("sheet_empty"),
            None => Reason::new("no_header").arg("rows", HEADER_SEARCH_ROWS),
        })
    }
}

/// The non-empty cells of a row as normalised header texts.
fn header_cells(row: &crate::read::RawRow) -> Vec<(u32, String)> {
    row.cells
        .iter()
        .map(|(c, cell)| (*c, normalize(&cell.display())))
        .filter(|(_, h)| !h.is_empty())
        .collect()
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
            lang: None,
        }
    }

    /// Whether a header row that lacks `missing` still comes close to the kind ([`Near`]).
    fn is_near(&self, layout: &Layout, missing: &[&'static str]) -> bool {
        let required =
            self.def.columns.iter().filter(|c| c.required).count() + self.def.one_of.len();
        let matched_required = required.saturating_sub(missing.len());
        layout.columns.len() >= 2 && 2 * matched_required >= required && matched_required > 0
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
            Recognition::Near(_) => "near",
            Recognition::Ignored(_) => "ignored",
        }
    }

    #[test]
    fn closeness_ranks_every_kind_by_the_columns_a_row_names() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(0, &["Actie-ID", "Uiterste datum", "Status", "Opmerking"])]);
        let ranked = schema.closeness(&s.rows[0]);
        assert_eq!(ranked.len(), KINDS.len());
        assert_eq!(ranked[0].kind.name, "actions");
        let named: Vec<&str> = ranked[0]
            .columns
            .iter()
            .map(|(_, i)| ranked[0].kind.columns[*i].name)
            .collect();
        assert_eq!(named, ["action_id", "status"]);
        assert_eq!(ranked[0].columns[1].0, 2, "Status is the sheet's column C");
        assert_eq!(ranked[0].missing, ["deadline"]);
        // Closest first: no kind after the first names more of the row.
        assert!(ranked
            .windows(2)
            .all(|w| w[0].columns.len() >= w[1].columns.len()));
        // A row of nothing the kinds know names no column of any.
        let none = sheet(&[(0, &["Kolom 1", "Kolom 2"])]);
        assert!(schema
            .closeness(&none.rows[0])
            .iter()
            .all(|m| m.columns.is_empty()));
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
    fn absence_without_workable_days_or_fte_comes_close_but_is_no_table() {
        let schema = Schema::new(&[]).unwrap();
        let s = sheet(&[(0, &["Directie", "Maand", "Ziektedagen"])]);
        match schema.recognise(&s, None) {
            Recognition::Near(near) => {
                assert_eq!(near.kind.name, "absence_monthly");
                assert_eq!(near.missing, ["workable_days"]);
                assert_eq!(near.lang, Some(Lang::Nl));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    /// The `Near` rule at its edges: two columns matched, half the required ones or more.
    #[test]
    fn a_header_comes_close_to_a_kind_only_with_two_columns_and_half_its_required_ones() {
        let schema = Schema::new(&[]).unwrap();
        let near = |headers: &[&str]| match schema.recognise(&sheet(&[(3, headers)]), None) {
            Recognition::Near(n) => Some((n.kind.name, n.missing, n.row, n.unmatched)),
            _ => None,
        };
        // The renamed deadline of the issue: two of three required columns, four matched.
        assert_eq!(
            near(&[
                "Actie-ID",
                "Omschrijving",
                "Directie",
                "Uiterste datum",
                "Status"
            ]),
            Some((
                "actions",
                vec!["deadline"],
                4,
                vec![(3, "Uiterste datum".to_string())]
            ))
        );
        // Two required of three, nothing else: still close.
        assert_eq!(
            near(&["Actie-ID", "Status"]).map(|n| n.1),
            Some(vec!["deadline"])
        );
        // One required of three, however many optional ones: a summary, not a scoreboard.
        assert_eq!(
            near(&["Directie", "Status", "Omschrijving", "Voortgang"]),
            None
        );
        // A single matching column is never close.
        assert_eq!(near(&["Actie-ID"]), None);
        assert_eq!(near(&["Directie", "Opmerking"]), None);
        // Headcount: unit and month are two of three required.
        assert_eq!(
            near(&["Directie", "Maand", "Opmerking"]).map(|n| (n.0, n.1)),
            Some(("headcount", vec!["fte"]))
        );
        // Every required column present: a table, not a near miss.
        assert!(matches!(
            schema.recognise(&sheet(&[(0, &["Actie-ID", "Deadline", "Status"])]), None),
            Recognition::Table(_)
        ));
    }

    #[test]
    fn the_language_of_a_header_row_is_the_one_with_most_headers_of_its_own() {
        let schema = Schema::new(&[]).unwrap();
        let lang = |headers: &[&str]| {
            let normalised: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
            schema.language_of(normalised.iter().map(String::as_str))
        };
        assert_eq!(lang(&["Actie-ID", "Deadline", "Status"]), Some(Lang::Nl));
        assert_eq!(lang(&["ID action", "Échéance", "Statut"]), Some(Lang::Fr));
        assert_eq!(lang(&["Action ID", "Deadline", "Status"]), Some(Lang::En));
        // Deadline and Status are Dutch and English: nothing tells.
        assert_eq!(lang(&["Deadline", "Status"]), None);
        // One Dutch header against one French one: a tie.
        assert_eq!(lang(&["Directie", "Statut"]), None);
        assert_eq!(lang(&["Opmerking"]), None);
    }

    #[test]
    fn the_template_headers_are_the_first_alias_of_each_language() {
        for kind in KINDS {
            for c in kind.columns {
                for lang in [Lang::Nl, Lang::Fr, Lang::En] {
                    assert!(
                        c.aliases.header(lang).is_some(),
                        "{}.{} has no {lang:?} header",
                        kind.name,
                        c.name
                    );
                }
            }
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
        // A Data sheet in Dutch or French (copied out of the workbook, or saved as CSV), whose
        // columns otherwise make an actions table.
        for lineage in [
            ["Bronbestand", "Bronblad", "Bronrij"],
            ["Fichier source", "Feuille source", "Ligne source"],
            ["Source file", "Source sheet", "Source row"],
        ] {
            let mut headers = vec!["Actie-ID", "Deadline", "Status"];
            headers.extend(lineage);
            let s = sheet(&[(0, &headers)]);
            assert!(
                matches!(schema.recognise(&s, None), Recognition::Ignored(_)),
                "{lineage:?}"
            );
        }
        // Two of the three are no mark: a directorate's own `Bronbestand` column.
        let s = sheet(&[(
            0,
            &["Actie-ID", "Deadline", "Status", "Bronbestand", "Bronrij"],
        )]);
        assert!(!matches!(
            schema.recognise(&s, None),
            Recognition::Ignored(_)
        ));
    }
}
