//! Charts and reports as a user meets them: `podsim run` writes charts,
//! `podsim chart DIR` re-renders them, `podsim report DIR` writes a
//! self-contained report. Properties, not numbers: the engine evolves.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/charts-two-strategies.toml")
}

const CHARTS: [(&str, &str); 5] = [
    ("strategy-comparison", "Strategies compared"),
    ("finish-weeks", "When does the work finish?"),
    ("backlog-burndown", "Backlog burn-down by workstream"),
    ("headcount", "Headcount over time by sourcing channel"),
    ("senior-time", "Where a senior ML engineer's week goes"),
];

/// A title as SVG text holds it (plotters escapes the apostrophe).
fn svg_text(title: &str) -> String {
    title.replace('\'', "&apos;")
}

/// Runs the two-strategy fixture into a fresh folder, with extra arguments.
fn run_fixture(extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    podsim()
        .arg("run")
        .arg(fixture())
        .arg("--out")
        .arg(&out)
        .args(["--reps", "20", "--quiet"])
        .args(extra)
        .assert()
        .success();
    dir
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}: not a PNG", path.display());
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    (frame.width, frame.height)
}

fn check_chart_files(charts: &Path) {
    for (id, title) in CHARTS {
        let png = charts.join(format!("{id}.png"));
        assert_eq!(png_size(&png), (1200, 800), "{id}");
        let svg = fs::read_to_string(charts.join(format!("{id}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{id}: {}", &svg[..svg.len().min(60)]);
        assert!(svg.trim_end().ends_with("</svg>"), "{id}: truncated SVG");
        assert!(svg.contains(&svg_text(title)), "{id}: title {title:?} missing");
        for s in ["freelancers", "pods"] {
            assert!(svg.contains(s), "{id}: strategy {s} missing");
        }
    }
}

#[test]
fn run_writes_every_chart_as_png_and_svg() {
    let dir = run_fixture(&[]);
    check_chart_files(&dir.path().join("out/charts"));
    assert!(!dir.path().join("out/report.html").exists(), "no report unless asked");
}

#[test]
fn chart_rerenders_from_the_csvs_alone() {
    let dir = run_fixture(&["--no-charts"]);
    let out = dir.path().join("out");
    assert!(!out.join("charts").exists(), "--no-charts writes no charts");
    let before = fs::read(out.join("reps.csv")).unwrap();
    // Without the scenario file, only the CSVs and run.json remain.
    podsim()
        .arg("chart")
        .arg(&out)
        .current_dir(dir.path())
        .assert()
        .success();
    check_chart_files(&out.join("charts"));
    assert_eq!(
        fs::read(out.join("reps.csv")).unwrap(),
        before,
        "charts never rewrite results"
    );
}

#[test]
fn chart_format_selects_files() {
    let dir = run_fixture(&["--chart-format", "svg"]);
    let charts = dir.path().join("out/charts");
    assert!(charts.join("headcount.svg").exists());
    assert!(!charts.join("headcount.png").exists());
    podsim()
        .arg("chart")
        .arg(dir.path().join("out"))
        .args(["--chart-format", "png", "-q"])
        .assert()
        .success();
    assert!(charts.join("headcount.png").exists());
}

#[test]
fn report_html_is_self_contained() {
    let dir = run_fixture(&["--report"]);
    let out = dir.path().join("out");
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    for bad in ["http://", "https://", "src=\"/", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), 5, "one inline SVG per chart");
    for (_, title) in CHARTS {
        assert!(html.contains(&svg_text(title)), "{title} missing");
    }
    // The run's charts were written too.
    check_chart_files(&out.join("charts"));
}

#[test]
fn report_md_has_its_sections_in_order() {
    let dir = run_fixture(&[]);
    let out = dir.path().join("out");
    // `podsim report` from the folder the run was started in finds the scenario.
    podsim()
        .arg("report")
        .arg(&out)
        .arg("-q")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# Charts fixture: freelancers vs pods — podsim report",
            "## Decision summary",
            "## The strategies",
            "### Who is paid what, and how well they work",
            "### Coordination",
            "## Differences in detail",
            "## Results by strategy",
            "## Paired comparison",
            "## Charts",
            "### Strategy comparison",
            "### Finish-week distribution",
            "### Backlog burn-down",
            "### Headcount by channel",
            "### Senior time breakdown",
            "## Why the strategies differ",
            "## Scenario and assumptions",
            "### Run",
            "### Assumptions",
            "### Sourcing channels",
            "## Method",
            "## Caveats",
        ]
    );
    for (id, _) in CHARTS {
        assert!(md.contains(&format!("](charts/{id}.png)")), "{id} not linked");
    }
    assert!(
        md.contains("| Parameter | This scenario | Default | Source |"),
        "scenario values shown"
    );
    assert!(
        md.contains("Compared with “freelancers”, **“pods”**"),
        "headline comparison"
    );
}

