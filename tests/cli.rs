//! End to end: the binary on fixtures, the workbook and KPI exports read back.

mod common;

use common::*;
use std::path::Path;

const HEADER: &[&str] = &[
    "Actie-ID",
    "Omschrijving",
    "Directie",
    "Deadline",
    "Status",
    "Datum afgewerkt",
];

#[test]
fn samples_give_a_workbook_with_every_sheet_and_the_expected_on_time_rate() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = samples_report(dir.path());
    assert_eq!(code, 1, "samples carry deliberate errors: {stderr}");
    let book = dir.path().join("KPI_2025-03.xlsx");
    let names = sheet_names(&book);
    assert_eq!(
        &names[..9],
        &[
            "Dashboard",
            "Received files",
            "Actions",
            "Absenteeism",
            "Indicators",
            "Satisfaction",
            "Proposals",
            "Plan quality",
            "KPI"
        ]
    );
    assert!(
        names.contains(&"Data – actions".to_string())
            && names.contains(&"Data – absence_monthly".to_string())
    );
    assert_eq!(names.last().unwrap(), "Issues");

    // 7 on time, 4 late, 5 overdue among 45 actions from xlsx, xls, ods and csv (see samples/README.md).
    let kpis = kpi_csv(&dir.path().join("kpis.csv"));
    let all = kpi_row(&kpis, "actions_on_time_rate", "all", "");
    assert_eq!(&all[3..], &["2025-03-31", "7.0", "16.0", "0.4375", "red"]);
    // The .xls (GOD-02 judged against its baseline 31/01) and the .ods (DEB-05 done 16 days late).
    assert_eq!(
        kpi_row(
            &kpis,
            "actions_overdue",
            "owner",
            "Gespecialiseerde ondersteunende diensten"
        )[6],
        "1.0"
    );
    assert_eq!(
        kpi_row(&kpis, "actions_late", "owner", "Externe Betrekkingen")[6],
        "1.0"
    );
    // The French file: CDD-03 completed after the as-of date is not done.
    assert_eq!(
        kpi_row(
            &kpis,
            "actions_open",
            "owner",
            "Contrôle de la disponibilité"
        )[6],
        "2.0"
    );

    let issues = sheet(&book, "Issues");
    assert_eq!(
        issues[0],
        vec!["File", "Sheet", "Cell", "Value", "Severity", "Reason"]
    );
    let has = |file: &str, cell: &str, severity: &str| {
        issues
            .iter()
            .any(|r| r[0].ends_with(file) && r[2] == cell && r[4] == severity)
    };
    assert!(
        has("scorebord_DEL_2025-03.xlsx", "A21", "error"),
        "row without action id"
    );
    assert!(
        has("scorebord_DEL_2025-03.xlsx", "G18", "warning"),
        "unknown status"
    );
    assert!(
        has("scorebord_DEL_2025-03.xlsx", "F19", "warning"),
        "unreadable deadline"
    );
    assert!(
        has("scorebord_DEL_2025-03.xlsx", "H20", "warning"),
        "impossible date"
    );
    assert!(
        has("tableau_de_bord_CDD_mars-2025.xlsx", "I12", "warning"),
        "#N/A cell"
    );
    assert!(
        has("afwezigheden_2024-2025.xlsx", "B81", "error"),
        "bad month"
    );
    assert!(
        has("scorebord_PO_2025-03.csv", "H10", "warning"),
        "completion after as-of in the csv"
    );

    let actions = sheet(&book, "Actions");
    assert!(
        actions
            .iter()
            .any(|r| r[0].starts_with("DEL-17") && r[5] == "Overdue"),
        "action only in the February snapshot"
    );

    // Indicators: waiting time 18 min against 20, lower is better → 20/18, on target.
    let wait = kpi_row(
        &kpis,
        "indicator_attainment",
        "indicator",
        "Gemiddelde wachttijd aan het loket",
    );
    assert_eq!(&wait[3..5], &["2025-01", "24.0"], "first period first");
    let march: Vec<_> = kpis
        .iter()
        .filter(|r| r[0] == "indicator_attainment" && r[3] == "2025-03")
        .collect();
    assert_eq!(march.iter().filter(|r| r[7] == "green").count(), 3);
    // Satisfaction, March, online: 457 of 602 aggregated plus 7 of 10 raw 10-point answers.
    let online = kpis
        .iter()
        .find(|r| r[0] == "satisfaction_rate" && r[2] == "Online" && r[3] == "2025-03")
        .unwrap();
    assert_eq!(&online[4..6], &["464.0", "612.0"]);
    // Proposals of 2025 up to March: 4 submitted, 3 SMART, 35,000 of 260,000 planned realised.
    assert_eq!(kpi_row(&kpis, "proposals_submitted", "all", "")[6], "4.0");
    assert_eq!(kpi_row(&kpis, "proposals_smart_rate", "all", "")[6], "0.75");
    assert_eq!(
        &kpi_row(&kpis, "proposals_savings_rate", "all", "")[4..6],
        &["35000.0", "260000.0"]
    );
    // Absence, whole organisation, March 2025: Σ sick / Σ workable of the five directorates.
    let absence = kpi_row(&kpis, "absence_rate", "all", "");
    assert_eq!(
        absence[3], "2024-01",
        "15 months of data, the first one first"
    );
    let march = kpis
        .iter()
        .find(|r| r[0] == "absence_rate" && r[1] == "all" && r[3] == "2025-03")
        .unwrap();
    assert_eq!(&march[4..6], &["352.6", "7226.1"]);
    assert!(kpis
        .iter()
        .any(|r| r[0] == "absence_rate_12m" && r[1] == "all" && r[3] == "2025-03"));
    assert!(kpis.iter().any(|r| r[0] == "absence_trend"
        && r[2] == "Eerste lijn Werkzoekenden"
        && r[7] == "improving"));
    assert!(
        has("afwezigheidsperiodes_2025.csv", "D7", "error"),
        "spell ending before it starts"
    );
    let dashboard = sheet(&book, "Dashboard");
    assert!(
        dashboard
            .iter()
            .any(|r| r.iter().any(|c| c == "Absence rate (March 2025)")),
        "absence on the dashboard"
    );
    let indicators = sheet(&book, "Indicators");
    assert!(
        indicators
            .iter()
            .any(|r| r[0] == "Ziekteverzuim directie" && r[9] == "Watch"),
        "{indicators:?}"
    );
}

