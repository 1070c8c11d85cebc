//! Invariants that must hold for every input, checked with proptest: transfers and
//! redemptions conserve points, floor rounding never grants more than exact, a transfer never
//! extends expiry, a quote does not depend on line order, and no input makes the core panic.

mod common;
use common::*;
use jifen::Operation;
use proptest::prelude::*;
use serde_json::{json, Value};

const AT: &str = "2026-06-05T12:00:00+08:00";
const CATEGORIES: &[&str] = &[
    "bedding",
    "curtains",
    "pillows",
    "energy-saving",
    "public-transport",
    "gift-card",
    "kitchen",
];

fn lot() -> impl Strategy<Value = Value> {
    (prop::sample::select(vec!["standard", "green"]), 0i64..5000, 0i64..900).prop_map(|(kind, points, age)| {
        let earned = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() - chrono::Duration::days(age);
        json!({ "kind": kind, "points": points, "earned": earned.format("%Y-%m-%d").to_string() })
    })
}

fn line() -> impl Strategy<Value = Value> {
    (prop::sample::select(CATEGORIES.to_vec()), 0i64..10_000_000, 1i64..20, 0i64..100).prop_map(|(cat, cents, qty, disc_pct)| {
        let price = rust_decimal::Decimal::new(cents, 2);
        let discount = (price * rust_decimal::Decimal::from(qty) * rust_decimal::Decimal::new(disc_pct, 2)).round_dp(2);
        json!({ "category": cat, "unit_price": price.to_string(), "quantity": qty, "discount": discount.to_string() })
    })
}

