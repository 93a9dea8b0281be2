//! Writing the optimiser's answer: the terminal summary here, the files
//! (plan.csv, frontier.csv, certainty.csv, optimise.json) in `files`. Only
//! formats plain values from `plan`.

mod files;
pub use files::{certainty_csv, frontier_csv, json, plan_csv};

use super::num;
use crate::calendar::date_after_weeks;
use crate::metrics::format::thousands;
use crate::model::Channel;
use crate::plan::chance::Chance;
use crate::plan::diagnose::{Diagnosis, Need, Relaxation};
use crate::plan::verify::Verification;
use crate::plan::{Binding, FrontierPoint, Limit, Plan, Stopped};
use std::fmt::Write as _;

fn money(x: f64) -> String {
    format!("${}", thousands(x.round()))
}

fn fte(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.1}")
    }
}

/// Week ranges in words: "week 3", "weeks 3-7, 12-14".
fn weeks_words(runs: &[(f64, f64)]) -> String {
    let wk = |w: f64| format!("{}", (w * 10.0).round() / 10.0);
    let parts: Vec<String> = runs
        .iter()
        .map(|&(s, e)| {
            if (e - s - 1.0).abs() < 1e-6 {
                wk(s)
            } else {
                format!("{}-{}", wk(s), wk(e))
            }
        })
        .collect();
    let single = runs.len() == 1 && (runs[0].1 - runs[0].0) <= 1.0 + 1e-6;
    format!("week{} {}", if single { "" } else { "s" }, parts.join(", "))
}

/// A binding constraint in words: what binds and what relaxing it would save.
pub fn binding_words(b: &Binding) -> String {
    let weeks = weeks_words(&b.weeks);
    let save = |v: f64| {
        if v >= 0.0 {
            format!("would save {}", money(v))
        } else {
            format!("would cost {} more", money(-v))
        }
    };
    match &b.limit {
        Limit::SeniorFocus {
            floor_hours,
            per_floor_hour,
        } => format!(
            "The senior focus floor ({floor_hours} h per senior per week) binds in {weeks}: one more senior hour per week {}; lowering the floor by one hour per senior per week {}.",
            save(b.saving),
            save(*per_floor_hour)
        ),
        Limit::Budget => format!("The budget binds: one more dollar allowed {}.", save(b.saving)),
        Limit::Access { people } => format!(
            "The access cap ({people} people) binds: one more person allowed {}.",
            save(b.saving)
        ),
        Limit::BenchMax { people } => format!(
            "The bench cap ({people} people) binds in {weeks}: one more bench seat in those weeks {}.",
            save(b.saving)
        ),
        Limit::ChannelMax { channel, people } => format!(
            "The {} channel cap ({people} people) binds in {weeks}: one more {} seat in those weeks {}.",
            channel.name(),
            channel.name(),
            save(b.saving)
        ),
        Limit::RoleMax { channel, role, people } => format!(
            "The {} cap on {} ({people} people) binds in {weeks}: one more {} {} in those weeks {}.",
            channel.name(),
            role.name(),
            channel.name(),
            role.name(),
            save(b.saving)
        ),
        Limit::ShareMax { channel, share } => format!(
            "The {} share cap ({:.0} % of contributors) binds in {weeks}: one percentage point more {}.",
            channel.name(),
            100.0 * share,
            save(b.saving)
        ),
        Limit::ShareMin { channel, share } => format!(
            "The {} share floor ({:.0} % of contributors) binds in {weeks}: one percentage point less {}.",
            channel.name(),
            100.0 * share,
            save(b.saving)
        ),
        Limit::MinEmployees { people } => format!(
            "The minimum of {people} employees binds in {weeks}: one employee fewer in those weeks {}.",
            save(b.saving)
        ),
        Limit::Work { stream, .. } => format!("Each extra hour of {stream} effort costs ${:.0}.", -b.saving),
        Limit::Other { row } => format!("The limit {row} binds in {weeks}: relaxing it by one {}.", save(b.saving)),
    }
}

