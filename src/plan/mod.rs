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

use crate::model::{Channel, Model, OptimiseSpec, PlanObjective, Role, HOURS_PER_WEEK};
use formulation::{fractions, CostCat, Estimates, Formulation};
use lp::Group;
use solve::{Budget, Cut, Search, SolveError, Solved};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A problem with the request itself (not with the plan).
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    /// The scenario has no `[optimise]` section.
    NoSpec,
    Solver(String),
    /// Stopped by the caller's cancellation flag (Ctrl-C).
    Interrupted,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::NoSpec => write!(
                f,
                "the scenario has no [optimise] section; add one (see docs/OPTIMISER.md), e.g.\n\n[optimise]\ndeadline_weeks = 26\nobjective = \"cost\""
            ),
            PlanError::Solver(s) => write!(f, "{s}"),
            PlanError::Interrupted => write!(f, "interrupted"),
        }
    }
}

impl std::error::Error for PlanError {}

/// Command-line overrides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// Compute the cost-vs-deadline frontier as well.
    pub frontier: bool,
    /// Override of `time_limit_seconds` (per solve): an extra wall-clock cap.
    pub time_limit_seconds: Option<f64>,
    /// Override of `work_limit` (LP solves per solve).
    pub work_limit: Option<usize>,
}

/// One line of plan.csv: a role and channel in one period.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRow {
    pub period: usize,
    pub start_week: f64,
    pub end_week: f64,
    pub role: Role,
    pub channel: Channel,
    /// Seats during the period (FTE; integer for employees when `integer = true`).
    pub headcount: f64,
    /// Joins at the start of the period (requested a lead time earlier).
    pub starts: f64,
    /// Releases at the start of the period.
    pub releases: f64,
    /// The whole week by which the starts must be requested (start minus the
    /// channel's lead time, rounded down, never before week 0); None without starts.
    pub request_week: Option<f64>,
}

/// What a period of the plan looks like.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodSummary {
    pub period: usize,
    pub start_week: f64,
    pub end_week: f64,
    pub by_channel: [f64; Channel::COUNT],
    pub pod_leads: f64,
    /// Focus hours per senior per week the plan leaves.
    pub senior_focus: f64,
    /// Planned load / usable capacity per planned skill (same order as `Plan::skills`).
    pub utilisation: Vec<f64>,
    /// Coordination overhead a contributor loses, as assumed.
    pub overhead: f64,
}

/// A binding constraint and what relaxing it is worth (data; `output::plan` words it).
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub group: Group,
    pub limit: Limit,
    /// Periods where it binds, and the same as week ranges [start, end).
    pub periods: Vec<usize>,
    pub weeks: Vec<(f64, f64)>,
    /// Saving (USD) from relaxing it by one unit of [`Limit`]'s measure;
    /// negative when relaxing costs more. For `Limit::Work`, the cost of one
    /// more effort hour.
    pub saving: f64,
}

/// What binds, with the numbers needed to say it.
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    /// Per one more senior hour per week; `per_floor_hour`: per hour less floor for every senior.
    SeniorFocus {
        floor_hours: f64,
        per_floor_hour: f64,
    },
    /// Per dollar.
    Budget,
    /// Per person.
    Access {
        people: f64,
    },
    /// Per bench seat in the binding weeks.
    BenchMax {
        people: f64,
    },
    ChannelMax {
        channel: Channel,
        people: f64,
    },
    RoleMax {
        channel: Channel,
        role: Role,
        people: f64,
    },
    /// Per percentage point more.
    ShareMax {
        channel: Channel,
        share: f64,
    },
    /// Per percentage point less.
    ShareMin {
        channel: Channel,
        share: f64,
    },
    /// Per employee fewer.
    MinEmployees {
        people: f64,
    },
    /// The marginal cost of one more effort hour of a backlog by the deadline.
    Work {
        stream: String,
        work_per_item: f64,
    },
    /// A row without its own words (its LP name).
    Other {
        row: String,
    },
}

