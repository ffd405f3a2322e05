//! The IR: everything `emit` needs, with every name decided. Doc text is kept as the spec
//! wrote it; `emit` escapes it for rustdoc, once. No type of the spec model is in it: the
//! protocol (authentication recipes, headers, error rule, mock refusals) is resolved, its
//! defaults filled in, so `emit`, the OpenAPI export and the change report only print it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::rt::schema::{Schema, TypeId};

/// The lowered spec: everything `emit` needs, with every name decided.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Vendors, sorted by name.
    pub vendors: Vec<VendorIr>,
}

/// One vendor.
#[derive(Debug, Clone)]
pub struct VendorIr {
    /// Spec name and cargo feature.
    pub name: String,
    /// Rust module name.
    pub module: String,
    /// A human title.
    pub title: String,
    /// What the API is.
    pub description: String,
    /// The documentation's home page.
    pub docs: Option<String>,
    /// Doc quirks and facts with their sources.
    pub notes: Vec<String>,
    /// Where the API lives.
    pub base_urls: BaseUrlsIr,
    /// How requests are authenticated.
    pub auth: AuthIr,
    /// Headers sent with every request.
    pub headers: Vec<HeaderIr>,
    /// Response headers the client captures with the typed result.
    pub response_headers: Vec<ResponseHeaderIr>,
    /// The credentials a client needs.
    pub credentials: Vec<CredentialIr>,
    /// How errors are reported and what codes mean.
    pub errors: Option<ErrorsIr>,
    /// What the mock server answers when a request is refused.
    pub mock: Option<MockIr>,
    /// The contexts a request can be checked in.
    pub profiles: Option<ProfilesIr>,
    /// Named types (module `types`).
    pub types: Vec<Item>,
    /// Inline types of the envelopes (vendor root).
    pub root_items: Vec<Item>,
    /// The request envelope.
    pub request_envelope: EnvelopeIr,
    /// The response envelope.
    pub response_envelope: EnvelopeIr,
    /// Operations, sorted by wire name.
    pub operations: Vec<OperationIr>,
    /// The wire schema.
    pub schema: Schema,
    /// Which module holds each schema entry, so generated tables are addressed per module.
    pub layout: SchemaLayout,
    /// Date formats that need a marker type in the vendor root: format → type name.
    pub formats: BTreeMap<String, String>,
}

/// Where the schema's entries live in the generated code: each spec file (the vendor file, the
/// named types, each operation) owns the entries written in it, and its module holds them as one
/// part of the vendor's tables. A spec edit to one operation then renumbers only its own part.
#[derive(Debug, Clone, Default)]
pub struct SchemaLayout {
    /// The module of each entry of [`Schema::types`].
    pub types: Vec<Loc>,
    /// The module of each entry of [`Schema::patterns`].
    pub patterns: Vec<Loc>,
    /// Named types by schema entry (so other modules refer to them by name).
    pub named: BTreeMap<TypeId, String>,
}

/// An envelope around bodies.
#[derive(Debug, Clone)]
pub struct EnvelopeIr {
    /// Doc text.
    pub doc: Vec<String>,
    /// The envelope's fields.
    pub fields: Vec<FieldIr>,
    /// `None`: the body is flattened; `Some((wire, rust, required))`: the body is this field.
    pub body_field: Option<(String, String, bool)>,
    /// Lenient (a response envelope).
    pub inbound: bool,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Wire name (`refundRequest`).
    pub wire: String,
    /// Module name (`refund_request`).
    pub module: String,
    /// The marker type implementing `rt::Operation` (`RefundRequest`).
    pub marker: String,
    /// The method of the vendor's `Client` that calls it: the module name, or the module name
    /// and `_` where the client's own methods (`new`, `send`, ...) have it.
    pub client_method: String,
    /// One line.
    pub summary: String,
    /// The doc page's text about the operation.
    pub description: Option<String>,
    /// Doc quirks and how the spec handles them.
    pub notes: Vec<String>,
    /// Where the doc page is and when it last changed.
    pub doc: DocIr,
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL.
    pub path: String,
    /// The client may send it again after a failure.
    pub safe_to_retry: bool,
    /// The client's per-attempt timeout for it, in seconds, unless the caller sets one.
    pub timeout_secs: Option<u64>,
    /// The docs do not describe its fields: both bodies are raw JSON.
    pub undocumented: bool,
    /// The vendor calls the partner (a push).
    pub inbound: bool,
    /// No request body at all on the wire.
    pub empty_request: bool,
    /// No response body at all on the wire.
    pub empty_response: bool,
    /// What the request body is, when the docs describe it.
    pub request_description: Option<String>,
    /// What the response body is, when the docs describe it.
    pub response_description: Option<String>,
    /// The request body.
    pub request: BodyIr,
    /// The response body.
    pub response: BodyIr,
    /// The `PathParams` struct, when the path has parameters.
    pub path_params: Option<StructIr>,
    /// Inline types of this operation.
    pub items: Vec<Item>,
    /// Examples as JSON.
    pub examples: Vec<ExampleIr>,
}

