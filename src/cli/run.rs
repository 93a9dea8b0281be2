//! `podsim run SCENARIO`: simulate every strategy, compare, write results.

use super::chart::{write_charts, ChartFormat};
use super::CliError;
use crate::output::{self, table, RunInfo};
use crate::runner::{self, RepRange};
use crate::{analysis, scenario};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Replications per strategy (default: the scenario's `replications`).
    #[arg(long)]
    pub reps: Option<u64>,
    /// Random seed (default: the scenario's `seed`). Printed and recorded.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Output folder (default: output/<scenario file name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into an existing folder even if podsim did not create it.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Standard output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No progress bar or chatter; results only.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not write charts into <out>/charts/.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file formats.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Also write report.html and report.md (with charts, even with --no-charts).
    #[arg(long)]
    pub report: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Upper bound on replications from the command line, as for scenarios.
const MAX_REPS: u64 = crate::scenario::validate::limits::MAX_REPLICATIONS as u64;

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let loaded = scenario::load(&args.scenario)?;
    let model = &loaded.model;
    let reps = args.reps.unwrap_or(model.replications as u64);
    if reps == 0 || reps > MAX_REPS {
        return Err(CliError::Input(format!("--reps: expected between 1 and {MAX_REPS}, got {reps}")));
    }
    let seed = args.seed.unwrap_or(model.seed);
    let out_dir = args.out.clone().unwrap_or_else(|| default_out_dir(&args.scenario));
    output::prepare_dir(&out_dir, args.force)?;
    let threads = match args.threads {
        Some(0) => return Err(CliError::Input("--threads: expected at least 1".into())),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start worker threads: {e}")))?;

    let chatty = !args.quiet && args.format == Format::Text;
    if chatty {
        eprintln!(
            "podsim {}: \"{}\" — {} strateg{}, {reps} replications, seed {seed}, {threads} thread(s)",
            env!("CARGO_PKG_VERSION"),
            model.name,
            model.strategies.len(),
            if model.strategies.len() == 1 { "y" } else { "ies" }
        );
    }
    let total = reps * model.strategies.len() as u64;
    let bar = progress_bar(total, args.quiet);
    let started = Instant::now();
    let results = pool.install(|| runner::run(model, seed, RepRange { first: 0, count: reps }, &|| bar.inc(1)));
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    if let Some((s, r, v)) = results
        .reps
        .iter()
        .enumerate()
        .flat_map(|(s, rs)| rs.iter().enumerate().map(move |(i, r)| (s, i, r)))
        .find_map(|(s, i, r)| r.invariant_violation.as_ref().map(|v| (s, i, v.clone())))
    {
        return Err(CliError::Runtime(format!(
            "internal error: conservation invariant broken in strategy \"{}\", replication {r}: {v}",
            model.strategies[s].name
        )));
    }

    let an = analysis::analyse(&results);
    let info = RunInfo {
        podsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: model.name.clone(),
        scenario_path: loaded.path.clone(),
        scenario_sha256: loaded.hash.clone(),
        seed,
        replications: reps,
        first_replication: 0,
        strategies: model.strategies.iter().map(|s| s.name.clone()).collect(),
        threads,
        wall_time_s: wall,
        deadline_weeks: model.deadline_hours.map(|h| h / crate::model::HOURS_PER_WEEK),
        horizon_weeks: Some(model.horizon_weeks()),
    };
    output::write_run(&out_dir, model, &results, &an, &info)?;
    // Charts and reports read the files just written, exactly as `podsim
    // chart` and `podsim report` do later: one path, no second source of truth.
    let mut written = Vec::new();
    if args.report || !args.no_charts {
        let data = crate::charts::RunData::load(&out_dir)?;
        if args.report {
            written = super::report::write_report(&data, &out_dir, args.chart_format)?;
        } else {
            written.push(write_charts(&data, &out_dir, args.chart_format.into())?.describe());
        }
    }
    match args.format {
        Format::Text => {
            print!("{}", table::render(model, &results, &an));
            if chatty {
                for line in &written {
                    eprintln!("{line}");
                }
                eprintln!(
                    "\n{} replications in {wall:.1} s ({:.0} replications/s); seed {seed}; results in {}",
                    total,
                    total as f64 / wall.max(1e-9),
                    out_dir.display()
                );
            }
        }
        Format::Json => {
            let v = table::render_json(model, &results, &an, &info);
            println!("{}", serde_json::to_string_pretty(&v).expect("report serialises"));
        }
    }
    Ok(())
}

/// output/<scenario file stem>/
pub fn default_out_dir(scenario: &std::path::Path) -> PathBuf {
    let stem = scenario.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "run".into());
    PathBuf::from("output").join(stem)
}

/// A progress bar on a terminal; hidden when stderr is not one or with --quiet.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} replications  {per_sec}  ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}
