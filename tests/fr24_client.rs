//! `fr24::Client` against the in-process FR24 mock (`flightapi::rt::mock`).

mod support;

use std::time::Duration;

use flightapi::fr24::{self, types};
use flightapi::rt::client::{Config, Error, RetryPolicy};
use flightapi::rt::mock::{MockOptions, MockServer, Scripted};
use flightapi::rt::{Advice, CredentialSet};
use serde_json::{json, Value};

fn samples() -> fr24::Credentials {
    fr24::Credentials::samples()
}

fn creds(app_key: &str, app_secret: &str) -> fr24::Credentials {
    fr24::Credentials::builder().app_key(app_key).app_secret(app_secret).build()
}

/// A wire body signed by the spec's recipe at `seconds` (Unix time).
fn signed_at(seconds: u64) -> Value {
    let mut wire = serde_json::Map::new();
    flightapi::rt::auth::sign_body(&fr24::VENDOR, &CredentialSet::from(samples()), &mut wire, seconds * 1000).unwrap();
    Value::Object(wire)
}

fn config(server: &MockServer) -> Config {
    let retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    Config::new(samples()).base_url(server.url()).timeout(Duration::from_secs(5)).retry(retry)
}

fn client(server: &MockServer) -> fr24::Client {
    fr24::Client::new(config(server)).expect("client")
}

fn example_body(operation: &str) -> Value {
    support::example_body(&fr24::VENDOR, operation)
}

fn typed<T: serde::de::DeserializeOwned>(operation: &str) -> T {
    support::typed(&fr24::VENDOR, operation)
}

#[tokio::test]
async fn every_operation_round_trips_through_client_and_mock() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let c = client(&server);
    let shop = c.shopping(&typed("shopping")).await.unwrap();
    let offer = &shop.offers.as_ref().unwrap()[0];
    assert_eq!(offer.offer_id, "a17f56079af111ca6278d72124595910");
    let adult = &offer.price_per_pax.as_ref().unwrap()[0];
    assert_eq!(adult.base_fare.unwrap(), rust_decimal::Decimal::from(250), "money is a decimal");
    let priced = c.pricing(&typed("pricing")).await.unwrap();
    assert!(!priced.offer.unwrap().is_empty(), "the page's data.offer is a list");
    let booked = c.booking(&typed("booking")).await.unwrap();
    assert_eq!(booked.order_status, Some(types::OrderStatus::BookingSuccessful));
    c.ticketing(&typed("ticketing")).await.unwrap();
    c.order_detail(&typed("orderDetail")).await.unwrap();
    c.ancillary_booking(&typed("ancillaryBooking")).await.unwrap();
    c.ancillary_purchase(&typed("ancillaryPurchase")).await.unwrap();
    c.ancillary_order_detail(&typed("ancillaryOrderDetail")).await.unwrap();
    c.change_reshop(&typed("changeReshop")).await.unwrap();
    c.reissue_request(&typed("reissueRequest")).await.unwrap();
    c.refund_request(&typed("refundRequest")).await.unwrap();
    c.refund_confirming(&typed("refundConfirming")).await.unwrap();
    c.void_request(&typed("voidRequest")).await.unwrap();
    c.select_balance(&typed("selectBalance")).await.unwrap();
    c.seat_map(&typed("seatMap")).await.unwrap();
    c.presale_ancillary_shopping(&typed("presaleAncillaryShopping")).await.unwrap();
    c.postsale_ancillary_shopping(&typed("postsaleAncillaryShopping")).await.unwrap();
    c.pay_verify(&typed("payVerify")).await.unwrap();
    // The one operation no page describes: raw, signed JSON.
    let raw = serde_json::Map::from_iter([("orderNo".to_owned(), json!("15803203776942080"))]);
    assert_eq!(c.file_upload(&raw).await.unwrap(), json!({}));
    let sent: Vec<&str> = fr24::VENDOR.operations.iter().filter(|o| !o.inbound).map(|o| o.name).collect();
    assert_eq!(sent.len(), 19);
    for name in sent {
        assert_eq!(server.hits(name), 1, "{name} reached the mock exactly once");
    }
}

