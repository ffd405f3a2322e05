//! Receiving a vendor's push (an `inbound` operation of its spec): check the signature with
//! the vendor's signature recipe (the code the client signs with), then read the typed
//! payload. Each push operation's generated module wraps this as `verify(body, &credentials)`
//! and `ACKNOWLEDGEMENT`, the answer the vendor expects back.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::{self, Incoming, Recipe, Refusal, Verifier};
use super::credentials::CredentialSet;
use super::operation::Vendor;
use super::violation::json_path_from_serde;

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The body is not JSON.
    #[error("the push body is not JSON: {0}")]
    NotJson(String),
    /// The signature or timestamp does not check out.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// Signed correctly, but not the documented payload.
    #[error("the push does not decode at {path}: {message}")]
    Decode {
        /// The JSON path that failed.
        path: String,
        /// Why.
        message: String,
    },
}

/// How strictly a push's timestamp is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// The largest distance between the push's timestamp and the receiver's clock, in
    /// seconds; `None`: any (for replaying recorded pushes).
    pub max_skew_secs: Option<u64>,
}

impl Default for Check {
    /// Five minutes either way.
    fn default() -> Self {
        Check { max_skew_secs: Some(300) }
    }
}

impl Check {
    /// Checks the signature but not the timestamp's age.
    pub fn signature_only() -> Self {
        Check { max_skew_secs: None }
    }
}

/// Verifies the signature of a push body with the vendor's signature recipe (the same code
/// the client signs with) and decodes it as `T` (the push operation's request envelope).
pub fn verify<T: DeserializeOwned>(
    vendor: &Vendor,
    credentials: &CredentialSet,
    body: &[u8],
    check: Check,
) -> Result<T, PushError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| PushError::NotJson(e.to_string()))?;
    if let Some(signature) = &vendor.auth.signature {
        let no_header = |_: &str| None;
        let incoming =
            Incoming { method: "POST", path: "", query: &[], header: &no_header, body: &value, body_bytes: body };
        let no_tokens = |_: &str| Err("no tokens");
        let verifier =
            Verifier { credentials, now_ms: auth::now_ms(), max_skew_secs: check.max_skew_secs, token: &no_tokens };
        signature.verify(&incoming, &verifier)?;
    }
    serde_path_to_error::deserialize(&value).map_err(|e| PushError::Decode {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })
}
