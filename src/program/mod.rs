//! The programme format, v1 (`"format": "jifen.program/1"`).
//!
//! A programme is the merchant's rule book: how points are earned, tiers, rewards, bill
//! offset, expiry, campaigns and household transfers. [`Program::load`] parses it, checks
//! every rule (`program/validate.rs`) and reports all problems at once with JSON paths, then
//! computes the fingerprint every result carries so a server can tell a stale preview
//! from a current one.

mod expiry_policy;
mod validate;

use crate::calendar::Instant;
use crate::error::{parse_json, Errors};
use crate::num::{dec, Rounding};
use chrono::FixedOffset;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The only format this version reads.
pub const FORMAT_V1: &str = "jifen.program/1";

/// Text in the two languages every programme carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Always `jifen.program/1`.
    pub format: String,
    pub id: String,
    pub version: String,
    pub name: Text,
    /// ISO 4217 code; fixes the minor units of every money output.
    pub currency: String,
    /// Offset in which calendar days are counted (`+08:00`).
    pub utc_offset: String,
    pub earn: Earn,
    #[serde(default)]
    pub point_kinds: Vec<PointKind>,
    #[serde(default = "default_window")]
    pub tier_window_days: u32,
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Activity bonuses (surveys, lectures, birthday) granted by the merchant.
    #[serde(default)]
    pub bonuses: Vec<ActivityBonus>,
    pub expiry: ExpiryPolicy,
    #[serde(default = "default_notice")]
    pub expiry_notice_days: u32,
    #[serde(default)]
    pub reminder_days: Vec<u32>,
    #[serde(default)]
    pub rewards: Vec<Reward>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_offset: Option<BillOffset>,
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<Household>,
    /// Names in both languages for the category and perk ids the rules mention, so that a
    /// Chinese rule reads 礼品卡 rather than `gift-card`. An id without one is shown as it is.
    // Left out of the canonical form when empty: a programme without names kept the
    // fingerprint it had before the field existed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub display_names: BTreeMap<String, Text>,
}

fn default_window() -> u32 {
    365
}
fn default_notice() -> u32 {
    30
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Earn {
    /// Points per currency unit of eligible spend.
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub points_per_unit: Decimal,
    #[serde(default)]
    pub rounding: Rounding,
    #[serde(default)]
    pub round_per: RoundPer,
    #[serde(default)]
    pub excluded_categories: Vec<String>,
    /// Days after the order before points can be spent (the return window).
    #[serde(default)]
    pub pending_days: u32,
    #[serde(default)]
    pub multiplier_stacking: Stacking,
}

/// Where exact points are rounded to whole ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundPer {
    /// Sum exact decimals per point kind, then round once.
    #[default]
    Order,
    /// Round every line, then sum.
    Line,
}

/// How several multipliers on one line combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stacking {
    /// Product of all multipliers.
    #[default]
    Multiply,
    /// Only the largest applies.
    Best,
    /// 1 + the sum of each multiplier's excess over 1.
    Add,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PointKind {
    pub id: String,
    pub name: Text,
    #[serde(default)]
    pub transferable: bool,
    /// Categories whose lines earn this kind.
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: Text,
    #[serde(with = "dec", default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub min_spend: Decimal,
    #[serde(default)]
    pub min_orders: u32,
    #[serde(default)]
    pub qualify: Qualify,
    #[serde(with = "dec", default = "one")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub multiplier: Decimal,
    #[serde(default)]
    pub perks: Vec<String>,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// Whether a tier needs both thresholds or either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Qualify {
    #[default]
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityBonus {
    pub id: String,
    pub name: Text,
    pub points: i64,
    #[serde(default = "standard_kind")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_year: Option<u32>,
}

pub(crate) fn standard_kind() -> String {
    STANDARD.to_string()
}

/// The kind a line earns when no `point_kinds` entry lists its category.
pub const STANDARD: &str = "standard";

// Read by hand (`expiry_policy.rs`); the serde attributes shape its JSON out and its schema.
/// When points expire, counted from the day they were earned.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum ExpiryPolicy {
    /// `months` after earning; with `round: "month_end"` at the end of that month.
    RollingMonths {
        months: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round: Option<ExpiryRound>,
    },
    /// `days` after earning.
    RollingDays { days: u32 },
    /// 31 December of the earning year plus `after_years`.
    EndOfYear {
        #[serde(default)]
        after_years: u32,
    },
    /// Points never expire.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExpiryRound {
    MonthEnd,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub id: String,
    pub name: Text,
    #[serde(rename = "type")]
    pub kind: RewardType,
    /// Cost in points outside any campaign.
    pub cost: i64,
    /// Retail value in money.
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub value: Decimal,
    /// Point kinds that may pay for it (all kinds when empty).
    #[serde(default)]
    pub kinds: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardType {
    Goods,
    Service,
    Donation,
    Coupon,
    Voucher,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BillOffset {
    /// Points that pay one currency unit.
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub points_per_unit: Decimal,
    /// Largest share of the order (0–1) points may pay.
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub max_share: Decimal,
    #[serde(default)]
    pub min_points: i64,
    #[serde(default = "one_i64")]
    pub step: i64,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tier: Option<String>,
}

fn one_i64() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub id: String,
    pub name: Text,
    /// Inclusive start instant.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub starts: Instant,
    /// Exclusive end instant.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub ends: Instant,
    /// Earning multiplier on matching lines.
    #[serde(with = "dec::opt", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub multiplier: Option<Decimal>,
    /// Categories the multiplier or bonus applies to (all when empty).
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tier: Option<String>,
    /// Lower reward costs while the campaign runs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reward_costs: BTreeMap<String, i64>,
    /// Points added to an order whose eligible spend reaches `min_spend`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bonus_points: Option<i64>,
    #[serde(with = "dec::opt", default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub min_spend: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Household {
    pub max_members: u32,
    pub transfer_kinds: Vec<String>,
    #[serde(default)]
    pub min_transfer: i64,
    pub max_transfer_per_month: i64,
}

/// A validated programme with the values derived once at load time.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub program: Program,
    pub offset: FixedOffset,
    /// Minor units of the currency.
    pub dp: u32,
    /// `sha256:` + hex of the canonical JSON form.
    pub fingerprint: String,
    /// Programme-only reasons, formatted once.
    pub(crate) reasons: std::sync::Arc<crate::reasons::Cache>,
}

