//! Commercial terms of a provider (docs/CONTRACTS.md): how the client pays
//! a channel's people — by the hour, per accepted item or a fixed price for a
//! scope — and the contract terms any pricing may carry (minimum commitment,
//! notice period, onboarding fees). Validated values and the settlement rules,
//! written once: the simulator settles a replication with them and the
//! optimiser prices a plan with them.
//!
//! Money flows: the client pays the provider (its *revenue*); the provider
//! pays its people for their hours on the programme at its internal rates,
//! plus the hire cost of the people who join (its *cost*); the difference is
//! its *margin*. Under time and materials without terms the client pays the
//! seat rate of every paid hour (MODEL.md §8), exactly as with no contract.

use crate::model::{Channel, Role, HOURS_PER_WEEK};

/// How the client pays a provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pricing {
    /// Every paid hour at the seat rate, plus the hire cost of each start.
    TimeAndMaterials,
    /// A price per accepted item by workstream; rework of the provider's
    /// own defects is at its cost; a clawback per escaped defect.
    PerItem,
    /// A price for a scope, paid on delivery, less SLA credits, plus change
    /// orders for items beyond the scope.
    Fixed,
}

impl Pricing {
    pub const NAMES: [&'static str; 3] = ["time_and_materials", "per_item", "fixed"];
    pub fn name(self) -> &'static str {
        match self {
            Pricing::TimeAndMaterials => "time_and_materials",
            Pricing::PerItem => "per_item",
            Pricing::Fixed => "fixed",
        }
    }
    /// The pricing as reports write it.
    pub fn label(self) -> &'static str {
        match self {
            Pricing::TimeAndMaterials => "time and materials",
            Pricing::PerItem => "per item",
            Pricing::Fixed => "fixed price",
        }
    }
    pub fn from_name(s: &str) -> Option<Pricing> {
        [Pricing::TimeAndMaterials, Pricing::PerItem, Pricing::Fixed]
            .into_iter()
            .find(|p| p.name() == s)
    }
}

/// A milestone of a fixed-price contract: due at `due_hours`, met when the
/// listed workstreams' backlogs are all accepted and (if set) the provider
/// has `items` accepted items in scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub due_hours: f64,
    pub items: Option<u64>,
    /// Workstream indices.
    pub workstreams: Vec<usize>,
}

/// One provider's terms (`[contract.<name>]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Contract {
    pub name: String,
    pub channel: Channel,
    pub pricing: Pricing,
    /// What the provider pays its people per hour, by role (`Role::index`).
    pub internal_rate: [f64; Role::COUNT],
    /// Per item: price per accepted item, by workstream index (`None`: the
    /// provider does not do this workstream's items).
    pub price_per_item: Vec<Option<f64>>,
    pub clawback_per_escape: f64,
    /// Fixed: the price of the scope.
    pub fixed_price: f64,
    /// Fixed: which workstreams the price covers (by index).
    pub scope: Vec<bool>,
    /// Fixed: items the price covers; accepted items beyond are change orders.
    pub scope_items: u64,
    pub milestones: Vec<Milestone>,
    pub credit_per_week_late: f64,
    /// Fixed: a quality threshold (escapes per 1,000 accepted items) above
    /// which `quality_credit` is due.
    pub quality_max_escaped_per_1000: Option<f64>,
    pub quality_credit: f64,
    pub change_order_per_item: f64,
    /// Time and materials: each seat is paid for at least this long from its start.
    pub min_commit_hours: f64,
    /// Any pricing: the client pays at least this much in all.
    pub min_commit_spend: f64,
    /// A seat the client releases (or that is still on board at the end) is
    /// paid for this long after it leaves the work.
    pub notice_hours: f64,
    pub onboarding_per_person: f64,
    pub onboarding_per_pod: f64,
}

impl Contract {
    /// Whether the client pays this provider's seats by the hour.
    pub fn bills_hours(&self) -> bool {
        self.pricing == Pricing::TimeAndMaterials
    }

