//! The `wifiplan` command line: parses arguments, calls the library, prints results on
//! stdout and errors on stderr, and maps outcomes to exit codes (0 ok, 1 failure, 2 bad
//! usage or bad input).

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use wifiplan::band::Band;
use wifiplan::heatmap::{HeatmapError, HeatmapOptions};
use wifiplan::placement::{self, Requirements};
use wifiplan::plan::{self, Summary};
use wifiplan::radio::AccessPoints;
use wifiplan::radiomap::{GridSpec, Metric};
use wifiplan::region::batch::{self, BatchError};
use wifiplan::region::waves::{self, Plan, WavesError};
use wifiplan::region::{BatchOptions, BatchResult, Calendar, Costs, SiteList, WavesConfig};
use wifiplan::render::report;
use wifiplan::simulate::{self, SimulateOptions};
use wifiplan::solver::{self, Backend, Settings};

/// Prints a line on stdout; a reader that went away (`| head`) is not an error.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

#[derive(Parser)]
#[command(name = "wifiplan", version, about = "Plans the WiFi rollout of a region's lycées")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a floor plan and print its summary: buildings, floors, walls per material,
    /// rooms per kind, slab losses and bounding box.
    Check(CheckArgs),
    /// Simulate the radio maps of a plan's access points: best-server RSSI per floor, and
    /// each AP's path gain with --per-ap (NumPy .npy files indexed by radiomap.json).
    Simulate(SimulateArgs),
    /// Draw a plan's coverage: per floor and metric a PNG heatmap (RSSI, second-best RSSI,
    /// SNR, SINR, data rate, serving channel, APs heard), and report.html for the site.
    Heatmap(HeatmapArgs),
    /// Place the fewest APs that meet the coverage and capacity requirements, with a
    /// channel and power plan and cable runs: writes aps.ron and placement.json.
    Place(PlaceArgs),
    /// Generate a plausible lycée campus for a number of pupils and a type,
    /// deterministic for a seed (by default, the pupils and the type).
    Generate(GenerateArgs),
    /// Import a floor plan from an architect's DXF or a plan image (PNG), mapped by an
    /// import configuration.
    Import(ImportArgs),
    /// Plan every site of a site list (default: the bundled Normandy lycées) in parallel:
    /// plan, placement, coverage simulation, RSSI heatmaps, report.html and cost per site,
    /// then sites.csv and summary.json.
    Batch(BatchArgs),
    /// Merge the folders of a sharded batch into one equal to a single run.
    Merge(MergeArgs),
    /// Schedule a batch's sites into the installation waves under the budget: writes
    /// schedule.csv, waves.json, gantt.png, map.png and burndown.png.
    Waves(WavesArgs),
    /// The main job: batch and waves over the bundled region with the defaults.
    Rollout(RolloutArgs),
}

#[derive(Args)]
#[command(args_override_self = true)]
struct BatchArgs {
    /// Site list (CSV: uai, name, type, commune, departement, pupils, latitude, longitude,
    /// plan); the bundled region when left out.
    sites: Option<PathBuf>,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Run only shard K of N (rows whose index is K−1 modulo N).
    #[arg(long, value_name = "K/N")]
    shard: Option<wifiplan::region::Shard>,
    /// Keep the sites whose outputs are complete and current.
    #[arg(long)]
    resume: bool,
    /// Cost model (RON); the bundled defaults when left out.
    #[arg(long, value_name = "COSTS.ron")]
    costs: Option<PathBuf>,
    /// Solver backend.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
}

