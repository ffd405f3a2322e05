//! Signature recipes: a timestamp (and a nonce) per attempt, a string to sign rendered from
//! a template (see [`super::template`]), a digest, HMAC or AES-CBC of it, written as hex or base64,
//! and values sent where the spec says (headers, query parameters, body fields).
//!
//! Verification reads the same places back, checks the timestamp's age and every non-secret
//! value, computes the signature again over what was received, and compares in constant time.

use serde_json::Value;

use super::template::{self, Inputs, Part};
use super::{AuthError, Context, Incoming, Outgoing, Place, Recipe, Refusal, Verifier};
use crate::crypto::{self, Iv, Padding};

/// What is computed over the string to sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
    /// MD5.
    Md5,
    /// HMAC-SHA256 with the recipe's key.
    HmacSha256,
    /// HMAC-SHA512 with the recipe's key.
    HmacSha512,
    /// AES-CBC encryption with the recipe's key (16, 24 or 32 bytes).
    AesCbc {
        /// The IV rule.
        iv: Iv,
        /// The padding.
        padding: Padding,
    },
}

/// How the signature's bytes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Lowercase hex.
    HexLower,
    /// Uppercase hex.
    HexUpper,
    /// Standard base64.
    Base64,
}

/// The timestamp's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Unix seconds.
    Seconds,
    /// Unix milliseconds.
    Milliseconds,
}

/// One value the recipe sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// A template (`{signature}`, `{timestamp}`, `{credential.key}`, `HMAC {signature}`).
    pub value: &'static str,
    /// Where it goes.
    pub place: Place,
    /// Written as a JSON integer (body fields only), else as a string.
    pub integer: bool,
    /// Other places a receiver also reads it from (a doc's other spelling).
    pub aliases: &'static [Place],
}

/// A signature recipe, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The string to sign.
    pub sign: &'static str,
    /// What is computed over it.
    pub algorithm: Algorithm,
    /// The key template (HMAC and AES).
    pub key: Option<&'static str>,
    /// How the result is written.
    pub output: Output,
    /// The timestamp's unit.
    pub timestamp: TimeUnit,
    /// Whether a nonce is generated.
    pub nonce: bool,
    /// What is sent, and where.
    pub send: &'static [Sent],
    /// The largest distance a receiver accepts between the timestamp and its clock, seconds.
    pub max_skew_secs: u64,
}

impl Signature {
    fn has_signature(sent: &Sent) -> bool {
        template::parse(sent.value).is_ok_and(|parts| parts.contains(&Part::Signature))
    }

    /// The signature over `inputs`, written as the recipe says.
    pub fn compute(&self, inputs: &Inputs<'_>) -> Result<String, AuthError> {
        let message = template::render(self.sign, inputs)?;
        let key = || -> Result<Vec<u8>, AuthError> {
            let template = self.key.ok_or_else(|| AuthError("the recipe needs a key".to_owned()))?;
            template::render(template, inputs)
        };
        let bytes = match self.algorithm {
            Algorithm::Sha256 => crypto::sha256(&message),
            Algorithm::Sha512 => crypto::sha512(&message),
            Algorithm::Md5 => crypto::md5(&message),
            Algorithm::HmacSha256 => crypto::hmac_sha256(&key()?, &message),
            Algorithm::HmacSha512 => crypto::hmac_sha512(&key()?, &message),
            Algorithm::AesCbc { iv, padding } => {
                crypto::aes_cbc(&key()?, iv, padding, &message).map_err(|e| AuthError(format!("signature key: {e}")))?
            }
        };
        Ok(match self.output {
            Output::HexLower => hex::encode(bytes),
            Output::HexUpper => hex::encode_upper(bytes),
            Output::Base64 => crypto::base64(&bytes),
        })
    }

    /// The top-level body keys the signature itself is written to (left out of `{params}`).
    fn signature_keys(&self) -> Vec<&'static str> {
        self.send
            .iter()
            .filter(|s| Self::has_signature(s))
            .filter_map(|s| match s.place {
                Place::Body(path) => Some(path.split(['.', '[']).next().unwrap_or(path)),
                _ => None,
            })
            .collect()
    }

    fn typed(value: String, integer: bool) -> Value {
        match value.parse::<i64>() {
            Ok(n) if integer => Value::from(n),
            _ => Value::String(value),
        }
    }
}

