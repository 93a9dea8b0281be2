//! Each strategy in words (team, pods, channels, scaling, interrupt policy)
//! and the assumptions that differ between strategies or drive the result:
//! seat rates by role and channel (contributors' too, not only the seniors'),
//! quality factors, productivity, review shares, tenure, coordination groups
//! and interdependence (issue #14 item 2). Everything here is read from the
//! validated model; nothing is simulated.

use super::{heading, para, strong, text, Block, Inline, Table};
use crate::model::{
    Channel, Groups, InterruptPolicy, Model, Role, ScalingPolicy, Strategy, Structure, HOURS_PER_WEEK, HOURS_PER_YEAR,
};

/// A strategy name as it appears in sentences: “pods + bench”.
pub fn quoted(name: &str) -> String {
    format!("\u{201c}{name}\u{201d}")
}

fn num(x: f64) -> String {
    super::assumptions::num(x)
}

fn money(x: f64) -> String {
    if (x - x.round()).abs() < 0.005 {
        format!("${x:.0}")
    } else {
        format!("${x:.2}")
    }
}

fn role_words(r: Role) -> &'static str {
    match r {
        Role::SeniorMl => "senior ML engineers",
        Role::MlEngineer => "ML engineers",
        Role::DomainExpert => "domain experts",
        Role::DataQuality => "data-quality specialists",
        Role::Ops => "ops specialists",
        Role::PodLead => "pod leads",
    }
}

fn channel_words(c: Channel) -> &'static str {
    match c {
        Channel::Employee => "employees",
        Channel::Freelancer => "freelancers",
        Channel::Pod => "provider (pod) seats",
        Channel::Bench => "bench seats",
    }
}

/// "20 domain experts (provider (pod) seats), 4 data-quality specialists (employees)".
fn team_words(s: &Strategy) -> String {
    if s.team.is_empty() {
        return "no one at the start".into();
    }
    s.team
        .iter()
        .map(|t| format!("{} {} ({})", t.count, role_words(t.role), channel_words(t.channel)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One strategy described in a sentence or three.
pub fn describe(s: &Strategy) -> Vec<Inline> {
    let mut parts = Vec::new();
    match (&s.structure, &s.pods) {
        (Structure::Pods, Some(p)) => parts.push(format!(
            "managed pods: {} pods of {} (at most {}), each with a pod lead ({}) who answers {} % of questions and escalates the rest to the seniors every {} h; \
             {} h/week of pod governance and a {} h/week sync with the seniors per pod{}",
            p.count,
            p.size,
            p.max_size,
            channel_words(p.lead_channel),
            num(100.0 * p.lead_resolves),
            num(p.escalation_every_hours),
            num(p.governance_hours_per_week),
            num(p.senior_sync_hours_per_week),
            if channels_of(s).iter().any(|&(_, c)| matches!(c, Channel::Pod | Channel::Bench)) {
                format!("; provider margin {} % on pod and bench seats", num(100.0 * p.margin))
            } else {
                String::new()
            }
        )),
        _ => parts.push("individual contributors coordinated directly by the seniors".into()),
    }
    parts.push(format!("team: {}", team_words(s)));
    parts.push(match s.interrupt_policy {
        InterruptPolicy::Immediate => "questions interrupt a senior at once".into(),
        InterruptPolicy::OfficeHours { every_hours } => {
            format!("questions wait for office hours every {} h", num(every_hours))
        }
    });
    parts.push(match s.scaling.policy {
        ScalingPolicy::Static => "no scaling (the team stays as planned)".into(),
        ScalingPolicy::Hiring => format!(
            "hires through the {} channel when the deadline forecast slips (reviewed every {} h, at most {} hires)",
            s.scaling.hire_channel.name(),
            num(s.scaling.review_every_hours),
            s.scaling.max_hires
        ),
        ScalingPolicy::ElasticBench => format!(
            "calls up to {} bench specialists when the forecast slips or queues grow, at {} x the pod seat rate, released below {} % load",
            s.scaling.bench_max,
            num(s.scaling.bench_premium),
            num(100.0 * s.scaling.release_below)
        ),
    });
    if !s.plan.is_empty() {
        let changes: Vec<String> = s
            .plan
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} ({}) at week {}",
                    if c.count >= 0 { "+" } else { "−" },
                    c.count.unsigned_abs(),
                    role_words(c.role),
                    channel_words(c.channel),
                    num(c.at_hours / HOURS_PER_WEEK)
                )
            })
            .collect();
        parts.push(format!("planned changes: {}", changes.join(", ")));
    }
    parts.push(format!(
        "reviews {} % of items ({} h each)",
        num(100.0 * s.review_fraction),
        num(s.review_hours)
    ));
    vec![strong(quoted(&s.name)), text(format!(" — {}.", parts.join("; ")))]
}

