//! Pareto frontier over (point, strategy) pairs on two (or more) metrics:
//! a pair is dominated when another is at least as good on every metric and
//! better on one. Directions come from the metric catalogue
//! (`crate::metrics`), or are given
//! as `metric:min` / `metric:max`.

use crate::metrics::Better;

/// A metric and which way is better.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub metric: String,
    pub better: Better,
}

/// The direction podsim assumes for a metric, when there is an obvious one
/// (from the metric catalogue).
pub fn default_better(metric: &str) -> Option<Better> {
    crate::metrics::describe(metric).better
}

/// Parses `cost_total,finish_week` or `items_done:max,cost_total:min`.
/// Metric names are checked by the caller (they depend on the scenario).
pub fn parse_objectives(s: &str) -> Result<Vec<Objective>, String> {
    let mut out: Vec<Objective> = Vec::new();
    for item in s.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(format!("empty metric in `{s}`"));
        }
        let (metric, better) = match item.split_once(':') {
            Some((m, "min")) => (m.trim(), Better::Lower),
            Some((m, "max")) => (m.trim(), Better::Higher),
            Some((_, d)) => {
                return Err(format!(
                    "`{item}`: the direction after `:` is `min` (lower is better) or `max`, not `{d}`"
                ))
            }
            None => (
                item,
                default_better(item).ok_or_else(|| {
                    format!("`{item}`: say whether lower or higher is better: `{item}:min` or `{item}:max`")
                })?,
            ),
        };
        if out.iter().any(|o| o.metric == metric) {
            return Err(format!("`{metric}` appears twice in `{s}`"));
        }
        out.push(Objective {
            metric: metric.to_string(),
            better,
        });
    }
    if out.len() < 2 {
        return Err(format!(
            "a Pareto frontier needs two metrics, e.g. `cost_total,finish_week`; got `{s}`"
        ));
    }
    Ok(out)
}

/// Where a candidate stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// No other candidate dominates it.
    Frontier,
    /// Dominated, e.g. by this frontier candidate.
    Dominated { by: usize },
    /// A metric is undefined (NaN) for it.
    Undefined,
}

impl Mark {
    pub fn name(self) -> &'static str {
        match self {
            Mark::Frontier => "frontier",
            Mark::Dominated { .. } => "dominated",
            Mark::Undefined => "undefined",
        }
    }
}

/// Whether `a` dominates `b`: at least as good on every metric, better on one.
pub fn dominates(a: &[f64], b: &[f64], better: &[Better]) -> bool {
    let mut strictly = false;
    for ((x, y), d) in a.iter().zip(b).zip(better) {
        let (x, y) = match d {
            Better::Lower => (*x, *y),
            Better::Higher => (-x, -y),
        };
        if x > y {
            return false;
        }
        if x < y {
            strictly = true;
        }
    }
    strictly
}

/// Marks every candidate (`values[i]` = its metric values, in the order of
/// `better`). Equal candidates do not dominate each other.
pub fn frontier(values: &[Vec<f64>], better: &[Better]) -> Vec<Mark> {
    let defined = |v: &[f64]| v.iter().all(|x| x.is_finite());
    let on_front: Vec<bool> = values
        .iter()
        .map(|v| defined(v) && !values.iter().any(|w| defined(w) && dominates(w, v, better)))
        .collect();
    values
        .iter()
        .map(|v| {
            if !defined(v) {
                return Mark::Undefined;
            }
            match (0..values.len()).find(|&j| on_front[j] && dominates(&values[j], v, better)) {
                Some(by) => Mark::Dominated { by },
                None => Mark::Frontier,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Better::*;

    #[test]
    fn dominance_respects_directions() {
        assert!(dominates(&[1.0, 1.0], &[2.0, 2.0], &[Lower, Lower]));
        assert!(dominates(&[1.0, 2.0], &[1.0, 3.0], &[Lower, Lower]));
        assert!(
            !dominates(&[1.0, 2.0], &[1.0, 2.0], &[Lower, Lower]),
            "equal does not dominate"
        );
        assert!(!dominates(&[1.0, 3.0], &[2.0, 2.0], &[Lower, Lower]), "a trade-off");
        assert!(dominates(&[1.0, 3.0], &[2.0, 2.0], &[Lower, Higher]));
    }

    #[test]
    fn frontier_marks_each_candidate() {
        // cost (lower), deep focus (higher)
        let v = vec![
            vec![100.0, 10.0], // 0 frontier: cheapest
            vec![150.0, 30.0], // 1 frontier: trade-off
            vec![160.0, 20.0], // 2 dominated by 1
            vec![200.0, 30.0], // 3 dominated by 1
            vec![150.0, 30.0], // 4 equal to 1: frontier too
            vec![f64::NAN, 50.0],
        ];
        let m = frontier(&v, &[Lower, Higher]);
        assert_eq!(m[0], Mark::Frontier);
        assert_eq!(m[1], Mark::Frontier);
        assert_eq!(m[2], Mark::Dominated { by: 1 });
        assert_eq!(m[3], Mark::Dominated { by: 1 });
        assert_eq!(m[4], Mark::Frontier);
        assert_eq!(m[5], Mark::Undefined);
    }

    #[test]
    fn objectives_take_directions_from_headlines_or_suffixes() {
        let o = parse_objectives("cost_total,finish_week").unwrap();
        assert_eq!(o[0].better, Lower);
        assert_eq!(o[1].better, Lower);
        let o = parse_objectives("cost_total, deep_focus_h_per_senior_week").unwrap();
        assert_eq!(o[1].better, Higher);
        let o = parse_objectives("utilisation.domain_expert:max,cost_total").unwrap();
        assert_eq!(o[0].better, Higher);
        assert!(parse_objectives("utilisation.domain_expert,cost_total")
            .unwrap_err()
            .contains(":max"));
        assert!(parse_objectives("cost_total").unwrap_err().contains("two metrics"));
        assert!(parse_objectives("cost_total:up,finish_week")
            .unwrap_err()
            .contains("min"));
        assert!(parse_objectives("cost_total,cost_total").unwrap_err().contains("twice"));
        assert_eq!(default_better("senior_questions_h_per_senior_week"), Some(Lower));
        assert_eq!(default_better("finish_week.annotation"), Some(Lower));
    }
}
