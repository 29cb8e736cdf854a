//! `scoreboard watch` end to end: the binary on a temporary drop folder, rebuilt as files come
//! and go, stopped with Ctrl-C. Every wait polls with a deadline; none relies on a sleep.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Long enough for a cold debug build's first report on a loaded 2-core machine.
const DEADLINE: Duration = Duration::from_secs(90);

const HEADER: &str = "Actie-ID;Omschrijving;Directie;Deadline;Status;Datum afgewerkt\n";

/// The next stdout line of the watcher that contains `wanted`; panics with the lines seen when
/// the deadline passes.
fn line_with(lines: &Receiver<String>, wanted: &str) -> String {
    let end = Instant::now() + DEADLINE;
    let mut seen = Vec::new();
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(wanted) => return line,
            Ok(line) => seen.push(line),
            Err(RecvTimeoutError::Timeout) => {
                panic!("no line with {wanted:?} in time; saw {seen:?}")
            }
            Err(RecvTimeoutError::Disconnected) => panic!("watch ended; saw {seen:?}"),
        }
    }
}

/// Stops the watcher as Ctrl-C does and returns its exit code.
fn interrupt(mut child: Child) -> Option<i32> {
    #[cfg(unix)]
    {
        let pid = child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success());
    }
    #[cfg(not(unix))]
    child.kill().expect("stop watch");
    let end = Instant::now() + DEADLINE;
    while Instant::now() < end {
        if let Some(status) = child.try_wait().expect("wait for watch") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("watch did not stop after Ctrl-C");
}

fn action_ids(book: &Path) -> Vec<String> {
    sheet(book, "Data – actions")
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect()
}

#[test]
fn watch_rebuilds_when_a_file_is_dropped_keeps_the_last_good_workbook_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(
        inbox.join("scorebord_A_2025-03.csv"),
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let (child, lines) = start_watch(dir.path(), &[]);
    let book = dir.path().join("reports/KPI_2025-03.xlsx");

    let first = line_with(&lines, "1 file(s), 0 error(s)");
    assert!(first.contains("KPI_2025-03.xlsx"), "{first}");
    assert!(first.ends_with("on time 100.0% (1 of 1)"), "{first}");
    assert_eq!(action_ids(&book), ["A1"]);

    // A second directorate drops its scoreboard: A2 was done late.
    std::fs::write(
        inbox.join("scorebord_B_2025-03.csv"),
        format!("{HEADER}A2;t;Q;31/01/2025;Afgewerkt;20/02/2025\n"),
    )
    .unwrap();
    let second = line_with(&lines, "2 file(s), 0 error(s)");
    assert!(second.ends_with("on time 50.0% (1 of 2)"), "{second}");
    assert_eq!(action_ids(&book), ["A1", "A2"]);

    // Every input gone: the rebuild fails and the last good workbook stays.
    std::fs::remove_file(inbox.join("scorebord_A_2025-03.csv")).unwrap();
    std::fs::remove_file(inbox.join("scorebord_B_2025-03.csv")).unwrap();
    let failed = line_with(&lines, "rebuild failed");
    assert!(failed.contains("left as it was"), "{failed}");
    assert_eq!(action_ids(&book), ["A1", "A2"]);

    assert_eq!(interrupt(child), Some(0));
    let err = std::fs::read_to_string(dir.path().join("stderr.txt")).unwrap();
    assert!(err.contains("stopped watching"), "{err}");
}

