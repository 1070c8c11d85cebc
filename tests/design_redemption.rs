//! DESIGN.md, rewards, bill offset, expiry and programme changes: one named test per rule
//! and worked number, on the reference programme.

mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn reward_values_per_point_match_the_article() {
    let r = run(&engine(), "rewards", json!({}), PLAIN);
    let vpp = |id: &str| {
        r["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()["value_per_point"]
            .clone()
    };
    assert_eq!(vpp("bedding-set"), "0.1");
    assert_eq!(vpp("latex-pillow"), "0.1");
    assert_eq!(vpp("curtain-cleaning"), "0.075");
}

#[test]
fn spring_refresh_bedding_set_costs_2500_for_twenty_percent_more_value_until_april_30() {
    let r = run(&engine(), "rewards", json!({}), SPRING);
    let o = &r["options"][0];
    assert_eq!(o["id"], "bedding-set");
    assert_eq!(o["base_cost"], 3000);
    assert_eq!(o["cost"], 2500);
    assert_eq!(o["value_per_point"], "0.12");
    assert_eq!(o["offer"]["uplift_percent"], "20");
    assert_eq!(o["offer"]["until"], "2026-04-30");
    let after = run(&engine(), "rewards", json!({}), "2026-05-01T00:00:00+08:00");
    assert!(after["options"]
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o.get("offer").is_none()));
}

