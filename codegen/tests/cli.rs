//! The `cargo codegen` binary on the bundled spec: `--check` and `lint` pass on a fresh tree,
//! and bad arguments are usage errors.

use std::process::Command;

fn codegen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).args(args).output().unwrap()
}

#[test]
fn check_and_lint_pass_on_the_bundled_spec() {
    let out = codegen(&["--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("generated/src/gen/ is up to date"));
    let out = codegen(&["lint"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("spec/ is valid: "));
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let out = codegen(&["--frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: cargo codegen"));
}
