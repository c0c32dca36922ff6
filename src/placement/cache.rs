//! Placement shared between identical buildings: the region's generated campuses repeat
//! buildings (623 buildings, 352 different ones, the commonest standing 101 times), and
//! a building's placement ([`super::building`]) depends only on what the key holds — the
//! building in its own frame (its name, position, rotation and ground level set aside),
//! its site's material definitions, the requirements, the engine revision and the
//! backend. A hit returns exactly what the computation would, so that a plan never
//! depends on which site came first.
//!
//! In memory, for one run, under a byte budget (least recently used plans leave first).

use super::PlaceError;
use super::building::{BuildingPlan, plan_building};
use crate::materials::MaterialDef;
use crate::plan::{Building, Site};
use crate::requirements::Requirements;
use crate::solver::Backend;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Default budget of a cache's maps [bytes].
pub const DEFAULT_BUDGET_BYTES: usize = 256 << 20;

/// Hits and misses of a [`BuildingCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Buildings whose placement was found.
    pub hits: usize,
    /// Buildings placed.
    pub misses: usize,
}

impl CacheStats {
    /// Hits over lookups [%] (0 without lookups).
    pub fn hit_pct(&self) -> f64 {
        let n = self.hits + self.misses;
        if n == 0 { 0.0 } else { 100.0 * self.hits as f64 / n as f64 }
    }
}

/// What identifies a building's placement.
#[derive(Serialize)]
struct Key<'a> {
    engine: u32,
    backend: &'a str,
    building: &'a Building,
    materials: &'a BTreeMap<String, MaterialDef>,
    requirements: &'a Requirements,
}

#[derive(Default)]
struct Entries {
    plans: HashMap<String, (Arc<BuildingPlan>, u64)>,
    bytes: usize,
    clock: u64,
}

/// Buildings' placements by content, shared between sites (and threads) of a run.
pub struct BuildingCache {
    entries: Mutex<Entries>,
    budget_bytes: usize,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

impl Default for BuildingCache {
    fn default() -> Self {
        BuildingCache::new(DEFAULT_BUDGET_BYTES)
    }
}

impl BuildingCache {
    /// An empty cache keeping at most `budget_bytes` of maps.
    pub fn new(budget_bytes: usize) -> BuildingCache {
        BuildingCache {
            entries: Mutex::new(Entries::default()),
            budget_bytes,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats { hits: self.hits.load(Ordering::Relaxed), misses: self.misses.load(Ordering::Relaxed) }
    }

    /// The placement of building `building` of `site`: found, or computed and kept.
    pub fn plan(
        &self,
        site: &Site,
        building: usize,
        req: &Requirements,
        backend: &dyn Backend,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<Arc<BuildingPlan>, PlaceError> {
        let own = Building { name: String::new(), ..site.buildings[building].in_own_frame() };
        let key = Key {
            engine: crate::solver::ENGINE_REVISION,
            backend: backend.name(),
            building: &own,
            materials: &site.materials,
            requirements: req,
        };
        let key = ron::to_string(&key).map_err(|e| PlaceError::Scene(e.to_string()))?;
        {
            let mut entries = self.lock();
            entries.clock += 1;
            let now = entries.clock;
            if let Some((plan, used)) = entries.plans.get_mut(&key) {
                *used = now;
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok(plan.clone());
            }
        }
        // Computed outside the lock: another thread may place the same building at the
        // same time, for the same result.
        self.misses.fetch_add(1, Ordering::Relaxed);
        let plan = Arc::new(plan_building(site, building, req, backend, progress)?);
        let size = plan.bytes() + key.len();
        if size <= self.budget_bytes {
            let mut entries = self.lock();
            entries.clock += 1;
            let now = entries.clock;
            if let Some((old, _)) = entries.plans.insert(key, (plan.clone(), now)) {
                entries.bytes -= old.bytes() + size - plan.bytes();
            }
            entries.bytes += size;
            while entries.bytes > self.budget_bytes {
                let Some(oldest) = entries.plans.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone())
                else {
                    break;
                };
                if let Some((p, _)) = entries.plans.remove(&oldest) {
                    entries.bytes -= p.bytes() + oldest.len();
                }
            }
        }
        Ok(plan)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
