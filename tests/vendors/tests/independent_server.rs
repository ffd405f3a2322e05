//! `login_vendor`'s generated client against `python/login_vendor_server.py`, a server written
//! from the vendor's wire contract independently of the Rust runtime: the in-repo mock is made
//! from the same spec as the client and could share its mistakes, this server cannot.
//!
//! Needs `python3` on the PATH (standard library only).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use flightapi::rt::client::{Config, Error, RetryPolicy};
use flightapi_fixture_vendors::login_vendor::{self, pay, search, CallHeaders};
use serde_json::{json, Value};

/// The Python server, killed when dropped (so a failing assert does not leak it).
struct PyServer {
    child: Child,
    url: String,
}

impl PyServer {
    fn spawn() -> Self {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/login_vendor_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("could not start `python3 {script}` ({e}): these tests need python3 (3.11+, standard library only) on the PATH")
            });
        let mut line = String::new();
        let read = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
        let mut server = PyServer { child, url: String::new() }; // from here on, Drop kills it
        let url = match read {
            Ok(n) if n > 0 => line.trim().strip_prefix("listening on ").map(str::to_owned),
            _ => None,
        };
        server.url =
            url.unwrap_or_else(|| panic!("the Python server did not announce its URL: read {read:?}, {line:?}"));
        server
    }

    /// The vendor forgets every session.
    async fn expire(&self) {
        let res = reqwest::Client::new().post(format!("{}/__control/expire", self.url)).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }

    /// The vendor calls received so far, oldest first.
    async fn log(&self) -> Vec<Value> {
        let res = reqwest::get(format!("{}/__control/log", self.url)).await.unwrap();
        res.json().await.unwrap()
    }

    async fn log_of(&self, path: &str) -> Vec<Value> {
        self.log().await.into_iter().filter(|e| e["path"] == path).collect()
    }
}

impl Drop for PyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const LOGIN: &str = "/api/v1/auth/login";
const SEARCH: &str = "/api/v1/search";
const PAY: &str = "/api/v1/pay";

fn credentials(password: &str) -> login_vendor::Credentials {
    login_vendor::Credentials::builder()
        .api_key("key-123".to_owned())
        .user_name("agent")
        .password(password.to_owned())
        .company_code("ACME")
        .build()
}

fn client(server: &PyServer, password: &str) -> login_vendor::Client {
    let retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    let config =
        Config::new(credentials(password)).base_url(server.url.as_str()).timeout(Duration::from_secs(10)).retry(retry);
    login_vendor::Client::new(config).unwrap()
}

fn search_request() -> search::Request {
    serde_json::from_value(json!({"origin": "SIN", "destination": "HKG", "date": "2026-12-24"})).unwrap()
}

fn payment() -> pay::Request {
    serde_json::from_value(json!({"bookingRef": "BK-1", "amount": 120.50})).unwrap()
}

fn header<'a>(entry: &'a Value, name: &str) -> Option<&'a str> {
    entry["headers"][name].as_str()
}

#[tokio::test]
async fn logs_in_once_and_sends_the_key_session_and_conversation_headers() {
    let server = PyServer::spawn();
    let client = client(&server, "pass-456");
    let flow = client.with_headers(CallHeaders::builder().conversation_id("c").build());
    let answer = flow.send::<login_vendor::Search>(&(), &search_request()).await.unwrap();
    assert_eq!(answer.body.offers.len(), 1);
    assert_eq!(answer.body.offers[0].offer_id, "OF-PY");
    assert_eq!(answer.body.offers[0].price, rust_decimal::Decimal::new(9990, 2));

    let log = server.log().await;
    let paths: Vec<&str> = log.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, [LOGIN, SEARCH], "one login, then the search");
    let (login, sent) = (&log[0], &log[1]);
    assert_eq!(login["body"], json!({"userName": "agent", "password": "pass-456", "companyCode": "ACME"}));
    assert_eq!(login["status"], 200);
    assert_eq!(header(login, "x-api-key"), Some("key-123"), "the API key goes with the login too");
    assert_eq!(header(login, "sessionid"), None);
    let session = login["response"]["data"][0]["sessionId"].as_str().unwrap();
    assert_eq!(sent["status"], 200, "{sent}");
    assert_eq!(header(sent, "x-api-key"), Some("key-123"));
    assert_eq!(header(sent, "sessionid"), Some(session), "the session the login returned");
    assert_eq!(header(sent, "conversationid"), Some("c"));
    assert!(header(sent, "content-type").unwrap().starts_with("application/json"));
    assert_eq!(sent["body"], json!({"origin": "SIN", "destination": "HKG", "date": "2026-12-24"}));
    assert_eq!(answer.headers.retrive_id.as_deref(), sent["retriveId"].as_str(), "the retriveId response header");

    // Without per-call headers: no conversationId, and the same session.
    let offers = client.search(&search_request()).await.unwrap();
    assert_eq!(offers.offers[0].offer_id, "OF-PY");
    let searches = server.log_of(SEARCH).await;
    assert_eq!(searches.len(), 2);
    assert_eq!(header(&searches[1], "conversationid"), None);
    assert_eq!(header(&searches[1], "sessionid"), Some(session));
    assert_eq!(server.log_of(LOGIN).await.len(), 1, "one session for every call");
}

