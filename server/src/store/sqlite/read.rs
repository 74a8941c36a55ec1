//! Reads. Every area read touches only the aggregate tables: its cost does not grow with
//! the number of enrolments.

use std::collections::{BTreeMap, HashMap};

use pantau_core::api::{AreaChild, Crumb, Figures, Rank, TrendPoint};
use pantau_core::breakdown::{premium_hidden_alone, premiums_to_hide};
use pantau_core::coverage::progress_pct;
use pantau_core::{AreaCode, Breakdown, BreakdownRow, Dimension, Level, Month, RegionCode};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

use super::{other, unsigned};
use crate::store::rollup::{self, stored_dimension};
use crate::store::StoreError;

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
    let count = |name: &str| unsigned(row.get::<i64, _>(name));
    let (target, active) = (count("target"), count("active"));
    Figures {
        target,
        enrolled: count("enrolled"),
        verified: count("verified"),
        active,
        progress_pct: progress_pct(active, target),
        villages: count("villages"),
        villages_at_target: count("at_target"),
        premium_per_year: Some(count("premium") * 12),
    }
}

/// Areas matching `filter` (with `?1` bound to `bind`) with their figures as of `now`.
async fn figures_of(pool: &SqlitePool, filter: &str, bind: &str, now: Month) -> Result<Vec<SqliteRow>, StoreError> {
    let sql = format!(
        "SELECT r.code, r.name, r.level, s.target, s.enrolled, s.verified, s.villages, \
           (SELECT COALESCE(SUM(workers), 0) FROM area_paid_through p WHERE p.code = r.code AND p.month >= ?2) AS active, \
           (SELECT COALESCE(SUM(premium), 0) FROM area_paid_through p WHERE p.code = r.code AND p.month >= ?2) AS premium, \
           (SELECT COALESCE(SUM(villages), 0) FROM area_target_until t WHERE t.code = r.code AND t.month >= ?2) AS at_target \
         FROM region r JOIN area_stats s ON s.code = r.code WHERE {filter} ORDER BY r.code"
    );
    sqlx::query(&sql)
        .bind(bind)
        .bind(now.index())
        .fetch_all(pool)
        .await
        .map_err(other)
}

/// Children of `parent` as listed on its page: current regions, plus retired ones that still
/// hold enrolments.
async fn children_of(pool: &SqlitePool, parent: &AreaCode, now: Month) -> Result<Vec<AreaChild>, StoreError> {
    let rows = figures_of(
        pool,
        "r.parent = ?1 AND (r.retired = 0 OR s.enrolled > 0)",
        parent.as_str(),
        now,
    )
    .await?;
    listed(&rows)
}

/// Every area of `level` inside `code`, listed like children.
pub async fn descendants(
    pool: &SqlitePool,
    code: &AreaCode,
    level: Level,
    now: Month,
) -> Result<Vec<AreaChild>, StoreError> {
    let within = match code {
        AreaCode::Nation => "%".to_owned(),
        AreaCode::Region(region) => format!("{region}.%"),
    };
    let (hidden, _) = premium_hidden(pool, code, now).await?;
    // Each level between decides its premiums under its parents' decisions.
    let mut parents_hidden: HashMap<String, bool> = HashMap::from([(code.as_str().to_owned(), hidden)]);
    let mut areas = Vec::new();
    for depth in code.level().depth() + 1..=level.depth() {
        let filter = format!("r.level = {depth} AND r.code LIKE ?1 AND (r.retired = 0 OR s.enrolled > 0)");
        areas = listed(&figures_of(pool, &filter, &within, now).await?)?;
        let mut by_parent: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, area) in areas.iter().enumerate() {
            let parent = AreaCode::Region(area.code.clone()).parent().unwrap_or(AreaCode::Nation);
            by_parent.entry(parent.as_str().to_owned()).or_default().push(i);
        }
        let mut decided = HashMap::new();
        for (parent, members) in by_parent {
            let parent_hidden = parents_hidden.get(&parent).copied().unwrap_or(true);
            let actives: Vec<u64> = members.iter().map(|&i| areas[i].figures.active).collect();
            for (&i, hide) in members.iter().zip(premiums_to_hide(&actives, parent_hidden)) {
                if hide {
                    areas[i].figures.premium_per_year = None;
                }
                decided.insert(areas[i].code.as_str().to_owned(), hide);
            }
        }
        parents_hidden = decided;
    }
    Ok(areas)
}

fn listed(rows: &[SqliteRow]) -> Result<Vec<AreaChild>, StoreError> {
    rows.iter()
        .map(|row| {
            let code = RegionCode::parse(row.get("code")).map_err(|e| anyhow::anyhow!("stored region code: {e}"))?;
            Ok(AreaChild {
                code,
                name: row.get("name"),
                level: level_of(row.get("level")),
                figures: figures(row),
            })
        })
        .collect()
}