/// The marginal cost of the work in one sentence (None when no backlog is priced).
pub fn work_cost_words(binding: &[Binding]) -> Option<String> {
    let costs: Vec<String> = binding
        .iter()
        .filter_map(|b| match &b.limit {
            Limit::Work { stream, work_per_item } => Some(format!(
                "{stream} ${:.0} (${} per item)",
                -b.saving,
                thousands((-b.saving * work_per_item).round())
            )),
            _ => None,
        })
        .collect();
    (!costs.is_empty()).then(|| {
        format!(
            "Marginal cost of one more effort hour due by the deadline (with rework): {}.",
            costs.join(", ")
        )
    })
}

/// What must give, in words.
pub fn relaxation_words(r: &Relaxation) -> String {
    let weeks = r
        .weeks
        .map_or(String::new(), |(s, e)| format!("weeks {}-{}", s.round(), e.round()));
    match &r.need {
        Need::Backlog {
            stream,
            hours,
            items,
            share,
            deadline_week,
        } => format!(
            "{hours:.0} h of {stream} backlog work (about {items:.0} items, {:.0} % of it) cannot be done by week {}: the deadline must move or the work shrink",
            100.0 * share,
            deadline_week.round()
        ),
        Need::Arrivals {
            stream,
            service_weeks,
            hours,
        } => format!(
            "{stream} arrivals fall behind their service time ({service_weeks} weeks) in {weeks} by up to {hours:.0} h of work: allow a longer service time or more capacity"
        ),
        Need::NoSeniors { hours } => {
            format!("the work needs senior time ({hours:.0} h) but the scenario has no seniors: add seniors")
        }
        Need::FocusFloor { floor, by } => format!(
            "the senior focus floor must drop by up to {by:.1} h per senior per week (from {floor} to {:.1}) in {weeks}",
            (floor - by).max(0.0)
        ),
        Need::SeniorTime { by } => format!(
            "the seniors would need {by:.1} h more per senior per week than they have in {weeks}: add seniors or change the structure"
        ),
        Need::Budget { from, by } => format!(
            "the budget must rise by {} (from {} to {})",
            money(*by),
            money(*from),
            money(from + by)
        ),
        Need::Access { from, by } => {
            format!("the access cap must rise by {by:.1} people (from {from} to {:.1})", from + by)
        }
        Need::BenchMax { from, by } => format!(
            "the bench cap must rise by up to {by:.1} (from {from} to {:.1}) in {weeks}",
            from + by
        ),
        Need::MinEmployees { from, by } => {
            format!("the minimum of {from} employees must drop by up to {by:.1} in {weeks}")
        }
        Need::Share { row, by } => format!(
            "the {} must give by up to {by:.1} people in {weeks}",
            row.replace('_', " ")
        ),
        Need::Milestone {
            contract,
            number,
            due_week,
            items,
            by,
        } => {
            let unit = if *items { "items" } else { "h of work" };
            format!(
                "milestone {number} of contract \"{contract}\" (due week {due_week}) is short by {by:.0} {unit}: the milestone must move later, or the work needs more capacity before it"
            )
        }
        Need::Cap { row, from, by } => format!(
            "the limit {} ({from}) must rise by up to {by:.1} in {weeks}",
            row.replace('_', " ")
        ),
    }
}

/// A week of the plan as the reader should act on it: "week 3", with the
/// calendar date when the scenario has a `start_date`.
fn week_date(plan: &Plan, week: f64) -> String {
    let w = fte(week);
    match plan.start_date.as_deref().and_then(|d| date_after_weeks(d, week)) {
        Some(date) => format!("week {w} ({date})"),
        None => format!("week {w}"),
    }
}

