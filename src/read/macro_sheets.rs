//! A workaround for calamine 0.38, which refuses a whole xlsx or xlsm holding an Excel 4 macro
//! sheet (`xl/macrosheets/sheet1.xml`, common in old finance workbooks): "Unrecognized
//! sheet:type". Until calamine lists macro sheets (docs/reliability.md), the workbook is handed
//! to it with the macro sheets' relationships typed as dialog sheets — sheets it lists and that
//! scoreboard never reads — and the sheets at those places are reported as macro sheets.

use super::{Format, ReadError};
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::io::{Cursor, Read, Write};

/// The last segment of the relationship types of Excel 4 macro sheets (the international one
/// too), as `xl/_rels/workbook.xml.rels` names them.
const MACRO_TYPES: [&str; 2] = ["xlMacrosheet", "xlIntlMacrosheet"];

/// The workbook as calamine can open it, and for each `<sheet>` of the workbook, in order,
/// whether it is a macro sheet. A workbook without macro sheets comes back as it was, with no
/// flags; so does one whose parts cannot be made out (calamine then says what is wrong).
///
/// # Errors
/// [`ReadError::Corrupt`] only when rewriting the zip fails.
pub(super) fn hide_macro_sheets(bytes: Vec<u8>) -> Result<(Vec<u8>, Vec<bool>), ReadError> {
    let Some(found) = find(&bytes) else {
        return Ok((bytes, Vec::new()));
    };
    let rewritten =
        rewrite(&bytes, &found.rels_path, &found.rels).map_err(|e| ReadError::Corrupt {
            format: Format::Xlsx.name().into(),
            detail: e.to_string(),
        })?;
    Ok((rewritten, found.macro_sheets))
}

/// What the workbook's parts say about its macro sheets.
struct Found {
    /// The workbook's relationships part (`xl/_rels/workbook.xml.rels`).
    rels_path: String,
    /// Its text with the macro sheets' relationships typed as dialog sheets.
    rels: String,
    /// Per `<sheet>` of the workbook, in order: a macro sheet or not.
    macro_sheets: Vec<bool>,
}

fn find(bytes: &[u8]) -> Option<Found> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let workbook = office_document(&part(&mut zip, "_rels/.rels")?)?;
    let (folder, name) = match workbook.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name.to_string()),
        None => (String::new(), workbook.clone()),
    };
    let rels_path = format!("{folder}_rels/{name}.rels");
    let rels = part(&mut zip, &rels_path)?;
    if !MACRO_TYPES.iter().any(|t| rels.contains(t)) {
        return None;
    }
    let macro_ids: Vec<String> = relationships(&rels)
        .into_iter()
        .filter(|(_, typ)| MACRO_TYPES.contains(&typ.rsplit('/').next().unwrap_or_default()))
        .map(|(id, _)| id)
        .collect();
    let macro_sheets = sheet_relationship_ids(&part(&mut zip, &workbook)?)
        .iter()
        .map(|id| macro_ids.contains(id))
        .collect();
    let mut rels = rels;
    for typ in MACRO_TYPES {
        for quote in ['"', '\''] {
            rels = rels.replace(&format!("/{typ}{quote}"), &format!("/dialogsheet{quote}"));
        }
    }
    Some(Found {
        rels_path,
        rels,
        macro_sheets,
    })
}

/// One part of the zip as text; `None` when it is missing or no UTF-8 text.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// The attributes of every element named `element`, as (local name, value) pairs.
fn elements(xml: &str, element: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                found.push(
                    e.attributes()
                        .flatten()
                        .filter_map(|a| {
                            let value = a.normalized_value(XmlVersion::Implicit1_0).ok()?;
                            Some((a.key.local_name().as_ref().to_string(), value.into_owned()))
                        })
                        .collect(),
                );
            }
            Ok(Event::Eof) | Err(_) => return found,
            Ok(_) => {}
        }
    }
}

fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// The workbook part named by the package's relationships (`xl/workbook.xml`).
fn office_document(rels: &str) -> Option<String> {
    elements(rels, "Relationship").into_iter().find_map(|a| {
        let typ = attribute(&a, "Type")?;
        typ.ends_with("/officeDocument")
            .then(|| attribute(&a, "Target"))
            .flatten()
            .map(|t| t.trim_start_matches('/').to_string())
    })
}

/// Every relationship of a relationships part as (id, type).
fn relationships(rels: &str) -> Vec<(String, String)> {
    elements(rels, "Relationship")
        .into_iter()
        .filter_map(|a| Some((attribute(&a, "Id")?, attribute(&a, "Type")?)))
        .collect()
}

/// The relationship id (`r:id`) of every `<sheet>` of the workbook, in order.
fn sheet_relationship_ids(workbook: &str) -> Vec<String> {
    elements(workbook, "sheet")
        .into_iter()
        .map(|a| attribute(&a, "id").unwrap_or_default())
        .collect()
}

/// The zip with one part replaced; every other part copied as it is, still compressed.
fn rewrite(bytes: &[u8], replaced: &str, text: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i)?;
        let name = entry.name()?.into_owned();
        if name == replaced {
            drop(entry);
            let stored = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            out.start_file(name, stored)?;
            out.write_all(text.as_bytes())?;
        } else {
            out.raw_copy_file(entry)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_matched_to_macro_relationships_in_workbook_order() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#;
        let workbook = r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Macro1" sheetId="3" r:id="rId1"/><sheet name="Blad1" sheetId="1" r:id="rId3"/></sheets></workbook>"#;
        assert_eq!(
            relationships(rels),
            [
                (
                    "rId3".to_string(),
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
                        .to_string()
                ),
                (
                    "rId1".to_string(),
                    "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"
                        .to_string()
                ),
            ]
        );
        assert_eq!(sheet_relationship_ids(workbook), ["rId1", "rId3"]);
        let package = r#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        assert_eq!(office_document(package).as_deref(), Some("xl/workbook.xml"));
    }

    #[test]
    fn a_workbook_without_macro_sheets_is_left_as_it_is() {
        let bytes = b"PK not really a zip".to_vec();
        let (same, flags) = hide_macro_sheets(bytes.clone()).unwrap();
        assert_eq!(same, bytes);
        assert!(flags.is_empty());
    }
}
