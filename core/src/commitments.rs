//! Local commitments: the regulations a regency or province has made for vulnerable
//! workers' social security, its premium budgets per funding source, and the Paritrana
//! readiness card that sums them up with coverage.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::Figures;
use crate::breakdown::{Breakdown, Dimension};
use crate::enrolment::FundingSource;
use crate::region::{AreaCode, Level, RegionCode};
use crate::workers::iso_date;

crate::wire_enum! {
    /// The kind of a local commitment. Its label is the abbreviation officials write, the same
    /// in both languages.
    pub enum RegulationKind: "regulation kind" {
        /// Peraturan Bupati / Wali Kota.
        Perbup = "perbup" { id: "Perbup/Perwal", en: "Perbup/Perwal" },
        /// Peraturan Gubernur.
        Pergub = "pergub" { id: "Pergub", en: "Pergub" },
        /// Surat Edaran.
        SuratEdaran = "surat_edaran" { id: "SE", en: "SE" },
        /// Memorandum of Understanding (Nota Kesepahaman).
        Mou = "mou" { id: "MoU", en: "MoU" },
        /// Perjanjian Kerja Sama.
        Pks = "pks" { id: "PKS", en: "PKS" },
    }
}

/// A regulation as entered by an admin (`POST /api/v1/areas/{code}/regulations`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RegulationDraft {
    /// Kind.
    pub kind: Option<RegulationKind>,
    /// Its number, e.g. `74 Tahun 2022` or `465/Kesber.20/Tapem/VIII/2024`.
    pub number: String,
    /// Date signed, `YYYY-MM-DD`.
    pub date: String,
    /// Title.
    pub title: String,
    /// What it commits to, in a few sentences.
    pub summary: String,
    /// Where the text can be read (JDIH), `https://…`.
    pub link: String,
}

/// A registered regulation, public.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Regulation {
    /// Id.
    pub id: i64,
    /// The regency or province it belongs to.
    pub area: RegionCode,
    /// That area's name.
    pub area_name: String,
    /// Kind.
    pub kind: RegulationKind,
    /// Number.
    pub number: String,
    /// Date signed.
    #[serde(with = "iso_date")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Link to the text.
    pub link: Option<String>,
}

/// What is wrong with a regulation draft: the field, by its JSON name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegulationProblem {
    /// No kind chosen.
    Kind,
    /// Number empty or over 100 characters.
    Number,
    /// Not a date, or in the future.
    Date,
    /// Title under 5 or over 300 characters.
    Title,
    /// Summary over 2,000 characters.
    Summary,
    /// Not an `http(s)://` address of at most 500 characters.
    Link,
}

impl RegulationProblem {
    /// The field at fault.
    pub fn field(self) -> crate::error::Field {
        use crate::error::Field;
        match self {
            Self::Kind => Field::Kind,
            Self::Number => Field::Number,
            Self::Date => Field::Date,
            Self::Title => Field::Title,
            Self::Summary => Field::Summary,
            Self::Link => Field::Link,
        }
    }

    /// Bahasa Indonesia sentence for the form and the API.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Kind => "Pilih jenis: Perbup/Perwal, Pergub, SE, MoU atau PKS.",
            Self::Number => "Isi nomor peraturan, paling banyak 100 karakter, misalnya 74 Tahun 2022.",
            Self::Date => "Isi tanggal penetapan (TTTT-BB-HH), tidak sesudah hari ini.",
            Self::Title => "Judul harus 5–300 karakter, tanpa tanda < atau >.",
            Self::Summary => "Ringkasan paling banyak 2.000 karakter, tanpa tanda < atau >.",
            Self::Link => {
                "Tautan harus alamat web lengkap yang diawali https:// (paling banyak 500 karakter), atau kosongkan."
            }
        }
    }

    /// English sentence.
    pub fn message_en(self) -> &'static str {
        match self {
            Self::Kind => "Choose a kind: Perbup/Perwal, Pergub, SE, MoU or PKS.",
            Self::Number => "Enter the regulation's number, at most 100 characters, e.g. 74 Tahun 2022.",
            Self::Date => "Enter the date signed (YYYY-MM-DD), not after today.",
            Self::Title => "The title must be 5–300 characters, without < or >.",
            Self::Summary => "The summary can have at most 2,000 characters, without < or >.",
            Self::Link => {
                "The link must be a full web address starting with https:// (at most 500 characters), or empty."
            }
        }
    }
}

