//! Building the staffing LP/MILP of docs/OPTIMISER.md §4 for given overhead
//! group sizes: [`build`] runs one named step per group of variables or rows
//! (staff, work, flow, capacity, work rows, seniors, pods, policy caps).

mod contract;
mod work;

use super::coeffs::Coeffs;
use super::formulation::{clean, fractions, CapSplit, CostCat, Estimates, Formulation, Index};
use super::lp::{GateSet, Group, Lp, Sense};
use crate::contract::Pricing;
use crate::model::{Channel, Coordination, OptimiseSpec, Role, HOURS_PER_WEEK};

/// Builds the model for the coefficients, spec and assumed group sizes
/// (docs/OPTIMISER.md §4), one group of variables or rows at a time.
pub fn build(c: &Coeffs, spec: &OptimiseSpec, est: &Estimates) -> Formulation {
    let ns = c.skills.len();
    let mut b = Builder {
        ctx: Ctx {
            c,
            spec,
            tn: c.periods.len(),
            ns,
            u: spec.max_utilisation,
            optimise_team: spec.initial_team == crate::model::InitialTeam::Optimise,
        },
        lp: Lp::default(),
        ix: Index {
            x: vec![Default::default(); ns],
            s: vec![Default::default(); ns],
            release_ok: vec![Default::default(); ns],
            x0: vec![[None; Channel::COUNT]; ns],
            ..Default::default()
        },
        fr: (0..c.periods.len()).map(|t| fractions(c, est, t)).collect(),
        cost_terms: Vec::new(),
        cost_constants: Vec::new(),
        cap_split: Vec::new(),
    };
    b.staff_variables();
    b.work_variables();
    b.flow_rows();
    b.capacity_rows();
    b.work_rows();
    b.senior_rows();
    b.pod_rows();
    b.contract_rows();
    b.policy_rows();
    // The objective: every cost term on its variable, the constants apart.
    for &(_, v, a) in &b.cost_terms {
        b.lp.vars[v].cost += a;
    }
    b.lp.constant = b.cost_constants.iter().map(|c| c.1).sum();
    Formulation {
        lp: b.lp,
        index: b.ix,
        coeffs: c.clone(),
        estimates: est.clone(),
        cost_terms: b.cost_terms,
        cost_constants: b.cost_constants,
        cap_split: b.cap_split,
    }
}

/// Tolerance for comparing period starts with lead times, notice and stays (hours).
const EPS: f64 = 1e-9;

/// What every step of [`build`] reads, derived once.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    c: &'a Coeffs,
    spec: &'a OptimiseSpec,
    /// Periods and planned skills.
    tn: usize,
    ns: usize,
    /// `max_utilisation`.
    u: f64,
    /// `initial_team = "optimise"`: the week-0 roster is a decision.
    optimise_team: bool,
}

/// The model under construction: each method adds one group of variables or rows.
struct Builder<'a> {
    ctx: Ctx<'a>,
    lp: Lp,
    ix: Index,
    /// Coordination losses per period for the assumed group sizes.
    fr: Vec<Coordination>,
    cost_terms: Vec<(CostCat, usize, f64)>,
    cost_constants: Vec<(CostCat, f64)>,
    cap_split: Vec<CapSplit>,
}

/// Seat variables of period t.
fn x_at(ix: &Index, t: usize) -> Vec<usize> {
    ix.x.iter().flat_map(|row| row.iter()).filter_map(|v| v[t]).collect()
}