    /// Time and materials with no term that changes a payment: priced
    /// exactly as a channel without a contract.
    pub fn is_plain_hourly(&self) -> bool {
        self.bills_hours()
            && self.min_commit_hours == 0.0
            && self.min_commit_spend == 0.0
            && self.notice_hours == 0.0
            && self.onboarding_per_person == 0.0
            && self.onboarding_per_pod == 0.0
    }

    /// The hour at which a seat's billing ends (time and materials): the
    /// seat left the work at `left` (or is still on board at `end`); a
    /// release by the client, or the end of the programme, is paid through
    /// the notice period; attrition is not. Every seat is paid at least the
    /// minimum commitment from its start. Before the end (`over` false) the
    /// billing runs only to `now`.
    pub fn billed_until(&self, joined: f64, left: Option<f64>, by_client: bool, now: f64, over: bool) -> f64 {
        let stop = left.unwrap_or(now).min(now);
        let notice = if left.is_none() || by_client {
            self.notice_hours
        } else {
            0.0
        };
        let due = (stop + notice).max(joined + self.min_commit_hours);
        if over {
            due.max(stop)
        } else {
            due.min(now).max(stop)
        }
    }

    /// The onboarding fees for `people` who join and `pods` the provider
    /// leads (fractional counts for the optimiser's fluid plan).
    pub fn onboarding(&self, people: f64, pods: f64) -> f64 {
        self.onboarding_per_person * people + self.onboarding_per_pod * pods
    }

    /// What the client pays, net, for one accepted item of workstream `w`
    /// that escapes with probability `escapes_per_item` (per item: the
    /// price less the expected clawback; 0 for a workstream without price).
    pub fn net_item_price(&self, w: usize, escapes_per_item: f64) -> f64 {
        self.price_per_item[w].unwrap_or(0.0) - self.clawback_per_escape * escapes_per_item
    }

    /// Whole weeks a milestone met at `met` (or not met by `end`) is late:
    /// every week begun after its due date counts.
    pub fn weeks_late(&self, m: &Milestone, met: Option<f64>, end: f64) -> f64 {
        let at = met.unwrap_or(end);
        let late = (at - m.due_hours) / HOURS_PER_WEEK;
        if late <= 1e-9 {
            0.0
        } else {
            (late - 1e-9).ceil()
        }
    }
}

/// What a provider's people did in one run, for [`settle`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    /// Seat cost billed to the client under time and materials (seat rate x
    /// billed hours), hire costs excluded.
    pub billed_seats: f64,
    /// The provider's people's hours on the programme at its internal rates.
    pub internal_hours_cost: f64,
    /// Hire costs of the provider's people who joined after week 0.
    pub hire_costs: f64,
    /// Accepted items the provider's people did, by workstream index.
    pub accepted: Vec<u64>,
    /// Escaped defects in the provider's accepted items, by workstream.
    pub escaped: Vec<u64>,
    /// People of the provider who ever joined, and pods it led.
    pub people: u64,
    pub pods: u64,
    /// When each milestone was met (by index), if it was.
    pub milestones_met: Vec<Option<f64>>,
    /// The end of the run and whether it is over (then every term falls due).
    pub end: f64,
    pub over: bool,
}

/// The money of one provider in one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Settlement {
    /// What the client pays the provider (= its revenue).
    pub client: f64,
    pub provider_cost: f64,
    /// Credits and clawbacks deducted from the client's payment.
    pub credits: f64,
}

impl Settlement {
    pub fn margin(&self) -> f64 {
        self.client - self.provider_cost
    }
}

