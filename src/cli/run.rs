//! `podsim run SCENARIO`: simulate every strategy, compare, write results.
//! Also runs to a precision target (`--precision`) and runs one block of
//! replications for a cluster (`--shard i/n`, combined by `podsim merge`).

use super::CliError;
use crate::aggregate::Aggregate;
use crate::model::{Model, HOURS_PER_WEEK};
use crate::output::{self, table, PrecisionInfo, RunInfo, ShardInfo};
use crate::runner::{self, RepRange};
use crate::sim::Layout;
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
    /// Run replications in batches until every headline metric's 95 % CI
    /// half-width is within this fraction of its mean (e.g. 0.02).
    #[arg(long, conflicts_with_all = ["reps", "shard"])]
    pub precision: Option<f64>,
    /// With --precision: stop here even if the target is not reached.
    #[arg(long, default_value_t = 100_000, requires = "precision")]
    pub max_reps: u64,
    /// Run only block i of n of the replications (1-based, e.g. 2/8), for
    /// clusters; combine the folders with `podsim merge`.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Output folder (default: output/<scenario file name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into an existing folder even if podsim did not create it.
    #[arg(long)]
    pub force: bool,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Standard output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No progress bar or chatter; results only.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("expected i/n such as 2/8, got {s:?}"))?;
    let i: u64 = i
        .trim()
        .parse()
        .map_err(|_| format!("expected a shard number, got {i:?}"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("expected a shard count, got {n:?}"))?;
    if n == 0 || i == 0 || i > n {
        return Err(format!("expected 1 <= i <= n, got {i}/{n}"));
    }
    Ok((i, n))
}

/// The replications of shard i of n out of `total`: contiguous, balanced blocks.
pub fn shard_range(i: u64, n: u64, total: u64) -> RepRange {
    let first = (i - 1) * total / n;
    let end = i * total / n;
    RepRange {
        first,
        count: end - first,
    }
}

/// Upper bound on replications from the command line, as for scenarios.
const MAX_REPS: u64 = crate::scenario::validate::limits::MAX_REPLICATIONS as u64;

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let loaded = scenario::load(&args.scenario)?;
    let model = &loaded.model;
    let reps = args.reps.unwrap_or(model.replications as u64);
    if reps == 0 || reps > MAX_REPS {
        return Err(CliError::Input(format!(
            "--reps: expected between 1 and {MAX_REPS}, got {reps}"
        )));
    }
    if let Some(p) = args.precision {
        if !(p > 0.0 && p < 1.0) {
            return Err(CliError::Input(format!(
                "--precision: expected a fraction between 0 and 1 (e.g. 0.02), got {p}"
            )));
        }
        if args.max_reps < 2 || args.max_reps > MAX_REPS {
            return Err(CliError::Input(format!(
                "--max-reps: expected between 2 and {MAX_REPS}, got {}",
                args.max_reps
            )));
        }
    }
    let range = match args.shard {
        Some((i, n)) => {
            if n > reps {
                return Err(CliError::Input(format!(
                    "--shard {i}/{n}: more shards than the {reps} replications"
                )));
            }
            shard_range(i, n, reps)
        }
        None => RepRange { first: 0, count: reps },
    };
    let seed = args.seed.unwrap_or(model.seed);
    let out_dir = args.out.clone().unwrap_or_else(|| default_out_dir(&args.scenario));
    output::prepare_dir(&out_dir, args.force)?;
    let pool = thread_pool(args.threads)?;
    let threads = pool.current_num_threads();

    let chatty = !args.quiet && args.format == Format::Text;
    if chatty {
        let what = match (args.precision, args.shard) {
            (Some(p), _) => format!(
                "replications until 95 % CIs are within {p} of the means (at most {})",
                args.max_reps
            ),
            (_, Some((i, n))) => format!(
                "shard {i}/{n}: replications {}..{} of {reps}",
                range.first,
                range.first + range.count - 1
            ),
            _ => format!("{reps} replications"),
        };
        eprintln!(
            "podsim {}: \"{}\" — {} strateg{}, {what}, seed {seed}, {threads} thread(s)",
            env!("CARGO_PKG_VERSION"),
            model.name,
            model.strategies.len(),
            if model.strategies.len() == 1 { "y" } else { "ies" }
        );
    }
    let started = Instant::now();
    let mut agg = Aggregate::new(
        Layout::new(model),
        model.strategies.iter().map(|s| s.name.clone()).collect(),
        range.first,
    );
    let precision = match args.precision {
        None => {
            let bar = progress_bar(
                range.count * model.strategies.len() as u64,
                args.quiet || args.format == Format::Json,
            );
            let complete = pool.install(|| {
                runner::run_into_cancellable(model, seed, range, &|| bar.inc(1), &mut agg, &super::INTERRUPTED)
            });
            bar.finish_and_clear();
            if !complete {
                return Err(CliError::Interrupted);
            }
            None
        }
        Some(p) => {
            let bar = progress_bar(
                args.max_reps * model.strategies.len() as u64,
                args.quiet || args.format == Format::Json,
            );
            let reached = pool.install(|| run_to_precision(model, seed, p, args.max_reps, &bar, &mut agg));
            bar.finish_and_clear();
            let reached = reached.ok_or(CliError::Interrupted)?;
            if chatty || !reached {
                if reached {
                    eprintln!("precision {p} reached after {} replications per strategy", agg.count);
                } else {
                    eprintln!(
                        "warning: precision {p} NOT reached; stopped at --max-reps {} replications per strategy",
                        agg.count
                    );
                }
            }
            Some(PrecisionInfo {
                target: p,
                reached,
                max_replications: args.max_reps,
            })
        }
    };
    let wall = started.elapsed().as_secs_f64();
    if let Some((s, r, v)) = &agg.violation {
        return Err(CliError::Runtime(format!(
            "internal error: conservation invariant broken in strategy \"{}\", replication {r}: {v}",
            model.strategies[*s].name
        )));
    }

    let an = analysis::analyse(&agg);
    let info = RunInfo {
        podsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: model.name.clone(),
        scenario_path: loaded.path.clone(),
        scenario_sha256: loaded.hash.clone(),
        seed,
        replications: agg.count,
        first_replication: range.first,
        strategies: agg.strategies.clone(),
        threads,
        wall_time_s: wall,
        horizon_weeks: model.horizon_weeks(),
        deadline_weeks: model.deadline_hours.map(|d| d / HOURS_PER_WEEK),
        precision,
        shard: args.shard.map(|(index, of)| ShardInfo {
            index,
            of,
            total_replications: reps,
        }),
    };
    output::write_run(&out_dir, &agg, &an, &info)?;
    report(model, &agg, &an, &info, args.format, args.shard.is_some())?;
    if chatty && args.shard.is_some() {
        eprintln!("shard written; combine all shards with `podsim merge DIR...`");
    }
    if chatty {
        let total = agg.count * model.strategies.len() as u64;
        eprintln!(
            "\n{total} replications in {wall:.1} s ({:.0} replications/s); seed {seed}; results in {}",
            total as f64 / wall.max(1e-9),
            out_dir.display()
        );
    }
    Ok(())
}

