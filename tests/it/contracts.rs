//! Commercial terms (docs/CONTRACTS.md): bad `[contract.*]` input is a
//! located error with exit 2; the example scenario runs with the money
//! invariant checked in every replication.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> String {
    fs::read_to_string(root().join("scenarios/outcome-pricing.toml")).unwrap()
}

/// (what, file text, words the message must contain, field path it must name)
fn malformed() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let base = example();
    let r = |a: &str, b: &str| {
        assert!(base.contains(a), "the example lacks {a:?}");
        base.replacen(a, b, 1)
    };
    vec![
        (
            "per-item price for work the provider does not serve",
            r("annotation = 528", "rl_loops = 5.0, annotation = 528"),
            "unknown workstream `rl_loops`",
            "contract.per_item.price_per_item.rl_loops",
        ),
        (
            "per-item price for a workstream the provider does not serve",
            r(
                "{ role = \"data_quality\", channel = \"pod\", count = 3 }]\ncontracts = [\"per_item\"]",
                "{ role = \"data_quality\", channel = \"employee\", count = 3 }]\ncontracts = [\"per_item\"]",
            ),
            "does not serve it",
            "contract.per_item.price_per_item.data_preparation",
        ),
        (
            "milestone after the horizon",
            r("milestones = [{ week = 16 }]", "milestones = [{ week = 60 }]"),
            "no later than the horizon",
            "contract.fixed.milestones[0].week",
        ),
        (
            "negative price",
            r("fixed_price = ", "fixed_price = -"),
            "expected a number ≥ 0",
            "contract.fixed.fixed_price",
        ),
        (
            "overlapping scopes",
            format!(
                "{}\n[contract.fixed_dq]\nchannel = \"employee\"\npricing = \"fixed\"\nfixed_price = 1000.0\nscope = [\"data_preparation\"]\n",
                r(
                    "{ role = \"data_quality\", channel = \"pod\", count = 3 }]\ncontracts = [\"fixed\"]",
                    "{ role = \"data_quality\", channel = \"employee\", count = 3 }, { role = \"data_quality\", channel = \"pod\", count = 1 }]\ncontracts = [\"fixed\", \"fixed_dq\"]",
                )
            ),
            "overlapping scopes",
            "strategy[2].contracts[1]",
        ),
        (
            "two contracts for one channel",
            r("contracts = [\"fixed\"]", "contracts = [\"fixed\", \"hourly\"]"),
            "one contract per channel",
            "strategy[2].contracts[1]",
        ),
        (
            "unknown contract",
            r("contracts = [\"fixed\"]", "contracts = [\"fixd\"]"),
            "did you mean `fixed`",
            "strategy[2].contracts[0]",
        ),
        (
            "notice on a per-item contract",
            r("pricing = \"per_item\"", "pricing = \"per_item\"\nnotice_weeks = 2"),
            "only used with pricing = \"time_and_materials\"",
            "contract.per_item.notice_weeks",
        ),
        (
            "unknown pricing",
            r("pricing = \"fixed\"", "pricing = \"outcome\""),
            "unknown pricing `outcome`",
            "contract.fixed.pricing",
        ),
    ]
}

#[test]
fn bad_contract_terms_exit_2_with_located_messages() {
    let dir = tempfile::tempdir().unwrap();
    for (what, text, expected, field) in malformed() {
        let path = dir.path().join("bad.toml");
        fs::write(&path, &text).unwrap();
        let out = Command::cargo_bin("podsim")
            .unwrap()
            .arg("validate")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{what}: message lacks {expected:?}:\n{stderr}"
        );
        assert!(
            stderr.contains(field),
            "{what}: message lacks the field {field:?}:\n{stderr}"
        );
        assert!(stderr.contains("bad.toml:"), "{what}: not located:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{what}: panicked:\n{stderr}");
    }
}