fn total(wallet: &Value) -> i64 {
    wallet
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["points"].as_i64().unwrap())
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn transfers_conserve_points_and_never_extend_expiry(from in prop::collection::vec(lot(), 0..30), to in prop::collection::vec(lot(), 0..5), points in 1i64..6000) {
        let e = engine();
        let req = json!({ "household": ["a", "b"], "from": { "id": "a", "wallet": from }, "to": { "id": "b", "wallet": to }, "points": points });
        match e.run(Operation::Transfer, &req.to_string(), AT) {
            Ok(out) => {
                let out: Value = serde_json::from_str(&out).unwrap();
                let before: i64 = from.iter().chain(to.iter()).map(|l| l["points"].as_i64().unwrap()).sum();
                prop_assert_eq!(total(&out["from_wallet"]) + total(&out["to_wallet"]), before);
                prop_assert_eq!(total(&out["moved"]), points);
                // Every moved part keeps the expiry its source lot would have had.
                let norm = run(&e, "expiry", json!({ "wallet": from }), "2020-01-01T00:00:00+08:00");
                let source_expiries: Vec<Value> = norm["schedule"].as_array().unwrap().iter().map(|g| g["expires"].clone()).collect();
                for m in out["moved"].as_array().unwrap() {
                    prop_assert!(source_expiries.contains(&m["expires"]));
                    prop_assert_eq!(m["kind"].as_str().unwrap(), "green");
                }
            }
            Err(errs) => prop_assert!(!errs.is_empty()),
        }
    }

    #[test]
    fn redemptions_conserve_points(wallet in prop::collection::vec(lot(), 0..40), reward in prop::sample::select(vec!["bedding-set", "latex-pillow", "curtain-cleaning", "eco-donation", "low-carbon-travel"])) {
        let e = engine();
        let req = json!({ "member": { "wallet": wallet }, "reward_id": reward });
        if let Ok(out) = e.run(Operation::Redeem, &req.to_string(), AT) {
            let out: Value = serde_json::from_str(&out).unwrap();
            let spent = out["points_spent"].as_i64().unwrap();
            prop_assert_eq!(total(&out["consumed"]), spent);
            prop_assert_eq!(total(&out["wallet"]) + spent, total(&json!(wallet)));
            prop_assert_eq!(out["balance_after"].as_i64().unwrap(), out["balance_before"].as_i64().unwrap() - spent);
        }
    }

    #[test]
    fn floor_rounding_never_grants_more_than_exact(lines in prop::collection::vec(line(), 1..25), tier in prop::sample::select(vec!["member", "silver", "gold"]), per_line in any::<bool>()) {
        let e = engine_with(|p| if per_line { p["earn"]["round_per"] = json!("line") });
        let q = run(&e, "quote", json!({ "member": { "tier": tier }, "lines": lines }), AT);
        for (kind, points) in q["points"].as_object().unwrap() {
            let exact: rust_decimal::Decimal = q["lines"].as_array().unwrap().iter()
                .filter(|l| l["kind"] == kind.as_str())
                .map(|l| l["points_exact"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
                .sum();
            prop_assert!(rust_decimal::Decimal::from(points.as_i64().unwrap()) <= exact, "{kind}: {points} > {exact}");
        }
    }

    #[test]
    fn a_quote_does_not_depend_on_line_order(lines in prop::collection::vec(line(), 1..15), seed in any::<u64>()) {
        let e = engine();
        let mut shuffled = lines.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let a = run(&e, "quote", json!({ "member": { "tier": "silver" }, "lines": lines }), AT);
        let b = run(&e, "quote", json!({ "member": { "tier": "silver" }, "lines": shuffled }), AT);
        prop_assert_eq!(&a["points"], &b["points"]);
        prop_assert_eq!(&a["total_points"], &b["total_points"]);
        prop_assert_eq!(&a["eligible_spend"], &b["eligible_spend"]);
    }

    #[test]
    fn order_discount_shares_always_add_up(lines in prop::collection::vec(line(), 1..25), pct in 0i64..100) {
        let nets: rust_decimal::Decimal = lines.iter().map(|l| {
            let p: rust_decimal::Decimal = l["unit_price"].as_str().unwrap().parse().unwrap();
            let d: rust_decimal::Decimal = l["discount"].as_str().unwrap().parse().unwrap();
            p * rust_decimal::Decimal::from(l["quantity"].as_i64().unwrap()) - d
        }).sum();
        let discount = (nets * rust_decimal::Decimal::new(pct, 2)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        let q = run(&engine(), "quote", json!({ "lines": lines, "order_discount": discount.to_string() }), AT);
        let shares: rust_decimal::Decimal = q["lines"].as_array().unwrap().iter().map(|l| l["order_discount_share"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum();
        prop_assert_eq!(shares, discount);
    }

    #[test]
    fn no_input_makes_the_core_panic(req in arb_json(), op in prop::sample::select(Operation::ALL.to_vec()), at in prop::sample::select(vec![AT, "2026-13-01T00:00:00Z", "", "2026-03-01T00:00:00+08:00"])) {
        let _ = engine().run(op.1, &req.to_string(), at);
    }
}

/// Arbitrary JSON, biased toward the request fields so that deep paths are reached.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "1e30",
            "-0",
            "NaN",
            "2026-02-30",
            "bedding",
            "standard",
            "green",
            "gold",
            "bedding-set",
            "",
            "99999999999999999999999999999"
        ])
        .prop_map(|s| json!(s)),
        "[a-z0-9.:+-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop::sample::select(vec![
            "lines",
            "member",
            "wallet",
            "tier",
            "tier_stats",
            "spend",
            "orders",
            "category",
            "unit_price",
            "quantity",
            "discount",
            "order_discount",
            "offset_points",
            "points",
            "reward_id",
            "kind",
            "earned",
            "expires",
            "available",
            "household",
            "from",
            "to",
            "id",
            "plan",
            "amount",
            "every_days",
            "every_months",
            "recorded",
            "line",
            "program",
            "announced",
            "effective",
            "offset",
            "order_amount",
            "reward_lots",
            "order_id",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..5).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The simulator's single-purchase path gives exactly what a one-line checkout quote gives.
    #[test]
    fn a_single_purchase_earns_what_a_one_line_quote_earns(
        category in prop::sample::select(CATEGORIES.to_vec()),
        cents in 0i64..10_000_000,
        tier in prop::sample::select(vec!["member", "silver", "gold"]),
        at in prop::sample::select(vec!["2026-03-18T10:00:00+08:00", "2026-06-05T10:00:00+08:00", "2026-07-10T10:00:00+08:00", "2026-03-10T10:00:00+08:00"]),
        stacking in prop::sample::select(vec!["multiply", "best", "add"]),
        rounding in prop::sample::select(vec!["floor", "half_up", "half_even"]),
        per_unit in prop::sample::select(vec!["1", "0.5", "2.75", "0.001"]),
    ) {
        let e = engine_with(|p| {
            p["earn"]["multiplier_stacking"] = json!(stacking);
            p["earn"]["rounding"] = json!(rounding);
            p["earn"]["points_per_unit"] = json!(per_unit);
        });
        let amount = rust_decimal::Decimal::new(cents, 2);
        let q = run(&e, "quote", json!({ "member": { "tier": tier }, "lines": [{ "category": category, "unit_price": amount.to_string(), "quantity": 1 }] }), at);
        let instant = jifen::calendar::Instant::parse(at, "").unwrap();
        let s = jifen::earning::earn_single(&e.loaded, instant, e.loaded.tier_index(tier), category, amount).unwrap();
        let standard = q["points"]["standard"].as_i64().unwrap();
        let of_kind = q["points"][s.kind].as_i64().unwrap();
        if s.kind == "standard" {
            prop_assert_eq!(s.points + s.bonus, standard);
        } else {
            prop_assert_eq!(s.points, of_kind);
            prop_assert_eq!(s.bonus, standard);
        }
        let quoted: rust_decimal::Decimal = q["eligible_spend"].as_str().unwrap().parse().unwrap();
        prop_assert_eq!(s.eligible, quoted);
    }
}