/// The verdict of a simulation against its target probability, in one sentence.
pub fn verdict_words(v: &Verification, target: f64) -> String {
    let runs = format!(
        "{} % of {} simulated runs finish by week {}",
        (100.0 * v.p_meet).round(),
        v.replications,
        fte(v.deadline_weeks)
    );
    if v.p_meet >= target - 1e-12 {
        format!(
            "{runs}: the plan meets the deadline with the target probability of {:.0} % (P85 finish: week {:.1}).",
            100.0 * target,
            v.finish_p85
        )
    } else {
        format!(
            "{runs}: the plan MISSES the target probability of {:.0} % (P85 finish: week {:.1}); lower max_utilisation or use --target-probability {target}.",
            100.0 * target,
            v.finish_p85
        )
    }
}

/// The terminal summary of a plan: the plan, its cost and chance of meeting
/// the deadline and what binds first; solver details only when `verbose`.
pub fn render_plan(plan: &Plan, verification: Option<&Verification>, chance: Option<&Chance>, verbose: bool) -> String {
    let mut o = String::new();
    let s = &plan.solve;
    let _ = writeln!(
        o,
        "Staffing plan for \"{}\": base strategy \"{}\" ({}), {} to week {}",
        plan.scenario,
        plan.strategy,
        plan.structure,
        if plan.period == "week" {
            "week by week"
        } else {
            "month by month"
        },
        fte(plan.deadline_weeks)
    );
    if plan.objective == crate::model::PlanObjective::Finish {
        let _ = writeln!(
            o,
            "Earliest finish that every cap allows: week {} (objective = \"finish\"), at least cost.",
            fte(plan.deadline_weeks)
        );
    }
    let _ = writeln!(
        o,
        "Cost: {} over the {} weeks.",
        money(plan.total_cost),
        fte(plan.deadline_weeks)
    );
    match s.cut {
        Some(_) => {
            let _ = writeln!(
                o,
                "Best plan found; not proven within the limit: it may cost up to {:.1} % more than the best possible plan.",
                100.0 * s.gap
            );
        }
        None => {
            let _ = writeln!(
                o,
                "No plan under the same model costs more than {:.1} % less.",
                100.0 * s.gap.max(0.0)
            );
        }
    }
    if let Some(v) = verification {
        let target = chance.map_or(0.85, |c| c.target);
        let _ = writeln!(o, "Chance of meeting the deadline: {}", verdict_words(v, target));
    }
    let _ = writeln!(o);
    if let Some(c) = chance {
        o.push_str(&render_chance(c));
        let _ = writeln!(o);
    }
    // What binds first: what it would be worth to relax each limit.
    let limits: Vec<&Binding> = plan
        .binding
        .iter()
        .filter(|b| !matches!(b.limit, Limit::Work { .. }))
        .collect();
    if limits.is_empty() {
        let _ = writeln!(
            o,
            "What drives the cost: the work and the lead times; none of the caps binds."
        );
    } else {
        let _ = writeln!(o, "What binds, and what relaxing it is worth:");
        for b in limits {
            let _ = writeln!(o, "  - {}", binding_words(b));
        }
    }
    if let Some(w) = work_cost_words(&plan.binding) {
        let _ = writeln!(o, "  - {w}");
    }
    let _ = writeln!(o, "  - Deadline: {}.", deadline_words(plan));
    let _ = writeln!(o);
    render_headcount(&mut o, plan);
    render_changes(&mut o, plan);
    let _ = writeln!(o, "Cost breakdown:");
    for (k, v) in &plan.cost {
        if v.abs() >= 0.5 {
            let _ = writeln!(
                o,
                "  {:<16} {:>14}  {:>5.1} %",
                k,
                money(*v),
                100.0 * v / plan.total_cost.max(1e-9)
            );
        }
    }
    let _ = writeln!(o, "  {:<16} {:>14}", "total", money(plan.total_cost));
    if verbose {
        let _ = writeln!(o);
        render_solver(&mut o, plan);
    }
    o
}

