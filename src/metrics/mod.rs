//! The metric catalogue: every metric and weekly series podsim reports, with
//! its machine name (the CSV/JSON key), the label people read, its unit,
//! which direction is better and how its numbers are written. The engine,
//! the terminal table, JSON, reports, charts and sweep output all take names
//! and words from here, so a metric is spelled once.
//!
//! Names of per-scenario metrics and series (one per workstream, role,
//! channel or senior time category) are built by the functions below and
//! recognised again by [`describe`].

pub mod format;

pub use format::Format;

use crate::model::{Channel, Role};

/// Whether lower or higher values of a metric are better (for "wins",
/// Pareto objectives and phrasing). Descriptive figures such as utilisation
/// have no direction (`None` in the catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    Lower,
    Higher,
}

impl Better {
    /// The word sweep and sensitivity records use ("lower"/"higher").
    pub fn name(self) -> &'static str {
        match self {
            Better::Lower => "lower",
            Better::Higher => "higher",
        }
    }
}

/// Senior time categories (MODEL.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cat {
    Focus,
    Questions,
    Recovery,
    Review,
    Triage,
    Mentoring,
    Sync,
    OpsSupport,
    Coordination,
}

impl Cat {
    pub const ALL: [Cat; 9] = [
        Cat::Focus,
        Cat::Questions,
        Cat::Recovery,
        Cat::Review,
        Cat::Triage,
        Cat::Mentoring,
        Cat::Sync,
        Cat::OpsSupport,
        Cat::Coordination,
    ];
    pub const COUNT: usize = 9;
    pub fn name(self) -> &'static str {
        match self {
            Cat::Focus => "focus",
            Cat::Questions => "questions",
            Cat::Recovery => "recovery",
            Cat::Review => "review",
            Cat::Triage => "triage",
            Cat::Mentoring => "mentoring",
            Cat::Sync => "sync",
            Cat::OpsSupport => "ops_support",
            Cat::Coordination => "coordination",
        }
    }
    /// The category as people read it ("ops support").
    pub fn label(self) -> &'static str {
        match self {
            Cat::OpsSupport => "ops support",
            c => c.name(),
        }
    }
    /// The metric of hours per senior per week spent in this category.
    pub fn metric_name(self) -> String {
        format!("{SENIOR_CAT_PREFIX}{}{SENIOR_CAT_SUFFIX}", self.name())
    }
}

const SENIOR_CAT_PREFIX: &str = "senior_";
const SENIOR_CAT_SUFFIX: &str = "_h_per_senior_week";
/// Prefix of the utilisation-by-role metrics.
pub const UTILISATION_PREFIX: &str = "utilisation.";
/// Prefix of the per-workstream finish-week metrics.
pub const WS_FINISH_PREFIX: &str = "finish_week.";
/// Prefix of the headcount-by-role series (and, with `channel.`, by channel).
pub const HEADCOUNT_PREFIX: &str = "headcount.";
/// Prefix of the headcount-by-channel series.
pub const HEADCOUNT_CHANNEL_PREFIX: &str = "headcount.channel.";
/// The total headcount series.
pub const HEADCOUNT_TOTAL: &str = "headcount.total";
/// Prefix of the backlog-by-workstream series.
pub const BACKLOG_PREFIX: &str = "backlog.";
/// The cumulative cost series.
pub const COST_CUMULATIVE: &str = "cost.cumulative";

/// Utilisation of one role (share of paid hours spent working).
pub fn utilisation_metric(r: Role) -> String {
    format!("{UTILISATION_PREFIX}{}", r.name())
}
/// Finish week of one workstream.
pub fn ws_finish_metric(workstream: &str) -> String {
    format!("{WS_FINISH_PREFIX}{workstream}")
}
/// Weekly headcount of one role.
pub fn headcount_role_series(r: Role) -> String {
    format!("{HEADCOUNT_PREFIX}{}", r.name())
}
/// Weekly headcount of one hiring channel.
pub fn headcount_channel_series(c: Channel) -> String {
    format!("{HEADCOUNT_CHANNEL_PREFIX}{}", c.name())
}
/// Weekly open backlog of one workstream.
pub fn backlog_series(workstream: &str) -> String {
    format!("{BACKLOG_PREFIX}{workstream}")
}

