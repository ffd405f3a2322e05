//! API keys: a credential sent as it is, in a header or a query parameter.

use super::{credential, AuthError, Context, Incoming, Outgoing, Place, Recipe, Refusal, Verifier};
use crate::crypto;

/// An API key recipe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKey {
    /// The credential sent.
    pub credential: &'static str,
    /// Where it goes (a header or a query parameter).
    pub place: Place,
}

impl Recipe for ApiKey {
    fn apply(&self, out: &mut Outgoing, cx: &Context<'_>) -> Result<(), AuthError> {
        let value = credential(cx.credentials, self.credential)?;
        out.put(self.place, serde_json::Value::String(value.to_owned()))
    }

    fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>) -> Result<(), Refusal> {
        let expected = cx.credentials.get(self.credential).unwrap_or_default();
        match incoming.read(self.place) {
            None => Err(Refusal::Unauthorized(format!("the {} is missing", self.place))),
            Some(got) if crypto::constant_time_eq(&got, expected) => Ok(()),
            Some(_) => Err(Refusal::Unauthorized(format!("the {} is not an accepted key", self.place))),
        }
    }
}
