//! Validation and serde: the generated types (deserialize + validate, validate + serialize)
//! against plain serde-derive structs with the same fields and no checks, and against
//! `serde_json::Value`, on the refundRequest doc example and on a shopping response with 200
//! offers. Also: a simple pattern through the regex engine and by hand.
//!
//! `cargo bench -p flightapi-benches --bench validation`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use flightapi::fr24::{refund_request, shopping};
use flightapi::rt::schema::Pattern;
use flightapi::rt::{Direction, Validate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The refundRequest and shopping bodies as plain serde structs: the same fields, no checks
/// (read only through `black_box`, hence the allowance).
#[allow(dead_code)]
mod plain {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Refund {
        pub tkt_order_no: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub partner_order_no: Option<String>,
        pub passengers: Vec<Pax>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub segments: Option<Vec<Seg>>,
        pub refund_reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub remarks: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub file_data: Option<Vec<FileRef>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub file_id: Option<Vec<String>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Pax {
        pub pax_id: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub birthday: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub gender: Option<String>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Seg {
        pub carrier: String,
        pub flight_no: String,
        pub dep_airport: String,
        pub dep_time: String,
        pub arr_airport: String,
        pub arr_time: String,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct FileRef {
        #[serde(default)]
        pub file_id: Option<String>,
    }

    /// The shopping response body.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Shopping {
        #[serde(default)]
        pub offers: Option<Vec<Offer>>,
        #[serde(default)]
        pub flight_legs: Option<Vec<Leg>>,
        #[serde(default)]
        pub segments: Option<Vec<Segment>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Offer {
        pub offer_id: String,
        pub leg_id: Option<String>,
        pub currency: Option<String>,
        pub plating_carrier: Option<String>,
        pub total_price: Option<rust_decimal::Decimal>,
        pub price_per_pax: Option<Vec<PaxPrice>>,
        pub segments: Option<Vec<Segment>>,
        pub refund_change: Option<Value>,
        pub baggage: Option<Value>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct PaxPrice {
        pub pax_type: Option<String>,
        pub base_fare: Option<rust_decimal::Decimal>,
        pub total_tax: Option<rust_decimal::Decimal>,
        pub tax_breakdown: Option<Vec<Tax>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Tax {
        pub tax_type: Option<String>,
        pub amount: Option<rust_decimal::Decimal>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Leg {
        pub leg_id: String,
        pub segment_ids: Option<Vec<String>>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Segment {
        pub segment_id: Option<String>,
        pub duration: Option<i64>,
        pub carrier: Option<String>,
        pub flight_no: Option<String>,
        pub code_share: Option<bool>,
        pub operating_carrier: Option<String>,
        pub operating_flight_no: Option<String>,
        pub aircraft_code: Option<String>,
        pub dep_airport: Option<String>,
        pub dep_terminal: Option<String>,
        pub dep_time: Option<String>,
        pub arr_airport: Option<String>,
        pub arr_terminal: Option<String>,
        pub arr_time: Option<String>,
        pub stop_airport: Option<String>,
        pub stop_duration: Option<i64>,
    }
}

/// typify's types for the same payloads, generated from JSON Schemas written by hand
/// (`benches/schemas/`): patterns become newtypes checked with `regress` while reading.
#[allow(dead_code, clippy::all)]
mod typify_refund {
    typify::import_types!(schema = "schemas/refund_request.json");
}
#[allow(dead_code, clippy::all)]
mod typify_shopping {
    typify::import_types!(schema = "schemas/shopping_response.json");
}

fn refund(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&flightapi_benches::payloads::refund_request()).unwrap();
    let typed: refund_request::Request = serde_json::from_slice(&bytes).unwrap();
    typed.validate().expect("the doc example is valid");
    let plain_typed: plain::Refund = serde_json::from_slice(&bytes).unwrap();
    let mut g = c.benchmark_group("refund_request");
    g.bench_function("read/plain_serde", |b| {
        b.iter(|| serde_json::from_slice::<plain::Refund>(black_box(&bytes)).unwrap())
    });
    g.bench_function("read/value", |b| b.iter(|| serde_json::from_slice::<Value>(black_box(&bytes)).unwrap()));
    g.bench_function("read/generated+validate", |b| {
        b.iter(|| {
            let r: refund_request::Request = serde_json::from_slice(black_box(&bytes)).unwrap();
            r.validate().unwrap();
            r
        })
    });
    g.bench_function("read/generated", |b| {
        b.iter(|| serde_json::from_slice::<refund_request::Request>(black_box(&bytes)).unwrap())
    });
    serde_json::from_slice::<typify_refund::RefundRequest>(&bytes).expect("typify reads the example");
    g.bench_function("read/typify", |b| {
        b.iter(|| serde_json::from_slice::<typify_refund::RefundRequest>(black_box(&bytes)).unwrap())
    });
    g.bench_function("write/plain_serde", |b| b.iter(|| serde_json::to_vec(black_box(&plain_typed)).unwrap()));
    g.bench_function("write/validate+generated", |b| {
        b.iter(|| {
            black_box(&typed).validate().unwrap();
            serde_json::to_vec(black_box(&typed)).unwrap()
        })
    });
    g.bench_function("write/generated", |b| b.iter(|| serde_json::to_vec(black_box(&typed)).unwrap()));
    g.finish();
}

fn shopping_200(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&flightapi_benches::payloads::shopping_response(200)).unwrap();
    let check: shopping::Response = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(check.offers.as_ref().map(Vec::len), Some(200));
    assert!(check.offers.as_ref().unwrap()[0].extra.is_empty(), "the payload has only spec fields");
    let schema = &flightapi::fr24::schema::SCHEMA;
    let ty = schema.operation("shopping").unwrap().response;
    let mut g = c.benchmark_group("shopping_200_offers");
    g.sample_size(30);
    g.bench_function("read/plain_serde", |b| {
        b.iter(|| serde_json::from_slice::<plain::Shopping>(black_box(&bytes)).unwrap())
    });
    g.bench_function("read/value", |b| b.iter(|| serde_json::from_slice::<Value>(black_box(&bytes)).unwrap()));
    g.bench_function("read/generated", |b| {
        b.iter(|| serde_json::from_slice::<shopping::Response>(black_box(&bytes)).unwrap())
    });
    serde_json::from_slice::<typify_shopping::ShoppingResponse>(&bytes).expect("typify reads the payload");
    g.bench_function("read/typify", |b| {
        b.iter(|| serde_json::from_slice::<typify_shopping::ShoppingResponse>(black_box(&bytes)).unwrap())
    });
    g.bench_function("read/value+strict_check", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_slice(black_box(&bytes)).unwrap();
            assert!(schema.check(ty, &v, Direction::StrictResponse).is_empty());
        })
    });
    g.finish();
}

fn patterns(c: &mut Criterion) {
    let digits = Pattern::new(r"^\d*$");
    let input = "17920456973815808";
    assert!(digits.is_match(input));
    let mut g = c.benchmark_group("pattern_digits");
    g.bench_function("regex (compiled once)", |b| b.iter(|| digits.is_match(black_box(input))));
    g.bench_function("by hand", |b| b.iter(|| black_box(input).bytes().all(|c| c.is_ascii_digit())));
    g.finish();
}

criterion_group!(benches, refund, shopping_200, patterns);
criterion_main!(benches);
