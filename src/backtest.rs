//! `podsim backtest`: simulate a past period and compare it with what
//! happened (docs/CALIBRATION.md).
//!
//! The period [from, to) is simulated as a programme starting at `from`:
//! each scenario workstream that the history also has gets as its backlog
//! the history's items open at some point in the period (created before
//! `to`, not resolved before `from`), with no further arrivals, so the
//! backtest tests capacity — how fast the roster the scenario states works
//! through the work that was there. The simulated weekly throughput of
//! every replication (backlog items accepted per week) gives a P10-P90
//! band per week; calibration is the share of the actual weeks inside it,
//! about 80 % (a little more: counts are whole numbers, so the band's ends
//! are included) when the model is right. Finish weeks are compared too.
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
    /// Items open at some point in the period (the simulated backlog).
    pub backlog: usize,
    /// Items resolved in each week of the period.
    pub actual: Vec<f64>,
    /// When the last of them was resolved (weeks after `from`), if all were by `to`.
    pub actual_finish_weeks: Option<f64>,
}

/// What the history says about the period.
#[derive(Clone, Debug)]
pub struct Actual {
    pub from: i64,
    pub weeks: usize,
    pub periods: Vec<Period>,
    /// Distinct assignees with activity in each week.
    pub active_people: Vec<usize>,
}

/// Why a backtest cannot be set up (input errors).
pub type SetupError = String;

/// The history's view of [from, to), for the workstreams the scenario has.
pub fn actual(h: &History, scenario_workstreams: &[String], from: i64, to: i64) -> Result<Actual, SetupError> {
    if to <= from {
        return Err("--to must be after --from".into());
    }
    let weeks = ((to - from) as f64 / WEEK_SECS).floor() as usize;
    if weeks < 2 {
        return Err("the period must cover at least two whole weeks".into());
    }
    let week_of = |t: i64| -> Option<usize> {
        (t >= from)
            .then(|| ((t - from) as f64 / WEEK_SECS).floor() as usize)
            .filter(|&w| w < weeks)
    };
    let mut periods = Vec::new();
    for (wi, name) in h.workstreams.iter().enumerate() {
        if !scenario_workstreams.contains(name) {
            continue;
        }
        let mut p = Period {
            workstream: name.clone(),
            backlog: 0,
            actual: vec![0.0; weeks],
            actual_finish_weeks: None,
        };
        let mut last: Option<i64> = None;
        let mut all_done = true;
        for it in h.of(wi as u32) {
            let Some(c) = it.created else { continue };
            let open_in = c < to && it.resolved.is_none_or(|r| r >= from);
            if !open_in {
                continue;
            }
            p.backlog += 1;
            match it.resolved.and_then(week_of) {
                Some(w) => {
                    p.actual[w] += 1.0;
                    last = last.max(it.resolved);
                }
                None => all_done = false,
            }
        }
        if all_done {
            p.actual_finish_weeks = last.map(|l| (l - from) as f64 / WEEK_SECS);
        }
        if p.backlog > 0 {
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
    for it in &h.items {
        if let (Some(p), Some(w)) = (it.assignee, it.resolved.and_then(week_of)) {
            active[w].insert(p);
        }
    }
    Ok(Actual {
        from,
        weeks,
        periods,
        active_people: active.iter().map(|s| s.len()).collect(),
    })
}

/// The scenario edited for the period: matched workstreams get the period's
/// backlog and no arrivals; the horizon covers twice the period (finish
/// dates may fall after it); no warm-up; a deadline beyond the horizon is dropped.
pub fn period_scenario(doc: &Table, a: &Actual) -> Result<Table, SetupError> {
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
    for w in list.iter_mut().filter_map(Value::as_table_mut) {
        let name = w.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(p) = a.periods.iter().find(|p| p.workstream == name) {
            w.insert("backlog".into(), Value::Integer(p.backlog as i64));
            w.remove("arrivals_per_week");
            w.remove("surge");
            w.remove("deadline_weeks");
        }
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
