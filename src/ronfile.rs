//! Reading the RON input files (plans, access points): the options every reader uses
//! (`implicit_some`, a recursion limit so that deeply nested garbage is an error rather
//! than a stack overflow) and errors that carry the file and the line:column.

use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Why a RON file could not be read into a value.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// RON syntax, or a field missing, misspelt or of the wrong type.
    #[error("{}:{line}:{col}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        col: usize,
        /// What is wrong.
        message: String,
    },
}

impl crate::error::JobError for ReadError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

/// Parses RON text; `origin` names it in errors (usually its path).
pub fn parse<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T, ReadError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
        .from_str(text)
        .map_err(|e| ReadError::Syntax {
            path: origin.to_path_buf(),
            line: e.span.start.line,
            col: e.span.start.col,
            message: e.code.to_string(),
        })
}

/// Reads and parses a RON file.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, ReadError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReadError::Read { path: path.to_path_buf(), source })?;
    parse(&text, path)
}