#[test]
fn running_twice_gives_the_same_kpis() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    samples_report(a.path());
    samples_report(b.path());
    let read = |d: &Path| std::fs::read_to_string(d.join("kpis.csv")).unwrap();
    assert_eq!(read(a.path()), read(b.path()));
}

#[test]
fn kpi_table_exports_as_parquet_and_json_with_the_contract_columns() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("in.xlsx"),
        &[
            HEADER,
            &["A1", "t", "P", "31/01/2025", "Afgewerkt", "15/01/2025"],
        ],
    );
    for out in ["k.json", "k.parquet", "k.csv"] {
        let (code, err) = run(
            dir.path(),
            &[
                "report",
                "in.xlsx",
                "--as-of",
                "2025-03-31",
                "-o",
                "out.xlsx",
                "--kpis",
                out,
            ],
        );
        assert_eq!(code, 0, "{err}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("k.json")).unwrap()).unwrap();
    let first = &json.as_array().unwrap()[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "kpi",
        "scope",
        "key",
        "period",
        "numerator",
        "denominator",
        "value",
        "status",
    ] {
        assert!(keys.contains(&k), "{keys:?}");
    }
    assert_eq!(first["kpi"], "actions_on_time_rate");
    assert_eq!(first["value"], 1.0);
    let parquet = std::fs::read(dir.path().join("k.parquet")).unwrap();
    assert_eq!(&parquet[..4], b"PAR1");
    let header = std::fs::read_to_string(dir.path().join("k.csv")).unwrap();
    assert!(header.starts_with("kpi,scope,key,period,numerator,denominator,value,status"));
}

#[test]
fn a_file_that_aborts_the_spreadsheet_reader_is_reported_and_the_batch_goes_on() {
    // calamine#684: a shared-string table declaring 1e11 entries makes the reader abort the
    // process on allocation. In its own process it costs one file, not the run.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    write_xlsx(
        &good,
        &[
            HEADER,
            &["A1", "t", "P", "31/01/2025", "Afgewerkt", "15/01/2025"],
        ],
    );
    edit_zip_member(
        &good,
        &dir.path().join("hostile.xlsx"),
        "xl/sharedStrings.xml",
        |xml| {
            xml.replacen("uniqueCount=\"", "uniqueCount=\"100000000000", 1)
                .replacen("count=\"", "count=\"100000000000", 1)
        },
    );
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            ".",
            "--as-of",
            "2025-03-31",
            "-o",
            "out.xlsx",
            "--read-memory-mb",
            "1024",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let issues = sheet(&dir.path().join("out.xlsx"), "Issues");
    let hostile = issues
        .iter()
        .find(|r| r[0].ends_with("hostile.xlsx"))
        .expect("the hostile file is on the Issues sheet");
    assert_eq!(hostile[4], "error");
    assert!(
        hostile[5].contains("file not read") && hostile[5].contains("aborted"),
        "{hostile:?}"
    );
    let kpis = sheet(&dir.path().join("out.xlsx"), "KPI");
    assert!(
        kpis.iter()
            .any(|r| r[0] == "actions_on_time_rate" && r[2] == "Whole organisation" && r[7] == "1"),
        "the good file still counts"
    );
}

