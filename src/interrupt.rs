//! What Ctrl-C leaves behind: nothing. Temporary outputs are made here ([`Temporary`]) and
//! registered before they exist; on Ctrl-C (or SIGTERM, SIGHUP) every registered one is removed
//! before the process ends. Knows no command and no format.
//!
//! A temporary file removes itself when dropped, but a signal ends the process without
//! unwinding: Ctrl-C during a save used to leave a hidden `.scoreboard-NNN.tmp` of a megabyte
//! or more in the output folder (issue 25).

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The temporary paths of the process, and whether an interrupt has begun removing them.
static PENDING: Registry = Registry::new();

/// Temporary paths being written (one list for the process; tests keep their own).
struct Registry(Mutex<State>);

struct State {
    paths: Vec<PathBuf>,
    /// Once set, no temporary path is made any more: the process is ending.
    closed: bool,
}

impl Registry {
    const fn new() -> Self {
        Registry(Mutex::new(State {
            paths: Vec::new(),
            closed: false,
        }))
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A thread that panicked while holding the list still left it whole.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Makes `path` with `make` and registers it, both under the lock, so that an interrupt
    /// sees every path made and none is made after it.
    fn make<T>(
        &self,
        path: &Path,
        make: impl FnOnce(&Path) -> std::io::Result<T>,
    ) -> std::io::Result<T> {
        let mut state = self.state();
        if state.closed {
            return Err(std::io::Error::new(ErrorKind::Interrupted, "interrupted"));
        }
        let made = make(path)?;
        state.paths.push(path.to_path_buf());
        Ok(made)
    }

    fn forget(&self, path: &Path) {
        let mut state = self.state();
        if let Some(i) = state.paths.iter().rposition(|p| p == path) {
            state.paths.swap_remove(i);
        }
    }

    /// Removes every path of the list and makes no more; one already renamed into place is no
    /// longer there and is left alone.
    fn close_and_remove_all(&self) {
        let mut state = self.state();
        state.closed = true;
        for path in state.paths.drain(..) {
            remove(&path);
        }
    }
}

fn remove(path: &Path) {
    if path.is_dir() {
        let _ = std::fs::remove_dir_all(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
}

/// A temporary file or folder in an output folder (`.scoreboard-PID-N…`): removed when dropped
/// and on an interrupt, unless [`Temporary::keep`] says it was renamed into place.
#[derive(Debug)]
pub struct Temporary {
    path: PathBuf,
    registry: &'static Registry,
    kept: bool,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Registry")
    }
}

/// Numbers the temporary paths of the process.
static NEXT: AtomicU64 = AtomicU64::new(0);

impl Temporary {
    /// A new, empty file `dir/{prefix}{pid}-{n}{suffix}`, created with the mode a plain
    /// `File::create` gives (the umask applies; tempfile's 0600 used to stay with the output).
    ///
    /// # Errors
    /// An I/O error creating it, or `Interrupted` once the process is ending.
    pub fn file_in(dir: &Path, prefix: &str, suffix: &str) -> std::io::Result<(Self, File)> {
        Self::make_in(&PENDING, dir, prefix, suffix, |path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        })
    }

    /// A new, empty folder `dir/{prefix}{pid}-{n}`.
    ///
    /// # Errors
    /// As [`Temporary::file_in`].
    pub fn folder_in(dir: &Path, prefix: &str) -> std::io::Result<Self> {
        Self::make_in(&PENDING, dir, prefix, "", |p: &Path| std::fs::create_dir(p)).map(|(t, ())| t)
    }

    fn make_in<T>(
        registry: &'static Registry,
        dir: &Path,
        prefix: &str,
        suffix: &str,
        make: impl Fn(&Path) -> std::io::Result<T>,
    ) -> std::io::Result<(Self, T)> {
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("{prefix}{}-{n}{suffix}", std::process::id()));
            match registry.make(&path, &make) {
                Ok(made) => {
                    let temporary = Temporary {
                        path,
                        registry,
                        kept: false,
                    };
                    return Ok((temporary, made));
                }
                // Left by an earlier process of the same id: take the next number.
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// It was renamed into place (or its content was): nothing is left to remove.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        self.registry.forget(&self.path);
        if !self.kept {
            remove(&self.path);
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
                PENDING.close_and_remove_all();
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
    use std::io::Write;

    #[test]
    fn temporary_paths_are_removed_on_interrupt_and_none_is_made_after() {
        // Its own list: the process's holds the files of tests saving beside this one.
        static REGISTRY: Registry = Registry::new();
        let dir = tempfile::tempdir().unwrap();
        let make_file = |path: &Path| File::create(path);
        let (file, mut handle) =
            Temporary::make_in(&REGISTRY, dir.path(), ".scoreboard-", ".tmp", make_file).unwrap();
        handle.write_all(b"half").unwrap();
        let (folder, ()) =
            Temporary::make_in(&REGISTRY, dir.path(), ".scoreboard-", "", |p: &Path| {
                std::fs::create_dir(p)
            })
            .unwrap();
        std::fs::write(folder.path().join("sheet-1.csv"), b"x").unwrap();
        let (kept, _) =
            Temporary::make_in(&REGISTRY, dir.path(), ".scoreboard-", ".tmp", make_file).unwrap();
        let kept_path = kept.path().to_path_buf();
        kept.keep();
        REGISTRY.close_and_remove_all();
        assert!(!file.path().exists() && !folder.path().exists());
        assert!(
            kept_path.exists(),
            "a kept path is no longer the registry's"
        );
        let late = Temporary::make_in(&REGISTRY, dir.path(), ".scoreboard-", ".tmp", make_file);
        assert_eq!(late.unwrap_err().kind(), ErrorKind::Interrupted);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_dropped_temporary_is_removed_and_names_do_not_collide() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = Temporary::file_in(dir.path(), ".scoreboard-", ".tmp").unwrap();
        let (b, _) = Temporary::file_in(dir.path(), ".scoreboard-", ".tmp").unwrap();
        assert_ne!(a.path(), b.path());
        let name = a.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!(".scoreboard-{}-", std::process::id()))
                && name.ends_with(".tmp"),
            "{name}"
        );
        drop(a);
        drop(b);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
