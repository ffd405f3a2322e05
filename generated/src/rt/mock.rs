//! In-process mock servers of every vendor (feature `mock`), driven by the spec alone.
//!
//! A mock checks the credential headers and the signature (refusing stale timestamps),
//! opens encrypted fields with the encryption key, validates the request against the spec,
//! and answers in the vendor's envelope: the spec's example response on success, the
//! vendor-style refusal codes from the spec's `mock` section otherwise. Responses are
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

use super::auth::{self, Credentials, Refusal};
use super::operation::{AuthScheme, MockRefusal, MockRefusals, OperationEntry, Vendor};
use super::schema::{BodyPlacement, Direction, Kind};

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
    pub credentials: Credentials,
    /// The largest accepted distance between a request's timestamp and the clock, in seconds.
    pub max_skew_secs: u64,
    /// OAuth2 vendors: how long the tokens it issues live.
    pub token_lifetime: Duration,
}

impl MockOptions {
    /// Loopback, a free port, the docs' sample credentials, five minutes of clock skew.
    pub fn new(vendor: &Vendor) -> Self {
        MockOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::samples(vendor),
            max_skew_secs: 300,
            token_lifetime: Duration::from_secs(86_400),
        }
    }
}

struct State {
    vendor: &'static Vendor,
    credentials: Credentials,
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
            async move { handle(&state, method, uri, headers, body).await }
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

    /// Forgets every token issued so far (OAuth2 vendors): the next call with one gets 401,
    /// as after a revocation on the vendor's side.
    pub fn revoke_tokens(&self) {
        if let Ok(mut tokens) = self.state.tokens.lock() {
            tokens.clear();
        }
    }

    /// How many token requests arrived (OAuth2 vendors), refused ones included.
    pub fn token_requests(&self) -> u64 {
        self.state.token_requests.load(Ordering::Relaxed)
    }

