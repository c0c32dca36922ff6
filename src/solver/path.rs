//! Path gain of one path — a region's horizontal interaction chain combined with one
//! vertical path — at one receiver point: free-space gain over the unfolded 3D length
//! times the slab coefficients met on the way, with the polarisation tracked as a
//! complex field.
//!
//! Antennas are vertically polarised at both ends. At each interaction the field splits
//! into its TE and TM components relative to the plane of incidence, each multiplied by
//! its own complex coefficient; the field is carried along the path as a complex
//! 2-vector, so that TE and TM recombine coherently at the receiver (within one path;
//! paths add incoherently). Everything happens in the unfolded frame, where the
//! direction of travel k is constant and the field lives in the fixed basis (e_θ, e_φ)
//! normal to k: mirrors keep vertical walls vertical and slabs horizontal, so the V
//! polarisation at either end is e_θ(k) there. In that frame a reflection acts as
//! diag(R_TE, −R_TM) in the (TE, TM = TE × k) basis of its plane of incidence.

use super::antenna::GainTable;
use super::beams::{BeamSet, Region};
use super::shared::Crossing;
use super::vertical::VerticalPath;
use crate::scene::tables::{CoefficientTable, R_TE, R_TM, T_TE, T_TM};
use crate::scene::{NONE, Scene};
use nalgebra::{Complex, Point2};

type P = Point2<f64>;
type C = Complex<f64>;

/// A receiver point as a region's chain sees it: what its vertical paths share.
#[derive(Debug, Default)]
pub struct Horizontal {
    /// Unfolded horizontal vector from the transmitter to the receiver [m].
    d: nalgebra::Vector2<f64>,
    /// |d|² [m²].
    h2: f64,
    /// Per chain node, once `filled`: (normal · d [m], the fraction of the horizontal
    /// travel where the path meets the node's line [1], where along the line [m]).
    nodes: Vec<(f64, f64, f64)>,
    filled: bool,
}

/// What the evaluation of paths needs besides the path itself.
pub struct PathContext<'a> {
    /// The scene.
    pub scene: &'a Scene,
    /// Slab coefficients at the transmitter's frequency.
    pub table: &'a CoefficientTable,
    /// Wavelength [m].
    pub wavelength: f64,
    /// Paths whose gain falls below this are dropped [1].
    pub floor: f64,
    /// Per wall line: the largest |R|² of its slab types over cos θ ≥ i / N, at index i
    /// (N the table's intervals) [1].
    pub line_reflection_max: &'a [std::sync::Arc<[f32]>],
    /// Per slab plane: the largest |R|² of its slab types at the table samples [1].
    pub plane_reflection_max: &'a [Vec<f32>],
    /// Per slab plane: the largest |T|² of its slab types at the table samples [1].
    pub plane_transmission_at: &'a [Vec<f32>],
    /// The transmitter's antenna (`None`: isotropic); its gain is at most 1, so the
    /// bounds and cutoffs below, which leave it out, stay strict.
    pub antenna: Option<&'a GainTable>,
}

/// The field in the basis (e_θ, e_φ) of the direction of travel, where
/// e_θ = (−k_z k_x, −k_z k_y, h)/h and e_φ = (−k_y, k_x, 0)/h, h = |k_xy| (so that
/// e_θ × k = e_φ and e_φ × k = −e_θ); the transmitter radiates e_θ.
#[derive(Debug, Clone, Copy)]
struct Field {
    theta: C,
    phi: C,
}

impl Field {
    /// Meets a surface whose TE direction is (cos ψ, sin ψ) in the (e_θ, e_φ) basis,
    /// given unnormalised as (s_θ, s_φ); `c_te`, `c_tm` act on the TE and TM components.
    #[inline(always)]
    fn meet(&mut self, s_theta: f64, s_phi: f64, c_te: C, c_tm: C) {
        let norm2 = s_theta * s_theta + s_phi * s_phi;
        if norm2 < 1e-24 {
            // Normal incidence: TE and TM coincide and c_te = c_tm.
            self.theta *= c_te;
            self.phi *= c_te;
            return;
        }
        let inv = norm2.sqrt().recip();
        let (cs, sn) = (s_theta * inv, s_phi * inv);
        // TE = (cs, sn); TM = TE × k = (−sn, cs).
        let te = (self.theta * cs + self.phi * sn) * c_te;
        let tm = (self.phi * cs - self.theta * sn) * c_tm;
        self.theta = te * cs - tm * sn;
        self.phi = te * sn + tm * cs;
    }

