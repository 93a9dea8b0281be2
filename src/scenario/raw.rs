//! The scenario file as written: serde structs mirroring docs/SCENARIO.md.
//!
//! Every table denies unknown fields so a typo is an error, not a silently
//! ignored setting. Optional fields stay `Option` here; defaults are applied in
//! `validate`, in one place, next to their sources.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    pub description: Option<String>,
    pub seed: Option<u64>,
    pub replications: Option<u32>,
    pub horizon_weeks: Option<f64>,
    pub warmup_weeks: Option<f64>,
    pub deadline_weeks: Option<f64>,
    pub start_date: Option<String>,
    #[serde(default)]
    pub workstream: Vec<RawWorkstream>,
    pub seniors: Option<RawSeniors>,
    pub overhead: Option<RawOverhead>,
    pub quality: Option<RawQuality>,
    #[serde(default)]
    pub channels: BTreeMap<String, RawChannel>,
    /// Providers' commercial terms by contract name (docs/CONTRACTS.md).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub contract: BTreeMap<String, RawContract>,
    #[serde(default)]
    pub strategy: Vec<RawStrategy>,
    /// The optimiser's settings (docs/OPTIMISER.md).
    pub optimise: Option<RawOptimise>,
    /// Uncertain inputs: field path -> distribution (docs/UNCERTAINTY.md).
    /// Checked by `uncertainty::Spec`, which resolves the paths; the model
    /// itself never reads it.
    pub uncertainty: Option<toml::Table>,
    /// What outcomes are worth, for the decision value (docs/UNCERTAINTY.md).
    pub decision: Option<RawDecision>,
}

