//! The ITU-R P.2040-3 (Table 3) building materials: permittivity and conductivity as
//! power laws of frequency, with the frequency range each fit is valid over.

use nalgebra::Complex;
use serde::{Deserialize, Serialize};

/// Coefficients of ITU-R P.2040-3 Table 3: relative permittivity η' = a·f^b and
/// conductivity σ = c·f^d [S/m], with f in [GHz].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ItuParams {
    /// Permittivity factor [1].
    pub a: f64,
    /// Permittivity exponent [1].
    pub b: f64,
    /// Conductivity factor [S/m].
    pub c: f64,
    /// Conductivity exponent [1].
    pub d: f64,
}

impl ItuParams {
    /// Real relative permittivity η' at `f_ghz` [GHz].
    pub fn relative_permittivity(&self, f_ghz: f64) -> f64 {
        self.a * f_ghz.powf(self.b)
    }

    /// Conductivity σ at `f_ghz` [GHz], in [S/m].
    pub fn conductivity(&self, f_ghz: f64) -> f64 {
        self.c * f_ghz.powf(self.d)
    }

    /// Complex relative permittivity η = η' − j·17.98·σ/f at `f_ghz` [GHz] (P.2040 eq. 9b).
    pub fn complex_permittivity(&self, f_ghz: f64) -> Complex<f64> {
        Complex::new(self.relative_permittivity(f_ghz), -17.98 * self.conductivity(f_ghz) / f_ghz)
    }
}

/// One row of the ITU-R P.2040-3 material table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItuMaterial {
    /// Name used in plan files, e.g. `"concrete"`.
    pub name: &'static str,
    /// Power-law coefficients.
    pub params: ItuParams,
    /// Frequency range the fit is valid over, inclusive [GHz].
    pub valid_ghz: (f64, f64),
}

const fn row(name: &'static str, a: f64, b: f64, c: f64, d: f64, lo: f64, hi: f64) -> ItuMaterial {
    ItuMaterial { name, params: ItuParams { a, b, c, d }, valid_ghz: (lo, hi) }
}

/// The ITU-R P.2040-3 materials wifiplan knows by name (DESIGN.md §5).
pub const ITU_MATERIALS: [ItuMaterial; 10] = [
    row("concrete", 5.24, 0.0, 0.0462, 0.7822, 1.0, 100.0),
    row("brick", 3.91, 0.0, 0.0238, 0.16, 1.0, 40.0),
    row("plasterboard", 2.73, 0.0, 0.0085, 0.9395, 1.0, 100.0),
    row("wood", 1.99, 0.0, 0.0047, 1.0718, 0.001, 100.0),
    row("glass", 6.31, 0.0, 0.0036, 1.3394, 0.1, 100.0),
    row("ceiling_board", 1.48, 0.0, 0.0011, 1.075, 1.0, 100.0),
    row("chipboard", 2.58, 0.0, 0.0217, 0.78, 1.0, 100.0),
    row("plywood", 2.71, 0.0, 0.33, 0.0, 1.0, 40.0),
    row("marble", 7.074, 0.0, 0.0055, 0.9262, 1.0, 60.0),
    row("metal", 1.0, 0.0, 1e7, 0.0, 1.0, 100.0),
];

/// The ITU-R material of that name, if there is one.
pub fn itu_material(name: &str) -> Option<&'static ItuMaterial> {
    ITU_MATERIALS.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_permittivity_at_5_5_ghz_matches_the_table() {
        let eta = itu_material("concrete").unwrap().params.complex_permittivity(5.5);
        assert_eq!(eta.re, 5.24);
        // σ = 0.0462·5.5^0.7822 = 0.175289 S/m; 17.98·σ/f = 0.573034
        assert!((eta.im + 0.573_034).abs() < 1e-6, "{eta}");
    }
}
