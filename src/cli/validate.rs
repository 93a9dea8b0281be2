//! `podsim validate FILE...`: check scenarios and say what each describes.

use super::CliError;
use crate::scenario;
use std::path::PathBuf;

pub fn validate(files: &[PathBuf]) -> Result<(), CliError> {
    let mut failed = Vec::new();
    for f in files {
        match scenario::load(f) {
            Ok(s) => outln!("{}", describe(&s.model, &s.path)),
            Err(e) => {
                errln!("error: {e}");
                failed.push(f.display().to_string());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Input(format!(
            "{} of {} scenario file(s) invalid: {}",
            failed.len(),
            files.len(),
            failed.join(", ")
        )))
    }
}

/// A short, human summary of a scenario.
pub fn describe(m: &crate::model::Model, path: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{path}: ok — \"{}\"", m.name);
    let _ = writeln!(
        out,
        "  horizon {} weeks{}, {} senior(s), expected effort {:.0} h",
        m.horizon_weeks(),
        m.deadline_hours
            .map(|d| format!(", deadline week {}", d / crate::model::HOURS_PER_WEEK))
            .unwrap_or_default(),
        m.seniors.count,
        m.expected_effort_hours()
    );
    let _ = writeln!(out, "  {} workstream(s):", m.workstreams.len());
    for w in &m.workstreams {
        let mut work = Vec::new();
        if w.backlog > 0 {
            work.push(format!("backlog {}", w.backlog));
        }
        if w.arrivals_per_hour > 0.0 {
            work.push(format!(
                "{} arrivals/week",
                w.arrivals_per_hour * crate::model::HOURS_PER_WEEK
            ));
        }
        if !w.surges.is_empty() {
            work.push(format!("{} surge(s)", w.surges.len()));
        }
        let _ = writeln!(
            out,
            "    {:<22} {:<14} {}, effort {} mean {:.2} h",
            w.name,
            w.skill.name(),
            work.join(", "),
            w.effort.name(),
            w.effort.mean()
        );
    }
    let _ = writeln!(
        out,
        "  {} strateg{}:",
        m.strategies.len(),
        if m.strategies.len() == 1 { "y" } else { "ies" }
    );
    for s in &m.strategies {
        let _ = writeln!(
            out,
            "    {:<22} {:<10} {:<13} {} contributor(s){}",
            s.name,
            s.structure.name(),
            s.scaling.policy.name(),
            s.initial_headcount(),
            s.pods
                .as_ref()
                .map(|p| format!(" in {} pod(s)", p.count))
                .unwrap_or_default()
        );
    }
    out.trim_end().to_string()
}
