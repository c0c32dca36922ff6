//! Rendering: pure functions from data to PNG images — the rollout charts (Gantt, region
//! map, budget burn-down). Text is drawn with the bundled DejaVu Sans (`data/fonts/`),
//! so the images are the same on every machine, with or without system fonts.

pub mod charts;

use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera licence, `data/fonts/LICENSE`).
pub const FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");

/// Why an image could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("cannot render {what}: {message}")]
pub struct RenderError {
    /// The image.
    pub what: String,
    /// Why.
    pub message: String,
}

impl RenderError {
    pub(crate) fn new(what: &str, e: impl std::fmt::Display) -> RenderError {
        RenderError { what: what.to_string(), message: e.to_string() }
    }
}

/// Registers the bundled font as "sans-serif" once.
pub(crate) fn font() -> Result<(), RenderError> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", plotters::style::FontStyle::Normal, FONT)
            .map_err(|_| "the bundled font is not a valid OpenType font".to_string())
    })
    .clone()
    .map_err(|e| RenderError::new("text", e))
}

/// Encodes an RGB buffer of `width` × `height` as PNG.
pub(crate) fn png(what: &str, width: u32, height: u32, rgb: Vec<u8>) -> Result<Vec<u8>, RenderError> {
    let img = image::RgbImage::from_raw(width, height, rgb).ok_or_else(|| RenderError::new(what, "buffer size"))?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).map_err(|e| RenderError::new(what, e))?;
    Ok(out.into_inner())
}
