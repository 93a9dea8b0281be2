//! Summary statistics across replications and the closed forms the
//! simulator is validated against (Erlang C, Little's law, Brooks).

/// Summary of one metric across replications (NaN values are skipped: a
/// metric that does not apply in a replication says so with NaN).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub p10: f64,
    pub p50: f64,
    pub p85: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    /// Summarises `values` with a two-sided `level` (e.g. 0.95) Student-t CI.
    pub fn of(values: &[f64], level: f64) -> Summary {
        let mut xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        let n = xs.len();
        if n == 0 {
            let nan = f64::NAN;
            return Summary {
                n,
                mean: nan,
                sd: nan,
                ci_low: nan,
                ci_high: nan,
                p10: nan,
                p50: nan,
                p85: nan,
                p95: nan,
                min: nan,
                max: nan,
            };
        }
        let (mean, sd) = mean_sd(&xs);
        let half = if n > 1 {
            t_quantile(0.5 + level / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt()
        } else {
            f64::NAN
        };
        xs.sort_by(f64::total_cmp);
        Summary {
            n,
            mean,
            sd,
            ci_low: mean - half,
            ci_high: mean + half,
            p10: quantile_sorted(&xs, 0.10),
            p50: quantile_sorted(&xs, 0.50),
            p85: quantile_sorted(&xs, 0.85),
            p95: quantile_sorted(&xs, 0.95),
            min: xs[0],
            max: xs[n - 1],
        }
    }

    /// Half-width of the confidence interval.
    pub fn half_width(&self) -> f64 {
        (self.ci_high - self.ci_low) / 2.0
    }
}

/// Mean and sample standard deviation (Welford, for numerical stability).
pub fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let mut mean = 0.0;
    let mut m2 = 0.0;
    for (i, &x) in xs.iter().enumerate() {
        let d = x - mean;
        mean += d / (i + 1) as f64;
        m2 += d * (x - mean);
    }
    let sd = if xs.len() > 1 {
        (m2 / (xs.len() - 1) as f64).sqrt()
    } else {
        0.0
    };
    (mean, sd)
}

