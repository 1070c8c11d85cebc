//! Synthetic cohorts: orders generated from a seed, for demos and benchmarks. Each order is
//! worked out from its index alone, so a feed can start anywhere, and the same seed gives the
//! same cohort on every platform.

use super::CohortOrder;
use crate::calendar::Instant;
use crate::error::{Error, Errors};
use crate::simulation::Simulator;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `m` and the member's number, written without the formatting machinery (the generator's
/// hottest line otherwise) into `id`, whose room is reused.
fn write_member_id(n: u64, id: &mut String) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    id.clear();
    id.push('m');
    id.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// A deterministic synthetic cohort: `members` members placing `orders_per_member` orders each
/// over `days` days from `start`, with amounts and categories drawn from a seeded generator.
/// Orders come out in time order (all members' first orders, then their second, …), which is
/// what the simulator needs, without holding the cohort in memory.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Synthetic {
    pub members: u32,
    pub orders_per_member: u32,
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub start: Instant,
    pub days: u32,
    pub seed: u64,
    /// Categories to draw from (the demo shop's when empty).
    #[serde(default)]
    pub categories: Vec<String>,
}

const DEFAULT_CATEGORIES: &[&str] = &[
    "bedding",
    "curtains",
    "pillows",
    "kitchen",
    "energy-saving",
    "public-transport",
    "gift-card",
];

