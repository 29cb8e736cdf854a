//! The one boundary around reading a file: child processes of this same binary (`scoreboard
//! worker`, hidden), each with a memory cap, a timeout per file and its panics caught. Some tiny
//! malformed workbooks make calamine abort the whole process (a failed allocation is not a
//! panic); in a child that costs one file, not the batch. Children are pooled: each reads file
//! after file (the report's reads and `convert`'s conversions alike), and one that crashes, hangs
//! or passes a limit is replaced; only its file fails. Nothing here knows what a file holds.

use super::stream::{stream_source, ReadEvent};
use super::{Abort, ReadError};
use serde::{Deserialize, Serialize};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Budget for reading one file in a reader process.
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

/// The hidden subcommand of a reader process.
pub const WORKER_COMMAND: &str = "worker";

/// A job for a reader process.
#[derive(Debug, Serialize, Deserialize)]
enum Job {
    /// Read a file and answer with its events.
    Read(PathBuf),
    /// A job of the binary's own (a conversion), encoded by the caller and answered by the
    /// worker's handler, as bytes.
    Other(Vec<u8>),
}

/// One frame from a reader process: an event of the file being read, the end of a read that
/// failed, the answer to another job, a panic, and the end of the job — after which the process
/// takes the next job, or retires (its address space half spent).
#[derive(Debug, Serialize, Deserialize)]
enum Frame {
    Event(ReadEvent),
    Failed(ReadError),
    Answer(Vec<u8>),
    Panicked(String),
    Finished,
    Retiring,
}

/// A frame larger than this is no frame of ours (a chunk of rows is a few MiB, at most about
/// 16 MiB of text).
const MAX_FRAME: u32 = 1 << 30;

fn write_frame<T: Serialize>(out: &mut impl Write, frame: &T) -> Result<(), ReadError> {
    let bytes = postcard::to_stdvec(frame)
        .map_err(|e| ReadError::Aborted(Abort::Lost(format!("could not encode a read: {e}"))))?;
    let len = u32::try_from(bytes.len())
        .ok()
        .filter(|&len| len <= MAX_FRAME)
        .ok_or(ReadError::Aborted(Abort::RowTooLarge))?;
    out.write_all(&len.to_le_bytes())
        .and_then(|()| out.write_all(&bytes))
        .map_err(|e| ReadError::Aborted(Abort::Lost(format!("the other process went away: {e}"))))
}

/// The next frame, or `None` at the end of the stream (or of a stream cut short).
fn read_frame<T: for<'de> Deserialize<'de>>(input: &mut impl Read) -> Result<Option<T>, ReadError> {
    let mut len = [0u8; 4];
    if input.read_exact(&mut len).is_err() {
        return Ok(None);
    }
    let len = u32::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(ReadError::Aborted(Abort::RowTooLarge));
    }
    let mut bytes = vec![0u8; len as usize];
    if input.read_exact(&mut bytes).is_err() {
        return Ok(None);
    }
    postcard::from_bytes(&bytes).map(Some).map_err(|e| {
        ReadError::Aborted(Abort::Lost(format!(
            "the reader's answer was unreadable: {e}"
        )))
    })
}

/// This process's address space in bytes (Linux: `VmSize`), to retire before the cap.
fn address_space() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmSize:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Body of a reader process: caps its address space, then takes jobs from stdin until it
/// closes, answering each on stdout — a read's events as it goes (a failure, or a panic of the
/// spreadsheet library, ends them with `Failed` or `Panicked`), another job through `other`.
/// Once half its address space is spent it finishes its job and retires: the parent starts a
/// fresh one, so no file is refused for what earlier files left behind.
pub fn serve(
    limits: &ReadLimits,
    other: &mut dyn FnMut(&[u8], &ReadLimits) -> Vec<u8>,
) -> ExitCode {
    let cap = limits.memory_mb.saturating_mul(1024 * 1024);
    // A failed cap only weakens the protection; the reads themselves still run.
    let _ = rlimit::setrlimit(rlimit::Resource::AS, cap, cap);
    let _ = rlimit::setrlimit(rlimit::Resource::CORE, 0, 0);
    // Parallelism comes from the processes; one polars thread keeps each one's address space
    // (capped) small on machines with many cores.
    std::env::set_var("POLARS_MAX_THREADS", "1");
    std::panic::set_hook(Box::new(|_| {}));
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    loop {
        let job: Job = match read_frame(&mut input) {
            Ok(Some(job)) => job,
            _ => return ExitCode::SUCCESS,
        };
        let answered = match job {
            Job::Read(path) => serve_read(&path, limits, &mut out),
            Job::Other(bytes) => {
                let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    other(&bytes, limits)
                }));
                match answer {
                    Ok(answer) => write_frame(&mut out, &Frame::Answer(answer)),
                    Err(panic) => {
                        write_frame(&mut out, &Frame::Panicked(super::panic_message(panic)))
                    }
                }
            }
        };
        let retiring = address_space().is_some_and(|used| used > cap / 2);
        let end = if retiring {
            Frame::Retiring
        } else {
            Frame::Finished
        };
        if answered.is_err() || write_frame(&mut out, &end).is_err() || out.flush().is_err() {
            return ExitCode::from(3);
        }
        if retiring {
            return ExitCode::SUCCESS;
        }
    }
}

