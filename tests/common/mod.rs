//! Test harness: runs the built binary in a scratch folder and reads its workbook back with calamine.

#![allow(dead_code)]

pub mod inspect;
pub mod xlsb;

use calamine::{open_workbook_auto, Data, Reader};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scoreboard"))
}

/// The repository root (for samples/). Read when the test runs, not when it was compiled: a
/// target dir shared by two clones keeps test binaries whose sources did not change.
/// Asserts a command of the binary ended with exit 0, showing its stderr when not.
pub fn assert_success(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `check DIR --config CONFIG --format json --quiet`: its exit code and its JSON document.
pub fn check_json(dir: &Path, config: &Path) -> (i32, serde_json::Value) {
    let out = bin()
        .arg("check")
        .arg(dir)
        .arg("--config")
        .arg(config)
        .args(["--format", "json", "--quiet"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
    )
}

pub fn root() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test"))
}

/// Runs the binary with arguments in `dir`; returns (exit code, stderr).
pub fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run scoreboard");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every sheet of a workbook as rows of display strings.
pub fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).expect("open workbook");
    let range = wb
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Runs the README's first command on the shipped samples in `dir` (workbook
/// `KPI_2025-03.xlsx`, KPI table `kpis.csv`); returns (exit code, stderr).
pub fn samples_report(dir: &Path) -> (i32, String) {
    samples_report_with(dir, &[])
}

/// [`samples_report`] with more options.
pub fn samples_report_with(dir: &Path, more: &[&str]) -> (i32, String) {
    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let mut args = vec![
        "report",
        inbox.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-03",
        "-o",
        "KPI_2025-03.xlsx",
        "--kpis",
        "kpis.csv",
    ];
    args.extend_from_slice(more);
    run(dir, &args)
}

/// Sheet names of a workbook.
pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path)
        .expect("open workbook")
        .sheet_names()
}

/// The KPI csv as (kpi, scope, key) → (numerator, denominator, value, status).
pub fn kpi_csv(path: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).expect("kpi csv");
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Finds one KPI row of the csv.
pub fn kpi_row(rows: &[Vec<String>], kpi: &str, scope: &str, key: &str) -> Vec<String> {
    rows.iter()
        .find(|r| r[0] == kpi && r[1] == scope && r[2] == key)
        .cloned()
        .unwrap_or_else(|| panic!("no KPI {kpi}/{scope}/{key}"))
}

/// Writes an xlsx with one sheet of text cells using rust_xlsxwriter.
pub fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// Rewrites one member of a zip (an xlsx) with `edit` applied to its text.
pub fn edit_zip_member(src: &Path, dst: &Path, member: &str, edit: impl Fn(&str) -> String) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().expect("member name").to_string();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        if name == member {
            content = edit(&String::from_utf8(content).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap();
}

/// Reads the inputs as `scoreboard check ARGS…` would (each file in its own reader process,
/// typed as it streams), consolidates them and asserts — against the raw cells of a second,
/// whole read of the same files — that every non-empty row below each header is kept or on the
/// Issues, and that each sheet's recorded counts say the same ([`scoreboard::fuzzing::nothing_lost`]).
pub fn assert_nothing_lost(args: &[&str]) -> scoreboard::consolidate::Consolidated {
    use clap::Parser;
    use scoreboard::cli::{Cli, Command};
    use scoreboard::config::RunConfig;
    use scoreboard::engine;
    let cli = Cli::try_parse_from(["scoreboard", "check"].iter().chain(args))
        .unwrap_or_else(|e| panic!("check {args:?}: {e}"));
    let Command::Check(check) = cli.command else {
        unreachable!("parsed as check")
    };
    let config = RunConfig::for_check(&check).expect("a valid configuration");
    let files = engine::input_files(&config).expect("input files");
    let exe = Path::new(env!("CARGO_BIN_EXE_scoreboard"));
    let reads = engine::read_with(exe, &config, &files, None).expect("readers");
    let cons = engine::consolidate_stage(&config, reads);
    let mut raw = scoreboard::read::read_files(exe, &files, &config.read.limits, None, None)
        .expect("readers");
    for (read, name) in raw
        .iter_mut()
        .zip(scoreboard::read::display_names(&config.inputs, &files))
    {
        read.name = name;
    }
    if let Err(lost) = scoreboard::fuzzing::nothing_lost(
        &raw,
        &config.schema,
        &config.settings,
        &cons,
        &cons.issues,
    ) {
        panic!("{lost}");
    }
    cons
}
