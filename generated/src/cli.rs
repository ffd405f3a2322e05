//! The `flightapi` command line (feature `cli`).
//!
//! - `flightapi validate <vendor> <operation> request|response <file.json> [--strict]` checks a
//!   whole wire body, envelope included, as the docs show it. Exit codes: 0 valid (a response
//!   that carries an API error is valid: the error is printed), 1 invalid (one line per
//!   violation on stderr, `<json path>: <message>`, all of them), 2 usage errors.
//! - `flightapi call <vendor> <operation> <request.json> [--param name=value]... [--strict]`
//!   validates, signs, sends, and prints the response JSON. Exit codes: 0 success, 1 invalid
//!   request (nothing sent), 2 usage errors, 3 API error (code and message on stderr), 4
//!   transport or decoding errors.
//! - `flightapi mock <vendor> [--addr 127.0.0.1:0]` serves the vendor's mock; the first line
//!   on stdout is `listening on http://ADDR`.

use std::io::Write;

use crate::rt::{Direction, Vendor};

/// Usage text; the vendors, their profiles and environment variables come from the specs.
pub fn usage_text() -> String {
    let mut env = String::new();
    for v in crate::vendors() {
        let mut vars: Vec<String> = v
            .credentials
            .iter()
            .map(|c| if c.optional { format!("{} (optional)", c.env) } else { c.env.to_owned() })
            .collect();
        vars.extend(v.base_url_env.map(|b| format!("{b} (base URL)")));
        vars.extend(v.auth.oauth2.and_then(|o| o.token_url_env).map(|t| format!("{t} (token URL)")));
        env.push_str(&format!("        {:<11} {}\n", v.name, vars.join(", ")));
    }
    let profiles: Vec<String> = crate::vendors()
        .iter()
        .filter(|v| !v.profiles.is_empty())
        .map(|v| format!("{}: {}", v.name, v.profiles.join(" or ")))
        .collect();
    let profiles = if profiles.is_empty() { "none".to_owned() } else { profiles.join("; ") };
    format!(
        "usage:
  flightapi validate <vendor> <operation> request|response <file.json> [--strict] [--profile P]
      Checks a whole wire body (envelope and authentication included) against the spec.
      --strict   apply patterns, lengths, ranges, closed enums and unknown-key checks to
                 responses too (for contract tests); requests are always checked strictly.
      --profile  add the rules of a profile to a request check ({profiles})
      exit status: 0 valid, 1 invalid (every violation on stderr), 2 usage error,
                   6 unreadable input

  flightapi call <vendor> <operation> <request.json|-> [--param name=value]... [--header field=value]...
                 [--strict] [--profile P] [--samples] [--timeout SECONDS] [--max-body BYTES]
      Reads the business fields (any envelope or authentication in the file is replaced),
      validates, encrypts, authenticates as the spec says, sends, and prints the response
      JSON on stdout. Credentials and URLs come from the environment:
{env}      --samples  use the docs' sample credentials instead (for the mock server only)
      --param    a path parameter (`--param workbenchID=...`)
      --header   a per-call header value, by its field name (`--header tracking_id=...`)
      --strict   refuse responses that break the spec (contract tests)
      --profile  refuse requests that break a profile's rules
      --timeout  seconds per attempt (default: the operation's documented maximum, else 30;
                 also FLIGHTAPI_TIMEOUT)
      --max-body the largest response body accepted, in bytes (default 33554432, 32 MiB)
      `-` reads the request from standard input.
      exit status: 0 success, 1 invalid request (nothing sent), 2 usage error, 3 API error
                   (code and message on stderr), 4 transport, token, decoding or size error,
                   5 configuration error (missing credentials are all named), 6 unreadable input

  flightapi list [<vendor>]
      The vendors, or a vendor's operations (method, path, `safe` to retry or sent `once`).

  flightapi --version

  flightapi example <vendor> <operation> [request|response]
      Prints the spec's first example: the request's business fields (what `call` reads), or
      the response as the vendor sends it: `flightapi example <vendor> <operation> > request.json`.

  flightapi mock <vendor> [--addr 127.0.0.1:0]
      Serves the vendor's mock server; the first stdout line is `listening on http://ADDR`
      (OAuth2 vendors add `token endpoint http://ADDR/...`). It accepts the credentials from
      the same environment variables (default: the docs' samples, or the spec's mock values)."
    )
}

