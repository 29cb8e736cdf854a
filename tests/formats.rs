//! The same scoreboard saved by openpyxl, LibreOffice (xls, ods, xlsx) and as Belgian CSV, and in
//! the 1904 date system, must give the same KPIs: date cells with a custom number format,
//! serials in both epochs and day-first text dates are all read as the same days.

mod common;

use common::*;

const FORMATS: &[&str] = &[
    "scorebord.xlsx",
    "scorebord.xls",
    "scorebord.ods",
    "scorebord_lo.xlsx",
    "scorebord.csv",
    "scorebord_1904.xlsx",
];

#[test]
fn every_format_gives_the_same_kpis_and_days_late() {
    let fixtures = root().join("tests/fixtures/formats");
    let mut reference: Option<String> = None;
    for name in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let input = fixtures.join(name);
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
        let csv = std::fs::read_to_string(dir.path().join("k.csv")).unwrap();
        match &reference {
            None => reference = Some(csv),
            Some(r) => assert_eq!(&csv, r, "{name} differs from {}", FORMATS[0]),
        }
    }
}
