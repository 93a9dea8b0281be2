//! Golden outputs: every example scenario's `summary.csv`, `reps.csv` and
//! `timeseries.csv` for a fixed seed and a few replications, as SHA-256
//! hashes checked in at `tests/golden.sha256`.
//!
//! A restructuring must leave these bytes alone. A change that is *meant* to
//! change results (a model fix, a new default) updates the file deliberately:
//! `PODSIM_BLESS=1 cargo test golden` rewrites it, and the diff of the hashes
//! file shows in review which examples moved.

use assert_cmd::Command;
use podsim::scenario::hash_bytes;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const REPS: &str = "6";
const SEED: &str = "20261202";
const FILES: [&str; 3] = ["summary.csv", "reps.csv", "timeseries.csv"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `scenario file hash` lines, sorted by scenario and file.
fn current_hashes() -> String {
    let mut scenarios: Vec<_> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    scenarios.sort();
    assert!(!scenarios.is_empty(), "no example scenarios found");
    let mut out = String::new();
    for scenario in &scenarios {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("out");
        Command::cargo_bin("podsim")
            .unwrap()
            .args([
                "run",
                "--reps",
                REPS,
                "--seed",
                SEED,
                "--no-charts",
                "--quiet",
                "--threads",
                "2",
                "--out",
            ])
            .arg(&out_dir)
            .arg(scenario)
            .assert()
            .success();
        let name = scenario.file_name().unwrap().to_string_lossy().into_owned();
        for file in FILES {
            let bytes = fs::read(out_dir.join(file)).unwrap_or_else(|e| panic!("{name}: {file}: {e}"));
            writeln!(out, "{name} {file} {}", hash_bytes(&bytes)).unwrap();
        }
    }
    out
}

#[test]
fn example_outputs_match_the_checked_in_hashes() {
    let path = root().join("tests/golden.sha256");
    let now = current_hashes();
    if std::env::var_os("PODSIM_BLESS").is_some() {
        fs::write(&path, &now).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).expect("tests/golden.sha256 is missing: run with PODSIM_BLESS=1");
    let changed: Vec<String> = expected
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.rsplit_once(' ').map_or(a, |x| x.0).to_string())
        .collect();
    assert!(
        expected.lines().count() == now.lines().count() && changed.is_empty(),
        "example outputs changed ({} of {} files: {changed:?}).\n\
         If the change is meant to change results, run `PODSIM_BLESS=1 cargo test golden` \
         and commit tests/golden.sha256 with the reason.\nnow:\n{now}",
        changed.len(),
        now.lines().count()
    );
}
