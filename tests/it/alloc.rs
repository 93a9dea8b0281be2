//! No per-event heap allocation in steady state: the number of allocations
//! in a replication must not grow with the number of events.

use podsim::scenario::parse_str;
use podsim::sim::{Sim, M};
use podsim::validation::mmc_scenario;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

// The counter is per thread: this module shares one test binary (and its
// global allocator) with tests running on other threads, whose allocations
// must not be counted here. A `const` thread-local needs no allocation and
// no destructor, so it is safe to touch from inside the allocator.
thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with` fails only while the thread is being torn down.
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

fn allocs_so_far() -> u64 {
    ALLOCS.with(|c| c.get())
}

struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by one replication after a warm-up replication sized the buffers.
fn allocations(text: &str) -> (u64, f64) {
    let model = parse_str(text, "alloc.toml").unwrap();
    let mut sim = Sim::new(&model);
    sim.run(0, 1, 0);
    let before = allocs_so_far();
    let r = sim.run(0, 1, 1);
    (allocs_so_far() - before, r.metrics[M::ItemsAccepted as usize])
}

#[test]
fn allocations_do_not_grow_with_events() {
    // The same horizon, so the same number of weekly points; 4x the customers.
    let (small, n_small) = allocations(&mmc_scenario(1.0, 1.0, 5, 200.0, 1.0));
    let (large, n_large) = allocations(&mmc_scenario(4.0, 1.0, 5, 200.0, 1.0));
    assert!(
        n_large > 3.5 * n_small,
        "the larger run has more events: {n_small} vs {n_large} customers"
    );
    assert!(
        large <= small + 64,
        "allocations grew with events: {small} for {n_small} customers, {large} for {n_large}"
    );
    assert!(
        (large as f64) < 0.01 * n_large,
        "{large} allocations for {n_large} customers"
    );
}
