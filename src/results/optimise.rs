//! Reads back what `podsim optimise` writes — optimise.json and the CSVs its
//! charts are drawn from — so `podsim chart` redraws them without solving.

use super::run::DataError;
use super::{CERTAINTY_CSV, FRONTIER_CSV, OPTIMISE_JSON, PLAN_CSV};
use std::path::Path;

/// An optimiser folder's chart inputs.
#[derive(Clone, Debug)]
pub struct OptimiseData {
    /// The scenario's name (for the charts' subtitles); empty when the
    /// optimiser found no plan.
    pub scenario: String,
    pub deadline_weeks: Option<f64>,
    /// `--target-probability` of the chance-constrained loop, when it ran.
    pub target_probability: Option<f64>,
    pub plan_csv: Option<String>,
    pub frontier_csv: Option<String>,
    pub certainty_csv: Option<String>,
}

impl OptimiseData {
    /// Loads an optimiser folder (one holding optimise.json).
    pub fn load(dir: &Path) -> Result<OptimiseData, DataError> {
        let read = |name: &str| -> Result<Option<String>, DataError> {
            let p = dir.join(name);
            match std::fs::read_to_string(&p) {
                Ok(t) => Ok(Some(t)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(DataError::Io {
                    path: p.display().to_string(),
                    source,
                }),
            }
        };
        let path = dir.join(OPTIMISE_JSON).display().to_string();
        let text = read(OPTIMISE_JSON)?.ok_or_else(|| DataError::Malformed {
            path: path.clone(),
            line: None,
            message: "not found: an optimiser folder needs the optimise.json `podsim optimise` writes".into(),
        })?;
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| DataError::Malformed {
            path: path.clone(),
            line: Some(e.line() as u64),
            message: format!("not the JSON `podsim optimise` writes: {e}"),
        })?;
        let plan = &v["plan"];
        Ok(OptimiseData {
            scenario: plan["scenario"].as_str().unwrap_or_default().to_string(),
            deadline_weeks: plan["deadline_weeks"].as_f64(),
            target_probability: v["chance_constrained"]["target_probability"].as_f64(),
            plan_csv: read(PLAN_CSV)?,
            frontier_csv: read(FRONTIER_CSV)?,
            certainty_csv: read(CERTAINTY_CSV)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_optimise_json_is_a_located_input_error_and_missing_csvs_are_absent() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join(OPTIMISE_JSON), "{\n  \"plan\": [\n").unwrap();
        let e = OptimiseData::load(d.path()).unwrap_err();
        assert!(e.is_input());
        let said = e.to_string();
        assert!(
            said.contains("optimise.json:") && said.contains("not the JSON"),
            "{said}"
        );
        std::fs::write(
            d.path().join(OPTIMISE_JSON),
            r#"{"plan": {"scenario": "s", "deadline_weeks": 12.0}, "chance_constrained": null}"#,
        )
        .unwrap();
        std::fs::write(d.path().join(PLAN_CSV), "period\n").unwrap();
        let o = OptimiseData::load(d.path()).unwrap();
        assert_eq!((o.scenario.as_str(), o.deadline_weeks), ("s", Some(12.0)));
        assert!(o.plan_csv.is_some() && o.frontier_csv.is_none() && o.certainty_csv.is_none());
        assert_eq!(o.target_probability, None);
    }
}
