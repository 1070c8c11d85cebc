//! Every rule and worked number of DESIGN.md, one named test each, on the reference programme
//! (`examples/hongmi-home.program.json`, the seed article's programme).

mod common;
use common::*;
use serde_json::{json, Value};

const SPRING: &str = "2026-03-10T12:00:00+08:00";
const PLAIN: &str = "2026-07-10T12:00:00+08:00"; // no campaign runs

fn cart(lines: Value) -> Value {
    json!({ "member": { "tier": "member" }, "lines": lines })
}

#[test]
fn one_yuan_earns_one_point() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "1", "quantity": 1 }])),
        PLAIN,
    );
    assert_eq!(q["total_points"], 1);
}

#[test]
fn eight_hundred_yuan_every_half_year_earns_800_each_time_and_1600_a_year() {
    let e = engine();
    let first = run(
        &e,
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "800", "quantity": 1 }])),
        "2026-01-15T10:00:00+08:00",
    );
    let second = run(
        &e,
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "800", "quantity": 1 }])),
        "2026-07-15T10:00:00+08:00",
    );
    assert_eq!(first["total_points"], 800);
    assert_eq!(
        first["total_points"].as_i64().unwrap() + second["total_points"].as_i64().unwrap(),
        1600
    );
}

#[test]
fn projection_answers_when_800_every_half_year_affords_the_bedding_set() {
    let p = run(
        &engine(),
        "project",
        json!({ "reward_id": "bedding-set", "plan": { "amount": "800", "category": "bedding", "every_months": 6 } }),
        "2026-07-01T10:00:00+08:00",
    );
    // 4 purchases (3,200 points) are needed for 3,000; the 4th becomes usable 7 days later.
    assert_eq!(p["affordable_on"], "2028-01-08");
    assert_eq!(p["purchases"], 4);
    assert_eq!(p["points_per_purchase"], 800);
    assert_eq!(p["cost_then"], 3000);
}

#[test]
fn projection_counts_the_spring_discount_when_it_is_in_reach() {
    // 2,400 usable points on 1 March: the spring cost of 2,500 is in reach with one more order.
    let wallet = json!([{ "kind": "standard", "points": 2400, "earned": "2025-12-01" }]);
    let p = run(
        &engine(),
        "project",
        json!({ "member": { "wallet": wallet }, "reward_id": "bedding-set", "plan": { "amount": "100", "category": "bedding", "every_days": 30, "first": "2026-03-02" } }),
        "2026-03-01T10:00:00+08:00",
    );
    assert_eq!(p["affordable_on"], "2026-03-09");
    assert_eq!(p["cost_then"], 2500);
    assert_eq!(p["offer"]["campaign"], "spring-refresh");
}

#[test]
fn money_output_has_the_currency_minor_units() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": 399, "quantity": 1 }])),
        PLAIN,
    );
    assert_eq!(q["order_total"], "399.00");
    let jpy = engine_with(|p| p["currency"] = json!("JPY"));
    let q = run(
        &jpy,
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "399", "quantity": 1 }])),
        PLAIN,
    );
    assert_eq!(q["order_total"], "399");
}

#[test]
fn a_json_number_is_read_through_its_shortest_decimal_form() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": 0.1, "quantity": 30 }])),
        PLAIN,
    );
    assert_eq!(q["order_total"], "3.00");
    assert_eq!(q["total_points"], 3);
}

#[test]
fn an_order_late_on_feb_28_utc_is_on_march_1_inside_the_spring_campaign() {
    let r = run(&engine(), "rewards", json!({}), "2026-02-28T17:00:00Z");
    assert_eq!(r["day"], "2026-03-01");
    let bedding = &r["options"][0];
    assert_eq!(bedding["id"], "bedding-set");
    assert_eq!(bedding["cost"], 2500);
    let before = run(&engine(), "rewards", json!({}), "2026-02-28T15:59:59Z");
    let bedding = before["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "bedding-set")
        .unwrap()
        .clone();
    assert_eq!(bedding["cost"], 3000);
}

#[test]
fn order_discount_shares_add_up_and_the_remainder_goes_to_the_largest_share() {
    let q = run(
        &engine(),
        "quote",
        json!({ "lines": [
        { "category": "bedding", "unit_price": "100", "quantity": 1 },
        { "category": "curtains", "unit_price": "200", "quantity": 1 },
        { "category": "pillows", "unit_price": "100", "quantity": 1 }
    ], "order_discount": "10.01" }),
        PLAIN,
    );
    let shares: Vec<&str> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["order_discount_share"].as_str().unwrap())
        .collect();
    assert_eq!(shares, vec!["2.50", "5.01", "2.50"]);
}

