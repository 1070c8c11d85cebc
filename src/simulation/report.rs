//! What a simulation reports: totals per scenario, the incremental figures, and the series
//! per period for charts — baseline beside promotion.

use super::{counted_in, lapse, Flows, Period, Simulator};
use crate::calendar::Day;
use crate::num::{Money, Rate};
use crate::tiers;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The day a run closes on: `until` when given, else the day of its latest order (over every
/// part of a split cohort). Every part closes on it.
pub fn run_end(
    until: Option<Day>,
    last_days: impl IntoIterator<Item = Option<Day>>,
) -> Option<Day> {
    until.or_else(|| last_days.into_iter().max().flatten())
}

impl Simulator {
    /// Closes the simulation on `until` (default: the last order's day) and reports.
    pub fn finish(self, until: Option<Day>) -> SimulationResult {
        let end = run_end(until, [self.last_day]);
        self.finish_with(end, Vec::new())
    }

    /// The day of the latest order pushed so far.
    pub fn last_day(&self) -> Option<Day> {
        self.last_day
    }

    /// Closes this part of a cohort split by member on `end` (the whole run's end, the same
    /// for every part): points whose last day is before it lapse, and each member's tier on
    /// it is counted. What is left are sums, which [`Simulator::finish_with`] adds up.
    pub fn close(mut self, end: Option<Day>) -> Partial {
        let period = self.period;
        let mut part = Partial {
            orders: self.orders,
            members: self.members.len() as u64,
            scenarios: Default::default(),
        };
        // Members are walked once for both scenarios (their states sit side by side), and
        // tiers are counted by index, not by a map of tier ids (an id copied per member).
        let mut counts: [Vec<u64>; 2] = Default::default();
        for (s, counts) in self.scenarios.iter_mut().zip(&mut counts) {
            s.end_days();
            *counts = vec![0; s.p.program.tiers.len()];
        }
        if let Some(end) = end {
            let starts = self
                .scenarios
                .each_ref()
                .map(|s| tiers::window_start(&s.p, end).unwrap_or(end));
            for (states, twin) in self.members.states_mut() {
                // A twin's one state counts in both scenarios.
                let scenarios = if twin { 1 } else { 2 };
                for (idx, member) in states.iter_mut().enumerate().take(scenarios) {
                    let (s, mirror) = counted_in(&mut self.scenarios, idx, twin);
                    // Points whose last day is before `end` have lapsed by then.
                    lapse(&mut member.wallet, end, period, s, mirror);
                    let stats = member.window.from(starts[idx]);
                    if let Some(t) = tiers::tier_for(&s.p, stats) {
                        counts[idx][t] += 1;
                        if twin {
                            counts[1][t] += 1;
                        }
                    }
                }
            }
        }
        for ((s, out), counts) in self
            .scenarios
            .iter_mut()
            .zip(&mut part.scenarios)
            .zip(counts)
        {
            out.tiers =
                s.p.program
                    .tiers
                    .iter()
                    .map(|t| t.id.clone())
                    .zip(counts)
                    .collect();
            out.series = std::mem::take(&mut s.series);
            out.tier_moves = s.tier_moves;
        }
        part
    }

    /// Closes this part on `end`, adds the other parts (closed on the same day, from
    /// simulators with the same set-up and other members) and reports on the whole cohort:
    /// the result of one simulator that ran every order. The others are taken only after
    /// this part is closed, so a caller may still be closing them elsewhere.
    pub fn finish_with(
        self,
        end: Option<Day>,
        others: impl IntoIterator<Item = Partial>,
    ) -> SimulationResult {
        let (period, dp, cpp) = (self.period, self.scenarios[0].p.dp, self.cost_per_point);
        let assumptions = ResolvedAssumptions {
            reward_id: self.reward.id.clone(),
            redemption_rate: Rate(self.rate),
            cost_per_point: Rate(cpp),
            spend_uplift: Rate(self.uplift),
        };
        let mut whole = self.close(end);
        for part in others {
            whole.add(part);
        }
        let [b, p] = &whole.scenarios;
        let mut keys: Vec<&String> = b.series.keys().chain(p.series.keys()).collect();
        keys.sort();
        keys.dedup();
        let mut outstanding = [0i64; 2];
        let mut series = Vec::with_capacity(keys.len());
        let mut sums = [Flows::default(); 2];
        for key in keys {
            let mut figures = |i: usize| {
                let f = whole.scenarios[i]
                    .series
                    .get(key)
                    .copied()
                    .unwrap_or_default();
                outstanding[i] += f.issued - f.redeemed - f.expired;
                sums[i].add(&f);
                PeriodFigures {
                    revenue: Money::new(f.revenue, dp),
                    issued: f.issued,
                    redeemed: f.redeemed,
                    expired: f.expired,
                    outstanding: outstanding[i],
                    liability: Money::new(Decimal::from(outstanding[i]) * cpp, dp),
                }
            };
            let baseline = figures(0);
            let promotion = figures(1);
            series.push(SeriesPoint {
                period: key.clone(),
                baseline,
                promotion,
            });
        }
        let total = |i: usize| {
            let s = &whole.scenarios[i];
            Totals {
                revenue: Money::new(sums[i].revenue, dp),
                points_issued: sums[i].issued,
                points_redeemed: sums[i].redeemed,
                points_expired: sums[i].expired,
                outstanding_points: outstanding[i],
                liability: Money::new(Decimal::from(outstanding[i]) * cpp, dp),
                cost: Money::new(Decimal::from(sums[i].issued - sums[i].expired) * cpp, dp),
                tier_moves: s.tier_moves,
                tiers: s.tiers.clone(),
            }
        };
        let (baseline, promotion) = (total(0), total(1));
        let inc_revenue = promotion.revenue.amount - baseline.revenue.amount;
        let inc_cost = promotion.cost.amount - baseline.cost.amount;
        SimulationResult {
            orders: whole.orders,
            members: whole.members,
            period,
            until: end,
            assumptions,
            incremental: Incremental {
                revenue: Money::new(inc_revenue, dp),
                cost: Money::new(inc_cost, dp),
                points_issued: promotion.points_issued - baseline.points_issued,
                cost_per_revenue: (inc_revenue > Decimal::ZERO)
                    .then(|| Rate(inc_cost / inc_revenue)),
            },
            baseline,
            promotion,
            series,
        }
    }
}

/// One part of a cohort split by member, closed: sums only, so parts add up in any order.
/// Serializable, so parts run in separate Web Workers (or processes) can be brought together.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    pub orders: u64,
    pub members: u64,
    /// Baseline, then promotion.
    pub scenarios: [PartialScenario; 2],
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialScenario {
    /// Flows by period key.
    pub series: BTreeMap<String, Flows>,
    /// Members per tier on the end day.
    pub tiers: BTreeMap<String, u64>,
    pub tier_moves: u64,
}

impl Partial {
    fn add(&mut self, other: Partial) {
        self.orders += other.orders;
        self.members += other.members;
        for (mine, theirs) in self.scenarios.iter_mut().zip(other.scenarios) {
            mine.tier_moves += theirs.tier_moves;
            for (tier, n) in theirs.tiers {
                *mine.tiers.entry(tier).or_default() += n;
            }
            for (key, f) in theirs.series {
                mine.series.entry(key).or_default().add(&f);
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PeriodFigures {
    pub revenue: Money,
    pub issued: i64,
    pub redeemed: i64,
    pub expired: i64,
    /// Points held at the end of the period (pending included).
    pub outstanding: i64,
    /// Outstanding points × cost per point.
    pub liability: Money,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SeriesPoint {
    pub period: String,
    pub baseline: PeriodFigures,
    pub promotion: PeriodFigures,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Totals {
    pub revenue: Money,
    pub points_issued: i64,
    pub points_redeemed: i64,
    /// Breakage: points that lapsed unused.
    pub points_expired: i64,
    pub outstanding_points: i64,
    pub liability: Money,
    /// (Issued − expired) × cost per point: what the points cost, redeemed or still owed.
    pub cost: Money,
    /// Members who moved up a tier during the period.
    pub tier_moves: u64,
    /// Members per tier at the end.
    pub tiers: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Incremental {
    pub revenue: Money,
    pub cost: Money,
    pub points_issued: i64,
    /// Incremental cost per unit of incremental revenue (absent without extra revenue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_per_revenue: Option<Rate>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResolvedAssumptions {
    pub reward_id: String,
    pub redemption_rate: Rate,
    pub cost_per_point: Rate,
    pub spend_uplift: Rate,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SimulationResult {
    pub orders: u64,
    pub members: u64,
    pub period: Period,
    #[serde(with = "crate::calendar::day_serde::opt")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub until: Option<Day>,
    pub assumptions: ResolvedAssumptions,
    pub baseline: Totals,
    pub promotion: Totals,
    pub incremental: Incremental,
    pub series: Vec<SeriesPoint>,
}
