//! Programme changes: may a new version take effect on the day proposed?
//!
//! The article's rule: a validity period may not be shortened without notice. A new version
//! that would make any existing point expire sooner is refused unless it takes effect at least
//! `expiry_notice_days` after it was announced. Other changes a member would feel (costlier
//! rewards, a lower earning rate, removed rewards) are listed so the merchant can announce them.

use crate::calendar::{add_days, day_serde, Day};
use crate::error::{fail, parse_json, Error, Errors};
use crate::expiry::policy_expiry;
use crate::program::{Loaded, Program};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeRequest {
    /// The proposed programme (kept as text, parsed with its own error paths).
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub program: Box<serde_json::value::RawValue>,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub announced: Day,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub effective: Day,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExpiryExample {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub earned: Day,
    #[serde(with = "day_serde::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub old_expires: Option<Day>,
    #[serde(with = "day_serde::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub new_expires: Option<Day>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeResult {
    pub allowed: bool,
    pub shortens_expiry: bool,
    pub notice_days: u32,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub earliest_effective: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<ExpiryExample>,
    /// Why the change is refused, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Error>,
    /// Other changes members will notice; worth announcing.
    pub changes: Vec<Error>,
    pub new_fingerprint: String,
}

/// The earliest earned day (on or before `effective`) whose points expire sooner under `new`.
fn first_shortened(
    old: &Loaded,
    new: &Loaded,
    effective: Day,
) -> Result<Option<ExpiryExample>, Errors> {
    // Points still alive on `effective` were earned at most this long ago (40 years bounds
    // `never` and long policies; any real programme is far shorter).
    let mut earned = add_days(effective, -40 * 366, "effective")?;
    while earned <= effective {
        let o = policy_expiry(&old.program.expiry, earned, "")?;
        let alive = o.is_none_or(|o| o >= effective);
        if alive {
            let n = policy_expiry(&new.program.expiry, earned, "")?;
            let sooner = match (o, n) {
                (None, Some(_)) => true,
                (Some(o), Some(n)) => n < o,
                _ => false,
            };
            if sooner {
                return Ok(Some(ExpiryExample {
                    earned,
                    old_expires: o,
                    new_expires: n,
                }));
            }
        }
        match earned.succ_opt() {
            Some(next) => earned = next,
            None => break,
        }
    }
    Ok(None)
}

fn notable(old: &Loaded, new: &Loaded) -> Vec<Error> {
    let mut out = Vec::new();
    let (o, n) = (&old.program, &new.program);
    if n.earn.points_per_unit < o.earn.points_per_unit {
        out.push(Error::new(
            "earn_rate_lowered",
            "earn.points_per_unit",
            format!(
                "earning falls from {} to {} points per unit",
                o.earn.points_per_unit, n.earn.points_per_unit
            ),
        ));
    }
    for r in &o.rewards {
        match new.reward(&r.id) {
            None => out.push(Error::new(
                "reward_removed",
                "rewards",
                format!("reward `{}` is removed", r.id),
            )),
            Some(nr) if nr.cost > r.cost => out.push(Error::new(
                "reward_cost_raised",
                "rewards",
                format!("reward `{}` costs {} instead of {}", r.id, nr.cost, r.cost),
            )),
            _ => {}
        }
    }
    if n.earn.pending_days > o.earn.pending_days {
        out.push(Error::new(
            "pending_days_longer",
            "earn.pending_days",
            "points take longer to become usable",
        ));
    }
    out
}

pub fn check(old: &Loaded, req: &ChangeRequest) -> Result<ChangeResult, Errors> {
    let program: Program = parse_json(req.program.get(), "program")?;
    let new = program.into_loaded().map_err(|errs| {
        errs.into_iter()
            .map(|mut e| {
                e.path = if e.path.is_empty() {
                    "program".into()
                } else {
                    format!("program.{}", e.path)
                };
                e
            })
            .collect::<Vec<_>>()
    })?;
    if req.effective < req.announced {
        return fail(
            "effective_before_announced",
            "effective",
            "a change cannot take effect before it is announced",
        );
    }
    if new.program.currency != old.program.currency {
        return fail(
            "currency_changed",
            "program.currency",
            "a new version cannot change the currency of existing points",
        );
    }
    let notice = old.program.expiry_notice_days;
    let earliest = add_days(req.announced, i64::from(notice), "announced")?;
    let example = first_shortened(old, &new, req.effective)?;
    let shortens = example.is_some();
    let allowed = !shortens || req.effective >= earliest;
    let reason = (!allowed).then(|| {
        Error::new(
            "expiry_shortened_without_notice",
            "effective",
            format!("the new version makes existing points expire sooner; it may take effect on {earliest} at the earliest ({notice} days after the announcement)"),
        )
    });
    Ok(ChangeResult {
        allowed,
        shortens_expiry: shortens,
        notice_days: notice,
        earliest_effective: earliest,
        example,
        reason,
        changes: notable(old, &new),
        new_fingerprint: new.fingerprint,
    })
}
