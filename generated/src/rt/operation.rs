//! What generated code tells the runtime about each vendor and operation.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::errors::{ErrorEntry, ErrorTable};
use super::schema::{Direction, Schema, TypeId};
use super::violation::{json_path_from_serde, Violation, Violations};

/// A generated type that the vendor schema can check.
pub trait Validate: Serialize {
    /// The vendor schema.
    fn schema() -> &'static Schema;
    /// The type's index in the schema.
    const TYPE: TypeId;

    /// Every rule this value breaks, each with its JSON path; `Ok(())` when there is none.
    ///
    /// The client runs this before it sends anything.
    fn validate(&self) -> Result<(), Violations> {
        let value = to_value(self)?;
        Violations::into_result(Self::schema().check(Self::TYPE, &value, Direction::Request))
    }

    /// [`Validate::validate`] plus the rules that apply in `profile` (Travelport's content
    /// source: `ContentSource::Ndc` demands a card with its CVV).
    fn validate_in<P: Profile>(&self, profile: P) -> Result<(), Violations> {
        let value = to_value(self)?;
        let schema = Self::schema();
        let mut violations = schema.check(Self::TYPE, &value, Direction::Request);
        violations.extend(schema.check_profile(Self::TYPE, &value, profile.name()));
        Violations::into_result(violations)
    }
}

/// A context a request can be checked in (generated from the spec's `profiles`).
pub trait Profile: Copy {
    /// The profile's spec name (`NDC`).
    fn name(self) -> &'static str;
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Violations> {
    serde_json::to_value(value).map_err(|e| {
        Violations(vec![Violation { path: "$".to_owned(), message: format!("cannot be serialized: {e}") }])
    })
}

impl Validate for super::RawObject {
    fn schema() -> &'static Schema {
        static RAW: Schema = Schema {
            vendor: std::borrow::Cow::Borrowed(""),
            types: std::borrow::Cow::Borrowed(&[super::schema::TypeDef {
                name: std::borrow::Cow::Borrowed("any"),
                kind: super::schema::Kind::Any,
            }]),
            patterns: std::borrow::Cow::Borrowed(&[]),
            operations: std::borrow::Cow::Borrowed(&[]),
            profile_rules: std::borrow::Cow::Borrowed(&[]),
            request_envelope: super::schema::Envelope {
                fields: std::borrow::Cow::Borrowed(&[]),
                body: super::schema::BodyPlacement::Flatten,
                operation_field: None,
            },
            response_envelope: super::schema::Envelope {
                fields: std::borrow::Cow::Borrowed(&[]),
                body: super::schema::BodyPlacement::Flatten,
                operation_field: None,
            },
        };
        &RAW
    }
    const TYPE: TypeId = 0;
}

/// One operation, as generated from its spec file.
pub trait Operation {
    /// The wire name (`refundRequest`).
    const NAME: &'static str;
    /// The HTTP method.
    const METHOD: &'static str;
    /// The path below the base URL (may hold `{name}` parameters).
    const PATH: &'static str;
    /// The values of the path's `{name}` parameters (`()` when there are none).
    type PathParams: super::path::PathParams;
    /// Whether the client may send it again after a failure (reads are, payments never are).
    const SAFE_TO_RETRY: bool;
    /// The vendor's documentation page.
    const DOC_URL: &'static str;
    /// The request body (a push's payload for inbound operations).
    type Request: Serialize + DeserializeOwned;
    /// The response body.
    type Response: Serialize + DeserializeOwned;

    /// The path with its parameters filled in and percent-encoded.
    fn path(params: &Self::PathParams) -> String {
        super::path::render(Self::PATH, params)
    }
}

/// How a vendor says that a response carries an error instead of data.
#[derive(Debug, Clone, Copy)]
pub struct ApiErrorRule {
    /// Where a list of errors sits (`["*", "Result", "Error"]`, `*` matching any one key);
    /// `None`: the code is an envelope field.
    pub list_at: Option<&'static [&'static str]>,
    /// The envelope field (or list item field) with the status code.
    pub code_field: &'static str,
    /// The code values that mean success.
    pub success: &'static [&'static str],
    /// The envelope field with the message.
    pub message_field: Option<&'static str>,
    /// The envelope field with a trace id.
    pub trace_field: Option<&'static str>,
}

