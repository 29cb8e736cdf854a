//! Cell corrections (issue 28, spec §11) end to end: `scoreboard correct` records one beside the
//! inbox, every command applies it while the file is unchanged, a replaced file voids it with a
//! note, `corrections --carry-over` shows and applies it again, a correction that is still
//! wrong stays an error, the corrections file survives a crash mid-write and a malformed one
//! is a clear error.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The samples copied into a scratch folder: (root, inbox).
fn samples() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    copy_dir(&root().join("samples/inbox"), &inbox);
    std::fs::copy(
        root().join("samples/scoreboard.toml"),
        dir.path().join("scoreboard.toml"),
    )
    .unwrap();
    (dir, inbox)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// `scoreboard check --format json` of the inbox with the samples' config: (exit code, JSON,
/// stderr).
fn check(root_dir: &Path) -> (i32, Value, String) {
    let out = bin()
        .arg("check")
        .arg(root_dir.join("inbox"))
        .arg("--config")
        .arg(root_dir.join("scoreboard.toml"))
        .args(["--lang", "en", "--format", "json", "--quiet"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `scoreboard correct FILE CELL VALUE --reason …`: (exit code, stdout + stderr).
fn correct(file: &Path, cell: &str, value: &str) -> (i32, String) {
    let out = bin()
        .arg("correct")
        .arg(file)
        .args([cell, value, "--reason", "mail of 3/3", "--user", "an"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn file_of<'a>(check: &'a Value, name: &str) -> &'a Value {
    check["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn issues_at<'a>(check: &'a Value, file: &str, cell: &str) -> Vec<&'a Value> {
    check["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"] == file && i["cell"] == cell)
        .collect()
}

const ABSENCE: &str = "hr/afwezigheden_2024-2025.xlsx";

#[test]
fn a_correction_turns_an_error_into_a_kept_row_with_a_note() {
    let (root_dir, inbox) = samples();
    let (code, before, _) = check(root_dir.path());
    assert_eq!(code, 1);
    let file = file_of(&before, ABSENCE);
    assert_eq!(
        (
            file["rows"]["kept"].as_u64(),
            file["rows"]["rejected"].as_u64()
        ),
        (Some(75), Some(1))
    );
    assert_eq!(issues_at(&before, ABSENCE, "B81")[0]["severity"], "error");

    let (code, said) = correct(&inbox.join(ABSENCE), "Verzuim!B81", "12/2024");
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("“13/2024” → “12/2024”"), "{said}");
    // Kept beside the file, in a hidden file of its folder; the input is not touched.
    let book = inbox.join("hr/.scoreboard-corrections.jsonl");
    let line: Value = serde_json::from_str(std::fs::read_to_string(&book).unwrap().trim()).unwrap();
    assert_eq!(line["file"], "afwezigheden_2024-2025.xlsx");
    assert_eq!(line["original"], "13/2024");
    assert_eq!(line["user"], "an");
    assert_eq!(line["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        std::fs::read(inbox.join(ABSENCE)).unwrap(),
        std::fs::read(root().join("samples/inbox").join(ABSENCE)).unwrap()
    );

    let (_, after, _) = check(root_dir.path());
    let file = file_of(&after, ABSENCE);
    assert_eq!(
        (
            file["rows"]["read"].as_u64(),
            file["rows"]["kept"].as_u64(),
            file["rows"]["rejected"].as_u64()
        ),
        (Some(77), Some(76), Some(0)),
        "the corrected row is kept, and counted once"
    );
    let at = issues_at(&after, ABSENCE, "B81");
    assert_eq!(at.len(), 1, "{at:?}");
    assert_eq!(at[0]["severity"], "info");
    assert_eq!(at[0]["reason_key"], "corrected");
    let reason = at[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("“13/2024” → “12/2024”")
            && reason.contains("mail of 3/3")
            && reason.contains("by an"),
        "{reason}"
    );
    assert_eq!(
        after["summary"]["issues"]["error"].as_u64().unwrap() + 1,
        before["summary"]["issues"]["error"].as_u64().unwrap()
    );

    // The workbook's Issues sheet shows it too.
    let out = root_dir.path().join("KPI.xlsx");
    let status = bin()
        .arg("report")
        .arg(&inbox)
        .arg("--config")
        .arg(root_dir.path().join("scoreboard.toml"))
        .args(["--lang", "en", "--quiet", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1));
    let issues = sheet(&out, "Issues");
    assert!(
        issues
            .iter()
            .any(|r| r.iter().any(|c| c.contains("corrected here (c1)"))),
        "{issues:?}"
    );

    // The directorate's feedback file lists the corrected cell, to fix at the source: a file
    // whose only issue is a correction still gets one.
    let feedback = root_dir.path().join("feedback");
    let status = bin()
        .arg("report")
        .arg(&inbox)
        .arg("--config")
        .arg(root_dir.path().join("scoreboard.toml"))
        .args(["--lang", "en", "--quiet", "-o"])
        .arg(root_dir.path().join("KPI2.xlsx"))
        .arg("--feedback-dir")
        .arg(&feedback)
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1));
    let absence = feedback.join("hr_afwezigheden_2024-2025_meldingen.xlsx");
    let rows = sheet(&absence, "Meldingen");
    let corrected: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| c.contains("13/2024")))
        .collect();
    assert_eq!(corrected.len(), 1, "{rows:?}");
    assert!(
        corrected[0]
            .iter()
            .any(|c| c.contains("verbeter het ook in uw bestand")),
        "{corrected:?}"
    );

    // Undone: the error is back, and the correction is kept, marked.
    let out = bin()
        .args(["correct", "--undo", "c1"])
        .arg(inbox.join("hr"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, undone, _) = check(root_dir.path());
    assert_eq!(issues_at(&undone, ABSENCE, "B81")[0]["severity"], "error");
    let text = std::fs::read_to_string(&book).unwrap();
    assert!(text.contains("\"undone\""), "{text}");
}

#[test]
fn a_correction_that_is_still_wrong_stays_an_error() {
    let (root_dir, inbox) = samples();
    let (code, said) = correct(&inbox.join(ABSENCE), "Verzuim!B81", "14/2024");
    assert_eq!(code, 0, "{said}");
    let (code, after, _) = check(root_dir.path());
    assert_eq!(code, 1);
    let at = issues_at(&after, ABSENCE, "B81");
    let error = at
        .iter()
        .find(|i| i["severity"] == "error")
        .expect("still an error");
    assert!(
        error["reason"].as_str().unwrap().contains("14/2024"),
        "{error}"
    );
    assert!(at.iter().any(|i| i["reason_key"] == "corrected"));
    assert_eq!(file_of(&after, ABSENCE)["rows"]["rejected"], 1);
}

#[test]
fn a_replaced_file_voids_its_corrections_until_they_are_carried_over() {
    let (root_dir, inbox) = samples();
    let csv = inbox.join("hr/afwezigheidsperiodes_2025.csv");
    let (code, said) = correct(&csv, "afwezigheidsperiodes_2025!D7", "05/04/2025");
    assert_eq!(code, 0, "{said}");
    let name = "hr/afwezigheidsperiodes_2025.csv";
    // The spell at D7 ends before it starts: an error, until corrected.
    let ends_early = |check: &Value| {
        issues_at(check, name, "D7")
            .iter()
            .any(|i| i["severity"] == "error")
    };
    let (_, applied, _) = check(root_dir.path());
    assert!(!ends_early(&applied));

    // A new version of the file arrives: one more line at its end.
    let mut text = std::fs::read_to_string(&csv).unwrap();
    let last = text.lines().last().unwrap().to_string();
    text.push_str(&last);
    text.push('\n');
    std::fs::write(&csv, text).unwrap();
    let (_, voided, _) = check(root_dir.path());
    assert!(ends_early(&voided), "not applied");
    let note = issues_at(&voided, name, "D7")
        .into_iter()
        .find(|i| i["reason_key"] == "correction_void")
        .expect("a note says it was not applied");
    assert_eq!(note["severity"], "warning");
    assert!(
        note["reason"].as_str().unwrap().contains("--carry-over"),
        "{note}"
    );

    // Carried over: each one shown, then applied to the present version.
    let out = bin()
        .args(["corrections", "--carry-over"])
        .arg(&inbox)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        listing.contains("carried over") && listing.contains("c2 [new]"),
        "{listing}"
    );
    let (_, carried, _) = check(root_dir.path());
    assert!(!ends_early(&carried));
    let listing = bin().arg("corrections").arg(&inbox).output().unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("c1 [undone") && listing.contains("c2 [applied]"),
        "{listing}"
    );
}

