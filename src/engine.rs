//! The engine: a programme loaded once, and one entry point per operation.
//!
//! Hosts (CLI, wasm, server) hand over request JSON and an instant and get result JSON back.
//! Parsing, validation and the domain rules all live below this line; the hosts only
//! translate. Every result carries the programme's id, version and fingerprint so a server
//! can tell a preview made under another version from a current one.

use crate::calendar::Instant;
use crate::earning::{self, Context, QuoteRequest};
use crate::error::{fail, parse_json, Errors};
use crate::expiry::{self, ExpiryRequest};
use crate::offset::{OffsetRequest, OffsetResult};
use crate::program::{Loaded, Program};
#[cfg(feature = "simulation")]
use crate::simulation;
use crate::tiers;
use crate::{change, disclosure, household, projection, returns, rewards, wallet};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A request with no fields (`disclose`); unknown fields are still refused.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmptyRequest {}

/// The operations an engine answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Quote,
    Rewards,
    Offset,
    Redeem,
    Transfer,
    Expiry,
    Return,
    Project,
    Disclose,
    CheckChange,
    /// Only with the `simulation` feature (the checkout widget's build leaves it out).
    #[cfg(feature = "simulation")]
    Simulate,
}

impl Operation {
    /// Every operation with its wire name.
    pub const ALL: &'static [(&'static str, Operation)] = &[
        ("quote", Operation::Quote),
        ("rewards", Operation::Rewards),
        ("offset", Operation::Offset),
        ("redeem", Operation::Redeem),
        ("transfer", Operation::Transfer),
        ("expiry", Operation::Expiry),
        ("return", Operation::Return),
        ("project", Operation::Project),
        ("disclose", Operation::Disclose),
        ("check_change", Operation::CheckChange),
        #[cfg(feature = "simulation")]
        ("simulate", Operation::Simulate),
    ];

    pub fn parse(name: &str) -> Option<Operation> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, o)| *o)
    }
}

/// Identifies the programme a result was computed under.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProgramRef {
    pub id: String,
    pub version: String,
    pub fingerprint: String,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    program: &'a ProgramRef,
    at: String,
    #[serde(flatten)]
    result: T,
}

/// A validated programme ready to answer requests.
#[derive(Debug, Clone)]
pub struct Engine {
    pub loaded: Loaded,
    pub program_ref: ProgramRef,
}

/// Largest request accepted, in bytes of JSON.
pub const MAX_REQUEST_BYTES: usize = 8 * 1024 * 1024;

impl Engine {
    /// Parses and validates a programme.
    pub fn new(program_json: &str) -> Result<Engine, Errors> {
        if program_json.len() > MAX_REQUEST_BYTES {
            return fail("too_large", "", "programme is larger than 8 MiB");
        }
        Ok(Engine::from_loaded(Program::load(program_json)?))
    }

    pub fn from_loaded(loaded: Loaded) -> Engine {
        let program_ref = ProgramRef {
            id: loaded.program.id.clone(),
            version: loaded.program.version.clone(),
            fingerprint: loaded.fingerprint.clone(),
        };
        Engine {
            loaded,
            program_ref,
        }
    }

