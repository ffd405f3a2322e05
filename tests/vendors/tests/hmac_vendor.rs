//! `hmac_vendor` (HMAC-SHA256 over method, path, query, timestamp, nonce and body bytes, in
//! headers; the key id as a query parameter; errors by HTTP status): its client against its
//! mock, and the recipe against a vector computed outside this codebase.

use std::time::Duration;

use flightapi::rt::auth::template::Inputs;
use flightapi::rt::client::{Config, Error};
use flightapi::rt::mock::MockServer;
use flightapi::rt::CredentialSet;
use flightapi_fixture_vendors::hmac_vendor::{self, create_order};
use serde_json::json;

fn order() -> create_order::Request {
    serde_json::from_value(json!({"sku": "A-1", "quantity": 2})).unwrap()
}

#[test]
fn the_spec_recipe_reproduces_an_independent_vector() {
    // python3 -c "import hmac,hashlib; print(hmac.new(b'hmac-secret', b'POST\n/v2/orders\napikey=kid-1\n
    //   1700000000123\n0123456789abcdef0123456789abcdef\n{\"sku\":\"A-1\",\"quantity\":2}',
    //   hashlib.sha256).hexdigest())"
    const PYTHON: &str = "0deb6165ec71b3bfd7e706e20be9ab38272d8fdf6ca5eec138c064daa69a41e6";
    let credentials = CredentialSet::from(hmac_vendor::Credentials::samples());
    let recipe = hmac_vendor::AUTH.signature.unwrap();
    let query = [("apikey".to_owned(), "kid-1".to_owned())];
    let inputs = Inputs {
        credentials: &credentials,
        timestamp: Some("1700000000123"),
        nonce: Some("0123456789abcdef0123456789abcdef"),
        method: "POST",
        path: "/v2/orders",
        query: &query,
        body: br#"{"sku":"A-1","quantity":2}"#,
        body_value: None,
        params_skip: &[],
        signature: None,
    };
    assert_eq!(recipe.compute(&inputs).unwrap(), PYTHON);
}

#[tokio::test]
async fn signed_calls_pass_the_mock_and_wrong_secrets_do_not() {
    let server = MockServer::spawn(&hmac_vendor::VENDOR).await.unwrap();
    let config =
        Config::new(hmac_vendor::Credentials::samples()).base_url(server.url()).timeout(Duration::from_secs(5));
    let client = hmac_vendor::Client::new(config.clone()).unwrap();
    assert_eq!(client.create_order(&order()).await.unwrap().order_id, "O-1");
    let sent = server.last_request("createOrder").unwrap();
    assert!(sent.header("x-signature").unwrap().starts_with("HMAC-SHA256 "));
    assert_eq!(sent.header("x-nonce").unwrap().len(), 32);
    assert_eq!(sent.body, json!({"sku": "A-1", "quantity": 2}));
    // A nonce per attempt.
    client.create_order(&order()).await.unwrap();
    assert_ne!(server.last_request("createOrder").unwrap().header("x-nonce"), sent.header("x-nonce"));

    let wrong = hmac_vendor::Credentials { secret: "other".into(), ..hmac_vendor::Credentials::samples() };
    let client = hmac_vendor::Client::new(Config { credentials: wrong.into(), ..config }).unwrap();
    let err = client.create_order(&order()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.code.as_str(), api.http_status), ("unauthorized", 401));
    assert!(api.message.as_deref().unwrap().contains("signature does not match"));
    assert_eq!(server.hits("createOrder"), 3, "never resent: createOrder is not safe to retry");
}

#[tokio::test]
async fn a_body_altered_after_signing_is_refused() {
    let server = MockServer::spawn(&hmac_vendor::VENDOR).await.unwrap();
    let credentials = CredentialSet::from(hmac_vendor::Credentials::samples());
    let mut out = flightapi::rt::auth::Outgoing {
        method: "POST".into(),
        path: "/v2/orders".into(),
        body: Some(json!({"sku": "A-1", "quantity": 2})),
        ..Default::default()
    };
    let cx =
        flightapi::rt::auth::Context { credentials: &credentials, now_ms: flightapi::rt::auth::now_ms(), token: None };
    hmac_vendor::AUTH.apply(&mut out, &cx, false).unwrap();
    let signed = String::from_utf8(out.body_bytes.clone().expect("the body's bytes were signed")).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&signed).unwrap(), json!({"sku": "A-1", "quantity": 2}));
    let post = |body: String| {
        let mut request = reqwest::Client::new()
            .post(format!("{}/v2/orders?apikey=kid-1", server.url()))
            .header("Content-Type", "application/json")
            .body(body);
        for (name, value) in &out.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request.send()
    };
    assert_eq!(post(signed.clone()).await.unwrap().status(), 200);
    let altered = post(signed.replace(":2", ":20")).await.unwrap();
    assert_eq!(altered.status(), 401);
    let body: serde_json::Value = altered.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized", "{body}");
}
