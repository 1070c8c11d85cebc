//! Disclosure: the programme's rules in plain language, in zh-CN and en.
//!
//! Consumer-protection law (see the seed article) requires the acquisition conditions,
//! accumulation rules, validity period and redemption methods to be shown plainly. The widget
//! renders this structure; it is generated from the programme so it can never disagree with
//! the rules that are actually applied.

use crate::num::{fmt_percent, fmt_rate};
use crate::program::{Campaign, ExpiryPolicy, ExpiryRound, Loaded, Qualify, Text, Tier};
use crate::reasons::{count, list, money, points};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Section {
    pub id: &'static str,
    pub title: Text,
    pub items: Vec<Text>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Disclosure {
    pub title: Text,
    pub sections: Vec<Section>,
}

fn t(zh: String, en: String) -> Text {
    Text { zh_cn: zh, en }
}

/// When a campaign runs, from its first to its last day (one day: that day).
fn when(p: &Loaded, c: &Campaign) -> (String, String) {
    match crate::campaigns::days(p, c) {
        (first, last) if first == last => (first.to_string(), first.to_string()),
        (first, last) => (format!("{first}至{last}"), format!("{first} to {last}")),
    }
}

/// What a tier asks of a member, read as [`crate::tiers`] tests it: a zero threshold is
/// always met, so it is not named ("¥0.00 spent and 0 orders" said nothing), and under
/// `any` it makes the tier everyone's.
fn requirement(p: &Loaded, tier: &Tier) -> (String, String) {
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    if !tier.min_spend.is_zero() {
        let m = money(p, tier.min_spend);
        zh.push(["消费满", &m].concat());
        en.push(m + " spent");
    }
    if tier.min_orders > 0 {
        let n = tier.min_orders.to_string();
        en.push(count(&n, "order", "orders"));
        zh.push(n + "笔订单");
    }
    let (and_zh, and_en, needs) = match tier.qualify {
        Qualify::All => ("且", " and ", 1),
        Qualify::Any => ("或", " or ", 2),
    };
    if zh.len() < needs {
        return ("无门槛".into(), "no spend or orders needed".into());
    }
    let days = p.program.tier_window_days.to_string();
    (
        format!("{days}天内{}", zh.join(and_zh)),
        format!("{} within {}", en.join(and_en), count(&days, "day", "days")),
    )
}

pub fn disclose(p: &Loaded) -> Disclosure {
    let prog = &p.program;
    let earn = &prog.earn;
    let unit = money(p, rust_decimal::Decimal::ONE);

    let mut acquisition = vec![t(
        format!(
            "每消费{unit}可获得{}积分，按实付金额（扣除优惠和积分抵扣后）计算。",
            fmt_rate(earn.points_per_unit)
        ),
        format!(
            "Earn {} per {unit} of the amount actually paid (after discounts and points used).",
            count(&fmt_rate(earn.points_per_unit), "point", "points")
        ),
    )];
    if !earn.excluded_categories.is_empty() {
        let (zh, en) = list(p, &earn.excluded_categories);
        acquisition.push(t(
            format!("以下品类不积分：{zh}。"),
            format!("These categories earn no points: {en}."),
        ));
    }
    for k in prog.point_kinds.iter().filter(|k| !k.categories.is_empty()) {
        let (zh, en) = list(p, &k.categories);
        acquisition.push(t(
            format!("以下品类积入「{}」：{zh}。", k.name.zh_cn),
            // Category ids are lowercase (`energy-saving`): they follow a colon rather than
            // start the sentence, as the excluded categories' sentence has them (in Chinese
            // too, so that no Latin id runs into the characters after it).
            format!("Purchases in these categories earn {}: {en}.", k.name.en),
        ));
    }
    for b in &prog.bonuses {
        let cap_zh = b
            .max_per_year
            .map(|m| format!("，每年最多{m}次"))
            .unwrap_or_default();
        let cap_en = b
            .max_per_year
            .map(|m| match m {
                1 => ", at most once a year".to_string(),
                m => format!(", up to {m} times a year"),
            })
            .unwrap_or_default();
        acquisition.push(t(
            format!("{}：{}积分{cap_zh}。", b.name.zh_cn, points(b.points)),
            format!("{}: {} points{cap_en}.", b.name.en, points(b.points)),
        ));
    }
    for c in &prog.campaigns {
        let (when_zh, when_en) = when(p, c);
        if let Some(m) = c.multiplier {
            let (zh, en) = list(p, &c.categories);
            acquisition.push(t(
                format!("{}（{when_zh}）：{zh}积分×{}。", c.name.zh_cn, fmt_rate(m)),
                format!("{} ({when_en}): {en} points ×{}.", c.name.en, fmt_rate(m)),
            ));
        }
        if let Some(b) = c.bonus_points {
            let (min, b) = (money(p, c.min_spend.unwrap_or_default()), points(b));
            acquisition.push(t(
                format!("{}（{when_zh}）：单笔满{min}赠{b}积分。", c.name.zh_cn),
                format!(
                    "{} ({when_en}): {b} bonus points on orders of {min} or more.",
                    c.name.en
                ),
            ));
        }
    }

    let mut accumulation = vec![t(
        format!("积分在下单{}天后（退货期结束）可用。", earn.pending_days),
        format!(
            "Points become usable {} after the order (when the return window closes).",
            count(&earn.pending_days.to_string(), "day", "days")
        ),
    )];
    accumulation.push(match earn.rounding {
        crate::num::Rounding::Floor => t(
            "积分按订单合计后向下取整。".into(),
            "Points are totalled per order and rounded down.".into(),
        ),
        crate::num::Rounding::HalfUp => t(
            "积分按订单合计后四舍五入。".into(),
            "Points are totalled per order and rounded half up.".into(),
        ),
        crate::num::Rounding::HalfEven => t(
            "积分按订单合计后银行家舍入。".into(),
            "Points are totalled per order and rounded half to even.".into(),
        ),
    });
    for tier in &prog.tiers {
        let (req_zh, req_en) = requirement(p, tier);
        let (perks_zh, perks_en) = list(p, &tier.perks);
        accumulation.push(t(
            format!(
                "{}：{req_zh}，积分×{}{}。",
                tier.name.zh_cn,
                fmt_rate(tier.multiplier),
                if perks_zh.is_empty() {
                    String::new()
                } else {
                    format!("，权益：{perks_zh}")
                }
            ),
            format!(
                "{}: {req_en}; points ×{}{}.",
                tier.name.en,
                fmt_rate(tier.multiplier),
                if perks_en.is_empty() {
                    String::new()
                } else {
                    format!("; perks: {perks_en}")
                }
            ),
        ));
    }

    let mut validity = vec![match &prog.expiry {
        ExpiryPolicy::RollingMonths {
            months,
            round: Some(ExpiryRound::MonthEnd),
        } => t(
            format!("积分自获得之日起{months}个月后的月末到期。"),
            format!(
                "Points expire at the end of the month {} after they are earned.",
                count(&months.to_string(), "month", "months")
            ),
        ),
        ExpiryPolicy::RollingMonths {
            months,
            round: None,
        } => t(
            format!("积分自获得之日起{months}个月后到期。"),
            format!(
                "Points expire {} after they are earned.",
                count(&months.to_string(), "month", "months")
            ),
        ),
        ExpiryPolicy::RollingDays { days } => t(
            format!("积分自获得之日起{days}天后到期。"),
            format!(
                "Points expire {} after they are earned.",
                count(&days.to_string(), "day", "days")
            ),
        ),
        ExpiryPolicy::EndOfYear { after_years: 0 } => t(
            "积分在获得当年的12月31日到期。".into(),
            "Points expire on 31 December of the year they are earned.".into(),
        ),
        ExpiryPolicy::EndOfYear { after_years } => t(
            format!("积分在获得后第{after_years}年的12月31日到期。"),
            format!(
                "Points expire on 31 December, {} after the year they are earned.",
                count(&after_years.to_string(), "year", "years")
            ),
        ),
        ExpiryPolicy::Never => t("积分永久有效。".into(), "Points never expire.".into()),
    }];
    if !prog.reminder_days.is_empty() {
        let days: Vec<String> = prog.reminder_days.iter().map(|d| d.to_string()).collect();
        validity.push(t(
            format!("到期前{}天提醒。", days.join("、")),
            format!(
                "You are reminded {} before points expire.",
                count(&days.join(" and "), "day", "days")
            ),
        ));
    }
    validity.push(t(
        format!(
            "有效期如需缩短，将至少提前{}天通知。",
            prog.expiry_notice_days
        ),
        format!(
            "The validity period is never shortened without at least {} notice.",
            match prog.expiry_notice_days {
                1 => "1 day's".to_string(),
                n => format!("{n} days'"),
            }
        ),
    ));
    validity.push(t(
        "使用积分时优先扣除最早到期的积分。".into(),
        "Points expiring soonest are always used first.".into(),
    ));

    let mut redemption: Vec<Text> = prog
        .rewards
        .iter()
        .map(|r| {
            let kinds: Vec<String> = r.kinds.iter().map(|k| p.kind_name(k).zh_cn).collect();
            let kinds_en: Vec<String> = r.kinds.iter().map(|k| p.kind_name(k).en).collect();
            t(
                format!(
                    "{}：{}积分（价值{}，可用{}）。",
                    r.name.zh_cn,
                    points(r.cost),
                    money(p, r.value),
                    kinds.join("、")
                ),
                format!(
                    "{}: {} points (worth {}; paid with {}).",
                    r.name.en,
                    points(r.cost),
                    money(p, r.value),
                    kinds_en.join(", ")
                ),
            )
        })
        .collect();
    for c in &prog.campaigns {
        let (when_zh, when_en) = when(p, c);
        for (rid, cost) in &c.reward_costs {
            if let Some(r) = p.reward(rid) {
                let cost = points(*cost);
                redemption.push(t(
                    format!(
                        "{}期间（{when_zh}）：{}只需{cost}积分。",
                        c.name.zh_cn, r.name.zh_cn
                    ),
                    format!(
                        "During {} ({when_en}): {} for {cost} points.",
                        c.name.en, r.name.en
                    ),
                ));
            }
        }
    }
    if let Some(o) = &prog.bill_offset {
        // A share is a percentage a shopper reads, shown as the offers' uplift is.
        let share = fmt_percent(o.max_share * rust_decimal::Decimal::ONE_HUNDRED);
        let (rate, min, step) = (
            fmt_rate(o.points_per_unit),
            points(o.min_points),
            points(o.step),
        );
        redemption.push(t(
            format!("积分抵现：{rate}积分抵{unit}，最多抵订单金额的{share}%，至少{min}积分，按{step}积分递增；抵扣部分不积分。"),
            format!("Pay with points: {rate} points = {unit}, up to {share}% of the order, at least {min} points, in steps of {step}; the part paid with points earns none."),
        ));
    }
    if let Some(h) = &prog.household {
        let kinds: Vec<String> = h
            .transfer_kinds
            .iter()
            .map(|k| p.kind_name(k).zh_cn)
            .collect();
        let kinds_en: Vec<String> = h.transfer_kinds.iter().map(|k| p.kind_name(k).en).collect();
        redemption.push(t(
            format!("{}可转给家庭成员（最多{}人），每次至少{}分，每月最多转出{}分；转让不改变到期日。", kinds.join("、"), h.max_members, points(h.min_transfer), points(h.max_transfer_per_month)),
            format!("{} can be given to household members (up to {}): at least {} at a time, at most {} a month; the expiry date stays the same.", kinds_en.join(", "), h.max_members, points(h.min_transfer), points(h.max_transfer_per_month)),
        ));
    }

    Disclosure {
        title: prog.name.clone(),
        sections: vec![
            Section {
                id: "acquisition",
                title: t("积分获取条件".into(), "How you earn points".into()),
                items: acquisition,
            },
            Section {
                id: "accumulation",
                title: t("积分累积规则".into(), "How points add up".into()),
                items: accumulation,
            },
            Section {
                id: "validity",
                title: t("积分有效期".into(), "How long points last".into()),
                items: validity,
            },
            Section {
                id: "redemption",
                title: t("积分兑换方式".into(), "How to use points".into()),
                items: redemption,
            },
        ],
    }
}
