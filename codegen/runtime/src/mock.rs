//! In-process mock servers of every vendor (feature `mock`), driven by the spec alone.
//!
//! A mock verifies every authentication recipe of the spec through the same code the client
//! signs with (signatures with their timestamps, API keys, credential headers, session and
//! bearer tokens it issued itself from the login operation or token endpoint), opens
//! encrypted fields with the encryption key, validates the request against the spec, and
//! answers in the vendor's envelope: the spec's example response on success, and on refusal
//! the `mock` section's codes written where the spec's `errors` rule reads them. Responses are
//! gzipped when the client accepts gzip. Tests can count calls per operation and script the
//! next answers (delays, error codes, HTTP statuses) to exercise timeouts and retries.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::auth::{self, Incoming, Refusal, Verifier};
use super::credentials::CredentialSet;
use super::errors::Success;
use super::operation::{HeaderValue as HeaderSource, MockRefusal, MockRefusals, OperationEntry, Vendor};
use super::schema::{BodyPlacement, Direction, Kind, Reached};

/// A scripted answer for the next call of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scripted {
    /// Wait this long, then answer normally (a client timeout shorter than this fails).
    Delay(Duration),
    /// Answer with this vendor error code and message.
    ApiError {
        /// The code.
        code: String,
        /// The message.
        message: String,
    },
    /// Answer with this HTTP status and an empty body.
    Status(u16),
    /// Answer 200 with this body (vendor drift, malformed answers).
    Reply(Value),
}

/// The last request the mock received for an operation, as it arrived (tests inspect the
/// wire: headers, the encoded path, the body).
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The path as sent, percent-encoding included.
    pub path: String,
    /// The headers, names in lower case.
    pub headers: BTreeMap<String, String>,
    /// The body as JSON (`Null` when there was none or it is not JSON).
    pub body: Value,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// How a mock server is set up.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Where to listen (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// The credentials it accepts.
    pub credentials: CredentialSet,
    /// The largest accepted distance between a request's timestamp and the clock, in seconds.
    pub max_skew_secs: u64,
    /// Session and OAuth2 vendors: how long the tokens it issues live.
    pub token_lifetime: Duration,
}

impl MockOptions {
    /// Loopback, a free port, the docs' sample credentials, five minutes of clock skew,
    /// tokens that live as long as the spec says.
    pub fn new(vendor: &Vendor) -> Self {
        let lifetime = vendor
            .auth
            .session
            .map(|s| s.lifetime_secs)
            .or(vendor.auth.oauth2.map(|o| o.lifetime_secs))
            .unwrap_or(3600);
        MockOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: CredentialSet::samples(vendor.credentials),
            max_skew_secs: 300,
            token_lifetime: Duration::from_secs(lifetime),
        }
    }
}

struct State {
    vendor: &'static Vendor,
    credentials: CredentialSet,
    max_skew_secs: u64,
    hits: Mutex<BTreeMap<String, usize>>,
    last: Mutex<BTreeMap<String, Received>>,
    script: Mutex<BTreeMap<String, VecDeque<Scripted>>>,
    traces: AtomicU64,
    token_lifetime: Duration,
    /// Issued bearer tokens and when each expires.
    tokens: Mutex<BTreeMap<String, std::time::Instant>>,
    token_requests: AtomicU64,
}

