//! Entry point: parse the command line, run the subcommand, map the outcome to exit codes
//! 0 (clean), 1 (written, with rejected rows or files), 2 (bad usage or no output).

use clap::Parser;
use scoreboard::cli::{Cli, Command};
use scoreboard::commands::{
    check, completions, config, convert, correct, manpage, map, report, sample, serve, template,
    watch,
};
use std::process::ExitCode;

mod allocator;

fn main() -> ExitCode {
    allocator::tune();
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Worker(args) => {
            let limits = scoreboard::read::ReadLimits {
                memory_mb: args.memory_mb,
                max_unpacked_mb: args.max_unpacked_mb,
                max_cells: args.max_cells,
                ..Default::default()
            };
            return scoreboard::read::serve(&limits, &mut scoreboard::convert::handle_job);
        }
        Command::Report(args) => report::run(args),
        Command::Check(args) => check::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Correct(args) => correct::run(args),
        Command::Corrections(args) => correct::list(args),
        Command::Map(args) => map::run(args),
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
