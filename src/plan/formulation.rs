//! The staffing LP/MILP of docs/OPTIMISER.md §4, built as a plain [`Lp`].
//!
//! Overhead is the one non-linearity: a person's coordination loss depends on
//! the size of their group. The formulation takes the group sizes as given
//! ([`Estimates`]); `solve` iterates to a fixed point (solve, recompute group
//! sizes from the plan, rebuild) — see docs/OPTIMISER.md §5.

use super::coeffs::{overhead, Coeffs};
use super::lp::{GateSet, Group, Lp, Sense};
use crate::model::{Channel, OptimiseSpec, Role, Structure, HOURS_PER_WEEK};

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
}

impl CostCat {
    pub fn name(self) -> String {
        match self {
            CostCat::Pay(c) => format!("pay.{}", c.name()),
            CostCat::Hiring => "hiring".into(),
            CostCat::PodLeads => "pod_leads".into(),
            CostCat::SeniorTime => "senior_time".into(),
        }
    }
}

/// Group sizes the overhead coefficients assume, per period.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimates {
    /// Contributors (all roles and channels).
    pub contributors: Vec<f64>,
    /// Pod leads (pods structure).
    pub leads: Vec<f64>,
}

impl Estimates {
    /// A first guess: the week-0 roster throughout.
    pub fn initial(c: &Coeffs) -> Estimates {
        let n: f64 = c.initial.iter().flat_map(|r| r.iter()).sum::<f64>().max(1.0);
        let l = c
            .leads
            .as_ref()
            .map_or(0.0, |l| l.initial.max((n / l.max_members).ceil()).max(1.0));
        Estimates {
            contributors: vec![n; c.periods.len()],
            leads: vec![l; c.periods.len()],
        }
    }
}

/// Overhead fractions in one period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fractions {
    /// Lost by a contributor.
    pub member: f64,
    /// Lost by a senior.
    pub senior: f64,
    /// Lost by a pod lead (pod group + lead/senior group, capped).
    pub lead: f64,
}