#[derive(Args)]
#[command(args_override_self = true)]
struct MergeArgs {
    /// Shard folders written by `batch --shard`.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
#[command(args_override_self = true)]
struct WavesArgs {
    /// Batch folder (with sites.csv).
    batch: PathBuf,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Wave configuration (RON); the bundled defaults when left out.
    #[arg(long, value_name = "WAVES.ron")]
    config: Option<PathBuf>,
    /// Recompute the sites' costs with this cost model (RON).
    #[arg(long, value_name = "COSTS.ron")]
    costs: Option<PathBuf>,
    /// Budget instead of the configuration's [€].
    #[arg(long, value_name = "EUR")]
    budget: Option<f64>,
}

#[derive(Args)]
#[command(args_override_self = true)]
struct RolloutArgs {
    /// Output folder.
    #[arg(long, default_value = "rollout")]
    out: PathBuf,
    /// Keep the sites whose outputs are complete and current.
    #[arg(long)]
    resume: bool,
    /// Solver backend.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
}

#[derive(Args)]
#[command(args_override_self = true)]
struct ImportArgs {
    /// Drawing (.dxf) or image (.png).
    file: PathBuf,
    /// Import configuration (RON).
    #[arg(long, value_name = "IMPORT.ron")]
    config: PathBuf,
    /// Plan to write (RON).
    #[arg(short = 'o', long = "output", value_name = "PLAN.ron")]
    output: PathBuf,
}

#[derive(Args)]
#[command(args_override_self = true)]
struct GenerateArgs {
    /// Number of pupils.
    #[arg(long)]
    pupils: u32,
    /// Lycée type: LEGT, LPO, LP or EREA.
    #[arg(long = "type", value_name = "TYPE")]
    kind: wifiplan::plan::generate::SchoolType,
    /// Seed text, e.g. the lycée's UAI.
    #[arg(long)]
    seed: Option<String>,
    /// Plan to write (RON).
    #[arg(short = 'o', long = "output", value_name = "PLAN.ron")]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendChoice {
    /// A real GPU when wgpu finds one (CPU-type adapters such as lavapipe are passed
    /// over), else the CPU, with a notice that says why.
    Auto,
    /// The rayon CPU reference.
    Cpu,
    /// The wgpu backend on whatever Vulkan adapter there is (lavapipe included).
    Gpu,
}

/// Opens the backend a command asked for; `auto` notes on stderr when it falls back.
fn open_backend(choice: BackendChoice) -> Result<Box<dyn Backend>, Failure> {
    let choice = match choice {
        BackendChoice::Auto => solver::BackendChoice::Auto,
        BackendChoice::Cpu => solver::BackendChoice::Cpu,
        BackendChoice::Gpu => solver::BackendChoice::Gpu,
    };
    let (backend, notice) =
        solver::select_backend(choice).map_err(|e| Failure::bad_input(vec![format!("--backend gpu: {e}")]))?;
    if let Some(n) = notice {
        eprintln!("notice: {n}");
    }
    Ok(backend)
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
struct SimulateArgs {
    /// Floor plan (RON).
    plan: PathBuf,
    /// Access points (aps.ron).
    #[arg(long)]
    aps: PathBuf,
    /// Output folder (created; files of the same names are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Band whose radios are simulated: 2.4, 5 or 6 (default: the band of --frequency,
    /// else 5).
    #[arg(long, value_parser = parse_band)]
    band: Option<Band>,
    /// Simulate every radio at this frequency instead of its channel's [GHz].
    #[arg(long, value_name = "GHZ")]
    frequency: Option<f64>,
    /// Cell size [m].
    #[arg(long, default_value_t = 0.25)]
    cell: f64,
    /// Receiver height above each floor [m].
    #[arg(long, default_value_t = 1.0)]
    rx_height: f64,
    /// Margin around each building [m].
    #[arg(long, default_value_t = 2.0)]
    margin: f64,
    /// Same bounds for every plane: XMIN,YMIN,XMAX,YMAX in the site frame [m].
    #[arg(long, value_parser = parse_bounds, allow_hyphen_values = true)]
    bounds: Option<[f64; 4]>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Also write each AP's path gain grid.
    #[arg(long)]
    per_ap: bool,
    /// Solver backend.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
}

/// The propagation engine's accuracy, on every command that simulates.
#[derive(Args, Clone, Copy)]
struct EngineArgs {
    /// Dynamic range of the energy criterion [dB]: reflections are followed while a strict
    /// bound of what they can still add is within this of what their cells receive.
    #[arg(long, value_name = "DB", default_value_t = solver::DEFAULT_DYNAMIC_RANGE_DB, value_parser = parse_dynamic_range)]
    dynamic_range: f64,
    /// Hard cap on reflections per path (walls and slabs together); the energy criterion
    /// ends paths before it on ordinary plans.
    #[arg(long, value_name = "N", default_value_t = solver::DEFAULT_MAX_REFLECTIONS,
          value_parser = clap::value_parser!(u32).range(*solver::MAX_REFLECTIONS_RANGE.start() as i64..=*solver::MAX_REFLECTIONS_RANGE.end() as i64))]
    max_reflections: u32,
}

