//! Authentication as declarative recipes from the spec (`auth:` in `vendor.yaml`), each kind
//! written once, behind one trait ([`Recipe`]): the client applies recipes to what it sends,
//! the mock server and push receivers verify what they receive, and the command line goes
//! through the client and the mock. No vendor is named here.
//!
//! - [`signature`]: a string to sign from a template, a digest, an HMAC or AES-CBC, written
//!   to headers, query parameters or body fields.
//! - [`session`]: a login operation of the spec whose response carries a session token.
//! - [`oauth2`]: bearer tokens from a token endpoint (password or client-credentials grant).
//! - [`api_key`]: a credential in a header or a query parameter.
//!
//! Tokens (sessions and OAuth2) are cached by [`token::TokenCache`] (feature `client`).

pub mod api_key;
pub mod oauth2;
pub mod session;
pub mod signature;
pub mod template;
#[cfg(feature = "client")]
pub mod token;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::credentials::CredentialSet;
use super::jsonpath;

/// Where a recipe writes a value, and where a receiver reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A request header.
    Header(&'static str),
    /// A query parameter.
    Query(&'static str),
    /// A field of the whole wire body (envelope included), at a JSON path.
    Body(&'static str),
    /// `Authorization: Bearer <value>`.
    Bearer,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Header(h) => write!(f, "header {h}"),
            Place::Query(q) => write!(f, "query parameter {q}"),
            Place::Body(p) => write!(f, "body field {p}"),
            Place::Bearer => f.write_str("Authorization: Bearer"),
        }
    }
}

/// A request being prepared by the client: recipes add headers, query parameters and body
/// fields. Once a recipe has signed the body's bytes (`body_bytes`), the body is frozen.
#[derive(Debug, Clone, Default)]
pub struct Outgoing {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path below the base URL, percent-encoded as sent.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(String, String)>,
    /// Headers added by recipes and per-call header rules (fixed headers are the client's).
    pub headers: Vec<(String, String)>,
    /// The whole wire body, `None` when the request has none.
    pub body: Option<Value>,
    /// The exact bytes to send, set when a recipe signed them.
    pub body_bytes: Option<Vec<u8>>,
}

impl Outgoing {
    /// Writes `value` at `place`.
    pub fn put(&mut self, place: Place, value: Value) -> Result<(), AuthError> {
        let text = || jsonpath::scalar_text(&value).unwrap_or_else(|| value.to_string());
        match place {
            Place::Header(name) => self.headers.push((name.to_owned(), text())),
            Place::Query(name) => self.query.push((name.to_owned(), text())),
            Place::Bearer => self.headers.push(("Authorization".to_owned(), format!("Bearer {}", text()))),
            Place::Body(path) => {
                if self.body_bytes.is_some() {
                    return Err(AuthError(format!("{place}: the body is already signed")));
                }
                let body = self.body.get_or_insert_with(|| Value::Object(Map::new()));
                jsonpath::set(body, path, value, "").map_err(|e| AuthError(e.to_string()))?;
            }
        }
        Ok(())
    }

    /// The body's bytes as they will be sent (serializing it now freezes it).
    pub fn freeze_body(&mut self) -> &[u8] {
        if self.body_bytes.is_none() {
            let bytes = match &self.body {
                Some(v) => serde_json::to_vec(v).unwrap_or_default(),
                None => Vec::new(),
            };
            self.body_bytes = Some(bytes);
        }
        self.body_bytes.as_deref().unwrap_or_default()
    }
}

/// A request as a receiver (the mock, a push handler) got it.
#[derive(Clone, Copy)]
pub struct Incoming<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The path as received.
    pub path: &'a str,
    /// Query parameters, decoded.
    pub query: &'a [(String, String)],
    /// Looks a header up by name, case-insensitively.
    pub header: &'a dyn Fn(&str) -> Option<String>,
    /// The body parsed as JSON (`Null` when there is none).
    pub body: &'a Value,
    /// The body's bytes as received.
    pub body_bytes: &'a [u8],
}

impl Incoming<'_> {
    /// The value at `place`, as text.
    pub fn read(&self, place: Place) -> Option<String> {
        match place {
            Place::Header(name) => (self.header)(name),
            Place::Query(name) => self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            Place::Body(path) => jsonpath::text(self.body, path),
            Place::Bearer => (self.header)("authorization")
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).map(str::to_owned)),
        }
    }
}

/// What a client needs to apply a recipe.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The account.
    pub credentials: &'a CredentialSet,
    /// Now, in Unix milliseconds.
    pub now_ms: u64,
    /// The session or OAuth2 token, when the vendor uses one and this call needs it.
    pub token: Option<&'a str>,
}