    #[inline(always)]
    fn power(&self) -> f64 {
        self.theta.norm_sqr() + self.phi.norm_sqr()
    }
}

#[inline(always)]
fn coefficient(c: &[f64; 4], k: usize) -> C {
    C::new(c[k], c[k + 1])
}

/// (TE, TM) coefficients of an interaction with slab type `slab` at `cos`.
#[inline(always)]
fn pair(table: &CoefficientTable, slab: u32, cos: f64, reflect: bool) -> (C, C) {
    if reflect {
        let c = table.lookup(slab, cos, R_TE);
        (coefficient(&c, 0), -coefficient(&c, R_TM - R_TE))
    } else {
        let c = table.lookup(slab, cos, T_TE);
        (coefficient(&c, 0), coefficient(&c, T_TM - T_TE))
    }
}

impl PathContext<'_> {
    /// Upper bound of the product of a path's reflection coefficients, for a path whose
    /// horizontal and vertical direction cosines are `horizontal` = L/D and `vertical`
    /// = V/D: each wall reflection's 3D cosine is at least its region's least horizontal
    /// cosine times L/D; a slab reflection's is V/D exactly.
    #[inline]
    pub fn reflection_bound(
        &self,
        region: &Region,
        vertical_path: &VerticalPath,
        horizontal: f64,
        vertical: f64,
    ) -> f64 {
        let n = self.table.intervals as f64;
        let mut bound = 1.0;
        for r in region.reflection_bounds.iter().take(region.reflections as usize) {
            let i = ((r.cos_min * horizontal * n) as usize).min(self.table.intervals);
            bound *= f64::from(self.line_reflection_max[r.line as usize][i]);
        }
        if vertical_path.reflections > 0 {
            let x = vertical.abs() * n;
            let i = (x as usize).min(self.table.intervals - 1);
            for e in vertical_path.events.iter().filter(|e| e.reflect) {
                let t = &self.plane_reflection_max[e.plane as usize];
                bound *= f64::from(t[i].max(t[i + 1]));
            }
        }
        bound
    }

    /// What every vertical path to the receiver at `p` (real frame, horizontal) [m]
    /// through `region`'s chain shares, into `out`; the chain's crossings are computed
    /// when a path first needs them.
    pub fn horizontal(&self, set: &BeamSet, region: &Region, p: &P, out: &mut Horizontal) {
        out.d = region.to_unfolded.apply(p) - set.tx;
        out.h2 = out.d.norm_squared();
        out.nodes.clear();
        out.filled = false;
    }

    /// Gain [1] of the path made of `region`'s chain and `vertical`, to the receiver
    /// whose horizontal part is `h` ([`PathContext::horizontal`]); 0 where the path does
    /// not exist (a reflection on a hole, or off a slab's footprint) or falls below
    /// `cutoff` [1] (at least the power floor). Power only decreases along a path, so
    /// the evaluation stops as soon as it is below the cutoff.
    ///
    /// `chain` is the region's chain ([`BeamSet::chain`]); `t_bound` bounds the product of
    /// its transmissions for this vertical path ([`BeamSet::transmission_bound`]),
    /// `crossing` bounds its slab crossings and says which lie on the slab
    /// ([`super::shared::Shared::crossing_bounds`], [`Crossing::OPEN`] when unknown).
    #[allow(clippy::too_many_arguments)]
    pub fn path_gain(
        &self,
        set: &BeamSet,
        region: &Region,
        chain: &[u32],
        h: &mut Horizontal,
        vertical: &VerticalPath,
        cutoff: f64,
        t_bound: f64,
        crossing: Crossing,
    ) -> f64 {
        let d = h.d;
        let v = vertical.travel;
        let h2 = h.h2;
        let dist2 = h2 + v * v;
        if dist2 == 0.0 {
            return 0.0;
        }
        let fs = self.wavelength / (4.0 * std::f64::consts::PI);
        let free_space = fs * fs / dist2;
        let cutoff = cutoff.max(self.floor);
        let dist = dist2.sqrt();
        let reflections = self.reflection_bound(region, vertical, h2.sqrt() / dist, v / dist);
        if free_space * t_bound * crossing.bound * reflections < cutoff {
            return 0.0;
        }
        if !h.filled {
            // Where the path meets each line of the chain: shared by its vertical paths.
            for &node in chain {
                let w = &set.nodes[node as usize];
                let nd = w.normal.dot(&d);
                let t = w.offset / nd;
                h.nodes.push((nd, t, w.u_tx + t * w.dir.dot(&d)));
            }
            h.filled = true;
        }
        let crossings = &h.nodes;
        // The same bound with each wall reflection at this path's own angle: most paths
        // that end below the cutoff on their own storey end here, before their field is
        // computed.
        let mut bound = free_space * t_bound;
        if region.reflections > 0 {
            let n = self.table.intervals as f64;
            let inv = 1.0 / dist;
            for (&node, &(nd, _, _)) in chain.iter().zip(crossings) {
                let w = &set.nodes[node as usize];
                if w.reflect {
                    let i = ((nd.abs() * inv * n) as usize).min(self.table.intervals);
                    bound *= f64::from(self.line_reflection_max[w.line as usize][i]);
                    if bound < cutoff {
                        return 0.0;
                    }
                }
            }
        }
        // Direction of travel, unnormalised horizontal part d and vertical part v.
        let (kx, ky, kz) = (d.x / dist, d.y / dist, v / dist);
        let slab_cos = kz.abs();
        let events = &vertical.events;
        let inv_v = if v > 0.0 { 1.0 / v } else { 0.0 };
        if !events.is_empty() {
            // First at the path's own angle from the planes' tables alone, before any
            // footprint is looked up: a slab reflection counts its plane's largest |R|²
            // (off every footprint it does not exist), a crossing on the slab its plane's
            // largest |T|², at the two samples the lookup interpolates between.
            let i = ((slab_cos * self.table.intervals as f64) as usize).min(self.table.intervals - 1);
            let mut quick = bound;
            for (j, e) in events.iter().enumerate() {
                let t = if e.reflect {
                    &self.plane_reflection_max[e.plane as usize]
                } else if j < 32 && crossing.on_slab >> j & 1 == 1 {
                    &self.plane_transmission_at[e.plane as usize]
                } else {
                    continue;
                };
                quick *= f64::from(t[i].max(t[i + 1]));
            }
            if quick < cutoff {
                return 0.0;
            }
        }
        // The slab events next, each at its exact place and angle, into the bound: a
        // path to another storey is bounded above by its slabs' coefficients, which the
        // wall bounds leave out, and most such paths end here. Their coefficients are
        // kept for the field (`None`: a crossing off every footprint, which meets nothing).
        let mut slabs: [Option<(C, C)>; MAX_EVENTS] = [None; MAX_EVENTS];
        let precomputed = events.len() <= MAX_EVENTS;
        if precomputed && !events.is_empty() {
            let mut before = 0;
            for (e, c) in events.iter().zip(slabs.iter_mut()) {
                let at = e.travel * inv_v;
                while before < chain.len() && at > crossings[before].1 {
                    before += 1;
                }
                *c = self.slab_coefficients(set, &chain[..before], e, &d, inv_v, slab_cos);
                match c {
                    None if e.reflect => return 0.0,
                    None => {}
                    Some((c_te, c_tm)) => {
                        bound *= c_te.norm_sqr().max(c_tm.norm_sqr());
                        if bound < cutoff {
                            return 0.0;
                        }
                    }
                }
            }
        }
        let mut field = Field { theta: C::new(1.0, 0.0), phi: C::new(0.0, 0.0) };
        let mut j = 0;
        // Applies slab event `j`, met after the first `before` walls of the chain; false
        // when the path does not exist or falls below the cutoff.
        let slab_event = |j: usize, before: usize, field: &mut Field| -> bool {
            let e = &events[j];
            let c = if precomputed {
                slabs[j]
            } else {
                self.slab_coefficients(set, &chain[..before], e, &d, inv_v, slab_cos)
            };
            // Off every footprint: a reflection does not exist (the pre-bound has ended
            // those already), a crossing meets nothing.
            let Some((c_te, c_tm)) = c else { return !e.reflect };
            // A slab's TE direction k × z is −e_φ.
            field.meet(0.0, -1.0, c_te, c_tm);
            field.power() * free_space >= cutoff
        };
        for (i, (&node, &(nd, t, u))) in chain.iter().zip(crossings).enumerate() {
            let w = &set.nodes[node as usize];
            // Slab events before this wall.
            while j < events.len() && events[j].travel * inv_v <= t {
                if !slab_event(j, i, &mut field) {
                    return 0.0;
                }
                j += 1;
            }
            let z = vertical.altitude(t * v);
            let slab = self.scene.wall_in_spans(w.spans.0, w.spans.1, u, z);
            if slab == NONE {
                if w.reflect {
                    return 0.0;
                }
                continue;
            }
            let cos = nd.abs() / dist;
            let (c_te, c_tm) = pair(self.table, slab, cos, w.reflect);
            // TE direction k × n for a horizontal normal n, in the (e_θ, e_φ) basis.
            let (nx, ny) = (w.normal.x, w.normal.y);
            field.meet(kx * ny - ky * nx, kz * (kx * nx + ky * ny), c_te, c_tm);
            if field.power() * free_space < cutoff {
                return 0.0;
            }
        }
        while j < events.len() {
            if !slab_event(j, chain.len(), &mut field) {
                return 0.0;
            }
            j += 1;
        }
        let gain = free_space * field.theta.norm_sqr();
        match self.antenna {
            // The departure direction: horizontally the unfolded one (the transmitter
            // is never mirrored), vertically the first leg's.
            Some(a) => gain * a.gain(kx, ky, kz * vertical.departure()),
            None => gain,
        }
    }

    /// The (TE, TM) coefficients of slab event `e` of a path whose unfolded horizontal
    /// direction is `d` and whose slab cosine is `cos`, met after the walls `before` of
    /// its chain, or `None` off every footprint.
    #[inline]
    fn slab_coefficients(
        &self,
        set: &BeamSet,
        before: &[u32],
        e: &super::vertical::VerticalEvent,
        d: &nalgebra::Vector2<f64>,
        inv_v: f64,
        cos: f64,
    ) -> Option<(C, C)> {
        // Real horizontal position: undo the wall reflections met so far, latest first.
        let mut x = set.tx + d * (e.travel * inv_v);
        for w in before.iter().rev().map(|&n| &set.nodes[n as usize]).filter(|w| w.reflect) {
            x -= w.normal * (2.0 * w.normal.dot(&(x - w.origin)));
        }
        let slab = self.scene.slab_at(e.plane as usize, x.x, x.y);
        (slab != NONE).then(|| pair(self.table, slab, cos, e.reflect))
    }
}

