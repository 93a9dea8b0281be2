//! `podsim sweep SCENARIO --vary PATH=VALUES ...`: simulate the scenario
//! over a grid of parameter values (with `--pareto`, mark the frontier of
//! two metrics), or, with `--find PATH --between LO,HI`, bisect for the
//! value where two strategies are equal on a metric (break-even).

use super::common::{self, control, input, param_info, progress_bar, setup, CommonArgs, Format};
use super::CliError;
use crate::model::Model;
use crate::output::sweep::{self as report, BreakevenInfo, ObjectiveInfo, ParetoView, SweepView};
use crate::output::{self, write_atomic};
use crate::sweep::breakeven::{self, Eval, Spec};
use crate::sweep::path::{Kind, Param};
use crate::sweep::{self, grid, pareto, Keep, Results, Stopped};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
#[command(mut_arg("out", |a| a.help(
    "Output folder (default: output/<scenario name>-sweep/, or output/<scenario name>-breakeven/ with --find)"
)))]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A field and its values, e.g. `strategy.pods.count=3,4,5` or
    /// `overhead.coefficient=0.0002..0.001:0.0002` (LO..HI:STEP). Repeat for
    /// a grid. Paths: docs/SWEEPS.md.
    #[arg(long = "vary", value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// Metrics shown in the table, comma-separated (default: finish_week,
    /// cost_total, deep_focus_h_per_senior_week); with --find, the metric
    /// on which the two strategies are compared. sweep.csv has them all.
    #[arg(long, value_name = "METRIC[,METRIC...]")]
    pub metric: Option<String>,
    /// Mark the Pareto frontier of two metrics over points and strategies,
    /// e.g. `cost_total,finish_week`; `metric:min` / `metric:max` set the
    /// direction where podsim does not know it.
    #[arg(long, value_name = "M1,M2", conflicts_with = "find")]
    pub pareto: Option<String>,
    /// Break-even search: the field to bisect (needs --between, --metric
    /// and --strategies A,B).
    #[arg(long, value_name = "PATH", conflicts_with = "vary", requires_all = ["between", "metric", "strategies"])]
    pub find: Option<String>,
    /// With --find: the range searched, `LO,HI`.
    #[arg(long, value_name = "LO,HI", requires = "find", allow_hyphen_values = true)]
    pub between: Option<String>,
    /// With --find: stop when the bracket is this narrow (default: the
    /// range / 1000; at least 1 for whole-number fields).
    #[arg(long, requires = "find")]
    pub tol: Option<f64>,
    /// Strategies to simulate, comma-separated (default: all); with --find,
    /// exactly two, A,B (the difference is B - A).
    #[arg(long, value_name = "A,B,...")]
    pub strategies: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The default metrics of the sweep table: the comparison's first rows.
const DEFAULT_METRICS: [&str; 3] = ["finish_week", "cost_total", "deep_focus_h_per_senior_week"];