/// Runs the command line with `args` (without the program name); returns the exit status.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.first() {
        Some(&"validate") => validate(&args[1..], out, err),
        Some(&"call") => call(&args[1..], out, err),
        Some(&"mock") => mock(&args[1..], out, err),
        Some(&"example") => example(&args[1..], out, err),
        Some(&"list") => list(&args[1..], out, err),
        Some(&("-V" | "--version" | "version")) => {
            let _ = writeln!(out, "flightapi {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some(&("-h" | "--help" | "help")) => {
            let _ = writeln!(out, "{}", usage_text());
            0
        }
        _ => usage(err, "expected a command"),
    }
}

/// Exit status of a configuration error (missing credentials, a bad URL or key).
pub const EXIT_CONFIG: i32 = 5;
/// Exit status of an input file that cannot be read.
pub const EXIT_UNREADABLE: i32 = 6;

/// `unknown <what> `name` (did you mean `x`?; known: ...)`: the closest known name, if one is close.
fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    let close = known
        .iter()
        .map(|k| (strsim::jaro_winkler(&name.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match close {
        Some((_, k)) => format!("unknown {what} `{name}` (did you mean `{k}`? known: {})", known.join(", ")),
        None => format!("unknown {what} `{name}` (known: {})", known.join(", ")),
    }
}

/// A configuration problem: named, no usage text.
fn config_error(err: &mut dyn Write, problem: &str) -> i32 {
    let _ = writeln!(err, "configuration error: {problem}");
    EXIT_CONFIG
}

fn usage(err: &mut dyn Write, problem: &str) -> i32 {
    let _ = writeln!(err, "error: {problem}\n(see `flightapi --help`)");
    2
}

fn validate(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (args, profile) = match take_profile(args) {
        Ok(v) => v,
        Err(problem) => return usage(err, &problem),
    };
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
        return usage(err, &unknown("vendor", vendor_name, &known));
    };
    let Some(entry) = vendor.operation(op_name) else {
        let known: Vec<&str> = vendor.operations.iter().map(|o| o.name).collect();
        return usage(err, &unknown(&format!("{vendor_name} operation"), op_name, &known));
    };
    let direction = match (side, strict) {
        ("request", _) => Direction::Request,
        ("response", false) => Direction::Response,
        ("response", true) => Direction::StrictResponse,
        _ => return usage(err, &format!("expected `request` or `response`, not `{side}`")),
    };
    let value = match read_json(file, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut violations = match vendor.schema.check_wire(op_name, &value, direction) {
        Ok(v) => v,
        Err(e) => return usage(err, &e.to_string()),
    };
    if let Some(profile) = profile {
        if direction != Direction::Request {
            return usage(err, "--profile applies to requests");
        }
        match profile_violations(vendor, op_name, &value, profile) {
            Ok(v) => violations.extend(v),
            Err(problem) => return usage(err, &problem),
        }
    }
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

/// Splits `--profile NAME` off the arguments.
fn take_profile<'a>(args: &[&'a str]) -> Result<(Vec<&'a str>, Option<&'a str>), String> {
    let mut rest = Vec::new();
    let mut profile = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--profile" {
            profile = Some(*args.get(i + 1).ok_or("--profile takes a name (NDC, GDS)")?);
            i += 1;
        } else {
            rest.push(args[i]);
        }
        i += 1;
    }
    Ok((rest, profile))
}

/// The rules of `profile` a whole request wire body breaks.
fn profile_violations(
    vendor: &Vendor,
    op: &str,
    wire: &serde_json::Value,
    profile: &str,
) -> Result<Vec<crate::rt::Violation>, String> {
    let known = vendor.profiles;
    if !known.contains(&profile) {
        return Err(format!("unknown {} profile `{profile}` (known: {})", vendor.name, known.join(", ")));
    }
    let schema = vendor.schema.operation(op).ok_or_else(|| format!("unknown operation `{op}`"))?;
    let body = vendor.schema.request_body(wire.clone());
    Ok(vendor.schema.check_profile(schema.request, &body, profile))
}

/// A JSON file (`-`: standard input): exit 6 when it cannot be read, 1 when it is not JSON.
fn read_json(file: &str, err: &mut dyn Write) -> Result<serde_json::Value, i32> {
    let read = if file == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text)
    } else {
        std::fs::read_to_string(file)
    };
    let text = read.map_err(|e| {
        let _ = writeln!(err, "error: cannot read {file}: {e}");
        EXIT_UNREADABLE
    })?;
    serde_json::from_str(&text).map_err(|e| {
        let _ = writeln!(err, "$: not valid JSON: {e}");
        1
    })
}

