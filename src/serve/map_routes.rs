//! The mapping routes of the page (spec §11): the mapping page of one sheet (`GET /map`), the
//! save that tries a mapping on its sheet before writing it (`POST /map`), the undo of one
//! mapping (`POST /unmap`), and the config's mappings listed on the main page. The view and
//! the check of a mapping on its sheet are [`super::mapper`]'s; the guard, the answers and the
//! form extractor are [`super::app`]'s.

use super::app::{
    answer, bad_request, failed, html_status, listed, refused, wants_json, AppState, PageForm,
};
use super::build::Wake;
use super::page;
use crate::i18n::Labels;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::path::Path;

/// The mapping page's query: every field optional and read as text, so that a malformed one
/// gets the page's own refusal, never the extractor's message.
#[derive(Debug, Default, serde::Deserialize)]
struct MapQuery {
    file: Option<String>,
    sheet: Option<String>,
    row: Option<String>,
    kind: Option<String>,
}

/// The mapping page of one sheet of a listed file ([`super::mapper`]).
pub(super) async fn map_page(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    let l = app.labels();
    let q: MapQuery =
        serde_urlencoded::from_str(uri.query().unwrap_or_default()).unwrap_or_default();
    let (Some(file), Some(sheet)) = (q.file, q.sheet) else {
        return bad_request(&app, &headers, &l.page.refused_form);
    };
    let row = q.row.and_then(|r| r.trim().parse::<u32>().ok());
    let Some(path) = listed(&app.shared.config.dir, &file) else {
        return refused(&app, &headers, StatusCode::NOT_FOUND, &l.page.not_found);
    };
    let config = app.shared.config.clone();
    let built = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let sheet = read_sheet(l, &config, &path, &file, &sheet)?;
        let chosen = Chosen::Asked {
            row,
            kind: q.kind.as_deref(),
        };
        render_page(l, &config, &path, &file, &sheet, chosen)
    })
    .await;
    match built {
        Ok(Ok(body)) => html_status(StatusCode::OK, body),
        Ok(Err(message)) => refused(&app, &headers, StatusCode::BAD_REQUEST, &message),
        Err(_) => failed(&app, &headers),
    }
}

/// The config's column mappings as the file is now, each with its undo (or why it cannot be
/// read).
pub(super) fn mappings(l: &Labels, config: &crate::config::ServeConfig) -> maud::Markup {
    let shown = config.config_path.display().to_string();
    match current(l, config) {
        Ok((settings, _)) => page::mappings(l, &settings, &shown),
        Err(message) => maud::html! { p.why { (message) } },
    }
}

/// The config as the file is now (a mapping saved a moment ago included) with its schema, or
/// why not.
fn current(
    l: &Labels,
    config: &crate::config::ServeConfig,
) -> Result<(crate::config::Settings, crate::schema::Schema), String> {
    config
        .reloaded()
        .map(|c| (c.run.settings, c.run.schema))
        .map_err(|e| {
            l.fill(
                &l.page.config_broken,
                &[
                    ("config", config.config_path.display().to_string()),
                    ("error", e.to_string()),
                ],
            )
        })
}

/// What the mapping page shows chosen.
enum Chosen<'a> {
    /// The header row and kind asked for in its address (else those the tool finds).
    Asked {
        row: Option<u32>,
        kind: Option<&'a str>,
    },
    /// A save refused: the analyst's choices kept, the reason above them.
    Refused(&'a Mapping, String),
}

/// The mapping page of `sheet` of `file` (its path and name as listed).
fn render_page(
    l: &Labels,
    config: &crate::config::ServeConfig,
    path: &Path,
    file: &str,
    sheet: &crate::read::RawSheet,
    chosen: Chosen,
) -> Result<String, String> {
    let (settings, schema) = current(l, config)?;
    let (row, kind) = match &chosen {
        Chosen::Asked { row, kind } => (*row, *kind),
        Chosen::Refused(asked, _) => (asked.header_row, Some(asked.kind.as_str())),
    };
    let view = super::mapper::MapView::new(
        &settings,
        &schema,
        &path.to_string_lossy(),
        file,
        sheet,
        row,
        kind,
    );
    let view = match chosen {
        Chosen::Refused(asked, why) => view.refused_with(&asked.pairs, asked.rule, why),
        Chosen::Asked { .. } => view,
    };
    Ok(super::mapper::page(
        l,
        &view,
        &config.config_path.display().to_string(),
    ))
}

