//! Materials as data: the ITU-R P.2040-3 table, custom materials defined in a plan
//! (`Itu(a, b, c, d)` and `FixedLoss` per band), and the slab coefficients of a wall or
//! floor of a given material and thickness at a given frequency and angle.
//!
//! A frequency outside a material's validity range is an error, never an extrapolation.

mod itu;
mod slab;

pub use itu::{ITU_MATERIALS, ItuMaterial, ItuParams, itu_material};
pub use slab::{SPEED_OF_LIGHT, SlabCoefficients, SlabPower, single_layer_slab, to_db};

use crate::band::Band;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A custom material as written in a plan's `materials` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum MaterialDef {
    /// ITU-R P.2040 power-law coefficients (η' = a·f^b, σ = c·f^d, f in GHz).
    Itu {
        /// Permittivity factor [1].
        a: f64,
        /// Permittivity exponent [1].
        b: f64,
        /// Conductivity factor [S/m].
        c: f64,
        /// Conductivity exponent [1].
        d: f64,
        /// Frequency range the coefficients are valid over [GHz]; any frequency when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        valid_ghz: Option<(f64, f64)>,
    },
    /// A loss that does not depend on angle, thickness or polarisation: measured or
    /// catalogue values per band.
    FixedLoss {
        /// Transmission loss per band key ("2.4", "5", "6"), positive [dB].
        db: BTreeMap<String, f64>,
        /// Reflection coefficient |R|² at every band, ≤ 0 [dB].
        reflection_db: f64,
    },
}

impl MaterialDef {
    /// Everything wrong with this definition, one message each (empty when sound).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            MaterialDef::Itu { a, b, c, d, valid_ghz } => {
                for (field, v) in [("a", a), ("b", b), ("c", c), ("d", d)] {
                    if !v.is_finite() {
                        out.push(format!("`{field}` is not a finite number"));
                    }
                }
                if a.is_finite() && *a < 1.0 {
                    out.push(format!("permittivity factor a = {a} is below 1 (vacuum)"));
                }
                if c.is_finite() && *c < 0.0 {
                    out.push(format!("conductivity factor c = {c} is negative"));
                }
                if let Some((lo, hi)) = valid_ghz
                    && !(lo.is_finite() && hi.is_finite() && *lo > 0.0 && lo < hi)
                {
                    out.push(format!("valid_ghz ({lo}, {hi}) is not a range of positive frequencies"));
                }
            }
            MaterialDef::FixedLoss { db, reflection_db } => {
                if db.is_empty() {
                    out.push("FixedLoss gives no band: expected keys \"2.4\", \"5\", \"6\"".into());
                }
                for (key, loss) in db {
                    if Band::from_key(key).is_none() {
                        out.push(format!("unknown band key \"{key}\": expected \"2.4\", \"5\" or \"6\""));
                    }
                    if !(loss.is_finite() && *loss >= 0.0) {
                        out.push(format!("loss {loss} dB for band \"{key}\" must be a finite number ≥ 0"));
                    } else if reflection_db.is_finite()
                        && 10f64.powf(-loss / 10.0) + 10f64.powf(reflection_db / 10.0) > 1.0 + 1e-9
                    {
                        out.push(format!(
                            "band \"{key}\": transmission −{loss} dB plus reflection {reflection_db} dB \
                             return more power than arrives"
                        ));
                    }
                }
                if !(reflection_db.is_finite() && *reflection_db <= 0.0) {
                    out.push(format!("reflection_db {reflection_db} must be a finite number ≤ 0 (|R|² in dB)"));
                }
            }
        }
        out
    }
}

/// How a resolved material interacts with a wave.
#[derive(Debug, Clone, PartialEq)]
pub enum MaterialModel {
    /// ITU-R P.2040 dielectric slab.
    Itu {
        /// Power-law coefficients.
        params: ItuParams,
        /// Validity range [GHz]; `None`: any frequency.
        valid_ghz: Option<(f64, f64)>,
    },
    /// Fixed per-band losses.
    FixedLoss {
        /// Transmission loss per band, positive [dB].
        loss_db: BTreeMap<Band, f64>,
        /// |R|² [dB], ≤ 0.
        reflection_db: f64,
    },
}

/// A named material, ready to give slab coefficients.
#[derive(Debug, Clone, PartialEq)]
pub struct Material {
    /// Name as written in plans.
    pub name: String,
    /// Its interaction model.
    pub model: MaterialModel,
}

/// Why a material cannot give coefficients at a frequency.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MaterialError {
    /// The frequency lies outside the range the material's fit is valid over.
    #[error("material \"{material}\" is valid from {lo} to {hi} GHz, not at {f_ghz} GHz")]
    OutOfRange {
        /// Material name.
        material: String,
        /// Requested frequency [GHz].
        f_ghz: f64,
        /// Lower end of the validity range [GHz].
        lo: f64,
        /// Upper end of the validity range [GHz].
        hi: f64,
    },
    /// A fixed-loss material has no value for the band of the frequency.
    #[error("material \"{material}\" gives no loss for {f_ghz} GHz (it defines bands {defined})")]
    NoBand {
        /// Material name.
        material: String,
        /// Requested frequency [GHz].
        f_ghz: f64,
        /// The band keys it defines, comma-separated.
        defined: String,
    },
    /// No material of that name in the ITU table or the plan.
    #[error("unknown material \"{0}\"")]
    Unknown(String),
}

