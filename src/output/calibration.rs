//! Words for `podsim fit` and `podsim backtest`: what was read, what was
//! left out and why, what was fitted and how well, and how calibrated a
//! backtest is. Plain text, also written as the fit report's Markdown.

use crate::fit::history::History;
use crate::fit::{Estimate, FitReport};
use crate::metrics::format::significant;
use std::fmt::Write as _;

fn est(e: &Estimate) -> String {
    format!(
        "{} (90 % interval {} to {}, n = {})",
        significant(e.value, 3),
        significant(e.lo, 3),
        significant(e.hi, 3),
        e.n
    )
}

/// What the readers did: rows, items, rows left out by reason.
pub fn reading(h: &History) -> String {
    let mut t = String::new();
    for (f, kind) in &h.files {
        let _ = writeln!(t, "read {f} ({kind})");
    }
    let _ = writeln!(
        t,
        "{} row(s): {} item(s) in {} workstream(s), {} assignee(s); {} row(s) left out",
        h.rows,
        h.items.len(),
        h.workstreams.len(),
        h.people.len(),
        h.dropped_rows()
    );
    for (reason, d) in &h.dropped {
        let at: Vec<String> = d.first.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            t,
            "  left out {} row(s): {reason} (first at {}{})",
            d.count,
            at.join(", "),
            if d.count as usize > at.len() { ", …" } else { "" }
        );
    }
    t
}

/// The fit, per workstream, and tenure.
pub fn fit(r: &FitReport) -> String {
    let s = &r.settings;
    let mut t = String::new();
    if let Some((a, b)) = r.span {
        let _ = writeln!(
            t,
            "history from {} to {}",
            crate::fit::time::date_of(a),
            crate::fit::time::date_of(b)
        );
    }
    let _ = writeln!(
        t,
        "bootstrap: {} resamples, seed {}; goodness of fit: Kolmogorov-Smirnov with a {}-resample parametric bootstrap p-value",
        s.resamples, s.seed, s.gof_resamples
    );
    for w in &r.workstreams {
        let _ = writeln!(
            t,
            "\nworkstream {}: {} item(s), {} done with a time spent",
            w.name, w.items, w.done
        );
        match &w.effort {
            Ok(e) => {
                let _ = writeln!(t, "  effort (hours), by AIC:");
                for (i, f) in e.fits.iter().enumerate() {
                    let _ = writeln!(
                        t,
                        "    {} {:<12} AIC {:>10}  KS {:<6}  {}",
                        if i == 0 { "*" } else { " " },
                        f.fitted.family().name(),
                        significant(f.aic, 6),
                        significant(f.ks, 3),
                        crate::fit::describe(&f.fitted)
                    );
                }
                if e.fits_well() {
                    let _ = writeln!(t, "  the best family fits (KS p = {})", significant(e.p_value, 2));
                } else {
                    let _ = writeln!(
                        t,
                        "  no family fits well: the best, {}, is rejected (KS p = {} < {}); it is written, but look at the QQ plot",
                        e.best().fitted.family().name(),
                        significant(e.p_value, 2),
                        crate::fit::GOF_ALPHA
                    );
                }
                for (name, i) in &e.intervals {
                    let _ = writeln!(t, "  effort_hours.{name} = {}", est(i));
                }
            }
            Err(why) => {
                let _ = writeln!(t, "  effort: not fitted: {why}");
            }
        }
        match &w.arrivals {
            Ok(a) => {
                let _ = writeln!(
                    t,
                    "  created per week: {}; surge weeks: {}",
                    est(&a.per_week),
                    if a.surges.is_empty() {
                        "none".to_string()
                    } else {
                        a.surges.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                    }
                );
            }
            Err(why) => {
                let _ = writeln!(t, "  arrivals: not estimated: {why}");
            }
        }
        for (label, r) in [
            ("questions_per_item", &w.questions),
            ("defect_rate (reopened or rejected)", &w.rework),
        ] {
            match r {
                Ok(e) => {
                    let _ = writeln!(t, "  {label} = {}", est(e));
                }
                Err(why) => {
                    let _ = writeln!(t, "  {label}: not estimated: {why}");
                }
            }
        }
    }
    match &r.tenure {
        Ok(ten) => {
            let left = ten.spells.iter().filter(|s| s.left).count();
            let median = ten.km.iter().find(|p| p.1 <= 0.5).map(|p| p.0);
            let _ = writeln!(
                t,
                "\ntenure: {} assignee(s), {left} left, {} still active (censored: activity in the last {} weeks); Kaplan-Meier median {}",
                ten.spells.len(),
                ten.spells.len() - left,
                significant(s.censor_weeks, 3),
                median.map_or("not reached".to_string(), |m| format!("{} weeks", significant(m, 3)))
            );
            let _ = writeln!(
                t,
                "  channels.{}.attrition_per_year = {}",
                s.channel,
                est(&ten.attrition)
            );
        }
        Err(why) => {
            let _ = writeln!(t, "\ntenure: not estimated: {why}");
        }
    }
    t
}

