//! The `flightapi` binary: exit statuses and streams, end to end.

use std::process::Command;

fn flightapi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flightapi")).args(args).output().unwrap()
}

#[test]
fn exit_statuses() {
    let dir = std::env::temp_dir().join(format!("flightapi-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"authentication": {"sign": "s", "timestamp": "1671178033"}}"#).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"authentication": {"sign": "s", "timestamp": "soon"}, "x": 1}"#).unwrap();

    let out = flightapi(&["validate", "fr24", "selectBalance", "request", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "valid fr24 selectBalance request\n");

    let out = flightapi(&["validate", "fr24", "selectBalance", "request", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "$.authentication.timestamp: \"soon\" does not match the pattern ^\\d+$\n$.x: unknown field\n"
    );

    let out = flightapi(&["validate", "fr24", "nope", "request", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

/// `flightapi mock fr24` in one process, `flightapi call fr24 ...` in others: every exit code.
#[test]
fn call_against_the_mock_process() {
    use std::io::BufRead;
    let mut mock = Command::new(env!("CARGO_BIN_EXE_flightapi"))
        .args(["mock", "fr24", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(mock.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first.trim().strip_prefix("listening on ").expect("first line names the address").to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let dir = std::env::temp_dir().join(format!("flightapi-call-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let shop = write(
        "shop.json",
        r#"{"authentication": {"sign": "stale", "timestamp": "1"},
            "searchLegs": [{"origin": "SIN", "destination": "HKG", "depDate": "2025-11-15"}], "adultNum": 1}"#,
    );
    let bad = write("bad.json", r#"{"searchLegs": [], "adultNum": 0}"#);
    let book = write(
        "book.json",
        r#"{"offerId": "a17f56079af111ca6278d72124595910",
            "passengers": [{"paxId": "1", "name": "YGVU/ZTMII", "paxType": "ADT", "birthday": "1981-07-21", "gender": "M"}]}"#,
    );
    let call = |file: &str, env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_flightapi"));
        c.args(["call", "fr24", if file.ends_with("book.json") { "booking" } else { "shopping" }, file]);
        c.env("FR24_APP_KEY", "test").env("FR24_APP_SECRET", "123456").env("FR24_AES_KEY", "0123456789abcdef");
        c.env("FR24_BASE_URL", &url);
        c.envs(env.iter().copied());
        c.output().unwrap()
    };

    // Credentials are never defaulted: every missing variable is named, nothing is sent.
    let out = call(&shop, &[("FR24_APP_KEY", ""), ("FR24_APP_SECRET", "")]);
    assert_eq!(out.status.code(), Some(5), "a configuration error, not a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("set FR24_APP_KEY, FR24_APP_SECRET"), "{err}");
    // ... unless the docs' samples are asked for.
    let mut c = Command::new(env!("CARGO_BIN_EXE_flightapi"));
    c.args(["call", "fr24", "shopping", &shop, "--samples"]).env("FR24_BASE_URL", &url);
    for var in ["FR24_APP_KEY", "FR24_APP_SECRET", "FR24_AES_KEY"] {
        c.env_remove(var);
    }
    assert_eq!(c.output().unwrap().status.code(), Some(0));

    // The file's stale authentication is replaced by a fresh signature.
    let out = call(&shop, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reply["data"]["offers"][0]["offerId"], "a17f56079af111ca6278d72124595910");
    // Typed passengers in the file, encrypted with FR24_AES_KEY (the sample by default).
    assert_eq!(call(&book, &[]).status.code(), Some(0));

    let out = call(&bad, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.adultNum: 0 is less than the minimum 1"));

    let out = call(&shop, &[("FR24_APP_SECRET", "wrong")]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("code 10101001") && !err.contains("wrong"), "{err}");

    let out = call(&shop, &[("FR24_BASE_URL", "http://127.0.0.1:1")]);
    assert_eq!(out.status.code(), Some(4));

    // Bounded work from the command line: a body cap, a timeout, standard input.
    let with = |extra: &[&str], env: &[(&str, &str)], stdin: Option<&str>| {
        use std::io::Write as _;
        let mut c = Command::new(env!("CARGO_BIN_EXE_flightapi"));
        c.args(["call", "fr24", "shopping"]).args(extra).arg("--samples").env("FR24_BASE_URL", &url);
        c.env_remove("FLIGHTAPI_TIMEOUT").envs(env.iter().copied());
        c.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        if let Some(text) = stdin {
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    };
    let out = with(&[&shop, "--max-body", "64"], &[], None);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than the 64-byte limit"));
    let out = with(&[&shop, "--timeout", "soon"], &[], None);
    assert_eq!(out.status.code(), Some(2));
    let out = with(&[&shop], &[("FLIGHTAPI_TIMEOUT", "-1")], None);
    assert_eq!(out.status.code(), Some(2), "the variable is read and checked");
    let body = std::fs::read_to_string(&shop).unwrap();
    let out = with(&["-"], &[], Some(&body));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = with(&["/no/such/request.json"], &[], None);
    assert_eq!(out.status.code(), Some(6));

    let out = Command::new(env!("CARGO_BIN_EXE_flightapi")).args(["call", "fr24", "shopping"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    mock.kill().unwrap();
    let _ = mock.wait();
}

/// Starts `flightapi mock <vendor>` and returns the process and the lines it printed first.
fn spawn_mock(vendor: &str, lines: usize) -> (std::process::Child, Vec<String>) {
    use std::io::BufRead;
    let mut mock = Command::new(env!("CARGO_BIN_EXE_flightapi"))
        .args(["mock", vendor, "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(mock.stdout.take().unwrap());
    let mut out = Vec::new();
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        out.push(line.trim().to_owned());
    }
    (mock, out)
}

fn temp_file(tag: &str, name: &str, body: &str) -> String {
    let dir = std::env::temp_dir().join(format!("flightapi-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.to_str().unwrap().to_owned()
}

#[test]
fn aerohub_call_against_the_mock_process() {
    let (mut mock, lines) = spawn_mock("aerohub", 1);
    let url = lines[0].strip_prefix("listening on ").expect("first line names the address").to_owned();
    // A whole doc-style envelope: its action, key, signature and timestamp are replaced.
    let detail = temp_file(
        "aerohub",
        "detail.json",
        r#"{"action": "GetBookingDetail", "key": "x", "signature": "y", "timestamp": "1",
            "request": {"orderNum": "2305261234567890"}}"#,
    );
    let bad = temp_file("aerohub", "bad.json", r#"{"orderNum": "2305261234567890", "sync": 7}"#);
    let call = |op: &str, file: &str, env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_flightapi"));
        c.args(["call", "aerohub", op, file]);
        c.env("AEROHUB_KEY", "ctPJAIdxUA3ptaWC").env("AEROHUB_SECRET", "024sYXZXMlFKaiAa65IYuMCB0hE2CgaP");
        c.env("AEROHUB_BASE_URL", &url);
        c.envs(env.iter().copied());
        c.output().unwrap()
    };
    let out = call("GetBookingDetail", &detail, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reply["status"], 0);
    assert_eq!(reply["orderStatus"], "TICKETED");
    let out = call("GetBookingDetail", &bad, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("$.sync: 7 is greater than the maximum 1"));
    let out = call("GetBookingDetail", &detail, &[("AEROHUB_SECRET", "124sYXZXMlFKaiAa65IYuMCB0hE2CgaP")]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("code 1101") && !err.contains("124sYX"), "{err}");
    mock.kill().unwrap();
    let _ = mock.wait();
}

#[test]
fn travelport_call_against_the_mock_process() {
    let (mut mock, lines) = spawn_mock("travelport", 2);
    let url = lines[0].strip_prefix("listening on ").expect("first line names the address").to_owned();
    let token_url = lines[1].strip_prefix("token endpoint ").expect("second line names the token URL").to_owned();
    assert_eq!(token_url, format!("{url}/oauth/token"));
    let cash = temp_file("travelport", "cash.json", r#"{"FormOfPaymentCash": {"id": "formOfPayment_1"}}"#);
    let call = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_flightapi"));
        c.args(["call", "travelport"]).args(args);
        c.env("TRAVELPORT_BASE_URL", &url).env("TRAVELPORT_TOKEN_URL", &token_url);
        for (var, value) in [
            ("TRAVELPORT_CLIENT_ID", "mock-client"),
            ("TRAVELPORT_CLIENT_SECRET", "mock-client-secret"),
            ("TRAVELPORT_USERNAME", "mock-user"),
            ("TRAVELPORT_PASSWORD", "mock-password"),
            ("TRAVELPORT_ACCESS_GROUP", "mock-access-group"),
        ] {
            c.env(var, value);
        }
        c.envs(env.iter().copied());
        c.output().unwrap()
    };
    let out = call(&["AddFormOfPayment", &cash, "--param", "workbenchID=cfa7a3a6"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = call(
        &["UpdateFormOfPayment", &cash, "--param", "workbenchID=w1", "--param", "FormOfPayment_Identifier=f1"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // NDC takes a card only: refused before anything is sent.
    let out = call(&["AddFormOfPayment", &cash, "--param", "workbenchID=cfa7a3a6", "--profile", "NDC"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FormOfPaymentCash is not allowed for NDC"));
    let out = call(&["AddFormOfPayment", &cash], &[]);
    assert_eq!(out.status.code(), Some(2), "a missing path parameter is a usage error");
    // Per-call headers by their spec field names.
    let out = call(&["AddFormOfPayment", &cash, "--param", "workbenchID=w", "--header", "tracking_id=t-1"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = call(&["AddFormOfPayment", &cash, "--param", "workbenchID=w", "--header", "trace=t-1"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no per-call header `trace` (known: tracking_id)"));
    let out = call(&["AddFormOfPayment", &cash, "--param", "workbenchID=w"], &[("TRAVELPORT_PASSWORD", "hunter2")]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid_grant") && !err.contains("hunter2"), "{err}");
    mock.kill().unwrap();
    let _ = mock.wait();
}