fn deadline_words(plan: &Plan) -> String {
    let period = &plan.period;
    let later = |v: f64| {
        if v >= 0.0 {
            format!("one {period} later would save {}", money(v))
        } else {
            format!(
                "one {period} later would cost {} more (arrivals keep coming until the deadline)",
                money(-v)
            )
        }
    };
    let earlier = |v: f64| {
        if v >= 0.0 {
            format!("one {period} earlier would cost {} more", money(v))
        } else {
            format!(
                "one {period} earlier would save {} (fewer arrivals to serve)",
                money(-v)
            )
        }
    };
    let line = match plan.deadline_sensitivity {
        (Some(a), Some(b)) => format!("{}; {}", later(a), earlier(b)),
        (Some(a), None) => format!("{}; one {period} earlier has no feasible plan", later(a)),
        (None, Some(b)) => earlier(b),
        (None, None) => format!("one {period} earlier has no feasible plan"),
    };
    format!("{line} (estimates with fractional headcounts)")
}

fn render_headcount(o: &mut String, plan: &Plan) {
    let pods = !plan.pod_leads.is_empty();
    let mut header = format!("{:>7}", "weeks");
    for c in Channel::ALL {
        let _ = write!(header, " {:>10}", c.name());
    }
    if pods {
        let _ = write!(header, " {:>9}", "pod leads");
    }
    let _ = write!(header, " {:>7}  {:>12}", "total", "senior focus");
    for r in &plan.skills {
        let _ = write!(header, " {:>6}", short(r.name()));
    }
    let _ = writeln!(
        o,
        "People by channel, senior focus (h per senior per week) and planned utilisation by skill:"
    );
    let _ = writeln!(o, "{header}");
    for p in &plan.summary {
        let mut line = format!("{:>7}", format!("{}-{}", fte(p.start_week), fte(p.end_week)));
        for v in p.by_channel {
            let _ = write!(line, " {:>10}", fte(v));
        }
        if pods {
            let _ = write!(line, " {:>9}", fte(p.pod_leads));
        }
        let total: f64 = p.by_channel.iter().sum();
        let _ = write!(line, " {:>7}  {:>12.1}", fte(total), p.senior_focus);
        for u in &p.utilisation {
            let _ = write!(line, " {:>5.0}%", (100.0 * u).max(0.0));
        }
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(o);
}

/// Changes smaller than this (FTE) are not listed: LP noise in part-time
/// channels (plan.csv keeps every value).
const SMALLEST_CHANGE: f64 = 0.05;

fn render_changes(o: &mut String, plan: &Plan) {
    let changes: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| r.starts >= SMALLEST_CHANGE || r.releases >= SMALLEST_CHANGE)
        .collect();
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "Roster changes (at the start of the week; request each start by the week given):"
    );
    for r in changes {
        let mut what = Vec::new();
        if r.starts >= SMALLEST_CHANGE {
            let by = r
                .request_week
                .map_or(String::new(), |w| format!(" (request by {})", week_date(plan, w)));
            what.push(format!("+{}{by}", fte(r.starts)));
        }
        if r.releases >= SMALLEST_CHANGE {
            what.push(format!("-{}", fte(r.releases)));
        }
        let _ = writeln!(
            o,
            "  {:<24} {:<13} {:<10} {}",
            week_date(plan, r.start_week),
            r.role.name(),
            r.channel.name(),
            what.join(" ")
        );
    }
    let _ = writeln!(o);
}

