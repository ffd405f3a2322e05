//! `aerohub::Client` against the in-process AeroHub mock: the action-dispatched envelope,
//! AES signatures, status codes, retries only for safe actions, card data never printed.

mod support;

use std::time::Duration;

use flightapi::aerohub::{self, set_payment_to_booking as pay, types};
use flightapi::rt::client::{Config, Error, RetryPolicy};
use flightapi::rt::mock::{MockOptions, MockServer, Scripted};
use flightapi::rt::{auth, Advice, CredentialSet, Validate};
use serde_json::{json, Map, Value};

const KEY: &str = "ctPJAIdxUA3ptaWC";
const SECRET: &str = "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP";
const CARD: &str = "4111111111111111";

fn config(server: &MockServer) -> Config {
    let retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    };
    Config::new(creds(KEY, SECRET)).base_url(server.url()).timeout(Duration::from_secs(5)).retry(retry)
}

fn client(server: &MockServer) -> aerohub::Client {
    aerohub::Client::new(config(server)).expect("client")
}

fn typed<T: serde::de::DeserializeOwned>(operation: &str) -> T {
    support::typed(&aerohub::VENDOR, operation)
}

fn card_payment() -> pay::Request {
    pay::Request::builder()
        .payment_code(types::PaymentCode::Cc)
        .session_id(types::SessionId::try_from("e7b9e00ee26a8df4b5e6840d1869bfda").unwrap())
        .cc_fields(
            pay::CardFields::builder()
                .card_number(pay::CardNumber::try_from(CARD).unwrap())
                .expiration(pay::Expiration::try_from("05/30").unwrap())
                .holder_name("ZHANG SAN")
                .cvv(pay::Cvv::try_from("737").unwrap())
                .card_type(pay::CardType::Visa)
                .build(),
        )
        .build()
}

/// The signature of `KEY` at `timestamp` with `SECRET`.
fn signature(timestamp: &str) -> String {
    flightapi::rt::crypto::aes_cbc_encrypt(SECRET.as_bytes(), format!("{KEY}&{timestamp}").as_bytes()).unwrap()
}

