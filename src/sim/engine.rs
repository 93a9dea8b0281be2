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
use crate::dist::{exp_with_rate, poisson, unit};
use crate::model::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

const NONE: u32 = u32::MAX;
const EPS: f64 = 1e-9;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrival { ws: u32 },
    SegmentEnd { person: u32, token: u32 },
    TaskDone { person: u32, token: u32 },
    ResponderDone { r: u32, token: u32 },
    Escalation,
    OfficeHours,
    DayStart,
    WeekStart { week: u32 },
    Join { role: Role, channel: Channel, pod: u32 },
    Leave { person: u32 },
    OpsRequest { person: u32 },
    DefectFound { ws: u32, effort: f64 },
    PlanChange { idx: u32 },
    ScalingReview,
}

/// A unit of work and everything random about it, drawn when it is created
/// from its own stream (common random numbers).
#[derive(Clone, Debug, Default)]
struct Item {
    ws: u32,
    effort: f64,
    done: f64,
    /// Effort points (hours of `done`) at which questions are raised.
    q_points: Vec<f64>,
    q_handling: Vec<f64>,
    q_resolve_u: Vec<f64>,
    q_next: usize,
    u_defect: f64,
    u_review: f64,
    u_detect: f64,
    escape_delay: f64,
    created: f64,
    ready_at: f64,
    started: bool,
    from_backlog: bool,
    /// Rework of a defect caught in review: accepted on completion.
    rework: bool,
    /// Rework of an escaped defect: already accepted once, freed on completion.
    escape_rework: bool,
    /// Measured in steady-state statistics (arrived after the warm-up).
    measured: bool,
    defective: bool,
    /// Contributor whose answer to this item's question has arrived while parked.
    asked_at: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum PState {
    Idle,
    Working {
        item: u32,
        seg_start: f64,
        speed: f64,
        overhead: f64,
        stop: f64,
        question: bool,
    },
    Blocked {
        item: u32,
    },
    Task {
        cat: PCat,
    },
    Gone,
}

/// Contributor time categories (paid hours = their sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PCat {
    Work,
    Coordination,
    Blocked,
    Idle,
    Review,
    Ops,
}
const PCATS: usize = 6;

#[derive(Debug)]
struct Person {
    role: Role,
    channel: Channel,
    joined: f64,
    left: Option<f64>,
    pod: u32,
    state: PState,
    token: u32,
    since: f64,
    hours: [f64; PCATS],
    parked: Vec<u32>,
    resumable: Vec<u32>,
    release_pending: bool,
    /// Item of a review or ops task in progress.
    task_item: u32,
    initial: bool,
    rng: StreamRng,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TaskKind {
    Question {
        item: u32,
        person: u32,
    },
    LeadQuestion {
        item: u32,
        person: u32,
    },
    Answer {
        item: u32,
        person: u32,
    },
    Ops,
    Triage,
    /// Reviews of the items in `review_batches[batch]`.
    ReviewBlock {
        batch: u32,
    },
    Sync,
    Governance,
    Recovery,
}

#[derive(Clone, Copy, Debug)]
struct RTask {
    kind: TaskKind,
    cat: Cat,
    dur: f64,
    /// Counts as an interruption (a context switch) when it starts.
    counts: bool,
    /// Followed by recovery when it ends.
    recover_after: bool,
}

impl RTask {
    fn is_interrupt(&self) -> bool {
        matches!(
            self.kind,
            TaskKind::Question { .. }
                | TaskKind::LeadQuestion { .. }
                | TaskKind::Answer { .. }
                | TaskKind::Ops
                | TaskKind::Triage
        )
    }
}

#[derive(Clone, Debug)]
struct Responder {
    senior: bool,
    joined: f64,
    current: Option<RTask>,
    cur_start: f64,
    cur_end: f64,
    token: u32,
    interrupts: VecDeque<RTask>,
    blocks: VecDeque<RTask>,
    /// Start of the current stretch of free (focus) time.
    free_since: f64,
    hours: [f64; Cat::COUNT],
    deep_focus: f64,
    interruptions: u64,
    coord_frac: f64,
    mentor_frac: f64,
}

/// Entry of a ready queue: FIFO by ready time, then insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct QKey {
    ready_bits: u64,
    seq: u64,
    what: QWhat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum QWhat {
    Item(u32),
    /// The next not-yet-created backlog item of a workstream.
    Backlog(u32),
}

/// A time-weighted average of a level (queue length, work in progress).
#[derive(Clone, Copy, Debug, Default)]
struct Level {
    value: f64,
    last: f64,
    area: f64,
}

impl Level {
    fn set(&mut self, now: f64, from: f64, v: f64) {
        let t0 = self.last.max(from);
        if now > t0 {
            self.area += self.value * (now - t0);
        }
        self.last = now;
        self.value = v;
    }
}

#[derive(Debug, Default)]
struct WsState {
    created_backlog: u32,
    accepted_backlog: u32,
    arrivals: u32,
    gates_open: bool,
    gated: Vec<u32>,
    finish: Option<f64>,
    /// Items of this stream waiting in a ready queue or gated (for forecasts).
    waiting: u32,
    arrival_rng: Option<StreamRng>,
    /// Key of this workstream's item streams, hashed once per replication.
    item_key: Option<StreamKey>,
}

/// Reusable simulation state for one thread.
pub struct Sim<'m> {
    m: &'m Model,
    pub layout: Layout,
    s: usize,
    seed: u64,
    rep: u64,
    sched: Schedule<Ev>,
    items: Vec<Item>,
    free_items: Vec<u32>,
    queues: [BinaryHeap<Reverse<QKey>>; Role::COUNT],
    qseq: u64,
    people: Vec<Person>,
    idle: [Vec<u32>; Role::COUNT],
    resp: Vec<Responder>,
    senior_queue: VecDeque<RTask>,
    pending_answers: Vec<RTask>,
    review_pending: Vec<u32>,
    review_batches: Vec<Vec<u32>>,
    free_batches: Vec<u32>,
    pod_reviews: VecDeque<u32>,
    pod_ops: u32,
    pods: Vec<PodState>,
    ws: Vec<WsState>,
    // Counters.
    now: f64,
    end: f64,
    finished_at: Option<f64>,
    created: u64,
    accepted: u64,
    items_done: u64,
    escaped: u64,
    rework_hours: f64,
    question_waits: Vec<f64>,
    starts: u32,
    leavers: u32,
    bench_requests: u32,
    bench_in_flight: u32,
    hires: u32,
    pending_joins: [u32; Role::COUNT],
    active_by_role: [u32; Role::COUNT],
    active_by_channel: [u32; Channel::COUNT],
    contributors: u32,
    peak: u32,
    person_seq: u64,
    // Steady-state statistics.
    queue_wait_sum: f64,
    queue_wait_n: u64,
    queue_wait_pos: u64,
    sojourn_sum: f64,
    sojourn_n: u64,
    queued: Level,
    wip: Level,
    /// Items waiting in ready queues or behind gates, over all workstreams.
    waiting_total: u64,
    /// Backlog items not yet drawn from their queue (created lazily).
    backlog_unmade: u64,
    // Scaling controller memory.
    low_util_weeks: [u32; Role::COUNT],
    busy_at_review: [f64; Role::COUNT],
    series: Vec<Vec<f64>>,
}

#[derive(Clone, Copy, Debug, Default)]
struct PodState {
    lead: u32,
    members: u32,
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
            review_pending: Vec::new(),
            review_batches: Vec::new(),
            free_batches: Vec::new(),
            pod_reviews: VecDeque::new(),
            pod_ops: 0,
            pods: Vec::new(),
            ws: Vec::new(),
            now: 0.0,
            end: 0.0,
            finished_at: None,
            created: 0,
            accepted: 0,
            items_done: 0,
            escaped: 0,
            rework_hours: 0.0,
            question_waits: Vec::new(),
            starts: 0,
            leavers: 0,
            bench_requests: 0,
            bench_in_flight: 0,
            hires: 0,
            pending_joins: [0; Role::COUNT],
            active_by_role: [0; Role::COUNT],
            active_by_channel: [0; Channel::COUNT],
            contributors: 0,
            peak: 0,
            person_seq: 0,
            queue_wait_sum: 0.0,
            queue_wait_n: 0,
            queue_wait_pos: 0,
            sojourn_sum: 0.0,
            sojourn_n: 0,
            queued: Level::default(),
            wip: Level::default(),
            waiting_total: 0,
            backlog_unmade: 0,
            low_util_weeks: [0; Role::COUNT],
            busy_at_review: [0.0; Role::COUNT],
            series: Vec::new(),
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
        self.free_items.extend((0..self.items.len() as u32).rev());
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
        self.review_pending.clear();
        self.free_batches.clear();
        self.free_batches.extend((0..self.review_batches.len() as u32).rev());
        for b in &mut self.review_batches {
            b.clear();
        }
        self.pod_reviews.clear();
        self.pod_ops = 0;
        self.pods.clear();
        self.ws.clear();
        self.ws.resize_with(self.m.workstreams.len(), WsState::default);
        self.now = 0.0;
        self.end = self.m.horizon_hours;
        self.finished_at = None;
        self.created = 0;
        self.accepted = 0;
        self.items_done = 0;
        self.escaped = 0;
        self.rework_hours = 0.0;
        self.question_waits.clear();
        self.starts = 0;
        self.leavers = 0;
        self.bench_requests = 0;
        self.bench_in_flight = 0;
        self.hires = 0;
        self.pending_joins = [0; Role::COUNT];
        self.active_by_role = [0; Role::COUNT];
        self.active_by_channel = [0; Channel::COUNT];
        self.contributors = 0;
        self.peak = 0;
        self.person_seq = 0;
        self.queue_wait_sum = 0.0;
        self.queue_wait_n = 0;
        self.queue_wait_pos = 0;
        self.sojourn_sum = 0.0;
        self.sojourn_n = 0;
        self.queued = Level::default();
        self.wip = Level::default();
        self.waiting_total = 0;
        self.backlog_unmade = 0;
        self.low_util_weeks = [0; Role::COUNT];
        self.busy_at_review = [0.0; Role::COUNT];
        let weeks = self.layout.weeks + 1;
        self.series.resize_with(self.layout.series_names.len(), Vec::new);
        for s in &mut self.series {
            s.clear();
            s.resize(weeks, 0.0);
        }
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

