//! The outbox and its receipts in IndexedDB (database `pantau-kerja`): what survives a closed
//! tab, a reload and a restart of the phone. The service worker never opens this database, so
//! an update of the app cannot touch it.

use idb::{
    Database, DatabaseEvent, Error as IdbError, Factory, IndexParams, KeyPath, ObjectStoreParams, Query,
    TransactionMode,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::{Kept, Pending};

const DATABASE: &str = "pantau-kerja";
const VERSION: u32 = 1;
/// Records waiting for the server, keyed by client id, indexed by account.
const RECORDS: &str = "outbox";
/// What the server accepted, keyed by client id, indexed by account.
const RECEIPTS: &str = "receipts";
const BY_USER: &str = "user";
/// Receipts kept per account: enough to answer "which of my records arrived" for weeks.
pub const RECEIPTS_KEPT: usize = 200;

/// Why the device's storage failed (full, blocked by the browser, private mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageError(pub String);

impl From<IdbError> for StorageError {
    fn from(error: IdbError) -> Self {
        Self(error.to_string())
    }
}

async fn open() -> Result<Database, StorageError> {
    let factory = Factory::new()?;
    let mut request = factory.open(DATABASE, Some(VERSION))?;
    request.on_upgrade_needed(|event| {
        let Ok(database) = event.database() else { return };
        for name in [RECORDS, RECEIPTS] {
            let mut params = ObjectStoreParams::new();
            params.key_path(Some(KeyPath::new_single("id")));
            if let Ok(store) = database.create_object_store(name, params) {
                let _ = store.create_index(BY_USER, KeyPath::new_single("user"), Some(IndexParams::new()));
            }
        }
    });
    Ok(request.await?)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| StorageError(e.to_string()))
}

fn from_js<T: DeserializeOwned>(values: Vec<JsValue>) -> Vec<T> {
    // A record this version cannot read is left in the database, not dropped.
    values
        .into_iter()
        .filter_map(|value| serde_wasm_bindgen::from_value(value).ok())
        .collect()
}

async fn all_of<T: DeserializeOwned>(store: &str, user: i64) -> Result<Vec<T>, StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[store], TransactionMode::ReadOnly)?;
    let values = transaction
        .object_store(store)?
        .index(BY_USER)?
        .get_all(Some(Query::Key(JsValue::from_f64(user as f64))), None)?
        .await?;
    transaction.await?;
    Ok(from_js(values))
}

/// The account's records, oldest first.
pub async fn records(user: i64) -> Result<Vec<Pending>, StorageError> {
    let mut records: Vec<Pending> = all_of(RECORDS, user).await?;
    records.sort_by(|a, b| a.created.total_cmp(&b.created));
    Ok(records)
}

/// The account's receipts, newest first.
pub async fn receipts(user: i64) -> Result<Vec<Kept>, StorageError> {
    let mut kept: Vec<Kept> = all_of(RECEIPTS, user).await?;
    kept.sort_by(|a, b| b.received_at.cmp(&a.received_at));
    Ok(kept)
}

/// Stores `record` (new or changed) and waits until the write is durable.
pub async fn put(record: &Pending) -> Result<(), StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[RECORDS], TransactionMode::ReadWrite)?;
    transaction.object_store(RECORDS)?.put(&to_js(record)?, None)?.await?;
    committed(transaction.commit()?.await?)
}

/// Stores `records` unless a record with the same id is there already (an imported file read
/// twice adds nothing); returns how many were added.
pub async fn add_missing(records: &[Pending]) -> Result<usize, StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[RECORDS, RECEIPTS], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(RECORDS)?;
    let receipts = transaction.object_store(RECEIPTS)?;
    let mut added = 0;
    for record in records {
        let key = JsValue::from_str(&record.id);
        // Also skipped: a record the server has accepted since the file was written.
        let known =
            store.get(Query::Key(key.clone()))?.await?.is_some() || receipts.get(Query::Key(key))?.await?.is_some();
        if !known {
            store.put(&to_js(record)?, None)?.await?;
            added += 1;
        }
    }
    committed(transaction.commit()?.await?)?;
    Ok(added)
}

/// Removes the record `id`.
pub async fn remove(id: &str) -> Result<(), StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[RECORDS], TransactionMode::ReadWrite)?;
    transaction
        .object_store(RECORDS)?
        .delete(Query::Key(JsValue::from_str(id)))?
        .await?;
    committed(transaction.commit()?.await?)
}

/// The server accepted a record: in one transaction the record leaves the outbox and its
/// receipt is kept (the oldest receipts beyond [`RECEIPTS_KEPT`] go).
pub async fn settle(kept: &Kept) -> Result<(), StorageError> {
    let older = receipts(kept.user).await?;
    let database = open().await?;
    let transaction = database.transaction(&[RECORDS, RECEIPTS], TransactionMode::ReadWrite)?;
    transaction
        .object_store(RECORDS)?
        .delete(Query::Key(JsValue::from_str(&kept.id)))?
        .await?;
    let receipts = transaction.object_store(RECEIPTS)?;
    receipts.put(&to_js(kept)?, None)?.await?;
    for old in older.iter().skip(RECEIPTS_KEPT - 1) {
        receipts.delete(Query::Key(JsValue::from_str(&old.id)))?.await?;
    }
    committed(transaction.commit()?.await?)
}

/// Removes everything the account left on this device (after sign-out).
pub async fn forget(user: i64) -> Result<(), StorageError> {
    let records = records(user).await?;
    let kept = receipts(user).await?;
    let database = open().await?;
    let transaction = database.transaction(&[RECORDS, RECEIPTS], TransactionMode::ReadWrite)?;
    let store = transaction.object_store(RECORDS)?;
    for record in &records {
        store.delete(Query::Key(JsValue::from_str(&record.id)))?.await?;
    }
    let receipts = transaction.object_store(RECEIPTS)?;
    for receipt in &kept {
        receipts.delete(Query::Key(JsValue::from_str(&receipt.id)))?.await?;
    }
    committed(transaction.commit()?.await?)
}

fn committed(result: idb::TransactionResult) -> Result<(), StorageError> {
    if result.is_committed() {
        Ok(())
    } else {
        Err(StorageError("transaction aborted".to_owned()))
    }
}