impl EngineArgs {
    fn settings(self) -> Settings {
        Settings { max_reflections: self.max_reflections, dynamic_range_db: self.dynamic_range, ..Settings::default() }
    }
}

fn parse_dynamic_range(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("not a number: {s}"))?;
    let r = solver::DYNAMIC_RANGE_RANGE_DB;
    if r.contains(&v) { Ok(v) } else { Err(format!("{v} is outside {}..={} dB", r.start(), r.end())) }
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
struct HeatmapArgs {
    /// Floor plan (RON).
    plan: PathBuf,
    /// Access points (aps.ron).
    #[arg(long)]
    aps: PathBuf,
    /// Output folder (created; images, heatmaps.json and report.html are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Metrics to draw, comma-separated: rssi, secondary, snr, sinr, rate, channel,
    /// ap-count, or all.
    #[arg(long, default_value = "rssi", value_delimiter = ',')]
    metric: Vec<String>,
    /// Image scale [px/m].
    #[arg(long, default_value_t = 20.0, value_name = "PX_PER_M")]
    scale: f64,
    /// Cell size [m].
    #[arg(long, default_value_t = 0.5)]
    cell: f64,
    #[command(flatten)]
    engine: EngineArgs,
    /// Band whose radios are drawn: 2.4, 5 or 6.
    #[arg(long, default_value = "5", value_parser = parse_band)]
    band: Band,
    /// Requirements (RON) whose thresholds set the colour bands and the coverage tables.
    #[arg(long, value_name = "REQ.ron")]
    requirements: Option<PathBuf>,
    /// Cost model (RON) of the report's bill of materials.
    #[arg(long, value_name = "COSTS.ron")]
    costs: Option<PathBuf>,
    /// Solver backend.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
struct PlaceArgs {
    /// Floor plan (RON).
    plan: PathBuf,
    /// Output folder (created; aps.ron and placement.json are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Requirements file (RON, `Requirements(...)`); the flags below override it.
    #[arg(long, value_name = "REQ.ron")]
    requirements: Option<PathBuf>,
    /// Best-server RSSI in teaching rooms and offices [dBm].
    #[arg(long, value_name = "DBM")]
    target_rssi: Option<f64>,
    /// Second-strongest AP's RSSI there [dBm].
    #[arg(long, value_name = "DBM")]
    secondary_rssi: Option<f64>,
    /// Best-server SNR there [dB].
    #[arg(long, value_name = "DB")]
    min_snr: Option<f64>,
    /// RSSI in corridors, halls, canteen, gym, dormitories [dBm].
    #[arg(long, value_name = "DBM")]
    corridor_rssi: Option<f64>,
    /// Active clients one radio serves at most.
    #[arg(long, value_name = "N")]
    clients_per_radio: Option<u32>,
    /// Band planned: 2.4, 5 or 6.
    #[arg(long, value_parser = parse_band)]
    band: Option<Band>,
    /// Allow the DFS channels (52–64, 100–140 without 120–128).
    #[arg(long)]
    dfs: bool,
    /// Exit with 1 when a requirement is not met.
    #[arg(long)]
    strict: bool,
    /// Solver backend.
    #[arg(long, value_enum, default_value = "auto")]
    backend: BackendChoice,
}

fn parse_band(s: &str) -> Result<Band, String> {
    Band::from_key(s).ok_or_else(|| format!("unknown band {s:?}: expected 2.4, 5 or 6"))
}

fn parse_bounds(s: &str) -> Result<[f64; 4], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>().map_err(|_| format!("{x:?} is not a number")))
        .collect::<Result<_, _>>()?;
    <[f64; 4]>::try_from(v).map_err(|_| "expected XMIN,YMIN,XMAX,YMAX".to_string())
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
struct CheckArgs {
    /// Floor plan (RON).
    plan: PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Frequency of the slab-loss table [GHz]; every material must be valid there
    /// (default: 5.5, where materials that are not valid are only noted).
    #[arg(long, value_name = "GHZ")]
    frequency: Option<f64>,
}

