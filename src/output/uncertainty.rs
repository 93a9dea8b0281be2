//! Words and files for results over worlds (docs/UNCERTAINTY.md):
//! uncertainty.json (everything `uncertainty::analyse` computed),
//! drivers.csv (one row per pair, metric and input) and the terminal block
//! printed after the comparison table.

use super::{csv_field, num, write_atomic, OutputError};
use crate::metrics::format::{auto, auto_like, Format};
use crate::results;
use crate::sim::M;
use crate::uncertainty::analyse::{Driver, PairMetric, Results};
use crate::uncertainty::Record;
use std::fmt::Write as _;
use std::path::Path;

/// uncertainty.json: the inputs as declared and every result.
pub fn json(results: &Results, record: &Record) -> String {
    let v = serde_json::json!({
        "inputs": record.inputs,
        "constants": record.constants,
        "basis": record.basis,
        "results": results,
    });
    format!("{}\n", serde_json::to_string_pretty(&v).expect("results serialise"))
}

/// drivers.csv: one row per (pair, metric, input), ranked.
pub fn drivers_csv(results: &Results) -> String {
    let mut out = results::header_line(&results::DRIVERS_COLUMNS);
    for p in &results.pairs {
        for d in &p.drivers {
            let t = d.threshold.as_ref();
            let r = t.and_then(|t| t.refined.as_ref());
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{}",
                csv_field(&p.a),
                csv_field(&p.b),
                csv_field(&p.metric),
                csv_field(&d.input),
                d.rank,
                num(d.prcc),
                t.map_or(String::new(), |t| num(t.at)),
                t.map_or(String::new(), |t| num(t.low)),
                t.map_or(String::new(), |t| num(t.high)),
                t.map_or("", |t| t.b_better_when.as_str()),
                r.map_or(String::new(), |r| num(r.at)),
                r.map_or(String::new(), |r| num(r.low)),
                r.map_or(String::new(), |r| num(r.high)),
            );
        }
    }
    out
}

/// Writes uncertainty.json and drivers.csv into `dir`.
pub fn write(dir: &Path, results: &Results, record: &Record) -> Result<(), OutputError> {
    write_atomic(&dir.join(results::UNCERTAINTY_JSON), json(results, record).as_bytes())?;
    write_atomic(&dir.join(results::DRIVERS_CSV), drivers_csv(results).as_bytes())
}

