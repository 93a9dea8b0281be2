//! Results over worlds (MODEL.md §15, docs/UNCERTAINTY.md):
//! - per pair of strategies and headline metric, the probability that each
//!   is better over the worlds, beside the CI of the mean difference;
//! - which inputs decide the winner: partial rank correlation (PRCC) of the
//!   paired difference with each input, the other inputs' ranks partialled
//!   out; for the leading inputs, the value where the winner flips, from a
//!   linear fit of the difference on the inputs (others at their means),
//!   with a 90 % bootstrap interval;
//! - the decision value of each strategy (`[decision]`, else minus the
//!   total cost): its distribution, P(best), expected regret; EVPI of the
//!   decision and EVPPI per input by Strong & Oakley's (2014) regression
//!   method.
//!
//! Least squares here are small (a handful of inputs): normal equations
//! solved by Gaussian elimination with partial pivoting, in this file,
//! rather than a linear-algebra crate for one 10 x 10 solve.

use super::Decision;
use crate::aggregate::Aggregate;
use crate::analysis::{headlines, LEVEL};
use crate::metrics::Better;
use crate::sim::rng::mix64;
use crate::sim::M;
use crate::stats::{self, quantile_sorted, Summary};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// How many of the leading inputs get a threshold.
pub const THRESHOLD_INPUTS: usize = 3;
/// Bootstrap resamples behind a threshold's interval.
const BOOTSTRAP: u64 = 200;

/// The world-level facts the decision value needs beyond the metrics.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ValueBasis {
    pub decision: Option<Decision>,
    /// Deadline in weeks (lateness is counted past it).
    pub deadline_weeks: Option<f64>,
    /// Seniors, and weeks over which deep focus is valued.
    pub seniors: f64,
    pub focus_weeks: f64,
}

/// A threshold: where the paired difference crosses zero.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Threshold {
    /// From the linear fit over the worlds (the screen).
    pub at: f64,
    /// 90 % bootstrap interval of the fit's crossing.
    pub low: f64,
    pub high: f64,
    /// "above" or "below": where `b` is the better one.
    pub b_better_when: String,
    /// The crossing re-simulated by the break-even search along this input,
    /// the other inputs at their central values (`uncertainty::refine`);
    /// absent when not refined (a shard's merge without the scenario, or a
    /// threshold nobody reads in words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refined: Option<Refined>,
}

impl Threshold {
    /// What is worded and charted: the refined crossing and its interval
    /// when there is one, else the fit's: (at, low, high).
    pub fn worded(&self) -> (f64, f64, f64) {
        match &self.refined {
            Some(r) => (r.at, r.low, r.high),
            None => (self.at, self.low, self.high),
        }
    }
}

/// A threshold refined by the break-even search (docs/UNCERTAINTY.md).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Refined {
    /// Where the mean paired difference crosses zero.
    pub at: f64,
    /// 90 % interval: the input's values at which the 90 % CI of the mean
    /// difference contains 0 (a test inverted), within the search range.
    pub low: f64,
    pub high: f64,
    /// The interval runs on past that end of the search range.
    pub low_open: bool,
    pub high_open: bool,
    /// The range searched: the middle 90 % of the input's sampled values.
    pub between: (f64, f64),
    /// The other inputs' central values (their distributions' medians).
    pub others: Vec<(String, f64)>,
    /// Replications per evaluation, and evaluations made.
    pub replications: u64,
    pub evaluations: usize,
}

/// One input's part in a pair's difference on one metric.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Driver {
    pub input: String,
    /// 1 = decides most.
    pub rank: usize,
    pub prcc: f64,
    pub threshold: Option<Threshold>,
}

/// Strategy `b` against `a` on one metric over the worlds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct PairMetric {
    pub a: String,
    pub b: String,
    pub metric: String,
    /// "lower" or "higher".
    pub better: String,
    /// b - a: mean and its 95 % CI (simulation noise and worlds together).
    pub mean_diff: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// 5th and 95th percentiles of the difference over worlds (the spread
    /// over what we don't know).
    pub p5_diff: f64,
    pub p95_diff: f64,
    /// Shares of worlds in which each is better (ties in neither).
    pub p_a_better: f64,
    pub p_b_better: f64,
    pub worlds: usize,
    pub drivers: Vec<Driver>,
}

