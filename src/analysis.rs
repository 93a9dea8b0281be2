//! From replications to answers: per-metric summaries, paired comparisons
//! between strategies, weekly fans, and closed-form checks of reductions.

use crate::aggregate::Aggregate;
use crate::dist::Dist;
use crate::model::{InterruptPolicy, Model, ScalingPolicy, Structure};
use crate::sim::M;
use crate::stats::{self, Paired, Summary};

/// Confidence level of every interval podsim prints.
pub const LEVEL: f64 = 0.95;

pub use crate::metrics::Better;
use crate::metrics::Format;

/// A headline row of the comparison table: a metric and the statistic
/// shown. Label, unit, direction and format come from the catalogue.
#[derive(Clone, Debug)]
pub struct Headline {
    pub metric: M,
    pub stat: Stat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stat {
    Mean,
    P50,
    P85,
}

/// The rows leadership reads first (issue: comparison table).
pub fn headlines() -> Vec<Headline> {
    use Stat::*;
    [
        (M::FinishWeek, P50),
        (M::FinishWeek, P85),
        (M::CostTotal, Mean),
        (M::CostPerAccepted, Mean),
        (M::DeepFocusPerSeniorWeek, Mean),
        (M::DeepFocusWorstSenior, Mean),
        (M::SeniorInterruptionsPerWeek, Mean),
        (M::EscapedPer1000, Mean),
        (M::DistinctPeople, Mean),
        (M::PeakHeadcount, Mean),
    ]
    .into_iter()
    .map(|(metric, stat)| Headline { metric, stat })
    .collect()
}

impl Headline {
    /// The row label: the metric's short label, with the statistic unless
    /// it is the mean ("Finish week (P85)").
    pub fn label(&self) -> String {
        match self.stat {
            Stat::Mean => self.short_label().to_string(),
            Stat::P50 => format!("{} (P50)", self.short_label()),
            Stat::P85 => format!("{} (P85)", self.short_label()),
        }
    }

    /// The label without the statistic, for rows of paired differences.
    pub fn short_label(&self) -> &'static str {
        if self.metric == M::DistinctPeople {
            // Beside "Peak headcount" the catalogue's label reads like a
            // second headcount; it counts everyone who ever held access.
            return "People ever with access";
        }
        self.metric.info().short
    }

    pub fn better(&self) -> Better {
        self.metric
            .info()
            .better
            .expect("every headline metric has a direction (checked by a test)")
    }

    pub fn format(&self) -> Format {
        self.metric.info().format
    }

    /// Share of replications in which the compared strategy is better.
    pub fn wins(&self, p: &Paired) -> f64 {
        match self.better() {
            Better::Lower => p.share_lower,
            Better::Higher => p.share_higher,
        }
    }
}

impl Stat {
    pub fn of(self, s: &Summary) -> f64 {
        match self {
            Stat::Mean => s.mean,
            Stat::P50 => s.p50,
            Stat::P85 => s.p85,
        }
    }
}

/// Per-strategy summaries of every metric: `metrics[strategy][metric]`.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub metrics: Vec<Vec<Summary>>,
    /// `series[strategy][series][week]` = (mean over all replications; P10,
    /// P50, P90 over the first `KEEP_SERIES` replications).
    pub series: Vec<Vec<Vec<[f64; 4]>>>,
}

