//! Absenteeism (spec 5.2; seed 004, transversal objective 2, measure point 2.2): sick days over
//! workable days per unit and month — from monthly totals, or from raw HR spells spread over
//! working days with polars — then the rolling 12 months, year over year, trend and the Belgian
//! short / medium / long split. The `all` scope is always Σ sick / Σ workable.

use super::calendar::Calendar;
use super::{Figure, Kpi, KpiRow, Periods, NO_KEY};
use crate::config::Settings;
use crate::consolidate::{Consolidated, Table, TypedRow};
use crate::model::{Grain, Issue, Reason, Severity, Value};
use crate::schema::{column, Col};
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const SPELL_START: Col = column("absence_spells", "start");
const SPELL_END: Col = column("absence_spells", "end");
const SPELL_EMPLOYEE: Col = column("absence_spells", "employee_id");
const SPELL_UNIT: Col = column("absence_spells", "unit");
const SPELL_FRACTION: Col = column("absence_spells", "fraction");
const MONTHLY_MONTH: Col = column("absence_monthly", "month");
const MONTHLY_UNIT: Col = column("absence_monthly", "unit");
const MONTHLY_FTE: Col = column("absence_monthly", "fte");
const MONTHLY_WORKABLE: Col = column("absence_monthly", "workable_days");
const MONTHLY_SICK: Col = column("absence_monthly", "sick_days");
const HEADCOUNT_MONTH: Col = column("headcount", "month");
const HEADCOUNT_UNIT: Col = column("headcount", "unit");
const HEADCOUNT_FTE: Col = column("headcount", "fte");
const HEADCOUNT_PERSONS: Col = column("headcount", "persons");

/// One unit-month of the absence table.
#[derive(Debug, Clone, Default, PartialEq)]
struct UnitMonth {
    sick: f64,
    workable: Option<f64>,
    /// Sick days per spell class (spells only).
    by_class: Option<[f64; 3]>,
    fte: Option<f64>,
}

/// The absence figures of the whole organisation and of each unit, and the issues found.
#[derive(Debug, Default)]
pub struct AbsenceResult {
    /// The whole organisation first, then each unit in name order (none without absence data).
    pub series: Vec<AbsenceSeries>,
    /// Spells with an end before their start, overlapping spells, coarse periods.
    pub issues: Vec<Issue>,
    /// Units in name order.
    pub units: Vec<String>,
    /// Months `YYYY-MM` in order: every month of the data up to A.
    pub months: Vec<String>,
    /// The as-of date `YYYY-MM-DD`, the period of the zero-absence share.
    pub as_of: String,
}

/// One scope's absence: the whole organisation (`all`) or one unit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AbsenceSeries {
    /// `all` or `unit`.
    pub scope: &'static str,
    /// The unit; empty for `all`.
    pub key: String,
    /// Its months with data, in order.
    pub months: Vec<AbsenceMonth>,
    /// The trend over the 12 months ending at A (at least 6 of them with a rate): its month,
    /// the slope (`value`, points per month) over the months used (`denominator`), its label.
    pub trend: Option<(String, Figure)>,
    /// Spell-based figures per month of the data (spells only): spells started per FTE, and
    /// the mean calendar days of the spells that ended.
    pub spell_months: Vec<SpellMonth>,
    /// Share of persons without a spell this plan year up to A (with a persons column).
    pub zero_share: Option<Figure>,
}

/// One month of one scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AbsenceMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `absence_rate`: sick days over workable days.
    pub rate: Figure,
    /// `absence_rate_12m`, when each of the 12 months ending here has workable days.
    pub rate_12m: Option<Figure>,
    /// `absence_rate_yoy`: the rate minus the rate 12 months before, when both exist.
    pub yoy: Option<Figure>,
    /// `absence_short_rate`, `absence_medium_rate`, `absence_long_rate` (from spells).
    pub classes: Option<[Figure; 3]>,
}

/// The spell-based figures of one month of one scope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpellMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `absence_frequency`: spells started per FTE (with FTE that month).
    pub frequency: Option<Figure>,
    /// `absence_avg_duration`: mean calendar days of the spells that ended (when some did).
    pub avg_duration: Option<Figure>,
}

const CLASS_KPIS: [Kpi; 3] = [
    Kpi::AbsenceShortRate,
    Kpi::AbsenceMediumRate,
    Kpi::AbsenceLongRate,
];

