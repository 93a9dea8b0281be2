//! Infeasibility, explained: which constraint groups must give, and by how much.
//!
//! Every row of a policy group (the deadline's work, the senior focus floor,
//! budget, access cap, bench cap, channel limits, minimum employees) gets an
//! elastic slack variable with a penalty of one per unit of *relative*
//! relaxation (slack / the row's scale), and the elastic model minimises the
//! total relaxation. Physics (flows, capacity, lead times, gates) never gives.
//! Then each violated group is tried alone: relaxing only it, how much is
//! needed? And the earliest deadline that works with every cap as given.

use super::formulation::Formulation;
use super::lp::{Group, Lp, Sense};
use super::solve::Budget;
use super::{coeffs, earliest_deadline, solve};
use crate::model::{Model, OptimiseSpec, HOURS_PER_WEEK};
use std::sync::atomic::AtomicBool;

/// One constraint group that must give (data; `output::plan` words it).
#[derive(Clone, Debug, PartialEq)]
pub struct Relaxation {
    pub group: Group,
    pub need: Need,
    /// Total slack in the group's own unit (hours, USD, people).
    pub amount: f64,
    /// The weeks concerned [first period's start, last period's end), when per period.
    pub weeks: Option<(f64, f64)>,
}

/// What must change, with the numbers needed to say it.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    /// Backlog hours that cannot be done by the deadline week.
    Backlog {
        stream: String,
        hours: f64,
        items: f64,
        share: f64,
        deadline_week: f64,
    },
    /// Arrivals behind their service time by up to `hours` of work.
    Arrivals {
        stream: String,
        service_weeks: f64,
        hours: f64,
    },
    /// Work needs senior time but there are no seniors.
    NoSeniors {
        hours: f64,
    },
    /// The focus floor must drop by up to `by` hours per senior per week.
    FocusFloor {
        floor: f64,
        by: f64,
    },
    /// Seniors short by up to `by` hours per senior per week (no floor set).
    SeniorTime {
        by: f64,
    },
    Budget {
        from: f64,
        by: f64,
    },
    Access {
        from: f64,
        by: f64,
    },
    BenchMax {
        from: f64,
        by: f64,
    },
    MinEmployees {
        from: f64,
        by: f64,
    },
    /// A channel share row (its LP name without the period) must give by `by` people.
    Share {
        row: String,
        by: f64,
    },
    /// A fixed-price milestone (its LP row) is short by `by` effort hours
    /// (or items, for an `items` milestone) at its due week.
    Milestone {
        contract: String,
        /// The milestone's place in the contract's list, from 1.
        number: usize,
        due_week: f64,
        /// Short in items (an `items` milestone) rather than effort hours.
        items: bool,
        by: f64,
    },
    /// Another cap (its LP name) must rise by `by`.
    Cap {
        row: String,
        from: f64,
        by: f64,
    },
}

/// Why no plan exists and what would make one exist.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    pub deadline_weeks: f64,
    /// The smallest combined relaxation (relative units) that makes a plan exist.
    pub combined: Vec<Relaxation>,
    /// Groups that, relaxed alone, make a plan exist: per group, what it takes
    /// (all of its parts together).
    pub alone: Vec<Vec<Relaxation>>,
    /// Groups that cannot fix it alone.
    pub not_alone: Vec<Group>,
    /// Earliest deadline (weeks) whose LP relaxation works with every other cap as given.
    pub earliest_deadline_weeks: Option<f64>,
    /// When the LP relaxation is feasible but no integer plan was found.
    pub integer_only: bool,
}

