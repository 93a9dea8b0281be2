//! The engine's semantics stated one behaviour per test (MODEL.md §6, §12),
//! on small hand-built scenarios with exact expected times and hours. The
//! tests drive the event loop to a chosen time and look at the internals.

use super::*;
use crate::scenario::parse_str;

const SENIOR_ONLY: &str = r#"name = "one senior"
horizon_weeks = 4
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = 1
effort_hours = { dist = "fixed", value = 1.0 }
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 1
resume_minutes = 12
[overhead]
coefficient = 0.0
coordination_hours_per_report_week = 0.0
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "s"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{ role = "domain_expert", channel = "employee", count = 1 }]
"#;

fn model(text: &str) -> Model {
    parse_str(text, "engine-test.toml").expect("test scenario is valid")
}

/// A simulation reset for replication 0 of strategy 0, with its roster and
/// first events in place (`setup`), before any event has run.
fn started(m: &Model) -> Sim<'_> {
    let mut sim = Sim::new(m);
    sim.reset(0, 1, 0);
    sim.setup();
    sim
}

/// Runs every event due at or before `t`, then leaves the clock at `t`.
fn run_until(sim: &mut Sim, t: f64) {
    while sim.sched.peek_time().is_some_and(|at| at <= t) {
        let (at, ev) = sim.sched.pop().expect("peeked");
        sim.now = at;
        sim.handle(ev);
    }
    sim.now = t;
}

fn ops(dur: f64) -> RTask {
    RTask {
        kind: TaskKind::Ops,
        cat: Cat::OpsSupport,
        dur,
        counts: true,
        recover_after: true,
    }
}

