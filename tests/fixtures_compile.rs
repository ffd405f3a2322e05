//! The blessed fixture output compiles (under `deny(warnings)`) and behaves as documented.

mod support;

#[deny(warnings)]
#[rustfmt::skip]
#[path = "fixtures/basic/expected.rs"]
pub mod basic_fixture;

#[deny(warnings)]
#[rustfmt::skip]
#[path = "fixtures/hostile/expected.rs"]
pub mod hostile_fixture;

use basic_fixture::aero::set_payment::{Card, CardKind, CardNumber, PaymentCode, Request, Response, SessionId, Tag};
use basic_fixture::aero::types::{CardType, Currency, Money, MoneyInbound, Status, StatusInbound};
use basic_fixture::aero::{RequestEnvelope, ResponseEnvelope};
use flightapi::rt::{IsoMinutes, LocalDateTime, Secret, Validate};
use rust_decimal::Decimal;
use serde_json::json;

fn request() -> Request {
    Request::builder()
        .session_id(SessionId::try_from("e7b9e00ee26a8df4").unwrap())
        .payment_code(PaymentCode::Card)
        .total(Money::builder().amount(Decimal::new(14652, 2)).currency(Currency::try_from("EUR").unwrap()).build())
        .departs(LocalDateTime::<IsoMinutes>::parse("2025-04-22T14:25").unwrap())
        .comment(None)
        .card(
            Card::builder()
                .card_number(CardNumber::try_from("4111111111111111").unwrap())
                .cvv("123".to_owned())
                .card_type(CardType::Uatp)
                .build(),
        )
        .build()
}

#[test]
fn builder_sets_required_and_optional_fields_and_serializes_the_wire_form() {
    let req = request().to_owned();
    let wire = serde_json::to_value(&req).unwrap();
    assert_eq!(
        wire,
        json!({
            "sessionId": "e7b9e00ee26a8df4",
            "paymentCode": "CC",
            "total": {"amount": 146.52, "currency": "EUR"},
            "departs": "2025-04-22T14:25",
            "card": {"cardNumber": "4111111111111111", "cvv": "123", "cardType": 6},
            "comment": null
        })
    );
    assert!(req.validate().is_ok());
}

#[test]
fn secrets_never_print() {
    let text = format!("{:?}", request());
    assert!(!text.contains("4111111111111111"), "{text}");
    assert!(!text.contains("\"123\""), "{text}");
    assert!(text.contains("card_number: ***"), "{text}");
}

#[test]
fn validated_newtypes_refuse_bad_values_and_say_why() {
    let err = SessionId::try_from("short").unwrap_err();
    assert_eq!(err.to_string(), "invalid SessionId: \"short\" is 5 characters long, shorter than the minimum 8");
    let err = CardNumber::try_from("4111-1111").unwrap_err();
    assert_eq!(err.to_string(), "invalid CardNumber: the value does not match the pattern ^\\d{12,19}$");
    assert!("EUR".parse::<Currency>().is_ok());
    assert!(Tag::try_from(String::new()).is_err());
}

#[test]
fn validate_reports_every_violation_with_its_json_path() {
    let mut req = request();
    req.count = Some(12);
    req.tags = Some(vec![]);
    let err = req.validate().unwrap_err();
    let lines: Vec<String> = err.0.iter().map(|v| v.to_string()).collect();
    assert_eq!(lines, ["$.count: 12 is greater than the maximum 9", "$.tags: has 0 items, fewer than the minimum 1"]);
}

