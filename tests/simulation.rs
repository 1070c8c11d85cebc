//! The simulator on a cohort small enough to compute by hand: a double-points week, the
//! spring reward-cost cut, points lapsing at month end and a tier upgrade mid-period.

mod common;
use common::*;
use serde_json::json;

fn order(member: &str, at: &str, amount: &str) -> serde_json::Value {
    json!({ "member_id": member, "at": at, "amount": amount, "category": "kitchen" })
}

fn request() -> serde_json::Value {
    json!({
        "promotion": { "campaigns": [{
            "id": "double-week", "name": { "zh-CN": "双倍积分周", "en": "Double points week" },
            "starts": "2026-04-06T00:00:00+08:00", "ends": "2026-04-13T00:00:00+08:00", "multiplier": "2"
        }] },
        "assumptions": { "redemption_rate": "1", "reward_id": "bedding-set", "cost_per_point": "0.1" },
        "orders": [
            order("b", "2024-03-10T10:00:00+08:00", "800"),
            order("a", "2026-01-05T10:00:00+08:00", "1000"),
            order("a", "2026-01-20T10:00:00+08:00", "1000"),
            order("a", "2026-02-10T10:00:00+08:00", "1000"),
            order("a", "2026-03-02T10:00:00+08:00", "500"),
            order("a", "2026-04-08T10:00:00+08:00", "1000"),
            order("b", "2026-04-10T10:00:00+08:00", "100")
        ],
        "until": "2026-04-30"
    })
}

#[test]
fn a_hand_computed_cohort_gives_the_hand_computed_figures() {
    let r = run(
        &engine(),
        "simulate",
        request(),
        "2026-01-01T00:00:00+08:00",
    );
    // Baseline: A earns 1000+1000+1000+500, then 1000 × 1.2 as Silver (4 orders, ¥3,500 in the
    // window); B earns 800 in 2024 (lapsing at the end of 2026-03-31) and 100.
    let b = &r["baseline"];
    assert_eq!(b["points_issued"], 5600);
    // On 2 March A has 3,000 usable points and the spring cost is 2,500: one bedding set.
    assert_eq!(b["points_redeemed"], 2500);
    assert_eq!(b["points_expired"], 800);
    assert_eq!(b["outstanding_points"], 2300);
    assert_eq!(b["liability"], "230.00");
    assert_eq!(b["cost"], "480.00");
    assert_eq!(b["tier_moves"], 1);
    assert_eq!(b["tiers"], json!({ "gold": 0, "member": 1, "silver": 1 }));
    // Promotion: the double week lifts A's Silver order to ×2.4 (2,400) and B's to 200.
    let p = &r["promotion"];
    assert_eq!(p["points_issued"], 6900);
    assert_eq!(p["points_redeemed"], 2500);
    assert_eq!(p["points_expired"], 800);
    assert_eq!(p["outstanding_points"], 3600);
    assert_eq!(p["liability"], "360.00");
    assert_eq!(r["incremental"]["cost"], "130.00");
    assert_eq!(r["incremental"]["points_issued"], 1300);
    assert!(r["incremental"].get("cost_per_revenue").is_none());
}

#[test]
fn the_monthly_series_puts_each_flow_in_its_month() {
    let r = run(
        &engine(),
        "simulate",
        request(),
        "2026-01-01T00:00:00+08:00",
    );
    let series = r["series"].as_array().unwrap();
    let months: Vec<&str> = series
        .iter()
        .map(|s| s["period"].as_str().unwrap())
        .collect();
    assert_eq!(
        months,
        ["2024-03", "2026-01", "2026-02", "2026-03", "2026-04"]
    );
    assert_eq!(series[3]["baseline"]["redeemed"], 2500);
    assert_eq!(series[3]["baseline"]["outstanding"], 1800);
    // B's 800 points lapse on 1 April, so April carries the breakage.
    assert_eq!(series[4]["baseline"]["expired"], 800);
    assert_eq!(series[4]["baseline"]["issued"], 1300);
    assert_eq!(series[4]["promotion"]["issued"], 2600);
    assert_eq!(series[4]["promotion"]["outstanding"], 3600);
}

#[test]
fn orders_on_one_day_each_count_toward_a_tier_and_leave_the_window_together() {
    let mut req = request();
    req["assumptions"]["redemption_rate"] = json!("0");
    req["until"] = json!("2027-03-31");
    // Four ¥800 orders on 5 January: 4 orders and ¥3,200 in the window, Silver's threshold
    // (4 orders, ¥3,000). The next day's ¥1,000 earns ×1.2 as Silver. A year later both days
    // have left the 365-day window, so ¥500 on 10 January 2027 earns ×1 as a Member.
    req["orders"] = json!([
        order("a", "2026-01-05T09:00:00+08:00", "800"),
        order("a", "2026-01-05T10:00:00+08:00", "800"),
        order("a", "2026-01-05T11:00:00+08:00", "800"),
        order("a", "2026-01-05T12:00:00+08:00", "800"),
        order("a", "2026-01-06T10:00:00+08:00", "1000"),
        order("a", "2027-01-10T10:00:00+08:00", "500"),
    ]);
    let r = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    let b = &r["baseline"];
    assert_eq!(b["points_issued"], 3200 + 1200 + 500);
    assert_eq!(b["tier_moves"], 1);
    // Closing on 31 March 2027: the window holds only the ¥500 order.
    assert_eq!(b["tiers"], json!({ "gold": 0, "member": 1, "silver": 0 }));
}