#[test]
fn affordability_counts_only_the_kinds_a_reward_accepts() {
    let wallet = json!([{ "kind": "standard", "points": 900, "earned": "2026-01-01" }, { "kind": "green", "points": 600, "earned": "2026-01-01" }]);
    let r = run(
        &engine(),
        "rewards",
        json!({ "member": { "tier": "member", "wallet": wallet } }),
        PLAIN,
    );
    let opt = |id: &str| {
        r["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(opt("eco-donation")["affordable"], true);
    assert_eq!(opt("low-carbon-travel")["balance"], 600);
    assert_eq!(opt("low-carbon-travel")["shortfall"], 400);
    assert_eq!(opt("curtain-cleaning")["balance"], 1500);
    assert_eq!(opt("curtain-cleaning")["shortfall"], 500);
    assert_eq!(opt("curtain-cleaning")["spend_needed"], "500.00");
}

#[test]
fn spend_needed_uses_the_member_tier_rate() {
    let r = run(
        &engine(),
        "rewards",
        json!({ "member": { "tier": "silver" } }),
        PLAIN,
    );
    let o = r["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "curtain-cleaning")
        .unwrap()
        .clone();
    // 2000 points at 1.2 points per yuan: 1666.67 (rounded up, so the spend really earns 2000).
    assert_eq!(o["spend_needed"], "1666.67");
}

#[test]
fn bill_offset_range_follows_share_minimum_step_and_wallet() {
    let wallet = json!([{ "kind": "standard", "points": 5000, "earned": "2026-01-01" }, { "kind": "green", "points": 9000, "earned": "2026-01-01" }]);
    let o = run(
        &engine(),
        "offset",
        json!({ "member": { "tier": "member", "wallet": wallet }, "lines": [{ "category": "bedding", "unit_price": "399", "quantity": 1 }] }),
        PLAIN,
    );
    // 50% of ¥399 = ¥199.50 = 3990 points → 3900 in steps of 100; green points do not count.
    assert_eq!(o["range"]["max_points"], 3900);
    assert_eq!(o["range"]["min_points"], 100);
    assert_eq!(o["range"]["balance"], 5000);
    assert_eq!(o["range"]["max_amount"], "195.00");
}

#[test]
fn the_amount_paid_with_points_earns_no_points() {
    let wallet = json!([{ "kind": "standard", "points": 5000, "earned": "2026-01-01" }]);
    let o = run(
        &engine(),
        "offset",
        json!({ "member": { "tier": "member", "wallet": wallet }, "lines": [{ "category": "bedding", "unit_price": "399", "quantity": 1 }], "points": 2000 }),
        PLAIN,
    );
    assert_eq!(o["amount"], "100.00");
    assert_eq!(o["quote"]["total_points"], 299);
    assert_eq!(o["quote"]["amount_due"], "299.00");
}

#[test]
fn offsets_off_step_or_below_minimum_are_refused() {
    let wallet = json!([{ "kind": "standard", "points": 5000, "earned": "2026-01-01" }]);
    let base = |points: i64| json!({ "member": { "tier": "member", "wallet": wallet }, "lines": [{ "category": "bedding", "unit_price": "399", "quantity": 1 }], "points": points });
    assert_eq!(
        codes(&run_err(&engine(), "offset", base(150), PLAIN)),
        ["offset_not_in_steps"]
    );
    assert_eq!(
        codes(&run_err(&engine(), "offset", base(4000), PLAIN)),
        ["offset_exceeds_share"]
    );
    let e = engine_with(|p| p["bill_offset"]["min_points"] = json!(500));
    assert_eq!(
        codes(&run_err(&e, "offset", base(300), PLAIN)),
        ["offset_below_minimum"]
    );
}

#[test]
fn bill_offset_needs_the_minimum_tier() {
    let e = engine_with(|p| p["bill_offset"]["min_tier"] = json!("silver"));
    let o = run(
        &e,
        "offset",
        json!({ "member": { "tier": "member" }, "lines": [{ "category": "bedding", "unit_price": "399", "quantity": 1 }] }),
        PLAIN,
    );
    assert_eq!(o["range"]["allowed"], false);
    assert_eq!(o["range"]["reason"]["code"], "offset_tier_too_low");
}

#[test]
fn points_earned_jan_10_under_24_months_month_end_expire_at_the_end_of_jan_31() {
    let x = run(
        &engine(),
        "expiry",
        json!({ "wallet": [{ "kind": "standard", "points": 100, "earned": "2026-01-10" }] }),
        PLAIN,
    );
    assert_eq!(x["schedule"][0]["expires"], "2028-01-31");
    let last_day = run(
        &engine(),
        "expiry",
        json!({ "wallet": [{ "kind": "standard", "points": 100, "earned": "2026-01-10" }] }),
        "2028-01-31T23:59:59+08:00",
    );
    assert_eq!(last_day["expired"], 0);
    let next_day = run(
        &engine(),
        "expiry",
        json!({ "wallet": [{ "kind": "standard", "points": 100, "earned": "2026-01-10" }] }),
        "2028-02-01T00:00:00+08:00",
    );
    assert_eq!(next_day["expired"], 100);
}

#[test]
fn other_expiry_policies_count_from_the_earned_day() {
    let days = engine_with(|p| p["expiry"] = json!({ "mode": "rolling_days", "days": 90 }));
    let eoy = engine_with(|p| p["expiry"] = json!({ "mode": "end_of_year", "after_years": 1 }));
    let never = engine_with(|p| p["expiry"] = json!({ "mode": "never" }));
    let w = json!({ "wallet": [{ "kind": "standard", "points": 100, "earned": "2026-01-10" }] });
    assert_eq!(
        run(&days, "expiry", w.clone(), PLAIN)["schedule"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        run(&days, "expiry", w.clone(), "2026-02-01T00:00:00+08:00")["schedule"][0]["expires"],
        "2026-04-10"
    );
    assert_eq!(
        run(&eoy, "expiry", w.clone(), PLAIN)["schedule"][0]["expires"],
        "2027-12-31"
    );
    assert_eq!(run(&never, "expiry", w, PLAIN)["never_expire"], 100);
}

#[test]
fn expiry_schedule_groups_by_day_and_lists_reminders_due() {
    let w = json!({ "wallet": [
        { "kind": "standard", "points": 100, "earned": "2024-08-03" },
        { "kind": "green", "points": 50, "earned": "2024-08-20" },
        { "kind": "standard", "points": 70, "earned": "2024-09-01" }
    ] });
    let x = run(&engine(), "expiry", w, "2026-08-01T09:00:00+08:00");
    assert_eq!(x["schedule"][0]["expires"], "2026-08-31");
    assert_eq!(x["schedule"][0]["points"], 150);
    assert_eq!(x["schedule"][0]["by_kind"]["green"], 50);
    assert_eq!(x["reminders_due"][0]["days_before"], 30);
    assert_eq!(x["reminders_due"][0]["points"], 150);
    let week = run(
        &engine(),
        "expiry",
        json!({ "wallet": [{ "kind": "standard", "points": 100, "earned": "2024-08-03" }] }),
        "2026-08-24T09:00:00+08:00",
    );
    assert_eq!(week["reminders_due"][0]["days_before"], 7);
}

#[test]
fn redemption_draws_the_soonest_expiring_lots_first() {
    let wallet = json!([
        { "id": "late", "kind": "standard", "points": 3000, "earned": "2026-01-05" },
        { "id": "soon", "kind": "standard", "points": 1000, "earned": "2025-02-05" }
    ]);
    let r = run(
        &engine(),
        "redeem",
        json!({ "member": { "wallet": wallet }, "reward_id": "bedding-set" }),
        SPRING,
    );
    assert_eq!(r["points_spent"], 2500);
    assert_eq!(r["consumed"][0]["id"], "soon");
    assert_eq!(r["consumed"][0]["points"], 1000);
    assert_eq!(r["consumed"][1]["points"], 1500);
    assert_eq!(r["balance_after"], 1500);
}

#[test]
fn redeeming_an_unknown_reward_is_a_typed_error() {
    let e = run_err(&engine(), "redeem", json!({ "reward_id": "yacht" }), PLAIN);
    assert_eq!(e[0].code, "unknown_reward");
    assert_eq!(e[0].path, "reward_id");
}

#[test]
fn a_new_version_that_shortens_expiry_needs_the_notice_period() {
    let mut shorter: Value = serde_json::from_str(HONGMI).unwrap();
    shorter["expiry"] = json!({ "mode": "rolling_months", "months": 12, "round": "month_end" });
    shorter["version"] = json!("2026.09");
    let req = |effective: &str| json!({ "program": shorter, "announced": "2026-08-01", "effective": effective });
    let refused = run(&engine(), "check_change", req("2026-08-15"), PLAIN);
    assert_eq!(refused["allowed"], false);
    assert_eq!(refused["reason"]["code"], "expiry_shortened_without_notice");
    assert_eq!(refused["earliest_effective"], "2026-08-31");
    let with_notice = run(&engine(), "check_change", req("2026-08-31"), PLAIN);
    assert_eq!(with_notice["allowed"], true);
    assert_eq!(with_notice["shortens_expiry"], true);
}

#[test]
fn a_longer_expiry_takes_effect_at_once() {
    let mut longer: Value = serde_json::from_str(HONGMI).unwrap();
    longer["expiry"] = json!({ "mode": "never" });
    let r = run(
        &engine(),
        "check_change",
        json!({ "program": longer, "announced": "2026-08-01", "effective": "2026-08-01" }),
        PLAIN,
    );
    assert_eq!(r["allowed"], true);
    assert_eq!(r["shortens_expiry"], false);
}
