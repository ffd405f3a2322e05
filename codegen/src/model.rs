//! The spec language, as read from YAML (documented in `spec/README.md`).
//!
//! Every struct denies unknown keys: a typo in a spec is an error, not a silently ignored key.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Plain value enums the IR carries as the spec writes them.
pub use crate::lower::{Advice, DecimalWire, GeneratedValue, Grant, Iv, Method, Output, Padding, TimeUnit, TokenBody};

/// `spec/<vendor>/vendor.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorFile {
    /// The vendor's name in the spec, the cargo feature and the Rust module.
    pub vendor: String,
    /// A human title.
    pub title: String,
    /// What the API is.
    pub description: String,
    /// The documentation's home page.
    #[serde(default)]
    pub docs: Option<String>,
    /// Where the API lives.
    pub base_urls: BaseUrls,
    /// How requests are authenticated.
    pub auth: Auth,
    /// Headers sent with every request.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Response headers the client captures with the typed result.
    #[serde(default)]
    pub response_headers: Vec<ResponseHeader>,
    /// Fields around every request body.
    pub request_envelope: Envelope,
    /// Fields around every response body.
    pub response_envelope: Envelope,
    /// How errors are reported and what codes mean.
    #[serde(default)]
    pub errors: Option<Errors>,
    /// The credentials a client needs, with the environment variables the CLI reads them from.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// The environment variable that overrides the base URL (CLI).
    #[serde(default)]
    pub base_url_env: Option<String>,
    /// What the mock server answers when a request is refused.
    #[serde(default)]
    pub mock: Option<Mock>,
    /// Named contexts that change which rules apply (a content source whose rules
    /// differ): fields and one-of variants refer to them with `required_in` and `only_in`.
    #[serde(default)]
    pub profiles: Option<Profiles>,
    /// Doc quirks and facts with their sources.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Contexts a request can be checked in (`validate_in`), each adding its own rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The Rust name of the generated enum (`ContentSource`).
    pub type_name: String,
    /// What the contexts are.
    pub description: String,
    /// The contexts.
    pub values: Vec<EnumValue>,
}

/// One credential.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// Its name: a snake_case identifier, the field of the vendor's `Credentials` and the
    /// `NAME` of `{credential.NAME}` in templates.
    pub name: String,
    /// The environment variable it is read from.
    pub env: String,
    /// What the vendor calls it.
    pub description: String,
    /// The docs' sample value: the mock server accepts it, and a client uses it only when
    /// asked to (`Config::with_samples`, `flightapi call --samples`).
    #[serde(default)]
    pub sample: Option<String>,
    /// When the docs publish no sample: the value the mock server accepts by default.
    #[serde(default)]
    pub mock: Option<String>,
    /// Never printed (default `true`): `Secret` in the vendor's `Credentials`.
    #[serde(default = "yes")]
    pub sensitive: bool,
    /// Only some operations need it: `from_env` does not demand it.
    #[serde(default)]
    pub optional: bool,
    /// The key of the vendor's `encrypted` values (at most one credential).
    #[serde(default)]
    pub encryption: bool,
}

fn yes() -> bool {
    true
}

/// The mock server's refusals: the vendor-style code and message for each.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mock {
    /// Where the codes come from.
    pub description: String,
    /// A missing or wrong key, or a wrong signature.
    pub unauthorized: MockError,
    /// A timestamp too far from the server's clock.
    pub stale_timestamp: MockError,
    /// A body that does not validate against the spec.
    pub invalid_request: MockError,
    /// A path or operation the vendor does not have.
    pub unknown_operation: MockError,
    /// A missing, unknown or expired session or bearer token (default: the token recipe's
    /// first expiry code and status).
    #[serde(default)]
    pub expired_token: Option<MockError>,
}

/// A code and message in the vendor's envelope.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockError {
    /// The code.
    pub code: Scalar,
    /// The message (the mock appends the details).
    pub message: String,
    /// The HTTP status of the refusal (default 200: the code is in the body).
    #[serde(default)]
    pub status: Option<u16>,
}