#[test]
fn requests_deserialize_strictly() {
    let mut wire = serde_json::to_value(request()).unwrap();
    wire["paymentCod"] = json!("CC");
    let err = serde_json::from_value::<Request>(wire.clone()).unwrap_err().to_string();
    assert!(err.contains("unknown field `paymentCod`"), "{err}");
    wire.as_object_mut().unwrap().remove("paymentCod");
    wire["paymentCode"] = json!("BSP");
    let err = serde_json::from_value::<Request>(wire.clone()).unwrap_err().to_string();
    assert!(err.contains("unknown variant `BSP`"), "{err}");
    wire["paymentCode"] = json!("CC");
    wire["sessionId"] = json!("short");
    assert!(serde_json::from_value::<Request>(wire.clone()).is_err(), "a newtype's rule applies on input too");
    wire["sessionId"] = json!(42);
    assert!(serde_json::from_value::<Request>(wire).is_err(), "type errors are errors");
}

#[test]
fn responses_keep_unknown_fields_and_enum_values() {
    let wire = json!({
        "balanceDue": 13320.00,
        "orderStatus": "REFUNDED",
        "paid": {"amount": 200, "currency": "JPYX", "rate": 1.5},
        "card": "MC",
        "details": [{"type": 9, "desc": "new line type"}],
        "orderNum": "not digits",
        "newTopLevel": {"a": 1}
    });
    let resp: Response = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(resp.order_status, StatusInbound::Unknown("REFUNDED".to_owned()));
    assert_eq!(resp.card, Some(CardKind::Unknown("MC".to_owned())));
    assert_eq!(
        resp.details.as_ref().unwrap()[0].r#type,
        basic_fixture::aero::types::CardTypeInbound::Unknown("9".to_owned())
    );
    let paid: &MoneyInbound = resp.paid.as_ref().unwrap();
    assert_eq!(paid.currency, "JPYX", "response strings are not pattern-checked");
    assert_eq!(paid.extra["rate"], json!(1.5));
    assert_eq!(resp.extra["newTopLevel"], json!({"a": 1}));
    assert_eq!(resp.balance_due, Decimal::new(1332000, 2));
    assert_eq!(serde_json::to_value(&resp).unwrap(), wire, "nothing is lost on the way back out");
    let err = serde_json::from_value::<Response>(json!({"balanceDue": "abc", "orderStatus": "PENDING"})).unwrap_err();
    assert!(err.to_string().contains("decimal"), "type errors are still errors: {err}");
}

#[test]
fn strict_mode_checks_responses_as_contracts() {
    use flightapi::rt::Direction;
    let schema = basic_fixture::aero::VENDOR.schema;
    let wire = json!({"status": 0, "balanceDue": 1, "orderStatus": "REFUNDED", "orderNum": "x1", "extraKey": true});
    assert!(schema.check_wire("SetPayment", &wire, Direction::Response).unwrap().is_empty());
    let strict: Vec<String> = schema
        .check_wire("SetPayment", &wire, Direction::StrictResponse)
        .unwrap()
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(
        strict,
        [
            "$.orderStatus: \"REFUNDED\" is not one of PENDING, TICKETED",
            "$.orderNum: \"x1\" does not match the pattern ^\\d+$",
            "$.extraKey: unknown field",
        ]
    );
}

#[test]
fn envelopes_wrap_bodies_as_the_spec_says() {
    let env = RequestEnvelope {
        action: "SetPayment".to_owned(),
        key: "k".to_owned(),
        signature: Secret::new("sig".to_owned()),
        timestamp: 1685116516.into(),
        version: None,
        request: request(),
    };
    let wire = serde_json::to_value(&env).unwrap();
    assert_eq!(wire["request"]["paymentCode"], "CC");
    assert_eq!(wire["timestamp"], 1685116516, "an integer_as_string integer is written as a number");
    let mut text = wire.clone();
    text["timestamp"] = json!("1685116516");
    let read: RequestEnvelope<Request> = serde_json::from_value(text).unwrap();
    assert_eq!(*read.timestamp, 1685116516, "and read from a string too");
    assert_eq!(wire["action"], "SetPayment");
    let resp: ResponseEnvelope<Response> =
        serde_json::from_value(json!({"status": 0, "msg": "ok", "balanceDue": 1.5, "orderStatus": "TICKETED"}))
            .unwrap();
    assert_eq!(resp.status, 0);
    assert_eq!(resp.body.order_status, StatusInbound::Ticketed);
    let _: Status = Status::Pending;
}

