//! The scenario schema: one entry per field of a scenario file.
//!
//! In the spirit of ripgrep's `flags/defs.rs`, each field is written down
//! once — path pattern, type, range, default, source of the default, one-line
//! doc — and everything else reads it: `validate` takes ranges and defaults
//! from here, `sweep::path` takes types and ranges, `podsim show` prints
//! defaults with their sources, and the reference section of
//! docs/SCENARIO.md is generated from [`FIELDS`] (a test keeps it current).
//!
//! Path patterns use `*` for a name chosen by the file (a workstream, a
//! strategy, a channel, a role) and `[*]` for a list element:
//! `workstream.*.surge[*].factor`, `channels.*.rates.*`.
//!
//! Longer than ~800 lines on purpose: it is the one table of every field,
//! and splitting it would give a field two homes.
//!
//! The `[optimise]` table has its own schema (docs/OPTIMISER.md,
//! `scenario::optimise`); it is not listed here (`podsim show` copies it
//! as the file wrote it).

use super::validate::limits;

/// What a field holds, in the words errors and docs use.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Type {
    /// Any finite number within the range.
    Number,
    /// A whole number within the range.
    Whole,
    /// Free text.
    Text,
    /// One of a fixed list of words.
    Choice(&'static [&'static str]),
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Bool,
    /// A distribution table tagged by `dist` (parameters in [`DIST_PARAMS`]).
    Dist,
}

