//! What can be wrong with one field of an enrolment form, in words a village operator can act
//! on. Every sentence is fixed text: a message never repeats what was typed, so personal data
//! cannot leak through an error shown on screen, sent in a response or written to a log.

use serde::{Deserialize, Serialize};

use crate::error::Field;
use crate::nik::NikError;
use crate::premium::IncomeError;

/// Whether a problem blocks the enrolment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The enrolment cannot be saved until this is fixed.
    Error,
    /// Worth a second look, but the enrolment can be saved as it is.
    Warning,
}

/// One thing wrong with a field. Serialized as a stable snake_case code (`nik_length`, …) that
/// is never renamed once shipped, so the app and other clients can translate from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Empty, or a choice not made.
    Required,
    /// Shorter than the field's minimum (see the `*_CHARS` limits in [`crate::intake`]).
    TooShort,
    /// Longer than the field's maximum.
    TooLong,
    /// A name holding something other than letters, spaces, `'`, `.`, `,` and `-`.
    NameCharacters,
    /// Free text holding `<`, `>`, control characters or invisible formatting characters.
    TextCharacters,
    /// The NIK does not have 16 digits.
    NikLength,
    /// The NIK holds something other than digits.
    NikNotDigits,
    /// The NIK's first six digits cannot be a district code.
    NikRegion,
    /// The birth date inside the NIK does not exist.
    NikBirthDate,
    /// The NIK's serial is `0000`.
    NikSerial,
    /// The NIK's district is not in the region list: a warning, because districts split and
    /// are renumbered while the NIKs issued there stay.
    NikDistrictUnknown,
    /// The birth date is not a real `YYYY-MM-DD` date from 1900 on.
    BirthDateInvalid,
    /// The birth date is after today.
    BirthDateFuture,
    /// The birth date differs from the one inside the NIK.
    BirthDateNotInNik,
    /// The sex differs from the one the NIK encodes.
    SexNotInNik,
    /// The worker is younger than 15 or older than 65 when cover starts: a warning, since the
    /// birth date may be right and BPJS Ketenagakerjaan decides.
    AgeOutsideRange,
    /// Not an Indonesian mobile number.
    PhoneInvalid,
    /// The declared income is below the lowest tier.
    IncomeBelowLowest,
    /// The declared income lies between two tiers.
    IncomeNotTier,
    /// The declared income is above Rp100.000.000 a month: surely a typo.
    IncomeTooHigh,
    /// The start month is not a `YYYY-MM` month.
    CoverageStartInvalid,
    /// Cover would start more than three months back: arrears reach back three months only.
    CoverageStartTooEarly,
    /// Cover would start more than twelve months ahead.
    CoverageStartTooLate,
    /// Premiums are paid for 1, 3, 6 or 12 months only.
    PaidMonthsInvalid,
    /// A BPJS Ketenagakerjaan membership (KPJ) number that is not 11 digits.
    MembershipNumberInvalid,
    /// The worker has not agreed to the processing of their data.
    ConsentRequired,
    /// The village is not a village-level region code.
    VillageInvalid,
    /// Server: no current village has this code.
    VillageUnknown,
    /// Server: an edit may not move a worker to another village.
    VillageFixed,
    /// Server: an edit may not change the NIK, which identifies the person.
    NikFixed,
    /// Import: a spreadsheet turned the NIK into a rounded number (`3,21601E+15`).
    NikChangedByExcel,
    /// Import: a category cell that is neither a label of the form nor a code of the API.
    ChoiceUnknown,
    /// Import: a later row with the NIK of an earlier row of the same file.
    DuplicateInFile,
    /// Import: the NIK is enrolled already (in another village, or with other data).
    AlreadyEnrolled,
    /// Import: the village is outside the area imported into or the caller's scope.
    VillageOutsideArea,
}

