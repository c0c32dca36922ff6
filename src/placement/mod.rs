//! Automatic AP placement: candidates on a lattice in every room that needs coverage,
//! their radio maps from a [`Backend`], the fewest APs that meet the requirements
//! (greedy then local search), lower bounds (capacity and LP), a channel and power plan,
//! and cable runs. Outputs `aps.ron` and `placement.json`.
//!
//! Candidates are evaluated at `max_reflections` (default 1) on a 0.5 m grid of the
//! rooms that need coverage of their own building: fewer reflections only lower the RSSI
//! (by ~1 dB on average against depth 3 on the demo lycée), so a plan that meets the
//! requirements here meets them in a full simulation; and other buildings lie behind
//! two façades and a courtyard, far below any threshold (their interference is left out
//! of the SINR too). Each building is therefore placed on its own, in its own frame
//! ([`building`]), in parallel, and identical buildings once ([`cache`]); the bounds,
//! the channel plan and the report are the site's.
//!
//! Full maps are computed lazily: the direct field of every candidate first (no
//! reflection, about a twentieth of the cost), then full maps only for the candidates the
//! greedy or the local search ranks ahead of every known one on the direct field plus
//! [`model::REFLECTION_ALLOWANCE_DB`] ([`optimise::greedy`]); `placement.json` says how
//! many (`full_maps`). Every chosen AP, its coverage and its interference are evaluated
//! on full maps. The LP bound takes a candidate without a full map to reach every cell
//! of its building, so it stays a lower bound (a weaker one where such candidates
//! could matter).

mod bound;
mod building;
mod cabling;
pub mod cache;
mod candidates;
mod channels;
mod demand;
mod maps;
mod model;
mod optimise;

use crate::requirements::{Requirements, Thresholds};
pub use cabling::{COPPER_LIMIT_M, CableRun, cable_run};
pub use cache::{BuildingCache, CacheStats};
pub use candidates::{Candidate, mounting_height};
pub use channels::ChannelPlan;
pub use demand::{Demand, DemandCell, RoomDemand};

use crate::atomic::write_atomic;
use crate::coverage::{Check, Coverage, FailingRoom, Requirement, RoomCoverage, Tally};
use crate::plan::{RoomKind, Site};
use crate::radio::{AccessPoint, AccessPoints, Antenna, Radio};
use crate::scene::Scene;
use crate::solver::{Backend, Progress, SolverError};
use model::Model;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Why a placement could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    /// The requirements are not usable.
    #[error("requirements: {}", .0.join("; "))]
    Requirements(Vec<String>),
    /// No room of the plan needs coverage.
    #[error(
        "no room of the plan needs coverage (teaching rooms, offices, corridors, halls, canteen, gym, dormitories)"
    )]
    NothingToCover,
    /// The scene could not be built.
    #[error("{0}")]
    Scene(String),
    /// The solver failed.
    #[error(transparent)]
    Solver(#[from] SolverError),
    /// The outputs could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl crate::error::JobError for PlaceError {
    fn is_bad_input(&self) -> bool {
        !matches!(self, PlaceError::Write { .. })
    }
}

/// Lower bounds and the gap to them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowerBounds {
    /// Σ ⌈occupants / clients per radio⌉ over the rooms (each at most the room's
    /// candidate positions).
    pub capacity: u32,
    /// LP relaxation optimum (with the capacity rows), `None` if the solver failed.
    pub lp: Option<f64>,
    /// Why the LP failed, if it did.
    pub lp_error: Option<String>,
    /// The larger bound, rounded up.
    pub best: u32,
    /// (APs − best) / best [%].
    pub gap_pct: f64,
}

/// Coverage against one requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCoverage {
    /// Threshold [dBm].
    pub threshold_dbm: f64,
    /// Share of area required [%].
    pub required_pct: f64,
    /// Cells counted.
    pub cells: usize,
    /// Share of them reached [%].
    pub covered_pct: f64,
}

/// Coverage of the rooms of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindFigures {
    /// Room kind.
    pub kind: RoomKind,
    /// Rooms.
    pub rooms: usize,
    /// Cells.
    pub cells: usize,
    /// Share at the primary (or circulation) threshold [%].
    pub covered_pct: f64,
    /// Share at the secondary threshold [%] (primary rooms).
    pub secondary_pct: Option<f64>,
}

