//! The OpenAPI documents (`generated/openapi/<vendor>.json`): exactly what `cargo codegen`
//! writes, accepted by `openapi-spec-validator`, every spec example valid against them
//! (`jsonschema`), and true to the mock servers: Schemathesis sends a bounded number of
//! generated cases to `flightapi mock <vendor>` for every vendor and finds no 5xx and no
//! answer the document does not describe.
//!
//! The Python checks need Python 3 with the packages of `tests/python/requirements.txt`
//! (`python3 -m pip install -r tests/python/requirements.txt`; CI installs them). Without
//! them these tests fail saying so; they never skip. `FLIGHTAPI_PYTHON` names another
//! interpreter.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Cases per operation (a shared path gets this per operation it serves): generated valid
/// ones, generated invalid ones. Two refusal probes and the spec's examples come on top.
const VALID_CASES: &str = "20";
const INVALID_CASES: &str = "10";

#[test]
fn documents_are_what_cargo_codegen_writes() {
    let root = support::root();
    let dir = root.join(flightapi_codegen::openapi::DIR);
    let report = flightapi_codegen::workspace_generator(&root).openapi(&dir, true).unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> = report
        .changed
        .iter()
        .chain(&report.removed)
        .map(|p| format!("{}/{}", flightapi_codegen::openapi::DIR, p.display()))
        .collect();
    assert!(stale.is_empty(), "stale OpenAPI documents (run `cargo codegen`):\n{}", stale.join("\n"));
    let documents: Vec<String> =
        report.unchanged.iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(documents, vendors(&root), "one document per vendor");
}

#[test]
fn validators_accept_every_document_and_every_example() {
    let root = support::root();
    let out = python(&root, &[root.join("tests/python/check_openapi.py").as_os_str(), root.as_os_str()]);
    assert_success("check_openapi.py", &out);
}

#[test]
fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let root = support::root();
    let binary = mock_binary(&root);
    let summary = std::env::temp_dir().join(format!("flightapi-schemathesis-{}.json", std::process::id()));
    let out = python(
        &root,
        &[
            root.join("tests/python/schemathesis_mock.py").as_os_str(),
            "--root".as_ref(),
            root.as_os_str(),
            "--mock-bin".as_ref(),
            binary.as_os_str(),
            "--max-examples".as_ref(),
            VALID_CASES.as_ref(),
            "--negative-examples".as_ref(),
            INVALID_CASES.as_ref(),
            "--summary".as_ref(),
            summary.as_os_str(),
        ],
    );
    let written = std::fs::read_to_string(&summary);
    let _ = std::fs::remove_file(&summary);
    assert_success("schemathesis_mock.py", &out);
    let figures: serde_json::Value = serde_json::from_str(&written.expect("the run writes its figures")).unwrap();
    for vendor in vendors(&root) {
        let vendor = vendor.as_str();
        let cases = figures[vendor]["cases"].as_u64().unwrap_or(0);
        let operations = figures[vendor]["spec_operations"].as_u64().unwrap_or(0);
        assert!(
            operations > 0 && cases >= operations * 3,
            "{vendor}: only {cases} case(s) for {operations} operation(s)"
        );
        assert_eq!(figures[vendor]["failures"], 0, "{vendor}");
    }
}

/// The vendors of `spec/`, sorted.
fn vendors(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join("spec"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("vendor.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// Runs a Python script, after checking the packages are there.
fn python(root: &Path, args: &[&std::ffi::OsStr]) -> Output {
    let interpreter = std::env::var("FLIGHTAPI_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let install = "python3 -m pip install -r tests/python/requirements.txt";
    let probe = Command::new(&interpreter)
        .args(["-c", "import openapi_spec_validator, jsonschema, schemathesis, yaml, cryptography"])
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{interpreter}` ({e}): the OpenAPI checks need Python 3 and `{install}`")
        });
    assert!(
        probe.status.success(),
        "the OpenAPI checks need Python packages that are missing; install them with `{install}` \
         (CI does):\n{}",
        String::from_utf8_lossy(&probe.stderr).trim()
    );
    Command::new(&interpreter)
        .args(args)
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{interpreter}`: {e}"))
}

fn assert_success(what: &str, out: &Output) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The figures, for the test log (`--nocapture`).
    println!("{what}:\n{stdout}");
    assert!(out.status.success(), "{what} failed ({}):\n{stdout}\n{stderr}", out.status);
}

/// The `flightapi` command line (`flightapi mock <vendor>`), built for this run: cargo builds
/// it (a no-op when it is fresh) and says where it is.
fn mock_binary(root: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "flightapi", "--features", "cli", "--bin", "flightapi"])
        .arg("--message-format=json-render-diagnostics")
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cargo}: {e}"));
    assert!(
        out.status.success(),
        "building `flightapi --features cli` failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "flightapi")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the flightapi executable")
}
