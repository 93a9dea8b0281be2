//! Streaming accumulation of replications, in bounded memory.
//!
//! Per replication and metric it keeps one number (summaries, percentiles and
//! paired comparisons need the whole column); of the weekly series it keeps
//! exact sums for the means and the full series of the first
//! [`KEEP_SERIES`] replications only, for the percentile fans. Nothing per
//! event. Sums are exact (fixed-point integers), so adding replications in
//! any grouping — one run, or shards merged later — gives identical bits.

use crate::sim::{Layout, RepResult};

/// Replications whose weekly series are kept for the P10/P50/P90 fans.
pub const KEEP_SERIES: u64 = 1000;

/// An exact, associative sum of f64 values in fixed point (2^-32 resolution,
/// range about ±4e28), so the order of addition never changes the result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExactSum(pub i128);

const SCALE: f64 = 4_294_967_296.0; // 2^32

impl ExactSum {
    pub fn add(&mut self, x: f64) {
        if x.is_finite() {
            self.0 += (x * SCALE).round() as i128;
        }
    }
    pub fn merge(&mut self, other: ExactSum) {
        self.0 += other.0;
    }
    pub fn value(self) -> f64 {
        self.0 as f64 / SCALE
    }
}

/// Everything a run's outputs are computed from.
#[derive(Clone, Debug)]
pub struct Aggregate {
    pub layout: Layout,
    pub strategies: Vec<String>,
    /// Replications per strategy pushed so far.
    pub count: u64,
    /// First replication number (non-zero in a shard).
    pub first_rep: u64,
    /// `metrics[strategy][metric][i]` for replication `first_rep + i`.
    pub metrics: Vec<Vec<Vec<f64>>>,
    /// `series_sum[strategy][series * weeks + week]`.
    pub series_sum: Vec<Vec<ExactSum>>,
    /// `kept[strategy]`: (replication, series flattened like `series_sum`) for
    /// replications below `KEEP_SERIES`, in replication order.
    pub kept: Vec<Vec<(u64, Vec<f64>)>>,
    /// The first broken conservation invariant seen: (strategy, replication, what).
    pub violation: Option<(usize, u64, String)>,
    /// Uncertain inputs (MODEL.md §15), by field path; empty without
    /// `[uncertainty]`.
    pub inputs: Vec<String>,
    /// `input_values[input][i]`: the value sampled for replication
    /// `first_rep + i` (one world per replication, shared by every strategy).
    pub input_values: Vec<Vec<f64>>,
}

impl Aggregate {
    pub fn new(layout: Layout, strategies: Vec<String>, first_rep: u64) -> Self {
        let n = strategies.len();
        let m = layout.metric_names.len();
        let cells = layout.series_names.len() * (layout.weeks + 1);
        Aggregate {
            layout,
            strategies,
            count: 0,
            first_rep,
            metrics: vec![vec![Vec::new(); m]; n],
            series_sum: vec![vec![ExactSum::default(); cells]; n],
            kept: vec![Vec::new(); n],
            violation: None,
            inputs: Vec::new(),
            input_values: Vec::new(),
        }
    }

    /// Declares the uncertain inputs whose sampled values follow the
    /// replications (before anything is pushed).
    pub fn with_inputs(mut self, inputs: Vec<String>) -> Self {
        self.input_values = vec![Vec::new(); inputs.len()];
        self.inputs = inputs;
        self
    }

    /// Records the world of the next replication: one value per input.
    pub fn push_world(&mut self, values: &[f64]) {
        debug_assert_eq!(values.len(), self.inputs.len());
        for (col, &v) in self.input_values.iter_mut().zip(values) {
            col.push(v);
        }
    }

    /// Number of weekly points per series.
    pub fn points(&self) -> usize {
        self.layout.weeks + 1
    }

    /// Adds replication `rep` of strategy `s`. Replications must arrive in
    /// order, all strategies of one replication before the next.
    pub fn push(&mut self, s: usize, rep: u64, r: &RepResult) {
        debug_assert_eq!(
            rep,
            self.first_rep + self.metrics[s][0].len() as u64,
            "replications out of order"
        );
        for (m, &v) in r.metrics.iter().enumerate() {
            self.metrics[s][m].push(v);
        }
        let sums = &mut self.series_sum[s];
        for (k, series) in r.series.iter().enumerate() {
            let base = k * series.len();
            for (w, &v) in series.iter().enumerate() {
                sums[base + w].add(v);
            }
        }
        if let (None, Some(v)) = (&self.violation, &r.invariant_violation) {
            self.violation = Some((s, rep, v.clone()));
        }
        if rep < KEEP_SERIES {
            self.kept[s].push((rep, r.series.iter().flatten().copied().collect()));
        }
        if s + 1 == self.strategies.len() {
            self.count += 1;
        }
    }

    /// The metric column of strategy `s`.
    pub fn column(&self, s: usize, m: usize) -> &[f64] {
        &self.metrics[s][m]
    }

    /// Appends another aggregate of the same run covering the replications
    /// that directly follow this one's.
    pub fn append(&mut self, other: Aggregate) -> Result<(), String> {
        if other.layout.metric_names != self.layout.metric_names
            || other.layout.series_names != self.layout.series_names
            || other.layout.weeks != self.layout.weeks
            || other.strategies != self.strategies
            || other.inputs != self.inputs
        {
            return Err("the parts describe different scenarios (metrics, series or strategies differ)".into());
        }
        if other.first_rep != self.first_rep + self.count {
            return Err(format!(
                "replications are not contiguous: expected a part starting at replication {}, found one starting at {}",
                self.first_rep + self.count,
                other.first_rep
            ));
        }
        for s in 0..self.strategies.len() {
            for (m, col) in other.metrics[s].iter().enumerate() {
                self.metrics[s][m].extend_from_slice(col);
            }
            for (a, b) in self.series_sum[s].iter_mut().zip(&other.series_sum[s]) {
                a.merge(*b);
            }
        }
        for (mine, theirs) in self.kept.iter_mut().zip(other.kept) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.input_values.iter_mut().zip(other.input_values) {
            mine.extend(theirs);
        }
        self.count += other.count;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sum_is_order_independent() {
        let xs = [1e9, 0.1, -1e9, 3.3e-5, 12345.678, 0.2];
        let mut a = ExactSum::default();
        xs.iter().for_each(|&x| a.add(x));
        let mut b = ExactSum::default();
        xs.iter().rev().for_each(|&x| b.add(x));
        let (mut c, mut d) = (ExactSum::default(), ExactSum::default());
        xs[..3].iter().for_each(|&x| c.add(x));
        xs[3..].iter().for_each(|&x| d.add(x));
        c.merge(d);
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert!((a.value() - 12345.978033).abs() < 1e-6);
    }
}
