//! The optimiser's plan by period, stacked by sourcing channel: drawn by the
//! headcount chart (one panel, "optimised plan"), from plan.csv like every
//! other chart is drawn from files.

use super::headcount::Headcount;
use super::{Figure, Kind, Skip};
use crate::model::Channel;

pub const ID: &str = "plan-headcount";

/// Prepares the plan chart from plan.csv's text
/// (`period,start_week,end_week,role,channel,headcount,starts,releases`).
pub fn figure(plan_csv: &str, scenario: &str, deadline_weeks: f64) -> Result<Figure, Skip> {
    let mut per_week: Vec<[f64; Channel::COUNT]> = Vec::new();
    for (i, line) in plan_csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 6 {
            return Err(Skip(format!("plan.csv line {}: expected 8 fields", i + 1)));
        }
        let num = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| Skip(format!("plan.csv line {}: bad number {s:?}", i + 1)))
        };
        let (start, end, count) = (num(f[1])?, num(f[2])?, num(f[5])?);
        let Some(ch) = Channel::from_name(f[4]) else {
            return Err(Skip(format!("plan.csv line {}: unknown channel {:?}", i + 1, f[4])));
        };
        // Periods may be months: spread each over its weeks.
        let (a, b) = (start.floor().max(0.0) as usize, end.ceil().max(0.0) as usize);
        if per_week.len() < b.max(a + 1) {
            per_week.resize(b.max(a + 1), [0.0; Channel::COUNT]);
        }
        for w in per_week.iter_mut().take(b.max(a + 1)).skip(a) {
            w[ch.index()] += count;
        }
    }
    if per_week.is_empty() {
        return Err(Skip("the plan has no periods".into()));
    }
    // Hold the last period's value to the end of the axis.
    let last = *per_week.last().expect("non-empty");
    per_week.push(last);
    let channels: Vec<Channel> = Channel::ALL
        .into_iter()
        .filter(|c| per_week.iter().any(|w| w[c.index()] > 1e-9))
        .collect();
    if channels.is_empty() {
        return Err(Skip("the plan staffs nobody".into()));
    }
    let means = vec![channels
        .iter()
        .map(|c| per_week.iter().map(|w| w[c.index()]).collect())
        .collect()];
    let hc = Headcount {
        title: "Optimised staffing plan by sourcing channel".into(),
        subtitle: format!("{scenario} · podsim optimise"),
        strategies: vec!["optimised plan".into()],
        channels,
        means,
        deadline: Some(deadline_weeks),
        x_max: (per_week.len() - 1) as f64,
        note: "Planned headcount (FTE) in each period, stacked by channel, pod leads included; fractional FTE are \
               part-time or shared people where the plan allows them. From plan.csv."
            .into(),
    };
    Ok(Figure {
        id: ID,
        title: hc.title.clone(),
        kind: Kind::Headcount(hc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "period,start_week,end_week,role,channel,headcount,starts,releases\n\
        0,0,1,domain_expert,pod,4,0,0\n0,0,1,domain_expert,employee,2,0,0\n\
        1,1,2,domain_expert,pod,6,2,0\n1,1,2,pod_lead,pod,1,0,0\n";

    #[test]
    fn plan_chart_stacks_channels_and_renders() {
        let fig = figure(CSV, "test programme", 2.0).unwrap();
        let svg = crate::charts::render_svg(&fig, (1200, 800)).unwrap();
        assert!(svg.contains("Optimised staffing plan by sourcing channel"));
        assert!(svg.contains("employee") && svg.contains("pod"));
        let png = crate::charts::render_png(&fig, (1200, 800)).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn bad_plan_rows_are_skipped_with_a_reason() {
        assert!(figure("header\n0,0,1,x,warp,1,0,0\n", "t", 1.0)
            .unwrap_err()
            .0
            .contains("unknown channel"));
        assert!(figure("header\n", "t", 1.0).is_err());
    }
}
