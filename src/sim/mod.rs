//! The discrete-event simulator: schedule, random streams, engine, metrics.
//! Knows nothing of files, threads or terminals.

pub mod engine;
pub mod metrics;
pub mod rng;
pub mod schedule;

pub use engine::Sim;
pub use metrics::{Cat, Layout, RepResult, M};