    /// Runs an operation on request JSON at the RFC 3339 instant `at`; returns result JSON.
    pub fn run(&self, op: Operation, request_json: &str, at: &str) -> Result<String, Errors> {
        if request_json.len() > MAX_REQUEST_BYTES {
            return fail("too_large", "", "request is larger than 8 MiB");
        }
        let at = Instant::parse(at, "at")?;
        let p = &self.loaded;
        match op {
            Operation::Quote => self.wrap(at, self.quote(&parse_json(request_json, "")?, at)?),
            Operation::Rewards => {
                self.wrap(at, rewards::options(p, &parse_json(request_json, "")?, at)?)
            }
            Operation::Offset => self.wrap(at, self.offset(&parse_json(request_json, "")?, at)?),
            Operation::Redeem => {
                self.wrap(at, rewards::redeem(p, &parse_json(request_json, "")?, at)?)
            }
            Operation::Transfer => self.wrap(
                at,
                household::transfer(p, &parse_json(request_json, "")?, at)?,
            ),
            Operation::Expiry => {
                let req: ExpiryRequest = parse_json(request_json, "")?;
                let lots = wallet::normalize(p, &req.wallet, "wallet")?;
                self.wrap(at, expiry::schedule(p, &lots, at.day_in(p.offset)))
            }
            Operation::Return => {
                self.wrap(at, returns::process(p, &parse_json(request_json, "")?, at)?)
            }
            Operation::Project => self.wrap(
                at,
                projection::project(p, &parse_json(request_json, "")?, at)?,
            ),
            Operation::Disclose => {
                let _: EmptyRequest = parse_json(request_json, "")?;
                self.wrap(at, disclosure::disclose(p))
            }
            Operation::CheckChange => {
                self.wrap(at, change::check(p, &parse_json(request_json, "")?)?)
            }
            #[cfg(feature = "simulation")]
            Operation::Simulate => {
                self.wrap(at, simulation::simulate(p, &parse_json(request_json, "")?)?)
            }
        }
    }

    fn wrap<T: Serialize>(&self, at: Instant, result: T) -> Result<String, Errors> {
        let env = Envelope {
            program: &self.program_ref,
            at: at.to_rfc3339(),
            result,
        };
        crate::error::to_json(&env)
    }

    /// The points a cart earns.
    pub fn quote<'a>(
        &'a self,
        req: &'a QuoteRequest,
        at: Instant,
    ) -> Result<earning::Quote<'a>, Errors> {
        let p = &self.loaded;
        let tier = tiers::resolve(p, &req.member, "member")?;
        let ctx = Context {
            at,
            tier,
            stats: req.member.tier_stats,
            explain: true,
        };
        let (points, amount) = match req.offset_points {
            Some(points) if points != 0 => {
                let nets = earning::line_nets(&req.lines)?;
                let total: Decimal =
                    nets.iter().sum::<Decimal>() - req.order_discount.unwrap_or_default();
                let amount = crate::offset::check_points(p, tier, total, points, "offset_points")?;
                (points, amount)
            }
            _ => (0, Decimal::ZERO),
        };
        earning::quote(
            p,
            &ctx,
            &req.lines,
            req.order_discount.unwrap_or_default(),
            points,
            amount,
        )
    }
}

impl Engine {
    /// The bill-offset range for an order and wallet, and the quote with the chosen points.
    pub fn offset<'a>(
        &'a self,
        req: &'a OffsetRequest,
        at: Instant,
    ) -> Result<OffsetResult<'a>, Errors> {
        let p = &self.loaded;
        let tier = tiers::resolve(p, &req.member, "member")?;
        let lots = wallet::normalize(p, &req.member.wallet, "member.wallet")?;
        let nets = earning::line_nets(&req.lines)?;
        let discount = req.order_discount.unwrap_or_default();
        let amount_due = nets.iter().sum::<Decimal>() - discount;
        let day = at.day_in(p.offset);
        let range = crate::offset::range(p, tier, amount_due, |kinds| {
            wallet::usable(&lots, day, kinds)
        });
        let points = req.points.unwrap_or(0);
        let amount = if points == 0 {
            Decimal::ZERO
        } else {
            crate::offset::check_points(p, tier, amount_due, points, "points")?
        };
        if points > range.balance {
            return fail(
                "insufficient_points",
                "points",
                format!(
                    "needs {points} points but only {} are usable",
                    range.balance
                ),
            );
        }
        let ctx = Context {
            at,
            tier,
            stats: req.member.tier_stats,
            explain: true,
        };
        let quote = earning::quote(p, &ctx, &req.lines, discount, points, amount)?;
        Ok(OffsetResult {
            range,
            points,
            amount: crate::num::Money::new(amount, p.dp),
            quote,
        })
    }
}