#[test]
fn a_malformed_corrections_file_is_a_clear_error_not_a_silent_reset() {
    let (root_dir, inbox) = samples();
    let (code, _) = correct(&inbox.join(ABSENCE), "Verzuim!B81", "12/2024");
    assert_eq!(code, 0);
    let book = inbox.join("hr/.scoreboard-corrections.jsonl");
    let good = std::fs::read_to_string(&book).unwrap();
    std::fs::write(&book, format!("{good}{{\"id\": \"c2\", \"file\": \n")).unwrap();
    let (code, json, stderr) = check(root_dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        json,
        Value::Null,
        "nothing judged on a half-read corrections file"
    );
    assert!(
        stderr.contains("line 2") && stderr.contains(".scoreboard-corrections.jsonl"),
        "{stderr}"
    );
    // Recording another correction does not throw the broken one away either.
    let (code, said) = correct(&inbox.join(ABSENCE), "Verzuim!B80", "x");
    assert_eq!(code, 2, "{said}");
    assert!(std::fs::read_to_string(&book).unwrap().contains("\"c2\""));
}

#[cfg(unix)]
#[test]
fn the_corrections_file_survives_a_crash_mid_write() {
    let (_root_dir, inbox) = samples();
    let file = inbox.join(ABSENCE);
    let book = inbox.join("hr/.scoreboard-corrections.jsonl");
    let mut recorded = 0;
    for round in 0..12u64 {
        let mut child = bin()
            .arg("correct")
            .arg(&file)
            .args([
                "Verzuim!B81",
                "12/2024",
                "--reason",
                "crash test",
                "--user",
                "an",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Killed at a different moment each round, some before, some during, some after the
        // write.
        std::thread::sleep(std::time::Duration::from_millis(15 * round));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&book).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines.len() == recorded || lines.len() == recorded + 1,
            "round {round}: {} lines after {recorded}",
            lines.len()
        );
        for line in &lines {
            serde_json::from_str::<Value>(line)
                .unwrap_or_else(|e| panic!("round {round}: {e}: {line}"));
        }
        recorded = lines.len();
    }
    assert!(recorded > 0, "some rounds got through");
}
