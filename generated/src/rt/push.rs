//! Receiving a vendor's push (FR24's orderChangeInforming): check the signature, then read
//! the typed payload. A partner's HTTP handler is three lines:
//!
//! ```
//! # use flightapi::fr24::order_change_informing as push;
//! # let credentials = flightapi::rt::Credentials::new("test", "123456");
//! # let example = flightapi::fr24::VENDOR.operation("orderChangeInforming").unwrap().examples[0];
//! # let body = example.request.unwrap().as_bytes();
//! # let check = flightapi::rt::push::Check::signature_only();
//! let change = push::verify_with(body, &credentials, check)?; // refuses a wrong signature
//! println!("order {} is now {:?}", change.body.order_no, change.body.order_status);
//! let answer: &str = push::ACKNOWLEDGEMENT; // what FR24 expects back
//! # assert!(answer.contains("000000"));
//! # Ok::<(), flightapi::rt::push::PushError>(())
//! ```

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::auth::{self, Credentials, Refusal};
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

/// Verifies the signature of a push body and decodes it as `T` (the push operation's
/// request envelope).
pub fn verify<T: DeserializeOwned>(
    vendor: &Vendor,
    credentials: &Credentials,
    body: &[u8],
    check: Check,
) -> Result<T, PushError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| PushError::NotJson(e.to_string()))?;
    let now = auth::unix_now();
    match check.max_skew_secs {
        Some(skew) => auth::verify_signature(vendor, credentials, &value, now, skew)?,
        None => auth::verify_signature(vendor, credentials, &value, now, u64::MAX)?,
    }
    serde_path_to_error::deserialize(&value).map_err(|e| PushError::Decode {
        path: json_path_from_serde(&e.path().to_string()),
        message: e.into_inner().to_string(),
    })
}
