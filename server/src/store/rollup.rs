//! Backend-neutral roll-up rules: which areas a village's figures count towards, and until
//! when a village stays at its target.

use std::collections::BTreeMap;

use pantau_core::region::NATION_CODE;
use pantau_core::RegionCode;

/// "Gerakan 1 Desa 100 Pekerja Rentan": every village covers at least 100 vulnerable workers.
pub const DEFAULT_VILLAGE_TARGET: u64 = 100;

/// Month number used for "at target in every month", e.g. a village with target 0.
pub const FOREVER: i32 = i32::MAX;

/// The areas a village's figures count towards: the nation, its province, regency,
/// district and the village itself.
pub fn chain(village: &RegionCode) -> Vec<String> {
    let mut codes = vec![NATION_CODE.to_owned()];
    codes.extend(village.ancestors().into_iter().map(String::from));
    codes.push(village.as_str().to_owned());
    codes
}

/// The last month in which a village with `target` still has `target` paid-up workers, given
/// its workers counted by last paid month. `None` when it does not reach the target at all.
pub fn target_until(target: u64, workers_by_paid_through: &BTreeMap<i32, u64>) -> Option<i32> {
    if target == 0 {
        return Some(FOREVER);
    }
    let mut paid_up = 0;
    for (&month, &workers) in workers_by_paid_through.iter().rev() {
        paid_up += workers;
        if paid_up >= target {
            return Some(month);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_runs_from_nation_to_village() {
        let village = RegionCode::parse("32.16.01.2001").unwrap();
        assert_eq!(
            chain(&village),
            ["ID", "32", "32.16", "32.16.01", "32.16.01.2001"]
        );
    }

    #[test]
    fn village_stays_at_target_until_its_hundredth_latest_payment_runs_out() {
        let buckets = BTreeMap::from([(100, 30), (105, 50), (110, 40)]);
        // 40 paid through 110, 90 through 105, 120 through 100.
        assert_eq!(target_until(100, &buckets), Some(100));
        assert_eq!(target_until(90, &buckets), Some(105));
        assert_eq!(target_until(121, &buckets), None);
        assert_eq!(target_until(0, &BTreeMap::new()), Some(FOREVER));
    }
}
