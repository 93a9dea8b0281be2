//! Contributors: what a free person picks next, item segments between
//! question points, questions raised and answered, parking and resuming
//! (pods, office hours), item completion, ops requests, and the contributor
//! time categories (MODEL.md §12 "Item duration", "Questions", "Parking").

use super::*;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum PState {
    Idle,
    Working {
        item: ItemId,
        seg_start: f64,
        speed: f64,
        overhead: f64,
        stop: f64,
        question: bool,
    },
    Blocked {
        item: ItemId,
    },
    Task {
        cat: PCat,
    },
    Gone,
}

/// Contributor time categories (paid hours = their sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PCat {
    Work,
    Coordination,
    Blocked,
    Idle,
    Review,
    Ops,
}

pub(super) const PCATS: usize = 6;

#[derive(Debug)]
pub(super) struct Person {
    pub(super) role: Role,
    pub(super) channel: Channel,
    pub(super) joined: f64,
    pub(super) left: Option<f64>,
    pub(super) pod: u32,
    pub(super) state: PState,
    pub(super) token: u32,
    pub(super) since: f64,
    pub(super) hours: [f64; PCATS],
    pub(super) parked: Vec<ItemId>,
    pub(super) resumable: Vec<ItemId>,
    pub(super) release_pending: bool,
    /// Item of a review or ops task in progress.
    pub(super) task_item: Option<ItemId>,
    pub(super) initial: bool,
    /// Left because the client released the seat (not attrition).
    pub(super) released: bool,
    pub(super) rng: StreamRng,
}