fn render_solver(o: &mut String, plan: &Plan) {
    let s = &plan.solve;
    let _ = writeln!(o, "Solver details:");
    let _ = writeln!(
        o,
        "  cost {}, bound {} (LP relaxation {}), gap {:.2} % (target {:.2} %)",
        money(s.objective),
        money(s.bound),
        money(s.relaxation),
        100.0 * s.gap,
        100.0 * s.target_gap
    );
    let _ = writeln!(
        o,
        "  found by {} in {} LP solves ({:.2} s on this machine){}",
        s.method,
        s.lp_solves,
        s.seconds,
        match s.cut {
            Some(crate::plan::solve::Cut::Work) => "; stopped by the work limit",
            Some(crate::plan::solve::Cut::Time) => "; stopped by the time limit",
            None => "",
        }
    );
    let _ = writeln!(
        o,
        "  model: {} variables ({} integer), {} constraints; overhead fixed point {} in {} iteration(s){}",
        s.variables,
        s.integers,
        s.rows,
        if s.fixed_point_converged {
            "converged"
        } else {
            "did not converge"
        },
        s.fixed_point_iterations,
        if plan.overhead_mismatch > 0.002 {
            format!(
                " (the plan's overhead differs from the assumed by up to {:.1} points)",
                100.0 * plan.overhead_mismatch
            )
        } else {
            String::new()
        }
    );
}

/// The price of certainty: what meeting the deadline with more probability costs.
pub fn render_chance(c: &Chance) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Price of certainty (each plan simulated {} times, seed {}):",
        c.replications, c.seed
    );
    let _ = writeln!(o, "  {:>22} {:>14}", "P(finish by deadline)", "cost");
    for (p, cost) in &c.price {
        let _ = writeln!(
            o,
            "  {:>21.0}% {:>14}",
            100.0 * p,
            cost.map_or("not reached".to_string(), money)
        );
    }
    let _ = writeln!(o, "  Steps (capacity margin raised until the target was met):");
    for (i, st) in c.steps.iter().enumerate() {
        let _ = writeln!(
            o,
            "    max_utilisation {:.2}: cost {}, P(finish by deadline) {:.0} %{}",
            st.max_utilisation,
            money(st.cost),
            100.0 * st.p_meet,
            if c.chosen == Some(i) { "  <- this plan" } else { "" }
        );
    }
    if c.steps.len() == 1 && c.chosen == Some(0) {
        let _ = writeln!(
            o,
            "  The first plan already meets every level shown: the loop only adds margin, so cheaper plans for lower probabilities were not searched."
        );
    }
    if c.chosen.is_none() {
        let _ = writeln!(
            o,
            "  No plan reached the target of {:.0} %: the plan shown is the most likely one found.",
            100.0 * c.target
        );
    }
    o
}

fn short(role: &str) -> String {
    match role {
        "ml_engineer" => "ml".into(),
        "domain_expert" => "domain".into(),
        "data_quality" => "dq".into(),
        other => other.chars().take(6).collect(),
    }
}

/// The terminal summary of a frontier.
pub fn render_frontier(points: &[FrontierPoint]) -> String {
    let mut o = String::from("Cost-vs-deadline frontier (* = Pareto-optimal: no earlier deadline costs as little):\n");
    let _ = writeln!(
        o,
        "{:>9} {:>14} {:>14} {:>7} {:>10}",
        "deadline", "cost", "LP bound", "gap", "peak FTE"
    );
    for p in points {
        match p.cost {
            Some(c) => {
                let _ = writeln!(
                    o,
                    "{:>8}{} {:>14} {:>14} {:>6.2}% {:>10}",
                    fte(p.deadline_weeks),
                    if p.pareto { "*" } else { " " },
                    money(c),
                    money(p.bound.unwrap_or(f64::NAN)),
                    100.0 * p.gap.unwrap_or(0.0),
                    fte(p.peak_headcount.unwrap_or(0.0))
                );
            }
            None => {
                let what = match p.status {
                    crate::plan::FrontierStatus::Infeasible => "infeasible",
                    _ => "no plan found in the time limit",
                };
                let _ = writeln!(o, "{:>8}  {:>14}", fte(p.deadline_weeks), what);
            }
        }
    }
    o
}