/// One placed AP in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedAp {
    /// Name.
    pub name: String,
    /// Building.
    pub building: String,
    /// Floor.
    pub floor: String,
    /// Room it hangs in.
    pub room: String,
    /// Position in the building frame [m].
    pub position: (f64, f64),
    /// Height above the floor [m].
    pub height_m: f64,
    /// Channel.
    pub channel: u32,
    /// Its width [MHz].
    pub width_mhz: u32,
    /// Transmit power [dBm].
    pub tx_power_dbm: f64,
    /// Its 2.4 GHz radio, when the requirements plan one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low_band: Option<LowBandRadio>,
    /// Its 6 GHz radio (tri-band models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub six_ghz: Option<LowBandRadio>,
    /// Cable run to the closet.
    pub cable: CableRun,
}

/// A teaching room's capacity by airtime, at 5 GHz, with the APs placed in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomCapacity {
    /// Building.
    pub building: String,
    /// Floor.
    pub floor: String,
    /// Room.
    pub room: String,
    /// Occupants.
    pub occupants: u32,
    /// Median best-server SINR over its cells [dB].
    pub sinr_db: f64,
    /// Width of the channel that serves its median cell [MHz].
    pub width_mhz: u32,
    /// What its devices ask [Mbit/s].
    pub demand_mbps: f64,
    /// What one AP gives there within the utilisation ceiling [Mbit/s].
    pub supply_mbps: f64,
    /// APs placed in it.
    pub aps: u32,
    /// APs the airtime model asks (`None`: the SINR supports no MCS).
    pub aps_needed: Option<u32>,
    /// Airtime its demand takes of its APs' channels [%] (`None` without an AP).
    pub utilisation_pct: Option<f64>,
}

/// Capacity by airtime over the teaching rooms at their planned SINR (placement sized
/// them by the capacity rule before the channel plan — by airtime, at the best rate the
/// width allows: this says where the planned SINR falls short of it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AirtimeReport {
    /// Channel-utilisation ceiling [%].
    pub ceiling_pct: f64,
    /// Rooms whose utilisation exceeds the ceiling (or that no MCS serves).
    pub rooms_over: usize,
    /// APs the airtime model would add over those rooms.
    pub extra_aps: u32,
    /// APs beyond what the airtime model asks at the planned SINR, over the other rooms
    /// (coverage, or the `Occupants` rule, placed them).
    pub spare_aps: u32,
    /// Per teaching room.
    pub rooms: Vec<RoomCapacity>,
}

/// The 2.4 GHz radio of a placed AP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowBandRadio {
    /// Channel.
    pub channel: u32,
    /// Transmit power [dBm] (the design power when off).
    pub tx_power_dbm: f64,
    /// Whether the plan keeps it on.
    pub on: bool,
}

/// The 2.4 GHz plan of a site's dual-band APs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowBandReport {
    /// Channels the plan may use.
    pub channels: Vec<u32>,
    /// Radios on.
    pub radios_on: usize,
    /// Radios switched off (they only added co-channel overlap).
    pub radios_off: usize,
    /// The 2.4 GHz requirement in teaching rooms and offices.
    pub coverage: RequirementCoverage,
    /// Of those rooms, how many miss it.
    pub rooms_failing: usize,
    /// SINR percentiles 5, 50, 95 over the teaching cells a radio reaches, the plan [dB].
    pub plan_db: [f64; 3],
    /// The same with every radio on (channels searched, design power) [dB].
    pub all_on_db: [f64; 3],
    /// Share of teaching cells hearing two co-channel radios above −82 dBm, the plan [%].
    pub overlap_pct: f64,
    /// The same with every radio on [%].
    pub all_on_overlap_pct: f64,
}

/// The 6 GHz plan of a tri-band model's radios (every one on: they add capacity for 6E
/// clients, and the band's many channels keep them apart).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SixGhzReport {
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// Channels the plan may use (the LPI band at that width).
    pub channels: Vec<u32>,
    /// Distinct channels the plan uses.
    pub channels_used: usize,
    /// The 6 GHz requirement in teaching rooms and offices.
    pub coverage: RequirementCoverage,
    /// Of those rooms, how many miss it.
    pub rooms_failing: usize,
    /// SINR percentiles 5, 50, 95 over the teaching cells a radio reaches [dB].
    pub plan_db: [f64; 3],
    /// Share of teaching cells hearing two co-channel radios above −82 dBm [%].
    pub overlap_pct: f64,
    /// 5th percentile over the teaching cells of the PHY rate at the cell's SINR shared
    /// with the co-channel radios it hears [Mbit/s].
    pub p5_throughput_mbps: f64,
    /// Every width tried, with its plan's figures.
    pub widths_tried: Vec<WidthTried>,
}

