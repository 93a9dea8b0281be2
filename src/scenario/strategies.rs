//! `[[strategy]]` -> validated [`Strategy`]s: structure, interrupt policy,
//! the week-0 team, the roster plan, pods and the scaling controller.

use super::raw::*;
use super::schema::{self, Field};
use super::spans::closest;
use super::validate::*;
use crate::model::*;

pub(super) fn strategy(
    p: &FieldPath,
    s: &RawStrategy,
    workstreams: &[Workstream],
    seniors: &Seniors,
    horizon_weeks: f64,
) -> Result<Strategy> {
    if s.name.trim().is_empty() {
        return err(&p.key("name"), "expected a non-empty strategy name");
    }
    let structure = name_of(
        &p.key("structure"),
        &s.structure,
        "structure",
        &[Structure::Individual, Structure::Pods],
        Structure::name,
    )?;
    let interrupt_policy = interrupt_policy(p, s)?;
    if structure == Structure::Individual && s.pods.is_some() {
        return err(&p.key("pods"), "`pods` settings need structure = \"pods\"");
    }
    let review_default = match (structure, schema::ST_REVIEW_FRACTION.default) {
        (Structure::Individual, schema::Default::ByStructure { individual, .. }) => individual,
        (Structure::Pods, schema::Default::ByStructure { pods, .. }) => pods,
        (_, d) => unreachable!("review_fraction defaults by structure, not {d:?}"),
    };
    let review_fraction = number(
        &p.key("review_fraction"),
        &schema::ST_REVIEW_FRACTION,
        s.review_fraction,
        review_default,
    )?;
    let review_hours = value(&p.key("review_hours"), &schema::ST_REVIEW_HOURS, s.review_hours)?;
    let ops_rate = value(
        &p.key("ops_requests_per_contributor_week"),
        &schema::ST_OPS_RATE,
        s.ops_requests_per_contributor_week,
    )?;
    let ops_request_hours = value(&p.key("ops_request_hours"), &schema::ST_OPS_HOURS, s.ops_request_hours)?;
    let (team, people) = team(p, s, workstreams)?;
    let plan = roster_plan(p, s, horizon_weeks)?;
    let pods = match structure {
        Structure::Individual => None,
        Structure::Pods => Some(pods(&p.key("pods"), &s.pods.clone().unwrap_or_default(), people)?),
    };
    let scaling = scaling(&p.key("scaling"), s.scaling.as_ref())?;
    let start = name_of(
        &p.key("start"),
        s.start.as_deref().unwrap_or("existing"),
        "start",
        &[Start::Existing, Start::New],
        Start::name,
    )?;

    // Work routed to seniors needs seniors.
    let needs_seniors = (structure == Structure::Individual
        && (workstreams.iter().any(|w| w.questions_per_item > 0.0) || review_fraction > 0.0 || ops_rate > 0.0))
        || workstreams.iter().any(|w| w.defect_rate > 0.0)
        || (structure == Structure::Pods && workstreams.iter().any(|w| w.questions_per_item > 0.0));
    if needs_seniors && seniors.count == 0 {
        return err(
            p,
            format!(
                "strategy \"{}\" routes questions, reviews, ops requests or defect triage to seniors, but `seniors.count` is 0",
                s.name
            ),
        );
    }

    // Bench seats of a strategy without pods are priced at the default margin.
    let pod_margin = pods.as_ref().map_or(schema::PODS_MARGIN.default_num(), |p| p.margin);
    Ok(Strategy {
        name: s.name.clone(),
        structure,
        pod_margin,
        interrupt_policy,
        review_fraction,
        review_hours,
        ops_requests_per_contributor_hour: ops_rate / HOURS_PER_WEEK,
        ops_request_hours,
        pods,
        scaling,
        start,
        team,
        plan,
        terms: [None; Channel::COUNT],
    })
}

