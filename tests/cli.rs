//! `flightapi validate`: exit codes and messages, in-process through `flightapi::cli::run`
//! (the binary itself is run by `generated/tests/bin.rs`).

use std::path::PathBuf;

use serde_json::{json, Value};

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = flightapi::cli::run(&args, &mut out, &mut err);
    Run { code, out: String::from_utf8(out).unwrap(), err: String::from_utf8(err).unwrap() }
}

fn file(name: &str, body: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flightapi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(body).unwrap()).unwrap();
    path
}

fn refund_request() -> Value {
    json!({
        "authentication": {"sign": "99dbfae1", "timestamp": "1671178033"},
        "tktOrderNo": "17920456973815808",
        "passengers": [{"paxId": "1", "name": "YGVU/ZTMII", "birthday": "1981-07-21", "gender": "M"}],
        "refundReason": "1"
    })
}

fn validate(op: &str, side: &str, name: &str, body: &Value, extra: &[&str]) -> Run {
    let path = file(name, body);
    let mut args = vec!["validate", "fr24", op, side, path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn a_valid_request_exits_0() {
    let r = validate("refundRequest", "request", "ok.json", &refund_request(), &[]);
    assert_eq!((r.code, r.out.as_str(), r.err.as_str()), (0, "valid fr24 refundRequest request\n", ""));
}

#[test]
fn typed_also_reads_the_body_into_the_generated_types() {
    let r = validate("refundRequest", "request", "typed.json", &refund_request(), &["--typed"]);
    assert_eq!((r.code, r.out.as_str(), r.err.as_str()), (0, "valid fr24 refundRequest request\n", ""));
    // The schema check comes first: an invalid body is reported the same with or without it.
    let mut body = refund_request();
    body["tktOrderNo"] = json!("A-17");
    let plain = validate("refundRequest", "request", "typed-bad.json", &body, &[]);
    let typed = validate("refundRequest", "request", "typed-bad.json", &body, &["--typed"]);
    assert_eq!(plain.code, 1);
    assert_eq!((typed.code, typed.err), (plain.code, plain.err));
}

#[test]
fn an_invalid_request_exits_1_with_every_violation_on_stderr() {
    let mut body = refund_request();
    body["tktOrderNo"] = json!("A-17");
    body["passengers"][0]["birthday"] = json!("21/07/1981");
    body["passengers"][0]["gender"] = json!("X");
    body["refundReasons"] = body["refundReason"].take();
    body.as_object_mut().unwrap().remove("refundReason");
    body["authentication"].as_object_mut().unwrap().remove("sign");
    let r = validate("refundRequest", "request", "bad.json", &body, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "");
    assert_eq!(
        r.err,
        "$.authentication.sign: required field is missing\n\
         $.tktOrderNo: \"A-17\" does not match the pattern ^\\d*$\n\
         $.passengers[0].birthday: \"21/07/1981\" is not a date in the format %Y-%m-%d\n\
         $.passengers[0].gender: \"X\" is not one of F, M\n\
         $.refundReason: required field is missing\n\
         $.refundReasons: unknown field\n"
    );
}

#[test]
fn a_response_with_an_api_error_is_valid_and_the_error_is_printed() {
    let body = json!({"traceId": "t-9", "code": "10701002", "message": "offer expired", "processingTime": 5});
    let r = validate("refundRequest", "response", "apierr.json", &body, &[]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        r.out,
        "valid fr24 refundRequest response carrying an API error: code 10701002: offer expired (traceId t-9) [Failed: retry from the Search API.]\n"
    );
}

#[test]
fn responses_are_lenient_unless_strict() {
    let body = json!({"traceId": "t", "code": "000000", "message": "ok", "processingTime": 1,
        "data": {"accountBalance": "1.00", "availableCreditLimit": "0.00", "accountCurrency": "yuan",
                 "accountPayable": "0.00", "time": "now", "newField": 1}});
    let lenient = validate("selectBalance", "response", "drift.json", &body, &[]);
    assert_eq!((lenient.code, lenient.err.as_str()), (0, ""));
    let strict = validate("selectBalance", "response", "drift.json", &body, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(
        strict.err,
        "$.data.accountCurrency: \"yuan\" does not match the pattern ^[A-Z]{3}$\n$.data.newField: unknown field\n"
    );
    let mut broken = body.clone();
    broken["data"]["accountBalance"] = json!(true);
    let typed = validate("selectBalance", "response", "type.json", &broken, &[]);
    assert_eq!(typed.code, 1, "a type error is an error even when lenient");
    assert_eq!(
        typed.err,
        "$.data.accountBalance: expected a decimal number (JSON number or numeric string), found a boolean\n"
    );
    // A number, but beyond what an exact decimal holds: said as such, not as a type error.
    for huge in [json!(1e40), json!("123456789012345678901234567890.5")] {
        let mut broken = body.clone();
        broken["data"]["accountBalance"] = huge.clone();
        let out = validate("selectBalance", "response", "huge.json", &broken, &[]);
        assert_eq!(out.code, 1, "{huge}");
        assert!(
            out.err.starts_with("$.data.accountBalance: the number ")
                && out.err.contains("is out of the range of an exact decimal"),
            "{huge}: {}",
            out.err
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let path = file("u.json", &refund_request());
    let p = path.to_str().unwrap();
    for (args, needle) in [
        (
            vec!["validate", "nope", "refundRequest", "request", p],
            "unknown vendor `nope` (known: aerohub, fr24, travelport)",
        ),
        (vec!["validate", "fr24", "refund", "request", p], "unknown fr24 operation `refund`"),
        (vec!["validate", "fr24", "refundRequest", "reply", p], "invalid value 'reply' for '<SIDE>'"),
        (vec!["validate", "fr24", "refundRequest"], "required arguments were not provided"),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (vec!["validate", "fr24", "refundRequest", "request", p, "--loose"], "unexpected argument '--loose'"),
        (vec!["validate", "fr24", "refundRequest", "request", p, "--profile", "NDC"], "unknown fr24 profile `NDC`"),
        (vec!["validate", "fr24", "refundRequest", "request", p, "--profile"], "a value is required for '--profile"),
        (vec!["call", "fr24", "shopping", p, "--param", "novalue"], "`novalue` is not NAME=VALUE"),
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.err.contains(needle), "{args:?}: {}", r.err);
        assert!(r.err.ends_with("For more information, try '--help'.\n"), "a hint, not the help text: {}", r.err);
        assert!(r.err.lines().count() <= 8, "a few lines, not the help text: {}", r.err);
        assert!(!r.err.contains("Exit status"), "{args:?}");
    }
    // An unreadable file is not a usage error.
    let r = run(&["validate", "fr24", "refundRequest", "request", "/no/such/file.json"]);
    assert_eq!(r.code, 6);
    assert!(r.err.contains("cannot read /no/such/file.json"), "{}", r.err);
}

#[test]
fn a_file_that_is_not_json_is_invalid() {
    let dir = std::env::temp_dir().join(format!("flightapi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("trailing-comma.json");
    // The selectBalance doc example, trailing comma included.
    std::fs::write(&path, "{\"authentication\": {\"sign\": \"s\", \"timestamp\": \"1\"},\n}").unwrap();
    let r = run(&["validate", "fr24", "selectBalance", "request", path.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.err.starts_with("$: not valid JSON: trailing comma"), "{}", r.err);
}

#[test]
fn other_vendors_validate_whole_bodies_and_profiles() {
    let body = json!({"action": "GetBookingPayments", "key": "k", "signature": "s", "timestamp": "1685116516",
                      "request": {"sessionId": "e7b9e00ee26a8df4b5e6840d1869bfda"}});
    let path = file("ah.json", &body);
    let r = run(&["validate", "aerohub", "GetBookingPayments", "request", path.to_str().unwrap()]);
    assert_eq!((r.code, r.out.as_str()), (0, "valid aerohub GetBookingPayments request\n"), "{}", r.err);
    let wrong = json!({"action": "Commit", "key": "k", "signature": "s", "timestamp": 1, "request": {}});
    let path = file("ah-bad.json", &wrong);
    let r = run(&["validate", "aerohub", "GetBookingPayments", "request", path.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.err,
        "$.request.sessionId: required field is missing\n$.action: \"Commit\" names another operation; this body is for \"GetBookingPayments\"\n"
    );
    let cash = json!({"FormOfPaymentCash": {"id": "formOfPayment_1"}});
    let path = file("tp.json", &cash);
    let p = path.to_str().unwrap();
    let r = run(&["validate", "travelport", "AddFormOfPayment", "request", p]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = run(&["validate", "travelport", "AddFormOfPayment", "request", p, "--profile", "GDS"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = run(&["validate", "travelport", "AddFormOfPayment", "request", p, "--profile", "NDC"]);
    assert_eq!((r.code, r.err.as_str()), (1, "$: FormOfPaymentCash is not allowed for NDC (only GDS)\n$: NDC requires FormOfPaymentPaymentCard, not FormOfPaymentCash\n"));
}

#[test]
fn cross_field_rules_are_checked_with_json_paths() {
    let auth = json!({"sign": "99dbfae1", "timestamp": "1671178033"});
    // Neither the refund order nor the ticket order: the page's "either ... or" rule.
    let neither = json!({"authentication": auth, "refundReason": "1"});
    let r = validate("refundConfirming", "request", "neither.json", &neither, &[]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.err.contains("$: one of `refundOrderNo`, `tktOrderNo` is required"), "{}", r.err);
    // A direct refund by ticket order needs its passengers.
    let direct = json!({"authentication": auth, "tktOrderNo": "17920456973815808"});
    let r = validate("refundConfirming", "request", "direct.json", &direct, &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.err.contains("$.passengers: required when `tktOrderNo` is present and `refundOrderNo` is not"),
        "{}",
        r.err
    );
    let confirmed = json!({"authentication": auth, "refundOrderNo": "18020456973815902"});
    assert_eq!(validate("refundConfirming", "request", "confirmed.json", &confirmed, &[]).code, 0);
}

#[test]
fn example_prints_the_specs_first_example() {
    let r = run(&["example", "fr24", "shopping"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let body: Value = serde_json::from_str(&r.out).unwrap();
    assert!(body.get("searchLegs").is_some() && body.get("authentication").is_none(), "business fields: {body}");
    let r = run(&["example", "fr24", "selectBalance", "response"]);
    let body: Value = serde_json::from_str(&r.out).unwrap();
    assert_eq!(body["code"], "000000");
    let path = file("example.json", &body);
    assert_eq!(run(&["validate", "fr24", "selectBalance", "response", path.to_str().unwrap(), "--strict"]).code, 0);
    assert_eq!(run(&["example", "fr24", "nope"]).code, 2);
}

#[test]
fn near_misses_get_a_suggestion() {
    let path = file("near.json", &refund_request());
    let p = path.to_str().unwrap();
    let r = run(&["validate", "fr42", "refundRequest", "request", p]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("unknown vendor `fr42` (did you mean `fr24`?"), "{}", r.err);
    let r = run(&["validate", "fr24", "refundRequst", "request", p]);
    assert!(r.err.contains("unknown fr24 operation `refundRequst` (did you mean `refundRequest`?"), "{}", r.err);
    let r = run(&["example", "aerohub", "getavailability"]);
    assert!(r.err.contains("did you mean `GetAvailability`?"), "{}", r.err);
}

#[test]
fn list_and_version() {
    let r = run(&["list"]);
    assert_eq!(r.code, 0);
    assert!(r.out.lines().any(|l| l.starts_with("fr24 ") && l.contains("operations)")), "{}", r.out);
    let r = run(&["list", "aerohub"]);
    assert!(
        r.out.lines().any(|l| l.starts_with("Commit ") && l.contains("/flight/booking") && l.contains("once")),
        "{}",
        r.out
    );
    assert!(r.out.lines().any(|l| l.starts_with("GetAvailability ") && l.contains("safe")), "{}", r.out);
    assert_eq!(run(&["list", "nope"]).code, 2);
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    let version = r.out.trim().strip_prefix("flightapi ").expect("flightapi <version>");
    assert_eq!(version.split('.').count(), 3, "{version}");
}

#[test]
fn help_comes_from_the_specs() {
    let r = run(&["--help"]);
    assert_eq!((r.code, r.err.as_str()), (0, ""));
    for vendor in flightapi::vendors() {
        let line =
            r.out.lines().find(|l| l.trim_start().starts_with(&format!("{} ", vendor.name))).unwrap_or_else(|| {
                panic!("{} is not in the help:\n{}", vendor.name, r.out);
            });
        assert!(line.contains(&format!("{} operations", vendor.operations.len())), "{line}");
        for c in vendor.credentials {
            assert!(line.contains(c.env), "{line} lacks {}", c.env);
        }
    }
    for command in ["validate", "call", "list", "example", "mock"] {
        assert!(r.out.contains(&format!("  {command} ")), "{command} missing:\n{}", r.out);
    }
    assert!(r.out.contains("Profiles (--profile): travelport: NDC or GDS"), "{}", r.out);
    assert!(r.out.contains("5 configuration error, 6 unreadable input"), "{}", r.out);
    let r = run(&["call", "--help"]);
    assert_eq!(r.code, 0);
    assert!(r.out.contains("--timeout <SECONDS>") && r.out.contains("FLIGHTAPI_TIMEOUT"), "{}", r.out);
}
