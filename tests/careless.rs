//! Nothing lost silently: scoreboards filled the way careless directorates fill them (the input
//! template filled with openpyxl, in Dutch and in French; tests/fixtures/make_careless.py) are
//! used or rejected loudly, in the directorate's own words, through `check` and `report`.

mod common;

use common::{assert_nothing_lost, bin, kpi_csv, root, sheet};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn case(name: &str) -> PathBuf {
    root().join("tests/fixtures/careless").join(name)
}

/// `check --format json` on a folder (and more arguments): (exit code, document).
fn check_json(folder: &Path, more: &[&str]) -> (i32, Value) {
    let month: &[&str] = if more.contains(&"--month") {
        &[]
    } else {
        &["--month", "2025-03"]
    };
    let out = bin()
        .arg("check")
        .arg(folder)
        .args(month)
        .args(["--format", "json"])
        .args(more)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), doc)
}

/// `check` as text: (exit code, stdout, stderr).
fn check_text(folder: &Path, more: &[&str]) -> (i32, String, String) {
    let month: &[&str] = if more.contains(&"--month") {
        &[]
    } else {
        &["--month", "2025-03"]
    };
    let out = bin()
        .arg("check")
        .arg(folder)
        .args(month)
        .args(more)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn file<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("no file {name}"))
}

fn sheet_of<'a>(file: &'a Value, name: &str) -> &'a Value {
    file["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"] == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The issues of a document at a cell of a file (`F17`), or about a whole row (`17`: no
/// cell, that row).
fn issues_at<'a>(doc: &'a Value, file: &str, cell: &str) -> Vec<&'a Value> {
    let at = |i: &Value| match cell.parse::<u32>() {
        Ok(row) => i["cell"] == "" && i["row"] == row,
        Err(_) => i["cell"] == cell,
    };
    doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str().unwrap().ends_with(file) && at(i))
        .collect()
}

fn the_issue<'a>(doc: &'a Value, file: &str, cell: &str, key: &str) -> &'a Value {
    issues_at(doc, file, cell)
        .into_iter()
        .find(|i| i["reason_key"] == key)
        .unwrap_or_else(|| panic!("no {key} at {file} {cell}: {doc:#}"))
}

fn counts(v: &Value) -> (u64, u64, u64, u64) {
    let n = |k: &str| v[k].as_u64().unwrap();
    (n("read"), n("kept"), n("rejected"), n("skipped"))
}

