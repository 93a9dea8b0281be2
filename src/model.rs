//! The validated, immutable model a scenario describes.
//!
//! Everything here is in simulator units: time in working hours (1 day = 8 h,
//! 1 week = 40 h), rates per hour, probabilities in [0, 1]. Nothing downstream
//! of `scenario` ever sees raw input; if a value is in a `Model`, it has been
//! range-checked.

pub use crate::contract::{Contract, Pricing};
use crate::dist::Dist;

/// Working hours in a day and a week (MODEL.md §1).
pub const HOURS_PER_DAY: f64 = 8.0;
pub const HOURS_PER_WEEK: f64 = 40.0;
/// Working hours in a year: 52 weeks.
pub const HOURS_PER_YEAR: f64 = 52.0 * HOURS_PER_WEEK;

/// A person's role. Contributors' roles double as the skill a workstream needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    SeniorMl,
    MlEngineer,
    DomainExpert,
    DataQuality,
    Ops,
    PodLead,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::SeniorMl,
        Role::MlEngineer,
        Role::DomainExpert,
        Role::DataQuality,
        Role::Ops,
        Role::PodLead,
    ];
    /// Roles that can perform workstream items (a workstream's `skill`).
    pub const SKILLS: [Role; 4] = [Role::MlEngineer, Role::DomainExpert, Role::DataQuality, Role::Ops];
    pub const COUNT: usize = 6;

    pub fn name(self) -> &'static str {
        match self {
            Role::SeniorMl => "senior_ml",
            Role::MlEngineer => "ml_engineer",
            Role::DomainExpert => "domain_expert",
            Role::DataQuality => "data_quality",
            Role::Ops => "ops",
            Role::PodLead => "pod_lead",
        }
    }
    pub fn from_name(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == s)
    }
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn is_skill(self) -> bool {
        Role::SKILLS.contains(&self)
    }
}

/// How a person is sourced (MODEL.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Channel {
    #[default]
    Employee,
    Freelancer,
    Pod,
    Bench,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Employee, Channel::Freelancer, Channel::Pod, Channel::Bench];
    pub const COUNT: usize = 4;
    pub fn name(self) -> &'static str {
        match self {
            Channel::Employee => "employee",
            Channel::Freelancer => "freelancer",
            Channel::Pod => "pod",
            Channel::Bench => "bench",
        }
    }
    pub fn from_name(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == s)
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A time window in which arrivals are multiplied by `factor`.
#[derive(Clone, Debug, PartialEq)]
pub struct Surge {
    pub from_hours: f64,
    pub to_hours: f64,
    pub factor: f64,
}

/// A pipeline gate: items may start once `stream` has accepted `fraction` of its backlog.
#[derive(Clone, Debug, PartialEq)]
pub struct Gate {
    pub stream: usize,
    pub fraction: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workstream {
    pub name: String,
    pub skill: Role,
    pub backlog: u32,
    pub arrivals_per_hour: f64,
    pub surges: Vec<Surge>,
    /// Items that arrive at known times (hours, ascending): a schedule, such
    /// as a history's created dates in a backtest. They count with the
    /// backlog: the stream finishes when they are accepted too.
    pub scheduled: Vec<f64>,
    pub effort: Dist,
    pub after: Vec<Gate>,
    pub defect_rate: f64,
    pub questions_per_item: f64,
    pub deadline_hours: Option<f64>,
    /// How much items depend on each other's work, in [0, 1] (MODEL.md §5):
    /// scales the pairwise coordination loss of the groups doing this work.
    pub interdependence: f64,
}

impl Workstream {
    /// Items the stream must finish: its backlog and its scheduled arrivals.
    pub fn finite_items(&self) -> u32 {
        self.backlog + self.scheduled.len() as u32
    }

    /// Expected hands-on effort over the horizon (backlog and arrivals): the
    /// weight of this stream in its groups' interdependence (MODEL.md §5).
    pub fn expected_effort(&self, horizon_hours: f64) -> f64 {
        (self.finite_items() as f64 + self.expected_arrivals(0.0, horizon_hours)) * self.effort.mean()
    }

