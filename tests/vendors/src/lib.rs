//! Fixture vendors generated at build time from `spec/`: `login_vendor` (an API key header, a
//! session from a login operation, per-call and response headers, errors in a nested object
//! with a success flag) and `hmac_vendor` (HMAC-SHA256 over the bytes sent, in headers; a key
//! in the query; errors by HTTP status).

#![allow(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/api/mod.rs"));
