//! Simulation: what a promotion would cost, replayed over a cohort before it launches.
//!
//! The cohort's orders are walked through time twice at once — under the baseline programme
//! and under the promotion (extra campaigns, or a whole second programme) — with the same
//! quote, redemption and expiry rules as a checkout. Orders stream through [`Simulator::push`]
//! so memory grows with members, not with orders. Everything is deterministic: redemptions
//! follow the assumed rate with a per-member credit (no randomness), and a synthetic cohort
//! comes from a seed.

pub mod cohort;
mod day;
mod lots;
mod members;
mod report;
mod setup;
mod twins;
mod window;

pub use report::{
    run_end, Incremental, Partial, PartialScenario, PeriodFigures, ResolvedAssumptions,
    SeriesPoint, SimulationResult, Totals,
};

use crate::calendar::Day;
use crate::error::{fail, Errors};
use crate::num::dec;
use crate::program::{Campaign, Loaded, Program, Reward};
use crate::tiers;
use crate::wallet;
use chrono::Datelike;
use cohort::{CohortOrder, Synthetic};
use day::{Days, KEPT_CATEGORIES};
use lots::{Kinds, SimLot, SimWallet};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use window::TierWindow;

/// The promotion: campaigns added to the baseline, or a whole second programme.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    #[serde(default)]
    pub campaigns: Vec<Campaign>,
    #[serde(default)]
    pub program: Option<Program>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    /// Share (0–1) of the chances to redeem that members take. Default 0.5.
    #[serde(with = "dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub redemption_rate: Option<Decimal>,
    /// The reward members redeem; default the best value per point that standard points buy.
    #[serde(default)]
    pub reward_id: Option<String>,
    /// What a point costs the merchant, in money; default the reward's value per point.
    #[serde(with = "dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub cost_per_point: Option<Decimal>,
    /// Extra spend (0.1 = +10%) on orders placed while a promotion campaign runs.
    #[serde(with = "dec::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub spend_uplift: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Week,
    #[default]
    Month,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SimulateRequest {
    #[serde(default)]
    pub promotion: Promotion,
    #[serde(default)]
    pub assumptions: Assumptions,
    #[serde(default)]
    pub period: Period,
    /// Orders in time order per member…
    #[serde(default)]
    pub orders: Vec<CohortOrder>,
    /// …or a synthetic cohort.
    #[serde(default)]
    pub synthetic: Option<Synthetic>,
    /// Last day simulated (expiry is counted up to it); the last order's day when absent.
    #[serde(with = "crate::calendar::day_serde::opt", default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub until: Option<Day>,
}

/// What one period saw in one scenario.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flows {
    #[serde(with = "dec")]
    pub revenue: Decimal,
    pub issued: i64,
    pub redeemed: i64,
    pub expired: i64,
}

impl Flows {
    /// Adds another period's, or another part's, flows to these.
    pub fn add(&mut self, other: &Flows) {
        self.revenue += other.revenue;
        self.issued += other.issued;
        self.redeemed += other.redeemed;
        self.expired += other.expired;
    }
}

/// A member's state in one scenario. Kept small: a large cohort's members do not fit in the
/// CPU's caches, so each order reads its member's states from memory. At 120 bytes (144
/// before the tier moved into the window and the credit lost its 16-byte alignment) a
/// million-order run took 185 MB instead of 197 and 1.5–2% less time (121 MB since twins).
#[derive(Debug, Default, Clone)]
struct MemberState {
    wallet: SimWallet,
    /// The window, and the tier it gave on the member's last order.
    window: TierWindow,
    /// The share of a redemption the member has built up, in units of the redemption rate's
    /// last decimal place (a rate of 0.5: halves), so adding the rate on every affordable
    /// order is an integer sum where decimals were three general operations.
    credit: Credit,
}

/// An `i128` kept as two `u64` halves: an `i128` field aligns its struct to 16 bytes, which
/// padded each member's two states by 8 bytes each.
#[derive(Debug, Default, Clone, Copy)]
struct Credit([u64; 2]);

impl Credit {
    fn get(self) -> i128 {
        (u128::from(self.0[1]) << 64 | u128::from(self.0[0])) as i128
    }

    fn set(&mut self, units: i128) {
        let units = units as u128;
        self.0 = [units as u64, (units >> 64) as u64];
    }
}

struct Scenario {
    p: Loaded,
    /// What depends on the day alone, kept per day.
    days: Days,
    series: BTreeMap<String, Flows>,
    tier_moves: u64,
    /// Campaign indexes that belong to the promotion (for the spend uplift).
    promo_campaigns: Vec<usize>,
    /// The programme's point kinds, numbered for the compact lots.
    kinds: Kinds,
    /// Which kind numbers may pay for the reward members redeem.
    reward_kinds: Vec<bool>,
}

impl Scenario {
    /// Ends every day seen: their flows join the series.
    fn end_days(&mut self) {
        self.days.end(&mut self.series);
    }
}

