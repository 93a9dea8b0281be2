//! The shape of a scenario file as sweeps see it: which tables nest where,
//! where each schema field applies (conditions on the strategy or contract),
//! and the distribution parameters.

use super::Leaf;
use crate::scenario::schema::{self, Field};
use toml::{Table, Value};

/// Where the schema's fields may be used: conditions on the entry (strategy).
#[derive(Clone, Copy, Debug)]
pub(super) enum Cond {
    /// `structure` equals this.
    Structure(&'static str),
    /// `interrupt_policy` equals this (default "immediate").
    Interrupt(&'static str),
    /// `scaling.policy` is one of these (default "static").
    Policy(&'static [&'static str]),
    /// A contract's `pricing` equals this (default "time_and_materials").
    Pricing(&'static str),
}

impl Cond {
    /// None when the condition holds for `entry`, else why not.
    pub(super) fn unmet(&self, entry: Option<&Table>, field: &str) -> Option<String> {
        let get = |k: &str| entry.and_then(|t| t.get(k)).and_then(Value::as_str);
        match *self {
            Cond::Structure(want) => {
                let got = get("structure").unwrap_or("");
                (got != want).then(|| format!("its structure is \"{got}\"; `{field}` needs structure = \"{want}\""))
            }
            Cond::Interrupt(want) => {
                let got = get("interrupt_policy").unwrap_or("immediate");
                (got != want).then(|| {
                    format!("its interrupt_policy is \"{got}\"; `{field}` needs interrupt_policy = \"{want}\"")
                })
            }
            Cond::Pricing(want) => {
                let got = get("pricing").unwrap_or("time_and_materials");
                (got != want).then(|| format!("its pricing is \"{got}\"; `{field}` needs pricing = \"{want}\""))
            }
            Cond::Policy(want) => {
                let got = entry
                    .and_then(|t| t.get("scaling"))
                    .and_then(Value::as_table)
                    .and_then(|t| t.get("policy"))
                    .and_then(Value::as_str)
                    .unwrap_or("static");
                (!want.contains(&got)).then(|| {
                    format!(
                        "its scaling policy is \"{got}\"; `{field}` is used by policy {}",
                        want.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" or ")
                    )
                })
            }
        }
    }
}

/// The schema of a scenario file, as far as sweeps are concerned.
#[derive(Debug)]
pub(super) enum Node {
    Leaf(&'static Field),
    /// A table with fixed fields.
    Table(&'static [(&'static str, Node)]),
    /// A table whose keys come from a fixed set (channels, roles).
    Map(&'static str, &'static [&'static str], &'static Node),
    /// A table whose keys are names the file chooses: `[contract.<name>]`,
    /// a per-item price by workstream. Only keys present in the file.
    Keyed(&'static str, &'static Node),
    /// An array of tables with unique `name`s: `[[workstream]]`, `[[strategy]]`.
    Named(&'static [(&'static str, Node)]),
    /// An array of tables addressed by index: `surge`, `after`, `team`, `plan`.
    List(&'static [(&'static str, Node)]),
    /// A distribution table, tagged by `dist`. The field is read by the
    /// test that checks this tree against the schema.
    #[cfg_attr(not(test), allow(dead_code))]
    Dist(&'static Field),
    /// A field used only when a condition on its entry holds.
    When(Cond, &'static Node),
    /// A string field: not swept.
    Text,
    /// A run setting that has a command-line option instead.
    Setting(&'static str),
}

use schema::*;

/// A leaf of the tree: the schema field at this place.
const fn f(field: &'static Field) -> Node {
    Node::Leaf(field)
}

// The shape of a scenario file: which tables nest where, and where a field
// applies. Types, ranges and defaults are the schema's (`scenario::schema`);
// a test checks that this tree and the schema name the same fields.
pub(super) const TOP: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("description", Node::Text),
    ("seed", Node::Setting("`seed` is a run setting: use --seed")),
    (
        "replications",
        Node::Setting("`replications` is a run setting: use --reps"),
    ),
    ("horizon_weeks", f(&HORIZON_WEEKS)),
    ("warmup_weeks", f(&WARMUP_WEEKS)),
    ("deadline_weeks", f(&DEADLINE_WEEKS)),
    ("start_date", Node::Text),
    ("workstream", Node::Named(WORKSTREAM)),
    ("seniors", Node::Table(SENIORS)),
    ("overhead", Node::Table(OVERHEAD)),
    ("quality", Node::Table(QUALITY)),
    ("channels", Node::Map("channel", &CHANNELS, &Node::Table(CHANNEL))),
    ("strategy", Node::Named(STRATEGY)),
    (
        "optimise",
        Node::Setting("`optimise` holds the optimiser's settings, not scenario parameters"),
    ),
    (
        "uncertainty",
        Node::Setting("`uncertainty` declares ranges of other fields; it is not a parameter itself"),
    ),
    (
        "decision",
        Node::Setting("`decision` holds what outcomes are worth, not model parameters"),
    ),
    ("contract", Node::Keyed("contract", &Node::Table(CONTRACT))),
];

pub(super) const WORKSTREAM: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("skill", Node::Text),
    ("backlog", f(&WS_BACKLOG)),
    ("arrivals_per_week", f(&WS_ARRIVALS)),
    ("surge", Node::List(SURGE)),
    (
        "arrivals_at_weeks",
        Node::Setting("`arrivals_at_weeks` is a schedule of arrival times, not one value to vary"),
    ),
    ("effort_hours", Node::Dist(&WS_EFFORT)),
    ("after", Node::List(GATE)),
    ("defect_rate", f(&WS_DEFECT_RATE)),
    ("questions_per_item", f(&WS_QUESTIONS)),
    ("interdependence", f(&WS_INTERDEPENDENCE)),
    ("deadline_weeks", f(&WS_DEADLINE)),
];
pub(super) const SURGE: &[(&str, Node)] = &[
    ("from_week", f(&WS_SURGE_FROM)),
    ("to_week", f(&WS_SURGE_TO)),
    ("factor", f(&WS_SURGE_FACTOR)),
];
pub(super) const GATE: &[(&str, Node)] = &[("stream", Node::Text), ("fraction", f(&WS_AFTER_FRACTION))];
pub(super) const SENIORS: &[(&str, Node)] = &[
    ("count", f(&SENIORS_COUNT)),
    ("rate", f(&SENIORS_RATE)),
    ("resume_minutes", f(&SENIORS_RESUME)),
    ("focus_block_minutes", f(&SENIORS_FOCUS_BLOCK)),
    ("handling_minutes", Node::Dist(&SENIORS_HANDLING)),
];
pub(super) const OVERHEAD: &[(&str, Node)] = &[
    ("coefficient", f(&OVERHEAD_COEFFICIENT)),
    ("cap", f(&OVERHEAD_CAP)),
    ("coordination_hours_per_report_week", f(&OVERHEAD_HUB_HOURS)),
];
pub(super) const QUALITY: &[(&str, Node)] = &[
    ("detect_prob", f(&QUALITY_DETECT)),
    ("rework_fraction", f(&QUALITY_REWORK)),
    ("escape_delay_weeks", f(&QUALITY_ESCAPE_DELAY)),
    ("triage_hours", f(&QUALITY_TRIAGE)),
    ("cost_per_escaped_defect", f(&QUALITY_ESCAPE_COST)),
];
pub(super) const CHANNEL: &[(&str, Node)] = &[
    ("rate", f(&CH_RATE)),
    ("rates", Node::Map("role", &RATE_ROLES, &f(&CH_RATES))),
    ("lead_days", f(&CH_LEAD_DAYS)),
    ("ramp_start", f(&CH_RAMP_START)),
    ("ramp_days", f(&CH_RAMP_DAYS)),
    ("mentor_fte", f(&CH_MENTOR_FTE)),
    ("attrition_per_year", f(&CH_ATTRITION)),
    ("mean_tenure_weeks", f(&CH_TENURE)),
    ("handover_loss", f(&CH_HANDOVER)),
    ("quality_factor", f(&CH_QUALITY)),
    ("productivity", f(&CH_PRODUCTIVITY)),
    ("hire_cost", f(&CH_HIRE_COST)),
    ("setup_weeks", f(&CH_SETUP_WEEKS)),
];
pub(super) const STRATEGY: &[(&str, Node)] = &[
    ("name", Node::Text),
    ("structure", Node::Text),
    ("interrupt_policy", Node::Text),
    (
        "office_hours_every",
        Node::When(Cond::Interrupt("office_hours"), &f(&ST_OFFICE_HOURS)),
    ),
    ("review_fraction", f(&ST_REVIEW_FRACTION)),
    ("review_hours", f(&ST_REVIEW_HOURS)),
    ("ops_requests_per_contributor_week", f(&ST_OPS_RATE)),
    ("ops_request_hours", f(&ST_OPS_HOURS)),
    ("start", Node::Text),
    ("pods", Node::When(Cond::Structure("pods"), &Node::Table(PODS))),
    ("scaling", Node::Table(SCALING)),
    ("team", Node::List(TEAM)),
    ("plan", Node::List(PLAN)),
];
pub(super) const PODS: &[(&str, Node)] = &[
    ("count", f(&PODS_COUNT)),
    ("pod_size", f(&PODS_SIZE)),
    ("max_size", f(&PODS_MAX_SIZE)),
    ("lead_resolves", f(&PODS_LEAD_RESOLVES)),
    ("escalation_every_hours", f(&PODS_ESCALATION)),
    ("governance_hours_per_week", f(&PODS_GOVERNANCE)),
    ("senior_sync_hours_per_week", f(&PODS_SENIOR_SYNC)),
    ("pod_margin", f(&PODS_MARGIN)),
    ("lead_channel", Node::Text),
];
pub(super) const CONTROLLED: Cond = Cond::Policy(&["hiring", "elastic_bench"]);
pub(super) const BENCH: Cond = Cond::Policy(&["elastic_bench"]);
pub(super) const HIRING: Cond = Cond::Policy(&["hiring"]);
pub(super) const SCALING: &[(&str, Node)] = &[
    ("policy", Node::Text),
    ("review_every_weeks", Node::When(CONTROLLED, &f(&SC_REVIEW_EVERY))),
    ("bench_max", Node::When(BENCH, &f(&SC_BENCH_MAX))),
    ("bench_premium", Node::When(BENCH, &f(&SC_BENCH_PREMIUM))),
    ("release_below", Node::When(BENCH, &f(&SC_RELEASE_BELOW))),
    ("cooldown_weeks", Node::When(BENCH, &f(&SC_COOLDOWN))),
    ("min_weeks", Node::When(BENCH, &f(&SC_MIN_WEEKS))),
    ("hire_channel", Node::Text),
    ("max_hires", Node::When(HIRING, &f(&SC_MAX_HIRES))),
    ("queue_target_weeks", Node::When(CONTROLLED, &f(&SC_QUEUE_WEEKS))),
    ("damping", Node::When(CONTROLLED, &f(&SC_DAMPING))),
];
pub(super) const PER_ITEM: Cond = Cond::Pricing("per_item");
pub(super) const FIXED: Cond = Cond::Pricing("fixed");
pub(super) const HOURLY: Cond = Cond::Pricing("time_and_materials");
// `[contract.<name>]` (docs/CONTRACTS.md); each term where its pricing uses it.
pub(super) const CONTRACT: &[(&str, Node)] = &[
    ("channel", Node::Text),
    ("pricing", Node::Text),
    ("internal_rates", Node::Map("role", &RATE_ROLES, &f(&CT_INTERNAL_RATES))),
    (
        "price_per_item",
        Node::When(PER_ITEM, &Node::Keyed("priced workstream", &f(&CT_PRICE_PER_ITEM))),
    ),
    ("clawback_per_escape", Node::When(PER_ITEM, &f(&CT_CLAWBACK))),
    ("fixed_price", Node::When(FIXED, &f(&CT_FIXED_PRICE))),
    ("scope", Node::Text),
    ("scope_items", Node::When(FIXED, &f(&CT_SCOPE_ITEMS))),
    ("milestones", Node::When(FIXED, &Node::List(MILESTONE))),
    ("credit_per_week_late", Node::When(FIXED, &f(&CT_CREDIT_LATE))),
    ("quality_max_escaped_per_1000", Node::When(FIXED, &f(&CT_QUALITY_MAX))),
    ("quality_credit", Node::When(FIXED, &f(&CT_QUALITY_CREDIT))),
    ("change_order_per_item", Node::When(FIXED, &f(&CT_CHANGE_ORDER))),
    ("min_commit_weeks", Node::When(HOURLY, &f(&CT_MIN_WEEKS))),
    ("min_commit_spend", f(&CT_MIN_SPEND)),
    ("notice_weeks", Node::When(HOURLY, &f(&CT_NOTICE))),
    ("onboarding_per_person", f(&CT_ONBOARD_PERSON)),
    ("onboarding_per_pod", f(&CT_ONBOARD_POD)),
];
pub(super) const MILESTONE: &[(&str, Node)] = &[
    (
        "week",
        Node::Setting("a milestone's week is part of the contract's schedule, not a number to vary"),
    ),
    ("items", f(&CT_MILESTONE_ITEMS)),
    ("workstreams", Node::Text),
];
pub(super) const TEAM: &[(&str, Node)] = &[
    ("role", Node::Text),
    ("channel", Node::Text),
    ("count", f(&ST_TEAM_COUNT)),
];
pub(super) const PLAN: &[(&str, Node)] = &[
    ("week", f(&ST_PLAN_WEEK)),
    ("role", Node::Text),
    ("channel", Node::Text),
    ("count", f(&ST_PLAN_COUNT)),
];

pub(super) const DIST_PARAM_NAMES: &[&str] = &["value", "mean", "cv", "min", "mode", "max"];

/// Parameters of each distribution (docs/SCENARIO.md).
pub(super) fn dist_params(dist: &str) -> &'static [&'static str] {
    match dist {
        "fixed" => &["value"],
        "exponential" => &["mean"],
        "lognormal" | "gamma" => &["mean", "cv"],
        "triangular" => &["min", "mode", "max"],
        "uniform" => &["min", "max"],
        _ => &[],
    }
}

pub(super) fn dist_leaf(param: &str) -> Leaf {
    let field = DIST_PARAMS
        .iter()
        .find(|p| p.path == param)
        .expect("distribution parameters are in the schema");
    Leaf::of(field)
}