impl PairMetric {
    /// Share of worlds in which the two are equal.
    pub fn p_tie(&self) -> f64 {
        crate::stats::share_tied(self.worlds, self.p_b_better, self.p_a_better)
    }
}

/// One strategy's decision value over the worlds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StrategyValue {
    pub strategy: String,
    pub mean: f64,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub p_best: f64,
    pub expected_regret: f64,
}

/// Value of information about the decision.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Voi {
    /// "decision value" with `[decision]`, else "minus total cost".
    pub value: String,
    pub strategies: Vec<StrategyValue>,
    /// The strategy with the highest expected value.
    pub best: String,
    /// Expected value of perfect information on all declared inputs.
    pub evpi: f64,
    /// Per input, in input order.
    pub evppi: Vec<(String, f64)>,
}

/// Everything computed over the worlds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Results {
    pub worlds: usize,
    pub pairs: Vec<PairMetric>,
    /// Per headline metric, each strategy's share of worlds where it is best.
    pub p_best: Vec<(String, Vec<f64>)>,
    pub voi: Voi,
}

/// The headline metrics, once each (finish week appears as P50 and P85).
pub fn metrics() -> Vec<M> {
    let mut out: Vec<M> = Vec::new();
    for h in headlines() {
        if !out.contains(&h.metric) {
            out.push(h.metric);
        }
    }
    out
}

fn better_of(m: M) -> Better {
    m.info().better.unwrap_or(Better::Lower)
}

/// Average ranks (1-based), ties sharing their mean rank.
pub fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Least squares of `y` on an intercept and `cols`: coefficients
/// (intercept first), or None when the design is singular.
pub fn ols(cols: &[&[f64]], y: &[f64]) -> Option<Vec<f64>> {
    solve(normal_equations(cols, y, 0..y.len()))
}

/// The normal equations `[X'X | X'y]` of `y` on an intercept and `cols`
/// over the rows `rows` (in order; a row given twice counts twice, as in a
/// bootstrap resample), without copying the data.
#[allow(clippy::needless_range_loop)] // index arithmetic of a small dense solve
fn normal_equations(cols: &[&[f64]], y: &[f64], rows: impl Iterator<Item = usize>) -> Vec<Vec<f64>> {
    let k = cols.len() + 1;
    let mut a = vec![vec![0.0; k + 1]; k];
    let mut xi = vec![1.0; k];
    for i in rows {
        for c in 1..k {
            xi[c] = cols[c - 1][i];
        }
        for r in 0..k {
            let xr = xi[r];
            let row = &mut a[r];
            for c in 0..k {
                row[c] += xr * xi[c];
            }
            row[k] += xr * y[i];
        }
    }
    a
}

