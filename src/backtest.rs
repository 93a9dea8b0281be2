//! `podsim backtest`: simulate a past period and compare it with what
//! happened (docs/CALIBRATION.md).
//!
//! The period [from, to) is simulated as a programme starting at `from`,
//! replaying what the history says happened then:
//! - work: each scenario workstream that the history also has gets as its
//!   backlog the history's items open at `from` (created before it, not yet
//!   resolved) and, as scheduled arrivals (`arrivals_at_weeks`), the items
//!   created during the period at their created times; no Poisson arrivals;
//! - people: the roster that actually worked, from the assignees' activity:
//!   a person is there from their first to their last resolved item. Those
//!   there at `from` are the starting team; the others join (ramping up
//!   through their channel) at their first activity and are released after
//!   their last, as a roster plan; attrition and scaling are off, since who
//!   left and who joined is known.
//!
//! What is tested is then the rest of the model: effort, questions,
//! reviews, rework, overheads and ramp-up. The simulated weekly throughput
//! of every replication (items accepted per week) gives a P10-P90 band per
//! week; calibration is the share of the actual weeks inside it, about 80 %
//! (a little more: counts are whole numbers, so the band's ends are
//! included) when the model is right. Finish weeks are compared too.
//! Simulation goes through `runner::drive`; no files are read here.

use crate::fit::history::History;
use crate::fit::WEEK_SECS;
use crate::model::Model;
use crate::runner::{self, Cancelled, Control, Detail, Order, RepRange, Variant};
use crate::sim::Layout;
use toml::{Table, Value};

/// One history workstream in the backtest period.
#[derive(Clone, Debug)]
pub struct Period {
    pub workstream: String,
    /// Items open at `from` (the simulated backlog).
    pub backlog: usize,
    /// Created times of the items created during the period, in weeks after `from`.
    pub arrivals: Vec<f64>,
    /// Items resolved in each week of the period.
    pub actual: Vec<f64>,
    /// When the last of them was resolved (weeks after `from`), if all were by `to`.
    pub actual_finish_weeks: Option<f64>,
}

/// A change of the roster that worked: `count` people of the role of
/// `workstream`'s skill join (positive) or leave (negative) at `week`.
#[derive(Clone, Debug, PartialEq)]
pub struct RosterStep {
    pub week: f64,
    pub workstream: String,
    pub count: i64,
}

/// What the history says about the period.
#[derive(Clone, Debug)]
pub struct Actual {
    pub from: i64,
    pub weeks: usize,
    pub periods: Vec<Period>,
    /// Distinct assignees with a resolved item in each week.
    pub active_people: Vec<usize>,
    /// People working at `from`, by workstream (where most of their items are).
    pub roster_at_start: Vec<(String, usize)>,
    /// Joins and leaves during the period, in time order.
    pub roster_steps: Vec<RosterStep>,
}

/// Why a backtest cannot be set up (input errors).
pub type SetupError = String;

/// A person whose last activity is within this many weeks of the end of the
/// history may still be there: not released. Likewise a person whose first
/// activity is within this many weeks of the history's first is counted as
/// there from the start.
pub const STILL_THERE_WEEKS: f64 = 1.0;

