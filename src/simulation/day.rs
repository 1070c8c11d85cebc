//! What a scenario works out once per day rather than once per order.
//!
//! A day's orders share the tier window's start, the period, the available and expiry days of
//! the points they earn — and, unless a campaign starts or ends during the day, which campaigns
//! run. Then what a category earns for a tier, the reward's cost for a tier and whether a
//! promotion campaign runs are worked out by the day's first order that needs them and kept:
//! a cohort has a handful of categories and tiers, and the day hundreds of orders.

use super::{period_key, Flows, Period};
use crate::calendar::{add_days, Day, Instant};
use crate::campaigns::{active, reward_cost};
use crate::earning::{single_rate, SingleRate};
use crate::error::Errors;
use crate::expiry::expiry_day;
use crate::program::{Loaded, Reward};
use crate::tiers;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

/// Categories numbered beyond this are worked out on every order: a cohort with thousands
/// of categories would otherwise keep thousands of rates a day.
pub(super) const KEPT_CATEGORIES: u32 = 64;

/// The tier window's start, the period's key, and the available and expiry days of points
/// earned on one day; and the day's flows so far, added to the period's series when the day
/// is done (one map lookup a day, not one per order).
pub(super) struct Today {
    pub day: Day,
    pub window_start: Day,
    key: String,
    pub available: Day,
    pub expires: Option<Day>,
    pub flows: Flows,
    /// Whether no campaign starts or ends inside the day, so that the day's rates, costs and
    /// boost below hold for all of its orders.
    steady: bool,
    /// By category number, then tier (none first): the kind number and rate.
    rates: Vec<Option<(Option<u16>, SingleRate)>>,
    /// The reward's cost, by tier (none first).
    costs: Vec<Option<i64>>,
    boosted: Option<bool>,
    /// For the promotion's scenario, by category number, then tier: whether an order is
    /// treated as the baseline treats it (see `Simulator::twins_agree`).
    agrees: Vec<Option<bool>>,
}

/// A scenario's days: the one its last order came on, and the others seen.
#[derive(Default)]
pub(super) struct Days {
    /// A cohort in time order comes day by day…
    today: Option<Box<Today>>,
    /// …and one sorted by member goes back and forth between days, which are kept here
    /// meanwhile (a member's orders need only be in time order among themselves). Boxed, so
    /// that switching days moves pointers, not days with their kept rates (a sorted 1M-row
    /// CSV: 530 → 455 ms).
    parked: HashMap<Day, Box<Today>, BuildHasherDefault<super::cohort::Fnv>>,
}

impl Days {
    /// The figures of `day` under `p`, worked out on the day's first order. Always inlined,
    /// as `Today::reward_cost` and `TierWindow::from` are: the simulator's per-order path
    /// grew past what the compiler inlines on its own when twins came, and called out of
    /// line the three cost ~180 instructions an order (a run 4–6% slower).
    #[inline(always)]
    pub fn get(
        &mut self,
        p: &Loaded,
        day: Day,
        period: Period,
        path: &str,
    ) -> Result<&mut Today, Errors> {
        if self.today.as_ref().is_none_or(|t| t.day != day) {
            let next = match self.parked.remove(&day) {
                Some(t) => t,
                None => Box::new(Today::of(p, day, period, path)?),
            };
            if let Some(before) = self.today.replace(next) {
                self.parked.insert(before.day, before);
            }
        }
        match self.today.as_deref_mut() {
            Some(t) => Ok(t),
            None => crate::error::fail("internal", path, "the day was not kept"),
        }
    }

    /// Ends every day seen: their flows join the series.
    pub fn end(&mut self, series: &mut BTreeMap<String, Flows>) {
        let parked = std::mem::take(&mut self.parked).into_values();
        for t in self.today.take().into_iter().chain(parked) {
            t.done(series);
        }
    }
}

/// A tier's place in the day's tables: none first, then the programme's tiers (a member's
/// tier window keeps its tier this way too).
pub(super) fn slot(tier: Option<usize>) -> usize {
    tier.map_or(0, |t| t + 1)
}