/// Base URLs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseUrls {
    /// The test (sandbox) host; the default.
    pub test: String,
    /// The production host, if the docs give one.
    #[serde(default)]
    pub production: Option<String>,
}

/// Authentication: any combination of recipes, each implemented once in the runtime.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// How the vendor describes it.
    pub description: String,
    /// A request signature.
    #[serde(default)]
    pub signature: Option<Signature>,
    /// A session token from a login operation.
    #[serde(default)]
    pub session: Option<Session>,
    /// OAuth2 bearer tokens.
    #[serde(default)]
    pub oauth2: Option<OAuth2>,
    /// Credentials sent as they are in a header or query parameter.
    #[serde(default)]
    pub api_keys: Vec<ApiKey>,
}

/// A signature recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The string to sign: a template (`{credential.app_key}{timestamp}`).
    pub sign: String,
    /// What is computed over it.
    pub algorithm: Algorithm,
    /// HMAC and AES: the key, a template (`{credential.secret}`).
    #[serde(default)]
    pub key: Option<String>,
    /// AES: the IV rule (default `zero`).
    #[serde(default)]
    pub iv: Option<Iv>,
    /// AES: the padding (default `pkcs7`).
    #[serde(default)]
    pub padding: Option<Padding>,
    /// How the result is written.
    pub output: Output,
    /// The timestamp's unit (default `seconds`).
    #[serde(default)]
    pub timestamp: Option<TimeUnit>,
    /// A fresh nonce per attempt (`{nonce}`).
    #[serde(default)]
    pub nonce: bool,
    /// What is sent, and where.
    pub send: Vec<Sent>,
    /// How far a receiver (the mock, a push handler) lets a timestamp be from its clock, in
    /// seconds (default 300).
    #[serde(default)]
    pub max_skew: Option<u64>,
}

/// Signature algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Algorithm {
    Sha256,
    Sha512,
    Md5,
    HmacSha256,
    HmacSha512,
    AesCbc,
}

/// One value a signature recipe sends: a template and exactly one place.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sent {
    /// A template: `{signature}`, `{timestamp}`, `{nonce}`, `{credential.NAME}`, or text
    /// around one of them (`HMAC {signature}`).
    pub value: String,
    /// In this request header.
    #[serde(default)]
    pub header: Option<String>,
    /// In this query parameter.
    #[serde(default)]
    pub query: Option<String>,
    /// In the body field at this JSON path (envelope included: `authentication.sign`).
    #[serde(default)]
    pub body: Option<String>,
    /// Body fields: written as a JSON integer.
    #[serde(default)]
    pub integer: bool,
    /// Other body paths a receiver also reads it from (a doc's other spelling).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Where a token goes: exactly one of these.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPlace {
    /// In this request header.
    #[serde(default)]
    pub header: Option<String>,
    /// In this query parameter.
    #[serde(default)]
    pub query: Option<String>,
    /// In the body field at this JSON path.
    #[serde(default)]
    pub body: Option<String>,
    /// As `Authorization: Bearer <token>`.
    #[serde(default)]
    pub bearer: bool,
}

/// What means a token expired.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expiry {
    /// API error codes.
    #[serde(default)]
    pub codes: Vec<Scalar>,
    /// HTTP statuses.
    #[serde(default)]
    pub statuses: Vec<u16>,
    /// The vendor documents that such an answer means the call was refused before being
    /// processed: after a new login, even an operation that is not safe to retry is resent
    /// once. Say where the docs say so in a note.
    #[serde(default)]
    pub refused_before_processing: bool,
}

/// A session recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The login operation's wire name (an operation of this vendor).
    pub login: String,
    /// The login body: JSON path in the operation's body → template (`{credential.user_name}`).
    pub body: BTreeMap<String, String>,
    /// Where the token sits in the login response (the whole wire body): `data[0].sessionId`.
    pub token_at: String,
    /// Where the token goes on every other call.
    pub send: TokenPlace,
    /// How long a token lives, in seconds.
    pub lifetime: u64,
    /// What means "log in again".
    #[serde(default)]
    pub expired: Expiry,
}

