//! What generated code tells the runtime about each vendor and operation.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::errors::ErrorTable;
use super::schema::{Direction, Schema, TypeId};
use super::stream::SerializeError;
use super::violation::{json_path_from_serde, Violation, Violations};

/// A generated type that the vendor schema can check.
pub trait Validate: Serialize {
    /// The vendor schema.
    fn schema() -> &'static Schema;
    /// The type's index in the schema.
    const TYPE: TypeId;

    /// Every rule this value breaks, each with its JSON path; `Ok(())` when there is none.
    ///
    /// The client runs this before it sends anything. The value is checked as it serializes
    /// itself ([`Schema::check_constructed`]): no `serde_json::Value` is built, except for
    /// one-of values (see [`crate::stream`]), and what the type proved when it was built is
    /// not checked again.
    fn validate(&self) -> Result<(), Violations> {
        let violations =
            Self::schema().check_constructed(Self::TYPE, self, Direction::Request).map_err(unserializable)?;
        Violations::into_result(violations)
    }

    /// [`Validate::validate`] plus the rules that apply in `profile` (a spec's `profiles`,
    /// such as a content source whose rules differ).
    fn validate_in<P: Profile>(&self, profile: P) -> Result<(), Violations> {
        let schema = Self::schema();
        let mut violations = schema.check_constructed(Self::TYPE, self, Direction::Request).map_err(unserializable)?;
        if !schema.profile_rules.is_empty() {
            // Profile rules are checked on a `Value` (requests are small).
            let value = to_value(self)?;
            violations.extend(schema.check_profile(Self::TYPE, &value, profile.name()));
        }
        Violations::into_result(violations)
    }
}

/// A context a request can be checked in (generated from the spec's `profiles`).
pub trait Profile: Copy {
    /// The profile's spec name (`NDC`).
    fn name(self) -> &'static str;
}

fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Violations> {
    serde_json::to_value(value).map_err(|e| unserializable(SerializeError(e.to_string())))
}

fn unserializable(e: SerializeError) -> Violations {
    Violations(vec![Violation { path: "$".to_owned(), message: format!("cannot be serialized: {e}") }])
}

impl Validate for super::RawObject {
    fn schema() -> &'static Schema {
        static RAW: Schema = Schema {
            vendor: std::borrow::Cow::Borrowed(""),
            types: super::schema::Table::parts(&[&[super::schema::TypeDef {
                name: std::borrow::Cow::Borrowed("any"),
                kind: super::schema::Kind::Any,
            }]]),
            patterns: super::schema::Table::empty(),
            operations: std::borrow::Cow::Borrowed(&[]),
            profile_rules: super::schema::Table::empty(),
            cross_rules: super::schema::Table::empty(),
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

/// Decodes a JSON value into `T` and encodes it again: what the typed layer makes of a body.
pub fn roundtrip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, Violation> {
    let typed: T = serde_path_to_error::deserialize(value).map_err(|e| Violation {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })?;
    serde_json::to_value(&typed).map_err(|e| Violation { path: "$".to_owned(), message: e.to_string() })
}

/// Whether the generated type `T` takes the JSON document `reader` holds: decoded while it is
/// read, then dropped, so nothing but the typed value is held (`flightapi validate` runs it
/// after the streaming check, [`Schema::check_wire_reader`]). The error names the JSON path.
pub fn decodes<T: DeserializeOwned>(reader: &mut dyn std::io::Read) -> Result<(), Violation> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let typed: T = serde_path_to_error::deserialize(&mut de).map_err(|e| Violation {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })?;
    drop(typed);
    de.end().map_err(|e| Violation { path: "$".to_owned(), message: e.to_string() })
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
    /// The longest the vendor documents the operation may take, in seconds.
    pub timeout_secs: Option<u64>,
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
    /// Decodes a whole request wire body from a reader with the generated types, holding no
    /// `Value` ([`decodes`]).
    pub read_request: fn(&mut dyn std::io::Read) -> Result<(), Violation>,
    /// Decodes a whole response wire body from a reader with the generated types, holding no
    /// `Value` ([`decodes`]).
    pub read_response: fn(&mut dyn std::io::Read) -> Result<(), Violation>,
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
    /// The response is one of the vendor's error answers.
    pub error: bool,
    /// The HTTP status the response comes with.
    pub status: u16,
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
    /// A session or bearer token that is missing, unknown or expired (default: the first
    /// expiry code of the token recipe, else `unauthorized`).
    pub expired_token: Option<MockRefusal>,
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
    /// The spec name (the folder under `spec/`).
    pub name: &'static str,
    /// The title.
    pub title: &'static str,
    /// The default base URL (the test host).
    pub base_url: &'static str,
    /// The environment variable that overrides the base URL.
    pub base_url_env: Option<&'static str>,
    /// How requests are authenticated: the spec's recipes.
    pub auth: super::auth::Auth,
    /// Headers sent with every request.
    pub headers: &'static [HeaderSpec],
    /// Response headers the client captures.
    pub response_headers: &'static [ResponseHeaderSpec],
    /// The credentials a client needs.
    pub credentials: &'static [super::credentials::CredentialSpec],
    /// The mock server's refusals.
    pub mock: Option<MockRefusals>,
    /// The wire schema.
    pub schema: &'static Schema,
    /// The operations, sorted by wire name.
    pub operations: &'static [OperationEntry],
    /// How a response says it failed.
    pub errors: Option<super::errors::ErrorRule>,
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

    /// The spec of credential `name`.
    pub fn credential(&self, name: &str) -> Option<&'static super::credentials::CredentialSpec> {
        self.credentials.iter().find(|c| c.name == name)
    }

    /// The error a response body carries, if any (see [`super::errors::ErrorRule::error_in`]).
    pub fn error_in(&self, body: &Value, http_status: u16) -> Option<super::errors::ApiError> {
        self.errors.as_ref().and_then(|rule| rule.error_in(body, http_status, self.error_tables))
    }
}

/// A request header and where its value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSpec {
    /// The header name.
    pub name: &'static str,
    /// Its value.
    pub value: HeaderValue,
}

/// Where a request header's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderValue {
    /// Always this value.
    Fixed(&'static str),
    /// A credential.
    Credential(&'static str),
    /// Generated for every call.
    Generated(Generated),
    /// Supplied by the caller per call (optional): the field of the vendor's `CallHeaders`.
    PerCall(&'static str),
}

/// A header value generated per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// A random UUID (version 4).
    Uuid,
    /// Unix seconds.
    Timestamp,
    /// Unix milliseconds.
    TimestampMillis,
}

/// A response header the client captures with the typed result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHeaderSpec {
    /// The header name.
    pub name: &'static str,
    /// The field of the vendor's `ResponseHeaders`.
    pub field: &'static str,
}
