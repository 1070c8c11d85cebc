//! DESIGN.md, earning and tiers: one named test per rule and worked number, on the
//! reference programme (`examples/hongmi-home.program.json`, the seed article's programme).

mod common;
use common::*;
use serde_json::json;

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

/// The rules a quote reports for a cart that touches many (a campaign, excluded and green
/// categories, a tier).
fn rules_of_a_busy_cart() -> Vec<serde_json::Value> {
    let mut req = cart(json!([
        { "category": "bedding", "unit_price": "399", "quantity": 2 },
        { "category": "gift-card", "unit_price": "200", "quantity": 1 },
        { "category": "energy-saving", "unit_price": "1299", "quantity": 1 }
    ]));
    req["member"] = json!({ "tier": "silver" });
    let q = run(&engine(), "quote", req, "2026-06-05T12:00:00+08:00");
    let rules = q["rules"].as_array().unwrap().clone();
    assert!(rules.len() >= 5, "{rules:?}");
    rules
}

/// Every reason a quote gives reads as a sentence in English: it starts with a capital
/// letter or a figure, whatever rules the cart touches.
#[test]
fn every_english_reason_starts_with_a_capital_or_a_figure() {
    for rule in rules_of_a_busy_cart() {
        let en = rule["reason"]["en"].as_str().unwrap();
        assert!(
            en.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
            "{en}"
        );
    }
}

/// Every Chinese reason starts with Chinese (or a figure), never with a Latin category id
/// running into the characters after it; the ids follow a colon, as in the rules.
#[test]
fn every_chinese_reason_starts_with_chinese_and_names_categories_after_a_colon() {
    for rule in rules_of_a_busy_cart() {
        let zh = rule["reason"]["zh-CN"].as_str().unwrap();
        assert!(!zh.starts_with(|c: char| c.is_ascii_alphabetic()), "{zh}");
        if rule["rule"] == "point_kind" {
            assert_eq!(
                zh,
                "以下品类积入「绿色消费积分」：energy-saving、public-transport"
            );
        }
    }
}