fn sync_block(dur: f64) -> RTask {
    RTask {
        kind: TaskKind::Sync,
        cat: Cat::Sync,
        dur,
        counts: true,
        recover_after: true,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn an_interruption_preempts_a_block_which_resumes_after_recovery() {
    let m = model(SENIOR_ONLY);
    let mut sim = started(&m);
    run_until(&mut sim, 0.0);
    sim.add_block(0, sync_block(2.0));
    run_until(&mut sim, 0.5);
    sim.interrupt(0, ops(0.25));
    // Ops 0.5-0.75, recovery 0.75-0.95, the block's remaining 1.5 h until 2.45.
    run_until(&mut sim, 2.4);
    let r = &sim.resp[0];
    assert!(matches!(r.current, Some(t) if t.kind == TaskKind::Sync && close(r.cur_end, 2.45)));
    assert!(close(r.hours[Cat::OpsSupport as usize], 0.25));
    assert!(close(r.hours[Cat::Recovery as usize], 0.2));
    // The block ended with recovery (its own context switch), then focus.
    run_until(&mut sim, 3.0);
    let r = &sim.resp[0];
    assert!(r.current.is_none());
    assert!(close(r.hours[Cat::Sync as usize], 2.0));
    assert!(close(r.hours[Cat::Recovery as usize], 0.4));
    assert!(close(r.free_since, 2.65));
    // The block counted once, the interruption once; the resumed rest did not.
    assert_eq!(r.interruptions, 2);
}

#[test]
fn an_interruption_during_recovery_restarts_recovery_after_it() {
    let m = model(SENIOR_ONLY);
    let mut sim = started(&m);
    run_until(&mut sim, 0.0);
    sim.interrupt(0, ops(0.25));
    // Recovery runs 0.25-0.45; a second request at 0.3 cuts it short.
    run_until(&mut sim, 0.3);
    sim.interrupt(0, ops(0.25));
    run_until(&mut sim, 1.0);
    let r = &sim.resp[0];
    // 0.05 h of the first recovery, then a full 0.2 h after the second request.
    assert!(close(r.hours[Cat::Recovery as usize], 0.25));
    assert!(close(r.hours[Cat::OpsSupport as usize], 0.5));
    assert!(close(r.free_since, 0.75));
    assert_eq!(r.interruptions, 2);
}

#[test]
fn a_second_question_waiting_defers_recovery_until_after_it() {
    let m = model(SENIOR_ONLY);
    let mut sim = started(&m);
    run_until(&mut sim, 0.0);
    sim.interrupt(0, ops(0.25));
    sim.interrupt(0, ops(0.25));
    run_until(&mut sim, 1.0);
    let r = &sim.resp[0];
    // Back to back: one recovery after the second, none between.
    assert!(close(r.hours[Cat::Recovery as usize], 0.2));
    assert!(close(r.free_since, 0.7));
}

const ONE_WORKER: &str = r#"name = "one worker"
horizon_weeks = 10
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = 3
effort_hours = { dist = "fixed", value = 10.0 }
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 0
[overhead]
coefficient = 0.0
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "s"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{ role = "domain_expert", channel = "employee", count = 1 }]
"#;

#[test]
fn a_busy_person_is_released_at_the_end_of_the_item_in_hand() {
    let m = model(ONE_WORKER);
    let mut sim = started(&m);
    run_until(&mut sim, 2.0);
    assert_eq!(sim.release(Role::DomainExpert, None, 1, 0.0), 1);
    assert!(sim.people[0].release_pending);
    assert!(matches!(sim.people[0].state, PState::Working { .. }));
    run_until(&mut sim, 20.0);
    let p = &sim.people[0];
    assert!(matches!(p.state, PState::Gone));
    assert_eq!(p.left, Some(10.0));
    assert_eq!(sim.tally.accepted, 1);
    // The rest of the backlog waits, untouched.
    assert_eq!(sim.ws[0].created_backlog, 1);
}

#[test]
fn an_idle_person_is_released_at_once() {
    let m = model(ONE_WORKER);
    let mut sim = started(&m);
    run_until(&mut sim, 31.0);
    // All three items are done at 30 h: the person is idle.
    assert_eq!(sim.people[0].state, PState::Idle);
    sim.release(Role::DomainExpert, None, 1, 0.0);
    assert_eq!(sim.people[0].left, Some(31.0));
}

fn gated(fraction: f64) -> String {
    format!(
        r#"name = "pipeline"
horizon_weeks = 10
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 4
effort_hours = {{ dist = "fixed", value = 1.0 }}
defect_rate = 0.0
questions_per_item = 0.0
[[workstream]]
name = "b"
skill = "data_quality"
backlog = 2
effort_hours = {{ dist = "fixed", value = 1.0 }}
defect_rate = 0.0
questions_per_item = 0.0
after = [{{ stream = "a", fraction = {fraction} }}]
[seniors]
count = 0
[overhead]
coefficient = 0.0
[channels.employee]
attrition_per_year = 0.0
[[strategy]]
name = "s"
structure = "individual"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
team = [{{ role = "domain_expert", channel = "employee", count = 1 }}, {{ role = "data_quality", channel = "employee", count = 1 }}]
"#
    )
}

/// When the downstream stream's first item starts, for a gate at `fraction`.
fn gate_opens_at(fraction: f64) -> f64 {
    let m = model(&gated(fraction));
    let mut sim = started(&m);
    let mut t = 0.0;
    while t < 10.0 {
        run_until(&mut sim, t);
        if sim.ws[1].gates_open {
            assert!(matches!(sim.people[1].state, PState::Working { .. }));
            return t;
        }
        t += 0.25;
    }
    panic!("gate never opened");
}

#[test]
fn an_after_gate_opens_once_the_fraction_of_the_upstream_backlog_is_accepted() {
    // Half of 4 items: open after the second is accepted, at 2 h.
    assert_eq!(gate_opens_at(0.5), 2.0);
    // 0.6 of 4 rounds up to 3 items.
    assert_eq!(gate_opens_at(0.6), 3.0);
    assert_eq!(gate_opens_at(1.0), 4.0);
}

const ONE_POD: &str = r#"name = "one pod"
horizon_weeks = 10
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = 2
effort_hours = { dist = "fixed", value = 4.0 }
defect_rate = 0.0
questions_per_item = 0.0
[seniors]
count = 1
resume_minutes = 12
[overhead]
coefficient = 0.0
[channels.pod]
attrition_per_year = 0.0
[[strategy]]
name = "pods"
structure = "pods"
review_fraction = 0.0
ops_requests_per_contributor_week = 0.0
pods = { count = 1, lead_resolves = 0.5, escalation_every_hours = 8, governance_hours_per_week = 0, senior_sync_hours_per_week = 0 }
team = [{ role = "domain_expert", channel = "pod", count = 1 }]
"#;

#[test]
fn an_escalated_question_parks_the_item_which_resumes_after_the_sync() {
    let m = model(ONE_POD);
    let mut sim = started(&m);
    // Person 0 is the pod lead; person 1 the contributor, on the first item.
    let PState::Working { item, .. } = sim.people[1].state else {
        panic!("the contributor starts at once")
    };
    // One question at 2 h of effort, taking 0.5 h, that the lead cannot resolve.
    let it = &mut sim.items[item];
    it.q_points.push(2.0);
    it.q_handling.push(0.5);
    it.q_resolve_u.push(0.99);
    sim.start_segment(PersonId(1), item);

    // Blocked while the lead looks at it (2-2.5), then parked: the next item.
    run_until(&mut sim, 2.5);
    assert_eq!(sim.people[1].parked, vec![item]);
    assert!(matches!(sim.people[1].state, PState::Working { item: i, .. } if i != item));
    assert!(close(sim.resp[1].hours[Cat::Questions as usize], 0.5));
    // The second item is done at 6.5; the contributor waits for the sync.
    run_until(&mut sim, 7.0);
    assert_eq!(sim.people[1].state, PState::Idle);
    // The sync at 8 h: the senior answers in 0.5 h, the item resumes at once.
    run_until(&mut sim, 8.5);
    assert!(sim.people[1].parked.is_empty());
    assert!(matches!(sim.people[1].state, PState::Working { item: i, seg_start, .. } if i == item && seg_start == 8.5));
    assert_eq!(sim.question_waits, vec![6.5]);
    assert_eq!(sim.resp[0].interruptions, 1);
    // The remaining 2 h of effort: the project finishes at 10.5 h.
    run_until(&mut sim, 11.0);
    assert_eq!(sim.finished_at, Some(10.5));
    assert!(close(sim.people[1].hours[PCat::Blocked as usize], 0.5));
}

#[test]
fn a_vacant_lead_seat_sends_the_pods_questions_to_the_seniors_until_the_backfill() {
    let text = ONE_POD.replace("backlog = 2", "backlog = 20");
    let m = model(&text);
    let mut sim = started(&m);
    // Person 0 is the lead (seat = responder 1), person 1 the contributor.
    let PState::Working { item, .. } = sim.people[1].state else {
        panic!("the contributor starts at once")
    };
    // A question at 1 h of effort, one the lead would have resolved.
    let it = &mut sim.items[item];
    it.q_points.push(1.0);
    it.q_handling.push(0.5);
    it.q_resolve_u.push(0.1);
    sim.start_segment(PersonId(1), item);

    // The lead leaves during its weekly coordination block (0-0.5 h).
    sim.sched.at(0.25, Ev::Leave { person: PersonId(0) });
    run_until(&mut sim, 0.25);
    let seat = &sim.resp[1];
    assert_eq!(seat.vacant_since, Some(0.25));
    assert!(seat.current.is_none() && seat.blocks.is_empty());
    assert!(
        close(seat.hours[Cat::Coordination as usize], 0.25),
        "the worked part only"
    );

    // The question at 1 h goes to the senior: an interruption, the asker blocked.
    run_until(&mut sim, 1.6);
    assert!(close(sim.resp[0].hours[Cat::Questions as usize], 0.5));
    assert_eq!(sim.resp[0].interruptions, 1);
    assert_eq!(sim.resp[1].hours[Cat::Questions as usize], 0.0);
    assert_eq!(sim.question_waits, vec![0.5]);
    assert!(matches!(sim.people[1].state, PState::Working { item: i, seg_start, .. } if i == item && seg_start == 1.5));
    assert!(close(sim.people[1].hours[PCat::Blocked as usize], 0.5));

    // The backfill starts after the pod channel's lead time (5 days = 40 h):
    // the seat answers again, and its vacant hours are not paid seat hours.
    run_until(&mut sim, 41.0);
    assert_eq!(sim.people[2].role, Role::PodLead);
    assert_eq!(sim.people[2].joined, 40.25);
    assert_eq!(sim.resp[1].vacant_since, None);
    assert!(close(sim.resp[1].vacant_hours, 40.0));
    assert!(close(sim.seat_hours(1, 41.0), 1.0));
    sim.interrupt(1, ops(0.25));
    assert!(matches!(sim.resp[1].current, Some(t) if t.kind == TaskKind::Ops));
    assert_eq!(sim.headcount.leavers, 1);
}

#[test]
fn a_new_pod_is_productive_only_after_its_providers_set_up_time() {
    let text = ONE_POD.replace("structure = \"pods\"", "structure = \"pods\"\nstart = \"new\"");
    let m = model(&text);
    let mut sim = started(&m);
    // Pod channel: set-up 2 weeks (80 h) is later than its 5-day lead time.
    run_until(&mut sim, 79.9);
    assert!(sim.people.is_empty(), "nobody has started");
    assert_eq!(sim.resp[1].vacant_since, Some(0.0));
    assert!(close(sim.seat_hours(1, 79.9), 0.0), "an unstaffed seat is not paid");
    run_until(&mut sim, 80.0);
    assert_eq!(sim.people.len(), 2);
    assert_eq!(sim.resp[1].vacant_since, None);
    // The contributor starts at once, ramping (pod: 0.7 of full speed).
    assert!(
        matches!(sim.people[1].state, PState::Working { seg_start, speed, .. } if seg_start == 80.0 && close(speed, 0.7))
    );
    assert_eq!(sim.headcount.starts, 2);
}

#[test]
fn a_new_employee_roster_waits_its_lead_time_before_any_work() {
    let text = ONE_WORKER.replace(
        "structure = \"individual\"",
        "structure = \"individual\"\nstart = \"new\"",
    );
    let m = model(&text);
    let mut sim = started(&m);
    // Employee: 40 working days (320 h) of lead time, no set-up time.
    run_until(&mut sim, 319.0);
    assert!(sim.people.is_empty());
    assert_eq!(sim.headcount.pending_joins[Role::DomainExpert.index()], 1);
    run_until(&mut sim, 320.0);
    assert_eq!(sim.people[0].joined, 320.0);
    assert!(!sim.people[0].initial, "ramps, is mentored and costs its hire cost");
    assert!(
        matches!(sim.people[0].state, PState::Working { seg_start, speed, .. } if seg_start == 320.0 && close(speed, 0.5))
    );
}

#[test]
fn a_weekly_block_cut_by_the_finish_is_paid_for_the_part_worked() {
    let m = model(SENIOR_ONLY);
    let mut sim = started(&m);
    run_until(&mut sim, 0.0);
    // A 2-hour coordination block; the week's rest is free time.
    sim.add_block(
        0,
        RTask {
            kind: TaskKind::Coordination,
            cat: Cat::Coordination,
            dur: 2.0,
            counts: false,
            recover_after: false,
        },
    );
    run_until(&mut sim, 1.0);
    // Cost to date (the weekly cost series) counts the hour of the block in
    // hand: the contributor's seat at $75/h and the senior's hour at $120/h.
    assert!(close(sim.cost_to_date(), 75.0 + 120.0));
    // The programme ends at 1.5 h, mid-block: 1.5 h of coordination is paid,
    // not the block's full 2 h, and the hours still add up.
    sim.end = 1.5;
    let r = sim.finish();
    assert!(close(sim.resp[0].hours[Cat::Coordination as usize], 1.5));
    assert!(close(r.metrics[M::CostTotal as usize], 1.5 * 75.0 + 1.5 * 120.0));
    assert!(r.invariant_violation.is_none());
}
