//! Cell corrections kept beside the inbox (spec §11): the analyst's fix of one cell of one
//! version of one input file, never written into the file itself. A corrections file holds one
//! JSON object per line (docs/corrections.md); it is rewritten whole and atomically, so a crash
//! mid-write leaves the old file or the new one, and a malformed one is an error, never a
//! silent reset. A correction applies only while its file's content has the SHA-256 recorded
//! with it; when the file is replaced, the run notes that it was not applied.

use crate::model::{CellFix, Reason};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The corrections file of a folder: hidden, so the reader skips it.
pub const FILE_NAME: &str = ".scoreboard-corrections.jsonl";

/// One correction, as one line of the corrections file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// `c1`, `c2`…: unique in its file, never reused.
    pub id: String,
    /// The corrected file, relative to the corrections file's folder, with `/`.
    pub file: String,
    /// The sheet (for a CSV the name `check` gives it: the file's stem).
    pub sheet: String,
    /// The cell, as Excel names it (`H20`).
    pub cell: String,
    /// The cell as it was typed (empty for an empty cell).
    pub original: String,
    /// The value to read instead, parsed like any cell of its column.
    pub value: String,
    /// Why.
    pub reason: String,
    /// Who.
    pub user: String,
    /// When, `YYYY-MM-DDTHH:MM:SS` local time.
    pub time: String,
    /// SHA-256 of the file's content the correction was made for, in hexadecimal.
    pub sha256: String,
    /// When it was undone (kept, so nothing is ever lost), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone: Option<String>,
}

/// Why a corrections file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionsError {
    /// A line that is not a correction.
    #[error("{path}, line {line}: not a correction ({detail}); fix or remove that line — nothing was changed", path = .path.display())]
    Malformed {
        /// The corrections file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// The file cannot be read or written.
    #[error("{path}: {detail}", path = .path.display())]
    Io {
        /// The corrections file.
        path: PathBuf,
        /// The system's words.
        detail: String,
    },
    /// No correction has that id.
    #[error("no correction {id} in {path}", path = .path.display())]
    Unknown {
        /// The corrections file.
        path: PathBuf,
        /// The id asked for.
        id: String,
    },
}

/// The corrections file of one folder, loaded.
#[derive(Debug, Clone)]
pub struct Book {
    /// Its path.
    pub path: PathBuf,
    /// Its corrections, in the order recorded.
    pub entries: Vec<Correction>,
}

impl Book {
    /// The corrections file at `path`; an absent file is an empty book.
    ///
    /// # Errors
    /// [`CorrectionsError`] for a file that cannot be read or a line that is not a correction.
    pub fn load(path: &Path) -> Result<Book, CorrectionsError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(CorrectionsError::Io {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })
            }
        };
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Correction =
                serde_json::from_str(line).map_err(|e| CorrectionsError::Malformed {
                    path: path.to_path_buf(),
                    line: n + 1,
                    detail: e.to_string(),
                })?;
            entries.push(entry);
        }
        Ok(Book {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The folder the entries' file names are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The next free id.
    pub fn next_id(&self) -> String {
        let n = self
            .entries
            .iter()
            .filter_map(|e| e.id.strip_prefix('c')?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        format!("c{}", n + 1)
    }

    /// Marks correction `id` undone at `time`; returns it.
    ///
    /// # Errors
    /// [`CorrectionsError::Unknown`] when no active correction has that id.
    pub fn undo(&mut self, id: &str, time: &str) -> Result<Correction, CorrectionsError> {
        let path = self.path.clone();
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.id == id && e.undone.is_none())
            .ok_or_else(|| CorrectionsError::Unknown {
                path,
                id: id.to_string(),
            })?;
        entry.undone = Some(time.to_string());
        Ok(entry.clone())
    }

    /// Writes the book whole, atomically (a temporary file renamed over the old one).
    ///
    /// # Errors
    /// [`CorrectionsError::Io`].
    pub fn save(&self) -> Result<(), CorrectionsError> {
        let mut text = String::new();
        for e in &self.entries {
            // A correction always serialises (plain strings).
            text.push_str(&serde_json::to_string(e).unwrap_or_default());
            text.push('\n');
        }
        crate::write::save_atomically(&self.path, text.as_bytes()).map_err(|e| {
            CorrectionsError::Io {
                path: self.path.clone(),
                detail: e.to_string(),
            }
        })
    }

    /// The active corrections with the path of their file.
    pub fn active(&self) -> impl Iterator<Item = (PathBuf, &Correction)> {
        self.entries
            .iter()
            .filter(|e| e.undone.is_none())
            .map(|e| (self.dir().join(&e.file), e))
    }
}

/// The SHA-256 of a file's content, in hexadecimal.
///
/// # Errors
/// When the file cannot be read.
pub fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::Digest;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The corrections of one run.
#[derive(Debug, Default, Clone)]
pub struct RunCorrections {
    /// Per input file (as found), those made for its present content.
    pub fixes: HashMap<PathBuf, Vec<CellFix>>,
    /// Per input file, those made for another content: not applied.
    pub voided: Vec<(PathBuf, Correction)>,
}

impl RunCorrections {
    /// A number that changes whenever the corrections applied to `path` change (the read
    /// cache reads a file again then).
    pub fn fingerprint(&self, path: &Path) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        if let Some(fixes) = self.fixes.get(path) {
            for f in fixes {
                (f.row, f.col, &f.sheet, &f.value).hash(&mut h);
            }
        }
        h.finish()
    }
}

