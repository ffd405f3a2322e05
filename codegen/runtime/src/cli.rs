//! The `flightapi` command line (feature `cli`), on clap: `validate`, `call`, `list`,
//! `example`, `mock`; `flightapi --help` lists the vendors, their environment variables and
//! profiles from the specs, and every exit status.

use std::io::Write;

use crate::{Direction, Vendor};

/// The command line (clap); the vendors, profiles and environment variables in its help come
/// from the specs at run time.
#[derive(clap::Parser, Debug)]
#[command(
    name = "flightapi",
    version,
    about = "Validate, call and mock airline-distribution APIs described by the bundled specs.",
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Checks a whole wire body (envelope and authentication included) against the spec.
    ///
    /// The body is checked while it is read: memory stays small whatever its size.
    ///
    /// Exit status: 0 valid (a response carrying an API error is valid: the error is printed),
    /// 1 invalid (every violation on stderr, `<json path>: <message>`), 2 usage error,
    /// 6 unreadable input.
    Validate {
        /// The vendor (`flightapi list`).
        vendor: String,
        /// The operation (`flightapi list <vendor>`).
        operation: String,
        /// Which body the file holds.
        side: Side,
        /// The JSON file; `-` reads standard input.
        file: String,
        /// Apply patterns, lengths, ranges, closed enums and unknown-key checks to responses too
        /// (for contract tests); requests are always checked strictly.
        #[arg(long)]
        strict: bool,
        /// Add the rules of a profile to a request check.
        #[arg(long, value_name = "PROFILE")]
        profile: Option<String>,
        /// Also read a valid body into the generated Rust types (a check of the generated
        /// crate against its spec; holds the typed value, several times the body's size).
        #[arg(long)]
        typed: bool,
    },
    /// Validates, encrypts, authenticates as the spec says, sends, and prints the response JSON.
    ///
    /// Reads the business fields (any envelope or authentication in the file is replaced).
    /// Credentials and URLs come from the environment (see `flightapi --help`).
    ///
    /// Exit status: 0 success, 1 invalid request (nothing sent), 2 usage error, 3 API error
    /// (code and message on stderr), 4 transport, token, decoding or size error, 5
    /// configuration error (missing credentials are all named), 6 unreadable input.
    Call {
        /// The vendor (`flightapi list`).
        vendor: String,
        /// The operation (`flightapi list <vendor>`).
        operation: String,
        /// The request's business fields as JSON (`flightapi example <vendor> <operation>`
        /// prints one); `-` reads standard input.
        file: String,
        /// A path parameter.
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = pair)]
        params: Vec<(String, String)>,
        /// A per-call header value, by its field name (`--header tracking_id=...`).
        #[arg(long = "header", value_name = "FIELD=VALUE", value_parser = pair)]
        headers: Vec<(String, String)>,
        /// Refuse responses that break the spec (contract tests).
        #[arg(long)]
        strict: bool,
        /// Refuse requests that break a profile's rules.
        #[arg(long, value_name = "PROFILE")]
        profile: Option<String>,
        /// Use the docs' sample credentials (for the mock server only).
        #[arg(long)]
        samples: bool,
        /// Seconds per attempt (default: the operation's documented maximum, else 30; also
        /// the FLIGHTAPI_TIMEOUT environment variable).
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<String>,
        /// The largest response body accepted, in bytes (default 33554432, 32 MiB).
        #[arg(long, value_name = "BYTES")]
        max_body: Option<String>,
    },
    /// The vendors, or a vendor's operations (method, path, `safe` to retry or sent `once`).
    List {
        /// A vendor.
        vendor: Option<String>,
    },
    /// Prints the spec's first example: the request's business fields (what `call` reads),
    /// or the response as the vendor sends it.
    ///
    /// `flightapi example <vendor> <operation> > request.json`
    Example {
        /// The vendor (`flightapi list`).
        vendor: String,
        /// The operation (`flightapi list <vendor>`).
        operation: String,
        /// Which body to print.
        #[arg(default_value = "request")]
        side: Side,
    },
    /// Serves the vendor's mock server.
    ///
    /// The first stdout line is `listening on http://ADDR` (OAuth2 vendors add `token endpoint
    /// http://ADDR/...`). It accepts the credentials from the same environment variables as
    /// `call` (default: the docs' samples, or the spec's mock values).
    Mock {
        /// The vendor (`flightapi list`).
        vendor: String,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        addr: String,
    },
}

