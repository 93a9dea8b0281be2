//! Optimiser speed on the example (scenarios/optimise-staffing.toml: 6 roles
//! x 4 channels x 26 weekly periods): the LP relaxation alone, and the whole
//! solve (overhead fixed point, dive, branch and bound to the 1 % gap).
//! docs/PERFORMANCE.md records the numbers with the bound and gap reached.

use criterion::{criterion_group, criterion_main, Criterion};
use podsim::plan::{coeffs, formulation, solve};
use std::hint::black_box;
use std::time::Duration;

fn example() -> podsim::model::Model {
    podsim_benches::example("optimise-staffing.toml")
}

fn relaxation(c: &mut Criterion) {
    let m = example();
    let spec = m.optimise.clone().expect("the example has [optimise]");
    let co = coeffs::derive(&m, &spec, spec.deadline_hours);
    let form = formulation::build(&co, &spec, &formulation::Estimates::initial(&co));
    let mut g = c.benchmark_group("optimise");
    g.sample_size(20);
    g.bench_function("LP relaxation of the example (microlp)", |b| {
        b.iter(|| black_box(solve::solve_lp(&form.lp)))
    });
    g.finish();
}

fn full_solve(c: &mut Criterion) {
    let m = example();
    let spec = m.optimise.clone().expect("the example has [optimise]");
    let mut g = c.benchmark_group("optimise");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(150));
    g.bench_function("example to the 1 % gap (fixed point, dive, branch and bound)", |b| {
        b.iter(|| {
            let s = podsim::plan::solve_deadline(
                &m,
                &spec,
                spec.deadline_hours,
                podsim::plan::budget(&spec, &Default::default()),
                &Default::default(),
            )
            .expect("the example has a plan");
            assert!(s.search.gap <= spec.mip_gap + 1e-9, "gap {} above target", s.search.gap);
            black_box(s.search.best.objective)
        })
    });
    g.finish();
}

criterion_group!(benches, relaxation, full_solve);
criterion_main!(benches);
