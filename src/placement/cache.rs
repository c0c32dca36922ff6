//! Placement shared between identical buildings: the region's generated campuses repeat
//! buildings (623 buildings, 352 different ones, the commonest standing 101 times), and
//! a building's placement ([`super::building`]) depends only on what the key holds — the
//! building in its own frame (its name, position, rotation and ground level set aside),
//! its site's material definitions, the requirements, the engine revision and the
//! backend. A hit returns exactly what the computation would, so that a plan never
//! depends on which site came first.
//!
//! In memory, for one run, under a byte budget (least recently used plans leave first);
//! and, when given a folder (`--cache DIR`), on disk between runs: one file per building
//! placement, named after its key's hash and holding the whole key, so that a file is
//! used only for exactly its key (another version, engine revision, backend or setting
//! never matches), and checksummed, so that a damaged one is ignored with a warning.

use super::PlaceError;
use super::building::{BuildingPlan, plan_building};
use crate::atomic::write_atomic;
use crate::materials::MaterialDef;
use crate::plan::{Building, Site};
use crate::requirements::Requirements;
use crate::seed::stable_hash_bytes;
use crate::solver::Backend;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Default budget of a cache's maps [bytes].
pub const DEFAULT_BUDGET_BYTES: usize = 256 << 20;

/// Hits and misses of a [`BuildingCache`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    /// Buildings whose placement was found (in memory or on disk).
    pub hits: usize,
    /// Buildings placed.
    pub misses: usize,
    /// Of the hits, those read from the cache folder.
    #[serde(default)]
    pub from_disk: usize,
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
    format: &'a str,
    version: &'a str,
    engine: u32,
    backend: &'a str,
    building: &'a Building,
    materials: &'a BTreeMap<String, MaterialDef>,
    requirements: &'a Requirements,
    model: Option<u64>,
}

/// First bytes of a cache file; bump the number when [`BuildingPlan`] or the placement
/// algorithm changes.
const MAGIC: &[u8] = b"wifiplan building plan 3\n";

#[derive(Default)]
struct Entries {
    plans: HashMap<String, (Arc<BuildingPlan>, u64)>,
    bytes: usize,
    clock: u64,
}

/// Buildings' placements by content, shared between sites (and threads) of a run, and
/// between runs through a folder when one is given.
pub struct BuildingCache {
    entries: Mutex<Entries>,
    budget_bytes: usize,
    dir: Option<PathBuf>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    from_disk: AtomicUsize,
    warnings: Mutex<Vec<String>>,
}

impl Default for BuildingCache {
    fn default() -> Self {
        BuildingCache::new(DEFAULT_BUDGET_BYTES)
    }
}

impl BuildingCache {
    /// An empty cache keeping at most `budget_bytes` of maps in memory.
    pub fn new(budget_bytes: usize) -> BuildingCache {
        BuildingCache {
            entries: Mutex::new(Entries::default()),
            budget_bytes,
            dir: None,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            from_disk: AtomicUsize::new(0),
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// A cache that also reads and writes each building's placement as a file of `dir`
    /// (created if needed), named after its key's hash. A file that cannot be read, is
    /// damaged or holds another key (a hash collision, another version) is ignored with
    /// a warning ([`BuildingCache::take_warnings`]) and written anew; a file that cannot
    /// be written costs a warning, never the run.
    pub fn with_dir(budget_bytes: usize, dir: &Path) -> BuildingCache {
        BuildingCache { dir: Some(dir.to_path_buf()), ..BuildingCache::new(budget_bytes) }
    }

    /// Hits and misses so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            from_disk: self.from_disk.load(Ordering::Relaxed),
        }
    }

