//! Earning: the points a cart earns (a quote).
//!
//! Per line: eligible = unit_price × quantity − line discount − its pro-rata share of the order
//! discount − its pro-rata share of any bill offset paid with points; excluded categories earn
//! nothing. Points = eligible × points_per_unit × the combined multipliers (tier and matching
//! campaigns, per `multiplier_stacking`). Exact points are rounded once, per the programme's
//! `round_per`, and spend bonuses are added after rounding.

use crate::calendar::{add_days, day_serde, Day, Instant};
use crate::campaigns::{self, covers};
use crate::error::{fail, Error, Errors};
use crate::expiry::expiry_day;
use crate::member::Member;
use crate::num::{allocate, dec, money_in_range, round_points, Exact, Money, Rate};
use crate::program::{Campaign, Loaded, RoundPer, Stacking, Text, STANDARD};
use crate::reasons;
use crate::tiers::{self, TierProgress, TierStats};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

mod single;
pub use single::{earn_single, single_rate, SingleEarn, SingleRate};

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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineQuote<'a> {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub category: &'a str,
    pub kind: &'a str,
    pub gross: Money,
    pub discount: Money,
    pub order_discount_share: Money,
    pub offset_share: Money,
    pub eligible: Money,
    pub excluded: bool,
    pub multiplier: Rate,
    pub points_exact: Exact,
    /// Whole points of the line: rounded per line, or the line's share of its kind's
    /// order total (what the ledger records and a return takes back).
    pub points: Option<i64>,
}

