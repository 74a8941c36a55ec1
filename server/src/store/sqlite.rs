//! The embedded SQLite store: zero set-up, one file. Writes go through a single-connection
//! pool (SQLite has one writer at a time; queueing in the pool avoids lock-upgrade deadlocks),
//! reads through a pool of WAL readers.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use pantau_core::api::{AreaChild, AreaView, Crumb, Figures, Health};
use pantau_core::coverage::progress_pct;
use pantau_core::region::NATION_CODE;
use pantau_core::{AreaCode, Level, Month, RegionCode};
use serde::Serialize;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, Transaction};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::rollup::{self, DEFAULT_VILLAGE_TARGET};
use super::{EnrolmentId, NewEnrolment, RegionList, Store, StoreError};

/// SQLite allows 32,766 bound parameters per statement; batches stay well below.
const ROWS_PER_INSERT: usize = 1_000;

/// SQLite-backed [`Store`].
#[derive(Clone)]
pub struct SqliteStore {
    reader: SqlitePool,
    writer: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and applies migrations.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .with_context(|| format!("database path {} is not usable", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
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
        Ok(Self { reader, writer })
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let value = sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        Ok(value)
    }

    async fn figures_of(
        &self,
        sql_filter: &str,
        bind: &str,
        now: Month,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        let sql = format!(
            "SELECT r.code, r.name, r.level, s.target, s.enrolled, s.villages, \
               (SELECT COALESCE(SUM(workers), 0) FROM area_paid_through p WHERE p.code = r.code AND p.month >= ?2) AS active, \
               (SELECT COALESCE(SUM(villages), 0) FROM area_target_until t WHERE t.code = r.code AND t.month >= ?2) AS at_target \
             FROM region r JOIN area_stats s ON s.code = r.code WHERE {sql_filter} ORDER BY r.code"
        );
        sqlx::query(&sql)
            .bind(bind)
            .bind(now.index())
            .fetch_all(&self.reader)
            .await
            .map_err(other)
    }
}

fn other(err: sqlx::Error) -> StoreError {
    StoreError::Other(err.into())
}

fn map_write_error(err: sqlx::Error) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
        _ => other(err),
    }
}

/// The serde name of a unit enum variant (`dana_desa`), as stored in text columns.
fn wire<T: Serialize>(value: &T) -> anyhow::Result<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        _ => anyhow::bail!("not a unit variant"),
    }
}

fn level_of(depth: i64) -> Level {
    match depth {
        0 => Level::Nation,
        1 => Level::Province,
        2 => Level::Regency,
        3 => Level::District,
        _ => Level::Village,
    }
}

fn figures(row: &SqliteRow) -> Figures {
    let count = |name: &str| u64::try_from(row.get::<i64, _>(name)).unwrap_or(0);
    let (target, active) = (count("target"), count("active"));
    Figures {
        target,
        enrolled: count("enrolled"),
        active,
        progress_pct: progress_pct(active, target),
        villages: count("villages"),
        villages_at_target: count("at_target"),
    }
}

fn now_rfc3339() -> anyhow::Result<String> {
    Ok(OffsetDateTime::now_utc()
        .replace_nanosecond(0)?
        .format(&Rfc3339)?)
}

