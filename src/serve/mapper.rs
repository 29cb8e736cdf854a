//! The mapping page of one sheet (spec §11, `GET /map?file=…&sheet=…`): its first rows as the
//! sheet has them with the header row marked (another row can be chosen), the kinds that row
//! comes closest to, and for each column of the chosen kind a choice among the row's headers.
//! Saving (`POST /map`) is checked on the sheet itself before anything is written
//! ([`verify`]): a mapping that would not make the sheet readable is refused, and one that
//! aliases alone cannot carry (a header row the search would not find) becomes a rule.
//!
//! Rendered on the server like the rest of the page; it works without the page's script.

use crate::config::Settings;
use crate::i18n::Labels;
use crate::read::{RawRow, RawSheet};
use crate::schema::{
    KindDef, KindMatch, Recognition, Schema, ValueType, HEADER_SEARCH_ROWS, KINDS,
};
use maud::{html, DOCTYPE};

/// Columns of the sheet shown in the rows' preview.
const SHOWN_COLUMNS: u32 = 16;
/// Characters of a cell shown in the preview.
const SHOWN_CHARS: usize = 40;

/// What the mapping page shows of one sheet.
pub struct MapView<'a> {
    /// The file as the page names it.
    pub file: &'a str,
    /// The sheet, as read.
    pub sheet: &'a RawSheet,
    /// The header row chosen (1-based, as Excel numbers it).
    pub header_row: u32,
    /// Every kind, the closest to that row first.
    pub ranked: Vec<KindMatch>,
    /// The kind chosen.
    pub kind: &'static KindDef,
    /// The file-name pattern a rule made here would have.
    pub pattern: String,
    /// Whether the config already reads this sheet through a rule.
    pub has_rule: bool,
    /// The sheet column chosen at first for each of the kind's columns: the one its header
    /// names, else for a missing required column the likeliest by its values.
    pub preset: Vec<Option<u32>>,
    /// Whether "a rule for files named like this one" is chosen at first: when the config
    /// reads the sheet through a rule already, or when the sheet comes close to no kind (its
    /// headers are its own, likely too generic to be aliases everywhere).
    pub rule_first: bool,
    /// Why the last save was refused, shown above the form.
    pub refused: Option<String>,
}

impl<'a> MapView<'a> {
    /// The view of `sheet` of `file` (`path`: the path the config's rules match), with the
    /// header row and kind asked for, else the ones the tool finds.
    pub fn new(
        settings: &Settings,
        schema: &Schema,
        path: &str,
        file: &'a str,
        sheet: &'a RawSheet,
        row: Option<u32>,
        kind: Option<&str>,
    ) -> Self {
        let schema = settings.schema_for(schema, path, &sheet.name);
        let (found, close) = found_header_row(settings, &schema, path, sheet);
        let header_row = row
            .filter(|r| *r <= HEADER_SEARCH_ROWS && sheet.rows.iter().any(|x| x.index + 1 == *r))
            .unwrap_or(found);
        let ranked = sheet
            .rows
            .iter()
            .find(|r| r.index + 1 == header_row)
            .map(|r| schema.closeness(r))
            .unwrap_or_default();
        let kind = kind
            .and_then(|k| KINDS.iter().find(|d| d.name == k))
            .or_else(|| ranked.first().map(|m| m.kind))
            .unwrap_or(&KINDS[0]);
        let preset = preset(sheet, header_row, kind, &ranked);
        let has_rule = settings.sheet_rule(path, &sheet.name).is_some();
        MapView {
            file,
            sheet,
            header_row,
            ranked,
            kind,
            pattern: name_pattern(file),
            has_rule,
            preset,
            rule_first: has_rule || !close,
            refused: None,
        }
    }

    /// The view as a refused save left it: the analyst's choices kept, the reason shown.
    pub fn refused_with(mut self, pairs: &[(String, String)], rule: bool, why: String) -> Self {
        let headers = self.headers();
        self.preset = self
            .kind
            .columns
            .iter()
            .map(|c| {
                let (_, chosen) = pairs.iter().find(|(column, _)| column == c.name)?;
                headers
                    .iter()
                    .find(|(_, h)| h == chosen)
                    .map(|(col, _)| *col)
            })
            .collect();
        self.rule_first = rule;
        self.refused = Some(why);
        self
    }

