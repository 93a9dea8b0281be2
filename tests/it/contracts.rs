//! Commercial terms (docs/CONTRACTS.md): bad `[contract.*]` input is a
//! located error with exit 2; the example scenario runs with the money
//! invariant checked in every replication.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> String {
    fs::read_to_string(root().join("scenarios/outcome-pricing.toml")).unwrap()
}

/// (what, file text, words the message must contain, field path it must name)
fn malformed() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let base = example();
    let r = |a: &str, b: &str| {
        assert!(base.contains(a), "the example lacks {a:?}");
        base.replacen(a, b, 1)
    };
    vec![
        (
            "per-item price for work the provider does not serve",
            r("annotation = 528", "rl_loops = 5.0, annotation = 528"),
            "unknown workstream `rl_loops`",
            "contract.per_item.price_per_item.rl_loops",
        ),
        (
            "per-item price for a workstream the provider does not serve",
            r(
                "{ role = \"data_quality\", channel = \"pod\", count = 3 }]\ncontracts = [\"per_item\"]",
                "{ role = \"data_quality\", channel = \"employee\", count = 3 }]\ncontracts = [\"per_item\"]",
            ),
            "does not serve it",
            "contract.per_item.price_per_item.data_preparation",
        ),
        (
            "milestone after the horizon",
            r("milestones = [{ week = 16 }]", "milestones = [{ week = 60 }]"),
            "no later than the horizon",
            "contract.fixed.milestones[0].week",
        ),
        (
            "negative price",
            r("fixed_price = ", "fixed_price = -"),
            "expected a number ≥ 0",
            "contract.fixed.fixed_price",
        ),
        (
            "overlapping scopes",
            format!(
                "{}\n[contract.fixed_dq]\nchannel = \"employee\"\npricing = \"fixed\"\nfixed_price = 1000.0\nscope = [\"data_preparation\"]\n",
                r(
                    "{ role = \"data_quality\", channel = \"pod\", count = 3 }]\ncontracts = [\"fixed\"]",
                    "{ role = \"data_quality\", channel = \"employee\", count = 3 }, { role = \"data_quality\", channel = \"pod\", count = 1 }]\ncontracts = [\"fixed\", \"fixed_dq\"]",
                )
            ),
            "overlapping scopes",
            "strategy[2].contracts[1]",
        ),
        (
            "two contracts for one channel",
            r("contracts = [\"fixed\"]", "contracts = [\"fixed\", \"hourly\"]"),
            "one contract per channel",
            "strategy[2].contracts[1]",
        ),
        (
            "unknown contract",
            r("contracts = [\"fixed\"]", "contracts = [\"fixd\"]"),
            "did you mean `fixed`",
            "strategy[2].contracts[0]",
        ),
        (
            "notice on a per-item contract",
            r("pricing = \"per_item\"", "pricing = \"per_item\"\nnotice_weeks = 2"),
            "only used with pricing = \"time_and_materials\"",
            "contract.per_item.notice_weeks",
        ),
        (
            "unknown pricing",
            r("pricing = \"fixed\"", "pricing = \"outcome\""),
            "unknown pricing `outcome`",
            "contract.fixed.pricing",
        ),
    ]
}

#[test]
fn bad_contract_terms_exit_2_with_located_messages() {
    let dir = tempfile::tempdir().unwrap();
    for (what, text, expected, field) in malformed() {
        let path = dir.path().join("bad.toml");
        fs::write(&path, &text).unwrap();
        let out = Command::cargo_bin("podsim")
            .unwrap()
            .arg("validate")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{what}: message lacks {expected:?}:\n{stderr}"
        );
        assert!(
            stderr.contains(field),
            "{what}: message lacks the field {field:?}:\n{stderr}"
        );
        assert!(stderr.contains("bad.toml:"), "{what}: not located:\n{stderr}");
        assert!(!stderr.contains("panicked"), "{what}: panicked:\n{stderr}");
    }
}

#[test]
fn the_example_validates() {
    let out = Command::cargo_bin("podsim")
        .unwrap()
        .arg("validate")
        .arg(root().join("scenarios/outcome-pricing.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
