//! The `flightapi` command line (feature `cli`).
//!
//! `flightapi validate <vendor> <operation> request|response <file.json> [--strict]` checks a
//! whole wire body, envelope included, as the docs show it. Exit codes: 0 valid (a response
//! that carries an API error is valid: the error is printed), 1 invalid (one line per
//! violation on stderr, `<json path>: <message>`, all of them), 2 usage errors.

use std::io::Write;

use crate::rt::{Direction, Vendor};

/// Usage text.
pub const USAGE: &str = "usage: flightapi validate <vendor> <operation> request|response <file.json> [--strict]

  Checks a whole wire body (envelope and authentication included) against the spec.
  --strict  apply patterns, lengths, ranges, closed enums and unknown-key checks to
            responses too (for contract tests); requests are always checked strictly.

exit status: 0 valid, 1 invalid (every violation on stderr), 2 usage error";

/// Runs the command line with `args` (without the program name); returns the exit status.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.first() {
        Some(&"validate") => validate(&args[1..], out, err),
        Some(&("-h" | "--help" | "help")) => {
            let _ = writeln!(out, "{USAGE}");
            0
        }
        _ => usage(err, "expected a command"),
    }
}

fn usage(err: &mut dyn Write, problem: &str) -> i32 {
    let _ = writeln!(err, "error: {problem}\n\n{USAGE}");
    2
}

fn validate(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let strict = args.contains(&"--strict");
    let positional: Vec<&str> = args.iter().copied().filter(|a| *a != "--strict").collect();
    if let Some(flag) = positional.iter().find(|a| a.starts_with("--")) {
        return usage(err, &format!("unknown option `{flag}`"));
    }
    let [vendor_name, op_name, side, file] = positional[..] else {
        return usage(err, "validate takes <vendor> <operation> request|response <file.json>");
    };
    let vendors = crate::vendors();
    let Some(vendor) = vendors.iter().find(|v| v.name == vendor_name) else {
        let known: Vec<&str> = vendors.iter().map(|v| v.name).collect();
        return usage(err, &format!("unknown vendor `{vendor_name}` (known: {})", known.join(", ")));
    };
    let Some(entry) = vendor.operation(op_name) else {
        let known: Vec<&str> = vendor.operations.iter().map(|o| o.name).collect();
        return usage(err, &format!("unknown {vendor_name} operation `{op_name}` (known: {})", known.join(", ")));
    };
    let direction = match (side, strict) {
        ("request", _) => Direction::Request,
        ("response", false) => Direction::Response,
        ("response", true) => Direction::StrictResponse,
        _ => return usage(err, &format!("expected `request` or `response`, not `{side}`")),
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return usage(err, &format!("cannot read {file}: {e}")),
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let _ = writeln!(err, "$: not valid JSON: {e}");
            return 1;
        }
    };
    let mut violations = match vendor.schema.check_wire(op_name, &value, direction) {
        Ok(v) => v,
        Err(e) => return usage(err, &e.to_string()),
    };
    if violations.is_empty() {
        // The generated types must agree with the schema; if they do not, say so.
        let decode = if direction == Direction::Request { entry.request } else { entry.response };
        if let Err(v) = decode(&value) {
            violations.push(v);
        }
    }
    if !violations.is_empty() {
        for v in &violations {
            let _ = writeln!(err, "{v}");
        }
        return 1;
    }
    if direction != Direction::Request {
        if let Some(api_error) = api_error(vendor, &value) {
            let _ = writeln!(out, "valid {} {} response carrying an API error: {api_error}", vendor.name, entry.name);
            return 0;
        }
    }
    let _ = writeln!(out, "valid {} {} {side}", vendor.name, entry.name);
    0
}

fn api_error(vendor: &Vendor, value: &serde_json::Value) -> Option<crate::rt::ApiError> {
    vendor.api_error?.error_in(value, vendor.error_tables)
}
