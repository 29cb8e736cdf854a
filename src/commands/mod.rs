//! One file per subcommand: orchestration only, about a screen each. The stages live in
//! [`crate::engine`]; a command builds its [`crate::config::RunConfig`], runs them, and decides
//! what to print or write.

pub mod check;
pub mod completions;
pub mod config;
pub mod convert;
pub mod manpage;
pub mod report;
pub mod sample;
pub mod template;
pub mod watch;

use crate::engine::RunResult;
use crate::model::Severity;
use std::time::Duration;

/// Writes `bytes` on stdout; a closed pipe (`| head`) ends it quietly, as for `check`.
fn print_quietly(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}

/// The last lines of a run's summary: each output written and the run's duration.
pub fn finished(outputs: &[String], elapsed: Duration) -> String {
    let mut s = String::new();
    for out in outputs {
        s.push_str(&format!("wrote {out}\n"));
    }
    s.push_str(&format!("done in {:.1} s", elapsed.as_secs_f64()));
    s
}

/// One-paragraph summary of a run for the terminal.
pub fn summary(c: &RunResult) -> String {
    let mut s = format!("{} file(s) read", c.cons.files_read);
    if c.cons.files_failed > 0 {
        s.push_str(&format!(", {} unreadable", c.cons.files_failed));
    }
    for t in &c.cons.tables {
        s.push_str(&format!("; {} {} row(s)", t.rows.len(), t.kind.name));
    }
    if c.cons.superseded > 0 {
        s.push_str(&format!(
            " ({} superseded snapshot row(s))",
            c.cons.superseded
        ));
    }
    s.push_str(&format!(
        "\nissues: {} error(s), {} warning(s), {} note(s)",
        c.count(Severity::Error),
        c.count(Severity::Warning),
        c.count(Severity::Info)
    ));
    // Every file that failed or of which nothing was used, by name, with the reason: the
    // counts above would hide them.
    for file in crate::received::files_of(c)
        .iter()
        .filter(|f| f.is_not_used())
    {
        let why = file
            .why_not_used
            .map(ToString::to_string)
            .unwrap_or_default();
        s.push_str(&format!("\n  not used: {}: {why}", file.file));
    }
    if let Some(r) = c.on_time() {
        match r.value {
            Some(v) => s.push_str(&format!(
                "\nactions realised on time: {:.1} % ({} of {}) as of {} [{}]",
                v * 100.0,
                r.numerator.unwrap_or(0.0),
                r.denominator.unwrap_or(0.0),
                c.periods.as_of,
                r.status
            )),
            None => s.push_str(&format!(
                "\nactions realised on time: no assessable action as of {}",
                c.periods.as_of
            )),
        }
    }
    s
}