/// Where an operation's doc page is.
#[derive(Debug, Clone, PartialEq)]
pub struct DocIr {
    /// The page address.
    pub url: String,
    /// The page's own modification stamp (`unknown` when it shows none).
    pub modified: String,
    /// The date the transcription was last checked against the page.
    pub retrieved: Option<String>,
}

/// One example, as JSON.
#[derive(Debug, Clone)]
pub struct ExampleIr {
    /// Name.
    pub name: String,
    /// Request wire body.
    pub request: Option<Value>,
    /// Response wire body.
    pub response: Option<Value>,
    /// The response is an error answer.
    pub error: bool,
    /// The response's HTTP status.
    pub status: u16,
}

/// A request or response body.
#[derive(Debug, Clone)]
pub enum BodyIr {
    /// Its own struct (`Request`, `Response`).
    Struct(StructIr),
    /// Not described by the docs: a raw JSON object (`pub type Request = rt::RawObject;`).
    Raw {
        /// Its schema type (`any`).
        schema_id: TypeId,
    },
    /// A named type (`pub type Request = super::types::FormOfPayment;`).
    Named {
        /// The alias's doc lines.
        doc: Vec<String>,
        /// The named type.
        ty: RustTy,
        /// Its schema type.
        schema_id: TypeId,
    },
}

impl BodyIr {
    /// The body's schema type.
    pub fn schema_id(&self) -> TypeId {
        match self {
            BodyIr::Struct(s) => s.schema_id,
            BodyIr::Named { schema_id, .. } | BodyIr::Raw { schema_id } => *schema_id,
        }
    }
}

/// A generated Rust item.
#[derive(Debug, Clone)]
pub enum Item {
    /// A struct.
    Struct(StructIr),
    /// An enum.
    Enum(EnumIr),
    /// A validated string newtype.
    Newtype(NewtypeIr),
    /// A one-of enum.
    OneOf(OneOfIr),
}

/// A one-of enum: one alternative of several, each wrapped under its name.
#[derive(Debug, Clone)]
pub struct OneOfIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps values naming no known alternative.
    pub inbound: bool,
    /// The key that names the alternative in the flat form.
    pub tag_field: Option<String>,
    /// `(wrapping key, Rust variant, payload type, doc)`.
    pub variants: Vec<(String, String, RustTy, String)>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: lenient, keeps unknown fields.
    pub inbound: bool,
    /// Fields in wire order.
    pub fields: Vec<FieldIr>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Other wire spellings accepted on input.
    pub aliases: Vec<String>,
    /// Rust type without the `Option`.
    pub ty: RustTy,
    /// Must be present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// How a decimal is written, when the field is a decimal.
    pub decimal: Option<DecimalWire>,
    /// Doc lines.
    pub doc: Vec<String>,
}

impl FieldIr {
    /// Whether the Rust type is `Option<_>`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps unknown values.
    pub inbound: bool,
    /// Wire values are integers.
    pub integer: bool,
    /// Integer values are also read from strings.
    pub integer_as_string: bool,
    /// Variants.
    pub variants: Vec<VariantIr>,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Wire value.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Doc line.
    pub doc: String,
}

/// A validated string newtype.
#[derive(Debug, Clone)]
pub struct NewtypeIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Schema type holding its rule.
    pub schema_id: TypeId,
}

/// Where an item is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    /// The vendor module.
    Root,
    /// The vendor's `types` module.
    Types,
    /// An operation module (index into `operations`).
    Op(usize),
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum RustTy {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// `rt::LooseInt`: an `i64` also read from a string holding the number.
    LooseI64,
    /// `serde_json::Number`.
    Number,
    /// `bool`.
    Bool,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `LocalDate<F>`; the format's marker.
    Date(FormatRef),
    /// `LocalDateTime<F>`.
    DateTime(FormatRef),
    /// `serde_json::Value`.
    Any,
    /// `Vec<T>`.
    Vec(Box<RustTy>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustTy>),
    /// `Secret<T>`.
    Secret(Box<RustTy>),
    /// `Box<T>`, for a type that contains itself.
    Boxed(Box<RustTy>),
    /// `Encrypted<T>`: sent as ciphertext, handled as `T`.
    Encrypted(Box<RustTy>),
    /// `serde_json::Map<String, Value>`: an undocumented body.
    RawObject,
    /// A generated item.
    Named(Loc, String),
}

