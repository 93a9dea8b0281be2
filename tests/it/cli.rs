//! The command line as a user meets it: exit codes, messages, files.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const BASE: &str = r#"
name = "base"
horizon_weeks = 20
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 50
effort_hours = { dist = "lognormal", mean = 2.0, cv = 0.5 }
[[workstream]]
name = "b"
skill = "data_quality"
backlog = 20
after = [{ stream = "a", fraction = 0.5 }]
effort_hours = { dist = "triangular", min = 1.0, mode = 2.0, max = 4.0 }
[seniors]
count = 2
[[strategy]]
name = "s"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 3 },
        { role = "data_quality", channel = "employee", count = 1 }]
"#;

/// (what is wrong, scenario text, words the message must contain)
fn malformed() -> Vec<(&'static str, String, &'static str)> {
    let r = |from: &str, to: &str| {
        assert!(BASE.contains(from), "test setup: {from}");
        BASE.replacen(from, to, 1)
    };
    vec![
        ("syntax error", r("name = \"base\"", "name = \"base"), "string"),
        ("unknown top-level field", r("horizon_weeks", "horizon_week"), "did you mean `horizon_weeks`"),
        ("unknown workstream field", r("backlog = 50", "backlog = 50\ndefect_rat = 0.1"), "did you mean `defect_rate`"),
        ("probability above 1", r("backlog = 50", "backlog = 50\ndefect_rate = 1.5"), "defect_rate"),
        ("negative backlog", r("backlog = 50", "backlog = -5"), "backlog"),
        ("unknown skill", r("skill = \"domain_expert\"", "skill = \"annotator\""), "unknown skill `annotator`"),
        ("unknown distribution", r("dist = \"lognormal\"", "dist = \"normal\""), "`workstream[0].effort_hours.dist`: unknown name `normal`"),
        ("triangular out of order", r("min = 1.0, mode = 2.0", "min = 3.0, mode = 2.0"), "triangular"),
        ("negative mean", r("mean = 2.0", "mean = -2.0"), "mean"),
        ("cycle in after", r("backlog = 50\n", "backlog = 50\nafter = [{ stream = \"b\", fraction = 0.5 }]\n"), "cycle"),
        ("gate on unknown stream", r("stream = \"a\"", "stream = \"c\""), "no workstream is named \"c\""),
        ("gate fraction above 1", r("fraction = 0.5", "fraction = 1.5"), "fraction"),
        ("no workstreams", BASE.split("[[workstream]]").next().unwrap().to_string() + "[[strategy]]\nname = \"s\"\nstructure = \"individual\"\nteam = []\n", "workstream"),
        ("no strategies", BASE.split("[[strategy]]").next().unwrap().to_string(), "at least one [[strategy]]"),
        ("unknown structure", r("structure = \"individual\"", "structure = \"pod\""), "did you mean `pods`"),
        ("unknown channel", r("channel = \"freelancer\"", "channel = \"contractor\""), "unknown channel `contractor`"),
        ("duplicate strategy", format!("{BASE}\n[[strategy]]\nname = \"s\"\nstructure = \"pods\"\nteam = [{{ role = \"domain_expert\", channel = \"pod\", count = 1 }}, {{ role = \"data_quality\", channel = \"pod\", count = 1 }}]\n"), "duplicate strategy name"),
        ("duplicate workstream", r("name = \"b\"", "name = \"a\""), "duplicate workstream name"),
        ("team lacks a skill", r("{ role = \"data_quality\", channel = \"employee\", count = 1 }", "{ role = \"ops\", channel = \"employee\", count = 1 }"), "needs that skill"),
        ("absurd horizon", r("horizon_weeks = 20", "horizon_weeks = 1000000"), "horizon"),
        ("absurd backlog", r("backlog = 50", "backlog = 1000000000"), "limit"),
        ("absurd team", r("count = 3", "count = 1000000"), "limit"),
        ("absurd question rate", r("backlog = 50", "backlog = 50\nquestions_per_item = 1000"), "questions"),
        ("questions but no seniors", r("count = 2", "count = 0"), "seniors.count"),
        ("pods too large", format!("{}\n[[strategy]]\nname = \"p\"\nstructure = \"pods\"\npods = {{ count = 1, max_size = 2, pod_size = 2 }}\nteam = [{{ role = \"domain_expert\", channel = \"pod\", count = 3 }}, {{ role = \"data_quality\", channel = \"pod\", count = 1 }}]\n", BASE), "max_size"),
        ("wrong type", r("backlog = 50", "backlog = \"many\""), "expected a whole number ≥ 0, got the text \"many\""),
        ("missing required field", r("name = \"a\"\n", ""), "missing field `name`"),
        ("warm-up past horizon", r("horizon_weeks = 20", "horizon_weeks = 20\nwarmup_weeks = 30"), "warm-up"),
        ("surge ends before it starts", r("backlog = 50", "backlog = 50\narrivals_per_week = 5\nsurge = [{ from_week = 5, to_week = 2, factor = 2.0 }]"), "to_week"),
        ("unknown interrupt policy", r("structure = \"individual\"", "structure = \"individual\"\ninterrupt_policy = \"whenever\""), "unknown policy"),
        ("bad start date", r("horizon_weeks = 20", "horizon_weeks = 20\nstart_date = \"2027-13-01\""), "YYYY-MM-DD"),
        ("attrition given twice", format!("{BASE}\n[channels.freelancer]\nattrition_per_year = 0.2\nmean_tenure_weeks = 10\n"), "either"),
        ("pods settings on individual", r("structure = \"individual\"", "structure = \"individual\"\npods = { count = 1 }"), "structure = \"pods\""),
        ("overhead cap too high", format!("{BASE}\n[overhead]\ncap = 0.99\n"), "cap"),
        ("deadline at week 0", r("horizon_weeks = 20", "horizon_weeks = 20\ndeadline_weeks = 0"), "deadline"),
        ("nan probability", r("backlog = 50", "backlog = 50\ndefect_rate = nan"), "probability"),
        ("zero fixed effort", r("{ dist = \"lognormal\", mean = 2.0, cv = 0.5 }", "{ dist = \"fixed\", value = 0.0 }"), "positive"),
        ("unknown role in rates", format!("{BASE}\n[channels.pod.rates]\nannotator = 50.0\n"), "unknown role `annotator`"),
        ("unknown channel table", format!("{BASE}\n[channels.agency]\nrate = 50.0\n"), "unknown channel `agency`"),
        ("empty file", String::new(), "missing field `name`"),
    ]
}

