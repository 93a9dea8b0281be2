//! Raw scenario -> validated [`Model`]: defaults, ranges, cross-references.
//!
//! Ranges, defaults and their sources come from the schema table
//! (`scenario::schema`); this file applies them and checks what one field
//! cannot check alone (cross-references, conditions between fields). Limits on sizes keep a typo (an extra three zeros)
//! from turning into an out-of-memory crash or an hour-long hang.

use super::raw::*;
use super::schema::{self, Field};
use super::spans::closest;
pub use super::spans::FieldPath;
use super::strategies::strategy;
use super::workstreams::workstreams;
use crate::dist::Dist;
use crate::model::*;

/// A validation failure at a field.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    pub path: FieldPath,
    pub message: String,
}

pub(super) type Result<T> = std::result::Result<T, ValidationError>;

pub(super) fn err<T>(path: &FieldPath, message: impl Into<String>) -> Result<T> {
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

/// The file's value, or `default` where it has none, checked against the
/// field's range in the schema.
pub(super) fn number(path: &FieldPath, f: &Field, v: Option<f64>, default: f64) -> Result<f64> {
    check(path, f, v.unwrap_or(default))
}

/// The file's value or the field's single default, range-checked.
pub(super) fn value(path: &FieldPath, f: &Field, v: Option<f64>) -> Result<f64> {
    check(path, f, v.unwrap_or_else(|| f.default_num()))
}

/// Checks `x` against the field's range.
pub(super) fn check(path: &FieldPath, f: &Field, x: f64) -> Result<f64> {
    if !f.accepts(x) {
        return err(path, format!("expected {}, got {x}", f.expected()));
    }
    Ok(x)
}

/// Checks `x` against the field's range and, for fields bounded by the
/// horizon, against `horizon_weeks`.
pub(super) fn within_horizon(path: &FieldPath, f: &Field, x: f64, horizon_weeks: f64) -> Result<f64> {
    let x = check(path, f, x)?;
    if f.within_horizon && x > horizon_weeks {
        return err(
            path,
            format!(
                "expected {} no later than the horizon ({horizon_weeks} weeks), got {x}",
                f.noun
            ),
        );
    }
    Ok(x)
}

/// A whole-number field: the file's value or the field's default, range-checked.
pub(super) fn whole(path: &FieldPath, f: &Field, v: Option<u64>) -> Result<u64> {
    let x = v.unwrap_or_else(|| f.default_num() as u64);
    check(path, f, x as f64)?;
    Ok(x)
}

pub(super) fn name_of<T: Copy>(
    path: &FieldPath,
    s: &str,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T> {
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

pub(super) fn skill(path: &FieldPath, s: &str) -> Result<Role> {
    name_of(path, s, "skill", &Role::SKILLS, Role::name)
}
pub(super) fn role(path: &FieldPath, s: &str) -> Result<Role> {
    let contributor_roles = [
        Role::MlEngineer,
        Role::DomainExpert,
        Role::DataQuality,
        Role::Ops,
        Role::PodLead,
    ];
    name_of(path, s, "role", &contributor_roles, Role::name)
}
pub(super) fn channel(path: &FieldPath, s: &str) -> Result<Channel> {
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

/// MODEL.md §3 defaults of a channel, from the schema's per-channel table
/// (values and sources in `schema`). Rates are indexed by `Role::index`:
/// [senior_ml, ml_engineer, domain_expert, data_quality, ops, pod_lead].
pub fn default_channel(c: Channel) -> ChannelParams {
    let i = c.index();
    let per = |f: &Field| f.channel_default(i).expect("every channel has this default");
    let mut rate = [schema::SENIORS_RATE.default_num(); 6];
    rate[1..].copy_from_slice(&schema::CHANNEL_RATES[i]);
    let attrition_per_hour = annual_to_hazard(per(&schema::CH_ATTRITION));
    ChannelParams {
        rate,
        lead_hours: per(&schema::CH_LEAD_DAYS) * HOURS_PER_DAY,
        ramp_start: per(&schema::CH_RAMP_START),
        ramp_hours: per(&schema::CH_RAMP_DAYS) * HOURS_PER_DAY,
        mentor_fte: per(&schema::CH_MENTOR_FTE),
        attrition_per_hour,
        handover_loss: per(&schema::CH_HANDOVER),
        quality_factor: per(&schema::CH_QUALITY),
        productivity: per(&schema::CH_PRODUCTIVITY),
        hire_cost: per(&schema::CH_HIRE_COST),
        setup_hours: per(&schema::CH_SETUP_WEEKS) * HOURS_PER_WEEK,
        part_time: false,
    }
}

/// Converts "p of people leave within a year" to a constant hazard per hour.
pub fn annual_to_hazard(p: f64) -> f64 {
    if p == 0.0 {
        // -ln(1) is -0.0; a plain zero keeps "no attrition" one value.
        return 0.0;
    }
    -(1.0 - p).ln() / HOURS_PER_YEAR
}

pub fn validate(raw: &RawScenario) -> Result<Model> {
    let root = FieldPath::root();
    let run = run_settings(raw)?;
    let horizon_hours = run.horizon_weeks * HOURS_PER_WEEK;
    let workstreams = workstreams(raw, run.horizon_weeks)?;
    let seniors = seniors(raw.seniors.as_ref())?;
    let overhead = overhead(raw.overhead.as_ref())?;
    let quality = quality(raw.quality.as_ref())?;
    let mut channels = channels(raw)?;
    channels
        .iter_mut()
        .for_each(|c| c.rate[Role::SeniorMl.index()] = seniors.rate);

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
        strategies.push(strategy(&p, s, &workstreams, &seniors, run.horizon_weeks)?);
    }
    let contracts = super::contracts::contracts(raw, &workstreams, &channels, &strategies, run.horizon_weeks)?;
    for (i, (st, rs)) in strategies.iter_mut().zip(&raw.strategy).enumerate() {
        let p = root.key("strategy").index(i);
        st.terms = super::contracts::strategy_terms(&p, &rs.contracts, st, &contracts, &workstreams)?;
    }
    let optimise = match &raw.optimise {
        Some(o) => Some(super::optimise::validate(
            &root.key("optimise"),
            o,
            &strategies,
            run.deadline_hours,
            horizon_hours,
        )?),
        None => None,
    };
    if let Some(o) = &optimise {
        super::contracts::optimiser_terms(&root, o, &strategies[o.strategy], &contracts, &workstreams)?;
    }

    Ok(Model {
        name: raw.name.clone(),
        description: raw.description.clone(),
        seed: raw.seed.unwrap_or(schema::SEED.default_num() as u64),
        replications: run.replications,
        horizon_hours,
        warmup_hours: run.warmup_weeks * HOURS_PER_WEEK,
        deadline_hours: run.deadline_hours,
        start_date: raw.start_date.clone(),
        workstreams,
        seniors,
        overhead,
        quality,
        channels,
        strategies,
        contracts,
        optimise,
    })
}

/// The top-level fields that set up a run.
struct RunSettings {
    horizon_weeks: f64,
    warmup_weeks: f64,
    deadline_hours: Option<f64>,
    replications: u32,
}

fn run_settings(raw: &RawScenario) -> Result<RunSettings> {
    let root = FieldPath::root();
    if raw.name.trim().is_empty() {
        return err(&root.key("name"), "expected a non-empty scenario name");
    }
    let horizon_weeks = value(&root.key("horizon_weeks"), &schema::HORIZON_WEEKS, raw.horizon_weeks)?;
    let warmup_weeks = value(&root.key("warmup_weeks"), &schema::WARMUP_WEEKS, raw.warmup_weeks)?;
    if warmup_weeks >= horizon_weeks {
        return err(
            &root.key("warmup_weeks"),
            format!("the warm-up ({warmup_weeks} weeks) must end before the horizon ({horizon_weeks} weeks)"),
        );
    }
    let deadline_hours = match raw.deadline_weeks {
        None => None,
        Some(d) => Some(
            within_horizon(&root.key("deadline_weeks"), &schema::DEADLINE_WEEKS, d, horizon_weeks)? * HOURS_PER_WEEK,
        ),
    };
    let replications = whole(
        &root.key("replications"),
        &schema::REPLICATIONS,
        raw.replications.map(u64::from),
    )? as u32;
    if let Some(d) = &raw.start_date {
        if !is_iso_date(d) {
            return err(
                &root.key("start_date"),
                format!("expected a date as YYYY-MM-DD, got \"{d}\""),
            );
        }
    }
    Ok(RunSettings {
        horizon_weeks,
        warmup_weeks,
        deadline_hours,
        replications,
    })
}

/// The default of `seniors.handling_minutes`, as the schema writes it.
pub fn default_handling_minutes() -> Dist {
    Dist::lognormal(15.0, 1.0).expect("valid default")
}

fn seniors(raw: Option<&RawSeniors>) -> Result<Seniors> {
    let rs = raw.cloned().unwrap_or_default();
    let sp = FieldPath::root().key("seniors");
    let count = whole(&sp.key("count"), &schema::SENIORS_COUNT, rs.count.map(u64::from))? as u32;
    let handling = match &rs.handling_minutes {
        Some(d) => dist(&sp.key("handling_minutes"), d)?,
        None => default_handling_minutes(),
    };
    Ok(Seniors {
        count,
        rate: value(&sp.key("rate"), &schema::SENIORS_RATE, rs.rate)?,
        resume_hours: value(&sp.key("resume_minutes"), &schema::SENIORS_RESUME, rs.resume_minutes)? / 60.0,
        focus_block_hours: value(
            &sp.key("focus_block_minutes"),
            &schema::SENIORS_FOCUS_BLOCK,
            rs.focus_block_minutes,
        )? / 60.0,
        handling: scale_dist(&handling, 1.0 / 60.0),
    })
}

fn overhead(raw: Option<&RawOverhead>) -> Result<Overhead> {
    let ro = raw.cloned().unwrap_or_default();
    let op = FieldPath::root().key("overhead");
    Ok(Overhead {
        coefficient: value(&op.key("coefficient"), &schema::OVERHEAD_COEFFICIENT, ro.coefficient)?,
        cap: value(&op.key("cap"), &schema::OVERHEAD_CAP, ro.cap)?,
        groups: match ro.groups.as_deref().unwrap_or("skill") {
            "skill" => Groups::Skill,
            "all" => Groups::All,
            other => {
                let hint = closest(other, ["skill", "all"])
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                return err(
                    &op.key("groups"),
                    format!("unknown grouping \"{other}\"{hint}; expected \"skill\" or \"all\""),
                );
            }
        },
        hub_hours_per_report_week: value(
            &op.key("coordination_hours_per_report_week"),
            &schema::OVERHEAD_HUB_HOURS,
            ro.coordination_hours_per_report_week,
        )?,
    })
}

fn quality(raw: Option<&RawQuality>) -> Result<Quality> {
    let rq = raw.cloned().unwrap_or_default();
    let qp = FieldPath::root().key("quality");
    Ok(Quality {
        detect_prob: value(&qp.key("detect_prob"), &schema::QUALITY_DETECT, rq.detect_prob)?,
        rework_fraction: value(&qp.key("rework_fraction"), &schema::QUALITY_REWORK, rq.rework_fraction)?,
        escape_delay_hours: value(
            &qp.key("escape_delay_weeks"),
            &schema::QUALITY_ESCAPE_DELAY,
            rq.escape_delay_weeks,
        )? * HOURS_PER_WEEK,
        triage_hours: value(&qp.key("triage_hours"), &schema::QUALITY_TRIAGE, rq.triage_hours)?,
        cost_per_escaped_defect: value(
            &qp.key("cost_per_escaped_defect"),
            &schema::QUALITY_ESCAPE_COST,
            rq.cost_per_escaped_defect,
        )?,
    })
}

/// Every channel's parameters: the defaults, overridden by the file.
fn channels(raw: &RawScenario) -> Result<[ChannelParams; 4]> {
    let mut channels = Channel::ALL.map(default_channel);
    for (name, rc) in &raw.channels {
        let cp = FieldPath::root().key("channels").key(name);
        let c = channel(&cp, name)?;
        override_channel(&cp, rc, &mut channels[c.index()])?;
    }
    Ok(channels)
}

fn override_channel(cp: &FieldPath, rc: &RawChannel, d: &mut ChannelParams) -> Result<()> {
    if let Some(r) = rc.rate {
        let r = check(&cp.key("rate"), &schema::CH_RATE, r)?;
        for role in Role::ALL {
            if role != Role::SeniorMl {
                d.rate[role.index()] = r;
            }
        }
    }
    for (role_name, &r) in &rc.rates {
        let rp = cp.key("rates").key(role_name);
        let role = role(&rp, role_name)?;
        d.rate[role.index()] = check(&rp, &schema::CH_RATES, r)?;
    }
    d.lead_hours = number(
        &cp.key("lead_days"),
        &schema::CH_LEAD_DAYS,
        rc.lead_days,
        d.lead_hours / HOURS_PER_DAY,
    )? * HOURS_PER_DAY;
    d.ramp_start = number(
        &cp.key("ramp_start"),
        &schema::CH_RAMP_START,
        rc.ramp_start,
        d.ramp_start,
    )?;
    d.ramp_hours = number(
        &cp.key("ramp_days"),
        &schema::CH_RAMP_DAYS,
        rc.ramp_days,
        d.ramp_hours / HOURS_PER_DAY,
    )? * HOURS_PER_DAY;
    d.mentor_fte = number(
        &cp.key("mentor_fte"),
        &schema::CH_MENTOR_FTE,
        rc.mentor_fte,
        d.mentor_fte,
    )?;
    match (rc.attrition_per_year, rc.mean_tenure_weeks) {
        (Some(_), Some(_)) => {
            return err(
                &cp.key("mean_tenure_weeks"),
                "give either `attrition_per_year` or `mean_tenure_weeks`, not both",
            );
        }
        (Some(a), None) => {
            d.attrition_per_hour = annual_to_hazard(check(&cp.key("attrition_per_year"), &schema::CH_ATTRITION, a)?);
        }
        (None, Some(t)) => {
            d.attrition_per_hour = 1.0 / (check(&cp.key("mean_tenure_weeks"), &schema::CH_TENURE, t)? * HOURS_PER_WEEK);
        }
        (None, None) => {}
    }
    d.handover_loss = number(
        &cp.key("handover_loss"),
        &schema::CH_HANDOVER,
        rc.handover_loss,
        d.handover_loss,
    )?;
    d.quality_factor = number(
        &cp.key("quality_factor"),
        &schema::CH_QUALITY,
        rc.quality_factor,
        d.quality_factor,
    )?;
    d.productivity = number(
        &cp.key("productivity"),
        &schema::CH_PRODUCTIVITY,
        rc.productivity,
        d.productivity,
    )?;
    d.hire_cost = number(&cp.key("hire_cost"), &schema::CH_HIRE_COST, rc.hire_cost, d.hire_cost)?;
    d.setup_hours = number(
        &cp.key("setup_weeks"),
        &schema::CH_SETUP_WEEKS,
        rc.setup_weeks,
        d.setup_hours / HOURS_PER_WEEK,
    )? * HOURS_PER_WEEK;
    if let Some(p) = rc.part_time {
        d.part_time = p;
    }
    Ok(())
}

/// `d` with its values scaled by `k` (minutes to hours, say).
pub(super) fn scale_dist(d: &Dist, k: f64) -> Dist {
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