/// The value a field takes when the file leaves it out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Default {
    /// The file must give it.
    Required,
    /// Optional without a default; the text says what leaving it out means.
    Unset(&'static str),
    Num(f64),
    Text(&'static str),
    /// Per channel, in the order of [`CHANNELS`]; `None` where the channel
    /// uses another field instead (mean tenure: attrition is the default).
    PerChannel([Option<f64>; 4]),
    /// Per channel and role: [`CHANNEL_RATES`].
    Rates,
    /// Depends on the strategy's structure.
    ByStructure {
        individual: f64,
        pods: f64,
    },
    /// Computed from other fields; the text says how.
    Rule(&'static str),
    /// A distribution, as the file would write it.
    Dist(&'static str),
    /// An empty list.
    Empty,
}

/// One field of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    /// Path pattern, e.g. `strategy.*.pods.lead_resolves`.
    pub path: &'static str,
    pub ty: Type,
    /// What the value is, for "expected ..." messages: "a probability", "hours".
    pub noun: &'static str,
    pub lo: f64,
    pub hi: f64,
    /// The lower bound itself is invalid (the field must be positive).
    pub lo_open: bool,
    /// Also bounded above by the scenario's `horizon_weeks`.
    pub within_horizon: bool,
    /// An assumption `sensitivity` varies by default (not a run setting such
    /// as the horizon).
    pub assumption: bool,
    pub default: Default,
    /// Where the default comes from: a citation or "estimate".
    pub source: &'static str,
    pub doc: &'static str,
}

const INF: f64 = f64::INFINITY;

const fn field(path: &'static str, ty: Type, noun: &'static str, lo: f64, hi: f64) -> Field {
    Field {
        path,
        ty,
        noun,
        lo,
        hi,
        lo_open: false,
        within_horizon: false,
        assumption: true,
        default: Default::Required,
        source: "",
        doc: "",
    }
}
const fn number(path: &'static str, noun: &'static str, lo: f64, hi: f64) -> Field {
    field(path, Type::Number, noun, lo, hi)
}
const fn whole(path: &'static str, lo: f64, hi: f64) -> Field {
    field(path, Type::Whole, "a whole number", lo, hi)
}
const fn prob(path: &'static str) -> Field {
    number(path, "a probability", 0.0, 1.0)
}
const fn non_negative(path: &'static str) -> Field {
    number(path, "a number", 0.0, INF)
}
const fn positive(path: &'static str) -> Field {
    number(path, "a number", 0.0, INF).open()
}
const fn week(path: &'static str) -> Field {
    number(path, "a week", 0.0, limits::MAX_HORIZON_WEEKS).horizon()
}
const fn text(path: &'static str) -> Field {
    field(path, Type::Text, "text", 0.0, 0.0)
}
const fn choice(path: &'static str, words: &'static [&'static str]) -> Field {
    field(path, Type::Choice(words), "one of the listed words", 0.0, 0.0)
}

impl Field {
    const fn open(mut self) -> Self {
        self.lo_open = true;
        self
    }
    const fn horizon(mut self) -> Self {
        self.within_horizon = true;
        self
    }
    const fn setting(mut self) -> Self {
        self.assumption = false;
        self
    }
    const fn default(mut self, d: Default) -> Self {
        self.default = d;
        self
    }
    const fn num(self, x: f64) -> Self {
        self.default(Default::Num(x))
    }
    const fn unset(self, meaning: &'static str) -> Self {
        self.default(Default::Unset(meaning))
    }
    const fn src(mut self, source: &'static str) -> Self {
        self.source = source;
        self
    }
    const fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    /// The default as a number, for fields with one fixed default.
    pub fn default_num(&self) -> f64 {
        match self.default {
            Default::Num(x) => x,
            d => unreachable!("`{}` has no single numeric default ({d:?})", self.path),
        }
    }

    /// The channel's default, for per-channel fields.
    pub fn channel_default(&self, channel: usize) -> Option<f64> {
        match self.default {
            Default::PerChannel(v) => v[channel],
            Default::Num(x) => Some(x),
            d => unreachable!("`{}` has no per-channel default ({d:?})", self.path),
        }
    }

    /// The range in plain words: "between 0 and 1", "≥ 0", "> 0".
    pub fn range_words(&self) -> String {
        let hi = if self.within_horizon {
            if self.hi == INF || self.hi == limits::MAX_HORIZON_WEEKS {
                "the horizon".to_string()
            } else {
                format!("{} (and the horizon)", num_words(self.hi))
            }
        } else {
            num_words(self.hi)
        };
        match (self.lo_open, self.hi == INF) {
            (false, true) => format!("≥ {}", num_words(self.lo)),
            (true, true) => format!("> {}", num_words(self.lo)),
            (false, false) => format!("between {} and {hi}", num_words(self.lo)),
            (true, false) => format!("above {} and at most {hi}", num_words(self.lo)),
        }
    }

    /// The type in plain words, for docs and messages: "a number ≥ 0".
    pub fn type_words(&self) -> String {
        match self.ty {
            Type::Number | Type::Whole => {
                let noun = if self.ty == Type::Whole {
                    "a whole number"
                } else {
                    "a number"
                };
                format!("{noun} {}", self.range_words())
            }
            Type::Text => "text".into(),
            Type::Choice(words) => format!(
                "one of {}",
                words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ")
            ),
            Type::Date => "a date, \"YYYY-MM-DD\"".into(),
            Type::Bool => "true or false".into(),
            Type::Dist => "a distribution".into(),
        }
    }

    /// What "expected ..." says for a value out of range: "a probability
    /// between 0 and 1", "minutes between 0 and 480", "a number ≥ 0".
    pub fn expected(&self) -> String {
        let noun = if self.ty == Type::Whole && self.noun == "a number" {
            "a whole number"
        } else {
            self.noun
        };
        format!("{noun} {}", self.range_words())
    }

    /// Whether `x` is within the field's fixed range (the horizon is checked
    /// by the caller, which knows it).
    pub fn accepts(&self, x: f64) -> bool {
        x.is_finite() && (x > self.lo || (!self.lo_open && x == self.lo)) && x <= self.hi
    }

    /// The default in words, for docs.
    pub fn default_words(&self) -> String {
        match self.default {
            Default::Required => "required".into(),
            Default::Unset(_) => "—".into(),
            Default::Num(x) => num_words(x),
            Default::Text(t) if self.ty == Type::Bool => t.to_string(),
            Default::Text(t) => format!("\"{t}\""),
            Default::PerChannel(v) if v.iter().all(Option::is_none) => "—".into(),
            Default::PerChannel(v) => CHANNELS
                .iter()
                .zip(v)
                .filter_map(|(c, x)| x.map(|x| format!("{c} {}", num_words(x))))
                .collect::<Vec<_>>()
                .join(", "),
            Default::Rates => "per channel and role (table below)".into(),
            Default::ByStructure { individual, pods } => {
                format!("{} individual, {} pods", num_words(individual), num_words(pods))
            }
            Default::Rule(r) => r.into(),
            Default::Dist(d) => d.into(),
            Default::Empty => "[]".into(),
        }
    }
}

/// A number as docs write it: 0.5, 120, 10000.
pub fn num_words(x: f64) -> String {
    if x == INF {
        "∞".into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Channel names, in the order of `Channel::ALL` and of per-channel defaults.
pub const CHANNELS: [&str; 4] = ["employee", "freelancer", "pod", "bench"];
/// Roles a channel prices (`channels.*.rates.*`); senior ML engineers are
/// priced by `seniors.rate`.
pub const RATE_ROLES: [&str; 5] = ["ml_engineer", "domain_expert", "data_quality", "ops", "pod_lead"];
/// Skills a workstream may need.
pub const SKILLS: &[&str] = &["ml_engineer", "domain_expert", "data_quality", "ops"];
/// Roles a team or plan lists (pod leads come with the pods).
pub const TEAM_ROLES: &[&str] = &["ml_engineer", "domain_expert", "data_quality", "ops"];

/// Default loaded rates per hour by channel ([`CHANNELS`]) and role
/// ([`RATE_ROLES`]): illustrative USD, about 1.43x wages (US BLS
/// employer-cost data).
pub const CHANNEL_RATES: [[f64; 5]; 4] = [
    [95.0, 75.0, 55.0, 60.0, 90.0],
    [90.0, 65.0, 45.0, 55.0, 85.0],
    [80.0, 60.0, 40.0, 45.0, 75.0],
    [80.0, 60.0, 40.0, 45.0, 75.0],
];
pub const CHANNEL_RATES_SOURCE: &str = "illustrative loaded USD/hour, about 1.43x wages (US BLS employer-cost data)";

// Top level.
pub const NAME: Field = text("name").doc("shown in reports");
pub const DESCRIPTION: Field = text("description").unset("no description").doc("free text");
pub const SEED: Field = whole("seed", 0.0, u64::MAX as f64)
    .setting()
    .num(42.0)
    .src("a fixed choice, so runs repeat")
    .doc("random seed (`--seed` overrides)");
pub const REPLICATIONS: Field = whole("replications", 1.0, limits::MAX_REPLICATIONS as f64)
    .setting()
    .num(100.0)
    .src("enough for a first comparison; `--target` decides precisely")
    .doc("replications per strategy (`--reps` overrides)");
pub const HORIZON_WEEKS: Field = number("horizon_weeks", "a horizon in weeks", 1.0, limits::MAX_HORIZON_WEEKS)
    .setting()
    .num(104.0)
    .src("two years, long enough for most programmes to finish")
    .doc("every run stops here; unfinished work is reported as censored (the limit keeps one replication's event count bounded)");
pub const WARMUP_WEEKS: Field = number("warmup_weeks", "weeks", 0.0, limits::MAX_HORIZON_WEEKS)
    .horizon()
    .setting()
    .num(0.0)
    .src("no warm-up: a programme starts empty")
    .doc("items arriving earlier are excluded from steady-state statistics (queue waits, Little's law); must end before the horizon");
pub const DEADLINE_WEEKS: Field = number("deadline_weeks", "a deadline in weeks", 0.0, limits::MAX_HORIZON_WEEKS)
    .open()
    .horizon()
    .unset("no programme deadline")
    .doc(
        "the programme deadline; drives the `hiring` and `elastic_bench` controllers and the deadline marks in reports",
    );
pub const START_DATE: Field = field("start_date", Type::Date, "a date", 0.0, 0.0)
    .unset("weeks are numbered, not dated")
    .doc("calendar date of week 0");

// Workstreams.
pub const WS_NAME: Field = text("workstream.*.name").doc("unique, e.g. `annotation`");
pub const WS_SKILL: Field = choice("workstream.*.skill", SKILLS).doc("role that performs it");
pub const WS_BACKLOG: Field = whole("workstream.*.backlog", 0.0, limits::MAX_BACKLOG_PER_STREAM as f64)
    .num(0.0)
    .src("no backlog")
    .doc("items present at week 0");
pub const WS_ARRIVALS: Field = non_negative("workstream.*.arrivals_per_week")
    .num(0.0)
    .src("no arrivals")
    .doc("Poisson arrivals (a stream needs a backlog or arrivals)");
pub const WS_ARRIVALS_AT: Field = week("workstream.*.arrivals_at_weeks")
    .setting()
    .unset("no scheduled arrivals")
    .doc("a list of weeks at which one item each arrives (a known schedule; `podsim backtest` writes the history's created dates here); they count with the backlog: the stream finishes when they are accepted too. Not with `arrivals_per_week`");
pub const WS_SURGE_FROM: Field = week("workstream.*.surge[*].from_week").doc("a surge starts here");
pub const WS_SURGE_TO: Field = week("workstream.*.surge[*].to_week").doc("... and ends here (after from_week)");
pub const WS_SURGE_FACTOR: Field = number("workstream.*.surge[*].factor", "a factor", 0.0, 1000.0)
    .doc("arrivals are multiplied by this in [from_week, to_week)");
pub const WS_EFFORT: Field = field("workstream.*.effort_hours", Type::Dist, "a distribution", 0.0, 0.0)
    .doc("hands-on hours of one item at productivity 1");
pub const WS_AFTER_STREAM: Field = text("workstream.*.after[*].stream")
    .doc("items may start once this workstream (with a backlog) has accepted `fraction` of it; cycles are rejected");
pub const WS_AFTER_FRACTION: Field = number("workstream.*.after[*].fraction", "a fraction", 0.0, 1.0)
    .doc("share of `stream`'s backlog that must be accepted first");
pub const WS_DEFECT_RATE: Field = prob("workstream.*.defect_rate")
    .num(0.05)
    .src("label-error studies find >= 3.3 % in public annotated datasets, Northcutt et al. 2021 (MODEL.md §2)")
    .doc("chance an item is defective, before the channel's quality factor");
pub const WS_INTERDEPENDENCE: Field = number("workstream.*.interdependence", "a share", 0.0, 1.0)
    .default(Default::Rule(
        "1.0 for `ml_engineer` and `ops` work, 0.25 for `domain_expert` and `data_quality` work",
    ))
    .src("estimate: software-like work is coupled, item-level work is independent (MODEL.md §5)")
    .doc("how much the stream's items depend on each other's work; scales the pairwise coordination loss of the groups doing it");
pub const WS_QUESTIONS: Field = number(
    "workstream.*.questions_per_item",
    "a mean number of questions",
    0.0,
    limits::MAX_QUESTIONS_PER_ITEM,
)
.num(0.5)
.src("estimate (MODEL.md §2)")
.doc("mean of the Poisson number of questions an item raises");
pub const WS_DEADLINE: Field = number(
    "workstream.*.deadline_weeks",
    "a deadline in weeks",
    0.0,
    limits::MAX_HORIZON_WEEKS,
)
.horizon()
.unset("no deadline of its own")
.doc("this stream's own deadline (informational)");

// Seniors.
pub const SENIORS_COUNT: Field = whole("seniors.count", 0.0, limits::MAX_SENIORS as f64)
    .num(0.0)
    .src("no seniors unless the file says so")
    .doc("a strategy that routes questions, reviews, ops requests or defect triage to seniors needs at least one");
pub const SENIORS_RATE: Field = non_negative("seniors.rate")
    .num(120.0)
    .src(CHANNEL_RATES_SOURCE)
    .doc("per hour; the cost counts the senior hours the programme consumes (everything but focus)");
pub const SENIORS_RESUME: Field = number("seniors.resume_minutes", "minutes", 0.0, 480.0)
    .num(12.0)
    .src("resumption lags of 1-23 min: Parnin & Rugaber ~10-15, Mark et al. 23 (MODEL.md §6)")
    .doc("recovery after each interruption");
pub const SENIORS_FOCUS_BLOCK: Field = number(
    "seniors.focus_block_minutes",
    "minutes (a working day at most)",
    1.0,
    480.0,
)
.num(120.0)
.src("estimate (MODEL.md §6)")
.doc("an unbroken focus stretch of at least this long counts as deep focus");
pub const SENIORS_HANDLING: Field = field("seniors.handling_minutes", Type::Dist, "a distribution", 0.0, 0.0)
    .default(Default::Dist("{ dist = \"lognormal\", mean = 15.0, cv = 1.0 }"))
    .src("estimate (MODEL.md §6)")
    .doc("time to handle one question");

// Overhead and quality.
pub const OVERHEAD_GROUPS: Field = choice("overhead.groups", &["skill", "all"])
    .default(Default::Text("skill"))
    .src("MODEL.md §4-§5")
    .doc("coordination groups: `skill` (individual: one group per skill, seniors as hubs; pods: each pod with its lead, and the leads with the seniors) or `all` (one group of everyone, the Brooks validation)");
pub const OVERHEAD_HUB_HOURS: Field = non_negative("overhead.coordination_hours_per_report_week")
    .num(0.5)
    .src("estimate: a short status touch and guideline update per report (MODEL.md §5)")
    .doc("hub cost: hours a coordinator (senior or pod lead) spends per direct report per week");
pub const OVERHEAD_COEFFICIENT: Field = number("overhead.coefficient", "a coefficient", 0.0, 1.0)
    .num(0.0006)
    .src("Abdel-Hamid & Madnick's table, calibrated on software development (MODEL.md §5)")
    .doc("pairwise loss of a member of a coordination group of n is min(cap, coefficient · interdependence · n²)");
pub const OVERHEAD_CAP: Field = number("overhead.cap", "a cap (people must keep some working time)", 0.0, 0.95)
    .num(0.8)
    .src("Abdel-Hamid & Madnick (MODEL.md §5)")
    .doc("the most of anyone's time overhead can take");
pub const QUALITY_DETECT: Field = prob("quality.detect_prob")
    .num(0.9)
    .src("estimate (MODEL.md §7)")
    .doc("chance a review catches a defective item");
pub const QUALITY_REWORK: Field = number("quality.rework_fraction", "a fraction", 0.0, 1.0)
    .num(0.5)
    .src("estimate (MODEL.md §7)")
    .doc("share of the item's effort a caught defect costs again");
pub const QUALITY_ESCAPE_DELAY: Field = positive("quality.escape_delay_weeks")
    .num(4.0)
    .src("estimate (MODEL.md §7)")
    .doc("mean (exponential) delay before an escaped defect is found");
pub const QUALITY_TRIAGE: Field = non_negative("quality.triage_hours")
    .num(1.0)
    .src("estimate (MODEL.md §7)")
    .doc("senior time to triage a found escape (handled like a question)");
pub const QUALITY_ESCAPE_COST: Field = non_negative("quality.cost_per_escaped_defect")
    .num(0.0)
    .src("none unless the file says so: a scenario may price an escape's harm to users (MODEL.md §7)")
    .doc("extra cost of each escape found after the programme has finished (post-delivery cost, on top of its rework and triage)");

// Channels (MODEL.md §3).
pub const CH_RATE: Field = non_negative("channels.*.rate")
    .unset("the per-role `rates` apply")
    .doc("hourly rate for every contributor role of this channel (before `rates`)");
pub const CH_RATES: Field = non_negative("channels.*.rates.*")
    .default(Default::Rates)
    .src(CHANNEL_RATES_SOURCE)
    .doc("per-role rates, e.g. `rates = { domain_expert = 70.0, pod_lead = 90.0 }`");
pub const CH_LEAD_DAYS: Field = non_negative("channels.*.lead_days")
    .default(Default::PerChannel([Some(40.0), Some(10.0), Some(5.0), Some(3.0)]))
    .src("employee: Abdel-Hamid & Madnick (1991); others estimates (MODEL.md §3)")
    .doc("working days from request to start");
pub const CH_RAMP_START: Field = number("channels.*.ramp_start", "a starting productivity", 0.05, 1.0)
    .default(Default::PerChannel([Some(0.5), Some(0.5), Some(0.7), Some(0.7)]))
    .src("employee: Abdel-Hamid (1991); freelancer: Madachy (2008); pod, bench: estimates (MODEL.md §3)")
    .doc("a newcomer starts at this productivity and reaches 1.0 linearly after `ramp_days`");
pub const CH_RAMP_DAYS: Field = non_negative("channels.*.ramp_days")
    .default(Default::PerChannel([Some(80.0), Some(20.0), Some(10.0), Some(5.0)]))
    .src("employee: Abdel-Hamid (1991); freelancer: Madachy (2008); pod, bench: estimates (MODEL.md §3)")
    .doc("working days a newcomer takes to reach full productivity");
pub const CH_MENTOR_FTE: Field = number("channels.*.mentor_fte", "an FTE share", 0.0, 1.0)
    .default(Default::PerChannel([Some(0.2), Some(0.2), Some(0.1), Some(0.1)]))
    .src("estimate (MODEL.md §3)")
    .doc("mentoring load of one ramping newcomer, in FTE of a senior (individual) or of the pod lead (pods)");
pub const CH_ATTRITION: Field = number(
    "channels.*.attrition_per_year",
    "an annual attrition probability",
    0.0,
    0.99,
)
.default(Default::PerChannel([Some(0.132), Some(0.4), Some(0.15), Some(0.0)]))
.src("employee: tech-sector surveys; freelancer: estimate, wide 15-80 %/yr (agency assignment lengths of ~11.5 weeks measure assignments, not people leaving a programme); pod: estimate; bench: released by policy, not by attrition (MODEL.md §3)")
.doc("probability of leaving within a year — or `mean_tenure_weeks`, not both");
pub const CH_TENURE: Field = positive("channels.*.mean_tenure_weeks")
    .default(Default::PerChannel([None; 4]))
    .src("every channel defaults `attrition_per_year` instead (MODEL.md §3)")
    .doc("mean weeks before a person leaves — or `attrition_per_year`, not both");
pub const CH_HANDOVER: Field = prob("channels.*.handover_loss")
    .default(Default::PerChannel([Some(0.25), Some(0.5), Some(0.1), Some(0.1)]))
    .src("estimates; pods and bench keep documented processes (MODEL.md §3)")
    .doc("share of an unfinished item's progress lost when its owner leaves");
pub const CH_QUALITY: Field = number("channels.*.quality_factor", "a factor", 0.0, 10.0)
    .num(1.0)
    .src("no difference unless the file says so (MODEL.md §7)")
    .doc("multiplies workstreams' `defect_rate`");
pub const CH_PRODUCTIVITY: Field = number("channels.*.productivity", "a productivity", 0.05, 10.0)
    .num(1.0)
    .src("no difference unless the file says so")
    .doc("multiplies speed");
pub const CH_PART_TIME: Field = field("channels.*.part_time", Type::Bool, "true or false", 0.0, 0.0)
    .default(Default::Text("false"))
    .src("whole people unless the file says so: most contracts are full-time (docs/OPTIMISER.md)")
    .doc("whether the optimiser may plan fractional FTE (part-time people) in this channel; the simulator staffs whole people either way");
pub const CH_HIRE_COST: Field = non_negative("channels.*.hire_cost")
    .default(Default::PerChannel([Some(8000.0), Some(1500.0), Some(0.0), Some(0.0)]))
    .src("estimate; pods and bench are provided, not hired (MODEL.md §8)")
    .doc("one-off cost per person who joins after week 0");

pub const CH_SETUP_WEEKS: Field = number("channels.*.setup_weeks", "weeks", 0.0, limits::MAX_HORIZON_WEEKS)
    .default(Default::PerChannel([Some(0.0), Some(0.0), Some(2.0), Some(0.0)]))
    .src("estimate: a provider stands up a new engagement (contract, access, tooling, its first pods) in about two weeks; employees and freelancers have only their lead time, the bench is pre-vetted (MODEL.md §3)")
    .doc("with a strategy's `start = \"new\"`: weeks before this channel's first people can start; each person of the initial roster starts at the later of this and the channel's lead time");

// Strategies (MODEL.md §4).
pub const ST_NAME: Field = text("strategy.*.name").doc("unique");
pub const ST_STRUCTURE: Field = choice("strategy.*.structure", &["individual", "pods"]).doc("see docs/MODEL.md §4");
pub const ST_INTERRUPT: Field = choice("strategy.*.interrupt_policy", &["immediate", "office_hours"])
    .default(Default::Text("immediate"))
    .src("MODEL.md §6")
    .doc("how seniors take questions (individual structure)");
pub const ST_OFFICE_HOURS: Field = number("strategy.*.office_hours_every", "hours", 0.25, 80.0)
    .num(4.0)
    .src("estimate (MODEL.md §6)")
    .doc("with `office_hours`: questions wait and are answered in one block every so many hours");
pub const ST_REVIEW_FRACTION: Field = prob("strategy.*.review_fraction")
    .default(Default::ByStructure {
        individual: 0.2,
        pods: 0.3,
    })
    .src("estimate (MODEL.md §4)")
    .doc("share of finished items reviewed (by seniors, or by the pod's data-quality specialists)");
pub const ST_REVIEW_HOURS: Field = non_negative("strategy.*.review_hours")
    .num(0.25)
    .src("estimate (MODEL.md §4)")
    .doc("review time per item");
pub const ST_OPS_RATE: Field = non_negative("strategy.*.ops_requests_per_contributor_week")
    .num(0.5)
    .src("estimate (MODEL.md §4)")
    .doc("ops support requests (to seniors, or to the pod's ops specialists)");
pub const ST_OPS_HOURS: Field = non_negative("strategy.*.ops_request_hours")
    .num(0.5)
    .src("estimate (MODEL.md §4)")
    .doc("time per ops request");
pub const ST_START: Field = choice("strategy.*.start", &["existing", "new"])
    .default(Default::Text("existing"))
    .src("MODEL.md §3: an existing team, on board and ramped")
    .doc("`existing`: the team (and its pods) is on board and fully ramped at week 0; `new`: everyone joins through their channel — the later of its lead time and `setup_weeks`, then ramp, mentoring and hire cost — and a pod's lead seat is vacant until its lead starts");
pub const ST_TEAM_ROLE: Field = choice("strategy.*.team[*].role", TEAM_ROLES)
    .doc("the roster at week 0 (on board and fully ramped, or requested at week 0 with `start = \"new\"`); every workstream's skill must be present");
pub const ST_TEAM_CHANNEL: Field = choice("strategy.*.team[*].channel", &CHANNELS).doc("where these people come from");
pub const ST_TEAM_COUNT: Field = whole("strategy.*.team[*].count", 0.0, limits::MAX_TEAM_ENTRY as f64).doc("how many");
pub const ST_PLAN_WEEK: Field = week("strategy.*.plan[*].week").doc("a planned roster change happens here");
pub const ST_PLAN_ROLE: Field = choice("strategy.*.plan[*].role", TEAM_ROLES).doc("role of the change");
pub const ST_PLAN_CHANNEL: Field = choice("strategy.*.plan[*].channel", &CHANNELS).doc("channel of the change");
pub const ST_PLAN_COUNT: Field = whole(
    "strategy.*.plan[*].count",
    -(limits::MAX_TEAM_ENTRY as f64),
    limits::MAX_TEAM_ENTRY as f64,
)
.doc("not 0: people who start (ramp applies) or, if negative, are released (idle first)");

pub const PODS_COUNT: Field = whole("strategy.*.pods.count", 1.0, limits::MAX_TEAM_ENTRY as f64)
    .default(Default::Rule("ceil(contributors / pod_size)"))
    .src("one lead per pod_size contributors")
    .doc("number of pods, each with one pod lead (at most one per contributor)");
pub const PODS_SIZE: Field = whole("strategy.*.pods.pod_size", 1.0, 50.0)
    .num(6.0)
    .src("MODEL.md §4")
    .doc("intended members per pod (at most max_size)");
pub const PODS_MAX_SIZE: Field = whole("strategy.*.pods.max_size", 1.0, 50.0)
    .num(9.0)
    .src("MODEL.md §4")
    .doc("hard limit; people added beyond it open a new pod with a new lead");
pub const PODS_LEAD_RESOLVES: Field = prob("strategy.*.pods.lead_resolves")
    .num(0.85)
    .src("estimate (MODEL.md §4)")
    .doc("share of questions the pod lead answers");
pub const PODS_ESCALATION: Field = number("strategy.*.pods.escalation_every_hours", "hours", 0.25, 200.0)
    .num(8.0)
    .src("estimate: one sync a working day (MODEL.md §4)")
    .doc("the rest wait for an escalation sync with a senior, answered in one block");
pub const PODS_GOVERNANCE: Field = number("strategy.*.pods.governance_hours_per_week", "hours", 0.0, 40.0)
    .num(4.0)
    .src("estimate (MODEL.md §4)")
    .doc("each lead's quality loops, reporting, escalation paths");
pub const PODS_SENIOR_SYNC: Field = number("strategy.*.pods.senior_sync_hours_per_week", "hours", 0.0, 40.0)
    .num(1.0)
    .src("estimate (MODEL.md §4)")
    .doc("senior time per pod per week");
pub const PODS_MARGIN: Field = number("strategy.*.pods.pod_margin", "a margin", 0.0, 5.0)
    .num(0.25)
    .src("estimate (MODEL.md §4)")
    .doc("provider margin on pod and bench rates");
pub const PODS_LEAD_CHANNEL: Field = choice("strategy.*.pods.lead_channel", &CHANNELS)
    .default(Default::Text("pod"))
    .src("the provider supplies its leads")
    .doc("channel the leads come from");

pub const SC_POLICY: Field = choice("strategy.*.scaling.policy", &["static", "hiring", "elastic_bench"])
    .default(Default::Text("static"))
    .src("MODEL.md §4")
    .doc("`static` (attrition and backfill only), `hiring` or `elastic_bench`");
pub const SC_REVIEW_EVERY: Field = number("strategy.*.scaling.review_every_weeks", "weeks", 0.2, 52.0)
    .num(1.0)
    .src("MODEL.md §4")
    .doc("how often the controller forecasts the finish");
pub const SC_HIRE_CHANNEL: Field = choice("strategy.*.scaling.hire_channel", &["employee", "freelancer", "pod"])
    .default(Default::Text("employee"))
    .src("MODEL.md §4")
    .doc("`hiring`: channel of new people");
pub const SC_MAX_HIRES: Field = whole("strategy.*.scaling.max_hires", 0.0, limits::MAX_TEAM_ENTRY as f64)
    .num(20.0)
    .src("estimate")
    .doc("`hiring`: most people it will request in a run");
pub const SC_BENCH_MAX: Field = whole("strategy.*.scaling.bench_max", 0.0, limits::MAX_TEAM_ENTRY as f64)
    .num(10.0)
    .src("estimate")
    .doc("`elastic_bench`: most bench people on board at once");
pub const SC_BENCH_PREMIUM: Field = number("strategy.*.scaling.bench_premium", "a rate multiplier", 1.0, 10.0)
    .num(1.25)
    .src("estimate (MODEL.md §4)")
    .doc("`elastic_bench`: rate multiplier for bench people");
pub const SC_RELEASE_BELOW: Field = prob("strategy.*.scaling.release_below")
    .num(0.6)
    .src("estimate (MODEL.md §4)")
    .doc("`elastic_bench`: release bench people when the skill's utilisation stays below this ...");
pub const SC_COOLDOWN: Field = whole("strategy.*.scaling.cooldown_weeks", 1.0, 520.0)
    .num(2.0)
    .src("estimate (MODEL.md §4)")
    .doc("... for this many weeks ...");
pub const SC_QUEUE_WEEKS: Field = number("strategy.*.scaling.queue_target_weeks", "weeks", 0.0, 52.0)
    .num(1.0)
    .src("estimate: about a week of queued work per person is as much as a service stream lets wait (MODEL.md §4)")
    .doc("`hiring`, `elastic_bench`: also request people when a skill's queued arrived work exceeds this many weeks of its capacity (0 = deadline forecast only)");
pub const SC_DAMPING: Field = number("strategy.*.scaling.damping", "a share of the gap", 0.0, 1.0)
    .open()
    .num(0.5)
    .src("estimate: proportional control closing half the gap per review, so a noisy queue does not make the controller overshoot (MODEL.md §4)")
    .doc("share of the queue-load gap (people) requested at each review");
pub const SC_MIN_WEEKS: Field = non_negative("strategy.*.scaling.min_weeks")
    .num(2.0)
    .src("estimate (MODEL.md §4)")
    .doc("... and they have served at least this long");

// Commercial terms (docs/CONTRACTS.md). Every default is today's behaviour:
// time and materials, no minimum, no notice, no fees.
const NO_TERM: &str = "no such term unless the contract states one";
pub const ST_CONTRACTS: Field = text("strategy.*.contracts")
    .default(Default::Empty)
    .doc("names of the `[contract.*]` terms this strategy's providers work under, at most one per channel; channels without one are paid by the hour (time and materials)");
pub const CT_CHANNEL: Field = choice("contract.*.channel", &CHANNELS)
    .setting()
    .doc("the channel whose people (and, for the pod lead channel, pod leads) this provider supplies");
pub const CT_PRICING: Field = choice("contract.*.pricing", &["time_and_materials", "per_item", "fixed"])
    .setting()
    .default(Default::Text("time_and_materials"))
    .src("MODEL.md §8: every paid hour at the seat rate")
    .doc("`time_and_materials`: paid hours at the seat rate; `per_item`: a price per accepted item; `fixed`: a price for a scope, less SLA credits, plus change orders");
pub const CT_INTERNAL_RATES: Field = non_negative("contract.*.internal_rates.*")
    .default(Default::Rule(
        "the channel's rate of the role before the provider's margin and bench premium",
    ))
    .src("the seat rate less the margin (MODEL.md §8)")
    .doc("what the provider pays its people per hour, by role: its cost, from which its margin follows");
pub const CT_PRICE_PER_ITEM: Field = non_negative("contract.*.price_per_item.*")
    .unset("required with `per_item` for every workstream the provider serves")
    .doc("with `per_item`: price per accepted item, by workstream; rework of the provider's own defects is unpaid");
pub const CT_CLAWBACK: Field = non_negative("contract.*.clawback_per_escape")
    .num(0.0)
    .src(NO_TERM)
    .doc("with `per_item`: credit to the client per escaped defect in the provider's items (found later)");
pub const CT_FIXED_PRICE: Field = non_negative("contract.*.fixed_price")
    .unset("required with `fixed`")
    .doc("with `fixed`: the price of the scope, paid on delivery");
pub const CT_SCOPE: Field = text("contract.*.scope")
    .default(Default::Rule("every workstream whose skill the provider serves"))
    .src("the provider's work")
    .doc("with `fixed`: the workstreams the price covers; two fixed contracts of a strategy may not share one");
pub const CT_SCOPE_ITEMS: Field = whole("contract.*.scope_items", 0.0, 1e12)
    .default(Default::Rule("the scope's backlog items"))
    .src("the scope as written at signing")
    .doc("with `fixed`: items the price covers; the provider's accepted items beyond are change orders");
pub const CT_MILESTONE_WEEK: Field = week("contract.*.milestones[*].week")
    .setting()
    .doc("with `fixed`: the milestone's due week (within the horizon)");
pub const CT_MILESTONE_ITEMS: Field = whole("contract.*.milestones[*].items", 0.0, 1e12)
    .unset("no item count")
    .doc("met once the provider has this many accepted items in scope");
pub const CT_MILESTONE_WS: Field = text("contract.*.milestones[*].workstreams")
    .default(Default::Empty)
    .doc(
    "met once these workstreams' backlogs are all accepted (neither items nor workstreams: the whole scope's backlog)",
);
pub const CT_CREDIT_LATE: Field = non_negative("contract.*.credit_per_week_late")
    .num(0.0)
    .src(NO_TERM)
    .doc(
    "with `fixed`: SLA credit per milestone per week begun after its due week (not met by the end: late until the end)",
);
pub const CT_QUALITY_MAX: Field = non_negative("contract.*.quality_max_escaped_per_1000")
    .unset("no quality threshold")
    .doc("with `fixed`: escaped defects per 1,000 of the provider's accepted items in scope above which `quality_credit` is due");
pub const CT_QUALITY_CREDIT: Field = non_negative("contract.*.quality_credit")
    .num(0.0)
    .src(NO_TERM)
    .doc("with `fixed`: one-off credit when quality is below the threshold; credits never exceed the price");
pub const CT_CHANGE_ORDER: Field = non_negative("contract.*.change_order_per_item")
    .num(0.0)
    .src(NO_TERM)
    .doc("with `fixed`: price per accepted item beyond `scope_items`");
pub const CT_MIN_WEEKS: Field = week("contract.*.min_commit_weeks")
    .num(0.0)
    .src(NO_TERM)
    .doc("with `time_and_materials`: each seat is paid for at least this many weeks from its start, even when the work finishes earlier");
pub const CT_MIN_SPEND: Field = non_negative("contract.*.min_commit_spend")
    .num(0.0)
    .src(NO_TERM)
    .doc("the client pays this provider at least this much in all");
pub const CT_NOTICE: Field = week("contract.*.notice_weeks")
    .num(0.0)
    .src(NO_TERM)
    .doc("with `time_and_materials`: a seat the client releases, or that is on board when the work ends, is paid this many weeks more (it leaves the work at once); attrition is not");
pub const CT_ONBOARD_PERSON: Field = non_negative("contract.*.onboarding_per_person")
    .num(0.0)
    .src(NO_TERM)
    .doc("fee per person of the provider who ever joins the programme (the initial roster included)");
pub const CT_ONBOARD_POD: Field = non_negative("contract.*.onboarding_per_pod")
    .num(0.0)
    .src(NO_TERM)
    .doc("fee per pod the provider leads (its channel is the pods' lead channel)");

/// Every field of a scenario file, in the order of docs/SCENARIO.md.
pub const FIELDS: &[Field] = &[
    NAME,
    DESCRIPTION,
    SEED,
    REPLICATIONS,
    HORIZON_WEEKS,
    WARMUP_WEEKS,
    DEADLINE_WEEKS,
    START_DATE,
    WS_NAME,
    WS_SKILL,
    WS_BACKLOG,
    WS_ARRIVALS,
    WS_ARRIVALS_AT,
    WS_SURGE_FROM,
    WS_SURGE_TO,
    WS_SURGE_FACTOR,
    WS_EFFORT,
    WS_AFTER_STREAM,
    WS_AFTER_FRACTION,
    WS_DEFECT_RATE,
    WS_QUESTIONS,
    WS_INTERDEPENDENCE,
    WS_DEADLINE,
    SENIORS_COUNT,
    SENIORS_RATE,
    SENIORS_RESUME,
    SENIORS_FOCUS_BLOCK,
    SENIORS_HANDLING,
    OVERHEAD_COEFFICIENT,
    OVERHEAD_CAP,
    OVERHEAD_GROUPS,
    OVERHEAD_HUB_HOURS,
    QUALITY_DETECT,
    QUALITY_REWORK,
    QUALITY_ESCAPE_DELAY,
    QUALITY_TRIAGE,
    QUALITY_ESCAPE_COST,
    CH_RATE,
    CH_RATES,
    CH_LEAD_DAYS,
    CH_RAMP_START,
    CH_RAMP_DAYS,
    CH_MENTOR_FTE,
    CH_ATTRITION,
    CH_TENURE,
    CH_HANDOVER,
    CH_QUALITY,
    CH_PRODUCTIVITY,
    CH_HIRE_COST,
    CH_SETUP_WEEKS,
    CH_PART_TIME,
    ST_NAME,
    ST_STRUCTURE,
    ST_INTERRUPT,
    ST_OFFICE_HOURS,
    ST_REVIEW_FRACTION,
    ST_REVIEW_HOURS,
    ST_OPS_RATE,
    ST_OPS_HOURS,
    ST_START,
    ST_TEAM_ROLE,
    ST_TEAM_CHANNEL,
    ST_TEAM_COUNT,
    ST_PLAN_WEEK,
    ST_PLAN_ROLE,
    ST_PLAN_CHANNEL,
    ST_PLAN_COUNT,
    PODS_COUNT,
    PODS_SIZE,
    PODS_MAX_SIZE,
    PODS_LEAD_RESOLVES,
    PODS_ESCALATION,
    PODS_GOVERNANCE,
    PODS_SENIOR_SYNC,
    PODS_MARGIN,
    PODS_LEAD_CHANNEL,
    SC_POLICY,
    SC_REVIEW_EVERY,
    SC_HIRE_CHANNEL,
    SC_MAX_HIRES,
    SC_BENCH_MAX,
    SC_BENCH_PREMIUM,
    SC_RELEASE_BELOW,
    SC_COOLDOWN,
    SC_MIN_WEEKS,
    SC_QUEUE_WEEKS,
    SC_DAMPING,
    ST_CONTRACTS,
    CT_CHANNEL,
    CT_PRICING,
    CT_INTERNAL_RATES,
    CT_PRICE_PER_ITEM,
    CT_CLAWBACK,
    CT_FIXED_PRICE,
    CT_SCOPE,
    CT_SCOPE_ITEMS,
    CT_MILESTONE_WEEK,
    CT_MILESTONE_ITEMS,
    CT_MILESTONE_WS,
    CT_CREDIT_LATE,
    CT_QUALITY_MAX,
    CT_QUALITY_CREDIT,
    CT_CHANGE_ORDER,
    CT_MIN_WEEKS,
    CT_MIN_SPEND,
    CT_NOTICE,
    CT_ONBOARD_PERSON,
    CT_ONBOARD_POD,
];

/// Map keys a `*` ranges over when the names are fixed rather than chosen
/// by the file: `podsim show` lists every one, set or not.
pub const NAMED_KEYS: &[(&str, &[&str])] = &[("channels.*", &CHANNELS), ("channels.*.rates.*", &RATE_ROLES)];

/// Fields (or whole tables, by path prefix) that only apply when another
/// field of the same table has a given value: (prefix, condition field,
/// value). Validation rejects them otherwise.
pub const APPLIES_WHEN: &[(&str, &str, &str)] = &[
    ("strategy.*.pods", "strategy.*.structure", "pods"),
    (
        "strategy.*.office_hours_every",
        "strategy.*.interrupt_policy",
        "office_hours",
    ),
    // Contract terms belong to one pricing each (validation refuses the others).
    ("contract.*.clawback_per_escape", "contract.*.pricing", "per_item"),
    ("contract.*.fixed_price", "contract.*.pricing", "fixed"),
    ("contract.*.scope", "contract.*.pricing", "fixed"),
    ("contract.*.scope_items", "contract.*.pricing", "fixed"),
    ("contract.*.milestones", "contract.*.pricing", "fixed"),
    ("contract.*.credit_per_week_late", "contract.*.pricing", "fixed"),
    ("contract.*.quality_max_escaped_per_1000", "contract.*.pricing", "fixed"),
    ("contract.*.quality_credit", "contract.*.pricing", "fixed"),
    ("contract.*.change_order_per_item", "contract.*.pricing", "fixed"),
    (
        "contract.*.min_commit_weeks",
        "contract.*.pricing",
        "time_and_materials",
    ),
    ("contract.*.notice_weeks", "contract.*.pricing", "time_and_materials"),
];

/// Pairs of fields a table may give one of, not both.
pub const EITHER_OR: &[(&str, &str)] = &[("channels.*.attrition_per_year", "channels.*.mean_tenure_weeks")];

/// Parameters of distributions (any `Type::Dist` field): `value`, `mean`
/// and `cv` must be positive, the bounds of triangular and uniform ≥ 0.
pub const DIST_PARAMS: &[Field] = &[
    positive("value").doc("`fixed`"),
    positive("mean").doc("`exponential`, `lognormal`, `gamma`"),
    positive("cv").doc("`lognormal`, `gamma`: coefficient of variation"),
    non_negative("min").doc("`triangular`, `uniform`"),
    non_negative("mode").doc("`triangular`"),
    non_negative("max").doc("`triangular`, `uniform`"),
];

/// `[decision]` (docs/UNCERTAINTY.md): what outcomes are worth, for the
/// decision value over the worlds of `[uncertainty]`. Listed apart from
/// [`FIELDS`]: they are not model inputs (sweep paths and `sensitivity`
/// never vary them) and the table is absent unless the file gives it;
/// when given, a field left out counts 0.
pub const DECISION_FIELDS: &[Field] = &[
    non_negative("decision.cost_per_week_late")
        .default(Default::Num(0.0))
        .src("not counted unless given")
        .doc("money per week the finish falls past `deadline_weeks` (the finish week each world simulated minus the deadline, 0 when on time)"),
    non_negative("decision.cost_per_escaped_defect")
        .default(Default::Num(0.0))
        .src("not counted unless given")
        .doc("money per defect that escaped to the customer (the `escaped_defects` metric)"),
    non_negative("decision.cost_per_person_with_access")
        .default(Default::Num(0.0))
        .src("not counted unless given")
        .doc("money per distinct person who worked on the project (the `distinct_people` metric): onboarding, security review, data access"),
    non_negative("decision.value_per_senior_focus_hour")
        .default(Default::Num(0.0))
        .src("not counted unless given")
        .doc("value of an hour of senior deep focus (`deep_focus_per_senior_week` x seniors x the weeks to the deadline, else the horizon)"),
];

/// The shapes an `[uncertainty]` range may take: (how it is written, what it means).
pub const UNCERTAINTY_SHAPES: &[(&str, &str)] = &[
    (
        "{ low, high }",
        "a normal distribution with 90 % of its mass between low and high (truncated to the field's valid range)",
    ),
    (
        "{ low, mode, high }",
        "a triangular distribution from low to high, peaking at mode",
    ),
    ("{ dist = \"normal\", low, high }", "the same as { low, high }"),
    (
        "{ dist = \"lognormal\", low, high }",
        "a lognormal distribution with 90 % of its mass between low and high (low above 0)",
    ),
    (
        "{ dist = \"triangular\", low, mode, high }",
        "the same as { low, mode, high }",
    ),
    (
        "{ dist = \"uniform\", low, high }",
        "every value from low to high equally likely",
    ),
    (
        "low = high",
        "not uncertain: the value is written in, exactly as if the file set the field",
    ),
];

/// The field with this path pattern.
pub fn find(path: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.path == path)
}

/// The reference tables of docs/SCENARIO.md, between its `schema:begin` and
/// `schema:end` markers, generated from [`FIELDS`].
pub fn reference_markdown() -> String {
    let mut out = String::new();
    out.push_str("| field | type | default | source of the default | meaning |\n");
    out.push_str("|---|---|---|---|---|\n");
    for f in FIELDS {
        let source = if f.source.is_empty() { "—" } else { f.source };
        let doc = match f.default {
            Default::Unset(meaning) => format!("{} (not set: {meaning})", f.doc),
            _ => f.doc.to_string(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            f.path,
            f.type_words().replace('|', "\\|"),
            f.default_words().replace('|', "\\|"),
            source,
            doc.replace('|', "\\|"),
        ));
    }
    out.push_str("\nDefault rates per hour (`channels.*.rates.*`; ");
    out.push_str(CHANNEL_RATES_SOURCE);
    out.push_str("):\n\n| channel |");
    for r in RATE_ROLES {
        out.push_str(&format!(" `{r}` |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(RATE_ROLES.len()));
    out.push('\n');
    for (c, rates) in CHANNELS.iter().zip(CHANNEL_RATES) {
        out.push_str(&format!("| `{c}` |"));
        for r in rates {
            out.push_str(&format!(" {} |", num_words(r)));
        }
        out.push('\n');
    }
    out.push_str("\nDistribution parameters:\n\n| parameter | type | used by |\n|---|---|---|\n");
    for p in DIST_PARAMS {
        out.push_str(&format!("| `{}` | {} | {} |\n", p.path, p.type_words(), p.doc));
    }
    out.push_str(
        "\n`[uncertainty]` (docs/UNCERTAINTY.md): each key is a field path as for `sweep --vary` \
         (e.g. `\"channels.freelancer.attrition_per_year\"`), fields left at their defaults included; \
         every value taken must lie in the field's valid range above. Each value is one of:\n\n\
         | range | meaning |\n|---|---|\n",
    );
    for (written, meaning) in UNCERTAINTY_SHAPES {
        out.push_str(&format!("| `{written}` | {meaning} |\n"));
    }
    out.push_str("\n`[decision]` (docs/UNCERTAINTY.md), each optional:\n\n| field | type | default | meaning |\n|---|---|---|---|\n");
    for f in DECISION_FIELDS {
        out.push_str(&format!(
            "| `{}` | {} | {} ({}) | {} |\n",
            f.path,
            f.type_words(),
            f.default_words(),
            f.source,
            f.doc
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_numbers_have_ranges() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(FIELDS[..i].iter().all(|g| g.path != f.path), "{} twice", f.path);
            assert!(!f.doc.is_empty(), "{} has no doc", f.path);
            if matches!(f.ty, Type::Number | Type::Whole) {
                assert!(f.lo <= f.hi, "{}", f.path);
            }
            if let Default::Num(x) = f.default {
                assert!(f.accepts(x), "{}: default {x} out of its own range", f.path);
                assert!(!f.source.is_empty(), "{} has a default without a source", f.path);
            }
            if let Default::PerChannel(v) = f.default {
                assert!(v.iter().flatten().all(|&x| f.accepts(x)), "{}", f.path);
            }
        }
    }

    #[test]
    fn ranges_in_plain_words() {
        assert_eq!(WS_DEFECT_RATE.expected(), "a probability between 0 and 1");
        assert_eq!(QUALITY_ESCAPE_DELAY.type_words(), "a number > 0");
        assert_eq!(WS_BACKLOG.type_words(), "a whole number between 0 and 5000000");
        assert_eq!(CH_RATE.type_words(), "a number ≥ 0");
        assert_eq!(DEADLINE_WEEKS.range_words(), "above 0 and at most the horizon");
        assert!(!QUALITY_ESCAPE_DELAY.accepts(0.0));
        assert!(QUALITY_TRIAGE.accepts(0.0));
    }
}

#[cfg(test)]
mod docs {
    /// docs/SCENARIO.md's reference section is generated from the table; on
    /// a mismatch the wanted text is written to target/schema-reference.md.
    #[test]
    fn scenario_md_reference_is_current() {
        let doc = include_str!("../../docs/SCENARIO.md");
        let want = super::reference_markdown();
        let begin = "<!-- schema:begin (generated from src/scenario/schema.rs) -->\n";
        let end = "<!-- schema:end -->";
        let got = doc
            .split_once(begin)
            .and_then(|(_, rest)| rest.split_once(end))
            .map(|(section, _)| section);
        if got != Some(want.as_str()) {
            let _ = std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/target/schema-reference.md"),
                &want,
            );
            panic!("docs/SCENARIO.md's reference section is out of date; the current text is in target/schema-reference.md");
        }
    }
}
