//! `--verify`: turn a plan into a strategy (a week-0 team plus planned roster
//! changes, which the simulator executes) and simulate it with the full model.
//!
//! The simulator staffs whole people, so fractional FTEs (freelancers, pod
//! members, bench) are rounded per skill and period: every channel keeps its
//! whole part, and the skill's total is rounded *up*; the extra units go to
//! the channels with the largest fractions, preferring the channel that held
//! the unit in the period before (so a seat does not flap between channels).

use super::Plan;
use crate::model::{
    Channel, Model, OptimiseSpec, RosterChange, Scaling, ScalingPolicy, Strategy, TeamEntry, HOURS_PER_WEEK,
};
use crate::runner::{self, Cancelled, Control, Detail, Order, RepRange};
use crate::sim::Layout;

/// Delay of joins in a period that also has releases (one working day).
pub const JOIN_DELAY_HOURS: f64 = crate::model::HOURS_PER_DAY;

/// What simulating the plan showed.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    pub replications: u64,
    pub seed: u64,
    pub deadline_weeks: f64,
    /// Share of replications that finished by the deadline.
    pub p_meet: f64,
    pub finish_p50: f64,
    pub finish_p85: f64,
    pub finish_mean: f64,
    /// Share of replications not finished by the horizon.
    pub censored: f64,
    pub planned_cost: f64,
    /// Cost of the rounded (whole-person) plan, as planned.
    pub planned_cost_whole_people: f64,
    pub simulated_cost_mean: f64,
    /// Half-width of the 95 % confidence interval of the mean simulated cost
    /// (Student t over replications).
    pub simulated_cost_ci95: f64,
    pub simulated_cost_p85: f64,
    /// Simulated focus hours per senior per week (mean over replications).
    pub senior_focus_mean: f64,
    /// The plan's floor (hours per senior per week).
    pub senior_focus_floor: f64,
    /// Whole people added by rounding, in FTE-weeks.
    pub rounding_fte_weeks: f64,
    /// The strategy that was simulated.
    pub strategy: Strategy,
}

impl Verification {
    /// Whether the plan meets its deadline at the 85th percentile.
    pub fn meets_p85(&self) -> bool {
        self.finish_p85 <= self.deadline_weeks + 1e-9
    }
}

/// Whole-person headcount by (role, channel) per period, from the plan.
pub fn whole_people(plan: &Plan) -> Vec<(crate::model::Role, [Vec<u32>; Channel::COUNT])> {
    let tn = plan.periods.len();
    let mut out = Vec::new();
    for &role in &plan.skills {
        let mut series: [Vec<u32>; Channel::COUNT] = Default::default();
        for s in series.iter_mut() {
            *s = vec![0; tn];
        }
        let mut held: [bool; Channel::COUNT] = [false; Channel::COUNT];
        for t in 0..tn {
            let x: Vec<f64> = Channel::ALL
                .iter()
                .map(|&c| plan.headcount(role, c, t).max(0.0))
                .collect();
            let base: Vec<u32> = x.iter().map(|v| (v + 1e-6).floor() as u32).collect();
            let total = (x.iter().sum::<f64>() - 1e-6).ceil().max(0.0) as u32;
            let mut extra = total.saturating_sub(base.iter().sum());
            let mut order: Vec<usize> = (0..Channel::COUNT).filter(|&c| x[c] - base[c] as f64 > 1e-6).collect();
            order.sort_by(|&a, &b| {
                held[b]
                    .cmp(&held[a])
                    .then((x[b] - base[b] as f64).total_cmp(&(x[a] - base[a] as f64)))
            });
            let mut now_held = [false; Channel::COUNT];
            for c in order {
                if extra == 0 {
                    break;
                }
                now_held[c] = true;
                extra -= 1;
            }
            for (c, s) in series.iter_mut().enumerate() {
                s[t] = base[c] + u32::from(now_held[c]);
            }
            held = now_held;
        }
        out.push((role, series));
    }
    out
}

