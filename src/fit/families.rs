//! Maximum-likelihood fits of the effort families podsim simulates
//! (exponential, lognormal, gamma, triangular), compared by AIC, with the
//! Kolmogorov-Smirnov distance for goodness of fit. Densities, cdfs and
//! quantiles come from statrs; the estimators are the textbook ones:
//! closed forms for exponential and lognormal, Newton's method on
//! ln k - ψ(k) = ln(mean) - mean(ln x) for the gamma shape (Minka 2002),
//! and for the triangular a profile search (the mode at an order statistic,
//! Oliver 1972; the ends by golden-section search on their gaps).

use statrs::distribution::{Continuous, ContinuousCDF, Exp, Gamma, LogNormal, Triangular};
use statrs::function::gamma::digamma;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Exponential,
    Lognormal,
    Gamma,
    Triangular,
}

impl Family {
    pub const ALL: [Family; 4] = [
        Family::Exponential,
        Family::Lognormal,
        Family::Gamma,
        Family::Triangular,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Triangular => "triangular",
        }
    }
    /// Free parameters (for AIC).
    pub fn k(self) -> usize {
        match self {
            Family::Exponential => 1,
            Family::Lognormal | Family::Gamma => 2,
            Family::Triangular => 3,
        }
    }
}

/// A fitted distribution, in the scenario's parameterisation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fitted {
    Exponential { mean: f64 },
    Lognormal { mean: f64, cv: f64 },
    Gamma { mean: f64, cv: f64 },
    Triangular { min: f64, mode: f64, max: f64 },
}

impl Fitted {
    pub fn family(&self) -> Family {
        match self {
            Fitted::Exponential { .. } => Family::Exponential,
            Fitted::Lognormal { .. } => Family::Lognormal,
            Fitted::Gamma { .. } => Family::Gamma,
            Fitted::Triangular { .. } => Family::Triangular,
        }
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Fitted::Exponential { mean } | Fitted::Lognormal { mean, .. } | Fitted::Gamma { mean, .. } => mean,
            Fitted::Triangular { min, mode, max } => (min + mode + max) / 3.0,
        }
    }

    /// The scenario field's parameters, by name (as `effort_hours.NAME`).
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        match *self {
            Fitted::Exponential { mean } => vec![("mean", mean)],
            Fitted::Lognormal { mean, cv } | Fitted::Gamma { mean, cv } => vec![("mean", mean), ("cv", cv)],
            Fitted::Triangular { min, mode, max } => vec![("min", min), ("mode", mode), ("max", max)],
        }
    }

    /// podsim's own distribution (for drawing samples), if the values are valid.
    pub fn dist(&self) -> Option<crate::dist::Dist> {
        use crate::dist::Dist;
        match *self {
            Fitted::Exponential { mean } => Dist::exponential(mean),
            Fitted::Lognormal { mean, cv } => Dist::lognormal(mean, cv),
            Fitted::Gamma { mean, cv } => Dist::gamma(mean, cv),
            Fitted::Triangular { min, mode, max } => Dist::triangular(min.max(0.0), mode, max),
        }
        .ok()
    }

    fn with<T>(&self, f: impl Fn(&dyn Cdf) -> T) -> Option<T> {
        match *self {
            Fitted::Exponential { mean } => Exp::new(1.0 / mean).ok().map(|d| f(&d)),
            Fitted::Lognormal { mean, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                LogNormal::new(mean.ln() - s2 / 2.0, s2.sqrt()).ok().map(|d| f(&d))
            }
            Fitted::Gamma { mean, cv } => {
                let k = 1.0 / (cv * cv);
                Gamma::new(k, k / mean).ok().map(|d| f(&d))
            }
            Fitted::Triangular { min, mode, max } => Triangular::new(min, max, mode).ok().map(|d| f(&d)),
        }
    }

    pub fn cdf(&self, x: f64) -> f64 {
        self.with(|d| d.cdf_at(x)).unwrap_or(f64::NAN)
    }
    pub fn pdf(&self, x: f64) -> f64 {
        self.with(|d| d.pdf_at(x)).unwrap_or(f64::NAN)
    }
    pub fn quantile(&self, p: f64) -> f64 {
        self.with(|d| d.quantile_at(p)).unwrap_or(f64::NAN)
    }
    /// Log-likelihood of `xs`.
    pub fn log_likelihood(&self, xs: &[f64]) -> f64 {
        self.with(|d| xs.iter().map(|&x| d.ln_pdf_at(x)).sum::<f64>())
            .unwrap_or(f64::NEG_INFINITY)
    }
}

