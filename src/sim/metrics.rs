//! What one replication reports (MODEL.md §9): a fixed list of named scalar
//! metrics plus weekly series, laid out once per model so the hot path writes
//! into plain vectors by index. Names, labels and units live in the metric
//! catalogue (`crate::metrics`); this is only where each one sits.

pub use crate::metrics::{Cat, M};

use crate::metrics::{self as catalogue, COST_CUMULATIVE, HEADCOUNT_TOTAL};
use crate::model::{Channel, Model, Role, HOURS_PER_WEEK};

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
    /// Index of the first contract metric ([`catalogue::CONTRACT_METRICS`]),
    /// when the scenario has contracts.
    pub contract_base: Option<usize>,
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
            metric_names.push(c.metric_name());
        }
        let util_base = metric_names.len();
        for r in Role::ALL {
            metric_names.push(catalogue::utilisation_metric(r));
        }
        let ws_finish_base = metric_names.len();
        for w in &model.workstreams {
            metric_names.push(catalogue::ws_finish_metric(&w.name));
        }
        let contract_base = model.has_contracts().then_some(metric_names.len());
        if contract_base.is_some() {
            metric_names.extend(catalogue::CONTRACT_METRICS.iter().map(|m| m.name.to_string()));
        }
        let mut series_names = Vec::new();
        let s_role_base = series_names.len();
        for r in Role::ALL {
            series_names.push(catalogue::headcount_role_series(r));
        }
        let s_channel_base = series_names.len();
        for c in Channel::ALL {
            series_names.push(catalogue::headcount_channel_series(c));
        }
        let s_total = series_names.len();
        series_names.push(HEADCOUNT_TOTAL.to_string());
        let s_backlog_base = series_names.len();
        for w in &model.workstreams {
            series_names.push(catalogue::backlog_series(&w.name));
        }
        let s_cost = series_names.len();
        series_names.push(COST_CUMULATIVE.to_string());
        Layout {
            metric_names,
            senior_cat_base,
            util_base,
            ws_finish_base,
            contract_base,
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
            senior_cat_base: find(&metric_names, &Cat::Focus.metric_name()),
            util_base: find(&metric_names, &catalogue::utilisation_metric(Role::ALL[0])),
            ws_finish_base: metric_names
                .iter()
                .position(|n| n.starts_with(catalogue::WS_FINISH_PREFIX))
                .unwrap_or(metric_names.len()),
            contract_base: metric_names
                .iter()
                .position(|n| n == catalogue::CONTRACT_METRICS[0].name),
            s_role_base: find(&series_names, &catalogue::headcount_role_series(Role::ALL[0])),
            s_channel_base: find(&series_names, &catalogue::headcount_channel_series(Channel::ALL[0])),
            s_total: find(&series_names, HEADCOUNT_TOTAL),
            s_backlog_base: series_names
                .iter()
                .position(|n| n.starts_with(catalogue::BACKLOG_PREFIX))
                .unwrap_or(0),
            s_cost: find(&series_names, COST_CUMULATIVE),
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
