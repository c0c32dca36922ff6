//! The `simulate` job: a plan and its access points in, radio maps out. It checks the
//! inputs (APs in a known building and floor, inside the site, not inside a wall; a grid
//! that fits in memory), runs a [`Backend`] and writes the maps (DESIGN.md §3).

use crate::band::Band;
use crate::plan::Site;
use crate::radio::{AccessPoints, Radio};
use crate::radiomap::{self, MapsFile};

use crate::scene::{self, Grid, GridSpec, NONE, Scene};
use crate::solver::{Backend, Job, Progress, RunStats, Settings, SolverError, Transmitter};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A transmitter's antenna as the solvers take it: peak gain [dBi] and gain table (none:
/// isotropic).
type Antenna = (f64, Option<Arc<crate::solver::GainTable>>);

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateOptions {
    /// Band whose radios are simulated.
    pub band: Band,
    /// Frequency for every radio instead of its channel's [GHz].
    pub frequency_ghz: Option<f64>,
    /// Receiver grids.
    pub grid: GridSpec,
    /// Solver settings.
    pub settings: Settings,
    /// Keep and write every AP's path gain grid.
    pub per_ap: bool,
    /// Where each AP's paths are traced and mapped.
    pub scope: Scope,
}

/// Where a simulation traces each AP's paths and maps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole campus: every wall of every building, every plane.
    Campus,
    /// Each AP in its own building, mapped on that building's planes only (the others
    /// get nothing from it), the other buildings reduced to their shells
    /// ([`crate::plan::Building::shell`]): their façades, openings closed, still reflect,
    /// but beams no longer split at every wall of their rooms. Signals from other
    /// buildings' APs, behind two façades and a courtyard, are left out of a building's
    /// maps, which can only lower them (a building without APs gets nothing): a coverage
    /// check stays on the safe side, for a fraction of the tracing on a campus of
    /// several buildings (the region's coverage simulation: 315 → 114 s summed).
    OwnBuilding,
}

/// Why a simulation could not run; every variant but `Write` is bad input.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// Problems with the APs in this site, one message each.
    #[error("{}", .0.join("; "))]
    Aps(Vec<String>),
    /// Bad option values.
    #[error("{0}")]
    Options(String),
    /// The grids would not fit in memory.
    #[error(
        "the radio maps need about {needed_mib} MiB, more than the {available_mib} MiB available; use a larger --cell or --bounds"
    )]
    TooLarge {
        /// Estimate [MiB].
        needed_mib: u64,
        /// Limit [MiB].
        available_mib: u64,
    },
    /// The solver refused (material out of range, too many beams).
    #[error(transparent)]
    Solver(#[from] SolverError),
    /// The outputs could not be written.
    #[error(transparent)]
    Write(#[from] radiomap::WriteError),
}

impl crate::error::JobError for SimulateError {
    fn is_bad_input(&self) -> bool {
        !matches!(self, SimulateError::Write(_))
    }
}

/// What a simulation produced, ready to write.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The index file contents.
    pub maps: MapsFile,
    /// Best-server RSSI per plane [dBm].
    pub rssi: Vec<Vec<f32>>,
    /// Path gain per AP per plane [dB] (empty without `per_ap`).
    pub gains: Vec<Vec<Vec<f32>>>,
    /// Names of the simulated APs, in order.
    pub ap_names: Vec<String>,
    /// APs left out (no radio in the band), with why.
    pub skipped: Vec<String>,
}

