//! Sweeps, sensitivity, Pareto frontiers and break-even search (issue #8).

pub mod path;