/// How the answer was found.
#[derive(Clone, Debug, PartialEq)]
pub struct SolveReport {
    pub objective: f64,
    /// The LP relaxation of the final model (integers and gates fractional).
    pub relaxation: f64,
    /// LP-relaxation bound: no plan under this model costs less.
    pub bound: f64,
    pub gap: f64,
    pub target_gap: f64,
    pub method: String,
    pub seconds: f64,
    pub lp_solves: usize,
    pub fixed_point_iterations: usize,
    pub fixed_point_converged: bool,
    pub variables: usize,
    pub integers: usize,
    pub rows: usize,
    /// What stopped the search before it proved the target gap: the plan is
    /// the best found, not proven within the limit.
    pub cut: Option<Cut>,
}

/// The optimiser's answer for one deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub scenario: String,
    /// The scenario's `start_date` (week 0), for calendar dates.
    pub start_date: Option<String>,
    pub strategy: String,
    pub structure: String,
    pub period: String,
    pub deadline_weeks: f64,
    pub objective: PlanObjective,
    pub seniors: f64,
    pub skills: Vec<Role>,
    pub periods: Vec<coeffs::Period>,
    pub rows: Vec<PlanRow>,
    /// Pod leads per period (pods structure; empty otherwise) and at week 0.
    pub pod_leads: Vec<f64>,
    pub initial_pod_leads: f64,
    /// Channel pod leads come from.
    pub lead_channel: Channel,
    /// Lead time (weeks) of each channel, for when to request starts.
    pub lead_weeks: [f64; Channel::COUNT],
    pub summary: Vec<PeriodSummary>,
    /// Cost by category (name, USD), and the total.
    pub cost: Vec<(String, f64)>,
    pub total_cost: f64,
    pub binding: Vec<Binding>,
    /// LP estimates of one period more / less time: (saving of +1, extra cost of -1).
    pub deadline_sensitivity: (Option<f64>, Option<f64>),
    pub solve: SolveReport,
    /// Largest gap between the overhead fraction assumed and the one the plan implies.
    pub overhead_mismatch: f64,
}

impl Plan {
    /// Seats of (role, channel) in period t.
    pub fn headcount(&self, role: Role, channel: Channel, t: usize) -> f64 {
        self.rows
            .iter()
            .find(|r| r.period == t && r.role == role && r.channel == channel)
            .map_or(0.0, |r| r.headcount)
    }
    pub fn total_headcount(&self, t: usize) -> f64 {
        self.rows.iter().filter(|r| r.period == t).map(|r| r.headcount).sum()
    }
}

/// Whether a deadline of the frontier has a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrontierStatus {
    Plan,
    /// Even the LP relaxation has no plan: some cap or the lead times rule it out.
    Infeasible,
    /// The relaxation has a plan but the search found no integer plan in its time.
    NotFound,
}

impl FrontierStatus {
    pub fn name(self) -> &'static str {
        match self {
            FrontierStatus::Plan => "plan",
            FrontierStatus::Infeasible => "infeasible",
            FrontierStatus::NotFound => "not_found_in_time",
        }
    }
}

/// One deadline of the frontier.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    pub deadline_weeks: f64,
    pub status: FrontierStatus,
    /// Minimum cost found (None when infeasible).
    pub cost: Option<f64>,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub peak_headcount: Option<f64>,
    /// Not dominated by a shorter deadline at no more cost.
    pub pareto: bool,
}

/// Everything `podsim optimise` reports.
#[derive(Clone, Debug)]
pub struct Optimised {
    pub outcome: Outcome,
    pub frontier: Option<Vec<FrontierPoint>>,
    /// The final model, for `--export-lp`.
    pub formulation: Formulation,
}