impl Today {
    pub fn of(p: &Loaded, day: Day, period: Period, path: &str) -> Result<Today, Errors> {
        Ok(Today {
            day,
            window_start: tiers::window_start(p, day).map_err(|e| crate::error::under(e, path))?,
            key: period_key(day, period),
            available: add_days(day, i64::from(p.program.earn.pending_days), path)?,
            expires: expiry_day(p, day, path)?,
            flows: Flows::default(),
            steady: steady(p, day),
            rates: Vec::new(),
            costs: Vec::new(),
            boosted: None,
            agrees: Vec::new(),
        })
    }

    /// Adds the day's flows to its period's.
    pub fn done(self, series: &mut BTreeMap<String, Flows>) {
        series.entry(self.key).or_default().add(&self.flows);
    }

    /// What a purchase of `category` (number `number` in the cohort) earns at `at` for `tier`,
    /// with the number of the kind it earns (`kind_number`), kept for the day's later orders.
    pub fn rate(
        &mut self,
        p: &Loaded,
        kind_number: impl Fn(&str) -> Option<u16>,
        at: Instant,
        tier: Option<usize>,
        (number, category): (u32, &str),
    ) -> (Option<u16>, Cow<'_, SingleRate>) {
        let work = || {
            let (kind, rate) = single_rate(p, at, tier, category);
            (kind_number(kind), rate)
        };
        if !self.steady || number >= KEPT_CATEGORIES {
            let (kind, rate) = work();
            return (kind, Cow::Owned(rate));
        }
        let tiers = p.program.tiers.len() + 1;
        let i = number as usize * tiers + slot(tier);
        if self.rates.len() <= i {
            self.rates.resize(i + 1, None);
        }
        let (kind, rate) = self.rates[i].get_or_insert_with(work);
        (*kind, Cow::Borrowed(rate))
    }

    /// The reward's cost at `at` for `tier` (the lowest campaign cost running, else its own).
    /// Always inlined (see [`Days::get`]).
    #[inline(always)]
    pub fn reward_cost(
        &mut self,
        p: &Loaded,
        reward: &Reward,
        at: Instant,
        tier: Option<usize>,
    ) -> i64 {
        let work = || reward_cost(p, &reward.id, reward.cost, at, tier).0;
        if !self.steady {
            return work();
        }
        let i = slot(tier);
        if self.costs.len() <= i {
            self.costs.resize(i + 1, None);
        }
        *self.costs[i].get_or_insert_with(work)
    }

    /// Whether the day's orders of category number `number` for `tier` are treated as the
    /// baseline treats them, if this (the promotion's) day has kept that: only when it and
    /// the baseline's day are both steady.
    pub fn agreement(
        &self,
        baseline_steady: bool,
        tiers: usize,
        number: u32,
        tier: Option<usize>,
    ) -> Option<bool> {
        let i = self.agreement_slot(baseline_steady, tiers, number, tier)?;
        self.agrees.get(i).copied().flatten()
    }

    /// Keeps [`agreement`](Self::agreement) for the day's later orders.
    pub fn keep_agreement(
        &mut self,
        baseline_steady: bool,
        tiers: usize,
        number: u32,
        tier: Option<usize>,
        agrees: bool,
    ) {
        if let Some(i) = self.agreement_slot(baseline_steady, tiers, number, tier) {
            if self.agrees.len() <= i {
                self.agrees.resize(i + 1, None);
            }
            self.agrees[i] = Some(agrees);
        }
    }

    fn agreement_slot(
        &self,
        baseline_steady: bool,
        tiers: usize,
        number: u32,
        tier: Option<usize>,
    ) -> Option<usize> {
        (self.steady && baseline_steady && number < KEPT_CATEGORIES)
            .then(|| number as usize * (tiers + 1) + slot(tier))
    }

    /// Whether no campaign starts or ends inside the day (see [`steady`]).
    pub fn is_steady(&self) -> bool {
        self.steady
    }

