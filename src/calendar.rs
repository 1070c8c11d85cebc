//! Instants and calendar days.
//!
//! Instants cross the boundary as RFC 3339 strings with an offset. Calendar days (expiry
//! dates, tier windows, "per month" limits) are always taken in the programme's `utc_offset`,
//! so an order at 2026-02-28T17:00Z falls on 2026-03-01 in a +08:00 programme. The core never
//! reads a clock: the current instant is always an argument.

use crate::error::{fail, Errors};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day, `YYYY-MM-DD` on the wire.
pub type Day = NaiveDate;

/// An instant with the offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub DateTime<FixedOffset>);

impl Instant {
    /// Parses RFC 3339 (`2026-03-18T10:00:00+08:00`); an offset is required.
    pub fn parse(s: &str, path: &str) -> Result<Instant, Errors> {
        if s.len() > 64 {
            return fail(
                "invalid_instant",
                path,
                "instant is too long to be RFC 3339",
            );
        }
        match DateTime::parse_from_rfc3339(s.trim()) {
            Ok(dt) => Ok(Instant(dt)),
            Err(_) => fail(
                "invalid_instant",
                path,
                format!(
                    "`{s}` is not an RFC 3339 instant with an offset (2026-03-18T10:00:00+08:00)"
                ),
            ),
        }
    }

    /// The calendar day of this instant in the given offset.
    pub fn day_in(&self, offset: FixedOffset) -> Day {
        self.0.with_timezone(&offset).date_naive()
    }

    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339()
    }
}

impl Serialize for Instant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Instant::parse(&s, "").map_err(|e| serde::de::Error::custom(e[0].message.clone()))
    }
}

/// Parses a `+08:00` / `-05:30` / `Z` offset.
pub fn parse_offset(s: &str, path: &str) -> Result<FixedOffset, Errors> {
    let bad = || {
        fail(
            "invalid_utc_offset",
            path,
            format!("`{s}` is not a UTC offset like +08:00"),
        )
    };
    if s == "Z" || s == "+00:00" || s == "-00:00" {
        return Ok(FixedOffset::east_opt(0).expect("zero offset is valid"));
    }
    let b = s.as_bytes();
    if b.len() != 6 || (b[0] != b'+' && b[0] != b'-') || b[3] != b':' {
        return bad();
    }
    let (Ok(h), Ok(m)) = (s[1..3].parse::<i32>(), s[4..6].parse::<i32>()) else {
        return bad();
    };
    if h > 14 || m > 59 {
        return bad();
    }
    let secs = (h * 3600 + m * 60) * if b[0] == b'-' { -1 } else { 1 };
    FixedOffset::east_opt(secs).map_or_else(bad, Ok)
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(s: &str, path: &str) -> Result<Day, Errors> {
    // By hand rather than with chrono's format parser: same result, far fewer wasm bytes.
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse().ok())?
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((num(0..4)?, num(5..7)?, num(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
    parsed.map_or_else(
        || {
            fail(
                "invalid_day",
                path,
                format!(
                    "`{}` is not a day like 2026-03-18",
                    s.chars().take(40).collect::<String>()
                ),
            )
        },
        Ok,
    )
}

/// Adds days, failing instead of panicking at the calendar's edge.
pub fn add_days(day: Day, days: i64, path: &str) -> Result<Day, Errors> {
    Duration::try_days(days)
        .and_then(|d| day.checked_add_signed(d))
        .map_or_else(
            || fail("date_out_of_range", path, "date is out of range"),
            Ok,
        )
}

/// Adds calendar months; a day that does not exist in the target month becomes its last day
/// (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(day: Day, months: u32, path: &str) -> Result<Day, Errors> {
    day.checked_add_months(chrono::Months::new(months))
        .map_or_else(
            || fail("date_out_of_range", path, "date is out of range"),
            Ok,
        )
}

/// The last day of the day's month.
pub fn month_end(day: Day) -> Day {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(day)
}

/// `(year, month)` of a day: the key of "per calendar month" limits.
pub fn month_key(day: Day) -> (i32, u32) {
    (day.year(), day.month())
}

/// Serde for `YYYY-MM-DD` days (chrono's own serde is not enabled, to keep wasm small).
pub mod day_serde {
    use super::*;
    pub fn serialize<S: Serializer>(d: &Day, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        parse_day(&s, "").map_err(|e| serde::de::Error::custom(e[0].message.clone()))
    }
    pub mod opt {
        use super::*;
        pub fn serialize<S: Serializer>(d: &Option<Day>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Day>, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            s.map(|s| parse_day(&s, "").map_err(|e| serde::de::Error::custom(e[0].message.clone())))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_late_on_feb_28_utc_is_on_march_1_in_plus_eight() {
        let at = Instant::parse("2026-02-28T17:00:00Z", "").unwrap();
        let cn = parse_offset("+08:00", "").unwrap();
        assert_eq!(at.day_in(cn), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    }

    #[test]
    fn instants_without_offset_are_rejected() {
        assert_eq!(
            Instant::parse("2026-03-01T00:00:00", "at").unwrap_err()[0].code,
            "invalid_instant"
        );
    }

    #[test]
    fn month_end_handles_leap_years() {
        assert_eq!(
            month_end(NaiveDate::from_ymd_opt(2028, 2, 3).unwrap()).to_string(),
            "2028-02-29"
        );
        assert_eq!(
            month_end(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()).to_string(),
            "2026-12-31"
        );
    }

    #[test]
    fn offsets_are_validated() {
        assert!(parse_offset("+08:00", "").is_ok());
        assert!(parse_offset("+8", "").is_err());
        assert!(parse_offset("+15:00", "").is_err());
    }
}
