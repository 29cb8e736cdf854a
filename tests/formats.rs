//! The same scoreboard saved by openpyxl, LibreOffice (xls, ods, xlsx) and as Belgian CSV, and in
//! the 1904 date system, must give the same KPIs: date cells with a custom number format,
//! serials in both epochs and day-first text dates are all read as the same days. An xlsb of it,
//! written by the tests' own writer (`common::xlsb`), must give them too.

mod common;

use calamine::{
    open_workbook, open_workbook_auto, Data, ExcelDateTime, ExcelDateTimeType, Reader, Xlsb,
};
use common::xlsb::{write_xlsb, XlsbCell, XlsbRows};
use common::*;
use scoreboard::read::{read_file, RawCell};
use std::io::Read;
use std::path::Path;

const FORMATS: &[&str] = &[
    "scorebord.xlsx",
    "scorebord.xls",
    "scorebord.ods",
    "scorebord_lo.xlsx",
    "scorebord.csv",
    "scorebord_1904.xlsx",
];

/// Runs `report` on `input` as of 31/03/2025, checks the KPIs and days late that every format
/// of the fixture must give, and returns the KPI csv as written.
fn report_gives_the_fixture_kpis(name: &str, input: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            input.to_str().unwrap(),
            "--as-of",
            "2025-03-31",
            "-o",
            "out.xlsx",
            "--kpis",
            "k.csv",
        ],
    );
    assert_eq!(code, 0, "{name}: {err}");
    let rows = kpi_csv(&dir.path().join("k.csv"));
    let all = kpi_row(&rows, "actions_on_time_rate", "all", "");
    assert_eq!(&all[4..7], &["1.0", "3.0", "0.3333333333333333"], "{name}");
    for (kpi, n) in [
        ("actions_late", "1.0"),
        ("actions_overdue", "1.0"),
        ("actions_open", "1.0"),
        ("actions_continuous", "1.0"),
    ] {
        assert_eq!(kpi_row(&rows, kpi, "all", "")[6], n, "{name}: {kpi}");
    }
    let actions = sheet(&dir.path().join("out.xlsx"), "Actions");
    let days = |id: &str| {
        actions
            .iter()
            .find(|r| r[0].starts_with(id))
            .map(|r| r[6].clone())
            .unwrap_or_default()
    };
    assert_eq!(days("F3"), "16", "{name}: overdue since 15/03");
    assert_eq!(days("F2"), "10", "{name}: done 10/02 for 31/01");
    std::fs::read_to_string(dir.path().join("k.csv")).unwrap()
}

#[test]
fn every_format_gives_the_same_kpis_and_days_late() {
    let fixtures = root().join("tests/fixtures/formats");
    let mut reference: Option<String> = None;
    for name in FORMATS {
        let csv = report_gives_the_fixture_kpis(name, &fixtures.join(name));
        match &reference {
            None => reference = Some(csv),
            Some(r) => assert_eq!(&csv, r, "{name} differs from {}", FORMATS[0]),
        }
    }
}

/// Every sheet of a workbook as the xlsb writer's cells, date cells kept as dates; also the
/// number of date cells met.
fn cells_for_xlsb(path: &Path) -> (Vec<(String, XlsbRows)>, usize) {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    let mut dates = 0;
    let mut sheets = Vec::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut rows: XlsbRows = Vec::new();
        for (r, c, value) in range.used_cells() {
            let (r, c) = (r0 as usize + r, c0 as usize + c);
            let cell = match value {
                Data::String(s) => XlsbCell::Text(s.clone()),
                Data::Float(f) => XlsbCell::Number(*f),
                Data::Int(i) => XlsbCell::Number(*i as f64),
                Data::Bool(b) => XlsbCell::Bool(*b),
                Data::DateTime(d) if d.is_datetime() => {
                    dates += 1;
                    XlsbCell::Date(d.as_f64())
                }
                other => panic!("{name}!R{}C{}: no xlsb cell for {other:?}", r + 1, c + 1),
            };
            if rows.len() <= r {
                rows.resize(r + 1, Vec::new());
            }
            if rows[r].len() <= c {
                rows[r].resize(c + 1, None);
            }
            rows[r][c] = Some(cell);
        }
        sheets.push((name, rows));
    }
    (sheets, dates)
}

