//! Rewards: what a wallet can redeem, what each point is worth, and redemption itself.
//!
//! A reward costs points and has a retail value; value per point = value ÷ cost. A running
//! campaign may lower the cost (spring refresh: bedding set 3000 → 2500 points, +20% value).
//! Redemption draws the soonest-expiring usable lots of the kinds the reward accepts.

use crate::calendar::{day_serde, Day, Instant};
use crate::campaigns::reward_cost;
use crate::error::{fail, Errors};
use crate::member::Member;
use crate::num::{ceil_money, fmt_money, fmt_percent, Money, Rate};
use crate::program::{Loaded, RewardType, Text};
use crate::tiers;
use crate::wallet::{self, Lot};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RewardsRequest {
    #[serde(default)]
    pub member: Member,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SeasonalOffer {
    pub campaign: String,
    pub name: Text,
    /// Last day the lower cost applies.
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub until: Day,
    /// Extra value per point against the base cost, in percent (`"20"`).
    pub uplift_percent: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RewardOption<'a> {
    pub id: &'a str,
    pub name: &'a Text,
    #[serde(rename = "type")]
    pub kind: RewardType,
    pub base_cost: i64,
    pub cost: i64,
    pub value: Money,
    pub value_per_point: Rate,
    pub base_value_per_point: Rate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<SeasonalOffer>,
    pub kinds: &'a [String],
    /// Usable points of the accepted kinds.
    pub balance: i64,
    pub affordable: bool,
    pub shortfall: i64,
    /// Spend still needed to close the shortfall at the member's earning rate.
    pub spend_needed: Money,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RewardsResult<'a> {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    /// Best value per point first.
    pub options: Vec<RewardOption<'a>>,
}

/// Effective cost of a reward at `at` with the campaign offer, if any.
pub fn offer(
    p: &Loaded,
    reward_id: &str,
    base: i64,
    at: Instant,
    tier: Option<usize>,
) -> (i64, Option<SeasonalOffer>) {
    let (cost, campaign) = reward_cost(p, reward_id, base, at, tier);
    let offer = campaign.map(|c| {
        let (_, until) = crate::campaigns::days(p, c);
        let uplift =
            (Decimal::from(base) / Decimal::from(cost) - Decimal::ONE) * Decimal::ONE_HUNDRED;
        SeasonalOffer {
            campaign: c.id.clone(),
            name: c.name.clone(),
            until,
            uplift_percent: fmt_percent(uplift),
        }
    });
    (cost, offer)
}

/// Money to spend so that earning closes a shortfall, at base rate × tier multiplier.
pub fn spend_for_points(p: &Loaded, tier: Option<usize>, points: i64) -> Decimal {
    if points <= 0 {
        return Decimal::ZERO;
    }
    let rate = p.program.earn.points_per_unit * tiers::multiplier(p, tier);
    ceil_money(Decimal::from(points) / rate, p.dp)
}

pub fn options<'a>(
    p: &'a Loaded,
    req: &RewardsRequest,
    at: Instant,
) -> Result<RewardsResult<'a>, Errors> {
    let tier = tiers::resolve(p, &req.member, "member")?;
    let lots = wallet::normalize(p, &req.member.wallet, "member.wallet")?;
    let day = at.day_in(p.offset);
    let options: Vec<RewardOption> = p
        .program
        .rewards
        .iter()
        .map(|r| {
            let (cost, offer) = offer(p, &r.id, r.cost, at, tier);
            let balance = wallet::usable(&lots, day, &r.kinds);
            let shortfall = (cost - balance).max(0);
            RewardOption {
                id: &r.id,
                name: &r.name,
                kind: r.kind,
                base_cost: r.cost,
                cost,
                value: Money::new(r.value, p.dp),
                value_per_point: Rate(r.value / Decimal::from(cost)),
                base_value_per_point: Rate(r.value / Decimal::from(r.cost)),
                offer,
                kinds: &r.kinds,
                balance,
                affordable: shortfall == 0,
                shortfall,
                spend_needed: Money::new(spend_for_points(p, tier, shortfall), p.dp),
            }
        })
        .collect();
    // Best exact value per point first (not the rounded figure); stable on ties.
    let options = crate::sort::sorted(options, &|a, b| {
        b.value_per_point.0.cmp(&a.value_per_point.0)
    });
    Ok(RewardsResult { day, options })
}

/// What to redeem: a reward, or points as a bill offset on an order.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RedeemRequest {
    #[serde(default)]
    pub member: Member,
    #[serde(default)]
    pub reward_id: Option<String>,
    #[serde(default)]
    pub offset: Option<OffsetRedeem>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OffsetRedeem {
    pub points: i64,
    /// Amount due on the order before the offset.
    #[serde(with = "crate::num::dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub order_amount: Decimal,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RedeemResult {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reward_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<SeasonalOffer>,
    pub points_spent: i64,
    /// Money value obtained (reward value or offset amount).
    pub value: String,
    /// Parts of lots consumed, soonest-expiring first, with their days kept.
    pub consumed: Vec<Lot>,
    pub wallet: Vec<Lot>,
    pub balance_before: i64,
    pub balance_after: i64,
}

pub fn redeem(p: &Loaded, req: &RedeemRequest, at: Instant) -> Result<RedeemResult, Errors> {
    let tier = tiers::resolve(p, &req.member, "member")?;
    let lots = wallet::normalize(p, &req.member.wallet, "member.wallet")?;
    let day = at.day_in(p.offset);
    let (points, kinds, value, offer, path) = match (&req.reward_id, &req.offset) {
        (Some(id), None) => {
            let Some(r) = p.reward(id) else {
                return fail(
                    "unknown_reward",
                    "reward_id",
                    format!(
                        "reward `{}` is not in the programme",
                        id.chars().take(40).collect::<String>()
                    ),
                );
            };
            let (cost, offer) = offer(p, &r.id, r.cost, at, tier);
            (cost, r.kinds.clone(), r.value, offer, "reward_id")
        }
        (None, Some(o)) => {
            let amount =
                crate::offset::check_points(p, tier, o.order_amount, o.points, "offset.points")?;
            let kinds = p
                .program
                .bill_offset
                .as_ref()
                .map(|b| b.kinds.clone())
                .unwrap_or_default();
            (o.points, kinds, amount, None, "offset.points")
        }
        _ => {
            return fail(
                "invalid_request",
                "",
                "give exactly one of reward_id or offset",
            )
        }
    };
    let before = wallet::total(&lots);
    let (consumed, rest) = wallet::draw(&lots, day, &kinds, points, path)?;
    Ok(RedeemResult {
        day,
        reward_id: req.reward_id.clone(),
        offer,
        points_spent: points,
        value: fmt_money(value, p.dp),
        consumed,
        balance_before: before,
        balance_after: wallet::total(&rest),
        wallet: rest,
    })
}
