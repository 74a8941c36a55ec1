//! Regulations and budgets on SQLite.

use async_trait::async_trait;
use pantau_core::commitments::{Allocation, BudgetLine, BudgetView, Regulation, ValidRegulation};
use pantau_core::premium::PremiumRules;
use pantau_core::{FundingSource, Month, Program, RegionCode};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::Date;

use super::audit::Audit;
use super::{now_rfc3339, other, parse_stored, signed, unsigned, SqliteStore};
use crate::store::{Actor, CommitmentStore, StoreError};

const REGULATION_COLUMNS: &str =
    "g.id, g.area, r.name AS area_name, g.kind, g.number, g.date, g.title, g.summary, g.link";

/// `SELECT` of one regulation by id (`?`).
fn regulation_by_id() -> String {
    format!("SELECT {REGULATION_COLUMNS} FROM regulation g JOIN region r ON r.code = g.area WHERE g.id = ?")
}

fn regulation_of(row: &SqliteRow) -> Result<Regulation, StoreError> {
    let bad = |what: &str| StoreError::Other(anyhow::anyhow!("stored regulation {what} unreadable"));
    Ok(Regulation {
        id: row.get("id"),
        area: RegionCode::parse(row.get::<&str, _>("area")).map_err(|_| bad("area"))?,
        area_name: row.get("area_name"),
        kind: parse_stored(row.get::<&str, _>("kind"))?,
        number: row.get("number"),
        date: Date::parse(
            row.get::<&str, _>("date"),
            &time::format_description::well_known::Iso8601::DATE,
        )
        .map_err(|_| bad("date"))?,
        title: row.get("title"),
        summary: row.get("summary"),
        link: row.get("link"),
    })
}

/// Months of `[start, paid_through]` that fall in `year`.
fn months_in_year(start: i32, paid_through: i32, year: i32) -> u64 {
    let (first, last) = (
        Month::of_year_month(year, 1).index(),
        Month::of_year_month(year, 12).index(),
    );
    let overlap = paid_through.min(last) - start.max(first) + 1;
    u64::try_from(overlap.max(0)).unwrap_or(0)
}

