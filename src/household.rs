//! Household transfers: moving transferable points (green points) between family members.
//!
//! At least `min_transfer`, at most `max_transfer_per_month` per sender per calendar month
//! (in the programme's offset), only between members of one household of at most
//! `max_members`. A transfer moves the sender's soonest-expiring lots and keeps their days,
//! so a transfer never extends a point's life and never creates or destroys a point.

use crate::calendar::{day_serde, Day, Instant};
use crate::error::{fail, Errors};
use crate::member::Member;
use crate::program::Loaded;
use crate::wallet::{self, Lot};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// Member ids of the household, as the server knows it.
    pub household: Vec<String>,
    pub from: Member,
    pub to: Member,
    #[serde(default)]
    pub kind: Option<String>,
    pub points: i64,
    /// Points the sender already transferred this calendar month.
    #[serde(default)]
    pub sent_this_month: i64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransferResult {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub day: Day,
    pub kind: String,
    pub points: i64,
    /// Lots as they arrive with the receiver: the sender's days kept; `id` names the sender's
    /// lot each part came from.
    pub moved: Vec<Lot>,
    pub from_wallet: Vec<Lot>,
    pub to_wallet: Vec<Lot>,
    /// What the sender may still send this month after this transfer.
    pub remaining_this_month: i64,
}

pub fn transfer(p: &Loaded, req: &TransferRequest, at: Instant) -> Result<TransferResult, Errors> {
    let Some(h) = &p.program.household else {
        return fail(
            "transfers_not_offered",
            "",
            "this programme has no household transfers",
        );
    };
    let kind = match &req.kind {
        Some(k) => k.clone(),
        None => match h.transfer_kinds.as_slice() {
            [only] => only.clone(),
            _ => return fail("missing_field", "kind", "name the point kind to transfer"),
        },
    };
    if !h.transfer_kinds.contains(&kind) {
        return fail(
            "kind_not_transferable",
            "kind",
            format!(
                "`{}` points cannot be transferred",
                kind.chars().take(40).collect::<String>()
            ),
        );
    }
    let (Some(from_id), Some(to_id)) = (&req.from.id, &req.to.id) else {
        return fail(
            "missing_field",
            "from.id",
            "sender and receiver need their member ids",
        );
    };
    if req.household.len() > h.max_members as usize {
        return fail(
            "household_too_large",
            "household",
            format!("a household has at most {} members", h.max_members),
        );
    }
    if from_id == to_id {
        return fail(
            "same_member",
            "to.id",
            "sender and receiver are the same member",
        );
    }
    if !req.household.contains(from_id) {
        return fail(
            "not_in_household",
            "from.id",
            "the sender is not in this household",
        );
    }
    if !req.household.contains(to_id) {
        return fail(
            "not_in_household",
            "to.id",
            "the receiver is not in this household",
        );
    }
    if req.points <= 0 || req.points < h.min_transfer {
        return fail(
            "transfer_below_minimum",
            "points",
            format!("transfer at least {} points", h.min_transfer.max(1)),
        );
    }
    if req.sent_this_month < 0 {
        return fail("invalid_points", "sent_this_month", "must not be negative");
    }
    let left = (h.max_transfer_per_month - req.sent_this_month).max(0);
    if req.points > left {
        return fail(
            "monthly_limit_exceeded",
            "points",
            format!(
                "only {left} more points may be sent this month (limit {})",
                h.max_transfer_per_month
            ),
        );
    }
    let from = wallet::normalize(p, &req.from.wallet, "from.wallet")?;
    let mut to = wallet::normalize(p, &req.to.wallet, "to.wallet")?;
    let day = at.day_in(p.offset);
    let (moved, from_rest) = wallet::draw(
        &from,
        day,
        std::slice::from_ref(&kind),
        req.points,
        "points",
    )?;
    let moved: Vec<Lot> = moved
        .into_iter()
        .map(|mut l| {
            l.source = Some(format!("transfer:{from_id}"));
            l
        })
        .collect();
    to.extend(moved.iter().cloned());
    Ok(TransferResult {
        day,
        kind,
        points: req.points,
        moved,
        from_wallet: from_rest,
        to_wallet: to,
        remaining_this_month: left - req.points,
    })
}