pub fn fractions(c: &Coeffs, e: &Estimates, t: usize) -> Fractions {
    let o = &c.overhead;
    let n = e.contributors[t];
    match c.structure {
        // One group: every contributor and every senior.
        Structure::Individual => {
            let f = overhead(o, n + c.seniors);
            Fractions {
                member: f,
                senior: f,
                lead: 0.0,
            }
        }
        // Each pod with its lead; separately the leads with the seniors.
        Structure::Pods => {
            let l = e.leads[t].max(1.0);
            let member = overhead(o, n / l + 1.0);
            let senior = overhead(o, l + c.seniors);
            Fractions {
                member,
                senior,
                lead: (member + senior).min(o.cap),
            }
        }
    }
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

fn clean(s: &str) -> String {
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

/// Builds the model for the coefficients, spec and assumed group sizes.
pub fn build(c: &Coeffs, spec: &OptimiseSpec, est: &Estimates) -> Formulation {
    let mut lp = Lp::default();
    let tn = c.periods.len();
    let ns = c.skills.len();
    let u = spec.max_utilisation;
    let optimise_team = spec.initial_team == crate::model::InitialTeam::Optimise;
    let mut ix = Index {
        x: vec![Default::default(); ns],
        s: vec![Default::default(); ns],
        release_ok: vec![Default::default(); ns],
        x0: vec![[None; Channel::COUNT]; ns],
        ..Default::default()
    };
    let mut cost_terms: Vec<(CostCat, usize, f64)> = Vec::new();
    let mut cost_constants: Vec<(CostCat, f64)> = Vec::new();
    let fr: Vec<_> = (0..tn).map(|t| fractions(c, est, t)).collect();
    let eps = 1e-9;

    // ---- Variables: headcount, starts, releases ---------------------------------
    for (i, &role) in c.skills.iter().enumerate() {
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let seat = &c.seat[i][ci];
            let init = c.initial[i][ci];
            ix.x[i][ci] = vec![None; tn];
            ix.s[i][ci] = vec![None; tn];
            ix.release_ok[i][ci] = vec![false; tn];
            let exists = seat.allowed || (!optimise_team && init > 0.0);
            if !exists {
                continue;
            }
            let tag = format!("{}_{}", role.name(), ch.name());
            if optimise_team && seat.allowed {
                ix.x0[i][ci] = Some(lp.var(format!("x0_{tag}"), 0.0, f64::INFINITY, seat.integer, Some(0)));
            }
            let lim = spec.limits(ch);
            for (t, p) in c.periods.iter().enumerate() {
                let xv = lp.var(format!("x_{tag}_t{t:02}"), 0.0, f64::INFINITY, seat.integer, Some(t));
                ix.x[i][ci][t] = Some(xv);
                cost_terms.push((
                    CostCat::Pay(ch),
                    xv,
                    p.hours() * (seat.cost_per_hour - seat.rehire_per_hour),
                ));
                cost_terms.push((CostCat::Hiring, xv, p.hours() * seat.rehire_per_hour));
                if seat.allowed && p.start >= seat.lead_hours - eps {
                    let sv = lp.var(format!("s_{tag}_t{t:02}"), 0.0, f64::INFINITY, false, Some(t));
                    ix.s[i][ci][t] = Some(sv);
                    cost_terms.push((CostCat::Hiring, sv, seat.hire_cost));
                }
                ix.release_ok[i][ci][t] = p.start >= lim.notice_hours - eps && (t > 0 || !optimise_team);
            }
        }
    }
    // Pod leads: never released (the simulator keeps every pod it creates).
    if let Some(l) = &c.leads {
        if optimise_team {
            ix.lead0 = Some(lp.var("L0".into(), 0.0, f64::INFINITY, spec.integer, Some(0)));
        }
        for (t, p) in c.periods.iter().enumerate() {
            let v = lp.var(format!("L_t{t:02}"), 0.0, f64::INFINITY, spec.integer, Some(t));
            ix.leads.push(v);
            cost_terms.push((CostCat::PodLeads, v, p.hours() * l.cost_per_hour));
            // Hire cost of each new lead: sum over t of (L[t] - L[t-1]) telescopes to L[T-1] - L0.
            if t + 1 == tn {
                cost_terms.push((CostCat::Hiring, v, l.hire_cost));
            }
        }
        match ix.lead0 {
            Some(j) => cost_terms.push((CostCat::Hiring, j, -l.hire_cost)),
            None => cost_constants.push((CostCat::Hiring, -l.hire_cost * l.initial)),
        }
    }
    // ---- Variables: cumulative work and gates ----------------------------------
    for (w, st) in c.streams.iter().enumerate() {
        let name = format!("{}_w{w}", clean(&st.name));
        let gated = !st.gates.is_empty();
        ix.cb.push(vec![None; tn]);
        ix.ca.push(vec![None; tn]);
        ix.z.push(vec![None; tn]);
        for t in 0..tn {
            if st.has_backlog() && t <= st.due_period {
                // No upper bound: the order rows and the due row (an equality) imply
                // it, and the due row's dual is then the marginal cost of the work.
                ix.cb[w][t] = Some(lp.var(format!("wb_{name}_t{t:02}"), 0.0, f64::INFINITY, false, Some(t)));
            }
            if st.has_arrivals() {
                // Work cannot be done before it arrives.
                ix.ca[w][t] = Some(lp.var(format!("wa_{name}_t{t:02}"), 0.0, st.arrived_by[t], false, Some(t)));
            }
            if gated {
                // Gates are logical (open or not), binary whatever `integer` says.
                ix.z[w][t] = Some(lp.var(format!("z_{name}_t{t:02}"), 0.0, 1.0, true, Some(t)));
            }
        }
    }
    let x_at =
        |ix: &Index, t: usize| -> Vec<usize> { ix.x.iter().flat_map(|row| row.iter()).filter_map(|v| v[t]).collect() };

    // ---- Flow and minimum engagement --------------------------------------------
    // x[t] = x[t-1] + s[t] - releases[t]: with releases allowed the row is
    // x[t] - x[t-1] - s[t] <= 0 (releases are its slack), otherwise an equality.
    for i in 0..ns {
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let tag = format!("{}_{}", c.skills[i].name(), ch.name());
            let min_hours = spec.limits(ch).min_hours;
            for t in 0..tn {
                let Some(xv) = ix.x[i][ci][t] else { continue };
                let mut terms = vec![(xv, 1.0)];
                let mut rhs = 0.0;
                if t == 0 {
                    match ix.x0[i][ci] {
                        Some(j) => terms.push((j, -1.0)),
                        None => rhs = c.initial[i][ci],
                    }
                } else if let Some(prev) = ix.x[i][ci][t - 1] {
                    terms.push((prev, -1.0));
                }
                if let Some(sv) = ix.s[i][ci][t] {
                    terms.push((sv, -1.0));
                }
                let release = ix.release_ok[i][ci][t];
                let sense = if release { Sense::Le } else { Sense::Eq };
                lp.row(format!("flow_{tag}_t{t:02}"), Group::Flow, Some(t), terms, sense, rhs);
                // People who started less than min_hours ago are still there.
                if release && min_hours > 0.0 {
                    let mut terms = vec![(xv, -1.0)];
                    for tau in 0..=t {
                        if c.periods[t].start - c.periods[tau].start < min_hours - eps {
                            if let Some(sv) = ix.s[i][ci][tau] {
                                terms.push((sv, 1.0));
                            }
                        }
                    }
                    if terms.len() > 1 {
                        lp.row(
                            format!("minstay_{tag}_t{t:02}"),
                            Group::MinStay,
                            Some(t),
                            terms,
                            Sense::Le,
                            0.0,
                        );
                    }
                }
            }
        }
    }

    // ---- Capacity per skill ------------------------------------------------------
    let mut cap_split: Vec<CapSplit> = Vec::new();
    for (i, &role) in c.skills.iter().enumerate() {
        for (t, p) in c.periods.iter().enumerate() {
            let mut terms = Vec::new();
            for (w, st) in c.streams.iter().enumerate() {
                let k_own = if st.skill == role { 1.0 + st.blocked } else { 0.0 };
                let k_rev = if role == Role::DataQuality { st.dq_reviews } else { 0.0 };
                if k_own + k_rev > 0.0 {
                    terms.extend(ix.work(w, t, k_own + k_rev));
                }
            }
            let n_load = terms.len();
            if role == Role::Ops && c.ops_per_seat > 0.0 {
                for v in x_at(&ix, t) {
                    terms.push((v, c.ops_per_seat * p.hours()));
                }
            }
            let keep = u * (1.0 - fr[t].member);
            for (ci, _) in Channel::ALL.into_iter().enumerate() {
                let seat = &c.seat[i][ci];
                if let Some(xv) = ix.x[i][ci][t] {
                    terms.push((xv, -keep * seat.effective * p.hours()));
                }
                for tau in 0..=t {
                    if let Some(sv) = ix.s[i][ci][tau] {
                        let loss = seat.ramp_loss(c.periods[tau].start, p.start, p.end);
                        if loss > 0.0 {
                            terms.push((sv, keep * seat.productivity * loss));
                        }
                    }
                }
            }
            cap_split.push(CapSplit {
                skill: i,
                period: t,
                load_terms: n_load,
                terms: terms.clone(),
            });
            lp.row(
                format!("cap_{}_t{t:02}", role.name()),
                Group::Capacity,
                Some(t),
                terms,
                Sense::Le,
                0.0,
            );
        }
    }

    // ---- Work: order, deadlines, gates ----------------------------------------------
    for (w, st) in c.streams.iter().enumerate() {
        let name = format!("{}_w{w}", clean(&st.name));
        for (kind, cum) in [("backlog", &ix.cb[w]), ("arrivals", &ix.ca[w])] {
            for t in 1..tn {
                if let (Some(a), Some(b)) = (cum[t - 1], cum[t]) {
                    // Work done in a period is not negative.
                    lp.row(
                        format!("order_{kind}_{name}_t{t:02}"),
                        Group::Availability,
                        Some(t),
                        vec![(b, 1.0), (a, -1.0)],
                        Sense::Ge,
                        0.0,
                    );
                }
            }
        }
        if let Some(last) = ix.cb[w][st.due_period] {
            lp.row(
                format!("due_backlog_{name}"),
                Group::Deadline,
                Some(st.due_period),
                vec![(last, 1.0)],
                Sense::Eq,
                st.backlog_work,
            );
        }
        for t in 0..tn {
            if let Some(a) = ix.ca[w][t] {
                let due = st.due_by[t];
                if due > 0.0 {
                    match ix.z[w][t] {
                        // Gated arrivals are due once the gate is open.
                        Some(z) => {
                            lp.row(
                                format!("due_arrivals_{name}_t{t:02}"),
                                Group::Deadline,
                                Some(t),
                                vec![(a, 1.0), (z, -due)],
                                Sense::Ge,
                                0.0,
                            );
                        }
                        None => {
                            lp.row(
                                format!("due_arrivals_{name}_t{t:02}"),
                                Group::Deadline,
                                Some(t),
                                vec![(a, 1.0)],
                                Sense::Ge,
                                due,
                            );
                        }
                    }
                }
            }
            let Some(z) = ix.z[w][t] else { continue };
            // Nothing of a gated stream is done before its gate opens.
            if let Some(b) = ix.cb[w][t] {
                lp.row(
                    format!("avail_backlog_{name}_t{t:02}"),
                    Group::Availability,
                    Some(t),
                    vec![(b, 1.0), (z, -st.backlog_work)],
                    Sense::Le,
                    0.0,
                );
            }
            if let Some(a) = ix.ca[w][t] {
                lp.row(
                    format!("avail_gated_{name}_t{t:02}"),
                    Group::Availability,
                    Some(t),
                    vec![(a, 1.0), (z, -st.arrived_by[tn - 1])],
                    Sense::Le,
                    0.0,
                );
            }
            // The gate opens at the start of t only if each predecessor has done its fraction by then.
            for (gi, &(g, frac)) in st.gates.iter().enumerate() {
                let need = frac * c.streams[g].backlog_work;
                let before = if t == 0 { None } else { Some(t - 1) };
                let pred = before.map(|b| (b, ix.cb[g][b]));
                match pred {
                    // By the start of period 0 nothing is done.
                    None => {
                        if need > 0.0 {
                            lp.row(
                                format!("gate_{name}_{gi}_t{t:02}"),
                                Group::Gate,
                                Some(t),
                                vec![(z, need)],
                                Sense::Le,
                                0.0,
                            );
                        }
                    }
                    Some((_, Some(cum))) => {
                        lp.row(
                            format!("gate_{name}_{gi}_t{t:02}"),
                            Group::Gate,
                            Some(t),
                            vec![(z, need), (cum, -1.0)],
                            Sense::Le,
                            0.0,
                        );
                    }
                    // After the predecessor's due period its backlog is done: the gate may open.
                    Some((_, None)) => {}
                }
            }
            if t + 1 < tn {
                if let Some(next) = ix.z[w][t + 1] {
                    lp.row(
                        format!("gate_order_{name}_t{t:02}"),
                        Group::Gate,
                        Some(t),
                        vec![(z, 1.0), (next, -1.0)],
                        Sense::Le,
                        0.0,
                    );
                }
            }
        }
    }

    // Gate binaries for the search, predecessors first.
    for w in topological(c) {
        let st = &c.streams[w];
        if st.gates.is_empty() {
            continue;
        }
        let z: Vec<usize> = ix.z[w].iter().flatten().copied().collect();
        let preds = st
            .gates
            .iter()
            .map(|&(g, frac)| {
                (
                    ix.cb[g].clone(),
                    frac * c.streams[g].backlog_work,
                    c.streams[g].backlog_work,
                )
            })
            .collect();
        lp.gates.push(GateSet { z, preds });
    }

    // ---- Seniors: the hours contributors consume leave at least the focus floor --
    let mut senior_terms_by_t: Vec<Vec<(usize, f64)>> = vec![Vec::new(); tn];
    for (t, p) in c.periods.iter().enumerate() {
        let terms = &mut senior_terms_by_t[t];
        for (w, st) in c.streams.iter().enumerate() {
            if st.senior > 0.0 {
                terms.extend(ix.work(w, t, st.senior));
            }
        }
        for (i, row) in ix.x.iter().enumerate() {
            for (ci, xs) in row.iter().enumerate() {
                if let Some(xv) = xs[t] {
                    let seat = &c.seat[i][ci];
                    let per = c.senior_per_seat + if c.mentor_by_seniors { seat.mentor_per_hour } else { 0.0 };
                    if per > 0.0 {
                        terms.push((xv, per * p.hours()));
                    }
                }
                if c.mentor_by_seniors {
                    for tau in 0..=t {
                        if let Some(sv) = ix.s[i][ci][tau] {
                            let m = c.seat[i][ci].mentoring(c.periods[tau].start, p.start, p.end);
                            if m > 0.0 {
                                terms.push((sv, m));
                            }
                        }
                    }
                }
            }
        }
        if let Some(l) = &c.leads {
            if l.senior_sync > 0.0 {
                terms.push((ix.leads[t], l.senior_sync * p.hours()));
            }
        }
    }
    for (t, p) in c.periods.iter().enumerate() {
        let fixed = c.seniors * p.hours() * fr[t].senior + c.senior_fixed * p.hours();
        let terms = senior_terms_by_t[t].clone();
        for &(v, a) in &terms {
            cost_terms.push((CostCat::SeniorTime, v, a * c.senior_rate));
        }
        cost_constants.push((CostCat::SeniorTime, fixed * c.senior_rate));
        if c.seniors > 0.0 && (!terms.is_empty() || spec.senior_focus_floor_hours > 0.0) {
            let rhs = c.seniors * (p.hours() - spec.senior_focus_floor_hours * p.weeks()) - fixed;
            lp.row(
                format!("senior_focus_t{t:02}"),
                Group::SeniorFocus,
                Some(t),
                terms,
                Sense::Le,
                rhs,
            );
        } else if c.seniors == 0.0 && !terms.is_empty() {
            // No seniors but work that needs them: nothing may be done that needs them.
            lp.row(
                format!("senior_focus_t{t:02}"),
                Group::SeniorFocus,
                Some(t),
                terms,
                Sense::Le,
                0.0,
            );
        }
    }

    // ---- Pods: leads' load, span of control ---------------------------------------
    if let Some(l) = &c.leads {
        for (t, p) in c.periods.iter().enumerate() {
            let mut terms = Vec::new();
            for (w, st) in c.streams.iter().enumerate() {
                if st.lead > 0.0 {
                    terms.extend(ix.work(w, t, st.lead));
                }
            }
            for (i, row) in ix.x.iter().enumerate() {
                for (ci, xs) in row.iter().enumerate() {
                    if let Some(xv) = xs[t] {
                        let per = c.lead_per_seat + c.seat[i][ci].mentor_per_hour;
                        if per > 0.0 {
                            terms.push((xv, per * p.hours()));
                        }
                    }
                    for tau in 0..=t {
                        if let Some(sv) = ix.s[i][ci][tau] {
                            let m = c.seat[i][ci].mentoring(c.periods[tau].start, p.start, p.end);
                            if m > 0.0 {
                                terms.push((sv, m));
                            }
                        }
                    }
                }
            }
            let free = u - l.governance - fr[t].lead;
            terms.push((ix.leads[t], -free * p.hours()));
            lp.row(
                format!("lead_load_t{t:02}"),
                Group::LeadLoad,
                Some(t),
                terms,
                Sense::Le,
                0.0,
            );

            let mut terms: Vec<(usize, f64)> = x_at(&ix, t).into_iter().map(|v| (v, 1.0)).collect();
            terms.push((ix.leads[t], -l.max_members));
            lp.row(format!("span_t{t:02}"), Group::Span, Some(t), terms, Sense::Le, 0.0);
            let (terms, rhs) = if t == 0 {
                match ix.lead0 {
                    Some(j) => (vec![(ix.leads[0], 1.0), (j, -1.0)], 0.0),
                    None => (vec![(ix.leads[0], 1.0)], l.initial),
                }
            } else {
                (vec![(ix.leads[t], 1.0), (ix.leads[t - 1], -1.0)], 0.0)
            };
            lp.row(
                format!("leads_kept_t{t:02}"),
                Group::Span,
                Some(t),
                terms,
                Sense::Ge,
                rhs,
            );
        }
    }

    // ---- Policy caps ---------------------------------------------------------------
    if let Some(b) = spec.budget {
        let mut terms: Vec<(usize, f64)> = cost_terms.iter().map(|&(_, v, a)| (v, a)).collect();
        terms.retain(|t| t.1 != 0.0);
        let constant: f64 = cost_constants.iter().map(|c| c.1).sum();
        lp.row("budget".into(), Group::Budget, None, terms, Sense::Le, b - constant);
    }
    if let Some(cap) = spec.access_cap {
        // Distinct people: week-0 roster + planned starts + expected replacements + every lead ever.
        let mut terms = Vec::new();
        let mut rhs = cap;
        for i in 0..ns {
            for ci in 0..Channel::COUNT {
                match ix.x0[i][ci] {
                    Some(j) => terms.push((j, 1.0)),
                    None => rhs -= c.initial[i][ci],
                }
                for (t, p) in c.periods.iter().enumerate() {
                    if let Some(sv) = ix.s[i][ci][t] {
                        terms.push((sv, 1.0));
                    }
                    if let Some(xv) = ix.x[i][ci][t] {
                        terms.push((xv, c.seat[i][ci].replacements_per_hour * p.hours()));
                    }
                }
            }
        }
        if let Some(l) = &c.leads {
            terms.push((ix.leads[tn - 1], 1.0));
            for (t, p) in c.periods.iter().enumerate() {
                terms.push((ix.leads[t], l.replacements_per_hour * p.hours()));
            }
        }
        lp.row("access_cap".into(), Group::Access, None, terms, Sense::Le, rhs);
    }
    for t in 0..tn {
        let chan =
            |ci: usize| -> Vec<(usize, f64)> { (0..ns).filter_map(|i| ix.x[i][ci][t]).map(|v| (v, 1.0)).collect() };
        let all: Vec<usize> = x_at(&ix, t);
        let bench = chan(Channel::Bench.index());
        if !bench.is_empty() {
            lp.row(
                format!("bench_max_t{t:02}"),
                Group::BenchMax,
                Some(t),
                bench,
                Sense::Le,
                spec.bench_max,
            );
        }
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let lim = spec.limits(ch);
            let terms = chan(ci);
            if terms.is_empty() {
                continue;
            }
            if let Some(m) = lim.max {
                lp.row(
                    format!("max_{}_t{t:02}", ch.name()),
                    Group::ChannelMax,
                    Some(t),
                    terms.clone(),
                    Sense::Le,
                    m,
                );
            }
            for (i, role) in c.skills.iter().enumerate() {
                if let (Some(m), Some(xv)) = (lim.max_by_role[role.index()], ix.x[i][ci][t]) {
                    lp.row(
                        format!("max_{}_{}_t{t:02}", ch.name(), role.name()),
                        Group::ChannelMax,
                        Some(t),
                        vec![(xv, 1.0)],
                        Sense::Le,
                        m,
                    );
                }
            }
            for (share, sense, what) in [
                (lim.share_max, Sense::Le, "share_max"),
                (lim.share_min, Sense::Ge, "share_min"),
            ] {
                if let Some(sh) = share {
                    let mut terms = terms.clone();
                    terms.extend(all.iter().map(|&v| (v, -sh)));
                    lp.row(
                        format!("{what}_{}_t{t:02}", ch.name()),
                        Group::ChannelShare,
                        Some(t),
                        terms,
                        sense,
                        0.0,
                    );
                }
            }
        }
        if spec.min_employees > 0.0 {
            let terms = chan(Channel::Employee.index());
            lp.row(
                format!("min_employees_t{t:02}"),
                Group::MinEmployees,
                Some(t),
                terms,
                Sense::Ge,
                spec.min_employees,
            );
        }
    }

    // ---- Objective -------------------------------------------------------------------
    for &(_, v, a) in &cost_terms {
        lp.vars[v].cost += a;
    }
    lp.constant = cost_constants.iter().map(|c| c.1).sum();
    let _ = HOURS_PER_WEEK;
    Formulation {
        lp,
        index: ix,
        coeffs: c.clone(),
        estimates: est.clone(),
        cost_terms,
        cost_constants,
        cap_split,
    }
}

/// Streams ordered so that every gate's predecessor comes before the gated stream.
fn topological(c: &Coeffs) -> Vec<usize> {
    let n = c.streams.len();
    let mut out = Vec::with_capacity(n);
    let mut done = vec![false; n];
    while out.len() < n {
        let before = out.len();
        for w in 0..n {
            if !done[w] && c.streams[w].gates.iter().all(|&(g, _)| done[g]) {
                done[w] = true;
                out.push(w);
            }
        }
        if out.len() == before {
            // A cycle (validation rejects them); keep the rest in index order.
            out.extend((0..n).filter(|&w| !done[w]));
            break;
        }
    }
    out
}
