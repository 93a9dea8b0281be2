//! Why two strategies differ (MODEL.md §14): the paired difference of a
//! metric split over named mechanisms by exact Shapley values.
//!
//! A *mechanism* is a part of the model that can be switched off in both
//! strategies of a pair (coordination overhead, questions, the quality loop,
//! …). A *coalition* is the set of mechanisms left on. For every coalition
//! both strategies are simulated with common random numbers, so the paired
//! difference `v(S)` of each replication is measured without noise between
//! the two sides. Mechanism `i`'s part is its Shapley value,
//!
//! ```text
//! phi_i = sum over S not containing i of |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S)),
//! ```
//!
//! computed per replication, so the parts plus the *base* part `v(∅)`
//! (roster, rates, productivity and channel quality with every mechanism
//! off) sum exactly to the whole difference `v(all)` in every replication,
//! and each part gets a confidence interval over replications.
//!
//! This module only builds the variant models and does the arithmetic; the
//! Monte Carlo driver simulates the variants and `output` words the result.

use crate::model::{Channel, Groups, Model, Role, ScalingPolicy};
use crate::sim::M;
use crate::stats::Summary;
use std::collections::HashMap;

/// A named part of the model that `explain` can switch off (MODEL.md §14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mechanism {
    Coordination,
    Questions,
    Quality,
    PeopleFlow,
    OpsSupport,
    Governance,
    Pricing,
    Scaling,
}

impl Mechanism {
    pub const ALL: [Mechanism; 8] = [
        Mechanism::Coordination,
        Mechanism::Questions,
        Mechanism::Quality,
        Mechanism::PeopleFlow,
        Mechanism::OpsSupport,
        Mechanism::Governance,
        Mechanism::Pricing,
        Mechanism::Scaling,
    ];

    /// Machine name (explain.csv, `--mechanisms`).
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Coordination => "coordination",
            Mechanism::Questions => "questions",
            Mechanism::Quality => "quality",
            Mechanism::PeopleFlow => "people_flow",
            Mechanism::OpsSupport => "ops_support",
            Mechanism::Governance => "governance",
            Mechanism::Pricing => "pricing",
            Mechanism::Scaling => "scaling",
        }
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Mechanism::Coordination => "coordination overhead",
            Mechanism::Questions => "questions & interruptions",
            Mechanism::Quality => "quality loop",
            Mechanism::PeopleFlow => "people flow",
            Mechanism::OpsSupport => "ops support",
            Mechanism::Governance => "governance & syncs",
            Mechanism::Pricing => "pricing",
            Mechanism::Scaling => "scaling policy",
        }
    }

    pub fn from_name(s: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.name() == s)
    }

    /// Switches this mechanism off in every strategy of `m` (MODEL.md §14's
    /// table). Only model values change, so a switched-off model is still a
    /// valid model and the engine needs no special cases.
    pub fn switch_off(self, m: &mut Model) {
        match self {
            Mechanism::Coordination => {
                m.overhead.coefficient = 0.0;
                m.overhead.hub_hours_per_report_week = 0.0;
            }
            Mechanism::Questions => {
                for w in &mut m.workstreams {
                    w.questions_per_item = 0.0;
                }
            }
            Mechanism::Quality => {
                for w in &mut m.workstreams {
                    w.defect_rate = 0.0;
                }
                for s in &mut m.strategies {
                    s.review_fraction = 0.0;
                }
                // No defects means no escapes; zeroed too so the switched-off
                // model states no price for what it no longer has.
                m.quality.cost_per_escaped_defect = 0.0;
            }
            Mechanism::PeopleFlow => {
                for c in &mut m.channels {
                    c.attrition_per_hour = 0.0;
                    c.handover_loss = 0.0;
                    c.mentor_fte = 0.0;
                }
            }
            Mechanism::OpsSupport => {
                for s in &mut m.strategies {
                    s.ops_requests_per_contributor_hour = 0.0;
                }
            }
            Mechanism::Governance => {
                for s in &mut m.strategies {
                    if let Some(p) = &mut s.pods {
                        p.governance_hours_per_week = 0.0;
                        p.senior_sync_hours_per_week = 0.0;
                    }
                }
            }
            Mechanism::Pricing => {
                // Every seat at the employee rate of its role: no margin,
                // premium or hire cost, so only hours (and so the other
                // mechanisms) make costs differ.
                let employee = m.channel(Channel::Employee).rate;
                for c in &mut m.channels {
                    c.rate = employee;
                    c.hire_cost = 0.0;
                }
                for s in &mut m.strategies {
                    s.scaling.bench_premium = 1.0;
                    s.pod_margin = 0.0;
                    if let Some(p) = &mut s.pods {
                        p.margin = 0.0;
                    }
                }
                // Contract terms are part of the pricing (docs/CONTRACTS.md):
                // every provider by the hour, with no minimum, notice or
                // fees, and its people at the employee rate, so its margin
                // is 0. The contracts stay (the reported metrics are the same).
                for k in &mut m.contracts {
                    k.pricing = crate::contract::Pricing::TimeAndMaterials;
                    k.internal_rate = employee;
                    k.min_commit_hours = 0.0;
                    k.min_commit_spend = 0.0;
                    k.notice_hours = 0.0;
                    k.onboarding_per_person = 0.0;
                    k.onboarding_per_pod = 0.0;
                }
            }
            Mechanism::Scaling => {
                for s in &mut m.strategies {
                    s.scaling.policy = ScalingPolicy::Static;
                }
            }
        }
    }
}

