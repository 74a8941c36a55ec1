//! The one error envelope every API error uses, and the stable codes the app translates from:
//! `{ "error": { "code": "invalid_region_code", "message": "…", "field": "code" } }`.

use serde::{Deserialize, Serialize};

/// Stable, machine-readable error codes (serialized snake_case). Never renamed once shipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A region code in the path or body is not of Kemendagri form.
    InvalidRegionCode,
    /// The region code is well formed but no such area exists.
    AreaNotFound,
    /// The search query is empty or longer than 100 characters.
    InvalidSearch,
    /// A map was asked for a level the area cannot show.
    InvalidMapLevel,
    /// A map's detail level is not 0 or 1.
    InvalidMapDetail,
    /// `descendants` was asked for a level that is not below the area (or villages nationwide).
    InvalidDescendantLevel,
    /// No API route at this path.
    RouteNotFound,
    /// The request body or query could not be read.
    BadRequest,
    /// The server failed; details are in its log, never in the response.
    Internal,
}

impl ErrorCode {
    /// The Bahasa Indonesia sentence for this code, used in API responses and as the app's default.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::InvalidRegionCode => {
                "Kode wilayah tidak valid. Contoh yang benar: 32, 32.16, 32.16.01 atau 32.16.01.2001."
            }
            Self::AreaNotFound => "Wilayah dengan kode ini tidak ditemukan.",
            Self::InvalidSearch => "Ketik 1 sampai 100 huruf nama wilayah yang dicari.",
            Self::InvalidMapLevel => {
                "Tingkat peta tidak tersedia: peta nasional menampilkan province, regency atau district; \
                 wilayah lain menampilkan wilayah satu tingkat di bawahnya."
            }
            Self::InvalidMapDetail => "Tingkat detail peta harus 0 atau 1.",
            Self::InvalidDescendantLevel => {
                "Tingkat wilayah harus di bawah wilayah ini: province, regency, district atau village \
                 (village tidak tersedia untuk seluruh Indonesia sekaligus)."
            }
            Self::RouteNotFound => "Alamat API ini tidak ada.",
            Self::BadRequest => "Permintaan tidak dapat dibaca.",
            Self::Internal => "Terjadi kesalahan pada server. Silakan coba lagi.",
        }
    }

    /// The English sentence for this code.
    pub fn message_en(self) -> &'static str {
        match self {
            Self::InvalidRegionCode => "Invalid region code. Valid examples: 32, 32.16, 32.16.01 or 32.16.01.2001.",
            Self::AreaNotFound => "No area has this code.",
            Self::InvalidSearch => "Type 1 to 100 characters of the area name to search for.",
            Self::InvalidMapLevel => {
                "This map level is not available: the national map shows province, regency or district; \
                 other areas show the areas one level below."
            }
            Self::InvalidMapDetail => "The map's detail level must be 0 or 1.",
            Self::InvalidDescendantLevel => {
                "The level must be below this area: province, regency, district or village \
                 (villages are not available for the whole country at once)."
            }
            Self::RouteNotFound => "There is no API endpoint at this address.",
            Self::BadRequest => "The request could not be read.",
            Self::Internal => "The server failed. Please try again.",
        }
    }
}

/// The input an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// A region or area code.
    Code,
    /// The search text.
    Query,
    /// The level of areas a map shows.
    Level,
    /// A map's detail level.
    Detail,
    /// Enrolment form: the worker's NIK.
    Nik,
    /// Enrolment form: full name.
    FullName,
    /// Enrolment form: birth date.
    BirthDate,
    /// Enrolment form: sex.
    Sex,
    /// Enrolment form: mobile number.
    Phone,
    /// Enrolment form: address in the village.
    Address,
    /// Enrolment form: occupation segment.
    Segment,
    /// Enrolment form: the occupation written in for segment "other".
    OccupationOther,
    /// Enrolment form: village code.
    Village,
    /// Enrolment form: program package.
    Program,
    /// Enrolment form: declared monthly income.
    Income,
    /// Enrolment form: who pays.
    Funding,
    /// Enrolment form: the company of a CSR programme.
    Sponsor,
    /// Enrolment form: first covered month.
    CoverageStart,
    /// Enrolment form: months paid at once.
    PaidMonths,
    /// Enrolment form: BPJS Ketenagakerjaan membership (KPJ) number.
    MembershipNumber,
    /// Enrolment form: the worker's consent to data processing.
    Consent,
}

/// Body of every API error response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorEnvelope {
    /// The error itself.
    pub error: ErrorBody,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable code.
    pub code: ErrorCode,
    /// Bahasa Indonesia sentence; never repeats personal input.
    pub message: String,
    /// The input at fault, for input errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
}

impl ErrorEnvelope {
    /// An error not tied to one input.
    pub fn of(code: ErrorCode) -> Self {
        Self {
            error: ErrorBody {
                code,
                message: code.message_id().to_owned(),
                field: None,
            },
        }
    }

    /// An error about one input.
    pub fn field(code: ErrorCode, field: Field) -> Self {
        Self {
            error: ErrorBody {
                field: Some(field),
                ..Self::of(code).error
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_the_documented_shape() {
        let json = serde_json::to_value(ErrorEnvelope::field(ErrorCode::InvalidRegionCode, Field::Code)).unwrap();
        assert_eq!(json["error"]["code"], "invalid_region_code");
        assert_eq!(json["error"]["field"], "code");
        assert!(json["error"]["message"].as_str().unwrap().starts_with("Kode wilayah"));
        let plain = serde_json::to_value(ErrorEnvelope::of(ErrorCode::Internal)).unwrap();
        assert!(plain["error"].get("field").is_none());
    }
}
