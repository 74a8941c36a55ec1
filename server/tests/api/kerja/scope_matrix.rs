//! Who may do what where: every role against every workspace endpoint, on a record or area
//! inside its scope and on one outside. The expectations are written out below by hand, not
//! derived from `Role::may`, so a wrong permission rule in core fails here. The endpoints
//! aimed at a whole regency (regulations, budgets, village boundaries) have their own matrix
//! in `scope_matrix_commitments`, run by the same [`run`].

use std::fmt::Write as _;

use axum::http::StatusCode;
use pantau_core::account::Role;
use pantau_core::{AreaCode, RegionCode};
use pantau_server::store::{Actor, ConflictStore};
use serde_json::{json, Value};

use super::*;
use crate::helpers::{now, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Endpoint {
    Enrol,
    View,
    FullNik,
    List,
    Workload,
    Edit,
    Deactivate,
    Renew,
    Verify,
    Reject,
    SetTarget,
    Audit,
    CreateUser,
    ResetLink,
    /// `GET /users`: has no target, it lists the caller's own scope; asked once per role.
    Users,
    /// `POST /conflicts`: the target village claims a worker enrolled elsewhere.
    Report,
    /// `GET /areas/{code}/conflicts`.
    Conflicts,
    /// `POST /conflicts/{id}/resolve` of a conflict about a worker of the target village.
    Resolve,
    // Regency-wide endpoints, in `scope_matrix_commitments`.
    AddRegulation,
    DeleteRegulation,
    Budget,
    SetBudget,
    Boundaries,
}

use Endpoint::*;

const ENDPOINTS: [Endpoint; 18] = [
    Enrol, View, FullNik, List, Workload, Edit, Deactivate, Renew, Verify, Reject, SetTarget, Audit, CreateUser,
    ResetLink, Users, Report, Conflicts, Resolve,
];

const HEADINGS: [&str; 18] = [
    "enrol", "view", "nik", "list", "load", "edit", "deact", "renew", "verify", "reject", "target", "audit", "user",
    "reset", "users", "report", "confl", "resolv",
];

/// Where an action is aimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// Village A (32.16.01.2001): a record there, the village itself, or an account bound to it.
    VillageA,
    /// Village A2 (32.16.01.2002), A's neighbour in the same district.
    Neighbour,
    /// Regency 32.16 as a whole (area endpoints only).
    RegencyA,
    /// Village B (32.10.01.2001), in another regency.
    Outside,
    /// Regency 32.10, village B's, as a whole (regency-wide endpoints only).
    RegencyB,
}

const TARGETS: [(Target, &str); 4] = [
    (Target::VillageA, "village A 32.16.01.2001"),
    (Target::Neighbour, "village A2 32.16.01.2002"),
    (Target::RegencyA, "regency 32.16"),
    (Target::Outside, "village B 32.10.01.2001"),
];

/// The rules, one cell per endpoint: `Y` allowed (2xx), `N` refused (403), `-` not asked.
/// The four letters are village A, its neighbour A2 in the same district, regency 32.16, and
/// village B in another regency. `users` has no target: it is asked once, in the first row,
/// and answers with the accounts of the caller's own scope.
#[rustfmt::skip]
const EXPECTED: [(Role, &str, [&str; 18]); 5] = [
    //                                                   enrol   view    nik     list    load    edit    deact   renew   verify  reject  target  audit   user    reset   users   report  confl   resolv
    (Role::VillageOperator, "operator 32.16.01.2001",    ["YN-N", "YN-N", "YN-N", "YNNN", "YNNN", "YN-N", "YN-N", "YN-N", "NN-N", "NN-N", "NN-N", "NNNN", "NN-N", "NN-N", "N---", "YN-N", "YNNN", "YN-N"]),
    (Role::DistrictOfficer, "district officer 32.16.01", ["YY-N", "YY-N", "NN-N", "YYNN", "YYNN", "YY-N", "YY-N", "YY-N", "NN-N", "NN-N", "NN-N", "NNNN", "NN-N", "NN-N", "N---", "YY-N", "YYNN", "YY-N"]),
    (Role::RegencyAdmin, "regency admin 32.16",          ["YY-N", "YY-N", "NN-N", "YYYN", "YYYN", "YY-N", "YY-N", "YY-N", "NN-N", "NN-N", "YY-N", "YYYN", "YY-N", "YY-N", "Y---", "YY-N", "YYYN", "YY-N"]),
    (Role::BpjsVerifier, "BPJS verifier 32.16",          ["NN-N", "YY-N", "YY-N", "YYYN", "YYYN", "NN-N", "NN-N", "NN-N", "YY-N", "YY-N", "NN-N", "NNNN", "NN-N", "NN-N", "N---", "NN-N", "YYYN", "NN-N"]),
    (Role::NationalAdmin, "national admin ID",           ["NN-N", "YY-Y", "NN-N", "YYYY", "YYYY", "NN-N", "NN-N", "NN-N", "NN-N", "NN-N", "YY-Y", "YYYY", "YY-Y", "YY-Y", "Y---", "NN-N", "YYYY", "NN-N"]),
];