/// The metrics `explain` splits by default: the comparison table's rows
/// that are means (Shapley values split means exactly, not percentiles).
pub const DEFAULT_METRICS: [M; 7] = [
    M::FinishWeek,
    M::CostTotal,
    M::CostPerAccepted,
    M::DeepFocusPerSeniorWeek,
    M::SeniorInterruptionsPerWeek,
    M::EscapedPer1000,
    M::DistinctPeople,
];

/// A set of mechanisms as a bit mask over [`Mechanism::ALL`].
pub type Coalition = u16;

fn bit(m: Mechanism) -> Coalition {
    1 << Mechanism::ALL
        .iter()
        .position(|x| *x == m)
        .expect("every mechanism is in ALL")
}

/// Every simulation `explain` needs for a set of pairs, deduplicated: a
/// variant is a one-strategy model with some mechanisms off.
#[derive(Clone, Debug)]
pub struct Game {
    /// One-strategy models to simulate, each with the same seed and replications.
    pub variants: Vec<Model>,
    pub pairs: Vec<PairGame>,
}

/// The coalitions of one pair and where each side's simulation is.
#[derive(Clone, Debug)]
pub struct PairGame {
    /// Strategy indices in the scenario: the difference is `b - a`.
    pub a: usize,
    pub b: usize,
    /// Mechanisms that change at least one side of the pair; the others are
    /// null players with a Shapley value of exactly 0 and are left out of the game.
    pub active: Vec<Mechanism>,
    /// Mechanisms that change neither side (reported as 0, not simulated).
    pub inert: Vec<Mechanism>,
    /// `variant[c]` = (variant of a, variant of b) for coalition index `c`
    /// (bit j of `c` set = `active[j]` on).
    pub variant: Vec<(usize, usize)>,
}

/// The model of one strategy alone with the mechanisms outside `on` off.
fn variant_model(model: &Model, strategy: usize, on: Coalition) -> Model {
    let mut v = model.clone();
    v.strategies = vec![model.strategies[strategy].clone()];
    v.optimise = None;
    for m in Mechanism::ALL {
        if on & bit(m) == 0 {
            m.switch_off(&mut v);
        }
    }
    v
}

/// A fingerprint of everything in a variant that can change its simulation
/// or its costs: two variants with the same key give identical results
/// (random streams do not depend on the strategy's index or name).
fn key(v: &Model) -> String {
    let mut v = v.clone();
    v.strategies[0].name.clear();
    format!("{v:?}")
}

const ALL_ON: Coalition = (1 << Mechanism::ALL.len()) - 1;