#[test]
fn the_example_validates() {
    let out = Command::cargo_bin("podsim")
        .unwrap()
        .arg("validate")
        .arg(root().join("scenarios/outcome-pricing.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

// ---- The optimiser prices the same terms (docs/OPTIMISER.md, "Contract terms") ----

/// A static plan the optimiser cannot change: 4 freelancers on board, no
/// channel open for starts, and exactly the capacity the backlog needs by
/// the deadline (4 x 40 h x 20 weeks = 3,200 items of 1 h on average), so
/// the plan keeps the team for 20 weeks. No overhead, questions, defects,
/// seniors or attrition: what remains is the pricing. `terms` is the body of
/// `[contract.terms]` (channel freelancer).
fn static_plan(terms: &str) -> String {
    format!(
        r#"
name = "terms agreement"
seed = 11
replications = 40
horizon_weeks = 40
deadline_weeks = 20
[[workstream]]
name = "labels"
skill = "domain_expert"
backlog = 3200
effort_hours = {{ dist = "lognormal", mean = 1.0, cv = 0.5 }}
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = 0.0
[channels.freelancer]
rate = 50.0
hire_cost = 0.0
attrition_per_year = 0.0
[contract.terms]
channel = "freelancer"
{terms}
[[strategy]]
name = "s"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "freelancer", count = 4 }}]
contracts = ["terms"]
[optimise]
integer = false
max_utilisation = 1.0
[optimise.channels.employee]
max = 0
[optimise.channels.freelancer]
allowed = false
[optimise.channels.pod]
allowed = false
[optimise.channels.bench]
allowed = false
"#
    )
}

/// The optimiser's cost of the static plan, and the simulator's mean client
/// cost of the same plan with its 95 % CI half-width (40 replications).
fn planned_and_simulated(terms: &str) -> (f64, f64, f64) {
    planned_and_simulated_text(&static_plan(terms), true)
}

/// As [`planned_and_simulated`] for a whole scenario text; `fixed_team`:
/// check that the plan keeps its week-0 team throughout.
fn planned_and_simulated_text(text: &str, fixed_team: bool) -> (f64, f64, f64) {
    use podsim::plan::{self, Options, Outcome};
    let m = podsim::scenario::parse_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    let spec = m.optimise.clone().unwrap();
    let p = match plan::optimise(&m, &Options::default(), &Default::default())
        .expect("optimiser runs")
        .outcome
    {
        Outcome::Plan(p) => *p,
        other => panic!("expected a plan: {other:?}"),
    };
    let v = plan::verify::verify(&m, &spec, &p, 40, 11, podsim::runner::Control::none()).expect("never cancelled");
    if fixed_team {
        assert!(v.strategy.plan.is_empty(), "the plan is static: {:?}", v.strategy.plan);
    }
    (p.total_cost, v.simulated_cost_mean, v.simulated_cost_ci95)
}

