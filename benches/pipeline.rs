//! Benchmark (not a test): a large generated scoreboard through every stage, compared in the same
//! run with the bare cost of reading the same cells with calamine and writing them with
//! rust_xlsxwriter. `SCOREBOARD_BENCH_ROWS` sets the size (default 200,000 action rows).
//!
//! Run: `cargo bench --bench pipeline`. Results are recorded in docs/performance.md.

use calamine::{Reader, Xlsx};
use scoreboard::config::Settings;
use scoreboard::consolidate::consolidate;
use scoreboard::kpi::{actions, plan_quality, Periods};
use scoreboard::read::{FileRead, ReadLimits, Readers};
use scoreboard::sample::actions::write_plan;
use scoreboard::sample::{Plan, Size};
use scoreboard::schema::Schema;
use std::path::Path;
use std::time::Instant;

/// Columns of the generated action plan (`scoreboard sample`'s Dutch header); the last,
/// `Voortgang`, holds numbers.
const COLUMNS: u64 = 9;

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    let s = t.elapsed().as_secs_f64();
    println!("{label:<58} {s:>8.2} s");
    (out, s)
}

fn main() {
    let rows: u32 = std::env::var("SCOREBOARD_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().expect("tempdir");
    // The same generator as `scoreboard sample`: its action plan, in multiples of 100 rows.
    let plan = Plan {
        actions: rows.div_ceil(100) * 100,
        ..Size::Small.plan()
    };
    println!(
        "scoreboard benchmark: {} action rows × {COLUMNS} columns",
        plan.actions
    );
    let (written, _) = timed("generate input (scoreboard sample's action plan)", || {
        write_plan(&plan, dir.path()).expect("generate")
    });
    let input = written.path;
    let size = std::fs::metadata(&input).map(|m| m.len()).unwrap_or(0);
    println!("input size: {:.1} MB", size as f64 / 1e6);

    // Baseline 1: calamine's own streaming read of every cell.
    let (cells, read_bare) = timed("baseline: calamine cell reader, every cell", || {
        let mut wb: Xlsx<_> = calamine::open_workbook(&input).expect("open");
        let name = wb.sheet_names()[0].clone();
        let mut reader = wb.worksheet_cells_reader(&name).expect("reader");
        let mut n = 0u64;
        while let Some(cell) = reader.next_cell().expect("cell") {
            if !matches!(cell.get_value(), calamine::DataRef::Empty) {
                n += 1;
            }
        }
        n
    });
    // Baseline 2: rust_xlsxwriter writing the same number of cells (text and numbers).
    let (_, write_bare) = timed("baseline: rust_xlsxwriter writes as many cells", || {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
        for i in 0..cells {
            let (r, c) = ((i / COLUMNS) as u32, (i % COLUMNS) as u16);
            if c == 8 {
                ws.write_number(r, c, 0.5).expect("cell");
            } else {
                ws.write_string(r, c, "Actie van het operationeel plan")
                    .expect("cell");
            }
        }
        wb.save_to_buffer().expect("save").len()
    });

    // The pipeline, stage by stage.
    let exe = Path::new(env!("CARGO_BIN_EXE_scoreboard"));
    let (raw, read_ours) = timed("scoreboard: read (isolated reader process)", || {
        Readers::new(exe, &ReadLimits::default()).read(&input)
    });
    let settings = Settings::default();
    let schema = Schema::new(&[]).expect("schema");
    let (cons, _) = timed("scoreboard: recognise + type + consolidate", || {
        consolidate(
            &[FileRead {
                path: input.clone(),
                name: input.display().to_string(),
                result: std::sync::Arc::new(raw),
            }],
            &schema,
            &settings,
            None,
        )
    });
    let periods = Periods {
        as_of: scoreboard::sample::as_of(),
    };
    let (result, _) = timed("scoreboard: KPIs (polars)", || {
        let a = actions::compute(&cons, periods, &settings).expect("kpi");
        let p = plan_quality::compute(&cons, periods).expect("kpi");
        (a, p)
    });
    println!(
        "actions: {} (KPI rows: {})",
        result.0.records.len(),
        result.0.tallies.as_ref().map_or(0, |t| t.rows().len())
    );

    // The whole command, as an analyst runs it.
    let out = dir.path().join("KPI.xlsx");
    let (output, total) = timed("scoreboard report (whole command)", || {
        std::process::Command::new(exe)
            .args([
                "report",
                input.to_str().expect("path"),
                "--month",
                "2025-12",
                "-o",
                out.to_str().expect("path"),
            ])
            .env("SCOREBOARD_TIMINGS", "1")
            .output()
            .expect("run")
    });
    println!("exit status: {}", output.status);
    for line in String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.starts_with("timing:"))
    {
        println!("  {line}");
    }
    println!();
    println!("cells read: {cells}");
    println!(
        "read overhead vs bare calamine: {:.2}×",
        read_ours / read_bare
    );
    println!(
        "whole report vs bare read + bare write: {:.2}×",
        total / (read_bare + write_bare)
    );
}
