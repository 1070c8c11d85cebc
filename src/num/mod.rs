//! Numbers: decimal parsing at the boundary, and every rounding rule in one place.
//!
//! Money and rates are `rust_decimal::Decimal`. On input a decimal may be a JSON string
//! (`"800.50"`) or a JSON number, which is read through its shortest decimal form so that
//! `0.1` stays `0.1`. On output money is always a string with the currency's minor units.
//! Points are whole `i64`; the only places that turn exact decimal points into whole points,
//! or exact money into minor units, are the functions in this module (and, in 64-bit
//! integers where the values fit, in `small.rs`).

use crate::error::{fail, Errors};
use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod small;
pub mod text;

pub use small::{add_to, compare, is_one, Small};

/// Largest money amount accepted anywhere (10^13 currency units): far above any real cart,
/// far below what would overflow the 96-bit decimal through the earning arithmetic.
pub const MAX_MONEY: Decimal = Decimal::from_parts(1_316_134_912, 2_328, 0, false, 0);
/// Whether `x` is a money amount accepted as input: 0 to [`MAX_MONEY`]. A mantissa at or
/// below `MAX_MONEY`'s (scale 0, so 10^13) is within it at any scale: most amounts are told
/// without rescaling one side of the comparison (which showed in a simulation run's profile).
pub fn money_in_range(x: Decimal) -> bool {
    if x.is_sign_negative() && !x.is_zero() {
        return false;
    }
    x.mantissa() <= MAX_MONEY.mantissa() || x <= MAX_MONEY
}

/// Largest point amount accepted anywhere (10^13).
pub const MAX_POINTS: i64 = 10_000_000_000_000;

/// How exact (decimal) points become whole points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round down (toward negative infinity): never grants more than the exact amount (the
    /// default).
    #[default]
    Floor,
    /// Round half away from zero.
    HalfUp,
    /// Banker's rounding.
    HalfEven,
}

/// Rounds exact points to whole points. Errors when the result does not fit `i64` bounds.
pub fn round_points(exact: Decimal, rounding: Rounding, path: &str) -> Result<i64, Errors> {
    let whole = Small::of(exact).map(|x| x.round(rounding)).or_else(|| {
        let strategy = match rounding {
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        };
        exact.round_dp_with_strategy(0, strategy).to_i64()
    });
    match whole {
        Some(p) => whole_points(p, path),
        None => fail("overflow", path, "point amount is too large"),
    }
}

/// Whole points, refused beyond what any operation accepts (so sums of them cannot overflow).
pub fn whole_points(points: i64, path: &str) -> Result<i64, Errors> {
    if points.abs() <= MAX_POINTS * 1000 {
        Ok(points)
    } else {
        fail("overflow", path, "point amount is too large")
    }
}

/// Minor units of a currency (ISO 4217), or `None` when the currency is unknown.
pub fn minor_units(currency: &str) -> Option<u32> {
    const ZERO: &[&str] = &[
        "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG",
    ];
    const TWO: &[&str] = &[
        "CNY", "USD", "EUR", "GBP", "HKD", "TWD", "SGD", "AUD", "CAD", "NZD", "CHF", "SEK", "NOK",
        "DKK", "PLN", "CZK", "HUF", "MYR", "THB", "PHP", "IDR", "INR", "MXN", "BRL", "ZAR", "AED",
        "SAR", "ILS", "TRY", "RUB", "MOP",
    ];
    const THREE: &[&str] = &["KWD", "BHD", "JOD", "OMR", "TND"];
    if ZERO.contains(&currency) {
        Some(0)
    } else if TWO.contains(&currency) {
        Some(2)
    } else if THREE.contains(&currency) {
        Some(3)
    } else {
        None
    }
}

