//! A small xlsx inspector for tests: what calamine does not tell — the number format applied to a
//! cell and the Excel tables of a sheet — read straight from the package's XML parts.
//!
//! How a cell's number format is found (ECMA-376 part 1, §18.2 and §18.8):
//! `xl/workbook.xml` names each sheet and gives its relationship id → `xl/_rels/workbook.xml.rels`
//! maps that id to the worksheet part (`xl/worksheets/sheetN.xml`) → the cell's `s` attribute is an
//! index into `cellXfs` of `xl/styles.xml` → that `xf` has a `numFmtId` → the code is a custom
//! `numFmt` of `styles.xml` (ids from 164) or one of Excel's built-in formats.
//!
//! Tables: the worksheet's own relationships (`xl/worksheets/_rels/sheetN.xml.rels`) point to
//! `xl/tables/tableN.xml`, whose root element carries the table's name and `ref` range.
//!
//! The whole package is held in memory (KPI workbooks are small); parts are parsed on demand.

#![allow(dead_code)]

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// One Excel table (a ListObject) of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcelTable {
    /// The name Excel shows and formulas use (`displayName`, else `name`).
    pub name: String,
    /// The range it covers, header row included (`A4:J11`).
    pub range: String,
    /// The column names, in order (`tableColumn` `name` attributes).
    pub columns: Vec<String>,
}

/// An xlsx package opened for inspection: every member of the zip, by path.
pub struct Inspector {
    parts: HashMap<String, Vec<u8>>,
}

impl Inspector {
    /// Opens the xlsx at `path`; panics when it is not a readable zip (a test failure).
    pub fn open(path: &Path) -> Self {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        Self::from_bytes(bytes)
    }

