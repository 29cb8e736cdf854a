//! Monthly snapshots of the same action merged into one as of a date: rows reported after it are
//! left out, the latest report wins, the deadline first agreed is remembered (spec 5.1), and every
//! row left out or superseded is counted, none dropped silently.

use super::Table;
use crate::config::{DeadlineBasis, Settings};
use crate::model::{Arg, Deadline, Issue, Precision, Reason, Severity, Status, Value};
use crate::parse::period_from_file_name;
use crate::schema::{column, Col};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

const REPORT_DATE: Col = column("actions", "report_date");

/// What the merge knows about one action beyond its winning row.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionLineage {
    /// Status with the spec's defaults applied (empty + completion date → done, else not started).
    pub status: Status,
    /// D: the deadline the action is judged against (baseline, else oldest snapshot, or current
    /// by config), with `einde mandaat` resolved when the config gives the mandate's end.
    pub judged_deadline: Option<Deadline>,
    /// The deadline in the winning (latest) report.
    pub reported_deadline: Option<Deadline>,
    /// Report date of the winning row (column, else file name), if known.
    pub report_date: Option<NaiveDate>,
    /// Report date of the oldest row of this action.
    pub first_report: Option<NaiveDate>,
    /// How many rows reported this action.
    pub snapshots: usize,
    /// The reported deadline differs from the one first agreed.
    pub rescheduled: bool,
}

/// Result of merging the actions table in place.
pub struct Merged {
    /// Rows replaced by a later report.
    pub superseded: usize,
    /// Where each row the merge left out came from: the rows reported after the as-of date,
    /// then the replaced ones, in table order.
    pub left_out: Vec<super::Origin>,
    /// Lineage aligned with the table's remaining rows.
    pub lineage: Vec<ActionLineage>,
}

/// The report date of action rows: a row's `report_date` column, else the month in its file
/// name (last day), else none (undated: loses against any dated report). The date in a file's
/// name is worked out once for the rows of that file that follow one another (a file's rows
/// come together), not once per row: 200,000 actions without a report date column made it
/// 400,000 times, 0.5 s of the merge.
#[derive(Default)]
pub(super) struct ReportDates {
    /// The last file name looked at, and the date in it.
    last_file: Option<(String, Option<NaiveDate>)>,
}

impl ReportDates {
    pub(super) fn of(
        &mut self,
        kind: &crate::schema::KindDef,
        row: &super::TypedRow,
    ) -> Option<NaiveDate> {
        debug_assert_eq!(kind.name, REPORT_DATE.kind);
        if let Some(date) = row.values.get(REPORT_DATE.index).and_then(Value::as_date) {
            return Some(date);
        }
        let file = row.origin.file();
        match &self.last_file {
            Some((name, date)) if name == file => *date,
            _ => {
                let date = period_from_file_name(file);
                self.last_file = Some((file.to_string(), date));
                date
            }
        }
    }
}

/// Keeps one row per action (latest report date; ties → the file that sorts last by path),
/// among the rows reported on or before `as_of` (and undated ones). This is the one place the
/// snapshot rule is applied: a report as of A and the previous-month view of a later report
/// both come through here, so a past month is rebuilt exactly from an inbox that holds later
/// reports. Rows reported after `as_of` are left out and counted as an `info` issue per file;
/// they are never judged (no "completed after the as-of date" warning for a later report).
pub fn merge_snapshots(
    table: &mut Table,
    settings: &Settings,
    as_of: Option<NaiveDate>,
    issues: &mut Vec<Issue>,
) -> Merged {
    let kind = table.kind;
    let mut left_out = Vec::new();
    if let Some(as_of) = as_of {
        leave_out_later_reports(table, as_of, issues, &mut left_out);
    }
    let mut dates = ReportDates::default();
    let report_dates: Vec<Option<NaiveDate>> =
        table.rows.iter().map(|row| dates.of(kind, row)).collect();
    let mut keep = Vec::new();
    let mut lineage = Vec::new();
    let mut lost_per_file: BTreeMap<String, usize> = BTreeMap::new();
    for mut members in action_groups(table) {
        // Undated reports sort first (they lose against any dated one), then by path and row.
        members.sort_by(|a, b| {
            let (ra, rb) = (&table.rows[*a], &table.rows[*b]);
            (report_dates[*a], &ra.origin.file(), ra.origin.row).cmp(&(
                report_dates[*b],
                &rb.origin.file(),
                rb.origin.row,
            ))
        });
        let Some(&winner) = members.last() else {
            continue;
        };
        if let [.., prev, _] = members.as_slice() {
            issues.extend(reported_twice(table, &report_dates, *prev, winner));
        }
        for loser in &members[..members.len() - 1] {
            *lost_per_file
                .entry(table.rows[*loser].origin.file().to_string())
                .or_default() += 1;
        }
        lineage.push(lineage_of(table, &members, &report_dates, settings, issues));
        keep.push(winner);
    }
    let superseded = table.rows.len() - keep.len();
    for (file, n) in lost_per_file {
        issues.push(Issue::at_file(
            file,
            "",
            Severity::Info,
            Reason::new("superseded").arg("n", n),
        ));
    }
    let mut rows: Vec<Option<super::TypedRow>> = std::mem::take(&mut table.rows)
        .into_iter()
        .map(Some)
        .collect();
    table.rows = keep.into_iter().filter_map(|i| rows[i].take()).collect();
    left_out.extend(rows.into_iter().flatten().map(|row| row.origin));
    Merged {
        superseded,
        left_out,
        lineage,
    }
}

