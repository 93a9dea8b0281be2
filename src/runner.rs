//! The one Monte Carlo driver: a list of variants — (model, strategy) pairs —
//! times a range of replications, simulated in parallel with rayon and
//! handed back in a fixed order, so results are bit-identical whatever the
//! thread count.
//!
//! Every analysis runs through [`drive`]: `run` (one model, all strategies,
//! folded into an [`Aggregate`]), sweeps and sensitivity (many variant models
//! of one scenario, common random numbers), break-even, `optimise --verify`,
//! and the selfcheck suite. Work is done in chunks, so memory is bounded by
//! the chunk size and what the caller's fold keeps; the cancellation flag is
//! read before every replication, so Ctrl-C stops a run within one
//! replication per thread.

use crate::aggregate::Aggregate;
use crate::model::Model;
use crate::sim::{Layout, RepResult, Sim};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Which replications to run: `first .. first + count` (shards run a block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RepRange {
    pub first: u64,
    pub count: u64,
}

impl RepRange {
    /// One past the last replication.
    pub fn end(self) -> u64 {
        self.first + self.count
    }
}

/// One thing to simulate: a strategy of a model. Variants may share a model
/// (the strategies of one scenario) or each have their own (sweep points,
/// sampled worlds); models are told apart by address.
#[derive(Clone, Copy, Debug)]
pub struct Variant<'m> {
    pub model: &'m Model,
    pub strategy: usize,
}

/// The order in which the fold sees (variant, replication) results. Either
/// way each variant's replications arrive in increasing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// All variants of replication r, then all of r + 1: what an
    /// [`Aggregate`] and paired comparisons across variants need.
    ByReplication,
    /// All replications of variant 0, then variant 1...: a variant is
    /// complete early, so callers can summarise and drop its columns (grids
    /// of many points in bounded memory).
    ByVariant,
}

/// What each replication's result must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Metrics and weekly series (what an [`Aggregate`] folds).
    Full,
    /// Metrics only, `RepResult::series` empty: the same metrics, without
    /// the weekly bookkeeping, for analyses that report end metrics.
    MetricsOnly,
}

/// What a run may be told from outside: stop (Ctrl-C) and progress.
#[derive(Clone, Copy)]
pub struct Control<'a> {
    /// Checked before every replication; once set, the driver stops.
    pub cancel: &'a AtomicBool,
    /// Called once per finished (variant, replication), from worker threads.
    pub tick: &'a (dyn Fn() + Sync),
}

static NEVER: AtomicBool = AtomicBool::new(false);

fn no_progress() {}

impl Control<'static> {
    /// Never cancelled, no progress (tests and tools).
    pub fn none() -> Self {
        Control {
            cancel: &NEVER,
            tick: &no_progress,
        }
    }
}