/// A running mock server; it stops when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").field("vendor", &self.vendor.name).finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a mock of `vendor` on a free loopback port with the docs' sample credentials.
    pub async fn spawn(vendor: &'static Vendor) -> std::io::Result<Self> {
        Self::start(vendor, MockOptions::new(vendor)).await
    }

    /// Starts a mock of `vendor`.
    pub async fn start(vendor: &'static Vendor, options: MockOptions) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(options.addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            vendor,
            credentials: options.credentials,
            max_skew_secs: options.max_skew_secs,
            hits: Mutex::new(BTreeMap::new()),
            last: Mutex::new(BTreeMap::new()),
            script: Mutex::new(BTreeMap::new()),
            traces: AtomicU64::new(0),
            token_lifetime: options.token_lifetime,
            tokens: Mutex::new(BTreeMap::new()),
            token_requests: AtomicU64::new(0),
        });
        let handler_state = state.clone();
        let app = axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let state = handler_state.clone();
            async move {
                let mut response = handle(&state, method, uri, headers, body).await;
                response_headers(&state, response.headers_mut());
                response
            }
        });
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(MockServer { addr, state, shutdown: Some(tx), task: Some(task) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests for `operation` arrived (refused ones included).
    pub fn hits(&self, operation: &str) -> usize {
        self.state.hits.lock().map(|h| h.get(operation).copied().unwrap_or(0)).unwrap_or(0)
    }

    /// The last request that arrived for `operation` (only the last one is kept).
    pub fn last_request(&self, operation: &str) -> Option<Received> {
        self.state.last.lock().ok().and_then(|l| l.get(operation).cloned())
    }

    /// Forgets every token issued so far (session and OAuth2 vendors): the next call with one
    /// is refused as expired, as after a revocation or a session timeout on the vendor's side.
    pub fn revoke_tokens(&self) {
        if let Ok(mut tokens) = self.state.tokens.lock() {
            tokens.clear();
        }
    }

    /// How many token requests or logins arrived (session and OAuth2 vendors), refused ones included.
    pub fn token_requests(&self) -> u64 {
        self.state.token_requests.load(Ordering::Relaxed)
    }

    /// The token endpoint it serves (OAuth2 vendors): `http://ADDR/<path of the spec's token URL>`.
    pub fn token_url(&self) -> String {
        let url = self.state.vendor.auth.oauth2.map_or("/oauth/token", |o| o.token_url);
        format!("http://{}{}", self.addr, token_path(url))
    }

    /// Queues an answer for the next call of `operation`.
    pub fn script(&self, operation: &str, answer: Scripted) {
        if let Ok(mut s) = self.state.script.lock() {
            s.entry(operation.to_owned()).or_default().push_back(answer);
        }
    }

    /// Serves until the process ends (the command line's `flightapi mock`).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn handle(state: &State, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let vendor = state.vendor;
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    if let Some(oauth2) = &vendor.auth.oauth2 {
        if method == Method::POST && uri.path() == token_path(oauth2.token_url) {
            return issue_oauth2_token(state, oauth2, &headers, &body);
        }
    }
    let parsed: Result<Value, _> = serde_json::from_slice(&body);
    let Some(entry) = find_operation(vendor, &method, uri.path(), parsed.as_ref().ok()) else {
        let r = refusal(vendor, |m| Some(m.unknown_operation), 404);
        let detail = format!("{}: {} {}", r.message, method, uri.path());
        return reply(status_of(r.status), error_body(state, None, r.code, &detail), gzip);
    };
    if let Ok(mut hits) = state.hits.lock() {
        *hits.entry(entry.name.to_owned()).or_default() += 1;
    }
    if let Ok(mut last) = state.last.lock() {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = parsed.as_ref().ok().cloned().unwrap_or(Value::Null);
        last.insert(entry.name.to_owned(), Received { path: uri.path().to_owned(), headers, body });
    }
    let scripted = state.script.lock().ok().and_then(|mut s| s.get_mut(entry.name).and_then(VecDeque::pop_front));
    match scripted {
        Some(Scripted::Delay(d)) => tokio::time::sleep(d).await,
        Some(Scripted::ApiError { code, message }) => {
            let status = error_status(vendor, &code);
            return reply(status_of(status), error_body(state, Some(entry), &code, &message), gzip);
        }
        Some(Scripted::Reply(body)) => return reply(StatusCode::OK, body, gzip),
        Some(Scripted::Status(status)) => {
            return StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
        None => {}
    }
    let refuse = |r: MockRefusal, detail: &str| {
        reply(status_of(r.status), error_body(state, Some(entry), r.code, &format!("{}: {detail}", r.message)), gzip)
    };
    let invalid = |detail: String| refuse(refusal(vendor, |m| Some(m.invalid_request), 200), &detail);
    let lookup = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let value = match &parsed {
        Ok(v) => v.clone(),
        Err(_) if empty => Value::Null,
        Err(_) => Value::Null,
    };
    let query: Vec<(String, String)> = uri
        .query()
        .map(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).unwrap_or_default())
        .unwrap_or_default();
    let incoming = Incoming {
        method: method.as_str(),
        path: uri.path(),
        query: &query,
        header: &lookup,
        body: &value,
        body_bytes: &body,
    };
    let token_check = |token: &str| check_token(state, token);
    let verifier = Verifier {
        credentials: &state.credentials,
        now_ms: auth::now_ms(),
        max_skew_secs: Some(state.max_skew_secs),
        token: &token_check,
    };
    let login = vendor.auth.session.filter(|s| s.login == entry.name);
    if let Err(refused) = verify_headers(vendor, &state.credentials, &lookup)
        .and_then(|()| vendor.auth.verify(&incoming, &verifier, login.is_none()))
    {
        let r = match &refused {
            Refusal::Unauthorized(_) => refusal(vendor, |m| Some(m.unauthorized), 200),
            Refusal::Stale(_) => refusal(vendor, |m| Some(m.stale_timestamp), 200),
            Refusal::Token(_) => expired_refusal(vendor),
        };
        let detail = match &refused {
            Refusal::Unauthorized(d) | Refusal::Stale(d) | Refusal::Token(d) => d,
        };
        return refuse(r, detail);
    }
    let mut wire = match parsed {
        Ok(v) => v,
        Err(_) if entry.empty_request && empty => Value::Object(Map::new()),
        Err(e) => return invalid(format!("the body is not JSON ({e})")),
    };
    if let Err(detail) = open_encrypted(state, entry, &mut wire) {
        return invalid(detail);
    }
    match vendor.schema.check_wire(entry.name, &wire, Direction::Request) {
        Ok(v) if v.is_empty() => {}
        Ok(violations) => {
            let shown: Vec<String> = violations.iter().take(5).map(ToString::to_string).collect();
            return invalid(shown.join("; "));
        }
        Err(e) => return invalid(e.to_string()),
    }
    if let Some(session) = login {
        return match check_login(state, &session, &wire) {
            Ok(()) => {
                let token = new_token(state);
                let mut answer = success(state, entry);
                if crate::jsonpath::set(&mut answer, session.token_at, Value::String(token), "").is_err() {
                    return invalid("the spec's token path does not parse".to_owned());
                }
                reply(StatusCode::OK, answer, gzip)
            }
            Err(detail) => refuse(refusal(vendor, |m| Some(m.unauthorized), 200), detail),
        };
    }
    if entry.empty_response {
        return StatusCode::NO_CONTENT.into_response();
    }
    reply(StatusCode::OK, success(state, entry), gzip)
}

/// The response headers the spec names, each with a fresh value (`mock-<vendor>-<n>`).
fn response_headers(state: &State, headers: &mut HeaderMap) {
    for h in state.vendor.response_headers {
        let n = state.traces.fetch_add(1, Ordering::Relaxed) + 1;
        if let (Ok(name), Ok(value)) = (
            header::HeaderName::from_bytes(h.name.as_bytes()),
            HeaderValue::from_str(&format!("mock-{}-{n}", state.vendor.name)),
        ) {
            headers.insert(name, value);
        }
    }
}

/// Checks the headers that carry a credential.
fn verify_headers(
    vendor: &Vendor,
    credentials: &CredentialSet,
    header: &dyn Fn(&str) -> Option<String>,
) -> Result<(), Refusal> {
    for h in vendor.headers {
        let HeaderSource::Credential(name) = h.value else { continue };
        let expected = credentials.get(name).unwrap_or_default();
        match header(h.name) {
            None => return Err(Refusal::Unauthorized(format!("the {} header is missing", h.name))),
            Some(v) if !super::crypto::constant_time_eq(&v, expected) => {
                return Err(Refusal::Unauthorized(format!("unknown {}", h.name)))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A login body must carry the credentials the session recipe puts in it.
fn check_login(state: &State, session: &auth::session::Session, wire: &Value) -> Result<(), &'static str> {
    let expected = session.login_body(&state.credentials).map_err(|_| "the mock lacks a login credential")?;
    let body = match &state.vendor.schema.request_envelope.body {
        BodyPlacement::Field { name, .. } => wire.get(name.as_ref()).unwrap_or(&Value::Null),
        BodyPlacement::Flatten => wire,
    };
    for (path, _) in session.body {
        let want = crate::jsonpath::text(&expected, path).unwrap_or_default();
        let got = crate::jsonpath::text(body, path).unwrap_or_default();
        if !super::crypto::constant_time_eq(&got, &want) {
            return Err("wrong login credentials");
        }
    }
    Ok(())
}

fn new_token(state: &State) -> String {
    state.token_requests.fetch_add(1, Ordering::Relaxed);
    let n = state.traces.fetch_add(1, Ordering::Relaxed) + 1;
    let token = format!("mock-{}-{n}-{:016x}", state.vendor.name, fastrand::u64(..));
    if let Ok(mut tokens) = state.tokens.lock() {
        tokens.insert(token.clone(), std::time::Instant::now() + state.token_lifetime);
    }
    token
}

/// The path of the spec's token URL (`/oauth/token`).
fn token_path(url: &str) -> String {
    url.parse::<Uri>().map_or_else(|_| "/oauth/token".to_owned(), |u| u.path().to_owned())
}

/// The token endpoint: checks the grant's parameters (form or JSON) against the credentials.
fn issue_oauth2_token(state: &State, oauth2: &auth::oauth2::OAuth2, headers: &HeaderMap, body: &[u8]) -> Response {
    let refuse = |status: StatusCode, error: &str, description: &str| {
        state.token_requests.fetch_add(1, Ordering::Relaxed);
        let body = serde_json::json!({"error": error, "error_description": description});
        reply(status, body, false)
    };
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let form: Option<BTreeMap<String, String>> = match oauth2.body {
        auth::oauth2::TokenBody::Form if !json => serde_urlencoded::from_bytes(body).ok(),
        auth::oauth2::TokenBody::Json if json => serde_json::from_slice(body).ok(),
        _ => None,
    };
    let Some(form) = form else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", "the body is not what the spec says (form or JSON)");
    };
    let field = |name: &str| form.get(name).cloned();
    if let Err((error, description)) = oauth2.check_parameters(&field, &state.credentials) {
        let status = if error == "invalid_client" { StatusCode::UNAUTHORIZED } else { StatusCode::BAD_REQUEST };
        return refuse(status, error, description);
    }
    let token = new_token(state);
    let body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": state.token_lifetime.as_secs(),
    });
    reply(StatusCode::OK, body, false)
}

/// Whether a session or bearer token was issued here and is still valid.
fn check_token(state: &State, token: &str) -> Result<(), &'static str> {
    let tokens = state.tokens.lock().map_err(|_| "token store unavailable")?;
    match tokens.get(token) {
        None => Err("unknown token"),
        Some(expiry) if std::time::Instant::now() >= *expiry => Err("the token has expired"),
        Some(_) => Ok(()),
    }
}