/// One read in the reader process: its events on `out`, ended by `Failed` or `Panicked` when
/// it fails. An error writing (the parent went away) is returned.
fn serve_read(path: &Path, limits: &ReadLimits, out: &mut impl Write) -> Result<(), ReadError> {
    let mut parent_gone: Option<ReadError> = None;
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let bytes = std::fs::read(path).map_err(|e| ReadError::Io(super::IoProblem::of(&e)))?;
        let source = super::open_source(path, bytes, limits)?;
        stream_source(source, limits, &mut |event| {
            write_frame(out, &Frame::Event(event)).inspect_err(|e| parent_gone = Some(e.clone()))
        })
    }));
    if let Some(e) = parent_gone {
        return Err(e);
    }
    match read {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => write_frame(out, &Frame::Failed(e)),
        Err(panic) => write_frame(out, &Frame::Panicked(super::panic_message(panic))),
    }
}

/// One reader process, as the parent holds it.
struct Worker {
    /// Shared with the job's watchdog, which kills it when its time is up.
    child: Arc<Mutex<Child>>,
    /// `None` once closed (which tells the process to end).
    stdin: Option<BufWriter<ChildStdin>>,
    stdout: BufReader<ChildStdout>,
    /// The last line the process wrote on stderr (libraries print on their own: never shown,
    /// kept to say why it failed).
    last_line: Arc<Mutex<String>>,
}

