//! Writing the optimiser's answer: plan.csv, frontier.csv, optimise.json and
//! the terminal summary. Only formats plain values from `plan`.

use super::num;
use crate::metrics::format::thousands;
use crate::model::Channel;
use crate::plan::diagnose::Diagnosis;
use crate::plan::lp::Group;
use crate::plan::verify::Verification;
use crate::plan::{FrontierPoint, Plan};
use serde_json::{json, Value};
use std::fmt::Write as _;

fn money(x: f64) -> String {
    format!("${}", thousands(x.round()))
}

fn fte(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.1}")
    }
}

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

/// The terminal summary of a plan.
pub fn render_plan(plan: &Plan) -> String {
    let mut o = String::new();
    let s = &plan.solve;
    let _ = writeln!(
        o,
        "Plan for \"{}\": base strategy \"{}\" ({}), {} {} periods to week {}",
        plan.scenario,
        plan.strategy,
        plan.structure,
        plan.periods.len(),
        if plan.period == "week" { "weekly" } else { "monthly" },
        fte(plan.deadline_weeks)
    );
    if plan.objective == crate::model::PlanObjective::Finish {
        let _ = writeln!(
            o,
            "Earliest finish that every cap allows: week {} (objective = \"finish\"), at least cost:",
            fte(plan.deadline_weeks)
        );
    }
    let _ =
        writeln!(
        o,
        "Cost {}  |  bound {} (LP relaxation {})  |  gap {:.2} % (target {:.2} %)  |  {} in {:.2} s, {} LP solves{}",
        money(s.objective),
        money(s.bound),
        money(s.relaxation),
        100.0 * s.gap,
        100.0 * s.target_gap,
        s.method,
        s.seconds,
        s.lp_solves,
        if s.timed_out { " — stopped at the time limit" } else { "" }
    );
    let _ = writeln!(
        o,
        "Model: {} variables ({} integer), {} constraints; overhead fixed point {} in {} iteration(s){}",
        s.variables,
        s.integers,
        s.rows,
        if s.fixed_point_converged {
            "converged"
        } else {
            "did not converge"
        },
        s.fixed_point_iterations,
        if plan.overhead_mismatch > 0.002 {
            format!(
                " (the plan's overhead differs from the assumed by up to {:.1} points)",
                100.0 * plan.overhead_mismatch
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(o);
    // Headcount by channel over time.
    let pods = !plan.pod_leads.is_empty();
    let mut header = format!("{:>7}", "weeks");
    for c in Channel::ALL {
        let _ = write!(header, " {:>10}", c.name());
    }
    if pods {
        let _ = write!(header, " {:>9}", "pod leads");
    }
    let _ = write!(header, " {:>7}  {:>12}", "total", "senior focus");
    for r in &plan.skills {
        let _ = write!(header, " {:>6}", short(r.name()));
    }
    let _ = writeln!(
        o,
        "Headcount by channel (FTE), senior focus (h per senior per week) and utilisation by skill:"
    );
    let _ = writeln!(o, "{header}");
    for p in &plan.summary {
        let mut line = format!("{:>7}", format!("{}-{}", fte(p.start_week), fte(p.end_week)));
        for v in p.by_channel {
            let _ = write!(line, " {:>10}", fte(v));
        }
        if pods {
            let _ = write!(line, " {:>9}", fte(p.pod_leads));
        }
        let total: f64 = p.by_channel.iter().sum();
        let _ = write!(line, " {:>7}  {:>12.1}", fte(total), p.senior_focus);
        for u in &p.utilisation {
            let _ = write!(line, " {:>5.0}%", (100.0 * u).max(0.0));
        }
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(o);
    // Starts and releases.
    // Changes below 0.05 FTE are rounding noise of the LP; plan.csv keeps them.
    let changes: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.starts >= 0.05 || r.releases >= 0.05)
        .collect();
    if !changes.is_empty() {
        let _ = writeln!(
            o,
            "Roster changes (at the start of the week; starts must be requested a lead time earlier):"
        );
        for r in changes {
            let mut what = Vec::new();
            if r.starts >= 0.05 {
                let by = plan.request_week(r.channel, r.start_week);
                what.push(format!("+{} (request by week {})", fte(r.starts), fte(by)));
            }
            if r.releases >= 0.05 {
                what.push(format!("-{}", fte(r.releases)));
            }
            let _ = writeln!(
                o,
                "  week {:>4}: {:<13} {} {}",
                fte(r.start_week),
                r.role.name(),
                r.channel.name(),
                what.join(" ")
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "Cost breakdown:");
    for (k, v) in &plan.cost {
        if v.abs() >= 0.5 {
            let _ = writeln!(
                o,
                "  {:<16} {:>14}  {:>5.1} %",
                k,
                money(*v),
                100.0 * v / plan.total_cost.max(1e-9)
            );
        }
    }
    let _ = writeln!(o, "  {:<16} {:>14}", "total", money(plan.total_cost));
    let _ = writeln!(o);
    if plan.binding.is_empty() {
        let _ = writeln!(
            o,
            "Binding constraints: none of the caps binds (the plan is driven by the work and the lead times)."
        );
    } else {
        let _ = writeln!(
            o,
            "Binding constraints (shadow prices from the LP with the plan's integer decisions fixed):"
        );
        // Per-stream work costs are summarised in one line (all of them stay in optimise.json).
        for b in plan
            .binding
            .iter()
            .filter(|b| !(b.group == Group::Deadline && b.unit == "effort hour"))
        {
            let _ = writeln!(o, "  - {}", b.words);
        }
    }
    let period = &plan.period;
    let later = |v: f64| {
        if v >= 0.0 {
            format!("one {period} later would save {}", money(v))
        } else {
            format!(
                "one {period} later would cost {} more (arrivals keep coming until the deadline)",
                money(-v)
            )
        }
    };
    let earlier = |v: f64| {
        if v >= 0.0 {
            format!("one {period} earlier would cost {} more", money(v))
        } else {
            format!(
                "one {period} earlier would save {} (fewer arrivals to serve)",
                money(-v)
            )
        }
    };
    let line = match plan.deadline_sensitivity {
        (Some(a), Some(b)) => format!("{}; {}", later(a), earlier(b)),
        (Some(a), None) => format!("{}; one {period} earlier has no feasible plan", later(a)),
        (None, Some(b)) => earlier(b),
        (None, None) => format!("one {period} earlier has no feasible plan"),
    };
    let _ = writeln!(o, "  - Deadline: {line} (LP estimates).");
    o
}

fn short(role: &str) -> String {
    match role {
        "ml_engineer" => "ml".into(),
        "domain_expert" => "domain".into(),
        "data_quality" => "dq".into(),
        other => other.chars().take(6).collect(),
    }
}

/// The terminal summary of a frontier.
pub fn render_frontier(points: &[FrontierPoint]) -> String {
    let mut o = String::from("Cost-vs-deadline frontier (* = Pareto-optimal: no earlier deadline costs as little):\n");
    let _ = writeln!(
        o,
        "{:>9} {:>14} {:>14} {:>7} {:>10}",
        "deadline", "cost", "LP bound", "gap", "peak FTE"
    );
    for p in points {
        match p.cost {
            Some(c) => {
                let _ = writeln!(
                    o,
                    "{:>8}{} {:>14} {:>14} {:>6.2}% {:>10}",
                    fte(p.deadline_weeks),
                    if p.pareto { "*" } else { " " },
                    money(c),
                    money(p.bound.unwrap_or(f64::NAN)),
                    100.0 * p.gap.unwrap_or(0.0),
                    fte(p.peak_headcount.unwrap_or(0.0))
                );
            }
            None => {
                let what = match p.status {
                    crate::plan::FrontierStatus::Infeasible => "infeasible",
                    _ => "no plan found in the time limit",
                };
                let _ = writeln!(o, "{:>8}  {:>14}", fte(p.deadline_weeks), what);
            }
        }
    }
    o
}

/// The terminal report of an infeasible request.
pub fn render_diagnosis(d: &Diagnosis) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "No staffing plan meets every constraint for a deadline of week {}.",
        fte(d.deadline_weeks)
    );
    if d.integer_only {
        let _ = writeln!(
            o,
            "The LP relaxation (fractional headcounts, gates opening part-way) has a plan; with whole employees and pod leads, and gates that open at a period's start, none fits. Smallest changes for a whole plan:"
        );
    }
    if d.combined.is_empty() {
        let _ = writeln!(
            o,
            "No combination of the caps explains it (the work cannot be staffed at all within the lead times)."
        );
    } else {
        let _ = writeln!(o, "What must give (the smallest combined relaxation):");
        for r in &d.combined {
            let _ = writeln!(o, "  - {}", r.words);
        }
    }
    if !d.alone.is_empty() {
        let _ = writeln!(o, "Or, relaxing one thing only:");
        for r in &d.alone {
            let _ = writeln!(o, "  - {}", r.words);
        }
    }
    if !d.not_alone.is_empty() {
        let names: Vec<&str> = d.not_alone.iter().map(|g| g.name()).collect();
        let _ = writeln!(
            o,
            "Relaxing any one of these alone is not enough: {}.",
            names.join(", ")
        );
    }
    if let Some(w) = d.earliest_deadline_weeks {
        let _ = writeln!(
            o,
            "With every cap as given, the earliest deadline with a (fractional) plan is week {}.",
            fte(w)
        );
    }
    o
}

/// The terminal report of a verification.
pub fn render_verification(v: &Verification) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Verification: {} simulated replications of the plan (seed {}; fractional FTEs rounded up to whole people: {:+.1} FTE-weeks)",
        v.replications, v.seed, v.rounding_fte_weeks
    );
    let _ = writeln!(
        o,
        "  P(finish by week {}) = {:.2}   finish P50 week {:.1}, P85 week {:.1}, mean {:.1}{}",
        fte(v.deadline_weeks),
        v.p_meet,
        v.finish_p50,
        v.finish_p85,
        v.finish_mean,
        if v.censored > 0.0 {
            format!(" ({:.0} % not finished by the horizon)", 100.0 * v.censored)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        o,
        "  cost: planned {} (whole people {}), simulated mean {} (P85 {}); the simulation stops paying at the finish",
        money(v.planned_cost),
        money(v.planned_cost_whole_people),
        money(v.simulated_cost_mean),
        money(v.simulated_cost_p85)
    );
    if v.senior_focus_floor > 0.0 && v.senior_focus_mean < v.senior_focus_floor - 0.05 {
        let _ = writeln!(
            o,
            "  senior focus: simulated mean {:.1} h per senior per week, BELOW the floor of {} (the fluid model underestimates senior interruptions)",
            v.senior_focus_mean, v.senior_focus_floor
        );
    } else {
        let _ = writeln!(
            o,
            "  senior focus: simulated mean {:.1} h per senior per week",
            v.senior_focus_mean
        );
    }
    if v.meets_p85() {
        let _ = writeln!(
            o,
            "  => The plan meets its deadline at P85 (85 % of simulated replications finish by week {}).",
            fte(v.deadline_weeks)
        );
    } else {
        let _ = writeln!(
            o,
            "  => The plan MISSES its deadline at P85: 85 % of replications finish only by week {:.1}, {:.1} weeks late. Lower max_utilisation or add buffer.",
            v.finish_p85,
            v.finish_p85 - v.deadline_weeks
        );
    }
    o
}

/// optimise.json: everything above as data.
pub fn json(
    plan: Option<&Plan>,
    diagnosis: Option<&Diagnosis>,
    frontier: Option<&[FrontierPoint]>,
    verification: Option<&Verification>,
) -> Value {
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
                "timed_out": p.solve.timed_out,
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
            "binding": p.binding.iter().map(|b| json!({"group": b.group.name(), "what": b.what, "saving_usd": b.saving, "per": b.unit, "words": b.words})).collect::<Vec<_>>(),
            "deadline_one_period_later_saves": p.deadline_sensitivity.0,
            "deadline_one_period_earlier_costs": p.deadline_sensitivity.1,
        })
    });
    let diag_v = diagnosis.map(|d| {
        json!({
            "deadline_weeks": d.deadline_weeks,
            "integer_only": d.integer_only,
            "combined": d.combined.iter().map(|r| json!({"group": r.group.name(), "amount": r.amount, "words": r.words})).collect::<Vec<_>>(),
            "alone": d.alone.iter().map(|r| json!({"group": r.group.name(), "amount": r.amount, "words": r.words})).collect::<Vec<_>>(),
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
        })
    });
    json!({
        "podsim_version": env!("CARGO_PKG_VERSION"),
        "plan": plan_v,
        "diagnosis": diag_v,
        "frontier": frontier_v,
        "verification": verify_v,
    })
}
