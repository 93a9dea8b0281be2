//! Week numbers to calendar dates, for scenarios with a `start_date`.
//! One working week (5 days, 40 h) is one calendar week.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The date `weeks` after `start` (YYYY-MM-DD, already validated), rounded to a day.
pub fn date_after_weeks(start: &str, weeks: f64) -> Option<String> {
    let y: i64 = start.get(0..4)?.parse().ok()?;
    let m: i64 = start.get(5..7)?.parse().ok()?;
    let d: i64 = start.get(8..10)?.parse().ok()?;
    if !weeks.is_finite() {
        return None;
    }
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + (weeks * 7.0).round() as i64);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_calendar_weeks() {
        assert_eq!(date_after_weeks("2027-01-04", 0.0).unwrap(), "2027-01-04");
        assert_eq!(date_after_weeks("2027-01-04", 26.0).unwrap(), "2027-07-05");
        assert_eq!(date_after_weeks("2028-02-22", 1.0).unwrap(), "2028-02-29");
        assert_eq!(date_after_weeks("2026-12-28", 0.5).unwrap(), "2027-01-01");
    }
}
