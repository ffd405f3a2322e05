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

pub mod rt;

#[cfg(feature = "cli")]
pub mod cli;

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
