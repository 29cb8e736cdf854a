//! The sample's action plan (one large sheet) and its monthly inbox (one scoreboard per directorate
//! and month, xlsx in Dutch and French and a Belgian CSV). Every action is drawn with the class the
//! report must find for it as of 31/12/2025; this module writes files and computes no KPI.

use super::rng::SplitMix64;
use super::{as_of, belgian, cp1252, create_dir, date, serial, write_error, Plan, Written};
use super::{DIRECTORATES, SEED};
use crate::error::RunError;
use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::io::Write;
use std::path::Path;

/// Where an action stands as of the sample's as-of date: the class `report` must give it
/// (docs/kpis.md, actions realised on time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Done on or before its deadline.
    OnTime,
    /// Done after its deadline.
    Late,
    /// Not done, deadline passed.
    Overdue,
    /// Not done, deadline not yet passed.
    Open,
    /// A continuous or recurring deadline.
    Continuous,
    /// Cancelled.
    Cancelled,
    /// Reported done without a completion date (a warning in the report).
    DoneUndated,
}

/// The class mix in actions per 100. Each block of 100 consecutive actions (plan first, then the
/// inbox, directorate by directorate) holds exactly these counts, so the KPI counts of a size are
/// known in advance: on time 45 / (45 + 14 + 10) = 65.2 %.
pub const ACTION_MIX: [(Class, u64); 7] = [
    (Class::OnTime, 45),
    (Class::Late, 14),
    (Class::Overdue, 10),
    (Class::Open, 12),
    (Class::Continuous, 12),
    (Class::Cancelled, 5),
    (Class::DoneUndated, 2),
];

/// The class of the action with global index `i`: `i × 37 mod 100` visits each slot of a block of
/// 100 once, which scatters the classes while keeping the counts exact.
pub fn class_of(i: u64) -> Class {
    let mut slot = (i * 37) % 100;
    for (class, share) in ACTION_MIX {
        if slot < share {
            return class;
        }
        slot -= share;
    }
    Class::OnTime
}

/// How many actions of `class` a plan writes (exact: action counts are multiples of 100).
pub fn expected(plan: &Plan, class: Class) -> u64 {
    let share = ACTION_MIX
        .iter()
        .find(|(c, _)| *c == class)
        .map_or(0, |(_, s)| *s);
    plan.distinct_actions() / 100 * share
}

/// A directorate that sends a monthly scoreboard, and the form it sends it in.
#[derive(Debug, Clone, Copy)]
pub struct Inbox {
    /// Short code, used in file names and action ids.
    pub code: &'static str,
    /// The owner written in every row.
    pub owner: &'static str,
    /// The file form.
    pub form: Form,
}

/// The file forms of the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// xlsx with Dutch headers, a title above the header, date cells.
    XlsxDutch,
    /// xlsx with French headers and French deadlines (`mars 2025`, `T2 2025`, `en continu`).
    XlsxFrench,
    /// Belgian Excel CSV: `;`, Windows-1252, dates and decimal commas as text, a report date column.
    CsvDutch,
}

/// The five directorates of the inbox: 5 × 12 months = 60 files.
pub const INBOX: [Inbox; 5] = [
    Inbox {
        code: "DEL",
        owner: DIRECTORATES[0],
        form: Form::XlsxDutch,
    },
    Inbox {
        code: "CDD",
        owner: DIRECTORATES[1],
        form: Form::XlsxFrench,
    },
    Inbox {
        code: "GOD",
        owner: DIRECTORATES[2],
        form: Form::XlsxDutch,
    },
    Inbox {
        code: "EB",
        owner: DIRECTORATES[3],
        form: Form::XlsxDutch,
    },
    Inbox {
        code: "PO",
        owner: DIRECTORATES[4],
        form: Form::CsvDutch,
    },
];

