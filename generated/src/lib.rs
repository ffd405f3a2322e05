//! Validated request and response types for airline-distribution APIs, generated from the
//! YAML specs in `spec/` by `cargo codegen`.
//!
//! One module and one cargo feature per vendor folder in `spec/` (feature `vendors` turns on
//! all of them); [`vendors`] lists the ones compiled in.
//!
//! - Requests: required fields are enforced at compile time by each type's builder;
//!   pattern- and length-constrained strings are validated newtypes; [`rt::Validate::validate`]
//!   reports every violation with its JSON path. Unknown keys are errors.
//! - Responses: unknown keys are kept in `extra`, unknown enum values in `Unknown(..)`.
//! - Money is [`rust_decimal::Decimal`], dates are [`rt::LocalDate`] / [`rt::LocalDateTime`],
//!   sensitive fields are [`rt::Secret`] and print as `***`.
#![deny(missing_docs)]

extern crate self as flightapi;

/// The hand-written runtime (crate `flightapi-rt`) that generated code calls.
pub use flightapi_rt as rt;

/// The `flightapi` command line over the vendors compiled in (feature `cli`).
#[cfg(feature = "cli")]
pub mod cli {
    pub use flightapi_rt::cli::{EXIT_CONFIG, EXIT_UNREADABLE};

    /// Runs the command line with `args` (without the program name); returns the exit status.
    pub fn run(args: &[String], out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> i32 {
        flightapi_rt::cli::run(&crate::vendors(), args, out, err)
    }

    /// The usage text, with the vendors, profiles and environment variables of the specs.
    pub fn usage_text() -> String {
        flightapi_rt::cli::usage_text(&crate::vendors())
    }
}

// Written by `cargo codegen` through prettyplease; the freshness test compares it byte for byte.
#[rustfmt::skip]
mod gen;

// One module per spec/ folder, each behind the cargo feature of the
// same name; a new folder needs no edit here.
#[allow(unused_imports)]
pub use gen::*;

/// Every vendor compiled in, for tools that pick a vendor by name.
pub fn vendors() -> Vec<&'static rt::Vendor> {
    gen::vendors()
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