/// The sheet `sheet` of a listed file, read through the isolated reader; or why not, in the
/// page's words.
fn read_sheet(
    l: &Labels,
    config: &crate::config::ServeConfig,
    path: &Path,
    shown: &str,
    sheet: &str,
) -> Result<crate::read::RawSheet, String> {
    let unreadable = |error: String| {
        l.fill(
            &l.page.map_unreadable,
            &[("file", shown.to_string()), ("error", error)],
        )
    };
    let readers = crate::read::Readers::new(
        &crate::engine::reader_binary().map_err(|e| unreadable(e.to_string()))?,
        &config.run.read.limits,
    );
    let raw = readers.read(path).map_err(|e| unreadable(e.to_string()))?;
    raw.sheets
        .into_iter()
        .find(|s| s.name == sheet)
        .ok_or_else(|| {
            l.fill(
                &l.page.map_no_sheet,
                &[("file", shown.to_string()), ("sheet", sheet.to_string())],
            )
        })
}

/// Saves a column mapping into the config: aliases of the kind, or a `[[sheets]]` rule for
/// files named like this one and this sheet. With a file and sheet named, the mapping is first
/// tried on that sheet ([`save_mapping`]). A refusal of the mapping page's own form (posted
/// without the script) shows that page again with the choices kept and the reason above them.
pub(super) async fn map(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    let l = app.labels();
    let field = |name: &str| field(&fields, name);
    let pairs: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("col.")?.to_string(), v.trim().to_string())))
        .filter(|(_, header)| !header.is_empty())
        .collect();
    let header_row = match field("header_row").map(|r| r.trim().parse::<u32>()) {
        None => None,
        Some(Ok(r)) if (1..=crate::schema::HEADER_SEARCH_ROWS).contains(&r) => Some(r),
        Some(_) => return bad_request(&app, &headers, &l.page.refused_form),
    };
    let Some(kind) = field("kind")
        .map(|k| k.trim().to_string())
        .filter(|k| crate::schema::KINDS.iter().any(|d| d.name == k))
    else {
        return bad_request(&app, &headers, &l.page.refused_form);
    };
    if pairs.is_empty() {
        return bad_request(&app, &headers, &l.page.refused_form);
    }
    let target = match (field("file"), field("sheet")) {
        (Some(file), Some(sheet)) => match listed(&app.shared.config.dir, &file) {
            Some(path) => Some((path, file, sheet)),
            None => return bad_request(&app, &headers, &l.page.refused_file),
        },
        _ => None,
    };
    let asked = Mapping {
        kind,
        pairs,
        header_row,
        rule: field("scope").is_some_and(|s| s.trim() == "rule"),
    };
    let config = app.shared.config.clone();
    let as_page = !wants_json(&headers);
    let saved = tokio::task::spawn_blocking(move || {
        let Some((path, file, sheet_name)) = &target else {
            return save_aliases(l, &config, &asked).map_err(|why| (why, None));
        };
        let sheet = read_sheet(l, &config, path, file, sheet_name).map_err(|why| (why, None))?;
        save_mapping(l, &config, &asked, path, file, &sheet).map_err(|why| {
            // The mapping page again, the choices kept, the reason above them.
            let again = as_page.then(|| {
                let chosen = Chosen::Refused(&asked, why.clone());
                render_page(l, &config, path, file, &sheet, chosen).ok()
            });
            (why, again.flatten())
        })
    })
    .await;
    match saved {
        Ok(Ok(message)) if as_page => {
            app.wake(Wake::Changed);
            html_status(StatusCode::OK, page::message(l, &message))
        }
        Ok(Ok(message)) => {
            let body = serde_json::json!({ "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        Ok(Err((_, Some(page)))) => html_status(StatusCode::BAD_REQUEST, page),
        Ok(Err((why, None))) => refused(&app, &headers, StatusCode::BAD_REQUEST, &why),
        Err(_) => failed(&app, &headers),
    }
}

/// A form's field by name, as sent (a sheet name or a rule's pattern may end in a space), when
/// it holds more than blanks.
fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.trim().is_empty())
}

/// A mapping asked for on the page.
#[derive(Debug, Clone)]
struct Mapping {
    kind: String,
    /// (column, header) pairs.
    pairs: Vec<(String, String)>,
    header_row: Option<u32>,
    /// A rule for this file and sheet asked for, rather than aliases.
    rule: bool,
}

/// [`map`]'s work without a sheet named: the pairs saved as aliases of the kind.
fn save_aliases(
    l: &Labels,
    config: &crate::config::ServeConfig,
    asked: &Mapping,
) -> Result<String, String> {
    let said = said_pairs(&asked.pairs);
    crate::mapping::edit_config(&config.config_path, |text| {
        let (out, _) = crate::mapping::add_aliases(text, &asked.kind, &asked.pairs)
            .map_err(|e| mapping_refusal(l, &e))?;
        Ok((Some(out), ()))
    })?;
    let shown_config = config.config_path.display().to_string();
    Ok(l.fill(
        &l.page.mapped_msg,
        &[("config", shown_config), ("pairs", said)],
    ))
}