#[test]
fn remainder_ties_go_to_the_earlier_line() {
    let q = run(
        &engine(),
        "quote",
        json!({ "lines": [
        { "category": "bedding", "unit_price": "1", "quantity": 1 },
        { "category": "bedding", "unit_price": "1", "quantity": 1 },
        { "category": "bedding", "unit_price": "1", "quantity": 1 }
    ], "order_discount": "1.00" }),
        PLAIN,
    );
    let shares: Vec<&str> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["order_discount_share"].as_str().unwrap())
        .collect();
    assert_eq!(shares, vec!["0.34", "0.33", "0.33"]);
}

#[test]
fn excluded_categories_earn_nothing() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([
            { "category": "gift-card", "unit_price": "500", "quantity": 1 },
            { "category": "bedding", "unit_price": "100", "quantity": 1 }
        ])),
        PLAIN,
    );
    assert_eq!(q["total_points"], 100);
    assert_eq!(q["lines"][0]["excluded"], true);
    assert!(q["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["rule"] == "excluded_category"));
}

#[test]
fn energy_saving_and_transit_lines_earn_green_points() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([
            { "category": "energy-saving", "unit_price": "1000", "quantity": 1 },
            { "category": "public-transport", "unit_price": "50", "quantity": 2 },
            { "category": "bedding", "unit_price": "300", "quantity": 1 }
        ])),
        PLAIN,
    );
    assert_eq!(q["points"]["green"], 1100);
    assert_eq!(q["points"]["standard"], 300);
    assert_eq!(q["total_points"], 1400);
}

#[test]
fn gold_tier_doubles_and_multiplies_with_the_mid_year_double() {
    let q = run(
        &engine(),
        "quote",
        json!({ "member": { "tier": "gold" }, "lines": [{ "category": "bedding", "unit_price": "100", "quantity": 1 }] }),
        "2026-06-05T10:00:00+08:00",
    );
    assert_eq!(q["lines"][0]["multiplier"], "4");
    assert_eq!(q["total_points"], 400);
}

#[test]
fn best_stacking_keeps_only_the_highest_multiplier() {
    let e = engine_with(|p| p["earn"]["multiplier_stacking"] = json!("best"));
    let q = run(
        &e,
        "quote",
        json!({ "member": { "tier": "silver" }, "lines": [{ "category": "bedding", "unit_price": "100", "quantity": 1 }] }),
        "2026-06-05T10:00:00+08:00",
    );
    assert_eq!(q["total_points"], 200);
}

#[test]
fn add_stacking_sums_the_excess_over_one() {
    let e = engine_with(|p| p["earn"]["multiplier_stacking"] = json!("add"));
    let q = run(
        &e,
        "quote",
        json!({ "member": { "tier": "silver" }, "lines": [{ "category": "bedding", "unit_price": "100", "quantity": 1 }] }),
        "2026-06-05T10:00:00+08:00",
    );
    assert_eq!(q["lines"][0]["multiplier"], "2.2");
    assert_eq!(q["total_points"], 220);
}

#[test]
fn a_campaign_with_min_tier_skips_lower_tiers() {
    let e = engine_with(|p| p["campaigns"][1]["min_tier"] = json!("gold"));
    let at = "2026-06-05T10:00:00+08:00";
    let line = json!([{ "category": "bedding", "unit_price": "100", "quantity": 1 }]);
    assert_eq!(
        run(
            &e,
            "quote",
            json!({ "member": { "tier": "silver" }, "lines": line }),
            at
        )["total_points"],
        120
    );
    assert_eq!(
        run(
            &e,
            "quote",
            json!({ "member": { "tier": "gold" }, "lines": line }),
            at
        )["total_points"],
        400
    );
}

#[test]
fn member_day_spend_bonus_is_added_after_rounding() {
    let at = "2026-03-18T15:00:00+08:00";
    let q = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "500.99", "quantity": 1 }])),
        at,
    );
    assert_eq!(q["points"]["standard"], 600);
    let miss = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "499.99", "quantity": 1 }])),
        at,
    );
    assert_eq!(miss["total_points"], 499);
    let missed = miss["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "spend_bonus_missed")
        .unwrap();
    assert!(missed["reason"]["en"].as_str().unwrap().contains("¥0.01"));
}