    /// The warnings so far (cache files ignored or not written), emptied.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn warn(&self, message: String) {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner()).push(message);
    }

    /// The placement of building `building` of `site`, and whether it was found rather
    /// than computed; `shape` is what the site's demand says the building has
    /// (candidates, demand cells, demand cells of the 2.4 GHz lattice), which a file read
    /// must match.
    pub fn plan(
        &self,
        site: &Site,
        building: usize,
        req: &Requirements,
        backend: &dyn Backend,
        shape: (usize, usize, usize),
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<(Arc<BuildingPlan>, bool), PlaceError> {
        let own = Building { name: String::new(), ..site.buildings[building].in_own_frame() };
        let key = Key {
            format: std::str::from_utf8(MAGIC).unwrap_or_default().trim_end(),
            version: env!("CARGO_PKG_VERSION"),
            engine: crate::solver::ENGINE_REVISION,
            backend: backend.name(),
            building: &own,
            materials: &site.materials,
            requirements: req,
            model: req.model_fingerprint(),
        };
        let key = ron::to_string(&key).map_err(|e| PlaceError::Scene(e.to_string()))?;
        {
            let mut entries = self.lock();
            entries.clock += 1;
            let now = entries.clock;
            if let Some((plan, used)) = entries.plans.get_mut(&key) {
                *used = now;
                self.hits.fetch_add(1, Ordering::Relaxed);
                return Ok((plan.clone(), true));
            }
        }
        let file = self.dir.as_ref().map(|d| d.join(format!("{}.plan", crate::seed::fingerprint(&key))));
        if let Some(file) = &file
            && file.exists()
        {
            match std::fs::read(file).map_err(|e| e.to_string()).and_then(|bytes| decode(&bytes, &key, shape)) {
                Ok(plan) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    self.from_disk.fetch_add(1, Ordering::Relaxed);
                    let plan = Arc::new(plan);
                    self.keep(key, plan.clone());
                    return Ok((plan, true));
                }
                Err(e) => self.warn(format!("{}: cache entry ignored: {e}", file.display())),
            }
        }
        // Computed outside the lock: another thread may place the same building at the
        // same time, for the same result.
        self.misses.fetch_add(1, Ordering::Relaxed);
        let plan = Arc::new(plan_building(site, building, req, backend, progress)?);
        if let Some(file) = &file {
            let written = file
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| write_atomic(file, &encode(&key, &plan)));
            if let Err(e) = written {
                self.warn(format!("{}: cache entry not written: {e}", file.display()));
            }
        }
        self.keep(key, plan.clone());
        Ok((plan, false))
    }

    /// Keeps `plan` in memory under `key`, least recently used plans leaving to stay
    /// within the budget.
    fn keep(&self, key: String, plan: Arc<BuildingPlan>) {
        let key_len = key.len();
        let size = plan.bytes() + key_len;
        if size > self.budget_bytes {
            return;
        }
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        if let Some((old, _)) = entries.plans.insert(key, (plan, now)) {
            entries.bytes -= old.bytes() + key_len;
        }
        entries.bytes += size;
        while entries.bytes > self.budget_bytes {
            let Some(oldest) = entries.plans.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone()) else {
                break;
            };
            if let Some((p, _)) = entries.plans.remove(&oldest) {
                entries.bytes -= p.bytes() + oldest.len();
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A cache file: [`MAGIC`], the key, the plan (little-endian u32 counts and indices, f32
/// maps — the exact ones with their candidate, then the 2.4 GHz ones, then the 6 GHz
/// ones —, its seconds as f64), then the FNV-1a hash of all that.
fn encode(key: &str, plan: &BuildingPlan) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    let u32s = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&(v as u32).to_le_bytes());
    out.extend_from_slice(&(key.len() as u64).to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    u32s(&mut out, plan.candidates);
    u32s(&mut out, plan.chosen.len());
    plan.chosen.iter().for_each(|&c| u32s(&mut out, c));
    u32s(&mut out, plan.exact.len());
    for (c, map) in &plan.exact {
        u32s(&mut out, *c);
        u32s(&mut out, map.len());
        map.iter().for_each(|g| out.extend_from_slice(&g.to_le_bytes()));
    }
    for maps in [&plan.low_band, &plan.six_ghz] {
        u32s(&mut out, maps.len());
        for map in maps {
            u32s(&mut out, map.len());
            map.iter().for_each(|g| out.extend_from_slice(&g.to_le_bytes()));
        }
    }
    out.extend_from_slice(&plan.seconds.0.to_le_bytes());
    out.extend_from_slice(&plan.seconds.1.to_le_bytes());
    let sum = stable_hash_bytes(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// A cursor over a cache file's body.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("truncated")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        self.take(N)?.try_into().map_err(|_| "truncated".to_string())
    }

    fn count(&mut self) -> Result<usize, String> {
        Ok(u32::from_le_bytes(self.array()?) as usize)
    }

    /// A map: its length, then its f32 values.
    fn map(&mut self) -> Result<Vec<f32>, String> {
        let len = self.count()?;
        let raw = self.take(len.checked_mul(4).ok_or("truncated")?)?;
        Ok(raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }
}

/// Reads back what [`encode`] wrote for `key`, for a building of `shape` (candidates,
/// demand cells, 2.4 GHz lattice cells).
fn decode(bytes: &[u8], key: &str, shape: (usize, usize, usize)) -> Result<BuildingPlan, String> {
    let body = bytes.len().checked_sub(8).ok_or("truncated")?;
    let sum = u64::from_le_bytes(bytes[body..].try_into().map_err(|_| "truncated")?);
    if stable_hash_bytes(&bytes[..body]) != sum {
        return Err("damaged (checksum)".into());
    }
    let mut r = Reader { bytes: &bytes[..body], at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err("not a wifiplan building plan of this format".into());
    }
    let key_len = u64::from_le_bytes(r.array()?) as usize;
    if r.take(key_len)? != key.as_bytes() {
        return Err("holds another building, version or settings".into());
    }
    let candidates = r.count()?;
    let n = r.count()?;
    let chosen = (0..n).map(|_| r.count()).collect::<Result<Vec<_>, _>>()?;
    let n = r.count()?;
    let mut exact: Vec<(usize, Vec<f32>)> = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        let c = r.count()?;
        exact.push((c, r.map()?));
    }
    let n = r.count()?;
    let low_band = (0..n).map(|_| r.map()).collect::<Result<Vec<_>, _>>()?;
    let n = r.count()?;
    let six_ghz = (0..n).map(|_| r.map()).collect::<Result<Vec<_>, _>>()?;
    let seconds = (f64::from_le_bytes(r.array()?), f64::from_le_bytes(r.array()?));
    if candidates != shape.0
        || chosen.iter().chain(exact.iter().map(|(c, _)| c)).any(|&c| c >= candidates)
        || exact.iter().any(|(_, m)| m.len() != shape.1)
        || low_band.iter().chain(&six_ghz).any(|m| m.len() != shape.2)
        || [&low_band, &six_ghz].iter().any(|maps| !(maps.is_empty() || maps.len() == chosen.len()))
    {
        return Err("does not fit the building".into());
    }
    Ok(BuildingPlan { candidates, chosen, exact, low_band, six_ghz, seconds })
}
