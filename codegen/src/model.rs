//! The spec language, as read from YAML (documented in `spec/README.md`).
//!
//! Every struct denies unknown keys: a typo in a spec is an error, not a silently ignored key.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `spec/<vendor>/vendor.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorFile {
    /// The vendor's name in the spec, the cargo feature and the Rust module (`fr24`).
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
    /// Named contexts that change which rules apply (Travelport's content source, NDC or
    /// GDS): fields and one-of variants refer to them with `required_in` and `only_in`.
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
    /// Which one: `key`, `secret` or `encryption_key`.
    pub name: CredentialName,
    /// The environment variable the CLI reads it from.
    pub env: String,
    /// What the vendor calls it.
    pub description: String,
    /// The docs' sample value: the mock server accepts it unless told otherwise, and the
    /// command line falls back to it.
    #[serde(default)]
    pub sample: Option<String>,
    /// When the docs publish no sample: the value the mock server accepts by default. A
    /// client never falls back to it.
    #[serde(default)]
    pub mock: Option<String>,
}

/// The credentials the runtime's client knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialName {
    /// The account key (FR24 appKey, AeroHub key).
    Key,
    /// The signing secret.
    Secret,
    /// The key of encrypted fields.
    EncryptionKey,
    /// OAuth2 client id.
    ClientId,
    /// OAuth2 client secret.
    ClientSecret,
    /// OAuth2 resource-owner user name.
    Username,
    /// OAuth2 resource-owner password.
    Password,
    /// An account group sent in a header (Travelport's access group).
    AccessGroup,
}

impl CredentialName {
    /// Every name, in spec order.
    pub const ALL: &'static [CredentialName] = &[
        CredentialName::Key,
        CredentialName::Secret,
        CredentialName::EncryptionKey,
        CredentialName::ClientId,
        CredentialName::ClientSecret,
        CredentialName::Username,
        CredentialName::Password,
        CredentialName::AccessGroup,
    ];

    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialName::Key => "key",
            CredentialName::Secret => "secret",
            CredentialName::EncryptionKey => "encryption_key",
            CredentialName::ClientId => "client_id",
            CredentialName::ClientSecret => "client_secret",
            CredentialName::Username => "username",
            CredentialName::Password => "password",
            CredentialName::AccessGroup => "access_group",
        }
    }
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

/// Authentication scheme.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The scheme the runtime implements.
    pub scheme: AuthScheme,
    /// How the vendor describes it.
    pub description: String,
    /// Scheme parameters (header and field names).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// The authentication schemes the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// Lowercase hex SHA-512 of key + secret + timestamp in the body (FR24).
    Sha512Sign,
    /// Base64 AES-256-CBC of `key&timestamp` in the envelope (AeroHub).
    AesSignature,
    /// OAuth2 bearer token (Travelport).
    Oauth2Password,
    /// No authentication.
    None,
}

/// One default header.
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
    /// What the docs say.
    #[serde(default)]
    pub description: Option<String>,
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
    /// The envelope field that names the operation (AeroHub's `action`): one path, many
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
    /// Where a list of errors sits (`"*.Result.Error"`, `*` matching any one key): each item
    /// is an error, `code_field` and `message_field` are read from the items, and a response
    /// is an error when the list is not empty. Absent: the code is an envelope field.
    #[serde(default)]
    pub list_at: Option<String>,
    /// The response envelope field (or list item field) with the status code.
    pub code_field: String,
    /// Code values that mean success.
    #[serde(default)]
    pub success: Vec<Scalar>,
    /// The envelope field with the message.
    #[serde(default)]
    pub message_field: Option<String>,
    /// The envelope field with a trace id.
    #[serde(default)]
    pub trace_field: Option<String>,
    /// Code tables, looked up in order.
    #[serde(default)]
    pub tables: Vec<ErrorTable>,
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
    /// The code (or code digits).
    pub code: Scalar,
    /// What it means.
    pub meaning: String,
    /// What to do.
    pub advice: Advice,
}

/// What to do about an error code (see `flightapi::rt::Advice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Advice {
    FixRequest,
    CheckDocuments,
    ContactVendor,
    RetryNow,
    RetryLater,
    SearchAgain,
    TryAlternatives,
    Unsupported,
    None,
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
}

/// A field, a named type, or an array's item type: one construct for all three.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// Field: the wire name. Named type: the type name.
    #[serde(default)]
    pub name: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `decimal`, `date`, `datetime`, `enum`,
    /// `object`, `one_of`, `array`, `map`, `any`, or the name of a named type.
    #[serde(rename = "type")]
    pub ty: String,
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

/// The ciphers of `encrypted` values (see `flightapi::rt::crypto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cipher {
    /// Standard base64 of AES-CBC (IV = 16 zero bytes, PKCS7) of the value's JSON text; the
    /// key's length (16, 24 or 32 bytes) picks AES-128, -192 or -256.
    AesCbcZeroIv,
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