/// The plan as a simulator strategy: the base strategy's structure and
/// policies, static scaling (the plan is the policy), the week-0 roster as
/// `team` and every change as a `plan` entry at its period's start.
pub fn plan_strategy(m: &Model, spec: &OptimiseSpec, plan: &Plan) -> Strategy {
    let base = &m.strategies[spec.strategy];
    let mut team = Vec::new();
    let mut changes = Vec::new();
    for (role, series) in whole_people(plan) {
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let s = &series[ci];
            if s.is_empty() {
                continue;
            }
            if s[0] > 0 {
                team.push(TeamEntry {
                    role,
                    channel: ch,
                    count: s[0],
                });
            }
            for t in 1..s.len() {
                let d = s[t] as i64 - s[t - 1] as i64;
                if d != 0 {
                    changes.push(RosterChange {
                        at_hours: plan.periods[t].start,
                        role,
                        channel: ch,
                        count: d as i32,
                    });
                }
            }
        }
    }
    // The simulator lets a released person finish the item in hand; joins at the
    // same moment would find the pods still full and open new ones (with leads
    // the plan does not have). So in a period with releases, joins come a day later.
    let release_times: Vec<f64> = changes.iter().filter(|c| c.count < 0).map(|c| c.at_hours).collect();
    for c in changes.iter_mut().filter(|c| c.count > 0) {
        if release_times.iter().any(|&t| (t - c.at_hours).abs() < 1e-9) {
            c.at_hours += JOIN_DELAY_HOURS;
        }
    }
    changes.sort_by(|a, b| a.at_hours.total_cmp(&b.at_hours).then(a.count.cmp(&b.count)));
    let mut pods = base.pods.clone();
    if let Some(p) = pods.as_mut() {
        let contributors: u32 = team.iter().map(|t| t.count).sum();
        p.count = (plan.initial_pod_leads.round() as u32)
            .max(contributors.div_ceil(p.max_size))
            .max(1);
    }
    Strategy {
        name: format!("plan ({})", base.name),
        scaling: Scaling {
            policy: ScalingPolicy::Static,
            ..base.scaling.clone()
        },
        pods,
        team,
        plan: changes,
        ..base.clone()
    }
}

/// Cost the fluid model assigns to the whole-person roster (pay and hiring only
/// change; senior time and leads as planned).
fn whole_people_cost(plan: &Plan, strategy: &Strategy, fractional: f64, m: &Model, spec: &OptimiseSpec) -> (f64, f64) {
    let c = super::coeffs::derive(m, spec, plan.deadline_weeks * HOURS_PER_WEEK);
    let mut extra_cost = 0.0;
    let mut fte_weeks = 0.0;
    let people = whole_people(plan);
    for (role, series) in &people {
        let Some(i) = c.skill_index(*role) else { continue };
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            for (t, p) in plan.periods.iter().enumerate() {
                let d = series[ci][t] as f64 - plan.headcount(*role, ch, t);
                extra_cost += d * p.hours() * c.seat[i][ci].cost_per_hour;
                fte_weeks += d * p.weeks();
            }
        }
    }
    let _ = strategy;
    (fractional + extra_cost, fte_weeks)
}

/// Simulates the plan `reps` times and summarises what happened.
pub fn verify(
    m: &Model,
    spec: &OptimiseSpec,
    plan: &Plan,
    reps: u64,
    seed: u64,
    control: Control<'_>,
) -> Result<Verification, Cancelled> {
    let strategy = plan_strategy(m, spec, plan);
    let mut sim_model = m.clone();
    sim_model.strategies = vec![strategy.clone()];
    sim_model.deadline_hours = Some(plan.deadline_weeks * HOURS_PER_WEEK);
    sim_model.optimise = None;
    // Only the metric values are kept (not the weekly series): memory grows
    // by one row of numbers per replication.
    let layout = Layout::new(&sim_model);
    let mut rows: Vec<Vec<f64>> = Vec::with_capacity(reps as usize);
    let variants = runner::strategies_of(&sim_model);
    let range = RepRange { first: 0, count: reps };
    runner::drive(
        &variants,
        seed,
        range,
        Order::ByReplication,
        Detail::MetricsOnly,
        control,
        |_, _, r| rows.push(r.metrics),
    )?;
    let metric = |name: &str| -> Vec<f64> {
        let k = layout.metric_index(name).expect("the simulator reports this metric");
        rows.iter().map(|r| r[k]).collect()
    };
    let finish = metric("finish_week");
    let censored = metric("censored");
    let cost = metric("cost_total");
    let focus = metric("senior_focus_h_per_senior_week");
    let n = finish.len().max(1) as f64;
    let deadline = plan.deadline_weeks;
    let p_meet = finish
        .iter()
        .zip(&censored)
        .filter(|(f, c)| **c == 0.0 && **f <= deadline + 1e-9)
        .count() as f64
        / n;
    let mut sorted = finish.clone();
    sorted.sort_by(f64::total_cmp);
    let mut costs = cost.clone();
    costs.sort_by(f64::total_cmp);
    let q = |xs: &[f64], p: f64| crate::stats::quantile_sorted(xs, p);
    let mean = |xs: &[f64]| {
        let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let (whole_cost, fte_weeks) = whole_people_cost(plan, &strategy, plan.total_cost, m, spec);
    Ok(Verification {
        replications: reps,
        seed,
        deadline_weeks: deadline,
        p_meet,
        finish_p50: q(&sorted, 0.5),
        finish_p85: q(&sorted, 0.85),
        finish_mean: mean(&finish),
        censored: censored.iter().sum::<f64>() / n,
        planned_cost: plan.total_cost,
        planned_cost_whole_people: whole_cost,
        simulated_cost_mean: mean(&cost),
        simulated_cost_ci95: crate::stats::Summary::of(&cost, 0.95).half_width(),
        simulated_cost_p85: q(&costs, 0.85),
        senior_focus_mean: mean(&focus),
        senior_focus_floor: spec.senior_focus_floor_hours,
        rounding_fte_weeks: fte_weeks,
        strategy,
    })
}
