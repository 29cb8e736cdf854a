//! Errors that stop a whole run. Each says what went wrong and what to do; row and file
//! problems are not errors but `Issue`s.

use thiserror::Error;

/// Why a run produced no output.
#[derive(Debug, Error)]
pub enum RunError {
    /// The command line or config asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// The run could not produce its output.
    #[error("{0}")]
    Output(String),
}

impl RunError {
    /// Exit code of the run: 2 for both (spec 3: bad usage, or no output produced).
    pub fn exit_code(&self) -> u8 {
        2
    }
}
