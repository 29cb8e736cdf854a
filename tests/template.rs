//! `scoreboard template`: per language, the template's headers filled with one valid row per
//! table kind read back by `report` with zero issues and the expected KPI values.

mod common;

use calamine::{open_workbook_auto, Data, Reader};
use chrono::NaiveDate;
use common::*;
use rust_xlsxwriter::{Format, Workbook};
use scoreboard::config::Lang;
use scoreboard::template::text;
use std::path::Path;

enum V {
    T(String),
    N(f64),
    D(u32, u32),
}

/// One valid row per kind (2025), in the kind's column order; words from the language.
fn row(kind: &str, lang: Lang) -> Vec<V> {
    use V::*;
    let t = text(lang);
    let s = |x: &str| T(x.to_string());
    match kind {
        "actions" => vec![
            s("A1"),
            s("Wachttijden verkorten"),
            s("OD 1.1"),
            s("MP 1"),
            s("Wachttijd"),
            s("Directie P"),
            D(3, 31),
            D(3, 15),
            T(t.statuses[2].clone()),
            N(1.0),
            D(3, 31),
            D(3, 31),
        ],
        "absence_monthly" => vec![
            s("Directie P"),
            s("2025-03"),
            N(100.0),
            N(5.0),
            N(4.0),
            N(1.0),
        ],
        "absence_spells" => vec![
            s("E1"),
            s("Directie Q"),
            D(3, 3),
            D(3, 4),
            s("ziekte"),
            N(1.0),
        ],
        "headcount" => vec![s("Directie Q"), s("2025-03"), N(5.0), N(5.0)],
        "indicators" => vec![
            s("Wachttijd"),
            s("2025-03"),
            N(12.0),
            N(10.0),
            T(t.polarities[1].clone()),
            s("OD 1.1"),
            s("Directie P"),
            s("min"),
        ],
        "satisfaction" => vec![s("Loket"), s("2025-03"), N(10.0), N(8.0)],
        "satisfaction_scores" => vec![s("2025-03"), N(8.0), s("Telefoon"), N(10.0)],
        "proposals" => vec![
            s("V1"),
            s("Digitaal loket"),
            D(2, 1),
            T(t.yes_no[0].clone()),
            N(1000.0),
            N(500.0),
            s("lopend"),
        ],
        other => panic!("no row for {other}"),
    }
}

/// Fills a copy of the template: its sheets and header rows as read back, one row each.
fn fill(template: &Path, filled: &Path, lang: Lang) {
    let t = text(lang);
    let mut wb = open_workbook_auto(template).unwrap();
    let mut out = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for name in wb.sheet_names() {
        let Some((kind, _)) = t.sheets.iter().find(|(_, n)| **n == name) else {
            assert_eq!(name, t.instructions_sheet);
            continue;
        };
        let range = wb.worksheet_range(&name).unwrap();
        let headers: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(Data::to_string)
            .collect();
        assert_eq!(&headers, &t.headers[kind.as_str()], "{name}");
        let ws = out.add_worksheet().set_name(&name).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        for (c, v) in row(kind, lang).into_iter().enumerate() {
            let c = c as u16;
            match v {
                V::T(s) => ws.write_string(1, c, s).map(|_| ()),
                V::N(n) => ws.write_number(1, c, n).map(|_| ()),
                V::D(m, d) => ws
                    .write_datetime_with_format(
                        1,
                        c,
                        NaiveDate::from_ymd_opt(2025, m, d).unwrap(),
                        &date,
                    )
                    .map(|_| ()),
            }
            .unwrap();
        }
    }
    out.save(filled).unwrap();
}

#[test]
fn a_filled_template_reads_back_with_zero_issues_in_every_language() {
    for (lang, code) in [(Lang::Nl, "nl"), (Lang::Fr, "fr"), (Lang::En, "en")] {
        let dir = tempfile::tempdir().unwrap();
        let (status, err) = run(dir.path(), &["template", "--lang", code, "-o", "t.xlsx"]);
        assert_eq!(status, 0, "{code}: {err}");
        let names = sheet_names(&dir.path().join("t.xlsx"));
        assert_eq!(names.len(), 9, "{code}: instructions + 8 kinds: {names:?}");
        assert_eq!(names[0], text(lang).instructions_sheet);
        std::fs::create_dir(dir.path().join("in")).unwrap();
        fill(
            &dir.path().join("t.xlsx"),
            &dir.path().join("in/filled.xlsx"),
            lang,
        );
        let (status, err) = run(
            dir.path(),
            &[
                "report",
                "in",
                "--as-of",
                "2025-03-31",
                "-o",
                "out.xlsx",
                "--kpis",
                "k.csv",
            ],
        );
        assert_eq!(status, 0, "{code}: {err}");
        let issues = sheet(&dir.path().join("out.xlsx"), "Issues");
        assert_eq!(issues.len(), 2, "{code}: {issues:?}");
        assert_eq!(issues[1][0], "Nothing to report", "{code}: {issues:?}");
        let kpis = kpi_csv(&dir.path().join("k.csv"));
        // Done on 15/03 for 31/03: 1 of 1 on time.
        assert_eq!(
            &kpi_row(&kpis, "actions_on_time_rate", "all", "")[4..7],
            &["1.0", "1.0", "1.0"],
            "{code}"
        );
        // Lower is better: target 10 against 12 gives 10/12.
        let attainment = kpi_row(&kpis, "indicator_attainment", "indicator", "Wachttijd");
        assert_eq!(
            attainment[6],
            (10.0f64 / 12.0).to_string(),
            "{code}: {attainment:?}"
        );
    }
}

#[test]
fn template_refuses_a_bad_kind_and_keeps_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let (status, err) = run(
        dir.path(),
        &["template", "-o", "t.xlsx", "--kinds", "acties"],
    );
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("--kinds") && err.contains("acties"), "{err}");
    std::fs::write(dir.path().join("t.xlsx"), b"keep").unwrap();
    let (status, _) = run(dir.path(), &["template", "-o", "t.xlsx"]);
    assert_eq!(status, 2);
    assert_eq!(std::fs::read(dir.path().join("t.xlsx")).unwrap(), b"keep");
    let (status, err) = run(
        dir.path(),
        &[
            "template",
            "-o",
            "t.xlsx",
            "--force",
            "--kinds",
            "actions,indicators",
            "--lang",
            "fr",
        ],
    );
    assert_eq!(status, 0, "{err}");
    assert_eq!(
        sheet_names(&dir.path().join("t.xlsx")),
        ["Instructions", "Actions", "Points de mesure"]
    );
}