    /// The token endpoint it serves (OAuth2 vendors): `http://ADDR/<path of the spec's token URL>`.
    pub fn token_url(&self) -> String {
        format!("http://{}{}", self.addr, token_path(self.state.vendor))
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
    if vendor.auth == AuthScheme::Oauth2Password && method == Method::POST && uri.path() == token_path(vendor) {
        return issue_token(state, &body);
    }
    let parsed: Result<Value, _> = serde_json::from_slice(&body);
    let Some(entry) = find_operation(vendor, &method, uri.path(), parsed.as_ref().ok()) else {
        let r = refusal(vendor, |m| m.unknown_operation, 404);
        let detail = format!("{}: {} {}", r.message, method, uri.path());
        return reply(status_of(r.status), error_envelope(state, None, r.code, &detail), gzip);
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
            return reply(StatusCode::OK, error_envelope(state, Some(entry), &code, &message), gzip);
        }
        Some(Scripted::Reply(body)) => return reply(StatusCode::OK, body, gzip),
        Some(Scripted::Status(status)) => {
            return StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
        None => {}
    }
    let invalid = |detail: String| {
        let r = refusal(vendor, |m| m.invalid_request, 200);
        reply(
            status_of(r.status),
            error_envelope(state, Some(entry), r.code, &format!("{}: {detail}", r.message)),
            gzip,
        )
    };
    let lookup = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if vendor.auth == AuthScheme::Oauth2Password {
        if let Err(detail) = check_bearer(state, lookup("authorization")) {
            let r = refusal(vendor, |m| m.unauthorized, 401);
            return reply(
                status_of(r.status),
                error_envelope(state, Some(entry), r.code, &format!("{}: {detail}", r.message)),
                gzip,
            );
        }
    }
    let mut wire = match parsed {
        Ok(v) => v,
        Err(_) if entry.empty_request && body.iter().all(u8::is_ascii_whitespace) => Value::Object(Map::new()),
        Err(e) => return invalid(format!("the body is not JSON ({e})")),
    };
    if let Err(refused) =
        auth::verify(vendor, &state.credentials, &wire, &lookup, auth::unix_now(), state.max_skew_secs)
    {
        let r = match &refused {
            Refusal::Unauthorized(_) => refusal(vendor, |m| m.unauthorized, 200),
            Refusal::Stale(_) => refusal(vendor, |m| m.stale_timestamp, 200),
        };
        let detail = match &refused {
            Refusal::Unauthorized(d) | Refusal::Stale(d) => d,
        };
        return reply(
            status_of(r.status),
            error_envelope(state, Some(entry), r.code, &format!("{}: {detail}", r.message)),
            gzip,
        );
    }
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
    if entry.empty_response {
        return StatusCode::NO_CONTENT.into_response();
    }
    reply(StatusCode::OK, success(state, entry), gzip)
}

/// The path of the spec's token URL (`/oauth/token`).
fn token_path(vendor: &Vendor) -> String {
    vendor
        .auth_param("token_url")
        .and_then(|u| u.parse::<Uri>().ok())
        .map_or_else(|| "/oauth/token".to_owned(), |u| u.path().to_owned())
}

/// The token endpoint: checks the password-grant form against the credentials.
fn issue_token(state: &State, body: &[u8]) -> Response {
    state.token_requests.fetch_add(1, Ordering::Relaxed);
    let refuse = |status: StatusCode, error: &str, description: &str| {
        let body = serde_json::json!({"error": error, "error_description": description});
        reply(status, body, false)
    };
    let Ok(form) = serde_urlencoded::from_bytes::<BTreeMap<String, String>>(body) else {
        return refuse(StatusCode::BAD_REQUEST, "invalid_request", "the body is not a form");
    };
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let grant = state.vendor.auth_param("grant_type").unwrap_or("password");
    if field("grant_type") != grant {
        return refuse(StatusCode::BAD_REQUEST, "unsupported_grant_type", "unexpected grant_type");
    }
    let c = &state.credentials;
    let client_ok = super::crypto::constant_time_eq(field("client_id"), &c.client_id)
        && super::crypto::constant_time_eq(field("client_secret"), c.client_secret.expose());
    if !client_ok {
        return refuse(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client or wrong client secret");
    }
    let user_ok = super::crypto::constant_time_eq(field("username"), &c.username)
        && super::crypto::constant_time_eq(field("password"), c.password.expose());
    if !user_ok {
        return refuse(StatusCode::BAD_REQUEST, "invalid_grant", "wrong user name or password");
    }
    let n = state.traces.fetch_add(1, Ordering::Relaxed) + 1;
    let token = format!("mock-{}-{n}-{}", state.vendor.name, fastrand::u64(..));
    if let Ok(mut tokens) = state.tokens.lock() {
        tokens.insert(token.clone(), std::time::Instant::now() + state.token_lifetime);
    }
    let body = serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": state.token_lifetime.as_secs(),
    });
    reply(StatusCode::OK, body, false)
}