#[derive(Clone, Debug)]
pub enum Outcome {
    Plan(Box<Plan>),
    /// Proven: no plan meets every constraint (with the diagnosis).
    Infeasible(Box<diagnose::Diagnosis>),
    /// The time limit stopped the search before any plan was found; none is
    /// proven not to exist.
    Stopped(Box<Stopped>),
}

/// A search the time limit stopped before it found a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Stopped {
    pub deadline_weeks: f64,
    /// The limit that stopped it (None: nodes were dropped to bound memory).
    pub time_limit_seconds: Option<f64>,
    /// Cost of the LP relaxation (fractional people, gates opening part-way),
    /// when it has a plan: a lower bound on any plan's cost.
    pub relaxation: Option<f64>,
}

/// A deadline without a plan: the model (for the diagnosis) and why.
#[derive(Clone, Debug)]
pub struct Unsolved {
    pub form: Box<Formulation>,
    pub error: SolveError,
}

impl Unsolved {
    fn new(form: Formulation, error: SolveError) -> Self {
        Unsolved {
            form: Box::new(form),
            error,
        }
    }
}

/// A solved deadline: the model and its best integer plan.
#[derive(Clone, Debug)]
pub struct Solution {
    pub form: Formulation,
    pub relaxed: Solved,
    pub search: Search,
    pub fixed_point_iterations: usize,
    pub fixed_point_converged: bool,
    pub overhead_mismatch: f64,
}

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

