//! Property tests: random valid scenarios never panic and keep the
//! conservation invariants; scenarios round-trip through TOML; random
//! invalid or truncated input is an error, never a panic.

use podsim::runner::{self, RepRange};
use podsim::scenario::{parse_raw, parse_str};
use proptest::prelude::*;

const SKILLS: [&str; 4] = ["domain_expert", "data_quality", "ops", "ml_engineer"];

fn dist() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.5f64..8.0).prop_map(|v| format!("{{ dist = \"fixed\", value = {v} }}")),
        (0.5f64..8.0).prop_map(|m| format!("{{ dist = \"exponential\", mean = {m} }}")),
        (0.5f64..8.0, 0.1f64..1.5).prop_map(|(m, c)| format!("{{ dist = \"lognormal\", mean = {m}, cv = {c} }}")),
        (0.5f64..8.0, 0.1f64..1.5).prop_map(|(m, c)| format!("{{ dist = \"gamma\", mean = {m}, cv = {c} }}")),
        (0.1f64..2.0, 0.0f64..3.0, 0.1f64..3.0).prop_map(|(a, b, c)| format!(
            "{{ dist = \"triangular\", min = {a}, mode = {}, max = {} }}",
            a + b,
            a + b + c
        )),
        (0.1f64..2.0, 0.1f64..5.0).prop_map(|(a, w)| format!("{{ dist = \"uniform\", min = {a}, max = {} }}", a + w)),
    ]
}

#[derive(Debug, Clone)]
struct Ws {
    skill: usize,
    backlog: u32,
    arrivals: f64,
    surge: bool,
    effort: String,
    gate: Option<f64>,
    defect: f64,
    questions: f64,
}

fn workstream() -> impl Strategy<Value = Ws> {
    (
        0usize..4,
        0u32..120,
        prop_oneof![Just(0.0), 1.0f64..30.0],
        any::<bool>(),
        dist(),
        proptest::option::of(0.0f64..1.0),
        0.0f64..0.3,
        0.0f64..2.0,
    )
        .prop_map(
            |(skill, backlog, arrivals, surge, effort, gate, defect, questions)| Ws {
                skill,
                backlog: if backlog == 0 && arrivals == 0.0 { 10 } else { backlog },
                arrivals,
                surge,
                effort,
                gate,
                defect,
                questions,
            },
        )
}

#[derive(Debug, Clone)]
struct St {
    pods: bool,
    office_hours: bool,
    scaling: usize,
    channel: usize,
    extra: u32,
    plan: Option<(u32, i32)>,
}

fn strategy() -> impl Strategy<Value = St> {
    (
        any::<bool>(),
        any::<bool>(),
        0usize..3,
        0usize..4,
        0u32..4,
        proptest::option::of((1u32..15, -2i32..4)),
    )
        .prop_map(|(pods, office_hours, scaling, channel, extra, plan)| St {
            pods,
            office_hours,
            scaling,
            channel,
            extra,
            plan,
        })
}

