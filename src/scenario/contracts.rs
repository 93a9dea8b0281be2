//! `[contract.*]` -> validated [`Contract`]s, and the checks between a
//! contract, the workstreams and the strategies that name it
//! (docs/CONTRACTS.md): per-item prices only for work the provider does,
//! milestones within the horizon, fixed scopes that do not overlap.

use super::raw::*;
use super::schema;
use super::spans::closest;
use super::validate::{channel, check, err, name_of, role, value, within_horizon, FieldPath, Result};
use crate::contract::{Contract, Milestone, Pricing};
use crate::model::*;

/// Every contract of the file, in name order (the order of `[contract.*]`
/// keys, which TOML keeps sorted here).
/// `strategies` are the validated strategies, in the order of the file's.
pub(super) fn contracts(
    raw: &RawScenario,
    workstreams: &[Workstream],
    channels: &[ChannelParams; Channel::COUNT],
    strategies: &[Strategy],
    horizon_weeks: f64,
) -> Result<Vec<Contract>> {
    let mut out = Vec::new();
    for (name, rc) in &raw.contract {
        let cp = FieldPath::root().key("contract").key(name);
        let ch = channel(&cp.key("channel"), &rc.channel)?;
        // The default scope: the work the provider does in the strategies
        // that name the contract.
        let mut served = vec![false; workstreams.len()];
        for (st, rs) in strategies.iter().zip(&raw.strategy) {
            if rs.contracts.iter().any(|n| n == name) {
                let skills = served_skills(st, ch);
                for (w, ws) in workstreams.iter().enumerate() {
                    served[w] |= skills.contains(&ws.skill);
                }
            }
        }
        out.push(contract(&cp, name, rc, workstreams, channels, &served, horizon_weeks)?);
    }
    Ok(out)
}

fn workstream(path: &FieldPath, name: &str, workstreams: &[Workstream]) -> Result<usize> {
    if let Some(i) = workstreams.iter().position(|w| w.name == name) {
        return Ok(i);
    }
    let hint = closest(name, workstreams.iter().map(|w| w.name.as_str()))
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default();
    err(path, format!("unknown workstream `{name}`{hint}"))
}

fn only_with(path: &FieldPath, set: bool, pricing: Pricing, needs: Pricing) -> Result<()> {
    if set && pricing != needs {
        return err(
            path,
            format!(
                "only used with pricing = \"{}\" (this contract is \"{}\")",
                needs.name(),
                pricing.name()
            ),
        );
    }
    Ok(())
}

