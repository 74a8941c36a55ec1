//! The deterministic demonstration data set seeded by `cargo xtask serve`: tens of thousands
//! of fictional enrolments in four regencies, labelled "data demo" in the API and the UI.
//!
//! Every NIK is valid in form and consistent with the worker's district, birth date and sex,
//! but people, names and numbers are invented.

use std::collections::HashSet;

use pantau_core::workers::Status;
use pantau_core::{FundingSource, Month, Nik, Program, RegionCode, Segment, Sex};
use time::{Date, Month as CalendarMonth};

use crate::store::{NewAccount, NewEnrolment, Particulars, RegionList, Store};
use pantau_core::account::{Grant, Role};
use pantau_core::AreaCode;

/// The regencies the demo covers, with the funding mix and coverage level each is known for
/// (DOMAIN.md: Bekasi pays from APBD; Kayong Utara's Perbup 74/2022 obliges village budgets).
struct DemoRegency {
    code: &'static str,
    /// Share of villages (percent) that are over target.
    over_target_pct: u32,
    funding: &'static [(FundingSource, u32)],
    segments: &'static [(Segment, u32)],
}

const REGENCIES: [DemoRegency; 4] = [
    DemoRegency {
        code: "32.16", // Kabupaten Bekasi
        over_target_pct: 20,
        funding: &[
            (FundingSource::ApbdRegency, 70),
            (FundingSource::DanaDesa, 12),
            (FundingSource::Csr, 6),
            (FundingSource::Baznas, 3),
            (FundingSource::SelfPaid, 7),
            (FundingSource::Employer, 2),
        ],
        segments: &[
            (Segment::Farmer, 40),
            (Segment::StreetVendor, 14),
            (Segment::DayLabourer, 12),
            (Segment::MotorcycleTaxi, 8),
            (Segment::QuranTeacher, 5),
            (Segment::MosqueCaretaker, 4),
            (Segment::NeighbourhoodHead, 5),
            (Segment::HealthCadre, 4),
            (Segment::Scavenger, 3),
            (Segment::Other, 5),
        ],
    },
    DemoRegency {
        code: "61.11", // Kabupaten Kayong Utara
        over_target_pct: 35,
        funding: &[
            (FundingSource::DanaDesa, 78),
            (FundingSource::OtherApbdes, 10),
            (FundingSource::ApbdRegency, 5),
            (FundingSource::ApbdProvince, 2),
            (FundingSource::SelfPaid, 5),
        ],
        segments: &[
            (Segment::Fisher, 30),
            (Segment::Farmer, 30),
            (Segment::LivestockKeeper, 6),
            (Segment::DayLabourer, 10),
            (Segment::QuranTeacher, 6),
            (Segment::MosqueCaretaker, 5),
            (Segment::HealthCadre, 5),
            (Segment::Linmas, 4),
            (Segment::Other, 4),
        ],
    },
    DemoRegency {
        code: "36.04", // Kabupaten Serang
        over_target_pct: 15,
        funding: &[
            (FundingSource::ApbdRegency, 40),
            (FundingSource::DanaDesa, 32),
            (FundingSource::Csr, 10),
            (FundingSource::Baznas, 5),
            (FundingSource::SelfPaid, 10),
            (FundingSource::Employer, 3),
        ],
        segments: &[
            (Segment::Farmer, 35),
            (Segment::Fisher, 10),
            (Segment::StreetVendor, 12),
            (Segment::DayLabourer, 15),
            (Segment::MotorcycleTaxi, 6),
            (Segment::HouseholdHelper, 5),
            (Segment::QuranTeacher, 5),
            (Segment::Linmas, 4),
            (Segment::Masseur, 2),
            (Segment::Other, 6),
        ],
    },
    DemoRegency {
        code: "32.10", // Kabupaten Majalengka
        over_target_pct: 12,
        funding: &[
            (FundingSource::DanaDesa, 60),
            (FundingSource::ApbdRegency, 18),
            (FundingSource::Baznas, 6),
            (FundingSource::Csr, 4),
            (FundingSource::SelfPaid, 12),
        ],
        segments: &[
            (Segment::Farmer, 50),
            (Segment::LivestockKeeper, 8),
            (Segment::StreetVendor, 10),
            (Segment::DayLabourer, 12),
            (Segment::QuranTeacher, 6),
            (Segment::MosqueCaretaker, 4),
            (Segment::HealthCadre, 5),
            (Segment::Other, 5),
        ],
    },
];

