//! Work items and where they wait: the item slab and its free list, item
//! creation from the item's own random stream (common random numbers), the
//! per-skill ready queues (FIFO by ready time, a backlog as one lazy entry),
//! idle lists, arrivals, and `after` gates that open as upstream backlogs are
//! accepted (MODEL.md §2, §12 "Picking work").

use super::*;

/// A unit of work and everything random about it, drawn when it is created
/// from its own stream (common random numbers).
#[derive(Clone, Debug, Default)]
pub(super) struct Item {
    pub(super) ws: u32,
    pub(super) effort: f64,
    pub(super) done: f64,
    /// Effort points (hours of `done`) at which questions are raised.
    pub(super) q_points: Vec<f64>,
    pub(super) q_handling: Vec<f64>,
    pub(super) q_resolve_u: Vec<f64>,
    pub(super) q_next: usize,
    pub(super) u_defect: f64,
    pub(super) u_review: f64,
    pub(super) u_detect: f64,
    pub(super) escape_delay: f64,
    pub(super) created: f64,
    pub(super) ready_at: f64,
    pub(super) started: bool,
    pub(super) from_backlog: bool,
    /// Rework of a defect caught in review: accepted on completion.
    pub(super) rework: bool,
    /// Rework of an escaped defect: already accepted once, freed on completion.
    pub(super) escape_rework: bool,
    /// Measured in steady-state statistics (arrived after the warm-up).
    pub(super) measured: bool,
    pub(super) defective: bool,
    /// Channel of the person who first completed the item (whose provider is paid for it).
    pub(super) by: Channel,
    /// When the item's open question was raised (for the question-wait statistic).
    pub(super) asked_at: f64,
}

/// Entry of a ready queue: FIFO by ready time, then insertion order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct QKey {
    pub(super) ready_bits: u64,
    pub(super) seq: u64,
    pub(super) what: QWhat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum QWhat {
    Item(ItemId),
    /// The next not-yet-created backlog item of a workstream.
    Backlog(u32),
}

#[derive(Debug, Default)]
pub(super) struct WsState {
    pub(super) created_backlog: u32,
    pub(super) accepted_backlog: u32,
    pub(super) arrivals: u32,
    /// Scheduled arrivals (`Workstream::scheduled`) that have arrived.
    pub(super) scheduled: u32,
    pub(super) gates_open: bool,
    pub(super) gated: Vec<ItemId>,
    pub(super) finish: Option<f64>,
    /// Items of this stream waiting in a ready queue or gated (for forecasts).
    pub(super) waiting: u32,
    pub(super) arrival_rng: Option<StreamRng>,
    /// Key of this workstream's item streams, hashed once per replication.
    pub(super) item_key: Option<StreamKey>,
}

/// Questions per item that a new slab slot has room for (Poisson means are
/// well below 1 question per item in practice).
const ITEM_QUESTIONS_RESERVED: usize = 4;