impl AbsenceSeries {
    /// A month of this scope, if it has data.
    pub fn month(&self, month: &str) -> Option<&AbsenceMonth> {
        self.months
            .binary_search_by(|m| m.month.as_str().cmp(month))
            .ok()
            .map(|i| &self.months[i])
    }

    /// The rows of the KPI table of the series' months and trend.
    fn rows(&self) -> Vec<KpiRow> {
        let (scope, key) = (self.scope, self.key.as_str());
        let mut rows = Vec::new();
        for m in &self.months {
            let p = m.month.as_str();
            rows.push(m.rate.row(Kpi::AbsenceRate, scope, key, p));
            rows.extend(
                m.rate_12m
                    .iter()
                    .map(|f| f.row(Kpi::AbsenceRate12m, scope, key, p)),
            );
            rows.extend(
                m.yoy
                    .iter()
                    .map(|f| f.row(Kpi::AbsenceRateYoy, scope, key, p)),
            );
            for (kpi, f) in CLASS_KPIS.iter().zip(m.classes.iter().flatten()) {
                rows.push(f.row(*kpi, scope, key, p));
            }
        }
        rows.extend(
            self.trend
                .iter()
                .map(|(month, f)| f.row(Kpi::AbsenceTrend, scope, key, month)),
        );
        rows
    }

    /// The rows of the spell-based figures.
    fn spell_rows(&self, as_of: &str) -> Vec<KpiRow> {
        let (scope, key) = (self.scope, self.key.as_str());
        let mut rows = Vec::new();
        for m in &self.spell_months {
            let p = m.month.as_str();
            rows.extend(
                m.frequency
                    .iter()
                    .map(|f| f.row(Kpi::AbsenceFrequency, scope, key, p)),
            );
            rows.extend(
                m.avg_duration
                    .iter()
                    .map(|f| f.row(Kpi::AbsenceAvgDuration, scope, key, p)),
            );
        }
        rows.extend(
            self.zero_share
                .iter()
                .map(|f| f.row(Kpi::AbsenceZeroShare, scope, key, as_of)),
        );
        rows
    }
}

impl AbsenceResult {
    /// The rows of the KPI table: each scope's monthly rates and trend, then each scope's
    /// spell-based figures.
    pub fn rows(&self) -> Vec<KpiRow> {
        let mut rows: Vec<KpiRow> = self.series.iter().flat_map(AbsenceSeries::rows).collect();
        rows.extend(self.series.iter().flat_map(|s| s.spell_rows(&self.as_of)));
        rows
    }

    /// The whole organisation's series.
    pub fn all(&self) -> Option<&AbsenceSeries> {
        self.series.first().filter(|s| s.scope == "all")
    }

    /// A unit's series.
    pub fn unit(&self, unit: &str) -> Option<&AbsenceSeries> {
        self.series
            .iter()
            .find(|s| s.scope == "unit" && s.key == unit)
    }
}

fn month_index(d: NaiveDate) -> i32 {
    d.year() * 12 + d.month0() as i32
}

fn month_label(index: i32) -> String {
    format!(
        "{:04}-{:02}",
        index.div_euclid(12),
        index.rem_euclid(12) + 1
    )
}

fn first_of(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

fn monthly_period(table: &Table, r: usize, column: Col, issues: &mut Vec<Issue>) -> Option<i32> {
    match table.get(r, column) {
        Value::Period(p) if p.grain == Grain::Month => Some(month_index(p.start)),
        Value::Period(p) => {
            issues.push(Issue::at_row(
                &table.rows[r].origin,
                Severity::Error,
                Reason::new("absence_needs_month").arg("period", p),
            ));
            None
        }
        _ => None,
    }
}

/// A spell after validation: its row (employee and unit are read from it when needed), its
/// dates and fraction. 24 bytes: a million spells are 24 MB here, where a copy of each row's
/// text handles made it 64.
struct Spell<'t> {
    /// Its row in the spells table (for the employee, the unit, and issues).
    row: &'t TypedRow,
    start: NaiveDate,
    end: Option<NaiveDate>,
    fraction: f64,
}

impl<'t> Spell<'t> {
    fn text(&self, col: Col) -> Option<&'t str> {
        self.row.values.get(col.index).and_then(Value::as_text)
    }

    fn employee(&self) -> &'t str {
        self.text(SPELL_EMPLOYEE).unwrap_or_default()
    }

    fn unit(&self) -> &'t str {
        self.text(SPELL_UNIT).unwrap_or(NO_KEY)
    }
}

