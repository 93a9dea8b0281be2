//! `podsim explain SCENARIO`: why strategies differ. Splits each headline
//! paired difference into named mechanisms by exact Shapley values
//! (`crate::explain`, docs/EXPLAIN.md), simulating every coalition of
//! mechanisms with common random numbers through the one Monte Carlo driver.

use super::common::{self, setup, CommonArgs, Format};
use super::CliError;
use crate::analysis::LEVEL;
use crate::explain::{Attribution, Game, Mechanism, DEFAULT_METRICS};
use crate::output::{self, write_atomic};
use crate::results;
use crate::runner::{self, Detail, Order, RepRange, Variant};
use crate::sim::M;
use crate::sweep;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

/// Replications when neither `--reps` nor a smaller `replications` in the
/// scenario says otherwise: each replication simulates up to 2^8 variants
/// of every strategy, and the parts' intervals are already narrow at 40.
pub const DEFAULT_REPS: u64 = 40;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The two strategies to compare, as A,B (the difference is B - A);
    /// default: every strategy against the first.
    #[arg(long, value_name = "A,B")]
    pub versus: Option<String>,
    /// Metrics to split, comma-separated (default: finish_week, cost_total,
    /// cost_per_accepted, deep_focus_h_per_senior_week,
    /// senior_interruptions_per_week, escaped_per_1000, distinct_people).
    #[arg(long, value_name = "M1,M2,...")]
    pub metric: Option<String>,
    /// Mechanisms to split over, comma-separated (default: all eight:
    /// coordination, questions, quality, people_flow, ops_support,
    /// governance, pricing, scaling). The others stay as the scenario has them.
    #[arg(long, value_name = "M1,M2,...")]
    pub mechanisms: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn explain(args: ExplainArgs) -> Result<(), CliError> {
    let reps_given = args.common.reps.is_some();
    let mut s = setup(&args.scenario, &args.common, "explain")?;
    if !reps_given {
        s.reps = s.reps.min(DEFAULT_REPS);
    }
    // Beside the run's files by default, so `podsim report` finds it.
    if args.common.out.is_none() {
        s.out_dir = common::default_out_dir(&args.scenario);
    }
    let model = &s.base.model;
    let pairs: Vec<(usize, usize)> = match &args.versus {
        Some(v) => {
            let names = sweep::split_list(v);
            let idx = sweep::strategy_indexes(model, &names).map_err(common::input("--versus"))?;
            match idx[..] {
                [a, b] => vec![(a, b)],
                _ => {
                    return Err(CliError::Input(format!(
                        "--versus: expected two strategies A,B, got `{v}`"
                    )))
                }
            }
        }
        None if model.strategies.len() < 2 => {
            return Err(CliError::Input(format!(
                "{}: explain compares strategies, and this scenario has only one",
                s.loaded.path
            )))
        }
        None => (1..model.strategies.len()).map(|b| (0, b)).collect(),
    };
    let metrics: Vec<M> = match &args.metric {
        None => DEFAULT_METRICS.to_vec(),
        Some(list) => sweep::split_list(list)
            .iter()
            .map(|n| {
                M::ALL.into_iter().find(|m| m.name() == n.trim()).ok_or_else(|| {
                    let names: Vec<&str> = M::ALL.iter().map(|m| m.name()).collect();
                    let hint = crate::scenario::spans::closest(n.trim(), names.iter().copied())
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                    CliError::Input(format!(
                        "--metric: no metric is named `{}`{hint}; explain splits these: {}",
                        n.trim(),
                        names.join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let mechanisms: Vec<Mechanism> = match &args.mechanisms {
        None => Mechanism::ALL.to_vec(),
        Some(list) => sweep::split_list(list)
            .iter()
            .map(|n| {
                Mechanism::from_name(n.trim()).ok_or_else(|| {
                    let names: Vec<&str> = Mechanism::ALL.iter().map(|m| m.name()).collect();
                    CliError::Input(format!(
                        "--mechanisms: no mechanism is named `{}`; the mechanisms are {}",
                        n.trim(),
                        names.join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
    };

    let game = Game::new(model, &pairs, &mechanisms);
    let variants: Vec<Variant> = game
        .variants
        .iter()
        .map(|m| Variant { model: m, strategy: 0 })
        .collect();
    if s.chatty {
        errln!(
            "podsim {}: explain \"{}\" — {} pair(s), {} distinct simulations per replication, {} replications, seed {}, {} thread(s)",
            env!("CARGO_PKG_VERSION"),
            model.name,
            pairs.len(),
            variants.len(),
            s.reps,
            s.seed,
            s.pool.current_num_threads()
        );
    }
    let started = Instant::now();
    let bar = common::progress_bar(variants.len() as u64 * s.reps, s.hide_bar);
    let tick = || bar.inc(1);
    // values[metric][variant][replication], filled in replication order.
    let mut values: Vec<Vec<Vec<f64>>> = vec![vec![Vec::with_capacity(s.reps as usize); variants.len()]; metrics.len()];
    let mut violation: Option<String> = None;
    let range = RepRange {
        first: 0,
        count: s.reps,
    };
    let driven = s.pool.install(|| {
        runner::drive(
            &variants,
            s.seed,
            range,
            Order::ByVariant,
            Detail::MetricsOnly,
            common::control(&tick),
            |v, rep, r| {
                if let Some(what) = &r.invariant_violation {
                    violation.get_or_insert_with(|| format!("variant {v}, replication {rep}: {what}"));
                }
                for (k, m) in metrics.iter().enumerate() {
                    values[k][v].push(r.metrics[*m as usize]);
                }
            },
        )
    });
    bar.finish_and_clear();
    driven.map_err(|_| CliError::Interrupted)?;
    if let Some(v) = violation {
        return Err(CliError::Runtime(format!(
            "internal error: conservation invariant broken in {v}"
        )));
    }
    let wall = started.elapsed().as_secs_f64();

    let atts: Vec<Attribution> = game
        .pairs
        .iter()
        .flat_map(|pg| {
            metrics
                .iter()
                .enumerate()
                .map(|(k, m)| pg.attribute(*m, &values[k], LEVEL))
                .collect::<Vec<_>>()
        })
        .collect();
    // Exactness is the method's promise: check it rather than trust it.
    let worst = atts
        .iter()
        .map(|a| a.max_residual / a.total.mean.abs().max(1.0))
        .fold(0.0, f64::max);
    if worst > 1e-6 {
        return Err(CliError::Runtime(format!(
            "internal error: the parts do not sum to the total (relative residual {worst:e})"
        )));
    }

    let names: Vec<String> = model.strategies.iter().map(|st| st.name.clone()).collect();
    common::stop_if_interrupted()?;
    output::prepare_dir(&s.out_dir, args.common.force)?;
    write_atomic(
        &s.out_dir.join(results::EXPLAIN_CSV),
        output::explain::explain_csv(&atts, &names).as_bytes(),
    )?;
    let info = json!({
        "podsim_version": env!("CARGO_PKG_VERSION"),
        "kind": "explain",
        "scenario_name": model.name,
        "scenario_path": s.loaded.path,
        "scenario_sha256": s.loaded.hash,
        "seed": s.seed,
        "replications": s.reps,
        "pairs": game.pairs.iter().map(|p| json!({
            "a": names[p.a],
            "b": names[p.b],
            "mechanisms": p.active.iter().map(|m| m.name()).collect::<Vec<_>>(),
            "without_effect": p.inert.iter().map(|m| m.name()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "distinct_simulations_per_replication": variants.len(),
        "metrics": metrics.iter().map(|m| m.name()).collect::<Vec<_>>(),
        "headlines": atts.iter().map(|a| output::explain::headline(a, &names, model)).collect::<Vec<_>>(),
        "timing": { "wall_time_s": wall, "threads": s.pool.current_num_threads() },
    });
    write_atomic(
        &s.out_dir.join(results::EXPLAIN_JSON),
        format!("{}\n", serde_json::to_string_pretty(&info).expect("info serialises")).as_bytes(),
    )?;
    match args.common.format {
        Format::Text => out!("{}", output::explain::render(&atts, &names, model, s.reps)),
        Format::Json => {
            let rows = output::explain::explain_json(&atts, &names, model);
            outln!("{}", serde_json::to_string_pretty(&rows).expect("serialises"));
        }
    }
    if let Some(formats) = s.charts {
        let said = common::explain_charts_of(&s.out_dir, formats)?;
        if s.chatty {
            errln!("{said}");
        }
    }
    s.done("explained", wall);
    Ok(())
}
