//! Coefficients of the optimiser, derived from the same `Model` parameters the
//! simulator uses (one source of truth). docs/OPTIMISER.md §3 states each
//! derivation; the comments here name the simulator behaviour they mirror.
//!
//! Units: effort hours (hands-on hours at productivity 1), working hours,
//! USD. A *seat* is one planned position; the person in it may leave by
//! attrition and be replaced after the channel's lead time, exactly as the
//! simulator backfills leavers.

use crate::contract::Contract;
use crate::model::*;

/// One planning period `[start, end)` in working hours from week 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Period {
    pub index: usize,
    pub start: f64,
    pub end: f64,
}

impl Period {
    pub fn hours(&self) -> f64 {
        self.end - self.start
    }
    pub fn weeks(&self) -> f64 {
        self.hours() / HOURS_PER_WEEK
    }
}

/// Periods of `period_hours` from week 0 to `deadline`; the last one is cut at the deadline.
pub fn periods(deadline: f64, period_hours: f64) -> Vec<Period> {
    let n = ((deadline / period_hours) - 1e-9).ceil().max(1.0) as usize;
    (0..n)
        .map(|i| Period {
            index: i,
            start: i as f64 * period_hours,
            end: ((i + 1) as f64 * period_hours).min(deadline),
        })
        .collect()
}

/// What one seat of (role, channel) gives and costs.
#[derive(Clone, Debug, PartialEq)]
pub struct Seat {
    pub allowed: bool,
    /// Whole people (`integer = true` and the channel not part-time).
    pub integer: bool,
    /// Effort hours per seat-hour before coordination overhead: productivity x
    /// share of time the seat is filled x (1 - ramp and handover losses of replacements).
    pub effective: f64,
    pub productivity: f64,
    /// USD per seat-hour: pay (with pod margin and bench premium) while filled,
    /// plus hire costs of replacements.
    pub cost_per_hour: f64,
    /// The part of `cost_per_hour` that is pod margin or bench premium.
    pub markup_per_hour: f64,
    /// The part of `cost_per_hour` that is replacement hiring.
    pub rehire_per_hour: f64,
    pub hire_cost: f64,
    /// Distinct people added per seat-hour by attrition replacements.
    pub replacements_per_hour: f64,
    /// Mentor hours (of seniors or pod leads) per seat-hour, from replacements ramping up.
    pub mentor_per_hour: f64,
    /// Earliest time a planned start can join (requested at week 0).
    pub lead_hours: f64,
    pub ramp_start: f64,
    pub ramp_hours: f64,
    pub mentor_fte: f64,
}

impl Seat {
    /// Effort hours lost to the ramp-up of one person joining at `join`, during `[a, b)`
    /// (at productivity 1: multiply by productivity and (1 - overhead)).
    pub fn ramp_loss(&self, join: f64, a: f64, b: f64) -> f64 {
        let (v1, v2) = (
            (a - join).clamp(0.0, self.ramp_hours),
            (b - join).clamp(0.0, self.ramp_hours),
        );
        if v2 <= v1 || self.ramp_hours <= 0.0 {
            return 0.0;
        }
        (1.0 - self.ramp_start) * ((v2 - v1) - (v2 * v2 - v1 * v1) / (2.0 * self.ramp_hours))
    }
    /// Mentor hours one person joining at `join` needs during `[a, b)`.
    pub fn mentoring(&self, join: f64, a: f64, b: f64) -> f64 {
        let (v1, v2) = (
            (a - join).clamp(0.0, self.ramp_hours),
            (b - join).clamp(0.0, self.ramp_hours),
        );
        self.mentor_fte * (v2 - v1).max(0.0)
    }
}

