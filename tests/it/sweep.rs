//! `podsim sweep` and `podsim sensitivity` as a user meets them: the
//! directions MODEL.md predicts, a known break-even found, errors that exit
//! 2 with the path named, and byte-identical files for any thread count.

use assert_cmd::Command;
use std::collections::HashMap;
use std::fs;
use std::path::Path;

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

/// Rows of a CSV file as header -> value maps.
fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header.iter().cloned().zip(rec.iter().map(str::to_string)).collect()
        })
        .collect()
}

/// The first line of a file: the CSV columns the charts read (docs/SWEEPS.md).
fn header(path: &Path) -> String {
    fs::read_to_string(path).unwrap().lines().next().unwrap().to_string()
}

fn f(row: &HashMap<String, String>, col: &str) -> f64 {
    row[col].parse().unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

/// 24 domain experts in pods whose count follows from pod_size.
const PODS: &str = r#"
name = "pod size"
horizon_weeks = 104
[[workstream]]
name = "annotation"
skill = "domain_expert"
backlog = 600
effort_hours = { dist = "lognormal", mean = 4.0, cv = 0.5 }
questions_per_item = 0.3
[seniors]
count = 2
[[strategy]]
name = "individual"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 24 }]
[[strategy]]
name = "pods"
structure = "pods"
pods = { max_size = 12 }
team = [{ role = "domain_expert", channel = "pod", count = 24 }]
"#;

#[test]
fn pod_size_sweep_coordination_grows_with_group_size() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "pods.toml", PODS);
    let out = dir.path().join("out");
    let o = podsim()
        .arg("sweep")
        .arg(&scenario)
        .args([
            "--vary",
            "strategy.pods.pod_size=4,6,8,12",
            "--reps",
            "4",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .args(["--metric", "coordination_hours"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("coordination_hours"), "{stdout}");
    let rows = read_csv(&out.join("sweep.csv"));
    let coord = |strategy: &str| -> Vec<f64> {
        rows.iter()
            .filter(|r| r["strategy"] == strategy && r["metric"] == "coordination_hours")
            .map(|r| f(r, "mean"))
            .collect()
    };
    // MODEL.md §5: f(n) = c n^2 per person; pods of 4, 6, 8, 12 (+ lead).
    let pods = coord("pods");
    assert_eq!(pods.len(), 4);
    assert!(pods.windows(2).all(|w| w[1] > w[0]), "pods: {pods:?}");
    // The individual strategy is untouched by pod size: identical at every
    // point (same replications, simulated once).
    let ind = coord("individual");
    assert!(ind.iter().all(|x| *x == ind[0]), "individual: {ind:?}");
    let points: Vec<f64> = rows
        .iter()
        .filter(|r| r["strategy"] == "pods" && r["metric"] == "coordination_hours")
        .map(|r| f(r, "strategy.pods.pod_size"))
        .collect();
    assert_eq!(points, vec![4.0, 6.0, 8.0, 12.0]);
    let info: serde_json::Value = serde_json::from_slice(&fs::read(out.join("sweep.json")).unwrap()).unwrap();
    assert_eq!(info["points"], 4);
    assert_eq!(info["distinct_simulations"], 5);
    assert_eq!(info["parameters"][0]["locations"][0], "strategy[1].pods.pod_size");
}

/// Freelancers do the work; the bench channel is written but nobody uses it.
const UNUSED_CHANNEL: &str = r#"
name = "unused channel"
horizon_weeks = 60
[[workstream]]
name = "annotation"
skill = "domain_expert"
backlog = 300
effort_hours = { dist = "lognormal", mean = 3.0, cv = 0.5 }
questions_per_item = 0.5
[seniors]
count = 2
rate = 120.0
[channels.freelancer]
rate = 60.0
[channels.bench]
rate = 70.0
[[strategy]]
name = "freelancers"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 8 }]
"#;

