//! `scoreboard correct` and `scoreboard corrections`: cell corrections recorded beside the
//! inbox, listed, undone and carried over to a file's new version (docs/corrections.md). The
//! input file is only read, in a reader process, for the cell's value as typed.

use crate::cli::{CorrectArgs, CorrectionsArgs};
use crate::config::read_options;
use crate::corrections::{
    books_for, cell_position, cell_value, nearest_book, now, record, sha256_of, user_name, Book,
    Correction, NewCorrection, FILE_NAME,
};
use crate::engine::reader_binary;
use crate::error::RunError;
use crate::read::Readers;
use std::path::{Path, PathBuf};

/// Records one correction, or undoes one; returns 0.
///
/// # Errors
/// A [`RunError`] for a file, sheet or cell that does not exist, or a corrections file that
/// cannot be read or written.
pub fn run(args: &CorrectArgs) -> Result<u8, RunError> {
    let now = now();
    if let Some(id) = &args.undo {
        let path = match (&args.corrections, &args.file) {
            (Some(book), _) => book.clone(),
            (None, Some(f)) if f.is_dir() => f.join(FILE_NAME),
            (None, Some(f)) => nearest_book(f),
            (None, None) => PathBuf::from(FILE_NAME),
        };
        let mut book = Book::load(&path)?;
        let undone = book.undo(id, &now)?;
        book.save()?;
        println!("undone {}: {}", undone.id, describe(&undone));
        return Ok(0);
    }
    let (Some(file), Some(place), Some(value), Some(reason)) =
        (&args.file, &args.cell, &args.value, &args.reason)
    else {
        return Err(usage("FILE 'SHEET!CELL' VALUE --reason TEXT"));
    };
    if !file.is_file() {
        return Err(RunError::InputNotFound(file.clone()));
    }
    let (sheet, cell) = place
        .rsplit_once('!')
        .filter(|(s, c)| !s.is_empty() && cell_position(c).is_some())
        .ok_or_else(|| usage("the cell as SHEET!CELL, e.g. 'Scorebord!H20'"))?;
    let path = args
        .corrections
        .clone()
        .unwrap_or_else(|| nearest_book(file));
    let user = args.user.clone().unwrap_or_else(user_name);
    let new = NewCorrection {
        file,
        sheet: sheet.trim_matches('\''),
        cell,
        value,
        reason,
        user: &user,
    };
    let correction = record(&new, &path, &readers(&args.read)?, &now)?;
    println!(
        "recorded {} in {}: {}",
        correction.id,
        path.display(),
        describe(&correction)
    );
    Ok(0)
}

/// Lists the corrections of a folder (and carries over those of replaced files); returns 0.
///
/// # Errors
/// A [`RunError`] for a corrections file that cannot be read or written.
pub fn list(args: &CorrectionsArgs) -> Result<u8, RunError> {
    if !args.dir.exists() {
        return Err(RunError::InputNotFound(args.dir.clone()));
    }
    let books = books_for(std::slice::from_ref(&args.dir));
    if books.is_empty() {
        println!("no corrections in {}", args.dir.display());
        return Ok(0);
    }
    let now = now();
    for path in books {
        let mut book = Book::load(&path)?;
        println!("{}:", path.display());
        let mut carried = Vec::new();
        for entry in &mut book.entries {
            let file = path.parent().unwrap_or(Path::new(".")).join(&entry.file);
            let status = match (&entry.undone, sha256_of(&file)) {
                (Some(when), _) => format!("undone {}", when.replace('T', " ")),
                (None, Err(_)) => "its file is gone".to_string(),
                (None, Ok(hash)) if hash == entry.sha256 => "applied".to_string(),
                (None, Ok(_)) if args.carry_over => {
                    let raw = readers(&args.read)?
                        .read(&file)
                        .map_err(|e| RunError::Write {
                            path: file.clone(),
                            detail: format!("cannot read it: {e}"),
                        })?;
                    let (row, col) = cell_position(&entry.cell).unwrap_or_default();
                    let present = cell_value(&raw, &entry.sheet, row, col).map_err(|detail| {
                        RunError::Write {
                            path: file.clone(),
                            detail,
                        }
                    })?;
                    let mut next = entry.clone();
                    next.original = present.clone();
                    next.sha256 = sha256_of(&file).unwrap_or_default();
                    next.time.clone_from(&now);
                    entry.undone = Some(now.clone());
                    carried.push(next);
                    format!("carried over to the file's present version, where the cell holds “{present}”")
                }
                (None, Ok(_)) => {
                    "NOT APPLIED: made for another version of the file (--carry-over)".to_string()
                }
            };
            println!("  {} [{status}] {}", entry.id, describe(entry));
        }
        if !carried.is_empty() {
            for mut next in carried {
                next.id = book.next_id();
                println!("  {} [new] {}", next.id, describe(&next));
                book.entries.push(next);
            }
            book.save()?;
        }
    }
    Ok(0)
}

/// `a.xlsx Scorebord!H20: “31/02/2025” → “28/02/2025” (typo; an, 2026-12-05 10:00:00)`.
fn describe(c: &Correction) -> String {
    format!(
        "{} {}!{}: “{}” → “{}” ({}; {}, {})",
        c.file,
        c.sheet,
        c.cell,
        c.original,
        c.value,
        c.reason,
        c.user,
        c.time.replace('T', " ")
    )
}

fn usage(expected: &'static str) -> RunError {
    RunError::BadOption {
        flag: "correct",
        value: String::new(),
        expected,
    }
}

/// Reader processes within the read limits of the command line.
fn readers(args: &crate::cli::ReadArgs) -> Result<Readers, RunError> {
    let options = read_options(args)?;
    Ok(Readers::new(&reader_binary()?, &options.limits))
}