#[tokio::test]
async fn booking_passengers_are_encrypted_with_the_aes_key() {
    // The mock decrypts with its own key: a client with another key is refused.
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let request: fr24::booking::Request = serde_json::from_value(json!({
        "offerId": "a17f56079af111ca6278d72124595910",
        "passengers": [{"paxId": "1", "name": "YGVU/ZTMII", "paxType": "ADT", "birthday": "1981-07-21", "gender": "M"}]
    }))
    .unwrap();
    assert!(request.passengers.plain().is_some(), "typed passengers in");
    client(&server).booking(&request).await.expect("sealed with the sample key, opened by the mock");
    let wrong = Config {
        credentials: fr24::Credentials { aes_key: Some("fedcba9876543210".into()), ..samples() }.into(),
        ..config(&server)
    };
    let err = fr24::Client::new(wrong).unwrap().booking(&request).await.unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.code == "11301002"), "{err}");
    let none = Config { credentials: creds("test", "123456").into(), ..config(&server) };
    let err = fr24::Client::new(none).unwrap().booking(&request).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "no key: nothing sent");
    assert_eq!(server.hits("booking"), 2);
}

#[test]
fn aes_round_trip_of_a_passenger_list() {
    let passengers =
        json!([{"paxId": "1", "name": "YGVU/ZTMII", "paxType": "ADT", "birthday": "1981-07-21", "gender": "M"}]);
    let key = b"0123456789abcdef";
    let sealed = flightapi::rt::crypto::aes_cbc_encrypt(key, passengers.to_string().as_bytes()).unwrap();
    let opened = flightapi::rt::crypto::aes_cbc_decrypt(key, &sealed).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&opened).unwrap(), passengers);
    // The spec's booking example carries a ciphertext made with the same key.
    let example = example_body("booking");
    let opened = flightapi::rt::crypto::aes_cbc_decrypt(key, example["passengers"].as_str().unwrap()).unwrap();
    let list: Vec<types::Passenger> = serde_json::from_slice(&opened).unwrap();
    assert_eq!(list[0].name.as_str(), "YGVU/ZTMII");
}

#[test]
fn published_signature_vector() {
    let wire = signed_at(1671178033);
    assert_eq!(
        wire["authentication"],
        json!({"sign": "99dbfae18aab459e0ca134a7eafdaa9efe83d3f4dcfd9d997b2797d055a69a5b65730cf88efdefd575503c12f61137e9764d8c37bc1213de1ad4ac22b32a09d0", "timestamp": "1671178033"})
    );
}

#[tokio::test]
async fn wrong_secret_stale_timestamp_and_missing_app_key_are_refused() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let request: fr24::select_balance::Request = typed("selectBalance");
    let wrong = Config { credentials: creds("test", "654321").into(), ..config(&server) };
    let err = fr24::Client::new(wrong).unwrap().select_balance(&request).await.unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.code == "10101001" && e.advice() == Some(Advice::FixRequest)), "{err}");
    assert!(!err.to_string().contains("654321"), "the secret is never printed: {err}");

    let http = reqwest::Client::new();
    let url = format!("{}/api/new/selectBalance.do", server.url());
    let post = |body: Value, key: Option<&str>| {
        let mut r = http.post(&url).body(body.to_string());
        if let Some(k) = key {
            r = r.header("appKey", k);
        }
        r.send()
    };
    let stale: Value = post(signed_at(1671178033), Some("test")).await.unwrap().json().await.unwrap();
    assert_eq!(stale["code"], "10101002", "{stale}");
    let now = flightapi::rt::auth::unix_now();
    let missing: Value = post(signed_at(now), None).await.unwrap().json().await.unwrap();
    assert_eq!(missing["code"], "10101001", "{missing}");
    assert!(missing["message"].as_str().unwrap().contains("appKey header is missing"));
    let fine: Value = post(signed_at(now), Some("test")).await.unwrap().json().await.unwrap();
    assert_eq!(fine["code"], "000000", "{fine}");
}