/// Validates spells: an end before the start is an error row; overlaps of one employee are a
/// warning (they count once per day, at the largest fraction).
fn spells<'t>(table: &'t Table, as_of: NaiveDate, issues: &mut Vec<Issue>) -> Vec<Spell<'t>> {
    let mut out = Vec::with_capacity(table.rows.len());
    for r in 0..table.rows.len() {
        let (Some(start), end) = (
            table.get(r, SPELL_START).as_date(),
            table.get(r, SPELL_END).as_date(),
        ) else {
            continue;
        };
        let row = &table.rows[r];
        if end.is_some_and(|e| e < start) {
            let col = table.sheet_column(r, SPELL_END).unwrap_or(0);
            issues.push(
                Issue::at_cell(
                    &row.origin,
                    col,
                    end.map(|e| e.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    Severity::Error,
                    Reason::new("spell_reversed"),
                )
                .parsed_as(end.map(|e| e.to_string()).unwrap_or_default()),
            );
            continue;
        }
        if start > as_of {
            continue;
        }
        out.push(Spell {
            row,
            start,
            end,
            fraction: table.get(r, SPELL_FRACTION).as_number().unwrap_or(1.0),
        });
    }
    // Each employee's spells in date order (employees by id), as indices: 4 bytes a spell.
    let range = |i: u32| {
        let s = &out[i as usize];
        (s.employee(), s.start, s.end.unwrap_or(as_of), i)
    };
    let mut order: Vec<u32> = (0..u32::try_from(out.len()).unwrap_or(u32::MAX)).collect();
    order.sort_unstable_by(|a, b| range(*a).cmp(&range(*b)));
    for mine in order.chunk_by(|a, b| out[*a as usize].employee() == out[*b as usize].employee()) {
        // Named at the first spell that overlaps an earlier one, in the file that holds it.
        if let Some(w) = mine.windows(2).find(|w| range(w[1]).1 <= range(w[0]).2) {
            let s = &out[w[1] as usize];
            issues.push(Issue::at_row(
                &s.row.origin,
                Severity::Warning,
                Reason::new("spells_overlap").arg("employee", s.employee()),
            ));
        }
    }
    out
}

/// Sick days of one spell class in one unit and month: `(unit, month index, class)` → days.
type SickDays<'a> = BTreeMap<(&'a str, i32, u8), f64>;

/// A spell's class by its length in calendar days (end included; an open spell runs to A):
/// 0 short (≤ 30), 1 medium (31–365), 2 long.
fn spell_class(s: &Spell<'_>, as_of: NaiveDate) -> u8 {
    match (s.end.unwrap_or(as_of) - s.start).num_days() + 1 {
        ..=30 => 0,
        31..=365 => 1,
        _ => 2,
    }
}

