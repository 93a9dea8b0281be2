//! The optimiser's files: plan.csv, frontier.csv, certainty.csv and
//! optimise.json (plain values from `plan`, the wording they embed from the
//! parent module). Split from the terminal wording (issue #13).

use super::{binding_words, relaxation_words, render_stopped};
use crate::model::Channel;
use crate::output::num;
use crate::plan::chance::Chance;
use crate::plan::diagnose::Diagnosis;
use crate::plan::verify::Verification;
use crate::plan::{FrontierPoint, Plan, Stopped};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// plan.csv: one row per period, role and channel (pod leads as role `pod_lead`).
pub fn plan_csv(plan: &Plan) -> String {
    let mut out = String::from("period,start_week,end_week,role,channel,headcount,starts,releases\n");
    for r in &plan.rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            r.period,
            num(r.start_week),
            num(r.end_week),
            r.role.name(),
            r.channel.name(),
            num(r.headcount),
            num(r.starts),
            num(r.releases)
        );
    }
    if !plan.pod_leads.is_empty() {
        let ch = plan.lead_channel.name();
        let mut prev = plan.initial_pod_leads;
        for (t, &l) in plan.pod_leads.iter().enumerate() {
            let p = &plan.periods[t];
            let _ = writeln!(
                out,
                "{t},{},{},pod_lead,{},{},{},0",
                num(p.start / 40.0),
                num(p.end / 40.0),
                ch,
                num(l),
                num(if t == 0 { 0.0 } else { (l - prev).max(0.0) })
            );
            prev = l;
        }
    }
    out
}

/// certainty.csv: one row per plan the chance-constrained loop solved, in
/// the order solved (`chosen`: the plan returned).
pub fn certainty_csv(c: &Chance) -> String {
    let mut o = String::from("max_utilisation,cost,p_meet_deadline,finish_p85,chosen\n");
    for (i, s) in c.steps.iter().enumerate() {
        let _ = writeln!(
            o,
            "{},{:.2},{},{},{}",
            s.max_utilisation,
            s.cost,
            s.p_meet,
            s.finish_p85,
            c.chosen == Some(i)
        );
    }
    o
}

/// frontier.csv: the cost-vs-deadline frontier.
pub fn frontier_csv(points: &[FrontierPoint]) -> String {
    let mut out = String::from("deadline_weeks,status,cost,lp_bound,gap,peak_headcount,pareto\n");
    for p in points {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            num(p.deadline_weeks),
            p.status.name(),
            p.cost.map_or(String::new(), num),
            p.bound.map_or(String::new(), num),
            p.gap.map_or(String::new(), num),
            p.peak_headcount.map_or(String::new(), num),
            p.pareto
        );
    }
    out
}

