//! Solving an [`Lp`] with good_lp backends, and the integer search.
//!
//! Backends: microlp (pure Rust, default) for LPs and the branch-and-bound
//! polish; clarabel (pure Rust, interior point) for dual values (shadow
//! prices); HiGHS behind the `highs` cargo feature for the MILP.
//!
//! The integer search (docs/OPTIMISER.md §6): the LP relaxation gives the
//! bound; an LP-based dive fixes the integer variables period by period
//! (nearest, then up, then down, re-solving the LP after each period), which
//! gives a good integer plan in a few dozen LP solves; if the gap to the bound
//! is still above the target, microlp's branch and bound (HiGHS with the
//! feature) continues from that plan within the time limit.

use super::lp::{Lp, Sense};
use good_lp::solvers::clarabel::clarabel;
use good_lp::solvers::microlp::microlp;
use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolutionWithDual, SolverModel, Variable,
};
use std::sync::atomic::AtomicBool;
#[cfg(feature = "highs")]
use std::time::Instant;

/// Why a solve gave no plan.
#[derive(Clone, Debug, PartialEq)]
pub enum SolveError {
    Infeasible,
    Unbounded,
    /// The search stopped (the time limit, or nodes dropped to bound memory)
    /// before it found an integer plan: none is proven not to exist.
    NoIntegerPlan,
    /// The search explored every branch: the LP relaxation has a plan but no
    /// integer plan exists.
    IntegerInfeasible,
    Solver(String),
}

impl std::fmt::Display for SolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SolveError::Infeasible => write!(f, "no plan satisfies every constraint"),
            SolveError::Unbounded => write!(f, "the model is unbounded (a cost is negative)"),
            SolveError::NoIntegerPlan => write!(f, "the search stopped before it found a whole-people plan"),
            SolveError::IntegerInfeasible => write!(f, "no whole-people plan satisfies every constraint"),
            SolveError::Solver(s) => write!(f, "solver failure: {s}"),
        }
    }
}

impl From<ResolutionError> for SolveError {
    fn from(e: ResolutionError) -> Self {
        match e {
            ResolutionError::Infeasible => SolveError::Infeasible,
            ResolutionError::Unbounded => SolveError::Unbounded,
            other => SolveError::Solver(other.to_string()),
        }
    }
}

/// Variable values and the objective (constant included).
#[derive(Clone, Debug, PartialEq)]
pub struct Solved {
    pub x: Vec<f64>,
    pub objective: f64,
}

struct Parts {
    vars: ProblemVariables,
    handles: Vec<Variable>,
    objective: Expression,
    constraints: Vec<Constraint>,
}

/// The LP as good_lp values; `relax` drops integrality; `bounds` overrides variable bounds.
fn parts(lp: &Lp, relax: bool, bounds: Option<&[(f64, f64)]>) -> Parts {
    let mut vars = ProblemVariables::new();
    let handles: Vec<Variable> = lp
        .vars
        .iter()
        .enumerate()
        .map(|(j, v)| {
            let (lo, hi) = bounds.map_or((v.lo, v.hi), |b| b[j]);
            let mut def = good_lp::variable().min(lo).max(hi).name(v.name.clone());
            if v.integer && !relax {
                def = def.integer();
            }
            vars.add(def)
        })
        .collect();
    let mut objective = Expression::with_capacity(lp.vars.len());
    for (j, v) in lp.vars.iter().enumerate() {
        if v.cost != 0.0 {
            objective.add_mul(v.cost, handles[j]);
        }
    }
    let constraints = lp
        .rows
        .iter()
        .map(|r| {
            let mut e = Expression::with_capacity(r.terms.len());
            for &(j, a) in &r.terms {
                e.add_mul(a, handles[j]);
            }
            match r.sense {
                Sense::Le => e.leq(r.rhs),
                Sense::Ge => e.geq(r.rhs),
                Sense::Eq => e.eq(r.rhs),
            }
        })
        .collect();
    Parts {
        vars,
        handles,
        objective,
        constraints,
    }
}

fn finish(lp: &Lp, handles: &[Variable], sol: &impl Solution) -> Solved {
    let x: Vec<f64> = handles.iter().map(|&h| sol.value(h)).collect();
    Solved {
        objective: lp.objective(&x),
        x,
    }
}

/// Solves the LP relaxation with microlp; if microlp fails numerically (it
/// occasionally reports a singular basis), with clarabel instead.
pub fn solve_lp(lp: &Lp) -> Result<Solved, SolveError> {
    match solve_lp_bounds(lp, None) {
        Err(SolveError::Solver(_)) => solve_lp_clarabel(lp),
        other => other,
    }
}

