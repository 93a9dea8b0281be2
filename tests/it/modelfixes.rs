//! The model fixes of issue #14 ("A fair comparison"): post-delivery cost
//! of escapes (MODEL.md §7), the backlog/flow split of accepted items, and
//! the example scenarios meaning what their names say.

use podsim::runner::{self, RepRange, RunResults};
use podsim::scenario::parse_str;

fn run(text: &str, reps: u64) -> RunResults {
    let model = parse_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    runner::run(&model, 7, RepRange { first: 0, count: reps }, runner::Control::none()).expect("never cancelled")
}

fn metric(res: &RunResults, s: usize, name: &str) -> Vec<f64> {
    let i = res
        .layout
        .metric_index(name)
        .unwrap_or_else(|| panic!("no metric {name}"));
    res.reps[s].iter().map(|r| r.metrics[i]).collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// One item of 10 hours, always defective, never reviewed, found long after
/// the finish: its post-delivery cost is 10 h x 50 + 1 h x 100 + 1,000.
const ONE_ESCAPE: &str = r#"
name = "one escape"
replications = 1
horizon_weeks = 10

[[workstream]]
name = "w"
skill = "ml_engineer"
backlog = 1
effort_hours = { dist = "fixed", value = 10.0 }
defect_rate = 1.0
questions_per_item = 0

[seniors]
count = 1
rate = 100.0

[quality]
escape_delay_weeks = 1000000000
triage_hours = 1
cost_per_escaped_defect = 1000

[channels.employee]
rate = 50.0
attrition_per_year = 0.0

[[strategy]]
name = "solo"
structure = "individual"
review_fraction = 0
team = [{ role = "ml_engineer", channel = "employee", count = 1 }]
"#;

#[test]
fn an_escape_unfound_at_the_finish_costs_rework_triage_and_its_price() {
    let res = run(ONE_ESCAPE, 1);
    assert_eq!(metric(&res, 0, "escaped_defects"), [1.0]);
    assert_eq!(metric(&res, 0, "cost_post_delivery"), [1600.0]);
    // The programme's own cost is the one person's and the senior's paid
    // hours; the total carries the post-delivery cost on top.
    let without = run(&ONE_ESCAPE.replace("cost_per_escaped_defect = 1000", ""), 1);
    let total = metric(&res, 0, "cost_total")[0];
    let total_without = metric(&without, 0, "cost_total")[0];
    assert!(
        (total - total_without - 1000.0).abs() < 1e-9,
        "{total} vs {total_without}"
    );
    assert_eq!(metric(&res, 0, "cost_per_accepted"), [total]);
    assert_eq!(metric(&res, 0, "cost_per_backlog_item"), [total]);
}

#[test]
fn a_sloppier_strategy_pays_more_after_delivery() {
    let text = r#"
name = "sloppy"
replications = 4
horizon_weeks = 52

[[workstream]]
name = "w"
skill = "ml_engineer"
backlog = 300
effort_hours = { dist = "fixed", value = 4.0 }
defect_rate = 0.1
questions_per_item = 0

[seniors]
count = 1

[quality]
escape_delay_weeks = 1000

[channels.employee]
rate = 50.0
attrition_per_year = 0.0

[channels.freelancer]
rate = 50.0
attrition_per_year = 0.0
quality_factor = 3.0

[[strategy]]
name = "careful"
structure = "individual"
review_fraction = 0
team = [{ role = "ml_engineer", channel = "employee", count = 4 }]

[[strategy]]
name = "sloppy"
structure = "individual"
review_fraction = 0
team = [{ role = "ml_engineer", channel = "freelancer", count = 4 }]
"#;
    let res = run(text, 4);
    let careful = mean(&metric(&res, 0, "cost_post_delivery"));
    let sloppy = mean(&metric(&res, 1, "cost_post_delivery"));
    assert!(careful > 0.0, "{careful}");
    assert!(sloppy > 2.0 * careful, "sloppy {sloppy} vs careful {careful}");
}

#[test]
fn accepted_items_split_into_backlog_and_arrivals() {
    let text = r#"
name = "flow"
replications = 2
horizon_weeks = 52

[[workstream]]
name = "backlog"
skill = "ml_engineer"
backlog = 100
effort_hours = { dist = "fixed", value = 4.0 }
defect_rate = 0
questions_per_item = 0

[[workstream]]
name = "tickets"
skill = "ops"
arrivals_per_week = 10
effort_hours = { dist = "fixed", value = 1.0 }
defect_rate = 0
questions_per_item = 0

[seniors]
count = 1

[[strategy]]
name = "team"
structure = "individual"
team = [
  { role = "ml_engineer", channel = "employee", count = 2 },
  { role = "ops", channel = "employee", count = 1 },
]
"#;
    let res = run(text, 2);
    for (i, accepted) in metric(&res, 0, "items_accepted").into_iter().enumerate() {
        let backlog = metric(&res, 0, "accepted_backlog")[i];
        let flow = metric(&res, 0, "accepted_flow")[i];
        assert_eq!(backlog, 100.0);
        assert!(flow > 0.0);
        assert_eq!(backlog + flow, accepted, "no escapes here, so nothing else is accepted");
    }
}

/// "add N at week 8": the peak headcount is the initial team plus N (no
/// attrition, additions start the day they are planned).
#[test]
fn brooks_law_strategies_add_what_their_names_say() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/brooks-law.toml")).unwrap();
    let res = run(&text, 2);
    let model = parse_str(&text, "brooks-law.toml").unwrap();
    for (s, st) in model.strategies.iter().enumerate() {
        let added: i32 = st.plan.iter().map(|c| c.count).sum();
        let named: i32 = st
            .name
            .strip_prefix("add ")
            .and_then(|r| r.split_whitespace().next())
            .map_or(0, |n| n.parse().unwrap());
        assert_eq!(added, named, "{}: the plan adds {added}", st.name);
        let want = st.initial_headcount() as f64 + added as f64;
        for peak in metric(&res, s, "peak_headcount") {
            assert_eq!(peak, want, "{}", st.name);
        }
    }
}
