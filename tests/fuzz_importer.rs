//! Fuzzing the importer on stable Rust: deterministic random inputs for every value parser, and
//! mutated copies of every sample file through the whole binary. Nothing may panic; a broken file
//! is an issue, never a crash of the run.

mod common;

use common::*;
use scoreboard::parse::*;

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "12",
    "31",
    "2025",
    "1900",
    "9999",
    "202503",
    "-",
    "/",
    ".",
    ",",
    " ",
    "'",
    "%",
    "€",
    "Q",
    "K",
    "T",
    "S",
    "H",
    "e",
    "er",
    "maart",
    "mars",
    "march",
    "dec",
    "doorlopend",
    "vanaf",
    "einde mandaat",
    "twee keer per jaar",
    "ten minste",
    "tegen",
    "eind",
    "kwartaal",
    "semester",
    "é",
    "ß",
    "\u{a0}",
    "\u{202f}",
    "−",
    "↑",
    "\n",
    "\t",
    "e300",
    "NaN",
    "inf",
    "99999999999999999999",
    "😀",
    "T00:00",
    "Afgewerkt",
    "x",
    "ja",
    "nee",
];

fn random_text(rng: &mut Rng) -> String {
    (0..rng.below(7))
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

#[test]
fn value_parsers_never_panic_and_keep_their_invariants() {
    let mut rng = Rng(0x5C0_4EB0A4D);
    for _ in 0..60_000 {
        let t = random_text(&mut rng);
        if let Some(d) = parse_date_text(&t) {
            assert!(
                (1900..=9999).contains(&chrono::Datelike::year(&d)),
                "{t:?} → {d}"
            );
        }
        let _ = parse_deadline_text(&t);
        let _ = parse_period_text(&t);
        if let Some(n) = parse_number_text(&t) {
            assert!(n.value.is_finite(), "{t:?}");
        }
        let _ = parse_percent_text(&t);
        let _ = parse_status(&t);
        let _ = parse_yes_no(&t);
        let _ = parse_polarity(&t);
        let _ = period_from_file_name(&t);
        let n = normalize(&t);
        assert!(!n.starts_with(' ') && !n.ends_with(' '), "{t:?} → {n:?}");
    }
    for serial in [
        f64::MIN,
        -1e300,
        -1.0,
        0.0,
        0.5,
        59.0,
        60.0,
        61.0,
        2_958_465.9,
        2_958_466.0,
        1e300,
        f64::MAX,
        f64::NAN,
    ] {
        let _ = excel_serial_to_date(serial, false);
        let _ = excel_serial_to_date(serial, true);
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return out;
    }
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
        }
        1 => out.truncate(rng.below(out.len())),
        2 => {
            let i = rng.below(out.len());
            let junk: Vec<u8> = (0..1 + rng.below(64)).map(|_| rng.next() as u8).collect();
            out.splice(i..i, junk);
        }
        _ => {
            // Overwrite a run with a repeated byte: breaks lengths and counts inside containers.
            let i = rng.below(out.len());
            let end = (i + 1 + rng.below(32)).min(out.len());
            let b = rng.next() as u8;
            out[i..end].iter_mut().for_each(|x| *x = b);
        }
    }
    out
}

#[test]
fn mutated_sample_files_never_crash_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0xF0_22ED);
    let samples = root().join("samples/inbox");
    let mut count = 0;
    for entry in walkdir::WalkDir::new(&samples)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let bytes = std::fs::read(entry.path()).unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        for i in 0..10 {
            std::fs::write(
                dir.path().join(format!("m{i}_{name}")),
                mutate(&bytes, &mut rng),
            )
            .unwrap();
            count += 1;
        }
    }
    assert!(count >= 100);
    let out = bin()
        .args([
            "check",
            ".",
            "--as-of",
            "2025-03-31",
            "--read-memory-mb",
            "1024",
            "--read-timeout",
            "60",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&format!("{count} file(s) read")) || stderr.contains("unreadable"),
        "{stderr}"
    );
}

/// Every file of a folder, recursively, sorted.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The extension a reader target names its input with (`read_xlsb` → `xlsb`).
fn target_extension(target: &str) -> &str {
    target.strip_prefix("read_").unwrap_or("xlsx")
}

#[test]
fn fuzz_seeds_and_regressions_replay_clean() {
    // What the cargo-fuzz targets of fuzz/ run, on every seed kept in the repo and every input
    // that once broke them (fuzz/regressions/TARGET/NAME, named after what it showed).
    scoreboard::fuzzing::record_panic_locations();
    let mut replayed = 0;
    for kind in ["seeds", "regressions"] {
        let dir = root().join("fuzz").join(kind);
        let Ok(targets) = std::fs::read_dir(&dir) else {
            continue;
        };
        for target in targets.flatten() {
            let target = target.file_name().to_string_lossy().into_owned();
            if target == "isolated" {
                // Inputs that need the reader's process (an allocation of gigabytes): replayed
                // through the binary by tests/hostile.rs.
                continue;
            }
            for file in files_under(&dir.join(&target)) {
                let data = std::fs::read(&file).unwrap();
                let result = match target.as_str() {
                    "consolidate" => scoreboard::fuzzing::consolidate_checked(
                        "input.xlsx",
                        scoreboard::fuzzing::workbook_from_text(&data),
                    )
                    .map(|_| ()),
                    "parse_values" => {
                        scoreboard::fuzzing::parse_values(&String::from_utf8_lossy(&data))
                    }
                    reader => scoreboard::fuzzing::read_and_consolidate(
                        &format!("input.{}", target_extension(reader)),
                        &data,
                    ),
                };
                if let Err(broken) = result {
                    panic!("{}: {broken}", file.display());
                }
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 30, "{replayed} inputs replayed");
}

#[test]
fn every_fixture_and_sample_file_read_in_process_loses_no_row() {
    // The reader targets' own seeds beyond fuzz/seeds: every fixture and sample file, read in
    // this process (none of them makes calamine abort) and consolidated with default settings.
    scoreboard::fuzzing::record_panic_locations();
    let mut read = 0;
    for dir in [
        "tests/fixtures/formats",
        "tests/fixtures/calamine",
        "tests/fixtures/poi",
        "samples/inbox",
    ] {
        for file in files_under(&root().join(dir)) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".md") {
                continue;
            }
            let data = std::fs::read(&file).unwrap();
            if let Err(broken) = scoreboard::fuzzing::read_and_consolidate(&name, &data) {
                panic!("{}: {broken}", file.display());
            }
            read += 1;
        }
    }
    assert!(read >= 25, "{read} files");
}

#[test]
fn every_row_of_the_samples_is_kept_or_on_the_issues() {
    // Rows read = kept + rejected (an error issue) + skipped (an info note), per sheet, counted
    // from the raw sheets and the issues: with the samples' own configuration.
    let inbox = root().join("samples/inbox");
    let config = root().join("samples/scoreboard.toml");
    let cons = assert_nothing_lost(&[
        inbox.to_str().unwrap(),
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-03",
    ]);
    let mut total = scoreboard::consolidate::RowCounts::default();
    for sheet in &cons.sheets {
        total += sheet.rows;
    }
    assert!(total.read > 100, "{total:?}");
    assert!(
        total.rejected > 0 && total.skipped > 0,
        "the samples exercise both: {total:?}"
    );
    assert_eq!(total.read, total.kept + total.rejected + total.skipped);
}