    /// Arrival rate (per hour) in force at time `t`, surges included.
    pub fn arrival_rate_at(&self, t: f64) -> f64 {
        let factor: f64 = self
            .surges
            .iter()
            .filter(|s| t >= s.from_hours && t < s.to_hours)
            .map(|s| s.factor)
            .product();
        self.arrivals_per_hour * factor
    }
    /// Expected number of arrivals in [a, b).
    pub fn expected_arrivals(&self, a: f64, b: f64) -> f64 {
        if b <= a || self.arrivals_per_hour == 0.0 {
            return 0.0;
        }
        // Integrate the piecewise-constant rate over its breakpoints.
        let mut points = vec![a, b];
        for s in &self.surges {
            for p in [s.from_hours, s.to_hours] {
                if p > a && p < b {
                    points.push(p);
                }
            }
        }
        points.sort_by(f64::total_cmp);
        points
            .windows(2)
            .map(|w| self.arrival_rate_at(w[0]) * (w[1] - w[0]))
            .sum()
    }
    /// Scheduled arrivals (`scheduled`, ascending) in [a, b).
    pub fn scheduled_between(&self, a: f64, b: f64) -> usize {
        let before = |t: f64| self.scheduled.partition_point(|&s| s < t);
        before(b).saturating_sub(before(a))
    }
    /// Items expected to arrive in [a, b): the Poisson arrivals' mean plus
    /// the scheduled ones. What a fluid model (the optimiser) counts as work
    /// arriving; the backlog is apart.
    pub fn expected_items_arriving(&self, a: f64, b: f64) -> f64 {
        self.expected_arrivals(a, b) + self.scheduled_between(a, b) as f64
    }
    /// The next time after `t` at which the arrival rate may change.
    pub fn next_rate_change(&self, t: f64) -> f64 {
        self.surges
            .iter()
            .flat_map(|s| [s.from_hours, s.to_hours])
            .filter(|&p| p > t)
            .fold(f64::INFINITY, f64::min)
    }
}

/// The client's senior ML engineers and how interruptions cost them.
#[derive(Clone, Debug, PartialEq)]
pub struct Seniors {
    pub count: u32,
    pub rate: f64,
    pub resume_hours: f64,
    pub focus_block_hours: f64,
    /// Time to handle one question or interruption.
    pub handling: Dist,
}

/// How coordination groups are formed (MODEL.md §4-§5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Groups {
    /// Individual: one group per skill, seniors as hubs; pods: each pod with
    /// its lead, and the leads with the seniors.
    Skill,
    /// Everyone in one all-to-all group (the Brooks validation).
    All,
}

/// Communication overhead: pairwise f(n) = min(cap, coefficient * i * n^2)
/// per coordination group, plus a hub cost per direct report (MODEL.md §5).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overhead {
    pub coefficient: f64,
    pub cap: f64,
    pub groups: Groups,
    /// Hours a coordinator spends per direct report per week.
    pub hub_hours_per_report_week: f64,
}

impl Overhead {
    /// Fraction of time lost by a member of a group of `n` people whose work
    /// has interdependence `i`.
    pub fn pairwise(&self, n: f64, i: f64) -> f64 {
        (self.coefficient * i * n * n).min(self.cap)
    }

    /// Fraction of time lost by a member of a group of `n` people.
    pub fn fraction(&self, n: usize) -> f64 {
        self.fraction_of(n as f64)
    }

    /// The same for a fractional group size (the optimiser's fluid headcounts).
    pub fn fraction_of(&self, n: f64) -> f64 {
        (self.coefficient * n * n).min(self.cap)
    }

