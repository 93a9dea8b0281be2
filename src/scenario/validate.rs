//! Raw scenario -> validated [`Model`]: defaults, ranges, cross-references.
//!
//! Every default of MODEL.md lives here, once, with its source in a comment
//! and in docs/MODEL.md. Limits on sizes keep a typo (an extra three zeros)
//! from turning into an out-of-memory crash or an hour-long hang.

use super::raw::*;
use super::spans::closest;
pub use super::spans::FieldPath;
use crate::dist::Dist;
use crate::model::*;

/// A validation failure at a field.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    pub path: FieldPath,
    pub message: String,
}

type Result<T> = std::result::Result<T, ValidationError>;

fn err<T>(path: &FieldPath, message: impl Into<String>) -> Result<T> {
    Err(ValidationError {
        path: path.clone(),
        message: message.into(),
    })
}

/// Upper bounds that keep one replication within memory and minutes.
pub mod limits {
    pub const MAX_HORIZON_WEEKS: f64 = 10_000.0;
    pub const MAX_BACKLOG_PER_STREAM: u64 = 5_000_000;
    pub const MAX_EXPECTED_ITEMS: f64 = 20_000_000.0;
    pub const MAX_TEAM_ENTRY: u32 = 10_000;
    pub const MAX_PEOPLE: u64 = 20_000;
    pub const MAX_WORKSTREAMS: usize = 200;
    pub const MAX_STRATEGIES: usize = 50;
    pub const MAX_SENIORS: u32 = 1_000;
    pub const MAX_REPLICATIONS: u32 = 10_000_000;
    pub const MAX_QUESTIONS_PER_ITEM: f64 = 50.0;
}

/// Checks a number is finite and within [lo, hi].
fn range(path: &FieldPath, v: f64, lo: f64, hi: f64, what: &str) -> Result<f64> {
    if !v.is_finite() || v < lo || v > hi {
        return err(path, format!("expected {what}, got {v}"));
    }
    Ok(v)
}

fn prob(path: &FieldPath, v: Option<f64>, default: f64) -> Result<f64> {
    range(path, v.unwrap_or(default), 0.0, 1.0, "a probability between 0 and 1")
}

fn positive(path: &FieldPath, v: Option<f64>, default: f64) -> Result<f64> {
    let x = v.unwrap_or(default);
    if !x.is_finite() || x <= 0.0 {
        return err(path, format!("expected a positive number, got {x}"));
    }
    Ok(x)
}

fn non_negative(path: &FieldPath, v: Option<f64>, default: f64) -> Result<f64> {
    let x = v.unwrap_or(default);
    if !x.is_finite() || x < 0.0 {
        return err(path, format!("expected zero or a positive number, got {x}"));
    }
    Ok(x)
}

fn name_of<T: Copy>(path: &FieldPath, s: &str, what: &str, all: &[T], name: fn(T) -> &'static str) -> Result<T> {
    if let Some(x) = all.iter().copied().find(|x| name(*x) == s) {
        return Ok(x);
    }
    let names: Vec<&str> = all.iter().map(|x| name(*x)).collect();
    let hint = closest(s, names.iter().copied())
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    err(
        path,
        format!("unknown {what} `{s}`{hint}; expected one of: {}", names.join(", ")),
    )
}

fn skill(path: &FieldPath, s: &str) -> Result<Role> {
    name_of(path, s, "skill", &Role::SKILLS, Role::name)
}
fn role(path: &FieldPath, s: &str) -> Result<Role> {
    let contributor_roles = [
        Role::MlEngineer,
        Role::DomainExpert,
        Role::DataQuality,
        Role::Ops,
        Role::PodLead,
    ];
    name_of(path, s, "role", &contributor_roles, Role::name)
}
fn channel(path: &FieldPath, s: &str) -> Result<Channel> {
    name_of(path, s, "channel", &Channel::ALL, Channel::name)
}

pub fn dist(path: &FieldPath, raw: &RawDist) -> Result<Dist> {
    let r = match *raw {
        RawDist::Fixed { value } => Dist::fixed(value),
        RawDist::Exponential { mean } => Dist::exponential(mean),
        RawDist::Lognormal { mean, cv } => Dist::lognormal(mean, cv),
        RawDist::Triangular { min, mode, max } => Dist::triangular(min, mode, max),
        RawDist::Gamma { mean, cv } => Dist::gamma(mean, cv),
        RawDist::Uniform { min, max } => Dist::uniform(min, max),
    };
    r.or_else(|e| err(path, e.0))
}

