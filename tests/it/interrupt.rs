//! Ctrl-C and closed pipes, as a user meets them: every long command stops
//! within seconds of SIGINT with exit 130, writes nothing and leaves earlier
//! outputs untouched; printing into a closed pipe never panics.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// What an earlier run left in the folder; it must survive the interrupt.
const EARLIER: &str = "earlier results, not to be touched\n";

/// Starts `podsim ARGS --out DIR` on a folder holding an earlier output
/// file, interrupts it once it is busy, and checks it stopped promptly,
/// with exit 130, and that the folder holds exactly what it held before.
fn interrupt(args: &[&str], earlier_file: &str) {
    interrupt_with(args, "--out", earlier_file);
}

/// [`interrupt`] with the output folder given by `out_flag`.
fn interrupt_with(args: &[&str], out_flag: &str, earlier_file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join(".podsim-output"), "marker\n").unwrap();
    fs::write(out.join(earlier_file), EARLIER).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("podsim"))
        .args(args)
        .arg(out_flag)
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Every command below runs for minutes: it is busy simulating or
    // solving by now.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "{args:?} finished before the interrupt"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if sent.elapsed() > Duration::from_secs(8) {
            child.kill().unwrap();
            panic!("{args:?} still running 8 s after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{args:?}: {stderr}");
    assert!(stderr.contains("interrupted"), "{args:?}: {stderr}");
    assert_eq!(fs::read_to_string(out.join(earlier_file)).unwrap(), EARLIER, "{args:?}");
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = vec![".podsim-output".to_string(), earlier_file.to_string()];
    expected.sort();
    assert_eq!(names, expected, "{args:?} wrote into the folder");
}

fn s(p: PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn ctrl_c_stops_a_sweep() {
    let file = s(scenario("pod-vs-individual.toml"));
    interrupt(
        &[
            "sweep",
            &file,
            "--vary",
            "seniors.count=2,3,4",
            "--reps",
            "200000",
            "--quiet",
        ],
        "sweep.csv",
    );
}

#[test]
fn ctrl_c_stops_a_break_even_search_and_a_sensitivity_analysis() {
    let file = s(scenario("pod-vs-individual.toml"));
    interrupt(
        &[
            "sweep",
            &file,
            "--find",
            "seniors.count",
            "--between",
            "1,20",
            "--metric",
            "finish_week",
            "--strategies",
            "individual,pods",
            "--reps",
            "200000",
            "--quiet",
        ],
        "breakeven.csv",
    );
    interrupt(
        &[
            "sensitivity",
            &file,
            "--metric",
            "cost_total",
            "--reps",
            "200000",
            "--quiet",
        ],
        "sensitivity.csv",
    );
}

#[test]
fn ctrl_c_stops_a_run_over_uncertain_worlds() {
    // The example declares [uncertainty]: each replication builds and
    // validates its own world, a path of its own through `run`.
    let file = s(scenario("pod-vs-individual.toml"));
    interrupt(&["run", &file, "--reps", "200000", "--quiet"], "summary.csv");
}

#[test]
fn ctrl_c_stops_optimise_verification() {
    let file = s(scenario("optimise-staffing.toml"));
    interrupt(
        &[
            "optimise",
            &file,
            "--verify",
            "--reps",
            "1000000",
            "--no-charts",
            "--quiet",
        ],
        "plan.csv",
    );
}

#[test]
fn ctrl_c_stops_the_selfcheck() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("VALIDATION.md");
    fs::write(&table, EARLIER).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("podsim"))
        .args(["selfcheck", "--reps", "100000", "--out"])
        .arg(&table)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(8),
            "selfcheck still running after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    assert_eq!(fs::read_to_string(&table).unwrap(), EARLIER);
}

#[test]
fn a_closed_stdout_is_a_quiet_exit_not_a_panic() {
    let mut files: Vec<String> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| s(e.unwrap().path()))
        .filter(|p| p.ends_with(".toml"))
        .collect();
    files.sort();
    // As `| head -0`: the pipe's reader is gone before podsim starts, so its
    // first write fails whatever the scheduling (no race with the child).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let child = Command::new(assert_cmd::cargo::cargo_bin("podsim"))
        .arg("validate")
        .args(&files)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let res = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(res.status.code(), Some(141), "{stderr}");
}

#[test]
fn ctrl_c_stops_a_backtest() {
    let h = root().join("scenarios/history");
    interrupt(
        &[
            "backtest",
            &s(h.join("synthetic.toml")),
            "--history",
            &s(h.join("annotation-jira.csv")),
            "--format",
            "jira-csv",
            "--from",
            "2027-01-04",
            "--to",
            "2027-05-10",
            "--reps",
            "100000",
            "--quiet",
        ],
        "backtest.csv",
    );
}

#[test]
fn ctrl_c_stops_a_fit_on_a_large_history() {
    // 200 000 items (about 14 MB): reading takes a moment, and with this
    // many bootstrap resamples the fit runs for minutes; the interrupt
    // lands in one or the other, and either must stop with 130.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("large.csv");
    let mut text = String::from("key,created,resolved,hours,assignee\n");
    for i in 0..200_000u64 {
        let day = 1 + i % 28;
        let hours = 1 + (i * 7919) % 23;
        text.push_str(&format!(
            "K-{i},2024-03-{day:02}T09:00:00Z,2024-04-{day:02}T17:00:00Z,{hours}.5,person-{}\n",
            i % 40
        ));
    }
    fs::write(&file, text).unwrap();
    let fragment = dir.path().join("fragment.toml");
    interrupt_with(
        &[
            "fit",
            &s(file),
            "--format",
            "csv",
            "--map",
            "key=key",
            "--map",
            "created=created",
            "--map",
            "resolved=resolved",
            "--map",
            "hours=effort_hours",
            "--map",
            "assignee=assignee",
            "--resamples",
            "100000",
            "--out",
            &s(fragment.clone()),
            "--quiet",
        ],
        "--report",
        "fit-report.md",
    );
    assert!(!fragment.exists(), "an interrupted fit wrote its fragment");
}