fn solve_lp_bounds(lp: &Lp, bounds: Option<&[(f64, f64)]>) -> Result<Solved, SolveError> {
    let p = parts(lp, true, bounds);
    let mut model = p.vars.minimise(p.objective).using(microlp);
    for c in p.constraints {
        model.add_constraint(c);
    }
    let sol = model.solve()?;
    Ok(finish(lp, &p.handles, &sol))
}

/// Solves the LP relaxation with clarabel and returns each row's dual value:
/// the change of the optimal cost per unit increase of the row's right-hand side.
pub fn solve_lp_duals(lp: &Lp) -> Result<(Solved, Vec<f64>), SolveError> {
    let p = parts(lp, true, None);
    let mut model = p.vars.minimise(p.objective).using(clarabel);
    model
        .settings()
        .tol_gap_abs(1e-9)
        .tol_gap_rel(1e-10)
        .tol_feas(1e-10)
        .max_iter(500);
    let refs: Vec<_> = p.constraints.into_iter().map(|c| model.add_constraint(c)).collect();
    let mut sol = model.solve()?;
    let solved = finish(lp, &p.handles, &sol);
    let duals = sol.compute_dual();
    let d = refs
        .iter()
        .map(|r| good_lp::DualValues::dual(&duals, r.clone()))
        .collect();
    Ok((solved, d))
}

/// Solves the LP relaxation with clarabel (a second, independent backend).
pub fn solve_lp_clarabel(lp: &Lp) -> Result<Solved, SolveError> {
    solve_lp_duals(lp).map(|(s, _)| s)
}

/// HiGHS's branch and bound on the full MILP, from a starting plan, within `seconds`.
#[cfg(feature = "highs")]
fn branch_and_bound(lp: &Lp, start: Option<&[f64]>, gap: f64, seconds: f64) -> Result<Solved, SolveError> {
    use good_lp::{WithInitialSolution, WithMipGap, WithTimeLimit};
    let p = parts(lp, false, None);
    let mut model = p.vars.minimise(p.objective).using(good_lp::solvers::highs::highs);
    if let Some(x) = start {
        let init: Vec<(Variable, f64)> = p.handles.iter().copied().zip(x.iter().copied()).collect();
        model = model.with_initial_solution(init);
    }
    model = model
        .with_mip_gap(gap.max(1e-9) as f32)
        .map_err(|e| SolveError::Solver(e.to_string()))?;
    model = model.with_time_limit(seconds.max(0.01));
    for c in p.constraints {
        model.add_constraint(c);
    }
    let sol = {
        let _native = NativeSolve::enter();
        model.solve()?
    };
    Ok(finish(lp, &p.handles, &sol))
}

/// Set while a native solver (HiGHS) runs: its call cannot be interrupted
/// from Rust, so the CLI's Ctrl-C handler reads this and exits with 130 at
/// once instead of waiting up to the solver's time limit. Nothing is written
/// while a plan is being solved, so exiting then leaves no partial file.
static IN_NATIVE_SOLVE: AtomicBool = AtomicBool::new(false);

/// Whether a native solver call is running now (see [`IN_NATIVE_SOLVE`]).
pub fn in_native_solve() -> bool {
    IN_NATIVE_SOLVE.load(std::sync::atomic::Ordering::SeqCst)
}

/// Marks a native solver call for its lifetime.
#[cfg(feature = "highs")]
struct NativeSolve;

#[cfg(feature = "highs")]
impl NativeSolve {
    fn enter() -> Self {
        IN_NATIVE_SOLVE.store(true, std::sync::atomic::Ordering::SeqCst);
        NativeSolve
    }
}

#[cfg(feature = "highs")]
impl Drop for NativeSolve {
    fn drop(&mut self) {
        IN_NATIVE_SOLVE.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// How much search one solve may do (docs/OPTIMISER.md §6).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Budget {
    /// LP solves (cold or warm re-solves): the limit that decides the result,
    /// the same on any machine, load or thread count.
    pub lp_solves: usize,
    /// Optional wall-clock cap (seconds); when it cuts the search the plan
    /// may depend on the machine, and the report says so.
    pub seconds: Option<f64>,
}

impl Budget {
    /// What is left after `used` LP solves and `elapsed` seconds (at least one solve).
    pub fn less(self, used: usize, elapsed: f64) -> Budget {
        Budget {
            lp_solves: self.lp_solves.saturating_sub(used).max(1),
            seconds: self.seconds.map(|s| (s - elapsed).max(0.0)),
        }
    }
    pub fn spent(&self, used: usize, elapsed: f64) -> bool {
        used >= self.lp_solves || self.seconds.is_some_and(|s| elapsed > s)
    }
}

/// What stopped a search before it proved its target gap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// The work budget (LP solves): deterministic.
    Work,
    /// The wall-clock cap (`--time-limit`).
    Time,
}

