//! Plain-language reasons, in zh-CN and en, for every rule that shapes a figure.
//!
//! Kept apart from the arithmetic so the wording can change without touching a rule, and so
//! every host shows the same sentence the core produced.

use crate::num::{fmt_money, fmt_rate};
use crate::program::{Campaign, Loaded, Stacking, Text, Tier};
use chrono::Datelike;
use rust_decimal::Decimal;
use std::sync::Arc;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn t(zh: String, en: String) -> Text {
    Text { zh_cn: zh, en }
}

/// `¥10,000.00` style money for sentences: thousands grouped with commas, as both zh-CN and
/// en write amounts (the widget's `Intl` formatting agrees).
pub fn money(p: &Loaded, amount: Decimal) -> String {
    let plain = fmt_money(amount, p.dp);
    let negative = plain.starts_with('-');
    let grouped = group(plain.trim_start_matches('-'));
    let sign = if negative { "-" } else { "" };
    let sym = match p.program.currency.as_str() {
        "CNY" | "JPY" => "¥",
        "USD" | "AUD" | "CAD" | "HKD" | "SGD" | "NZD" | "TWD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "KRW" => "₩",
        other => return format!("{sign}{grouped} {other}"),
    };
    format!("{sign}{sym}{grouped}")
}

/// A count of points for sentences, thousands grouped as the widget's `Intl` figures are in
/// both languages (`2,500`).
pub fn points(n: i64) -> String {
    let plain = n.to_string();
    match plain.strip_prefix('-') {
        Some(digits) => format!("-{}", group(digits)),
        None => group(&plain),
    }
}

