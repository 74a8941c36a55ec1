//! The deterministic demonstration data set seeded by `cargo xtask serve`: tens of thousands
//! of fictional enrolments in four regencies, labelled "data demo" in the API and the UI.
//!
//! Every NIK is valid in form and consistent with the worker's district, birth date and sex,
//! but people, names and numbers are invented.

use std::collections::HashSet;

use pantau_core::intake::{self, EnrolmentDraft};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::Status;
use pantau_core::{FundingSource, Month, Nik, Program, RegionCode, Segment, Sex};
use time::{Date, Duration, Month as CalendarMonth, OffsetDateTime, PrimitiveDateTime};

use crate::store::sync::WIB;
use crate::store::{Actor, NewAccount, NewEnrolment, Particulars, PastWorker, PastWrite, RegionList, Store};
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

/// Every full name the demo gives a worker (for checks that none leaks anywhere).
pub fn worker_names() -> Vec<String> {
    MALE_NAMES
        .iter()
        .chain(&FEMALE_NAMES)
        .flat_map(|first| FAMILY_NAMES.iter().map(move |family| format!("{first} {family}")))
        .collect()
}

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
            // The demo operator's village gets its history instead (`village_history`); its
            // draws still happen, so every other village stays as it was.
            let keep = village.code.as_str() != DEMO_VILLAGE;
            for _ in 0..workers {
                if let Some(e) = worker(&mut rng, &mut niks, regency, &village.code, &district, now, movement) {
                    if keep {
                        out.push(e);
                    }
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

/// The demo operator's own village: Sagara Makmur (Tarumajaya, Kabupaten Bekasi). The bulk
/// data leaves it empty; [`village_history`] gives it two weeks of work.
pub const DEMO_VILLAGE: &str = "32.16.01.2001";

/// Records the demo operator entered on each of the last 14 days, oldest first (25 in all;
/// none on two days, as in a real fortnight).
const ENTERED_PER_DAY: [u32; 14] = [2, 1, 3, 2, 0, 1, 2, 3, 2, 1, 0, 2, 3, 3];
/// Entries of the last days still wait for the verifier.
const WAITING_DAYS: i64 = 3;
/// Which entries (oldest first) lapse within the month, and which one was rejected.
const LAPSING: [usize; 4] = [1, 4, 9, 12];
const REJECTED: usize = 6;
const REJECT_REASON: &str = "Nama tidak sama dengan KTP; mohon periksa ejaan lalu kirim ulang.";
const HAMLETS: [&str; 5] = [
    "Kp. Sagara",
    "Kp. Pondok Ungu",
    "Kp. Babakan",
    "Kp. Cabang Tiga",
    "Kp. Kebon Kelapa",
];

/// Two weeks of work in [`DEMO_VILLAGE`] up to `now`, as its operator entered it through the
/// workspace (office hours, WIB) and the verifier decided it a day or two later: most
/// verified, the last days' entries waiting, one rejected with a reason, a few lapsing within
/// the month. The same `now` and `seed` always give the same records. Birth days are the 29th
/// or 30th, which the bulk data never uses, so the NIKs cannot meet it.
pub fn village_history(now: OffsetDateTime, seed: u64, operator: &Actor, verifier: &Actor) -> Vec<PastWorker> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x5a9a_4a1a);
    let now = now.to_offset(WIB).replace_nanosecond(0).unwrap_or(now);
    let today = now.date();
    let office_opens = |day: Date| PrimitiveDateTime::new(day, time::macros::time!(08:00)).assume_offset(WIB);
    let mut niks = HashSet::new();
    let mut out = Vec::new();
    for (slot, &count) in ENTERED_PER_DAY.iter().enumerate() {
        let back = i64::try_from(ENTERED_PER_DAY.len() - 1 - slot).unwrap_or(0);
        let day = today - Duration::days(back);
        // Entry times in the day's office hours, never after `now`.
        let mut times: Vec<OffsetDateTime> = (0..count)
            .map(|_| office_opens(day) + Duration::minutes(rng.i64(0..480)))
            .collect();
        times.sort();
        for (k, at) in times.iter_mut().rev().enumerate() {
            let latest = now - Duration::minutes(7 * (i64::try_from(k).unwrap_or(0) + 1));
            *at = (*at).min(latest);
        }
        times.sort();
        for entered_at in times {
            let index = out.len();
            if let Some(worker) = past_worker(&mut rng, &mut niks, index, entered_at, back, now, operator, verifier) {
                out.push(worker);
            }
        }
    }
    out
}