#[test]
fn spend_uplift_applies_only_while_the_promotion_runs() {
    let mut req = request();
    req["assumptions"]["spend_uplift"] = json!("0.1");
    let r = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    // Only A's ¥1,000 and B's ¥100 fall in the double week: ¥110 more revenue.
    assert_eq!(r["incremental"]["revenue"], "110.00");
}

#[test]
fn orders_out_of_time_order_are_refused_with_their_index() {
    let mut req = request();
    req["orders"].as_array_mut().unwrap().swap(1, 2);
    let e = run_err(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    assert_eq!(
        (e[0].code.as_str(), e[0].path.as_str()),
        ("orders_out_of_order", "orders[2]")
    );
}

#[test]
fn the_same_synthetic_cohort_gives_the_same_result() {
    let req = json!({ "synthetic": { "members": 100, "orders_per_member": 10, "start": "2026-01-01T00:00:00+08:00", "days": 365, "seed": 9 } });
    let a = run(
        &engine(),
        "simulate",
        req.clone(),
        "2026-01-01T00:00:00+08:00",
    );
    let b = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    assert_eq!(a, b);
    assert_eq!(a["orders"], 1000);
}

#[test]
fn a_cohort_split_by_member_gives_the_single_run_result_even_through_json() {
    use jifen::simulation::{
        cohort::Synthetic, Assumptions, Partial, Period, Promotion, Simulator,
    };
    let e = engine();
    let spec: Synthetic = serde_json::from_value(json!({ "members": 300, "orders_per_member": 12, "start": "2026-01-01T00:00:00+08:00", "days": 500, "seed": 4 })).unwrap();
    let promotion: Promotion = serde_json::from_value(request()["promotion"].clone()).unwrap();
    let assumptions = Assumptions::default();
    let new = || Simulator::new(&e.loaded, &promotion, &assumptions, Period::Week).unwrap();
    // Closed on the last order's day, and years later (so points lapse too).
    for until in [None, jifen::calendar::parse_day("2030-12-31", "").ok()] {
        let mut whole = new();
        let mut parts = vec![new(), new(), new()];
        for o in spec.orders() {
            whole.push(&o, "").unwrap();
            let shard = o.member_id.bytes().map(usize::from).sum::<usize>() % 3;
            parts[shard].push(&o, "").unwrap();
        }
        // Every part closes on the same day: the run's.
        let end = jifen::simulation::run_end(until, parts.iter().map(Simulator::last_day));
        let mut parts = parts.into_iter();
        let first = parts.next().unwrap();
        // The other parts travel as JSON, as they do between Web Workers.
        let others: Vec<Partial> = parts
            .map(|p| serde_json::from_str(&serde_json::to_string(&p.close(end)).unwrap()).unwrap())
            .collect();
        let split = serde_json::to_value(first.finish_with(end, others)).unwrap();
        let single = serde_json::to_value(whole.finish(until)).unwrap();
        assert_eq!(split, single);
        assert!(
            single["promotion"]["points_redeemed"].as_i64().unwrap() > 0,
            "points are redeemed"
        );
        if until.is_some() {
            assert!(
                single["promotion"]["points_expired"].as_i64().unwrap() > 0,
                "points lapse"
            );
        }
    }
}

#[test]
fn a_cohort_sorted_by_member_gives_the_result_of_the_same_cohort_in_time_order() {
    // Only each member's own orders need to be in time order.
    let spec = json!({ "members": 200, "orders_per_member": 9, "start": "2026-01-01T00:00:00+08:00", "days": 700, "seed": 21 });
    let e = engine();
    let in_time = run(
        &e,
        "simulate",
        json!({ "synthetic": spec.clone(), "period": "week", "until": "2029-01-31" }),
        "2026-01-01T00:00:00+08:00",
    );
    let synthetic: jifen::simulation::cohort::Synthetic = serde_json::from_value(spec).unwrap();
    let mut orders: Vec<_> = synthetic.orders().collect();
    orders.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    let by_member = run(
        &e,
        "simulate",
        json!({ "orders": orders, "period": "week", "until": "2029-01-31" }),
        "2026-01-01T00:00:00+08:00",
    );
    assert_eq!(by_member, in_time);
    assert!(in_time["baseline"]["points_expired"].as_i64().unwrap() > 0);
    assert!(in_time["baseline"]["points_redeemed"].as_i64().unwrap() > 0);
}

/// A promotion that starts at noon and a spend bonus that ends at six: on those days each
/// order earns by the campaigns running at its own instant (the simulator keeps a day's
/// rates only for days no campaign starts or ends in).
#[test]
fn campaigns_starting_or_ending_inside_a_day_apply_from_their_instant() {
    let mut req = request();
    req["promotion"]["campaigns"] = json!([
        { "id": "noon-double", "name": { "zh-CN": "午后双倍", "en": "Afternoon double" },
          "starts": "2026-05-04T12:00:00+08:00", "ends": "2026-05-06T00:00:00+08:00", "multiplier": "2" },
        { "id": "morning-bonus", "name": { "zh-CN": "早间奖励", "en": "Morning bonus" },
          "starts": "2026-05-01T00:00:00+08:00", "ends": "2026-05-04T18:00:00+08:00", "bonus_points": 50, "min_spend": "100" }
    ]);
    req["orders"] = json!([
        order("c", "2026-05-04T09:00:00+08:00", "100"),
        order("c", "2026-05-04T15:00:00+08:00", "100"),
        order("c", "2026-05-04T19:00:00+08:00", "100"),
        order("c", "2026-05-05T09:00:00+08:00", "100"),
    ]);
    req["until"] = json!("2026-05-31");
    let r = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    assert_eq!(r["baseline"]["points_issued"], 400);
    // 09:00 100 + 50 bonus; 15:00 200 + 50; 19:00 200; next day 200.
    assert_eq!(r["promotion"]["points_issued"], 800);
}

/// Past the categories a day keeps rates for, orders still earn by their category's rules:
/// 70 categories come first, then green and excluded ones.
#[test]
fn a_cohort_with_many_categories_earns_by_each_ones_rules() {
    let mut req = request();
    let mut orders: Vec<_> = (0..70)
        .map(|i| json!({ "member_id": format!("m{i}"), "at": "2026-05-04T09:00:00+08:00", "amount": "100", "category": format!("c{i}") }))
        .collect();
    for (member, category) in [
        ("g", "energy-saving"),
        ("h", "public-transport"),
        ("x", "gift-card"),
    ] {
        orders.push(json!({ "member_id": member, "at": "2026-05-04T10:00:00+08:00", "amount": "100", "category": category }));
        orders.push(json!({ "member_id": member, "at": "2026-05-05T10:00:00+08:00", "amount": "100", "category": category }));
    }
    req["orders"] = json!(orders);
    req["until"] = json!("2026-05-31");
    let r = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    // 70 × 100 standard, 4 × 100 green, nothing for gift cards.
    assert_eq!(r["baseline"]["points_issued"], 7400);
    assert_eq!(r["baseline"]["revenue"], "7600.00");
}

/// A redemption rate of 0.34: each order that could afford the reward adds 0.34 to the
/// member's credit, and a whole one redeems. Six affordable orders: 0.34, 0.68, 1.02 (redeems;
/// 0.02 + 0.34 left), 0.70, 1.04 (redeems), 0.72 — two bedding sets of 3,000 points.
#[test]
fn a_fractional_redemption_rate_redeems_when_the_credit_reaches_one() {
    let mut req = request();
    req["promotion"] = json!({});
    req["assumptions"]["redemption_rate"] = json!("0.34");
    req["until"] = json!("2026-01-31");
    let mut orders = vec![order("a", "2026-01-02T10:00:00+08:00", "20000")];
    for d in 20..26 {
        orders.push(order("a", &format!("2026-01-{d}T10:00:00+08:00"), "10"));
    }
    req["orders"] = json!(orders);
    let r = run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00");
    assert_eq!(r["baseline"]["points_redeemed"], 6000);
}

/// A promotion given as campaigns (members share one state until it reaches them) and the
/// same campaigns given as a whole second programme (every member has two states from the
/// start) give the same figures, with a spend uplift, over 30 months, so that points lapse.
#[test]
fn campaigns_and_the_programme_with_them_give_the_same_figures() {
    let campaigns: serde_json::Value =
        serde_json::from_str(include_str!("../examples/promotion.json")).unwrap();
    let mut programme: serde_json::Value =
        serde_json::from_str(include_str!("../examples/hongmi-home.program.json")).unwrap();
    let added = campaigns["campaigns"].as_array().unwrap().clone();
    programme["campaigns"].as_array_mut().unwrap().extend(added);
    let simulate = |promotion: serde_json::Value| {
        let req = json!({
            "promotion": promotion,
            "assumptions": { "spend_uplift": "0.1", "redemption_rate": "0.7" },
            "synthetic": { "members": 400, "orders_per_member": 15, "start": "2025-01-01T00:00:00+08:00", "days": 900, "seed": 3 },
        });
        run(&engine(), "simulate", req, "2026-01-01T00:00:00+08:00")
    };
    let as_campaigns = simulate(campaigns);
    assert_eq!(as_campaigns, simulate(json!({ "program": programme })));
    assert!(as_campaigns["baseline"]["points_expired"].as_i64().unwrap() > 0);
    assert_ne!(as_campaigns["baseline"], as_campaigns["promotion"]);
}