/// The channels a strategy's people come through (team, plan, pod leads, scaling).
fn channels_of(s: &Strategy) -> Vec<(Role, Channel)> {
    let mut out: Vec<(Role, Channel)> = s.team.iter().map(|t| (t.role, t.channel)).collect();
    out.extend(s.plan.iter().map(|c| (c.role, c.channel)));
    if let Some(p) = &s.pods {
        out.push((Role::PodLead, p.lead_channel));
    }
    let skills: Vec<Role> = s.team.iter().map(|t| t.role).filter(|r| r.is_skill()).collect();
    match s.scaling.policy {
        ScalingPolicy::Hiring => out.extend(skills.iter().map(|&r| (r, s.scaling.hire_channel))),
        ScalingPolicy::ElasticBench => out.extend(skills.iter().map(|&r| (r, Channel::Bench))),
        ScalingPolicy::Static => {}
    }
    out.sort();
    out.dedup();
    out
}

fn tenure(attrition_per_hour: f64) -> String {
    if attrition_per_hour <= 0.0 {
        return "no attrition".into();
    }
    let weeks = 1.0 / (attrition_per_hour * HOURS_PER_WEEK);
    let per_year = 1.0 - (-attrition_per_hour * HOURS_PER_YEAR).exp();
    format!(
        "{} weeks ({} %/yr)",
        num((weeks * 10.0).round() / 10.0),
        num((per_year * 1000.0).round() / 10.0)
    )
}

/// The report's "Strategies" section: each strategy in words, then the seat
/// rates, quality and tenure of every (role, channel) a strategy uses, and
/// the coordination assumptions.
pub fn blocks(m: &Model) -> Vec<Block> {
    let mut out = vec![heading(2, "The strategies")];
    out.push(Block::List(m.strategies.iter().map(describe).collect()));

    out.push(heading(3, "Who is paid what, and how well they work"));
    out.push(para(vec![text(
        "Every role and channel a strategy uses (its team, planned changes, pod leads and the people its scaling brings in), \
         with the hourly seat rate each strategy pays (pod and bench seats include the provider's margin, bench seats the premium), \
         the quality factor (multiplies the defect rate), productivity (multiplies speed) and mean tenure (attrition).",
    )]));
    let mut pairs: Vec<(Role, Channel)> = m.strategies.iter().flat_map(channels_of).collect();
    pairs.push((Role::SeniorMl, Channel::Employee));
    pairs.sort();
    pairs.dedup();
    let mut header = vec![
        "Role".to_string(),
        "Channel".into(),
        "Base rate".into(),
        "Quality factor".into(),
        "Productivity".into(),
        "Mean tenure".into(),
    ];
    header.extend(m.strategies.iter().map(|s| quoted(&s.name)));
    let rows = pairs
        .iter()
        .map(|&(r, c)| {
            let p = m.channel(c);
            let mut row = if r == Role::SeniorMl {
                vec![
                    role_words(r).to_string(),
                    "client".into(),
                    money(m.seniors.rate),
                    "—".into(),
                    "—".into(),
                    "—".into(),
                ]
            } else {
                vec![
                    role_words(r).to_string(),
                    c.name().to_string(),
                    money(p.rate[r.index()]),
                    num(p.quality_factor),
                    num(p.productivity),
                    tenure(p.attrition_per_hour),
                ]
            };
            row.extend(m.strategies.iter().map(|s| {
                if r == Role::SeniorMl {
                    money(m.seniors.rate)
                } else if channels_of(s).contains(&(r, c)) {
                    money(s.seat_rate(m, r, c))
                } else {
                    "—".into()
                }
            }));
            row
        })
        .collect();
    let mut numeric = vec![false, false, true, true, true, false];
    numeric.extend(m.strategies.iter().map(|_| true));
    out.push(Block::Table(Table { header, rows, numeric }));

    out.push(heading(3, "Coordination"));
    let groups = match m.overhead.groups {
        Groups::Skill => {
            "coordination is counted within groups of interdependent people: individual contributors by skill with the seniors as hubs, \
             pods within each pod with its lead, and the pod leads with the seniors"
        }
        Groups::All => "everyone is in one all-to-all coordination group (the Brooks validation setting)",
    };
    out.push(para(vec![text(format!(
        "Pairwise coordination loss per person f(n) = min({}, {} · interdependence · n²) for a group of n; {groups}. \
         A coordinator (senior or pod lead) spends {} h per direct report per week (hub cost).",
        num(m.overhead.cap),
        num(m.overhead.coefficient),
        num(m.overhead.hub_hours_per_report_week)
    ))]));
    // The schedule column only when some workstream has one (a backtest's
    // period scenario), so every other report keeps its table.
    let scheduled = m.workstreams.iter().any(|w| !w.scheduled.is_empty());
    let mut header = vec!["Workstream", "Skill", "Backlog", "Arrivals / week"];
    if scheduled {
        header.push("Scheduled arrivals");
    }
    header.extend(["Interdependence", "Defect rate", "Questions / item"]);
    let rows = m
        .workstreams
        .iter()
        .map(|w| {
            let mut row = vec![
                w.name.clone(),
                role_words(w.skill).to_string(),
                w.backlog.to_string(),
                num(w.arrivals_per_hour * HOURS_PER_WEEK),
            ];
            if scheduled {
                row.push(schedule_words(&w.scheduled));
            }
            row.extend([num(w.interdependence), num(w.defect_rate), num(w.questions_per_item)]);
            row
        })
        .collect();
    let mut numeric = vec![false, false, true, true];
    if scheduled {
        numeric.push(true);
    }
    numeric.extend([true, true, true]);
    out.push(Block::Table(Table {
        header: header.into_iter().map(String::from).collect(),
        rows,
        numeric,
    }));
    out
}