impl Cut {
    pub fn name(self) -> &'static str {
        match self {
            Cut::Work => "work_budget",
            Cut::Time => "time_limit",
        }
    }
}

/// Outcome of the integer search.
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    pub best: Solved,
    /// Lower bound on the optimal cost (the LP relaxation).
    pub bound: f64,
    /// (best - bound) / |best|.
    pub gap: f64,
    /// How the plan was found: "lp" (no integers), "dive", or the MILP backend.
    pub method: String,
    pub lp_solves: usize,
    pub seconds: f64,
    /// What stopped the search above the target gap (None: the gap was proven).
    pub cut: Option<Cut>,
}

pub fn gap(best: f64, bound: f64) -> f64 {
    if best.abs() < 1e-9 {
        0.0
    } else {
        ((best - bound) / best.abs()).max(0.0)
    }
}

/// Finds an integer plan with its bound and gap: the LP-based branch and bound
/// of [`super::search`] on microlp (default), or HiGHS's MILP (feature `highs`,
/// started from that search's plan; the bound reported is the search's).
pub fn search(lp: &Lp, target_gap: f64, budget: Budget, cancel: &AtomicBool) -> Result<Search, SolveError> {
    #[cfg(not(feature = "highs"))]
    {
        super::search::search(lp, target_gap, budget, cancel)
    }
    #[cfg(feature = "highs")]
    {
        let started = Instant::now();
        let quick = super::search::search(lp, target_gap, budget, cancel);
        // Stopped by Ctrl-C: no HiGHS run after it (it would take up to its
        // time limit before the command could stop).
        if cancel.load(std::sync::atomic::Ordering::SeqCst) {
            return quick;
        }
        // HiGHS has no work limit through good_lp: it gets the time cap, or 60 s.
        let left = budget
            .seconds
            .map_or(60.0, |s| s - started.elapsed().as_secs_f64())
            .max(0.5);
        match (
            branch_and_bound(lp, quick.as_ref().ok().map(|s| s.best.x.as_slice()), target_gap, left),
            quick,
        ) {
            (Ok(s), Ok(mut q)) => {
                if s.objective < q.best.objective && lp.max_violation(&s.x) < 1e-6 {
                    q.gap = gap(s.objective, q.bound);
                    q.best = s;
                    q.method = "HiGHS".into();
                    if q.gap <= target_gap {
                        q.cut = None;
                    }
                }
                q.seconds = started.elapsed().as_secs_f64();
                Ok(q)
            }
            (Ok(s), Err(_)) => {
                let bound = solve_lp(lp).map(|r| r.objective).unwrap_or(f64::NEG_INFINITY);
                Ok(Search {
                    gap: gap(s.objective, bound),
                    best: s,
                    bound,
                    method: "HiGHS".into(),
                    lp_solves: 1,
                    seconds: started.elapsed().as_secs_f64(),
                    cut: None,
                })
            }
            (Err(_), q) => q,
        }
    }
}

/// The default build's search (microlp's LP-based branch and bound), also
/// with the `highs` feature: the test that both backends agree uses it.
pub fn search_microlp(lp: &Lp, target_gap: f64, budget: Budget, cancel: &AtomicBool) -> Result<Search, SolveError> {
    super::search::search(lp, target_gap, budget, cancel)
}

/// `lp` with the pipeline gates fixed at their values in `x` and every other
/// integer relaxed: the plan's schedule, with headcounts free to respond (for
/// shadow prices that say what relaxing a limit is worth around this plan).
pub fn fix_gates(lp: &Lp, x: &[f64]) -> Lp {
    let mut out = lp.clone();
    let gates: Vec<usize> = lp.gates.iter().flat_map(|g| g.z.iter().copied()).collect();
    for (j, v) in out.vars.iter_mut().enumerate() {
        if gates.contains(&j) {
            let val = x[j].round();
            v.lo = val;
            v.hi = val;
        }
        v.integer = false;
    }
    out
}

/// `lp` with every integer variable fixed at its value in `x` (for dual values
/// that hold the integer decisions of a plan).
pub fn fix_integers(lp: &Lp, x: &[f64]) -> Lp {
    let mut out = lp.clone();
    for (j, v) in out.vars.iter_mut().enumerate() {
        if v.integer {
            let val = x[j].round();
            v.lo = val;
            v.hi = val;
            v.integer = false;
        }
    }
    out
}