impl Sim<'_> {
    pub(super) fn alloc_item(&mut self) -> ItemId {
        match self.free_items.pop() {
            Some(i) => i,
            None => {
                // Room for a few questions now, while the slab grows (in the
                // first replications): a slot first reused by an item with
                // questions would otherwise allocate in steady state.
                self.items.push(Item {
                    q_points: Vec::with_capacity(ITEM_QUESTIONS_RESERVED),
                    q_handling: Vec::with_capacity(ITEM_QUESTIONS_RESERVED),
                    q_resolve_u: Vec::with_capacity(ITEM_QUESTIONS_RESERVED),
                    ..Item::default()
                });
                ItemId::new(self.items.len() - 1)
            }
        }
    }

    /// Creates item `k` of workstream `w`, drawing all its randomness at once.
    pub(super) fn create_item(&mut self, w: usize, k: u64, from_backlog: bool) -> ItemId {
        let id = self.alloc_item();
        let ws = &self.m.workstreams[w];
        // Stream k of the workstream's key: the same numbers as
        // `stream(seed, rep, Item, w, k)` without re-hashing the key.
        let (seed, rep) = (self.seed, self.rep);
        let key = *self.ws[w]
            .item_key
            .get_or_insert_with(|| StreamKey::new(seed, rep, Purpose::Item, w as u64));
        let rng = &mut key.stream(k);
        let it = &mut self.items[id];
        it.ws = w as u32;
        it.effort = ws.effort.sample(rng);
        it.done = 0.0;
        let nq = poisson_with_p0(rng, ws.questions_per_item, self.question_p0[w]) as usize;
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
        it.by = Channel::Employee;
        it.asked_at = 0.0;
        self.tally.created += 1;
        id
    }

    pub(super) fn push_backlog(&mut self, w: usize) {
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
    pub(super) fn enqueue(&mut self, item: ItemId) {
        let it = &self.items[item];
        let skill = self.m.workstreams[it.ws as usize].skill;
        // Fast path: with the queue empty, the lowest-numbered idle person
        // would take this very item at once (`wake` -> `dispatch` ->
        // `pop_ready`); hand it over without the queue's push and pop. The
        // sequence number is not drawn, which keeps the queue's order (only
        // the order of sequence numbers matters).
        if self.queues[skill.index()].is_empty() {
            if let Some(&p) = self.idle[skill.index()].last() {
                if self.takes_queued_work_next(p) {
                    self.idle[skill.index()].pop();
                    self.take_ready(p, item);
                    // As `wake` would: anyone else idle with work left.
                    self.wake(skill);
                    return;
                }
            }
        }
        let key = QKey {
            ready_bits: it.ready_at.to_bits(),
            seq: self.qseq,
            what: QWhat::Item(item),
        };
        self.qseq += 1;
        self.ws[it.ws as usize].waiting += 1;
        self.tally.waiting_total += 1;
        self.queues[skill.index()].push(Reverse(key));
        self.wake(skill);
    }

    /// Wakes idle people of `role`, lowest-numbered first, while there is
    /// work they can take (a gate opening releases many items at once).
    pub(super) fn wake(&mut self, role: Role) {
        // Idle lists are sorted by descending id: the lowest-numbered is last.
        while self.has_work(role) {
            let Some(p) = self.idle[role.index()].pop() else {
                break;
            };
            self.dispatch(p);
        }
    }

    /// Marks `p` idle, keeping the role's idle list sorted by descending id
    /// (the next to wake at the end, taken without moving the others; no
    /// allocation once the list has grown to the role's size).
    pub(super) fn mark_idle(&mut self, role: Role, p: PersonId) {
        let idle = &mut self.idle[role.index()];
        if let Err(pos) = idle.binary_search_by(|x| p.cmp(x)) {
            idle.insert(pos, p);
        }
    }

    pub(super) fn unmark_idle(&mut self, role: Role, p: PersonId) {
        let idle = &mut self.idle[role.index()];
        if let Ok(pos) = idle.binary_search_by(|x| p.cmp(x)) {
            idle.remove(pos);
        }
    }

    /// Whether a free person of `role` would find something to do.
    pub(super) fn has_work(&self, role: Role) -> bool {
        let pods = self.is_pods();
        !self.queues[role.index()].is_empty()
            || (pods && role == Role::DataQuality && !self.reviews.pod_queue.is_empty())
            || (pods && role == Role::Ops && self.pod_ops > 0)
    }

    pub(super) fn pop_ready(&mut self, skill: Role) -> Option<ItemId> {
        let Reverse(key) = *self.queues[skill.index()].peek()?;
        let item = match key.what {
            QWhat::Item(i) => {
                self.queues[skill.index()].pop();
                i
            }
            QWhat::Backlog(w) => {
                let w = w as usize;
                let k = self.ws[w].created_backlog as u64;
                self.ws[w].created_backlog += 1;
                self.tally.backlog_unmade -= 1;
                // The backlog keeps its place at the head of the queue until
                // its last item is drawn: left in the heap rather than popped
                // and pushed back (same key, so the same order, two heap
                // operations fewer per backlog item).
                if self.ws[w].created_backlog >= self.m.workstreams[w].backlog {
                    self.queues[skill.index()].pop();
                }
                let i = self.create_item(w, k, true);
                self.items[i].ready_at = f64::from_bits(key.ready_bits);
                self.items[i].measured = false;
                i
            }
        };
        let ws = self.items[item].ws as usize;
        self.ws[ws].waiting -= 1;
        self.tally.waiting_total -= 1;
        Some(item)
    }

    pub(super) fn on_arrival(&mut self, w: usize) {
        let k = self.m.workstreams[w].backlog as u64 + self.ws[w].arrivals as u64;
        self.ws[w].arrivals += 1;
        let item = self.create_item(w, k, false);
        if self.ws[w].gates_open {
            self.enqueue(item);
        } else {
            self.ws[w].gated.push(item);
            self.ws[w].waiting += 1;
            self.tally.waiting_total += 1;
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

    /// A scheduled arrival: item `backlog + i` (the schedule has no Poisson
    /// arrivals beside it, so the item numbers do not meet), counted with
    /// the backlog (accepted_backlog, the finish).
    pub(super) fn on_scheduled(&mut self, w: usize) {
        let i = self.ws[w].scheduled;
        self.ws[w].scheduled += 1;
        let k = self.m.workstreams[w].backlog as u64 + i as u64;
        let item = self.create_item(w, k, true);
        if self.ws[w].gates_open {
            self.enqueue(item);
        } else {
            self.ws[w].gated.push(item);
            self.ws[w].waiting += 1;
            self.tally.waiting_total += 1;
        }
        if let Some(&t) = self.m.workstreams[w].scheduled.get(i as usize + 1) {
            if t < self.end {
                self.sched.at(t, Ev::Scheduled { ws: w as u32 });
            }
        }
        self.update_levels();
    }

    pub(super) fn free_item(&mut self, item: ItemId) {
        self.free_items.push(item);
    }

    pub(super) fn on_backlog_progress(&mut self, w: usize) {
        let m = self.m;
        let done = self.ws[w].accepted_backlog;
        if done == m.workstreams[w].finite_items() && self.ws[w].finish.is_none() {
            self.ws[w].finish = Some(self.now);
            if m.workstreams
                .iter()
                .zip(&self.ws)
                .all(|(ws, s)| ws.finite_items() == 0 || s.finish.is_some())
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
                let need = (g.fraction * m.workstreams[g.stream].finite_items() as f64).ceil() as u32;
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
                    self.tally.waiting_total -= 1;
                    self.items[item].ready_at = self.now;
                    self.enqueue(item);
                }
            }
        }
    }
}

/// The next arrival after `t` of a Poisson process whose rate is piecewise
/// constant (surges), by restarting the exponential clock at each rate change
/// (valid because the exponential is memoryless).
pub(super) fn next_arrival(ws: &Workstream, mut t: f64, rng: &mut StreamRng) -> f64 {
    if ws.surges.is_empty() {
        // Constant rate (the same numbers as the loop below, without it).
        let rate = ws.arrivals_per_hour;
        return if rate > 0.0 {
            t + exp_with_rate(rng, rate)
        } else {
            f64::INFINITY
        };
    }
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
