//! jifen (积分, "points"): a loyalty-points engine for storefronts.
//!
//! A pure core: no I/O, no clock, no randomness. Every operation is a function of
//! (programme, request, instant) and returns a serialisable result or typed [`Error`]s.
//! The same code runs natively (CLI, authority server) and in WebAssembly (the widget).
//!
//! Start with [`Engine`]: load a programme once, then call operations on JSON requests.

pub mod calendar;
pub mod campaigns;
pub mod change;
pub mod disclosure;
pub mod earning;
pub mod engine;
pub mod error;
pub mod expiry;
pub mod household;
pub mod lint;
pub mod member;
pub mod num;
mod objects_only;
pub mod offset;
pub mod program;
pub mod projection;
mod reasons;
pub mod returns;
pub mod rewards;
#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "simulation")]
pub mod simulation;
mod sort;
pub mod tiers;
pub mod wallet;

pub use engine::{Engine, Operation};
pub use error::{Error, Errors};
pub use program::{Loaded, Program};
