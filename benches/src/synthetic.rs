//! A synthetic vendor spec of `n` operations, each with about 15 request fields (nested
//! objects and arrays, patterns, enums, references to shared named types) and a response.

use std::fmt::Write;
use std::path::{Path, PathBuf};

const VENDOR: &str = "vendor: synth
title: Synthetic vendor
description: Generated for the generation benchmark.
base_urls: {test: https://synth.example.test}
auth: {description: None.}
request_envelope: {description: Flat., fields: [{name: token, type: string, required: true, description: A token.}]}
response_envelope:
  description: Status beside the body.
  body_field: data
  fields:
    - {name: code, type: string, required: true, description: Status code.}
    - {name: message, type: string, description: Message.}
errors: {code: code, message: message, success: {codes: ['0']}}
";

const TYPES: &str = "types:
  - {name: Code3, type: string, pattern: '^[A-Z]{3}$', description: A three-letter code.}
  - {name: OrderNo, type: string, pattern: '^\\d{1,20}$', description: An order number.}
  - name: Cabin
    type: enum
    description: Cabin.
    values: [{value: F, description: First.}, {value: C, description: Business.}, {value: Y, description: Economy.}]
  - name: Money
    type: object
    description: An amount.
    fields:
      - {name: amount, type: decimal, required: true, description: Amount.}
      - {name: currency, type: Code3, required: true, description: Currency.}
  - name: Person
    type: object
    description: A person.
    fields:
      - {name: first, type: string, required: true, max_length: 30, description: First name.}
      - {name: last, type: string, required: true, max_length: 30, description: Last name.}
      - {name: birthday, type: date, description: Birthday.}
      - {name: document, type: string, sensitive: true, description: Document number.}
";

fn operation(i: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "operation: op{i}
method: POST
path: /api/op{i}
summary: Operation {i}.
doc: {{url: https://synth.example.test/op{i}, modified: '2026-01-01'}}
safe_to_retry: {safe}
request:
  description: Request {i}.
  fields:
    - {{name: orderNo, type: OrderNo, required: true, description: The order.}}
    - {{name: origin, type: Code3, required: true, description: From.}}
    - {{name: destination, type: Code3, required: true, description: To.}}
    - {{name: depDate, type: date, required: true, description: Departure.}}
    - {{name: cabin, type: Cabin, description: Cabin.}}
    - {{name: adults, type: integer, minimum: 1, maximum: 9, required: true, description: Adults.}}
    - {{name: children, type: integer, minimum: 0, maximum: 9, description: Children.}}
    - {{name: total, type: Money, description: Total.}}
    - {{name: remark, type: string, max_length: 200, description: Remark.}}
    - {{name: flag{i}, type: boolean, description: A flag.}}
    - name: kind
      type: enum
      type_name: Kind{i}
      description: Kind.
      values: [{{value: A, description: A.}}, {{value: B, description: B.}}, {{value: C, description: C.}}]
    - name: passengers
      type: array
      required: true
      min_items: 1
      max_items: 9
      description: Passengers.
      items:
        type: object
        type_name: Pax{i}
        description: A passenger.
        fields:
          - {{name: person, type: Person, required: true, description: Who.}}
          - {{name: seat, type: string, pattern: '^[0-9]{{1,2}}[A-K]$', description: Seat.}}
          - {{name: bags, type: integer, minimum: 0, maximum: 5, description: Bags.}}
    - name: contact
      type: object
      type_name: Contact{i}
      description: Contact.
      fields:
        - {{name: email, type: string, pattern: '^[^@]+@[^@]+$', required: true, description: E-mail.}}
        - {{name: phone, type: string, description: Phone.}}
    - {{name: tags, type: array, items: {{type: string, max_length: 10}}, description: Tags.}}
    - {{name: meta, type: map, values_type: {{type: string}}, description: Metadata.}}
response:
  description: Response {i}.
  fields:
    - {{name: orderNo, type: string, description: The order.}}
    - {{name: status, type: enum, type_name: Status{i}, values: [{{value: OK, description: OK.}}, {{value: KO, description: KO.}}], description: Status.}}
    - {{name: total, type: Money, description: Total.}}
    - {{name: passengers, type: array, items: {{type: Person}}, description: Passengers.}}
",
        safe = i & 1 == 0
    );
    s
}

/// Writes a synthetic spec of `n` operations under `dir/spec` and returns the spec folder.
pub fn write_spec(dir: &Path, n: usize) -> std::io::Result<PathBuf> {
    let spec = dir.join("spec");
    let vendor = spec.join("synth");
    let _ = std::fs::remove_dir_all(&spec);
    std::fs::create_dir_all(vendor.join("operations"))?;
    std::fs::write(vendor.join("vendor.yaml"), VENDOR)?;
    std::fs::write(vendor.join("types.yaml"), TYPES)?;
    for i in 0..n {
        std::fs::write(vendor.join("operations").join(format!("op{i}.yaml")), operation(i))?;
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    /// The synthetic spec is written in the current spec language: it generates.
    #[test]
    fn the_synthetic_spec_generates() {
        let dir = std::env::temp_dir().join(format!("flightapi-synthetic-{}", std::process::id()));
        let spec = super::write_spec(&dir, 3).expect("write the spec");
        let generator = flightapi_codegen::Generator::new(&spec, dir.join("out"));
        let rendered = generator.render();
        let _ = std::fs::remove_dir_all(&dir);
        let files = rendered.expect("the synthetic spec generates");
        assert!(!files.is_empty());
    }
}