/// One width the 6 GHz plan tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WidthTried {
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// 5th-percentile shared throughput over the teaching cells [Mbit/s].
    pub p5_mbps: f64,
    /// 5th-percentile SINR [dB].
    pub p5_sinr_db: f64,
}

/// SINR of the plan and of the random baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinrReport {
    /// Channel width planned [MHz].
    pub width_mhz: u32,
    /// APs per channel width, once widened ([`Requirements::max_width_mhz`]) [MHz → APs].
    pub aps_per_width: BTreeMap<u32, usize>,
    /// The teaching cells' shared rate: 5th percentile and mean (the PHY rate at the
    /// cell's SINR and its server's width, divided among the radios on overlapping
    /// channels heard above −82 dBm) [Mbit/s].
    pub throughput_mbps: [f64; 2],
    /// The same with every AP at the planned width [Mbit/s].
    pub planned_width_throughput_mbps: [f64; 2],
    /// Share of teaching cells hearing two radios on overlapping channels above −82 dBm [%].
    pub overlap_pct: f64,
    /// Percentiles 5, 50, 95 over the teaching rooms' cells [dB].
    pub plan_db: [f64; 3],
    /// Co-channel AP pairs hearing each other above −82 dBm.
    pub plan_co_channel_pairs: usize,
    /// The same for a seeded random channel assignment at the design power.
    pub baseline_db: [f64; 3],
    /// Its co-channel pairs.
    pub baseline_co_channel_pairs: usize,
    /// Seed text of the baseline.
    pub baseline_seed: String,
}

/// Everything `placement.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementReport {
    /// Site name.
    pub site: String,
    /// UAI.
    pub uai: Option<String>,
    /// Number of APs.
    pub ap_count: usize,
    /// Requirements used.
    pub requirements: Requirements,
    /// Thresholds they give.
    pub thresholds: Thresholds,
    /// Candidates evaluated.
    pub candidates: usize,
    /// Candidates whose full map was computed (every candidate when `max_reflections` is
    /// 0, the direct field being the full map); the others were ranked on their direct
    /// field.
    pub full_maps: usize,
    /// Lower bounds.
    pub bounds: LowerBounds,
    /// Coverage per requirement, as evaluated by the optimiser's model.
    pub coverage: BTreeMap<String, RequirementCoverage>,
    /// Coverage per room kind.
    pub coverage_by_kind: Vec<KindFigures>,
    /// Rooms that miss a requirement.
    pub failing_rooms: Vec<FailingRoom>,
    /// SINR figures.
    pub sinr: SinrReport,
    /// The 2.4 GHz plan, when the requirements plan one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low_band: Option<LowBandReport>,
    /// The 6 GHz plan, for a tri-band AP model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub six_ghz: Option<SixGhzReport>,
    /// Capacity by airtime of the teaching rooms.
    pub airtime: AirtimeReport,
    /// The APs.
    pub aps: Vec<PlacedAp>,
    /// Total estimated cable [m].
    pub cable_total_m: f64,
    /// APs whose run exceeds 90 m of copper or has no closet.
    pub cable_flagged: usize,
    /// Time per stage [s]: wall clock, but `candidate_maps` and `optimise` summed over
    /// the buildings placed now (a building found in the cache costs nothing).
    pub runtime_s: BTreeMap<String, f64>,
}

/// A placement: the APs and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// APs with channels and powers, for `aps.ron`.
    pub aps: AccessPoints,
    /// The report.
    pub report: PlacementReport,
}

/// Places APs on a validated site, each building's placement computed afresh (but
/// shared between identical buildings of the site).
pub fn place(
    site: &Site,
    req: &Requirements,
    backend: &dyn Backend,
    progress: Progress<'_>,
) -> Result<Placement, PlaceError> {
    place_cached(site, req, backend, &BuildingCache::default(), progress)
}