#[tokio::test]
async fn an_expired_session_is_renewed_and_the_call_resent() {
    let server = PyServer::spawn();
    let client = client(&server, "pass-456");
    client.search(&search_request()).await.unwrap();
    server.expire().await;
    let offers = client.search(&search_request()).await.unwrap();
    assert_eq!(offers.offers[0].offer_id, "OF-PY");
    let (logins, searches) = (server.log_of(LOGIN).await, server.log_of(SEARCH).await);
    assert_eq!((logins.len(), searches.len()), (2, 3), "logged in again and resent the refused search");
    assert_eq!(searches[1]["status"], 401);
    assert_eq!(searches[1]["response"]["errorDetails"]["code"], "VAL-002");
    let fresh = logins[1]["response"]["data"][0]["sessionId"].as_str().unwrap();
    assert_eq!(header(&searches[2], "sessionid"), Some(fresh));

    // A payment too: the docs say VAL-002 refuses a call before processing it.
    server.expire().await;
    let paid = client.pay(&payment()).await.unwrap();
    assert_eq!(paid.payment_id, "PAY-PY");
    let (logins, pays) = (server.log_of(LOGIN).await, server.log_of(PAY).await);
    assert_eq!((logins.len(), pays.len()), (3, 2));
    assert_eq!((pays[0]["status"].as_u64(), pays[1]["status"].as_u64()), (Some(401), Some(200)));
    assert_eq!(pays[0]["body"], pays[1]["body"]);
    assert_eq!(pays[1]["body"], json!({"bookingRef": "BK-1", "amount": 120.50}), "money goes as a JSON number");
    let fresh = logins[2]["response"]["data"][0]["sessionId"].as_str().unwrap();
    assert_eq!(header(&pays[1], "sessionid"), Some(fresh));
}

#[tokio::test]
async fn a_wrong_password_fails_the_login_and_sends_nothing_else() {
    let server = PyServer::spawn();
    let client = client(&server, "wrong-password");
    let err = client.search(&search_request()).await.unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
    assert!(err.to_string().contains("VAL-003"), "{err}");
    assert!(!err.to_string().contains("wrong-password"), "{err}");
    let log = server.log().await;
    assert!(!log.is_empty() && log.iter().all(|e| e["path"] == LOGIN && e["status"] == 401), "{log:?}");
    assert!(server.log_of(SEARCH).await.is_empty(), "no search without a session");
}

#[tokio::test]
async fn the_servers_own_errors_decode_with_the_spec() {
    let server = PyServer::spawn();
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.url);
    let login = http
        .post(url(LOGIN))
        .header("X-API-KEY", "key-123")
        .json(&json!({"userName": "agent", "password": "pass-456", "companyCode": "ACME"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let login: Value = login.json().await.unwrap();
    let session = login["data"][0]["sessionId"].as_str().unwrap().to_owned();

    // A payment without its amount: 422 VAL-001, as the spec's table says.
    let res = http
        .post(url(PAY))
        .header("X-API-KEY", "key-123")
        .header("sessionId", &session)
        .json(&json!({"bookingRef": "BK-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.headers().contains_key("retriveid"));
    assert_eq!(res.headers()["content-type"], "application/json");
    let body: Value = res.json().await.unwrap();
    let api = login_vendor::VENDOR.error_in(&body, 422).expect("the 422 body is an error by the spec");
    assert_eq!((api.code.as_str(), api.http_status), ("VAL-001", 422));
    assert_eq!(api.entry.unwrap().meaning, "Invalid parameter.");

    // A body that is not JSON: the same.
    let res = http
        .post(url(SEARCH))
        .header("X-API-KEY", "key-123")
        .header("sessionId", &session)
        .header("Content-Type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(login_vendor::VENDOR.error_in(&body, 422).unwrap().code, "VAL-001");

    // An expired session and a missing key decode too.
    server.expire().await;
    for (key, code) in [("key-123", "VAL-002"), ("wrong-key", "VAL-003")] {
        let res = http
            .post(url(SEARCH))
            .header("X-API-KEY", key)
            .header("sessionId", &session)
            .json(&json!({"origin": "SIN", "destination": "HKG", "date": "2026-12-24"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        let body: Value = res.json().await.unwrap();
        let api = login_vendor::VENDOR.error_in(&body, 401).unwrap();
        assert_eq!(api.code, code, "{body}");
        assert_eq!(api.entry.unwrap().status, Some(401));
    }
    // The success envelope is not an error.
    assert!(login_vendor::VENDOR.error_in(&login, 200).is_none(), "{login}");
}