/// Scalar metrics every replication reports, in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum M {
    FinishWeek,
    Censored,
    CostTotal,
    CostPerAccepted,
    CostPostDelivery,
    CostPerBacklogItem,
    AcceptedBacklog,
    AcceptedFlow,
    DeepFocusPerSeniorWeek,
    DeepFocusWorstSenior,
    SeniorInterruptionsPerWeek,
    EscapedPer1000,
    DistinctPeople,
    PeakHeadcount,
    ItemsDone,
    ItemsAccepted,
    EscapedDefects,
    ReworkHours,
    CoordinationHours,
    BlockedHours,
    QuestionWaitMean,
    QuestionWaitP95,
    Starts,
    Leavers,
    BenchRequests,
    AccessPersonDays,
    QueueWaitMean,
    PWait,
    QueueLenMean,
    SojournMean,
    WipMean,
    ThroughputPerHour,
    LeadQuestionHours,
}

/// What the catalogue knows about one fixed metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metric {
    /// The CSV column / JSON key.
    pub name: &'static str,
    /// The label people read ("Total cost").
    pub label: &'static str,
    /// A label that fits a 32-character terminal column, unit included.
    pub short: &'static str,
    /// The unit as axes and reports write it ("USD", "week").
    pub unit: &'static str,
    pub better: Option<Better>,
    pub format: Format,
}

const fn metric(
    name: &'static str,
    label: &'static str,
    short: &'static str,
    unit: &'static str,
    better: Option<Better>,
    format: Format,
) -> Metric {
    Metric {
        name,
        label,
        short,
        unit,
        better,
        format,
    }
}

const HIGHER: Option<Better> = Some(Better::Higher);
const LOWER: Option<Better> = Some(Better::Lower);
/// No direction: a descriptive figure.
const NEITHER: Option<Better> = None;

/// The fixed metrics, in `M::ALL` order.
const CATALOGUE: [Metric; 33] = [
    metric(
        "finish_week",
        "Finish week",
        "Finish week",
        "week",
        LOWER,
        Format::Weeks,
    ),
    metric(
        "censored",
        "Not finished by the horizon",
        "Not finished by the horizon",
        "share of replications",
        LOWER,
        Format::Percent,
    ),
    metric("cost_total", "Total cost", "Total cost", "USD", LOWER, Format::Money),
    metric(
        "cost_per_accepted",
        "Cost per accepted item",
        "Cost per accepted item",
        "USD",
        LOWER,
        Format::Money,
    ),
    metric(
        "cost_post_delivery",
        "Post-delivery cost of escapes",
        "Post-delivery cost",
        "USD",
        LOWER,
        Format::Money,
    ),
    metric(
        "cost_per_backlog_item",
        "Total cost per backlog item accepted",
        "Cost per backlog item",
        "USD",
        LOWER,
        Format::Money,
    ),
    metric(
        "accepted_backlog",
        "Backlog items accepted",
        "Backlog items accepted",
        "items",
        HIGHER,
        Format::Count,
    ),
    metric(
        "accepted_flow",
        "Arrivals accepted",
        "Arrivals accepted",
        "items",
        NEITHER,
        Format::Count,
    ),
    metric(
        "deep_focus_h_per_senior_week",
        "Deep-focus hours per senior",
        "Deep-focus h / senior / week",
        "h per senior per week",
        HIGHER,
        Format::Hours,
    ),
    // Batched work must not all land on one senior (MODEL.md §6): the lowest
    // of the seniors' deep focus in a replication, then averaged.
    metric(
        "deep_focus_h_worst_senior_week",
        "Deep-focus hours of the worst-off senior",
        "Deep focus, worst-off senior",
        "h per week",
        HIGHER,
        Format::Hours,
    ),
    metric(
        "senior_interruptions_per_senior_week",
        "Senior interruptions",
        "Senior interruptions / week",
        "per senior per week",
        LOWER,
        Format::Count,
    ),
    metric(
        "escaped_per_1000",
        "Escaped defects",
        "Escaped / 1,000 accepted items",
        "per 1,000 accepted items",
        LOWER,
        Format::Count,
    ),
    metric(
        "distinct_people",
        "People with access",
        "People with access",
        "people",
        LOWER,
        Format::Count,
    ),
    metric(
        "peak_headcount",
        "Peak headcount",
        "Peak headcount",
        "people",
        LOWER,
        Format::Count,
    ),
    metric("items_done", "Items done", "Items done", "items", HIGHER, Format::Count),
    metric(
        "items_accepted",
        "Items accepted",
        "Items accepted",
        "items",
        HIGHER,
        Format::Count,
    ),
    metric(
        "escaped_defects",
        "Escaped defects (count)",
        "Escaped defects",
        "defects",
        LOWER,
        Format::Count,
    ),
    metric(
        "rework_hours",
        "Rework hours",
        "Rework hours",
        "hours",
        LOWER,
        Format::Hours,
    ),
    metric(
        "coordination_hours",
        "Coordination hours",
        "Coordination hours",
        "hours",
        LOWER,
        Format::Hours,
    ),
    metric(
        "blocked_hours",
        "Blocked hours",
        "Blocked hours",
        "hours",
        LOWER,
        Format::Hours,
    ),
    metric(
        "question_wait_mean_h",
        "Mean wait for an answer",
        "Question wait (mean, h)",
        "hours",
        LOWER,
        Format::Hours,
    ),
    metric(
        "question_wait_p95_h",
        "Wait for an answer, P95",
        "Question wait (P95, h)",
        "hours",
        LOWER,
        Format::Hours,
    ),
    metric("starts", "Starts", "Starts", "people", NEITHER, Format::Count),
    metric("leavers", "Leavers", "Leavers", "people", LOWER, Format::Count),
    metric(
        "bench_requests",
        "Bench requests",
        "Bench requests",
        "requests",
        NEITHER,
        Format::Count,
    ),
    metric(
        "access_person_days",
        "Access person-days",
        "Access person-days",
        "person-days",
        LOWER,
        Format::Count,
    ),
    metric(
        "queue_wait_mean_h",
        "Mean wait in queue",
        "Queue wait (mean, h)",
        "hours",
        LOWER,
        Format::Rate,
    ),
    metric("p_wait", "P(wait)", "P(wait)", "probability", LOWER, Format::Rate),
    metric(
        "queue_len_mean",
        "Mean queue length",
        "Queue length (mean)",
        "items",
        LOWER,
        Format::Rate,
    ),
    metric(
        "sojourn_mean_h",
        "Mean time in system",
        "Time in system (mean, h)",
        "hours",
        LOWER,
        Format::Rate,
    ),
    metric(
        "wip_mean",
        "Mean work in progress",
        "WIP (mean)",
        "items",
        NEITHER,
        Format::Rate,
    ),
    metric(
        "throughput_per_h",
        "Throughput",
        "Throughput / h",
        "items per hour",
        HIGHER,
        Format::Rate,
    ),
    metric(
        "lead_question_hours",
        "Pod-lead question hours",
        "Pod-lead question hours",
        "hours",
        LOWER,
        Format::Hours,
    ),
];

