//! "Download unsent": the outbox as a file encrypted with a passphrase the official types, to
//! keep the records safe when the phone must be reset or its storage cleared, and to load them
//! back on any device. The browser's own cryptography (Web Crypto) does the work: PBKDF2-SHA-256
//! with 600,000 iterations (OWASP's figure) turns the passphrase into an AES-256-GCM key; GCM's
//! tag makes a wrong passphrase or a changed file fail instead of loading garbage.
//!
//! The file is JSON: `{"format":"pantau-outbox","version":1,"iterations":…,"salt":…,"iv":…,
//! "data":…}` with base64 fields; `data` decrypts to the records' JSON.

use js_sys::{Array, Uint8Array};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

use super::Pending;

const FORMAT: &str = "pantau-outbox";
const ITERATIONS: u32 = 600_000;
/// Shorter passphrases are refused before anything is written.
pub const SHORTEST_PASSPHRASE: usize = 8;

#[derive(Serialize, Deserialize)]
struct Sealed {
    format: String,
    version: u32,
    iterations: u32,
    salt: String,
    iv: String,
    data: String,
}

/// Why a file could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaultError {
    /// Not a file written by "download unsent".
    NotOurs,
    /// The passphrase is wrong, or the file was changed.
    WrongPassphrase,
    /// The browser has no Web Crypto here (it needs HTTPS or localhost).
    Unavailable,
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.subtle())
        .ok_or(VaultError::Unavailable)
}

fn random(length: usize) -> Result<Vec<u8>, VaultError> {
    let mut bytes = vec![0; length];
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or(VaultError::Unavailable)?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| VaultError::Unavailable)?;
    Ok(bytes)
}

async fn key(passphrase: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, VaultError> {
    let subtle = subtle()?;
    let raw = Uint8Array::from(passphrase.as_bytes());
    let usages = Array::of1(&JsValue::from_str("deriveKey"));
    let base = subtle
        .import_key_with_str("raw", &raw, "PBKDF2", false, &usages)
        .map_err(|_| VaultError::Unavailable)?;
    let base: CryptoKey = resolve(base).await.map_err(|_| VaultError::Unavailable)?;
    let params = Pbkdf2Params::new_with_str("PBKDF2", "SHA-256", iterations, &Uint8Array::from(salt));
    let aes = AesDerivedKeyParams::new("AES-GCM", 256);
    let usages = Array::of2(&JsValue::from_str("encrypt"), &JsValue::from_str("decrypt"));
    let derived = subtle
        .derive_key_with_object_and_object(&params, &base, &aes, false, &usages)
        .map_err(|_| VaultError::Unavailable)?;
    resolve(derived).await.map_err(|_| VaultError::Unavailable)
}

async fn resolve<T: JsCast>(promise: js_sys::Promise) -> Result<T, JsValue> {
    JsFuture::from(promise).await?.dyn_into::<T>()
}

fn base64(bytes: &[u8]) -> String {
    let binary: String = bytes.iter().map(|b| char::from(*b)).collect();
    web_sys::window().and_then(|w| w.btoa(&binary).ok()).unwrap_or_default()
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

/// The file's text for `records`, sealed with `passphrase`.
pub async fn seal(records: &[Pending], passphrase: &str) -> Result<String, VaultError> {
    let plain = serde_json::to_vec(records).map_err(|_| VaultError::NotOurs)?;
    let salt = random(16)?;
    let iv = random(12)?;
    let key = key(passphrase, &salt, ITERATIONS).await?;
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv.as_slice()));
    let sealed = subtle()?
        .encrypt_with_object_and_buffer_source(&params, &key, &Uint8Array::from(plain.as_slice()))
        .map_err(|_| VaultError::Unavailable)?;
    let sealed: js_sys::ArrayBuffer = resolve(sealed).await.map_err(|_| VaultError::Unavailable)?;
    let file = Sealed {
        format: FORMAT.to_owned(),
        version: 1,
        iterations: ITERATIONS,
        salt: base64(&salt),
        iv: base64(&iv),
        data: base64(&Uint8Array::new(&sealed).to_vec()),
    };
    serde_json::to_string(&file).map_err(|_| VaultError::NotOurs)
}

/// The records in a file written by [`seal`].
pub async fn open(text: &str, passphrase: &str) -> Result<Vec<Pending>, VaultError> {
    let file: Sealed = serde_json::from_str(text).map_err(|_| VaultError::NotOurs)?;
    if file.format != FORMAT || file.version != 1 {
        return Err(VaultError::NotOurs);
    }
    let (Some(salt), Some(iv), Some(data)) = (unbase64(&file.salt), unbase64(&file.iv), unbase64(&file.data)) else {
        return Err(VaultError::NotOurs);
    };
    let key = key(passphrase, &salt, file.iterations).await?;
    let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv.as_slice()));
    let plain = subtle()?
        .decrypt_with_object_and_buffer_source(&params, &key, &Uint8Array::from(data.as_slice()))
        .map_err(|_| VaultError::Unavailable)?;
    let plain: js_sys::ArrayBuffer = resolve(plain).await.map_err(|_| VaultError::WrongPassphrase)?;
    serde_json::from_slice(&Uint8Array::new(&plain).to_vec()).map_err(|_| VaultError::NotOurs)
}

/// Offers `text` to the browser as a download named `name`.
pub fn download(name: &str, text: &str) {
    download_as(name, "application/json", text);
}

/// Saves `text` as the file `name` of `media_type` on the device.
pub fn download_as(name: &str, media_type: &str, text: &str) {
    let parts = Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = leptos::prelude::document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
