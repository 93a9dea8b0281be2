//! The optimiser's plan by period, stacked by sourcing channel: drawn by the
//! headcount chart (one panel, "optimised plan"), from plan.csv like every
//! other chart is drawn from files.

use super::headcount::Headcount;
use super::sweepline::{Line, Panel, SweepLines};
use super::{Figure, Kind, Skip};
use crate::model::Channel;

pub const ID: &str = "plan-headcount";
pub const FRONTIER_ID: &str = "cost-deadline-frontier";

/// The cost-vs-deadline frontier from frontier.csv
/// (`deadline_weeks,status,cost,lp_bound,gap,peak_headcount,pareto`): the
/// plan's cost per deadline, with a band down to the LP bound (the cheapest
/// any plan could be), drawn by the sweep line chart.
pub fn frontier_figure(frontier_csv: &str, scenario: &str) -> Result<Figure, Skip> {
    let mut points = Vec::new();
    for (i, line) in frontier_csv.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 4 {
            return Err(Skip(format!("frontier.csv line {}: expected 7 fields", i + 1)));
        }
        let (Ok(deadline), Ok(cost)) = (f[0].parse::<f64>(), f[2].parse::<f64>()) else {
            continue; // no plan at this deadline (infeasible or no answer in time)
        };
        let bound = f[3].parse::<f64>().unwrap_or(cost).min(cost);
        points.push((deadline, cost, bound, cost));
    }
    if points.len() < 2 {
        return Err(Skip("fewer than two deadlines have a plan".into()));
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let sl = SweepLines {
        title: "Cost of meeting each deadline (optimised plans)".into(),
        subtitle: format!("{scenario} · podsim optimise --frontier"),
        x_desc: "deadline (week)".into(),
        strategies: vec!["optimised plan".into()],
        colors: vec![0],
        panels: vec![Panel {
            title: "Planned cost by deadline".into(),
            metric: "cost_total".into(),
            y_desc: "USD per programme".into(),
            lines: vec![Line {
                strategy: 0,
                color: 0,
                points,
            }],
            marks: Default::default(),
        }],
        note: "Line: cost of the best plan found for each deadline; band: from the LP bound (no plan can cost less) up to \
               that plan's cost. Deadlines without a plan are left out. From frontier.csv."
            .into(),
    };
    Ok(Figure {
        id: FRONTIER_ID,
        title: sl.title.clone(),
        kind: Kind::SweepLines(sl),
    })
}

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
    // Hold the last period's value to the end of its period.
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
        // The axis runs a little past the deadline, so its line never sits on the frame.
        x_max: ((per_week.len() - 1) as f64).max(deadline_weeks + 2.0),
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
    fn frontier_chart_renders_with_bound_band() {
        let csv = "deadline_weeks,status,cost,lp_bound,gap,peak_headcount,pareto\n\
            20,infeasible,,,,,\n22,optimal,300000,290000,0.03,20,true\n26,optimal,250000,249000,0.004,16,true\n";
        let fig = frontier_figure(csv, "test programme").unwrap();
        let svg = crate::charts::render_svg(&fig, (1200, 800)).unwrap();
        assert!(svg.contains("Cost of meeting each deadline"));
        assert!(frontier_figure("h\n22,infeasible,,,,,\n", "t").is_err());
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
