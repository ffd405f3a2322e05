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
use super::operation::{OperationEntry, Vendor};
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

/// How a mock server is set up.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Where to listen (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// The credentials it accepts.
    pub credentials: Credentials,
    /// The largest accepted distance between a request's timestamp and the clock, in seconds.
    pub max_skew_secs: u64,
}

impl MockOptions {
    /// Loopback, a free port, the docs' sample credentials, five minutes of clock skew.
    pub fn new(vendor: &Vendor) -> Self {
        MockOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::samples(vendor),
            max_skew_secs: 300,
        }
    }
}

struct State {
    vendor: &'static Vendor,
    credentials: Credentials,
    max_skew_secs: u64,
    hits: Mutex<BTreeMap<String, usize>>,
    script: Mutex<BTreeMap<String, VecDeque<Scripted>>>,
    traces: AtomicU64,
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
            script: Mutex::new(BTreeMap::new()),
            traces: AtomicU64::new(0),
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
    let parsed: Result<Value, _> = serde_json::from_slice(&body);
    let Some(entry) = find_operation(vendor, &method, uri.path(), parsed.as_ref().ok()) else {
        let (code, message) = refusal(vendor, |m| m.unknown_operation);
        let detail = format!("{message}: {} {}", method, uri.path());
        return reply(StatusCode::NOT_FOUND, error_envelope(state, code, &detail), gzip);
    };
    if let Ok(mut hits) = state.hits.lock() {
        *hits.entry(entry.name.to_owned()).or_default() += 1;
    }
    let scripted = state.script.lock().ok().and_then(|mut s| s.get_mut(entry.name).and_then(VecDeque::pop_front));
    match scripted {
        Some(Scripted::Delay(d)) => tokio::time::sleep(d).await,
        Some(Scripted::ApiError { code, message }) => {
            return reply(StatusCode::OK, error_envelope(state, &code, &message), gzip);
        }
        Some(Scripted::Reply(body)) => return reply(StatusCode::OK, body, gzip),
        Some(Scripted::Status(status)) => {
            return StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response();
        }
        None => {}
    }
    let invalid = |detail: String| {
        let (code, message) = refusal(vendor, |m| m.invalid_request);
        reply(StatusCode::OK, error_envelope(state, code, &format!("{message}: {detail}")), gzip)
    };
    let mut wire = match parsed {
        Ok(v) => v,
        Err(e) => return invalid(format!("the body is not JSON ({e})")),
    };
    let lookup = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Err(refused) =
        auth::verify(vendor, &state.credentials, &wire, &lookup, auth::unix_now(), state.max_skew_secs)
    {
        let (code, message) = match &refused {
            Refusal::Unauthorized(_) => refusal(vendor, |m| m.unauthorized),
            Refusal::Stale(_) => refusal(vendor, |m| m.stale_timestamp),
        };
        let detail = match &refused {
            Refusal::Unauthorized(d) | Refusal::Stale(d) => d,
        };
        return reply(StatusCode::OK, error_envelope(state, code, &format!("{message}: {detail}")), gzip);
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
    reply(StatusCode::OK, success(state, entry), gzip)
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

fn refusal(
    vendor: &Vendor,
    pick: impl Fn(&super::operation::MockRefusals) -> (&'static str, &'static str),
) -> (&'static str, &'static str) {
    vendor.mock.as_ref().map(pick).unwrap_or(("error", "refused"))
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

/// An envelope with every required field set: zero values, then the code, message and trace.
fn envelope(state: &State, code: &str, message: &str) -> Map<String, Value> {
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

fn error_envelope(state: &State, code: &str, message: &str) -> Value {
    Value::Object(envelope(state, code, message))
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
    let success_code = vendor.api_error.and_then(|r| r.success.first().copied()).unwrap_or("0");
    let mut map = envelope(state, success_code, "success");
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