#[test]
fn dates_use_the_spec_format() {
    let mut wire = serde_json::to_value(request()).unwrap();
    wire["travelDate"] = json!("20250422");
    let req: Request = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(req.travel_date.unwrap().to_string(), "20250422");
    wire["travelDate"] = json!("2025-04-22");
    assert!(serde_json::from_value::<Request>(wire).is_err());
}

#[test]
fn api_errors_are_decoded_with_the_error_table() {
    let vendor = &basic_fixture::aero::VENDOR;
    let err = vendor.error_in(&json!({"status": 1003, "msg": "timeout"}), 200).unwrap();
    assert_eq!(err.code, "1003");
    assert_eq!(err.entry.unwrap().advice, flightapi::rt::Advice::RetryNow);
    assert!(vendor.error_in(&json!({"status": 0}), 200).is_none());
}

#[test]
fn hostile_names_round_trip() {
    let wire = json!({"type": "xyz", "accountCurency'": "CNY", "x-trace-id": "t", "self": {"self": true, "Vec": 1},
        "Result": {"Ok": "a", "Err": "b"}, "Option": "a-b", "build": "b", "builder": "c", "match": ["Some", "1"], "@type": "T"});
    let req: hostile_fixture::hostile::type_::Request = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(req.option, Some(hostile_fixture::hostile::types::Option_::AB));
    assert_eq!(req.build_.as_deref(), Some("b"));
    assert_eq!(serde_json::to_value(&req).unwrap(), wire);
}

#[test]
fn secret_amounts_and_decimal_lists() {
    let mut wire = serde_json::to_value(request()).unwrap();
    wire["limit"] = json!(2500.5);
    wire["prices"] = json!(["1.10", 2]);
    let req: Request = serde_json::from_value(wire).unwrap();
    assert_eq!(req.limit.as_ref().unwrap().expose(), &Decimal::new(25005, 1));
    assert!(!format!("{req:?}").contains("2500"), "a sensitive amount never prints");
    let back = serde_json::to_value(&req).unwrap();
    assert_eq!(back["limit"], "2500.5");
    assert_eq!(back["prices"], json!(["1.10", "2"]));
}

#[test]
fn validator_and_types_agree_on_mutated_fixture_examples() {
    for (name, vendors) in [("basic", basic_fixture::vendors()), ("hostile", hostile_fixture::vendors())] {
        let spec = support::here().join("fixtures").join(name).join("spec");
        let tried = support::check_agreement(&flightapi_codegen::Generator::new(spec, "unused"), &vendors);
        eprintln!("{name}: {tried} mutations checked");
        assert!(tried > 100, "{name}: only {tried} mutations");
    }
}

#[test]
fn the_action_field_dispatches_to_its_operation() {
    use flightapi::rt::Direction;
    let schema = basic_fixture::aero::VENDOR.schema;
    let mut wire = json!({"action": "SetPayment", "key": "k", "signature": "s", "timestamp": 1, "request": serde_json::to_value(request()).unwrap()});
    assert!(schema.check_wire("SetPayment", &wire, Direction::Request).unwrap().is_empty());
    wire["action"] = json!("Commit");
    let v = schema.check_wire("SetPayment", &wire, Direction::Request).unwrap();
    assert_eq!(v[0].to_string(), "$.action: \"Commit\" names another operation; this body is for \"SetPayment\"");
}