/// The terminal report of a search the time limit stopped before any plan:
/// not a verdict of infeasibility.
pub fn render_stopped(s: &Stopped) -> String {
    let mut o = String::new();
    match s.time_limit_seconds {
        Some(t) => {
            let _ = writeln!(
                o,
                "The time limit of {} s stopped the search before it found a whole-people plan for a deadline of week {}.",
                num(t),
                fte(s.deadline_weeks)
            );
        }
        None => {
            let _ = writeln!(
                o,
                "The search ended before it found a whole-people plan for a deadline of week {} (it dropped branches to bound its memory).",
                fte(s.deadline_weeks)
            );
        }
    }
    let _ = writeln!(
        o,
        "This does not mean that no plan exists: nothing was proven infeasible."
    );
    if let Some(r) = s.relaxation {
        let _ = writeln!(
            o,
            "With fractional people the model has a plan costing {}, a lower bound on any plan's cost.",
            money(r)
        );
    }
    let _ = writeln!(
        o,
        "Run again with a larger --time-limit, or without one: the work budget (--work-limit) never stops a search that has no plan yet."
    );
    o
}

/// The terminal report of an infeasible request.
pub fn render_diagnosis(d: &Diagnosis) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "No staffing plan meets every constraint for a deadline of week {}.",
        fte(d.deadline_weeks)
    );
    if d.integer_only {
        let _ = writeln!(
            o,
            "The LP relaxation (fractional headcounts, gates opening part-way) has a plan; with whole people and pod leads and gates that open at a period's start, none was found. Smallest changes for a whole plan:"
        );
    }
    if d.combined.is_empty() {
        let _ = writeln!(
            o,
            "No combination of the caps explains it (the work cannot be staffed at all within the lead times)."
        );
    } else {
        let _ = writeln!(o, "What must give (the smallest combined relaxation):");
        for r in &d.combined {
            let _ = writeln!(o, "  - {}", relaxation_words(r));
        }
    }
    if !d.alone.is_empty() {
        let _ = writeln!(o, "Or, relaxing one thing only:");
        for parts in &d.alone {
            let words: Vec<String> = parts.iter().map(relaxation_words).collect();
            let _ = writeln!(o, "  - {}", words.join("; and "));
        }
    }
    if !d.not_alone.is_empty() {
        let names: Vec<&str> = d.not_alone.iter().map(|g| g.name()).collect();
        let _ = writeln!(
            o,
            "Relaxing any one of these alone is not enough: {}.",
            names.join(", ")
        );
    }
    if let Some(w) = d.earliest_deadline_weeks {
        let _ = writeln!(
            o,
            "With every cap as given, the earliest deadline with a (fractional) plan is week {}.",
            fte(w)
        );
    }
    o
}

/// The terminal report of a verification (with the target probability it is judged against).
pub fn render_verification(v: &Verification, target: f64) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Simulated: {} replications of the plan (seed {}; fractional FTEs rounded up to whole people: {:+.1} FTE-weeks)",
        v.replications, v.seed, v.rounding_fte_weeks
    );
    let _ = writeln!(
        o,
        "  finish P50 week {:.1}, P85 week {:.1}, mean {:.1}{}",
        v.finish_p50,
        v.finish_p85,
        v.finish_mean,
        if v.censored > 0.0 {
            format!(" ({:.0} % not finished by the horizon)", 100.0 * v.censored)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        o,
        "  cost: planned {} (whole people {}), simulated mean {} (P85 {}); the simulation stops paying at the finish",
        money(v.planned_cost),
        money(v.planned_cost_whole_people),
        money(v.simulated_cost_mean),
        money(v.simulated_cost_p85)
    );
    if v.senior_focus_floor > 0.0 && v.senior_focus_mean < v.senior_focus_floor - 0.05 {
        let _ = writeln!(
            o,
            "  senior focus: simulated mean {:.1} h per senior per week, BELOW the floor of {} (the fluid model underestimates senior interruptions)",
            v.senior_focus_mean, v.senior_focus_floor
        );
    } else {
        let _ = writeln!(
            o,
            "  senior focus: simulated mean {:.1} h per senior per week",
            v.senior_focus_mean
        );
    }
    let _ = writeln!(o, "  => {}", verdict_words(v, target));
    o
}
