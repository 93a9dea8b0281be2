//! Engine throughput: M/M/c customers per second, and replications per
//! second of the pod-vs-individual example (single thread; the runner's
//! parallel speed-up is measured in docs/PERFORMANCE.md).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use podsim::scenario;
use podsim::sim::{Sim, M};
use std::hint::black_box;
use std::path::Path;

fn load(name: &str) -> podsim::model::Model {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name);
    scenario::load(&p).expect("example scenario is valid").model
}

fn mmc(c: &mut Criterion) {
    let model = load("mmc-validation.toml");
    let mut sim = Sim::new(&model);
    // Customers served in one replication, for the throughput figure.
    let customers = sim.run(0, 1, 0).metrics[M::ItemsAccepted as usize] as u64;
    let mut g = c.benchmark_group("mmc");
    g.throughput(Throughput::Elements(customers));
    g.sample_size(20);
    let mut rep = 0;
    g.bench_function("one replication (customers/s)", |b| {
        b.iter(|| {
            rep += 1;
            black_box(sim.run(0, 1, rep))
        })
    });
    g.finish();
}

fn pod_vs_individual(c: &mut Criterion) {
    let model = load("pod-vs-individual.toml");
    let mut sim = Sim::new(&model);
    let strategies = model.strategies.len();
    let mut g = c.benchmark_group("pod-vs-individual");
    g.throughput(Throughput::Elements(1));
    g.sample_size(20);
    let mut rep = 0;
    g.bench_function("one replication of every strategy (replications/s)", |b| {
        b.iter(|| {
            rep += 1;
            for s in 0..strategies {
                black_box(sim.run(s, 42, rep));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, mmc, pod_vs_individual);
criterion_main!(benches);
