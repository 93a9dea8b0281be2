//! The staffing LP/MILP of docs/OPTIMISER.md §4, built as a plain [`Lp`].
//!
//! Overhead is the one non-linearity: a person's coordination loss depends on
//! the size of their group. The formulation takes the group sizes as given
//! ([`Estimates`]); `solve` iterates to a fixed point (solve, recompute group
//! sizes from the plan, rebuild) — see docs/OPTIMISER.md §5.

use super::coeffs::Coeffs;
use super::lp::Lp;
use crate::model::{Channel, Coordination, GroupSizes, Role, HOURS_PER_WEEK};

/// Cost categories of the breakdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CostCat {
    /// Contributor pay by channel (with pod margin and bench premium).
    Pay(Channel),
    /// Hire costs of planned starts and of attrition replacements.
    Hiring,
    PodLeads,
    /// Senior hours not spent on focus work, at the senior rate.
    SeniorTime,
    /// A per-item provider's accepted items at their net price.
    Items(Channel),
    /// A fixed-price provider's price, change orders and credits.
    FixedPrice(Channel),
    /// Any provider's contract terms: notice, minimum commitment, onboarding
    /// fees, a top-up to the minimum spend.
    Terms(Channel),
}

impl CostCat {
    pub fn name(self) -> String {
        match self {
            CostCat::Pay(c) => format!("pay.{}", c.name()),
            CostCat::Hiring => "hiring".into(),
            CostCat::PodLeads => "pod_leads".into(),
            CostCat::SeniorTime => "senior_time".into(),
            CostCat::Items(c) => format!("per_item.{}", c.name()),
            CostCat::FixedPrice(c) => format!("fixed_price.{}", c.name()),
            CostCat::Terms(c) => format!("terms.{}", c.name()),
        }
    }
}

/// Group sizes the overhead coefficients assume, per period.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimates {
    /// Contributors by role (`Role::index`), all channels.
    pub by_role: Vec<[f64; Role::COUNT]>,
    /// Pod leads (pods structure).
    pub leads: Vec<f64>,
}

impl Estimates {
    /// A first guess: the week-0 roster throughout (at least one person).
    pub fn initial(c: &Coeffs) -> Estimates {
        let mut by_role = [0.0; Role::COUNT];
        for (i, r) in c.skills.iter().enumerate() {
            by_role[r.index()] = c.initial[i].iter().sum();
        }
        let n: f64 = by_role.iter().sum::<f64>().max(1.0);
        let l = c
            .leads
            .as_ref()
            .map_or(0.0, |l| l.initial.max((n / l.max_members).ceil()).max(1.0));
        Estimates {
            by_role: vec![by_role; c.periods.len()],
            leads: vec![l; c.periods.len()],
        }
    }
    /// Contributors in period t.
    pub fn contributors(&self, t: usize) -> f64 {
        self.by_role[t].iter().sum()
    }
    /// Extends (or cuts) the estimates to `n` periods, the last period repeated.
    pub fn resized(&self, n: usize) -> Estimates {
        let mut e = self.clone();
        let (r, l) = (
            e.by_role.last().copied().unwrap_or([0.0; Role::COUNT]),
            e.leads.last().copied().unwrap_or(0.0),
        );
        e.by_role.resize(n, r);
        e.leads.resize(n, l);
        e
    }
    /// Each group at least as large as in `other` (period by period).
    pub fn at_least(&mut self, other: &Estimates) {
        for (a, b) in self.by_role.iter_mut().zip(&other.by_role) {
            for (x, y) in a.iter_mut().zip(b) {
                *x = x.max(*y);
            }
        }
        for (a, b) in self.leads.iter_mut().zip(&other.leads) {
            *a = a.max(*b);
        }
    }
}

/// Coordination losses in period t for the assumed group sizes: the
/// simulator's rules (MODEL.md §5) through [`Overhead::losses`].
pub fn fractions(c: &Coeffs, e: &Estimates, t: usize) -> Coordination {
    let sizes = GroupSizes {
        by_role: e.by_role[t],
        leads: e.leads.get(t).copied().unwrap_or(0.0),
        seniors: c.seniors,
    };
    c.overhead.losses(c.structure, &sizes, &c.interdependence)
}

/// Coordination hours per week in period t that the model charges for the
/// assumed group sizes, every contributor busy: contributors' pairwise loss,
/// seniors' and pod leads' pairwise loss and their hub cost per direct report
/// (MODEL.md §5; the simulator's `coordination_hours`).
pub fn coordination_hours_per_week(c: &Coeffs, e: &Estimates, t: usize) -> f64 {
    let f = fractions(c, e, t);
    let n = e.contributors(t);
    let leads = if c.leads.is_some() { e.leads[t] } else { 0.0 };
    let members: f64 = Role::ALL
        .iter()
        .map(|r| f.member[r.index()] * e.by_role[t][r.index()])
        .sum();
    let reports = if c.leads.is_some() { leads } else { n };
    HOURS_PER_WEEK * (members + c.seniors * f.senior + leads * f.lead)
        + f.senior_hub_per_report * reports
        + f.lead_hub_per_member * if c.leads.is_some() { n } else { 0.0 }
}

/// The largest pairwise share a contributor of a planned skill loses.
pub fn worst_member(c: &Coeffs, f: &Coordination) -> f64 {
    c.skills.iter().map(|r| f.member[r.index()]).fold(0.0, f64::max)
}

