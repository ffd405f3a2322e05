//! Fixture vendors generated at build time from `spec/`: `login_vendor` (an API key header, a
//! session from a login operation, per-call and response headers, errors in a nested object
//! with a success flag), `hmac_vendor` (HMAC-SHA256 over the bytes sent, in headers; a key
//! in the query; errors by HTTP status) and `token_vendor` (OAuth2 client credentials by JSON,
//! with a scope; error lists).

#![allow(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/api/mod.rs"));
