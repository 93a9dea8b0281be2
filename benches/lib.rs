//! What the benches share: the repository's example scenarios.

use std::path::{Path, PathBuf};

/// An example scenario of the repository (`scenarios/NAME`), loaded and
/// validated.
pub fn example(name: &str) -> podsim::model::Model {
    podsim::scenario::load(&scenario_path(name))
        .expect("example scenario is valid")
        .model
}

/// `scenarios/NAME` in the repository root, whatever the working directory.
pub fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("scenarios")
        .join(name)
}