impl Problem {
    /// Every problem, in the order of the form's fields.
    pub const ALL: [Problem; 35] = [
        Problem::Required,
        Problem::TooShort,
        Problem::TooLong,
        Problem::NameCharacters,
        Problem::TextCharacters,
        Problem::NikLength,
        Problem::NikNotDigits,
        Problem::NikRegion,
        Problem::NikBirthDate,
        Problem::NikSerial,
        Problem::NikDistrictUnknown,
        Problem::BirthDateInvalid,
        Problem::BirthDateFuture,
        Problem::BirthDateNotInNik,
        Problem::SexNotInNik,
        Problem::AgeOutsideRange,
        Problem::PhoneInvalid,
        Problem::IncomeBelowLowest,
        Problem::IncomeNotTier,
        Problem::IncomeTooHigh,
        Problem::CoverageStartInvalid,
        Problem::CoverageStartTooEarly,
        Problem::CoverageStartTooLate,
        Problem::PaidMonthsInvalid,
        Problem::MembershipNumberInvalid,
        Problem::ConsentRequired,
        Problem::VillageInvalid,
        Problem::VillageUnknown,
        Problem::VillageFixed,
        Problem::NikFixed,
        Problem::NikChangedByExcel,
        Problem::ChoiceUnknown,
        Problem::DuplicateInFile,
        Problem::AlreadyEnrolled,
        Problem::VillageOutsideArea,
    ];

