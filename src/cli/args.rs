//! The command line's arguments: one struct per command, parsed by clap; value parsers
//! check ranges and formats, so a bad flag exits 2 before any work.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use wifiplan::band::Band;
use wifiplan::lang::Lang;
use wifiplan::requirements::Overrides;
use wifiplan::solver::{self, BackendChoice, Settings};

/// The solver backend, on every command that simulates.
#[derive(Args, Clone, Copy)]
pub struct BackendArg {
    /// Solver backend: auto (with a real GPU, jobs of at least 500,000 transmitter-cells
    /// that follow reflections on it, the others on the CPU; CPU-type adapters such as
    /// lavapipe passed over, with a notice that says why), cpu (the rayon reference) or gpu
    /// (the wgpu backend on whatever Vulkan adapter there is).
    #[arg(long = "backend", value_name = "BACKEND", default_value = "auto", value_parser = backend_parser())]
    pub choice: BackendChoice,
}

/// The building cache folder of the region commands.
#[derive(Args, Clone)]
pub struct CacheArg {
    /// Keep each building's placement in this folder and take it from there when an
    /// identical building was placed before, by this run or an earlier one (files that
    /// do not match are ignored with a warning).
    #[arg(long = "cache", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The AP model a region command places, and its radios' widths.
#[derive(Args, Clone)]
pub struct RadioPlanArg {
    /// AP model placed at every site (data/ap-models.ron: generic-wifi6-dual,
    /// generic-wifi6e-tri): its antenna patterns and radio limits; without one, an
    /// isotropic 0 dBi antenna.
    #[arg(long, value_name = "NAME")]
    pub ap_model: Option<String>,
    /// Widest 5 GHz channel the plans may give an AP [MHz] (20: every AP at 20 MHz).
    #[arg(long, value_name = "MHZ")]
    pub max_width: Option<u32>,
    /// A file of your own AP models (the format of data/ap-models.ron; patterns by
    /// built-in name or .msi path relative to the file) that --ap-model may name.
    #[arg(long, value_name = "FILE")]
    pub ap_models: Option<PathBuf>,
}

impl RadioPlanArg {
    /// The requirement values these flags set.
    pub fn overrides(&self) -> Overrides<'_> {
        Overrides {
            max_width_mhz: self.max_width,
            ap_model: self.ap_model.as_deref(),
            ap_models: self.ap_models.as_deref(),
            ..Overrides::default()
        }
    }
}

/// The language of what a command writes for people.
#[derive(Args, Clone, Copy)]
pub struct LangArg {
    /// Language of the reports, images, charts and summaries: fr or en.
    #[arg(long = "lang", value_name = "LANG", default_value = "fr", value_parser = lang_parser())]
    pub lang: Lang,
}

fn lang_parser() -> impl TypedValueParser<Value = Lang> {
    PossibleValuesParser::new(["fr", "en"]).map(|s| if s == "en" { Lang::En } else { Lang::Fr })
}

fn backend_parser() -> impl TypedValueParser<Value = BackendChoice> {
    PossibleValuesParser::new(["auto", "cpu", "gpu"]).map(|s| match s.as_str() {
        "cpu" => BackendChoice::Cpu,
        "gpu" => BackendChoice::Gpu,
        _ => BackendChoice::Auto,
    })
}

