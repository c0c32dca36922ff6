//! Candidates' path-gain maps at the demand cells of their own building, computed on
//! demand: each building's scene is built once, and any subset of candidates is run
//! through the backend building by building, at any engine settings (placement asks
//! for the direct field of all of them first, then for full maps of the few the
//! optimiser needs).

use super::PlaceError;
use super::candidates::Candidate;
use super::demand::Demand;
use crate::plan::Site;
use crate::scene::{Grid, Scene};
use crate::solver::{Backend, Job, Settings, Transmitter};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One building's share of the computation.
struct BuildingJob {
    /// The building alone: beams need not wander across the campus, and other
    /// buildings lie behind two façades and a courtyard.
    scene: Scene,
    grids: Vec<Grid>,
    masks: Vec<Vec<bool>>,
    /// Site grid index → index in `grids`.
    local: BTreeMap<usize, usize>,
    /// Its demand cells.
    cells: std::ops::Range<usize>,
}

/// Computes candidates' maps on demand.
pub struct CandidateMaps<'a> {
    demand: &'a Demand,
    candidates: &'a [Candidate],
    backend: &'a dyn Backend,
    f_ghz: f64,
    buildings: BTreeMap<usize, BuildingJob>,
}

impl<'a> CandidateMaps<'a> {
    /// Prepares the scenes of the buildings that hold candidates.
    pub fn new(
        site: &Site,
        demand: &'a Demand,
        candidates: &'a [Candidate],
        f_ghz: f64,
        backend: &'a dyn Backend,
    ) -> Result<CandidateMaps<'a>, PlaceError> {
        let mut buildings = BTreeMap::new();
        for c in candidates {
            let building = demand.rooms[c.room].building;
            if buildings.contains_key(&building) {
                continue;
            }
            let grid_ids = demand.building_grids(building);
            let alone = Site { buildings: vec![site.buildings[building].clone()], ..site.clone() };
            let scene = Scene::build(&alone).map_err(|e| PlaceError::Scene(e.to_string()))?;
            buildings.insert(
                building,
                BuildingJob {
                    scene,
                    grids: grid_ids.iter().map(|&k| demand.grids[k].clone()).collect(),
                    masks: grid_ids.iter().map(|&k| demand.masks[k].clone()).collect(),
                    local: grid_ids.iter().enumerate().map(|(i, &k)| (k, i)).collect(),
                    cells: demand.building_cells(building),
                },
            );
        }
        Ok(CandidateMaps { demand, candidates, backend, f_ghz, buildings })
    }

    /// The maps of candidates `which` at `settings`, in that order: per candidate, its
    /// path gain at each demand cell of its building [dB]. `progress` is called after
    /// each map with the count done so far.
    pub fn compute(
        &self,
        which: &[usize],
        settings: Settings,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Vec<f32>>, PlaceError> {
        let mut out = vec![Vec::new(); which.len()];
        let done = AtomicUsize::new(0);
        for (&building, job) in &self.buildings {
            let members: Vec<usize> = (0..which.len())
                .filter(|&i| self.demand.rooms[self.candidates[which[i]].room].building == building)
                .collect();
            if members.is_empty() {
                continue;
            }
            let transmitters: Vec<Transmitter> = members
                .iter()
                .map(|&i| Transmitter {
                    name: format!("candidate {}", which[i]),
                    position: self.candidates[which[i]].site,
                    f_ghz: self.f_ghz,
                })
                .collect();
            let run = Job {
                scene: &job.scene,
                transmitters: &transmitters,
                grids: &job.grids,
                masks: Some(&job.masks),
                settings,
            };
            let collected = Mutex::new(vec![Vec::new(); members.len()]);
            self.backend.run(&run, &|i, maps| {
                let compact: Vec<f32> = self.demand.cells[job.cells.clone()]
                    .iter()
                    .map(|c| maps[job.local[&(c.grid as usize)]][c.index as usize])
                    .collect();
                collected.lock().unwrap_or_else(|e| e.into_inner())[i] = compact;
                progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            })?;
            for (i, g) in collected.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().enumerate() {
                out[members[i]] = g;
            }
        }
        Ok(out)
    }
}
