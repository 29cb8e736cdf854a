//! `report --feedback-dir`: one workbook per source file with errors or warnings, holding
//! exactly that file's errors and warnings as `check` finds them, in the file's language, with
//! the row's original values.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The feedback rows of a file: (sheet, cell, severity, value, row as read, reason, todo).
fn feedback_rows(path: &Path, sheet_name: &str) -> Vec<Vec<String>> {
    let rows = sheet(path, sheet_name);
    rows.into_iter().skip(5).collect()
}

/// `check --format json` of `args`: file → its errors and warnings as (sheet, cell, value).
fn checked(dir: &Path, args: &[&str]) -> BTreeMap<String, Vec<(String, String, String)>> {
    let out = bin()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_file: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    for i in json["issues"].as_array().unwrap() {
        if i["severity"] == "info" {
            continue;
        }
        let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
        // A whole row's issue has no cell in check's JSON, only its row.
        let cell = match (s("cell"), i["row"].as_u64()) {
            (cell, Some(row)) if cell.is_empty() => row.to_string(),
            (cell, _) => cell,
        };
        by_file
            .entry(s("file"))
            .or_default()
            .push((s("sheet"), cell, s("value")));
    }
    by_file
}

#[test]
fn each_feedback_file_of_the_samples_holds_exactly_its_files_problems() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = samples_report_with(dir.path(), &["--lang", "nl", "--feedback-dir", "fb"]);
    assert_eq!(code, 1, "{stderr}");
    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let expected = checked(
        dir.path(),
        &[
            inbox.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--month",
            "2025-03",
        ],
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("fb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "eerste-lijn_scorebord_DEL_2025-03_meldingen.xlsx",
            "hr_afwezigheden_2024-2025_meldingen.xlsx",
            "hr_afwezigheidsperiodes_2025_meldingen.xlsx",
            "scorebord_PO_2025-03_meldingen.xlsx",
            "tableau_de_bord_CDD_mars-2025_signalements.xlsx",
        ]
    );
    // One file per file with errors or warnings, none for the files with notes only.
    assert_eq!(written.len(), expected.len(), "{expected:?}");
    let mut total = 0;
    for (file, problems) in &expected {
        let stem = file.replace('/', "_");
        let stem = stem.rsplit_once('.').unwrap().0;
        let (name, sheet_name) = if file.starts_with("tableau") {
            (format!("{stem}_signalements.xlsx"), "Signalements")
        } else {
            (format!("{stem}_meldingen.xlsx"), "Meldingen")
        };
        let path = dir.path().join("fb").join(&name);
        let top = sheet(&path, sheet_name);
        assert!(
            top[0][0].ends_with(file.rsplit('/').next().unwrap()),
            "{:?}",
            top[0]
        );
        let rows = feedback_rows(&path, sheet_name);
        // A whole row's issue (`3` in check) is `rij 3` to the directorate.
        let got: Vec<(String, String, String)> = rows
            .iter()
            .map(|r| (r[0].clone(), r[1].replace("rij ", ""), r[3].clone()))
            .collect();
        assert_eq!(&got, problems, "{name}");
        for r in &rows {
            assert!(!r[5].is_empty() && !r[6].is_empty(), "{name}: {r:?}");
        }
        total += rows.len();
    }
    assert_eq!(total, 12, "the samples' 3 errors and 9 warnings");

    // The French file's feedback is in French, names its own headers and shows the row as read.
    let fr = dir
        .path()
        .join("fb/tableau_de_bord_CDD_mars-2025_signalements.xlsx");
    let rows = feedback_rows(&fr, "Signalements");
    assert_eq!(rows[0][2], "avertissement");
    assert!(
        rows[0][4].starts_with("N° action : CDD-08 · Intitulé : Harmoniser"),
        "{:?}",
        rows[0]
    );
    assert!(
        rows[1][5].starts_with("« Date de réalisation » (completed_on)"),
        "{:?}",
        rows[1]
    );
    assert_eq!(rows[1][6], "Vérifiez la date de réalisation.");
}

const NL: &[&str] = &[
    "Actie-ID",
    "Omschrijving",
    "Directie",
    "Deadline",
    "Status",
    "Datum afgewerkt",
];
const FR: &[&str] = &[
    "ID action",
    "Intitulé",
    "Direction",
    "Échéance",
    "Statut",
    "Date de réalisation",
];

