//! Validates a whole wire body in a file, as `flightapi validate` does, with the streaming
//! validator (`Schema::check_wire_reader_keeping`: the file is checked while it is read, and
//! only the values the vendor's error rule reads are kept, to report an API error), or with
//! `--value` the `Value` walk (the file read into a `serde_json::Value`, then
//! `Schema::check_wire` and `Vendor::error_in`). `scripts/memory.py` measures the peak memory
//! of both.
//!
//! `cargo run --release -p flightapi-benches --example validate_file -- fr24 shopping response body.json [--strict] [--value]`
//!
//! Exit status: 0 valid, 1 violations (printed to standard error), 2 usage or unreadable input.

use std::process::ExitCode;

use flightapi::rt::Direction;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value_walk = args.iter().any(|a| a == "--value");
    let strict = args.iter().any(|a| a == "--strict");
    let positional: Vec<&str> = args.iter().map(String::as_str).filter(|a| !a.starts_with("--")).collect();
    let [vendor_name, op, side, file] = positional[..] else {
        eprintln!("usage: validate_file <vendor> <operation> request|response <file.json> [--strict] [--value]");
        return ExitCode::from(2);
    };
    let Some(vendor) = flightapi::vendors().into_iter().find(|v| v.name == vendor_name) else {
        eprintln!("error: vendor `{vendor_name}` is not compiled in");
        return ExitCode::from(2);
    };
    let direction = match (side, strict) {
        ("request", _) => Direction::Request,
        ("response", false) => Direction::Response,
        ("response", true) => Direction::StrictResponse,
        _ => {
            eprintln!("error: expected `request` or `response`, not `{side}`");
            return ExitCode::from(2);
        }
    };
    // The violations, and the API error a response carries.
    let checked = if value_walk {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => {
                drop(text);
                vendor
                    .schema
                    .check_wire(op, &value, direction)
                    .map(|v| (v, vendor.error_in(&value, 200)))
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(format!("$: not valid JSON: {e}")),
        }
    } else {
        let paths = vendor.errors.as_ref().map(flightapi::rt::stream::error_rule_paths).unwrap_or_default();
        match std::fs::File::open(file) {
            Ok(f) => vendor
                .schema
                .check_wire_reader_keeping(op, f, direction, &paths)
                .map(|report| (report.violations, vendor.error_in(&report.kept, 200)))
                .map_err(|e| match e {
                    flightapi::rt::StreamError::Json(_) => format!("$: {e}"),
                    other => other.to_string(),
                }),
            Err(e) => Err(format!("cannot read {file}: {e}")),
        }
    };
    match checked {
        Ok((violations, api_error)) if violations.is_empty() => {
            match api_error.filter(|_| direction != Direction::Request) {
                Some(e) => println!("valid {vendor_name} {op} response carrying an API error: {e}"),
                None => println!("valid {vendor_name} {op} {side}"),
            }
            ExitCode::SUCCESS
        }
        Ok((violations, _)) => {
            for v in &violations {
                eprintln!("{v}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