#[async_trait]
impl CommitmentStore for SqliteStore {
    async fn regulations(&self, areas: &[RegionCode]) -> Result<Vec<Regulation>, StoreError> {
        if areas.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {REGULATION_COLUMNS} FROM regulation g JOIN region r ON r.code = g.area WHERE g.area IN ("
        ));
        let mut list = query.separated(", ");
        for area in areas {
            list.push_bind(area.as_str().to_owned());
        }
        query.push(") ORDER BY g.date DESC, g.id DESC");
        let rows = query.build().fetch_all(&self.reader).await.map_err(other)?;
        rows.iter().map(regulation_of).collect()
    }

    async fn add_regulation(
        &self,
        area: &RegionCode,
        regulation: &ValidRegulation,
        actor: &Actor,
    ) -> Result<Regulation, StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO regulation (area, kind, number, date, title, summary, link, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(area.as_str())
        .bind(regulation.kind.as_str())
        .bind(&regulation.number)
        .bind(regulation.date.to_string())
        .bind(&regulation.title)
        .bind(&regulation.summary)
        .bind(&regulation.link)
        .bind(now_rfc3339()?)
        .fetch_one(&mut *tx)
        .await
        .map_err(super::map_write_error)?;
        let row = sqlx::query(&regulation_by_id())
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        let stored = regulation_of(&row)?;
        Audit::of("regulation.create", format!("regulation/{id}"), area.as_str())
            .after(&stored)
            .write(&mut tx, actor)
            .await?;
        self.commit_data_change(tx).await?;
        Ok(stored)
    }

    async fn regulation_area(&self, id: i64) -> Result<Option<RegionCode>, StoreError> {
        let area: Option<String> = sqlx::query_scalar("SELECT area FROM regulation WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await
            .map_err(other)?;
        area.map(|a| {
            RegionCode::parse(&a).map_err(|_| StoreError::Other(anyhow::anyhow!("stored regulation area unreadable")))
        })
        .transpose()
    }

    async fn delete_regulation(&self, id: i64, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let row = sqlx::query(&regulation_by_id())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(other)?
            .ok_or(StoreError::NotFound)?;
        let before = regulation_of(&row)?;
        sqlx::query("DELETE FROM regulation WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(other)?;
        Audit::of("regulation.delete", format!("regulation/{id}"), before.area.as_str())
            .before(&before)
            .write(&mut tx, actor)
            .await?;
        self.commit_data_change(tx).await
    }

    async fn budget(&self, regency: &RegionCode, year: i32) -> Result<BudgetView, StoreError> {
        let allocated: Vec<(String, i64)> =
            sqlx::query_as("SELECT funding, allocated FROM budget WHERE regency = ? AND year = ?")
                .bind(regency.as_str())
                .bind(year)
                .fetch_all(&self.reader)
                .await
                .map_err(other)?;
        let (first, last) = (
            Month::of_year_month(year, 1).index(),
            Month::of_year_month(year, 12).index(),
        );
        // Enrolments counted publicly whose paid months touch the year.
        let rows: Vec<(String, String, i64, i32, i32)> = sqlx::query_as(
            "SELECT funding, program, income, start_month, paid_through FROM enrolment \
             WHERE village >= ?1 AND village < ?2 AND deactivated = 0 AND status <> 'rejected' \
             AND paid_through >= ?3 AND start_month <= ?4",
        )
        .bind(regency.as_str())
        .bind(format!("{}/", regency.as_str()))
        .bind(first)
        .bind(last)
        .fetch_all(&self.reader)
        .await
        .map_err(other)?;
        let rules = PremiumRules::default();
        let mut lines: Vec<BudgetLine> = FundingSource::ALL
            .iter()
            .map(|&funding| BudgetLine {
                funding,
                allocated: 0,
                committed: 0,
            })
            .collect();
        for (funding, amount) in allocated {
            let funding: FundingSource = parse_stored(&funding)?;
            if let Some(line) = lines.iter_mut().find(|l| l.funding == funding) {
                line.allocated = unsigned(amount);
            }
        }
        for (funding, program, income, start, paid_through) in rows {
            let funding: FundingSource = parse_stored(&funding)?;
            let program: Program = parse_stored(&program)?;
            let premium = rules.monthly(program, unsigned(income)) * months_in_year(start, paid_through, year);
            if let Some(line) = lines.iter_mut().find(|l| l.funding == funding) {
                line.committed += premium;
            }
        }
        Ok(BudgetView {
            regency: regency.clone(),
            year,
            lines,
        })
    }

    async fn set_budget(
        &self,
        regency: &RegionCode,
        year: i32,
        allocations: &[Allocation],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.map_err(other)?;
        let now = now_rfc3339()?;
        for allocation in allocations {
            sqlx::query(
                "INSERT INTO budget (regency, year, funding, allocated, updated_at) VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (regency, year, funding) DO UPDATE SET allocated = excluded.allocated, updated_at = excluded.updated_at",
            )
            .bind(regency.as_str())
            .bind(year)
            .bind(allocation.funding.as_str())
            .bind(signed(allocation.allocated))
            .bind(&now)
            .execute(&mut *tx)
            .await
            .map_err(super::map_write_error)?;
        }
        Audit::of("budget.set", format!("budget/{regency}/{year}"), regency.as_str())
            .after(&allocations)
            .write(&mut tx, actor)
            .await?;
        tx.commit().await.map_err(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_paid_months_inside_the_year_only() {
        let m = |y, n| Month::of_year_month(y, n).index();
        assert_eq!(months_in_year(m(2025, 11), m(2026, 10), 2026), 10);
        assert_eq!(months_in_year(m(2026, 3), m(2026, 5), 2026), 3);
        assert_eq!(months_in_year(m(2026, 6), m(2027, 5), 2026), 7);
        assert_eq!(months_in_year(m(2024, 1), m(2024, 12), 2026), 0);
    }
}
