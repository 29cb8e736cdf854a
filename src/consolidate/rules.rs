//! Rules that read one typed row as a whole, where a cell alone cannot tell: a done action
//! needs a completion date; an indicator measured in % reads `99,2` as 99.2 %. Each raises its
//! issue at the cell, quoting it as typed; none leaves a row out.

use super::column_name;
use crate::model::{Issue, Origin, Reason, Severity, Status, Value};
use crate::parse::{normalize, parse_number_text};
use crate::read::{RawCell, RawRow};
use crate::schema::{column, Col, Layout};

const STATUS: Col = column("actions", "status");
const COMPLETED_ON: Col = column("actions", "completed_on");
const UNIT_OF_MEASURE: Col = column("indicators", "unit_of_measure");
const ACTUAL: Col = column("indicators", "actual");
const TARGET: Col = column("indicators", "target");

/// A bare number above this in a % indicator is a percentage (`99,2`), not a fraction (`0,87`).
const PERCENT_FROM: f64 = 1.5;

/// Applies the row rules of the row's kind to its typed values.
pub(super) fn check_row(
    layout: &Layout,
    row: &RawRow,
    origin: &Origin,
    values: &mut [Value],
    issues: &mut Vec<Issue>,
) {
    match layout.kind.name {
        "actions" => done_needs_a_date(layout, row, origin, values, issues),
        "indicators" => percent_indicator(layout, row, origin, values, issues),
        _ => {}
    }
}

/// The sheet column of a kind column, if the sheet has it.
fn sheet_column(layout: &Layout, col: Col) -> Option<u32> {
    layout
        .columns
        .iter()
        .find(|(_, i)| *i == col.index)
        .map(|(c, _)| *c)
}

/// Status done without a completion date: the action cannot be judged on time or late.
fn done_needs_a_date(
    layout: &Layout,
    row: &RawRow,
    origin: &Origin,
    values: &[Value],
    issues: &mut Vec<Issue>,
) {
    if values[STATUS.index] != Value::Status(Status::Done) || !values[COMPLETED_ON.index].is_empty()
    {
        return;
    }
    let Some(c) = sheet_column(layout, STATUS) else {
        return;
    };
    let typed = row.get(c).map(RawCell::as_typed).unwrap_or_default();
    issues.push(
        Issue::at_cell(
            origin,
            c,
            typed.trim(),
            Severity::Warning,
            Reason::new("done_without_date")
                .arg("value", typed.trim())
                .columns(
                    "column",
                    vec![column_name(layout, origin, COMPLETED_ON.index)],
                )
                .phrase("hint", Reason::new("no_hint")),
        )
        .parsed_as("done"),
    );
}

/// Whether a unit of measure says percent.
fn is_percent_unit(unit: &str) -> bool {
    unit.trim() == "%"
        || matches!(
            normalize(unit).as_str(),
            "percent" | "procent" | "pourcent" | "pourcentage" | "percentage" | "pct"
        )
}

/// In an indicator whose unit is %, a bare number above 1.5 is a percentage (`99,2` → 99.2 %),
/// noted at the cell; a value typed with `%` already is one, and `0,87` stays a fraction.
fn percent_indicator(
    layout: &Layout,
    row: &RawRow,
    origin: &Origin,
    values: &mut [Value],
    issues: &mut Vec<Issue>,
) {
    if !values[UNIT_OF_MEASURE.index]
        .as_text()
        .is_some_and(is_percent_unit)
    {
        return;
    }
    for col in [ACTUAL, TARGET] {
        let Some(c) = sheet_column(layout, col) else {
            continue;
        };
        let Some(cell) = row.get(c) else {
            continue;
        };
        let with_sign = match cell {
            RawCell::Text(t) => parse_number_text(t).is_some_and(|p| p.percent_sign),
            _ => false,
        };
        let Value::Number(n) = values[col.index] else {
            continue;
        };
        if with_sign || n <= PERCENT_FROM {
            continue;
        }
        values[col.index] = Value::Number(n / 100.0);
        issues.push(
            Issue::at_cell(
                origin,
                c,
                cell.as_typed(),
                Severity::Info,
                Reason::new("read_as_percent")
                    .columns("column", vec![column_name(layout, origin, col.index)])
                    .tenths("percent", (n * 10.0).round().max(0.0) as u64),
            )
            .parsed_as((n / 100.0).to_string()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_percent_unit;

    #[test]
    fn percent_units_in_three_languages() {
        for unit in [
            "%",
            " % ",
            "Percent",
            "procent",
            "pourcentage",
            "Percentage",
        ] {
            assert!(is_percent_unit(unit), "{unit}");
        }
        for unit in ["dagen", "€", "aantal", "pp", ""] {
            assert!(!is_percent_unit(unit), "{unit}");
        }
    }
}
