//! Workers as officials handle them: enrolment with the same checks the form runs, lists,
//! the full NIK for roles that need it, edits, deactivation, renewal, verification, village
//! targets and the audit log. Every handler checks role and scope against the record.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use pantau_core::account::Action;
use pantau_core::coverage::MAX_VILLAGE_TARGET;
use pantau_core::intake::{self, EnrolmentDraft, FieldProblem, Problem, ValidEnrolment};
use pantau_core::premium::PremiumRules;
use pantau_core::workers::{
    AuditEntry, Conflict, ConflictReport, Coverage, Deactivate, DuplicateNik, Enrolled, FullNik, Receipt, Reject,
    Renew, Status, Verify, WorkerDetail, WorkerPage, Workload, MAX_OPEN_CONFLICT_REPORTS, NIK_LOOKUPS_PER_HOUR,
};
use pantau_core::{AreaCode, ErrorCode, Field, FundingSource, Level, Nik, RegionCode, Segment};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::idempotency::IdempotencyKeyHeader;
use super::json::JsonBody;
use super::path::{AreaPath, RecordId};
use super::session::Official;
use super::ApiError;
use crate::store::{Actor, NewEnrolment, NikLookup, StoreError, WorkerFilter};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Rows per page of a worker list.
const PAGE_SIZE: u32 = 50;
/// Audit entries shown at once.
const AUDIT_ENTRIES: u32 = 200;

/// The writes the offline outbox sends, which take an `Idempotency-Key` (`idempotency.rs`;
/// the caller adds the layer). `GET /enrolments/{id}` shares its path with the correction.
pub(crate) fn outbox_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol))
        .routes(routes!(worker, update))
        .routes(routes!(deactivate))
        .routes(routes!(renew))
        .routes(routes!(verify))
        .routes(routes!(reject))
}

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(full_nik))
        .routes(routes!(workers))
        .routes(routes!(workload))
        .routes(routes!(set_target))
        .routes(routes!(audit))
        .routes(routes!(report_conflict))
        .routes(routes!(resolve_conflict))
        .routes(routes!(conflicts))
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Runs the core checks the form runs, with the district lookup the server can do.
async fn check(state: &AppState, draft: &EnrolmentDraft) -> Result<ValidEnrolment, ApiError> {
    let district_known = match Nik::parse(&draft.nik) {
        Ok(nik) => match RegionCode::parse(&nik.district_code()) {
            Ok(code) => state.store.area_name(&AreaCode::Region(code)).await.is_ok(),
            Err(_) => false,
        },
        Err(_) => true,
    };
    intake::validate(draft, today(), &PremiumRules::default(), &|_| district_known).map_err(ApiError::Problems)
}

fn village_problem(problem: Problem) -> ApiError {
    ApiError::Problems(vec![FieldProblem::new(Field::Village, problem)])
}

