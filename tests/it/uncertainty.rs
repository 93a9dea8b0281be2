//! Uncertain inputs (issue #16, docs/UNCERTAINTY.md): worlds are
//! reproducible (threads, shards), degenerate ranges are constants, bad
//! ranges are located input errors, and the analyses find what they must
//! on cases with known answers.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

/// Freelancers against employees whose channels differ in the rate only:
/// the paired cost difference is hours x (50 - freelancer rate), so the
/// winner flips where the freelancer rate is 50. Nothing reads the bench
/// channel.
const PAIR: &str = r#"
name = "rate crossing"
horizon_weeks = 16
seed = 5
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 60
effort_hours = { dist = "lognormal", mean = 2.0, cv = 0.5 }
questions_per_item = 0.4
[seniors]
count = 1
[channels.employee]
rate = 50.0
attrition_per_year = 0.0
lead_days = 5
ramp_start = 1.0
ramp_days = 0
mentor_fte = 0.0
handover_loss = 0.1
quality_factor = 1.0
productivity = 1.0
hire_cost = 0.0
[channels.freelancer]
rate = 50.0
attrition_per_year = 0.0
lead_days = 5
ramp_start = 1.0
ramp_days = 0
mentor_fte = 0.0
handover_loss = 0.1
quality_factor = 1.0
productivity = 1.0
hire_cost = 0.0
[[strategy]]
name = "freelancers"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 3 }]
[[strategy]]
name = "employees"
structure = "individual"
team = [{ role = "domain_expert", channel = "employee", count = 3 }]
"#;