/// A date format marker type.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatRef {
    /// One of the runtime's (`IsoDate`).
    Runtime(&'static str),
    /// Generated in the vendor root.
    Vendor(String),
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[allow(missing_docs)]
pub enum Method {
    GET,
    POST,
    PUT,
    DELETE,
    PATCH,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PUT => "PUT",
            Method::DELETE => "DELETE",
            Method::PATCH => "PATCH",
        }
    }
}

/// How a decimal is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalWire {
    /// `"100.00"`.
    String,
    /// `100.00`.
    Number,
}

/// Where the API lives.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseUrlsIr {
    /// The test (sandbox) host; the default.
    pub test: String,
    /// The production host, if the docs give one.
    pub production: Option<String>,
    /// The environment variable that overrides the base URL (CLI).
    pub env: Option<String>,
}

/// One credential.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialIr {
    /// Its name: the field of the vendor's `Credentials`.
    pub name: String,
    /// The environment variable it is read from.
    pub env: String,
    /// What the vendor calls it.
    pub description: String,
    /// The docs' sample value.
    pub sample: Option<String>,
    /// The value the mock server accepts when the docs publish no sample.
    pub mock: Option<String>,
    /// Never printed.
    pub sensitive: bool,
    /// Only some operations need it.
    pub optional: bool,
    /// The key of the vendor's `encrypted` values.
    pub encryption: bool,
}

/// One request header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderIr {
    /// Header name.
    pub name: String,
    /// Where its value comes from.
    pub value: HeaderValueIr,
    /// What the docs say.
    pub description: Option<String>,
}

/// Where a request header's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderValueIr {
    /// This fixed value.
    Fixed(String),
    /// The value of this credential.
    Credential(String),
    /// Supplied by the caller per call: this field of the vendor's `CallHeaders`.
    PerCall(String),
    /// Generated per call.
    Generated(GeneratedValue),
}

/// Header values generated per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratedValue {
    /// A random UUID.
    Uuid,
    /// Unix seconds.
    Timestamp,
    /// Unix milliseconds.
    TimestampMs,
}

/// A response header the client captures.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeaderIr {
    /// The header name.
    pub name: String,
    /// The field of the vendor's `ResponseHeaders`.
    pub field: String,
    /// What the docs say.
    pub description: String,
}

/// Authentication: the recipes the runtime applies, with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthIr {
    /// How the vendor describes it.
    pub description: String,
    /// A request signature.
    pub signature: Option<SignatureIr>,
    /// A session token from a login operation.
    pub session: Option<SessionIr>,
    /// OAuth2 bearer tokens.
    pub oauth2: Option<OAuth2Ir>,
    /// Credentials sent as they are.
    pub api_keys: Vec<ApiKeyIr>,
}

/// Where a value is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceIr {
    /// In this request header.
    Header(String),
    /// In this query parameter.
    Query(String),
    /// In the body field at this JSON path.
    Body(String),
    /// As `Authorization: Bearer <value>`.
    Bearer,
}

/// A signature recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureIr {
    /// The string to sign: a template.
    pub sign: String,
    /// What is computed over it.
    pub algorithm: AlgorithmIr,
    /// HMAC and AES: the key, a template.
    pub key: Option<String>,
    /// How the result is written.
    pub output: Output,
    /// The timestamp's unit.
    pub timestamp: TimeUnit,
    /// A fresh nonce per attempt.
    pub nonce: bool,
    /// What is sent, and where.
    pub send: Vec<SentIr>,
    /// How far a receiver lets a timestamp be from its clock, in seconds.
    pub max_skew_secs: u64,
}

/// Signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgorithmIr {
    /// SHA-256 digest.
    Sha256,
    /// SHA-512 digest.
    Sha512,
    /// MD5 digest.
    Md5,
    /// HMAC-SHA256.
    HmacSha256,
    /// HMAC-SHA512.
    HmacSha512,
    /// AES-CBC encryption of the string to sign.
    AesCbc {
        /// The IV rule.
        iv: Iv,
        /// The padding.
        padding: Padding,
    },
}

/// AES IV rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Iv {
    /// 16 zero bytes.
    Zero,
    /// The key's first 16 bytes.
    KeyPrefix,
}

/// AES paddings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Padding {
    /// PKCS#7.
    Pkcs7,
    /// Zero bytes.
    Zero,
}

/// Signature encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// Lowercase hex.
    Hex,
    /// Uppercase hex.
    HexUpper,
    /// Standard base64.
    Base64,
}

/// Timestamp units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Unix seconds.
    Seconds,
    /// Unix milliseconds.
    Milliseconds,
}

/// One value a signature recipe sends.
#[derive(Debug, Clone, PartialEq)]
pub struct SentIr {
    /// A template.
    pub value: String,
    /// Where it goes.
    pub place: PlaceIr,
    /// Body fields: written as a JSON integer.
    pub integer: bool,
    /// Other body paths a receiver also reads it from.
    pub aliases: Vec<String>,
}