/// What a receiver needs to verify a request.
#[derive(Clone, Copy)]
pub struct Verifier<'a> {
    /// The credentials it accepts.
    pub credentials: &'a CredentialSet,
    /// Now, in Unix milliseconds.
    pub now_ms: u64,
    /// The largest accepted distance between a request's timestamp and the clock, in seconds
    /// (`None`: any, for replaying recorded requests).
    pub max_skew_secs: Option<u64>,
    /// Whether a session or OAuth2 token is one the receiver issued and still valid.
    pub token: &'a dyn Fn(&str) -> Result<(), &'static str>,
}

/// Why a receiver refused a request's authentication. Never quotes a secret or signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A missing or wrong key, or a signature that does not match.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The timestamp is too far from the receiver's clock (a replay, or a wrong clock).
    #[error("stale timestamp: {0}")]
    Stale(String),
    /// A session or bearer token that is missing, unknown or expired.
    #[error("expired or unknown token: {0}")]
    Token(String),
}

/// Why a recipe could not be applied (a missing credential, a bad key). Never quotes a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AuthError(pub String);

/// One kind of authentication: applied by the client, verified by receivers.
pub trait Recipe {
    /// Adds this recipe's part to an outgoing request.
    fn apply(&self, out: &mut Outgoing, cx: &Context<'_>) -> Result<(), AuthError>;
    /// Checks an incoming request.
    fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>) -> Result<(), Refusal>;
}

/// When a token (session or OAuth2) has run out, and what that means for a resend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// API error codes that mean "log in again".
    pub codes: &'static [&'static str],
    /// HTTP statuses that mean the same.
    pub statuses: &'static [u16],
    /// The vendor documents that such an answer means it refused the call before processing
    /// it: after logging in again, even a payment may be sent once more.
    pub refused_before_processing: bool,
}

/// A vendor's authentication: every recipe its spec declares (any combination).
#[derive(Debug, Clone, Copy, Default)]
pub struct Auth {
    /// What the docs say.
    pub description: &'static str,
    /// A request signature.
    pub signature: Option<signature::Signature>,
    /// A session from a login operation.
    pub session: Option<session::Session>,
    /// OAuth2 bearer tokens.
    pub oauth2: Option<oauth2::OAuth2>,
    /// API keys in headers or query parameters.
    pub api_keys: &'static [api_key::ApiKey],
}

impl Auth {
    /// The token recipe's expiry rule (sessions and OAuth2), if the vendor uses tokens.
    pub fn expiry(&self) -> Option<Expiry> {
        self.session.map(|s| s.expired).or(self.oauth2.map(|o| o.expired))
    }

    /// Applies every recipe, signatures last (they may sign what the others wrote).
    pub fn apply(&self, out: &mut Outgoing, cx: &Context<'_>, with_token: bool) -> Result<(), AuthError> {
        for key in self.api_keys {
            key.apply(out, cx)?;
        }
        if with_token {
            if let Some(s) = &self.session {
                s.apply(out, cx)?;
            }
            if let Some(o) = &self.oauth2 {
                o.apply(out, cx)?;
            }
        }
        if let Some(s) = &self.signature {
            s.apply(out, cx)?;
        }
        Ok(())
    }

    /// Verifies every recipe; `with_token` is false for a session's login operation.
    pub fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>, with_token: bool) -> Result<(), Refusal> {
        for key in self.api_keys {
            key.verify(incoming, cx)?;
        }
        if let Some(s) = &self.signature {
            s.verify(incoming, cx)?;
        }
        if with_token {
            if let Some(s) = &self.session {
                s.verify(incoming, cx)?;
            }
            if let Some(o) = &self.oauth2 {
                o.verify(incoming, cx)?;
            }
        }
        Ok(())
    }
}

/// The current Unix time in milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The current Unix time in whole seconds.
pub fn unix_now() -> u64 {
    now_ms() / 1000
}

/// A credential's value, or an error naming it (never its value).
pub(crate) fn credential<'c>(credentials: &'c CredentialSet, name: &str) -> Result<&'c str, AuthError> {
    credentials.get(name).ok_or_else(|| AuthError(format!("the `{name}` credential is not set")))
}

/// Signs a whole wire body in place with the vendor's signature recipe at time `now_ms`
/// (Unix milliseconds), as the client would for a body-only request: for tests, replays and
/// benchmarks. Values the recipe sends in headers or query parameters are left out.
pub fn sign_body(
    vendor: &super::operation::Vendor,
    credentials: &CredentialSet,
    wire: &mut Map<String, Value>,
    now_ms: u64,
) -> Result<(), AuthError> {
    let Some(signature) = &vendor.auth.signature else { return Ok(()) };
    let mut out =
        Outgoing { method: "POST".to_owned(), body: Some(Value::Object(std::mem::take(wire))), ..Outgoing::default() };
    let result = signature.apply(&mut out, &Context { credentials, now_ms, token: None });
    if let Some(Value::Object(map)) = out.body {
        *wire = map;
    }
    result
}
