//! Who may do what where: every role against every workspace endpoint, on a record or area
//! inside its scope and on one outside. The expectations are written out below by hand, not
//! derived from `Role::may`, so a wrong permission rule in core fails here.

use std::fmt::Write as _;

use axum::http::StatusCode;
use pantau_core::account::Role;
use serde_json::{json, Value};

use super::*;
use crate::helpers::{now, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
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
}

use Endpoint::*;

const ENDPOINTS: [Endpoint; 14] = [
    Enrol, View, FullNik, List, Workload, Edit, Deactivate, Renew, Verify, Reject, SetTarget, Audit, CreateUser,
    ResetLink,
];

const HEADINGS: [&str; 14] = [
    "enrol", "view", "nik", "list", "load", "edit", "deact", "renew", "verify", "reject", "target", "audit", "user",
    "reset",
];

/// Where an action is aimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Village A (32.16.01.2001): a record there, the village itself, or an account bound to it.
    VillageA,
    /// Village A2 (32.16.01.2002), A's neighbour in the same district.
    Neighbour,
    /// Regency 32.16 as a whole (area endpoints only).
    RegencyA,
    /// Village B (32.10.01.2001), in another regency.
    Outside,
}

const TARGETS: [(Target, &str); 4] = [
    (Target::VillageA, "village A 32.16.01.2001"),
    (Target::Neighbour, "village A2 32.16.01.2002"),
    (Target::RegencyA, "regency 32.16"),
    (Target::Outside, "village B 32.10.01.2001"),
];

/// The rules, one cell per endpoint: `Y` allowed (2xx), `N` refused (403), `-` not asked.
/// The four letters are village A, its neighbour A2 in the same district, regency 32.16, and
/// village B in another regency.
#[rustfmt::skip]
const EXPECTED: [(Role, &str, [&str; 14]); 5] = [
    //                                                   enrol   view    nik     list    load    edit    deact   renew   verify  reject  target  audit   user    reset
    (Role::VillageOperator, "operator 32.16.01.2001",    ["YN-N", "YN-N", "YN-N", "YNNN", "YNNN", "YN-N", "YN-N", "YN-N", "NN-N", "NN-N", "NN-N", "NNNN", "NN-N", "NN-N"]),
    (Role::DistrictOfficer, "district officer 32.16.01", ["YY-N", "YY-N", "NN-N", "YYNN", "YYNN", "YY-N", "YY-N", "YY-N", "NN-N", "NN-N", "NN-N", "NNNN", "NN-N", "NN-N"]),
    (Role::RegencyAdmin, "regency admin 32.16",          ["YY-N", "YY-N", "NN-N", "YYYN", "YYYN", "YY-N", "YY-N", "YY-N", "NN-N", "NN-N", "YY-N", "YYYN", "YY-N", "YY-N"]),
    (Role::BpjsVerifier, "BPJS verifier 32.16",          ["NN-N", "YY-N", "YY-N", "YYYN", "YYYN", "NN-N", "NN-N", "NN-N", "YY-N", "YY-N", "NN-N", "NNNN", "NN-N", "NN-N"]),
    (Role::NationalAdmin, "national admin ID",           ["NN-N", "YY-Y", "NN-N", "YYYY", "YYYY", "NN-N", "NN-N", "NN-N", "NN-N", "NN-N", "YY-Y", "YYYY", "YY-Y", "YY-Y"]),
];

fn scope_of(role: Role) -> &'static str {
    match role {
        Role::VillageOperator => VILLAGE_A,
        Role::DistrictOfficer => DISTRICT_A,
        Role::RegencyAdmin | Role::BpjsVerifier => REGENCY_A,
        Role::NationalAdmin => "ID",
    }
}

/// Accounts the reset-link checks aim at, one per village.
struct Fixtures {
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
        Target::Outside => VILLAGE_B,
        Target::Neighbour => VILLAGE_A2,
        Target::VillageA | Target::RegencyA => VILLAGE_A,
    };
    let area = match target {
        Target::VillageA => VILLAGE_A,
        Target::Neighbour => VILLAGE_A2,
        Target::RegencyA => REGENCY_A,
        Target::Outside => VILLAGE_B,
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
        Deactivate => {
            let (id, _) = seed(app, village).await;
            let body = json!({ "reason": "moved" });
            let reply = session
                .post(app, &format!("/api/v1/enrolments/{id}/deactivate"), &body)
                .await;
            return applied(reply, "deactivated", json!("moved"));
        }
        Renew => {
            let (id, _) = seed(app, village).await;
            let reply = session
                .post(app, &format!("/api/v1/enrolments/{id}/renew"), &json!({ "months": 12 }))
                .await;
            return applied(reply, "paid_through", json!(now().plus(23).to_string()));
        }
        Verify => {
            let (id, _) = seed(app, village).await;
            let body = json!({ "membership_number": "12345678901" });
            let reply = session
                .post(app, &format!("/api/v1/enrolments/{id}/verify"), &body)
                .await;
            return applied(reply, "status", json!("verified"));
        }
        Reject => {
            let (id, _) = seed(app, village).await;
            let body = json!({ "reason": "Foto KTP tidak terbaca" });
            let reply = session
                .post(app, &format!("/api/v1/enrolments/{id}/reject"), &body)
                .await;
            return applied(reply, "status", json!("rejected"));
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
                Target::Outside => fx.account_in_b,
                Target::Neighbour => fx.account_in_a2,
                Target::VillageA | Target::RegencyA => fx.account_in_a,
            };
            session
                .post(app, &format!("/api/v1/users/{id}/reset-link"), &json!({}))
                .await
        }
    };
    (reply, None)
}

/// The answer, with a note when it is a success whose `key` is not `value`.
fn applied(reply: Reply, key: &str, value: Value) -> (Reply, Option<String>) {
    let note = (reply.status.is_success() && reply.json[key] != value)
        .then(|| format!("{key} is {} instead of {value}", reply.json[key]));
    (reply, note)
}

pub(super) fn new_user_body(username: &str, role: &str, scope: &str) -> Value {
    json!({
        "username": username,
        "display_name": "Petugas Baru",
        "grant": { "role": role, "scope": scope },
        "password": PASSWORD
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
    let mut table = String::new();
    let mut wrong = Vec::new();
    let _ = writeln!(
        table,
        "legend: Y allowed (2xx), n refused (403), · not asked, !<status> differs from the table"
    );
    let _ = write!(table, "{:<28} {:<24}", "role", "target");
    for heading in HEADINGS {
        let _ = write!(table, "{heading:>7}");
    }
    table.push('\n');
    for (n, (role, label, cells)) in EXPECTED.iter().enumerate() {
        let session = official(&app, &format!("matrix.{n}"), *role, scope_of(*role)).await;
        for (t, (target, target_label)) in TARGETS.iter().enumerate() {
            let _ = write!(table, "{label:<28} {target_label:<24}");
            for (e, endpoint) in ENDPOINTS.iter().enumerate() {
                let want = cells[e].as_bytes()[t];
                if want == b'-' {
                    let _ = write!(table, "{:>7}", "·");
                    continue;
                }
                let (reply, note) = attempt(&app, &session, &fx, *endpoint, *target).await;
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
