//! Commercial terms settled by the simulator (docs/CONTRACTS.md), on small
//! deterministic scenarios whose payments are computed by hand: one
//! freelancer (or three), 20-hour items, no overhead, questions, defects or
//! attrition, so the programme ends exactly when the last item is accepted.

use crate::model::Model;
use crate::scenario::parse_str;
use crate::sim::metrics::{Layout, RepResult};
use crate::sim::Sim;

/// `backlog` items of 20 h for `people` freelancers at $65/h, under the
/// contract table `terms` (TOML body of `[contract.c]`, empty for none).
fn scenario(backlog: u32, people: u32, terms: &str) -> String {
    let contract = if terms.is_empty() {
        String::new()
    } else {
        format!("[contract.c]\nchannel = \"freelancer\"\n{terms}\n")
    };
    let uses = if terms.is_empty() { "" } else { "contracts = [\"c\"]" };
    format!(
        r#"name = "terms"
horizon_weeks = 20
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = {backlog}
effort_hours = {{ dist = "fixed", value = 20.0 }}
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 1
[overhead]
coefficient = 0.0
coordination_hours_per_report_week = 0.0
[channels.freelancer]
attrition_per_year = 0.0
productivity = 1.0
rate = 65.0
{contract}
[[strategy]]
name = "s"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "freelancer", count = {people} }}]
{uses}
"#
    )
}

fn run(text: &str) -> (Layout, RepResult) {
    let m: Model = parse_str(text, "terms-test.toml").expect("test scenario is valid");
    let mut sim = Sim::new(&m);
    let r = sim.run(0, 1, 0);
    assert!(r.invariant_violation.is_none(), "{:?}", r.invariant_violation);
    (sim.layout.clone(), r)
}

fn metric(l: &Layout, r: &RepResult, name: &str) -> f64 {
    r.metrics[l.metric_index(name).expect("metric exists")]
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn without_terms_the_cost_is_every_paid_hour_at_the_seat_rate() {
    // 8 items x 20 h = 160 h by one freelancer at $65/h.
    let (l, r) = run(&scenario(8, 1, ""));
    assert!(close(metric(&l, &r, "finish_week"), 4.0));
    assert!(close(metric(&l, &r, "cost_total"), 160.0 * 65.0));
    assert!(l.contract_base.is_none(), "no contract metrics without contracts");
}

#[test]
fn per_item_cost_is_accepted_items_times_price_whatever_the_idle_hours() {
    let terms = "pricing = \"per_item\"\nprice_per_item = { w = 700.0 }";
    let (l1, one) = run(&scenario(6, 1, terms));
    let (l3, three) = run(&scenario(6, 3, terms));
    for (l, r) in [(&l1, &one), (&l3, &three)] {
        assert!(close(metric(l, r, "items_accepted"), 6.0));
        assert!(close(metric(l, r, "provider_revenue"), 6.0 * 700.0));
        assert!(close(metric(l, r, "cost_total"), 6.0 * 700.0));
    }
    // The provider carries the hours: one person 120 h, three people 40 h
    // each (all finish together at week 1), at the internal rate $65/h.
    assert!(close(metric(&l1, &one, "provider_cost"), 120.0 * 65.0));
    assert!(close(metric(&l3, &three, "provider_cost"), 3.0 * 40.0 * 65.0));
    assert!(close(metric(&l1, &one, "provider_margin"), 4200.0 - 7800.0));
    // With one idle freelancer more (4 people, 6 items: 2 idle for the second
    // round), the client pays the same.
    let (l4, four) = run(&scenario(6, 4, terms));
    assert!(close(metric(&l4, &four, "cost_total"), 6.0 * 700.0));
    assert!(metric(&l4, &four, "provider_cost") > metric(&l3, &three, "provider_cost"));
}

#[test]
fn a_fixed_price_milestone_missed_by_two_weeks_pays_two_weeks_of_credit() {
    // 8 items of 20 h by one person: the backlog is done at week 4; the
    // milestone was due at week 2.
    let terms =
        "pricing = \"fixed\"\nfixed_price = 10000.0\ncredit_per_week_late = 1000.0\nmilestones = [{ week = 2 }]";
    let (l, r) = run(&scenario(8, 1, terms));
    assert!(close(metric(&l, &r, "finish_week"), 4.0));
    assert!(close(metric(&l, &r, "contract_credits"), 2.0 * 1000.0));
    assert!(close(metric(&l, &r, "provider_revenue"), 10000.0 - 2000.0));
    assert!(close(metric(&l, &r, "cost_total"), 8000.0));
    // Met on time: no credit.
    let on_time = terms.replace("week = 2", "week = 4");
    let (l, r) = run(&scenario(8, 1, &on_time));
    assert!(close(metric(&l, &r, "contract_credits"), 0.0));
    assert!(close(metric(&l, &r, "cost_total"), 10000.0));
}

#[test]
fn a_notice_period_delays_the_end_of_payment_by_exactly_its_length() {
    let (l, base) = run(&scenario(8, 1, "pricing = \"time_and_materials\""));
    let (ln, notice) = run(&scenario(8, 1, "notice_weeks = 3"));
    let extra = metric(&ln, &notice, "cost_total") - metric(&l, &base, "cost_total");
    assert!(close(extra, 3.0 * 40.0 * 65.0), "extra {extra}");
    // The work itself is unchanged.
    assert!(close(metric(&ln, &notice, "finish_week"), 4.0));
    // The notice is margin: the provider redeploys its person.
    assert!(close(metric(&ln, &notice, "provider_margin"), extra));
}

#[test]
fn a_minimum_commitment_is_paid_when_the_work_finishes_earlier() {
    // The work ends at week 4; the commitment is 6 weeks per seat.
    let (l, r) = run(&scenario(8, 1, "min_commit_weeks = 6"));
    assert!(close(metric(&l, &r, "finish_week"), 4.0));
    assert!(close(metric(&l, &r, "cost_total"), 6.0 * 40.0 * 65.0));
    // A commitment shorter than the work costs nothing extra.
    let (l, r) = run(&scenario(8, 1, "min_commit_weeks = 3"));
    assert!(close(metric(&l, &r, "cost_total"), 4.0 * 40.0 * 65.0));
}

#[test]
fn onboarding_fees_and_a_minimum_spend_are_paid_under_any_pricing() {
    let terms = "pricing = \"per_item\"\nprice_per_item = { w = 100.0 }\nonboarding_per_person = 250.0\nmin_commit_spend = 5000.0";
    let (l, r) = run(&scenario(8, 2, terms));
    // 8 x 100 + 2 x 250 = 1300 < 5000: the minimum spend.
    assert!(close(metric(&l, &r, "cost_total"), 5000.0));
    let terms = terms.replace("5000.0", "1000.0");
    let (l, r) = run(&scenario(8, 2, &terms));
    assert!(close(metric(&l, &r, "cost_total"), 1300.0));
}
