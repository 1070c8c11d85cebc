//! Bill offset: paying part of an order with points.
//!
//! `points_per_unit` points pay one currency unit, up to `max_share` of the order, at least
//! `min_points`, in multiples of `step`, only from the listed kinds and for members at or
//! above `min_tier`. The part paid with points earns no points (the quote subtracts it).

use crate::error::{fail, Errors};
use crate::num::{fmt_money, round_points, Rounding};
use crate::program::{BillOffset, Loaded};
use rust_decimal::Decimal;
use serde::Serialize;

fn rules<'a>(p: &'a Loaded, tier: Option<usize>, path: &str) -> Result<&'a BillOffset, Errors> {
    let Some(o) = &p.program.bill_offset else {
        return fail(
            "offset_not_offered",
            path,
            "this programme has no bill offset",
        );
    };
    if let Some(min) = o.min_tier.as_deref().and_then(|m| p.tier_index(m)) {
        if tier.is_none_or(|t| t < min) {
            return fail(
                "offset_tier_too_low",
                path,
                format!(
                    "bill offset needs tier `{}` or higher",
                    o.min_tier.as_deref().unwrap_or("")
                ),
            );
        }
    }
    Ok(o)
}

/// Money paid by `points`, floored to minor units (never more than exact).
pub fn amount_for(p: &Loaded, o: &BillOffset, points: i64) -> Decimal {
    crate::num::floor_money(Decimal::from(points) / o.points_per_unit, p.dp)
}

/// Most points the order admits by share, in whole steps.
fn max_by_share(o: &BillOffset, order_amount: Decimal) -> i64 {
    let raw = order_amount
        .checked_mul(o.max_share)
        .and_then(|x| x.checked_mul(o.points_per_unit))
        .unwrap_or_default();
    let whole = round_points(raw, Rounding::Floor, "").unwrap_or(0);
    whole - whole.rem_euclid(o.step.max(1))
}

/// Checks that `points` is an allowed offset on an order of `order_amount`; returns the money.
pub fn check_points(
    p: &Loaded,
    tier: Option<usize>,
    order_amount: Decimal,
    points: i64,
    path: &str,
) -> Result<Decimal, Errors> {
    let o = rules(p, tier, path)?;
    if points < 0 {
        return fail("invalid_points", path, "offset points must not be negative");
    }
    if points < o.min_points {
        return fail(
            "offset_below_minimum",
            path,
            format!("at least {} points", o.min_points),
        );
    }
    if points % o.step != 0 {
        return fail(
            "offset_not_in_steps",
            path,
            format!("points must be a multiple of {}", o.step),
        );
    }
    if points > max_by_share(o, order_amount) {
        return fail(
            "offset_exceeds_share",
            path,
            format!(
                "points may pay at most {} of the order",
                crate::num::fmt_rate(o.max_share)
            ),
        );
    }
    Ok(amount_for(p, o, points))
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OffsetRange {
    pub allowed: bool,
    /// Why no offset is possible, when `allowed` is false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::error::Error>,
    pub min_points: i64,
    pub max_points: i64,
    pub step: i64,
    pub points_per_unit: String,
    /// Money one step pays.
    pub amount_per_step: String,
    pub max_amount: String,
    /// Points of the offset kinds usable today.
    pub balance: i64,
}

/// The offset range for an order of `order_amount` and a wallet balance of offset kinds.
pub fn range(
    p: &Loaded,
    tier: Option<usize>,
    order_amount: Decimal,
    balance_of: impl Fn(&[String]) -> i64,
) -> OffsetRange {
    let o = match rules(p, tier, "") {
        Ok(o) => o,
        Err(e) => {
            return OffsetRange {
                allowed: false,
                reason: e.into_iter().next(),
                min_points: 0,
                max_points: 0,
                step: 1,
                points_per_unit: "0".into(),
                amount_per_step: fmt_money(Decimal::ZERO, p.dp),
                max_amount: fmt_money(Decimal::ZERO, p.dp),
                balance: 0,
            }
        }
    };
    let balance = balance_of(&o.kinds);
    let by_wallet = balance - balance.rem_euclid(o.step);
    let max = max_by_share(o, order_amount).min(by_wallet);
    let allowed = max >= o.min_points.max(o.step) && max > 0;
    let reason = (!allowed).then(|| {
        if by_wallet < o.min_points.max(o.step) {
            crate::error::Error::new(
                "insufficient_points",
                "",
                format!("needs at least {} usable points", o.min_points.max(o.step)),
            )
        } else {
            crate::error::Error::new(
                "order_too_small",
                "",
                "the order is too small for the minimum offset",
            )
        }
    });
    let max = if allowed { max } else { 0 };
    OffsetRange {
        allowed,
        reason,
        min_points: o.min_points.max(o.step),
        max_points: max,
        step: o.step,
        points_per_unit: crate::num::fmt_rate(o.points_per_unit),
        amount_per_step: fmt_money(amount_for(p, o, o.step), p.dp),
        max_amount: fmt_money(amount_for(p, o, max), p.dp),
        balance,
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OffsetRequest {
    #[serde(default)]
    pub member: crate::member::Member,
    pub lines: Vec<crate::earning::Line>,
    #[serde(with = "crate::num::dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub order_discount: Option<Decimal>,
    /// Points the shopper chose; the quote then covers the remaining amount.
    #[serde(default)]
    pub points: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OffsetResult<'a> {
    pub range: OffsetRange,
    pub points: i64,
    pub amount: crate::num::Money,
    /// The quote of the order with the chosen offset applied.
    pub quote: crate::earning::Quote<'a>,
}