/// Most slab events whose coefficients a path evaluation keeps on the stack; a vertical
/// path with more (a tall building at a high reflection cap) looks them up on the way.
const MAX_EVENTS: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64) -> C {
        C::new(x, 0.0)
    }

    fn v_pol() -> Field {
        Field { theta: c(1.0), phi: c(0.0) }
    }

    #[test]
    fn a_vertical_wall_sees_horizontal_v_polarisation_as_te_and_a_slab_as_tm() {
        // k horizontal along x, wall normal at 30°: TE = (k_x n_y − k_y n_x, 0) ∝ e_θ.
        let (kx, ky, kz) = (1.0, 0.0, 0.0);
        let (nx, ny) = (0.866, 0.5);
        let mut f = v_pol();
        f.meet(kx * ny - ky * nx, kz * (kx * nx + ky * ny), c(0.5), c(0.1));
        assert!((f.power() - 0.25).abs() < 1e-12);
        // Any slab: TE is −e_φ, so the V field is all TM.
        let mut f = v_pol();
        f.meet(0.0, -1.0, c(0.5), c(0.1));
        assert!((f.power() - 0.01).abs() < 1e-12);
    }

    #[test]
    fn equal_te_and_tm_transmission_keeps_a_45_degree_mix_whole() {
        // Regression: tracking power per component lost 3 dB on such a mix.
        let mut f = v_pol();
        f.meet(1.0, 1.0, c(0.7), c(0.7));
        assert!((f.theta.norm_sqr() - 0.49).abs() < 1e-12, "{}", f.theta.norm_sqr());
    }

    #[test]
    fn a_perfect_mirror_at_any_angle_keeps_the_polarisation() {
        // A perfect conductor: R_TE = −1, R_TM = +1, acting as diag(−1, −1) unfolded.
        for (st, sp) in [(1.0, 0.0), (0.3, 0.8), (0.0, -1.0)] {
            let mut f = v_pol();
            f.meet(st, sp, c(-1.0), -c(1.0));
            assert!((f.theta.norm_sqr() - 1.0).abs() < 1e-12, "{st} {sp}");
        }
    }
}
