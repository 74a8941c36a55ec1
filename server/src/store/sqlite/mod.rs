//! The embedded SQLite store: zero set-up, one file. Writes go through a single-connection
//! pool (SQLite has one writer at a time; queueing in the pool avoids lock-upgrade deadlocks),
//! reads through a pool of WAL readers.

mod accounts;
mod audit;
mod commitments;
mod conflicts;
mod idempotency;
mod imports;
mod read;
mod sessions;
mod sync;
mod worker_record;
mod workers;
mod write;

use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use pantau_core::api::{AreaChild, AreaView, Health, TrendPoint};
use pantau_core::region::NATION_CODE;
use pantau_core::{AreaCode, Breakdown, Dimension, Level, Month, RegionCode, WireName};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Row, Sqlite, SqlitePool};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use self::audit::Audit;
use self::write::{live_village, refresh_target_until, set_meta, touch_data_as_of, Tx, ROWS_PER_INSERT};
use super::rollup::stored_dimension;
use super::{Actor, EnrolmentId, NewEnrolment, RegionList, Store, StoreError};
use crate::boundaries::VillageBoundary;

/// Bumped whenever a migration adds an aggregate: a database whose aggregates were built by
/// an older version is rebuilt once on open.
const AGGREGATES_VERSION: &str = "3";

/// What the stored aggregates were built as: [`AGGREGATES_VERSION`] and the breakdown
/// dimensions, so that a database built before a dimension was added is rebuilt on open
/// without anyone having to remember the bump.
fn aggregates_version() -> String {
    format!(
        "{AGGREGATES_VERSION}:{}",
        Dimension::ALL.map(stored_dimension).join(",")
    )
}

/// SQLite-backed [`Store`].
#[derive(Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
    /// Bumped after every committed write; HTTP caching derives its ETag from it. One process
    /// owns an SQLite file, so memory is the right place for it.
    version: Arc<AtomicU64>,
}

fn other(err: sqlx::Error) -> StoreError {
    // SQLITE_FULL: the disk (or the file size limit) is full. SQLite rolls the statement's
    // transaction back; the caller answers a clear 507 instead of an internal error.
    let full = err
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code.parse::<i32>().is_ok_and(|code| code & 0xff == 13));
    if full {
        tracing::error!("database or disk is full");
        return StoreError::Full;
    }
    StoreError::Other(err.into())
}

/// A stored value that does not read back: the database was changed outside the server.
fn corrupt(what: &str) -> StoreError {
    StoreError::Other(anyhow::anyhow!("stored {what} unreadable"))
}

/// Reads an enum stored by its name (`as_str`).
fn parse_stored<T: WireName>(raw: &str) -> Result<T, StoreError> {
    T::from_wire(raw).ok_or_else(|| corrupt(T::WHAT))
}

/// `column >= ? AND column < ?` selecting an area and everything under it: codes below
/// `32.16` continue with `.`, which sorts just before `/`. Nothing for the nation.
fn push_area_filter(query: &mut QueryBuilder<'_, Sqlite>, column: &str, area: &AreaCode) {
    if let AreaCode::Region(code) = area {
        query
            .push(format!(" AND {column} >= "))
            .push_bind(code.as_str().to_owned());
        query
            .push(format!(" AND {column} < "))
            .push_bind(format!("{}/", code.as_str()));
    }
}

fn map_write_error(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        _ => other(err),
    }
}