/// Places APs on a validated site, taking each building's placement from `cache` when
/// an identical building was placed before (see [`cache`]).
pub fn place_cached(
    site: &Site,
    req: &Requirements,
    backend: &dyn Backend,
    cache: &BuildingCache,
    progress: Progress<'_>,
) -> Result<Placement, PlaceError> {
    let problems = req.problems();
    if !problems.is_empty() {
        return Err(PlaceError::Requirements(problems));
    }
    let t0 = Instant::now();
    let mut runtime = BTreeMap::new();
    // The whole scene, for its checks (every material known and usable).
    Scene::build(site).map_err(|e| PlaceError::Scene(e.to_string()))?;
    let demand = Demand::of(site, req);
    if demand.rooms.is_empty() || demand.cells.is_empty() {
        return Err(PlaceError::NothingToCover);
    }
    let cands = candidates::candidates(site, &demand, req);
    let coarse = demand.every(building::LOW_BAND_STRIDE);
    // Buildings are independent covering problems (see [`building`]): each is placed on
    // its own, in parallel, and the site's candidates are theirs in building order.
    let mut first = vec![cands.len(); site.buildings.len()];
    for (c, cand) in cands.iter().enumerate().rev() {
        first[demand.rooms[cand.room].building] = c;
    }
    let with_candidates: Vec<usize> = (0..site.buildings.len()).filter(|&b| first[b] < cands.len()).collect();
    let done = AtomicUsize::new(0);
    let plans = with_candidates
        .par_iter()
        .map(|&b| {
            let report = |_: usize| progress(done.fetch_add(1, Ordering::Relaxed) + 1, cands.len());
            let count = cands[first[b]..].iter().take_while(|c| demand.rooms[c.room].building == b).count();
            let shape = (count, demand.building_cells(b).len(), coarse.building_cells(b).len());
            let planned = cache.plan(site, b, req, backend, shape, &report)?;
            if planned.1 {
                progress(done.fetch_add(count, Ordering::Relaxed) + count, cands.len());
            }
            Ok(planned)
        })
        .collect::<Result<Vec<_>, PlaceError>>()?;
    let mut gains = vec![Vec::new(); cands.len()];
    let mut exact = vec![false; cands.len()];
    let mut chosen = Vec::new();
    let (mut maps_s, mut optimise_s) = (0.0, 0.0);
    for (&b, (plan, found)) in with_candidates.iter().zip(&plans) {
        let offset = first[b];
        for (c, map) in &plan.exact {
            gains[offset + c] = map.clone();
            exact[offset + c] = true;
        }
        chosen.extend(plan.chosen.iter().map(|c| offset + c));
        if !found {
            maps_s += plan.seconds.0;
            optimise_s += plan.seconds.1;
        }
    }
    // Summed over buildings (zero for a building found in the cache).
    runtime.insert("candidate_maps".to_string(), maps_s);
    runtime.insert("optimise".to_string(), optimise_s);
    let full_maps = exact.iter().filter(|&&e| e).count();
    let model = Model::new(&demand, &cands, gains, exact, req);
    let power = req.design_power_dbm();

    let t2 = Instant::now();
    let capacity = bound::capacity_bound(&model);
    let lp = bound::lp_bound(&model, power);
    let best = capacity.max(lp.as_ref().map_or(0, |v| (v - 1e-6).ceil().max(0.0) as u32));
    let bounds = LowerBounds {
        capacity,
        lp: lp.as_ref().ok().copied(),
        lp_error: lp.err(),
        best,
        gap_pct: if best == 0 { 0.0 } else { 100.0 * (chosen.len() as f64 - f64::from(best)) / f64::from(best) },
    };
    runtime.insert("bounds".to_string(), t2.elapsed().as_secs_f64());

    let t3 = Instant::now();
    // Channels and powers are searched on every other cell; the figures are on all.
    let sampled = channels::Interference::new(&model, &chosen, req, 2);
    let narrow = channels::channel_plan(&sampled, req);
    let searched = channels::widen(&sampled, req, narrow.clone());
    let inter = channels::Interference::new(&model, &chosen, req, 1);
    let throughput = inter.throughput(&searched.channels, &searched.powers);
    // Without widening (the default) the plan is the narrow one: its figures once.
    let narrow_throughput =
        if searched == narrow { throughput } else { inter.throughput(&narrow.channels, &narrow.powers) };
    let plan = inter.plan(searched.channels, searched.powers);
    let width_of = |ch: u32| crate::radio::channels::width_of(req.band, ch);
    let seed = site.uai.clone().unwrap_or_else(|| site.name.clone());
    let baseline = channels::random_plan(&inter, req, &seed);
    let maps = OtherBand { demand: &coarse, cands: &cands, buildings: &with_candidates, first: &first, plans: &plans };
    let low = req.low_band.plan.then(|| low_band(&maps, &chosen, req));
    let six = req.plans_six_ghz().then(|| six_ghz(&maps, &chosen, req)).flatten();
    runtime.insert("channels".to_string(), t3.elapsed().as_secs_f64());

    let eval = model.evaluate(&chosen.iter().copied().zip(plan.powers.iter().copied()).collect::<Vec<_>>());
    let airtime =
        airtime_report(site, &demand, &inter.cells, &inter.cell_service(&plan.channels, &plan.powers), &eval, req);
    let (coverage, coverage_by_kind, failing_rooms) = coverage_report(site, req, &model, &eval);

    // APs, named after their rooms.
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_room: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in &chosen {
        *per_room.entry(cands[c].room).or_default() += 1;
    }
    let mut seen_in_room: BTreeMap<usize, usize> = BTreeMap::new();
    let mut aps = Vec::new();
    let mut placed = Vec::new();
    for (i, &c) in chosen.iter().enumerate() {
        let cand = &cands[c];
        let room = &demand.rooms[cand.room];
        let b = &site.buildings[room.building];
        let f = &b.floors[room.floor];
        let k = seen_in_room.entry(cand.room).or_default();
        *k += 1;
        let stem = ap_stem(&room.name);
        let mut name = if per_room[&cand.room] > 1 { format!("{stem}-{k}") } else { stem.to_string() };
        if names.contains_key(&name) {
            name = format!("{}/{}", b.name, name);
        }
        let n = names.entry(name.clone()).or_default();
        *n += 1;
        if *n > 1 {
            name = format!("{name} ({n})");
        }
        let cable = cable_run(site, room.building, room.floor, cand.local);
        aps.push(AccessPoint {
            name: name.clone(),
            building: b.name.clone(),
            floor: f.name.clone(),
            position: cand.local,
            height: cand.height,
            radios: std::iter::once(Radio {
                band: req.band,
                channel: Some(plan.channels[i]),
                width_mhz: width_of(plan.channels[i]),
                tx_power_dbm: plan.powers[i],
                off: false,
            })
            .chain(low.as_ref().map(|(_, radios)| Radio {
                band: crate::band::Band::G2_4,
                channel: Some(radios[i].channel),
                width_mhz: 20,
                tx_power_dbm: radios[i].tx_power_dbm,
                off: !radios[i].on,
            }))
            .chain(six.as_ref().map(|(report, radios)| Radio {
                band: crate::band::Band::G6,
                channel: Some(radios[i].channel),
                width_mhz: report.width_mhz,
                tx_power_dbm: radios[i].tx_power_dbm,
                off: false,
            }))
            .collect(),
            antenna: req.model().map_or(Antenna::Isotropic { gain_dbi: 0.0 }, |m| m.antenna()),
        });
        placed.push(PlacedAp {
            name,
            building: b.name.clone(),
            floor: f.name.clone(),
            room: room.name.clone(),
            position: cand.local,
            height_m: cand.height,
            channel: plan.channels[i],
            width_mhz: width_of(plan.channels[i]),
            tx_power_dbm: plan.powers[i],
            low_band: low.as_ref().map(|(_, radios)| radios[i].clone()),
            six_ghz: six.as_ref().map(|(_, radios)| radios[i].clone()),
            cable,
        });
    }
    let cable_total_m = placed.iter().filter_map(|p| p.cable.length_m).fold(0.0, |a, b| a + b);
    let cable_flagged = placed.iter().filter(|p| p.cable.flagged).count();
    runtime.insert("total".to_string(), t0.elapsed().as_secs_f64());
    let report = PlacementReport {
        site: site.name.clone(),
        uai: site.uai.clone(),
        ap_count: aps.len(),
        requirements: req.clone(),
        thresholds: model.thresholds,
        candidates: cands.len(),
        full_maps,
        bounds,
        coverage,
        coverage_by_kind,
        failing_rooms,
        sinr: SinrReport {
            width_mhz: req.width_mhz,
            aps_per_width: plan.channels.iter().fold(BTreeMap::new(), |mut m, &ch| {
                *m.entry(width_of(ch)).or_insert(0) += 1;
                m
            }),
            throughput_mbps: [throughput.0, throughput.1],
            planned_width_throughput_mbps: [narrow_throughput.0, narrow_throughput.1],
            overlap_pct: crate::coverage::pct(plan.overlap_cells, plan.cells),
            plan_db: plan.sinr_db,
            plan_co_channel_pairs: plan.co_channel_pairs,
            baseline_db: baseline.sinr_db,
            baseline_co_channel_pairs: baseline.co_channel_pairs,
            baseline_seed: seed,
        },
        low_band: low.map(|(report, _)| report),
        six_ghz: six.map(|(report, _)| report),
        airtime,
        aps: placed,
        cable_total_m,
        cable_flagged,
        runtime_s: runtime,
    };
    Ok(Placement { aps: AccessPoints(aps), report })
}

