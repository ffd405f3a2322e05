//! The hand-written runtime that generated code calls: validation, serde helpers for money,
//! dates and enums, secrets, and the operation and vendor descriptions.
//!
//! Generated code only declares types and data; every behaviour lives here, once.

pub mod auth;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "client")]
pub mod client;
pub mod credentials;
pub mod crypto;
pub mod datetime;
pub mod de;
pub mod decimal;
pub mod encrypted;
pub mod enums;
pub mod envelope;
pub mod errors;
pub mod jsonpath;
pub mod loose;
#[cfg(feature = "mock")]
pub mod mock;
pub mod newtype;
pub mod one_of;
pub mod operation;
pub mod path;
pub mod push;
pub mod schema;
pub mod secret;
pub mod stream;
pub mod violation;

pub use auth::{Auth, Place};
pub use credentials::{CredentialSet, CredentialSpec, CredentialsError};
pub use datetime::{Format, IsoDate, IsoMinutes, IsoSeconds, LocalDate, LocalDateTime};
pub use encrypted::Encrypted;
pub use enums::WireEnum;
pub use errors::{Advice, ApiError, ErrorEntry, ErrorItem, ErrorRule, ErrorTable, Success};
pub use loose::LooseInt;
pub use newtype::InvalidValue;
pub use one_of::OneOf;
pub use operation::{
    decodes, roundtrip, Example, Generated, HeaderSpec, HeaderValue, MockRefusal, MockRefusals, Operation,
    OperationEntry, Profile, ResponseHeaderSpec, Validate, Vendor,
};
pub use path::PathParams;
pub use schema::{Direction, Schema, TypeId};
pub use secret::Secret;
pub use stream::{SerializeError, StreamError, WireReport};
pub use violation::{Violation, Violations};

/// Unknown fields of a response object, kept as they came so nothing is lost.
pub type Extra = std::collections::BTreeMap<String, serde_json::Value>;

/// The body of an operation the docs name but do not describe: any JSON object.
pub type RawObject = serde_json::Map<String, serde_json::Value>;

#[doc(hidden)]
pub use {bon, chrono, rust_decimal, serde, serde_json};

/// A header map, for generated response-header types.
#[cfg(feature = "client")]
#[doc(hidden)]
pub use reqwest::header::HeaderMap;