#[test]
fn an_xlsb_scoreboard_gives_the_same_kpis_as_the_xlsx() {
    let xlsx = root().join("tests/fixtures/formats/scorebord.xlsx");
    let (sheets, dates) = cells_for_xlsb(&xlsx);
    assert_eq!(
        dates, 5,
        "the fixture's deadlines and done dates are date cells"
    );
    let dir = tempfile::tempdir().unwrap();
    let xlsb = dir.path().join("scorebord.xlsb");
    let sheets: Vec<(&str, XlsbRows)> = sheets
        .iter()
        .map(|(name, rows)| (name.as_str(), rows.clone()))
        .collect();
    write_xlsb(&xlsb, &sheets);

    let from_xlsb = report_gives_the_fixture_kpis("scorebord.xlsb", &xlsb);
    let from_xlsx = report_gives_the_fixture_kpis("scorebord.xlsx", &xlsx);
    assert_eq!(
        from_xlsb, from_xlsx,
        "the KPI csv of the xlsb differs from the xlsx's"
    );
}

#[test]
fn the_xlsb_writer_round_trips_through_calamine() {
    use XlsbCell::*;
    let text = |s: &str| Some(Text(s.to_string()));
    // 9,000 two-byte-in-UTF-8 characters: an 18,005-byte BrtSSTItem, whose size takes 3 bytes.
    let long = "é".repeat(9_000);
    let first: XlsbRows = vec![
        vec![text("Actie"), text("Getal"), text("Waar"), text("Datum")],
        vec![],
        vec![
            text("Één – ✓"),
            Some(Number(42.0)), // RK integer
            Some(Bool(true)),
            Some(Date(45_747.0)), // RK integer with the date style: 31/03/2025
        ],
        vec![
            text("Actie"),     // a shared string used twice
            Some(Number(0.5)), // RK float
            Some(Bool(false)),
            Some(Date(45_000.25)), // RK float with the date style: 15/03/2023 06:00
        ],
        vec![
            Some(Text(long.clone())),
            Some(Number(0.1)), // BrtCellReal
            Some(Blank),
            Some(Date(45_000.123)), // BrtCellReal with the date style
        ],
        vec![None, Some(Number(-7.0)), None, None, Some(Number(1e12))],
    ];
    let second: XlsbRows = vec![vec![], vec![None, None, text("alleen C2")]];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.xlsb");
    write_xlsb(&path, &[("Blad één", first), ("Tweede", second)]);

    let mut wb: Xlsb<_> = open_workbook(&path).expect("calamine opens the xlsb");
    assert_eq!(wb.sheet_names(), ["Blad één", "Tweede"]);
    assert!(!wb.has_1904_epoch());
    let date = |serial| {
        Data::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    };
    let s = |v: &str| Data::String(v.to_string());
    let range = wb.worksheet_range("Blad één").unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(range.end(), Some((5, 4)));
    let mut cells: Vec<(usize, usize, Data)> = range
        .used_cells()
        .map(|(r, c, v)| (r, c, v.clone()))
        .collect();
    // Compared on its own, so that a failure does not print 9,000 characters twice.
    let long_back = cells.remove(12);
    assert!(
        long_back == (4, 0, Data::String(long)),
        "the 9,000-character text at A5"
    );
    assert_eq!(
        cells,
        vec![
            (0, 0, s("Actie")),
            (0, 1, s("Getal")),
            (0, 2, s("Waar")),
            (0, 3, s("Datum")),
            (2, 0, s("Één – ✓")),
            (2, 1, Data::Int(42)),
            (2, 2, Data::Bool(true)),
            (2, 3, date(45_747.0)),
            (3, 0, s("Actie")),
            (3, 1, Data::Float(0.5)),
            (3, 2, Data::Bool(false)),
            (3, 3, date(45_000.25)),
            (4, 1, Data::Float(0.1)),
            (4, 3, date(45_000.123)),
            (5, 1, Data::Int(-7)),
            (5, 4, Data::Float(1e12)),
        ]
    );
    let Data::DateTime(d) = &cells[7].2 else {
        unreachable!()
    };
    assert_eq!(d.as_datetime().unwrap().to_string(), "2025-03-31 00:00:00");
    let Data::DateTime(d) = &cells[11].2 else {
        unreachable!()
    };
    assert_eq!(d.as_datetime().unwrap().to_string(), "2023-03-15 06:00:00");

    let second = wb.worksheet_range("Tweede").unwrap();
    assert_eq!(second.start(), Some((1, 2)));
    assert_eq!(second.get_value((1, 2)), Some(&s("alleen C2")));

    // The records are the ones Excel would use for these values: RK where it is exact.
    let mut sheet1 = Vec::new();
    zip::ZipArchive::new(std::fs::File::open(&path).unwrap())
        .unwrap()
        .by_name("xl/worksheets/sheet1.bin")
        .unwrap()
        .read_to_end(&mut sheet1)
        .unwrap();
    let types = record_types(&sheet1);
    let count = |typ: u16| types.iter().filter(|t| **t == typ).count();
    assert_eq!(
        types[..3],
        [0x0081, 0x0094, 0x0091],
        "sheet, dimensions, data"
    );
    assert_eq!(
        types[types.len() - 2..],
        [0x0092, 0x0082],
        "end of data, of sheet"
    );
    assert_eq!(count(0x0000), 5, "BrtRowHdr: one per used row");
    assert_eq!(count(0x0007), 7, "BrtCellIsst");
    assert_eq!(count(0x0002), 5, "BrtCellRk: 42, 0.5, -7 and two dates");
    assert_eq!(count(0x0005), 3, "BrtCellReal: 0.1, 1e12 and a date");
    assert_eq!(count(0x0004), 2, "BrtCellBool");
    assert_eq!(count(0x0001), 1, "BrtCellBlank");
}