#[utoipa::path(post, path = "/enrolments", tag = "kerja", request_body = EnrolmentDraft, params(IdempotencyKeyHeader),
    responses((status = 201, description = "Enrolled as submitted", body = Enrolled),
              (status = 422, description = "Field problems; nothing stored", body = pantau_core::ErrorEnvelope),
              (status = 403, description = "Village outside the caller's scope", body = pantau_core::ErrorEnvelope),
              (status = 409, description = "NIK already enrolled; says where, NIK masked", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn enrol(
    State(state): State<AppState>,
    official: Official,
    JsonBody(draft): JsonBody<EnrolmentDraft>,
) -> Result<(StatusCode, Json<Enrolled>), ApiError> {
    // A role that never enrols is refused before its form is looked at.
    if !official.account.grant.role.may(Action::Enrol) {
        return Err(ApiError::Code(ErrorCode::Forbidden));
    }
    let valid = check(&state, &draft).await?;
    let village = AreaCode::Region(valid.village.clone());
    if !official.account.grant.allows(Action::Enrol, &village) {
        return Err(ApiError::At(ErrorCode::Forbidden, Field::Village));
    }
    let enrolment = NewEnrolment::from_valid(valid, Status::Submitted);
    let id = match state.store.enrol_by(&enrolment, &official.actor()).await {
        Ok(id) => id,
        Err(StoreError::NotFound) => return Err(village_problem(Problem::VillageUnknown)),
        Err(StoreError::DuplicateNik(existing, village)) => {
            let asked_from = enrolment.village.clone();
            let withheld = NikLookup::Withheld {
                village: Some(village.clone()),
                asked_from: asked_from.clone(),
            };
            nik_lookup_allowed(&state, &official, withheld, &enrolment.nik).await?;
            let shown = NikLookup::Shown {
                enrolment: existing,
                village: village.clone(),
                asked_from,
            };
            state
                .store
                .record_nik_lookup(&shown, &enrolment.nik, &official.actor())
                .await?;
            let village_name = state.store.area_name(&AreaCode::Region(village.clone())).await?;
            let may_open = official
                .account
                .grant
                .allows(Action::ViewWorkers, &AreaCode::Region(village.clone()));
            return Err(ApiError::Duplicate(DuplicateNik {
                nik_masked: enrolment.nik.masked(),
                village,
                village_name,
                enrolment_id: may_open.then_some(existing.0),
            }));
        }
        Err(err) => return Err(err.into()),
    };
    let worker = state
        .store
        .worker(id.0, today())
        .await?
        .ok_or(ApiError::Code(ErrorCode::EnrolmentNotFound))?;
    let receipt = Receipt {
        id: worker.row.id,
        received_at: worker.created_at,
    };
    Ok((
        StatusCode::CREATED,
        Json(Enrolled {
            worker: worker.row,
            receipt,
        }),
    ))
}

/// Loads a worker and checks that `action` is allowed on its village.
async fn scoped(state: &AppState, official: &Official, id: i64, action: Action) -> Result<WorkerDetail, ApiError> {
    let worker = state
        .store
        .worker(id, today())
        .await?
        .ok_or(ApiError::Code(ErrorCode::EnrolmentNotFound))?;
    official.require(action, &AreaCode::Region(worker.row.village.clone()))?;
    Ok(worker)
}

/// What a handler of `/enrolments/{id}/…` answers: the worker as it is now.
type Detail = Result<Json<WorkerDetail>, ApiError>;

/// An official's request about the worker of the path's `{id}`. The caller is checked before
/// the id, as when the handlers took the two apart.
pub(crate) struct OnWorker {
    state: AppState,
    official: Official,
    id: i64,
}

impl FromRequestParts<AppState> for OnWorker {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let official = Official::from_request_parts(parts, state).await?;
        let RecordId(id) = RecordId::from_request_parts(parts, state).await?;
        Ok(Self {
            state: state.clone(),
            official,
            id,
        })
    }
}

impl OnWorker {
    /// The worker, once `action` is allowed on its village.
    async fn load(&self, action: Action) -> Result<WorkerDetail, ApiError> {
        scoped(&self.state, &self.official, self.id, action).await
    }

    /// The answer of a handler: the worker as it is now, `action` checked again, as the
    /// caller may read it.
    async fn answer(&self, action: Action) -> Detail {
        let worker = self.load(action).await?;
        let village = AreaCode::Region(worker.row.village.clone());
        Ok(Json(
            if self.official.account.grant.allows(Action::ViewFullNik, &village) {
                worker
            } else {
                worker.without_nik_clues()
            },
        ))
    }

    fn actor(&self) -> Actor {
        self.official.actor()
    }
}

#[utoipa::path(get, path = "/enrolments/{id}", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, description = "The worker, NIK masked", body = WorkerDetail)))]
pub(crate) async fn worker(on: OnWorker) -> Detail {
    on.answer(Action::ViewWorkers).await
}

#[utoipa::path(get, path = "/enrolments/{id}/nik", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, description = "The full NIK; the view is written to the audit log", body = FullNik)))]
pub(crate) async fn full_nik(on: OnWorker) -> Result<Json<FullNik>, ApiError> {
    on.load(Action::ViewFullNik).await?;
    let nik = on.state.store.reveal_nik(on.id, &on.actor()).await?;
    Ok(Json(FullNik {
        nik: nik.expose_digits().to_owned(),
    }))
}

#[utoipa::path(put, path = "/enrolments/{id}", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id"), IdempotencyKeyHeader),
    request_body = EnrolmentDraft,
    responses((status = 200, description = "Updated; a rejected record is resubmitted", body = WorkerDetail)))]
