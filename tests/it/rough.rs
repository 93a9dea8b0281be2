//! Rough edges a new user hits (issue #20): the terminal table says what a
//! reader needs — the deadline, unfinished work, ties — in plain words.

use assert_cmd::Command;
use std::path::Path;

fn podsim() -> Command {
    Command::cargo_bin("podsim").unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Two strategies on one backlog; `slow` has a tenth of `fast`'s people.
/// Identical seniors and no defects make several metrics tie exactly.
fn scenario(horizon: u32, deadline: u32, slow: u32) -> String {
    format!(
        r#"
name = "rough"
horizon_weeks = {horizon}
deadline_weeks = {deadline}
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 400
effort_hours = {{ dist = "lognormal", mean = 4.0, cv = 0.3 }}
[seniors]
count = 2
[[strategy]]
name = "slow"
structure = "individual"
team = [{{ role = "domain_expert", channel = "employee", count = {slow} }}]
[[strategy]]
name = "fast"
structure = "individual"
team = [{{ role = "domain_expert", channel = "employee", count = 10 }}]
"#
    )
}

fn table(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, text).unwrap();
    let out = podsim()
        .arg("run")
        .arg(&s)
        .args(["--reps", "8", "--quiet", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The paired-difference row of `label` (the first, when several strategies).
fn paired_row<'a>(t: &'a str, label: &str) -> &'a str {
    t.lines()
        .find(|l| l.trim_start().starts_with(label) && l.contains(" wins "))
        .unwrap_or_else(|| panic!("no paired row {label:?} in\n{t}"))
}

fn row<'a>(t: &'a str, start: &str) -> &'a str {
    t.lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no row {start:?} in\n{t}"))
}

#[test]
fn the_table_has_the_deadline_probability_row() {
    // 400 items x 4 h over 10 people at ~34 h a week: about 5 weeks.
    let t = table(&scenario(52, 12, 1));
    let r = row(&t, "P(finish by week 12)");
    let cells: Vec<&str> = r.split_whitespace().collect();
    assert_eq!(&cells[cells.len() - 4..], ["0", "%", "100", "%"], "{t}");
    // Every example with a deadline shows it, including those whose first
    // tables never mentioned it.
    for f in ["surge-elastic-bench.toml", "senior-interruptions.toml"] {
        let out = podsim()
            .arg("run")
            .arg(root().join("scenarios").join(f))
            .args(["--reps", "2", "--quiet", "--no-charts", "--out"])
            .arg(tempfile::tempdir().unwrap().path().join("o"))
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("P(finish by week "),
            "{f}"
        );
    }
}

#[test]
fn unfinished_strategies_are_not_given_a_week_difference() {
    // "slow" (1 person, ~47 weeks of work) cannot finish in 20 weeks.
    let t = table(&scenario(20, 12, 1));
    let finish = paired_row(&t, "Finish week");
    assert!(
        finish.contains("\"slow\" did not finish in 100 % of replications"),
        "{t}"
    );
    // The costs of unfinished work are marked, in the table and the difference.
    assert!(
        row(&t, "Total cost").split_whitespace().nth(2).unwrap().ends_with('*'),
        "{t}"
    );
    assert!(t.contains("costs (marked *) pay for unfinished work"), "{t}");
    assert!(row(&t, "Finish week (P50)").contains(">20.0"), "{t}");
}

#[test]
fn ties_are_counted_apart_from_losses_and_headers_agree() {
    let t = table(&scenario(52, 12, 10));
    assert!(t.starts_with("8 replications per strategy"), "{t}");
    assert!(t.contains("paired over the same 8 replications"), "{t}");
    // Identical strategies: every paired row ties in every replication.
    let finish = paired_row(&t, "Finish week");
    assert!(finish.ends_with("wins   0 %, ties 100 %"), "{finish}");
    // Paired rows line up: "wins" at the same column in every row.
    let cols: Vec<usize> = t
        .lines()
        .filter(|l| l.starts_with("    ") && l.contains(" wins "))
        .map(|l| l.find(" wins ").unwrap())
        .collect();
    assert!(cols.len() > 3 && cols.iter().all(|c| *c == cols[0]), "{t}");
    assert!(row(&t, "People ever with access").contains("10.0"), "{t}");
}
