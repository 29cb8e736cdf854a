//! `scoreboard sample`'s generator: a deterministic, realistic set of inputs (an action plan, absence
//! spells with their headcount, a monthly inbox) for benchmarks and tests. Writes files only; reads nothing.

pub mod absence;
pub mod actions;
pub mod rng;

use crate::error::RunError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Every file is drawn from this seed: the same size gives byte-identical data on every run.
pub const SEED: u64 = 0x5C0E_B0A2_D000_2025;

/// The directorates (owners of actions, units of the HR tables), as the samples spell them.
pub const DIRECTORATES: [&str; 8] = [
    "Eerste lijn Werkzoekenden",
    "Contrôle de la disponibilité",
    "Gespecialiseerde ondersteunende diensten",
    "Externe Betrekkingen",
    "Personeel & Organisatie",
    "Financiën",
    "ICT",
    "Juridische dienst",
];

/// The as-of date the generated data is written for: actions are on time, late, overdue or open
/// as of this day (run `scoreboard report … --month 2025-12`).
pub fn as_of() -> NaiveDate {
    date(2025, 12, 31)
}

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// A few thousand rows: seconds, for tests.
    Small,
    /// The benchmark of issue 8: 200,000 actions, 1,000,000 absence spells (xlsx).
    Large,
    /// Ten million absence spells over five years as a Belgian `;` CSV (plus the large actions).
    Huge,
    /// 200,000 actions; 20,000 employees with about 50 spells each over three years, most of
    /// them with overlapping spells (HR exports that record a relapse or a change of regime as
    /// a second spell over the first): another shape of data than `Large` for the benchmark.
    Messy,
}

impl Size {
    /// The size named on the command line (`small`, `large`, `huge`).
    pub fn from_name(name: &str) -> Option<Size> {
        match name {
            "small" => Some(Size::Small),
            "large" => Some(Size::Large),
            "huge" => Some(Size::Huge),
            "messy" => Some(Size::Messy),
            _ => None,
        }
    }

    /// The generator's parameters for this size.
    pub fn plan(self) -> Plan {
        match self {
            Size::Small => Plan {
                actions: 1_000,
                inbox_actions: 20,
                employees: 400,
                spells_per_employee: 5,
                first_year: 2024,
                spells_as_csv: false,
                overlapping: false,
            },
            Size::Large => Plan {
                actions: 200_000,
                inbox_actions: 1_000,
                employees: 200_000,
                spells_per_employee: 5,
                first_year: 2024,
                spells_as_csv: false,
                overlapping: false,
            },
            Size::Huge => Plan {
                actions: 200_000,
                inbox_actions: 1_000,
                employees: 500_000,
                spells_per_employee: 20,
                first_year: 2021,
                spells_as_csv: true,
                overlapping: false,
            },
            Size::Messy => Plan {
                actions: 200_000,
                inbox_actions: 1_000,
                employees: 20_000,
                spells_per_employee: 50,
                first_year: 2023,
                spells_as_csv: false,
                overlapping: true,
            },
        }
    }
}

/// What one size writes. Action counts are multiples of 100 so that the class mix
/// ([`actions::ACTION_MIX`]) holds exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Rows of the one-sheet action plan (`actions/operationeel_plan_2025.xlsx`).
    pub actions: u32,
    /// Actions of each directorate in the inbox; each is reported in all twelve monthly files.
    pub inbox_actions: u32,
    /// Employees of the HR tables.
    pub employees: u32,
    /// Absence spells of each employee on average (0 to twice as many; never overlapping).
    pub spells_per_employee: u32,
    /// Spells run from 1 January of this year to the as-of date.
    pub first_year: i32,
    /// Spells and headcount as Belgian CSV (`;`, Windows-1252) instead of one xlsx.
    pub spells_as_csv: bool,
    /// Whether each absent employee's second spell starts inside the first (and, now and then,
    /// a later one inside the one before).
    pub overlapping: bool,
}

impl Plan {
    /// Absence spells written.
    pub fn spells(&self) -> u64 {
        u64::from(self.employees) * u64::from(self.spells_per_employee)
    }

    /// Distinct actions written (plan plus inbox), the denominator of the class mix.
    pub fn distinct_actions(&self) -> u64 {
        u64::from(self.actions) + u64::from(self.inbox_actions) * actions::INBOX.len() as u64
    }
}

/// One file written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// Data rows (header and title rows not counted).
    pub rows: u64,
    /// What the rows are (`actions`, `absence spells`, …).
    pub what: &'static str,
}

/// Generates every file of `size` into `dir` (created if missing; files of the same names are
/// replaced). Returns the files written, in order.
///
/// # Errors
/// [`RunError::Write`] naming the file that could not be created or saved.
pub fn generate(size: Size, dir: &Path) -> Result<Vec<Written>, RunError> {
    let plan = size.plan();
    let mut written = Vec::new();
    written.push(actions::write_plan(&plan, &dir.join("actions"))?);
    written.extend(absence::write(&plan, &dir.join("hr"))?);
    written.extend(actions::write_inbox(&plan, &dir.join("inbox"))?);
    Ok(written)
}

/// A valid date (every date built here is a constant or stays inside the generated span).
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Excel's serial number of a date (1900 system).
pub(crate) fn serial(d: NaiveDate) -> f64 {
    (d - date(1899, 12, 30)).num_days() as f64
}

/// A date as Belgians write it: `31/03/2025`.
pub(crate) fn belgian(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The [`RunError`] for a file that cannot be written.
pub(crate) fn write_error(path: &Path, e: impl std::fmt::Display) -> RunError {
    RunError::Write {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Creates `dir` and its parents.
pub(crate) fn create_dir(dir: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))
}

/// Text in Windows-1252, the encoding Belgian Excel saves CSV in.
pub(crate) fn cp1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}
