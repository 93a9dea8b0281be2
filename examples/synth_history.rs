//! Writes the SYNTHETIC sample histories of scenarios/history/ from known
//! parameters (docs/CALIBRATION.md):
//!
//! ```text
//! cargo run --release --example synth_history -- [SCENARIO] [OUT_DIR]
//! ```
//!
//! (defaults: scenarios/history/synthetic.toml, scenarios/history/). One
//! replication of podsim's own engine (seed GEN_SEED, replication 0, the
//! scenario's first strategy) gives how many backlog items were accepted in
//! each week; the items are those, first in, first out. Around that:
//! - created: uniformly over the INTAKE_WEEKS weeks before `start_date`
//!   (the backlog was filed before work began);
//! - resolved: uniformly within the week the engine finished it;
//! - time spent: drawn from the workstream's `effort_hours`;
//! - comments: Poisson with mean `questions_per_item`;
//! - reopened: with probability `defect_rate`;
//! - assignees: the team's `count` seats; each person stays an exponential
//!   time with the channel's attrition per year and is replaced the same
//!   day; an item goes to a person present when it was resolved.
//!
//! Written: annotation-jira.csv (Jira's CSV columns), annotation-label-studio.json
//! (Label Studio's export) and truth.toml (the parameters, for comparison).
//! Every draw comes from a stream seeded by GEN_SEED: rerunning writes the
//! same bytes.

use podsim::dist::Dist;
use podsim::metrics::backlog_series;
use podsim::model::Channel;
use podsim::sim::Layout;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Seed of the engine replication and of every draw here; distinct from the
/// scenario's seed, so backtests do not replay the history's own replication.
const GEN_SEED: u64 = 9001;
const INTAKE_WEEKS: f64 = 8.0;
const WEEK: f64 = 7.0 * 86400.0;

fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).expect("in range").to_string()
}