    /// The coordination losses of MODEL.md §5 for (possibly fractional) group
    /// sizes, with pods filled evenly: the simulator's rules
    /// (`sim::engine::coordination`) in fluid form, for the optimiser.
    /// `interdependence` is [`Model::interdependence`] by role and of all work.
    pub fn losses(&self, structure: Structure, sizes: &GroupSizes, interdependence: &Interdependence) -> Coordination {
        let n: f64 = sizes.by_role.iter().sum();
        let (s, l) = (sizes.seniors, sizes.leads);
        let i_all = interdependence.all;
        let hub = self.hub_hours_per_report_week;
        let with_seniors = |h: f64| if s > 0.0 { h } else { 0.0 };
        match (structure, self.groups) {
            (Structure::Individual, Groups::Skill) => Coordination {
                member: Role::ALL.map(|r| self.pairwise(sizes.by_role[r.index()], interdependence.by_role[r.index()])),
                senior: 0.0,
                lead: 0.0,
                senior_hub_per_report: with_seniors(hub),
                lead_hub_per_member: 0.0,
            },
            (Structure::Individual, Groups::All) => Coordination {
                member: [self.pairwise(n + s, i_all); Role::COUNT],
                senior: self.pairwise(n + s, i_all),
                lead: 0.0,
                senior_hub_per_report: with_seniors(hub),
                lead_hub_per_member: 0.0,
            },
            (Structure::Pods, Groups::Skill) => {
                let pod = self.pairwise(n / l.max(1.0) + 1.0, i_all);
                let top = self.pairwise(l + s, i_all);
                Coordination {
                    member: [pod; Role::COUNT],
                    senior: top,
                    lead: (pod + top).min(self.cap),
                    senior_hub_per_report: with_seniors(hub),
                    lead_hub_per_member: hub,
                }
            }
            (Structure::Pods, Groups::All) => {
                let f = self.pairwise(n + l + s, i_all);
                Coordination {
                    member: [f; Role::COUNT],
                    senior: f,
                    lead: f,
                    senior_hub_per_report: with_seniors(hub),
                    lead_hub_per_member: hub,
                }
            }
        }
    }
}

/// Sizes of the coordination groups at one moment (fluid: may be fractional).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupSizes {
    /// Contributors by role (`Role::index`).
    pub by_role: [f64; Role::COUNT],
    /// Pod leads (pods).
    pub leads: f64,
    pub seniors: f64,
}

/// Interdependence of the work (MODEL.md §5): by role and of all work.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interdependence {
    pub by_role: [f64; Role::COUNT],
    pub all: f64,
}

/// Coordination losses for given group sizes (MODEL.md §5).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Coordination {
    /// Pairwise share of time a contributor of each role loses.
    pub member: [f64; Role::COUNT],
    /// Pairwise share of time a senior loses.
    pub senior: f64,
    /// Share of time a pod lead loses (its pod and the leads-with-seniors group, capped).
    pub lead: f64,
    /// Senior hours per week per direct report (a contributor in the
    /// individual structure, a pod lead in pods), summed over the seniors.
    pub senior_hub_per_report: f64,
    /// Pod-lead hours per week per pod member.
    pub lead_hub_per_member: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quality {
    pub detect_prob: f64,
    pub rework_fraction: f64,
    pub escape_delay_hours: f64,
    pub triage_hours: f64,
    /// Extra cost of an escape still unfound when the programme finishes.
    pub cost_per_escaped_defect: f64,
}

/// Per-channel parameters (MODEL.md §3 table), after scenario overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelParams {
    /// Hourly rate by role index (`Role::index`).
    pub rate: [f64; Role::COUNT],
    pub lead_hours: f64,
    pub ramp_start: f64,
    pub ramp_hours: f64,
    /// Mentor load of one ramping newcomer, in FTE of a senior (individual) or pod lead (pods).
    pub mentor_fte: f64,
    /// Hazard of leaving, per working hour (0 = never leaves by attrition).
    pub attrition_per_hour: f64,
    pub handover_loss: f64,
    pub quality_factor: f64,
    pub productivity: f64,
    pub hire_cost: f64,
    /// With `start = "new"`: the earliest this channel's first people start.
    pub setup_hours: f64,
    /// The optimiser may plan fractional FTE here (`part_time = true`).
    pub part_time: bool,
}