/// Counts are stored as SQLite integers (i64) and never negative.
fn unsigned(n: i64) -> u64 {
    n.max(0).unsigned_abs()
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn now_rfc3339() -> Result<String, StoreError> {
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .map_err(|e| StoreError::Other(e.into()))?;
    now.format(&Rfc3339).map_err(|e| StoreError::Other(e.into()))
}

impl SqliteStore {
    /// Rebuilds every aggregate from the enrolments inside a transaction that is rolled back,
    /// and names the aggregate tables whose rows differ from the stored ones, with how many
    /// rows differ (rows counting nothing are left out: the incremental writes keep them, the
    /// rebuild does not). Empty means the incremental writes agree with a full recount; after
    /// a crash this is what proves nothing was half-written.
    pub async fn verify_aggregates(&self) -> Result<Vec<(&'static str, u64)>, StoreError> {
        const TABLES: [(&str, &str); 5] = [
            ("area_stats", "1 = 1"),
            ("area_paid_through", "workers != 0 OR premium != 0"),
            ("area_target_until", "villages != 0"),
            ("area_start", "workers != 0"),
            ("area_breakdown", "workers != 0"),
        ];
        let mut tx = self.writer.begin().await.map_err(other)?;
        for (table, counting) in TABLES {
            sqlx::query(&format!(
                "CREATE TEMP TABLE stored_{table} AS SELECT * FROM {table} WHERE {counting}"
            ))
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        }
        write::rebuild(&mut tx).await?;
        let mut differing = Vec::new();
        for (table, counting) in TABLES {
            let rebuilt = format!("SELECT * FROM {table} WHERE {counting}");
            let stored = format!("SELECT * FROM stored_{table}");
            let mut rows = 0;
            for (a, b) in [(&rebuilt, &stored), (&stored, &rebuilt)] {
                let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({a} EXCEPT {b})"))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(other)?;
                rows += unsigned(n);
            }
            if rows > 0 {
                differing.push((table, rows));
            }
        }
        tx.rollback().await.map_err(other)?;
        Ok(differing)
    }

    /// Opens (creating if needed) the database file at `path`, applies migrations, and
    /// rebuilds aggregates that an older version built.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .with_context(|| format!("database path {} is not usable", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Rebuilding aggregates streams every enrolment once: slow by design, not a warning.
            .log_slow_statements(log::LevelFilter::Warn, Duration::from_secs(30));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A failed write leaves its rollback queued on the connection. When SQLite had
            // already rolled the transaction back itself (a full disk does), that ROLLBACK
            // fails and sqlx still counts the transaction as open: every later "transaction"
            // would be a savepoint inside it, answered as stored and never committed. After a
            // round trip (the queued rollback has run), such a connection is closed instead.
            .before_acquire(|connection, _| {
                Box::pin(async move {
                    connection.ping().await?;
                    let healthy = !connection.is_in_transaction();
                    if !healthy {
                        tracing::warn!("writer connection left inside a transaction: reopened");
                    }
                    Ok(healthy)
                })
            })
            .connect_with(options.clone())
            .await
            .with_context(|| format!("cannot open database {}", path.display()))?;
        sqlx::migrate!("./migrations")
            .run(&writer)
            .await
            .context("database migration failed")?;
        let reader = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await
            .context("cannot open database readers")?;
        let store = Self {
            reader,
            writer,
            version: Arc::new(AtomicU64::new(0)),
        };
        if store.meta("aggregates_version").await? != Some(aggregates_version()) {
            let mut tx = store.writer.begin().await?;
            write::rebuild(&mut tx).await?;
            set_meta(&mut tx, "aggregates_version", &aggregates_version()).await?;
            tx.commit().await?;
        }
        let as_of = store.data_as_of().await?;
        store.version.store(
            u64::try_from(as_of.unix_timestamp_nanos()).unwrap_or(0),
            Ordering::Relaxed,
        );
        Ok(store)
    }

    /// Closes both pools, checkpointing the write-ahead log into the database file.
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    /// Commits a change to the public figures or maps: stamps `data_as_of` inside `tx`,
    /// commits, and bumps the version HTTP caching reads.
    async fn commit_data_change(&self, mut tx: Tx<'_>) -> Result<(), StoreError> {
        touch_data_as_of(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        self.bump_version();
        Ok(())
    }

    /// Marks that data changed: a new version, strictly greater than the last.
    fn bump_version(&self) {
        let now = u64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos()).unwrap_or(0);
        self.version.fetch_max(now, Ordering::Relaxed);
        self.version.fetch_add(1, Ordering::Relaxed);
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)
    }

    async fn data_as_of(&self) -> Result<OffsetDateTime, StoreError> {
        match self.meta("data_as_of").await? {
            Some(raw) => OffsetDateTime::parse(&raw, &Rfc3339)
                .map_err(|e| StoreError::Other(anyhow::anyhow!("stored data_as_of: {e}"))),
            None => Ok(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// Number of rows of `table`.
    async fn count(&self, table: &str) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.reader)
            .await
            .map_err(other)?;
        Ok(unsigned(n))
    }

    async fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(self.meta("demo").await?.as_deref() == Some("true"))
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn regions_version(&self) -> Result<Option<String>, StoreError> {
        self.meta("regions_version").await
    }

    #[tracing::instrument(skip_all, fields(version = %list.version, regions = list.regions.len()))]
    async fn load_regions(&self, list: &RegionList) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        sqlx::query("UPDATE region SET retired = 1")
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        sqlx::query("INSERT INTO region (code, parent, level, name, retired) VALUES (?1, NULL, 0, 'Indonesia', 0) ON CONFLICT (code) DO UPDATE SET retired = 0")
            .bind(NATION_CODE)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        for batch in list.regions.chunks(ROWS_PER_INSERT) {
            let mut upsert =
                QueryBuilder::<Sqlite>::new("INSERT INTO region (code, parent, level, name, lat, lng, retired) ");
            upsert.push_values(batch, |mut row, region| {
                let parent = region
                    .code
                    .parent()
                    .map_or_else(|| NATION_CODE.to_owned(), String::from);
                let depth = i64::try_from(region.code.level().depth()).unwrap_or(4);
                row.push_bind(region.code.as_str().to_owned())
                    .push_bind(parent)
                    .push_bind(depth)
                    .push_bind(region.name.clone())
                    .push_bind(region.point.map(|p| p.0))
                    .push_bind(region.point.map(|p| p.1))
                    .push_bind(0);
            });
            upsert.push(
                " ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, level = excluded.level, name = excluded.name, \
                 lat = excluded.lat, lng = excluded.lng, retired = 0",
            );
            upsert.build().execute(&mut *tx).await.map_err(other)?;
        }
        write::rebuild(&mut tx).await?;
        set_meta(&mut tx, "regions_version", &list.version).await?;
        set_meta(&mut tx, "aggregates_version", &aggregates_version()).await?;
        self.commit_data_change(tx).await
    }

    async fn area(&self, code: &AreaCode, now: Month) -> Result<AreaView, StoreError> {
        let read::AreaRead {
            name,
            figures,
            breadcrumbs,
            rank,
            children,
        } = read::area(&self.reader, code, now).await?;
        Ok(AreaView {
            code: code.clone(),
            name,
            level: code.level(),
            breadcrumbs,
            figures,
            rank,
            children,
            data_as_of: self.data_as_of().await?,
            demo: self.is_demo().await?,
        })
    }

    async fn area_name(&self, code: &AreaCode) -> Result<String, StoreError> {
        read::name_of(&self.reader, code).await
    }

    async fn breakdowns(&self, code: &AreaCode, now: Month) -> Result<Vec<Breakdown>, StoreError> {
        read::breakdowns(&self.reader, code, now).await
    }

    async fn child_breakdowns(
        &self,
        parent: &AreaCode,
        now: Month,
    ) -> Result<Vec<(RegionCode, Vec<Breakdown>)>, StoreError> {
        read::child_breakdowns(&self.reader, parent, now).await
    }

    async fn trend(&self, code: &AreaCode, now: Month, months: i32) -> Result<Vec<TrendPoint>, StoreError> {
        read::trend(&self.reader, code, now, months).await
    }

    async fn descendants(&self, code: &AreaCode, level: Level, now: Month) -> Result<Vec<AreaChild>, StoreError> {
        read::descendants(&self.reader, code, level, now).await
    }

    async fn save_village_boundaries(
        &self,
        regency: &RegionCode,
        boundaries: &[VillageBoundary],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let imported_at = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .map_err(|e| StoreError::Other(e.into()))?;
        let mut tx = self.writer.begin().await.map_err(other)?;
        for boundary in boundaries {
            let district = boundary
                .code
                .parent()
                .ok_or_else(|| StoreError::Other(anyhow::anyhow!("a village code has a parent")))?;
            let polygons = serde_json::to_string(&boundary.polygons).map_err(|e| StoreError::Other(e.into()))?;
            sqlx::query(
                "INSERT INTO village_boundary (code, district, polygons, label_lng, label_lat, imported_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (code) DO UPDATE SET polygons = excluded.polygons, label_lng = excluded.label_lng, \
                   label_lat = excluded.label_lat, imported_at = excluded.imported_at",
            )
            .bind(boundary.code.as_str())
            .bind(district.as_str())
            .bind(polygons)
            .bind(boundary.label[0])
            .bind(boundary.label[1])
            .bind(&imported_at)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        }
        Audit {
            after: Some(serde_json::json!({ "villages": boundaries.len() })),
            ..Audit::of(
                "village_boundaries.upload",
                format!("regency/{regency}"),
                regency.as_str(),
            )
        }
        .write(&mut tx, actor)
        .await?;
        // Maps are served with the data version: a new boundary is new data.
        self.commit_data_change(tx).await
    }

    async fn village_boundaries(&self, district: &RegionCode) -> Result<Vec<VillageBoundary>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, polygons, label_lng, label_lat FROM village_boundary WHERE district = ?1 ORDER BY code",
        )
        .bind(district.as_str())
        .fetch_all(&self.reader)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|row| {
                let code =
                    RegionCode::parse(row.get("code")).map_err(|e| anyhow::anyhow!("stored region code: {e}"))?;
                let polygons =
                    serde_json::from_str(row.get("polygons")).map_err(|e| anyhow::anyhow!("stored boundary: {e}"))?;
                Ok(VillageBoundary {
                    code,
                    polygons,
                    label: [row.get("label_lng"), row.get("label_lat")],
                })
            })
            .collect()
    }

    async fn child_points(&self, parent: &RegionCode) -> Result<Vec<(RegionCode, (f64, f64))>, StoreError> {
        read::child_points(&self.reader, parent).await
    }

    async fn region_names(&self) -> Result<Vec<(RegionCode, String)>, StoreError> {
        read::region_names(&self.reader).await
    }

    fn data_version(&self) -> u64 {
        self.version.load(Ordering::Relaxed)
    }

    async fn data_facts(&self) -> Result<(OffsetDateTime, bool), StoreError> {
        Ok((self.data_as_of().await?, self.is_demo().await?))
    }

    async fn enrol(&self, enrolment: &NewEnrolment) -> Result<EnrolmentId, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        live_village(&mut tx, &enrolment.village).await?;
        let id = write::insert_enrolment(&mut tx, enrolment).await?;
        write::recount(&mut tx, None, Some(enrolment)).await?;
        self.commit_data_change(tx).await?;
        Ok(id)
    }

    async fn set_village_target(&self, village: &RegionCode, target: u32, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        live_village(&mut tx, village).await?;
        let old: i64 = sqlx::query_scalar("SELECT target FROM area_stats WHERE code = ?")
            .bind(village.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        let delta = i64::from(target) - old;
        for code in super::rollup::chain(village) {
            sqlx::query("UPDATE area_stats SET target = target + ? WHERE code = ?")
                .bind(delta)
                .bind(&code)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
        }
        sqlx::query(
            "INSERT INTO village_target (village, target, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (village) DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at",
        )
        .bind(village.as_str())
        .bind(i64::from(target))
        .bind(now_rfc3339()?)
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        refresh_target_until(&mut tx, village).await?;
        Audit {
            before: Some(serde_json::json!({ "target": old })),
            after: Some(serde_json::json!({ "target": target })),
            ..Audit::of("village.target", format!("village/{village}"), village.as_str())
        }
        .write(&mut tx, actor)
        .await?;
        self.commit_data_change(tx).await
    }

    #[tracing::instrument(skip_all, fields(rows = enrolments.len(), demo))]
    async fn bulk_enrol(&self, enrolments: &[NewEnrolment], demo: bool) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        write::insert_enrolments(&mut tx, enrolments).await?;
        write::rebuild(&mut tx).await?;
        set_meta(&mut tx, "demo", if demo { "true" } else { "false" }).await?;
        self.commit_data_change(tx).await
    }

    async fn enrolment_count(&self) -> Result<u64, StoreError> {
        self.count("enrolment").await
    }

    async fn rebuild_aggregates(&self) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        write::rebuild(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        self.bump_version();
        Ok(())
    }

    async fn health(&self) -> Result<Health, StoreError> {
        Ok(Health {
            status: "ok".to_owned(),
            regions_version: self.meta("regions_version").await?.unwrap_or_default(),
            demo: self.is_demo().await?,
        })
    }
}
