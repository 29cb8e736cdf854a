//! The Actions sheet (rates per directorate and objective, the overdue and late list, the
//! rescheduled list) and the Plan quality sheet (SMART completeness, incomplete actions).
//! Stacked tables share column meanings (name, rate, status, counts) so widths suit them all.

use super::styles::Styles;
use super::table::{write_blocks, Block, Out, Widths};
use super::Report;
use crate::config::Thresholds;
use crate::kpi::actions::{ActionClass, ActionRecord, Tally};
use crate::kpi::{Figure, NO_KEY};
use crate::model::Deadline;
use rust_xlsxwriter::{Workbook, XlsxError};
use std::collections::BTreeMap;

const COUNTED: [ActionClass; 7] = [
    ActionClass::OnTime,
    ActionClass::Late,
    ActionClass::Overdue,
    ActionClass::Open,
    ActionClass::Continuous,
    ActionClass::Undated,
    ActionClass::Cancelled,
];

fn status_cell(report: &Report, r: &Figure) -> Out {
    if r.status.is_empty() {
        Out::Empty
    } else {
        Out::Status(
            super::dashboard::status_word(report.labels, r),
            r.status.clone(),
        )
    }
}

fn deadline_cell(report: &Report, d: Option<Deadline>) -> Out {
    match d {
        Some(Deadline::Date(date, _)) => Out::Date(Some(date)),
        Some(other) => Out::text(report.labels.deadline(other.kind_name())),
        None => Out::Empty,
    }
}

/// "file.xlsx › Sheet › A14": the file name only (the Data sheet has the full path).
fn short_source(source: &str) -> String {
    let (file, rest) = source.split_once(" › ").unwrap_or((source, ""));
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    if rest.is_empty() {
        name.to_string()
    } else {
        format!("{name} › {rest}")
    }
}

/// One action of a list: id and title, directorate, agreed and reported deadlines, completion,
/// then the list's own situation and day-count cells, and the source cell.
fn action_row(report: &Report, a: &ActionRecord, situation: Out, days: Out) -> Vec<Out> {
    vec![
        Out::Wrap(format!("{} – {}", a.id, a.title)),
        Out::Wrap(a.owner.to_string()),
        Out::Date(a.judged_deadline),
        deadline_cell(report, a.reported_deadline),
        Out::Date(a.completed_on),
        situation,
        days,
        Out::Wrap(short_source(&a.source())),
    ]
}

/// A summary row: the group's name, its on-time rate and status, then its count of each class.
fn summary_row(name: String, report: &Report, t: &Tally, thresholds: Thresholds) -> Vec<Out> {
    let rate = t.on_time_rate(thresholds);
    let mut row = vec![
        Out::text(name),
        Out::Pct(rate.value),
        status_cell(report, &rate),
    ];
    row.extend(COUNTED.iter().map(|c| Out::Int(f64::from(t.get(*c)))));
    row
}

/// The group an action belongs to: its value, or the one key of rows without one (never a
/// display label, so translating the label cannot move actions between groups).
fn group_key(value: &str) -> &str {
    if value.is_empty() {
        NO_KEY
    } else {
        value
    }
}

/// The Actions sheet's tables: rates per directorate (with the total) and per objective, the
/// overdue and late actions, the rescheduled ones. None without actions.
pub fn actions_blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let records = &report.actions.records;
    let Some(tallies) = &report.actions.tallies else {
        return Vec::new();
    };
    let thresholds = tallies.thresholds;
    let by = |scope: &str, groups: &[(String, Tally)]| -> Vec<Vec<Out>> {
        groups
            .iter()
            .map(|(key, t)| summary_row(l.group(scope, key), report, t, thresholds))
            .collect()
    };
    let mut owner_rows = by("owner", &tallies.by_owner);
    owner_rows.push(summary_row(
        l.total.clone(),
        report,
        &tallies.all,
        thresholds,
    ));
    let objective_rows = by("objective", &tallies.by_objective);
    let mut late: Vec<&ActionRecord> = records
        .iter()
        .filter(|a| matches!(a.class, ActionClass::Late | ActionClass::Overdue))
        .collect();
    late.sort_by(|a, b| b.days_late.cmp(&a.days_late).then_with(|| a.id.cmp(&b.id)));
    let late_rows: Vec<Vec<Out>> = late
        .iter()
        .map(|a| {
            let colour = if a.class == ActionClass::Overdue {
                "red"
            } else {
                "amber"
            };
            let situation = Out::Status(l.class(a.class.as_str()), colour.into());
            action_row(
                report,
                a,
                situation,
                a.days_late.map_or(Out::Empty, |d| Out::Int(d as f64)),
            )
        })
        .collect();
    let moved: Vec<Vec<Out>> = records
        .iter()
        .filter(|a| {
            a.rescheduled && !matches!(a.class, ActionClass::Cancelled | ActionClass::Unknown)
        })
        .map(|a| {
            let moved_by = match (
                a.judged_deadline,
                a.reported_deadline.and_then(|d| d.date()),
            ) {
                (Some(agreed), Some(now)) => Out::Delta((now - agreed).num_days() as f64),
                _ => Out::Empty,
            };
            action_row(report, a, Out::text(l.class(a.class.as_str())), moved_by)
        })
        .collect();
    vec![
        Block::new("OnTimeByOwner", &l.owner_columns, owner_rows).titled(&l.by_owner),
        Block::new("OnTimeByObjective", &l.objective_columns, objective_rows)
            .titled(&l.by_objective),
        Block::new("OverdueAndLate", &l.late_columns, late_rows).titled(&l.overdue_late),
        Block::new("Rescheduled", &l.rescheduled_columns, moved).titled(&l.rescheduled),
    ]
}

