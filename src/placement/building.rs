//! One building placed on its own, in its own frame: its candidates' direct fields, then
//! the greedy and the local search on full maps computed lazily.
//!
//! A candidate is evaluated on its own building's floors only (other buildings lie
//! behind two façades and a courtyard, far below any threshold), so the covering
//! problem of a site is the union of its buildings' and a building's placement depends
//! on nothing but the building, its site's material definitions and the requirements:
//! [`super::cache::BuildingCache`] shares it between identical buildings.

use super::PlaceError;
use super::candidates;
use super::demand::Demand;
use super::maps::CandidateMaps;
use super::model::Model;
use super::optimise;
use crate::band::Band;
use crate::plan::Site;
use crate::requirements::Requirements;
use crate::solver::{Backend, Settings};
use std::time::Instant;

/// The 2.4 GHz plan works on every `LOW_BAND_STRIDE`-th demand cell each way (1 m at the
/// default 0.5 m): its maps serve a coverage share and interference statistics, which a
/// quarter of the cells estimate to a fraction of a percent, at a quarter of the cost.
pub const LOW_BAND_STRIDE: usize = 2;

/// Frequency of the 6 GHz maps [GHz]: the middle of the LPI band (5945–6425 MHz), where
/// the radios' channels lie.
pub const SIX_GHZ_PLAN_GHZ: f64 = 6.185;

/// What placement decided in one building, candidates numbered as
/// [`candidates::candidates`] lists them for the building alone.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildingPlan {
    /// Candidates evaluated.
    pub candidates: usize,
    /// The chosen candidates, in the greedy's order after the local search.
    pub chosen: Vec<usize>,
    /// The candidates whose full map was computed, each with it: path gain at every
    /// demand cell of the building [dB]. Every chosen candidate is among them.
    pub exact: Vec<(usize, Vec<f32>)>,
    /// The chosen candidates' maps at 2.4 GHz (in `chosen`'s order), at the demand cells
    /// of [`Demand::every`]`(LOW_BAND_STRIDE)` and the same engine settings, when the
    /// requirements plan a 2.4 GHz radio (else empty) [dB].
    pub low_band: Vec<Vec<f32>>,
    /// Likewise at 6 GHz ([`SIX_GHZ_PLAN_GHZ`]), when the AP model has a 6 GHz radio
    /// (else empty) [dB].
    pub six_ghz: Vec<Vec<f32>>,
    /// Time spent on the direct fields and on the optimisation [s].
    pub seconds: (f64, f64),
}

impl BuildingPlan {
    /// Bytes its maps hold.
    pub fn bytes(&self) -> usize {
        self.exact
            .iter()
            .map(|(_, m)| m)
            .chain(&self.low_band)
            .chain(&self.six_ghz)
            .map(|m| m.len() * size_of::<f32>())
            .sum::<usize>()
            + size_of::<BuildingPlan>()
    }
}

/// Places APs in building `building` of `site` alone; `progress` is called after each
/// direct field with the count done so far.
pub fn plan_building(
    site: &Site,
    building: usize,
    req: &Requirements,
    backend: &dyn Backend,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<BuildingPlan, PlaceError> {
    let t0 = Instant::now();
    let alone = Site { buildings: vec![site.buildings[building].in_own_frame()], ..site.clone() };
    let demand = Demand::of(&alone, req);
    let cands = candidates::candidates(&alone, &demand, req);
    if cands.is_empty() {
        return Ok(BuildingPlan {
            candidates: 0,
            chosen: Vec::new(),
            exact: Vec::new(),
            low_band: Vec::new(),
            six_ghz: Vec::new(),
            seconds: (0.0, 0.0),
        });
    }
    // The direct field of every candidate first (a tenth of the cost of a full map); full
    // maps only for the candidates the optimiser cannot rule out without one.
    let settings = Settings { max_reflections: req.max_reflections, ..Settings::default() };
    let antenna = |band: Band| -> Result<_, PlaceError> {
        req.model().map(|m| m.pattern(band)).transpose().map_err(|e| PlaceError::Requirements(vec![e]))
    };
    let maps = CandidateMaps::new(&alone, &demand, &cands, req.band.centre_ghz(), antenna(req.band)?, backend)?;
    let all: Vec<usize> = (0..cands.len()).collect();
    let direct = maps.compute(&all, Settings { max_reflections: 0, ..settings }, progress)?;
    let (gains, exact) = if req.max_reflections == 0 {
        (direct, vec![true; cands.len()])
    } else {
        (direct.into_iter().map(Model::estimate).collect(), vec![false; cands.len()])
    };
    let t1 = Instant::now();
    let source = |which: &[usize]| maps.compute(which, settings, &|_| {});
    let mut model = Model::new(&demand, &cands, gains, exact, req);
    let power = req.design_power_dbm();
    let first = optimise::greedy(&mut model, power, &source)?;
    let chosen = optimise::improve(&mut model, first, power, &source)?;
    let exact = model
        .exact
        .iter()
        .zip(std::mem::take(&mut model.gains))
        .enumerate()
        .filter(|(_, (e, _))| **e)
        .map(|(c, (_, g))| (c, g))
        .collect();
    // The chosen APs' other radios, on the coarser lattice: at the 2.4 GHz channel 6
    // (path gains vary by 0.3 dB across the band's 2.412–2.472 GHz), and in the middle
    // of the 6 GHz LPI band.
    let coarse = demand.every(LOW_BAND_STRIDE);
    let other_band = |plan: bool, band: Band, f_ghz: f64| -> Result<Vec<Vec<f32>>, PlaceError> {
        if !plan {
            return Ok(Vec::new());
        }
        CandidateMaps::new(&alone, &coarse, &cands, f_ghz, antenna(band)?, backend)?.compute(&chosen, settings, &|_| {})
    };
    let low_band = other_band(req.low_band.plan, Band::G2_4, Band::G2_4.centre_ghz())?;
    let six_ghz = other_band(req.plans_six_ghz(), Band::G6, SIX_GHZ_PLAN_GHZ)?;
    Ok(BuildingPlan {
        candidates: cands.len(),
        chosen,
        exact,
        low_band,
        six_ghz,
        seconds: ((t1 - t0).as_secs_f64(), t1.elapsed().as_secs_f64()),
    })
}