/// The history's view of [from, to), for the workstreams the scenario has.
pub fn actual(h: &History, scenario_workstreams: &[String], from: i64, to: i64) -> Result<Actual, SetupError> {
    if to <= from {
        return Err("--to must be after --from".into());
    }
    let weeks = ((to - from) as f64 / WEEK_SECS).floor() as usize;
    if weeks < 2 {
        return Err("the period must cover at least two whole weeks".into());
    }
    let period_end = from + (weeks as f64 * WEEK_SECS) as i64;
    let week_of = |t: i64| -> Option<usize> {
        (t >= from)
            .then(|| ((t - from) as f64 / WEEK_SECS).floor() as usize)
            .filter(|&w| w < weeks)
    };
    let in_scenario: Vec<bool> = h.workstreams.iter().map(|n| scenario_workstreams.contains(n)).collect();
    let mut periods = Vec::new();
    for (wi, name) in h.workstreams.iter().enumerate() {
        if !in_scenario[wi] {
            continue;
        }
        let mut p = Period {
            workstream: name.clone(),
            backlog: 0,
            arrivals: Vec::new(),
            actual: vec![0.0; weeks],
            actual_finish_weeks: None,
        };
        let mut last: Option<i64> = None;
        let mut all_done = true;
        for it in h.of(wi as u32) {
            let Some(c) = it.created else { continue };
            if c >= period_end || it.resolved.is_some_and(|r| r < from) {
                continue;
            }
            if c < from {
                p.backlog += 1;
            } else {
                p.arrivals.push((c - from) as f64 / WEEK_SECS);
            }
            match it.resolved.and_then(week_of) {
                Some(w) => {
                    p.actual[w] += 1.0;
                    last = last.max(it.resolved);
                }
                None => all_done = false,
            }
        }
        p.arrivals.sort_by(f64::total_cmp);
        if all_done {
            p.actual_finish_weeks = last.map(|l| (l - from) as f64 / WEEK_SECS);
        }
        if p.backlog + p.arrivals.len() > 0 {
            periods.push(p);
        }
    }
    if periods.is_empty() {
        return Err(format!(
            "no item of the history's workstreams ({}) is open in the period under a name the scenario has ({}); fit with --workstream NAME or rename",
            h.workstreams.join(", "),
            scenario_workstreams.join(", ")
        ));
    }
    let mut active: Vec<std::collections::BTreeSet<u32>> = vec![Default::default(); weeks];
    // Per person: first and last resolved item, and items per workstream.
    let mut span: Vec<Option<(i64, i64)>> = vec![None; h.people.len()];
    let mut per_ws: Vec<Vec<u32>> = vec![vec![0; h.workstreams.len()]; h.people.len()];
    let mut history_end = i64::MIN;
    let mut first_resolved = i64::MAX;
    for it in &h.items {
        history_end = history_end.max(it.resolved.or(it.created).unwrap_or(i64::MIN));
        first_resolved = first_resolved.min(it.resolved.unwrap_or(i64::MAX));
        let (Some(p), Some(r)) = (it.assignee, it.resolved) else {
            continue;
        };
        if !in_scenario[it.workstream as usize] {
            continue;
        }
        if let Some(w) = week_of(r) {
            active[w].insert(p);
        }
        let e = &mut span[p as usize];
        *e = Some(e.map_or((r, r), |(a, b)| (a.min(r), b.max(r))));
        per_ws[p as usize][it.workstream as usize] += 1;
    }
    let mut at_start: std::collections::BTreeMap<String, usize> = Default::default();
    let mut steps = Vec::new();
    let week_after = |t: i64| (t - from) as f64 / WEEK_SECS;
    for (p, s) in span.iter().enumerate() {
        let Some((first, last)) = *s else { continue };
        if last < from || first >= period_end {
            continue;
        }
        // The person's workstream: where most of their items are (ties to the first).
        let wi = (0..h.workstreams.len()).fold(0, |b, i| if per_ws[p][i] > per_ws[p][b] { i } else { b });
        let ws = h.workstreams[wi].clone();
        // There before the period, or from the history's first week (when
        // it begins, nothing earlier is known: the team it starts with).
        let with_history = (first - first_resolved) as f64 <= STILL_THERE_WEEKS * WEEK_SECS;
        if first < from || with_history {
            *at_start.entry(ws.clone()).or_default() += 1;
        } else {
            steps.push(RosterStep {
                week: week_after(first),
                workstream: ws.clone(),
                count: 1,
            });
        }
        let still_there = (history_end - last) as f64 <= STILL_THERE_WEEKS * WEEK_SECS;
        if last < period_end && !still_there {
            steps.push(RosterStep {
                week: week_after(last),
                workstream: ws,
                count: -1,
            });
        }
    }
    steps.sort_by(|a, b| a.week.total_cmp(&b.week).then(b.count.cmp(&a.count)));
    Ok(Actual {
        from,
        weeks,
        periods,
        active_people: active.iter().map(|s| s.len()).collect(),
        roster_at_start: at_start.into_iter().collect(),
        roster_steps: steps,
    })
}