/// An OAuth2 recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth2 {
    /// The grant.
    pub grant: Grant,
    /// The token endpoint.
    pub token_url: String,
    /// The environment variable that overrides it.
    #[serde(default)]
    pub token_url_env: Option<String>,
    /// The scope, sent when given.
    #[serde(default)]
    pub scope: Option<String>,
    /// How the parameters are sent (default `form`).
    #[serde(default)]
    pub body: TokenBody,
    /// The credential sent as `client_id`.
    pub client_id: String,
    /// The credential sent as `client_secret`.
    pub client_secret: String,
    /// Password grant: the credential sent as `username`.
    #[serde(default)]
    pub username: Option<String>,
    /// Password grant: the credential sent as `password`.
    #[serde(default)]
    pub password: Option<String>,
    /// A token's lifetime in seconds when the token response does not say (`expires_in`).
    pub lifetime: u64,
    /// What means "fetch a new token".
    #[serde(default)]
    pub expired: Expiry,
}

/// An API key recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKey {
    /// The credential sent.
    pub credential: String,
    /// In this header.
    #[serde(default)]
    pub header: Option<String>,
    /// Or in this query parameter.
    #[serde(default)]
    pub query: Option<String>,
}

/// One request header: a name and exactly one source for its value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Fixed value.
    #[serde(default)]
    pub value: Option<String>,
    /// Or: the credential whose value is sent.
    #[serde(default)]
    pub credential: Option<String>,
    /// Or: generated per call.
    #[serde(default)]
    pub generate: Option<GeneratedValue>,
    /// Or: supplied by the caller per call (optional): the field of the vendor's `CallHeaders`.
    #[serde(default)]
    pub per_call: Option<String>,
    /// What the docs say.
    #[serde(default)]
    pub description: Option<String>,
}

/// A response header the client captures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseHeader {
    /// The header name.
    pub name: String,
    /// The field of the vendor's `ResponseHeaders`.
    pub field: String,
    /// What the docs say.
    pub description: String,
}

/// The fields a vendor wraps around every body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// What the envelope is.
    pub description: String,
    /// The field that holds the body; absent: the body's fields sit beside the envelope's.
    #[serde(default)]
    pub body_field: Option<String>,
    /// Whether `body_field` must be present.
    #[serde(default)]
    pub body_required: bool,
    /// The envelope field that names the operation (`action`, say): one path, many
    /// operations, dispatched by this field's value, which must be the operation's wire name.
    #[serde(default)]
    pub operation_field: Option<String>,
    /// The envelope's own fields.
    #[serde(default)]
    pub fields: Vec<Shape>,
}

/// How a response reports an error, and the vendor's code tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Errors {
    /// Errors are the items of the list at this JSON path (`*.Result.Error`; `*` is any one
    /// key): `code` and `message` are then read from each item.
    #[serde(default)]
    pub list: Option<String>,
    /// The JSON path of the code (`code`, `errorDetails.code`).
    #[serde(default)]
    pub code: Option<String>,
    /// The JSON path of the message.
    #[serde(default)]
    pub message: Option<String>,
    /// The JSON path of a trace id.
    #[serde(default)]
    pub trace: Option<String>,
    /// The JSON path of the vendor's own status value (`meta.statusCode`).
    #[serde(default)]
    pub status: Option<String>,
    /// What success looks like.
    pub success: SuccessRule,
    /// Code tables, looked up in order.
    #[serde(default)]
    pub tables: Vec<ErrorTable>,
}

/// What makes a response a success: exactly one form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuccessRule {
    /// The code is one of these.
    #[serde(default)]
    pub codes: Vec<Scalar>,
    /// The field at this JSON path...
    #[serde(default)]
    pub field: Option<String>,
    /// ...holds this value.
    #[serde(default)]
    pub equals: Option<serde_yaml::Value>,
    /// The HTTP status is 2xx (and, with `list`, the list is empty).
    #[serde(default)]
    pub http: bool,
}

