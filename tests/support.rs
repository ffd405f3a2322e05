//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use flightapi::rt::{Direction, OperationEntry, Schema, Vendor};
use serde_json::{json, Value};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// This package's folder.
pub fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether expected files should be rewritten instead of compared.
pub fn bless() -> bool {
    std::env::var_os("FLIGHTAPI_BLESS").is_some_and(|v| v != "0")
}

/// Compares `actual` with the file at `expected`, or rewrites it when blessing.
/// Returns a description of the mismatch.
pub fn compare(expected: &Path, actual: &str) -> Option<String> {
    if bless() {
        std::fs::write(expected, actual).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want == actual {
        return None;
    }
    let first = want
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs (first at line {}):\n  expected: {:?}\n  actual:   {:?}\nrerun with FLIGHTAPI_BLESS=1 to accept",
        expected.display(),
        first + 1,
        want.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>"),
    ))
}

/// Sub-folders of `dir`, sorted.
pub fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

/// Every way to break one place in a document: other JSON types, odd strings and numbers,
/// deletion, and an unknown sibling key.
fn mutations(value: &Value) -> Vec<Value> {
    let replacements = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(""),
        json!("x"),
        json!("2024-02-30"),
        json!("12.50"),
        json!([]),
        json!({}),
    ];
    let mut out = Vec::new();
    let mut paths = Vec::new();
    collect_paths(value, &mut Vec::new(), &mut paths);
    for path in &paths {
        for r in &replacements {
            let mut v = value.clone();
            *pointer(&mut v, path) = r.clone();
            out.push(v);
        }
        if let Some((last, parent)) = path.split_last() {
            let mut v = value.clone();
            match pointer(&mut v, parent) {
                Value::Object(m) => {
                    m.remove(last.as_str());
                    m.insert("unknownKey".to_owned(), json!(1));
                }
                Value::Array(a) => {
                    a.remove(last.parse::<usize>().unwrap());
                }
                _ => {}
            }
            out.push(v);
        }
    }
    out
}

/// Every JSON path in `value` (object keys and array indexes as text), the root first.
pub fn collect_paths(value: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                here.push(k.clone());
                collect_paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                here.push(i.to_string());
                collect_paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn pointer<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |v, seg| match v {
        Value::Object(m) => m.get_mut(seg.as_str()).unwrap(),
        Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
        _ => unreachable!(),
    })
}

fn agree(schema: &Schema, entry: &OperationEntry, value: &Value, direction: Direction) -> Result<(), String> {
    let violations = schema.check_wire(entry.name, value, direction).unwrap();
    let decode = if direction == Direction::Request { entry.request } else { entry.response };
    let typed = decode(value);
    match (violations.is_empty(), typed) {
        (true, Ok(back)) => {
            let want = schema.canonical_wire(entry.name, value, direction).unwrap();
            if !same(&back, &want) {
                return Err(format!("accepted, but the types wrote back {back} for {want}"));
            }
        }
        (true, Err(e)) => return Err(format!("the validator accepts it, the types refuse it: {e}")),
        (false, Err(_)) | (false, Ok(_)) => {}
    }
    Ok(())
}

/// Equal, up to the two rewrites the types make on purpose: a decimal comes back in its
/// spec's wire form (number or string), and an optional field sent as `null` comes back absent.
fn same(a: &Value, b: &Value) -> bool {
    let decimal = |v: &Value| match v {
        Value::Number(n) => flightapi::rt::decimal::from_number(n),
        Value::String(s) => flightapi::rt::decimal::parse(s),
        _ => None,
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().all(|k| same(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        _ if a == b => true,
        _ => decimal(a).is_some() && decimal(a) == decimal(b),
    }
}

/// Mutates every example of every vendor `generator` lints and checks that the schema
/// validator and the generated types agree on each mutation; returns how many were tried.
pub fn check_agreement(generator: &flightapi_codegen::Generator, vendors: &[&Vendor]) -> usize {
    let ir = generator.lint().unwrap_or_else(|d| panic!("{d}"));
    let mut tried = 0;
    let mut failures = Vec::new();
    for v in &ir.vendors {
        let vendor = vendors.iter().find(|x| x.name == v.name).expect("vendor compiled in");
        for op in &v.operations {
            let entry = vendor.operation(&op.wire).expect("operation generated");
            for ex in &op.examples {
                for (example, direction) in [(&ex.request, Direction::Request), (&ex.response, Direction::Response)] {
                    let Some(example) = example else { continue };
                    for m in mutations(example) {
                        tried += 1;
                        if let Err(e) = agree(vendor.schema, entry, &m, direction) {
                            failures.push(format!("{} {direction:?}: {e}\n  input: {m}", op.wire));
                        }
                    }
                }
            }
        }
    }
    failures.truncate(10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    tried
}

/// The business fields of `operation`'s first example request (its envelope removed).
pub fn example_body(vendor: &Vendor, operation: &str) -> Value {
    let entry = vendor.operation(operation).expect("operation");
    let text = entry.examples.iter().find_map(|e| e.request).expect("an example request");
    vendor.schema.request_body(serde_json::from_str(text).expect("example JSON"))
}

/// [`example_body`] decoded into the generated request type.
pub fn typed<T: serde::de::DeserializeOwned>(vendor: &Vendor, operation: &str) -> T {
    serde_json::from_value(example_body(vendor, operation)).expect("the example decodes")
}
