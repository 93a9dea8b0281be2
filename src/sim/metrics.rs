//! What one replication reports (MODEL.md §9): a fixed list of named scalar
//! metrics plus weekly series, laid out once per model so the hot path writes
//! into plain vectors by index.

use crate::model::{Channel, Model, Role, HOURS_PER_WEEK};

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
}

/// Scalar metrics every replication reports, in output order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum M {
    FinishWeek,
    Censored,
    CostTotal,
    CostPerAccepted,
    DeepFocusPerSeniorWeek,
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

impl M {
    pub const ALL: [M; 28] = [
        M::FinishWeek,
        M::Censored,
        M::CostTotal,
        M::CostPerAccepted,
        M::DeepFocusPerSeniorWeek,
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
    pub fn name(self) -> &'static str {
        match self {
            M::FinishWeek => "finish_week",
            M::Censored => "censored",
            M::CostTotal => "cost_total",
            M::CostPerAccepted => "cost_per_accepted",
            M::DeepFocusPerSeniorWeek => "deep_focus_h_per_senior_week",
            M::SeniorInterruptionsPerWeek => "senior_interruptions_per_senior_week",
            M::EscapedPer1000 => "escaped_per_1000",
            M::DistinctPeople => "distinct_people",
            M::PeakHeadcount => "peak_headcount",
            M::ItemsDone => "items_done",
            M::ItemsAccepted => "items_accepted",
            M::EscapedDefects => "escaped_defects",
            M::ReworkHours => "rework_hours",
            M::CoordinationHours => "coordination_hours",
            M::BlockedHours => "blocked_hours",
            M::QuestionWaitMean => "question_wait_mean_h",
            M::QuestionWaitP95 => "question_wait_p95_h",
            M::Starts => "starts",
            M::Leavers => "leavers",
            M::BenchRequests => "bench_requests",
            M::AccessPersonDays => "access_person_days",
            M::QueueWaitMean => "queue_wait_mean_h",
            M::PWait => "p_wait",
            M::QueueLenMean => "queue_len_mean",
            M::SojournMean => "sojourn_mean_h",
            M::WipMean => "wip_mean",
            M::ThroughputPerHour => "throughput_per_h",
            M::LeadQuestionHours => "lead_question_hours",
        }
    }
}

/// Names and positions of every metric and series for one model.
#[derive(Clone, Debug)]
pub struct Layout {
    pub metric_names: Vec<String>,
    /// Index of the first senior-category metric (hours per senior per week).
    pub senior_cat_base: usize,
    /// Index of the first utilisation-by-role metric.
    pub util_base: usize,
    /// Index of the first per-workstream finish-week metric.
    pub ws_finish_base: usize,
    pub series_names: Vec<String>,
    /// Series index of headcount by role (Role::ALL order), channel, total, backlog by workstream, cost.
    pub s_role_base: usize,
    pub s_channel_base: usize,
    pub s_total: usize,
    pub s_backlog_base: usize,
    pub s_cost: usize,
    /// Weekly points: week 0 ..= weeks.
    pub weeks: usize,
}

impl Layout {
    pub fn new(model: &Model) -> Layout {
        let mut metric_names: Vec<String> = M::ALL.iter().map(|m| m.name().to_string()).collect();
        let senior_cat_base = metric_names.len();
        for c in Cat::ALL {
            metric_names.push(format!("senior_{}_h_per_senior_week", c.name()));
        }
        let util_base = metric_names.len();
        for r in Role::ALL {
            metric_names.push(format!("utilisation.{}", r.name()));
        }
        let ws_finish_base = metric_names.len();
        for w in &model.workstreams {
            metric_names.push(format!("finish_week.{}", w.name));
        }
        let mut series_names = Vec::new();
        let s_role_base = series_names.len();
        for r in Role::ALL {
            series_names.push(format!("headcount.{}", r.name()));
        }
        let s_channel_base = series_names.len();
        for c in Channel::ALL {
            series_names.push(format!("headcount.channel.{}", c.name()));
        }
        let s_total = series_names.len();
        series_names.push("headcount.total".to_string());
        let s_backlog_base = series_names.len();
        for w in &model.workstreams {
            series_names.push(format!("backlog.{}", w.name));
        }
        let s_cost = series_names.len();
        series_names.push("cost.cumulative".to_string());
        Layout {
            metric_names,
            senior_cat_base,
            util_base,
            ws_finish_base,
            series_names,
            s_role_base,
            s_channel_base,
            s_total,
            s_backlog_base,
            s_cost,
            weeks: (model.horizon_hours / HOURS_PER_WEEK).ceil() as usize,
        }
    }
    /// A layout known only by its names (read back from files). The engine's
    /// base indices are recovered where the names are podsim's own.
    pub fn from_names(metric_names: Vec<String>, series_names: Vec<String>, weeks: usize) -> Layout {
        let find = |names: &[String], n: &str| names.iter().position(|x| x == n).unwrap_or(0);
        Layout {
            senior_cat_base: find(&metric_names, "senior_focus_h_per_senior_week"),
            util_base: find(&metric_names, "utilisation.senior_ml"),
            ws_finish_base: metric_names
                .iter()
                .position(|n| n.starts_with("finish_week."))
                .unwrap_or(metric_names.len()),
            s_role_base: find(&series_names, "headcount.senior_ml"),
            s_channel_base: find(&series_names, "headcount.channel.employee"),
            s_total: find(&series_names, "headcount.total"),
            s_backlog_base: series_names.iter().position(|n| n.starts_with("backlog.")).unwrap_or(0),
            s_cost: find(&series_names, "cost.cumulative"),
            metric_names,
            series_names,
            weeks,
        }
    }

    pub fn metric_index(&self, name: &str) -> Option<usize> {
        self.metric_names.iter().position(|n| n == name)
    }
    pub fn series_index(&self, name: &str) -> Option<usize> {
        self.series_names.iter().position(|n| n == name)
    }
}

/// One replication of one strategy.
#[derive(Clone, Debug, PartialEq)]
pub struct RepResult {
    /// Indexed like `Layout::metric_names`; NaN where a metric does not apply
    /// (per-senior figures with no seniors, waits with no questions).
    pub metrics: Vec<f64>,
    /// `series[s][week]`, indexed like `Layout::series_names`.
    pub series: Vec<Vec<f64>>,
    /// A broken conservation invariant (MODEL.md §10), if any.
    pub invariant_violation: Option<String>,
}