pub fn analyse(agg: &Aggregate) -> Analysis {
    let n_metrics = agg.layout.metric_names.len();
    let strategies = agg.strategies.len();
    let metrics = (0..strategies)
        .map(|s| (0..n_metrics).map(|m| Summary::of(agg.column(s, m), LEVEL)).collect())
        .collect();
    let points = agg.points();
    let n = agg.count.max(1) as f64;
    let series = (0..strategies)
        .map(|s| {
            (0..agg.layout.series_names.len())
                .map(|k| {
                    (0..points)
                        .map(|w| {
                            let cell = k * points + w;
                            let mut xs: Vec<f64> = agg.kept[s].iter().map(|(_, v)| v[cell]).collect();
                            xs.sort_by(f64::total_cmp);
                            let mean = agg.series_sum[s][cell].value() / n;
                            [
                                mean,
                                stats::quantile_sorted(&xs, 0.1),
                                stats::quantile_sorted(&xs, 0.5),
                                stats::quantile_sorted(&xs, 0.9),
                            ]
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Analysis { metrics, series }
}

/// Paired difference of strategy `s` against strategy 0 on metric `m`.
pub fn compare(agg: &Aggregate, s: usize, m: usize) -> Paired {
    stats::paired(agg.column(0, m), agg.column(s, m), LEVEL)
}

/// Share of replications that did not finish by the horizon (0 without a backlog).
pub fn unfinished_share(agg: &Aggregate, s: usize) -> f64 {
    let c = agg.column(s, M::Censored as usize);
    if c.is_empty() {
        return 0.0;
    }
    c.iter().filter(|&&x| x >= 0.5).count() as f64 / c.len() as f64
}

/// Share of replications finished by `deadline_weeks` (unfinished ones never
/// are); `None` when the scenario has no backlog to finish.
pub fn on_time_share(agg: &Aggregate, s: usize, deadline_weeks: f64) -> Option<f64> {
    let weeks = agg.column(s, M::FinishWeek as usize);
    let censored = agg.column(s, M::Censored as usize);
    let valid = weeks.iter().filter(|w| !w.is_nan()).count();
    if valid == 0 {
        return None;
    }
    let ok = weeks
        .iter()
        .zip(censored)
        .filter(|(w, c)| !w.is_nan() && **w <= deadline_weeks + 1e-9 && **c < 0.5)
        .count();
    Some(ok as f64 / valid as f64)
}

/// A headline row of strategy `s` against strategy 0, as a reader needs it:
/// the paired difference, wins and ties counted apart, and whether
/// unfinished replications make the difference meaningless (finish week) or
/// a cost of unfinished work (costs).
#[derive(Clone, Debug)]
pub struct Contrast {
    pub paired: Paired,
    /// Share of replications in which `s` is better.
    pub wins: f64,
    /// Share of replications in which both are equal.
    pub ties: f64,
    /// Shares of replications not finished by the horizon, (strategy 0, `s`),
    /// when either is above zero.
    pub unfinished: Option<(f64, f64)>,
}

impl Contrast {
    /// Whether the mean difference should not be shown as a number: an
    /// unfinished replication's finish week is only the horizon, so a week
    /// difference against it measures the horizon, not the strategy.
    pub fn difference_is_censored(&self, metric: M) -> bool {
        metric == M::FinishWeek && self.unfinished.is_some()
    }

    /// Whether a cost covers work left unfinished in some replications.
    pub fn covers_unfinished_work(&self, metric: M) -> bool {
        matches!(metric, M::CostTotal | M::CostPerAccepted) && self.unfinished.is_some()
    }
}

pub fn contrast(agg: &Aggregate, s: usize, h: &Headline) -> Contrast {
    let paired = compare(agg, s, h.metric as usize);
    let wins = h.wins(&paired);
    let ties = paired.share_tied();
    let (u0, us) = (unfinished_share(agg, 0), unfinished_share(agg, s));
    Contrast {
        paired,
        wins,
        ties,
        unfinished: (u0 > 0.0 || us > 0.0).then_some((u0, us)),
    }
}

/// Whether every headline metric's 95 % CI half-width is within `precision`
/// of its mean (relative), for every strategy. Metrics that are undefined,
/// constant, or zero on average are not judged.
pub fn precise_enough(agg: &Aggregate, precision: f64) -> bool {
    if agg.count < 2 {
        return false;
    }
    (0..agg.strategies.len()).all(|s| {
        // The worst-off senior's deep focus is a minimum over seniors that can
        // sit near zero, where a relative target never settles; the mean deep
        // focus row covers the seniors' time.
        headlines()
            .iter()
            .filter(|h| h.metric != M::DeepFocusWorstSenior)
            .all(|h| {
                let sm = Summary::of(agg.column(s, h.metric as usize), LEVEL);
                if sm.n < 2 || !sm.mean.is_finite() || sm.mean.abs() < 1e-9 || sm.sd == 0.0 {
                    return true;
                }
                sm.half_width() <= precision * sm.mean.abs()
            })
    })
}

/// The parameters of an M/M/c queue when the model is exactly one (MODEL.md §10).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcReduction {
    pub lambda: f64,
    pub mu: f64,
    pub c: u32,
}

/// Recognises the M/M/c reduction: one workstream with Poisson arrivals
/// only (no backlog, no scheduled arrivals) and exponential effort, one static strategy of identical fully productive
/// contributors, and no overhead, questions, defects, reviews, ops requests,
/// attrition or roster changes.
pub fn mmc_reduction(m: &Model) -> Option<MmcReduction> {
    let [w] = m.workstreams.as_slice() else { return None };
    let [s] = m.strategies.as_slice() else { return None };
    let Dist::Exponential { mean } = w.effort else {
        return None;
    };
    let [t] = s.team.as_slice() else { return None };
    let ch = m.channel(t.channel);
    let clean = w.backlog == 0
        // Scheduled arrivals (`arrivals_at_weeks`, a backtest's history) are not a Poisson stream.
        && w.scheduled.is_empty()
        && w.surges.is_empty()
        && w.questions_per_item == 0.0
        && w.defect_rate == 0.0
        && m.overhead.coefficient == 0.0
        && s.structure == Structure::Individual
        && s.interrupt_policy == InterruptPolicy::Immediate
        && s.review_fraction == 0.0
        && s.ops_requests_per_contributor_hour == 0.0
        && s.scaling.policy == ScalingPolicy::Static
        && s.plan.is_empty()
        && t.role == w.skill
        && ch.attrition_per_hour == 0.0
        && ch.productivity == 1.0;
    let lambda = w.arrivals_per_hour;
    let mu = 1.0 / mean;
    (clean && lambda < t.count as f64 * mu).then_some(MmcReduction { lambda, mu, c: t.count })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_headline_has_a_direction_and_a_short_label() {
        for h in headlines() {
            assert!(h.metric.info().better.is_some(), "{}", h.metric.name());
            assert!(h.label().chars().count() < 32, "{}", h.label());
        }
        assert_eq!(headlines()[1].label(), "Finish week (P85)");
    }
}