fn find_vendor(name: &str, err: &mut dyn Write) -> Result<&'static Vendor, i32> {
    let vendors = crate::vendors();
    match vendors.iter().find(|v| v.name == name) {
        Some(v) => Ok(v),
        None => {
            let known: Vec<&str> = vendors.iter().map(|v| v.name).collect();
            Err(usage(err, &unknown("vendor", name, &known)))
        }
    }
}

fn runtime(err: &mut dyn Write) -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|e| {
        let _ = writeln!(err, "error: cannot start the async runtime: {e}");
        4
    })
}

fn call(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::rt::client::{Client, Config, Error};
    let (args, profile) = match take_profile(args) {
        Ok(v) => v,
        Err(problem) => return usage(err, &problem),
    };
    let mut positional = Vec::new();
    let mut params: Vec<(String, String)> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut strict = false;
    let mut samples = false;
    let mut timeout: Option<String> = None;
    let mut max_body: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--strict" => strict = true,
            "--samples" => samples = true,
            "--timeout" | "--max-body" => {
                let Some(value) = args.get(i + 1) else {
                    return usage(err, &format!("{} takes a value", args[i]));
                };
                if args[i] == "--timeout" {
                    timeout = Some((*value).to_owned());
                } else {
                    max_body = Some((*value).to_owned());
                }
                i += 1;
            }
            "--header" => {
                let Some((name, value)) = args.get(i + 1).and_then(|p| p.split_once('=')) else {
                    return usage(err, "--header takes field=value");
                };
                headers.push((name.to_owned(), value.to_owned()));
                i += 1;
            }
            "--param" => {
                let Some((name, value)) = args.get(i + 1).and_then(|p| p.split_once('=')) else {
                    return usage(err, "--param takes name=value");
                };
                params.push((name.to_owned(), value.to_owned()));
                i += 1;
            }
            flag if flag.starts_with("--") => return usage(err, &format!("unknown option `{flag}`")),
            other => positional.push(other),
        }
        i += 1;
    }
    let [vendor_name, op_name, file] = positional[..] else {
        return usage(err, "call takes <vendor> <operation> <request.json>");
    };
    let vendor = match find_vendor(vendor_name, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let Some(entry) = vendor.operation(op_name).filter(|e| !e.inbound) else {
        let known: Vec<&str> = vendor.operations.iter().filter(|o| !o.inbound).map(|o| o.name).collect();
        return usage(err, &unknown(&format!("{vendor_name} operation"), op_name, &known));
    };
    for name in placeholders(entry.path) {
        if !params.iter().any(|(n, _)| *n == name) {
            return usage(err, &format!("{op_name} needs --param {name}=..."));
        }
    }
    let body = match read_json(file, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if let Some(profile) = profile {
        match profile_violations(vendor, op_name, &body, profile) {
            Ok(v) if v.is_empty() => {}
            Ok(v) => {
                let _ = writeln!(err, "invalid request, nothing was sent:\n{}", crate::rt::Violations(v));
                return 1;
            }
            Err(problem) => return usage(err, &problem),
        }
    }
    let body = vendor.schema.request_body(body);
    let config = if samples { Ok(Config::with_samples(vendor)) } else { Config::from_env(vendor) };
    let mut config = match config {
        Ok(c) => c.strict(strict),
        Err(e) => return config_error(err, &e.to_string()),
    };
    let timeout = timeout.or_else(|| std::env::var("FLIGHTAPI_TIMEOUT").ok().filter(|v| !v.is_empty()));
    if let Some(t) = timeout {
        match t.parse::<f64>() {
            Ok(secs) if secs > 0.0 && secs.is_finite() => {
                config = config.timeout(std::time::Duration::from_secs_f64(secs))
            }
            _ => return usage(err, &format!("the timeout `{t}` is not a number of seconds")),
        }
    }
    if let Some(m) = max_body {
        match m.parse::<usize>() {
            Ok(bytes) if bytes > 0 => config = config.max_body(bytes),
            _ => return usage(err, &format!("--max-body `{m}` is not a number of bytes")),
        }
    }
    let mut per_call = Vec::new();
    for (field, value) in headers {
        let known = vendor.headers.iter().find_map(|h| match h.value {
            crate::rt::HeaderValue::PerCall(f) if f == field => Some(f),
            _ => None,
        });
        match known {
            Some(f) => per_call.push((f, value)),
            None => {
                let fields: Vec<&str> = vendor
                    .headers
                    .iter()
                    .filter_map(|h| match h.value {
                        crate::rt::HeaderValue::PerCall(f) => Some(f),
                        _ => None,
                    })
                    .collect();
                return usage(
                    err,
                    &format!("{vendor_name} has no per-call header `{field}` (known: {})", fields.join(", ")),
                );
            }
        }
    }
    let client = match Client::new(vendor, config) {
        Ok(c) => c.with_call_headers(per_call),
        Err(e) => return config_error(err, &e.to_string()),
    };
    let rt = match runtime(err) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match rt.block_on(client.call_value(entry, &params, body)) {
        Ok(reply) => {
            let text = serde_json::to_string_pretty(&reply.envelope).unwrap_or_default();
            let _ = writeln!(out, "{text}");
            0
        }
        Err(Error::Invalid(violations)) => {
            let _ = writeln!(err, "invalid request, nothing was sent:\n{violations}");
            1
        }
        Err(Error::Api(api)) => {
            let _ = writeln!(err, "API error: {api}");
            if let Some(entry) = api.entry {
                let _ = writeln!(err, "advice: {:?}", entry.advice);
            }
            3
        }
        Err(e @ Error::Config(_)) => config_error(err, &e.to_string()),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            4
        }
    }
}