#[tokio::test]
async fn invalid_requests_are_never_sent() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let mut body = example_body("shopping");
    body["adultNum"] = json!(0);
    body["infantNum"] = json!(10);
    let request: fr24::shopping::Request = serde_json::from_value(body).unwrap();
    let err = client(&server).shopping(&request).await.unwrap_err();
    let Error::Invalid(violations) = err else { panic!("{err}") };
    let paths: Vec<&str> = violations.0.iter().map(|v| v.path.as_str()).collect();
    assert!(paths.contains(&"$.adultNum") && paths.contains(&"$.infantNum"), "{paths:?}");
    assert_eq!(server.hits("shopping"), 0);
}

#[tokio::test]
async fn responses_arrive_gzipped_and_are_decoded() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let wire = signed_at(flightapi::rt::auth::unix_now());
    let raw = reqwest::Client::builder()
        .no_gzip()
        .build()
        .unwrap()
        .post(format!("{}/api/new/selectBalance.do", server.url()))
        .header("appKey", "test")
        .header("Accept-Encoding", "gzip")
        .body(wire.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.headers()["content-encoding"], "gzip");
    assert_eq!(&raw.bytes().await.unwrap()[..2], &[0x1f, 0x8b], "gzip magic");
    let balance = client(&server).select_balance(&typed("selectBalance")).await.unwrap();
    assert!(balance.account_balance > rust_decimal::Decimal::ZERO, "the client decoded the gzipped body");
}

#[tokio::test]
async fn a_read_is_retried_after_transient_errors_and_counted_at_the_mock() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    server.script("orderDetail", Scripted::Status(503));
    server.script("orderDetail", Scripted::ApiError { code: "10501009".into(), message: "Busy, retry".into() });
    client(&server).order_detail(&typed("orderDetail")).await.expect("third attempt succeeds");
    assert_eq!(server.hits("orderDetail"), 3);
    // "Retry after 10 minutes" is left to the caller.
    server.script("orderDetail", Scripted::ApiError { code: "10601009".into(), message: "Later".into() });
    let err = client(&server).order_detail(&typed("orderDetail")).await.unwrap_err();
    assert_eq!(err.advice(), Some(Advice::RetryLater));
    assert_eq!(server.hits("orderDetail"), 4);
}

#[tokio::test]
async fn ticketing_is_sent_exactly_once_even_when_it_times_out() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    server.script("ticketing", Scripted::Delay(Duration::from_millis(800)));
    let c = fr24::Client::new(config(&server).timeout(Duration::from_millis(200))).unwrap();
    let err = c.ticketing(&typed("ticketing")).await.unwrap_err();
    let Error::Transport { timed_out, attempts, may_have_been_processed, .. } = err else { panic!("{err}") };
    assert!(timed_out && may_have_been_processed);
    assert_eq!(attempts, 1);
    // A payment with a retryable code is not resent either.
    server.script("ticketing", Scripted::ApiError { code: "10501009".into(), message: "Busy".into() });
    let err = client(&server).ticketing(&typed("ticketing")).await.unwrap_err();
    assert_eq!(err.advice(), Some(Advice::RetryNow));
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(server.hits("ticketing"), 2, "one request per call, no retries");
}

#[tokio::test]
async fn a_read_that_times_out_is_retried_then_reported() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    for _ in 0..3 {
        server.script("selectBalance", Scripted::Delay(Duration::from_millis(500)));
    }
    let c = fr24::Client::new(config(&server).timeout(Duration::from_millis(100))).unwrap();
    let err = c.select_balance(&typed("selectBalance")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { timed_out: true, attempts: 3, .. }), "{err}");
    assert_eq!(server.hits("selectBalance"), 3);
}

#[tokio::test]
async fn undecodable_responses_keep_the_body_and_the_path() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let c = client(&server);
    // The booking example answers with orderNo; ask a mock whose secret differs in nothing but
    // decode the answer of one operation as another's to get a typed mismatch.
    let reply =
        c.raw().call_value(fr24::VENDOR.operation("shopping").unwrap(), &[], example_body("shopping")).await.unwrap();
    let err = flightapi::rt::client::decode::<fr24::booking::Response>(&reply.body, &reply.envelope).unwrap_err();
    let Error::Decode { path, body, .. } = err else { panic!("{err}") };
    assert_eq!(path, "$.legs", "booking's `legs` are not shopping's");
    assert!(body.contains("a17f56079af111ca6278d72124595910"));
}

