//! Numbers, money and dates as each language writes them: `10.675` / `10,675`,
//! `44,7%` / `44.7%`, `Rp1.234.000`, `23 Nov 2026 17.10 WIB`.

use time::{OffsetDateTime, UtcOffset};

use crate::i18n::Locale;

const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::Id => ('.', ','),
        Locale::En => (',', '.'),
    }
}

/// A count with thousands separators.
pub fn count(n: u64, locale: Locale) -> String {
    let (thousands, _) = separators(locale);
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    out
}

/// A percentage with one decimal.
pub fn percent(pct: f64, locale: Locale) -> String {
    let (_, decimal) = separators(locale);
    // Percentages are small and non-negative, so the cast is exact.
    let tenths = (pct * 10.0).round().max(0.0) as u64;
    format!("{}{decimal}{}%", count(tenths / 10, locale), tenths % 10)
}

/// Rupiah, whole: `Rp1.234.000`.
pub fn rupiah(n: u64, locale: Locale) -> String {
    format!("Rp{}", count(n, locale))
}

/// A month name and year, e.g. `Nov 2026`.
pub fn month_year(month: pantau_core::Month, locale: Locale) -> String {
    let names = if locale == Locale::Id { MONTHS_ID } else { MONTHS_EN };
    format!("{} {}", names[usize::from(month.month_number() - 1)], month.year())
}

/// A timestamp in Western Indonesian Time, the national portal's clock.
pub fn timestamp_wib(at: OffsetDateTime, locale: Locale) -> String {
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let local = at.to_offset(wib);
    let names = if locale == Locale::Id { MONTHS_ID } else { MONTHS_EN };
    let month = names[usize::from(u8::from(local.month())) - 1];
    let sep = if locale == Locale::Id { '.' } else { ':' };
    format!(
        "{} {month} {} {:02}{sep}{:02} WIB",
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
    fn counts_use_the_languages_thousands_separator() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1_000, "1.000"),
            (10_675, "10.675"),
            (8_376_200, "8.376.200"),
        ];
        for (n, expected) in cases {
            assert_eq!(count(n, Locale::Id), expected);
        }
        assert_eq!(count(8_376_200, Locale::En), "8,376,200");
    }

    #[test]
    fn percentages_use_the_languages_decimal_mark() {
        assert_eq!(percent(44.7, Locale::Id), "44,7%");
        assert_eq!(percent(44.7, Locale::En), "44.7%");
        assert_eq!(percent(100.0, Locale::Id), "100,0%");
        assert_eq!(percent(0.04, Locale::Id), "0,0%");
        assert_eq!(percent(1234.5, Locale::Id), "1.234,5%");
    }

    #[test]
    fn money_is_whole_rupiah() {
        assert_eq!(rupiah(201_600, Locale::Id), "Rp201.600");
        assert_eq!(rupiah(201_600, Locale::En), "Rp201,600");
    }

    #[test]
    fn timestamps_are_shown_in_wib() {
        assert_eq!(
            timestamp_wib(datetime!(2026-11-23 17:10 UTC), Locale::Id),
            "24 Nov 2026 00.10 WIB"
        );
        assert_eq!(
            timestamp_wib(datetime!(2026-11-23 17:10 UTC), Locale::En),
            "24 Nov 2026 00:10 WIB"
        );
    }
}