    /// Whether one of the campaigns numbered `promo` (the promotion's own) runs at `at`.
    pub fn boosted(&mut self, p: &Loaded, promo: &[usize], at: Instant) -> bool {
        let work = || promo.iter().any(|i| active(&p.program.campaigns[*i], at));
        if !self.steady {
            return work();
        }
        *self.boosted.get_or_insert_with(work)
    }
}

/// Whether no campaign starts or ends strictly inside `day` (in the programme's offset): a
/// campaign starting at midnight runs all day.
fn steady(p: &Loaded, day: Day) -> bool {
    let Some(start) = day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(p.offset).single())
    else {
        return false;
    };
    let Some(end) = start.checked_add_signed(chrono::Duration::days(1)) else {
        return false;
    };
    let inside = |b: &Instant| start < b.0 && b.0 < end;
    !p.program
        .campaigns
        .iter()
        .any(|c| inside(&c.starts) || inside(&c.ends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Program;

    /// The reference programme with a double-points campaign on bedding from noon on 10 March
    /// to midnight on 12 March.
    fn noon_campaign() -> Loaded {
        let mut p: serde_json::Value =
            serde_json::from_str(include_str!("../../examples/hongmi-home.program.json")).unwrap();
        p["campaigns"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": "noon", "name": { "zh-CN": "午间", "en": "Noon" },
                "starts": "2026-03-10T12:00:00+08:00", "ends": "2026-03-12T00:00:00+08:00",
                "multiplier": "2", "categories": ["bedding"]
            }));
        serde_json::from_value::<Program>(p)
            .unwrap()
            .into_loaded()
            .unwrap()
    }

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    fn at(s: &str) -> Instant {
        Instant::parse(s, "").unwrap()
    }

    #[test]
    fn a_day_is_steady_unless_a_campaign_starts_or_ends_inside_it() {
        let p = noon_campaign();
        assert!(!steady(&p, day("2026-03-10")), "starts at noon");
        assert!(steady(&p, day("2026-03-11")), "runs all day");
        assert!(steady(&p, day("2026-03-12")), "ended at midnight");
        assert!(
            steady(&p, day("2026-03-01")),
            "spring refresh starts at midnight"
        );
    }

    /// On a day a campaign starts at noon, orders either side of noon each earn what
    /// `single_rate` gives for their own instant; on a steady day the kept rate is the same
    /// as working it out again.
    #[test]
    fn kept_rates_are_the_rates_of_each_order() {
        let p = noon_campaign();
        let kind = |k: &str| Some(k.len() as u16);
        for (d, instants) in [
            (
                "2026-03-10",
                ["2026-03-10T09:00:00+08:00", "2026-03-10T15:00:00+08:00"],
            ),
            (
                "2026-03-11",
                ["2026-03-11T09:00:00+08:00", "2026-03-11T15:00:00+08:00"],
            ),
        ] {
            let mut today = Today::of(&p, day(d), Period::Month, "").unwrap();
            for instant in instants {
                for tier in [None, Some(0), Some(2)] {
                    for (n, category) in ["bedding", "kitchen", "energy-saving"].iter().enumerate()
                    {
                        let (k, rate) = single_rate(&p, at(instant), tier, category);
                        let kept = today.rate(&p, kind, at(instant), tier, (n as u32, category));
                        assert_eq!(
                            (kept.0, kept.1.into_owned()),
                            (kind(k), rate),
                            "{instant} {tier:?} {category}"
                        );
                    }
                }
            }
        }
        let mut today = Today::of(&p, day("2026-03-10"), Period::Month, "").unwrap();
        let (before, after) = (
            at("2026-03-10T09:00:00+08:00"),
            at("2026-03-10T15:00:00+08:00"),
        );
        let earn = |today: &mut Today, at| {
            today
                .rate(&p, kind, at, None, (0, "bedding"))
                .1
                .earn((), "100.00".parse().unwrap())
                .unwrap()
                .points
        };
        assert_eq!(
            (earn(&mut today, before), earn(&mut today, after)),
            (100, 200)
        );
    }
}