/// optimise.json: everything above as data.
pub fn json(
    plan: Option<&Plan>,
    diagnosis: Option<&Diagnosis>,
    frontier: Option<&[FrontierPoint]>,
    verification: Option<&Verification>,
    chance: Option<&Chance>,
    stopped: Option<&Stopped>,
) -> Value {
    let stopped_v = stopped.map(|s| {
        json!({
            "deadline_weeks": s.deadline_weeks,
            "time_limit_seconds": s.time_limit_seconds,
            "lp_relaxation": s.relaxation,
            "words": render_stopped(s).trim_end(),
        })
    });
    let target = chance.map_or(0.85, |c| c.target);
    let chance_v = chance.map(|c| {
        json!({
            "target_probability": c.target,
            "replications": c.replications,
            "seed": c.seed,
            "met": c.chosen.is_some(),
            "steps": c.steps.iter().map(|s| json!({"max_utilisation": s.max_utilisation, "cost": s.cost, "p_meet_deadline": s.p_meet, "finish_p85": s.finish_p85})).collect::<Vec<_>>(),
            "price_of_certainty": c.price.iter().map(|(p, cost)| json!({"probability": p, "cost": cost})).collect::<Vec<_>>(),
        })
    });
    let plan_v = plan.map(|p| {
        json!({
            "scenario": p.scenario,
            "strategy": p.strategy,
            "structure": p.structure,
            "period": p.period,
            "deadline_weeks": p.deadline_weeks,
            "objective": p.objective.name(),
            "total_cost": p.total_cost,
            "cost": p.cost.iter().map(|(k, v)| json!({"category": k, "usd": v})).collect::<Vec<_>>(),
            "solve": {
                "objective": p.solve.objective,
                "bound": p.solve.bound,
                "lp_relaxation": p.solve.relaxation,
                "gap": p.solve.gap,
                "target_gap": p.solve.target_gap,
                "method": p.solve.method,
                "seconds": p.solve.seconds,
                "lp_solves": p.solve.lp_solves,
                "fixed_point_iterations": p.solve.fixed_point_iterations,
                "fixed_point_converged": p.solve.fixed_point_converged,
                "variables": p.solve.variables,
                "integers": p.solve.integers,
                "rows": p.solve.rows,
                "stopped_by": p.solve.cut.map(|c| c.name()),
            },
            "periods": p.summary.iter().map(|s| json!({
                "period": s.period,
                "start_week": s.start_week,
                "end_week": s.end_week,
                "headcount_by_channel": Channel::ALL.iter().map(|c| (c.name().to_string(), json!(s.by_channel[c.index()]))).collect::<serde_json::Map<_, _>>(),
                "pod_leads": s.pod_leads,
                "senior_focus_h_per_senior_week": s.senior_focus,
                "overhead": s.overhead,
            })).collect::<Vec<_>>(),
            "binding": p.binding.iter().map(|b| json!({"group": b.group.name(), "weeks": b.weeks, "saving_usd": b.saving, "words": binding_words(b)})).collect::<Vec<_>>(),
            "deadline_one_period_later_saves": p.deadline_sensitivity.0,
            "deadline_one_period_earlier_costs": p.deadline_sensitivity.1,
        })
    });
    let diag_v = diagnosis.map(|d| {
        json!({
            "deadline_weeks": d.deadline_weeks,
            "integer_only": d.integer_only,
            "combined": d.combined.iter().map(|r| json!({"group": r.group.name(), "amount": r.amount, "words": relaxation_words(r)})).collect::<Vec<_>>(),
            "alone": d.alone.iter().map(|parts| json!({
                "group": parts.first().map(|r| r.group.name()),
                "amount": parts.iter().map(|r| r.amount).sum::<f64>(),
                "words": parts.iter().map(relaxation_words).collect::<Vec<_>>().join("; and "),
            })).collect::<Vec<_>>(),
            "not_alone": d.not_alone.iter().map(|g| g.name()).collect::<Vec<_>>(),
            "earliest_deadline_weeks": d.earliest_deadline_weeks,
        })
    });
    let frontier_v = frontier.map(|f| {
        f.iter()
            .map(|p| json!({"deadline_weeks": p.deadline_weeks, "status": p.status.name(), "cost": p.cost, "lp_bound": p.bound, "gap": p.gap, "peak_headcount": p.peak_headcount, "pareto": p.pareto}))
            .collect::<Vec<_>>()
    });
    let verify_v = verification.map(|v| {
        json!({
            "replications": v.replications,
            "seed": v.seed,
            "deadline_weeks": v.deadline_weeks,
            "p_meet_deadline": v.p_meet,
            "finish_p50": v.finish_p50,
            "finish_p85": v.finish_p85,
            "finish_mean": v.finish_mean,
            "censored": v.censored,
            "planned_cost": v.planned_cost,
            "planned_cost_whole_people": v.planned_cost_whole_people,
            "simulated_cost_mean": v.simulated_cost_mean,
            "simulated_cost_p85": v.simulated_cost_p85,
            "senior_focus_mean": v.senior_focus_mean,
            "senior_focus_floor": v.senior_focus_floor,
            "rounding_fte_weeks": v.rounding_fte_weeks,
            "meets_deadline_at_p85": v.meets_p85(),
            "target_probability": target,
            "meets_target": v.p_meet >= target - 1e-12,
        })
    });
    json!({
        "podsim_version": env!("CARGO_PKG_VERSION"),
        "plan": plan_v,
        "diagnosis": diag_v,
        "stopped_before_plan": stopped_v,
        "frontier": frontier_v,
        "verification": verify_v,
        "chance_constrained": chance_v,
    })
}
