//! One purchase of one category without discounts: the simulator's hot path. The rules are
//! `quote`'s — the same exclusion, multiplier stacking, rounding and spend-bonus helpers —
//! without the breakdown and reasons a checkout shows; a property test keeps the two equal.
//!
//! The work is split in two: [`SingleRate`] is everything that does not depend on the amount
//! (which campaigns run for the tier, the category's kind and multiplier), and
//! [`SingleRate::earn`] applies it to an amount. The simulator keeps a day's rates, so an
//! order of a category already seen that day only multiplies and rounds.

use super::{bonus_applies, is_excluded, overflow, stack, times};
use crate::calendar::Instant;
use crate::campaigns::{covers, running};
use crate::error::{fail, Errors};
use crate::num::{money_in_range, round_points, whole_points, Rounding, Small};
use crate::program::Loaded;
use crate::tiers;
use rust_decimal::Decimal;

/// What one purchase earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SingleEarn<K> {
    /// The point kind the category earns (its id, or the simulator's number for it).
    pub kind: K,
    /// Whole points of that kind.
    pub points: i64,
    /// Spend-bonus points (standard kind), added after rounding.
    pub bonus: i64,
    /// Eligible spend (zero for an excluded category).
    pub eligible: Decimal,
}

/// What a purchase of one category earns per unit of spend, at one instant, for one tier.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleRate {
    excluded: bool,
    points_per_unit: Decimal,
    rounding: Rounding,
    /// The stacked multiplier; `None` when stacking overflowed (reported by `earn`, after the
    /// amount is checked, as `earn_single` always did).
    multiplier: Option<Decimal>,
    /// Points per unit times the multiplier, in 64-bit integers, when neither is zero and the
    /// product fits: most amounts then earn with one integer product and one division.
    factor: Option<Small>,
    /// The running spend-bonus campaigns that cover the category: points and minimum spend.
    /// Empty (no allocation) for most programmes.
    bonuses: Vec<(i64, Decimal)>,
}

/// The rate of a purchase of `category` at `at` for tier `tier`, with the kind it earns.
pub fn single_rate<'a>(
    p: &'a Loaded,
    at: Instant,
    tier: Option<usize>,
    category: &str,
) -> (&'a str, SingleRate) {
    let earn = &p.program.earn;
    let excluded = is_excluded(p, category);
    let mut multiplier = Some(tiers::multiplier(p, tier));
    let mut bonuses = Vec::new();
    for c in running(p, at, tier) {
        // An excluded category's eligible spend is zero, which no bonus pays on.
        let covered = !excluded && covers(c, category);
        if let (Some(m), true) = (c.multiplier, covered) {
            multiplier = multiplier.and_then(|acc| stack(earn.multiplier_stacking, acc, m));
        }
        if let (Some(b), true) = (c.bonus_points, covered) {
            bonuses.push((b, c.min_spend.unwrap_or_default()));
        }
    }
    let nonzero = |x: Decimal| Small::of(x).filter(|s| !s.is_zero());
    let factor = multiplier.and_then(|m| nonzero(earn.points_per_unit)?.times(nonzero(m)?));
    let rate = SingleRate {
        factor,
        excluded,
        points_per_unit: earn.points_per_unit,
        rounding: earn.rounding,
        multiplier,
        bonuses,
    };
    (p.kind_for_category(category), rate)
}

impl SingleRate {
    /// What a purchase of `amount` earns at this rate, of `kind` (from [`single_rate`]).
    pub fn earn<K>(&self, kind: K, amount: Decimal) -> Result<SingleEarn<K>, Errors> {
        if !money_in_range(amount) {
            return fail("invalid_amount", "amount", "amount must be 0 to 10^13");
        }
        let eligible = if self.excluded { Decimal::ZERO } else { amount };
        let bonus = self
            .bonuses
            .iter()
            .filter(|(_, min_spend)| bonus_applies(*min_spend, eligible))
            .map(|(b, _)| b)
            .sum();
        // Where the product fits 64 bits it is exact, as rust_decimal's would be.
        let fast = self.factor.and_then(|f| Small::of(eligible)?.times(f));
        let points = match fast {
            Some(exact) => whole_points(exact.round(self.rounding), "amount")?,
            None => {
                let exact = self
                    .multiplier
                    .and_then(|m| times(eligible, self.points_per_unit).and_then(|x| times(x, m)))
                    .ok_or_else(|| overflow("amount"))?;
                round_points(exact, self.rounding, "amount")?
            }
        };
        Ok(SingleEarn {
            kind,
            points,
            bonus,
            eligible,
        })
    }
}

/// What one purchase earns: [`single_rate`] and [`SingleRate::earn`] in one call.
pub fn earn_single<'a>(
    p: &'a Loaded,
    at: Instant,
    tier: Option<usize>,
    category: &str,
    amount: Decimal,
) -> Result<SingleEarn<&'a str>, Errors> {
    let (kind, rate) = single_rate(p, at, tier, category);
    rate.earn(kind, amount)
}