fn interrupt_policy(p: &FieldPath, s: &RawStrategy) -> Result<InterruptPolicy> {
    match s.interrupt_policy.as_deref().unwrap_or("immediate") {
        "immediate" => {
            if s.office_hours_every.is_some() {
                return err(
                    &p.key("office_hours_every"),
                    "only used with interrupt_policy = \"office_hours\"",
                );
            }
            Ok(InterruptPolicy::Immediate)
        }
        "office_hours" => Ok(InterruptPolicy::OfficeHours {
            every_hours: value(
                &p.key("office_hours_every"),
                &schema::ST_OFFICE_HOURS,
                s.office_hours_every,
            )?,
        }),
        other => {
            let hint = closest(other, ["immediate", "office_hours"])
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            err(
                &p.key("interrupt_policy"),
                format!("unknown policy \"{other}\"{hint}; expected \"immediate\" or \"office_hours\""),
            )
        }
    }
}

/// The roster at week 0 and its number of people.
fn team(p: &FieldPath, s: &RawStrategy, workstreams: &[Workstream]) -> Result<(Vec<TeamEntry>, u64)> {
    let mut team = Vec::new();
    let mut people: u64 = 0;
    for (j, t) in s.team.iter().enumerate() {
        let tp = p.key("team").index(j);
        let role = role(&tp.key("role"), &t.role)?;
        let channel = channel(&tp.key("channel"), &t.channel)?;
        if role == Role::PodLead {
            return err(
                &tp.key("role"),
                "pod leads come with `pods.count`; list only contributors in `team`",
            );
        }
        if t.count > limits::MAX_TEAM_ENTRY {
            return err(
                &tp.key("count"),
                format!(
                    "{} people in one team entry is above the limit of {}",
                    t.count,
                    limits::MAX_TEAM_ENTRY
                ),
            );
        }
        people += t.count as u64;
        team.push(TeamEntry {
            role,
            channel,
            count: t.count,
        });
    }
    if people == 0 {
        return err(&p.key("team"), "a strategy needs at least one contributor in `team`");
    }
    if people > limits::MAX_PEOPLE {
        return err(
            &p.key("team"),
            format!("{people} people is above the limit of {}", limits::MAX_PEOPLE),
        );
    }
    for (j, w) in workstreams.iter().enumerate() {
        if !team.iter().any(|t| t.role == w.skill && t.count > 0) {
            return err(
                &p.key("team"),
                format!(
                    "no {} in the team, but workstream \"{}\" (workstream[{j}]) needs that skill",
                    w.skill.name(),
                    w.name
                ),
            );
        }
    }
    Ok((team, people))
}

/// Planned roster changes, in time order.
fn roster_plan(p: &FieldPath, s: &RawStrategy, horizon_weeks: f64) -> Result<Vec<RosterChange>> {
    let mut plan = Vec::new();
    for (j, c) in s.plan.iter().enumerate() {
        let cp = p.key("plan").index(j);
        let at = within_horizon(&cp.key("week"), &schema::ST_PLAN_WEEK, c.week, horizon_weeks)?;
        let role = role(&cp.key("role"), &c.role)?;
        if role == Role::PodLead {
            return err(&cp.key("role"), "pod leads follow the pods; plan contributors only");
        }
        let channel = channel(&cp.key("channel"), &c.channel)?;
        if c.count == 0 || !schema::ST_PLAN_COUNT.accepts(c.count as f64) {
            return err(
                &cp.key("count"),
                format!(
                    "expected a non-zero count of at most {} in size",
                    limits::MAX_TEAM_ENTRY
                ),
            );
        }
        plan.push(RosterChange {
            at_hours: at * HOURS_PER_WEEK,
            role,
            channel,
            count: c.count,
        });
    }
    plan.sort_by(|a, b| a.at_hours.total_cmp(&b.at_hours));
    Ok(plan)
}

