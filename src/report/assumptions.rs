//! The assumptions section: the model's main parameters with this
//! scenario's values next to podsim's documented defaults and their sources
//! (MODEL.md §3-§8). Values come from the scenario file when it is still
//! where the run found it and unchanged (same SHA-256); otherwise only the
//! defaults are shown, and the report says why.

use super::{heading, para, strong, text, Block, Scenario, Table};
use crate::model::{Channel, Model, Structure, HOURS_PER_DAY, HOURS_PER_WEEK, HOURS_PER_YEAR};

const ABDEL_HAMID: &str = "Abdel-Hamid & Madnick 1991";
const ESTIMATE: &str = "estimate";

pub(crate) fn num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// "a 0.05, b 0.1", collapsed to "0.05" when every item has the same value.
fn per<T>(items: &[T], name: impl Fn(&T) -> &str, value: impl Fn(&T) -> Option<String>) -> String {
    let vals: Vec<(String, String)> = items
        .iter()
        .filter_map(|i| value(i).map(|v| (name(i).to_string(), v)))
        .collect();
    if vals.is_empty() {
        return "n/a".into();
    }
    if vals.iter().all(|(_, v)| *v == vals[0].1) {
        return vals[0].1.clone();
    }
    vals.iter()
        .map(|(n, v)| format!("{n}: {v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One row: parameter, value in this scenario (if known), default, source.
struct Row {
    name: &'static str,
    value: Option<String>,
    default: String,
    source: &'static str,
}

fn rows(m: Option<&Model>) -> Vec<Row> {
    let v = |f: &dyn Fn(&Model) -> String| m.map(f);
    let pods = |m: &Model| {
        m.strategies
            .iter()
            .filter(|s| s.pods.is_some())
            .cloned()
            .collect::<Vec<_>>()
    };
    let pod_value = |m: &Model, f: &dyn Fn(&crate::model::Pods) -> String| {
        let p = pods(m);
        if p.is_empty() {
            "no pods strategy".to_string()
        } else {
            per(&p, |s| s.name.as_str(), |s| s.pods.as_ref().map(f))
        }
    };
    vec![
        Row {
            name: "Working time",
            value: None,
            default: "1 week = 5 days x 8 h = 40 h".into(),
            source: "MODEL.md §1",
        },
        Row {
            name: "Senior ML engineers (count, rate)",
            value: v(&|m| format!("{}, ${}/h", m.seniors.count, num(m.seniors.rate))),
            default: "scenario sets count; $120/h".into(),
            source: "rate illustrative",
        },
        Row {
            name: "Communication overhead f(n) = min(cap, c · interdependence · n²)",
            value: v(&|m| format!("c = {}, cap = {}", num(m.overhead.coefficient), num(m.overhead.cap))),
            default: "c = 0.0006, cap = 0.8".into(),
            source: ABDEL_HAMID,
        },
        Row {
            name: "Coordination groups",
            value: v(&|m| match m.overhead.groups {
                crate::model::Groups::Skill => "by skill (individual), per pod (pods)".into(),
                crate::model::Groups::All => "everyone in one group".into(),
            }),
            default: "by skill (individual), per pod (pods)".into(),
            source: "MODEL.md §5",
        },
        Row {
            name: "Hub cost per direct report (seniors, pod leads)",
            value: v(&|m| format!("{} h/week", num(m.overhead.hub_hours_per_report_week))),
            default: "0.5 h/week".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Interdependence of work (per workstream)",
            value: v(&|m| per(&m.workstreams, |w| w.name.as_str(), |w| Some(num(w.interdependence)))),
            default: "domain experts and data quality 0.25, others 1".into(),
            source: "MODEL.md §5, estimate",
        },
        Row {
            name: "Time to handle a question or interruption (mean)",
            value: v(&|m| format!("{} min", num(m.seniors.handling.mean() * 60.0))),
            default: "15 min (lognormal, cv 1)".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Recovery after an interruption",
            value: v(&|m| format!("{} min", num(m.seniors.resume_hours * 60.0))),
            default: "12 min".into(),
            source: "Parnin & Rugaber 2011 (~10-15 min); Mark et al. 2008 (~23 min)",
        },
        Row {
            name: "Deep-focus block (minimum unbroken focus)",
            value: v(&|m| format!("{} min", num(m.seniors.focus_block_hours * 60.0))),
            default: "120 min".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Defect rate per item",
            value: v(&|m| per(&m.workstreams, |w| w.name.as_str(), |w| Some(num(w.defect_rate)))),
            default: "0.05".into(),
            source: "Northcutt et al. 2021 (≥ 3.3 % label errors)",
        },
        Row {
            name: "Questions per item (mean)",
            value: v(&|m| per(&m.workstreams, |w| w.name.as_str(), |w| Some(num(w.questions_per_item)))),
            default: "0.5".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Review: share of items, hours per review",
            value: v(&|m| {
                per(
                    &m.strategies,
                    |s| s.name.as_str(),
                    |s| Some(format!("{}, {} h", num(s.review_fraction), num(s.review_hours))),
                )
            }),
            default: "individual 0.2, pods 0.3; 0.25 h".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Defect caught in review / rework share",
            value: v(&|m| format!("{} / {}", num(m.quality.detect_prob), num(m.quality.rework_fraction))),
            default: "0.9 / 0.5".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Escaped defect found after (mean) / senior triage",
            value: v(&|m| {
                format!(
                    "{} weeks / {} h",
                    num(m.quality.escape_delay_hours / HOURS_PER_WEEK),
                    num(m.quality.triage_hours)
                )
            }),
            default: "4 weeks / 1 h".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Ops requests per contributor-week (individual: to seniors)",
            value: v(&|m| {
                per(
                    &m.strategies,
                    |s| s.name.as_str(),
                    |s| Some(num(s.ops_requests_per_contributor_hour * HOURS_PER_WEEK)),
                )
            }),
            default: "0.5, 30 min each".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Pod lead resolves questions",
            value: v(&|m| pod_value(m, &|p| num(p.lead_resolves))),
            default: "0.85".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Escalation sync with seniors every",
            value: v(&|m| pod_value(m, &|p| format!("{} h", num(p.escalation_every_hours)))),
            default: "8 h".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Pod governance (lead) / senior sync per pod",
            value: v(&|m| {
                pod_value(m, &|p| {
                    format!(
                        "{} / {} h/week",
                        num(p.governance_hours_per_week),
                        num(p.senior_sync_hours_per_week)
                    )
                })
            }),
            default: "4 / 1 h/week".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Pod provider margin",
            value: v(&|m| pod_value(m, &|p| num(p.margin))),
            default: "0.25".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Pod size (max)",
            value: v(&|m| pod_value(m, &|p| format!("{} ({})", p.size, p.max_size))),
            default: "6 (9)".into(),
            source: ESTIMATE,
        },
        Row {
            name: "Loaded cost",
            value: None,
            default: "rates ≈ 1.43 x wages".into(),
            source: "US BLS employer-cost data; example rates illustrative",
        },
    ]
}

fn attrition(c: &crate::model::ChannelParams) -> String {
    if c.attrition_per_hour <= 0.0 {
        return "none (released by policy)".into();
    }
    let per_year = 1.0 - (-c.attrition_per_hour * HOURS_PER_YEAR).exp();
    let tenure_weeks = 1.0 / (c.attrition_per_hour * HOURS_PER_WEEK);
    if tenure_weeks < 52.0 {
        format!("mean tenure {} weeks", num((tenure_weeks * 10.0).round() / 10.0))
    } else {
        format!("{} %/yr", num((per_year * 1000.0).round() / 10.0))
    }
}

fn channel_cells(c: &crate::model::ChannelParams) -> [String; 4] {
    [
        format!("{} days", num(c.lead_hours / HOURS_PER_DAY)),
        format!(
            "{} → 1.0 over {} days",
            num(c.ramp_start),
            num(c.ramp_hours / HOURS_PER_DAY)
        ),
        attrition(c),
        num(c.handover_loss),
    ]
}

fn channel_source(c: Channel) -> &'static str {
    match c {
        Channel::Employee => "Abdel-Hamid & Madnick 1991 (lead, ramp); tech-sector turnover 13.2 %/yr",
        Channel::Freelancer => {
            "Madachy 2008 (ramp); attrition estimate (15-80 %/yr), not agency assignment lengths; lead time estimate"
        }
        Channel::Pod => "estimates (provider backfills, documented processes)",
        Channel::Bench => "estimates (pre-vetted pool)",
    }
}

/// The assumptions blocks of the report.
pub fn blocks(s: &Scenario) -> Vec<Block> {
    let model = match s {
        Scenario::Loaded(m) => Some(*m),
        Scenario::Unavailable { .. } => None,
    };
    let mut out = vec![heading(3, "Assumptions")];
    match s {
        Scenario::Loaded(_) => out.push(para(vec![text(
            "This scenario's values next to podsim's documented defaults (a scenario may override any of them) and where each default comes from. \"estimate\" marks a modelling judgement, not a measurement.",
        )])),
        Scenario::Unavailable { why, .. } => out.push(para(vec![
            strong("Scenario values unavailable: "),
            text(format!("{why}. The table lists podsim's documented defaults, which the scenario may have overridden.")),
        ])),
    }
    let with_values = model.is_some();
    let mut header = vec!["Parameter".to_string()];
    if with_values {
        header.push("This scenario".into());
    }
    header.extend(["Default".to_string(), "Source".to_string()]);
    let table_rows = rows(model)
        .into_iter()
        .map(|r| {
            let mut row = vec![r.name.to_string()];
            if with_values {
                row.push(r.value.unwrap_or_else(|| r.default.clone()));
            }
            row.extend([r.default, r.source.to_string()]);
            row
        })
        .collect();
    out.push(Block::Table(Table {
        numeric: vec![false; header.len()],
        header,
        rows: table_rows,
    }));

    out.push(heading(3, "Sourcing channels"));
    let used: Vec<Channel> = match model {
        Some(m) => Channel::ALL
            .into_iter()
            .filter(|&c| {
                m.strategies.iter().any(|s| {
                    s.team.iter().any(|t| t.channel == c)
                        || s.pods.as_ref().is_some_and(|p| p.lead_channel == c)
                        || s.scaling.hire_channel == c && s.scaling.policy == crate::model::ScalingPolicy::Hiring
                        || c == Channel::Bench && s.scaling.policy == crate::model::ScalingPolicy::ElasticBench
                        || s.plan.iter().any(|p| p.channel == c)
                }) || c == Channel::Pod && m.strategies.iter().any(|s| s.structure == Structure::Pods)
            })
            .collect(),
        None => Channel::ALL.to_vec(),
    };
    out.push(para(vec![text(
        "People who join after the start come through a channel: lead time before they start, ramp-up of their productivity, attrition, \
         and the share of an item's progress lost when someone leaves mid-item (handover loss). The initial roster starts fully ramped.",
    )]));
    let header = [
        "Channel",
        "Lead time",
        "Ramp-up",
        "Attrition",
        "Handover loss",
        "Default source",
    ]
    .map(String::from)
    .to_vec();
    let rows = used
        .iter()
        .map(|&c| {
            let params = match s {
                Scenario::Loaded(m) => m.channel(c),
                Scenario::Unavailable { channel_defaults, .. } => &channel_defaults[c.index()],
            };
            let [lead, ramp, attr, handover] = channel_cells(params);
            vec![
                c.name().to_string(),
                lead,
                ramp,
                attr,
                handover,
                channel_source(c).to_string(),
            ]
        })
        .collect();
    out.push(Block::Table(Table {
        header,
        rows,
        numeric: vec![false, true, false, false, true, false],
    }));
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// podsim's defaults, as a scenario that overrides no channel gets them.
    pub(crate) fn default_channels() -> [crate::model::ChannelParams; Channel::COUNT] {
        // The starter scenario without its one channel override.
        let text = include_str!("../cli/starter.toml").replace("[channels.freelancer]\nrate = 55.0\n", "");
        let m = crate::scenario::parse_str(&text, "starter.toml").unwrap();
        assert!(
            m.channels[Channel::Freelancer.index()].rate[0] != 55.0,
            "override removed"
        );
        m.channels.clone()
    }
    fn default_channel(c: Channel) -> crate::model::ChannelParams {
        default_channels()[c.index()].clone()
    }

    #[test]
    fn defaults_read_as_documented() {
        assert_eq!(
            channel_cells(&default_channel(Channel::Employee)),
            ["40 days", "0.5 → 1.0 over 80 days", "13.2 %/yr", "0.25"].map(String::from)
        );
        assert_eq!(channel_cells(&default_channel(Channel::Freelancer))[2], "40 %/yr");
        assert_eq!(
            channel_cells(&default_channel(Channel::Bench))[2],
            "none (released by policy)"
        );
    }

    #[test]
    fn per_item_values_collapse_when_equal() {
        let items = [("a", 0.05), ("b", 0.05)];
        assert_eq!(per(&items, |i| i.0, |i| Some(num(i.1))), "0.05");
        let items = [("a", 0.05), ("b", 0.1)];
        assert_eq!(per(&items, |i| i.0, |i| Some(num(i.1))), "a: 0.05; b: 0.1");
    }
}
