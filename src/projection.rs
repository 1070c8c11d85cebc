//! Projection: on which day does a spend plan make a reward affordable?
//!
//! "¥800 every half year earns 800 points each time, 1,600 a year; when can I have the bedding
//! set?" The plan's purchases are quoted with the same earning rules as a checkout (campaigns
//! active on each purchase day included), their lots become available after the pending days
//! and lapse on their expiry days, and the reward's cost follows running campaigns. The
//! member's tier is held constant over the plan.

use crate::calendar::{add_days, add_months, day_serde, Day, Instant};
use crate::earning::{self, Context, Line};
use crate::error::{fail, Errors};
use crate::member::Member;
use crate::num::{dec, fmt_money, money_in_range};
use crate::program::Loaded;
use crate::rewards::{offer, SeasonalOffer};
use crate::tiers;
use crate::wallet::{self, Lot};
use chrono::{FixedOffset, NaiveTime, TimeZone};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendPlan {
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub amount: Decimal,
    pub category: String,
    #[serde(default)]
    pub every_days: Option<u32>,
    #[serde(default)]
    pub every_months: Option<u32>,
    /// Day of the first purchase; the request's day when absent.
    #[serde(with = "day_serde::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub first: Option<Day>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectRequest {
    #[serde(default)]
    pub member: Member,
    pub reward_id: String,
    pub plan: SpendPlan,
    /// How far ahead to look, in years (default 10, at most 30).
    #[serde(default)]
    pub horizon_years: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Step {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    pub event: &'static str,
    pub points: i64,
    /// Usable points of the reward's kinds at the end of the day.
    pub balance: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProjectResult {
    pub reward_id: String,
    pub affordable: bool,
    #[serde(with = "day_serde::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub affordable_on: Option<Day>,
    /// Purchases made by then.
    pub purchases: u32,
    pub spend: String,
    pub points_per_purchase: i64,
    pub cost_then: i64,
    pub balance_then: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<SeasonalOffer>,
    pub timeline: Vec<Step>,
}

fn start_of(day: Day, offset: FixedOffset) -> Instant {
    let naive = day.and_time(NaiveTime::MIN);
    Instant(
        offset
            .from_local_datetime(&naive)
            .single()
            .unwrap_or_else(|| offset.from_utc_datetime(&naive)),
    )
}

pub fn project(p: &Loaded, req: &ProjectRequest, at: Instant) -> Result<ProjectResult, Errors> {
    let tier = tiers::resolve(p, &req.member, "member")?;
    let Some(reward) = p.reward(&req.reward_id) else {
        return fail(
            "unknown_reward",
            "reward_id",
            "the reward is not in the programme",
        );
    };
    let plan = &req.plan;
    if plan.amount.is_zero() || !money_in_range(plan.amount) {
        return fail(
            "invalid_amount",
            "plan.amount",
            "amount must be greater than 0 and at most 10^13",
        );
    }
    let every = match (plan.every_days, plan.every_months) {
        (Some(d), None) if (1..=3650).contains(&d) => (d, 0),
        (None, Some(m)) if (1..=120).contains(&m) => (0, m),
        _ => {
            return fail(
                "invalid_plan",
                "plan",
                "give exactly one of every_days (1-3650) or every_months (1-120)",
            )
        }
    };
    let years = req.horizon_years.unwrap_or(10);
    if years == 0 || years > 30 {
        return fail(
            "invalid_plan",
            "horizon_years",
            "horizon_years must be 1-30",
        );
    }
    let today = at.day_in(p.offset);
    let first = plan.first.unwrap_or(today);
    if first < today {
        return fail(
            "invalid_plan",
            "plan.first",
            "the first purchase cannot be before today",
        );
    }
    let end = add_months(today, years * 12, "horizon_years")?;
    let mut lots = wallet::normalize(p, &req.member.wallet, "member.wallet")?;
    let kinds = &reward.kinds;
    let line = [Line {
        id: None,
        category: plan.category.clone(),
        unit_price: plan.amount,
        quantity: 1,
        discount: None,
    }];

    // Purchase days and the lots they create.
    let mut purchase_days = Vec::new();
    let mut day = first;
    let mut k = 0u32;
    // At most 2,000 purchases: the answer is in reach long before that for any real plan.
    while day <= end && purchase_days.len() < 2000 {
        purchase_days.push(day);
        k += 1;
        day = if every.0 > 0 {
            add_days(first, i64::from(every.0) * i64::from(k), "plan")?
        } else {
            add_months(first, every.1 * k, "plan")?
        };
    }
    let mut per_purchase = 0;
    let mut new_lots: Vec<(Day, Lot)> = Vec::new();
    for d in &purchase_days {
        let when = if *d == today {
            at
        } else {
            start_of(*d, p.offset)
        };
        let q = earning::quote(
            p,
            &Context {
                at: when,
                tier,
                stats: None,
                explain: false,
            },
            &line,
            Decimal::ZERO,
            0,
            Decimal::ZERO,
        )?;
        per_purchase = per_purchase.max(q.total_points);
        for (kind, pts) in q.points.iter().filter(|(_, v)| **v > 0) {
            new_lots.push((
                *d,
                Lot {
                    id: None,
                    kind: kind.to_string(),
                    points: *pts,
                    earned: *d,
                    available: Some(q.available_on),
                    expires: q.expires_on,
                    source: Some("plan".into()),
                },
            ));
        }
    }

    // Days on which the answer can change: purchases, availability, expiry, campaign starts.
    let mut days: Vec<Day> = vec![today];
    days.extend(new_lots.iter().map(|(_, l)| l.available_day()));
    days.extend(lots.iter().map(|l| l.available_day()));
    days.extend(
        lots.iter()
            .chain(new_lots.iter().map(|(_, l)| l))
            .filter_map(|l| l.expires.and_then(|e| e.succ_opt())),
    );
    days.extend(
        p.program
            .campaigns
            .iter()
            .filter(|c| c.reward_costs.contains_key(&reward.id))
            .map(|c| c.starts.day_in(p.offset)),
    );
    days.retain(|d| *d >= today && *d <= end);
    let mut days = crate::sort::sorted(days, &|a, b| a.cmp(b));
    days.dedup();

    let mut timeline = Vec::new();
    let mut added = 0;
    for d in days {
        while added < new_lots.len() && new_lots[added].0 <= d {
            let l = new_lots[added].1.clone();
            let bal = wallet::usable(&lots, d, kinds);
            timeline.push(Step {
                day: l.earned,
                event: "purchase",
                points: l.points,
                balance: bal,
            });
            lots.push(l);
            added += 1;
        }
        let when = if d == today {
            at
        } else {
            start_of(d, p.offset)
        };
        let (cost, off) = offer(p, &reward.id, reward.cost, when, tier);
        // The campaign may start mid-day: look at both the day's start and the campaign start.
        let balance = wallet::usable(&lots, d, kinds);
        if balance >= cost {
            let purchases = purchase_days.iter().filter(|x| **x <= d).count() as u32;
            return Ok(ProjectResult {
                reward_id: reward.id.clone(),
                affordable: true,
                affordable_on: Some(d),
                purchases,
                spend: fmt_money(plan.amount * Decimal::from(purchases), p.dp),
                points_per_purchase: per_purchase,
                cost_then: cost,
                balance_then: balance,
                offer: off,
                timeline,
            });
        }
    }
    Ok(ProjectResult {
        reward_id: reward.id.clone(),
        affordable: false,
        affordable_on: None,
        purchases: purchase_days.len() as u32,
        spend: fmt_money(
            plan.amount * Decimal::from(purchase_days.len() as u32),
            p.dp,
        ),
        points_per_purchase: per_purchase,
        cost_then: reward.cost,
        balance_then: wallet::usable(&lots, end, kinds),
        offer: None,
        timeline,
    })
}
