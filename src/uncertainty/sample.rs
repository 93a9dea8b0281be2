//! Distributions of uncertain inputs and the Latin hypercube over a run's
//! replications (McKay, Beckman & Conover 1979).
//!
//! Replication r of a run of N draws, for input j, the stratum
//! `perm_j(r)` of N equal-probability strata and a uniform point inside it:
//! `u = (perm_j(r) + v) / N`, then the input's quantile function at `u`.
//! `perm_j` is a keyed bijection of 0..N (a Feistel network with cycle
//! walking), so replication r's world is computed from (seed, N, input, r)
//! alone: shards and threads never change it, and no table of N entries is
//! kept. Keys come from the input's field path, so declaring another input
//! does not move the samples of the others.

use crate::sim::rng::mix64;
use crate::stats::normal_quantile;

/// z of the 5th/95th percentiles of a normal: a 90 % interval is
/// mean ± 1.6449 sd.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// The shape of an uncertain input's distribution (docs/UNCERTAINTY.md).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// `{ low, high }` or `dist = "normal"`: a normal whose 5th and 95th
    /// percentiles are low and high, truncated to the field's valid range.
    Normal { low: f64, high: f64 },
    /// `dist = "lognormal"`: log-normal with 5th/95th percentiles low, high
    /// (low > 0), truncated to the field's valid range.
    Lognormal { low: f64, high: f64 },
    /// `{ low, mode, high }` or `dist = "triangular"`.
    Triangular { low: f64, mode: f64, high: f64 },
    /// `dist = "uniform"`.
    Uniform { low: f64, high: f64 },
}

impl Shape {
    pub fn low(&self) -> f64 {
        match *self {
            Shape::Normal { low, .. }
            | Shape::Lognormal { low, .. }
            | Shape::Triangular { low, .. }
            | Shape::Uniform { low, .. } => low,
        }
    }
    pub fn high(&self) -> f64 {
        match *self {
            Shape::Normal { high, .. }
            | Shape::Lognormal { high, .. }
            | Shape::Triangular { high, .. }
            | Shape::Uniform { high, .. } => high,
        }
    }
    /// The name written in run.json and docs.
    pub fn name(&self) -> &'static str {
        match self {
            Shape::Normal { .. } => "normal",
            Shape::Lognormal { .. } => "lognormal",
            Shape::Triangular { .. } => "triangular",
            Shape::Uniform { .. } => "uniform",
        }
    }

    /// The value at probability `u` in (0, 1), truncated to `[lo, hi]` (the
    /// field's valid range) for the unbounded shapes.
    pub fn quantile(&self, u: f64, lo: f64, hi: f64) -> f64 {
        match *self {
            Shape::Uniform { low, high } => low + u * (high - low),
            Shape::Triangular { low, mode, high } => {
                let w = high - low;
                let f = (mode - low) / w;
                if u < f {
                    low + (u * w * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * w * (high - mode)).sqrt()
                }
            }
            Shape::Normal { low, high } => {
                let mu = (low + high) / 2.0;
                let sd = (high - low) / (2.0 * Z90);
                truncated(u, mu, sd, lo, hi, |x| x, |z| z)
            }
            Shape::Lognormal { low, high } => {
                let (a, b) = (low.ln(), high.ln());
                let mu = (a + b) / 2.0;
                let sd = (b - a) / (2.0 * Z90);
                let to = |x: f64| if x > 0.0 { x.ln() } else { f64::NEG_INFINITY };
                truncated(u, mu, sd, lo, hi, to, f64::exp)
            }
        }
    }
}

/// Inverse CDF of a normal (mu, sd) in the transformed scale `to`,
/// truncated to [lo, hi] in the original scale, mapped back by `back`.
fn truncated(u: f64, mu: f64, sd: f64, lo: f64, hi: f64, to: impl Fn(f64) -> f64, back: impl Fn(f64) -> f64) -> f64 {
    let p_lo = normal_cdf((to(lo) - mu) / sd);
    let p_hi = normal_cdf((to(hi) - mu) / sd);
    let p = (p_lo + u * (p_hi - p_lo)).clamp(1e-300, 1.0 - 1e-16);
    back(mu + sd * normal_quantile(p)).clamp(lo, hi)
}