/// Site position of an AP and the index of its building, or why it cannot be placed.
fn place_ap(site: &Site, scene: &Scene, ap: &crate::radio::AccessPoint) -> Result<([f64; 3], usize), String> {
    let who = format!("AP \"{}\"", ap.name);
    let Some(bi) = site.buildings.iter().position(|b| b.name == ap.building) else {
        return Err(format!("{who}: no building \"{}\" in the plan", ap.building));
    };
    let b = &site.buildings[bi];
    let Some(f) = b.floors.iter().find(|f| f.name == ap.floor) else {
        return Err(format!("{who}: building \"{}\" has no floor \"{}\"", ap.building, ap.floor));
    };
    if ap.height < 0.0 || ap.height > f.height {
        return Err(format!("{who}: height {} m is outside its floor (0 to {} m)", ap.height, f.height));
    }
    let p = b.to_site(ap.position);
    let z = b.site_z(f.elevation + ap.height);
    for (k, l) in scene.lines.iter().enumerate() {
        let (a, c) = (
            nalgebra::Point2::new(f64::from(l.a[0]), f64::from(l.a[1])),
            nalgebra::Point2::new(f64::from(l.b[0]), f64::from(l.b[1])),
        );
        let ab = c - a;
        let len = ab.norm();
        let u = (p - a).dot(&ab) / len;
        if !(0.0..=len).contains(&u) {
            continue;
        }
        let dist = ((p - a) - ab * (u / len)).norm();
        let slab = scene.wall_at(k, u, z);
        if slab != NONE && dist < f64::from(scene.slab_types[slab as usize].thickness) / 2.0 {
            return Err(format!("{who}: position ({:.2}, {:.2}) lies inside a wall", p.x, p.y));
        }
    }
    // A little slack: an AP on the outer wall's face is still the building's.
    if let Some([x0, y0, x1, y1]) = scene.buildings[bi].bbox
        && !(p.x >= x0 - 0.5 && p.x <= x1 + 0.5 && p.y >= y0 - 0.5 && p.y <= y1 + 0.5)
    {
        return Err(format!(
            "{who}: position ({:.2}, {:.2}) lies outside its building \"{}\"",
            ap.position.0, ap.position.1, ap.building
        ));
    }
    let inside_some = scene
        .buildings
        .iter()
        .filter_map(|e| e.bbox)
        .any(|[x0, y0, x1, y1]| p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1);
    let any_extent = scene.buildings.iter().any(|e| e.bbox.is_some());
    if any_extent && !inside_some {
        return Err(format!("{who}: position ({:.2}, {:.2}) lies outside every building", p.x, p.y));
    }
    Ok(([p.x, p.y, z], bi))
}

/// Estimated memory for the maps [bytes].
fn memory_estimate(grids: &[Grid], aps: usize, per_ap: bool) -> u64 {
    let cells: u64 = grids.iter().map(|g| g.len() as u64).sum();
    let kept = if per_ap { aps as u64 + 1 } else { 2 };
    // f32 results kept, plus f64 accumulators of the planes in flight on each thread.
    cells * 4 * kept + cells * 8 * rayon::current_num_threads() as u64
}

fn available_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemAvailable:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(8 << 30, |kib| kib * 1024)
}

/// The band to simulate: `band` when given, else the band holding `frequency_ghz`, else
/// 5 GHz. Both given and disagreeing (a frequency inside another band) is an error
/// naming both.
pub fn resolve_band(band: Option<Band>, frequency_ghz: Option<f64>) -> Result<Band, SimulateError> {
    let of_frequency = frequency_ghz.and_then(Band::containing);
    match (band, of_frequency) {
        (Some(b), Some(f)) if b != f => Err(SimulateError::Options(format!(
            "--band {} contradicts --frequency {} (in the {f} band)",
            b.key(),
            frequency_ghz.unwrap_or_default()
        ))),
        (Some(b), _) => Ok(b),
        (None, Some(f)) => Ok(f),
        (None, None) => Ok(Band::G5),
    }
}

