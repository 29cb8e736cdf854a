//! One file per subcommand: orchestration only, about a screen each. The stages live in
//! [`crate::engine`]; a command builds its [`crate::config::RunConfig`], runs them, and decides
//! what to print or write.

pub mod check;
pub mod completions;
pub mod config;
pub mod convert;
pub mod correct;
pub mod manpage;
pub mod map;
pub mod report;
pub mod sample;
pub mod serve;
pub mod template;
pub mod watch;

use crate::engine::RunResult;
use crate::i18n::Labels;
use crate::model::Severity;
use std::time::Duration;

/// Writes `bytes` on stdout; a closed pipe (`| head`) ends it quietly, as for `check`.
fn print_quietly(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// The last lines of a run's summary: each output written and the run's duration.
pub fn finished(l: &Labels, outputs: &[String], elapsed: Duration) -> String {
    let t = &l.terminal;
    let mut s = String::new();
    for out in outputs {
        s.push_str(&l.fill(&t.wrote, &[("path", out.clone())]));
        s.push('\n');
    }
    let seconds = l.grouped(elapsed.as_secs_f64(), 1);
    s.push_str(&l.fill(&t.done, &[("seconds", seconds)]));
    s
}

/// One-paragraph summary of a run for the terminal, in the run's language.
pub fn summary(c: &RunResult, l: &Labels) -> String {
    let t = &l.terminal;
    let count = |n: usize| l.count(n as u64);
    let mut s = l.fill(&t.files_read, &[("count", count(c.cons.files_read))]);
    if c.cons.files_failed > 0 {
        s.push_str(&l.fill(&t.unreadable, &[("count", count(c.cons.files_failed))]));
    }
    for table in &c.cons.tables {
        s.push_str(&l.fill(
            &t.table_rows,
            &[
                ("count", count(table.rows.len())),
                ("kind", l.kind(table.kind.name)),
            ],
        ));
    }
    if c.cons.superseded > 0 {
        s.push_str(&l.fill(&t.superseded, &[("count", count(c.cons.superseded))]));
    }
    s.push('\n');
    s.push_str(&l.fill(
        &t.issues,
        &[
            ("errors", count(c.count(Severity::Error))),
            ("warnings", count(c.count(Severity::Warning))),
            ("notes", count(c.count(Severity::Info))),
        ],
    ));
    // Every file that failed or of which nothing was used, by name, with the reason: the
    // counts above would hide them.
    for file in crate::received::files_of(c)
        .iter()
        .filter(|f| f.is_not_used())
    {
        let why = file.why_not_used.map(|r| l.render(r)).unwrap_or_default();
        s.push_str("\n  ");
        s.push_str(&l.fill(
            &t.not_used,
            &[("file", file.file.to_string()), ("why", why)],
        ));
    }
    let date = l.date(c.periods.as_of);
    if let Some(r) = c.on_time() {
        s.push('\n');
        match r.value {
            Some(v) => s.push_str(&l.fill(
                &t.on_time,
                &[
                    ("percent", l.percent(v)),
                    ("numerator", l.number(r.numerator.unwrap_or(0.0), 1)),
                    ("denominator", l.number(r.denominator.unwrap_or(0.0), 1)),
                    ("date", date),
                    ("status", l.status(&r.status)),
                ],
            )),
            None => s.push_str(&l.fill(&t.on_time_none, &[("date", date)])),
        }
    }
    s
}
