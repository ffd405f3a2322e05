//! Validation and serde: the generated types (deserialize + validate, validate + serialize)
//! against plain serde-derive structs with the same fields and no checks, and against
//! `serde_json::Value`, on the refundRequest doc example and on a shopping response with 200
//! offers. `validate()` as it is (checked while the value serializes itself) and as it was
//! (`to_value`, then the `Value` walk); wire bytes checked while parsed against parsed into a
//! `Value` and checked. Also: a simple pattern through the regex engine and by hand, and the
//! spec's real patterns through `Pattern` (hand matcher + regex), the regex engine alone and
//! `regress`.
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

/// `validate()` as it was: the value serialized into a `serde_json::Value`, then the walk.
fn validate_by_value<T: Validate>(value: &T) -> bool {
    let v = serde_json::to_value(value).unwrap();
    T::schema().check(T::TYPE, &v, Direction::Request).is_empty()
}

fn refund(c: &mut Criterion) {
    let bytes = serde_json::to_vec(&flightapi_benches::payloads::refund_request()).unwrap();
    let typed: refund_request::Request = serde_json::from_slice(&bytes).unwrap();
    typed.validate().expect("the doc example is valid");
    assert!(validate_by_value(&typed));
    let schema = &flightapi::fr24::schema::SCHEMA;
    let ty = <refund_request::Request as Validate>::TYPE;
    assert!(schema.check_slice(ty, &bytes, Direction::Request).unwrap().is_empty());
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
    g.bench_function("read/generated+validate_by_value", |b| {
        b.iter(|| {
            let r: refund_request::Request = serde_json::from_slice(black_box(&bytes)).unwrap();
            assert!(validate_by_value(&r));
            r
        })
    });
    g.bench_function("read/generated", |b| {
        b.iter(|| serde_json::from_slice::<refund_request::Request>(black_box(&bytes)).unwrap())
    });
    g.bench_function("read/value+check", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_slice(black_box(&bytes)).unwrap();
            assert!(schema.check(ty, &v, Direction::Request).is_empty());
        })
    });
    g.bench_function("read/stream_check", |b| {
        b.iter(|| assert!(schema.check_slice(ty, black_box(&bytes), Direction::Request).unwrap().is_empty()))
    });
    g.bench_function("validate", |b| b.iter(|| black_box(&typed).validate().unwrap()));
    // What the three dates cost: each is formatted by chrono to be checked (and to be written).
    let mut no_dates = typed.clone();
    no_dates.segments = None;
    no_dates.passengers[0].birthday = None;
    g.bench_function("validate/without_dates", |b| b.iter(|| black_box(&no_dates).validate().unwrap()));
    g.bench_function("write/generated/without_dates", |b| b.iter(|| serde_json::to_vec(black_box(&no_dates)).unwrap()));
    g.bench_function("validate_by_value", |b| b.iter(|| assert!(validate_by_value(black_box(&typed)))));
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
    g.bench_function("write/validate_by_value+generated", |b| {
        b.iter(|| {
            assert!(validate_by_value(black_box(&typed)));
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
    assert!(schema.check_slice(ty, &bytes, Direction::StrictResponse).unwrap().is_empty());
    g.bench_function("read/stream_strict_check", |b| {
        b.iter(|| assert!(schema.check_slice(ty, black_box(&bytes), Direction::StrictResponse).unwrap().is_empty()))
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

/// The spec's real patterns on the values its examples hold there (and those values broken):
/// `Pattern` as the validator runs it (the one-class hand matcher, else the regex engine on
/// the pattern with `\d` spelled `[0-9]`), the regex engine alone (same rewrite), and
/// `regress` (ECMAScript semantics: `\d` is ASCII by definition, no rewrite).
fn spec_patterns(c: &mut Criterion) {
    let patterns = flightapi_benches::patterns::spec_patterns();
    let compiled: Vec<regress::Regex> = patterns
        .iter()
        .map(|p| regress::Regex::new(p.pattern.source()).expect("regress compiles the pattern"))
        .collect();
    let pairs: Vec<(usize, &str)> =
        patterns.iter().enumerate().flat_map(|(i, p)| p.inputs.iter().map(move |s| (i, s.as_str()))).collect();
    // Where the two semantics part: the inputs, and characters where JavaScript, the regex
    // crate and ASCII-only readings of `\d` and `\s` differ.
    let probes = ["", "١٢٣", "12", "AB", "a@b", "a\u{85}@b", "a\u{feff}@b", "a\u{a0}@b", "A\u{2028}B", "Ａ", "ß"];
    let mut differ = Vec::new();
    for (p, re) in patterns.iter().zip(&compiled) {
        for s in p.inputs.iter().map(String::as_str).chain(probes) {
            if p.pattern.is_match(s) != re.find(s).is_some() {
                differ.push(format!("{} on {s:?}", p.pattern.source()));
            }
        }
    }
    eprintln!(
        "spec patterns: {} patterns ({} distinct), {} inputs; regress and Pattern differ on: {:?}",
        patterns.len(),
        patterns.iter().map(|p| p.pattern.source()).collect::<std::collections::BTreeSet<_>>().len(),
        pairs.len(),
        differ
    );
    let mut g = c.benchmark_group("spec_patterns");
    g.bench_function("Pattern (hand matcher + regex)", |b| {
        b.iter(|| pairs.iter().filter(|(i, s)| patterns[*i].pattern.is_match(black_box(s))).count())
    });
    g.bench_function("regex alone", |b| {
        b.iter(|| pairs.iter().filter(|(i, s)| patterns[*i].pattern.compile().unwrap().is_match(black_box(s))).count())
    });
    g.bench_function("regress", |b| {
        b.iter(|| pairs.iter().filter(|(i, s)| compiled[*i].find(black_box(s)).is_some()).count())
    });
    g.bench_function("compile/Pattern (regex)", |b| {
        b.iter(|| patterns.iter().filter(|p| Pattern::owned(p.pattern.source().to_owned()).compile().is_ok()).count())
    });
    g.bench_function("compile/regress", |b| {
        b.iter(|| patterns.iter().filter(|p| regress::Regex::new(p.pattern.source()).is_ok()).count())
    });
    g.finish();
}

criterion_group!(benches, refund, shopping_200, patterns, spec_patterns);
criterion_main!(benches);