pub fn sweep(args: SweepArgs) -> Result<(), CliError> {
    if args.find.is_some() {
        return find(args);
    }
    let s = setup(&args.scenario, &args.common, "sweep")?;
    let model = &s.base.model;
    let strategies = sweep::strategy_indexes(model, &sweep::split_list(args.strategies.as_deref().unwrap_or("")))
        .map_err(input("--strategies"))?;

    // The axes: each path resolved against the file, values parsed and typed.
    let mut axes: Vec<(Param, Vec<f64>)> = Vec::new();
    for v in &args.vary {
        let (path, values) = grid::split_vary(v).map_err(input("--vary"))?;
        let param = s
            .base
            .param(path)
            .map_err(|e| CliError::Input(format!("--vary {}: {e}", s.loaded.path)))?;
        let values = grid::parse_values(values).map_err(input(&format!("--vary {path}")))?;
        if param.leaf.kind == Kind::Int {
            if let Some(x) = values.iter().find(|x| x.fract() != 0.0) {
                return Err(CliError::Input(format!(
                    "--vary {path}: `{path}` takes whole numbers; {x} is not one"
                )));
            }
        }
        let earlier = axes
            .iter()
            .map(|(p, _)| ("--vary", p))
            .chain(s.set.iter().map(|(p, _)| ("--set", p)));
        for (option, other) in earlier {
            if let Some(l) = param.locations.iter().find(|l| other.locations.contains(l)) {
                return Err(CliError::Input(format!(
                    "--vary {path}: `{l}` is already varied or set by {option} {}",
                    other.path
                )));
            }
        }
        axes.push((param, values));
    }
    let points = grid::cartesian(&axes.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()).map_err(input("--vary"))?;

    // Every point validated before anything runs (exit 2 on the first bad one).
    let models: Vec<Model> = points
        .iter()
        .map(|values| {
            let settings: Vec<(&Param, f64)> = axes.iter().map(|(p, _)| p).zip(values.iter().copied()).collect();
            s.base.variant(&settings).map_err(CliError::from)
        })
        .collect::<Result<_, _>>()?;

    let layout = crate::sim::Layout::new(model);
    let metric_names: Vec<String> = match &args.metric {
        Some(m) => sweep::split_list(m),
        None => DEFAULT_METRICS.iter().map(|m| m.to_string()).collect(),
    };
    let mut metrics = metric_names
        .iter()
        .map(|m| sweep::metric_index(&layout, m))
        .collect::<Result<Vec<_>, _>>()
        .map_err(input("--metric"))?;
    let objectives = match &args.pareto {
        Some(p) => {
            let objs = pareto::parse_objectives(p).map_err(input("--pareto"))?;
            let idx = objs
                .iter()
                .map(|o| sweep::metric_index(&layout, &o.metric))
                .collect::<Result<Vec<_>, _>>()
                .map_err(input("--pareto"))?;
            for &m in &idx {
                if !metrics.contains(&m) {
                    metrics.push(m);
                }
            }
            Some((objs, idx))
        }
        None => None,
    };

    output::prepare_dir(&s.out_dir, args.common.force)?;
    if s.chatty {
        errln!(
            "podsim {}: sweep of \"{}\" — {} point(s) x {} strateg{}, {} replications each, seed {}, {} thread(s)",
            env!("CARGO_PKG_VERSION"),
            model.name,
            points.len(),
            strategies.len(),
            if strategies.len() == 1 { "y" } else { "ies" },
            s.reps,
            s.seed,
            s.pool.current_num_threads()
        );
    }
    let started = Instant::now();
    let results = s.simulate(&models, &strategies, Keep::Summaries)?;
    let wall = started.elapsed().as_secs_f64();

    let named: Vec<(usize, String)> = strategies
        .iter()
        .map(|&i| (i, model.strategies[i].name.clone()))
        .collect();
    let params: Vec<String> = axes.iter().map(|(p, _)| p.path.clone()).collect();
    let mut view = SweepView {
        params: &params,
        points: &points,
        strategies: &named,
        results: &results,
        pareto: None,
    };
    let marks = objectives.as_ref().map(|(objs, idx)| {
        let values: Vec<Vec<f64>> = view
            .cells()
            .into_iter()
            .map(|(p, k)| idx.iter().map(|&m| results.summary(p, named[k].0, m).mean).collect())
            .collect();
        let better: Vec<_> = objs.iter().map(|o| o.better).collect();
        pareto::frontier(&values, &better)
    });
    if let (Some((objs, idx)), Some(marks)) = (&objectives, &marks) {
        view.pareto = Some(ParetoView {
            objectives: objs,
            metrics: idx,
            marks,
        });
    }

    if !args.common.quiet && points.len() > 1 && no_effect(&results, &strategies) {
        let hint = if params.iter().any(|p| p.ends_with("pod_size")) {
            " (pods.pod_size sets the number of pods only where pods.count is not written; vary pods.count there)"
        } else {
            ""
        };
        errln!(
            "note: the results are identical at every point: the varied field(s) do not change this scenario's simulations{hint}"
        );
    }
    let mut info = s.info("sweep", &strategies, wall);
    info.parameters = axes.iter().map(|(p, v)| param_info(p, v.clone())).collect();
    info.points = points.len();
    info.distinct_simulations = results.distinct_jobs();
    info.metrics = metrics.iter().map(|&m| layout.metric_names[m].clone()).collect();
    info.pareto = objectives
        .as_ref()
        .map(|(o, _)| o.iter().map(ObjectiveInfo::of).collect());
    common::stop_if_interrupted()?;
    output::files::write_atomic_with(&s.out_dir.join(crate::results::SWEEP_CSV), |w| {
        report::write_sweep_csv(&view, w)
    })?;
    if view.pareto.is_some() {
        write_atomic(
            &s.out_dir.join(crate::results::PARETO_CSV),
            report::pareto_csv(&view).as_bytes(),
        )?;
    }
    s.write_info(crate::results::SWEEP_JSON, &info)?;
    match args.common.format {
        Format::Text => out!("{}", report::render_sweep(&view, &metrics, s.reps)),
        Format::Json => s.json(&report::sweep_json(&view, &info)),
    }
    s.charts()?;
    s.done(
        &format!(
            "{} point(s), {} distinct simulation(s) x {} replications",
            points.len(),
            results.distinct_jobs(),
            s.reps
        ),
        wall,
    );
    Ok(())
}

/// Whether every strategy's results are the same at every point.
fn no_effect(results: &Results, strategies: &[usize]) -> bool {
    (1..results.points()).all(|p| strategies.iter().all(|&s| results.same((0, s), (p, s))))
}

fn parse_between(s: &str) -> Result<(f64, f64), String> {
    let parts = sweep::split_list(s);
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| p.parse::<f64>().map_err(|_| format!("expected a number, got `{p}`")))
        .collect::<Result<_, _>>()?;
    match nums.as_slice() {
        [lo, hi] => Ok((*lo, *hi)),
        _ => Err(format!("expected LO,HI such as 0.5,3, got `{s}`")),
    }
}

