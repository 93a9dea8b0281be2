//! Writes the SYNTHETIC sample histories of scenarios/history/ from known
//! parameters (docs/CALIBRATION.md):
//!
//! ```text
//! cargo run --release --example synth_history -- [SCENARIO] [OUT_DIR]
//! ```
//!
//! (defaults: scenarios/history/synthetic.toml, scenarios/history/). From the
//! scenario's first workstream and first strategy:
//! - created: the backlog uniformly over the INTAKE_WEEKS weeks before
//!   `start_date`, then a Poisson flow at `arrivals_per_week` over the horizon;
//! - people: the team's `count` seats; each person stays an exponential time
//!   with the channel's attrition per year and is replaced after the
//!   channel's lead time (with its ramp-up), as the engine's attrition does;
//! - one replication of podsim's own engine (seed GEN_SEED, replication 0)
//!   with exactly that work (`arrivals_at_weeks`) and that roster (a roster
//!   plan, attrition off) gives how many items were accepted in each week;
//!   the items are those, first in, first out, resolved uniformly within the
//!   week (not before they were created);
//! - time spent: drawn from the workstream's `effort_hours`;
//! - comments: Poisson with mean `questions_per_item`;
//! - reopened: with probability `defect_rate`;
//! - assignee: a person present when the item was resolved.
//!
//! So the history's assignees are the roster the engine simulated, and its
//! created dates the work it was given: what `podsim backtest` replays.
//! Written: annotation-jira.csv (Jira's CSV columns), annotation-label-studio.json
//! (Label Studio's export) and truth.toml (the parameters, for comparison).
//! Every draw comes from a stream seeded by GEN_SEED: rerunning writes the
//! same bytes.