    /// Reads an xlsx held in memory; panics when it is not a readable zip.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the xlsx is a zip archive");
        let mut parts = HashMap::new();
        for i in 0..archive.len() {
            let mut member = archive.by_index(i).expect("zip member");
            let name = member.name().expect("zip member name").into_owned();
            let mut content = Vec::new();
            member
                .read_to_end(&mut content)
                .unwrap_or_else(|e| panic!("read zip member {name}: {e}"));
            parts.insert(name, content);
        }
        Inspector { parts }
    }

    /// The text of one part of the package (`xl/workbook.xml`); panics when it is absent.
    fn part(&self, name: &str) -> &str {
        let bytes = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("the package has no part {name}"));
        std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
    }

    /// Sheet names in workbook order, from `xl/workbook.xml`.
    pub fn sheet_names(&self) -> Vec<String> {
        elements(self.part("xl/workbook.xml"), "sheet")
            .into_iter()
            .filter_map(|attrs| attrs.get("name").cloned())
            .collect()
    }

    /// The package path of the worksheet part of sheet `sheet` (`xl/worksheets/sheet3.xml`):
    /// its `r:id` in `xl/workbook.xml`, resolved through `xl/_rels/workbook.xml.rels`.
    /// Panics when there is no such sheet.
    pub fn sheet_part(&self, sheet: &str) -> String {
        let rid = elements(self.part("xl/workbook.xml"), "sheet")
            .into_iter()
            .find(|a| a.get("name").map(String::as_str) == Some(sheet))
            .and_then(|a| a.get("r:id").cloned())
            .unwrap_or_else(|| {
                panic!(
                    "no sheet named {sheet:?}; the workbook has {:?}",
                    self.sheet_names()
                )
            });
        let target = self
            .relationships("xl/workbook.xml")
            .into_iter()
            .find(|(id, _, _)| *id == rid)
            .map(|(_, _, target)| target)
            .unwrap_or_else(|| panic!("sheet {sheet:?}: relationship {rid} not found"));
        target
    }

    /// Links within the workbook of sheet `sheet`: (cell, location such as `'Data – actions'!A7`).
    #[allow(dead_code)] // Not every test binary looks at links.
    pub fn internal_links(&self, sheet: &str) -> Vec<(String, String)> {
        let part = self.sheet_part(sheet);
        elements(self.part(&part), "hyperlink")
            .into_iter()
            .filter_map(|a| Some((a.get("ref")?.clone(), a.get("location")?.clone())))
            .collect()
    }

    /// The relationships of a part, as (id, type, resolved target path): read from
    /// `<dir>/_rels/<file>.rels`; empty when the part has none.
    pub fn relationships(&self, part: &str) -> Vec<(String, String, String)> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        if !self.parts.contains_key(&rels) {
            return Vec::new();
        }
        elements(self.part(&rels), "Relationship")
            .into_iter()
            .filter_map(|a| {
                let target = a.get("Target")?;
                Some((
                    a.get("Id")?.clone(),
                    a.get("Type").cloned().unwrap_or_default(),
                    resolve_target(dir, target),
                ))
            })
            .collect()
    }

    /// The `s` attribute (index into `cellXfs`) of cell `cell` (`B14`) of sheet `sheet`:
    /// `Some(0)` for a cell written without a style, `None` when the sheet has no such cell.
    pub fn style_index(&self, sheet: &str, cell: &str) -> Option<usize> {
        let part = self.sheet_part(sheet);
        let wanted = cell.to_ascii_uppercase();
        elements(self.part(&part), "c")
            .into_iter()
            .find(|a| a.get("r") == Some(&wanted))
            .map(|a| {
                a.get("s")
                    .map_or(0, |s| s.parse().expect("numeric style index"))
            })
    }

    /// The number format code applied to cell `cell` (`B14`) of sheet `sheet`, as Excel stores
    /// it (`0.0%`, `dd/mm/yyyy`, `#,##0`, `General`); `None` when the sheet has no such cell.
    pub fn number_format(&self, sheet: &str, cell: &str) -> Option<String> {
        let xf = self.style_index(sheet, cell)?;
        Some(self.format_of_xf(xf))
    }

    /// The number format code of entry `xf` of `cellXfs` in `xl/styles.xml`: its `numFmtId`
    /// looked up in the custom `numFmts`, else among Excel's built-in formats.
    pub fn format_of_xf(&self, xf: usize) -> String {
        let formats = self.xf_formats();
        formats
            .get(xf)
            .unwrap_or_else(|| panic!("style index {xf} beyond the {} cellXfs", formats.len()))
            .clone()
    }

    /// The number format code of every entry of `cellXfs`, by index (see
    /// [`Inspector::format_of_xf`]).
    pub fn xf_formats(&self) -> Vec<String> {
        let styles = self.part("xl/styles.xml");
        let custom: HashMap<u32, String> = elements_within(styles, "numFmts", "numFmt")
            .into_iter()
            .filter_map(|a| {
                let id = a.get("numFmtId")?.parse().ok()?;
                Some((id, a.get("formatCode")?.clone()))
            })
            .collect();
        elements_within(styles, "cellXfs", "xf")
            .into_iter()
            .map(|a| {
                let id: u32 = a
                    .get("numFmtId")
                    .map_or(0, |v| v.parse().expect("numeric numFmtId"));
                custom
                    .get(&id)
                    .cloned()
                    .or_else(|| builtin_format(id).map(str::to_string))
                    .unwrap_or_else(|| panic!("numFmtId {id} is neither custom nor built in"))
            })
            .collect()
    }

    /// The number format code of every written cell of sheet `sheet`, by reference (`H272` →
    /// `#,##0`), read in one pass: for checks over a whole column.
    pub fn number_formats(&self, sheet: &str) -> HashMap<String, String> {
        let formats = self.xf_formats();
        let part = self.sheet_part(sheet);
        elements(self.part(&part), "c")
            .into_iter()
            .filter_map(|a| {
                let xf: usize = a
                    .get("s")
                    .map_or(0, |s| s.parse().expect("numeric style index"));
                let code = formats
                    .get(xf)
                    .unwrap_or_else(|| panic!("style index {xf} beyond the cellXfs"));
                Some((a.get("r")?.clone(), code.clone()))
            })
            .collect()
    }

    /// The Excel tables of sheet `sheet`, in the order of its relationships
    /// (`xl/worksheets/_rels/sheetN.xml.rels` → `xl/tables/tableN.xml`).
    pub fn tables(&self, sheet: &str) -> Vec<ExcelTable> {
        let part = self.sheet_part(sheet);
        self.relationships(&part)
            .into_iter()
            .filter(|(_, kind, _)| kind.ends_with("/table"))
            .map(|(_, _, target)| {
                let xml = self.part(&target);
                let root = elements(xml, "table")
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| panic!("{target} has no <table> element"));
                ExcelTable {
                    name: root
                        .get("displayName")
                        .or_else(|| root.get("name"))
                        .cloned()
                        .unwrap_or_default(),
                    range: root.get("ref").cloned().unwrap_or_default(),
                    columns: elements(xml, "tableColumn")
                        .into_iter()
                        .filter_map(|a| a.get("name").cloned())
                        .collect(),
                }
            })
            .collect()
    }

    /// The tables of sheet `sheet` as (name, range) pairs, for compact assertions.
    pub fn table_ranges(&self, sheet: &str) -> Vec<(String, String)> {
        self.tables(sheet)
            .into_iter()
            .map(|t| (t.name, t.range))
            .collect()
    }
}

