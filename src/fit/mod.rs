//! `podsim fit`: a team's own history -> scenario values with bootstrap
//! intervals (docs/CALIBRATION.md).
//!
//! - [`history`]: the compact items the readers produce, drop counts, located errors;
//! - [`csvread`] (Jira CSV and any CSV through a column map) and
//!   [`labelstudio`] (Label Studio JSON): streaming readers over `Read`,
//!   so this module opens no files (`cli/fit.rs` does);
//! - [`time`]: timestamps in their many shapes (jiff);
//! - [`families`]: maximum-likelihood fits, AIC, Kolmogorov-Smirnov;
//! - [`survival`]: tenure with right censoring;
//! - [`fragment`]: the scenario fragment (TOML) and merging it into a scenario.
//!
//! This file: per workstream, effort (best family by AIC, a parametric-
//! bootstrap KS p-value, percentile-bootstrap 90 % intervals), arrivals per
//! week with surges, questions and rework rates; contributor tenure across
//! the history. Every resample draws from a stream keyed by (seed, purpose,
//! resample), and resamples are folded in order, so the result does not
//! depend on the thread count. [`fit_with`] ticks once per resample and
//! stops on Ctrl-C (a cancelled fit returns nothing, never a partial one).

pub mod csvread;
pub mod families;
pub mod fragment;
pub mod history;
pub mod labelstudio;
pub mod survival;
pub mod time;

use crate::runner::{Cancelled, Control};
use families::{FamilyFit, Fitted};
use history::History;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

pub const WEEK_SECS: f64 = 7.0 * 86400.0;

/// Below this many values a distribution is not fitted.
pub const MIN_EFFORT_ITEMS: usize = 20;
/// Below this many people tenure is not estimated.
pub const MIN_PEOPLE: usize = 5;
/// p-value under which the best family is said not to fit.
pub const GOF_ALPHA: f64 = 0.05;

/// How the fit is done (all printed with the results).
#[derive(Clone, Debug)]
pub struct Settings {
    pub seed: u64,
    /// Bootstrap resamples for the 90 % intervals.
    pub resamples: usize,
    /// Parametric-bootstrap resamples for the goodness-of-fit p-value.
    pub gof_resamples: usize,
    /// A person whose last activity is within this many weeks of the
    /// history's end is still there (censored).
    pub censor_weeks: f64,
    /// The channel whose attrition the tenure estimates.
    pub channel: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            seed: 42,
            resamples: 200,
            gof_resamples: 99,
            censor_weeks: 4.0,
            channel: "freelancer".into(),
        }
    }
}

/// A value with its bootstrap 90 % interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
    /// Observations behind it.
    pub n: usize,
}