/// Standard normal CDF, from erfc (W. J. Cody's rational approximations
/// are overkill here: the error of this one, < 1.2e-7, is far below what a
/// sampled world can notice).
pub fn normal_cdf(z: f64) -> f64 {
    if z == f64::INFINITY {
        return 1.0;
    }
    if z == f64::NEG_INFINITY {
        return 0.0;
    }
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function (Numerical Recipes' erfcc, |rel. error| < 1.2e-7).
#[allow(clippy::excessive_precision)]
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// A key for an input: a hash of its field path (FNV-1a, then mixed).
pub fn input_key(path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix64(h)
}

/// Sets apart the streams of the hypercube from the engine's.
const LHS: u64 = 0x4C48_535F_5749_4F52;

/// The position of replication `r` in a keyed permutation of 0..n.
pub fn permute(r: u64, n: u64, key: u64) -> u64 {
    debug_assert!(r < n);
    if n <= 1 {
        return 0;
    }
    // A balanced Feistel network on 2 * half bits covering n, with cycle
    // walking: apply until the value falls inside 0..n (a bijection of
    // 0..n, since the network is a bijection of the larger domain).
    let bits = 64 - (n - 1).leading_zeros();
    let half = bits.div_ceil(2).max(1);
    let mask = (1u64 << half) - 1;
    let mut x = r;
    loop {
        let (mut left, mut right) = (x >> half, x & mask);
        for round in 0..4u64 {
            let f = mix64(right ^ mix64(key ^ round)) & mask;
            (left, right) = (right, left ^ f);
        }
        x = (left << half) | right;
        if x < n {
            return x;
        }
    }
}

/// The hypercube's u in (0, 1) for input `key`, replication `r` of `n`.
pub fn lhs_u(seed: u64, n: u64, key: u64, r: u64) -> f64 {
    let k = mix64(seed ^ mix64(key ^ LHS));
    let stratum = permute(r, n, k);
    let bits = mix64(k ^ mix64(r.wrapping_add(LHS)));
    let v = ((bits >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    (stratum as f64 + v) / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permutation_is_a_bijection_for_awkward_sizes() {
        for n in [1u64, 2, 3, 7, 64, 100, 1000, 1025] {
            let mut seen = vec![false; n as usize];
            for r in 0..n {
                let p = permute(r, n, 12345) as usize;
                assert!(!seen[p], "n {n}: {p} twice");
                seen[p] = true;
            }
        }
    }

    #[test]
    fn every_stratum_holds_exactly_one_replication() {
        let n = 200;
        let mut counts = vec![0; n as usize];
        for r in 0..n {
            let u = lhs_u(7, n, input_key("overhead.coefficient"), r);
            assert!(u > 0.0 && u < 1.0);
            counts[(u * n as f64) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c == 1));
        // Another input is paired with other strata.
        let a: Vec<u64> = (0..n).map(|r| permute(r, n, input_key("a"))).collect();
        let b: Vec<u64> = (0..n).map(|r| permute(r, n, input_key("b"))).collect();
        assert_ne!(a, b);
    }

    #[test]
    fn shapes_have_their_percentiles() {
        let n = Shape::Normal { low: 1.0, high: 3.0 };
        assert!((n.quantile(0.05, f64::NEG_INFINITY, f64::INFINITY) - 1.0).abs() < 1e-6);
        assert!((n.quantile(0.95, f64::NEG_INFINITY, f64::INFINITY) - 3.0).abs() < 1e-6);
        // Truncated at 0: nothing below.
        let w = Shape::Normal { low: 0.0, high: 1.0 };
        assert!(w.quantile(0.001, 0.0, 1.0) >= 0.0);
        assert!(
            (w.quantile(0.5, 0.0, 1.0) - 0.5).abs() < 1e-6,
            "symmetric truncation keeps the median"
        );
        let l = Shape::Lognormal { low: 1.0, high: 4.0 };
        assert!(
            (l.quantile(0.5, 0.0, f64::INFINITY) - 2.0).abs() < 1e-6,
            "median is the geometric mean"
        );
        let t = Shape::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        };
        assert!((t.quantile(0.5, 0.0, 2.0) - 1.0).abs() < 1e-12);
        assert!((t.quantile(0.125, 0.0, 2.0) - 0.5).abs() < 1e-12);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    }
}
