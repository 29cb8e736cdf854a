//! Atomic output: write to a temporary file in the target folder, sync, rename. A failed or
//! interrupted run never leaves a half-written or blanked workbook behind.

use std::io::Write;
use std::path::Path;

const TMP_PREFIX: &str = ".scoreboard-";
const TMP_SUFFIX: &str = ".tmp";

/// A run killed while saving (SIGKILL, a power cut) cannot remove its temporary file; the next
/// save in the folder does. A file is stale when the process named in it (`.scoreboard-PID-…`)
/// is gone (Linux: no `/proc/PID`) or, where that cannot be told, when it is a day old. Files of
/// running processes (another `report`, `watch`) are left alone.
fn remove_stale_temporary_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let linux = Path::new("/proc/self").exists();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name
            .strip_prefix(TMP_PREFIX)
            .filter(|_| name.ends_with(TMP_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        let stale = if linux {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to `path` atomically.
///
/// # Errors
/// An I/O error naming what failed.
pub fn save_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    save_atomically_with(path, |file| file.write_all(bytes))
}

/// Lets `write` fill a temporary file in `path`'s folder, then syncs it and renames it over
/// `path`: what is written is streamed to disk, never held whole in memory.
///
/// # Errors
/// An I/O error naming what failed (`write`'s own error included).
pub fn save_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    remove_stale_temporary_files(dir);
    // Created with the mode a plain `File::create` gives, and removed if Ctrl-C ends the
    // process before the rename (a drop would not run then): `crate::interrupt`.
    let (tmp, mut file) = crate::interrupt::Temporary::file_in(dir, TMP_PREFIX, TMP_SUFFIX)?;
    write(&mut file)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(tmp.path(), path)?;
    tmp.keep();
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.xlsx");
        std::fs::write(&target, b"old").unwrap();
        save_atomically(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn the_temporary_file_of_a_killed_run_is_removed_by_the_next_save() {
        let dir = tempfile::tempdir().unwrap();
        // No process has this id (above Linux's pid_max); ours is running.
        let dead = dir.path().join(".scoreboard-4294967295-abc.tmp");
        let alive = dir
            .path()
            .join(format!(".scoreboard-{}-abc.tmp", std::process::id()));
        let other = dir.path().join(".scoreboard-notes.tmp");
        for f in [&dead, &alive, &other] {
            std::fs::write(f, b"half").unwrap();
        }
        save_atomically(&dir.path().join("out.xlsx"), b"new").unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists());
        }
        assert!(alive.exists() && other.exists());
    }
}