const HEADER_NL: [&str; 9] = [
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
const HEADER_FR: [&str; 9] = [
    "N° action",
    "Intitulé",
    "Objectif",
    "Point de mesure",
    "Direction responsable",
    "Échéance",
    "Statut",
    "Date de réalisation",
    "Avancement",
];
const HEADER_CSV: [&str; 10] = [
    "Actie-ID",
    "Omschrijving",
    "Doelstelling",
    "Meetpunt",
    "Verantwoordelijke directie",
    "Deadline",
    "Status",
    "Datum realisatie",
    "Voortgang",
    "Rapportdatum",
];

/// A month's name (0-based `m`) in Dutch or French, from the label catalogues.
fn month_name(lang: crate::model::Lang, m: usize) -> &'static str {
    &crate::i18n::labels(lang).month_names[m]
}

const SUBJECTS_NL: [&str; 20] = [
    "Onthaal van werkzoekenden",
    "Procedure voor beroepen",
    "Intern opleidingsplan",
    "Dossierbeheer",
    "Klantenbevraging",
    "Telefonische bereikbaarheid",
    "Digitaal loket",
    "Samenwerking met de Gewesten",
    "Registratie van ziekteverzuim",
    "Aankoopprocedure",
    "Archiefbeheer",
    "Rapportering aan het directiecomité",
    "Welzijnsbeleid",
    "Informatieveiligheid",
    "Begrotingsopvolging",
    "Juridische adviezen",
    "Thuiswerkbeleid",
    "Competentiebalans",
    "Werkgeversdienstverlening",
    "Onthaal nieuwe medewerkers",
];
const VERBS_NL: [&str; 10] = [
    "digitaliseren",
    "herzien",
    "evalueren",
    "vereenvoudigen",
    "uitrollen",
    "documenteren",
    "verbeteren",
    "automatiseren",
    "harmoniseren",
    "opvolgen",
];
const SUBJECTS_FR: [&str; 8] = [
    "l'accueil des chercheurs d'emploi",
    "la procédure de recours",
    "le plan de formation interne",
    "la gestion des dossiers",
    "l'enquête de satisfaction",
    "le contrôle de la disponibilité",
    "les sanctions administratives",
    "le suivi des convocations",
];
const VERBS_FR: [&str; 8] = [
    "Digitaliser",
    "Réviser",
    "Évaluer",
    "Simplifier",
    "Déployer",
    "Documenter",
    "Améliorer",
    "Automatiser",
];
const OBJECTIVES: [&str; 8] = ["SD1", "SD2", "SD3", "TD1", "TD2", "TD3", "TD4", "TD5"];
const OBJECTIVE_WEIGHTS: [u32; 8] = [20, 25, 15, 10, 10, 8, 7, 5];
const CONTINUOUS_NL: [&str; 5] = [
    "doorlopend",
    "doorlopend vanaf maart 2025",
    "maandelijks",
    "twee keer per jaar",
    "jaarlijks",
];
const CONTINUOUS_FR: [&str; 4] = ["en continu", "mensuel", "deux fois par an", "annuel"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Nl,
    Fr,
}

/// A status as the directorate writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    NotStarted,
    InProgress,
    Postponed,
    Done,
    Cancelled,
}

impl Stage {
    fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::NotStarted, Lang::Nl) => "Niet gestart",
            (Stage::InProgress, Lang::Nl) => "Lopend",
            (Stage::Postponed, Lang::Nl) => "Uitgesteld",
            (Stage::Done, Lang::Nl) => "Afgewerkt",
            (Stage::Cancelled, Lang::Nl) => "Geannuleerd",
            (Stage::NotStarted, Lang::Fr) => "Non commencé",
            (Stage::InProgress, Lang::Fr) => "En cours",
            (Stage::Postponed, Lang::Fr) => "Reporté",
            (Stage::Done, Lang::Fr) => "Terminé",
            (Stage::Cancelled, Lang::Fr) => "Annulé",
        }
    }
}

/// A deadline as written: a date cell or text (`maart 2025`, `Q2 2025`, `doorlopend`, `15/03/2025`).
#[derive(Debug, Clone, PartialEq)]
enum Deadline {
    Date(NaiveDate),
    Text(String),
}

/// One action as it stands at the as-of date (the December snapshot).
#[derive(Debug, Clone)]
struct Action {
    id: String,
    title: String,
    objective: &'static str,
    measure_point: String,
    owner: &'static str,
    deadline: Deadline,
    class: Class,
    completed: Option<NaiveDate>,
    stage: Stage,
    progress: Option<f64>,
}