/// Runs the simulation (nothing is written).
pub fn simulate(
    site: &Site,
    aps: &AccessPoints,
    options: &SimulateOptions,
    backend: &dyn Backend,
    progress: Progress<'_>,
) -> Result<Simulation, SimulateError> {
    let g = &options.grid;
    if !(g.cell.is_finite() && g.cell > 0.0) {
        return Err(SimulateError::Options(format!("--cell {}: must be a positive length in metres", g.cell)));
    }
    if !(g.margin.is_finite() && g.margin >= 0.0 && g.rx_height.is_finite()) {
        return Err(SimulateError::Options("--margin and --rx-height must be finite, the margin ≥ 0".into()));
    }
    if let Some([x0, y0, x1, y1]) = g.bounds
        && !(x1 > x0 && y1 > y0 && [x0, y0, x1, y1].iter().all(|v| v.is_finite()))
    {
        return Err(SimulateError::Options(format!("--bounds {x0},{y0},{x1},{y1}: need xmin < xmax and ymin < ymax")));
    }
    if let Some(f) = options.frequency_ghz
        && !(f.is_finite() && f > 0.0)
    {
        return Err(SimulateError::Options(format!("--frequency {f}: must be a positive frequency in GHz")));
    }
    let t0 = Instant::now();
    let scene = Scene::build(site).map_err(|e| SimulateError::Options(e.to_string()))?;
    let mut problems = Vec::new();
    let mut transmitters = Vec::new();
    let mut homes = Vec::new();
    let mut eirp = Vec::new();
    let mut skipped = Vec::new();
    let mut off = Vec::new();
    let mut tables: BTreeMap<(String, Band, u64), Antenna> = BTreeMap::new();
    for ap in &aps.0 {
        let (position, home) = match place_ap(site, &scene, ap) {
            Ok(placed) => placed,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let Some(radio) = Radio::of(ap, options.band) else {
            if ap.radios.iter().any(|r| r.band == options.band) {
                off.push(ap.name.as_str());
            } else {
                skipped.push(format!("AP \"{}\" has no radio in the {} band", ap.name, options.band));
            }
            continue;
        };
        let rotation = site.buildings.iter().find(|b| b.name == ap.building).map_or(0.0, |b| b.rotation);
        // APs of one model hung alike share their table.
        let key = (format!("{:?}", ap.antenna), radio.band, rotation.to_bits());
        let (peak_dbi, antenna) = match tables.get(&key) {
            Some(found) => found.clone(),
            None => match ap.antenna.in_site(radio.band, rotation) {
                Ok((peak, table)) => {
                    let made = (peak, table.map(Arc::new));
                    tables.insert(key, made.clone());
                    made
                }
                Err(e) => {
                    problems.push(format!("AP \"{}\": antenna: {e}", ap.name));
                    continue;
                }
            },
        };
        let f_ghz = options.frequency_ghz.unwrap_or(radio.frequency_ghz());
        transmitters.push(Transmitter { name: ap.name.clone(), position, f_ghz, antenna });
        homes.push(home);
        eirp.push(radio.tx_power_dbm + peak_dbi);
    }
    if !off.is_empty() {
        let shown = off.iter().take(5).map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let more = if off.len() > 5 { format!(" and {} more", off.len() - 5) } else { String::new() };
        skipped.push(format!("{} APs have their {} radio off: {shown}{more}", off.len(), options.band));
    }
    if !problems.is_empty() {
        return Err(SimulateError::Aps(problems));
    }
    if transmitters.is_empty() {
        return Err(SimulateError::Aps(vec![format!("no AP has a radio on in the {} band", options.band)]));
    }
    let grids = scene::grids(site, &scene, g);
    if grids.is_empty() {
        return Err(SimulateError::Options("the plan has no geometry to map; give --bounds".into()));
    }
    let needed = memory_estimate(&grids, transmitters.len(), options.per_ap);
    let available = available_memory();
    if needed > available / 10 * 8 {
        return Err(SimulateError::TooLarge { needed_mib: needed >> 20, available_mib: available >> 20 });
    }
    let ap_names: Vec<String> = transmitters.iter().map(|t| t.name.clone()).collect();
    let entries = radiomap::plane_entries(&grids, &ap_names, options.per_ap)?;
    let t_scene = t0.elapsed().as_secs_f64();

    let t1 = Instant::now();
    let best = Mutex::new(grids.iter().map(|g| vec![f32::NEG_INFINITY; g.len()]).collect::<Vec<_>>());
    let kept = Mutex::new(vec![Vec::new(); if options.per_ap { transmitters.len() } else { 0 }]);
    let done = std::sync::atomic::AtomicUsize::new(0);
    // AP `i` of `members`, its maps on the planes `planes` of `grids`.
    let sink = |members: &[usize], planes: &[usize], i: usize, maps: Vec<Vec<f32>>| {
        let i = members[i];
        let maps = if planes.len() == grids.len() {
            maps
        } else {
            let mut full: Vec<Vec<f32>> = grids.iter().map(|g| vec![f32::NEG_INFINITY; g.len()]).collect();
            for (&k, map) in planes.iter().zip(maps) {
                full[k] = map;
            }
            full
        };
        {
            let mut best = best.lock().unwrap_or_else(|e| e.into_inner());
            for (plane, map) in best.iter_mut().zip(&maps) {
                for (b, &gain) in plane.iter_mut().zip(map) {
                    *b = b.max((f64::from(gain) + eirp[i]) as f32);
                }
            }
        }
        if options.per_ap {
            kept.lock().unwrap_or_else(|e| e.into_inner())[i] = maps;
        }
        progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, transmitters.len());
    };
    let everyone: Vec<usize> = (0..transmitters.len()).collect();
    let stats = match options.scope {
        Scope::Campus => {
            let job = Job {
                scene: &scene,
                transmitters: &transmitters,
                grids: &grids,
                masks: None,
                settings: options.settings,
            };
            let planes: Vec<usize> = (0..grids.len()).collect();
            backend.run(&job, &|i, maps| sink(&everyone, &planes, i, maps))?
        }
        Scope::OwnBuilding => {
            let mut stats = RunStats::default();
            let shells: Vec<_> = site.buildings.iter().map(|b| b.shell()).collect();
            for (bi, building) in site.buildings.iter().enumerate() {
                let members: Vec<usize> = everyone.iter().copied().filter(|&i| homes[i] == bi).collect();
                if members.is_empty() {
                    continue;
                }
                let shells = Site {
                    buildings: site
                        .buildings
                        .iter()
                        .enumerate()
                        .map(|(j, b)| if j == bi { b.clone() } else { shells[j].clone() })
                        .collect(),
                    ..site.clone()
                };
                let scene = Scene::build(&shells).map_err(|e| SimulateError::Options(e.to_string()))?;
                let planes: Vec<usize> = (0..grids.len()).filter(|&k| grids[k].building == building.name).collect();
                let own_grids: Vec<Grid> = planes.iter().map(|&k| grids[k].clone()).collect();
                let own: Vec<Transmitter> = members.iter().map(|&i| transmitters[i].clone()).collect();
                let job = Job {
                    scene: &scene,
                    transmitters: &own,
                    grids: &own_grids,
                    masks: None,
                    settings: options.settings,
                };
                stats = stats.merge(backend.run(&job, &|i, maps| sink(&members, &planes, i, maps))?);
            }
            stats
        }
    };
    let t_solve = t1.elapsed().as_secs_f64();

    let frequencies: BTreeMap<String, f64> = transmitters.iter().map(|t| (t.name.clone(), t.f_ghz)).collect();
    let first = transmitters[0].f_ghz;
    let maps = MapsFile {
        site: site.name.clone(),
        frequency_ghz: transmitters.iter().all(|t| t.f_ghz == first).then_some(first),
        frequencies_ghz: frequencies,
        eirp_dbm: ap_names.iter().cloned().zip(eirp.iter().copied()).collect(),
        // The backend that ran (`auto` runs each job on one of the two).
        backend: if stats.backend.is_empty() { backend.name() } else { stats.backend }.to_string(),
        adapter: if stats.backend.contains("gpu") || backend.name() == "gpu" { backend.adapter() } else { None },
        max_reflections: options.settings.max_reflections,
        dynamic_range_db: Some(options.settings.dynamic_range_db),
        branch_floor_db: Some(options.settings.branch_floor_db),
        deepest_reflections: Some(stats.deepest_reflections),
        timings_s: [("scene".to_string(), t_scene), ("solve".to_string(), t_solve)].into_iter().collect(),
        planes: entries,
    };
    Ok(Simulation {
        maps,
        rssi: best.into_inner().unwrap_or_else(|e| e.into_inner()),
        gains: kept.into_inner().unwrap_or_else(|e| e.into_inner()),
        ap_names,
        skipped,
    })
}

/// Writes a simulation into `dir` (files of the same names are replaced).
pub fn write(dir: &Path, sim: &Simulation) -> Result<(), SimulateError> {
    let names: Vec<String> = if sim.gains.is_empty() { Vec::new() } else { sim.ap_names.clone() };
    radiomap::write_maps(dir, &sim.maps, &sim.rssi, &sim.gains, &names)?;
    Ok(())
}
