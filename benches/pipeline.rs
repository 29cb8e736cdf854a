//! Benchmark (not a test): a large generated scoreboard through every stage, compared in the same
//! run with the bare cost of reading the same cells with calamine and writing them with
//! rust_xlsxwriter. `SCOREBOARD_BENCH_ROWS` sets the size (default 200,000 action rows).
//!
//! Run: `cargo bench --bench pipeline`. Results are recorded in docs/performance.md.

use calamine::{Reader, Xlsx};
use scoreboard::config::Settings;
use scoreboard::consolidate::consolidate;
use scoreboard::kpi::{actions, plan_quality, Periods};
use scoreboard::read::{read_isolated, FileRead, ReadLimits};
use scoreboard::schema::Schema;
use std::path::Path;
use std::time::Instant;

const OWNERS: [&str; 8] = [
    "Eerste lijn Werkzoekenden",
    "Contrôle de la disponibilité",
    "Gespecialiseerde ondersteunende diensten",
    "Externe Betrekkingen",
    "Personeel & Organisatie",
    "Financiën",
    "ICT",
    "Juridische dienst",
];
const DEADLINES: [&str; 6] = [
    "maart 2025",
    "Q2 2025",
    "doorlopend",
    "S1 2025",
    "december 2024",
    "2025",
];
const STATUSES: [&str; 5] = [
    "Lopend",
    "Afgewerkt",
    "Niet gestart",
    "Uitgesteld",
    "Geannuleerd",
];
const HEADER: [&str; 9] = [
    "Actie-ID",
    "Omschrijving",
    "Doelstelling",
    "Meetpunt",
    "Directie",
    "Deadline",
    "Status",
    "Datum afgewerkt",
    "Voortgang",
];

fn generate(path: &Path, rows: u32) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    ws.write_string(0, 0, "Scorebord – benchmark")
        .expect("cell");
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).expect("cell");
    }
    for i in 0..rows {
        let r = i + 3;
        let k = i as usize;
        ws.write_string(r, 0, format!("A{i:07}")).expect("cell");
        ws.write_string(
            r,
            1,
            format!("Actie {i} van het operationeel plan: procedures verbeteren"),
        )
        .expect("cell");
        ws.write_string(r, 2, format!("SD{}", k % 3 + 1))
            .expect("cell");
        ws.write_string(r, 3, format!("Meetpunt {}.{}", k % 3 + 1, k % 5 + 1))
            .expect("cell");
        ws.write_string(r, 4, OWNERS[k % OWNERS.len()])
            .expect("cell");
        if k % 7 == 0 {
            let d = chrono::NaiveDate::from_ymd_opt(2025, (k % 12) as u32 + 1, 15).expect("date");
            ws.write_date_with_format(r, 5, d, &date).expect("cell");
        } else {
            ws.write_string(r, 5, DEADLINES[k % DEADLINES.len()])
                .expect("cell");
        }
        let status = STATUSES[k % STATUSES.len()];
        ws.write_string(r, 6, status).expect("cell");
        if status == "Afgewerkt" {
            let d = chrono::NaiveDate::from_ymd_opt(2025, (k % 3) as u32 + 1, (k % 28) as u32 + 1)
                .expect("date");
            ws.write_date_with_format(r, 7, d, &date).expect("cell");
        }
        ws.write_number(r, 8, (k % 101) as f64 / 100.0)
            .expect("cell");
    }
    wb.save(path).expect("save");
}

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
    let input = dir.path().join("scorebord_bench_2025-03.xlsx");
    println!(
        "scoreboard benchmark: {rows} action rows × {} columns",
        HEADER.len()
    );
    timed("generate input (rust_xlsxwriter, constant memory)", || {
        generate(&input, rows)
    });
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
        let per_row = HEADER.len() as u64;
        for i in 0..cells {
            let (r, c) = ((i / per_row) as u32, (i % per_row) as u16);
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
    let (raw, read_ours) = timed("scoreboard: read (isolated child process)", || {
        read_isolated(exe, &input, &ReadLimits::default())
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
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 31).expect("date"),
    };
    let (result, _) = timed("scoreboard: KPIs (polars)", || {
        let a = actions::compute(&cons, periods, &settings).expect("kpi");
        let p = plan_quality::compute(&cons, periods).expect("kpi");
        (a, p)
    });
    println!(
        "actions: {} (on-time KPI rows: {})",
        result.0.records.len(),
        result.0.kpis.len()
    );

    // The whole command, as an analyst runs it.
    let out = dir.path().join("KPI.xlsx");
    let (output, total) = timed("scoreboard report (whole command)", || {
        std::process::Command::new(exe)
            .args([
                "report",
                input.to_str().expect("path"),
                "--month",
                "2025-03",
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
