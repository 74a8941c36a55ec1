//! Officials' accounts: roles, the region each role is bound to, and what each role may do.
//! The server enforces these rules on every request; the app uses the same rules only to
//! decide which buttons to show.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Field};
use crate::intake::refused_in_text;
use crate::region::{AreaCode, Level};

crate::wire_enum! {
    /// What an official is. Every account has one role bound to one area and everything under
    /// it. Listed from the narrowest scope up.
    #[derive(PartialOrd, Ord)]
    pub enum Role: "role" {
        /// Enrols and looks after the workers of one village.
        VillageOperator = "village_operator" { id: "Operator desa", en: "Village operator" },
        /// Follows up the villages of one district.
        DistrictOfficer = "district_officer" { id: "Petugas kecamatan", en: "District officer" },
        /// Manages users, targets and budgets of one regency or city.
        RegencyAdmin = "regency_admin" { id: "Admin kabupaten/kota", en: "Regency/city admin" },
        /// BPJS Ketenagakerjaan branch staff: verifies enrolments in a regency or a province.
        BpjsVerifier = "bpjs_verifier" {
            id: "Verifikator BPJS Ketenagakerjaan",
            en: "BPJS Ketenagakerjaan verifier",
        },
        /// Runs the whole system.
        NationalAdmin = "national_admin" { id: "Admin nasional", en: "National admin" },
    }
}

/// Something an official can ask to do; checked against [`Grant::allows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create an enrolment.
    Enrol,
    /// See workers with masked NIK.
    ViewWorkers,
    /// See a worker's full NIK (each view is audited).
    ViewFullNik,
    /// Edit, deactivate, renew or resubmit a worker.
    EditWorker,
    /// Verify or reject a submitted enrolment.
    Verify,
    /// Create users and issue password-reset links.
    ManageUsers,
    /// Set village targets.
    SetTargets,
    /// Read budget allocations (those who plan or pay premiums).
    ViewBudgets,
    /// Set budget allocations.
    ManageBudgets,
    /// Register local regulations.
    ManageRegulations,
    /// Read the audit log.
    ViewAudit,
    /// Upload village boundaries.
    UploadBoundaries,
    /// See, per operator, when their device last sent and how many records arrived per day.
    ViewSync,
}

impl Role {
    /// Whether an account of this role may be bound to an area of `level`.
    pub fn accepts_scope(self, level: Level) -> bool {
        match self {
            Role::VillageOperator => level == Level::Village,
            Role::DistrictOfficer => level == Level::District,
            Role::RegencyAdmin => level == Level::Regency,
            Role::BpjsVerifier => matches!(level, Level::Regency | Level::Province),
            Role::NationalAdmin => level == Level::Nation,
        }
    }

    /// Whether this role may do `action` at all (inside its scope).
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            // The operator needs the full NIK to fix what was typed and to match papers.
            Role::VillageOperator => matches!(action, Enrol | ViewWorkers | ViewFullNik | EditWorker),
            Role::DistrictOfficer => matches!(action, Enrol | ViewWorkers | EditWorker | ViewSync),
            Role::RegencyAdmin => matches!(
                action,
                Enrol
                    | ViewWorkers
                    | EditWorker
                    | ManageUsers
                    | SetTargets
                    | ViewBudgets
                    | ManageBudgets
                    | ManageRegulations
                    | ViewAudit
                    | UploadBoundaries
                    | ViewSync
            ),
            // The verifier matches the NIK against BPJS membership records.
            Role::BpjsVerifier => matches!(action, ViewWorkers | ViewFullNik | Verify | ViewBudgets),
            Role::NationalAdmin => matches!(
                action,
                ViewWorkers
                    | ManageUsers
                    | SetTargets
                    | ViewBudgets
                    | ManageBudgets
                    | ManageRegulations
                    | ViewAudit
                    | UploadBoundaries
                    | ViewSync
            ),
        }
    }

    /// Whether an account of this role may create or reset accounts of role `other`.
    pub fn manages(self, other: Role) -> bool {
        match self {
            Role::NationalAdmin => true,
            Role::RegencyAdmin => matches!(other, Role::VillageOperator | Role::DistrictOfficer),
            // Listed rather than `_`, so a new role is decided here.
            Role::VillageOperator | Role::DistrictOfficer | Role::BpjsVerifier => false,
        }
    }
}

/// A role bound to an area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The area it covers, with everything under it.
    pub scope: AreaCode,
}

impl Grant {
    /// Whether the area `area` lies inside this grant's scope (the scope itself included).
    pub fn covers(&self, area: &AreaCode) -> bool {
        self.scope.contains(area)
    }

    /// Whether this grant allows `action` on a record or area at `area`.
    pub fn allows(&self, action: Action, area: &AreaCode) -> bool {
        self.role.may(action) && self.covers(area)
    }

