//! ODS has no chart sheets: LibreOffice (and Excel saving as .ods) keeps one as a table that
//! holds only a chart object, which calamine lists as an empty worksheet. Such tables are found
//! here from the package's parts, so that they are skipped as chart sheets — as in xlsx, xls
//! and xlsb — and not called empty.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use std::io::{BufReader, Cursor, Read};

/// The media type of an embedded chart in an ODS manifest.
const CHART: &str = "application/vnd.oasis.opendocument.chart";

/// The names of the tables that hold a chart object and no cell with content. Empty when the
/// package embeds no chart (one look at its manifest) or its parts cannot be made out.
pub(super) fn chart_only_tables(bytes: &[u8]) -> Vec<String> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Vec::new();
    };
    let charts = chart_objects(&mut zip);
    if charts.is_empty() {
        return Vec::new();
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Vec::new();
    };
    tables_of_charts_only(BufReader::new(content), &charts)
}

/// The folders of the embedded charts (`Object 1`), from `META-INF/manifest.xml`.
fn chart_objects(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Vec<String> {
    let mut manifest = String::new();
    let read = zip
        .by_name("META-INF/manifest.xml")
        .map(|part| part.take(1 << 20).read_to_string(&mut manifest));
    if !matches!(read, Ok(Ok(_))) || !manifest.contains(CHART) {
        return Vec::new();
    }
    let mut reader = Reader::from_str(&manifest);
    let mut charts = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "file-entry" => {
                let value = |name: &str| {
                    e.attributes().flatten().find_map(|a| {
                        (a.key.local_name().as_ref() == name)
                            .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
                            .flatten()
                            .map(|v| v.into_owned())
                    })
                };
                if value("media-type").as_deref() == Some(CHART) {
                    if let Some(path) = value("full-path") {
                        charts.push(object_name(&path));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return charts,
            Ok(_) => {}
        }
    }
}

/// `./Object 1/` and `Object 1` alike.
fn object_name(path: &str) -> String {
    path.trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

/// Streams `content.xml` and names each table whose only content is one of `charts`.
fn tables_of_charts_only(content: impl std::io::BufRead, charts: &[String]) -> Vec<String> {
    let mut reader = Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut found = Vec::new();
    // The table being read: its name, whether it holds a chart, whether a cell has content.
    let mut table: Option<(String, bool, bool)> = None;
    loop {
        let event = reader.read_event_into(&mut buf);
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attribute = |name: &str| {
                    e.attributes().flatten().find_map(|a| {
                        (a.key.local_name().as_ref() == name)
                            .then(|| a.normalized_value(XmlVersion::Implicit1_0).ok())
                            .flatten()
                            .map(|v| v.into_owned())
                    })
                };
                match (e.local_name().as_ref(), &mut table) {
                    ("table", None) if matches!(event, Ok(Event::Start(_))) => {
                        table = Some((attribute("name").unwrap_or_default(), false, false));
                    }
                    ("object", Some((_, chart, _))) => {
                        *chart |=
                            attribute("href").is_some_and(|h| charts.contains(&object_name(&h)));
                    }
                    ("table-cell" | "covered-table-cell", Some((_, _, content))) => {
                        *content |= attribute("value-type").is_some();
                    }
                    ("p", Some((_, _, content))) => *content = true,
                    _ => {}
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "table" => {
                if let Some((name, true, false)) = table.take() {
                    found.push(name);
                }
            }
            Ok(Event::Eof) | Err(_) => return found,
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_holding_only_a_chart_is_told_from_one_with_cells_beside_a_chart() {
        let content = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Data"><table:shapes><draw:frame><draw:object xlink:href="./Object 2"/></draw:frame></table:shapes>
              <table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>
            <table:table table:name="Chart"><table:shapes><draw:frame><draw:object xlink:href="Object 1/"/></draw:frame></table:shapes>
              <table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>
            <table:table table:name="Empty"><table:table-row><table:table-cell/></table:table-row></table:table>
            <table:table table:name="Picture"><table:shapes><draw:frame><draw:object xlink:href="./Object 3"/></draw:frame></table:shapes></table:table>
            </office:spreadsheet></office:body></office:document-content>"#;
        let charts = ["Object 1".to_string(), "Object 2".to_string()];
        assert_eq!(
            tables_of_charts_only(content.as_bytes(), &charts),
            ["Chart"]
        );
    }
}
