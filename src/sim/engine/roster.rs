//! The roster: pods and people joining (initial, backfill, plan, scaling),
//! leaving (attrition, release at an item boundary), planned roster changes
//! and the scaling controller (hiring or elastic bench) (MODEL.md §3-§4).

use super::*;

/// Headcount now and over the replication, requests in flight, and the
/// scaling controller's memory. Reset to zero per replication.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Headcount {
    pub(super) active_by_role: [u32; Role::COUNT],
    pub(super) active_by_channel: [u32; Channel::COUNT],
    /// People doing items (everyone but pod leads).
    pub(super) contributors: u32,
    pub(super) peak: u32,
    pub(super) starts: u32,
    pub(super) leavers: u32,
    pub(super) hires: u32,
    pub(super) bench_requests: u32,
    pub(super) bench_in_flight: u32,
    /// Requested people (backfill, scaling) not yet started, by role.
    pub(super) pending_joins: [u32; Role::COUNT],
    /// Numbers the people as they join: the key of each person's stream.
    pub(super) person_seq: u64,
    /// Consecutive scaling reviews with utilisation under `release_below`.
    pub(super) low_util_weeks: [u32; Role::COUNT],
    /// Busy hours by role at the last scaling review.
    pub(super) busy_at_review: [f64; Role::COUNT],
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct PodState {
    pub(super) lead: u32,
    pub(super) members: u32,
}

