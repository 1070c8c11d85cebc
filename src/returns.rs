//! Returns: taking back the points an order line earned, or giving back a reward's points.
//!
//! A returned line takes back what was recorded for that line when the order was placed — not
//! a recomputation under today's rules, which may have changed. A partial return takes back
//! the share of the returned units, rounded so the member never keeps more than the exact
//! share of what they kept. Points come from that order's pending lots first, then its
//! available ones; whatever was already spent is reported as points owed, never dropped.
//! A returned reward gives its points back with their original expiry days.

use crate::calendar::{day_serde, Day, Instant};
use crate::error::{fail, Error, Errors};
use crate::member::Member;
use crate::num::{round_points, Rounding};
use crate::program::Loaded;
use crate::wallet::{self, Lot, Spend};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the ledger recorded for one order line.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordedLine {
    pub line: String,
    pub kind: String,
    pub points: i64,
    pub quantity: i64,
    /// Units already returned before this request.
    #[serde(default)]
    pub returned: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnedLine {
    pub line: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    #[serde(default)]
    pub member: Member,
    /// The order whose lots carry `source` = this id.
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub recorded: Vec<RecordedLine>,
    #[serde(default)]
    pub lines: Vec<ReturnedLine>,
    /// Lots a redemption consumed, to give back when the reward is returned.
    #[serde(default)]
    pub reward_lots: Vec<Lot>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineTakeBack {
    pub line: String,
    pub kind: String,
    pub quantity: i64,
    pub points: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnResult {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    pub lines: Vec<LineTakeBack>,
    /// Points removed from the order's lots, per lot part.
    pub taken: Vec<Lot>,
    /// Points that should be taken back but were already spent.
    pub points_owed: BTreeMap<String, i64>,
    /// Lots given back for a returned reward, with their original days.
    pub restored: Vec<Lot>,
    /// Restored points whose expiry day has already passed.
    pub restored_expired: i64,
    pub wallet: Vec<Lot>,
}

/// Points a line keeps after `returned` of `quantity` units are back: floor of the exact share
/// (at most the line's points, so it always fits).
fn kept(points: i64, quantity: i64, returned: i64) -> i64 {
    let exact =
        Decimal::from(points) * Decimal::from(quantity - returned) / Decimal::from(quantity);
    round_points(exact, Rounding::Floor, "").unwrap_or(0)
}

pub fn process(p: &Loaded, req: &ReturnRequest, at: Instant) -> Result<ReturnResult, Errors> {
    let day = at.day_in(p.offset);
    let mut lots = wallet::normalize(p, &req.member.wallet, "member.wallet")?;
    let restored = wallet::normalize(p, &req.reward_lots, "reward_lots")?;
    if req.lines.is_empty() && restored.is_empty() {
        return fail(
            "nothing_returned",
            "lines",
            "name the returned lines or the reward lots",
        );
    }
    let mut errors = Vec::new();
    let mut take: BTreeMap<String, i64> = BTreeMap::new();
    let mut out_lines = Vec::new();
    for (i, r) in req.lines.iter().enumerate() {
        let Some(rec) = req.recorded.iter().find(|x| x.line == r.line) else {
            errors.push(Error::new(
                "unknown_line",
                format!("lines[{i}].line"),
                "the line is not in the recorded order",
            ));
            continue;
        };
        if rec.quantity < 1 || rec.points < 0 || rec.returned < 0 || rec.returned > rec.quantity {
            errors.push(Error::new(
                "invalid_recorded_line",
                format!("lines[{i}].line"),
                "recorded quantity, points or returned units are inconsistent",
            ));
            continue;
        }
        if r.quantity < 1 || r.quantity > rec.quantity - rec.returned {
            errors.push(Error::new(
                "invalid_quantity",
                format!("lines[{i}].quantity"),
                format!(
                    "at most {} units of this line can still be returned",
                    rec.quantity - rec.returned
                ),
            ));
            continue;
        }
        let points = kept(rec.points, rec.quantity, rec.returned)
            - kept(rec.points, rec.quantity, rec.returned + r.quantity);
        *take.entry(rec.kind.clone()).or_default() += points;
        out_lines.push(LineTakeBack {
            line: r.line.clone(),
            kind: rec.kind.clone(),
            quantity: r.quantity,
            points,
        });
    }
    if !req.lines.is_empty() && req.order_id.is_none() {
        errors.push(Error::new(
            "missing_field",
            "order_id",
            "returned lines need the order id their lots carry",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut taken = Vec::new();
    let mut owed = BTreeMap::new();
    for (kind, mut need) in take {
        // The order's lots of this kind: pending first, then soonest expiring.
        let mut idx: Vec<usize> = (0..lots.len())
            .filter(|&i| {
                lots[i].kind == kind
                    && lots[i].source.as_deref() == req.order_id.as_deref()
                    && lots[i].points > 0
            })
            .collect();
        let key = |i: usize| (!lots[i].pending_on(day), lots[i].expires, i);
        crate::sort::indices(&mut idx, &|a, b| key(a).cmp(&key(b)));
        for i in idx {
            if need == 0 {
                break;
            }
            let n = need.min(lots[i].points);
            lots[i].points -= n;
            need -= n;
            let mut part = lots[i].clone();
            part.points = n;
            taken.push(part);
        }
        if need > 0 {
            owed.insert(kind, need);
        }
    }
    lots.retain(|l| l.points > 0);
    let restored_expired = restored
        .iter()
        .filter(|l| l.lapsed_by(day))
        .map(|l| l.points)
        .sum();
    lots.extend(restored.iter().cloned());
    Ok(ReturnResult {
        day,
        lines: out_lines,
        taken,
        points_owed: owed,
        restored,
        restored_expired,
        wallet: lots,
    })
}
