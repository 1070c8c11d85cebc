//! A member's tier window in the simulator: the orders and eligible spend of the last
//! `tier_window_days`, kept as one entry per day with orders and running sums, so that the
//! tier test on every order reads two numbers instead of walking the window.

use super::day::slot;
use crate::calendar::Day;
use crate::num::add_to;
use crate::tiers::TierStats;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::collections::VecDeque;

#[derive(Debug, Default, Clone)]
pub(super) struct TierWindow {
    /// In day order. A heavy buyer's window is as long as the window's days, not its orders.
    days: VecDeque<WindowDay>,
    spend: Decimal,
    orders: u32,
    /// The tier this window gave on the member's last order, as its [`slot`] in a day's
    /// tables (0: none, else the tier's index + 1). Kept here, where it fills the 4 bytes the
    /// fields above leave unused, rather than beside the window, where an `Option<usize>`
    /// took 16.
    tier: u32,
}

impl TierWindow {
    /// The tier stats of the window that starts after `start`: orders on or before it leave
    /// (they are the first entries). The sums are running ones: decimal addition and
    /// subtraction are exact, so they equal the sums of the entries. Always inlined (see
    /// `Days::get`).
    #[inline(always)]
    pub fn from(&mut self, start: Day) -> TierStats {
        let start = WindowDay::number(start);
        while let Some(first) = self.days.front().filter(|w| w.day() <= start) {
            self.spend -= first.spend;
            self.orders = self.orders.saturating_sub(first.orders());
            self.days.pop_front();
        }
        TierStats {
            spend: self.spend,
            orders: self.orders,
        }
    }

    /// The tier the window gave on the member's last order.
    pub fn tier(&self) -> Option<usize> {
        (self.tier as usize).checked_sub(1)
    }

    /// Keeps the tier the window gives on this order (a programme has fewer than 4 billion
    /// tiers: each is an object in its JSON).
    pub fn set_tier(&mut self, tier: Option<usize>) {
        self.tier = u32::try_from(slot(tier)).unwrap_or(u32::MAX);
    }

    /// Counts an order of `day` (the member's latest day so far).
    pub fn add(&mut self, day: Day, eligible: Decimal) {
        let day = WindowDay::number(day);
        match self.days.back_mut() {
            Some(last) if last.day() == day && last.orders() < WindowDay::MAX_ORDERS => {
                last.packed += 1;
                add_to(&mut last.spend, eligible);
            }
            _ => self.days.push_back(WindowDay {
                packed: day << WindowDay::COUNT_BITS,
                spend: eligible,
            }),
        }
        add_to(&mut self.spend, eligible);
        self.orders = self.orders.saturating_add(1);
    }
}

/// Orders of one day and their eligible spend. The day's number and the count share one
/// `u32` (a day with more orders than fit takes another entry), so an entry is 20 bytes: with
/// a separate count (24 bytes) a million-order run peaked at 259 MB instead of 214 MB.
#[derive(Debug, Clone)]
struct WindowDay {
    /// The day's number above [`Self::COUNT_BITS`], the count less one below.
    packed: u32,
    spend: Decimal,
}

impl WindowDay {
    const COUNT_BITS: u32 = 10;
    const MAX_ORDERS: u32 = 1 << Self::COUNT_BITS;

    /// A day's number, in day order: days since 1 January of year 0, which the 22 bits left
    /// hold up to year 11,000 (instants are RFC 3339, so years 0 to 9999, plus an offset).
    fn number(day: Day) -> u32 {
        let n = i64::from(day.num_days_from_ce()) + 366;
        n.clamp(0, i64::from(u32::MAX >> Self::COUNT_BITS)) as u32
    }

    fn day(&self) -> u32 {
        self.packed >> Self::COUNT_BITS
    }

    fn orders(&self) -> u32 {
        (self.packed & (Self::MAX_ORDERS - 1)) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> Day {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_day_with_more_orders_than_an_entry_holds_counts_every_order_and_leaves_whole() {
        let mut w = TierWindow::default();
        w.add(day(2026, 1, 4), Decimal::new(5, 0));
        for _ in 0..2500 {
            w.add(day(2026, 1, 5), Decimal::ONE);
        }
        w.add(day(2026, 1, 6), Decimal::new(7, 0));
        assert_eq!(w.days.len(), 5); // 2,500 orders on the 5th take three entries
        let all = w.from(day(2026, 1, 3));
        assert_eq!((all.orders, all.spend), (2502, Decimal::new(2512, 0)));
        let after_4th = w.from(day(2026, 1, 4));
        assert_eq!(
            (after_4th.orders, after_4th.spend),
            (2501, Decimal::new(2507, 0))
        );
        let after_5th = w.from(day(2026, 1, 5));
        assert_eq!((after_5th.orders, after_5th.spend), (1, Decimal::new(7, 0)));
    }

    #[test]
    fn the_tier_kept_in_the_window_reads_back_as_set() {
        let mut w = TierWindow::default();
        assert_eq!(w.tier(), None);
        for tier in [Some(0), Some(1), Some(7), None, Some(2)] {
            w.set_tier(tier);
            assert_eq!(w.tier(), tier);
        }
    }

    #[test]
    fn day_numbers_keep_day_order_across_rfc_3339_years() {
        let days = [
            day(-1, 12, 31),
            day(0, 1, 1),
            day(1970, 1, 1),
            day(2026, 2, 28),
            day(2026, 3, 1),
            day(9999, 12, 31),
            day(10000, 1, 1),
        ];
        let numbers: Vec<u32> = days.iter().map(|&d| WindowDay::number(d)).collect();
        assert!(numbers.windows(2).all(|n| n[0] < n[1]), "{numbers:?}");
        assert!(numbers
            .iter()
            .all(|&n| n < 1 << (32 - WindowDay::COUNT_BITS)));
    }
}