impl Material {
    /// The ITU-R material of that name.
    pub fn itu(name: &str) -> Option<Material> {
        itu_material(name).map(|m| Material {
            name: m.name.to_string(),
            model: MaterialModel::Itu { params: m.params, valid_ghz: Some(m.valid_ghz) },
        })
    }

    /// Resolves a custom definition (assumed free of [`MaterialDef::problems`]).
    pub fn from_def(name: &str, def: &MaterialDef) -> Material {
        let model = match def {
            MaterialDef::Itu { a, b, c, d, valid_ghz } => {
                MaterialModel::Itu { params: ItuParams { a: *a, b: *b, c: *c, d: *d }, valid_ghz: *valid_ghz }
            }
            MaterialDef::FixedLoss { db, reflection_db } => MaterialModel::FixedLoss {
                loss_db: db.iter().filter_map(|(k, v)| Band::from_key(k).map(|b| (b, *v))).collect(),
                reflection_db: *reflection_db,
            },
        };
        Material { name: name.to_string(), model }
    }

    /// Power reflection and transmission of a slab of this material, `thickness_m` [m]
    /// thick, at `f_ghz` [GHz] and `cos_theta` (cosine of the incidence angle from the
    /// normal). Fixed-loss materials ignore thickness, angle and polarisation.
    pub fn slab_power(&self, f_ghz: f64, thickness_m: f64, cos_theta: f64) -> Result<SlabPower, MaterialError> {
        match &self.model {
            MaterialModel::Itu { params, .. } => {
                let eta = self.permittivity(f_ghz, params)?;
                Ok(single_layer_slab(eta, thickness_m, f_ghz, cos_theta).power())
            }
            MaterialModel::FixedLoss { loss_db, reflection_db } => {
                let loss =
                    Band::containing(f_ghz).and_then(|b| loss_db.get(&b)).ok_or_else(|| MaterialError::NoBand {
                        material: self.name.clone(),
                        f_ghz,
                        defined: loss_db.keys().map(|b| b.key()).collect::<Vec<_>>().join(", "),
                    })?;
                let t = 10f64.powf(-loss / 10.0);
                let r = 10f64.powf(reflection_db / 10.0);
                Ok(SlabPower { r_te: r, r_tm: r, t_te: t, t_tm: t })
            }
        }
    }

    /// Complex field coefficients of a slab of this ITU-type material (`None` for a
    /// fixed-loss material, which has no phase).
    pub fn slab_coefficients(
        &self,
        f_ghz: f64,
        thickness_m: f64,
        cos_theta: f64,
    ) -> Result<Option<SlabCoefficients>, MaterialError> {
        match &self.model {
            MaterialModel::Itu { params, .. } => {
                let eta = self.permittivity(f_ghz, params)?;
                Ok(Some(single_layer_slab(eta, thickness_m, f_ghz, cos_theta)))
            }
            MaterialModel::FixedLoss { .. } => self.slab_power(f_ghz, thickness_m, cos_theta).map(|_| None),
        }
    }

    /// Checks that this material can be evaluated at `f_ghz` [GHz].
    pub fn check_frequency(&self, f_ghz: f64) -> Result<(), MaterialError> {
        self.slab_power(f_ghz, 0.0, 1.0).map(|_| ())
    }

    fn permittivity(&self, f_ghz: f64, params: &ItuParams) -> Result<nalgebra::Complex<f64>, MaterialError> {
        if let MaterialModel::Itu { valid_ghz: Some((lo, hi)), .. } = self.model
            && !(lo..=hi).contains(&f_ghz)
        {
            return Err(MaterialError::OutOfRange { material: self.name.clone(), f_ghz, lo, hi });
        }
        Ok(params.complex_permittivity(f_ghz))
    }
}

/// The materials a plan may name: its own definitions, then the ITU-R table.
#[derive(Debug, Clone, Default)]
pub struct MaterialLibrary {
    custom: BTreeMap<String, Material>,
}

impl MaterialLibrary {
    /// A library with the ITU-R table and the plan's sound definitions (definitions with
    /// problems are left out: validation reports them).
    pub fn new(defs: &BTreeMap<String, MaterialDef>) -> MaterialLibrary {
        let custom = defs
            .iter()
            .filter(|(_, d)| d.problems().is_empty())
            .map(|(n, d)| (n.clone(), Material::from_def(n, d)))
            .collect();
        MaterialLibrary { custom }
    }

    /// Whether a material of that name is known (custom or ITU-R).
    pub fn contains(&self, name: &str) -> bool {
        self.custom.contains_key(name) || itu_material(name).is_some()
    }

    /// The material of that name.
    pub fn get(&self, name: &str) -> Result<Material, MaterialError> {
        self.custom
            .get(name)
            .cloned()
            .or_else(|| Material::itu(name))
            .ok_or_else(|| MaterialError::Unknown(name.to_string()))
    }
}