#[test]
fn path_parameters_are_typed_checked_and_encoded() {
    use basic_fixture::travel::update_form_of_payment::{PathParams, WorkbenchId};
    use basic_fixture::travel::UpdateFormOfPayment;
    use flightapi::rt::Operation;
    let params = PathParams::builder()
        .workbench_id(WorkbenchId::try_from("cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf").unwrap())
        .form_of_payment_identifier("formOfPayment 1/2")
        .build();
    assert_eq!(
        UpdateFormOfPayment::path(&params),
        "/payment/reservationworkbench/cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf/formofpayment/formOfPayment%201%2F2"
    );
    assert!(params.validate().is_ok());
    assert!(WorkbenchId::try_from("not-a-uuid").is_err());
    assert_eq!(<basic_fixture::aero::set_payment::SetPayment as Operation>::path(&()), "/flight/booking");
}

#[test]
fn one_of_is_written_wrapped_and_read_wrapped_or_flat() {
    use basic_fixture::travel::add_form_of_payment::{FopResponse, Request, Response};
    use basic_fixture::travel::types::{FormOfPayment, FormOfPaymentCash, FormOfPaymentInbound};
    let cash =
        FormOfPayment::FormOfPaymentCash(FormOfPaymentCash::builder().id("formOfPayment_1".parse().unwrap()).build());
    let wire = serde_json::to_value(&cash).unwrap();
    assert_eq!(wire, json!({"FormOfPaymentCash": {"id": "formOfPayment_1"}}));
    assert!(cash.validate().is_ok());
    let flat: Request = serde_json::from_value(json!({"@type": "FormOfPaymentCash", "id": "formOfPayment_1"})).unwrap();
    assert_eq!(flat, cash);
    let wrapped: Request = serde_json::from_value(wire).unwrap();
    assert_eq!(wrapped, cash);

    let err = serde_json::from_value::<Request>(json!({"FormOfPaymentCheck": {"id": "x"}})).unwrap_err().to_string();
    assert!(err.contains("expected one of {\"FormOfPaymentCash\": ...}, {\"FormOfPaymentPaymentCard\": ...}"), "{err}");
    let err = serde_json::from_value::<Request>(json!({"FormOfPaymentCash": {"id": "x", "bogus": 1}}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `bogus`"), "{err}");

    let resp: Response = serde_json::from_value(
        json!({"FormOfPaymentResponse": {"FormOfPayment": {"FormOfPaymentCheck": {"id": "c"}}}}),
    )
    .unwrap();
    let FopResponse { form_of_payment, .. } = resp.form_of_payment_response.unwrap();
    assert_eq!(form_of_payment, Some(FormOfPaymentInbound::Unknown(json!({"FormOfPaymentCheck": {"id": "c"}}))));
    let back = serde_json::to_value(&form_of_payment).unwrap();
    assert_eq!(back, json!({"FormOfPaymentCheck": {"id": "c"}}), "an unknown alternative is kept as received");
}

#[test]
fn card_numbers_inside_a_one_of_never_print() {
    use basic_fixture::travel::add_form_of_payment::Request;
    let card: Request = serde_json::from_value(json!({"FormOfPaymentPaymentCard": {"id": "f", "PaymentCard": {"CardNumber": {"PlainText": "4111111111111111"}}}})).unwrap();
    let text = format!("{card:?}");
    assert!(!text.contains("4111"), "{text}");
    let mut wire = serde_json::to_value(&card).unwrap();
    wire["FormOfPaymentPaymentCard"]["PaymentCard"]["CardCode"] = json!("visa");
    let v = basic_fixture::travel::VENDOR
        .schema
        .check_wire("AddFormOfPayment", &wire, flightapi::rt::Direction::Request)
        .unwrap();
    assert_eq!(
        v[0].to_string(),
        "$.FormOfPaymentPaymentCard.PaymentCard.CardCode: \"visa\" does not match the pattern ^[A-Z]{2}$"
    );
}

#[test]
fn a_type_that_contains_itself_is_boxed() {
    use basic_fixture::aero::types::Tree;
    let wire = json!({"label": "root", "child": {"label": "a", "children": [{"label": "b"}]}});
    let tree: Tree = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(tree.child.as_ref().unwrap().label.as_deref(), Some("a"));
    assert_eq!(serde_json::to_value(&tree).unwrap(), wire);
}
