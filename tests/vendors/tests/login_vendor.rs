//! `login_vendor` (a session from a login operation, an API key header, per-call and
//! response headers, errors in a nested object with a success flag): its client against its
//! mock, both made from the YAML alone.

use std::time::Duration;

use flightapi::rt::client::{Client, Config, Error, RetryPolicy};
use flightapi::rt::mock::{MockServer, Scripted};
use flightapi::rt::{Operation, Vendor};
use flightapi_fixture_vendors::login_vendor::{self, pay, search, CallHeaders};
use serde_json::json;

fn config(server: &MockServer) -> Config {
    let retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    Config::new(login_vendor::Credentials::samples())
        .base_url(server.url())
        .timeout(Duration::from_secs(5))
        .retry(retry)
}

fn search_request() -> search::Request {
    serde_json::from_value(json!({"origin": "SIN", "destination": "HKG", "date": "2026-12-24"})).unwrap()
}

fn payment() -> pay::Request {
    serde_json::from_value(json!({"bookingRef": "BK-1", "amount": 120.50})).unwrap()
}

#[tokio::test]
async fn logs_in_once_and_sends_the_session_key_and_headers() {
    let server = MockServer::spawn(&login_vendor::VENDOR).await.unwrap();
    let client = login_vendor::Client::new(config(&server)).unwrap();
    let flow = client.with_headers(CallHeaders::builder().conversation_id("conv-1").build());
    let answer = flow.send::<login_vendor::Search>(&(), &search_request()).await.unwrap();
    assert_eq!(answer.body.offers[0].offer_id, "OF-1");
    assert_eq!(answer.body.offers[0].price, rust_decimal::Decimal::new(12050, 2), "money is a decimal");
    let retrive_id = answer.headers.retrive_id.expect("the response header the spec names is captured");
    assert!(retrive_id.starts_with("mock-login_vendor-"), "{retrive_id}");
    assert!(answer.raw_headers.contains_key("retriveid"), "and the raw headers are there too");

    let login = server.last_request("login").unwrap();
    assert_eq!(login.body, json!({"userName": "agent", "password": "pass-456", "companyCode": "ACME"}));
    assert_eq!(login.header("x-api-key"), Some("key-123"), "the API key goes with the login too");
    assert_eq!(login.header("sessionid"), None);
    let sent = server.last_request("search").unwrap();
    assert_eq!(sent.header("x-api-key"), Some("key-123"));
    assert!(sent.header("sessionid").unwrap().starts_with("mock-login_vendor-"));
    assert_eq!(sent.header("conversationid"), Some("conv-1"));
    let request_id = sent.header("x-request-id").unwrap();
    assert_eq!((request_id.len(), request_id.matches('-').count()), (36, 4), "a UUID: {request_id}");
    // The client without per-call headers sends none.
    client.search(&search_request()).await.unwrap();
    assert_eq!(server.last_request("search").unwrap().header("conversationid"), None);
    assert_ne!(server.last_request("search").unwrap().header("x-request-id"), Some(request_id));
    assert_eq!(server.hits("login"), 1, "one session for every call");
}

#[tokio::test]
async fn twenty_concurrent_calls_share_one_login() {
    let server = MockServer::spawn(&login_vendor::VENDOR).await.unwrap();
    let client = login_vendor::Client::new(config(&server)).unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.search(&search_request()).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.hits("login"), 1);
    assert_eq!(server.hits("search"), 20);
    assert_eq!(client.raw().token_fetches(), 1);
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_call_resent() {
    let server = MockServer::spawn(&login_vendor::VENDOR).await.unwrap();
    let client = login_vendor::Client::new(config(&server)).unwrap();
    client.search(&search_request()).await.unwrap();
    server.revoke_tokens(); // the vendor's side forgets the session: VAL-002, HTTP 401
    client.search(&search_request()).await.unwrap();
    assert_eq!((server.hits("login"), server.hits("search")), (2, 3));
    // A payment too, because the docs say VAL-002 refuses a call before processing it.
    server.revoke_tokens();
    let paid = client.pay(&payment()).await.unwrap();
    assert_eq!(paid.payment_id, "PAY-1");
    assert_eq!((server.hits("login"), server.hits("pay")), (3, 2));
    // A login that keeps failing is not retried forever: once per call.
    server.revoke_tokens();
    server.script("search", Scripted::ApiError { code: "VAL-002".into(), message: "expired".into() });
    server.script("search", Scripted::ApiError { code: "VAL-002".into(), message: "expired again".into() });
    let err = client.search(&search_request()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!((api.code.as_str(), api.http_status), ("VAL-002", 401));
}

/// The same vendor, except that its spec does not say VAL-002 means "refused before processing".
fn cautious_vendor() -> &'static Vendor {
    let mut vendor = login_vendor::VENDOR;
    let mut session = vendor.auth.session.unwrap();
    session.expired.refused_before_processing = false;
    vendor.auth.session = Some(session);
    Box::leak(Box::new(vendor))
}

