//! The async HTTP client every vendor module wraps (feature `client`): validation before
//! sending, encryption of encrypted fields, envelopes, the spec's authentication recipes,
//! headers, timeouts, retries with backoff and jitter for operations the spec marks safe,
//! tokens renewed once when the vendor says they expired, and typed errors.
//!
//! Generated clients (`<vendor>::Client`) add one typed method per operation; this type also
//! calls operations by name with raw JSON (the command line, undocumented operations).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

use super::auth::{self, token::TokenCache, Context, Outgoing};
use super::credentials::CredentialSet;
use super::errors::{Advice, ApiError};
use super::operation::{Generated, HeaderValue, Operation, OperationEntry, Vendor};
use super::schema::{BodyPlacement, Direction};
use super::secret::Secret;
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

/// The default cap on a decoded response body: 32 MiB.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// The per-attempt timeout when neither the caller nor the spec gives one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Everything a client needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The base URL; `None`: the vendor's test host.
    pub base_url: Option<String>,
    /// The account's credentials, by the names the vendor's spec declares.
    pub credentials: CredentialSet,
    /// The longest one attempt may take, response body included; `None`: the operation's
    /// documented maximum (the spec's `timeout`), else 30 s.
    pub timeout: Option<Duration>,
    /// The longest a whole call may take, every attempt and wait included; `None`: no limit
    /// beyond the attempts'.
    pub call_timeout: Option<Duration>,
    /// The longest connecting may take (for the client built here).
    pub connect_timeout: Duration,
    /// The largest decoded response body accepted, in bytes (default 32 MiB): a bigger one is
    /// an error, read no further.
    pub max_body: usize,
    /// A `reqwest::Client` of the caller's (proxy, TLS roots, pool); `None`: one is built.
    pub http_client: Option<reqwest::Client>,
    /// Retries of operations the spec marks safe to repeat.
    pub retry: RetryPolicy,
    /// Contract-test mode: a response that breaks any rule of the spec (unknown fields and
    /// enum values included) is an error instead of being tolerated.
    pub strict: bool,
    /// OAuth2 vendors: the token endpoint; `None`: the spec's (or its environment variable).
    pub token_url: Option<String>,
}

impl Config {
    /// A configuration with these credentials (a vendor's typed `Credentials`, or a
    /// [`CredentialSet`]) and defaults elsewhere: test host, 30 s timeout, 10 s connect
    /// timeout, 3 attempts for safe operations, lenient responses.
    pub fn new(credentials: impl Into<CredentialSet>) -> Self {
        Config {
            base_url: None,
            credentials: credentials.into(),
            timeout: None,
            call_timeout: None,
            connect_timeout: Duration::from_secs(10),
            max_body: DEFAULT_MAX_BODY,
            http_client: None,
            retry: RetryPolicy::default(),
            strict: false,
            token_url: None,
        }
    }

    /// Credentials, base URL and token URL from the environment variables the vendor's spec
    /// names. Fails with one error naming every missing variable; never uses a sample.
    pub fn from_env(vendor: &'static Vendor) -> Result<Self, Error> {
        let credentials =
            CredentialSet::from_env(vendor.name, vendor.credentials).map_err(|e| Error::Config(e.to_string()))?;
        Ok(Self::new(credentials).env_urls(vendor))
    }

    /// The docs' sample credentials (or the spec's mock values where the docs publish none),
    /// what the mock server accepts: an explicit opt-in for trying a vendor against its mock.
    pub fn with_samples(vendor: &'static Vendor) -> Self {
        Self::new(CredentialSet::samples(vendor.credentials)).env_urls(vendor)
    }

    fn env_urls(mut self, vendor: &'static Vendor) -> Self {
        self.base_url = vendor.base_url_env.and_then(|v| std::env::var(v).ok()).filter(|v| !v.is_empty());
        self.token_url = vendor.auth.oauth2.map(|o| o.default_token_url());
        self
    }