pub(crate) async fn update(on: OnWorker, JsonBody(draft): JsonBody<EnrolmentDraft>) -> Detail {
    let current = on.load(Action::EditWorker).await?;
    let stored_nik = on.state.store.stored_nik(on.id).await?;
    let mut draft = draft;
    // Roles that may not see the NIK can still correct the rest: an empty NIK keeps the
    // stored one, and so does an empty birth date, which they are not shown either.
    if draft.nik.trim().is_empty() {
        draft.nik = stored_nik.expose_digits().to_owned();
    }
    if draft.birth_date.trim().is_empty() {
        if let Some(birth) = current.birth_date {
            draft.birth_date = birth.to_string();
        }
    }
    // Coverage moves only by renewal, and an old start month must not block a correction:
    // the form's months are replaced by a valid placeholder here and ignored by the store.
    draft.coverage_start = pantau_core::Month::of(today()).to_string();
    draft.paid_months = Some(1);
    let valid = check(&on.state, &draft).await?;
    if valid.village != current.row.village {
        return Err(village_problem(Problem::VillageFixed));
    }
    if stored_nik != valid.nik {
        return Err(ApiError::Problems(vec![FieldProblem::new(
            Field::Nik,
            Problem::NikFixed,
        )]));
    }
    on.state
        .store
        .update_worker(on.id, &NewEnrolment::from_valid(valid, current.row.status), &on.actor())
        .await?;
    on.answer(Action::EditWorker).await
}

#[utoipa::path(post, path = "/enrolments/{id}/deactivate", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id"), IdempotencyKeyHeader),
    request_body = Deactivate, responses((status = 200, description = "No longer counted", body = WorkerDetail)))]
pub(crate) async fn deactivate(on: OnWorker, JsonBody(body): JsonBody<Deactivate>) -> Detail {
    on.load(Action::EditWorker).await?;
    on.state
        .store
        .deactivate_worker(on.id, body.reason, &on.actor())
        .await?;
    on.answer(Action::ViewWorkers).await
}

#[utoipa::path(post, path = "/enrolments/{id}/renew", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id"), IdempotencyKeyHeader),
    request_body = Renew, responses((status = 200, description = "Coverage extended", body = WorkerDetail)))]
pub(crate) async fn renew(on: OnWorker, JsonBody(body): JsonBody<Renew>) -> Detail {
    on.load(Action::EditWorker).await?;
    if !intake::PAID_MONTHS_CHOICES.contains(&body.months) {
        return Err(ApiError::At(ErrorCode::InvalidPaidMonths, Field::PaidMonths));
    }
    on.state
        .store
        .renew_worker(on.id, body.months, today(), &on.actor())
        .await?;
    on.answer(Action::ViewWorkers).await
}

#[utoipa::path(post, path = "/enrolments/{id}/verify", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id"), IdempotencyKeyHeader),
    request_body = Verify, responses((status = 200, description = "Verified", body = WorkerDetail)))]
pub(crate) async fn verify(on: OnWorker, JsonBody(body): JsonBody<Verify>) -> Detail {
    on.load(Action::Verify).await?;
    let Ok(Some(number)) = intake::membership_number(&body.membership_number) else {
        return Err(ApiError::At(
            ErrorCode::InvalidMembershipNumber,
            Field::MembershipNumber,
        ));
    };
    on.state.store.verify_worker(on.id, &number, &on.actor()).await?;
    on.answer(Action::ViewWorkers).await
}

#[utoipa::path(post, path = "/enrolments/{id}/reject", tag = "kerja", params(("id" = i64, Path, description = "Enrolment id"), IdempotencyKeyHeader),
    request_body = Reject, responses((status = 200, description = "Rejected, back to the village", body = WorkerDetail)))]