impl Worker {
    fn start(exe: &Path, limits: &ReadLimits) -> Result<Worker, ReadError> {
        let lost = |what: String| ReadError::Aborted(Abort::Lost(what));
        let mut child = Command::new(exe)
            .arg(WORKER_COMMAND)
            .args(["--memory-mb", &limits.memory_mb.to_string()])
            .args(["--max-unpacked-mb", &limits.max_unpacked_mb.to_string()])
            .args(["--max-cells", &limits.max_cells.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| lost(format!("could not start the reader process: {e}")))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(lost("reader has no output".into()));
        };
        let last_line = Arc::new(Mutex::new(String::new()));
        let kept = last_line.clone();
        // Drained as it comes, so the process never waits on a full pipe.
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let (false, Ok(mut last)) = (line.trim().is_empty(), kept.lock()) {
                    *last = line;
                }
            }
        });
        Ok(Worker {
            child: Arc::new(Mutex::new(child)),
            stdin: Some(BufWriter::new(stdin)),
            stdout: BufReader::with_capacity(1 << 20, stdout),
            last_line,
        })
    }

    /// Why the process ended, once it did.
    fn crash(&self, limits: &ReadLimits) -> ReadError {
        let status = match self.child.lock() {
            Ok(mut child) => child.wait(),
            Err(_) => return ReadError::Aborted(Abort::Lost("lost the reader process".into())),
        };
        let last = self.last_line.lock().map(|l| l.clone()).unwrap_or_default();
        match status {
            Ok(status) => ReadError::Aborted(describe_crash(status, &last, limits)),
            Err(e) => ReadError::Aborted(Abort::Lost(format!("lost the reader process: {e}"))),
        }
    }

    fn kill(&self) {
        if let Ok(mut child) = self.child.lock() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How long a process that was told its work is over may take to end before it is killed.
const GRACE: Duration = Duration::from_secs(1);

impl Drop for Worker {
    fn drop(&mut self) {
        // A closed stdin ends the process; one that lingers is stopped.
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        }
        if let Ok(mut child) = self.child.lock() {
            let started = Instant::now();
            while started.elapsed() < GRACE {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Poll interval of the watchdog while the parent's sink runs (the reader's clock is stopped).
const SINK_POLL: Duration = Duration::from_millis(100);

/// When the reader's time for a job runs out, and whether its clock is stopped.
struct ReaderClock {
    /// `None`: a timeout so long no clock can hold its end, so no deadline at all.
    deadline: Option<Instant>,
    in_sink: bool,
}

/// How a job ended in a reader process.
enum Ended {
    /// The job's last frame came; the process takes the next job (or retires).
    Done { retiring: bool },
    /// The process is gone or stopped: this error is the job's.
    Broken(ReadError),
}

/// The pool of reader processes of a batch: each job takes an idle process or starts one, and
/// gives it back when it is still sound. Dropping the pool ends its processes.
pub struct Readers {
    exe: PathBuf,
    limits: ReadLimits,
    idle: Mutex<Vec<Worker>>,
}

impl Readers {
    /// A pool of processes of the binary `exe`, each read within `limits`.
    pub fn new(exe: &Path, limits: &ReadLimits) -> Readers {
        Readers {
            exe: exe.to_path_buf(),
            limits: limits.clone(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Reads one file in a reader process, handing each event to `sink` as it arrives. When the
    /// read fails, what the sink was given of the file is to be thrown away: the whole file
    /// counts as not read. The timeout is on the reader: the time `sink` takes is not counted.
    ///
    /// # Errors
    /// The reader's [`ReadError`], or [`ReadError::Aborted`] when it crashed, ran out of memory
    /// or time, could not be started, or its answer was cut short.
    pub fn stream(&self, path: &Path, sink: &mut dyn FnMut(ReadEvent)) -> Result<(), ReadError> {
        let mut ending: Option<Result<(), ReadError>> = None;
        self.job(&Job::Read(path.to_path_buf()), &mut |frame| match frame {
            Frame::Event(event) => {
                let last = matches!(event, ReadEvent::Done { .. });
                sink(event);
                if last {
                    ending = Some(Ok(()));
                }
                true
            }
            Frame::Failed(e) => {
                ending = Some(Err(e));
                false
            }
            Frame::Panicked(message) => {
                ending = Some(Err(ReadError::Aborted(Abort::Crashed(message))));
                false
            }
            _ => false,
        })?;
        ending.unwrap_or_else(|| {
            Err(ReadError::Aborted(Abort::Lost(
                "the reader's answer was cut short".into(),
            )))
        })
    }

    /// Reads one file in a reader process into a [`RawWorkbook`](super::RawWorkbook), every row
    /// held (for convert and tests; the report consolidates rows as they stream, see
    /// [`Readers::stream`]).
    ///
    /// # Errors
    /// As [`Readers::stream`].
    pub fn read(&self, path: &Path) -> Result<super::RawWorkbook, ReadError> {
        use super::ReadSink;
        let mut collector = super::RawCollector::default();
        self.stream(path, &mut |event| collector.event(event))?;
        Ok(collector.finish())
    }

    /// Runs another job of the binary's own (`job`, encoded by the caller) in a reader process
    /// and returns its answer. A panic of the handler is [`Abort::Crashed`].
    ///
    /// # Errors
    /// As [`Readers::stream`].
    pub fn run(&self, job: Vec<u8>) -> Result<Vec<u8>, ReadError> {
        let mut answer: Option<Result<Vec<u8>, ReadError>> = None;
        self.job(&Job::Other(job), &mut |frame| {
            match frame {
                Frame::Answer(bytes) => answer = Some(Ok(bytes)),
                Frame::Panicked(message) => {
                    answer = Some(Err(ReadError::Aborted(Abort::Crashed(message))))
                }
                _ => {}
            }
            false
        })?;
        answer.unwrap_or_else(|| {
            Err(ReadError::Aborted(Abort::Lost(
                "the reader's answer was cut short".into(),
            )))
        })
    }

    /// One job in a pooled process: its frames go to `on_frame` (which says whether the sink
    /// ran, to stop the reader's clock meanwhile) until the job's end. A process that ends
    /// sound goes back to the pool; one that broke, ran out of time or retires does not.
    fn job(&self, job: &Job, on_frame: &mut dyn FnMut(Frame) -> bool) -> Result<(), ReadError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut worker = match idle {
            Some(worker) => worker,
            None => Worker::start(&self.exe, &self.limits)?,
        };
        match attempt(&mut worker, job, &self.limits, on_frame) {
            Ended::Done { retiring: false } => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                Ok(())
            }
            Ended::Done { retiring: true } => Ok(()),
            Ended::Broken(e) => {
                worker.kill();
                Err(e)
            }
        }
    }
}

/// Sends `job` to `worker` and reads its frames until the job's end, under a watchdog that
/// stops the process when the reader's own time runs out (its clock stopped while `on_frame`
/// hands rows to the parent's sink: the reader then waits on a full pipe, through no fault of
/// the file). A process stopped after it sent its job's last frame lost nothing.
fn attempt(
    worker: &mut Worker,
    job: &Job,
    limits: &ReadLimits,
    on_frame: &mut dyn FnMut(Frame) -> bool,
) -> Ended {
    let Some(stdin) = worker.stdin.as_mut() else {
        return Ended::Broken(ReadError::Aborted(Abort::Lost(
            "the reader process was closed".into(),
        )));
    };
    if let Err(e) = write_frame(stdin, job).and_then(|()| {
        stdin
            .flush()
            .map_err(|e| ReadError::Aborted(Abort::Lost(format!("the reader went away: {e}"))))
    }) {
        return Ended::Broken(e);
    }
    let timed_out = Arc::new(AtomicBool::new(false));
    let clock = Arc::new(Mutex::new(ReaderClock {
        deadline: Instant::now().checked_add(limits.timeout),
        in_sink: false,
    }));
    let (done, wait_done) = mpsc::channel::<()>();
    let watchdog = {
        let (child, timed_out, clock) = (worker.child.clone(), timed_out.clone(), clock.clone());
        std::thread::spawn(move || watch(&child, &timed_out, &clock, &wait_done))
    };
    let mut ended: Option<Ended> = None;
    let mut finished = false;
    while ended.is_none() {
        match read_frame::<Frame>(&mut worker.stdout) {
            Ok(None) => break,
            Ok(Some(Frame::Finished)) => ended = Some(Ended::Done { retiring: false }),
            Ok(Some(Frame::Retiring)) => ended = Some(Ended::Done { retiring: true }),
            Ok(Some(frame)) => {
                finished |= matches!(
                    frame,
                    Frame::Failed(_) | Frame::Panicked(_) | Frame::Answer(_)
                ) || matches!(frame, Frame::Event(ReadEvent::Done { .. }));
                let start = Instant::now();
                if let Ok(mut c) = clock.lock() {
                    c.in_sink = true;
                }
                let sank = on_frame(frame);
                if let Ok(mut c) = clock.lock() {
                    c.in_sink = false;
                    if sank {
                        c.deadline = c.deadline.and_then(|d| d.checked_add(start.elapsed()));
                    }
                }
            }
            Err(e) => ended = Some(Ended::Broken(e)),
        }
    }
    let _ = done.send(());
    let _ = watchdog.join();
    match ended {
        Some(Ended::Done { retiring }) if !timed_out.load(Ordering::SeqCst) => {
            Ended::Done { retiring }
        }
        // Its job complete, a process stopped late lost nothing; it is not used again.
        _ if finished => Ended::Done { retiring: true },
        _ if timed_out.load(Ordering::SeqCst) => {
            Ended::Broken(ReadError::Aborted(Abort::TimedOut {
                seconds: limits.timeout.as_secs(),
            }))
        }
        Some(Ended::Broken(e)) => Ended::Broken(e),
        _ => Ended::Broken(worker.crash(limits)),
    }
}

/// The watchdog of one job: kills the process when the reader's time is up (never while the
/// parent's sink runs), and returns as soon as the job ends.
fn watch(
    child: &Mutex<Child>,
    timed_out: &AtomicBool,
    clock: &Mutex<ReaderClock>,
    wait_done: &mpsc::Receiver<()>,
) {
    loop {
        let wait = match clock.lock() {
            Ok(c) if c.in_sink => Some(SINK_POLL),
            Ok(c) => c
                .deadline
                .map(|d| d.saturating_duration_since(Instant::now())),
            Err(_) => return,
        };
        let Some(wait) = wait else {
            // No deadline: wait for the end of the job, however long.
            let _ = wait_done.recv();
            return;
        };
        if wait_done.recv_timeout(wait) != Err(mpsc::RecvTimeoutError::Timeout) {
            return;
        }
        let expired = match clock.lock() {
            Ok(c) => !c.in_sink && c.deadline.is_some_and(|d| Instant::now() >= d),
            Err(_) => return,
        };
        if expired {
            timed_out.store(true, Ordering::SeqCst);
            if let Ok(mut child) = child.lock() {
                let _ = child.kill();
            }
            return;
        }
    }
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
    Abort::Failed {
        code: status.code().unwrap_or(-1),
        last: stderr.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_cut_stream_ends_quietly() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, &Frame::Event(ReadEvent::Restart)).unwrap();
        write_frame(&mut bytes, &Frame::Failed(ReadError::Encrypted)).unwrap();
        let mut input = &bytes[..];
        assert!(matches!(
            read_frame(&mut input),
            Ok(Some(Frame::Event(ReadEvent::Restart)))
        ));
        assert!(matches!(
            read_frame(&mut input),
            Ok(Some(Frame::Failed(ReadError::Encrypted)))
        ));
        assert!(matches!(read_frame::<Frame>(&mut input), Ok(None)));
        let mut cut = &bytes[..bytes.len() - 1];
        read_frame::<Frame>(&mut cut).unwrap();
        assert!(matches!(read_frame::<Frame>(&mut cut), Ok(None)));
    }
}
