//! Progress on stderr for runs that take a while: files read, then the stages, drawn by
//! indicatif. Shows nothing off a terminal, with `--quiet`, or for a run shorter than a second;
//! prints no result (the commands' summaries do).

use crate::i18n::Labels;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A run that ends sooner than this shows no bar at all (no flicker for small inboxes).
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// How often the bar is redrawn while nothing advances (the spinner of a long stage).
const TICK: Duration = Duration::from_millis(120);

/// The progress display of one run. Cheap to clone (all clones draw the same bar) and safe to
/// advance from the reader threads. A command makes one with [`Progress::stderr`], hands it to
/// [`crate::engine::run`] and calls [`Progress::finish`] before printing its summary;
/// `convert` can drive it the same way with [`Progress::reading`], [`Progress::file_read`] and
/// [`Progress::stage`].
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    /// The words of the run's language (the bar's `reading … files` and the stages).
    labels: &'static Labels,
}

impl Progress {
    /// A display on stderr, unless `quiet` is set or stderr is not a terminal (a pipe, a file,
    /// CI), in which case nothing is ever drawn. The bar appears once the run has lasted
    /// [`SHOW_AFTER`]. It speaks the language of `labels`.
    pub fn stderr(quiet: bool, labels: &'static Labels) -> Self {
        let progress = Progress {
            labels,
            ..Progress::hidden()
        };
        if quiet || !std::io::stderr().is_terminal() {
            return progress;
        }
        let bar = progress.bar.clone();
        // A detached timer: it only reveals the bar if the run is still going.
        std::thread::spawn(move || {
            std::thread::sleep(SHOW_AFTER);
            if !bar.is_finished() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(TICK);
            }
        });
        progress
    }

    /// A display that draws nothing (tests, `watch`'s rebuilds, library callers).
    pub fn hidden() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
            started: Instant::now(),
            labels: crate::i18n::labels(crate::model::Lang::En),
        }
    }

    /// Starts counting the `total` files about to be read.
    pub fn reading(&self, total: usize) {
        let t = &self.labels.terminal;
        // The catalogue's words are literal text in indicatif's template: braces doubled.
        let literal = |s: &str| s.replace('{', "{{").replace('}', "}}");
        if let Ok(style) = ProgressStyle::with_template(&format!(
            "{{spinner}} {} {{bar:30}} {{pos}}/{{len}} {}  {{elapsed}}  {{wide_msg}}",
            literal(&t.reading),
            literal(&t.files)
        )) {
            self.bar.set_style(style);
        }
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    /// One more file has been read (`name` as shown to the analyst).
    pub fn file_read(&self, name: &str) {
        self.bar.set_message(name.to_string());
        self.bar.inc(1);
    }

    /// Enters a stage after the reading (`consolidating`, `computing the KPIs`, `writing the
    /// workbook`, in the run's language): a spinner with its name.
    pub fn stage(&self, name: &str) {
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}  {elapsed}") {
            self.bar.set_style(style);
        }
        self.bar.set_message(name.to_string());
        self.bar.tick();
    }

    /// Removes the bar and leaves the terminal as it was; call before printing the summary.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Time since the display was made (the run's duration for the summary).
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// True while nothing is drawn: always off a terminal or with `--quiet`, else during the
    /// first second.
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_and_hidden_displays_count_without_drawing() {
        let nl = crate::i18n::labels(crate::model::Lang::Nl);
        for p in [Progress::stderr(true, nl), Progress::hidden()] {
            assert!(p.is_hidden());
            p.reading(3);
            p.file_read("a.xlsx");
            p.file_read("b.xlsx");
            assert_eq!(p.bar.position(), 2);
            p.stage("KPIs");
            p.finish();
            assert!(p.bar.is_finished());
        }
    }
}