/// A table of error codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTable {
    /// Table name.
    pub name: String,
    /// What the table covers.
    pub description: String,
    /// `[start, length]`: the table is keyed by these characters of the code; absent: the whole code.
    #[serde(default)]
    pub digits: Option<[usize; 2]>,
    /// Only codes of this length are looked up.
    #[serde(default)]
    pub code_length: Option<usize>,
    /// The rows.
    pub entries: Vec<ErrorEntry>,
}

/// One error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorEntry {
    /// The code (or code digits); absent for a row keyed by HTTP status alone.
    #[serde(default)]
    pub code: Option<Scalar>,
    /// The HTTP status the code comes with.
    #[serde(default)]
    pub status: Option<u16>,
    /// What it means.
    pub meaning: String,
    /// What to do.
    pub advice: Advice,
}

/// `spec/<vendor>/types.yaml`: named types shared by the vendor's operations.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypesFile {
    /// The types; each needs a `name`.
    pub types: Vec<Shape>,
}

/// `spec/<vendor>/operations/<operation>.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationFile {
    /// The wire name (`refundRequest`).
    pub operation: String,
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL.
    pub path: String,
    /// One line.
    pub summary: String,
    /// The doc page's text about the operation.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the doc page is and when it last changed.
    pub doc: DocSource,
    /// Whether the client may send it again after a failure (reads: yes; payments: never).
    #[serde(default)]
    pub safe_to_retry: bool,
    /// The longest the vendor documents the operation may take, in seconds: the client's
    /// per-attempt timeout for it unless the caller sets one.
    #[serde(default)]
    pub timeout: Option<u64>,
    /// The docs name the operation but do not describe its fields: it has no `request` or
    /// `response`, and the client sends and returns raw JSON objects (still signed).
    #[serde(default)]
    pub undocumented: bool,
    /// The vendor calls the partner (a push): the request is what the partner receives and
    /// verifies, the response what it answers.
    #[serde(default)]
    pub inbound: bool,
    /// The `{name}` placeholders of `path`, as fields (string or integer types).
    #[serde(default)]
    pub path_params: Vec<Shape>,
    /// The request body (absent only when `undocumented`).
    #[serde(default)]
    pub request: Option<Body>,
    /// The response body (absent only when `undocumented`).
    #[serde(default)]
    pub response: Option<Body>,
    /// The doc's examples, with placeholders replaced by realistic values.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Doc quirks and how the spec handles them.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Where a spec file comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSource {
    /// The page address.
    pub url: String,
    /// The page's own "Modified at" / "Update time" stamp, or `unknown` when the page shows
    /// none (never a guess), so a doc update can be spotted.
    pub modified: String,
    /// The date (`YYYY-MM-DD`) the transcription was last checked against the page.
    #[serde(default)]
    pub retrieved: Option<String>,
}

/// A request or response body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// What it is.
    pub description: String,
    /// Its fields, in wire order.
    #[serde(default)]
    pub fields: Vec<Shape>,
    /// Instead of `fields`: the body is this named type (an object or a `one_of`).
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// Rules across `fields` ("either A or B is required").
    #[serde(default)]
    pub rules: Vec<CrossRule>,
    /// No body at all on the wire (a DELETE request, a 204 No Content response).
    #[serde(default)]
    pub empty: bool,
}

/// One example exchange.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// A short name.
    pub name: String,
    /// Where it comes from and what was replaced.
    #[serde(default)]
    pub description: Option<String>,
    /// The whole request wire body.
    #[serde(default)]
    pub request: Option<serde_yaml::Value>,
    /// The whole response wire body.
    #[serde(default)]
    pub response: Option<serde_yaml::Value>,
    /// The response is one of the vendor's error answers (it must decode as an API error).
    #[serde(default)]
    pub error: bool,
    /// The HTTP status the response comes with (default 200).
    #[serde(default)]
    pub status: Option<u16>,
}