/// Excel's built-in number formats (ECMA-376 part 1, §18.8.30), by `numFmtId`; the ones that
/// depend on the locale (5–8, 23–36, 41–44, 50+) are not listed.
pub fn builtin_format(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// A cell reference (`B14`, `$B$14`) as zero-based (row, column): (13, 1).
pub fn cell_position(cell: &str) -> (u32, u32) {
    let cell = cell.replace('$', "");
    let split = cell
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or_else(|| panic!("cell reference {cell:?} has no row"));
    let (letters, digits) = cell.split_at(split);
    assert!(
        !letters.is_empty() && letters.chars().all(|c| c.is_ascii_alphabetic()),
        "cell reference {cell:?} has no column letters"
    );
    let col = letters.chars().fold(0u32, |acc, c| {
        acc * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1)
    });
    let row: u32 = digits
        .parse()
        .unwrap_or_else(|_| panic!("cell reference {cell:?}: bad row"));
    (row - 1, col - 1)
}

/// The reference (`B14`) of a zero-based (row, column) position: the inverse of
/// [`cell_position`].
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A package target resolved against the folder of the part that refers to it:
/// `../tables/table1.xml` from `xl/worksheets` → `xl/tables/table1.xml`; an absolute target
/// (`/xl/worksheets/sheet1.xml`) is taken from the package root.
pub fn resolve_target(dir: &str, target: &str) -> String {
    let mut path: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            s => path.push(s),
        }
    }
    path.join("/")
}

/// The attributes of an element, by qualified name (`r:id`), values unescaped.
fn attributes(e: &BytesStart) -> HashMap<String, String> {
    e.attributes()
        .map(|a| {
            let a: Attribute = a.expect("well-formed attribute");
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .expect("attribute value")
                .into_owned();
            (key, value)
        })
        .collect()
}

/// The attributes of every element whose local name is `name`, in document order.
fn elements(xml: &str, name: &str) -> Vec<HashMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == name => {
                found.push(attributes(&e));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The attributes of every `child` element found inside a `parent` element, in document order
/// (`xf` inside `cellXfs`, not the `xf` of `cellStyleXfs`).
fn elements_within(xml: &str, parent: &str, child: &str) -> Vec<HashMap<String, String>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.local_name().as_ref() == parent => inside = true,
            Event::End(e) if e.local_name().as_ref() == parent => inside = false,
            Event::Start(e) | Event::Empty(e) if inside && e.local_name().as_ref() == child => {
                found.push(attributes(&e));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}
