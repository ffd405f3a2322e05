//! The async HTTP client every vendor module wraps (feature `client`): validation before
//! sending, encryption of encrypted fields, envelopes, signatures, timeouts, retries with
//! backoff and jitter for operations the spec marks safe, and typed errors.
//!
//! Generated clients (`fr24::Client`) add one typed method per operation; this type also
//! calls operations by name with raw JSON (the command line, undocumented operations).

use std::time::Duration;

use serde_json::{Map, Value};

use super::auth::{self, Credentials};
use super::errors::Advice;
use super::operation::{ApiError, AuthScheme, Operation, OperationEntry, Vendor};
use super::schema::{BodyPlacement, Direction};
use super::violation::{json_path_from_serde, Violation, Violations};

/// How many times a safe operation is tried, and how long to wait between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles for each further attempt.
    pub initial_backoff: Duration,
    /// The longest wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// The wait before attempt `attempt + 1`: exponential, capped, with full jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

/// Everything a client needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The base URL; `None`: the vendor's test host.
    pub base_url: Option<String>,
    /// The account's credentials.
    pub credentials: Credentials,
    /// The longest one attempt may take, response body included.
    pub timeout: Duration,
    /// The longest connecting may take.
    pub connect_timeout: Duration,
    /// Retries of operations the spec marks safe to repeat.
    pub retry: RetryPolicy,
    /// Contract-test mode: a response that breaks any rule of the spec (unknown fields and
    /// enum values included) is an error instead of being tolerated.
    pub strict: bool,
    /// OAuth2 vendors: the token endpoint; `None`: the spec's default.
    pub token_url: Option<String>,
    /// Sent as the `E2ETrackingId` header of every request when set (Travelport's
    /// end-to-end tracking id; any vendor ignores an unknown header).
    pub tracking_id: Option<String>,
}

impl Config {
    /// A configuration with these credentials and defaults elsewhere (test host, 30 s
    /// timeout, 10 s connect timeout, 3 attempts for safe operations, lenient responses).
    pub fn new(credentials: Credentials) -> Self {
        Config {
            base_url: None,
            credentials,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            strict: false,
            token_url: None,
            tracking_id: None,
        }
    }

    /// Credentials and base URL from the environment variables the vendor's spec names.
    pub fn from_env(vendor: &Vendor) -> Result<Self, Error> {
        let credentials = Credentials::from_env(vendor).map_err(|e| Error::Config(e.0))?;
        let mut config = Config::new(credentials);
        config.base_url = vendor.base_url_env.and_then(|v| std::env::var(v).ok()).filter(|v| !v.is_empty());
        config.token_url = super::oauth::default_token_url(vendor);
        Ok(config)
    }

    /// Sets the OAuth2 token endpoint.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sets the end-to-end tracking id header.
    pub fn tracking_id(mut self, id: impl Into<String>) -> Self {
        self.tracking_id = Some(id.into());
        self
    }

    /// Sets the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Turns contract-test mode on or off.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
}

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request breaks the spec; nothing was sent.
    #[error("invalid request, nothing was sent:\n{0}")]
    Invalid(Violations),
    /// The client is misconfigured (missing key, bad URL); nothing was sent.
    #[error("configuration: {0}")]
    Config(String),
    /// No bearer token could be had (OAuth2 vendors); the request was not sent.
    #[error("authentication: {0}")]
    Auth(String),
    /// The vendor answered with an error code.
    #[error("API error {0}")]
    Api(ApiError),
    /// The request did not complete (connection, timeout). `may_have_been_processed` is set
    /// when the request may have reached the vendor: check before sending it again.
    #[error("transport error after {attempts} attempt(s){}: {message}", if *may_have_been_processed { " (the vendor may have processed the request: check before resending)" } else { "" })]
    Transport {
        /// What went wrong.
        message: String,
        /// The attempt timed out.
        timed_out: bool,
        /// How many attempts were made.
        attempts: u32,
        /// The request may have reached the vendor.
        may_have_been_processed: bool,
    },
    /// An HTTP error status without a vendor error in the body.
    #[error("HTTP status {status}: {body}")]
    Status {
        /// The status code.
        status: u16,
        /// The body as received.
        body: String,
    },
    /// The response could not be decoded; the raw body is kept.
    #[error("undecodable response at {path}: {message}")]
    Decode {
        /// The JSON path that failed (`$` when the body is not JSON).
        path: String,
        /// Why.
        message: String,
        /// The raw body.
        body: String,
    },
    /// Strict mode: the response breaks the spec.
    #[error("the response breaks the spec:\n{violations}")]
    Contract {
        /// Every violation.
        violations: Violations,
        /// The raw body.
        body: String,
    },
}

