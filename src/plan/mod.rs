//! The optimiser: what to staff, from which channel and when (MODEL.md §11,
//! docs/OPTIMISER.md).
//!
//! A deterministic fluid approximation of the simulator's model, solved as an
//! LP/MILP. Only this module imports good_lp. The pipeline:
//! [`coeffs`] derives coefficients from the `Model`; [`formulation`] builds a
//! plain [`lp::Lp`]; [`solve`] runs the overhead fixed point, the LP relaxation
//! (the bound) and the integer search; the result becomes a plain [`Plan`]
//! value that `output` writes. [`diagnose`] explains infeasibility with
//! elastic slack, [`export`] writes CPLEX LP files, [`verify`] simulates a
//! plan with the full model.

pub mod build;
pub mod chance;
pub mod coeffs;
pub mod diagnose;
pub mod export;
pub mod formulation;
pub mod lp;
mod prices;
pub use prices::shadow_prices;
mod search;
pub mod solve;
pub mod verify;
// Split by concept (issue #13): the plain values, and a solution made into one.
mod assemble;
mod values;
pub use assemble::{build_plan, cost_categories};
pub use values::*;

use crate::model::{Channel, Model, OptimiseSpec, PlanObjective, Role, HOURS_PER_WEEK};
use formulation::{fractions, CostCat, Estimates, Formulation};
use lp::Group;
use solve::{Budget, Cut, Search, SolveError, Solved};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Estimates implied by a solution.
fn implied(form: &Formulation, x: &[f64]) -> Estimates {
    let tn = form.coeffs.periods.len();
    Estimates {
        by_role: (0..tn).map(|t| form.contributors_by_role(x, t)).collect(),
        leads: (0..tn)
            .map(|t| form.index.leads.get(t).map_or(0.0, |&j| x[j]))
            .collect(),
    }
}

/// Per period, how much each overhead fraction of `b` exceeds that of `a`
/// (the largest over contributors of every skill, seniors and leads).
fn fraction_excess(c: &coeffs::Coeffs, a: &Estimates, b: &Estimates, t: usize) -> (f64, f64) {
    let (fa, fb) = (fractions(c, a, t), fractions(c, b, t));
    let mut up = fb.senior - fa.senior;
    let mut change = (fb.senior - fa.senior).abs();
    up = up.max(fb.lead - fa.lead);
    change = change.max((fb.lead - fa.lead).abs());
    for r in &c.skills {
        let d = fb.member[r.index()] - fa.member[r.index()];
        up = up.max(d);
        change = change.max(d.abs());
    }
    (up, change)
}

/// Largest change of any overhead fraction between two sets of estimates.
fn fraction_change(c: &coeffs::Coeffs, a: &Estimates, b: &Estimates) -> f64 {
    (0..c.periods.len())
        .map(|t| fraction_excess(c, a, b, t).1)
        .fold(0.0, f64::max)
}

/// How much more overhead `actual` group sizes cause than `assumed` ones (0 if none):
/// the plan is optimistic by this much.
fn optimism(c: &coeffs::Coeffs, assumed: &Estimates, actual: &Estimates) -> f64 {
    (0..c.periods.len())
        .map(|t| fraction_excess(c, assumed, actual, t).0)
        .fold(0.0, f64::max)
}

/// Fixed point on group sizes with the LP relaxation (docs/OPTIMISER.md §5).
fn fixed_point(
    c: &coeffs::Coeffs,
    spec: &OptimiseSpec,
    start: Estimates,
    max_iter: usize,
) -> (Formulation, Result<Solved, SolveError>, usize, bool) {
    const TOL: f64 = 1e-3;
    let mut est = start;
    let mut last = None;
    for it in 1..=max_iter {
        let form = formulation::build(c, spec, &est);
        let sol = solve::solve_lp(&form.lp);
        let Ok(s) = &sol else { return (form, sol, it, false) };
        let mut next = implied(&form, &s.x);
        if fraction_change(c, &est, &next) < TOL {
            return (form, sol, it, true);
        }
        // After a few plain steps, only let group sizes grow: a monotone sequence
        // cannot cycle, and erring large keeps the overhead conservative.
        if it > 6 {
            next.at_least(&est);
        }
        last = Some((form, sol));
        est = next;
    }
    let (form, sol) = last.expect("at least one iteration ran");
    (form, sol, max_iter, false)
}

/// Overhead (share of time) by which a plan may exceed what its coefficients
/// assumed before the model is rebuilt: one percentage point, well inside the
/// capacity buffer of `max_utilisation`.
const OPTIMISM_TOL: f64 = 0.01;

