//! No per-event heap allocation in steady state: the number of allocations
//! in a replication must not grow with the number of events.

use podsim::scenario::parse_str;
use podsim::sim::{Sim, M};
use podsim::validation::mmc_scenario;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
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
    let before = ALLOCS.load(Ordering::Relaxed);
    let r = sim.run(0, 1, 1);
    (
        ALLOCS.load(Ordering::Relaxed) - before,
        r.metrics[M::ItemsAccepted as usize],
    )
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