#[derive(Parser)]
#[command(name = "wifiplan", version, about = "Plans the WiFi rollout of a region's lycées")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Validate a floor plan and print its summary: buildings, floors, walls per material,
    /// rooms per kind, slab losses and bounding box.
    Check(CheckArgs),
    /// Simulate the radio maps of a plan's access points: best-server RSSI per floor, and
    /// each AP's path gain with --per-ap (NumPy .npy files indexed by radiomap.json).
    Simulate(SimulateArgs),
    /// Draw a plan's coverage: per floor and metric a PNG heatmap (RSSI, second-best RSSI,
    /// SNR, SINR, data rate, serving channel, APs heard), report.html for the site and its
    /// bill of materials, bom.csv.
    Heatmap(HeatmapArgs),
    /// Place the fewest APs that meet the coverage and capacity requirements, with a
    /// channel and power plan and cable runs: writes aps.ron, placement.json and the
    /// installer's aps.csv.
    Place(PlaceArgs),
    /// Generate a plausible lycée campus for a number of pupils and a type,
    /// deterministic for a seed (by default, the pupils and the type).
    Generate(GenerateArgs),
    /// Import a floor plan from an architect's DXF, a plan image (PNG) or a BIM model
    /// (IFC2x3/IFC4, every storey a floor), mapped by an import configuration.
    Import(ImportArgs),
    /// Plan every site of a site list (default: the bundled Normandy lycées) in parallel:
    /// plan, placement, coverage simulation, RSSI heatmaps, report.html and cost per site,
    /// then sites.csv and summary.json.
    Batch(BatchArgs),
    /// Merge the folders of a sharded batch into one equal to a single run.
    Merge(MergeArgs),
    /// Schedule a batch's sites into the installation waves under the budget: writes
    /// schedule.csv, waves.json, sites.geojson, gantt.png, map.png and burndown.png.
    Waves(WavesArgs),
    /// The main job: batch and waves over the bundled region with the defaults.
    Rollout(RolloutArgs),
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct BatchArgs {
    /// Site list (CSV: uai, name, type, commune, departement, pupils, latitude, longitude,
    /// plan); the bundled region when left out.
    pub sites: Option<PathBuf>,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Run only shard K of N (rows whose index is K−1 modulo N).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<wifiplan::region::Shard>,
    /// Keep the sites whose outputs are complete and current.
    #[arg(long)]
    pub resume: bool,
    /// Cost model (RON); the bundled defaults when left out.
    #[arg(long, value_name = "COSTS.ron")]
    pub costs: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheArg,
    #[command(flatten)]
    pub radio_plan: RadioPlanArg,
    /// Solver backend.
    #[command(flatten)]
    pub backend: BackendArg,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct MergeArgs {
    /// Shard folders written by `batch --shard`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct WavesArgs {
    /// Batch folder (with sites.csv).
    pub batch: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Wave configuration (RON); the bundled defaults when left out.
    #[arg(long, value_name = "WAVES.ron")]
    pub config: Option<PathBuf>,
    /// Recompute the sites' costs with this cost model (RON).
    #[arg(long, value_name = "COSTS.ron")]
    pub costs: Option<PathBuf>,
    /// Budget instead of the configuration's [€].
    #[arg(long, value_name = "EUR", value_parser = parse_budget)]
    pub budget: Option<f64>,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct RolloutArgs {
    /// Output folder.
    #[arg(long, default_value = "rollout")]
    pub out: PathBuf,
    /// Keep the sites whose outputs are complete and current (with another cost model
    /// only, the sites are priced again without planning).
    #[arg(long)]
    pub resume: bool,
    /// Cost model (RON); the bundled defaults when left out.
    #[arg(long, value_name = "COSTS.ron")]
    pub costs: Option<PathBuf>,
    /// Wave configuration (RON); the bundled defaults when left out.
    #[arg(long, value_name = "WAVES.ron")]
    pub waves: Option<PathBuf>,
    /// Budget instead of the wave configuration's [€].
    #[arg(long, value_name = "EUR", value_parser = parse_budget)]
    pub budget: Option<f64>,
    #[command(flatten)]
    pub cache: CacheArg,
    #[command(flatten)]
    pub radio_plan: RadioPlanArg,
    /// Solver backend.
    #[command(flatten)]
    pub backend: BackendArg,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct ImportArgs {
    /// Drawing (.dxf), image (.png) or BIM model (.ifc).
    pub file: PathBuf,
    /// Import configuration (RON).
    #[arg(long, value_name = "IMPORT.ron")]
    pub config: PathBuf,
    /// Plan to write (RON).
    #[arg(short = 'o', long = "output", value_name = "PLAN.ron")]
    pub output: PathBuf,
    /// Also draw the imported plan (walls by material, rooms by kind, closets, scale bar)
    /// into this PNG (one per floor, named after it, for a model of several floors), to
    /// check scale and walls before simulating.
    #[arg(long, value_name = "PNG")]
    pub preview: Option<PathBuf>,
    /// Scale of the preview [px/m].
    #[arg(long, value_name = "PX_PER_M", default_value_t = 20.0)]
    pub preview_scale: f64,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
#[command(args_override_self = true)]
pub struct GenerateArgs {
    /// Number of pupils.
    #[arg(long)]
    pub pupils: u32,
    /// Lycée type: LEGT, LPO, LP or EREA.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: wifiplan::plan::generate::SchoolType,
    /// Seed text, e.g. the lycée's UAI.
    #[arg(long)]
    pub seed: Option<String>,
    /// Plan to write (RON).
    #[arg(short = 'o', long = "output", value_name = "PLAN.ron")]
    pub output: PathBuf,
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
pub struct SimulateArgs {
    /// Floor plan (RON).
    pub plan: PathBuf,
    /// Access points (aps.ron).
    #[arg(long)]
    pub aps: PathBuf,
    /// Output folder (created; files of the same names are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Band whose radios are simulated: 2.4, 5 or 6 (default: the band of --frequency,
    /// else 5).
    #[arg(long, value_parser = parse_band)]
    pub band: Option<Band>,
    /// Simulate every radio at this frequency instead of its channel's [GHz].
    #[arg(long, value_name = "GHZ")]
    pub frequency: Option<f64>,
    /// Cell size [m].
    #[arg(long, default_value_t = 0.25)]
    pub cell: f64,
    /// Receiver height above each floor [m].
    #[arg(long, default_value_t = 1.0)]
    pub rx_height: f64,
    /// Margin around each building [m].
    #[arg(long, default_value_t = 2.0)]
    pub margin: f64,
    /// Same bounds for every plane: XMIN,YMIN,XMAX,YMAX in the site frame [m].
    #[arg(long, value_parser = parse_bounds, allow_hyphen_values = true)]
    pub bounds: Option<[f64; 4]>,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Also write each AP's path gain grid.
    #[arg(long)]
    pub per_ap: bool,
    /// Solver backend.
    #[command(flatten)]
    pub backend: BackendArg,
}

/// The propagation engine's accuracy, on every command that simulates.
#[derive(Args, Clone, Copy)]
pub struct EngineArgs {
    /// Dynamic range of the energy criterion [dB]: reflections are followed while a strict
    /// bound of what they can still add is within this of what their cells receive.
    #[arg(long, value_name = "DB", default_value_t = solver::DEFAULT_DYNAMIC_RANGE_DB, value_parser = parse_dynamic_range)]
    pub dynamic_range: f64,
    /// Hard cap on reflections per path (walls and slabs together); the energy criterion
    /// ends paths before it on ordinary plans.
    #[arg(long, value_name = "N", default_value_t = solver::DEFAULT_MAX_REFLECTIONS,
          value_parser = clap::value_parser!(u32).range(*solver::MAX_REFLECTIONS_RANGE.start() as i64..=*solver::MAX_REFLECTIONS_RANGE.end() as i64))]
    pub max_reflections: u32,
}

impl EngineArgs {
    pub fn settings(self) -> Settings {
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
pub struct HeatmapArgs {
    /// Floor plan (RON).
    pub plan: PathBuf,
    /// Access points (aps.ron).
    #[arg(long)]
    pub aps: PathBuf,
    /// Output folder (created; images, heatmaps.json and report.html are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Metrics to draw, comma-separated: rssi, secondary, snr, sinr, rate, channel,
    /// ap-count, or all.
    #[arg(long, default_value = "rssi", value_delimiter = ',')]
    pub metric: Vec<String>,
    /// Image scale [px/m].
    #[arg(long, default_value_t = 20.0, value_name = "PX_PER_M")]
    pub scale: f64,
    /// Cell size [m].
    #[arg(long, default_value_t = 0.5)]
    pub cell: f64,
    #[command(flatten)]
    pub engine: EngineArgs,
    /// Band whose radios are drawn: 2.4, 5 or 6.
    #[arg(long, default_value = "5", value_parser = parse_band)]
    pub band: Band,
    /// Requirements (RON) whose thresholds set the colour bands and the coverage tables.
    #[arg(long, value_name = "REQ.ron")]
    pub requirements: Option<PathBuf>,
    /// Cost model (RON) of the report's bill of materials.
    #[arg(long, value_name = "COSTS.ron")]
    pub costs: Option<PathBuf>,
    /// Solver backend.
    #[command(flatten)]
    pub backend: BackendArg,
    #[command(flatten)]
    pub lang: LangArg,
}

#[derive(Args)]
#[command(allow_negative_numbers = true, args_override_self = true)]
pub struct PlaceArgs {
    /// Floor plan (RON).
    pub plan: PathBuf,
    /// Output folder (created; aps.ron and placement.json are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Requirements file (RON, `Requirements(...)`); the flags below override it.
    #[arg(long, value_name = "REQ.ron")]
    pub requirements: Option<PathBuf>,
    /// Best-server RSSI in teaching rooms and offices [dBm].
    #[arg(long, value_name = "DBM")]
    pub target_rssi: Option<f64>,
    /// Second-strongest AP's RSSI there [dBm].
    #[arg(long, value_name = "DBM")]
    pub secondary_rssi: Option<f64>,
    /// Best-server SNR there [dB].
    #[arg(long, value_name = "DB")]
    pub min_snr: Option<f64>,
    /// RSSI in corridors, halls, canteen, gym, dormitories [dBm].
    #[arg(long, value_name = "DBM")]
    pub corridor_rssi: Option<f64>,
    /// Size rooms by ⌈occupants / N⌉ APs instead of by airtime.
    #[arg(long, value_name = "N")]
    pub clients_per_radio: Option<u32>,
    /// Band planned: 2.4, 5 or 6.
    #[arg(long, value_parser = parse_band)]
    pub band: Option<Band>,
    /// Allow the DFS channels (52–64, 100–140 without 120–128), the default.
    #[arg(long)]
    pub dfs: bool,
    /// Plan 5 GHz on the four channels without DFS (36–48) only.
    #[arg(long)]
    pub no_dfs: bool,
    /// 20 MHz channels the plan must not use, e.g. 116,120,124,128 near a weather radar.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub exclude_channels: Vec<u32>,
    /// Channel width of the planned band [MHz]: 20, 40, 80 or 160.
    #[arg(long, value_name = "MHZ")]
    pub width: Option<u32>,
    /// Widest channel the plan may give an AP [MHz]: APs whose neighbours leave room are
    /// widened from --width when that raises the shared throughput and coverage holds.
    #[arg(long, value_name = "MHZ")]
    pub max_width: Option<u32>,
    /// AP model placed (data/ap-models.ron: generic-wifi6-dual, …): its antenna patterns
    /// and radio limits; without one, an isotropic 0 dBi antenna.
    #[arg(long, value_name = "NAME")]
    pub ap_model: Option<String>,
    /// A file of your own AP models (the format of data/ap-models.ron; patterns by
    /// built-in name or .msi path relative to the file) that --ap-model may name.
    #[arg(long, value_name = "FILE")]
    pub ap_models: Option<PathBuf>,
    /// Exit with 1 when a requirement is not met.
    #[arg(long)]
    pub strict: bool,
    /// Solver backend.
    #[command(flatten)]
    pub backend: BackendArg,
}

fn parse_budget(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(b) if b.is_finite() && b >= 0.0 => Ok(b),
        _ => Err("must be an amount ≥ 0 in euros".into()),
    }
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
pub struct CheckArgs {
    /// Floor plan (RON).
    pub plan: PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Frequency of the slab-loss table [GHz]; every material must be valid there
    /// (default: 5.5, where materials that are not valid are only noted).
    #[arg(long, value_name = "GHZ")]
    pub frequency: Option<f64>,
}

impl PlaceArgs {
    /// The requirement values these flags set.
    pub fn overrides(&self) -> Overrides<'_> {
        Overrides {
            primary_rssi_dbm: self.target_rssi,
            secondary_rssi_dbm: self.secondary_rssi,
            min_snr_db: self.min_snr,
            circulation_rssi_dbm: self.corridor_rssi,
            clients_per_radio: self.clients_per_radio,
            band: self.band,
            dfs: if self.no_dfs { Some(false) } else { self.dfs.then_some(true) },
            excluded_channels: (!self.exclude_channels.is_empty()).then_some(&self.exclude_channels[..]),
            width_mhz: self.width,
            max_width_mhz: self.max_width,
            ap_model: self.ap_model.as_deref(),
            ap_models: self.ap_models.as_deref(),
        }
    }
}
