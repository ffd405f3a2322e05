//! The spec's real patterns and the strings they meet: every `pattern` of every vendor's wire
//! schema, with the values its examples hold at that place (and each value broken once, so
//! that both matches and mismatches are measured), for the pattern benchmark.

use flightapi::rt::schema::{BodyPlacement, Kind, Pattern, Schema};
use flightapi::rt::TypeId;
use serde_json::Value;

/// One pattern and the inputs it is checked against.
pub struct SpecPattern {
    /// The vendor.
    pub vendor: &'static str,
    /// The compiled-once pattern of the schema.
    pub pattern: &'static Pattern,
    /// Example values at the pattern's places, each also with `!` appended.
    pub inputs: Vec<String>,
}

/// Every pattern of every vendor compiled in, with its inputs (patterns no example reaches get
/// a few generic inputs).
pub fn spec_patterns() -> Vec<SpecPattern> {
    let mut out = Vec::new();
    for vendor in flightapi::vendors() {
        let schema = vendor.schema;
        let mut found: Vec<Vec<String>> = vec![Vec::new(); schema.patterns.len()];
        for op in vendor.operations {
            let Some(operation) = schema.operation(op.name) else { continue };
            for ex in op.examples {
                for (text, request) in [(ex.request, true), (ex.response, false)] {
                    let Some(text) = text else { continue };
                    let Ok(wire) = serde_json::from_str::<Value>(text) else { continue };
                    let (envelope, body) = if request {
                        (&schema.request_envelope, operation.request)
                    } else {
                        (&schema.response_envelope, operation.response)
                    };
                    for f in envelope.fields.iter() {
                        if let Some(v) = wire.get(f.wire.as_ref()) {
                            walk(schema, f.ty, v, &mut found, 0);
                        }
                    }
                    match &envelope.body {
                        BodyPlacement::Field { name, .. } => {
                            if let Some(v) = wire.get(name.as_ref()) {
                                walk(schema, body, v, &mut found, 0);
                            }
                        }
                        BodyPlacement::Flatten => walk(schema, body, &wire, &mut found, 0),
                    }
                }
            }
        }
        for (i, found) in found.iter_mut().enumerate() {
            let mut inputs = std::mem::take(found);
            if inputs.is_empty() {
                inputs = ["ABC", "12", "2024", "x@y.z"].iter().map(|s| s.to_string()).collect();
            }
            inputs.sort();
            inputs.dedup();
            let broken: Vec<String> = inputs.iter().map(|s| format!("{s}!")).collect();
            inputs.extend(broken);
            // `Schema` statics live forever; the table hands out references tied to it.
            let pattern: &'static Pattern = schema.patterns.get(i).expect("index in range");
            let _ = pattern.source();
            out.push(SpecPattern { vendor: vendor.name, pattern, inputs });
        }
    }
    out
}

fn walk(schema: &'static Schema, ty: TypeId, v: &Value, found: &mut [Vec<String>], depth: usize) {
    if depth > 32 {
        return;
    }
    match (&schema.types[ty].kind, v) {
        (Kind::Str { pattern: Some(p), .. }, Value::String(s)) => found[*p].push(s.clone()),
        (Kind::Object { fields }, Value::Object(map)) => {
            for f in fields.iter() {
                for name in std::iter::once(&f.wire).chain(f.aliases.iter()) {
                    if let Some(x) = map.get(name.as_ref()) {
                        walk(schema, f.ty, x, found, depth + 1);
                    }
                }
            }
        }
        (Kind::Array { items, .. }, Value::Array(a)) => {
            a.iter().for_each(|x| walk(schema, *items, x, found, depth + 1))
        }
        (Kind::Map { values }, Value::Object(m)) => m.values().for_each(|x| walk(schema, *values, x, found, depth + 1)),
        (Kind::Encrypted { plaintext }, v) if !v.is_string() => walk(schema, *plaintext, v, found, depth + 1),
        (Kind::OneOf { variants, tag_field }, Value::Object(map)) => {
            for variant in variants.iter() {
                if let Some(inner) = map.get(variant.wire.as_ref()) {
                    walk(schema, variant.ty, inner, found, depth + 1);
                }
                if let Some(tag) = tag_field {
                    if map.get(tag.as_ref()).and_then(Value::as_str) == Some(variant.wire.as_ref()) {
                        walk(schema, variant.ty, v, found, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}