/// Where each variable lives in the [`Lp`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// `x[skill][channel][t]`: seats during period t.
    pub x: Vec<[Vec<Option<usize>>; Channel::COUNT]>,
    /// Planned starts (joins at the start of period t).
    pub s: Vec<[Vec<Option<usize>>; Channel::COUNT]>,
    /// Whether releases are allowed at the start of period t (notice). Releases
    /// are not variables: they are the slack of the flow row, x[t-1] + s[t] - x[t].
    pub release_ok: Vec<[Vec<bool>; Channel::COUNT]>,
    /// Week-0 roster, when the optimiser chooses it.
    pub x0: Vec<[Option<usize>; Channel::COUNT]>,
    /// Pod leads per period, and at week 0 when chosen.
    pub leads: Vec<usize>,
    pub lead0: Option<usize>,
    /// Cumulative effort hours done per stream by the end of each period, of the
    /// backlog (until its due period) and of arrivals; gate open (0/1).
    pub cb: Vec<Vec<Option<usize>>>,
    pub ca: Vec<Vec<Option<usize>>>,
    pub z: Vec<Vec<Option<usize>>>,
}

impl Index {
    /// Terms of the effort hours stream `w` does in period `t` (backlog and arrivals),
    /// each scaled by `k`: cumulative at t minus cumulative at t-1.
    pub fn work(&self, w: usize, t: usize, k: f64) -> Vec<(usize, f64)> {
        let mut out = Vec::with_capacity(4);
        for cum in [&self.cb[w], &self.ca[w]] {
            if let Some(v) = cum[t] {
                out.push((v, k));
                if t > 0 {
                    if let Some(p) = cum[t - 1] {
                        out.push((p, -k));
                    }
                }
            }
        }
        out
    }
}

/// A capacity row split for reports: its first `load_terms` terms are the load
/// of (skill, period), the rest minus the usable capacity.
#[derive(Clone, Debug, PartialEq)]
pub struct CapSplit {
    pub skill: usize,
    pub period: usize,
    pub load_terms: usize,
    pub terms: Vec<(usize, f64)>,
}

/// A built model: the LP, where its variables are, and how its cost splits.
#[derive(Clone, Debug)]
pub struct Formulation {
    pub lp: Lp,
    pub index: Index,
    pub coeffs: Coeffs,
    pub estimates: Estimates,
    pub cost_terms: Vec<(CostCat, usize, f64)>,
    pub cost_constants: Vec<(CostCat, f64)>,
    /// Capacity rows split for reports: (skill, period, number of load terms, terms):
    /// the first terms are the load, the rest minus the usable capacity.
    pub cap_split: Vec<CapSplit>,
}

pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' })
        .collect()
}

impl Formulation {
    /// Value of an optional variable in `x` (0 when absent).
    pub fn val(x: &[f64], v: Option<usize>) -> f64 {
        v.map_or(0.0, |j| x[j])
    }
    /// Releases of (skill, channel) at the start of period t: the flow row's slack.
    pub fn releases(&self, x: &[f64], i: usize, c: usize, t: usize) -> f64 {
        let Some(xv) = self.index.x[i][c][t] else { return 0.0 };
        let prev = if t == 0 {
            self.initial(x, i, c)
        } else {
            Self::val(x, self.index.x[i][c][t - 1])
        };
        (prev + Self::val(x, self.index.s[i][c][t]) - x[xv]).max(0.0)
    }
    /// Week-0 roster of (skill, channel).
    pub fn initial(&self, x: &[f64], i: usize, c: usize) -> f64 {
        match self.index.x0[i][c] {
            Some(j) => x[j],
            None => self.coeffs.initial[i][c],
        }
    }
    pub fn initial_leads(&self, x: &[f64]) -> f64 {
        match self.index.lead0 {
            Some(j) => x[j],
            None => self.coeffs.leads.as_ref().map_or(0.0, |l| l.initial),
        }
    }
    /// Contributors in period t.
    pub fn contributors(&self, x: &[f64], t: usize) -> f64 {
        self.index
            .x
            .iter()
            .flat_map(|row| row.iter())
            .map(|v| Self::val(x, v[t]))
            .sum()
    }
    /// Contributors by role (`Role::index`) in period t.
    pub fn contributors_by_role(&self, x: &[f64], t: usize) -> [f64; Role::COUNT] {
        let mut out = [0.0; Role::COUNT];
        for (i, row) in self.index.x.iter().enumerate() {
            out[self.coeffs.skills[i].index()] += row.iter().map(|v| Self::val(x, v[t])).sum::<f64>();
        }
        out
    }
    /// Planned load and usable capacity (before `max_utilisation`) of skill `i` in period `t`.
    pub fn load_capacity(&self, x: &[f64], i: usize, t: usize, max_utilisation: f64) -> (f64, f64) {
        let Some(c) = self.cap_split.iter().find(|e| e.skill == i && e.period == t) else {
            return (0.0, 0.0);
        };
        let (load_terms, cap_terms) = c.terms.split_at(c.load_terms);
        let load: f64 = load_terms.iter().map(|&(j, a)| a * x[j]).sum();
        let cap: f64 = -cap_terms.iter().map(|&(j, a)| a * x[j]).sum::<f64>() / max_utilisation;
        (load, cap)
    }
    /// Cost by category for solution `x`.
    pub fn cost_breakdown(&self, x: &[f64]) -> Vec<(CostCat, f64)> {
        let mut out: Vec<(CostCat, f64)> = Vec::new();
        let mut add = |cat: CostCat, v: f64| match out.iter_mut().find(|(c, _)| *c == cat) {
            Some(e) => e.1 += v,
            None => out.push((cat, v)),
        };
        for &(cat, j, a) in &self.cost_terms {
            add(cat, a * x[j]);
        }
        for &(cat, v) in &self.cost_constants {
            add(cat, v);
        }
        out.sort_by_key(|e| e.0);
        out
    }
}

pub use super::build::build;
