//! `scoreboard convert`: the formats fixture (openpyxl, LibreOffice xls/ods/xlsx, Belgian CSV,
//! 1904 system) and a workbook with every cell type, converted to xlsx, csv and parquet and read
//! back — values and types cell by cell, the exact CSV text, parquet dtypes — plus a batch with
//! broken files, and the refusals (existing outputs, inputs, options of another format).

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use common::*;
use polars::prelude::*;
use scoreboard::read::{read_file, RawCell, RawWorkbook};
use std::io::Read;
use std::path::{Path, PathBuf};

const FORMATS: &[&str] = &[
    "scorebord.xlsx",
    "scorebord.xls",
    "scorebord.ods",
    "scorebord_lo.xlsx",
    "scorebord.csv",
    "scorebord_1904.xlsx",
];

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/formats").join(name)
}

/// Runs `scoreboard convert INPUT --out-dir out ARGS…` in `dir`; returns (exit code, stderr).
fn convert(dir: &Path, inputs: &[&Path], args: &[&str]) -> (i32, String) {
    let mut all: Vec<&str> = vec!["convert"];
    all.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    all.extend(["--out-dir", "out"]);
    all.extend(args);
    run(dir, &all)
}

/// A sheet's name and its rows as (row index, cells by column).
type SheetCells = (String, Vec<(u32, Vec<(u32, RawCell)>)>);

fn cells(wb: &RawWorkbook) -> Vec<SheetCells> {
    wb.sheets
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.rows.iter().map(|r| (r.index, r.cells.clone())).collect(),
            )
        })
        .collect()
}