/// A field, a named type, or an array's item type: one construct for all three.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// Field: the wire name. Named type: the type name.
    #[serde(default)]
    pub name: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `decimal`, `date`, `datetime`, `enum`,
    /// `object`, `one_of`, `array`, `map`, `any`, `encrypted`, or the name of a named type.
    #[serde(rename = "type")]
    pub ty: TypeName,
    /// The Rust field name, when the derived one is not wanted.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The Rust type name of an inline object, enum or validated string.
    #[serde(default)]
    pub type_name: Option<String>,
    /// What the docs say.
    #[serde(default)]
    pub description: Option<String>,
    /// Must be present.
    #[serde(default)]
    pub required: bool,
    /// May be `null`.
    #[serde(default)]
    pub nullable: bool,
    /// Regular expression a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum string length in characters.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum string length in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Smallest number.
    #[serde(default)]
    pub minimum: Option<f64>,
    /// Largest number.
    #[serde(default)]
    pub maximum: Option<f64>,
    /// Minimum array length.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum array length.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// `chrono` format of a date or datetime.
    #[serde(default)]
    pub format: Option<String>,
    /// How a decimal is written: `string` or `number`.
    #[serde(default)]
    pub wire: Option<DecimalWire>,
    /// Enum values.
    #[serde(default)]
    pub values: Vec<EnumValue>,
    /// Enum wire values are integers.
    #[serde(default)]
    pub integer: bool,
    /// Integers, or integer enum values, may also arrive as strings holding the number (a
    /// doc quirk); they are written as numbers.
    #[serde(default)]
    pub integer_as_string: bool,
    /// Field or one-of variant: required when a request is checked in these profiles.
    #[serde(default)]
    pub required_in: Vec<String>,
    /// Field or one-of variant: allowed only when a request is checked in these profiles.
    #[serde(default)]
    pub only_in: Vec<String>,
    /// `encrypted`: the type of the value once decrypted.
    #[serde(default)]
    pub plaintext: Option<Box<Shape>>,
    /// `encrypted`: how the value is encrypted.
    #[serde(default)]
    pub cipher: Option<Cipher>,
    /// Array item type.
    #[serde(default)]
    pub items: Option<Box<Shape>>,
    /// Object fields.
    #[serde(default)]
    pub fields: Vec<Shape>,
    /// Object: rules across its fields ("either A or B is required").
    #[serde(default)]
    pub rules: Vec<CrossRule>,
    /// Map value type.
    #[serde(default)]
    pub values_type: Option<Box<Shape>>,
    /// `one_of` alternatives: each `name` is the wrapping key (`{"FormOfPaymentCash": {...}}`).
    #[serde(default)]
    pub variants: Vec<Shape>,
    /// `one_of`: the key that names the alternative in the flat form (`"@type"`), read too.
    #[serde(default)]
    pub tag_field: Option<String>,
    /// Must never be printed (card numbers, CVVs, passwords).
    #[serde(default)]
    pub sensitive: bool,
    /// The value the vendor assumes when the field is absent (documentation only).
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// Other wire spellings accepted on input.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Deprecated, with the reason.
    #[serde(default)]
    pub deprecated: Option<String>,
    /// A doc quirk about this field and how it is handled.
    #[serde(default)]
    pub note: Option<String>,
}

/// The `type:` of a shape: a built-in type, or a reference to a named type. Every stage
/// matches on it exhaustively, so a new built-in type is guided by the compiler through each.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum TypeName {
    /// `string`.
    #[default]
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `decimal`: money and other exact amounts.
    Decimal,
    /// `date`.
    Date,
    /// `datetime`.
    DateTime,
    /// `enum`.
    Enum,
    /// `object`.
    Object,
    /// `one_of`: exactly one of several wrapped alternatives.
    OneOf,
    /// `array`.
    Array,
    /// `map`: string keys, one value type.
    Map,
    /// `any`: any JSON value.
    Any,
    /// `encrypted`: sent as ciphertext.
    Encrypted,
    /// The name of a named type (`types.yaml`).
    Named(String),
}

impl TypeName {
    /// Every built-in type, by its spec name.
    pub const BUILTIN: [TypeName; 14] = [
        TypeName::String,
        TypeName::Integer,
        TypeName::Number,
        TypeName::Boolean,
        TypeName::Decimal,
        TypeName::Date,
        TypeName::DateTime,
        TypeName::Enum,
        TypeName::Object,
        TypeName::OneOf,
        TypeName::Array,
        TypeName::Map,
        TypeName::Any,
        TypeName::Encrypted,
    ];

