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
    let stderr = std::fs::File::create(dir.path().join("stderr.txt")).unwrap();
    let mut child = bin()
        .args([
            "watch",
            "inbox",
            "--out-dir",
            "reports",
            "--month",
            "2025-03",
        ])
        .current_dir(dir.path())
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
    let book = dir.path().join("reports/KPI_2025-03.xlsx");

    let first = line_with(&lines, "1 file(s), 0 error(s)");
    assert!(first.contains("KPI_2025-03.xlsx"), "{first}");
    assert!(first.ends_with("on time 100.0 % (1 of 1)"), "{first}");
    assert_eq!(action_ids(&book), ["A1"]);

    // A second directorate drops its scoreboard: A2 was done late.
    std::fs::write(
        inbox.join("scorebord_B_2025-03.csv"),
        format!("{HEADER}A2;t;Q;31/01/2025;Afgewerkt;20/02/2025\n"),
    )
    .unwrap();
    let second = line_with(&lines, "2 file(s), 0 error(s)");
    assert!(second.ends_with("on time 50.0 % (1 of 2)"), "{second}");
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
