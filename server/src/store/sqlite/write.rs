//! Writes and the aggregates they keep: every change to an enrolment or a target updates its
//! village and every ancestor in the same transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures_util::TryStreamExt;
use pantau_core::premium::PremiumRules;
use pantau_core::{Month, RegionCode};
use sqlx::{QueryBuilder, Sqlite, Transaction};
use time::format_description::well_known::Iso8601;
use time::Date;

use super::{corrupt, now_rfc3339, other, parse_stored, signed, unsigned};
use crate::store::rollup::{self, Contribution, Counted, DEFAULT_VILLAGE_TARGET};
use crate::store::{EnrolmentId, NewEnrolment, StoreError};

/// SQLite allows 32,766 bound parameters per statement; batches (19 columns) stay below.
pub(super) const ROWS_PER_INSERT: usize = 1_000;

pub(super) type Tx<'a> = Transaction<'a, Sqlite>;

pub(super) async fn set_meta(tx: &mut Tx<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut **tx)
        .await
        .map_err(other)?;
    Ok(())
}

pub(super) async fn touch_data_as_of(tx: &mut Tx<'_>) -> Result<(), StoreError> {
    set_meta(tx, "data_as_of", &now_rfc3339()?).await
}

/// Adds `delta` to a counter of the bucket `key` in `table`, dropping rows that reach zero so
/// the tables stay small.
async fn bump(
    tx: &mut Tx<'_>,
    table: &str,
    key: &[&str],
    key_values: &[String],
    month: i32,
    counters: &[(&str, i64)],
) -> Result<(), StoreError> {
    let key_columns = key.join(", ");
    let names: Vec<&str> = counters.iter().map(|(name, _)| *name).collect();
    let placeholders = vec!["?"; key.len() + 1 + counters.len()].join(", ");
    let updates: Vec<String> = names.iter().map(|n| format!("{n} = {n} + excluded.{n}")).collect();
    let upsert = format!(
        "INSERT INTO {table} ({key_columns}, month, {}) VALUES ({placeholders}) ON CONFLICT ({key_columns}, month) DO UPDATE SET {}",
        names.join(", "),
        updates.join(", ")
    );
    let mut query = sqlx::query(&upsert);
    for value in key_values {
        query = query.bind(value);
    }
    query = query.bind(month);
    for (_, delta) in counters {
        query = query.bind(delta);
    }
    query.execute(&mut **tx).await.map_err(other)?;
    if counters.iter().any(|(_, d)| *d < 0) {
        let filter: Vec<String> = key.iter().map(|k| format!("{k} = ?")).collect();
        let prune = format!(
            "DELETE FROM {table} WHERE {} AND month = ? AND {} = 0",
            filter.join(" AND "),
            names[0]
        );
        let mut query = sqlx::query(&prune);
        for value in key_values {
            query = query.bind(value);
        }
        query.bind(month).execute(&mut **tx).await.map_err(other)?;
    }
    Ok(())
}

/// The summed contributions of any number of enrolments added or removed, written with one
/// statement per bucket: a single edit and a 100,000-row import take the same path.
#[derive(Default)]
pub(super) struct Deltas {
    /// `(enrolled, verified)` by area.
    stats: HashMap<String, (i64, i64)>,
    /// `(workers, premium)` by area and last paid month.
    paid_through: HashMap<(String, i32), (i64, i64)>,
    /// Workers by area and first month.
    starts: HashMap<(String, i32), i64>,
    /// Workers by area, dimension, category and last paid month.
    breakdown: HashMap<(String, &'static str, String, i32), i64>,
    /// Villages whose date of reaching the target must be recomputed.
    villages: BTreeSet<RegionCode>,
}

impl Deltas {
    /// Adds (`sign` = 1) or removes (-1) one enrolment's contribution to every area of its chain.
    pub(super) fn add(&mut self, enrolment: &NewEnrolment, rules: &PremiumRules, sign: i64) {
        let c = Contribution::of(&enrolment.into(), rules);
        for code in rollup::chain(&enrolment.village) {
            let stats = self.stats.entry(code.clone()).or_default();
            stats.0 += sign;
            stats.1 += sign * c.verified;
            let paid = self.paid_through.entry((code.clone(), c.paid_through)).or_default();
            paid.0 += sign;
            paid.1 += sign * signed(c.premium);
            *self.starts.entry((code.clone(), c.start)).or_default() += sign;
            for (dimension, value) in &c.categories {
                *self
                    .breakdown
                    .entry((code.clone(), *dimension, value.clone(), c.paid_through))
                    .or_default() += sign;
            }
        }
        self.villages.insert(enrolment.village.clone());
    }