/// Runs a cohort through the baseline and the promotion side by side.
pub struct Simulator {
    scenarios: [Scenario; 2],
    /// Each member's state in both scenarios, side by side: an order touches both, and the
    /// orders before it were other members', so one place per member is one cache miss per
    /// order, not two. A member the promotion has not reached has one state for both
    /// (`twins.rs`).
    members: members::Members,
    reward: Reward,
    rate: Decimal,
    /// The rate, and one, in units of the rate's last decimal place.
    rate_units: i128,
    one: i128,
    cost_per_point: Decimal,
    uplift: Decimal,
    period: Period,
    orders: u64,
    last_day: Option<Day>,
    /// The cohort's categories, numbered as they first come (both scenarios' days keep
    /// their rates by these numbers).
    categories: HashMap<String, u32, BuildHasherDefault<cohort::Fnv>>,
}

/// Counts `points` lapsed on `lapsed` in the series.
fn expired(series: &mut BTreeMap<String, Flows>, period: Period, lapsed: Day, points: i64) {
    series
        .entry(period_key(lapsed, period))
        .or_default()
        .expired += points;
}

/// Scenario `idx`, and with `twin` (a twin member's one state, worked out as scenario 0) the
/// promotion's too, where what the state counts counts as well.
fn counted_in(
    scenarios: &mut [Scenario; 2],
    idx: usize,
    twin: bool,
) -> (&mut Scenario, Option<&mut Scenario>) {
    match (idx, twin) {
        (0, true) => {
            let [b, promo] = scenarios;
            (b, Some(promo))
        }
        _ => (&mut scenarios[idx], None),
    }
}

/// Lapses a wallet's lots before `day`, counting them in `s` and in `mirror`.
fn lapse(
    wallet: &mut lots::SimWallet,
    day: Day,
    period: Period,
    s: &mut Scenario,
    mut mirror: Option<&mut Scenario>,
) {
    wallet.expire(day, |lapsed, points| {
        expired(&mut s.series, period, lapsed, points);
        if let Some(o) = mirror.as_deref_mut() {
            expired(&mut o.series, period, lapsed, points);
        }
    });
}