/// The airtime figures of the teaching rooms, from the best-server SINR at their cells
/// (`sinr[i]` at demand cell `cells[i]`, NaN where no AP is heard) and the APs `eval`
/// counts inside them.
fn airtime_report(
    site: &Site,
    demand: &Demand,
    cells: &[usize],
    service: &[(f64, u32)],
    eval: &model::Evaluation,
    req: &Requirements,
) -> AirtimeReport {
    let mut per_room: BTreeMap<usize, Vec<(f64, u32)>> = BTreeMap::new();
    for (&k, &(v, w)) in cells.iter().zip(service) {
        per_room.entry(demand.cells[k].room as usize).or_default().push(if v.is_nan() {
            (f64::NEG_INFINITY, req.width_mhz)
        } else {
            (v, w)
        });
    }
    let rooms: Vec<RoomCapacity> = per_room
        .into_iter()
        .map(|(ri, mut values)| {
            let room = &demand.rooms[ri];
            values.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (sinr_db, width_mhz) = values[values.len() / 2];
            let figures = req.airtime.room(room.kind, room.occupants, sinr_db, width_mhz);
            let aps = eval.rooms[ri].2;
            // Airtime taken of the channels: demand over what the APs carry at 100 %.
            let carried = f64::from(aps) * figures.supply_mbps / req.airtime.utilisation;
            let b = &site.buildings[room.building];
            RoomCapacity {
                building: b.name.clone(),
                floor: b.floors[room.floor].name.clone(),
                room: room.name.clone(),
                occupants: room.occupants,
                sinr_db,
                width_mhz,
                demand_mbps: figures.demand_mbps,
                supply_mbps: figures.supply_mbps,
                aps,
                aps_needed: figures.aps_needed,
                utilisation_pct: (carried > 0.0).then(|| 100.0 * figures.demand_mbps / carried),
            }
        })
        .collect();
    let short = |r: &RoomCapacity| r.aps_needed.is_none_or(|n| n > r.aps);
    AirtimeReport {
        ceiling_pct: 100.0 * req.airtime.utilisation,
        rooms_over: rooms.iter().filter(|r| short(r)).count(),
        extra_aps: rooms.iter().filter_map(|r| r.aps_needed.map(|n| n.saturating_sub(r.aps))).sum(),
        spare_aps: rooms.iter().filter_map(|r| r.aps_needed.map(|n| r.aps.saturating_sub(n))).sum(),
        rooms,
    }
}

