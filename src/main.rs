//! The `wifiplan` command line: parses arguments, calls the library, prints results on
//! stdout and errors on stderr, and maps outcomes to exit codes (0 ok, 1 failure, 2 bad
//! usage or bad input).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use wifiplan::band::Band;
use wifiplan::plan::{self, Summary};

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
}

#[derive(Args)]
#[command(allow_negative_numbers = true)]
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
        println!("{text}");
    } else {
        println!("{summary}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => check(args),
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