/// The `index`-th record of [`village_history`], entered at `entered_at`, `back` days ago.
#[allow(clippy::too_many_arguments)]
fn past_worker(
    rng: &mut fastrand::Rng,
    niks: &mut HashSet<String>,
    index: usize,
    entered_at: OffsetDateTime,
    back: i64,
    now: OffsetDateTime,
    operator: &Actor,
    verifier: &Actor,
) -> Option<PastWorker> {
    let regency = &REGENCIES[0];
    let sex = if rng.u32(0..100) < 55 { Sex::Male } else { Sex::Female };
    let month = rng.choice([1u8, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])?;
    let day = rng.u8(29..=30);
    let birth_date =
        Date::from_calendar_date(now.year() - rng.i32(19..=58), CalendarMonth::try_from(month).ok()?, day).ok()?;
    let encoded_day = day + if sex == Sex::Female { 40 } else { 0 };
    let nik = loop {
        let raw = format!(
            "321601{encoded_day:02}{month:02}{:02}{:04}",
            birth_date.year().rem_euclid(100),
            rng.u16(1..=9999)
        );
        if niks.insert(raw.clone()) {
            break raw;
        }
    };
    let first = if sex == Sex::Male {
        rng.choice(MALE_NAMES)?
    } else {
        rng.choice(FEMALE_NAMES)?
    };
    let segment = match pick(rng, regency.segments) {
        Segment::Other => Segment::Farmer,
        segment => segment,
    };
    let funding = pick(
        rng,
        &[
            (FundingSource::ApbdRegency, 70),
            (FundingSource::DanaDesa, 20),
            (FundingSource::SelfPaid, 10),
        ],
    );
    let lapsing = LAPSING.contains(&index);
    let draft = EnrolmentDraft {
        nik,
        full_name: format!("{first} {}", rng.choice(FAMILY_NAMES)?),
        birth_date: birth_date.to_string(),
        sex: Some(sex),
        phone: if rng.u32(0..100) < 80 {
            format!(
                "08{}{:08}",
                rng.choice([12u8, 13, 21, 57, 77, 81, 95])?,
                rng.u32(0..100_000_000)
            )
        } else {
            String::new()
        },
        address: format!(
            "{} RT {:02} RW {:02}",
            rng.choice(HAMLETS)?,
            rng.u8(1..=9),
            rng.u8(1..=5)
        ),
        segment: Some(segment),
        occupation_other: String::new(),
        village: DEMO_VILLAGE.to_owned(),
        program: Some(pick(rng, &[(Program::JkkJkm, 85), (Program::JkkJkmJht, 15)])),
        income: Some(1_000_000),
        funding: Some(funding),
        sponsor: String::new(),
        coverage_start: Month::of(entered_at.date()).to_string(),
        paid_months: Some(if lapsing { 1 } else { *rng.choice(&[6u16, 12, 12])? }),
        membership_number: String::new(),
        consent: true,
    };
    let valid = intake::validate(&draft, entered_at.date(), &PremiumRules::default(), &|_| true).ok()?;
    let decided_at = entered_at.date() + Duration::days(rng.i64(1..=2));
    let decided_at = PrimitiveDateTime::new(decided_at, time::macros::time!(09:00)).assume_offset(WIB)
        + Duration::minutes(rng.i64(0..360));
    let decided = (back >= WAITING_DAYS && decided_at < now).then(|| PastWrite {
        actor: verifier.clone(),
        at: decided_at,
    });
    let status = match &decided {
        None => Status::Submitted,
        Some(_) if index == REJECTED => Status::Rejected,
        Some(_) => Status::Verified,
    };
    let mut enrolment = NewEnrolment::from_valid(valid, status);
    if status == Status::Verified {
        enrolment.particulars.membership_number = Some(format!("{:011}", 24_010_000_000 + rng.u64(0..9_999_999)));
    }
    if lapsing {
        // Paid through this month: cover ends within the month unless renewed.
        enrolment.paid_through = Month::of(now.date()).max(enrolment.start);
    }
    Some(PastWorker {
        enrolment,
        entered: PastWrite {
            actor: operator.clone(),
            at: entered_at,
        },
        decided,
        reject_reason: (status == Status::Rejected).then(|| REJECT_REASON.to_owned()),
    })
}

