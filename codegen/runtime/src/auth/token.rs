//! One account's session or bearer token, shared by the clones of a client (feature
//! `client`): fetched once however many calls need it at the same time, replaced a tenth of
//! its lifetime before it expires (at most a minute early), and forgotten when the vendor says
//! it has expired. `Debug` never shows it.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::secret::Secret;

/// How long before its expiry a token is replaced: a tenth of its lifetime, at most a minute.
pub fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

struct Token {
    value: Secret<String>,
    refresh_at: Instant,
}

/// A cache of one token.
#[derive(Default)]
pub struct TokenCache {
    slot: tokio::sync::Mutex<Option<Token>>,
    fetches: AtomicU64,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache(***)")
    }
}

impl TokenCache {
    /// A valid token: the cached one, or a new one from `fetch` (value and lifetime) when
    /// there is none or it is about to expire. Callers that arrive during a fetch wait for it
    /// and share its token.
    pub async fn get<E, F, Fut>(&self, fetch: F) -> Result<Secret<String>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret<String>, Duration), E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(token) = slot.as_ref() {
            if Instant::now() < token.refresh_at {
                return Ok(token.value.clone());
            }
        }
        let started = Instant::now();
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let (value, lifetime) = fetch().await?;
        *slot = Some(Token { value: value.clone(), refresh_at: started + lifetime - refresh_margin(lifetime) });
        Ok(value)
    }

    /// Forgets `rejected` (the vendor said it expired) so the next call fetches a new one.
    pub async fn invalidate(&self, rejected: &Secret<String>) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|t| t.value.expose() == rejected.expose()) {
            *slot = None;
        }
    }

    /// How many fetches were started.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }
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

    #[tokio::test]
    async fn one_fetch_for_concurrent_callers_and_again_after_invalidation() {
        let cache = std::sync::Arc::new(TokenCache::default());
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>((Secret::new("t1".to_owned()), Duration::from_secs(3600)))
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().expose(), "t1");
        }
        assert_eq!(cache.fetches(), 1);
        cache.invalidate(&Secret::new("t1".to_owned())).await;
        let next = cache.get(|| async { Ok::<_, ()>((Secret::new("t2".to_owned()), Duration::from_secs(60))) }).await;
        assert_eq!(next.unwrap().expose(), "t2");
        assert_eq!(cache.fetches(), 2);
    }
}