/// The row's scale for relative slack: how big "all of it" is.
fn scale(form: &Formulation, spec: &OptimiseSpec, k: usize) -> f64 {
    let r = &form.lp.rows[k];
    let c = &form.coeffs;
    let tn = c.periods.len() as f64;
    let s = match r.group {
        Group::Deadline => {
            let total: f64 = c
                .streams
                .iter()
                .map(|s| s.backlog_work + s.arrived_by.last().copied().unwrap_or(0.0))
                .sum();
            if r.name.starts_with("due_backlog_") {
                total
            } else {
                total * tn
            }
        }
        Group::SeniorFocus => {
            let p = r.period.map_or(HOURS_PER_WEEK, |t| c.periods[t].hours());
            c.seniors.max(1.0) * p * tn * (spec.senior_focus_floor_hours / HOURS_PER_WEEK).max(0.05)
        }
        Group::Budget => spec.budget.unwrap_or(1.0).max(1.0),
        Group::Access => spec.access_cap.unwrap_or(1.0).max(1.0),
        _ => r.rhs.abs().max(1.0) * tn,
    };
    s.max(1e-9)
}

/// Adds elastic slack to the rows of `groups`; returns the model and (row, slack var) pairs.
fn elastic(form: &Formulation, spec: &OptimiseSpec, groups: &[Group]) -> (Lp, Vec<(usize, usize)>) {
    let mut lp = form.lp.clone();
    // The cost stays in, scaled far below any relaxation (1e-10 per dollar): among
    // equally small relaxations the cheaper plan, and no dual degeneracy to stall
    // the simplex method.
    for v in &mut lp.vars {
        v.cost *= COST_TIE_BREAK * OBJECTIVE_SCALE;
    }
    lp.constant = 0.0;
    let mut slacks = Vec::new();
    for k in 0..form.lp.rows.len() {
        let g = form.lp.rows[k].group;
        if !groups.contains(&g) {
            continue;
        }
        let name = format!("slack_{}", form.lp.rows[k].name);
        let v = lp.var(name, 0.0, f64::INFINITY, false, form.lp.rows[k].period);
        // Missing work is the last resort: caps give first.
        let weight = if g == Group::Deadline { WORK_WEIGHT } else { 1.0 };
        lp.vars[v].cost = OBJECTIVE_SCALE * weight / scale(form, spec, k);
        let sign = match lp.rows[k].sense {
            Sense::Le => -1.0,
            // Work rows: missing work (the equality of the backlog included) is a shortfall.
            Sense::Ge | Sense::Eq => 1.0,
        };
        lp.rows[k].terms.push((v, sign));
        slacks.push((k, v));
    }
    (lp, slacks)
}

/// Weight of a dollar of plan cost in the elastic objective.
const COST_TIE_BREAK: f64 = 1e-10;

/// The elastic objective in units of a millionth of a relative relaxation, so
/// its coefficients sit well above the simplex method's tolerances.
const OBJECTIVE_SCALE: f64 = 1e6;

/// Relative weight of leaving work undone against relaxing a cap.
const WORK_WEIGHT: f64 = 1000.0;

fn policy_groups() -> Vec<Group> {
    Group::ALL.into_iter().filter(|g| g.is_policy()).collect()
}

/// Explains why `form` (built for `spec`) has no plan.
pub fn diagnose(m: &Model, spec: &OptimiseSpec, form: &Formulation, seconds: Budget, cancel: &AtomicBool) -> Diagnosis {
    let c = &form.coeffs;
    let deadline_weeks = c.deadline / HOURS_PER_WEEK;
    let integer_only = solve::solve_lp(&form.lp).is_ok();
    let groups = policy_groups();
    let (lp, slacks) = elastic(form, spec, &groups);
    // Elastic LPs are solved by clarabel: all optima relax equally, a vertex is not
    // needed, and the simplex method stalls on their degeneracy. With integers
    // (the search on the elastic model) when only integrality is at fault.
    let sol = match solve::solve_lp_clarabel(&lp) {
        Ok(relaxed) if integer_only => solve::search(&lp, 0.01, seconds, cancel)
            .map(|s| s.best)
            .unwrap_or(relaxed),
        Ok(relaxed) => relaxed,
        Err(_) => {
            return Diagnosis {
                deadline_weeks,
                combined: Vec::new(),
                alone: Vec::new(),
                not_alone: groups,
                earliest_deadline_weeks: None,
                integer_only,
            }
        }
    };
    let combined = describe(form, spec, &slacks, &sol.x);
    // Each group alone (every policy group the model has).
    let mut alone = Vec::new();
    let mut not_alone = Vec::new();
    // (When only integrality is at fault every group alone has a fractional plan:
    // nothing to learn from relaxations, and integer searches per group would be slow.)
    let present: Vec<Group> = if integer_only {
        Vec::new()
    } else {
        groups
            .iter()
            .copied()
            .filter(|g| form.lp.rows.iter().any(|r| r.group == *g))
            .collect()
    };
    for g in present {
        let (lp1, slacks1) = elastic(form, spec, &[g]);
        match solve::solve_lp_clarabel(&lp1) {
            Ok(s) => {
                let parts = describe(form, spec, &slacks1, &s.x);
                if !parts.is_empty() {
                    alone.push(parts);
                }
            }
            Err(_) => not_alone.push(g),
        }
    }
    let earliest = earliest_deadline(m, spec, seconds, false, cancel).map(|d| d / HOURS_PER_WEEK);
    let _ = coeffs::periods;
    Diagnosis {
        deadline_weeks,
        combined,
        alone,
        not_alone,
        earliest_deadline_weeks: earliest,
        integer_only,
    }
}

