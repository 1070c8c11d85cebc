//! Cohorts for the simulator: orders read from CSV rows, or generated from a seed.
//!
//! CSV columns are `member_id,at,amount,category` with a header line. Rows are parsed here,
//! in the core, so the CLI (streaming a file) and the browser page (an uploaded file) read
//! them the same way, and a bad row is reported with its line number, never skipped.

use crate::calendar::Instant;
use crate::error::{Error, Errors};
use crate::num::{dec, money_in_range};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;

mod synthetic;
pub use synthetic::Synthetic;

/// One order of the cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CohortOrder {
    pub member_id: String,
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub at: Instant,
    #[serde(with = "dec")]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub amount: Decimal,
    pub category: String,
}

pub const CSV_HEADER: &str = "member_id,at,amount,category";

/// FNV-1a: a tiny, fixed hash of short ids. Fixed, so a split by member is the same on every
/// platform and every run; fast, because the simulator looks a member id up on every order
/// (the standard library's SipHash took a seventh of a run).
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Which of `parts` a member belongs to when a cohort is split by member (threads, Web
/// Workers): every order of one member goes to the same part.
pub fn part_of(member_id: &str, parts: usize) -> usize {
    let mut h = Fnv::default();
    h.write(member_id.as_bytes());
    (h.finish() % parts.max(1) as u64) as usize
}

/// Checks the header line.
pub fn check_header(line: &str) -> Result<(), Errors> {
    if line.trim().trim_start_matches('\u{feff}') == CSV_HEADER {
        Ok(())
    } else {
        Err(vec![Error::new(
            "invalid_csv_header",
            "line 1",
            format!("the first line must be `{CSV_HEADER}`"),
        )])
    }
}

/// One line of a CSV's body: `None` for a blank line, which is skipped (it still counts in
/// the line numbers), else the row as [`parse_row`] reads it. The CLI and the browser page
/// read cohort files through this.
pub fn parse_line(line: &str, line_no: usize) -> Option<Result<CohortOrder, Errors>> {
    (!line.trim().is_empty()).then(|| parse_row(line, line_no))
}

/// `col.trim()`, skipped when the column plainly has nothing to trim.
fn trimmed(col: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    if visible(col.as_bytes().first()) && visible(col.as_bytes().last()) {
        col
    } else {
        col.trim()
    }
}

/// Parses one data row; `line_no` is 1-based and names the row in errors. A row that parses
/// costs no formatting: the row's name is written only into an error.
pub fn parse_row(line: &str, line_no: usize) -> Result<CohortOrder, Errors> {
    let bad = |msg: String| {
        Err(vec![Error::new(
            "invalid_csv_row",
            format!("line {line_no}"),
            msg,
        )])
    };
    let mut cols = [""; 4];
    let mut n = 0;
    let line = line.trim_end_matches(['\r', '\n']);
    let mut start = 0;
    // Commas found byte by byte (a comma is never inside a character's UTF-8 bytes), which
    // took less than `split(',')`; a column that starts and ends with a visible ASCII
    // character needs no trimming.
    for end in line
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b',')
        .map(|(i, _)| i)
        .chain([line.len()])
    {
        if n < cols.len() {
            cols[n] = trimmed(&line[start..end]);
        }
        n += 1;
        start = end + 1;
    }
    if n != 4 {
        return bad(format!("expected 4 columns ({CSV_HEADER}), found {n}"));
    }
    if cols[0].is_empty() || cols[0].len() > 64 {
        return bad("member_id must be 1-64 characters".into());
    }
    let Ok(at) = Instant::parse(cols[1], "") else {
        return bad(format!(
            "`{}` is not an RFC 3339 instant with an offset",
            cols[1].chars().take(40).collect::<String>()
        ));
    };
    let amount = match dec::parse(cols[2]) {
        Ok(a) if money_in_range(a) => a,
        _ => {
            return bad(format!(
                "`{}` is not an amount from 0 to 10^13",
                cols[2].chars().take(40).collect::<String>()
            ))
        }
    };
    if cols[3].is_empty() || cols[3].len() > 64 {
        return bad("category must be 1-64 characters".into());
    }
    Ok(CohortOrder {
        member_id: cols[0].to_string(),
        at,
        amount,
        category: cols[3].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_and_bad_rows_name_their_line() {
        let o = parse_row("m1,2026-03-01T10:00:00+08:00,800.00,bedding", 2).unwrap();
        assert_eq!(o.amount.to_string(), "800.00");
        let e = parse_row("m1,yesterday,800,bedding", 7).unwrap_err();
        assert_eq!(
            (e[0].code.as_str(), e[0].path.as_str()),
            ("invalid_csv_row", "line 7")
        );
        assert!(parse_row("m1,2026-03-01T10:00:00+08:00,-5,bedding", 3).is_err());
        assert!(parse_row("m1,2026-03-01T10:00:00+08:00,5", 4).is_err());
        assert!(check_header("member_id,at,amount,category").is_ok());
        assert!(check_header("id,when,amount").is_err());
        assert!(parse_line(" \r", 5).is_none());
        assert_eq!(
            parse_line("m1,2026-03-01T10:00:00+08:00,800.00,bedding", 2),
            Some(Ok(o))
        );
    }

    /// Columns split at every comma and are trimmed as `str::trim` trims, ideographic
    /// spaces and a Windows line end included; a row's column count is reported as found.
    #[test]
    fn columns_split_at_commas_and_trim_as_str_trim_does() {
        let o = parse_row(
            " m1 ,\u{3000}2026-03-01T10:00:00+08:00\t, 800.00,床品\u{3000}\r\n",
            2,
        )
        .unwrap();
        assert_eq!(
            (
                o.member_id.as_str(),
                o.amount.to_string(),
                o.category.as_str()
            ),
            ("m1", "800.00".to_string(), "床品")
        );
        assert_eq!(
            o.at,
            Instant::parse("2026-03-01T10:00:00+08:00", "").unwrap()
        );
        for (row, found) in [
            ("m1,2026-03-01T10:00:00+08:00,1,a,", 5),
            ("m1", 1),
            (",,,,,", 6),
        ] {
            let e = parse_row(row, 9).unwrap_err();
            assert!(
                e[0].message.ends_with(&format!("found {found}")),
                "{row}: {}",
                e[0].message
            );
        }
        assert!(
            parse_row("m1,2026-03-01T10:00:00+08:00,1,", 3).is_err(),
            "an empty category"
        );
    }
}