fn contract(
    cp: &FieldPath,
    name: &str,
    rc: &RawContract,
    workstreams: &[Workstream],
    channels: &[ChannelParams; Channel::COUNT],
    served: &[bool],
    horizon_weeks: f64,
) -> Result<Contract> {
    let ch = channel(&cp.key("channel"), &rc.channel)?;
    let pricing = name_of(
        &cp.key("pricing"),
        rc.pricing.as_deref().unwrap_or("time_and_materials"),
        "pricing",
        &[Pricing::TimeAndMaterials, Pricing::PerItem, Pricing::Fixed],
        Pricing::name,
    )?;
    let mut internal_rate = channels[ch.index()].rate;
    for (role_name, &r) in &rc.internal_rates {
        let rp = cp.key("internal_rates").key(role_name);
        let role = role(&rp, role_name)?;
        internal_rate[role.index()] = check(&rp, &schema::CT_INTERNAL_RATES, r)?;
    }
    use Pricing::*;
    only_with(
        &cp.key("price_per_item"),
        !rc.price_per_item.is_empty(),
        pricing,
        PerItem,
    )?;
    only_with(
        &cp.key("clawback_per_escape"),
        rc.clawback_per_escape.is_some(),
        pricing,
        PerItem,
    )?;
    for (set, key) in [
        (rc.fixed_price.is_some(), "fixed_price"),
        (rc.scope.is_some(), "scope"),
        (rc.scope_items.is_some(), "scope_items"),
        (!rc.milestones.is_empty(), "milestones"),
        (rc.credit_per_week_late.is_some(), "credit_per_week_late"),
        (
            rc.quality_max_escaped_per_1000.is_some(),
            "quality_max_escaped_per_1000",
        ),
        (rc.quality_credit.is_some(), "quality_credit"),
        (rc.change_order_per_item.is_some(), "change_order_per_item"),
    ] {
        only_with(&cp.key(key), set, pricing, Fixed)?;
    }
    for (set, key) in [
        (rc.min_commit_weeks.is_some(), "min_commit_weeks"),
        (rc.notice_weeks.is_some(), "notice_weeks"),
    ] {
        if set && pricing != TimeAndMaterials {
            return err(
                &cp.key(key),
                format!(
                    "only used with pricing = \"time_and_materials\": a {} contract does not pay for seats (use `min_commit_spend` for a minimum)",
                    pricing.label()
                ),
            );
        }
    }

    let mut price_per_item = vec![None; workstreams.len()];
    for (ws_name, &price) in &rc.price_per_item {
        let pp = cp.key("price_per_item").key(ws_name);
        let w = workstream(&pp, ws_name, workstreams)?;
        price_per_item[w] = Some(check(&pp, &schema::CT_PRICE_PER_ITEM, price)?);
    }
    let fixed_price = match (pricing, rc.fixed_price) {
        (Fixed, None) => return err(cp, format!("contract \"{name}\" is a fixed price: give `fixed_price`")),
        (_, p) => check(&cp.key("fixed_price"), &schema::CT_FIXED_PRICE, p.unwrap_or(0.0))?,
    };
    let mut scope = if rc.scope.is_none() {
        served.to_vec()
    } else {
        vec![false; workstreams.len()]
    };
    for (j, ws_name) in rc.scope.iter().flatten().enumerate() {
        let sp = cp.key("scope").index(j);
        let w = workstream(&sp, ws_name, workstreams)?;
        if scope[w] {
            return err(&sp, format!("workstream \"{ws_name}\" is listed twice in the scope"));
        }
        scope[w] = true;
    }
    let scope_items = rc.scope_items.unwrap_or_else(|| {
        workstreams
            .iter()
            .zip(&scope)
            .filter(|(_, &s)| s)
            .map(|(w, _)| w.backlog as u64)
            .sum()
    });
    check(&cp.key("scope_items"), &schema::CT_SCOPE_ITEMS, scope_items as f64)?;
    let mut milestones = Vec::new();
    for (j, m) in rc.milestones.iter().enumerate() {
        let mp = cp.key("milestones").index(j);
        let week = within_horizon(&mp.key("week"), &schema::CT_MILESTONE_WEEK, m.week, horizon_weeks)?;
        if let Some(n) = m.items {
            check(&mp.key("items"), &schema::CT_MILESTONE_ITEMS, n as f64)?;
        }
        let mut ws = Vec::new();
        for (k, ws_name) in m.workstreams.iter().enumerate() {
            let wp = mp.key("workstreams").index(k);
            let w = workstream(&wp, ws_name, workstreams)?;
            if !scope[w] {
                return err(&wp, format!("workstream \"{ws_name}\" is not in the contract's scope"));
            }
            if workstreams[w].backlog == 0 {
                return err(
                    &wp,
                    format!("workstream \"{ws_name}\" has no backlog, so it is never done; use `items`"),
                );
            }
            ws.push(w);
        }
        if m.items.is_none() && ws.is_empty() {
            // The whole scope's backlog.
            ws = (0..workstreams.len())
                .filter(|&w| scope[w] && workstreams[w].backlog > 0)
                .collect();
            if ws.is_empty() {
                return err(&mp, "the scope has no backlog to finish; give the milestone `items`");
            }
        }
        milestones.push(Milestone {
            due_hours: week * HOURS_PER_WEEK,
            items: m.items,
            workstreams: ws,
        });
    }
    let horizon = |key: &str, f: &schema::Field, v: Option<f64>| -> Result<f64> {
        let x = value(&cp.key(key), f, v)?;
        within_horizon(&cp.key(key), f, x, horizon_weeks)
    };
    Ok(Contract {
        name: name.to_string(),
        channel: ch,
        pricing,
        internal_rate,
        price_per_item,
        clawback_per_escape: value(
            &cp.key("clawback_per_escape"),
            &schema::CT_CLAWBACK,
            rc.clawback_per_escape,
        )?,
        fixed_price,
        scope,
        scope_items,
        milestones,
        credit_per_week_late: value(
            &cp.key("credit_per_week_late"),
            &schema::CT_CREDIT_LATE,
            rc.credit_per_week_late,
        )?,
        quality_max_escaped_per_1000: match rc.quality_max_escaped_per_1000 {
            Some(q) => Some(check(
                &cp.key("quality_max_escaped_per_1000"),
                &schema::CT_QUALITY_MAX,
                q,
            )?),
            None => None,
        },
        quality_credit: value(&cp.key("quality_credit"), &schema::CT_QUALITY_CREDIT, rc.quality_credit)?,
        change_order_per_item: value(
            &cp.key("change_order_per_item"),
            &schema::CT_CHANGE_ORDER,
            rc.change_order_per_item,
        )?,
        min_commit_hours: horizon("min_commit_weeks", &schema::CT_MIN_WEEKS, rc.min_commit_weeks)? * HOURS_PER_WEEK,
        min_commit_spend: value(&cp.key("min_commit_spend"), &schema::CT_MIN_SPEND, rc.min_commit_spend)?,
        notice_hours: horizon("notice_weeks", &schema::CT_NOTICE, rc.notice_weeks)? * HOURS_PER_WEEK,
        onboarding_per_person: value(
            &cp.key("onboarding_per_person"),
            &schema::CT_ONBOARD_PERSON,
            rc.onboarding_per_person,
        )?,
        onboarding_per_pod: value(
            &cp.key("onboarding_per_pod"),
            &schema::CT_ONBOARD_POD,
            rc.onboarding_per_pod,
        )?,
    })
}

