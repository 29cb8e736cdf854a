//! A minimal writer of Excel binary workbooks (`.xlsb`, [MS-XLSB]) for tests.
//!
//! No xlsb fixture can be committed from other projects, and no crate in the tree writes xlsb, so
//! the tests make their own: a zip (the `zip` dev-dependency) of the parts calamine reads.
//!
//! | part | records |
//! | --- | --- |
//! | `[Content_Types].xml`, `_rels/.rels` | the OPC package, as Excel writes it for xlsb |
//! | `xl/workbook.bin` | BrtBeginBook, BrtWbProp (1900 date system), BrtBeginBundleShs, one BrtBundleSh per sheet (its `r:id` in `xl/_rels/workbook.bin.rels`), BrtEndBundleShs, BrtEndBook |
//! | `xl/styles.bin` | BrtBeginStyleSheet, BrtBeginFmts + BrtFmt (one custom date format), BrtBeginCellXFs + BrtXF (0 General, 1 the date), their ends, BrtEndStyleSheet |
//! | `xl/sharedStrings.bin` | BrtBeginSst, one BrtSSTItem per distinct text, BrtEndSst |
//! | `xl/worksheets/sheetN.bin` | BrtBeginSheet, BrtWsDim, BrtBeginSheetData, BrtRowHdr + cells per used row, BrtEndSheetData, BrtEndSheet |
//!
//! Cells, each an 8-byte `Cell` (column, 24-bit style index, flags) and a value, are written the
//! way Excel writes them: text as BrtCellIsst (an index into the shared strings), a number as
//! BrtCellRk when the 30-bit RK form holds it exactly (an integer, or a float whose low 34 bits
//! are zero) and BrtCellReal otherwise, a boolean as BrtCellBool, a styled empty cell as
//! BrtCellBlank. A date is a number whose cell has style 1, the custom format `d mmmm yyyy`.
//!
//! What calamine 0.38 does with it, and what the tests can rely on:
//! - a date cell comes back as `Data::DateTime` because its BrtXF points at a number format
//!   (`iFmt`) that is a built-in date id (14–22, 27–36, 45, 47, 50–58) or a BrtFmt whose code
//!   looks like a date (`d`, `m`, `y`, `h`, `s` outside quotes and brackets). Nothing in the
//!   cell itself says "date": only its style index into the cellXfs list does;
//! - an integer stored as RK comes back as `Data::Int`, anything else as `Data::Float`;
//! - BrtCellBlank is skipped.
//!
//! What calamine 0.38 requires, beyond the obvious: a BrtWsDim before BrtBeginSheetData (it
//! reads the dimensions first and fails without them); after BrtEndBundleShs, one of the
//! records it expects after the defined names (BrtEndBook here), or it runs off the end; and
//! cellXfs in `styles.bin`, which it finds by scanning record *types* only: between the records
//! it looks for it does not skip bodies, so a body's bytes are read as record types. With only
//! empty-bodied records between BrtEndFmts and BrtBeginCellXFs that cannot go wrong; add fonts,
//! fills or borders there and it works only while their bytes happen not to hide the record.
//!
//! What it leaves out: fonts, fills, borders, cell style XFs and named styles, views, the
//! calculation properties. calamine needs none of them; Excel may want some of them to open
//! the file, which these tests never ask of it.

use std::io::Write;
use std::path::Path;

/// One cell value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum XlsbCell {
    /// Text, stored once in the shared strings.
    Text(String),
    /// A number (General format).
    Number(f64),
    /// A date or date-time as an Excel serial in the 1900 date system, with a date format.
    Date(f64),
    /// A boolean.
    Bool(bool),
    /// An empty cell that still has a record (BrtCellBlank), as Excel writes for a formatted
    /// empty cell.
    Blank,
}

/// Rows of a sheet from A1 down; `None` is a cell with no record at all.
pub type XlsbRows = Vec<Vec<Option<XlsbCell>>>;