pub(crate) async fn reject(on: OnWorker, JsonBody(body): JsonBody<Reject>) -> Detail {
    on.load(Action::Verify).await?;
    let reason = body.reason.trim();
    if !(5..=300).contains(&reason.chars().count()) || reason.chars().any(intake::refused_in_text) {
        return Err(ApiError::At(ErrorCode::InvalidReason, Field::Reason));
    }
    on.state.store.reject_worker(on.id, reason, &on.actor()).await?;
    on.answer(Action::ViewWorkers).await
}

/// Query of a worker list; unknown values are refused rather than ignored.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(crate) struct ListQuery {
    /// `submitted`, `verified` or `rejected`.
    status: Option<Status>,
    /// An occupation segment.
    segment: Option<Segment>,
    /// A funding source.
    funding: Option<FundingSource>,
    /// `active`, `lapsing` (ends within 30 days) or `lapsed`.
    coverage: Option<Coverage>,
    /// `true` for deactivated workers instead of current ones.
    #[serde(default)]
    deactivated: bool,
    /// 0-based page of 50.
    #[serde(default)]
    page: u32,
}

#[utoipa::path(get, path = "/areas/{code}/workers", tag = "kerja", params(("code" = String, Path, description = "Area code"), ListQuery),
    responses((status = 200, description = "Workers, newest first, NIK masked", body = WorkerPage)))]
pub(crate) async fn workers(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<WorkerPage>, ApiError> {
    official.require(Action::ViewWorkers, &area)?;
    let Query(query) = query.map_err(|_| ApiError::Code(ErrorCode::InvalidFilter))?;
    if query.page > 100_000 {
        return Err(ApiError::Code(ErrorCode::InvalidFilter));
    }
    let filter = WorkerFilter {
        status: query.status,
        segment: query.segment,
        funding: query.funding,
        coverage: query.coverage,
        deactivated: query.deactivated,
        offset: query.page * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    Ok(Json(state.store.workers(&area, &filter, today()).await?))
}

#[utoipa::path(get, path = "/areas/{code}/workload", tag = "kerja", params(("code" = String, Path, description = "Area code")),
    responses((status = 200, description = "Counts for the official's home page", body = Workload)))]
pub(crate) async fn workload(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
) -> Result<Json<Workload>, ApiError> {
    official.require(Action::ViewWorkers, &area)?;
    Ok(Json(state.store.workload(&area, today()).await?))
}

/// `PUT /areas/{village}/target`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct TargetBody {
    /// Workers to cover, 0–10,000.
    target: u32,
}

#[utoipa::path(put, path = "/areas/{code}/target", tag = "kerja", params(("code" = String, Path, description = "Village code")),
    request_body = TargetBody, responses((status = 204, description = "Target set")))]
pub(crate) async fn set_target(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
    JsonBody(body): JsonBody<TargetBody>,
) -> Result<StatusCode, ApiError> {
    official.require(Action::SetTargets, &area)?;
    let AreaCode::Region(village) = &area else {
        return Err(ApiError::At(ErrorCode::InvalidTarget, Field::Target));
    };
    if village.level() != Level::Village || u64::from(body.target) > MAX_VILLAGE_TARGET {
        return Err(ApiError::At(ErrorCode::InvalidTarget, Field::Target));
    }
    state
        .store
        .set_village_target(village, body.target, &official.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/areas/{code}/audit", tag = "kerja", params(("code" = String, Path, description = "Area code")),
    responses((status = 200, description = "Latest 200 changes and full-NIK views inside the area", body = [AuditEntry])))]
