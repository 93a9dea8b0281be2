//! Monte Carlo replications: every (strategy, replication) pair is simulated
//! in parallel with rayon and collected in a fixed order, so results are
//! bit-identical whatever the thread count.

use crate::aggregate::Aggregate;
use crate::model::Model;
use crate::sim::{Layout, RepResult, Sim};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Which replications to run: `first .. first + count` (shards run a block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepRange {
    pub first: u64,
    pub count: u64,
}

/// Results of a run: `reps[strategy][i]` is replication `range.first + i`.
#[derive(Clone, Debug)]
pub struct RunResults {
    pub layout: Layout,
    pub seed: u64,
    pub range: RepRange,
    pub reps: Vec<Vec<RepResult>>,
}

/// Simulates every strategy for every replication in `range`. `tick` is
/// called once per finished (strategy, replication), from worker threads.
pub fn run(model: &Model, seed: u64, range: RepRange, tick: &(dyn Fn() + Sync)) -> RunResults {
    let strategies = model.strategies.len();
    let jobs: Vec<(usize, u64)> = (0..range.count)
        .flat_map(|i| (0..strategies).map(move |s| (s, range.first + i)))
        .collect();
    let flat: Vec<RepResult> = jobs
        .par_iter()
        .map_init(
            || Sim::new(model),
            |sim, &(s, rep)| {
                let r = sim.run(s, seed, rep);
                tick();
                r
            },
        )
        .collect();
    let mut reps: Vec<Vec<RepResult>> = (0..strategies)
        .map(|_| Vec::with_capacity(range.count as usize))
        .collect();
    for ((s, _), r) in jobs.iter().zip(flat) {
        reps[*s].push(r);
    }
    RunResults {
        layout: Layout::new(model),
        seed,
        range,
        reps,
    }
}

/// Runs one replication of one strategy (for tests and tools).
pub fn run_one(model: &Model, strategy: usize, seed: u64, rep: u64) -> RepResult {
    Sim::new(model).run(strategy, seed, rep)
}

/// Replications simulated per parallel chunk before they are folded into
/// the aggregate: bounds memory whatever the number of replications.
const CHUNK_REPS: u64 = 256;

/// Simulates replications `range` of every strategy and folds them, in
/// replication order, into `agg` (which must start at `range.first` or
/// continue where it stopped). Memory stays bounded by the chunk size.
pub fn run_into(model: &Model, seed: u64, range: RepRange, tick: &(dyn Fn() + Sync), agg: &mut Aggregate) {
    let never = AtomicBool::new(false);
    let done = run_into_cancellable(model, seed, range, tick, agg, &never);
    debug_assert!(done);
}

/// As [`run_into`], but stops early once `cancel` is set (Ctrl-C), leaving
/// `agg` with whole replications only. Returns whether it ran to the end.
pub fn run_into_cancellable(
    model: &Model,
    seed: u64,
    range: RepRange,
    tick: &(dyn Fn() + Sync),
    agg: &mut Aggregate,
    cancel: &AtomicBool,
) -> bool {
    let strategies = model.strategies.len();
    let mut next = range.first;
    let end = range.first + range.count;
    while next < end {
        let count = CHUNK_REPS.min(end - next);
        let jobs: Vec<(usize, u64)> = (next..next + count)
            .flat_map(|rep| (0..strategies).map(move |s| (s, rep)))
            .collect();
        let results: Vec<Option<RepResult>> = jobs
            .par_iter()
            .map_init(
                || Sim::new(model),
                |sim, &(s, rep)| {
                    if cancel.load(Ordering::Relaxed) {
                        return None;
                    }
                    let r = sim.run(s, seed, rep);
                    tick();
                    Some(r)
                },
            )
            .collect();
        if cancel.load(Ordering::Relaxed) || results.iter().any(Option::is_none) {
            return false;
        }
        for (&(s, rep), r) in jobs.iter().zip(results.iter().flatten()) {
            agg.push(s, rep, r);
        }
        next += count;
    }
    true
}