/// The corrections files a run reads: every one inside an input folder (subfolders included)
/// and the one beside each input file given by itself.
pub fn books_for(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for input in inputs {
        if input.is_dir() {
            found.extend(
                walkdir::WalkDir::new(input)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file() && e.file_name() == FILE_NAME)
                    .map(|e| e.into_path()),
            );
        } else if let Some(parent) = input.parent() {
            let dir = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            let book = dir.join(FILE_NAME);
            if book.is_file() {
                found.push(book);
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The corrections of a run over `files` (read from the corrections files of `inputs`): each
/// file's content hashed once, when it has corrections.
///
/// # Errors
/// [`CorrectionsError`] for a corrections file that cannot be read or is malformed.
pub fn for_run(inputs: &[PathBuf], files: &[PathBuf]) -> Result<RunCorrections, CorrectionsError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let by_path: HashMap<PathBuf, &PathBuf> = files.iter().map(|f| (canonical(f), f)).collect();
    let mut out = RunCorrections::default();
    let mut hashes: HashMap<PathBuf, Option<String>> = HashMap::new();
    for book_path in books_for(inputs) {
        let book = Book::load(&book_path)?;
        for (path, entry) in book.active() {
            let Some(file) = by_path.get(&canonical(&path)) else {
                continue;
            };
            let hash = hashes
                .entry((*file).clone())
                .or_insert_with(|| sha256_of(file).ok());
            let Some((row, col)) = cell_position(&entry.cell) else {
                continue;
            };
            if hash.as_deref() == Some(entry.sha256.as_str()) {
                out.fixes.entry((*file).clone()).or_default().push(CellFix {
                    sheet: entry.sheet.clone(),
                    row,
                    col,
                    value: entry.value.clone(),
                    original: entry.original.clone(),
                    note: Reason::new("corrected")
                        .arg("id", &entry.id)
                        .arg("original", &entry.original)
                        .arg("value", &entry.value)
                        .arg("reason", &entry.reason)
                        .arg("user", &entry.user)
                        .arg("time", entry.time.replace('T', " ")),
                });
            } else {
                out.voided.push(((*file).clone(), entry.clone()));
            }
        }
    }
    Ok(out)
}

/// `H20` → (19, 7): 0-based row and column; `None` for anything else.
pub fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.trim().to_ascii_uppercase();
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let row: u32 = digits.parse().ok().filter(|r| *r >= 1)?;
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1);
    Some((row - 1, col - 1))
}

/// What a new correction needs: the file, its cell, the new value, why and who.
#[derive(Debug, Clone)]
pub struct NewCorrection<'a> {
    /// The input file.
    pub file: &'a Path,
    /// Its sheet.
    pub sheet: &'a str,
    /// Its cell (`H20`).
    pub cell: &'a str,
    /// The value to read instead.
    pub value: &'a str,
    /// Why.
    pub reason: &'a str,
    /// Who.
    pub user: &'a str,
}