/// The record types of an [MS-XLSB] record stream, checking that each size stays inside it.
fn record_types(mut bytes: &[u8]) -> Vec<u16> {
    let mut types = Vec::new();
    while let Some((&first, rest)) = bytes.split_first() {
        let (typ, rest) = if first & 0x80 == 0 {
            (u16::from(first), rest)
        } else {
            (
                u16::from(first & 0x7F) | u16::from(rest[0] & 0x7F) << 7,
                &rest[1..],
            )
        };
        let (mut size, mut i) = (0usize, 0);
        loop {
            size |= usize::from(rest[i] & 0x7F) << (7 * i);
            i += 1;
            if rest[i - 1] & 0x80 == 0 {
                break;
            }
        }
        assert!(
            rest.len() >= i + size,
            "record {typ:#06x} overruns the stream"
        );
        types.push(typ);
        bytes = &rest[i + size..];
    }
    types
}

/// The raw cells of a file's sheet that holds the actions (its first sheet).
fn first_sheet_cells(path: &Path) -> Vec<(u32, Vec<(u32, RawCell)>)> {
    let wb =
        read_file(path, &Default::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    wb.sheets[0]
        .rows
        .iter()
        .map(|r| (r.index, r.cells.clone()))
        .collect()
}

#[test]
fn every_format_keeps_the_cell_types_of_the_xlsx() {
    // Dates are dates and numbers numbers in every format, CSV included: one reader interface,
    // one typing. The reference is the openpyxl xlsx.
    let fixtures = root().join("tests/fixtures/formats");
    let reference = first_sheet_cells(&fixtures.join(FORMATS[0]));
    let dates = reference
        .iter()
        .flat_map(|(_, cells)| cells)
        .filter(|(_, c)| matches!(c, RawCell::Date(_)))
        .count();
    assert_eq!(dates, 5, "deadlines and done dates are date cells");
    for name in &FORMATS[1..] {
        let cells = first_sheet_cells(&fixtures.join(name));
        assert_eq!(cells, reference, "{name}");
    }
}