/// The statrs distributions behind one object-safe face.
trait Cdf {
    fn cdf_at(&self, x: f64) -> f64;
    fn pdf_at(&self, x: f64) -> f64;
    fn ln_pdf_at(&self, x: f64) -> f64;
    fn quantile_at(&self, p: f64) -> f64;
}

impl<D: ContinuousCDF<f64, f64> + Continuous<f64, f64>> Cdf for D {
    fn cdf_at(&self, x: f64) -> f64 {
        self.cdf(x)
    }
    fn pdf_at(&self, x: f64) -> f64 {
        self.pdf(x)
    }
    fn ln_pdf_at(&self, x: f64) -> f64 {
        self.ln_pdf(x)
    }
    fn quantile_at(&self, p: f64) -> f64 {
        self.inverse_cdf(p)
    }
}

/// One family's fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FamilyFit {
    pub fitted: Fitted,
    pub log_likelihood: f64,
    pub aic: f64,
    /// Kolmogorov-Smirnov distance between the data and the fit.
    pub ks: f64,
}

/// The maximum-likelihood fit of `family` to `xs` (positive, finite, at
/// least 2 distinct values), or `None` when it does not exist.
pub fn fit(family: Family, xs: &[f64]) -> Option<Fitted> {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n;
    match family {
        Family::Exponential => Some(Fitted::Exponential { mean }),
        Family::Lognormal => {
            let mu = xs.iter().map(|x| x.ln()).sum::<f64>() / n;
            let s2 = xs.iter().map(|x| (x.ln() - mu).powi(2)).sum::<f64>() / n;
            (s2 > 0.0).then(|| Fitted::Lognormal {
                mean: (mu + s2 / 2.0).exp(),
                cv: (s2.exp() - 1.0).sqrt(),
            })
        }
        Family::Gamma => {
            let s = mean.ln() - xs.iter().map(|x| x.ln()).sum::<f64>() / n;
            if !(s > 0.0 && s.is_finite()) {
                return None;
            }
            let mut k = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
            for _ in 0..50 {
                // f(k) = ln k - ψ(k) - s; f'(k) = 1/k - ψ'(k), ψ'(k) by a central difference.
                let f = k.ln() - digamma(k) - s;
                let h = 1e-5 * k;
                let trigamma = (digamma(k + h) - digamma(k - h)) / (2.0 * h);
                let step = f / (1.0 / k - trigamma);
                let next = (k - step).max(k / 10.0);
                if (next - k).abs() < 1e-10 * k {
                    k = next;
                    break;
                }
                k = next;
            }
            (k.is_finite() && k > 0.0).then(|| Fitted::Gamma {
                mean,
                cv: 1.0 / k.sqrt(),
            })
        }
        Family::Triangular => fit_triangular(xs),
    }
}