impl Program {
    /// Parses, validates and fingerprints a programme from JSON text.
    pub fn load(json: &str) -> Result<Loaded, Errors> {
        let program: Program = parse_json(json, "")?;
        program.into_loaded()
    }

    /// Validates and fingerprints an already-parsed programme.
    pub fn into_loaded(mut self) -> Result<Loaded, Errors> {
        let (offset, dp) = validate::validate(&self)?;
        let fingerprint = fingerprint(&self);
        // Tier thresholds at the money's scale: window spend is in minor units, and comparing
        // decimals of different scales rescales one of them on every order. Adding zeros
        // changes no value, and decimals leave the engine normalized or as money.
        for t in &mut self.tiers {
            if t.min_spend.scale() < dp {
                t.min_spend.rescale(dp);
            }
        }
        let mut loaded = Loaded {
            program: self,
            offset,
            dp,
            fingerprint,
            reasons: Default::default(),
        };
        loaded.reasons = std::sync::Arc::new(crate::reasons::Cache::build(&loaded));
        Ok(loaded)
    }
}

/// Hash of the canonical form: fields in declaration order, decimals normalized, so the same
/// rules written with different whitespace, key order or trailing zeros agree.
fn fingerprint(p: &Program) -> String {
    let canonical = serde_json::to_vec(p).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    let mut out = String::with_capacity(7 + 32);
    out.push_str("sha256:");
    for b in &digest[..16] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl Loaded {
    pub fn tier_index(&self, id: &str) -> Option<usize> {
        self.program.tiers.iter().position(|t| t.id == id)
    }

    pub fn reward(&self, id: &str) -> Option<&Reward> {
        self.program.rewards.iter().find(|r| r.id == id)
    }

    pub fn kind(&self, id: &str) -> Option<&PointKind> {
        self.program.point_kinds.iter().find(|k| k.id == id)
    }

    /// A kind is known when declared, or when it is the implicit `standard`.
    pub fn kind_exists(&self, id: &str) -> bool {
        id == STANDARD || self.kind(id).is_some()
    }

    /// The point kind a category earns: the first kind listing it, else `standard`.
    pub fn kind_for_category(&self, category: &str) -> &str {
        self.program
            .point_kinds
            .iter()
            .find(|k| k.categories.iter().any(|c| c == category))
            .map(|k| k.id.as_str())
            .unwrap_or(STANDARD)
    }

    /// An id as each language shows it: its `display_names` entry, else the id itself.
    pub fn display<'a>(&'a self, id: &'a str) -> (&'a str, &'a str) {
        match self.program.display_names.get(id) {
            Some(t) => (&t.zh_cn, &t.en),
            None => (id, id),
        }
    }

    /// Display name of a kind (the id itself for an undeclared `standard`).
    pub fn kind_name(&self, id: &str) -> Text {
        self.kind(id)
            .map(|k| k.name.clone())
            .unwrap_or_else(|| Text {
                zh_cn: "积分".into(),
                en: "Points".into(),
            })
    }
}

#[cfg(test)]
mod tests;
