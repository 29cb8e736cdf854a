//! Entry point: parse the command line, run the subcommand, map the outcome to exit codes
//! 0 (clean), 1 (written, with rejected rows or files), 2 (bad usage or no output).

use clap::Parser;
use scoreboard::cli::{Cli, Command};
use scoreboard::commands::{
    check, completions, config, convert, manpage, report, sample, template, watch,
};
use std::process::ExitCode;

/// mimalloc instead of the system's allocator: the run allocates millions of small rows on
/// several threads, where glibc's per-thread arenas kept freed memory resident. The reader
/// processes are this same binary, so they use it too. Measured in docs/performance.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v3, the version the crate builds by default; the sys
/// crate does not name it). The test below checks it against mimalloc's own default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Two of mimalloc's defaults cost memory here and gain no time measured (docs/performance.md):
/// memory the run lets go of goes back to the system at once, not after a second (the peak is
/// reached while the KPIs and the workbook build on what the earlier stages freed: 50 MiB), and
/// transparent huge pages, 2 MiB pages on every thread's heap (40 MiB on the benchmark's
/// inputs; 114 MiB instead of 66 for a small report). mimalloc reads its huge-page option once,
/// before `main`, so they are turned off for the process instead (inherited by the readers).
fn tune_allocator() {
    // SAFETY: sets one of mimalloc's integer options, which it allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
    #[cfg(target_os = "linux")]
    // SAFETY: a prctl call with integer arguments only; a kernel without it returns an error,
    // left as is (the run only keeps more memory).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::ReadWorker(args) => {
            let limits = scoreboard::read::ReadLimits {
                memory_mb: args.memory_mb,
                max_unpacked_mb: args.max_unpacked_mb,
                max_cells: args.max_cells,
                ..Default::default()
            };
            return scoreboard::read::run_worker(&args.path, &limits);
        }
        Command::ConvertWorker(args) => return scoreboard::convert::run_convert_worker(args),
        Command::Report(args) => report::run(args),
        Command::Check(args) => check::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Config(args) => config::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Template(args) => template::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Manpage(args) => manpage::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("scoreboard: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option number is mimalloc's purge delay: read before [`tune_allocator`] runs, it
    /// holds its documented default (1000 ms in v3); after, it is 0, and huge pages are off.
    #[test]
    fn the_allocator_is_tuned_as_meant() {
        // SAFETY: reads one of mimalloc's integer options.
        let purge_delay = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(purge_delay(), 1000);
        tune_allocator();
        assert_eq!(purge_delay(), 0);
        #[cfg(target_os = "linux")]
        // SAFETY: a prctl query with integer arguments only.
        assert_eq!(
            unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) },
            1
        );
    }
}
