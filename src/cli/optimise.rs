//! `podsim optimise SCENARIO`: the staffing plan that meets the deadline at
//! least cost (or earliest within a budget, or the cost-vs-deadline
//! frontier), why, and — with `--verify` — how it fares in simulation.

use super::common::{self, control, progress_bar, MAX_REPS};
use super::CliError;
use crate::output::{self, plan as out};
use crate::plan::{self, Options, Outcome, PlanError};
use crate::runner::Cancelled;
use crate::scenario;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct OptimiseArgs {
    /// Scenario file (TOML) with an [optimise] section.
    pub scenario: PathBuf,
    /// Output folder (default: output/<scenario name>-optimise/, beside the run's output/<scenario name>/, so a run and a plan never overwrite each other).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into an existing folder even if podsim did not create it.
    #[arg(long)]
    pub force: bool,
    /// Also write the model in CPLEX LP format to FILE (for other solvers).
    #[arg(long, value_name = "FILE")]
    pub export_lp: Option<PathBuf>,
    /// Simulate the plan with the full model and report the chance of meeting the deadline.
    #[arg(long)]
    pub verify: bool,
    /// Replications for --verify and --target-probability (default: the scenario's `replications`).
    #[arg(long)]
    pub reps: Option<u64>,
    /// Random seed for --verify (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Do not draw the plan chart into <out>/charts/.
    #[arg(long)]
    pub no_charts: bool,
    /// Also compute the cost-vs-deadline frontier (frontier.csv).
    #[arg(long)]
    pub frontier: bool,
    /// An extra wall-clock cap per solve in seconds (default: the scenario's
    /// `time_limit_seconds`, none). The search budget is counted in LP solves
    /// (`work_limit`), so without a cap the plan is the same on any machine.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Search budget per solve in LP solves (default: the scenario's `work_limit`).
    #[arg(long, value_name = "LP_SOLVES")]
    pub work_limit: Option<usize>,
    /// Plan for this probability of meeting the deadline: solve, simulate, and
    /// raise the capacity margin until the simulation meets it (e.g. 0.85).
    #[arg(long, value_name = "P")]
    pub target_probability: Option<f64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also print the solver details (bound, gap, LP solves, fixed point).
    #[arg(long, short)]
    pub verbose: bool,
    /// No progress or chatter on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn optimise(args: OptimiseArgs) -> Result<(), CliError> {
    let loaded = scenario::load(&args.scenario)?;
    let model = &loaded.model;
    let spec = model
        .optimise
        .as_ref()
        .ok_or_else(|| CliError::Input(format!("{}: {}", loaded.path, plan::PlanError::NoSpec)))?;
    if let Some(t) = args.time_limit {
        if !t.is_finite() || t <= 0.0 || t > 86_400.0 {
            return Err(CliError::Input(format!(
                "--time-limit: expected seconds between 0 and 86400, got {t}"
            )));
        }
    }
    if let Some(p) = args.target_probability {
        if !(p.is_finite() && p > 0.0 && p < 1.0) {
            return Err(CliError::Input(format!(
                "--target-probability: expected a probability between 0 and 1 (e.g. 0.85), got {p}"
            )));
        }
    }
    if args.work_limit == Some(0) {
        return Err(CliError::Input("--work-limit: expected at least 1 LP solve".into()));
    }
    let simulate = args.verify || args.target_probability.is_some();
    let reps = args.reps.unwrap_or(model.replications as u64);
    if simulate && (reps == 0 || reps > MAX_REPS) {
        return Err(CliError::Input(format!(
            "--reps: expected between 1 and {MAX_REPS}, got {reps}"
        )));
    }
    let threads = match args.threads {
        Some(0) => return Err(CliError::Input("--threads: expected at least 1".into())),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| common::default_out_dir_of(&args.scenario, "optimise"));
    output::prepare_dir(&out_dir, args.force)?;
    if !args.quiet {
        errln!(
            "podsim {}: optimising \"{}\" ({} objective, {} periods, deadline week {}){}",
            env!("CARGO_PKG_VERSION"),
            model.name,
            spec.objective.name(),
            spec.period.name(),
            spec.deadline_hours / crate::model::HOURS_PER_WEEK,
            if args.frontier { " with the frontier" } else { "" }
        );
    }
    let opts = Options {
        frontier: args.frontier,
        time_limit_seconds: args.time_limit,
        work_limit: args.work_limit,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start worker threads: {e}")))?;
    let plan_error = |e: PlanError| match e {
        PlanError::Interrupted => CliError::Interrupted,
        e => CliError::Runtime(e.to_string()),
    };
    let seed = args.seed.unwrap_or(model.seed);
    // Simulation runs before anything is written, so Ctrl-C during it leaves
    // no plan.csv without its optimise.json.
    let (result, verification, chance) = match args.target_probability {
        Some(target) => {
            let bar = progress_bar(reps, args.quiet);
            let tick = || bar.inc(1);
            let r = pool.install(|| {
                plan::chance::chance_constrained(model, &opts, target, reps, seed, control(&tick), &super::INTERRUPTED)
            });
            bar.finish_and_clear();
            let r = r.map_err(plan_error)?;
            (r.optimised, r.verification, Some(r.chance))
        }
        None => {
            let result = pool
                .install(|| plan::optimise(model, &opts, &super::INTERRUPTED))
                .map_err(plan_error)?;
            let verification = match &result.outcome {
                Outcome::Plan(p) if args.verify => {
                    let bar = progress_bar(reps, args.quiet);
                    let tick = || bar.inc(1);
                    let v = pool.install(|| plan::verify::verify(model, spec, p, reps, seed, control(&tick)));
                    bar.finish_and_clear();
                    Some(v.map_err(|Cancelled| CliError::Interrupted)?)
                }
                _ => None,
            };
            (result, verification, None)
        }
    };
    let target = args.target_probability.unwrap_or(0.85);
    common::stop_if_interrupted()?;

    if let Some(path) = &args.export_lp {
        let title = format!(
            "podsim plan for \"{}\" (scenario {}, sha256 {})",
            model.name, loaded.path, loaded.hash
        );
        let text = plan::export::to_lp_string(&result.formulation.lp, &title);
        output::write_atomic(path, text.as_bytes())?;
        if !args.quiet {
            errln!("wrote the model in CPLEX LP format to {}", path.display());
        }
    }
    if let Some(f) = &result.frontier {
        let csv = out::frontier_csv(f);
        output::write_atomic(&out_dir.join(crate::results::FRONTIER_CSV), csv.as_bytes())?;
        if !args.no_charts {
            match crate::charts::plan::frontier_figure(&csv, &model.name) {
                Ok(fig) => {
                    crate::charts::write_figures(
                        &crate::results::charts_dir(&out_dir),
                        &[fig],
                        &[],
                        crate::charts::Formats::Both,
                    )?;
                }
                Err(skip) if !args.quiet => errln!("frontier chart skipped: {}", skip.0),
                Err(_) => {}
            }
        }
        out!("{}", out::render_frontier(f));
        outln!();
    }
    match &result.outcome {
        Outcome::Plan(p) => {
            let csv = out::plan_csv(p);
            output::write_atomic(&out_dir.join(crate::results::PLAN_CSV), csv.as_bytes())?;
            out!(
                "{}",
                out::render_plan(p, verification.as_ref(), chance.as_ref(), args.verbose)
            );
            if !args.no_charts {
                match crate::charts::plan::figure(&csv, &p.scenario, p.deadline_weeks) {
                    Ok(fig) => {
                        let dir = crate::results::charts_dir(&out_dir);
                        crate::charts::write_figures(&dir, &[fig], &[], crate::charts::Formats::Both)?;
                        if !args.quiet {
                            errln!("wrote the plan chart to {}", dir.display());
                        }
                    }
                    Err(skip) if !args.quiet => errln!("plan chart skipped: {}", skip.0),
                    Err(_) => {}
                }
            }
            write_certainty(&out_dir, chance.as_ref(), &p.scenario, target, &args)?;
            if let Some(v) = &verification {
                outln!();
                out!("{}", out::render_verification(v, target));
            }
            let j = out::json(
                Some(p),
                None,
                result.frontier.as_deref(),
                verification.as_ref(),
                chance.as_ref(),
                None,
            );
            output::write_atomic(
                &out_dir.join(crate::results::OPTIMISE_JSON),
                format!("{}\n", serde_json::to_string_pretty(&j).expect("serialises")).as_bytes(),
            )?;
            if !args.quiet {
                errln!("\nresults in {}", out_dir.display());
            }
            Ok(())
        }
        Outcome::Infeasible(d) => {
            out!("{}", out::render_diagnosis(d));
            let j = out::json(None, Some(d), result.frontier.as_deref(), None, chance.as_ref(), None);
            output::write_atomic(
                &out_dir.join(crate::results::OPTIMISE_JSON),
                format!("{}\n", serde_json::to_string_pretty(&j).expect("serialises")).as_bytes(),
            )?;
            Err(CliError::Runtime(format!(
                "no staffing plan meets every constraint of {} (the diagnosis above says what must give)",
                loaded.path
            )))
        }
        Outcome::Stopped(s) => {
            out!("{}", out::render_stopped(s));
            let j = out::json(None, None, result.frontier.as_deref(), None, chance.as_ref(), Some(s));
            output::write_atomic(
                &out_dir.join(crate::results::OPTIMISE_JSON),
                format!("{}\n", serde_json::to_string_pretty(&j).expect("serialises")).as_bytes(),
            )?;
            Err(CliError::Runtime(format!(
                "the time limit stopped the search before it found a plan for {}; nothing was proven infeasible: try a larger --time-limit",
                loaded.path
            )))
        }
    }
}

/// certainty.csv (with `--target-probability`) and the price-of-certainty
/// chart drawn from it; without the loop the chart is skipped with a reason.
fn write_certainty(
    out_dir: &std::path::Path,
    chance: Option<&plan::chance::Chance>,
    scenario: &str,
    target: f64,
    args: &OptimiseArgs,
) -> Result<(), CliError> {
    let csv = chance.map(out::certainty_csv);
    if let Some(csv) = &csv {
        output::write_atomic(&out_dir.join(crate::results::CERTAINTY_CSV), csv.as_bytes())?;
    }
    if args.no_charts {
        return Ok(());
    }
    match crate::charts::certainty::figure(csv.as_deref(), scenario, target) {
        Ok(fig) => {
            let dir = crate::results::charts_dir(out_dir);
            crate::charts::write_figures(&dir, &[fig], &[], crate::charts::Formats::Both)?;
            if !args.quiet {
                errln!("wrote the price-of-certainty chart to {}", dir.display());
            }
        }
        Err(skip) if !args.quiet => errln!("price-of-certainty chart skipped: {}", skip.0),
        Err(_) => {}
    }
    Ok(())
}
