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
fn whole(path: &FieldPath, f: &Field, v: Option<u64>) -> Result<u64> {
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

fn skill(path: &FieldPath, s: &str) -> Result<Role> {
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

fn workstreams(raw: &RawScenario, horizon_weeks: f64) -> Result<Vec<Workstream>> {
    let root = FieldPath::root();
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
        if raw.workstream[..i].iter().any(|o| o.name == w.name) {
            return err(&p.key("name"), format!("duplicate workstream name \"{}\"", w.name));
        }
        let ws = workstream(&p, w, horizon_weeks)?;
        expected_items += ws.finite_items() as f64 + ws.expected_arrivals(0.0, horizon_weeks * HOURS_PER_WEEK);
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
    gates(raw, &mut workstreams)?;
    Ok(workstreams)
}

/// One workstream, without its gates (they need every name first).
fn workstream(p: &FieldPath, w: &RawWorkstream, horizon_weeks: f64) -> Result<Workstream> {
    if w.name.trim().is_empty() {
        return err(&p.key("name"), "expected a non-empty workstream name");
    }
    let skill = skill(&p.key("skill"), &w.skill)?;
    if let Some(b) = w.backlog.filter(|&b| b > limits::MAX_BACKLOG_PER_STREAM) {
        return err(
            &p.key("backlog"),
            format!(
                "a backlog of {b} items is above the limit of {} per workstream",
                limits::MAX_BACKLOG_PER_STREAM
            ),
        );
    }
    let backlog = whole(&p.key("backlog"), &schema::WS_BACKLOG, w.backlog)?;
    let arrivals_per_week = value(&p.key("arrivals_per_week"), &schema::WS_ARRIVALS, w.arrivals_per_week)?;
    let scheduled = scheduled_arrivals(p, w, horizon_weeks)?;
    if !scheduled.is_empty() && (arrivals_per_week > 0.0 || !w.surge.is_empty()) {
        return err(
            &p.key("arrivals_at_weeks"),
            "give either scheduled arrivals (`arrivals_at_weeks`) or Poisson ones (`arrivals_per_week`, `surge`), not both",
        );
    }
    if backlog == 0 && arrivals_per_week == 0.0 && scheduled.is_empty() {
        return err(
            p,
            format!(
                "workstream \"{}\" has no work: give it a `backlog`, `arrivals_per_week` or `arrivals_at_weeks`",
                w.name
            ),
        );
    }
    let mut surges = Vec::new();
    for (j, s) in w.surge.iter().enumerate() {
        let sp = p.key("surge").index(j);
        let from = within_horizon(&sp.key("from_week"), &schema::WS_SURGE_FROM, s.from_week, horizon_weeks)?;
        let to = within_horizon(&sp.key("to_week"), &schema::WS_SURGE_TO, s.to_week, horizon_weeks)?;
        if to <= from {
            return err(
                &sp.key("to_week"),
                format!("expected to_week > from_week ({from}), got {to}"),
            );
        }
        surges.push(Surge {
            from_hours: from * HOURS_PER_WEEK,
            to_hours: to * HOURS_PER_WEEK,
            factor: check(&sp.key("factor"), &schema::WS_SURGE_FACTOR, s.factor)?,
        });
    }
    let deadline_hours = match w.deadline_weeks {
        None => None,
        Some(d) => {
            Some(within_horizon(&p.key("deadline_weeks"), &schema::WS_DEADLINE, d, horizon_weeks)? * HOURS_PER_WEEK)
        }
    };
    Ok(Workstream {
        name: w.name.clone(),
        skill,
        backlog: backlog as u32,
        arrivals_per_hour: arrivals_per_week / HOURS_PER_WEEK,
        surges,
        scheduled,
        effort: dist(&p.key("effort_hours"), &w.effort_hours)?,
        after: Vec::new(),
        defect_rate: value(&p.key("defect_rate"), &schema::WS_DEFECT_RATE, w.defect_rate)?,
        questions_per_item: value(
            &p.key("questions_per_item"),
            &schema::WS_QUESTIONS,
            w.questions_per_item,
        )?,
        deadline_hours,
        interdependence: number(
            &p.key("interdependence"),
            &schema::WS_INTERDEPENDENCE,
            w.interdependence,
            default_interdependence(skill),
        )?,
    })
}

/// `arrivals_at_weeks`: each a week within the horizon, in ascending order
/// (hours); at most the backlog limit in number.
fn scheduled_arrivals(p: &FieldPath, w: &RawWorkstream, horizon_weeks: f64) -> Result<Vec<f64>> {
    let ap = p.key("arrivals_at_weeks");
    if w.arrivals_at_weeks.len() as u64 > limits::MAX_BACKLOG_PER_STREAM {
        return err(
            &ap,
            format!(
                "{} scheduled arrivals are above the limit of {} per workstream",
                w.arrivals_at_weeks.len(),
                limits::MAX_BACKLOG_PER_STREAM
            ),
        );
    }
    let mut out = Vec::with_capacity(w.arrivals_at_weeks.len());
    for (j, &t) in w.arrivals_at_weeks.iter().enumerate() {
        let at = within_horizon(&ap.index(j), &schema::WS_ARRIVALS_AT, t, horizon_weeks)?;
        out.push(at * HOURS_PER_WEEK);
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// Software-like work (models, pipelines) is coupled; item-level work
/// (annotation, validation, evaluation) partitions into independent items
/// whose peers only align on guidelines (MODEL.md §5, an estimate).
fn default_interdependence(skill: Role) -> f64 {
    match skill {
        Role::DomainExpert | Role::DataQuality => 0.25,
        _ => 1.0,
    }
}

/// The `after` gates, once every name is known; then rejects cycles.
fn gates(raw: &RawScenario, workstreams: &mut [Workstream]) -> Result<()> {
    let root = FieldPath::root();
    let names: Vec<&str> = raw.workstream.iter().map(|w| w.name.as_str()).collect();
    for (i, w) in raw.workstream.iter().enumerate() {
        let p = root.key("workstream").index(i);
        for (j, g) in w.after.iter().enumerate() {
            let gp = p.key("after").index(j);
            let Some(stream) = names.iter().position(|n| *n == g.stream) else {
                let hint = closest(&g.stream, names.iter().copied())
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                return err(
                    &gp.key("stream"),
                    format!("no workstream is named \"{}\"{hint}", g.stream),
                );
            };
            if workstreams[stream].finite_items() == 0 {
                return err(
                    &gp.key("stream"),
                    format!("\"{}\" has no backlog, so a fraction of it never completes", g.stream),
                );
            }
            let fraction = check(&gp.key("fraction"), &schema::WS_AFTER_FRACTION, g.fraction)?;
            workstreams[i].after.push(Gate { stream, fraction });
        }
    }
    if let Some(cycle) = find_cycle(workstreams) {
        let names: Vec<&str> = cycle.iter().map(|&i| workstreams[i].name.as_str()).collect();
        return err(
            &root.key("workstream").index(cycle[0]).key("after"),
            format!("the `after` gates form a cycle: {} -> {}", names.join(" -> "), names[0]),
        );
    }
    Ok(())
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
