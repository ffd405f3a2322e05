//! OAuth2 recipes: bearer tokens from a token endpoint, by the password or the
//! client-credentials grant, the request as a form or as JSON. Tokens are cached and replaced
//! before they expire (see [`super::token::TokenCache`]); the lifetime a response does not
//! state comes from the spec. Tokens and passwords never appear in `Debug` output or errors.

use serde_json::Value;

use super::{credential, AuthError, Context, Expiry, Incoming, Outgoing, Place, Recipe, Refusal, Verifier};
use crate::credentials::CredentialSet;

/// The grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// `password`: a client id and secret, and a user's name and password.
    Password,
    /// `client_credentials`: a client id and secret.
    ClientCredentials,
}

impl Grant {
    /// The `grant_type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::Password => "password",
            Grant::ClientCredentials => "client_credentials",
        }
    }
}

/// How the token request's parameters are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenBody {
    /// `application/x-www-form-urlencoded` (RFC 6749).
    Form,
    /// A JSON object.
    Json,
}

/// An OAuth2 recipe, as the spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuth2 {
    /// The grant.
    pub grant: Grant,
    /// The token endpoint.
    pub token_url: &'static str,
    /// The environment variable that overrides it.
    pub token_url_env: Option<&'static str>,
    /// The scope, sent when given.
    pub scope: Option<&'static str>,
    /// How the parameters are sent.
    pub body: TokenBody,
    /// The credential sent as `client_id`.
    pub client_id: &'static str,
    /// The credential sent as `client_secret`.
    pub client_secret: &'static str,
    /// The credential sent as `username` (password grant).
    pub username: Option<&'static str>,
    /// The credential sent as `password` (password grant).
    pub password: Option<&'static str>,
    /// A token's lifetime when the response does not say (`expires_in`), in seconds.
    pub lifetime_secs: u64,
    /// What means "fetch a new token".
    pub expired: Expiry,
}

impl OAuth2 {
    /// The token request's parameters.
    pub fn parameters(&self, credentials: &CredentialSet) -> Result<Vec<(&'static str, String)>, AuthError> {
        let mut out = vec![
            ("grant_type", self.grant.as_str().to_owned()),
            ("client_id", credential(credentials, self.client_id)?.to_owned()),
            ("client_secret", credential(credentials, self.client_secret)?.to_owned()),
        ];
        if self.grant == Grant::Password {
            for (key, name) in [("username", self.username), ("password", self.password)] {
                let name = name.ok_or_else(|| AuthError(format!("the password grant needs a `{key}` credential")))?;
                out.push((key, credential(credentials, name)?.to_owned()));
            }
        }
        if let Some(scope) = self.scope {
            out.push(("scope", scope.to_owned()));
        }
        Ok(out)
    }

    /// Checks a token request's parameters against the credentials (the mock's token endpoint).
    pub fn check_parameters(
        &self,
        got: &dyn Fn(&str) -> Option<String>,
        credentials: &CredentialSet,
    ) -> Result<(), (&'static str, &'static str)> {
        if got("grant_type").as_deref() != Some(self.grant.as_str()) {
            return Err(("unsupported_grant_type", "unexpected grant_type"));
        }
        let eq = |key: &str, name: Option<&str>| {
            let expected = name.and_then(|n| credentials.get(n)).unwrap_or_default();
            crate::crypto::constant_time_eq(&got(key).unwrap_or_default(), expected)
        };
        if !(eq("client_id", Some(self.client_id)) && eq("client_secret", Some(self.client_secret))) {
            return Err(("invalid_client", "unknown client or wrong client secret"));
        }
        if self.grant == Grant::Password && !(eq("username", self.username) && eq("password", self.password)) {
            return Err(("invalid_grant", "wrong user name or password"));
        }
        Ok(())
    }

    /// The token URL: the environment variable the spec names, else the spec's URL.
    pub fn default_token_url(&self) -> String {
        self.token_url_env
            .and_then(|var| std::env::var(var).ok())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| self.token_url.to_owned())
    }
}

impl Recipe for OAuth2 {
    fn apply(&self, out: &mut Outgoing, cx: &Context<'_>) -> Result<(), AuthError> {
        let token = cx.token.ok_or_else(|| AuthError("no bearer token".to_owned()))?;
        out.put(Place::Bearer, Value::String(token.to_owned()))
    }

    fn verify(&self, incoming: &Incoming<'_>, cx: &Verifier<'_>) -> Result<(), Refusal> {
        let token = incoming
            .read(Place::Bearer)
            .ok_or_else(|| Refusal::Token("the Authorization header is missing or not a bearer token".to_owned()))?;
        (cx.token)(token.trim()).map_err(|e| Refusal::Token(e.to_owned()))
    }
}
