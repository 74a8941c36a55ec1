//! Numbers, percentages and dates as each language writes them, shared by the app, the
//! widget, the badge and the report so every face of Pantau prints a figure the same way:
//! `10.675` / `10,675`, `44,7%` / `44.7%`, `24 Nov 2026 00.10 WIB`.

use time::{Date, OffsetDateTime, UtcOffset};

use crate::coverage::Month;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// Bahasa Indonesia, the default.
    Id,
    /// English.
    En,
}

impl Language {
    /// `id` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    /// Parses `id` or `en` in any case.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "id" => Some(Self::Id),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    fn separators(self) -> (char, char) {
        match self {
            Self::Id => ('.', ','),
            Self::En => (',', '.'),
        }
    }

    fn months(self) -> [&'static str; 12] {
        match self {
            Self::Id => [
                "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
            ],
            Self::En => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
        }
    }
}

/// A count with thousands separators.
pub fn count(n: u64, lang: Language) -> String {
    let (thousands, _) = lang.separators();
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

/// A percentage with one decimal. Formatted from integer tenths: no float printing, which
/// keeps the browser's download smaller.
pub fn percent(pct: f64, lang: Language) -> String {
    let (_, decimal) = lang.separators();
    // Percentages are small and non-negative, so the cast is exact.
    let tenths = (pct * 10.0).round().max(0.0) as u64;
    format!("{}{decimal}{}%", count(tenths / 10, lang), tenths % 10)
}

/// A percentage as short as a badge wants it: `73%`, or `63,4%` when there is a tenth.
pub fn percent_short(pct: f64, lang: Language) -> String {
    let full = percent(pct, lang);
    let (_, decimal) = lang.separators();
    full.strip_suffix(&format!("{decimal}0%"))
        .map_or(full.clone(), |whole| format!("{whole}%"))
}

/// Whole rupiah: `Rp1.234.000`.
pub fn rupiah(n: u64, lang: Language) -> String {
    format!("Rp{}", count(n, lang))
}

/// A month and year: `Nov 2026`.
pub fn month_year(month: Month, lang: Language) -> String {
    format!(
        "{} {}",
        lang.months()[usize::from(month.month_number() - 1)],
        month.year()
    )
}

/// A day of the month and its month: `2 Des` / `2 Dec`.
pub fn day_month(date: Date, lang: Language) -> String {
    format!(
        "{} {}",
        date.day(),
        lang.months()[usize::from(u8::from(date.month())) - 1]
    )
}

/// A timestamp in Western Indonesian Time, the national portal's clock.
pub fn timestamp_wib(at: OffsetDateTime, lang: Language) -> String {
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let local = at.to_offset(wib);
    let month = lang.months()[usize::from(u8::from(local.month())) - 1];
    let sep = if lang == Language::Id { '.' } else { ':' };
    format!(
        "{} {month} {} {:02}{sep}{:02} WIB",
        local.day(),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// Colour band of a percentage: the bar and its text share it, in the app and in
/// the page the server sends.
pub fn band(pct: f64) -> &'static str {
    if pct >= 100.0 {
        "band-done"
    } else if pct >= 50.0 {
        "band-high"
    } else if pct >= 25.0 {
        "band-mid"
    } else {
        "band-low"
    }
}

/// Tenths of a percent, capped to 0–100 %, as an integer: formatting integers keeps the
/// float-printing machinery out of the wasm.
pub fn tenths(pct: f64) -> u64 {
    (pct.clamp(0.0, 100.0) * 10.0).round() as u64
}

/// `12.3` written from tenths.
pub fn decimal(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
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
            assert_eq!(count(n, Language::Id), expected);
        }
        assert_eq!(count(8_376_200, Language::En), "8,376,200");
    }

    #[test]
    fn percentages_use_the_languages_decimal_mark() {
        assert_eq!(percent(44.7, Language::Id), "44,7%");
        assert_eq!(percent(44.7, Language::En), "44.7%");
        assert_eq!(percent(100.0, Language::Id), "100,0%");
        assert_eq!(percent(0.04, Language::Id), "0,0%");
        assert_eq!(percent(1234.5, Language::Id), "1.234,5%");
        assert_eq!(percent_short(73.0, Language::Id), "73%");
        assert_eq!(percent_short(63.4, Language::En), "63.4%");
    }

    #[test]
    fn money_is_whole_rupiah() {
        assert_eq!(rupiah(201_600, Language::Id), "Rp201.600");
        assert_eq!(rupiah(201_600, Language::En), "Rp201,600");
    }

    #[test]
    fn timestamps_are_shown_in_wib() {
        assert_eq!(
            timestamp_wib(datetime!(2026-11-23 17:10 UTC), Language::Id),
            "24 Nov 2026 00.10 WIB"
        );
        assert_eq!(
            timestamp_wib(datetime!(2026-11-23 17:10 UTC), Language::En),
            "24 Nov 2026 00:10 WIB"
        );
        assert_eq!(month_year(Month::parse("2026-05").unwrap(), Language::Id), "Mei 2026");
        assert_eq!(day_month(time::macros::date!(2026 - 12 - 02), Language::Id), "2 Des");
        assert_eq!(day_month(time::macros::date!(2026 - 12 - 02), Language::En), "2 Dec");
    }
}