#[test]
fn a_renamed_required_header_rejects_the_sheet_loudly_with_exit_1_in_dutch_and_french() {
    let folder = case("renamed_required");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 1, "a sheet with data that is not used is an error");
    let ict = file(&doc, "scorebord_ICT_2025-03.xlsx");
    assert_eq!(ict["status"], "no_data");
    let acties = sheet_of(ict, "Acties");
    assert_eq!(acties["kind"], Value::Null);
    assert_eq!(
        counts(&acties["rows"]),
        (8, 0, 8, 0),
        "read = kept + rejected + skipped"
    );
    let error = the_issue(&doc, "scorebord_ICT_2025-03.xlsx", "1", "sheet_near_kind");
    assert_eq!(error["severity"], "error");
    assert_eq!(
        error["reason"],
        "the header in row 1 looks like a table of actions but lacks “Deadline” (deadline), so \
         its 8 row(s) are left out; headers that matched nothing: “Uiterste datum”. Rename \
         “Uiterste datum” to “Deadline” (deadline), or add deadline = [\"Uiterste datum\"] under \
         [aliases.actions] in scoreboard.toml."
    );
    assert_eq!(ict["not_used"], error["reason"]);
    // The French file names the missing column as the French template does, in every language.
    let cdd = file(&doc, "tableau_de_bord_CDD_2025-03.xlsx");
    assert_eq!(counts(&sheet_of(cdd, "Actions")["rows"]), (5, 0, 5, 0));
    let (_, fr) = check_json(&folder, &["--lang", "fr"]);
    let error = the_issue(
        &fr,
        "tableau_de_bord_CDD_2025-03.xlsx",
        "1",
        "sheet_near_kind",
    );
    let reason = error["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "l’en-tête de la ligne 1 ressemble à un tableau de type « actions » mais il manque « Échéance » \
             (deadline) : ses 5 ligne(s) sont exclues ; en-têtes qui ne correspondent à rien : \
             « Date butoir »."
        ),
        "{reason}"
    );
    assert!(
        reason.ends_with(
            "ajoutez deadline = [\"Date butoir\"] sous [aliases.actions] dans scoreboard.toml."
        ),
        "{reason}"
    );
    assert_nothing_lost(&[folder.to_str().unwrap()]);

    // The terminal says it in one line per file that is not used.
    let (code, text, summary) = check_text(&folder, &[]);
    assert_eq!(code, 1);
    assert!(
        text.contains("  Acties › REJECTED: 8 row(s) read, 0 kept, 8 rejected, 0 skipped"),
        "{text}"
    );
    assert!(
        text.contains(
            "  7 empty table sheet(s): Afwezigheid per maand, Afwezigheidsperiodes, \
             Personeelsbestand, Meetpunten, Tevredenheid, Tevredenheidsscores, \
             Optimalisatievoorstellen"
        ),
        "the template's untouched sheets fold into one line: {text}"
    );
    assert!(
        summary.contains("not used: scorebord_ICT_2025-03.xlsx: the header in row 1"),
        "{summary}"
    );
    assert!(summary.contains("not used: tableau_de_bord_CDD_2025-03.xlsx"));

    // The alias line the message gives makes the file read.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("scoreboard.toml");
    std::fs::write(
        &config,
        "[aliases.actions]\ndeadline = [\"Uiterste datum\", \"Date butoir\"]\n",
    )
    .unwrap();
    let (code, doc) = check_json(&folder, &["--config", config.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(
        counts(&sheet_of(file(&doc, "scorebord_ICT_2025-03.xlsx"), "Acties")["rows"]),
        (8, 8, 0, 0)
    );
}

#[test]
fn a_blank_template_sent_back_is_a_warning_and_named_as_not_used() {
    let folder = case("blank");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 0, "nothing was rejected: a warning");
    let deb = file(&doc, "scorebord_DEB_2025-03.xlsx");
    assert_eq!(deb["status"], "no_data");
    let warning = the_issue(&doc, "scorebord_DEB_2025-03.xlsx", "", "file_no_data");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["reason"],
        "its 8 table sheet(s) hold no data rows (a blank template sent back?); nothing of it is used"
    );
    let (_, _, summary) = check_text(&folder, &[]);
    assert!(
        summary.contains(
            "not used: scorebord_DEB_2025-03.xlsx: its 8 table sheet(s) hold no data rows"
        ),
        "{summary}"
    );
    // And on the workbook's Issues sheet.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("KPI.xlsx");
    let status = bin()
        .arg("report")
        .arg(&folder)
        .args(["--month", "2025-03", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let issues = sheet(&out, "Issues");
    assert!(issues.iter().any(|r| r[0] == "scorebord_DEB_2025-03.xlsx"
        && r[4] == "warning"
        && r[5].starts_with("its 8 table sheet(s) hold no data rows")));
}

#[test]
fn a_renamed_optional_column_is_named_with_the_column_it_may_be_and_the_alias_line() {
    let folder = case("renamed_optional");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 0);
    let f = "scorebord_PO_2025-03.xlsx";
    let warning = the_issue(&doc, f, "H1", "column_may_be");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["value"], "Klaar op");
    assert_eq!(
        warning["reason"],
        "column “Klaar op” is not used, but its values read like “Datum afgewerkt” \
         (completed_on); if that is what it holds, rename it to “Datum afgewerkt” (completed_on), \
         or add completed_on = [\"Klaar op\"] under [aliases.actions] in scoreboard.toml"
    );
    // The row warnings that column's absence causes say so, quoting the status as typed.
    for cell in ["I2", "I3"] {
        let done = the_issue(&doc, f, cell, "done_without_date");
        assert_eq!(done["value"], "Afgewerkt");
        assert_eq!(done["parsed"], "done");
        assert_eq!(
            done["reason"],
            "status “Afgewerkt” but “Datum afgewerkt” (completed_on) is empty: left out of the \
             on-time rate; column “Klaar op” may hold it (see the warning at its header)"
        );
    }
    // A column of other values is kept and said to be unused, once.
    let budget = the_issue(&doc, f, "M1", "column_kept_unused");
    assert_eq!(budget["severity"], "info");
    assert_eq!(
        budget["reason"],
        "column “Budget” is not one scoreboard knows: kept on the data sheet, not used for the KPIs"
    );
    assert_nothing_lost(&[folder.to_str().unwrap()]);
}

