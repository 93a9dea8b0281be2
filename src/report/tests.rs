use super::*;
use crate::results::run_fixtures::{info, REPS_CSV, SUMMARY_CSV, TS_CSV};
use std::path::Path;

fn data() -> RunData {
    RunData::from_parts(
        Path::new("out"),
        info(&["a", "b"]),
        (SUMMARY_CSV, "summary.csv"),
        (REPS_CSV, "reps.csv"),
        (TS_CSV, "timeseries.csv"),
    )
    .unwrap()
}

fn chart() -> Chart {
    Chart {
        id: "strategy-comparison".into(),
        title: "Strategy comparison".into(),
        caption: "Bars & whiskers".into(),
        svg: "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n"
            .into(),
        file: "charts/strategy-comparison.png".into(),
    }
}

#[test]
fn paired_differences_match_replications() {
    // b - a per replication: finish 2-3, 3-4, 5-6 = -1 each.
    let p = paired(&data(), 1, "finish_week");
    assert_eq!(p.diff.n, 3);
    assert!((p.diff.mean + 1.0).abs() < 1e-12);
    assert_eq!(p.share_lower, 1.0);
}

#[test]
fn differences_are_put_in_plain_words() {
    let p = &phrases()[0]; // finish week, lower is better
    let clear = stats::paired(&[10.0, 11.0, 12.0, 13.0], &[5.0, 6.2, 6.8, 8.0], 0.95);
    let s = describe(p, &clear).unwrap();
    assert!(s.starts_with("finishes 5.0 weeks earlier (95 % CI "), "{s}");
    let unclear = stats::paired(&[10.0, 11.0, 12.0, 13.0], &[11.0, 10.0, 13.0, 12.0], 0.95);
    let s = describe(p, &unclear).unwrap();
    assert!(
        s.starts_with("shows no clear difference in finish week (+0.0; 95 % CI "),
        "{s}"
    );
    let cost = &phrases()[2];
    let worse = stats::paired(&[100.0, 100.0, 100.0], &[150.0, 160.0, 170.0], 0.95);
    assert!(describe(cost, &worse).unwrap().starts_with("costs $60 more"));
}

#[test]
fn markdown_and_html_say_the_same_thing() {
    let doc = build(
        &data(),
        &Scenario::Unavailable {
            why: "not found".into(),
            channel_defaults: Box::new(super::assumptions::tests::default_channels()),
        },
        &[chart()],
        &[],
    );
    let md = markdown::render(&doc);
    let html = html::render(&doc);
    let md_headings: Vec<String> = md
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim().to_string())
        .collect();
    let mut html_headings = Vec::new();
    for level in 1..=3 {
        let open = format!("<h{level}>");
        for part in html.split(&open).skip(1) {
            html_headings.push((
                html.find(&format!("{open}{part}")).unwrap_or(0),
                part.split("</h").next().unwrap_or("").to_string(),
            ));
        }
    }
    html_headings.sort();
    let html_headings: Vec<String> = html_headings
        .into_iter()
        .map(|(_, h)| h.replace("&amp;", "&"))
        .collect();
    assert_eq!(md_headings, html_headings);
    assert!(md.contains("![Strategy comparison](charts/strategy-comparison.png)"));
    assert!(html.contains("<svg role=\"img\" aria-label=\"Strategy comparison\" width=\"10\""));
    assert!(!html.contains("http"), "inline SVG keeps no namespace URL");
    assert!(html.contains("Bars &amp; whiskers"));
}

#[test]
fn censoring_and_deadlines_are_reported() {
    let doc = build(
        &data(),
        &Scenario::Unavailable {
            why: "x".into(),
            channel_defaults: Box::new(super::assumptions::tests::default_channels()),
        },
        &[],
        &[Omitted {
            title: "Senior time".into(),
            reason: "no seniors".into(),
        }],
    );
    let md = markdown::render(&doc);
    // Strategy a: 2 of 3 replications finish by week 4.
    assert!(md.contains("“a” in 67 %, “b” in 67 %"), "{md}");
    assert!(md.contains("**Senior time**: no seniors."));
}

#[test]
fn markdown_escapes_what_it_must() {
    let doc = Doc {
        title: "A*B".into(),
        blocks: vec![Block::Table(Table {
            header: vec!["x|y".into()],
            rows: vec![vec!["[1]".into()]],
            numeric: vec![true],
        })],
    };
    let md = markdown::render(&doc);
    assert!(md.starts_with("# A\\*B\n"));
    assert!(md.contains("| x\\|y |\n| ---: |\n| \\[1\\] |"), "{md}");
}

#[test]
fn the_report_opens_with_a_decision_summary_in_quoted_names() {
    let doc = build(
        &data(),
        &Scenario::Unavailable {
            why: "x".into(),
            channel_defaults: Box::new(super::assumptions::tests::default_channels()),
        },
        &[],
        &[],
    );
    let first_h2 = doc.blocks.iter().find_map(|b| match b {
        Block::Heading(2, t) => Some(t.clone()),
        _ => None,
    });
    assert_eq!(first_h2.as_deref(), Some("Decision summary"));
    let md = markdown::render(&doc);
    // The table names strategies in quotes and gives the P85 finish.
    assert!(md.contains("| “a” |") && md.contains("Finish week (P85)"), "{md}");
    // Sentences quote names too: "Compared with “a”, **“b”** ...".
    assert!(md.contains("Compared with “a”, **“b”**"), "{md}");
}

#[test]
fn a_loaded_scenario_describes_its_strategies_and_rates() {
    let m = crate::scenario::parse_str(
        include_str!("../../scenarios/pod-vs-individual.toml"),
        "pod-vs-individual.toml",
    )
    .unwrap();
    let doc = build(&data(), &Scenario::Loaded(&m), &[], &[]);
    let md = markdown::render(&doc);
    assert!(md.contains("## The strategies"), "{md}");
    assert!(md.contains("**“pods”** — managed pods: 4 pods of 6"), "{md}");
    assert!(md.contains("| domain experts | freelancer | $60 |"), "{md}");
    assert!(md.contains("Interdependence"), "{md}");
    // The P85 finish date, from the scenario's start date.
    assert!(md.contains("Finish date (P85)"), "{md}");
}
