//! Safe outputs (issue 11, part 6): a run killed while saving leaves the previous output as it
//! was; no output flag may name an input; no input text becomes a formula; the libraries' own
//! warnings never reach the terminal.

mod common;

use common::*;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const CSV_HEADER: &str = "Actie-ID;Omschrijving;Directie;Deadline;Status;Datum afgewerkt\n";

/// A CSV of `n` actions: enough rows that the data sheet is streamed (constant memory) and
/// saving the workbook takes a while.
fn many_actions(path: &Path, n: usize) {
    let mut text = String::from(CSV_HEADER);
    for i in 0..n {
        text.push_str(&format!(
            "A{i};Actie nummer {i} met wat tekst;Directie {};31/01/2025;Afgewerkt;15/01/2025\n",
            i % 7
        ));
    }
    std::fs::write(path, text).unwrap();
}

fn temporary_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".scoreboard-"))
        .collect()
}

#[test]
fn killing_a_report_while_it_saves_leaves_the_previous_output_intact() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    many_actions(&inbox.join("acties.csv"), 25_000);
    let out = dir.path().join("out.xlsx");
    let previous = b"the previous month's workbook".to_vec();
    let mut caught = 0;
    for _ in 0..3 {
        std::fs::write(&out, &previous).unwrap();
        let mut child = bin()
            .args(["report", "inbox", "--as-of", "2025-03-31", "-o", "out.xlsx"])
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        // Kill the moment the temporary file appears: the workbook is being written.
        let killed = loop {
            if !temporary_files(dir.path()).is_empty() {
                child.kill().unwrap();
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "report hangs");
            std::thread::sleep(Duration::from_micros(200));
        };
        child.wait().unwrap();
        let now = std::fs::read(&out).unwrap();
        if killed && now == previous {
            caught += 1;
            break;
        } else {
            // Killed just after the rename, or not at all: the new workbook is whole.
            assert_eq!(&now[..4], b"PK\x03\x04");
            sheet(&out, "Issues");
        }
    }
    assert!(
        caught > 0,
        "no kill landed while the workbook was being written"
    );
    // The next run removes what the killed one could not, and prints no library warning (the
    // data sheet of 25,000 rows is streamed: rust_xlsxwriter warns on stderr when a row is
    // written twice there).
    let (code, err) = run(
        dir.path(),
        &["report", "inbox", "--as-of", "2025-03-31", "-o", "out.xlsx"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(temporary_files(dir.path()), Vec::<String>::new());
    for word in [
        "Ignoring",
        "Warning",
        "warning:",
        "rust_xlsxwriter",
        "polars",
    ] {
        assert!(!err.contains(word), "{word}: {err}");
    }
}

#[test]
fn every_output_flag_refuses_a_path_that_is_an_input() {
    let dir = tempfile::tempdir().unwrap();
    write_xlsx(
        &dir.path().join("in.xlsx"),
        &[
            &["Actie-ID", "Omschrijving", "Directie", "Deadline", "Status"],
            &["A1", "t", "P", "doorlopend", "Lopend"],
        ],
    );
    std::fs::write(
        dir.path().join("in.csv"),
        "Periode;Kanaal;Score\nmaart 2025;Online;9\n",
    )
    .unwrap();
    let before: Vec<Vec<u8>> = ["in.xlsx", "in.csv"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    for args in [
        &["report", ".", "-o", "in.xlsx"][..],
        &["report", ".", "-o", "out.xlsx", "--kpis", "in.csv"],
        &["report", "in.xlsx", "in.csv", "-o", "./in.xlsx"],
    ] {
        let (code, err) = run(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("one of the inputs"), "{args:?}: {err}");
    }
    let after: Vec<Vec<u8>> = ["in.xlsx", "in.csv"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert!(!dir.path().join("out.xlsx").exists(), "nothing written");
}

const FORMULAS: [&str; 4] = ["=1+1", "+cmd", "-2+3", "@SUM(A1)"];

#[test]
fn input_text_never_becomes_a_formula_in_the_workbook_or_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows =
        vec!["Actie-ID;Omschrijving;Directie;Deadline;Status;Datum afgewerkt".to_string()];
    for (i, f) in FORMULAS.iter().enumerate() {
        rows.push(format!("F{i};{f};{f};31/01/2025;Afgewerkt;15/01/2025"));
    }
    std::fs::write(dir.path().join("in.csv"), rows.join("\n")).unwrap();
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            "in.csv",
            "--as-of",
            "2025-03-31",
            "-o",
            "out.xlsx",
            "--kpis",
            "kpis.csv",
        ],
    );
    assert!(matches!(code, 0 | 1), "{err}");
    // Every text cell of the workbook is a string: no sheet holds a formula built from input.
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(dir.path().join("out.xlsx")).unwrap()).unwrap();
    let mut shared = String::new();
    for i in 0..archive.len() {
        use std::io::Read;
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut xml = String::new();
        part.read_to_string(&mut xml).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            for f in FORMULAS {
                assert!(!xml.contains(&format!("<f>{}", &f[1..])), "{name}: {f}");
            }
        }
        if name == "xl/sharedStrings.xml" {
            shared = xml;
        }
    }
    let actions = sheet(&dir.path().join("out.xlsx"), "Data – actions");
    for f in FORMULAS {
        assert!(
            actions.iter().flatten().any(|c| c == f),
            "{f} shown as text: {actions:?}"
        );
        assert!(shared.contains(f), "{f} is a shared string");
    }
    // The KPI table names the directorates: each is prefixed so that a spreadsheet shows it.
    let kpis = kpi_csv(&dir.path().join("kpis.csv"));
    for f in FORMULAS {
        assert!(
            kpis.iter().any(|r| r[2] == format!("'{f}")),
            "{f} prefixed: {kpis:?}"
        );
        assert!(!kpis.iter().any(|r| r[2] == f), "{f} never bare");
    }
}

