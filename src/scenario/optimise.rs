//! `[optimise]` -> [`OptimiseSpec`]: defaults, ranges and cross-references of
//! the optimiser's settings (docs/OPTIMISER.md documents every field).
//!
//! Kept apart from `validate` so the simulator's validation reads on its own;
//! errors carry a field path like every other section, so they point at the
//! file's line and column.

use super::raw::{RawChannelLimits, RawOptimise};
use super::spans::closest;
use super::validate::{FieldPath, ValidationError};
use crate::model::*;

type Result<T> = std::result::Result<T, ValidationError>;

fn err<T>(path: &FieldPath, message: impl Into<String>) -> Result<T> {
    Err(ValidationError {
        path: path.clone(),
        message: message.into(),
    })
}

/// LP solves one search may make by default (docs/OPTIMISER.md §6).
pub const DEFAULT_WORK_LIMIT: usize = 2_000;

fn range(path: &FieldPath, v: f64, lo: f64, hi: f64, what: &str) -> Result<f64> {
    if !v.is_finite() || v < lo || v > hi {
        return err(path, format!("expected {what}, got {v}"));
    }
    Ok(v)
}

fn non_negative(path: &FieldPath, v: f64) -> Result<f64> {
    if !v.is_finite() || v < 0.0 {
        return err(path, format!("expected zero or a positive number, got {v}"));
    }
    Ok(v)
}

fn choice<T: Copy>(path: &FieldPath, s: &str, what: &str, all: &[T], name: fn(T) -> &'static str) -> Result<T> {
    if let Some(x) = all.iter().copied().find(|x| name(*x) == s) {
        return Ok(x);
    }
    let names: Vec<&str> = all.iter().map(|x| name(*x)).collect();
    let hint = closest(s, names.iter().copied())
        .map(|c| format!(" (did you mean \"{c}\"?)"))
        .unwrap_or_default();
    err(
        path,
        format!("unknown {what} \"{s}\"{hint}; expected one of: {}", names.join(", ")),
    )
}

/// Upper bound on people counts in caps, as for team entries.
const MAX_PEOPLE: f64 = 20_000.0;

/// Upper bound on the number of planning periods (keeps the model small enough to solve).
pub const MAX_PERIODS: f64 = 260.0;