/// Quantile of sorted data by linear interpolation (Hyndman & Fan type 7, as R and numpy).
pub fn quantile_sorted(xs: &[f64], q: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let h = (xs.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    xs[lo] + (h - lo as f64) * (xs[hi] - xs[lo])
}

/// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
#[allow(clippy::excessive_precision)] // published coefficients, kept as printed
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let pl = 0.02425;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// Student-t quantile with `df` degrees of freedom (Hill's 1970 algorithm 396
/// expansion; exact for df = 1, 2; relative error below 1e-6 elsewhere).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || df <= 0.0 {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    // Two-sided tail probability for Hill's algorithm.
    let p2 = 2.0 * (1.0 - p);
    if df == 1.0 {
        return (std::f64::consts::FRAC_PI_2 * (1.0 - p2)).tan();
    }
    if df == 2.0 {
        return (2.0 / (p2 * (2.0 - p2)) - 2.0).sqrt();
    }
    let a = 1.0 / (df - 0.5);
    let b = 48.0 / (a * a);
    let mut c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36;
    let d = ((94.5 / (b + c) - 3.0) / b + 1.0) * (a * std::f64::consts::PI / 2.0).sqrt() * df;
    let mut x = d * p2;
    let mut y = x.powf(2.0 / df);
    if y > 0.05 + a {
        x = normal_quantile(p2 * 0.5);
        y = x * x;
        if df < 5.0 {
            c += 0.3 * (df - 4.5) * (x + 0.6);
        }
        c += (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b;
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x;
        y = a * y * y;
        y = if y > 0.002 { y.exp() - 1.0 } else { 0.5 * y * y + y };
    } else {
        y = ((1.0 / (((df + 6.0) / (df * y) - 0.089 * d - 0.822) * (df + 2.0) * 3.0) + 0.5 / (df + 4.0)) * y - 1.0)
            * (df + 1.0)
            / (df + 2.0)
            + 1.0 / y;
    }
    (df * y).sqrt()
}

/// Erlang C: probability that an arrival waits, for an M/M/c queue with
/// arrival rate `lambda`, service rate `mu` per server and `c` servers.
pub fn erlang_c(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    assert!(rho < 1.0, "Erlang C needs a stable queue (rho < 1)");
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b / (1.0 - rho * (1.0 - b))
}

/// Mean wait in queue of an M/M/c queue (hours if rates are per hour).
pub fn erlang_c_wq(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(lambda, mu, c) / (c as f64 * mu - lambda)
}

/// Brooks' closed form (MODEL.md §5): completion time of effort `e` by `n`
/// people in one group with overhead f(n) = min(cap, k n^2).
pub fn brooks_completion(e: f64, n: u32, k: f64, cap: f64) -> f64 {
    let n = n as f64;
    e / (n * (1.0 - (k * n * n).min(cap)))
}

/// Paired comparison of `b` against `a` (same replications, common random numbers).
#[derive(Clone, Debug, PartialEq)]
pub struct Paired {
    pub diff: Summary,
    /// Share of replications where `b` is lower than `a` (wins when lower is better).
    pub share_lower: f64,
    pub share_higher: f64,
}

/// Share of `n` paired observations that are equal, given the shares
/// lower and higher: 0 when there are none (nothing was compared).
pub fn share_tied(n: usize, lower: f64, higher: f64) -> f64 {
    if n == 0 {
        0.0
    } else {
        (1.0 - lower - higher).max(0.0)
    }
}

impl Paired {
    /// Share of replications where `a` and `b` are equal.
    pub fn share_tied(&self) -> f64 {
        share_tied(self.diff.n, self.share_lower, self.share_higher)
    }
}

pub fn paired(a: &[f64], b: &[f64], level: f64) -> Paired {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .collect();
    let diffs: Vec<f64> = pairs.iter().map(|(x, y)| y - x).collect();
    let n = pairs.len().max(1) as f64;
    Paired {
        diff: Summary::of(&diffs, level),
        share_lower: pairs.iter().filter(|(x, y)| y < x).count() as f64 / n,
        share_higher: pairs.iter().filter(|(x, y)| y > x).count() as f64 / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_textbook_value() {
        // lambda 4/h, mu 1/h, c 5 (MODEL.md §10): P(wait) = Wq = 0.5541.
        assert!((erlang_c(4.0, 1.0, 5) - 0.554_113).abs() < 1e-5);
        assert!((erlang_c_wq(4.0, 1.0, 5) - 0.554_113).abs() < 1e-5);
        // M/M/1: P(wait) = rho, Wq = rho / (mu - lambda).
        assert!((erlang_c(0.5, 1.0, 1) - 0.5).abs() < 1e-12);
        assert!((erlang_c_wq(0.5, 1.0, 1) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95 % and 99 % critical values.
        for (df, t95, t99) in [
            (1.0, 12.706, 63.657),
            (2.0, 4.303, 9.925),
            (5.0, 2.571, 4.032),
            (10.0, 2.228, 3.169),
            (30.0, 2.042, 2.750),
            (100.0, 1.984, 2.626),
        ] {
            assert!(
                (t_quantile(0.975, df) - t95).abs() < 2e-3,
                "df {df}: {}",
                t_quantile(0.975, df)
            );
            assert!(
                (t_quantile(0.995, df) - t99).abs() < 2e-3,
                "df {df}: {}",
                t_quantile(0.995, df)
            );
        }
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
    }

    #[test]
    fn quantiles_interpolate() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&xs, 0.5), 3.0);
        assert_eq!(quantile_sorted(&xs, 0.25), 2.0);
        assert!((quantile_sorted(&xs, 0.85) - 4.4).abs() < 1e-12);
    }

    #[test]
    fn summary_skips_nan_and_computes_ci() {
        let s = Summary::of(&[1.0, 2.0, f64::NAN, 3.0], 0.95);
        assert_eq!(s.n, 3);
        assert_eq!(s.mean, 2.0);
        assert!((s.sd - 1.0).abs() < 1e-12);
        assert!((s.half_width() - 4.303 / 3f64.sqrt()).abs() < 1e-2);
    }

    #[test]
    fn brooks_optimum_near_one_over_sqrt_3c() {
        let k = 0.0006;
        let best = (1..60)
            .min_by(|&a, &b| brooks_completion(1000.0, a, k, 0.8).total_cmp(&brooks_completion(1000.0, b, k, 0.8)))
            .unwrap();
        assert_eq!(best, (1.0 / (3.0 * k)).sqrt().round() as u32);
    }

    #[test]
    fn paired_counts_wins() {
        let p = paired(&[10.0, 10.0, 10.0, 10.0], &[9.0, 8.0, 11.0, 7.0], 0.95);
        assert_eq!(p.share_lower, 0.75);
        assert_eq!(p.diff.mean, -1.25);
    }
}