impl Error {
    /// What the vendor's error tables advise, for API errors.
    pub fn advice(&self) -> Option<Advice> {
        match self {
            Error::Api(e) => e.advice(),
            _ => None,
        }
    }

    fn retryable(&self) -> bool {
        match self {
            Error::Transport { .. } => true,
            Error::Status { status, .. } => *status >= 500 || *status == 429,
            // Only "retry now" codes: "retry after 10 minutes" is left to the caller.
            Error::Api(e) => e.advice() == Some(Advice::RetryNow),
            _ => false,
        }
    }
}

/// A successful response: the operation body and the whole envelope as received.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The operation body (`data`), `null` when absent.
    pub body: Value,
    /// The whole response wire body.
    pub envelope: Value,
    /// How many attempts it took.
    pub attempts: u32,
}

/// A client for one vendor.
#[derive(Clone)]
pub struct Client {
    vendor: &'static Vendor,
    http: reqwest::Client,
    base_url: String,
    config: Config,
    tokens: std::sync::Arc<super::oauth::TokenCache>,
    token_url: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("vendor", &self.vendor.name)
            .field("base_url", &self.base_url)
            .field("token_url", &self.token_url)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `vendor`.
    pub fn new(vendor: &'static Vendor, config: Config) -> Result<Self, Error> {
        let base_url = config.base_url.clone().unwrap_or_else(|| vendor.base_url.to_owned());
        let parsed =
            reqwest::Url::parse(&base_url).map_err(|e| Error::Config(format!("base URL {base_url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!("base URL {base_url:?} is not http(s)")));
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in vendor.headers {
            // reqwest asks for gzip itself and then decodes it; setting the header by hand
            // would turn the decoding off.
            if name.eq_ignore_ascii_case("accept-encoding") {
                continue;
            }
            insert_header(&mut headers, name, value)?;
        }
        if let Some(id) = &config.tracking_id {
            insert_header(&mut headers, "E2ETrackingId", id)?;
        }
        let token_url = match vendor.auth {
            AuthScheme::Oauth2Password => {
                let url = config
                    .token_url
                    .clone()
                    .or_else(|| vendor.auth_param("token_url").map(str::to_owned))
                    .ok_or_else(|| Error::Config("set the OAuth2 token URL".to_owned()))?;
                reqwest::Url::parse(&url).map_err(|e| Error::Config(format!("token URL {url:?}: {e}")))?;
                Some(url)
            }
            _ => None,
        };
        for (name, credential) in vendor.credential_headers {
            let value = config
                .credentials
                .get(credential)
                .ok_or_else(|| Error::Config(format!("credential `{credential}` is not set")))?;
            insert_header(&mut headers, name, value)?;
        }
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .gzip(true)
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Client {
            vendor,
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            config,
            tokens: Default::default(),
            token_url,
        })
    }

    /// The vendor.
    pub fn vendor(&self) -> &'static Vendor {
        self.vendor
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Calls operation `O` with a typed request; returns the typed body.
    pub async fn call<O: Operation>(&self, params: &O::PathParams, request: &O::Request) -> Result<O::Response, Error> {
        let entry = self
            .vendor
            .operation(O::NAME)
            .ok_or_else(|| Error::Config(format!("{} is not an operation of {}", O::NAME, self.vendor.name)))?;
        let body = serde_json::to_value(request).map_err(|e| {
            Error::Invalid(Violations(vec![Violation {
                path: "$".into(),
                message: format!("cannot be serialized: {e}"),
            }]))
        })?;
        let values: Vec<(String, String)> =
            super::path::PathParams::values(params).into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
        let mut reply = self.call_value(entry, &values, body).await?;
        if reply.body.is_null() && entry.empty_response {
            reply.body = Value::Object(Map::new());
        }
        decode::<O::Response>(&reply.body, &reply.envelope).map_err(|e| match e {
            Error::Decode { path, message, body } => {
                let prefix = match &self.vendor.schema.response_envelope.body {
                    BodyPlacement::Field { name, .. } => format!("$.{name}"),
                    BodyPlacement::Flatten => "$".to_owned(),
                };
                Error::Decode { path: format!("{prefix}{}", &path[1..]), message, body }
            }
            other => other,
        })
    }

    /// Calls an operation by its table entry with a raw JSON body (the business fields; any
    /// envelope or authentication fields in it are replaced). The body is validated against
    /// the spec, encrypted fields are sealed, and the envelope is added and signed.
    pub async fn call_value(
        &self,
        entry: &OperationEntry,
        path_params: &[(String, String)],
        body: Value,
    ) -> Result<Reply, Error> {
        if entry.inbound {
            return Err(Error::Config(format!("{} is sent by the vendor, not to it", entry.name)));
        }
        let schema = self.vendor.schema;
        let op = schema.operation(entry.name).ok_or_else(|| Error::Config(format!("{} has no schema", entry.name)))?;
        let mut body = body;
        let violations = schema.check(op.request, &body, Direction::Request);
        Violations::into_result(violations).map_err(Error::Invalid)?;
        if schema.has_encrypted(op.request) {
            let key = self
                .config
                .credentials
                .encryption_key
                .clone()
                .ok_or_else(|| Error::Config(format!("{} encrypts fields: set the encryption key", entry.name)))?;
            schema.map_encrypted(op.request, &mut body, &mut |v: &mut Value| {
                if v.is_string() {
                    return Ok(()); // sealed already
                }
                let text = serde_json::to_string(v).map_err(|e| Error::Config(e.to_string()))?;
                let sealed = super::crypto::aes_cbc_encrypt(key.expose().as_bytes(), text.as_bytes())
                    .map_err(|e| Error::Config(format!("encryption key: {e}")))?;
                *v = Value::String(sealed);
                Ok(())
            })?;
        }
        let url = format!("{}{}", self.base_url, super::path::render_values(entry.path, path_params));
        let method = reqwest::Method::from_bytes(entry.method.as_bytes()).map_err(|e| Error::Config(e.to_string()))?;
        let mut attempt = 0;
        let mut token_refreshed = false;
        loop {
            attempt += 1;
            let wire = if entry.empty_request { None } else { Some(self.envelope(entry, &body)) };
            let token = match &self.token_url {
                Some(token_url) => Some(
                    self.tokens
                        .bearer(&self.http, self.vendor, token_url, &self.config.credentials)
                        .await
                        .map_err(|e| Error::Auth(e.0))?,
                ),
                None => None,
            };
            let result = self.send_once(&method, &url, wire.as_ref(), token.as_ref(), !token_refreshed, entry).await;
            // A rejected token: the vendor did not process the request, so one more try with
            // a fresh token is safe for every operation, payments included.
            if let (Some(token), Err(Error::Status { status: 401, .. }), false) = (&token, &result, token_refreshed) {
                self.tokens.invalidate(token).await;
                token_refreshed = true;
                attempt -= 1;
                continue;
            }
            let result = match result {
                Err(Error::Transport { message, timed_out, may_have_been_processed, .. }) => {
                    Err(Error::Transport { message, timed_out, may_have_been_processed, attempts: attempt })
                }
                other => other,
            };
            match result {
                Err(e) if entry.safe_to_retry && attempt < self.config.retry.max_attempts && e.retryable() => {
                    tokio::time::sleep(self.config.retry.backoff(attempt)).await;
                }
                Ok(mut reply) => {
                    reply.attempts = attempt;
                    return Ok(reply);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The whole wire body: envelope fields, operation name, body, fresh signature.
    fn envelope(&self, entry: &OperationEntry, body: &Value) -> Value {
        let env = &self.vendor.schema.request_envelope;
        let mut wire = match (&env.body, body) {
            (BodyPlacement::Flatten, Value::Object(map)) => {
                let mut map = map.clone();
                for f in env.fields.iter() {
                    map.remove(f.wire.as_ref());
                    for a in f.aliases.iter() {
                        map.remove(a.as_ref());
                    }
                }
                map
            }
            (BodyPlacement::Flatten, _) => Map::new(),
            (BodyPlacement::Field { name, .. }, body) => {
                let mut map = Map::new();
                map.insert(name.to_string(), body.clone());
                map
            }
        };
        if let Some(field) = &env.operation_field {
            wire.insert(field.to_string(), Value::String(entry.name.to_owned()));
        }
        auth::sign(self.vendor, &self.config.credentials, &mut wire, &auth::unix_now().to_string());
        Value::Object(wire)
    }

    async fn send_once(
        &self,
        method: &reqwest::Method,
        url: &str,
        wire: Option<&Value>,
        token: Option<&super::secret::Secret<String>>,
        report_401: bool,
        entry: &OperationEntry,
    ) -> Result<Reply, Error> {
        let mut request = self.http.request(method.clone(), url);
        if let Some(wire) = wire {
            request = request.body(serde_json::to_vec(wire).map_err(|e| Error::Config(e.to_string()))?);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token.expose());
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED && token.is_some() && report_401 {
            let body = String::from_utf8_lossy(&response.bytes().await.unwrap_or_default()).into_owned();
            return Err(Error::Status { status: 401, body });
        }
        let raw = response.bytes().await.map_err(transport)?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let envelope: Value = if raw.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice(&raw) {
                Ok(v) => v,
                Err(_) if !status.is_success() => return Err(Error::Status { status: status.as_u16(), body: text }),
                Err(e) => return Err(Error::Decode { path: "$".into(), message: e.to_string(), body: text }),
            }
        };
        if let Some(rule) = &self.vendor.api_error {
            if let Some(error) = rule.error_in(&envelope, self.vendor.error_tables) {
                return Err(Error::Api(error));
            }
        }
        if !status.is_success() {
            return Err(Error::Status { status: status.as_u16(), body: text });
        }
        if self.config.strict && !envelope.is_null() {
            let violations = self
                .vendor
                .schema
                .check_wire(entry.name, &envelope, Direction::StrictResponse)
                .map_err(|e| Error::Config(e.to_string()))?;
            if !violations.is_empty() {
                return Err(Error::Contract { violations: Violations(violations), body: text });
            }
        }
        let body = match &self.vendor.schema.response_envelope.body {
            BodyPlacement::Field { name, .. } => envelope.get(name.as_ref()).cloned().unwrap_or(Value::Null),
            BodyPlacement::Flatten => envelope.clone(),
        };
        Ok(Reply { body, envelope, attempts: 1 })
    }
}

fn insert_header(headers: &mut reqwest::header::HeaderMap, name: &str, value: &str) -> Result<(), Error> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Error::Config(format!("header name {name:?}: {e}")))?;
    let mut value = reqwest::header::HeaderValue::from_str(value)
        .map_err(|_| Error::Config(format!("the value of header {name} is not valid in a header")))?;
    value.set_sensitive(true);
    headers.insert(name, value);
    Ok(())
}

fn transport(e: reqwest::Error) -> Error {
    let (timed_out, connect) = (e.is_timeout(), e.is_connect());
    Error::Transport { message: chain(&e.without_url()), timed_out, attempts: 1, may_have_been_processed: !connect }
}

/// The error text with its source chain.
fn chain(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Decodes a body into `T`, keeping the raw envelope text and the failing path on error.
pub fn decode<T: serde::de::DeserializeOwned>(body: &Value, envelope: &Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(body).map_err(|e| Error::Decode {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
        body: envelope.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let policy = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = policy.backoff(10);
            assert!(capped >= Duration::from_millis(150) && capped <= Duration::from_millis(300), "{capped:?}");
        }
    }
}