/// The scenario edited for the period: matched workstreams get the
/// period's backlog and its arrivals as a schedule (no Poisson arrivals);
/// the strategy's team is the roster that worked at `from` and its plan the
/// joins and leaves after, with attrition and scaling off (the roster is
/// known); the horizon covers twice the period (finish dates may fall after
/// it); no warm-up; a deadline beyond the horizon is dropped.
pub fn period_scenario(doc: &Table, a: &Actual, strategy: usize) -> Result<Table, SetupError> {
    let mut doc = doc.clone();
    let horizon = (a.weeks as f64 * 2.0).max(a.weeks as f64 + 8.0).min(10_000.0);
    doc.insert("horizon_weeks".into(), Value::Float(horizon));
    doc.remove("warmup_weeks");
    if doc
        .get("deadline_weeks")
        .and_then(Value::as_float)
        .is_some_and(|d| d > horizon)
    {
        doc.remove("deadline_weeks");
    }
    doc.insert("start_date".into(), Value::String(crate::fit::time::date_of(a.from)));
    let list = doc
        .get_mut("workstream")
        .and_then(Value::as_array_mut)
        .ok_or("the scenario has no [[workstream]] entries")?;
    let mut skill_of: Vec<(String, String)> = Vec::new();
    for w in list.iter_mut().filter_map(Value::as_table_mut) {
        let name = w.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let skill = w.get("skill").and_then(Value::as_str).unwrap_or_default().to_string();
        skill_of.push((name.clone(), skill));
        if let Some(p) = a.periods.iter().find(|p| p.workstream == name) {
            w.insert("backlog".into(), Value::Integer(p.backlog as i64));
            w.remove("arrivals_per_week");
            w.remove("surge");
            w.remove("deadline_weeks");
            if !p.arrivals.is_empty() {
                w.insert(
                    "arrivals_at_weeks".into(),
                    Value::Array(p.arrivals.iter().map(|&t| Value::Float(t)).collect()),
                );
            }
        }
    }
    let role_of = |ws: &str| {
        skill_of
            .iter()
            .find(|(n, _)| n == ws)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| format!("the scenario has no workstream \"{ws}\""))
    };
    let strategies = doc
        .get_mut("strategy")
        .and_then(Value::as_array_mut)
        .ok_or("the scenario has no [[strategy]] entries")?;
    let st = strategies
        .get_mut(strategy)
        .and_then(Value::as_table_mut)
        .ok_or("the scenario has no such strategy")?;
    // The channel of each role: the strategy's first team entry of it, else freelancer.
    let team: Vec<Table> = st
        .get("team")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(|e| e.as_table().cloned()).collect())
        .unwrap_or_default();
    let channel_of = |role: &str| {
        team.iter()
            .find(|e| e.get("role").and_then(Value::as_str) == Some(role))
            .and_then(|e| e.get("channel").and_then(Value::as_str))
            .unwrap_or("freelancer")
            .to_string()
    };
    let entry = |role: String, count: i64, week: Option<f64>| {
        let mut e = Table::new();
        if let Some(w) = week {
            e.insert("week".into(), Value::Float(w));
        }
        e.insert("channel".into(), Value::String(channel_of(&role)));
        e.insert("role".into(), Value::String(role));
        e.insert("count".into(), Value::Integer(count));
        Value::Table(e)
    };
    let mut new_team = Vec::new();
    for (ws, n) in &a.roster_at_start {
        new_team.push(entry(role_of(ws)?, *n as i64, None));
    }
    if new_team.is_empty() {
        return Err("nobody in the history resolved an item before the period and after its start: the roster at the start is unknown; choose a later --from".into());
    }
    let mut plan = Vec::new();
    for s in &a.roster_steps {
        plan.push(entry(role_of(&s.workstream)?, s.count, Some(s.week)));
    }
    st.insert("team".into(), Value::Array(new_team));
    st.insert("plan".into(), Value::Array(plan));
    st.insert("scaling".into(), Value::Table(toml::toml! { policy = "static" }));
    st.insert("start".into(), Value::String("existing".into()));
    // Who left is known: no attrition on top.
    let channels = doc
        .entry("channels")
        .or_insert_with(|| Value::Table(Table::new()))
        .as_table_mut()
        .ok_or("`channels` is not a table")?;
    for c in crate::model::Channel::ALL {
        let t = channels
            .entry(c.name())
            .or_insert_with(|| Value::Table(Table::new()))
            .as_table_mut()
            .ok_or("a channel is not a table")?;
        t.remove("mean_tenure_weeks");
        t.insert("attrition_per_year".into(), Value::Float(0.0));
    }
    Ok(doc)
}

