//! One file's conversion in a pooled reader process ([`Readers`], `scoreboard worker`, hidden):
//! the file is read and its outputs written into a staging folder there, under the read stage's
//! memory cap and timeout, so a file that makes calamine abort costs that file only.

use super::{convert_file, ConvertError, ConvertOptions, FileConverted};
use crate::read::{Abort, ReadError, ReadLimits, Readers};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a reader process is asked to convert.
#[derive(Debug, Serialize, Deserialize)]
struct ConvertJob {
    input: PathBuf,
    staging: PathBuf,
    options: ConvertOptions,
}

/// Converts one file in a process of `readers`; the outputs are left in `staging` for the
/// parent to put in place.
///
/// # Errors
/// The converter's [`ConvertError`], or [`ReadError::Aborted`] when its process crashed
/// ([`Abort::ConverterCrashed`] for a panic), ran out of memory or time, or could not be
/// started.
pub fn convert_isolated(
    readers: &Readers,
    input: &Path,
    staging: &Path,
    options: &ConvertOptions,
) -> Result<FileConverted, ConvertError> {
    let lost = |what: String| ConvertError::Read(ReadError::Aborted(Abort::Lost(what)));
    let job = ConvertJob {
        input: input.to_path_buf(),
        staging: staging.to_path_buf(),
        options: options.clone(),
    };
    let job = postcard::to_stdvec(&job).map_err(|e| lost(format!("could not encode: {e}")))?;
    let answer = readers.run(job).map_err(|e| match e {
        ReadError::Aborted(Abort::Crashed(message)) => {
            ConvertError::Read(ReadError::Aborted(Abort::ConverterCrashed(message)))
        }
        e => ConvertError::Read(e),
    })?;
    postcard::from_bytes::<Result<FileConverted, ConvertError>>(&answer)
        .map_err(|e| lost(format!("the converter's answer was unreadable: {e}")))?
}

/// The reader process's side of [`convert_isolated`]: decodes the job, converts, and encodes
/// the outcome (what it writes goes into the job's staging folder).
pub fn handle_job(job: &[u8], limits: &ReadLimits) -> Vec<u8> {
    let outcome: Result<FileConverted, ConvertError> = postcard::from_bytes::<ConvertJob>(job)
        .map_err(|e| {
            ConvertError::Read(ReadError::Aborted(Abort::Lost(format!(
                "the conversion asked for was unreadable: {e}"
            ))))
        })
        .and_then(|job| convert_file(&job.input, &job.options, &job.staging, limits));
    // An outcome that cannot be encoded reaches the parent as an unreadable answer.
    postcard::to_stdvec(&outcome).unwrap_or_default()
}
