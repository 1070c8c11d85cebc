//! Campaigns: which promotions are running at an instant and whom they reach.
//!
//! A campaign runs from `starts` (inclusive) to `ends` (exclusive). It can multiply earning
//! on some categories, add a spend bonus to an order, or lower reward costs; `min_tier`
//! limits it to members at or above a tier.

use crate::calendar::Instant;
use crate::program::{Campaign, Loaded};

/// Whether the campaign runs at `at`.
pub fn active(c: &Campaign, at: Instant) -> bool {
    c.starts <= at && at < c.ends
}

/// Whether a member of tier index `tier` is reached by the campaign.
pub fn reaches(p: &Loaded, c: &Campaign, tier: Option<usize>) -> bool {
    match &c.min_tier {
        None => true,
        Some(min) => match (p.tier_index(min), tier) {
            (Some(min), Some(t)) => t >= min,
            _ => false,
        },
    }
}

/// Whether the campaign covers a category (every category when it names none).
pub fn covers(c: &Campaign, category: &str) -> bool {
    c.categories.is_empty() || c.categories.iter().any(|x| x == category)
}

/// Campaigns running at `at` that reach the member.
pub fn running(p: &Loaded, at: Instant, tier: Option<usize>) -> impl Iterator<Item = &Campaign> {
    p.program
        .campaigns
        .iter()
        .filter(move |c| active(c, at) && reaches(p, c, tier))
}

/// The reward's cost at `at`: the lowest campaign cost running, else its base cost, with the
/// campaign that set it.
pub fn reward_cost<'a>(
    p: &'a Loaded,
    reward_id: &str,
    base: i64,
    at: Instant,
    tier: Option<usize>,
) -> (i64, Option<&'a Campaign>) {
    let mut best: (i64, Option<&Campaign>) = (base, None);
    for c in running(p, at, tier) {
        if let Some(&cost) = c.reward_costs.get(reward_id) {
            if cost < best.0 {
                best = (cost, Some(c));
            }
        }
    }
    best
}
