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

pub mod coeffs;
pub mod diagnose;
pub mod export;
pub mod formulation;
pub mod lp;
mod search;
pub mod solve;
pub mod verify;

use crate::model::{Channel, Model, OptimiseSpec, PlanObjective, Role, HOURS_PER_WEEK};
use formulation::{fractions, CostCat, Estimates, Formulation};
use lp::{Group, Sense};
use solve::{Search, SolveError, Solved};
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
    /// Override of `time_limit_seconds` (per solve).
    pub time_limit_seconds: Option<f64>,
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

/// A binding constraint and what relaxing it is worth.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub group: Group,
    /// What binds, in words ("senior focus floor in weeks 10-14").
    pub what: String,
    /// Saving (USD) from relaxing it by one `unit`; negative when relaxing costs more.
    pub saving: f64,
    pub unit: String,
    /// The whole sentence.
    pub words: String,
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
    pub timed_out: bool,
}

/// The optimiser's answer for one deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub scenario: String,
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
    /// The week by which a start of `channel` in `week` must be requested (never before 0).
    pub fn request_week(&self, channel: Channel, week: f64) -> f64 {
        (week - self.lead_weeks[channel.index()]).max(0.0)
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
    Infeasible(Box<diagnose::Diagnosis>),
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
        contributors: (0..tn).map(|t| form.contributors(x, t)).collect(),
        leads: (0..tn)
            .map(|t| form.index.leads.get(t).map_or(0.0, |&j| x[j]))
            .collect(),
    }
}

/// Largest change of any overhead fraction between two sets of estimates.
fn fraction_change(c: &coeffs::Coeffs, a: &Estimates, b: &Estimates) -> f64 {
    (0..c.periods.len())
        .map(|t| {
            let (fa, fb) = (fractions(c, a, t), fractions(c, b, t));
            (fa.member - fb.member)
                .abs()
                .max((fa.senior - fb.senior).abs())
                .max((fa.lead - fb.lead).abs())
        })
        .fold(0.0, f64::max)
}

/// How much more overhead `actual` group sizes cause than `assumed` ones (0 if none):
/// the plan is optimistic by this much.
fn optimism(c: &coeffs::Coeffs, assumed: &Estimates, actual: &Estimates) -> f64 {
    (0..c.periods.len())
        .map(|t| {
            let (fa, fb) = (fractions(c, assumed, t), fractions(c, actual, t));
            (fb.member - fa.member)
                .max(fb.senior - fa.senior)
                .max(fb.lead - fa.lead)
        })
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
            for (n, o) in next.contributors.iter_mut().zip(&est.contributors) {
                *n = n.max(*o);
            }
            for (n, o) in next.leads.iter_mut().zip(&est.leads) {
                *n = n.max(*o);
            }
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
    seconds: f64,
    cancel: &AtomicBool,
) -> Result<Solution, Unsolved> {
    let started = Instant::now();
    let c = coeffs::derive(m, spec, deadline);
    let (mut form, relaxed, iters, converged) = fixed_point(&c, spec, Estimates::initial(&c), 25);
    let mut relaxed = relaxed.map_err(|e| Unsolved::new(form.clone(), e))?;
    let mut lp_solves = iters;
    for round in 0..3 {
        let left = (seconds - started.elapsed().as_secs_f64()).max(0.05);
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
            || started.elapsed().as_secs_f64() > seconds
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
        for (e, a) in est.contributors.iter_mut().zip(&actual.contributors) {
            *e = e.max(*a);
        }
        est.leads.clone_from(&actual.leads);
        form = formulation::build(&c, spec, &est);
        relaxed = solve::solve_lp(&form.lp).map_err(|e| Unsolved::new(form.clone(), e))?;
        lp_solves += 1;
    }
    unreachable!("the loop returns by its last round")
}

