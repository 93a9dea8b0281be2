//! A plain linear (mixed-integer) program: named variables with bounds, named
//! rows tagged with the constraint group they belong to, and a linear cost.
//!
//! The formulation builds one of these; `solve` hands it to a good_lp backend,
//! `export` writes it in CPLEX LP format, `diagnose` adds elastic slack to it.
//! Keeping the model as data (not as solver calls) gives one source for all of
//! them, and lets the search fix bounds and re-solve without rebuilding.

/// Constraint groups: what a row means, for reports and diagnosis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Headcount flow x[t] = x[t-1] + starts - releases.
    Flow,
    /// Planned starts may not be released before their minimum engagement.
    MinStay,
    /// Work done per skill and period <= usable capacity.
    Capacity,
    /// Work cannot be done before it exists (arrivals, pipeline gates).
    Availability,
    /// Backlog done by the deadline; arrivals within their service time.
    Deadline,
    /// Pipeline gates: a stream opens once its predecessor reached its fraction.
    Gate,
    /// Senior hours consumed <= senior hours minus the focus floor.
    SeniorFocus,
    /// Pod leads' load <= their hours.
    LeadLoad,
    /// Pod members <= max pod size x pod leads; leads are never released.
    Span,
    Budget,
    Access,
    BenchMax,
    ChannelMax,
    ChannelShare,
    MinEmployees,
    /// Contract terms (docs/OPTIMISER.md): fixed-price milestones met, change
    /// orders counted, a provider paid at least its minimum spend.
    Contract,
}

impl Group {
    pub const ALL: [Group; 16] = [
        Group::Flow,
        Group::MinStay,
        Group::Capacity,
        Group::Availability,
        Group::Deadline,
        Group::Gate,
        Group::SeniorFocus,
        Group::LeadLoad,
        Group::Span,
        Group::Budget,
        Group::Access,
        Group::BenchMax,
        Group::ChannelMax,
        Group::ChannelShare,
        Group::MinEmployees,
        Group::Contract,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Group::Flow => "flow",
            Group::MinStay => "min_stay",
            Group::Capacity => "capacity",
            Group::Availability => "availability",
            Group::Deadline => "deadline",
            Group::Gate => "gate",
            Group::SeniorFocus => "senior_focus",
            Group::LeadLoad => "lead_load",
            Group::Span => "span",
            Group::Budget => "budget",
            Group::Access => "access_cap",
            Group::BenchMax => "bench_max",
            Group::ChannelMax => "channel_max",
            Group::ChannelShare => "channel_share",
            Group::MinEmployees => "min_employees",
            Group::Contract => "contract",
        }
    }
    /// Groups a user sets (and may relax); the others are the model's physics.
    pub fn is_policy(self) -> bool {
        matches!(
            self,
            Group::Deadline
                | Group::SeniorFocus
                | Group::Budget
                | Group::Access
                | Group::BenchMax
                | Group::ChannelMax
                | Group::ChannelShare
                | Group::MinEmployees
                | Group::Contract
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    Le,
    Ge,
    Eq,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    pub name: String,
    pub lo: f64,
    pub hi: f64,
    pub integer: bool,
    /// Objective coefficient.
    pub cost: f64,
    /// Period the variable belongs to (orders the search), if any.
    pub period: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub group: Group,
    pub period: Option<usize>,
    pub terms: Vec<(usize, f64)>,
    pub sense: Sense,
    pub rhs: f64,
}

impl Row {
    pub fn activity(&self, x: &[f64]) -> f64 {
        self.terms.iter().map(|&(j, a)| a * x[j]).sum()
    }
    /// How far `x` violates the row (0 when satisfied).
    pub fn violation(&self, x: &[f64]) -> f64 {
        let a = self.activity(x);
        match self.sense {
            Sense::Le => (a - self.rhs).max(0.0),
            Sense::Ge => (self.rhs - a).max(0.0),
            Sense::Eq => (a - self.rhs).abs(),
        }
    }
}

/// A pipeline gate's binaries, for the search: `z[t]` = 1 once the gate is open
/// (a step in t), and what opening at t needs from the predecessors.
#[derive(Clone, Debug, PartialEq)]
pub struct GateSet {
    pub z: Vec<usize>,
    /// For each predecessor: its cumulative backlog work variables by period
    /// (None after its due period, when all of it is done), the work it must have
    /// done before the gate opens, and all of its backlog work.
    pub preds: Vec<(Vec<Option<usize>>, f64, f64)>,
}

/// A minimisation problem: `cost . x + constant` subject to rows and bounds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lp {
    pub vars: Vec<Var>,
    pub rows: Vec<Row>,
    /// Constant part of the objective (fixed costs).
    pub constant: f64,
    /// Gates in topological order (predecessors first); empty when there are none.
    pub gates: Vec<GateSet>,
}

impl Lp {
    pub fn var(&mut self, name: String, lo: f64, hi: f64, integer: bool, period: Option<usize>) -> usize {
        self.vars.push(Var {
            name,
            lo,
            hi,
            integer,
            cost: 0.0,
            period,
        });
        self.vars.len() - 1
    }
    pub fn row(
        &mut self,
        name: String,
        group: Group,
        period: Option<usize>,
        terms: Vec<(usize, f64)>,
        sense: Sense,
        rhs: f64,
    ) -> usize {
        // Merge duplicate variables and drop zeros so every backend sees a clean row.
        let mut terms = terms;
        terms.sort_by_key(|t| t.0);
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
        for (j, a) in terms {
            match merged.last_mut() {
                Some(last) if last.0 == j => last.1 += a,
                _ => merged.push((j, a)),
            }
        }
        merged.retain(|t| t.1 != 0.0);
        self.rows.push(Row {
            name,
            group,
            period,
            terms: merged,
            sense,
            rhs,
        });
        self.rows.len() - 1
    }
    pub fn objective(&self, x: &[f64]) -> f64 {
        self.constant + self.vars.iter().zip(x).map(|(v, &x)| v.cost * x).sum::<f64>()
    }
    pub fn integer_count(&self) -> usize {
        self.vars.iter().filter(|v| v.integer).count()
    }
    /// The same problem with every integer variable made continuous.
    pub fn relaxed(&self) -> Lp {
        let mut lp = self.clone();
        for v in &mut lp.vars {
            v.integer = false;
        }
        lp
    }
    /// Largest row violation and bound violation of `x`, relative to the row's scale.
    pub fn max_violation(&self, x: &[f64]) -> f64 {
        let rows = self
            .rows
            .iter()
            // Relative to the row's size: rounding an integer from 2.9999999 to 3
            // moves a row of hours by more than 1e-6 in absolute terms.
            .map(|r| {
                let size: f64 = r.terms.iter().map(|&(j, a)| (a * x[j]).abs()).sum();
                r.violation(x) / (1.0 + r.rhs.abs() + size)
            })
            .fold(0.0, f64::max);
        let bounds = self
            .vars
            .iter()
            .zip(x)
            .map(|(v, &x)| (v.lo - x).max(x - v.hi).max(0.0))
            .fold(0.0, f64::max);
        rows.max(bounds)
    }
}