/// A failure to report: its lines (each printed after `error: `) and the exit code.
struct Failure {
    lines: Vec<String>,
    code: u8,
}

impl Failure {
    fn bad_input(lines: Vec<String>) -> Failure {
        Failure { lines, code: 2 }
    }
}

impl From<plan::PlanError> for Failure {
    fn from(e: plan::PlanError) -> Failure {
        let code = if matches!(e, plan::PlanError::Write { .. }) { 1 } else { 2 };
        Failure { lines: e.lines(), code }
    }
}

fn check(args: &CheckArgs) -> Result<(), Failure> {
    if let Some(f) = args.frequency
        && !(f.is_finite() && f > 0.0)
    {
        return Err(Failure::bad_input(vec![format!("--frequency {f}: must be a positive frequency in GHz")]));
    }
    let site = plan::load(&args.plan)?;
    let summary = Summary::of(&site, args.frequency.unwrap_or(Band::G5.centre_ghz()));
    if args.frequency.is_some() {
        let unusable = summary.unusable_materials();
        if !unusable.is_empty() {
            return Err(Failure::bad_input(unusable.iter().map(|e| format!("{}: {e}", args.plan.display())).collect()));
        }
    }
    if args.json {
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Failure { lines: vec![format!("cannot write JSON: {e}")], code: 1 })?;
        out!("{text}");
    } else {
        out!("{summary}");
    }
    Ok(())
}

/// Runs `work` with a progress bar on stderr that its `(done, total)` calls move.
fn with_progress<T>(what: &'static str, work: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> T) -> T {
    let bar = ProgressBar::new(0).with_message(what);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({elapsed})").unwrap_or(ProgressStyle::default_bar()),
    );
    let result = work(&|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    result
}

/// A simulation's failure: problems with the APs name their file, one line each.
fn simulate_failure(e: &simulate::SimulateError, aps: &std::path::Path) -> Failure {
    let lines = match e {
        simulate::SimulateError::Aps(p) => p.iter().map(|m| format!("{}: {m}", aps.display())).collect(),
        other => vec![other.to_string()],
    };
    Failure { lines, code: if e.is_bad_input() { 2 } else { 1 } }
}

/// Requirements from a RON file, or the defaults.
fn read_requirements(path: Option<&PathBuf>) -> Result<Requirements, Failure> {
    match path {
        Some(path) => wifiplan::ronfile::read(path).map_err(|e| Failure::bad_input(vec![e.to_string()])),
        None => Ok(Requirements::default()),
    }
}

fn simulate(args: &SimulateArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let aps = AccessPoints::load(&args.aps).map_err(|e| Failure::bad_input(e.lines()))?;
    let band = simulate::resolve_band(args.band, args.frequency).map_err(|e| simulate_failure(&e, &args.aps))?;
    let options = SimulateOptions {
        band,
        frequency_ghz: args.frequency,
        grid: GridSpec { cell: args.cell, rx_height: args.rx_height, margin: args.margin, bounds: args.bounds },
        settings: args.engine.settings(),
        per_ap: args.per_ap,
    };
    let backend = open_backend(args.backend)?;
    let result = with_progress("access points", |progress| {
        simulate::simulate(&site, &aps, &options, backend.as_ref(), progress)
    });
    let sim = result.map_err(|e| simulate_failure(&e, &args.aps))?;
    for s in &sim.skipped {
        eprintln!("notice: {s}");
    }
    simulate::write(&args.out, &sim).map_err(|e| Failure { lines: vec![e.to_string()], code: 1 })?;
    let cells: usize = sim.maps.planes.iter().map(|p| p.nx * p.ny).sum();
    out!(
        "simulated {} APs on {} planes ({} cells) with the {} backend in {:.2} s; wrote {}",
        sim.ap_names.len(),
        sim.maps.planes.len(),
        cells,
        sim.maps.backend,
        sim.maps.timings_s.get("solve").copied().unwrap_or(0.0),
        args.out.join("radiomap.json").display()
    );
    Ok(())
}

