//! Worlds: a replication's scenario with its sampled inputs written in,
//! validated again like a file, and simulated for every strategy through
//! the one Monte Carlo driver ([`crate::runner::drive_worlds`]).

use super::Spec;
use crate::aggregate::Aggregate;
use crate::model::Model;
use crate::runner::{self, Cancelled, Control, Detail, RepRange};
use crate::scenario::{self, ScenarioError};
use crate::sim::RepResult;
use crate::sweep::{path, Base};

/// Replications whose worlds are built and held at once: bounds memory (one
/// model each) whatever the run's size, while giving every thread work.
const BLOCK: u64 = 256;

/// Why a run over worlds stopped.
#[derive(Debug)]
pub enum Stopped {
    /// A sampled world failed validation (an input error: the message names
    /// the replication and its values).
    Invalid(Box<ScenarioError>),
    Cancelled,
}

impl From<Cancelled> for Stopped {
    fn from(_: Cancelled) -> Self {
        Stopped::Cancelled
    }
}

/// The model of one world: `values[j]` written at input j's path.
pub fn world_model(base: &Base, spec: &Spec, rep: u64, values: &[f64]) -> Result<Model, ScenarioError> {
    let mut doc = base.doc.clone();
    let mut said = Vec::new();
    for (input, &x) in spec.inputs.iter().zip(values) {
        said.push(format!("`{} = {x}`", input.path()));
        path::set(&mut doc, &input.param, x).map_err(|message| ScenarioError {
            file: base.file.clone(),
            line: None,
            column: None,
            field: Some(input.path().to_string()),
            message,
            source_line: None,
            more: Vec::new(),
        })?;
    }
    let context = format!("in the world of replication {rep}: {}", said.join(", "));
    scenario::parse_table(&doc, &base.text, &base.file, &context)
}

/// Simulates replications `range` of a run of `total` replications, each in
/// its own world, and folds them into `agg` in replication order (which
/// must start at `range.first` or continue where it stopped). `base` has
/// the spec's constants written in already.
pub fn run_into(
    base: &Base,
    spec: &Spec,
    seed: u64,
    total: u64,
    range: RepRange,
    control: Control<'_>,
    agg: &mut Aggregate,
) -> Result<(), Stopped> {
    let horizon = base.horizon_weeks();
    let per_rep = base.model.strategies.len();
    let mut first = range.first;
    while first < range.end() {
        let count = BLOCK.min(range.end() - first);
        let block = RepRange { first, count };
        let values: Vec<Vec<f64>> = (first..block.end())
            .map(|r| spec.world(seed, total, r, horizon))
            .collect();
        let models = (first..block.end())
            .zip(&values)
            .map(|(r, v)| world_model(base, spec, r, v))
            .collect::<Result<Vec<Model>, ScenarioError>>()
            .map_err(|e| Stopped::Invalid(Box::new(e)))?;
        let worlds: Vec<&Model> = models.iter().collect();
        let mut pending: Vec<RepResult> = Vec::with_capacity(per_rep);
        runner::drive_worlds(&worlds, seed, block, Detail::Full, control, |s, rep, r| {
            pending.push(r);
            if s + 1 == per_rep {
                for (s, r) in pending.drain(..).enumerate() {
                    agg.push(s, rep, &r);
                }
                agg.push_world(&values[(rep - first) as usize]);
            }
        })?;
        first = block.end();
    }
    Ok(())
}