/// The member of a zip as text.
fn zip_member(path: &Path, member: &str) -> String {
    let mut text = String::new();
    ::zip::ZipArchive::new(std::fs::File::open(path).unwrap())
        .unwrap()
        .by_name(member)
        .unwrap_or_else(|e| panic!("{member}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// A workbook with one cell of every type (text that looks like a formula, numbers, booleans,
/// dates, date-times, times, durations, error values) and an empty second sheet.
fn every_type_workbook(path: &Path) {
    use chrono::{NaiveDate, NaiveTime};
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Cellen").unwrap();
    let header = [
        "Tekst", "Getal", "Geheel", "Waar", "Datum", "Moment", "Uur", "Duur", "Fout",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let moment = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let hour = Format::new().set_num_format("hh:mm");
    let span = Format::new().set_num_format("[h]:mm");
    let rows = [
        (
            "=1+1",
            0.1,
            42.0,
            true,
            (2025, 3, 15),
            (8, 30),
            1.5,
            424_242.0,
        ),
        (
            "-5 kortingen",
            2.5,
            -7.0,
            false,
            (2025, 3, 31),
            (17, 45),
            0.25,
            434_343.0,
        ),
    ];
    for (i, (text, x, n, b, (y, m, d), (hh, mm), days, err)) in rows.into_iter().enumerate() {
        let r = i as u32 + 1;
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let at = NaiveTime::from_hms_opt(hh, mm, 0).unwrap();
        ws.write_string(r, 0, text).unwrap();
        ws.write_number(r, 1, x).unwrap();
        ws.write_number(r, 2, n).unwrap();
        ws.write_boolean(r, 3, b).unwrap();
        ws.write_datetime_with_format(r, 4, day, &date).unwrap();
        ws.write_datetime_with_format(r, 5, day.and_time(at), &moment)
            .unwrap();
        ws.write_datetime_with_format(r, 6, at, &hour).unwrap();
        ws.write_number_with_format(r, 7, days, &span).unwrap();
        ws.write_number(r, 8, err).unwrap();
    }
    wb.add_worksheet().set_name("Leeg").unwrap();
    let tmp = path.with_extension("tmp.xlsx");
    wb.save(&tmp).unwrap();
    // rust_xlsxwriter writes no error cells: turn the two placeholders into #N/A and #DIV/0!.
    edit_zip_member(&tmp, path, "xl/worksheets/sheet1.xml", |xml| {
        // Numbers as rust_xlsxwriter's float formatting writes them (`424242.0` with zmij).
        let out = xml
            .replace("<v>424242.0</v>", "<v>424242</v>")
            .replace("<v>434343.0</v>", "<v>434343</v>")
            .replace(
                r#"<c r="I2"><v>424242</v></c>"#,
                r##"<c r="I2" t="e"><v>#N/A</v></c>"##,
            )
            .replace(
                r#"<c r="I3"><v>434343</v></c>"#,
                r##"<c r="I3" t="e"><v>#DIV/0!</v></c>"##,
            );
        assert!(!out.contains("424242") && !out.contains("434343"), "{xml}");
        out
    });
    std::fs::remove_file(tmp).unwrap();
}

#[test]
fn every_format_converts_to_an_xlsx_with_equal_values_and_types_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    for name in FORMATS {
        let input = fixture(name);
        let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx", "--force"]);
        assert_eq!(code, 0, "{name}: {err}");
        let stem = name.split('.').next().unwrap();
        let output = dir.path().join("out").join(format!("{stem}.xlsx"));
        let (before, after) = (
            read_file(&input, &Default::default()).unwrap(),
            read_file(&output, &Default::default()).unwrap(),
        );
        assert_eq!(cells(&after), cells(&before), "{name}");

        // Read straight with calamine: date cells are dates with a date format, in the 1900
        // system whatever the input's (the 1904 fixture's deadline of F1 is 28/02/2025).
        let mut wb = open_workbook_auto(&output).unwrap();
        let first = wb.sheet_names()[0].clone();
        let range = wb.worksheet_range(&first).unwrap();
        match range.get_value((3, 3)) {
            Some(Data::DateTime(d)) => {
                assert!(d.is_datetime(), "{name}: {d:?}");
                assert_eq!(
                    d.as_datetime().unwrap().to_string(),
                    "2025-02-28 00:00:00",
                    "{name}"
                );
            }
            other => panic!("{name}: D4 is {other:?}"),
        }
        assert_eq!(
            range.get_value((5, 6)),
            Some(&Data::Float(0.5)),
            "{name}: G6"
        );
        let sheet = zip_member(&output, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "{name}: first row frozen"
        );
    }
}

#[test]
fn every_cell_type_survives_the_xlsx_and_text_never_becomes_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("types.xlsx");
    every_type_workbook(&input);
    let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Ignoring"), "no library message: {err}");
    let output = dir.path().join("out/types.xlsx");
    let mut before = read_file(&input, &Default::default()).unwrap();
    let after = read_file(&output, &Default::default()).unwrap();
    // Error values are written as their text: rust_xlsxwriter writes no error cells.
    for row in before.sheets.iter_mut().flat_map(|s| s.rows.iter_mut()) {
        for (_, cell) in row.cells.iter_mut() {
            if let RawCell::Error(e) = cell {
                *cell = RawCell::Text(e.clone());
            }
        }
    }
    assert_eq!(cells(&after), cells(&before));
    let typed: Vec<&RawCell> = after.sheets[0].rows[1]
        .cells
        .iter()
        .map(|(_, c)| c)
        .collect();
    assert!(
        matches!(
            typed[..],
            [
                RawCell::Text(_),
                RawCell::Number(_),
                RawCell::Number(_),
                RawCell::Bool(true),
                RawCell::Date(_),
                RawCell::DateTime(_),
                RawCell::Time(_),
                RawCell::Duration(_),
                RawCell::Text(_)
            ]
        ),
        "{typed:?}"
    );
    assert_eq!(
        after
            .sheets
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["Cellen", "Leeg"],
        "same sheets, same order, the empty one too"
    );
    let sheet = zip_member(&output, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no formula: {sheet}");
    let mut wb = open_workbook_auto(&output).unwrap();
    let range = wb.worksheet_range("Cellen").unwrap();
    assert_eq!(range.get_value((1, 0)), Some(&Data::String("=1+1".into())));
    assert_eq!(
        range.get_value((1, 8)),
        Some(&Data::String("#N/A".into())),
        "an error cell is written as its text"
    );
}

/// The formats fixture as CSV, whatever the input format: header found by `report`'s
/// detection (the title rows above it left out), ISO dates, numbers with a point.
const FIXTURE_CSV: &str =
    "Actie-ID,Omschrijving,Directie,Deadline,Status,Datum afgewerkt,Voortgang\r\n\
F1,Op tijd afgewerkt,DEL,2025-02-28,Afgewerkt,2025-02-20,1\r\n\
F2,Te laat afgewerkt,DEL,2025-01-31,Afgewerkt,2025-02-10,1\r\n\
F3,Achterstand,CDD,2025-03-15,Lopend,,0.5\r\n\
F4,Nog open,CDD,Q2 2025,Lopend,,0.25\r\n\
F5,Doorlopend,CDD,doorlopend,Lopend,,\r\n";

#[test]
fn every_format_converts_to_the_same_csv_text() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<PathBuf> = FORMATS.iter().map(|n| fixture(n)).collect();
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let (code, err) = convert(dir.path(), &inputs, &["--to", "csv"]);
    assert_eq!(code, 0, "{err}");
    // Sorted inputs: scorebord.csv, .ods, .xls, .xlsx share the stem and get suffixes.
    for file in [
        "scorebord__scorebord.csv",
        "scorebord-2__Scorebord.csv",
        "scorebord-3__Scorebord.csv",
        "scorebord-4__Scorebord.csv",
        "scorebord_1904__Scorebord.csv",
        "scorebord_lo__Scorebord.csv",
    ] {
        let text = std::fs::read_to_string(dir.path().join("out").join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}\n{err}"));
        assert_eq!(text, FIXTURE_CSV, "{file}");
    }
    let (code, err) = convert(
        dir.path(),
        &[&fixture("scorebord.xlsx")],
        &["--to", "csv", "--force", "--header-row", "none"],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("out/scorebord__Scorebord.csv")).unwrap();
    assert!(
        text.starts_with("Scorebord formaten-test,,,,,,\r\nActie-ID,"),
        "--header-row none keeps every row: {text}"
    );
}

#[test]
fn csv_defuses_formula_injection_unless_raw() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("types.xlsx");
    every_type_workbook(&input);
    let (code, err) = convert(dir.path(), &[&input], &["--to", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("sheet \u{201c}Leeg\u{201d}: the sheet is empty"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/types__Cellen.csv")).unwrap(),
        "Tekst,Getal,Geheel,Waar,Datum,Moment,Uur,Duur,Fout\r\n\
         '=1+1,0.1,42,true,2025-03-15,2025-03-15T08:30:00,08:30:00,36:00:00,#N/A\r\n\
         '-5 kortingen,2.5,-7,false,2025-03-31,2025-03-31T17:45:00,17:45:00,6:00:00,#DIV/0!\r\n"
    );
    let (code, err) = convert(dir.path(), &[&input], &["--to", "csv", "--raw", "--force"]);
    assert_eq!(code, 0, "{err}");
    let raw = std::fs::read_to_string(dir.path().join("out/types__Cellen.csv")).unwrap();
    assert!(
        raw.contains("\r\n=1+1,0.1,") && raw.contains("\r\n-5 kortingen,2.5,"),
        "{raw}"
    );
}

#[test]
fn a_windows_1252_csv_becomes_utf8_with_semicolons_and_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Actie-ID;Omschrijving;Directie;Bedrag\r\n\
                A1;Opération réussie;Énergie;1.234,5\r\n\
                A2;Café « Œuvre »;Coördinatie;-3,5\r\n";
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!lossy);
    assert!(bytes.contains(&0xE9), "é is one byte in Windows-1252");
    let input = dir.path().join("acties_é.csv");
    std::fs::write(&input, &bytes).unwrap();
    let (code, err) = convert(
        dir.path(),
        &[&input],
        &["--to", "csv", "--sep", ";", "--bom"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("read as Windows-1252"), "{err}");
    let out = std::fs::read(dir.path().join("out/acties_é__acties_é.csv")).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\u{feff}Actie-ID;Omschrijving;Directie;Bedrag\r\n\
         A1;Opération réussie;Énergie;1.234,5\r\n\
         A2;Café « Œuvre »;Coördinatie;-3,5\r\n",
        "accents kept, a decimal comma number written with a comma (the default with ;), \
         1.234,5 stays text"
    );
}

/// A workbook as a directorate sends it: amounts as numbers, a share, deadlines and notes
/// as text that Excel would turn into dates, and a formula-like text.
fn belgian_workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Acties").unwrap();
    for (c, h) in ["Omschrijving", "Bedrag", "Aandeel", "Deadline"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "4/5").unwrap();
    ws.write_number(1, 1, 142.5).unwrap();
    ws.write_number(1, 2, 0.81).unwrap();
    ws.write_string(1, 3, "maart 2025").unwrap();
    ws.write_string(2, 0, "=1+1").unwrap();
    ws.write_number(2, 1, 0.5).unwrap();
    ws.write_number(2, 2, 12.0).unwrap();
    ws.write_string(2, 3, "Q2 2025").unwrap();
    wb.save(path).unwrap();
}

