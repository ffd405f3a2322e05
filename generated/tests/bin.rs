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