/// Seeds [`village_history`] up to `now` under the demo operator and verifier accounts.
pub async fn seed_village_history(store: &dyn Store, now: OffsetDateTime, seed: u64) -> anyhow::Result<usize> {
    let actor = |account: Option<crate::store::AccountRecord>| {
        account
            .map(|a| Actor {
                id: a.id,
                username: a.username,
            })
            .ok_or_else(|| anyhow::anyhow!("demo account missing"))
    };
    let operator = actor(store.account_by_login(DEMO_ACCOUNTS[0].0).await?)?;
    let verifier = actor(store.account_by_login(DEMO_ACCOUNTS[3].0).await?)?;
    let workers = village_history(now, seed, &operator, &verifier);
    for worker in &workers {
        store.import_past_worker(worker).await?;
    }
    Ok(workers.len())
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

/// A CSV (`;`, the import template's columns) of `rows` fictional workers for import tests
/// and the benchmark, every row valid in `start` (`YYYY-MM`). Their NIKs are registered in
/// Tebet, Jakarta Selatan (31.74.01), which the demo never uses, so they never meet
/// a demo worker; the rows go round `villages`.
pub fn import_file(rows: usize, villages: &[RegionCode], start: &str) -> String {
    use std::fmt::Write as _;
    const DATES: usize = 28 * 12 * 30;
    let headers: Vec<&str> = pantau_core::import::COLUMNS.iter().map(|(_, h)| *h).collect();
    let mut out = headers.join(";");
    out.push('\n');
    for i in 0..rows {
        let date = i % DATES;
        let (day, month, year) = (date % 28 + 1, (date / 28) % 12 + 1, 1970 + date / (28 * 12));
        let serial = i / DATES + 1;
        let female = i % 2 == 1;
        let (first, sex) = if female {
            (FEMALE_NAMES[i % FEMALE_NAMES.len()], "P")
        } else {
            (MALE_NAMES[i % MALE_NAMES.len()], "L")
        };
        let family = FAMILY_NAMES[(i / 7) % FAMILY_NAMES.len()];
        let encoded_day = day + if female { 40 } else { 0 };
        let village = &villages[i % villages.len()];
        let _ = writeln!(
            out,
            "317401{encoded_day:02}{month:02}{:02}{serial:04};{first} {family};{day:02}/{month:02}/{year};{sex};;\
             RT 0{}/RW 0{} Dusun Sukamaju;Petani/buruh tani;;{};JKK + JKM;1000000;Dana Desa;;{start};12;;Ya",
            year % 100,
            i % 9 + 1,
            i % 5 + 1,
            village.as_str(),
        );
    }
    out
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
        assert!(
            !a.iter().any(|e| e.village.as_str() == DEMO_VILLAGE),
            "the bulk leaves the operator's village to its history"
        );
    }

    #[test]
    fn the_operators_village_gets_a_fortnight_of_real_looking_work() {
        let operator = Actor {
            id: 1,
            username: "operator.sagaramakmur".into(),
        };
        let verifier = Actor {
            id: 4,
            username: "verifikator.bekasi".into(),
        };
        let now = time::macros::datetime!(2026-12-02 07:30 UTC);
        let history = village_history(now, 7, &operator, &verifier);
        let again = village_history(now, 7, &operator, &verifier);
        assert_eq!(history.len(), 25);
        assert!(history
            .iter()
            .zip(&again)
            .all(|(x, y)| x.enrolment.nik == y.enrolment.nik && x.entered == y.entered && x.decided == y.decided));
        let status = |s: Status| history.iter().filter(|w| w.enrolment.status == s).count();
        assert!(status(Status::Verified) >= 14, "most verified");
        assert!(status(Status::Submitted) >= 5, "some waiting");
        assert_eq!(status(Status::Rejected), 1);
        let month = Month::of(now.date());
        assert!(
            history.iter().filter(|w| w.enrolment.paid_through == month).count() >= 3,
            "some lapsing"
        );
        let bulk: HashSet<String> = enrolments(&reference::shipped().unwrap(), month, crate::DEMO_SEED)
            .iter()
            .map(|e| e.nik.expose_digits().to_owned())
            .collect();
        let today = now.date();
        let first_day = today - Duration::days(13);
        for worker in &history {
            let e = &worker.enrolment;
            assert!(!bulk.contains(e.nik.expose_digits()), "a NIK the bulk data has");
            assert_eq!(e.nik.sex(), e.sex);
            assert_eq!(e.nik.birth_date(today), Some(e.birth_date));
            assert_eq!(e.village.as_str(), DEMO_VILLAGE);
            assert_eq!(worker.entered.actor, operator);
            assert!(worker.entered.at <= now && worker.entered.at.date() >= first_day);
            match &worker.decided {
                Some(decided) => {
                    assert_eq!(decided.actor, verifier);
                    assert!(worker.entered.at < decided.at && decided.at <= now);
                    assert_eq!(e.particulars.membership_number.is_some(), e.status == Status::Verified);
                }
                None => assert_eq!(e.status, Status::Submitted),
            }
            assert_eq!(worker.reject_reason.is_some(), e.status == Status::Rejected);
        }
    }
}