fn heatmap(args: &HeatmapArgs) -> Result<(), Failure> {
    let mut metrics = Vec::new();
    for key in &args.metric {
        match (key.as_str(), Metric::from_key(key)) {
            ("all", _) => metrics.extend(Metric::ALL),
            (_, Some(m)) => metrics.push(m),
            _ => {
                return Err(Failure::bad_input(vec![format!(
                    "--metric {key}: expected rssi, secondary, snr, sinr, rate, channel, ap-count or all"
                )]));
            }
        }
    }
    metrics.sort_unstable();
    metrics.dedup();
    let site = plan::load(&args.plan)?;
    let aps = AccessPoints::load(&args.aps).map_err(|e| Failure::bad_input(e.lines()))?;
    let mut requirements = read_requirements(args.requirements.as_ref())?;
    requirements.band = args.band;
    let costs = read_costs(args.costs.as_ref())?;
    let options = HeatmapOptions {
        simulate: SimulateOptions {
            band: args.band,
            frequency_ghz: None,
            grid: GridSpec { cell: args.cell, rx_height: requirements.rx_height_m, margin: 2.0, bounds: None },
            settings: args.engine.settings(),
            per_ap: true,
        },
        metrics,
        px_per_m: args.scale,
        requirements,
    };
    let backend = open_backend(args.backend)?;
    let result = with_progress("access points", |progress| {
        wifiplan::heatmap::run(&site, &aps, &options, backend.as_ref(), progress)
    });
    let maps = result.map_err(|e| match &e {
        HeatmapError::Simulate(e) => simulate_failure(e, &args.aps),
        other => Failure { lines: vec![other.to_string()], code: if other.is_bad_input() { 2 } else { 1 } },
    })?;
    for s in &maps.simulation.skipped {
        eprintln!("notice: {s}");
    }
    let bill = costs.bill(maps.aps.len(), maps.cable_total_m);
    let report = wifiplan::heatmap::report_data(&site, &maps, bill);
    let html = report::html(&report);
    wifiplan::heatmap::write(&args.out, &site, &maps.images, Some(&html))
        .map_err(|e| Failure { lines: vec![e.to_string()], code: 1 })?;
    out!(
        "drew {} heatmaps of {} floors ({} APs); {} rooms fail a requirement; wrote {}",
        maps.images.len(),
        maps.simulation.maps.planes.len(),
        maps.aps.len(),
        maps.failing.len(),
        args.out.join("report.html").display()
    );
    Ok(())
}

fn place(args: &PlaceArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let mut req = read_requirements(args.requirements.as_ref())?;
    if let Some(v) = args.target_rssi {
        req.primary_rssi_dbm = v;
    }
    if let Some(v) = args.secondary_rssi {
        req.secondary_rssi_dbm = v;
    }
    if let Some(v) = args.min_snr {
        req.min_snr_db = v;
    }
    if let Some(v) = args.corridor_rssi {
        req.circulation_rssi_dbm = v;
    }
    if let Some(v) = args.clients_per_radio {
        req.clients_per_radio = v;
    }
    if let Some(b) = args.band {
        req.band = b;
    }
    req.dfs |= args.dfs;
    let backend = open_backend(args.backend)?;
    let result =
        with_progress("candidate positions", |progress| placement::place(&site, &req, backend.as_ref(), progress));
    let placed = result.map_err(|e| {
        let code = if e.is_bad_input() { 2 } else { 1 };
        Failure { lines: vec![format!("{}: {e}", args.plan.display())], code }
    })?;
    placement::write(&args.out, &placed).map_err(|e| Failure { lines: vec![e.to_string()], code: 1 })?;
    let r = &placed.report;
    out!(
        "placed {} APs ({} candidates); bounds: capacity {}, LP {}; gap {:.1} %",
        r.ap_count,
        r.candidates,
        r.bounds.capacity,
        r.bounds.lp.map_or("failed".to_string(), |v| format!("{v:.2}")),
        r.bounds.gap_pct
    );
    out!(
        "SINR p5 {:.1} dB, {} co-channel pairs (random channels: p5 {:.1} dB, {} pairs); cable {:.0} m, {} runs flagged",
        r.sinr.plan_db[0],
        r.sinr.plan_co_channel_pairs,
        r.sinr.baseline_db[0],
        r.sinr.baseline_co_channel_pairs,
        r.cable_total_m,
        r.cable_flagged
    );
    out!("wrote {} and {}", args.out.join("aps.ron").display(), args.out.join("placement.json").display());
    if !r.failing_rooms.is_empty() {
        for f in &r.failing_rooms {
            eprintln!(
                "warning: building \"{}\" / floor \"{}\" / room \"{}\": {} requirement not met ({:.1} of {:.1}; best RSSI {:.1} dBm)",
                f.building, f.floor, f.room, f.requirement, f.achieved, f.needed, f.best_rssi_dbm
            );
        }
        if args.strict {
            return Err(Failure {
                lines: vec![format!("{} rooms miss a requirement (--strict)", r.failing_rooms.len())],
                code: 1,
            });
        }
    }
    Ok(())
}

