//! The member snapshot a host sends with a request: who they are, their tier (named, or the
//! window's spend and orders), their wallet. One shape for every operation, so a widget can
//! pass the snapshot the merchant's server gave it without reshaping it per call.

use crate::tiers::TierStats;
use crate::wallet::Lot;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Member {
    #[serde(default)]
    pub id: Option<String>,
    /// The tier the server knows the member holds; wins over `tier_stats`.
    #[serde(default)]
    pub tier: Option<String>,
    /// Spend and orders in the tier window before this request.
    #[serde(default)]
    pub tier_stats: Option<TierStats>,
    #[serde(default)]
    pub wallet: Vec<Lot>,
}
