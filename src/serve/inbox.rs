//! The inbox as the page changes it: a dropped file is written into it atomically under a safe
//! name, and a file replaced or removed is moved aside, never deleted — into a `removed` folder
//! beside the inbox (not inside it, where the next run would read it again), under the time it
//! was moved.

use super::{upload_name, NameRefused};
use chrono::NaiveDateTime;
use std::io;
use std::path::{Path, PathBuf};

/// Where files moved aside go: `removed` beside the inbox (`data/inbox` → `data/removed`), or
/// inside it as a hidden `.removed` when the inbox has no parent folder (the reader skips it).
pub fn removed_dir(inbox: &Path) -> PathBuf {
    match inbox.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("removed"),
        Some(_) => PathBuf::from("removed"),
        None => inbox.join(".removed"),
    }
}

/// Moves `file` (a file inside `inbox`) aside: to `removed/<YYYYMMDD-HHMMSS>/<its path in the
/// inbox>`, folders created; a second move within the same second gets `-2`, `-3`… Returns
/// where it went.
///
/// # Errors
/// An I/O error of the move (a copy and remove when the rename crosses file systems).
pub fn move_aside(inbox: &Path, file: &Path, at: NaiveDateTime) -> io::Result<PathBuf> {
    // Its path in the inbox; a file given from elsewhere keeps its name only (joined whole, an
    // absolute path would put the target back where the file is).
    let inside = match file.strip_prefix(inbox) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) => PathBuf::from(file.file_name().unwrap_or_default()),
    };
    let base = removed_dir(inbox);
    let stamp = at.format("%Y%m%d-%H%M%S").to_string();
    let mut n = 1;
    let target = loop {
        let folder = if n == 1 {
            base.join(&stamp)
        } else {
            base.join(format!("{stamp}-{n}"))
        };
        let target = folder.join(&inside);
        if !target.exists() {
            break target;
        }
        n += 1;
    };
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)?;
    }
    if std::fs::rename(file, &target).is_err() {
        std::fs::copy(file, &target)?;
        std::fs::remove_file(file)?;
    }
    Ok(target)
}

/// The files moved aside from `inbox`, newest first: (their path under the removed folder,
/// e.g. `20250331-100500/hr/x.xlsx`, and their full path). At most `limit`.
pub fn removed_files(inbox: &Path, limit: usize) -> Vec<(String, PathBuf)> {
    let base = removed_dir(inbox);
    let mut found: Vec<(String, PathBuf)> = walkdir::WalkDir::new(&base)
        .min_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let inside = e.path().strip_prefix(&base).ok()?;
            let shown = inside
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            Some((shown, e.into_path()))
        })
        .collect();
    // The time stamp leads each path: newest first.
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.truncate(limit);
    found
}

/// Puts a file moved aside (`shown` as [`removed_files`] lists it) back where it was in the
/// inbox; a file now there is moved aside first. Returns (where it went, what it replaced).
///
/// # Errors
/// `NotFound` when `shown` is not a file moved aside from this inbox; an I/O error of a move.
pub fn restore(
    inbox: &Path,
    shown: &str,
    at: NaiveDateTime,
) -> io::Result<(PathBuf, Option<PathBuf>)> {
    let not_found = || io::Error::new(io::ErrorKind::NotFound, "no such removed file");
    let (_, source) = removed_files(inbox, usize::MAX)
        .into_iter()
        .find(|(s, _)| s == shown)
        .ok_or_else(not_found)?;
    // Below the time stamp: its path in the inbox.
    let inside: PathBuf = shown.split('/').skip(1).collect();
    if inside.as_os_str().is_empty() {
        return Err(not_found());
    }
    let target = inbox.join(inside);
    let replaced = if target.exists() {
        Some(move_aside(inbox, &target, at)?)
    } else {
        None
    };
    if let Some(folder) = target.parent() {
        std::fs::create_dir_all(folder)?;
    }
    if std::fs::rename(&source, &target).is_err() {
        std::fs::copy(&source, &target)?;
        std::fs::remove_file(&source)?;
    }
    Ok((target, replaced))
}

/// A dropped file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The name it has in the inbox.
    pub name: String,
    /// Its path.
    pub path: PathBuf,
    /// Where the file it replaced went, if one had its name.
    pub replaced: Option<PathBuf>,
}