/// A workstream as the fluid model sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    pub ws: usize,
    pub name: String,
    pub skill: Role,
    /// Effort hours of one item including expected rework (caught and escaped defects).
    pub work_per_item: f64,
    /// Escaped defects per accepted item (per-item clawbacks).
    pub escaped_per_item: f64,
    pub backlog_work: f64,
    /// Arrival work that has arrived by the end of each period: expected
    /// Poisson arrivals and scheduled ones (`arrivals_at_weeks`) alike, so a
    /// scheduled item is served within the service time of its arrival.
    pub arrived_by: Vec<f64>,
    /// Arrival work due (arrived at least the service time earlier) by the end of each period.
    pub due_by: Vec<f64>,
    /// Period by whose end the backlog must be done.
    pub due_period: usize,
    /// Contributor hours blocked waiting for answers, per effort hour.
    pub blocked: f64,
    /// Senior hours per effort hour (questions + recovery, reviews, triage).
    pub senior: f64,
    /// Pod-lead hours per effort hour (first-line questions, reviews without data-quality staff).
    pub lead: f64,
    /// Data-quality hours per effort hour for pod reviews.
    pub dq_reviews: f64,
    /// Gates: (index into `Coeffs::streams`, fraction of its backlog).
    pub gates: Vec<(usize, f64)>,
}

impl Stream {
    pub fn items_per_hour(&self) -> f64 {
        1.0 / self.work_per_item
    }
    pub fn has_backlog(&self) -> bool {
        self.backlog_work > 0.0
    }
    pub fn has_arrivals(&self) -> bool {
        self.arrived_by.last().is_some_and(|&a| a > 0.0)
    }
}

/// Pod leads (pods structure only).
#[derive(Clone, Debug, PartialEq)]
pub struct Leads {
    pub channel: Channel,
    pub cost_per_hour: f64,
    pub markup_per_hour: f64,
    pub hire_cost: f64,
    pub replacements_per_hour: f64,
    pub max_members: f64,
    /// Governance hours per lead-hour.
    pub governance: f64,
    /// Senior hours per pod per hour for the weekly sync (with its recovery).
    pub senior_sync: f64,
    /// Leads on board at week 0 (the base strategy's pods), when the team is given.
    pub initial: f64,
}

/// Everything the formulation needs, for one deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Coeffs {
    pub periods: Vec<Period>,
    pub deadline: f64,
    pub structure: Structure,
    /// Roles planned (skills some workstream needs, plus those that absorb pod reviews/ops).
    pub skills: Vec<Role>,
    /// `seat[i][c]` for skill `skills[i]`, channel `Channel::ALL[c]`.
    pub seat: Vec<[Seat; Channel::COUNT]>,
    pub streams: Vec<Stream>,
    pub seniors: f64,
    pub senior_rate: f64,
    /// Senior hours per hour that do not depend on the plan (review-block and escalation recoveries).
    pub senior_fixed: f64,
    /// Senior hours per contributor seat-hour (ops requests, individual structure).
    pub senior_per_seat: f64,
    /// Ops-specialist effort hours per contributor seat-hour (pods with ops staff).
    pub ops_per_seat: f64,
    /// Lead hours per contributor seat-hour (ops requests in pods without ops staff).
    pub lead_per_seat: f64,
    /// Whether newcomers are mentored by seniors (individual) or pod leads (pods).
    pub mentor_by_seniors: bool,
    pub leads: Option<Leads>,
    pub overhead: Overhead,
    /// Interdependence of the work by role and overall (MODEL.md §5), as the simulator weighs it.
    pub interdependence: Interdependence,
    /// Week-0 roster by skill and channel (fixed when the team comes from the strategy).
    pub initial: Vec<[f64; Channel::COUNT]>,
    /// The terms each channel's provider works under in the base strategy
    /// (docs/CONTRACTS.md); `None`: by the hour, as without a contract.
    pub contracts: [Option<Contract>; Channel::COUNT],
}

impl Coeffs {
    pub fn skill_index(&self, r: Role) -> Option<usize> {
        self.skills.iter().position(|&s| s == r)
    }
    /// The contract of channel `ci` (`Channel::ALL` order), if any.
    pub fn contract(&self, ci: usize) -> Option<&Contract> {
        self.contracts[ci].as_ref()
    }
}