impl Builder<'_> {
    /// Headcount, starts and releases of every (skill, channel) and the pod leads.
    fn staff_variables(&mut self) {
        let Ctx {
            c,
            spec,
            tn,
            optimise_team,
            ..
        } = self.ctx;
        let Builder {
            lp,
            ix,
            cost_terms,
            cost_constants,
            ..
        } = self;
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
                    if seat.allowed && p.start >= seat.lead_hours - EPS {
                        let sv = lp.var(format!("s_{tag}_t{t:02}"), 0.0, f64::INFINITY, false, Some(t));
                        ix.s[i][ci][t] = Some(sv);
                        cost_terms.push((CostCat::Hiring, sv, seat.hire_cost));
                    }
                    ix.release_ok[i][ci][t] = p.start >= lim.notice_hours - EPS && (t > 0 || !optimise_team);
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
    }

    /// Cumulative work done per stream (backlog and arrivals) and the pipeline gates.
    fn work_variables(&mut self) {
        let Ctx { c, tn, .. } = self.ctx;
        let Builder { lp, ix, .. } = self;
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
    }

    /// Flow x[t] = x[t-1] + starts - releases, notice, and the minimum stay of starts.
    fn flow_rows(&mut self) {
        let Ctx { c, spec, tn, ns, .. } = self.ctx;
        let Builder { lp, ix, .. } = self;
        // x[t] = x[t-1] + s[t] - releases[t]: with releases allowed the row is
        // x[t] - x[t-1] - s[t] <= 0 (releases are its slack), otherwise an equality.
        for i in 0..ns {
            for (ci, ch) in Channel::ALL.into_iter().enumerate() {
                let tag = format!("{}_{}", c.skills[i].name(), ch.name());
                // A time-and-materials minimum commitment: the seat is paid for
                // that long anyway, so the plan keeps it working.
                let commit = c
                    .contract(ci)
                    .filter(|k| k.bills_hours())
                    .map_or(0.0, |k| k.min_commit_hours);
                let min_hours = spec.limits(ch).min_hours.max(commit);
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
                    // The week-0 roster is committed from week 0 like any start.
                    if release && c.periods[t].start < commit - EPS {
                        let (terms, rhs) = match ix.x0[i][ci] {
                            Some(j) => (vec![(xv, 1.0), (j, -1.0)], 0.0),
                            None => (vec![(xv, 1.0)], c.initial[i][ci]),
                        };
                        lp.row(
                            format!("commit0_{tag}_t{t:02}"),
                            Group::MinStay,
                            Some(t),
                            terms,
                            Sense::Ge,
                            rhs,
                        );
                    }
                    // People who started less than min_hours ago are still there.
                    if release && min_hours > 0.0 {
                        let mut terms = vec![(xv, -1.0)];
                        for tau in 0..=t {
                            if c.periods[t].start - c.periods[tau].start < min_hours - EPS {
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
    }

    /// Per skill and period: the work done (with time blocked on answers) within usable capacity.
    fn capacity_rows(&mut self) {
        let Ctx { c, u, .. } = self.ctx;
        let Builder {
            lp, ix, fr, cap_split, ..
        } = self;
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
                    for v in x_at(ix, t) {
                        terms.push((v, c.ops_per_seat * p.hours()));
                    }
                }
                let keep = u * (1.0 - fr[t].member[role.index()]);
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
    }

    /// Seniors: the hours contributors consume leave at least the focus floor; senior time is a cost.
    fn senior_rows(&mut self) {
        let Ctx { c, spec, tn, .. } = self.ctx;
        let Builder {
            lp,
            ix,
            fr,
            cost_terms,
            cost_constants,
            ..
        } = self;
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
                        // Individual: each contributor is a senior's direct report (hub cost, §5).
                        let hub = if c.mentor_by_seniors {
                            fr[t].senior_hub_per_report / HOURS_PER_WEEK
                        } else {
                            0.0
                        };
                        let per =
                            c.senior_per_seat + hub + if c.mentor_by_seniors { seat.mentor_per_hour } else { 0.0 };
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
                // Pods: the weekly sync per pod, and each lead is a senior's direct report.
                let per = l.senior_sync + fr[t].senior_hub_per_report / HOURS_PER_WEEK;
                if per > 0.0 {
                    terms.push((ix.leads[t], per * p.hours()));
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
    }

    /// Pods: the leads' load, span of control, leads kept.
    fn pod_rows(&mut self) {
        let Ctx { c, u, .. } = self.ctx;
        let Builder { lp, ix, fr, .. } = self;
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
                            // Each member is its lead's direct report (hub cost, §5).
                            let per = c.lead_per_seat
                                + c.seat[i][ci].mentor_per_hour
                                + fr[t].lead_hub_per_member / HOURS_PER_WEEK;
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

                let mut terms: Vec<(usize, f64)> = x_at(ix, t).into_iter().map(|v| (v, 1.0)).collect();
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
    }

    /// Policy caps: budget, access, bench, channel caps and shares, minimum employees.
    fn policy_rows(&mut self) {
        let Ctx { c, spec, tn, ns, .. } = self.ctx;
        let Builder {
            lp,
            ix,
            cost_terms,
            cost_constants,
            ..
        } = self;
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
            let all: Vec<usize> = x_at(ix, t);
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
    }
}