/// Turns slack values into sentences, one per group (and stream or channel).
fn describe(form: &Formulation, spec: &OptimiseSpec, slacks: &[(usize, usize)], x: &[f64]) -> Vec<Relaxation> {
    let c = &form.coeffs;
    let tol = |k: usize| 1e-6 * (1.0 + form.lp.rows[k].rhs.abs());
    let active: Vec<(usize, f64)> = slacks
        .iter()
        .filter(|&&(k, v)| x[v] > tol(k))
        .map(|&(k, v)| (k, x[v]))
        .collect();
    let mut out = Vec::new();
    let weeks = |ts: &[usize]| -> Option<(f64, f64)> {
        let (a, b) = (ts.iter().min().copied()?, ts.iter().max().copied()?);
        Some((c.periods[a].start / HOURS_PER_WEEK, c.periods[b].end / HOURS_PER_WEEK))
    };
    // Work: per stream, hours short.
    for (w, st) in c.streams.iter().enumerate() {
        let tag = format!(
            "{}_w{w}",
            st.name
                .chars()
                .map(|ch| if ch.is_ascii_alphanumeric() || ch == '_' {
                    ch
                } else {
                    '_'
                })
                .collect::<String>()
        );
        let backlog: f64 = active
            .iter()
            .filter(|(k, _)| form.lp.rows[*k].name == format!("due_backlog_{tag}"))
            .map(|a| a.1)
            .sum();
        if backlog > 0.0 {
            out.push(Relaxation {
                group: Group::Deadline,
                amount: backlog,
                need: Need::Backlog {
                    stream: st.name.clone(),
                    hours: backlog,
                    items: backlog / st.work_per_item,
                    share: backlog / st.backlog_work.max(1e-9),
                    deadline_week: c.deadline / HOURS_PER_WEEK,
                },
                weeks: None,
            });
        }
        let arr: Vec<(usize, f64)> = active
            .iter()
            .filter(|(k, _)| form.lp.rows[*k].name.starts_with(&format!("due_arrivals_{tag}_t")))
            .copied()
            .collect();
        if let Some(&(_, worst)) = arr.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            let ts: Vec<usize> = arr.iter().filter_map(|(k, _)| form.lp.rows[*k].period).collect();
            out.push(Relaxation {
                group: Group::Deadline,
                amount: worst,
                need: Need::Arrivals {
                    stream: st.name.clone(),
                    service_weeks: spec.arrival_service_hours / HOURS_PER_WEEK,
                    hours: worst,
                },
                weeks: weeks(&ts),
            });
        }
    }
    let group_rows = |g: Group| -> Vec<(usize, f64)> {
        active
            .iter()
            .filter(|(k, _)| form.lp.rows[*k].group == g)
            .copied()
            .collect()
    };
    let senior = group_rows(Group::SeniorFocus);
    if !senior.is_empty() {
        let per: Vec<f64> = senior
            .iter()
            .map(|&(k, s)| s / (c.seniors.max(1.0) * form.lp.rows[k].period.map_or(1.0, |t| c.periods[t].weeks())))
            .collect();
        let worst = per.iter().copied().fold(0.0, f64::max);
        let ts: Vec<usize> = senior.iter().filter_map(|(k, _)| form.lp.rows[*k].period).collect();
        let total: f64 = senior.iter().map(|a| a.1).sum();
        let floor = spec.senior_focus_floor_hours;
        let need = if c.seniors == 0.0 {
            Need::NoSeniors { hours: total }
        } else if floor > 0.0 {
            Need::FocusFloor { floor, by: worst }
        } else {
            Need::SeniorTime { by: worst }
        };
        out.push(Relaxation {
            group: Group::SeniorFocus,
            amount: total,
            need,
            weeks: weeks(&ts),
        });
    }
    if let Some(&(_, s)) = group_rows(Group::Budget).first() {
        out.push(Relaxation {
            group: Group::Budget,
            amount: s,
            need: Need::Budget {
                from: spec.budget.unwrap_or(0.0),
                by: s,
            },
            weeks: None,
        });
    }
    if let Some(&(_, s)) = group_rows(Group::Access).first() {
        out.push(Relaxation {
            group: Group::Access,
            amount: s,
            need: Need::Access {
                from: spec.access_cap.unwrap_or(0.0),
                by: s,
            },
            weeks: None,
        });
    }
    let bench = group_rows(Group::BenchMax);
    if !bench.is_empty() {
        let worst = bench.iter().map(|a| a.1).fold(0.0, f64::max);
        let ts: Vec<usize> = bench.iter().filter_map(|(k, _)| form.lp.rows[*k].period).collect();
        out.push(Relaxation {
            group: Group::BenchMax,
            amount: worst,
            need: Need::BenchMax {
                from: spec.bench_max,
                by: worst,
            },
            weeks: weeks(&ts),
        });
    }
    for (k, by) in group_rows(Group::Contract) {
        let r = &form.lp.rows[k];
        // The row is `milestone_<contract>_<index>_<stream or "items">` (build.rs).
        let found = form.coeffs.contracts.iter().flatten().find_map(|c| {
            c.milestones.iter().enumerate().find_map(|(j, m)| {
                r.name
                    .starts_with(&format!("milestone_{}_{j}_", super::formulation::clean(&c.name)))
                    .then(|| (c.name.clone(), j + 1, m.due_hours / HOURS_PER_WEEK))
            })
        });
        if let Some((contract, number, due_week)) = found {
            out.push(Relaxation {
                group: Group::Contract,
                amount: by,
                need: Need::Milestone {
                    contract,
                    number,
                    due_week,
                    items: r.name.ends_with("_items"),
                    by,
                },
                weeks: r.period.and_then(|t| weeks(&[t])),
            });
        }
    }
    for g in [Group::ChannelMax, Group::ChannelShare, Group::MinEmployees] {
        let rows = group_rows(g);
        let mut keys: Vec<String> = rows.iter().map(|(k, _)| key(&form.lp.rows[*k].name)).collect();
        keys.sort();
        keys.dedup();
        for kname in keys {
            let these: Vec<(usize, f64)> = rows
                .iter()
                .filter(|(k, _)| key(&form.lp.rows[*k].name) == kname)
                .copied()
                .collect();
            let worst = these.iter().map(|a| a.1).fold(0.0, f64::max);
            let ts: Vec<usize> = these.iter().filter_map(|(k, _)| form.lp.rows[*k].period).collect();
            let rhs = these.first().map_or(0.0, |(k, _)| form.lp.rows[*k].rhs);
            let need = match g {
                Group::MinEmployees => Need::MinEmployees { from: rhs, by: worst },
                Group::ChannelShare => Need::Share { row: kname, by: worst },
                _ => Need::Cap {
                    row: kname,
                    from: rhs,
                    by: worst,
                },
            };
            out.push(Relaxation {
                group: g,
                amount: worst,
                need,
                weeks: weeks(&ts),
            });
        }
    }
    out
}

fn key(row: &str) -> String {
    row.rsplit_once("_t").map_or(row.to_string(), |(a, _)| a.to_string())
}