    /// Whether this grant may create or reset an account holding `other`.
    pub fn manages(&self, other: &Grant) -> bool {
        self.role.manages(other.role) && self.covers(&other.scope)
    }
}

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused (argon2 cost grows with length; nobody types more).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// `POST /api/v1/session`: sign in.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// Username or e-mail address.
    pub login: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").finish_non_exhaustive()
    }
}

/// `GET /api/v1/session`: who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Account id.
    pub user_id: i64,
    /// Username.
    pub username: String,
    /// Name shown in the workspace.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// Official name of the scope area.
    pub scope_name: String,
    /// Token to send back in the `X-CSRF-Token` header with every state-changing request.
    pub csrf_token: String,
}

/// `POST /api/v1/users`: an admin creates an account within their scope. There is no
/// password: the holder sets their own with the link the answer carries, so the admin never
/// knows it (separation of duties).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    /// 3–32 characters: lower-case letters, digits, dot, hyphen, underscore.
    pub username: String,
    /// Optional e-mail address, usable to sign in.
    #[serde(default)]
    pub email: Option<String>,
    /// Name shown in the workspace and the audit log.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
}

/// Usernames are this many characters long.
pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
/// Display names are at most this many characters long.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;
/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// The fields of a new account that have rules, normalised: trimmed, the e-mail lower-cased
/// and `None` when blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountFields {
    /// The username.
    pub username: String,
    /// The name shown in the workspace.
    pub display_name: String,
    /// The e-mail address, if any.
    pub email: Option<String>,
}

/// One field of an account form at fault, with the error code the form shows and the API
/// answers (its message never repeats the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountProblem {
    /// The field.
    pub field: Field,
    /// What is wrong with it.
    pub code: ErrorCode,
}

impl AccountFields {
    /// Checks a username, display name and e-mail as typed. The users form calls it before
    /// sending and the API on receipt: the same rule on both sides. Every field at fault is
    /// listed, in the form's order.
    pub fn check(username: &str, display_name: &str, email: Option<&str>) -> Result<Self, Vec<AccountProblem>> {
        let username = username.trim().to_owned();
        let display_name = display_name.trim().to_owned();
        let email = email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
        let mut problems = Vec::new();
        let mut refuse = |field, code| problems.push(AccountProblem { field, code });
        if !valid_username(&username) {
            refuse(Field::Username, ErrorCode::InvalidUsername);
        }
        if email.as_deref().is_some_and(|e| !valid_email(e)) {
            refuse(Field::Email, ErrorCode::InvalidEmail);
        }
        if !valid_display_name(&display_name) {
            refuse(Field::DisplayName, ErrorCode::InvalidDisplayName);
        }
        if problems.is_empty() {
            Ok(Self {
                username,
                display_name,
                email,
            })
        } else {
            Err(problems)
        }
    }
}

/// Whether a display name (trimmed) may be stored: 1–100 characters, no control characters.
pub fn valid_display_name(name: &str) -> bool {
    !name.is_empty() && name.chars().count() <= MAX_DISPLAY_NAME_CHARS && !name.chars().any(char::is_control)
}

fn valid_username(name: &str) -> bool {
    USERNAME_CHARS.contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && email.len() <= MAX_EMAIL_CHARS
        && !email.chars().any(|c| c.is_whitespace() || refused_in_text(c))
}

impl NewUser {
    /// [`AccountFields::check`] of this request's fields.
    pub fn fields(&self) -> Result<AccountFields, Vec<AccountProblem>> {
        AccountFields::check(&self.username, &self.display_name, self.email.as_deref())
    }
}

/// `POST /api/v1/users` answered: the account, and the one-time link for its holder to set
/// a password with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedUser {
    /// The new account.
    pub user: UserSummary,
    /// The link to pass on.
    pub link: ResetLink,
}

/// `PUT /api/v1/users/{id}`: an admin renames, moves (role and scope, within what it manages)
/// or disables an account. A change of grant or a disabling ends the account's sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserChange {
    /// Name shown in the workspace and the audit log.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// False to disable: no sign-in, no session.
    pub active: bool,
}

/// One account as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSummary {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// False once disabled.
    pub active: bool,
}

/// `POST /api/v1/users/{id}/reset-link`: a one-time link for the admin to pass on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetLink {
    /// Path with the token in its fragment, so it never reaches server logs.
    pub path: String,
    /// When the link stops working.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: time::OffsetDateTime,
}