#[test]
fn report_after_the_scenario_changed_lists_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.toml");
    fs::copy(fixture(), &scenario).unwrap();
    let out = dir.path().join("out");
    podsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .args(["--reps", "5", "-q", "--no-charts"])
        .assert()
        .success();
    // Edited after the run: its values no longer describe these results.
    let text = fs::read_to_string(&scenario).unwrap();
    fs::write(&scenario, text + "\n# edited\n").unwrap();
    podsim().arg("report").arg(&out).arg("-q").assert().success();
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("Scenario values unavailable") && md.contains("has changed since the run"),
        "says why"
    );
    assert!(md.contains("| Parameter | Default | Source |"));
}

#[test]
fn charts_that_do_not_apply_are_skipped() {
    // An arrival-only queue with no seniors: no finish, no backlog, no senior time.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("queue.toml");
    fs::write(
        &scenario,
        r#"
name = "queue"
horizon_weeks = 10
[[workstream]]
name = "tickets"
skill = "domain_expert"
arrivals_per_week = 40
effort_hours = { dist = "exponential", mean = 1.0 }
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[[strategy]]
name = "three"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{ role = "domain_expert", channel = "employee", count = 3 }]
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    podsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .args(["--reps", "3", "-q", "--report"])
        .assert()
        .success();
    let charts = out.join("charts");
    for id in ["finish-weeks", "backlog-burndown", "senior-time"] {
        assert!(!charts.join(format!("{id}.png")).exists(), "{id} should be skipped");
        assert!(!charts.join(format!("{id}.svg")).exists(), "{id} should be skipped");
    }
    assert!(charts.join("strategy-comparison.png").exists());
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Not drawn"), "the report says which charts were left out");
}

#[test]
fn chart_and_report_input_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    for cmd in ["chart", "report"] {
        podsim()
            .arg(cmd)
            .arg(&missing)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("no such folder"));
        podsim()
            .arg(cmd)
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("run.json"));
    }
    // A malformed CSV is reported with its file and line.
    let run = run_fixture(&["--no-charts"]);
    let out = run.path().join("out");
    let reps = fs::read_to_string(out.join("reps.csv")).unwrap();
    let mut lines: Vec<String> = reps.lines().map(str::to_string).collect();
    lines[2] = lines[2].replacen(",", ",x", 2);
    fs::write(out.join("reps.csv"), lines.join("\n") + "\n").unwrap();
    podsim()
        .arg("chart")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("reps.csv:3"));
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

fn check_figure(charts: &Path, id: &str, texts: &[&str]) {
    assert_eq!(png_size(&charts.join(format!("{id}.png"))), (1200, 800), "{id}");
    let svg = fs::read_to_string(charts.join(format!("{id}.svg"))).unwrap();
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{id}: not an SVG");
    for t in texts {
        assert!(svg.contains(&svg_text(t).replace('"', "&quot;")), "{id}: `{t}` missing");
    }
}

#[test]
fn sweep_writes_line_and_pareto_charts_and_chart_redraws_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sw");
    podsim()
        .arg("sweep")
        .arg(scenario("pod-vs-individual.toml"))
        .args([
            "--vary",
            "strategy.pods.count=3,4",
            "--pareto",
            "cost_total,finish_week",
        ])
        .args(["--reps", "4", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let charts = out.join("charts");
    let names = ["individual", "pods", "pods + bench"];
    let mut line_texts = vec!["How the results move with strategy.pods.count", "Total cost"];
    line_texts.extend(names);
    check_figure(&charts, "sweep-lines", &line_texts);
    let mut pareto_texts = vec!["Pareto frontier: finish week against total cost", "lower is better"];
    pareto_texts.extend(names);
    check_figure(&charts, "pareto-frontier", &pareto_texts);
    // Re-drawn from the CSVs, in one format only.
    fs::remove_dir_all(&charts).unwrap();
    podsim()
        .arg("chart")
        .arg(&out)
        .args(["--chart-format", "svg", "--quiet"])
        .assert()
        .success();
    assert!(charts.join("sweep-lines.svg").exists());
    assert!(!charts.join("sweep-lines.png").exists());
}

#[test]
fn sensitivity_writes_a_tornado_and_no_charts_writes_none() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("se");
    podsim()
        .arg("sensitivity")
        .arg(scenario("senior-interruptions.toml"))
        .args([
            "--metric",
            "deep_focus_h_per_senior_week",
            "--reps",
            "4",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    check_figure(
        &out.join("charts"),
        "sensitivity-tornado",
        &[
            "Which assumptions move deep-focus hours per senior most?",
            "immediate",
            "pods",
            "number of seniors",
        ],
    );
    let out2 = dir.path().join("se2");
    podsim()
        .arg("sensitivity")
        .arg(scenario("senior-interruptions.toml"))
        .args([
            "--metric",
            "cost_total",
            "--params",
            "seniors.count",
            "--reps",
            "2",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(&out2)
        .assert()
        .success();
    assert!(!out2.join("charts").exists());
}

#[test]
fn chart_refuses_a_folder_that_is_neither_run_nor_sweep() {
    let dir = tempfile::tempdir().unwrap();
    podsim()
        .arg("chart")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("neither a run folder"));
}
