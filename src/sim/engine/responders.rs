//! Responders (seniors and pod leads): routing of interruptions, preemption
//! of blocks (reviews, syncs, governance), recovery after interruptions, and
//! the focus/deep-focus accounting of their free time (MODEL.md §6, §12).

use super::*;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum TaskKind {
    Question {
        item: ItemId,
        person: PersonId,
    },
    LeadQuestion {
        item: ItemId,
        person: PersonId,
    },
    Answer {
        item: ItemId,
        person: PersonId,
    },
    Ops,
    Triage,
    /// Reviews of the items in `review_batches[batch]`.
    ReviewBlock {
        batch: u32,
    },
    Sync,
    Governance,
    /// The weekly coordination block (pairwise loss and hub cost).
    Coordination,
    /// The weekly mentoring block.
    Mentoring,
    Recovery,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct RTask {
    pub(super) kind: TaskKind,
    pub(super) cat: Cat,
    pub(super) dur: f64,
    /// Counts as an interruption (a context switch) when it starts.
    pub(super) counts: bool,
    /// Followed by recovery when it ends.
    pub(super) recover_after: bool,
}

impl RTask {
    pub(super) fn is_interrupt(&self) -> bool {
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
pub(super) struct Responder {
    pub(super) senior: bool,
    pub(super) joined: f64,
    pub(super) current: Option<RTask>,
    pub(super) cur_start: f64,
    pub(super) cur_end: f64,
    pub(super) token: u32,
    pub(super) interrupts: VecDeque<RTask>,
    pub(super) blocks: VecDeque<RTask>,
    /// Start of the current stretch of free (focus) time.
    pub(super) free_since: f64,
    pub(super) hours: [f64; Cat::COUNT],
    pub(super) deep_focus: f64,
    pub(super) interruptions: u64,
    /// Non-focus hours at the start of the current week (for "least loaded").
    pub(super) week_base: f64,
    /// A pod lead's seat is vacant (the lead left, the backfill has not
    /// started) since this time: nobody answers at this seat (§3, §12).
    pub(super) vacant_since: Option<f64>,
    /// Hours the seat was vacant before the current vacancy (not paid).
    pub(super) vacant_hours: f64,
}

impl Sim<'_> {
    pub(super) fn add_responder(&mut self, senior: bool) -> u32 {
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
            week_base: 0.0,
            vacant_since: None,
            vacant_hours: 0.0,
        });
        (self.resp.len() - 1) as u32
    }

    /// Non-focus hours of responder `r` so far, the task in progress included.
    pub(super) fn non_focus_hours(&self, r: usize) -> f64 {
        let resp = &self.resp[r];
        let banked: f64 = resp.hours.iter().sum::<f64>() - resp.hours[Cat::Focus as usize];
        banked + resp.current.map_or(0.0, |_| self.now - resp.cur_start)
    }

    /// Starts the week's load count of every responder.
    pub(super) fn start_week_load(&mut self) {
        for r in 0..self.resp.len() {
            self.resp[r].week_base = self.non_focus_hours(r);
        }
    }

    /// The senior with the fewest non-focus hours since the start of the
    /// week, ties to the lowest number (§12 "Least-loaded senior").
    pub(super) fn least_loaded_senior(&self) -> u32 {
        let mut best = (0u32, f64::INFINITY);
        for r in 0..self.m.seniors.count as usize {
            let load = self.non_focus_hours(r) - self.resp[r].week_base;
            if load < best.1 - EPS {
                best = (r as u32, load);
            }
        }
        best.0
    }

    /// Immediate routing: the lowest-numbered senior not handling an interruption.
    pub(super) fn route_to_senior(&mut self, task: RTask) {
        let seniors = self.m.seniors.count as usize;
        let free = (0..seniors).find(|&r| !self.resp[r].current.is_some_and(|c| c.is_interrupt()));
        match free {
            Some(r) => self.interrupt(r as u32, task),
            None => self.senior_queue.push_back(task),
        }
    }

    /// Gives an interruption to responder `r`, preempting a block or recovery.
    pub(super) fn interrupt(&mut self, r: u32, task: RTask) {
        if self.resp[r as usize].vacant_since.is_some() {
            self.cover_vacant_seat(r, task);
            return;
        }
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

    pub(super) fn add_block(&mut self, r: u32, task: RTask) {
        let resp = &mut self.resp[r as usize];
        if resp.vacant_since.is_some() {
            // A vacant seat holds no meetings: governance, coordination and
            // mentoring are not done (nor paid); reviews wait for the backfill.
            if matches!(task.kind, TaskKind::ReviewBlock { .. }) {
                resp.blocks.push_back(task);
            }
            return;
        }
        resp.blocks.push_back(task);
        if resp.current.is_none() {
            self.close_focus(r);
            self.next_rtask(r);
        }
    }

    pub(super) fn start_rtask(&mut self, r: u32, task: RTask) {
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
    pub(super) fn next_rtask(&mut self, r: u32) {
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

    pub(super) fn on_responder_done(&mut self, r: u32, token: u32) {
        if self.resp[r as usize].token != token {
            // Superseded: the task was preempted.
            return;
        }
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        let Some(task) = resp.current.take() else { return };
        resp.hours[task.cat as usize] += now - resp.cur_start;
        match task.kind {
            TaskKind::Question { item, person } | TaskKind::Answer { item, person } => self.answered(person, item),
            TaskKind::LeadQuestion { item, person } if self.holds(person, item) => {
                let it = &self.items[item];
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
                let items = std::mem::take(&mut self.reviews.batches[batch as usize]);
                for &i in &items {
                    self.review_outcome(i);
                }
                self.reviews.batches[batch as usize] = items;
                self.reviews.batches[batch as usize].clear();
                self.reviews.free_batches.push(batch);
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

    /// Closes a stretch of free time: all of it is focus; the pieces of at
    /// least the focus block within one working day count as deep focus.
    /// Blocks and interruptions end a stretch, so they break deep focus (§6).
    pub(super) fn close_focus(&mut self, r: u32) {
        let now = self.now;
        let block = self.m.seniors.focus_block_hours;
        let resp = &mut self.resp[r as usize];
        let start = resp.free_since;
        resp.free_since = now;
        if now <= start || resp.vacant_since.is_some() {
            // A vacant seat has no free time: nobody sits in it.
            return;
        }
        resp.hours[Cat::Focus as usize] += now - start;
        // Split at day boundaries: a stretch ends with the working day.
        let mut a = start;
        while a < now {
            let day_end = ((a / HOURS_PER_DAY).floor() + 1.0) * HOURS_PER_DAY;
            let b = now.min(day_end);
            if b - a >= block - EPS {
                resp.deep_focus += b - a;
            }
            a = b;
        }
    }
}

/// A pod lead's seat while the lead has left and the backfill has not
/// started (MODEL.md §3, §12 "Vacant lead seat"): the pod's questions and ops
/// requests go straight to the seniors, as in the individual structure
/// (immediate routing, each an interruption of a senior, the asker blocked
/// until answered); reviews wait for the backfill; governance, coordination
/// and mentoring are not done. Without seniors, everything waits for the
/// backfill. The vacant hours are not the seat's paid hours.
impl Sim<'_> {
    /// Paid (seated) hours of responder `r` up to `now`: a vacant pod-lead
    /// seat is not paid (the leaver's and the backfill's own pay are people's).
    pub(super) fn seat_hours(&self, r: usize, now: f64) -> f64 {
        let resp = &self.resp[r];
        let vacant = resp.vacant_hours + resp.vacant_since.map_or(0.0, |since| (now - since).max(0.0));
        now - resp.joined - vacant
    }

    /// The lead at seat `r` leaves: the task in hand stops (its elapsed part
    /// is banked), then every waiting task is re-routed as the vacant seat's
    /// rules say.
    pub(super) fn vacate_seat(&mut self, r: u32) {
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        if resp.vacant_since.is_some() {
            return;
        }
        let in_hand = match resp.current.take() {
            Some(c) => {
                let elapsed = now - resp.cur_start;
                resp.hours[c.cat as usize] += elapsed;
                resp.token = resp.token.wrapping_add(1);
                // A question starts over with whoever takes it; a block keeps its rest.
                let rest = if c.is_interrupt() {
                    c.dur
                } else {
                    (c.dur - elapsed).max(0.0)
                };
                (c.kind != TaskKind::Recovery).then_some(RTask { dur: rest, ..c })
            }
            None => {
                self.close_focus(r);
                None
            }
        };
        let resp = &mut self.resp[r as usize];
        resp.vacant_since = Some(now);
        resp.free_since = now;
        if let Some(t) = in_hand {
            self.reroute_from_vacant(r, t);
        }
        // Each waiting task once, in order (a task that waits for the
        // backfill goes to the back of the same queue).
        for _ in 0..self.resp[r as usize].interrupts.len() {
            let t = self.resp[r as usize].interrupts.pop_front().expect("counted");
            self.reroute_from_vacant(r, t);
        }
        for _ in 0..self.resp[r as usize].blocks.len() {
            let t = self.resp[r as usize].blocks.pop_front().expect("counted");
            self.reroute_from_vacant(r, t);
        }
    }

    fn reroute_from_vacant(&mut self, r: u32, t: RTask) {
        if t.is_interrupt() {
            self.cover_vacant_seat(r, t);
        } else {
            self.add_block(r, t);
        }
    }

    /// An interruption for a vacant seat: to the seniors, or it waits.
    fn cover_vacant_seat(&mut self, r: u32, task: RTask) {
        if self.m.seniors.count == 0 {
            self.resp[r as usize].interrupts.push_back(task);
            return;
        }
        let kind = match task.kind {
            // The senior answers it outright (no lead to resolve it first).
            TaskKind::LeadQuestion { item, person } => TaskKind::Question { item, person },
            k => k,
        };
        self.route_to_senior(RTask {
            kind,
            counts: true,
            recover_after: true,
            ..task
        });
    }

    /// The backfilled lead takes the seat: work that waited for it starts.
    pub(super) fn fill_seat(&mut self, r: u32) {
        let now = self.now;
        let resp = &mut self.resp[r as usize];
        let Some(since) = resp.vacant_since.take() else { return };
        resp.vacant_hours += now - since;
        resp.free_since = now;
        if resp.current.is_none() {
            self.next_rtask(r);
        }
    }
}
