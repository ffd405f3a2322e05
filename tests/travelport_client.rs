//! `travelport::Client` against the in-process Travelport mock: OAuth2 tokens (one fetch
//! under concurrency, refresh on expiry and on 401), headers, path parameters, one-of forms of
//! payment wrapped and flat, NDC/GDS profiles, `Result.Error[]` errors, 204 and DELETE.

mod support;

use std::time::Duration;

use flightapi::rt::client::{Config, Error};
use flightapi::rt::mock::{MockOptions, MockServer, Scripted};
use flightapi::rt::Validate;
use flightapi::travelport::{self, add_form_of_payment as add, delete_form_of_payment as delete, types};
use flightapi::travelport::{update_form_of_payment as update, ContentSource};
use serde_json::{json, Value};

const CARD: &str = "4111111111111111";
const CVV: &str = "737";

fn credentials() -> travelport::Credentials {
    travelport::Credentials::samples()
}

fn config(server: &MockServer) -> Config {
    Config::new(credentials()).base_url(server.url()).token_url(server.token_url()).timeout(Duration::from_secs(5))
}

fn client(server: &MockServer) -> travelport::Client {
    travelport::Client::new(config(server)).expect("client")
}

fn workbench() -> add::PathParams {
    add::PathParams::builder()
        .workbench_id(add::WorkbenchId::try_from("cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf").unwrap())
        .build()
}

fn card(cvv: Option<&str>) -> types::FormOfPayment {
    let number = types::SecureValue::builder().plain_text(CARD).build();
    let mut payment_card = types::PaymentCard::builder()
        .at_type("PaymentCardDetail")
        .card_type("Credit")
        .card_code(types::CardCode::try_from("VI").unwrap())
        .card_number(number)
        .expire_date(types::ExpireDate::try_from("0530").unwrap())
        .card_holder_name("JANE DOE")
        .build();
    payment_card.series_code = cvv.map(|c| types::SecureValue::builder().plain_text(c).build());
    types::FormOfPayment::FormOfPaymentPaymentCard(
        types::FormOfPaymentPaymentCard::builder()
            .id(types::FopId::try_from("formOfPayment_1").unwrap())
            .payment_card(payment_card)
            .build(),
    )
}

fn cash() -> types::FormOfPayment {
    types::FormOfPayment::FormOfPaymentCash(
        types::FormOfPaymentCash::builder()
            .id(types::FopId::try_from("formOfPayment_2").unwrap())
            .agent_non_refundable_ind(true)
            .build(),
    )
}

#[tokio::test]
async fn every_operation_round_trips_with_one_token() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let c = client(&server);
    let added = c.add_form_of_payment(&workbench(), &card(Some(CVV))).await.unwrap();
    let stored = added.form_of_payment_response.unwrap().form_of_payment.unwrap();
    assert!(matches!(stored, types::FormOfPaymentInbound::FormOfPaymentPaymentCard(_)), "{stored:?}");
    let params = update::PathParams::builder()
        .workbench_id(update::WorkbenchId::try_from("cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf").unwrap())
        .form_of_payment_identifier(update::FormOfPaymentIdentifier::try_from("formOfPayment_1").unwrap())
        .build();
    let replaced = c.update_form_of_payment(&params, &cash()).await.unwrap();
    assert!(replaced.extra.is_empty(), "204 No Content decodes to an empty response");
    let params = delete::PathParams::builder()
        .workbench_id(delete::WorkbenchId::try_from("cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf").unwrap())
        .form_of_payment_identifier(delete::FormOfPaymentIdentifier::try_from("formOfPayment_1").unwrap())
        .build();
    c.delete_form_of_payment(&params, &delete::Request::builder().build()).await.unwrap();
    let params = travelport::add_payment::PathParams::builder()
        .workbench_id(travelport::add_payment::WorkbenchId::try_from("cfa7a3a6").unwrap())
        .build();
    let payment: travelport::add_payment::Request = support::typed(&travelport::VENDOR, "AddPayment");
    c.add_payment(&params, &payment).await.unwrap();
    for op in travelport::VENDOR.operations {
        assert_eq!(server.hits(op.name), 1, "{} reached the mock exactly once", op.name);
    }
    assert_eq!(server.token_requests(), 1, "one token for every call");
    let deleted = server.last_request("DeleteFormOfPayment").unwrap();
    assert_eq!(deleted.body, Value::Null, "DELETE takes no body");
    assert_eq!(
        deleted.path,
        "/payment/reservationworkbench/cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf/formofpayment/formOfPayment_1"
    );
}

