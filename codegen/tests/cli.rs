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
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("generated/ is up to date"));
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

#[test]
fn the_workspace_is_found_from_the_current_directory_or_root_never_from_the_build() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    // From a folder deep inside the workspace: found by walking up.
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen"))
        .arg("lint")
        .current_dir(workspace.join("generated/src/rt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // From outside any workspace: a usage error, not the checkout the binary was built in.
    let outside = std::env::temp_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).arg("lint").current_dir(&outside).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no workspace here"));
    // `--root` names it explicitly.
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen"))
        .args(["lint", "--root"])
        .arg(&workspace)
        .current_dir(&outside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}
