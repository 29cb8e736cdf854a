//! When a drop folder can be read: its input files' sizes and times ([`snapshot`]), and whether
//! a change has settled ([`settled`]) — a copy over a network share or from a mail client
//! writes in chunks seconds apart, and a zipped workbook is whole only once its zip directory,
//! written last, is there. `watch` and `serve` wait with it for files copied by hand.

use super::collect_inputs;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long the input files must keep the same sizes and times before a rebuild. A copy over
/// a network share or from a mail client writes in chunks seconds apart (0.8 s measured in
/// issue 25, where half a second let a half-written file be read three times).
pub const STABLE_FOR: Duration = Duration::from_secs(2);
/// How long a zipped workbook whose zip directory stays unreadable is waited for before it is
/// read anyway (and named damaged by the reader): a copy that stopped halfway never completes.
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(30);
/// The input files of the folder with their size and modification time. Lock files (`~$x`),
/// hidden files and other extensions are left out by the same rules as `report`'s inputs, so
/// they never cause a rebuild.
pub type Snapshot = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

/// [`snapshot`] with the hidden files called `name` anywhere in the folder (the corrections
/// files, which the reader skips but which change what a build gives).
pub fn snapshot_with(dir: &Path, name: &str) -> Snapshot {
    let mut state = snapshot(dir);
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() == name)
    {
        if let Ok(meta) = entry.metadata() {
            state.insert(entry.into_path(), (meta.len(), meta.modified().ok()));
        }
    }
    state
}

/// The input files of `dir` with their size and modification time.
pub fn snapshot(dir: &Path) -> Snapshot {
    let (files, _) = collect_inputs(&[dir.to_path_buf()]);
    files
        .into_iter()
        .filter_map(|f| {
            let meta = std::fs::metadata(&f).ok()?;
            Some((f, (meta.len(), meta.modified().ok())))
        })
        .collect()
}

/// Whether the folder, unchanged for `quiet_for`, can be read: every file has kept its size
/// and time for [`STABLE_FOR`], and every zipped workbook added or changed since the last build
/// is whole — its zip directory, written last, can be read. A workbook that stays unreadable
/// is read anyway after [`GIVE_UP_AFTER`], for the reader to name it.
pub fn settled(now: &Snapshot, built: Option<&Snapshot>, quiet_for: Duration) -> bool {
    if quiet_for < STABLE_FOR {
        return false;
    }
    quiet_for >= GIVE_UP_AFTER
        || now
            .iter()
            .filter(|(path, stamp)| built.and_then(|b| b.get(*path)) != Some(stamp))
            .all(|(path, _)| is_whole(path))
}

/// False for a zipped workbook (it starts as a zip does) whose zip directory cannot be read
/// yet: a copy still under way. Any other file is taken as whole.
pub fn is_whole(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else {
        // Gone or locked: the build will say so.
        return true;
    };
    let mut magic = [0u8; 4];
    if std::io::Read::read_exact(&mut file, &mut magic).is_err() || &magic != b"PK\x03\x04" {
        return true;
    }
    zip::ZipArchive::new(file).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(len: u64) -> (u64, Option<SystemTime>) {
        (len, Some(SystemTime::UNIX_EPOCH))
    }

    #[test]
    fn a_zipped_workbook_is_whole_only_once_its_zip_directory_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let whole = dir.path().join("whole.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "Actie-ID").unwrap();
        book.save(&whole).unwrap();
        let bytes = std::fs::read(&whole).unwrap();
        let half = dir.path().join("half.xlsx");
        std::fs::write(&half, &bytes[..bytes.len() / 2]).unwrap();
        let text = dir.path().join("notes.csv");
        std::fs::write(&text, "a;b\n1;2\n").unwrap();
        assert!(is_whole(&whole));
        assert!(!is_whole(&half));
        assert!(is_whole(&text));
        let snap: Snapshot = [(half.clone(), stamp(1))].into();
        assert!(!settled(&snap, None, STABLE_FOR));
        assert!(
            settled(&snap, None, GIVE_UP_AFTER),
            "read anyway in the end"
        );
        let snap: Snapshot = [(whole, stamp(1))].into();
        assert!(!settled(&snap, None, STABLE_FOR / 2));
        assert!(settled(&snap, None, STABLE_FOR));
    }
}