/// `[decision]`: money per unit of each outcome; each optional.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawDecision {
    pub cost_per_week_late: Option<f64>,
    pub cost_per_escaped_defect: Option<f64>,
    pub cost_per_person_with_access: Option<f64>,
    pub value_per_senior_focus_hour: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkstream {
    pub name: String,
    pub skill: String,
    pub backlog: Option<u64>,
    pub arrivals_per_week: Option<f64>,
    #[serde(default)]
    pub surge: Vec<RawSurge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arrivals_at_weeks: Vec<f64>,
    pub effort_hours: RawDist,
    #[serde(default)]
    pub after: Vec<RawGate>,
    pub defect_rate: Option<f64>,
    pub questions_per_item: Option<f64>,
    pub deadline_weeks: Option<f64>,
    pub interdependence: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSurge {
    pub from_week: f64,
    pub to_week: f64,
    pub factor: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawGate {
    pub stream: String,
    pub fraction: f64,
}

/// A distribution, tagged by `dist`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "dist", rename_all = "lowercase", deny_unknown_fields)]
pub enum RawDist {
    Fixed { value: f64 },
    Exponential { mean: f64 },
    Lognormal { mean: f64, cv: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
    Gamma { mean: f64, cv: f64 },
    Uniform { min: f64, max: f64 },
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSeniors {
    pub count: Option<u32>,
    pub rate: Option<f64>,
    pub resume_minutes: Option<f64>,
    pub focus_block_minutes: Option<f64>,
    pub handling_minutes: Option<RawDist>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOverhead {
    pub coefficient: Option<f64>,
    pub cap: Option<f64>,
    pub groups: Option<String>,
    pub coordination_hours_per_report_week: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawQuality {
    pub detect_prob: Option<f64>,
    pub rework_fraction: Option<f64>,
    pub escape_delay_weeks: Option<f64>,
    pub triage_hours: Option<f64>,
    pub cost_per_escaped_defect: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawChannel {
    pub rate: Option<f64>,
    #[serde(default)]
    pub rates: BTreeMap<String, f64>,
    pub lead_days: Option<f64>,
    pub ramp_start: Option<f64>,
    pub ramp_days: Option<f64>,
    pub mentor_fte: Option<f64>,
    pub attrition_per_year: Option<f64>,
    pub mean_tenure_weeks: Option<f64>,
    pub handover_loss: Option<f64>,
    pub quality_factor: Option<f64>,
    pub productivity: Option<f64>,
    pub hire_cost: Option<f64>,
    pub setup_weeks: Option<f64>,
    pub part_time: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStrategy {
    pub name: String,
    pub structure: String,
    pub interrupt_policy: Option<String>,
    pub office_hours_every: Option<f64>,
    pub review_fraction: Option<f64>,
    pub review_hours: Option<f64>,
    pub ops_requests_per_contributor_week: Option<f64>,
    pub ops_request_hours: Option<f64>,
    pub start: Option<String>,
    pub pods: Option<RawPods>,
    pub scaling: Option<RawScaling>,
    #[serde(default)]
    pub team: Vec<RawTeamEntry>,
    #[serde(default)]
    pub plan: Vec<RawRosterChange>,
    /// Names of the `[contract.*]` terms this strategy's providers work under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<String>,
}

/// `[contract.<name>]`: one provider's pricing and contract terms.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawContract {
    pub channel: String,
    pub pricing: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub internal_rates: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub price_per_item: BTreeMap<String, f64>,
    pub clawback_per_escape: Option<f64>,
    pub fixed_price: Option<f64>,
    pub scope: Option<Vec<String>>,
    pub scope_items: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<RawMilestone>,
    pub credit_per_week_late: Option<f64>,
    pub quality_max_escaped_per_1000: Option<f64>,
    pub quality_credit: Option<f64>,
    pub change_order_per_item: Option<f64>,
    pub min_commit_weeks: Option<f64>,
    pub min_commit_spend: Option<f64>,
    pub notice_weeks: Option<f64>,
    pub onboarding_per_person: Option<f64>,
    pub onboarding_per_pod: Option<f64>,
}

/// A milestone of a fixed-price contract.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    pub week: f64,
    pub items: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workstreams: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPods {
    pub count: Option<u32>,
    pub pod_size: Option<u32>,
    pub max_size: Option<u32>,
    pub lead_resolves: Option<f64>,
    pub escalation_every_hours: Option<f64>,
    pub governance_hours_per_week: Option<f64>,
    pub senior_sync_hours_per_week: Option<f64>,
    pub pod_margin: Option<f64>,
    pub lead_channel: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawScaling {
    pub policy: String,
    pub review_every_weeks: Option<f64>,
    pub bench_max: Option<u32>,
    pub bench_premium: Option<f64>,
    pub release_below: Option<f64>,
    pub cooldown_weeks: Option<u32>,
    pub min_weeks: Option<f64>,
    pub hire_channel: Option<String>,
    pub max_hires: Option<u32>,
    pub queue_target_weeks: Option<f64>,
    pub damping: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeamEntry {
    pub role: String,
    pub channel: String,
    pub count: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRosterChange {
    pub week: f64,
    pub role: String,
    pub channel: String,
    pub count: i32,
}

/// `[optimise]`: what the optimiser plans and under which limits (docs/OPTIMISER.md).
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOptimise {
    pub strategy: Option<String>,
    pub period: Option<String>,
    pub deadline_weeks: Option<f64>,
    pub objective: Option<String>,
    pub budget: Option<f64>,
    pub access_cap: Option<f64>,
    pub bench_max: Option<f64>,
    pub min_employees: Option<f64>,
    pub senior_focus_floor_hours: Option<f64>,
    pub integer: Option<bool>,
    pub max_utilisation: Option<f64>,
    pub arrival_service_weeks: Option<f64>,
    pub initial_team: Option<String>,
    pub time_limit_seconds: Option<f64>,
    pub work_limit: Option<f64>,
    pub mip_gap: Option<f64>,
    #[serde(default)]
    pub channels: BTreeMap<String, RawChannelLimits>,
    pub frontier: Option<RawFrontier>,
}

/// `[optimise.channels.<channel>]`.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawChannelLimits {
    pub allowed: Option<bool>,
    pub max: Option<f64>,
    #[serde(default)]
    pub max_by_role: BTreeMap<String, f64>,
    pub share_min: Option<f64>,
    pub share_max: Option<f64>,
    pub min_weeks: Option<f64>,
    pub notice_weeks: Option<f64>,
}

/// `[optimise.frontier]`: the deadlines the frontier visits.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFrontier {
    pub from_weeks: Option<f64>,
    pub to_weeks: Option<f64>,
    pub step_weeks: Option<f64>,
}
