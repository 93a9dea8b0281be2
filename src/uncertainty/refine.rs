//! Thresholds refined by the break-even search (docs/UNCERTAINTY.md).
//!
//! The linear fit over the worlds ([`super::analyse::threshold`]) screens
//! where the winner flips. For the thresholds people read — every pair of
//! strategies on total cost and finish week, the input that decides most —
//! [`refine`] re-simulates along that input with every
//! other uncertain input at its central value (its distribution's median)
//! and runs the existing break-even bisection ([`crate::sweep::breakeven`])
//! on the paired difference: the refined threshold is where the mean
//! difference crosses zero, and its 90 % interval is the set of values at
//! which the difference's 90 % CI contains 0 (a 90 % test inverted, so a
//! 90 % confidence set for the crossing, given the other inputs' central
//! values). The search runs over the middle 90 % of the input's
//! distribution, the range in which the fit's threshold was accepted.
//! Everything depends on (scenario, seed, results) only: a run and the
//! merge of its shards refine identically, for any thread count.

use super::analyse::{Refined, Results};
use super::Spec;
use crate::runner::Control;
use crate::sim::{Layout, M};
use crate::stats;
use crate::sweep::breakeven::{self, Eval};
use crate::sweep::{self, Base, Keep};

/// Replications per evaluation (the run's count when it has fewer): common
/// random numbers keep the paired difference's noise small.
pub const REPLICATIONS: u64 = 20;
/// The search stops when its bracket is narrower than this share of the range.
const RESOLUTION: f64 = 0.02;
/// The level of the CI inverted into the threshold's interval.
const LEVEL: f64 = 0.90;
/// The metrics whose thresholds are refined (the ones worded).
const METRICS: [M; 2] = [M::CostTotal, M::FinishWeek];

/// Why refining stopped.
#[derive(Debug)]
pub enum Stopped {
    Cancelled,
    /// A conservation invariant broke in a simulation (a defect).
    Violation(String),
}

/// One threshold to refine: `results.pairs[pair]`'s leading driver.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub pair: usize,
    /// Index of the driver's input in `spec.inputs`.
    pub input: usize,
}

/// The thresholds refined: for every pair on total cost and finish week
/// (the ones the report words), the leading driver, when the fit found a
/// threshold.
pub fn targets(results: &Results, spec: &Spec) -> Vec<Target> {
    let mut out = Vec::new();
    for (i, p) in results.pairs.iter().enumerate() {
        if !METRICS.iter().any(|m| m.name() == p.metric) {
            continue;
        }
        let Some(top) = p.drivers.first() else { continue };
        if top.threshold.is_none() {
            continue;
        }
        if let Some(j) = spec.inputs.iter().position(|x| x.path() == top.input) {
            out.push(Target { pair: i, input: j });
        }
    }
    out
}

/// The search range of input `j` (5th and 95th percentiles of its
/// distribution within the field's range) and whether it is whole-numbered.
fn range_of(spec: &Spec, j: usize, horizon: f64) -> (f64, f64, bool) {
    let input = &spec.inputs[j];
    let integer = input.param.leaf.kind == crate::sweep::path::Kind::Int;
    (input.value_at(0.05, horizon), input.value_at(0.95, horizon), integer)
}

/// The break-even search's set-up for a target, or None when the range is a point.
fn search_spec(spec: &Spec, j: usize, horizon: f64) -> Option<breakeven::Spec> {
    let (lo, hi, integer) = range_of(spec, j, horizon);
    let s = breakeven::Spec {
        lo,
        hi,
        tol: if integer { 1.0 } else { (hi - lo) * RESOLUTION },
        integer,
    };
    s.check().is_ok().then_some(s)
}

/// Simulations the refinement of `targets` makes at most (sizes the progress bar).
pub fn max_simulations(spec: &Spec, targets: &[Target], reps: u64, horizon: f64) -> u64 {
    targets
        .iter()
        .filter_map(|t| search_spec(spec, t.input, horizon))
        .map(|s| s.max_evaluations() * 2 * REPLICATIONS.min(reps))
        .sum()
}