    /// The name as the spec writes it.
    pub fn as_str(&self) -> &str {
        match self {
            TypeName::String => "string",
            TypeName::Integer => "integer",
            TypeName::Number => "number",
            TypeName::Boolean => "boolean",
            TypeName::Decimal => "decimal",
            TypeName::Date => "date",
            TypeName::DateTime => "datetime",
            TypeName::Enum => "enum",
            TypeName::Object => "object",
            TypeName::OneOf => "one_of",
            TypeName::Array => "array",
            TypeName::Map => "map",
            TypeName::Any => "any",
            TypeName::Encrypted => "encrypted",
            TypeName::Named(name) => name,
        }
    }

    /// Reads a spec name: a built-in type's, or else a named type's.
    pub fn parse(name: &str) -> TypeName {
        Self::BUILTIN.into_iter().find(|b| b.as_str() == name).unwrap_or_else(|| TypeName::Named(name.to_owned()))
    }

    /// The named type referred to, if this is a reference.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeName::Named(name) => Some(name),
            _ => None,
        }
    }

    /// Whether a name is a built-in type's (and so cannot name a type of the spec).
    pub fn is_builtin(name: &str) -> bool {
        Self::BUILTIN.iter().any(|b| b.as_str() == name)
    }
}

/// A key of a shape that applies to some types only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKey {
    /// `pattern`.
    Pattern,
    /// `min_length` / `max_length`.
    Length,
    /// `minimum` / `maximum`.
    Range,
    /// `min_items` / `max_items`.
    ItemBounds,
    /// `format`.
    Format,
    /// `wire`.
    Wire,
    /// `values` / `integer`.
    Values,
    /// `items`.
    Items,
    /// `rules`.
    Rules,
    /// `fields`.
    Fields,
    /// `values_type`.
    ValuesType,
    /// `type_name`.
    TypeName,
    /// `variants` / `tag_field`.
    Variants,
    /// `plaintext` / `cipher`.
    Plaintext,
}

impl TypeKey {
    /// Every type-specific key, in the order problems are reported.
    pub const ALL: [TypeKey; 14] = [
        TypeKey::Pattern,
        TypeKey::Length,
        TypeKey::Range,
        TypeKey::ItemBounds,
        TypeKey::Format,
        TypeKey::Wire,
        TypeKey::Values,
        TypeKey::Items,
        TypeKey::Rules,
        TypeKey::Fields,
        TypeKey::ValuesType,
        TypeKey::TypeName,
        TypeKey::Variants,
        TypeKey::Plaintext,
    ];

    /// The key (or keys) as the spec writes them.
    pub fn label(self) -> &'static str {
        match self {
            TypeKey::Pattern => "pattern",
            TypeKey::Length => "min_length/max_length",
            TypeKey::Range => "minimum/maximum",
            TypeKey::ItemBounds => "min_items/max_items",
            TypeKey::Format => "format",
            TypeKey::Wire => "wire",
            TypeKey::Values => "values/integer",
            TypeKey::Items => "items",
            TypeKey::Rules => "rules",
            TypeKey::Fields => "fields",
            TypeKey::ValuesType => "values_type",
            TypeKey::TypeName => "type_name",
            TypeKey::Variants => "variants/tag_field",
            TypeKey::Plaintext => "plaintext/cipher",
        }
    }

    /// Whether `shape` writes this key.
    pub fn written_in(self, shape: &Shape) -> bool {
        match self {
            TypeKey::Pattern => shape.pattern.is_some(),
            TypeKey::Length => shape.min_length.is_some() || shape.max_length.is_some(),
            TypeKey::Range => shape.minimum.is_some() || shape.maximum.is_some(),
            TypeKey::ItemBounds => shape.min_items.is_some() || shape.max_items.is_some(),
            TypeKey::Format => shape.format.is_some(),
            TypeKey::Wire => shape.wire.is_some(),
            TypeKey::Values => !shape.values.is_empty() || shape.integer,
            TypeKey::Items => shape.items.is_some(),
            TypeKey::Rules => !shape.rules.is_empty(),
            TypeKey::Fields => !shape.fields.is_empty(),
            TypeKey::ValuesType => shape.values_type.is_some(),
            TypeKey::TypeName => shape.type_name.is_some(),
            TypeKey::Variants => !shape.variants.is_empty() || shape.tag_field.is_some(),
            TypeKey::Plaintext => shape.plaintext.is_some() || shape.cipher.is_some(),
        }
    }
}

