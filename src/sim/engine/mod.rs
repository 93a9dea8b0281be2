//! One replication of one strategy: the discrete-event model of MODEL.md §2-§9,
//! with the event semantics of §12.
//!
//! The engine knows nothing of files or threads: it takes a [`Model`], a
//! strategy index, a seed and a replication number, and returns a
//! [`RepResult`]. All state lives in [`Sim`], built once per thread and
//! reset between replications so the steady state allocates nothing per event.
//!
//! Vocabulary: *contributors* do workstream items; *responders* are seniors and
//! pod leads, who answer questions and run blocks (reviews, syncs, governance)
//! and whose time is accounted by category (§6).

use super::metrics::{Cat, Layout, RepResult, M};
use super::rng::{stream, Purpose, StreamKey, StreamRng};
use super::schedule::Schedule;
use crate::dist::{exp_with_rate, poisson_with_p0, unit};
use crate::model::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

mod contributors;
mod coordination;
mod deals;
mod finish;
mod invariants;
mod items;
mod observe;
mod quality;
mod responders;
mod roster;
#[cfg(test)]
mod tests;

use contributors::*;
use deals::Deals;
use items::*;
use observe::*;
use quality::{Escape, Reviews};
use responders::*;
use roster::*;

/// A slot of [`Sim`]'s items: one work item in flight. Slots are reused
/// once an item is accepted, so an id is valid while its item is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ItemId(u32);

/// A place in [`Sim`]'s people: everyone who joined this replication, in
/// order of joining; a leaver keeps its place (state `Gone`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PersonId(u32);

impl ItemId {
    fn new(index: usize) -> Self {
        ItemId(index as u32)
    }
}

impl PersonId {
    fn new(index: usize) -> Self {
        PersonId(index as u32)
    }
    /// Everyone who joined so far, in order of joining.
    fn all(people: &[Person]) -> impl Iterator<Item = PersonId> {
        (0..people.len()).map(PersonId::new)
    }
}

impl std::ops::Index<ItemId> for Vec<Item> {
    type Output = Item;
    fn index(&self, id: ItemId) -> &Item {
        &self[id.0 as usize]
    }
}

impl std::ops::IndexMut<ItemId> for Vec<Item> {
    fn index_mut(&mut self, id: ItemId) -> &mut Item {
        &mut self[id.0 as usize]
    }
}

impl std::ops::Index<PersonId> for Vec<Person> {
    type Output = Person;
    fn index(&self, id: PersonId) -> &Person {
        &self[id.0 as usize]
    }
}

impl std::ops::IndexMut<PersonId> for Vec<Person> {
    fn index_mut(&mut self, id: PersonId) -> &mut Person {
        &mut self[id.0 as usize]
    }
}

/// "No pod" for a contributor outside every pod (the individual structure).
const NONE: u32 = u32::MAX;

const EPS: f64 = 1e-9;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrival {
        ws: u32,
    },
    Scheduled {
        ws: u32,
    },
    SegmentEnd {
        person: PersonId,
        token: u32,
    },
    TaskDone {
        person: PersonId,
        token: u32,
    },
    ResponderDone {
        r: u32,
        token: u32,
    },
    Escalation,
    OfficeHours,
    DayStart,
    WeekStart {
        week: u32,
    },
    Join {
        role: Role,
        channel: Channel,
        pod: u32,
    },
    Leave {
        person: PersonId,
    },
    OpsRequest {
        person: PersonId,
    },
    /// An escaped defect is found: index into the replication's escapes.
    DefectFound {
        escape: u32,
    },
    PlanChange {
        idx: u32,
    },
    ScalingReview,
}

// Events are copied through the heap: keep them to 12 bytes (indices only), an entry to 24.
const _: () = assert!(std::mem::size_of::<Ev>() <= 12);