/// Issue 25, item 2: after `convert --sep ';' --bom`, opened as Excel opens it in Belgium,
/// `142.5` and `0.81` were text (a point is no decimal mark there: SUM ignored them), a
/// source's `0,5` became `0.5`, and the text `4/5` opened as 4 May. With `;` numbers take a
/// decimal comma; text that Excel would turn into a date keeps a leading `'` (like text that
/// it would run as a formula), unless `--raw`. The bytes written, for every dialect.
#[test]
fn convert_sep_semicolon_wrote_point_decimals_and_excel_turned_text_into_dates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("acties.xlsx");
    belgian_workbook(&input);
    let written = |args: &[&str]| {
        let mut all = vec!["--to", "csv", "--force"];
        all.extend_from_slice(args);
        let (code, err) = convert(dir.path(), &[&input], &all);
        assert_eq!(code, 0, "{args:?}: {err}");
        String::from_utf8(std::fs::read(dir.path().join("out/acties__Acties.csv")).unwrap())
            .unwrap()
    };
    assert_eq!(
        written(&["--sep", ";", "--bom"]),
        "\u{feff}Omschrijving;Bedrag;Aandeel;Deadline\r\n\
         '4/5;142,5;0,81;'maart 2025\r\n\
         '=1+1;0,5;12;Q2 2025\r\n"
    );
    // The text comes back as it was when scoreboard reads the CSV it wrote.
    let back = read_file(
        &dir.path().join("out/acties__Acties.csv"),
        &Default::default(),
    )
    .unwrap();
    let row = &back.sheets[0].rows[1].cells;
    assert_eq!(row[0].1, RawCell::Text("4/5".into()));
    assert_eq!(row[1].1, RawCell::Number(142.5));
    assert_eq!(row[3].1, RawCell::Text("maart 2025".into()));
    assert_eq!(
        written(&["--sep", ";", "--decimal", "point"]),
        "Omschrijving;Bedrag;Aandeel;Deadline\r\n\
         '4/5;142.5;0.81;'maart 2025\r\n\
         '=1+1;0.5;12;Q2 2025\r\n"
    );
    assert_eq!(
        written(&[]),
        "Omschrijving,Bedrag,Aandeel,Deadline\r\n\
         '4/5,142.5,0.81,'maart 2025\r\n\
         '=1+1,0.5,12,Q2 2025\r\n",
        "the default stays RFC 4180 with points"
    );
    assert_eq!(
        written(&["--sep", "tab", "--decimal", "comma", "--raw"]),
        "Omschrijving\tBedrag\tAandeel\tDeadline\r\n\
         4/5\t142,5\t0,81\tmaart 2025\r\n\
         =1+1\t0,5\t12\tQ2 2025\r\n"
    );
    // The configuration's [output] keys, overridden by the command line.
    std::fs::write(
        dir.path().join("scoreboard.toml"),
        "[output]\ncsv_separator = \";\"\ncsv_bom = true\n",
    )
    .unwrap();
    assert!(written(&[]).starts_with("\u{feff}Omschrijving;Bedrag;Aandeel;Deadline\r\n'4/5;142,5;"));
    assert!(written(&["--sep", "|"])
        .starts_with("\u{feff}Omschrijving|Bedrag|Aandeel|Deadline\r\n'4/5|142.5|"));
    // A decimal comma beside the comma separator would split every number.
    let (code, err) = convert(
        dir.path(),
        &[&input],
        &["--to", "csv", "--sep", ",", "--decimal", "comma", "--force"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a decimal comma needs another separator"),
        "{err}"
    );
}