const MALE_NAMES: [&str; 24] = [
    "Ahmad", "Budi", "Cecep", "Dedi", "Eko", "Fajar", "Gilang", "Hendra", "Iwan", "Joko", "Kurnia", "Lukman", "Maman",
    "Nandang", "Oman", "Purnomo", "Rahmat", "Slamet", "Taufik", "Ujang", "Wahyu", "Yayat", "Zainal", "Asep",
];
const FEMALE_NAMES: [&str; 24] = [
    "Aisyah", "Bunga", "Cucu", "Dewi", "Euis", "Fitri", "Ginanjar", "Hesti", "Iis", "Juju", "Kartini", "Lilis",
    "Mimin", "Nining", "Oom", "Popon", "Rina", "Siti", "Tuti", "Umi", "Wati", "Yuyun", "Zahra", "Ani",
];
const FAMILY_NAMES: [&str; 16] = [
    "Saputra",
    "Hidayat",
    "Permana",
    "Suryana",
    "Wijaya",
    "Kusuma",
    "Rahayu",
    "Lestari",
    "Nurhayati",
    "Setiawan",
    "Firmansyah",
    "Gunawan",
    "Maulana",
    "Pratama",
    "Hermawan",
    "Sulastri",
];

/// First month of the national movement (September 2022): the demo's earliest start.
const MOVEMENT_START: (i32, CalendarMonth) = (2022, CalendarMonth::September);

fn pick<T: Copy>(rng: &mut fastrand::Rng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut roll = rng.u32(0..total.max(1));
    for &(value, weight) in weighted {
        if roll < weight {
            return value;
        }
        roll -= weight;
    }
    weighted[0].0
}

/// Generates the demo enrolments for the villages of `regions`, as of month `now`. The same
/// `seed`, list and month always give the same data.
pub fn enrolments(regions: &RegionList, now: Month, seed: u64) -> Vec<NewEnrolment> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut niks = HashSet::new();
    let mut out = Vec::new();
    let movement = Month::of(Date::from_calendar_date(MOVEMENT_START.0, MOVEMENT_START.1, 1).unwrap_or(Date::MIN));
    for regency in &REGENCIES {
        let Ok(regency_code) = RegionCode::parse(regency.code) else {
            continue;
        };
        let villages = regions
            .regions
            .iter()
            .filter(|r| r.code.level() == pantau_core::Level::Village && regency_code.contains(&r.code));
        for village in villages {
            let roll = rng.u32(0..100);
            let workers = if roll < 12 {
                0
            } else if roll < 12 + regency.over_target_pct {
                rng.u32(100..=170)
            } else {
                // Most villages are part-way, with a long tail of small counts.
                let base = rng.u32(3..=99);
                base.min(rng.u32(3..=99)).max(rng.u32(1..=60))
            };
            let district = village.code.district_digits().unwrap_or_default();
            for _ in 0..workers {
                if let Some(e) = worker(&mut rng, &mut niks, regency, &village.code, &district, now, movement) {
                    out.push(e);
                }
            }
        }
    }
    out
}

