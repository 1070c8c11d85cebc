//! Tiers: which tier a member holds, and how far the next one is.
//!
//! A member's tier is the highest tier whose thresholds they meet over the last
//! `tier_window_days`: `min_spend` and `min_orders`, both (`all`) or either (`any`). The
//! server usually knows the tier and names it; a preview may instead give the window's spend
//! and order count and let the core work it out.

use crate::error::{fail, Errors};
use crate::member::Member;
use crate::num::{dec, money_in_range, Money, Rate};
use crate::program::{Loaded, Qualify, Text, Tier};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Spend and order count over the tier window, before the current order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierStats {
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub spend: Decimal,
    pub orders: u32,
}

/// The tier window ending on `day`: orders on days after the returned day, up to and
/// including `day`, count toward the tier.
pub fn window_start(p: &Loaded, day: crate::calendar::Day) -> Result<crate::calendar::Day, Errors> {
    crate::calendar::add_days(day, -i64::from(p.program.tier_window_days), "at")
}

fn meets(t: &Tier, s: TierStats) -> bool {
    let spend = crate::num::compare(s.spend, t.min_spend).is_ge();
    let orders = s.orders >= t.min_orders;
    match t.qualify {
        Qualify::All => spend && orders,
        Qualify::Any => spend || orders,
    }
}

/// Index of the highest tier the stats qualify for (the lowest tier when none is met).
pub fn tier_for(p: &Loaded, s: TierStats) -> Option<usize> {
    let tiers = &p.program.tiers;
    if tiers.is_empty() {
        return None;
    }
    Some(tiers.iter().rposition(|t| meets(t, s)).unwrap_or(0))
}

/// Resolves the member's tier: a named tier wins; else the stats decide; else the lowest.
pub fn resolve(p: &Loaded, m: &Member, path: &str) -> Result<Option<usize>, Errors> {
    if let Some(s) = m.tier_stats {
        if !money_in_range(s.spend) {
            return fail(
                "invalid_amount",
                format!("{path}.tier_stats.spend"),
                "spend must be 0 to 10^13",
            );
        }
    }
    match &m.tier {
        Some(id) => match p.tier_index(id) {
            Some(i) => Ok(Some(i)),
            None => fail(
                "unknown_tier",
                format!("{path}.tier"),
                format!(
                    "tier `{}` is not in the programme",
                    id.chars().take(40).collect::<String>()
                ),
            ),
        },
        None => Ok(match m.tier_stats {
            Some(s) => tier_for(p, s),
            None => (!p.program.tiers.is_empty()).then_some(0),
        }),
    }
}

/// The earning multiplier of a tier (1 without tiers).
pub fn multiplier(p: &Loaded, tier: Option<usize>) -> Decimal {
    tier.and_then(|i| p.program.tiers.get(i))
        .map_or(Decimal::ONE, |t| t.multiplier)
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NextTier<'a> {
    pub id: &'a str,
    pub name: &'a Text,
    /// Spend still needed in the window (money string), `"0.00"` when met.
    pub spend_needed: Money,
    pub orders_needed: u32,
    /// `all`: both are needed; `any`: either one is enough.
    pub qualify: Qualify,
    /// 0–1 share of the way there, for a progress bar.
    pub progress: Rate,
    pub multiplier: Rate,
    pub perks: &'a [String],
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TierProgress<'a> {
    pub tier: &'a str,
    pub name: &'a Text,
    pub multiplier: Rate,
    pub perks: &'a [String],
    /// Window stats including this order.
    pub spend: Money,
    pub orders: u32,
    /// Whether this order lifts the member into a higher tier.
    pub upgraded: bool,
    pub next: Option<NextTier<'a>>,
}

/// Tier standing with the given window stats; `before` is the tier held before the order.
pub fn progress(p: &Loaded, before: Option<usize>, stats: TierStats) -> Option<TierProgress<'_>> {
    let tiers = &p.program.tiers;
    let earned = tier_for(p, stats)?;
    let current = before.map_or(earned, |b| b.max(earned));
    let t = tiers.get(current)?;
    let next = tiers.get(current + 1).map(|n| {
        let spend_needed = (n.min_spend - stats.spend).max(Decimal::ZERO);
        let orders_needed = n.min_orders.saturating_sub(stats.orders);
        let share = |have: Decimal, need: Decimal| {
            if need.is_zero() {
                Decimal::ONE
            } else {
                (have / need).min(Decimal::ONE)
            }
        };
        let s = share(stats.spend, n.min_spend);
        let o = share(Decimal::from(stats.orders), Decimal::from(n.min_orders));
        let progress = match n.qualify {
            Qualify::All => s.min(o),
            Qualify::Any => s.max(o),
        };
        NextTier {
            id: &n.id,
            name: &n.name,
            spend_needed: Money::new(spend_needed, p.dp),
            orders_needed,
            qualify: n.qualify,
            progress: Rate(progress),
            multiplier: Rate(n.multiplier),
            perks: &n.perks,
        }
    });
    Some(TierProgress {
        tier: &t.id,
        name: &t.name,
        multiplier: Rate(t.multiplier),
        perks: &t.perks,
        spend: Money::new(stats.spend, p.dp),
        orders: stats.orders,
        upgraded: before.is_some_and(|b| current > b),
        next,
    })
}