/// One workstream's comparison.
#[derive(Clone, Debug)]
pub struct StreamResult {
    pub workstream: String,
    /// Per week: simulated P10, P50, P90, actual.
    pub weeks: Vec<[f64; 4]>,
    /// Share of the actual weeks inside [P10, P90].
    pub coverage: f64,
    /// Weeks below P10 and above P90.
    pub below: usize,
    pub above: usize,
    /// Simulated finish week P10, P50, P90 (the horizon when not finished).
    pub finish: [f64; 3],
    pub actual_finish_weeks: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub streams: Vec<StreamResult>,
    /// All weeks of all streams together.
    pub coverage: f64,
    pub weeks: usize,
    /// Whether the coverage is consistent with a calibrated model.
    pub calibrated: bool,
    /// The lowest coverage a calibrated model gives in about 97.5 % of periods of this length.
    pub lower_limit: f64,
}

/// Coverage a calibrated model reaches at least (nominal 80 %, minus two
/// binomial standard errors for `n` weeks).
pub fn lower_limit(n: usize) -> f64 {
    0.8 - 2.0 * (0.8f64 * 0.2 / n.max(1) as f64).sqrt()
}

/// Simulates the period `reps` times for `strategy` and compares.
pub fn run(
    model: &Model,
    strategy: usize,
    a: &Actual,
    seed: u64,
    reps: u64,
    control: Control<'_>,
) -> Result<Outcome, Cancelled> {
    let layout = Layout::new(model);
    let idx: Vec<(usize, usize)> = a
        .periods
        .iter()
        .map(|p| {
            let s = layout
                .series_index(&crate::metrics::backlog_series(&p.workstream))
                .expect("a scenario workstream has a backlog series");
            let m = layout
                .metric_index(&crate::metrics::ws_finish_metric(&p.workstream))
                .expect("a backlog workstream has a finish metric");
            (s, m)
        })
        .collect();
    // thr[stream][week] = simulated throughputs, one per replication.
    let mut thr: Vec<Vec<Vec<f64>>> = vec![vec![Vec::with_capacity(reps as usize); a.weeks]; a.periods.len()];
    let mut fin: Vec<Vec<f64>> = vec![Vec::with_capacity(reps as usize); a.periods.len()];
    runner::drive(
        &[Variant { model, strategy }],
        seed,
        RepRange { first: 0, count: reps },
        Order::ByReplication,
        Detail::Full,
        control,
        |_, _, r| {
            for (k, &(s, m)) in idx.iter().enumerate() {
                let left = &r.series[s];
                for (w, weekly) in thr[k].iter_mut().enumerate() {
                    let (x0, x1) = (
                        left.get(w).copied().unwrap_or(0.0),
                        left.get(w + 1).copied().unwrap_or(0.0),
                    );
                    weekly.push((x0 - x1).max(0.0));
                }
                fin[k].push(r.metrics[m]);
            }
        },
    )?;
    let q = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        crate::stats::quantile_sorted(v, p)
    };
    let mut streams = Vec::new();
    let (mut inside_all, mut n_all) = (0usize, 0usize);
    for (k, p) in a.periods.iter().enumerate() {
        let mut weeks = Vec::with_capacity(a.weeks);
        let (mut inside, mut below, mut above) = (0, 0, 0);
        for (v, &x) in thr[k].iter_mut().zip(&p.actual) {
            let (p10, p50, p90) = (q(v, 0.1), q(v, 0.5), q(v, 0.9));
            if x < p10 {
                below += 1;
            } else if x > p90 {
                above += 1;
            } else {
                inside += 1;
            }
            weeks.push([p10, p50, p90, x]);
        }
        inside_all += inside;
        n_all += a.weeks;
        let f = &mut fin[k];
        streams.push(StreamResult {
            workstream: p.workstream.clone(),
            weeks,
            coverage: inside as f64 / a.weeks as f64,
            below,
            above,
            finish: [q(f, 0.1), q(f, 0.5), q(f, 0.9)],
            actual_finish_weeks: p.actual_finish_weeks,
        });
    }
    let coverage = inside_all as f64 / n_all.max(1) as f64;
    let lower = lower_limit(n_all);
    Ok(Outcome {
        streams,
        coverage,
        weeks: a.weeks,
        calibrated: coverage >= lower,
        lower_limit: lower,
    })
}