fn scope_of(role: Role) -> &'static str {
    match role {
        Role::VillageOperator => VILLAGE_A,
        Role::DistrictOfficer => DISTRICT_A,
        Role::RegencyAdmin | Role::BpjsVerifier => REGENCY_A,
        Role::NationalAdmin => "ID",
    }
}

/// Accounts the reset-link checks aim at, one per village (none in the regency-wide matrix).
#[derive(Default)]
pub(super) struct Fixtures {
    account_in_a: i64,
    account_in_a2: i64,
    account_in_b: i64,
}

/// Runs `endpoint` against `target` as `session`: the answer, plus a note when an allowed
/// answer has the wrong content.
async fn attempt(
    app: &TestApp,
    session: &Session,
    fx: &Fixtures,
    endpoint: Endpoint,
    target: Target,
) -> (Reply, Option<String>) {
    let village = match target {
        Target::Outside | Target::RegencyB => VILLAGE_B,
        Target::Neighbour => VILLAGE_A2,
        Target::VillageA | Target::RegencyA => VILLAGE_A,
    };
    let area = match target {
        Target::VillageA => VILLAGE_A,
        Target::Neighbour => VILLAGE_A2,
        Target::RegencyA => REGENCY_A,
        Target::Outside => VILLAGE_B,
        Target::RegencyB => "32.10",
    };
    let reply = match endpoint {
        Enrol => {
            let reply = session
                .post(app, "/api/v1/enrolments", &valid_draft(village, &fresh_nik(village)))
                .await;
            let note = (reply.status == StatusCode::CREATED && reply.json["worker"]["village"] != village)
                .then(|| format!("enrolled in {} instead of {village}", reply.json["worker"]["village"]));
            return (reply, note);
        }
        View => {
            let (id, _) = seed(app, village).await;
            session.get(app, &format!("/api/v1/enrolments/{id}")).await
        }
        FullNik => {
            let (id, nik) = seed(app, village).await;
            let reply = session.get(app, &format!("/api/v1/enrolments/{id}/nik")).await;
            let note = (reply.status.is_success() && reply.json["nik"] != nik.as_str()).then(|| "wrong NIK".to_owned());
            return (reply, note);
        }
        List => session.get(app, &format!("/api/v1/areas/{area}/workers")).await,
        Workload => session.get(app, &format!("/api/v1/areas/{area}/workload")).await,
        Audit => session.get(app, &format!("/api/v1/areas/{area}/audit")).await,
        Edit => {
            let (id, nik) = seed(app, village).await;
            let mut draft = valid_draft(village, &nik);
            draft["address"] = json!("Dusun Sukamaju RT 03 RW 04");
            let reply = session.put(app, &format!("/api/v1/enrolments/{id}"), &draft).await;
            let note = (reply.status.is_success() && reply.json["address"] != "Dusun Sukamaju RT 03 RW 04")
                .then(|| "edit not applied".to_owned());
            return (reply, note);
        }
        Deactivate | Renew | Verify | Reject => {
            // The worker's steps: path, body, and the field the step sets with its value.
            let (step, body, field, value) = match endpoint {
                Deactivate => (
                    "deactivate",
                    json!({ "reason": "moved" }),
                    "deactivated",
                    json!("moved"),
                ),
                Renew => (
                    "renew",
                    json!({ "months": 12 }),
                    "paid_through",
                    json!(now().plus(23).to_string()),
                ),
                Verify => (
                    "verify",
                    json!({ "membership_number": "12345678901" }),
                    "status",
                    json!("verified"),
                ),
                _ => (
                    "reject",
                    json!({ "reason": "Foto KTP tidak terbaca" }),
                    "status",
                    json!("rejected"),
                ),
            };
            let (id, _) = seed(app, village).await;
            let reply = session
                .post(app, &format!("/api/v1/enrolments/{id}/{step}"), &body)
                .await;
            return applied(reply, field, value);
        }
        SetTarget => {
            session
                .put(
                    app,
                    &format!("/api/v1/areas/{village}/target"),
                    &json!({ "target": 25 }),
                )
                .await
        }
        CreateUser => {
            let body = new_user_body(&unique_username(), "village_operator", village);
            session.post(app, "/api/v1/users", &body).await
        }
        ResetLink => {
            let id = match target {
                Target::Outside | Target::RegencyB => fx.account_in_b,
                Target::Neighbour => fx.account_in_a2,
                Target::VillageA | Target::RegencyA => fx.account_in_a,
            };
            session
                .post(app, &format!("/api/v1/users/{id}/reset-link"), &json!({}))
                .await
        }
        Users => {
            let reply = session.get(app, "/api/v1/users").await;
            let scope = session.me["grant"]["scope"].as_str().unwrap_or_default();
            let note = reply
                .status
                .is_success()
                .then(|| users_problem(&reply.json, scope))
                .flatten();
            return (reply, note);
        }
        Report => {
            // A worker enrolled in another village, which the target village claims.
            let enrolled_in = if village == VILLAGE_B { VILLAGE_A } else { VILLAGE_B };
            let (id, nik) = seed(app, enrolled_in).await;
            let body = json!({ "nik": nik, "village": village, "note": "Tinggal di desa kami." });
            let reply = session.post(app, "/api/v1/conflicts", &body).await;
            let note = if reply.status.is_success() {
                let open = open_conflicts(app, enrolled_in).await;
                (!open
                    .iter()
                    .any(|c| c.enrolment_id == id && c.claimed_by.as_str() == village))
                .then(|| format!("no open conflict about enrolment {id} claimed by {village}"))
            } else {
                None
            };
            return (reply, note);
        }
        Conflicts => {
            let (_, conflict) = seed_conflict(app, village).await;
            let reply = session.get(app, &format!("/api/v1/areas/{area}/conflicts")).await;
            let listed = reply.json.as_array().cloned().unwrap_or_default();
            let note = if !reply.status.is_success() {
                None
            } else if !listed.iter().any(|c| c["id"] == conflict) {
                Some(format!("conflict {conflict} is not listed"))
            } else {
                listed
                    .iter()
                    .find(|c| !inside(area, c["village"].as_str().unwrap_or_default()))
                    .map(|c| format!("lists a conflict about {} outside {area}", c["village"]))
            };
            return (reply, note);
        }
        Resolve => {
            let (_, conflict) = seed_conflict(app, village).await;
            let reply = session
                .post(app, &format!("/api/v1/conflicts/{conflict}/resolve"), &json!({}))
                .await;
            let still_open = open_conflicts(app, village).await.iter().any(|c| c.id == conflict);
            let note = (reply.status.is_success() && still_open).then(|| format!("conflict {conflict} still open"));
            return (reply, note);
        }
        AddRegulation | DeleteRegulation | Budget | SetBudget | Boundaries => {
            return super::scope_matrix_commitments::attempt(app, session, endpoint, target).await;
        }
    };
    (reply, None)
}