/// Writes the Actions sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_actions(wb: &mut Workbook, styles: &Styles, report: &Report) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = super::report_sheet(wb, styles, &l.sheet_actions, report)?;
    // Several stacked tables: keep the title rows in view.
    ws.set_freeze_panes(2, 0)?;
    let mut widths = Widths::default();
    // Wrapped columns: action titles, directorates, sources.
    widths.pin(0, 50);
    widths.pin(1, 26);
    widths.pin(7, 34);
    let blocks = actions_blocks(report);
    if blocks.is_empty() {
        return Ok(());
    }
    write_blocks(ws, styles, &mut widths, 2, &blocks, l)?;
    widths.apply(ws)?;
    Ok(())
}

/// The Plan quality sheet's tables: SMART completeness per directorate (with the total), and
/// the incomplete actions with what they lack.
pub fn plan_blocks(report: &Report) -> Vec<Block> {
    let l = report.labels;
    let mut missing_by_owner: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for a in &report.plan.incomplete {
        for m in &a.missing {
            *missing_by_owner
                .entry(group_key(&a.owner))
                .or_default()
                .entry(m)
                .or_default() += 1;
        }
    }
    let mut rows: Vec<Vec<Out>> = report
        .plan
        .by_owner
        .iter()
        .map(|(key, r)| {
            let most = missing_by_owner
                .get(key.as_str())
                .and_then(|m| {
                    m.iter()
                        .max_by_key(|(_, n)| **n)
                        .map(|(k, n)| format!("{} ({n})", l.smart_element(k)))
                })
                .unwrap_or_default();
            vec![
                Out::text(l.group("owner", key)),
                Out::Pct(r.value),
                r.numerator.map_or(Out::Empty, Out::Int),
                r.denominator.map_or(Out::Empty, Out::Int),
                Out::text(most),
            ]
        })
        .collect();
    if let Some(all) = &report.plan.all {
        rows.push(vec![
            Out::text(l.total.as_str()),
            Out::Pct(all.value),
            all.numerator.map_or(Out::Empty, Out::Int),
            all.denominator.map_or(Out::Empty, Out::Int),
            Out::Empty,
        ]);
    }
    let list: Vec<Vec<Out>> = report
        .plan
        .incomplete
        .iter()
        .map(|a| {
            vec![
                Out::Wrap(format!("{} – {}", a.id, a.title)),
                Out::Status(
                    a.missing
                        .iter()
                        .map(|m| l.smart_element(m))
                        .collect::<Vec<_>>()
                        .join(", "),
                    "amber".into(),
                ),
                Out::Wrap(a.owner.clone()),
                Out::Wrap(short_source(&a.source)),
            ]
        })
        .collect();
    vec![
        Block::new("SmartByOwner", &l.smart_columns, rows).titled(&l.smart_by_owner),
        Block::new("IncompleteActions", &l.incomplete_columns, list).titled(&l.incomplete_actions),
    ]
}

/// Writes the Plan quality sheet.
///
/// # Errors
/// A rust_xlsxwriter error.
pub fn write_plan_quality(
    wb: &mut Workbook,
    styles: &Styles,
    report: &Report,
) -> Result<(), XlsxError> {
    let l = report.labels;
    let ws = super::report_sheet(wb, styles, &l.sheet_plan_quality, report)?;
    // Several stacked tables: keep the title rows in view.
    ws.set_freeze_panes(2, 0)?;
    let mut widths = Widths::default();
    widths.pin(0, 50);
    widths.pin(2, 26);
    widths.pin(3, 34);
    write_blocks(ws, styles, &mut widths, 2, &plan_blocks(report), l)?;
    widths.apply(ws)?;
    Ok(())
}