#[test]
fn required_cells_are_enforced_each_at_its_cell() {
    let folder = case("required_cells");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 1, "an action without an id is rejected");
    let f = "scorebord_GOD_2025-03.xlsx";
    let god = file(&doc, f);
    assert_eq!(counts(&sheet_of(god, "Acties")["rows"]), (5, 4, 1, 0));
    let id = the_issue(&doc, f, "A4", "required_empty");
    assert_eq!(
        (&id["severity"], &id["reason"]),
        (
            &Value::from("error"),
            &Value::from("“Actie-ID” (action_id) is empty; row left out")
        )
    );
    let status = the_issue(&doc, f, "I2", "status_empty");
    assert_eq!(status["severity"], "warning");
    assert_eq!(
        status["reason"],
        "“Status” (status) is empty: the action is counted as not started"
    );
    assert!(
        issues_at(&doc, f, "I5").is_empty(),
        "an empty status with a completion date is done, as the template says"
    );
    let deadline = the_issue(&doc, f, "G3", "deadline_empty");
    assert_eq!(deadline["severity"], "warning");
    // Absence without sick days: kept, left out of the rates.
    assert_eq!(
        counts(&sheet_of(god, "Afwezigheid per maand")["rows"]),
        (2, 2, 0, 0)
    );
    let sick = the_issue(&doc, f, "E3", "empty_left_out_of_rates");
    assert_eq!(sick["severity"], "warning");
    // A measure point not measured yet: a note.
    let actual = the_issue(&doc, f, "C3", "not_measured_yet");
    assert_eq!(actual["severity"], "info");
    // A date cell is quoted as typed, and read as a date.
    let late = the_issue(&doc, f, "H6", "completed_after_as_of");
    assert_eq!(
        (&late["value"], &late["parsed"]),
        (&Value::from("15/04/2025"), &Value::from("2025-04-15"))
    );
    assert_nothing_lost(&[folder.to_str().unwrap()]);

    // The month without sick days is no rate (never 0 %); the month with them is.
    let dir = tempfile::tempdir().unwrap();
    let kpis = dir.path().join("kpis.csv");
    let status = bin()
        .arg("report")
        .arg(&folder)
        .args(["--month", "2025-03", "-o"])
        .arg(dir.path().join("KPI.xlsx"))
        .arg("--kpis")
        .arg(&kpis)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let rows = kpi_csv(&kpis);
    let rate = |period: &str| {
        rows.iter()
            .find(|r| r[0] == "absence_rate" && r[1] == "unit" && r[3] == period)
            .map(|r| r[6].clone())
    };
    assert_eq!(rate("2025-02").as_deref(), Some("0.03289473684210526"));
    assert_eq!(rate("2025-03"), None, "{rows:?}");
}

