//! Every rule a programme must obey, each reported with a stable code and a JSON path.
//! Validation collects all problems instead of stopping at the first, so a merchant fixing a
//! file sees the whole list at once.

use super::*;
use crate::calendar::parse_offset;
use crate::error::Error;
use crate::num::{minor_units, MAX_MONEY, MAX_POINTS};

struct Checker {
    errors: Vec<Error>,
}

impl Checker {
    fn err(&mut self, code: &str, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Error::new(code, path, message));
    }

    fn id(&mut self, id: &str, path: String) {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
        if !ok {
            self.err(
                "invalid_id",
                path,
                format!(
                    "id `{}` must be 1-64 characters of a-z, 0-9, '-', '_', '.'",
                    short(id)
                ),
            );
        }
    }

    fn unique<'a>(&mut self, ids: impl Iterator<Item = &'a str>, path: &str) {
        let mut seen = Ids::default();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.err(
                    "duplicate_id",
                    format!("{path}[{i}].id"),
                    format!("id `{}` is used twice", short(id)),
                );
            }
        }
    }

    fn text(&mut self, t: &Text, path: String) {
        if t.zh_cn.trim().is_empty()
            || t.en.trim().is_empty()
            || t.zh_cn.len() > 500
            || t.en.len() > 500
        {
            self.err(
                "invalid_text",
                path,
                "names need non-empty zh-CN and en text of at most 500 bytes",
            );
        }
    }

    fn money(&mut self, v: Decimal, path: String) {
        if v.is_sign_negative() && !v.is_zero() {
            self.err("negative_amount", path, "amount must not be negative");
        } else if v > MAX_MONEY {
            self.err("amount_too_large", path, "amount is larger than 10^13");
        }
    }

    fn points(&mut self, v: i64, path: String, positive: bool) {
        if v < 0 || (positive && v == 0) {
            self.err(
                "invalid_points",
                path,
                if positive {
                    "points must be positive"
                } else {
                    "points must not be negative"
                },
            );
        } else if v > MAX_POINTS {
            self.err("invalid_points", path, "points must be at most 10^13");
        }
    }

    fn rate(&mut self, v: Decimal, path: String, max: i64) {
        if v <= Decimal::ZERO || v > Decimal::from(max) {
            self.err(
                "invalid_rate",
                path,
                format!("must be greater than 0 and at most {max}"),
            );
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Checks a programme; returns its offset and currency minor units when valid.
pub(super) fn validate(p: &Program) -> Result<(FixedOffset, u32), Errors> {
    let mut c = Checker { errors: Vec::new() };
    if p.format != FORMAT_V1 {
        c.err(
            "unsupported_format",
            "format",
            format!("expected `{FORMAT_V1}`"),
        );
    }
    c.id(&p.id, "id".into());
    if p.version.is_empty() || p.version.len() > 64 {
        c.err(
            "invalid_version",
            "version",
            "version must be 1-64 characters",
        );
    }
    c.text(&p.name, "name".into());
    let dp = minor_units(&p.currency);
    if dp.is_none() {
        c.err(
            "unknown_currency",
            "currency",
            format!(
                "`{}` is not a supported ISO 4217 currency",
                short(&p.currency)
            ),
        );
    }
    let offset = parse_offset(&p.utc_offset, "utc_offset")
        .map_err(|e| c.errors.extend(e))
        .ok();

    // Earning.
    c.rate(p.earn.points_per_unit, "earn.points_per_unit".into(), 1000);
    if p.earn.pending_days > 3650 {
        c.err(
            "invalid_days",
            "earn.pending_days",
            "pending_days must be at most 3650",
        );
    }

    // Point kinds.
    c.unique(p.point_kinds.iter().map(|k| k.id.as_str()), "point_kinds");
    let mut category_kind = Ids::default();
    for (i, k) in p.point_kinds.iter().enumerate() {
        c.id(&k.id, format!("point_kinds[{i}].id"));
        c.text(&k.name, format!("point_kinds[{i}].name"));
        for (j, cat) in k.categories.iter().enumerate() {
            if !category_kind.insert(cat) {
                c.err(
                    "ambiguous_category",
                    format!("point_kinds[{i}].categories[{j}]"),
                    format!("category `{}` is listed by two point kinds", short(cat)),
                );
            }
        }
    }
    let kinds: Ids = p
        .point_kinds
        .iter()
        .map(|k| k.id.as_str())
        .chain([STANDARD])
        .collect();
    let check_kinds = |c: &mut Checker, list: &[String], path: &str| {
        for (j, k) in list.iter().enumerate() {
            if !kinds.contains(k.as_str()) {
                c.err(
                    "unknown_point_kind",
                    format!("{path}[{j}]"),
                    format!("point kind `{}` is not declared", short(k)),
                );
            }
        }
    };

    // Tiers: ordered by thresholds, ids unique.
    if p.tier_window_days == 0 || p.tier_window_days > 3650 {
        c.err(
            "invalid_days",
            "tier_window_days",
            "tier_window_days must be 1-3650",
        );
    }
    c.unique(p.tiers.iter().map(|t| t.id.as_str()), "tiers");
    for (i, t) in p.tiers.iter().enumerate() {
        c.id(&t.id, format!("tiers[{i}].id"));
        c.text(&t.name, format!("tiers[{i}].name"));
        c.money(t.min_spend, format!("tiers[{i}].min_spend"));
        c.rate(t.multiplier, format!("tiers[{i}].multiplier"), 100);
        if i > 0 {
            let prev = &p.tiers[i - 1];
            if t.min_spend < prev.min_spend
                || t.min_orders < prev.min_orders
                || (t.min_spend == prev.min_spend && t.min_orders == prev.min_orders)
            {
                c.err(
                    "tiers_not_ordered",
                    format!("tiers[{i}]"),
                    format!(
                        "tier `{}` must need more than `{}` (tiers go from lowest to highest)",
                        short(&t.id),
                        short(&prev.id)
                    ),
                );
            }
        }
    }
    let tier_ids: Ids = p.tiers.iter().map(|t| t.id.as_str()).collect();

    // Activity bonuses.
    c.unique(p.bonuses.iter().map(|b| b.id.as_str()), "bonuses");
    for (i, b) in p.bonuses.iter().enumerate() {
        c.id(&b.id, format!("bonuses[{i}].id"));
        c.text(&b.name, format!("bonuses[{i}].name"));
        c.points(b.points, format!("bonuses[{i}].points"), true);
        check_kinds(
            &mut c,
            std::slice::from_ref(&b.kind),
            &format!("bonuses[{i}].kind"),
        );
    }

    // Expiry.
    match &p.expiry {
        ExpiryPolicy::RollingMonths { months, .. } if *months == 0 || *months > 1200 => {
            c.err("invalid_expiry", "expiry.months", "months must be 1-1200")
        }
        ExpiryPolicy::RollingDays { days } if *days == 0 || *days > 36500 => {
            c.err("invalid_expiry", "expiry.days", "days must be 1-36500")
        }
        ExpiryPolicy::EndOfYear { after_years } if *after_years > 100 => c.err(
            "invalid_expiry",
            "expiry.after_years",
            "after_years must be 0-100",
        ),
        _ => {}
    }
    if p.expiry_notice_days > 3650 {
        c.err(
            "invalid_days",
            "expiry_notice_days",
            "expiry_notice_days must be at most 3650",
        );
    }
    for (i, d) in p.reminder_days.iter().enumerate() {
        if *d > 3650 {
            c.err(
                "invalid_days",
                format!("reminder_days[{i}]"),
                "a reminder must be at most 3650 days before expiry",
            );
        }
    }

    // Rewards.
    c.unique(p.rewards.iter().map(|r| r.id.as_str()), "rewards");
    for (i, r) in p.rewards.iter().enumerate() {
        c.id(&r.id, format!("rewards[{i}].id"));
        c.text(&r.name, format!("rewards[{i}].name"));
        c.points(r.cost, format!("rewards[{i}].cost"), true);
        c.money(r.value, format!("rewards[{i}].value"));
        check_kinds(&mut c, &r.kinds, &format!("rewards[{i}].kinds"));
    }
    let reward_ids: Ids = p.rewards.iter().map(|r| r.id.as_str()).collect();

    // Bill offset.
    if let Some(o) = &p.bill_offset {
        c.rate(
            o.points_per_unit,
            "bill_offset.points_per_unit".into(),
            1_000_000,
        );
        if o.max_share <= Decimal::ZERO || o.max_share > Decimal::ONE {
            c.err(
                "invalid_share",
                "bill_offset.max_share",
                "max_share must be greater than 0 and at most 1",
            );
        }
        c.points(o.min_points, "bill_offset.min_points".into(), false);
        c.points(o.step, "bill_offset.step".into(), true);
        check_kinds(&mut c, &o.kinds, "bill_offset.kinds");
        if let Some(t) = &o.min_tier {
            if !tier_ids.contains(t.as_str()) {
                c.err(
                    "unknown_tier",
                    "bill_offset.min_tier",
                    format!("tier `{}` is not declared", short(t)),
                );
            }
        }
    }

    // Campaigns.
    c.unique(p.campaigns.iter().map(|x| x.id.as_str()), "campaigns");
    for (i, x) in p.campaigns.iter().enumerate() {
        let at = |f: &str| format!("campaigns[{i}].{f}");
        c.id(&x.id, at("id"));
        c.text(&x.name, at("name"));
        if x.ends <= x.starts {
            c.err(
                "campaign_ends_before_start",
                at("ends"),
                format!("campaign `{}` ends before it starts", short(&x.id)),
            );
        }
        if let Some(m) = x.multiplier {
            c.rate(m, at("multiplier"), 100);
        }
        if let Some(t) = &x.min_tier {
            if !tier_ids.contains(t.as_str()) {
                c.err(
                    "unknown_tier",
                    at("min_tier"),
                    format!("tier `{}` is not declared", short(t)),
                );
            }
        }
        for (rid, cost) in &x.reward_costs {
            if !reward_ids.contains(rid.as_str()) {
                c.err(
                    "unknown_reward",
                    format!("campaigns[{i}].reward_costs.{rid}"),
                    format!("reward `{}` is not declared", short(rid)),
                );
            }
            c.points(*cost, format!("campaigns[{i}].reward_costs.{rid}"), true);
        }
        if let Some(b) = x.bonus_points {
            c.points(b, at("bonus_points"), true);
        }
        if let Some(m) = x.min_spend {
            c.money(m, at("min_spend"));
        }
        if x.min_spend.is_some() && x.bonus_points.is_none() {
            c.err(
                "missing_field",
                at("bonus_points"),
                "min_spend needs bonus_points",
            );
        }
        if x.multiplier.is_none() && x.reward_costs.is_empty() && x.bonus_points.is_none() {
            c.err(
                "empty_campaign",
                format!("campaigns[{i}]"),
                "a campaign needs a multiplier, reward_costs or bonus_points",
            );
        }
    }

    // Household.
    if let Some(h) = &p.household {
        if h.max_members < 2 || h.max_members > 100 {
            c.err(
                "invalid_household",
                "household.max_members",
                "max_members must be 2-100",
            );
        }
        check_kinds(&mut c, &h.transfer_kinds, "household.transfer_kinds");
        c.points(h.min_transfer, "household.min_transfer".into(), false);
        c.points(
            h.max_transfer_per_month,
            "household.max_transfer_per_month".into(),
            true,
        );
        if h.min_transfer > h.max_transfer_per_month {
            c.err(
                "invalid_household",
                "household.min_transfer",
                "min_transfer exceeds max_transfer_per_month",
            );
        }
    }

    // Display names: text a shopper reads, held to the same rules as every other name.
    for (id, name) in &p.display_names {
        c.text(name, format!("display_names.{id}"));
    }

    match (offset, dp) {
        (Some(o), Some(d)) if c.errors.is_empty() => Ok((o, d)),
        _ => Err(c.errors),
    }
}

/// A set of names for the checks above: a sorted `Vec` searched by halves. The standard
/// `HashSet` brought a hash table and SipHash into the checkout engine for sets of a few
/// dozen ids (a programme's kinds, tiers, rewards and categories).
#[derive(Default)]
struct Ids<'a>(Vec<&'a str>);

impl<'a> Ids<'a> {
    /// Adds `id`; `false` if it was there already.
    fn insert(&mut self, id: &'a str) -> bool {
        match self.0.binary_search(&id) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, id);
                true
            }
        }
    }

    fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&id).is_ok()
    }
}

impl<'a> FromIterator<&'a str> for Ids<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(ids: I) -> Self {
        let mut set = Ids::default();
        for id in ids {
            set.insert(id);
        }
        set
    }
}