/// A checked regulation draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRegulation {
    /// Kind.
    pub kind: RegulationKind,
    /// Number.
    pub number: String,
    /// Date.
    pub date: Date,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Link.
    pub link: Option<String>,
}

fn clean(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    (text.chars().count() <= max && !text.chars().any(|c| c != '\n' && crate::intake::refused_in_text(c)))
        .then(|| text.to_owned())
}

/// The regions whose regulations are in force in an area: regulations are made by provinces
/// and regencies, and those of the regency and province an area lies in apply to it. The
/// area page (through the API) and the printed report both list these.
pub fn regulation_holders(area: &AreaCode) -> Vec<RegionCode> {
    let AreaCode::Region(code) = area else {
        return Vec::new();
    };
    let mut holders = code.ancestors();
    holders.push(code.clone());
    holders.retain(|c| matches!(c.level(), Level::Province | Level::Regency));
    holders
}

/// Checks a draft; the first problem found, in field order.
pub fn check_regulation(draft: &RegulationDraft, today: Date) -> Result<ValidRegulation, RegulationProblem> {
    let kind = draft.kind.ok_or(RegulationProblem::Kind)?;
    let number = clean(&draft.number, 100)
        .filter(|n| !n.is_empty() && !n.contains('\n'))
        .ok_or(RegulationProblem::Number)?;
    let date = Date::parse(draft.date.trim(), &time::format_description::well_known::Iso8601::DATE)
        .ok()
        .filter(|d| *d <= today && d.year() >= 1945)
        .ok_or(RegulationProblem::Date)?;
    let title = clean(&draft.title, 300)
        .filter(|t| t.chars().count() >= 5 && !t.contains('\n'))
        .ok_or(RegulationProblem::Title)?;
    let summary = clean(&draft.summary, 2_000).ok_or(RegulationProblem::Summary)?;
    let link = draft.link.trim();
    let link = if link.is_empty() {
        None
    } else if (link.starts_with("https://") || link.starts_with("http://"))
        && link.len() <= 500
        && !link
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || crate::intake::refused_in_text(c))
    {
        Some(link.to_owned())
    } else {
        return Err(RegulationProblem::Link);
    };
    Ok(ValidRegulation {
        kind,
        number,
        date,
        title,
        summary,
        link,
    })
}

/// One funding source's line of a regency's premium budget for a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetLine {
    /// Who pays.
    pub funding: FundingSource,
    /// Rupiah allocated for premiums this year.
    pub allocated: u64,
    /// Rupiah of premiums this year for the enrolments this source pays for (paid months
    /// falling in the year), computed from the enrolments.
    pub committed: u64,
}

/// `GET /api/v1/areas/{regency}/budgets/{year}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetView {
    /// Regency.
    pub regency: RegionCode,
    /// Year.
    pub year: i32,
    /// One line per funding source, in display order.
    pub lines: Vec<BudgetLine>,
}

/// One allocation in `PUT /api/v1/areas/{regency}/budgets/{year}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    /// Who pays.
    pub funding: FundingSource,
    /// Rupiah, at most 10 trillion.
    pub allocated: u64,
}

/// Years a budget may be set or read for.
pub const BUDGET_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Largest allocation accepted: far above any regency's budget, far below overflow.
pub const MAX_ALLOCATION: u64 = 10_000_000_000_000;

/// The Paritrana readiness card of a regency: what the award's criteria look at.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Readiness {
    /// A regulation of the regency or its province is registered.
    pub regulation_in_place: bool,
    /// Active workers against the target, percent.
    pub coverage_pct: f64,
    /// Villages at target.
    pub villages_at_target: u64,
    /// Villages.
    pub villages: u64,
    /// Funding sources paying for at least one active worker.
    pub funding_sources: Vec<FundingSource>,
}

