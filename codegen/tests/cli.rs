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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unexpected argument '--frobnicate'"), "{stderr}");
    assert!(stderr.contains("Usage: cargo codegen"), "{stderr}");
    for args in [&["--check", "lint"][..], &["lint", "extra"], &["openapi", "--frobnicate"], &["--root"]] {
        assert_eq!(codegen(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn help_names_every_command_and_exits_0() {
    let out = codegen(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["lint", "openapi", "diff", "--check", "--root", "Exit codes"] {
        assert!(help.contains(word), "{word} missing from:\n{help}");
    }
    let out = codegen(&["help", "diff"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--fail-on <KIND>"));
}

#[test]
fn openapi_writes_one_document_per_vendor_and_check_covers_them() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    let out = codegen(&["openapi", "--check"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("generated/openapi/ is up to date (3 files)"));
    // A copy of the workspace's spec: `cargo codegen` writes the documents beside the code,
    // `--check` names a stale one, `openapi` alone rewrites it.
    let root = std::env::temp_dir().join(format!("flightapi-openapi-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("generated")).unwrap();
    std::fs::copy(workspace.join("generated/Cargo.toml"), root.join("generated/Cargo.toml")).unwrap();
    copy_dir(&workspace.join("spec"), &root.join("spec"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).args(args).arg("--root").arg(&root).output().unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote generated/openapi/fr24.json"));
    let written = std::fs::read_to_string(root.join("generated/openapi/fr24.json")).unwrap();
    assert_eq!(written, std::fs::read_to_string(workspace.join("generated/openapi/fr24.json")).unwrap());
    std::fs::write(root.join("generated/openapi/fr24.json"), "{}").unwrap();
    std::fs::write(root.join("generated/openapi/gone.json"), "{}").unwrap();
    let out = run(&["--check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stale: generated/openapi/fr24.json"), "{stderr}");
    assert!(stderr.contains("stale (no longer generated): generated/openapi/gone.json"), "{stderr}");
    let out = run(&["openapi"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "wrote generated/openapi/fr24.json\nremoved generated/openapi/gone.json\n1 file(s) written, 1 removed, 2 unchanged\n");
    assert_eq!(run(&["--check"]).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_workspace_is_found_from_the_current_directory_or_root_never_from_the_build() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    // From a folder deep inside the workspace: found by walking up.
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen"))
        .arg("lint")
        .current_dir(workspace.join("codegen/runtime/src"))
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

#[test]
fn a_new_spec_folder_registers_itself_without_hand_edits() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    let root = std::env::temp_dir().join(format!("flightapi-register-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("generated")).unwrap();
    std::fs::copy(workspace.join("generated/Cargo.toml"), root.join("generated/Cargo.toml")).unwrap();
    copy_dir(&workspace.join("tests/vendors/spec/login_vendor"), &root.join("spec/login_vendor"));
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).args(["--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote generated/Cargo.toml"));
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains("vendors = [\"login_vendor\"]\nlogin_vendor = []\n"), "{manifest}");
    let gen = std::fs::read_to_string(root.join("generated/src/gen/mod.rs")).unwrap();
    assert!(gen.contains("#[cfg(feature = \"login_vendor\")]\npub mod login_vendor;"), "{gen}");
    assert!(gen.contains("list.push(&self::login_vendor::VENDOR)"), "{gen}");
    // A second run changes nothing; --check agrees.
    let out =
        Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).args(["--check", "--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // A manifest without the generator's block: the exact lines to add are named.
    std::fs::write(root.join("generated/Cargo.toml"), "[package]\nname = \"x\"\n[features]\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flightapi-codegen")).args(["--root"]).arg(&root).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("# @generated vendor features: begin"));
    let _ = std::fs::remove_dir_all(&root);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn diff_reports_exits_and_refuses_bad_arguments() {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    let base = workspace.join("tests/diff/base/spec");
    let new = std::env::temp_dir().join(format!("flightapi-diff-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&new);
    copy_dir(&base, &new);
    let book = new.join("v/operations/book.yaml");
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(&book, text.replace("maximum: 9, description: Adults.", "maximum: 6, description: Adults."))
        .unwrap();
    let run = |args: &[&str]| codegen(&[&["diff"], args].concat());
    let (b, n) = (base.to_str().unwrap(), new.to_str().unwrap());
    let out = run(&["--old", b, "--new", n]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "v book request $.adults: range tightened (1..9 → 1..6) [wire: breaking] [rust: patch]\n"
    );
    assert_eq!(run(&["--old", b, "--new", n, "--fail-on", "breaking"]).status.code(), Some(1));
    assert_eq!(run(&["--old", b, "--new", b, "--fail-on", "breaking"]).status.code(), Some(0), "no change, no failure");
    let out = run(&["--old", b, "--new", n, "--format", "markdown"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("## Spec changes"));
    let out = run(&["--old", std::env::temp_dir().to_str().unwrap(), "--new", n]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a spec folder"));
    let out = run(&["--base", "no-such-revision-xyz", "--root", workspace.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a git revision"));
    // The working tree against HEAD: the bundled spec as committed reports nothing or more,
    // never an error.
    let out = run(&["--root", workspace.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(run(&["--format", "yaml"]).status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&new);
}
