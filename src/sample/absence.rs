//! The sample's HR tables: absence spells (never overlapping per employee, some still open) and
//! the monthly headcount per directorate they need, as one xlsx of two sheets or as Belgian CSV.
//! Writes files only.

use super::rng::SplitMix64;
use super::{as_of, belgian, cp1252, create_dir, date, serial, write_error, Plan, Written};
use super::{DIRECTORATES, SEED};
use crate::error::RunError;
use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::io::Write;
use std::path::Path;

/// The header of a spells sheet, as an HR export in Dutch names its columns.
pub(crate) const SPELL_HEADER: [&str; 6] = [
    "Personeelsnummer",
    "Directie",
    "Begindatum",
    "Einddatum",
    "Fractie",
    "Type",
];
const HEADCOUNT_HEADER: [&str; 4] = ["Directie", "Maand", "VTE", "Aantal personeelsleden"];
/// Relative size of each directorate of [`DIRECTORATES`].
const UNIT_WEIGHTS: [u32; 8] = [30, 12, 18, 6, 10, 7, 11, 6];
/// Work regimes (fraction of a full-time job) and how common they are.
const REGIMES: [f64; 3] = [1.0, 0.8, 0.5];
const REGIME_WEIGHTS: [u32; 3] = [78, 15, 7];
/// The regimes as a Belgian CSV export writes them.
const REGIMES_CSV: [&str; 3] = ["1", "4/5", "0,5"];
const TYPES: [&str; 3] = ["Ziekte", "Arbeidsongeval", "Beroepsziekte"];
const TYPE_WEIGHTS: [u32; 3] = [93, 5, 2];
/// Spell lengths in calendar days: mostly a day or a few, a tail of long-term sickness beyond a year.
const LENGTHS: [(i64, i64); 7] = [
    (1, 2),
    (3, 5),
    (6, 14),
    (15, 30),
    (31, 120),
    (121, 365),
    (366, 540),
];
const LENGTH_WEIGHTS: [u32; 7] = [400, 300, 150, 100, 40, 8, 2];

/// One employee: directorate (index into [`DIRECTORATES`]), regime (index into [`REGIMES`]) and
/// number of spells.
#[derive(Debug, Clone, Copy)]
struct Employee {
    unit: usize,
    regime: usize,
    spells: usize,
}

/// One spell, in days from the start of the span; `open` leaves the end date empty.
#[derive(Debug, Clone, Copy)]
struct Spell {
    start: usize,
    end: usize,
    open: bool,
    kind: usize,
}

/// Draws `k` non-overlapping spells inside `span` days: lengths first, then the free days spread
/// over the gaps between them. The last spell, when it ends in the final weeks, may still be open.
/// With `overlap`, the second spell then starts inside the first (a day to ten before its end),
/// and every later one inside the one before with a chance of one in five.
fn employee_spells(
    rng: &mut SplitMix64,
    k: usize,
    span: usize,
    overlap: bool,
    out: &mut Vec<Spell>,
) {
    out.clear();
    let mut lengths: Vec<usize> = (0..k)
        .map(|_| {
            let (lo, hi) = LENGTHS[rng.weighted(&LENGTH_WEIGHTS)];
            rng.between(lo, hi) as usize
        })
        .collect();
    while lengths.iter().sum::<usize>() + k > span {
        if let Some(longest) = lengths.iter_mut().max() {
            *longest = (*longest / 2).max(1);
        }
    }
    let slack = span - lengths.iter().sum::<usize>();
    let weights: Vec<f64> = (0..=k).map(|_| rng.unit() + 0.05).collect();
    let total: f64 = weights.iter().sum();
    let mut cursor = 0usize;
    let mut used = 0usize;
    for (i, len) in lengths.iter().enumerate() {
        let gap = ((slack as f64 * weights[i] / total) as usize).min(slack - used);
        used += gap;
        cursor += gap;
        out.push(Spell {
            start: cursor,
            end: cursor + len - 1,
            open: false,
            kind: rng.weighted(&TYPE_WEIGHTS),
        });
        cursor += len;
    }
    if let Some(last) = out.last_mut() {
        last.open = last.end + 45 >= span && rng.chance(0.3);
    }
    if overlap {
        for i in 1..out.len() {
            if i == 1 || rng.chance(0.2) {
                let before = out[i - 1];
                let back = rng.between(1, 10) as usize;
                out[i].start = before.end.saturating_sub(back - 1).max(before.start);
            }
        }
    }
}

/// Every day of the span, from 1 January of `plan.first_year` to the as-of date.
fn span_days(plan: &Plan) -> Vec<NaiveDate> {
    let first = date(plan.first_year, 1, 1);
    let n = (as_of() - first).num_days() as u64 + 1;
    (0..n).map(|i| first + Days::new(i)).collect()
}

/// The months of the span as `YYYY-MM`.
fn months(days: &[NaiveDate]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in days {
        let m = format!("{}-{:02}", d.year(), d.month());
        if out.last() != Some(&m) {
            out.push(m);
        }
    }
    out
}