fn period_key(day: Day, period: Period) -> String {
    match period {
        Period::Month => format!("{:04}-{:02}", day.year(), day.month()),
        Period::Week => {
            let w = day.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
    }
}

impl Simulator {
    /// A hint from a feed that knows how many members are coming (a synthetic cohort):
    /// their states are allocated at once instead of by doubling, which copied every
    /// member's state so far each time (a twentieth of a run).
    pub fn expect_members(&mut self, n: usize) {
        self.members.reserve(n);
    }

    /// Orders pushed so far.
    pub fn orders(&self) -> u64 {
        self.orders
    }

    /// Adds one order; `path` names it in errors (`orders[3]`, `line 12`).
    pub fn push(&mut self, order: &CohortOrder, path: &str) -> Result<(), Errors> {
        let Some(m) = self.members.number(&order.member_id) else {
            return fail(
                "invalid_cohort",
                path,
                "a simulation holds at most 4 billion members",
            );
        };
        if self.members.last(m).is_some_and(|l| order.at < l) {
            return fail(
                "orders_out_of_order",
                path,
                "a member's orders must come in time order",
            );
        }
        self.members.set_last(m, order.at);
        let day = order.at.day_in(self.scenarios[0].p.offset);
        let category = self.category_number(&order.category);
        let mut twin = None;
        if self.members.is_twin(m) {
            twin = self.twins_agree(m, order, day, category, path)?;
            if twin.is_none() {
                self.members.untwin(m);
            }
        }
        // A twin's order is worked out once, for both scenarios.
        let scenarios = if twin.is_some() { 1 } else { 2 };
        for idx in 0..scenarios {
            self.apply(idx, m, order, day, category, path, twin)?;
        }
        self.orders += 1;
        self.last_day = Some(self.last_day.map_or(day, |d| d.max(day)));
        Ok(())
    }

    /// A hint from a feed that knows the order after the one it pushes next: the member
    /// table's slot for it starts loading now. With members in random order that slot is a
    /// cache miss, which was a fifth of a run; a push takes long enough to hide it.
    pub fn prefetch(&self, upcoming: Option<&CohortOrder>) {
        if let Some(order) = upcoming {
            self.members.prefetch(&order.member_id);
        }
    }

    /// The category's number, given when it first comes (only the first
    /// [`KEPT_CATEGORIES`] are kept; the rest share the number after them).
    fn category_number(&mut self, category: &str) -> u32 {
        if let Some(&n) = self.categories.get(category) {
            return n;
        }
        let n = self.categories.len() as u32;
        if n >= KEPT_CATEGORIES {
            return KEPT_CATEGORIES;
        }
        self.categories.insert(category.to_string(), n);
        n
    }

    /// Works out scenario `idx`'s side of an order. With `twin` (scenario 0 of a twin member:
    /// its tier, from [`twins_agree`](Self::twins_agree)), what it counts — points expired,
    /// issued and redeemed, revenue, tier moves — counts in the promotion's scenario too.
    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        idx: usize,
        m: usize,
        order: &CohortOrder,
        day: Day,
        category: u32,
        path: &str,
        twin: Option<Option<usize>>,
    ) -> Result<(), Errors> {
        let (period, uplift) = (self.period, self.uplift);
        let (rate, one) = (self.rate_units, self.one);
        let reward = &self.reward;
        let (s, mut mirror) = counted_in(&mut self.scenarios, idx, twin.is_some());
        let member = &mut self.members[m][idx];
        lapse(&mut member.wallet, day, period, s, mirror.as_deref_mut());
        let p = &s.p;
        member.wallet.coalesce(day);

        let today = s.days.get(p, day, period, path)?;
        let window_start = today.window_start;

        // Tier from the window before this order.
        let tier = match twin {
            Some(tier) => tier,
            None => tiers::tier_for(p, member.window.from(window_start)),
        };
        let before = member.window.tier();
        if before.is_some() && tier > before {
            s.tier_moves += 1;
            if let Some(o) = mirror.as_deref_mut() {
                o.tier_moves += 1;
            }
        }
        member.window.set_tier(tier);

        let amount = if !uplift.is_zero() && today.boosted(p, &s.promo_campaigns, order.at) {
            crate::num::round_money(order.amount * (Decimal::ONE + uplift), p.dp)
        } else {
            order.amount
        };
        let kinds = &s.kinds;
        let (kind, earn_rate) = today.rate(
            p,
            |k| kinds.number(k),
            order.at,
            tier,
            (category, &order.category),
        );
        let earned = earn_rate
            .earn(kind, amount)
            .map_err(|e| crate::error::under(e, path))?;
        let cost = today.reward_cost(p, reward, order.at, tier);
        let (available, expires) = (today.available, today.expires);
        let flows = &mut today.flows;
        crate::num::add_to(&mut flows.revenue, amount);
        let (mut issued, mut redeemed) = (0, 0);
        for (kind, points) in [
            (earned.kind, earned.points),
            (Some(lots::STANDARD_NUMBER), earned.bonus),
        ] {
            if points <= 0 {
                continue;
            }
            let Some(kind) = kind else {
                return fail(
                    "unknown_point_kind",
                    path,
                    "the order earns a point kind the programme does not declare",
                );
            };
            issued += points;
            member.wallet.add(SimLot {
                kind,
                points,
                earned: day,
                available,
                expires,
            });
        }
        member.window.add(day, earned.eligible);

        // Redeem when affordable, as often as the assumed rate says.
        // Most orders cannot afford it: all the member's points, usable or not, are fewer than
        // the cost (a sum of integers, where the usable sum compares each lot's kind).
        while cost > 0
            && member.wallet.total() >= cost
            && wallet::usable(member.wallet.lots(), day, &s.reward_kinds) >= cost
        {
            let credit = member.credit.get() + rate;
            if credit < one {
                member.credit.set(credit);
                break;
            }
            member.credit.set(credit - one);
            member.wallet.spend(day, &s.reward_kinds, cost, path)?;
            redeemed += cost;
        }
        flows.issued += issued;
        flows.redeemed += redeemed;
        if let Some(o) = mirror {
            let flows = &mut o.days.get(&o.p, day, period, path)?.flows;
            crate::num::add_to(&mut flows.revenue, amount);
            flows.issued += issued;
            flows.redeemed += redeemed;
        }
        Ok(())
    }
}

/// The `simulate` operation on a JSON request (orders inline or synthetic).
pub fn simulate(p: &Loaded, req: &SimulateRequest) -> Result<SimulationResult, Errors> {
    let mut sim = Simulator::new(p, &req.promotion, &req.assumptions, req.period)?;
    match (&req.synthetic, req.orders.is_empty()) {
        (Some(_), false) => {
            return fail(
                "invalid_request",
                "synthetic",
                "give orders or synthetic, not both",
            )
        }
        (Some(syn), true) => {
            syn.check()
                .map_err(|e| crate::error::under(e, "synthetic"))?;
            if syn.len() > 2_000_000 {
                return fail(
                    "invalid_cohort",
                    "synthetic",
                    "at most 2,000,000 orders in one request; stream larger cohorts with the CLI",
                );
            }
            syn.push_into(&mut sim, 0, syn.len(), (0, 1), |_| "synthetic".into())?;
        }
        (None, _) => {
            for (i, o) in req.orders.iter().enumerate() {
                sim.prefetch(req.orders.get(i + 1));
                // The order is named only in an error (a name per order cost an allocation).
                sim.push(o, "")
                    .map_err(|e| crate::error::under(e, &format!("orders[{i}]")))?;
            }
        }
    }
    Ok(sim.finish(req.until))
}

#[cfg(test)]
mod tests {
    use super::Credit;

    /// Credits are non-negative and below one plus the rate, but any `i128` survives the
    /// halves, including those past 64 bits (a rate with 28 decimal places).
    #[test]
    fn a_credit_reads_back_as_set() {
        let mut credit = Credit::default();
        assert_eq!(credit.get(), 0);
        for units in [
            1,
            5,
            i128::from(u64::MAX) + 3,
            10i128.pow(28),
            -1,
            i128::MIN,
            i128::MAX,
        ] {
            credit.set(units);
            assert_eq!(credit.get(), units);
        }
    }
}