#[tokio::test]
async fn headers_bearer_token_and_wrapped_body_on_the_wire() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let c = client(&server).with_headers(travelport::CallHeaders::builder().tracking_id("trace-42").build());
    c.add_form_of_payment(&workbench(), &card(Some(CVV))).await.unwrap();
    let got = server.last_request("AddFormOfPayment").unwrap();
    assert_eq!(got.header("accept-version"), Some("11"));
    assert_eq!(got.header("content-version"), Some("11"));
    assert_eq!(got.header("xauth_travelport_accessgroup"), Some("mock-access-group"));
    assert_eq!(got.header("e2etrackingid"), Some("trace-42"));
    assert!(got.header("authorization").unwrap().starts_with("Bearer mock-travelport-"));
    assert_eq!(got.body["FormOfPaymentPaymentCard"]["PaymentCard"]["CardNumber"]["PlainText"], CARD);
    assert_eq!(got.body.as_object().unwrap().len(), 1, "written wrapped: {}", got.body);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let params = add::PathParams::builder().workbench_id(add::WorkbenchId::try_from("a b/c?d").unwrap()).build();
    client(&server).add_form_of_payment(&params, &cash()).await.unwrap();
    let got = server.last_request("AddFormOfPayment").unwrap();
    assert_eq!(got.path, "/payment/reservationworkbench/a%20b%2Fc%3Fd/formofpayment");
}

#[tokio::test]
async fn the_token_is_fetched_once_when_many_calls_start_together() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let c = client(&server);
    let calls = (0..24).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.add_form_of_payment(&workbench(), &cash()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(server.hits("AddFormOfPayment"), 24);
    assert_eq!(server.token_requests(), 1);
}

#[tokio::test]
async fn an_expired_token_is_replaced_before_use() {
    let options = MockOptions { token_lifetime: Duration::from_secs(1), ..MockOptions::new(&travelport::VENDOR) };
    let server = MockServer::start(&travelport::VENDOR, options).await.unwrap();
    let c = client(&server);
    c.add_form_of_payment(&workbench(), &cash()).await.unwrap();
    c.add_form_of_payment(&workbench(), &cash()).await.unwrap();
    assert_eq!(server.token_requests(), 1, "reused while valid");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.add_form_of_payment(&workbench(), &cash()).await.unwrap();
    assert_eq!(server.token_requests(), 2, "refreshed once it expired");
    assert_eq!(server.hits("AddFormOfPayment"), 3, "no call was refused and resent");
}

#[tokio::test]
async fn a_revoked_token_is_replaced_once_and_the_call_goes_through() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let c = client(&server);
    c.add_form_of_payment(&workbench(), &cash()).await.unwrap();
    server.revoke_tokens();
    c.add_form_of_payment(&workbench(), &cash()).await.unwrap();
    assert_eq!(server.token_requests(), 2);
    // The refused attempt never reached the operation: a 401 is safe to resend, even a payment.
    assert_eq!(server.hits("AddFormOfPayment"), 3);
}

#[tokio::test]
async fn wrong_credentials_fail_without_printing_them() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let mut creds = credentials();
    creds.password = "hunter2-wrong".into();
    let c = travelport::Client::new(Config::new(creds.clone()).base_url(server.url()).token_url(server.token_url()))
        .unwrap();
    let e = c.add_form_of_payment(&workbench(), &cash()).await.unwrap_err();
    assert!(matches!(e, Error::Auth(_)), "{e:?}");
    assert!(e.to_string().contains("invalid_grant"), "{e}");
    for shown in [e.to_string(), format!("{e:?}"), format!("{creds:?}"), format!("{c:?}")] {
        assert!(!shown.contains("hunter2") && !shown.contains("mock-client-secret"), "{shown}");
    }
    assert_eq!(server.hits("AddFormOfPayment"), 0, "nothing was sent without a token");
}