fn generate(args: &GenerateArgs) -> Result<(), Failure> {
    let seed = args.seed.clone().unwrap_or_else(|| format!("{}-{}", args.kind, args.pupils));
    let site = wifiplan::plan::generate::generate(args.pupils, args.kind, &seed)
        .map_err(|e| Failure::bad_input(vec![e.to_string()]))?;
    plan::save(&site, &args.output)?;
    let summary = Summary::of(&site, Band::G5.centre_ghz());
    let rooms: usize = summary.rooms_by_kind.iter().map(|k| k.count).sum();
    out!(
        "generated {}: {} buildings, {} rooms, {} teaching seats; wrote {}",
        site.name,
        site.buildings.len(),
        rooms,
        wifiplan::plan::generate::teaching_seats(&site),
        args.output.display()
    );
    Ok(())
}

fn import(args: &ImportArgs) -> Result<(), Failure> {
    let config: wifiplan::plan::import::ImportConfig =
        wifiplan::ronfile::read(&args.config).map_err(|e| Failure::bad_input(vec![e.to_string()]))?;
    let (site, report) = wifiplan::plan::import::import_file(&args.file, &config)
        .map_err(|e| Failure::bad_input(vec![e.to_string()]))?;
    plan::save(&site, &args.output)?;
    for line in report.lines() {
        out!("{line}");
    }
    let floor = &site.buildings[0].floors[0];
    out!("imported {} walls and {} rooms; wrote {}", floor.walls.len(), floor.rooms.len(), args.output.display());
    Ok(())
}

fn read_costs(path: Option<&PathBuf>) -> Result<Costs, Failure> {
    let costs: Costs = match path {
        Some(p) => wifiplan::ronfile::read(p).map_err(|e| Failure::bad_input(vec![e.to_string()]))?,
        None => Costs::default(),
    };
    let problems = costs.problems();
    if problems.is_empty() {
        Ok(costs)
    } else {
        let origin = path.map_or("costs".to_string(), |p| p.display().to_string());
        Err(Failure::bad_input(problems.into_iter().map(|p| format!("{origin}: {p}")).collect()))
    }
}

fn million(eur: f64) -> String {
    format!("{:.2} M€", eur / 1e6)
}

