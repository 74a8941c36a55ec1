//! Numbers and dates as Indonesians write them: `10.675`, `44,7%`, `23 Nov 2026 17.10 WIB`.

use time::{OffsetDateTime, UtcOffset};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// A count with `.` between thousands.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percentage with one decimal and a decimal comma: `44,7%`.
pub fn percent(pct: f64) -> String {
    let tenths = (pct * 10.0).round().max(0.0);
    // Percentages are small and non-negative, so the cast is exact.
    let tenths = tenths as u64;
    format!("{},{}%", count(tenths / 10), tenths % 10)
}

/// A timestamp in Western Indonesian Time, the national portal's clock.
pub fn timestamp_wib(at: OffsetDateTime) -> String {
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let local = at.to_offset(wib);
    let month = MONTHS[usize::from(u8::from(local.month())) - 1];
    format!(
        "{} {month} {} {:02}.{:02} WIB",
        local.day(),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn counts_use_dots_between_thousands() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1.000"),
            (10_675, "10.675"),
            (8_376_200, "8.376.200"),
        ];
        for (n, expected) in cases {
            assert_eq!(count(n), expected);
        }
    }

    #[test]
    fn percentages_use_a_decimal_comma() {
        assert_eq!(percent(44.7), "44,7%");
        assert_eq!(percent(100.0), "100,0%");
        assert_eq!(percent(0.04), "0,0%");
        assert_eq!(percent(1234.5), "1.234,5%");
    }

    #[test]
    fn timestamps_are_shown_in_wib() {
        assert_eq!(timestamp_wib(datetime!(2026-11-23 17:10 UTC)), "24 Nov 2026 00.10 WIB");
    }
}