/// Why a dropped file was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Its name cannot be used.
    #[error("{0}")]
    Name(#[from] NameRefused),
    /// Writing it, or moving aside the file it replaces, failed.
    #[error("cannot store the file: {0}")]
    Io(#[from] io::Error),
}

/// Stores a dropped file in `inbox` under [`upload_name`] of `sent`: written to a hidden
/// temporary file beside its place and renamed (never half a file in the inbox, so a rebuild
/// needs no wait), after moving aside a file that has the name.
///
/// # Errors
/// [`StoreError`].
pub fn store_upload(
    inbox: &Path,
    sent: &str,
    bytes: &[u8],
    at: NaiveDateTime,
) -> Result<Stored, StoreError> {
    let name = upload_name(sent)?;
    // The new version of a file the inbox holds in a subfolder (hr/verzuim.xlsx) takes its
    // place there: two versions side by side would both be read.
    let (files, _) = crate::read::collect_inputs(&[inbox.to_path_buf()]);
    let same: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().to_lowercase() == name.to_lowercase())
        })
        .collect();
    let path = match same.as_slice() {
        [one] => (*one).clone(),
        _ => inbox.join(&name),
    };
    let name = path
        .strip_prefix(inbox)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or(name);
    let replaced = if path.exists() {
        Some(move_aside(inbox, &path, at)?)
    } else {
        None
    };
    crate::write::save_atomically(&path, bytes)?;
    Ok(Stored {
        name,
        path,
        replaced,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn a_dropped_file_lands_in_the_inbox_and_the_one_it_replaces_is_moved_aside() {
        let root = tempfile::tempdir().unwrap();
        let inbox = root.path().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        let first = store_upload(
            &inbox,
            "scorebord_ICT.xlsx",
            b"v1",
            at("2025-03-31 10:00:00"),
        )
        .unwrap();
        assert_eq!(first.path, inbox.join("scorebord_ICT.xlsx"));
        assert_eq!(first.replaced, None);

        let second = store_upload(
            &inbox,
            "C:\\Users\\an\\scorebord_ICT.xlsx",
            b"v2",
            at("2025-03-31 10:05:00"),
        )
        .unwrap();
        let aside = root
            .path()
            .join("removed/20250331-100500/scorebord_ICT.xlsx");
        assert_eq!(second.replaced.as_deref(), Some(aside.as_path()));
        assert_eq!(std::fs::read(&aside).unwrap(), b"v1");
        assert_eq!(std::fs::read(&second.path).unwrap(), b"v2");

        // The same second again: its own folder, nothing overwritten.
        let third = store_upload(
            &inbox,
            "scorebord_ICT.xlsx",
            b"v3",
            at("2025-03-31 10:05:00"),
        )
        .unwrap();
        let aside2 = root
            .path()
            .join("removed/20250331-100500-2/scorebord_ICT.xlsx");
        assert_eq!(third.replaced.as_deref(), Some(aside2.as_path()));
        assert_eq!(std::fs::read(&aside2).unwrap(), b"v2");

        // Nothing but the dropped files in the inbox: no temporary file left, nothing outside.
        let mut names: Vec<String> = std::fs::read_dir(&inbox)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["scorebord_ICT.xlsx"]);
    }

    #[test]
    fn a_name_that_climbs_out_of_the_inbox_stays_in_it() {
        let root = tempfile::tempdir().unwrap();
        let inbox = root.path().join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        let stored = store_upload(
            &inbox,
            "../../outside.csv",
            b"x;y\n",
            at("2025-01-01 00:00:00"),
        )
        .unwrap();
        assert_eq!(stored.path, inbox.join("outside.csv"));
        assert!(!root.path().join("outside.csv").exists());
        assert!(matches!(
            store_upload(&inbox, "payload.sh", b"", at("2025-01-01 00:00:00")),
            Err(StoreError::Name(NameRefused::Extension(_)))
        ));
    }

    #[test]
    fn a_file_in_a_subfolder_keeps_its_place_when_moved_aside() {
        let root = tempfile::tempdir().unwrap();
        let inbox = root.path().join("inbox");
        std::fs::create_dir_all(inbox.join("hr")).unwrap();
        let file = inbox.join("hr/afwezigheden.csv");
        std::fs::write(&file, "a").unwrap();
        let aside = move_aside(&inbox, &file, at("2025-02-28 23:59:59")).unwrap();
        assert_eq!(
            aside,
            root.path()
                .join("removed/20250228-235959/hr/afwezigheden.csv")
        );
        assert!(!file.exists());
        assert_eq!(removed_dir(Path::new("inbox")), PathBuf::from("removed"));
    }

    #[test]
    fn a_removed_file_can_be_put_back_and_what_took_its_place_is_moved_aside() {
        let root = tempfile::tempdir().unwrap();
        let inbox = root.path().join("inbox");
        std::fs::create_dir_all(inbox.join("hr")).unwrap();
        let file = inbox.join("hr/x.csv");
        std::fs::write(&file, b"v1").unwrap();
        move_aside(&inbox, &file, at("2025-03-31 10:00:00")).unwrap();
        let listed = removed_files(&inbox, 10);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].0, "20250331-100000/hr/x.csv");
        std::fs::write(&file, b"v2").unwrap();
        let (back, replaced) = restore(
            &inbox,
            "20250331-100000/hr/x.csv",
            at("2025-03-31 11:00:00"),
        )
        .unwrap();
        assert_eq!(back, file);
        assert_eq!(std::fs::read(&file).unwrap(), b"v1");
        let replaced = replaced.unwrap();
        assert_eq!(std::fs::read(&replaced).unwrap(), b"v2");
        assert!(restore(
            &inbox,
            "20250331-100000/hr/x.csv",
            at("2025-03-31 12:00:00")
        )
        .is_err());
        assert!(restore(&inbox, "../../etc/passwd", at("2025-03-31 12:00:00")).is_err());
    }

    #[test]
    fn a_new_version_of_a_file_in_a_subfolder_takes_its_place_there() {
        let root = tempfile::tempdir().unwrap();
        let inbox = root.path().join("inbox");
        std::fs::create_dir_all(inbox.join("hr")).unwrap();
        std::fs::write(inbox.join("hr/verzuim.csv"), b"v1").unwrap();
        let stored = store_upload(&inbox, "Verzuim.csv", b"v2", at("2025-03-31 10:00:00")).unwrap();
        assert_eq!(stored.name, "hr/verzuim.csv");
        assert_eq!(std::fs::read(inbox.join("hr/verzuim.csv")).unwrap(), b"v2");
        assert!(
            !inbox.join("Verzuim.csv").exists(),
            "not a second version beside it"
        );
        let aside = stored.replaced.unwrap();
        assert_eq!(std::fs::read(aside).unwrap(), b"v1");
    }
}
