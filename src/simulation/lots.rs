//! The simulator's wallets: compact lots, spent by the wallet's own rule ([`Spend`]).
//!
//! A cohort holds a wallet per member and scenario for the whole run, so a lot here is 24
//! bytes with no heap: its kind is a number, and it has no host ids. A checkout's
//! [`Lot`](crate::wallet::Lot) is over 100 bytes and allocates its kind's name; with those the
//! simulator's memory was mostly wallets, and freeing them took a seventh of a run.

use crate::calendar::Day;
use crate::error::Errors;
use crate::program::{Loaded, STANDARD};
use crate::wallet::{self, Spend};

/// Points of one kind (numbered by [`Kinds`]) with one earned, available and expiry day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SimLot {
    pub kind: u16,
    pub points: i64,
    pub earned: Day,
    pub available: Day,
    pub expires: Option<Day>,
}

impl Spend for SimLot {
    /// Whether each kind number may pay.
    type Kinds = [bool];
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
        self.available
    }
    fn expires(&self) -> Option<Day> {
        self.expires
    }
    fn accepted_by(&self, kinds: &[bool]) -> bool {
        kinds.get(usize::from(self.kind)).copied().unwrap_or(false)
    }
}

/// The point kinds of one scenario's programme, numbered: `standard`, then the declared ones.
pub(super) struct Kinds(Vec<String>);

/// The number of `standard` in every [`Kinds`].
pub(super) const STANDARD_NUMBER: u16 = 0;

impl Kinds {
    pub fn of(p: &Loaded) -> Kinds {
        let declared = p.program.point_kinds.iter().map(|k| k.id.clone());
        let mut names = vec![STANDARD.to_string()];
        names.extend(declared.filter(|k| k != STANDARD));
        Kinds(names)
    }

    /// The number of a kind; `None` for a kind the programme does not have.
    pub fn number(&self, kind: &str) -> Option<u16> {
        let i = self.0.iter().position(|k| k == kind)?;
        u16::try_from(i).ok()
    }

    /// Which kind numbers a list of kind names accepts, by the wallet's rule.
    pub fn accepted(&self, names: &[String]) -> Vec<bool> {
        self.0.iter().map(|k| wallet::accepts(names, k)).collect()
    }
}

/// A member's lots in one scenario, with the first days on which expiry and merging can
/// change them. Every order used to scan the lots for lapsed ones and compare each pair for
/// merging; between those days neither finds anything, so neither looks.
#[derive(Debug, Default, Clone)]
pub(super) struct SimWallet {
    lots: Vec<SimLot>,
    /// The lots' points, spendable or not, kept as they change: most orders cannot afford
    /// the reward even with all of them, and summing the lots on every order to tell was a
    /// loop whose end the CPU mispredicted (a tenth of a run's mispredictions).
    total: i64,
    /// No lot's expiry day is before this one (`None`: no lot expires). A lower bound:
    /// spending may have taken the lot that set it.
    expires_from: Option<Day>,
    /// No waiting lot becomes usable before this day (`None`: none is waiting), so there is
    /// nothing new to merge before it.
    usable_from: Option<Day>,
    /// No two lots usable by this day share a kind and an expiry day (`None`: no day yet), so
    /// only a lot that became usable since can merge with another.
    merged_through: Option<Day>,
}

