//! The `wifiplan` command line: parses arguments, calls the library, prints results on
//! stdout and errors on stderr, and maps outcomes to exit codes (0 ok, 1 failure, 2 bad
//! usage or bad input).

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use wifiplan::band::Band;
use wifiplan::placement::{self, Requirements};
use wifiplan::plan::{self, Summary};
use wifiplan::radio::AccessPoints;
use wifiplan::radiomap::GridSpec;
use wifiplan::simulate::{self, SimulateOptions};
use wifiplan::solver::{CpuBackend, Settings};

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
    /// Place the fewest APs that meet the coverage and capacity requirements, with a
    /// channel and power plan and cable runs: writes aps.ron and placement.json.
    Place(PlaceArgs),
    /// Generate a plausible lycée campus for a number of pupils and a type,
    /// deterministic for a seed (by default, the pupils and the type).
    Generate(GenerateArgs),
    /// Import a floor plan from an architect's DXF or a plan image (PNG), mapped by an
    /// import configuration.
    Import(ImportArgs),
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
    /// The best available (the CPU until the GPU backend lands).
    Auto,
    /// The rayon CPU reference.
    Cpu,
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
    /// Band whose radios are simulated: 2.4, 5 or 6.
    #[arg(long, default_value = "5", value_parser = parse_band)]
    band: Band,
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
    /// Most reflections per path (walls and slabs together).
    #[arg(long, default_value_t = 3)]
    max_reflections: u32,
    /// Also write each AP's path gain grid.
    #[arg(long)]
    per_ap: bool,
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

fn simulate(args: &SimulateArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let aps = AccessPoints::load(&args.aps).map_err(|e| Failure::bad_input(e.lines()))?;
    let options = SimulateOptions {
        band: args.band,
        frequency_ghz: args.frequency,
        grid: GridSpec { cell: args.cell, rx_height: args.rx_height, margin: args.margin, bounds: args.bounds },
        settings: Settings { max_reflections: args.max_reflections, ..Settings::default() },
        per_ap: args.per_ap,
    };
    let backend = match args.backend {
        BackendChoice::Auto | BackendChoice::Cpu => CpuBackend,
    };
    let bar = ProgressBar::new(aps.0.len() as u64).with_message("access points");
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({elapsed})").unwrap_or(ProgressStyle::default_bar()),
    );
    let result = simulate::simulate(&site, &aps, &options, &backend, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let sim = result.map_err(|e| {
        let code = if e.is_bad_input() { 2 } else { 1 };
        let lines = match &e {
            simulate::SimulateError::Aps(p) => p.iter().map(|m| format!("{}: {m}", args.aps.display())).collect(),
            other => vec![other.to_string()],
        };
        Failure { lines, code }
    })?;
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

fn place(args: &PlaceArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let mut req: Requirements = match &args.requirements {
        Some(path) => wifiplan::ronfile::read(path).map_err(|e| Failure::bad_input(vec![e.to_string()]))?,
        None => Requirements::default(),
    };
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
    let backend = match args.backend {
        BackendChoice::Auto | BackendChoice::Cpu => CpuBackend,
    };
    let bar = ProgressBar::new(0).with_message("candidate positions");
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({elapsed})").unwrap_or(ProgressStyle::default_bar()),
    );
    let result = placement::place(&site, &req, &backend, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => check(args),
        Command::Simulate(args) => simulate(args),
        Command::Place(args) => place(args),
        Command::Generate(args) => generate(args),
        Command::Import(args) => import(args),
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