/// Refines the thresholds of `targets` in `results` (see the module's
/// account). A target whose search finds no sign change along the line (the
/// fit's crossing came from the other inputs' spread), or whose points are
/// not valid scenarios, keeps the fit's threshold.
pub fn refine(
    base: &Base,
    spec: &Spec,
    results: &mut Results,
    targets: &[Target],
    seed: u64,
    reps: u64,
    control: Control<'_>,
) -> Result<(), Stopped> {
    let horizon = base.horizon_weeks();
    let reps = REPLICATIONS.min(reps);
    if reps < 2 {
        // No CI of a mean difference from one replication: keep the fit's.
        return Ok(());
    }
    let layout = Layout::new(&base.model);
    let centre: Vec<f64> = spec.inputs.iter().map(|i| i.value_at(0.5, horizon)).collect();
    for t in targets {
        let Some(search) = search_spec(spec, t.input, horizon) else {
            continue;
        };
        let p = &results.pairs[t.pair];
        let index = |name: &str| base.model.strategies.iter().position(|s| s.name == name);
        let (Some(a), Some(b), Some(m)) = (index(&p.a), index(&p.b), layout.metric_index(&p.metric)) else {
            continue;
        };
        let others: Vec<(String, f64)> = spec
            .inputs
            .iter()
            .zip(&centre)
            .enumerate()
            .filter(|(k, _)| *k != t.input)
            .map(|(_, (i, x))| (i.path().to_string(), *x))
            .collect();
        let outcome = breakeven::search(search, |x| {
            let settings: Vec<(&crate::sweep::path::Param, f64)> = spec
                .inputs
                .iter()
                .zip(&centre)
                .enumerate()
                .map(|(k, (i, c))| (&i.param, if k == t.input { x } else { *c }))
                .collect();
            // A point that is no valid scenario ends this search (None).
            let Ok(model) = base.variant(&settings) else {
                return Err(None);
            };
            let r = sweep::simulate(
                std::slice::from_ref(&model),
                &[a, b],
                seed,
                reps,
                Keep::Columns,
                control,
            )
            .map_err(|s| match s {
                sweep::Stopped::Cancelled => Some(Stopped::Cancelled),
                sweep::Stopped::Violation(v) => Some(Stopped::Violation(format!(
                    "strategy \"{}\" at {} = {x}, replication {}: {}",
                    model.strategies[v.strategy].name,
                    spec.inputs[t.input].path(),
                    v.replication,
                    v.what
                ))),
            })?;
            let (ya, yb) = (r.column(0, a, m).unwrap_or(&[]), r.column(0, b, m).unwrap_or(&[]));
            Ok(Eval {
                x,
                a: stats::Summary::of(ya, LEVEL),
                b: stats::Summary::of(yb, LEVEL),
                diff: stats::paired(ya, yb, LEVEL).diff,
                purpose: "",
            })
        });
        let outcome = match outcome {
            Ok(o) => o,
            Err(None) => continue,
            Err(Some(stop)) => return Err(stop),
        };
        let (Some(at), Some((lo, hi))) = (outcome.crossing, outcome.ci_interval) else {
            continue;
        };
        let better_lower = p.better == "lower";
        // b is better where b - a has the better sign: above the crossing
        // when the difference's sign at the top of the range is that sign.
        let better_sign: i8 = if better_lower { -1 } else { 1 };
        let b_better_when = if outcome.sign_at_hi == better_sign || outcome.sign_at_lo == -better_sign {
            "above"
        } else {
            "below"
        };
        let threshold = results.pairs[t.pair].drivers[0]
            .threshold
            .as_mut()
            .expect("targets have a threshold");
        threshold.b_better_when = b_better_when.into();
        threshold.refined = Some(Refined {
            at,
            low: lo.x.min(at),
            high: hi.x.max(at),
            low_open: lo.beyond_range,
            high_open: hi.beyond_range,
            between: (search.lo, search.hi),
            others,
            replications: reps,
            evaluations: outcome.evals.len(),
        });
    }
    Ok(())
}