impl Game {
    /// The game for `pairs` (strategy indices, difference `b - a`) over
    /// `mechanisms` (the rest stay on throughout, as in the scenario).
    pub fn new(model: &Model, pairs: &[(usize, usize)], mechanisms: &[Mechanism]) -> Game {
        let mut variants: Vec<Model> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut intern = |v: Model| -> usize {
            let k = key(&v);
            *index.entry(k).or_insert_with(|| {
                variants.push(v);
                variants.len() - 1
            })
        };
        let mut games = Vec::new();
        for &(a, b) in pairs {
            let full_a = key(&variant_model(model, a, ALL_ON));
            let full_b = key(&variant_model(model, b, ALL_ON));
            let (active, inert): (Vec<Mechanism>, Vec<Mechanism>) = mechanisms.iter().partition(|&&m| {
                let off = ALL_ON & !bit(m);
                key(&variant_model(model, a, off)) != full_a || key(&variant_model(model, b, off)) != full_b
            });
            let n = active.len();
            let variant = (0..1usize << n)
                .map(|c| {
                    let mut on = ALL_ON;
                    for (j, m) in active.iter().enumerate() {
                        if c & (1 << j) == 0 {
                            on &= !bit(*m);
                        }
                    }
                    (intern(variant_model(model, a, on)), intern(variant_model(model, b, on)))
                })
                .collect();
            games.push(PairGame {
                a,
                b,
                active,
                inert,
                variant,
            });
        }
        Game { variants, pairs: games }
    }
}

/// One metric's difference for one pair, split into parts.
#[derive(Clone, Debug)]
pub struct Attribution {
    pub a: usize,
    pub b: usize,
    pub metric: M,
    /// The whole paired difference `b - a` with every mechanism on.
    pub total: Summary,
    /// The difference with every (active) mechanism off.
    pub base: Summary,
    /// Each mechanism's Shapley part, active ones first in `Mechanism::ALL`
    /// order, then the inert ones with exactly zero.
    pub parts: Vec<(Mechanism, Summary)>,
    /// Largest |base + sum of parts - total| over replications (rounding only).
    pub max_residual: f64,
}

/// `w[s]` = |S|! (n - |S| - 1)! / n! for |S| = s.
fn shapley_weights(n: usize) -> Vec<f64> {
    let fact = |k: usize| (1..=k).fold(1.0f64, |acc, x| acc * x as f64);
    (0..n).map(|s| fact(s) * fact(n - s - 1) / fact(n)).collect()
}

impl PairGame {
    /// Splits `metric` for this pair. `values[variant][rep]` is the metric in
    /// each replication of each variant (replications in the same order for
    /// every variant: common random numbers make the pairing meaningful).
    pub fn attribute(&self, metric: M, values: &[Vec<f64>], level: f64) -> Attribution {
        let n = self.active.len();
        let reps = values[self.variant[0].0].len();
        let w = shapley_weights(n);
        let v = |c: usize, r: usize| {
            let (va, vb) = self.variant[c];
            values[vb][r] - values[va][r]
        };
        let full = (1usize << n) - 1;
        let mut parts: Vec<Vec<f64>> = vec![Vec::with_capacity(reps); n];
        let mut base = Vec::with_capacity(reps);
        let mut total = Vec::with_capacity(reps);
        let mut max_residual = 0.0f64;
        for r in 0..reps {
            let mut sum = 0.0;
            for (i, part) in parts.iter_mut().enumerate() {
                let mut phi = 0.0;
                for c in 0..=full {
                    if c & (1 << i) == 0 {
                        phi += w[(c as u32).count_ones() as usize] * (v(c | (1 << i), r) - v(c, r));
                    }
                }
                sum += phi;
                part.push(phi);
            }
            let (b0, t) = (v(0, r), v(full, r));
            max_residual = max_residual.max((b0 + sum - t).abs());
            base.push(b0);
            total.push(t);
        }
        let mut out: Vec<(Mechanism, Summary)> = self
            .active
            .iter()
            .zip(&parts)
            .map(|(m, xs)| (*m, Summary::of(xs, level)))
            .collect();
        let zeros = vec![0.0; reps];
        out.extend(self.inert.iter().map(|m| (*m, Summary::of(&zeros, level))));
        Attribution {
            a: self.a,
            b: self.b,
            metric,
            total: Summary::of(&total, level),
            base: Summary::of(&base, level),
            parts: out,
            max_residual,
        }
    }
}