/// Index of the General cell format in cellXfs.
const XF_GENERAL: u32 = 0;
/// Index of the date cell format in cellXfs.
const XF_DATE: u32 = 1;
/// Number format id of the custom date format: custom ids start at 164.
const DATE_FMT_ID: u16 = 164;
/// The custom date format (the one openpyxl wrote into `scorebord.xlsx`).
const DATE_FMT_CODE: &str = "d mmmm yyyy";

/// Record types used, from [MS-XLSB] (and calamine's reader).
mod rt {
    pub const ROW_HDR: u16 = 0x0000;
    pub const CELL_BLANK: u16 = 0x0001;
    pub const CELL_RK: u16 = 0x0002;
    pub const CELL_BOOL: u16 = 0x0004;
    pub const CELL_REAL: u16 = 0x0005;
    pub const CELL_ISST: u16 = 0x0007;
    pub const SST_ITEM: u16 = 0x0013;
    pub const FMT: u16 = 0x002C;
    pub const XF: u16 = 0x002F;
    pub const BEGIN_SHEET: u16 = 0x0081;
    pub const END_SHEET: u16 = 0x0082;
    pub const BEGIN_BOOK: u16 = 0x0083;
    pub const END_BOOK: u16 = 0x0084;
    pub const BEGIN_BUNDLE_SHS: u16 = 0x008F;
    pub const END_BUNDLE_SHS: u16 = 0x0090;
    pub const BEGIN_SHEET_DATA: u16 = 0x0091;
    pub const END_SHEET_DATA: u16 = 0x0092;
    pub const WS_DIM: u16 = 0x0094;
    pub const WB_PROP: u16 = 0x0099;
    pub const BUNDLE_SH: u16 = 0x009C;
    pub const BEGIN_SST: u16 = 0x009F;
    pub const END_SST: u16 = 0x00A0;
    pub const BEGIN_STYLE_SHEET: u16 = 0x0116;
    pub const END_STYLE_SHEET: u16 = 0x0117;
    pub const BEGIN_FMTS: u16 = 0x0267;
    pub const END_FMTS: u16 = 0x0268;
    pub const BEGIN_CELL_XFS: u16 = 0x0269;
    pub const END_CELL_XFS: u16 = 0x026A;
}

/// A stream of records ([MS-XLSB] "Record"): each is its type, its size, then its body.
#[derive(Default)]
struct Records(Vec<u8>);

impl Records {
    /// Appends one record. The type is 1 or 2 bytes and the size 1 to 4 bytes, both 7 bits per
    /// byte, least significant first, the high bit of a byte set when another byte follows.
    fn record(&mut self, typ: u16, body: &[u8]) -> &mut Self {
        assert!(
            typ < 1 << 14,
            "record type {typ:#x} takes more than 2 bytes"
        );
        assert!(body.len() < 1 << 28, "record body of {} bytes", body.len());
        if typ < 0x80 {
            self.0.push(typ as u8);
        } else {
            self.0.push((typ & 0x7F) as u8 | 0x80);
            self.0.push((typ >> 7) as u8);
        }
        let mut size = body.len();
        loop {
            let byte = (size & 0x7F) as u8;
            size >>= 7;
            if size == 0 {
                self.0.push(byte);
                break;
            }
            self.0.push(byte | 0x80);
        }
        self.0.extend_from_slice(body);
        self
    }

    /// Appends a record with an empty body (the Begin/End markers).
    fn marker(&mut self, typ: u16) -> &mut Self {
        self.record(typ, &[])
    }
}

/// Builds a record body field by field, little-endian.
#[derive(Default)]
struct Body(Vec<u8>);

