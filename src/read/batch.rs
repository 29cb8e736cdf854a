//! The read stage over a batch: every file read in its own process, in parallel, with unchanged
//! files (same path, size and modification time) taken from a cache. Knows nothing of table kinds.

use super::{RawCollector, RawWorkbook, ReadError, ReadLimits, ReadSink, Readers};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What one file's read gave: its sheets, or why the whole file is unreadable. Shared, so a cache
/// and the consolidation can hold the same read without copying its cells.
pub type ReadOutcome<T = RawWorkbook> = Arc<Result<T, ReadError>>;

/// One input file after the read stage: by default its raw sheets, or what a [`ReadSink`] made
/// of them as they streamed (the report's typed rows).
#[derive(Debug, Clone)]
pub struct FileRead<T = RawWorkbook> {
    /// The file, as found among the inputs.
    pub path: PathBuf,
    /// How the analyst sees it: relative to the input folder given (see
    /// [`super::display_names`]).
    pub name: String,
    /// The sheets, or why the file could not be read.
    pub result: ReadOutcome<T>,
}

impl<T> FileRead<T> {
    /// The file as shown to the analyst.
    pub fn shown(&self) -> String {
        self.name.clone()
    }
}

/// Reads of earlier runs, keyed by path and valid while the file's size and modification time
/// are unchanged (for `watch`, which runs the pipeline again and again).
#[derive(Debug)]
pub struct ReadCache<T = RawWorkbook> {
    entries: HashMap<PathBuf, (u64, Option<SystemTime>, ReadOutcome<T>)>,
    /// What else a file's read depended on (its cell corrections), by path: see
    /// [`ReadCache::retag`].
    tags: HashMap<PathBuf, u64>,
}

impl<T> Default for ReadCache<T> {
    fn default() -> Self {
        ReadCache {
            entries: HashMap::new(),
            tags: HashMap::new(),
        }
    }
}

impl<T> ReadCache<T> {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of files held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Notes what else the read of `path` depends on (a fingerprint of its cell corrections):
    /// when it differs from the last one noted, the file's held read is dropped and the file is
    /// read again.
    pub fn retag(&mut self, path: &Path, tag: u64) {
        if self.tags.insert(path.to_path_buf(), tag) != Some(tag) {
            self.entries.remove(path);
        }
    }

    fn get(&self, path: &Path) -> Option<ReadOutcome<T>> {
        let (size, modified) = stamp(path)?;
        let (s, m, outcome) = self.entries.get(path)?;
        (*s == size && *m == modified).then(|| outcome.clone())
    }
}

/// A file's size and modification time.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// Reads every file in reader processes of `exe` (see [`Readers`]), `jobs` at a time (`None`: one
/// per core). With a cache, unchanged files are not read again and the cache is brought up to
/// date (files no longer in the batch are forgotten). The result keeps the order of `files`.
///
/// # Errors
/// A message when the worker threads cannot be started; a file that cannot be read is not an
/// error but a [`FileRead`] whose result says why.
pub fn read_files(
    exe: &Path,
    files: &[PathBuf],
    limits: &ReadLimits,
    jobs: Option<usize>,
    cache: Option<&mut ReadCache>,
) -> Result<Vec<FileRead>, String> {
    read_files_observed(exe, files, limits, jobs, cache, &|_| {})
}

/// [`read_files`], calling `on_read` from the reader threads as each file is done (cached or
/// read), in completion order: the hook of a progress display.
///
/// # Errors
/// As [`read_files`].
pub fn read_files_observed(
    exe: &Path,
    files: &[PathBuf],
    limits: &ReadLimits,
    jobs: Option<usize>,
    cache: Option<&mut ReadCache>,
    on_read: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<FileRead>, String> {
    read_files_into(exe, files, limits, jobs, cache, on_read, &|_| {
        RawCollector::default()
    })
}

/// Reads every file as [`read_files_observed`] does, handing each file's rows, as they stream
/// from its reader process, to a sink made for it by `sink_for(path)`; what the sink makes of
/// the file is kept (and cached). A file whose read fails keeps only the error: what its sink
/// was given is dropped.
///
/// # Errors
/// As [`read_files`].
pub fn read_files_into<S>(
    exe: &Path,
    files: &[PathBuf],
    limits: &ReadLimits,
    jobs: Option<usize>,
    cache: Option<&mut ReadCache<S::Output>>,
    on_read: &(dyn Fn(&Path) + Sync),
    sink_for: &(dyn Fn(&Path) -> S + Sync),
) -> Result<Vec<FileRead<S::Output>>, String>
where
    S: ReadSink,
    S::Output: Send + Sync,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| e.to_string())?;
    let cached: Vec<Option<ReadOutcome<S::Output>>> = files
        .iter()
        .map(|f| cache.as_deref().and_then(|c| c.get(f)))
        .collect();
    let readers = Readers::new(exe, limits);
    // Each file read is stamped before its read: a file changed while it was read is read
    // again next time, never kept as what it no longer is.
    let reads: Vec<(FileRead<S::Output>, Option<Stamp>)> = pool.install(|| {
        files
            .par_iter()
            .zip(cached.into_par_iter())
            .map(|(path, hit)| {
                let (result, stamped) = match hit {
                    Some(hit) => (hit, None),
                    None => {
                        let stamped = stamp(path);
                        let mut sink = sink_for(path);
                        let read = readers.stream(path, &mut |event| sink.event(event));
                        (Arc::new(read.map(|()| sink.finish())), stamped)
                    }
                };
                on_read(path);
                let read = FileRead {
                    path: path.clone(),
                    name: path.display().to_string(),
                    result,
                };
                (read, stamped)
            })
            .collect()
    });
    drop(readers);
    if let Some(cache) = cache {
        cache.entries.retain(|p, _| files.contains(p));
        for (read, stamped) in &reads {
            // A stopped or crashed reader, or a file the system would not hand over, may read
            // next time (less load, the lock gone): only what the file itself decides is kept.
            if matches!(
                read.result.as_ref(),
                Err(ReadError::Aborted(_) | ReadError::Io(_))
            ) {
                cache.entries.remove(&read.path);
                continue;
            }
            if let Some((size, modified)) = *stamped {
                cache
                    .entries
                    .insert(read.path.clone(), (size, modified, read.result.clone()));
            }
        }
    }
    Ok(reads.into_iter().map(|(read, _)| read).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_stopped_or_not_started_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x;y\n1;2\n").unwrap();
        // No reader binary: the read answers "could not start", a failure of the moment.
        let exe = dir.path().join("no-such-binary");
        let limits = ReadLimits::default();
        let mut cache = ReadCache::new();
        let files = vec![a.clone()];
        let first = read_files(&exe, &files, &limits, Some(1), Some(&mut cache)).unwrap();
        assert!(matches!(
            first[0].result.as_ref(),
            Err(ReadError::Aborted(_))
        ));
        assert_eq!(cache.len(), 0);
        let second = read_files(&exe, &files, &limits, Some(1), Some(&mut cache)).unwrap();
        assert!(
            !Arc::ptr_eq(&first[0].result, &second[0].result),
            "read again"
        );
    }
}
