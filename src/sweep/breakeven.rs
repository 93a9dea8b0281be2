//! Break-even search: where, as one parameter moves between two values, two
//! strategies become equal on a metric. The paired difference `b - a` (same
//! replications at every value) is evaluated at the ends, then bisected
//! until the bracket of the sign change is narrower than the tolerance. Its
//! uncertainty is the interval of parameter values where the difference's
//! 95 % CI contains 0, whose edges are bisected the same way. Bisection
//! assumes one crossing in the range (a difference monotone in the
//! parameter); a `--vary` sweep shows whether that holds.

use crate::stats::Summary;

/// The search range and resolution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    pub lo: f64,
    pub hi: f64,
    /// Stop when the bracket is at most this wide.
    pub tol: f64,
    /// The parameter takes whole numbers: evaluate integers only.
    pub integer: bool,
}

/// Bisection steps per search at most (2^-60 of the range is below any tolerance).
const MAX_STEPS: usize = 60;

impl Spec {
    pub fn check(&self) -> Result<(), String> {
        if !(self.lo.is_finite() && self.hi.is_finite() && self.lo < self.hi) {
            return Err(format!(
                "--between: expected LO,HI with LO < HI, got {},{}",
                self.lo, self.hi
            ));
        }
        if !(self.tol > 0.0 && self.tol.is_finite()) {
            return Err(format!("--tol: expected a positive number, got {}", self.tol));
        }
        if self.integer && (self.lo.fract() != 0.0 || self.hi.fract() != 0.0) {
            return Err(format!(
                "--between: the parameter takes whole numbers; got {},{}",
                self.lo, self.hi
            ));
        }
        Ok(())
    }

    /// Evaluations a search typically makes (sizes the progress bar; the
    /// bisection may take a few more, as it favours round values).
    pub fn max_evaluations(&self) -> u64 {
        let steps = ((self.hi - self.lo) / self.width())
            .log2()
            .ceil()
            .clamp(0.0, MAX_STEPS as f64) as u64;
        2 + 3 * (steps + 1)
    }

    fn width(&self) -> f64 {
        if self.integer {
            self.tol.max(1.0)
        } else {
            self.tol
        }
    }

    /// A point inside (a, b) near the middle: the number with the fewest
    /// decimals in the middle half, so evaluated values read like 0.0014
    /// rather than 0.0014140625 (the bracket still shrinks by a quarter or
    /// more per step).
    fn mid(&self, a: f64, b: f64) -> f64 {
        let m = a + (b - a) / 2.0;
        if self.integer {
            return m.floor();
        }
        let (lo, hi) = (a + (b - a) / 4.0, b - (b - a) / 4.0);
        (0..=20)
            .filter_map(|places| format!("{m:.places$}").parse::<f64>().ok())
            .find(|&v| lo <= v && v <= hi && a < v && v < b)
            .unwrap_or(m)
    }
}

/// One evaluation: both strategies' metric and their paired difference `b - a`.
#[derive(Clone, Debug)]
pub struct Eval {
    pub x: f64,
    pub a: Summary,
    pub b: Summary,
    pub diff: Summary,
    /// Why it was evaluated: "end", "crossing", "ci edge".
    pub purpose: &'static str,
}

impl Eval {
    /// Whether the difference's CI contains 0 (None when there is no CI).
    pub fn ci_contains_zero(&self) -> Option<bool> {
        let d = &self.diff;
        (d.ci_low.is_finite() && d.ci_high.is_finite()).then_some(d.ci_low <= 0.0 && 0.0 <= d.ci_high)
    }
}

/// An end of the uncertainty interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub x: f64,
    /// The CI still contains 0 at the end of the range: the interval goes
    /// on beyond it.
    pub beyond_range: bool,
}

/// The result of a search.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub spec: Spec,
    /// Every evaluation, sorted by parameter value.
    pub evals: Vec<Eval>,
    /// Sign of the mean difference `b - a` at the low end (-1, 0, 1).
    pub sign_at_lo: i8,
    pub sign_at_hi: i8,
    /// The final bracket of the sign change (equal ends: an exact zero).
    pub bracket: Option<(f64, f64)>,
    /// Where the mean difference crosses 0 (linear interpolation in the bracket).
    pub crossing: Option<f64>,
    /// Parameter values where the 95 % CI of the difference contains 0
    /// (None without a crossing, or with fewer than 2 replications).
    pub ci_interval: Option<(Edge, Edge)>,
}