fn clean(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Turns a solution into the plain [`Plan`] value, with shadow prices.
pub fn build_plan(m: &Model, spec: &OptimiseSpec, sol: &Solution, deadline: f64) -> Plan {
    let form = &sol.form;
    let c = &form.coeffs;
    let x = &sol.search.best.x;
    let ix = &form.index;
    let tn = c.periods.len();
    let mut rows = Vec::new();
    for (i, &role) in c.skills.iter().enumerate() {
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let hc: Vec<f64> = (0..tn).map(|t| clean(Formulation::val(x, ix.x[i][ci][t]))).collect();
            let st: Vec<f64> = (0..tn).map(|t| clean(Formulation::val(x, ix.s[i][ci][t]))).collect();
            let rl: Vec<f64> = (0..tn).map(|t| clean(form.releases(x, i, ci, t))).collect();
            let init = clean(form.initial(x, i, ci));
            if init == 0.0 && hc.iter().chain(&st).chain(&rl).all(|&v| v == 0.0) {
                continue;
            }
            for (t, p) in c.periods.iter().enumerate() {
                rows.push(PlanRow {
                    period: t,
                    start_week: p.start / HOURS_PER_WEEK,
                    end_week: p.end / HOURS_PER_WEEK,
                    role,
                    channel: ch,
                    headcount: hc[t],
                    starts: st[t],
                    releases: rl[t],
                    request_week: (st[t] > 0.0).then(|| {
                        ((p.start - m.channel(ch).lead_hours) / HOURS_PER_WEEK + 1e-9)
                            .floor()
                            .max(0.0)
                    }),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.period, r.role, r.channel));
    let pod_leads: Vec<f64> = ix.leads.iter().map(|&j| clean(x[j])).collect();

    // Per-period summary: seniors' focus, utilisation, overhead.
    let row_of = |name: &str| form.lp.rows.iter().find(|r| r.name == name);
    let mut summary = Vec::new();
    for (t, p) in c.periods.iter().enumerate() {
        let fr = fractions(c, &form.estimates, t);
        let mut by_channel = [0.0; Channel::COUNT];
        for row in ix.x.iter() {
            for (ci, xs) in row.iter().enumerate() {
                by_channel[ci] += Formulation::val(x, xs[t]);
            }
        }
        let senior_focus = if c.seniors > 0.0 {
            let load = row_of(&format!("senior_focus_t{t:02}")).map_or(0.0, |r| r.activity(x));
            let fixed = c.seniors * p.hours() * fr.senior + c.senior_fixed * p.hours();
            (c.seniors * p.hours() - load - fixed) / (c.seniors * p.weeks())
        } else {
            0.0
        };
        let utilisation = (0..c.skills.len())
            .map(|i| {
                let (load, cap) = form.load_capacity(x, i, t, spec.max_utilisation);
                if cap > 1e-9 {
                    load / cap
                } else {
                    0.0
                }
            })
            .collect();
        summary.push(PeriodSummary {
            period: t,
            start_week: p.start / HOURS_PER_WEEK,
            end_week: p.end / HOURS_PER_WEEK,
            by_channel: by_channel.map(clean),
            pod_leads: pod_leads.get(t).copied().unwrap_or(0.0),
            senior_focus,
            utilisation,
            overhead: formulation::worst_member(c, &fr),
        });
    }
    let cost: Vec<(String, f64)> = form.cost_breakdown(x).into_iter().map(|(k, v)| (k.name(), v)).collect();
    let binding = shadow_prices(form, x, spec);
    let sensitivity = deadline_sensitivity(m, spec, sol);
    let st = &m.strategies[spec.strategy];
    Plan {
        scenario: m.name.clone(),
        start_date: m.start_date.clone(),
        strategy: st.name.clone(),
        structure: st.structure.name().to_string(),
        period: spec.period.name().to_string(),
        deadline_weeks: deadline / HOURS_PER_WEEK,
        objective: spec.objective,
        seniors: c.seniors,
        skills: c.skills.clone(),
        periods: c.periods.clone(),
        rows,
        pod_leads,
        initial_pod_leads: clean(form.initial_leads(x)),
        lead_channel: c.leads.as_ref().map_or(Channel::Pod, |l| l.channel),
        lead_weeks: Channel::ALL.map(|ch| m.channel(ch).lead_hours / HOURS_PER_WEEK),
        summary,
        total_cost: sol.search.best.objective,
        cost,
        binding,
        deadline_sensitivity: sensitivity,
        solve: SolveReport {
            objective: sol.search.best.objective,
            relaxation: sol.relaxed.objective,
            bound: sol.search.bound,
            gap: sol.search.gap,
            target_gap: spec.mip_gap,
            method: sol.search.method.clone(),
            seconds: sol.search.seconds,
            lp_solves: sol.search.lp_solves,
            fixed_point_iterations: sol.fixed_point_iterations,
            fixed_point_converged: sol.fixed_point_converged,
            variables: form.lp.vars.len(),
            integers: form.lp.integer_count(),
            rows: form.lp.rows.len(),
            cut: sol.search.cut,
        },
        overhead_mismatch: sol.overhead_mismatch,
    }
}

/// LP estimates of the value of one period more and one period less.
fn deadline_sensitivity(m: &Model, spec: &OptimiseSpec, sol: &Solution) -> (Option<f64>, Option<f64>) {
    let base = sol.relaxed.objective;
    let c = &sol.form.coeffs;
    let p = spec.period.hours();
    let at = |d: f64| -> Option<f64> {
        if d < p - 1e-9 || d > m.horizon_hours + 1e-9 {
            return None;
        }
        let c2 = coeffs::derive(m, spec, d);
        let n = c2.periods.len();
        let est = sol.form.estimates.resized(n);
        solve::solve_lp(&formulation::build(&c2, spec, &est).lp)
            .ok()
            .map(|s| s.objective)
    };
    let later = at(c.deadline + p).map(|v| base - v);
    let earlier = at(c.deadline - p).map(|v| v - base);
    (later, earlier)
}

/// Cost categories in report order (for output code).
pub fn cost_categories() -> Vec<String> {
    let mut v: Vec<String> = Channel::ALL.iter().map(|c| CostCat::Pay(*c).name()).collect();
    v.extend([
        CostCat::Hiring.name(),
        CostCat::PodLeads.name(),
        CostCat::SeniorTime.name(),
    ]);
    v
}
