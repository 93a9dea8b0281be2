//! podsim: a capacity-planning simulator and optimiser for AI programmes.
//!
//! Layers, each depending only on those above it:
//! - [`model`]: the validated, immutable description of a scenario;
//! - [`contract`]: providers' commercial terms and their settlement;
//! - [`scenario`]: TOML text -> `Model`, with located errors;
//! - [`metrics`]: the metric catalogue (names, labels, units, formats);
//! - [`results`]: the output folder's files and columns, and the one reader;
//! - [`sim`]: the discrete-event engine (one replication, no I/O);
//! - [`runner`]: Monte Carlo replications in parallel, deterministic;
//! - [`analysis`]: summaries, comparisons and closed-form checks;
//! - [`output`]: files (CSV, JSON) and terminal tables;
//! - [`charts`]: charts drawn from an output folder's files (the only plotters user);
//! - [`report`]: report.md and report.html from an output folder;
//! - [`selfcheck`]: the validation suite behind `podsim selfcheck`;
//! - [`cli`]: the command line.
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod analysis;
pub mod backtest;
pub mod calendar;
pub mod charts;
pub mod cli;
pub mod contract;
pub mod dist;
pub mod explain;
pub mod fit;
pub mod metrics;
pub mod model;
pub mod output;
pub mod plan;
pub mod report;
pub mod results;
pub mod runner;
pub mod scenario;
pub mod selfcheck;
pub mod sim;
pub mod stats;
pub mod sweep;
pub mod uncertainty;
