//! BPU (non-wage worker) premiums. Figures from BPJS Ketenagakerjaan's BPU rules (PP 44/2015
//! as amended by PP 82/2019): JKK 1 % of declared monthly income, JKM a flat Rp6.800, JHT
//! (optional) 2 %. Kept in one [`PremiumRules`] value so a change of rule is one edit.

use serde::{Deserialize, Serialize};

crate::wire_enum! {
    /// Which programs a member pays for.
    pub enum Program: "program" {
        /// Work-accident and death cover: the usual vulnerable-worker package.
        JkkJkm = "jkk_jkm" { id: "JKK + JKM", en: "JKK + JKM" },
        /// JKK + JKM plus old-age savings.
        JkkJkmJht = "jkk_jkm_jht" { id: "JKK + JKM + JHT", en: "JKK + JKM + JHT" },
    }
}

/// Premium rules in force. Money is whole rupiah; rates are basis points (1 % = 100).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PremiumRules {
    /// JKK rate on declared income.
    pub jkk_bps: u64,
    /// Flat JKM premium per month.
    pub jkm_flat: u64,
    /// JHT rate on declared income.
    pub jht_bps: u64,
    /// Lowest income that can be declared.
    pub lowest_income: u64,
    /// Declared income goes up in steps of this size.
    pub income_step: u64,
}

impl Default for PremiumRules {
    fn default() -> Self {
        Self {
            jkk_bps: 100,
            jkm_flat: 6_800,
            jht_bps: 200,
            lowest_income: 1_000_000,
            income_step: 500_000,
        }
    }
}

/// Why a declared income was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IncomeError {
    /// Below the lowest tier.
    #[error("declared income is below the lowest tier")]
    BelowLowest,
    /// Between two tiers.
    #[error("declared income must be one of the tiers")]
    NotATier,
}

impl PremiumRules {
    /// Checks that `income` is one of the declarable tiers.
    pub fn check_income(&self, income: u64) -> Result<u64, IncomeError> {
        if income < self.lowest_income {
            Err(IncomeError::BelowLowest)
        } else if (income - self.lowest_income) % self.income_step != 0 {
            Err(IncomeError::NotATier)
        } else {
            Ok(income)
        }
    }

    /// Premium per month for `program` at a declared `income`.
    pub fn monthly(&self, program: Program, income: u64) -> u64 {
        let jkk = income * self.jkk_bps / 10_000;
        let base = jkk + self.jkm_flat;
        match program {
            Program::JkkJkm => base,
            Program::JkkJkmJht => base + income * self.jht_bps / 10_000,
        }
    }

    /// Premium for `months` months paid at once.
    pub fn for_months(&self, program: Program, income: u64, months: u16) -> u64 {
        self.monthly(program, income) * u64::from(months)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Published figures (DOMAIN.md): JKK+JKM at the lowest tier is Rp16.800 a month,
    // Rp201.600 a year; with JHT Rp36.800.
    #[test]
    fn jkk_plus_jkm_at_lowest_tier_is_16_800() {
        assert_eq!(PremiumRules::default().monthly(Program::JkkJkm, 1_000_000), 16_800);
    }

    #[test]
    fn a_year_of_jkk_plus_jkm_is_201_600() {
        assert_eq!(
            PremiumRules::default().for_months(Program::JkkJkm, 1_000_000, 12),
            201_600
        );
    }

    #[test]
    fn with_jht_it_is_36_800() {
        assert_eq!(PremiumRules::default().monthly(Program::JkkJkmJht, 1_000_000), 36_800);
    }

    #[test]
    fn income_must_be_a_tier() {
        let rules = PremiumRules::default();
        assert_eq!(rules.check_income(999_999), Err(IncomeError::BelowLowest));
        assert_eq!(rules.check_income(1_200_000), Err(IncomeError::NotATier));
        assert_eq!(rules.check_income(1_500_000), Ok(1_500_000));
        assert_eq!(rules.monthly(Program::JkkJkm, 2_000_000), 26_800);
    }
}
