//! The input template handed to directorates: one sheet per table kind with the canonical
//! header in the chosen language, required columns marked, lists for status, polarity and
//! yes/no, date formats, a help message on the deadline, a frozen header, and an instructions
//! sheet. Its words live in `template.toml` (one section per language), not in the code.

use crate::model::Lang;
use crate::schema::{KindDef, ValueType, KINDS};
use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The words of the template in one language (a section of `template.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateText {
    /// Name of the instructions sheet.
    pub instructions_sheet: String,
    /// Title on the instructions sheet.
    pub title: String,
    /// Paragraphs of instructions.
    pub intro: Vec<String>,
    /// Word for a required column.
    pub required: String,
    /// Word for an optional column.
    pub optional: String,
    /// Heading of the column list on the instructions sheet.
    pub columns_heading: String,
    /// Title of the deadline's input message.
    pub deadline_title: String,
    /// The deadline's input message (the accepted forms).
    pub deadline_message: String,
    /// Title of the input message of list cells.
    pub list_title: String,
    /// Status words offered, in the order not started, in progress, done, cancelled, postponed.
    pub statuses: Vec<String>,
    /// Polarity words offered: higher is better, lower is better.
    pub polarities: Vec<String>,
    /// Yes and no.
    pub yes_no: Vec<String>,
    /// Sheet name per table kind.
    pub sheets: BTreeMap<String, String>,
    /// Header per table kind, one per column of the kind, in the kind's column order.
    pub headers: BTreeMap<String, Vec<String>>,
}

/// The template's words in every language, parsed once from `template.toml`.
///
/// # Panics
/// When the embedded file does not parse (a test guards it).
pub fn catalogue() -> &'static BTreeMap<String, TemplateText> {
    static CATALOGUE: OnceLock<BTreeMap<String, TemplateText>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        toml::from_str(include_str!("template.toml")).expect("template.toml parses")
    })
}

/// The template's words in `lang`.
///
/// # Panics
/// When the language has no section (a test guards every language).
pub fn text(lang: Lang) -> &'static TemplateText {
    &catalogue()[lang.code()]
}

/// Builds the template workbook for `kinds` (every kind when empty) in `lang`.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn build_template(lang: Lang, kinds: &[&'static KindDef]) -> Result<Vec<u8>, XlsxError> {
    let t = text(lang);
    let kinds: Vec<&KindDef> = if kinds.is_empty() {
        KINDS.iter().collect()
    } else {
        kinds.to_vec()
    };
    let mut wb = Workbook::new();
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(&t.title)
            .set_creation_datetime(
                &chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
            ),
    );
    let styles = Styles::new();
    instructions(wb.add_worksheet(), t, &kinds, &styles)?;
    for kind in kinds {
        input_sheet(wb.add_worksheet(), t, kind, &styles)?;
    }
    wb.save_to_buffer()
}

struct Styles {
    required: Format,
    optional: Format,
    date: Format,
    title: Format,
    bold: Format,
    bold_top: Format,
    wrap: Format,
}

impl Styles {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::White);
        Styles {
            required: header
                .clone()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1F3864)),
            optional: header
                .set_font_color(Color::RGB(0x1F3864))
                .set_background_color(Color::RGB(0xD9E2F3)),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            title: Format::new().set_bold().set_font_size(16),
            bold: Format::new().set_bold(),
            bold_top: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Rows the validation lists and formats cover below the header.
const INPUT_ROWS: u32 = 2000;

fn input_sheet(
    ws: &mut Worksheet,
    t: &TemplateText,
    kind: &KindDef,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(&t.sheets[kind.name])?;
    let headers = &t.headers[kind.name];
    ws.set_row_height(0, 32)?;
    for (c, (column, header)) in kind.columns.iter().zip(headers).enumerate() {
        let c = c as u16;
        let required = column.required || kind.one_of.iter().any(|g| g.contains(&column.name));
        let style = if required {
            &styles.required
        } else {
            &styles.optional
        };
        ws.write_string_with_format(0, c, header, style)?;
        ws.set_column_width(c, (header.chars().count() as f64 + 4.0).max(14.0))?;
        if required {
            ws.insert_note(0, c, &Note::new(&t.required).set_author("scoreboard"))?;
        }
        let list = |words: &[String]| -> Result<DataValidation, XlsxError> {
            DataValidation::new()
                .allow_list_strings(&words.iter().map(String::as_str).collect::<Vec<_>>())?
                .set_input_title(&t.list_title)
        };
        let validation = match column.value {
            ValueType::Status if kind.name == "actions" => Some(list(&t.statuses)?),
            ValueType::Polarity => Some(list(&t.polarities)?),
            ValueType::YesNo => Some(list(&t.yes_no)?),
            ValueType::Deadline => Some(
                DataValidation::new()
                    .allow_any_value()
                    .set_input_title(&t.deadline_title)?
                    .set_input_message(&t.deadline_message)?,
            ),
            _ => None,
        };
        if let Some(v) = validation {
            ws.add_data_validation(1, c, INPUT_ROWS, c, &v)?;
        }
        if matches!(column.value, ValueType::Date | ValueType::Deadline) {
            ws.set_column_format(c, &styles.date)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn instructions(
    ws: &mut Worksheet,
    t: &TemplateText,
    kinds: &[&KindDef],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(&t.instructions_sheet)?;
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 90)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.write_string_with_format(0, 0, &t.title, &styles.title)?;
    ws.set_row_height(0, 24)?;
    let mut row = 2;
    for paragraph in &t.intro {
        ws.merge_range(row, 0, row, 1, paragraph, &styles.wrap)?;
        ws.set_row_height(row, wrapped_height(paragraph, 115))?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, &t.columns_heading, &styles.bold)?;
    row += 1;
    for kind in kinds {
        let columns: Vec<String> = kind
            .columns
            .iter()
            .zip(&t.headers[kind.name])
            .map(|(column, header)| {
                let required =
                    column.required || kind.one_of.iter().any(|g| g.contains(&column.name));
                format!(
                    "{header} ({})",
                    if required { &t.required } else { &t.optional }
                )
            })
            .collect();
        let columns = columns.join(", ");
        ws.write_string_with_format(row, 0, &t.sheets[kind.name], &styles.bold_top)?;
        ws.write_string_with_format(row, 1, &columns, &styles.wrap)?;
        ws.set_row_height(row, wrapped_height(&columns, 85))?;
        row += 1;
    }
    Ok(())
}

/// Height in points of a wrapped text cell about `chars_per_line` characters wide (rows do not
/// grow by themselves when a file is written rather than typed in).
fn wrapped_height(text: &str, chars_per_line: usize) -> f64 {
    let lines = text.chars().count().div_ceil(chars_per_line).max(1);
    lines as f64 * 15.0 + 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Polarity, Status};
    use crate::parse::{parse_polarity, parse_status, parse_yes_no};
    use crate::read::{RawCell, RawRow, RawSheet};
    use crate::schema::{Recognition, Schema};

    fn header_sheet(headers: &[String]) -> RawSheet {
        RawSheet {
            name: "t".into(),
            date_1904: false,
            rows: vec![RawRow {
                index: 0,
                cells: headers
                    .iter()
                    .enumerate()
                    .map(|(c, h)| (c as u32, RawCell::Text(h.clone())))
                    .collect(),
            }],
        }
    }

    #[test]
    fn every_language_names_every_column_of_every_kind_as_the_reader_knows_it() {
        let schema = Schema::new(&[]).unwrap();
        for lang in [Lang::En, Lang::Nl, Lang::Fr] {
            let t = text(lang);
            for kind in KINDS {
                let headers = &t.headers[kind.name];
                assert_eq!(headers.len(), kind.columns.len(), "{lang:?} {}", kind.name);
                let name = &t.sheets[kind.name];
                assert!(name.chars().count() <= 31, "{name}");
                // Messages name a missing column by the template's header in the file's
                // language: the first alias of that language.
                let first: Vec<&str> = kind
                    .columns
                    .iter()
                    .map(|c| c.aliases.header(lang).unwrap_or_default())
                    .collect();
                assert_eq!(headers, &first, "{lang:?} {}", kind.name);
                // Each header, alone with the kind's required ones, maps to its own column.
                match schema.recognise(&header_sheet(headers), Some(kind.name)) {
                    Recognition::Table(layout) => {
                        let mapped: Vec<&str> = layout
                            .columns
                            .iter()
                            .map(|(_, c)| kind.columns[*c].name)
                            .collect();
                        let all: Vec<&str> = kind.columns.iter().map(|c| c.name).collect();
                        assert_eq!(mapped, all, "{lang:?} {}", kind.name);
                    }
                    other => panic!("{lang:?} {}: {other:?}", kind.name),
                }
            }
            let statuses: Vec<_> = t.statuses.iter().map(|s| parse_status(s)).collect();
            assert_eq!(
                statuses,
                [
                    Status::NotStarted,
                    Status::InProgress,
                    Status::Done,
                    Status::Cancelled,
                    Status::Postponed
                ]
                .map(Some),
                "{lang:?}"
            );
            assert_eq!(
                t.polarities
                    .iter()
                    .map(|p| parse_polarity(p))
                    .collect::<Vec<_>>(),
                [Some(Polarity::Higher), Some(Polarity::Lower)],
                "{lang:?}"
            );
            assert_eq!(
                t.yes_no.iter().map(|w| parse_yes_no(w)).collect::<Vec<_>>(),
                [Ok(Some(true)), Ok(Some(false))],
                "{lang:?}"
            );
        }
        assert_eq!(catalogue().len(), 3, "one section per language, no other");
    }
}
