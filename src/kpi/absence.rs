//! Absenteeism (spec 5.2; seed 004, transversal objective 2, measure point 2.2): sick days over
//! workable days per unit and month — from monthly totals, or from raw HR spells swept over the
//! working days — then, with polars, each scope's monthly rate, rolling 12 months, year over
//! year, the Belgian short / medium / long split and the trend. The `all` scope is always
//! Σ sick / Σ workable.

use super::calendar::Calendar;
use super::{floats, Figure, Kpi, KpiRow, Periods, NO_KEY};
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
            issues.push(
                Issue::at_column(
                    &row.origin,
                    SPELL_END.index,
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

/// The sick and workable days of every scope (the organisation, then each unit) and month,
/// as one frame, each scope's months from its first to its last with data (a month without
/// data is a row of nulls: shifting by `k` rows within a scope goes back `k` months).
/// `present` marks the months with data.
fn unit_month_frame(
    series: &[(&'static str, String, BTreeMap<i32, UnitMonth>)],
) -> PolarsResult<DataFrame> {
    let (mut scope, mut month, mut present) = (Vec::new(), Vec::new(), Vec::new());
    let (mut sick, mut workable) = (Vec::new(), Vec::new());
    let mut classes: [Vec<Option<f64>>; 3] = Default::default();
    for (i, (_, _, months)) in series.iter().enumerate() {
        let (Some(first), Some(last)) = (months.keys().next(), months.keys().next_back()) else {
            continue;
        };
        for m in *first..=*last {
            let c = months.get(&m);
            scope.push(i as u32);
            month.push(m);
            present.push(c.is_some());
            sick.push(c.map(|c| c.sick));
            workable.push(c.and_then(|c| c.workable));
            for (k, list) in classes.iter_mut().enumerate() {
                list.push(c.and_then(|c| c.by_class).map(|b| b[k]));
            }
        }
    }
    let [short, medium, long] = classes;
    DataFrame::new(
        scope.len(),
        vec![
            Column::new("scope".into(), scope),
            Column::new("month".into(), month),
            Column::new("present".into(), present),
            Column::new("sick".into(), sick),
            Column::new("workable".into(), workable),
            Column::new("short".into(), short),
            Column::new("medium".into(), medium),
            Column::new("long".into(), long),
        ],
    )
}

/// A column `k` months back within the same scope.
fn back(name: &str, k: i64) -> PolarsResult<Expr> {
    col(name).shift(lit(k)).over([col("scope")])
}

/// The sum of a column over the 12 months ending at each month, added oldest first (the order
/// the definition reads, and the same bits every run).
fn last_12(name: &str) -> PolarsResult<Expr> {
    (0..11).rev().try_fold(back(name, 11)?, |sum, k| {
        PolarsResult::Ok(sum + back(name, k)?)
    })
}

/// The monthly series of every scope with polars: rate, rolling 12 months (when each of the 12
/// months has workable days), year over year, the spell classes; and the trend over the 12
/// months ending at A (`last_month`), a least-squares slope over at least 6 monthly rates.
fn monthly_series(
    series: &[(&'static str, String, BTreeMap<i32, UnitMonth>)],
    last_month: i32,
    threshold: f64,
) -> PolarsResult<Vec<AbsenceSeries>> {
    let rate_of = |num: Expr, den: Expr| {
        when(den.clone().gt(lit(0.0)))
            .then(num / den)
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let has_work = |k: i64| -> PolarsResult<Expr> {
        Ok(back("workable", k)?.is_not_null().fill_null(lit(false)))
    };
    let window = (1..12).try_fold(has_work(0)?, |all, k| {
        PolarsResult::Ok(all.and(has_work(k)?))
    })?;
    let frame = unit_month_frame(series)?
        .lazy()
        .with_column(rate_of(col("sick"), col("workable")).alias("rate"))
        .with_columns([
            window.alias("window"),
            last_12("sick")?.alias("sick_12m"),
            last_12("workable")?.alias("workable_12m"),
            (col("rate") - back("rate", 12)?).alias("yoy"),
            rate_of(col("short"), col("workable")).alias("short_rate"),
            rate_of(col("medium"), col("workable")).alias("medium_rate"),
            rate_of(col("long"), col("workable")).alias("long_rate"),
        ])
        .collect()?;
    let months = frame.clone().lazy().filter(col("present")).collect()?;
    let trend = trends(frame.lazy(), last_month)?;

    let scope = months.column("scope")?.u32()?.clone();
    let month = months.column("month")?.i32()?.clone();
    let window = months.column("window")?.bool()?.clone();
    let f = |name: &str| floats(&months, name);
    let (sick, workable, rate) = (f("sick")?, f("workable")?, f("rate")?);
    let (sick_12m, workable_12m, yoy) = (f("sick_12m")?, f("workable_12m")?, f("yoy")?);
    let classes = [f("short")?, f("medium")?, f("long")?];
    let class_rates = [f("short_rate")?, f("medium_rate")?, f("long_rate")?];
    let mut out: Vec<AbsenceSeries> = series
        .iter()
        .map(|(scope, key, _)| AbsenceSeries {
            scope,
            key: key.clone(),
            ..AbsenceSeries::default()
        })
        .collect();
    for i in 0..months.height() {
        let (Some(s), Some(m)) = (scope.get(i), month.get(i)) else {
            continue;
        };
        let work = workable[i].filter(|w| *w > 0.0);
        let month = AbsenceMonth {
            month: month_label(m),
            rate: Figure::ratio(sick[i], workable[i], rate[i]),
            rate_12m: window.get(i).unwrap_or(false).then(|| {
                let work = workable_12m[i].filter(|w| *w > 0.0);
                Figure::ratio(
                    sick_12m[i],
                    workable_12m[i],
                    work.and(sick_12m[i]).zip(work).map(|(s, w)| s / w),
                )
            }),
            yoy: yoy[i].map(|v| Figure::ratio(None, None, Some(v))),
            classes: classes[0][i].zip(work).map(|(_, w)| {
                std::array::from_fn(|k| Figure::ratio(classes[k][i], Some(w), class_rates[k][i]))
            }),
        };
        if let Some(series) = out.get_mut(s as usize) {
            series.months.push(month);
        }
    }
    for (s, figure) in trend {
        if let Some(series) = out.get_mut(s as usize) {
            let label = match figure.value {
                Some(b) if b < -threshold => "improving",
                Some(b) if b > threshold => "worsening",
                _ => "stable",
            };
            series.trend = Some((
                month_label(last_month),
                Figure {
                    status: label.to_string(),
                    ..figure
                },
            ));
        }
    }
    Ok(out)
}

/// Each scope's trend: the least-squares slope of its monthly rate over the 12 months ending at
/// `last_month` (x the month, y the rate), when at least 6 of them have a rate. Means and sums
/// are running sums read at their end (`cum_sum().last()`): the terms are added in month order,
/// as the definition reads, so the slope has the same bits every run.
fn trends(frame: LazyFrame, last_month: i32) -> PolarsResult<Vec<(u32, Figure)>> {
    let sum = |e: Expr| e.cum_sum(false).last();
    let x = || col("month").cast(DataType::Float64);
    let n = || len().cast(DataType::Float64);
    let dx = || x() - sum(x()) / n();
    let dy = || col("rate") - sum(col("rate")) / n();
    let slopes = frame
        .filter(
            col("present")
                .and(col("rate").is_not_null())
                .and(col("month").gt_eq(lit(last_month - 11)))
                .and(col("month").lt_eq(lit(last_month))),
        )
        .sort(["scope", "month"], SortMultipleOptions::default())
        .group_by_stable([col("scope")])
        .agg([
            len().alias("n"),
            sum(dx() * dx()).alias("sxx"),
            sum(dx() * dy()).alias("sxy"),
        ])
        .filter(col("n").gt_eq(lit(6)).and(col("sxx").gt(lit(0.0))))
        .with_column((col("sxy") / col("sxx")).alias("slope"))
        .collect()?;
    let scope = slopes.column("scope")?.u32()?.clone();
    let (n, slope) = (floats(&slopes, "n")?, floats(&slopes, "slope")?);
    Ok((0..slopes.height())
        .filter_map(|i| Some((scope.get(i)?, Figure::ratio(None, n[i], slope[i]))))
        .collect())
}

/// Capacity per (unit, month index) from the headcount table: FTE and, when given, persons.
type Headcount = BTreeMap<(String, i32), (f64, Option<f64>)>;

/// Computes every absence KPI for the months in the data up to A: the unit-month table (monthly
/// totals as given, spells swept into days where no total covers the unit-month), each
/// scope's monthly series with polars, then the figures only spells give.
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
    let monthly = monthly_totals(cons, &calendar, &mut issues);
    let spell_list = cons
        .table("absence_spells")
        .map(|t| spells(t, as_of, &mut issues))
        .unwrap_or_default();
    let headcount = headcount(cons, &mut issues);
    let mut table = with_spells(monthly, &spell_list, &headcount, &calendar, as_of);
    table.retain(|(_, m), _| *m <= last_month);
    let units: Vec<String> = table
        .keys()
        .map(|(u, _)| u.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let month_set: BTreeSet<i32> = table.keys().map(|(_, m)| *m).collect();
    let mut series = monthly_series(
        &scopes(&table, &units),
        last_month,
        settings.absence.trend_threshold,
    )?;
    if !spell_list.is_empty() {
        spell_figures(&mut series, &spell_list, &headcount, &month_set, as_of);
    }
    Ok(AbsenceResult {
        series,
        issues,
        units,
        months: month_set.iter().map(|m| month_label(*m)).collect(),
        as_of: periods.as_of_label(),
    })
}

/// The monthly totals as given: sick days and workable days (else FTE × working days of the
/// month) per unit and month. A row without sick days is kept on the data sheet but left out of
/// the rates (its warning was raised where it was typed): it would count workable days without
/// their sick days. One without capacity shows its unit-month with no rate.
fn monthly_totals(
    cons: &Consolidated,
    calendar: &Calendar,
    issues: &mut Vec<Issue>,
) -> BTreeMap<(String, i32), UnitMonth> {
    let mut table: BTreeMap<(String, i32), UnitMonth> = BTreeMap::new();
    let Some(t) = cons.table("absence_monthly") else {
        return table;
    };
    for r in 0..t.rows.len() {
        let Some(m) = monthly_period(t, r, MONTHLY_MONTH, issues) else {
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
    table
}

/// The headcount table per unit and month. Without FTE a row gives no capacity: left out of
/// the rates (warned when typed).
fn headcount(cons: &Consolidated, issues: &mut Vec<Issue>) -> Headcount {
    let mut headcount = Headcount::new();
    let Some(t) = cons.table("headcount") else {
        return headcount;
    };
    for r in 0..t.rows.len() {
        let Some(m) = monthly_period(t, r, HEADCOUNT_MONTH, issues) else {
            continue;
        };
        let unit = t
            .get(r, HEADCOUNT_UNIT)
            .as_text()
            .unwrap_or(NO_KEY)
            .to_string();
        let Some(fte) = t.get(r, HEADCOUNT_FTE).as_number() else {
            continue;
        };
        let e = headcount.entry((unit, m)).or_insert((0.0, None));
        e.0 += fte;
        if let Some(p) = t.get(r, HEADCOUNT_PERSONS).as_number() {
            e.1 = Some(e.1.unwrap_or(0.0) + p);
        }
    }
    headcount
}

/// The unit-month table: the monthly totals, and for the unit-months they do not cover, the
/// headcount's capacity and the spells' sick days by class.
fn with_spells(
    mut table: BTreeMap<(String, i32), UnitMonth>,
    spell_list: &[Spell<'_>],
    headcount: &Headcount,
    calendar: &Calendar,
    as_of: NaiveDate,
) -> BTreeMap<(String, i32), UnitMonth> {
    if spell_list.is_empty() && headcount.is_empty() {
        return table;
    }
    let monthly_keys: BTreeSet<(String, i32)> = table.keys().cloned().collect();
    for ((unit, m), (fte, _)) in headcount {
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
        for ((unit, m, class), s) in spell_days(spell_list, calendar, as_of) {
            let key = (unit.to_string(), m);
            if monthly_keys.contains(&key) {
                continue;
            }
            let cell = table.entry(key).or_default();
            cell.sick += s;
            cell.by_class.get_or_insert([0.0; 3])[usize::from(class).min(2)] += s;
        }
    }
    table
}

/// The scopes of the series: the whole organisation per month — Σ sick / Σ workable over the
/// units whose workable days are known, never a mean of their rates — then each unit.
fn scopes(
    table: &BTreeMap<(String, i32), UnitMonth>,
    units: &[String],
) -> Vec<(&'static str, String, BTreeMap<i32, UnitMonth>)> {
    let mut all: BTreeMap<i32, UnitMonth> = BTreeMap::new();
    for ((_, m), c) in table {
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
    std::iter::once(("all", String::new(), all))
        .chain(units.iter().map(|u| {
            let s: BTreeMap<i32, UnitMonth> = table
                .iter()
                .filter(|((un, _), _)| un == u)
                .map(|((_, m), c)| (*m, c.clone()))
                .collect();
            ("unit", u.clone(), s)
        }))
        .collect()
}

/// The figures only spells give, per scope: spells started per FTE and the mean duration of the
/// spells that ended, per month; the share of persons without a spell this plan year. One pass
/// over the spells fills per-unit tallies; the `all` scope adds them up.
fn spell_figures(
    series: &mut [AbsenceSeries],
    spell_list: &[Spell<'_>],
    headcount: &Headcount,
    month_set: &BTreeSet<i32>,
    as_of: NaiveDate,
) {
    let last_month = month_index(as_of);
    let year_start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
    let mut started: BTreeMap<(&str, i32), f64> = BTreeMap::new();
    let mut ended: BTreeMap<(&str, i32), (f64, f64)> = BTreeMap::new();
    let mut absent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for s in spell_list {
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
    for series in series.iter_mut() {
        let (scope, key) = (series.scope, series.key.clone());
        let mine = |unit: &str| scope == "all" || unit == key;
        for m in month_set {
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
            let (days, count) = ended
                .iter()
                .filter(|((u, em), _)| em == m && mine(u))
                .fold((0.0, 0.0), |acc, (_, (d, c))| (acc.0 + d, acc.1 + c));
            series.spell_months.push(SpellMonth {
                month: month_label(*m),
                frequency: (fte > 0.0).then(|| Figure::ratio(Some(n), Some(fte), Some(n / fte))),
                avg_duration: (count > 0.0)
                    .then(|| Figure::ratio(Some(days), Some(count), Some(days / count))),
            });
        }
        // Persons of the latest headcount month up to A; those with a spell this plan year.
        let latest = headcount
            .keys()
            .filter(|(u, m)| *m <= last_month && mine(u))
            .map(|(_, m)| *m)
            .max();
        let persons: Option<f64> = latest.and_then(|lm| {
            headcount
                .iter()
                .filter(|((u, m), _)| *m == lm && mine(u))
                .map(|(_, (_, p))| *p)
                .try_fold(0.0, |acc, p| p.map(|p| acc + p))
        });
        if let Some(persons) = persons.filter(|p| *p > 0.0) {
            let with_spell = if scope == "all" {
                everyone.len()
            } else {
                absent.get(key.as_str()).map_or(0, BTreeSet::len)
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

#[cfg(test)]
mod tests;