/// Triangular log-likelihood at each candidate mode of `modes` (ascending),
/// -inf outside the support. The likelihood splits at the mode into
/// sum ln(x - a) below it and sum ln(b - x) above it, so one pass of running
/// sums over `sorted` serves every mode: O(n) per (a, b), not O(n) per
/// mode — which keeps a fit of millions of items to seconds.
fn tri_ll_modes(sorted: &[f64], a: f64, b: f64, modes: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    let ln_pos = |t: f64| if t > 0.0 { t.ln() } else { f64::NEG_INFINITY };
    // below[j] = sum of ln(x - a) over the x under modes[j]
    let mut below = Vec::with_capacity(modes.len());
    let (mut acc, mut i) = (0.0, 0);
    for &c in modes {
        let l = sorted.partition_point(|&x| x < c);
        while i < l {
            acc += ln_pos(sorted[i] - a);
            i += 1;
        }
        below.push((acc, l));
    }
    // above[j] = sum of ln(b - x) over the x over modes[j], summed from the top
    let mut above = vec![(0.0, 0usize); modes.len()];
    let (mut acc, mut i) = (0.0, n);
    for (j, &c) in modes.iter().enumerate().rev() {
        let u = sorted.partition_point(|&x| x <= c);
        while i > u {
            i -= 1;
            acc += ln_pos(b - sorted[i]);
        }
        above[j] = (acc, n - u);
    }
    let nf = n as f64;
    modes
        .iter()
        .zip(below.iter().zip(&above))
        .map(|(&c, (&(lo_sum, lo_n), &(hi_sum, hi_n)))| {
            if !(a < b && a <= c && c <= b) {
                return f64::NEG_INFINITY;
            }
            // Points at the mode have density 2/(b - a): ln 1 beyond the constant.
            let mut ll = nf * (2.0f64).ln() - nf * (b - a).ln();
            if lo_n > 0 {
                ll += lo_sum - lo_n as f64 * ln_pos(c - a);
            }
            if hi_n > 0 {
                ll += hi_sum - hi_n as f64 * ln_pos(b - c);
            }
            if ll.is_nan() {
                f64::NEG_INFINITY
            } else {
                ll
            }
        })
        .collect()
}

fn fit_triangular(xs: &[f64]) -> Option<Fitted> {
    let mut s: Vec<f64> = xs.to_vec();
    s.sort_by(f64::total_cmp);
    let (lo, hi) = (s[0], s[s.len() - 1]);
    let range = hi - lo;
    if range.is_nan() || range <= 0.0 {
        return None;
    }
    // Candidate modes: up to 41 order statistics (the MLE's mode is one).
    let m = s.len().min(41);
    let modes: Vec<f64> = (0..m).map(|i| s[i * (s.len() - 1) / (m - 1).max(1)]).collect();
    let best_for = |ga: f64, gb: f64| -> (f64, f64) {
        let (a, b) = ((lo - ga).max(0.0).min(lo - 1e-12 * range.max(1.0)), hi + gb);
        tri_ll_modes(&s, a, b, &modes)
            .into_iter()
            .zip(modes.iter().copied())
            .fold((f64::NEG_INFINITY, lo), |acc, x| if x.0 > acc.0 { x } else { acc })
    };
    // Coordinate golden-section search on the two gaps (log scale).
    let (mut ga, mut gb) = (range / s.len() as f64, range / s.len() as f64);
    let golden = |f: &dyn Fn(f64) -> f64, lo: f64, hi: f64| -> f64 {
        let r = 0.618_033_988_75;
        let (mut a, mut b) = (lo, hi);
        for _ in 0..30 {
            let c = b - r * (b - a);
            let d = a + r * (b - a);
            if f(c) > f(d) {
                b = d;
            } else {
                a = c;
            }
        }
        (a + b) / 2.0
    };
    let lg_lo = (range * 1e-6).ln();
    let lg_hi = (range * 2.0).ln();
    for _ in 0..3 {
        ga = golden(
            &|l: f64| best_for(l.exp(), gb).0,
            lg_lo,
            (lo.max(range * 1e-6)).ln().min(lg_hi),
        )
        .exp();
        ga = ga.min(lo);
        gb = golden(&|l: f64| best_for(ga, l.exp()).0, lg_lo, lg_hi).exp();
    }
    let a = (lo - ga).max(0.0);
    let a = if a >= lo { lo - 1e-9 * range } else { a };
    let (ll, c) = best_for(lo - a, gb);
    ll.is_finite().then(|| Fitted::Triangular {
        min: a.max(0.0),
        mode: c,
        max: hi + gb,
    })
}

/// Kolmogorov-Smirnov distance of sorted `xs` from `f`.
pub fn ks_distance(sorted: &[f64], f: &Fitted) -> f64 {
    let n = sorted.len() as f64;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let c = f.cdf(x);
            (c - i as f64 / n).abs().max(((i + 1) as f64 / n - c).abs())
        })
        .fold(0.0, f64::max)
}