#[test]
fn sensitivity_ranks_a_parameter_without_effect_last() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "s.toml", UNUSED_CHANNEL);
    let out = dir.path().join("out");
    let o = podsim()
        .arg("sensitivity")
        .arg(&scenario)
        .args(["--metric", "cost_total", "--reps", "5", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        header(&out.join("sensitivity.csv")),
        "strategy,metric,rank,parameter,base_value,low_value,high_value,base_mean,base_ci_low,base_ci_high,\
         low_mean,low_ci_low,low_ci_high,high_mean,high_ci_low,high_ci_high,effect,effect_ci_low,effect_ci_high,n,note,label,range"
    );
    let rows = read_csv(&out.join("sensitivity.csv"));
    let params: Vec<&str> = rows.iter().map(|r| r["parameter"].as_str()).collect();
    for p in [
        "workstream.annotation.backlog",
        "workstream.annotation.effort_hours.mean",
        "seniors.rate",
        "channels.freelancer.rate",
        "channels.bench.rate",
        "strategy.freelancers.team[0].count",
    ] {
        assert!(params.contains(&p), "{p} missing from {params:?}");
    }
    let last = rows.last().unwrap();
    assert_eq!(last["parameter"], "channels.bench.rate");
    assert_eq!(f(last, "rank") as usize, rows.len());
    assert_eq!(f(last, "effect"), 0.0);
    assert_eq!((f(last, "effect_ci_low"), f(last, "effect_ci_high")), (0.0, 0.0));
    assert_eq!((f(last, "low_value"), f(last, "high_value")), (56.0, 84.0));
    // Every other parameter moves the cost; the freelancers' rate by about
    // 2 x 20 % of the contributors' share of it.
    for r in &rows[..rows.len() - 1] {
        assert!(f(r, "effect") != 0.0, "{}", r["parameter"]);
    }
    let rate = rows
        .iter()
        .find(|r| r["parameter"] == "channels.freelancer.rate")
        .unwrap();
    assert!(f(rate, "effect") > 0.0 && f(rate, "effect_ci_low") > 0.0);
    // Ranked by the size of the effect.
    let sizes: Vec<f64> = rows.iter().map(|r| f(r, "effect").abs()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("freelancers — cost_total as written"), "{stdout}");
}

/// Sensitivity says how many defaults it left at their value, and
/// `--with-defaults` ranks them beside what the file writes: a default the
/// file never mentions (the freelancers' productivity) moves the cost.
#[test]
fn sensitivity_with_defaults_ranks_what_the_file_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "s.toml", UNUSED_CHANNEL);
    let run = |extra: &[&str], out: &str| {
        let o = podsim()
            .arg("sensitivity")
            .arg(&scenario)
            .args(["--metric", "cost_total", "--reps", "3", "--no-charts", "--out"])
            .arg(dir.path().join(out))
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        o
    };
    let plain = run(&[], "plain");
    let stdout = String::from_utf8_lossy(&plain.stdout).to_string();
    let info: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("plain/sensitivity.json")).unwrap()).unwrap();
    let left = info["defaults_not_varied"].as_u64().unwrap();
    assert!(left > 20, "{info}");
    assert!(
        stdout.contains(&format!("{left} numeric default(s) the file leaves out")),
        "{stdout}"
    );
    let written = read_csv(&dir.path().join("plain/sensitivity.csv"));
    assert!(!written
        .iter()
        .any(|r| r["parameter"] == "channels.freelancer.productivity"));

    run(&["--with-defaults"], "full");
    let rows = read_csv(&dir.path().join("full/sensitivity.csv"));
    let info: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("full/sensitivity.json")).unwrap()).unwrap();
    assert_eq!(info["defaults_not_varied"], 0);
    // Everything written, plus the defaults: the run with defaults covers both.
    assert_eq!(rows.len() as u64, written.len() as u64 + left);
    for r in &written {
        assert!(
            rows.iter().any(|q| q["parameter"] == r["parameter"]),
            "{}",
            r["parameter"]
        );
    }
    // Faster freelancers finish sooner and cost less.
    let p = rows
        .iter()
        .find(|r| r["parameter"] == "channels.freelancer.productivity")
        .expect("a default is varied");
    assert_eq!((f(p, "low_value"), f(p, "high_value")), (0.8, 1.2));
    assert!(f(p, "effect_ci_high") < 0.0, "{p:?}");
    // As written, the same simulation: the base mean is unchanged.
    assert_eq!(rows[0]["base_mean"], written[0]["base_mean"]);
}

