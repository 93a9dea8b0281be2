//! The contract-terms rows of the staffing model (docs/OPTIMISER.md §11):
//! split from the other row groups by concept (issue #13).

use super::*;

impl Builder<'_> {
    /// Contract terms of each provider (docs/OPTIMISER.md, "Contract terms"),
    /// priced with `crate::contract`'s rules: per-item prices on the work
    /// done, a fixed price with its change orders and milestones, notice and
    /// minimum commitment per seat, onboarding fees per person and pod, and
    /// the minimum spend. Validation makes a per-item or fixed-price provider
    /// the only channel of the skills it serves, so the work of those skills
    /// is its work.
    pub(super) fn contract_rows(&mut self) {
        let Ctx { c, tn, ns, .. } = self.ctx;
        let Builder {
            lp,
            ix,
            cost_terms,
            cost_constants,
            ..
        } = self;
        let last = tn - 1;
        for (ci, ch) in Channel::ALL.into_iter().enumerate() {
            let Some(k) = c.contract(ci) else { continue };
            let tag = clean(&k.name);
            // This provider's payments: (category, variable, coefficient) and constants.
            let mut terms: Vec<(CostCat, usize, f64)> = Vec::new();
            let mut consts: Vec<(CostCat, f64)> = Vec::new();
            let lead_channel = c.leads.as_ref().filter(|l| l.channel == ch);
            // What the seats already cost the client (time and materials: pay and hiring).
            let mut seat_terms: Vec<(usize, f64)> = Vec::new();
            let mut seat_const = 0.0;
            for i in 0..ns {
                let seat = &c.seat[i][ci];
                for (t, p) in c.periods.iter().enumerate() {
                    if let Some(xv) = ix.x[i][ci][t] {
                        seat_terms.push((xv, p.hours() * seat.cost_per_hour));
                    }
                    if let Some(sv) = ix.s[i][ci][t] {
                        seat_terms.push((sv, seat.hire_cost));
                    }
                }
            }
            if let Some(l) = lead_channel {
                for (t, p) in c.periods.iter().enumerate() {
                    seat_terms.push((ix.leads[t], p.hours() * l.cost_per_hour));
                }
                seat_terms.push((ix.leads[last], l.hire_cost));
                match ix.lead0 {
                    Some(j) => seat_terms.push((j, -l.hire_cost)),
                    None => seat_const -= l.hire_cost * l.initial,
                }
            }

            // Notice and minimum commitment (time and materials): a seat that
            // joined at j and is on board at the end is billed to
            // `billed_until(j, end)`; released earlier (never before its
            // minimum, see flow_rows) it is billed its notice. Both are the
            // seat's tail after the plan ends, once per seat.
            if k.bills_hours() && (k.notice_hours > 0.0 || k.min_commit_hours > 0.0) {
                let tail = |joined: f64| k.billed_until(joined, None, false, c.deadline, true) - c.deadline;
                for i in 0..ns {
                    let seat = &c.seat[i][ci];
                    let pay = seat.cost_per_hour - seat.rehire_per_hour;
                    match ix.x0[i][ci] {
                        Some(j) => terms.push((CostCat::Terms(ch), j, pay * tail(0.0))),
                        None => consts.push((CostCat::Terms(ch), pay * tail(0.0) * c.initial[i][ci])),
                    }
                    for (t, p) in c.periods.iter().enumerate() {
                        if let Some(sv) = ix.s[i][ci][t] {
                            terms.push((CostCat::Terms(ch), sv, pay * tail(p.start)));
                        }
                    }
                }
                if let Some(l) = lead_channel {
                    // Leads are never released: L[t] - L[t-1] join at period t's start.
                    let pay = l.cost_per_hour - l.replacements_per_hour * l.hire_cost;
                    let tails: Vec<f64> = c.periods.iter().map(|p| tail(p.start)).collect();
                    for t in 0..tn {
                        let next = if t + 1 < tn { tails[t + 1] } else { 0.0 };
                        terms.push((CostCat::Terms(ch), ix.leads[t], pay * (tails[t] - next)));
                    }
                    let first = pay * (tail(0.0) - tails[0]);
                    match ix.lead0 {
                        Some(j) => terms.push((CostCat::Terms(ch), j, first)),
                        None => consts.push((CostCat::Terms(ch), first * l.initial)),
                    }
                }
            }

            // Onboarding fees: every person who ever joins (week-0 roster, starts,
            // attrition replacements, the pods' leads) and every pod.
            if k.onboarding_per_person > 0.0 || k.onboarding_per_pod > 0.0 {
                let person = k.onboarding(1.0, 0.0);
                for i in 0..ns {
                    let seat = &c.seat[i][ci];
                    match ix.x0[i][ci] {
                        Some(j) => terms.push((CostCat::Terms(ch), j, person)),
                        None => consts.push((CostCat::Terms(ch), person * c.initial[i][ci])),
                    }
                    for (t, p) in c.periods.iter().enumerate() {
                        if let Some(sv) = ix.s[i][ci][t] {
                            terms.push((CostCat::Terms(ch), sv, person));
                        }
                        if let Some(xv) = ix.x[i][ci][t] {
                            terms.push((CostCat::Terms(ch), xv, person * seat.replacements_per_hour * p.hours()));
                        }
                    }
                }
                if let Some(l) = lead_channel {
                    // Every lead ever is L[T-1] (leads are never released).
                    terms.push((CostCat::Terms(ch), ix.leads[last], k.onboarding(1.0, 1.0)));
                    for (t, p) in c.periods.iter().enumerate() {
                        terms.push((
                            CostCat::Terms(ch),
                            ix.leads[t],
                            person * l.replacements_per_hour * p.hours(),
                        ));
                    }
                }
            }

            // The streams whose work is this provider's (validation: it is the
            // only channel of their skill).
            let served = |w: usize| {
                c.skill_index(c.streams[w].skill)
                    .is_some_and(|i| ix.x[i][ci].iter().any(Option::is_some))
            };
            // Cumulative work of stream w by the end of period t: (terms, constant).
            let done_by = |w: usize, t: usize, k: f64| -> (Vec<(usize, f64)>, f64) {
                let st = &c.streams[w];
                let mut v = Vec::new();
                let mut constant = 0.0;
                if st.has_backlog() {
                    match ix.cb[w].get(t).copied().flatten() {
                        Some(j) => v.push((j, k)),
                        None if t > st.due_period => constant += k * st.backlog_work,
                        None => {}
                    }
                }
                if let Some(j) = ix.ca[w][t] {
                    v.push((j, k));
                }
                (v, constant)
            };
            match k.pricing {
                Pricing::TimeAndMaterials => {}
                Pricing::PerItem => {
                    // The client pays accepted items, not seat hours: per effort hour,
                    // the net price of an item over its effort with rework (the
                    // provider's rework is its own cost).
                    for (w, st) in c.streams.iter().enumerate() {
                        if !served(w) {
                            continue;
                        }
                        let per_hour = k.net_item_price(st.ws, st.escaped_per_item) / st.work_per_item;
                        let (v, constant) = done_by(w, last, per_hour);
                        terms.extend(v.into_iter().map(|(j, a)| (CostCat::Items(ch), j, a)));
                        consts.push((CostCat::Items(ch), constant));
                    }
                }
                Pricing::Fixed => {
                    consts.push((CostCat::FixedPrice(ch), k.fixed_price));
                    let scope: Vec<usize> = (0..c.streams.len()).filter(|&w| k.scope[c.streams[w].ws]).collect();
                    let items_by = |t: usize| -> (Vec<(usize, f64)>, f64) {
                        let mut v = Vec::new();
                        let mut constant = 0.0;
                        for &w in &scope {
                            let (a, b) = done_by(w, t, 1.0 / c.streams[w].work_per_item);
                            v.extend(a);
                            constant += b;
                        }
                        (v, constant)
                    };
                    // Change orders: accepted items in scope beyond `scope_items`,
                    // co >= items - scope_items, co >= 0 (tight at the optimum).
                    if k.change_order_per_item > 0.0 {
                        let (v, constant) = items_by(last);
                        let co = lp.var(format!("change_orders_{tag}"), 0.0, f64::INFINITY, false, None);
                        terms.push((CostCat::FixedPrice(ch), co, k.change_order_per_item));
                        let mut row = vec![(co, 1.0)];
                        row.extend(v.into_iter().map(|(j, a)| (j, -a)));
                        lp.row(
                            format!("change_orders_{tag}"),
                            Group::Contract,
                            None,
                            row,
                            Sense::Ge,
                            constant - k.scope_items as f64,
                        );
                    }
                    // Milestones due before the plan's deadline are met (a plan
                    // that chose to be late would be paid for it with credits
                    // the client does not want: the credits are the vendor's
                    // risk, which the simulation measures).
                    for (j, ms) in k.milestones.iter().enumerate() {
                        if ms.due_hours >= c.deadline - EPS {
                            continue;
                        }
                        let t = c
                            .periods
                            .iter()
                            .position(|p| p.end >= ms.due_hours - EPS)
                            .unwrap_or(last);
                        for &ws in &ms.workstreams {
                            let Some(w) = c.streams.iter().position(|s| s.ws == ws) else {
                                continue;
                            };
                            if let Some(v) = ix.cb[w].get(t).copied().flatten() {
                                lp.row(
                                    format!("milestone_{tag}_{j}_{}", clean(&c.streams[w].name)),
                                    Group::Contract,
                                    Some(t),
                                    vec![(v, 1.0)],
                                    Sense::Ge,
                                    c.streams[w].backlog_work,
                                );
                            }
                        }
                        if let Some(n) = ms.items {
                            let (v, constant) = items_by(t);
                            lp.row(
                                format!("milestone_{tag}_{j}_items"),
                                Group::Contract,
                                Some(t),
                                v,
                                Sense::Ge,
                                n as f64 - constant,
                            );
                        }
                    }
                    // The quality credit at the plan's expected escape rate.
                    if let Some(max) = k.quality_max_escaped_per_1000 {
                        let (mut items, mut escapes) = (0.0, 0.0);
                        for &w in &scope {
                            let st = &c.streams[w];
                            let n = st.backlog_work / st.work_per_item;
                            items += n;
                            escapes += n * st.escaped_per_item;
                        }
                        if items > 0.0 && 1000.0 * escapes / items > max {
                            consts.push((CostCat::FixedPrice(ch), -k.quality_credit.min(k.fixed_price)));
                        }
                    }
                }
            }

            // The minimum spend: y >= min - payments, y >= 0; the client pays payments + y.
            if k.min_commit_spend > 0.0 {
                let y = lp.var(format!("min_spend_{tag}"), 0.0, f64::INFINITY, false, None);
                let mut row = vec![(y, 1.0)];
                row.extend(seat_terms.iter().copied());
                row.extend(terms.iter().map(|&(_, j, a)| (j, a)));
                row.retain(|e| e.1 != 0.0);
                let constant = seat_const + consts.iter().map(|e| e.1).sum::<f64>();
                lp.row(
                    format!("min_spend_{tag}"),
                    Group::Contract,
                    None,
                    row,
                    Sense::Ge,
                    k.min_commit_spend - constant,
                );
                terms.push((CostCat::Terms(ch), y, 1.0));
            }
            terms.retain(|e| e.2 != 0.0);
            consts.retain(|e| e.1 != 0.0);
            cost_terms.extend(terms);
            cost_constants.extend(consts);
        }
    }
}