fn read_parquet(path: &Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

fn dtypes(df: &DataFrame) -> Vec<(String, DataType)> {
    df.columns()
        .iter()
        .map(|c| (c.name().to_string(), c.dtype().clone()))
        .collect()
}

#[test]
fn parquet_columns_are_typed_and_named_canonically_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = convert(
        dir.path(),
        &[&fixture("scorebord_1904.xlsx")],
        &["--to", "parquet"],
    );
    assert_eq!(code, 0, "{err}");
    let df = read_parquet(&dir.path().join("out/scorebord_1904__Scorebord.parquet"));
    use DataType::*;
    assert_eq!(
        dtypes(&df),
        [
            ("Actie-ID", String),
            ("Omschrijving", String),
            ("Directie", String),
            ("Deadline", String),
            ("Status", String),
            ("Datum afgewerkt", Date),
            ("Voortgang", Float64),
        ]
        .map(|(n, t)| (n.to_string(), t))
    );
    let text = |name: &str| -> Vec<Option<std::string::String>> {
        df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.map(str::to_string))
            .collect()
    };
    assert_eq!(
        text("Deadline"),
        [
            "2025-02-28",
            "2025-01-31",
            "2025-03-15",
            "Q2 2025",
            "doorlopend"
        ]
        .map(|s| Some(s.into())),
        "dates and periods mixed: a text column with ISO dates"
    );
    let done: Vec<Option<i32>> = df
        .column("Datum afgewerkt")
        .unwrap()
        .date()
        .unwrap()
        .physical()
        .iter()
        .collect();
    let day = |y, m, d| {
        Some(
            (chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
                - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
            .num_days() as i32,
        )
    };
    assert_eq!(
        done,
        [day(2025, 2, 20), day(2025, 2, 10), None, None, None],
        "1904-system dates are the right days"
    );
    let progress: Vec<Option<f64>> = df
        .column("Voortgang")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(
        progress,
        [Some(1.0), Some(1.0), Some(0.5), Some(0.25), None]
    );

    let (code, err) = convert(
        dir.path(),
        &[&fixture("scorebord.ods")],
        &["--to", "parquet", "--canonical"],
    );
    assert_eq!(code, 0, "{err}");
    let df = read_parquet(&dir.path().join("out/scorebord__Scorebord.parquet"));
    assert_eq!(
        df.get_column_names(),
        [
            "action_id",
            "title",
            "owner",
            "deadline",
            "status",
            "completed_on",
            "progress"
        ]
    );
}