/// Whether `code` is `scope` or lies under it.
pub(super) fn inside(scope: &str, code: &str) -> bool {
    scope == "ID" || code == scope || code.starts_with(&format!("{scope}."))
}

/// What is wrong with a `GET /users` answer for a caller bound to `scope`, if anything: every
/// account must lie in the scope, and the account of village A (inside every scope that may
/// list) must be there.
fn users_problem(list: &Value, scope: &str) -> Option<String> {
    let accounts = list.as_array()?;
    if let Some(stranger) = accounts
        .iter()
        .find(|a| !inside(scope, a["grant"]["scope"].as_str().unwrap_or_default()))
    {
        return Some(format!("lists {} outside {scope}", stranger["username"]));
    }
    (!accounts.iter().any(|a| a["username"] == "target.a")).then(|| "target.a is not listed".to_owned())
}

/// A fresh worker in `village` and an open conflict about it, reported by another village;
/// returns the worker's and the conflict's ids.
async fn seed_conflict(app: &TestApp, village: &str) -> (i64, i64) {
    let (id, nik) = seed(app, village).await;
    let claimant = if village == VILLAGE_B { VILLAGE_A } else { VILLAGE_B };
    let reporter = Actor {
        id: 0,
        username: "seeder".into(),
    };
    let conflict = app
        .store
        .report_conflict(
            &pantau_core::Nik::parse(&nik).unwrap(),
            &RegionCode::parse(claimant).unwrap(),
            "Tinggal di desa kami.",
            &reporter,
        )
        .await
        .unwrap();
    (id, conflict)
}

