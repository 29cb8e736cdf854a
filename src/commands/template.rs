//! `scoreboard template`: the empty input workbook directorates fill in. Validated before
//! anything is written; written atomically; an existing file is kept unless `--force`.

use crate::cli::TemplateArgs;
use crate::error::RunError;
use crate::model::Lang;
use crate::schema::{KindDef, KINDS};
use crate::template::build_template;
use crate::write::save_atomically;

/// Writes the template; returns exit code 0.
///
/// # Errors
/// A [`RunError`] for a bad language, kind or output path, or when the file cannot be written.
pub fn run(args: &TemplateArgs) -> Result<u8, RunError> {
    let lang = Lang::from_code(&args.lang).ok_or(RunError::BadOption {
        flag: "--lang",
        value: args.lang.clone(),
        expected: "nl, fr or en",
    })?;
    let kinds: Vec<&'static KindDef> = args
        .kinds
        .iter()
        .map(|name| {
            KINDS
                .iter()
                .find(|k| k.name == name.trim())
                .ok_or(RunError::BadOption {
                    flag: "--kinds",
                    value: name.clone(),
                    expected: "actions, absence_monthly, absence_spells, headcount, indicators, \
                               satisfaction, satisfaction_scores or proposals",
                })
        })
        .collect::<Result<_, _>>()?;
    let is_xlsx = args
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(RunError::OutputExtension {
            flag: "-o",
            path: args.output.clone(),
            expected: "a .xlsx file",
        });
    }
    crate::config::output_file("-o", &args.output)?;
    if args.output.exists() && !args.force {
        return Err(RunError::Write {
            path: args.output.clone(),
            detail: "the file already exists; use --force to replace it".into(),
        });
    }
    let _ = crate::interrupt::on_interrupt(crate::interrupt::exit_code_of);
    let bytes = build_template(lang, &kinds).map_err(RunError::Workbook)?;
    save_atomically(&args.output, &bytes).map_err(|e| RunError::Write {
        path: args.output.clone(),
        detail: e.to_string(),
    })?;
    if !args.quiet {
        let l = crate::i18n::labels(lang);
        let path = ("path", args.output.display().to_string());
        eprintln!("{}", l.fill(&l.terminal.wrote, &[path]));
    }
    Ok(0)
}
