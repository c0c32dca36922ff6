//! The commands behind the arguments: each loads its inputs, calls the library, prints
//! its summary on stdout and returns a [`Failure`] that `main` turns into the exit code.
//! Every library error converts through [`JobError`], so exit codes are decided in one
//! place: 2 for bad input, 1 for a failure of the run.

pub mod args;
mod region;
mod site;

use args::{BackendArg, Command};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use wifiplan::costs::Costs;
use wifiplan::error::JobError;
use wifiplan::region::batch::SiteProgress;
use wifiplan::requirements::Requirements;
use wifiplan::site::simulate::SimulateError;
use wifiplan::solver::{self, Backend, Progress};

/// Prints a line on stdout; a reader that went away (`| head`) is not an error.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}
pub(crate) use out;

/// A failure to report: its lines (each printed after `error: `) and the exit code.
pub struct Failure {
    /// What the user reads.
    pub lines: Vec<String>,
    /// Exit code.
    pub code: u8,
}

impl Failure {
    /// Bad input (exit 2).
    pub fn bad_input(lines: Vec<String>) -> Failure {
        Failure { lines, code: 2 }
    }

    /// A run that went wrong (exit 1), already reported line by line.
    pub fn reported() -> Failure {
        Failure { lines: Vec::new(), code: 1 }
    }

    /// A run that went wrong (exit 1).
    pub fn failed(line: String) -> Failure {
        Failure { lines: vec![line], code: 1 }
    }
}

impl<E: JobError> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure { lines: e.lines(), code: if e.is_bad_input() { 2 } else { 1 } }
    }
}

/// Runs a command.
pub fn run(command: &Command) -> Result<(), Failure> {
    match command {
        Command::Check(a) => site::check(a),
        Command::Simulate(a) => site::simulate(a),
        Command::Heatmap(a) => site::heatmap(a),
        Command::Place(a) => site::place(a),
        Command::Generate(a) => site::generate(a),
        Command::Import(a) => site::import(a),
        Command::Batch(a) => region::batch(a),
        Command::Merge(a) => region::merge(a),
        Command::Waves(a) => region::waves(a),
        Command::Rollout(a) => region::rollout(a),
    }
}

/// Runs `work` with a progress bar on stderr that its `(done, total)` calls move.
fn with_progress<T>(what: &'static str, work: impl FnOnce(Progress<'_>) -> T) -> T {
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

/// Runs a batch's `work` with its progress on stderr: on a terminal, one bar with the
/// last site finished and an ETA; elsewhere (a Slurm job's log), a line per site.
fn with_site_progress<T>(work: impl FnOnce(SiteProgress<'_>) -> T) -> T {
    if !std::io::stderr().is_terminal() {
        let started = std::time::Instant::now();
        return work(&|done, total, site| {
            eprintln!("[{done}/{total}] {site} ({:.0} s)", started.elapsed().as_secs_f64());
        });
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} sites ({elapsed}, ETA {eta}) {msg}")
            .unwrap_or(ProgressStyle::default_bar()),
    );
    let result = work(&|done, total, site| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
        bar.set_message(site.to_string());
    });
    bar.finish_and_clear();
    result
}

/// Opens the backend a command asked for; `auto` notes on stderr when it falls back.
fn open_backend(arg: BackendArg) -> Result<Box<dyn Backend>, Failure> {
    let (backend, notice) =
        solver::select_backend(arg.choice).map_err(|e| Failure::bad_input(vec![format!("--backend gpu: {e}")]))?;
    if let Some(n) = notice {
        eprintln!("notice: {n}");
    }
    Ok(backend)
}

/// A simulation's failure: problems with the APs name their file, one line each.
fn with_aps_file(e: SimulateError, aps: &Path) -> Failure {
    match e {
        SimulateError::Aps(p) => Failure::bad_input(p.iter().map(|m| format!("{}: {m}", aps.display())).collect()),
        other => other.into(),
    }
}

/// Requirements from a RON file, or the defaults.
fn read_requirements(path: Option<&Path>) -> Result<Requirements, Failure> {
    Ok(match path {
        Some(path) => {
            let mut req: Requirements = wifiplan::ronfile::read(path)?;
            // The file's AP models are named relative to the file.
            if let (Some(models), Some(dir)) = (&req.ap_models, path.parent()) {
                req.ap_models = Some(dir.join(models));
            }
            req
        }
        None => Requirements::default(),
    })
}

/// A cost model from a RON file, or the defaults; its problems name the file.
fn read_costs(path: Option<&Path>) -> Result<Costs, Failure> {
    let costs: Costs = match path {
        Some(p) => wifiplan::ronfile::read(p)?,
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