/// The staff. Spell counts vary from none to twice the plan's mean, drawn in pairs (`k + d` and
/// `k − d`) so that the total stays exactly `plan.spells()`: some employees are never absent.
fn employees(plan: &Plan, rng: &mut SplitMix64) -> Vec<Employee> {
    let k = plan.spells_per_employee as usize;
    let mut d = 0;
    (0..plan.employees as usize)
        .map(|e| {
            let spells = if e % 2 == 1 {
                k - d
            } else if e + 1 < plan.employees as usize {
                d = rng.below(k as u64 + 1) as usize;
                k + d
            } else {
                k
            };
            Employee {
                unit: rng.weighted(&UNIT_WEIGHTS),
                regime: rng.weighted(&REGIME_WEIGHTS),
                spells,
            }
        })
        .collect()
}

/// FTE and persons per directorate (the same every month: the sample has no turnover).
fn headcount(staff: &[Employee]) -> [(f64, u64); 8] {
    let mut per_unit = [(0.0, 0u64); 8];
    for e in staff {
        per_unit[e.unit].0 += REGIMES[e.regime];
        per_unit[e.unit].1 += 1;
    }
    per_unit
}

/// Writes the spells and the headcount: one xlsx with the sheets `Afwezigheden` and `Personeel`,
/// or (`plan.spells_as_csv`) two Belgian CSV files.
///
/// # Errors
/// [`RunError::Write`] naming the file that cannot be written.
pub fn write(plan: &Plan, dir: &Path) -> Result<Vec<Written>, RunError> {
    create_dir(dir)?;
    let mut rng = SplitMix64::new(SEED ^ 0x0AB5_E0CE);
    let staff = employees(plan, &mut rng);
    let days = span_days(plan);
    let span = format!("{}-{}", plan.first_year, as_of().year());
    if plan.spells_as_csv {
        let spells = dir.join(format!("afwezigheidsperiodes_{span}.csv"));
        let rows = write_spells_csv(&spells, &staff, &days, plan.overlapping, &mut rng)
            .map_err(|e| write_error(&spells, e))?;
        let people = dir.join(format!("personeelsbestand_{span}.csv"));
        let months =
            write_headcount_csv(&people, &staff, &days).map_err(|e| write_error(&people, e))?;
        return Ok(vec![
            Written {
                path: spells,
                rows,
                what: "absence spells",
            },
            Written {
                path: people,
                rows: months,
                what: "headcount rows",
            },
        ]);
    }
    let path = dir.join(format!("afwezigheden_{span}.xlsx"));
    let (rows, months) = write_xlsx(&path, &staff, &days, plan.overlapping, &mut rng)
        .map_err(|e| write_error(&path, e))?;
    Ok(vec![
        Written {
            path: path.clone(),
            rows,
            what: "absence spells",
        },
        Written {
            path,
            rows: months,
            what: "headcount rows",
        },
    ])
}

fn write_xlsx(
    path: &Path,
    staff: &[Employee],
    days: &[NaiveDate],
    overlap: bool,
    rng: &mut SplitMix64,
) -> Result<(u64, u64), XlsxError> {
    let mut wb = Workbook::new();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    let header = Format::new().set_bold();
    let serials: Vec<f64> = days.iter().map(|d| serial(*d)).collect();
    let mut rows = 0u64;
    {
        // Low-memory mode: rows go to disk as they are written (a million spells in bounded memory).
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name("Afwezigheden")?;
        for (c, width) in [16.0, 36.0, 12.0, 12.0, 8.0, 14.0].iter().enumerate() {
            ws.set_column_width(c as u16, *width)?;
        }
        for (c, h) in SPELL_HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header)?;
        }
        let mut spells = Vec::new();
        for (e, emp) in staff.iter().enumerate() {
            employee_spells(rng, emp.spells, days.len(), overlap, &mut spells);
            for s in &spells {
                rows += 1;
                let r = rows as u32;
                ws.write_number(r, 0, 100_001.0 + e as f64)?;
                ws.write_string(r, 1, DIRECTORATES[emp.unit])?;
                ws.write_number_with_format(r, 2, serials[s.start], &date_format)?;
                if !s.open {
                    ws.write_number_with_format(r, 3, serials[s.end], &date_format)?;
                }
                ws.write_number(r, 4, REGIMES[emp.regime])?;
                ws.write_string(r, 5, TYPES[s.kind])?;
            }
        }
    }
    let mut months_written = 0u64;
    {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name("Personeel")?;
        for (c, h) in HEADCOUNT_HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &header)?;
        }
        let per_unit = headcount(staff);
        for (u, unit) in DIRECTORATES.iter().enumerate() {
            for m in months(days) {
                months_written += 1;
                let r = months_written as u32;
                ws.write_string(r, 0, *unit)?;
                ws.write_string(r, 1, &m)?;
                ws.write_number(r, 2, (per_unit[u].0 * 10.0).round() / 10.0)?;
                ws.write_number(r, 3, per_unit[u].1 as f64)?;
            }
        }
    }
    wb.save(path)?;
    Ok((rows, months_written))
}

