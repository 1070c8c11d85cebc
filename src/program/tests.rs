use super::*;
use serde_json::{json, Value};

const HONGMI: &str = include_str!("../../examples/hongmi-home.program.json");

fn load_with(edit: impl FnOnce(&mut Value)) -> Result<Loaded, Errors> {
    let mut v: Value = serde_json::from_str(HONGMI).unwrap();
    edit(&mut v);
    Program::load(&v.to_string())
}

fn first(edit: impl FnOnce(&mut Value)) -> (String, String) {
    let e = load_with(edit).expect_err("should be invalid");
    (e[0].code.clone(), e[0].path.clone())
}

#[test]
fn the_reference_programme_loads_as_it_is() {
    let p = Program::load(HONGMI).unwrap();
    assert_eq!(p.program.rewards.len(), 5);
    assert_eq!(p.dp, 2);
}

#[test]
fn duplicate_ids_are_reported_with_their_path() {
    assert_eq!(
        first(|p| p["rewards"][1]["id"] = json!("bedding-set")),
        ("duplicate_id".into(), "rewards[1].id".into())
    );
}

#[test]
fn every_repeat_of_an_id_is_reported_and_the_first_use_is_not() {
    let e = load_with(|p| {
        p["rewards"][2]["id"] = json!("bedding-set");
        p["rewards"][4]["id"] = json!("bedding-set");
    })
    .expect_err("should be invalid");
    let paths: Vec<&str> = e
        .iter()
        .filter(|e| e.code == "duplicate_id")
        .map(|e| e.path.as_str())
        .collect();
    assert_eq!(paths, ["rewards[2].id", "rewards[4].id"]);
}

#[test]
fn a_category_listed_by_two_point_kinds_is_ambiguous() {
    assert_eq!(
        first(|p| {
            p["point_kinds"][0]["categories"] = json!(["bedding", "public-transport"]);
        }),
        (
            "ambiguous_category".into(),
            "point_kinds[1].categories[1]".into()
        )
    );
}

#[test]
fn unknown_references_are_reported() {
    assert_eq!(
        first(|p| p["campaigns"][0]["reward_costs"] = json!({ "sofa": 10 })),
        (
            "unknown_reward".into(),
            "campaigns[0].reward_costs.sofa".into()
        )
    );
    assert_eq!(
        first(|p| p["rewards"][0]["kinds"] = json!(["gold-dust"])),
        ("unknown_point_kind".into(), "rewards[0].kinds[0]".into())
    );
    assert_eq!(
        first(|p| p["bill_offset"]["min_tier"] = json!("platinum")),
        ("unknown_tier".into(), "bill_offset.min_tier".into())
    );
}

#[test]
fn a_campaign_that_ends_before_it_starts_is_refused() {
    assert_eq!(
        first(|p| p["campaigns"][0]["ends"] = json!("2026-02-01T00:00:00+08:00")),
        (
            "campaign_ends_before_start".into(),
            "campaigns[0].ends".into()
        )
    );
}

#[test]
fn negative_costs_are_refused() {
    assert_eq!(
        first(|p| p["rewards"][2]["cost"] = json!(-5)),
        ("invalid_points".into(), "rewards[2].cost".into())
    );
    assert_eq!(
        first(|p| p["rewards"][2]["value"] = json!("-1")),
        ("negative_amount".into(), "rewards[2].value".into())
    );
}

#[test]
fn an_unknown_currency_is_refused() {
    assert_eq!(
        first(|p| p["currency"] = json!("XYZ")),
        ("unknown_currency".into(), "currency".into())
    );
}

#[test]
fn tiers_must_go_from_lowest_to_highest() {
    assert_eq!(
        first(|p| p["tiers"][2]["min_spend"] = json!("100")),
        ("tiers_not_ordered".into(), "tiers[2]".into())
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = load_with(|p| {
        p["currency"] = json!("XYZ");
        p["utc_offset"] = json!("+8");
        p["rewards"][0]["cost"] = json!(0);
    })
    .unwrap_err();
    let codes: Vec<&str> = e.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(
        codes,
        ["unknown_currency", "invalid_utc_offset", "invalid_points"]
    );
}

#[test]
fn unknown_fields_and_wrong_types_name_their_path() {
    assert_eq!(
        first(|p| p["earn"]["pointz_per_unit"] = json!(1)).0,
        "unknown_field"
    );
    let (code, path) = first(|p| p["tiers"][1]["min_orders"] = json!("four"));
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("invalid_value", "tiers[1].min_orders")
    );
}

#[test]
fn the_fingerprint_ignores_layout_and_trailing_zeros_but_not_rules() {
    let a = Program::load(HONGMI).unwrap().fingerprint;
    let compact: Value = serde_json::from_str(HONGMI).unwrap();
    assert_eq!(Program::load(&compact.to_string()).unwrap().fingerprint, a);
    assert_eq!(
        load_with(|p| p["rewards"][0]["value"] = json!("300"))
            .unwrap()
            .fingerprint,
        a
    );
    assert_ne!(
        load_with(|p| p["rewards"][0]["cost"] = json!(2999))
            .unwrap()
            .fingerprint,
        a
    );
}

#[test]
fn display_names_are_optional_and_leave_the_fingerprint_of_a_programme_without_them_alone() {
    let without = Program::load(HONGMI).unwrap();
    let with_empty = load_with(|p| p["display_names"] = json!({})).unwrap();
    assert_eq!(with_empty.fingerprint, without.fingerprint);
    let named = load_with(|p| {
        p["display_names"] = json!({ "gift-card": { "zh-CN": "礼品卡", "en": "Gift cards" } })
    })
    .unwrap();
    assert_ne!(named.fingerprint, without.fingerprint);
    assert_eq!(named.display("gift-card"), ("礼品卡", "Gift cards"));
    assert_eq!(named.display("bedding"), ("bedding", "bedding"));
}

#[test]
fn a_display_name_needs_both_languages() {
    assert_eq!(
        first(|p| p["display_names"] = json!({ "gift-card": { "zh-CN": "礼品卡", "en": " " } })),
        ("invalid_text".into(), "display_names.gift-card".into())
    );
}
