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
    /// A map part was asked for a view that has no parts, or a part it does not have.
    InvalidMapPart,
    /// `descendants` was asked for a level that is not below the area (or villages nationwide).
    InvalidDescendantLevel,
    /// Not signed in, or the session ended.
    Unauthenticated,
    /// The session passed its 30-minute idle or 12-hour limit.
    SessionExpired,
    /// Unknown login or wrong password (never says which).
    InvalidCredentials,
    /// Too many sign-in attempts for this account or address.
    TooManyAttempts,
    /// A state-changing request without the session's CSRF token.
    CsrfMismatch,
    /// The role or its region does not allow this.
    Forbidden,
    /// A new password shorter than 12 characters.
    PasswordTooShort,
    /// A new password longer than 128 characters.
    PasswordTooLong,
    /// A new password on the common-password list (or one with digits around it).
    PasswordCommon,
    /// A username not of 3–32 lower-case letters, digits, dot, hyphen or underscore.
    InvalidUsername,
    /// A display name that is empty, over 100 characters or has control characters.
    InvalidDisplayName,
    /// An e-mail address that is not of the form name@domain.
    InvalidEmail,
    /// The username or e-mail is already used.
    UsernameTaken,
    /// The role cannot be bound to this area's level, or the area does not exist.
    InvalidScope,
    /// The reset link is unknown, used or expired.
    InvalidResetToken,
    /// No account with this id.
    UserNotFound,
    /// The enrolment form has errors; `problems` lists each field.
    InvalidEnrolment,
    /// The NIK is already enrolled somewhere in the country.
    DuplicateNik,
    /// No enrolment with this id.
    EnrolmentNotFound,
    /// The step does not fit the record's status (e.g. verifying a rejected or deactivated record).
    WrongState,
    /// A rejection reason that is not 5–300 characters.
    InvalidReason,
    /// A membership (KPJ) number that is not 11 digits.
    InvalidMembershipNumber,
    /// Paid months other than 1, 3, 6 or 12.
    InvalidPaidMonths,
    /// A village target outside 0–10,000, or set on an area that is not a village.
    InvalidTarget,
    /// A worker-list filter or page that is not one of the allowed values.
    InvalidFilter,
    /// An uploaded village-boundary file failed its checks; nothing was stored.
    InvalidBoundaries,
    /// A regulation draft failed its checks; `field` says which.
    InvalidRegulation,
    /// A budget year outside 2000–2100, an allocation over the limit, or a source listed twice.
    InvalidBudget,
    /// No regulation with this id.
    RegulationNotFound,
    /// The path exists, but not with this HTTP method.
    MethodNotAllowed,
    /// No API route at this path.
    RouteNotFound,
    /// The request body or query could not be read.
    BadRequest,
    /// An `Idempotency-Key` header that is not 1–100 letters, digits, `-` or `_`.
    InvalidIdempotencyKey,
    /// The `Idempotency-Key` was already used by this account for a different request.
    IdempotencyKeyReused,
    /// A request with the same `Idempotency-Key` is still being handled; retry shortly.
    IdempotencyKeyInProgress,
    /// This account was told too often within the hour that a NIK is enrolled already (an
    /// enrolment of an enrolled NIK, or a duplicate report): nothing stored, try later.
    TooManyNikLookups,
    /// This account has as many unresolved duplicate reports as it may have open.
    TooManyOpenReports,
    /// The server's disk is full: nothing was stored; retry later (the outbox keeps the record).
    StorageFull,
    /// An import file lacks required columns; `details` names them (the template's headers).
    ImportColumnsMissing,
    /// An import file is neither CSV nor XLSX that can be read, or is empty.
    ImportUnreadable,
    /// An import CSV in an encoding other than UTF-8, UTF-16 or Windows-1252.
    ImportEncoding,
    /// An import file over the size or row limit; nothing was read further.
    ImportTooLarge,
    /// An import commit of a file with invalid rows, without `only_valid`: nothing stored.
    ImportHasErrors,
    /// No import batch with this id.
    ImportBatchNotFound,
    /// An import batch whose records were verified, changed or deactivated since, or that was
    /// undone already: it can no longer be undone as a whole.
    ImportBatchChanged,
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
            Self::InvalidMapPart => {
                "Bagian peta hanya ada untuk peta kecamatan seluruh Indonesia: 1 (Sumatra dan Jawa) atau 2 (pulau-pulau di timurnya)."
            }
            Self::InvalidDescendantLevel => {
                "Tingkat wilayah harus di bawah wilayah ini: province, regency, district atau village \
                 (village tidak tersedia untuk seluruh Indonesia sekaligus)."
            }
            Self::Unauthenticated => "Silakan masuk terlebih dahulu.",
            Self::SessionExpired => "Sesi Anda berakhir karena lama tidak aktif atau sudah 12 jam. Silakan masuk lagi.",
            Self::InvalidCredentials => "Nama pengguna atau kata sandi salah.",
            Self::TooManyAttempts => "Terlalu banyak percobaan masuk. Tunggu beberapa menit lalu coba lagi.",
            Self::CsrfMismatch => "Permintaan ditolak karena token keamanan tidak cocok. Muat ulang halaman lalu coba lagi.",
            Self::Forbidden => "Peran atau wilayah akun Anda tidak mengizinkan tindakan ini.",
            Self::PasswordTooShort => "Kata sandi minimal 12 karakter.",
            Self::PasswordTooLong => "Kata sandi paling banyak 128 karakter.",
            Self::PasswordCommon => "Kata sandi ini terlalu umum dan mudah ditebak. Pakai gabungan beberapa kata yang tidak berhubungan.",
            Self::InvalidUsername => "Nama pengguna harus 3–32 karakter: huruf kecil, angka, titik, tanda hubung atau garis bawah.",
            Self::InvalidDisplayName => "Nama tampilan harus diisi, paling banyak 100 karakter.",
            Self::InvalidEmail => "Alamat e-mail tidak valid.",
            Self::UsernameTaken => "Nama pengguna atau e-mail ini sudah dipakai.",
            Self::InvalidScope => "Wilayah tidak cocok dengan peran: operator desa untuk satu desa, petugas kecamatan untuk kecamatan, admin kabupaten untuk kabupaten/kota, verifikator BPJS untuk kabupaten/kota atau provinsi.",
            Self::InvalidResetToken => "Tautan atur ulang kata sandi tidak berlaku (sudah dipakai atau kedaluwarsa). Minta tautan baru kepada admin.",
            Self::UserNotFound => "Akun tidak ditemukan.",
            Self::InvalidEnrolment => "Data pendaftaran belum benar. Periksa isian yang ditandai.",
            Self::DuplicateNik => "NIK ini sudah terdaftar sebagai peserta.",
            Self::EnrolmentNotFound => "Data pekerja tidak ditemukan.",
            Self::WrongState => "Langkah ini tidak dapat dilakukan pada status data saat ini.",
            Self::InvalidReason => "Alasan harus 5–300 karakter.",
            Self::InvalidMembershipNumber => "Nomor kepesertaan BPJS Ketenagakerjaan (KPJ) harus 11 angka.",
            Self::InvalidPaidMonths => "Pilih lama bayar 1, 3, 6 atau 12 bulan.",
            Self::InvalidTarget => "Target desa harus angka 0 sampai 10.000 dan hanya untuk desa/kelurahan.",
            Self::InvalidFilter => "Saringan daftar tidak dikenal.",
            Self::InvalidBoundaries => "Berkas batas desa tidak lolos pemeriksaan; tidak ada yang disimpan. Lihat rinciannya.",
            Self::InvalidRegulation => "Data peraturan belum benar.",
            Self::InvalidBudget => "Anggaran tidak valid: tahun 2000–2100, tiap sumber dana sekali, nilai paling banyak Rp10 triliun.",
            Self::RegulationNotFound => "Peraturan tidak ditemukan.",
            Self::MethodNotAllowed => "Alamat API ini tidak menerima metode permintaan tersebut.",
            Self::RouteNotFound => "Alamat API ini tidak ada.",
            Self::BadRequest => "Permintaan tidak dapat dibaca.",
            Self::InvalidIdempotencyKey => {
                "Kunci pengiriman (Idempotency-Key) harus 1–100 huruf, angka, tanda - atau _."
            }
            Self::IdempotencyKeyReused => {
                "Kunci pengiriman ini sudah dipakai untuk data lain. Data ini tidak disimpan; kirim sebagai data baru."
            }
            Self::IdempotencyKeyInProgress => "Data ini sedang diproses server. Tunggu sebentar lalu kirim lagi.",
            Self::TooManyNikLookups => {
                "Terlalu sering NIK yang sudah terdaftar dicek dari akun ini dalam satu jam. Data ini tidak disimpan; \
                 coba lagi nanti. Hubungi admin kabupaten bila ini pekerjaan yang sah."
            }
            Self::TooManyOpenReports => {
                "Akun ini sudah punya 20 laporan data ganda yang belum diselesaikan. Tunggu sampai desa tujuan menyelesaikannya."
            }
            Self::StorageFull => "Penyimpanan server penuh: data belum disimpan. Coba lagi nanti dan beri tahu admin Pantau.",
            Self::ImportColumnsMissing => {
                "Berkas tidak memuat semua kolom wajib templat; tidak ada yang diperiksa. Unduh templat lalu \
                 salin data ke kolomnya."
            }
            Self::ImportUnreadable => {
                "Berkas tidak dapat dibaca sebagai CSV atau XLSX, atau tidak berisi baris data. Simpan ulang dari \
                 Excel sebagai CSV atau Buku Kerja Excel (.xlsx)."
            }
            Self::ImportEncoding => {
                "Huruf dalam berkas CSV tidak dikenali (bukan UTF-8 atau Windows-1252). Di Excel pilih Simpan \
                 Sebagai → CSV UTF-8."
            }
            Self::ImportTooLarge => {
                "Berkas terlalu besar: paling banyak 100.000 baris dan 48 MB per berkas. Bagi menjadi beberapa berkas."
            }
            Self::ImportHasErrors => {
                "Ada baris yang bermasalah, jadi tidak ada yang disimpan. Perbaiki barisnya, atau simpan hanya \
                 baris yang benar."
            }
            Self::ImportBatchNotFound => "Impor ini tidak ditemukan.",
            Self::ImportBatchChanged => {
                "Impor ini tidak dapat dibatalkan lagi: sudah dibatalkan, atau ada datanya yang sudah \
                 diverifikasi, diubah atau dinonaktifkan."
            }
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
            Self::InvalidMapPart => {
                "Map parts exist only for the national district map: 1 (Sumatra and Java) or 2 (the islands east of them)."
            }
            Self::InvalidDescendantLevel => {
                "The level must be below this area: province, regency, district or village \
                 (villages are not available for the whole country at once)."
            }
            Self::Unauthenticated => "Please sign in first.",
            Self::SessionExpired => "Your session ended after inactivity or 12 hours. Please sign in again.",
            Self::InvalidCredentials => "Wrong username or password.",
            Self::TooManyAttempts => "Too many sign-in attempts. Wait a few minutes and try again.",
            Self::CsrfMismatch => "Request refused: the security token did not match. Reload the page and try again.",
            Self::Forbidden => "Your role or region does not allow this.",
            Self::PasswordTooShort => "The password needs at least 12 characters.",
            Self::PasswordTooLong => "The password can have at most 128 characters.",
            Self::PasswordCommon => "This password is too common. Use several unrelated words.",
            Self::InvalidUsername => "The username must be 3–32 characters: lower-case letters, digits, dot, hyphen or underscore.",
            Self::InvalidDisplayName => "The display name is required, at most 100 characters.",
            Self::InvalidEmail => "Invalid e-mail address.",
            Self::UsernameTaken => "This username or e-mail is already in use.",
            Self::InvalidScope => "The area does not fit the role: village operator for a village, district officer for a district, regency admin for a regency, BPJS verifier for a regency or province.",
            Self::InvalidResetToken => "The reset link is no longer valid (used or expired). Ask your admin for a new one.",
            Self::UserNotFound => "No such account.",
            Self::InvalidEnrolment => "The enrolment has errors. Check the marked fields.",
            Self::DuplicateNik => "This NIK is already enrolled.",
            Self::EnrolmentNotFound => "No such worker.",
            Self::WrongState => "This step is not possible in the record's current status.",
            Self::InvalidReason => "The reason must be 5–300 characters.",
            Self::InvalidMembershipNumber => "The BPJS membership (KPJ) number must be 11 digits.",
            Self::InvalidPaidMonths => "Choose 1, 3, 6 or 12 months.",
            Self::InvalidTarget => "A village target must be 0 to 10,000 and set on a village.",
            Self::InvalidFilter => "Unknown list filter.",
            Self::InvalidBoundaries => "The village boundary file failed its checks; nothing was stored. See the details.",
            Self::InvalidRegulation => "The regulation has an error.",
            Self::InvalidBudget => "Invalid budget: year 2000–2100, each funding source once, at most Rp10 trillion.",
            Self::RegulationNotFound => "No such regulation.",
            Self::MethodNotAllowed => "This API address does not accept that request method.",
            Self::RouteNotFound => "There is no API endpoint at this address.",
            Self::BadRequest => "The request could not be read.",
            Self::InvalidIdempotencyKey => "The Idempotency-Key must be 1–100 letters, digits, - or _.",
            Self::IdempotencyKeyReused => {
                "This sending key was already used for other data. Nothing was stored; send it as new data."
            }
            Self::IdempotencyKeyInProgress => "The server is still handling this record. Wait a moment and send again.",
            Self::TooManyNikLookups => {
                "This account checked too many already-enrolled NIKs within the hour. Nothing was stored; try again \
                 later, or ask the regency admin if this is legitimate work."
            }
            Self::TooManyOpenReports => {
                "This account already has 20 unresolved duplicate reports. Wait until the other village resolves them."
            }
            Self::StorageFull => "The server's storage is full: nothing was stored. Try again later and tell Pantau's administrator.",
            Self::ImportColumnsMissing => {
                "The file lacks required template columns; nothing was checked. Download the template and copy \
                 the data into its columns."
            }
            Self::ImportUnreadable => {
                "The file cannot be read as CSV or XLSX, or holds no data rows. Save it again from Excel as CSV \
                 or Excel Workbook (.xlsx)."
            }
            Self::ImportEncoding => {
                "The CSV file's characters are not recognised (not UTF-8 or Windows-1252). In Excel choose Save \
                 As → CSV UTF-8."
            }
            Self::ImportTooLarge => "The file is too large: at most 100,000 rows and 48 MB per file. Split it.",
            Self::ImportHasErrors => {
                "Some rows have problems, so nothing was stored. Fix those rows, or store only the valid ones."
            }
            Self::ImportBatchNotFound => "No such import.",
            Self::ImportBatchChanged => {
                "This import can no longer be undone: it was undone already, or some of its records were \
                 verified, changed or deactivated."
            }
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
    /// A part of a map served in parts.
    Part,
    /// Sign-in username or e-mail.
    Login,
    /// A password.
    Password,
    /// A new account's username.
    Username,
    /// A new account's display name.
    DisplayName,
    /// A new account's e-mail.
    Email,
    /// A role's area.
    Scope,
    /// A one-time token.
    Token,
    /// A written reason.
    Reason,
    /// A village target.
    Target,
    /// A regulation's kind.
    Kind,
    /// A regulation's number.
    Number,
    /// A regulation's date.
    Date,
    /// A regulation's title.
    Title,
    /// A regulation's summary.
    Summary,
    /// A regulation's link.
    Link,
    /// A budget year.
    Year,
    /// A budget allocation.
    Allocated,
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
    /// Every problem of a form (`invalid_enrolment`), one per field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::intake::FieldProblem>,
    /// One line per problem of an uploaded file: for `invalid_boundaries` in English (feature
    /// number, code and what failed), for `import_columns_missing` each missing header.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Where the NIK is already enrolled (`duplicate_nik`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<crate::workers::DuplicateNik>,
}

impl ErrorEnvelope {
    /// An error not tied to one input.
    pub fn of(code: ErrorCode) -> Self {
        Self {
            error: ErrorBody {
                code,
                message: code.message_id().to_owned(),
                field: None,
                problems: Vec::new(),
                details: Vec::new(),
                duplicate: None,
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

impl ErrorEnvelope {
    /// A form's problems: the first one is the headline message and field.
    pub fn problems(problems: Vec<crate::intake::FieldProblem>) -> Self {
        let mut envelope = Self::of(ErrorCode::InvalidEnrolment);
        if let Some(first) = problems.first() {
            envelope.error.message = first.message.clone();
            envelope.error.field = Some(first.field);
        }
        envelope.error.problems = problems;
        envelope
    }

    /// A NIK enrolled elsewhere: says where, with the NIK masked.
    pub fn duplicate(duplicate: crate::workers::DuplicateNik) -> Self {
        let mut envelope = Self::field(ErrorCode::DuplicateNik, Field::Nik);
        envelope.error.message = format!(
            "NIK {} sudah terdaftar sebagai peserta di {}.",
            duplicate.nik_masked, duplicate.village_name
        );
        envelope.error.duplicate = Some(duplicate);
        envelope
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
