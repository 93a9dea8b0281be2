//! The engine's speed as a fraction of a hand-written M/M/c loop, measured
//! in the same process so the machine's speed (and its load) cancels out.
//!
//! Both simulate the M/M/c example (lambda 4/h, mu 1/h, c 5, 10,000 hours,
//! about 40,000 customers) with the same generator and the same exponential
//! sampler. The hand-written loop is the Kiefer-Wolfowitz form of Lindley's
//! recursion: each customer, in arrival order, takes the server that frees
//! first. It is the floor on what any event engine can cost; the ratio says
//! how much of that speed the general engine (events, queues, statistics,
//! weekly series) keeps.
//!
//! Rounds alternate one engine replication and one loop of the same number
//! of customers, and the median of the per-round ratios is printed, so a
//! burst of load on a shared machine moves both sides of one round.
//!
//! Usage: `cargo bench -p podsim-benches --bench ratio -- [--seconds S] [--min-ratio R]`;
//! with `--min-ratio` it exits 1 when the median ratio is below R (CI passes
//! half the ratio documented in docs/PERFORMANCE.md).

use podsim::dist::exp_with_rate;
use podsim::sim::rng::{stream, Purpose};
use podsim::sim::{Sim, M};
use std::hint::black_box;
use std::time::{Duration, Instant};

const LAMBDA: f64 = 4.0;
const MU: f64 = 1.0;
const SERVERS: usize = 5;

/// Simulates `customers` customers of M/M/c; returns the mean wait in queue.
fn lindley_mmc(customers: u64, seed: u64) -> f64 {
    let mut arrivals = stream(seed, 0, Purpose::Arrivals, 0, 0);
    let mut services = stream(seed, 0, Purpose::Item, 0, 0);
    let mut free = [0.0f64; SERVERS];
    let mut t = 0.0;
    let mut wait_sum = 0.0;
    for _ in 0..customers {
        t += exp_with_rate(&mut arrivals, LAMBDA);
        let mut j = 0;
        for (i, &f) in free.iter().enumerate().skip(1) {
            if f < free[j] {
                j = i;
            }
        }
        let start = if free[j] > t { free[j] } else { t };
        wait_sum += start - t;
        free[j] = start + exp_with_rate(&mut services, MU);
    }
    wait_sum / customers as f64
}

struct Args {
    seconds: f64,
    min_ratio: Option<f64>,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 3.0,
        min_ratio: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| -> f64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match arg.as_str() {
            "--seconds" => a.seconds = value("--seconds"),
            "--min-ratio" => a.min_ratio = Some(value("--min-ratio")),
            // `cargo bench` passes `--bench`; filters do not apply here.
            _ => {}
        }
    }
    a
}

fn main() {
    let args = args();
    let model = podsim_benches::example("mmc-validation.toml");
    let mut sim = Sim::new(&model);
    // Warm both up (caches, allocations) before timing.
    let customers = sim.run(0, 1, 0).metrics[M::ItemsAccepted as usize] as u64;
    black_box(lindley_mmc(customers, 1));

    let budget = Duration::from_secs_f64(args.seconds);
    let started = Instant::now();
    let (mut engine_time, mut loop_time, mut engine_customers, mut loop_customers) =
        (Duration::ZERO, Duration::ZERO, 0u64, 0u64);
    let mut ratios = Vec::new();
    let mut rep = 1;
    while started.elapsed() < budget || ratios.len() < 5 {
        let t0 = Instant::now();
        let r = sim.run(0, 1, rep);
        let t1 = Instant::now();
        let n = r.metrics[M::ItemsAccepted as usize] as u64;
        black_box(lindley_mmc(n, rep));
        let t2 = Instant::now();
        rep += 1;
        let (e, l) = (t1 - t0, t2 - t1);
        engine_time += e;
        loop_time += l;
        engine_customers += n;
        loop_customers += n;
        ratios.push(l.as_secs_f64() / e.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    let rate = |n: u64, d: Duration| n as f64 / d.as_secs_f64() / 1e6;
    println!(
        "M/M/c, one thread, {} rounds: engine {:.2} million customers/s, hand-written loop {:.2} million/s",
        ratios.len(),
        rate(engine_customers, engine_time),
        rate(loop_customers, loop_time)
    );
    println!(
        "engine / hand-written loop = {median:.3} (median of rounds; quartiles {:.3}-{:.3})",
        ratios[ratios.len() / 4],
        ratios[ratios.len() * 3 / 4]
    );
    if let Some(min) = args.min_ratio {
        if median < min {
            eprintln!("ratio {median:.3} is below the guard {min:.3} (half the documented ratio): a large regression");
            std::process::exit(1);
        }
        println!("ratio guard {min:.3}: ok");
    }
}