fn sign(x: f64) -> i8 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// Runs the search; `eval(x, purpose)` simulates both strategies at `x`.
pub fn search<E>(spec: Spec, mut eval: impl FnMut(f64) -> Result<Eval, E>) -> Result<Outcome, E> {
    let mut done: Vec<Eval> = Vec::new();
    let mut at = |x: f64, purpose: &'static str, done: &mut Vec<Eval>| -> Result<Eval, E> {
        if let Some(e) = done.iter().find(|e| e.x.to_bits() == x.to_bits()) {
            return Ok(e.clone());
        }
        let mut e = eval(x)?;
        e.x = x;
        e.purpose = purpose;
        done.push(e.clone());
        Ok(e)
    };
    let lo = at(spec.lo, "end", &mut done)?;
    let hi = at(spec.hi, "end", &mut done)?;
    let (s_lo, s_hi) = (sign(lo.diff.mean), sign(hi.diff.mean));
    let mut outcome = Outcome {
        spec,
        evals: Vec::new(),
        sign_at_lo: s_lo,
        sign_at_hi: s_hi,
        bracket: None,
        crossing: None,
        ci_interval: None,
    };
    let undefined = !lo.diff.mean.is_finite() || !hi.diff.mean.is_finite();
    if undefined || (s_lo == s_hi && s_lo != 0) {
        done.sort_by(|a, b| a.x.total_cmp(&b.x));
        outcome.evals = done;
        return Ok(outcome);
    }
    // Bisect the sign change of the mean difference.
    let (mut a, mut b) = (spec.lo, spec.hi);
    if s_lo == 0 {
        b = a;
    } else if s_hi == 0 {
        a = b;
    }
    let mut steps = 0;
    while b - a > spec.width() && steps < MAX_STEPS {
        let m = spec.mid(a, b);
        if m <= a || m >= b {
            break;
        }
        let e = at(m, "crossing", &mut done)?;
        match sign(e.diff.mean) {
            0 => {
                a = m;
                b = m;
            }
            s if s == s_lo => a = m,
            _ => b = m,
        }
        steps += 1;
    }
    let mean_at = |x: f64, done: &[Eval]| done.iter().find(|e| e.x == x).map_or(f64::NAN, |e| e.diff.mean);
    let (ma, mb) = (mean_at(a, &done), mean_at(b, &done));
    outcome.bracket = Some((a, b));
    outcome.crossing = Some(if a == b || ma == mb {
        (a + b) / 2.0
    } else {
        a + (b - a) * ma / (ma - mb)
    });

    // The interval where the CI contains 0: bisect each edge between the
    // outermost value where it does and the nearest beyond where it does not.
    if done.iter().all(|e| e.ci_contains_zero().is_some()) {
        let containing: Vec<f64> = done
            .iter()
            .filter(|e| e.ci_contains_zero() == Some(true))
            .map(|e| e.x)
            .collect();
        if containing.is_empty() {
            // Narrower than the tolerance (e.g. no randomness): the bracket itself.
            outcome.ci_interval = Some((
                Edge {
                    x: a,
                    beyond_range: false,
                },
                Edge {
                    x: b,
                    beyond_range: false,
                },
            ));
        } else {
            let inner_lo = containing.iter().copied().fold(f64::INFINITY, f64::min);
            let inner_hi = containing.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let left = edge(&spec, &mut done, &mut at, inner_lo, true)?;
            let right = edge(&spec, &mut done, &mut at, inner_hi, false)?;
            outcome.ci_interval = Some((left, right));
        }
    }
    done.sort_by(|a, b| a.x.total_cmp(&b.x));
    outcome.evals = done;
    Ok(outcome)
}

