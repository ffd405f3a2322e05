//! What every vendor must do, the bundled ones and the fixtures alike: its spec's error
//! examples decode as API errors (and its other examples as successes), and every refusal of
//! its mock is written in its declared error shape and decodes as an API error.

use flightapi::rt::mock::MockServer;
use flightapi::rt::Vendor;
use serde_json::Value;

fn vendors() -> Vec<&'static Vendor> {
    let mut all = flightapi::vendors();
    all.push(&flightapi_fixture_vendors::login_vendor::VENDOR);
    all.push(&flightapi_fixture_vendors::hmac_vendor::VENDOR);
    all.push(&flightapi_fixture_vendors::token_vendor::VENDOR);
    all
}

#[test]
fn error_examples_decode_as_api_errors_and_the_others_as_successes() {
    let mut errors = 0;
    let mut wrong = Vec::new();
    for vendor in vendors() {
        for op in vendor.operations.iter().filter(|o| !o.inbound) {
            for example in op.examples {
                let Some(text) = example.response else { continue };
                let body: Value = serde_json::from_str(text).unwrap();
                let found = vendor.error_in(&body, example.status);
                let what = format!("{} {} `{}`", vendor.name, op.name, example.name);
                match (example.error, found) {
                    (true, Some(e)) => {
                        errors += 1;
                        assert!(!e.code.is_empty(), "{what}");
                    }
                    (true, None) => wrong.push(format!("{what} decodes as a success")),
                    (false, Some(e)) => wrong.push(format!("{what} is not marked `error: true` but decodes as {e}")),
                    (false, None) => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(errors >= 5, "the specs carry error examples: {errors}");
}

#[tokio::test]
async fn every_mock_refusal_has_the_declared_shape_and_decodes_as_an_api_error() {
    for vendor in vendors() {
        let server = MockServer::spawn(vendor).await.unwrap();
        let refusals = vendor.mock.expect("every vendor declares its mock refusals");
        let http = reqwest::Client::new();
        // An unknown path; then a documented operation sent without any authentication.
        let op = vendor.operations.iter().find(|o| !o.inbound && o.method == "POST").unwrap();
        let path = op.path.replace('{', "x").replace('}', "");
        let unsigned = serde_json::json!({"action": op.name});
        let cases = [
            (http.post(format!("{}/no/such/path", server.url())).body("{}"), refusals.unknown_operation.code),
            (http.post(format!("{}{path}", server.url())).body(unsigned.to_string()), ""),
        ];
        for (request, code) in cases {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            let shape = vendor.schema.check_error_wire(&body);
            assert!(shape.is_empty(), "{}: the refusal breaks the envelope: {shape:?}\n{body}", vendor.name);
            let error = vendor
                .error_in(&body, status)
                .unwrap_or_else(|| panic!("{}: the mock's refusal decodes as a success: {body}", vendor.name));
            if !code.is_empty() {
                assert_eq!(error.code, code, "{}: {body}", vendor.name);
            }
            assert!(error.message.is_some_and(|m| !m.is_empty()) || error.code != "unknown", "{}", vendor.name);
        }
    }
}

/// Vendors live in their specs: the generator and the runtime never name one.
#[test]
fn no_vendor_is_named_in_the_generator_or_the_runtime() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let names: Vec<String> = std::fs::read_dir(workspace.join("spec"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_lowercase())
        .chain(["flightroutes", "letsfly", "login_vendor", "hmac_vendor", "token_vendor"].map(String::from))
        .collect();
    assert!(names.len() >= 5, "{names:?}");
    let mut found = Vec::new();
    for dir in ["codegen/src", "codegen/runtime/src", "generated/src/lib.rs", "generated/src/bin"] {
        let mut stack = vec![workspace.join(dir)];
        while let Some(d) = stack.pop() {
            let paths: Vec<std::path::PathBuf> = if d.is_file() {
                vec![d.clone()]
            } else {
                std::fs::read_dir(&d).unwrap().flatten().map(|e| e.path()).collect()
            };
            for path in paths {
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
                // Unit tests at the end of a file may use the bundled specs as their input.
                let code = text.split("\n#[cfg(test)]").next().unwrap_or_default();
                for (n, line) in code.lines().enumerate() {
                    for name in &names {
                        if line.contains(name.as_str()) {
                            found.push(format!("{}:{}: {name}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "vendor names in vendor-neutral code:\n{}", found.join("\n"));
}