impl Sim<'_> {
    pub(super) fn set_state(&mut self, p: PersonId, state: PState) {
        let now = self.now;
        let person = &mut self.people[p];
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

    /// A free contributor picks its next piece of work (§12 "Picking work").
    pub(super) fn dispatch(&mut self, p: PersonId) {
        let person = &self.people[p];
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
            if let Some(item) = self.reviews.pod_queue.pop_front() {
                self.start_task(p, PCat::Review, self.strategy().review_hours, Some(item));
                return;
            }
        }
        if pods && role == Role::Ops && self.pod_ops > 0 {
            self.pod_ops -= 1;
            self.start_task(p, PCat::Ops, self.strategy().ops_request_hours, None);
            return;
        }
        if let Some(item) = self.people[p].resumable.pop() {
            self.start_segment(p, item);
            return;
        }
        if let Some(item) = self.pop_ready(role) {
            self.take_ready(p, item);
            return;
        }
        self.set_state(p, PState::Idle);
        self.mark_idle(role, p);
    }

    /// Whether `dispatch(p)` would go straight to the ready queue: none of
    /// the earlier choices in its order applies (keep the two in step).
    pub(super) fn takes_queued_work_next(&self, p: PersonId) -> bool {
        let person = &self.people[p];
        let pods = self.is_pods();
        // Each clause is one of `dispatch`'s earlier branches, in its order.
        let earlier_choice = matches!(person.state, PState::Gone)
            || person.release_pending
            || (pods && person.role == Role::DataQuality && !self.reviews.pod_queue.is_empty())
            || (pods && person.role == Role::Ops && self.pod_ops > 0)
            || !person.resumable.is_empty();
        !earlier_choice
    }

    /// Contributor `p` starts `item`, just taken from a ready queue (or
    /// handed over by `enqueue` instead of passing through it).
    pub(super) fn take_ready(&mut self, p: PersonId, item: ItemId) {
        let it = &mut self.items[item];
        if !it.started {
            it.started = true;
            if it.measured {
                let wait = self.now - it.ready_at;
                self.tally.queue_wait_sum += wait;
                self.tally.queue_wait_n += 1;
                if wait > EPS {
                    self.tally.queue_wait_pos += 1;
                }
            }
        }
        self.start_segment(p, item);
        self.update_levels();
    }

    pub(super) fn start_task(&mut self, p: PersonId, cat: PCat, hours: f64, item: Option<ItemId>) {
        let prod = self.m.channel(self.people[p].channel).productivity;
        self.set_state(p, PState::Task { cat });
        let person = &mut self.people[p];
        person.token = person.token.wrapping_add(1);
        person.task_item = item;
        let token = person.token;
        self.sched.after(hours / prod, Ev::TaskDone { person: p, token });
    }

    pub(super) fn on_task_done(&mut self, p: PersonId, token: u32) {
        if self.people[p].token != token {
            // Superseded: the person left or moved on.
            return;
        }
        if let Some(item) = self.people[p].task_item.take() {
            self.review_outcome(item);
        }
        self.dispatch(p);
    }

    pub(super) fn start_segment(&mut self, p: PersonId, item: ItemId) {
        let person = &self.people[p];
        let cp = self.m.channel(person.channel);
        let ramp = if person.initial {
            1.0
        } else {
            cp.ramp_factor(self.now - person.joined)
        };
        let overhead = self.contributor_overhead(p);
        let speed = cp.productivity * ramp * (1.0 - overhead);
        let it = &self.items[item];
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
        let person = &mut self.people[p];
        person.token = person.token.wrapping_add(1);
        let token = person.token;
        self.sched.after(dur, Ev::SegmentEnd { person: p, token });
    }

    pub(super) fn on_segment_end(&mut self, p: PersonId, token: u32) {
        if self.people[p].token != token {
            // Superseded: the person left or the segment was restarted.
            return;
        }
        let PState::Working {
            item, stop, question, ..
        } = self.people[p].state
        else {
            return;
        };
        self.items[item].done = stop;
        if question {
            self.raise_question(p, item);
        } else {
            self.complete_item(p, item);
        }
    }

    pub(super) fn raise_question(&mut self, p: PersonId, item: ItemId) {
        self.set_state(p, PState::Blocked { item });
        self.items[item].asked_at = self.now;
        let st = self.strategy();
        let it = &self.items[item];
        let handling = it.q_handling[it.q_next];
        match (st.structure, st.interrupt_policy) {
            (Structure::Pods, _) => {
                let pod = self.people[p].pod;
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

    pub(super) fn park(&mut self, p: PersonId, item: ItemId) {
        self.people[p].parked.push(item);
        self.dispatch(p);
    }

    /// Whether contributor `p` still holds `item` (blocked on it or parked).
    pub(super) fn holds(&self, p: PersonId, item: ItemId) -> bool {
        let person = &self.people[p];
        matches!(person.state, PState::Blocked { item: b } if b == item) || person.parked.contains(&item)
    }

    /// The answer to `item`'s current question reaches contributor `p`.
    pub(super) fn answered(&mut self, p: PersonId, item: ItemId) {
        if !self.holds(p, item) {
            // The asker left and the item went back to the queue: the answer is moot.
            return;
        }
        let wait = self.now - self.items[item].asked_at;
        self.question_waits.push(wait);
        self.items[item].q_next += 1;
        if matches!(self.people[p].state, PState::Blocked { item: b } if b == item) {
            self.start_segment(p, item);
            return;
        }
        let person = &mut self.people[p];
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

    pub(super) fn complete_item(&mut self, p: PersonId, item: ItemId) {
        let st = self.strategy();
        let channel = self.people[p].channel;
        let it = &self.items[item];
        let ws = &self.m.workstreams[it.ws as usize];
        if it.rework || it.escape_rework {
            self.tally.rework_hours += it.effort;
            if it.escape_rework {
                self.free_item(item);
            } else {
                self.accept(item);
            }
        } else {
            self.tally.items_done += 1;
            let defective = it.u_defect < ws.defect_rate * self.m.channel(channel).quality_factor;
            let reviewed = it.u_review < st.review_fraction;
            self.items[item].defective = defective;
            self.items[item].by = channel;
            if reviewed {
                self.request_review(item, p);
            } else {
                self.accept(item);
            }
        }
        self.dispatch(p);
    }

    pub(super) fn on_ops_request(&mut self, p: PersonId) {
        let st = self.strategy();
        let person = &mut self.people[p];
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
                if self.headcount.active_by_role[Role::Ops.index()] > 0 {
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
}