/// Whether the client pays `channel`'s seats by the hour (no contract, or
/// time and materials): under per-item and fixed prices the provider pays its
/// people and the client pays the outcome (docs/OPTIMISER.md, contract terms).
fn client_pays_seats(m: &Model, st: &Strategy, channel: Channel) -> bool {
    st.contract(m, channel).is_none_or(Contract::bills_hours)
}

/// Derives the coefficients for `deadline` (hours) from the model and its `[optimise]` spec.
pub fn derive(m: &Model, spec: &OptimiseSpec, deadline: f64) -> Coeffs {
    let st = &m.strategies[spec.strategy];
    let periods = periods(deadline, spec.period.hours());
    let pods = st.structure == Structure::Pods;
    let q = &m.quality;
    let handling = m.seniors.handling.mean();
    let resume = m.seniors.resume_hours;
    let seniors = m.seniors.count as f64;
    let immediate = matches!(st.interrupt_policy, InterruptPolicy::Immediate);

    // Roles: every skill a workstream needs; in pods, reviews go to data-quality
    // specialists and ops requests to ops specialists when the plan has them
    // (the simulator routes them so whenever one is on the roster), else to the lead.
    // Roles already on the team are planned too (they may be kept or released).
    let mut skills: Vec<Role> = Role::SKILLS
        .into_iter()
        .filter(|r| {
            m.workstreams.iter().any(|w| w.skill == *r)
                || (spec.initial_team == InitialTeam::Strategy && st.team.iter().any(|t| t.role == *r && t.count > 0))
        })
        .collect();
    let reviews_to_dq = pods && skills.contains(&Role::DataQuality);
    let ops_to_ops = pods && skills.contains(&Role::Ops);
    skills.sort();

    // Mean item effort per skill (for the handover loss of a leaver's item in hand).
    let mean_effort = |r: Role| {
        let (mut e, mut n) = (0.0, 0.0);
        for w in m.workstreams.iter().filter(|w| w.skill == r) {
            let items = w.backlog as f64 + w.expected_items_arriving(0.0, deadline);
            e += items * w.effort.mean();
            n += items;
        }
        if n > 0.0 {
            e / n
        } else {
            0.0
        }
    };
    let seat = skills
        .iter()
        .map(|&r| {
            Channel::ALL.map(|c| {
                let cp = m.channel(c);
                let lim = spec.limits(c);
                let h = cp.attrition_per_hour;
                // Share of time a seat is filled: a leaver is replaced after the lead time.
                let filled = 1.0 / (1.0 + h * cp.lead_hours);
                // Per filled hour, replacements arrive at rate h; each loses half the ramp
                // (linear ramp from ramp_start) and `handover_loss` of half an item.
                let ramp_loss = (1.0 - cp.ramp_start) * cp.ramp_hours / 2.0;
                let handover = cp.handover_loss * mean_effort(r) / 2.0;
                let effective = (filled * (cp.productivity * (1.0 - h * ramp_loss) - h * handover)).max(0.0);
                let base = cp.rate[r.index()];
                // Under a per-item or fixed price the seats (and their hiring)
                // are the provider's cost, not the client's.
                let billed = client_pays_seats(m, st, c);
                let (pay, base, hire_cost) = if billed {
                    (st.seat_rate(m, r, c), base, cp.hire_cost)
                } else {
                    (0.0, 0.0, 0.0)
                };
                let rehire = filled * h * hire_cost;
                Seat {
                    allowed: lim.staffs(r),
                    // Whole people unless the channel allows part-time (`part_time = true`).
                    integer: spec.integer && !cp.part_time,
                    effective,
                    productivity: cp.productivity,
                    cost_per_hour: filled * pay + rehire,
                    markup_per_hour: filled * (pay - base),
                    rehire_per_hour: rehire,
                    hire_cost,
                    replacements_per_hour: filled * h,
                    mentor_per_hour: filled * h * cp.mentor_fte * cp.ramp_hours,
                    lead_hours: cp.lead_hours,
                    ramp_start: cp.ramp_start,
                    ramp_hours: cp.ramp_hours,
                    mentor_fte: cp.mentor_fte,
                }
            })
        })
        .collect();

    // Work. Rework per item: caught defects (reviewed and detected) redo
    // `rework_fraction`; escapes redo everything after being found. The defect
    // rate uses the highest quality factor of the allowed channels (conservative).
    let qf = Channel::ALL
        .iter()
        .filter(|c| spec.limits(**c).allowed)
        .map(|c| m.channel(*c).quality_factor)
        .fold(0.0, f64::max);
    let service = spec.arrival_service_hours;
    let mut streams: Vec<Stream> = m
        .workstreams
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let d = (w.defect_rate * qf).min(1.0);
            let caught = d * st.review_fraction * q.detect_prob;
            let escaped = d - caught;
            let work_per_item = w.effort.mean() * (1.0 + caught * q.rework_fraction + escaped);
            let escaped_per_item = escaped;
            let per_hour = 1.0 / work_per_item;
            let arrived_by = periods
                .iter()
                .map(|p| w.expected_items_arriving(0.0, p.end) * work_per_item)
                .collect();
            let due_by = periods
                .iter()
                .map(|p| w.expected_items_arriving(0.0, (p.end - service).max(0.0)) * work_per_item)
                .collect();
            let stream_deadline = w.deadline_hours.unwrap_or(deadline).min(deadline);
            let due_period = periods
                .iter()
                .position(|p| p.end >= stream_deadline - 1e-9)
                .unwrap_or(periods.len() - 1);
            let triage = if q.triage_hours > 0.0 {
                q.triage_hours + resume
            } else {
                0.0
            };
            let (blocked, senior, lead, dq_reviews);
            if pods {
                // Every question goes to the pod lead first (the contributor waits for
                // the lead's answer); the share the lead cannot resolve is parked and
                // answered by a senior at the next escalation sync.
                let lr = st.pods.as_ref().map_or(0.85, |p| p.lead_resolves);
                blocked = w.questions_per_item * handling * per_hour;
                senior = per_hour * (w.questions_per_item * (1.0 - lr) * handling + escaped * triage);
                let review = st.review_fraction * st.review_hours;
                lead = per_hour * (w.questions_per_item * handling + if reviews_to_dq { 0.0 } else { review });
                dq_reviews = if reviews_to_dq { per_hour * review } else { 0.0 };
            } else {
                // Immediate: the contributor is blocked while a senior answers, and the
                // senior needs `resume_minutes` to recover. Office hours: parked, one
                // recovery per block (in `senior_fixed`).
                blocked = if immediate {
                    w.questions_per_item * handling * per_hour
                } else {
                    0.0
                };
                let recover = if immediate { resume } else { 0.0 };
                senior = per_hour
                    * (w.questions_per_item * (handling + recover)
                        + st.review_fraction * st.review_hours
                        + escaped * triage);
                lead = 0.0;
                dq_reviews = 0.0;
            }
            Stream {
                ws: i,
                name: w.name.clone(),
                skill: w.skill,
                work_per_item,
                escaped_per_item,
                backlog_work: w.backlog as f64 * work_per_item,
                arrived_by,
                due_by,
                due_period,
                blocked,
                senior,
                lead,
                dq_reviews,
                gates: Vec::new(),
            }
        })
        .collect();
    for (i, w) in m.workstreams.iter().enumerate() {
        streams[i].gates = w.after.iter().map(|g| (g.stream, g.fraction)).collect();
    }

    // Senior time that does not scale with the plan: one review block per senior
    // per day (individual, each followed by a recovery); one escalation sync per
    // interval (pods) or office-hours block, each followed by one recovery.
    let senior_fixed = if seniors == 0.0 {
        0.0
    } else if pods {
        st.pods.as_ref().map_or(0.0, |p| resume / p.escalation_every_hours)
    } else {
        let reviews = if st.review_fraction > 0.0 {
            seniors * resume / HOURS_PER_DAY
        } else {
            0.0
        };
        let office = match st.interrupt_policy {
            InterruptPolicy::OfficeHours { every_hours } => resume / every_hours,
            InterruptPolicy::Immediate => 0.0,
        };
        reviews + office
    };
    let ops_rate = st.ops_requests_per_contributor_hour;
    let (senior_per_seat, ops_per_seat, lead_per_seat) = if pods {
        if ops_to_ops {
            (0.0, ops_rate * st.ops_request_hours, 0.0)
        } else {
            (0.0, 0.0, ops_rate * st.ops_request_hours)
        }
    } else {
        (ops_rate * (st.ops_request_hours + resume), 0.0, 0.0)
    };
    let leads = st.pods.as_ref().map(|p| {
        let c = p.lead_channel;
        let cp = m.channel(c);
        let (base, pay, hire_cost) = if client_pays_seats(m, st, c) {
            (
                cp.rate[Role::PodLead.index()],
                st.seat_rate(m, Role::PodLead, c),
                cp.hire_cost,
            )
        } else {
            (0.0, 0.0, 0.0)
        };
        // A lead who leaves is replaced after the lead time; the simulator keeps the
        // pod answering meanwhile (continuity), so only pay and hiring change.
        let filled = 1.0 / (1.0 + cp.attrition_per_hour * cp.lead_hours);
        let h = cp.attrition_per_hour;
        Leads {
            channel: c,
            cost_per_hour: filled * (pay + h * hire_cost),
            markup_per_hour: filled * (pay - base),
            hire_cost,
            replacements_per_hour: filled * h,
            max_members: p.max_size as f64,
            governance: p.governance_hours_per_week / HOURS_PER_WEEK,
            senior_sync: if seniors > 0.0 && p.senior_sync_hours_per_week > 0.0 {
                (p.senior_sync_hours_per_week + resume) / HOURS_PER_WEEK
            } else {
                0.0
            },
            initial: p.count as f64,
        }
    });
    let initial = skills
        .iter()
        .map(|&r| {
            Channel::ALL.map(|c| {
                st.team
                    .iter()
                    .filter(|t| t.role == r && t.channel == c)
                    .map(|t| t.count as f64)
                    .sum::<f64>()
            })
        })
        .collect();
    Coeffs {
        periods,
        deadline,
        structure: st.structure,
        skills,
        seat,
        streams,
        seniors,
        senior_rate: m.seniors.rate,
        senior_fixed,
        senior_per_seat,
        ops_per_seat,
        lead_per_seat,
        mentor_by_seniors: !pods,
        leads,
        overhead: m.overhead,
        interdependence: m.interdependences(),
        initial,
        contracts: Channel::ALL.map(|c| st.contract(m, c).cloned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history replayed as `arrivals_at_weeks` is work the plan must
    /// serve at its times, not nothing (docs/OPTIMISER.md §3).
    #[test]
    fn scheduled_arrivals_count_as_work_arriving_at_their_times() {
        let text = include_str!("../../scenarios/optimise-staffing.toml");
        let mut m = crate::scenario::parse_str(text, "optimise-staffing.toml").unwrap();
        let spec = m.optimise.clone().unwrap();
        let deadline = spec.deadline_hours;
        let before = derive(&m, &spec, deadline);
        // 30 items in week 2 (hour 80-ish) on the first workstream.
        m.workstreams[0].scheduled = (0..30).map(|i| 80.0 + i as f64 * 0.5).collect();
        let after = derive(&m, &spec, deadline);
        let (b, a) = (&before.streams[0], &after.streams[0]);
        let per_item = a.work_per_item;
        for (t, p) in after.periods.iter().enumerate() {
            let added = a.arrived_by[t] - b.arrived_by[t];
            let expected = if p.end > 95.0 {
                30.0 * per_item
            } else if p.end <= 80.0 {
                0.0
            } else {
                added
            };
            assert!(
                (added - expected).abs() < 1e-9,
                "period {t} (ends {}h): +{added}",
                p.end
            );
        }
        assert!(a.arrived_by.last().unwrap() - b.arrived_by.last().unwrap() > 29.0 * per_item);
        // The other workstreams are untouched.
        assert_eq!(before.streams[1].arrived_by, after.streams[1].arrived_by);
    }
}