pub(crate) async fn audit(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    official.require(Action::ViewAudit, &area)?;
    let entries = state.store.audit_log(&area, AUDIT_ENTRIES).await?;
    let grant = &official.account.grant;
    Ok(Json(
        entries
            .into_iter()
            .map(|entry| match AreaCode::parse(&entry.area) {
                Ok(area) if grant.allows(Action::ViewFullNik, &area) => entry,
                _ => entry.without_nik_clues(),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/conflicts", tag = "kerja", request_body = ConflictReport,
    responses((status = 201, description = "Reported to the officials of the village where the NIK is enrolled"),
              (status = 404, description = "No current enrolment has this NIK", body = pantau_core::ErrorEnvelope)))]
pub(crate) async fn report_conflict(
    State(state): State<AppState>,
    official: Official,
    JsonBody(report): JsonBody<ConflictReport>,
) -> Result<StatusCode, ApiError> {
    official.require(Action::Enrol, &AreaCode::Region(report.village.clone()))?;
    let nik = Nik::parse(&report.nik)
        .map_err(|e| ApiError::Problems(vec![FieldProblem::new(Field::Nik, Problem::from(e))]))?;
    let note = report.note.trim();
    if note.chars().count() > 500 || note.chars().any(|c| c != '\n' && intake::refused_in_text(c)) {
        return Err(ApiError::At(ErrorCode::InvalidReason, Field::Reason));
    }
    let actor = official.actor();
    // Checked before the NIK is looked up, so that the refusal itself says nothing about it.
    let withheld = NikLookup::Withheld {
        village: None,
        asked_from: report.village.clone(),
    };
    nik_lookup_allowed(&state, &official, withheld, &nik).await?;
    if state.store.open_reports_by(&actor).await? >= MAX_OPEN_CONFLICT_REPORTS {
        return Err(ApiError::Code(ErrorCode::TooManyOpenReports));
    }
    match state.store.report_conflict(&nik, &report.village, note, &actor).await {
        Ok(_) => Ok(StatusCode::CREATED),
        Err(StoreError::NotFound) => {
            let not_enrolled = NikLookup::NotEnrolled {
                asked_from: report.village.clone(),
            };
            state.store.record_nik_lookup(&not_enrolled, &nik, &actor).await?;
            Err(ApiError::Code(ErrorCode::EnrolmentNotFound))
        }
        Err(err) => Err(err.into()),
    }
}

/// `TooManyNikLookups` once the official has been told [`NIK_LOOKUPS_PER_HOUR`] times within
/// the hour whether a NIK is enrolled; the refusal (`withheld`) is audited too.
async fn nik_lookup_allowed(
    state: &AppState,
    official: &Official,
    withheld: NikLookup,
    nik: &Nik,
) -> Result<(), ApiError> {
    let since = OffsetDateTime::now_utc() - time::Duration::HOUR;
    if state.store.nik_lookups_since(&official.actor(), since).await? < NIK_LOOKUPS_PER_HOUR {
        return Ok(());
    }
    state.store.record_nik_lookup(&withheld, nik, &official.actor()).await?;
    Err(ApiError::Code(ErrorCode::TooManyNikLookups))
}

#[utoipa::path(get, path = "/areas/{code}/conflicts", tag = "kerja", params(("code" = String, Path, description = "Area code")),
    responses((status = 200, description = "Open conflicts about the area's workers", body = [Conflict])))]
pub(crate) async fn conflicts(
    State(state): State<AppState>,
    official: Official,
    AreaPath(area): AreaPath,
) -> Result<Json<Vec<Conflict>>, ApiError> {
    official.require(Action::ViewWorkers, &area)?;
    Ok(Json(state.store.conflicts(&area).await?))
}

#[utoipa::path(post, path = "/conflicts/{id}/resolve", tag = "kerja", params(("id" = i64, Path, description = "Conflict id")),
    responses((status = 204, description = "Closed")))]
pub(crate) async fn resolve_conflict(
    State(state): State<AppState>,
    official: Official,
    RecordId(id): RecordId,
) -> Result<StatusCode, ApiError> {
    let village = state
        .store
        .conflict_village(id)
        .await?
        .ok_or(ApiError::Code(ErrorCode::EnrolmentNotFound))?;
    official.require(Action::EditWorker, &AreaCode::Region(village))?;
    state.store.resolve_conflict(id, &official.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
