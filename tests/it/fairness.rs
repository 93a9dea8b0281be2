//! Directions the revised coordination model (MODEL.md §5) must get right,
//! on deterministic cases (fixed effort, no questions, defects or attrition),
//! so each comparison is exact rather than statistical.

use podsim::runner::run_one;
use podsim::scenario::parse_str;
use podsim::sim::M;

fn scenario(interdependence: f64, strategies: &str) -> String {
    format!(
        r#"name = "fairness"
horizon_weeks = 104
[[workstream]]
name = "items"
skill = "domain_expert"
backlog = 4000
effort_hours = {{ dist = "fixed", value = 2.0 }}
defect_rate = 0.0
questions_per_item = 0.0
interdependence = {interdependence}
[seniors]
count = 2
[channels.freelancer]
rate = 60.0
attrition_per_year = 0.0
[channels.pod]
rate = 60.0
attrition_per_year = 0.0
{strategies}
"#
    )
}

const INDIVIDUAL_18: &str = r#"[[strategy]]
name = "individual"
structure = "individual"
ops_requests_per_contributor_week = 0.0
team = [{ role = "domain_expert", channel = "freelancer", count = 18 }]
"#;

const PODS_15: &str = r#"[[strategy]]
name = "pods"
structure = "pods"
ops_requests_per_contributor_week = 0.0
pods = { count = 3 }
team = [{ role = "domain_expert", channel = "pod", count = 15 }]
"#;

fn metric(text: &str, strategy: usize, m: M) -> f64 {
    let model = parse_str(text, "fairness.toml").unwrap();
    run_one(&model, strategy, 1, 0).metrics[m as usize]
}

#[test]
fn higher_interdependence_makes_a_group_lose_more() {
    let loose = metric(&scenario(0.25, INDIVIDUAL_18), 0, M::FinishWeek);
    let tight = metric(&scenario(1.0, INDIVIDUAL_18), 0, M::FinishWeek);
    assert!(
        tight > loose,
        "interdependence 1.0 finishes at {tight}, 0.25 at {loose}"
    );
}

#[test]
fn on_independent_items_more_contributors_finish_no_later_and_cost_less() {
    let text = scenario(0.0, &format!("{INDIVIDUAL_18}\n{PODS_15}"));
    let finish_ind = metric(&text, 0, M::FinishWeek);
    let finish_pods = metric(&text, 1, M::FinishWeek);
    assert!(
        finish_ind <= finish_pods,
        "18 individual contributors finish at week {finish_ind}, 15 pod contributors at {finish_pods}"
    );
    let cost_ind = metric(&text, 0, M::CostTotal);
    let cost_pods = metric(&text, 1, M::CostTotal);
    assert!(cost_ind < cost_pods, "individual ${cost_ind} vs pods ${cost_pods}");
}

#[test]
fn one_all_to_all_group_loses_more_than_groups_by_skill() {
    let by_skill = scenario(1.0, INDIVIDUAL_18);
    let all = by_skill.replace("[seniors]", "[overhead]\ngroups = \"all\"\n[seniors]");
    let f_skill = metric(&by_skill, 0, M::FinishWeek);
    let f_all = metric(&all, 0, M::FinishWeek);
    assert!(
        f_all > f_skill,
        "groups = all finishes at {f_all}, by skill at {f_skill}"
    );
}

/// Individual and pods on the same independent items, with `questions`
/// questions per item (MODEL.md §6): the seniors' deep focus of each.
fn questions_scenario(questions: f64) -> String {
    format!(
        r#"name = "questions"
horizon_weeks = 52
[[workstream]]
name = "items"
skill = "domain_expert"
backlog = 1200
effort_hours = {{ dist = "lognormal", mean = 4.0, cv = 0.5 }}
defect_rate = 0.0
questions_per_item = {questions}
[seniors]
count = 2
[channels.freelancer]
attrition_per_year = 0.0
[channels.pod]
attrition_per_year = 0.0
[[strategy]]
name = "individual"
structure = "individual"
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "freelancer", count = 12 }}]
[[strategy]]
name = "pods"
structure = "pods"
ops_requests_per_contributor_week = 0.0
pods = {{ count = 2 }}
team = [{{ role = "domain_expert", channel = "pod", count = 12 }}]
"#
    )
}

