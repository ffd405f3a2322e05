//! Broken specs and the exact messages `cargo codegen lint` prints for them: every problem,
//! each as `file:line:col: message`. `FLIGHTAPI_BLESS=1` rewrites `expected.txt`.

mod support;

use flightapi_codegen::Generator;

#[test]
fn lint_messages_are_pinned() {
    let mut failures = Vec::new();
    for dir in support::dirs(&support::here().join("lint")) {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let generator = Generator::new(dir.join("spec"), "unused").shown_as(format!("tests/lint/{name}/spec"));
        let text = match generator.lint() {
            Ok(_) => panic!("lint case {name} is valid, but every case here must be broken"),
            Err(d) => format!("{d}\n"),
        };
        if let Some(diff) = support::compare(&dir.join("expected.txt"), &text) {
            failures.push(diff);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_bundled_spec_is_clean() {
    let ir = flightapi_codegen::workspace_generator(&support::root()).lint().unwrap_or_else(|d| panic!("{d}"));
    assert!(ir.vendors.iter().any(|v| v.name == "fr24"));
}

#[test]
fn every_problem_is_reported_not_the_first() {
    let dir = support::here().join("lint/broken/spec");
    let err = Generator::new(dir, "unused").lint().unwrap_err();
    assert!(err.0.len() >= 10, "{err}");
}