/// Which resolved deadlines a class accepts.
#[derive(Debug, Clone, Copy)]
enum Window {
    /// Any deadline in 2025.
    In2025,
    /// Before the as-of date (so it can be late or overdue).
    Past,
    /// On or after the as-of date (still open).
    Future,
}

/// Draws a dated deadline in `window`: its written form and the day it resolves to
/// (a month, quarter, half year or year resolves to its last day).
fn dated_deadline(rng: &mut SplitMix64, lang: Lang, window: Window) -> (Deadline, NaiveDate) {
    loop {
        let year = match window {
            Window::Future if rng.chance(0.7) => 2026,
            _ => 2025,
        };
        let (written, resolved) = match rng.weighted(&[35, 30, 15, 8, 12]) {
            0 => {
                let day = date(year, 1, 1) + Days::new(rng.below(365));
                if rng.chance(0.75) {
                    (Deadline::Date(day), day)
                } else {
                    (Deadline::Text(belgian(day)), day)
                }
            }
            1 => {
                let m = rng.below(12) as usize;
                let name = match lang {
                    Lang::Nl => month_name(crate::model::Lang::Nl, m),
                    Lang::Fr => month_name(crate::model::Lang::Fr, m),
                };
                (
                    Deadline::Text(format!("{name} {year}")),
                    month_end(year, m as u32 + 1),
                )
            }
            2 => {
                let q = rng.below(4) as u32 + 1;
                let letter = match lang {
                    Lang::Nl if rng.chance(0.2) => "K",
                    Lang::Nl => "Q",
                    Lang::Fr => "T",
                };
                (
                    Deadline::Text(format!("{letter}{q} {year}")),
                    month_end(year, q * 3),
                )
            }
            3 => {
                let h = rng.below(2) as u32 + 1;
                (
                    Deadline::Text(format!("S{h} {year}")),
                    month_end(year, h * 6),
                )
            }
            _ => (Deadline::Text(year.to_string()), month_end(year, 12)),
        };
        let fits = match window {
            Window::In2025 => resolved.year() == 2025,
            Window::Past => resolved < as_of(),
            Window::Future => resolved >= as_of(),
        };
        if fits {
            return (written, resolved);
        }
    }
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        date(year + 1, 1, 1)
    } else {
        date(year, month + 1, 1)
    };
    next - Days::new(1)
}

/// Progress as a directorate reports it: a multiple of 5 %.
fn progress_between(rng: &mut SplitMix64, lo: i64, hi: i64) -> f64 {
    rng.between(lo / 5, hi / 5) as f64 * 0.05
}

/// Draws the action with global index `index`, its class fixed by [`class_of`].
fn draw_action(
    rng: &mut SplitMix64,
    index: u64,
    id: String,
    owner: &'static str,
    lang: Lang,
) -> Action {
    let class = class_of(index);
    let title = match lang {
        Lang::Nl => format!("{} {}", rng.pick(&SUBJECTS_NL), rng.pick(&VERBS_NL)),
        Lang::Fr => format!("{} {}", rng.pick(&VERBS_FR), rng.pick(&SUBJECTS_FR)),
    };
    let objective = OBJECTIVES[rng.weighted(&OBJECTIVE_WEIGHTS)];
    let point = format!("{}.{}", &objective[2..], rng.between(1, 4));
    let measure_point = match lang {
        Lang::Nl => format!("Meetpunt {point}"),
        Lang::Fr => format!("Point de mesure {point}"),
    };
    let mut completed = None;
    let mut progress = None;
    let (deadline, stage) = match class {
        Class::OnTime | Class::Late | Class::DoneUndated => {
            let window = if class == Class::Late {
                Window::Past
            } else {
                Window::In2025
            };
            let (written, d) = dated_deadline(rng, lang, window);
            completed = match class {
                Class::OnTime => Some((d - Days::new(rng.below(76))).max(date(2024, 10, 1))),
                Class::Late => Some((d + Days::new(rng.between(1, 120) as u64)).min(as_of())),
                _ => None,
            };
            progress = Some(1.0);
            (written, Stage::Done)
        }
        Class::Overdue | Class::Open => {
            let window = if class == Class::Overdue {
                Window::Past
            } else {
                Window::Future
            };
            let (written, _) = dated_deadline(rng, lang, window);
            let stage = match rng.weighted(&[60, 25, 15]) {
                0 => Stage::InProgress,
                1 if class == Class::Overdue => Stage::Postponed,
                _ => Stage::NotStarted,
            };
            progress = match stage {
                Stage::NotStarted => Some(0.0),
                Stage::Postponed => Some(progress_between(rng, 0, 50)),
                _ => Some(progress_between(rng, 5, 95)),
            };
            (written, stage)
        }
        Class::Continuous => {
            let text = match lang {
                Lang::Nl => rng.pick(&CONTINUOUS_NL),
                Lang::Fr => rng.pick(&CONTINUOUS_FR),
            };
            (Deadline::Text((*text).to_string()), Stage::InProgress)
        }
        Class::Cancelled => {
            let (written, _) = dated_deadline(rng, lang, Window::In2025);
            (written, Stage::Cancelled)
        }
    };
    // Directorates leave the progress column empty now and then.
    if rng.chance(0.1) {
        progress = None;
    }
    Action {
        id,
        title,
        objective,
        measure_point,
        owner,
        deadline,
        class,
        completed,
        stage,
        progress,
    }
}

