//! DESIGN.md, household transfers, returns, disclosure and the fingerprint: one named test
//! per rule, on the reference programme.

mod common;
use common::*;
use serde_json::{json, Value};

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

/// The reference programme's rules in both languages, and their text as one string.
fn disclosure() -> (serde_json::Value, String) {
    let d = run(&engine(), "disclose", json!({}), PLAIN);
    let text = d.to_string();
    (d, text)
}

/// Asserts that the rules' text says every phrase, naming the first it does not.
fn says(text: &str, phrases: &[&str]) {
    for phrase in phrases {
        assert!(text.contains(phrase), "the rules do not say {phrase:?}");
    }
}

#[test]
fn disclosure_covers_the_four_things_the_law_requires_in_both_languages() {
    let (d, text) = disclosure();
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
    says(
        &text,
        &[
            "24个月后的月末到期",
            "end of the month 24 months after",
            "2,500",
        ],
    );
}

/// A campaign's `ends` is exclusive: the rules name the days it runs on, as the seasonal
/// badge's "until" does — spring refresh until 30 April, the member day on 18 March only.
#[test]
fn disclosure_names_the_days_campaigns_run_on() {
    let (_, text) = disclosure();
    says(
        &text,
        &[
            "During Spring refresh (2026-03-01 to 2026-04-30)",
            "春季焕新期间（2026-03-01至2026-04-30）",
            "Member day spend bonus (2026-03-18):",
            "(2026-06-01 to 2026-06-18)",
        ],
    );
    assert!(!text.contains("2026-05-01") && !text.contains("2026-03-19"));
}

/// Every English rule is a sentence a shopper reads: it starts with a capital letter (a
/// category id such as `energy-saving` follows a colon, never starts one).
#[test]
fn every_english_rule_starts_with_a_capital_letter() {
    let (d, _) = disclosure();
    for section in d["sections"].as_array().unwrap() {
        for item in section["items"].as_array().unwrap() {
            let en = item["en"].as_str().unwrap();
            assert!(en.starts_with(|c: char| c.is_uppercase()), "{en}");
        }
    }
}

/// Lists read as each language writes them: `、` between Chinese items, `, ` in English.
#[test]
fn disclosure_lists_use_each_languages_separator() {
    let (_, text) = disclosure();
    says(
        &text,
        &[
            "：bedding、curtains积分×2",
            "权益：free-parking、personal-shopper、small-bill-offset",
            "以下品类积入「绿色消费积分」：energy-saving、public-transport。",
            "): bedding, curtains points ×2",
            "perks: free-parking, personal-shopper, small-bill-offset",
        ],
    );
    assert!(!text.contains("bedding, curtains积分"));
}

/// A tier's rule names only what it asks, as the tier test reads it: a zero threshold is
/// always met, so the base tier needs nothing ("¥0.00 spent and 0 orders" said nothing), a
/// tier with one threshold names that one, and `any` joins two with "or".
#[test]
fn disclosure_names_only_the_thresholds_a_tier_asks_for() {
    let e = engine_with(|p| {
        p["tiers"][1]["min_spend"] = json!("0");
        p["tiers"][2]["qualify"] = json!("any");
    });
    let text = run(&e, "disclose", json!({}), PLAIN).to_string();
    says(
        &text,
        &[
            "普通会员：无门槛，积分×1。",
            "Member: no spend or orders needed; points ×1.",
            "银卡会员：365天内4笔订单，积分×1.2",
            "Silver: 4 orders within 365 days; points ×1.2",
            "金卡会员：365天内消费满¥10,000.00或12笔订单，积分×2",
            "Gold: ¥10,000.00 spent or 12 orders within 365 days; points ×2",
        ],
    );
    assert!(
        !text.contains("¥0.00") && !text.contains(" 0 orders"),
        "{text}"
    );
}

/// With `display_names`, the rules and a quote's reasons name categories and perks as a
/// shopper says them, in each language; an id the programme does not name stays as it is.
#[test]
fn display_names_replace_category_and_perk_ids_in_the_rules_and_the_reasons() {
    let e = engine_with(|p| {
        p["display_names"] = json!({
            "gift-card": { "zh-CN": "礼品卡", "en": "Gift cards" },
            "energy-saving": { "zh-CN": "节能家电", "en": "Energy-saving appliances" },
            "bedding": { "zh-CN": "床品", "en": "Bedding" },
            "free-parking": { "zh-CN": "免费停车", "en": "Free parking" }
        })
    });
    let text = run(&e, "disclose", json!({}), PLAIN).to_string();
    says(
        &text,
        &[
            "以下品类不积分：礼品卡。",
            "These categories earn no points: Gift cards.",
            "以下品类积入「绿色消费积分」：节能家电、public-transport。",
            "Green points: Energy-saving appliances, public-transport.",
            "：床品、curtains积分×2。",
            "权益：免费停车、personal-shopper、small-bill-offset。",
            "perks: Free parking, personal-shopper, small-bill-offset.",
        ],
    );
    let line = |category: &str| json!({ "id": category, "category": category, "unit_price": "100", "quantity": 1 });
    let q = run(
        &e,
        "quote",
        cart(json!([line("gift-card"), line("energy-saving")])),
        PLAIN,
    );
    let reasons = q["rules"].to_string();
    says(
        &reasons,
        &[
            "以下品类不积分：礼品卡",
            "These categories earn no points: Gift cards",
            "以下品类积入「绿色消费积分」：节能家电、public-transport",
        ],
    );
}

/// The bill offset's largest share is a percentage a shopper reads: at most two decimals, as
/// a seasonal offer's uplift is shown, not the four a rate keeps.
#[test]
fn disclosure_shows_the_offset_share_as_a_percentage_with_at_most_two_decimals() {
    let e = engine_with(|p| p["bill_offset"]["max_share"] = json!("0.33333"));
    let text = run(&e, "disclose", json!({}), PLAIN).to_string();
    says(
        &text,
        &["最多抵订单金额的33.33%", "up to 33.33% of the order"],
    );
    says(
        &run(&engine(), "disclose", json!({}), PLAIN).to_string(),
        &["最多抵订单金额的50%"],
    );
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
