//! Campaigns: which promotions are running at an instant and whom they reach.
//!
//! A campaign runs from `starts` (inclusive) to `ends` (exclusive). It can multiply earning
//! on some categories, add a spend bonus to an order, or lower reward costs; `min_tier`
//! limits it to members at or above a tier.

use crate::calendar::{Day, Instant};
use crate::program::{Campaign, Loaded};

/// Whether the campaign runs at `at`.
pub fn active(c: &Campaign, at: Instant) -> bool {
    c.starts <= at && at < c.ends
}

/// The first and the last day the campaign runs on, in the programme's time zone: what a
/// shopper reads as "from … to …" or "until …". `ends` is exclusive, so a campaign that ends
/// at midnight ends on the day before; one that ends during a day runs on part of that day.
pub fn days(p: &Loaded, c: &Campaign) -> (Day, Day) {
    let ends = c.ends.day_in(p.offset);
    let last = if c.ends.0.with_timezone(&p.offset).time() == chrono::NaiveTime::MIN {
        ends.pred_opt().unwrap_or(ends)
    } else {
        ends
    };
    (c.starts.day_in(p.offset), last)
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

#[cfg(test)]
mod tests {
    use super::*;

    const HONGMI: &str = include_str!("../examples/hongmi-home.program.json");

    /// The days of the programme's first campaign, starting at midnight on 18 March, for
    /// each end instant given.
    fn ending(ends: &[&str]) -> Vec<(Day, Day)> {
        let p = crate::program::Program::load(HONGMI).unwrap();
        let mut c = p.program.campaigns[0].clone();
        c.starts = Instant::parse("2026-03-18T00:00:00+08:00", "").unwrap();
        ends.iter()
            .map(|e| {
                c.ends = Instant::parse(e, "").unwrap();
                days(&p, &c)
            })
            .collect()
    }

    fn day(s: &str) -> Day {
        crate::calendar::parse_day(s, "").unwrap()
    }

    /// `ends` is exclusive: ending at midnight, in the programme's zone, the campaign's last
    /// day is the one before; ending during a day (or at midnight elsewhere), that day.
    #[test]
    fn a_campaign_that_ends_at_midnight_runs_until_the_day_before() {
        assert_eq!(
            ending(&[
                "2026-03-19T00:00:00+08:00",
                "2026-05-01T00:00:00+08:00",
                "2026-03-19T12:00:00+08:00",
                "2026-03-19T00:00:00+00:00",
            ]),
            [
                (day("2026-03-18"), day("2026-03-18")),
                (day("2026-03-18"), day("2026-04-30")),
                (day("2026-03-18"), day("2026-03-19")),
                (day("2026-03-18"), day("2026-03-19")),
            ]
        );
    }
}
