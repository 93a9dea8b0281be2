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
    /// block by the lowest-numbered senior, then one recovery (§12).
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

    pub(super) fn on_week_start(&mut self, week: u32) {
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
        self.sched.after(HOURS_PER_WEEK, Ev::WeekStart { week: week + 1 });
    }

    /// Recomputes responders' coordination and mentoring shares (§5, §3).
    pub(super) fn refresh_fractions(&mut self) {
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
                let f = m.overhead.fraction(self.headcount.contributors as usize + seniors);
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

    pub(super) fn contributor_overhead_estimate(&self) -> f64 {
        let oh = &self.m.overhead;
        match self.strategy().structure {
            Structure::Individual => oh.fraction(self.headcount.contributors as usize + self.m.seniors.count as usize),
            Structure::Pods => {
                let pods = self.pods.len().max(1);
                oh.fraction((self.headcount.contributors as usize).div_ceil(pods) + 1)
            }
        }
    }
}
