//! `[[workstream]]` -> validated [`Workstream`]s: effort, arrivals (Poisson or
//! scheduled), defaults by skill, and the `after` gates between them, with
//! cycles rejected.

use super::raw::*;
use super::schema;
use super::spans::closest;
use super::validate::*;
use crate::model::*;

pub(super) fn workstreams(raw: &RawScenario, horizon_weeks: f64) -> Result<Vec<Workstream>> {
    let root = FieldPath::root();
    if raw.workstream.is_empty() {
        return err(&root, "a scenario needs at least one [[workstream]]");
    }
    if raw.workstream.len() > limits::MAX_WORKSTREAMS {
        return err(
            &root.key("workstream"),
            format!("at most {} workstreams are supported", limits::MAX_WORKSTREAMS),
        );
    }
    let mut workstreams = Vec::with_capacity(raw.workstream.len());
    let mut expected_items = 0.0;
    for (i, w) in raw.workstream.iter().enumerate() {
        let p = root.key("workstream").index(i);
        if raw.workstream[..i].iter().any(|o| o.name == w.name) {
            return err(&p.key("name"), format!("duplicate workstream name \"{}\"", w.name));
        }
        let ws = workstream(&p, w, horizon_weeks)?;
        expected_items += ws.finite_items() as f64 + ws.expected_arrivals(0.0, horizon_weeks * HOURS_PER_WEEK);
        workstreams.push(ws);
    }
    if expected_items > limits::MAX_EXPECTED_ITEMS {
        return err(
            &root.key("workstream"),
            format!(
                "the workstreams would create about {expected_items:.0} items per replication, above the limit of {:.0}; shorten the horizon or lower the arrival rates",
                limits::MAX_EXPECTED_ITEMS
            ),
        );
    }
    gates(raw, &mut workstreams)?;
    Ok(workstreams)
}

/// One workstream, without its gates (they need every name first).
fn workstream(p: &FieldPath, w: &RawWorkstream, horizon_weeks: f64) -> Result<Workstream> {
    if w.name.trim().is_empty() {
        return err(&p.key("name"), "expected a non-empty workstream name");
    }
    let skill = skill(&p.key("skill"), &w.skill)?;
    if let Some(b) = w.backlog.filter(|&b| b > limits::MAX_BACKLOG_PER_STREAM) {
        return err(
            &p.key("backlog"),
            format!(
                "a backlog of {b} items is above the limit of {} per workstream",
                limits::MAX_BACKLOG_PER_STREAM
            ),
        );
    }
    let backlog = whole(&p.key("backlog"), &schema::WS_BACKLOG, w.backlog)?;
    let arrivals_per_week = value(&p.key("arrivals_per_week"), &schema::WS_ARRIVALS, w.arrivals_per_week)?;
    let scheduled = scheduled_arrivals(p, w, horizon_weeks)?;
    if !scheduled.is_empty() && (arrivals_per_week > 0.0 || !w.surge.is_empty()) {
        return err(
            &p.key("arrivals_at_weeks"),
            "give either scheduled arrivals (`arrivals_at_weeks`) or Poisson ones (`arrivals_per_week`, `surge`), not both",
        );
    }
    if backlog == 0 && arrivals_per_week == 0.0 && scheduled.is_empty() {
        return err(
            p,
            format!(
                "workstream \"{}\" has no work: give it a `backlog`, `arrivals_per_week` or `arrivals_at_weeks`",
                w.name
            ),
        );
    }
    let mut surges = Vec::new();
    for (j, s) in w.surge.iter().enumerate() {
        let sp = p.key("surge").index(j);
        let from = within_horizon(&sp.key("from_week"), &schema::WS_SURGE_FROM, s.from_week, horizon_weeks)?;
        let to = within_horizon(&sp.key("to_week"), &schema::WS_SURGE_TO, s.to_week, horizon_weeks)?;
        if to <= from {
            return err(
                &sp.key("to_week"),
                format!("expected to_week > from_week ({from}), got {to}"),
            );
        }
        surges.push(Surge {
            from_hours: from * HOURS_PER_WEEK,
            to_hours: to * HOURS_PER_WEEK,
            factor: check(&sp.key("factor"), &schema::WS_SURGE_FACTOR, s.factor)?,
        });
    }
    let deadline_hours = match w.deadline_weeks {
        None => None,
        Some(d) => {
            Some(within_horizon(&p.key("deadline_weeks"), &schema::WS_DEADLINE, d, horizon_weeks)? * HOURS_PER_WEEK)
        }
    };
    Ok(Workstream {
        name: w.name.clone(),
        skill,
        backlog: backlog as u32,
        arrivals_per_hour: arrivals_per_week / HOURS_PER_WEEK,
        surges,
        scheduled,
        effort: dist(&p.key("effort_hours"), &w.effort_hours)?,
        after: Vec::new(),
        defect_rate: value(&p.key("defect_rate"), &schema::WS_DEFECT_RATE, w.defect_rate)?,
        questions_per_item: value(
            &p.key("questions_per_item"),
            &schema::WS_QUESTIONS,
            w.questions_per_item,
        )?,
        deadline_hours,
        interdependence: number(
            &p.key("interdependence"),
            &schema::WS_INTERDEPENDENCE,
            w.interdependence,
            default_interdependence(skill),
        )?,
    })
}

