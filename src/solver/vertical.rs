//! Vertical paths: the sequences of slab planes a path crosses and reflects on between a
//! transmitter altitude and a receiver altitude (the 1D image method in z).
//!
//! Because walls are vertical and slabs horizontal, a path's vertical and horizontal
//! unfoldings are independent: the unfolded path is a straight 3D line whose horizontal
//! part is a 2D image path (see [`super::beams`]) and whose vertical part has the total
//! vertical travel of one of these sequences. An event at cumulative vertical travel v
//! happens at the fraction v / V of the whole path.

/// One crossing of or reflection on a slab plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VerticalEvent {
    /// Plane index in the scene.
    pub plane: u32,
    /// Reflection (else transmission).
    pub reflect: bool,
    /// Vertical travel from the transmitter to the event [m].
    pub travel: f64,
}

/// One vertical path between a transmitter and a receiver altitude.
#[derive(Debug, Clone, PartialEq)]
pub struct VerticalPath {
    /// Total vertical travel V [m].
    pub travel: f64,
    /// Events in path order.
    pub events: Vec<VerticalEvent>,
    /// Number of reflections.
    pub reflections: u32,
    /// Legs as (travel at start, altitude at start, +1 up / −1 down).
    legs: Vec<(f64, f64, f64)>,
    /// Upper bound of the product of the events' power coefficients, assuming every
    /// crossing meets a slab [1].
    pub bound: f64,
    /// Lowest altitude along the path [m].
    pub z_lo: f64,
    /// Highest altitude along the path [m].
    pub z_hi: f64,
}

impl VerticalPath {
    /// The legs as (travel at start, altitude at start, +1 up / −1 down) [m, m, 1].
    #[cfg_attr(not(feature = "gpu"), allow(dead_code, reason = "the GPU backend's upload"))]
    pub fn legs(&self) -> &[(f64, f64, f64)] {
        &self.legs
    }

    /// The direction the path leaves the transmitter in: +1 up, −1 down [1].
    #[inline]
    pub fn departure(&self) -> f64 {
        self.legs[0].2
    }

    /// Real altitude after a vertical travel `v` from the transmitter [m].
    #[inline]
    pub fn altitude(&self, v: f64) -> f64 {
        let mut leg = self.legs[0];
        for l in &self.legs[1..] {
            if l.0 > v {
                break;
            }
            leg = *l;
        }
        leg.1 + leg.2 * (v - leg.0)
    }
}

/// Planes closer than this to an altitude are not between it and another [m].
const Z_EPS: f64 = 1e-9;

/// A partial vertical path being extended.
struct State {
    z: f64,
    up: bool,
    travel: f64,
    events: Vec<VerticalEvent>,
    legs: Vec<(f64, f64, f64)>,
    reflections: u32,
    bound: f64,
}

struct Walker<'a> {
    planes: &'a [f64],
    max_t: &'a [f64],
    max_r: &'a [f64],
    z_rx: f64,
    max_reflections: u32,
    floor: f64,
    wavelength: f64,
    out: Vec<VerticalPath>,
}

impl Walker<'_> {
    fn free_space(&self, v: f64) -> f64 {
        let x = self.wavelength / (4.0 * std::f64::consts::PI * v.max(1e-3));
        x * x
    }

    /// Moves from the state's altitude to `z`, crossing the planes strictly between;
    /// `None` when that crosses a plane the path has crossed already.
    fn advance(&self, s: &State, z: f64) -> Option<(Vec<VerticalEvent>, f64)> {
        let (lo, hi) = (s.z.min(z), s.z.max(z));
        let mut crossed: Vec<usize> =
            (0..self.planes.len()).filter(|&k| self.planes[k] > lo + Z_EPS && self.planes[k] < hi - Z_EPS).collect();
        if z < s.z {
            crossed.reverse();
        }
        let mut events = s.events.clone();
        let mut bound = s.bound;
        for k in crossed {
            if s.events.iter().any(|e| !e.reflect && e.plane == k as u32) {
                return None;
            }
            bound *= self.max_t[k];
            events.push(VerticalEvent {
                plane: k as u32,
                reflect: false,
                travel: s.travel + (self.planes[k] - s.z).abs(),
            });
        }
        Some((events, bound))
    }

    /// Finishes at the receiver if it lies ahead, then tries every reflection ahead.
    fn step(&mut self, s: State, first: bool) {
        let ahead = |z: f64| if s.up { z > s.z + Z_EPS } else { z < s.z - Z_EPS };
        let here = (self.z_rx - s.z).abs() <= Z_EPS;
        // The path without reflection to a receiver at the transmitter's altitude is
        // emitted once, from the upward start.
        let finish = (here && (!first || s.up)) || ahead(self.z_rx);
        if finish && let Some((events, bound)) = self.advance(&s, self.z_rx) {
            let travel = s.travel + (self.z_rx - s.z).abs();
            if bound * self.free_space(travel) >= self.floor {
                let zs = s.legs.iter().map(|l| l.1).chain([self.z_rx]);
                let z_lo = zs.clone().fold(f64::INFINITY, f64::min);
                let z_hi = zs.fold(f64::NEG_INFINITY, f64::max);
                self.out.push(VerticalPath {
                    travel,
                    events,
                    reflections: s.reflections,
                    legs: s.legs.clone(),
                    bound,
                    z_lo,
                    z_hi,
                });
            }
        }
        if s.reflections >= self.max_reflections {
            return;
        }
        for k in 0..self.planes.len() {
            let h = self.planes[k];
            if !ahead(h) {
                continue;
            }
            let Some((mut events, mut bound)) = self.advance(&s, h) else { continue };
            let travel = s.travel + (h - s.z).abs();
            bound *= self.max_r[k];
            if bound * self.free_space(travel) < self.floor {
                continue;
            }
            events.push(VerticalEvent { plane: k as u32, reflect: true, travel });
            let mut legs = s.legs.clone();
            legs.push((travel, h, if s.up { -1.0 } else { 1.0 }));
            let next = State { z: h, up: !s.up, travel, events, legs, reflections: s.reflections + 1, bound };
            self.step(next, false);
        }
    }
}