impl Action {
    /// The action as its directorate reported it at the end of `month` (1–12 of 2025): done once
    /// its completion date has passed, cancelled from July, otherwise in progress. The deadline
    /// never moves, so the first agreed deadline is the one written in every snapshot.
    fn snapshot(&self, month: u32) -> Action {
        let report = month_end(2025, month);
        let mut s = self.clone();
        let done_by_then = match self.class {
            Class::OnTime | Class::Late => self.completed.is_some_and(|c| c <= report),
            Class::DoneUndated => month == 12,
            Class::Cancelled => month >= 7,
            _ => true,
        };
        if !done_by_then {
            s.completed = None;
            s.stage = if month == 1 {
                Stage::NotStarted
            } else {
                Stage::InProgress
            };
            s.progress = self
                .progress
                .map(|_| (f64::from(month) * 0.9 / 12.0 * 20.0).floor() / 20.0);
        } else if let Some(p) = self.progress.filter(|_| self.stage != Stage::Done) {
            s.progress = Some((p * f64::from(month) / 12.0 * 20.0).floor() / 20.0);
        }
        s
    }
}

/// Number formats shared by the xlsx writers.
struct Formats {
    date: Format,
    percent: Format,
    title: Format,
    header: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            date: Format::new().set_num_format("dd/mm/yyyy"),
            percent: Format::new().set_num_format("0%"),
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new().set_bold(),
        }
    }
}

/// Writes the title, the header and the actions as Excel would hold them: real date cells,
/// progress as a percentage, empty cells left out.
fn write_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    title: &str,
    header: &[&str],
    actions: impl Iterator<Item = Action>,
    lang: Lang,
) -> Result<u64, XlsxError> {
    for (c, width) in [10.0, 48.0, 12.0, 16.0, 30.0, 16.0, 14.0, 14.0, 10.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *width)?;
    }
    ws.write_string_with_format(0, 0, title, &f.title)?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &f.header)?;
    }
    let mut rows = 0u64;
    for (i, a) in actions.enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, &a.id)?;
        ws.write_string(r, 1, &a.title)?;
        ws.write_string(r, 2, a.objective)?;
        ws.write_string(r, 3, &a.measure_point)?;
        ws.write_string(r, 4, a.owner)?;
        match &a.deadline {
            Deadline::Date(d) => ws.write_number_with_format(r, 5, serial(*d), &f.date)?,
            Deadline::Text(t) => ws.write_string(r, 5, t)?,
        };
        ws.write_string(r, 6, a.stage.word(lang))?;
        if let Some(c) = a.completed {
            ws.write_number_with_format(r, 7, serial(c), &f.date)?;
        }
        if let Some(p) = a.progress {
            ws.write_number_with_format(r, 8, p, &f.percent)?;
        }
        rows += 1;
    }
    Ok(rows)
}

