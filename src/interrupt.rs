//! What Ctrl-C leaves behind: nothing. A temporary output registers here while it is written
//! ([`Pending`]); on Ctrl-C (or SIGTERM, SIGHUP) every registered one is removed before the
//! process ends. Knows no command and no format.
//!
//! A temporary file removes itself when dropped, but a signal ends the process without
//! unwinding: without this, Ctrl-C during a save left a hidden `.scoreboard-NNN.tmp` of a
//! megabyte or more in the output folder (issue 25).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files and folders being written, removed on an interrupt.
static PENDING: Registry = Registry::new();

/// A list of temporary paths (one for the process; tests keep their own).
struct Registry(Mutex<Vec<PathBuf>>);

impl Registry {
    const fn new() -> Self {
        Registry(Mutex::new(Vec::new()))
    }

    fn paths(&self) -> std::sync::MutexGuard<'_, Vec<PathBuf>> {
        // A thread that panicked while holding the list still left it whole.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Removes every path of the list; one already renamed into place or removed is no longer
    /// there and is left alone.
    fn remove_all(&self) {
        for path in self.paths().iter() {
            if path.is_dir() {
                let _ = std::fs::remove_dir_all(path);
            } else {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// A temporary file or folder, registered for removal if the process is interrupted while
/// this guard lives. Drop it once the path is gone or renamed into place.
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
    registry: &'static Registry,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Registry")
    }
}

impl Pending {
    /// Registers `path` (a file or a folder) for removal if the process is interrupted.
    pub fn new(path: &Path) -> Self {
        Self::in_registry(&PENDING, path)
    }

    fn in_registry(registry: &'static Registry, path: &Path) -> Self {
        registry.paths().push(path.to_path_buf());
        Pending {
            path: path.to_path_buf(),
            registry,
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut paths = self.registry.paths();
        if let Some(i) = paths.iter().rposition(|p| *p == self.path) {
            paths.swap_remove(i);
        }
    }
}

/// From now on, Ctrl-C, SIGTERM and SIGHUP remove the temporary outputs being written, run
/// `farewell` (which may print a line) and end the process with the code it returns, at once,
/// whatever the other threads are doing. Outputs already in place stay: each is renamed into
/// place whole or not at all.
///
/// # Errors
/// When the signal handlers cannot be installed.
pub fn on_interrupt(farewell: impl Fn(i32) -> i32 + Send + 'static) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("interrupt".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                PENDING.remove_all();
                std::process::exit(farewell(signal));
            }
        })?;
    Ok(())
}

/// The exit code a shell gives a process ended by `signal` (130 for Ctrl-C).
pub fn exit_code_of(signal: i32) -> i32 {
    128 + signal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_path_is_removed_on_interrupt_until_its_guard_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".scoreboard-1-a.tmp");
        let folder = dir.path().join(".scoreboard-staging");
        let kept = dir.path().join(".scoreboard-1-b.tmp");
        std::fs::write(&file, b"half").unwrap();
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("sheet-1.csv"), b"x").unwrap();
        std::fs::write(&kept, b"whole").unwrap();
        // Its own list: the process's may hold the files of tests saving beside this one.
        static REGISTRY: Registry = Registry::new();
        let _file = Pending::in_registry(&REGISTRY, &file);
        let _folder = Pending::in_registry(&REGISTRY, &folder);
        drop(Pending::in_registry(&REGISTRY, &kept));
        REGISTRY.remove_all();
        assert!(!file.exists() && !folder.exists());
        assert!(
            kept.exists(),
            "a dropped guard no longer registers its path"
        );
    }
}