    /// Whether the problem blocks the enrolment.
    pub fn severity(self) -> Severity {
        match self {
            Self::NikDistrictUnknown | Self::AgeOutsideRange => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The Bahasa Indonesia sentence shown under the field: what is expected, never what was
    /// typed. Figures in it must match the limits in [`crate::intake`] (a test checks them).
    pub fn message_id(self) -> &'static str {
        match self {
            Self::Required => "Bagian ini wajib diisi atau dipilih.",
            Self::TooShort => {
                "Terlalu pendek: nama, nama pekerjaan dan nama perusahaan paling sedikit 2 karakter, \
                 alamat paling sedikit 5 karakter."
            }
            Self::TooLong => {
                "Terlalu panjang: nama paling banyak 100 karakter, alamat 200, nama pekerjaan 60 \
                 dan nama perusahaan 100."
            }
            Self::NameCharacters => {
                "Nama hanya boleh berisi huruf, spasi, titik, koma, tanda hubung (-) dan apostrof ('); \
                 tanpa angka atau simbol lain."
            }
            Self::TextCharacters => {
                "Isian ini tidak boleh berisi tanda < atau >, atau karakter kontrol seperti tab dan \
                 baris baru."
            }
            Self::NikLength => "NIK harus 16 angka; yang diketik kurang atau lebih.",
            Self::NikNotDigits => "NIK hanya boleh berisi angka 0–9, tanpa huruf, titik atau tanda hubung.",
            Self::NikRegion => {
                "Enam angka pertama NIK bukan kode kecamatan yang mungkin; periksa kembali NIK pada KTP \
                 atau Kartu Keluarga."
            }
            Self::NikBirthDate => {
                "Tanggal lahir di dalam NIK (angka ke-7 sampai ke-12) bukan tanggal yang ada; periksa \
                 kembali NIK pada KTP atau Kartu Keluarga."
            }
            Self::NikSerial => {
                "Empat angka terakhir NIK tidak mungkin 0000; periksa kembali NIK pada KTP atau Kartu \
                 Keluarga."
            }
            Self::NikDistrictUnknown => {
                "Kecamatan pada NIK tidak ada dalam daftar wilayah saat ini. Ini wajar bila kecamatan \
                 sudah dimekarkan atau berganti kode; pastikan NIK sama dengan KTP."
            }
            Self::BirthDateInvalid => {
                "Tanggal lahir tidak dikenali; pilih tanggal pada kalender (format TTTT-BB-HH, tahun \
                 1900 atau sesudahnya)."
            }
            Self::BirthDateFuture => "Tanggal lahir tidak boleh sesudah hari ini.",
            Self::BirthDateNotInNik => {
                "Tanggal lahir berbeda dengan tanggal lahir di dalam NIK; samakan dengan KTP atau Kartu \
                 Keluarga."
            }
            Self::SexNotInNik => {
                "Jenis kelamin berbeda dengan yang tercatat di dalam NIK (NIK perempuan memakai tanggal \
                 lahir ditambah 40); periksa jenis kelamin atau NIK."
            }
            Self::AgeOutsideRange => {
                "Umur pekerja pada bulan mulai kepesertaan di luar 15–65 tahun; periksa tanggal lahir. \
                 BPJS Ketenagakerjaan dapat menolak pendaftaran di luar umur ini."
            }
            Self::PhoneInvalid => {
                "Nomor HP tidak valid: isi nomor seluler Indonesia yang diawali 08, 628 atau +628, \
                 10–13 angka dalam bentuk 08 (misalnya 0812 3456 7890)."
            }
            Self::IncomeBelowLowest => {
                "Penghasilan di bawah tingkat terendah yang dapat dilaporkan; pilih salah satu tingkat \
                 penghasilan dari daftar."
            }
            Self::IncomeNotTier => {
                "Penghasilan harus salah satu tingkat dalam daftar, yang naik bertahap dari tingkat \
                 terendah; pilih dari daftar."
            }
            Self::IncomeTooHigh => "Penghasilan melebihi Rp100.000.000 sebulan; periksa jumlah angka nol.",
            Self::CoverageStartInvalid => {
                "Bulan mulai kepesertaan tidak dikenali; pilih bulan dan tahun (format TTTT-BB)."
            }
            Self::CoverageStartTooEarly => {
                "Bulan mulai terlalu lampau: tunggakan iuran hanya dapat dibayar paling lama 3 bulan \
                 sebelum bulan ini."
            }
            Self::CoverageStartTooLate => "Bulan mulai terlalu jauh: paling lambat 12 bulan sesudah bulan ini.",
            Self::PaidMonthsInvalid => "Iuran dibayar untuk 1, 3, 6 atau 12 bulan; pilih salah satu.",
            Self::MembershipNumberInvalid => {
                "Nomor peserta (KPJ) BPJS Ketenagakerjaan harus 11 angka; kosongkan bila belum ada."
            }
            Self::ConsentRequired => "Pekerja harus menyetujui pernyataan pengolahan data pribadi sebelum didaftarkan.",
            Self::VillageInvalid => "Pilih desa atau kelurahan dari daftar; kodenya berbentuk seperti 32.16.01.2001.",
            Self::VillageUnknown => "Desa atau kelurahan dengan kode ini tidak ada dalam daftar wilayah Kemendagri.",
            Self::VillageFixed => {
                "Desa peserta tidak dapat diubah. Bila pindah, nonaktifkan dengan alasan pindah lalu daftarkan di desa baru."
            }
            Self::NikFixed => {
                "NIK tidak dapat diubah. Bila NIK salah ketik, nonaktifkan data ini dengan alasan ganda lalu daftarkan ulang."
            }
            Self::NikChangedByExcel => {
                "NIK sudah diubah Excel menjadi angka yang dibulatkan (misalnya 3,21601E+15), sehingga angka \
                 aslinya hilang. Format kolom NIK sebagai Teks (atau awali dengan tanda ') lalu ketik ulang NIK \
                 dari KTP."
            }
            Self::ChoiceUnknown => {
                "Isian tidak dikenali; pakai salah satu pilihan pada templat (nama pilihan seperti di formulir, \
                 atau kodenya)."
            }
            Self::DuplicateInFile => "NIK sama dengan baris sebelumnya di berkas ini; hanya baris pertama yang dipakai.",
            Self::AlreadyEnrolled => "NIK ini sudah terdaftar di Pantau dengan data lain atau di desa lain.",
            Self::VillageOutsideArea => "Desa ini di luar wilayah impor atau di luar wilayah tugas Anda.",
        }
    }

    /// The English sentence, same content as [`Problem::message_id`].
    pub fn message_en(self) -> &'static str {
        match self {
            Self::Required => "This is required: fill it in or make a choice.",
            Self::TooShort => {
                "Too short: the name, occupation and company name need at least 2 characters, the \
                 address at least 5."
            }
            Self::TooLong => {
                "Too long: at most 100 characters for the name, 200 for the address, 60 for the \
                 occupation and 100 for the company name."
            }
            Self::NameCharacters => {
                "The name may contain only letters, spaces, full stops, commas, hyphens (-) and \
                 apostrophes ('); no digits or other symbols."
            }
            Self::TextCharacters => "This may not contain < or >, or control characters such as tabs and line breaks.",
            Self::NikLength => "The NIK must have exactly 16 digits; fewer or more were typed.",
            Self::NikNotDigits => "The NIK may contain only the digits 0–9, no letters, dots or dashes.",
            Self::NikRegion => {
                "The first six digits of the NIK cannot be a district code; check the NIK on the ID \
                 card or family card."
            }
            Self::NikBirthDate => {
                "The birth date inside the NIK (digits 7 to 12) is not a real date; check the NIK on \
                 the ID card or family card."
            }
            Self::NikSerial => {
                "The last four digits of the NIK cannot be 0000; check the NIK on the ID card or family card."
            }
            Self::NikDistrictUnknown => {
                "The district in the NIK is not in the current region list. This is normal when a \
                 district was split or renumbered; make sure the NIK matches the ID card."
            }
            Self::BirthDateInvalid => {
                "The birth date is not recognised; choose a date in the calendar (format YYYY-MM-DD, \
                 year 1900 or later)."
            }
            Self::BirthDateFuture => "The birth date cannot be after today.",
            Self::BirthDateNotInNik => {
                "The birth date differs from the one inside the NIK; make it match the ID card or family card."
            }
            Self::SexNotInNik => {
                "The sex differs from the one recorded in the NIK (women's NIKs add 40 to the birth \
                 day); check the sex or the NIK."
            }
            Self::AgeOutsideRange => {
                "In the month cover starts the worker's age is outside 15–65 years; check the birth \
                 date. BPJS Ketenagakerjaan may refuse enrolment outside this age."
            }
            Self::PhoneInvalid => {
                "Invalid mobile number: enter an Indonesian mobile number starting with 08, 628 or \
                 +628, 10–13 digits in the 08 form (e.g. 0812 3456 7890)."
            }
            Self::IncomeBelowLowest => {
                "The income is below the lowest tier that can be declared; choose one of the income \
                 tiers in the list."
            }
            Self::IncomeNotTier => {
                "The income must be one of the tiers in the list, which rise in fixed steps from the \
                 lowest; choose from the list."
            }
            Self::IncomeTooHigh => "The income exceeds Rp100,000,000 a month; check the number of zeros.",
            Self::CoverageStartInvalid => {
                "The start month is not recognised; choose a month and year (format YYYY-MM)."
            }
            Self::CoverageStartTooEarly => {
                "The start month is too far back: arrears can be paid for at most 3 months before \
                 this month."
            }
            Self::CoverageStartTooLate => "The start month is too far ahead: at most 12 months after this month.",
            Self::PaidMonthsInvalid => "Premiums are paid for 1, 3, 6 or 12 months; choose one.",
            Self::MembershipNumberInvalid => {
                "The BPJS Ketenagakerjaan membership number (KPJ) must have 11 digits; leave it empty \
                 if there is none yet."
            }
            Self::ConsentRequired => "The worker must agree to the personal-data statement before being enrolled.",
            Self::VillageInvalid => "Choose a village from the list; its code looks like 32.16.01.2001.",
            Self::VillageUnknown => "No village in the Kemendagri region list has this code.",
            Self::VillageFixed => {
                "A worker's village cannot be changed. If they moved, deactivate with reason moved and enrol them in the new village."
            }
            Self::NikFixed => {
                "The NIK cannot be changed. If it was mistyped, deactivate this record as a duplicate and enrol again."
            }
            Self::NikChangedByExcel => {
                "Excel has turned the NIK into a rounded number (such as 3.21601E+15) and its digits are lost. \
                 Format the NIK column as Text (or start it with ') and type the NIK again from the ID card."
            }
            Self::ChoiceUnknown => {
                "Not recognised; use one of the template's choices (the name shown in the form, or its code)."
            }
            Self::DuplicateInFile => "Same NIK as an earlier row of this file; only the first row is used.",
            Self::AlreadyEnrolled => "This NIK is already enrolled in Pantau, with other data or in another village.",
            Self::VillageOutsideArea => "This village is outside the area imported into or outside your scope.",
        }
    }
}