/// `sweep --find`: the break-even search.
fn find(args: SweepArgs) -> Result<(), CliError> {
    let s = setup(&args.scenario, &args.common, "breakeven")?;
    let model = &s.base.model;
    let path = args.find.as_deref().expect("checked by the caller");
    let param = s
        .base
        .param(path)
        .map_err(|e| CliError::Input(format!("--find {}: {e}", s.loaded.path)))?;
    if let Some((other, _)) = s
        .set
        .iter()
        .find(|(o, _)| o.locations.iter().any(|l| param.locations.contains(l)))
    {
        return Err(CliError::Input(format!("--find {path}: overlaps --set {}", other.path)));
    }
    let (lo, hi) = parse_between(args.between.as_deref().unwrap_or("")).map_err(input("--between"))?;
    let integer = param.leaf.kind == Kind::Int;
    let spec = Spec {
        lo,
        hi,
        tol: args.tol.unwrap_or(if integer { 1.0 } else { (hi - lo).abs() / 1000.0 }),
        integer,
    };
    spec.check().map_err(CliError::Input)?;
    let pair = sweep::strategy_indexes(model, &sweep::split_list(args.strategies.as_deref().unwrap_or("")))
        .map_err(input("--strategies"))?;
    let [a, b] = pair[..] else {
        return Err(CliError::Input(format!(
            "--strategies: --find compares exactly two strategies, A,B; got {}",
            pair.len()
        )));
    };
    let metric_list = sweep::split_list(args.metric.as_deref().unwrap_or(""));
    let [metric_name] = metric_list.as_slice() else {
        return Err(CliError::Input(format!(
            "--metric: --find compares one metric; got {}",
            metric_list.len()
        )));
    };
    let layout = crate::sim::Layout::new(model);
    let m = sweep::metric_index(&layout, metric_name).map_err(input("--metric"))?;
    // Both ends must be valid scenarios before the search starts.
    for x in [lo, hi] {
        s.base.variant(&[(&param, x)])?;
    }

    output::prepare_dir(&s.out_dir, args.common.force)?;
    if s.chatty {
        errln!(
            "podsim {}: break-even of {metric_name} between \"{}\" and \"{}\" over {path} in [{lo}, {hi}], tolerance {}, {} replications per evaluation, seed {}, {} thread(s)",
            env!("CARGO_PKG_VERSION"),
            model.strategies[a].name,
            model.strategies[b].name,
            spec.tol,
            s.reps,
            s.seed,
            s.pool.current_num_threads()
        );
    }
    let started = Instant::now();
    let bar = progress_bar(spec.max_evaluations() * 2 * s.reps, s.hide_bar);
    let mut variants = 0;
    let outcome = s.pool.install(|| {
        breakeven::search(spec, |x| {
            let model = s.base.variant(&[(&param, x)])?;
            variants += 1;
            // The number of evaluations is estimated: grow the bar if needed.
            if bar.position() + 2 * s.reps > bar.length().unwrap_or(0) {
                bar.inc_length(2 * s.reps);
            }
            let tick = || bar.inc(1);
            let r = sweep::simulate(std::slice::from_ref(&model), &[a, b], s.seed, s.reps, Keep::Columns, control(&tick))
                .map_err(|stopped| match stopped {
                    Stopped::Cancelled => CliError::Interrupted,
                    Stopped::Violation(v) => CliError::Runtime(format!(
                        "internal error: conservation invariant broken in strategy \"{}\" at {path} = {x}, replication {}: {}",
                        model.strategies[v.strategy].name, v.replication, v.what
                    )),
                })?;
            Ok::<Eval, CliError>(Eval {
                x,
                a: r.summary(0, a, m),
                b: r.summary(0, b, m),
                diff: r.paired((0, a), (0, b), m).diff,
                purpose: "",
            })
        })
    })?;
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    let be = BreakevenInfo::new(
        path,
        metric_name,
        &model.strategies[a].name,
        &model.strategies[b].name,
        &outcome,
    );
    let mut info = s.info("breakeven", &[a, b], wall);
    info.parameters = vec![param_info(&param, Vec::new())];
    info.points = variants;
    info.distinct_simulations = 2 * variants;
    info.metrics = vec![metric_name.clone()];
    info.breakeven = Some(be.clone());
    common::stop_if_interrupted()?;
    write_atomic(
        &s.out_dir.join(crate::results::BREAKEVEN_CSV),
        report::breakeven_csv(&outcome).as_bytes(),
    )?;
    s.write_info(crate::results::BREAKEVEN_JSON, &info)?;
    match args.common.format {
        Format::Text => out!("{}", report::render_breakeven(&outcome, &be, s.reps)),
        Format::Json => s.json(&report::breakeven_json(&outcome, &info)),
    }
    s.done(
        &format!("{} evaluations x 2 strategies x {} replications", variants, s.reps),
        wall,
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn between_syntax() {
        assert_eq!(parse_between("0.5,3"), Ok((0.5, 3.0)));
        assert_eq!(parse_between(" -1 , 2 "), Ok((-1.0, 2.0)));
        assert!(parse_between("1").is_err());
        assert!(parse_between("1,2,3").is_err());
        assert!(parse_between("a,2").is_err());
    }
}
