//! Earning: the points a cart earns (a quote).
//!
//! Per line: eligible = unit_price × quantity − line discount − its pro-rata share of the order
//! discount − its pro-rata share of any bill offset paid with points; excluded categories earn
//! nothing. Points = eligible × points_per_unit × the combined multipliers (tier and matching
//! campaigns, per `multiplier_stacking`). Exact points are rounded once, per the programme's
//! `round_per`, and spend bonuses are added after rounding.

use crate::calendar::{add_days, day_serde, Day, Instant};
use crate::campaigns::{covers, running};
use crate::error::{fail, Error, Errors};
use crate::expiry::expiry_day;
use crate::member::Member;
use crate::num::{allocate, dec, fmt_money, fmt_rate, round_points, MAX_MONEY};
use crate::program::{Loaded, RoundPer, Stacking, Text};
use crate::reasons;
use crate::tiers::{self, TierProgress, TierStats};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most lines a cart may have.
pub const MAX_LINES: usize = 10_000;
const MAX_QUANTITY: i64 = 1_000_000;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Line {
    #[serde(default)]
    pub id: Option<String>,
    pub category: String,
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub unit_price: Decimal,
    pub quantity: i64,
    /// Money off this line.
    #[serde(with = "dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub discount: Option<Decimal>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    #[serde(default)]
    pub member: Member,
    pub lines: Vec<Line>,
    /// Money off the whole order, shared across lines pro rata.
    #[serde(with = "dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub order_discount: Option<Decimal>,
    /// Points used as a bill offset on this order (checked against the offset rules).
    #[serde(default)]
    pub offset_points: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineQuote {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub category: String,
    pub kind: String,
    pub gross: String,
    pub discount: String,
    pub order_discount_share: String,
    pub offset_share: String,
    pub eligible: String,
    pub excluded: bool,
    pub multiplier: String,
    pub points_exact: String,
    /// Whole points of the line, when the programme rounds per line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
}

/// One rule that shaped the quote, with the reason a shopper can read.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedRule {
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Line indexes the rule touched (empty for order-wide rules).
    pub lines: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
    pub reason: Text,
}

#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub currency: String,
    #[serde(with = "day_serde")]
    pub day: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    pub total_points: i64,
    pub points: BTreeMap<String, i64>,
    pub order_total: String,
    pub eligible_spend: String,
    pub offset_points: i64,
    pub offset_amount: String,
    pub amount_due: String,
    pub lines: Vec<LineQuote>,
    pub rules: Vec<AppliedRule>,
    #[serde(with = "day_serde")]
    pub available_on: Day,
    #[serde(with = "day_serde::opt")]
    pub expires_on: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_progress: Option<TierProgress>,
}

fn overflow(path: &str) -> Errors {
    vec![Error::new(
        "overflow",
        path,
        "amount is too large to compute",
    )]
}

/// Net amount of each line (price × quantity − line discount), validated.
pub fn line_nets(lines: &[Line]) -> Result<Vec<Decimal>, Errors> {
    if lines.is_empty() {
        return fail("empty_cart", "lines", "a cart needs at least one line");
    }
    if lines.len() > MAX_LINES {
        return fail(
            "too_many_lines",
            "lines",
            format!("a cart may have at most {MAX_LINES} lines"),
        );
    }
    let mut errors = Vec::new();
    let mut nets = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        if l.category.is_empty() || l.category.len() > 64 {
            errors.push(Error::new(
                "invalid_category",
                at("category"),
                "category must be 1-64 characters",
            ));
        }
        if l.unit_price.is_sign_negative() && !l.unit_price.is_zero() || l.unit_price > MAX_MONEY {
            errors.push(Error::new(
                "invalid_amount",
                at("unit_price"),
                "unit_price must be 0 to 10^13",
            ));
        }
        if l.quantity < 1 || l.quantity > MAX_QUANTITY {
            errors.push(Error::new(
                "invalid_quantity",
                at("quantity"),
                "quantity must be 1 to 1,000,000",
            ));
        }
        let discount = l.discount.unwrap_or_default();
        if discount.is_sign_negative() && !discount.is_zero() {
            errors.push(Error::new(
                "invalid_amount",
                at("discount"),
                "discount must not be negative",
            ));
        }
        let gross = l
            .unit_price
            .checked_mul(Decimal::from(l.quantity))
            .unwrap_or(Decimal::MAX);
        if gross > MAX_MONEY && errors.is_empty() {
            errors.push(Error::new(
                "invalid_amount",
                at("unit_price"),
                "line amount must be at most 10^13",
            ));
        }
        if discount > gross {
            errors.push(Error::new(
                "discount_exceeds_line",
                at("discount"),
                "discount is larger than the line amount",
            ));
        }
        nets.push(gross - discount.min(gross));
    }
    if errors.is_empty() {
        Ok(nets)
    } else {
        Err(errors)
    }
}

/// What a quote needs besides the cart: already resolved and checked by the caller.
pub struct Context {
    pub at: Instant,
    pub tier: Option<usize>,
    pub stats: Option<TierStats>,
}