/// Runs the optimiser as the scenario's `[optimise]` section asks. Once
/// `cancel` is set (Ctrl-C) every search stops at its next LP solve and the
/// result is [`PlanError::Interrupted`].
pub fn optimise(m: &Model, opts: &Options, cancel: &AtomicBool) -> Result<Optimised, PlanError> {
    let spec = m.optimise.as_ref().ok_or(PlanError::NoSpec)?;
    let seconds = opts.time_limit_seconds.unwrap_or(spec.time_limit_seconds);
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
            error: SolveError::Infeasible | SolveError::NoIntegerPlan,
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
    seconds: f64,
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
/// parallel. Each gets `seconds` divided over the rounds the threads need, but
/// at least 5 s.
pub fn frontier(m: &Model, spec: &OptimiseSpec, seconds: f64, cancel: &AtomicBool) -> Vec<FrontierPoint> {
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
    let threads = rayon::current_num_threads().max(1);
    let rounds = deadlines.len().div_ceil(threads).max(1);
    let per = (seconds / rounds as f64).max(5.0);
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
                    error: SolveError::Infeasible,
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

fn weeks_list(periods: &[coeffs::Period], ts: &[usize]) -> String {
    // Contiguous runs of periods as week ranges: "weeks 3-7, 12".
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &t in ts {
        match runs.last_mut() {
            Some(r) if r.1 + 1 == t => r.1 = t,
            _ => runs.push((t, t)),
        }
    }
    let wk = |h: f64| format!("{}", (h / HOURS_PER_WEEK * 10.0).round() / 10.0);
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            let (s, e) = (periods[a].start, periods[b].end);
            if (e - s - HOURS_PER_WEEK).abs() < 1e-6 {
                wk(s)
            } else {
                format!("{}-{}", wk(s), wk(e))
            }
        })
        .collect();
    format!(
        "week{} {}",
        if runs.len() == 1 && runs[0].0 == runs[0].1 && periods[runs[0].0].weeks() <= 1.0 {
            ""
        } else {
            "s"
        },
        parts.join(", ")
    )
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
            overhead: fr.member,
        });
    }
    let cost: Vec<(String, f64)> = form.cost_breakdown(x).into_iter().map(|(k, v)| (k.name(), v)).collect();
    let binding = shadow_prices(form, x, spec);
    let sensitivity = deadline_sensitivity(m, spec, sol);
    let st = &m.strategies[spec.strategy];
    Plan {
        scenario: m.name.clone(),
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
            timed_out: sol.search.timed_out,
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
        let mut est = sol.form.estimates.clone();
        let (lc, ll) = (*est.contributors.last()?, *est.leads.last()?);
        est.contributors.resize(n, lc);
        est.leads.resize(n, ll);
        solve::solve_lp(&formulation::build(&c2, spec, &est).lp)
            .ok()
            .map(|s| s.objective)
    };
    let later = at(c.deadline + p).map(|v| base - v);
    let earlier = at(c.deadline - p).map(|v| v - base);
    (later, earlier)
}

