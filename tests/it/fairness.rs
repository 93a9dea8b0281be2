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