/// `flightapi list [VENDOR]`: the vendors, or one vendor's operations.
fn list(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match args {
        [] => {
            for v in crate::vendors() {
                let _ = writeln!(out, "{:<12} {} ({} operations)", v.name, v.title, v.operations.len());
            }
            0
        }
        [name] => {
            let vendor = match find_vendor(name, err) {
                Ok(v) => v,
                Err(code) => return code,
            };
            for op in vendor.operations {
                let kind = if op.inbound {
                    "push"
                } else if op.safe_to_retry {
                    "safe"
                } else {
                    "once"
                };
                let _ = writeln!(out, "{:<28} {:<6} {:<48} {kind:<4} {}", op.name, op.method, op.path, op.summary);
            }
            0
        }
        _ => usage(err, "list takes at most one vendor"),
    }
}

/// `flightapi example <vendor> <operation> [request|response]`: the spec's first example, the
/// request as `call` takes it (business fields only), the response as the vendor sends it.
fn example(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (vendor_name, op_name, side) = match args {
        [v, o] => (*v, *o, "request"),
        [v, o, s @ ("request" | "response")] => (*v, *o, *s),
        _ => return usage(err, "example takes <vendor> <operation> [request|response]"),
    };
    let vendor = match find_vendor(vendor_name, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let Some(entry) = vendor.operation(op_name) else {
        let known: Vec<&str> = vendor.operations.iter().map(|o| o.name).collect();
        return usage(err, &unknown(&format!("{vendor_name} operation"), op_name, &known));
    };
    let text =
        entry.examples.iter().find_map(|e| if side == "request" { e.request } else { e.response.filter(|_| !e.error) });
    let Some(text) = text else {
        let _ = writeln!(err, "error: the spec has no {side} example for {vendor_name} {op_name}");
        return 1;
    };
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else { return 1 };
    if side == "request" {
        value = vendor.schema.request_body(value);
    }
    let _ = writeln!(out, "{}", serde_json::to_string_pretty(&value).unwrap_or_default());
    0
}

/// The `{name}` placeholders of a path.
fn placeholders(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect()
}

fn mock(args: &[&str], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::rt::mock::{MockOptions, MockServer};
    let mut addr = "127.0.0.1:0";
    let mut positional = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args[i] {
            "--addr" => match args.get(i + 1) {
                Some(a) => {
                    addr = a;
                    i += 1;
                }
                None => return usage(err, "--addr takes an address (127.0.0.1:0)"),
            },
            flag if flag.starts_with("--") => return usage(err, &format!("unknown option `{flag}`")),
            other => positional.push(other),
        }
        i += 1;
    }
    let [vendor_name] = positional[..] else {
        return usage(err, "mock takes <vendor>");
    };
    let vendor = match find_vendor(vendor_name, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let Ok(addr) = addr.parse() else {
        return usage(err, &format!("`{addr}` is not an address like 127.0.0.1:8080"));
    };
    let credentials = crate::rt::CredentialSet::from_env_or_samples(vendor.credentials);
    let rt = match runtime(err) {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    rt.block_on(async {
        let options = MockOptions { addr, credentials, ..MockOptions::new(vendor) };
        let server = match MockServer::start(vendor, options).await {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(err, "error: cannot listen on {addr}: {e}");
                return 4;
            }
        };
        let _ = writeln!(out, "listening on {}", server.url());
        if vendor.auth.oauth2.is_some() {
            let _ = writeln!(out, "token endpoint {}", server.token_url());
        }
        let _ = out.flush();
        server.wait().await;
        0
    })
}

fn api_error(vendor: &Vendor, value: &serde_json::Value) -> Option<crate::rt::ApiError> {
    vendor.error_in(value, 200)
}