#[test]
fn malformed_scenarios_exit_2_with_located_messages() {
    let cases = malformed();
    assert!(cases.len() >= 30);
    let dir = tempfile::tempdir().unwrap();
    for (what, text, expected) in cases {
        let path = dir.path().join("bad.toml");
        fs::write(&path, &text).unwrap();
        let out = podsim().arg("validate").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: exit code {:?}\n{stderr}",
            out.status.code()
        );
        assert!(
            stderr.contains(expected),
            "{what}: message lacks {expected:?}:\n{stderr}"
        );
        assert!(
            stderr.contains("bad.toml"),
            "{what}: message does not name the file:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: panicked:\n{stderr}");
    }
}

#[test]
fn field_errors_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(
        &path,
        BASE.replacen("backlog = 50", "backlog = 50\ndefect_rate = 1.5", 1),
    )
    .unwrap();
    let out = podsim().arg("validate").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // defect_rate is on line 8 of the file (line 1 is blank), column 1.
    assert!(stderr.contains("bad.toml:8:1: `workstream[0].defect_rate`"), "{stderr}");
    assert!(
        stderr.contains("expected a probability between 0 and 1, got 1.5"),
        "{stderr}"
    );
}

#[test]
fn missing_and_binary_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = podsim().args(["validate", "no/such/file.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let bin = dir.path().join("bin.toml");
    fs::write(&bin, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let out = podsim().arg("validate").arg(&bin).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

#[test]
fn usage_errors_exit_2() {
    podsim().arg("frobnicate").assert().code(2);
    podsim().args(["run"]).assert().code(2);
    let s = root().join("scenarios/mmc-validation.toml");
    let dir = tempfile::tempdir().unwrap();
    podsim()
        .arg("run")
        .arg(&s)
        .args(["--reps", "0", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
    podsim()
        .arg("run")
        .arg(&s)
        .args(["--threads", "0", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn every_example_scenario_validates() {
    let mut files: Vec<_> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.push(root().join("scenarios/history/synthetic.toml"));
    files.sort();
    assert!(files.len() >= 5);
    let out = podsim().arg("validate").args(&files).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("strateg"), "{stdout}");
}

#[test]
fn init_writes_a_valid_starter_and_will_not_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    podsim().arg("init").arg(dir.path()).assert().success();
    let file = dir.path().join("scenario.toml");
    podsim().arg("validate").arg(&file).assert().success();
    podsim().arg("init").arg(dir.path()).assert().code(2);
    podsim().arg("init").arg(dir.path()).arg("--force").assert().success();
}

fn run_to(dir: &Path, threads: &str) {
    podsim()
        .env("RAYON_NUM_THREADS", threads)
        .arg("run")
        .arg(root().join("scenarios/pod-vs-individual.toml"))
        .args(["--reps", "6", "--quiet", "--out"])
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_to(a.path(), "1");
    run_to(b.path(), "2");
    for f in ["summary.csv", "reps.csv", "timeseries.csv"] {
        let x = fs::read(a.path().join(f)).unwrap();
        let y = fs::read(b.path().join(f)).unwrap();
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
    // run.json: identical but for its documented "timing" object (README).
    let read =
        |d: &Path| -> serde_json::Value { serde_json::from_slice(&fs::read(d.join("run.json")).unwrap()).unwrap() };
    let (mut x, mut y) = (read(a.path()), read(b.path()));
    assert_eq!(x["timing"]["threads"], 1);
    assert_eq!(y["timing"]["threads"], 2);
    x.as_object_mut().unwrap().remove("timing");
    y.as_object_mut().unwrap().remove("timing");
    assert_eq!(x, y, "run.json differs between 1 and 2 threads outside \"timing\"");
    let info = x;
    assert_eq!(info["seed"], 42);
    assert_eq!(info["podsim_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn run_prints_erlang_check_and_writes_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let out = podsim()
        .arg("run")
        .arg(root().join("scenarios/mmc-validation.toml"))
        .args(["--reps", "4", "--seed", "5", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("Mean wait in queue") && stdout.contains("0.5541"),
        "{stdout}"
    );
    assert!(stderr.contains("seed 5"), "the seed is printed: {stderr}");
    let summary = fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    assert!(summary.starts_with("strategy,metric,n,mean,sd,ci_low,ci_high,p10,p50,p85,p95,min,max\n"));
    let reps = fs::read_to_string(dir.path().join("reps.csv")).unwrap();
    assert_eq!(reps.lines().count(), 1 + 4);
    let ts = fs::read_to_string(dir.path().join("timeseries.csv")).unwrap();
    assert!(ts.starts_with("week,strategy,series,mean,p10,p50,p90\n"));
}

#[test]
fn json_format_is_machine_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = podsim()
        .arg("run")
        .arg(root().join("scenarios/senior-interruptions.toml"))
        .args(["--reps", "3", "--format", "json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["strategies"].as_array().unwrap().len(), 3);
    assert!(v["strategies"][1]["vs_first"]["finish_week"]["diff_mean"].is_number());
}

#[test]
fn refuses_to_write_into_a_foreign_folder() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let s = root().join("scenarios/mmc-validation.toml");
    let out = podsim()
        .arg("run")
        .arg(&s)
        .args(["--reps", "2", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
    podsim()
        .arg("run")
        .arg(&s)
        .args(["--reps", "2", "--quiet", "--force", "--out"])
        .arg(dir.path())
        .assert()
        .success();
}

#[test]
fn comparison_table_names_every_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let out = podsim()
        .arg("run")
        .arg(root().join("scenarios/surge-elastic-bench.toml"))
        .args(["--reps", "4", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for s in [
        "static",
        "hiring",
        "elastic bench",
        "Finish week (P85)",
        "Deep-focus h / senior / week",
        "wins",
    ] {
        assert!(stdout.contains(s), "missing {s:?} in\n{stdout}");
    }
}

#[test]
fn docs_example_validates() {
    let doc = fs::read_to_string(root().join("docs/SCENARIO.md")).unwrap();
    let start = doc.find("```toml\n").expect("SCENARIO.md has a TOML example") + 8;
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("example.toml");
    fs::write(&path, &doc[start..end]).unwrap();
    podsim().arg("validate").arg(&path).assert().success();
}

#[test]
fn merging_three_shards_reproduces_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = root().join("scenarios/pod-vs-individual.toml");
    for i in 1..=3 {
        podsim()
            .arg("run")
            .arg(&s)
            .args(["--reps", "10", "--quiet", "--shard", &format!("{i}/3"), "--out"])
            .arg(dir.path().join(format!("shard{i}")))
            .assert()
            .success();
    }
    // Any order of folders.
    podsim()
        .arg("merge")
        .arg(dir.path().join("shard3"))
        .arg(dir.path().join("shard1"))
        .arg(dir.path().join("shard2"))
        .args(["--quiet", "--out"])
        .arg(dir.path().join("merged"))
        .assert()
        .success();
    podsim()
        .arg("run")
        .arg(&s)
        .args(["--reps", "10", "--quiet", "--out"])
        .arg(dir.path().join("single"))
        .assert()
        .success();
    for f in ["summary.csv", "reps.csv", "timeseries.csv"] {
        let a = fs::read(dir.path().join("merged").join(f)).unwrap();
        let b = fs::read(dir.path().join("single").join(f)).unwrap();
        assert!(a == b, "{f} differs between merged shards and the single run");
    }
    let strip = |p: std::path::PathBuf| {
        let mut v: serde_json::Value = serde_json::from_slice(&fs::read(p).unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("timing");
        v
    };
    assert_eq!(
        strip(dir.path().join("merged/run.json")),
        strip(dir.path().join("single/run.json"))
    );
}

#[test]
fn merge_rejects_missing_or_mismatched_shards() {
    let dir = tempfile::tempdir().unwrap();
    let s = root().join("scenarios/senior-interruptions.toml");
    for i in [1, 3] {
        podsim()
            .arg("run")
            .arg(&s)
            .args(["--reps", "6", "--quiet", "--shard", &format!("{i}/3"), "--out"])
            .arg(dir.path().join(format!("s{i}")))
            .assert()
            .success();
    }
    let out = podsim()
        .arg("merge")
        .arg(dir.path().join("s1"))
        .arg(dir.path().join("s3"))
        .args(["--out"])
        .arg(dir.path().join("m"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not contiguous"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = podsim().arg("merge").arg(dir.path().join("nope")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn reps_needed(precision: &str) -> u64 {
    let dir = tempfile::tempdir().unwrap();
    podsim()
        .arg("run")
        .arg(root().join("scenarios/senior-interruptions.toml"))
        .args(["--precision", precision, "--max-reps", "2000", "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let info: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join("run.json")).unwrap()).unwrap();
    assert_eq!(info["precision"]["reached"], true);
    info["replications"].as_u64().unwrap()
}

#[test]
fn precision_stops_and_tighter_needs_more() {
    let loose = reps_needed("0.05");
    let tight = reps_needed("0.01");
    assert!(loose >= 20 && tight > loose, "loose {loose}, tight {tight}");
    // Deterministic stopping point.
    assert_eq!(reps_needed("0.05"), loose);
}

#[test]
fn slurm_array_script_runs_shards_that_merge() {
    // Run the sbatch script as Slurm would, task by task, then merge.
    let dir = tempfile::tempdir().unwrap();
    let script = root().join("deploy/slurm/podsim-array.sbatch");
    let bin = assert_cmd::cargo::cargo_bin("podsim");
    for i in 1..=3 {
        let status = std::process::Command::new("bash")
            .arg(&script)
            .env("PODSIM", &bin)
            .env("SCENARIO", root().join("scenarios/senior-interruptions.toml"))
            .env("REPS", "9")
            .env("RESULTS", dir.path())
            .env("SLURM_ARRAY_TASK_COUNT", "3")
            .env("SLURM_ARRAY_TASK_ID", i.to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .status()
            .unwrap();
        assert!(status.success());
    }
    let shards: Vec<_> = (1..=3).map(|i| dir.path().join(format!("shard-{i}"))).collect();
    podsim()
        .arg("merge")
        .args(&shards)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("merged"))
        .assert()
        .success();
    let reps = fs::read_to_string(dir.path().join("merged/reps.csv")).unwrap();
    assert_eq!(reps.lines().count(), 1 + 3 * 9);
}

#[test]
fn ctrl_c_stops_cleanly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("podsim"))
        .arg("run")
        .arg(root().join("scenarios/mmc-validation.toml"))
        .args(["--reps", "1000000", "--quiet", "--out"])
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A million replications take far longer than this pause.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let res = child.wait_with_output().unwrap();
    assert_eq!(res.status.code(), Some(130), "{}", String::from_utf8_lossy(&res.stderr));
    assert!(String::from_utf8_lossy(&res.stderr).contains("interrupted"));
    let names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [".podsim-output"], "only the marker may exist: {names:?}");
}