    /// Writes the sums inside `tx` (buckets that cancel out are skipped), then moves each
    /// touched village between its ancestors' at-target buckets where that changed.
    pub(super) async fn write(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        for (code, (enrolled, verified)) in self.stats {
            if enrolled == 0 && verified == 0 {
                continue;
            }
            sqlx::query("UPDATE area_stats SET enrolled = enrolled + ?, verified = verified + ? WHERE code = ?")
                .bind(enrolled)
                .bind(verified)
                .bind(&code)
                .execute(&mut **tx)
                .await
                .map_err(other)?;
        }
        for ((code, month), (workers, premium)) in self.paid_through {
            if workers == 0 && premium == 0 {
                continue;
            }
            let counters = [("workers", workers), ("premium", premium)];
            bump(tx, "area_paid_through", &["code"], &[code], month, &counters).await?;
        }
        for ((code, month), workers) in self.starts {
            if workers != 0 {
                bump(tx, "area_start", &["code"], &[code], month, &[("workers", workers)]).await?;
            }
        }
        for ((code, dimension, value, month), workers) in self.breakdown {
            if workers != 0 {
                let key = [code, dimension.to_owned(), value];
                let columns = ["code", "dimension", "value"];
                bump(tx, "area_breakdown", &columns, &key, month, &[("workers", workers)]).await?;
            }
        }
        for village in &self.villages {
            refresh_target_until(tx, village).await?;
        }
        Ok(())
    }
}

/// Removes the old record's contribution to the figures and adds the new one's (either may
/// be absent: a new enrolment, one that stops counting). The caller commits it as a data
/// change.
pub(super) async fn recount(
    tx: &mut Tx<'_>,
    old: Option<&NewEnrolment>,
    new: Option<&NewEnrolment>,
) -> Result<(), StoreError> {
    let rules = PremiumRules::default();
    let mut deltas = Deltas::default();
    if let Some(old) = old {
        deltas.add(old, &rules, -1);
    }
    if let Some(new) = new {
        deltas.add(new, &rules, 1);
    }
    deltas.write(tx).await
}

/// Recomputes when the village stops being at target and moves it between its ancestors'
/// buckets if that changed.
pub(super) async fn refresh_target_until(tx: &mut Tx<'_>, village: &RegionCode) -> Result<(), StoreError> {
    let (target, old): (i64, Option<i32>) =
        sqlx::query_as("SELECT target, target_until FROM area_stats WHERE code = ?")
            .bind(village.as_str())
            .fetch_one(&mut **tx)
            .await
            .map_err(other)?;
    let buckets: Vec<(i32, i64)> = sqlx::query_as("SELECT month, workers FROM area_paid_through WHERE code = ?")
        .bind(village.as_str())
        .fetch_all(&mut **tx)
        .await
        .map_err(other)?;
    let buckets: BTreeMap<i32, u64> = buckets.into_iter().map(|(m, w)| (m, unsigned(w))).collect();
    let new = rollup::target_until(unsigned(target), &buckets);
    if new == old {
        return Ok(());
    }
    for code in rollup::chain(village) {
        let key = [code];
        if let Some(month) = old {
            bump(tx, "area_target_until", &["code"], &key, month, &[("villages", -1)]).await?;
        }
        if let Some(month) = new {
            bump(tx, "area_target_until", &["code"], &key, month, &[("villages", 1)]).await?;
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

/// Fails with `NotFound` unless `village` is a current village code.
pub(super) async fn live_village(tx: &mut Tx<'_>, village: &RegionCode) -> Result<(), StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT level FROM region WHERE code = ? AND retired = 0")
        .bind(village.as_str())
        .fetch_optional(&mut **tx)
        .await
        .map_err(other)?;
    match found {
        Some(4) => Ok(()),
        _ => Err(StoreError::NotFound),
    }
}

/// Stores one enrolment; its id.
pub(super) async fn insert_enrolment(tx: &mut Tx<'_>, enrolment: &NewEnrolment) -> Result<EnrolmentId, StoreError> {
    insert_enrolments(tx, std::slice::from_ref(enrolment)).await?;
    let id: i64 = sqlx::query_scalar("SELECT last_insert_rowid()")
        .fetch_one(&mut **tx)
        .await
        .map_err(other)?;
    Ok(EnrolmentId(id))
}

pub(super) async fn insert_enrolments(tx: &mut Tx<'_>, enrolments: &[NewEnrolment]) -> Result<(), StoreError> {
    let created_at = now_rfc3339()?;
    for batch in enrolments.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO enrolment (nik, village, full_name, birth_date, sex, segment, program, income, funding, start_month, paid_through, created_at, \
             status, phone, address, occupation_other, sponsor, membership_number, consent_version) ",
        );
        insert.push_values(batch, |mut row, e| {
            row.push_bind(e.nik.expose_digits().to_owned())
                .push_bind(e.village.as_str().to_owned())
                .push_bind(e.full_name.clone())
                .push_bind(e.birth_date.to_string())
                .push_bind(e.sex.as_str())
                .push_bind(e.segment.as_str())
                .push_bind(e.program.as_str())
                .push_bind(signed(e.income))
                .push_bind(e.funding.as_str())
                .push_bind(e.start.index())
                .push_bind(e.paid_through.index())
                .push_bind(created_at.clone())
                .push_bind(e.status.as_str())
                .push_bind(e.particulars.phone.clone())
                .push_bind(e.particulars.address.clone())
                .push_bind(e.particulars.occupation_other.clone())
                .push_bind(e.particulars.sponsor.clone())
                .push_bind(e.particulars.membership_number.clone())
                .push_bind(e.particulars.consent_version.clone());
        });
        insert
            .build()
            .execute(&mut **tx)
            .await
            .map_err(super::map_write_error)?;
    }
    Ok(())
}

/// The columns of an enrolment that [`rebuild`] reads: its village and what [`Counted`] holds.
type CountedRow = (String, i32, i32, String, i64, bool, String, String, String, String);

/// Per-area sums collected by [`rebuild`].
#[derive(Default)]
struct Sums {
    target: u64,
    enrolled: u64,
    verified: u64,
    villages: u64,
    target_until: Option<i32>,
    paid_through: BTreeMap<i32, (u64, u64)>,
    starts: BTreeMap<i32, u64>,
    at_target_until: BTreeMap<i32, u64>,
}

/// Recomputes every aggregate table from regions, targets and enrolments, in Rust, inside `tx`.
pub(super) async fn rebuild(tx: &mut Tx<'_>) -> Result<(), StoreError> {
    let areas: Vec<String> = sqlx::query_scalar("SELECT code FROM region")
        .fetch_all(&mut **tx)
        .await
        .map_err(other)?;
    let index: HashMap<String, usize> = areas.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
    let mut sums: Vec<Sums> = areas.iter().map(|_| Sums::default()).collect();
    let mut breakdown: HashMap<(usize, &'static str, String, i32), u64> = HashMap::new();

    let village_rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT r.code, t.target FROM region r LEFT JOIN village_target t ON t.village = r.code WHERE r.level = 4",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(other)?;
    // For each village, the indices of the areas it counts towards, and its target.
    let mut chains: HashMap<String, (Vec<usize>, u64)> = HashMap::with_capacity(village_rows.len());
    for (code, village_target) in village_rows {
        let parsed =
            RegionCode::parse(&code).map_err(|e| StoreError::Other(anyhow::anyhow!("stored region code: {e}")))?;
        let chain: Vec<usize> = rollup::chain(&parsed)
            .iter()
            .filter_map(|c| index.get(c).copied())
            .collect();
        let village_target = village_target.map_or(DEFAULT_VILLAGE_TARGET, unsigned);
        for &i in &chain {
            sums[i].villages += 1;
            sums[i].target += village_target;
        }
        chains.insert(code, (chain, village_target));
    }

    let rules = PremiumRules::default();
    let mut rows = sqlx::query_as::<_, CountedRow>(
        "SELECT village, start_month, paid_through, program, income, status = 'verified', segment, funding, sex, \
         birth_date FROM enrolment WHERE deactivated = 0 AND status <> 'rejected'",
    )
    .fetch(&mut **tx);
    while let Some((village, start, paid_through, program, income, verified, segment, funding, sex, birth_date)) =
        rows.try_next().await.map_err(other)?
    {
        let Some((chain, _)) = chains.get(&village) else {
            continue;
        };
        let counted = Counted {
            start: Month::from_index(start),
            paid_through: Month::from_index(paid_through),
            program: parse_stored(&program)?,
            income: unsigned(income),
            verified,
            segment: parse_stored(&segment)?,
            funding: parse_stored(&funding)?,
            sex: parse_stored(&sex)?,
            birth_year: Date::parse(&birth_date, &Iso8601::DATE)
                .map_err(|_| corrupt("birth date"))?
                .year(),
        };
        let c = Contribution::of(&counted, &rules);
        for &i in chain {
            let s = &mut sums[i];
            s.enrolled += 1;
            s.verified += unsigned(c.verified);
            let bucket = s.paid_through.entry(c.paid_through).or_default();
            bucket.0 += 1;
            bucket.1 += c.premium;
            *s.starts.entry(c.start).or_default() += 1;
            for (dimension, value) in &c.categories {
                *breakdown
                    .entry((i, dimension, value.clone(), c.paid_through))
                    .or_default() += 1;
            }
        }
    }
    drop(rows);

    for (chain, village_target) in chains.values() {
        let Some(&own) = chain.last() else { continue };
        let workers: BTreeMap<i32, u64> = sums[own].paid_through.iter().map(|(&m, &(w, _))| (m, w)).collect();
        let until = rollup::target_until(*village_target, &workers);
        sums[own].target_until = until;
        if let Some(month) = until {
            for &i in chain {
                *sums[i].at_target_until.entry(month).or_default() += 1;
            }
        }
    }

    for table in [
        "area_stats",
        "area_paid_through",
        "area_target_until",
        "area_start",
        "area_breakdown",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut **tx)
            .await
            .map_err(other)?;
    }
    let all: Vec<usize> = (0..areas.len()).collect();
    for batch in all.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new(
            "INSERT INTO area_stats (code, target, enrolled, verified, villages, target_until) ",
        );
        insert.push_values(batch, |mut row, &i| {
            let s = &sums[i];
            row.push_bind(areas[i].clone())
                .push_bind(signed(s.target))
                .push_bind(signed(s.enrolled))
                .push_bind(signed(s.verified))
                .push_bind(signed(s.villages))
                .push_bind(s.target_until);
        });
        insert.build().execute(&mut **tx).await.map_err(other)?;
    }
    let paid: Vec<(usize, i32, u64, u64)> = sums
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.paid_through.iter().map(move |(&m, &(w, p))| (i, m, w, p)))
        .collect();
    for batch in paid.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Sqlite>::new("INSERT INTO area_paid_through (code, month, workers, premium) ");
        insert.push_values(batch, |mut row, &(i, m, w, p)| {
            row.push_bind(areas[i].clone())
                .push_bind(m)
                .push_bind(signed(w))
                .push_bind(signed(p));
        });
        insert.build().execute(&mut **tx).await.map_err(other)?;
    }
    for (table, column, pick) in [
        (
            "area_start",
            "workers",
            (|s: &Sums| &s.starts) as fn(&Sums) -> &BTreeMap<i32, u64>,
        ),
        ("area_target_until", "villages", |s: &Sums| &s.at_target_until),
    ] {
        let rows: Vec<(usize, i32, u64)> = sums
            .iter()
            .enumerate()
            .flat_map(|(i, s)| pick(s).iter().map(move |(&m, &n)| (i, m, n)))
            .collect();
        for batch in rows.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} (code, month, {column}) "));
            insert.push_values(batch, |mut row, &(i, m, n)| {
                row.push_bind(areas[i].clone()).push_bind(m).push_bind(signed(n));
            });
            insert.build().execute(&mut **tx).await.map_err(other)?;
        }
    }
    let breakdown: Vec<_> = breakdown.into_iter().collect();
    for batch in breakdown.chunks(ROWS_PER_INSERT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO area_breakdown (code, dimension, value, month, workers) ");
        insert.push_values(batch, |mut row, ((i, dimension, value, month), n)| {
            row.push_bind(areas[*i].clone())
                .push_bind(*dimension)
                .push_bind(value.clone())
                .push_bind(*month)
                .push_bind(signed(*n));
        });
        insert.build().execute(&mut **tx).await.map_err(other)?;
    }
    Ok(())
}