#[test]
fn per_order_rounding_sums_exact_points_before_rounding_once() {
    let lines = json!([
        { "category": "bedding", "unit_price": "0.5", "quantity": 1 },
        { "category": "bedding", "unit_price": "0.5", "quantity": 1 }
    ]);
    assert_eq!(
        run(&engine(), "quote", cart(lines.clone()), PLAIN)["total_points"],
        1
    );
    let per_line = engine_with(|p| p["earn"]["round_per"] = json!("line"));
    assert_eq!(
        run(&per_line, "quote", cart(lines), PLAIN)["total_points"],
        0
    );
}

#[test]
fn quote_says_when_points_become_available_and_when_they_expire() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([{ "category": "bedding", "unit_price": "100", "quantity": 1 }])),
        "2026-01-10T12:00:00+08:00",
    );
    assert_eq!(q["available_on"], "2026-01-17");
    assert_eq!(q["expires_on"], "2028-01-31");
}

#[test]
fn quote_reports_tier_progress_after_the_order() {
    let q = run(
        &engine(),
        "quote",
        json!({ "member": { "tier_stats": { "spend": "1300", "orders": 1 } }, "lines": [{ "category": "bedding", "unit_price": "500", "quantity": 1 }] }),
        PLAIN,
    );
    let t = &q["tier_progress"];
    assert_eq!(t["tier"], "member");
    assert_eq!(t["next"]["id"], "silver");
    assert_eq!(t["next"]["spend_needed"], "1200.00");
    assert_eq!(t["next"]["orders_needed"], 2);
}

#[test]
fn an_order_that_meets_the_thresholds_upgrades_the_tier() {
    let q = run(
        &engine(),
        "quote",
        json!({ "member": { "tier_stats": { "spend": "2900", "orders": 3 } }, "lines": [{ "category": "bedding", "unit_price": "100", "quantity": 1 }] }),
        PLAIN,
    );
    assert_eq!(q["tier"], "member");
    assert_eq!(q["tier_progress"]["tier"], "silver");
    assert_eq!(q["tier_progress"]["upgraded"], true);
}

#[test]
fn tier_needs_both_thresholds_with_all_and_either_with_any() {
    let req = json!({ "member": { "tier_stats": { "spend": "5000", "orders": 1 } }, "lines": [{ "category": "bedding", "unit_price": "100", "quantity": 1 }] });
    assert_eq!(
        run(&engine(), "quote", req.clone(), PLAIN)["tier"],
        "member"
    );
    let any = engine_with(|p| p["tiers"][1]["qualify"] = json!("any"));
    assert_eq!(run(&any, "quote", req, PLAIN)["tier"], "silver");
}

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

fn household(points: i64, sent: i64) -> Value {
    json!({
        "household": ["mum", "kid"],
        "from": { "id": "mum", "wallet": [
            { "kind": "green", "points": 300, "earned": "2025-03-01" },
            { "kind": "green", "points": 800, "earned": "2026-01-01" },
            { "kind": "standard", "points": 5000, "earned": "2025-01-01" }
        ] },
        "to": { "id": "kid", "wallet": [] },
        "points": points,
        "sent_this_month": sent
    })
}

#[test]
fn a_transfer_moves_the_soonest_expiring_green_lots_and_keeps_their_expiry() {
    let t = run(&engine(), "transfer", household(500, 0), PLAIN);
    assert_eq!(t["kind"], "green");
    assert_eq!(t["moved"][0]["points"], 300);
    assert_eq!(t["moved"][0]["expires"], "2027-03-31");
    assert_eq!(t["moved"][1]["points"], 200);
    assert_eq!(t["moved"][1]["expires"], "2028-01-31");
    assert_eq!(t["to_wallet"].as_array().unwrap().len(), 2);
}

#[test]
fn transfers_respect_minimum_monthly_limit_kind_and_household() {
    let e = engine();
    assert_eq!(
        codes(&run_err(&e, "transfer", household(50, 0), PLAIN)),
        ["transfer_below_minimum"]
    );
    assert_eq!(
        codes(&run_err(&e, "transfer", household(500, 4800), PLAIN)),
        ["monthly_limit_exceeded"]
    );
    let mut std_kind = household(500, 0);
    std_kind["kind"] = json!("standard");
    assert_eq!(
        codes(&run_err(&e, "transfer", std_kind, PLAIN)),
        ["kind_not_transferable"]
    );
    let mut stranger = household(500, 0);
    stranger["to"]["id"] = json!("neighbour");
    assert_eq!(
        codes(&run_err(&e, "transfer", stranger, PLAIN)),
        ["not_in_household"]
    );
    assert_eq!(
        codes(&run_err(&e, "transfer", household(2000, 0), PLAIN)),
        ["insufficient_points"]
    );
}