    /// Sets the OAuth2 token endpoint.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// Sets the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the per-attempt timeout (over the spec's per-operation one).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the timeout of a whole call, retries included.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// Sets the largest response body accepted, in bytes.
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Sends through this `reqwest::Client` (a proxy, TLS roots, a shared pool). The client's
    /// headers, timeouts and gzip decoding are set per request, so any client works.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
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
    /// The client is misconfigured (missing credentials, bad URL); nothing was sent.
    #[error("configuration: {0}")]
    Config(String),
    /// No session or bearer token could be had; the request was not sent.
    #[error("authentication: {0}")]
    Auth(String),
    /// The vendor answered with an error (boxed: it is the largest variant by far).
    #[error("API error {0}")]
    Api(Box<ApiError>),
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
    /// The response body is larger than [`Config::max_body`]; the rest was not read.
    #[error("{what}: the response body is larger than the {limit}-byte limit (Config::max_body, --max-body); it was not read further")]
    TooLarge {
        /// The method, host and path.
        what: String,
        /// The limit, in bytes.
        limit: usize,
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
    #[error("undecodable response (HTTP {status}{}) at {path}: {message}; the body starts: {}", content_type.as_deref().map(|c| format!(", {c}")).unwrap_or_default(), excerpt(body))]
    Decode {
        /// The JSON path that failed (`$` when the body is not JSON).
        path: String,
        /// Why.
        message: String,
        /// The raw body.
        body: String,
        /// The HTTP status.
        status: u16,
        /// The response's content type.
        content_type: Option<String>,
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

    /// A short name of the error's kind (`api`, `transport`, ...), for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "invalid",
            Error::Config(_) => "config",
            Error::Auth(_) => "auth",
            Error::Api(_) => "api",
            Error::Transport { .. } => "transport",
            Error::TooLarge { .. } => "too_large",
            Error::Status { .. } => "status",
            Error::Decode { .. } => "decode",
            Error::Contract { .. } => "contract",
        }
    }

    /// The HTTP status the error came with, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.http_status),
            Error::Status { status, .. } | Error::Decode { status, .. } => Some(*status),
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

    /// Whether this answer means the session or bearer token expired.
    fn is_expired_token(&self, expiry: &auth::Expiry) -> bool {
        match self {
            Error::Api(e) => expiry.codes.contains(&e.code.as_str()) || expiry.statuses.contains(&e.http_status),
            Error::Status { status, .. } => expiry.statuses.contains(status),
            _ => false,
        }
    }
}

/// The first 200 characters of a body, for messages.
fn excerpt(body: &str) -> String {
    let mut out: String = body.chars().take(200).collect();
    if out.len() < body.len() {
        out.push('…');
    }
    format!("{out:?}")
}

/// A successful response: the operation body, the whole envelope and the headers as received.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The operation body (`data`), `null` when absent.
    pub body: Value,
    /// The whole response wire body.
    pub envelope: Value,
    /// How many attempts it took.
    pub attempts: u32,
    /// The response headers, all of them.
    pub headers: reqwest::header::HeaderMap,
    /// The HTTP status.
    pub status: u16,
}

/// A typed response with the response headers the spec names (`H`, the vendor's
/// `ResponseHeaders`) and the raw ones.
#[derive(Debug, Clone)]
pub struct Answer<T, H> {
    /// The typed body.
    pub body: T,
    /// The response headers the spec names.
    pub headers: H,
    /// Every response header, as received.
    pub raw_headers: reqwest::header::HeaderMap,
    /// How many attempts it took.
    pub attempts: u32,
}

/// A vendor's typed response headers, read from a header map.
pub trait FromHeaders {
    /// Reads the headers the spec names.
    fn from_headers(headers: &reqwest::header::HeaderMap) -> Self;
}