/// The earlier of two optional days, `None` being never.
fn earlier(a: Option<Day>, b: Option<Day>) -> Option<Day> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl SimWallet {
    /// Adds points earned on `day`: to the last lot when it is of the same kind and day (the
    /// same days, then), else as a new lot.
    pub fn add(&mut self, lot: SimLot) {
        self.total += lot.points;
        match self.lots.last_mut() {
            Some(l) if l.earned == lot.earned && l.kind == lot.kind => l.points += lot.points,
            _ => {
                self.expires_from = earlier(self.expires_from, lot.expires);
                self.usable_from = earlier(self.usable_from, Some(lot.available));
                if self.merged_through.is_some_and(|m| lot.available <= m) {
                    // Usable at once (no pending days): not merged yet.
                    self.merged_through = lot.available.pred_opt();
                }
                self.lots.push(lot);
            }
        }
    }

    /// The lots, in the order spending breaks ties by.
    pub fn lots(&self) -> &[SimLot] {
        &self.lots
    }

    /// Every lot's points, spendable or not.
    pub fn total(&self) -> i64 {
        self.total
    }

    /// Spends `points` by the wallet's rule ([`wallet::spend`]).
    pub fn spend(
        &mut self,
        day: Day,
        kinds: &[bool],
        points: i64,
        path: &str,
    ) -> Result<(), Errors> {
        wallet::spend(&mut self.lots, day, kinds, points, path, |_, _| {})?;
        self.total -= points;
        Ok(())
    }

    /// Moves lots whose last day is before `day` out of the wallet; `lapsed` is told each one's
    /// points and the day they lapsed (the day after their expiry day), for the series.
    pub fn expire(&mut self, day: Day, lapsed: impl FnMut(Day, i64)) {
        if self.expires_from.is_some_and(|e| e < day) {
            self.expire_all(day, lapsed);
        }
    }

    /// [`expire`](Self::expire) without asking whether anything can have lapsed.
    fn expire_all(&mut self, day: Day, mut lapsed: impl FnMut(Day, i64)) {
        self.lots.retain(|l| {
            let Some(e) = l.expires.filter(|_| l.lapsed_by(day)) else {
                return true;
            };
            self.total -= l.points;
            lapsed(e.succ_opt().unwrap_or(e), l.points);
            false
        });
        self.expires_from = self.lots.iter().filter_map(|l| l.expires).min();
    }

    /// Merges usable lots of one kind and one expiry day. Spending draws by expiry day, so
    /// merged lots spend exactly as the separate ones would; merging keeps a member's wallet
    /// as small as the number of distinct expiry days, however many orders they place.
    pub fn coalesce(&mut self, day: Day) {
        if self.usable_from.is_some_and(|u| u <= day) {
            self.coalesce_all(day);
        }
    }

    /// [`coalesce`](Self::coalesce) without asking whether any lot has become usable.
    ///
    /// Nearly always one lot has become usable since the last merge, and it can merge with
    /// at most one other (the others are merged already). Then merging every pair — a loop
    /// per lot, whose ends the CPU mispredicts, a fourth of a run's mispredictions — comes
    /// down to finding that other lot: the later of the two moves into the earlier, and the
    /// last lot takes its place, as [`merge_all`] would do.
    fn coalesce_all(&mut self, day: Day) {
        let since = self.merged_through;
        let (mut fresh, mut count, mut waiting) = (0, 0, None);
        for (i, l) in self.lots.iter().enumerate() {
            if l.available > day {
                waiting = earlier(waiting, Some(l.available));
            } else if since.is_none_or(|s| l.available > s) {
                fresh = i;
                count += 1;
            }
        }
        let lots = &mut self.lots;
        if count == 1 {
            let key = lots[fresh].key();
            let other = (0..lots.len())
                .find(|&i| i != fresh && lots[i].available <= day && lots[i].key() == key);
            if let Some(other) = other {
                let (keep, gone) = (fresh.min(other), fresh.max(other));
                lots[keep].points += lots[gone].points;
                lots.swap_remove(gone);
            }
        } else if count > 1 {
            merge_all(lots, day);
        }
        self.merged_through = Some(day);
        self.usable_from = waiting;
    }
}

impl SimLot {
    /// What two usable lots must share to merge: the expiry day and the kind.
    fn key(&self) -> (Option<Day>, u16) {
        (self.expires, self.kind)
    }
}

