//! `podsim run SCENARIO`: simulate every strategy, compare, write results.
//! Also runs to a precision target (`--precision`) and runs one block of
//! replications for a cluster (`--shard i/n`, combined by `podsim merge`).

use super::common::{
    self, control, default_out_dir, print_comparison, progress_bar, shard_range, thread_pool, write_charts,
    ChartFormat, Format, MAX_REPS,
};
use super::CliError;
use crate::aggregate::Aggregate;
use crate::model::{Model, HOURS_PER_WEEK};
use crate::output::{self, PrecisionInfo, RunInfo, ShardInfo};
use crate::runner::{self, Cancelled, RepRange};
use crate::sim::Layout;
use crate::uncertainty::{self, worlds};
use crate::{analysis, scenario};
use clap::Args;
use indicatif::ProgressBar;
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
    #[arg(long, value_parser = common::parse_shard)]
    pub shard: Option<(u64, u64)>,
    /// Output folder (default: output/<scenario name>/: the file's name, or its folder's for a scenario.toml).
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
    /// Do not write charts into <out>/charts/.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file formats.
    #[arg(long, value_enum, default_value_t = ChartFormat::Both)]
    pub chart_format: ChartFormat,
    /// Also write report.html and report.md (with charts, even with --no-charts).
    #[arg(long, conflicts_with = "shard")]
    pub report: bool,
}