#[test]
fn a_cell_at_xfd1048576_costs_nothing() {
    // calamine#693: worksheet_range would allocate the whole 550 GB bounding box.
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["A1", "t", "P", "31/01/2025", "Afgewerkt", "15/01/2025"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    wb.save(dir.path().join("far.xlsx")).unwrap();
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            "far.xlsx",
            "--as-of",
            "2025-03-31",
            "-o",
            "out.xlsx",
            "--read-memory-mb",
            "512",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let issues = sheet(&dir.path().join("out.xlsx"), "Issues");
    assert!(
        issues
            .iter()
            .any(|r| r[2] == "row 1048576" && r[3] == "far away"),
        "{issues:?}"
    );
}

#[test]
fn broken_and_foreign_files_are_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("ok.xlsx"),
        &[HEADER, &["A1", "t", "P", "doorlopend", "Lopend", ""]],
    );
    std::fs::write(
        dir.path().join("garbage.xlsx"),
        [0u8, 159, 146, 150, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(
        dir.path().join("truncated.xlsx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    std::fs::write(dir.path().join("empty.csv"), b"").unwrap();
    std::fs::write(dir.path().join("~$ok.xlsx"), b"lock file").unwrap();
    let (code, err) = run(
        dir.path(),
        &["report", ".", "--as-of", "2025-03-31", "-o", "out.xlsx"],
    );
    assert_eq!(code, 1, "{err}");
    // The terminal summary names every file not used, with its reason.
    for name in ["garbage.xlsx", "truncated.xlsx", "empty.csv"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("  not used: {name}: "))),
            "{name}: {err}"
        );
    }
    let issues = sheet(&dir.path().join("out.xlsx"), "Issues");
    for name in ["garbage.xlsx", "truncated.xlsx", "empty.csv"] {
        assert!(
            issues
                .iter()
                .any(|r| r[0].ends_with(name) && r[4] == "error"),
            "{name}: {issues:?}"
        );
    }
    assert!(
        !issues.iter().any(|r| r[0].contains("~$")),
        "lock files are skipped"
    );
}

#[test]
fn an_output_path_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    write_xlsx(
        &input,
        &[HEADER, &["A1", "t", "P", "doorlopend", "Lopend", ""]],
    );
    let before = std::fs::read(&input).unwrap();
    let (code, err) = run(dir.path(), &["report", ".", "-o", "in.xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("one of the inputs"), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn strict_writes_nothing_when_rows_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("in.xlsx"),
        &[HEADER, &["", "no id", "P", "doorlopend", "Lopend", ""]],
    );
    let (code, _) = run(
        dir.path(),
        &["report", "in.xlsx", "-o", "out.xlsx", "--strict"],
    );
    assert_eq!(code, 1);
    assert!(!dir.path().join("out.xlsx").exists());
    let (code, _) = run(dir.path(), &["report", "in.xlsx", "-o", "out.xlsx"]);
    assert_eq!(code, 1);
    assert!(dir.path().join("out.xlsx").exists());
}

#[test]
fn bad_usage_exits_with_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        run(dir.path(), &["report", "missing/", "-o", "out.xlsx"]).0,
        2
    );
    write_xlsx(&dir.path().join("in.xlsx"), &[HEADER]);
    assert_eq!(
        run(
            dir.path(),
            &["report", "in.xlsx", "-o", "out.xlsx", "--month", "2025-13"]
        )
        .0,
        2
    );
    assert_eq!(
        run(dir.path(), &["report", "in.xlsx", "-o", "out.csv"]).0,
        2
    );
    assert_eq!(
        run(dir.path(), &["report", "in.xlsx"]).0,
        2,
        "clap: missing -o"
    );
}

#[test]
fn check_lists_what_would_be_rejected_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("in.xlsx"),
        &[
            HEADER,
            &["", "no id", "P", "doorlopend", "Lopend", ""],
            &["A2", "t", "P", "asap", "Lopend", ""],
        ],
    );
    let out = bin()
        .args(["check", "in.xlsx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Each file's errors and warnings stand under it.
    assert!(stdout.starts_with("in.xlsx (P): 2 row(s) read"), "{stdout}");
    assert!(
        stdout.contains("\n    error: Sheet1 › A2: “Actie-ID” (action_id) is empty; row left out"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\n    warning: Sheet1 › D3 [asap]: “Deadline” (deadline): cannot read “asap”"
        ),
        "{stdout}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_wrong_kpis_extension_is_refused_before_anything_is_read_or_written() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("in.xlsx"),
        &[HEADER, &["A1", "t", "P", "doorlopend", "Lopend", ""]],
    );
    let (code, err) = run(
        dir.path(),
        &["report", "in.xlsx", "-o", "out.xlsx", "--kpis", "k.xlsx"],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim(),
        "scoreboard: --kpis k.xlsx: use a .csv, .parquet or .json file"
    );
    assert!(!dir.path().join("out.xlsx").exists(), "nothing written");
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            "in.xlsx",
            "-o",
            "out.xlsx",
            "--as-of",
            "31/03/2025",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--as-of \u{201c}31/03/2025\u{201d}: expected YYYY-MM-DD"),
        "{err}"
    );
    let (code, err) = run(
        dir.path(),
        &["report", "in.xlsx", "-o", "out.xlsx", "--jobs", "0"],
    );
    assert_eq!((code, err.trim()), (2, "scoreboard: --jobs 0: at least 1"));
}

