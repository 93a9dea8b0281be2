//! Any bytes given to the scenario parser give a model or a located error —
//! never a panic, a hang or an out-of-memory crash. Valid models also survive
//! a short simulation with the conservation invariants intact.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match podsim::scenario::parse_str(text, "fuzz.toml") {
        Ok(model) => {
            // Bound the work a fuzz input can ask for.
            if model.expected_effort_hours() < 50_000.0 && model.horizon_hours <= 200.0 * 40.0 {
                let r = podsim::runner::run_one(&model, 0, 1, 0);
                assert!(r.invariant_violation.is_none(), "{:?}", r.invariant_violation);
            }
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
