//! The quality loop: reviews (seniors' daily block, pod data-quality
//! specialists, or the lead), rework of caught defects, acceptance, escapes
//! found later and their triage (MODEL.md §7, §12 "Acceptance").

use super::*;

/// An escaped defect: when it will be found, and what it costs if that is
/// after the programme has finished (MODEL.md §7 post-delivery cost).
#[derive(Clone, Copy, Debug)]
pub(super) struct Escape {
    pub(super) found_at: f64,
    pub(super) post_delivery_cost: f64,
    /// Workstream and effort of the rework when it is found (kept here so
    /// the `DefectFound` event is one index and events stay small).
    pub(super) ws: u32,
    pub(super) effort: f64,
}

/// Items waiting for review and the review blocks in hand. Batch vectors
/// keep their capacity across replications (no per-event allocation).
#[derive(Debug)]
pub(super) struct Reviews {
    /// Individual structure: items waiting for the seniors' next daily block.
    pub(super) pending: Vec<ItemId>,
    /// Items of each review block; a block names its batch by index.
    pub(super) batches: Vec<Vec<ItemId>>,
    pub(super) free_batches: Vec<u32>,
    /// Pods: items waiting for a data-quality specialist.
    pub(super) pod_queue: VecDeque<ItemId>,
}

impl Reviews {
    pub(super) fn new() -> Self {
        Reviews {
            pending: Vec::new(),
            batches: Vec::new(),
            free_batches: Vec::new(),
            pod_queue: VecDeque::new(),
        }
    }

    pub(super) fn reset(&mut self) {
        self.pending.clear();
        self.free_batches.clear();
        self.free_batches.extend((0..self.batches.len() as u32).rev());
        for b in &mut self.batches {
            b.clear();
        }
        self.pod_queue.clear();
    }
}

impl Sim<'_> {
    pub(super) fn request_review(&mut self, item: ItemId, p: PersonId) {
        match self.strategy().structure {
            Structure::Individual => self.reviews.pending.push(item),
            Structure::Pods => {
                if self.headcount.active_by_role[Role::DataQuality.index()] > 0 {
                    self.reviews.pod_queue.push_back(item);
                    self.wake(Role::DataQuality);
                } else {
                    // No data-quality specialist: the pod lead reviews.
                    let pod = self.people[p].pod;
                    let lead = self.pods[pod as usize].lead;
                    let batch = self.alloc_batch();
                    self.reviews.batches[batch as usize].push(item);
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

    pub(super) fn alloc_batch(&mut self) -> u32 {
        match self.reviews.free_batches.pop() {
            Some(b) => b,
            None => {
                self.reviews.batches.push(Vec::new());
                (self.reviews.batches.len() - 1) as u32
            }
        }
    }

    /// A review finishes: caught defects go back for rework, the rest is accepted.
    pub(super) fn review_outcome(&mut self, item: ItemId) {
        let it = &self.items[item];
        if it.defective && it.u_detect < self.m.quality.detect_prob {
            let it = &mut self.items[item];
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

    pub(super) fn accept(&mut self, item: ItemId) {
        self.tally.accepted += 1;
        let it = &self.items[item];
        let w = it.ws as usize;
        let (by, escapes) = (it.by, it.defective && !it.rework);
        if !it.from_backlog && !it.escape_rework {
            self.tally.accepted_flow += 1;
        }
        if it.measured {
            self.tally.sojourn_sum += self.now - it.created;
            self.tally.sojourn_n += 1;
        }
        if it.defective && !it.rework {
            // Not caught (unreviewed or missed): an escape, found later.
            self.tally.escaped += 1;
            let at = self.now + it.escape_delay;
            let effort = it.effort;
            // Whether it is found in time is known only when the programme
            // ends, so every escape keeps the price of being found too late.
            let post_delivery_cost = self.post_delivery_cost(w, effort);
            let escape = self.escapes.len() as u32;
            self.escapes.push(Escape {
                found_at: at,
                post_delivery_cost,
                ws: w as u32,
                effort,
            });
            if at < self.end {
                self.sched.at(at, Ev::DefectFound { escape });
            }
        }
        let from_backlog = it.from_backlog;
        self.free_item(item);
        if from_backlog {
            self.ws[w].accepted_backlog += 1;
            self.on_backlog_progress(w);
        }
        if self.deals.on {
            self.deal_accepted(by, w, escapes);
        }
        self.update_levels();
    }

    /// What an escape costs when it is found after the finish: its full
    /// rework at the rate of the strategy's people of that skill, the
    /// seniors' triage (as in the programme, only where there are seniors),
    /// and the scenario's `cost_per_escaped_defect`.
    fn post_delivery_cost(&self, w: usize, effort: f64) -> f64 {
        let m = self.m;
        let rework = effort * self.strategy().skill_rate(m, m.workstreams[w].skill);
        let triage = if m.seniors.count > 0 {
            m.quality.triage_hours * m.seniors.rate
        } else {
            0.0
        };
        rework + triage + m.quality.cost_per_escaped_defect
    }

    /// Post-delivery cost of the escapes not found by the end (MODEL.md §7).
    /// An escape found exactly at the horizon was handled in the programme.
    pub(super) fn post_delivery_total(&self) -> f64 {
        self.escapes
            .iter()
            .filter(|e| e.found_at > self.end)
            .map(|e| e.post_delivery_cost)
            .sum()
    }

    pub(super) fn on_defect_found(&mut self, escape: u32) {
        let Escape { ws: w, effort, .. } = self.escapes[escape as usize];
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
        let it = &mut self.items[item];
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
        self.tally.created += 1;
        self.enqueue(item);
    }

    pub(super) fn on_day_start(&mut self) {
        self.start_senior_reviews();
        self.sched.after(HOURS_PER_DAY, Ev::DayStart);
    }

    /// Individual structure: seniors clear their review queues in one block each.
    fn start_senior_reviews(&mut self) {
        let seniors = self.m.seniors.count as usize;
        if self.reviews.pending.is_empty() || seniors == 0 {
            return;
        }
        let pending = std::mem::take(&mut self.reviews.pending);
        let per = pending.len().div_ceil(seniors);
        let hours = self.strategy().review_hours;
        for (r, chunk) in pending.chunks(per).enumerate() {
            let batch = self.alloc_batch();
            self.reviews.batches[batch as usize].extend_from_slice(chunk);
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
        self.reviews.pending = pending;
        self.reviews.pending.clear();
    }
}
