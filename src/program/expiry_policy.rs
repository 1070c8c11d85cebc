//! Reading an expiry policy: `{"mode": "rolling_months", "months": 24, ...}`.
//!
//! Read by hand instead of with serde's internally tagged enum, which first buffers the
//! whole object in a generic value tree: that machinery was 5.5 KB of the checkout engine's
//! 166 KB gzip. Reading the fields directly also reports a field that does not belong to
//! the mode at that field's own path, and refuses fields on `never` and the array form, which
//! the tagged enum let through.

use super::{ExpiryPolicy, ExpiryRound};
use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, Copy)]
enum Mode {
    RollingMonths,
    RollingDays,
    EndOfYear,
    Never,
}

const MODES: &[&str] = &["rolling_months", "rolling_days", "end_of_year", "never"];

impl Mode {
    fn named<E: Error>(name: &str) -> Result<Mode, E> {
        match name {
            "rolling_months" => Ok(Mode::RollingMonths),
            "rolling_days" => Ok(Mode::RollingDays),
            "end_of_year" => Ok(Mode::EndOfYear),
            "never" => Ok(Mode::Never),
            _ => Err(E::unknown_variant(name, MODES)),
        }
    }

    /// The fields each mode takes besides `mode`.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Mode::RollingMonths => &["months", "round"],
            Mode::RollingDays => &["days"],
            Mode::EndOfYear => &["after_years"],
            Mode::Never => &[],
        }
    }

    /// An error unless `field` belongs to this mode.
    fn check<E: Error>(self, field: &str) -> Result<(), E> {
        if self.fields().contains(&field) {
            Ok(())
        } else {
            Err(E::unknown_field(field, self.fields()))
        }
    }
}

impl<'de> Deserialize<'de> for ExpiryPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExpiryPolicy, D::Error> {
        d.deserialize_map(PolicyVisitor)
    }
}

struct PolicyVisitor;

/// Stores a field's value, refusing a second one.
fn once<T, E: Error>(slot: &mut Option<T>, name: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = ExpiryPolicy;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("internally tagged enum ExpiryPolicy")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ExpiryPolicy, A::Error> {
        let mut mode: Option<Mode> = None;
        let (mut months, mut round, mut days, mut after_years) = (None, None, None, None);
        // Fields read before `mode`, checked against it once it is known.
        let mut before_mode: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let key = key.as_ref();
            if key == "mode" {
                let m = Mode::named(&map.next_value::<Cow<'de, str>>()?)?;
                once(&mut mode, "mode", m)?;
                for field in &before_mode {
                    m.check::<A::Error>(field)?;
                }
                continue;
            }
            match mode {
                Some(m) => m.check(key)?,
                None => before_mode.push(key.to_string()),
            }
            match key {
                "months" => once(&mut months, "months", map.next_value::<u32>()?)?,
                "round" => once(
                    &mut round,
                    "round",
                    map.next_value::<Option<ExpiryRound>>()?,
                )?,
                "days" => once(&mut days, "days", map.next_value::<u32>()?)?,
                "after_years" => once(&mut after_years, "after_years", map.next_value::<u32>()?)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(match mode.ok_or_else(|| A::Error::missing_field("mode"))? {
            Mode::RollingMonths => ExpiryPolicy::RollingMonths {
                months: months.ok_or_else(|| A::Error::missing_field("months"))?,
                round: round.flatten(),
            },
            Mode::RollingDays => ExpiryPolicy::RollingDays {
                days: days.ok_or_else(|| A::Error::missing_field("days"))?,
            },
            Mode::EndOfYear => ExpiryPolicy::EndOfYear {
                after_years: after_years.unwrap_or(0),
            },
            Mode::Never => ExpiryPolicy::Never,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mode names are written by the derived `Serialize` and read here by hand: every
    /// policy must read back as itself.
    #[test]
    fn every_expiry_policy_reads_back_what_it_writes() {
        for policy in [
            ExpiryPolicy::RollingMonths {
                months: 24,
                round: Some(ExpiryRound::MonthEnd),
            },
            ExpiryPolicy::RollingMonths {
                months: 3,
                round: None,
            },
            ExpiryPolicy::RollingDays { days: 400 },
            ExpiryPolicy::EndOfYear { after_years: 1 },
            ExpiryPolicy::Never,
        ] {
            let text = serde_json::to_string(&policy).unwrap();
            assert_eq!(
                serde_json::from_str::<ExpiryPolicy>(&text).unwrap(),
                policy,
                "{text}"
            );
        }
    }
}