#[test]
fn a_dutch_and_a_french_file_each_get_their_feedback_in_their_language() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    write_xlsx(
        &inbox.join("scorebord_ICT_2025-03.xlsx"),
        &[
            NL,
            &[
                "ICT-1",
                "Servers",
                "ICT",
                "31/02/2025",
                "Afgewerkt",
                "15/01/2025",
            ],
            &["ICT-2", "Netwerk", "ICT", "31/03/2025", "bijna klaar", ""],
        ],
    );
    write_xlsx(
        &inbox.join("tableau_RH_2025-03.xlsx"),
        &[
            FR,
            &[
                "RH-1",
                "Recrutement",
                "RH",
                "Q5 2025",
                "Terminé",
                "15/01/2025",
            ],
        ],
    );
    write_xlsx(
        &inbox.join("scorebord_OK_2025-03.xlsx"),
        &[
            NL,
            &[
                "OK-1",
                "Klaar",
                "OK",
                "31/03/2025",
                "Afgewerkt",
                "15/03/2025",
            ],
        ],
    );
    std::fs::write(inbox.join("kapot.xlsx"), b"PK\x03\x04 not a workbook").unwrap();
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            "inbox",
            "--month",
            "2025-03",
            "-o",
            "KPI.xlsx",
            "--feedback-dir",
            "fb",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let expected = checked(dir.path(), &["inbox", "--month", "2025-03"]);
    let fb = dir.path().join("fb");
    let mut written: Vec<String> = std::fs::read_dir(&fb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    // The run is in English; each file's feedback in its own language; the unreadable file's
    // in the run's; the clean file gets none.
    assert_eq!(
        written,
        [
            "kapot_issues.xlsx",
            "scorebord_ICT_2025-03_meldingen.xlsx",
            "tableau_RH_2025-03_signalements.xlsx"
        ]
    );
    let nl = feedback_rows(
        &fb.join("scorebord_ICT_2025-03_meldingen.xlsx"),
        "Meldingen",
    );
    let nl_expected = &expected["scorebord_ICT_2025-03.xlsx"];
    assert_eq!(nl.len(), nl_expected.len());
    let deadline = nl
        .iter()
        .find(|r| r[1] == "D2")
        .expect("the deadline 31/02");
    assert_eq!(deadline[3], "31/02/2025");
    assert!(
        deadline[4].contains("Actie-ID: ICT-1 · Omschrijving: Servers"),
        "{deadline:?}"
    );
    assert!(deadline[5].contains("“Deadline”"), "{deadline:?}");
    let status = nl.iter().find(|r| r[1] == "E3").expect("the status");
    assert_eq!(status[2], "waarschuwing");
    assert!(status[5].contains("bijna klaar"), "{status:?}");
    assert_eq!(
        status[6],
        "Gebruik een van de statussen uit de lijst van het sjabloon."
    );

    let fr = feedback_rows(
        &fb.join("tableau_RH_2025-03_signalements.xlsx"),
        "Signalements",
    );
    assert_eq!(fr.len(), expected["tableau_RH_2025-03.xlsx"].len());
    let q5 = fr
        .iter()
        .find(|r| r[3] == "Q5 2025")
        .expect("the deadline Q5");
    // French typography: a space before the colon.
    assert!(q5[4].contains("Échéance : Q5 2025"), "{q5:?}");
    assert!(q5[5].contains("« Échéance »"), "{q5:?}");

    let broken = feedback_rows(&fb.join("kapot_issues.xlsx"), "Issues");
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0][2], "error");
    assert!(broken[0][6].contains("as .xlsx"), "{:?}", broken[0]);

    // The config forces a file's feedback language by its name.
    std::fs::write(
        dir.path().join("scoreboard.toml"),
        "[feedback]\nlang = { \"tableau_*\" = \"nl\" }\n",
    )
    .unwrap();
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            "inbox",
            "--month",
            "2025-03",
            "-o",
            "KPI.xlsx",
            "--config",
            "scoreboard.toml",
            "--feedback-dir",
            "fb2",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(dir
        .path()
        .join("fb2/tableau_RH_2025-03_meldingen.xlsx")
        .exists());
}

#[test]
fn the_feedback_folder_is_checked_before_reading_and_cleared_of_an_earlier_runs_files() {
    let dir = tempfile::tempdir().unwrap();
    // Another output's path, or a folder inside the inbox (read back next time): refused.
    let (code, stderr) = samples_report_with(dir.path(), &["--feedback-dir", "KPI_2025-03.xlsx"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--feedback-dir"), "{stderr}");
    assert!(!dir.path().join("KPI_2025-03.xlsx").exists());
    let inside = root().join("samples/inbox/feedback");
    let (code, stderr) =
        samples_report_with(dir.path(), &["--feedback-dir", inside.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("inside the input folder"), "{stderr}");
    assert!(!inside.exists());

    // A second run into the same folder replaces the first run's files, and only them.
    let (code, _) = samples_report_with(dir.path(), &["--lang", "nl", "--feedback-dir", "fb"]);
    assert_eq!(code, 1);
    std::fs::write(
        dir.path().join("fb/notes_meldingen.xlsx"),
        b"the analyst's own",
    )
    .unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    write_xlsx(
        &inbox.join("scorebord_ICT_2025-03.xlsx"),
        &[
            NL,
            &[
                "ICT-1",
                "Servers",
                "ICT",
                "31/02/2025",
                "Afgewerkt",
                "15/01/2025",
            ],
        ],
    );
    let (code, stderr) = run(
        dir.path(),
        &[
            "report",
            "inbox",
            "--month",
            "2025-03",
            "-o",
            "K.xlsx",
            "--feedback-dir",
            "fb",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("5 of an earlier run removed"), "{stderr}");
    let mut left: Vec<String> = std::fs::read_dir(dir.path().join("fb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "notes_meldingen.xlsx",
            "scorebord_ICT_2025-03_meldingen.xlsx"
        ]
    );
}