#[test]
fn check_ends_quietly_when_its_reader_closes_the_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    for i in 0..3000 {
        rows.push(vec![
            format!("A{i}"),
            "t".into(),
            "P".into(),
            "asap".into(),
            "Lopend".into(),
        ]);
    }
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    write_xlsx(&dir.path().join("in.xlsx"), &slices);
    let mut child = bin()
        .args(["check", "in.xlsx"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe as `head -1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "3000 warnings, no error: {stderr}"
    );
}

#[test]
fn every_kpi_of_the_samples_is_declared_in_the_registry() {
    use scoreboard::kpi::registry::{kpi_def, Unit};
    let dir = tempfile::tempdir().unwrap();
    samples_report(dir.path());
    let rows = kpi_csv(&dir.path().join("kpis.csv"));
    for r in &rows {
        assert!(kpi_def(&r[0]).is_some(), "{} is not in the registry", r[0]);
    }
    // The KPI sheet stores the unrounded value (its display format is asserted in
    // tests/workbook.rs, which reads the styles back).
    let sheet = sheet(&dir.path().join("KPI_2025-03.xlsx"), "KPI");
    let attainment = sheet
        .iter()
        .find(|r| r[0] == "indicator_attainment")
        .expect("an attainment row");
    let value: f64 = attainment[7].parse().unwrap();
    assert!(value > 0.0 && value.fract() != 0.0, "unrounded: {value}");
    assert_eq!(kpi_def("indicator_attainment").unwrap().unit, Unit::Ratio);
}

#[test]
fn two_files_naming_one_channel_in_two_cases_still_give_a_workbook() {
    // Regression: `Loket` and `loket` became two Excel table headers that Excel treats as one,
    // and the whole report failed ("Column name 'loket' already exists", exit 2).
    let dir = tempfile::tempdir().unwrap();
    let header: &[&str] = &["Kanaal", "Maand", "Aantal antwoorden", "Tevreden"];
    write_xlsx(
        &dir.path().join("a.xlsx"),
        &[header, &["Loket", "2025-03", "10", "8"]],
    );
    write_xlsx(
        &dir.path().join("b.xlsx"),
        &[header, &["loket", "2025-03", "10", "6"]],
    );
    let (code, err) = run(
        dir.path(),
        &[
            "report", "a.xlsx", "b.xlsx", "--month", "2025-03", "-o", "out.xlsx",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // Since group keys fold case (spec §3), the two spellings are one channel: one column.
    let sat = sheet(&dir.path().join("out.xlsx"), "Satisfaction");
    let header_row = sat
        .iter()
        .find(|r| r.iter().any(|c| c == "Loket"))
        .expect("a header with the channels");
    assert_eq!(
        header_row
            .iter()
            .filter(|c| c.to_lowercase().starts_with("loket"))
            .count(),
        1,
        "{header_row:?}"
    );
}

/// Runs `check` on the sample inbox as of March 2025 in a format; returns (exit code, stdout).
fn samples_check(format: &str) -> (i32, String) {
    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let out = bin()
        .args(["check", inbox.to_str().unwrap(), "--config"])
        .arg(&config)
        .args(["--month", "2025-03", "--format", format])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// The file of a check document whose path ends with `name`.
fn checked_file<'a>(doc: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no file {name}"))
}

#[test]
fn check_json_on_the_samples_counts_rows_and_issues_per_file_and_sheet() {
    let (code, stdout) = samples_check("json");
    assert_eq!(code, 1, "the samples have rejected rows");
    // One document, nothing else on stdout.
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(doc["version"], 3);
    assert_eq!(doc["as_of"], "2025-03-31");
    // 198 rows below the headers: 14 + 18 actions of DEL (Feb, Mar), 8 CDD, 7 GOD, 6 DEB, 7 PO;
    // 77 absence (75 unit-months, a Totaal row, 13/2024); 6 spells, 15 headcount, 15
    // indicators, 8 satisfaction, 12 raw scores, 5 proposals.
    assert_eq!(
        doc["summary"],
        serde_json::json!({
            "files": 13, "files_without_table": 0, "files_without_data": 0,
            "files_unreadable": 0,
            "rows": {"read": 198, "kept": 194, "rejected": 2, "skipped": 2},
            "superseded": 13,
            "issues": {"error": 3, "warning": 9, "info": 7},
            "exit_code": 1
        })
    );
    let del = checked_file(&doc, "scorebord_DEL_2025-03.xlsx");
    assert_eq!(del["status"], "read");
    // 16 actions, one without an id (A21), a Totaal row (22); plus the Toelichting notes sheet.
    assert_eq!(
        del["sheets"],
        serde_json::json!([
            {"sheet": "Scorebord", "kind": "actions", "note": "",
             "rows": {"read": 18, "kept": 16, "rejected": 1, "skipped": 1},
             "issues": {"error": 1, "warning": 5, "info": 2}},
            {"sheet": "Toelichting", "kind": null,
             "note": "no header row of a known table kind in the first 30 rows",
             "rows": {"read": 0, "kept": 0, "rejected": 0, "skipped": 0},
             "issues": {"error": 0, "warning": 0, "info": 1}}
        ])
    );
    let absence = checked_file(&doc, "afwezigheden_2024-2025.xlsx");
    assert_eq!(
        absence["rows"],
        serde_json::json!({"read": 77, "kept": 75, "rejected": 1, "skipped": 1})
    );
    // The spell that ends before it starts is kept by consolidation and left out by the KPI
    // stage: an error of the sheet.
    let spells = checked_file(&doc, "afwezigheidsperiodes_2025.csv");
    assert_eq!(spells["sheets"][0]["kind"], "absence_spells");
    assert_eq!(spells["rows"]["kept"], 6);
    assert_eq!(
        spells["issues"],
        serde_json::json!({"error": 1, "warning": 1, "info": 0})
    );
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 19);
    // Issue 25, item 6: a cell is an Excel reference or empty; every issue about a row has
    // its row (the overlapping spells of an employee are about their row, not a cell).
    for i in issues {
        let cell = i["cell"].as_str().unwrap();
        assert!(
            cell.is_empty() || cell.starts_with(|c: char| c.is_ascii_uppercase()),
            "{i}"
        );
        if !cell.is_empty() {
            let digits = cell.trim_start_matches(|c: char| c.is_ascii_uppercase());
            assert_eq!(i["row"], digits.parse::<u32>().unwrap(), "{i}");
        }
    }
    let overlap = issues
        .iter()
        .find(|i| i["reason_key"] == "spells_overlap")
        .expect("the overlapping spells");
    assert_eq!(
        (&overlap["cell"], &overlap["row"]),
        (&serde_json::json!(""), &serde_json::json!(3))
    );
    let b81 = issues
        .iter()
        .find(|i| i["cell"] == "B81")
        .expect("the bad absence month");
    assert!(b81["file"]
        .as_str()
        .unwrap()
        .ends_with("afwezigheden_2024-2025.xlsx"));
    assert_eq!(
        (&b81["sheet"], &b81["value"], &b81["severity"]),
        (
            &serde_json::json!("Verzuim"),
            &serde_json::json!("13/2024"),
            &serde_json::json!("error")
        )
    );
    assert!(b81["reason"].as_str().unwrap().contains("row left out"));

    // The text form says the same.
    let (code, text) = samples_check("text");
    assert_eq!(code, 1);
    assert!(
        text.contains(
            "  Scorebord › actions: 18 row(s) read, 16 kept, 1 rejected, 1 skipped; \
             1 error(s), 5 warning(s), 2 note(s)"
        ),
        "{text}"
    );
    assert!(text
        .contains("  Verzuim › absence_monthly: 77 row(s) read, 75 kept, 1 rejected, 1 skipped"));
    assert!(
        text.contains("    warning: afwezigheidsperiodes_2025 › row 3: employee"),
        "{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("    error: "))
            .count(),
        3
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("    warning: "))
            .count(),
        9
    );
}

#[test]
fn check_says_plainly_when_a_file_gives_no_table_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("ok.xlsx"),
        &[HEADER, &["A1", "t", "P", "doorlopend", "Lopend", ""]],
    );
    write_xlsx(
        &dir.path().join("renamed.xlsx"),
        &[&["Nummer", "Wat", "Wanneer"], &["A2", "t", "maart 2025"]],
    );
    let out = bin()
        .args(["check", ".", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a file left out is an error");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files_without_table"], 1);
    let renamed = checked_file(&doc, "renamed.xlsx");
    assert_eq!(renamed["status"], "no_table");
    assert_eq!(renamed["sheets"][0]["kind"], serde_json::Value::Null);
    assert_eq!(renamed["issues"]["error"], 1);
    let issue = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"].as_str().unwrap().ends_with("renamed.xlsx") && i["sheet"] == "")
        .expect("a file-level issue");
    assert_eq!(issue["severity"], "error");
    assert!(issue["reason"]
        .as_str()
        .unwrap()
        .starts_with("no table found"));
    assert_eq!(checked_file(&doc, "ok.xlsx")["status"], "read");

    let out = bin()
        .args(["check", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("renamed.xlsx: NO TABLE FOUND; nothing of it is used"),
        "{text}"
    );
    assert!(text.contains("  Sheet1 › ignored: "), "{text}");
    // `report` agrees: written, exit code 1.
    let (code, err) = run(dir.path(), &["report", ".", "-o", "out.xlsx"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn config_example_prints_the_documented_file_and_needs_its_flag() {
    let out = bin().args(["config", "--example"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let documented = std::fs::read(root().join("docs/scoreboard.example.toml")).unwrap();
    assert_eq!(out.stdout, documented);
    let out = bin().arg("config").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "bad usage");
}

#[test]
fn a_kpi_workbook_left_in_the_inbox_is_not_read_back_as_data() {
    // Regression: the KPI sheet of an earlier run passed for an indicators table (kpi, period,
    // value) and gave 18 "reported again" errors. The workbook's custom document property
    // `scoreboard` marks it, whatever its language.
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    let copy = |from: &Path, to: &Path| {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    };
    copy(&root().join("samples/inbox"), &inbox);
    let config = root().join("samples/scoreboard.toml");
    let report = |out: &str, kpis: &str| {
        run(
            dir.path(),
            &[
                "report",
                "inbox",
                "--config",
                config.to_str().unwrap(),
                "--month",
                "2025-03",
                "-o",
                out,
                "--kpis",
                kpis,
            ],
        )
    };
    let (code, err) = report("inbox/KPI_2025-02.xlsx", "first.csv");
    assert_eq!(code, 1, "{err}");
    let (code, err) = report("second.xlsx", "second.csv");
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("first.csv")).unwrap(),
        std::fs::read_to_string(dir.path().join("second.csv")).unwrap(),
        "the old KPI workbook changed the KPIs"
    );
    let issues = sheet(&dir.path().join("second.xlsx"), "Issues");
    let ours: Vec<_> = issues
        .iter()
        .filter(|r| r[0] == "KPI_2025-02.xlsx")
        .collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0][4], "info");
    assert_eq!(
        ours[0][5],
        "a workbook written by scoreboard; not read as data"
    );
}
/// Regression: a data sheet of more than 20,000 rows is streamed (constant memory), and the
/// Excel table rewrote its header row after row 0 had been flushed, so rust_xlsxwriter printed
/// "Ignoring write to previously written row 0 in 'constant memory' mode." once per column.
#[test]
fn a_large_report_prints_no_ignoring_write_lines_and_its_streamed_sheet_keeps_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let rows = 20_050;
    let mut csv = String::from("Actie-ID;Omschrijving;Directie;Deadline;Status;Datum afgewerkt\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "A{i};Actie {i};Directie {};31/01/2025;Afgewerkt;15/01/2025\n",
            i % 7
        ));
    }
    std::fs::write(dir.path().join("scorebord_2025-03.csv"), csv).unwrap();
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            "scorebord_2025-03.csv",
            "--month",
            "2025-03",
            "-o",
            "out.xlsx",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("Ignoring write"), "{stderr}");
    let data = sheet(&dir.path().join("out.xlsx"), "Data – actions");
    assert_eq!(data.len(), rows + 1);
    assert_eq!(data[0][0], "Action ID");
    assert_eq!(data[0].last().unwrap(), "Source row");
    assert_eq!(data[rows][0], format!("A{}", rows - 1));
}

/// The data sheet of a large table, streamed to disk on a thread of its own while the KPIs are
/// computed: through the whole command — reader processes, typers, the workbook builder — it
/// holds every row, in order, with its values and lineage.
#[test]
fn a_large_spells_sheet_streamed_beside_the_kpis_holds_every_row_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let rows = 20_050;
    let mut csv = String::from("Personeelsnummer;Directie;Begindatum;Einddatum;Fractie;Type\n");
    for i in 0..rows {
        let fraction = if i % 2 == 0 { "1" } else { "0,5" };
        csv.push_str(&format!(
            "{};Directie {};03/02/2025;04/02/2025;{fraction};Ziekte\n",
            100_000 + i,
            i % 3
        ));
    }
    std::fs::write(dir.path().join("afwezigheden.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("scorebord_2025-03.csv"),
        "Actie-ID;Omschrijving;Directie;Deadline;Status\nA1;Actie;Directie 0;31/03/2025;Lopend\n",
    )
    .unwrap();
    let out = bin()
        .args([
            "report",
            ".",
            "--as-of",
            "2025-03-31",
            "--lang",
            "en",
            "-o",
            "out.xlsx",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let data = sheet(&dir.path().join("out.xlsx"), "Data – absence_spells");
    assert_eq!(data.len(), rows + 1, "the header and every row");
    assert_eq!(
        data[0],
        [
            "Employee ID",
            "Unit",
            "Start date",
            "End date",
            "Reason",
            "Work fraction",
            "Source file",
            "Source sheet",
            "Source row"
        ]
    );
    for (i, row) in data[1..].iter().enumerate() {
        let fraction = if i % 2 == 0 { "1" } else { "0.5" };
        assert_eq!(
            [&row[0], &row[1], &row[4], &row[5], &row[6], &row[8]],
            [
                &(100_000 + i).to_string(),
                &format!("Directie {}", i % 3),
                &"Ziekte".to_string(),
                &fraction.to_string(),
                &"afwezigheden.csv".to_string(),
                &(i + 2).to_string(),
            ],
            "row {i}"
        );
    }
}

#[test]
fn data_dir_writes_every_table_with_lineage_as_parquet_partitioned_by_reporting_month() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = samples_report_with(dir.path(), &["--data-dir", "lake"]);
    assert_eq!(code, 1, "{stderr}");
    let lake = dir.path().join("lake");
    let read = |kind: &str| {
        let path = lake.join(kind).join("report_month=2025-03/part-0.parquet");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{kind}: {e}"));
        ParquetReader::new(file).finish().unwrap()
    };
    // 45 actions after the snapshot merge, as on the Data sheet, each with its lineage.
    let actions = read("actions");
    assert_eq!(actions.height(), 45);
    for col in [
        "action_id",
        "judged_deadline",
        "source_file",
        "source_sheet",
        "source_row",
    ] {
        assert!(actions.column(col).is_ok(), "actions.{col}");
    }
    assert_eq!(actions.column("deadline").unwrap().dtype(), &DataType::Date);
    let files = actions.column("source_file").unwrap().str().unwrap();
    assert!(files
        .iter()
        .flatten()
        .any(|f| f == "scorebord_GOD_2025-03.xls"));
    assert!(
        actions
            .column("source_row")
            .unwrap()
            .u32()
            .unwrap()
            .min()
            .unwrap()
            >= 2
    );
    // The absence table keeps its own `month` (the period of each row), not the partition's.
    let absence = read("absence_monthly");
    assert_eq!(absence.height(), 75);
    let months = absence.column("month").unwrap().str().unwrap();
    assert!(months.iter().flatten().any(|m| m == "2024-01"));
    // The KPI table: the same headline as the CSV export.
    let kpis = read("kpis");
    let headline = kpis
        .lazy()
        .filter(
            col("kpi")
                .eq(lit("actions_on_time_rate"))
                .and(col("scope").eq(lit("all"))),
        )
        .collect()
        .unwrap();
    assert_eq!(headline.height(), 1);
    let value = headline.column("value").unwrap().f64().unwrap().get(0);
    assert_eq!(value, Some(0.4375));
    assert_eq!(
        std::fs::read_dir(&lake).unwrap().count(),
        10,
        "8 table kinds of the samples, the KPI table and the issues"
    );
}

#[test]
fn data_dir_that_is_a_file_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lake"), "not a folder").unwrap();
    let (code, stderr) = samples_report_with(dir.path(), &["--data-dir", "lake"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--data-dir lake: exists and is not a folder"),
        "{stderr}"
    );
    assert!(!dir.path().join("KPI_2025-03.xlsx").exists());
}

#[test]
fn report_ends_with_a_summary_of_outputs_and_time_and_quiet_silences_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, stderr) = samples_report(dir.path());
    assert!(
        stderr.contains("issues: 3 error(s), 9 warning(s), 7 note(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("wrote KPI_2025-03.xlsx\nwrote kpis.csv\ndone in "),
        "{stderr}"
    );
    // stderr is a pipe here: no progress bar escape codes either way.
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    let (code, stderr) = samples_report_with(dir.path(), &["--quiet"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
}

/// Issue 25, item 12: `convert` refused `--quiet` (which `report` and `check` take), and not
/// every command took the options its kind of work implies. Every command that prints progress
/// or a summary takes `--quiet`; every command that reads files takes `--jobs`.
#[test]
fn convert_refused_quiet_and_the_commands_did_not_share_their_options() {
    use clap::CommandFactory;
    let cli = scoreboard::cli::Cli::command();
    let takes = |command: &str, arg: &str| {
        cli.find_subcommand(command)
            .unwrap_or_else(|| panic!("no {command}"))
            .get_arguments()
            .any(|a| a.get_id() == arg)
    };
    for command in ["report", "check", "watch", "convert"] {
        assert!(takes(command, "jobs"), "{command} --jobs");
    }
    for command in ["report", "check", "watch", "convert", "template", "sample"] {
        assert!(takes(command, "quiet"), "{command} --quiet");
    }
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(&dir.path().join("good.xlsx"), &[HEADER]);
    std::fs::write(dir.path().join("bad.xlsx"), b"PK\x03\x04 not a workbook").unwrap();
    let (code, err) = run(
        dir.path(),
        &["convert", ".", "--to", "csv", "--out-dir", "out", "--quiet"],
    );
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "only the failure: {err}");
    assert!(lines[0].starts_with("FAILED    bad.xlsx: "), "{err}");
    assert!(dir.path().join("out/good__Sheet1.csv").exists());
    let (code, err) = run(dir.path(), &["template", "-o", "t.xlsx", "--quiet"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

/// Issue 25, item 12: shell completions and the manual page come from the same argument tree
/// as the binary, without the hidden reader and converter commands.
#[test]
fn completions_and_manual_pages_were_missing() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = |args: &[&str]| {
        let out = bin().args(args).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for (shell, marker) in [
        ("bash", "_scoreboard()"),
        ("zsh", "#compdef scoreboard"),
        ("fish", "complete -c scoreboard"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {marker}");
        for word in ["report", "convert", "kpis", "decimal", "read-max-cells"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
        assert!(
            !script.contains("worker"),
            "{shell}: hidden commands offered"
        );
    }
    let page = stdout(&["manpage"]);
    assert!(page.contains(".TH scoreboard 1"), "{page}");
    assert!(
        page.contains("convert") && !page.contains("worker"),
        "{page}"
    );
    stdout(&["manpage", "--out-dir", "man1"]);
    let report = std::fs::read_to_string(dir.path().join("man1/scoreboard-report.1")).unwrap();
    assert!(report.contains(".TH scoreboard-report 1"), "{report}");
    assert!(report.contains("\\-\\-kpis"), "{report}");
    for page in ["scoreboard.1", "scoreboard-convert.1", "scoreboard-watch.1"] {
        assert!(dir.path().join("man1").join(page).exists(), "{page}");
    }
    assert!(!dir.path().join("man1/scoreboard-worker.1").exists());
}

/// Issue 25, item 12: the README's install line must work from a fresh clone. It uses
/// `--locked` (the tested versions), and `rust-version` said 1.85 while the locked dependencies
/// need 1.95 (sysinfo 0.39): an older rustc failed deep in a dependency instead of saying so.
#[test]
fn rust_version_was_older_than_the_locked_dependencies_need() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(
        readme.contains("\ncargo install --locked --path .\n"),
        "README install line"
    );
    let out = std::process::Command::new(env!("CARGO"))
        // Not --offline: metadata needs the manifests of every locked package, also those of
        // other platforms, which a build on this one never downloads.
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root())
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let packages = metadata["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "scoreboard")
        .and_then(|p| p["rust_version"].as_str())
        .expect("rust-version declared");
    let needed = packages
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    assert!(
        version(ours) >= version(needed.0),
        "rust-version {ours}, but {} needs {}",
        needed.1,
        needed.0
    );
}

/// Issue 25, item 11: the Parquet dataset had no action classes (the dashboard could not be
/// rebuilt in SQL) and no issues. Each action carries the class the Dashboard counts, and the
/// issues are a table of their own, partitioned like the others.
#[test]
fn data_dir_had_no_action_classes_nor_issues_so_the_dashboard_could_not_be_rebuilt() {
    use polars::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = samples_report_with(dir.path(), &["--data-dir", "lake", "--lang", "nl"]);
    assert_eq!(code, 1, "{stderr}");
    let read = |table: &str| {
        let path = dir
            .path()
            .join("lake")
            .join(table)
            .join("report_month=2025-03/part-0.parquet");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{table}: {e}"));
        ParquetReader::new(file).finish().unwrap()
    };
    let actions = read("actions");
    let classes = actions.column("class").unwrap().str().unwrap().clone();
    let count = |class: &str| classes.iter().filter(|c| *c == Some(class)).count() as f64;
    let kpis = kpi_csv(&dir.path().join("kpis.csv"));
    for (class, kpi) in [
        ("on_time", "actions_on_time"),
        ("late", "actions_late"),
        ("overdue", "actions_overdue"),
        ("open", "actions_open"),
        ("continuous", "actions_continuous"),
        ("cancelled", "actions_cancelled"),
        ("undated", "actions_undated"),
        ("done_undated", "actions_done_undated"),
        ("unknown", "actions_unknown_status"),
    ] {
        let numerator: f64 = kpi_row(&kpis, kpi, "all", "")[4].parse().unwrap();
        assert_eq!(count(class), numerator, "{class}");
    }
    assert_eq!(classes.null_count(), 0);
    // The headline rate, rebuilt from the classes: 7 of 16.
    let assessed = count("on_time") + count("late") + count("overdue");
    assert_eq!(count("on_time") / assessed, 0.4375);
    // The issues: every row of the Issues sheet, with a stable key beside the run's words.
    let issues = read("issues");
    let sheet_rows = sheet(&dir.path().join("KPI_2025-03.xlsx"), "Meldingen").len() - 1;
    assert_eq!(issues.height(), sheet_rows);
    let names: Vec<&str> = issues
        .get_column_names()
        .into_iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "file",
            "sheet",
            "cell",
            "value",
            "severity",
            "reason_key",
            "reason"
        ]
    );
    let keys = issues.column("reason_key").unwrap().str().unwrap().clone();
    let reasons = issues.column("reason").unwrap().str().unwrap().clone();
    let at = keys
        .iter()
        .position(|k| k == Some("required_empty"))
        .expect("the sample's row without an action id");
    assert_eq!(
        issues.column("severity").unwrap().str().unwrap().get(at),
        Some("error")
    );
    assert!(
        reasons.get(at).is_some_and(|r| r.contains("is leeg")),
        "in the run's language: {:?}",
        reasons.get(at)
    );
}