const ID: Col = column("actions", "action_id");
const DEADLINE: Col = column("actions", "deadline");
const BASELINE: Col = column("actions", "baseline_deadline");
const STATUS: Col = column("actions", "status");
const COMPLETED_ON: Col = column("actions", "completed_on");

fn value(row: &super::TypedRow, c: Col) -> Value {
    row.values.get(c.index).cloned().unwrap_or(Value::Empty)
}

/// The rows of each action (its id trimmed, in any case: spellings were joined before), the
/// actions in the order first seen.
fn action_groups(table: &Table) -> Vec<Vec<usize>> {
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let id = row
            .values
            .get(ID.index)
            .and_then(Value::as_text)
            .unwrap_or_default();
        let g = *group_of.entry(id.trim().to_lowercase()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    groups
}

/// A warning when the winning row and the one before it report the same date with other
/// contents: the latter wins because its file sorts last.
fn reported_twice(
    table: &Table,
    report_dates: &[Option<NaiveDate>],
    prev: usize,
    winner: usize,
) -> Option<Issue> {
    let (p, w) = (&table.rows[prev], &table.rows[winner]);
    if report_dates[prev] != report_dates[winner] || p.values == w.values {
        return None;
    }
    let date = report_dates[winner].map_or(Arg::Reason(Reason::new("no_report_date")), Arg::Date);
    Some(Issue::at_column(
        &w.origin,
        ID.index,
        value(w, ID).as_text().unwrap_or_default(),
        Severity::Warning,
        Reason {
            key: "reported_twice",
            args: vec![("date", date)],
        }
        .arg("file_a", p.origin.file())
        .arg("row_a", p.origin.row)
        .arg("file_b", w.origin.file())
        .arg("row_b", w.origin.row),
    ))
}

/// What the merge knows of one action, from its rows sorted oldest report first: the deadline
/// it is judged against (baseline, else the oldest snapshot's, or the latest by config; `einde
/// mandaat` resolved, or a warning), the status with its defaults, its report dates.
fn lineage_of(
    table: &Table,
    members: &[usize],
    report_dates: &[Option<NaiveDate>],
    settings: &Settings,
    issues: &mut Vec<Issue>,
) -> ActionLineage {
    let winner = members[members.len() - 1];
    let w = &table.rows[winner];
    let reported = value(w, DEADLINE).as_deadline();
    let oldest = members
        .iter()
        .find_map(|m| value(&table.rows[*m], DEADLINE).as_deadline());
    let agreed = match settings.actions.deadline {
        DeadlineBasis::Current => reported,
        DeadlineBasis::Baseline => value(w, BASELINE).as_deadline().or(oldest),
    };
    let judged = match (agreed, settings.plan.mandate_end) {
        (Some(Deadline::EndOfMandate), Some(end)) => Some(Deadline::Date(end, Precision::Day)),
        (Some(Deadline::EndOfMandate), None) => {
            issues.push(Issue::at_column(
                &w.origin,
                DEADLINE.index,
                "",
                Severity::Warning,
                Reason::new("end_of_mandate_unset"),
            ));
            agreed
        }
        _ => agreed,
    };
    let status = match w.values.get(STATUS.index) {
        Some(Value::Status(s)) => *s,
        _ if value(w, COMPLETED_ON).as_date().is_some() => Status::Done,
        _ => Status::NotStarted,
    };
    ActionLineage {
        status,
        judged_deadline: judged,
        reported_deadline: reported,
        report_date: report_dates[winner],
        first_report: members.first().and_then(|m| report_dates[*m]),
        snapshots: members.len(),
        rescheduled: differs(agreed, reported),
    }
}

/// Removes the rows reported after `as_of`, with one `info` issue per file that had some.
fn leave_out_later_reports(
    table: &mut Table,
    as_of: NaiveDate,
    issues: &mut Vec<Issue>,
    left_out: &mut Vec<super::Origin>,
) {
    let kind = table.kind;
    let mut later_per_file: BTreeMap<String, (usize, NaiveDate)> = BTreeMap::new();
    let mut dates = ReportDates::default();
    table.rows.retain(|row| match dates.of(kind, row) {
        Some(date) if date > as_of => {
            let entry = later_per_file
                .entry(row.origin.file().to_string())
                .or_insert((0, date));
            entry.0 += 1;
            entry.1 = entry.1.max(date);
            left_out.push(row.origin.clone());
            false
        }
        _ => true,
    });
    for (file, (n, latest)) in later_per_file {
        issues.push(Issue::at_file(
            file,
            "",
            Severity::Info,
            Reason::new("reported_after_as_of")
                .arg("n", n)
                .date("as_of", as_of)
                .date("latest", latest),
        ));
    }
}

/// Whether a reported deadline moved away from the judged one (same day in another precision
/// — `maart 2025` and `31/03/2025` — is no move).
fn differs(judged: Option<Deadline>, reported: Option<Deadline>) -> bool {
    match (judged, reported) {
        (Some(Deadline::Date(a, _)), Some(Deadline::Date(b, _))) => a != b,
        (Some(a), Some(b)) => std::mem::discriminant(&a) != std::mem::discriminant(&b),
        _ => false,
    }
}
