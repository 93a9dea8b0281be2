//! The price of certainty (`podsim optimise --target-probability P`): the
//! cost of each plan the chance-constrained loop solved against its simulated
//! probability of meeting the deadline, drawn by the sweep line chart from
//! certainty.csv like every other chart is drawn from files.

use super::sweepline::{Line, Marks, Panel, SweepLines};
use super::{Figure, Kind, Skip};

pub const ID: &str = "price-of-certainty";

/// Prepares the chart from certainty.csv's text
/// (`max_utilisation,cost,p_meet_deadline,finish_p85,chosen`), or says why
/// it is skipped: `None` when the run had no `--target-probability` (the
/// loop, and so the file, did not run).
pub fn figure(certainty_csv: Option<&str>, scenario: &str, target: f64) -> Result<Figure, Skip> {
    let Some(csv) = certainty_csv else {
        return Err(Skip(
            "no --target-probability: the chart draws the chance-constrained loop's plans".into(),
        ));
    };
    let mut points = Vec::new();
    let mut labels = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 5 {
            return Err(Skip(format!("certainty.csv line {}: expected 5 fields", i + 1)));
        }
        let num = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| Skip(format!("certainty.csv line {}: bad number {s:?}", i + 1)))
        };
        let (util, cost, p) = (num(f[0])?, num(f[1])?, num(f[2])?);
        points.push((p, cost, cost, cost));
        let chosen = if f[4] == "true" { " (chosen)" } else { "" };
        labels.push((p, cost, format!("max_utilisation {util}{chosen}")));
    }
    if points.len() < 2 {
        return Err(Skip(
            "the loop solved fewer than two plans (the first already met every level): nothing to draw a line through"
                .into(),
        ));
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let sl = SweepLines {
        title: "Price of certainty: plan cost against the chance of meeting the deadline".into(),
        subtitle: format!("{scenario} · podsim optimise --target-probability {target}"),
        x_desc: "simulated probability of meeting the deadline".into(),
        strategies: vec!["optimised plans".into()],
        colors: vec![0],
        panels: vec![Panel {
            title: "Planned cost by probability of meeting the deadline".into(),
            metric: "cost_total".into(),
            y_desc: "USD per programme".into(),
            lines: vec![Line {
                strategy: 0,
                color: 0,
                points,
            }],
            marks: Marks {
                x_line: Some((target, format!("target {}", crate::metrics::format::Format::Percent.value(target)))),
                point_labels: labels,
            },
        }],
        note:
            "One point per plan the loop solved, each with a larger capacity margin (lower max_utilisation) than the \
               one before; the probability is simulated with the full model; dashed: the target probability. From certainty.csv."
                .into(),
    };
    Ok(Figure {
        id: ID,
        title: sl.title.clone(),
        kind: Kind::SweepLines(sl),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certainty_chart_renders_and_skips_with_a_reason() {
        let csv = "max_utilisation,cost,p_meet_deadline,finish_p85,chosen\n\
            0.85,100000,0.4,7.5,false\n0.8,110000,0.9,5.8,true\n0.75,118000,0.97,5.5,false\n";
        let fig = figure(Some(csv), "test programme", 0.85).unwrap();
        let svg = crate::charts::render_svg(&fig, (1200, 800)).unwrap();
        assert!(svg.contains("Price of certainty"));
        // The target is marked, and each point says which margin it is.
        assert!(svg.contains("target 85 %"), "target line label");
        assert!(svg.contains("max_utilisation 0.8 (chosen)"), "chosen plan labelled");
        assert!(svg.contains("max_utilisation 0.75"), "other plans labelled");
        assert!(figure(None, "t", 0.85)
            .unwrap_err()
            .0
            .contains("no --target-probability"));
        assert!(figure(Some("h\n0.85,1,0.99,5,true\n"), "t", 0.85).is_err());
        assert!(figure(Some("h\n0.8,x,0.9,5,true\n"), "t", 0.85)
            .unwrap_err()
            .0
            .contains("bad number"));
    }
}