#[tokio::test]
async fn errors_come_from_result_error_with_every_item() {
    let server = MockServer::spawn(&travelport::VENDOR).await.unwrap();
    let c = client(&server);
    server.script("AddFormOfPayment", Scripted::ApiError { code: "400".into(), message: "Invalid card".into() });
    let e = c.add_form_of_payment(&workbench(), &card(Some(CVV))).await.unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!((api.code.as_str(), api.message.as_deref()), ("400", Some("Invalid card")));
    let two = json!({"FormOfPaymentResponse": {"Result": {"status": "Incomplete", "Error": [
        {"@type": "ErrorDetail", "StatusCode": 400, "Message": "Invalid card number"},
        {"@type": "ErrorDetail", "StatusCode": 422, "Message": "CVV required for NDC"}
    ]}}});
    server.script("AddFormOfPayment", Scripted::Reply(two));
    let e = c.add_form_of_payment(&workbench(), &card(Some(CVV))).await.unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(api.code, "400");
    assert_eq!(api.others.len(), 1);
    assert_eq!(api.others[0].code, "422");
    assert!(e.to_string().contains("also code 422: CVV required for NDC"), "{e}");
    assert_eq!(server.hits("AddFormOfPayment"), 2, "an error is never retried for a payment");
}

#[test]
fn forms_of_payment_are_written_wrapped_and_read_wrapped_or_flat() {
    let wrapped = serde_json::to_value(cash()).unwrap();
    assert_eq!(wrapped, json!({"FormOfPaymentCash": {"id": "formOfPayment_2", "agentNonRefundableInd": true}}));
    let flat = json!({"@type": "FormOfPaymentCash", "id": "formOfPayment_2", "agentNonRefundableInd": true});
    let read: types::FormOfPayment = serde_json::from_value(flat).unwrap();
    assert_eq!(read, cash());
    let read: types::FormOfPayment = serde_json::from_value(wrapped.clone()).unwrap();
    assert_eq!(read, cash());
    // Requests refuse an alternative the spec does not list; responses keep it.
    let other = json!({"@type": "FormOfPaymentWaiverCode", "id": "x"});
    assert!(serde_json::from_value::<types::FormOfPayment>(other.clone()).is_err());
    let kept: types::FormOfPaymentInbound = serde_json::from_value(other.clone()).unwrap();
    assert_eq!(kept, types::FormOfPaymentInbound::Unknown(other));
}

#[test]
fn ndc_and_gds_rules_are_checked_on_request() {
    assert!(card(Some(CVV)).validate_in(ContentSource::Ndc).is_ok());
    assert!(card(Some(CVV)).validate_in(ContentSource::Gds).is_ok());
    let no_cvv = card(None).validate_in(ContentSource::Ndc).unwrap_err().to_string();
    assert_eq!(no_cvv, "$.FormOfPaymentPaymentCard.PaymentCard.SeriesCode: required for NDC");
    assert!(card(None).validate_in(ContentSource::Gds).is_ok(), "GDS does not demand the CVV");
    assert!(card(None).validate().is_ok(), "without a profile only the spec's own rules apply");
    let cash_ndc = cash().validate_in(ContentSource::Ndc).unwrap_err().to_string();
    assert!(cash_ndc.contains("$: FormOfPaymentCash is not allowed for NDC (only GDS)"), "{cash_ndc}");
    assert!(cash().validate_in(ContentSource::Gds).is_ok());
    let types::FormOfPayment::FormOfPaymentPaymentCard(mut hd) = card(Some(CVV)) else { unreachable!() };
    hd.inhibit_payment_card_authorization_ind = Some(true);
    let hd = types::FormOfPayment::FormOfPaymentPaymentCard(hd);
    let e = hd.validate_in(ContentSource::Ndc).unwrap_err().to_string();
    assert_eq!(e, "$.FormOfPaymentPaymentCard.inhibitPaymentCardAuthorizationInd: not allowed for NDC (only GDS)");
    assert!(hd.validate_in(ContentSource::Gds).is_ok());
}

#[test]
fn card_data_never_appears_in_debug_or_validation_errors() {
    let fop = card(Some(CVV));
    let debug = format!("{fop:?}");
    assert!(!debug.contains(CARD) && !debug.contains(CVV) && !debug.contains("JANE DOE"), "{debug}");
    let mut wire = serde_json::to_value(&fop).unwrap();
    wire["FormOfPaymentPaymentCard"]["PaymentCard"]["CardCode"] = json!("VISA");
    wire["FormOfPaymentPaymentCard"]["PaymentCard"]["CardNumber"]["PlainText"] = json!(4111111111111111u64);
    let schema = <types::FormOfPayment as Validate>::schema();
    let violations = schema.check(<types::FormOfPayment as Validate>::TYPE, &wire, flightapi::rt::Direction::Request);
    let text: Vec<String> = violations.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 2, "{text:?}");
    assert!(text.iter().all(|t| !t.contains("4111")), "{text:?}");
}