/// "412 in weeks 0.1-29.8": how many items arrive on a schedule, and when.
fn schedule_words(hours: &[f64]) -> String {
    match (hours.first(), hours.last()) {
        (Some(a), Some(b)) => format!(
            "{} in weeks {}-{}",
            hours.len(),
            num(a / HOURS_PER_WEEK),
            num(b / HOURS_PER_WEEK)
        ),
        _ => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let text = include_str!("../../scenarios/pod-vs-individual.toml");
        crate::scenario::parse_str(text, "pod-vs-individual.toml").unwrap()
    }

    #[test]
    fn every_strategy_is_described_with_team_and_policy() {
        let m = model();
        for s in &m.strategies {
            let words: String = describe(s)
                .iter()
                .map(|i| match i {
                    Inline::Text(t) | Inline::Strong(t) | Inline::Code(t) => t.clone(),
                })
                .collect();
            assert!(words.starts_with(&quoted(&s.name)), "{words}");
            assert!(words.contains("team: "), "{words}");
            assert!(words.contains("questions "), "{words}");
            if s.pods.is_some() {
                assert!(words.contains("pods of"), "{words}");
            }
        }
    }

    #[test]
    fn contributor_rates_are_tabled_per_strategy() {
        let m = model();
        let t = table_headed(&m, "Role");
        // More than the seniors' row: contributors' rates are there too.
        assert!(t.rows.len() > 2, "{:?}", t.rows);
        assert!(t.rows.iter().any(|r| r[0] == "domain experts"), "{:?}", t.rows);
        assert_eq!(t.header.len(), 6 + m.strategies.len());
    }

    /// The table of `blocks(m)` whose first column is headed `first`.
    fn table_headed(m: &Model, first: &str) -> Table {
        blocks(m)
            .into_iter()
            .find_map(|b| match b {
                Block::Table(t) if t.header[0] == first => Some(t),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no table headed {first}"))
    }

    #[test]
    fn scheduled_arrivals_get_a_column_only_when_some_workstream_has_them() {
        let mut m = model();
        assert!(!table_headed(&m, "Workstream")
            .header
            .iter()
            .any(|h| h == "Scheduled arrivals"));
        m.workstreams[0].scheduled = vec![4.0, 40.0, 400.0];
        let t = table_headed(&m, "Workstream");
        let col = t.header.iter().position(|h| h == "Scheduled arrivals").expect("column");
        assert_eq!(t.rows[0][col], "3 in weeks 0.1-10");
        assert_eq!(t.rows[1][col], "—");
        assert!(t.rows.iter().all(|r| r.len() == t.header.len()) && t.numeric.len() == t.header.len());
    }
}