/// Where the chosen APs' maps in the other bands are: the site's demand on the coarse
/// lattice, the candidates, and the buildings' plans (with each building's first
/// candidate).
struct OtherBand<'a> {
    demand: &'a Demand,
    cands: &'a [Candidate],
    buildings: &'a [usize],
    first: &'a [usize],
    plans: &'a [(std::sync::Arc<building::BuildingPlan>, bool)],
}

impl OtherBand<'_> {
    /// The model of the chosen APs in one band, from the maps `maps_of` picks in each
    /// building's plan, against `req` (that band's requirements).
    fn model(&self, maps_of: fn(&building::BuildingPlan) -> &Vec<Vec<f32>>, req: &Requirements) -> Model<'_> {
        let mut gains = vec![Vec::new(); self.cands.len()];
        let mut exact = vec![false; self.cands.len()];
        for (&b, (plan, _)) in self.buildings.iter().zip(self.plans) {
            for (&c, map) in plan.chosen.iter().zip(maps_of(plan)) {
                gains[self.first[b] + c] = map.clone();
                exact[self.first[b] + c] = true;
            }
        }
        Model::new(self.demand, self.cands, gains, exact, req)
    }
}

/// Coverage of the teaching rooms and offices at the primary threshold of `req` (the
/// model's requirements) by the radios `on` (candidate, power [dBm]), and how many of
/// those rooms miss it.
fn primary_coverage(model: &Model, req: &Requirements, on: &[(usize, f64)]) -> (RequirementCoverage, usize) {
    let eval = model.evaluate(on);
    let (mut cells, mut covered, mut rooms_failing) = (0, 0, 0);
    for (ri, room) in
        model.demand.rooms.iter().enumerate().filter(|(_, r)| r.class == crate::requirements::Class::Primary)
    {
        cells += room.cells.len();
        covered += eval.rooms[ri].0;
        rooms_failing += usize::from(eval.rooms[ri].0 < model.needs[ri].0);
    }
    let coverage = RequirementCoverage {
        threshold_dbm: model.thresholds.primary_dbm,
        required_pct: 100.0 * req.primary_fraction,
        cells,
        covered_pct: crate::coverage::pct(covered, cells),
    };
    (coverage, rooms_failing)
}

