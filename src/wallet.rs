//! The wallet: a list of point lots, and the one rule for spending them.
//!
//! A lot is points of one kind earned on one day, spendable from its available day through
//! its expiry day (inclusive). Spending always draws the soonest-expiring usable lots first,
//! so the member loses as little as possible to expiry; transfers and redemptions both go
//! through [`draw`], which conserves points exactly.

use crate::calendar::{day_serde, Day};
use crate::error::{fail, Error, Errors};
use crate::expiry::expiry_day;
use crate::num::MAX_POINTS;
use crate::program::Loaded;
use serde::{Deserialize, Serialize};

/// Points of one kind with one earned, available and expiry day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Lot {
    /// The host's id for the lot (ledger entry); carried through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub kind: String,
    pub points: i64,
    #[serde(with = "day_serde")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub earned: Day,
    /// First day the points can be spent; the earned day when absent.
    #[serde(
        with = "day_serde::opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub available: Option<Day>,
    /// Last day the points can be spent; computed from the expiry policy when absent.
    #[serde(
        with = "day_serde::opt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub expires: Option<Day>,
    /// The order (or transfer, or redemption) the lot came from, if the host tracks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Lot {
    pub fn available_day(&self) -> Day {
        self.available.unwrap_or(self.earned)
    }

    pub fn pending_on(&self, day: Day) -> bool {
        self.points > 0 && self.available_day() > day && !self.lapsed_by(day)
    }
}

/// What the spending rule reads and changes in a lot. [`Lot`] is the wallet's lot; the
/// simulator keeps a compact lot of its own (the kind as a number, no host ids: a fifth of the
/// memory, no allocation per lot) and spends it by this same rule.
pub trait Spend: Clone {
    /// The kinds a spend accepts: names for [`Lot`] (every kind when empty).
    type Kinds: ?Sized;
    fn points(&self) -> i64;
    fn points_mut(&mut self) -> &mut i64;
    fn earned(&self) -> Day;
    /// First day the points can be spent.
    fn available_day(&self) -> Day;
    /// Last day the points can be spent; `None` never expires.
    fn expires(&self) -> Option<Day>;
    fn accepted_by(&self, kinds: &Self::Kinds) -> bool;

    /// Whether the points have lapsed by `day`: their last day is before it. The one place
    /// this rule lives; expiry, returns, the simulator and the server's expiry run ask here.
    fn lapsed_by(&self, day: Day) -> bool {
        self.expires().is_some_and(|e| e < day)
    }

    /// Whether the lot can be spent on `day`.
    fn usable_on(&self, day: Day) -> bool {
        self.points() > 0 && self.available_day() <= day && !self.lapsed_by(day)
    }
}

impl Spend for Lot {
    type Kinds = [String];
    fn points(&self) -> i64 {
        self.points
    }
    fn points_mut(&mut self) -> &mut i64 {
        &mut self.points
    }
    fn earned(&self) -> Day {
        self.earned
    }
    fn available_day(&self) -> Day {
        Lot::available_day(self)
    }
    fn expires(&self) -> Option<Day> {
        self.expires
    }
    fn accepted_by(&self, kinds: &[String]) -> bool {
        accepts(kinds, &self.kind)
    }
}

/// Most lots a wallet may hold in one request.
pub const MAX_LOTS: usize = 100_000;