/// Solves one deadline: the overhead fixed point on the LP relaxation, then
/// the integer search. If the integer plan's group sizes imply more overhead
/// than assumed (rounding can make groups bigger), the model is rebuilt around
/// the larger sizes and searched again (at most twice more), so the plan never
/// rests on overhead optimistic by more than a point; less overhead than assumed is accepted (the
/// plan is then slightly conservative) and reported.
pub fn solve_deadline(
    m: &Model,
    spec: &OptimiseSpec,
    deadline: f64,
    budget: Budget,
    cancel: &AtomicBool,
) -> Result<Solution, Unsolved> {
    let started = Instant::now();
    let c = coeffs::derive(m, spec, deadline);
    let (mut form, relaxed, iters, converged) = fixed_point(&c, spec, Estimates::initial(&c), 25);
    let mut relaxed = relaxed.map_err(|e| Unsolved::new(form.clone(), e))?;
    let mut lp_solves = iters;
    for round in 0..3 {
        let left = budget.less(lp_solves, started.elapsed().as_secs_f64());
        let search = solve::search(&form.lp, spec.mip_gap, left, cancel);
        let mut search = match search {
            Ok(s) => s,
            Err(e) => return Err(Unsolved::new(form, e)),
        };
        lp_solves += search.lp_solves;
        let actual = implied(&form, &search.best.x);
        let optimistic = optimism(&c, &form.estimates, &actual);
        if optimistic < OPTIMISM_TOL
            || round == 2
            || budget.spent(lp_solves, started.elapsed().as_secs_f64())
            || cancel.load(Ordering::Relaxed)
        {
            search.lp_solves = lp_solves;
            search.seconds = started.elapsed().as_secs_f64();
            return Ok(Solution {
                overhead_mismatch: fraction_change(&c, &form.estimates, &actual),
                form,
                relaxed,
                search,
                fixed_point_iterations: iters,
                fixed_point_converged: converged && optimistic < OPTIMISM_TOL,
            });
        }
        // Rebuild around group sizes at least as large as the plan's.
        let mut est = form.estimates.clone();
        est.at_least(&actual);
        est.leads.clone_from(&actual.leads);
        form = formulation::build(&c, spec, &est);
        relaxed = solve::solve_lp(&form.lp).map_err(|e| Unsolved::new(form.clone(), e))?;
        lp_solves += 1;
    }
    unreachable!("the loop returns by its last round")
}

/// The search budget of one solve: the spec's work limit, the options' overrides.
pub fn budget(spec: &OptimiseSpec, opts: &Options) -> Budget {
    Budget {
        lp_solves: opts.work_limit.unwrap_or(spec.work_limit),
        seconds: opts.time_limit_seconds.or(spec.time_limit_seconds),
    }
}

/// Runs the optimiser as the scenario's `[optimise]` section asks. Once
/// `cancel` is set (Ctrl-C) every search stops at its next LP solve and the
/// result is [`PlanError::Interrupted`].
pub fn optimise(m: &Model, opts: &Options, cancel: &AtomicBool) -> Result<Optimised, PlanError> {
    let spec = m.optimise.as_ref().ok_or(PlanError::NoSpec)?;
    let seconds = budget(spec, opts);
    let deadline = match spec.objective {
        PlanObjective::Finish => earliest_deadline(m, spec, seconds, true, cancel).unwrap_or(spec.deadline_hours),
        _ => spec.deadline_hours,
    };
    let frontier = if spec.objective == PlanObjective::Frontier || opts.frontier {
        Some(frontier(m, spec, seconds, cancel))
    } else {
        None
    };
    let solved = solve_deadline(m, spec, deadline, seconds, cancel);
    if cancel.load(Ordering::Relaxed) {
        return Err(PlanError::Interrupted);
    }
    match solved {
        Ok(sol) => {
            let plan = build_plan(m, spec, &sol, deadline);
            Ok(Optimised {
                outcome: Outcome::Plan(Box::new(plan)),
                frontier,
                formulation: sol.form,
            })
        }
        Err(Unsolved {
            form,
            error: SolveError::NoIntegerPlan,
        }) => {
            // Not proven infeasible: the limit stopped the search first.
            let relaxation = solve::solve_lp(&form.lp).ok().map(|s| s.objective);
            Ok(Optimised {
                outcome: Outcome::Stopped(Box::new(Stopped {
                    deadline_weeks: deadline / HOURS_PER_WEEK,
                    time_limit_seconds: seconds.seconds,
                    relaxation,
                })),
                frontier,
                formulation: *form,
            })
        }
        Err(Unsolved {
            form,
            error: SolveError::Infeasible | SolveError::IntegerInfeasible,
        }) => {
            let d = diagnose::diagnose(m, spec, &form, seconds, cancel);
            if cancel.load(Ordering::Relaxed) {
                return Err(PlanError::Interrupted);
            }
            Ok(Optimised {
                outcome: Outcome::Infeasible(Box::new(d)),
                frontier,
                formulation: *form,
            })
        }
        Err(u) => Err(PlanError::Solver(u.error.to_string())),
    }
}

