//! `scoreboard map`: a column mapping saved into scoreboard.toml as aliases of a kind's
//! columns, the file's comments and layout kept ([`crate::mapping`]). Written atomically.

use crate::cli::MapArgs;
use crate::error::RunError;
use crate::mapping::{add_aliases, add_sheet_rule, remove_alias, remove_sheet_rule, SheetRule};

/// Saves the mapping; returns 0.
///
/// # Errors
/// A [`RunError`] for a `COLUMN=HEADER` without `=`, an unknown kind or column, a config that
/// cannot be read or written, or one the mapping would make invalid.
pub fn run(args: &MapArgs) -> Result<u8, RunError> {
    let config_error = |detail: String| RunError::Config {
        path: args.config.clone(),
        detail,
    };
    let pairs = args
        .columns
        .iter()
        .map(|c| {
            c.split_once('=')
                .map(|(col, header)| (col.trim().to_string(), header.to_string()))
                .ok_or(RunError::BadOption {
                    flag: "--column",
                    value: c.clone(),
                    expected: "COLUMN=HEADER, e.g. \"deadline=Uiterste datum\"",
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if args.undo {
        return undo(args, &pairs);
    }
    let kind = args.kind.clone().unwrap_or_default();
    let added = crate::mapping::edit_config(&args.config, |text| {
        let (out, added) = match (&args.file, &args.sheet) {
            (Some(file), Some(sheet)) => {
                let rule = SheetRule {
                    file: file.clone(),
                    sheet: sheet.clone(),
                    kind: kind.clone(),
                    header_row: args.header_row,
                    columns: pairs.clone(),
                };
                let out = add_sheet_rule(text, &rule).map_err(|e| e.to_string())?;
                let changed = usize::from(out != text);
                (out, changed)
            }
            _ => add_aliases(text, &kind, &pairs).map_err(|e| e.to_string())?,
        };
        Ok((Some(out), added))
    })
    .map_err(config_error)?;
    for (column, header) in &pairs {
        println!(
            "{}: “{}” → {} ({})",
            args.config.display(),
            header.trim(),
            column,
            kind
        );
    }
    if added == 0 {
        println!("nothing new: every mapping was already there");
    }
    Ok(0)
}

/// `map --undo`: removes the rule for --file and --sheet, or each alias of --kind given with
/// --column; says what went and what was not there. Returns 0, or 1 when nothing was there.
fn undo(args: &MapArgs, pairs: &[(String, String)]) -> Result<u8, RunError> {
    let config_error = |detail: String| RunError::Config {
        path: args.config.clone(),
        detail,
    };
    let (said, missing) = crate::mapping::edit_config(&args.config, |text| {
        let mut out = text.to_string();
        let mut said = Vec::new();
        let mut missing = Vec::new();
        match (&args.file, &args.sheet, &args.kind) {
            (Some(file), Some(sheet), _) => {
                let (next, found) =
                    remove_sheet_rule(&out, file, sheet).map_err(|e| e.to_string())?;
                out = next;
                let what = format!("the rule for files named like “{file}”, sheet “{sheet}”");
                if found {
                    said.push(what);
                } else {
                    missing.push(what);
                }
            }
            (_, _, Some(kind)) => {
                for (column, header) in pairs {
                    let (next, found) =
                        remove_alias(&out, kind, column, header).map_err(|e| e.to_string())?;
                    out = next;
                    let what = format!("“{}” → {column} ({kind})", header.trim());
                    if found {
                        said.push(what);
                    } else {
                        missing.push(what);
                    }
                }
            }
            _ => {}
        }
        Ok((Some(out), (said, missing)))
    })
    .map_err(config_error)?;
    for what in &said {
        println!("{}: removed {what}", args.config.display());
    }
    for what in &missing {
        println!("{}: not there: {what}", args.config.display());
    }
    Ok(u8::from(said.is_empty()))
}