/// An error that a vendor reported in a response envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The vendor's code, as text.
    pub code: String,
    /// The vendor's message.
    pub message: Option<String>,
    /// The vendor's trace id.
    pub trace_id: Option<String>,
    /// What the vendor's error tables say about the code, if it is listed.
    pub entry: Option<&'static ErrorEntry>,
    /// The other errors of the same response, when the vendor lists several.
    pub others: Vec<ErrorItem>,
}

/// One more error of a response that lists several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorItem {
    /// The vendor's code, as text.
    pub code: String,
    /// The vendor's message.
    pub message: Option<String>,
}

impl ApiError {
    /// What the vendor's error tables advise for this code (`None` when the code is not listed).
    pub fn advice(&self) -> Option<super::errors::Advice> {
        self.entry.map(|e| e.advice)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}", self.code)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(t) = &self.trace_id {
            write!(f, " (traceId {t})")?;
        }
        if let Some(e) = self.entry {
            write!(f, " [{}]", e.meaning)?;
        }
        for other in &self.others {
            write!(f, "; also code {}", other.code)?;
            if let Some(m) = &other.message {
                write!(f, ": {m}")?;
            }
        }
        Ok(())
    }
}

impl ApiErrorRule {
    /// The error carried by a response envelope, or `None` when it reports success.
    pub fn error_in(&self, envelope: &Value, tables: &'static [ErrorTable]) -> Option<ApiError> {
        fn text(object: &Value, field: &str) -> Option<String> {
            match object.get(field)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            }
        }
        let Some(list_at) = self.list_at else {
            let code = text(envelope, self.code_field)?;
            if self.success.contains(&code.as_str()) {
                return None;
            }
            return Some(ApiError {
                entry: super::errors::lookup(tables, &code),
                message: self.message_field.and_then(|f| text(envelope, f)),
                trace_id: self.trace_field.and_then(|f| text(envelope, f)),
                code,
                others: Vec::new(),
            });
        };
        let items = errors_at(envelope, list_at)?;
        let mut items = items.iter().filter(|item| !item.is_null()).map(|item| ErrorItem {
            code: text(item, self.code_field).unwrap_or_else(|| "unknown".to_owned()),
            message: self.message_field.and_then(|f| text(item, f)),
        });
        let first = items.next()?;
        if self.success.contains(&first.code.as_str()) {
            return None;
        }
        Some(ApiError {
            entry: super::errors::lookup(tables, &first.code),
            trace_id: self.trace_field.and_then(|f| text(envelope, f)),
            code: first.code,
            message: first.message,
            others: items.collect(),
        })
    }
}

/// The error list at `path` (`*` matching the only key, or any key holding the list).
fn errors_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Vec<Value>> {
    let Some((first, rest)) = path.split_first() else {
        return value.as_array().filter(|a| !a.is_empty());
    };
    match (*first, value) {
        ("*", Value::Object(map)) => map.values().find_map(|v| errors_at(v, rest)),
        (key, Value::Object(map)) => errors_at(map.get(key)?, rest),
        _ => None,
    }
}

/// Decodes a JSON value into `T` and encodes it again: what the typed layer makes of a body.
pub fn roundtrip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, Violation> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|e| Violation {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })?;
    serde_json::to_value(&typed).map_err(|e| Violation { path: "$".to_owned(), message: e.to_string() })
}

/// One operation in a vendor's table, for tools that pick operations by name.
#[derive(Debug, Clone, Copy)]
pub struct OperationEntry {
    /// The wire name.
    pub name: &'static str,
    /// The one-line summary from the spec.
    pub summary: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path below the base URL (may hold `{name}` parameters).
    pub path: &'static str,
    /// Whether the client may send it again after a failure.
    pub safe_to_retry: bool,
    /// The docs name it without describing its fields: bodies are raw JSON.
    pub undocumented: bool,
    /// The vendor calls the partner (a push); the client never sends it.
    pub inbound: bool,
    /// The request has no body on the wire (a DELETE).
    pub empty_request: bool,
    /// The response has no body on the wire (204 No Content).
    pub empty_response: bool,
    /// The spec's examples, as JSON text.
    pub examples: &'static [Example],
    /// Decodes and re-encodes a whole request wire body (envelope included) with the generated types.
    pub request: fn(&Value) -> Result<Value, Violation>,
    /// Decodes and re-encodes a whole response wire body (envelope included) with the generated types.
    pub response: fn(&Value) -> Result<Value, Violation>,
}