/// The assumptions behind a mechanism in a model, in words, for the
/// headline ("coordination overhead (assumption: c = 0.0006, cap 80 %)").
/// Strategy-level values (channels staffed, pods, review shares, policies)
/// are those of the two strategies `pair` being explained only.
pub fn assumption(m: Mechanism, model: &Model, pair: [usize; 2]) -> String {
    let strategies: Vec<&crate::model::Strategy> = if pair[0] == pair[1] {
        vec![&model.strategies[pair[0]]]
    } else {
        pair.iter().map(|&i| &model.strategies[i]).collect()
    };
    let range = |xs: Vec<f64>, f: &dyn Fn(f64) -> String| -> String {
        let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if xs.is_empty() {
            "none".into()
        } else if (hi - lo).abs() < 1e-12 {
            f(lo)
        } else {
            format!("{}-{}", f(lo), f(hi))
        }
    };
    let num = |x: f64| format!("{}", (x * 1000.0).round() / 1000.0);
    let pct = |x: f64| format!("{} %", (x * 1000.0).round() / 10.0);
    let pods: Vec<_> = strategies.iter().filter_map(|s| s.pods.as_ref()).collect();
    match m {
        Mechanism::Coordination => format!(
            "pairwise overhead c = {}, capped at {}, interdependence {} by skill, hub cost {} h per report-week, groups {}",
            model.overhead.coefficient,
            pct(model.overhead.cap),
            range(model.workstreams.iter().map(|w| w.interdependence).collect(), &num),
            num(model.overhead.hub_hours_per_report_week),
            match model.overhead.groups {
                Groups::Skill => "by skill",
                Groups::All => "all in one",
            }
        ),
        Mechanism::Questions => {
            let q = range(model.workstreams.iter().map(|w| w.questions_per_item).collect(), &num);
            let lead = range(pods.iter().map(|p| p.lead_resolves).collect(), &pct);
            if pods.is_empty() {
                format!("questions per item {q}")
            } else {
                format!("questions per item {q}, pod leads resolve {lead}")
            }
        }
        Mechanism::Quality => {
            let d = range(model.workstreams.iter().map(|w| w.defect_rate).collect(), &pct);
            let r = range(strategies.iter().map(|s| s.review_fraction).collect(), &pct);
            format!("defect rate {d}, reviewed share {r}")
        }
        Mechanism::PeopleFlow => {
            // The hazard as the share of people leaving within a year, and
            // as a mean tenure: the second is what the old default hid.
            let hours_per_year = crate::model::HOURS_PER_WEEK * 52.0;
            let parts: Vec<String> = used_channels(&strategies)
                .iter()
                .map(|c| {
                    let h = model.channel(*c).attrition_per_hour;
                    if h <= 0.0 {
                        format!("{} attrition 0", c.name())
                    } else {
                        format!(
                            "{} attrition {}/yr, mean tenure {} weeks",
                            c.name(),
                            pct(1.0 - (-h * hours_per_year).exp()),
                            num((1.0 / (h * crate::model::HOURS_PER_WEEK) * 10.0).round() / 10.0)
                        )
                    }
                })
                .collect();
            parts.join(", ")
        }
        Mechanism::OpsSupport => format!(
            "{} ops requests per contributor-week",
            range(
                strategies
                    .iter()
                    .map(|s| s.ops_requests_per_contributor_hour * crate::model::HOURS_PER_WEEK)
                    .collect(),
                &num
            )
        ),
        Mechanism::Governance => format!(
            "governance {} h/lead/week, pod syncs {} h/pod/week",
            range(pods.iter().map(|p| p.governance_hours_per_week).collect(), &num),
            range(pods.iter().map(|p| p.senior_sync_hours_per_week).collect(), &num)
        ),
        Mechanism::Pricing => {
            let margin = range(pods.iter().map(|p| p.margin).collect(), &pct);
            let used = used_channels(&strategies);
            let rates: Vec<String> = used
                .iter()
                .filter(|c| **c != Channel::Employee)
                .map(|c| {
                    let dom = model.channel(*c).rate[Role::DomainExpert.index()];
                    format!("{} domain expert ${}/h", c.name(), num(dom))
                })
                .collect();
            let mut s = format!("pod margin {margin}");
            if !rates.is_empty() {
                s.push_str(", ");
                s.push_str(&rates.join(", "));
            }
            let terms: Vec<String> = strategies
                .iter()
                .flat_map(|st| Channel::ALL.map(|c| st.contract(model, c)))
                .flatten()
                .map(|k| format!("{} {} ({})", k.name, k.pricing.label(), k.channel.name()))
                .collect();
            if !terms.is_empty() {
                s.push_str(", contracts: ");
                s.push_str(&terms.join(", "));
            }
            s
        }
        Mechanism::Scaling => {
            let p: Vec<&str> = strategies.iter().map(|s| s.scaling.policy.name()).collect();
            format!("policies: {}", p.join(", "))
        }
    }
}