/// Reusable simulation state for one thread.
pub struct Sim<'m> {
    m: &'m Model,
    pub layout: Layout,
    s: usize,
    seed: u64,
    rep: u64,
    sched: Schedule<Ev>,
    items: Vec<Item>,
    free_items: Vec<ItemId>,
    queues: [BinaryHeap<Reverse<QKey>>; Role::COUNT],
    qseq: u64,
    people: Vec<Person>,
    idle: [Vec<PersonId>; Role::COUNT],
    resp: Vec<Responder>,
    senior_queue: VecDeque<RTask>,
    pending_answers: Vec<RTask>,
    pod_ops: u32,
    pods: Vec<PodState>,
    ws: Vec<WsState>,
    now: f64,
    end: f64,
    finished_at: Option<f64>,
    question_waits: Vec<f64>,
    series: Vec<Vec<f64>>,
    /// Skip the weekly series (see [`Sim::set_metrics_only`]).
    metrics_only: bool,
    reviews: Reviews,
    /// Every escape of the replication (few; the vector keeps its capacity).
    escapes: Vec<Escape>,
    tally: Tally,
    headcount: Headcount,
    /// What each provider under a contract did (docs/CONTRACTS.md).
    deals: Deals,
    /// Interdependence of each skill's work and of all work (§5), fixed per model.
    interdependence_by_role: [f64; Role::COUNT],
    interdependence_all: f64,
    /// `exp(-questions_per_item)` of each workstream, for its items' Poisson
    /// question counts (computed once per model, not once per item).
    question_p0: Vec<f64>,
    /// Reused lists (a leaver's returned items, release candidates), so
    /// leaving and releasing allocate nothing once they have grown.
    scratch_items: Vec<ItemId>,
    scratch_people: Vec<PersonId>,
}

impl<'m> Sim<'m> {
    pub fn new(m: &'m Model) -> Self {
        let layout = Layout::new(m);
        Sim {
            m,
            layout,
            s: 0,
            seed: 0,
            rep: 0,
            sched: Schedule::new(),
            items: Vec::new(),
            free_items: Vec::new(),
            queues: Default::default(),
            qseq: 0,
            people: Vec::new(),
            idle: Default::default(),
            resp: Vec::new(),
            senior_queue: VecDeque::new(),
            pending_answers: Vec::new(),
            pod_ops: 0,
            pods: Vec::new(),
            ws: Vec::new(),
            now: 0.0,
            end: 0.0,
            finished_at: None,
            question_waits: Vec::new(),
            series: Vec::new(),
            metrics_only: false,
            reviews: Reviews::new(),
            escapes: Vec::new(),
            tally: Tally::default(),
            headcount: Headcount::default(),
            deals: Deals::default(),
            interdependence_by_role: Role::ALL.map(|r| m.interdependence(Some(r))),
            interdependence_all: m.interdependence(None),
            question_p0: m.workstreams.iter().map(|w| (-w.questions_per_item).exp()).collect(),
            scratch_items: Vec::new(),
            scratch_people: Vec::new(),
        }
    }