/// Binding constraints of the plan with their shadow prices, from the LP with
/// the plan's integer decisions fixed (so prices hold those decisions).
pub fn shadow_prices(form: &Formulation, x: &[f64], spec: &OptimiseSpec) -> Vec<Binding> {
    let lp = solve::fix_integers(&form.lp, x);
    let Ok((sol, duals)) = solve::solve_lp_duals(&lp) else {
        return Vec::new();
    };
    let c = &form.coeffs;
    let money = |v: f64| crate::metrics::format::thousands(v.round());
    let binding_rows = |group: Group| -> Vec<(usize, f64)> {
        form.lp
            .rows
            .iter()
            .enumerate()
            .filter(|(k, r)| {
                r.group == group && {
                    let slack = (r.activity(&sol.x) - r.rhs).abs();
                    slack <= 1e-5 * (1.0 + r.rhs.abs()) && duals[*k].abs() > 1e-4
                }
            })
            .map(|(k, r)| (r.period.unwrap_or(0), duals[k]))
            .collect()
    };
    let mut out = Vec::new();
    let mut push = |group: Group, what: String, saving: f64, unit: &str, words: String| {
        out.push(Binding {
            group,
            what,
            saving,
            unit: unit.to_string(),
            words,
        });
    };
    // Seniors: relaxing the row by one hour = one more senior hour available in that period.
    let rows = binding_rows(Group::SeniorFocus);
    if !rows.is_empty() {
        let ts: Vec<usize> = rows.iter().map(|r| r.0).collect();
        let per_team_hour_week: f64 = rows.iter().map(|&(t, d)| -d * c.periods[t].weeks()).sum();
        let per_floor_hour = per_team_hour_week * c.seniors;
        let what = format!(
            "senior focus floor ({} h per senior per week) in {}",
            spec.senior_focus_floor_hours,
            weeks_list(&c.periods, &ts)
        );
        push(
            Group::SeniorFocus,
            what.clone(),
            per_team_hour_week,
            "senior hour per week",
            format!(
                "The {what} binds: one more senior hour per week would save ${}; lowering the floor by one hour per senior per week would save ${}.",
                money(per_team_hour_week),
                money(per_floor_hour)
            ),
        );
    }
    for (group, what, unit) in [
        (Group::Budget, "budget".to_string(), "dollar"),
        (
            Group::Access,
            format!("access cap ({} people)", spec.access_cap.unwrap_or(0.0)),
            "person",
        ),
    ] {
        if let Some(&(_, d)) = binding_rows(group).first() {
            push(
                group,
                what.clone(),
                -d,
                unit,
                format!("The {what} binds: one more {unit} allowed would save ${}.", money(-d)),
            );
        }
    }
    let rows = binding_rows(Group::BenchMax);
    if !rows.is_empty() {
        let ts: Vec<usize> = rows.iter().map(|r| r.0).collect();
        let s: f64 = rows.iter().map(|r| -r.1).sum();
        let what = format!(
            "bench cap ({} people) in {}",
            spec.bench_max,
            weeks_list(&c.periods, &ts)
        );
        push(
            Group::BenchMax,
            what.clone(),
            s,
            "bench seat",
            format!(
                "The {what} binds: one more bench seat in those weeks would save ${}.",
                money(s)
            ),
        );
    }
    for group in [Group::ChannelMax, Group::ChannelShare, Group::MinEmployees] {
        // Aggregate by row name without the period suffix. A share row relaxed by
        // one percentage point moves by 1 % of the contributors of its period.
        let mut by: Vec<(String, Vec<usize>, f64, f64)> = Vec::new();
        for (k, r) in form.lp.rows.iter().enumerate() {
            if r.group != group {
                continue;
            }
            let slack = (r.activity(&sol.x) - r.rhs).abs();
            if slack > 1e-5 * (1.0 + r.rhs.abs()) || duals[k].abs() <= 1e-4 {
                continue;
            }
            let key = r.name.rsplit_once("_t").map_or(r.name.clone(), |(a, _)| a.to_string());
            let t = r.period.unwrap_or(0);
            let scale = if group == Group::ChannelShare {
                0.01 * form.contributors(&sol.x, t)
            } else {
                1.0
            };
            let relax = scale
                * match r.sense {
                    Sense::Le => -duals[k],
                    _ => duals[k],
                };
            match by.iter_mut().find(|e| e.0 == key) {
                Some(e) => {
                    e.1.push(t);
                    e.2 += relax;
                }
                None => by.push((key, vec![t], relax, r.rhs)),
            }
        }
        for (key, ts, saving, rhs) in by {
            let weeks = weeks_list(&c.periods, &ts);
            let channel = |name: &str| Channel::ALL.into_iter().find(|ch| name.starts_with(ch.name()));
            let (what, relax) = if group == Group::MinEmployees {
                (
                    format!("minimum of {rhs} employees ({weeks})"),
                    "one employee fewer".to_string(),
                )
            } else if let Some(rest) = key.strip_prefix("share_max_") {
                let sh = channel(rest).and_then(|ch| spec.limits(ch).share_max).unwrap_or(0.0);
                (
                    format!("{rest} share cap ({:.0} % of contributors, {weeks})", 100.0 * sh),
                    "one percentage point more".to_string(),
                )
            } else if let Some(rest) = key.strip_prefix("share_min_") {
                let sh = channel(rest).and_then(|ch| spec.limits(ch).share_min).unwrap_or(0.0);
                (
                    format!("{rest} share floor ({:.0} % of contributors, {weeks})", 100.0 * sh),
                    "one percentage point less".to_string(),
                )
            } else if let Some(rest) = key.strip_prefix("max_") {
                match channel(rest) {
                    Some(ch) if rest.len() > ch.name().len() => {
                        let role = &rest[ch.name().len() + 1..];
                        (
                            format!("{} cap on {role} ({rhs} people, {weeks})", ch.name()),
                            format!("one more {} {role}", ch.name()),
                        )
                    }
                    Some(ch) => (
                        format!("{} channel cap ({rhs} people, {weeks})", ch.name()),
                        format!("one more {} seat", ch.name()),
                    ),
                    None => (format!("{key} ({weeks})"), "one more".to_string()),
                }
            } else {
                (format!("{key} ({weeks})"), "one unit".to_string())
            };
            let unit = if group == Group::ChannelShare {
                "percentage point"
            } else {
                "person"
            };
            push(
                group,
                what.clone(),
                saving,
                unit,
                format!(
                    "The {what} binds: {relax} in those weeks would save ${}.",
                    money(saving)
                ),
            );
        }
    }
    // Work: what one more hour (and one more item) of each backlog costs, in one line.
    let mut costs = Vec::new();
    for (k, r) in form.lp.rows.iter().enumerate() {
        if r.group != Group::Deadline || !r.name.starts_with("due_backlog_") || duals[k].abs() <= 1e-6 {
            continue;
        }
        let d = duals[k];
        if let Some(st) = c
            .streams
            .iter()
            .find(|s| r.name == format!("due_backlog_{}_w{}", clean_name(&s.name), s.ws))
        {
            out.push(Binding {
                group: Group::Deadline,
                what: format!("{} backlog by the deadline", st.name),
                saving: -d,
                unit: "effort hour".into(),
                words: format!("Each extra hour of {} effort costs ${d:.0}.", st.name),
            });
            costs.push(format!(
                "{} ${d:.0} (${} per item)",
                st.name,
                money(d * st.work_per_item)
            ));
        }
    }
    if !costs.is_empty() {
        // One summary line for the report; the per-stream entries stay for JSON.
        out.push(Binding {
            group: Group::Capacity,
            what: "marginal cost of work".into(),
            saving: 0.0,
            unit: "effort hour".into(),
            words: format!(
                "Marginal cost of one more effort hour due by the deadline (with rework): {}.",
                costs.join(", ")
            ),
        });
    }
    out
}

fn clean_name(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect()
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