/// The 2.4 GHz plan of the chosen APs (site candidates `chosen`) from their maps at
/// 2.4 GHz: the report and each AP's radio.
fn low_band(maps: &OtherBand, chosen: &[usize], req: &Requirements) -> (LowBandReport, Vec<LowBandRadio>) {
    let low = req.low_band_requirements();
    let model = maps.model(|p| &p.low_band, &low);
    let inter = channels::Interference::new(&model, chosen, &low, 1);
    let (plan, all_on) = channels::low_band_plan(&inter, &low, &req.low_band.channels);
    // Coverage of the rooms that need it, radios off left out.
    let on: Vec<(usize, f64)> =
        chosen.iter().copied().zip(plan.powers.iter().copied()).filter(|(_, p)| p.is_finite()).collect();
    let (coverage, rooms_failing) = primary_coverage(&model, &low, &on);
    let radios = plan
        .channels
        .iter()
        .zip(&plan.powers)
        .map(|(&channel, &p)| LowBandRadio {
            channel,
            tx_power_dbm: if p.is_finite() { p } else { low.design_power_dbm() },
            on: p.is_finite(),
        })
        .collect::<Vec<_>>();
    let radios_on = radios.iter().filter(|r| r.on).count();
    let report = LowBandReport {
        channels: req.low_band.channels.clone(),
        radios_on,
        radios_off: radios.len() - radios_on,
        coverage,
        rooms_failing,
        plan_db: plan.sinr_db,
        all_on_db: all_on.sinr_db,
        overlap_pct: crate::coverage::pct(plan.overlap_cells, plan.cells),
        all_on_overlap_pct: crate::coverage::pct(all_on.overlap_cells, all_on.cells),
    };
    (report, radios)
}

/// The 6 GHz plan of the chosen APs from their maps at 6 GHz: at each width tried,
/// channels and powers as the 5 GHz plan searches them (p5 SINR, the coverage at the
/// 6 GHz threshold kept), every radio on; the width whose plan gives the teaching cells
/// the most throughput at the 5th percentile is kept (the narrower on a tie).
fn six_ghz(maps: &OtherBand, chosen: &[usize], req: &Requirements) -> Option<(SixGhzReport, Vec<LowBandRadio>)> {
    let mut best: Option<(f64, SixGhzReport, Vec<LowBandRadio>)> = None;
    let mut tried = Vec::new();
    for width in req.six_ghz_widths() {
        let six = req.six_ghz_requirements(width);
        let model = maps.model(|p| &p.six_ghz, &six);
        let inter = channels::Interference::new(&model, chosen, &six, 1);
        let plan = channels::channel_plan(&inter, &six);
        let p5 = inter.p5_throughput(&plan.channels, &plan.powers);
        tried.push(WidthTried { width_mhz: width, p5_mbps: p5, p5_sinr_db: plan.sinr_db[0] });
        if best.as_ref().is_some_and(|b| b.0 >= p5) {
            continue;
        }
        let on: Vec<(usize, f64)> = chosen.iter().copied().zip(plan.powers.iter().copied()).collect();
        let (coverage, rooms_failing) = primary_coverage(&model, &six, &on);
        let radios: Vec<LowBandRadio> = plan
            .channels
            .iter()
            .zip(&plan.powers)
            .map(|(&channel, &tx_power_dbm)| LowBandRadio { channel, tx_power_dbm, on: true })
            .collect();
        let used: std::collections::BTreeSet<u32> = plan.channels.iter().copied().collect();
        let report = SixGhzReport {
            width_mhz: width,
            channels: six.channels(),
            channels_used: used.len(),
            coverage,
            rooms_failing,
            plan_db: plan.sinr_db,
            overlap_pct: crate::coverage::pct(plan.overlap_cells, plan.cells),
            p5_throughput_mbps: p5,
            widths_tried: Vec::new(),
        };
        best = Some((p5, report, radios));
    }
    // None only without a width to try, which the requirements' check refuses.
    let (_, mut report, radios) = best?;
    report.widths_tried = tried;
    Some((report, radios))
}

type CoverageReport = (BTreeMap<String, RequirementCoverage>, Vec<KindFigures>, Vec<FailingRoom>);

