//! Slab coefficient tables: for every slab type of a scene, the complex field
//! coefficients R_TE, R_TM, T_TE, T_TM sampled uniformly in the cosine of the incidence
//! angle, computed on the host in f64 (P.2040 §2.2.2.2) and stored in f32 so that both
//! solvers read the same numbers. Lookups interpolate linearly.
//!
//! Conventions: TE is E normal to the plane of incidence; TM is E in it, with
//! e_TM = e_TE × k for the incident and the reflected wave alike (the convention of the
//! P.2040 formulas: a perfect conductor gives R_TE = −1, R_TM = +1). Fixed-loss materials
//! have no phase: T = √|T|² for both polarisations, R_TE = −√|R|², R_TM = +√|R|², so that
//! at any angle they reflect like a dielectric at normal incidence.

use super::Scene;
use crate::materials::{Material, MaterialError, MaterialModel};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Default number of intervals over cos θ ∈ [0, 1].
pub const DEFAULT_INTERVALS: usize = 2048;

/// Index of R_TE in a sample ([re, im] pairs follow in this order).
pub const R_TE: usize = 0;
/// Index of R_TM.
pub const R_TM: usize = 2;
/// Index of T_TE.
pub const T_TE: usize = 4;
/// Index of T_TM.
pub const T_TM: usize = 6;

/// Most rows [`memo`] keeps: far more than the slab types × channels of any run.
const MEMO_ROWS: usize = 4096;

/// One slab type's samples at one frequency.
struct Row {
    values: Vec<[f32; 8]>,
    max_t: f32,
    max_r: f32,
}

impl Row {
    fn build(material: &Material, thickness: f64, f_ghz: f64, intervals: usize) -> Result<Row, MaterialError> {
        let (mut max_t, mut max_r) = (0f32, 0f32);
        let mut values = Vec::with_capacity(intervals + 1);
        for i in 0..=intervals {
            let cos = i as f64 / intervals as f64;
            let v: [f32; 8] = match material.model {
                MaterialModel::Itu { .. } => {
                    let c = material
                        .slab_coefficients(f_ghz, thickness, cos)?
                        .expect("an ITU material has complex coefficients");
                    [c.r_te.re, c.r_te.im, c.r_tm.re, c.r_tm.im, c.t_te.re, c.t_te.im, c.t_tm.re, c.t_tm.im]
                        .map(|x| x as f32)
                }
                MaterialModel::FixedLoss { .. } => {
                    let p = material.slab_power(f_ghz, thickness, cos)?;
                    let (r, t) = (p.r_te.sqrt() as f32, p.t_te.sqrt() as f32);
                    [-r, 0.0, r, 0.0, t, 0.0, t, 0.0]
                }
            };
            let pow = |k: usize| v[k] * v[k] + v[k + 1] * v[k + 1];
            max_r = max_r.max(pow(R_TE)).max(pow(R_TM));
            max_t = max_t.max(pow(T_TE)).max(pow(T_TM));
            values.push(v);
        }
        Ok(Row { values, max_t, max_r })
    }
}

/// Rows already computed in this process, by material model, thickness, frequency and
/// intervals: a placement runs the solver thousands of times on scenes of the same few
/// slab types, and each table took 2 % of a region's time. A pure function's memo:
/// a row found is the row that would be computed.
fn memo() -> &'static Mutex<HashMap<String, Arc<Row>>> {
    static ROWS: OnceLock<Mutex<HashMap<String, Arc<Row>>>> = OnceLock::new();
    ROWS.get_or_init(Default::default)
}

/// Coefficient tables of one scene at one frequency.
#[derive(Debug, Clone)]
pub struct CoefficientTable {
    /// Frequency [GHz].
    pub f_ghz: f64,
    /// Intervals over cos θ; each slab type has `intervals + 1` samples.
    pub intervals: usize,
    /// `[slab_type * (intervals + 1) + i]` = (R_TE, R_TM, T_TE, T_TM) as (re, im) pairs at
    /// cos θ = i / intervals [1].
    pub values: Vec<[f32; 8]>,
    /// Per slab type: the largest |T|² over angles and polarisations [1].
    pub max_transmission: Vec<f32>,
    /// Per slab type: the largest |R|² over angles and polarisations [1].
    pub max_reflection: Vec<f32>,
}

impl CoefficientTable {
    /// Tables for every slab type of `scene` at `f_ghz` [GHz]; fails when a material is
    /// not valid at that frequency.
    pub fn build(scene: &Scene, f_ghz: f64, intervals: usize) -> Result<CoefficientTable, MaterialError> {
        let n = intervals + 1;
        let mut values = Vec::with_capacity(scene.slab_types.len() * n);
        let (mut max_t, mut max_r) = (Vec::new(), Vec::new());
        for st in &scene.slab_types {
            let material = &scene.materials[st.material as usize];
            let thickness = f64::from(st.thickness);
            // The samples depend on the material's model, not its name.
            let key = format!("{:?}|{}|{}|{intervals}", material.model, thickness.to_bits(), f_ghz.to_bits());
            let found = memo().lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
            let row = match found {
                Some(row) => row,
                None => {
                    let row = Arc::new(Row::build(material, thickness, f_ghz, intervals)?);
                    let mut rows = memo().lock().unwrap_or_else(|e| e.into_inner());
                    if rows.len() < MEMO_ROWS {
                        rows.insert(key, row.clone());
                    }
                    row
                }
            };
            values.extend_from_slice(&row.values);
            max_t.push(row.max_t);
            max_r.push(row.max_r);
        }
        Ok(CoefficientTable { f_ghz, intervals, values, max_transmission: max_t, max_reflection: max_r })
    }

    /// Interpolated values of `slab_type` at `cos_theta`, the four from index `first` of a
    /// sample on: `R_TE` gives (R_TE, R_TM), `T_TE` gives (T_TE, T_TM), as (re, im) pairs
    /// (a path meeting a slab needs one pair, not both).
    #[inline]
    pub fn lookup(&self, slab_type: u32, cos_theta: f64, first: usize) -> [f64; 4] {
        let x = cos_theta.clamp(0.0, 1.0) * self.intervals as f64;
        let i = (x as usize).min(self.intervals - 1);
        let w = x - i as f64;
        let base = slab_type as usize * (self.intervals + 1) + i;
        let (a, b) = (&self.values[base][first..first + 4], &self.values[base + 1][first..first + 4]);
        std::array::from_fn(|k| f64::from(a[k]) + w * (f64::from(b[k]) - f64::from(a[k])))
    }
}
