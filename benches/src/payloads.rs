//! Payloads for the validation benchmark: the refundRequest doc example and a shopping
//! response with many offers, as wire JSON.

use serde_json::{json, Value};

/// The refundRequest doc example's business fields (the request body without its envelope).
pub fn refund_request() -> Value {
    let entry = flightapi::fr24::VENDOR.operation("refundRequest").expect("refundRequest");
    let text = entry.examples.iter().find_map(|e| e.request).expect("an example request");
    flightapi::fr24::VENDOR.schema.request_body(serde_json::from_str(text).expect("JSON"))
}

/// A shopping response body (`data`) with `offers` offers, each with its leg and segments.
pub fn shopping_response(offers: usize) -> Value {
    let offers: Vec<Value> = (0..offers)
        .map(|i| {
            json!({
                "offerId": format!("a17f56079af111ca6278d7212459{i:04}"),
                "legId": format!("L{i}"),
                "currency": "USD",
                "platingCarrier": "CX",
                "pricePerPax": [{"paxType": "ADT", "baseFare": 500.00 + i as f64, "totalTax": 112.40,
                                 "taxBreakdown": [{"taxType": "YQ", "taxAmount": 80.00}, {"taxType": "SG", "taxAmount": 32.40}]}],
                "cabin": ["Y"],
                "availability": ["9"]
            })
        })
        .collect();
    let legs: Vec<Value> =
        (0..offers.len()).map(|i| json!({"legId": format!("L{i}"), "segmentIds": [format!("S{i}")]})).collect();
    let segments: Vec<Value> = (0..offers.len()).map(segment).collect();
    json!({"offers": offers, "legs": legs, "segments": segments})
}

fn segment(i: usize) -> Value {
    json!({
        "segmentId": format!("S{i}"), "duration": 235, "carrier": "CX", "flightNo": "710",
        "codeShare": false, "aircraftCode": "359", "depAirport": "SIN", "depTerminal": "1",
        "depTime": "2025-11-15T08:05", "arrAirport": "HKG", "arrTerminal": "1",
        "arrTime": "2025-11-15T12:00"
    })
}
