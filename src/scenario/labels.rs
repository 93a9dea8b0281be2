//! Field paths in words, the one home of parameter names for charts,
//! tables and reports (`sensitivity`, `[uncertainty]`): `strategy.immediate.team[0].count`
//! reads "team entry 1: people", `seniors.resume_minutes` "seniors: recovery
//! after an interruption (min)". The words follow docs/SCENARIO.md's names
//! for the fields (scenario::schema); a path this table does not know is
//! shown with its underscores and dots as spaces, never dropped.

/// Splits a field path at its dots, keeping quoted names whole and
/// unquoted: `strategy."pods + bench".scaling.bench_max`.
pub fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in path.chars() {
        match ch {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The last part of a path in words.
fn field_words(rest: &[String]) -> String {
    let joined = rest.join(".");
    // `team[0].count` -> entry 1 of the team.
    if let Some(i) = joined
        .strip_prefix("team[")
        .and_then(|r| r.strip_suffix("].count"))
        .and_then(|i| i.parse::<usize>().ok())
    {
        return format!("team entry {}: people", i + 1);
    }
    let known = match joined.as_str() {
        "count" => "number",
        "pods.count" => "number of pods",
        "pods.size" => "people per pod",
        "pods.lead_resolves" => "share of questions the pod lead answers",
        "pods.escalation_every_hours" | "pods.escalation_every" => "escalation sync every (h)",
        "pods.margin" | "pods.pod_margin" | "pod_margin" => "provider margin on pod and bench rates",
        "lead_resolves" => "share of questions the pod lead answers",
        "effort_hours.mean" => "effort per item (mean h)",
        "effort_hours.cv" => "effort per item (cv)",
        "questions_per_item" => "questions per item",
        "defect_rate" => "defect rate",
        "interdependence" => "interdependence",
        "backlog" => "backlog (items)",
        "arrivals_per_week" => "arrivals per week",
        "resume_minutes" => "recovery after an interruption (min)",
        "focus_block_minutes" => "deep-focus block (min)",
        "handling_minutes.mean" => "time per question (mean min)",
        "rate" => "hourly rate",
        "office_hours_every" => "office hours every (h)",
        "review_fraction" => "share of items reviewed",
        "review_hours" => "hours per review",
        "scaling.bench_max" => "bench size (max)",
        "scaling.bench_premium" => "bench premium",
        "coefficient" => "coordination coefficient",
        "cap" => "coordination cap",
        "coordination_hours_per_report_week" => "hub hours per report per week",
        "mean_tenure_weeks" => "mean tenure (weeks)",
        "attrition_per_year" => "attrition per year",
        "quality_factor" => "quality factor",
        "productivity" => "productivity",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    joined.replace(['_', '.'], " ")
}

/// A field path in words. `panel` is the strategy a chart panel is about:
/// its name is then left out of the label (the panel already says it).
pub fn param_label(path: &str, panel: Option<&str>) -> String {
    let segs = segments(path);
    match segs.first().map(String::as_str) {
        Some("strategy") if segs.len() > 2 => {
            let words = field_words(&segs[2..]);
            if panel == Some(segs[1].as_str()) {
                words
            } else {
                format!("\u{201c}{}\u{201d} {words}", segs[1])
            }
        }
        Some("workstream") if segs.len() > 2 => format!("{}: {}", segs[1], field_words(&segs[2..])),
        Some("channels") if segs.len() > 2 => format!("{} {}", segs[1], field_words(&segs[2..])),
        Some("seniors") if segs.len() == 2 && segs[1] == "count" => "number of seniors".into(),
        Some("seniors") if segs.len() > 1 => format!("seniors: {}", field_words(&segs[1..])),
        Some("overhead") if segs.len() > 1 => field_words(&segs[1..]),
        Some("quality") if segs.len() > 1 => format!("quality: {}", field_words(&segs[1..])),
        _ => field_words(&segs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_words() {
        assert_eq!(
            param_label("strategy.immediate.team[0].count", Some("immediate")),
            "team entry 1: people"
        );
        assert_eq!(
            param_label("strategy.\"office hours (4 h)\".office_hours_every", None),
            "\u{201c}office hours (4 h)\u{201d} office hours every (h)"
        );
        assert_eq!(param_label("seniors.count", None), "number of seniors");
        assert_eq!(
            param_label("workstream.annotation.effort_hours.mean", None),
            "annotation: effort per item (mean h)"
        );
        assert_eq!(param_label("some.new_field", None), "some new field");
        for l in [
            param_label("strategy.pods.pods.count", Some("pods")),
            param_label("seniors.resume_minutes", None),
        ] {
            assert!(!l.contains('.') && !l.contains('_'), "{l}");
        }
    }
}