fn pods(pp: &FieldPath, rp: &RawPods, people: u64) -> Result<Pods> {
    let max_size = whole(&pp.key("max_size"), &schema::PODS_MAX_SIZE, rp.max_size.map(u64::from))? as u32;
    let size = whole(&pp.key("pod_size"), &schema::PODS_SIZE, rp.pod_size.map(u64::from))? as u32;
    if size > max_size {
        return err(
            &pp.key("pod_size"),
            format!("expected a pod size between 1 and max_size ({max_size}), got {size}"),
        );
    }
    let contributors = people as u32;
    // Default (schema::PODS_COUNT): one lead per pod_size contributors.
    let count = rp.count.unwrap_or(contributors.div_ceil(size));
    if count == 0 || count > contributors {
        return err(
            &pp.key("count"),
            format!("expected between 1 and {contributors} pods (one per contributor at most), got {count}"),
        );
    }
    if contributors > count * max_size {
        return err(
            &pp.key("count"),
            format!("{contributors} contributors in {count} pods exceeds the maximum pod size of {max_size}; add pods or raise max_size"),
        );
    }
    let lead_channel = match &rp.lead_channel {
        Some(c) => channel(&pp.key("lead_channel"), c)?,
        None => Channel::Pod,
    };
    Ok(Pods {
        count,
        size,
        max_size,
        lead_resolves: value(&pp.key("lead_resolves"), &schema::PODS_LEAD_RESOLVES, rp.lead_resolves)?,
        escalation_every_hours: value(
            &pp.key("escalation_every_hours"),
            &schema::PODS_ESCALATION,
            rp.escalation_every_hours,
        )?,
        governance_hours_per_week: value(
            &pp.key("governance_hours_per_week"),
            &schema::PODS_GOVERNANCE,
            rp.governance_hours_per_week,
        )?,
        senior_sync_hours_per_week: value(
            &pp.key("senior_sync_hours_per_week"),
            &schema::PODS_SENIOR_SYNC,
            rp.senior_sync_hours_per_week,
        )?,
        margin: value(&pp.key("pod_margin"), &schema::PODS_MARGIN, rp.pod_margin)?,
        lead_channel,
    })
}

fn scaling(scp: &FieldPath, raw: Option<&RawScaling>) -> Result<Scaling> {
    let rsc = raw.cloned().unwrap_or(RawScaling {
        policy: "static".into(),
        ..Default::default()
    });
    let policy = name_of(
        &scp.key("policy"),
        &rsc.policy,
        "scaling policy",
        &[
            ScalingPolicy::Static,
            ScalingPolicy::Hiring,
            ScalingPolicy::ElasticBench,
        ],
        ScalingPolicy::name,
    )?;
    let hire_channel = match &rsc.hire_channel {
        Some(c) => channel(&scp.key("hire_channel"), c)?,
        None => Channel::Employee,
    };
    if matches!(hire_channel, Channel::Bench) {
        return err(
            &scp.key("hire_channel"),
            "hiring uses the employee, freelancer or pod channel; use policy = \"elastic_bench\" for the bench",
        );
    }
    let whole_u32 = |key: &str, f: &Field, v: Option<u32>| -> Result<u32> {
        whole(&scp.key(key), f, v.map(u64::from)).map(|x| x as u32)
    };
    Ok(Scaling {
        policy,
        review_every_hours: value(
            &scp.key("review_every_weeks"),
            &schema::SC_REVIEW_EVERY,
            rsc.review_every_weeks,
        )? * HOURS_PER_WEEK,
        bench_max: whole_u32("bench_max", &schema::SC_BENCH_MAX, rsc.bench_max)?,
        bench_premium: value(&scp.key("bench_premium"), &schema::SC_BENCH_PREMIUM, rsc.bench_premium)?,
        release_below: value(&scp.key("release_below"), &schema::SC_RELEASE_BELOW, rsc.release_below)?,
        cooldown_weeks: whole_u32("cooldown_weeks", &schema::SC_COOLDOWN, rsc.cooldown_weeks)?,
        min_hours: value(&scp.key("min_weeks"), &schema::SC_MIN_WEEKS, rsc.min_weeks)? * HOURS_PER_WEEK,
        hire_channel,
        max_hires: whole_u32("max_hires", &schema::SC_MAX_HIRES, rsc.max_hires)?,
        queue_target_weeks: value(
            &scp.key("queue_target_weeks"),
            &schema::SC_QUEUE_WEEKS,
            rsc.queue_target_weeks,
        )?,
        damping: value(&scp.key("damping"), &schema::SC_DAMPING, rsc.damping)?,
    })
}
