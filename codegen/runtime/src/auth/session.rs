//! Session recipes: a login operation of the spec, whose body is built from credentials and
//! whose response carries a token at a JSON path; the token goes with every other call (a
//! header, `Authorization: Bearer`, or a body field) until it expires or the vendor answers
//! with one of the "session expired" codes. The client logs in once for concurrent calls
//! (see [`super::token::TokenCache`]).

use serde_json::Value;

use super::template::{self, Inputs};
use super::{AuthError, Context, Expiry, Incoming, Outgoing, Place, Recipe, Refusal, Verifier};
use crate::credentials::CredentialSet;

/// A session recipe, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// The login operation's wire name.
    pub login: &'static str,
    /// The login body: `(JSON path in the operation's body, template)`.
    pub body: &'static [(&'static str, &'static str)],
    /// Where the token sits in the login response (the whole wire body).
    pub token_at: &'static str,
    /// Where the token goes on every other call.
    pub send: Place,
    /// How long a token lives, in seconds.
    pub lifetime_secs: u64,
    /// What means "log in again".
    pub expired: Expiry,
}

impl Session {
    /// The login operation's body, from the credentials.
    pub fn login_body(&self, credentials: &CredentialSet) -> Result<Value, AuthError> {
        let mut body = Value::Object(Default::default());
        for (path, value) in self.body {
            let inputs = Inputs {
                credentials,
                timestamp: None,
                nonce: None,
                method: "",
                path: "",
                query: &[],
                body: b"",
                body_value: None,
                params_skip: &[],
                signature: None,
            };
            let text = String::from_utf8_lossy(&template::render(value, &inputs)?).into_owned();
            crate::jsonpath::set(&mut body, path, Value::String(text), "").map_err(|e| AuthError(e.to_string()))?;
        }
        Ok(body)
    }

    /// The token in a login response.
    pub fn token_in(&self, response: &Value) -> Option<String> {
        crate::jsonpath::text(response, self.token_at).filter(|t| !t.is_empty())
    }
}

impl Recipe for Session {
    fn apply(&self, out: &mut Outgoing, cx: &Context<'_>) -> Result<(), AuthError> {
        let token = cx.token.ok_or_else(|| AuthError("no session: log in first".to_owned()))?;
        out.put(self.send, Value::String(token.to_owned()))
    }

    fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>) -> Result<(), Refusal> {
        let token = incoming.read(self.send).ok_or_else(|| Refusal::Token(format!("the {} is missing", self.send)))?;
        (cx.token)(&token).map_err(|e| Refusal::Token(e.to_owned()))
    }
}