/// Builds the card from an area's figures, its funding breakdown and its regulations.
pub fn readiness(figures: &Figures, breakdowns: &[Breakdown], regulations: &[Regulation]) -> Readiness {
    let funding_sources = breakdowns
        .iter()
        .filter(|b| b.dimension == Dimension::Funding)
        .flat_map(|b| &b.rows)
        // Suppressed cells (None) are small but not empty.
        .filter(|row| row.active != Some(0))
        .filter_map(|row| serde_json::from_value(serde_json::Value::String(row.value.clone())).ok())
        .collect();
    Readiness {
        regulation_in_place: !regulations.is_empty(),
        coverage_pct: figures.progress_pct,
        villages_at_target: figures.villages_at_target,
        villages: figures.villages,
        funding_sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breakdown::BreakdownRow;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 24);

    #[test]
    fn regulations_of_the_regency_and_province_apply_below_them() {
        let holders = |code: &str| -> Vec<String> {
            regulation_holders(&AreaCode::parse(code).unwrap())
                .into_iter()
                .map(String::from)
                .collect()
        };
        assert_eq!(holders("32.16.01.2001"), ["32", "32.16"]);
        assert_eq!(holders("32.16.01"), ["32", "32.16"]);
        assert_eq!(holders("32.16"), ["32", "32.16"]);
        assert_eq!(holders("32"), ["32"]);
        assert!(holders("ID").is_empty());
    }

    fn kayong_utara() -> RegulationDraft {
        // DOMAIN.md: Kab. Kayong Utara's Perbup 74/2022 requires village budgets to allocate premiums.
        RegulationDraft {
            kind: Some(RegulationKind::Perbup),
            number: "74 Tahun 2022".into(),
            date: "2022-08-01".into(),
            title: "Alokasi iuran BPJS Ketenagakerjaan dalam APBDes".into(),
            summary: "Setiap desa menganggarkan iuran pekerja rentan.".into(),
            link: "https://jdih.kayongutarakab.go.id/".into(),
        }
    }

    #[test]
    fn a_real_regulation_passes() {
        let valid = check_regulation(&kayong_utara(), TODAY).unwrap();
        assert_eq!(valid.date, date!(2022 - 08 - 01));
        assert_eq!(valid.link.as_deref(), Some("https://jdih.kayongutarakab.go.id/"));
    }

    /// Spoils one field of a good draft.
    type Spoil = fn(&mut RegulationDraft);

    #[test]
    fn each_field_is_checked() {
        let cases: [(Spoil, RegulationProblem); 7] = [
            (|d| d.kind = None, RegulationProblem::Kind),
            (|d| d.number = " ".into(), RegulationProblem::Number),
            (|d| d.date = "2027-01-01".into(), RegulationProblem::Date),
            (|d| d.date = "1 Agustus 2022".into(), RegulationProblem::Date),
            (|d| d.title = "<script>".into(), RegulationProblem::Title),
            (|d| d.summary = "x".repeat(2_001), RegulationProblem::Summary),
            (|d| d.link = "javascript:alert(1)".into(), RegulationProblem::Link),
        ];
        for (spoil, problem) in cases {
            let mut draft = kayong_utara();
            spoil(&mut draft);
            assert_eq!(check_regulation(&draft, TODAY), Err(problem));
        }
    }

    #[test]
    fn readiness_lists_sources_that_pay_for_someone() {
        let figures = Figures {
            target: 200,
            enrolled: 150,
            verified: 100,
            active: 120,
            progress_pct: 60.0,
            villages: 2,
            villages_at_target: 1,
            premium_per_year: Some(0),
        };
        let row = |value: &str, active| BreakdownRow {
            value: value.into(),
            enrolled: active,
            active,
        };
        let funding = Breakdown {
            dimension: Dimension::Funding,
            rows: vec![row("dana_desa", Some(100)), row("csr", None), row("baznas", Some(0))],
        };
        let card = readiness(&figures, &[funding], &[]);
        assert!(!card.regulation_in_place);
        assert_eq!(card.funding_sources, vec![FundingSource::DanaDesa, FundingSource::Csr]);
        assert_eq!((card.villages_at_target, card.villages), (1, 2));
    }
}
