//! Credentials, and the request signatures of each [`AuthScheme`]: the client signs with
//! them, the mock server and push receivers verify with them. Each scheme is written once.
//!
//! Scheme parameters come from the spec (`auth.params`):
//! - `sha512_sign`: `auth_field` (the body object that receives `{sign, timestamp}`),
//!   `key_header` (informational: the key also travels in a credential header).
//! - `aes_signature`: `key_field`, `signature_field`, `timestamp_field` (envelope fields).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::crypto;
use super::operation::{AuthScheme, Vendor};
use super::schema::Kind;
use super::secret::Secret;

/// The credentials of one vendor account. `Debug` never shows the secrets.
///
/// Signing vendors (FR24, AeroHub) use `key` and `secret`; OAuth2 vendors (Travelport) use
/// the client and resource-owner fields; each vendor's spec lists the ones it needs.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// The account key (FR24 appKey, AeroHub key).
    pub key: String,
    /// The signing secret.
    pub secret: Secret<String>,
    /// The key of encrypted fields (FR24's AES key for booking passengers).
    pub encryption_key: Option<Secret<String>>,
    /// OAuth2 client id.
    pub client_id: String,
    /// OAuth2 client secret.
    pub client_secret: Secret<String>,
    /// OAuth2 resource-owner user name.
    pub username: String,
    /// OAuth2 resource-owner password.
    pub password: Secret<String>,
    /// An account group sent in a header (Travelport's access group).
    pub access_group: String,
}

/// Why credentials could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialsError(pub String);

impl Credentials {
    /// Key and secret.
    pub fn new(key: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials { key: key.into(), secret: Secret::new(secret.into()), ..Credentials::default() }
    }

    /// OAuth2 password-grant credentials: client id and secret, user name and password.
    pub fn oauth2(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret.into()),
            username: username.into(),
            password: Secret::new(password.into()),
            ..Credentials::default()
        }
    }

    /// Adds the account group sent in a header.
    pub fn with_access_group(mut self, group: impl Into<String>) -> Self {
        self.access_group = group.into();
        self
    }

    /// Adds the key of encrypted fields.
    pub fn with_encryption_key(mut self, key: impl Into<String>) -> Self {
        self.encryption_key = Some(Secret::new(key.into()));
        self
    }

    /// The value of credential `name` (`key`, `secret`, `encryption_key`, `client_id`,
    /// `client_secret`, `username`, `password`, `access_group`).
    pub fn get(&self, name: &str) -> Option<&str> {
        match name {
            "key" => Some(&self.key),
            "secret" => Some(self.secret.expose()),
            "encryption_key" => self.encryption_key.as_ref().map(|k| k.expose().as_str()),
            "client_id" => Some(&self.client_id),
            "client_secret" => Some(self.client_secret.expose()),
            "username" => Some(&self.username),
            "password" => Some(self.password.expose()),
            "access_group" => Some(&self.access_group),
            _ => None,
        }
    }

    fn set(&mut self, name: &str, value: String) {
        match name {
            "key" => self.key = value,
            "secret" => self.secret = Secret::new(value),
            "encryption_key" => self.encryption_key = Some(Secret::new(value)),
            "client_id" => self.client_id = value,
            "client_secret" => self.client_secret = Secret::new(value),
            "username" => self.username = value,
            "password" => self.password = Secret::new(value),
            "access_group" => self.access_group = value,
            _ => {}
        }
    }

    /// What the mock server accepts by default: the docs' sample credentials, or the spec's
    /// `mock` values where the docs publish none.
    pub fn samples(vendor: &Vendor) -> Self {
        let mut out = Credentials::default();
        for spec in vendor.credentials {
            if let Some(v) = spec.sample.or(spec.mock) {
                out.set(spec.name, v.to_owned());
            }
        }
        out
    }

    /// What a mock server started from the command line accepts: each credential from its
    /// environment variable, else the docs' sample, else the spec's `mock` value.
    pub fn from_env_for_mock(vendor: &Vendor) -> Result<Self, CredentialsError> {
        Self::read(vendor, |var| {
            let spec = vendor.credentials.iter().find(|c| c.env == var);
            std::env::var(var).ok().filter(|v| !v.is_empty()).or_else(|| spec.and_then(|c| c.mock).map(str::to_owned))
        })
    }

    /// Reads each credential from its environment variable (named in the spec), falling back
    /// to the docs' sample value; fails naming the variables that are missing.
    pub fn from_env(vendor: &Vendor) -> Result<Self, CredentialsError> {
        Self::read(vendor, |var| std::env::var(var).ok().filter(|v| !v.is_empty()))
    }

    /// [`Credentials::from_env`] with a custom lookup (tests, configuration files).
    pub fn read(vendor: &Vendor, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, CredentialsError> {
        let mut out = Credentials::default();
        let mut missing = Vec::new();
        for spec in vendor.credentials {
            let value = lookup(spec.env).or_else(|| spec.sample.map(str::to_owned));
            match (spec.name, value) {
                (name, Some(v)) => out.set(name, v),
                // Only operations with encrypted fields need it; they say so when it is missing.
                ("encryption_key", None) => {}
                (_, None) => missing.push(spec.env),
            }
        }
        if missing.is_empty() {
            Ok(out)
        } else {
            Err(CredentialsError(format!("set {} ({} credentials)", missing.join(", "), vendor.name)))
        }
    }
}

