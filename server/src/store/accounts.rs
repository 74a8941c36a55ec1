//! Officials' accounts and their password resets.

use async_trait::async_trait;
use pantau_core::account::{Grant, UserChange};
use pantau_core::AreaCode;

use super::{Actor, StoreError};

/// An account to create; the password is already hashed.
#[derive(Clone)]
pub struct NewAccount {
    /// Unique username.
    pub username: String,
    /// Unique e-mail, optional.
    pub email: Option<String>,
    /// Display name.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A stored account.
#[derive(Clone)]
pub struct AccountRecord {
    /// Id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role and scope.
    pub grant: Grant,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// False once disabled.
    pub active: bool,
}

impl std::fmt::Debug for AccountRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountRecord")
            .field("id", &self.id)
            .field("grant", &self.grant)
            .finish_non_exhaustive()
    }
}

/// Storage of accounts. Every change writes its audit entry in the same transaction.
#[async_trait]
pub trait AccountStore {
    /// Number of accounts.
    async fn account_count(&self) -> Result<u64, StoreError>;
    /// Creates an account; `Conflict` when the username or e-mail is taken.
    async fn create_account(&self, account: &NewAccount, actor: Option<&Actor>) -> Result<i64, StoreError>;
    /// The account with this username or e-mail (case-insensitive).
    async fn account_by_login(&self, login: &str) -> Result<Option<AccountRecord>, StoreError>;
    /// The account with this id.
    async fn account(&self, id: i64) -> Result<Option<AccountRecord>, StoreError>;
    /// Accounts whose scope lies inside `scope`, by username.
    async fn accounts_in(&self, scope: &AreaCode) -> Result<Vec<AccountRecord>, StoreError>;
    /// Replaces the password hash and ends every session of the account. `link_by` is the
    /// admin who issued the reset link used, named again at the next sign-in.
    async fn set_password(
        &self,
        account: i64,
        password_hash: &str,
        actor: &Actor,
        link_by: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Records a successful sign-in: the first one with a password a reset link set is
    /// audited with the admin who issued the link.
    async fn note_sign_in(&self, account: i64) -> Result<(), StoreError>;
    /// Renames, moves or disables an account; a new grant or a disabling ends its sessions.
    async fn update_account(&self, account: i64, change: &UserChange, actor: &Actor) -> Result<(), StoreError>;
    /// Ends every session of an account, on an admin's request.
    async fn sign_out_account(&self, account: i64, actor: &Actor) -> Result<(), StoreError>;

    /// Stores a one-time reset token (hashed), replacing earlier ones of the account.
    async fn create_reset(
        &self,
        token_hash: &str,
        account: i64,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<(), StoreError>;
    /// The account a reset token is for, if it exists and has not expired; does not spend it.
    async fn peek_reset(&self, token_hash: &str, now: i64) -> Result<Option<i64>, StoreError>;
    /// Consumes a reset token: the account it was for and who issued it, if it exists and
    /// has not expired.
    async fn take_reset(&self, token_hash: &str, now: i64) -> Result<Option<(i64, String)>, StoreError>;
}