    // ----- set-up -------------------------------------------------------

    fn setup(&mut self) {
        let m = self.m;
        let st = self.strategy();
        for _ in 0..m.seniors.count {
            self.add_responder(true);
        }
        if let Some(p) = &st.pods {
            for _ in 0..p.count {
                self.new_pod(p.lead_channel, true);
            }
        }
        for t in &st.team {
            for _ in 0..t.count {
                self.join(t.role, t.channel, true, NONE);
            }
        }
        for (w, ws) in m.workstreams.iter().enumerate() {
            self.ws[w].gates_open = ws.after.is_empty();
            if ws.backlog > 0 && self.ws[w].gates_open {
                self.push_backlog(w);
            }
            self.ws[w].waiting = ws.backlog;
            self.waiting_total += ws.backlog as u64;
            self.backlog_unmade += ws.backlog as u64;
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
        for p in 0..self.people.len() as u32 {
            if self.people[p as usize].state == PState::Idle {
                self.dispatch(p);
            }
        }
    }

    fn add_responder(&mut self, senior: bool) -> u32 {
        self.resp.push(Responder {
            senior,
            joined: self.now,
            current: None,
            cur_start: self.now,
            cur_end: self.now,
            token: 0,
            interrupts: VecDeque::new(),
            blocks: VecDeque::new(),
            free_since: self.now,
            hours: [0.0; Cat::COUNT],
            deep_focus: 0.0,
            interruptions: 0,
            coord_frac: 0.0,
            mentor_frac: 0.0,
        });
        (self.resp.len() - 1) as u32
    }

    /// Creates a pod with its lead (the lead is a responder and also counts as a person).
    fn new_pod(&mut self, lead_channel: Channel, initial: bool) -> u32 {
        let pod = self.pods.len() as u32;
        let lead = self.add_responder(false);
        self.pods.push(PodState { lead, members: 0 });
        // The lead as a paid person with access (never does items).
        let pid = self.add_person(Role::PodLead, lead_channel, initial, pod);
        self.people[pid as usize].state = PState::Task { cat: PCat::Work };
        pod
    }

    fn add_person(&mut self, role: Role, channel: Channel, initial: bool, pod: u32) -> u32 {
        let id = self.people.len() as u32;
        let mut rng = stream(self.seed, self.rep, Purpose::Person, self.person_seq, 0);
        self.person_seq += 1;
        let cp = self.m.channel(channel);
        let leave_in = if cp.attrition_per_hour > 0.0 {
            exp_with_rate(&mut rng, cp.attrition_per_hour)
        } else {
            f64::INFINITY
        };
        self.people.push(Person {
            role,
            channel,
            joined: self.now,
            left: None,
            pod,
            state: PState::Idle,
            token: 0,
            since: self.now,
            hours: [0.0; PCATS],
            parked: Vec::new(),
            resumable: Vec::new(),
            release_pending: false,
            task_item: NONE,
            initial,
            rng,
        });
        if self.now + leave_in < self.end {
            self.sched.at(self.now + leave_in, Ev::Leave { person: id });
        }
        self.active_by_role[role.index()] += 1;
        self.active_by_channel[channel.index()] += 1;
        if !initial {
            self.starts += 1;
        }
        let active: u32 = self.active_by_role.iter().sum();
        self.peak = self.peak.max(active);
        id
    }

    /// A contributor joins (initial roster, backfill, scaling or plan).
    fn join(&mut self, role: Role, channel: Channel, initial: bool, pod_hint: u32) -> u32 {
        let st = self.strategy();
        let pod = match &st.pods {
            Some(p) => {
                if pod_hint != NONE && (self.pods[pod_hint as usize].members) < p.max_size {
                    pod_hint
                } else {
                    let best = (0..self.pods.len() as u32)
                        .filter(|&i| self.pods[i as usize].members < p.max_size)
                        .min_by_key(|&i| (self.pods[i as usize].members, i));
                    match best {
                        Some(b) => b,
                        None => self.new_pod(p.lead_channel, initial),
                    }
                }
            }
            None => NONE,
        };
        if pod != NONE {
            self.pods[pod as usize].members += 1;
        }
        let id = self.add_person(role, channel, initial, pod);
        self.contributors += 1;
        let ops_rate = st.ops_requests_per_contributor_hour;
        if ops_rate > 0.0 {
            let dt = exp_with_rate(&mut self.people[id as usize].rng, ops_rate);
            self.sched.after(dt, Ev::OpsRequest { person: id });
        }
        self.refresh_fractions();
        id
    }

    // ----- event handling ---------------------------------------------

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Arrival { ws } => self.on_arrival(ws as usize),
            Ev::SegmentEnd { person, token } => {
                if self.people[person as usize].token == token {
                    self.on_segment_end(person);
                }
            }
            Ev::TaskDone { person, token } => {
                if self.people[person as usize].token == token {
                    self.on_task_done(person);
                }
            }
            Ev::ResponderDone { r, token } => {
                if self.resp[r as usize].token == token {
                    self.on_responder_done(r);
                }
            }
            Ev::Escalation => {
                let every = self.strategy().pods.as_ref().map_or(8.0, |p| p.escalation_every_hours);
                self.answer_batch();
                self.sched.after(every, Ev::Escalation);
            }
            Ev::OfficeHours => {
                if let InterruptPolicy::OfficeHours { every_hours } = self.strategy().interrupt_policy {
                    self.answer_batch();
                    self.sched.after(every_hours, Ev::OfficeHours);
                }
            }
            Ev::DayStart => {
                self.on_day_start();
                self.sched.after(HOURS_PER_DAY, Ev::DayStart);
            }
            Ev::WeekStart { week } => {
                self.on_week_start(week);
                self.sched.after(HOURS_PER_WEEK, Ev::WeekStart { week: week + 1 });
            }
            Ev::Join { role, channel, pod } => {
                self.pending_joins[role.index()] = self.pending_joins[role.index()].saturating_sub(1);
                if channel == Channel::Bench {
                    self.bench_in_flight = self.bench_in_flight.saturating_sub(1);
                }
                if role == Role::PodLead {
                    // A backfilled lead takes over the same pod.
                    let id = self.add_person(Role::PodLead, channel, false, pod);
                    self.people[id as usize].state = PState::Task { cat: PCat::Work };
                } else {
                    let id = self.join(role, channel, false, pod);
                    self.dispatch(id);
                }
            }
            Ev::Leave { person } => self.on_leave(person, true),
            Ev::OpsRequest { person } => self.on_ops_request(person),
            Ev::DefectFound { ws, effort } => self.on_defect_found(ws, effort),
            Ev::PlanChange { idx } => self.on_plan_change(idx as usize),
            Ev::ScalingReview => {
                self.on_scaling_review();
                let every = self.strategy().scaling.review_every_hours;
                self.sched.after(every, Ev::ScalingReview);
            }
        }
    }

    // ----- work items -----------------------------------------------------

    fn alloc_item(&mut self) -> u32 {
        match self.free_items.pop() {
            Some(i) => i,
            None => {
                self.items.push(Item::default());
                (self.items.len() - 1) as u32
            }
        }
    }

    /// Creates item `k` of workstream `w`, drawing all its randomness at once.
    fn create_item(&mut self, w: usize, k: u64, from_backlog: bool) -> u32 {
        let id = self.alloc_item();
        let ws = &self.m.workstreams[w];
        // Stream k of the workstream's key: the same numbers as
        // `stream(seed, rep, Item, w, k)` without re-hashing the key.
        let (seed, rep) = (self.seed, self.rep);
        let key = *self.ws[w]
            .item_key
            .get_or_insert_with(|| StreamKey::new(seed, rep, Purpose::Item, w as u64));
        let rng = &mut key.stream(k);
        let it = &mut self.items[id as usize];
        it.ws = w as u32;
        it.effort = ws.effort.sample(rng);
        it.done = 0.0;
        let nq = poisson(rng, ws.questions_per_item) as usize;
        it.q_points.clear();
        it.q_handling.clear();
        it.q_resolve_u.clear();
        for _ in 0..nq {
            it.q_points.push(unit(rng) * it.effort);
        }
        it.q_points.sort_by(f64::total_cmp);
        for _ in 0..nq {
            it.q_handling.push(self.m.seniors.handling.sample(rng));
            it.q_resolve_u.push(unit(rng));
        }
        it.q_next = 0;
        it.u_review = unit(rng);
        // Defect draws only where defects can happen: a workstream-level
        // condition, so every strategy still sees the same numbers.
        if ws.defect_rate > 0.0 {
            it.u_defect = unit(rng);
            it.u_detect = unit(rng);
            it.escape_delay = exp_with_rate(rng, 1.0 / self.m.quality.escape_delay_hours);
        } else {
            it.u_defect = 1.0;
            it.u_detect = 1.0;
            it.escape_delay = f64::INFINITY;
        }
        it.created = self.now;
        it.ready_at = self.now;
        it.started = false;
        it.from_backlog = from_backlog;
        it.rework = false;
        it.escape_rework = false;
        it.measured = self.now >= self.m.warmup_hours;
        it.defective = false;
        it.asked_at = 0.0;
        self.created += 1;
        id
    }

    fn push_backlog(&mut self, w: usize) {
        let skill = self.m.workstreams[w].skill;
        let key = QKey {
            ready_bits: self.now.to_bits(),
            seq: self.qseq,
            what: QWhat::Backlog(w as u32),
        };
        self.qseq += 1;
        self.queues[skill.index()].push(Reverse(key));
    }

    /// Puts an item in its skill's ready queue (FIFO by `ready_at`).
    fn enqueue(&mut self, item: u32) {
        let it = &self.items[item as usize];
        let skill = self.m.workstreams[it.ws as usize].skill;
        let key = QKey {
            ready_bits: it.ready_at.to_bits(),
            seq: self.qseq,
            what: QWhat::Item(item),
        };
        self.qseq += 1;
        self.ws[it.ws as usize].waiting += 1;
        self.waiting_total += 1;
        self.queues[skill.index()].push(Reverse(key));
        self.wake(skill);
    }

    /// Wakes idle people of `role`, lowest-numbered first, while there is
    /// work they can take (a gate opening releases many items at once).
    fn wake(&mut self, role: Role) {
        while self.has_work(role) && !self.idle[role.index()].is_empty() {
            // Idle lists are sorted by id: the lowest-numbered is first.
            let p = self.idle[role.index()].remove(0);
            self.dispatch(p);
        }
    }

    /// Marks `p` idle, keeping the role's idle list sorted (no allocation
    /// once the list has grown to the role's size).
    fn mark_idle(&mut self, role: Role, p: u32) {
        let idle = &mut self.idle[role.index()];
        if let Err(pos) = idle.binary_search(&p) {
            idle.insert(pos, p);
        }
    }

    fn unmark_idle(&mut self, role: Role, p: u32) {
        let idle = &mut self.idle[role.index()];
        if let Ok(pos) = idle.binary_search(&p) {
            idle.remove(pos);
        }
    }

    /// Whether a free person of `role` would find something to do.
    fn has_work(&self, role: Role) -> bool {
        let pods = self.is_pods();
        !self.queues[role.index()].is_empty()
            || (pods && role == Role::DataQuality && !self.pod_reviews.is_empty())
            || (pods && role == Role::Ops && self.pod_ops > 0)
    }

    fn pop_ready(&mut self, skill: Role) -> Option<u32> {
        let Reverse(key) = self.queues[skill.index()].pop()?;
        let item = match key.what {
            QWhat::Item(i) => i,
            QWhat::Backlog(w) => {
                let w = w as usize;
                let k = self.ws[w].created_backlog as u64;
                self.ws[w].created_backlog += 1;
                self.backlog_unmade -= 1;
                if self.ws[w].created_backlog < self.m.workstreams[w].backlog {
                    // Keep the backlog's place at the head of the queue.
                    self.queues[skill.index()].push(Reverse(key));
                }
                let i = self.create_item(w, k, true);
                self.items[i as usize].ready_at = f64::from_bits(key.ready_bits);
                self.items[i as usize].measured = false;
                i
            }
        };
        let ws = self.items[item as usize].ws as usize;
        self.ws[ws].waiting -= 1;
        self.waiting_total -= 1;
        Some(item)
    }

    fn on_arrival(&mut self, w: usize) {
        let k = self.m.workstreams[w].backlog as u64 + self.ws[w].arrivals as u64;
        self.ws[w].arrivals += 1;
        let item = self.create_item(w, k, false);
        if self.ws[w].gates_open {
            self.enqueue(item);
        } else {
            self.ws[w].gated.push(item);
            self.ws[w].waiting += 1;
            self.waiting_total += 1;
        }
        let ws = &self.m.workstreams[w];
        let rng = self.ws[w]
            .arrival_rng
            .as_mut()
            .expect("arrival stream exists for streams with arrivals");
        let t = next_arrival(ws, self.now, rng);
        if t < self.end {
            self.sched.at(t, Ev::Arrival { ws: w as u32 });
        }
        self.update_levels();
    }

    // ----- contributors ---------------------------------------------------

    fn set_state(&mut self, p: u32, state: PState) {
        let now = self.now;
        let person = &mut self.people[p as usize];
        let dt = now - person.since;
        if dt > 0.0 {
            match person.state {
                PState::Idle => person.hours[PCat::Idle as usize] += dt,
                PState::Working { overhead, .. } => {
                    person.hours[PCat::Work as usize] += dt * (1.0 - overhead);
                    person.hours[PCat::Coordination as usize] += dt * overhead;
                }
                PState::Blocked { .. } => person.hours[PCat::Blocked as usize] += dt,
                PState::Task { cat } => person.hours[cat as usize] += dt,
                PState::Gone => {}
            }
        }
        person.since = now;
        person.state = state;
    }

    fn is_pods(&self) -> bool {
        self.strategy().structure == Structure::Pods
    }

    /// A free contributor picks its next piece of work (§12 "Picking work").
    fn dispatch(&mut self, p: u32) {
        let person = &self.people[p as usize];
        if matches!(person.state, PState::Gone) {
            return;
        }
        if person.release_pending {
            // Released at an item boundary: nothing in hand any more.
            self.set_state(p, PState::Idle);
            self.on_leave(p, false);
            return;
        }
        let role = person.role;
        let pods = self.is_pods();
        // Pod reviews and ops requests come before the specialist's own items.
        if pods && role == Role::DataQuality {
            if let Some(item) = self.pod_reviews.pop_front() {
                self.start_task(p, PCat::Review, self.strategy().review_hours, item);
                return;
            }
        }
        if pods && role == Role::Ops && self.pod_ops > 0 {
            self.pod_ops -= 1;
            self.start_task(p, PCat::Ops, self.strategy().ops_request_hours, NONE);
            return;
        }
        if let Some(item) = self.people[p as usize].resumable.pop() {
            self.start_segment(p, item);
            return;
        }
        if let Some(item) = self.pop_ready(role) {
            let it = &mut self.items[item as usize];
            if !it.started {
                it.started = true;
                if it.measured {
                    let wait = self.now - it.ready_at;
                    self.queue_wait_sum += wait;
                    self.queue_wait_n += 1;
                    if wait > EPS {
                        self.queue_wait_pos += 1;
                    }
                }
            }
            self.start_segment(p, item);
            self.update_levels();
            return;
        }
        self.set_state(p, PState::Idle);
        self.mark_idle(role, p);
    }

    fn start_task(&mut self, p: u32, cat: PCat, hours: f64, item: u32) {
        let prod = self.m.channel(self.people[p as usize].channel).productivity;
        self.set_state(p, PState::Task { cat });
        let person = &mut self.people[p as usize];
        person.token = person.token.wrapping_add(1);
        person.task_item = item;
        let token = person.token;
        self.sched.after(hours / prod, Ev::TaskDone { person: p, token });
    }

    fn on_task_done(&mut self, p: u32) {
        let item = self.people[p as usize].task_item;
        self.people[p as usize].task_item = NONE;
        if item != NONE {
            self.review_outcome(item);
        }
        self.dispatch(p);
    }

    /// Coordination overhead of a contributor now (§5).
    fn contributor_overhead(&self, p: u32) -> f64 {
        let oh = &self.m.overhead;
        match self.strategy().structure {
            Structure::Individual => oh.fraction(self.contributors as usize + self.m.seniors.count as usize),
            Structure::Pods => {
                let pod = self.people[p as usize].pod;
                let n = if pod == NONE {
                    1
                } else {
                    self.pods[pod as usize].members as usize + 1
                };
                oh.fraction(n)
            }
        }
    }

    fn start_segment(&mut self, p: u32, item: u32) {
        let person = &self.people[p as usize];
        let cp = self.m.channel(person.channel);
        let ramp = if person.initial {
            1.0
        } else {
            cp.ramp_factor(self.now - person.joined)
        };
        let overhead = self.contributor_overhead(p);
        let speed = cp.productivity * ramp * (1.0 - overhead);
        let it = &self.items[item as usize];
        let (stop, question) = match it.q_points.get(it.q_next) {
            Some(&q) if !it.rework && !it.escape_rework => (q.max(it.done), true),
            _ => (it.effort, false),
        };
        let dur = ((stop - it.done) / speed).max(0.0);
        let seg_start = self.now;
        self.set_state(
            p,
            PState::Working {
                item,
                seg_start,
                speed,
                overhead,
                stop,
                question,
            },
        );
        let person = &mut self.people[p as usize];
        person.token = person.token.wrapping_add(1);
        let token = person.token;
        self.sched.after(dur, Ev::SegmentEnd { person: p, token });
    }

    fn on_segment_end(&mut self, p: u32) {
        let PState::Working {
            item, stop, question, ..
        } = self.people[p as usize].state
        else {
            return;
        };
        self.items[item as usize].done = stop;
        if question {
            self.raise_question(p, item);
        } else {
            self.complete_item(p, item);
        }
    }

    fn raise_question(&mut self, p: u32, item: u32) {
        self.set_state(p, PState::Blocked { item });
        self.items[item as usize].asked_at = self.now;
        let st = self.strategy();
        let it = &self.items[item as usize];
        let handling = it.q_handling[it.q_next];
        match (st.structure, st.interrupt_policy) {
            (Structure::Pods, _) => {
                let pod = self.people[p as usize].pod;
                let lead = self.pods[pod as usize].lead;
                let task = RTask {
                    kind: TaskKind::LeadQuestion { item, person: p },
                    cat: Cat::Questions,
                    dur: handling,
                    counts: true,
                    recover_after: true,
                };
                self.interrupt(lead, task);
            }
            (Structure::Individual, InterruptPolicy::Immediate) => {
                let task = RTask {
                    kind: TaskKind::Question { item, person: p },
                    cat: Cat::Questions,
                    dur: handling,
                    counts: true,
                    recover_after: true,
                };
                self.route_to_senior(task);
            }
            (Structure::Individual, InterruptPolicy::OfficeHours { .. }) => {
                // Park: the question waits for the next office-hours block.
                self.pending_answers.push(RTask {
                    kind: TaskKind::Answer { item, person: p },
                    cat: Cat::Questions,
                    dur: handling,
                    counts: false,
                    recover_after: false,
                });
                self.park(p, item);
            }
        }
    }

    fn park(&mut self, p: u32, item: u32) {
        self.people[p as usize].parked.push(item);
        self.dispatch(p);
    }

    /// Whether contributor `p` still holds `item` (blocked on it or parked).
    fn holds(&self, p: u32, item: u32) -> bool {
        let person = &self.people[p as usize];
        matches!(person.state, PState::Blocked { item: b } if b == item) || person.parked.contains(&item)
    }

    /// The answer to `item`'s current question reaches contributor `p`.
    fn answered(&mut self, p: u32, item: u32) {
        if !self.holds(p, item) {
            // The asker left and the item went back to the queue: the answer is moot.
            return;
        }
        let wait = self.now - self.items[item as usize].asked_at;
        self.question_waits.push(wait);
        self.items[item as usize].q_next += 1;
        if matches!(self.people[p as usize].state, PState::Blocked { item: b } if b == item) {
            self.start_segment(p, item);
            return;
        }
        let person = &mut self.people[p as usize];
        if let Some(pos) = person.parked.iter().position(|&x| x == item) {
            person.parked.swap_remove(pos);
            person.resumable.push(item);
            if person.state == PState::Idle {
                let role = person.role;
                self.unmark_idle(role, p);
                self.dispatch(p);
            }
        }
    }

    fn complete_item(&mut self, p: u32, item: u32) {
        let st = self.strategy();
        let channel = self.people[p as usize].channel;
        let it = &self.items[item as usize];
        let ws = &self.m.workstreams[it.ws as usize];
        if it.rework || it.escape_rework {
            self.rework_hours += it.effort;
            if it.escape_rework {
                self.free_item(item);
            } else {
                self.accept(item);
            }
        } else {
            self.items_done += 1;
            let defective = it.u_defect < ws.defect_rate * self.m.channel(channel).quality_factor;
            let reviewed = it.u_review < st.review_fraction;
            self.items[item as usize].defective = defective;
            if reviewed {
                self.request_review(item, p);
            } else {
                self.accept(item);
            }
        }
        self.dispatch(p);
    }

    fn request_review(&mut self, item: u32, p: u32) {
        match self.strategy().structure {
            Structure::Individual => self.review_pending.push(item),
            Structure::Pods => {
                if self.active_by_role[Role::DataQuality.index()] > 0 {
                    self.pod_reviews.push_back(item);
                    self.wake(Role::DataQuality);
                } else {
                    // No data-quality specialist: the pod lead reviews.
                    let pod = self.people[p as usize].pod;
                    let lead = self.pods[pod as usize].lead;
                    let batch = self.alloc_batch();
                    self.review_batches[batch as usize].push(item);
                    let dur = self.strategy().review_hours;
                    self.add_block(
                        lead,
                        RTask {
                            kind: TaskKind::ReviewBlock { batch },
                            cat: Cat::Review,
                            dur,
                            counts: false,
                            recover_after: false,
                        },
                    );
                }
            }
        }
    }

    fn alloc_batch(&mut self) -> u32 {
        match self.free_batches.pop() {
            Some(b) => b,
            None => {
                self.review_batches.push(Vec::new());
                (self.review_batches.len() - 1) as u32
            }
        }
    }

    /// A review finishes: caught defects go back for rework, the rest is accepted.
    fn review_outcome(&mut self, item: u32) {
        let it = &self.items[item as usize];
        if it.defective && it.u_detect < self.m.quality.detect_prob {
            let it = &mut self.items[item as usize];
            it.rework = true;
            it.effort *= self.m.quality.rework_fraction;
            it.done = 0.0;
            it.ready_at = self.now;
            if it.effort <= 0.0 {
                self.accept(item);
            } else {
                self.enqueue(item);
            }
        } else {
            self.accept(item);
        }
    }

    fn accept(&mut self, item: u32) {
        self.accepted += 1;
        let it = &self.items[item as usize];
        let w = it.ws as usize;
        if it.measured {
            self.sojourn_sum += self.now - it.created;
            self.sojourn_n += 1;
        }
        if it.defective && !it.rework {
            // Not caught (unreviewed or missed): an escape, found later.
            self.escaped += 1;
            let at = self.now + it.escape_delay;
            if at < self.end {
                let effort = it.effort;
                self.sched.at(at, Ev::DefectFound { ws: w as u32, effort });
            }
        }
        let from_backlog = it.from_backlog;
        self.free_item(item);
        if from_backlog {
            self.ws[w].accepted_backlog += 1;
            self.on_backlog_progress(w);
        }
        self.update_levels();
    }

    fn free_item(&mut self, item: u32) {
        self.free_items.push(item);
    }

    fn on_backlog_progress(&mut self, w: usize) {
        let m = self.m;
        let done = self.ws[w].accepted_backlog;
        if done == m.workstreams[w].backlog && self.ws[w].finish.is_none() {
            self.ws[w].finish = Some(self.now);
            if m.workstreams
                .iter()
                .zip(&self.ws)
                .all(|(ws, s)| ws.backlog == 0 || s.finish.is_some())
            {
                self.finished_at = Some(self.now);
            }
        }
        // Open gates that wait on this stream.
        for (d, ws) in m.workstreams.iter().enumerate() {
            if self.ws[d].gates_open || !ws.after.iter().any(|g| g.stream == w) {
                continue;
            }
            let open = ws.after.iter().all(|g| {
                let need = (g.fraction * m.workstreams[g.stream].backlog as f64).ceil() as u32;
                self.ws[g.stream].accepted_backlog >= need
            });
            if open {
                self.ws[d].gates_open = true;
                if ws.backlog > 0 {
                    self.push_backlog(d);
                    self.wake(ws.skill);
                }
                let gated = std::mem::take(&mut self.ws[d].gated);
                for item in gated {
                    self.ws[d].waiting -= 1;
                    self.waiting_total -= 1;
                    self.items[item as usize].ready_at = self.now;
                    self.enqueue(item);
                }
            }
        }
    }

    fn on_defect_found(&mut self, w: u32, effort: f64) {
        // Triage by a senior, handled like a question; then full rework.
        let triage = self.m.quality.triage_hours;
        if triage > 0.0 && !self.resp.is_empty() && self.m.seniors.count > 0 {
            self.route_to_senior(RTask {
                kind: TaskKind::Triage,
                cat: Cat::Triage,
                dur: triage,
                counts: true,
                recover_after: true,
            });
        }
        let item = self.alloc_item();
        let it = &mut self.items[item as usize];
        it.ws = w;
        it.effort = effort;
        it.done = 0.0;
        it.q_points.clear();
        it.q_next = 0;
        it.created = self.now;
        it.ready_at = self.now;
        it.started = true;
        it.from_backlog = false;
        it.rework = false;
        it.escape_rework = true;
        it.measured = false;
        it.defective = false;
        self.created += 1;
        self.enqueue(item);
    }

    fn on_ops_request(&mut self, p: u32) {
        let st = self.strategy();
        let person = &mut self.people[p as usize];
        if matches!(person.state, PState::Gone) {
            return;
        }
        let dt = exp_with_rate(&mut person.rng, st.ops_requests_per_contributor_hour);
        let pod = person.pod;
        self.sched.after(dt, Ev::OpsRequest { person: p });
        let hours = st.ops_request_hours;
        match st.structure {
            Structure::Individual => {
                self.route_to_senior(RTask {
                    kind: TaskKind::Ops,
                    cat: Cat::OpsSupport,
                    dur: hours,
                    counts: true,
                    recover_after: true,
                });
            }
            Structure::Pods => {
                if self.active_by_role[Role::Ops.index()] > 0 {
                    self.pod_ops += 1;
                    self.wake(Role::Ops);
                } else {
                    let lead = self.pods[pod as usize].lead;
                    self.interrupt(
                        lead,
                        RTask {
                            kind: TaskKind::Ops,
                            cat: Cat::OpsSupport,
                            dur: hours,
                            counts: true,
                            recover_after: true,
                        },
                    );
                }
            }
        }
    }

    /// A contributor leaves: attrition (`backfill`) or release.
    fn on_leave(&mut self, p: u32, attrition: bool) {
        let person = &self.people[p as usize];
        if matches!(person.state, PState::Gone) {
            return;
        }
        let (role, channel, pod) = (person.role, person.channel, person.pod);
        if role == Role::PodLead {
            // A pod lead who leaves is replaced by the provider after the lead time;
            // modelled as continuity (documented): the pod keeps answering.
            if attrition {
                self.leavers += 1;
                self.set_state(p, PState::Gone);
                self.people[p as usize].left = Some(self.now);
                self.active_by_role[role.index()] -= 1;
                self.active_by_channel[channel.index()] -= 1;
                let lead_hours = self.m.channel(channel).lead_hours;
                self.pending_joins[role.index()] += 1;
                self.sched.after(lead_hours, Ev::Join { role, channel, pod });
            }
            return;
        }
        let loss = self.m.channel(channel).handover_loss;
        // Work in hand goes back to the queue with part of its progress.
        let mut returned: Vec<u32> = Vec::new();
        match person.state {
            PState::Working {
                item,
                seg_start,
                speed,
                stop,
                ..
            } => {
                let it = &mut self.items[item as usize];
                let progress = (it.done + (self.now - seg_start) * speed).min(stop);
                it.done = progress;
                returned.push(item);
            }
            PState::Blocked { item } => returned.push(item),
            PState::Task { .. } => {
                let item = person.task_item;
                if item != NONE {
                    // An unfinished review goes back to the review queue.
                    self.pod_reviews.push_front(item);
                }
            }
            _ => {}
        }
        let person = &mut self.people[p as usize];
        returned.append(&mut person.parked);
        returned.append(&mut person.resumable);
        self.set_state(p, PState::Gone);
        let person = &mut self.people[p as usize];
        person.token = person.token.wrapping_add(1);
        person.left = Some(self.now);
        self.unmark_idle(role, p);
        self.active_by_role[role.index()] -= 1;
        self.active_by_channel[channel.index()] -= 1;
        self.contributors -= 1;
        if pod != NONE {
            self.pods[pod as usize].members -= 1;
        }
        for item in returned {
            let it = &mut self.items[item as usize];
            it.done *= 1.0 - loss;
            // Questions already answered before the kept progress stay answered.
            it.q_next = it.q_points.iter().take_while(|&&q| q < it.done).count().min(it.q_next);
            self.enqueue(item);
        }
        self.refresh_fractions();
        if attrition {
            self.leavers += 1;
            let lead_hours = self.m.channel(channel).lead_hours;
            self.pending_joins[role.index()] += 1;
            self.sched.after(lead_hours, Ev::Join { role, channel, pod });
        }
    }

    // ----- responders: seniors and pod leads ---------------------------

    /// Immediate routing: the lowest-numbered senior not handling an interruption.
    fn route_to_senior(&mut self, task: RTask) {
        let seniors = self.m.seniors.count as usize;
        let free = (0..seniors).find(|&r| !self.resp[r].current.is_some_and(|c| c.is_interrupt()));
        match free {
            Some(r) => self.interrupt(r as u32, task),
            None => self.senior_queue.push_back(task),
        }
    }

    /// Gives an interruption to responder `r`, preempting a block or recovery.
    fn interrupt(&mut self, r: u32, task: RTask) {
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        match resp.current {
            Some(c) if c.is_interrupt() => {
                resp.interrupts.push_back(task);
                return;
            }
            Some(c) => {
                // Preempt: bank the elapsed part; a block resumes later, recovery restarts.
                let elapsed = now - resp.cur_start;
                resp.hours[c.cat as usize] += elapsed;
                if c.kind != TaskKind::Recovery {
                    let mut rest = c;
                    rest.dur = (c.dur - elapsed).max(0.0);
                    rest.counts = false;
                    resp.blocks.push_front(rest);
                }
                resp.current = None;
                resp.token = resp.token.wrapping_add(1);
            }
            None => self.close_focus(r),
        }
        self.start_rtask(r, task);
    }

    fn add_block(&mut self, r: u32, task: RTask) {
        let resp = &mut self.resp[r as usize];
        resp.blocks.push_back(task);
        if resp.current.is_none() {
            self.close_focus(r);
            self.next_rtask(r);
        }
    }

    fn start_rtask(&mut self, r: u32, task: RTask) {
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        if task.counts {
            resp.interruptions += 1;
        }
        resp.current = Some(task);
        resp.cur_start = now;
        resp.cur_end = now + task.dur;
        resp.token = resp.token.wrapping_add(1);
        let token = resp.token;
        self.sched.at(now + task.dur, Ev::ResponderDone { r, token });
    }

    /// Picks the responder's next task, or lets it return to focus.
    fn next_rtask(&mut self, r: u32) {
        let resp = &mut self.resp[r as usize];
        let next = resp.interrupts.pop_front().or_else(|| {
            if resp.senior {
                self.senior_queue.pop_front()
            } else {
                None
            }
        });
        if let Some(t) = next {
            self.start_rtask(r, t);
            return;
        }
        let resp = &mut self.resp[r as usize];
        if let Some(b) = resp.blocks.pop_front() {
            self.start_rtask(r, b);
            return;
        }
        resp.current = None;
        resp.free_since = self.now;
    }

    fn on_responder_done(&mut self, r: u32) {
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        let Some(task) = resp.current.take() else { return };
        resp.hours[task.cat as usize] += now - resp.cur_start;
        match task.kind {
            TaskKind::Question { item, person } | TaskKind::Answer { item, person } => self.answered(person, item),
            TaskKind::LeadQuestion { item, person } if self.holds(person, item) => {
                let it = &self.items[item as usize];
                let resolves = self.strategy().pods.as_ref().map_or(1.0, |p| p.lead_resolves);
                if it.q_resolve_u[it.q_next] < resolves {
                    self.answered(person, item);
                } else {
                    // Escalated: park the item until the next escalation sync.
                    let dur = it.q_handling[it.q_next];
                    self.pending_answers.push(RTask {
                        kind: TaskKind::Answer { item, person },
                        cat: Cat::Questions,
                        dur,
                        counts: false,
                        recover_after: false,
                    });
                    self.park(person, item);
                }
            }
            TaskKind::ReviewBlock { batch } => {
                let items = std::mem::take(&mut self.review_batches[batch as usize]);
                for &i in &items {
                    self.review_outcome(i);
                }
                self.review_batches[batch as usize] = items;
                self.review_batches[batch as usize].clear();
                self.free_batches.push(batch);
            }
            _ => {}
        }
        let resume = if self.resp[r as usize].senior {
            self.m.seniors.resume_hours
        } else {
            0.0
        };
        let resp = &mut self.resp[r as usize];
        let next_is_interrupt = !resp.interrupts.is_empty() || (resp.senior && !self.senior_queue.is_empty());
        if task.recover_after && resume > 0.0 && !next_is_interrupt {
            self.start_rtask(
                r,
                RTask {
                    kind: TaskKind::Recovery,
                    cat: Cat::Recovery,
                    dur: resume,
                    counts: false,
                    recover_after: false,
                },
            );
        } else if task.recover_after && next_is_interrupt {
            // Another interruption is waiting: recovery restarts after it.
            self.next_rtask(r);
            if let Some(c) = self.resp[r as usize].current.as_mut() {
                c.recover_after = true;
            }
        } else {
            self.next_rtask(r);
        }
    }

    /// Closes a stretch of free time: focus, less coordination and mentoring
    /// pro rata; unbroken pieces of at least the focus block count as deep focus.
    fn close_focus(&mut self, r: u32) {
        let now = self.now;
        let block = self.m.seniors.focus_block_hours;
        let resp = &mut self.resp[r as usize];
        let start = resp.free_since;
        resp.free_since = now;
        if now <= start {
            return;
        }
        let raw = now - start;
        let coord = resp.coord_frac.min(1.0);
        let mentor = resp.mentor_frac.min(1.0 - coord);
        let keep = 1.0 - coord - mentor;
        resp.hours[Cat::Coordination as usize] += raw * coord;
        resp.hours[Cat::Mentoring as usize] += raw * mentor;
        resp.hours[Cat::Focus as usize] += raw * keep;
        // Split at day boundaries: a block never spans two working days.
        let mut a = start;
        let mut deep = 0.0;
        while a < now {
            let day_end = ((a / HOURS_PER_DAY).floor() + 1.0) * HOURS_PER_DAY;
            let b = now.min(day_end);
            if b - a >= block - EPS {
                deep += b - a;
            }
            a = b;
        }
        resp.deep_focus += deep * keep;
    }

    /// Answers every pending escalation (pods) or office-hours question in one
    /// block by the lowest-numbered senior, then one recovery (§12).
    fn answer_batch(&mut self) {
        if self.pending_answers.is_empty() || self.m.seniors.count == 0 {
            return;
        }
        let mut batch = std::mem::take(&mut self.pending_answers);
        let n = batch.len();
        for (i, t) in batch.iter_mut().enumerate() {
            t.counts = i == 0;
            t.recover_after = i + 1 == n;
        }
        let r = 0u32;
        let first = batch[0];
        // The rest go at the front of the senior's own queue, in order.
        for t in batch.drain(1..).rev() {
            self.resp[r as usize].interrupts.push_front(t);
        }
        self.pending_answers = batch;
        self.pending_answers.clear();
        self.interrupt(r, first);
    }

    fn on_day_start(&mut self) {
        // Individual structure: seniors clear their review queues in one block each.
        let seniors = self.m.seniors.count as usize;
        if self.review_pending.is_empty() || seniors == 0 {
            return;
        }
        let pending = std::mem::take(&mut self.review_pending);
        let per = pending.len().div_ceil(seniors);
        let hours = self.strategy().review_hours;
        for (r, chunk) in pending.chunks(per).enumerate() {
            let batch = self.alloc_batch();
            self.review_batches[batch as usize].extend_from_slice(chunk);
            let dur = hours * chunk.len() as f64;
            self.add_block(
                r as u32,
                RTask {
                    kind: TaskKind::ReviewBlock { batch },
                    cat: Cat::Review,
                    dur,
                    counts: true,
                    recover_after: true,
                },
            );
        }
        self.review_pending = pending;
        self.review_pending.clear();
    }

    fn on_week_start(&mut self, week: u32) {
        self.record_week(week as usize);
        self.refresh_fractions();
        let st = self.strategy();
        if let Some(p) = &st.pods {
            let seniors = self.m.seniors.count;
            for pod in 0..self.pods.len() {
                if seniors > 0 && p.senior_sync_hours_per_week > 0.0 {
                    let r = (pod as u32) % seniors;
                    self.add_block(
                        r,
                        RTask {
                            kind: TaskKind::Sync,
                            cat: Cat::Sync,
                            dur: p.senior_sync_hours_per_week,
                            counts: true,
                            recover_after: true,
                        },
                    );
                }
                if p.governance_hours_per_week > 0.0 {
                    let lead = self.pods[pod].lead;
                    self.add_block(
                        lead,
                        RTask {
                            kind: TaskKind::Governance,
                            cat: Cat::Sync,
                            dur: p.governance_hours_per_week,
                            counts: false,
                            recover_after: false,
                        },
                    );
                }
            }
        }
    }

    /// Recomputes responders' coordination and mentoring shares (§5, §3).
    fn refresh_fractions(&mut self) {
        let m = self.m;
        let st = self.strategy();
        let seniors = m.seniors.count as usize;
        let now = self.now;
        let ramping = |p: &Person| {
            !p.initial
                && p.left.is_none()
                && p.role != Role::PodLead
                && now - p.joined < m.channel(p.channel).ramp_hours
        };
        match st.structure {
            Structure::Individual => {
                let f = m.overhead.fraction(self.contributors as usize + seniors);
                let mentor: f64 = self
                    .people
                    .iter()
                    .filter(|p| ramping(p))
                    .map(|p| m.channel(p.channel).mentor_fte)
                    .sum();
                for r in &mut self.resp[..seniors] {
                    r.coord_frac = f;
                    r.mentor_frac = if seniors > 0 { mentor / seniors as f64 } else { 0.0 };
                }
            }
            Structure::Pods => {
                let leads = self.pods.len();
                let f_top = m.overhead.fraction(leads + seniors);
                for r in &mut self.resp[..seniors] {
                    r.coord_frac = f_top;
                    r.mentor_frac = 0.0;
                }
                for pod in 0..leads {
                    let lead = self.pods[pod].lead as usize;
                    let f_pod = m.overhead.fraction(self.pods[pod].members as usize + 1);
                    let mentor: f64 = self
                        .people
                        .iter()
                        .filter(|p| p.pod == pod as u32 && ramping(p))
                        .map(|p| m.channel(p.channel).mentor_fte)
                        .sum();
                    let r = &mut self.resp[lead];
                    r.coord_frac = (f_pod + f_top).min(m.overhead.cap);
                    r.mentor_frac = mentor;
                }
            }
        }
    }

    // ----- roster changes -------------------------------------------------

    fn on_plan_change(&mut self, idx: usize) {
        let c = &self.strategy().plan[idx];
        if c.count > 0 {
            for _ in 0..c.count {
                let id = self.join(c.role, c.channel, false, NONE);
                self.dispatch(id);
            }
        } else {
            self.release(c.role, Some(c.channel), c.count.unsigned_abs(), 0.0);
        }
    }

    /// Releases up to `n` people of `role` (and `channel`), idle ones first,
    /// latest joined first; busy ones leave at their next item boundary.
    fn release(&mut self, role: Role, channel: Option<Channel>, n: u32, min_tenure: f64) -> u32 {
        let now = self.now;
        let mut candidates: Vec<u32> = (0..self.people.len() as u32)
            .filter(|&p| {
                let x = &self.people[p as usize];
                x.role == role
                    && channel.is_none_or(|c| x.channel == c)
                    && !matches!(x.state, PState::Gone)
                    && !x.release_pending
                    && now - x.joined >= min_tenure
            })
            .collect();
        candidates.sort_by_key(|&p| (self.people[p as usize].state != PState::Idle, Reverse(p)));
        let mut released = 0;
        for p in candidates.into_iter().take(n as usize) {
            released += 1;
            if self.people[p as usize].state == PState::Idle {
                self.on_leave(p, false);
            } else {
                self.people[p as usize].release_pending = true;
            }
        }
        released
    }

    /// Remaining effort (hours) of a skill's backlog workstreams: unfinished
    /// backlog plus the arrivals expected before `until`, at mean effort.
    /// Arrival-only streams have no finish, so they do not drive scaling.
    fn remaining_effort(&self, skill: Role, until: f64) -> f64 {
        self.m
            .workstreams
            .iter()
            .enumerate()
            .filter(|(_, w)| w.skill == skill && w.backlog > 0)
            .map(|(i, w)| {
                let left = (w.backlog - self.ws[i].accepted_backlog) as f64;
                if left == 0.0 {
                    return 0.0;
                }
                (left + w.expected_arrivals(self.now, until)) * w.effort.mean()
            })
            .sum()
    }

    /// Forecast finish of a skill's backlog with `capacity` effective people:
    /// the fixed point of T = now + remaining(T) / capacity (arrivals keep
    /// coming while the backlog is worked off).
    fn forecast_finish(&self, skill: Role, capacity: f64) -> f64 {
        if capacity <= 0.0 {
            return f64::INFINITY;
        }
        let mut t = self.now + self.remaining_effort(skill, self.now) / capacity;
        for _ in 0..50 {
            let next = self.now + self.remaining_effort(skill, t) / capacity;
            if (next - t).abs() < 1e-6 || next > 10.0 * self.m.horizon_hours {
                return next;
            }
            t = next;
        }
        t
    }

    fn on_scaling_review(&mut self) {
        let m = self.m;
        let st = self.strategy();
        let sc = &st.scaling;
        let now = self.now;
        let deadline = m.deadline_hours;
        let channel = match sc.policy {
            ScalingPolicy::ElasticBench => Channel::Bench,
            _ => sc.hire_channel,
        };
        let cp = m.channel(channel);
        for skill in Role::SKILLS {
            if !m.workstreams.iter().any(|w| w.skill == skill) {
                continue;
            }
            // Utilisation over the last review interval.
            let busy: f64 = self
                .people
                .iter()
                .filter(|p| p.role == skill)
                .map(|p| {
                    p.hours[PCat::Work as usize]
                        + p.hours[PCat::Review as usize]
                        + p.hours[PCat::Ops as usize]
                        + p.hours[PCat::Coordination as usize]
                })
                .sum();
            let delta = busy - self.busy_at_review[skill.index()];
            self.busy_at_review[skill.index()] = busy;
            let avail = self.active_by_role[skill.index()] as f64 * sc.review_every_hours;
            let util = if avail > 0.0 { delta / avail } else { 1.0 };
            if util < sc.release_below {
                self.low_util_weeks[skill.index()] += 1;
            } else {
                self.low_util_weeks[skill.index()] = 0;
            }

            let Some(deadline) = deadline else { continue };
            let remaining = self.remaining_effort(skill, deadline.max(now));
            let per_person = cp.productivity * (1.0 - self.contributor_overhead_estimate());
            let capacity: f64 = self
                .people
                .iter()
                .filter(|p| p.role == skill && !matches!(p.state, PState::Gone) && !p.release_pending)
                .map(|p| m.channel(p.channel).productivity * (1.0 - self.contributor_overhead_estimate()))
                .sum::<f64>()
                + self.pending_joins[skill.index()] as f64 * per_person;
            let left = deadline - now;
            let late = self.forecast_finish(skill, capacity) > deadline;
            if late && remaining > 0.0 {
                let usable = (left - cp.lead_hours - 0.5 * cp.ramp_hours).max(HOURS_PER_WEEK);
                let need = ((remaining / usable - capacity) / per_person).ceil().max(0.0) as u32;
                let room = match sc.policy {
                    ScalingPolicy::ElasticBench => sc
                        .bench_max
                        .saturating_sub(self.active_by_channel[Channel::Bench.index()] + self.bench_in_flight),
                    _ => sc.max_hires.saturating_sub(self.hires),
                };
                let k = need.min(room);
                for _ in 0..k {
                    self.pending_joins[skill.index()] += 1;
                    if sc.policy == ScalingPolicy::ElasticBench {
                        self.bench_requests += 1;
                        self.bench_in_flight += 1;
                    } else {
                        self.hires += 1;
                    }
                    self.sched.after(
                        cp.lead_hours,
                        Ev::Join {
                            role: skill,
                            channel,
                            pod: NONE,
                        },
                    );
                }
            } else if sc.policy == ScalingPolicy::ElasticBench
                && self.low_util_weeks[skill.index()] as f64 * sc.review_every_hours
                    >= sc.cooldown_weeks as f64 * HOURS_PER_WEEK
            {
                let bench_people = self
                    .people
                    .iter()
                    .filter(|p| {
                        p.role == skill && p.channel == Channel::Bench && p.left.is_none() && !p.release_pending
                    })
                    .count() as u32;
                if bench_people > 0 {
                    self.release(skill, Some(Channel::Bench), bench_people, sc.min_hours);
                    self.low_util_weeks[skill.index()] = 0;
                }
            }
        }
    }

    fn contributor_overhead_estimate(&self) -> f64 {
        let oh = &self.m.overhead;
        match self.strategy().structure {
            Structure::Individual => oh.fraction(self.contributors as usize + self.m.seniors.count as usize),
            Structure::Pods => {
                let pods = self.pods.len().max(1);
                oh.fraction((self.contributors as usize).div_ceil(pods) + 1)
            }
        }
    }

    // ----- observation ----------------------------------------------------

    fn update_levels(&mut self) {
        let warm = self.m.warmup_hours;
        self.queued.set(self.now, warm, self.waiting_total as f64);
        // In the system: live items plus backlog not yet drawn from its queue.
        let in_system = self.live_items() + self.backlog_unmade;
        self.wip.set(self.now, warm, in_system as f64);
    }

    fn live_items(&self) -> u64 {
        (self.items.len() - self.free_items.len()) as u64
    }

    fn cost_to_date(&self) -> f64 {
        let m = self.m;
        let st = self.strategy();
        let margin = st.pods.as_ref().map_or(0.25, |p| p.margin);
        let mut cost = 0.0;
        for p in &self.people {
            let until = p.left.unwrap_or(self.now).min(self.now);
            let hours = (until - p.joined).max(0.0);
            cost += hours * self.hourly_rate(p.role, p.channel, margin);
            if !p.initial {
                cost += m.channel(p.channel).hire_cost;
            }
        }
        let senior_hours: f64 = self
            .resp
            .iter()
            .filter(|r| r.senior)
            .map(|r| r.hours.iter().sum::<f64>() - r.hours[Cat::Focus as usize])
            .sum();
        let _ = st;
        cost + senior_hours * m.seniors.rate
    }

    fn hourly_rate(&self, role: Role, channel: Channel, margin: f64) -> f64 {
        let base = self.m.channel(channel).rate[role.index()];
        match channel {
            Channel::Pod => base * (1.0 + margin),
            Channel::Bench => base * (1.0 + margin) * self.strategy().scaling.bench_premium,
            _ => base,
        }
    }

    fn record_week(&mut self, week: usize) {
        if week >= self.series[0].len() {
            return;
        }
        let l = &self.layout;
        for r in Role::ALL {
            self.series[l.s_role_base + r.index()][week] = self.active_by_role[r.index()] as f64;
        }
        for c in Channel::ALL {
            self.series[l.s_channel_base + c.index()][week] = self.active_by_channel[c.index()] as f64;
        }
        self.series[l.s_total][week] = self.active_by_role.iter().sum::<u32>() as f64;
        for (i, w) in self.m.workstreams.iter().enumerate() {
            let left = if w.backlog > 0 {
                (w.backlog - self.ws[i].accepted_backlog) as f64
            } else {
                self.ws[i].waiting as f64
            };
            self.series[l.s_backlog_base + i][week] = left;
        }
        self.series[l.s_cost][week] = self.cost_to_date();
    }

    // ----- the end ----------------------------------------------------------

    fn finish(&mut self) -> RepResult {
        let m = self.m;
        let now = self.end;
        self.now = now;
        // Close every open account at the end time.
        for p in 0..self.people.len() as u32 {
            if !matches!(self.people[p as usize].state, PState::Gone) {
                self.set_state(p, self.people[p as usize].state);
            }
        }
        for r in 0..self.resp.len() as u32 {
            let resp = &mut self.resp[r as usize];
            if let Some(c) = resp.current {
                // Bank the part done; the task stays in hand for the invariant check.
                resp.hours[c.cat as usize] += now - resp.cur_start;
                resp.cur_start = now;
            } else {
                self.close_focus(r);
            }
        }
        self.update_levels();
        let cost = self.cost_to_date();
        let weeks = now / HOURS_PER_WEEK;
        let last_week = (weeks.floor() as usize + 1).min(self.layout.weeks);
        for w in last_week..=self.layout.weeks {
            // After the end: backlog and headcount as at the end, cost frozen.
            self.record_tail(w, cost);
        }

        let l = &self.layout;
        let mut out = vec![f64::NAN; l.metric_names.len()];
        let set = |out: &mut Vec<f64>, k: M, v: f64| out[k as usize] = v;
        let finished = self.finished_at.is_some();
        let has_backlog = m.has_backlog();
        let finish_week = if has_backlog {
            if finished {
                now / HOURS_PER_WEEK
            } else {
                m.horizon_weeks()
            }
        } else {
            f64::NAN
        };
        set(&mut out, M::FinishWeek, finish_week);
        set(&mut out, M::Censored, if has_backlog && !finished { 1.0 } else { 0.0 });
        set(&mut out, M::CostTotal, cost);
        set(
            &mut out,
            M::CostPerAccepted,
            if self.accepted > 0 {
                cost / self.accepted as f64
            } else {
                f64::NAN
            },
        );
        let seniors = m.seniors.count as f64;
        let senior_weeks = seniors * weeks;
        let sen = || self.resp.iter().filter(|r| r.senior);
        if seniors > 0.0 && weeks > 0.0 {
            set(
                &mut out,
                M::DeepFocusPerSeniorWeek,
                sen().map(|r| r.deep_focus).sum::<f64>() / senior_weeks,
            );
            set(
                &mut out,
                M::SeniorInterruptionsPerWeek,
                sen().map(|r| r.interruptions as f64).sum::<f64>() / senior_weeks,
            );
            for c in Cat::ALL {
                out[l.senior_cat_base + c as usize] = sen().map(|r| r.hours[c as usize]).sum::<f64>() / senior_weeks;
            }
        }
        set(
            &mut out,
            M::EscapedPer1000,
            if self.accepted > 0 {
                1000.0 * self.escaped as f64 / self.accepted as f64
            } else {
                f64::NAN
            },
        );
        set(&mut out, M::DistinctPeople, self.people.len() as f64);
        set(&mut out, M::PeakHeadcount, self.peak as f64);
        set(&mut out, M::ItemsDone, self.items_done as f64);
        set(&mut out, M::ItemsAccepted, self.accepted as f64);
        set(&mut out, M::EscapedDefects, self.escaped as f64);
        set(&mut out, M::ReworkHours, self.rework_hours);
        let coord: f64 = self
            .people
            .iter()
            .map(|p| p.hours[PCat::Coordination as usize])
            .sum::<f64>()
            + self
                .resp
                .iter()
                .map(|r| r.hours[Cat::Coordination as usize])
                .sum::<f64>();
        set(&mut out, M::CoordinationHours, coord);
        set(
            &mut out,
            M::BlockedHours,
            self.people.iter().map(|p| p.hours[PCat::Blocked as usize]).sum(),
        );
        if !self.question_waits.is_empty() {
            let n = self.question_waits.len();
            set(
                &mut out,
                M::QuestionWaitMean,
                self.question_waits.iter().sum::<f64>() / n as f64,
            );
            self.question_waits.sort_by(f64::total_cmp);
            let idx = ((0.95 * n as f64).ceil() as usize).clamp(1, n) - 1;
            set(&mut out, M::QuestionWaitP95, self.question_waits[idx]);
        }
        set(&mut out, M::Starts, self.starts as f64);
        set(&mut out, M::Leavers, self.leavers as f64);
        set(&mut out, M::BenchRequests, self.bench_requests as f64);
        set(
            &mut out,
            M::AccessPersonDays,
            self.people
                .iter()
                .map(|p| (p.left.unwrap_or(now) - p.joined).max(0.0))
                .sum::<f64>()
                / HOURS_PER_DAY,
        );
        let window = now - m.warmup_hours;
        if self.queue_wait_n > 0 {
            set(
                &mut out,
                M::QueueWaitMean,
                self.queue_wait_sum / self.queue_wait_n as f64,
            );
            set(
                &mut out,
                M::PWait,
                self.queue_wait_pos as f64 / self.queue_wait_n as f64,
            );
        }
        if window > 0.0 {
            set(&mut out, M::QueueLenMean, self.queued.area / window);
            set(&mut out, M::WipMean, self.wip.area / window);
            set(&mut out, M::ThroughputPerHour, self.sojourn_n as f64 / window);
        }
        if self.sojourn_n > 0 {
            set(&mut out, M::SojournMean, self.sojourn_sum / self.sojourn_n as f64);
        }
        set(
            &mut out,
            M::LeadQuestionHours,
            self.resp
                .iter()
                .filter(|r| !r.senior)
                .map(|r| r.hours[Cat::Questions as usize])
                .sum(),
        );
        for r in Role::ALL {
            let (busy, paid) = self
                .people
                .iter()
                .filter(|p| p.role == r)
                .fold((0.0, 0.0), |(b, t), p| {
                    let paid: f64 = p.hours.iter().sum();
                    (
                        b + paid - p.hours[PCat::Idle as usize] - p.hours[PCat::Blocked as usize],
                        t + paid,
                    )
                });
            if paid > 0.0 && r != Role::PodLead {
                out[l.util_base + r.index()] = busy / paid;
            }
        }
        if seniors > 0.0 {
            let paid = seniors * now;
            let busy: f64 = sen()
                .map(|r| r.hours.iter().sum::<f64>() - r.hours[Cat::Focus as usize])
                .sum();
            out[l.util_base + Role::SeniorMl.index()] = busy / paid;
        }
        let leads: Vec<&Responder> = self.resp.iter().filter(|r| !r.senior).collect();
        if !leads.is_empty() {
            let paid: f64 = leads.iter().map(|r| now - r.joined).sum();
            let busy: f64 = leads
                .iter()
                .map(|r| r.hours.iter().sum::<f64>() - r.hours[Cat::Focus as usize])
                .sum();
            if paid > 0.0 {
                out[l.util_base + Role::PodLead.index()] = busy / paid;
            }
        }
        for (i, s) in self.ws.iter().enumerate() {
            if m.workstreams[i].backlog > 0 {
                out[l.ws_finish_base + i] = s.finish.map_or(m.horizon_weeks(), |f| f / HOURS_PER_WEEK);
            }
        }
        let violation = self.check_invariants();
        debug_assert!(violation.is_none(), "conservation invariant broken: {violation:?}");
        RepResult {
            metrics: out,
            series: self.series.clone(),
            invariant_violation: violation,
        }
    }

    fn record_tail(&mut self, week: usize, cost: f64) {
        let l = &self.layout;
        if week >= self.series[0].len() {
            return;
        }
        let finished = self.finished_at.is_some();
        for s in 0..self.series.len() {
            let v = if s == l.s_cost {
                cost
            } else if finished && s < l.s_backlog_base {
                // The programme is over: nobody is staffed on it any more.
                0.0
            } else if s >= l.s_backlog_base && s < l.s_cost {
                let i = s - l.s_backlog_base;
                let w = &self.m.workstreams[i];
                if w.backlog > 0 {
                    (w.backlog - self.ws[i].accepted_backlog) as f64
                } else {
                    self.ws[i].waiting as f64
                }
            } else {
                if week > 0 {
                    self.series[s][week - 1]
                } else {
                    0.0
                }
            };
            self.series[s][week] = v;
        }
    }

    /// MODEL.md §10 conservation: every item is exactly once queued, in
    /// progress or done; every person's and senior's paid hours equal the sum
    /// of their categories.
    fn check_invariants(&self) -> Option<String> {
        let now = self.end;
        // Items: live = created - accepted - escape-reworks finished, and every
        // live item is in exactly one place.
        let mut places = 0u64;
        for q in &self.queues {
            places += q.iter().filter(|Reverse(k)| matches!(k.what, QWhat::Item(_))).count() as u64;
        }
        for w in &self.ws {
            places += w.gated.len() as u64;
        }
        for p in &self.people {
            places += p.parked.len() as u64 + p.resumable.len() as u64;
            match p.state {
                PState::Working { .. } | PState::Blocked { .. } => places += 1,
                PState::Task { .. } if p.task_item != NONE => places += 1,
                _ => {}
            }
        }
        places += self.review_pending.len() as u64 + self.pod_reviews.len() as u64;
        let in_blocks: u64 = self
            .resp
            .iter()
            .flat_map(|r| r.current.iter().chain(r.blocks.iter()))
            .map(|t| match t.kind {
                TaskKind::ReviewBlock { batch } => self.review_batches[batch as usize].len() as u64,
                _ => 0,
            })
            .sum();
        places += in_blocks;
        let live = self.live_items();
        if places != live {
            return Some(format!(
                "{live} live items but {places} found in queues, hands or reviews"
            ));
        }
        for (i, p) in self.people.iter().enumerate() {
            let paid = p.left.unwrap_or(now) - p.joined;
            let sum: f64 = p.hours.iter().sum();
            if (paid - sum).abs() > 1e-6 * paid.max(1.0) {
                return Some(format!("person {i}: paid {paid} h but categories sum to {sum} h"));
            }
        }
        for (i, r) in self.resp.iter().enumerate() {
            let paid = now - r.joined;
            let sum: f64 = r.hours.iter().sum();
            if (paid - sum).abs() > 1e-6 * paid.max(1.0) {
                return Some(format!("responder {i}: paid {paid} h but categories sum to {sum} h"));
            }
        }
        None
    }
}

/// The next arrival after `t` of a Poisson process whose rate is piecewise
/// constant (surges), by restarting the exponential clock at each rate change
/// (valid because the exponential is memoryless).
fn next_arrival(ws: &Workstream, mut t: f64, rng: &mut StreamRng) -> f64 {
    loop {
        let rate = ws.arrival_rate_at(t);
        let change = ws.next_rate_change(t);
        if rate <= 0.0 {
            if change.is_infinite() {
                return f64::INFINITY;
            }
            t = change;
            continue;
        }
        let dt = exp_with_rate(rng, rate);
        if t + dt <= change {
            return t + dt;
        }
        t = change;
    }
}