/// Every vertical path from `z_tx` to `z_rx` [m] with at most `max_reflections`
/// reflections on the planes at altitudes `planes` [m] (sorted), each plane with the
/// largest |T|² and |R|² its slabs can give; paths whose bound times the free-space gain
/// over their vertical travel alone is below `floor` are left out (the bound takes every
/// crossing to meet a slab). `wavelength` [m].
///
/// A path crosses each plane at most once: one that goes back through a slab it came
/// through loses that slab's transmission twice more than the path that reflected
/// before it (a concrete slab: ≥ 2 × 20 dB at 5 GHz), and such paths multiply with the
/// number of planes (10,434 per receiver plane of the demo lycée at 8 reflections,
/// 17 without them).
#[allow(clippy::too_many_arguments)]
pub fn vertical_paths(
    planes: &[f64],
    max_t: &[f64],
    max_r: &[f64],
    z_tx: f64,
    z_rx: f64,
    max_reflections: u32,
    floor: f64,
    wavelength: f64,
) -> Vec<VerticalPath> {
    let mut walker = Walker { planes, max_t, max_r, z_rx, max_reflections, floor, wavelength, out: Vec::new() };
    for up in [true, false] {
        let dir = if up { 1.0 } else { -1.0 };
        let start = State {
            z: z_tx,
            up,
            travel: 0.0,
            events: Vec::new(),
            legs: vec![(0.0, z_tx, dir)],
            reflections: 0,
            bound: 1.0,
        };
        walker.step(start, true);
    }
    walker.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_storey_between_floor_and_ceiling() {
        // Floor at 0, ceiling at 3; AP at 2.5, receiver at 1.5.
        let paths = vertical_paths(&[0.0, 3.0], &[0.01, 0.01], &[0.5, 0.5], 2.5, 1.5, 2, 1e-30, 0.0545);
        let mut travels: Vec<(u32, f64)> = paths.iter().map(|p| (p.reflections, p.travel)).collect();
        travels.sort_by(|a, b| a.partial_cmp(b).unwrap());
        // direct 1.0; ceiling 0.5+1.5=2.0; floor 2.5+1.5=4.0; ceiling-floor 0.5+3+1.5=5.0;
        // floor-ceiling 2.5+3+1.5=7.0
        assert_eq!(travels, vec![(0, 1.0), (1, 2.0), (1, 4.0), (2, 5.0), (2, 7.0)]);
        let ceiling_floor = paths.iter().find(|p| p.travel == 5.0).unwrap();
        assert_eq!(ceiling_floor.altitude(0.25), 2.75);
        assert_eq!(ceiling_floor.altitude(2.0), 1.5);
        assert_eq!(ceiling_floor.altitude(4.0), 0.5);
        assert_eq!(
            ceiling_floor.events.iter().map(|e| (e.plane, e.reflect)).collect::<Vec<_>>(),
            [(1, true), (0, true)]
        );
    }

    #[test]
    fn crossing_a_slab_to_the_floor_above() {
        let paths = vertical_paths(&[0.0, 3.0, 6.0], &[0.001; 3], &[0.2; 3], 2.5, 4.0, 0, 1e-30, 0.0545);
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].travel, 1.5);
        assert_eq!(paths[0].events, vec![VerticalEvent { plane: 1, reflect: false, travel: 0.5 }]);
    }

    #[test]
    fn no_path_crosses_a_slab_twice_so_deep_caps_stay_small() {
        // Regression: 10,434 vertical paths per plane of the demo lycée (5 slab planes) at
        // 8 reflections, most going back through slabs they came through.
        let planes = [0.0, 3.2, 6.4, 9.6, 12.8];
        let same_storey = vertical_paths(&planes, &[1.0; 5], &[0.9; 5], 3.0, 1.0, 8, 1e-30, 0.0545);
        // Floor and ceiling of the storey only: the direct path and two per order.
        assert_eq!(same_storey.len(), 17);
        let upstairs = vertical_paths(&planes, &[1.0; 5], &[0.9; 5], 3.0, 4.2, 8, 1e-30, 0.0545);
        for p in &upstairs {
            let crossings: Vec<u32> = p.events.iter().filter(|e| !e.reflect).map(|e| e.plane).collect();
            assert_eq!(crossings, [1], "{:?}", p.events);
        }
        assert!(upstairs.len() < 100, "{}", upstairs.len());
    }

    #[test]
    fn same_altitude_gives_one_direct_path() {
        let paths = vertical_paths(&[], &[], &[], 1.5, 1.5, 3, 1e-30, 0.0545);
        assert_eq!(paths.len(), 1);
        assert_eq!(paths[0].travel, 0.0);
    }
}
