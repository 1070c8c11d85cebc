//! Numbers: decimal parsing at the boundary, and every rounding rule in one place.
//!
//! Money and rates are `rust_decimal::Decimal`. On input a decimal may be a JSON string
//! (`"800.50"`) or a JSON number, which is read through its shortest decimal form so that
//! `0.1` stays `0.1`. On output money is always a string with the currency's minor units.
//! Points are whole `i64`; the only places that turn exact decimal points into whole points,
//! or exact money into minor units, are the functions in this module.

use crate::error::{fail, Errors};
use rust_decimal::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub mod text;

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

/// `a` against `b`, as `Decimal`'s `cmp` orders them. Two amounts of one scale (money at the
/// currency's, as the simulator's tier test compares on every order) compare by mantissa,
/// without rust_decimal's general path (a tenth of a simulation run).
pub fn compare(a: Decimal, b: Decimal) -> std::cmp::Ordering {
    if a.scale() == b.scale() {
        a.mantissa().cmp(&b.mantissa())
    } else {
        a.cmp(&b)
    }
}

/// Whether `x` is one, at any scale (`1`, `1.00`), told from its parts: `== Decimal::ONE` goes
/// through the general comparison, and the earning path asks on every order.
pub fn is_one(x: Decimal) -> bool {
    x.mantissa() == 10i128.pow(x.scale())
}

/// `acc + x` in place, as rust_decimal adds. Two non-negative amounts of one scale whose sum
/// fits 64 bits (money at the currency's scale, as the simulator sums revenue and tier spend on
/// every order) are added as integers: rust_decimal's general addition, a call of ~50
/// instructions, was a twelfth of a simulation run's instructions.
pub fn add_to(acc: &mut Decimal, x: Decimal) {
    if acc.scale() == x.scale() && !acc.is_sign_negative() && !x.is_sign_negative() {
        if let (Ok(a), Ok(b)) = (i64::try_from(acc.mantissa()), i64::try_from(x.mantissa())) {
            if let Some(sum) = a.checked_add(b) {
                *acc = Decimal::new(sum, x.scale());
                return;
            }
        }
    }
    *acc += x;
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

/// A decimal whose mantissa fits 64 bits and whose scale is at most 18 (every realistic
/// amount and rate), for exact arithmetic in integers on the simulator's path. rust_decimal
/// divides its 96-bit mantissa by ten once per decimal place when rounding, and multiplies
/// in 96 bits; the two were a tenth of a simulation run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Small {
    mantissa: i64,
    scale: u32,
}

impl Small {
    /// `x`'s parts, or `None` when they do not fit.
    pub fn of(x: Decimal) -> Option<Small> {
        let mantissa = i64::try_from(x.mantissa()).ok()?;
        (x.scale() <= 18).then_some(Small {
            mantissa,
            scale: x.scale(),
        })
    }