/// Rounds money to the currency's minor units (half-up, as receipts do).
pub fn round_money(amount: Decimal, dp: u32) -> Decimal {
    amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds money up to the minor unit: the least amount that is at least `amount`.
pub fn ceil_money(amount: Decimal, dp: u32) -> Decimal {
    amount.round_dp_with_strategy(dp, RoundingStrategy::ToPositiveInfinity)
}

/// Rounds money down to the minor unit: the most amount that is at most `amount` (what
/// points pay: never more than exact).
pub fn floor_money(amount: Decimal, dp: u32) -> Decimal {
    amount.round_dp_with_strategy(dp, RoundingStrategy::ToNegativeInfinity)
}

/// Formats money as a string with exactly `dp` decimals (`"800.50"`).
pub fn fmt_money(amount: Decimal, dp: u32) -> String {
    text::text(shown_money(amount, dp))
}

/// Money as printed: rounded to `dp` decimals and held at that scale (`800.5` → `800.50`).
fn shown_money(amount: Decimal, dp: u32) -> Decimal {
    let mut m = round_money(amount, dp);
    m.rescale(dp);
    m
}

/// Money held exactly and formatted with the currency's minor units only when serialized, so
/// computing a quote costs no string formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    pub dp: u32,
}

impl Money {
    pub fn new(amount: Decimal, dp: u32) -> Money {
        Money { amount, dp }
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        text::serialize(shown_money(self.amount, self.dp), s)
    }
}

/// A rate or multiplier, serialized through [`fmt_rate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate(pub Decimal);

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        text::serialize(shown_rate(self.0), s)
    }
}

/// Exact (unrounded) points, serialized with at most 6 decimals, for breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact(pub Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        text::serialize(self.0.round_dp(6).normalize(), s)
    }
}

/// Formats a rate or multiplier: at most 4 decimals, trailing zeros dropped (`"0.075"`).
pub fn fmt_rate(value: Decimal) -> String {
    text::text(shown_rate(value))
}

/// Formats a percentage a shopper reads: at most 2 decimals (half to even), trailing zeros
/// dropped (`"20"`, `"12.5"`).
pub fn fmt_percent(value: Decimal) -> String {
    fmt_rate(value.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven))
}