/// Solves normal equations by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)] // index arithmetic of a small dense solve
fn solve(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
    let k = a.len();
    for col in 0..k {
        let p = (col..k).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        let scale = a.iter().map(|row| row[col].abs()).fold(0.0, f64::max).max(1e-300);
        if a[p][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, p);
        for r in 0..k {
            if r != col {
                let f = a[r][col] / a[col][col];
                if f != 0.0 {
                    for c in col..=k {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
    }
    Some((0..k).map(|r| a[r][k] / a[r][r]).collect())
}

fn residuals(cols: &[&[f64]], y: &[f64]) -> Vec<f64> {
    match ols(cols, y) {
        Some(b) => (0..y.len())
            .map(|i| y[i] - b[0] - cols.iter().enumerate().map(|(c, x)| b[c + 1] * x[i]).sum::<f64>())
            .collect(),
        None => {
            let (m, _) = stats::mean_sd(y);
            y.iter().map(|v| v - m).collect()
        }
    }
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let (ma, sa) = stats::mean_sd(a);
    let (mb, sb) = stats::mean_sd(b);
    if sa == 0.0 || sb == 0.0 || a.len() < 3 {
        return 0.0;
    }
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (a.len() - 1) as f64;
    (cov / (sa * sb)).clamp(-1.0, 1.0)
}

/// Partial rank correlation of `y` with each of `xs`.
pub fn prcc(xs: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let ry = ranks(y);
    let rx: Vec<Vec<f64>> = xs.iter().map(|x| ranks(x)).collect();
    (0..xs.len())
        .map(|j| {
            let others: Vec<&[f64]> = (0..xs.len()).filter(|&k| k != j).map(|k| rx[k].as_slice()).collect();
            correlation(&residuals(&others, &rx[j]), &residuals(&others, &ry))
        })
        .collect()
}

/// Where the linear fit of `y` on `xs` crosses zero in input `j`, the other
/// inputs at their means; None when the slope is zero.
fn crossing(xs: &[Vec<f64>], y: &[f64], j: usize) -> Option<(f64, f64)> {
    crossing_over(xs, y, j, None)
}

/// [`crossing`] on the rows `pick` (a bootstrap resample), or on all rows.
fn crossing_over(xs: &[Vec<f64>], y: &[f64], j: usize, pick: Option<&[usize]>) -> Option<(f64, f64)> {
    let cols: Vec<&[f64]> = xs.iter().map(|x| x.as_slice()).collect();
    let b = match pick {
        None => ols(&cols, y)?,
        Some(p) => solve(normal_equations(&cols, y, p.iter().copied()))?,
    };
    let slope = b[j + 1];
    if slope == 0.0 || !slope.is_finite() {
        return None;
    }
    let mean = |k: usize| match pick {
        None => stats::mean_sd(&xs[k]).0,
        Some(p) => {
            let col: Vec<f64> = p.iter().map(|&i| xs[k][i]).collect();
            stats::mean_sd(&col).0
        }
    };
    let rest: f64 = b[0]
        + (0..xs.len())
            .filter(|&k| k != j)
            .map(|k| b[k + 1] * mean(k))
            .sum::<f64>();
    Some((-rest / slope, slope))
}

/// The threshold of input `j` with a 90 % bootstrap interval (resamples
/// drawn from a fixed stream: the same data always give the same interval).
pub fn threshold(xs: &[Vec<f64>], y: &[f64], j: usize, better: Better) -> Option<Threshold> {
    let (at, slope) = crossing(xs, y, j)?;
    // Only inside the middle 90 % of the sampled values: a crossing in the
    // tails is an extrapolation of the line over a few worlds.
    let mut sorted_x = xs[j].clone();
    sorted_x.sort_by(f64::total_cmp);
    let lo = quantile_sorted(&sorted_x, 0.05);
    let hi = quantile_sorted(&sorted_x, 0.95);
    if !(at > lo && at < hi) {
        return None;
    }
    let n = y.len();
    let mut boot = Vec::with_capacity(BOOTSTRAP as usize);
    for b in 0..BOOTSTRAP {
        let pick: Vec<usize> = (0..n as u64)
            .map(|i| (mix64(mix64(b ^ 0xB007) ^ i) % n as u64) as usize)
            .collect();
        if let Some((t, _)) = crossing_over(xs, y, j, Some(&pick)) {
            if t.is_finite() {
                boot.push(t);
            }
        }
    }
    boot.sort_by(f64::total_cmp);
    // b is better where the difference b - a has the better sign.
    let sign = if better == Better::Lower { -1.0 } else { 1.0 };
    Some(Threshold {
        at,
        low: quantile_sorted(&boot, 0.05),
        high: quantile_sorted(&boot, 0.95),
        b_better_when: if sign * slope > 0.0 { "above" } else { "below" }.into(),
        refined: None,
    })
}

/// Basis functions of the smoother: a cubic in the input's rank scale.
fn basis(x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len() as f64;
    let u: Vec<f64> = ranks(x).iter().map(|r| (r - 0.5) / n - 0.5).collect();
    vec![
        u.clone(),
        u.iter().map(|v| v * v).collect(),
        u.iter().map(|v| v * v * v).collect(),
    ]
}

/// Fitted values of `y` regressed on `cols` (the mean when singular).
fn fitted(cols: &[&[f64]], y: &[f64]) -> Vec<f64> {
    let r = residuals(cols, y);
    y.iter().zip(r).map(|(a, e)| a - e).collect()
}

/// The fit of `y` on the smallest adequate model among `candidates`
/// (nested sets of columns), chosen by BIC (Schwarz 1978): an input that
/// explains nothing gets the intercept only, so its EVPPI is exactly 0
/// rather than the fitted noise of a cubic.
fn fitted_bic(candidates: &[Vec<&[f64]>], y: &[f64]) -> Vec<f64> {
    let n = y.len() as f64;
    let mut best: Option<(f64, Vec<f64>)> = None;
    for cols in candidates {
        if cols.len() + 2 >= y.len() {
            continue;
        }
        let f = fitted(cols, y);
        let rss: f64 = y.iter().zip(&f).map(|(a, b)| (a - b) * (a - b)).sum();
        let bic = n * (rss / n).max(1e-300).ln() + (cols.len() as f64 + 1.0) * n.ln();
        if best.as_ref().is_none_or(|(b, _)| bic < *b) {
            best = Some((bic, f));
        }
    }
    best.map(|(_, f)| f).unwrap_or_else(|| fitted(&[], y))
}

/// EVPPI of the inputs whose smoother models are `candidates` (Strong &
/// Oakley 2014): regress each strategy's value gain over strategy 0 on
/// them; the expected best of the fitted gains minus the best expected gain.
fn evppi(candidates: &[Vec<&[f64]>], nb: &[Vec<f64>]) -> f64 {
    let n = nb[0].len();
    let fits: Vec<Vec<f64>> = nb[1..]
        .iter()
        .map(|v| {
            let inb: Vec<f64> = v.iter().zip(&nb[0]).map(|(x, b)| x - b).collect();
            fitted_bic(candidates, &inb)
        })
        .collect();
    let best_expected = fits
        .iter()
        .map(|f| f.iter().sum::<f64>() / n as f64)
        .fold(0.0, f64::max);
    let expected_best = (0..n)
        .map(|i| fits.iter().map(|f| f[i]).fold(0.0, f64::max))
        .sum::<f64>()
        / n as f64;
    (expected_best - best_expected).max(0.0)
}

/// Nested smoother models of polynomial degree 0 to 3 in the inputs' rank
/// scales (`bases[j]` = the three columns of input j).
fn degrees<'a>(bases: &[&'a [Vec<f64>]]) -> Vec<Vec<&'a [f64]>> {
    (0..=3)
        .map(|d| bases.iter().flat_map(|b| b[..d].iter().map(|c| c.as_slice())).collect())
        .collect()
}

/// Each strategy's decision value per world (minus total cost without `[decision]`).
pub fn values(agg: &Aggregate, basis: &ValueBasis, world: impl Fn(&str, usize) -> Option<f64>) -> Vec<Vec<f64>> {
    let col = |s: usize, m: M| agg.column(s, m as usize);
    (0..agg.strategies.len())
        .map(|s| {
            (0..agg.count as usize)
                .map(|i| {
                    let cost = col(s, M::CostTotal)[i];
                    let Some(d) = basis.decision else { return -cost };
                    let deadline = world("deadline_weeks", i).or(basis.deadline_weeks);
                    let late = deadline.map_or(0.0, |dl| (col(s, M::FinishWeek)[i] - dl).max(0.0));
                    let seniors = world("seniors.count", i).unwrap_or(basis.seniors);
                    let focus = col(s, M::DeepFocusPerSeniorWeek)[i] * seniors * basis.focus_weeks;
                    let nan0 = |x: f64| if x.is_nan() { 0.0 } else { x };
                    -(cost
                        + d.cost_per_week_late * nan0(late)
                        + d.cost_per_escaped_defect * nan0(col(s, M::EscapedDefects)[i])
                        + d.cost_per_person_with_access * nan0(col(s, M::DistinctPeople)[i]))
                        + d.value_per_senior_focus_hour * nan0(focus)
                })
                .collect()
        })
        .collect()
}

/// Everything over the worlds of `agg` (which holds the sampled inputs).
pub fn analyse(agg: &Aggregate, basis: &ValueBasis) -> Results {
    let n_s = agg.strategies.len();
    let xs = &agg.input_values;
    let mut jobs = Vec::new();
    let mut p_best = Vec::new();
    for m in metrics() {
        let better = better_of(m);
        let cols: Vec<&[f64]> = (0..n_s).map(|s| agg.column(s, m as usize)).collect();
        // P(best): share of worlds where a strategy is best (ties shared).
        let mut wins = vec![0.0; n_s];
        let mut counted = 0usize;
        for i in 0..agg.count as usize {
            let v: Vec<f64> = cols.iter().map(|c| c[i]).collect();
            if v.iter().any(|x| x.is_nan()) {
                continue;
            }
            let best = match better {
                Better::Lower => v.iter().copied().fold(f64::INFINITY, f64::min),
                Better::Higher => v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            };
            let at: Vec<usize> = (0..n_s).filter(|&s| v[s] == best).collect();
            for s in &at {
                wins[*s] += 1.0 / at.len() as f64;
            }
            counted += 1;
        }
        p_best.push((
            m.name().to_string(),
            wins.iter().map(|w| w / counted.max(1) as f64).collect(),
        ));
        for a in 0..n_s {
            for b in a + 1..n_s {
                jobs.push((m, better, a, b));
            }
        }
    }
    // Each pair is computed alone from the same data: in parallel (on the
    // caller's thread pool), collected in order, identical for any number
    // of threads.
    let pairs: Vec<PairMetric> = jobs
        .par_iter()
        .map(|&(m, better, a, b)| pair(agg, m, better, a, b, xs))
        .collect();
    let nb = values(agg, basis, |path, i| {
        agg.inputs.iter().position(|p| p == path).map(|j| xs[j][i])
    });
    Results {
        worlds: agg.count as usize,
        pairs,
        p_best,
        voi: voi(agg, basis, &nb),
    }
}

fn pair(agg: &Aggregate, m: M, better: Better, a: usize, b: usize, xs: &[Vec<f64>]) -> PairMetric {
    let (ya, yb) = (agg.column(a, m as usize), agg.column(b, m as usize));
    let p = stats::paired(ya, yb, LEVEL);
    let keep: Vec<usize> = (0..ya.len()).filter(|&i| !ya[i].is_nan() && !yb[i].is_nan()).collect();
    let d: Vec<f64> = keep.iter().map(|&i| yb[i] - ya[i]).collect();
    let x: Vec<Vec<f64>> = xs.iter().map(|c| keep.iter().map(|&i| c[i]).collect()).collect();
    let mut drivers = Vec::new();
    if d.len() >= 4 && !x.is_empty() {
        let r = prcc(&x, &d);
        let mut order: Vec<usize> = (0..r.len()).collect();
        order.sort_by(|&i, &j| r[j].abs().total_cmp(&r[i].abs()).then(i.cmp(&j)));
        for (rank, &j) in order.iter().enumerate() {
            drivers.push(Driver {
                input: agg.inputs[j].clone(),
                rank: rank + 1,
                prcc: r[j],
                threshold: if rank < THRESHOLD_INPUTS {
                    threshold(&x, &d, j, better)
                } else {
                    None
                },
            });
        }
    }
    let mut sorted = d.clone();
    sorted.sort_by(f64::total_cmp);
    let (wa, wb) = match better {
        Better::Lower => (p.share_higher, p.share_lower),
        Better::Higher => (p.share_lower, p.share_higher),
    };
    PairMetric {
        a: agg.strategies[a].clone(),
        b: agg.strategies[b].clone(),
        metric: m.name().to_string(),
        better: better.name().to_string(),
        mean_diff: p.diff.mean,
        ci_low: p.diff.ci_low,
        ci_high: p.diff.ci_high,
        p5_diff: quantile_sorted(&sorted, 0.05),
        p95_diff: quantile_sorted(&sorted, 0.95),
        p_a_better: wa,
        p_b_better: wb,
        worlds: d.len(),
        drivers,
    }
}

fn voi(agg: &Aggregate, basis: &ValueBasis, nb: &[Vec<f64>]) -> Voi {
    let n = agg.count as usize;
    let n_s = nb.len();
    let mut best_count = vec![0.0; n_s];
    let mut regret = vec![0.0; n_s];
    for i in 0..n {
        let top = nb.iter().map(|v| v[i]).fold(f64::NEG_INFINITY, f64::max);
        let at: Vec<usize> = (0..n_s).filter(|&s| nb[s][i] == top).collect();
        for s in &at {
            best_count[*s] += 1.0 / at.len() as f64;
        }
        for s in 0..n_s {
            regret[s] += top - nb[s][i];
        }
    }
    let strategies: Vec<StrategyValue> = (0..n_s)
        .map(|s| {
            let sum = Summary::of(&nb[s], LEVEL);
            let mut sorted = nb[s].clone();
            sorted.sort_by(f64::total_cmp);
            StrategyValue {
                strategy: agg.strategies[s].clone(),
                mean: sum.mean,
                p5: quantile_sorted(&sorted, 0.05),
                p50: sum.p50,
                p95: quantile_sorted(&sorted, 0.95),
                p_best: best_count[s] / n.max(1) as f64,
                expected_regret: regret[s] / n.max(1) as f64,
            }
        })
        .collect();
    let best = strategies
        .iter()
        .max_by(|a, b| a.mean.total_cmp(&b.mean))
        .map(|s| s.strategy.clone())
        .unwrap_or_default();
    let bases: Vec<Vec<Vec<f64>>> = agg.input_values.iter().map(|x| basis_of(x)).collect();
    let per_input: Vec<(String, f64)> = agg
        .inputs
        .par_iter()
        .zip(&bases)
        .map(|(name, b)| {
            let models = degrees(&[b.as_slice()]);
            (name.clone(), if n_s > 1 { evppi(&models, nb) } else { 0.0 })
        })
        .collect();
    // All inputs together: additive polynomials in each (a GAM without
    // interactions), degree chosen by BIC.
    let all: Vec<&[Vec<f64>]> = bases.iter().map(|b| b.as_slice()).collect();
    let evpi = if n_s > 1 { evppi(&degrees(&all), nb) } else { 0.0 };
    Voi {
        value: if basis.decision.is_some() {
            "decision value".into()
        } else {
            "minus total cost".into()
        },
        strategies,
        best,
        evpi,
        evppi: per_input,
    }
}

fn basis_of(x: &[f64]) -> Vec<Vec<f64>> {
    basis(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = mix64(s);
            (s >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn prcc_ranks_an_unused_input_last_and_ols_recovers_a_line() {
        let mut r = lcg(3);
        let n = 300;
        let x1: Vec<f64> = (0..n).map(|_| r()).collect();
        let x2: Vec<f64> = (0..n).map(|_| r()).collect();
        let unused: Vec<f64> = (0..n).map(|_| r()).collect();
        let y: Vec<f64> = (0..n).map(|i| 5.0 * x1[i] - 2.0 * x2[i] + 0.3 * (r() - 0.5)).collect();
        let c = prcc(&[x1.clone(), unused.clone(), x2.clone()], &y);
        assert!(c[0] > 0.9 && c[2] < -0.8, "{c:?}");
        assert!(c[1].abs() < 0.2, "{c:?}");
        let b = ols(&[&x1, &x2], &y).unwrap();
        assert!((b[1] - 5.0).abs() < 0.1 && (b[2] + 2.0).abs() < 0.1, "{b:?}");
    }

    #[test]
    fn a_linear_crossing_is_found_with_an_interval_around_it() {
        let mut r = lcg(5);
        let n = 400;
        let x: Vec<f64> = (0..n).map(|_| r()).collect();
        let other: Vec<f64> = (0..n).map(|_| r()).collect();
        // d = 10 (x - 0.3) + (other - 0.5) + noise: crosses at 0.3 with other at its mean.
        let d: Vec<f64> = (0..n)
            .map(|i| 10.0 * (x[i] - 0.3) + (other[i] - 0.5) + (r() - 0.5))
            .collect();
        let t = threshold(&[x, other], &d, 0, Better::Lower).unwrap();
        assert!((t.at - 0.3).abs() < 0.02, "{t:?}");
        assert!(t.low <= t.at && t.at <= t.high && t.high - t.low < 0.05, "{t:?}");
        assert_eq!(
            t.b_better_when, "below",
            "lower is better and the difference grows with x"
        );
    }

    #[test]
    fn evppi_is_zero_for_an_input_that_changes_nothing() {
        let mut r = lcg(9);
        let n = 300;
        let x: Vec<f64> = (0..n).map(|_| r()).collect();
        let unused: Vec<f64> = (0..n).map(|_| r()).collect();
        let a: Vec<f64> = (0..n).map(|_| r()).collect();
        let b: Vec<f64> = (0..n).map(|i| 4.0 * (x[i] - 0.5) + r()).collect();
        let nb = vec![a, b];
        let bx = basis(&x);
        let bu = basis(&unused);
        let ex = evppi(&degrees(&[bx.as_slice()]), &nb);
        let eu = evppi(&degrees(&[bu.as_slice()]), &nb);
        // Knowing x: choose b when x > 0.5: gain E[max(0, 4(x - .5))] = 0.5.
        assert!((ex - 0.5).abs() < 0.1, "{ex}");
        assert!(eu < 0.02, "{eu}");
    }
}
