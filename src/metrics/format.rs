//! How podsim writes numbers for people: the terminal, reports and charts
//! share these, so a cost reads the same everywhere. (CSV and JSON keep the
//! shortest round-trip form; see `output::num`.)

/// How a metric's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Weeks, one decimal.
    Weeks,
    /// Hours, one decimal.
    Hours,
    /// US dollars with thousands separators ("$1,234,567").
    Money,
    /// Counts and ratios: thousands separators from 100 up, else one decimal.
    Count,
    /// A share 0..1 written as a whole percentage ("12 %").
    Percent,
    /// Small rates and probabilities, three decimals.
    Rate,
}

impl Format {
    /// The value in full, for tables and reports; "n/a" when undefined.
    pub fn value(self, x: f64) -> String {
        if !x.is_finite() {
            return "n/a".into();
        }
        match self {
            Format::Weeks | Format::Hours => format!("{x:.1}"),
            Format::Money => format!("${}", thousands(x)),
            Format::Count if x.abs() >= 100.0 => thousands(x),
            Format::Count => format!("{x:.1}"),
            Format::Percent => format!("{:.0} %", 100.0 * x),
            Format::Rate => format!("{x:.3}"),
        }
    }

    /// A difference with its sign ("+1.5", "-$2,000"); `minus` is the sign
    /// character ("-" for the terminal, "−" for typeset reports).
    pub fn signed(self, x: f64, minus: &str) -> String {
        let s = self.value(x.abs());
        if x < 0.0 {
            format!("{minus}{s}")
        } else {
            format!("+{s}")
        }
    }

    /// A value label on a chart: money abbreviated ("$1.2M").
    pub fn compact(self, x: f64) -> String {
        match self {
            Format::Money => money_short(x),
            f => f.value(x),
        }
    }

    /// An axis tick.
    pub fn tick(self, x: f64) -> String {
        match self {
            Format::Money => money_short(x),
            _ => tick(x),
        }
    }
}

/// Thousands separators for whole numbers: 1234567 -> "1,234,567".
pub fn thousands(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let neg = x < 0.0;
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out != "0" {
        format!("-{out}")
    } else {
        out
    }
}

/// Whole dollars with thousands separators ("$1,234").
pub fn dollars(x: f64) -> String {
    format!("${}", thousands(x.round()))
}

/// Money abbreviated for charts: "$950", "$1.25k", "$12.5k", "$120k", "$3.4M".
pub fn money_short(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let body = if a >= 1e9 {
        format!("{}B", trim(a / 1e9, 2))
    } else if a >= 1e6 {
        format!("{}M", trim(a / 1e6, 2))
    } else if a >= 1e4 {
        format!("{}k", trim(a / 1e3, if a >= 1e5 { 0 } else { 1 }))
    } else if a >= 1e3 {
        format!("{}k", trim(a / 1e3, 2))
    } else {
        format!("{a:.0}")
    };
    format!("{sign}${body}")
}

/// A plain number with at most `digits` decimals and no trailing zeros.
pub fn trim(x: f64, digits: usize) -> String {
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// An axis tick for plain numbers: "12", "2.5", "0.25", "15k", "1.2M".
pub fn tick(x: f64) -> String {
    let a = x.abs();
    if a >= 1e6 {
        format!("{}M", trim(x / 1e6, 1))
    } else if a >= 1e4 {
        format!("{}k", trim(x / 1e3, 1))
    } else if a >= 100.0 || (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else if a >= 1.0 {
        trim(x, 1)
    } else {
        trim(x, 2)
    }
}

/// A value whose metric is not known (sweep tables of any metric):
/// thousands separators for large numbers, three decimals for small ones.
pub fn auto(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    auto_like(x, x)
}

/// `x` with the decimals [`auto`] gives `like` (so a CI half-width reads at
/// the precision of its mean).
pub fn auto_like(x: f64, like: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let a = like.abs();
    if a >= 1000.0 {
        thousands(x)
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// `x` to `digits` significant digits, no trailing zeros ("3.142", "1200", "0.0451").
pub fn significant(x: f64, digits: usize) -> String {
    if !x.is_finite() || x == 0.0 {
        return trim(x, 0);
    }
    let magnitude = x.abs().log10().floor() as i64;
    let decimals = (digits as i64 - 1 - magnitude).clamp(0, 12) as usize;
    trim(x, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(thousands(0.2), "0");
    }

    #[test]
    fn formats_by_kind() {
        assert_eq!(Format::Money.value(1234.4), "$1,234");
        assert_eq!(Format::Money.compact(1_250_000.0), "$1.25M");
        assert_eq!(Format::Count.value(1234.0), "1,234");
        assert_eq!(Format::Count.value(12.34), "12.3");
        assert_eq!(Format::Percent.value(0.125), "12 %");
        assert_eq!(Format::Weeks.signed(-1.25, "−"), "−1.2");
        assert_eq!(Format::Hours.value(f64::NAN), "n/a");
        assert_eq!(auto(0.12345), "0.123");
        assert_eq!(auto_like(12.345, 1500.0), "12");
    }

    #[test]
    fn money_is_short_and_readable() {
        assert_eq!(money_short(691_357.9), "$691k");
        assert_eq!(money_short(12_345.0), "$12.3k");
        assert_eq!(money_short(1_250_000.0), "$1.25M");
        assert_eq!(money_short(950.0), "$950");
        assert_eq!(money_short(-4_184.0), "-$4.18k");
        assert_eq!(money_short(0.0), "$0");
    }

    #[test]
    fn ticks_drop_needless_decimals() {
        assert_eq!(tick(20.0), "20");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(0.25), "0.25");
        assert_eq!(tick(1500.0), "1500");
        assert_eq!(tick(25_000.0), "25k");
    }
}
