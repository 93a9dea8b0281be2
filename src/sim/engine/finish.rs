//! The end of a replication: open accounts closed at the end time, the
//! weekly series completed past the end, and the metrics assembled (§9),
//! one group of metrics per method.

use super::*;

fn set(out: &mut [f64], k: M, v: f64) {
    out[k as usize] = v;
}

/// `num / den`, or NaN (no value) when nothing was counted.
fn ratio_or_nan(num: f64, den: u64) -> f64 {
    if den > 0 {
        num / den as f64
    } else {
        f64::NAN
    }
}

impl Sim<'_> {
    pub(super) fn finish(&mut self) -> RepResult {
        let now = self.end;
        self.now = now;
        self.close_accounts();
        self.update_levels();
        let cost = self.cost_at_end();
        if !self.metrics_only {
            self.complete_series(cost);
        }

        let mut out = vec![f64::NAN; self.layout.metric_names.len()];
        self.outcome_metrics(&mut out, cost);
        self.senior_metrics(&mut out);
        self.volume_metrics(&mut out);
        self.question_metrics(&mut out);
        self.queue_metrics(&mut out);
        self.utilisation_metrics(&mut out);
        let violation = self
            .check_invariants()
            .or_else(|| self.contract_metrics(&mut out, cost));
        debug_assert!(violation.is_none(), "conservation invariant broken: {violation:?}");
        RepResult {
            metrics: out,
            series: if self.metrics_only {
                Vec::new()
            } else {
                self.series.clone()
            },
            invariant_violation: violation,
        }
    }

    /// Banks every person's and responder's time up to the end.
    fn close_accounts(&mut self) {
        let now = self.now;
        for p in PersonId::all(&self.people) {
            if !matches!(self.people[p].state, PState::Gone) {
                self.set_state(p, self.people[p].state);
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
    }

    /// Fills the weekly points after the end: backlog and headcount as at the
    /// end, cost frozen.
    fn complete_series(&mut self, cost: f64) {
        let weeks = self.now / HOURS_PER_WEEK;
        let last_week = (weeks.floor() as usize + 1).min(self.layout.weeks);
        for w in last_week..=self.layout.weeks {
            self.record_tail(w, cost);
        }
    }

    /// Finish (overall and per workstream), censoring and cost.
    fn outcome_metrics(&self, out: &mut [f64], cost: f64) {
        let m = self.m;
        let now = self.now;
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
        set(out, M::FinishWeek, finish_week);
        set(out, M::Censored, if has_backlog && !finished { 1.0 } else { 0.0 });
        // The cost series stops at the end; the totals also carry what the
        // escapes still unfound will cost after it.
        let post_delivery = self.post_delivery_total();
        let total = cost + post_delivery;
        set(out, M::CostTotal, total);
        set(out, M::CostPostDelivery, post_delivery);
        set(out, M::CostPerAccepted, ratio_or_nan(total, self.tally.accepted));
        let backlog_accepted: u64 = self.ws.iter().map(|s| s.accepted_backlog as u64).sum();
        set(out, M::AcceptedBacklog, backlog_accepted as f64);
        set(out, M::AcceptedFlow, self.tally.accepted_flow as f64);
        // Like for like between strategies that serve different numbers of
        // arrivals before they finish: everything spent, per backlog item.
        set(out, M::CostPerBacklogItem, ratio_or_nan(total, backlog_accepted));
        let l = &self.layout;
        for (i, s) in self.ws.iter().enumerate() {
            if m.workstreams[i].finite_items() > 0 {
                out[l.ws_finish_base + i] = s.finish.map_or(m.horizon_weeks(), |f| f / HOURS_PER_WEEK);
            }
        }
    }

    /// Providers' revenue, cost, margin and credits under the contracts,
    /// and the money invariant (docs/CONTRACTS.md): every accepted item is
    /// some channel's, the client's payments to the providers are their
    /// revenue, and cost + margin = revenue.
    fn contract_metrics(&self, out: &mut [f64], client_cost: f64) -> Option<String> {
        let base = self.layout.contract_base?;
        let (mut revenue, mut cost, mut margin, mut credits) = (0.0, 0.0, 0.0, 0.0);
        if self.deals.on {
            for s in self.settlements(true).iter().flatten() {
                revenue += s.client;
                cost += s.provider_cost;
                margin += s.margin();
                credits += s.credits;
            }
        }
        for (i, v) in [revenue, cost, margin, credits].into_iter().enumerate() {
            out[base + i] = v;
        }
        if !self.deals.on {
            return None;
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let attributed = self.deals_accepted_total();
        if attributed != self.tally.accepted {
            return Some(format!(
                "{} items accepted but {attributed} paid to a channel",
                self.tally.accepted
            ));
        }
        let paid = client_cost - self.cost_outside_contracts();
        if !close(paid, revenue) {
            return Some(format!(
                "the client paid providers {paid} but their revenue is {revenue}"
            ));
        }
        if !close(cost + margin, revenue) {
            return Some(format!(
                "providers' cost {cost} + margin {margin} is not their revenue {revenue}"
            ));
        }
        None
    }

    /// Seniors' deep focus, interruptions and hours by category, per senior-week.
    fn senior_metrics(&self, out: &mut [f64]) {
        let seniors = self.m.seniors.count as f64;
        let weeks = self.now / HOURS_PER_WEEK;
        let senior_weeks = seniors * weeks;
        let sen = || self.resp.iter().filter(|r| r.senior);
        if seniors > 0.0 && weeks > 0.0 {
            set(
                out,
                M::DeepFocusPerSeniorWeek,
                sen().map(|r| r.deep_focus).sum::<f64>() / senior_weeks,
            );
            set(
                out,
                M::DeepFocusWorstSenior,
                sen().map(|r| r.deep_focus).fold(f64::INFINITY, f64::min) / weeks,
            );
            set(
                out,
                M::SeniorInterruptionsPerWeek,
                sen().map(|r| r.interruptions as f64).sum::<f64>() / senior_weeks,
            );
            for c in Cat::ALL {
                out[self.layout.senior_cat_base + c as usize] =
                    sen().map(|r| r.hours[c as usize]).sum::<f64>() / senior_weeks;
            }
        }
        set(
            out,
            M::LeadQuestionHours,
            self.resp
                .iter()
                .filter(|r| !r.senior)
                .map(|r| r.hours[Cat::Questions as usize])
                .sum(),
        );
    }

    /// Counts of items, defects, people and hours.
    fn volume_metrics(&self, out: &mut [f64]) {
        let now = self.now;
        set(
            out,
            M::EscapedPer1000,
            ratio_or_nan(1000.0 * self.tally.escaped as f64, self.tally.accepted),
        );
        set(out, M::DistinctPeople, self.people.len() as f64);
        set(out, M::PeakHeadcount, self.headcount.peak as f64);
        set(out, M::ItemsDone, self.tally.items_done as f64);
        set(out, M::ItemsAccepted, self.tally.accepted as f64);
        set(out, M::EscapedDefects, self.tally.escaped as f64);
        set(out, M::ReworkHours, self.tally.rework_hours);
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
        set(out, M::CoordinationHours, coord);
        set(
            out,
            M::BlockedHours,
            self.people.iter().map(|p| p.hours[PCat::Blocked as usize]).sum(),
        );
        set(out, M::Starts, self.headcount.starts as f64);
        set(out, M::Leavers, self.headcount.leavers as f64);
        set(out, M::BenchRequests, self.headcount.bench_requests as f64);
        set(
            out,
            M::AccessPersonDays,
            self.people
                .iter()
                .map(|p| (p.left.unwrap_or(now) - p.joined).max(0.0))
                .sum::<f64>()
                / HOURS_PER_DAY,
        );
    }

    /// Question wait, mean and P95 (reorders the waits in place).
    fn question_metrics(&mut self, out: &mut [f64]) {
        if self.question_waits.is_empty() {
            return;
        }
        let n = self.question_waits.len();
        set(
            out,
            M::QuestionWaitMean,
            self.question_waits.iter().sum::<f64>() / n as f64,
        );
        let idx = ((0.95 * n as f64).ceil() as usize).clamp(1, n) - 1;
        // Selection, not a full sort (a sort was 3 % of a pods replication):
        // the element at `idx` is the one a sort by the same total order puts
        // there, and elements equal under `total_cmp` have the same bits.
        let (_, p95, _) = self.question_waits.select_nth_unstable_by(idx, f64::total_cmp);
        set(out, M::QuestionWaitP95, *p95);
    }

    /// Steady-state queue statistics after the warm-up (the M/M/c check).
    fn queue_metrics(&self, out: &mut [f64]) {
        let window = self.now - self.m.warmup_hours;
        if self.tally.queue_wait_n > 0 {
            set(
                out,
                M::QueueWaitMean,
                self.tally.queue_wait_sum / self.tally.queue_wait_n as f64,
            );
            set(
                out,
                M::PWait,
                self.tally.queue_wait_pos as f64 / self.tally.queue_wait_n as f64,
            );
        }
        if window > 0.0 {
            set(out, M::QueueLenMean, self.tally.queued.area / window);
            set(out, M::WipMean, self.tally.wip.area / window);
            set(out, M::ThroughputPerHour, self.tally.sojourn_n as f64 / window);
        }
        if self.tally.sojourn_n > 0 {
            set(
                out,
                M::SojournMean,
                self.tally.sojourn_sum / self.tally.sojourn_n as f64,
            );
        }
    }

    /// Busy share of paid hours by role; seniors and leads are busy when not
    /// in focus time.
    fn utilisation_metrics(&self, out: &mut [f64]) {
        let now = self.now;
        let l = &self.layout;
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
        let seniors = self.m.seniors.count as f64;
        if seniors > 0.0 {
            let paid = seniors * now;
            let busy: f64 = self
                .resp
                .iter()
                .filter(|r| r.senior)
                .map(|r| r.hours.iter().sum::<f64>() - r.hours[Cat::Focus as usize])
                .sum();
            out[l.util_base + Role::SeniorMl.index()] = busy / paid;
        }
        let leads = || self.resp.iter().enumerate().filter(|(_, r)| !r.senior);
        if leads().next().is_some() {
            let paid: f64 = leads().map(|(i, _)| self.seat_hours(i, now)).sum();
            let busy: f64 = leads()
                .map(|(_, r)| r.hours.iter().sum::<f64>() - r.hours[Cat::Focus as usize])
                .sum();
            if paid > 0.0 {
                out[l.util_base + Role::PodLead.index()] = busy / paid;
            }
        }
    }
}