/// `arrivals_at_weeks`: each a week within the horizon, in ascending order
/// (hours); at most the backlog limit in number.
fn scheduled_arrivals(p: &FieldPath, w: &RawWorkstream, horizon_weeks: f64) -> Result<Vec<f64>> {
    let ap = p.key("arrivals_at_weeks");
    if w.arrivals_at_weeks.len() as u64 > limits::MAX_BACKLOG_PER_STREAM {
        return err(
            &ap,
            format!(
                "{} scheduled arrivals are above the limit of {} per workstream",
                w.arrivals_at_weeks.len(),
                limits::MAX_BACKLOG_PER_STREAM
            ),
        );
    }
    let mut out = Vec::with_capacity(w.arrivals_at_weeks.len());
    for (j, &t) in w.arrivals_at_weeks.iter().enumerate() {
        let at = within_horizon(&ap.index(j), &schema::WS_ARRIVALS_AT, t, horizon_weeks)?;
        out.push(at * HOURS_PER_WEEK);
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// Software-like work (models, pipelines) is coupled; item-level work
/// (annotation, validation, evaluation) partitions into independent items
/// whose peers only align on guidelines (MODEL.md §5, an estimate).
fn default_interdependence(skill: Role) -> f64 {
    match skill {
        Role::DomainExpert | Role::DataQuality => 0.25,
        _ => 1.0,
    }
}

/// The `after` gates, once every name is known; then rejects cycles.
fn gates(raw: &RawScenario, workstreams: &mut [Workstream]) -> Result<()> {
    let root = FieldPath::root();
    let names: Vec<&str> = raw.workstream.iter().map(|w| w.name.as_str()).collect();
    for (i, w) in raw.workstream.iter().enumerate() {
        let p = root.key("workstream").index(i);
        for (j, g) in w.after.iter().enumerate() {
            let gp = p.key("after").index(j);
            let Some(stream) = names.iter().position(|n| *n == g.stream) else {
                let hint = closest(&g.stream, names.iter().copied())
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                return err(
                    &gp.key("stream"),
                    format!("no workstream is named \"{}\"{hint}", g.stream),
                );
            };
            if workstreams[stream].finite_items() == 0 {
                return err(
                    &gp.key("stream"),
                    format!("\"{}\" has no backlog, so a fraction of it never completes", g.stream),
                );
            }
            let fraction = check(&gp.key("fraction"), &schema::WS_AFTER_FRACTION, g.fraction)?;
            workstreams[i].after.push(Gate { stream, fraction });
        }
    }
    if let Some(cycle) = find_cycle(workstreams) {
        let names: Vec<&str> = cycle.iter().map(|&i| workstreams[i].name.as_str()).collect();
        return err(
            &root.key("workstream").index(cycle[0]).key("after"),
            format!("the `after` gates form a cycle: {} -> {}", names.join(" -> "), names[0]),
        );
    }
    Ok(())
}

fn find_cycle(ws: &[Workstream]) -> Option<Vec<usize>> {
    // Depth-first search with colours; returns the nodes of the first cycle found.
    fn visit(i: usize, ws: &[Workstream], colour: &mut [u8], stack: &mut Vec<usize>) -> Option<Vec<usize>> {
        colour[i] = 1;
        stack.push(i);
        for g in &ws[i].after {
            match colour[g.stream] {
                1 => {
                    let start = stack.iter().position(|&x| x == g.stream).unwrap_or(0);
                    return Some(stack[start..].to_vec());
                }
                0 => {
                    if let Some(c) = visit(g.stream, ws, colour, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        colour[i] = 2;
        None
    }
    let mut colour = vec![0u8; ws.len()];
    for i in 0..ws.len() {
        if colour[i] == 0 {
            if let Some(c) = visit(i, ws, &mut colour, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}
