//! `podsim show`: the resolved scenario is valid TOML that means exactly
//! what the original means, and it lists every field that applies.

use assert_cmd::Command;
use podsim::scenario::schema::FIELDS;
use std::fs;
use std::path::{Path, PathBuf};

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<_> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

fn show(path: &Path) -> String {
    let out = podsim()
        .arg("show")
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn run_files(scenario: &Path, out: &Path) -> Vec<Vec<u8>> {
    podsim()
        .args([
            "run",
            "--reps",
            "3",
            "--seed",
            "7",
            "--no-charts",
            "--quiet",
            "--threads",
            "2",
            "--out",
        ])
        .arg(out)
        .arg(scenario)
        .assert()
        .success();
    ["summary.csv", "reps.csv", "timeseries.csv"]
        .iter()
        .map(|f| fs::read(out.join(f)).unwrap())
        .collect()
}

#[test]
fn shown_scenarios_validate_to_the_same_model_and_run_identically() {
    let dir = tempfile::tempdir().unwrap();
    for path in examples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let shown = show(&path);
        let original = podsim::scenario::load(&path).unwrap().model;
        let resolved =
            podsim::scenario::parse_str(&shown, "shown.toml").unwrap_or_else(|e| panic!("{name}: {e}\n{shown}"));
        assert!(original == resolved, "{name}: the shown scenario means something else");
        let shown_path = dir.path().join(&name);
        fs::write(&shown_path, &shown).unwrap();
        let a = run_files(&path, &dir.path().join(format!("{name}-a")));
        let b = run_files(&shown_path, &dir.path().join(format!("{name}-b")));
        assert!(a == b, "{name}: outputs differ between the file and its shown form");
    }
}

#[test]
fn every_field_that_applies_appears() {
    let shown: String = examples().iter().map(|p| show(p)).collect();
    for f in FIELDS {
        let key = f.path.rsplit('.').find(|s| *s != "*").unwrap().trim_end_matches("[*]");
        assert!(
            shown.contains(&format!("\n{key} = "))
                || shown.contains(&format!("# {key}"))
                || shown.contains(&format!("[{key}]"))
                || shown.contains(&format!(".{key}]")),
            "`{}` appears in no shown example",
            f.path
        );
    }
    // A pods strategy lists every pods field; channels list all four.
    for name in ["employee", "freelancer", "pod", "bench"] {
        assert!(shown.contains(&format!("[channels.{name}]")), "channel {name}");
    }
    for f in FIELDS.iter().filter(|f| f.path.starts_with("strategy.*.pods.")) {
        let key = f.path.rsplit('.').next().unwrap();
        assert!(
            shown.contains(&format!("\n{key} = ")) || shown.contains(&format!("# {key} = ")),
            "{}",
            f.path
        );
    }
}

#[test]
fn out_writes_the_file_and_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = &examples()[0];
    let target = dir.path().join("resolved.toml");
    podsim()
        .arg("show")
        .arg(scenario)
        .arg("--out")
        .arg(&target)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&target).unwrap(), show(scenario));
    fs::write(&target, "keep me").unwrap();
    let out = podsim()
        .arg("show")
        .arg(scenario)
        .arg("--out")
        .arg(&target)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("already exists; pass --force"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    podsim()
        .arg("show")
        .arg(scenario)
        .arg("--out")
        .arg(&target)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&target).unwrap(), show(scenario));
}