/// Runs a batch; `Err` only when it could not run at all. Failed sites are reported and
/// make the outcome 1.
fn run_batch(
    list: &SiteList,
    input: &str,
    fingerprint: &str,
    opts: &BatchOptions,
    backend: &dyn Backend,
) -> Result<(BatchResult, u8), Failure> {
    let bar = ProgressBar::new(0).with_message("sites");
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({elapsed}, ETA {eta})")
            .unwrap_or(ProgressStyle::default_bar()),
    );
    let result = batch::run(list, input, fingerprint, opts, backend, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let result = result.map_err(|e| Failure {
        code: if matches!(e, BatchError::Options(_)) { 2 } else { 1 },
        lines: vec![e.to_string()],
    })?;
    let s = &result.summary;
    out!(
        "planned {} of {} sites: {} APs, {}; coverage of teaching rooms and offices mean {} % (min {} %)",
        s.ok,
        s.sites,
        s.aps,
        million(s.cost_eur),
        s.coverage_pct_mean.map_or("-".into(), |v| format!("{v:.2}")),
        s.coverage_pct_min.map_or("-".into(), |v| format!("{v:.2}")),
    );
    let t = &result.timings;
    out!(
        "{} sites planned, {} resumed, in {:.1} s (summed over sites: {})",
        t.sites_planned,
        t.sites_resumed,
        t.wall_s,
        t.stages_s.iter().map(|(k, v)| format!("{k} {v:.1} s")).collect::<Vec<_>>().join(", ")
    );
    out!("wrote {}", opts.out.join("sites.csv").display());
    for e in &s.errors {
        eprintln!("error: {e}");
    }
    let code = if s.failed + s.invalid > 0 {
        eprintln!("error: {} invalid and {} failed site(s) of {}", s.invalid, s.failed, s.sites);
        1
    } else {
        0
    };
    Ok((result, code))
}

fn batch(args: &BatchArgs) -> Result<u8, Failure> {
    let (list, input, fingerprint) = match &args.sites {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::bad_input(vec![format!("{}: cannot read: {e}", path.display())]))?;
            let base = path.parent().unwrap_or(std::path::Path::new("."));
            let list = SiteList::parse(&text, &path.display().to_string(), base)
                .map_err(|e| Failure::bad_input(vec![e.to_string()]))?;
            (list, path.display().to_string(), batch::text_fingerprint(&text))
        }
        None => bundled_region(),
    };
    let backend = open_backend(args.backend)?;
    let opts = BatchOptions {
        out: args.out.clone(),
        shard: args.shard,
        resume: args.resume,
        costs: read_costs(args.costs.as_ref())?,
        requirements: batch::batch_requirements(),
    };
    let (_, code) = run_batch(&list, &input, &fingerprint, &opts, backend.as_ref())?;
    if code != 0 { Err(Failure { lines: Vec::new(), code }) } else { Ok(0) }
}

fn bundled_region() -> (SiteList, String, String) {
    let text = wifiplan::region::sites::BUNDLED_REGION;
    (SiteList::bundled(), "data/lycees-normandie.csv".to_string(), batch::text_fingerprint(text))
}

fn merge(args: &MergeArgs) -> Result<(), Failure> {
    let s = wifiplan::region::merge::merge(&args.shards, &args.out).map_err(|e| Failure {
        code: if matches!(e, BatchError::Options(_)) { 2 } else { 1 },
        lines: vec![e.to_string()],
    })?;
    out!(
        "merged {} shards: {} sites, {} planned, {} APs, {}",
        args.shards.len(),
        s.sites,
        s.ok,
        s.aps,
        million(s.cost_eur)
    );
    out!("wrote {}", args.out.join("sites.csv").display());
    if s.failed + s.invalid > 0 {
        return Err(Failure { lines: vec![format!("{} invalid and {} failed site(s)", s.invalid, s.failed)], code: 1 });
    }
    Ok(())
}

