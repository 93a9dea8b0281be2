//! Coordination: escalation syncs and office-hours batches, the weekly pod
//! syncs and governance blocks, and the overhead fractions (Brooks pairwise
//! loss, mentoring) of responders and contributors (MODEL.md §4-§5, §12).

use super::*;

impl Sim<'_> {
    /// The escalation sync (pods): pending escalations answered in one block.
    pub(super) fn on_escalation(&mut self) {
        let every = self.strategy().pods.as_ref().map_or(8.0, |p| p.escalation_every_hours);
        self.answer_batch();
        self.sched.after(every, Ev::Escalation);
    }

    /// Office hours (individual): waiting questions answered in one block.
    pub(super) fn on_office_hours(&mut self) {
        if let InterruptPolicy::OfficeHours { every_hours } = self.strategy().interrupt_policy {
            self.answer_batch();
            self.sched.after(every_hours, Ev::OfficeHours);
        }
    }

    /// Answers every pending escalation (pods) or office-hours question in one
    /// block by the least-loaded senior, then one recovery (§12).
    pub(super) fn answer_batch(&mut self) {
        if self.pending_answers.is_empty() || self.m.seniors.count == 0 {
            return;
        }
        let mut batch = std::mem::take(&mut self.pending_answers);
        let n = batch.len();
        for (i, t) in batch.iter_mut().enumerate() {
            t.counts = i == 0;
            t.recover_after = i + 1 == n;
        }
        let r = self.least_loaded_senior();
        let first = batch[0];
        // The rest go at the front of the senior's own queue, in order.
        for t in batch.drain(1..).rev() {
            self.resp[r as usize].interrupts.push_front(t);
        }
        self.pending_answers = batch;
        self.pending_answers.clear();
        self.interrupt(r, first);
    }

    pub(super) fn on_week_start(&mut self, week: u32) {
        self.record_week(week as usize);
        self.start_week_load();
        self.add_weekly_blocks();
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
        self.sched.after(HOURS_PER_WEEK, Ev::WeekStart { week: week + 1 });
    }

    /// The weekly coordination and mentoring blocks of seniors and pod leads
    /// (§5, §12 "Coordination, settled"): pairwise loss x 40 h plus the hub
    /// cost per direct report, and mentor_fte x 40 h per ramping newcomer.
    pub(super) fn add_weekly_blocks(&mut self) {
        let m = self.m;
        let oh = &m.overhead;
        let seniors = m.seniors.count as usize;
        let now = self.now;
        let hub = oh.hub_hours_per_report_week;
        let ramping = |p: &Person| {
            !p.initial
                && p.left.is_none()
                && p.role != Role::PodLead
                && now - p.joined < m.channel(p.channel).ramp_hours
        };
        let i_all = self.interdependence_all;
        let contributors = self.headcount.contributors as usize;
        let leads = self.pods.len();
        // Reports dealt round-robin: coordinator r of k gets ceil((n - r) / k).
        let dealt = |n: usize, k: usize, r: usize| if r < n % k { n / k + 1 } else { n / k };
        match self.strategy().structure {
            Structure::Individual => {
                let pairwise = match oh.groups {
                    Groups::Skill => 0.0,
                    Groups::All => oh.pairwise((contributors + seniors) as f64, i_all),
                };
                let mentor: f64 = self
                    .people
                    .iter()
                    .filter(|p| ramping(p))
                    .map(|p| m.channel(p.channel).mentor_fte)
                    .sum();
                for r in 0..seniors {
                    let coord = pairwise * HOURS_PER_WEEK + hub * dealt(contributors, seniors, r) as f64;
                    self.add_weekly_block(r as u32, Cat::Coordination, coord);
                    self.add_weekly_block(r as u32, Cat::Mentoring, mentor / seniors as f64 * HOURS_PER_WEEK);
                }
            }
            Structure::Pods => {
                // Leads in their seats: a vacant seat (§3) coordinates with nobody.
                let seated = self
                    .pods
                    .iter()
                    .filter(|p| self.resp[p.lead as usize].vacant_since.is_none())
                    .count();
                let everyone = (contributors + seated + seniors) as f64;
                let top = match oh.groups {
                    Groups::Skill => oh.pairwise((seated + seniors) as f64, i_all),
                    Groups::All => oh.pairwise(everyone, i_all),
                };
                for r in 0..seniors {
                    let coord = top * HOURS_PER_WEEK + hub * dealt(seated, seniors, r) as f64;
                    self.add_weekly_block(r as u32, Cat::Coordination, coord);
                }
                for pod in 0..leads {
                    let lead = self.pods[pod].lead;
                    let members = self.pods[pod].members as usize;
                    let pairwise = match oh.groups {
                        // A lead is in its pod and in the leads-with-seniors group.
                        Groups::Skill => (oh.pairwise((members + 1) as f64, i_all) + top).min(oh.cap),
                        Groups::All => top,
                    };
                    let mentor: f64 = self
                        .people
                        .iter()
                        .filter(|p| p.pod == pod as u32 && ramping(p))
                        .map(|p| m.channel(p.channel).mentor_fte)
                        .sum();
                    self.add_weekly_block(
                        lead,
                        Cat::Coordination,
                        pairwise * HOURS_PER_WEEK + hub * members as f64,
                    );
                    self.add_weekly_block(lead, Cat::Mentoring, mentor * HOURS_PER_WEEK);
                }
            }
        }
    }

    fn add_weekly_block(&mut self, r: u32, cat: Cat, hours: f64) {
        if hours <= 0.0 {
            return;
        }
        let kind = if cat == Cat::Mentoring {
            TaskKind::Mentoring
        } else {
            TaskKind::Coordination
        };
        // Last week's block still waiting (an overloaded responder): this
        // week's replaces it rather than piling up without bound.
        if let Some(b) = self.resp[r as usize].blocks.iter_mut().find(|b| b.kind == kind) {
            b.dur = hours;
            return;
        }
        // Taken from free time, not a context switch: no count, no recovery.
        self.add_block(
            r,
            RTask {
                kind,
                cat,
                dur: hours,
                counts: false,
                recover_after: false,
            },
        );
    }

    /// Pairwise coordination loss of contributor `p` now (§5): its skill's
    /// group (individual), its pod with the lead (pods), or everyone.
    pub(super) fn contributor_overhead(&self, p: PersonId) -> f64 {
        let person = &self.people[p];
        let pod = person.pod;
        let members = if pod == NONE {
            0
        } else {
            self.pods[pod as usize].members as usize
        };
        self.member_overhead(person.role, members)
    }

    /// The loss of a contributor of `role` in a pod of `members` (pods).
    fn member_overhead(&self, role: Role, members: usize) -> f64 {
        let oh = &self.m.overhead;
        let seniors = self.m.seniors.count as usize;
        let contributors = self.headcount.contributors as usize;
        let i_all = self.interdependence_all;
        match (self.strategy().structure, oh.groups) {
            (Structure::Individual, Groups::Skill) => oh.pairwise(
                self.headcount.active_by_role[role.index()] as f64,
                self.interdependence_by_role[role.index()],
            ),
            (Structure::Individual, Groups::All) => oh.pairwise((contributors + seniors) as f64, i_all),
            (Structure::Pods, Groups::Skill) => oh.pairwise((members + 1) as f64, i_all),
            (Structure::Pods, Groups::All) => oh.pairwise((contributors + self.pods.len() + seniors) as f64, i_all),
        }
    }

    /// A typical contributor's loss, for the scaling controller's forecast.
    pub(super) fn contributor_overhead_estimate(&self) -> f64 {
        match self.strategy().structure {
            Structure::Individual => {
                // Effort-weighted over skills: the mean loss a unit of work meets.
                let (mut weighted, mut total) = (0.0, 0.0);
                for w in &self.m.workstreams {
                    let e = w.expected_effort(self.m.horizon_hours);
                    weighted += e * self.member_overhead(w.skill, 0);
                    total += e;
                }
                if total > 0.0 {
                    weighted / total
                } else {
                    0.0
                }
            }
            Structure::Pods => {
                let pods = self.pods.len().max(1);
                self.member_overhead(
                    Role::DomainExpert,
                    (self.headcount.contributors as usize).div_ceil(pods),
                )
            }
        }
    }
}
