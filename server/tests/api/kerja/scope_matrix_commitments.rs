//! The scope matrix of the endpoints aimed at a whole regency: regulations, budgets and
//! village boundaries, for every role on its own regency 32.16 and on regency 32.10 outside
//! it. Hand-written expectations like the main matrix in `scope_matrix`, whose runner this uses.

use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::{Method, StatusCode};
use pantau_core::account::Role;
use pantau_core::commitments::{check_regulation, Allocation, RegulationDraft};
use pantau_core::{FundingSource, RegionCode};
use pantau_server::store::{Actor, CommitmentStore, Store};
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::scope_matrix::{applied, run, Endpoint, Fixtures, Target};
use super::{Reply, Session, REGENCY_A, VILLAGE_A, VILLAGE_B};
use crate::boundaries::{collection, square_around};
use crate::helpers::TestApp;

use Endpoint::*;

/// Regency 32.10 (Majalengka), village B's, outside every 32.16 scope.
const REGENCY_B: &str = "32.10";

const ENDPOINTS: [Endpoint; 5] = [AddRegulation, DeleteRegulation, Budget, SetBudget, Boundaries];

const HEADINGS: [&str; 5] = ["regadd", "regdel", "budget", "setbud", "bounds"];

const TARGETS: [(Target, &str); 2] = [(Target::RegencyA, "regency 32.16"), (Target::RegencyB, "regency 32.10")];

/// `Y` allowed (2xx), `N` refused (403); the two letters are regency 32.16 (the scope of the
/// regency admin and the verifier, above the operator's and the officer's) and regency 32.10.
/// Regulations, budgets and boundaries are managed by the regency admin in their regency and
/// by the national admin anywhere; a budget is read by whoever sees the whole regency's workers.
#[rustfmt::skip]
const EXPECTED: [(Role, &str, [&str; 5]); 5] = [
    //                                                   regadd  regdel  budget  setbud  bounds
    (Role::VillageOperator, "operator 32.16.01.2001",    ["NN",  "NN",   "NN",   "NN",   "NN"]),
    (Role::DistrictOfficer, "district officer 32.16.01", ["NN",  "NN",   "NN",   "NN",   "NN"]),
    (Role::RegencyAdmin, "regency admin 32.16",          ["YN",  "YN",   "YN",   "YN",   "YN"]),
    (Role::BpjsVerifier, "BPJS verifier 32.16",          ["NN",  "NN",   "YN",   "NN",   "NN"]),
    (Role::NationalAdmin, "national admin ID",           ["YY",  "YY",   "YY",   "YY",   "YY"]),
];

/// The dana desa allocation stored for this year before the matrix runs, per regency, so an
/// allowed budget read can be checked for the right regency's figures.
fn seeded_allocation(regency: &str) -> u64 {
    if regency == REGENCY_A {
        7_000_000
    } else {
        9_000_000
    }
}

fn this_year() -> i32 {
    OffsetDateTime::now_utc().year()
}

fn seeder() -> Actor {
    Actor {
        id: 0,
        username: "seeder".into(),
    }
}

/// A number never used before in this test binary, to tell attempts apart.
fn serial() -> u32 {
    static N: AtomicU32 = AtomicU32::new(1);
    N.fetch_add(1, Ordering::Relaxed)
}

fn regulation(number: &str) -> Value {
    json!({
        "kind": "perbup",
        "number": number,
        "date": "2022-08-01",
        "title": "Alokasi iuran BPJS",
        "summary": "",
        "link": ""
    })
}