/// Every family's fit, best AIC first (families with no fit left out).
pub fn fit_all(xs: &[f64]) -> Vec<FamilyFit> {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut fits: Vec<FamilyFit> = Family::ALL
        .iter()
        .filter_map(|&fam| {
            let f = fit(fam, &sorted)?;
            let ll = f.log_likelihood(&sorted);
            ll.is_finite().then(|| FamilyFit {
                fitted: f,
                log_likelihood: ll,
                aic: 2.0 * fam.k() as f64 - 2.0 * ll,
                ks: ks_distance(&sorted, &f),
            })
        })
        .collect();
    fits.sort_by(|a, b| a.aic.total_cmp(&b.aic).then(a.fitted.family().cmp(&b.fitted.family())));
    fits
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample(f: &Fitted, n: usize, seed: u64) -> Vec<f64> {
        let d = f.dist().unwrap();
        let mut r = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| d.sample(&mut r)).collect()
    }

    #[test]
    fn each_family_recovers_its_parameters() {
        let truths = [
            Fitted::Exponential { mean: 3.0 },
            Fitted::Lognormal { mean: 3.0, cv: 0.6 },
            Fitted::Gamma { mean: 3.0, cv: 0.4 },
            Fitted::Triangular {
                min: 1.0,
                mode: 2.0,
                max: 6.0,
            },
        ];
        for t in truths {
            let xs = sample(&t, 4000, 7);
            let f = fit(t.family(), &xs).unwrap();
            for ((name, want), (_, got)) in t.params().iter().zip(f.params()) {
                assert!(
                    (got - want).abs() < 0.08 * want.max(1.0),
                    "{t:?} {name}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn gamma_shape_solves_the_likelihood_equation() {
        let xs = sample(&Fitted::Gamma { mean: 2.0, cv: 0.5 }, 500, 3);
        let Some(Fitted::Gamma { cv, .. }) = fit(Family::Gamma, &xs) else {
            panic!()
        };
        let k = 1.0 / (cv * cv);
        let n = xs.len() as f64;
        let s = (xs.iter().sum::<f64>() / n).ln() - xs.iter().map(|x| x.ln()).sum::<f64>() / n;
        assert!((k.ln() - digamma(k) - s).abs() < 1e-8);
    }

    /// The triangular log-likelihood at one mode, point by point: what
    /// `tri_ll_modes` must equal.
    fn tri_ll(sorted: &[f64], a: f64, c: f64, b: f64) -> f64 {
        if !(a < b && a <= c && c <= b) {
            return f64::NEG_INFINITY;
        }
        let n = sorted.len() as f64;
        let mut ll = n * (2.0f64).ln() - n * (b - a).ln();
        for &x in sorted {
            let t = if x < c {
                (x - a) / (c - a)
            } else if x > c {
                (b - x) / (b - c)
            } else {
                1.0
            };
            if t <= 0.0 {
                return f64::NEG_INFINITY;
            }
            ll += t.ln();
        }
        ll
    }

    #[test]
    fn running_sums_give_the_pointwise_triangular_likelihood() {
        let mut xs = sample(
            &Fitted::Triangular {
                min: 1.0,
                mode: 2.0,
                max: 6.0,
            },
            3000,
            5,
        );
        xs.extend([2.5, 2.5, 2.5]); // ties at a candidate mode
        xs.sort_by(f64::total_cmp);
        let modes = [xs[0], 1.5, 2.0, 2.5, xs[xs.len() - 1], 7.0];
        for (a, b) in [
            (0.9, 6.1),
            (xs[0] - 1e-9, xs[xs.len() - 1] + 1e-9),
            (1.2, 6.1),
            (0.9, 5.0),
        ] {
            for (&c, got) in modes.iter().zip(tri_ll_modes(&xs, a, b, &modes)) {
                let want = tri_ll(&xs, a, c, b);
                assert!(
                    got == want || (got - want).abs() < 1e-9 * want.abs(),
                    "a {a} c {c} b {b}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn ks_of_a_perfect_grid_is_small() {
        let f = Fitted::Exponential { mean: 1.0 };
        let xs: Vec<f64> = (0..1000).map(|i| f.quantile((i as f64 + 0.5) / 1000.0)).collect();
        assert!(ks_distance(&xs, &f) <= 0.0005 + 1e-9);
    }
}
