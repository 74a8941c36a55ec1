//! Passwords, tokens and sign-in throttling. Passwords are hashed with argon2id (the OWASP
//! recommendation); session and reset tokens are 256-bit random values of which only a
//! SHA-256 hash is stored.

use std::collections::HashSet;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use pantau_core::account::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use sha2::{Digest, Sha256};

/// A session ends this long after sign-in, active or not.
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 3600;
/// A session ends after this long without a request.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;
/// A password-reset link works this long.
pub const RESET_LINK_SECS: i64 = 24 * 3600;

/// Why a new password was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Under [`MIN_PASSWORD_CHARS`].
    TooShort,
    /// Over [`MAX_PASSWORD_CHARS`].
    TooLong,
    /// On the shipped list of common passwords, or one of them with digits and symbols around.
    Common,
}

/// The shipped common-password list (`data/passwords/common.txt`), lower case.
fn common_passwords() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| include_str!("../../data/passwords/common.txt").lines().collect())
}

/// Checks a new password against the length rules and the common-password list. The
/// username (and the e-mail's local part) count as common for that account.
pub fn check_new_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    // "Bismillah2025!!" is "bismillah" with decorations: strip what people add around a word.
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let distinct: HashSet<char> = lower.chars().collect();
    let list = common_passwords();
    if list.contains(lower.as_str())
        || core.is_empty()
        || list.contains(core)
        || distinct.len() < 4
        || (!username.is_empty() && core.contains(&username.to_lowercase()))
    {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // Argon2id, v19, m = 19 MiB, t = 2, p = 1: the OWASP baseline.
    Argon2::default()
}

/// Hashes a password as a PHC string (salt and parameters included).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?
        .to_string())
}

/// Whether `password` matches the PHC string. Unknown accounts are checked against a fixed
/// hash so that a wrong username takes as long as a wrong password.
pub fn verify_password(hash: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("pantau-dummy-password-for-timing").unwrap_or_default());
    let phc = hash.unwrap_or(dummy);
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
}

/// A new random token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sign-in attempts allowed: per account 5 at once, then one a minute; per address 30 at
/// once, then one every two seconds (a village office may share one address).
pub struct Throttle {
    by_account: DefaultKeyedRateLimiter<String>,
    by_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for Throttle {
    fn default() -> Self {
        let quota = |period: u64, burst: u32| {
            Quota::with_period(Duration::from_secs(period))
                .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
        };
        Self {
            by_account: RateLimiter::keyed(quota(60, 5)),
            by_address: RateLimiter::keyed(quota(2, 30)),
        }
    }
}

impl Throttle {
    /// Counts one attempt; false when the account or the address is over its quota.
    pub fn allow(&self, login: &str, address: IpAddr) -> bool {
        let address_ok = self.by_address.check_key(&address).is_ok();
        let account_ok = self.by_account.check_key(&login.trim().to_lowercase()).is_ok();
        address_ok && account_ok
    }

    /// Counts one attempt of an address only (reset links).
    pub fn allow_address(&self, address: IpAddr) -> bool {
        self.by_address.check_key(&address).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_long_and_common_passwords() {
        assert_eq!(check_new_password("pendek", "siti"), Err(PasswordProblem::TooShort));
        assert_eq!(
            check_new_password(&"a".repeat(129), "siti"),
            Err(PasswordProblem::TooLong)
        );
        for common in [
            "123qweasdzxc",
            "Bismillah2025!!",
            "passwordpassword",
            "111111111111",
            "siti.desa.2025",
            "administrator1",
        ] {
            assert_eq!(
                check_new_password(common, "siti.desa"),
                Err(PasswordProblem::Common),
                "{common}"
            );
        }
        assert_eq!(check_new_password("kopi tubruk di pematang sawah", "siti"), Ok(()));
    }

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("kopi tubruk di pematang").unwrap();
        let b = hash_password("kopi tubruk di pematang").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password(Some(&a), "kopi tubruk di pematang"));
        assert!(!verify_password(Some(&a), "kopi tubruk di sawah"));
        assert!(!verify_password(None, "kopi tubruk di pematang"));
    }

    #[test]
    fn tokens_are_random_and_only_hashes_are_kept() {
        let token = new_token();
        assert_ne!(token, new_token());
        assert_eq!(token.len(), 43);
        assert_eq!(token_hash(&token).len(), 64);
        assert_ne!(token_hash(&token), token);
    }

    #[test]
    fn throttle_stops_the_sixth_attempt_on_one_account() {
        let throttle = Throttle::default();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..5 {
            assert!(throttle.allow("siti", ip));
        }
        assert!(!throttle.allow("SITI", ip));
        assert!(throttle.allow("budi", ip));
    }
}
