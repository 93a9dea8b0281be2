//! `podsim explain` (docs/EXPLAIN.md): the Shapley parts sum exactly to the
//! paired difference in every replication, a difference the model does not
//! contain is attributed to nothing, and the command line behaves.

use assert_cmd::Command;
use podsim::explain::{Game, Mechanism};
use podsim::runner::{self, Control, Detail, Order, RepRange, Variant};
use podsim::scenario::parse_str;
use podsim::sim::M;
use std::fs;
use std::path::Path;

/// Two strategies with the same roster, channels and rates; the second
/// batches questions in office hours and scales with a bench.
const TWO: &str = r#"
name = "explain test"
horizon_weeks = 30
deadline_weeks = 6
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 120
effort_hours = { dist = "lognormal", mean = 3.0, cv = 0.5 }
questions_per_item = 0.8
[[workstream]]
name = "b"
skill = "data_quality"
backlog = 40
after = [{ stream = "a", fraction = 0.5 }]
effort_hours = { dist = "triangular", min = 1.0, mode = 2.0, max = 4.0 }
[seniors]
count = 2
[[strategy]]
name = "plain"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 4 },
        { role = "data_quality", channel = "employee", count = 2 }]
[[strategy]]
name = "batched"
structure = "individual"
interrupt_policy = "office_hours"
office_hours_every = 4
scaling = { policy = "elastic_bench", bench_max = 3 }
team = [{ role = "domain_expert", channel = "freelancer", count = 4 },
        { role = "data_quality", channel = "employee", count = 2 }]
"#;

const METRICS: [M; 4] = [
    M::FinishWeek,
    M::CostTotal,
    M::DeepFocusPerSeniorWeek,
    M::SeniorInterruptionsPerWeek,
];

/// values[metric][variant][rep] for the game's variants.
fn simulate(game: &Game, seed: u64, reps: u64) -> Vec<Vec<Vec<f64>>> {
    let variants: Vec<Variant> = game
        .variants
        .iter()
        .map(|m| Variant { model: m, strategy: 0 })
        .collect();
    let mut values = vec![vec![Vec::new(); variants.len()]; METRICS.len()];
    runner::drive(
        &variants,
        seed,
        RepRange { first: 0, count: reps },
        Order::ByVariant,
        Detail::MetricsOnly,
        Control::none(),
        |v, _, r| {
            for (k, m) in METRICS.iter().enumerate() {
                values[k][v].push(r.metrics[*m as usize]);
            }
        },
    )
    .expect("not cancelled");
    values
}

#[test]
fn parts_sum_to_the_total_and_a_shared_roster_leaves_no_base() {
    let model = parse_str(TWO, "two.toml").unwrap();
    let game = Game::new(&model, &[(0, 1)], &Mechanism::ALL);
    let pair = &game.pairs[0];
    // Neither strategy has pods: governance cannot matter.
    assert!(pair.inert.contains(&Mechanism::Governance), "{:?}", pair.inert);
    assert!(pair.active.contains(&Mechanism::Questions) && pair.active.contains(&Mechanism::Scaling));
    let values = simulate(&game, 7, 12);
    for (k, m) in METRICS.iter().enumerate() {
        let a = pair.attribute(*m, &values[k], 0.95);
        let scale = a.total.mean.abs().max(1.0);
        assert!(a.max_residual <= 1e-9 * scale, "{m:?}: residual {}", a.max_residual);
        // Same roster, channels and rates: with every mechanism off the two
        // strategies are the same model, so the base part is exactly 0.
        assert_eq!(a.base.mean, 0.0, "{m:?}: base {:?}", a.base);
        assert_eq!(a.base.sd, 0.0, "{m:?}");
        // The whole difference is in the parts, and a mechanism that
        // changes neither strategy has exactly nothing.
        let sum: f64 = a.parts.iter().map(|(_, s)| s.mean).sum();
        assert!(
            (sum - a.total.mean).abs() <= 1e-9 * scale,
            "{m:?}: {sum} vs {}",
            a.total.mean
        );
        let gov = a.parts.iter().find(|(mech, _)| *mech == Mechanism::Governance).unwrap();
        assert_eq!(gov.1.mean, 0.0);
    }
}

#[test]
fn a_difference_only_in_questions_is_attributed_to_questions() {
    // Only the interrupt policy differs, and only questions reach the
    // seniors: every mechanism other than questions has no effect without
    // questions, so the difference in interruptions is all "questions".
    let text = TWO
        .replace("scaling = { policy = \"elastic_bench\", bench_max = 3 }\n", "")
        .replace(
            "[seniors]\ncount = 2",
            "[seniors]\ncount = 2\n[quality]\ndetect_prob = 0.9",
        );
    let text = text.replace(
        "questions_per_item = 0.8",
        "questions_per_item = 0.8\ndefect_rate = 0.0",
    );
    let text = text.replace(
        "effort_hours = { dist = \"triangular\", min = 1.0, mode = 2.0, max = 4.0 }",
        "effort_hours = { dist = \"triangular\", min = 1.0, mode = 2.0, max = 4.0 }\ndefect_rate = 0.0",
    );
    let model = parse_str(&text, "q.toml").unwrap();
    let mechs = [Mechanism::Questions, Mechanism::Scaling, Mechanism::Governance];
    let game = Game::new(&model, &[(0, 1)], &mechs);
    let pair = &game.pairs[0];
    assert_eq!(pair.active, vec![Mechanism::Questions], "{:?}", pair.active);
    let values = simulate(&game, 3, 8);
    let k = METRICS
        .iter()
        .position(|m| *m == M::SeniorInterruptionsPerWeek)
        .unwrap();
    let a = pair.attribute(M::SeniorInterruptionsPerWeek, &values[k], 0.95);
    assert!(a.total.mean < 0.0, "office hours interrupt less: {:?}", a.total);
    let q = a.parts.iter().find(|(m, _)| *m == Mechanism::Questions).unwrap().1.mean;
    assert!((q - a.total.mean).abs() < 1e-9, "{q} vs {}", a.total.mean);
}

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