fn worker(
    rng: &mut fastrand::Rng,
    niks: &mut HashSet<String>,
    regency: &DemoRegency,
    village: &RegionCode,
    district: &str,
    now: Month,
    movement: Month,
) -> Option<NewEnrolment> {
    let sex = if rng.u32(0..100) < 58 { Sex::Male } else { Sex::Female };
    let age = rng.i32(18..=64);
    let birth_date = Date::from_calendar_date(
        now.year() - age,
        CalendarMonth::try_from(rng.u8(1..=12)).ok()?,
        rng.u8(1..=28),
    )
    .ok()?;
    let encoded_day = birth_date.day() + if sex == Sex::Female { 40 } else { 0 };
    let nik = loop {
        let raw = format!(
            "{district}{encoded_day:02}{:02}{:02}{:04}",
            u8::from(birth_date.month()),
            birth_date.year().rem_euclid(100),
            rng.u16(1..=9999)
        );
        if niks.insert(raw.clone()) {
            break Nik::parse(&raw).ok()?;
        }
    };
    let first = if sex == Sex::Male {
        rng.choice(MALE_NAMES)?
    } else {
        rng.choice(FEMALE_NAMES)?
    };
    let full_name = if rng.bool() {
        format!("{first} {}", rng.choice(FAMILY_NAMES)?)
    } else {
        first.to_owned()
    };
    let start = movement.plus(rng.i32(0..=(now.index() - movement.index())));
    let paid_through = match rng.u32(0..100) {
        // Paid up, some months ahead.
        0..=77 => now.plus(rng.i32(0..=11)),
        // In arrears by one to three months.
        78..=86 => now.plus(-rng.i32(1..=3)),
        // Lapsed: stopped paying more than three months ago.
        _ => now.plus(-rng.i32(4..=30)),
    }
    .max(start);
    let income = pick(rng, &[(1_000_000, 85), (1_500_000, 10), (2_000_000, 5)]);
    let status = if start >= now.plus(-1) && rng.u32(0..100) < 60 {
        Status::Submitted
    } else {
        Status::Verified
    };
    Some(NewEnrolment {
        nik,
        village: village.clone(),
        full_name,
        birth_date,
        sex,
        segment: pick(rng, regency.segments),
        program: pick(rng, &[(Program::JkkJkm, 85), (Program::JkkJkmJht, 15)]),
        income,
        funding: pick(rng, regency.funding),
        start,
        paid_through,
        // Most were checked by BPJS long ago; entries of the last two months are still
        // waiting for the verifier more often than not.
        status,
        particulars: Particulars::default(),
    })
}

/// Password of every demonstration account. Public on purpose (README): these accounts exist
/// only in a database seeded with the demo data set.
pub const DEMO_PASSWORD: &str = "coba pantau desa";

/// Accounts to try the workspace with, one per role, in Kabupaten Bekasi.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 5] = [
    (
        "operator.sagaramakmur",
        "Operator Desa Sagara Makmur",
        Role::VillageOperator,
        "32.16.01.2001",
    ),
    (
        "camat.tarumajaya",
        "Petugas Kecamatan Tarumajaya",
        Role::DistrictOfficer,
        "32.16.01",
    ),
    ("admin.bekasi", "Admin Kabupaten Bekasi", Role::RegencyAdmin, "32.16"),
    (
        "verifikator.bekasi",
        "Verifikator BPJS Bekasi",
        Role::BpjsVerifier,
        "32.16",
    ),
    ("admin.nasional", "Admin Nasional", Role::NationalAdmin, "ID"),
];

/// Creates [`DEMO_ACCOUNTS`] with [`DEMO_PASSWORD`].
pub async fn create_accounts(store: &dyn Store) -> anyhow::Result<()> {
    let hash = tokio::task::spawn_blocking(|| crate::auth::hash_password(DEMO_PASSWORD)).await??;
    for (username, display_name, role, scope) in DEMO_ACCOUNTS {
        let account = NewAccount {
            username: username.to_owned(),
            email: None,
            display_name: display_name.to_owned(),
            grant: Grant {
                role,
                scope: AreaCode::parse(scope)?,
            },
            password_hash: hash.clone(),
        };
        store.create_account(&account, None).await?;
    }
    tracing::info!(accounts = DEMO_ACCOUNTS.len(), "demo accounts created");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;
    use time::macros::date;

    #[test]
    fn demo_is_deterministic_valid_and_spread() {
        let regions = reference::shipped().unwrap();
        let now = Month::of(date!(2026 - 11 - 23));
        let a = enrolments(&regions, now, 7);
        let b = enrolments(&regions, now, 7);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.nik == y.nik && x.village == y.village));
        assert!(
            (20_000..100_000).contains(&a.len()),
            "tens of thousands, got {}",
            a.len()
        );
        let today = date!(2026 - 11 - 23);
        for e in &a {
            assert_eq!(e.nik.sex(), e.sex);
            assert_eq!(e.nik.birth_date(today), Some(e.birth_date));
            assert_eq!(
                Some(e.nik.district_code().replace('.', "")),
                e.village.district_digits()
            );
            assert!(e.paid_through >= e.start);
        }
        let unique: HashSet<_> = a.iter().map(|e| e.nik.expose_digits()).collect();
        assert_eq!(unique.len(), a.len());
    }
}