#[test]
fn the_push_is_verified_and_refused_when_its_signature_is_tampered() {
    let push = fr24::VENDOR.operation("orderChangeInforming").unwrap();
    let body = push.examples[0].request.unwrap();
    let check = flightapi::rt::push::Check::signature_only();
    let credentials = creds("test", "123456");
    let change = fr24::order_change_informing::verify_with(body.as_bytes(), &credentials, check).unwrap();
    assert_eq!(change.body.order_status, Some(types::OrderStatus::TicketingCompleted), "\"13\" read as 13");
    assert_eq!(change.body.order_no, "15803203776942080");
    // FR24's sign covers appKey + appSecret + timestamp (Appendix I), not the body: a changed
    // sign or timestamp is caught, as is a push signed with another secret.
    for tampered in [body.replace("99dbfae1", "99dbfae2"), body.replace("\"1671178033\"", "\"1671178034\"")] {
        assert_ne!(tampered, body);
        let err = fr24::order_change_informing::verify_with(tampered.as_bytes(), &credentials, check).unwrap_err();
        assert!(err.to_string().contains("signature does not match"), "{err}");
    }
    let other = creds("test", "654321");
    assert!(fr24::order_change_informing::verify_with(body.as_bytes(), &other, check).is_err());
    let err = fr24::order_change_informing::verify_with(b"{not json", &credentials, check).unwrap_err();
    assert!(matches!(err, flightapi::rt::push::PushError::NotJson(_)));
    // The recorded push is years old: the default check refuses it as stale.
    let err = fr24::order_change_informing::verify(body.as_bytes(), &credentials).unwrap_err();
    assert!(err.to_string().contains("stale"), "{err}");
    assert!(fr24::order_change_informing::ACKNOWLEDGEMENT.contains("\"000000\""));
}

#[tokio::test]
async fn mock_options_take_other_credentials() {
    let credentials =
        fr24::Credentials::builder().app_key("partner").app_secret("s3cret").aes_key("0123456789abcdef").build();
    let options = MockOptions { credentials: credentials.clone().into(), ..MockOptions::new(&fr24::VENDOR) };
    let server = MockServer::start(&fr24::VENDOR, options).await.unwrap();
    let ok = Config { credentials: credentials.into(), ..config(&server) };
    fr24::Client::new(ok).unwrap().select_balance(&typed("selectBalance")).await.unwrap();
    let err = client(&server).select_balance(&typed("selectBalance")).await.unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.code == "10101001"), "{err}");
}

#[tokio::test]
async fn vendor_drift_is_kept_and_strict_mode_refuses_it() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let mut drifted: Value =
        serde_json::from_str(fr24::VENDOR.operation("orderDetail").unwrap().examples[0].response.unwrap()).unwrap();
    drifted["data"]["orderStatus"] = json!(99);
    drifted["data"]["loyaltyPoints"] = json!(120);
    server.script("orderDetail", Scripted::Reply(drifted.clone()));
    let detail = client(&server).order_detail(&typed("orderDetail")).await.unwrap();
    assert_eq!(detail.order_status, Some(types::OrderStatus::Unknown("99".into())));
    assert_eq!(detail.extra["loyaltyPoints"], json!(120), "unknown fields are kept");

    server.script("orderDetail", Scripted::Reply(drifted));
    let strict = fr24::Client::new(config(&server).strict(true)).unwrap();
    let err = strict.order_detail(&typed("orderDetail")).await.unwrap_err();
    let Error::Contract { violations, .. } = err else { panic!("{err}") };
    let paths: Vec<&str> = violations.0.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["$.data.orderStatus", "$.data.loyaltyPoints"]);
}

#[tokio::test]
async fn cross_field_rules_hold_at_the_client_and_the_mock() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let neither: fr24::refund_confirming::Request = serde_json::from_value(json!({"refundReason": "1"})).unwrap();
    let err = client(&server).refund_confirming(&neither).await.unwrap_err();
    let Error::Invalid(violations) = &err else { panic!("{err}") };
    assert_eq!(violations.0[0].message, "one of `refundOrderNo`, `tktOrderNo` is required");
    assert_eq!(server.hits("refundConfirming"), 0, "nothing was sent");
    // A client written elsewhere sends it anyway: the mock refuses it, naming the rule.
    let mut wire = signed_at(flightapi::rt::auth::unix_now());
    wire["refundReason"] = json!("1");
    let reply: Value = reqwest::Client::new()
        .post(format!("{}/api/new/refundConfirming.do", server.url()))
        .header("appKey", "test")
        .body(wire.to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reply["code"], "11301002", "{reply}");
    assert!(reply["message"].as_str().unwrap().contains("one of `refundOrderNo`, `tktOrderNo` is required"), "{reply}");
}