/// Schedules the batch in `dir` into `out`; prints the plan. Returns the plan and the
/// outcome (1 when sites stay unscheduled).
fn run_waves(
    dir: &std::path::Path,
    out: &std::path::Path,
    config: &WavesConfig,
    costs: Option<&Costs>,
) -> Result<(Plan, u8, f64), Failure> {
    let bad = |e: WavesError| Failure {
        code: if matches!(e, WavesError::Input(_)) { 2 } else { 1 },
        lines: vec![e.to_string()],
    };
    let calendar = Calendar::bundled();
    let problems = config.problems(&calendar);
    if !problems.is_empty() {
        return Err(Failure::bad_input(problems));
    }
    let sites = waves::read_batch(dir, costs, config.aps_per_crew_day).map_err(bad)?;
    let plan = waves::plan(config, &calendar, sites).map_err(bad)?;
    let t = std::time::Instant::now();
    waves::write(out, &plan).map_err(bad)?;
    let write_s = t.elapsed().as_secs_f64();
    let r = &plan.report;
    for w in &r.waves {
        out!(
            "{:<4} {:<40} {:>4} sites {:>6} APs {:>10}",
            w.name,
            w.windows.iter().map(|w| w.name.as_str()).collect::<Vec<_>>().join(", "),
            w.sites,
            w.aps,
            million(w.cost_eur)
        );
    }
    out!(
        "scheduled {} of {} sites, {} APs, {} of {} budget; {:.0} pupil-weeks, gap {:.4} % ({}, {:.2} s)",
        r.scheduled,
        r.sites,
        r.aps,
        million(r.cost_eur),
        million(r.budget_eur),
        r.pupil_weeks,
        r.gap_pct,
        r.method,
        plan.solve_s
    );
    out!("wrote {}, waves.json, gantt.png, map.png, burndown.png", out.join("schedule.csv").display());
    for s in &r.shortfalls {
        eprintln!("warning: {s}");
    }
    for s in &r.not_planned {
        eprintln!("warning: UAI {}: {}", s.uai, s.reason);
    }
    let code = u8::from(r.scheduled < r.sites);
    Ok((plan, code, write_s))
}

fn waves_config(path: Option<&PathBuf>, budget: Option<f64>) -> Result<WavesConfig, Failure> {
    let mut config: WavesConfig = match path {
        Some(p) => wifiplan::ronfile::read(p).map_err(|e| Failure::bad_input(vec![e.to_string()]))?,
        None => WavesConfig::default(),
    };
    if let Some(b) = budget {
        if !(b.is_finite() && b >= 0.0) {
            return Err(Failure::bad_input(vec![format!("--budget {b}: must be an amount ≥ 0 in euros")]));
        }
        config.budget_eur = b;
    }
    Ok(config)
}

fn waves(args: &WavesArgs) -> Result<u8, Failure> {
    let config = waves_config(args.config.as_ref(), args.budget)?;
    let costs = args.costs.as_ref().map(|p| read_costs(Some(p))).transpose()?;
    let (_, code, _) = run_waves(&args.batch, &args.out, &config, costs.as_ref())?;
    if code != 0 { Err(Failure { lines: Vec::new(), code }) } else { Ok(0) }
}

fn rollout(args: &RolloutArgs) -> Result<(), Failure> {
    let t0 = std::time::Instant::now();
    let (list, input, fingerprint) = bundled_region();
    let opts = BatchOptions {
        out: args.out.clone(),
        shard: None,
        resume: args.resume,
        costs: Costs::default(),
        requirements: batch::batch_requirements(),
    };
    let backend = open_backend(args.backend)?;
    let (result, batch_code) = run_batch(&list, &input, &fingerprint, &opts, backend.as_ref())?;
    let t1 = std::time::Instant::now();
    let (plan, waves_code, write_s) = run_waves(&args.out, &args.out, &WavesConfig::default(), None)?;
    let stages = &result.timings.stages_s;
    out!(
        "rollout in {:.1} s: planning the sites {:.1} s (summed over sites: placement {:.1} s, simulation {:.1} s, heatmaps and reports {:.1} s), scheduling {:.2} s, charts {:.2} s",
        t0.elapsed().as_secs_f64(),
        (t1 - t0).as_secs_f64(),
        stages.get("placement").copied().unwrap_or(0.0),
        stages.get("simulation").copied().unwrap_or(0.0),
        stages.get("rendering").copied().unwrap_or(0.0),
        plan.solve_s,
        write_s
    );
    let code = batch_code.max(waves_code);
    if code != 0 { Err(Failure { lines: Vec::new(), code }) } else { Ok(()) }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => check(args),
        Command::Simulate(args) => simulate(args),
        Command::Heatmap(args) => heatmap(args),
        Command::Place(args) => place(args),
        Command::Generate(args) => generate(args),
        Command::Import(args) => import(args),
        Command::Batch(args) => batch(args).map(|_| ()),
        Command::Merge(args) => merge(args),
        Command::Waves(args) => waves(args).map(|_| ()),
        Command::Rollout(args) => rollout(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            for line in failure.lines {
                eprintln!("error: {line}");
            }
            ExitCode::from(failure.code)
        }
    }
}