/// MODEL.md §3 defaults per channel. Rates are illustrative loaded USD/hour
/// (about 1.43x wages, US BLS employer-cost data), indexed by `Role::index`:
/// [senior_ml, ml_engineer, domain_expert, data_quality, ops, pod_lead].
pub fn default_channel(c: Channel) -> ChannelParams {
    let day = HOURS_PER_DAY;
    match c {
        // Lead time 40 working days and ramp 0.5 over 80 days: Abdel-Hamid & Madnick
        // (1991); attrition 13.2 %/yr: tech-sector surveys; handover loss 0.25.
        Channel::Employee => ChannelParams {
            rate: [120.0, 95.0, 75.0, 55.0, 60.0, 90.0],
            lead_hours: 40.0 * day,
            ramp_start: 0.5,
            ramp_hours: 80.0 * day,
            mentor_fte: 0.2,
            attrition_per_hour: annual_to_hazard(0.132),
            handover_loss: 0.25,
            quality_factor: 1.0,
            productivity: 1.0,
            hire_cost: 8_000.0,
        },
        // Lead 10 days (estimate); ramp 0.5 over 20 days (Madachy 2008); mean tenure
        // 11.5 weeks (staffing-agency assignments); handover loss 0.5.
        Channel::Freelancer => ChannelParams {
            rate: [120.0, 90.0, 65.0, 45.0, 55.0, 85.0],
            lead_hours: 10.0 * day,
            ramp_start: 0.5,
            ramp_hours: 20.0 * day,
            mentor_fte: 0.2,
            attrition_per_hour: 1.0 / (11.5 * HOURS_PER_WEEK),
            handover_loss: 0.5,
            quality_factor: 1.0,
            productivity: 1.0,
            hire_cost: 1_500.0,
        },
        // Provider backfills in 5 days; ramp 0.7 over 10 days; 15 %/yr; documented
        // processes keep handover loss at 0.1 (all estimates).
        Channel::Pod => ChannelParams {
            rate: [120.0, 80.0, 60.0, 40.0, 45.0, 75.0],
            lead_hours: 5.0 * day,
            ramp_start: 0.7,
            ramp_hours: 10.0 * day,
            mentor_fte: 0.1,
            attrition_per_hour: annual_to_hazard(0.15),
            handover_loss: 0.1,
            quality_factor: 1.0,
            productivity: 1.0,
            hire_cost: 0.0,
        },
        // Pre-vetted pool: lead 3 days, ramp 0.7 over 5 days (estimates); released by
        // policy, so no attrition.
        Channel::Bench => ChannelParams {
            rate: [120.0, 80.0, 60.0, 40.0, 45.0, 75.0],
            lead_hours: 3.0 * day,
            ramp_start: 0.7,
            ramp_hours: 5.0 * day,
            mentor_fte: 0.1,
            attrition_per_hour: 0.0,
            handover_loss: 0.1,
            quality_factor: 1.0,
            productivity: 1.0,
            hire_cost: 0.0,
        },
    }
}

/// Converts "p of people leave within a year" to a constant hazard per hour.
pub fn annual_to_hazard(p: f64) -> f64 {
    -(1.0 - p).ln() / HOURS_PER_YEAR
}

