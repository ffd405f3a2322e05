//! `token_vendor` (OAuth2 client-credentials grant, JSON token request, a scope, error lists):
//! its client against its mock, both from the YAML alone.

use std::time::Duration;

use flightapi::rt::client::{Config, Error};
use flightapi::rt::mock::{MockServer, Scripted};
use flightapi_fixture_vendors::token_vendor::{self, place_order};
use serde_json::json;

fn order() -> place_order::Request {
    serde_json::from_value(json!({"sku": "A-1"})).unwrap()
}

fn config(server: &MockServer) -> Config {
    Config::new(token_vendor::Credentials::samples())
        .base_url(server.url())
        .token_url(server.token_url())
        .timeout(Duration::from_secs(5))
}

#[tokio::test]
async fn client_credentials_by_json_then_a_bearer_token_renewed_after_a_401() {
    let server = MockServer::spawn(&token_vendor::VENDOR).await.unwrap();
    assert!(server.token_url().ends_with("/oauth2/token"), "the spec's token path");
    let client = token_vendor::Client::new(config(&server)).unwrap();
    assert_eq!(client.place_order(&order()).await.unwrap().id, "ORD-1");
    client.place_order(&order()).await.unwrap();
    assert_eq!(server.token_requests(), 1, "the token is reused");
    let sent = server.last_request("placeOrder").unwrap();
    assert!(sent.header("authorization").unwrap().starts_with("Bearer mock-token_vendor-"));
    // Revoked on the vendor's side: a 401, one new token, the order sent again (the spec says
    // a 401 is refused before processing).
    server.revoke_tokens();
    client.place_order(&order()).await.unwrap();
    assert_eq!((server.token_requests(), server.hits("placeOrder")), (2, 4));
}

#[tokio::test]
async fn the_token_request_follows_the_recipe() {
    let server = MockServer::spawn(&token_vendor::VENDOR).await.unwrap();
    let http = reqwest::Client::new();
    // A form (the default of the grant) is not what this spec says: refused.
    let form = http
        .post(server.token_url())
        .form(&[("grant_type", "client_credentials"), ("client_id", "client-1"), ("client_secret", "secret-1")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 400);
    let json_body = json!({"grant_type": "client_credentials", "client_id": "client-1", "client_secret": "secret-1"});
    let ok = http.post(server.token_url()).json(&json_body).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    let wrong = json!({"grant_type": "password", "client_id": "client-1", "client_secret": "secret-1"});
    let refused = http.post(server.token_url()).json(&wrong).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    // The recipe's parameters carry the scope.
    let params = token_vendor::AUTH.oauth2.unwrap().parameters(&token_vendor::Credentials::samples().into()).unwrap();
    assert!(
        params.contains(&("scope", "orders:write".to_owned())),
        "{:?}",
        params.iter().map(|p| p.0).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn error_lists_keep_every_item() {
    let server = MockServer::spawn(&token_vendor::VENDOR).await.unwrap();
    let client = token_vendor::Client::new(config(&server)).unwrap();
    server.script("placeOrder", Scripted::ApiError { code: "out_of_stock".into(), message: "No stock".into() });
    let err = client.place_order(&order()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.code.as_str(), api.message.as_deref()), ("out_of_stock", Some("No stock")));
    let wrong = token_vendor::Credentials { client_secret: "nope".into(), ..token_vendor::Credentials::samples() };
    let err = token_vendor::Client::new(Config { credentials: wrong.into(), ..config(&server) })
        .unwrap()
        .place_order(&order())
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Auth(m) if m.contains("invalid_client")), "{err:?}");
}
