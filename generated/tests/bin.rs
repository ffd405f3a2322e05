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
        for var in ["FR24_APP_KEY", "FR24_APP_SECRET", "FR24_AES_KEY"] {
            c.env_remove(var);
        }
        c.env("FR24_BASE_URL", &url);
        c.envs(env.iter().copied());
        c.output().unwrap()
    };

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

    let out = Command::new(env!("CARGO_BIN_EXE_flightapi")).args(["call", "fr24", "shopping"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    mock.kill().unwrap();
    let _ = mock.wait();
}
