//! The optimiser's plain values: the request's errors and options, the
//! [`Plan`] that `output` writes, the frontier and the outcomes of a solve.

use super::*;

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
    pub(super) fn new(form: Formulation, error: SolveError) -> Self {
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