pub fn validate(raw: &RawScenario) -> Result<Model> {
    let root = FieldPath::root();
    if raw.name.trim().is_empty() {
        return err(&root.key("name"), "expected a non-empty scenario name");
    }
    let horizon_weeks = range(
        &root.key("horizon_weeks"),
        raw.horizon_weeks.unwrap_or(104.0),
        1.0,
        limits::MAX_HORIZON_WEEKS,
        &format!(
            "a horizon between 1 and {} weeks (the limit keeps one replication's event count bounded)",
            limits::MAX_HORIZON_WEEKS
        ),
    )?;
    let horizon_hours = horizon_weeks * HOURS_PER_WEEK;
    let warmup_weeks = non_negative(&root.key("warmup_weeks"), raw.warmup_weeks, 0.0)?;
    if warmup_weeks >= horizon_weeks {
        return err(
            &root.key("warmup_weeks"),
            format!("the warm-up ({warmup_weeks} weeks) must end before the horizon ({horizon_weeks} weeks)"),
        );
    }
    let deadline_hours = match raw.deadline_weeks {
        None => None,
        Some(d) => Some(
            range(
                &root.key("deadline_weeks"),
                d,
                0.0,
                horizon_weeks,
                "a deadline after week 0 and no later than the horizon",
            )
            .and_then(|d| {
                if d > 0.0 {
                    Ok(d)
                } else {
                    err(&root.key("deadline_weeks"), "expected a deadline after week 0")
                }
            })? * HOURS_PER_WEEK,
        ),
    };
    let replications = raw.replications.unwrap_or(100);
    if replications == 0 || replications > limits::MAX_REPLICATIONS {
        return err(
            &root.key("replications"),
            format!(
                "expected between 1 and {} replications, got {replications}",
                limits::MAX_REPLICATIONS
            ),
        );
    }
    if let Some(d) = &raw.start_date {
        if !is_iso_date(d) {
            return err(
                &root.key("start_date"),
                format!("expected a date as YYYY-MM-DD, got \"{d}\""),
            );
        }
    }

    // Workstreams.
    if raw.workstream.is_empty() {
        return err(&root, "a scenario needs at least one [[workstream]]");
    }
    if raw.workstream.len() > limits::MAX_WORKSTREAMS {
        return err(
            &root.key("workstream"),
            format!("at most {} workstreams are supported", limits::MAX_WORKSTREAMS),
        );
    }
    let mut workstreams = Vec::with_capacity(raw.workstream.len());
    let mut expected_items = 0.0;
    for (i, w) in raw.workstream.iter().enumerate() {
        let p = root.key("workstream").index(i);
        if w.name.trim().is_empty() {
            return err(&p.key("name"), "expected a non-empty workstream name");
        }
        if raw.workstream[..i].iter().any(|o| o.name == w.name) {
            return err(&p.key("name"), format!("duplicate workstream name \"{}\"", w.name));
        }
        let skill = skill(&p.key("skill"), &w.skill)?;
        let backlog = w.backlog.unwrap_or(0);
        if backlog > limits::MAX_BACKLOG_PER_STREAM {
            return err(
                &p.key("backlog"),
                format!(
                    "a backlog of {backlog} items is above the limit of {} per workstream",
                    limits::MAX_BACKLOG_PER_STREAM
                ),
            );
        }
        let arrivals_per_week = non_negative(&p.key("arrivals_per_week"), w.arrivals_per_week, 0.0)?;
        if backlog == 0 && arrivals_per_week == 0.0 {
            return err(
                &p,
                format!(
                    "workstream \"{}\" has no work: give it a `backlog` or `arrivals_per_week`",
                    w.name
                ),
            );
        }
        let mut surges = Vec::new();
        for (j, s) in w.surge.iter().enumerate() {
            let sp = p.key("surge").index(j);
            let from = range(
                &sp.key("from_week"),
                s.from_week,
                0.0,
                horizon_weeks,
                "a week within the horizon",
            )?;
            let to = range(
                &sp.key("to_week"),
                s.to_week,
                0.0,
                horizon_weeks,
                "a week within the horizon",
            )?;
            if to <= from {
                return err(
                    &sp.key("to_week"),
                    format!("expected to_week > from_week ({from}), got {to}"),
                );
            }
            let factor = range(&sp.key("factor"), s.factor, 0.0, 1_000.0, "a factor between 0 and 1000")?;
            surges.push(Surge {
                from_hours: from * HOURS_PER_WEEK,
                to_hours: to * HOURS_PER_WEEK,
                factor,
            });
        }
        let effort = dist(&p.key("effort_hours"), &w.effort_hours)?;
        let defect_rate = prob(&p.key("defect_rate"), w.defect_rate, 0.05)?;
        let questions_per_item = range(
            &p.key("questions_per_item"),
            w.questions_per_item.unwrap_or(0.5),
            0.0,
            limits::MAX_QUESTIONS_PER_ITEM,
            &format!(
                "a mean number of questions between 0 and {}",
                limits::MAX_QUESTIONS_PER_ITEM
            ),
        )?;
        let deadline_hours = match w.deadline_weeks {
            None => None,
            Some(d) => Some(
                range(
                    &p.key("deadline_weeks"),
                    d,
                    0.0,
                    horizon_weeks,
                    "a deadline within the horizon",
                )? * HOURS_PER_WEEK,
            ),
        };
        let ws = Workstream {
            name: w.name.clone(),
            skill,
            backlog: backlog as u32,
            arrivals_per_hour: arrivals_per_week / HOURS_PER_WEEK,
            surges,
            effort,
            after: Vec::new(),
            defect_rate,
            questions_per_item,
            deadline_hours,
        };
        expected_items += backlog as f64 + ws.expected_arrivals(0.0, horizon_hours);
        workstreams.push(ws);
    }
    if expected_items > limits::MAX_EXPECTED_ITEMS {
        return err(
            &root.key("workstream"),
            format!(
                "the workstreams would create about {expected_items:.0} items per replication, above the limit of {:.0}; shorten the horizon or lower the arrival rates",
                limits::MAX_EXPECTED_ITEMS
            ),
        );
    }
    // Gates, once every name is known; then reject cycles.
    for (i, w) in raw.workstream.iter().enumerate() {
        let p = root.key("workstream").index(i);
        for (j, g) in w.after.iter().enumerate() {
            let gp = p.key("after").index(j);
            let names: Vec<&str> = raw.workstream.iter().map(|w| w.name.as_str()).collect();
            let Some(stream) = names.iter().position(|n| *n == g.stream) else {
                let hint = closest(&g.stream, names.iter().copied())
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                return err(
                    &gp.key("stream"),
                    format!("no workstream is named \"{}\"{hint}", g.stream),
                );
            };
            if workstreams[stream].backlog == 0 {
                return err(
                    &gp.key("stream"),
                    format!("\"{}\" has no backlog, so a fraction of it never completes", g.stream),
                );
            }
            let fraction = range(&gp.key("fraction"), g.fraction, 0.0, 1.0, "a fraction between 0 and 1")?;
            workstreams[i].after.push(Gate { stream, fraction });
        }
    }
    if let Some(cycle) = find_cycle(&workstreams) {
        let names: Vec<&str> = cycle.iter().map(|&i| workstreams[i].name.as_str()).collect();
        return err(
            &root.key("workstream").index(cycle[0]).key("after"),
            format!("the `after` gates form a cycle: {} -> {}", names.join(" -> "), names[0]),
        );
    }

    // Seniors.
    let rs = raw.seniors.clone().unwrap_or_default();
    let sp = root.key("seniors");
    let senior_count = rs.count.unwrap_or(0);
    if senior_count > limits::MAX_SENIORS {
        return err(
            &sp.key("count"),
            format!("at most {} seniors are supported", limits::MAX_SENIORS),
        );
    }
    let handling = match &rs.handling_minutes {
        Some(d) => dist(&sp.key("handling_minutes"), d)?,
        // Lognormal, mean 15 min, cv 1 (estimate, MODEL.md §6).
        None => Dist::lognormal(15.0, 1.0).expect("valid default"),
    };
    let seniors = Seniors {
        count: senior_count,
        rate: non_negative(&sp.key("rate"), rs.rate, 120.0)?,
        resume_hours: range(
            &sp.key("resume_minutes"),
            rs.resume_minutes.unwrap_or(12.0),
            0.0,
            480.0,
            "minutes between 0 and 480",
        )? / 60.0,
        focus_block_hours: range(
            &sp.key("focus_block_minutes"),
            rs.focus_block_minutes.unwrap_or(120.0),
            1.0,
            480.0,
            "minutes between 1 and 480 (a working day)",
        )? / 60.0,
        handling: scale_dist(&handling, 1.0 / 60.0),
    };

    let ro = raw.overhead.clone().unwrap_or_default();
    let op = root.key("overhead");
    let overhead = Overhead {
        coefficient: range(
            &op.key("coefficient"),
            ro.coefficient.unwrap_or(0.0006),
            0.0,
            1.0,
            "a coefficient between 0 and 1",
        )?,
        cap: range(
            &op.key("cap"),
            ro.cap.unwrap_or(0.8),
            0.0,
            0.95,
            "a cap between 0 and 0.95 (people must keep some working time)",
        )?,
    };

    let rq = raw.quality.clone().unwrap_or_default();
    let qp = root.key("quality");
    let quality = Quality {
        detect_prob: prob(&qp.key("detect_prob"), rq.detect_prob, 0.9)?,
        rework_fraction: range(
            &qp.key("rework_fraction"),
            rq.rework_fraction.unwrap_or(0.5),
            0.0,
            1.0,
            "a fraction between 0 and 1",
        )?,
        escape_delay_hours: positive(&qp.key("escape_delay_weeks"), rq.escape_delay_weeks, 4.0)? * HOURS_PER_WEEK,
        triage_hours: non_negative(&qp.key("triage_hours"), rq.triage_hours, 1.0)?,
    };

    // Channels.
    let mut channels = Channel::ALL.map(default_channel);
    for (name, rc) in &raw.channels {
        let cp = root.key("channels").key(name);
        let c = channel(&cp, name)?;
        let d = &mut channels[c.index()];
        if let Some(r) = rc.rate {
            let r = non_negative(&cp.key("rate"), Some(r), 0.0)?;
            for role in Role::ALL {
                if role != Role::SeniorMl {
                    d.rate[role.index()] = r;
                }
            }
        }
        for (role_name, &r) in &rc.rates {
            let rp = cp.key("rates").key(role_name);
            let role = role(&rp, role_name)?;
            d.rate[role.index()] = non_negative(&rp, Some(r), 0.0)?;
        }
        d.lead_hours = non_negative(&cp.key("lead_days"), rc.lead_days, d.lead_hours / HOURS_PER_DAY)? * HOURS_PER_DAY;
        d.ramp_start = range(
            &cp.key("ramp_start"),
            rc.ramp_start.unwrap_or(d.ramp_start),
            0.05,
            1.0,
            "a starting productivity between 0.05 and 1",
        )?;
        d.ramp_hours = non_negative(&cp.key("ramp_days"), rc.ramp_days, d.ramp_hours / HOURS_PER_DAY)? * HOURS_PER_DAY;
        d.mentor_fte = range(
            &cp.key("mentor_fte"),
            rc.mentor_fte.unwrap_or(d.mentor_fte),
            0.0,
            1.0,
            "an FTE share between 0 and 1",
        )?;
        match (rc.attrition_per_year, rc.mean_tenure_weeks) {
            (Some(_), Some(_)) => {
                return err(
                    &cp.key("mean_tenure_weeks"),
                    "give either `attrition_per_year` or `mean_tenure_weeks`, not both",
                );
            }
            (Some(a), None) => {
                let a = range(
                    &cp.key("attrition_per_year"),
                    a,
                    0.0,
                    0.99,
                    "an annual attrition probability between 0 and 0.99",
                )?;
                d.attrition_per_hour = annual_to_hazard(a);
            }
            (None, Some(t)) => {
                let t = positive(&cp.key("mean_tenure_weeks"), Some(t), 1.0)?;
                d.attrition_per_hour = 1.0 / (t * HOURS_PER_WEEK);
            }
            (None, None) => {}
        }
        d.handover_loss = prob(&cp.key("handover_loss"), rc.handover_loss, d.handover_loss)?;
        d.quality_factor = range(
            &cp.key("quality_factor"),
            rc.quality_factor.unwrap_or(d.quality_factor),
            0.0,
            10.0,
            "a factor between 0 and 10",
        )?;
        d.productivity = range(
            &cp.key("productivity"),
            rc.productivity.unwrap_or(d.productivity),
            0.05,
            10.0,
            "a productivity between 0.05 and 10",
        )?;
        d.hire_cost = non_negative(&cp.key("hire_cost"), rc.hire_cost, d.hire_cost)?;
    }
    channels
        .iter_mut()
        .for_each(|c| c.rate[Role::SeniorMl.index()] = seniors.rate);

    // Strategies.
    if raw.strategy.is_empty() {
        return err(&root, "a scenario needs at least one [[strategy]]");
    }
    if raw.strategy.len() > limits::MAX_STRATEGIES {
        return err(
            &root.key("strategy"),
            format!("at most {} strategies are supported", limits::MAX_STRATEGIES),
        );
    }
    let mut strategies = Vec::new();
    for (i, s) in raw.strategy.iter().enumerate() {
        let p = root.key("strategy").index(i);
        if raw.strategy[..i].iter().any(|o| o.name == s.name) {
            return err(&p.key("name"), format!("duplicate strategy name \"{}\"", s.name));
        }
        strategies.push(strategy(&p, s, &workstreams, &seniors, horizon_weeks)?);
    }
    let optimise = match &raw.optimise {
        Some(o) => Some(super::optimise::validate(
            &root.key("optimise"),
            o,
            &strategies,
            deadline_hours,
            horizon_hours,
        )?),
        None => None,
    };

    Ok(Model {
        name: raw.name.clone(),
        description: raw.description.clone(),
        seed: raw.seed.unwrap_or(42),
        replications,
        horizon_hours,
        warmup_hours: warmup_weeks * HOURS_PER_WEEK,
        deadline_hours,
        start_date: raw.start_date.clone(),
        workstreams,
        seniors,
        overhead,
        quality,
        channels,
        strategies,
        optimise,
    })
}