/// One rule that shaped the quote, with the reason a shopper can read.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AppliedRule<'a> {
    pub rule: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    /// Line indexes the rule touched (empty for order-wide rules).
    pub lines: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
    pub reason: Arc<Text>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Quote<'a> {
    pub currency: &'a str,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<&'a str>,
    pub total_points: i64,
    /// Whole points per kind, every kind of the programme listed.
    pub points: BTreeMap<&'a str, i64>,
    pub order_total: Money,
    pub eligible_spend: Money,
    pub offset_points: i64,
    pub offset_amount: Money,
    pub amount_due: Money,
    pub lines: Vec<LineQuote<'a>>,
    pub rules: Vec<AppliedRule<'a>>,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub available_on: Day,
    #[serde(with = "day_serde::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub expires_on: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_progress: Option<TierProgress<'a>>,
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
        if !money_in_range(l.unit_price) {
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
        let gross = if l.quantity == 1 {
            l.unit_price
        } else {
            l.unit_price
                .checked_mul(Decimal::from(l.quantity))
                .unwrap_or(Decimal::MAX)
        };
        if !money_in_range(gross) && errors.is_empty() {
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
    /// Whether to list the rules that applied with their reasons. The simulator and the
    /// projection only need the figures, and skip the sentences.
    pub explain: bool,
}

/// The quote of a cart. `offset_amount` is money paid with `offset_points` points.
pub fn quote<'a>(
    p: &'a Loaded,
    ctx: &Context,
    lines: &'a [Line],
    order_discount: Decimal,
    offset_points: i64,
    offset_amount: Decimal,
) -> Result<Quote<'a>, Errors> {
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
    let cache = &p.reasons;
    let day = ctx.at.day_in(p.offset);
    let disc_shares = allocate(order_discount, &nets, dp);
    let after_disc: Vec<Decimal> = nets
        .iter()
        .zip(&disc_shares)
        .map(|(n, s)| *n - *s)
        .collect();
    let off_shares = allocate(offset_amount, &after_disc, dp);

    let tier_mult = tiers::multiplier(p, ctx.tier);
    // Running campaigns with their programme index (reasons are cached by index).
    let campaigns: Vec<(usize, &Campaign)> = prog
        .campaigns
        .iter()
        .enumerate()
        .filter(|(_, c)| campaigns::active(c, ctx.at) && campaigns::reaches(p, c, ctx.tier))
        .collect();
    let mut campaign_lines: Vec<Vec<usize>> = vec![Vec::new(); campaigns.len()];
    let mut excluded_lines = Vec::new();
    let mut earning_lines = Vec::with_capacity(lines.len());
    // Exact and per-line-rounded points, per kind, in programme kind order (standard last).
    let kind_ids: Vec<&str> = prog
        .point_kinds
        .iter()
        .map(|k| k.id.as_str())
        .chain(p.kind(STANDARD).is_none().then_some(STANDARD))
        .collect();
    let mut exact = vec![Decimal::ZERO; kind_ids.len()];
    let mut rounded = vec![0i64; kind_ids.len()];
    let mut kind_used = vec![false; kind_ids.len()];
    let mut eligible_spend = Decimal::ZERO;
    let mut out_lines = Vec::with_capacity(lines.len());
    let ppu = prog.earn.points_per_unit;

    for (i, l) in lines.iter().enumerate() {
        let kind = p.kind_for_category(&l.category);
        let ki = kind_ids.iter().position(|k| *k == kind).unwrap_or(0);
        kind_used[ki] = true;
        let excluded = is_excluded(p, &l.category);
        let eligible = if excluded {
            Decimal::ZERO
        } else {
            after_disc[i] - off_shares[i]
        };
        let mut mult = tier_mult;
        let mut points_exact = Decimal::ZERO;
        if excluded {
            excluded_lines.push(i);
        } else {
            earning_lines.push(i);
            eligible_spend += eligible;
            for (ci, (_, c)) in campaigns.iter().enumerate() {
                if let Some(m) = c.multiplier {
                    if covers(c, &l.category) {
                        mult = stack(prog.earn.multiplier_stacking, mult, m)
                            .ok_or_else(|| overflow(&format!("lines[{i}]")))?;
                        if ctx.explain {
                            campaign_lines[ci].push(i);
                        }
                    }
                }
            }
            points_exact = times(eligible, ppu)
                .and_then(|x| times(x, mult))
                .ok_or_else(|| overflow(&format!("lines[{i}]")))?;
        }
        exact[ki] = exact[ki]
            .checked_add(points_exact)
            .ok_or_else(|| overflow("lines"))?;
        let line_points = match prog.earn.round_per {
            RoundPer::Line => {
                let pts = round_points(points_exact, prog.earn.rounding, "lines")?;
                rounded[ki] += pts;
                Some(pts)
            }
            RoundPer::Order => None,
        };
        let discount = l.discount.unwrap_or_default();
        out_lines.push(LineQuote {
            index: i,
            id: l.id.as_deref(),
            category: &l.category,
            kind: kind_ids[ki],
            gross: Money::new(nets[i] + discount, dp),
            discount: Money::new(discount, dp),
            order_discount_share: Money::new(disc_shares[i], dp),
            offset_share: Money::new(off_shares[i], dp),
            eligible: Money::new(eligible, dp),
            excluded,
            multiplier: Rate(if excluded { Decimal::ONE } else { mult }),
            points_exact: Exact(points_exact),
            points: line_points,
        });
    }

    let mut points: BTreeMap<&str, i64> = BTreeMap::new();
    for (ki, kind) in kind_ids.iter().enumerate() {
        let whole = match prog.earn.round_per {
            RoundPer::Order => round_points(exact[ki], prog.earn.rounding, "lines")?,
            RoundPer::Line => rounded[ki],
        };
        points.insert(kind, whole);
        if prog.earn.round_per == RoundPer::Order && kind_used[ki] {
            attribute_to_lines(&mut out_lines, kind, whole);
        }
    }

    // Reasons, in the order a shopper reads them.
    let mut rules: Vec<AppliedRule> = Vec::with_capacity(6);
    let rule = |rule, id, lines, points, reason| AppliedRule {
        rule,
        id,
        lines,
        points,
        reason,
    };
    if ctx.explain {
        if !earning_lines.is_empty() {
            rules.push(rule(
                "base_rate",
                None,
                earning_lines.clone(),
                None,
                cache.base_rate.clone(),
            ));
            if let Some(t) = ctx.tier.filter(|_| tier_mult != Decimal::ONE) {
                rules.push(rule(
                    "tier_multiplier",
                    prog.tiers.get(t).map(|t| t.id.as_str()),
                    earning_lines.clone(),
                    None,
                    cache.tiers[t].clone(),
                ));
            }
        }
        let boosted = campaign_lines.iter().filter(|l| !l.is_empty()).count();
        for (ci, (idx, c)) in campaigns.iter().enumerate() {
            if !campaign_lines[ci].is_empty() {
                rules.push(rule(
                    "campaign_multiplier",
                    Some(c.id.as_str()),
                    std::mem::take(&mut campaign_lines[ci]),
                    None,
                    cache.campaign_multiplier[*idx].clone(),
                ));
            }
        }
        if boosted > 1 || (boosted == 1 && tier_mult != Decimal::ONE) {
            rules.push(rule(
                "multiplier_stacking",
                None,
                Vec::new(),
                None,
                cache.stacking.clone(),
            ));
        }
        if !excluded_lines.is_empty() {
            rules.push(rule(
                "excluded_category",
                None,
                excluded_lines,
                None,
                cache.excluded.clone(),
            ));
        }
        for (ki, kind) in kind_ids.iter().enumerate() {
            if kind_used[ki] && *kind != STANDARD {
                let kl = out_lines
                    .iter()
                    .filter(|l| l.kind == *kind)
                    .map(|l| l.index)
                    .collect();
                rules.push(rule(
                    "point_kind",
                    Some(kind),
                    kl,
                    points.get(kind).copied(),
                    cache.kind(kind),
                ));
            }
        }
    }
    for (idx, c) in &campaigns {
        let Some(bonus) = c.bonus_points else {
            continue;
        };
        let spend: Decimal = out_lines
            .iter()
            .filter(|l| !l.excluded && covers(c, l.category))
            .map(|l| l.eligible.amount)
            .sum();
        let min = c.min_spend.unwrap_or_default();
        if bonus_applies(min, spend) {
            *points.entry(STANDARD).or_default() += bonus;
            if !ctx.explain {
                continue;
            }
            rules.push(rule(
                "spend_bonus",
                Some(c.id.as_str()),
                Vec::new(),
                Some(bonus),
                cache.spend_bonus[*idx].clone(),
            ));
        } else if ctx.explain {
            rules.push(rule(
                "spend_bonus_missed",
                Some(c.id.as_str()),
                Vec::new(),
                Some(0),
                Arc::new(reasons::spend_bonus_missed(c, bonus, min - spend, p)),
            ));
        }
    }
    if offset_points > 0 && ctx.explain {
        rules.push(rule(
            "bill_offset",
            None,
            Vec::new(),
            Some(-offset_points),
            Arc::new(reasons::offset_no_earn(offset_points, offset_amount, p)),
        ));
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
        currency: &prog.currency,
        day,
        tier: ctx
            .tier
            .and_then(|i| prog.tiers.get(i))
            .map(|t| t.id.as_str()),
        total_points,
        points,
        order_total: Money::new(order_total, dp),
        eligible_spend: Money::new(eligible_spend, dp),
        offset_points,
        offset_amount: Money::new(offset_amount, dp),
        amount_due: Money::new(order_total - order_discount - offset_amount, dp),
        lines: out_lines,
        rules,
        available_on,
        expires_on,
        tier_progress,
    })
}