impl Recipe for Signature {
    fn apply(&self, out: &mut Outgoing, cx: &Context<'_>) -> Result<(), AuthError> {
        let timestamp = match self.timestamp {
            TimeUnit::Seconds => cx.now_ms / 1000,
            TimeUnit::Milliseconds => cx.now_ms,
        }
        .to_string();
        let nonce = self.nonce.then(|| uuid::Uuid::new_v4().simple().to_string());
        let base = |body: &'static [u8]| Inputs {
            credentials: cx.credentials,
            timestamp: Some(&timestamp),
            nonce: nonce.as_deref(),
            method: "",
            path: "",
            query: &[],
            body,
            body_value: None,
            params_skip: &[],
            signature: None,
        };
        // Everything but the signature first: the signature may cover it.
        for sent in self.send.iter().filter(|s| !Self::has_signature(s)) {
            let text = String::from_utf8_lossy(&template::render(sent.value, &base(b""))?).into_owned();
            out.put(sent.place, Self::typed(text, sent.integer))?;
        }
        let signs_body = template::parse(self.sign).is_ok_and(|p| p.contains(&Part::Body));
        if signs_body {
            out.freeze_body();
        }
        let skip = self.signature_keys();
        let body_bytes = out.body_bytes.clone().unwrap_or_default();
        let signature = self.compute(&Inputs {
            method: &out.method,
            path: &out.path,
            query: &out.query,
            body: &body_bytes,
            body_value: out.body.as_ref(),
            params_skip: &skip,
            ..base(b"")
        })?;
        for sent in self.send.iter().filter(|s| Self::has_signature(s)) {
            let inputs = Inputs { signature: Some(&signature), ..base(b"") };
            let text = String::from_utf8_lossy(&template::render(sent.value, &inputs)?).into_owned();
            out.put(sent.place, Value::String(text))?;
        }
        Ok(())
    }

    fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>) -> Result<(), Refusal> {
        let read = |sent: &Sent| {
            std::iter::once(sent.place).chain(sent.aliases.iter().copied()).find_map(|p| incoming.read(p))
        };
        let exactly =
            |part: Part<'static>| self.send.iter().find(|s| template::parse(s.value).is_ok_and(|p| p == [part]));
        let take = |part: Part<'static>, what: &str| -> Result<Option<String>, Refusal> {
            match exactly(part) {
                None => Ok(None),
                Some(sent) => read(sent)
                    .map(Some)
                    .ok_or_else(|| Refusal::Unauthorized(format!("the {what} ({}) is missing", sent.place))),
            }
        };
        let timestamp = take(Part::Timestamp, "timestamp")?;
        let nonce = take(Part::Nonce, "nonce")?;
        let inputs = Inputs {
            credentials: cx.credentials,
            timestamp: timestamp.as_deref(),
            nonce: nonce.as_deref(),
            method: incoming.method,
            path: incoming.path,
            query: incoming.query,
            body: incoming.body_bytes,
            body_value: Some(incoming.body),
            params_skip: &self.signature_keys(),
            signature: None,
        };
        let mut received_signature = None;
        for sent in self.send {
            let Ok(parts) = template::parse(sent.value) else { continue };
            if parts == [Part::Timestamp] || parts == [Part::Nonce] {
                continue;
            }
            let got = read(sent).ok_or_else(|| Refusal::Unauthorized(format!("the {} is missing", sent.place)))?;
            if let Some(i) = parts.iter().position(|p| *p == Part::Signature) {
                // `<prefix>{signature}<suffix>`: the rest must be as the template renders it.
                let render = |ps: &[Part<'_>]| -> Result<String, Refusal> {
                    let mut text = String::new();
                    for p in ps {
                        if let Part::Literal(s) = p {
                            text.push_str(s);
                        } else {
                            return Err(Refusal::Unauthorized(format!(
                                "{}: unsupported signature template",
                                sent.place
                            )));
                        }
                    }
                    Ok(text)
                };
                let (prefix, suffix) = (render(&parts[..i])?, render(&parts[i + 1..])?);
                let inner = got
                    .strip_prefix(prefix.as_str())
                    .and_then(|g| g.strip_suffix(suffix.as_str()))
                    .ok_or_else(|| Refusal::Unauthorized(format!("the {} is not in the expected form", sent.place)))?;
                received_signature = Some(inner.to_owned());
                continue;
            }
            let expected = template::render(sent.value, &inputs).map_err(|e| Refusal::Unauthorized(e.0))?;
            if !crypto::constant_time_eq(&got, &String::from_utf8_lossy(&expected)) {
                return Err(Refusal::Unauthorized(format!("the {} is not an accepted value", sent.place)));
            }
        }
        if let (Some(ts), Some(max)) = (&timestamp, cx.max_skew_secs) {
            check_skew(ts, self.timestamp, cx.now_ms, max)?;
        }
        let received = received_signature.ok_or_else(|| Refusal::Unauthorized("no signature was sent".to_owned()))?;
        let expected = self.compute(&inputs).map_err(|e| Refusal::Unauthorized(e.0))?;
        let same = match self.output {
            Output::Base64 => crypto::constant_time_eq(&received, &expected),
            Output::HexLower | Output::HexUpper => {
                crypto::constant_time_eq(&received.to_ascii_lowercase(), &expected.to_ascii_lowercase())
            }
        };
        if same {
            Ok(())
        } else {
            Err(Refusal::Unauthorized("the signature does not match".to_owned()))
        }
    }
}

