//! Candidates' path-gain maps at the demand cells of their building, computed on
//! demand: the building's scene is built once, in its own frame, and any subset of
//! candidates is run through the backend at any engine settings (placement asks for the
//! direct field of all of them first, then for full maps of the few the optimiser
//! needs).

use super::PlaceError;
use super::candidates::Candidate;
use super::demand::Demand;
use crate::plan::Site;
use crate::scene::Scene;
use crate::solver::{Backend, GainTable, Job, Settings, Transmitter};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Computes the maps of one building's candidates on demand.
pub struct CandidateMaps<'a> {
    /// The building alone, in its own frame: beams need not wander across the campus,
    /// and other buildings lie behind two façades and a courtyard.
    scene: Scene,
    demand: &'a Demand,
    candidates: &'a [Candidate],
    backend: &'a dyn Backend,
    f_ghz: f64,
    /// The AP model's antenna at this frequency: peak gain [dBi] and pattern.
    antenna: Option<(f64, Arc<GainTable>)>,
}

impl<'a> CandidateMaps<'a> {
    /// Prepares the scene of `alone`, a site of one building in its own frame, whose
    /// demand and candidates are given; with `antenna` (peak gain [dBi] and pattern in
    /// the building's frame), the maps are its gain times the path gain.
    pub fn new(
        alone: &Site,
        demand: &'a Demand,
        candidates: &'a [Candidate],
        f_ghz: f64,
        antenna: Option<(f64, Arc<GainTable>)>,
        backend: &'a dyn Backend,
    ) -> Result<CandidateMaps<'a>, PlaceError> {
        let scene = Scene::build(alone).map_err(|e| PlaceError::Scene(e.to_string()))?;
        Ok(CandidateMaps { scene, demand, candidates, backend, f_ghz, antenna })
    }

    /// The maps of candidates `which` at `settings`, in that order: per candidate, its
    /// path gain at each demand cell [dB]. `progress` is called after each map with the
    /// count done so far.
    pub fn compute(
        &self,
        which: &[usize],
        settings: Settings,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Vec<f32>>, PlaceError> {
        if which.is_empty() {
            return Ok(Vec::new());
        }
        let transmitters: Vec<Transmitter> = which
            .iter()
            .map(|&c| Transmitter {
                name: format!("candidate {c}"),
                position: self.candidates[c].site,
                f_ghz: self.f_ghz,
                antenna: self.antenna.as_ref().map(|a| a.1.clone()),
            })
            .collect();
        let run = Job {
            scene: &self.scene,
            transmitters: &transmitters,
            grids: &self.demand.grids,
            masks: Some(&self.demand.masks),
            settings,
        };
        let peak = self.antenna.as_ref().map_or(0.0, |a| a.0 as f32);
        let done = AtomicUsize::new(0);
        let collected = Mutex::new(vec![Vec::new(); which.len()]);
        self.backend.run(&run, &|i, maps| {
            let compact: Vec<f32> =
                self.demand.cells.iter().map(|c| maps[c.grid as usize][c.index as usize] + peak).collect();
            collected.lock().unwrap_or_else(|e| e.into_inner())[i] = compact;
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
        })?;
        Ok(collected.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}