/// Saves a one-sheet workbook built by `fill`. Sheets are written in rust_xlsxwriter's low-memory
/// mode: rows go to disk as they are written, and text goes to a shared string table as Excel
/// itself stores it (so the reader is measured on the files it meets in real life).
fn save_workbook(
    path: &Path,
    sheet: &str,
    fill: impl FnOnce(&mut Worksheet, &Formats) -> Result<u64, XlsxError>,
) -> Result<u64, RunError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    let rows = (|| {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(sheet)?;
        let rows = fill(ws, &f)?;
        wb.save(path)?;
        Ok::<_, XlsxError>(rows)
    })()
    .map_err(|e| write_error(path, e))?;
    Ok(rows)
}

/// Writes the one-sheet action plan: `plan.actions` rows, eight directorates.
///
/// # Errors
/// [`RunError::Write`] when the file cannot be saved.
pub fn write_plan(plan: &Plan, dir: &Path) -> Result<Written, RunError> {
    create_dir(dir)?;
    let path = dir.join("operationeel_plan_2025.xlsx");
    let mut rng = SplitMix64::new(SEED ^ 0x0AC7_10A5);
    let actions = (0..u64::from(plan.actions)).map(move |i| {
        let owner = DIRECTORATES[rng.weighted(&[25, 15, 15, 10, 10, 8, 10, 7])];
        draw_action(&mut rng, i, format!("OP-{:06}", i + 1), owner, Lang::Nl)
    });
    let rows = save_workbook(&path, "Acties", |ws, f| {
        write_sheet(
            ws,
            f,
            "Operationeel plan 2025 – opvolging van de acties",
            &HEADER_NL,
            actions,
            Lang::Nl,
        )
    })?;
    Ok(Written {
        path,
        rows,
        what: "actions",
    })
}

/// Writes the monthly inbox: for each directorate of [`INBOX`], twelve scoreboards (January to
/// December 2025) reporting the same `plan.inbox_actions` actions as they progress.
///
/// # Errors
/// [`RunError::Write`] naming the file that cannot be saved.
pub fn write_inbox(plan: &Plan, dir: &Path) -> Result<Vec<Written>, RunError> {
    let mut written = Vec::new();
    for (d, inbox) in INBOX.iter().enumerate() {
        let lang = if inbox.form == Form::XlsxFrench {
            Lang::Fr
        } else {
            Lang::Nl
        };
        let mut rng = SplitMix64::new(SEED ^ (0x1B0C_0000 + d as u64));
        let first = u64::from(plan.actions) + d as u64 * u64::from(plan.inbox_actions);
        let actions: Vec<Action> = (0..u64::from(plan.inbox_actions))
            .map(|j| {
                let id = format!("{}-{:04}", inbox.code, j + 1);
                draw_action(&mut rng, first + j, id, inbox.owner, lang)
            })
            .collect();
        let folder = dir.join(inbox.code.to_lowercase());
        create_dir(&folder)?;
        for month in 1..=12u32 {
            let snapshots = actions.iter().map(|a| a.snapshot(month));
            let (path, rows) = match inbox.form {
                Form::XlsxDutch | Form::XlsxFrench => {
                    let (name, header, title) = if lang == Lang::Fr {
                        (
                            format!("tableau_de_bord_{}_2025-{month:02}.xlsx", inbox.code),
                            &HEADER_FR,
                            format!(
                                "Tableau de bord {} – {} 2025",
                                inbox.owner,
                                month_name(crate::model::Lang::Fr, month as usize - 1)
                            ),
                        )
                    } else {
                        (
                            format!("scorebord_{}_2025-{month:02}.xlsx", inbox.code),
                            &HEADER_NL,
                            format!(
                                "Scorebord {} – {} 2025",
                                inbox.owner,
                                month_name(crate::model::Lang::Nl, month as usize - 1)
                            ),
                        )
                    };
                    let path = folder.join(name);
                    let sheet = if lang == Lang::Fr {
                        "Tableau de bord"
                    } else {
                        "Scorebord"
                    };
                    let rows = save_workbook(&path, sheet, |ws, f| {
                        write_sheet(ws, f, &title, header, snapshots, lang)
                    })?;
                    (path, rows)
                }
                Form::CsvDutch => {
                    let path = folder.join(format!("scorebord_{}_2025-{month:02}.csv", inbox.code));
                    let rows = write_csv(&path, inbox, month, snapshots)
                        .map_err(|e| write_error(&path, e))?;
                    (path, rows)
                }
            };
            written.push(Written {
                path,
                rows,
                what: "action snapshots",
            });
        }
    }
    Ok(written)
}

