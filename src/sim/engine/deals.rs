//! Commercial terms during a run (docs/CONTRACTS.md): what each provider's
//! people did (accepted items, escapes, milestones met), settled with
//! [`crate::contract::settle`] into the client's payments and the
//! provider's cost and margin. Strategies without contracts never come here:
//! their cost is [`Sim::cost_to_date`]'s seat arithmetic, unchanged.

use super::*;
use crate::contract::{settle, Contract, Pricing, Settlement, Usage};

/// Per channel: the provider's accepted items and escapes by workstream,
/// its accepted items in a fixed scope, and when each milestone was met.
#[derive(Debug, Default)]
pub(super) struct Deals {
    pub(super) on: bool,
    accepted: [Vec<u64>; Channel::COUNT],
    escaped: [Vec<u64>; Channel::COUNT],
    in_scope: [u64; Channel::COUNT],
    met: [Vec<Option<f64>>; Channel::COUNT],
}

impl Sim<'_> {
    pub(super) fn reset_deals(&mut self) {
        let st = self.strategy();
        let n = self.m.workstreams.len();
        let d = &mut self.deals;
        d.on = st.has_contracts();
        for c in Channel::ALL {
            let i = c.index();
            d.accepted[i].clear();
            d.escaped[i].clear();
            d.met[i].clear();
            d.in_scope[i] = 0;
            if d.on {
                d.accepted[i].resize(n, 0);
                d.escaped[i].resize(n, 0);
                let milestones = st.contract(self.m, c).map_or(0, |k| k.milestones.len());
                d.met[i].resize(milestones, None);
            }
        }
    }

    /// An item done first by a person of `by` is accepted (after the
    /// backlog bookkeeping, so a workstream it finishes counts as done).
    pub(super) fn deal_accepted(&mut self, by: Channel, w: usize, escaped: bool) {
        let i = by.index();
        self.deals.accepted[i][w] += 1;
        if escaped {
            self.deals.escaped[i][w] += 1;
        }
        let st = self.strategy();
        if st
            .contract(self.m, by)
            .is_some_and(|k| k.pricing == Pricing::Fixed && k.scope[w])
        {
            self.deals.in_scope[i] += 1;
        }
        self.check_milestones();
    }

    /// Accepted items attributed to a channel, over all channels.
    pub(super) fn deals_accepted_total(&self) -> u64 {
        self.deals.accepted.iter().flatten().sum()
    }

    /// Marks every milestone whose condition now holds as met, now.
    fn check_milestones(&mut self) {
        let st = self.strategy();
        for c in Channel::ALL {
            let Some(k) = st.contract(self.m, c) else { continue };
            for (j, ms) in k.milestones.iter().enumerate() {
                if self.deals.met[c.index()][j].is_some() {
                    continue;
                }
                let items = ms.items.is_none_or(|n| self.deals.in_scope[c.index()] >= n);
                let done = ms.workstreams.iter().all(|&w| self.ws[w].finish.is_some());
                if items && done {
                    self.deals.met[c.index()][j] = Some(self.now);
                }
            }
        }
    }

    /// What `contract`'s provider (channel `c`) did up to now.
    fn usage(&self, c: Channel, k: &Contract, over: bool) -> Usage {
        let m = self.m;
        let st = self.strategy();
        let now = self.now;
        let mut u = Usage {
            accepted: self.deals.accepted[c.index()].clone(),
            escaped: self.deals.escaped[c.index()].clone(),
            milestones_met: self.deals.met[c.index()].clone(),
            end: now,
            over,
            ..Usage::default()
        };
        for p in self.people.iter().filter(|p| p.channel == c) {
            let until = p.left.unwrap_or(now).min(now);
            let worked = (until - p.joined).max(0.0);
            u.internal_hours_cost += worked * k.internal_rate[p.role.index()];
            if k.bills_hours() {
                let billed = k.billed_until(p.joined, p.left, p.released, now, over) - p.joined;
                u.billed_seats += billed.max(0.0) * st.seat_rate(m, p.role, p.channel);
            }
            if !p.initial {
                u.hire_costs += m.channel(c).hire_cost;
            }
            u.people += 1;
        }
        if st.pods.as_ref().is_some_and(|p| p.lead_channel == c) {
            u.pods = self.pods.len() as u64;
        }
        u
    }

    /// Each channel's settlement up to now (`over`: the run has ended and
    /// every term falls due).
    pub(super) fn settlements(&self, over: bool) -> [Option<Settlement>; Channel::COUNT] {
        let st = self.strategy();
        Channel::ALL.map(|c| st.contract(self.m, c).map(|k| settle(k, &self.usage(c, k, over))))
    }

    /// What the client has paid outside the contracts: seats of channels
    /// without one, their hire costs, and the seniors.
    pub(super) fn cost_outside_contracts(&self) -> f64 {
        let m = self.m;
        let st = self.strategy();
        let mut cost = 0.0;
        for p in self.people.iter().filter(|p| st.terms[p.channel.index()].is_none()) {
            let until = p.left.unwrap_or(self.now).min(self.now);
            cost += (until - p.joined).max(0.0) * st.seat_rate(m, p.role, p.channel);
            if !p.initial {
                cost += m.channel(p.channel).hire_cost;
            }
        }
        cost + self.senior_cost()
    }

    /// The client's cost to date under the contracts.
    pub(super) fn cost_with_contracts(&self, over: bool) -> f64 {
        let paid: f64 = self.settlements(over).iter().flatten().map(|s| s.client).sum();
        self.cost_outside_contracts() + paid
    }
}