#[test]
fn text_shaped_like_rich_text_xml_stays_text_and_the_workbook_stays_valid() {
    // rust_xlsxwriter writes a shared string `<r>…</r>` as raw XML: `<r>R&D</r>` as a title or
    // a directorate made a workbook neither Excel nor calamine opens. Three writers meet it:
    // the streamed data sheet that shares its strings (actions, the larger table), a streamed
    // one with inline strings (absence spells) and the ordinary sheets (Issues, Absence).
    let dir = tempfile::tempdir().unwrap();
    let odd = ["<r>R&D</r>", "<r><t>x</t></r>", "<r>a < b</r>"];
    let mut actions = String::from(CSV_HEADER);
    for i in 0..22_000 {
        let title = odd.get(i).copied().unwrap_or("Actie");
        actions.push_str(&format!(
            "A{i};{title};Directie;31/01/2025;Afgewerkt;15/01/2025\n"
        ));
    }
    let mut spells = String::from("Personeelsnummer;Directie;Begindatum;Einddatum;Fractie;Type\n");
    for i in 0..21_000 {
        spells.push_str(&format!(
            "{};{};03/02/2025;04/02/2025;1;Ziekte\n",
            100_000 + i,
            odd[i % 3]
        ));
    }
    std::fs::write(dir.path().join("acties.csv"), actions).unwrap();
    std::fs::write(dir.path().join("afwezigheden.csv"), spells).unwrap();
    // A cell the Issues sheet quotes: a date that is no date.
    std::fs::write(
        dir.path().join("zz.csv"),
        format!("{CSV_HEADER}Z1;t;Directie;<r>R&D</r>;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let (code, err) = run(
        dir.path(),
        &[
            "report",
            ".",
            "--as-of",
            "2025-03-31",
            "--lang",
            "en",
            "-o",
            "out.xlsx",
        ],
    );
    assert!(matches!(code, 0 | 1), "{err}");
    let out = dir.path().join("out.xlsx");
    let cells = |name: &str| sheet(&out, name).into_iter().flatten().collect::<Vec<_>>();
    let data = cells("Data – actions");
    let absence_data = cells("Data – absence_spells");
    for text in odd {
        assert!(data.iter().any(|c| c == text), "{text} in Data – actions");
        assert!(
            absence_data.iter().any(|c| c == text),
            "{text} in Data – absence_spells"
        );
    }
    let names = sheet_names(&out);
    let ordinary: Vec<String> = names
        .iter()
        .filter(|n| !n.starts_with("Data"))
        .flat_map(|n| cells(n))
        .collect();
    assert!(
        ordinary.iter().any(|c| c == "<r>R&D</r>"),
        "the directorate on the KPI sheets"
    );
    assert!(
        ordinary.iter().any(|c| c.contains("<r>R&D</r>")),
        "the cell quoted on the Issues sheet"
    );
    // The same texts through `convert`.
    let (code, err) = run(
        dir.path(),
        &[
            "convert",
            "zz.csv",
            "--to",
            "xlsx",
            "--out-dir",
            "converted",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let converted = sheet(&dir.path().join("converted/zz.xlsx"), "zz");
    assert_eq!(converted[1][3], "<r>R&D</r>", "{converted:?}");
}

/// Every file and folder under `dir` with its permission bits, relative path first.
#[cfg(unix)]
fn modes_under(dir: &Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, e.metadata().unwrap().permissions().mode() & 0o777)
        })
        .collect()
}