/// Refuses a timestamp more than `max_skew_secs` away from `now_ms`.
fn check_skew(timestamp: &str, unit: TimeUnit, now_ms: u64, max_skew_secs: u64) -> Result<(), Refusal> {
    let Ok(n) = timestamp.trim().parse::<f64>() else {
        return Err(Refusal::Stale(format!("timestamp {timestamp:?} is not a Unix time")));
    };
    let seconds = match unit {
        TimeUnit::Seconds => n,
        TimeUnit::Milliseconds => n / 1000.0,
    };
    let skew = (seconds - now_ms as f64 / 1000.0).abs();
    if !skew.is_finite() || skew > max_skew_secs as f64 {
        return Err(Refusal::Stale(format!(
            "timestamp {timestamp} is {skew:.0} s away from the server clock (at most {max_skew_secs} s allowed)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialSet;

    /// AES-256-CBC of `key&timestamp` into envelope fields (one vendor's published vector).
    const AES: Signature = Signature {
        sign: "{credential.key}&{timestamp}",
        algorithm: Algorithm::AesCbc { iv: Iv::Zero, padding: Padding::Pkcs7 },
        key: Some("{credential.secret}"),
        output: Output::Base64,
        timestamp: TimeUnit::Seconds,
        nonce: false,
        send: &[
            Sent { value: "{credential.key}", place: Place::Body("key"), integer: false, aliases: &[] },
            Sent { value: "{timestamp}", place: Place::Body("timestamp"), integer: true, aliases: &[] },
            Sent { value: "{signature}", place: Place::Body("signature"), integer: false, aliases: &[] },
        ],
        max_skew_secs: 300,
    };

    fn never(_: &str) -> Result<(), &'static str> {
        Err("no tokens")
    }

    fn verify(recipe: &Signature, credentials: &CredentialSet, out: &Outgoing, now_ms: u64) -> Result<(), Refusal> {
        let body = out.body.clone().unwrap_or(Value::Null);
        let bytes = out.body_bytes.clone().unwrap_or_else(|| serde_json::to_vec(&body).unwrap());
        let headers = out.headers.clone();
        let header =
            move |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        let incoming = Incoming {
            method: &out.method,
            path: &out.path,
            query: &out.query,
            header: &header,
            body: &body,
            body_bytes: &bytes,
        };
        recipe.verify(&incoming, &Verifier { credentials, now_ms, max_skew_secs: Some(300), token: &never })
    }

    #[test]
    fn aes_recipe_reproduces_the_published_vector_and_verifies() {
        let credentials =
            CredentialSet::new().with("key", "ctPJAIdxUA3ptaWC").with("secret", "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
        let mut out = Outgoing { method: "POST".into(), path: "/flight/booking".into(), ..Outgoing::default() };
        let now_ms = 1_685_116_516_000;
        AES.apply(&mut out, &Context { credentials: &credentials, now_ms, token: None }).unwrap();
        let body = out.body.clone().unwrap();
        assert_eq!(body["signature"], "15hhHQ8C6F9OxD/BNyztUKf6OWRXFhlhkpAKecQW+4s=");
        assert_eq!(body["timestamp"], 1_685_116_516);
        assert_eq!(verify(&AES, &credentials, &out, now_ms), Ok(()));
        assert!(matches!(verify(&AES, &credentials, &out, now_ms + 600_000), Err(Refusal::Stale(_))));
        let other =
            CredentialSet::new().with("key", "ctPJAIdxUA3ptaWC").with("secret", "124sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
        assert!(matches!(verify(&AES, &other, &out, now_ms), Err(Refusal::Unauthorized(_))));
    }

    #[test]
    fn hmac_over_the_body_in_headers() {
        const HMAC: Signature = Signature {
            sign: "{method}\n{path}\n{timestamp}\n{body}",
            algorithm: Algorithm::HmacSha256,
            key: Some("{credential.secret}"),
            output: Output::HexUpper,
            timestamp: TimeUnit::Milliseconds,
            nonce: true,
            send: &[
                Sent { value: "{timestamp}", place: Place::Header("X-Timestamp"), integer: false, aliases: &[] },
                Sent { value: "{nonce}", place: Place::Header("X-Nonce"), integer: false, aliases: &[] },
                Sent { value: "HMAC {signature}", place: Place::Header("Authorization"), integer: false, aliases: &[] },
            ],
            max_skew_secs: 300,
        };
        let credentials = CredentialSet::new().with("secret", "s3cret");
        let mut out = Outgoing {
            method: "POST".into(),
            path: "/v1/orders".into(),
            body: Some(serde_json::json!({"a": 1})),
            ..Outgoing::default()
        };
        let now_ms = 1_700_000_000_123;
        HMAC.apply(&mut out, &Context { credentials: &credentials, now_ms, token: None }).unwrap();
        assert_eq!(out.body_bytes.as_deref(), Some(&br#"{"a":1}"#[..]));
        let auth = &out.headers.iter().find(|(k, _)| k == "Authorization").unwrap().1;
        let expected = hex::encode_upper(crypto::hmac_sha256(b"s3cret", b"POST\n/v1/orders\n1700000000123\n{\"a\":1}"));
        assert_eq!(auth, &format!("HMAC {expected}"));
        assert_eq!(verify(&HMAC, &credentials, &out, now_ms), Ok(()));
        // A body altered in transit no longer verifies.
        out.body_bytes = Some(br#"{"a":2}"#.to_vec());
        assert!(matches!(verify(&HMAC, &credentials, &out, now_ms), Err(Refusal::Unauthorized(_))));
    }
}