/// Which body of an operation.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// The request.
    Request,
    /// The response.
    Response,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// `name=value`.
fn pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

/// The part of the help the specs write: vendors, their environment variables and profiles,
/// and the exit statuses.
pub fn usage_text(vendors: &[&'static Vendor]) -> String {
    let mut text = String::from("Vendors (operations: `flightapi list <vendor>`) and the environment `call` reads:\n");
    for v in vendors {
        let mut vars: Vec<String> = v
            .credentials
            .iter()
            .map(|c| if c.optional { format!("{} (optional)", c.env) } else { c.env.to_owned() })
            .collect();
        vars.extend(v.base_url_env.map(|b| format!("{b} (base URL)")));
        vars.extend(v.auth.oauth2.and_then(|o| o.token_url_env).map(|t| format!("{t} (token URL)")));
        text.push_str(&format!("  {:<11} {} operations; {}\n", v.name, v.operations.len(), vars.join(", ")));
    }
    text.push_str("  all         FLIGHTAPI_TIMEOUT (seconds per attempt)\n");
    let profiles: Vec<String> = vendors
        .iter()
        .filter(|v| !v.profiles.is_empty())
        .map(|v| format!("{}: {}", v.name, v.profiles.join(" or ")))
        .collect();
    if !profiles.is_empty() {
        text.push_str(&format!("Profiles (--profile): {}\n", profiles.join("; ")));
    }
    text.push_str(
        "Exit status: 0 success, 1 invalid body or request (nothing sent), 2 usage error, 3 API error,\n\
         4 transport, token, decoding or size error, 5 configuration error, 6 unreadable input.",
    );
    text
}

fn command(vendors: &[&'static Vendor]) -> clap::Command {
    use clap::CommandFactory;
    Cli::command().after_help(usage_text(vendors))
}

/// Runs the command line over `vendors` with `args` (without the program name); returns the
/// exit status.
pub fn run(vendors: &[&'static Vendor], args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::FromArgMatches;
    let mut cmd = command(vendors);
    let matches = cmd.try_get_matches_from_mut(std::iter::once("flightapi".to_owned()).chain(args.iter().cloned()));
    let cli = match matches.and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let text = e.render().to_string();
            return match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                    let _ = write!(out, "{text}");
                    0
                }
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = write!(err, "{text}");
                    2
                }
                _ => {
                    let _ = write!(err, "{text}");
                    2
                }
            };
        }
    };
    match cli.command {
        Command::Validate { vendor, operation, side, file, strict, profile, typed } => {
            let check = Check { strict, profile: profile.as_deref(), typed };
            validate(vendors, &vendor, &operation, side, &file, check, out, err)
        }
        Command::Call { vendor, operation, file, params, headers, strict, profile, samples, timeout, max_body } => {
            let options = CallOptions { params, headers, strict, profile, samples, timeout, max_body };
            call(vendors, &vendor, &operation, &file, options, out, err)
        }
        Command::List { vendor } => list(vendors, vendor.as_deref(), out, err),
        Command::Example { vendor, operation, side } => example(vendors, &vendor, &operation, side, out, err),
        Command::Mock { vendor, addr } => mock(vendors, &vendor, &addr, out, err),
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

/// A usage error found after parsing (an unknown vendor or operation): one line and the hint,
/// as clap words its own.
fn usage(err: &mut dyn Write, problem: &str) -> i32 {
    let _ = writeln!(err, "error: {problem}\n\nFor more information, try '--help'.");
    2
}

/// `validate`'s options.
struct Check<'a> {
    strict: bool,
    profile: Option<&'a str>,
    typed: bool,
}