/// Writing the defaults in (`podsim show`) describes the same model for
/// every shipped scenario, so `--with-defaults` starts where the file does.
#[test]
fn every_example_with_its_defaults_written_is_the_same_model() {
    for entry in fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let loaded = podsim::scenario::load(&path).unwrap();
        let base = podsim::sweep::Base::new(&loaded).unwrap();
        let full = base
            .with_defaults_written()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(full.model, base.model, "{}", path.display());
        let written = podsim::sweep::path::enumerate(&base.doc, false).len();
        let all = podsim::sweep::path::enumerate(&full.doc, false).len();
        assert!(all > written, "{}: {all} vs {written}", path.display());
    }
}

/// Brooks (MODEL.md §5): fixed effort, no randomness, one group each. 60
/// items of 100 h: ten people finish 6 items each in 600 / (1 - 100c) h,
/// twenty people 3 each in 300 / (1 - 400c) h: equal at c = 1/700.
const BROOKS: &str = r#"
name = "brooks pair"
horizon_weeks = 2000
[[workstream]]
name = "w"
skill = "ml_engineer"
backlog = 60
effort_hours = { dist = "fixed", value = 100.0 }
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = 0.0006
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "ten"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{ role = "ml_engineer", channel = "employee", count = 10 }]
[[strategy]]
name = "twenty"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{ role = "ml_engineer", channel = "employee", count = 20 }]
"#;

#[test]
fn breakeven_finds_the_brooks_crossing_within_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "brooks.toml", BROOKS);
    let out = dir.path().join("out");
    let tol = 1e-6;
    let o = podsim()
        .arg("sweep")
        .arg(&scenario)
        .args([
            "--find",
            "overhead.coefficient",
            "--between",
            "0.0002,0.002",
            "--metric",
            "finish_week",
            "--strategies",
            "ten,twenty",
            "--tol",
            "1e-6",
            "--reps",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let exact = 1.0 / 700.0;
    // The closed form agrees with stats::brooks_completion.
    let t = |n, c| podsim::stats::brooks_completion(6000.0, n, c, 0.8);
    assert!((t(10, exact) - t(20, exact)).abs() < 1e-9);
    let info: serde_json::Value = serde_json::from_slice(&fs::read(out.join("breakeven.json")).unwrap()).unwrap();
    let be = &info["breakeven"];
    let [lo, hi] = [be["bracket"][0].as_f64().unwrap(), be["bracket"][1].as_f64().unwrap()];
    assert!(lo <= exact && exact <= hi && hi - lo <= tol, "bracket [{lo}, {hi}]");
    let x = be["crossing"].as_f64().unwrap();
    assert!((x - exact).abs() <= tol, "crossing {x} vs {exact}");
    assert_eq!(be["sign_at_ends"], serde_json::json!([-1, 1]));
    // No randomness: the CI is a point, so the uncertainty is the bracket.
    assert_eq!(be["ci_contains_zero"][0].as_f64(), Some(lo));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Break-even: overhead.coefficient ≈ 0.0014286"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Below it \"twenty\" has the lower finish_week"),
        "{stdout}"
    );
    assert_eq!(
        header(&out.join("breakeven.csv")),
        "value,purpose,a_mean,a_ci_low,a_ci_high,b_mean,b_ci_low,b_ci_high,diff_mean,diff_ci_low,diff_ci_high,n"
    );
    let evals = read_csv(&out.join("breakeven.csv"));
    assert!(evals.len() >= 10 && evals.iter().any(|r| r["purpose"] == "crossing"));

    // Same pair over a range without the crossing: said plainly.
    let o = podsim()
        .arg("sweep")
        .arg(&scenario)
        .args([
            "--find",
            "overhead.coefficient",
            "--between",
            "0.0002,0.001",
            "--metric",
            "finish_week",
            "--strategies",
            "ten,twenty",
            "--reps",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success());
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("No crossing in the range"), "{stdout}");
    assert!(stdout.contains("\"twenty\" is lower than \"ten\""), "{stdout}");
}