#[test]
fn cli_writes_explain_files_and_rejects_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let scen = dir.path().join("two.toml");
    fs::write(&scen, TWO).unwrap();
    let out = dir.path().join("out");
    let assert = podsim()
        .args([
            "explain",
            "--reps",
            "4",
            "--quiet",
            "--no-charts",
            "--metric",
            "finish_week,cost_total",
            "--out",
        ])
        .arg(&out)
        .arg(&scen)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("\"batched\" minus \"plain\""), "{stdout}");
    assert!(stdout.contains("questions & interruptions"), "{stdout}");
    let csv = fs::read_to_string(out.join("explain.csv")).unwrap();
    assert!(csv.starts_with("a,b,metric,part,mean,ci_low,ci_high,sd,n\n"), "{csv}");
    assert!(csv.contains("plain,batched,finish_week,total,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(out.join("explain.json")).unwrap()).unwrap();
    assert_eq!(json["replications"], 4);
    assert!(json["scenario_sha256"].as_str().unwrap().len() == 64);

    // The same files for any thread count (the timing block aside).
    let out1 = dir.path().join("out1");
    podsim()
        .args(["explain", "--reps", "4", "--quiet", "--no-charts", "--threads", "1"])
        .args(["--metric", "finish_week,cost_total", "--out"])
        .arg(&out1)
        .arg(&scen)
        .assert()
        .success();
    assert_eq!(csv, fs::read_to_string(out1.join("explain.csv")).unwrap());

    let bad = |args: &[&str], says: &str| {
        let a = podsim()
            .arg("explain")
            .args(args)
            .arg(&scen)
            .args(["--out"])
            .arg(dir.path().join("bad"))
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(err.contains(says), "{args:?}: {err}");
    };
    bad(&["--metric", "finish_weeks"], "did you mean `finish_week`");
    bad(&["--versus", "plain,batchd"], "did you mean \"batched\"");
    bad(&["--versus", "plain"], "expected two strategies");
    bad(&["--mechanisms", "coordinaton"], "no mechanism is named `coordinaton`");
    let one = dir.path().join("one.toml");
    fs::write(&one, TWO.split("[[strategy]]\nname = \"batched\"").next().unwrap()).unwrap();
    let a = podsim().args(["explain", "--quiet"]).arg(&one).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("only one"));
    assert!(!Path::new(&dir.path().join("bad")).join("explain.csv").exists());
}

/// docs/EXPLAIN.md's excerpt is this command's output, so it cannot go
/// stale. Ignored (a minute in a debug build); `.ci/run` runs it in release.
/// `PODSIM_BLESS=1 cargo test --release --test it explain::docs -- --ignored`
/// rewrites it after a change meant to move the numbers.
#[test]
#[ignore]
fn docs_explain_excerpt_is_the_commands_output() {
    const START: &str = "<!-- explain excerpt: generated by tests/it/explain.rs (PODSIM_BLESS=1 cargo test --release --test it explain::docs -- --ignored) -->\n```\n";
    const END: &str = "```\n<!-- end explain excerpt -->";
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = podsim()
        .current_dir(root)
        .args([
            "explain",
            "scenarios/pod-vs-individual.toml",
            "--versus",
            "individual,pods",
        ])
        .args(["--metric", "cost_total,deep_focus_h_per_senior_week,finish_week"])
        .args(["--quiet", "--no-charts", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let excerpt = format!("{}\n", stdout.trim_matches('\n'));
    let path = root.join("docs/EXPLAIN.md");
    let doc = fs::read_to_string(&path).unwrap();
    let start = doc.find(START).expect("docs/EXPLAIN.md lacks the excerpt start marker") + START.len();
    let end = start
        + doc[start..]
            .find(END)
            .expect("docs/EXPLAIN.md lacks the excerpt end marker");
    if std::env::var_os("PODSIM_BLESS").is_some() {
        fs::write(&path, format!("{}{excerpt}{}", &doc[..start], &doc[end..])).unwrap();
        return;
    }
    assert!(
        doc[start..end] == excerpt,
        "docs/EXPLAIN.md's excerpt is stale; run `PODSIM_BLESS=1 cargo test --release --test it \
         explain::docs -- --ignored` and commit it.\nnow:\n{excerpt}"
    );
}

/// A run's report says how to see why its strategies differ, with the exact
/// command; once `podsim explain` has run into the same folder, the report
/// shows the explanation instead.
#[test]
fn report_points_to_explain_until_it_has_run_then_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let scen = dir.path().join("two.toml");
    fs::write(&scen, TWO).unwrap();
    let out = dir.path().join("out");
    let run = podsim()
        .args(["run", "--reps", "4", "--seed", "7", "--report", "--out"])
        .arg(&out)
        .arg(&scen)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        err.contains("which mechanisms and inputs produce these differences: `podsim explain"),
        "{err}"
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let hint = format!("podsim explain {} --seed 7 --out {}", scen.display(), out.display());
    assert!(
        md.contains("## Why the strategies differ\n\nNot computed for this folder"),
        "{md}"
    );
    assert!(md.contains(&hint), "{md}");

    podsim()
        .args([
            "explain",
            "--reps",
            "4",
            "--seed",
            "7",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out)
        .arg(&scen)
        .assert()
        .success();
    podsim().arg("report").arg(&out).assert().success();
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("## Why the strategies differ\n\nEach paired difference is split"),
        "{md}"
    );
    assert!(!md.contains("Not computed for this folder"), "{md}");
}
