//! Timestamps as history exports write them, to seconds since the epoch:
//! RFC 3339 / ISO 8601 with `Z` or an offset (Label Studio), an IANA zone
//! in brackets (`2024-03-12T15:45[Europe/Berlin]`), and local forms without
//! a zone — ISO dates and times, Jira's `12/Mar/24 3:45 PM` — read in the
//! zone `--tz` names (UTC by default). jiff does the parsing and the zone
//! arithmetic; the tz database is bundled, so results never depend on the
//! machine's zone files.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A parsed timestamp and whether the text carried its own zone or offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub secs: i64,
    pub zoned: bool,
}

/// Local (zone-less) forms, tried in order.
const LOCAL_FORMATS: &[&str] = &[
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%Y %H:%M",
    "%d/%b/%y",
    "%d/%b/%Y",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
];

/// Parses `text`; zone-less forms are read in `zone` (UTC when `None`).
/// The error says what was expected, in plain words.
pub fn parse(text: &str, zone: Option<&TimeZone>) -> Result<Parsed, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty date".into());
    }
    if t.len() > 64 {
        return Err(format!("cannot read \"{}…\" as a date (too long)", truncate(t, 40)));
    }
    if let Ok(ts) = t.parse::<Timestamp>() {
        return Ok(Parsed {
            secs: ts.as_second(),
            zoned: true,
        });
    }
    if t.contains('[') {
        if let Ok(z) = t.parse::<jiff::ZonedDateTime>() {
            return Ok(Parsed {
                secs: z.timestamp().as_second(),
                zoned: true,
            });
        }
    }
    let local = if let Ok(dt) = t.parse::<DateTime>() {
        Some(dt)
    } else if let Ok(d) = t.parse::<Date>() {
        Some(d.to_datetime(jiff::civil::Time::midnight()))
    } else {
        // strtime is case-sensitive for month names; Jira writes "Mar", some tools "MAR".
        let norm = title_case_months(t);
        LOCAL_FORMATS.iter().find_map(|f| {
            jiff::fmt::strtime::parse(f, &norm)
                .ok()
                .and_then(|p| p.to_datetime().ok())
        })
    };
    let Some(dt) = local else {
        return Err(format!(
            "cannot read \"{}\" as a date (expected e.g. 2024-03-12T15:45:00Z, 2024-03-12 15:45 or 12/Mar/24 3:45 PM)",
            truncate(t, 40)
        ));
    };
    let utc = TimeZone::UTC;
    let tz = zone.unwrap_or(&utc);
    let ts = tz
        .to_ambiguous_timestamp(dt)
        .compatible()
        .map_err(|_| format!("\"{}\" is not a time that exists in the given zone", truncate(t, 40)))?;
    Ok(Parsed {
        secs: ts.as_second(),
        zoned: false,
    })
}

/// `--tz`: an IANA name (`Europe/Berlin`), `UTC`, or an offset (`+02:00`).
pub fn zone(name: &str) -> Result<TimeZone, String> {
    let n = name.trim();
    if let Some(off) = parse_offset(n) {
        return Ok(TimeZone::fixed(off));
    }
    TimeZone::get(n).map_err(|_| {
        format!(
            "unknown time zone \"{n}\" (expected an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00)"
        )
    })
}

fn parse_offset(s: &str) -> Option<jiff::tz::Offset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 18 || m > 59 {
        return None;
    }
    jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

fn title_case_months(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut prev_alpha = false;
    for c in t.chars() {
        if c.is_ascii_alphabetic() {
            out.push(if prev_alpha {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            });
            prev_alpha = true;
        } else {
            out.push(c);
            prev_alpha = false;
        }
    }
    out
}

/// At most `n` characters of `s`.
pub fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Seconds since the epoch -> "YYYY-MM-DD" (UTC).
pub fn date_of(secs: i64) -> String {
    Timestamp::from_second(secs)
        .map(|t| TimeZone::UTC.to_datetime(t).date().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// "YYYY-MM-DD" -> seconds at midnight UTC.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let d: Date = s
        .trim()
        .parse()
        .map_err(|_| format!("expected a date YYYY-MM-DD, got \"{}\"", truncate(s, 40)))?;
    d.to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .map_err(|_| format!("date out of range: {s}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_forms() {
        let utc = parse("2024-03-12T15:45:00Z", None).unwrap();
        assert!(utc.zoned);
        assert_eq!(parse("2024-03-12T17:45:00+02:00", None).unwrap().secs, utc.secs);
        assert_eq!(parse("2024-03-12T15:45:00.123456Z", None).unwrap().secs, utc.secs);
        let local = parse("2024-03-12 15:45", None).unwrap();
        assert!(!local.zoned);
        assert_eq!(local.secs, utc.secs);
        assert_eq!(parse("12/Mar/24 3:45 PM", None).unwrap().secs, utc.secs);
        assert_eq!(parse("12/MAR/24 3:45 pm", None).unwrap().secs, utc.secs);
        let berlin = zone("Europe/Berlin").unwrap();
        assert_eq!(parse("2024-03-12 16:45", Some(&berlin)).unwrap().secs, utc.secs);
        assert_eq!(parse("2024-03-12T16:45[Europe/Berlin]", None).unwrap().secs, utc.secs);
        assert_eq!(
            parse("2024-03-12 17:45", Some(&zone("+02:00").unwrap())).unwrap().secs,
            utc.secs
        );
        assert!(parse("31/02/2024", None).is_err());
        assert!(parse("yesterday", None)
            .unwrap_err()
            .contains("cannot read \"yesterday\""));
        assert!(zone("Mars/Olympus").is_err());
        assert_eq!(date_of(parse_date("2024-03-12").unwrap()), "2024-03-12");
    }
}