/// Ten million rows as an HR system exports them for Excel users: `;`, Windows-1252, CRLF,
/// day-first dates, the work regime as `4/5` or with a decimal comma.
fn write_spells_csv(
    path: &Path,
    staff: &[Employee],
    days: &[NaiveDate],
    overlap: bool,
    rng: &mut SplitMix64,
) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    out.write_all(&cp1252(&SPELL_HEADER.join(";")))?;
    out.write_all(b"\r\n")?;
    let dates: Vec<Vec<u8>> = days.iter().map(|d| belgian(*d).into_bytes()).collect();
    let units: Vec<Vec<u8>> = DIRECTORATES.iter().map(|u| cp1252(u)).collect();
    let mut rows = 0u64;
    let mut spells = Vec::new();
    for (e, emp) in staff.iter().enumerate() {
        employee_spells(rng, emp.spells, days.len(), overlap, &mut spells);
        for s in &spells {
            write!(out, "{};", 100_001 + e)?;
            out.write_all(&units[emp.unit])?;
            out.write_all(b";")?;
            out.write_all(&dates[s.start])?;
            out.write_all(b";")?;
            if !s.open {
                out.write_all(&dates[s.end])?;
            }
            out.write_all(b";")?;
            out.write_all(REGIMES_CSV[emp.regime].as_bytes())?;
            out.write_all(b";")?;
            out.write_all(TYPES[s.kind].as_bytes())?;
            out.write_all(b"\r\n")?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

fn write_headcount_csv(
    path: &Path,
    staff: &[Employee],
    days: &[NaiveDate],
) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(&cp1252(&HEADCOUNT_HEADER.join(";")))?;
    out.write_all(b"\r\n")?;
    let per_unit = headcount(staff);
    let mut rows = 0;
    for (u, unit) in DIRECTORATES.iter().enumerate() {
        for m in months(days) {
            let fte = format!("{:.1}", per_unit[u].0).replace('.', ",");
            let line = format!("{unit};{m};{fte};{}\r\n", per_unit[u].1);
            out.write_all(&cp1252(&line))?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_of_one_employee_never_overlap_and_stay_in_the_span() {
        let mut rng = SplitMix64::new(11);
        let mut spells = Vec::new();
        for k in [0usize, 1, 5, 20, 40] {
            for _ in 0..2_000 {
                employee_spells(&mut rng, k, 731, false, &mut spells);
                assert_eq!(spells.len(), k);
                for pair in spells.windows(2) {
                    assert!(pair[0].end < pair[1].start, "{pair:?}");
                }
                for s in &spells {
                    assert!(s.start <= s.end && s.end < 731, "{s:?}");
                }
                assert!(spells.iter().rev().skip(1).all(|s| !s.open));
            }
        }
    }

    #[test]
    fn messy_spells_overlap_the_one_before_and_stay_in_the_span() {
        let mut rng = SplitMix64::new(11);
        let mut spells = Vec::new();
        for k in [2usize, 5, 50] {
            for _ in 0..500 {
                employee_spells(&mut rng, k, 1096, true, &mut spells);
                assert_eq!(spells.len(), k);
                assert!(spells[1].start <= spells[0].end, "{spells:?}");
                assert!(spells[1].start >= spells[0].start);
                for s in &spells {
                    assert!(s.start <= s.end && s.end < 1096, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn spell_counts_vary_but_add_up_to_the_plan() {
        let plan = super::super::Size::Small.plan();
        let staff = employees(&plan, &mut SplitMix64::new(5));
        let total: usize = staff.iter().map(|e| e.spells).sum();
        assert_eq!(total as u64, plan.spells());
        assert!(staff.iter().any(|e| e.spells == 0));
        assert!(staff.iter().any(|e| e.spells == 10));
    }

    #[test]
    fn belgian_csv_spells_and_headcount_are_read_without_errors() {
        use crate::model::Severity;
        let plan = Plan {
            employees: 40,
            spells_as_csv: true,
            ..super::super::Size::Small.plan()
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let written = write(&plan, dir.path()).expect("write");
        let files = written
            .iter()
            .map(|w| crate::read::FileRead {
                path: w.path.clone(),
                name: w.path.display().to_string(),
                result: std::sync::Arc::new(crate::read::read_file(&w.path, &Default::default())),
            })
            .collect();
        let cons = crate::test_support::consolidated(files, &crate::config::Settings::default());
        let errors: Vec<_> = cons
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let rows = |kind| cons.table(kind).map_or(0, |t| t.rows.len());
        assert_eq!(rows("absence_spells") as u64, plan.spells());
        assert_eq!(rows("headcount"), 8 * 24);
    }

    #[test]
    fn the_span_runs_from_the_first_year_to_the_as_of_date() {
        let plan = super::super::Size::Small.plan();
        let days = span_days(&plan);
        assert_eq!(days.first(), Some(&date(2024, 1, 1)));
        assert_eq!(days.last(), Some(&as_of()));
        assert_eq!(months(&days).len(), 24);
    }
}