const RANGES: &str = r#"
[uncertainty]
"channels.freelancer.rate" = { dist = "uniform", low = 30.0, high = 70.0 }
"channels.bench.rate" = { low = 10.0, high = 200.0 }
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    podsim()
        .args(["run", "--no-charts", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .arg(scenario)
        .assert()
        .success();
}

/// Runs like [`run`] and returns what it printed on stdout.
fn run_stdout(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let o = podsim()
        .args(["run", "--no-charts", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .arg(scenario)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn read(dir: &Path, f: &str) -> String {
    fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
}

const RUN_FILES: [&str; 3] = ["summary.csv", "reps.csv", "timeseries.csv"];
const WORLD_FILES: [&str; 5] = [
    "summary.csv",
    "reps.csv",
    "timeseries.csv",
    "uncertainty.json",
    "drivers.csv",
];

#[test]
fn a_degenerate_range_is_the_value_written_in() {
    let d = tempfile::tempdir().unwrap();
    let ranged = write(
        d.path(),
        "ranged.toml",
        &format!("{PAIR}\n[uncertainty]\n\"overhead.coefficient\" = {{ low = 0.002, high = 0.002 }}\n"),
    );
    let written = write(
        d.path(),
        "written.toml",
        &format!("{PAIR}\n[overhead]\ncoefficient = 0.002\n"),
    );
    let plain = write(d.path(), "plain.toml", PAIR);
    let (a, b, c) = (d.path().join("a"), d.path().join("b"), d.path().join("c"));
    run(&ranged, &a, &["--reps", "5"]);
    run(&written, &b, &["--reps", "5"]);
    run(&plain, &c, &["--reps", "5"]);
    for f in RUN_FILES {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
    assert!(!read(&a, "reps.csv").contains("input:"), "a constant is no column");
    assert!(!a.join("uncertainty.json").exists());
    assert_ne!(
        read(&a, "summary.csv"),
        read(&c, "summary.csv"),
        "the value took effect"
    );
}

#[test]
fn worlds_are_identical_for_any_thread_count_and_shard_split() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    let one = d.path().join("one");
    let two = d.path().join("two");
    run(&s, &one, &["--reps", "12", "--threads", "1"]);
    run(&s, &two, &["--reps", "12", "--threads", "2"]);
    for f in WORLD_FILES {
        assert_eq!(read(&one, f), read(&two, f), "{f}");
    }
    let reps = read(&one, "reps.csv");
    let header = reps.lines().next().unwrap();
    assert!(
        header.ends_with(",input:channels.bench.rate,input:channels.freelancer.rate"),
        "{header}"
    );
    // Every strategy of a replication faces the same world.
    let rows: Vec<Vec<&str>> = reps.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let world = |strategy: &str, rep: &str| {
        let r = rows.iter().find(|r| r[0] == strategy && r[1] == rep).unwrap();
        r[r.len() - 2..].join(",")
    };
    assert_eq!(world("freelancers", "3"), world("employees", "3"));
    assert_ne!(world("freelancers", "3"), world("freelancers", "4"));

    let mut parts = Vec::new();
    for i in 1..=3 {
        let p = d.path().join(format!("shard{i}"));
        run(&s, &p, &["--reps", "12", "--shard", &format!("{i}/3")]);
        parts.push(p);
    }
    let merged = d.path().join("merged");
    podsim()
        .args(["merge", "--quiet", "--no-charts", "--out"])
        .arg(&merged)
        .args(&parts)
        .assert()
        .success();
    for f in WORLD_FILES {
        assert_eq!(read(&one, f), read(&merged, f), "{f}");
    }
}

/// The terminal's list over worlds: shares in one column whatever the metric
/// name or money width, and ties said where there are any (here the two
/// teams have the same peak headcount in every world).
#[test]
fn the_worlds_list_is_aligned_and_says_ties() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    let text = run_stdout(&s, &d.path().join("o"), &["--reps", "40"]);
    let lines: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Against"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert!(lines.len() > 5, "{text}");
    let at: Vec<usize> = lines.iter().map(|l| l.find("P(better):").unwrap()).collect();
    assert!(at.iter().all(|&a| a == at[0]), "{}", lines.join("\n"));
    let peak = lines.iter().find(|l| l.contains("peak headcount")).unwrap();
    assert!(peak.ends_with("ties 100 %"), "{peak}");
}

/// When no declared range can change the choice, the terminal says so in
/// words instead of listing zeros: freelancers always cost more here.
#[test]
fn no_value_of_information_is_said_in_words() {
    let d = tempfile::tempdir().unwrap();
    let ranges = "[uncertainty]\n\"channels.freelancer.rate\" = { dist = \"uniform\", low = 60.0, high = 70.0 }\n";
    let s = write(d.path(), "s.toml", &format!("{PAIR}{ranges}"));
    let text = run_stdout(&s, &d.path().join("o"), &["--reps", "40"]);
    assert!(
        text.contains("Value of information: none within the declared ranges. \"employees\" is expected to be best"),
        "{text}"
    );
}

/// Every pair the report words is refined, not only those against the
/// first strategy: here the crossing pair is the second and third.
#[test]
fn thresholds_are_refined_for_pairs_without_the_first_strategy() {
    let d = tempfile::tempdir().unwrap();
    let first = "[[strategy]]\nname = \"a bigger team\"\nstructure = \"individual\"\nteam = [{ role = \"domain_expert\", channel = \"employee\", count = 5 }]\n";
    let at = PAIR.find("[[strategy]]").unwrap();
    let text = format!("{}{first}{}{RANGES}", &PAIR[..at], &PAIR[at..]);
    let s = write(d.path(), "s.toml", &text);
    let out = d.path().join("o");
    run(&s, &out, &["--reps", "100"]);
    let v: serde_json::Value = serde_json::from_str(&read(&out, "uncertainty.json")).unwrap();
    let pair = v["results"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metric"] == "cost_total" && p["a"] == "freelancers" && p["b"] == "employees")
        .expect("the pair freelancers-employees");
    let t = &pair["drivers"][0]["threshold"];
    let refined = t["refined"]["at"]
        .as_f64()
        .unwrap_or_else(|| panic!("not refined: {t}"));
    assert!((refined - 50.0).abs() <= 0.72, "{t}");
}

#[test]
fn the_crossing_is_found_and_an_unread_input_ranks_last_with_no_value() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    let out = d.path().join("o");
    run(&s, &out, &["--reps", "200"]);
    let v: serde_json::Value = serde_json::from_str(&read(&out, "uncertainty.json")).unwrap();
    let r = &v["results"];
    let cost = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metric"] == "cost_total")
        .unwrap();
    let drivers = cost["drivers"].as_array().unwrap();
    assert_eq!(drivers[0]["input"], "channels.freelancer.rate");
    assert_eq!(
        drivers.last().unwrap()["input"],
        "channels.bench.rate",
        "never read: last"
    );
    assert!(drivers[0]["prcc"].as_f64().unwrap() < -0.9, "{cost}");
    let t = &drivers[0]["threshold"];
    let at = t["at"].as_f64().unwrap();
    assert!((at - 50.0).abs() < 1.5, "threshold {t}");
    assert!(t["low"].as_f64().unwrap() <= at && at <= t["high"].as_f64().unwrap());
    assert_eq!(
        t["b_better_when"], "above",
        "employees are cheaper when freelancers cost more"
    );
    // Refined by the break-even search along the rate (the bench rate at its
    // median): the cost difference is hours x (rate - 50) in every
    // replication, so the crossing is 50 within the search's tolerance (2 %
    // of the middle 90 % of uniform(30, 70), i.e. 0.72), and the 90 % interval covers it.
    let refined_t = &t["refined"];
    let refined = refined_t["at"].as_f64().unwrap_or_else(|| panic!("not refined: {t}"));
    assert!((refined - 50.0).abs() <= 0.72, "{refined_t}");
    let (low, high) = (refined_t["low"].as_f64().unwrap(), refined_t["high"].as_f64().unwrap());
    assert!(low <= 50.0 && 50.0 <= high && high - low <= 2.0 * 0.72, "{refined_t}");
    assert_eq!(
        refined_t["between"],
        serde_json::json!([32.0, 68.0]),
        "the middle 90 % of uniform(30, 70)"
    );
    assert_eq!(refined_t["others"][0][0], "channels.bench.rate");
    let csv = read(&out, "drivers.csv");
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(",refined,refined_low,refined_high"));
    // Both sides win in some worlds.
    let pb = cost["p_b_better"].as_f64().unwrap();
    assert!(pb > 0.3 && pb < 0.7, "{pb}");
    // Value of information: the rate decides, the bench rate is worth nothing.
    let evppi = r["voi"]["evppi"].as_array().unwrap();
    let of = |name: &str| evppi.iter().find(|e| e[0] == name).unwrap()[1].as_f64().unwrap();
    let evpi = r["voi"]["evpi"].as_f64().unwrap();
    assert!(
        of("channels.freelancer.rate") > 0.5 * evpi && evpi > 0.0,
        "{evppi:?} {evpi}"
    );
    // ~0, up to the small-sample upward bias of the regression method
    // (docs/UNCERTAINTY.md); an input that mattered would be of the order
    // of the EVPI.
    assert!(
        of("channels.bench.rate") < 0.08 * of("channels.freelancer.rate"),
        "{evppi:?}"
    );
}

#[test]
fn bad_ranges_are_located_input_errors() {
    let d = tempfile::tempdir().unwrap();
    for (ranges, words) in [
        (
            "\"strategy.pods.lead_resolves\" = { low = 0.5, high = 1.5 }",
            "applies to no strategy",
        ),
        (
            "\"overhead.coefficient\" = { low = 0.0, high = 1.5 }",
            "high = 1.5 is outside the field's valid range",
        ),
        ("\"overhead.coeficient\" = { low = 0.0, high = 0.1 }", "did you mean"),
        (
            "\"overhead.coefficient\" = { low = 0.2, high = 0.1 }",
            "low (0.2) is above high",
        ),
        (
            "\"overhead.coefficient\" = { low = 0.0, hgh = 0.1 }",
            "did you mean `high`",
        ),
        (
            "\"overhead.coefficient\" = { dist = \"unifrom\", low = 0.0, high = 0.1 }",
            "did you mean \"uniform\"",
        ),
    ] {
        let s = write(d.path(), "bad.toml", &format!("{PAIR}\n[uncertainty]\n{ranges}\n"));
        let out = podsim()
            .args(["run", "--quiet", "--no-charts", "--reps", "2", "--out"])
            .arg(d.path().join("o"))
            .arg(&s)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(words), "{ranges}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // The bound's line is given.
    let s = write(
        d.path(),
        "bad.toml",
        &format!("{PAIR}\n[uncertainty]\n\"overhead.coefficient\" = {{ low = 0.0, high = 1.5 }}\n"),
    );
    let out = podsim()
        .args(["run", "--quiet", "--reps", "2"])
        .arg(&s)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let line = format!("{PAIR}\n[uncertainty]\n").lines().count() + 1;
    assert!(err.contains(&format!("bad.toml:{line}:")), "{err}");
    // --precision needs the number of worlds up front.
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    podsim()
        .args(["run", "--quiet", "--precision", "0.05"])
        .arg(&s)
        .assert()
        .code(2);
}

/// The decision value, recomputed by hand from reps.csv: per world, minus
/// (cost + cost per person with access x distinct people + cost per
/// escaped defect x escaped defects); P(best) is the share of worlds where
/// a strategy's value is the highest, expected regret the mean shortfall
/// from the best of that world.
#[test]
fn decision_value_p_best_and_regret_match_a_hand_computation() {
    let d = tempfile::tempdir().unwrap();
    let s = write(
        d.path(),
        "s.toml",
        &format!("{PAIR}{RANGES}\n[decision]\ncost_per_person_with_access = 700.0\ncost_per_escaped_defect = 40.0\n"),
    );
    let out = d.path().join("o");
    run(&s, &out, &["--reps", "40"]);
    let reps = read(&out, "reps.csv");
    let header: Vec<&str> = reps.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (st, rep) = (col("strategy"), col("replication"));
    let (cost, people, defects) = (col("cost_total"), col("distinct_people"), col("escaped_defects"));
    let mut value = [vec![0.0; 40], vec![0.0; 40]];
    for line in reps.lines().skip(1) {
        let r: Vec<&str> = line.split(',').collect();
        let s = usize::from(r[st] == "employees");
        let i: usize = r[rep].parse().unwrap();
        let x = |k: usize| r[k].parse::<f64>().unwrap_or(0.0);
        value[s][i] = -(x(cost) + 700.0 * x(people) + 40.0 * x(defects));
    }
    let n = 40.0;
    let mut best = [0.0, 0.0];
    let mut regret = [0.0, 0.0];
    for (v0, v1) in value[0].iter().zip(&value[1]) {
        let world = [*v0, *v1];
        let top = v0.max(*v1);
        let at: Vec<usize> = (0..2).filter(|&s| world[s] == top).collect();
        for &s in &at {
            best[s] += 1.0 / at.len() as f64;
        }
        for s in 0..2 {
            regret[s] += top - world[s];
        }
    }
    // Three freelancers and three employees: 3 people each unless someone
    // left; the rate decides, so both win some worlds.
    assert!(best[0] > 0.0 && best[1] > 0.0, "{best:?}");
    let v: serde_json::Value = serde_json::from_str(&read(&out, "uncertainty.json")).unwrap();
    let voi = &v["results"]["voi"];
    assert_eq!(voi["value"], "decision value");
    for (s, name) in ["freelancers", "employees"].iter().enumerate() {
        let got = voi["strategies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["strategy"] == *name)
            .unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
        let mean = value[s].iter().sum::<f64>() / n;
        assert!(close(got["mean"].as_f64().unwrap(), mean), "{name}: {got} vs {mean}");
        assert!(close(got["p_best"].as_f64().unwrap(), best[s] / n), "{name}: {got}");
        assert!(
            close(got["expected_regret"].as_f64().unwrap(), regret[s] / n),
            "{name}: {got} vs {}",
            regret[s] / n
        );
    }
    // The best strategy is the one with the higher expected value.
    let best_name = if value[0].iter().sum::<f64>() > value[1].iter().sum::<f64>() {
        "freelancers"
    } else {
        "employees"
    };
    assert_eq!(voi["best"], best_name);
}

/// `sensitivity` sets a declared input to its range in `[uncertainty]`
/// (even one the file leaves at its default) and the others to ±20 %, and
/// names each parameter in words.
#[test]
fn sensitivity_uses_declared_ranges_and_names_parameters() {
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    let out = d.path().join("o");
    podsim()
        .args([
            "sensitivity",
            "--quiet",
            "--no-charts",
            "--metric",
            "cost_total",
            "--reps",
            "4",
            "--out",
        ])
        .arg(&out)
        .arg(&s)
        .assert()
        .success();
    let csv = read(&out, "sensitivity.csv");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = |path: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
            .find(|r| r[col("parameter")] == path && r[col("strategy")] == "freelancers")
            .unwrap_or_else(|| panic!("no row for {path}: {csv}"))
    };
    let f = row("channels.freelancer.rate");
    assert_eq!(
        (f[col("low_value")].as_str(), f[col("high_value")].as_str()),
        ("30", "70")
    );
    assert_eq!(f[col("range")], "declared");
    assert_eq!(f[col("label")], "freelancer hourly rate");
    let e = row("channels.employee.rate");
    assert_eq!(
        (e[col("low_value")].as_str(), e[col("high_value")].as_str()),
        ("40", "60")
    );
    assert_eq!(e[col("range")], "±20 %");
    // Declared, though the file leaves it at its default.
    let b = row("channels.bench.rate");
    assert_eq!(
        (b[col("low_value")].as_str(), b[col("high_value")].as_str()),
        ("10", "200")
    );
}

/// The charts over worlds: `run` writes them (valid PNG and SVG) and embeds
/// them in the report's section on what we don't know; `podsim chart`
/// redraws them from the folder alone; their data, prepared apart from
/// drawing, is what uncertainty.json says (the threshold marked is the
/// analysis's, each dot a world of reps.csv).
#[test]
fn charts_over_worlds_are_written_embedded_and_show_the_analysis() {
    use podsim::charts::{evppi, flip, pbest, RunData};
    let d = tempfile::tempdir().unwrap();
    let s = write(d.path(), "s.toml", &format!("{PAIR}{RANGES}"));
    let out = d.path().join("o");
    podsim()
        .args(["run", "--quiet", "--report", "--reps", "40", "--out"])
        .arg(&out)
        .arg(&s)
        .assert()
        .success();
    let charts = out.join("charts");
    for id in [pbest::ID, flip::ID, evppi::ID] {
        let png = fs::read(charts.join(format!("{id}.png"))).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{id}");
        let svg = read(&charts, &format!("{id}.svg"));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{id}");
    }
    // Embedded in the section, not repeated under Charts.
    let md = read(&out, "report.md");
    let section = md.find("## Over what we don't know").expect("section");
    let charts_at = md.find("## Charts").expect("charts");
    for id in [pbest::ID, flip::ID, evppi::ID] {
        let at = md
            .find(&format!("charts/{id}.png"))
            .unwrap_or_else(|| panic!("{id} not in report.md"));
        assert!(at > section && at < charts_at, "{id} outside its section");
        assert_eq!(md.matches(&format!("charts/{id}.png")).count(), 1, "{id}");
    }

    let data = RunData::load(&out).unwrap();
    let u = data.uncertainty.as_ref().unwrap();
    // P(best): the net-value panel is the analysis's P(best); every panel adds to 1.
    let p = pbest::prepare(&data).unwrap();
    for (s, name) in data.strategies().iter().enumerate() {
        let want = u
            .results
            .voi
            .strategies
            .iter()
            .find(|x| &x.strategy == name)
            .unwrap()
            .p_best;
        assert_eq!(p.panels[0].shares[s], want);
    }
    for panel in &p.panels {
        assert!((panel.shares.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{panel:?}");
    }
    // The deciding input: total cost first, decided by the freelancer rate,
    // the threshold marked is the one worded, one dot per world.
    let f = flip::prepare(&data).unwrap();
    let first = &f.panels[0];
    assert_eq!(
        (first.metric.as_str(), first.input.as_str()),
        ("cost_total", "channels.freelancer.rate")
    );
    let pair = u.results.pairs.iter().find(|p| p.metric == "cost_total").unwrap();
    let t = pair.drivers[0].threshold.as_ref().unwrap();
    let (at, low, high) = t.worded();
    assert_eq!(
        first.flip,
        Some(flip::Flip {
            at,
            low,
            high,
            refined: true
        })
    );
    assert_eq!(first.points.len(), 40);
    // Dots are (sampled rate, employees - freelancers): the rate's column of reps.csv.
    let rates: Vec<f64> = data
        .reps(0, "input:channels.freelancer.rate")
        .unwrap()
        .into_iter()
        .map(|(_, x)| x)
        .collect();
    assert!(first.points.iter().all(|(x, _)| rates.contains(x)));
    // Below the threshold, freelancers are cheaper: the difference is positive.
    assert!(first
        .points
        .iter()
        .filter(|(x, _)| *x < at - 2.0)
        .all(|(_, y)| *y > 0.0));
    // EVPPI bars: every input, largest first, EVPI as the reference.
    let v = evppi::prepare(&data).unwrap();
    assert_eq!(v.evpi, u.results.voi.evpi);
    assert_eq!(v.bars.len(), 2);
    assert!(v.bars[0].1 >= v.bars[1].1);
    assert_eq!(v.bars[0].0, u.label("channels.freelancer.rate"));

    // `podsim chart` redraws them from the files alone.
    fs::remove_dir_all(&charts).unwrap();
    podsim().args(["chart", "--quiet"]).arg(&out).assert().success();
    for id in [pbest::ID, flip::ID, evppi::ID] {
        assert!(charts.join(format!("{id}.svg")).is_file(), "{id}");
    }
}

/// A run without worlds into a folder that a run over worlds wrote leaves
/// none of the latter's files: no uncertainty.json or drivers.csv for
/// charts and reports to read as its own, no charts over worlds.
#[test]
fn a_run_without_worlds_leaves_no_results_over_worlds_behind() {
    use podsim::charts::{evppi, flip, pbest};
    let d = tempfile::tempdir().unwrap();
    let ranged = write(d.path(), "ranged.toml", &format!("{PAIR}{RANGES}"));
    let plain = write(d.path(), "plain.toml", PAIR);
    let out = d.path().join("o");
    let run_charts = |s: &Path| {
        podsim()
            .args(["run", "--quiet", "--report", "--reps", "8", "--out"])
            .arg(&out)
            .arg(s)
            .assert()
            .success();
    };
    run_charts(&ranged);
    assert!(out.join("uncertainty.json").is_file() && out.join("charts/p-best.svg").is_file());
    run_charts(&plain);
    for f in ["uncertainty.json", "drivers.csv"] {
        assert!(!out.join(f).exists(), "{f} left behind");
    }
    for id in [pbest::ID, flip::ID, evppi::ID] {
        for ext in ["png", "svg"] {
            assert!(
                !out.join(format!("charts/{id}.{ext}")).exists(),
                "{id}.{ext} left behind"
            );
        }
    }
    assert!(!read(&out, "report.md").contains("## Over what we don't know"));
}
