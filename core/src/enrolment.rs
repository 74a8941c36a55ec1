//! Categories an enrolment is recorded and broken down by.

crate::wire_enum! {
    /// Occupation segment of a vulnerable worker (DOMAIN.md list).
    #[derive(PartialOrd, Ord)]
    pub enum Segment: "segment" {
        /// Petani, buruh tani.
        Farmer = "farmer" { id: "Petani/buruh tani", en: "Farmers, farm labourers" },
        /// Nelayan.
        Fisher = "fisher" { id: "Nelayan", en: "Fishers" },
        /// Pedagang kaki lima / pedagang kecil.
        StreetVendor = "street_vendor" { id: "Pedagang kecil/kaki lima", en: "Street vendors" },
        /// Ojek.
        MotorcycleTaxi = "motorcycle_taxi" { id: "Ojek", en: "Motorcycle-taxi drivers" },
        /// Pemulung.
        Scavenger = "scavenger" { id: "Pemulung", en: "Scavengers" },
        /// Pekerja rumah tangga.
        HouseholdHelper = "household_helper" { id: "Pekerja rumah tangga", en: "Household helpers" },
        /// Guru ngaji.
        QuranTeacher = "quran_teacher" { id: "Guru ngaji", en: "Qur'an teachers" },
        /// Marbot masjid.
        MosqueCaretaker = "mosque_caretaker" { id: "Marbot masjid", en: "Mosque caretakers" },
        /// Ketua RT/RW.
        NeighbourhoodHead = "neighbourhood_head" { id: "Ketua RT/RW", en: "RT/RW heads" },
        /// Kader posyandu.
        HealthCadre = "health_cadre" { id: "Kader posyandu", en: "Posyandu cadres" },
        /// Linmas.
        Linmas = "linmas" { id: "Linmas", en: "Linmas guards" },
        /// Buruh harian lepas.
        DayLabourer = "day_labourer" { id: "Buruh harian lepas", en: "Day labourers" },
        /// Tukang pijat.
        Masseur = "masseur" { id: "Tukang pijat", en: "Masseurs" },
        /// Peternak.
        LivestockKeeper = "livestock_keeper" { id: "Peternak", en: "Livestock keepers" },
        /// Lainnya.
        Other = "other" { id: "Lainnya", en: "Other" },
    }
}

crate::wire_enum! {
    /// Who pays the premium.
    #[derive(PartialOrd, Ord)]
    pub enum FundingSource: "funding source" {
        /// Dana Desa through the village budget.
        DanaDesa = "dana_desa" { id: "Dana Desa", en: "Village Fund (Dana Desa)" },
        /// Other village budget (APBDes) income.
        OtherApbdes = "other_apbdes" { id: "APBDes lainnya", en: "Other village budget" },
        /// Regency or city budget.
        ApbdRegency = "apbd_regency" { id: "APBD kabupaten/kota", en: "Regency/city budget" },
        /// Province budget.
        ApbdProvince = "apbd_province" { id: "APBD provinsi", en: "Province budget" },
        /// A company's CSR programme.
        Csr = "csr" { id: "CSR perusahaan", en: "Company CSR" },
        /// BAZNAS / zakat.
        Baznas = "baznas" { id: "BAZNAS/zakat", en: "BAZNAS/zakat" },
        /// The worker pays.
        SelfPaid = "self_paid" { id: "Mandiri", en: "Self-paid" },
        /// An employer pays.
        Employer = "employer" { id: "Pemberi kerja", en: "Employer" },
    }
}
