//! `podsim sensitivity SCENARIO --metric M`: set every numeric parameter of
//! the file and every input of `[uncertainty]` (or the `--params` given) low
//! and high in turn — the declared range where there is one, else ±delta —
//! and rank them by their effect on the metric, with paired CIs (the
//! tornado's data).

use super::common::{self, setup, CommonArgs, Format};
use super::CliError;
use crate::output::sweep::{self as report, ParamInfo};
use crate::output::{self, write_atomic};
use crate::sweep::sensitivity::{self, Target};
use crate::sweep::{self, path};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
#[command(
    mut_arg("out", |a| a.help("Output folder (default: output/<scenario name>-sensitivity/)")),
    mut_arg("metric", |a| a.help(common::metric_help("The metric whose response is ranked.")))
)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The metric whose response is ranked, e.g. cost_total or finish_week.
    #[arg(long)]
    pub metric: String,
    /// Relative change: each parameter without a range in [uncertainty] is set
    /// to x(1 - delta) and x(1 + delta), clamped to its valid range; whole
    /// numbers rounded and moved by at least 1. Declared ranges are used as
    /// given (their 90 % interval).
    #[arg(long, default_value_t = 0.2)]
    pub delta: f64,
    /// Parameters to vary, as field paths, comma-separated (default: every
    /// number written in the file except seed, replications, horizon_weeks
    /// and warmup_weeks, and every input of [uncertainty]).
    #[arg(long, value_name = "P1,P2,...")]
    pub params: Vec<String>,
    /// Strategies to analyse, comma-separated (default: all).
    #[arg(long, value_name = "A,B,...", conflicts_with = "versus")]
    pub strategies: Option<String>,
    /// Rank parameters by their effect on the difference B - A of two
    /// strategies instead (which assumptions change the comparison).
    #[arg(long, value_name = "A,B")]
    pub versus: Option<String>,
    /// Also vary every default the file leaves out (what `podsim show` fills
    /// in: rates, lead times, attrition, review shares, …), so assumptions
    /// the file never wrote are ranked beside the ones it did.
    #[arg(long, conflicts_with = "params")]
    pub with_defaults: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn sensitivity(args: SensitivityArgs) -> Result<(), CliError> {
    let mut s = setup(&args.scenario, &args.common, "sensitivity")?;
    // Ranges declared in `[uncertainty]` replace ±delta for their fields;
    // degenerate ones are constants, written in as a run writes them.
    let spec = crate::uncertainty::spec(&s.base)?;
    let declared: Vec<sensitivity::Declared> = spec
        .inputs
        .iter()
        .map(|i| sensitivity::Declared {
            param: i.param.clone(),
            low: i.shape.low(),
            high: i.shape.high(),
        })
        .collect();
    if !spec.constants.is_empty() {
        let settings: Vec<(&path::Param, f64)> = spec.constants.iter().map(|(p, x)| (p, *x)).collect();
        s.base = s.base.with_settings(&settings)?;
    }
    // The defaults the file leaves out, written in so they can be varied;
    // without the flag they are only counted, and the output says how many
    // were left at their value.
    let full = s.base.with_defaults_written()?;
    let defaults_left = if args.with_defaults {
        s.base = full;
        0
    } else if !args.params.is_empty() {
        // The user chose what to vary; nothing else is counted as left out.
        0
    } else {
        let written: Vec<String> = path::enumerate(&s.base.doc, false)
            .into_iter()
            .map(|p| p.path)
            .collect();
        path::enumerate(&full.doc, false)
            .iter()
            .filter(|p| !written.contains(&p.path))
            .count()
    };
    let model = &s.base.model;
    let layout = crate::sim::Layout::new(model);
    let m = sweep::metric_index(&layout, args.metric.trim()).map_err(|e| CliError::Input(format!("--metric: {e}")))?;
    let targets: Vec<Target> = match &args.versus {
        Some(v) => {
            let pair = sweep::strategy_indexes(model, &sweep::split_list(v))
                .map_err(|e| CliError::Input(format!("--versus: {e}")))?;
            let [a, b] = pair[..] else {
                return Err(CliError::Input(format!(
                    "--versus: expected two strategies A,B; got {}",
                    pair.len()
                )));
            };
            vec![Target::Difference { a, b }]
        }
        None => sweep::strategy_indexes(model, &sweep::split_list(args.strategies.as_deref().unwrap_or("")))
            .map_err(|e| CliError::Input(format!("--strategies: {e}")))?
            .into_iter()
            .map(Target::Strategy)
            .collect(),
    };
    let params = if args.params.is_empty() {
        // Every number written in the file, and every declared input (which
        // may be a field left at its default).
        let mut ps = path::enumerate(&s.base.doc, false);
        for d in &declared {
            if !ps.iter().any(|p| d.covers(p)) {
                ps.push(d.param.clone());
            }
        }
        ps
    } else {
        let mut ps: Vec<path::Param> = Vec::new();
        for p in args.params.iter().flat_map(|p| sweep::split_list(p)) {
            let param = s
                .base
                .param(&p)
                .map_err(|e| CliError::Input(format!("--params {}: {e}", s.loaded.path)))?;
            if !ps.iter().any(|q| q.locations == param.locations) {
                ps.push(param);
            }
        }
        ps
    };
    if params.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no numeric parameters are written in the file; name some with --params",
            s.loaded.path
        )));
    }
    let plan = sensitivity::plan(&s.base, params, args.delta, &declared).map_err(CliError::Input)?;
    let mut strategies: Vec<usize> = targets.iter().flat_map(Target::strategies).collect();
    strategies.sort_unstable();
    strategies.dedup();

    output::prepare_dir(&s.out_dir, args.common.force)?;
    let varied = plan.cases.iter().filter(|c| c.points.is_some()).count();
    if s.chatty {
        errln!(
            "podsim {}: sensitivity of {} in \"{}\" — {} parameter(s) ({varied} varied) ±{} %, {} strateg{}, {} replications per setting, seed {}, {} thread(s)",
            env!("CARGO_PKG_VERSION"),
            args.metric.trim(),
            model.name,
            plan.cases.len(),
            100.0 * args.delta,
            strategies.len(),
            if strategies.len() == 1 { "y" } else { "ies" },
            s.reps,
            s.seed,
            s.pool.current_num_threads()
        );
    }
    let started = Instant::now();
    let results = s.simulate(&plan.models, &strategies, sweep::Keep::Columns)?;
    let wall = started.elapsed().as_secs_f64();

    let rows = sensitivity::analyse(&plan, &results, &targets, m);
    let labels: Vec<String> = rows.iter().map(|r| r.target.label(model)).collect();
    let metric = layout.metric_names[m].clone();
    let mut info = s.info("sensitivity", &strategies, wall);
    info.parameters = plan
        .cases
        .iter()
        .map(|c| ParamInfo {
            path: c.param.path.clone(),
            locations: c.param.locations.iter().map(ToString::to_string).collect(),
            values: Vec::new(),
        })
        .collect();
    info.points = plan.models.len();
    info.distinct_simulations = results.distinct_jobs();
    info.metrics = vec![metric.clone()];
    info.delta = Some(args.delta);
    info.defaults_not_varied = Some(defaults_left);
    common::stop_if_interrupted()?;
    write_atomic(
        &s.out_dir.join(crate::results::SENSITIVITY_CSV),
        report::sensitivity_csv(&plan, &rows, &labels, &metric).as_bytes(),
    )?;
    s.write_info(crate::results::SENSITIVITY_JSON, &info)?;
    match args.common.format {
        Format::Text => out!(
            "{}",
            report::render_sensitivity(&plan, &rows, &labels, &metric, s.reps, defaults_left)
        ),
        Format::Json => s.json(&report::sensitivity_json(&plan, &rows, &labels, &info)),
    }
    s.charts()?;
    s.done(
        &format!(
            "{} setting(s), {} distinct simulation(s) x {} replications",
            plan.models.len(),
            results.distinct_jobs(),
            s.reps
        ),
        wall,
    );
    Ok(())
}