pub fn run(args: RunArgs) -> Result<(), CliError> {
    let loaded = scenario::load(&args.scenario)?;
    // [uncertainty] and [decision] (docs/UNCERTAINTY.md): checked at load
    // time; degenerate ranges are written in as constants.
    let (base, spec) = uncertainty::load(&loaded)?;
    let model = &base.model;
    let reps = args.reps.unwrap_or(model.replications as u64);
    if reps == 0 || reps > MAX_REPS {
        return Err(CliError::Input(format!(
            "--reps: expected between 1 and {MAX_REPS}, got {reps}"
        )));
    }
    if spec.has_worlds() && args.precision.is_some() {
        return Err(CliError::Input(
            "--precision cannot be used with [uncertainty]: the Latin hypercube needs the number of worlds up front; use --reps".into(),
        ));
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
            _ => format!("{reps} replications per strategy"),
        };
        errln!(
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
    )
    .with_inputs(spec.paths());
    let precision = match args.precision {
        None if spec.has_worlds() => {
            let bar = progress_bar(
                range.count * model.strategies.len() as u64,
                args.quiet || args.format == Format::Json,
            );
            let tick = || bar.inc(1);
            let done = pool.install(|| worlds::run_into(&base, &spec, seed, reps, range, control(&tick), &mut agg));
            bar.finish_and_clear();
            match done {
                Ok(()) => {}
                Err(worlds::Stopped::Cancelled) => return Err(CliError::Interrupted),
                Err(worlds::Stopped::Invalid(e)) => return Err((*e).into()),
            }
            None
        }
        None => {
            let bar = progress_bar(
                range.count * model.strategies.len() as u64,
                args.quiet || args.format == Format::Json,
            );
            let tick = || bar.inc(1);
            let done = pool.install(|| runner::run_into(model, seed, range, control(&tick), &mut agg));
            bar.finish_and_clear();
            done.map_err(|Cancelled| CliError::Interrupted)?;
            None
        }
        Some(p) => {
            let bar = progress_bar(
                args.max_reps * model.strategies.len() as u64,
                args.quiet || args.format == Format::Json,
            );
            let reached = pool.install(|| run_to_precision(model, seed, p, args.max_reps, &bar, &mut agg));
            bar.finish_and_clear();
            let reached = reached.map_err(|Cancelled| CliError::Interrupted)?;
            if chatty || !reached {
                if reached {
                    errln!("precision {p} reached after {} replications per strategy", agg.count);
                } else {
                    errln!(
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
        timing: output::Timing {
            threads,
            wall_time_s: wall,
        },
        horizon_weeks: model.horizon_weeks(),
        deadline_weeks: model.deadline_hours.map(|d| d / HOURS_PER_WEEK),
        precision,
        shard: args.shard.map(|(index, of)| ShardInfo {
            index,
            of,
            total_replications: reps,
        }),
        uncertainty: (spec.has_worlds() || spec.decision.is_some()).then(|| spec.record(model)),
    };
    common::stop_if_interrupted()?;
    output::write_run(&out_dir, &agg, &an, &info)?;
    print_comparison(model, &agg, &an, &info, args.format, args.shard.is_some())?;
    // Results over worlds: a shard is a part; the merge writes them. A
    // folder never keeps those of an earlier run.
    if args.shard.is_some() || !spec.has_worlds() {
        output::uncertainty::remove(&out_dir)?;
    }
    if let (Some(record), None, true) = (&info.uncertainty, &args.shard, spec.has_worlds()) {
        common::stop_if_interrupted()?;
        let mut results = pool.install(|| uncertainty::analyse::analyse(&agg, &record.basis));
        let hide = args.quiet || args.format == Format::Json;
        common::refine_thresholds(&pool, &base, &spec, &mut results, seed, reps, hide)?;
        output::uncertainty::write(&out_dir, &results, record)?;
        if args.format == Format::Text {
            out!("{}", output::uncertainty::text(&results, record, &agg.strategies[0]));
        }
    }
    // Charts and reports read the files just written, exactly as `podsim
    // chart` and `podsim report` do later: one path, no second source of
    // truth. After the table, so a chart failure never hides the results.
    // A shard is a part of a run: no charts (the merged folder has the whole).
    let mut written = Vec::new();
    if args.shard.is_none() && (args.report || !args.no_charts) {
        let data = crate::charts::RunData::load(&out_dir)?;
        if args.report {
            written = common::write_report(&data, &out_dir, args.chart_format)?;
        } else {
            written.push(write_charts(&data, &out_dir, args.chart_format.into())?.describe());
        }
    }
    if chatty {
        for line in &written {
            errln!("{line}");
        }
    }
    if chatty && args.shard.is_some() {
        errln!("shard written; combine all shards with `podsim merge DIR...`");
    }
    if chatty {
        // Per strategy, as in the header and the table; the product is the
        // number of simulations the speed is measured on.
        let per = model.strategies.len() as u64;
        let total = agg.count * per;
        errln!(
            "\n{} replications x {per} strateg{} = {total} simulations in {wall:.1} s ({:.0}/s); seed {seed}; results in {}",
            agg.count,
            if per == 1 { "y" } else { "ies" },
            total as f64 / wall.max(1e-9),
            out_dir.display()
        );
        if per > 1 && args.shard.is_none() {
            // The table gives totals; the mechanisms and inputs behind each
            // difference are one command away, in the same folder.
            errln!(
                "which mechanisms and inputs produce these differences: `podsim explain {} --seed {seed} --out {}`",
                loaded.path,
                out_dir.display()
            );
        }
    }
    Ok(())
}

/// Runs batches of replications until `analysis::precise_enough` or `max`.
/// Batch boundaries depend only on the count so far, so the same seed always
/// stops at the same replication, whatever the thread count.
/// `Err` if interrupted.
fn run_to_precision(
    model: &Model,
    seed: u64,
    p: f64,
    max: u64,
    bar: &ProgressBar,
    agg: &mut Aggregate,
) -> Result<bool, Cancelled> {
    loop {
        let done = agg.count;
        let batch = (done / 4).max(20).min(max - done);
        let range = RepRange {
            first: done,
            count: batch,
        };
        runner::run_into(model, seed, range, control(&|| bar.inc(1)), agg)?;
        if analysis::precise_enough(agg, p) {
            return Ok(true);
        }
        if agg.count >= max {
            return Ok(false);
        }
    }
}