/// One example exchange from the spec, as JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The example's name.
    pub name: &'static str,
    /// The whole request wire body.
    pub request: Option<&'static str>,
    /// The whole response wire body.
    pub response: Option<&'static str>,
}

/// A credential a client needs, and where the command line reads it from.
#[derive(Debug, Clone, Copy)]
pub struct CredentialSpec {
    /// `key`, `secret` or `encryption_key`.
    pub name: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// What the vendor calls it.
    pub description: &'static str,
    /// The docs' sample value, which the mock server accepts unless told otherwise.
    pub sample: Option<&'static str>,
    /// When the docs publish no sample: what the mock server accepts by default (a client
    /// never falls back to it).
    pub mock: Option<&'static str>,
}

/// What the mock server answers, in the vendor's envelope, when it refuses a request.
#[derive(Debug, Clone, Copy)]
pub struct MockRefusals {
    /// A missing or wrong key, or a wrong signature.
    pub unauthorized: MockRefusal,
    /// A timestamp too far from the server's clock.
    pub stale_timestamp: MockRefusal,
    /// A body that does not validate against the spec.
    pub invalid_request: MockRefusal,
    /// A path or operation the vendor does not have.
    pub unknown_operation: MockRefusal,
}

/// One refusal: the vendor-style code and message, and the HTTP status it comes with.
#[derive(Debug, Clone, Copy)]
pub struct MockRefusal {
    /// The code.
    pub code: &'static str,
    /// The message (the mock appends the details).
    pub message: &'static str,
    /// The HTTP status.
    pub status: u16,
}

/// A vendor, as generated from its spec folder.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// The spec name (`fr24`).
    pub name: &'static str,
    /// The default base URL (the test host).
    pub base_url: &'static str,
    /// How requests are authenticated.
    pub auth: AuthScheme,
    /// The scheme's parameters from the spec (`auth_field`, `key_header`, ...).
    pub auth_params: &'static [(&'static str, &'static str)],
    /// Headers with fixed values: `(name, value)`.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers carrying a credential: `(header name, credential name)`.
    pub credential_headers: &'static [(&'static str, &'static str)],
    /// The credentials a client needs.
    pub credentials: &'static [CredentialSpec],
    /// The environment variable that overrides the base URL.
    pub base_url_env: Option<&'static str>,
    /// The mock server's refusals.
    pub mock: Option<MockRefusals>,
    /// The wire schema.
    pub schema: &'static Schema,
    /// The operations, sorted by wire name.
    pub operations: &'static [OperationEntry],
    /// How a response says it failed.
    pub api_error: Option<ApiErrorRule>,
    /// The vendor's error tables: what a code means.
    pub error_tables: &'static [ErrorTable],
    /// The names of the spec's profiles (`NDC`, `GDS`), for `validate_in`.
    pub profiles: &'static [&'static str],
}

impl Vendor {
    /// The operation with this wire name.
    pub fn operation(&self, name: &str) -> Option<&'static OperationEntry> {
        self.operations.iter().find(|op| op.name == name)
    }

    /// An authentication parameter from the spec.
    pub fn auth_param(&self, name: &str) -> Option<&'static str> {
        self.auth_params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    /// The spec of credential `name`.
    pub fn credential(&self, name: &str) -> Option<&'static CredentialSpec> {
        self.credentials.iter().find(|c| c.name == name)
    }
}

/// How a vendor authenticates requests; the client implements each scheme once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `sign` = lowercase hex SHA-512 of key + secret + timestamp, sent in the body (FR24).
    Sha512Sign,
    /// `signature` = base64 AES-256-CBC of `key&timestamp`, sent in the envelope (AeroHub).
    AesSignature,
    /// OAuth2 bearer token from a token endpoint (Travelport).
    Oauth2Password,
    /// No authentication.
    None,
}
