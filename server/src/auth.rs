//! Passwords, tokens and sign-in throttling. Passwords are hashed with argon2id (the OWASP
//! recommendation); session and reset tokens are 256-bit random values of which only a
//! SHA-256 hash is stored.

use std::collections::HashSet;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use pantau_core::account::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

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
    // An account without a password yet costs the same work as a wrong one.
    let real = hash.filter(|h| *h != NO_PASSWORD);
    let Ok(parsed) = PasswordHash::new(real.unwrap_or(dummy)) else {
        return false;
    };
    argon2().verify_password(password.as_bytes(), &parsed).is_ok() && real.is_some()
}

/// The stored hash of an account whose holder has not set a password yet (created through
/// the API, which never takes one): matches nothing.
pub const NO_PASSWORD: &str = "!";

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
///
/// Memory stays bounded whatever is sent: an account's bucket is keyed by 16 bytes of a hash
/// of the normalised login (never the raw body, which may be 64 KiB), an address over its
/// quota is refused before any account bucket is touched, and buckets back to full are
/// dropped every [`PRUNE_EVERY`] checks.
pub struct Throttle<C: Clock = DefaultClock> {
    by_account: Limiter<AccountKey, C>,
    by_device: Limiter<AccountKey, C>,
    by_address: Limiter<IpAddr, C>,
    checks: AtomicU64,
}

type Limiter<K, C> = RateLimiter<K, DefaultKeyedStateStore<K>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// What an account's bucket is keyed by.
type AccountKey = [u8; 16];

/// Buckets back to full are dropped after this many checks.
const PRUNE_EVERY: u64 = 1024;
/// Logins are compared up to this many characters (an e-mail address is at most 254).
const LOGIN_KEY_CHARS: usize = 254;

fn account_key(login: &str) -> AccountKey {
    let normalised: String = login
        .trim()
        .chars()
        .take(LOGIN_KEY_CHARS)
        .flat_map(char::to_lowercase)
        .collect();
    let digest = Sha256::digest(normalised.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

impl Default for Throttle {
    fn default() -> Self {
        Self::with_clock(DefaultClock::default())
    }
}

impl<C: Clock + Clone> Throttle<C> {
    fn with_clock(clock: C) -> Self {
        let quota = |period: u64, burst: u32| {
            Quota::with_period(Duration::from_secs(period))
                .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
        };
        Self {
            by_account: RateLimiter::new(quota(60, 5), DefaultKeyedStateStore::default(), clock.clone()),
            by_device: RateLimiter::new(quota(60, 5), DefaultKeyedStateStore::default(), clock.clone()),
            by_address: RateLimiter::new(quota(2, 30), DefaultKeyedStateStore::default(), clock),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts one attempt; false when the address or the account is over its quota. The
    /// address is checked first: a refused address leaves the account buckets as they are.
    pub fn allow(&self, login: &str, address: IpAddr) -> bool {
        self.allow_in(&self.by_account, login, address)
    }

    /// Counts one attempt from a browser the account signed in from before (its device
    /// cookie, checked by the caller to belong to the account asked for): it has a bucket of
    /// its own, so others' guessing at the username does not lock the holder out.
    pub fn allow_device(&self, device_token_hash: &str, address: IpAddr) -> bool {
        self.allow_in(&self.by_device, device_token_hash, address)
    }

    /// The address first, then `key`'s bucket in `bucket`.
    fn allow_in(&self, bucket: &Limiter<AccountKey, C>, key: &str, address: IpAddr) -> bool {
        self.count_check();
        self.by_address.check_key(&address).is_ok() && bucket.check_key(&account_key(key)).is_ok()
    }

    /// Counts one attempt of an address only (reset links).
    pub fn allow_address(&self, address: IpAddr) -> bool {
        self.count_check();
        self.by_address.check_key(&address).is_ok()
    }

    fn count_check(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.prune();
        }
    }

    /// Drops the buckets that are full again.
    pub fn prune(&self) {
        self.by_account.retain_recent();
        self.by_account.shrink_to_fit();
        self.by_device.retain_recent();
        self.by_device.shrink_to_fit();
        self.by_address.retain_recent();
        self.by_address.shrink_to_fit();
    }

    /// How many buckets are kept (accounts, addresses).
    pub fn buckets(&self) -> (usize, usize) {
        (self.by_account.len(), self.by_address.len())
    }
}

/// Password hashes running at once: each argon2 call takes 19 MiB and a core, so a burst of
/// sign-ins waits here instead of filling memory and the blocking pool.
fn hashing_permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Semaphore::new(cores.clamp(1, 8))
    })
}

/// Runs argon2 work on the blocking pool, at most one per core at once.
pub async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let _permit = hashing_permits().acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
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

    #[test]
    fn throttle_memory_stays_bounded() {
        let clock = governor::clock::FakeRelativeClock::default();
        let throttle = Throttle::with_clock(clock.clone());
        let ip: IpAddr = "10.0.0.2".parse().unwrap();
        // 64 KiB logins: each bucket is keyed by 16 bytes, and long logins that differ only
        // past the compared length are one account.
        let long = "a".repeat(64 * 1024);
        assert!(throttle.allow(&long, ip));
        assert!(throttle.allow(&format!("{long}b"), ip));
        assert_eq!(throttle.buckets(), (1, 1));
        // Once the address is over its quota, new logins add no bucket.
        for n in 0..100 {
            throttle.allow(&format!("tebakan-{n}"), ip);
        }
        let (accounts, _) = throttle.buckets();
        assert!(
            accounts <= 30,
            "accounts counted only while the address was allowed: {accounts}"
        );
        for n in 0..10_000 {
            throttle.allow(&format!("tebakan-lagi-{n}"), ip);
        }
        assert_eq!(
            throttle.buckets().0,
            accounts,
            "a refused address touches no account bucket"
        );
        // Full again after a while: dropped.
        clock.advance(Duration::from_secs(600));
        throttle.prune();
        assert_eq!(throttle.buckets(), (0, 0));
    }
}