/// The current Unix time in whole seconds, as the vendors write timestamps.
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn param(vendor: &Vendor, name: &str, default: &'static str) -> &'static str {
    vendor.auth_param(name).unwrap_or(default)
}

/// Signs a whole request wire body in place with `timestamp` (Unix seconds as text).
/// Any authentication already in the body is replaced.
pub fn sign(vendor: &Vendor, credentials: &Credentials, wire: &mut Map<String, Value>, timestamp: &str) {
    let key = credentials.key.as_str();
    let secret = credentials.secret.expose().as_str();
    match vendor.auth {
        AuthScheme::Sha512Sign => {
            let field = param(vendor, "auth_field", "authentication");
            let sign = crypto::sha512_hex(&[key, secret, timestamp]);
            let mut auth = Map::new();
            auth.insert("sign".to_owned(), Value::String(sign));
            auth.insert("timestamp".to_owned(), Value::String(timestamp.to_owned()));
            wire.insert(field.to_owned(), Value::Object(auth));
        }
        AuthScheme::AesSignature => {
            let signature =
                crypto::aes_cbc_encrypt(secret.as_bytes(), format!("{key}&{timestamp}").as_bytes()).unwrap_or_default();
            wire.insert(param(vendor, "key_field", "key").to_owned(), Value::String(key.to_owned()));
            let field = param(vendor, "timestamp_field", "timestamp");
            wire.insert(field.to_owned(), timestamp_value(vendor, field, timestamp));
            wire.insert(param(vendor, "signature_field", "signature").to_owned(), Value::String(signature));
        }
        AuthScheme::Oauth2Password | AuthScheme::None => {}
    }
}

/// The timestamp as the envelope types it: a JSON integer for an `integer` field (AeroHub),
/// a string otherwise.
fn timestamp_value(vendor: &Vendor, field: &str, timestamp: &str) -> Value {
    let schema = vendor.schema;
    let integer = schema
        .request_envelope
        .fields
        .iter()
        .find(|f| f.wire == field)
        .is_some_and(|f| matches!(schema.types[f.ty].kind, Kind::Int { .. }));
    match timestamp.parse::<i64>() {
        Ok(n) if integer => Value::from(n),
        _ => Value::String(timestamp.to_owned()),
    }
}

/// Why a receiver refused a request's authentication.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A missing or wrong key, or a signature that does not match.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// The timestamp is too far from the receiver's clock (a replay, or a wrong clock).
    #[error("stale timestamp: {0}")]
    Stale(String),
}

/// Checks the authentication of a received wire body: the credential headers (`header`
/// looks a header up by name, case-insensitively), the signature, and that the timestamp is
/// within `max_skew_secs` of `now` (Unix seconds). Never quotes a secret or a signature.
pub fn verify(
    vendor: &Vendor,
    credentials: &Credentials,
    wire: &Value,
    header: &dyn Fn(&str) -> Option<String>,
    now: u64,
    max_skew_secs: u64,
) -> Result<(), Refusal> {
    verify_headers(vendor, credentials, header)?;
    verify_signature(vendor, credentials, wire, now, max_skew_secs)
}