/// The earliest deadline (whole periods) whose LP relaxation is feasible under
/// every cap: a coarse scan (feasibility need not grow with the deadline when a
/// budget binds, since later deadlines serve more arrivals), then bisection
/// below the first feasible point. With `confirm`, the integer search checks it
/// (one period later at most if whole people do not fit).
pub fn earliest_deadline(
    m: &Model,
    spec: &OptimiseSpec,
    seconds: Budget,
    confirm: bool,
    cancel: &AtomicBool,
) -> Option<f64> {
    let p = spec.period.hours();
    let max_n = (m.horizon_hours / p).floor() as usize;
    let feasible_lp = |n: usize| -> bool {
        // Cancelled: nothing is feasible, so the scan ends at once.
        if cancel.load(Ordering::Relaxed) {
            return false;
        }
        let c = coeffs::derive(m, spec, n as f64 * p);
        fixed_point(&c, spec, Estimates::initial(&c), 4).1.is_ok()
    };
    if max_n == 0 {
        return None;
    }
    let grid: Vec<usize> = (1..=8).map(|k| (k * max_n).div_ceil(8).max(1)).collect();
    let mut lo = 0usize; // infeasible (or nothing)
    let mut hi = None;
    for &g in &grid {
        if g <= lo {
            continue;
        }
        if feasible_lp(g) {
            hi = Some(g);
            break;
        }
        lo = g;
    }
    let mut hi = hi?;
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if feasible_lp(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if !confirm {
        return Some(hi as f64 * p);
    }
    (hi..=max_n)
        .take(2)
        .map(|n| n as f64 * p)
        .find(|&d| solve_deadline(m, spec, d, seconds, cancel).is_ok())
}

/// Minimum cost at each deadline of `spec.frontier`, the deadlines solved in
/// parallel, each with the whole search budget (so each point is the same
/// whatever the number of threads).
pub fn frontier(m: &Model, spec: &OptimiseSpec, budget: Budget, cancel: &AtomicBool) -> Vec<FrontierPoint> {
    use rayon::prelude::*;
    let f = &spec.frontier;
    let mut deadlines = Vec::new();
    let mut d = f.from_hours;
    while d <= f.to_hours + 1e-9 {
        deadlines.push(d);
        d += f.step_hours;
    }
    // The frontier shows what each deadline costs: the budget is a line to read
    // it against, not a constraint on it.
    let unbudgeted = OptimiseSpec {
        budget: None,
        ..spec.clone()
    };
    let spec = &unbudgeted;
    let per = budget;
    let mut points: Vec<FrontierPoint> = deadlines
        .par_iter()
        .map(|&d| {
            let empty = |status: FrontierStatus| FrontierPoint {
                deadline_weeks: d / HOURS_PER_WEEK,
                status,
                cost: None,
                bound: None,
                gap: None,
                peak_headcount: None,
                pareto: false,
            };
            match solve_deadline(m, spec, d, per, cancel) {
                Ok(sol) => {
                    let tn = sol.form.coeffs.periods.len();
                    let peak = (0..tn)
                        .map(|t| sol.form.contributors(&sol.search.best.x, t))
                        .fold(0.0, f64::max);
                    FrontierPoint {
                        cost: Some(sol.search.best.objective),
                        bound: Some(sol.search.bound),
                        gap: Some(sol.search.gap),
                        peak_headcount: Some(peak),
                        ..empty(FrontierStatus::Plan)
                    }
                }
                Err(Unsolved {
                    error: SolveError::Infeasible | SolveError::IntegerInfeasible,
                    ..
                }) => empty(FrontierStatus::Infeasible),
                Err(_) => empty(FrontierStatus::NotFound),
            }
        })
        .collect();
    // Pareto: no shorter deadline reaches the same cost or less.
    let mut best = f64::INFINITY;
    for p in &mut points {
        if let Some(c) = p.cost {
            if best.is_infinite() || c < best - 1e-6 * best.abs().max(1.0) {
                p.pareto = true;
                best = c;
            }
        }
    }
    points
}