/// The provider's margin when a scenario does not set `pod_margin`; it also
/// prices bench seats of strategies without pods.
const DEFAULT_POD_MARGIN: f64 = 0.25;

fn strategy(
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
    let interrupt_policy = match s.interrupt_policy.as_deref().unwrap_or("immediate") {
        "immediate" => {
            if s.office_hours_every.is_some() {
                return err(
                    &p.key("office_hours_every"),
                    "only used with interrupt_policy = \"office_hours\"",
                );
            }
            InterruptPolicy::Immediate
        }
        "office_hours" => InterruptPolicy::OfficeHours {
            every_hours: range(
                &p.key("office_hours_every"),
                s.office_hours_every.unwrap_or(4.0),
                0.25,
                80.0,
                "hours between 0.25 and 80",
            )?,
        },
        other => {
            let hint = closest(other, ["immediate", "office_hours"])
                .map(|c| format!(" (did you mean \"{c}\"?)"))
                .unwrap_or_default();
            return err(
                &p.key("interrupt_policy"),
                format!("unknown policy \"{other}\"{hint}; expected \"immediate\" or \"office_hours\""),
            );
        }
    };
    let (review_default, pods) = match structure {
        Structure::Individual => {
            if s.pods.is_some() {
                return err(&p.key("pods"), "`pods` settings need structure = \"pods\"");
            }
            (0.2, None)
        }
        Structure::Pods => (0.3, Some(s.pods.clone().unwrap_or_default())),
    };
    let review_fraction = prob(&p.key("review_fraction"), s.review_fraction, review_default)?;
    let review_hours = non_negative(&p.key("review_hours"), s.review_hours, 0.25)?;
    let ops_rate = non_negative(
        &p.key("ops_requests_per_contributor_week"),
        s.ops_requests_per_contributor_week,
        0.5,
    )?;
    let ops_request_hours = non_negative(&p.key("ops_request_hours"), s.ops_request_hours, 0.5)?;

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

    let mut plan = Vec::new();
    for (j, c) in s.plan.iter().enumerate() {
        let cp = p.key("plan").index(j);
        let at = range(&cp.key("week"), c.week, 0.0, horizon_weeks, "a week within the horizon")?;
        let role = role(&cp.key("role"), &c.role)?;
        if role == Role::PodLead {
            return err(&cp.key("role"), "pod leads follow the pods; plan contributors only");
        }
        let channel = channel(&cp.key("channel"), &c.channel)?;
        if c.count == 0 || c.count.unsigned_abs() > limits::MAX_TEAM_ENTRY {
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

    let pods = match pods {
        None => None,
        Some(rp) => {
            let pp = p.key("pods");
            let max_size = rp.max_size.unwrap_or(9);
            if max_size == 0 || max_size > 50 {
                return err(
                    &pp.key("max_size"),
                    format!("expected a maximum pod size between 1 and 50, got {max_size}"),
                );
            }
            let size = rp.pod_size.unwrap_or(6);
            if size == 0 || size > max_size {
                return err(
                    &pp.key("pod_size"),
                    format!("expected a pod size between 1 and max_size ({max_size}), got {size}"),
                );
            }
            let contributors = people as u32;
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
            Some(Pods {
                count,
                size,
                max_size,
                lead_resolves: prob(&pp.key("lead_resolves"), rp.lead_resolves, 0.85)?,
                escalation_every_hours: range(
                    &pp.key("escalation_every_hours"),
                    rp.escalation_every_hours.unwrap_or(8.0),
                    0.25,
                    200.0,
                    "hours between 0.25 and 200",
                )?,
                governance_hours_per_week: range(
                    &pp.key("governance_hours_per_week"),
                    rp.governance_hours_per_week.unwrap_or(4.0),
                    0.0,
                    40.0,
                    "hours between 0 and 40",
                )?,
                senior_sync_hours_per_week: range(
                    &pp.key("senior_sync_hours_per_week"),
                    rp.senior_sync_hours_per_week.unwrap_or(1.0),
                    0.0,
                    40.0,
                    "hours between 0 and 40",
                )?,
                margin: range(
                    &pp.key("pod_margin"),
                    rp.pod_margin.unwrap_or(DEFAULT_POD_MARGIN),
                    0.0,
                    5.0,
                    "a margin between 0 and 5",
                )?,
                lead_channel,
            })
        }
    };

    let rsc = s.scaling.clone().unwrap_or(RawScaling {
        policy: "static".into(),
        ..Default::default()
    });
    let scp = p.key("scaling");
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
    let scaling = Scaling {
        policy,
        review_every_hours: range(
            &scp.key("review_every_weeks"),
            rsc.review_every_weeks.unwrap_or(1.0),
            0.2,
            52.0,
            "weeks between 0.2 and 52",
        )? * HOURS_PER_WEEK,
        bench_max: rsc.bench_max.unwrap_or(10).min(limits::MAX_TEAM_ENTRY),
        bench_premium: range(
            &scp.key("bench_premium"),
            rsc.bench_premium.unwrap_or(1.25),
            1.0,
            10.0,
            "a rate multiplier between 1 and 10",
        )?,
        release_below: prob(&scp.key("release_below"), rsc.release_below, 0.6)?,
        cooldown_weeks: rsc.cooldown_weeks.unwrap_or(2).clamp(1, 520),
        min_hours: non_negative(&scp.key("min_weeks"), rsc.min_weeks, 2.0)? * HOURS_PER_WEEK,
        hire_channel,
        max_hires: rsc.max_hires.unwrap_or(20).min(limits::MAX_TEAM_ENTRY),
    };

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

    Ok(Strategy {
        name: s.name.clone(),
        structure,
        interrupt_policy,
        review_fraction,
        review_hours,
        ops_requests_per_contributor_hour: ops_rate / HOURS_PER_WEEK,
        ops_request_hours,
        pod_margin: pods.as_ref().map_or(DEFAULT_POD_MARGIN, |p| p.margin),
        pods,
        scaling,
        team,
        plan,
    })
}

fn scale_dist(d: &Dist, k: f64) -> Dist {
    match *d {
        Dist::Fixed { value } => Dist::fixed(value * k),
        Dist::Exponential { mean } => Dist::exponential(mean * k),
        Dist::LogNormal { mean, cv, .. } => Dist::lognormal(mean * k, cv),
        Dist::Triangular { min, mode, max } => Dist::triangular(min * k, mode * k, max * k),
        Dist::Gamma { mean, cv, .. } => Dist::gamma(mean * k, cv),
        Dist::Uniform { min, max } => Dist::uniform(min * k, max * k),
    }
    .expect("scaling a valid distribution by a positive factor keeps it valid")
}

fn find_cycle(ws: &[Workstream]) -> Option<Vec<usize>> {
    // Depth-first search with colours; returns the nodes of the first cycle found.
    fn visit(i: usize, ws: &[Workstream], colour: &mut [u8], stack: &mut Vec<usize>) -> Option<Vec<usize>> {
        colour[i] = 1;
        stack.push(i);
        for g in &ws[i].after {
            match colour[g.stream] {
                1 => {
                    let start = stack.iter().position(|&x| x == g.stream).unwrap_or(0);
                    return Some(stack[start..].to_vec());
                }
                0 => {
                    if let Some(c) = visit(g.stream, ws, colour, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour[i] = 2;
        None
    }
    let mut colour = vec![0u8; ws.len()];
    for i in 0..ws.len() {
        if colour[i] == 0 {
            if let Some(c) = visit(i, ws, &mut colour, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(s[5..7].parse::<u32>(), Ok(1..=12))
        && matches!(s[8..10].parse::<u32>(), Ok(1..=31))
}