/// Prints the comparison (text or JSON) for a finished run.
pub fn report(
    model: &Model,
    agg: &Aggregate,
    an: &analysis::Analysis,
    info: &RunInfo,
    format: Format,
    shard: bool,
) -> Result<(), CliError> {
    match format {
        // A shard is a part: its comparison would mislead; the merge prints it.
        Format::Text if shard => {}
        Format::Text => print!("{}", table::render(model, agg, an)),
        Format::Json => {
            let v = table::render_json(model, agg, an, info);
            println!("{}", serde_json::to_string_pretty(&v).expect("report serialises"));
        }
    }
    Ok(())
}

/// Runs batches of replications until `analysis::precise_enough` or `max`.
/// Batch boundaries depend only on the count so far, so the same seed always
/// stops at the same replication, whatever the thread count.
/// `None` if interrupted.
fn run_to_precision(
    model: &Model,
    seed: u64,
    p: f64,
    max: u64,
    bar: &ProgressBar,
    agg: &mut Aggregate,
) -> Option<bool> {
    loop {
        let done = agg.count;
        let batch = (done / 4).max(20).min(max - done);
        let range = RepRange {
            first: done,
            count: batch,
        };
        if !runner::run_into_cancellable(model, seed, range, &|| bar.inc(1), agg, &super::INTERRUPTED) {
            return None;
        }
        if analysis::precise_enough(agg, p) {
            return Some(true);
        }
        if agg.count >= max {
            return Some(false);
        }
    }
}

pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    // Without --threads, rayon's default applies (RAYON_NUM_THREADS, else all cores).
    let requested = match threads {
        Some(0) => return Err(CliError::Input("--threads: expected at least 1".into())),
        Some(t) => t,
        None => 0,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(requested)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start worker threads: {e}")))
}

/// output/<scenario file stem>/
pub fn default_out_dir(scenario: &std::path::Path) -> PathBuf {
    let stem = scenario
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_replications() {
        for total in [1, 7, 100, 1001] {
            for n in 1..=7.min(total) {
                let mut next = 0;
                for i in 1..=n {
                    let r = shard_range(i, n, total);
                    assert_eq!(r.first, next);
                    next += r.count;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_syntax() {
        assert_eq!(parse_shard("2/8"), Ok((2, 8)));
        assert!(parse_shard("0/8").is_err());
        assert!(parse_shard("9/8").is_err());
        assert!(parse_shard("2-8").is_err());
    }
}
