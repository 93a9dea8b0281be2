//! Contributor tenure from assignees' first and last activity: a person
//! still active near the end of the history has not left yet (right
//! censored). Kaplan-Meier gives the survival curve; the exponential
//! model with censoring (rate = people who left / total weeks observed)
//! gives the one number a scenario takes, `attrition_per_year`.

/// One person's observed tenure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spell {
    pub weeks: f64,
    /// Left (true) or still active at the end of the history (false).
    pub left: bool,
}

/// The exponential leaving rate per week with right censoring (MLE):
/// events / exposure. `None` with no exposure.
pub fn exponential_rate(spells: &[Spell]) -> Option<f64> {
    let exposure: f64 = spells.iter().map(|s| s.weeks).sum();
    let events = spells.iter().filter(|s| s.left).count() as f64;
    (exposure > 0.0).then(|| events / exposure)
}

/// Probability of leaving within a year (52 weeks) at a weekly rate.
pub fn attrition_per_year(rate_per_week: f64) -> f64 {
    1.0 - (-rate_per_week * 52.0).exp()
}

/// Kaplan-Meier survival: (weeks, share still there) at each leaving time.
pub fn kaplan_meier(spells: &[Spell]) -> Vec<(f64, f64)> {
    let mut s: Vec<Spell> = spells.to_vec();
    // Events before censorings at the same time (the usual convention).
    s.sort_by(|a, b| a.weeks.total_cmp(&b.weeks).then(b.left.cmp(&a.left)));
    let mut at_risk = s.len() as f64;
    let mut surv = 1.0;
    let mut out = vec![(0.0, 1.0)];
    let mut i = 0;
    while i < s.len() {
        let t = s[i].weeks;
        let (mut d, mut c) = (0.0, 0.0);
        while i < s.len() && s[i].weeks == t {
            if s[i].left {
                d += 1.0
            } else {
                c += 1.0
            }
            i += 1;
        }
        if d > 0.0 {
            surv *= 1.0 - d / at_risk;
            out.push((t, surv));
        }
        at_risk -= d + c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_textbook_example() {
        // 6 people: left at 1, 3, 3, censored at 2, 4, 5.
        let sp = |w: f64, left: bool| Spell { weeks: w, left };
        let km = kaplan_meier(&[
            sp(1.0, true),
            sp(2.0, false),
            sp(3.0, true),
            sp(3.0, true),
            sp(4.0, false),
            sp(5.0, false),
        ]);
        assert_eq!(km[1], (1.0, 5.0 / 6.0));
        // At 3: 4 at risk, 2 leave.
        assert!((km[2].1 - 5.0 / 6.0 * 0.5).abs() < 1e-12);
        assert_eq!(exponential_rate(&[sp(10.0, true), sp(30.0, false)]), Some(1.0 / 40.0));
        assert!((attrition_per_year(0.0) - 0.0).abs() < 1e-12);
    }
}