/// Label points of the current children of `parent` that have one.
pub async fn child_points(pool: &SqlitePool, parent: &RegionCode) -> Result<Vec<(RegionCode, (f64, f64))>, StoreError> {
    let rows = sqlx::query(
        "SELECT code, lat, lng FROM region WHERE parent = ?1 AND retired = 0 AND lat IS NOT NULL AND lng IS NOT NULL ORDER BY code",
    )
    .bind(parent.as_str())
    .fetch_all(pool)
    .await
    .map_err(other)?;
    rows.iter()
        .map(|row| {
            let code = RegionCode::parse(row.get("code")).map_err(|e| anyhow::anyhow!("stored region code: {e}"))?;
            Ok((code, (row.get("lat"), row.get("lng"))))
        })
        .collect()
}

/// 1-based position of `code` among `siblings` by progress, ties sharing the better place.
fn rank_among(code: &AreaCode, siblings: &[AreaChild]) -> Option<Rank> {
    let own = siblings
        .iter()
        .find(|s| s.code.as_str() == code.as_str())?
        .figures
        .progress_pct;
    let better = siblings.iter().filter(|s| s.figures.progress_pct > own).count() as u64;
    Some(Rank {
        position: better + 1,
        of: siblings.len() as u64,
    })
}

/// An area's own figures and surroundings, as read from the aggregates.
pub(super) struct AreaRead {
    pub name: String,
    pub figures: Figures,
    pub breadcrumbs: Vec<Crumb>,
    pub rank: Option<Rank>,
    pub children: Vec<AreaChild>,
}

/// Hides the premiums of `siblings` that [`premiums_to_hide`] names; returns the decisions.
fn hide_premiums(siblings: &mut [AreaChild], parent_hidden: bool) -> Vec<bool> {
    let actives: Vec<u64> = siblings.iter().map(|s| s.figures.active).collect();
    let hidden = premiums_to_hide(&actives, parent_hidden);
    for (sibling, &hide) in siblings.iter_mut().zip(&hidden) {
        if hide {
            sibling.figures.premium_per_year = None;
        }
    }
    hidden
}

/// Whether `code`'s premium is hidden, decided from the nation down through its ancestors'
/// children, as every page and export decides it; with the children of `code`'s parent.
async fn premium_hidden(
    pool: &SqlitePool,
    code: &AreaCode,
    now: Month,
) -> Result<(bool, Option<Vec<AreaChild>>), StoreError> {
    let nation = figures_of(pool, "r.code = ?1", AreaCode::Nation.as_str(), now).await?;
    let mut hidden = nation
        .first()
        .is_some_and(|row| premium_hidden_alone(figures(row).active));
    let mut path = vec![code.clone()];
    while let Some(parent) = path.last().and_then(AreaCode::parent) {
        path.push(parent);
    }
    path.reverse();
    let mut siblings = None;
    for pair in path.windows(2) {
        let mut children = children_of(pool, &pair[0], now).await?;
        let decisions = hide_premiums(&mut children, hidden);
        hidden = children
            .iter()
            .zip(decisions)
            .find(|(child, _)| child.code.as_str() == pair[1].as_str())
            .is_some_and(|(_, hide)| hide);
        siblings = Some(children);
    }
    Ok((hidden, siblings))
}

pub(super) async fn area(pool: &SqlitePool, code: &AreaCode, now: Month) -> Result<AreaRead, StoreError> {
    let own = figures_of(pool, "r.code = ?1", code.as_str(), now).await?;
    let own = own.first().ok_or(StoreError::NotFound)?;
    let (hidden, siblings) = premium_hidden(pool, code, now).await?;
    let mut children = children_of(pool, code, now).await?;
    hide_premiums(&mut children, hidden);
    let rank = siblings.and_then(|siblings| rank_among(code, &siblings));
    let mut breadcrumbs = Vec::new();
    let mut up = code.parent();
    while let Some(area) = up {
        let name: String = sqlx::query_scalar("SELECT name FROM region WHERE code = ?")
            .bind(area.as_str())
            .fetch_one(pool)
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
    let mut figures = figures(own);
    if hidden {
        figures.premium_per_year = None;
    }
    Ok(AreaRead {
        name: own.get("name"),
        figures,
        breadcrumbs,
        rank,
        children,
    })
}

pub(super) async fn name_of(pool: &SqlitePool, code: &AreaCode) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT name FROM region WHERE code = ?")
        .bind(code.as_str())
        .fetch_optional(pool)
        .await
        .map_err(other)?
        .ok_or(StoreError::NotFound)
}

