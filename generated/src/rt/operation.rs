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
        let value = serde_json::to_value(self).map_err(|e| {
            Violations(vec![Violation { path: "$".to_owned(), message: format!("cannot be serialized: {e}") }])
        })?;
        Violations::into_result(Self::schema().check(Self::TYPE, &value, Direction::Request))
    }
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
    /// The request body.
    type Request: Validate + DeserializeOwned;
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
    /// The envelope field with the status code.
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
        Ok(())
    }
}

impl ApiErrorRule {
    /// The error carried by a response envelope, or `None` when it reports success.
    pub fn error_in(&self, envelope: &Value, tables: &'static [ErrorTable]) -> Option<ApiError> {
        let text = |field: &str| match envelope.get(field)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        };
        let code = text(self.code_field)?;
        if self.success.contains(&code.as_str()) {
            return None;
        }
        Some(ApiError {
            entry: super::errors::lookup(tables, &code),
            message: self.message_field.and_then(text),
            trace_id: self.trace_field.and_then(text),
            code,
        })
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
    /// Decodes and re-encodes a whole request wire body (envelope included) with the generated types.
    pub request: fn(&Value) -> Result<Value, Violation>,
    /// Decodes and re-encodes a whole response wire body (envelope included) with the generated types.
    pub response: fn(&Value) -> Result<Value, Violation>,
}

/// A vendor, as generated from its spec folder.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// The spec name (`fr24`).
    pub name: &'static str,
    /// The wire schema.
    pub schema: &'static Schema,
    /// The operations, sorted by wire name.
    pub operations: &'static [OperationEntry],
    /// How a response says it failed.
    pub api_error: Option<ApiErrorRule>,
    /// The vendor's error tables: what a code means.
    pub error_tables: &'static [ErrorTable],
}

impl Vendor {
    /// The operation with this wire name.
    pub fn operation(&self, name: &str) -> Option<&'static OperationEntry> {
        self.operations.iter().find(|op| op.name == name)
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