#[test]
fn watch_refuses_an_output_folder_inside_the_watched_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    let (code, stderr) = run(
        dir.path(),
        &["watch", "inbox", "--out-dir", "inbox/reports"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("inside the watched folder"), "{stderr}");
    let (code, stderr) = run(dir.path(), &["watch", "inbox", "inbox", "--out-dir", "out"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exactly one folder"), "{stderr}");
}

/// Starts `watch inbox --out-dir reports --month 2025-03` and `extra` in `dir`; its stdout lines
/// come on the receiver, its stderr goes to `stderr.txt`.
fn start_watch(dir: &Path, extra: &[&str]) -> (Child, Receiver<String>) {
    let stderr = std::fs::File::create(dir.join("stderr.txt")).unwrap();
    let mut child = bin()
        .args([
            "watch",
            "inbox",
            "--out-dir",
            "reports",
            "--month",
            "2025-03",
        ])
        .args(extra)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start watch");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

/// Issue 25, item 10: a line said how many files and errors, not which files were added,
/// changed or removed nor which failed; and a `LEESMIJ.txt` left in the drop folder was an
/// error ("no table found"), not a read-me skipped with a note.
#[test]
fn watch_lines_did_not_name_the_files_and_a_read_me_was_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(
        inbox.join("scorebord_A.csv"),
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let (child, lines) = start_watch(dir.path(), &[]);
    let first = line_with(&lines, "1 file(s), 0 error(s)");
    assert!(
        !first.contains("added"),
        "the first build lists no change: {first}"
    );

    // B has a row without an action id: one error, in B.
    std::fs::write(
        inbox.join("scorebord_B.csv"),
        format!("{HEADER}A2;t;Q;31/01/2025;Afgewerkt;20/01/2025\n;t;Q;31/01/2025;Lopend;\n"),
    )
    .unwrap();
    let line = line_with(&lines, "2 file(s)");
    assert!(
        line.contains("  added scorebord_B.csv; 2 file(s), 1 error(s) in scorebord_B.csv  "),
        "{line}"
    );

    // A read-me beside the scoreboards, and A changed.
    std::fs::write(
        inbox.join("LEESMIJ.txt"),
        "Zet hier het scorebord van uw directie neer, vóór de vijfde van de maand.\n\
         Vragen: het team Performance.\n",
    )
    .unwrap();
    std::fs::write(
        inbox.join("scorebord_A.csv"),
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;20/01/2025\n"),
    )
    .unwrap();
    let line = line_with(&lines, "3 file(s)");
    assert!(
        line.contains(
            "  added LEESMIJ.txt; changed scorebord_A.csv; 3 file(s), 1 error(s) in scorebord_B.csv  "
        ),
        "{line}"
    );
    let issues = sheet(&dir.path().join("reports/KPI_2025-03.xlsx"), "Issues");
    assert!(
        issues.iter().any(|r| r[0] == "LEESMIJ.txt"
            && r[4] == "info"
            && r[5] == "a text file without a table (a read-me?); skipped"),
        "{issues:?}"
    );

    // B gone, and a file of which nothing can be used.
    std::fs::remove_file(inbox.join("scorebord_B.csv")).unwrap();
    std::fs::write(inbox.join("leeg.csv"), "Opmerking\nniets te melden\n").unwrap();
    let line = line_with(&lines, "removed");
    assert!(
        line.contains("  added leeg.csv; removed scorebord_B.csv; 3 file(s), 1 error(s) in leeg.csv (not used)  "),
        "{line}"
    );
    assert_eq!(interrupt(child), Some(0));
}

/// Issue 25, item 10: a workbook copied slowly (chunks 0.8 s apart, as over a share) was read
/// half-written, three times: half a second without change was taken for a finished copy.
#[test]
fn watch_read_a_slowly_copied_workbook_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(
        inbox.join("scorebord_A.csv"),
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let source = dir.path().join("B.xlsx");
    write_xlsx(
        &source,
        &[
            &[
                "Actie-ID",
                "Omschrijving",
                "Directie",
                "Deadline",
                "Status",
                "Datum afgewerkt",
            ],
            &["B1", "t", "Q", "31/01/2025", "Afgewerkt", "20/01/2025"],
        ],
    );
    let bytes = std::fs::read(&source).unwrap();
    let (child, lines) = start_watch(dir.path(), &[]);
    line_with(&lines, "1 file(s), 0 error(s)");
    let target = inbox.join("scorebord_B.xlsx");
    let mut copy = std::fs::File::create(&target).unwrap();
    let chunk = bytes.len().div_ceil(4);
    for part in bytes.chunks(chunk) {
        use std::io::Write;
        copy.write_all(part).unwrap();
        copy.flush().unwrap();
        std::thread::sleep(Duration::from_millis(800));
    }
    drop(copy);
    let line = line_with(&lines, "2 file(s)");
    assert!(
        line.contains("  added scorebord_B.xlsx; 2 file(s), 0 error(s)  "),
        "{line}"
    );
    // No build read it half-written in between.
    let mut seen = Vec::new();
    while let Ok(l) = lines.recv_timeout(Duration::from_secs(3)) {
        seen.push(l);
    }
    assert!(seen.is_empty(), "one build for one copy: {seen:?}");
    assert_eq!(
        action_ids(&dir.path().join("reports/KPI_2025-03.xlsx")),
        ["A1", "B1"]
    );
    assert_eq!(interrupt(child), Some(0));
}

/// Issue 25, item 10: the first Ctrl-C during a build waited for the build to end (and a
/// second one was needed to stop at once). It answers at once, leaving no temporary file.
#[cfg(unix)]
#[test]
fn the_first_ctrl_c_during_a_build_waited_for_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    // Enough rows that the build lasts seconds.
    let mut text = String::from(HEADER);
    for i in 0..150_000 {
        text.push_str(&format!(
            "A{i};Actie {i};Directie {};31/01/2025;Afgewerkt;15/01/2025\n",
            i % 7
        ));
    }
    std::fs::write(inbox.join("acties.csv"), text).unwrap();
    let (mut child, _lines) = start_watch(dir.path(), &[]);
    let started = Instant::now();
    let banner = dir.path().join("stderr.txt");
    while !std::fs::read_to_string(&banner)
        .unwrap_or_default()
        .contains("watching")
    {
        assert!(started.elapsed() < DEADLINE, "watch did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The build is under way (it starts at once and lasts seconds).
    std::thread::sleep(Duration::from_millis(500));
    let asked = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(asked.elapsed() < DEADLINE, "watch did not stop");
        std::thread::sleep(Duration::from_millis(10));
    };
    let answered = asked.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(
        answered < Duration::from_secs(1),
        "answered after {answered:?}"
    );
    let reports = dir.path().join("reports");
    assert!(
        !reports.join("KPI_2025-03.xlsx").exists(),
        "stopped during the build, not after it"
    );
    let left: Vec<_> = std::fs::read_dir(&reports).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");
    let err = std::fs::read_to_string(&banner).unwrap();
    assert!(err.contains("stopped watching"), "{err}");
}

/// Issue 26: `watch --html` writes the page beside each rebuild's workbook.
#[test]
fn watch_writes_the_html_page_beside_the_workbook_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(
        inbox.join("scorebord_A_2025-03.csv"),
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let (child, lines) = start_watch(dir.path(), &["--html"]);
    line_with(&lines, "1 file(s), 0 error(s)");
    let page = std::fs::read_to_string(dir.path().join("reports/KPI_2025-03.html")).unwrap();
    assert!(
        page.contains("data-kpi=\"actions_on_time_rate\" data-value=\"1\""),
        "{page}"
    );
    assert_eq!(interrupt(child), Some(0));
}

/// Issue 28: a correction recorded while watch runs rebuilds the workbook with it.
#[test]
fn a_correction_recorded_while_watching_rebuilds_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let file = inbox.join("scorebord_A_2025-03.csv");
    std::fs::write(
        &file,
        format!("{HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\nA2;t;P;31/02/2025;Lopend;\n"),
    )
    .unwrap();
    let (child, lines) = start_watch(dir.path(), &[]);
    line_with(&lines, "1 file(s)");
    let out = bin()
        .arg("correct")
        .arg(&file)
        .args([
            "scorebord_A_2025-03!D3",
            "28/02/2025",
            "--reason",
            "typo",
            "--user",
            "an",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = line_with(&lines, "added .scoreboard-corrections.jsonl");
    assert!(line.contains("1 file(s)"), "{line}");
    let issues = sheet(&dir.path().join("reports/KPI_2025-03.xlsx"), "Issues");
    assert!(
        issues
            .iter()
            .any(|r| r.iter().any(|c| c.contains("corrected here (c1)"))),
        "{issues:?}"
    );
    assert_eq!(interrupt(child), Some(0));
}
