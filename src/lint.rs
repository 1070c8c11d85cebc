//! Lints: things a valid programme allows but a merchant probably did not mean.
//! Warnings only; `jifen check` prints them beside the fingerprint.

use crate::error::Error;
use crate::program::{ExpiryPolicy, Loaded};

pub fn lint(p: &Loaded) -> Vec<Error> {
    let prog = &p.program;
    let mut w = Vec::new();
    if let Some(h) = &prog.household {
        for (i, k) in h.transfer_kinds.iter().enumerate() {
            if p.kind(k).is_some_and(|k| !k.transferable) {
                w.push(Error::new(
                    "kind_not_marked_transferable",
                    format!("household.transfer_kinds[{i}]"),
                    format!("point kind `{k}` is transferable here but not marked `transferable`"),
                ));
            }
        }
    }
    for (i, k) in prog.point_kinds.iter().enumerate() {
        if k.transferable
            && !prog
                .household
                .as_ref()
                .is_some_and(|h| h.transfer_kinds.contains(&k.id))
        {
            w.push(Error::new("transferable_kind_unused", format!("point_kinds[{i}].transferable"), format!("point kind `{}` is marked transferable but household.transfer_kinds does not list it", k.id)));
        }
        for c in &k.categories {
            if prog.earn.excluded_categories.contains(c) {
                w.push(Error::new(
                    "kind_category_excluded",
                    format!("point_kinds[{i}].categories"),
                    format!(
                        "category `{c}` earns `{}` but is excluded from earning",
                        k.id
                    ),
                ));
            }
        }
    }
    if prog.reminder_days.is_empty() && !matches!(prog.expiry, ExpiryPolicy::Never) {
        w.push(Error::new(
            "no_expiry_reminders",
            "reminder_days",
            "points expire but no reminder days are set",
        ));
    }
    for (i, c) in prog.campaigns.iter().enumerate() {
        for (rid, cost) in &c.reward_costs {
            if p.reward(rid).is_some_and(|r| *cost >= r.cost) {
                w.push(Error::new(
                    "campaign_cost_not_lower",
                    format!("campaigns[{i}].reward_costs.{rid}"),
                    "the campaign cost is not lower than the base cost",
                ));
            }
        }
    }
    w
}
