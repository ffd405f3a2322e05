//! `tracing`: one span per call with what happened (vendor, operation, attempts, status,
//! outcome, latency), and never a secret: a subscriber captures every vendor's quickstart
//! flow against its mock, and none of the credentials, tokens, signatures or card data used
//! appear in what it wrote.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use flightapi::rt::client::Config;
use flightapi::rt::mock::{MockOptions, MockServer};
use flightapi::{aerohub, fr24, travelport};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_name_each_call_and_no_secret_is_ever_logged() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // FR24 with credentials only this test knows.
    let fr24_creds = fr24::Credentials::builder()
        .app_key("fr24-key-7Q")
        .app_secret("fr24-secret-Zx81")
        .aes_key("aeskey-9f8e7d6c1")
        .build();
    let options = MockOptions { credentials: fr24_creds.clone().into(), ..MockOptions::new(&fr24::VENDOR) };
    let server = MockServer::start(&fr24::VENDOR, options).await.unwrap();
    let c = fr24::Client::new(Config::new(fr24_creds).base_url(server.url())).unwrap();
    c.shopping(&support::typed(&fr24::VENDOR, "shopping")).await.unwrap();
    let booking: fr24::booking::Request = serde_json::from_value(serde_json::json!({
        "offerId": "a17f56079af111ca6278d72124595910",
        "passengers": [{"paxId": "1", "name": "YGVU/ZTMII", "paxType": "ADT", "birthday": "1981-07-21", "gender": "M"}]
    }))
    .unwrap();
    c.booking(&booking).await.unwrap();
    c.ticketing(&support::typed(&fr24::VENDOR, "ticketing")).await.unwrap();
    let fr24_sign =
        server.last_request("ticketing").unwrap().body["authentication"]["sign"].as_str().unwrap().to_owned();

    // AeroHub: a card payment.
    let ah_creds =
        aerohub::Credentials::builder().key("ahKey0000000001").secret("0123456789abcdef0123456789abcdef").build();
    let options = MockOptions { credentials: ah_creds.clone().into(), ..MockOptions::new(&aerohub::VENDOR) };
    let server = MockServer::start(&aerohub::VENDOR, options).await.unwrap();
    let c = aerohub::Client::new(Config::new(ah_creds).base_url(server.url())).unwrap();
    c.get_availability(&support::typed(&aerohub::VENDOR, "GetAvailability")).await.unwrap();
    let payment: aerohub::set_payment_to_booking::Request = support::typed(&aerohub::VENDOR, "SetPaymentToBooking");
    c.set_payment_to_booking(&payment).await.unwrap();
    let paid = server.last_request("SetPaymentToBooking").unwrap();
    let ah_signature = paid.body["signature"].as_str().unwrap().to_owned();
    let card = paid.body["request"]["ccFields"]["cardNumber"].as_str().map(str::to_owned);

    // Travelport: a token, a card.
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let config = Config::new(travelport::Credentials::samples()).base_url(server.url()).token_url(server.token_url());
    let c = travelport::Client::new(config).unwrap();
    let params = travelport::add_form_of_payment::PathParams::builder()
        .workbench_id(travelport::add_form_of_payment::WorkbenchId::try_from("cfa7a3a6").unwrap())
        .build();
    c.add_form_of_payment(&params, &support::typed(&travelport::VENDOR, "AddFormOfPayment")).await.unwrap();
    let sent = server.last_request("AddFormOfPayment").unwrap();
    let token = sent.header("authorization").unwrap().trim_start_matches("Bearer ").to_owned();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for needle in [
        "operation=\"shopping\"",
        "operation=\"SetPaymentToBooking\"",
        "operation=\"AddFormOfPayment\"",
        "outcome=\"ok\"",
    ] {
        assert!(log.contains(needle), "the spans name the call: {needle} missing in\n{log}");
    }
    assert!(log.contains("vendor=\"fr24\"") && log.contains("status=200"), "{log}");
    let mut secrets = vec![
        "fr24-key-7Q".to_owned(),
        "fr24-secret-Zx81".to_owned(),
        "aeskey-9f8e7d6c1".to_owned(),
        "0123456789abcdef0123456789abcdef".to_owned(),
        "mock-client-secret".to_owned(),
        "mock-password".to_owned(),
        fr24_sign,
        ah_signature,
        token,
        "4111111111111111".to_owned(),
    ];
    secrets.extend(card);
    for secret in secrets {
        assert!(!log.contains(&secret), "`{secret}` appears in the log:\n{log}");
    }
}
