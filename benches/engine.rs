//! Engine throughput: M/M/c customers per second, and replications per
//! second of the pod-vs-individual example (single thread; the runner's
//! parallel speed-up is measured in docs/PERFORMANCE.md).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use podsim::sim::{Sim, M};
use podsim_benches::example;
use std::hint::black_box;

fn mmc(c: &mut Criterion) {
    let model = example("mmc-validation.toml");
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
    let model = example("pod-vs-individual.toml");
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

/// A pods scenario whose work grows with `people` (items per person fixed),
/// so time per item shows whether cost grows faster than the work.
fn scaled(items: u32, people: u32) -> podsim::model::Model {
    let pods = people.div_ceil(6);
    let text = format!(
        r#"name = "scaling"
horizon_weeks = 520
[[workstream]]
name = "annotation"
skill = "domain_expert"
backlog = {items}
effort_hours = {{ dist = "lognormal", mean = 4.0, cv = 0.6 }}
questions_per_item = 0.5
[seniors]
count = 4
[[strategy]]
name = "pods"
structure = "pods"
pods = {{ count = {pods} }}
team = [{{ role = "domain_expert", channel = "pod", count = {people} }}]
"#
    );
    podsim::scenario::parse_str(&text, "scaling.toml").expect("valid")
}

fn scaling(c: &mut Criterion) {
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for items in [2_000u32, 4_000, 8_000] {
        let model = scaled(items, 12);
        let mut sim = Sim::new(&model);
        g.throughput(Throughput::Elements(items as u64));
        g.bench_function(format!("items {items}, 12 people (items/s)"), |b| {
            b.iter(|| black_box(sim.run(0, 1, 0)))
        });
    }
    for people in [12u32, 24, 48] {
        let items = people * 200;
        let model = scaled(items, people);
        let mut sim = Sim::new(&model);
        g.throughput(Throughput::Elements(items as u64));
        g.bench_function(format!("{people} people, {items} items (items/s)"), |b| {
            b.iter(|| black_box(sim.run(0, 1, 0)))
        });
    }
    g.finish();
}

criterion_group!(benches, mmc, pod_vs_individual, scaling);
criterion_main!(benches);