/// A Belgian Excel CSV export: a title line, `;`, Windows-1252, CRLF, dates and decimal commas as
/// text, the report date in its own column.
fn write_csv(
    path: &Path,
    inbox: &Inbox,
    month: u32,
    actions: impl Iterator<Item = Action>,
) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let report = belgian(month_end(2025, month));
    let mut line = |fields: &[&str]| -> std::io::Result<()> {
        let quoted: Vec<String> = fields
            .iter()
            .map(|f| {
                if f.contains([';', '"', '\n']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    (*f).to_string()
                }
            })
            .collect();
        out.write_all(&cp1252(&quoted.join(";")))?;
        out.write_all(b"\r\n")
    };
    line(&[&format!(
        "Scorebord {} – {} 2025 (export uit Excel)",
        inbox.owner,
        month_name(crate::model::Lang::Nl, month as usize - 1)
    )])?;
    line(&[])?;
    line(&HEADER_CSV)?;
    let mut rows = 0;
    for a in actions {
        let deadline = match &a.deadline {
            Deadline::Date(d) => belgian(*d),
            Deadline::Text(t) => t.clone(),
        };
        let completed = a.completed.map(belgian).unwrap_or_default();
        // Excel's Belgian CSV writes a percentage cell as `45%` and a plain number with a comma.
        let progress = match a.progress {
            Some(p) if rows % 3 == 0 => format!("{}", p).replace('.', ","),
            Some(p) => format!("{:.0}%", p * 100.0),
            None => String::new(),
        };
        line(&[
            &a.id,
            &a.title,
            a.objective,
            &a.measure_point,
            a.owner,
            &deadline,
            a.stage.word(Lang::Nl),
            &completed,
            &progress,
            &report,
        ])?;
        rows += 1;
    }
    out.flush()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Deadline as Parsed;
    use crate::parse::{parse_deadline_text, DeadlineText};

    #[test]
    fn every_block_of_a_hundred_actions_holds_the_mix_exactly() {
        for block in [0u64, 7, 2_000] {
            for (class, share) in ACTION_MIX {
                let n = (block * 100..block * 100 + 100)
                    .filter(|&i| class_of(i) == class)
                    .count() as u64;
                assert_eq!(n, share, "{class:?} in block {block}");
            }
        }
    }

    #[test]
    fn written_deadlines_resolve_to_the_drawn_day_and_window() {
        let mut rng = SplitMix64::new(1);
        for lang in [Lang::Nl, Lang::Fr] {
            for window in [Window::In2025, Window::Past, Window::Future] {
                for _ in 0..500 {
                    let (written, day) = dated_deadline(&mut rng, lang, window);
                    let parsed = match &written {
                        Deadline::Date(d) => *d,
                        Deadline::Text(t) => match parse_deadline_text(t) {
                            DeadlineText::Deadline(Parsed::Date(date, _)) => date,
                            other => panic!("{t}: {other:?}"),
                        },
                    };
                    assert_eq!(parsed, day, "{written:?}");
                }
            }
        }
    }

    #[test]
    fn snapshots_are_done_only_after_their_completion_date() {
        let mut rng = SplitMix64::new(3);
        for i in 0..200 {
            let a = draw_action(&mut rng, i, format!("X-{i}"), DIRECTORATES[0], Lang::Nl);
            assert_eq!(a.snapshot(12).stage, a.stage);
            for m in 1..=12 {
                let s = a.snapshot(m);
                if let Some(c) = s.completed {
                    assert!(c <= month_end(2025, m));
                }
            }
        }
    }
}