impl Sim<'_> {
    /// Someone requested earlier (backfill, scaling) starts.
    pub(super) fn on_join(&mut self, role: Role, channel: Channel, pod: u32) {
        self.headcount.pending_joins[role.index()] = self.headcount.pending_joins[role.index()].saturating_sub(1);
        if channel == Channel::Bench {
            self.headcount.bench_in_flight = self.headcount.bench_in_flight.saturating_sub(1);
        }
        if role == Role::PodLead {
            // A backfilled lead takes over the same pod and its vacant seat.
            let id = self.add_person(Role::PodLead, channel, false, pod);
            self.people[id].state = PState::Task { cat: PCat::Work };
            let seat = self.pods[pod as usize].lead;
            self.fill_seat(seat);
        } else {
            let id = self.join(role, channel, false, pod);
            self.dispatch(id);
        }
    }

    /// Creates a pod with its lead (the lead is a responder and also counts as a person).
    pub(super) fn new_pod(&mut self, lead_channel: Channel, initial: bool) -> u32 {
        let pod = self.pods.len() as u32;
        let lead = self.add_responder(false);
        self.pods.push(PodState { lead, members: 0 });
        // The lead as a paid person with access (never does items).
        let pid = self.add_person(Role::PodLead, lead_channel, initial, pod);
        self.people[pid].state = PState::Task { cat: PCat::Work };
        pod
    }

    /// `start = "new"` (MODEL.md §3): a pod whose lead seat is vacant until
    /// its lead starts through the lead channel.
    pub(super) fn new_pod_to_staff(&mut self, lead_channel: Channel) -> u32 {
        let pod = self.pods.len() as u32;
        let lead = self.add_responder(false);
        self.resp[lead as usize].vacant_since = Some(self.now);
        self.pods.push(PodState { lead, members: 0 });
        self.request_initial(Role::PodLead, lead_channel, pod);
        pod
    }

    /// `start = "new"`: a person of the initial roster is requested at week
    /// 0 and starts at the later of the channel's lead time and its set-up
    /// time, then ramps like any newcomer (and costs its hire cost).
    pub(super) fn request_initial(&mut self, role: Role, channel: Channel, pod: u32) {
        let cp = self.m.channel(channel);
        self.headcount.pending_joins[role.index()] += 1;
        self.sched.at(
            self.now + cp.lead_hours.max(cp.setup_hours),
            Ev::Join { role, channel, pod },
        );
    }

    pub(super) fn add_person(&mut self, role: Role, channel: Channel, initial: bool, pod: u32) -> PersonId {
        let id = PersonId::new(self.people.len());
        let mut rng = stream(self.seed, self.rep, Purpose::Person, self.headcount.person_seq, 0);
        self.headcount.person_seq += 1;
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
            task_item: None,
            initial,
            released: false,
            rng,
        });
        if self.now + leave_in < self.end {
            self.sched.at(self.now + leave_in, Ev::Leave { person: id });
        }
        self.headcount.active_by_role[role.index()] += 1;
        self.headcount.active_by_channel[channel.index()] += 1;
        if !initial {
            self.headcount.starts += 1;
        }
        let active: u32 = self.headcount.active_by_role.iter().sum();
        self.headcount.peak = self.headcount.peak.max(active);
        id
    }

    /// A contributor joins (initial roster, backfill, scaling or plan).
    pub(super) fn join(&mut self, role: Role, channel: Channel, initial: bool, pod_hint: u32) -> PersonId {
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
        self.headcount.contributors += 1;
        let ops_rate = st.ops_requests_per_contributor_hour;
        if ops_rate > 0.0 {
            let dt = exp_with_rate(&mut self.people[id].rng, ops_rate);
            self.sched.after(dt, Ev::OpsRequest { person: id });
        }
        id
    }

    /// A contributor leaves: attrition (`backfill`) or release.
    pub(super) fn on_leave(&mut self, p: PersonId, attrition: bool) {
        let person = &self.people[p];
        if matches!(person.state, PState::Gone) {
            return;
        }
        let (role, channel, pod) = (person.role, person.channel, person.pod);
        if role == Role::PodLead {
            // A pod lead who leaves is replaced by the provider after the lead
            // time; meanwhile the seat is vacant: the pod's questions go to the
            // seniors, reviews wait (MODEL.md §3, §12 "Vacant lead seat").
            if attrition {
                let seat = self.pods[pod as usize].lead;
                self.vacate_seat(seat);
                self.headcount.leavers += 1;
                self.set_state(p, PState::Gone);
                self.people[p].left = Some(self.now);
                self.headcount.active_by_role[role.index()] -= 1;
                self.headcount.active_by_channel[channel.index()] -= 1;
                let lead_hours = self.m.channel(channel).lead_hours;
                self.headcount.pending_joins[role.index()] += 1;
                self.sched.after(lead_hours, Ev::Join { role, channel, pod });
            }
            return;
        }
        let loss = self.m.channel(channel).handover_loss;
        // Work in hand goes back to the queue with part of its progress.
        let mut returned = std::mem::take(&mut self.scratch_items);
        returned.clear();
        match person.state {
            PState::Working {
                item,
                seg_start,
                speed,
                stop,
                ..
            } => {
                let it = &mut self.items[item];
                let progress = (it.done + (self.now - seg_start) * speed).min(stop);
                it.done = progress;
                returned.push(item);
            }
            PState::Blocked { item } => returned.push(item),
            PState::Task { .. } => {
                if let Some(item) = person.task_item {
                    // An unfinished review goes back to the review queue.
                    self.reviews.pod_queue.push_front(item);
                }
            }
            _ => {}
        }
        let person = &mut self.people[p];
        returned.append(&mut person.parked);
        returned.append(&mut person.resumable);
        self.set_state(p, PState::Gone);
        let person = &mut self.people[p];
        person.token = person.token.wrapping_add(1);
        person.left = Some(self.now);
        person.released = !attrition;
        self.unmark_idle(role, p);
        self.headcount.active_by_role[role.index()] -= 1;
        self.headcount.active_by_channel[channel.index()] -= 1;
        self.headcount.contributors -= 1;
        if pod != NONE {
            self.pods[pod as usize].members -= 1;
        }
        for &item in &returned {
            let it = &mut self.items[item];
            it.done *= 1.0 - loss;
            // Questions already answered before the kept progress stay answered.
            it.q_next = it.q_points.iter().take_while(|&&q| q < it.done).count().min(it.q_next);
            self.enqueue(item);
        }
        returned.clear();
        self.scratch_items = returned;
        if attrition {
            self.headcount.leavers += 1;
            let lead_hours = self.m.channel(channel).lead_hours;
            self.headcount.pending_joins[role.index()] += 1;
            self.sched.after(lead_hours, Ev::Join { role, channel, pod });
        }
    }

    pub(super) fn on_plan_change(&mut self, idx: usize) {
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
    pub(super) fn release(&mut self, role: Role, channel: Option<Channel>, n: u32, min_tenure: f64) -> u32 {
        let now = self.now;
        let mut candidates = std::mem::take(&mut self.scratch_people);
        candidates.clear();
        candidates.extend(PersonId::all(&self.people).filter(|&p| {
            let x = &self.people[p];
            x.role == role
                && channel.is_none_or(|c| x.channel == c)
                && !matches!(x.state, PState::Gone)
                && !x.release_pending
                && now - x.joined >= min_tenure
        }));
        candidates.sort_by_key(|&p| (self.people[p].state != PState::Idle, Reverse(p)));
        let mut released = 0;
        for &p in candidates.iter().take(n as usize) {
            released += 1;
            if self.people[p].state == PState::Idle {
                self.on_leave(p, false);
            } else {
                self.people[p].release_pending = true;
            }
        }
        candidates.clear();
        self.scratch_people = candidates;
        released
    }

    /// Remaining effort (hours) of a skill's backlog workstreams: unfinished
    /// backlog plus the arrivals expected before `until`, at mean effort.
    /// Arrival-only streams have no finish, so they do not drive scaling.
    pub(super) fn remaining_effort(&self, skill: Role, until: f64) -> f64 {
        self.m
            .workstreams
            .iter()
            .enumerate()
            .filter(|(_, w)| w.skill == skill && w.finite_items() > 0)
            .map(|(i, w)| {
                let left = (w.finite_items() - self.ws[i].accepted_backlog) as f64;
                if left == 0.0 {
                    return 0.0;
                }
                (left + w.expected_arrivals(self.now, until)) * w.effort.mean()
            })
            .sum()
    }

    /// Effort (hours, at mean effort) of a skill's arrived items waiting to
    /// be started or resumed: ready queues less the backlog not yet drawn,
    /// not the items behind closed gates (more people cannot start those).
    pub(super) fn queued_arrived_effort(&self, skill: Role) -> f64 {
        self.m
            .workstreams
            .iter()
            .enumerate()
            .filter(|(_, w)| w.skill == skill)
            .map(|(i, w)| {
                let s = &self.ws[i];
                let unmade = (w.backlog - s.created_backlog.min(w.backlog)) as usize;
                let queued = (s.waiting as usize).saturating_sub(unmade + s.gated.len());
                queued as f64 * w.effort.mean()
            })
            .sum()
    }

    /// Forecast finish of a skill's backlog with `capacity` effective people:
    /// the fixed point of T = now + remaining(T) / capacity (arrivals keep
    /// coming while the backlog is worked off).
    pub(super) fn forecast_finish(&self, skill: Role, capacity: f64) -> f64 {
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

    pub(super) fn on_scaling_review(&mut self) {
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
            let delta = busy - self.headcount.busy_at_review[skill.index()];
            self.headcount.busy_at_review[skill.index()] = busy;
            let avail = self.headcount.active_by_role[skill.index()] as f64 * sc.review_every_hours;
            let util = if avail > 0.0 { delta / avail } else { 1.0 };
            if util < sc.release_below {
                self.headcount.low_util_weeks[skill.index()] += 1;
            } else {
                self.headcount.low_util_weeks[skill.index()] = 0;
            }

            let overhead = self.contributor_overhead_estimate();
            let per_person = cp.productivity * (1.0 - overhead);
            let capacity: f64 = self
                .people
                .iter()
                .filter(|p| p.role == skill && !matches!(p.state, PState::Gone) && !p.release_pending)
                .map(|p| m.channel(p.channel).productivity * (1.0 - overhead))
                .sum::<f64>()
                + self.headcount.pending_joins[skill.index()] as f64 * per_person;
            // The deadline forecast: enough people to finish the skill's
            // backlog by the deadline, arriving after the lead time half-ramped.
            let mut late = false;
            let mut need_deadline = 0u32;
            if let Some(deadline) = deadline {
                let remaining = self.remaining_effort(skill, deadline.max(now));
                let left = deadline - now;
                late = self.forecast_finish(skill, capacity) > deadline;
                if late && remaining > 0.0 {
                    let usable = (left - cp.lead_hours - 0.5 * cp.ramp_hours).max(HOURS_PER_WEEK);
                    need_deadline = ((remaining / usable - capacity) / per_person).ceil().max(0.0) as u32;
                }
            }
            // The queue load: arrived work waiting, in weeks of capacity, above
            // the target asks for `damping` of the gap (in people) per review.
            let mut queue_high = false;
            let mut need_queue = 0u32;
            if sc.queue_target_weeks > 0.0 && per_person > 0.0 {
                let wanted = self.queued_arrived_effort(skill) / (sc.queue_target_weeks * HOURS_PER_WEEK);
                if wanted > capacity + EPS {
                    queue_high = true;
                    need_queue = (sc.damping * (wanted - capacity) / per_person).ceil() as u32;
                }
            }
            let need = need_deadline.max(need_queue);
            if late || queue_high {
                let room = match sc.policy {
                    ScalingPolicy::ElasticBench => sc.bench_max.saturating_sub(
                        self.headcount.active_by_channel[Channel::Bench.index()] + self.headcount.bench_in_flight,
                    ),
                    _ => sc.max_hires.saturating_sub(self.headcount.hires),
                };
                let k = need.min(room);
                for _ in 0..k {
                    self.headcount.pending_joins[skill.index()] += 1;
                    if sc.policy == ScalingPolicy::ElasticBench {
                        self.headcount.bench_requests += 1;
                        self.headcount.bench_in_flight += 1;
                    } else {
                        self.headcount.hires += 1;
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
                && self.headcount.low_util_weeks[skill.index()] as f64 * sc.review_every_hours
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
                    self.headcount.low_util_weeks[skill.index()] = 0;
                }
            }
        }
        let every = self.strategy().scaling.review_every_hours;
        self.sched.after(every, Ev::ScalingReview);
    }
}