/// Splits a kind's whole points over its lines in proportion to their exact points (the
/// remainder to the largest share, ties to the earlier line), so that the ledger can record
/// what each line earned and a return takes back exactly that.
fn attribute_to_lines(lines: &mut [LineQuote], kind: &str, whole: i64) {
    let idx: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == kind)
        .collect();
    let weights: Vec<Decimal> = idx.iter().map(|&i| lines[i].points_exact.0).collect();
    let shares = allocate(Decimal::from(whole), &weights, 0);
    for (&i, share) in idx.iter().zip(shares) {
        lines[i].points = share.try_into().ok();
    }
}

/// Whether a category earns nothing.
pub(crate) fn is_excluded(p: &Loaded, category: &str) -> bool {
    p.program
        .earn
        .excluded_categories
        .iter()
        .any(|c| c == category)
}

/// Whether a spend bonus campaign with this minimum spend pays on `spend` (the eligible spend
/// it covers).
pub(crate) fn bonus_applies(min_spend: Decimal, spend: Decimal) -> bool {
    spend >= min_spend && spend > Decimal::ZERO
}

/// `a × b`, skipping the multiplication by one that most programmes have.
pub(crate) fn times(a: Decimal, b: Decimal) -> Option<Decimal> {
    if crate::num::is_one(b) {
        Some(a)
    } else {
        a.checked_mul(b)
    }
}

/// Folds one more multiplier into `acc` per the stacking rule; `None` on overflow.
pub(crate) fn stack(stacking: Stacking, acc: Decimal, m: Decimal) -> Option<Decimal> {
    match stacking {
        Stacking::Multiply => acc.checked_mul(m),
        Stacking::Best => Some(acc.max(m)),
        Stacking::Add => acc.checked_add(m - Decimal::ONE),
    }
}