/// Metrics of providers under contracts (docs/CONTRACTS.md), summed over
/// a strategy's contracts; reported only by scenarios with `[contract.*]`
/// terms, after the fixed metrics. The client's cost under the terms is
/// `cost_total`.
pub const CONTRACT_METRICS: [Metric; 4] = [
    metric(
        "provider_revenue",
        "Client payments to providers under contract",
        "Paid to providers",
        "USD",
        NEITHER,
        Format::Money,
    ),
    metric(
        "provider_cost",
        "Providers' cost (their people at internal rates)",
        "Providers' cost",
        "USD",
        NEITHER,
        Format::Money,
    ),
    metric(
        "provider_margin",
        "Providers' margin",
        "Providers' margin",
        "USD",
        NEITHER,
        Format::Money,
    ),
    metric(
        "contract_credits",
        "SLA credits and clawbacks to the client",
        "Credits and clawbacks",
        "USD",
        NEITHER,
        Format::Money,
    ),
];

impl M {
    pub const ALL: [M; 33] = [
        M::FinishWeek,
        M::Censored,
        M::CostTotal,
        M::CostPerAccepted,
        M::CostPostDelivery,
        M::CostPerBacklogItem,
        M::AcceptedBacklog,
        M::AcceptedFlow,
        M::DeepFocusPerSeniorWeek,
        M::DeepFocusWorstSenior,
        M::SeniorInterruptionsPerWeek,
        M::EscapedPer1000,
        M::DistinctPeople,
        M::PeakHeadcount,
        M::ItemsDone,
        M::ItemsAccepted,
        M::EscapedDefects,
        M::ReworkHours,
        M::CoordinationHours,
        M::BlockedHours,
        M::QuestionWaitMean,
        M::QuestionWaitP95,
        M::Starts,
        M::Leavers,
        M::BenchRequests,
        M::AccessPersonDays,
        M::QueueWaitMean,
        M::PWait,
        M::QueueLenMean,
        M::SojournMean,
        M::WipMean,
        M::ThroughputPerHour,
        M::LeadQuestionHours,
    ];
    /// Everything the catalogue knows about this metric.
    pub fn info(self) -> &'static Metric {
        &CATALOGUE[self as usize]
    }
    pub fn name(self) -> &'static str {
        self.info().name
    }
    /// The fixed metric called `name`, if it is one.
    pub fn from_name(name: &str) -> Option<M> {
        M::ALL.iter().copied().find(|m| m.name() == name)
    }
}