/// Checks the headers that carry a credential (FR24's `appKey`).
pub fn verify_headers(
    vendor: &Vendor,
    credentials: &Credentials,
    header: &dyn Fn(&str) -> Option<String>,
) -> Result<(), Refusal> {
    for (name, credential) in vendor.credential_headers {
        let expected = credentials.get(credential).unwrap_or_default();
        match header(name) {
            None => return Err(Refusal::Unauthorized(format!("the {name} header is missing"))),
            Some(v) if !crypto::constant_time_eq(&v, expected) => {
                return Err(Refusal::Unauthorized(format!("unknown {name}")))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Checks the signature in a wire body and that its timestamp is within `max_skew_secs` of
/// `now` (Unix seconds). Never quotes a secret or a signature.
pub fn verify_signature(
    vendor: &Vendor,
    credentials: &Credentials,
    wire: &Value,
    now: u64,
    max_skew_secs: u64,
) -> Result<(), Refusal> {
    let key = credentials.key.as_str();
    let secret = credentials.secret.expose().as_str();
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let timestamp = match vendor.auth {
        AuthScheme::Sha512Sign => {
            let field = param(vendor, "auth_field", "authentication");
            let Some(auth) = wire.get(field).and_then(Value::as_object) else {
                return Err(Refusal::Unauthorized(format!("`{field}` is missing")));
            };
            let timestamp = timestamp_spellings(vendor, field).iter().find_map(|k| text(auth.get(k)));
            let Some(timestamp) = timestamp else {
                return Err(Refusal::Unauthorized(format!("`{field}.timestamp` is missing")));
            };
            let Some(sign) = text(auth.get("sign")) else {
                return Err(Refusal::Unauthorized(format!("`{field}.sign` is missing")));
            };
            let expected = crypto::sha512_hex(&[key, secret, &timestamp]);
            if !crypto::constant_time_eq(&sign.to_ascii_lowercase(), &expected) {
                return Err(Refusal::Unauthorized("the signature does not match".to_owned()));
            }
            timestamp
        }
        AuthScheme::AesSignature => {
            let field = |name: &str, default: &'static str| text(wire.get(param(vendor, name, default)));
            let (Some(k), Some(timestamp), Some(signature)) = (
                field("key_field", "key"),
                field("timestamp_field", "timestamp"),
                field("signature_field", "signature"),
            ) else {
                return Err(Refusal::Unauthorized("key, timestamp or signature is missing".to_owned()));
            };
            if !crypto::constant_time_eq(&k, key) {
                return Err(Refusal::Unauthorized("unknown key".to_owned()));
            }
            let expected = crypto::aes_cbc_encrypt(secret.as_bytes(), format!("{key}&{timestamp}").as_bytes())
                .map_err(|e| Refusal::Unauthorized(e.to_string()))?;
            if !crypto::constant_time_eq(&signature, &expected) {
                return Err(Refusal::Unauthorized("the signature does not match".to_owned()));
            }
            timestamp
        }
        AuthScheme::Oauth2Password | AuthScheme::None => return Ok(()),
    };
    let Ok(seconds) = timestamp.trim().parse::<f64>() else {
        return Err(Refusal::Stale(format!("timestamp {timestamp:?} is not Unix seconds")));
    };
    let skew = (seconds - now as f64).abs();
    if !skew.is_finite() || skew > max_skew_secs as f64 {
        return Err(Refusal::Stale(format!(
            "timestamp {timestamp} is {skew:.0} s away from the server clock (at most {max_skew_secs} s allowed)"
        )));
    }
    Ok(())
}

/// `timestamp` and the aliases the spec gives it inside the auth object (FR24's push sends
/// `timeStamp`).
fn timestamp_spellings(vendor: &Vendor, auth_field: &str) -> Vec<String> {
    let schema = vendor.schema;
    let auth = schema.request_envelope.fields.iter().find(|f| f.wire == auth_field);
    let aliases = match auth.map(|f| &schema.types[f.ty].kind) {
        Some(Kind::Object { fields }) => fields.iter().find(|f| f.wire == "timestamp").map(|f| f.aliases.to_vec()),
        _ => None,
    };
    std::iter::once("timestamp".to_owned()).chain(aliases.unwrap_or_default().into_iter().map(String::from)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::Validate;

    fn aes_vendor() -> Vendor {
        Vendor {
            name: "aes",
            base_url: "http://localhost",
            auth: AuthScheme::AesSignature,
            auth_params: &[],
            headers: &[],
            credential_headers: &[],
            credentials: &[],
            base_url_env: None,
            mock: None,
            schema: <crate::rt::RawObject as Validate>::schema(),
            operations: &[],
            api_error: None,
            error_tables: &[],
            profiles: &[],
        }
    }

    #[test]
    fn aes_signature_signs_with_the_published_vector_and_verifies() {
        let vendor = aes_vendor();
        let credentials = Credentials::new("ctPJAIdxUA3ptaWC", "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
        let mut wire = Map::new();
        sign(&vendor, &credentials, &mut wire, "1685116516");
        assert_eq!(wire["signature"], "15hhHQ8C6F9OxD/BNyztUKf6OWRXFhlhkpAKecQW+4s=");
        assert_eq!(wire["key"], "ctPJAIdxUA3ptaWC");
        let wire = Value::Object(wire);
        assert_eq!(verify_signature(&vendor, &credentials, &wire, 1685116516, 300), Ok(()));
        assert!(matches!(verify_signature(&vendor, &credentials, &wire, 1685117000, 300), Err(Refusal::Stale(_))));
        let other = Credentials::new("ctPJAIdxUA3ptaWC", "124sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
        assert!(matches!(verify_signature(&vendor, &other, &wire, 1685116516, 300), Err(Refusal::Unauthorized(_))));
    }
}