/// The placement's check: the design requirements on the model's cells, through the one
/// coverage evaluation.
fn coverage_report(site: &Site, req: &Requirements, model: &Model, eval: &model::Evaluation) -> CoverageReport {
    let rooms = model
        .demand
        .rooms
        .iter()
        .enumerate()
        .map(|(ri, room)| {
            let b = &site.buildings[room.building];
            let cells = room.cells.clone();
            let checks = Check::design(room.class, req)
                .into_iter()
                .map(|c| {
                    let values = if c.requirement == Requirement::Secondary { &eval.second } else { &eval.best };
                    (c, Tally::of(values[cells.clone()].iter().copied(), c.threshold))
                })
                .collect();
            RoomCoverage {
                building: b.name.clone(),
                floor: b.floors[room.floor].name.clone(),
                room: room.name.clone(),
                kind: room.kind,
                area_m2: 0.0,
                best_rssi_dbm: f64::from(eval.best[cells].iter().copied().fold(f32::NEG_INFINITY, f32::max)),
                checks,
                capacity: Some((eval.rooms[ri].2, room.capacity_need)),
            }
        })
        .collect();
    let coverage = Coverage { rooms };
    let totals = coverage
        .totals()
        .into_iter()
        .map(|(r, (c, t))| {
            let figures = RequirementCoverage {
                threshold_dbm: c.threshold,
                required_pct: 100.0 * c.fraction,
                cells: t.cells,
                covered_pct: t.pct(),
            };
            (r.key().to_string(), figures)
        })
        .collect();
    let by_kind = coverage
        .by_kind()
        .into_iter()
        .filter_map(|k| {
            // A kind whose requirement was set to a share of 0 has nothing to report.
            let covered = k.checks.first()?.tally;
            let secured = k.checks.iter().find(|c| c.check.requirement == Requirement::Secondary);
            Some(KindFigures {
                kind: k.kind,
                rooms: k.rooms,
                cells: covered.cells,
                covered_pct: covered.pct(),
                secondary_pct: secured.map(|s| s.tally.pct()),
            })
        })
        .collect();
    (totals, by_kind, coverage.failing())
}

/// Writes `aps.ron` and `placement.json` into `dir` (created if needed), atomically.
pub fn write(dir: &Path, placement: &Placement) -> Result<(), PlaceError> {
    let err = |path: &Path| {
        let p = path.display().to_string();
        move |source: std::io::Error| PlaceError::Write { path: p, source }
    };
    std::fs::create_dir_all(dir).map_err(err(dir))?;
    let aps_text = ron::ser::to_string_pretty(&placement.aps, ron::ser::PrettyConfig::new().struct_names(true))
        .map_err(|e| err(&dir.join("aps.ron"))(std::io::Error::other(e)))?;
    write_atomic(&dir.join("aps.ron"), aps_text.as_bytes()).map_err(err(&dir.join("aps.ron")))?;
    let json = serde_json::to_string_pretty(&placement.report)
        .map_err(|e| err(&dir.join("placement.json"))(std::io::Error::other(e)))?;
    write_atomic(&dir.join("placement.json"), json.as_bytes()).map_err(err(&dir.join("placement.json")))
}

/// The stem of a room's AP names: its name up to its number (the first word with a
/// digit), so that a drawing's long labels give short names ("A002 Salle TD 50/60 Places
/// 71 m²" gives "A002", "Salle 101 35 places" "Salle 101"); a name ending on its number,
/// or without one, is kept whole.
fn ap_stem(room: &str) -> &str {
    let room = room.trim();
    let mut at = 0;
    while let Some(start) = room[at..].find(|c: char| !c.is_whitespace()).map(|i| at + i) {
        let end = room[start..].find(char::is_whitespace).map_or(room.len(), |i| start + i);
        if room[start..end].chars().any(|c| c.is_ascii_digit()) {
            return &room[..end];
        }
        at = end;
    }
    room
}

#[cfg(test)]
mod tests {
    #[test]
    fn ap_names_stop_at_the_room_number() {
        assert_eq!(super::ap_stem("A002 Salle TD 50/60 Places 71 m²"), "A002");
        assert_eq!(super::ap_stem("Salle 101 35 places"), "Salle 101");
        assert_eq!(super::ap_stem("Salle de sport 2"), "Salle de sport 2");
        assert_eq!(super::ap_stem("Local VDI A1"), "Local VDI A1");
        assert_eq!(super::ap_stem("CDI"), "CDI");
    }
}