/// Merges every pair of usable lots of one key: each into the first of its key; the last lot
/// fills the place of one merged away. The order of the lots left is part of the result, as
/// spending breaks ties by it.
fn merge_all(lots: &mut Vec<SimLot>, day: Day) {
    let mut i = 0;
    while i < lots.len() {
        if lots[i].available <= day {
            let mut j = i + 1;
            while j < lots.len() {
                if lots[j].available <= day && lots[j].key() == lots[i].key() {
                    lots[i].points += lots[j].points;
                    lots.swap_remove(j);
                } else {
                    j += 1;
                }
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::{expired, Period};
    use crate::wallet::{take, Lot};
    use chrono::NaiveDate;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    const KINDS: [&str; 2] = ["standard", "green"];

    fn day(n: i64) -> Day {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n as u64)
    }

    proptest! {
        /// A wallet that expires and merges lots only from the days it keeps, and merges only
        /// the lots that became usable since, ends every step with the same lots in the same
        /// order, and the same points expired, as one that compares every pair of lots on
        /// every order; and the total it keeps is the sum of its lots.
        #[test]
        fn looking_only_from_the_kept_days_changes_nothing(
            steps in prop::collection::vec((0i64..20, 0u16..2, 1i64..300, 0i64..10, prop::option::of(0i64..60), 0i64..400), 1..40),
        ) {
            let (mut kept, mut every) = (SimWallet::default(), SimWallet::default());
            let (mut kept_series, mut every_series) = (BTreeMap::new(), BTreeMap::new());
            let accepted = [true, false];
            let mut today = 0;
            for (gap, kind, points, wait, expires_in, spend) in steps {
                today += gap;
                kept.expire(day(today), |d, n| expired(&mut kept_series, Period::Week, d, n));
                kept.coalesce(day(today));
                every.expire_all(day(today), |d, n| expired(&mut every_series, Period::Week, d, n));
                merge_all(&mut every.lots, day(today));
                for w in [&mut kept, &mut every] {
                    w.add(SimLot { kind, points, earned: day(today), available: day(today + wait), expires: expires_in.map(|x| day(today + x)) });
                    let _ = w.spend(day(today), accepted.as_slice(), spend, "");
                }
                prop_assert_eq!(&kept.lots, &every.lots);
                prop_assert_eq!(kept.total(), wallet::total(&kept.lots));
                prop_assert_eq!(&kept_series, &every_series);
            }
        }

        /// The simulator's compact lots and the wallet's lots, spent by the one rule, give the
        /// same lots drawn and the same wallet left.
        #[test]
        fn compact_lots_spend_exactly_like_wallet_lots(
            lots in prop::collection::vec((0u16..2, 0i64..500, 0i64..60, 0i64..10, prop::option::of(60i64..400)), 0..12),
            today in 0i64..120,
            accepted in prop::sample::select(vec![vec![], vec!["green".to_string()], vec!["standard".to_string()]]),
            points in 0i64..2000,
        ) {
            let mut compact: Vec<SimLot> = lots.iter().map(|&(k, p, e, wait, x)| SimLot {
                kind: k, points: p, earned: day(e), available: day(e + wait), expires: x.map(day),
            }).collect();
            let mut full: Vec<Lot> = lots.iter().map(|&(k, p, e, wait, x)| Lot {
                id: None, kind: KINDS[usize::from(k)].to_string(), points: p, earned: day(e),
                available: Some(day(e + wait)), expires: x.map(day), source: None,
            }).collect();
            let kinds = Kinds(KINDS.iter().map(|k| k.to_string()).collect()).accepted(&accepted);
            let a = take(&mut compact, day(today), kinds.as_slice(), points, "");
            let b = take(&mut full, day(today), accepted.as_slice(), points, "");
            let view = |l: &Lot| (KINDS.iter().position(|k| *k == l.kind).unwrap() as u16, l.points, l.earned, l.expires);
            let cview = |l: &SimLot| (l.kind, l.points, l.earned, l.expires);
            match (a, b) {
                (Ok(da), Ok(db)) => {
                    prop_assert_eq!(da.iter().map(cview).collect::<Vec<_>>(), db.iter().map(view).collect::<Vec<_>>());
                    prop_assert_eq!(compact.iter().map(cview).collect::<Vec<_>>(), full.iter().map(view).collect::<Vec<_>>());
                }
                (Err(ea), Err(eb)) => prop_assert_eq!(ea, eb),
                (a, b) => prop_assert!(false, "compact {a:?}, wallet {b:?}"),
            }
        }
    }
}
