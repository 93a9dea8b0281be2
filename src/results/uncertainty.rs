//! Reading uncertainty.json back (charts and reports; docs/UNCERTAINTY.md).

use super::run::DataError;
use super::UNCERTAINTY_JSON;
use crate::uncertainty::analyse::Results;
use crate::uncertainty::InputRecord;
use std::path::Path;

/// What a run over worlds wrote: the inputs as declared and the results.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct UncertaintyData {
    pub inputs: Vec<InputRecord>,
    pub results: Results,
}

impl UncertaintyData {
    /// The label of an input's field path (the path when unknown).
    pub fn label<'a>(&'a self, path: &'a str) -> &'a str {
        self.inputs
            .iter()
            .find(|i| i.path == path)
            .map_or(path, |i| i.label.as_str())
    }
}

/// `Ok(None)` when the folder has no uncertainty.json (a run without
/// `[uncertainty]`).
pub fn read_uncertainty(dir: &Path) -> Result<Option<UncertaintyData>, DataError> {
    let path = dir.join(UNCERTAINTY_JSON);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(DataError::Io {
                path: path.display().to_string(),
                source,
            })
        }
    };
    serde_json::from_str(&text).map(Some).map_err(|e| DataError::Malformed {
        path: path.display().to_string(),
        line: Some(e.line() as u64),
        message: format!("not a podsim uncertainty.json: {e}"),
    })
}
