//! The chance-constrained plan (`--target-probability P`, docs/OPTIMISER.md §9):
//! solve, simulate the plan with the full model (`verify`, through
//! `runner::drive`), and while the simulated probability of finishing by the
//! deadline is below P, raise the plan's capacity margin (lower
//! `max_utilisation` by one step) and solve again. The cheapest plan that
//! meets P is the answer; the steps give the price of certainty (the cost of
//! meeting the deadline with probability 0.5, 0.85 and 0.95).
//!
//! Deterministic: every solve has the same work budget and every simulation
//! the same seed and replications, so the loop takes the same steps anywhere.

use super::verify::{self, Verification};
use super::{optimise, Optimised, Options, Outcome, PlanError};
use crate::model::{Model, OptimiseSpec};
use crate::runner::{Cancelled, Control};
use std::sync::atomic::{AtomicBool, Ordering};

/// One step of the loop: the plan solved at a capacity margin and how it fared.
#[derive(Clone, Debug, PartialEq)]
pub struct ChanceStep {
    /// `max_utilisation` the plan was solved with.
    pub max_utilisation: f64,
    pub cost: f64,
    /// Simulated probability of finishing by the deadline.
    pub p_meet: f64,
    pub finish_p85: f64,
}

/// What the loop found.
#[derive(Clone, Debug, PartialEq)]
pub struct Chance {
    pub target: f64,
    pub replications: u64,
    pub seed: u64,
    pub steps: Vec<ChanceStep>,
    /// Index into `steps` of the plan returned: the cheapest that meets the target.
    pub chosen: Option<usize>,
    /// The price of certainty: (probability, cheapest cost among the steps that meet it).
    pub price: Vec<(f64, Option<f64>)>,
}

/// Step by which the capacity margin grows (`max_utilisation` falls) per round.
pub const MARGIN_STEP: f64 = 0.05;
/// `max_utilisation` below which the loop gives up.
pub const LOWEST_UTILISATION: f64 = 0.3;
/// The probabilities of the price-of-certainty table.
pub const PRICE_LEVELS: [f64; 3] = [0.5, 0.85, 0.95];

/// The result of the loop: the chosen plan (or the last one tried), its
/// simulation, and the steps.
pub struct ChanceResult {
    pub optimised: Optimised,
    pub verification: Option<Verification>,
    pub chance: Chance,
}

/// Runs the loop of the module doc. It continues past `target` until the
/// highest price level (0.95) is met too (or the margin runs out), so the
/// price table is filled; the plan returned is the cheapest meeting `target`.
#[allow(clippy::too_many_arguments)]
pub fn chance_constrained(
    m: &Model,
    opts: &Options,
    target: f64,
    reps: u64,
    seed: u64,
    control: Control<'_>,
    cancel: &AtomicBool,
) -> Result<ChanceResult, PlanError> {
    let spec = m.optimise.as_ref().ok_or(PlanError::NoSpec)?;
    let goal = PRICE_LEVELS.iter().copied().fold(target, f64::max);
    let mut steps: Vec<ChanceStep> = Vec::new();
    let mut kept: Vec<(Optimised, Option<Verification>)> = Vec::new();
    let mut u = spec.max_utilisation;
    loop {
        let mut mm = m.clone();
        mm.optimise = Some(OptimiseSpec {
            max_utilisation: u,
            ..spec.clone()
        });
        let o = optimise(&mm, opts, cancel)?;
        let Outcome::Plan(p) = &o.outcome else {
            // No plan with this much margin: the loop stops here.
            kept.push((o, None));
            break;
        };
        let v = verify::verify(m, spec, p, reps, seed, control).map_err(|Cancelled| PlanError::Interrupted)?;
        if cancel.load(Ordering::Relaxed) {
            return Err(PlanError::Interrupted);
        }
        steps.push(ChanceStep {
            max_utilisation: u,
            cost: p.total_cost,
            p_meet: v.p_meet,
            finish_p85: v.finish_p85,
        });
        let done = v.p_meet >= goal;
        kept.push((o, Some(v)));
        let next = ((u - MARGIN_STEP) * 1e6).round() / 1e6;
        if done || next < LOWEST_UTILISATION - 1e-9 {
            break;
        }
        u = next;
    }
    let cheapest = |p: f64| {
        steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.p_meet >= p)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost))
            .map(|(i, _)| i)
    };
    let chosen = cheapest(target);
    let price = PRICE_LEVELS
        .iter()
        .map(|&p| (p, cheapest(p).map(|i| steps[i].cost)))
        .collect();
    // The chosen plan, else the one with the highest probability, else the last tried.
    let pick = chosen
        .or_else(|| {
            steps
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.p_meet.total_cmp(&b.1.p_meet))
                .map(|(i, _)| i)
        })
        .unwrap_or(kept.len() - 1);
    let (optimised, verification) = kept.swap_remove(pick);
    Ok(ChanceResult {
        optimised,
        verification,
        chance: Chance {
            target,
            replications: reps,
            seed,
            steps,
            chosen,
            price,
        },
    })
}