#[allow(clippy::too_many_arguments)]
fn validate(
    vendors: &[&'static Vendor],
    vendor_name: &str,
    op_name: &str,
    side: Side,
    file: &str,
    Check { strict, profile, typed }: Check<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(vendor) = vendors.iter().find(|v| v.name == vendor_name) else {
        let known: Vec<&str> = vendors.iter().map(|v| v.name).collect();
        return usage(err, &unknown("vendor", vendor_name, &known));
    };
    let Some(entry) = vendor.operation(op_name) else {
        let known: Vec<&str> = vendor.operations.iter().map(|o| o.name).collect();
        return usage(err, &unknown(&format!("{vendor_name} operation"), op_name, &known));
    };
    let direction = match (side, strict) {
        (Side::Request, _) => Direction::Request,
        (Side::Response, false) => Direction::Response,
        (Side::Response, true) => Direction::StrictResponse,
    };
    // The body is checked while it is read, keeping only what the vendor's error rule reads;
    // with `--typed`, the generated types then decode it from a second read. No `Value` of
    // the whole body is built (`scripts/memory.py` measures the peak).
    let input = match Input::open(file, err) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let keep = match (direction, &vendor.errors) {
        (Direction::Request, _) | (_, None) => Vec::new(),
        (_, Some(rule)) => crate::stream::error_rule_paths(rule),
    };
    let report = match input.read(err, |r| vendor.schema.check_wire_reader_keeping(op_name, r, direction, &keep)) {
        Ok(Ok(report)) => report,
        Ok(Err(crate::StreamError::Json(e))) => {
            let _ = writeln!(err, "$: not valid JSON: {e}");
            return 1;
        }
        Ok(Err(crate::StreamError::Read(e))) => {
            let _ = writeln!(err, "error: cannot read {file}: {e}");
            return EXIT_UNREADABLE;
        }
        Ok(Err(e @ crate::StreamError::UnknownOperation(_))) => return usage(err, &e.to_string()),
        Err(code) => return code,
    };
    let mut violations = report.violations;
    if let Some(profile) = profile {
        if direction != Direction::Request {
            return usage(err, "--profile applies to requests");
        }
        // Profile rules read a `Value` of the request (requests are small).
        let value = match input.read(err, |r| serde_json::from_reader::<_, serde_json::Value>(r)) {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => {
                let _ = writeln!(err, "$: not valid JSON: {e}");
                return 1;
            }
            Err(code) => return code,
        };
        match profile_violations(vendor, op_name, &value, profile) {
            Ok(v) => violations.extend(v),
            Err(problem) => return usage(err, &problem),
        }
    }
    if typed && violations.is_empty() {
        // The generated types must agree with the schema; if they do not, say so.
        let decode = if direction == Direction::Request { entry.read_request } else { entry.read_response };
        match input.read(err, |r| decode(r)) {
            Ok(Ok(())) => {}
            Ok(Err(v)) => violations.push(v),
            Err(code) => return code,
        }
    }
    if !violations.is_empty() {
        for v in &violations {
            let _ = writeln!(err, "{v}");
        }
        return 1;
    }
    if direction != Direction::Request {
        if let Some(api_error) = api_error(vendor, &report.kept) {
            let _ = writeln!(out, "valid {} {} response carrying an API error: {api_error}", vendor.name, entry.name);
            return 0;
        }
    }
    let _ = writeln!(out, "valid {} {} {}", vendor.name, entry.name, side.as_str());
    0
}

/// The rules of `profile` a whole request wire body breaks.
fn profile_violations(
    vendor: &Vendor,
    op: &str,
    wire: &serde_json::Value,
    profile: &str,
) -> Result<Vec<crate::Violation>, String> {
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

/// The body `flightapi validate` reads, once per pass: a file, opened again each time, or
/// standard input, read once into memory.
enum Input<'a> {
    File(&'a str),
    Bytes(Vec<u8>),
}

impl<'a> Input<'a> {
    /// Reads standard input (`-`), or checks that the file opens.
    fn open(file: &'a str, err: &mut dyn Write) -> Result<Self, i32> {
        let unreadable = |err: &mut dyn Write, e: std::io::Error| {
            let _ = writeln!(err, "error: cannot read {file}: {e}");
            EXIT_UNREADABLE
        };
        if file == "-" {
            let mut bytes = Vec::new();
            return match std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
                Ok(_) => Ok(Input::Bytes(bytes)),
                Err(e) => Err(unreadable(err, e)),
            };
        }
        match std::fs::File::open(file) {
            Ok(_) => Ok(Input::File(file)),
            Err(e) => Err(unreadable(err, e)),
        }
    }

    /// Runs `pass` on a fresh reader of the body; `Err` when the file cannot be opened again.
    fn read<T>(&self, err: &mut dyn Write, pass: impl FnOnce(&mut dyn std::io::Read) -> T) -> Result<T, i32> {
        match self {
            Input::Bytes(bytes) => Ok(pass(&mut bytes.as_slice())),
            Input::File(file) => match std::fs::File::open(file) {
                Ok(mut f) => Ok(pass(&mut f)),
                Err(e) => {
                    let _ = writeln!(err, "error: cannot read {file}: {e}");
                    Err(EXIT_UNREADABLE)
                }
            },
        }
    }
}

fn find_vendor(vendors: &[&'static Vendor], name: &str, err: &mut dyn Write) -> Result<&'static Vendor, i32> {
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

/// `call`'s options.
struct CallOptions {
    params: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    strict: bool,
    profile: Option<String>,
    samples: bool,
    timeout: Option<String>,
    max_body: Option<String>,
}

fn call(
    vendors: &[&'static Vendor],
    vendor_name: &str,
    op_name: &str,
    file: &str,
    options: CallOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    use crate::client::{Client, Config, Error};
    let CallOptions { params, headers, strict, profile, samples, timeout, max_body } = options;
    let vendor = match find_vendor(vendors, vendor_name, err) {
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
    if let Some(profile) = profile.as_deref() {
        match profile_violations(vendor, op_name, &body, profile) {
            Ok(v) if v.is_empty() => {}
            Ok(v) => {
                let _ = writeln!(err, "invalid request, nothing was sent:\n{}", crate::Violations(v));
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
            crate::HeaderValue::PerCall(f) if f == field => Some(f),
            _ => None,
        });
        match known {
            Some(f) => per_call.push((f, value)),
            None => {
                let fields: Vec<&str> = vendor
                    .headers
                    .iter()
                    .filter_map(|h| match h.value {
                        crate::HeaderValue::PerCall(f) => Some(f),
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
fn list(vendors: &[&'static Vendor], vendor: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(name) = vendor else {
        for v in vendors {
            let _ = writeln!(out, "{:<12} {} ({} operations)", v.name, v.title, v.operations.len());
        }
        return 0;
    };
    let vendor = match find_vendor(vendors, name, err) {
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

/// `flightapi example <vendor> <operation> [request|response]`: the spec's first example, the
/// request as `call` takes it (business fields only), the response as the vendor sends it.
fn example(
    vendors: &[&'static Vendor],
    vendor_name: &str,
    op_name: &str,
    side: Side,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let side = side.as_str();
    let vendor = match find_vendor(vendors, vendor_name, err) {
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

fn mock(vendors: &[&'static Vendor], vendor_name: &str, addr: &str, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::mock::{MockOptions, MockServer};
    let vendor = match find_vendor(vendors, vendor_name, err) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let Ok(addr) = addr.parse() else {
        return usage(err, &format!("`{addr}` is not an address like 127.0.0.1:8080"));
    };
    let credentials = crate::CredentialSet::from_env_or_samples(vendor.credentials);
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

fn api_error(vendor: &Vendor, value: &serde_json::Value) -> Option<crate::ApiError> {
    vendor.error_in(value, 200)
}