/// Skills a strategy may staff through `channel`: its team and plan entries
/// of that channel, hiring through it, the bench under `elastic_bench`.
fn served_skills(st: &Strategy, channel: Channel) -> Vec<Role> {
    let scaled = match st.scaling.policy {
        ScalingPolicy::Hiring => st.scaling.hire_channel == channel,
        ScalingPolicy::ElasticBench => channel == Channel::Bench,
        ScalingPolicy::Static => false,
    };
    Role::SKILLS
        .into_iter()
        .filter(|&r| {
            scaled
                || st
                    .team
                    .iter()
                    .any(|t| t.role == r && t.channel == channel && t.count > 0)
                || st
                    .plan
                    .iter()
                    .any(|c| c.role == r && c.channel == channel && c.count > 0)
        })
        .collect()
}

/// A strategy's `contracts`: one per channel, names that exist, per-item
/// prices for exactly the work the provider does, fixed scopes of work the
/// provider does and that do not overlap. Returns the contract index per
/// channel.
pub(super) fn strategy_terms(
    p: &FieldPath,
    names: &[String],
    st: &Strategy,
    contracts: &[Contract],
    workstreams: &[Workstream],
) -> Result<[Option<usize>; Channel::COUNT]> {
    let mut terms: [Option<usize>; Channel::COUNT] = [None; Channel::COUNT];
    let mut claimed: Vec<Option<usize>> = vec![None; workstreams.len()];
    for (j, n) in names.iter().enumerate() {
        let np = p.key("contracts").index(j);
        let Some(k) = contracts.iter().position(|c| &c.name == n) else {
            let hint = closest(n, contracts.iter().map(|c| c.name.as_str()))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return err(&np, format!("no `[contract.{n}]` in this scenario{hint}"));
        };
        let c = &contracts[k];
        let ch = c.channel;
        if let Some(other) = terms[ch.index()] {
            return err(
                &np,
                format!(
                    "contracts \"{}\" and \"{n}\" are both for the {} channel; a strategy has one contract per channel",
                    contracts[other].name,
                    ch.name()
                ),
            );
        }
        terms[ch.index()] = Some(k);
        let skills = served_skills(st, ch);
        let serves = |w: &Workstream| skills.contains(&w.skill);
        let cpath = FieldPath::root().key("contract").key(n);
        match c.pricing {
            Pricing::PerItem => {
                for (w, ws) in workstreams.iter().enumerate() {
                    match (c.price_per_item[w], serves(ws)) {
                        (Some(_), false) => {
                            return err(
                                &cpath.key("price_per_item").key(&ws.name),
                                format!(
                                    "a price per item for workstream \"{}\", but the {} provider does not serve it in strategy \"{}\" (no {} through the {} channel)",
                                    ws.name,
                                    ch.name(),
                                    st.name,
                                    ws.skill.name(),
                                    ch.name()
                                ),
                            );
                        }
                        (None, true) => {
                            return err(
                                &cpath.key("price_per_item"),
                                format!(
                                    "the {} provider serves workstream \"{}\" in strategy \"{}\" but the contract gives it no price per item",
                                    ch.name(),
                                    ws.name,
                                    st.name
                                ),
                            );
                        }
                        _ => {}
                    }
                }
            }
            Pricing::Fixed => {
                for (w, ws) in workstreams.iter().enumerate() {
                    if !contracts[k].scope[w] {
                        continue;
                    }
                    if !serves(ws) {
                        return err(
                            &cpath.key("scope"),
                            format!(
                                "workstream \"{}\" is in the scope, but the {} provider does not serve it in strategy \"{}\" (list the scope of each provider's own work)",
                                ws.name,
                                ch.name(),
                                st.name
                            ),
                        );
                    }
                    if let Some(other) = claimed[w] {
                        return err(
                            &np,
                            format!(
                                "overlapping scopes: workstream \"{}\" is in the scope of both \"{}\" and \"{n}\"",
                                ws.name, contracts[other].name
                            ),
                        );
                    }
                    claimed[w] = Some(k);
                }
            }
            Pricing::TimeAndMaterials => {}
        }
    }
    Ok(terms)
}

