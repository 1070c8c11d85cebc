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
    // A display name no rule mentions is most likely a misspelt id, which leaves the rule it
    // was meant for showing the raw id.
    let mentioned = |id: &str| {
        let has = |v: &Vec<String>| v.iter().any(|x| x == id);
        has(&prog.earn.excluded_categories)
            || prog.point_kinds.iter().any(|k| has(&k.categories))
            || prog.campaigns.iter().any(|c| has(&c.categories))
            || prog.tiers.iter().any(|t| has(&t.perks))
    };
    for id in prog.display_names.keys().filter(|id| !mentioned(id)) {
        w.push(Error::new(
            "display_name_unused",
            format!("display_names.{id}"),
            format!("no category or perk in the rules is `{id}`"),
        ));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Program;
    use serde_json::{json, Value};

    fn lint_with(edit: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
        let mut v: Value =
            serde_json::from_str(include_str!("../examples/hongmi-home.program.json")).unwrap();
        edit(&mut v);
        let p = Program::load(&v.to_string()).unwrap();
        lint(&p).into_iter().map(|e| (e.code, e.path)).collect()
    }

    #[test]
    fn the_reference_programme_has_nothing_to_lint() {
        assert_eq!(lint_with(|_| {}), []);
    }

    #[test]
    fn a_display_name_for_an_id_no_rule_mentions_is_flagged_as_a_likely_typo() {
        let name = json!({ "zh-CN": "礼品卡", "en": "Gift cards" });
        let used = ["gift-card", "energy-saving", "curtains", "free-parking"];
        let found = lint_with(|p| {
            for id in used.into_iter().chain(["gift_card"]) {
                p["display_names"][id] = name.clone();
            }
        });
        assert_eq!(
            found,
            [(
                "display_name_unused".into(),
                "display_names.gift_card".into()
            )]
        );
    }
}
