//! The boundary around one file's read: a child process of this same binary, with a memory
//! cap and a timeout. Some tiny malformed workbooks make calamine abort the whole process
//! (a failed allocation is not a panic); in a child that costs one file, not the batch.

use super::{Abort, ReadError};
use serde::Serialize;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Budget for reading one file in its own process.
#[derive(Debug, Clone)]
pub struct ReadLimits {
    /// Address-space cap of the reader process, in MiB.
    pub memory_mb: u64,
    /// Wall-clock limit on the reader process for one file; the time the parent spends on the
    /// rows it sent does not count.
    pub timeout: Duration,
    /// Cap on what a zipped workbook (xlsx, xlsb, ods) unpacks to, in MiB: checked from the
    /// zip directory before anything is unpacked (the zip reader refuses a part that unpacks
    /// to more than it declares).
    pub max_unpacked_mb: u64,
    /// Cap on the non-empty cells of one file, counted while its rows stream.
    pub max_cells: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            memory_mb: 4096,
            timeout: Duration::from_secs(300),
            max_unpacked_mb: 1024,
            max_cells: 100_000_000,
        }
    }
}

/// The hidden subcommand the parent starts for each file.
pub const WORKER_COMMAND: &str = "read-worker";

/// Runs `exe ARGS…` as a child process within the time limit and returns what it wrote on
/// stdout. Its stderr is captured, never shown: libraries in the child may print on their own.
/// The child is expected to answer through [`serve_isolated`].
///
/// # Errors
/// [`ReadError::Aborted`] when the child crashed, ran out of memory or time, or could not be
/// started.
pub fn run_isolated(
    exe: &Path,
    args: &[&OsStr],
    limits: &ReadLimits,
) -> Result<Vec<u8>, ReadError> {
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            ReadError::Aborted(Abort::Lost(format!(
                "could not start the reader process: {e}"
            )))
        })?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| ReadError::Aborted(Abort::Lost("reader has no output".into())))?;
    let mut stderr = child
        .stderr
        .take()
        .ok_or_else(|| ReadError::Aborted(Abort::Lost("reader has no output".into())))?;
    // Drain both pipes while waiting, or a large workbook would block the child on a full pipe.
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = String::new();
        let _ = stderr.read_to_string(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limits.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::Aborted(Abort::TimedOut {
                    seconds: limits.timeout.as_secs(),
                }));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                return Err(ReadError::Aborted(Abort::Lost(format!(
                    "lost the reader process: {e}"
                ))))
            }
        }
    };
    let bytes = out.join().ok().and_then(Result::ok).unwrap_or_default();
    let stderr_text = err.join().unwrap_or_default();
    if !status.success() {
        return Err(ReadError::Aborted(describe_crash(
            status,
            &stderr_text,
            limits,
        )));
    }
    Ok(bytes)
}

pub(super) fn describe_crash(
    status: std::process::ExitStatus,
    stderr: &str,
    limits: &ReadLimits,
) -> Abort {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Abort::Killed {
                signal,
                memory_mb: limits.memory_mb,
            };
        }
    }
    let last = stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    Abort::Failed {
        code: status.code().unwrap_or(-1),
        last: last.to_string(),
    }
}

/// Body of any isolated child: caps its address space at `memory_mb`, runs `job`, turns a
/// panic into `on_panic(message)`, and writes the answer postcard-encoded on stdout for
/// [`run_isolated`].
pub fn serve_isolated<T: Serialize>(
    memory_mb: u64,
    job: impl FnOnce() -> T + std::panic::UnwindSafe,
    on_panic: impl FnOnce(String) -> T,
) -> ExitCode {
    let bytes = memory_mb.saturating_mul(1024 * 1024);
    // A failed cap only weakens the protection; the job itself still runs.
    let _ = rlimit::setrlimit(rlimit::Resource::AS, bytes, bytes);
    let _ = rlimit::setrlimit(rlimit::Resource::CORE, 0, 0);
    std::panic::set_hook(Box::new(|_| {}));
    let answer =
        std::panic::catch_unwind(job).unwrap_or_else(|panic| on_panic(super::panic_message(panic)));
    let Ok(encoded) = postcard::to_stdvec(&answer) else {
        return ExitCode::from(3);
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(&encoded).and_then(|_| out.flush()).is_err() {
        return ExitCode::from(3);
    }
    ExitCode::SUCCESS
}