use podsim::dist::Dist;
use podsim::metrics::backlog_series;
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
    let start = podsim::fit::time::parse_date(m.start_date.as_deref().ok_or("the scenario needs a start_date")?)
        .map_err(|e| e.to_string())?;
    let horizon_weeks = m.horizon_weeks();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(GEN_SEED);
    // Created times (seconds): the backlog before the start, then the flow.
    let mut created: Vec<i64> = (0..w.backlog)
        .map(|_| start - (rng.random::<f64>() * INTAKE_WEEKS * WEEK) as i64)
        .collect();
    created.sort_unstable();
    let rate_per_week = w.arrivals_per_hour * podsim::model::HOURS_PER_WEEK;
    let mut arrivals_weeks = Vec::new();
    if rate_per_week > 0.0 {
        let mut t = 0.0;
        loop {
            t += -(1.0 - rng.random::<f64>()).ln() / rate_per_week;
            if t >= horizon_weeks {
                break;
            }
            arrivals_weeks.push(t);
        }
    }
    created.extend(arrivals_weeks.iter().map(|&t| start + (t * WEEK) as i64));
    let n = created.len();
    // People: seats with exponential stays, replaced after the lead time.
    let strategy = &m.strategies[0];
    let team = strategy.team.first().ok_or("the strategy needs a team")?;
    let seats = strategy.initial_headcount() as usize;
    let ch = m.channel(team.channel);
    let attrition_per_week = ch.attrition_per_hour * podsim::model::HOURS_PER_WEEK;
    let lead_weeks = ch.lead_hours / podsim::model::HOURS_PER_WEEK;
    // (person, from week, to week), and the roster plan (week, +1 / -1).
    let mut stays: Vec<(usize, f64, f64)> = Vec::new();
    let mut plan: Vec<(f64, i64)> = Vec::new();
    for _ in 0..seats {
        let mut t = 0.0;
        while t < horizon_weeks {
            let stay = -(1.0 - rng.random::<f64>()).ln() / attrition_per_week.max(1e-12);
            let person = stays.len();
            stays.push((person, t, t + stay));
            if t > 0.0 {
                plan.push((t, 1));
            }
            if t + stay < horizon_weeks {
                plan.push((t + stay, -1));
            }
            t += stay + lead_weeks;
        }
    }
    plan.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The engine, given that work and that roster.
    let mut doc: toml::Table = loaded.text.parse()?;
    {
        let ws = doc["workstream"].as_array_mut().ok_or("workstream")?[0]
            .as_table_mut()
            .ok_or("workstream")?;
        ws.remove("arrivals_per_week");
        ws.remove("surge");
        if !arrivals_weeks.is_empty() {
            ws.insert(
                "arrivals_at_weeks".into(),
                toml::Value::Array(arrivals_weeks.iter().map(|&t| toml::Value::Float(t)).collect()),
            );
        }
        let st = doc["strategy"].as_array_mut().ok_or("strategy")?[0]
            .as_table_mut()
            .ok_or("strategy")?;
        let plan_entries = plan
            .iter()
            .map(|&(wk, c)| {
                let mut e = toml::Table::new();
                e.insert("week".into(), toml::Value::Float(wk));
                e.insert("role".into(), toml::Value::String(team.role.name().into()));
                e.insert("channel".into(), toml::Value::String(team.channel.name().into()));
                e.insert("count".into(), toml::Value::Integer(c));
                toml::Value::Table(e)
            })
            .collect();
        st.insert("plan".into(), toml::Value::Array(plan_entries));
        let chs = doc
            .entry("channels")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or("channels")?;
        let c = chs
            .entry(team.channel.name())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or("channel")?;
        c.insert("attrition_per_year".into(), toml::Value::Float(0.0));
    }
    let gen = podsim::scenario::parse_str(&toml::to_string(&doc)?, "synthetic history's engine run")?;
    let layout = Layout::new(&gen);
    let r = podsim::runner::run_one(&gen, 0, GEN_SEED, 0);
    let s = layout.series_index(&backlog_series(&w.name)).expect("backlog series");
    let left = &r.series[s];
    // Resolved: week by week as the engine accepted them, first in first out.
    let mut resolved: Vec<Option<i64>> = vec![None; n];
    let mut next = 0usize;
    for wk in 0..(horizon_weeks as usize).min(left.len().saturating_sub(1)) {
        let done = (left[wk] - left[wk + 1]).max(0.0).round() as usize;
        let mut times: Vec<i64> = (0..done)
            .map(|_| start + ((wk as f64 + rng.random::<f64>()) * WEEK) as i64)
            .collect();
        times.sort_unstable();
        let week_end = start + ((wk + 1) as f64 * WEEK) as i64 - 1;
        for t in times {
            if next < n {
                resolved[next] = Some(t.max(created[next] + 60).min(week_end));
                next += 1;
            }
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
        let at = (resolved[k].unwrap_or(created[k]) - start) as f64 / WEEK;
        let present: Vec<usize> = stays.iter().filter(|s| s.1 <= at && at < s.2).map(|s| s.0).collect();
        let person = if present.is_empty() {
            0
        } else {
            present[rng.random_range(0..present.len())]
        };
        let person = if present.is_empty() {
            // Resolved just after the leaving time (a release waits for the item in hand).
            stays
                .iter()
                .filter(|s| s.1 <= at)
                .min_by(|a, b| (at - a.2).abs().total_cmp(&(at - b.2).abs()))
                .map_or(person, |s| s.0)
        } else {
            person
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
         backlog = {}        # items, created over the {INTAKE_WEEKS} weeks before the start\n\
         arrivals_per_week = {rate_per_week}   # Poisson; {} arrived, {n} items in all, {finished} finished within the horizon\n\n\
         [channels.freelancer]\n\
         attrition_per_year = {}   # assignees' stays are exponential at this rate, {seats} seats, replaced after {lead_weeks} weeks\n",
        scenario.display(),
        effort.name(),
        effort.mean(),
        w.questions_per_item,
        w.defect_rate,
        w.backlog,
        arrivals_weeks.len(),
        1.0 - (-attrition_per_week * 52.0).exp()
    );
    podsim::output::write_atomic(&out.join("truth.toml"), truth.as_bytes())?;
    println!("wrote {} items ({finished} finished) to {}", n, out.display());
    Ok(())
}