/// xorshift64*: small, fast and the same on every platform.
fn next(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

impl Synthetic {
    pub fn check(&self) -> Result<(), Errors> {
        let mut e = Vec::new();
        if self.members == 0 || self.members > 10_000_000 {
            e.push(Error::new(
                "invalid_cohort",
                "members",
                "members must be 1 to 10,000,000",
            ));
        }
        if self.orders_per_member == 0 || self.orders_per_member > 10_000 {
            e.push(Error::new(
                "invalid_cohort",
                "orders_per_member",
                "orders_per_member must be 1 to 10,000",
            ));
        }
        if self.days == 0 || self.days > 3650 {
            e.push(Error::new(
                "invalid_cohort",
                "days",
                "days must be 1 to 3650",
            ));
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }

    /// Total orders the cohort will produce.
    pub fn len(&self) -> u64 {
        u64::from(self.members) * u64::from(self.orders_per_member)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The orders, in time order.
    pub fn orders(&self) -> impl Iterator<Item = CohortOrder> + '_ {
        self.orders_from(0)
    }

    /// The orders from the `from`-th on, each its own value (feeds use
    /// [`each_from`](Synthetic::each_from), which allocates nothing per order). Each order is
    /// computed from its index alone, so a chunked feed starts where it left off instead of
    /// generating and dropping every earlier order, as `orders().skip(from)` would.
    pub fn orders_from(&self, from: u64) -> impl Iterator<Item = CohortOrder> + '_ {
        let mut generator = Generator::of(self);
        (from.min(self.len())..self.len()).map(move |i| {
            let mut order = blank_order();
            generator.fill(i, &mut order);
            order
        })
    }

    /// Calls `f` with orders `from..from + count` (fewer at the cohort's end), their indexes,
    /// and the order after each (for [`Simulator::prefetch`](crate::simulation::Simulator::prefetch)), in
    /// time order, as [`orders_from`](Synthetic::orders_from) gives them. Two orders are
    /// rewritten in place, in turn: a million orders cost no allocation each.
    pub fn each_from<E>(
        &self,
        from: u64,
        count: u64,
        f: impl FnMut(u64, &CohortOrder, Option<&CohortOrder>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.each_in_part(from, count, (0, 1), f)
    }

    /// How many members part `index` of `of` holds in [`each_in_part`](Synthetic::each_in_part)
    /// (the whole cohort when `of` is 0 or 1), for a simulator to make room for them at once.
    pub fn members_in_part(&self, (index, of): (u64, u64)) -> u64 {
        let members = u64::from(self.members);
        match of {
            0 | 1 => members,
            _ if index >= members => 0,
            _ => (members - index - 1) / of + 1,
        }
    }

    /// Pushes orders `from..from + count` of part `part` (see
    /// [`each_in_part`](Synthetic::each_in_part)) into `sim`, as every host feeds a synthetic
    /// cohort: room for the part's members is made with the cohort's first orders, and each
    /// order's member starts loading while the order before it is pushed. Returns how many
    /// orders were pushed; an error is named by `path` of the order's index in the cohort.
    pub fn push_into(
        &self,
        sim: &mut Simulator,
        from: u64,
        count: u64,
        part: (u64, u64),
        path: impl Fn(u64) -> String,
    ) -> Result<u64, Errors> {
        if from == 0 {
            sim.expect_members(self.members_in_part(part) as usize);
        }
        let mut pushed = 0;
        self.each_in_part(from, count, part, |i, order, next| -> Result<(), Errors> {
            sim.prefetch(next);
            sim.push(order, "")
                .map_err(|e| crate::error::under(e, &path(i)))?;
            pushed += 1;
            Ok(())
        })?;
        Ok(pushed)
    }

    /// [`each_from`](Synthetic::each_from) for the members of part `index` of `of` only: the
    /// members numbered `index`, `index + of`, … (`m0` is number 0). The other members'
    /// orders are stepped over without being written, so threads or workers that each take a
    /// part do not all generate the whole cohort. A split by member merges into the whole
    /// run's result, whichever split it is (CSV cohorts split by id, with `part_of`). `f`'s
    /// next order is the part's next.
    pub fn each_in_part<E>(
        &self,
        from: u64,
        count: u64,
        (index, of): (u64, u64),
        mut f: impl FnMut(u64, &CohortOrder, Option<&CohortOrder>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut generator = Generator::of(self);
        let from = from.min(self.len());
        let end = from.saturating_add(count).min(self.len());
        let mine = |at: &Position| of <= 1 || at.member % of == index;
        // The part's first order at or after order `i`, at `at`.
        let seek = |generator: &Generator, mut i: u64, mut at: Position| {
            while i < end {
                if mine(&at) {
                    return Some((i, at));
                }
                i += 1;
                at = generator.after(at);
            }
            None
        };
        let (mut order, mut next) = (blank_order(), blank_order());
        let mut ahead = seek(&generator, from, generator.position(from));
        if let Some((_, at)) = ahead {
            generator.fill_at(at, &mut next);
        }
        while let Some((i, at)) = ahead {
            std::mem::swap(&mut order, &mut next);
            ahead = seek(&generator, i + 1, generator.after(at));
            if let Some((_, at)) = ahead {
                generator.fill_at(at, &mut next);
            }
            f(i, &order, ahead.map(|_| &next))?;
        }
        Ok(())
    }
}

fn blank_order() -> CohortOrder {
    CohortOrder {
        member_id: String::new(),
        at: Instant(chrono::DateTime::UNIX_EPOCH.fixed_offset()),
        amount: Decimal::ZERO,
        category: String::new(),
    }
}

/// An order's place in a synthetic cohort (see [`Generator::position`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    round: u64,
    member: u64,
    seconds: i64,
    /// `member × slot mod members`.
    carry: u64,
}

/// What every order of a synthetic cohort shares, worked out once.
struct Generator<'a> {
    spec: &'a Synthetic,
    cats: Vec<&'a str>,
    members: u64,
    slot: i64,
    /// `slot / members` and `slot mod members`: how far one member is from the next.
    step: (i64, u64),
    /// The start's UTC second of its day and its fraction of a second.
    start_second: i64,
    start_nanos: u32,
    /// The UTC date of the last order made, by its day's number from the start's: an order's
    /// instant is the start plus some seconds, and consecutive orders mostly fall on one day,
    /// so its date is reused instead of being worked out from the calendar each time (chrono's
    /// date arithmetic was 3-4% of a run).
    last_date: (i64, NaiveDate),
}

impl<'a> Generator<'a> {
    fn of(spec: &'a Synthetic) -> Generator<'a> {
        let cats = if spec.categories.is_empty() {
            DEFAULT_CATEGORIES.to_vec()
        } else {
            spec.categories.iter().map(String::as_str).collect()
        };
        let per = i64::from(spec.orders_per_member.max(1));
        let utc = spec.start.0.naive_utc();
        let slot = i64::from(spec.days) * 86_400 / per;
        let members = u64::from(spec.members.max(1));
        Generator {
            spec,
            cats,
            members,
            slot,
            step: (slot / members as i64, (slot % members as i64) as u64),
            start_second: i64::from(utc.time().num_seconds_from_midnight()),
            start_nanos: utc.time().nanosecond(),
            last_date: (0, utc.date()),
        }
    }

    /// The start plus `seconds`: what `start + Duration::seconds(seconds)` gives, from the
    /// last order's date when it falls on the same UTC day.
    fn instant(&mut self, seconds: i64) -> Instant {
        let start = self.spec.start.0;
        let second = self.start_second + seconds;
        let (day, in_day) = (second.div_euclid(86_400), second.rem_euclid(86_400) as u32);
        let (last_day, last_date) = self.last_date;
        let date = if day == last_day {
            Some(last_date)
        } else {
            let date = last_date.checked_add_signed(chrono::Duration::days(day - last_day));
            if let Some(date) = date {
                self.last_date = (day, date);
            }
            date
        };
        // A leap second in the start (nanoseconds past a billion) takes the long way.
        match date.zip(NaiveTime::from_num_seconds_from_midnight_opt(
            in_day,
            self.start_nanos,
        )) {
            Some((date, time)) if self.start_nanos < 1_000_000_000 => {
                Instant(DateTime::from_naive_utc_and_offset(
                    NaiveDateTime::new(date, time),
                    *start.offset(),
                ))
            }
            _ => Instant(start + chrono::Duration::seconds(seconds)),
        }
    }

    /// Where order `i` falls: its round, its member, and its seconds after the start.
    fn position(&self, i: u64) -> Position {
        let (round, member) = (i / self.members, i % self.members);
        let spread = member as i64 * self.slot;
        Position {
            round,
            member,
            // Orders of one round fall in one time slot; members are spread inside it in order.
            seconds: round as i64 * self.slot + spread / self.members as i64,
            carry: (spread % self.members as i64) as u64,
        }
    }

    /// The position after `at`: what `position(i + 1)` gives, without its divisions (a
    /// feed walks the orders one by one).
    fn after(&self, at: Position) -> Position {
        if at.member + 1 == self.members {
            return Position {
                round: at.round + 1,
                member: 0,
                seconds: (at.round as i64 + 1) * self.slot,
                carry: 0,
            };
        }
        // seconds within the slot = ⌊member × slot / members⌋, kept with its remainder.
        let (whole, part) = self.step;
        let carry = at.carry + part;
        let over = carry >= self.members;
        Position {
            round: at.round,
            member: at.member + 1,
            seconds: at.seconds + whole + i64::from(over),
            carry: if over { carry - self.members } else { carry },
        }
    }

    /// Writes order `i` into `order`, reusing its strings' room.
    fn fill(&mut self, i: u64, order: &mut CohortOrder) {
        self.fill_at(self.position(i), order);
    }

    /// Writes the order at `at` into `order`.
    fn fill_at(&mut self, at: Position, order: &mut CohortOrder) {
        let Position {
            round,
            member,
            seconds,
            ..
        } = at;
        let mut s = self.spec.seed
            ^ (member.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            ^ (round << 32)
            ^ 0xD1B5_4A32_D192_ED03;
        next(&mut s);
        let r1 = next(&mut s);
        let r2 = next(&mut s);
        order.at = self.instant(seconds);
        // Amounts between ¥20 and about ¥1,200, skewed toward small baskets.
        let cents = 2_000 + (r1 % 30_000) * (1 + (r1 >> 40) % 4);
        order.amount = Decimal::new(cents as i64, 2);
        write_member_id(member, &mut order.member_id);
        order.category.clear();
        order
            .category
            .push_str(self.cats[(r2 % self.cats.len() as u64) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids_are_m_and_the_number() {
        let mut id = String::from("left over");
        for n in [0, 7, 10, 99, 12345, u64::MAX] {
            write_member_id(n, &mut id);
            assert_eq!(id, format!("m{n}"));
        }
    }

    /// An order's instant from the last order's date is the start plus its seconds, as chrono
    /// adds them, going forward, back, across days and years, from a start with a fraction
    /// of a second and a negative offset.
    #[test]
    fn instants_from_the_last_date_are_the_start_plus_seconds() {
        for start in ["2026-01-01T00:00:00+08:00", "2026-12-31T23:59:59.25-05:30"] {
            let spec: Synthetic = serde_json::from_value(serde_json::json!({
                "members": 3, "orders_per_member": 2, "start": start, "days": 400, "seed": 1
            }))
            .unwrap();
            let mut generator = Generator::of(&spec);
            for seconds in [
                0,
                1,
                86_399,
                86_400,
                5,
                90_000,
                400 * 86_400,
                31_536_000,
                3_600,
                0,
            ] {
                let want = spec.start.0 + chrono::Duration::seconds(seconds);
                assert_eq!(generator.instant(seconds).0, want, "{start} + {seconds}");
                assert_eq!(generator.instant(seconds).0.offset(), want.offset());
            }
        }
    }

    /// Walking the cohort one order at a time lands where the divisions do, across members,
    /// rounds and slots that members do and do not divide.
    #[test]
    fn the_next_position_is_the_position_of_the_next_order() {
        for (members, per, days) in [(7, 5, 90), (3, 4, 1), (100, 10, 365), (1, 3, 10)] {
            let spec: Synthetic = serde_json::from_value(serde_json::json!({
                "members": members, "orders_per_member": per, "start": "2026-01-01T00:00:00+08:00", "days": days, "seed": 1
            }))
            .unwrap();
            let generator = Generator::of(&spec);
            for i in 0..spec.len() {
                assert_eq!(
                    generator.after(generator.position(i)),
                    generator.position(i + 1),
                    "{members} {per} {days}: {i}"
                );
            }
        }
    }

    #[test]
    fn each_from_gives_the_orders_orders_from_gives() {
        let spec: Synthetic = serde_json::from_str(
            r#"{"members":7,"orders_per_member":5,"start":"2026-01-01T00:00:00+08:00","days":90,"seed":11,"categories":["a","bb"]}"#,
        )
        .unwrap();
        for (from, count) in [(0, 35), (3, 10), (30, 99), (40, 5)] {
            let want: Vec<_> = spec.orders_from(from).take(count as usize).collect();
            let mut got = Vec::new();
            spec.each_from(from, count, |_, o, _| {
                got.push(o.clone());
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(got, want, "from {from}, count {count}");
        }
    }

    /// 7 members with 5 orders each over 90 days.
    fn seven_members() -> Synthetic {
        serde_json::from_str(
            r#"{"members":7,"orders_per_member":5,"start":"2026-01-01T00:00:00+08:00","days":90,"seed":11}"#,
        )
        .unwrap()
    }

    /// Each part's orders are the whole cohort's orders of its members, with the same
    /// indexes, in the same order, each with the part's next order; the parts together are
    /// the cohort, and each holds the members `members_in_part` counts.
    #[test]
    fn parts_are_the_cohorts_orders_of_their_members() {
        let spec = seven_members();
        for (from, count) in [(0, 35), (3, 10), (30, 99)] {
            let whole: Vec<(u64, CohortOrder)> = (from..)
                .zip(spec.orders_from(from).take(count as usize))
                .collect();
            let mut all = Vec::new();
            for of in [1, 2, 3] {
                for index in 0..of {
                    let number = |o: &CohortOrder| o.member_id[1..].parse::<u64>().unwrap();
                    let want: Vec<_> = whole
                        .iter()
                        .filter(|(_, o)| number(o) % of == index)
                        .cloned()
                        .collect();
                    let mut got = Vec::new();
                    let mut nexts = Vec::new();
                    spec.each_in_part(from, count, (index, of), |i, o, next| {
                        got.push((i, o.clone()));
                        nexts.push(next.cloned());
                        Ok::<_, ()>(())
                    })
                    .unwrap();
                    assert_eq!(got, want, "part {index} of {of}, from {from}");
                    let want_next: Vec<_> = want
                        .iter()
                        .skip(1)
                        .map(|(_, o)| Some(o.clone()))
                        .chain([None])
                        .collect();
                    assert_eq!(
                        nexts,
                        want_next.into_iter().take(got.len()).collect::<Vec<_>>()
                    );
                    if from == 0 {
                        let members: std::collections::BTreeSet<_> =
                            got.iter().map(|(_, o)| o.member_id.clone()).collect();
                        assert_eq!(members.len() as u64, spec.members_in_part((index, of)));
                    }
                    if of == 3 {
                        all.extend(got);
                    }
                }
            }
            all.sort_by_key(|(i, _)| *i);
            assert_eq!(all, whole, "parts of 3, from {from}");
        }
    }

    #[test]
    fn orders_from_an_index_are_the_same_orders_as_skipping_to_it() {
        let spec = seven_members();
        let key = |o: CohortOrder| (o.member_id, o.at, o.amount, o.category);
        for from in [0, 1, 6, 7, 20, 34, 35, 99] {
            let a: Vec<_> = spec.orders().skip(from).map(key).collect();
            let b: Vec<_> = spec.orders_from(from as u64).map(key).collect();
            assert_eq!(a, b, "from {from}");
        }
    }

    #[test]
    fn the_synthetic_cohort_is_deterministic_and_in_time_order() {
        let s = Synthetic {
            members: 50,
            orders_per_member: 4,
            start: Instant::parse("2026-01-01T00:00:00+08:00", "").unwrap(),
            days: 365,
            seed: 7,
            categories: vec![],
        };
        let a: Vec<_> = s.orders().collect();
        let b: Vec<_> = s.orders().collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 200);
        assert!(a.windows(2).all(|w| w[0].at <= w[1].at));
        let other = Synthetic {
            seed: 8,
            ..s.clone()
        };
        assert_ne!(
            other.orders().map(|o| o.amount).collect::<Vec<_>>(),
            a.iter().map(|o| o.amount).collect::<Vec<_>>()
        );
    }
}
