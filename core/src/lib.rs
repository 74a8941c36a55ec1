//! Pantau's shared domain, compiled into both the browser app and the server so that a rule
//! is written once and behaves the same online, offline and on the server.
//!
//! Pure Rust: no clock, no randomness, no I/O. Callers pass `today` in.

pub mod account;
pub mod api;
pub mod breakdown;
pub mod commitments;
pub mod coverage;
pub mod display;
pub mod enrolment;
pub mod error;
pub mod import;
pub mod intake;
pub mod map;
pub mod nik;
pub mod premium;
pub mod region;
pub mod texts;
pub mod wire;
pub mod workers;

pub use wire::WireName;

pub use breakdown::{AgeBand, Breakdown, BreakdownRow, Dimension};
pub use coverage::Month;
pub use enrolment::{FundingSource, Segment};
pub use error::{ErrorCode, ErrorEnvelope, Field};
pub use intake::{Assessment, EnrolmentDraft, FieldProblem, PremiumQuote, Problem, Severity, ValidEnrolment};
pub use nik::{Nik, NikError, Sex};
pub use premium::Program;
pub use region::{AreaCode, Level, RegionCode, RegionCodeError};