fn scenario_text(ws: &[Ws], sts: &[St], seniors: u32, attrition: f64, deadline: bool) -> String {
    let mut t = format!(
        "name = \"random\"\nhorizon_weeks = 20\nseed = 3\n{}",
        if deadline { "deadline_weeks = 10\n" } else { "" }
    );
    for (i, w) in ws.iter().enumerate() {
        t += &format!(
            "[[workstream]]\nname = \"w{i}\"\nskill = \"{}\"\nbacklog = {}\narrivals_per_week = {}\neffort_hours = {}\ndefect_rate = {}\nquestions_per_item = {}\n",
            SKILLS[w.skill], w.backlog, w.arrivals, w.effort, w.defect, w.questions
        );
        if w.surge && w.arrivals > 0.0 {
            t += "surge = [{ from_week = 2, to_week = 5, factor = 3.0 }]\n";
        }
        // Gates only point to earlier streams with a backlog: never a cycle.
        if let (Some(f), Some(j)) = (w.gate, (0..i).rev().find(|&j| ws[j].backlog > 0)) {
            t += &format!("after = [{{ stream = \"w{j}\", fraction = {f} }}]\n");
        }
    }
    t += &format!(
        "[seniors]\ncount = {seniors}\n[channels.freelancer]\nmean_tenure_weeks = {}\n",
        2.0 + 20.0 * (1.0 - attrition)
    );
    t += &format!("[channels.pod]\nattrition_per_year = {attrition}\n");
    let channels = ["employee", "freelancer", "pod", "bench"];
    for (i, s) in sts.iter().enumerate() {
        let ch = channels[s.channel];
        t += &format!(
            "[[strategy]]\nname = \"s{i}\"\nstructure = \"{}\"\n",
            if s.pods { "pods" } else { "individual" }
        );
        if s.office_hours && !s.pods {
            t += "interrupt_policy = \"office_hours\"\noffice_hours_every = 3\n";
        }
        let policy = ["static", "hiring", "elastic_bench"][s.scaling];
        t += &format!("scaling = {{ policy = \"{policy}\", bench_max = 3, max_hires = 3 }}\n");
        let mut team = Vec::new();
        for skill in SKILLS {
            if ws.iter().any(|w| SKILLS[w.skill] == skill) {
                team.push(format!(
                    "{{ role = \"{skill}\", channel = \"{ch}\", count = {} }}",
                    1 + s.extra
                ));
            }
        }
        t += &format!("team = [{}]\n", team.join(", "));
        if let Some((week, n)) = s.plan {
            if n != 0 {
                let skill = SKILLS[ws[0].skill];
                t += &format!("plan = [{{ week = {week}, role = \"{skill}\", channel = \"{ch}\", count = {n} }}]\n");
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_run_and_conserve(
        ws in proptest::collection::vec(workstream(), 1..4),
        sts in proptest::collection::vec(strategy(), 1..4),
        seniors in 1u32..4,
        attrition in 0.0f64..0.9,
        deadline in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let text = scenario_text(&ws, &sts, seniors, attrition, deadline);
        let model = parse_str(&text, "random.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let res = runner::run(&model, seed, RepRange { first: 0, count: 2 }, runner::Control::none()).expect("never cancelled");
        for (s, reps) in res.reps.iter().enumerate() {
            for r in reps {
                prop_assert!(r.invariant_violation.is_none(), "strategy {}: {:?}\n{}", s, r.invariant_violation, text);
                prop_assert!(r.metrics.iter().all(|x| !x.is_infinite()), "infinite metric\n{}", text);
            }
        }
    }

    #[test]
    fn scenarios_round_trip_through_toml(
        ws in proptest::collection::vec(workstream(), 1..4),
        sts in proptest::collection::vec(strategy(), 1..3),
        seniors in 1u32..4,
        attrition in 0.0f64..0.9,
    ) {
        let text = scenario_text(&ws, &sts, seniors, attrition, true);
        let model = parse_str(&text, "a.toml").map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let raw = parse_raw(&text, "a.toml").map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let written = toml::to_string(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = parse_str(&written, "b.toml").map_err(|e| TestCaseError::fail(format!("{e}\n{written}")))?;
        prop_assert!(model == again, "model changed through write + parse:\n{}", written);
    }

    #[test]
    fn truncated_or_mutated_input_is_an_error_not_a_panic(
        cut in 0usize..2000,
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..6),
    ) {
        let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/pod-vs-individual.toml")).unwrap();
        let mut bytes = base.into_bytes();
        bytes.truncate(cut.min(bytes.len()));
        let n = bytes.len().max(1);
        for (pos, b) in flips {
            if !bytes.is_empty() {
                bytes[pos % n] = b;
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        // Ok or a located error; a panic fails the test.
        if let Err(e) = parse_str(&text, "mutated.toml") {
            prop_assert!(!e.message.is_empty());
        }
    }
}