impl ChannelParams {
    /// Productivity multiplier of a newcomer `since_join` hours after joining.
    pub fn ramp_factor(&self, since_join: f64) -> f64 {
        if self.ramp_hours <= 0.0 || since_join >= self.ramp_hours {
            1.0
        } else {
            self.ramp_start + (1.0 - self.ramp_start) * since_join.max(0.0) / self.ramp_hours
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    Individual,
    Pods,
}

impl Structure {
    pub fn name(self) -> &'static str {
        match self {
            Structure::Individual => "individual",
            Structure::Pods => "pods",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InterruptPolicy {
    Immediate,
    OfficeHours { every_hours: f64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pods {
    pub count: u32,
    pub size: u32,
    pub max_size: u32,
    pub lead_resolves: f64,
    pub escalation_every_hours: f64,
    pub governance_hours_per_week: f64,
    pub senior_sync_hours_per_week: f64,
    pub margin: f64,
    pub lead_channel: Channel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalingPolicy {
    Static,
    Hiring,
    ElasticBench,
}

impl ScalingPolicy {
    pub fn name(self) -> &'static str {
        match self {
            ScalingPolicy::Static => "static",
            ScalingPolicy::Hiring => "hiring",
            ScalingPolicy::ElasticBench => "elastic_bench",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    pub policy: ScalingPolicy,
    pub review_every_hours: f64,
    pub bench_max: u32,
    pub bench_premium: f64,
    pub release_below: f64,
    pub cooldown_weeks: u32,
    pub min_hours: f64,
    pub hire_channel: Channel,
    pub max_hires: u32,
    /// Queued arrived work, in weeks of a skill's capacity, above which the
    /// controller requests people (0: the deadline forecast only).
    pub queue_target_weeks: f64,
    /// Share of the queue-load gap requested per review.
    pub damping: f64,
}

/// How a strategy's initial roster starts (MODEL.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// On board and fully ramped at week 0.
    Existing,
    /// Requested at week 0: joins through its channels (lead time, setup, ramp).
    New,
}

impl Start {
    pub fn name(self) -> &'static str {
        match self {
            Start::Existing => "existing",
            Start::New => "new",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TeamEntry {
    pub role: Role,
    pub channel: Channel,
    pub count: u32,
}

/// A planned roster change: `count` people of `role` from `channel` start (or, if
/// negative, are released) at `at_hours`.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterChange {
    pub at_hours: f64,
    pub role: Role,
    pub channel: Channel,
    pub count: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Strategy {
    pub name: String,
    pub structure: Structure,
    pub interrupt_policy: InterruptPolicy,
    pub review_fraction: f64,
    pub review_hours: f64,
    pub ops_requests_per_contributor_hour: f64,
    pub ops_request_hours: f64,
    pub pods: Option<Pods>,
    /// The provider's margin on pod and bench seats: `pods.margin` when the
    /// strategy has pods, else the pods section's default (bench seats are
    /// provider seats under either structure).
    pub pod_margin: f64,
    pub scaling: Scaling,
    pub start: Start,
    pub team: Vec<TeamEntry>,
    pub plan: Vec<RosterChange>,
    /// The contract ([`Model::contracts`] index) each channel's provider
    /// works under; `None`: time and materials without terms.
    pub terms: [Option<usize>; Channel::COUNT],
}

impl Strategy {
    /// The seat rate of this strategy's people of a skill: the channel of its
    /// first team entry of that role, else the channel it hires through.
    /// Prices work done for the strategy after it has finished (rework of
    /// escapes found post-delivery, MODEL.md §7).
    pub fn skill_rate(&self, m: &Model, role: Role) -> f64 {
        let channel = self
            .team
            .iter()
            .find(|t| t.role == role)
            .map_or(self.scaling.hire_channel, |t| t.channel);
        self.seat_rate(m, role, channel)
    }

    /// The contract `channel`'s provider works under in this strategy.
    pub fn contract<'m>(&self, m: &'m Model, channel: Channel) -> Option<&'m Contract> {
        self.terms[channel.index()].map(|k| &m.contracts[k])
    }

    /// Whether any of this strategy's providers works under a contract.
    pub fn has_contracts(&self) -> bool {
        self.terms.iter().any(Option::is_some)
    }

    pub fn initial_headcount(&self) -> u32 {
        self.team.iter().map(|t| t.count).sum()
    }

    /// Price of one paid hour of a `role` seat sourced through `channel`
    /// (MODEL.md §8): the channel's base rate, plus the provider's margin on
    /// pod and bench seats, times the bench premium on bench seats. The one
    /// place this is written: the simulator's cost and the optimiser's
    /// coefficients both call it.
    pub fn seat_rate(&self, m: &Model, role: Role, channel: Channel) -> f64 {
        let base = m.channel(channel).rate[role.index()];
        match channel {
            Channel::Pod => base * (1.0 + self.pod_margin),
            Channel::Bench => base * (1.0 + self.pod_margin) * self.scaling.bench_premium,
            _ => base,
        }
    }
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub name: String,
    pub description: Option<String>,
    pub seed: u64,
    pub replications: u32,
    pub horizon_hours: f64,
    pub warmup_hours: f64,
    pub deadline_hours: Option<f64>,
    pub start_date: Option<String>,
    pub workstreams: Vec<Workstream>,
    pub seniors: Seniors,
    pub overhead: Overhead,
    pub quality: Quality,
    pub channels: [ChannelParams; Channel::COUNT],
    pub strategies: Vec<Strategy>,
    /// Providers' commercial terms (`[contract.*]`), in name order.
    pub contracts: Vec<Contract>,
    /// The optimiser's settings (`[optimise]`), when the scenario has them.
    pub optimise: Option<OptimiseSpec>,
}

impl Model {
    /// Effort-weighted mean interdependence of the workstreams of `skill`, or
    /// of every workstream with `None` (MODEL.md §5); 1 where there is no
    /// work to weigh (the conservative Brooks value).
    pub fn interdependence(&self, skill: Option<Role>) -> f64 {
        let (mut weighted, mut total) = (0.0, 0.0);
        for w in self.workstreams.iter().filter(|w| skill.is_none_or(|s| w.skill == s)) {
            let e = w.expected_effort(self.horizon_hours);
            weighted += e * w.interdependence;
            total += e;
        }
        if total > 0.0 {
            weighted / total
        } else {
            1.0
        }
    }

    /// [`Model::interdependence`] of every role and of all work.
    pub fn interdependences(&self) -> Interdependence {
        Interdependence {
            by_role: Role::ALL.map(|r| self.interdependence(Some(r))),
            all: self.interdependence(None),
        }
    }

    pub fn channel(&self, c: Channel) -> &ChannelParams {
        &self.channels[c.index()]
    }
    pub fn horizon_weeks(&self) -> f64 {
        self.horizon_hours / HOURS_PER_WEEK
    }
    /// Whether any workstream has a finite backlog (then the project has a finish).
    pub fn has_backlog(&self) -> bool {
        self.workstreams.iter().any(|w| w.finite_items() > 0)
    }
    /// Total expected hands-on effort of the backlogs plus expected arrivals within the horizon.
    pub fn expected_effort_hours(&self) -> f64 {
        self.workstreams
            .iter()
            .map(|w| {
                let items = w.finite_items() as f64 + w.expected_arrivals(0.0, self.horizon_hours);
                items * w.effort.mean()
            })
            .sum()
    }
    /// Whether any strategy works under a contract (then runs report the
    /// providers' revenue, cost and margin).
    pub fn has_contracts(&self) -> bool {
        self.strategies.iter().any(Strategy::has_contracts)
    }
    pub fn workstream_index(&self, name: &str) -> Option<usize> {
        self.workstreams.iter().position(|w| w.name == name)
    }
}

/// Length of one planning period of the optimiser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanPeriod {
    Week,
    /// A twelfth of a 52-week year: 52/12 weeks.
    Month,
}

impl PlanPeriod {
    pub fn name(self) -> &'static str {
        match self {
            PlanPeriod::Week => "week",
            PlanPeriod::Month => "month",
        }
    }
    /// Working hours in one period.
    pub fn hours(self) -> f64 {
        match self {
            PlanPeriod::Week => HOURS_PER_WEEK,
            PlanPeriod::Month => HOURS_PER_YEAR / 12.0,
        }
    }
}

/// What the optimiser minimises (MODEL.md §11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanObjective {
    /// Minimum cost that meets the deadline.
    Cost,
    /// Earliest deadline that can be met within the budget (then minimum cost at it).
    Finish,
    /// The cost-vs-deadline frontier (and the minimum-cost plan at the deadline).
    Frontier,
}

impl PlanObjective {
    pub fn name(self) -> &'static str {
        match self {
            PlanObjective::Cost => "cost",
            PlanObjective::Finish => "finish",
            PlanObjective::Frontier => "frontier",
        }
    }
}

/// Where the roster at week 0 comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialTeam {
    /// The base strategy's `team` is on board at week 0 (it may be released later).
    Strategy,
    /// The optimiser chooses the week-0 roster (on board and ramped at week 0).
    Optimise,
}

impl InitialTeam {
    pub fn name(self) -> &'static str {
        match self {
            InitialTeam::Strategy => "strategy",
            InitialTeam::Optimise => "optimise",
        }
    }
}

/// The optimiser's limits on one sourcing channel.
#[derive(Clone, Debug, PartialEq)]
pub struct ChannelLimits {
    /// Whether the optimiser may staff from this channel at all.
    pub allowed: bool,
    /// Headcount cap over all roles, in every period.
    pub max: Option<f64>,
    /// Headcount cap per role (`Role::index`), in every period.
    pub max_by_role: [Option<f64>; Role::COUNT],
    /// Bounds on this channel's share of all contributors, in every period.
    pub share_min: Option<f64>,
    pub share_max: Option<f64>,
    /// Minimum engagement before a planned start may be released.
    pub min_hours: f64,
    /// Releases happen no earlier than this after week 0 (the plan is made at week 0).
    pub notice_hours: f64,
}

impl ChannelLimits {
    /// Whether the optimiser may plan `role` seats through this channel.
    pub fn staffs(&self, role: Role) -> bool {
        self.allowed && self.max_by_role[role.index()].is_none_or(|x| x > 0.0) && self.max.is_none_or(|x| x > 0.0)
    }
}

/// Which deadlines the cost-vs-deadline frontier visits.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierSpec {
    pub from_hours: f64,
    pub to_hours: f64,
    pub step_hours: f64,
}