/// The quote of a cart. `offset_amount` is money paid with `offset_points` points.
pub fn quote(
    p: &Loaded,
    ctx: &Context,
    lines: &[Line],
    order_discount: Decimal,
    offset_points: i64,
    offset_amount: Decimal,
) -> Result<Quote, Errors> {
    let nets = line_nets(lines)?;
    let order_total = nets
        .iter()
        .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
        .ok_or_else(|| overflow("lines"))?;
    if order_discount.is_sign_negative() && !order_discount.is_zero() {
        return fail(
            "invalid_amount",
            "order_discount",
            "order_discount must not be negative",
        );
    }
    if order_discount > order_total {
        return fail(
            "discount_exceeds_order",
            "order_discount",
            "order_discount is larger than the order",
        );
    }
    if offset_amount > order_total - order_discount {
        return fail(
            "offset_exceeds_order",
            "offset_points",
            "the offset is larger than the amount due",
        );
    }
    let dp = p.dp;
    let prog = &p.program;
    let day = ctx.at.day_in(p.offset);
    let disc_shares = allocate(order_discount, &nets, dp);
    let after_disc: Vec<Decimal> = nets
        .iter()
        .zip(&disc_shares)
        .map(|(n, s)| *n - *s)
        .collect();
    let off_shares = allocate(offset_amount, &after_disc, dp);

    let tier_mult = tiers::multiplier(p, ctx.tier);
    let campaigns: Vec<_> = running(p, ctx.at, ctx.tier).collect();
    let mut rules: Vec<AppliedRule> = Vec::new();
    let mut campaign_lines: Vec<Vec<usize>> = vec![Vec::new(); campaigns.len()];
    let mut excluded_lines = Vec::new();
    let mut exact: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut rounded: BTreeMap<String, i64> = BTreeMap::new();
    let mut eligible_spend = Decimal::ZERO;
    let mut out_lines = Vec::with_capacity(lines.len());

    for (i, l) in lines.iter().enumerate() {
        let kind = p.kind_for_category(&l.category);
        let excluded = prog
            .earn
            .excluded_categories
            .iter()
            .any(|c| c == &l.category);
        let eligible = if excluded {
            Decimal::ZERO
        } else {
            after_disc[i] - off_shares[i]
        };
        let mut mult = Decimal::ONE;
        let mut points_exact = Decimal::ZERO;
        if excluded {
            excluded_lines.push(i);
        } else {
            eligible_spend += eligible;
            let mut factors = vec![tier_mult];
            for (ci, c) in campaigns.iter().enumerate() {
                if let Some(m) = c.multiplier {
                    if covers(c, &l.category) {
                        factors.push(m);
                        campaign_lines[ci].push(i);
                    }
                }
            }
            mult = combine(prog.earn.multiplier_stacking, &factors)
                .ok_or_else(|| overflow(&format!("lines[{i}]")))?;
            points_exact = eligible
                .checked_mul(prog.earn.points_per_unit)
                .and_then(|x| x.checked_mul(mult))
                .ok_or_else(|| overflow(&format!("lines[{i}]")))?;
        }
        let e = exact.entry(kind.to_string()).or_default();
        *e = e
            .checked_add(points_exact)
            .ok_or_else(|| overflow("lines"))?;
        let line_points = match prog.earn.round_per {
            RoundPer::Line => {
                let pts = round_points(points_exact, prog.earn.rounding, &format!("lines[{i}]"))?;
                *rounded.entry(kind.to_string()).or_default() += pts;
                Some(pts)
            }
            RoundPer::Order => None,
        };
        out_lines.push(LineQuote {
            index: i,
            id: l.id.clone(),
            category: l.category.clone(),
            kind: kind.to_string(),
            gross: fmt_money(nets[i] + l.discount.unwrap_or_default(), dp),
            discount: fmt_money(l.discount.unwrap_or_default(), dp),
            order_discount_share: fmt_money(disc_shares[i], dp),
            offset_share: fmt_money(off_shares[i], dp),
            eligible: fmt_money(eligible, dp),
            excluded,
            multiplier: fmt_rate(mult),
            points_exact: exact_str(points_exact),
            points: line_points,
        });
    }

    let mut points: BTreeMap<String, i64> = BTreeMap::new();
    for k in prog
        .point_kinds
        .iter()
        .map(|k| k.id.clone())
        .chain([crate::program::STANDARD.to_string()])
    {
        points.insert(k, 0);
    }
    for (kind, ex) in &exact {
        let whole = match prog.earn.round_per {
            RoundPer::Order => round_points(*ex, prog.earn.rounding, "lines")?,
            RoundPer::Line => rounded.get(kind).copied().unwrap_or(0),
        };
        points.insert(kind.clone(), whole);
    }

    // Reasons, in the order a shopper reads them.
    let earning_lines: Vec<usize> = (0..lines.len())
        .filter(|i| !excluded_lines.contains(i))
        .collect();
    rules.push(AppliedRule {
        rule: "base_rate",
        id: None,
        lines: earning_lines.clone(),
        points: None,
        reason: reasons::base_rate(p),
    });
    if let Some(t) = ctx.tier.and_then(|i| prog.tiers.get(i)) {
        if t.multiplier != Decimal::ONE && !earning_lines.is_empty() {
            rules.push(AppliedRule {
                rule: "tier_multiplier",
                id: Some(t.id.clone()),
                lines: earning_lines.clone(),
                points: None,
                reason: reasons::tier_multiplier(t),
            });
        }
    }
    for (ci, c) in campaigns.iter().enumerate() {
        if !campaign_lines[ci].is_empty() {
            let m = c.multiplier.unwrap_or(Decimal::ONE);
            rules.push(AppliedRule {
                rule: "campaign_multiplier",
                id: Some(c.id.clone()),
                lines: campaign_lines[ci].clone(),
                points: None,
                reason: reasons::campaign_multiplier(c, m, p),
            });
        }
    }
    if campaigns.iter().any(|c| c.multiplier.is_some()) || tier_mult != Decimal::ONE {
        let stacking = prog.earn.multiplier_stacking;
        if campaign_lines.iter().any(|l| !l.is_empty())
            && (tier_mult != Decimal::ONE
                || campaign_lines.iter().filter(|l| !l.is_empty()).count() > 1)
        {
            rules.push(AppliedRule {
                rule: "multiplier_stacking",
                id: None,
                lines: Vec::new(),
                points: None,
                reason: reasons::stacking(stacking),
            });
        }
    }
    if !excluded_lines.is_empty() {
        rules.push(AppliedRule {
            rule: "excluded_category",
            id: None,
            lines: excluded_lines,
            points: None,
            reason: reasons::excluded(p),
        });
    }
    for (kind, _) in exact
        .iter()
        .filter(|(k, _)| k.as_str() != crate::program::STANDARD)
    {
        let kl: Vec<usize> = out_lines
            .iter()
            .filter(|l| &l.kind == kind)
            .map(|l| l.index)
            .collect();
        rules.push(AppliedRule {
            rule: "point_kind",
            id: Some(kind.clone()),
            lines: kl,
            points: points.get(kind).copied(),
            reason: reasons::point_kind(p, kind),
        });
    }
    for c in &campaigns {
        if let Some(bonus) = c.bonus_points {
            let spend: Decimal = out_lines
                .iter()
                .filter(|l| !l.excluded && covers(c, &l.category))
                .map(|l| after_disc[l.index] - off_shares[l.index])
                .sum();
            let min = c.min_spend.unwrap_or_default();
            if spend >= min && spend > Decimal::ZERO {
                *points
                    .entry(crate::program::STANDARD.to_string())
                    .or_default() += bonus;
                rules.push(AppliedRule {
                    rule: "spend_bonus",
                    id: Some(c.id.clone()),
                    lines: Vec::new(),
                    points: Some(bonus),
                    reason: reasons::spend_bonus(c, bonus, min, p),
                });
            } else {
                let missing = fmt_money(min - spend, dp);
                rules.push(AppliedRule {
                    rule: "spend_bonus_missed",
                    id: Some(c.id.clone()),
                    lines: Vec::new(),
                    points: Some(0),
                    reason: reasons::spend_bonus_missed(c, bonus, &missing, p),
                });
            }
        }
    }
    if offset_points > 0 {
        rules.push(AppliedRule {
            rule: "bill_offset",
            id: None,
            lines: Vec::new(),
            points: Some(-offset_points),
            reason: reasons::offset_no_earn(offset_points, &fmt_money(offset_amount, dp), p),
        });
    }

    let total_points = points.values().sum();
    let available_on = add_days(day, i64::from(prog.earn.pending_days), "at")?;
    let expires_on = expiry_day(p, day, "at")?;
    let tier_progress = ctx.stats.and_then(|s| {
        let after = TierStats {
            spend: s.spend + eligible_spend,
            orders: s.orders.saturating_add(1),
        };
        tiers::progress(p, ctx.tier, after)
    });
    Ok(Quote {
        currency: prog.currency.clone(),
        day,
        tier: ctx
            .tier
            .and_then(|i| prog.tiers.get(i))
            .map(|t| t.id.clone()),
        total_points,
        points,
        order_total: fmt_money(order_total, dp),
        eligible_spend: fmt_money(eligible_spend, dp),
        offset_points,
        offset_amount: fmt_money(offset_amount, dp),
        amount_due: fmt_money(order_total - order_discount - offset_amount, dp),
        lines: out_lines,
        rules,
        available_on,
        expires_on,
        tier_progress,
    })
}

/// Combines multipliers per the programme's stacking rule; `None` on overflow.
pub fn combine(stacking: Stacking, factors: &[Decimal]) -> Option<Decimal> {
    match stacking {
        Stacking::Multiply => factors
            .iter()
            .try_fold(Decimal::ONE, |a, b| a.checked_mul(*b)),
        Stacking::Best => factors.iter().copied().max().or(Some(Decimal::ONE)),
        Stacking::Add => factors
            .iter()
            .try_fold(Decimal::ONE, |a, b| a.checked_add(*b - Decimal::ONE)),
    }
}

fn exact_str(d: Decimal) -> String {
    d.round_dp(6).normalize().to_string()
}
