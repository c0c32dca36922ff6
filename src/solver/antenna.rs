//! A transmitting antenna's directional gain as the solvers apply it: a table of the
//! gain relative to the antenna's peak over every direction of the site frame, read at
//! each path's departure direction.
//!
//! Every path is exact (see [`super::path`]), so the engine knows the direction in which
//! it leaves the transmitter: in the unfolded frame the transmitter is real and the
//! receiver mirrored, so the horizontal departure direction is the unfolded one, and the
//! vertical one is the first leg of the path's vertical sequence (up or down). The gain
//! multiplies the path's power at the end of its evaluation.
//!
//! The table holds values ≤ 1 (the peak gain [dBi] is part of the radio's EIRP, not of
//! the maps), so every bound of the engine — free space times the coefficients' bounds —
//! stays a strict bound with an antenna, and the energy criterion ([`super::energy`])
//! compares against fields that include it.
//!
//! Resolution: 1° in azimuth and elevation, interpolated bilinearly; both backends read
//! the same table (the GPU in f32).

/// Columns (azimuth 0°, 1°, …, 360° — the last repeats the first) of a [`GainTable`].
pub const GAIN_COLUMNS: usize = 361;
/// Rows (elevation −90°, −89°, …, +90°) of a [`GainTable`].
pub const GAIN_ROWS: usize = 181;

/// Power gain relative to the antenna's peak [1] over directions of the site frame:
/// row r is the elevation r − 90 [°] (positive up), column c the azimuth c [°],
/// counter-clockwise from the site's +x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct GainTable {
    values: Vec<f32>,
}

impl GainTable {
    /// The table of `gain(azimuth [°], elevation [°])` [1], clamped to [0, 1]; the
    /// azimuth is counter-clockwise from the site's +x axis in [0, 360], the elevation
    /// positive up in [−90, 90].
    pub fn from_fn(gain: impl Fn(f64, f64) -> f64) -> GainTable {
        let mut values = Vec::with_capacity(GAIN_ROWS * GAIN_COLUMNS);
        for r in 0..GAIN_ROWS {
            for c in 0..GAIN_COLUMNS {
                let g = gain(c as f64, r as f64 - 90.0);
                values.push(if g.is_finite() { g.clamp(0.0, 1.0) as f32 } else { 0.0 });
            }
        }
        GainTable { values }
    }

    /// The values, row after row [1] (what the GPU backend uploads).
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Gain [1] toward the unit direction (`kx`, `ky`, `kz`) of the site frame.
    #[inline]
    pub fn gain(&self, kx: f64, ky: f64, kz: f64) -> f64 {
        let mut az = ky.atan2(kx).to_degrees();
        if az < 0.0 {
            az += 360.0;
        }
        let el = kz.atan2(kx.hypot(ky)).to_degrees() + 90.0;
        let (c, r) = ((az as usize).min(GAIN_COLUMNS - 2), (el as usize).min(GAIN_ROWS - 2));
        let (u, v) = (az - c as f64, el - r as f64);
        let at = |r: usize, c: usize| f64::from(self.values[r * GAIN_COLUMNS + c]);
        let low = at(r, c) + u * (at(r, c + 1) - at(r, c));
        let high = at(r + 1, c) + u * (at(r + 1, c + 1) - at(r + 1, c));
        low + v * (high - low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_its_function_between_samples() {
        // Smooth in both angles: bilinear interpolation at 1° is within 1e-4 of it.
        let f = |az: f64, el: f64| 0.5 + 0.25 * az.to_radians().cos() * el.to_radians().cos();
        let t = GainTable::from_fn(f);
        for (az, el) in [(0.0, 0.0), (37.3, 12.6), (181.5, -44.2), (359.7, 80.1), (90.0, -90.0)] {
            let (a, e) = (f64::to_radians(az), f64::to_radians(el));
            let g = t.gain(a.cos() * e.cos(), a.sin() * e.cos(), e.sin());
            assert!((g - f(az, el)).abs() < 1e-4, "az {az} el {el}: {g} vs {}", f(az, el));
        }
    }

    #[test]
    fn values_are_clamped_to_the_peak() {
        let t = GainTable::from_fn(|az, _| if az < 180.0 { 2.0 } else { f64::NAN });
        assert_eq!(t.gain(0.0, 1.0, 0.0), 1.0);
        assert_eq!(t.gain(0.0, -1.0, 0.0), 0.0);
    }
}
