//! Rendering: pure functions from data to images and pages — floor heatmaps
//! ([`heatmap`]), the site report ([`report`]) and the rollout charts (Gantt, region
//! map, budget burn-down; [`charts`]), with labels that never overprint ([`labels`]).
//! Text is drawn with the bundled DejaVu Sans (`data/fonts/`), so the images are the
//! same on every machine, with or without system fonts.

pub mod charts;
pub mod heatmap;
pub mod labels;
pub mod report;

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

/// A whole number with its thousands grouped by `separator`, e.g. "1,895,181".
pub fn thousands(v: f64, separator: char) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if v < -0.5 { format!("-{out}") } else { out }
}

/// Encodes an RGB buffer of `width` × `height` as PNG.
pub(crate) fn png(what: &str, width: u32, height: u32, rgb: Vec<u8>) -> Result<Vec<u8>, RenderError> {
    let img = image::RgbImage::from_raw(width, height, rgb).ok_or_else(|| RenderError::new(what, "buffer size"))?;
    let mut out = Vec::new();
    // Fast deflate: flat colour bands compress well anyway, and the batch renders hundreds.
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    img.write_with_encoder(encoder).map_err(|e| RenderError::new(what, e))?;
    Ok(out)
}
