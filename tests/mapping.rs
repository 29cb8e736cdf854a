//! `scoreboard map` (issue 28, spec §11): a renamed required column mapped once, saved into
//! scoreboard.toml with its comments kept, and the sheet is recognised from then on.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn a_mapped_column_makes_a_renamed_header_recognised_and_the_config_keeps_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for name in [
        "scorebord_ICT_2025-03.xlsx",
        "tableau_de_bord_CDD_2025-03.xlsx",
    ] {
        std::fs::copy(
            root()
                .join("tests/fixtures/careless/renamed_required")
                .join(name),
            inbox.join(name),
        )
        .unwrap();
    }
    let config = dir.path().join("scoreboard.toml");
    let before = "# Settings of our service (kept by scoreboard map)\n[plan]\nmandate_end = 2026-06-30 # the end of the term\n";
    std::fs::write(&config, before).unwrap();
    let check = || check_json(&inbox, &config);
    let (code, doc) = check();
    assert_eq!(code, 1);
    assert_eq!(
        doc["summary"]["rows"]["rejected"], 13,
        "8 + 5 actions left out"
    );

    let out = bin()
        .args([
            "map",
            "--kind",
            "actions",
            "--column",
            "deadline=Uiterste datum",
        ])
        .args(["--column", "deadline=Date butoir", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_success(&out);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.starts_with(before), "comments and layout kept: {text}");
    assert!(
        text.contains("[aliases.actions]\ndeadline = [\"Uiterste datum\", \"Date butoir\"]"),
        "{text}"
    );

    let (code, doc) = check();
    assert_eq!(code, 0, "{}", doc["issues"]);
    assert_eq!(doc["summary"]["rows"]["rejected"], 0);
    assert_eq!(doc["summary"]["rows"]["kept"], 13);
    for f in doc["files"].as_array().unwrap() {
        let with_rows: Vec<&Value> = f["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["rows"]["read"].as_u64() > Some(0))
            .collect();
        assert_eq!(with_rows.len(), 1, "{f}");
        assert_eq!(with_rows[0]["kind"], "actions", "{f}");
    }

    // A mapping the configuration would refuse is not written.
    let out = bin()
        .args([
            "map",
            "--kind",
            "actions",
            "--column",
            "deadline=Actie-ID",
            "--config",
        ])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);

    // Undone: the config is as it was, and the rows are rejected again.
    let out = bin()
        .args(["map", "--undo", "--kind", "actions"])
        .args(["--column", "deadline=Uiterste datum"])
        .args(["--column", "deadline=Date butoir", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
    let (code, doc) = check();
    assert_eq!(
        (code, &doc["summary"]["rows"]["rejected"]),
        (1, &Value::from(13))
    );
    // Undoing what is not there says so, with exit 1, and writes nothing.
    let out = bin()
        .args([
            "map", "--undo", "--file", "ICT", "--sheet", "Acties", "--config",
        ])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not there"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
}

#[test]
fn a_sheet_rule_gives_one_file_its_own_header_row_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // Title rows, then a header too generic for aliases everywhere, in row 4.
    write_xlsx(
        &inbox.join("planning_ICT_2025-03.xlsx"),
        &[
            &["Planning ICT"],
            &["maart 2025"],
            &[],
            &["Nr", "Wat", "Wie", "Datum", "Stand"],
            &["ICT-01", "Nieuwe laptops", "ICT", "31/03/2025", "Afgewerkt"],
            &["ICT-02", "Wifi", "ICT", "30/06/2025", "Lopend"],
            &["ICT-03", "Printers", "ICT", "31/02/2025", "Lopend"],
        ],
    );
    let config = dir.path().join("scoreboard.toml");
    std::fs::write(&config, "# ours\n[plan]\nmandate_end = 2026-06-30\n").unwrap();
    let check = || check_json(&inbox, &config).1;
    assert_eq!(check()["files"][0]["status"], "no_table");
    let out = bin()
        .args([
            "map",
            "--kind",
            "actions",
            "--file",
            "planning_ICT",
            "--sheet",
            "Sheet1",
        ])
        .args(["--header-row", "4"])
        .args(["--column", "action_id=Nr", "--column", "title=Wat"])
        .args(["--column", "owner=Wie", "--column", "deadline=Datum"])
        .args(["--column", "status=Stand", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_success(&out);
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(
        text.starts_with("# ours\n") && text.contains("header_row = 4"),
        "{text}"
    );
    let doc = check();
    let f = &doc["files"][0];
    assert_eq!(f["sheets"][0]["kind"], "actions", "{f}");
    // 31/02 is no date: a warning at D7, the row kept (a deadline may be missing).
    assert_eq!(f["rows"]["kept"], 3, "{f}");
    assert_eq!(f["issues"]["warning"], 2, "{f}");
    // The rule is this file's only: the generic headers are no aliases elsewhere.
    assert!(!text.contains("[aliases"), "{text}");
    // The feedback file shows the rejected row under the sheet's own headers of row 4, as the
    // rule reads it — not under column letters.
    let feedback = dir.path().join("feedback");
    let out = bin()
        .arg("report")
        .arg(&inbox)
        .arg("--config")
        .arg(&config)
        .args(["--as-of", "2025-03-31", "--quiet", "-o"])
        .arg(dir.path().join("kpi.xlsx"))
        .arg("--feedback-dir")
        .arg(&feedback)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Vec<_> = std::fs::read_dir(&feedback)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let names = sheet_names(&written[0]);
    let rows = sheet(&written[0], &names[0]);
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "D7"))
        .unwrap_or_else(|| panic!("no row for D7 in {rows:?}"));
    assert!(
        row.iter()
            .any(|c| c.contains("Nr: ICT-03") && c.contains("Datum: 31/02/2025")),
        "{row:?}"
    );
}