    /// The header row's cells: (sheet column, text as shown).
    fn headers(&self) -> Vec<(u32, String)> {
        self.sheet
            .rows
            .iter()
            .find(|r| r.index + 1 == self.header_row)
            .map(|r| {
                r.cells
                    .iter()
                    .map(|(c, cell)| (*c, cell.display().trim().to_string()))
                    .filter(|(_, t)| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// [`MapView::preset`]: each column the header row names, then for each missing required
/// column the likeliest of the headers left by the values below them.
fn preset(
    sheet: &RawSheet,
    header_row: u32,
    kind: &KindDef,
    ranked: &[KindMatch],
) -> Vec<Option<u32>> {
    let mut preset = vec![None; kind.columns.len()];
    let Some(pos) = sheet.rows.iter().position(|r| r.index + 1 == header_row) else {
        return preset;
    };
    let named = ranked
        .iter()
        .find(|m| m.kind.name == kind.name)
        .map(|m| m.columns.as_slice())
        .unwrap_or_default();
    for (col, i) in named {
        preset[*i] = Some(*col);
    }
    let below = &sheet.rows[pos + 1..];
    for (i, column) in kind.columns.iter().enumerate() {
        // Text and identifiers read as anything: their values tell nothing.
        let telling = !matches!(column.value, ValueType::Text | ValueType::Id);
        if preset[i].is_some() || !telling || !(column.required || in_one_of(kind, column.name)) {
            continue;
        }
        let left: Vec<u32> = sheet.rows[pos]
            .cells
            .iter()
            .filter(|(c, cell)| !cell.is_blank() && !preset.contains(&Some(*c)))
            .map(|(c, _)| *c)
            .collect();
        preset[i] = crate::consolidate::likeliest_column(column, &left, below, sheet.date_1904);
    }
    preset
}

/// The row the tool reads as the header: the recognised or nearly recognised one, else the
/// row among the first 30 that names the most columns of any kind, else the first with two
/// cells or more, else the first; and whether the sheet is, or comes close to, a kind.
fn found_header_row(
    settings: &Settings,
    schema: &Schema,
    path: &str,
    sheet: &RawSheet,
) -> (u32, bool) {
    match settings.recognise(schema, path, sheet) {
        Recognition::Table(layout) => return (sheet.rows[layout.header_pos].index + 1, true),
        Recognition::Near(near) => return (near.row, true),
        Recognition::Ignored(_) => {}
    }
    let searched = || {
        sheet
            .rows
            .iter()
            .take_while(|r| r.index < HEADER_SEARCH_ROWS)
    };
    let named = |r: &RawRow| schema.closeness(r).first().map_or(0, |m| m.columns.len());
    let mut best: Option<(usize, u32)> = None;
    for r in searched() {
        let n = named(r);
        if n > 0 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, r.index + 1));
        }
    }
    let row = best
        .map(|(_, row)| row)
        .or_else(|| {
            searched()
                .find(|r| r.cells.iter().filter(|(_, c)| !c.is_blank()).count() >= 2)
                .map(|r| r.index + 1)
        })
        .or_else(|| sheet.rows.first().map(|r| r.index + 1))
        .unwrap_or(1);
    (row, false)
}

/// The file-name pattern of a rule made on the page, so that next month's file matches too
/// and others do not: the file's name up to its first digit, without a month's name just
/// before it (`scorebord_ICT_2025-03.xlsx` → `scorebord_ICT_`, `tableau_CDD_mars-2025.xlsx`
/// → `tableau_CDD_`); a name without digits whole, with its extension (`Planning.xlsx`:
/// `Planning` alone would match `planning_ICT_…` too, the config's patterns being "the path
/// contains it").
pub fn name_pattern(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let Some(first_digit) = stem.find(|c: char| c.is_ascii_digit()) else {
        return name.to_string();
    };
    let separator = |c: char| matches!(c, '_' | '-' | ' ' | '.');
    let head = &stem[..first_digit];
    let bare = head.trim_end_matches(separator);
    let last_word = bare.rsplit(separator).next().unwrap_or_default();
    let pattern = if !last_word.is_empty() && crate::parse::month_from_name(last_word).is_some() {
        &bare[..bare.len() - last_word.len()]
    } else {
        head
    };
    if pattern.trim_matches(separator).is_empty() {
        stem.to_string()
    } else {
        pattern.to_string()
    }
}

/// Why a mapping would not read its sheet as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// The kind's required columns still missing from the header row (none: the sheet is
    /// read from another row, or as another kind).
    Missing(Vec<&'static str>),
    /// A header chosen for a column that the sheet would still read otherwise: as another
    /// column (`Some`), or not at all.
    NotTaken {
        /// The header as chosen.
        header: String,
        /// The column it was chosen for.
        column: String,
        /// The column it would be read as.
        read_as: Option<&'static str>,
    },
}

/// Whether `settings` (a config with the mapping in it) reads `sheet` of `path` as `kind`
/// from `header_row` (any row when `None`), each `(column, header)` of `pairs` as that column.
///
/// # Errors
/// [`Unread`]: what would still be read otherwise.
pub fn verify(
    settings: &Settings,
    path: &str,
    sheet: &RawSheet,
    kind: &str,
    header_row: Option<u32>,
    pairs: &[(String, String)],
) -> Result<(), Unread> {
    let Ok(schema) = Schema::new(&settings.alias_triples()) else {
        return Err(Unread::Missing(Vec::new()));
    };
    match settings.recognise(&schema, path, sheet) {
        Recognition::Table(layout)
            if layout.kind.name == kind
                && header_row.is_none_or(|r| sheet.rows[layout.header_pos].index + 1 == r) =>
        {
            let header = &sheet.rows[layout.header_pos];
            for (column, chosen) in pairs {
                let norm = crate::parse::normalize(chosen);
                let mut cells = header
                    .cells
                    .iter()
                    .filter(|(_, c)| crate::parse::normalize(&c.display()) == norm)
                    .peekable();
                // A header this sheet does not have is for other files: nothing to try here.
                if cells.peek().is_none() {
                    continue;
                }
                let read_as = cells.find_map(|(c, _)| {
                    layout
                        .columns
                        .iter()
                        .find(|(x, _)| x == c)
                        .map(|(_, i)| layout.kind.columns[*i].name)
                });
                if read_as != Some(column.as_str()) {
                    return Err(Unread::NotTaken {
                        header: chosen.clone(),
                        column: column.clone(),
                        read_as,
                    });
                }
            }
            Ok(())
        }
        _ => {
            // What the chosen row still lacks for the kind, as the sheet's own schema sees it.
            let schema = settings.schema_for(&schema, path, &sheet.name);
            let row = header_row.and_then(|r| sheet.rows.iter().find(|x| x.index + 1 == r));
            Err(Unread::Missing(
                row.map(|r| schema.closeness(r))
                    .and_then(|ranked| ranked.into_iter().find(|m| m.kind.name == kind))
                    .map(|m| m.missing)
                    .unwrap_or_default(),
            ))
        }
    }
}

/// The header cells of `row` that hold a value rather than a name: a number, a date, a time.
pub fn values_in(sheet: &RawSheet, row: u32) -> Vec<String> {
    sheet
        .rows
        .iter()
        .find(|r| r.index + 1 == row)
        .map(|r| {
            r.cells
                .iter()
                .filter(|(_, c)| !c.is_blank() && !matches!(c, crate::read::RawCell::Text(_)))
                .map(|(_, c)| c.display())
                .collect()
        })
        .unwrap_or_default()
}

/// The cell text shown in the preview: trimmed, one line, at most [`SHOWN_CHARS`].
fn shown(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > SHOWN_CHARS {
        let cut: String = one_line.chars().take(SHOWN_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

/// A link to this page with another row or kind chosen.
fn href(view: &MapView, row: u32, kind: &str) -> String {
    let row = row.to_string();
    let query = serde_urlencoded::to_string([
        ("file", view.file),
        ("sheet", view.sheet.name.as_str()),
        ("row", row.as_str()),
        ("kind", kind),
    ])
    .unwrap_or_default();
    format!("/map?{query}")
}

/// The mapping page.
pub fn page(l: &Labels, view: &MapView, config: &str) -> String {
    let p = &l.page;
    let headers = view.headers();
    let last_column = view
        .sheet
        .rows
        .iter()
        .take_while(|r| r.index < HEADER_SEARCH_ROWS)
        .flat_map(|r| r.cells.iter().map(|(c, _)| *c))
        .max()
        .map_or(0, |c| c.min(SHOWN_COLUMNS - 1));
    let letter = |c: u32| rust_xlsxwriter::utility::column_number_to_name(c as u16);
    let mut columns: Vec<(usize, &crate::schema::ColumnDef)> =
        view.kind.columns.iter().enumerate().collect();
    columns.sort_by_key(|(i, c)| (!(c.required || in_one_of(view.kind, c.name)), *i));
    let pattern = view.pattern.clone();
    let values: Vec<String> = values_in(view.sheet, view.header_row)
        .iter()
        .map(|v| shown(v))
        .take(3)
        .collect();
    let rule_line = l.fill(
        &p.map_scope_rule,
        &[
            ("pattern", pattern),
            ("sheet", view.sheet.name.clone()),
            ("row", view.header_row.to_string()),
        ],
    );
    html! {
        (DOCTYPE)
        html lang=(l.lang.code()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(super::page::POLICY);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (p.map) " — " (view.file) " — scoreboard" }
                link rel="stylesheet" href="/assets/page.css";
            }
            body.mapper {
                header.top {
                    div {
                        h1 { (l.fill(&p.map_title, &[("file", view.file.to_string()), ("sheet", view.sheet.name.clone())])) }
                        p.folder { (l.fill(&p.map_intro, &[("config", config.to_string())])) }
                    }
                    p { a href="/" { (p.back) } }
                }
                main {
                    @if let Some(why) = &view.refused {
                        p.refused-banner role="alert" { (why) }
                    }
                    section #map-rows aria-labelledby="map-rows-title" {
                        h2 #map-rows-title { (p.map_rows) }
                        @if view.sheet.rows.is_empty() {
                            p.muted { (p.map_no_rows) }
                        } @else {
                            p.muted { (p.map_rows_hint) }
                            div.scroll {
                                table.sheet-rows {
                                    thead { tr {
                                        th scope="col" {}
                                        @for c in 0..=last_column { th scope="col" { (letter(c)) } }
                                    } }
                                    tbody {
                                        @for r in view.sheet.rows.iter().take_while(|r| r.index < HEADER_SEARCH_ROWS) {
                                            @let n = r.index + 1;
                                            @let here = n == view.header_row;
                                            tr class=[here.then_some("header-row")] {
                                                th scope="row" {
                                                    @if here {
                                                        span.mark { (n) " " (p.map_header_here) }
                                                    } @else {
                                                        a href=(href(view, n, view.kind.name)) title=(l.fill(&p.map_use_row, &[("row", n.to_string())])) { (n) }
                                                    }
                                                }
                                                @for c in 0..=last_column {
                                                    td { (r.get(c).map(|x| shown(&x.display())).unwrap_or_default()) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section #map-kinds aria-labelledby="map-kinds-title" {
                        h2 #map-kinds-title { (p.map_kinds) }
                        ol.kinds {
                            @for m in &view.ranked {
                                @let line = l.fill(&p.map_kind_line, &[
                                    ("kind", l.kind(m.kind.name)),
                                    ("found", m.columns.len().to_string()),
                                    ("total", m.kind.columns.len().to_string()),
                                ]);
                                @let missing = (!m.missing.is_empty()).then(|| l.fill(&p.map_kind_missing, &[("missing", column_names(l, m.kind, &m.missing))]));
                                li class=[(m.kind.name == view.kind.name).then_some("chosen")] {
                                    @if m.kind.name == view.kind.name {
                                        strong { "✓ " (line) }
                                    } @else {
                                        a href=(href(view, view.header_row, m.kind.name)) { (line) }
                                    }
                                    @if let Some(missing) = missing { span.muted { " — " (missing) } }
                                }
                            }
                        }
                    }
                    section #map-columns aria-labelledby="map-columns-title" {
                        h2 #map-columns-title { (p.map_columns) " — " (l.kind(view.kind.name)) }
                        @if !values.is_empty() {
                            p.warn-banner { (l.fill(&p.map_row_values, &[("row", view.header_row.to_string()), ("values", values.join(", "))])) }
                        }
                        form.map-page method="post" action="/map" {
                            input type="hidden" name="file" value=(view.file);
                            input type="hidden" name="sheet" value=(view.sheet.name);
                            input type="hidden" name="kind" value=(view.kind.name);
                            input type="hidden" name="header_row" value=(view.header_row);
                            table.columns {
                                tbody {
                                    @for (i, c) in &columns {
                                        @let now = view.preset.get(*i).copied().flatten();
                                        tr {
                                            th scope="row" {
                                                label for=(format!("col-{}", c.name)) {
                                                    (c.aliases.header(l.lang).unwrap_or(c.name)) " " code.muted { (c.name) }
                                                }
                                                @if c.required || in_one_of(view.kind, c.name) { " " span.req { (p.map_required) } }
                                            }
                                            td {
                                                select id=(format!("col-{}", c.name)) name=(format!("col.{}", c.name)) {
                                                    option value="" { (p.map_none) }
                                                    @for (col, text) in &headers {
                                                        option value=(text) selected[now == Some(*col)] { (letter(*col)) " · " (shown(text)) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            fieldset.scope {
                                legend { (p.map_scope) }
                                label.check { input type="radio" name="scope" value="aliases" checked[!view.rule_first]; " " (p.map_scope_aliases) }
                                label.check { input type="radio" name="scope" value="rule" checked[view.rule_first]; " " (rule_line) }
                            }
                            button type="submit" { (p.save) }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

/// `Échéance (deadline), Statut (status)`: columns as the page's language heads them, with
/// their canonical names (those the config and `scoreboard map` use).
pub fn column_names(l: &Labels, kind: &KindDef, names: &[&str]) -> String {
    let named: Vec<String> = names
        .iter()
        .map(|name| {
            match kind
                .columns
                .iter()
                .find(|c| c.name == *name)
                .and_then(|c| c.aliases.header(l.lang))
            {
                Some(header) => format!("{header} ({name})"),
                None => (*name).to_string(),
            }
        })
        .collect();
    named.join(", ")
}

/// Whether `column` is one of a `one_of` group of `kind` (one of them is required).
fn in_one_of(kind: &KindDef, column: &str) -> bool {
    kind.one_of.iter().any(|g| g.contains(&column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_name_pattern_keeps_the_name_up_to_its_first_digit() {
        assert_eq!(
            name_pattern("hr/scorebord_ICT_2025-03.xlsx"),
            "scorebord_ICT_"
        );
        assert_eq!(name_pattern("2025-03 ICT.xlsx"), "2025-03 ICT");
        assert_eq!(name_pattern("planning.csv"), "planning.csv");
    }

    #[test]
    fn the_page_finds_the_header_row_below_titles_and_ranks_the_kinds() {
        let mut sheet = crate::test_support::sheet(
            "Blad1",
            &[
                &["Planning ICT"],
                &["Nr", "Wat", "Uiterste datum", "Stand van zaken"],
                &["ICT-01", "Laptops", "31/03/2025", "Lopend"],
            ],
        );
        for (i, r) in sheet.rows.iter_mut().enumerate() {
            r.index = i as u32;
        }
        let settings = Settings::default();
        let schema = Schema::new(&[]).unwrap();
        let view = MapView::new(
            &settings,
            &schema,
            "in/x.xlsx",
            "x.xlsx",
            &sheet,
            None,
            None,
        );
        assert_eq!(view.header_row, 2, "the row that names a kind's columns");
        assert_eq!(view.kind.name, "actions");
        assert_eq!(view.ranked[0].missing, ["action_id", "deadline"]);
        // Status is named by its header; the deadline guessed by its values (a date in C);
        // the action id not guessed (any text reads as one).
        let at = |name: &str| {
            view.preset[view
                .kind
                .columns
                .iter()
                .position(|c| c.name == name)
                .unwrap()]
        };
        assert_eq!(
            (at("status"), at("deadline"), at("action_id")),
            (Some(3), Some(2), None)
        );
        // Another row and kind asked for.
        let other = MapView::new(
            &settings,
            &schema,
            "in/x.xlsx",
            "x.xlsx",
            &sheet,
            Some(3),
            Some("indicators"),
        );
        assert_eq!((other.header_row, other.kind.name), (3, "indicators"));
        // A row the sheet does not have: the one found.
        let none = MapView::new(
            &settings,
            &schema,
            "in/x.xlsx",
            "x.xlsx",
            &sheet,
            Some(99),
            None,
        );
        assert_eq!(none.header_row, 2);

        // Verified on the sheet: aliases for the two missing columns make it a table from
        // row 2; without one of them, it is still missing.
        let with = |pairs: &[(&str, &str)]| {
            let mut s = Settings::default();
            for (c, h) in pairs {
                s.aliases
                    .entry("actions".into())
                    .or_default()
                    .insert((*c).into(), vec![(*h).into()]);
            }
            s
        };
        let both = with(&[("action_id", "Nr"), ("deadline", "Uiterste datum")]);
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(c, h)| (c.to_string(), h.to_string()))
                .collect()
        };
        let chosen = pairs(&[("action_id", "Nr"), ("deadline", "Uiterste datum")]);
        let at = |s: &Settings, row: u32, p: &[(String, String)]| {
            verify(s, "in/x.xlsx", &sheet, "actions", Some(row), p)
        };
        assert_eq!(at(&both, 2, &chosen), Ok(()));
        assert_eq!(
            at(&both, 3, &chosen),
            Err(Unread::Missing(vec!["action_id", "deadline", "status"])),
            "row 3 is data, not a header"
        );
        let one = with(&[("action_id", "Nr")]);
        assert_eq!(
            at(&one, 2, &chosen[..1]),
            Err(Unread::Missing(vec!["deadline"]))
        );
        // A header chosen for a column the sheet still reads as another is said; one the
        // sheet does not have is for other files.
        assert_eq!(
            at(&both, 2, &pairs(&[("title", "Stand van zaken")])),
            Err(Unread::NotTaken {
                header: "Stand van zaken".into(),
                column: "title".into(),
                read_as: Some("status")
            })
        );
        assert_eq!(at(&both, 2, &pairs(&[("title", "Elders")])), Ok(()));
    }
}