/// Digits with an optional fraction (`12345.60`), their whole part grouped by thousands with
/// commas (`12,345.60`).
fn group(plain: &str) -> String {
    let point = plain.find('.').unwrap_or(plain.len());
    let mut grouped = String::with_capacity(plain.len() + point / 3);
    for (i, c) in plain.char_indices() {
        if i > 0 && i < point && (point - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// `1 point`, `2 points`, `0.5 points`: an English count with its noun.
pub fn count(n: &str, one: &str, many: &str) -> String {
    let noun = if n == "1" { one } else { many };
    format!("{n} {noun}")
}

pub fn base_rate(p: &Loaded) -> Text {
    let r = fmt_rate(p.program.earn.points_per_unit);
    let unit = money(p, Decimal::ONE);
    t(
        format!("每消费{unit}积{r}分"),
        format!("{} per {unit} spent", count(&r, "point", "points")),
    )
}

pub fn tier_multiplier(tier: &Tier) -> Text {
    let m = fmt_rate(tier.multiplier);
    t(
        format!("{}：积分×{m}", tier.name.zh_cn),
        format!("{} tier: points ×{m}", tier.name.en),
    )
}

pub fn campaign_multiplier(c: &Campaign, m: Decimal, p: &Loaded) -> Text {
    let m = fmt_rate(m);
    let (_, until) = crate::campaigns::days(p, c);
    t(
        format!(
            "{}：积分×{m}（至{}）",
            c.name.zh_cn,
            format_args!("{}月{}日", until.month(), until.day())
        ),
        format!(
            "{}: points ×{m} (until {})",
            c.name.en,
            format_args!("{} {}", until.day(), MONTHS[until.month0() as usize])
        ),
    )
}

pub fn stacking(s: Stacking) -> Text {
    match s {
        Stacking::Multiply => t(
            "多个倍数相乘".into(),
            "Multipliers are multiplied together".into(),
        ),
        Stacking::Best => t(
            "多个倍数取最高".into(),
            "Only the highest multiplier applies".into(),
        ),
        Stacking::Add => t(
            "多个倍数的加成相加".into(),
            "Multiplier boosts are added together".into(),
        ),
    }
}

/// A list of category or perk ids as each language writes one, each id by its display name
/// where the programme gives one: `礼品卡、公共交通` in Chinese, `Gift cards, Public transport`
/// in English.
pub fn list(p: &Loaded, ids: &[String]) -> (String, String) {
    let (mut zh, mut en) = (String::new(), String::new());
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            zh.push('、');
            en.push_str(", ");
        }
        let (z, e) = p.display(id);
        zh.push_str(z);
        en.push_str(e);
    }
    (zh, en)
}

pub fn excluded(p: &Loaded) -> Text {
    let (zh, en) = list(p, &p.program.earn.excluded_categories);
    t(
        format!("以下品类不积分：{zh}"),
        format!("These categories earn no points: {en}"),
    )
}

pub fn point_kind(p: &Loaded, kind: &str) -> Text {
    let name = p.kind_name(kind);
    let (zh, en) = p
        .kind(kind)
        .map(|k| list(p, &k.categories))
        .unwrap_or_default();
    t(
        format!("以下品类积入「{}」：{zh}", name.zh_cn),
        // After a colon, as in the rules and in both languages: category ids are lowercase
        // and do not start a sentence.
        format!("Items in these categories earn {}: {en}", name.en),
    )
}

pub fn spend_bonus(c: &Campaign, bonus: i64, min: Decimal, p: &Loaded) -> Text {
    let (m, bonus) = (money(p, min), points(bonus));
    t(
        format!("{}：满{m}赠{bonus}分", c.name.zh_cn),
        format!(
            "{}: {bonus} bonus points for spending {m} or more",
            c.name.en
        ),
    )
}

/// `missing` and `amount` below are exact; [`money`] rounds them to the currency's minor units.
pub fn spend_bonus_missed(c: &Campaign, bonus: i64, missing: Decimal, p: &Loaded) -> Text {
    let (m, bonus) = (money(p, missing), points(bonus));
    t(
        format!("{}：再消费{m}即可获赠{bonus}分", c.name.zh_cn),
        format!("{}: spend {m} more to get {bonus} bonus points", c.name.en),
    )
}

pub fn offset_no_earn(used: i64, amount: Decimal, p: &Loaded) -> Text {
    let (m, used) = (money(p, amount), points(used));
    t(
        format!("{used}积分抵扣{m}，抵扣部分不积分"),
        format!("{used} points pay {m}; the part paid with points earns none"),
    )
}

/// The reasons that depend only on the programme, built once at load so that a quote shares
/// them instead of formatting sentences on every call.
#[derive(Debug, Default)]
pub struct Cache {
    pub base_rate: Arc<Text>,
    pub stacking: Arc<Text>,
    pub excluded: Arc<Text>,
    /// By tier index.
    pub tiers: Vec<Arc<Text>>,
    /// By campaign index: the multiplier reason and the spend-bonus reason.
    pub campaign_multiplier: Vec<Arc<Text>>,
    pub spend_bonus: Vec<Arc<Text>>,
    /// By point kind id.
    pub kinds: Vec<(String, Arc<Text>)>,
}

impl Cache {
    pub fn build(p: &Loaded) -> Cache {
        let prog = &p.program;
        Cache {
            base_rate: Arc::new(base_rate(p)),
            stacking: Arc::new(stacking(prog.earn.multiplier_stacking)),
            excluded: Arc::new(excluded(p)),
            tiers: prog
                .tiers
                .iter()
                .map(|t| Arc::new(tier_multiplier(t)))
                .collect(),
            campaign_multiplier: prog
                .campaigns
                .iter()
                .map(|c| {
                    Arc::new(campaign_multiplier(
                        c,
                        c.multiplier.unwrap_or(Decimal::ONE),
                        p,
                    ))
                })
                .collect(),
            spend_bonus: prog
                .campaigns
                .iter()
                .map(|c| {
                    Arc::new(spend_bonus(
                        c,
                        c.bonus_points.unwrap_or(0),
                        c.min_spend.unwrap_or_default(),
                        p,
                    ))
                })
                .collect(),
            kinds: prog
                .point_kinds
                .iter()
                .map(|k| (k.id.clone(), Arc::new(point_kind(p, &k.id))))
                .collect(),
        }
    }

    pub fn kind(&self, id: &str) -> Arc<Text> {
        self.kinds
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Program;

    fn program(currency: &str) -> Loaded {
        let mut p: serde_json::Value =
            serde_json::from_str(include_str!("../examples/hongmi-home.program.json")).unwrap();
        p["currency"] = serde_json::json!(currency);
        Program::load(&p.to_string()).unwrap()
    }

    #[test]
    fn money_in_sentences_groups_thousands_with_commas() {
        let cny = program("CNY");
        let m = |s: &str| money(&cny, s.parse().unwrap());
        assert_eq!(m("0"), "¥0.00");
        assert_eq!(m("999.5"), "¥999.50");
        assert_eq!(m("1000"), "¥1,000.00");
        assert_eq!(m("10000"), "¥10,000.00");
        assert_eq!(m("1234567.891"), "¥1,234,567.89");
        assert_eq!(m("-2500"), "-¥2,500.00");
        assert_eq!(
            money(&program("JPY"), "1234567".parse().unwrap()),
            "¥1,234,567"
        );
        assert_eq!(
            money(&program("CHF"), "12345.6".parse().unwrap()),
            "12,345.60 CHF"
        );
    }

    #[test]
    fn points_in_sentences_group_thousands_as_the_widget_does() {
        let shown = [0, 7, 999, 1000, 2500, 12345, 1234567, -5000, i64::MIN].map(points);
        assert_eq!(
            shown,
            [
                "0",
                "7",
                "999",
                "1,000",
                "2,500",
                "12,345",
                "1,234,567",
                "-5,000",
                "-9,223,372,036,854,775,808"
            ]
        );
    }

    #[test]
    fn english_counts_take_the_singular_only_for_one() {
        assert_eq!(count("1", "day", "days"), "1 day");
        assert_eq!(count("0", "day", "days"), "0 days");
        assert_eq!(count("0.5", "point", "points"), "0.5 points");
        assert_eq!(count("30 and 7", "day", "days"), "30 and 7 days");
    }
}