fn find_operation(
    vendor: &'static Vendor,
    method: &Method,
    path: &str,
    body: Option<&Value>,
) -> Option<&'static OperationEntry> {
    let mut candidates = vendor
        .operations
        .iter()
        .filter(|op| !op.inbound && op.method == method.as_str() && path_matches(op.path, path));
    match &vendor.schema.request_envelope.operation_field {
        Some(field) => {
            let named = body.and_then(|b| b.get(field.as_ref())).and_then(Value::as_str)?;
            candidates.find(|op| op.name == named)
        }
        None => candidates.next(),
    }
}

/// Whether a request path matches a spec path, `{name}` matching one segment.
fn path_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
}

fn refusal(vendor: &Vendor, pick: impl Fn(&MockRefusals) -> Option<MockRefusal>, status: u16) -> MockRefusal {
    vendor.mock.as_ref().and_then(pick).unwrap_or(MockRefusal { code: "error", message: "refused", status })
}

/// The refusal of a missing, unknown or expired token: the spec's `expired_token`, else the
/// token recipe's first expiry code (with its first expiry status), else `unauthorized`.
fn expired_refusal(vendor: &Vendor) -> MockRefusal {
    if let Some(r) = vendor.mock.as_ref().and_then(|m| m.expired_token) {
        return r;
    }
    let unauthorized = refusal(vendor, |m| Some(m.unauthorized), 401);
    match vendor.auth.expiry() {
        Some(e) => MockRefusal {
            code: e.codes.first().copied().unwrap_or(unauthorized.code),
            message: unauthorized.message,
            status: e.statuses.first().copied().unwrap_or(unauthorized.status),
        },
        None => unauthorized,
    }
}

