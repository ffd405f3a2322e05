//! The generated FR24 types, used the way a client uses them.

use flightapi::fr24::refund_request::{self, RefundReason};
use flightapi::fr24::types::{
    Authentication, Gender, IataCode, PassengerRef, PaxName, SegmentRef, TicketOrderNo, Timestamp,
};
use flightapi::fr24::{select_balance, RefundRequest, RequestEnvelope, ResponseEnvelope, SelectBalance};
use flightapi::rt::{Advice, IsoDate, IsoMinutes, LocalDate, LocalDateTime, Operation, Validate};
use rust_decimal::Decimal;
use serde_json::json;

fn passenger() -> PassengerRef {
    PassengerRef::builder()
        .pax_id("1")
        .name(PaxName::try_from("YGVU/ZTMII").unwrap())
        .birthday(LocalDate::<IsoDate>::parse("1981-07-21").unwrap())
        .gender(Gender::Male)
        .build()
}

fn segment() -> SegmentRef {
    SegmentRef::builder()
        .carrier("BA".parse().unwrap())
        .flight_no("1234".parse().unwrap())
        .dep_airport(IataCode::try_from("LHR").unwrap())
        .dep_time(LocalDateTime::<IsoMinutes>::parse("2022-10-21T21:23").unwrap())
        .arr_airport(IataCode::try_from("HKG").unwrap())
        .arr_time(LocalDateTime::<IsoMinutes>::parse("2022-10-22T17:05").unwrap())
        .build()
}

fn refund() -> refund_request::Request {
    refund_request::Request::builder()
        .tkt_order_no(TicketOrderNo::try_from("17920456973815808").unwrap())
        .passengers(vec![passenger()])
        .segments(vec![segment()])
        .refund_reason(RefundReason::Reason1)
        .remarks("Passenger cannot travel.")
        .build()
}

#[test]
fn a_refund_request_serializes_as_the_docs_show() {
    let envelope = RequestEnvelope {
        authentication: Authentication::builder()
            .sign("99dbfae18aab459e0ca134a7eafdaa9efe83d3f4dcfd9d997b2797d055a69a5b65730cf88efdefd575503c12f61137e9764d8c37bc1213de1ad4ac22b32a09d0".to_owned())
            .timestamp(Timestamp::try_from("1671178033").unwrap())
            .build(),
        body: refund(),
    };
    let wire = serde_json::to_value(&envelope).unwrap();
    assert_eq!(wire["tktOrderNo"], "17920456973815808");
    assert_eq!(wire["refundReason"], "1");
    assert_eq!(
        wire["passengers"],
        json!([{"paxId": "1", "name": "YGVU/ZTMII", "birthday": "1981-07-21", "gender": "M"}])
    );
    assert_eq!(wire["segments"][0]["depTime"], "2022-10-21T21:23");
    assert_eq!(wire["authentication"]["timestamp"], "1671178033");
    assert!(wire.get("partnerOrderNo").is_none(), "unset optional fields are left out");
    let violations =
        flightapi::fr24::VENDOR.schema.check_wire("refundRequest", &wire, flightapi::rt::Direction::Request).unwrap();
    assert!(violations.is_empty(), "{violations:?}");
    let debug = format!("{envelope:?}");
    assert!(debug.contains("sign: ***") && !debug.contains("99dbfae1"), "{debug}");
}

#[test]
fn validate_lists_every_violation_with_its_json_path() {
    let mut req = refund();
    req.passengers.clear();
    req.segments = Some(vec![segment(), segment()]);
    assert_eq!(req.validate().unwrap_err().to_string(), "$.passengers: has 0 items, fewer than the minimum 1");
    let mut wire = serde_json::to_value(refund()).unwrap();
    wire["passengers"][0]["birthday"] = json!("1981-7-21");
    wire["segments"][0]["depAirport"] = json!("LHRX");
    wire["refundReasons"] = json!("1");
    let lines: Vec<String> = flightapi::fr24::VENDOR
        .schema
        .check(<refund_request::Request as Validate>::TYPE, &wire, flightapi::rt::Direction::Request)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "$.passengers[0].birthday: \"1981-7-21\" is not a date in the format %Y-%m-%d",
            "$.segments[0].depAirport: \"LHRX\" is 4 characters long, longer than the maximum 3",
            "$.segments[0].depAirport: \"LHRX\" does not match the pattern ^[A-Z]{3}$",
            "$.refundReasons: unknown field",
        ]
    );
}