/// Issue 25, item 1: `report -o`, `--kpis`, `--data-dir` and `template` wrote their files with
/// mode 0600 whatever the umask (tempfile's default survived the rename), `convert` with the
/// umask's; a board secretary on the shared drive could not open the workbook.
#[cfg(unix)]
#[test]
fn outputs_were_readable_by_their_owner_only_whatever_the_umask() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acties.csv"),
        format!("{CSV_HEADER}A1;t;P;31/01/2025;Afgewerkt;15/01/2025\n"),
    )
    .unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A umask other than the usual 022, so a fixed 0644 would not pass either.
    let umask = 0o027;
    let run_masked = |args: &[&str]| {
        let mut cmd = bin();
        cmd.args(args).current_dir(dir.path());
        // SAFETY: umask is async-signal-safe and touches only the child.
        unsafe {
            cmd.pre_exec(move || {
                libc::umask(umask);
                Ok(())
            });
        }
        let done = cmd.output().unwrap();
        assert_eq!(
            done.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
    };
    run_masked(&[
        "report",
        "acties.csv",
        "--as-of",
        "2025-03-31",
        "-o",
        "out/KPI.xlsx",
        "--kpis",
        "out/kpis.csv",
        "--data-dir",
        "out/lake",
    ]);
    run_masked(&["template", "-o", "out/template.xlsx"]);
    run_masked(&[
        "convert",
        "acties.csv",
        "--to",
        "xlsx",
        "--out-dir",
        "out/converted",
    ]);
    run_masked(&[
        "convert",
        "acties.csv",
        "--to",
        "csv",
        "--out-dir",
        "out/converted",
    ]);
    let modes = modes_under(&out);
    let file = 0o666 & !umask;
    let folder = 0o777 & !umask;
    for (path, mode) in &modes {
        let expected = if out.join(path).is_dir() {
            folder
        } else {
            file
        };
        assert_eq!(*mode, expected, "{path}: {mode:o} in {modes:?}");
    }
    for made in [
        "KPI.xlsx",
        "kpis.csv",
        "lake/actions/report_month=2025-03/part-0.parquet",
        "lake/kpis/report_month=2025-03/part-0.parquet",
        "template.xlsx",
        "converted/acties.xlsx",
        "converted/acties__acties.csv",
    ] {
        assert!(modes.iter().any(|(p, _)| p == made), "{made}: {modes:?}");
    }
}