/// The open conflicts about workers of `village`, straight from the store.
async fn open_conflicts(app: &TestApp, village: &str) -> Vec<pantau_core::workers::Conflict> {
    let area = AreaCode::parse(village).unwrap();
    app.store.conflicts(&area).await.unwrap()
}

/// The answer, with a note when it is a success whose `key` is not `value`.
pub(super) fn applied(reply: Reply, key: &str, value: Value) -> (Reply, Option<String>) {
    let note = (reply.status.is_success() && reply.json[key] != value)
        .then(|| format!("{key} is {} instead of {value}", reply.json[key]));
    (reply, note)
}

pub(super) fn new_user_body(username: &str, role: &str, scope: &str) -> Value {
    json!({
        "username": username,
        "display_name": "Petugas Baru",
        "grant": { "role": role, "scope": scope }
    })
}

fn unique_username() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(1);
    format!("petugas.{}", N.fetch_add(1, Ordering::Relaxed))
}

#[tokio::test]
async fn every_role_against_every_endpoint_in_and_out_of_scope() {
    let app = TestApp::fresh().await;
    let fx = Fixtures {
        account_in_a: create_user(&app, "target.a", Role::VillageOperator, VILLAGE_A).await,
        account_in_a2: create_user(&app, "target.a2", Role::VillageOperator, VILLAGE_A2).await,
        account_in_b: create_user(&app, "target.b", Role::VillageOperator, VILLAGE_B).await,
    };
    run(&app, &fx, &ENDPOINTS, &HEADINGS, &TARGETS, &EXPECTED).await;
}

/// Signs in one account per row of `expected`, tries every asked cell, and fails with the
/// whole matrix printed when any answer differs from the table or has the wrong content.
pub(super) async fn run<const N: usize>(
    app: &TestApp,
    fx: &Fixtures,
    endpoints: &[Endpoint; N],
    headings: &[&str; N],
    targets: &[(Target, &str)],
    expected: &[(Role, &str, [&str; N])],
) {
    let mut table = String::new();
    let mut wrong = Vec::new();
    let _ = writeln!(
        table,
        "legend: Y allowed (2xx), n refused (403), · not asked, !<status> differs from the table"
    );
    let _ = write!(table, "{:<28} {:<24}", "role", "target");
    for heading in headings {
        let _ = write!(table, "{heading:>7}");
    }
    table.push('\n');
    for (n, (role, label, cells)) in expected.iter().enumerate() {
        assert!(
            cells.iter().all(|c| c.len() == targets.len()),
            "{label}: one letter per target"
        );
        let session = official(app, &format!("matrix.{n}"), *role, scope_of(*role)).await;
        for (t, (target, target_label)) in targets.iter().enumerate() {
            let _ = write!(table, "{label:<28} {target_label:<24}");
            for (e, endpoint) in endpoints.iter().enumerate() {
                let want = cells[e].as_bytes()[t];
                if want == b'-' {
                    let _ = write!(table, "{:>7}", "·");
                    continue;
                }
                let (reply, note) = attempt(app, &session, fx, *endpoint, *target).await;
                let status = reply.status;
                let got = if status.is_success() {
                    b'Y'
                } else if status == StatusCode::FORBIDDEN && reply.code() == "forbidden" {
                    b'N'
                } else {
                    b'?'
                };
                let cell = if got != want {
                    wrong.push(format!(
                        "{label} / {endpoint:?} / {target_label}: expected {} got {status} {}",
                        want as char, reply.text
                    ));
                    format!("!{}", status.as_u16())
                } else if want == b'Y' {
                    "Y".to_owned()
                } else {
                    "n".to_owned()
                };
                if let Some(note) = note {
                    wrong.push(format!("{label} / {endpoint:?} / {target_label}: {note}"));
                }
                let _ = write!(table, "{cell:>7}");
            }
            table.push('\n');
        }
    }
    assert!(wrong.is_empty(), "scope matrix differs:\n{table}\n{}", wrong.join("\n"));
}