#[test]
fn a_percent_indicator_typed_as_a_number_is_read_as_a_percentage() {
    let folder = case("percent");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 0);
    let f = "meetpunten_2025.xlsx";
    let actual = the_issue(&doc, f, "C2", "read_as_percent");
    assert_eq!(
        (&actual["severity"], &actual["value"], &actual["parsed"]),
        (
            &Value::from("info"),
            &Value::from("99.2"),
            &Value::from("0.992")
        )
    );
    assert_eq!(
        actual["reason"],
        "“Resultaat” (actual): the unit of measure is %, so this number is read as 99.2%"
    );
    let (_, nl) = check_json(&folder, &["--lang", "nl"]);
    assert_eq!(
        the_issue(&nl, f, "C2", "read_as_percent")["reason"],
        "“Resultaat” (actual): de eenheid is %, dus dit getal wordt gelezen als 99,2 %"
    );
    the_issue(&doc, f, "D2", "read_as_percent");
    the_issue(&doc, f, "D4", "read_as_percent");
    // 0.87 is already a fraction, "95 %" and "97,5 %" carry their sign: no note.
    for cell in ["C3", "D3", "C4"] {
        assert!(issues_at(&doc, f, cell).is_empty(), "{cell}");
    }
    let dir = tempfile::tempdir().unwrap();
    let kpis = dir.path().join("kpis.csv");
    let status = bin()
        .arg("report")
        .arg(&folder)
        .args(["--month", "2025-03", "-o"])
        .arg(dir.path().join("KPI.xlsx"))
        .arg("--kpis")
        .arg(&kpis)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let rows = kpi_csv(&kpis);
    let attainment = |key: &str, period: &str| -> (f64, f64) {
        let r = rows
            .iter()
            .find(|r| r[0] == "indicator_attainment" && r[2] == key && r[3] == period)
            .unwrap_or_else(|| panic!("{key} {period}: {rows:?}"));
        (r[4].parse().unwrap(), r[5].parse().unwrap())
    };
    assert_eq!(attainment("Tevredenheid loket", "2025-02"), (0.992, 0.995));
    assert_eq!(attainment("Tevredenheid loket", "2025-03"), (0.87, 0.95));
    assert_eq!(attainment("Bereikbaarheid", "2025-03"), (0.975, 0.98));
}

#[test]
fn names_that_differ_only_in_writing_are_one_directorate_and_one_action() {
    let folder = case("names");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("scoreboard.toml");
    std::fs::write(
        &config,
        "[names.owner]\n\"ICT\" = [\"Dienst ICT\"]\n\n\
         [expected]\ndirectorates = [\"ict\", \"Werkgevers\", \"Juridische dienst\"]\n",
    )
    .unwrap();
    let kpis = dir.path().join("kpis.csv");
    let out = bin()
        .arg("report")
        .arg(&folder)
        .args(["--month", "2025-03", "--config"])
        .arg(&config)
        .arg("-o")
        .arg(dir.path().join("KPI.xlsx"))
        .arg("--kpis")
        .arg(&kpis)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = kpi_csv(&kpis);
    let mut owners: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| r[0] == "actions_on_time_rate" && r[1] == "owner")
        .map(|r| (r[2].clone(), r[4].clone(), r[5].clone()))
        .collect();
    owners.sort();
    // HRM 001 (February: open; March: done after its deadline) is one action: late. Werkgevers
    // on time: WG-02, WG-03; SD 1: SD-02 on time, SD-01 and SD-03 overdue; ICT (ict, Dienst ICT
    // joined by the config): ICT-10, ICT-11 on time, ICT-12 overdue as of 31/03.
    assert_eq!(
        owners,
        [
            (
                "Contrôle de la disponibilité".into(),
                "1.0".into(),
                "2.0".into()
            ),
            ("Eerste  lijn".into(), "1.0".into(), "2.0".into()),
            ("ICT".into(), "2.0".into(), "3.0".into()),
            ("SD 1".into(), "1.0".into(), "3.0".into()),
            ("Werkgevers".into(), "2.0".into(), "3.0".into()),
        ]
    );
    let all = rows
        .iter()
        .find(|r| r[0] == "actions_on_time_rate" && r[1] == "all")
        .unwrap();
    assert_eq!((all[4].as_str(), all[5].as_str()), ("7.0", "13.0"));
    // The notes say what was joined.
    let (_, doc) = check_json(&folder, &["--config", config.to_str().unwrap()]);
    let folded: Vec<&str> = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["reason_key"] == "names_folded")
        .map(|i| i["reason"].as_str().unwrap())
        .collect();
    for expected in [
        "“Owner” (owner) “Werkgevers” is also written “werkgevers”: counted as one",
        "“Owner” (owner) “Eerste  lijn” is also written “Eerste lijn”: counted as one",
        "“Owner” (owner) “SD 1” is also written “sd 1”, “SD  1”: counted as one",
        "“Owner” (owner) “ICT” is also written “ict”, “Dienst ICT”: counted as one",
        "“Owner” (owner) “Contrôle de la disponibilité” is also written “CONTRÔLE DE LA \
         DISPONIBILITÉ”, “Controle de la disponibilite”: counted as one",
        "“Action ID” (action_id) “HRM  001” is also written “HRM 001”: counted as one",
    ] {
        assert!(folded.contains(&expected), "{expected}\n{folded:#?}");
    }
    // Who was expected and did not send: the config's list, compared as group keys.
    assert_eq!(
        doc["expected"],
        serde_json::json!({"configured": true, "missing": [
            {"directorate": "Juridische dienst", "latest": null}
        ]})
    );
    let received = sheet(&dir.path().join("KPI.xlsx"), "Received files");
    assert!(received
        .iter()
        .any(|r| r.iter().any(|c| c == "Juridische dienst: nothing received")));
}

