//! Decimal arithmetic in 64-bit integers where the values fit, for the simulator's hot path:
//! comparing, testing for one, adding, multiplying and rounding. Each gives exactly what
//! rust_decimal gives (property tests below hold them to it) and falls back to it, or says
//! `None`, where the values do not fit.

use super::Rounding;
use rust_decimal::Decimal;

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

#[cfg(test)]
mod tests {
    use super::super::{round_points, whole_points};
    use super::*;
    use rust_decimal::prelude::*;
    use rust_decimal::RoundingStrategy;

    proptest::proptest! {
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

    }
}