async fn set_meta(
    tx: &mut Transaction<'_, Sqlite>,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

async fn touch_data_as_of(tx: &mut Transaction<'_, Sqlite>) -> Result<(), StoreError> {
    set_meta(tx, "data_as_of", &now_rfc3339()?).await
}

/// Adds `delta` to a bucket row of `table` (`area_paid_through` or `area_target_until`),
/// dropping the row when it reaches zero so the tables stay small.
async fn bump_bucket(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    column: &str,
    code: &str,
    month: i32,
    delta: i64,
) -> Result<(), StoreError> {
    let upsert = format!(
        "INSERT INTO {table} (code, month, {column}) VALUES (?1, ?2, ?3) \
         ON CONFLICT (code, month) DO UPDATE SET {column} = {column} + excluded.{column}"
    );
    sqlx::query(&upsert)
        .bind(code)
        .bind(month)
        .bind(delta)
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    let prune = format!("DELETE FROM {table} WHERE code = ?1 AND month = ?2 AND {column} = 0");
    sqlx::query(&prune)
        .bind(code)
        .bind(month)
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

/// Recomputes when the village stops being at target and moves it between its ancestors'
/// buckets if that changed.
async fn refresh_target_until(
    tx: &mut Transaction<'_, Sqlite>,
    village: &RegionCode,
) -> Result<(), StoreError> {
    let (target, old): (i64, Option<i32>) =
        sqlx::query_as("SELECT target, target_until FROM area_stats WHERE code = ?")
            .bind(village.as_str())
            .fetch_one(&mut **tx)
            .await
            .map_err(other)?;
    let buckets: Vec<(i32, i64)> =
        sqlx::query_as("SELECT month, workers FROM area_paid_through WHERE code = ?")
            .bind(village.as_str())
            .fetch_all(&mut **tx)
            .await
            .map_err(other)?;
    let buckets: BTreeMap<i32, u64> = buckets
        .into_iter()
        .map(|(m, w)| (m, w.max(0).unsigned_abs()))
        .collect();
    let new = rollup::target_until(target.max(0).unsigned_abs(), &buckets);
    if new == old {
        return Ok(());
    }
    for code in rollup::chain(village) {
        if let Some(month) = old {
            bump_bucket(tx, "area_target_until", "villages", &code, month, -1).await?;
        }
        if let Some(month) = new {
            bump_bucket(tx, "area_target_until", "villages", &code, month, 1).await?;
        }
    }
    sqlx::query("UPDATE area_stats SET target_until = ? WHERE code = ?")
        .bind(new)
        .bind(village.as_str())
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

async fn live_village(
    tx: &mut Transaction<'_, Sqlite>,
    village: &RegionCode,
) -> Result<(), StoreError> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT level FROM region WHERE code = ? AND retired = 0")
            .bind(village.as_str())
            .fetch_optional(&mut **tx)
            .await
            .map_err(other)?;
    match found {
        Some(4) => Ok(()),
        _ => Err(StoreError::NotFound),
    }
}

async fn insert_enrolments(
    tx: &mut Transaction<'_, Sqlite>,
    enrolments: &[NewEnrolment],
) -> Result<(), StoreError> {
    let created_at = now_rfc3339()?;
    for batch in enrolments.chunks(ROWS_PER_INSERT) {
        let mut rows = Vec::with_capacity(batch.len());
        for e in batch {
            rows.push((
                e,
                wire(&e.sex)?,
                wire(&e.segment)?,
                wire(&e.program)?,
                wire(&e.funding)?,
                e.birth_date.to_string(),
            ));
        }
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO enrolment (nik, village, full_name, birth_date, sex, segment, program, income, funding, start_month, paid_through, created_at) ",
        );
        insert.push_values(
            rows,
            |mut row, (e, sex, segment, program, funding, birth_date)| {
                row.push_bind(e.nik.expose_digits().to_owned())
                    .push_bind(e.village.as_str().to_owned())
                    .push_bind(e.full_name.clone())
                    .push_bind(birth_date)
                    .push_bind(sex)
                    .push_bind(segment)
                    .push_bind(program)
                    .push_bind(i64::try_from(e.income).unwrap_or(i64::MAX))
                    .push_bind(funding)
                    .push_bind(e.start.index())
                    .push_bind(e.paid_through.index())
                    .push_bind(created_at.clone());
            },
        );
        insert
            .build()
            .execute(&mut **tx)
            .await
            .map_err(map_write_error)?;
    }
    Ok(())
}

/// Recomputes every aggregate table from regions, targets and enrolments, in Rust, inside `tx`.
async fn rebuild(tx: &mut Transaction<'_, Sqlite>) -> Result<(), StoreError> {
    let areas: Vec<String> = sqlx::query_scalar("SELECT code FROM region")
        .fetch_all(&mut **tx)
        .await
        .map_err(other)?;
    let index: HashMap<String, usize> = areas
        .iter()
        .enumerate()
        .map(|(i, c)| (c.clone(), i))
        .collect();
    let mut target = vec![0u64; areas.len()];
    let mut enrolled = vec![0u64; areas.len()];
    let mut villages = vec![0u64; areas.len()];
    let mut paid_through: Vec<BTreeMap<i32, u64>> = vec![BTreeMap::new(); areas.len()];

    let village_rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT r.code, t.target FROM region r LEFT JOIN village_target t ON t.village = r.code WHERE r.level = 4",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(other)?;
    // For each village, the indices of the areas it counts towards.
    let mut chains: HashMap<String, (Vec<usize>, u64)> = HashMap::with_capacity(village_rows.len());
    for (code, village_target) in village_rows {
        let parsed = RegionCode::parse(&code)
            .map_err(|e| StoreError::Other(anyhow::anyhow!("stored region code: {e}")))?;
        let chain: Vec<usize> = rollup::chain(&parsed)
            .iter()
            .filter_map(|c| index.get(c).copied())
            .collect();
        let village_target =
            village_target.map_or(DEFAULT_VILLAGE_TARGET, |t| t.max(0).unsigned_abs());
        for &i in &chain {
            villages[i] += 1;
            target[i] += village_target;
        }
        chains.insert(code, (chain, village_target));
    }

    let mut enrolments = sqlx::query_as::<_, (String, i32)>(
        "SELECT village, paid_through FROM enrolment WHERE deactivated = 0",
    )
    .fetch(&mut **tx);
    use futures_util::TryStreamExt;
    while let Some((village, month)) = enrolments.try_next().await.map_err(other)? {
        if let Some((chain, _)) = chains.get(&village) {
            for &i in chain {
                enrolled[i] += 1;
                *paid_through[i].entry(month).or_default() += 1;
            }
        }
    }
    drop(enrolments);

    let mut target_until_of_village: Vec<Option<i32>> = vec![None; areas.len()];
    let mut target_until: Vec<BTreeMap<i32, u64>> = vec![BTreeMap::new(); areas.len()];
    for (chain, village_target) in chains.values() {
        let Some(&own) = chain.last() else { continue };
        let until = rollup::target_until(*village_target, &paid_through[own]);
        target_until_of_village[own] = until;
        if let Some(month) = until {
            for &i in chain {
                *target_until[i].entry(month).or_default() += 1;
            }
        }
    }

    for table in ["area_stats", "area_paid_through", "area_target_until"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut **tx)
            .await
            .map_err(other)?;
    }
    let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    for batch in (0..areas.len()).collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO area_stats (code, target, enrolled, villages, target_until) ",
        );
        insert.push_values(batch, |mut row, &i| {
            row.push_bind(areas[i].clone())
                .push_bind(signed(target[i]))
                .push_bind(signed(enrolled[i]))
                .push_bind(signed(villages[i]))
                .push_bind(target_until_of_village[i]);
        });
        insert.build().execute(&mut **tx).await.map_err(other)?;
    }
    for (table, column, buckets) in [
        ("area_paid_through", "workers", &paid_through),
        ("area_target_until", "villages", &target_until),
    ] {
        let rows: Vec<(usize, i32, u64)> = buckets
            .iter()
            .enumerate()
            .flat_map(|(i, b)| b.iter().map(move |(&m, &n)| (i, m, n)))
            .collect();
        for batch in rows.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO {table} (code, month, {column}) "
            ));
            insert.push_values(batch, |mut row, &(i, month, n)| {
                row.push_bind(areas[i].clone())
                    .push_bind(month)
                    .push_bind(signed(n));
            });
            insert.build().execute(&mut **tx).await.map_err(other)?;
        }
    }
    Ok(())
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
        sqlx::query(
            "INSERT INTO region (code, parent, level, name, retired) VALUES (?1, NULL, 0, 'Indonesia', 0) \
             ON CONFLICT (code) DO UPDATE SET retired = 0",
        )
        .bind(NATION_CODE)
        .execute(&mut *tx)
        .await
        .map_err(other)?;
        for batch in list.regions.chunks(ROWS_PER_INSERT) {
            let mut upsert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO region (code, parent, level, name, lat, lng, retired) ",
            );
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
        rebuild(&mut tx).await?;
        set_meta(&mut tx, "regions_version", &list.version).await?;
        touch_data_as_of(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        Ok(())
    }

    async fn area(&self, code: &AreaCode, now: Month) -> Result<AreaView, StoreError> {
        let own = self.figures_of("r.code = ?1", code.as_str(), now).await?;
        let own = own.first().ok_or(StoreError::NotFound)?;
        let children = self
            .figures_of(
                "r.parent = ?1 AND (r.retired = 0 OR s.enrolled > 0)",
                code.as_str(),
                now,
            )
            .await?
            .iter()
            .map(|row| {
                let code = RegionCode::parse(row.get("code"))
                    .map_err(|e| anyhow::anyhow!("stored region code: {e}"))?;
                Ok(AreaChild {
                    code,
                    name: row.get("name"),
                    level: level_of(row.get("level")),
                    figures: figures(row),
                })
            })
            .collect::<Result<Vec<_>, anyhow::Error>>()?;

        let mut breadcrumbs = Vec::new();
        let mut up = code.parent();
        while let Some(area) = up {
            let name: String = sqlx::query_scalar("SELECT name FROM region WHERE code = ?")
                .bind(area.as_str())
                .fetch_one(&self.reader)
                .await
                .map_err(other)?;
            up = area.parent();
            breadcrumbs.push(Crumb {
                level: area.level(),
                code: area,
                name,
            });
        }
        breadcrumbs.reverse();

        let data_as_of = match self.meta("data_as_of").await? {
            Some(raw) => OffsetDateTime::parse(&raw, &Rfc3339)
                .map_err(|e| anyhow::anyhow!("stored data_as_of: {e}"))?,
            None => OffsetDateTime::UNIX_EPOCH,
        };
        Ok(AreaView {
            code: code.clone(),
            name: own.get("name"),
            level: code.level(),
            breadcrumbs,
            figures: figures(own),
            children,
            data_as_of,
            demo: self.meta("demo").await?.as_deref() == Some("true"),
        })
    }

    async fn enrol(&self, enrolment: &NewEnrolment) -> Result<EnrolmentId, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        live_village(&mut tx, &enrolment.village).await?;
        insert_enrolments(&mut tx, std::slice::from_ref(enrolment)).await?;
        let id: i64 = sqlx::query_scalar("SELECT last_insert_rowid()")
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        for code in rollup::chain(&enrolment.village) {
            sqlx::query("UPDATE area_stats SET enrolled = enrolled + 1 WHERE code = ?")
                .bind(&code)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
            bump_bucket(
                &mut tx,
                "area_paid_through",
                "workers",
                &code,
                enrolment.paid_through.index(),
                1,
            )
            .await?;
        }
        refresh_target_until(&mut tx, &enrolment.village).await?;
        touch_data_as_of(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        Ok(EnrolmentId(id))
    }

    async fn set_village_target(
        &self,
        village: &RegionCode,
        target: u32,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        live_village(&mut tx, village).await?;
        let old: i64 = sqlx::query_scalar("SELECT target FROM area_stats WHERE code = ?")
            .bind(village.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        let delta = i64::from(target) - old;
        for code in rollup::chain(village) {
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
        touch_data_as_of(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(rows = enrolments.len(), demo))]
    async fn bulk_enrol(&self, enrolments: &[NewEnrolment], demo: bool) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        insert_enrolments(&mut tx, enrolments).await?;
        rebuild(&mut tx).await?;
        set_meta(&mut tx, "demo", if demo { "true" } else { "false" }).await?;
        touch_data_as_of(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        Ok(())
    }

    async fn enrolment_count(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM enrolment")
            .fetch_one(&self.reader)
            .await
            .map_err(other)?;
        Ok(n.max(0).unsigned_abs())
    }

    async fn rebuild_aggregates(&self) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        rebuild(&mut tx).await?;
        tx.commit().await.map_err(other)?;
        Ok(())
    }

    async fn health(&self) -> Result<Health, StoreError> {
        Ok(Health {
            status: "ok".to_owned(),
            regions_version: self.meta("regions_version").await?.unwrap_or_default(),
            demo: self.meta("demo").await?.as_deref() == Some("true"),
        })
    }
}
