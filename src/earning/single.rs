//! One purchase of one category without discounts: the simulator's and the projection's hot
//! path. The rules are `quote`'s — the same exclusion, multiplier stacking, rounding and
//! spend-bonus helpers — without the breakdown and reasons a checkout shows; a property test
//! keeps the two equal.

use super::{bonus_applies, is_excluded, overflow, stack, times};
use crate::calendar::Instant;
use crate::campaigns::{covers, running};
use crate::error::{fail, Errors};
use crate::num::{money_in_range, round_points};
use crate::program::Loaded;
use crate::tiers;
use rust_decimal::Decimal;

/// What one purchase earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SingleEarn<'a> {
    /// The point kind the category earns.
    pub kind: &'a str,
    /// Whole points of that kind.
    pub points: i64,
    /// Spend-bonus points (standard kind), added after rounding.
    pub bonus: i64,
    /// Eligible spend (zero for an excluded category).
    pub eligible: Decimal,
}

pub fn earn_single<'a>(
    p: &'a Loaded,
    at: Instant,
    tier: Option<usize>,
    category: &str,
    amount: Decimal,
) -> Result<SingleEarn<'a>, Errors> {
    if !money_in_range(amount) {
        return fail("invalid_amount", "amount", "amount must be 0 to 10^13");
    }
    let earn = &p.program.earn;
    let excluded = is_excluded(p, category);
    let eligible = if excluded { Decimal::ZERO } else { amount };
    let mut mult = tiers::multiplier(p, tier);
    let mut bonus = 0;
    for c in running(p, at, tier) {
        let covered = !excluded && covers(c, category);
        if let (Some(m), true) = (c.multiplier, covered) {
            mult = stack(earn.multiplier_stacking, mult, m).ok_or_else(|| overflow("amount"))?;
        }
        if let Some(b) = c.bonus_points {
            if bonus_applies(c, if covered { eligible } else { Decimal::ZERO }) {
                bonus += b;
            }
        }
    }
    let exact = times(eligible, earn.points_per_unit)
        .and_then(|x| times(x, mult))
        .ok_or_else(|| overflow("amount"))?;
    Ok(SingleEarn {
        kind: p.kind_for_category(category),
        points: round_points(exact, earn.rounding, "amount")?,
        bonus,
        eligible,
    })
}