/// What means a token expired.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpiryIr {
    /// API error codes.
    pub codes: Vec<String>,
    /// HTTP statuses.
    pub statuses: Vec<u16>,
    /// Such an answer means the call was refused before being processed.
    pub refused_before_processing: bool,
}

/// A session recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionIr {
    /// The login operation's wire name.
    pub login: String,
    /// The login body: JSON path → template.
    pub body: BTreeMap<String, String>,
    /// Where the token sits in the login response.
    pub token_at: String,
    /// Where the token goes on every other call.
    pub send: PlaceIr,
    /// How long a token lives, in seconds.
    pub lifetime_secs: u64,
    /// What means "log in again".
    pub expired: ExpiryIr,
}

/// OAuth2 grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Grant {
    Password,
    ClientCredentials,
}

/// How a token request is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenBody {
    /// A form (RFC 6749).
    #[default]
    Form,
    /// A JSON object.
    Json,
}

/// An OAuth2 recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuth2Ir {
    /// The grant.
    pub grant: Grant,
    /// The token endpoint.
    pub token_url: String,
    /// The environment variable that overrides it.
    pub token_url_env: Option<String>,
    /// The scope, sent when given.
    pub scope: Option<String>,
    /// How the parameters are sent.
    pub body: TokenBody,
    /// The credential sent as `client_id`.
    pub client_id: String,
    /// The credential sent as `client_secret`.
    pub client_secret: String,
    /// Password grant: the credential sent as `username`.
    pub username: Option<String>,
    /// Password grant: the credential sent as `password`.
    pub password: Option<String>,
    /// A token's lifetime in seconds when the token response does not say.
    pub lifetime_secs: u64,
    /// What means "fetch a new token".
    pub expired: ExpiryIr,
}

/// An API key recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyIr {
    /// The credential sent.
    pub credential: String,
    /// Where it goes (a header or a query parameter).
    pub place: PlaceIr,
}

/// How a response reports an error, and the vendor's code tables.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorsIr {
    /// Errors are the items of the list at this JSON path.
    pub list: Option<String>,
    /// The JSON path of the code.
    pub code: Option<String>,
    /// The JSON path of the message.
    pub message: Option<String>,
    /// The JSON path of a trace id.
    pub trace: Option<String>,
    /// The JSON path of the vendor's own status value.
    pub status: Option<String>,
    /// What success looks like.
    pub success: SuccessIr,
    /// Code tables, looked up in order.
    pub tables: Vec<ErrorTableIr>,
}

/// What makes a response a success.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessIr {
    /// The code is one of these.
    Codes(Vec<String>),
    /// The field at this JSON path holds this value.
    Field {
        /// The JSON path.
        path: String,
        /// The value.
        equals: Value,
    },
    /// The HTTP status is 2xx (and, with a list, the list is empty).
    Http,
}

/// A table of error codes.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorTableIr {
    /// Table name.
    pub name: String,
    /// `(start, length)`: the table is keyed by these characters of the code.
    pub digits: Option<(usize, usize)>,
    /// Only codes of this length are looked up.
    pub code_length: Option<usize>,
    /// The rows.
    pub entries: Vec<ErrorEntryIr>,
}

/// One error code.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorEntryIr {
    /// The code (or code digits); absent for a row keyed by HTTP status alone.
    pub code: Option<String>,
    /// The HTTP status the code comes with.
    pub status: Option<u16>,
    /// What it means.
    pub meaning: String,
    /// What to do.
    pub advice: Advice,
}

/// What to do about an error code: the runtime's own type, read from the spec by name.
pub use crate::rt::Advice;

/// The mock server's refusals.
#[derive(Debug, Clone, PartialEq)]
pub struct MockIr {
    /// A missing or wrong key, or a wrong signature.
    pub unauthorized: MockRefusalIr,
    /// A timestamp too far from the server's clock.
    pub stale_timestamp: MockRefusalIr,
    /// A body that does not validate against the spec.
    pub invalid_request: MockRefusalIr,
    /// A path or operation the vendor does not have.
    pub unknown_operation: MockRefusalIr,
    /// A missing, unknown or expired token; absent: the runtime derives it from the token recipe.
    pub expired_token: Option<MockRefusalIr>,
}

/// One refusal of the mock server.
#[derive(Debug, Clone, PartialEq)]
pub struct MockRefusalIr {
    /// The code.
    pub code: String,
    /// The message.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
}

/// The contexts a request can be checked in.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfilesIr {
    /// The Rust name of the generated enum.
    pub type_name: String,
    /// What the contexts are.
    pub description: String,
    /// The contexts.
    pub values: Vec<ProfileIr>,
}

/// One profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileIr {
    /// Its name in the spec and on the wire of `validate_in`.
    pub wire: String,
    /// The Rust variant.
    pub rust: String,
    /// What the profile means.
    pub description: String,
}