/// The HTTP status a scripted error code comes with: the error table's, else 200.
fn error_status(vendor: &Vendor, code: &str) -> u16 {
    super::errors::lookup(vendor.error_tables, code).and_then(|e| e.status).unwrap_or(200)
}

fn status_of(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Decrypts every encrypted value of the request body with the encryption key.
fn open_encrypted(state: &State, entry: &OperationEntry, wire: &mut Value) -> Result<(), String> {
    let schema = state.vendor.schema;
    let Some(op) = schema.operation(entry.name) else { return Ok(()) };
    if !schema.has_encrypted(op.request) {
        return Ok(());
    }
    let key =
        state.credentials.encryption_key(state.vendor.credentials).ok_or("no encryption key is configured")?.to_owned();
    let body = match &schema.request_envelope.body {
        BodyPlacement::Flatten => Some(wire),
        BodyPlacement::Field { name, .. } => wire.get_mut(name.as_ref()),
    };
    let Some(body) = body else { return Ok(()) };
    schema.map_encrypted(op.request, body, &mut |v: &mut Value| {
        let Value::String(sealed) = v else {
            return Err("an encrypted field was sent in plain text".to_owned());
        };
        let plain = super::crypto::aes_cbc_decrypt(key.as_bytes(), sealed).map_err(|e| e.to_string())?;
        *v = serde_json::from_slice(&plain).map_err(|e| format!("the decrypted value is not JSON ({e})"))?;
        Ok(())
    })
}

/// An error answer in the vendor's declared shape: the response envelope with every
/// required field set to a zero value, then the code, message, trace id and status written
/// where the spec's `errors` rule reads them, the success flag (if any) set to failure, or,
/// for vendors that list errors, the list at its place holding one error.
fn error_body(state: &State, entry: Option<&OperationEntry>, code: &str, message: &str) -> Value {
    let vendor = state.vendor;
    let schema = vendor.schema;
    let mut body = schema.zero_response_envelope();
    let Some(rule) = vendor.errors else { return body };
    let op = entry.and_then(|e| schema.operation(e.name));
    // A value typed as the spec types the field at `path` (numbers stay numbers).
    let typed = |path: &str, text: &str| {
        let numeric = crate::jsonpath::parse(path)
            .ok()
            .and_then(|steps| schema.response_path(op, &steps).ok())
            .is_some_and(|r| match r {
                Reached::Type(t) => matches!(schema.types[t].kind, Kind::Int { .. } | Kind::Number { .. }),
                Reached::Any => false,
            });
        match text.parse::<i64>() {
            Ok(n) if numeric => Value::from(n),
            _ => Value::from(text),
        }
    };
    let put = |body: &mut Value, path: Option<&str>, value: Value| {
        if let Some(path) = path {
            let _ = crate::jsonpath::set(body, path, value, &wrapper_key(state, entry));
        }
    };
    if let Some(list) = rule.list {
        let mut item = Value::Object(Map::new());
        let code_value = code.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(code));
        put(&mut item, rule.code, code_value);
        put(&mut item, rule.message, Value::from(message));
        put(&mut body, Some(list), Value::Array(vec![item]));
    } else {
        put(&mut body, rule.code, rule.code.map_or(Value::Null, |p| typed(p, code)));
        put(&mut body, rule.message, Value::from(message));
    }
    if let Some(trace) = rule.trace {
        let n = state.traces.fetch_add(1, Ordering::Relaxed) + 1;
        put(&mut body, Some(trace), Value::from(format!("mock-{}-{n}", vendor.name)));
    }
    if let Some(status) = rule.status {
        put(&mut body, Some(status), typed(status, "-1"));
    }
    if let Success::Field { path, equals } = rule.success {
        let failure = match serde_json::from_str::<Value>(equals) {
            Ok(Value::Bool(b)) => Value::Bool(!b),
            Ok(Value::Number(n)) if n.as_i64() == Some(0) => Value::from(-1),
            Ok(Value::Number(_)) => Value::from(0),
            _ => Value::from("ERROR"),
        };
        put(&mut body, Some(path), failure);
    }
    body
}