/// Settles one provider's account. Fixed prices, change orders, SLA credits
/// and the minimum spend fall due at the end (`over`); hours, items and
/// onboarding fees as they happen.
pub fn settle(c: &Contract, u: &Usage) -> Settlement {
    let onboarding = c.onboarding(u.people as f64, u.pods as f64);
    let provider_cost = u.internal_hours_cost + u.hire_costs;
    let escaped: u64 = u.escaped.iter().sum();
    let (mut client, credits) = match c.pricing {
        Pricing::TimeAndMaterials => (u.billed_seats + u.hire_costs, 0.0),
        Pricing::PerItem => {
            let items: f64 = u
                .accepted
                .iter()
                .enumerate()
                .map(|(w, &n)| n as f64 * c.net_item_price(w, 0.0))
                .sum();
            let clawback = c.clawback_per_escape * escaped as f64;
            (items - clawback, clawback)
        }
        Pricing::Fixed if u.over => {
            let in_scope = |v: &[u64]| -> u64 { v.iter().zip(&c.scope).filter(|(_, &s)| s).map(|(&n, _)| n).sum() };
            let accepted = in_scope(&u.accepted);
            let change = c.change_order_per_item * accepted.saturating_sub(c.scope_items) as f64;
            let late: f64 = c
                .milestones
                .iter()
                .enumerate()
                .map(|(i, m)| c.weeks_late(m, u.milestones_met.get(i).copied().flatten(), u.end))
                .sum();
            let mut credits = c.credit_per_week_late * late;
            if let Some(max) = c.quality_max_escaped_per_1000 {
                let esc = in_scope(&u.escaped);
                if accepted > 0 && 1000.0 * esc as f64 / accepted as f64 > max {
                    credits += c.quality_credit;
                }
            }
            // Credits never take back more than the price.
            let credits = credits.min(c.fixed_price);
            (c.fixed_price + change - credits, credits)
        }
        Pricing::Fixed => (0.0, 0.0),
    };
    client += onboarding;
    if u.over {
        client = client.max(c.min_commit_spend);
    }
    Settlement {
        client,
        provider_cost,
        credits,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod rules {
    use super::*;

    fn tm() -> Contract {
        Contract {
            name: "c".into(),
            channel: Channel::Pod,
            pricing: Pricing::TimeAndMaterials,
            internal_rate: [0.0; Role::COUNT],
            price_per_item: vec![Some(100.0)],
            clawback_per_escape: 0.0,
            fixed_price: 0.0,
            scope: vec![true],
            scope_items: 0,
            milestones: Vec::new(),
            credit_per_week_late: 0.0,
            quality_max_escaped_per_1000: None,
            quality_credit: 0.0,
            change_order_per_item: 0.0,
            min_commit_hours: 0.0,
            min_commit_spend: 0.0,
            notice_hours: 0.0,
            onboarding_per_person: 0.0,
            onboarding_per_pod: 0.0,
        }
    }

    #[test]
    fn notice_runs_after_a_release_by_the_client_not_after_attrition() {
        let c = Contract {
            notice_hours: 80.0,
            ..tm()
        };
        assert_eq!(c.billed_until(0.0, Some(100.0), true, 400.0, true), 180.0);
        assert_eq!(c.billed_until(0.0, Some(100.0), false, 400.0, true), 100.0);
        // Still on board at the end: the end is a release.
        assert_eq!(c.billed_until(0.0, None, false, 400.0, true), 480.0);
        // Before the end, only what is due by now.
        assert_eq!(c.billed_until(0.0, Some(100.0), true, 150.0, false), 150.0);
    }

    #[test]
    fn weeks_late_count_every_week_begun() {
        let c = tm();
        let m = Milestone {
            due_hours: 400.0,
            items: None,
            workstreams: Vec::new(),
        };
        assert_eq!(c.weeks_late(&m, Some(400.0), 1000.0), 0.0);
        assert_eq!(c.weeks_late(&m, Some(480.0), 1000.0), 2.0);
        assert_eq!(c.weeks_late(&m, Some(481.0), 1000.0), 3.0);
        assert_eq!(c.weeks_late(&m, None, 1000.0), 15.0);
    }

    #[test]
    fn per_item_pays_items_less_clawback_and_the_minimum_spend_at_the_end() {
        let c = Contract {
            pricing: Pricing::PerItem,
            clawback_per_escape: 30.0,
            min_commit_spend: 1000.0,
            ..tm()
        };
        let u = Usage {
            accepted: vec![7],
            escaped: vec![1],
            internal_hours_cost: 400.0,
            over: false,
            ..Usage::default()
        };
        let s = settle(&c, &u);
        assert_eq!(s.client, 700.0 - 30.0);
        assert_eq!(s.margin(), 270.0);
        let s = settle(&c, &Usage { over: true, ..u });
        assert_eq!(s.client, 1000.0);
    }
}