pub fn validate(
    p: &FieldPath,
    raw: &RawOptimise,
    strategies: &[Strategy],
    scenario_deadline: Option<f64>,
    horizon_hours: f64,
) -> Result<OptimiseSpec> {
    let strategy = match &raw.strategy {
        None => 0,
        Some(name) => match strategies.iter().position(|s| &s.name == name) {
            Some(i) => i,
            None => {
                let hint = closest(name, strategies.iter().map(|s| s.name.as_str()))
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                return err(&p.key("strategy"), format!("no [[strategy]] is named \"{name}\"{hint}"));
            }
        },
    };
    let base = &strategies[strategy];
    let period = match &raw.period {
        None => PlanPeriod::Week,
        Some(s) => choice(
            &p.key("period"),
            s,
            "period",
            &[PlanPeriod::Week, PlanPeriod::Month],
            PlanPeriod::name,
        )?,
    };
    let horizon_weeks = horizon_hours / HOURS_PER_WEEK;
    let deadline_hours = match (raw.deadline_weeks, scenario_deadline) {
        (Some(d), _) => {
            range(
                &p.key("deadline_weeks"),
                d,
                1.0,
                horizon_weeks,
                "a deadline between week 1 and the horizon",
            )? * HOURS_PER_WEEK
        }
        (None, Some(d)) => {
            if d < HOURS_PER_WEEK {
                return err(
                    &p.key("deadline_weeks"),
                    "the optimiser needs a deadline of at least one week",
                );
            }
            d
        }
        (None, None) => {
            return err(
                &p.key("deadline_weeks"),
                "the optimiser needs a deadline: set `deadline_weeks` here or at the top of the scenario",
            )
        }
    };
    if deadline_hours / period.hours() > MAX_PERIODS {
        return err(
            &p.key("period"),
            format!(
                "{:.0} {} periods to the deadline is above the limit of {MAX_PERIODS}; use period = \"month\"",
                (deadline_hours / period.hours()).ceil(),
                period.name()
            ),
        );
    }
    let objective = match &raw.objective {
        None => PlanObjective::Cost,
        Some(s) => choice(
            &p.key("objective"),
            s,
            "objective",
            &[PlanObjective::Cost, PlanObjective::Finish, PlanObjective::Frontier],
            PlanObjective::name,
        )?,
    };
    let budget = match raw.budget {
        None => None,
        Some(b) => Some(range(&p.key("budget"), b, 0.0, 1e12, "a budget between 0 and 1e12")?),
    };
    let access_cap = match raw.access_cap {
        None => None,
        Some(a) => Some(range(
            &p.key("access_cap"),
            a,
            0.0,
            MAX_PEOPLE,
            "a number of people between 0 and 20000",
        )?),
    };
    let bench_max = match raw.bench_max {
        Some(b) => range(
            &p.key("bench_max"),
            b,
            0.0,
            MAX_PEOPLE,
            "a number of people between 0 and 20000",
        )?,
        None => base.scaling.bench_max as f64,
    };
    let min_employees = range(
        &p.key("min_employees"),
        raw.min_employees.unwrap_or(0.0),
        0.0,
        MAX_PEOPLE,
        "a number of people between 0 and 20000",
    )?;
    let senior_focus_floor_hours = range(
        &p.key("senior_focus_floor_hours"),
        raw.senior_focus_floor_hours.unwrap_or(0.0),
        0.0,
        HOURS_PER_WEEK,
        "hours per senior per week between 0 and 40",
    )?;
    let max_utilisation = range(
        &p.key("max_utilisation"),
        raw.max_utilisation.unwrap_or(0.85),
        0.1,
        1.0,
        "a share of capacity between 0.1 and 1",
    )?;
    let arrival_service_hours = non_negative(
        &p.key("arrival_service_weeks"),
        raw.arrival_service_weeks.unwrap_or(2.0),
    )? * HOURS_PER_WEEK;
    let initial_team = match &raw.initial_team {
        None => InitialTeam::Strategy,
        Some(s) => choice(
            &p.key("initial_team"),
            s,
            "initial team",
            &[InitialTeam::Strategy, InitialTeam::Optimise],
            InitialTeam::name,
        )?,
    };
    let time_limit_seconds = match raw.time_limit_seconds {
        None => None,
        Some(t) => Some(range(
            &p.key("time_limit_seconds"),
            t,
            0.1,
            86_400.0,
            "seconds between 0.1 and 86400",
        )?),
    };
    let work_limit = range(
        &p.key("work_limit"),
        raw.work_limit.unwrap_or(DEFAULT_WORK_LIMIT as f64),
        1.0,
        10_000_000.0,
        "a whole number of LP solves between 1 and 10000000",
    )?;
    if work_limit.fract() != 0.0 {
        return err(
            &p.key("work_limit"),
            format!("expected a whole number of LP solves, got {work_limit}"),
        );
    }
    let work_limit = work_limit as usize;
    let mip_gap = range(
        &p.key("mip_gap"),
        raw.mip_gap.unwrap_or(0.01),
        0.0,
        1.0,
        "a relative gap between 0 and 1",
    )?;

    let mut channels = Channel::ALL.map(|c| default_limits(c, base));
    for (name, rc) in &raw.channels {
        let cp = p.key("channels").key(name);
        let c = choice(&cp, name, "channel", &Channel::ALL, Channel::name)?;
        channels[c.index()] = channel_limits(&cp, rc, channels[c.index()].clone())?;
    }
    if !channels.iter().any(|c| c.allowed) {
        return err(&p.key("channels"), "every channel is disallowed; allow at least one");
    }
    if channels.iter().filter_map(|c| c.share_min).sum::<f64>() > 1.0 + 1e-9 {
        return err(
            &p.key("channels"),
            "the channels' `share_min` values add up to more than 1",
        );
    }

    let frontier = frontier(p, raw, deadline_hours, horizon_hours, period)?;
    Ok(OptimiseSpec {
        strategy,
        period,
        deadline_hours,
        objective,
        budget,
        access_cap,
        bench_max,
        min_employees,
        senior_focus_floor_hours,
        integer: raw.integer.unwrap_or(true),
        max_utilisation,
        arrival_service_hours,
        initial_team,
        time_limit_seconds,
        work_limit,
        mip_gap,
        channels,
        frontier,
    })
}