#[test]
fn parquet_keeps_integers_booleans_and_date_times() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("types.xlsx");
    every_type_workbook(&input);
    let (code, err) = convert(dir.path(), &[&input], &["--to", "parquet"]);
    assert_eq!(code, 0, "{err}");
    let df = read_parquet(&dir.path().join("out/types__Cellen.parquet"));
    use DataType::*;
    assert_eq!(
        dtypes(&df),
        [
            ("Tekst", String),
            ("Getal", Float64),
            ("Geheel", Int64),
            ("Waar", Boolean),
            ("Datum", Date),
            ("Moment", Datetime(TimeUnit::Milliseconds, None)),
            ("Uur", String),
            ("Duur", String),
            ("Fout", String),
        ]
        .map(|(n, t)| (n.to_string(), t))
    );
    let whole: Vec<Option<i64>> = df.column("Geheel").unwrap().i64().unwrap().iter().collect();
    assert_eq!(whole, [Some(42), Some(-7)]);
    let at: Vec<Option<i64>> = df
        .column("Moment")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .iter()
        .collect();
    let ms = |d: u32, h: u32, m: u32| {
        chrono::NaiveDate::from_ymd_opt(2025, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
    };
    assert_eq!(at, [Some(ms(15, 8, 30)), Some(ms(31, 17, 45))]);
    assert!(
        !dir.path().join("out/types__Leeg.parquet").exists(),
        "an empty sheet writes no file"
    );
}

#[test]
fn a_batch_with_a_corrupt_an_empty_an_encrypted_and_an_aborting_file_converts_the_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let good = inbox.join("good.xlsx");
    write_xlsx(&good, &[&["Actie-ID", "Deadline"], &["A1", "maart 2025"]]);
    std::fs::write(inbox.join("corrupt.xlsx"), b"PK\x03\x04 not really a zip").unwrap();
    std::fs::write(inbox.join("empty.csv"), b"").unwrap();
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    encrypted.resize(4096, 0);
    std::fs::write(inbox.join("encrypted.xlsx"), encrypted).unwrap();
    // calamine#684: a shared-string table declaring 1e11 entries aborts the reading process.
    edit_zip_member(
        &good,
        &inbox.join("hostile.xlsx"),
        "xl/sharedStrings.xml",
        |xml| {
            xml.replacen("uniqueCount=\"", "uniqueCount=\"100000000000", 1)
                .replacen("count=\"", "count=\"100000000000", 1)
        },
    );
    // The cap is on the reader's address space, which holds the mapped binary too: a debug
    // build with line tables maps 630 MB of it, so 1,024 MiB left a good file's read at the
    // edge (a stack that could not grow: signal 11). The hostile file asks for far more.
    let (code, err) = convert(
        dir.path(),
        &[&inbox],
        &["--to", "csv", "--read-memory-mb", "2048"],
    );
    assert_eq!(code, 1, "{err}");
    let out = dir.path().join("out");
    let written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        written,
        ["good__Sheet1.csv"],
        "no staging folder left behind"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("good__Sheet1.csv")).unwrap(),
        // A month that Excel would turn into a date keeps its `'` (issue 25, item 2).
        "Actie-ID,Deadline\r\nA1,'maart 2025\r\n"
    );
    let line = |name: &str| {
        err.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} is not in the summary:\n{err}"))
            .to_string()
    };
    assert!(line("good.xlsx").starts_with("converted"), "{err}");
    for (name, reason) in [
        ("corrupt.xlsx", "damaged or is not a real .xlsx file"),
        ("empty.csv", "the file is empty"),
        ("encrypted.xlsx", "password-protected"),
        ("hostile.xlsx", "aborted"),
    ] {
        let l = line(name);
        assert!(l.starts_with("FAILED") && l.contains(reason), "{name}: {l}");
    }
    assert!(err.contains("1 of 5 file(s) converted"), "{err}");
}