/// Runs a regency-wide `endpoint` against `target` as `session`: the answer, plus a note when
/// an allowed answer has the wrong content. Each change goes to a fresh record or year.
pub(super) async fn attempt(
    app: &TestApp,
    session: &Session,
    endpoint: Endpoint,
    target: Target,
) -> (Reply, Option<String>) {
    let (regency, village) = match target {
        Target::RegencyA => (REGENCY_A, VILLAGE_A),
        Target::RegencyB => (REGENCY_B, VILLAGE_B),
        other => panic!("{endpoint:?} is aimed at a regency, not {other:?}"),
    };
    let code = RegionCode::parse(regency).unwrap();
    let n = serial();
    match endpoint {
        AddRegulation => {
            let number = format!("{n} Tahun 2022");
            let path = format!("/api/v1/areas/{regency}/regulations");
            let reply = session.post(app, &path, &regulation(&number)).await;
            let note = if reply.status != StatusCode::CREATED {
                None
            } else if reply.json["area"] != regency || reply.json["number"] != number.as_str() {
                Some(format!("stored {} for {}", reply.json["number"], reply.json["area"]))
            } else {
                let id = reply.json["id"].as_i64().unwrap_or_default();
                let stored = app.store.regulation_area(id).await.unwrap();
                (stored.as_ref() != Some(&code)).then(|| format!("regulation {id} is stored for {stored:?}"))
            };
            (reply, note)
        }
        DeleteRegulation => {
            let draft: RegulationDraft = serde_json::from_value(regulation(&format!("{n} Tahun 2023"))).unwrap();
            let valid = check_regulation(&draft, OffsetDateTime::now_utc().date()).unwrap();
            let id = app.store.add_regulation(&code, &valid, &seeder()).await.unwrap().id;
            let reply = session.delete(app, &format!("/api/v1/regulations/{id}")).await;
            let kept = app.store.regulation_area(id).await.unwrap().is_some();
            let note =
                (reply.status == StatusCode::NO_CONTENT && kept).then(|| format!("regulation {id} is still there"));
            (reply, note)
        }
        Budget => {
            let year = this_year();
            let reply = session
                .get(app, &format!("/api/v1/areas/{regency}/budgets/{year}"))
                .await;
            let note = reply
                .status
                .is_success()
                .then(|| budget_problem(&reply.json, regency, year, seeded_allocation(regency)))
                .flatten();
            (reply, note)
        }
        SetBudget => {
            // A year nobody touched, so the allocation seen afterwards can only be this one.
            let year = 2040 + i32::try_from(n).unwrap();
            let allocated = 1_000 + u64::from(n);
            let body = json!({ "allocations": [{ "funding": "dana_desa", "allocated": allocated }] });
            let reply = session
                .put(app, &format!("/api/v1/areas/{regency}/budgets/{year}"), &body)
                .await;
            let note = reply
                .status
                .is_success()
                .then(|| budget_problem(&reply.json, regency, year, allocated))
                .flatten();
            (reply, note)
        }
        Boundaries => {
            // A square of its own per attempt; the import replaces the village's shipped shape.
            let label = [107.0 + f64::from(n) * 0.01, -6.1];
            let file = collection(&[square_around(village, label)]);
            let reply = session
                .raw(
                    app,
                    Method::PUT,
                    &format!("/api/v1/areas/{regency}/village-boundaries"),
                    Some("application/geo+json"),
                    file.into_bytes(),
                )
                .await;
            if !reply.status.is_success() {
                return (reply, None);
            }
            let district = RegionCode::parse(village).unwrap().parent().unwrap();
            let stored = app.store.village_boundaries(&district).await.unwrap();
            let moved = stored.iter().any(|b| {
                b.code.as_str() == village
                    && (b.label[0] - label[0]).abs() < 0.003
                    && (b.label[1] - label[1]).abs() < 0.003
            });
            let (reply, note) = applied(reply, "villages", json!(1));
            let note = note.or_else(|| (!moved).then(|| format!("{village} does not have the uploaded shape")));
            (reply, note)
        }
        other => panic!("{other:?} is not a regency-wide endpoint"),
    }
}

/// What is wrong with a budget answer, if anything: it must be `regency`'s for `year`, with
/// `dana_desa` allocated as expected.
fn budget_problem(budget: &Value, regency: &str, year: i32, dana_desa: u64) -> Option<String> {
    if budget["regency"] != regency || budget["year"] != year {
        return Some(format!(
            "budget of {} {} instead of {regency} {year}",
            budget["regency"], budget["year"]
        ));
    }
    let line = budget["lines"]
        .as_array()
        .and_then(|lines| lines.iter().find(|l| l["funding"] == "dana_desa"));
    match line {
        Some(line) if line["allocated"] == dana_desa => None,
        Some(line) => Some(format!(
            "dana_desa allocated {} instead of {dana_desa}",
            line["allocated"]
        )),
        None => Some("no dana_desa line".to_owned()),
    }
}

#[tokio::test]
async fn every_role_against_every_regency_wide_endpoint_in_and_out_of_scope() {
    let app = TestApp::fresh().await;
    for regency in [REGENCY_A, REGENCY_B] {
        let allocation = Allocation {
            funding: FundingSource::DanaDesa,
            allocated: seeded_allocation(regency),
        };
        app.store
            .set_budget(
                &RegionCode::parse(regency).unwrap(),
                this_year(),
                &[allocation],
                &seeder(),
            )
            .await
            .unwrap();
    }
    run(&app, &Fixtures::default(), &ENDPOINTS, &HEADINGS, &TARGETS, &EXPECTED).await;
}