/// What the optimiser needs of the base strategy's contracts (docs/OPTIMISER.md,
/// "Contract terms"): a per-item or fixed-price provider is the only channel
/// of every skill it may staff in the plan — the fluid plan does not say
/// whose person does which item, so a skill's work is priced as the
/// provider's — and every workstream of those skills is priced (per item) or
/// in its scope (fixed), so the plan never staffs unpaid work.
pub(super) fn optimiser_terms(
    root: &FieldPath,
    o: &OptimiseSpec,
    st: &Strategy,
    contracts: &[Contract],
    workstreams: &[Workstream],
) -> Result<()> {
    let from_team = o.initial_team == InitialTeam::Strategy;
    let staffs = |r: Role, c: Channel| {
        o.limits(c).staffs(r) || (from_team && st.team.iter().any(|t| t.role == r && t.channel == c && t.count > 0))
    };
    for c in Channel::ALL {
        let Some(k) = st.terms[c.index()].map(|i| &contracts[i]) else {
            continue;
        };
        if k.bills_hours() {
            continue;
        }
        let cpath = FieldPath::root().key("contract").key(&k.name);
        for (w, ws) in workstreams.iter().enumerate() {
            let r = ws.skill;
            if !staffs(r, c) {
                continue;
            }
            if let Some(other) = Channel::ALL.into_iter().find(|&o2| o2 != c && staffs(r, o2)) {
                return err(
                    &root.key("optimise").key("channels").key(other.name()),
                    format!(
                        "the optimiser may staff {} through both the {} channel and the {} provider, which works under contract \"{}\" ({}); the plan does not say whose person does which item, so it cannot price the {} provider's items: set `allowed = false` (or `max_by_role.{} = 0`) here, or plan for a strategy without the contract",
                        r.name(),
                        other.name(),
                        c.name(),
                        k.name,
                        k.pricing.label(),
                        c.name(),
                        r.name()
                    ),
                );
            }
            match k.pricing {
                Pricing::PerItem if k.price_per_item[w].is_none() => {
                    return err(
                        &cpath.key("price_per_item"),
                        format!(
                            "the optimiser may staff {} through the {} provider, but the contract gives workstream \"{}\" no price per item; give one, or set `[optimise.channels.{}] max_by_role.{} = 0`",
                            r.name(),
                            c.name(),
                            ws.name,
                            c.name(),
                            r.name()
                        ),
                    );
                }
                Pricing::Fixed if !k.scope[w] => {
                    return err(
                        &cpath.key("scope"),
                        format!(
                            "the optimiser may staff {} through the {} provider, but workstream \"{}\" is not in the fixed price's scope; add it, or set `[optimise.channels.{}] max_by_role.{} = 0`",
                            r.name(),
                            c.name(),
                            ws.name,
                            c.name(),
                            r.name()
                        ),
                    );
                }
                _ => {}
            }
        }
    }
    Ok(())
}
