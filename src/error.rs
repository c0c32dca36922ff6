//! What every job's error tells the command line: the lines a user reads and whether the
//! input is at fault. `main.rs` maps any [`JobError`] to its exit code in one place
//! (2 for bad input, 1 for a failure of the run).

/// An error a job returns.
pub trait JobError: std::error::Error {
    /// Whether the input (a file, a flag, a row) is at fault rather than the run.
    fn is_bad_input(&self) -> bool;
    /// What the user reads, one problem a line, each naming its file, line or site.
    fn lines(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}