#[test]
fn optimiser_and_simulator_agree_on_a_static_plan_under_each_pricing() {
    // Time and materials with a week's notice and a $500 onboarding fee per
    // person: 4 x 50 x 40 x (20 + 1) + 4 x 500 = 170,000 planned. The
    // simulator pays until its (random) finish, and agrees within its CI.
    let (lp, sim, ci) =
        planned_and_simulated("pricing = \"time_and_materials\"\nnotice_weeks = 1\nonboarding_per_person = 500.0");
    assert!((lp - 170_000.0).abs() < 1e-6, "planned {lp}");
    assert!(
        ci > 0.0 && (lp - sim).abs() <= ci,
        "planned {lp}, simulated {sim} ± {ci}"
    );

    // A 30-week minimum commitment outlasts the work: 4 x 50 x 40 x 30.
    let (lp, sim, ci) = planned_and_simulated("pricing = \"time_and_materials\"\nmin_commit_weeks = 30");
    assert!((lp - 240_000.0).abs() < 1e-6, "planned {lp}");
    assert!((lp - sim).abs() <= ci + 1e-6, "planned {lp}, simulated {sim} ± {ci}");

    // Per item: 3,200 accepted items at $60 + 4 x 500 onboarding = 194,000,
    // whatever the hours; a minimum spend of 200,000 tops it up.
    let (lp, sim, ci) = planned_and_simulated(
        "pricing = \"per_item\"\nprice_per_item = { labels = 60.0 }\nonboarding_per_person = 500.0",
    );
    assert!((lp - 194_000.0).abs() < 1e-6, "planned {lp}");
    assert!((lp - sim).abs() <= ci + 1e-6, "planned {lp}, simulated {sim} ± {ci}");
    let (lp, sim, ci) = planned_and_simulated(
        "pricing = \"per_item\"\nprice_per_item = { labels = 60.0 }\nmin_commit_spend = 200000.0",
    );
    assert!((lp - 200_000.0).abs() < 1e-6, "planned {lp}");
    assert!((lp - sim).abs() <= ci + 1e-6, "planned {lp}, simulated {sim} ± {ci}");

    // Per item with defects: every item escapes with probability 0.1 (no
    // reviews), is found within the hour and reworked by the provider at its
    // own cost (a senior, unpaid here, triages in no time), and each escape claws back $10: the plan prices the expected
    // 320 escapes, the simulation a binomial count (so a CI that is not 0).
    // The rework needs 10 % more capacity, so the deadline is week 22.
    let text = static_plan("pricing = \"per_item\"\nprice_per_item = { labels = 60.0 }\nclawback_per_escape = 10.0")
        .replace("defect_rate = 0.0", "defect_rate = 0.1")
        .replace("deadline_weeks = 20", "deadline_weeks = 22")
        .replace(
            "[seniors]\ncount = 0",
            "[quality]\nescape_delay_weeks = 0.025\ntriage_hours = 0.0\n[seniors]\ncount = 1\nrate = 0.0",
        );
    let (lp, sim, ci) = planned_and_simulated_text(&text, false);
    assert!((lp - (3200.0 * 60.0 - 320.0 * 10.0)).abs() < 1e-6, "planned {lp}");
    assert!(
        ci > 0.0 && (lp - sim).abs() <= ci,
        "planned {lp}, simulated {sim} ± {ci}"
    );

    // Fixed: the price, with change orders for 200 items beyond a 3,000-item
    // scope at $40, and a milestone the plan meets (week 24, after the
    // deadline, so no credit): 150,000 + 8,000.
    let (lp, sim, ci) = planned_and_simulated(
        "pricing = \"fixed\"\nfixed_price = 150000.0\nscope_items = 3000\nchange_order_per_item = 40.0\nmilestones = [{ week = 24 }]\ncredit_per_week_late = 5000.0",
    );
    assert!((lp - 158_000.0).abs() < 1e-6, "planned {lp}");
    assert!((lp - sim).abs() <= ci + 1e-6, "planned {lp}, simulated {sim} ± {ci}");
}

#[test]
fn a_fixed_price_milestone_before_the_deadline_is_a_constraint_of_the_plan() {
    use podsim::plan::{self, Options, Outcome};
    // The team needs 20 weeks; a milestone for the whole backlog at week 10
    // cannot be met, so there is no plan (at week 24 there is, see above).
    let text = static_plan("pricing = \"fixed\"\nfixed_price = 150000.0\nmilestones = [{ week = 10 }]");
    let m = podsim::scenario::parse_str(&text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    let out = plan::optimise(&m, &Options::default(), &Default::default()).expect("optimiser runs");
    let Outcome::Infeasible(d) = out.outcome else {
        panic!("expected no plan: {:?}", out.outcome)
    };
    // The diagnosis names the milestone and what it lacks: half the work.
    let r = d
        .combined
        .iter()
        .find(|r| matches!(r.need, plan::diagnose::Need::Milestone { .. }))
        .unwrap_or_else(|| panic!("the milestone must give: {d:?}"));
    let words = podsim::output::plan::relaxation_words(r);
    assert!(
        words.contains("milestone 1 of contract \"terms\" (due week 10)"),
        "{words}"
    );
    assert!((r.amount - 1600.0).abs() < 1e-6, "{words}");
}

#[test]
fn a_per_item_provider_sharing_a_skill_with_another_channel_is_a_located_error() {
    let text = static_plan("pricing = \"per_item\"\nprice_per_item = { labels = 60.0 }").replace(
        "[optimise.channels.employee]\nmax = 0",
        "[optimise.channels.employee]\nmax = 3",
    );
    let e = podsim::scenario::parse_str(&text, "test.toml")
        .expect_err("refused")
        .to_string();
    assert!(e.contains("optimise.channels.employee"), "{e}");
    assert!(e.contains("whose person does which item"), "{e}");
    assert!(e.contains("test.toml:"), "not located: {e}");
}

// ---- Contract terms as sweep paths (docs/SWEEPS.md) ----

/// Rows of a CSV file as header -> value maps.
fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn a_sweep_over_a_per_item_price_changes_the_client_cost_linearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = Command::cargo_bin("podsim")
        .unwrap()
        .arg("sweep")
        .arg(root().join("scenarios/outcome-pricing.toml"))
        .args([
            "--vary",
            "contract.per_item.price_per_item.annotation=400,500,600",
            "--reps",
            "3",
            "--quiet",
            "--metric",
            "cost_total",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows = read_csv(&out.join("sweep.csv"));
    let cost = |strategy: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r["strategy"] == strategy && r["metric"] == "cost_total")
            .map(|r| r["mean"].parse().unwrap())
            .collect()
    };
    // The price changes no one's work (same replications at every point), so
    // each $100 on an annotation item adds 100 x 1,200 accepted items.
    let per_item = cost("pods, per item");
    assert_eq!(per_item.len(), 3);
    for w in per_item.windows(2) {
        assert!((w[1] - w[0] - 120_000.0).abs() < 1e-6 * w[0], "{per_item:?}");
    }
    // The other strategies do not use the contract: identical at every point.
    let hourly = cost("pods, time and materials");
    assert!(hourly.iter().all(|x| *x == hourly[0]), "{hourly:?}");
}