/// A fraction as a key that orders like `f64::total_cmp`.
fn fraction_key(f: f64) -> u64 {
    let bits = f.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Sick days per (unit, month, class) from spells, without a row per day. Each employee's
/// spells are swept once in date order: between two consecutive spell boundaries one spell
/// holds every day — the largest fraction, and of equal fractions the spell listed first — so
/// overlapping days count once. Each piece's working days per month come from two binary
/// searches in the sorted working days up to A. Work grows with the spells and the months they
/// span, not with their days. Sums are made in a fixed order (employees by first appearance,
/// their pieces in date order), so a run gives the same bits every time.
fn spell_days<'a>(list: &[Spell<'a>], calendar: &Calendar, as_of: NaiveDate) -> SickDays<'a> {
    let first = list.iter().map(|s| s.start).min().unwrap_or(as_of);
    let working: Vec<NaiveDate> = calendar.working_days(first, as_of);
    // Working days in [from, to], both included.
    let count = |from: NaiveDate, to: NaiveDate| {
        working.partition_point(|d| *d <= to) - working.partition_point(|d| *d < from)
    };
    let mut by_employee: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut employees: Vec<&str> = Vec::new();
    for (i, s) in list.iter().enumerate() {
        by_employee
            .entry(s.employee())
            .or_insert_with(|| {
                employees.push(s.employee());
                Vec::new()
            })
            .push(i);
    }
    let mut sick = SickDays::new();
    let mut add = |i: usize, from: NaiveDate, to: NaiveDate| {
        let s = &list[i];
        let class = spell_class(s, as_of);
        let mut m = month_index(from);
        while m <= month_index(to) {
            let (Some(month_start), Some(next)) = (first_of(m), first_of(m + 1)) else {
                break;
            };
            let lo = from.max(month_start);
            let hi = to.min(next.pred_opt().unwrap_or(next));
            let days = count(lo, hi);
            if days > 0 {
                *sick.entry((s.unit(), m, class)).or_default() += s.fraction * days as f64;
            }
            m += 1;
        }
    };
    for employee in employees {
        let spells = &by_employee[employee];
        // Boundaries: a spell holds the days from its start to its end (clamped to A).
        let mut events: Vec<(NaiveDate, bool, usize)> = Vec::with_capacity(spells.len() * 2);
        for &i in spells {
            let s = &list[i];
            let end = s.end.unwrap_or(as_of).min(as_of);
            events.push((s.start, true, i));
            if let Some(after) = end.succ_opt() {
                events.push((after, false, i));
            }
        }
        events.sort_unstable();
        // Active spells, best first: largest fraction, then the spell listed first.
        let mut active: BTreeSet<(std::cmp::Reverse<u64>, usize)> = BTreeSet::new();
        let mut e = 0;
        while e < events.len() {
            let at = events[e].0;
            while e < events.len() && events[e].0 == at {
                let (_, opens, i) = events[e];
                let key = (std::cmp::Reverse(fraction_key(list[i].fraction)), i);
                if opens {
                    active.insert(key);
                } else {
                    active.remove(&key);
                }
                e += 1;
            }
            if let (Some(&(_, holder)), Some(next)) = (active.first(), events.get(e)) {
                if let Some(last) = next.0.pred_opt() {
                    add(holder, at, last);
                }
            }
        }
    }
    sick
}