/// Bisects one edge of the CI-contains-0 interval outward from `inner`
/// (where it contains 0). Returns the nearest value found where it does
/// not, within the tolerance, or the range end.
fn edge<E>(
    spec: &Spec,
    done: &mut Vec<Eval>,
    at: &mut impl FnMut(f64, &'static str, &mut Vec<Eval>) -> Result<Eval, E>,
    inner: f64,
    leftward: bool,
) -> Result<Edge, E> {
    let outside = |e: &Eval| e.ci_contains_zero() == Some(false);
    let beyond: Option<f64> = if leftward {
        done.iter()
            .filter(|e| e.x < inner && outside(e))
            .map(|e| e.x)
            .fold(None, |m, x| Some(m.map_or(x, |m: f64| m.max(x))))
    } else {
        done.iter()
            .filter(|e| e.x > inner && outside(e))
            .map(|e| e.x)
            .fold(None, |m, x| Some(m.map_or(x, |m: f64| m.min(x))))
    };
    let Some(mut out) = beyond else {
        return Ok(Edge {
            x: if leftward { spec.lo } else { spec.hi },
            beyond_range: true,
        });
    };
    let mut inn = inner;
    let mut steps = 0;
    while (inn - out).abs() > spec.width() && steps < MAX_STEPS {
        let m = if leftward {
            spec.mid(out, inn)
        } else {
            spec.mid(inn, out)
        };
        if m == inn || m == out {
            break;
        }
        let e = at(m, "ci edge", done)?;
        if e.ci_contains_zero() == Some(true) {
            inn = m;
        } else {
            out = m;
        }
        steps += 1;
    }
    Ok(Edge {
        x: out,
        beyond_range: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Summary;

    /// An evaluation with mean difference `d` and CI half-width `h`.
    fn fake(x: f64, d: f64, h: f64) -> Eval {
        let s = Summary::of(&[0.0, 0.0], 0.95);
        let diff = Summary {
            mean: d,
            ci_low: d - h,
            ci_high: d + h,
            ..s.clone()
        };
        Eval {
            x,
            a: s.clone(),
            b: s,
            diff,
            purpose: "",
        }
    }

    #[test]
    fn finds_a_linear_crossing_and_its_ci_interval() {
        // d(x) = 2x - 3 crosses 0 at 1.5; CI +-0.5 contains 0 for x in [1.25, 1.75].
        let spec = Spec {
            lo: 0.0,
            hi: 4.0,
            tol: 1e-6,
            integer: false,
        };
        let out = search::<()>(spec, |x| Ok(fake(x, 2.0 * x - 3.0, 0.5))).unwrap();
        let x = out.crossing.unwrap();
        assert!((x - 1.5).abs() < 1e-6, "{x}");
        let (a, b) = out.bracket.unwrap();
        assert!(b - a <= 1e-6 && a <= 1.5 && 1.5 <= b);
        let (l, r) = out.ci_interval.unwrap();
        assert!((l.x - 1.25).abs() < 2e-6 && (r.x - 1.75).abs() < 2e-6, "{l:?} {r:?}");
        assert!(!l.beyond_range && !r.beyond_range);
        assert_eq!((out.sign_at_lo, out.sign_at_hi), (-1, 1));
        assert!(out.evals.windows(2).all(|w| w[0].x < w[1].x));
    }

    #[test]
    fn reports_no_crossing_and_open_ci_edges() {
        let spec = Spec {
            lo: 0.0,
            hi: 1.0,
            tol: 1e-3,
            integer: false,
        };
        let out = search::<()>(spec, |x| Ok(fake(x, 1.0 + x, 0.1))).unwrap();
        assert!(out.crossing.is_none() && out.bracket.is_none());
        assert_eq!(out.evals.len(), 2);
        // A CI wider than the range: the interval runs past both ends.
        let out = search::<()>(spec, |x| Ok(fake(x, x - 0.5, 5.0))).unwrap();
        let (l, r) = out.ci_interval.unwrap();
        assert!(l.beyond_range && r.beyond_range);
    }

    #[test]
    fn integers_bracket_between_neighbours() {
        let spec = Spec {
            lo: 1.0,
            hi: 40.0,
            tol: 1.0,
            integer: true,
        };
        let out = search::<()>(spec, |x| Ok(fake(x, x - 17.5, 0.0))).unwrap();
        assert_eq!(out.bracket, Some((17.0, 18.0)));
        assert!(out.evals.iter().all(|e| e.x.fract() == 0.0));
        assert!((out.crossing.unwrap() - 17.5).abs() < 1e-12);
    }

    #[test]
    fn errors_stop_the_search() {
        let spec = Spec {
            lo: 0.0,
            hi: 1.0,
            tol: 0.1,
            integer: false,
        };
        assert_eq!(search(spec, |_| Err::<Eval, _>("bad point")).unwrap_err(), "bad point");
        assert!(Spec { lo: 1.0, ..spec }.check().is_err());
        assert!(Spec { tol: 0.0, ..spec }.check().is_err());
    }
}