/// Sends `signal` to a child process (Unix).
#[cfg(unix)]
fn send(child: &std::process::Child, signal: i32) {
    // SAFETY: kill with a pid we own and a plain signal number.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "signal sent");
}

/// Issue 25, item 3: Ctrl-C while the workbook was being written left its hidden temporary
/// file (`.scoreboard-NNN.tmp`, a megabyte or more) in the output folder: a signal ends the
/// process without running the temporary file's drop.
#[cfg(unix)]
#[test]
fn ctrl_c_while_saving_left_a_hidden_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    many_actions(&inbox.join("acties.csv"), 25_000);
    let out = dir.path().join("out.xlsx");
    let previous = b"the previous month's workbook".to_vec();
    let mut caught = 0;
    for _ in 0..3 {
        std::fs::write(&out, &previous).unwrap();
        let mut child = bin()
            .args(["report", "inbox", "--as-of", "2025-03-31", "-o", "out.xlsx"])
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let interrupted = loop {
            if !temporary_files(dir.path()).is_empty() {
                send(&child, libc::SIGINT);
                break true;
            }
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "report hangs");
            std::thread::sleep(Duration::from_micros(200));
        };
        let status = child.wait().unwrap();
        assert_eq!(temporary_files(dir.path()), Vec::<String>::new());
        if interrupted && status.code() == Some(130) {
            assert_eq!(std::fs::read(&out).unwrap(), previous, "the old file stays");
            caught += 1;
            break;
        }
    }
    assert!(
        caught > 0,
        "no Ctrl-C landed while the workbook was written"
    );
}

/// Issue 25, item 3: the same for `convert`, whose files are written in a hidden staging
/// folder before they are renamed into place.
#[cfg(unix)]
#[test]
fn ctrl_c_during_convert_left_a_hidden_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    many_actions(&dir.path().join("acties.csv"), 200_000);
    let mut child = bin()
        .args(["convert", "acties.csv", "--to", "xlsx", "--out-dir", "out"])
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = dir.path().join("out");
    let started = Instant::now();
    while !out.exists() || temporary_files(&out).is_empty() {
        assert!(child.try_wait().unwrap().is_none(), "convert ended first");
        assert!(started.elapsed() < Duration::from_secs(60), "convert hangs");
        std::thread::sleep(Duration::from_micros(200));
    }
    send(&child, libc::SIGINT);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(temporary_files(&out), Vec::<String>::new());
    assert!(!out.join("acties.xlsx").exists());
}

