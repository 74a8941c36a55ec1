//! Categories an enrolment is recorded and broken down by.

use serde::{Deserialize, Serialize};

/// Occupation segment of a vulnerable worker (DOMAIN.md list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// Petani, buruh tani.
    Farmer,
    /// Nelayan.
    Fisher,
    /// Pedagang kaki lima / pedagang kecil.
    StreetVendor,
    /// Ojek.
    MotorcycleTaxi,
    /// Pemulung.
    Scavenger,
    /// Pekerja rumah tangga.
    HouseholdHelper,
    /// Guru ngaji.
    QuranTeacher,
    /// Marbot masjid.
    MosqueCaretaker,
    /// Ketua RT/RW.
    NeighbourhoodHead,
    /// Kader posyandu.
    HealthCadre,
    /// Linmas.
    Linmas,
    /// Buruh harian lepas.
    DayLabourer,
    /// Tukang pijat.
    Masseur,
    /// Peternak.
    LivestockKeeper,
    /// Lainnya.
    Other,
}

impl Segment {
    /// Every segment, in display order.
    pub const ALL: [Segment; 15] = [
        Segment::Farmer,
        Segment::Fisher,
        Segment::StreetVendor,
        Segment::MotorcycleTaxi,
        Segment::Scavenger,
        Segment::HouseholdHelper,
        Segment::QuranTeacher,
        Segment::MosqueCaretaker,
        Segment::NeighbourhoodHead,
        Segment::HealthCadre,
        Segment::Linmas,
        Segment::DayLabourer,
        Segment::Masseur,
        Segment::LivestockKeeper,
        Segment::Other,
    ];
}

/// Who pays the premium.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    /// Dana Desa through the village budget.
    DanaDesa,
    /// Other village budget (APBDes) income.
    OtherApbdes,
    /// Regency or city budget.
    ApbdRegency,
    /// Province budget.
    ApbdProvince,
    /// A company's CSR programme.
    Csr,
    /// BAZNAS / zakat.
    Baznas,
    /// The worker pays.
    SelfPaid,
    /// An employer pays.
    Employer,
}

impl FundingSource {
    /// The JSON name (`dana_desa`, …), as breakdown rows carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            FundingSource::DanaDesa => "dana_desa",
            FundingSource::OtherApbdes => "other_apbdes",
            FundingSource::ApbdRegency => "apbd_regency",
            FundingSource::ApbdProvince => "apbd_province",
            FundingSource::Csr => "csr",
            FundingSource::Baznas => "baznas",
            FundingSource::SelfPaid => "self_paid",
            FundingSource::Employer => "employer",
        }
    }

    /// Every source, in display order.
    pub const ALL: [FundingSource; 8] = [
        FundingSource::DanaDesa,
        FundingSource::OtherApbdes,
        FundingSource::ApbdRegency,
        FundingSource::ApbdProvince,
        FundingSource::Csr,
        FundingSource::Baznas,
        FundingSource::SelfPaid,
        FundingSource::Employer,
    ];
}
