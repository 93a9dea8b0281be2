//! Effort and handling-time distributions (MODEL.md §2), parameterised the way
//! analysts think (mean and coefficient of variation) and converted once, at
//! validation, to the parameters the samplers need.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, StandardNormal};

#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Fixed {
        value: f64,
    },
    Exponential {
        mean: f64,
    },
    /// Lognormal with the given mean and cv; `mu`, `sigma` are of the underlying normal.
    LogNormal {
        mean: f64,
        cv: f64,
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    /// Gamma with the given mean and cv: shape = 1/cv^2, scale = mean cv^2.
    Gamma {
        mean: f64,
        cv: f64,
        sampler: Gamma<f64>,
    },
    Uniform {
        min: f64,
        max: f64,
    },
}

/// Why a distribution's parameters are unusable; the scenario layer attaches the location.
#[derive(Debug, Clone, PartialEq)]
pub struct DistError(pub String);

impl Dist {
    pub fn fixed(value: f64) -> Result<Dist, DistError> {
        positive("value", value)?;
        Ok(Dist::Fixed { value })
    }
    pub fn exponential(mean: f64) -> Result<Dist, DistError> {
        positive("mean", mean)?;
        Ok(Dist::Exponential { mean })
    }
    pub fn lognormal(mean: f64, cv: f64) -> Result<Dist, DistError> {
        positive("mean", mean)?;
        positive("cv", cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        Ok(Dist::LogNormal {
            mean,
            cv,
            mu: mean.ln() - sigma2 / 2.0,
            sigma: sigma2.sqrt(),
        })
    }
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, DistError> {
        non_negative("min", min)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(DistError(format!(
                "triangular needs min <= mode <= max and min < max (got min = {min}, mode = {mode}, max = {max})"
            )));
        }
        Ok(Dist::Triangular { min, mode, max })
    }
    pub fn gamma(mean: f64, cv: f64) -> Result<Dist, DistError> {
        positive("mean", mean)?;
        positive("cv", cv)?;
        let shape = 1.0 / (cv * cv);
        let sampler =
            Gamma::new(shape, mean / shape).map_err(|e| DistError(format!("gamma parameters rejected: {e}")))?;
        Ok(Dist::Gamma { mean, cv, sampler })
    }
    pub fn uniform(min: f64, max: f64) -> Result<Dist, DistError> {
        non_negative("min", min)?;
        if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less) {
            return Err(DistError(format!(
                "uniform needs min < max (got min = {min}, max = {max})"
            )));
        }
        Ok(Dist::Uniform { min, max })
    }

    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Exponential { mean } => mean,
            Dist::LogNormal { mean, .. } => mean,
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Gamma { mean, .. } => mean,
            Dist::Uniform { min, max } => (min + max) / 2.0,
        }
    }

    /// The distribution's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Fixed { .. } => "fixed",
            Dist::Exponential { .. } => "exponential",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Triangular { .. } => "triangular",
            Dist::Gamma { .. } => "gamma",
            Dist::Uniform { .. } => "uniform",
        }
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Fixed { value } => value,
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::LogNormal { mu, sigma, .. } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Dist::Triangular { min, mode, max } => {
                let u = unit(rng);
                let c = (mode - min) / (max - min);
                if u < c {
                    min + ((max - min) * (mode - min) * u).sqrt()
                } else {
                    max - ((max - min) * (max - mode) * (1.0 - u)).sqrt()
                }
            }
            Dist::Gamma { ref sampler, .. } => sampler.sample(rng),
            Dist::Uniform { min, max } => min + (max - min) * unit(rng),
        }
    }
}

/// A uniform draw in [0, 1) with 53 bits of precision.
#[inline]
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An exponential draw with the given rate (per hour).
#[inline]
pub fn exp_with_rate<R: Rng + ?Sized>(rng: &mut R, rate: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e / rate
}

/// A Poisson draw by inversion; means used here are small (questions per item).
pub fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u32 {
    poisson_with_p0(rng, mean, (-mean).exp())
}

/// [`poisson`] with `p0 = exp(-mean)` computed by the caller, once per
/// mean rather than once per draw (the same numbers).
pub fn poisson_with_p0<R: Rng + ?Sized>(rng: &mut R, mean: f64, p0: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    let u = unit(rng);
    let mut p = p0;
    let mut cdf = p;
    let mut k = 0u32;
    // Inversion stays exact for the small means of questions per item; the
    // bound only guards against a pathological mean (validation caps it).
    while u >= cdf && k < 10_000 {
        k += 1;
        p *= mean / k as f64;
        cdf += p;
        if p < 1e-300 {
            break;
        }
    }
    k
}

fn positive(field: &str, v: f64) -> Result<(), DistError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(DistError(format!("`{field}` must be a positive number (got {v})")))
    }
}

fn non_negative(field: &str, v: f64) -> Result<(), DistError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(DistError(format!("`{field}` must be zero or positive (got {v})")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn sample_mean(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, (v / n as f64).sqrt())
    }

    #[test]
    fn sample_means_match_declared_means() {
        let dists = [
            Dist::fixed(3.0).unwrap(),
            Dist::exponential(2.0).unwrap(),
            Dist::lognormal(4.0, 0.6).unwrap(),
            Dist::triangular(2.0, 4.0, 10.0).unwrap(),
            Dist::gamma(5.0, 0.5).unwrap(),
            Dist::uniform(1.0, 3.0).unwrap(),
        ];
        for d in &dists {
            let (m, se) = sample_mean(d, 200_000);
            assert!(
                (m - d.mean()).abs() <= 4.0 * se + 1e-12,
                "{}: sample mean {m} vs {} (se {se})",
                d.name(),
                d.mean()
            );
        }
    }

    #[test]
    fn poisson_mean_matches() {
        let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(1);
        let n = 100_000;
        let s: u64 = (0..n).map(|_| poisson(&mut rng, 0.5) as u64).sum();
        let m = s as f64 / n as f64;
        assert!((m - 0.5).abs() < 4.0 * (0.5f64 / n as f64).sqrt());
    }

    #[test]
    fn poisson_with_a_precomputed_p0_draws_the_same_numbers() {
        for mean in [0.0f64, 0.3, 2.5] {
            let mut a = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(7);
            let mut b = a.clone();
            let p0 = (-mean).exp();
            for _ in 0..1_000 {
                assert_eq!(poisson(&mut a, mean), poisson_with_p0(&mut b, mean, p0));
            }
        }
    }

    #[test]
    fn bad_parameters_are_rejected() {
        assert!(Dist::triangular(5.0, 4.0, 10.0).is_err());
        assert!(Dist::lognormal(-1.0, 0.5).is_err());
        assert!(Dist::uniform(3.0, 3.0).is_err());
        assert!(Dist::exponential(f64::NAN).is_err());
    }
}