#[test]
fn breakeven_on_a_whole_number_field() {
    // No overhead: 60 items of 100 h shared by n people finish after
    // ceil(60 / n) x 100 h; ten people take 600 h, and so does a team of n
    // = 10 or 11. Bisecting the second team's size finds that tie.
    let text = BROOKS.replace("coefficient = 0.0006", "coefficient = 0.0");
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "b.toml", &text);
    let out = dir.path().join("out");
    let o = podsim()
        .arg("sweep")
        .arg(&scenario)
        .args([
            "--find",
            "strategy.twenty.team[0].count",
            "--between",
            "2,20",
            "--metric",
            "finish_week",
            "--strategies",
            "ten,twenty",
            "--reps",
            "2",
            "--quiet",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let x = v["run"]["breakeven"]["crossing"].as_f64().unwrap();
    assert!(x == 10.0 || x == 11.0, "crossing {x}");
    for e in v["evaluations"].as_array().unwrap() {
        let n = e["value"].as_f64().unwrap();
        assert_eq!(n.fract(), 0.0);
        let expected = ((60.0 / n).ceil() - 6.0) * 100.0 / 40.0;
        assert!(
            (e["difference"]["mean"].as_f64().unwrap() - expected).abs() < 1e-9,
            "n = {n}"
        );
    }
}

#[test]
fn pareto_marks_dominated_points() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = podsim()
        .arg("sweep")
        .arg(root().join("scenarios/pod-vs-individual.toml"))
        .args([
            "--vary",
            "strategy.pods.pods.count=3,4",
            "--pareto",
            "cost_total,deep_focus_h_per_senior_week",
            "--reps",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        header(&out.join("sweep.csv")),
        "point,strategy.pods.pods.count,strategy,metric,n,mean,sd,ci_low,ci_high,p10,p50,p85,p95,min,max,pareto"
    );
    assert_eq!(
        header(&out.join("pareto.csv")),
        "point,strategy.pods.pods.count,strategy,cost_total_mean,cost_total_ci_low,cost_total_ci_high,\
         deep_focus_h_per_senior_week_mean,deep_focus_h_per_senior_week_ci_low,deep_focus_h_per_senior_week_ci_high,\
         pareto,dominated_by_point,dominated_by_strategy"
    );
    let rows = read_csv(&out.join("pareto.csv"));
    assert_eq!(rows.len(), 10, "2 points x 5 strategies");
    let cost = |r: &HashMap<String, String>| f(r, "cost_total_mean");
    let focus = |r: &HashMap<String, String>| f(r, "deep_focus_h_per_senior_week_mean");
    let dominated_by = |a: &HashMap<String, String>, b: &HashMap<String, String>| {
        cost(b) <= cost(a) && focus(b) >= focus(a) && (cost(b) < cost(a) || focus(b) > focus(a))
    };
    for r in &rows {
        let beaten = rows.iter().any(|o| dominated_by(r, o));
        assert_eq!(r["pareto"] == "dominated", beaten, "{r:?}");
        if r["pareto"] == "dominated" {
            let by = rows
                .iter()
                .find(|o| o["point"] == r["dominated_by_point"] && o["strategy"] == r["dominated_by_strategy"])
                .unwrap();
            assert!(dominated_by(r, by) && by["pareto"] == "frontier");
        }
    }
    assert!(rows
        .iter()
        .any(|r| r["strategy"] == "individual" && r["pareto"] == "dominated"));
    // The same marks in sweep.csv, on every metric row of the cell.
    let sweep = read_csv(&out.join("sweep.csv"));
    for r in &rows {
        assert!(sweep
            .iter()
            .filter(|s| s["point"] == r["point"] && s["strategy"] == r["strategy"])
            .all(|s| s["pareto"] == r["pareto"]));
    }
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Pareto frontier (cost_total lower is better, deep_focus_h_per_senior_week higher is better")
    );
}

fn sweep_to(dir: &Path, threads: &str) {
    podsim()
        .env("RAYON_NUM_THREADS", threads)
        .arg("sweep")
        .arg(root().join("scenarios/senior-interruptions.toml"))
        .args([
            "--vary",
            "seniors.resume_minutes=6,12",
            "--vary",
            "workstream.annotation.questions_per_item=0.5,1",
            "--pareto",
            "cost_total,finish_week",
            "--reps",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(dir)
        .assert()
        .success();
    podsim()
        .env("RAYON_NUM_THREADS", threads)
        .arg("sensitivity")
        .arg(root().join("scenarios/senior-interruptions.toml"))
        .args([
            "--metric",
            "deep_focus_h_per_senior_week",
            "--reps",
            "3",
            "--quiet",
            "--out",
        ])
        .arg(dir.join("sens"))
        .assert()
        .success();
}

#[test]
fn sweep_files_are_byte_identical_for_any_thread_count() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    sweep_to(a.path(), "1");
    sweep_to(b.path(), "2");
    for f in ["sweep.csv", "pareto.csv", "sens/sensitivity.csv"] {
        let x = fs::read(a.path().join(f)).unwrap();
        let y = fs::read(b.path().join(f)).unwrap();
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    let rows = read_csv(&a.path().join("sweep.csv"));
    assert_eq!(
        rows.iter().filter(|r| r["metric"] == "finish_week").count(),
        4 * 3,
        "2 x 2 grid x 3 strategies"
    );
    // The first axis varies slowest.
    let first: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r["metric"] == "finish_week" && r["strategy"] == "pods")
        .map(|r| {
            (
                r["seniors.resume_minutes"].clone(),
                r["workstream.annotation.questions_per_item"].clone(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [("6", "0.5"), ("6", "1"), ("12", "0.5"), ("12", "1")].map(|(a, b)| (a.to_string(), b.to_string()))
    );
}

/// (arguments after the scenario, words stderr must contain)
fn bad_invocations() -> Vec<(Vec<&'static str>, Vec<&'static str>)> {
    vec![
        (
            vec!["--vary", "overhead.coeficient=0.1"],
            vec!["did you mean `coefficient`"],
        ),
        (
            vec!["--vary", "strategy.pods.pod_sise=4"],
            vec!["did you mean `pod_size`"],
        ),
        (
            vec!["--vary", "workstream.anotation.backlog=4"],
            vec!["did you mean `annotation`"],
        ),
        (
            vec!["--vary", "overhead.cap=0.5,0.99"],
            vec!["`overhead.cap`", "0.99", "at sweep point `overhead.cap = 0.99`"],
        ),
        (
            vec!["--vary", "strategy.pods.pods.count=1"],
            vec!["strategy[1].pods.count", "at sweep point"],
        ),
        (vec!["--vary", "seniors.count=1.5"], vec!["whole numbers", "1.5"]),
        (vec!["--vary", "seniors.count=1..3"], vec!["needs a step"]),
        (vec!["--vary", "seniors.count"], vec!["PATH=VALUES"]),
        (vec!["--vary", "seed=1,2"], vec!["--seed"]),
        (
            vec!["--vary", "strategy.individual.pods.pod_size=4"],
            vec!["structure = \"pods\""],
        ),
        (
            vec!["--vary", "seniors.count=1,2", "--vary", "seniors.count=3"],
            vec!["already varied or set by --vary seniors.count"],
        ),
        (
            vec!["--set", "seniors.count=3", "--vary", "seniors.count=2,4"],
            vec!["already varied or set by --set seniors.count"],
        ),
        (vec!["--set", "seniors.count=3,4"], vec!["expected one value"]),
        (
            vec!["--set", "overhead.cap=0.99"],
            vec!["`overhead.cap`", "at sweep point `overhead.cap = 0.99`"],
        ),
        (vec!["--metric", "cost_totl"], vec!["did you mean `cost_total`"]),
        (vec!["--strategies", "pod"], vec!["did you mean \"pods\""]),
        (vec!["--pareto", "cost_total"], vec!["two metrics"]),
        (
            vec!["--pareto", "utilisation.ops,cost_total"],
            vec!["utilisation.ops:max"],
        ),
        (
            vec![
                "--find",
                "overhead.coefficient",
                "--between",
                "0.002,0.001",
                "--metric",
                "cost_total",
                "--strategies",
                "individual,pods",
            ],
            vec!["LO < HI"],
        ),
        (
            vec![
                "--find",
                "overhead.coefficient",
                "--between",
                "0.001,0.002",
                "--metric",
                "cost_total",
                "--strategies",
                "individual",
            ],
            vec!["exactly two"],
        ),
        (
            vec![
                "--find",
                "overhead.cap",
                "--between",
                "0.5,0.99",
                "--metric",
                "cost_total",
                "--strategies",
                "individual,pods",
            ],
            vec!["0.99", "`overhead.cap`"],
        ),
        (
            vec!["--find", "overhead.cap", "--metric", "cost_total"],
            vec!["--between"],
        ),
    ]
}

#[test]
fn bad_paths_values_and_points_exit_2_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    for (args, words) in bad_invocations() {
        let o = podsim()
            .arg("sweep")
            .arg(root().join("scenarios/pod-vs-individual.toml"))
            .args(&args)
            .args(["--reps", "1", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        for w in words {
            assert!(stderr.contains(w), "{args:?}: lacks {w:?}:\n{stderr}");
        }
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // Sensitivity: unknown metric, parameter and bad delta.
    for (args, word) in [
        (vec!["--metric", "cost"], "did you mean"),
        (
            vec!["--metric", "cost_total", "--params", "seniors.cont"],
            "did you mean `count`",
        ),
        (vec!["--metric", "cost_total", "--delta", "1.5"], "--delta"),
        (
            vec!["--metric", "cost_total", "--params", "seniors.handling_minutes.mean"],
            "not set in the scenario file",
        ),
        (vec!["--metric", "cost_total", "--versus", "pods"], "two strategies"),
    ] {
        let o = podsim()
            .arg("sensitivity")
            .arg(root().join("scenarios/pod-vs-individual.toml"))
            .args(&args)
            .args(["--reps", "1", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(word), "{args:?}: lacks {word:?}:\n{stderr}");
    }
}

#[test]
fn sensitivity_of_a_difference_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let o = podsim()
        .arg("sensitivity")
        .arg(root().join("scenarios/senior-interruptions.toml"))
        .args([
            "--metric",
            "cost_total",
            "--versus",
            "immediate,pods",
            "--params",
            "strategy.\"office hours (4 h)\".office_hours_every,workstream.annotation.questions_per_item,seniors.rate,strategy.pods.pods.count",
            "--reps",
            "4",
            "--format",
            "json",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    // A field of a third strategy touches neither: ranked after the others.
    let last = &rows[3];
    assert_eq!(last["parameter"], "strategy.\"office hours (4 h)\".office_hours_every");
    assert_eq!(last["effect"]["mean"], 0.0);
    assert!(last["note"].as_str().unwrap().contains("does not change"), "{last}");
    assert!(rows.iter().all(|r| r["strategy"] == "pods - immediate"));
    // pods.count 2 -> low 1 is invalid for 12 people (max pod size 9): one-sided.
    let pc = rows
        .iter()
        .find(|r| r["parameter"] == "strategy.pods.pods.count")
        .unwrap();
    assert!(pc["note"].as_str().unwrap().contains("one-sided"), "{pc}");
    assert_eq!(pc["low_value"], 2.0);
    assert_eq!(v["run"]["delta"], 0.2);
}

/// The `podsim sweep` / `podsim sensitivity` commands of docs/SWEEPS.md and
/// the README, with backslash continuations joined.
fn documented_commands() -> Vec<String> {
    let mut out = Vec::new();
    for doc in ["docs/SWEEPS.md", "README.md"] {
        let text = fs::read_to_string(root().join(doc)).unwrap();
        let mut in_sh = false;
        let mut pending = String::new();
        for line in text.lines() {
            if line.starts_with("```") {
                in_sh = line == "```sh";
                continue;
            }
            if !in_sh {
                continue;
            }
            let code = line.split(" #").next().unwrap_or("").trim_end();
            if let Some(head) = code.strip_suffix('\\') {
                pending.push_str(head);
                continue;
            }
            pending.push_str(code);
            let cmd = std::mem::take(&mut pending);
            let cmd = cmd.trim();
            if cmd.starts_with("podsim sweep") || cmd.starts_with("podsim sensitivity") {
                out.push(cmd.to_string());
            }
        }
    }
    out
}

/// Splits a command line the way a POSIX shell would for these commands
/// (single and double quotes, no escapes or expansions).
fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, ' ') => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[test]
fn documented_commands_run() {
    let cmds = documented_commands();
    assert!(cmds.len() >= 8, "{cmds:?}");
    let dir = tempfile::tempdir().unwrap();
    for cmd in cmds {
        let mut words = shell_words(&cmd);
        assert_eq!(words.remove(0), "podsim");
        // Few replications: this checks the commands, not the numbers.
        if let Some(i) = words.iter().position(|w| w == "--reps") {
            words.drain(i..i + 2);
        }
        let o = podsim()
            .current_dir(root())
            .args(&words)
            .args(["--reps", "2", "--quiet", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{cmd}\n{}", String::from_utf8_lossy(&o.stderr));
    }
}
