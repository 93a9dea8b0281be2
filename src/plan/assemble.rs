//! A solved deadline made into the plain [`Plan`] value: rows, period
//! summaries, costs by category, binding limits with their shadow prices and
//! the deadline's sensitivity.

use super::*;

fn clean(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Turns a solution into the plain [`Plan`] value, with shadow prices.
pub fn build_plan(m: &Model, spec: &OptimiseSpec, sol: &Solution, deadline: f64) -> Plan {
    let form = &sol.form;
    let c = &form.coeffs;
    let x = &sol.search.best.x;
    let ix = &form.index;
    let tn = c.periods.len();
    let mut rows = Vec::new();
    for (i, &role) in c.skills.iter().enumerate() {
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let hc: Vec<f64> = (0..tn).map(|t| clean(Formulation::val(x, ix.x[i][ci][t]))).collect();
            let st: Vec<f64> = (0..tn).map(|t| clean(Formulation::val(x, ix.s[i][ci][t]))).collect();
            let rl: Vec<f64> = (0..tn).map(|t| clean(form.releases(x, i, ci, t))).collect();
            let init = clean(form.initial(x, i, ci));
            if init == 0.0 && hc.iter().chain(&st).chain(&rl).all(|&v| v == 0.0) {
                continue;
            }
            for (t, p) in c.periods.iter().enumerate() {
                rows.push(PlanRow {
                    period: t,
                    start_week: p.start / HOURS_PER_WEEK,
                    end_week: p.end / HOURS_PER_WEEK,
                    role,
                    channel: ch,
                    headcount: hc[t],
                    starts: st[t],
                    releases: rl[t],
                    request_week: (st[t] > 0.0).then(|| {
                        ((p.start - m.channel(ch).lead_hours) / HOURS_PER_WEEK + 1e-9)
                            .floor()
                            .max(0.0)
                    }),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.period, r.role, r.channel));
    let pod_leads: Vec<f64> = ix.leads.iter().map(|&j| clean(x[j])).collect();

    // Per-period summary: seniors' focus, utilisation, overhead.
    let row_of = |name: &str| form.lp.rows.iter().find(|r| r.name == name);
    let mut summary = Vec::new();
    for (t, p) in c.periods.iter().enumerate() {
        let fr = fractions(c, &form.estimates, t);
        let mut by_channel = [0.0; Channel::COUNT];
        for row in ix.x.iter() {
            for (ci, xs) in row.iter().enumerate() {
                by_channel[ci] += Formulation::val(x, xs[t]);
            }
        }
        let senior_focus = if c.seniors > 0.0 {
            let load = row_of(&format!("senior_focus_t{t:02}")).map_or(0.0, |r| r.activity(x));
            let fixed = c.seniors * p.hours() * fr.senior + c.senior_fixed * p.hours();
            (c.seniors * p.hours() - load - fixed) / (c.seniors * p.weeks())
        } else {
            0.0
        };
        let utilisation = (0..c.skills.len())
            .map(|i| {
                let (load, cap) = form.load_capacity(x, i, t, spec.max_utilisation);
                if cap > 1e-9 {
                    load / cap
                } else {
                    0.0
                }
            })
            .collect();
        summary.push(PeriodSummary {
            period: t,
            start_week: p.start / HOURS_PER_WEEK,
            end_week: p.end / HOURS_PER_WEEK,
            by_channel: by_channel.map(clean),
            pod_leads: pod_leads.get(t).copied().unwrap_or(0.0),
            senior_focus,
            utilisation,
            overhead: formulation::worst_member(c, &fr),
        });
    }
    let cost: Vec<(String, f64)> = form.cost_breakdown(x).into_iter().map(|(k, v)| (k.name(), v)).collect();
    let binding = shadow_prices(form, x, spec);
    let sensitivity = deadline_sensitivity(m, spec, sol);
    let st = &m.strategies[spec.strategy];
    Plan {
        scenario: m.name.clone(),
        start_date: m.start_date.clone(),
        strategy: st.name.clone(),
        structure: st.structure.name().to_string(),
        period: spec.period.name().to_string(),
        deadline_weeks: deadline / HOURS_PER_WEEK,
        objective: spec.objective,
        seniors: c.seniors,
        skills: c.skills.clone(),
        periods: c.periods.clone(),
        rows,
        pod_leads,
        initial_pod_leads: clean(form.initial_leads(x)),
        lead_channel: c.leads.as_ref().map_or(Channel::Pod, |l| l.channel),
        lead_weeks: Channel::ALL.map(|ch| m.channel(ch).lead_hours / HOURS_PER_WEEK),
        summary,
        total_cost: sol.search.best.objective,
        cost,
        binding,
        deadline_sensitivity: sensitivity,
        solve: SolveReport {
            objective: sol.search.best.objective,
            relaxation: sol.relaxed.objective,
            bound: sol.search.bound,
            gap: sol.search.gap,
            target_gap: spec.mip_gap,
            method: sol.search.method.clone(),
            seconds: sol.search.seconds,
            lp_solves: sol.search.lp_solves,
            fixed_point_iterations: sol.fixed_point_iterations,
            fixed_point_converged: sol.fixed_point_converged,
            variables: form.lp.vars.len(),
            integers: form.lp.integer_count(),
            rows: form.lp.rows.len(),
            cut: sol.search.cut,
        },
        overhead_mismatch: sol.overhead_mismatch,
    }
}

/// LP estimates of the value of one period more and one period less.
fn deadline_sensitivity(m: &Model, spec: &OptimiseSpec, sol: &Solution) -> (Option<f64>, Option<f64>) {
    let base = sol.relaxed.objective;
    let c = &sol.form.coeffs;
    let p = spec.period.hours();
    let at = |d: f64| -> Option<f64> {
        if d < p - 1e-9 || d > m.horizon_hours + 1e-9 {
            return None;
        }
        let c2 = coeffs::derive(m, spec, d);
        let n = c2.periods.len();
        let est = sol.form.estimates.resized(n);
        solve::solve_lp(&formulation::build(&c2, spec, &est).lp)
            .ok()
            .map(|s| s.objective)
    };
    let later = at(c.deadline + p).map(|v| base - v);
    let earlier = at(c.deadline - p).map(|v| v - base);
    (later, earlier)
}

/// Cost categories in report order (for output code).
pub fn cost_categories() -> Vec<String> {
    let mut v: Vec<String> = Channel::ALL.iter().map(|c| CostCat::Pay(*c).name()).collect();
    v.extend([
        CostCat::Hiring.name(),
        CostCat::PodLeads.name(),
        CostCat::SeniorTime.name(),
    ]);
    v
}