#[derive(Clone, Debug)]
pub struct EffortFit {
    /// Hands-on hours of the done items, sorted.
    pub data: Vec<f64>,
    /// Every family that could be fitted, best AIC first.
    pub fits: Vec<FamilyFit>,
    /// Parametric-bootstrap p-value of the best family's KS distance.
    pub p_value: f64,
    /// Bootstrap 90 % interval of each scenario parameter of the best fit.
    pub intervals: Vec<(&'static str, Estimate)>,
}

impl EffortFit {
    pub fn best(&self) -> &FamilyFit {
        &self.fits[0]
    }
    /// Whether the best family passes the goodness-of-fit test.
    pub fn fits_well(&self) -> bool {
        self.p_value >= GOF_ALPHA
    }
}

#[derive(Clone, Debug)]
pub struct Arrivals {
    /// Start of week 0 (seconds).
    pub week0: i64,
    /// Items created in each whole week.
    pub counts: Vec<u32>,
    pub per_week: Estimate,
    /// Weeks far above the mean (Poisson tail below 0.1 %).
    pub surges: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct WorkstreamFit {
    pub name: String,
    pub items: usize,
    /// Items resolved with a positive effort.
    pub done: usize,
    pub effort: Result<EffortFit, String>,
    pub arrivals: Result<Arrivals, String>,
    pub questions: Result<Estimate, String>,
    pub rework: Result<Estimate, String>,
}

#[derive(Clone, Debug)]
pub struct Tenure {
    pub spells: Vec<survival::Spell>,
    pub km: Vec<(f64, f64)>,
    pub attrition: Estimate,
}

#[derive(Clone, Debug)]
pub struct FitReport {
    pub settings: Settings,
    pub workstreams: Vec<WorkstreamFit>,
    pub tenure: Result<Tenure, String>,
    /// The history's first and last timestamps.
    pub span: Option<(i64, i64)>,
}

/// A random stream for (seed, purpose, index): SplitMix64-style mixing.
fn rng(seed: u64, purpose: u64, index: u64) -> Xoshiro256PlusPlus {
    let mut z = seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Xoshiro256PlusPlus::seed_from_u64(z ^ (z >> 31))
}

/// Purposes of the random streams (never reorder: results would change).
const P_EFFORT: u64 = 1;
const P_GOF: u64 = 2;
const P_ARRIVALS: u64 = 3;
const P_QUESTIONS: u64 = 4;
const P_REWORK: u64 = 5;
const P_TENURE: u64 = 6;

/// 5 % and 95 % points of bootstrap values (NaNs left out).
fn interval(value: f64, mut boot: Vec<f64>, n: usize) -> Estimate {
    boot.retain(|x| x.is_finite());
    boot.sort_by(f64::total_cmp);
    let (lo, hi) = if boot.is_empty() {
        (f64::NAN, f64::NAN)
    } else {
        (
            crate::stats::quantile_sorted(&boot, 0.05),
            crate::stats::quantile_sorted(&boot, 0.95),
        )
    };
    Estimate { value, lo, hi, n }
}

/// Bootstrap of a statistic of `xs` (resampled with replacement). Once
/// cancelled, the remaining resamples are skipped (NaN): the caller checks
/// `ctl` and throws the result away.
fn bootstrap<T: Sync>(
    xs: &[T],
    s: &Settings,
    ctl: Control<'_>,
    purpose: u64,
    stat: impl Fn(&[&T]) -> f64 + Sync,
) -> Vec<f64> {
    (0..s.resamples as u64)
        .into_par_iter()
        .map(|b| {
            if ctl.cancelled() {
                return f64::NAN;
            }
            let mut r = rng(s.seed, purpose, b);
            let pick: Vec<&T> = (0..xs.len()).map(|_| &xs[r.random_range(0..xs.len())]).collect();
            let v = stat(&pick);
            (ctl.tick)();
            v
        })
        .collect()
}

/// Fits the effort of one workstream: the family with the best AIC.
pub fn fit_effort(data: &[f64], s: &Settings, purpose_key: u64) -> Result<EffortFit, String> {
    fit_effort_as(data, s, purpose_key, None)
}

/// Fits the effort with `family` put first (its test and intervals), or
/// the best AIC when `None`.
pub fn fit_effort_as(
    data: &[f64],
    s: &Settings,
    purpose_key: u64,
    family: Option<families::Family>,
) -> Result<EffortFit, String> {
    fit_effort_with(data, s, purpose_key, family, Control::none())
}

/// [`fit_effort_as`] under `ctl`: one tick per resample; when cancelled
/// the result is meaningless (the caller checks `ctl`).
fn fit_effort_with(
    data: &[f64],
    s: &Settings,
    purpose_key: u64,
    family: Option<families::Family>,
    ctl: Control<'_>,
) -> Result<EffortFit, String> {
    if data.len() < MIN_EFFORT_ITEMS {
        return Err(format!(
            "{} done item(s) with a time spent; at least {MIN_EFFORT_ITEMS} are needed to fit a distribution",
            data.len()
        ));
    }
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut fits = families::fit_all(&sorted);
    if let Some(f) = family {
        let i = fits
            .iter()
            .position(|x| x.fitted.family() == f)
            .ok_or_else(|| format!("no {} fit exists for these values", f.name()))?;
        let chosen = fits.remove(i);
        fits.insert(0, chosen);
    }
    let Some(best) = fits.first().copied() else {
        return Err("no family could be fitted (all values equal?)".into());
    };
    let fam = best.fitted.family();
    // Goodness of fit: KS distance of refits to samples of the fit itself
    // (the parameters were estimated, so the plain KS table would be too lenient).
    let dist = best.fitted.dist().ok_or("the fitted parameters are out of range")?;
    let n = sorted.len().min(2000);
    let sub: Vec<f64> = if n < sorted.len() {
        (0..n).map(|i| sorted[i * sorted.len() / n]).collect()
    } else {
        sorted.clone()
    };
    let d_obs = families::ks_distance(&sub, &best.fitted);
    let exceed: usize = (0..s.gof_resamples as u64)
        .into_par_iter()
        .map(|b| {
            if ctl.cancelled() {
                return 0;
            }
            let mut r = rng(s.seed, P_GOF + 16 * purpose_key, b);
            let mut xs: Vec<f64> = (0..n).map(|_| dist.sample(&mut r).max(1e-12)).collect();
            xs.sort_by(f64::total_cmp);
            let exceeds = match families::fit(fam, &xs) {
                Some(f) => (families::ks_distance(&xs, &f) >= d_obs) as usize,
                None => 1,
            };
            (ctl.tick)();
            exceeds
        })
        .sum();
    let p_value = (exceed + 1) as f64 / (s.gof_resamples + 1) as f64;
    // Percentile intervals of each parameter.
    let params = best.fitted.params();
    let boots: Vec<Vec<f64>> = (0..s.resamples as u64)
        .into_par_iter()
        .map(|b| {
            if ctl.cancelled() {
                return vec![f64::NAN; params.len()];
            }
            let mut r = rng(s.seed, P_EFFORT + 16 * purpose_key, b);
            let xs: Vec<f64> = (0..sorted.len())
                .map(|_| sorted[r.random_range(0..sorted.len())])
                .collect();
            let v = match families::fit(fam, &xs) {
                Some(f) => f.params().into_iter().map(|(_, v)| v).collect(),
                None => vec![f64::NAN; params.len()],
            };
            (ctl.tick)();
            v
        })
        .collect();
    let intervals = params
        .iter()
        .enumerate()
        .map(|(i, &(name, v))| (name, interval(v, boots.iter().map(|b| b[i]).collect(), sorted.len())))
        .collect();
    Ok(EffortFit {
        data: sorted,
        fits,
        p_value,
        intervals,
    })
}

/// Poisson upper tail P(X >= k) for mean m (for surge weeks).
fn poisson_tail(k: u32, m: f64) -> f64 {
    if m <= 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    // 1 - P(X <= k-1), summed in log space.
    let mut cdf = 0.0;
    let mut term = (-m).exp();
    for i in 0..k {
        cdf += term;
        term *= m / (i + 1) as f64;
    }
    (1.0 - cdf).max(0.0)
}

fn arrivals(created: &[i64], end: i64, s: &Settings, ctl: Control<'_>, key: u64) -> Result<Arrivals, String> {
    let Some(&first) = created.iter().min() else {
        return Err("no creation dates".into());
    };
    let week0 = first - first.rem_euclid(86400);
    let weeks = ((end - week0) as f64 / WEEK_SECS).floor() as usize;
    if weeks == 0 {
        return Err("the history covers less than one whole week".into());
    }
    let mut counts = vec![0u32; weeks];
    for &c in created {
        let w = ((c - week0) as f64 / WEEK_SECS).floor() as usize;
        if w < weeks {
            counts[w] += 1;
        }
    }
    let mean = counts.iter().map(|&c| c as f64).sum::<f64>() / weeks as f64;
    let boot = bootstrap(&counts, s, ctl, P_ARRIVALS + 16 * key, |p| {
        p.iter().map(|&&c| c as f64).sum::<f64>() / p.len() as f64
    });
    let surges = (0..weeks).filter(|&w| poisson_tail(counts[w], mean) < 1e-3).collect();
    Ok(Arrivals {
        week0,
        per_week: interval(mean, boot, weeks),
        counts,
        surges,
    })
}

fn share(xs: &[f64], s: &Settings, ctl: Control<'_>, purpose: u64, what: &str) -> Result<Estimate, String> {
    if xs.is_empty() {
        return Err(format!("the history has no {what}"));
    }
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    let boot = bootstrap(xs, s, ctl, purpose, |p| {
        p.iter().map(|&&x| x).sum::<f64>() / p.len() as f64
    });
    Ok(interval(mean, boot, xs.len()))
}

fn tenure(h: &History, end: i64, s: &Settings, ctl: Control<'_>) -> Result<Tenure, String> {
    let mut span: Vec<Option<(i64, i64)>> = vec![None; h.people.len()];
    for it in &h.items {
        let (Some(p), Some(t)) = (it.assignee, it.resolved.or(it.created)) else {
            continue;
        };
        let e = &mut span[p as usize];
        *e = Some(e.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
    }
    let spells: Vec<survival::Spell> = span
        .iter()
        .flatten()
        .map(|&(a, b)| survival::Spell {
            // The week of the last activity counts as worked.
            weeks: (b - a) as f64 / WEEK_SECS + 1.0,
            left: (end - b) as f64 > s.censor_weeks * WEEK_SECS,
        })
        .collect();
    if spells.len() < MIN_PEOPLE {
        return Err(format!(
            "{} assignee(s) in the history; at least {MIN_PEOPLE} are needed to estimate tenure",
            spells.len()
        ));
    }
    let rate = survival::exponential_rate(&spells).ok_or("no time observed")?;
    let boot = bootstrap(&spells, s, ctl, P_TENURE, |p| {
        let sp: Vec<survival::Spell> = p.iter().map(|&&x| x).collect();
        survival::exponential_rate(&sp).map_or(f64::NAN, survival::attrition_per_year)
    });
    Ok(Tenure {
        km: survival::kaplan_meier(&spells),
        attrition: interval(survival::attrition_per_year(rate), boot, spells.len()),
        spells,
    })
}

/// Everything `podsim fit` estimates from `h`.
pub fn fit(h: &History, s: &Settings) -> FitReport {
    match fit_with(h, s, Control::none()) {
        Ok(r) => r,
        Err(Cancelled) => unreachable!("Control::none() is never cancelled"),
    }
}

/// [`fit`] under `ctl`: `ctl.tick` once per bootstrap resample (effort,
/// its goodness of fit, arrivals, questions, rework, tenure); stops with
/// `Err(Cancelled)` soon after `ctl.cancel` is set.
pub fn fit_with(h: &History, s: &Settings, ctl: Control<'_>) -> Result<FitReport, Cancelled> {
    let times = h.items.iter().flat_map(|i| [i.created, i.resolved]).flatten();
    let span = times.fold(None, |acc: Option<(i64, i64)>, t| {
        Some(acc.map_or((t, t), |(a, b)| (a.min(t), b.max(t))))
    });
    let end = span.map_or(0, |s| s.1);
    let mut workstreams = Vec::with_capacity(h.workstreams.len());
    for w in 0..h.workstreams.len() as u32 {
        let key = w as u64 + 1;
        let items: Vec<&history::Item> = h.of(w).collect();
        let effort: Vec<f64> = items
            .iter()
            .filter(|i| i.resolved.is_some())
            .filter_map(|i| i.effort_hours)
            .collect();
        let created: Vec<i64> = items.iter().filter_map(|i| i.created).collect();
        let comments: Vec<f64> = items.iter().filter_map(|i| i.comments).map(f64::from).collect();
        let rework: Vec<f64> = items
            .iter()
            .filter(|i| i.resolved.is_some())
            .filter_map(|i| i.reworked)
            .map(|b| b as u8 as f64)
            .collect();
        workstreams.push(WorkstreamFit {
            name: h.workstreams[w as usize].clone(),
            items: items.len(),
            done: effort.len(),
            effort: fit_effort_with(&effort, s, key, None, ctl),
            arrivals: arrivals(&created, end, s, ctl, key),
            questions: share(&comments, s, ctl, P_QUESTIONS + 16 * key, "comment or question counts"),
            rework: share(&rework, s, ctl, P_REWORK + 16 * key, "reopen, reject or review fields"),
        });
        if ctl.cancelled() {
            return Err(Cancelled);
        }
    }
    let tenure = tenure(h, end, s, ctl);
    if ctl.cancelled() {
        return Err(Cancelled);
    }
    Ok(FitReport {
        settings: s.clone(),
        workstreams,
        tenure,
        span,
    })
}

/// A one-line account of a fitted distribution ("lognormal, mean 3.2 h, cv 0.61").
pub fn describe(f: &Fitted) -> String {
    use crate::metrics::format::significant;
    let p: Vec<String> = f
        .params()
        .iter()
        .map(|(n, v)| format!("{n} {}", significant(*v, 3)))
        .collect();
    format!("{} ({})", f.family().name(), p.join(", "))
}