/// Notice before a release (estimates, docs/OPTIMISER.md): employees 4 weeks,
/// freelancers 1, pods 2, bench none. Minimum stay of a planned start (so a
/// plan does not hire and release the same people within weeks): employees 8
/// weeks, freelancers and pods 4, the bench the base strategy's `scaling.min_weeks`.
fn default_limits(c: Channel, base: &Strategy) -> ChannelLimits {
    let (min_weeks, notice_weeks) = match c {
        Channel::Employee => (8.0, 4.0),
        Channel::Freelancer => (4.0, 1.0),
        Channel::Pod => (4.0, 2.0),
        Channel::Bench => (base.scaling.min_hours / HOURS_PER_WEEK, 0.0),
    };
    let min_hours = min_weeks * HOURS_PER_WEEK;
    ChannelLimits {
        allowed: true,
        max: None,
        max_by_role: [None; Role::COUNT],
        share_min: None,
        share_max: None,
        min_hours,
        notice_hours: notice_weeks * HOURS_PER_WEEK,
    }
}

fn channel_limits(cp: &FieldPath, rc: &RawChannelLimits, mut d: ChannelLimits) -> Result<ChannelLimits> {
    let people = "a number of people between 0 and 20000";
    if let Some(a) = rc.allowed {
        d.allowed = a;
    }
    if let Some(m) = rc.max {
        d.max = Some(range(&cp.key("max"), m, 0.0, MAX_PEOPLE, people)?);
    }
    for (role_name, &m) in &rc.max_by_role {
        let rp = cp.key("max_by_role").key(role_name);
        let role = choice(&rp, role_name, "role", &Role::SKILLS, Role::name)?;
        d.max_by_role[role.index()] = Some(range(&rp, m, 0.0, MAX_PEOPLE, people)?);
    }
    if let Some(s) = rc.share_min {
        d.share_min = Some(range(&cp.key("share_min"), s, 0.0, 1.0, "a share between 0 and 1")?);
    }
    if let Some(s) = rc.share_max {
        d.share_max = Some(range(&cp.key("share_max"), s, 0.0, 1.0, "a share between 0 and 1")?);
    }
    if let (Some(lo), Some(hi)) = (d.share_min, d.share_max) {
        if lo > hi {
            return err(
                &cp.key("share_min"),
                format!("share_min ({lo}) is above share_max ({hi})"),
            );
        }
    }
    if let Some(w) = rc.min_weeks {
        d.min_hours = range(&cp.key("min_weeks"), w, 0.0, 520.0, "weeks between 0 and 520")? * HOURS_PER_WEEK;
    }
    if let Some(w) = rc.notice_weeks {
        d.notice_hours = range(&cp.key("notice_weeks"), w, 0.0, 520.0, "weeks between 0 and 520")? * HOURS_PER_WEEK;
    }
    if !d.allowed && (d.share_min.is_some_and(|s| s > 0.0)) {
        return err(
            &cp.key("share_min"),
            "a disallowed channel cannot have a positive share_min",
        );
    }
    Ok(d)
}

fn frontier(p: &FieldPath, raw: &RawOptimise, deadline: f64, horizon: f64, period: PlanPeriod) -> Result<FrontierSpec> {
    let fp = p.key("frontier");
    let rf = raw.frontier.clone().unwrap_or_default();
    let week = HOURS_PER_WEEK;
    let horizon_weeks = horizon / week;
    let from = match rf.from_weeks {
        Some(f) => range(
            &fp.key("from_weeks"),
            f,
            1.0,
            horizon_weeks,
            "a week between 1 and the horizon",
        )?,
        None => (0.6 * deadline / week).ceil().max(1.0),
    };
    let to = match rf.to_weeks {
        Some(t) => range(
            &fp.key("to_weeks"),
            t,
            1.0,
            horizon_weeks,
            "a week between 1 and the horizon",
        )?,
        None => (1.4 * deadline / week).ceil().min(horizon_weeks),
    };
    if to < from {
        return err(
            &fp.key("to_weeks"),
            format!("expected to_weeks >= from_weeks ({from}), got {to}"),
        );
    }
    let period_weeks = period.hours() / week;
    let step = match rf.step_weeks {
        Some(s) => range(&fp.key("step_weeks"), s, 0.1, 520.0, "weeks between 0.1 and 520")?,
        None => ((to - from) / 10.0).round().max(period_weeks.round().max(1.0)),
    };
    if (to - from) / step > 100.0 {
        return err(
            &fp.key("step_weeks"),
            "the frontier would visit more than 100 deadlines; raise step_weeks",
        );
    }
    if to * week / period.hours() > MAX_PERIODS {
        return err(
            &fp.key("to_weeks"),
            format!("more than {MAX_PERIODS} periods; use period = \"month\""),
        );
    }
    Ok(FrontierSpec {
        from_hours: from * week,
        to_hours: to * week,
        step_hours: step * week,
    })
}