/// Per replication, the pods' deep focus minus the individual structure's.
fn pods_focus_advantage(questions: f64, reps: u64) -> Vec<f64> {
    use podsim::runner::{self, RepRange};
    let model = parse_str(&questions_scenario(questions), "questions.toml").unwrap();
    let res = runner::run(&model, 11, RepRange { first: 0, count: reps }, runner::Control::none()).unwrap();
    let i = M::DeepFocusPerSeniorWeek as usize;
    res.reps[0]
        .iter()
        .zip(&res.reps[1])
        .map(|(a, b)| b.metrics[i] - a.metrics[i])
        .collect()
}

#[test]
fn more_questions_per_item_widen_the_pods_advantage_in_senior_deep_focus() {
    let few = pods_focus_advantage(0.2, 30);
    let many = pods_focus_advantage(1.5, 30);
    // Paired by replication: the advantage at 1.5 questions minus at 0.2.
    let d = podsim::stats::paired(&few, &many, 0.95).diff;
    assert!(
        d.ci_low > 0.0,
        "the pods' deep-focus advantage should grow with questions: {:.2} -> {:.2} h/senior/week, \
         difference {:.2} (95 % CI {:.2} to {:.2})",
        few.iter().sum::<f64>() / few.len() as f64,
        many.iter().sum::<f64>() / many.len() as f64,
        d.mean,
        d.ci_low,
        d.ci_high
    );
}

/// The shipped surge example (scenarios/surge-elastic-bench.toml): the
/// elastic bench is called during the surge (weeks 6-10) by the queue-load
/// rule and released after it, before the programme ends (MODEL.md §4).
#[test]
fn the_elastic_bench_rises_during_the_surge_and_falls_after_it() {
    use podsim::runner::{self, RepRange};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/surge-elastic-bench.toml"
    ))
    .unwrap();
    let model = parse_str(&text, "surge-elastic-bench.toml").unwrap();
    let bench = model.strategies.iter().position(|s| s.name == "elastic bench").unwrap();
    let res = runner::run(&model, 7, RepRange { first: 0, count: 20 }, runner::Control::none()).unwrap();
    let series = res
        .layout
        .series_names
        .iter()
        .position(|n| n == "headcount.channel.bench")
        .unwrap();
    let (mut before, mut peak, mut after, mut live) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    for r in &res.reps[bench] {
        let s = &r.series[series];
        before = before.max(s[..=6].iter().cloned().fold(0.0, f64::max));
        peak += s[8..=13].iter().cloned().fold(0.0, f64::max);
        // Week 14 as recorded while the programme still runs (after the
        // finish the series is 0 by construction, which would prove nothing).
        if r.metrics[M::FinishWeek as usize] > 14.0 {
            after += s[14];
            live += 1;
        }
    }
    let peak = peak / res.reps[bench].len() as f64;
    assert_eq!(before, 0.0, "no bench before the surge");
    assert!(peak >= 5.0, "mean peak bench headcount in weeks 8-13: {peak}");
    assert!(live >= 10, "only {live} replications still running at week 14");
    let after = after / live as f64;
    assert!(
        after < 0.25 * peak,
        "bench at week 14 {after} vs peak {peak}: not released"
    );
    // The bench's cost is visible: more than the static team's.
    let cost = |s: usize| {
        res.reps[s]
            .iter()
            .map(|r| r.metrics[M::CostTotal as usize])
            .sum::<f64>()
    };
    assert!(cost(bench) > cost(0));
}