impl Body {
    fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    fn u16(mut self, v: u16) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(mut self, v: u32) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn f64(mut self, v: f64) -> Self {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// XLWideString: a u32 count of UTF-16 code units, then the UTF-16LE units.
    fn wide_str(self, s: &str) -> Self {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut b = self.u32(units.len() as u32);
        for u in units {
            b = b.u16(u);
        }
        b
    }
    /// `Cell` ([MS-XLSB] 2.5.9): column, a 24-bit index into cellXfs, then flags (none).
    fn cell(self, col: u32, xf: u32) -> Self {
        assert!(xf < 1 << 24, "style index {xf}");
        let mut b = self.u32(col);
        b.0.extend_from_slice(&xf.to_le_bytes()[..3]);
        b.u8(0)
    }
}

/// The RK form of a number ([MS-XLSB] 2.5.122), when it holds the number exactly: bit 0 (×100)
/// is never used here, bit 1 marks a 30-bit signed integer in bits 2–31; without it, bits 2–31
/// are the top 30 bits of the IEEE double, whose low 34 bits must then be zero.
fn rk(v: f64) -> Option<u32> {
    let negative_zero = v == 0.0 && v.is_sign_negative();
    if v.fract() == 0.0 && (-(1 << 29) as f64..(1 << 29) as f64).contains(&v) && !negative_zero {
        return Some(((v as i32) << 2) as u32 | 0b10);
    }
    let bits = v.to_bits();
    (bits & 0x3_FFFF_FFFF == 0).then_some((bits >> 32) as u32)
}

/// Writes `sheets` (name, rows from A1) as an xlsb workbook at `path`.
///
/// # Panics
/// On an I/O error, an empty sheet list, or a value no xlsb can hold (a NaN or infinite
/// number, more than 1,048,576 rows or 16,384 columns).
pub fn write_xlsb(path: &Path, sheets: &[(&str, XlsbRows)]) {
    assert!(!sheets.is_empty(), "a workbook needs at least one sheet");
    let mut strings = SharedStrings::default();
    let sheet_parts: Vec<Vec<u8>> = sheets
        .iter()
        .map(|(_, rows)| worksheet(rows, &mut strings))
        .collect();

    let file = std::fs::File::create(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipWriter::new(file);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    };
    part(
        "[Content_Types].xml",
        content_types(sheets.len()).as_bytes(),
    );
    part("_rels/.rels", ROOT_RELS.as_bytes());
    part("xl/workbook.bin", &workbook(sheets));
    part(
        "xl/_rels/workbook.bin.rels",
        workbook_rels(sheets.len()).as_bytes(),
    );
    part("xl/styles.bin", &styles());
    part("xl/sharedStrings.bin", &strings.part());
    for (i, bytes) in sheet_parts.iter().enumerate() {
        part(&format!("xl/worksheets/sheet{}.bin", i + 1), bytes);
    }
    zip.finish().unwrap();
}

/// The shared string table: distinct texts in order of first use.
#[derive(Default)]
struct SharedStrings {
    texts: Vec<String>,
    index: std::collections::HashMap<String, u32>,
    /// Number of BrtCellIsst that point into the table.
    references: u32,
}

impl SharedStrings {
    fn isst(&mut self, s: &str) -> u32 {
        self.references += 1;
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.texts.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    /// `xl/sharedStrings.bin` ([MS-XLSB] 2.1.7.45).
    fn part(&self) -> Vec<u8> {
        let mut r = Records::default();
        // BrtBeginSst: cstTotal (references), cstUnique (items that follow).
        r.record(
            rt::BEGIN_SST,
            &Body::default()
                .u32(self.references)
                .u32(self.texts.len() as u32)
                .0,
        );
        for s in &self.texts {
            // BrtSSTItem: a RichStr whose flags byte (fRichStr, fExtStr) is 0: plain text.
            r.record(rt::SST_ITEM, &Body::default().u8(0).wide_str(s).0);
        }
        r.marker(rt::END_SST);
        r.0
    }
}

/// `xl/worksheets/sheetN.bin` ([MS-XLSB] 2.1.7.62).
fn worksheet(rows: &XlsbRows, strings: &mut SharedStrings) -> Vec<u8> {
    assert!(rows.len() <= 1 << 20, "{} rows", rows.len());
    let used = |row: &Vec<Option<XlsbCell>>| {
        let first = row.iter().position(Option::is_some)?;
        let last = row.iter().rposition(Option::is_some)?;
        Some((first as u32, last as u32))
    };
    // BrtWsDim: the used range (rwFirst, rwLast, colFirst, colLast), A1 for an empty sheet.
    let mut dim: Option<(u32, u32, u32, u32)> = None;
    for (r, row) in rows.iter().enumerate() {
        assert!(row.len() <= 1 << 14, "row {r} has {} columns", row.len());
        if let Some((c0, c1)) = used(row) {
            let r = r as u32;
            dim = Some(match dim {
                None => (r, r, c0, c1),
                Some((r0, _, a, b)) => (r0, r, a.min(c0), b.max(c1)),
            });
        }
    }
    let (r0, r1, c0, c1) = dim.unwrap_or_default();

    let mut rec = Records::default();
    rec.marker(rt::BEGIN_SHEET);
    rec.record(
        rt::WS_DIM,
        &Body::default().u32(r0).u32(r1).u32(c0).u32(c1).0,
    );
    rec.marker(rt::BEGIN_SHEET_DATA);
    for (r, row) in rows.iter().enumerate() {
        if used(row).is_none() {
            continue;
        }
        rec.record(rt::ROW_HDR, &row_header(r as u32, row));
        for (c, cell) in row.iter().enumerate() {
            let Some(cell) = cell else { continue };
            let col = c as u32;
            match cell {
                XlsbCell::Text(s) => {
                    let body = Body::default().cell(col, XF_GENERAL).u32(strings.isst(s));
                    rec.record(rt::CELL_ISST, &body.0);
                }
                XlsbCell::Number(v) => number(&mut rec, col, XF_GENERAL, *v),
                XlsbCell::Date(v) => number(&mut rec, col, XF_DATE, *v),
                XlsbCell::Bool(b) => {
                    let body = Body::default().cell(col, XF_GENERAL).u8(u8::from(*b));
                    rec.record(rt::CELL_BOOL, &body.0);
                }
                XlsbCell::Blank => {
                    rec.record(rt::CELL_BLANK, &Body::default().cell(col, XF_GENERAL).0);
                }
            }
        }
    }
    rec.marker(rt::END_SHEET_DATA);
    rec.marker(rt::END_SHEET);
    rec.0
}

/// BrtCellRk if the RK form holds `v` exactly, else BrtCellReal.
fn number(rec: &mut Records, col: u32, xf: u32, v: f64) {
    assert!(v.is_finite(), "an xlsb number cannot be {v}");
    let cell = Body::default().cell(col, xf);
    match rk(v) {
        Some(rk) => rec.record(rt::CELL_RK, &cell.u32(rk).0),
        None => rec.record(rt::CELL_REAL, &cell.f64(v).0),
    };
}

/// BrtRowHdr ([MS-XLSB] 2.4.726): row index, style 0, default height (15 pt in twips), three
/// flag bytes left at 0, then the column spans of its cells, one per block of 1,024 columns
/// that holds any (BrtColSpan, [MS-XLSB] 2.5.8).
fn row_header(r: u32, row: &[Option<XlsbCell>]) -> Vec<u8> {
    let mut spans: Vec<(u32, u32)> = Vec::new();
    for (c, cell) in row.iter().enumerate() {
        if cell.is_none() {
            continue;
        }
        let c = c as u32;
        match spans.last_mut() {
            Some(span) if span.0 >> 10 == c >> 10 => span.1 = c,
            _ => spans.push((c, c)),
        }
    }
    let mut b = Body::default().u32(r).u32(0).u16(300).u8(0).u8(0).u8(0);
    b = b.u32(spans.len() as u32);
    for (first, last) in spans {
        b = b.u32(first).u32(last);
    }
    b.0
}

/// `xl/workbook.bin` ([MS-XLSB] 2.1.7.61).
fn workbook(sheets: &[(&str, XlsbRows)]) -> Vec<u8> {
    let mut r = Records::default();
    r.marker(rt::BEGIN_BOOK);
    // BrtWbProp: flags (bit 0 fDate1904 off: the 1900 date system), dwThemeVersion, strName.
    r.record(rt::WB_PROP, &Body::default().u32(0).u32(0).wide_str("").0);
    r.marker(rt::BEGIN_BUNDLE_SHS);
    for (i, (name, _)) in sheets.iter().enumerate() {
        assert!(
            !name.is_empty() && name.chars().count() <= 31,
            "sheet name {name:?}"
        );
        // BrtBundleSh: hsState (0 visible), iTabID, strRelID (an XLNullableWideString), strName.
        let body = Body::default()
            .u32(0)
            .u32(i as u32 + 1)
            .wide_str(&sheet_rel_id(i))
            .wide_str(name);
        r.record(rt::BUNDLE_SH, &body.0);
    }
    r.marker(rt::END_BUNDLE_SHS);
    r.marker(rt::END_BOOK);
    r.0
}

/// `xl/styles.bin` ([MS-XLSB] 2.1.7.50): the number formats and cell formats only.
fn styles() -> Vec<u8> {
    let mut r = Records::default();
    r.marker(rt::BEGIN_STYLE_SHEET);
    // BrtBeginFmts: cfmt; BrtFmt: ifmt, stFmtCode.
    r.record(rt::BEGIN_FMTS, &Body::default().u32(1).0);
    r.record(
        rt::FMT,
        &Body::default().u16(DATE_FMT_ID).wide_str(DATE_FMT_CODE).0,
    );
    r.marker(rt::END_FMTS);
    // BrtBeginCellXFs: cxf; then BrtXF in index order (the style index of a Cell).
    r.record(rt::BEGIN_CELL_XFS, &Body::default().u32(2).0);
    r.record(rt::XF, &xf(0));
    r.record(rt::XF, &xf(DATE_FMT_ID));
    debug_assert_eq!((XF_GENERAL, XF_DATE), (0, 1));
    r.marker(rt::END_CELL_XFS);
    r.marker(rt::END_STYLE_SHEET);
    r.0
}

/// BrtXF, 16 bytes: ixfeParent (0, the Normal style), iFmt, iFont, iFill,
/// ixBorder, trot, indent, alignment/protection flags, xfGrbitAtr: all 0 but the format.
fn xf(ifmt: u16) -> Vec<u8> {
    let b = Body::default().u16(0).u16(ifmt).u16(0).u16(0).u16(0);
    b.u8(0).u8(0).u16(0).u16(0).0
}

fn sheet_rel_id(i: usize) -> String {
    format!("rId{}", i + 1)
}

const ROOT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/>"#,
    "</Relationships>"
);

/// The content types Excel declares for an xlsb: the workbook through the `bin` default.
fn content_types(sheets: usize) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>"#,
        r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    ));
    for i in 1..=sheets {
        s.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{i}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#
        ));
    }
    s.push_str(concat!(
        r#"<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>"#,
        r#"<Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>"#,
        "</Types>"
    ));
    s
}

/// `xl/_rels/workbook.bin.rels`: sheet N is `rIdN`, targets relative to `xl/`.
fn workbook_rels(sheets: usize) -> String {
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    ));
    for i in 0..sheets {
        s.push_str(&format!(
            r#"<Relationship Id="{}" Type="{REL}/worksheet" Target="worksheets/sheet{}.bin"/>"#,
            sheet_rel_id(i),
            i + 1
        ));
    }
    s.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{REL}/styles" Target="styles.bin"/>"#,
        sheets + 1
    ));
    s.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{REL}/sharedStrings" Target="sharedStrings.bin"/>"#,
        sheets + 2
    ));
    s.push_str("</Relationships>");
    s
}