#[test]
fn contract_sweep_paths_are_checked_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for (vary, expected) in [
        (
            "contract.fixed.notice_weeks=1,2",
            "needs pricing = \"time_and_materials\"",
        ),
        (
            "contract.per_item.price_per_item.annotation=-5,10",
            "expected a number ≥ 0, got -5",
        ),
        ("contract.per_itme.fixed_price=1,2", "did you mean `per_item`"),
        (
            "contract.per_item.price_per_item.labels=1,2",
            "the file has: annotation, data_preparation",
        ),
    ] {
        let o = Command::cargo_bin("podsim")
            .unwrap()
            .arg("sweep")
            .arg(root().join("scenarios/outcome-pricing.toml"))
            .args(["--vary", vary, "--reps", "2", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{vary}: {stderr}");
        assert!(stderr.contains(expected), "{vary}: lacks {expected:?}:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{vary}: {stderr}");
    }
}

// ---- `explain`: contract terms are part of the pricing mechanism ----

#[test]
fn explain_switches_contract_terms_off_with_pricing() {
    use podsim::explain::{Game, Mechanism};
    use podsim::runner::{self, Control, Detail, Order, RepRange, Variant};
    use podsim::sim::M;
    // Time and materials with notice against per item: the same pods, only
    // the contract differs. With pricing off both are paid by the hour
    // without terms, so they are the same model: the base part is exactly 0
    // and the difference lies in pricing (and its interactions).
    let model = podsim::scenario::parse_str(&example(), "outcome-pricing.toml").unwrap();
    let mechs = [Mechanism::Pricing, Mechanism::Questions, Mechanism::Coordination];
    let game = Game::new(&model, &[(0, 1)], &mechs);
    let variants: Vec<Variant> = game
        .variants
        .iter()
        .map(|m| Variant { model: m, strategy: 0 })
        .collect();
    let mut values = vec![Vec::new(); variants.len()];
    runner::drive(
        &variants,
        5,
        RepRange { first: 0, count: 3 },
        Order::ByVariant,
        Detail::MetricsOnly,
        Control::none(),
        |v, _, r| values[v].push(r.metrics[M::CostTotal as usize]),
    )
    .expect("not cancelled");
    let a = game.pairs[0].attribute(M::CostTotal, &values, 0.95);
    assert_eq!(a.base.mean, 0.0, "base {:?}", a.base);
    assert_eq!(a.base.sd, 0.0);
    let pricing = a.parts.iter().find(|(m, _)| *m == Mechanism::Pricing).unwrap().1.mean;
    assert!(
        a.total.mean != 0.0 && pricing != 0.0,
        "total {:?}, pricing {pricing}",
        a.total
    );
    let sum: f64 = a.parts.iter().map(|(_, s)| s.mean).sum();
    assert!(
        (sum - a.total.mean).abs() <= 1e-9 * a.total.mean.abs(),
        "{sum} vs {:?}",
        a.total
    );
}
