//! What a simulation reports: totals per scenario, the incremental figures, and the series
//! per period for charts — baseline beside promotion.

use super::{expire, Flows, Period, Simulator};
use crate::calendar::Day;
use crate::num::{Money, Rate};
use crate::tiers::{self, TierStats};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

impl Simulator {
    /// Closes the simulation on `until` (default: the last order's day) and reports.
    pub fn finish(mut self, until: Option<Day>) -> SimulationResult {
        let end = until.or(self.last_day);
        let period = self.period;
        let mut totals = Vec::new();
        for s in &mut self.scenarios {
            let mut tiers: BTreeMap<String, u64> =
                s.p.program
                    .tiers
                    .iter()
                    .map(|t| (t.id.clone(), 0))
                    .collect();
            for member in &mut s.members {
                if let Some(end) = end {
                    // Points whose last day is before `end` have lapsed by then.
                    expire(&mut member.lots, end, period, &mut s.series);
                    let start = tiers::window_start(&s.p, end).unwrap_or(end);
                    let stats = TierStats {
                        spend: member
                            .window
                            .iter()
                            .filter(|(d, _)| *d > start)
                            .map(|(_, a)| *a)
                            .sum(),
                        orders: member.window.iter().filter(|(d, _)| *d > start).count() as u32,
                    };
                    if let Some(t) =
                        tiers::tier_for(&s.p, stats).and_then(|i| s.p.program.tiers.get(i))
                    {
                        *tiers.entry(t.id.clone()).or_default() += 1;
                    }
                }
            }
            totals.push(tiers);
        }
        let dp = self.scenarios[0].p.dp;
        let cpp = self.cost_per_point;
        let mut keys: Vec<&String> = self.scenarios[0]
            .series
            .keys()
            .chain(self.scenarios[1].series.keys())
            .collect();
        keys.sort();
        keys.dedup();
        let mut outstanding = [0i64; 2];
        let mut series = Vec::with_capacity(keys.len());
        let mut sums = [Flows::default(); 2];
        for key in keys {
            let mut figures = |i: usize| {
                let f = self.scenarios[i]
                    .series
                    .get(key)
                    .copied()
                    .unwrap_or_default();
                outstanding[i] += f.issued - f.redeemed - f.expired;
                sums[i].revenue += f.revenue;
                sums[i].issued += f.issued;
                sums[i].redeemed += f.redeemed;
                sums[i].expired += f.expired;
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
        let mut tiers_iter = totals.into_iter();
        let total = |i: usize, tiers: BTreeMap<String, u64>, moves: u64| Totals {
            revenue: Money::new(sums[i].revenue, dp),
            points_issued: sums[i].issued,
            points_redeemed: sums[i].redeemed,
            points_expired: sums[i].expired,
            outstanding_points: outstanding[i],
            liability: Money::new(Decimal::from(outstanding[i]) * cpp, dp),
            cost: Money::new(Decimal::from(sums[i].issued - sums[i].expired) * cpp, dp),
            tier_moves: moves,
            tiers,
        };
        let baseline = total(
            0,
            tiers_iter.next().unwrap_or_default(),
            self.scenarios[0].tier_moves,
        );
        let promotion = total(
            1,
            tiers_iter.next().unwrap_or_default(),
            self.scenarios[1].tier_moves,
        );
        let inc_revenue = promotion.revenue.amount - baseline.revenue.amount;
        let inc_cost = promotion.cost.amount - baseline.cost.amount;
        SimulationResult {
            orders: self.orders,
            members: self.ids.len() as u64,
            period,
            until: end,
            assumptions: ResolvedAssumptions {
                reward_id: self.reward.id.clone(),
                redemption_rate: Rate(self.rate),
                cost_per_point: Rate(cpp),
                spend_uplift: Rate(self.uplift),
            },
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