    /// The exact product, or `None` when it does not fit. Where it fits, so does every
    /// product of the same factors grouped otherwise (a mantissa of a factor is a whole
    /// number, so no partial product is larger unless a factor is zero): rust_decimal
    /// computes it exactly too.
    pub fn times(self, other: Small) -> Option<Small> {
        let scale = self.scale + other.scale;
        (scale <= 18).then_some(())?;
        Some(Small {
            mantissa: self.mantissa.checked_mul(other.mantissa)?,
            scale,
        })
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// The value rounded to a whole number.
    pub fn round(self, rounding: Rounding) -> i64 {
        // The scale is at most 18, so the unit fits and 2r (r < unit) cannot overflow.
        let unit = 10_i64.pow(self.scale);
        // value = q + r / unit, with 0 <= r < unit.
        let (q, r) = (
            self.mantissa.div_euclid(unit),
            self.mantissa.rem_euclid(unit),
        );
        let up = match rounding {
            Rounding::Floor => false,
            Rounding::HalfUp => 2 * r > unit || (2 * r == unit && q >= 0),
            Rounding::HalfEven => 2 * r > unit || (2 * r == unit && q % 2 != 0),
        };
        q + i64::from(up)
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

        /// Whole points in 64-bit integers are rust_decimal's, for every rounding, sign and
        /// scale; half the draws are exact ties (q + 0.5, often around zero).
        #[test]
        fn whole_points_round_as_rust_decimal_rounds(
            m in -10i64.pow(17)..10i64.pow(17),
            q in proptest::prop_oneof![-3i64..3, -10i64.pow(9)..10i64.pow(9)],
            s in 0u32..19,
            tie in proptest::bool::ANY,
            r in proptest::prop_oneof![proptest::strategy::Just(Rounding::Floor), proptest::strategy::Just(Rounding::HalfUp), proptest::strategy::Just(Rounding::HalfEven)],
        ) {
            let exact = if tie { Decimal::new(q, 0) + Decimal::new(5, s.max(1)) * Decimal::from(10_i64.pow(s.max(1) - 1)) } else { Decimal::new(m, s) };
            let strategy = match r {
                Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
                Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
                Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            };
            let theirs = exact.round_dp_with_strategy(0, strategy).to_i64();
            match Small::of(exact) {
                Some(ours) => proptest::prop_assert_eq!(Some(ours.round(r)), theirs, "{} {:?}", exact, r),
                // Left to rust_decimal only when the mantissa needs more than 64 bits.
                None => proptest::prop_assert!(i64::try_from(exact.mantissa()).is_err(), "{}", exact),
            }
        }

        /// A product in 64 bits, where it fits, is rust_decimal's, grouped either way; and
        /// rounding it gives rust_decimal's whole points.
        #[test]
        fn small_products_are_rust_decimals(
            a in proptest::prop_oneof![-3i64..3, 0i64..10i64.pow(15), proptest::num::i64::ANY], sa in 0u32..20,
            b in proptest::prop_oneof![-3i64..3, 0i64..10i64.pow(6), proptest::num::i64::ANY], sb in 0u32..20,
            c in proptest::prop_oneof![1i64..5, 0i64..10i64.pow(4)], sc in 0u32..5,
        ) {
            let (x, y, z) = (Decimal::new(a, sa), Decimal::new(b, sb), Decimal::new(c, sc));
            let small = |d: Decimal| Small::of(d);
            if let Some(p) = small(y).and_then(|y| y.times(small(z)?)).and_then(|yz| small(x)?.times(yz)) {
                let theirs = x.checked_mul(y).and_then(|xy| xy.checked_mul(z));
                proptest::prop_assert_eq!(Some(Decimal::new(p.mantissa, p.scale)), theirs, "{} {} {}", x, y, z);
                let exact = theirs.unwrap();
                for r in [Rounding::Floor, Rounding::HalfUp, Rounding::HalfEven] {
                    proptest::prop_assert_eq!(whole_points(p.round(r), "").ok(), round_points(exact, r, "").ok());
                }
            }
        }

        /// Adding in place gives rust_decimal's sum, at its scale, for amounts of any sign,
        /// scale and size (half the draws share a scale; large ones overflow 64 bits).
        #[test]
        fn add_to_adds_as_rust_decimal_adds(
            a in proptest::prop_oneof![0i64..10i64.pow(9), proptest::num::i64::ANY], sa in 0u32..29,
            b in proptest::prop_oneof![0i64..10i64.pow(9), proptest::num::i64::ANY], sb in 0u32..29,
            same in proptest::bool::ANY, big in proptest::bool::ANY,
        ) {
            let mut x = Decimal::new(a, sa);
            if big {
                x *= Decimal::from(u32::MAX);
            }
            let y = Decimal::new(b, if same { sa } else { sb });
            let theirs = x + y;
            add_to(&mut x, y);
            proptest::prop_assert_eq!(x, theirs);
            proptest::prop_assert_eq!(x.scale(), theirs.scale());
            proptest::prop_assert_eq!(x.is_sign_negative(), theirs.is_sign_negative());
        }

        /// Comparing by mantissa at one scale orders as rust_decimal does, negative zero
        /// included.
        #[test]
        fn compare_orders_as_rust_decimal_orders(
            a in proptest::prop_oneof![-3i64..3, proptest::num::i64::ANY], sa in 0u32..29,
            b in proptest::prop_oneof![-3i64..3, proptest::num::i64::ANY], sb in 0u32..29,
            same in proptest::bool::ANY, neg_zero in proptest::bool::ANY,
        ) {
            let mut x = Decimal::new(a, sa);
            if neg_zero && a == 0 {
                x.set_sign_negative(true);
            }
            let y = Decimal::new(b, if same { sa } else { sb });
            proptest::prop_assert_eq!(compare(x, y), x.cmp(&y), "{} {}", x, y);
        }

        #[test]
        fn is_one_is_equal_to_one(m in proptest::prop_oneof![-2i64..12, proptest::num::i64::ANY], s in 0u32..29) {
            let x = Decimal::new(m, s);
            proptest::prop_assert_eq!(is_one(x), x == Decimal::ONE, "{}", x);
            let one = Decimal::new(10i64.pow(s.min(18)), s.min(18));
            proptest::prop_assert!(is_one(one), "{}", one);
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
