//! Expiry: when a lot's points lapse, and the schedule and reminders a member should see.
//!
//! The expiry day is counted from the earned day under the programme's policy and is the last
//! day the points can be spent. Reminders fall `reminder_days` before an expiry day.

use crate::calendar::{add_days, add_months, day_serde, month_end, Day};
use crate::error::Errors;
use crate::program::{ExpiryPolicy, ExpiryRound, Loaded};
use crate::wallet::{Lot, Spend};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The last day points earned on `earned` can be spent; `None` when they never expire.
pub fn expiry_day(p: &Loaded, earned: Day, path: &str) -> Result<Option<Day>, Errors> {
    policy_expiry(&p.program.expiry, earned, path)
}

/// The same for any policy (the change check compares two).
pub fn policy_expiry(
    policy: &ExpiryPolicy,
    earned: Day,
    path: &str,
) -> Result<Option<Day>, Errors> {
    Ok(match policy {
        ExpiryPolicy::RollingMonths { months, round } => {
            let d = add_months(earned, *months, path)?;
            Some(match round {
                Some(ExpiryRound::MonthEnd) => month_end(d),
                None => d,
            })
        }
        ExpiryPolicy::RollingDays { days } => Some(add_days(earned, i64::from(*days), path)?),
        ExpiryPolicy::EndOfYear { after_years } => {
            let year = earned.year().checked_add(*after_years as i32);
            match year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)) {
                Some(d) => Some(d),
                None => {
                    return crate::error::fail("date_out_of_range", path, "date is out of range")
                }
            }
        }
        ExpiryPolicy::Never => None,
    })
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpiryRequest {
    pub wallet: Vec<Lot>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExpiryGroup {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub expires: Day,
    pub points: i64,
    pub by_kind: BTreeMap<String, i64>,
    /// Days from today to the expiry day.
    pub days_left: i64,
    /// Within the longest reminder period: the points a shopper should be told about now.
    pub soon: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reminder {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub expires: Day,
    pub points: i64,
    pub days_before: u32,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExpiryResult {
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub today: Day,
    /// Points still to expire, grouped by expiry day, soonest first.
    pub schedule: Vec<ExpiryGroup>,
    /// Reminders due today: a reminder day of the programme falls on today.
    pub reminders_due: Vec<Reminder>,
    /// Points expiring within the longest reminder period: what a shopper should see now.
    pub expiring_soon: i64,
    /// Points whose expiry day has passed.
    pub expired: i64,
    pub never_expire: i64,
}

/// The expiry schedule of a (normalized) wallet on `today`.
pub fn schedule(p: &Loaded, lots: &[Lot], today: Day) -> ExpiryResult {
    let mut groups: BTreeMap<Day, BTreeMap<String, i64>> = BTreeMap::new();
    let (mut expired, mut never) = (0, 0);
    for lot in lots.iter().filter(|l| l.points > 0) {
        match lot.expires {
            Some(_) if lot.lapsed_by(today) => expired += lot.points,
            Some(e) => {
                *groups
                    .entry(e)
                    .or_default()
                    .entry(lot.kind.clone())
                    .or_default() += lot.points
            }
            None => never += lot.points,
        }
    }
    let horizon = p.program.reminder_days.iter().copied().max().unwrap_or(0);
    let mut schedule = Vec::new();
    let mut reminders = Vec::new();
    let mut soon = 0;
    for (expires, by_kind) in groups {
        let points = by_kind.values().sum();
        let days_left = (expires - today).num_days();
        let is_soon = days_left <= i64::from(horizon);
        if is_soon {
            soon += points;
        }
        for r in &p.program.reminder_days {
            if i64::from(*r) == days_left {
                reminders.push(Reminder {
                    expires,
                    points,
                    days_before: *r,
                });
            }
        }
        schedule.push(ExpiryGroup {
            expires,
            points,
            by_kind,
            days_left,
            soon: is_soon,
        });
    }
    ExpiryResult {
        today,
        schedule,
        reminders_due: reminders,
        expiring_soon: soon,
        expired,
        never_expire: never,
    }
}