/// An area's breakdowns with raw counts, every dimension and category listed (zeros too).
pub(super) async fn breakdowns(pool: &SqlitePool, code: &AreaCode, now: Month) -> Result<Vec<Breakdown>, StoreError> {
    let mut areas = breakdowns_of(pool, "b.code = ?1", code.as_str(), now).await?;
    Ok(areas
        .pop()
        .map(|(_, b)| b)
        .unwrap_or_else(|| every_breakdown(&HashMap::new())))
}

/// The raw breakdowns of every child of `parent` that has enrolments, by code.
pub(super) async fn child_breakdowns(
    pool: &SqlitePool,
    parent: &AreaCode,
    now: Month,
) -> Result<Vec<(RegionCode, Vec<Breakdown>)>, StoreError> {
    let filter = "b.code IN (SELECT code FROM region WHERE parent = ?1)";
    let areas = breakdowns_of(pool, filter, parent.as_str(), now).await?;
    areas
        .into_iter()
        .map(|(code, b)| {
            let code = RegionCode::parse(&code).map_err(|e| anyhow::anyhow!("stored region code: {e}"))?;
            Ok((code, b))
        })
        .collect()
}

type Cells = HashMap<(Dimension, String), (u64, u64)>;

/// The breakdowns of the areas matching `filter` (with `?1` bound to `bind`) that have any
/// stored cell, by code.
async fn breakdowns_of(
    pool: &SqlitePool,
    filter: &str,
    bind: &str,
    now: Month,
) -> Result<Vec<(String, Vec<Breakdown>)>, StoreError> {
    let sql = format!(
        "SELECT b.code, dimension, value, SUM(workers), SUM(CASE WHEN month >= ?2 THEN workers ELSE 0 END) \
         FROM area_breakdown b WHERE {filter} GROUP BY b.code, dimension, value ORDER BY b.code"
    );
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(&sql)
        .bind(bind)
        .bind(now.index())
        .fetch_all(pool)
        .await
        .map_err(other)?;
    let mut areas: BTreeMap<String, Cells> = BTreeMap::new();
    for (code, stored, value, enrolled, active) in rows {
        // A dimension stored by an older version and no longer shown is skipped.
        let Some(dimension) = Dimension::ALL.into_iter().find(|&d| stored_dimension(d) == stored) else {
            continue;
        };
        let cell = areas
            .entry(code)
            .or_default()
            .entry((dimension, rollup::category_in(dimension, &value, now)))
            .or_default();
        cell.0 += unsigned(enrolled);
        cell.1 += unsigned(active);
    }
    Ok(areas
        .into_iter()
        .map(|(code, cells)| (code, every_breakdown(&cells)))
        .collect())
}

/// Every dimension with every category, in display order, from `cells` (zeros for the missing).
fn every_breakdown(cells: &Cells) -> Vec<Breakdown> {
    Dimension::ALL
        .into_iter()
        .map(|dimension| {
            let rows = dimension
                .categories()
                .iter()
                .map(|&value| {
                    let (enrolled, active) = cells.get(&(dimension, value.to_owned())).copied().unwrap_or_default();
                    BreakdownRow {
                        value: value.to_owned(),
                        enrolled: Some(enrolled),
                        active: Some(active),
                    }
                })
                .collect();
            Breakdown { dimension, rows }
        })
        .collect()
}

pub(super) async fn trend(
    pool: &SqlitePool,
    code: &AreaCode,
    now: Month,
    months: i32,
) -> Result<Vec<TrendPoint>, StoreError> {
    let read = |table: &'static str| async move {
        let rows: Vec<(i32, i64)> = sqlx::query_as(&format!("SELECT month, workers FROM {table} WHERE code = ?"))
            .bind(code.as_str())
            .fetch_all(pool)
            .await
            .map_err(other)?;
        Ok::<BTreeMap<i32, u64>, StoreError>(rows.into_iter().map(|(m, n)| (m, unsigned(n))).collect())
    };
    let starts = read("area_start").await?;
    let paid = read("area_paid_through").await?;
    Ok(rollup::series(&starts, &paid, now, months)
        .into_iter()
        .map(|(month, enrolled, active)| TrendPoint {
            month,
            enrolled,
            active,
        })
        .collect())
}

pub(super) async fn region_names(pool: &SqlitePool) -> Result<Vec<(RegionCode, String)>, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM region WHERE level > 0 AND retired = 0 ORDER BY code")
            .fetch_all(pool)
            .await
            .map_err(other)?;
    rows.into_iter()
        .map(|(code, name)| {
            Ok((
                RegionCode::parse(&code).map_err(|e| anyhow::anyhow!("stored region code: {e}"))?,
                name,
            ))
        })
        .collect()
}
