//! `--vary PATH=VALUES`: value lists (`1,2,4`), ranges (`0.5..2.0:0.25`)
//! and the grid of points several `--vary` options make.

/// Most points a sweep may have (a typo in a range step should not start
/// a week-long run).
pub const MAX_POINTS: usize = 10_000;

/// Splits `PATH=VALUES` at the first `=` outside a quoted name.
pub fn split_vary(s: &str) -> Result<(&str, &str), String> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '=' if !quoted => {
                let (path, values) = (s[..i].trim(), s[i + 1..].trim());
                if path.is_empty() || values.is_empty() {
                    break;
                }
                return Ok((path, values));
            }
            _ => {}
        }
    }
    Err(format!(
        "expected PATH=VALUES such as `strategy.pods.pod_size=4,6,8` or `overhead.coefficient=0.0002..0.001:0.0002`, got `{s}`"
    ))
}

/// Parses VALUES: comma-separated numbers and ranges `LO..HI:STEP`
/// (inclusive of HI when a whole number of steps reaches it). Range values
/// are rounded to the decimals written, so `0.1..0.3:0.1` is 0.1, 0.2, 0.3
/// and not 0.30000000000000004. Duplicates are dropped, order is kept.
pub fn parse_values(s: &str) -> Result<Vec<f64>, String> {
    let mut out: Vec<f64> = Vec::new();
    for item in s.split(',') {
        let item = item.trim();
        if item.is_empty() {
            return Err(format!("empty value in `{s}`"));
        }
        let values = if let Some((lo, rest)) = item.split_once("..") {
            let (hi, step) = rest
                .split_once(':')
                .ok_or_else(|| format!("range `{item}` needs a step: LO..HI:STEP, e.g. 0.5..2.0:0.25"))?;
            range(number(lo)?, number(hi)?, number(step)?, &[lo, hi, step])?
        } else {
            vec![number(item)?]
        };
        for v in values {
            if !out.contains(&v) {
                out.push(v);
            }
            if out.len() > MAX_POINTS {
                return Err(format!("more than {MAX_POINTS} values in `{s}`"));
            }
        }
    }
    Ok(out)
}

fn number(s: &str) -> Result<f64, String> {
    let s = s.trim();
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("expected a number, got `{s}`")),
    }
}

/// Decimal places needed to write `text` (as typed, e.g. "0.25" -> 2, "1e-4" -> 4).
fn decimals(text: &str) -> i32 {
    let t = text.trim().to_ascii_lowercase();
    let (mantissa, exp) = match t.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<i32>().unwrap_or(0)),
        None => (t.clone(), 0),
    };
    let frac = mantissa.split_once('.').map_or(0, |(_, f)| f.len() as i32);
    (frac - exp).max(0)
}

fn range(lo: f64, hi: f64, step: f64, texts: &[&str]) -> Result<Vec<f64>, String> {
    if step <= 0.0 {
        return Err(format!("the step must be positive, got {step}"));
    }
    if hi < lo {
        return Err(format!("expected LO <= HI, got {lo}..{hi}"));
    }
    let span = (hi - lo) / step;
    if span > MAX_POINTS as f64 {
        return Err(format!(
            "{lo}..{hi}:{step} has more than {MAX_POINTS} values; is the step right?"
        ));
    }
    // A whole number of steps within rounding error still reaches HI.
    let n = (span + 1e-9 * span.max(1.0)).floor() as usize;
    let places = texts.iter().map(|t| decimals(t)).max().unwrap_or(0).min(15);
    let scale = 10f64.powi(places);
    Ok((0..=n)
        .map(|i| {
            let x = lo + i as f64 * step;
            let r = (x * scale).round() / scale;
            // Keep the rounded value only when it is what the user typed.
            if (r - x).abs() <= 1e-9 * step {
                r
            } else {
                x
            }
        })
        .collect())
}

/// All combinations of the axes' values, the first axis varying slowest.
pub fn cartesian(axes: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    let total = axes.iter().try_fold(1usize, |acc, a| acc.checked_mul(a.len().max(1)));
    match total {
        Some(t) if t <= MAX_POINTS => {}
        _ => return Err(format!("the grid has more than {MAX_POINTS} points; vary fewer values")),
    }
    let mut points: Vec<Vec<f64>> = vec![Vec::new()];
    for axis in axes {
        points = points
            .into_iter()
            .flat_map(|p| {
                axis.iter().map(move |&v| {
                    let mut q = p.clone();
                    q.push(v);
                    q
                })
            })
            .collect();
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(parse_values("1,2,4").unwrap(), vec![1.0, 2.0, 4.0]);
        assert_eq!(
            parse_values("0.5..2.0:0.25").unwrap(),
            vec![0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
        );
        // Float steps that are not exact in binary still land on the typed decimals.
        assert_eq!(parse_values("0.1..0.5:0.1").unwrap(), vec![0.1, 0.2, 0.3, 0.4, 0.5]);
        assert_eq!(
            parse_values("0.0002..0.001:0.0002").unwrap(),
            vec![0.0002, 0.0004, 0.0006, 0.0008, 0.001]
        );
        assert_eq!(parse_values("1e-4..3e-4:1e-4").unwrap(), vec![0.0001, 0.0002, 0.0003]);
        // HI not reached by a whole number of steps: stop below it.
        assert_eq!(parse_values("1..2:0.4").unwrap(), vec![1.0, 1.4, 1.8]);
        // Mixed, with duplicates dropped.
        assert_eq!(parse_values("1, 2..4:1, 4, 8").unwrap(), vec![1.0, 2.0, 3.0, 4.0, 8.0]);
        assert_eq!(parse_values("-1..1:1").unwrap(), vec![-1.0, 0.0, 1.0]);
        assert_eq!(parse_values("3..3:1").unwrap(), vec![3.0]);
    }

    #[test]
    fn bad_values_are_explained() {
        for (bad, words) in [
            ("", "empty"),
            ("1,,2", "empty"),
            ("a", "expected a number"),
            ("1..2", "needs a step"),
            ("2..1:0.5", "LO <= HI"),
            ("1..2:0", "positive"),
            ("1..2:-1", "positive"),
            ("0..1:0.00001", "more than"),
            ("nan", "expected a number"),
        ] {
            let e = parse_values(bad).unwrap_err();
            assert!(e.contains(words), "{bad:?}: {e}");
        }
    }

    #[test]
    fn vary_splits_outside_quotes() {
        assert_eq!(split_vary("a.b=1,2").unwrap(), ("a.b", "1,2"));
        assert_eq!(
            split_vary(r#"strategy."x=y".pods.count = 1..3:1"#).unwrap(),
            (r#"strategy."x=y".pods.count"#, "1..3:1")
        );
        assert!(split_vary("a.b").is_err());
        assert!(split_vary("=1").is_err());
        assert!(split_vary("a=").is_err());
    }

    #[test]
    fn grid_first_axis_slowest() {
        let g = cartesian(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0]]).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![1.0, 10.0]);
        assert_eq!(g[2], vec![1.0, 30.0]);
        assert_eq!(g[3], vec![2.0, 10.0]);
        assert_eq!(cartesian(&[]).unwrap(), vec![Vec::<f64>::new()]);
        assert!(cartesian(&[vec![0.0; 200], vec![0.0; 200]]).is_err());
    }
}