#[tokio::test]
async fn without_the_documented_rule_a_payment_is_never_resent() {
    let vendor = cautious_vendor();
    let server = MockServer::spawn(vendor).await.unwrap();
    let client = Client::new(vendor, config(&server)).unwrap();
    client.call::<login_vendor::Pay>(&(), &payment()).await.unwrap();
    server.revoke_tokens();
    let err = client.call::<login_vendor::Pay>(&(), &payment()).await.unwrap_err();
    assert!(matches!(&err, Error::Api(api) if api.code == "VAL-002"), "{err:?}");
    assert_eq!(server.hits("pay"), 2, "sent once per call: the second was not resent");
    // The session was dropped: the next call logs in again, and a safe call is resent.
    client.call::<login_vendor::Pay>(&(), &payment()).await.unwrap();
    assert_eq!(server.hits("login"), 2);
    server.revoke_tokens();
    client.call::<login_vendor::Search>(&(), &search_request()).await.unwrap();
    assert_eq!((server.hits("login"), server.hits("search")), (3, 2));
    const { assert!(!login_vendor::Pay::SAFE_TO_RETRY) };
}

#[tokio::test]
async fn the_docs_error_example_decodes_as_an_api_error() {
    let server = MockServer::spawn(&login_vendor::VENDOR).await.unwrap();
    let client = login_vendor::Client::new(config(&server)).unwrap();
    let example = login_vendor::VENDOR.operation("pay").unwrap().examples.iter().find(|e| e.error).unwrap();
    let body: serde_json::Value = serde_json::from_str(example.response.unwrap()).unwrap();
    // Sent with HTTP 200: the success flag alone says it failed.
    server.script("pay", Scripted::Reply(body));
    let err = client.pay(&payment()).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("an error answer never decodes as a success: {err:?}") };
    assert_eq!(api.code, "VAL-001");
    assert_eq!(api.message.as_deref(), Some("amount must be positive"));
    assert_eq!(api.status.as_deref(), Some("-1"), "meta.statusCode");
    assert_eq!(api.entry.unwrap().meaning, "Invalid parameter.");
    assert_eq!(server.hits("pay"), 1);
}

#[tokio::test]
async fn wrong_credentials_fail_the_login_without_printing_them() {
    let server = MockServer::spawn(&login_vendor::VENDOR).await.unwrap();
    let creds = login_vendor::Credentials { password: "hunter2".into(), ..login_vendor::Credentials::samples() };
    let client = login_vendor::Client::new(Config { credentials: creds.clone().into(), ..config(&server) }).unwrap();
    let err = client.search(&search_request()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("VAL-003"), "{err}");
    for shown in [err.to_string(), format!("{err:?}"), format!("{creds:?}"), format!("{client:?}")] {
        assert!(!shown.contains("hunter2") && !shown.contains("key-123"), "{shown}");
    }
    assert_eq!(server.hits("search"), 0, "nothing was sent without a session");
}

#[test]
fn from_env_names_every_missing_variable_and_never_uses_samples() {
    // The fixture's variables are set by no one.
    let err = login_vendor::Credentials::from_env().unwrap_err();
    assert_eq!(
        err.missing,
        ["LOGIN_VENDOR_API_KEY", "LOGIN_VENDOR_USER", "LOGIN_VENDOR_PASSWORD", "LOGIN_VENDOR_COMPANY"]
    );
    let err = login_vendor::Client::from_env().unwrap_err();
    assert!(err.to_string().contains("set LOGIN_VENDOR_API_KEY, LOGIN_VENDOR_USER"), "{err}");
}