/// Checks an `Authorization: Bearer` header against the tokens issued and their expiry.
fn check_bearer(state: &State, header: Option<String>) -> Result<(), &'static str> {
    let header = header.ok_or("the Authorization header is missing")?;
    let token = header.strip_prefix("Bearer ").ok_or("the Authorization header is not a bearer token")?;
    let tokens = state.tokens.lock().map_err(|_| "token store unavailable")?;
    match tokens.get(token.trim()) {
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

fn refusal(vendor: &Vendor, pick: impl Fn(&MockRefusals) -> MockRefusal, status: u16) -> MockRefusal {
    vendor.mock.as_ref().map(pick).unwrap_or(MockRefusal { code: "error", message: "refused", status })
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
    let key = state.credentials.encryption_key.clone().ok_or("no encryption key is configured")?;
    let body = match &schema.request_envelope.body {
        BodyPlacement::Flatten => Some(wire),
        BodyPlacement::Field { name, .. } => wire.get_mut(name.as_ref()),
    };
    let Some(body) = body else { return Ok(()) };
    schema.map_encrypted(op.request, body, &mut |v: &mut Value| {
        let Value::String(sealed) = v else {
            return Err("an encrypted field was sent in plain text".to_owned());
        };
        let plain = super::crypto::aes_cbc_decrypt(key.expose().as_bytes(), sealed).map_err(|e| e.to_string())?;
        *v = serde_json::from_slice(&plain).map_err(|e| format!("the decrypted value is not JSON ({e})"))?;
        Ok(())
    })
}

/// An envelope with every required field set: zero values, then the code, message and trace
/// (for vendors that list errors, the list at its place holding one error).
fn envelope(state: &State, entry: Option<&OperationEntry>, code: &str, message: &str) -> Map<String, Value> {
    let vendor = state.vendor;
    let schema = vendor.schema;
    let mut map = Map::new();
    let typed = |ty: usize, text: &str| match &schema.types[ty].kind {
        Kind::Int { .. } | Kind::Number { .. } => text.parse::<i64>().map(Value::from).unwrap_or(Value::from(text)),
        _ => Value::from(text),
    };
    for f in schema.response_envelope.fields.iter() {
        let zero = match &schema.types[f.ty].kind {
            Kind::Int { .. } | Kind::Number { .. } | Kind::Decimal => Value::from(0),
            Kind::Bool => Value::Bool(false),
            Kind::Object { .. } | Kind::Map { .. } => Value::Object(Map::new()),
            Kind::Array { .. } => Value::Array(Vec::new()),
            _ => Value::from(""),
        };
        if f.required {
            map.insert(f.wire.to_string(), zero);
        }
    }
    if let Some(rule @ super::operation::ApiErrorRule { list_at: Some(path), .. }) = &vendor.api_error {
        if rule.success.contains(&code) || code.is_empty() {
            return map;
        }
        let mut item = Map::new();
        let code_value = code.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(code));
        item.insert(rule.code_field.to_owned(), code_value);
        if let Some(m) = rule.message_field {
            item.insert(m.to_owned(), Value::from(message));
        }
        let mut value = Value::Array(vec![Value::Object(item)]);
        for (i, key) in path.iter().enumerate().rev() {
            let key = if *key == "*" { wrapper_key(state, entry, i) } else { (*key).to_owned() };
            let mut m = Map::new();
            m.insert(key, value);
            value = Value::Object(m);
        }
        if let Value::Object(m) = value {
            map.extend(m);
        }
        return map;
    }
    if let Some(rule) = &vendor.api_error {
        let field = schema.response_envelope.fields.iter().find(|f| f.wire == rule.code_field);
        map.insert(rule.code_field.to_owned(), field.map(|f| typed(f.ty, code)).unwrap_or(Value::from(code)));
        if let Some(m) = rule.message_field {
            map.insert(m.to_owned(), Value::from(message));
        }
        if let Some(t) = rule.trace_field {
            let n = state.traces.fetch_add(1, Ordering::Relaxed) + 1;
            map.insert(t.to_owned(), Value::from(format!("mock-{}-{n}", vendor.name)));
        }
    }
    map
}

fn error_envelope(state: &State, entry: Option<&OperationEntry>, code: &str, message: &str) -> Value {
    Value::Object(envelope(state, entry, code, message))
}

/// The key a `*` of an error list path stands for: at the top, the operation response's
/// wrapping field (Travelport's `FormOfPaymentResponse`), else `ErrorResponse`.
fn wrapper_key(state: &State, entry: Option<&OperationEntry>, depth: usize) -> String {
    let schema = state.vendor.schema;
    let wrapper = entry.filter(|_| depth == 0).and_then(|e| schema.operation(e.name)).and_then(|op| {
        match &schema.types[op.response].kind {
            Kind::Object { fields } if fields.len() == 1 => Some(fields[0].wire.to_string()),
            _ => None,
        }
    });
    wrapper.unwrap_or_else(|| "ErrorResponse".to_owned())
}

/// The spec's first example response that reports success, or an empty success envelope.
fn success(state: &State, entry: &OperationEntry) -> Value {
    let vendor = state.vendor;
    let ok = |v: &Value| vendor.api_error.map_or(true, |rule| rule.error_in(v, &[]).is_none());
    let example = entry
        .examples
        .iter()
        .filter_map(|e| e.response)
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .find(|v| ok(v));
    if let Some(v) = example {
        return v;
    }
    let success_code = vendor.api_error.map_or("0", |r| r.success.first().copied().unwrap_or(""));
    let mut map = envelope(state, Some(entry), success_code, "success");
    if let BodyPlacement::Field { name, .. } = &vendor.schema.response_envelope.body {
        map.insert(name.to_string(), Value::Object(Map::new()));
    }
    Value::Object(map)
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