/// The backtest's weekly comparison file.
pub const BACKTEST_CSV: &str = "backtest.csv";

/// backtest.csv: one row per workstream and week.
pub fn backtest_csv(o: &crate::backtest::Outcome, from: i64) -> String {
    let mut t = String::from("workstream,week,week_start,actual,sim_p10,sim_p50,sim_p90,inside\n");
    for s in &o.streams {
        for (w, x) in s.weeks.iter().enumerate() {
            let start = crate::fit::time::date_of(from + (w as f64 * crate::fit::WEEK_SECS) as i64);
            let inside = x[3] >= x[0] && x[3] <= x[2];
            let _ = writeln!(
                t,
                "{},{w},{start},{},{},{},{},{}",
                csv_field(&s.workstream),
                crate::metrics::format::trim(x[3], 2),
                crate::metrics::format::trim(x[0], 2),
                crate::metrics::format::trim(x[1], 2),
                crate::metrics::format::trim(x[2], 2),
                inside as u8
            );
        }
    }
    t
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The backtest's account for the terminal.
pub fn backtest(
    o: &crate::backtest::Outcome,
    a: &crate::backtest::Actual,
    strategy: &crate::model::Strategy,
    seed: u64,
    reps: u64,
) -> String {
    let mut t = String::new();
    let date = |w: f64| crate::fit::time::date_of(a.from + (w * crate::fit::WEEK_SECS) as i64);
    let _ = writeln!(
        t,
        "backtest of {} week(s) from {}: strategy \"{}\" ({} contributor(s) at the start), {reps} replications, seed {seed}",
        a.weeks,
        crate::fit::time::date_of(a.from),
        strategy.name,
        strategy.initial_headcount()
    );
    let joins: i64 = a.roster_steps.iter().filter(|s| s.count > 0).map(|s| s.count).sum();
    let leaves: i64 = a.roster_steps.iter().filter(|s| s.count < 0).map(|s| -s.count).sum();
    let _ = writeln!(
        t,
        "roster from the history's assignees: {} at the start, {joins} joined and {leaves} left during the period (attrition and scaling off: who worked is known)",
        a.roster_at_start.iter().map(|(_, n)| n).sum::<usize>()
    );
    let mut people = a.active_people.clone();
    people.sort_unstable();
    if let (Some(lo), Some(hi)) = (people.first(), people.last()) {
        let _ = writeln!(
            t,
            "history: {lo} to {hi} assignee(s) finished work in a week (median {})",
            people[people.len() / 2]
        );
    }
    for s in &o.streams {
        let p = a.periods.iter().find(|p| p.workstream == s.workstream);
        let _ = writeln!(
            t,
            "\nworkstream {}: {} item(s) open at the start, {} created during the period (replayed at their created times)",
            s.workstream,
            p.map_or(0, |p| p.backlog),
            p.map_or(0, |p| p.arrivals.len())
        );
        let _ = writeln!(
            t,
            "  weekly throughput: {} of {} week(s) inside the simulated P10-P90 band ({} %); {} below, {} above",
            s.weeks.len() - s.below - s.above,
            s.weeks.len(),
            significant(s.coverage * 100.0, 3),
            s.below,
            s.above
        );
        let actual: f64 = s.weeks.iter().map(|w| w[3]).sum();
        let median: f64 = s.weeks.iter().map(|w| w[1]).sum();
        let _ = writeln!(
            t,
            "  items finished in the period: actual {actual}, simulated median weeks together {}",
            significant(median, 4)
        );
        let _ = writeln!(
            t,
            "  finish: simulated P10 {} / P50 {} / P90 {}; actual {}",
            date(s.finish[0]),
            date(s.finish[1]),
            date(s.finish[2]),
            s.actual_finish_weeks
                .map_or("not finished by the end of the period".to_string(), date)
        );
    }
    let _ = writeln!(
        t,
        "\ncalibration: {} % of {} actual week(s) inside the simulated P10-P90 band (about 80 % when calibrated; below {} % is unlikely for a calibrated model)",
        significant(o.coverage * 100.0, 3),
        o.streams.iter().map(|s| s.weeks.len()).sum::<usize>(),
        significant(o.lower_limit * 100.0, 3)
    );
    let below: usize = o.streams.iter().map(|s| s.below).sum();
    let above: usize = o.streams.iter().map(|s| s.above).sum();
    if o.calibrated {
        let _ = writeln!(t, "verdict: calibrated");
    } else {
        let _ = writeln!(
            t,
            "verdict: MISCALIBRATED: {}",
            if below > above {
                "the team finished less than simulated in most weeks outside the band (the model is optimistic: effort, questions or overheads too low, or ramp-up too fast)"
            } else if above > below {
                "the team finished more than simulated in most weeks outside the band (the model is pessimistic: effort, questions or overheads too high)"
            } else {
                "the simulated band is too narrow"
            }
        );
    }
    t
}