/// Least-squares slope of y over x.
fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Computes every absence KPI for the months in the data up to A.
///
/// # Errors
/// A polars error (not expected on consolidated data).
pub fn compute(
    cons: &Consolidated,
    periods: Periods,
    settings: &Settings,
) -> PolarsResult<AbsenceResult> {
    let calendar = super::calendar::Calendar::from_settings(&settings.calendar);
    let as_of = periods.as_of;
    let last_month = month_index(as_of);
    let mut issues = Vec::new();
    let mut table: BTreeMap<(String, i32), UnitMonth> = BTreeMap::new();

    // 1. Monthly totals, as given (workable days, else FTE × working days of the month).
    if let Some(t) = cons.table("absence_monthly") {
        for r in 0..t.rows.len() {
            let Some(m) = monthly_period(t, r, MONTHLY_MONTH, &mut issues) else {
                continue;
            };
            let unit = t
                .get(r, MONTHLY_UNIT)
                .as_text()
                .unwrap_or(NO_KEY)
                .to_string();
            let fte = t.get(r, MONTHLY_FTE).as_number();
            let workable = t.get(r, MONTHLY_WORKABLE).as_number().or_else(|| {
                let first = first_of(m)?;
                Some(fte? * f64::from(calendar.working_days_in_month(first.year(), first.month())))
            });
            // A row without sick days is kept on the data sheet but left out of the rates (its
            // warning was raised where it was typed): it would count workable days without
            // their sick days. One without capacity shows its unit-month with no rate.
            let Some(sick) = t.get(r, MONTHLY_SICK).as_number() else {
                continue;
            };
            let cell = table.entry((unit, m)).or_default();
            cell.sick += sick;
            cell.workable = match (cell.workable, workable) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            };
        }
    }
    let monthly_keys: BTreeSet<(String, i32)> = table.keys().cloned().collect();

    // 2. Spells and headcount, for unit-months the monthly totals do not already cover.
    let spell_list = cons
        .table("absence_spells")
        .map(|t| spells(t, as_of, &mut issues))
        .unwrap_or_default();
    let mut headcount: BTreeMap<(String, i32), (f64, Option<f64>)> = BTreeMap::new();
    if let Some(t) = cons.table("headcount") {
        for r in 0..t.rows.len() {
            let Some(m) = monthly_period(t, r, HEADCOUNT_MONTH, &mut issues) else {
                continue;
            };
            let unit = t
                .get(r, HEADCOUNT_UNIT)
                .as_text()
                .unwrap_or(NO_KEY)
                .to_string();
            // Without FTE the row gives no capacity: left out of the rates (warned when typed).
            let Some(fte) = t.get(r, HEADCOUNT_FTE).as_number() else {
                continue;
            };
            let e = headcount.entry((unit, m)).or_insert((0.0, None));
            e.0 += fte;
            if let Some(p) = t.get(r, HEADCOUNT_PERSONS).as_number() {
                e.1 = Some(e.1.unwrap_or(0.0) + p);
            }
        }
    }
    let spells_present = !spell_list.is_empty() || !headcount.is_empty();
    if spells_present {
        for ((unit, m), (fte, _)) in &headcount {
            if monthly_keys.contains(&(unit.clone(), *m)) {
                continue;
            }
            let Some(first) = first_of(*m) else { continue };
            let cell = table.entry((unit.clone(), *m)).or_default();
            cell.fte = Some(*fte);
            cell.workable =
                Some(fte * f64::from(calendar.working_days_in_month(first.year(), first.month())));
            cell.by_class.get_or_insert([0.0; 3]);
        }
        if !spell_list.is_empty() {
            for ((unit, m, class), s) in spell_days(&spell_list, &calendar, as_of) {
                let key = (unit.to_string(), m);
                if monthly_keys.contains(&key) {
                    continue;
                }
                let cell = table.entry(key).or_default();
                cell.sick += s;
                cell.by_class.get_or_insert([0.0; 3])[usize::from(class).min(2)] += s;
            }
        }
    }
    table.retain(|(_, m), _| *m <= last_month);

    let units: Vec<String> = table
        .keys()
        .map(|(u, _)| u.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let month_set: BTreeSet<i32> = table.keys().map(|(_, m)| *m).collect();
    let rate = |cell: Option<&UnitMonth>| {
        cell.and_then(|c| c.workable.filter(|w| *w > 0.0).map(|w| c.sick / w))
    };
    // The whole organisation per month: Σ sick / Σ workable over units whose workable days are known.
    let mut all: BTreeMap<i32, UnitMonth> = BTreeMap::new();
    for ((_, m), c) in &table {
        let a = all.entry(*m).or_default();
        if let Some(w) = c.workable {
            a.sick += c.sick;
            a.workable = Some(a.workable.unwrap_or(0.0) + w);
            if let Some(bc) = c.by_class {
                let t = a.by_class.get_or_insert([0.0; 3]);
                for k in 0..3 {
                    t[k] += bc[k];
                }
            }
        }
    }
    let series: Vec<(&'static str, String, BTreeMap<i32, UnitMonth>)> =
        std::iter::once(("all", String::new(), all))
            .chain(units.iter().map(|u| {
                let s: BTreeMap<i32, UnitMonth> = table
                    .iter()
                    .filter(|((un, _), _)| un == u)
                    .map(|((_, m), c)| (*m, c.clone()))
                    .collect();
                ("unit", u.clone(), s)
            }))
            .collect();
    let mut out_series: Vec<AbsenceSeries> = Vec::with_capacity(series.len());
    for (scope, key, s) in &series {
        let mut months = Vec::with_capacity(s.len());
        for (m, c) in s {
            let r = rate(Some(c));
            let mut month = AbsenceMonth {
                month: month_label(*m),
                rate: Figure::ratio(Some(c.sick), c.workable, r),
                ..AbsenceMonth::default()
            };
            // Rolling 12 months: only when each of the 12 months has workable days.
            let window: Vec<Option<&UnitMonth>> = (m - 11..=*m)
                .map(|k| s.get(&k).filter(|c| c.workable.is_some()))
                .collect();
            if window.iter().all(Option::is_some) {
                let sick: f64 = window.iter().flatten().map(|c| c.sick).sum();
                let work: f64 = window.iter().flatten().filter_map(|c| c.workable).sum();
                month.rate_12m = Some(Figure::ratio(
                    Some(sick),
                    Some(work),
                    (work > 0.0).then(|| sick / work),
                ));
            }
            if let (Some(now), Some(before)) = (r, rate(s.get(&(m - 12)))) {
                month.yoy = Some(Figure::ratio(None, None, Some(now - before)));
            }
            if let (Some(bc), Some(w)) = (c.by_class, c.workable.filter(|w| *w > 0.0)) {
                month.classes =
                    Some(bc.map(|days| Figure::ratio(Some(days), Some(w), Some(days / w))));
            }
            months.push(month);
        }
        let mut trend = None;
        let points: Vec<(f64, f64)> = (last_month - 11..=last_month)
            .filter_map(|m| rate(s.get(&m)).map(|r| (f64::from(m), r)))
            .collect();
        if points.len() >= 6 {
            if let Some(b) = slope(&points) {
                let t = settings.absence.trend_threshold;
                let label = if b < -t {
                    "improving"
                } else if b > t {
                    "worsening"
                } else {
                    "stable"
                };
                trend = Some((
                    month_label(last_month),
                    Figure {
                        status: label.to_string(),
                        ..Figure::ratio(None, Some(points.len() as f64), Some(b))
                    },
                ));
            }
        }
        out_series.push(AbsenceSeries {
            scope,
            key: key.clone(),
            months,
            trend,
            ..AbsenceSeries::default()
        });
    }

    // Spell-based KPIs: frequency, mean duration, zero-absence share. One pass over the spells
    // fills per-unit tallies; the `all` scope adds them up.
    if !spell_list.is_empty() {
        let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
        let mut started: BTreeMap<(&str, i32), f64> = BTreeMap::new();
        let mut ended: BTreeMap<(&str, i32), (f64, f64)> = BTreeMap::new();
        let mut absent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for s in &spell_list {
            *started.entry((s.unit(), month_index(s.start))).or_default() += 1.0;
            if let Some(e) = s.end.filter(|e| *e <= as_of) {
                let t = ended.entry((s.unit(), month_index(e))).or_default();
                t.0 += ((e - s.start).num_days() + 1) as f64;
                t.1 += 1.0;
            }
            if s.end.is_none_or(|e| e >= year_start) {
                absent.entry(s.unit()).or_default().insert(s.employee());
            }
        }
        let everyone: BTreeSet<&str> = absent.values().flatten().copied().collect();
        for series in &mut out_series {
            let (scope, key) = (series.scope, series.key.as_str());
            let mine = |unit: &str| scope == "all" || unit == key;
            for m in &month_set {
                let mut spell_month = SpellMonth {
                    month: month_label(*m),
                    ..SpellMonth::default()
                };
                let fte: f64 = headcount
                    .iter()
                    .filter(|((u, hm), _)| hm == m && mine(u))
                    .map(|(_, (f, _))| *f)
                    .sum();
                let n: f64 = started
                    .iter()
                    .filter(|((u, sm), _)| sm == m && mine(u))
                    .map(|(_, n)| *n)
                    .sum();
                if fte > 0.0 {
                    spell_month.frequency = Some(Figure::ratio(Some(n), Some(fte), Some(n / fte)));
                }
                let (days, count) = ended
                    .iter()
                    .filter(|((u, em), _)| em == m && mine(u))
                    .fold((0.0, 0.0), |acc, (_, (d, c))| (acc.0 + d, acc.1 + c));
                if count > 0.0 {
                    spell_month.avg_duration =
                        Some(Figure::ratio(Some(days), Some(count), Some(days / count)));
                }
                series.spell_months.push(spell_month);
            }
            // Persons of the latest headcount month up to A; those with a spell this plan year.
            let latest = headcount
                .keys()
                .filter(|(u, m)| *m <= last_month && mine(u))
                .map(|(_, m)| *m)
                .max();
            if let Some(lm) = latest {
                let persons: Option<f64> = headcount
                    .iter()
                    .filter(|((u, m), _)| *m == lm && mine(u))
                    .map(|(_, (_, p))| *p)
                    .try_fold(0.0, |acc, p| p.map(|p| acc + p));
                if let Some(persons) = persons.filter(|p| *p > 0.0) {
                    let with_spell = if scope == "all" {
                        everyone.len()
                    } else {
                        absent.get(key).map_or(0, BTreeSet::len)
                    } as f64;
                    let zero = (persons - with_spell).max(0.0);
                    series.zero_share = Some(Figure::ratio(
                        Some(zero),
                        Some(persons),
                        Some(zero / persons),
                    ));
                }
            }
        }
    }
    let months = month_set.iter().map(|m| month_label(*m)).collect();
    Ok(AbsenceResult {
        series: out_series,
        issues,
        units,
        months,
        as_of: periods.as_of_label(),
    })
}

#[cfg(test)]
mod tests;
