//! Every example in `spec/` validates against the generated schema and round-trips through
//! the generated types: deserialize, serialize, the same JSON value (alias keys come back
//! under the field's wire name).

mod support;

use flightapi::rt::Direction;

#[test]
fn every_spec_example_round_trips() {
    let ir = flightapi_codegen::workspace_generator(&support::root()).lint().unwrap_or_else(|d| panic!("{d}"));
    let vendors = flightapi::vendors();
    let mut checked = 0;
    for v in &ir.vendors {
        let vendor = vendors.iter().find(|x| x.name == v.name).expect("vendor compiled in");
        for op in &v.operations {
            let entry = vendor.operation(&op.wire).expect("operation generated");
            for ex in &op.examples {
                let sides = [
                    (&ex.request, Direction::Request, entry.request),
                    (&ex.response, Direction::Response, entry.response),
                ];
                for (value, direction, roundtrip) in sides {
                    let Some(value) = value else { continue };
                    let what = format!("{} {} example `{}` ({direction:?})", v.name, op.wire, ex.name);
                    let violations = vendor.schema.check_wire(&op.wire, value, direction).unwrap();
                    assert!(violations.is_empty(), "{what}: {violations:?}");
                    let back = roundtrip(value).unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
                    let want = vendor.schema.canonical_wire(&op.wire, value, direction).unwrap();
                    assert_eq!(back, want, "{what} changed on the way through the types");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 5, "only {checked} examples checked");
}
