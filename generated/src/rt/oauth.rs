//! OAuth2 bearer tokens for vendors whose spec says `oauth2_password` (feature `client`):
//! fetched from the token URL with the client id and secret and the user's name and password,
//! cached, refreshed before they expire, and fetched once even when many calls need one at
//! the same time. Tokens and passwords never appear in `Debug` output or error messages.
//!
//! Scheme parameters (`auth.params`): `token_url` (the default token endpoint),
//! `token_url_env` (the environment variable that overrides it), `grant_type` (default
//! `password`) and `scope` (sent when given).

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::auth::Credentials;
use super::operation::Vendor;
use super::secret::Secret;

/// How long before its expiry a token is replaced: a tenth of its lifetime, at most a minute.
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

#[derive(Clone)]
struct Token {
    value: Secret<String>,
    refresh_at: Instant,
}

/// A cache of one account's bearer token, shared by the clones of a client.
#[derive(Default)]
pub struct TokenCache {
    token: tokio::sync::Mutex<Option<Token>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache(***)")
    }
}

/// Why no token could be had. Never quotes a credential.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct TokenError(pub String);

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Secret<String>,
    #[serde(default)]
    expires_in: Option<super::LooseInt>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

impl TokenCache {
    /// A valid token: the cached one, or a new one when there is none or it is about to expire.
    /// Callers that arrive while a fetch is under way wait for it and share its token.
    pub async fn bearer(
        &self,
        http: &reqwest::Client,
        vendor: &Vendor,
        token_url: &str,
        credentials: &Credentials,
    ) -> Result<Secret<String>, TokenError> {
        let mut slot = self.token.lock().await;
        if let Some(token) = slot.as_ref() {
            if Instant::now() < token.refresh_at {
                return Ok(token.value.clone());
            }
        }
        let token = fetch(http, vendor, token_url, credentials).await?;
        let value = token.value.clone();
        *slot = Some(token);
        Ok(value)
    }

    /// Forgets `rejected` (the vendor answered 401 to it) so the next call fetches a new one.
    pub async fn invalidate(&self, rejected: &Secret<String>) {
        let mut slot = self.token.lock().await;
        if slot.as_ref().is_some_and(|t| t.value.expose() == rejected.expose()) {
            *slot = None;
        }
    }
}

async fn fetch(
    http: &reqwest::Client,
    vendor: &Vendor,
    token_url: &str,
    credentials: &Credentials,
) -> Result<Token, TokenError> {
    let mut form = vec![
        ("grant_type", vendor.auth_param("grant_type").unwrap_or("password")),
        ("client_id", credentials.client_id.as_str()),
        ("client_secret", credentials.client_secret.expose().as_str()),
        ("username", credentials.username.as_str()),
        ("password", credentials.password.expose().as_str()),
    ];
    if let Some(scope) = vendor.auth_param("scope") {
        form.push(("scope", scope));
    }
    let started = Instant::now();
    let response = http
        .post(token_url)
        .header(reqwest::header::ACCEPT, "application/json")
        .form(&form)
        .send()
        .await
        .map_err(|e| TokenError(format!("token request to {token_url} failed: {}", e.without_url())))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| TokenError(format!("token response: {}", e.without_url())))?;
    if !status.is_success() {
        let reason = match serde_json::from_slice::<OAuthError>(&body) {
            Ok(e) => match e.error_description {
                Some(d) => format!("{}: {d}", e.error),
                None => e.error,
            },
            Err(_) => "no OAuth error in the body".to_owned(),
        };
        return Err(TokenError(format!("the token endpoint refused the credentials (HTTP {status}): {reason}")));
    }
    let parsed: TokenResponse = serde_json::from_slice(&body)
        .map_err(|e| TokenError(format!("the token response has no usable access_token: {e}")))?;
    // Travelport: "valid for 24 hours (86,400 seconds)" when the response does not say.
    let lifetime = Duration::from_secs(parsed.expires_in.map_or(86_400, |n| n.0.max(0) as u64));
    Ok(Token { value: parsed.access_token, refresh_at: started + lifetime - refresh_margin(lifetime) })
}

/// The token URL: the environment variable the spec names, else the spec's default.
pub fn default_token_url(vendor: &Vendor) -> Option<String> {
    vendor
        .auth_param("token_url_env")
        .and_then(|var| std::env::var(var).ok())
        .filter(|v| !v.is_empty())
        .or_else(|| vendor.auth_param("token_url").map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_a_tenth_of_their_life_early_at_most_a_minute() {
        assert_eq!(refresh_margin(Duration::from_secs(86_400)), Duration::from_secs(60));
        assert_eq!(refresh_margin(Duration::from_secs(10)), Duration::from_secs(1));
        assert_eq!(refresh_margin(Duration::ZERO), Duration::ZERO);
    }
}