/// `POST /api/v1/password-reset`: set a new password with a one-time token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordReset {
    /// The token from the link.
    pub token: String,
    /// The new password.
    pub password: String,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordReset").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str) -> AreaCode {
        AreaCode::parse(code).unwrap()
    }

    fn grant(role: Role, scope: &str) -> Grant {
        Grant {
            role,
            scope: area(scope),
        }
    }

    #[test]
    fn each_role_is_bound_to_its_level() {
        assert!(Role::VillageOperator.accepts_scope(Level::Village));
        assert!(!Role::VillageOperator.accepts_scope(Level::District));
        assert!(Role::BpjsVerifier.accepts_scope(Level::Province));
        assert!(Role::BpjsVerifier.accepts_scope(Level::Regency));
        assert!(!Role::BpjsVerifier.accepts_scope(Level::District));
        assert!(Role::NationalAdmin.accepts_scope(Level::Nation));
        assert!(!Role::RegencyAdmin.accepts_scope(Level::Nation));
    }

    #[test]
    fn scope_covers_the_area_and_everything_under_it_only() {
        let operator = grant(Role::VillageOperator, "32.16.01.2001");
        assert!(operator.allows(Action::Enrol, &area("32.16.01.2001")));
        assert!(!operator.allows(Action::Enrol, &area("32.16.01.2002")));
        assert!(!operator.allows(Action::ViewWorkers, &area("32.16.01")));
        let admin = grant(Role::RegencyAdmin, "32.16");
        assert!(admin.allows(Action::SetTargets, &area("32.16.01.2001")));
        assert!(!admin.allows(Action::SetTargets, &area("32.17.01.2001")));
        assert!(!admin.allows(Action::SetTargets, &AreaCode::Nation));
        let national = grant(Role::NationalAdmin, "ID");
        assert!(national.allows(Action::ViewAudit, &area("11.01")));
    }

    #[test]
    fn only_verifiers_verify_and_only_operators_and_verifiers_see_full_niks() {
        for role in Role::ALL {
            assert_eq!(role.may(Action::Verify), role == Role::BpjsVerifier, "{role:?}");
            assert_eq!(
                role.may(Action::ViewFullNik),
                matches!(role, Role::VillageOperator | Role::BpjsVerifier),
                "{role:?}"
            );
        }
    }

    #[test]
    fn regency_admins_manage_operators_and_officers_of_their_regency_only() {
        let admin = grant(Role::RegencyAdmin, "32.16");
        assert!(admin.manages(&grant(Role::VillageOperator, "32.16.01.2001")));
        assert!(admin.manages(&grant(Role::DistrictOfficer, "32.16.01")));
        assert!(!admin.manages(&grant(Role::VillageOperator, "32.17.01.2001")));
        assert!(!admin.manages(&grant(Role::RegencyAdmin, "32.16")));
        assert!(!admin.manages(&grant(Role::BpjsVerifier, "32.16")));
        assert!(grant(Role::NationalAdmin, "ID").manages(&grant(Role::BpjsVerifier, "32")));
        assert!(!grant(Role::VillageOperator, "32.16.01.2001").manages(&grant(Role::VillageOperator, "32.16.01.2001")));
    }

    #[test]
    fn account_fields_are_normalised_or_every_fault_is_named() {
        let ok = AccountFields::check(" siti.rahma ", " Siti Rahma ", Some(" Siti@Desa.ID ")).unwrap();
        assert_eq!(ok.username, "siti.rahma");
        assert_eq!(ok.display_name, "Siti Rahma");
        assert_eq!(ok.email.as_deref(), Some("siti@desa.id"));
        assert_eq!(AccountFields::check("siti", "Siti", Some("  ")).unwrap().email, None);

        let faults = |u: &str, d: &str, e: Option<&str>| {
            AccountFields::check(u, d, e)
                .unwrap_err()
                .iter()
                .map(|p| (p.field, p.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            faults("Siti", "", Some("siti@desa")),
            [
                (Field::Username, ErrorCode::InvalidUsername),
                (Field::Email, ErrorCode::InvalidEmail),
                (Field::DisplayName, ErrorCode::InvalidDisplayName),
            ]
        );
        for bad in ["ab", "siti rahma", "siti@desa", &"a".repeat(33)] {
            assert_eq!(
                faults(bad, "Siti", None),
                [(Field::Username, ErrorCode::InvalidUsername)],
                "{bad}"
            );
        }
        assert_eq!(faults("siti", &"x".repeat(101), None)[0].0, Field::DisplayName);
        assert_eq!(faults("siti", "Siti\u{7}", None)[0].0, Field::DisplayName);
        assert_eq!(faults("siti", "Siti", Some("si ti@desa.id"))[0].0, Field::Email);
    }

    #[test]
    fn budgets_are_read_by_those_who_plan_or_pay_premiums() {
        for role in Role::ALL {
            let reads = matches!(role, Role::RegencyAdmin | Role::BpjsVerifier | Role::NationalAdmin);
            assert_eq!(role.may(Action::ViewBudgets), reads, "{role:?}");
            assert!(
                !role.may(Action::ManageBudgets) || role.may(Action::ViewBudgets),
                "{role:?}"
            );
        }
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let sign_in = SignIn {
            login: "siti".into(),
            password: "rahasia-sekali-123".into(),
        };
        assert!(!format!("{sign_in:?}").contains("rahasia"));
    }
}