#[test]
fn existing_outputs_need_force_and_inputs_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    write_xlsx(&input, &[&["x"], &["1"]]);
    let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx"]);
    assert_eq!(code, 0, "{err}");
    let output = dir.path().join("out/in.xlsx");
    std::fs::write(&output, b"keep me").unwrap();
    let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx"]);
    assert_eq!(code, 2, "nothing converted: {err}");
    assert!(err.contains("already exists; use --force"), "{err}");
    assert_eq!(std::fs::read(&output).unwrap(), b"keep me");
    let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&std::fs::read(&output).unwrap()[..2], b"PK");

    let before = std::fs::read(&input).unwrap();
    let (code, err) = run(
        dir.path(),
        &[
            "convert",
            "in.xlsx",
            "--to",
            "xlsx",
            "--out-dir",
            ".",
            "--force",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("one of the inputs"), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn options_are_checked_before_any_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("scorebord.csv");
    for (args, message) in [
        (
            &["--to", "xlsx", "--sep", ";"][..],
            "--sep applies only with --to csv",
        ),
        (
            &["--to", "parquet", "--bom"][..],
            "--bom applies only with --to csv",
        ),
        (
            &["--to", "xlsx", "--decimal", "comma"][..],
            "--decimal applies only with --to csv",
        ),
        (&["--to", "csv", "--decimal", "dot"][..], "--decimal dot"),
        (
            &["--to", "xlsx", "--header-row", "3"][..],
            "--header-row applies only with",
        ),
        (&["--to", "csv", "--sep", "::"][..], "--sep ::"),
        (&["--to", "csv", "--header-row", "0"][..], "--header-row 0"),
        (
            &["--to", "csv", "--header-row", "2", "--canonical"][..],
            "--canonical applies only with --header-row auto",
        ),
        (&["--to", "csv", "--jobs", "0"][..], "--jobs 0"),
        (&["--to", "pdf"][..], "pdf"),
    ] {
        let (code, err) = convert(dir.path(), &[&input], args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert!(!dir.path().join("out").exists(), "nothing created");
}

#[test]
fn rows_stored_out_of_order_are_written_in_order_without_library_messages() {
    // A hand-made xlsx may store row 3 before row 2: constant-memory writing would drop the
    // row that goes back (rust_xlsxwriter prints "Ignoring write to previously written row").
    let dir = tempfile::tempdir().unwrap();
    let ordered = dir.path().join("ordered.xlsx");
    write_xlsx(&ordered, &[&["kop"], &["twee"], &["drie"]]);
    let input = dir.path().join("unordered.xlsx");
    edit_zip_member(&ordered, &input, "xl/worksheets/sheet1.xml", |xml| {
        let start = xml.find(r#"<row r="2""#).unwrap();
        let end = xml[start..].find("</row>").unwrap() + start + "</row>".len();
        let row2 = &xml[start..end];
        let rest = xml[..start].to_string() + &xml[end..];
        let at = rest.find("</sheetData>").unwrap();
        format!("{}{row2}{}", &rest[..at], &rest[at..])
    });
    let (code, err) = convert(dir.path(), &[&input], &["--to", "xlsx"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Ignoring"), "{err}");
    assert_eq!(
        sheet(&dir.path().join("out/unordered.xlsx"), "Sheet1"),
        [["kop"], ["twee"], ["drie"]]
    );
}