impl<'a> Control<'a> {
    /// Never cancelled, with progress.
    pub fn ticking(tick: &'a (dyn Fn() + Sync)) -> Self {
        Control { cancel: &NEVER, tick }
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The run was stopped by its cancellation flag; the fold saw whole chunks
/// only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// (variant, replication) results simulated per parallel chunk before they
/// are folded: bounds memory (a RepResult holds weekly series) whatever the
/// number of replications, while giving every thread enough work.
const CHUNK_TASKS: u64 = 1024;

/// Sims kept per run for reuse, one per model: a worker takes one for the
/// model of its task and gives it back, so a Sim is built about once per
/// thread and model rather than once per task.
struct SimPool<'m> {
    free: Mutex<Vec<(usize, Sim<'m>)>>,
}

impl<'m> SimPool<'m> {
    fn take(&self, model_id: usize, model: &'m Model) -> Sim<'m> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        match free.iter().rposition(|(id, _)| *id == model_id) {
            Some(i) => free.swap_remove(i).1,
            None => Sim::new(model),
        }
    }

    fn give(&self, model_id: usize, sim: Sim<'m>) {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        // Many models (sampled worlds): keep the most recent few only.
        if free.len() >= 4 * rayon::current_num_threads().max(1) {
            free.remove(0);
        }
        free.push((model_id, sim));
    }
}

/// A worker's Sim, returned to the pool when the worker's split ends.
struct Lease<'p, 'm> {
    pool: &'p SimPool<'m>,
    sim: Option<(usize, Sim<'m>)>,
}

impl<'m> Lease<'_, 'm> {
    fn sim(&mut self, model_id: usize, model: &'m Model) -> &mut Sim<'m> {
        if self.sim.as_ref().is_none_or(|(id, _)| *id != model_id) {
            if let Some((id, old)) = self.sim.take() {
                self.pool.give(id, old);
            }
            self.sim = Some((model_id, self.pool.take(model_id, model)));
        }
        &mut self.sim.as_mut().expect("just set").1
    }
}

impl Drop for Lease<'_, '_> {
    fn drop(&mut self) {
        if let Some((id, sim)) = self.sim.take() {
            self.pool.give(id, sim);
        }
    }
}

/// Simulates every variant for every replication in `range` and calls
/// `fold(variant, replication, result)` in `order`, from the calling thread.
/// Which thread simulated what never shows: results are folded in the same
/// order for any thread count. On cancellation, returns `Err(Cancelled)`
/// having folded only chunks that finished before the flag was seen.
pub fn drive<'m>(
    variants: &[Variant<'m>],
    seed: u64,
    range: RepRange,
    order: Order,
    detail: Detail,
    control: Control<'_>,
    fold: impl FnMut(usize, u64, RepResult),
) -> Result<(), Cancelled> {
    // Model identity by address: the first variant with a model names it.
    let model_id: Vec<usize> = variants
        .iter()
        .map(|v| {
            variants
                .iter()
                .position(|w| std::ptr::eq(w.model, v.model))
                .expect("a variant finds itself")
        })
        .collect();
    let n = variants.len() as u64;
    let task = |t: u64| -> (usize, u64) {
        match order {
            Order::ByReplication => ((t % n) as usize, range.first + t / n),
            Order::ByVariant => ((t / range.count) as usize, range.first + t % range.count),
        }
    };
    let at = |v: usize, _rep: u64| (model_id[v], variants[v]);
    drive_tasks(n, seed, range, detail, control, task, at, fold)
}

/// Like [`drive`] in replication order, but each replication has its own
/// model (a sampled world, MODEL.md §15): `worlds[i]` is the model of
/// replication `range.first + i`, and every strategy of that replication
/// runs on it, with the same random streams as ever (common random
/// numbers). `fold(strategy, replication, result)`.
pub fn drive_worlds(
    worlds: &[&Model],
    seed: u64,
    range: RepRange,
    detail: Detail,
    control: Control<'_>,
    fold: impl FnMut(usize, u64, RepResult),
) -> Result<(), Cancelled> {
    assert_eq!(worlds.len() as u64, range.count, "one world per replication");
    let n = worlds.first().map_or(0, |m| m.strategies.len()) as u64;
    let task = |t: u64| -> (usize, u64) { ((t % n) as usize, range.first + t / n) };
    let at = |s: usize, rep: u64| {
        let i = (rep - range.first) as usize;
        (
            i,
            Variant {
                model: worlds[i],
                strategy: s,
            },
        )
    };
    drive_tasks(n, seed, range, detail, control, task, at, fold)
}

/// The driver behind [`drive`] and [`drive_worlds`]: task t is
/// (variant, replication) = `task(t)`; `at(variant, replication)` gives the
/// model's identity (Sims are pooled by it) and what to simulate.
#[allow(clippy::too_many_arguments)]
fn drive_tasks<'m>(
    n: u64,
    seed: u64,
    range: RepRange,
    detail: Detail,
    control: Control<'_>,
    task: impl Fn(u64) -> (usize, u64) + Sync,
    at: impl Fn(usize, u64) -> (usize, Variant<'m>) + Sync,
    mut fold: impl FnMut(usize, u64, RepResult),
) -> Result<(), Cancelled> {
    if control.cancelled() {
        return Err(Cancelled);
    }
    if n == 0 || range.count == 0 {
        return Ok(());
    }
    let pool = SimPool {
        free: Mutex::new(Vec::new()),
    };
    let total = n * range.count;
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK_TASKS).min(total);
        let results: Vec<Option<RepResult>> = (start..end)
            .into_par_iter()
            .map_init(
                || Lease { pool: &pool, sim: None },
                |lease, t| {
                    if control.cancelled() {
                        return None;
                    }
                    let (v, rep) = task(t);
                    let (id, variant) = at(v, rep);
                    let sim = lease.sim(id, variant.model);
                    sim.set_metrics_only(detail == Detail::MetricsOnly);
                    let r = sim.run(variant.strategy, seed, rep);
                    (control.tick)();
                    Some(r)
                },
            )
            .collect();
        if control.cancelled() || results.iter().any(Option::is_none) {
            return Err(Cancelled);
        }
        for (t, r) in (start..end).zip(results.into_iter().flatten()) {
            let (v, rep) = task(t);
            fold(v, rep, r);
        }
        start = end;
    }
    Ok(())
}

/// Every strategy of `model`, in order.
pub fn strategies_of(model: &Model) -> Vec<Variant<'_>> {
    (0..model.strategies.len())
        .map(|strategy| Variant { model, strategy })
        .collect()
}

/// Results of a run: `reps[strategy][i]` is replication `range.first + i`.
#[derive(Clone, Debug)]
pub struct RunResults {
    pub layout: Layout,
    pub seed: u64,
    pub range: RepRange,
    pub reps: Vec<Vec<RepResult>>,
}