/// Label, unit, direction and format of any metric or series name podsim
/// writes, including the per-scenario ones. Names podsim does not know
/// (from a newer version, say) are described plainly from their spelling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    pub label: String,
    pub unit: &'static str,
    pub better: Option<Better>,
    pub format: Format,
}

/// Describes a metric or series by its machine name.
pub fn describe(name: &str) -> Described {
    let plain = |s: &str| s.replace('_', " ");
    if let Some(m) = M::from_name(name) {
        let i = m.info();
        return Described {
            label: i.label.to_string(),
            unit: i.unit,
            better: i.better,
            format: i.format,
        };
    }
    if let Some(i) = CONTRACT_METRICS.iter().find(|m| m.name == name) {
        return Described {
            label: i.label.to_string(),
            unit: i.unit,
            better: i.better,
            format: i.format,
        };
    }
    if let Some(cat) = name
        .strip_prefix(SENIOR_CAT_PREFIX)
        .and_then(|r| r.strip_suffix(SENIOR_CAT_SUFFIX))
    {
        let known = Cat::ALL.iter().find(|c| c.name() == cat);
        return Described {
            label: format!(
                "Senior {} hours per senior",
                known.map_or(plain(cat), |c| c.label().to_string())
            ),
            unit: "h per senior per week",
            // Time in any other category is time taken from focus.
            better: if known == Some(&Cat::Focus) { HIGHER } else { LOWER },
            format: Format::Hours,
        };
    }
    if let Some(role) = name.strip_prefix(UTILISATION_PREFIX) {
        return Described {
            label: format!("Utilisation, {}", plain(role)),
            unit: "share of paid hours",
            better: NEITHER,
            format: Format::Percent,
        };
    }
    if let Some(ws) = name.strip_prefix(WS_FINISH_PREFIX) {
        return Described {
            label: format!("Finish week, {ws}"),
            unit: "week",
            better: LOWER,
            format: Format::Weeks,
        };
    }
    if name == HEADCOUNT_TOTAL {
        return Described {
            label: "Headcount".into(),
            unit: "people",
            better: NEITHER,
            format: Format::Count,
        };
    }
    if let Some(rest) = name.strip_prefix(HEADCOUNT_PREFIX) {
        let who = rest.strip_prefix("channel.").unwrap_or(rest);
        return Described {
            label: format!("Headcount, {}", plain(who)),
            unit: "people",
            better: NEITHER,
            format: Format::Count,
        };
    }
    if let Some(ws) = name.strip_prefix(BACKLOG_PREFIX) {
        return Described {
            label: format!("Open backlog, {ws}"),
            unit: "items",
            better: LOWER,
            format: Format::Count,
        };
    }
    if name == COST_CUMULATIVE {
        return Described {
            label: "Cumulative cost".into(),
            unit: "USD",
            better: LOWER,
            format: Format::Money,
        };
    }
    let unit = if name.ends_with("_hours") || name.ends_with("_h") {
        "hours"
    } else {
        ""
    };
    Described {
        label: plain(name),
        unit,
        better: NEITHER,
        format: if name.starts_with("cost") {
            Format::Money
        } else {
            Format::Count
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_rows_follow_the_enum_order() {
        for (i, m) in M::ALL.iter().enumerate() {
            assert_eq!(*m as usize, i);
            assert_eq!(M::from_name(m.name()), Some(*m));
        }
        let mut names: Vec<&str> = M::ALL.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), M::ALL.len(), "metric names are unique");
    }

    #[test]
    fn short_labels_fit_the_terminal_column() {
        for m in M::ALL {
            assert!(m.info().short.chars().count() < 32, "{}", m.info().short);
        }
    }

    #[test]
    fn per_scenario_names_are_described() {
        assert_eq!(
            describe(&Cat::OpsSupport.metric_name()).label,
            "Senior ops support hours per senior"
        );
        assert_eq!(describe(&Cat::Focus.metric_name()).better, Some(Better::Higher));
        assert_eq!(describe(&utilisation_metric(Role::SeniorMl)).better, None);
        assert_eq!(describe(&ws_finish_metric("eval")).unit, "week");
        assert_eq!(
            describe(&headcount_channel_series(Channel::Bench)).label,
            "Headcount, bench"
        );
        assert_eq!(describe(COST_CUMULATIVE).format, Format::Money);
        assert_eq!(describe("cost_total").label, "Total cost");
        assert_eq!(describe("mystery_hours").unit, "hours");
    }
}