/// Checks lots and fills in the expiry day from the programme's policy where it is absent.
pub fn normalize(p: &Loaded, lots: &[Lot], path: &str) -> Result<Vec<Lot>, Errors> {
    if lots.len() > MAX_LOTS {
        return fail(
            "too_many_lots",
            path,
            format!("a wallet may hold at most {MAX_LOTS} lots"),
        );
    }
    let mut errors: Vec<Error> = Vec::new();
    let mut out = Vec::with_capacity(lots.len());
    let mut total: i64 = 0;
    for (i, lot) in lots.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if !p.kind_exists(&lot.kind) {
            errors.push(Error::new(
                "unknown_point_kind",
                format!("{at}.kind"),
                format!(
                    "point kind `{}` is not in the programme",
                    lot.kind.chars().take(40).collect::<String>()
                ),
            ));
        }
        if lot.points < 0 || lot.points > MAX_POINTS {
            errors.push(Error::new(
                "invalid_points",
                format!("{at}.points"),
                "points must be 0 to 10^13",
            ));
        }
        total = total.saturating_add(lot.points.max(0));
        if lot.available.is_some_and(|a| a < lot.earned) {
            errors.push(Error::new(
                "invalid_day",
                format!("{at}.available"),
                "available day is before the earned day",
            ));
        }
        let mut lot = lot.clone();
        if lot.expires.is_none() {
            match expiry_day(p, lot.earned, &format!("{at}.earned")) {
                Ok(e) => lot.expires = e,
                Err(e) => errors.extend(e),
            }
        }
        out.push(lot);
    }
    if total > MAX_POINTS {
        errors.push(Error::new(
            "invalid_points",
            path,
            "a wallet may hold at most 10^13 points",
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Points usable on `day` among the given kinds (every kind when `kinds` is empty).
pub fn usable<L: Spend>(lots: &[L], day: Day, kinds: &L::Kinds) -> i64 {
    lots.iter()
        .filter(|l| l.usable_on(day) && l.accepted_by(kinds))
        .map(|l| l.points())
        .sum()
}

pub fn accepts(kinds: &[String], kind: &str) -> bool {
    kinds.is_empty() || kinds.iter().any(|k| k == kind)
}

/// Takes `points` from the usable lots of `kinds`, soonest expiry first (never-expiring last;
/// ties: earlier earned, then wallet order). Returns the lots drawn (with their days kept) and
/// the remaining wallet. Fails without touching anything when the balance is short.
pub fn draw(
    lots: &[Lot],
    day: Day,
    kinds: &[String],
    points: i64,
    path: &str,
) -> Result<(Vec<Lot>, Vec<Lot>), Errors> {
    let mut remaining = lots.to_vec();
    let drawn = take(&mut remaining, day, kinds, points, path)?;
    Ok((drawn, remaining))
}

/// [`draw`] on a wallet kept in place: the lots drawn are returned and the wallet keeps the
/// rest. Unchanged when the balance is short.
pub fn take<L: Spend>(
    lots: &mut Vec<L>,
    day: Day,
    kinds: &L::Kinds,
    points: i64,
    path: &str,
) -> Result<Vec<L>, Errors> {
    let mut drawn = Vec::new();
    spend(lots, day, kinds, points, path, |lot, taken| {
        let mut part = lot.clone();
        *part.points_mut() = taken;
        drawn.push(part);
    })?;
    Ok(drawn)
}

/// [`take`] for a caller that needs only the wallet left (the simulator, which redeems as it
/// goes): `drawn` sees each lot drawn from, before the draw, and the points taken from it.
/// A wallet of up to 32 lots is ordered on the stack, so a redemption allocates nothing.
pub fn spend<L: Spend>(
    lots: &mut Vec<L>,
    day: Day,
    kinds: &L::Kinds,
    points: i64,
    path: &str,
    mut drawn: impl FnMut(&L, i64),
) -> Result<(), Errors> {
    let have = usable(lots, day, kinds);
    if points > have {
        return fail(
            "insufficient_points",
            path,
            format!("needs {points} points but only {have} are usable"),
        );
    }
    let spendable = |i: &usize| lots[*i].usable_on(day) && lots[*i].accepted_by(kinds);
    let (mut stack, mut heap) = ([0usize; 32], Vec::new());
    let order: &mut [usize] = if lots.len() <= stack.len() {
        let mut n = 0;
        for i in (0..lots.len()).filter(spendable) {
            stack[n] = i;
            n += 1;
        }
        &mut stack[..n]
    } else {
        heap.extend((0..lots.len()).filter(spendable));
        &mut heap
    };
    let key = |i: usize| {
        (
            lots[i].expires().is_none(),
            lots[i].expires(),
            lots[i].earned(),
            i,
        )
    };
    crate::sort::indices(order, &|a, b| key(a).cmp(&key(b)));
    let mut need = points;
    for &i in order.iter() {
        if need == 0 {
            break;
        }
        let taken = need.min(lots[i].points());
        drawn(&lots[i], taken);
        *lots[i].points_mut() -= taken;
        need -= taken;
    }
    lots.retain(|l| l.points() > 0);
    Ok(())
}

/// Sum of every lot's points, spent or not.
pub fn total<L: Spend>(lots: &[L]) -> i64 {
    lots.iter().map(|l| l.points()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> Day {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn lot(kind: &str, points: i64, earned: &str, expires: &str) -> Lot {
        Lot {
            id: None,
            kind: kind.into(),
            points,
            earned: day(earned),
            available: None,
            expires: Some(day(expires)),
            source: None,
        }
    }

    proptest::proptest! {
        /// Spending in wallets small enough to order on the stack and larger ones draws what
        /// a plain sort of the spendable lots by (never expires, expiry, earned, place) draws,
        /// and leaves the same wallet.
        #[test]
        fn spending_draws_in_the_order_of_a_plain_sort(
            lots in proptest::collection::vec((0usize..2, 0i64..50, 0u64..20, proptest::option::of(0u64..30), 0u64..6), 0..48),
            points in 0i64..400,
        ) {
            let start = day("2026-01-01");
            let at = |n: u64| start + chrono::Days::new(n);
            let mut wallet: Vec<Lot> = lots.iter().map(|&(k, p, e, x, wait)| Lot {
                id: None, kind: ["standard", "green"][k].into(), points: p, earned: at(e),
                available: Some(at(e + wait)), expires: x.map(|x| at(e + x)), source: None,
            }).collect();
            let (today, kinds) = (at(12), vec!["standard".to_string()]);
            let mut plain = wallet.clone();
            let mut order: Vec<usize> = (0..plain.len())
                .filter(|&i| plain[i].usable_on(today) && plain[i].accepted_by(&kinds))
                .collect();
            order.sort_by_key(|&i| (plain[i].expires.is_none(), plain[i].expires, plain[i].earned, i));
            let mut want = Vec::new();
            let mut need = points;
            for i in order {
                let taken = need.min(plain[i].points);
                if need > 0 {
                    let l = &plain[i];
                    want.push((l.kind.clone(), l.points, l.earned, l.expires, taken));
                }
                plain[i].points -= taken;
                need -= taken;
            }
            plain.retain(|l| l.points > 0);
            let mut got = Vec::new();
            let before = wallet.clone();
            let result = spend(&mut wallet, today, &kinds, points, "", |l, taken| {
                got.push((l.kind.clone(), l.points, l.earned, l.expires, taken));
            });
            if need > 0 {
                proptest::prop_assert!(result.is_err());
                proptest::prop_assert_eq!(&wallet, &before);
            } else {
                proptest::prop_assert!(result.is_ok());
                proptest::prop_assert_eq!(&wallet, &plain);
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn spending_draws_the_soonest_expiring_lots_first() {
        let lots = vec![
            lot("standard", 500, "2026-01-10", "2028-01-31"),
            lot("standard", 300, "2025-06-01", "2027-06-30"),
        ];
        let (drawn, rest) = draw(&lots, day("2026-04-01"), &[], 400, "").unwrap();
        assert_eq!(drawn[0].points, 300);
        assert_eq!(drawn[0].expires, Some(day("2027-06-30")));
        assert_eq!(drawn[1].points, 100);
        assert_eq!(total(&rest), 400);
    }

    #[test]
    fn pending_and_expired_lots_cannot_be_spent() {
        let mut pending = lot("standard", 100, "2026-04-01", "2028-04-30");
        pending.available = Some(day("2026-04-08"));
        let expired = lot("standard", 100, "2024-01-01", "2026-01-31");
        let lots = vec![pending, expired];
        assert_eq!(usable(&lots, day("2026-04-02"), &[]), 0);
        assert_eq!(usable(&lots, day("2026-04-08"), &[]), 100);
        assert_eq!(
            draw(&lots, day("2026-04-02"), &[], 1, "points").unwrap_err()[0].code,
            "insufficient_points"
        );
    }

    #[test]
    fn only_accepted_kinds_are_drawn() {
        let lots = vec![
            lot("green", 100, "2026-01-01", "2027-01-01"),
            lot("standard", 100, "2026-01-01", "2026-06-01"),
        ];
        let (drawn, _) = draw(&lots, day("2026-02-01"), &["green".to_string()], 100, "").unwrap();
        assert_eq!(drawn[0].kind, "green");
    }
}