/// [`map`]'s work off the async threads with a sheet named (`file`: its path and name as
/// listed), one config edit at a time: the mapping tried on that sheet first
/// ([`mapped_on_sheet`]). The message to show, or why not, in the page's words.
fn save_mapping(
    l: &Labels,
    config: &crate::config::ServeConfig,
    asked: &Mapping,
    file: &Path,
    shown: &str,
    sheet: &crate::read::RawSheet,
) -> Result<String, String> {
    let row = asked.header_row.map(|r| r.to_string()).unwrap_or_default();
    // A header chosen that is a value of the row (a date, a number): the row is data.
    let values = super::mapper::values_in(sheet, asked.header_row.unwrap_or(0));
    if let Some((_, value)) = asked.pairs.iter().find(|(_, h)| values.contains(h)) {
        return Err(l.fill(
            &l.page.map_value_header,
            &[("header", value.clone()), ("row", row)],
        ));
    }
    let on = OnSheet {
        path: file.to_string_lossy().into_owned(),
        sheet,
        pattern: super::mapper::name_pattern(shown),
        row,
        config: config.config_path.display().to_string(),
    };
    crate::mapping::edit_config(&config.config_path, |text| {
        mapped_on_sheet(l, text, asked, &on)
    })
}

/// The sheet a mapping is tried on.
struct OnSheet<'a> {
    /// Its file's path, as the config's rules match it.
    path: String,
    sheet: &'a crate::read::RawSheet,
    /// The file-name pattern of a rule made for it.
    pattern: String,
    /// The header row asked for, as text for the messages (empty: any).
    row: String,
    /// The config file as the messages name it.
    config: String,
}

/// The config `text` with `asked` in it, once it reads `on`'s sheet as asked — as aliases
/// unless a rule was asked for or aliases will not do, else as a rule; only the pairs the
/// sheet's headers do not name already. `None` when there is nothing new; and the message.
fn mapped_on_sheet(
    l: &Labels,
    text: &str,
    asked: &Mapping,
    on: &OnSheet,
) -> Result<(Option<String>, String), String> {
    let kind = asked.kind.as_str();
    let broken = |error: String| {
        l.fill(
            &l.page.config_broken,
            &[("config", on.config.clone()), ("error", error)],
        )
    };
    let (now, schema) = crate::config::Settings::validated(text).map_err(broken)?;
    let schema = now.schema_for(&schema, &on.path, &on.sheet.name);
    let pairs: Vec<(String, String)> = asked
        .pairs
        .iter()
        .filter(|(column, header)| schema.column_named(kind, header) != Some(column.as_str()))
        .cloned()
        .collect();
    let reads = |out: &str| -> Result<(), String> {
        let settings = crate::config::Settings::parse(out).map_err(broken)?;
        super::mapper::verify(
            &settings,
            &on.path,
            on.sheet,
            kind,
            asked.header_row,
            &asked.pairs,
        )
        .map_err(|why| unread(l, kind, &on.row, &why))
    };
    if pairs.is_empty() && reads(text).is_ok() {
        let message = l.fill(
            &l.page.map_nothing,
            &[("kind", l.kind(kind)), ("row", on.row.clone())],
        );
        return Ok((None, message));
    }
    let said = said_pairs(&pairs);
    if !asked.rule {
        match crate::mapping::add_aliases(text, kind, &pairs) {
            Ok((out, _)) if reads(&out).is_ok() => {
                let message = l.fill(
                    &l.page.mapped_msg,
                    &[("config", on.config.clone()), ("pairs", said)],
                );
                return Ok((Some(out), message));
            }
            // Aliases that would not read the sheet from that row, or a header that names
            // another column everywhere: this file's rule may say so.
            Ok(_) | Err(crate::mapping::MappingError::Ambiguous { .. }) => {}
            Err(e) => return Err(mapping_refusal(l, &e)),
        }
    }
    let rule = crate::mapping::SheetRule {
        file: on.pattern.clone(),
        sheet: on.sheet.name.clone(),
        kind: kind.to_string(),
        header_row: asked.header_row,
        columns: pairs,
    };
    let out = crate::mapping::add_sheet_rule(text, &rule).map_err(|e| mapping_refusal(l, &e))?;
    reads(&out)?;
    let label = if asked.rule {
        &l.page.mapped_rule_msg
    } else {
        &l.page.mapped_rule_fallback_msg
    };
    let message = l.fill(
        label,
        &[
            ("config", on.config.clone()),
            ("pattern", on.pattern.clone()),
            ("sheet", on.sheet.name.clone()),
            ("row", on.row.clone()),
            ("pairs", said),
        ],
    );
    Ok((Some(out), message))
}

