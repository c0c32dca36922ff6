//! Importing floor plans: architects' DXF drawings ([`dxf`]), plan images ([`raster`])
//! and BIM models (IFC, [`ifc`]), mapped by an import configuration ([`config`]) and assembled into a
//! one-floor plan ([`assemble`]): cleaned up, doors and windows set into walls (or walls
//! and circulation derived from room outlines, [`space`]), rooms named and typed from
//! their labels, validated.

pub mod assemble;
pub mod config;
pub mod dxf;
pub mod ifc;
pub mod raster;
pub mod space;

pub use assemble::ImportReport;
pub use config::ImportConfig;

use crate::plan::Site;
use std::path::{Path, PathBuf};

/// `v` [m] to the micrometre (−0 as 0): overlays, unit conversions and placements leave
/// noise in the last digits that would otherwise show in the written plan.
pub(crate) fn micrometres(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

/// Why an import failed (every variant is bad input).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input cannot be read as the format it claims.
    #[error("{0}")]
    Format(String),
    /// The configuration does not fit the input.
    #[error("{0}")]
    Config(String),
    /// The image is larger than allowed.
    #[error("the image is {width} × {height} pixels, more than the {limit} allowed (raster.max_pixels)")]
    TooLarge {
        /// Width [px].
        width: u32,
        /// Height [px].
        height: u32,
        /// Limit [px].
        limit: u64,
    },
    /// The config maps nothing of the input.
    #[error("{0}")]
    NothingMatched(String),
    /// Nothing usable once mapped.
    #[error("no usable geometry: {0}")]
    NoGeometry(String),
    /// The plan it gives breaks validation.
    #[error("the imported plan is not valid: {}", .0.join("; "))]
    Invalid(Vec<String>),
}

/// An import error with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[error("{}: {error}", path.display())]
pub struct FileImportError {
    /// The input file.
    pub path: PathBuf,
    /// What went wrong.
    pub error: ImportError,
}

impl crate::error::JobError for FileImportError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

/// Imports `bytes` of a DXF or PNG file (by its extension, else by its first bytes);
/// `name` is the site name when the config gives none.
pub fn import(bytes: &[u8], png: bool, config: &ImportConfig, name: &str) -> Result<(Site, ImportReport), ImportError> {
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(ImportError::Config(problems.join("; ")));
    }
    let (extract, unmapped) = if png {
        let settings = config
            .raster
            .as_ref()
            .ok_or_else(|| ImportError::Config("a PNG plan needs the `raster` settings".into()))?;
        raster::extract(bytes, settings)?
    } else {
        dxf::extract(bytes, config)?
    };
    let mut report = ImportReport { unmapped, ..ImportReport::default() };
    let site = assemble::assemble(extract, config, name, &mut report)?;
    Ok((site, report))
}

/// Imports an IFC file's bytes (every storey a floor); `name` is the site name when the
/// config gives none.
pub fn import_ifc(bytes: &[u8], config: &ImportConfig, name: &str) -> Result<(Site, ImportReport), ImportError> {
    let problems = config.problems();
    if !problems.is_empty() {
        return Err(ImportError::Config(problems.join("; ")));
    }
    let mut report = ImportReport::default();
    let site = ifc::import_ifc(bytes, config, name, &mut report)?;
    Ok((site, report))
}

/// Imports a file, choosing DXF, PNG or IFC by extension (else by the PNG or STEP
/// signature).
pub fn import_file(path: &Path, config: &ImportConfig) -> Result<(Site, ImportReport), FileImportError> {
    let fail = |error| FileImportError { path: path.to_path_buf(), error };
    let bytes = std::fs::read(path).map_err(|e| fail(ImportError::Format(format!("cannot read: {e}"))))?;
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("imported plan");
    if ext.as_deref() == Some("ifc") || (ext.is_none() && bytes.starts_with(b"ISO-10303-21")) {
        return import_ifc(&bytes, config, name).map_err(fail);
    }
    let png = match ext.as_deref() {
        Some("png") => true,
        Some("dxf") | Some("dxb") => false,
        _ => bytes.starts_with(b"\x89PNG"),
    };
    import(&bytes, png, config, name).map_err(fail)
}
