//! The integration tests, in one binary: each extra file directly under
//! `tests/` would be another binary to build and link, which dominated the
//! time of `cargo test` on a 2-core machine. One module per area.

mod alloc;
mod architecture;
mod calibration;
mod charts;
mod cli;
mod contracts;
mod explain;
mod fairness;
mod golden;
mod interrupt;
mod metrics_only;
mod model;
mod modelfixes;
mod optimise;
mod properties;
mod rough;
mod schema;
mod sweep;
mod uncertainty;