/// Issue 25, item 3: `-o /missing/dir/x.xlsx` read every input and then failed naming the
/// temporary file's path (`/missing/dir/.scoreboard-27115-j912hZ.tmp`). The folder is named,
/// before any input is read, with the configuration's other checks.
#[test]
fn a_missing_output_folder_was_named_only_after_every_input_was_read() {
    let dir = tempfile::tempdir().unwrap();
    many_actions(&dir.path().join("acties.csv"), 10);
    let missing = dir.path().join("missing/dir");
    let workbook = missing.join("x.xlsx");
    let kpis = missing.join("kpis.csv");
    for args in [
        vec!["report", "acties.csv", "-o", workbook.to_str().unwrap()],
        vec![
            "report",
            "acties.csv",
            "-o",
            "out.xlsx",
            "--kpis",
            kpis.to_str().unwrap(),
        ],
        vec!["template", "-o", workbook.to_str().unwrap()],
    ] {
        let done = bin()
            .args(&args)
            .current_dir(dir.path())
            // A read would print its timings.
            .env("SCOREBOARD_TIMINGS", "1")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("the folder {} does not exist", missing.display())),
            "{args:?}: {err}"
        );
        assert!(!err.contains("timing:"), "nothing read: {err}");
        assert!(!err.contains(".scoreboard-"), "{err}");
    }
    assert!(!dir.path().join("out.xlsx").exists());
    // A file where the folder should be is no folder either.
    std::fs::write(dir.path().join("plain"), b"x").unwrap();
    let (code, err) = run(dir.path(), &["report", "acties.csv", "-o", "plain/x.xlsx"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the folder plain does not exist"), "{err}");
}

/// Issue 25, item 2: the `--kpis` CSV was `,`-separated with decimal points, so Excel in
/// Belgium opened it as one column. It takes the CSV options every CSV takes: `--sep`, `--bom`,
/// `--decimal` (a comma by default with `;`) and the config's `[output]` keys. The bytes.
#[test]
fn kpis_csv_was_comma_separated_and_opened_as_one_column_in_belgian_excel() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acties.csv"),
        format!(
            "{CSV_HEADER}A1;t;4/5;31/01/2025;Afgewerkt;15/01/2025\n\
             A2;t;P;31/01/2025;Afgewerkt;20/02/2025\n"
        ),
    )
    .unwrap();
    let kpis = |more: &[&str]| {
        let mut args = vec![
            "report",
            "acties.csv",
            "--as-of",
            "2025-03-31",
            "-o",
            "out.xlsx",
            "--kpis",
            "kpis.csv",
        ];
        args.extend_from_slice(more);
        let (code, err) = run(dir.path(), &args);
        assert_eq!(code, 0, "{more:?}: {err}");
        String::from_utf8(std::fs::read(dir.path().join("kpis.csv")).unwrap()).unwrap()
    };
    let belgian = kpis(&["--sep", ";", "--bom"]);
    assert!(
        belgian.starts_with(
            "\u{feff}kpi;scope;key;period;numerator;denominator;value;status\n\
             actions_on_time_rate;all;\"\";2025-03-31;1,0;2,0;0,5;red\n"
        ),
        "{belgian}"
    );
    // The directorate `4/5` would open as 4 May.
    assert!(
        belgian.contains("\nactions_on_time_rate;owner;'4/5;2025-03-31;1,0;1,0;1,0;green\n"),
        "{belgian}"
    );
    let plain = kpis(&[]);
    assert!(
        plain.starts_with(
            "kpi,scope,key,period,numerator,denominator,value,status\n\
             actions_on_time_rate,all,\"\",2025-03-31,1.0,2.0,0.5,red\n"
        ),
        "the default is unchanged: {plain}"
    );
    assert!(kpis(&["--sep", ";", "--decimal", "point"])
        .contains("\nactions_on_time_rate;all;\"\";2025-03-31;1.0;2.0;0.5;red\n"));
    std::fs::write(
        dir.path().join("scoreboard.toml"),
        "[output]\ncsv_separator = \"tab\"\ncsv_decimal = \"comma\"\n",
    )
    .unwrap();
    assert!(
        kpis(&[]).contains("\nactions_on_time_rate\tall\t\"\"\t2025-03-31\t1,0\t2,0\t0,5\tred\n")
    );
    std::fs::remove_file(dir.path().join("scoreboard.toml")).unwrap();
    // CSV options where no CSV is written are bad usage, named.
    for (args, message) in [
        (
            &["report", "acties.csv", "-o", "out.xlsx", "--sep", ";"][..],
            "--sep applies only with --kpis FILE.csv",
        ),
        (
            &[
                "report",
                "acties.csv",
                "-o",
                "out.xlsx",
                "--kpis",
                "k.json",
                "--bom",
            ][..],
            "--bom applies only with --kpis FILE.csv",
        ),
        (
            &["watch", ".", "--out-dir", "../w", "--decimal", "comma"][..],
            "--decimal applies only with --kpis csv",
        ),
    ] {
        let (code, err) = run(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    std::fs::write(
        dir.path().join("scoreboard.toml"),
        "[output]\ncsv_separator = \":\"\n",
    )
    .unwrap();
    let (code, err) = run(dir.path(), &["report", "acties.csv", "-o", "out.xlsx"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("[output] csv_separator = \u{201c}:\u{201d}: use , ; | or tab"),
        "{err}"
    );
}