/// The value of a response header as text, if it is there and is text.
pub fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A client for one vendor.
#[derive(Clone)]
pub struct Client {
    vendor: &'static Vendor,
    http: reqwest::Client,
    /// The fixed and credential headers, set on every request (so a caller's client works).
    headers: reqwest::header::HeaderMap,
    base_url: String,
    config: Config,
    tokens: Arc<TokenCache>,
    token_url: Option<String>,
    /// Per-call header values, by the field names of the vendor's `CallHeaders`.
    call_headers: Arc<BTreeMap<&'static str, String>>,
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
        check_url("base URL", &base_url)?;
        let mut headers = reqwest::header::HeaderMap::new();
        for h in vendor.headers {
            let value = match h.value {
                HeaderValue::Fixed(v) => v,
                HeaderValue::Credential(name) => config.credentials.get(name).ok_or_else(|| {
                    let env = vendor.credential(name).map_or(String::new(), |c| format!(" (set {})", c.env));
                    Error::Config(format!("the `{name}` credential is not set{env}: the {} header needs it", h.name))
                })?,
                HeaderValue::Generated(_) | HeaderValue::PerCall(_) => continue,
            };
            // reqwest asks for gzip itself and then decodes it; setting the header by hand
            // would turn the decoding off.
            if h.name.eq_ignore_ascii_case("accept-encoding") {
                continue;
            }
            insert_header(&mut headers, h.name, value)?;
        }
        let token_url = match &vendor.auth.oauth2 {
            Some(o) => {
                let url = config.token_url.clone().unwrap_or_else(|| o.default_token_url());
                check_url("token URL", &url)?;
                Some(url)
            }
            None => None,
        };
        let http = match &config.http_client {
            Some(http) => http.clone(),
            None => reqwest::Client::builder()
                .gzip(true)
                .connect_timeout(config.connect_timeout)
                .build()
                .map_err(|e| Error::Config(e.to_string()))?,
        };
        Ok(Client {
            vendor,
            http,
            headers,
            base_url: base_url.trim_end_matches('/').to_owned(),
            config,
            tokens: Default::default(),
            token_url,
            call_headers: Default::default(),
        })
    }

    /// The same client (sharing its connections and tokens) sending these per-call header
    /// values, by the field names of the vendor's `CallHeaders`, with every request.
    pub fn with_call_headers(&self, values: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        let mut out = self.clone();
        out.call_headers = Arc::new(values.into_iter().collect());
        out
    }

    /// The vendor.
    pub fn vendor(&self) -> &'static Vendor {
        self.vendor
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How many logins or token requests this client (and its clones) started.
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches()
    }

    /// Calls operation `O` with a typed request; returns the typed body.
    pub async fn call<O: Operation>(&self, params: &O::PathParams, request: &O::Request) -> Result<O::Response, Error> {
        Ok(self.call_full::<O>(params, request).await?.0)
    }

    /// Calls operation `O`; returns the typed body and the reply it came in (headers, attempts).
    pub async fn call_full<O: Operation>(
        &self,
        params: &O::PathParams,
        request: &O::Request,
    ) -> Result<(O::Response, Reply), Error> {
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
        let typed = decode::<O::Response>(&reply.body, &reply.envelope).map_err(|e| match e {
            Error::Decode { path, message, body, .. } => {
                let prefix = match &self.vendor.schema.response_envelope.body {
                    BodyPlacement::Field { name, .. } => format!("$.{name}"),
                    BodyPlacement::Flatten => "$".to_owned(),
                };
                let content_type = super::client::header_text(&reply.headers, "content-type");
                Error::Decode {
                    path: format!("{prefix}{}", &path[1..]),
                    message,
                    body,
                    status: reply.status,
                    content_type,
                }
            }
            other => other,
        })?;
        Ok((typed, reply))
    }

    /// Calls an operation by its table entry with a raw JSON body (the business fields; any
    /// envelope or authentication fields in it are replaced). The body is validated against
    /// the spec, encrypted fields are sealed, and the envelope and authentication are added.
    pub async fn call_value(
        &self,
        entry: &OperationEntry,
        path_params: &[(String, String)],
        body: Value,
    ) -> Result<Reply, Error> {
        use tracing::Instrument;
        // One span per call; fields never hold a credential, token, signature or body.
        let span = tracing::info_span!(
            "flightapi.call",
            vendor = self.vendor.name,
            operation = entry.name,
            attempts = tracing::field::Empty,
            status = tracing::field::Empty,
            outcome = tracing::field::Empty,
            may_have_been_processed = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let calls = self.call_attempts(entry, path_params, body).instrument(span.clone());
        let result = match self.config.call_timeout {
            None => calls.await,
            Some(limit) => match tokio::time::timeout(limit, calls).await {
                Ok(result) => result,
                Err(_) => Err(Error::Transport {
                    message: format!(
                        "{} {}: the call took longer than its {} s limit (Config::call_timeout)",
                        entry.method,
                        entry.path,
                        limit.as_secs_f64()
                    ),
                    timed_out: true,
                    attempts: 0,
                    may_have_been_processed: true,
                }),
            },
        };
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(reply) => {
                span.record("attempts", reply.attempts);
                span.record("status", reply.status);
                span.record("outcome", "ok");
            }
            Err(e) => {
                span.record("outcome", e.kind());
                if let Error::Api(api) = e {
                    span.record("status", api.http_status);
                }
                if let Error::Transport { attempts, may_have_been_processed, .. } = e {
                    span.record("attempts", *attempts);
                    span.record("may_have_been_processed", *may_have_been_processed);
                }
            }
        }
        // The error's text may quote the vendor's body: only its kind and code are logged.
        span.in_scope(|| match &result {
            Ok(_) => tracing::info!("call succeeded"),
            Err(Error::Api(api)) => tracing::warn!(kind = "api", code = %api.code, "call failed"),
            Err(e) => tracing::warn!(kind = e.kind(), "call failed"),
        });
        result
    }

    async fn call_attempts(
        &self,
        entry: &OperationEntry,
        path_params: &[(String, String)],
        body: Value,
    ) -> Result<Reply, Error> {
        if entry.inbound {
            return Err(Error::Config(format!("{} is sent by the vendor, not to it", entry.name)));
        }
        let body = self.checked_body(entry, body)?;
        let path = super::path::render_values(entry.path, path_params);
        let auth = &self.vendor.auth;
        let is_login = auth.session.is_some_and(|s| s.login == entry.name);
        let uses_token = (auth.session.is_some() && !is_login) || auth.oauth2.is_some();
        let mut attempt = 0;
        let mut token_renewed = false;
        loop {
            attempt += 1;
            let token = if uses_token { Some(self.token().await?) } else { None };
            let sent = std::time::Instant::now();
            let result = self.send_once(entry, &path, &body, token.as_ref()).await;
            tracing::debug!(
                attempt,
                latency_ms = sent.elapsed().as_millis() as u64,
                status = result.as_ref().map_or_else(|e| e.status().unwrap_or(0), |r| r.status),
                "attempt answered"
            );
            if let (Some(token), Some(expiry), Err(e)) = (&token, auth.expiry(), &result) {
                if !token_renewed && e.is_expired_token(&expiry) {
                    self.tokens.invalidate(token).await;
                    token_renewed = true;
                    // Resent only when that cannot make the vendor do it twice.
                    let resend = entry.safe_to_retry || expiry.refused_before_processing;
                    tracing::info!(attempt, resend, "the vendor says the token expired: a new one is fetched");
                    if resend {
                        attempt -= 1;
                        continue;
                    }
                }
            }
            let result = match result {
                Err(Error::Transport { message, timed_out, may_have_been_processed, .. }) => {
                    Err(Error::Transport { message, timed_out, may_have_been_processed, attempts: attempt })
                }
                other => other,
            };
            match result {
                Err(e) if entry.safe_to_retry && attempt < self.config.retry.max_attempts && e.retryable() => {
                    let wait = self.config.retry.backoff(attempt);
                    tracing::info!(
                        attempt,
                        retry_in_ms = wait.as_millis() as u64,
                        reason = e.kind(),
                        "retrying a safe operation"
                    );
                    tokio::time::sleep(wait).await;
                }
                Err(e) if e.retryable() => {
                    tracing::info!(
                        attempt,
                        reason = e.kind(),
                        "not retried: the operation is not safe to send twice, or no attempts are left"
                    );
                    return Err(e);
                }
                Ok(mut reply) => {
                    reply.attempts = attempt;
                    return Ok(reply);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The body validated against the spec, with encrypted fields sealed.
    fn checked_body(&self, entry: &OperationEntry, mut body: Value) -> Result<Value, Error> {
        let schema = self.vendor.schema;
        let op = schema.operation(entry.name).ok_or_else(|| Error::Config(format!("{} has no schema", entry.name)))?;
        Violations::into_result(schema.check(op.request, &body, Direction::Request)).map_err(Error::Invalid)?;
        if schema.has_encrypted(op.request) {
            let key = self.config.credentials.encryption_key(self.vendor.credentials).ok_or_else(|| {
                let env = self.vendor.credentials.iter().find(|c| c.encryption).map_or("", |c| c.env);
                Error::Config(format!("{} encrypts fields: set the encryption key ({env})", entry.name))
            })?;
            schema.map_encrypted(op.request, &mut body, &mut |v: &mut Value| {
                if v.is_string() {
                    return Ok(()); // sealed already
                }
                let text = serde_json::to_string(v).map_err(|e| Error::Config(e.to_string()))?;
                let sealed = super::crypto::aes_cbc_encrypt(key.as_bytes(), text.as_bytes())
                    .map_err(|e| Error::Config(format!("encryption key: {e}")))?;
                *v = Value::String(sealed);
                Ok(())
            })?;
        }
        Ok(body)
    }

    /// The session or bearer token: cached, or fetched once for every caller waiting.
    async fn token(&self) -> Result<Secret<String>, Error> {
        let auth = &self.vendor.auth;
        if let Some(session) = auth.session {
            return self.tokens.get(|| self.login(session)).await;
        }
        if let Some(oauth2) = auth.oauth2 {
            let url = self.token_url.clone().unwrap_or_else(|| oauth2.default_token_url());
            return self.tokens.get(|| self.fetch_oauth2(oauth2, url)).await;
        }
        Err(Error::Config(format!("{} uses no tokens", self.vendor.name)))
    }

    /// Logs in with the session recipe's login operation.
    async fn login(&self, session: auth::session::Session) -> Result<(Secret<String>, Duration), Error> {
        let entry = self
            .vendor
            .operation(session.login)
            .ok_or_else(|| Error::Config(format!("the login operation {} is not in the spec", session.login)))?;
        let body = session.login_body(&self.config.credentials).map_err(|e| Error::Auth(e.0))?;
        let body = self.checked_body(entry, body).map_err(|e| Error::Auth(format!("login request: {e}")))?;
        let path = super::path::render_values(entry.path, &[]);
        let reply = self.send_once(entry, &path, &body, None).await.map_err(|e| match e {
            Error::Api(e) => Error::Auth(format!("login refused: {e}")),
            other => other,
        })?;
        let token = session
            .token_in(&reply.envelope)
            .ok_or_else(|| Error::Auth(format!("the login response has no token at {}", session.token_at)))?;
        Ok((Secret::new(token), Duration::from_secs(session.lifetime_secs)))
    }

    /// Fetches a bearer token from the OAuth2 token endpoint.
    async fn fetch_oauth2(
        &self,
        oauth2: auth::oauth2::OAuth2,
        url: String,
    ) -> Result<(Secret<String>, Duration), Error> {
        let params = oauth2.parameters(&self.config.credentials).map_err(|e| Error::Auth(e.0))?;
        let timeout = self.config.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let request = self.http.post(&url).header(reqwest::header::ACCEPT, "application/json").timeout(timeout);
        let request = match oauth2.body {
            auth::oauth2::TokenBody::Form => request.form(&params),
            auth::oauth2::TokenBody::Json => {
                let map: Map<String, Value> =
                    params.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
                request.json(&map)
            }
        };
        let started = std::time::Instant::now();
        let failed = |e: reqwest::Error| {
            let why = if e.is_timeout() {
                format!("timed out after {} s", timeout.as_secs_f64())
            } else {
                chain(&e.without_url())
            };
            Error::Auth(format!("token request POST {}: {why}", host_and_path(&url)))
        };
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let body = read_capped(response, self.config.max_body).await.map_err(|e| match e {
            Capped::Transport(e) => failed(e),
            Capped::TooLarge => {
                Error::Auth(format!("the token response is larger than {} bytes", self.config.max_body))
            }
        })?;
        let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        if !status.is_success() {
            let reason = match (
                parsed.get("error").and_then(Value::as_str),
                parsed.get("error_description").and_then(Value::as_str),
            ) {
                (Some(e), Some(d)) => format!("{e}: {d}"),
                (Some(e), None) => e.to_owned(),
                _ => "no OAuth error in the body".to_owned(),
            };
            return Err(Error::Auth(format!("the token endpoint refused the credentials (HTTP {status}): {reason}")));
        }
        let token = parsed
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::Auth("the token response has no access_token".to_owned()))?;
        let expires_in = match parsed.get("expires_in") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let lifetime = Duration::from_secs(expires_in.unwrap_or(oauth2.lifetime_secs));
        // The lifetime counts from when the request left.
        let lifetime = lifetime.saturating_sub(started.elapsed());
        Ok((Secret::new(token.to_owned()), lifetime))
    }

    /// The whole wire body: envelope fields, operation name, body.
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
        Value::Object(wire)
    }

    async fn send_once(
        &self,
        entry: &OperationEntry,
        path: &str,
        body: &Value,
        token: Option<&Secret<String>>,
    ) -> Result<Reply, Error> {
        let mut out = Outgoing {
            method: entry.method.to_owned(),
            path: path.to_owned(),
            body: (!entry.empty_request).then(|| self.envelope(entry, body)),
            ..Outgoing::default()
        };
        let now_ms = auth::now_ms();
        for h in self.vendor.headers {
            match h.value {
                HeaderValue::Generated(g) => {
                    let value = match g {
                        Generated::Uuid => uuid::Uuid::new_v4().to_string(),
                        Generated::Timestamp => (now_ms / 1000).to_string(),
                        Generated::TimestampMillis => now_ms.to_string(),
                    };
                    out.headers.push((h.name.to_owned(), value));
                }
                HeaderValue::PerCall(field) => {
                    if let Some(v) = self.call_headers.get(field) {
                        out.headers.push((h.name.to_owned(), v.clone()));
                    }
                }
                HeaderValue::Fixed(_) | HeaderValue::Credential(_) => {}
            }
        }
        let cx = Context { credentials: &self.config.credentials, now_ms, token: token.map(|t| t.expose().as_str()) };
        self.vendor.auth.apply(&mut out, &cx, token.is_some()).map_err(|e| Error::Auth(e.0))?;
        let method = reqwest::Method::from_bytes(out.method.as_bytes()).map_err(|e| Error::Config(e.to_string()))?;
        let mut url = reqwest::Url::parse(&format!("{}{}", self.base_url, out.path))
            .map_err(|e| Error::Config(format!("URL for {}: {e}", entry.name)))?;
        if !out.query.is_empty() {
            url.query_pairs_mut().extend_pairs(out.query.iter());
        }
        let what = format!("{} {}", entry.method, host_and_path(url.as_str()));
        let timeout = self.config.timeout.or(entry.timeout_secs.map(Duration::from_secs)).unwrap_or(DEFAULT_TIMEOUT);
        let mut request = self.http.request(method, url).timeout(timeout).headers(self.headers.clone());
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &out.headers {
            insert_header(&mut headers, name, value)?;
        }
        request = request.headers(headers);
        let bytes = match (out.body_bytes.take(), &out.body) {
            (Some(bytes), _) => Some(bytes),
            (None, Some(v)) => Some(serde_json::to_vec(v).map_err(|e| Error::Config(e.to_string()))?),
            (None, None) => None,
        };
        if let Some(bytes) = bytes {
            request = request.body(bytes);
        }
        let response = request.send().await.map_err(|e| transport(&what, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = header_text(&headers, "content-type");
        let raw = read_capped(response, self.config.max_body).await.map_err(|e| match e {
            Capped::Transport(e) => transport(&what, e),
            Capped::TooLarge => Error::TooLarge { what: what.clone(), limit: self.config.max_body },
        })?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let envelope: Value = if raw.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice(&raw) {
                Ok(v) => v,
                Err(_) if !status.is_success() => return Err(Error::Status { status: status.as_u16(), body: text }),
                Err(e) => {
                    return Err(Error::Decode {
                        path: "$".into(),
                        message: format!("not JSON: {e}"),
                        body: text,
                        status: status.as_u16(),
                        content_type,
                    })
                }
            }
        };
        if let Some(error) = self.vendor.error_in(&envelope, status.as_u16()) {
            return Err(Error::Api(Box::new(error)));
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
        Ok(Reply { body, envelope, attempts: 1, headers, status: status.as_u16() })
    }
}

fn check_url(what: &str, url: &str) -> Result<(), Error> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config(format!("{what} {url:?}: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!("{what} {url:?} is not http(s)")));
    }
    Ok(())
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

fn transport(what: &str, e: reqwest::Error) -> Error {
    let (timed_out, connect) = (e.is_timeout(), e.is_connect());
    let why = if timed_out { format!("timed out: {}", chain(&e.without_url())) } else { chain(&e.without_url()) };
    Error::Transport { message: format!("{what}: {why}"), timed_out, attempts: 1, may_have_been_processed: !connect }
}

/// `host:port/path` of a URL, for messages (no query: it may carry a key).
fn host_and_path(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => format!(
            "{}{}{}",
            u.host_str().unwrap_or(""),
            u.port().map(|p| format!(":{p}")).unwrap_or_default(),
            u.path()
        ),
        Err(_) => url.split('?').next().unwrap_or(url).to_owned(),
    }
}

enum Capped {
    Transport(reqwest::Error),
    TooLarge,
}

/// The (decoded) body, refused as soon as it grows past `limit` bytes.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, Capped> {
    if response.content_length().is_some_and(|n| n > limit as u64)
        && response.headers().get("content-encoding").is_none()
    {
        return Err(Capped::TooLarge);
    }
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Capped::Transport)? {
        if out.len() + chunk.len() > limit {
            return Err(Capped::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
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
        status: 200,
        content_type: None,
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