/// A server that answers every request with `response` (raw HTTP), for hostile answers.
async fn raw_server(response: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(response.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn bodies_past_the_cap_are_refused_even_when_gzip_inflates_them() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    // 2 MB of one letter: a few KB gzipped on the wire (the mock gzips), 2 MB decoded.
    let mut big: Value =
        serde_json::from_str(fr24::VENDOR.operation("selectBalance").unwrap().examples[0].response.unwrap()).unwrap();
    big["data"]["walletId"] = json!("A".repeat(2_000_000));
    server.script("selectBalance", Scripted::Reply(big.clone()));
    let capped = fr24::Client::new(config(&server).max_body(64 * 1024)).unwrap();
    let err = capped.select_balance(&typed("selectBalance")).await.unwrap_err();
    assert!(matches!(&err, Error::TooLarge { limit: 65536, .. }), "{err}");
    assert!(err.to_string().contains("POST 127.0.0.1:"), "names the call: {err}");
    // Under the default 32 MiB cap the same answer is read.
    server.script("selectBalance", Scripted::Reply(big));
    client(&server).select_balance(&typed("selectBalance")).await.unwrap();
}

#[tokio::test]
async fn transport_and_decode_errors_say_what_happened() {
    let unreachable =
        fr24::Client::new(Config::new(samples()).base_url("http://127.0.0.1:1").retry(RetryPolicy::never())).unwrap();
    let err = unreachable.select_balance(&typed("selectBalance")).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("POST 127.0.0.1:1/api/new/selectBalance.do"), "{text}");
    assert!(matches!(err, Error::Transport { may_have_been_processed: false, .. }), "a refused connection: {text}");

    let html = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 32\r\nConnection: close\r\n\r\n<html><body>Gateway</body></html";
    let url = raw_server(html).await;
    let c = fr24::Client::new(Config::new(samples()).base_url(url).retry(RetryPolicy::never())).unwrap();
    let err = c.select_balance(&typed("selectBalance")).await.unwrap_err();
    let Error::Decode { status, content_type, .. } = &err else { panic!("{err}") };
    assert_eq!((*status, content_type.as_deref()), (200, Some("text/html")));
    let text = err.to_string();
    assert!(text.contains("HTTP 200, text/html") && text.contains("<html><body>Gateway"), "{text}");
}

#[tokio::test]
async fn timeouts_per_call_and_per_operation_and_a_callers_http_client() {
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    for _ in 0..3 {
        server.script("selectBalance", Scripted::Delay(Duration::from_millis(400)));
    }
    let c = fr24::Client::new(config(&server).timeout(Duration::from_secs(5)).call_timeout(Duration::from_millis(150)))
        .unwrap();
    let started = std::time::Instant::now();
    let err = c.select_balance(&typed("selectBalance")).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(390), "the call limit cut the wait");
    assert!(matches!(&err, Error::Transport { timed_out: true, .. }), "{err}");
    assert!(err.to_string().contains("Config::call_timeout"), "{err}");
    // Operations whose pages give a maximum response time carry it from the spec.
    let commit = flightapi::aerohub::VENDOR.operation("Commit").unwrap();
    assert_eq!(commit.timeout_secs, Some(30));
    // A caller's own reqwest client (a proxy, TLS roots): headers and signing still apply.
    let mine = reqwest::Client::builder().pool_max_idle_per_host(1).build().unwrap();
    let server = MockServer::spawn(&fr24::VENDOR).await.unwrap();
    let c = fr24::Client::new(config(&server).http_client(mine)).unwrap();
    c.select_balance(&typed("selectBalance")).await.unwrap();
    assert_eq!(server.last_request("selectBalance").unwrap().header("appkey"), Some("test"));
}