impl TypeName {
    /// The type-specific keys that apply to this type (a reference takes none: its
    /// constraints are the named type's).
    pub fn keys(&self) -> &'static [TypeKey] {
        match self {
            TypeName::String => &[TypeKey::Pattern, TypeKey::Length, TypeKey::TypeName],
            TypeName::Integer | TypeName::Number => &[TypeKey::Range],
            TypeName::Boolean | TypeName::Any | TypeName::Named(_) => &[],
            TypeName::Decimal => &[TypeKey::Wire],
            TypeName::Date | TypeName::DateTime => &[TypeKey::Format],
            TypeName::Enum => &[TypeKey::Values, TypeKey::TypeName],
            TypeName::Object => &[TypeKey::Rules, TypeKey::Fields, TypeKey::TypeName],
            TypeName::OneOf => &[TypeKey::Variants, TypeKey::TypeName],
            TypeName::Array => &[TypeKey::ItemBounds, TypeKey::Items],
            TypeName::Map => &[TypeKey::ValuesType],
            TypeName::Encrypted => &[TypeKey::Plaintext],
        }
    }
}

impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TypeName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(TypeName::parse(&name))
    }
}

/// A rule across an object's fields, by wire name: exactly one form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossRule {
    /// At least one of these fields is present ("either A or B is required").
    #[serde(default)]
    pub at_least_one: Vec<String>,
    /// Exactly one of these fields is present.
    #[serde(default)]
    pub exactly_one: Vec<String>,
    /// When this field is present...
    #[serde(default)]
    pub when_present: Option<String>,
    /// ...and this one absent (optional)...
    #[serde(default)]
    pub when_absent: Option<String>,
    /// ...these fields are required.
    #[serde(default)]
    pub required: Vec<String>,
    /// Where the docs say so.
    #[serde(default)]
    pub note: Option<String>,
}

/// The ciphers of `encrypted` values (see `flightapi_rt::crypto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cipher {
    /// Standard base64 of AES-CBC (IV = 16 zero bytes, PKCS7) of the value's JSON text; the
    /// key's length (16, 24 or 32 bytes) picks AES-128, -192 or -256.
    AesCbcZeroIv,
}

/// One enum value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value.
    pub value: Scalar,
    /// The Rust variant name, when the derived one is not wanted.
    #[serde(default)]
    pub name: Option<String>,
    /// What the value means.
    pub description: String,
}

/// A YAML scalar read as text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
}

impl Scalar {
    /// The scalar as text.
    pub fn text(&self) -> String {
        match self {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(n) => n.to_string(),
        }
    }
}

#[cfg(test)]
mod type_name_tests {
    use super::{TypeKey, TypeName};

    #[test]
    fn built_in_names_read_back_and_others_are_references() {
        for b in TypeName::BUILTIN {
            assert_eq!(TypeName::parse(b.as_str()), b);
            assert!(TypeName::is_builtin(b.as_str()));
        }
        assert_eq!(TypeName::parse("Money"), TypeName::Named("Money".to_owned()));
        assert_eq!(TypeName::parse("Money").named(), Some("Money"));
        let t: TypeName = serde_yaml::from_str("one_of").unwrap();
        assert_eq!(t, TypeName::OneOf);
    }

    #[test]
    fn every_type_specific_key_applies_to_some_type() {
        for key in TypeKey::ALL {
            assert!(TypeName::BUILTIN.iter().any(|t| t.keys().contains(&key)), "{key:?} applies to nothing");
        }
        assert!(TypeName::Named("X".to_owned()).keys().is_empty());
    }
}