#[test]
fn directorates_that_reported_before_but_not_this_month_are_named_and_their_rows_still_count() {
    let folder = case("names");
    // April: nothing new since March. Everyone who reported in the three months before is
    // expected; their March rows still count. The month lies beyond the data: a warning.
    let (code, doc) = check_json(&folder, &["--month", "2025-04"]);
    assert_eq!(code, 0);
    let missing: Vec<(&str, &str)> = doc["expected"]["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["directorate"].as_str().unwrap(),
                m["latest"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        missing,
        [
            ("Contrôle de la disponibilité", "2025-03-31"),
            ("Dienst ICT", "2025-03-31"),
            ("Eerste  lijn", "2025-03-31"),
            ("ICT", "2025-03-31"),
            ("SD 1", "2025-03-31"),
            ("Werkgevers", "2025-03-31"),
        ]
    );
    let beyond = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["reason_key"] == "month_after_data")
        .expect("a warning");
    assert_eq!(beyond["severity"], "warning");
    assert!(beyond["reason"]
        .as_str()
        .unwrap()
        .starts_with("the reporting month ends on 30/04/2025, after the month of the newest report date found (31/03/2025)"));
    let (_, text, _) = check_text(&folder, &["--month", "2025-04"]);
    assert!(
        text.contains("Expected this month, not received:\n  Contrôle de la disponibilité: latest scoreboard of 31/03/2025; its rows of then still count\n"),
        "{text}"
    );
}

#[test]
fn a_text_file_named_xlsx_is_called_that() {
    let (code, doc) = check_json(&case("not_a_workbook"), &[]);
    assert_eq!(code, 1);
    let error = the_issue(&doc, "leesmij.xlsx", "", "text_not_a_workbook");
    assert_eq!(
        error["reason"],
        "a text file named .xlsx, read as CSV, not a spreadsheet, and it holds no table: nothing \
         of it is used; ask for the workbook itself"
    );
}

/// The whole careless inbox at once: every case, the counts of the closing note.
#[test]
fn the_careless_inbox_as_a_whole_loses_nothing() {
    let folder = root().join("tests/fixtures/careless");
    let (code, doc) = check_json(&folder, &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["summary"]["files"], 10);
    assert_eq!(doc["summary"]["files_without_data"], 3);
    assert_eq!(doc["summary"]["files_without_table"], 1);
    assert_nothing_lost(&[folder.to_str().unwrap()]);
}