/// Records a correction in the corrections file at `book_path` (created if needed): the
/// cell's present value read from the file by `readers`, its content hashed. Returns it.
///
/// # Errors
/// [`CorrectionsError`] for a file that cannot be read, a sheet it does not have, a cell that
/// is no cell, or a corrections file that cannot be read or written.
pub fn record(
    new: &NewCorrection,
    book_path: &Path,
    readers: &crate::read::Readers,
    time: &str,
) -> Result<Correction, CorrectionsError> {
    let failed = |detail: String| CorrectionsError::Io {
        path: new.file.to_path_buf(),
        detail,
    };
    let cell = new.cell.trim().to_ascii_uppercase();
    let (row, col) = cell_position(&cell)
        .ok_or_else(|| failed(format!("“{}” is not a cell (H20)", new.cell)))?;
    let raw = readers
        .read(new.file)
        .map_err(|e| failed(format!("cannot read it: {e}")))?;
    let original = cell_value(&raw, new.sheet, row, col).map_err(failed)?;
    let mut book = Book::load(book_path)?;
    let correction = Correction {
        id: book.next_id(),
        file: relative(new.file, book.dir()),
        sheet: new.sheet.to_string(),
        cell,
        original,
        value: new.value.to_string(),
        reason: new.reason.to_string(),
        user: new.user.to_string(),
        time: time.to_string(),
        sha256: sha256_of(new.file).map_err(|e| failed(e.to_string()))?,
        undone: None,
    };
    book.entries.push(correction.clone());
    book.save()?;
    Ok(correction)
}

/// The cell as typed (empty for an empty cell); an unknown sheet is an error naming those
/// the file has.
pub fn cell_value(
    raw: &crate::read::RawWorkbook,
    sheet: &str,
    row: u32,
    col: u32,
) -> Result<String, String> {
    let Some(found) = raw.sheets.iter().find(|s| s.name == sheet) else {
        let names: Vec<&str> = raw.sheets.iter().map(|s| s.name.as_str()).collect();
        return Err(format!(
            "has no sheet “{sheet}”; its sheets: {}",
            names.join(", ")
        ));
    };
    Ok(found
        .rows
        .iter()
        .find(|r| r.index == row)
        .and_then(|r| r.cells.iter().find(|(c, _)| *c == col))
        .map(|(_, c)| c.as_typed())
        .unwrap_or_default())
}

/// The corrections file that holds `file`'s corrections: the nearest one in its folder or a
/// folder above it, else a new one in its own folder.
pub fn nearest_book(file: &Path) -> PathBuf {
    let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let own = absolute.parent().unwrap_or(Path::new(".")).to_path_buf();
    own.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|b| b.is_file())
        .unwrap_or_else(|| own.join(FILE_NAME))
}

/// `file` relative to `dir`, with `/` (both made absolute first).
fn relative(file: &Path, dir: &Path) -> String {
    let file = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let inside = file.strip_prefix(&dir).unwrap_or(&file);
    inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The session's user name (`USER`, `USERNAME`, `LOGNAME`), else `unknown`.
pub fn user_name() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Now, as corrections record it: `YYYY-MM-DDTHH:MM:SS` local time.
pub fn now() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> Correction {
        Correction {
            id: id.into(),
            file: "sub/a.xlsx".into(),
            sheet: "Scorebord".into(),
            cell: "H20".into(),
            original: "31/02/2025".into(),
            value: "28/02/2025".into(),
            reason: "typo".into(),
            user: "an".into(),
            time: "2026-12-05T10:00:00".into(),
            sha256: "00".into(),
            undone: None,
        }
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("h20"), Some((19, 7)));
        assert_eq!(cell_position("AA3"), Some((2, 26)));
        for bad in ["", "20", "H", "H0", "1H", "ABCD1", "H-1"] {
            assert_eq!(cell_position(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_book_round_trips_and_an_undo_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut book = Book::load(&path).unwrap();
        assert!(book.entries.is_empty());
        book.entries.push(entry(&book.next_id()));
        book.entries.push(entry(&book.next_id()));
        book.save().unwrap();
        let mut again = Book::load(&path).unwrap();
        assert_eq!(again.entries, book.entries);
        assert_eq!(again.entries[1].id, "c2");
        again.undo("c1", "2026-12-05T11:00:00").unwrap();
        assert!(again.undo("c1", "x").is_err(), "undone once");
        again.save().unwrap();
        let last = Book::load(&path).unwrap();
        assert_eq!(last.entries.len(), 2, "an undone correction is kept");
        assert_eq!(last.active().count(), 1);
        assert_eq!(last.next_id(), "c3");
    }

    #[test]
    fn a_malformed_book_is_an_error_naming_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let good = serde_json::to_string(&entry("c1")).unwrap();
        std::fs::write(&path, format!("{good}\n{{\"id\": \"c2\"\n")).unwrap();
        let e = Book::load(&path).unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("nothing was changed"),
            "{e}"
        );
    }
}
