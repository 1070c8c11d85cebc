//! Setting up a simulation: the promotion's scenario from the baseline (its campaigns added,
//! or a whole second programme), the reward members redeem, and the assumptions checked.

use super::day::Days;
use super::lots::Kinds;
use super::{members, Assumptions, Period, Promotion, Scenario, Simulator};
use crate::error::{fail, Error, Errors};
use crate::program::{Loaded, Reward};
use crate::wallet;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

impl Simulator {
    /// A simulator of `promotion` against `baseline`, reporting by `period`; typed errors for
    /// a promotion or assumptions that cannot be simulated.
    pub fn new(
        baseline: &Loaded,
        promotion: &Promotion,
        assumptions: &Assumptions,
        period: Period,
    ) -> Result<Simulator, Errors> {
        let (promo, promo_campaigns) = match (&promotion.program, promotion.campaigns.is_empty()) {
            (Some(_), false) => {
                return fail(
                    "invalid_promotion",
                    "promotion",
                    "give campaigns or a program, not both",
                )
            }
            (Some(prog), true) => {
                let loaded = prog
                    .clone()
                    .into_loaded()
                    .map_err(|e| crate::error::under(e, "promotion.program"))?;
                if loaded.program.currency != baseline.program.currency {
                    return fail(
                        "currency_changed",
                        "promotion.program.currency",
                        "the promotion must use the baseline's currency",
                    );
                }
                let ids: Vec<usize> = (0..loaded.program.campaigns.len())
                    .filter(|i| {
                        !baseline
                            .program
                            .campaigns
                            .iter()
                            .any(|c| c.id == loaded.program.campaigns[*i].id)
                    })
                    .collect();
                (loaded, ids)
            }
            (None, _) => {
                let mut prog = baseline.program.clone();
                let first = prog.campaigns.len();
                prog.campaigns.extend(promotion.campaigns.iter().cloned());
                let n = prog.campaigns.len();
                let loaded = prog
                    .into_loaded()
                    .map_err(|e| crate::error::under(e, "promotion"))?;
                (loaded, (first..n).collect())
            }
        };
        let reward = match &assumptions.reward_id {
            Some(id) => baseline.reward(id).cloned().ok_or_else(|| {
                vec![Error::new(
                    "unknown_reward",
                    "assumptions.reward_id",
                    "the reward is not in the programme",
                )]
            })?,
            None => {
                let standard = |r: &&Reward| wallet::accepts(&r.kinds, crate::program::STANDARD);
                let best = baseline
                    .program
                    .rewards
                    .iter()
                    .filter(standard)
                    .max_by(|a, b| {
                        (a.value / Decimal::from(a.cost))
                            .cmp(&(b.value / Decimal::from(b.cost)))
                            .then(b.cost.cmp(&a.cost))
                    });
                best.cloned().ok_or_else(|| {
                    vec![Error::new(
                        "no_rewards",
                        "assumptions.reward_id",
                        "the programme has no reward standard points can buy",
                    )]
                })?
            }
        };
        let rate = assumptions.redemption_rate.unwrap_or(Decimal::new(5, 1));
        if rate.is_sign_negative() || rate > Decimal::ONE {
            return fail(
                "invalid_rate",
                "assumptions.redemption_rate",
                "redemption_rate must be 0 to 1",
            );
        }
        let cost_per_point = assumptions
            .cost_per_point
            .unwrap_or(reward.value / Decimal::from(reward.cost));
        if cost_per_point.is_sign_negative() || cost_per_point > Decimal::from(1000) {
            return fail(
                "invalid_rate",
                "assumptions.cost_per_point",
                "cost_per_point must be 0 to 1000",
            );
        }
        let uplift = assumptions.spend_uplift.unwrap_or_default();
        if uplift < Decimal::NEGATIVE_ONE || uplift > Decimal::from(10) {
            return fail(
                "invalid_rate",
                "assumptions.spend_uplift",
                "spend_uplift must be -1 to 10",
            );
        }
        let scenario = |p: Loaded, promo_campaigns: Vec<usize>| {
            let kinds = Kinds::of(&p);
            Scenario {
                reward_kinds: kinds.accepted(&reward.kinds),
                kinds,
                p,
                days: Days::default(),
                series: BTreeMap::new(),
                tier_moves: 0,
                promo_campaigns,
            }
        };
        Ok(Simulator {
            scenarios: [
                scenario(baseline.clone(), Vec::new()),
                scenario(promo, promo_campaigns),
            ],
            reward,
            rate,
            rate_units: rate.mantissa().abs(),
            // A decimal's scale is at most 28, and 10^28 fits.
            one: 10i128.pow(rate.scale()),
            cost_per_point,
            uplift,
            period,
            // Campaigns added to the baseline change nothing outside the orders they reach; a
            // whole second programme may change anything.
            members: members::Members::new(promotion.program.is_none()),
            orders: 0,
            last_day: None,
            categories: HashMap::default(),
        })
    }
}
