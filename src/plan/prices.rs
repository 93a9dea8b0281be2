//! Binding constraints and their shadow prices (docs/OPTIMISER.md §7), as
//! data: `output::plan` says them in words.

use super::formulation::Formulation;
use super::lp::{Group, Sense};
use super::{coeffs, solve, Binding, Limit};
use crate::model::{Channel, OptimiseSpec, Role, HOURS_PER_WEEK};

/// Binding constraints of the plan with their shadow prices, from the LP with
/// the plan's gate schedule fixed and headcounts relaxed (with every whole
/// person fixed nothing could respond to a relaxation). Plain data:
/// `output::plan` says them in words.
pub fn shadow_prices(form: &Formulation, x: &[f64], spec: &OptimiseSpec) -> Vec<Binding> {
    let lp = solve::fix_gates(&form.lp, x);
    let Ok((sol, duals)) = solve::solve_lp_duals(&lp) else {
        return Vec::new();
    };
    let c = &form.coeffs;
    let binds = |k: usize| {
        let r = &form.lp.rows[k];
        let slack = (r.activity(&sol.x) - r.rhs).abs();
        slack <= 1e-5 * (1.0 + r.rhs.abs()) && duals[k].abs() > 1e-4
    };
    let binding_rows = |group: Group| -> Vec<(usize, f64)> {
        (0..form.lp.rows.len())
            .filter(|&k| form.lp.rows[k].group == group && binds(k))
            .map(|k| (form.lp.rows[k].period.unwrap_or(0), duals[k]))
            .collect()
    };
    let mut out = Vec::new();
    let push = |out: &mut Vec<Binding>, group, limit, periods: Vec<usize>, saving| {
        out.push(Binding {
            group,
            limit,
            weeks: week_runs(&c.periods, &periods),
            periods,
            saving,
        });
    };
    // Seniors: relaxing the row by one hour = one more senior hour available in that period.
    let rows = binding_rows(Group::SeniorFocus);
    if !rows.is_empty() {
        let per_team_hour_week: f64 = rows.iter().map(|&(t, d)| -d * c.periods[t].weeks()).sum();
        push(
            &mut out,
            Group::SeniorFocus,
            Limit::SeniorFocus {
                floor_hours: spec.senior_focus_floor_hours,
                per_floor_hour: per_team_hour_week * c.seniors,
            },
            rows.iter().map(|r| r.0).collect(),
            per_team_hour_week,
        );
    }
    if let Some(&(_, d)) = binding_rows(Group::Budget).first() {
        push(&mut out, Group::Budget, Limit::Budget, Vec::new(), -d);
    }
    if let Some(&(_, d)) = binding_rows(Group::Access).first() {
        let cap = spec.access_cap.unwrap_or(0.0);
        push(&mut out, Group::Access, Limit::Access { people: cap }, Vec::new(), -d);
    }
    let rows = binding_rows(Group::BenchMax);
    if !rows.is_empty() {
        let s: f64 = rows.iter().map(|r| -r.1).sum();
        let people = spec.bench_max;
        push(
            &mut out,
            Group::BenchMax,
            Limit::BenchMax { people },
            rows.iter().map(|r| r.0).collect(),
            s,
        );
    }
    for group in [Group::ChannelMax, Group::ChannelShare, Group::MinEmployees] {
        // Aggregate by row name without the period suffix. A share row relaxed by
        // one percentage point moves by 1 % of the contributors of its period.
        let mut by: Vec<(String, Vec<usize>, f64, f64)> = Vec::new();
        for (k, r) in form.lp.rows.iter().enumerate() {
            if r.group != group || !binds(k) {
                continue;
            }
            let key = r.name.rsplit_once("_t").map_or(r.name.clone(), |(a, _)| a.to_string());
            let t = r.period.unwrap_or(0);
            let scale = if group == Group::ChannelShare {
                0.01 * form.contributors(&sol.x, t)
            } else {
                1.0
            };
            let relax = scale
                * match r.sense {
                    Sense::Le => -duals[k],
                    _ => duals[k],
                };
            match by.iter_mut().find(|e| e.0 == key) {
                Some(e) => {
                    e.1.push(t);
                    e.2 += relax;
                }
                None => by.push((key, vec![t], relax, r.rhs)),
            }
        }
        for (key, ts, saving, rhs) in by {
            let channel = |name: &str| Channel::ALL.into_iter().find(|ch| name.starts_with(ch.name()));
            let limit = if group == Group::MinEmployees {
                Limit::MinEmployees { people: rhs }
            } else if let Some(ch) = key.strip_prefix("share_max_").and_then(channel) {
                Limit::ShareMax {
                    channel: ch,
                    share: spec.limits(ch).share_max.unwrap_or(0.0),
                }
            } else if let Some(ch) = key.strip_prefix("share_min_").and_then(channel) {
                Limit::ShareMin {
                    channel: ch,
                    share: spec.limits(ch).share_min.unwrap_or(0.0),
                }
            } else if let Some(rest) = key.strip_prefix("max_") {
                match channel(rest) {
                    Some(ch) if rest.len() > ch.name().len() => {
                        let role = Role::ALL.into_iter().find(|r| &rest[ch.name().len() + 1..] == r.name());
                        match role {
                            Some(role) => Limit::RoleMax {
                                channel: ch,
                                role,
                                people: rhs,
                            },
                            None => Limit::Other { row: key.clone() },
                        }
                    }
                    Some(ch) => Limit::ChannelMax {
                        channel: ch,
                        people: rhs,
                    },
                    None => Limit::Other { row: key.clone() },
                }
            } else {
                Limit::Other { row: key.clone() }
            };
            push(&mut out, group, limit, ts, saving);
        }
    }
    // Work: what one more effort hour of each backlog costs (the due row's dual).
    for (k, r) in form.lp.rows.iter().enumerate() {
        if r.group != Group::Deadline || !r.name.starts_with("due_backlog_") || duals[k].abs() <= 1e-6 {
            continue;
        }
        if let Some(st) = c
            .streams
            .iter()
            .find(|s| r.name == format!("due_backlog_{}_w{}", clean_name(&s.name), s.ws))
        {
            push(
                &mut out,
                Group::Deadline,
                Limit::Work {
                    stream: st.name.clone(),
                    work_per_item: st.work_per_item,
                },
                r.period.into_iter().collect(),
                -duals[k],
            );
        }
    }
    out
}

/// Contiguous runs of periods as week ranges [start, end).
fn week_runs(periods: &[coeffs::Period], ts: &[usize]) -> Vec<(f64, f64)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &t in ts {
        match runs.last_mut() {
            Some(r) if r.1 + 1 == t => r.1 = t,
            _ => runs.push((t, t)),
        }
    }
    runs.iter()
        .map(|&(a, b)| (periods[a].start / HOURS_PER_WEEK, periods[b].end / HOURS_PER_WEEK))
        .collect()
}

fn clean_name(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect()
}