/// The key a `*` of an error path stands for: at the top, the operation response's
/// wrapping field (`FormOfPaymentResponse`), else `ErrorResponse`.
fn wrapper_key(state: &State, entry: Option<&OperationEntry>) -> String {
    let schema = state.vendor.schema;
    let wrapper = entry.and_then(|e| schema.operation(e.name)).and_then(|op| match &schema.types[op.response].kind {
        Kind::Object { fields } if fields.len() == 1 => Some(fields[0].wire.to_string()),
        _ => None,
    });
    wrapper.unwrap_or_else(|| "ErrorResponse".to_owned())
}

/// The spec's first example response that reports success, or an empty success envelope.
fn success(state: &State, entry: &OperationEntry) -> Value {
    let vendor = state.vendor;
    let ok = |v: &Value| vendor.error_in(v, 200).is_none();
    let example = entry
        .examples
        .iter()
        .filter(|e| !e.error)
        .filter_map(|e| e.response)
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .find(|v| ok(v));
    if let Some(v) = example {
        return v;
    }
    let schema = vendor.schema;
    let mut body = schema.zero_response_envelope();
    if let Some(rule) = vendor.errors {
        match rule.success {
            Success::Codes(codes) => {
                if let (Some(path), Some(code)) = (rule.code, codes.first()) {
                    let numeric = matches!(crate::jsonpath::get(&body, path), Some(Value::Number(_)));
                    let value = match code.parse::<i64>() {
                        Ok(n) if numeric => Value::from(n),
                        _ => Value::from(*code),
                    };
                    let _ = crate::jsonpath::set(&mut body, path, value, "");
                }
            }
            Success::Field { path, equals } => {
                let value = serde_json::from_str::<Value>(equals).unwrap_or(Value::from(equals));
                let _ = crate::jsonpath::set(&mut body, path, value, "");
            }
            Success::Http => {}
        }
    }
    if let Some(op) = schema.operation(entry.name) {
        // An undocumented body answers `{}`.
        let value = match schema.zero(op.response) {
            Value::Null => Value::Object(Map::new()),
            v => v,
        };
        match (&schema.response_envelope.body, value) {
            (BodyPlacement::Field { name, .. }, value) => {
                let _ = crate::jsonpath::set(&mut body, name, value, "");
            }
            (BodyPlacement::Flatten, Value::Object(fields)) => {
                if let Value::Object(map) = &mut body {
                    map.extend(fields);
                }
            }
            (BodyPlacement::Flatten, _) => {}
        }
    }
    body
}

fn reply(status: StatusCode, body: Value, gzip: bool) -> Response {
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if gzip {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if encoder.write_all(&bytes).is_ok() {
            if let Ok(compressed) = encoder.finish() {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                return (status, headers, compressed).into_response();
            }
        }
    }
    (status, headers, bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn templates_match_one_segment_per_parameter() {
        assert!(path_matches("/api/new/shopping.do", "/api/new/shopping.do"));
        assert!(path_matches("/w/{id}/fop", "/w/abc%2F1/fop"));
        assert!(!path_matches("/w/{id}/fop", "/w/a/b/fop"));
        assert!(!path_matches("/api/new/shopping.do", "/api/new/pricing.do"));
    }
}