/// Simulates every strategy for every replication in `range`, keeping every
/// result (memory grows with the replications: for verification and tests;
/// runs use [`run_into`]).
pub fn run(model: &Model, seed: u64, range: RepRange, control: Control<'_>) -> Result<RunResults, Cancelled> {
    let variants = strategies_of(model);
    let mut reps: Vec<Vec<RepResult>> = variants
        .iter()
        .map(|_| Vec::with_capacity(range.count as usize))
        .collect();
    drive(
        &variants,
        seed,
        range,
        Order::ByReplication,
        Detail::Full,
        control,
        |s, _, r| reps[s].push(r),
    )?;
    Ok(RunResults {
        layout: Layout::new(model),
        seed,
        range,
        reps,
    })
}

/// Runs one replication of one strategy (for tests and tools).
pub fn run_one(model: &Model, strategy: usize, seed: u64, rep: u64) -> RepResult {
    Sim::new(model).run(strategy, seed, rep)
}

/// Simulates replications `range` of every strategy and folds them, in
/// replication order, into `agg` (which must start at `range.first` or
/// continue where it stopped). Memory stays bounded by the chunk size. On
/// cancellation `agg` holds whole replications only.
pub fn run_into(
    model: &Model,
    seed: u64,
    range: RepRange,
    control: Control<'_>,
    agg: &mut Aggregate,
) -> Result<(), Cancelled> {
    let variants = strategies_of(model);
    // A chunk boundary can fall inside a replication; whole replications
    // only reach `agg`, so a cancelled run leaves it consistent.
    let per_rep = variants.len();
    let mut pending: Vec<RepResult> = Vec::with_capacity(per_rep);
    drive(
        &variants,
        seed,
        range,
        Order::ByReplication,
        Detail::Full,
        control,
        |s, rep, r| {
            pending.push(r);
            if s + 1 == per_rep {
                for (s, r) in pending.drain(..).enumerate() {
                    agg.push(s, rep, &r);
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"
name = "two"
horizon_weeks = 20
[[workstream]]
name = "a"
skill = "domain_expert"
backlog = 30
effort_hours = { dist = "lognormal", mean = 3.0, cv = 0.5 }
questions_per_item = 0.5
[seniors]
count = 2
[[strategy]]
name = "individual"
structure = "individual"
team = [{ role = "domain_expert", channel = "freelancer", count = 3 }]
[[strategy]]
name = "pods"
structure = "pods"
pods = { count = 1, pod_size = 3 }
team = [{ role = "domain_expert", channel = "pod", count = 3 }]
"#;

    fn bits(r: &RepResult) -> Vec<u64> {
        r.metrics.iter().map(|v| v.to_bits()).collect()
    }

    #[test]
    fn both_orders_give_each_variant_its_replications_in_order_for_any_thread_count() {
        let a = crate::scenario::parse_str(TWO, "two.toml").unwrap();
        let mut b = a.clone();
        b.strategies[1].team[0].count = 4;
        let variants = [
            Variant { model: &a, strategy: 0 },
            Variant { model: &b, strategy: 1 },
            Variant { model: &a, strategy: 1 },
        ];
        let range = RepRange { first: 3, count: 5 };
        let collect = |threads: usize, order: Order| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut seen: Vec<(usize, u64, Vec<u64>)> = Vec::new();
            pool.install(|| {
                drive(
                    &variants,
                    9,
                    range,
                    order,
                    Detail::Full,
                    Control::none(),
                    |v, rep, r| seen.push((v, rep, bits(&r))),
                )
            })
            .unwrap();
            seen
        };
        let by_rep = collect(1, Order::ByReplication);
        assert_eq!(by_rep, collect(2, Order::ByReplication));
        let by_variant = collect(2, Order::ByVariant);
        assert_eq!(by_variant, collect(1, Order::ByVariant));
        assert_eq!(by_rep.len(), 15);
        assert_eq!((by_rep[1].0, by_rep[1].1), (1, 3), "replication-major");
        assert_eq!((by_variant[1].0, by_variant[1].1), (0, 4), "variant-major");
        let mut sorted = by_rep.clone();
        sorted.sort_by_key(|(v, rep, _)| (*v, *rep));
        assert_eq!(sorted, by_variant, "the same results in another order");
        let direct = run_one(&b, 1, 9, 6);
        assert!(by_rep.contains(&(1, 6, bits(&direct))));
    }

    #[test]
    fn a_set_flag_stops_the_run_before_anything_is_folded() {
        let m = crate::scenario::parse_str(TWO, "two.toml").unwrap();
        let cancel = AtomicBool::new(true);
        let control = Control {
            cancel: &cancel,
            tick: &no_progress,
        };
        let mut agg = Aggregate::new(Layout::new(&m), vec!["individual".into(), "pods".into()], 0);
        let r = run_into(&m, 1, RepRange { first: 0, count: 3 }, control, &mut agg);
        assert_eq!(r, Err(Cancelled));
        assert_eq!(agg.count, 0);
        assert!(run(&m, 1, RepRange { first: 0, count: 2 }, Control::none()).is_ok());
    }
}