/// Posts a hand-made wire body to the mock, as a client in another language would.
async fn post_raw(server: &MockServer, path: &str, wire: &Value) -> Value {
    let reply = reqwest::Client::new().post(format!("{}{path}", server.url())).body(wire.to_string()).send();
    let text = reply.await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn creds(key: &str, secret: &str) -> aerohub::Credentials {
    aerohub::Credentials::builder().key(key).secret(secret).build()
}

#[test]
fn signature_vectors_published_and_derived() {
    let creds = CredentialSet::from(creds(KEY, SECRET));
    let recipe = aerohub::VENDOR.auth.signature.expect("AeroHub signs requests");
    // The published vector uses the predecessor's float timestamp: the spec's recipe (not
    // Rust code) must reproduce it.
    let inputs = auth::template::Inputs {
        credentials: &creds,
        timestamp: Some("1500375695.65"),
        nonce: None,
        method: "POST",
        path: "/flight/booking",
        query: &[],
        body: b"",
        body_value: None,
        params_skip: &[],
        signature: None,
    };
    assert_eq!(recipe.compute(&inputs).unwrap(), "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=");
    // The current API's 10-digit timestamp is an integer in the envelope.
    let mut wire = Map::new();
    auth::sign_body(&aerohub::VENDOR, &creds, &mut wire, 1_685_116_516_000).unwrap();
    assert_eq!(wire["signature"], "15hhHQ8C6F9OxD/BNyztUKf6OWRXFhlhkpAKecQW+4s=");
    assert_eq!(wire["timestamp"], json!(1685116516));
    assert_eq!(wire["key"], KEY);
}

#[tokio::test]
async fn every_action_round_trips_through_client_and_mock() {
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    let c = client(&server);
    let found = c.get_availability(&typed("GetAvailability")).await.unwrap();
    let routing = &found.routings.as_ref().unwrap()[0];
    assert_eq!(routing.adult_fare.unwrap().to_string(), "2027.06", "money is a decimal, not a float");
    let priced = c.air_pricing(&typed("AirPricing")).await.unwrap();
    assert_eq!(priced.session_id.as_deref(), Some("e7b9e00ee26a8df4b5e6840d1869bfda"));
    c.set_passengers(&typed("SetPassengers")).await.unwrap();
    let payments = c.get_booking_payments(&typed("GetBookingPayments")).await.unwrap();
    assert_eq!(payments.payments.unwrap()[0].code, Some(types::PaymentCodeInbound::Aag));
    let paid = c.set_payment_to_booking(&card_payment()).await.unwrap();
    assert_eq!(paid.balance_due.unwrap(), rust_decimal::Decimal::from(13320));
    let committed = c.commit(&typed("Commit")).await.unwrap();
    assert_eq!(committed.order_status, Some(types::OrderStatus::NeedPayment));
    c.get_booking_detail(&typed("GetBookingDetail")).await.unwrap();
    c.submit_cancellation(&typed("SubmitCancellation")).await.unwrap();
    let confirmed = c.confirm_cancellation(&typed("ConfirmCancellation")).await.unwrap();
    assert_eq!(confirmed.cancellation_num.as_deref(), Some("C2305260001"));
    c.get_ssr_availability(&typed("GetSSRAvailability")).await.unwrap();
    c.sell_ssr(&typed("SellSSR")).await.unwrap();
    c.get_seat_availability(&typed("GetSeatAvailability")).await.unwrap();
    c.assign_seats(&typed("AssignSeats")).await.unwrap();
    c.get_cancellation_detail(&typed("GetCancellationDetail")).await.unwrap();
    c.get_booking_detail_v1(&typed("GetBookingDetailV1")).await.unwrap();
    c.upload_attachments(&typed("UploadAttachments")).await.unwrap();
    assert_eq!(server.last_request("UploadAttachments").unwrap().path, "/flight/common");
    // The one action whose fields no page copy shows: raw, signed JSON.
    let raw = Map::from_iter([("orderNum".to_owned(), json!("2305261234567890"))]);
    c.search_date_change_options(&raw).await.unwrap();
    assert_eq!(aerohub::VENDOR.operations.len(), 17);
    for op in aerohub::VENDOR.operations {
        assert_eq!(server.hits(op.name), 1, "{} reached the mock exactly once", op.name);
    }
}

#[tokio::test]
async fn the_wire_is_the_documented_envelope() {
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    client(&server).set_payment_to_booking(&card_payment()).await.unwrap();
    let got = server.last_request("SetPaymentToBooking").unwrap();
    assert_eq!(got.path, "/flight/booking");
    assert_eq!(got.header("content-type"), Some("text/plain"));
    assert_eq!(got.body["action"], "SetPaymentToBooking");
    assert_eq!(got.body["key"], KEY);
    assert!(got.body["timestamp"].is_u64(), "an integer timestamp: {}", got.body["timestamp"]);
    assert_eq!(got.body["request"]["ccFields"]["cardType"], 0);
    assert_eq!(got.body["request"]["ccFields"]["cvv"], "737");
    assert!(got.body.get("version").is_none(), "version is optional and left out");
    assert_eq!(got.body["signature"], signature(&got.body["timestamp"].to_string()).as_str());

    // Cancellations go to their own path, dispatched by action as well.
    client(&server).confirm_cancellation(&typed("ConfirmCancellation")).await.unwrap();
    assert_eq!(server.last_request("ConfirmCancellation").unwrap().path, "/flight/cancellation");
}

#[tokio::test]
async fn a_timestamp_sent_as_a_string_is_accepted_as_the_docs_show() {
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    let ts = auth::unix_now().to_string();
    let wire = json!({
        "action": "ConfirmCancellation", "key": KEY, "signature": signature(&ts), "timestamp": ts,
        "request": {"cancellationNum": "C2305260001"}
    });
    let reply = post_raw(&server, "/flight/cancellation", &wire).await;
    assert_eq!(reply["status"], 0, "{reply}");
}

#[tokio::test]
async fn a_bad_signature_or_unknown_key_is_refused_with_1101() {
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    for creds in [creds(KEY, "124sYXZXMlFKaiAa65IYuMCB0hE2CgaP"), creds("someoneElse0001", SECRET)] {
        let c = aerohub::Client::new(Config::new(creds).base_url(server.url())).unwrap();
        let e = c.get_booking_payments(&typed("GetBookingPayments")).await.unwrap_err();
        let Error::Api(api) = &e else { panic!("{e:?}") };
        assert_eq!(api.code, "1101");
        assert_eq!(api.advice(), Some(Advice::FixRequest));
        assert!(!e.to_string().contains("124sYX"), "the secret is never printed: {e}");
    }
    // An unknown action is 1002, as the docs say.
    let wire = json!({"action": "Frobnicate", "key": KEY, "signature": "x", "timestamp": 1, "request": {}});
    let reply = post_raw(&server, "/flight/booking", &wire).await;
    assert_eq!(reply["status"], 1002, "{reply}");
}

#[tokio::test]
async fn busy_codes_are_retried_for_reads_and_never_for_payments() {
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    let c = client(&server);
    let busy = || Scripted::ApiError { code: "1006".into(), message: "System busy, please try again".into() };
    let timeout = || Scripted::ApiError { code: "1003".into(), message: "API request timeout".into() };
    // A read: retried after 1006 and 1003, then answered.
    server.script("GetBookingDetail", busy());
    server.script("GetBookingDetail", timeout());
    c.get_booking_detail(&typed("GetBookingDetail")).await.unwrap();
    assert_eq!(server.hits("GetBookingDetail"), 3);
    // A payment: one attempt, the busy code reported with its advice.
    server.script("SetPaymentToBooking", busy());
    let e = c.set_payment_to_booking(&card_payment()).await.unwrap_err();
    assert_eq!(e.advice(), Some(Advice::RetryNow));
    assert_eq!(server.hits("SetPaymentToBooking"), 1, "a payment is never sent twice");
    // Commit timing out: one attempt, reported as possibly processed.
    server.script("Commit", Scripted::Delay(Duration::from_millis(800)));
    let short = aerohub::Client::new(config(&server).timeout(Duration::from_millis(200))).unwrap();
    let e = short.commit(&typed("Commit")).await.unwrap_err();
    assert!(matches!(e, Error::Transport { timed_out: true, attempts: 1, may_have_been_processed: true, .. }), "{e:?}");
    assert_eq!(server.hits("Commit"), 1);
}

#[tokio::test]
async fn card_data_never_appears_in_debug_or_errors() {
    let request = card_payment();
    let debug = format!("{request:?}");
    for secret in [CARD, "737", "ZHANG SAN"] {
        assert!(!debug.contains(secret), "{secret} leaked into Debug: {debug}");
    }
    // Broken card data: every violation reported, no value quoted.
    let mut wire = serde_json::to_value(&request).unwrap();
    wire["ccFields"]["cardNumber"] = json!("4111 1111 1111 1111");
    wire["ccFields"]["cvv"] = json!("73a");
    wire["ccFields"]["expiration"] = json!("13/30");
    let schema = <pay::Request as Validate>::schema();
    let violations = schema.check(<pay::Request as Validate>::TYPE, &wire, flightapi::rt::Direction::Request);
    let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text.iter().any(|v| v.starts_with("$.ccFields.cardNumber:")), "{text:?}");
    assert!(text.iter().any(|v| v.starts_with("$.ccFields.expiration:") && v.contains("13/30")), "{text:?}");
    for v in &text {
        assert!(!v.contains("4111") && !v.contains("73a"), "a card value leaked: {v}");
    }
    // The same through the client: refused before sending, still without the values.
    let server = MockServer::spawn(&aerohub::VENDOR).await.unwrap();
    let e =
        client(&server).raw().call_value(aerohub::VENDOR.operation("SetPaymentToBooking").unwrap(), &[], wire).await;
    let e = e.unwrap_err();
    assert!(matches!(e, Error::Invalid(_)));
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains("4111") && !shown.contains("73a"), "{shown}");
    }
    assert_eq!(server.hits("SetPaymentToBooking"), 0, "nothing was sent");
    // The mock refusing a card it cannot validate does not echo it either.
    let options = MockOptions { credentials: creds(KEY, SECRET).into(), ..MockOptions::new(&aerohub::VENDOR) };
    let strict_server = MockServer::start(&aerohub::VENDOR, options).await.unwrap();
    let ts = auth::unix_now();
    let mut body = serde_json::to_value(card_payment()).unwrap();
    body["ccFields"]["cardNumber"] = json!("4111-1111-1111-1111");
    let wire = json!({"action": "SetPaymentToBooking", "key": KEY, "signature": signature(&ts.to_string()),
                      "timestamp": ts, "request": body});
    let reply = post_raw(&strict_server, "/flight/booking", &wire).await;
    assert_eq!(reply["status"], 1004, "{reply}");
    assert!(!reply.to_string().contains("4111"), "{reply}");
}
