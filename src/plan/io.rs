//! Reading and writing plan files (RON, DESIGN.md §3). Reading enables RON's
//! `implicit_some` ([`crate::ronfile`]), so optional values may be written bare; writing
//! is pretty, with struct names, and atomic.

use super::{PlanError, Site, validate};
use crate::atomic::write_atomic;
use crate::ronfile;
use ron::ser::PrettyConfig;
use std::path::Path;

/// Parses plan text; `origin` names the text in errors (usually its path).
pub fn parse(text: &str, origin: &Path) -> Result<Site, PlanError> {
    Ok(ronfile::parse(text, origin)?)
}

/// Reads and parses a plan file, without validating it.
pub fn read(path: &Path) -> Result<Site, PlanError> {
    Ok(ronfile::read(path)?)
}

/// Reads, parses and validates a plan file: the site, or every problem found.
pub fn load(path: &Path) -> Result<Site, PlanError> {
    let site = read(path)?;
    let problems = validate(&site);
    if problems.is_empty() { Ok(site) } else { Err(PlanError::Invalid { path: path.to_path_buf(), problems }) }
}

/// The plan as pretty RON text, readable back by [`parse`] into an equal site.
pub fn to_ron_string(site: &Site) -> Result<String, ron::Error> {
    let config = PrettyConfig::new().struct_names(true).indentor("    ".to_string());
    ron::ser::to_string_pretty(site, config)
}

/// Writes the plan to `path` atomically.
pub fn save(site: &Site, path: &Path) -> Result<(), PlanError> {
    let text = to_ron_string(site)
        .map_err(|e| PlanError::Write { path: path.to_path_buf(), source: std::io::Error::other(e) })?;
    write_atomic(path, text.as_bytes()).map_err(|source| PlanError::Write { path: path.to_path_buf(), source })
}