fn jira_date(secs: i64) -> String {
    let dt = jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::from_second(secs).expect("in range"));
    jiff::fmt::strtime::format("%d/%b/%y %-I:%M %p", dt).expect("formats")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scenario = PathBuf::from(args.first().map_or("scenarios/history/synthetic.toml", String::as_str));
    let out = PathBuf::from(args.get(1).map_or("scenarios/history", String::as_str));
    let loaded = podsim::scenario::load(&scenario)?;
    let m = &loaded.model;
    let w = &m.workstreams[0];
    let layout = Layout::new(m);
    let r = podsim::runner::run_one(m, 0, GEN_SEED, 0);
    let s = layout.series_index(&backlog_series(&w.name)).expect("backlog series");
    let left = &r.series[s];
    let start = podsim::fit::time::parse_date(m.start_date.as_deref().ok_or("the scenario needs a start_date")?)
        .map_err(|e| e.to_string())?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(GEN_SEED);
    let n = w.backlog as usize;
    // Created times, sorted: item k was filed k-th.
    let mut created: Vec<i64> = (0..n)
        .map(|_| start - (rng.random::<f64>() * INTAKE_WEEKS * WEEK) as i64)
        .collect();
    created.sort_unstable();
    // Resolved: week by week as the engine accepted them.
    let mut resolved: Vec<Option<i64>> = vec![None; n];
    let mut next = 0usize;
    for wk in 0..left.len().saturating_sub(1) {
        let done = (left[wk] - left[wk + 1]).max(0.0).round() as usize;
        let mut times: Vec<i64> = (0..done)
            .map(|_| start + ((wk as f64 + rng.random::<f64>()) * WEEK) as i64)
            .collect();
        times.sort_unstable();
        for t in times {
            if next < n {
                resolved[next] = Some(t);
                next += 1;
            }
        }
    }
    // People: seats with exponential stays, replaced on leaving.
    let strategy = &m.strategies[0];
    let seats = strategy.initial_headcount() as usize;
    let attrition = m.channels[Channel::Freelancer.index()].attrition_per_hour;
    // The engine's rates are per working hour (40 a week); stays run in calendar time.
    let rate_per_sec = attrition * podsim::model::HOURS_PER_WEEK / WEEK;
    let end = resolved.iter().flatten().max().copied().unwrap_or(start) + (4.0 * WEEK) as i64;
    // (person, from, to)
    let mut stays: Vec<(usize, i64, i64)> = Vec::new();
    for seat in 0..seats {
        let mut t = start - (rng.random::<f64>() * 10.0 * WEEK) as i64;
        while t < end {
            let stay = (-(1.0 - rng.random::<f64>()).ln() / rate_per_sec.max(1e-12)) as i64;
            let person = stays.len();
            stays.push((person, t, t + stay));
            t += stay;
            let _ = seat;
        }
    }
    let effort: &Dist = &w.effort;
    let mut csv = String::from("Issue key,Issue Type,Summary,Status,Created,Resolved,Assignee,Time Spent,Reopen count");
    for _ in 0..4 {
        csv.push_str(",Comment");
    }
    csv.push('\n');
    let mut tasks = Vec::new();
    for k in 0..n {
        let key = format!("ANN-{}", k + 1);
        let hours = effort.sample(&mut rng);
        let secs = (hours * 3600.0).round().max(60.0) as i64;
        let comments = podsim::dist::poisson(&mut rng, w.questions_per_item).min(4);
        let reopened = rng.random::<f64>() < w.defect_rate;
        let at = resolved[k].unwrap_or(created[k]);
        let present: Vec<usize> = stays.iter().filter(|s| s.1 <= at && at < s.2).map(|s| s.0).collect();
        let person = if present.is_empty() {
            0
        } else {
            present[rng.random_range(0..present.len())]
        };
        let name = format!("annotator-{:03}", person + 1);
        let (status, res) = match resolved[k] {
            Some(t) => ("Done", jira_date(t)),
            None => ("To Do", String::new()),
        };
        let _ = write!(
            csv,
            "{key},{},Label item {},{status},{},{res},{},{},{}",
            w.name,
            k + 1,
            jira_date(created[k]),
            if resolved[k].is_some() { name.as_str() } else { "" },
            if resolved[k].is_some() {
                secs.to_string()
            } else {
                String::new()
            },
            reopened as u8
        );
        for c in 0..4 {
            csv.push_str(if c < comments {
                ",\"A question about the guideline, answered.\""
            } else {
                ","
            });
        }
        csv.push('\n');
        let annotations = match resolved[k] {
            Some(t) => serde_json::json!([{
                "id": 100_000 + k,
                "completed_by": { "id": person + 1, "email": format!("{name}@example.com") },
                "lead_time": secs as f64,
                "created_at": iso(t),
                "was_cancelled": false,
                "result": [{ "type": "choices", "value": { "choices": ["ok"] } }],
                "reviews": [{ "accepted": !reopened }]
            }]),
            None => serde_json::json!([]),
        };
        tasks.push(serde_json::json!({
            "id": k + 1,
            "data": { "text": format!("Item {} to label (synthetic)", k + 1) },
            "annotations": annotations,
            "created_at": iso(created[k]),
            "comment_count": comments,
        }));
    }
    std::fs::create_dir_all(&out)?;
    podsim::output::write_atomic(&out.join("annotation-jira.csv"), csv.as_bytes())?;
    let json = serde_json::to_string_pretty(&tasks)?;
    podsim::output::write_atomic(
        &out.join("annotation-label-studio.json"),
        format!("{json}\n").as_bytes(),
    )?;
    let finished = resolved.iter().flatten().count();
    let truth = format!(
        "# SYNTHETIC: the parameters the sample histories were generated from\n\
         # (examples/synth_history.rs, scenario {}; engine seed {GEN_SEED}, replication 0).\n\
         [workstream.annotation]\n\
         effort_hours = {{ dist = \"{}\", mean = {}, cv = 0.6 }}\n\
         questions_per_item = {}\n\
         defect_rate = {}   # the reopen flag's probability\n\
         backlog = {n}        # items; {finished} finished within the horizon\n\
         created_over_weeks_before_start = {INTAKE_WEEKS}\n\n\
         [channels.freelancer]\n\
         attrition_per_year = {}   # assignees' stays are exponential at this rate, {seats} seats\n",
        scenario.display(),
        effort.name(),
        effort.mean(),
        w.questions_per_item,
        w.defect_rate,
        1.0 - (-attrition * podsim::model::HOURS_PER_WEEK * 52.0).exp()
    );
    podsim::output::write_atomic(&out.join("truth.toml"), truth.as_bytes())?;
    println!("wrote {} items ({finished} finished) to {}", n, out.display());
    Ok(())
}
