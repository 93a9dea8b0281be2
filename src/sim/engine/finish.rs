//! The end of a replication: open accounts closed at the end time, the
//! weekly series completed past the end, and the metrics assembled (§9).

use super::*;

impl Sim<'_> {
    pub(super) fn finish(&mut self) -> RepResult {
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
}