/// Validated `[optimise]` settings (docs/OPTIMISER.md).
#[derive(Clone, Debug, PartialEq)]
pub struct OptimiseSpec {
    /// Index of the strategy whose structure, policies and team the optimiser plans for.
    pub strategy: usize,
    pub period: PlanPeriod,
    pub deadline_hours: f64,
    pub objective: PlanObjective,
    /// Cap on the total planned cost.
    pub budget: Option<f64>,
    /// Cap on distinct people granted access over the plan.
    pub access_cap: Option<f64>,
    /// Cap on bench headcount in every period.
    pub bench_max: f64,
    /// Employees on the roster in every period, at least.
    pub min_employees: f64,
    /// Focus hours per senior per week that questions, reviews, syncs, triage,
    /// mentoring and coordination may not eat into.
    pub senior_focus_floor_hours: f64,
    /// Whole people in every channel that does not allow part-time (and whole
    /// pod leads); `false` solves the LP only.
    pub integer: bool,
    /// Share of effective capacity the plan may load (a buffer for variability).
    pub max_utilisation: f64,
    /// Arrivals must be processed within this many hours of arriving.
    pub arrival_service_hours: f64,
    pub initial_team: InitialTeam,
    /// Optional wall-clock cap of one solve (seconds); none by default.
    pub time_limit_seconds: Option<f64>,
    /// LP solves one solve may make: the search budget that decides the plan.
    pub work_limit: usize,
    /// Relative gap at which the search stops.
    pub mip_gap: f64,
    pub channels: [ChannelLimits; Channel::COUNT],
    pub frontier: FrontierSpec,
}

impl OptimiseSpec {
    pub fn limits(&self, c: Channel) -> &ChannelLimits {
        &self.channels[c.index()]
    }
}