/// Why a mapping would not read its sheet, in the page's words.
fn unread(l: &Labels, kind: &str, row: &str, why: &super::mapper::Unread) -> String {
    use super::mapper::{column_names, Unread};
    let def = crate::schema::KINDS.iter().find(|k| k.name == kind);
    let names = |columns: &[&str]| match def {
        Some(def) => column_names(l, def, columns),
        None => columns.join(", "),
    };
    match why {
        Unread::Missing(missing) if missing.is_empty() => l.fill(
            &l.page.map_other_row,
            &[("kind", l.kind(kind)), ("row", row.to_string())],
        ),
        Unread::Missing(missing) => l.fill(
            &l.page.map_not_enough,
            &[
                ("kind", l.kind(kind)),
                ("row", row.to_string()),
                ("missing", names(missing)),
            ],
        ),
        Unread::NotTaken {
            header,
            column,
            read_as: Some(other),
        } => l.fill(
            &l.page.map_not_taken,
            &[
                ("header", header.clone()),
                ("column", names(&[column.as_str()])),
                ("other", names(&[other])),
            ],
        ),
        Unread::NotTaken { header, column, .. } => l.fill(
            &l.page.map_not_read,
            &[
                ("header", header.clone()),
                ("column", names(&[column.as_str()])),
            ],
        ),
    }
}

/// A mapping the config refuses, in the page's words.
fn mapping_refusal(l: &Labels, e: &crate::mapping::MappingError) -> String {
    use crate::mapping::MappingError;
    match e {
        MappingError::Ambiguous {
            header,
            column,
            other,
            ..
        } => l.fill(
            &l.page.map_ambiguous,
            &[
                ("header", header.clone()),
                ("column", column.clone()),
                ("other", other.clone()),
            ],
        ),
        MappingError::Config(detail) => {
            l.fill(&l.page.refused_request, &[("reason", detail.clone())])
        }
        MappingError::Kind(_) | MappingError::Column { .. } | MappingError::Empty(_) => l.fill(
            &l.page.refused_request,
            &[("reason", l.page.refused_form.clone())],
        ),
    }
}

/// `“Uiterste datum” → deadline, …`
fn said_pairs(pairs: &[(String, String)]) -> String {
    let said: Vec<String> = pairs
        .iter()
        .map(|(column, header)| format!("“{header}” → {column}"))
        .collect();
    said.join(", ")
}

/// Takes one mapping out of the config: an alias (`kind`, `column`, `header`) or a rule
/// (`file`, `sheet`).
pub(super) async fn unmap(
    State(app): State<AppState>,
    headers: HeaderMap,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Response {
    let l = app.labels();
    let field = |name: &str| field(&fields, name);
    let path = app.shared.config.config_path.clone();
    let shown_config = path.display().to_string();
    let alias = (field("kind"), field("column"), field("header"));
    let rule = (field("file"), field("sheet"));
    let done = tokio::task::spawn_blocking(move || {
        crate::mapping::edit_config(&path, |text| {
            let (out, found, what) = match (alias, rule) {
                ((Some(kind), Some(column), Some(header)), _) => {
                    let (out, found) = crate::mapping::remove_alias(text, &kind, &column, &header)
                        .map_err(|e| e.to_string())?;
                    let what = l.fill(
                        &l.page.mapping_alias,
                        &[
                            ("kind", l.kind(&kind)),
                            ("header", header),
                            ("column", column),
                        ],
                    );
                    (out, found, what)
                }
                (_, (Some(file), Some(sheet))) => {
                    let (out, found) = crate::mapping::remove_sheet_rule(text, &file, &sheet)
                        .map_err(|e| e.to_string())?;
                    let what = l.fill(&l.page.mapping_rule_of, &[("file", file), ("sheet", sheet)]);
                    (out, found, what)
                }
                _ => return Ok((None, None)),
            };
            Ok(if found {
                (Some(out), Some(what))
            } else {
                (None, Some(String::new()))
            })
        })
    })
    .await;
    match done {
        Ok(Ok(Some(what))) if !what.is_empty() => {
            let message = l.fill(
                &l.page.unmapped_msg,
                &[("config", shown_config), ("what", what)],
            );
            let body = serde_json::json!({ "message": message });
            answer(&headers, StatusCode::OK, &body, &app, true)
        }
        Ok(Ok(Some(_))) => {
            let message = l.fill(&l.page.unmap_gone, &[("config", shown_config)]);
            refused(&app, &headers, StatusCode::NOT_FOUND, &message)
        }
        Ok(Ok(None)) => bad_request(&app, &headers, &l.page.refused_form),
        Ok(Err(detail)) => refused(&app, &headers, StatusCode::BAD_REQUEST, &detail),
        Err(_) => failed(&app, &headers),
    }
}