/// Removes uncertainty.json and drivers.csv from `dir` (missing files are
/// fine): a run without worlds, or a shard, written into a folder that an
/// earlier run over worlds wrote must not leave them behind, since charts
/// and reports read them as this run's.
pub fn remove(dir: &Path) -> Result<(), OutputError> {
    for name in [results::UNCERTAINTY_JSON, results::DRIVERS_CSV] {
        let p = dir.join(name);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(OutputError::Io {
                    path: p.display().to_string(),
                    source: e,
                })
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn metric_words(name: &str) -> (String, Format) {
    match M::from_name(name) {
        Some(m) => (m.info().label.to_lowercase(), m.info().format),
        None => (name.replace('_', " "), Format::Count),
    }
}

fn label_of<'r>(record: &'r Record, path: &'r str) -> &'r str {
    record
        .inputs
        .iter()
        .find(|i| i.path == path)
        .map_or(path, |i| i.label.as_str())
}

/// "\"pods\" has the lower total cost than \"individual\" only if freelancer
/// attrition per year is above 0.55 (90 % interval 0.48-0.63)".
///
/// The refined threshold (break-even search, the other inputs at their
/// central values) when there is one, else the fit's; an interval that runs
/// past the range searched says so.
pub fn threshold_sentence(p: &PairMetric, d: &Driver, label: &str) -> Option<String> {
    let t = d.threshold.as_ref()?;
    let (metric, _) = metric_words(&p.metric);
    let (at, low, high) = t.worded();
    let (low_open, high_open) = t.refined.as_ref().map_or((false, false), |r| (r.low_open, r.high_open));
    // An interval still open at an end of the range searched says so.
    let interval = if low_open || high_open {
        format!(
            "from {}{} to {}{}",
            auto_like(low, at),
            if low_open { " or less" } else { "" },
            auto_like(high, at),
            if high_open { " or more" } else { "" }
        )
    } else {
        format!("{}-{}", auto_like(low, at), auto_like(high, at))
    };
    Some(format!(
        "\"{}\" has the {} {metric} than \"{}\" only if {label} is {} {} (90 % interval {interval}; {})",
        p.b,
        p.better,
        p.a,
        t.b_better_when,
        auto_like(at, at),
        if t.refined.is_some() {
            "re-simulated with the other inputs at their central values"
        } else {
            "a linear fit over the worlds, the other inputs at their means"
        },
    ))
}

/// The terminal block: P(better) beside the CI, what would have to be
/// true, the decision value and the value of information.
pub fn text(results: &Results, record: &Record, baseline: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nOver {} plausible worlds (one per replication; inputs from [uncertainty], docs/UNCERTAINTY.md):",
        results.worlds
    );
    for i in &record.inputs {
        let mode = i.mode.map(|m| format!(", mode {}", auto(m))).unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} (`{}`): {} {}-{}{mode}",
            i.label,
            i.path,
            i.dist,
            auto(i.low),
            auto(i.high)
        );
    }
    let _ = writeln!(
        out,
        "\nAgainst \"{baseline}\": mean difference with its 95 % CI (simulation noise), and the share of worlds in which each is better (spread over what we don't know):"
    );
    // Columns sized to their longest entry, so long metric names and wide
    // money intervals do not shift the shares out of line.
    let rows: Vec<[String; 4]> = results
        .pairs
        .iter()
        .filter(|p| p.a == baseline)
        .map(|p| {
            let (metric, f) = metric_words(&p.metric);
            let ties = p.p_tie();
            let ties = if ties >= 0.005 {
                format!(", ties {}", Format::Percent.value(ties))
            } else {
                String::new()
            };
            [
                p.b.clone(),
                metric.to_string(),
                format!(
                    "{} [{}, {}]",
                    f.signed(p.mean_diff, "-"),
                    f.signed(p.ci_low, "-"),
                    f.signed(p.ci_high, "-")
                ),
                format!(
                    "P(better): \"{}\" {}, \"{}\" {}{ties}",
                    p.b,
                    Format::Percent.value(p.p_b_better),
                    p.a,
                    Format::Percent.value(p.p_a_better)
                ),
            ]
        })
        .collect();
    let width = |k: usize| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    for [b, metric, diff, shares] in &rows {
        let _ = writeln!(out, "  {b:<w0$}  {metric:<w1$}  {diff:<w2$}  {shares}");
    }
    let sentences: Vec<String> = results
        .pairs
        .iter()
        .filter(|p| p.a == baseline && p.metric == M::CostTotal.name())
        .filter_map(|p| {
            p.drivers
                .first()
                .and_then(|d| threshold_sentence(p, d, label_of(record, &d.input)))
        })
        .collect();
    if !sentences.is_empty() {
        let _ = writeln!(
            out,
            "\nWhat would have to be true (total cost; the input that decides most):"
        );
        for s in sentences {
            let _ = writeln!(out, "  {s}");
        }
    }
    let v = &results.voi;
    let what = if v.value == "decision value" {
        "net cost from [decision]: cost + lateness + escapes + access - senior focus"
    } else {
        "total cost; add [decision] to value lateness, escapes, access and focus"
    };
    let _ = writeln!(
        out,
        "\nNet cost ({what}): expected, 90 % of worlds, P(best), expected regret:"
    );
    for s in &v.strategies {
        // Values are "more is better"; people read costs.
        let _ = writeln!(
            out,
            "  {:<26} {:>12}  [{}, {}]  P(best) {:>5}  regret {}",
            s.strategy,
            Format::Money.value(-s.mean),
            Format::Money.value(-s.p95),
            Format::Money.value(-s.p5),
            Format::Percent.value(s.p_best),
            Format::Money.value(s.expected_regret),
        );
    }
    // Below half a dollar prints as "$0": say what that means instead of
    // listing zeros, as the report does.
    if v.evpi < 0.5 {
        let _ = writeln!(
            out,
            "Value of information: none within the declared ranges. \"{}\" is expected to be best whatever the inputs' values, so knowing any of them first would not change the choice (EVPI $0; docs/UNCERTAINTY.md).",
            v.best
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Value of information: knowing every declared input before deciding is worth up to {} (EVPI); one at a time (EVPPI):",
        Format::Money.value(v.evpi)
    );
    let mut by: Vec<&(String, f64)> = v.evppi.iter().collect();
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (path, x) in by {
        let _ = writeln!(out, "  {:<44} {}", label_of(record, path), Format::Money.value(*x));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::uncertainty::analyse::{Refined, Threshold};

    fn pair(refined: Option<Refined>) -> (PairMetric, Driver) {
        let d = Driver {
            input: "channels.freelancer.attrition_per_year".into(),
            rank: 1,
            prcc: -0.8,
            threshold: Some(Threshold {
                at: 0.5,
                low: 0.45,
                high: 0.56,
                b_better_when: "above".into(),
                refined,
            }),
        };
        let p = PairMetric {
            a: "individual".into(),
            b: "pods".into(),
            metric: "cost_total".into(),
            better: "lower".into(),
            mean_diff: 0.0,
            ci_low: 0.0,
            ci_high: 0.0,
            p5_diff: 0.0,
            p95_diff: 0.0,
            p_a_better: 0.5,
            p_b_better: 0.5,
            worlds: 100,
            drivers: vec![d.clone()],
        };
        (p, d)
    }

    /// The refined threshold is worded when there is one, and says how it
    /// was found; an interval open at an end of the search says so.
    #[test]
    fn thresholds_are_worded_from_the_refinement_when_there_is_one() {
        let (p, d) = pair(None);
        let fit = threshold_sentence(&p, &d, "freelancer attrition").unwrap();
        assert!(
            fit.contains("above 0.500 (90 % interval 0.450-0.560; a linear fit"),
            "{fit}"
        );
        let refined = Refined {
            at: 0.55,
            low: 0.3,
            high: 0.63,
            low_open: true,
            high_open: false,
            between: (0.3, 0.7),
            others: Vec::new(),
            replications: 20,
            evaluations: 12,
        };
        let (p, d) = pair(Some(refined));
        let s = threshold_sentence(&p, &d, "freelancer attrition").unwrap();
        assert!(
            s.contains("above 0.550 (90 % interval from 0.300 or less to 0.630; re-simulated"),
            "{s}"
        );
    }
}