fn order_return(wallet: Value, returned_qty: i64) -> Value {
    json!({
        "member": { "wallet": wallet },
        "order_id": "o-1",
        "recorded": [{ "line": "l1", "kind": "standard", "points": 100, "quantity": 3 }],
        "lines": [{ "line": "l1", "quantity": returned_qty }]
    })
}

#[test]
fn a_partial_return_takes_back_the_recorded_share_never_leaving_more_than_exact() {
    let wallet = json!([{ "kind": "standard", "points": 100, "earned": "2026-07-08", "available": "2026-07-15", "source": "o-1" }]);
    let r = run(&engine(), "return", order_return(wallet, 1), PLAIN);
    // 2 of 3 units kept: exact 66.67, floor 66 kept → 34 taken back.
    assert_eq!(r["lines"][0]["points"], 34);
    assert_eq!(r["wallet"][0]["points"], 66);
}

#[test]
fn a_return_takes_pending_points_first_and_reports_what_was_already_spent() {
    let wallet = json!([
        { "kind": "standard", "points": 40, "earned": "2026-07-01", "available": "2026-07-08", "source": "o-1" },
        { "kind": "standard", "points": 30, "earned": "2026-07-09", "available": "2026-07-16", "source": "o-1" },
        { "kind": "standard", "points": 999, "earned": "2026-01-01", "source": "other" }
    ]);
    let r = run(&engine(), "return", order_return(wallet, 3), PLAIN);
    assert_eq!(r["taken"][0]["points"], 30);
    assert_eq!(r["taken"][1]["points"], 40);
    assert_eq!(r["points_owed"]["standard"], 30);
    assert_eq!(r["wallet"][0]["points"], 999);
}

#[test]
fn a_returned_reward_gives_its_points_back_with_their_original_expiry() {
    let lots = json!([{ "kind": "standard", "points": 2500, "earned": "2025-01-10", "expires": "2027-01-31" }]);
    let r = run(&engine(), "return", json!({ "reward_lots": lots }), PLAIN);
    assert_eq!(r["restored"][0]["expires"], "2027-01-31");
    assert_eq!(r["wallet"][0]["points"], 2500);
}

#[test]
fn disclosure_covers_the_four_things_the_law_requires_in_both_languages() {
    let d = run(&engine(), "disclose", json!({}), PLAIN);
    let ids: Vec<&str> = d["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["acquisition", "accumulation", "validity", "redemption"]
    );
    let text = d.to_string();
    assert!(text.contains("24个月后的月末到期"));
    assert!(text.contains("end of the month 24 months after"));
    assert!(text.contains("2500"));
}

#[test]
fn every_result_carries_the_programme_fingerprint() {
    let e = engine();
    for (name, _) in jifen::Operation::ALL {
        let req = match *name {
            "quote" | "offset" => {
                cart(json!([{ "category": "bedding", "unit_price": "1", "quantity": 1 }]))
            }
            "redeem" => {
                json!({ "member": { "wallet": [{ "kind": "standard", "points": 3000, "earned": "2026-01-01" }] }, "reward_id": "bedding-set" })
            }
            "transfer" => household(100, 0),
            "expiry" => json!({ "wallet": [] }),
            "return" => {
                json!({ "reward_lots": [{ "kind": "standard", "points": 1, "earned": "2026-01-01" }] })
            }
            "project" => {
                json!({ "reward_id": "bedding-set", "plan": { "amount": "800", "category": "bedding", "every_months": 6 } })
            }
            "check_change" => {
                json!({ "program": serde_json::from_str::<Value>(HONGMI).unwrap(), "announced": "2026-01-01", "effective": "2026-01-01" })
            }
            _ => json!({}),
        };
        let out = run(&e, name, req, PLAIN);
        assert_eq!(
            out["program"]["fingerprint"],
            e.program_ref.fingerprint.as_str(),
            "{name}"
        );
    }
}

#[test]
fn each_line_records_its_share_of_the_rounded_order_points() {
    let q = run(
        &engine(),
        "quote",
        cart(json!([
            { "category": "bedding", "unit_price": "0.6", "quantity": 1 },
            { "category": "bedding", "unit_price": "0.6", "quantity": 1 },
            { "category": "bedding", "unit_price": "0.9", "quantity": 1 }
        ])),
        PLAIN,
    );
    // Exact 2.1 points round to 2 for the order; the lines record 0, 0 and 2 — never more
    // than the order earned, and the remainder goes to the largest share.
    let pts: Vec<i64> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["points"].as_i64().unwrap())
        .collect();
    assert_eq!(pts.iter().sum::<i64>(), 2);
    assert_eq!(pts, vec![0, 0, 2]);
}