    fn strategy(&self) -> &'m Strategy {
        &self.m.strategies[self.s]
    }

    fn reset(&mut self, s: usize, seed: u64, rep: u64) {
        self.s = s;
        self.seed = seed;
        self.rep = rep;
        self.sched.clear();
        // Keep item allocations (their question vectors) for reuse.
        self.free_items.clear();
        self.free_items.extend((0..self.items.len()).rev().map(ItemId::new));
        for q in &mut self.queues {
            q.clear();
        }
        self.qseq = 0;
        self.people.clear();
        for v in &mut self.idle {
            v.clear();
        }
        self.resp.clear();
        self.senior_queue.clear();
        self.pending_answers.clear();
        self.reviews.reset();
        self.escapes.clear();
        self.pod_ops = 0;
        self.pods.clear();
        self.ws.clear();
        self.ws.resize_with(self.m.workstreams.len(), WsState::default);
        self.now = 0.0;
        self.end = self.m.horizon_hours;
        self.finished_at = None;
        self.question_waits.clear();
        self.tally = Tally::default();
        self.headcount = Headcount::default();
        self.reset_deals();
        if self.metrics_only {
            self.series.clear();
        } else {
            let weeks = self.layout.weeks + 1;
            self.series.resize_with(self.layout.series_names.len(), Vec::new);
            for s in &mut self.series {
                s.clear();
                s.resize(weeks, 0.0);
            }
        }
    }

    /// With `on`, replications record no weekly series: [`RepResult::series`]
    /// is empty and the metrics are exactly those of a full run. For analyses
    /// that report end metrics only (sweeps, explain, uncertainty), where the
    /// weekly cost-to-date (a pass over everyone who ever joined) and the
    /// series copy per replication are wasted work.
    pub fn set_metrics_only(&mut self, on: bool) {
        self.metrics_only = on;
    }

    /// Runs replication `rep` of strategy `s` and reports its metrics.
    pub fn run(&mut self, s: usize, seed: u64, rep: u64) -> RepResult {
        self.reset(s, seed, rep);
        self.setup();
        while let Some((t, ev)) = self.sched.pop() {
            if t > self.end {
                break;
            }
            self.now = t;
            self.handle(ev);
            if let Some(f) = self.finished_at {
                self.end = f;
                break;
            }
        }
        self.now = self.end;
        self.finish()
    }

    fn setup(&mut self) {
        let m = self.m;
        let st = self.strategy();
        for _ in 0..m.seniors.count {
            self.add_responder(true);
        }
        let new = st.start == Start::New;
        if let Some(p) = &st.pods {
            for _ in 0..p.count {
                if new {
                    self.new_pod_to_staff(p.lead_channel);
                } else {
                    self.new_pod(p.lead_channel, true);
                }
            }
        }
        for t in &st.team {
            for _ in 0..t.count {
                if new {
                    self.request_initial(t.role, t.channel, NONE);
                } else {
                    self.join(t.role, t.channel, true, NONE);
                }
            }
        }
        for (w, ws) in m.workstreams.iter().enumerate() {
            self.ws[w].gates_open = ws.after.is_empty();
            if ws.backlog > 0 && self.ws[w].gates_open {
                self.push_backlog(w);
            }
            self.ws[w].waiting = ws.backlog;
            self.tally.waiting_total += ws.backlog as u64;
            self.tally.backlog_unmade += ws.backlog as u64;
            if let Some(&t) = ws.scheduled.first().filter(|&&t| t < self.end) {
                self.sched.at(t, Ev::Scheduled { ws: w as u32 });
            }
            if ws.arrivals_per_hour > 0.0 {
                let mut rng = stream(self.seed, self.rep, Purpose::Arrivals, w as u64, 0);
                let t = next_arrival(ws, 0.0, &mut rng);
                self.ws[w].arrival_rng = Some(rng);
                if t < self.end {
                    self.sched.at(t, Ev::Arrival { ws: w as u32 });
                }
            }
        }
        self.update_levels();
        self.sched.at(0.0, Ev::WeekStart { week: 0 });
        self.sched.at(0.0, Ev::DayStart);
        if let Some(p) = &st.pods {
            self.sched.at(p.escalation_every_hours, Ev::Escalation);
        }
        if let InterruptPolicy::OfficeHours { every_hours } = st.interrupt_policy {
            self.sched.at(every_hours, Ev::OfficeHours);
        }
        for (i, c) in st.plan.iter().enumerate() {
            self.sched.at(c.at_hours, Ev::PlanChange { idx: i as u32 });
        }
        if st.scaling.policy != ScalingPolicy::Static {
            self.sched.at(st.scaling.review_every_hours, Ev::ScalingReview);
        }
        // Every contributor looks for work once the roster is complete, so the
        // lowest-numbered idle person is served first, as §12 says.
        for p in PersonId::all(&self.people) {
            if self.people[p].state == PState::Idle {
                self.dispatch(p);
            }
        }
    }

    /// Dispatch only: each event's behaviour, including re-arming a
    /// recurring event, lives in its handler.
    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Arrival { ws } => self.on_arrival(ws as usize),
            Ev::Scheduled { ws } => self.on_scheduled(ws as usize),
            Ev::SegmentEnd { person, token } => self.on_segment_end(person, token),
            Ev::TaskDone { person, token } => self.on_task_done(person, token),
            Ev::ResponderDone { r, token } => self.on_responder_done(r, token),
            Ev::Escalation => self.on_escalation(),
            Ev::OfficeHours => self.on_office_hours(),
            Ev::DayStart => self.on_day_start(),
            Ev::WeekStart { week } => self.on_week_start(week),
            Ev::Join { role, channel, pod } => self.on_join(role, channel, pod),
            Ev::Leave { person } => self.on_leave(person, true),
            Ev::OpsRequest { person } => self.on_ops_request(person),
            Ev::DefectFound { escape } => self.on_defect_found(escape),
            Ev::PlanChange { idx } => self.on_plan_change(idx as usize),
            Ev::ScalingReview => self.on_scaling_review(),
        }
    }

    fn is_pods(&self) -> bool {
        self.strategy().structure == Structure::Pods
    }
}