impl From<NikError> for Problem {
    fn from(error: NikError) -> Self {
        match error {
            NikError::Length => Self::NikLength,
            NikError::NotDigits => Self::NikNotDigits,
            NikError::Region => Self::NikRegion,
            NikError::BirthDate => Self::NikBirthDate,
            NikError::Serial => Self::NikSerial,
        }
    }
}

impl From<IncomeError> for Problem {
    fn from(error: IncomeError) -> Self {
        match error {
            IncomeError::BelowLowest => Self::IncomeBelowLowest,
            IncomeError::NotATier => Self::IncomeNotTier,
        }
    }
}

/// One problem of one field, as the form shows it and the API returns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    /// The field at fault.
    pub field: Field,
    /// What is wrong, as a stable code.
    pub problem: Problem,
    /// Whether it blocks the enrolment (always the problem's own severity).
    pub severity: Severity,
    /// The Bahasa Indonesia sentence; never repeats the input.
    pub message: String,
}

impl FieldProblem {
    /// `problem` on `field`, with its severity and Bahasa Indonesia message.
    pub fn new(field: Field, problem: Problem) -> Self {
        Self {
            field,
            problem,
            severity: problem.severity(),
            message: problem.message_id().to_owned(),
        }
    }

    /// Whether this problem blocks the enrolment.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