/// Channels that these strategies staff from (team, hiring, bench), in
/// `Channel` order.
fn used_channels(strategies: &[&crate::model::Strategy]) -> Vec<Channel> {
    let mut used: Vec<Channel> = strategies
        .iter()
        .flat_map(|s| {
            let scaled = match s.scaling.policy {
                crate::model::ScalingPolicy::Static => None,
                crate::model::ScalingPolicy::Hiring => Some(s.scaling.hire_channel),
                crate::model::ScalingPolicy::ElasticBench => Some(Channel::Bench),
            };
            let leads = s.pods.as_ref().map(|p| p.lead_channel);
            s.team.iter().map(|t| t.channel).chain(scaled).chain(leads)
        })
        .collect();
    used.sort();
    used.dedup();
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_flow_names_only_the_channels_of_the_pair_explained() {
        let text = r#"name = "three"
horizon_weeks = 10
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = 10
effort_hours = { dist = "fixed", value = 1.0 }
[seniors]
count = 1
[[strategy]]
name = "employees"
structure = "individual"
team = [{ role = "domain_expert", channel = "employee", count = 2 }]
[[strategy]]
name = "freelancers"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 2 }]
[[strategy]]
name = "pods"
structure = "pods"
team = [{ role = "domain_expert", channel = "pod", count = 2 }]
"#;
        let model = crate::scenario::parse_str(text, "three.toml").unwrap();
        let words = assumption(Mechanism::PeopleFlow, &model, [0, 1]);
        assert!(words.contains("employee") && words.contains("freelancer"), "{words}");
        assert!(!words.contains("pod"), "{words}");
        let words = assumption(Mechanism::PeopleFlow, &model, [0, 2]);
        assert!(words.contains("pod") && !words.contains("freelancer"), "{words}");
    }

    #[test]
    fn weights_sum_to_one_over_orders() {
        // For each mechanism, sum over coalitions without it of w(|S|) = 1.
        for n in 1..=8usize {
            let w = shapley_weights(n);
            let total: f64 = (0..n).map(|s| w[s] * binomial(n - 1, s)).sum();
            assert!((total - 1.0).abs() < 1e-12, "n = {n}: {total}");
        }
    }

    fn binomial(n: usize, k: usize) -> f64 {
        (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
    }

    #[test]
    fn additive_game_gives_each_player_its_own_effect() {
        // v(S) = sum of the effects of the players in S: Shapley = the effect.
        let effects = [3.0, -1.0, 0.5];
        let n = effects.len();
        let g = PairGame {
            a: 0,
            b: 1,
            active: vec![Mechanism::Coordination, Mechanism::Questions, Mechanism::Quality],
            inert: vec![Mechanism::Scaling],
            variant: (0..1usize << n).map(|c| (0, 1 + c)).collect(),
        };
        let mut values = vec![vec![10.0]];
        for c in 0..1usize << n {
            let v: f64 = (0..n).filter(|i| c & (1 << i) != 0).map(|i| effects[i]).sum();
            values.push(vec![10.0 + 2.0 + v]); // base difference 2
        }
        let att = g.attribute(M::CostTotal, &values, 0.95);
        assert!((att.base.mean - 2.0).abs() < 1e-12);
        for (i, (_, s)) in att.parts.iter().take(n).enumerate() {
            assert!((s.mean - effects[i]).abs() < 1e-12, "{i}: {}", s.mean);
        }
        assert_eq!(att.parts[n].1.mean, 0.0);
        assert!(att.max_residual < 1e-12);
    }

    #[test]
    fn interaction_is_shared_equally() {
        // v(S) = 4 only when both players are on: each gets 2.
        let g = PairGame {
            a: 0,
            b: 1,
            active: vec![Mechanism::Coordination, Mechanism::Questions],
            inert: vec![],
            variant: (0..4).map(|c| (0, 1 + c)).collect(),
        };
        let values = vec![vec![0.0], vec![0.0], vec![0.0], vec![0.0], vec![4.0]];
        let att = g.attribute(M::CostTotal, &values, 0.95);
        assert!((att.parts[0].1.mean - 2.0).abs() < 1e-12);
        assert!((att.parts[1].1.mean - 2.0).abs() < 1e-12);
    }
}