/// A rate as printed: rounded to 4 decimals, trailing zeros dropped.
fn shown_rate(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Splits `total` (in minor units) across `weights` pro rata. Each share is floored; the
/// remainder goes to the line with the largest exact share, i.e. the largest weight (ties:
/// the earlier line), so the shares always add up to `total` — never lost, never doubled.
pub fn allocate(total: Decimal, weights: &[Decimal], dp: u32) -> Vec<Decimal> {
    if total.is_zero() || weights.is_empty() {
        return vec![Decimal::ZERO; weights.len()];
    }
    let sum: Decimal = weights.iter().copied().fold(Decimal::ZERO, |a, b| a + b);
    if sum.is_zero() || total.is_zero() {
        let mut out = vec![Decimal::ZERO; weights.len()];
        if !total.is_zero() {
            out[0] = total;
        }
        return out;
    }
    let mut shares = floor_shares_int(total, weights, sum, dp).unwrap_or_else(|| {
        weights
            .iter()
            .map(|w| {
                (total * *w / sum).round_dp_with_strategy(dp, RoundingStrategy::ToNegativeInfinity)
            })
            .collect()
    });
    let given: Decimal = shares.iter().copied().fold(Decimal::ZERO, |a, b| a + b);
    let remainder = total - given;
    if !remainder.is_zero() {
        // The largest exact share is the largest weight; ties go to the earlier line.
        let mut best = 0;
        for (i, w) in weights.iter().enumerate() {
            if *w > weights[best] {
                best = i;
            }
        }
        shares[best] += remainder;
    }
    shares
}

/// The floored shares in exact integer arithmetic (minor units), the common case of a cart
/// priced with at most 6 decimals; `None` sends the caller to decimal arithmetic.
fn floor_shares_int(
    total: Decimal,
    weights: &[Decimal],
    sum: Decimal,
    dp: u32,
) -> Option<Vec<Decimal>> {
    const MAX_SCALE: u32 = 6;
    let scale = weights.iter().map(|w| w.scale()).max()?.max(sum.scale());
    if scale > MAX_SCALE || total.scale() > dp || total.is_sign_negative() {
        return None;
    }
    let int = |d: Decimal, to: u32| -> Option<i128> {
        d.mantissa()
            .checked_mul(10i128.checked_pow(to - d.scale())?)
    };
    let total_minor = int(total, dp)?;
    let sum_int = int(sum, scale)?;
    if sum_int <= 0 {
        return None;
    }
    weights
        .iter()
        .map(|w| {
            let share = total_minor
                .checked_mul(int(*w, scale)?)?
                .div_euclid(sum_int);
            i64::try_from(share).ok().map(|s| Decimal::new(s, dp))
        })
        .collect()
}

/// Serde helpers for decimals: string or number in, normalized string out.
pub mod dec {
    use super::*;

    /// Reads a string or a number straight from the deserializer (an untagged enum would
    /// buffer every value first, which costs time and WebAssembly bytes).
    struct DecVisitor;

    impl serde::de::Visitor<'_> for DecVisitor {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal as a string or number")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            parse(v).map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            if v.is_finite() {
                // The shortest form that reads back as the same f64: 0.1 stays 0.1.
                parse(&v.to_string()).map_err(E::custom)
            } else {
                Err(E::custom("not a finite number"))
            }
        }
    }

    pub(crate) fn parse(raw: &str) -> Result<Decimal, String> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 40 {
            return Err(format!("`{}` is not a decimal number", truncate(raw)));
        }
        let d = match s.split_once(['e', 'E']) {
            Some((base, exp)) => scientific(base, exp),
            None => Decimal::from_str_exact(s).ok(),
        };
        d.ok_or_else(|| {
            format!(
                "`{}` is not a decimal number (or is too large)",
                truncate(raw)
            )
        })
    }

    /// `base`×10^`exp`, exactly or not at all. (rust_decimal's own `from_scientific` would do,
    /// but it and the lossy parser it brings along cost the checkout engine 1.3 KB gzip.)
    fn scientific(base: &str, exp: &str) -> Option<Decimal> {
        let base = Decimal::from_str_exact(base).ok()?;
        let exp: i32 = exp.parse().ok()?;
        let scale = i64::from(base.scale()) - i64::from(exp);
        if scale >= 0 {
            let scale = u32::try_from(scale).ok()?;
            Decimal::try_from_i128_with_scale(base.mantissa(), scale).ok()
        } else {
            let up = 10i128.checked_pow(u32::try_from(-scale).ok()?)?;
            let m = base.mantissa().checked_mul(up)?;
            Decimal::try_from_i128_with_scale(m, 0).ok()
        }
    }

    fn truncate(s: &str) -> String {
        s.chars().take(40).collect()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecVisitor)
    }

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        text::serialize(v.normalize(), s)
    }

    /// The same for `Option<Decimal>`.
    pub mod opt {
        use super::*;
        struct OptVisitor;
        impl<'de> serde::de::Visitor<'de> for OptVisitor {
            type Value = Option<Decimal>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a decimal as a string or number, or null")
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                super::deserialize(d).map(Some)
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            d.deserialize_option(OptVisitor)
        }
        pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => text::serialize(v.normalize(), s),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::d;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn max_money_is_ten_to_the_thirteen() {
        assert_eq!(MAX_MONEY, d("10000000000000"));
    }

    #[test]
    fn money_in_range_is_zero_to_ten_to_the_thirteen_at_any_scale() {
        for ok in [
            "0",
            "-0",
            "0.00",
            "10000000000000",
            "10000000000000.00",
            "9999999999999.999",
            "0.001",
        ] {
            assert!(money_in_range(d(ok)), "{ok}");
        }
        for bad in [
            "-0.01",
            "-1",
            "10000000000000.01",
            "10000000000001",
            "99999999999999",
        ] {
            assert!(!money_in_range(d(bad)), "{bad}");
        }
    }

    #[test]
    fn floor_never_rounds_up() {
        assert_eq!(round_points(d("799.99"), Rounding::Floor, "").unwrap(), 799);
        assert_eq!(round_points(d("2.5"), Rounding::HalfUp, "").unwrap(), 3);
        assert_eq!(round_points(d("2.5"), Rounding::HalfEven, "").unwrap(), 2);
    }

    #[test]
    fn money_rounds_down_up_or_half_up_to_the_minor_unit_as_named() {
        let at = |f: fn(Decimal, u32) -> Decimal| {
            ["2.499", "2.495", "2.5", "-2.495", "3"].map(|x| text::text(f(d(x), 2)))
        };
        assert_eq!(at(floor_money), ["2.49", "2.49", "2.5", "-2.50", "3"]);
        assert_eq!(at(ceil_money), ["2.50", "2.50", "2.5", "-2.49", "3"]);
        assert_eq!(at(round_money), ["2.50", "2.50", "2.5", "-2.50", "3"]);
    }

    #[test]
    fn percentages_show_at_most_two_decimals_half_to_even() {
        for (x, shown) in [
            ("20", "20"),
            ("25.000", "25"),
            ("12.5", "12.5"),
            ("33.3333", "33.33"),
            ("0.125", "0.12"),
            ("0.135", "0.14"),
        ] {
            assert_eq!(fmt_percent(d(x)), shown, "{x}");
        }
    }

    #[test]
    fn allocation_remainder_goes_to_largest_share_earliest_on_ties() {
        let shares = allocate(d("10.00"), &[d("1"), d("1"), d("1")], 2);
        assert_eq!(shares, vec![d("3.34"), d("3.33"), d("3.33")]);
        let shares = allocate(d("1.00"), &[d("1"), d("2")], 2);
        assert_eq!(shares, vec![d("0.33"), d("0.67")]);
    }

    proptest::proptest! {
        /// The hand-written scientific parse gives rust_decimal's value, or refuses where it does.
        #[test]
        fn scientific_notation_reads_as_rust_decimal_reads_it(
            m in -10i64.pow(15)..10i64.pow(15), s in 0u32..8, e in -40i32..40, upper in proptest::bool::ANY,
        ) {
            let text = format!("{}{}{e}", Decimal::new(m, s), if upper { 'E' } else { 'e' });
            let ours = dec::parse(&text).ok();
            let theirs = Decimal::from_scientific(&text).ok();
            proptest::prop_assert_eq!(ours, theirs, "{}", text);
            if let Some(v) = ours {
                proptest::prop_assert_eq!(v.scale(), theirs.unwrap().scale());
            }
        }

        #[test]
        fn integer_and_decimal_shares_agree(total in 0i64..10_000_000, ws in proptest::collection::vec((1i64..100_000_000, 0u32..7), 1..30)) {
            let total = Decimal::new(total, 2);
            let weights: Vec<Decimal> = ws.iter().map(|(m, s)| Decimal::new(*m, *s)).collect();
            let sum: Decimal = weights.iter().sum();
            let slow: Vec<Decimal> = weights.iter().map(|w| (total * *w / sum).round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity)).collect();
            proptest::prop_assert_eq!(floor_shares_int(total, &weights, sum, 2).unwrap(), slow);
        }
    }

    #[test]
    fn money_is_formatted_with_minor_units() {
        assert_eq!(fmt_money(d("300"), 2), "300.00");
        assert_eq!(fmt_money(d("1234.5"), 0), "1235");
        assert_eq!(fmt_rate(d("0.0750")), "0.075");
    }

    #[test]
    fn json_numbers_are_read_through_their_shortest_form() {
        #[derive(serde::Deserialize)]
        struct T {
            #[serde(with = "dec")]
            v: Decimal,
        }
        let t: T = serde_json::from_str(r#"{"v":0.1}"#).unwrap();
        assert_eq!(t.v.to_string(), "0.1");
        assert!(serde_json::from_str::<T>(r#"{"v":1e30}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"v":"abc"}"#).is_err());
    }
}

/// Money, rates and exact points are decimal strings on the wire.
#[cfg(feature = "schema")]
mod schema_impls {
    use super::{Exact, Money, Rate};
    use schemars::gen::SchemaGenerator;
    use schemars::schema::Schema;
    macro_rules! as_string {
        ($($t:ty => $name:literal),*) => {$(
            impl schemars::JsonSchema for $t {
                fn schema_name() -> String {
                    $name.to_string()
                }
                fn json_schema(gen: &mut SchemaGenerator) -> Schema {
                    String::json_schema(gen)
                }
            }
        )*};
    }
    as_string!(Money => "Money", Rate => "Rate", Exact => "Exact");
}