#[test]
fn an_unknown_request_key_is_an_error() {
    let mut wire = serde_json::to_value(refund()).unwrap();
    wire["refundReasons"] = wire["refundReason"].clone();
    let err = serde_json::from_value::<refund_request::Request>(wire).unwrap_err();
    assert!(err.to_string().contains("unknown field `refundReasons`"), "{err}");
}

#[test]
fn select_balance_reads_money_and_the_misspelt_currency_key() {
    let wire = json!({
        "traceId": "t", "code": "000000", "message": "ok", "processingTime": 160,
        "data": {"accountBalance": "100.00", "availableCreditLimit": 0, "accountCurency'": "CNY",
                 "accountPayable": "0.00", "time": "2024/01/01 12:00:00 ", "walletId": "W1"}
    });
    let env: ResponseEnvelope<select_balance::Response> = serde_json::from_value(wire).unwrap();
    let data = env.data.unwrap();
    assert_eq!(data.account_balance, Decimal::new(10000, 2));
    assert_eq!(data.available_credit_limit, Decimal::ZERO, "an integer where the example has a string");
    assert_eq!(data.account_currency, "CNY");
    assert_eq!(data.extra["walletId"], "W1");
    let back = serde_json::to_value(&data).unwrap();
    assert_eq!(back["accountCurrency"], "CNY");
    assert_eq!(back["availableCreditLimit"], "0", "written back as the spec's decimal string");
}

#[test]
fn an_error_response_has_no_data_and_a_decoded_code() {
    let wire = json!({"traceId": "t1", "code": "10601002", "message": "busy", "processingTime": 3});
    let env: ResponseEnvelope<select_balance::Response> = serde_json::from_value(wire.clone()).unwrap();
    assert!(env.data.is_none());
    let vendor = &flightapi::fr24::VENDOR;
    let err = vendor.error_in(&wire, 200).unwrap();
    assert_eq!(err.entry.unwrap().advice, Advice::RetryLater, "digits 2-3 = 06: retry after 10 minutes");
    assert_eq!(err.trace_id.as_deref(), Some("t1"));
    let ok = json!({"traceId": "t", "code": "0", "message": "ok", "processingTime": 1});
    assert!(vendor.error_in(&ok, 200).is_none(), "the official client's \"0\" is success");
}

#[test]
fn operations_describe_themselves() {
    assert_eq!(RefundRequest::PATH, "/api/new/refundRequest.do");
    const { assert!(!RefundRequest::SAFE_TO_RETRY, "a refund is never sent twice") };
    const { assert!(SelectBalance::SAFE_TO_RETRY) };
    assert!(RefundRequest::DOC_URL.starts_with("https://openapi.flightroutes24.com/"));
    assert_eq!(flightapi::fr24::BASE_URL_TEST, "https://flight-test.flightroutes24.com");
    let signature = flightapi::fr24::AUTH.signature.expect("FR24 signs every body");
    assert_eq!(signature.algorithm, flightapi::rt::auth::signature::Algorithm::Sha512);
}

#[test]
fn an_unknown_key_beside_the_envelope_is_an_error_too() {
    let mut wire = serde_json::to_value(refund()).unwrap();
    wire["authentication"] = json!({"sign": "s", "timestamp": "1671178033"});
    wire["refundReasons"] = json!("1");
    let err = serde_json::from_value::<RequestEnvelope<refund_request::Request>>(wire).unwrap_err();
    assert!(err.to_string().contains("refundReasons"), "{err}");
}

#[test]
fn cross_field_rules_hold_for_typed_requests() {
    use flightapi::fr24::refund_confirming::Request;
    let neither: Request = serde_json::from_value(json!({"refundReason": "1"})).unwrap();
    let err = neither.validate().unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(err.0[0].path, "$");
    assert_eq!(err.0[0].message, "one of `refundOrderNo`, `tktOrderNo` is required");
    let direct: Request = serde_json::from_value(json!({"tktOrderNo": "17920456973815808"})).unwrap();
    let err = direct.validate().unwrap_err();
    assert_eq!(err.0[0].path, "$.passengers");
    let confirmed: Request = serde_json::from_value(json!({"refundOrderNo": "18020456973815902"})).unwrap();
    confirmed.validate().unwrap();
}

#[test]
fn a_response_key_read_twice_is_an_error_naming_it() {
    // Text, not a `Value`: a `Value` keeps only the last of two equal keys.
    let text = r#"{"accountBalance": "1.00", "accountBalance": "2.00"}"#;
    let err = serde_json::from_str::<select_balance::Response>(text).unwrap_err().to_string();
    assert!(err.contains("duplicate field `accountBalance`"), "{err}");
}
