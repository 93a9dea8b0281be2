//! Observation: time-weighted levels (queue length, work in progress), cost
//! to date and the weekly series (MODEL.md §8-§9).

use super::*;

/// What a replication counts as it goes, and the steady-state statistics
/// (after the warm-up) of the queue reduction. Reset to zero per replication.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Tally {
    pub(super) created: u64,
    pub(super) accepted: u64,
    /// Accepted items that arrived during the programme (not backlog, not
    /// rework of a found escape).
    pub(super) accepted_flow: u64,
    pub(super) items_done: u64,
    pub(super) escaped: u64,
    pub(super) rework_hours: f64,
    pub(super) queue_wait_sum: f64,
    pub(super) queue_wait_n: u64,
    /// Items that waited in a queue at all (for P(wait)).
    pub(super) queue_wait_pos: u64,
    pub(super) sojourn_sum: f64,
    pub(super) sojourn_n: u64,
    pub(super) queued: Level,
    pub(super) wip: Level,
    /// Items waiting in ready queues or behind gates, over all workstreams.
    pub(super) waiting_total: u64,
    /// Backlog items not yet drawn from their queue (created lazily).
    pub(super) backlog_unmade: u64,
}

/// A time-weighted average of a level (queue length, work in progress).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Level {
    pub(super) value: f64,
    pub(super) last: f64,
    pub(super) area: f64,
}

impl Level {
    pub(super) fn set(&mut self, now: f64, from: f64, v: f64) {
        let t0 = self.last.max(from);
        if now > t0 {
            self.area += self.value * (now - t0);
        }
        self.last = now;
        self.value = v;
    }
}

impl Sim<'_> {
    pub(super) fn update_levels(&mut self) {
        let warm = self.m.warmup_hours;
        self.tally.queued.set(self.now, warm, self.tally.waiting_total as f64);
        // In the system: live items plus backlog not yet drawn from its queue.
        let in_system = self.live_items() + self.tally.backlog_unmade;
        self.tally.wip.set(self.now, warm, in_system as f64);
    }

    pub(super) fn live_items(&self) -> u64 {
        (self.items.len() - self.free_items.len()) as u64
    }

    /// The client's cost to date; with contracts, the terms' payments due
    /// so far (the end's terms fall due in [`Sim::cost_at_end`]).
    pub(super) fn cost_to_date(&self) -> f64 {
        if self.deals.on {
            return self.cost_with_contracts(false);
        }
        let m = self.m;
        let st = self.strategy();
        let mut cost = 0.0;
        for p in &self.people {
            let until = p.left.unwrap_or(self.now).min(self.now);
            let hours = (until - p.joined).max(0.0);
            cost += hours * st.seat_rate(m, p.role, p.channel);
            if !p.initial {
                cost += m.channel(p.channel).hire_cost;
            }
        }
        cost + self.senior_cost()
    }

    /// The client's cost at the end of the run: every term due.
    pub(super) fn cost_at_end(&self) -> f64 {
        if self.deals.on {
            self.cost_with_contracts(true)
        } else {
            self.cost_to_date()
        }
    }

    /// Senior hours worked so far at the senior rate, the task in hand
    /// included: a block cut by the finish (or a week boundary) is paid for
    /// the part worked, so the cost series and the total count the same
    /// hours (§12).
    pub(super) fn senior_cost(&self) -> f64 {
        let senior_hours: f64 = (0..self.resp.len())
            .filter(|&r| self.resp[r].senior)
            .map(|r| self.non_focus_hours(r))
            .sum();
        senior_hours * self.m.seniors.rate
    }

    pub(super) fn record_week(&mut self, week: usize) {
        if self.metrics_only || week >= self.series[0].len() {
            return;
        }
        let l = &self.layout;
        for r in Role::ALL {
            self.series[l.s_role_base + r.index()][week] = self.headcount.active_by_role[r.index()] as f64;
        }
        for c in Channel::ALL {
            self.series[l.s_channel_base + c.index()][week] = self.headcount.active_by_channel[c.index()] as f64;
        }
        self.series[l.s_total][week] = self.headcount.active_by_role.iter().sum::<u32>() as f64;
        for (i, w) in self.m.workstreams.iter().enumerate() {
            let left = if w.finite_items() > 0 {
                (w.finite_items() - self.ws[i].accepted_backlog) as f64
            } else {
                self.ws[i].waiting as f64
            };
            self.series[l.s_backlog_base + i][week] = left;
        }
        self.series[l.s_cost][week] = self.cost_to_date();
    }

    pub(super) fn record_tail(&mut self, week: usize, cost: f64) {
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
                if w.finite_items() > 0 {
                    (w.finite_items() - self.ws[i].accepted_backlog) as f64
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
}
